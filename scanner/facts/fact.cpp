#include "scanner/facts/fact.hpp"

#include <algorithm>
#include <tuple>

#include "scanner/facts/catalog.hpp"

namespace grundscan {

namespace {

bool iequal(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// Same meaning: strings compare without case ("LRA-DC01" = "lra-dc01"), everything else exactly.
bool same_value(const FactValue& a, const FactValue& b) {
    const auto* sa = std::get_if<std::string>(&a);
    const auto* sb = std::get_if<std::string>(&b);
    if (sa && sb) return iequal(*sa, *sb);
    return a == b;
}

bool sorts_before(const Fact& a, const Fact& b) {
    return std::tie(a.provenance.source, a.provenance.line, a.provenance.collector) <
           std::tie(b.provenance.source, b.provenance.line, b.provenance.collector);
}

// Merges `incoming` into `kept` (equal priority, different values) as `merge` says; false when
// the values contradict each other.
bool merge_values(FactMerge merge, Fact& kept, const Fact& incoming) {
    switch (merge) {
        case FactMerge::Union: {
            const auto* a = std::get_if<StringList>(&kept.value);
            const auto* b = std::get_if<StringList>(&incoming.value);
            if (!a || !b) return false;
            StringList all = *a;
            all.insert(all.end(), b->begin(), b->end());
            std::sort(all.begin(), all.end());
            all.erase(std::unique(all.begin(), all.end()), all.end());
            if (sorts_before(incoming, kept)) kept.provenance = incoming.provenance;
            kept.value = std::move(all);
            return true;
        }
        case FactMerge::Max: {
            const auto* a = std::get_if<std::int64_t>(&kept.value);
            const auto* b = std::get_if<std::int64_t>(&incoming.value);
            if (!a || !b) return false;
            if (*b > *a) kept = incoming;
            return true;
        }
        case FactMerge::Newest: {
            // ISO dates ("YYYY-MM-DD") order as strings.
            const auto* a = std::get_if<std::string>(&kept.value);
            const auto* b = std::get_if<std::string>(&incoming.value);
            if (!a || !b) return false;
            if (*b > *a) kept = incoming;
            return true;
        }
        case FactMerge::Conflict:
            return false;
    }
    return false;
}

void insert_distinct(std::vector<Fact>& values, Fact f) {
    for (const auto& v : values)
        if (same_value(v.value, f.value)) return;
    values.push_back(std::move(f));
    std::sort(values.begin(), values.end(), sorts_before);
}

}  // namespace

void FactSet::add(Fact fact) {
    if (auto c = conflicts_.find(fact.name); c != conflicts_.end()) {
        if (fact.priority < c->second.priority) return;
        if (fact.priority == c->second.priority) {
            insert_distinct(c->second.values, std::move(fact));
            return;
        }
        conflicts_.erase(c);  // a more authoritative source settles it
    }
    auto it = facts_.find(fact.name);
    if (it == facts_.end()) {
        std::string key = fact.name;
        facts_.emplace(std::move(key), std::move(fact));
        return;
    }
    Fact& kept = it->second;
    if (kept.priority > fact.priority) return;
    if (kept.priority < fact.priority) {
        kept = std::move(fact);
        return;
    }
    if (same_value(kept.value, fact.value)) {
        if (sorts_before(fact, kept)) kept = std::move(fact);
        return;
    }
    const FactDecl* decl = find_fact_decl(fact.name);
    FactMerge merge = decl ? decl->merge : FactMerge::Conflict;
    if (merge_values(merge, kept, fact)) return;
    FactConflict conflict{fact.name, fact.priority, {}};
    insert_distinct(conflict.values, std::move(kept));
    insert_distinct(conflict.values, std::move(fact));
    facts_.erase(it);
    std::string key = conflict.name;
    conflicts_.emplace(std::move(key), std::move(conflict));
}

void FactSet::inherit_observed_at(const std::string& collector, const std::string& day) {
    for (auto& [name, f] : facts_)
        if (f.provenance.collector == collector && f.provenance.observed_at.empty())
            f.provenance.observed_at = day;
}

const Fact* FactSet::find(const std::string& name) const {
    auto it = facts_.find(name);
    return it == facts_.end() ? nullptr : &it->second;
}

const FactConflict* FactSet::conflict(const std::string& name) const {
    auto it = conflicts_.find(name);
    return it == conflicts_.end() ? nullptr : &it->second;
}

std::string fact_value_to_string(const FactValue& v) {
    struct Visitor {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const StringList& l) const {
            std::string out;
            for (std::size_t i = 0; i < l.size(); ++i) {
                if (i) out += ", ";
                if (i == 20) {
                    out += "… (" + std::to_string(l.size()) + ")";
                    break;
                }
                out += l[i];
            }
            return out;
        }
        std::string operator()(const StringMap& m) const {
            return std::to_string(m.size()) + " entries";
        }
    };
    return std::visit(Visitor{}, v);
}

}  // namespace grundscan
