// results.json -> ScanResult: the inverse of results_to_json (round trip byte-identical), fields
// the writer may add later, and errors that name the file and the JSON path.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "reports/results_reader.hpp"
#include "reports/writer.hpp"
#include "rules/scoring.hpp"
#include "tests/reports/sample_scan.hpp"

namespace grundscan {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

Rule make_rule(const std::string& id, const std::string& module, Severity sev, double weight,
               std::vector<std::string> gspp) {
    Rule r;
    r.id = id;
    r.pack = "grundschutz-basis";
    r.module = module;
    r.references = testing::requirement_refs({module + ".A8"});
    r.gspp = testing::kernel_controls(gspp);
    r.severity = sev;
    r.weight = weight;
    r.level = Level::Standard;
    r.title = {"Titel " + id + " <ä>", "Title " + id};
    r.rationale = {"Begründung\nzweite Zeile", "Rationale"};
    r.remediation = {"Maßnahme", "Remediation"};
    return r;
}

using testing::min_length_pass;
using testing::result;

class ResultsReaderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = testing::fresh_test_dir("grundscan-reader");
        fs::create_directories(dir_);

        auto o = testing::SampleOptions::late();
        RuleResult pass =
            min_length_pass("GS-ORP4-PW-MINLEN", "14 >= 12", "14", "exports/srv-01/secedit.inf",
                            "MinimumPasswordLength = 14");
        pass.evidence.push_back(Evidence{"os.name",
                                         "Windows Server 2022",
                                         {"exports/srv-01/systeminfo.txt", 0, "systeminfo", ""}});
        o.server_results = {
            pass, result("GS-OPS113-OS-SUPPORTED", ResultState::Fail, "support ended 2025-10-14"),
            result("GS-CON3-BACKUP", ResultState::NoEvidence, "no export")};
        o.client_results = {result("GS-ORP4-PW-MINLEN", ResultState::Fail, "8 < 12"),
                            result("GS-OPS113-OS-SUPPORTED", ResultState::Error, "unreadable"),
                            result("GS-CON3-BACKUP", ResultState::NotApplicable, "client")};
        sample_ = testing::make_sample_scan(
            {make_rule("GS-ORP4-PW-MINLEN", "ORP.4", Severity::High, 2.5, {"BER.6.4"}),
             make_rule("GS-OPS113-OS-SUPPORTED", "OPS.1.1.3", Severity::Critical, 3,
                       {"DET.5.10", "ASST.5.2"}),
             make_rule("GS-CON3-BACKUP", "CON.3", Severity::Low, 1, {})},
            o);

        scan_.complete = true;
        scan_.inventory_file = "examples/landkreis/inventory.yaml";
        scan_.profile = "profile.yaml";
        scan_.min_coverage = 40;
        scan_.packs.push_back({"web", "1.0"});
        scan_.warnings = {"feed is old", "second warning"};

        auto& a1 = sample_.server();
        a1.sources = {"exports/srv-01/secedit.inf", "exports/srv-01/systeminfo.txt"};
        a1.fact_count = 17;
        a1.issues.push_back(SourceIssue{"exports/x.inf", "secedit-inf", "odd line", 7, false});
        a1.issues.push_back(SourceIssue{"broken.inf", "", "unreadable", 0, true});
        MunicipalityResult empty;
        empty.id = "leer";
        empty.name = "Leerdorf";
        scan_.municipalities.push_back(empty);
        score_scan(scan_, ScoringConfig{ScoreModel::Weighted, 40});
        // BSI coverage as a scan with the catalogue computes it (the sample has none).
        BsiCoverage cov;
        cov.bausteine = {{"ORP.4", "Identitäts- und Berechtigungsmanagement", 18, 4, 3},
                         {"CON.3", "Datensicherungskonzept", 12, 0, 0}};
        cov.modelled = 30;
        cov.checkable = 4;
        cov.checked = 3;
        cov.basis_modelled = 11;
        cov.basis_checked = 2;
        scan_.municipalities[0].coverage = cov;
        scan_.coverage = cov;
    }

    void TearDown() override { fs::remove_all(dir_); }

    fs::path write(const std::string& name, const std::string& content) {
        auto p = dir_ / name;
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

    Expected<ScanResult> read_text(const std::string& content) {
        return read_results_json(write("results.json", content));
    }

    std::string error_of(const std::string& content) {
        auto r = read_text(content);
        EXPECT_FALSE(r.ok());
        return r.ok() ? std::string() : r.error().describe();
    }

    fs::path dir_;
    testing::SampleScan sample_;
    ScanResult& scan_ = sample_.scan;
};

TEST_F(ResultsReaderTest, RoundTripIsByteIdentical) {
    std::string first = results_to_json(scan_);
    auto read = read_text(first + "\n");
    ASSERT_TRUE(read.ok()) << read.error().describe();
    EXPECT_EQ(results_to_json(*read), first);
}

TEST_F(ResultsReaderTest, RoundTripThroughTheJsonWriter) {
    ReportOptions o;
    o.out_dir = dir_ / "out";
    auto written = json_report_writer().write(scan_, o);
    ASSERT_TRUE(written.ok());
    auto read = read_results_json(o.out_dir / "results.json");
    ASSERT_TRUE(read.ok()) << read.error().describe();
    o.out_dir = dir_ / "again";
    ASSERT_TRUE(json_report_writer().write(*read, o).ok());
    std::ifstream a(dir_ / "out" / "results.json", std::ios::binary),
        b(dir_ / "again" / "results.json", std::ios::binary);
    std::string sa((std::istreambuf_iterator<char>(a)), {}),
        sb((std::istreambuf_iterator<char>(b)), {});
    EXPECT_FALSE(sa.empty());
    EXPECT_EQ(sa, sb);
}

TEST_F(ResultsReaderTest, RebuildsTheModel) {
    auto read = read_text(results_to_json(scan_));
    ASSERT_TRUE(read.ok()) << read.error().describe();
    const ScanResult& s = *read;
    ASSERT_TRUE(s.owned_rules);
    ASSERT_EQ(s.rules.size(), 3u);
    for (std::size_t i = 0; i < s.rules.size(); ++i) EXPECT_EQ(s.rules[i], &(*s.owned_rules)[i]);
    const Rule* r = s.rule("GS-OPS113-OS-SUPPORTED");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->severity, Severity::Critical);
    EXPECT_EQ(r->level, Level::Standard);
    EXPECT_EQ(r->gspp, testing::kernel_controls({"DET.5.10", "ASST.5.2"}));
    EXPECT_EQ(r->title.de, "Titel GS-OPS113-OS-SUPPORTED <ä>");
    EXPECT_EQ(r->rationale.de, "Begründung\nzweite Zeile");
    EXPECT_DOUBLE_EQ(r->weight, 3);
    EXPECT_EQ(s.score_model, "weighted");
    EXPECT_DOUBLE_EQ(s.min_coverage, 40);
    EXPECT_EQ(s.packs.size(), 2u);
    EXPECT_EQ(s.warnings.size(), 2u);
    ASSERT_EQ(s.municipalities.size(), 2u);
    const auto& m = s.municipalities[0];
    EXPECT_EQ(m.ags, "09162000");
    ASSERT_EQ(m.assets.size(), 2u);
    const auto& a = m.assets[0];
    EXPECT_EQ(a.fact_count, 17u);
    ASSERT_EQ(a.issues.size(), 2u);
    EXPECT_FALSE(a.issues[0].fatal);
    EXPECT_TRUE(a.issues[1].fatal);
    EXPECT_EQ(a.issues[0].line, 7);
    ASSERT_EQ(a.results.size(), 3u);
    EXPECT_EQ(a.results[1].state, ResultState::Fail);
    ASSERT_EQ(a.results[0].evidence.size(), 2u);
    EXPECT_EQ(a.results[0].evidence[0].provenance.line, 14);
    EXPECT_EQ(a.results[0].evidence[0].provenance.excerpt, "MinimumPasswordLength = 14");
    // Scores: counts and severities as tallied.
    EXPECT_EQ(s.score.tally.fail, scan_.score.tally.fail);
    EXPECT_EQ(s.score.tally.fails_by_severity, scan_.score.tally.fails_by_severity);
    EXPECT_EQ(s.score.ampel, scan_.score.ampel);
    ASSERT_TRUE(s.score.value.has_value());
    EXPECT_NEAR(*s.score.value, *scan_.score.value, 0.051);  // one decimal in the file
    EXPECT_FALSE(s.municipalities[1].score.value.has_value());
    EXPECT_EQ(s.municipalities[1].score.ampel, Ampel::None);
    // The result is self-contained: copies keep the rules alive.
    ScanResult copy = s;
    read = Error("gone");
    EXPECT_EQ(copy.rule("GS-ORP4-PW-MINLEN")->module, "ORP.4");
}

TEST_F(ResultsReaderTest, LevelTalliesAdvisoryAndCoverageRoundTrip) {
    scan_.municipalities[0].score.basis = {5, 3, 1, 1, 0};
    scan_.municipalities[0].score.standard = {4, 2, 1, 0, 1};
    scan_.municipalities[0].score.erhoeht = {1, 1, 0, 0, 0};
    scan_.municipalities[0].score.advisory_findings = 2;
    std::string first = results_to_json(scan_);
    auto j = ordered_json::parse(first);
    EXPECT_FALSE(j["scoring"].contains("green_threshold"));
    EXPECT_FALSE(j["scoring"].contains("yellow_threshold"));
    const auto& mj = j["municipalities"][0];
    EXPECT_EQ(
        mj["score"]["levels"]["basis"],
        (ordered_json{
            {"requirements", 5}, {"met", 3}, {"failed", 1}, {"no_evidence", 1}, {"waived", 0}}));
    EXPECT_EQ(mj["score"]["advisory_findings"], 2);
    EXPECT_EQ(mj["bsi_coverage"]["not_checkable"], 26);
    EXPECT_EQ(mj["bsi_coverage"]["bausteine"][1]["checkable"], 0);
    EXPECT_EQ(j["organisation"]["bsi_coverage"]["checked"], 3);
    auto read = read_text(first);
    ASSERT_TRUE(read.ok()) << read.error().describe();
    const auto& m = read->municipalities[0];
    EXPECT_EQ(m.score.basis, (LevelTally{5, 3, 1, 1, 0}));
    EXPECT_EQ(m.score.standard, (LevelTally{4, 2, 1, 0, 1}));
    EXPECT_EQ(m.score.erhoeht, (LevelTally{1, 1, 0, 0, 0}));
    EXPECT_EQ(m.score.advisory_findings, 2);
    EXPECT_EQ(m.coverage.modelled, 30);
    EXPECT_EQ(m.coverage.checkable, 4);
    EXPECT_EQ(m.coverage.checked, 3);
    EXPECT_EQ(m.coverage.basis_modelled, 11);
    EXPECT_EQ(m.coverage.basis_checked, 2);
    EXPECT_EQ(m.coverage.bausteine, scan_.municipalities[0].coverage.bausteine);
    EXPECT_EQ(read->coverage.bausteine.size(), 2u);
    EXPECT_TRUE(read->municipalities[1].coverage.bausteine.empty());
    EXPECT_EQ(results_to_json(*read), first);
}

TEST_F(ResultsReaderTest, ReadsSchemaOneFiles) {
    // A 1.x file: thresholds in "scoring", no level tallies, no BSI coverage, plain references.
    auto j = ordered_json::parse(results_to_json(scan_));
    j["schema_version"] = "1.0";
    j["scoring"]["green_threshold"] = 85;
    j["scoring"]["yellow_threshold"] = 60;
    j["organisation"].erase("bsi_coverage");
    for (auto& m : j["municipalities"]) {
        m.erase("bsi_coverage");
        m["score"].erase("levels");
        m["score"].erase("advisory_findings");
    }
    j["rules"][0]["references"] = {"ORP.4.A8"};
    j["rules"][0].erase("advisory");
    auto read = read_text(j.dump(2));
    ASSERT_TRUE(read.ok()) << read.error().describe();
    EXPECT_DOUBLE_EQ(read->min_coverage, 40);
    EXPECT_EQ(read->municipalities[0].coverage.modelled, 0);
    EXPECT_EQ(read->municipalities[0].score.basis, LevelTally{});
    EXPECT_EQ(read->municipalities[0].score.advisory_findings, 0);
    ASSERT_EQ(read->rules[0]->references.size(), 1u);
    EXPECT_EQ(read->rules[0]->references[0].id, "ORP.4.A8");
    // Written again, it is a 2.0 file without thresholds.
    auto again = ordered_json::parse(results_to_json(*read));
    EXPECT_EQ(again["schema_version"], "2.0");
    EXPECT_FALSE(again["scoring"].contains("green_threshold"));
}

TEST_F(ResultsReaderTest, ReadsFieldsTheWriterMayAddLater) {
    auto j = ordered_json::parse(results_to_json(scan_));
    j["scan"]["scan_id"] = "20261123-0800";
    j["waiver_warnings"] = {"waiver W-1 expired"};
    auto& mun = j["municipalities"][0];
    mun["trend"] = {
        {{"as_of", "2026-10-01"}, {"scan_id", "s1"}, {"score", 71.5}, {"ampel", "yellow"}},
        {{"as_of", "2026-11-01"}, {"scan_id", "s2"}, {"score", nullptr}, {"ampel", "none"}}};
    mun["changes"] = {
        {"has_previous", true}, {"previous_scan_id", "s2"}, {"previous_as_of", "2026-11-01"},
        {"previous_score", 70}, {"new_failures", 2},        {"fixed", 1},
        {"still_open", 3}};
    auto& asset = mun["assets"][0];
    asset["support"] = {{"os_name", "Windows Server 2012 R2"},
                        {"phase", "ended"},
                        {"eol_date", "2023-10-10"},
                        {"extended_until", "2026-10-13"}};
    asset["results"][1]["state"] = "waived";
    asset["results"][1]["waiver"] = {{"id", "W-1"},
                                     {"justification", "Ersatz bestellt"},
                                     {"approver", "IT-Leitung"},
                                     {"decided_on", "2026-01-10"},
                                     {"expires", "2026-12-31"},
                                     {"ticket", "OPS-42"}};
    asset["score"]["weight_waived"] = 3;
    asset["score"]["value_without_waivers"] = 45.5;
    auto read = read_text(j.dump(2));
    ASSERT_TRUE(read.ok()) << read.error().describe();
    const ScanResult& s = *read;
    EXPECT_EQ(s.scan_id, "20261123-0800");
    EXPECT_EQ(s.waiver_warnings, (std::vector<std::string>{"waiver W-1 expired"}));
    const auto& m = s.municipalities[0];
    ASSERT_EQ(m.trend.size(), 2u);
    EXPECT_EQ(m.trend[0].scan_id, "s1");
    EXPECT_DOUBLE_EQ(*m.trend[0].score, 71.5);
    EXPECT_EQ(m.trend[0].ampel, Ampel::Yellow);
    EXPECT_FALSE(m.trend[1].score.has_value());
    EXPECT_TRUE(m.changes.has_previous);
    EXPECT_EQ(m.changes.previous_scan_id, "s2");
    EXPECT_DOUBLE_EQ(*m.changes.previous_score, 70);
    EXPECT_EQ(m.changes.new_failures, 2);
    EXPECT_EQ(m.changes.fixed, 1);
    EXPECT_EQ(m.changes.still_open, 3);
    const auto& a = m.assets[0];
    EXPECT_EQ(a.support.os_name, "Windows Server 2012 R2");
    EXPECT_EQ(a.support.phase, "ended");
    EXPECT_EQ(a.support.eol_date, "2023-10-10");
    EXPECT_EQ(a.support.extended_until, "2026-10-13");
    EXPECT_EQ(a.results[1].state, ResultState::Waived);
    ASSERT_TRUE(a.results[1].waiver.has_value());
    EXPECT_EQ(a.results[1].waiver->id, "W-1");
    EXPECT_EQ(a.results[1].waiver->justification, "Ersatz bestellt");
    EXPECT_EQ(a.results[1].waiver->approver, "IT-Leitung");
    EXPECT_EQ(a.results[1].waiver->decided_on, "2026-01-10");
    EXPECT_EQ(a.results[1].waiver->expires, "2026-12-31");
    EXPECT_EQ(a.results[1].waiver->ticket, "OPS-42");
    EXPECT_FALSE(a.results[0].waiver.has_value());
    EXPECT_DOUBLE_EQ(a.score.tally.weight_waived, 3);
    EXPECT_DOUBLE_EQ(*a.score.value_without_waivers, 45.5);
}

TEST_F(ResultsReaderTest, ValueWithoutWaiversDefaultsToValueWhenNothingIsWaived) {
    auto read = read_text(results_to_json(scan_));
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->score.value_without_waivers, read->score.value);
}

TEST_F(ResultsReaderTest, MissingFieldNamesFileAndPath) {
    auto j = ordered_json::parse(results_to_json(scan_));
    j["municipalities"][0]["assets"][1]["results"][0].erase("state");
    std::string e = error_of(j.dump());
    EXPECT_NE(e.find((dir_ / "results.json").string()), std::string::npos) << e;
    EXPECT_NE(e.find("missing field 'municipalities[0].assets[1].results[0].state'"),
              std::string::npos)
        << e;
    j = ordered_json::parse(results_to_json(scan_));
    j["organisation"]["score"]["counts"].erase("waived");
    e = error_of(j.dump());
    EXPECT_NE(e.find("'organisation.score.counts.waived'"), std::string::npos) << e;
    j = ordered_json::parse(results_to_json(scan_));
    j.erase("rules");
    EXPECT_NE(error_of(j.dump()).find("missing field 'rules'"), std::string::npos);
}

TEST_F(ResultsReaderTest, WrongTypesAndValues) {
    auto j = ordered_json::parse(results_to_json(scan_));
    j["scan"]["complete"] = "yes";
    EXPECT_NE(error_of(j.dump()).find("'scan.complete' must be true or false"), std::string::npos);
    j = ordered_json::parse(results_to_json(scan_));
    j["rules"][2]["severity"] = "catastrophic";
    std::string e = error_of(j.dump());
    EXPECT_NE(e.find("'rules[2].severity' is 'catastrophic'"), std::string::npos) << e;
    j = ordered_json::parse(results_to_json(scan_));
    j["municipalities"][0]["assets"][0]["fact_count"] = 1.5;
    e = error_of(j.dump());
    EXPECT_NE(e.find("'municipalities[0].assets[0].fact_count' must be an integer"),
              std::string::npos)
        << e;
    j = ordered_json::parse(results_to_json(scan_));
    j["municipalities"][0]["assets"][0]["results"][0]["state"] = "maybe";
    EXPECT_NE(error_of(j.dump()).find("want one of pass, fail"), std::string::npos);
}

TEST_F(ResultsReaderTest, SchemaVersionMustBeMajorOneOrTwo) {
    auto j = ordered_json::parse(results_to_json(scan_));
    EXPECT_EQ(j["schema_version"], "2.0");
    j["schema_version"] = "2.7";  // compatible additions
    EXPECT_TRUE(read_text(j.dump()).ok());
    j["schema_version"] = "3.0";
    EXPECT_NE(error_of(j.dump()).find("unsupported schema_version '3.0'"), std::string::npos);
    j["schema_version"] = "10.0";
    EXPECT_NE(error_of(j.dump()).find("unsupported schema_version"), std::string::npos);
}

TEST_F(ResultsReaderTest, FileErrors) {
    auto missing = read_results_json(dir_ / "nope.json");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().file, (dir_ / "nope.json").string());
    EXPECT_NE(missing.error().message.find("not found"), std::string::npos);
    std::string e = error_of("{\"schema_version\": ");
    EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;
    EXPECT_NE(error_of("[1, 2]").find("must be a JSON object"), std::string::npos);
    EXPECT_FALSE(read_results_json(dir_).ok());  // a directory
}

TEST_F(ResultsReaderTest, RoadmapRoundTrip) {
    scan_.municipalities[0].roadmap = {
        {"srv-01", "Rathaus <Server>", "windows-server", "2012-r2", "2023-10-10", "2026-10-13",
         "ended"},
        {"web-01", "Portal", "nginx", "1.22", "2023-04-11", "2028-06-30", "extended"},
        {"web-01", "Portal", "nginx", "1.30", "", "", "regular"}};
    std::string first = results_to_json(scan_);
    auto j = ordered_json::parse(first);
    ASSERT_EQ(j["municipalities"][0]["roadmap"].size(), 3u);
    EXPECT_EQ(j["municipalities"][0]["roadmap"][1], (ordered_json{{"asset", "web-01"},
                                                                  {"asset_name", "Portal"},
                                                                  {"product", "nginx"},
                                                                  {"cycle", "1.22"},
                                                                  {"eol_date", "2023-04-11"},
                                                                  {"extended_until", "2028-06-30"},
                                                                  {"phase", "extended"}}));
    EXPECT_EQ(j["municipalities"][1]["roadmap"], ordered_json::array());
    auto read = read_text(first);
    ASSERT_TRUE(read.ok()) << read.error().describe();
    const auto& r = read->municipalities[0].roadmap;
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].asset_id, "srv-01");
    EXPECT_EQ(r[0].asset_name, "Rathaus <Server>");
    EXPECT_EQ(r[0].product, "windows-server");
    EXPECT_EQ(r[0].cycle, "2012-r2");
    EXPECT_EQ(r[0].eol_date, "2023-10-10");
    EXPECT_EQ(r[0].extended_until, "2026-10-13");
    EXPECT_EQ(r[0].phase, "ended");
    EXPECT_EQ(r[2].eol_date, "");
    EXPECT_EQ(results_to_json(*read), first);
    // Files written before the roadmap existed still read (no roadmap).
    j["municipalities"][0].erase("roadmap");
    auto old = read_text(j.dump(2));
    ASSERT_TRUE(old.ok()) << old.error().describe();
    EXPECT_TRUE(old->municipalities[0].roadmap.empty());
    // A wrong type is named with its JSON path.
    j["municipalities"][0]["roadmap"] = {{{"asset", 7}, {"product", "nginx"}}};
    auto bad = read_text(j.dump(2));
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().describe().find("municipalities[0].roadmap[0].asset"), std::string::npos)
        << bad.error().describe();
}

}  // namespace
}  // namespace grundscan
