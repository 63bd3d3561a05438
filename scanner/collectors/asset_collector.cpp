#include "scanner/collectors/asset_collector.hpp"

#include <map>

#include "scanner/collectors/collection_time.hpp"
#include "scanner/collectors/collector.hpp"

#include <map>
#include <optional>
#include <set>

namespace grundscan {

namespace {

// A Windows export on a linux-* asset (or the reverse) is most likely an inventory mistake:
// rules for the declared kind would then wrongly be "not applicable".
void warn_on_kind_mismatch(const Asset& asset, FactSet& facts) {
    const Fact* family = facts.find("os.family");
    if (!family) return;
    const auto* value = std::get_if<std::string>(&family->value);
    if (!value) return;
    bool windows_kind = asset.kind.rfind("windows-", 0) == 0;
    bool linux_kind = asset.kind.rfind("linux-", 0) == 0;
    if ((windows_kind && *value == "linux") || (linux_kind && *value == "windows")) {
        facts.add_issue(SourceIssue{family->provenance.source, family->provenance.collector,
                                    "the asset is declared as " + asset.kind +
                                        " but this export describes a " + *value +
                                        " system: check 'kind' in the inventory",
                                    family->provenance.line, false});
    }
}

}  // namespace

namespace {

// One source after reading and type detection.
struct PreparedSource {
    const SourceFile* src = nullptr;
    std::optional<text::Decoded> decoded;
    std::optional<SourceIssue> read_issue;  // fatal issue when reading or detecting failed
    std::string type;
    std::optional<Expected<ParseOutput>> parsed;  // set for context parsers (run first)
};

std::string normal_key(const std::filesystem::path& p) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(p, ec);
    return (ec ? p : abs).lexically_normal().generic_string();
}

}  // namespace

FactSet collect_asset(const Asset& asset, const CollectOptions& options) {
    FactSet facts;
    CollectionTimes times(asset);
    for (const auto& problem : asset.problems) {
        // No file: no evidence (not an error of a file that was there).
        facts.add_issue(SourceIssue{asset.file, "", problem, asset.line, false});
    }
    // 1. Read and detect every source.
    std::vector<PreparedSource> prepared;
    prepared.reserve(asset.sources.size());
    for (const auto& src : asset.sources) {
        PreparedSource p;
        p.src = &src;
        auto decoded = read_source(src.path, options.max_source_bytes);
        if (!decoded) {
            p.read_issue = SourceIssue{src.display, src.type, decoded.error().message,
                                       decoded.error().line, true};
        } else {
            p.decoded = std::move(*decoded);
            p.type = src.type;
            if (p.type.empty()) {
                p.type = detect_source_type(p.decoded->utf8, src.path.filename().string());
                if (p.type.empty()) {
                    p.read_issue = SourceIssue{
                        src.display, "",
                        "cannot tell what kind of export this is; set 'type:' in the inventory "
                        "(see `grundscan collectors`)",
                        0, true};
                }
            }
        }
        prepared.push_back(std::move(p));
    }
    // 2. Context parsers first: the sources they consume are not parsed on their own.
    std::vector<AssetSourceFile> files;
    std::map<std::string, const PreparedSource*> by_path;
    for (const auto& p : prepared) {
        files.push_back(AssetSourceFile{p.src->path, p.src->display});
        by_path.emplace(normal_key(p.src->path), &p);
    }
    auto read = [&](const std::filesystem::path& path) -> Expected<std::string> {
        auto it = by_path.find(normal_key(path));
        if (it == by_path.end()) return Error{"not a source of this asset", path.string(), 0};
        if (!it->second->decoded)
            return Error{it->second->read_issue ? it->second->read_issue->message : "unreadable",
                         it->second->src->display, 0};
        return it->second->decoded->utf8;
    };
    std::set<std::string> consumed;
    for (auto& p : prepared) {
        if (!p.decoded || p.read_issue) continue;
        const CollectorInfo* collector = find_collector(p.type);
        if (!collector || !collector->parse_in_context) continue;
        SourceContext ctx{p.src->path, p.src->display, files, read};
        p.parsed = collector->parse_in_context(p.decoded->utf8, ctx);
        if (*p.parsed) {
            for (const auto& c : (*p.parsed)->consumed) {
                auto key = normal_key(c);
                if (key != normal_key(p.src->path)) consumed.insert(key);
            }
        }
    }
    // 3. Results in the order of the sources.
    for (auto& p : prepared) {
        const SourceFile& src = *p.src;
        if (consumed.contains(normal_key(src.path))) continue;
        if (p.read_issue) {
            facts.add_issue(*p.read_issue);
            if (!p.read_issue->collector.empty()) facts.note_collector(p.read_issue->collector);
            continue;
        }
        const std::string& type = p.type;
        if (text::is_legacy(p.decoded->encoding)) {
            facts.add_issue(SourceIssue{
                src.display, type,
                std::string("not UTF-8: read as ") + text::encoding_name(p.decoded->encoding) +
                    " (legacy Windows code page); check umlauts in the evidence",
                0, false});
        }
        const CollectorInfo* collector = find_collector(type);
        if (collector == nullptr) {
            facts.add_issue(
                SourceIssue{src.display, type, "unknown source type '" + type + "'", 0, true});
            continue;
        }
        facts.note_collector(type);
        auto parsed = p.parsed ? std::move(*p.parsed) : collector->parse(p.decoded->utf8);
        if (!parsed) {
            facts.add_issue(
                SourceIssue{parsed.error().file.empty() ? src.display : parsed.error().file, type,
                            parsed.error().message, parsed.error().line, true});
            continue;
        }
        // The day this export was collected is the day its facts were observed.
        std::optional<Date> collected = times.note_source(src, type, *parsed, facts);
        for (auto& w : parsed->warnings) {
            if (w.source.empty()) w.source = src.display;
            w.collector = type;
            facts.add_issue(std::move(w));
        }
        // Within one export the collector's own order decides (first of the highest priority);
        // across exports FactSet merges by meaning, whatever the order of the sources.
        std::map<std::string, Fact> own;
        for (auto& f : parsed->facts) {
            auto it = own.find(f.name);
            if (it != own.end() && it->second.priority >= f.priority) continue;
            if (f.provenance.source.empty()) f.provenance.source = src.display;
            f.provenance.collector = type;
            if (collected && f.provenance.observed_at.empty())
                f.provenance.observed_at = collected->iso();
            std::string key = f.name;
            own.insert_or_assign(std::move(key), std::move(f));
        }
        for (auto& [name, f] : own) facts.add(std::move(f));
    }
    times.add_facts(facts);
    warn_on_kind_mismatch(asset, facts);
    return facts;
}

std::vector<Error> check_source_types(const Inventory& inventory) {
    std::vector<Error> errors;
    for (const auto& m : inventory.municipalities) {
        for (const auto& a : m.assets) {
            for (const auto& s : a.specs) {
                if (!s.type.empty() && find_collector(s.type) == nullptr) {
                    std::string known;
                    for (const auto& c : collector_registry())
                        known += (known.empty() ? "" : ", ") + std::string(c.type);
                    errors.push_back(
                        Error{"unknown source type '" + s.type + "' (known: " + known + ")", s.file,
                              s.line});
                }
            }
        }
    }
    return errors;
}

}  // namespace grundscan
