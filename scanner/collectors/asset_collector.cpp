#include "scanner/collectors/asset_collector.hpp"

#include "scanner/collectors/collector.hpp"

namespace grundscan {

FactSet collect_asset(const Asset& asset, const CollectOptions& options) {
    FactSet facts;
    for (const auto& problem : asset.problems) {
        facts.add_issue(SourceIssue{asset.file, "", problem, asset.line, true});
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
        for (auto& w : parsed->warnings) {
            w.source = src.display;
            w.collector = type;
            facts.add_issue(std::move(w));
        }
        for (auto& f : parsed->facts) {
            f.provenance.source = src.display;
            f.provenance.collector = type;
            facts.add(std::move(f));
        }
    }
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
