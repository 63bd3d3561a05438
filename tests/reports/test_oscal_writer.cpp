// The OSCAL assessment-results writer: required fields of the OSCAL 1.1.2 model, UUID and
// timestamp formats, Grundschutz++ targets, observations with evidence, determinism.
// (Validation against the official JSON schema runs in tests/cli/report_from.sh when
// tests/fixtures/schemas/oscal_assessment-results_schema.json is present.)
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "reports/grundschutz_check.hpp"
#include "reports/writer.hpp"
#include "rules/bsi_catalog.hpp"
#include "rules/scoring.hpp"
#include "tests/reports/sample_scan.hpp"
#include "tests/test_support.hpp"

namespace grundscan {

// Declared in reports/writer.hpp once the writer is registered; repeated here so the test
// builds either way.
const ReportWriter& oscal_report_writer();
std::string results_to_oscal(const ScanResult& scan, Lang lang);
std::string oscal_uuid5(const std::string& name);

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// OSCAL 1.1.2 UUIDDatatype (RFC 4122 version 4 or 5) and DateTimeWithTimezoneDatatype (simplified).
const std::regex kUuid(
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$");
const std::regex kDateTime(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$)");
const std::regex kToken(R"(^[A-Za-z_][A-Za-z0-9._-]*$)");

Rule make_rule(const std::string& id, std::vector<std::string> refs, std::vector<std::string> gspp,
               Severity sev) {
    Rule r;
    r.id = id;
    r.pack = "grundschutz-basis";
    r.references = testing::requirement_refs(refs);
    r.module = refs.front().substr(0, refs.front().rfind(".A"));
    r.gspp = testing::kernel_controls(gspp);
    r.severity = sev;
    r.title = {"Titel " + id, "Title " + id};
    r.remediation = {"Maßnahme " + id, "Remediation " + id};
    return r;
}

using testing::min_length_pass;
using testing::result;

class OscalWriterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = testing::fresh_test_dir("grundscan-oscal");
        auto o = testing::SampleOptions::late();
        o.client_name = "  Arbeitsplatz\n2 \xff ";
        o.server_results = {
            min_length_pass("GS-ORP4-PW-MINLEN", "14 >= 12", "14", "exports/srv-01/secedit.inf",
                            "MinimumPasswordLength = 14"),
            result("GS-OPS113-OS-SUPPORTED", ResultState::Pass, "supported until 2031"),
            result("GS-CON3-BACKUP", ResultState::Fail, "no backup job")};
        o.client_results = {result("GS-ORP4-PW-MINLEN", ResultState::Fail, "8 < 12"),
                            result("GS-OPS113-OS-SUPPORTED", ResultState::NoEvidence, "none"),
                            result("GS-CON3-BACKUP", ResultState::NotApplicable, "client")};
        sample_ = testing::make_sample_scan(
            {make_rule("GS-ORP4-PW-MINLEN", {"ORP.4.A8"}, {"BER.6.4"}, Severity::High),
             make_rule("GS-OPS113-OS-SUPPORTED", {"OPS.1.1.3.A1"}, {"DET.5.10", "ASST.5.2"},
                       Severity::Critical),
             make_rule("GS-CON3-BACKUP", {"CON.3.A1"}, {}, Severity::Low)},
            o);
        score_scan(scan_, ScoringConfig{});
    }

    void TearDown() override { fs::remove_all(dir_); }

    json doc(Lang lang = Lang::De) { return json::parse(results_to_oscal(scan_, lang)); }
    json ar() { return doc()["assessment-results"]; }

    static const json* finding_for(const json& findings, const std::string& target_id) {
        for (const auto& f : findings)
            if (f["target"]["target-id"] == target_id) return &f;
        return nullptr;
    }

    fs::path dir_;
    testing::SampleScan sample_;
    ScanResult& scan_ = sample_.scan;
};

// Walks the document and checks every "uuid"-like value and every prop.
void check_all(const json& j, std::set<std::string>& defined, std::vector<std::string>& refs) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            if (k == "uuid") {
                EXPECT_TRUE(std::regex_match(it->get<std::string>(), kUuid)) << *it;
                EXPECT_TRUE(defined.insert(it->get<std::string>()).second) << "duplicate " << *it;
            } else if (k == "subject-uuid" || k == "observation-uuid") {
                refs.push_back(it->get<std::string>());
            } else if (k == "props") {
                ASSERT_TRUE(it->is_array());
                EXPECT_FALSE(it->empty());
                for (const auto& p : *it) {
                    std::string v = p["value"].get<std::string>();
                    EXPECT_TRUE(std::regex_match(p["name"].get<std::string>(), kToken)) << p;
                    EXPECT_FALSE(v.empty());
                    EXPECT_NE(v.front(), ' ') << p;
                    EXPECT_NE(v.back(), ' ') << p;
                    EXPECT_EQ(v.find('\n'), std::string::npos) << p;
                }
            }
            if (it->is_array()) {
                EXPECT_FALSE(it->empty()) << k << ": OSCAL arrays need minItems 1";
            }
            check_all(*it, defined, refs);
        }
    } else if (j.is_array()) {
        for (const auto& e : j) check_all(e, defined, refs);
    }
}

TEST(OscalUuid, IsRfc4122Version5) {
    EXPECT_EQ(oscal_uuid5("x"), "420a8ab9-6f67-5e33-b9c1-9da62d4308f6");
    EXPECT_EQ(oscal_uuid5(""), "cb73570a-e953-5d0a-a805-885cbe085fd7");
    EXPECT_EQ(oscal_uuid5(std::string(100, 'a')), "3251c5fe-475b-528d-bd94-22ab082c8c98");
}

TEST_F(OscalWriterTest, RequiredTopLevelFields) {
    json d = doc();
    ASSERT_EQ(d.size(), 1u);
    json a = d["assessment-results"];
    EXPECT_TRUE(std::regex_match(a["uuid"].get<std::string>(), kUuid));
    const json& md = a["metadata"];
    EXPECT_NE(md["title"].get<std::string>().find("Landkreis Muster"), std::string::npos);
    EXPECT_TRUE(std::regex_match(md["last-modified"].get<std::string>(), kDateTime));
    EXPECT_EQ(md["version"], "2026-11-23");
    EXPECT_EQ(md["oscal-version"], "1.1.2");
    ASSERT_GE(md["parties"].size(), 2u);
    EXPECT_EQ(md["parties"][0]["type"], "organization");
    EXPECT_EQ(md["parties"][0]["name"], "Landkreis Muster");
    EXPECT_EQ(md["parties"][1]["member-of-organizations"][0], md["parties"][0]["uuid"]);
    // import-ap points at the plan described in back-matter.
    std::string href = a["import-ap"]["href"];
    ASSERT_EQ(href.front(), '#');
    EXPECT_EQ(a["back-matter"]["resources"][0]["uuid"], href.substr(1));
    ASSERT_EQ(a["results"].size(), 1u);
    const json& r = a["results"][0];
    for (const char* k : {"uuid", "title", "description", "start", "reviewed-controls"})
        EXPECT_TRUE(r.contains(k)) << k;
    EXPECT_EQ(r["start"], "2026-11-23T08:00:00Z");
    EXPECT_EQ(r["end"], "2026-11-23T08:00:07Z");
}

TEST_F(OscalWriterTest, AllUuidsValidUniqueAndReferencesResolve) {
    std::set<std::string> defined;
    std::vector<std::string> refs;
    check_all(doc(), defined, refs);
    EXPECT_FALSE(refs.empty());
    for (const auto& r : refs) EXPECT_TRUE(defined.count(r)) << "dangling reference " << r;
}

// The value of the prop `name` (first one), or "".
std::string prop_value(const json& obj, const std::string& name) {
    if (!obj.contains("props")) return {};
    for (const auto& p : obj["props"])
        if (p["name"] == name) return p["value"];
    return {};
}

TEST_F(OscalWriterTest, ReviewedControlsListEveryReferencedControlPerCatalog) {
    const json sel = ar()["results"][0]["reviewed-controls"]["control-selections"];
    ASSERT_EQ(sel.size(), 2u);  // Grundschutz++ Kernel, Edition 2023 (Grundschutz-Check)
    std::map<std::string, std::set<std::string>> ids;
    for (const auto& s : sel)
        for (const auto& c : s["include-controls"])
            ids[prop_value(s, "catalog")].insert(c["control-id"]);
    EXPECT_EQ(ids["kernel"], (std::set<std::string>{"ASST.5.2", "BER.6.4", "DET.5.10"}));
    EXPECT_EQ(ids["it-grundschutz-2023"],
              (std::set<std::string>{"CON.3.A1", "OPS.1.1.3.A1", "ORP.4.A8"}));
    EXPECT_EQ(sel[0]["props"][0]["class"], "grundschutz-plus-plus");
    EXPECT_EQ(sel[1]["props"][0]["class"], "it-grundschutz-2023");
}

TEST_F(OscalWriterTest, SameControlIdInTwoCatalogsStaysDistinct) {
    // KONF.14.1.2 is end-to-end encryption in the Kernel and HTTPS for web servers in the
    // Mindeststandard TLS.
    sample_.rules[0].gspp.push_back(ControlRef{"kernel", "KONF.14.1.2"});
    sample_.rules[1].gspp.push_back(ControlRef{"mindeststandard-tls", "KONF.14.1.2"});
    const json r = ar()["results"][0];
    std::vector<json> konf;
    for (const auto& f : r["findings"])
        if (f["target"]["target-id"] == "KONF.14.1.2_stm" && prop_value(f, "rule-id").empty())
            konf.push_back(f);
    ASSERT_EQ(konf.size(), 2u);
    EXPECT_NE(konf[0]["uuid"], konf[1]["uuid"]);
    std::set<std::string> catalogs, qualified;
    for (const auto& f : konf) {
        catalogs.insert(prop_value(f["target"], "catalog"));
        qualified.insert(prop_value(f, "grundschutz-plus-plus"));
        ASSERT_EQ(f["target"]["links"].size(), 1u);
        EXPECT_EQ(f["target"]["links"][0]["rel"], "reference");
    }
    EXPECT_EQ(catalogs, (std::set<std::string>{"kernel", "mindeststandard-tls"}));
    EXPECT_EQ(qualified,
              (std::set<std::string>{"kernel:KONF.14.1.2", "mindeststandard-tls:KONF.14.1.2"}));
    EXPECT_EQ(konf[0]["title"], "Grundschutz++ KONF.14.1.2 (Kernel)");
    // Each target links to its catalog's resource in back-matter.
    std::set<std::string> resources;
    const json whole = doc();
    for (const auto& res : whole["assessment-results"]["back-matter"]["resources"])
        resources.insert("#" + res["uuid"].get<std::string>());
    for (const auto& f : konf) EXPECT_TRUE(resources.count(f["target"]["links"][0]["href"]));
    EXPECT_NE(konf[0]["target"]["links"][0]["href"], konf[1]["target"]["links"][0]["href"]);
    std::size_t selections = r["reviewed-controls"]["control-selections"].size();
    EXPECT_EQ(selections, 3u);  // kernel, mindeststandard-tls, Edition 2023
    std::set<std::string> defined;
    std::vector<std::string> refs;
    check_all(doc(), defined, refs);
}

TEST_F(OscalWriterTest, GrundschutzCheckStatusPerTargetAndRequirement) {
    auto catalog = BsiCatalog::load(testing::source_dir() / "rules" / "catalogs");
    ASSERT_TRUE(catalog) << catalog.error().describe();
    scan_.catalog = std::make_shared<const BsiCatalog>(std::move(*catalog));
    const json r = ar()["results"][0];
    std::vector<json> check;
    for (const auto& f : r["findings"])
        if (!prop_value(f, "gs-check-status").empty()) check.push_back(f);
    EXPECT_EQ(check.size(), grundschutz_check_rows(scan_).size());
    auto find = [&](const std::string& target, const std::string& req) -> const json* {
        for (const auto& f : check)
            if (prop_value(f, "zielobjekt") == target && f["target"]["target-id"] == req) return &f;
        return nullptr;
    };
    // ORP.4.A8: the server passes, the client fails.
    const json* srv = find("musterstadt/srv-01", "ORP.4.A8");
    ASSERT_NE(srv, nullptr);
    EXPECT_EQ(prop_value(*srv, "gs-check-status"), "ja");
    EXPECT_EQ(prop_value(*srv, "it-grundschutz-2023"), "ORP.4.A8");
    EXPECT_EQ(prop_value(*srv, "level"), "basis");
    EXPECT_EQ(prop_value(*srv, "check-rule"), "GS-ORP4-PW-MINLEN");
    EXPECT_EQ((*srv)["target"]["type"], "objective-id");
    EXPECT_EQ(prop_value((*srv)["target"], "catalog"), "it-grundschutz-2023");
    EXPECT_EQ((*srv)["target"]["status"]["state"], "satisfied");
    EXPECT_EQ((*srv)["target"]["implementation-status"]["state"], "implemented");
    EXPECT_EQ((*srv)["related-observations"].size(), 1u);
    const json* ws = find("musterstadt/ws-02", "ORP.4.A8");
    ASSERT_NE(ws, nullptr);
    EXPECT_EQ(prop_value(*ws, "gs-check-status"), "nein");
    EXPECT_EQ((*ws)["target"]["status"]["state"], "not-satisfied");
    const json* verbund = find("musterstadt", "ORP.4.A8");
    ASSERT_NE(verbund, nullptr);
    EXPECT_EQ(prop_value(*verbund, "gs-check-status"), "teilweise");
    EXPECT_EQ(prop_value(*verbund, "zielobjekt-typ"), "informationsverbund");
    EXPECT_EQ((*verbund)["related-observations"].size(), 2u);
    // Organisational requirements: not checked, no observations.
    const json* isms = find("musterstadt", "ISMS.1.A1");
    ASSERT_NE(isms, nullptr);
    EXPECT_EQ(prop_value(*isms, "gs-check-status"), "nicht-geprueft");
    EXPECT_EQ(prop_value(*isms, "automated"), "false");
    EXPECT_FALSE(isms->contains("related-observations"));
    EXPECT_EQ((*isms)["target"]["status"]["reason"], "other");
    std::set<std::string> defined;
    std::vector<std::string> refs;
    check_all(doc(), defined, refs);
    for (const auto& ref : refs) EXPECT_TRUE(defined.count(ref)) << "dangling reference " << ref;
}

TEST_F(OscalWriterTest, ControlFindingsAggregateDecidedResults) {
    const json findings = ar()["results"][0]["findings"];
    // BER.6.4: one pass (srv-01), one fail (ws-02) -> not satisfied.
    const json* ber = finding_for(findings, "BER.6.4_stm");
    ASSERT_NE(ber, nullptr);
    EXPECT_EQ((*ber)["target"]["type"], "statement-id");
    EXPECT_EQ((*ber)["target"]["status"]["state"], "not-satisfied");
    EXPECT_EQ((*ber)["related-observations"].size(), 2u);
    // DET.5.10: one pass, one no-evidence (not decided) -> satisfied by the pass.
    const json* det = finding_for(findings, "DET.5.10_stm");
    ASSERT_NE(det, nullptr);
    EXPECT_EQ((*det)["target"]["status"]["state"], "satisfied");
    EXPECT_EQ((*det)["related-observations"].size(), 1u);
    EXPECT_NE(finding_for(findings, "ASST.5.2_stm"), nullptr);
    for (const auto& f : findings) {
        for (const char* k : {"uuid", "title", "description", "target"})
            EXPECT_TRUE(f.contains(k)) << k;
        EXPECT_TRUE(std::regex_match(f["target"]["target-id"].get<std::string>(), kToken));
        std::string state = f["target"]["status"]["state"];
        EXPECT_TRUE(state == "satisfied" || state == "not-satisfied") << state;
    }
}

TEST_F(OscalWriterTest, FailedResultsAreFindingsRulesWithoutGsppUseProps) {
    const json findings = ar()["results"][0]["findings"];
    int failures = 0;
    for (const auto& f : findings) {
        bool is_failure = false;
        for (const auto& p : f["props"])
            if (p["name"] == "rule-id") is_failure = true;
        if (!is_failure) continue;
        ++failures;
        EXPECT_EQ(f["target"]["status"]["state"], "not-satisfied");
        EXPECT_EQ(f["related-observations"].size(), 1u);
    }
    EXPECT_EQ(failures, 2);  // srv-01 backup, ws-02 password length
    const json* backup = finding_for(findings, "GS-CON3-BACKUP");
    ASSERT_NE(backup, nullptr);
    EXPECT_EQ((*backup)["target"]["type"], "objective-id");
    bool edition = false;
    for (const auto& p : (*backup)["props"])
        if (p["name"] == "it-grundschutz-2023" && p["value"] == "CON.3.A1") edition = true;
    EXPECT_TRUE(edition);
    EXPECT_EQ((*backup)["remarks"], "Maßnahme: Maßnahme GS-CON3-BACKUP");
}

TEST_F(OscalWriterTest, ObservationsPerEvaluatedResultWithEvidence) {
    const json r = ar()["results"][0];
    const json& obs = r["observations"];
    EXPECT_EQ(obs.size(), 5u);  // 6 results, one not applicable
    const json& items = r["local-definitions"]["inventory-items"];
    ASSERT_EQ(items.size(), 2u);
    bool municipality = false, kind = false;
    for (const auto& p : items[0]["props"]) {
        if (p["name"] == "municipality" && p["value"] == "musterstadt") municipality = true;
        if (p["name"] == "kind" && p["value"] == "windows-server") kind = true;
    }
    EXPECT_TRUE(municipality);
    EXPECT_TRUE(kind);
    EXPECT_EQ(items[1]["description"], "Arbeitsplatz 2 \xef\xbf\xbd");
    for (const auto& o : obs) {
        for (const char* k : {"uuid", "description", "methods", "collected"})
            EXPECT_TRUE(o.contains(k)) << k;
        EXPECT_EQ(o["methods"], json::array({"TEST"}));
        EXPECT_EQ(o["subjects"][0]["type"], "inventory-item");
        EXPECT_TRUE(std::regex_match(o["collected"].get<std::string>(), kDateTime));
    }
    EXPECT_EQ(obs[0]["subjects"][0]["subject-uuid"], items[0]["uuid"]);
    EXPECT_EQ(obs[0]["relevant-evidence"][0]["description"],
              "exports/srv-01/secedit.inf:14: MinimumPasswordLength = 14");
    EXPECT_FALSE(obs[1].contains("relevant-evidence"));
}

TEST_F(OscalWriterTest, RoadmapLinesAreExaminedObservationsOfTheirSystem) {
    scan_.municipalities.front().roadmap = {
        {"ws-02", "Arbeitsplatz 2", "windows", "10-22h2", "2025-10-14", "2028-10-10", "extended"},
        {"srv-01", "", "php", "8.1", "2025-12-31", "", "ended"}};
    const json r = ar()["results"][0];
    std::vector<json> roadmap;
    for (const auto& o : r["observations"])
        if (o["methods"] == json::array({"EXAMINE"})) roadmap.push_back(o);
    ASSERT_EQ(roadmap.size(), 2u);
    EXPECT_EQ(r["observations"].size(), 7u);  // 5 tested + 2 roadmap lines
    EXPECT_EQ(roadmap[0]["title"], "Ablöse-Roadmap: Windows 10-22h2 – Arbeitsplatz 2");
    EXPECT_EQ(roadmap[0]["description"],
              "nur noch erweiterte Unterstützung; Supportende 2025-10-14; erweiterte Unterstützung "
              "bis 2028-10-10");
    EXPECT_EQ(roadmap[1]["title"], "Ablöse-Roadmap: PHP 8.1 – srv-01");
    const json& items = r["local-definitions"]["inventory-items"];
    EXPECT_EQ(roadmap[0]["subjects"][0]["subject-uuid"], items[1]["uuid"]);  // ws-02
    EXPECT_EQ(roadmap[1]["subjects"][0]["subject-uuid"], items[0]["uuid"]);  // srv-01
    std::map<std::string, std::string> props;
    for (const auto& p : roadmap[0]["props"]) props[p["name"]] = p["value"];
    EXPECT_EQ(props["roadmap-product"], "windows");
    EXPECT_EQ(props["support-phase"], "extended");
    EXPECT_EQ(props["extended-support-until"], "2028-10-10");
    std::set<std::string> defined;
    std::vector<std::string> refs;
    check_all(doc(), defined, refs);
}

TEST_F(OscalWriterTest, DeterministicAndLanguageAware) {
    EXPECT_EQ(results_to_oscal(scan_, Lang::De), results_to_oscal(scan_, Lang::De));
    json de = doc(Lang::De), en = doc(Lang::En);
    EXPECT_EQ(de["assessment-results"]["uuid"], en["assessment-results"]["uuid"]);
    EXPECT_NE(de["assessment-results"]["results"][0]["title"],
              en["assessment-results"]["results"][0]["title"]);
    // Another scan (other start time) gets other UUIDs.
    std::string before = de["assessment-results"]["uuid"];
    scan_.started_at = "2026-11-24T08:00:00Z";
    EXPECT_NE(doc()["assessment-results"]["uuid"], before);
}

TEST_F(OscalWriterTest, MissingTimestampsFallBackToTheStichtag) {
    scan_.started_at.clear();
    scan_.finished_at = "garbage";
    json r = ar()["results"][0];
    EXPECT_EQ(r["start"], "2026-11-23T00:00:00Z");
    EXPECT_EQ(r["end"], "2026-11-23T00:00:00Z");
}

TEST_F(OscalWriterTest, NoRulesNoFindings) {
    ScanResult empty;
    empty.org_id = "x";
    json d = json::parse(results_to_oscal(empty, Lang::En));
    const json& r = d["assessment-results"]["results"][0];
    EXPECT_FALSE(r.contains("findings"));
    EXPECT_FALSE(r.contains("observations"));
    EXPECT_TRUE(r["reviewed-controls"]["control-selections"][0].contains("description"));
    std::set<std::string> defined;
    std::vector<std::string> refs;
    check_all(d, defined, refs);
}

TEST_F(OscalWriterTest, WriterWritesOneFile) {
    ReportOptions o;
    o.out_dir = dir_;
    auto written = oscal_report_writer().write(scan_, o);
    ASSERT_TRUE(written.ok()) << written.error().describe();
    ASSERT_EQ(written->size(), 1u);
    EXPECT_EQ((*written)[0], dir_ / "oscal-assessment-results.json");
    std::ifstream in((*written)[0]);
    EXPECT_EQ(json::parse(in), doc());
    EXPECT_EQ(oscal_report_writer().format, "oscal");
}

}  // namespace
}  // namespace grundscan
