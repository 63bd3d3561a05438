// results.sarif: SARIF 2.1.0 (OASIS) for code-scanning dashboards and CI (GitHub, GitLab,
// Azure DevOps). One run; every rule is a reportingDescriptor, every asset x rule result a
// result whose `kind` carries the grundscan state:
//   pass -> pass, fail -> fail (level by severity), no_evidence -> open (insufficient
//   information to decide), error -> review (a human has to look at the broken export; the
//   problem is also a toolExecutionNotification), not_applicable -> notApplicable,
//   waived -> fail with an external, accepted suppression carrying the justification.
// Locations: the evidence source file (the path as the inventory names it, relative paths
// stay relative) with the line, plus a logical location "municipality/asset". Text from outside is
// made valid UTF-8 without control characters before it goes into the JSON.
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {
namespace {

using nlohmann::ordered_json;

constexpr const char* kInformationUri = "https://github.com/grundscan";
constexpr const char* kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

std::string clean(std::string_view s) {
    return text::sanitize_utf8(s);
}

const char* tr(Lang lang, const char* de, const char* en) {
    return lang == Lang::De ? de : en;
}

const char* sarif_level(Severity s) {
    switch (s) {
        case Severity::Critical:
        case Severity::High:
            return "error";
        case Severity::Medium:
            return "warning";
        case Severity::Low:
            return "note";
    }
    return "warning";
}

// GitHub code scanning ranks security results by this CVSS-like number (as a string).
const char* security_severity(Severity s) {
    switch (s) {
        case Severity::Critical:
            return "9.5";
        case Severity::High:
            return "8.0";
        case Severity::Medium:
            return "5.5";
        case Severity::Low:
            return "3.0";
    }
    return "5.5";
}

const char* sarif_kind(ResultState s) {
    switch (s) {
        case ResultState::Pass:
            return "pass";
        case ResultState::Fail:
        case ResultState::Waived:
            return "fail";
        case ResultState::NoEvidence:
            return "open";
        case ResultState::Error:
            return "review";
        case ResultState::NotApplicable:
            return "notApplicable";
    }
    return "open";
}

// A source path as a URI reference: '\' becomes '/', everything outside the unreserved and
// path characters is percent-encoded (spaces, umlauts, '%', '#', '?'). Relative paths stay
// relative (as the other reports show them); absolute paths become
// file: URIs; "local:/etc/..." (local scans) already is a URI and keeps its scheme.
std::string path_to_uri(std::string_view path) {
    std::string p = clean(path);
    for (char& c : p)
        if (c == '\\') c = '/';
    std::string prefix;
    bool relative = false;
    if (p.rfind("local:", 0) == 0) {
        prefix = "local:";
        p.erase(0, 6);
    } else if (!p.empty() && p[0] == '/') {
        prefix = "file://";
    } else if (p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':') {
        prefix = "file:///";
    } else {
        relative = true;
    }
    std::string out = prefix;
    for (unsigned char c : p) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  std::string_view("-._~/!$&'()*+,;=@:").find(static_cast<char>(c)) !=
                      std::string_view::npos;
        // A relative reference must not have a ':' in its first segment (it would read as
        // a scheme).
        if (relative && c == ':' && out.find('/') == std::string::npos) ok = false;
        if (ok) {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

ordered_json text_message(const std::string& s) {
    return {{"text", clean(s)}};
}

ordered_json rule_descriptor(const Rule& r, Lang lang) {
    ordered_json j;
    j["id"] = r.id;
    j["name"] = r.id;
    j["shortDescription"] = text_message(r.title.get(lang));
    j["fullDescription"] =
        text_message(r.rationale.get(lang).empty() ? r.title.get(lang) : r.rationale.get(lang));
    std::string refs;
    for (const auto& ref : r.references) refs += (refs.empty() ? "" : ", ") + ref.id;
    std::string gspp;
    for (const auto& g : r.gspp) gspp += (gspp.empty() ? "" : ", ") + control_label(g);
    std::string help = r.remediation.get(lang);
    std::string md = r.remediation.get(lang);
    if (!refs.empty()) {
        help += std::string("\n\n") +
                tr(lang, "IT-Grundschutz (Edition 2023): ", "IT-Grundschutz (Edition 2023): ") +
                refs;
        md += "\n\n**IT-Grundschutz (Edition 2023):** " + refs;
    }
    if (!gspp.empty()) {
        help += "\nGrundschutz++: " + gspp;
        md += "\n\n**Grundschutz++:** " + gspp;
    }
    j["help"] = {{"text", clean(help)}, {"markdown", clean(md)}};
    j["defaultConfiguration"] = {{"level", sarif_level(r.severity)}};
    ordered_json tags = ordered_json::array({"security", "compliance", "IT-Grundschutz"});
    if (!r.module.empty()) tags.push_back(clean(r.module));
    ordered_json props;
    props["references"] = ordered_json::array();
    for (const auto& ref : r.references) props["references"].push_back(clean(ref.id));
    props["edition"] = "IT-Grundschutz-Kompendium Edition 2023";
    props["gspp"] = ordered_json::array();
    for (const auto& g : r.gspp) props["gspp"].push_back(clean(g.qualified()));
    props["module"] = clean(r.module);
    props["level"] = level_name(r.level);
    props["severity"] = severity_name(r.severity);
    props["security-severity"] = security_severity(r.severity);
    props["weight"] = r.weight;
    props["pack"] = clean(r.pack);
    props["tags"] = tags;
    j["properties"] = props;
    return j;
}

ordered_json physical_location(const Provenance& p) {
    ordered_json art;
    art["uri"] = path_to_uri(p.source);
    ordered_json phys;
    phys["artifactLocation"] = art;
    if (p.line > 0) {
        ordered_json region;
        region["startLine"] = p.line;
        if (!p.excerpt.empty()) region["snippet"] = {{"text", clean(p.excerpt)}};
        phys["region"] = region;
    }
    return phys;
}

struct Runner {
    Runner(const ScanResult& s, Lang l) : scan(s), lang(l) {}
    const ScanResult& scan;
    Lang lang;
    std::map<std::string, int> rule_index;
    ordered_json rules = ordered_json::array();
    ordered_json results = ordered_json::array();
    ordered_json notifications = ordered_json::array();

    void add_rules() {
        for (const auto* r : scan.rules) {
            if (!r || rule_index.count(r->id)) continue;
            rule_index[r->id] = static_cast<int>(rules.size());
            rules.push_back(rule_descriptor(*r, lang));
        }
    }

    void add_result(const MunicipalityResult& m, const AssetResult& a, const RuleResult& rr) {
        const Rule* rule = scan.rule(rr.rule_id);
        std::string fqn = clean(m.id) + "/" + clean(a.id);
        ordered_json j;
        j["ruleId"] = clean(rr.rule_id);
        if (auto it = rule_index.find(rr.rule_id); it != rule_index.end())
            j["ruleIndex"] = it->second;
        j["kind"] = sarif_kind(rr.state);
        bool failed = rr.state == ResultState::Fail || rr.state == ResultState::Waived;
        j["level"] = failed ? sarif_level(rule ? rule->severity : Severity::Medium) : "none";
        std::string title = rule ? rule->title.get(lang) : rr.rule_id;
        std::string prefix;
        if (rr.state == ResultState::Error) prefix = tr(lang, "Fehler: ", "Error: ");
        if (rr.state == ResultState::NoEvidence)
            prefix = tr(lang, "Kein Nachweis: ", "No evidence: ");
        std::string text = prefix + title + " — " + a.name + ": " + rr.message;
        j["message"] = text_message(text);

        ordered_json logical = {
            {"name", clean(a.id)}, {"fullyQualifiedName", fqn}, {"kind", "resource"}};
        ordered_json primary;
        const Evidence* first = nullptr;
        for (const auto& e : rr.evidence)
            if (!e.provenance.source.empty()) {
                first = &e;
                break;
            }
        if (first) primary["physicalLocation"] = physical_location(first->provenance);
        primary["logicalLocations"] = ordered_json::array({logical});
        j["locations"] = ordered_json::array({primary});

        // Further evidence (other files or lines) as related locations.
        ordered_json related = ordered_json::array();
        std::set<std::pair<std::string, int>> seen;
        if (first) seen.insert({first->provenance.source, first->provenance.line});
        for (const auto& e : rr.evidence) {
            if (e.provenance.source.empty()) continue;
            if (!seen.insert({e.provenance.source, e.provenance.line}).second) continue;
            ordered_json loc;
            loc["id"] = static_cast<int>(related.size());
            loc["physicalLocation"] = physical_location(e.provenance);
            loc["message"] = text_message(e.fact + " = " + e.value);
            related.push_back(loc);
        }
        if (!related.empty()) j["relatedLocations"] = related;

        j["partialFingerprints"] = {{"grundscanAssetRule/v1", fqn + "/" + clean(rr.rule_id)}};

        if (rr.state == ResultState::Waived) {
            ordered_json sup;
            sup["kind"] = "external";
            sup["status"] = "accepted";
            if (rr.waiver) {
                const auto& w = *rr.waiver;
                sup["justification"] = clean(w.justification);
                ordered_json wp;
                wp["waiverId"] = clean(w.id);
                wp["approver"] = clean(w.approver);
                wp["decidedOn"] = clean(w.decided_on);
                wp["expires"] = clean(w.expires);
                if (!w.ticket.empty()) wp["ticket"] = clean(w.ticket);
                sup["properties"] = wp;
            }
            j["suppressions"] = ordered_json::array({sup});
        }

        ordered_json props;
        props["state"] = state_name(rr.state);
        props["municipality"] = clean(m.name);
        props["ags"] = clean(m.ags);
        props["asset"] = clean(a.name);
        props["assetKind"] = clean(a.kind);
        if (rule) props["severity"] = severity_name(rule->severity);
        ordered_json ev = ordered_json::array();
        for (const auto& e : rr.evidence)
            ev.push_back({{"fact", clean(e.fact)},
                          {"value", clean(e.value)},
                          {"source", clean(e.provenance.source)},
                          {"line", e.provenance.line},
                          {"collector", clean(e.provenance.collector)}});
        props["evidence"] = ev;
        j["properties"] = props;
        results.push_back(j);

        if (rr.state == ResultState::Error) {
            ordered_json n;
            n["message"] = text_message(a.name + ": " + rr.message);
            n["level"] = "error";
            if (auto it = rule_index.find(rr.rule_id); it != rule_index.end())
                n["associatedRule"] = {{"id", clean(rr.rule_id)}, {"index", it->second}};
            if (first) n["locations"] = ordered_json::array({primary});
            notifications.push_back(n);
        }
    }

    void add_issue(const AssetResult& a, const SourceIssue& i) {
        ordered_json n;
        n["message"] = text_message(a.name + ": " + i.message);
        n["level"] = i.fatal ? "error" : "warning";
        if (!i.source.empty()) {
            Provenance p;
            p.source = i.source;
            p.line = i.line;
            n["locations"] = ordered_json::array({{{"physicalLocation", physical_location(p)}}});
        }
        notifications.push_back(n);
    }
};

std::string sarif_string(const ScanResult& scan, Lang lang) {
    Runner run(scan, lang);
    run.add_rules();
    for (const auto& m : scan.municipalities)
        for (const auto& a : m.assets) {
            for (const auto& i : a.issues) run.add_issue(a, i);
            for (const auto& rr : a.results) run.add_result(m, a, rr);
        }
    for (const auto& w : scan.warnings)
        run.notifications.push_back({{"message", text_message(w)}, {"level", "warning"}});
    for (const auto& w : scan.waiver_warnings)
        run.notifications.push_back({{"message", text_message(w)}, {"level", "warning"}});

    ordered_json driver;
    driver["name"] = "grundscan";
    if (!scan.tool_version.empty()) driver["version"] = clean(scan.tool_version);
    driver["informationUri"] = kInformationUri;
    driver["rules"] = run.rules;

    ordered_json invocation;
    invocation["executionSuccessful"] = scan.complete;
    if (!scan.started_at.empty()) invocation["startTimeUtc"] = clean(scan.started_at);
    if (!scan.finished_at.empty()) invocation["endTimeUtc"] = clean(scan.finished_at);
    if (!run.notifications.empty()) invocation["toolExecutionNotifications"] = run.notifications;

    ordered_json r;
    r["tool"] = {{"driver", driver}};
    r["invocations"] = ordered_json::array({invocation});
    r["automationDetails"] = {{"id", "grundscan/" + clean(scan.org_id) + "/"}};
    r["columnKind"] = "unicodeCodePoints";
    r["results"] = run.results;
    ordered_json props;
    props["asOf"] = clean(scan.as_of);
    props["inventory"] = clean(scan.inventory_file);
    props["complete"] = scan.complete;
    props["organisation"] = clean(scan.org_name);
    props["scoreModel"] = clean(scan.score_model);
    if (scan.score.value) props["score"] = *scan.score.value;
    props["ampel"] = ampel_name(scan.score.ampel);
    // The replacement roadmap (end of support per system and software release), so that a
    // pipeline can track it next to the findings; earliest end first per municipality.
    ordered_json roadmap = ordered_json::array();
    for (const auto& m : scan.municipalities)
        for (const RoadmapEntry* e : roadmap_rows(m)) {
            ordered_json line;
            line["municipality"] = clean(m.id);
            line["asset"] = clean(e->asset_id);
            line["product"] = clean(e->product);
            line["release"] = clean(e->cycle);
            line["phase"] = clean(e->phase);
            if (!e->eol_date.empty()) line["endOfSupport"] = clean(e->eol_date);
            if (!e->extended_until.empty()) line["extendedUntil"] = clean(e->extended_until);
            roadmap.push_back(std::move(line));
        }
    if (!roadmap.empty()) props["roadmap"] = std::move(roadmap);
    r["properties"] = props;

    ordered_json log;
    log["$schema"] = kSchemaUri;
    log["version"] = "2.1.0";
    log["runs"] = ordered_json::array({r});
    return log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

Expected<std::vector<std::filesystem::path>> write_sarif(const ScanResult& scan,
                                                         const ReportOptions& options) {
    auto path = options.out_dir / "results.sarif";
    if (auto s = write_file_atomic(path, sarif_string(scan, options.lang) + "\n"); !s)
        return s.error();
    return std::vector<std::filesystem::path>{path};
}

}  // namespace

// Also declared in reports/writer.hpp.
const ReportWriter& sarif_report_writer();

const ReportWriter& sarif_report_writer() {
    static const ReportWriter w{
        "sarif", "results.sarif: SARIF 2.1.0 for code-scanning dashboards and CI", &write_sarif};
    return w;
}

}  // namespace grundscan
