// results.json: the machine-readable result of a scan (schema: docs/schema/results.schema.json).
#include <cmath>

#include <nlohmann/json.hpp>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "scanner/core/atomic_file.hpp"
#include "scanner/core/text.hpp"

namespace grundscan {

namespace {

using nlohmann::ordered_json;

constexpr const char* kSchemaVersion = "2.0";

// Text from outside may hold invalid UTF-8; JSON must not.
std::string clean(const std::string& s) {
    return text::sanitize_utf8(s);
}

ordered_json score_json(const Score& s) {
    ordered_json j;
    j["value"] = s.value ? ordered_json(std::round(*s.value * 10) / 10) : ordered_json(nullptr);
    j["ampel"] = ampel_name(s.ampel);
    j["coverage"] =
        s.coverage ? ordered_json(std::round(*s.coverage * 10) / 10) : ordered_json(nullptr);
    const auto& t = s.tally;
    j["counts"] = {{"pass", t.pass},
                   {"fail", t.fail},
                   {"no_evidence", t.no_evidence},
                   {"not_applicable", t.not_applicable},
                   {"error", t.error},
                   {"waived", t.waived}};
    ordered_json sev = ordered_json::object();
    for (auto s2 : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low}) {
        auto it = t.fails_by_severity.find(s2);
        sev[severity_name(s2)] = it == t.fails_by_severity.end() ? 0 : it->second;
    }
    j["fails_by_severity"] = sev;
    j["weight_pass"] = t.weight_pass;
    j["weight_fail"] = t.weight_fail;
    j["weight_waived"] = t.weight_waived;
    j["value_without_waivers"] = s.value_without_waivers
                                     ? ordered_json(std::round(*s.value_without_waivers * 10) / 10)
                                     : ordered_json(nullptr);
    auto level = [](const LevelTally& l) {
        return ordered_json{{"requirements", l.requirements},
                            {"met", l.met},
                            {"failed", l.failed},
                            {"no_evidence", l.no_evidence},
                            {"waived", l.waived}};
    };
    j["levels"] = {
        {"basis", level(s.basis)}, {"standard", level(s.standard)}, {"erhoeht", level(s.erhoeht)}};
    j["advisory_findings"] = s.advisory_findings;
    return j;
}

ordered_json coverage_json(const BsiCoverage& c) {
    ordered_json bausteine = ordered_json::array();
    for (const auto& b : c.bausteine)
        bausteine.push_back({{"id", b.id},
                             {"title", clean(b.title)},
                             {"modelled", b.modelled},
                             {"checkable", b.checkable},
                             {"checked", b.checked}});
    return {{"modelled", c.modelled},
            {"checkable", c.checkable},
            {"checked", c.checked},
            {"not_checkable", c.not_checkable()},
            {"basis_modelled", c.basis_modelled},
            {"basis_checked", c.basis_checked},
            {"bausteine", bausteine}};
}

ordered_json optional_score(const std::optional<double>& v) {
    return v ? ordered_json(std::round(*v * 10) / 10) : ordered_json(nullptr);
}

ordered_json provenance_json(const Provenance& p) {
    ordered_json j;
    j["source"] = clean(p.source);
    j["line"] = p.line;
    j["collector"] = p.collector;
    j["excerpt"] = clean(p.excerpt);
    return j;
}

ordered_json rule_json(const Rule& r) {
    ordered_json j;
    j["id"] = r.id;
    j["pack"] = r.pack;
    j["title"] = {{"de", r.title.de}, {"en", r.title.en}};
    j["rationale"] = {{"de", r.rationale.de}, {"en", r.rationale.en}};
    j["remediation"] = {{"de", r.remediation.de}, {"en", r.remediation.en}};
    j["references"] = ordered_json::array();
    for (const auto& ref : r.references)
        j["references"].push_back({{"id", ref.id},
                                   {"checks", {{"de", ref.checks.de}, {"en", ref.checks.en}}},
                                   {"closest", ref.closest},
                                   {"kinds", ref.kinds}});
    j["gspp"] = ordered_json::array();
    for (const auto& c : r.gspp) j["gspp"].push_back({{"catalog", c.catalog}, {"id", c.id}});
    j["advisory"] = r.advisory;
    j["module"] = r.module;
    j["level"] = level_name(r.level);
    j["severity"] = severity_name(r.severity);
    j["weight"] = r.weight;
    return j;
}

Expected<std::vector<std::filesystem::path>> write_json(const ScanResult& scan,
                                                        const ReportOptions& options) {
    auto path = options.out_dir / "results.json";
    if (auto s = write_file_atomic(path, results_to_json(scan) + "\n"); !s) return s.error();
    return std::vector<std::filesystem::path>{path};
}

}  // namespace

std::string results_to_json(const ScanResult& scan, int indent) {
    ordered_json j;
    j["schema_version"] = kSchemaVersion;
    j["tool"] = {{"name", "grundscan"}, {"version", scan.tool_version}};
    j["scan"] = {{"started_at", scan.started_at},
                 {"finished_at", scan.finished_at},
                 {"as_of", scan.as_of},
                 {"complete", scan.complete},
                 {"inventory", clean(scan.inventory_file)},
                 {"profile", clean(scan.profile)},
                 {"scan_id", scan.scan_id}};
    j["scoring"] = {{"model", scan.score_model},
                    {"min_coverage", scan.min_coverage},
                    {"formula", std::string(scan.score_model == "weighted"
                                                ? "value = 100 * sum(weight of pass) / sum(weight "
                                                  "of pass and fail)"
                                                : "value = 100 * count(pass) / count(pass and "
                                                  "fail)") +
                                    " (Erfuellungsgrad, for trends only); ampel by BSI level: "
                                    "red = a critical fail or a failed Basis requirement, yellow "
                                    "= a failed Standard requirement or a Basis/Standard "
                                    "requirement without evidence, green = every checked Basis "
                                    "and Standard requirement met, none = nothing decided or "
                                    "coverage below min_coverage"}};
    // The "Datenstand" block: each feed with its data date, age at the Stichtag, coverage and
    // warnings (English; the fields above them are what `report --from` reads back).
    ordered_json feeds = ordered_json::array();
    for (const auto& row : datenstand_rows(scan, Lang::En)) {
        const FeedInfo& f = *row.feed;
        ordered_json warnings = ordered_json::array(), complete_for = ordered_json::array();
        for (const auto& w : row.warnings) warnings.push_back(clean(w));
        for (const auto& r : f.complete_for) complete_for.push_back(clean(r));
        feeds.push_back({{"name", f.name},
                         {"version", clean(f.version)},
                         {"source", clean(f.source)},
                         {"updated", clean(f.updated)},
                         {"data_date", clean(f.data_date)},
                         {"data_date_basis", clean(f.data_date_basis)},
                         {"age_days", row.age_days ? ordered_json(*row.age_days) : ordered_json()},
                         {"max_age_days", f.max_age_days},
                         {"coverage", clean(f.coverage)},
                         {"coverage_note", clean(f.coverage_note)},
                         {"complete_for", complete_for},
                         {"last_error", clean(f.last_error)},
                         {"warnings", warnings}});
    }
    j["feeds"] = feeds;
    ordered_json packs = ordered_json::array();
    for (const auto& p : scan.packs) packs.push_back({{"id", p.id}, {"version", p.version}});
    j["rule_packs"] = packs;
    ordered_json rules = ordered_json::array();
    for (const auto* r : scan.rules) rules.push_back(rule_json(*r));
    j["rules"] = rules;
    j["organisation"] = {{"id", clean(scan.org_id)},
                         {"name", clean(scan.org_name)},
                         {"score", score_json(scan.score)},
                         {"bsi_coverage", coverage_json(scan.coverage)}};
    ordered_json muns = ordered_json::array();
    for (const auto& m : scan.municipalities) {
        ordered_json mj;
        mj["id"] = clean(m.id);
        mj["name"] = clean(m.name);
        mj["ags"] = clean(m.ags);
        mj["score"] = score_json(m.score);
        mj["bsi_coverage"] = coverage_json(m.coverage);
        ordered_json mods = ordered_json::array();
        for (const auto& mod : m.modules)
            mods.push_back({{"module", mod.module}, {"score", score_json(mod.score)}});
        mj["modules"] = mods;
        ordered_json trend = ordered_json::array();
        for (const auto& t : m.trend)
            trend.push_back({{"as_of", t.as_of},
                             {"scan_id", t.scan_id},
                             {"score", optional_score(t.score)},
                             {"ampel", ampel_name(t.ampel)}});
        mj["trend"] = trend;
        // Replacement roadmap ("Ablöse-Roadmap"): OS and software releases by end of support.
        ordered_json roadmap = ordered_json::array();
        for (const auto& r : m.roadmap)
            roadmap.push_back({{"asset", clean(r.asset_id)},
                               {"asset_name", clean(r.asset_name)},
                               {"product", clean(r.product)},
                               {"cycle", clean(r.cycle)},
                               {"eol_date", clean(r.eol_date)},
                               {"extended_until", clean(r.extended_until)},
                               {"phase", clean(r.phase)}});
        mj["roadmap"] = roadmap;
        mj["changes"] = {{"has_previous", m.changes.has_previous},
                         {"previous_scan_id", m.changes.previous_scan_id},
                         {"previous_as_of", m.changes.previous_as_of},
                         {"previous_score", optional_score(m.changes.previous_score)},
                         {"new_failures", m.changes.new_failures},
                         {"fixed", m.changes.fixed},
                         {"still_open", m.changes.still_open}};
        ordered_json assets = ordered_json::array();
        for (const auto& a : m.assets) {
            ordered_json aj;
            aj["id"] = clean(a.id);
            aj["name"] = clean(a.name);
            aj["kind"] = a.kind;
            aj["sources"] = ordered_json::array();
            for (const auto& s : a.sources) aj["sources"].push_back(clean(s));
            aj["fact_count"] = a.fact_count;
            aj["support"] = {{"os_name", clean(a.support.os_name)},
                             {"phase", a.support.phase},
                             {"eol_date", a.support.eol_date},
                             {"extended_until", a.support.extended_until}};
            aj["score"] = score_json(a.score);
            ordered_json issues = ordered_json::array();
            for (const auto& i : a.issues) {
                issues.push_back({{"source", clean(i.source)},
                                  {"collector", i.collector},
                                  {"line", i.line},
                                  {"severity", i.fatal ? "error" : "warning"},
                                  {"message", clean(i.message)}});
            }
            aj["issues"] = issues;
            ordered_json results = ordered_json::array();
            for (const auto& r : a.results) {
                ordered_json rj;
                rj["rule"] = r.rule_id;
                rj["state"] = state_name(r.state);
                rj["message"] = clean(r.message);
                ordered_json ev = ordered_json::array();
                for (const auto& e : r.evidence) {
                    ev.push_back({{"fact", e.fact},
                                  {"value", clean(e.value)},
                                  {"provenance", provenance_json(e.provenance)}});
                }
                rj["evidence"] = ev;
                if (r.waiver) {
                    rj["waiver"] = {{"id", clean(r.waiver->id)},
                                    {"justification", clean(r.waiver->justification)},
                                    {"approver", clean(r.waiver->approver)},
                                    {"decided_on", r.waiver->decided_on},
                                    {"expires", r.waiver->expires},
                                    {"ticket", clean(r.waiver->ticket)}};
                }
                results.push_back(rj);
            }
            aj["results"] = results;
            assets.push_back(aj);
        }
        mj["assets"] = assets;
        muns.push_back(mj);
    }
    j["municipalities"] = muns;
    ordered_json warnings = ordered_json::array();
    for (const auto& w : scan.warnings) warnings.push_back(clean(w));
    j["warnings"] = warnings;
    ordered_json waiver_warnings = ordered_json::array();
    for (const auto& w : scan.waiver_warnings) waiver_warnings.push_back(clean(w));
    j["waiver_warnings"] = waiver_warnings;
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

const ReportWriter& json_report_writer() {
    static const ReportWriter w{
        "json", "results.json: every result with its evidence (versioned schema)", &write_json};
    return w;
}

}  // namespace grundscan
