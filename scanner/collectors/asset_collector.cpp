#include "scanner/collectors/asset_collector.hpp"

#include <map>

#include "scanner/collectors/collection_time.hpp"
#include "scanner/collectors/collector.hpp"

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

FactSet collect_asset(const Asset& asset, const CollectOptions& options) {
    FactSet facts;
    CollectionTimes times(asset);
    for (const auto& problem : asset.problems) {
        // No file: no evidence (not an error of a file that was there).
        facts.add_issue(SourceIssue{asset.file, "", problem, asset.line, false});
    }
    for (const auto& src : asset.sources) {
        auto decoded = read_source(src.path, options.max_source_bytes);
        if (!decoded) {
            facts.add_issue(SourceIssue{src.display, src.type, decoded.error().message,
                                        decoded.error().line, true});
            if (!src.type.empty()) facts.note_collector(src.type);
            continue;
        }
        std::string type = src.type;
        if (type.empty()) {
            type = detect_source_type(decoded->utf8, src.path.filename().string());
            if (type.empty()) {
                facts.add_issue(SourceIssue{
                    src.display, "",
                    "cannot tell what kind of export this is; set 'type:' in the inventory "
                    "(see `grundscan collectors`)",
                    0, true});
                continue;
            }
        }
        if (text::is_legacy(decoded->encoding)) {
            facts.add_issue(SourceIssue{
                src.display, type,
                std::string("not UTF-8: read as ") + text::encoding_name(decoded->encoding) +
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
        auto parsed = collector->parse(decoded->utf8);
        if (!parsed) {
            facts.add_issue(
                SourceIssue{src.display, type, parsed.error().message, parsed.error().line, true});
            continue;
        }
        // The day this export was collected is the day its facts were observed.
        std::optional<Date> collected = times.note_source(src, type, *parsed, facts);
        for (auto& w : parsed->warnings) {
            w.source = src.display;
            w.collector = type;
            facts.add_issue(std::move(w));
        }
        // Within one export the collector's own order decides (first of the highest priority);
        // across exports FactSet merges by meaning, whatever the order of the sources.
        std::map<std::string, Fact> own;
        for (auto& f : parsed->facts) {
            auto it = own.find(f.name);
            if (it != own.end() && it->second.priority >= f.priority) continue;
            f.provenance.source = src.display;
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
