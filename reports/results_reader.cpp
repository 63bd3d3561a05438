// results.json -> ScanResult (the inverse of reports/json_writer.cpp).
#include "reports/results_reader.hpp"

#include <fstream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/model.hpp"

namespace grundscan {

namespace {

using nlohmann::json;

// A field that is missing or has the wrong type; caught in parse_results_json().
struct BadField {
    std::string message;
};

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::string index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

const json& field(const json& obj, const std::string& path, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end()) throw BadField{"missing field '" + join(path, key) + "'"};
    return *it;
}

[[noreturn]] void wrong_type(const std::string& path, const char* want) {
    throw BadField{"'" + path + "' must be " + want};
}

const json& object(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_object()) wrong_type(join(path, key), "an object");
    return v;
}

const json& array(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_array()) wrong_type(join(path, key), "an array");
    return v;
}

std::string string_value(const json& v, const std::string& path) {
    if (!v.is_string()) wrong_type(path, "a string");
    return v.get<std::string>();
}

std::string str(const json& obj, const std::string& path, const char* key) {
    return string_value(field(obj, path, key), join(path, key));
}

// An optional string field: "" when absent.
std::string opt_str(const json& obj, const std::string& path, const char* key) {
    return obj.contains(key) ? str(obj, path, key) : std::string();
}

double number(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_number()) wrong_type(join(path, key), "a number");
    return v.get<double>();
}

std::optional<double> nullable_number(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_number()) wrong_type(join(path, key), "a number or null");
    return v.get<double>();
}

long long integer(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_number_integer()) wrong_type(join(path, key), "an integer");
    return v.get<long long>();
}

int small_int(const json& obj, const std::string& path, const char* key) {
    long long n = integer(obj, path, key);
    if (n < -2147483647LL || n > 2147483647LL) wrong_type(join(path, key), "a 32-bit integer");
    return static_cast<int>(n);
}

bool boolean(const json& obj, const std::string& path, const char* key) {
    const json& v = field(obj, path, key);
    if (!v.is_boolean()) wrong_type(join(path, key), "true or false");
    return v.get<bool>();
}

std::vector<std::string> strings(const json& obj, const std::string& path, const char* key) {
    const json& a = array(obj, path, key);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < a.size(); ++i)
        out.push_back(string_value(a[i], index(join(path, key), i)));
    return out;
}

template <class T, class Parse>
T enum_value(const json& obj, const std::string& path, const char* key, Parse parse,
             const char* allowed) {
    std::string s = str(obj, path, key);
    auto v = parse(s);
    if (!v) throw BadField{"'" + join(path, key) + "' is '" + s + "', want one of " + allowed};
    return *v;
}

std::optional<Ampel> parse_ampel(std::string_view s) {
    for (auto a : {Ampel::Green, Ampel::Yellow, Ampel::Red, Ampel::None})
        if (s == ampel_name(a)) return a;
    return std::nullopt;
}

Ampel ampel(const json& obj, const std::string& path, const char* key) {
    return enum_value<Ampel>(obj, path, key, parse_ampel, "green, yellow, red, none");
}

LocalText text(const json& obj, const std::string& path, const char* key) {
    const json& t = object(obj, path, key);
    std::string p = join(path, key);
    return LocalText{str(t, p, "de"), str(t, p, "en")};
}

Score read_score(const json& j, const std::string& path) {
    if (!j.is_object()) wrong_type(path, "an object");
    Score s;
    s.value = nullable_number(j, path, "value");
    s.ampel = ampel(j, path, "ampel");
    s.coverage = nullable_number(j, path, "coverage");
    const json& c = object(j, path, "counts");
    std::string cp = join(path, "counts");
    Tally& t = s.tally;
    t.pass = small_int(c, cp, "pass");
    t.fail = small_int(c, cp, "fail");
    t.no_evidence = small_int(c, cp, "no_evidence");
    t.not_applicable = small_int(c, cp, "not_applicable");
    t.error = small_int(c, cp, "error");
    t.waived = small_int(c, cp, "waived");
    const json& f = object(j, path, "fails_by_severity");
    std::string fp = join(path, "fails_by_severity");
    for (auto sev : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low}) {
        int n = small_int(f, fp, severity_name(sev));
        if (n != 0) t.fails_by_severity[sev] = n;
    }
    t.weight_pass = number(j, path, "weight_pass");
    t.weight_fail = number(j, path, "weight_fail");
    if (j.contains("weight_waived")) t.weight_waived = number(j, path, "weight_waived");
    if (j.contains("value_without_waivers"))
        s.value_without_waivers = nullable_number(j, path, "value_without_waivers");
    else if (t.waived == 0)
        s.value_without_waivers = s.value;
    // Requirements by BSI level and advisory findings (schema 2.0; absent in 1.x files).
    if (j.contains("levels")) {
        const json& l = object(j, path, "levels");
        std::string lp = join(path, "levels");
        auto level = [&](const char* key, LevelTally& out) {
            const json& o = object(l, lp, key);
            std::string p = join(lp, key);
            out.requirements = small_int(o, p, "requirements");
            out.met = small_int(o, p, "met");
            out.failed = small_int(o, p, "failed");
            out.no_evidence = small_int(o, p, "no_evidence");
            out.waived = small_int(o, p, "waived");
        };
        level("basis", s.basis);
        level("standard", s.standard);
        level("erhoeht", s.erhoeht);
    }
    if (j.contains("advisory_findings"))
        s.advisory_findings = small_int(j, path, "advisory_findings");
    return s;
}

// Coverage against the modelled Bausteine (schema 2.0); empty when absent (1.x files).
BsiCoverage read_coverage(const json& parent, const std::string& parent_path) {
    BsiCoverage c;
    if (!parent.contains("bsi_coverage")) return c;
    const json& j = object(parent, parent_path, "bsi_coverage");
    std::string path = join(parent_path, "bsi_coverage");
    c.modelled = small_int(j, path, "modelled");
    c.checkable = small_int(j, path, "checkable");
    c.checked = small_int(j, path, "checked");
    c.basis_modelled = small_int(j, path, "basis_modelled");
    c.basis_checked = small_int(j, path, "basis_checked");
    const json& bs = array(j, path, "bausteine");
    for (std::size_t i = 0; i < bs.size(); ++i) {
        std::string bp = index(join(path, "bausteine"), i);
        if (!bs[i].is_object()) wrong_type(bp, "an object");
        BausteinCoverage b;
        b.id = str(bs[i], bp, "id");
        b.title = opt_str(bs[i], bp, "title");
        b.modelled = small_int(bs[i], bp, "modelled");
        b.checkable = small_int(bs[i], bp, "checkable");
        b.checked = small_int(bs[i], bp, "checked");
        c.bausteine.push_back(std::move(b));
    }
    return c;
}

Rule read_rule(const json& j, const std::string& path) {
    if (!j.is_object()) wrong_type(path, "an object");
    Rule r;
    r.id = str(j, path, "id");
    r.pack = str(j, path, "pack");
    r.title = text(j, path, "title");
    r.rationale = text(j, path, "rationale");
    r.remediation = text(j, path, "remediation");
    // schema 1.x: references and gspp are plain id strings (gspp from the Kernel catalog);
    // 2.x: {id, checks, closest} and {catalog, id}.
    const json& refs = array(j, path, "references");
    for (std::size_t i = 0; i < refs.size(); ++i) {
        std::string rp = index(join(path, "references"), i);
        RequirementRef ref;
        if (refs[i].is_string()) {
            ref.id = string_value(refs[i], rp);
        } else {
            ref.id = str(refs[i], rp, "id");
            ref.checks = text(refs[i], rp, "checks");
            ref.closest = boolean(refs[i], rp, "closest");
            if (refs[i].contains("kinds")) ref.kinds = strings(refs[i], rp, "kinds");
        }
        r.references.push_back(std::move(ref));
    }
    const json& controls = array(j, path, "gspp");
    for (std::size_t i = 0; i < controls.size(); ++i) {
        std::string cp = index(join(path, "gspp"), i);
        if (controls[i].is_string())
            r.gspp.push_back(ControlRef{"kernel", string_value(controls[i], cp)});
        else
            r.gspp.push_back(
                ControlRef{str(controls[i], cp, "catalog"), str(controls[i], cp, "id")});
    }
    if (j.contains("advisory")) r.advisory = boolean(j, path, "advisory");
    r.module = str(j, path, "module");
    r.level = enum_value<Level>(j, path, "level", parse_level, "basis, standard, erhoeht");
    r.severity =
        enum_value<Severity>(j, path, "severity", parse_severity, "low, medium, high, critical");
    r.weight = number(j, path, "weight");
    return r;
}

RuleResult read_result(const json& j, const std::string& path) {
    if (!j.is_object()) wrong_type(path, "an object");
    RuleResult r;
    r.rule_id = str(j, path, "rule");
    r.state = enum_value<ResultState>(j, path, "state", parse_state,
                                      "pass, fail, no_evidence, not_applicable, error, waived");
    r.message = str(j, path, "message");
    const json& ev = array(j, path, "evidence");
    for (std::size_t i = 0; i < ev.size(); ++i) {
        std::string ep = index(join(path, "evidence"), i);
        if (!ev[i].is_object()) wrong_type(ep, "an object");
        Evidence e;
        e.fact = str(ev[i], ep, "fact");
        e.value = str(ev[i], ep, "value");
        const json& p = object(ev[i], ep, "provenance");
        std::string pp = join(ep, "provenance");
        e.provenance.source = str(p, pp, "source");
        e.provenance.line = small_int(p, pp, "line");
        e.provenance.collector = str(p, pp, "collector");
        e.provenance.excerpt = str(p, pp, "excerpt");
        r.evidence.push_back(std::move(e));
    }
    if (j.contains("waiver") && !j["waiver"].is_null()) {
        const json& w = object(j, path, "waiver");
        std::string wp = join(path, "waiver");
        WaiverRef ref;
        ref.id = str(w, wp, "id");
        ref.justification = opt_str(w, wp, "justification");
        ref.approver = opt_str(w, wp, "approver");
        ref.decided_on = opt_str(w, wp, "decided_on");
        ref.expires = opt_str(w, wp, "expires");
        ref.ticket = opt_str(w, wp, "ticket");
        r.waiver = std::move(ref);
    }
    return r;
}

AssetResult read_asset(const json& j, const std::string& path) {
    if (!j.is_object()) wrong_type(path, "an object");
    AssetResult a;
    a.id = str(j, path, "id");
    a.name = str(j, path, "name");
    a.kind = str(j, path, "kind");
    a.sources = strings(j, path, "sources");
    long long fc = integer(j, path, "fact_count");
    if (fc < 0) wrong_type(join(path, "fact_count"), "a non-negative integer");
    a.fact_count = static_cast<std::size_t>(fc);
    a.score = read_score(field(j, path, "score"), join(path, "score"));
    const json& issues = array(j, path, "issues");
    for (std::size_t i = 0; i < issues.size(); ++i) {
        std::string ip = index(join(path, "issues"), i);
        if (!issues[i].is_object()) wrong_type(ip, "an object");
        SourceIssue issue;
        issue.source = str(issues[i], ip, "source");
        issue.collector = str(issues[i], ip, "collector");
        issue.line = small_int(issues[i], ip, "line");
        std::string sev = str(issues[i], ip, "severity");
        if (sev != "error" && sev != "warning")
            throw BadField{"'" + join(ip, "severity") + "' is '" + sev +
                           "', want one of error, warning"};
        issue.fatal = sev == "error";
        issue.message = str(issues[i], ip, "message");
        a.issues.push_back(std::move(issue));
    }
    const json& results = array(j, path, "results");
    for (std::size_t i = 0; i < results.size(); ++i)
        a.results.push_back(read_result(results[i], index(join(path, "results"), i)));
    if (j.contains("support") && !j["support"].is_null()) {
        const json& s = object(j, path, "support");
        std::string sp = join(path, "support");
        a.support = SupportInfo{opt_str(s, sp, "os_name"), opt_str(s, sp, "phase"),
                                opt_str(s, sp, "eol_date"), opt_str(s, sp, "extended_until")};
    }
    return a;
}

MunicipalityResult read_municipality(const json& j, const std::string& path) {
    if (!j.is_object()) wrong_type(path, "an object");
    MunicipalityResult m;
    m.id = str(j, path, "id");
    m.name = str(j, path, "name");
    m.ags = str(j, path, "ags");
    m.score = read_score(field(j, path, "score"), join(path, "score"));
    m.coverage = read_coverage(j, path);
    const json& mods = array(j, path, "modules");
    for (std::size_t i = 0; i < mods.size(); ++i) {
        std::string mp = index(join(path, "modules"), i);
        if (!mods[i].is_object()) wrong_type(mp, "an object");
        m.modules.push_back(
            ModuleScore{str(mods[i], mp, "module"),
                        read_score(field(mods[i], mp, "score"), join(mp, "score"))});
    }
    const json& assets = array(j, path, "assets");
    for (std::size_t i = 0; i < assets.size(); ++i)
        m.assets.push_back(read_asset(assets[i], index(join(path, "assets"), i)));
    if (j.contains("trend")) {
        const json& trend = array(j, path, "trend");
        for (std::size_t i = 0; i < trend.size(); ++i) {
            std::string tp = index(join(path, "trend"), i);
            if (!trend[i].is_object()) wrong_type(tp, "an object");
            TrendPoint t;
            t.as_of = str(trend[i], tp, "as_of");
            t.scan_id = opt_str(trend[i], tp, "scan_id");
            t.score = nullable_number(trend[i], tp, "score");
            t.ampel = ampel(trend[i], tp, "ampel");
            m.trend.push_back(std::move(t));
        }
    }
    if (j.contains("roadmap")) {
        const json& roadmap = array(j, path, "roadmap");
        for (std::size_t i = 0; i < roadmap.size(); ++i) {
            std::string rp = index(join(path, "roadmap"), i);
            if (!roadmap[i].is_object()) wrong_type(rp, "an object");
            RoadmapEntry r;
            r.asset_id = str(roadmap[i], rp, "asset");
            r.asset_name = opt_str(roadmap[i], rp, "asset_name");
            r.product = str(roadmap[i], rp, "product");
            r.cycle = opt_str(roadmap[i], rp, "cycle");
            r.eol_date = opt_str(roadmap[i], rp, "eol_date");
            r.extended_until = opt_str(roadmap[i], rp, "extended_until");
            r.phase = opt_str(roadmap[i], rp, "phase");
            m.roadmap.push_back(std::move(r));
        }
    }
    if (j.contains("changes") && !j["changes"].is_null()) {
        const json& c = object(j, path, "changes");
        std::string cp = join(path, "changes");
        ChangeSummary& ch = m.changes;
        ch.has_previous = boolean(c, cp, "has_previous");
        ch.previous_scan_id = opt_str(c, cp, "previous_scan_id");
        ch.previous_as_of = opt_str(c, cp, "previous_as_of");
        if (c.contains("previous_score"))
            ch.previous_score = nullable_number(c, cp, "previous_score");
        if (c.contains("new_failures")) ch.new_failures = small_int(c, cp, "new_failures");
        if (c.contains("fixed")) ch.fixed = small_int(c, cp, "fixed");
        if (c.contains("still_open")) ch.still_open = small_int(c, cp, "still_open");
    }
    return m;
}

ScanResult read_scan(const json& root) {
    if (!root.is_object()) throw BadField{"the document must be a JSON object"};
    std::string version = str(root, "", "schema_version");
    auto major = version.substr(0, version.find('.'));
    if (major != "1" && major != "2")
        throw BadField{"unsupported schema_version '" + version +
                       "' (this grundscan reads 1.x and 2.x; use the grundscan that wrote the "
                       "file)"};
    ScanResult scan;
    const json& tool = object(root, "", "tool");
    scan.tool_version = str(tool, "tool", "version");
    const json& s = object(root, "", "scan");
    scan.started_at = str(s, "scan", "started_at");
    scan.finished_at = str(s, "scan", "finished_at");
    scan.as_of = str(s, "scan", "as_of");
    scan.complete = boolean(s, "scan", "complete");
    scan.inventory_file = str(s, "scan", "inventory");
    scan.profile = str(s, "scan", "profile");
    scan.scan_id = opt_str(s, "scan", "scan_id");
    const json& sc = object(root, "", "scoring");
    scan.score_model = str(sc, "scoring", "model");
    // green_threshold / yellow_threshold of 1.x files are ignored: the Ampel follows the BSI
    // levels now (docs/scoring.md).
    scan.min_coverage = number(sc, "scoring", "min_coverage");
    if (root.contains("feeds") && root["feeds"].is_array()) {
        const json& feeds = root["feeds"];
        for (std::size_t i = 0; i < feeds.size(); ++i) {
            std::string fp = index("feeds", i);
            if (!feeds[i].is_object()) wrong_type(fp, "an object");
            const json& fj = feeds[i];
            FeedInfo f;
            f.name = str(fj, fp, "name");
            f.version = str(fj, fp, "version");
            f.source = str(fj, fp, "source");
            f.updated = str(fj, fp, "updated");
            // Datenstand fields (absent in files from before they existed).
            f.data_date = opt_str(fj, fp, "data_date");
            f.data_date_basis = opt_str(fj, fp, "data_date_basis");
            f.coverage = opt_str(fj, fp, "coverage");
            f.coverage_note = opt_str(fj, fp, "coverage_note");
            f.last_error = opt_str(fj, fp, "last_error");
            if (fj.contains("complete_for")) f.complete_for = strings(fj, fp, "complete_for");
            if (fj.contains("max_age_days")) f.max_age_days = small_int(fj, fp, "max_age_days");
            scan.feeds.push_back(std::move(f));
        }
    }
    const json& packs = array(root, "", "rule_packs");
    for (std::size_t i = 0; i < packs.size(); ++i) {
        std::string pp = index("rule_packs", i);
        if (!packs[i].is_object()) wrong_type(pp, "an object");
        scan.packs.push_back(RulePackInfo{str(packs[i], pp, "id"), str(packs[i], pp, "version")});
    }
    const json& rules = array(root, "", "rules");
    std::vector<Rule> owned;
    owned.reserve(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i)
        owned.push_back(read_rule(rules[i], index("rules", i)));
    auto shared = std::make_shared<const std::vector<Rule>>(std::move(owned));
    for (const auto& r : *shared) scan.rules.push_back(&r);
    scan.owned_rules = std::move(shared);
    const json& org = object(root, "", "organisation");
    scan.org_id = str(org, "organisation", "id");
    scan.org_name = str(org, "organisation", "name");
    scan.score = read_score(field(org, "organisation", "score"), "organisation.score");
    scan.coverage = read_coverage(org, "organisation");
    const json& muns = array(root, "", "municipalities");
    for (std::size_t i = 0; i < muns.size(); ++i)
        scan.municipalities.push_back(read_municipality(muns[i], index("municipalities", i)));
    scan.warnings = strings(root, "", "warnings");
    if (root.contains("waiver_warnings"))
        scan.waiver_warnings = strings(root, "", "waiver_warnings");
    return scan;
}

}  // namespace

Expected<ScanResult> parse_results_json(std::string_view text, const std::string& name) {
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        return Error("not valid JSON: " + std::string(e.what()), name);
    }
    try {
        return read_scan(root);
    } catch (const BadField& e) {
        return Error(e.message, name);
    } catch (const json::exception& e) {  // e.g. a number out of range
        return Error(e.what(), name);
    }
}

Expected<ScanResult> read_results_json(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return Error(std::filesystem::exists(path, ec) ? "not a regular file" : "not found",
                     path.string());
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error("cannot open for reading", path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Error("read error", path.string());
    return parse_results_json(ss.str(), path.string());
}

}  // namespace grundscan
