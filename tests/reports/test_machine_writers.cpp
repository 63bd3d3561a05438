// The machine-readable writers (SARIF, JUnit XML, CSV, Markdown): structure, counts, and that
// hostile text from outside survives without breaking any format.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "reports/writer.hpp"
#include "rules/scoring.hpp"
#include "scanner/core/text.hpp"
#include "tests/reports/sample_scan.hpp"

namespace grundscan {

// Also declared in reports/writer.hpp.
const ReportWriter& sarif_report_writer();
const ReportWriter& junit_report_writer();
const ReportWriter& csv_report_writer();
const ReportWriter& markdown_report_writer();

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kHostileAsset = "<script>alert(1)</script>; \"DC\"\nzwei\x01 \xff";
const char* kFormula = "=cmd|' /C calc'!A0";
const char* kHostileExcerpt = "MinimumPasswordLength = \"12\" 'x' \x01\x02 \xff\xfe end\r\n;";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << p;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// RFC 4180 with ';' as separator: quoted fields may hold ; " CR LF; rows end in CRLF.
std::vector<std::vector<std::string>> parse_csv(std::string_view s, bool* crlf_only) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    *crlf_only = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < s.size() && s[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field.push_back(c);
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = true;
            any = true;
        } else if (c == ';') {
            row.push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
            row.push_back(field);
            rows.push_back(row);
            row.clear();
            field.clear();
            ++i;
        } else if (c == '\n' || c == '\r') {
            *crlf_only = false;
            field.push_back(c);
        } else {
            field.push_back(c);
            any = true;
        }
    }
    EXPECT_FALSE(quoted) << "unterminated quoted field";
    if (!row.empty() || !field.empty()) {
        *crlf_only = false;
        row.push_back(field);
        rows.push_back(row);
    }
    (void)any;
    return rows;
}

using testing::min_length_pass;
using testing::result;

Rule make_rule(const std::string& id, const std::string& module, Severity sev,
               const std::string& title_de, const std::string& title_en) {
    Rule r = testing::sample_rule(id, module, sev, title_de, title_en);
    r.references.push_back(testing::requirement_refs({module + ".A2"}).front());
    r.gspp = testing::kernel_controls({"BER.6.4"});
    r.level = Level::Standard;
    return r;
}

class MachineWritersTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = testing::fresh_test_dir("grundscan-mw");

        testing::SampleOptions o;
        o.finished_at = "2024-05-01T10:00:05Z";
        o.org_name = "Landkreis <Muster> | Test";
        o.score_model = "weighted";
        o.server_name = kHostileAsset;
        RuleResult fail = result("ORP.4.lockout", ResultState::Fail,
                                 "lockout threshold 0 \"quoted\"; <script>\n\x01\xff");
        fail.evidence.push_back(
            Evidence{"win.lockout.threshold",
                     "0",
                     {"exports/srv-01/secedit.inf", 21, "secedit-inf", kFormula}});
        fail.evidence.push_back(Evidence{
            "win.lockout.duration", "0", {"exports/srv-01/gpo.xml", 0, "gpresult-xml", ""}});
        RuleResult waived = result("OPS.1.1.3.patch", ResultState::Waived, "3 patches missing");
        waived.waiver = WaiverRef{"W-1",         "Fachverfahren <X> läuft nur so; \"Altlast\"",
                                  "Amtsleitung", "2024-01-10",
                                  "2024-12-31",  "TICKET-7"};
        o.server_results = {min_length_pass("SYS.1.1.pw-minlen", "12 >= 12", "12<",
                                            "exports/Stadt Bergheim/secedit.inf", kHostileExcerpt),
                            fail, result("CON.3.backup", ResultState::NoEvidence, kFormula),
                            waived};
        RuleResult err = result("ORP.4.lockout", ResultState::Error, "gpresult.xml:3: truncated");
        err.evidence.push_back(
            Evidence{"", "", {"exports/ws-02/gpresult.xml", 3, "gpresult-xml", "<Rsop"}});
        o.client_results = {result("SYS.1.1.pw-minlen", ResultState::Fail, "8 < 12"), err,
                            result("CON.3.backup", ResultState::NotApplicable, "client"),
                            result("OPS.1.1.3.patch", ResultState::Pass, "0 missing")};
        sample_ = testing::make_sample_scan(
            {make_rule("SYS.1.1.pw-minlen", "SYS.1.1", Severity::High,
                       "Passwortlänge <b>mindestens</b> 12", "Password length <b>at least</b> 12"),
             make_rule("ORP.4.lockout", "ORP.4", Severity::Critical, "Kontosperrung aktiv",
                       "Account lockout enabled"),
             make_rule("CON.3.backup", "CON.3", Severity::Low, "Datensicherung vorhanden",
                       "Backup present"),
             make_rule("OPS.1.1.3.patch", "OPS.1.1.3", Severity::Medium, "Patches aktuell",
                       "Patches current")},
            o);
        scan_.inventory_file = "examples/inventory.yaml";
        sample_.server().issues.push_back(SourceIssue{"exports/\"><img src=x>.inf", "secedit-inf",
                                                      "unexpected <script>x</script> in line", 7,
                                                      false});
        // Roadmap: out of support, ends within a year, ends later, no end announced.
        scan_.municipalities.front().roadmap = {
            {"ws-02", "Arbeitsplatz 2", "windows", "10-22h2", "2024-04-30", "", "ended"},
            {"srv-01", kFormula, "windows-server", "2012-r2", "2023-10-10", "2023-11-01", "ended"},
            {"srv-01", "", "php", "8.2", "2024-12-31", "", "regular"},
            {"srv-01", "", "debian", "12", "2026-06-10", "2028-06-30", "regular"},
            {"ws-02", "Arbeitsplatz 2", "nginx", "1.26", "", "", "regular"}};
        score_scan(scan_, ScoringConfig{});
    }

    void TearDown() override { fs::remove_all(dir_); }

    fs::path write(const ReportWriter& w, Lang lang = Lang::De) {
        ReportOptions options;
        options.out_dir = dir_;
        options.lang = lang;
        auto written = w.write(scan_, options);
        EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().describe());
        if (!written.ok() || written->empty()) return {};
        return written->front();
    }

    fs::path dir_;
    testing::SampleScan sample_;
    ScanResult& scan_ = sample_.scan;
};

constexpr int kResults = 8;

// ---- SARIF -----------------------------------------------------------------------------------

TEST_F(MachineWritersTest, SarifHasRulesResultsLevelsAndLocations) {
    auto path = write(sarif_report_writer());
    EXPECT_EQ(path.filename(), "results.sarif");
    EXPECT_EQ(sarif_report_writer().format, "sarif");
    std::string raw = slurp(path);
    EXPECT_TRUE(text::is_valid_utf8(raw));
    json log = json::parse(raw);
    EXPECT_EQ(log["version"], "2.1.0");
    ASSERT_EQ(log["runs"].size(), 1u);
    const auto& run = log["runs"][0];
    const auto& driver = run["tool"]["driver"];
    EXPECT_EQ(driver["name"], "grundscan");
    EXPECT_EQ(driver["version"], "0.1.0");
    EXPECT_TRUE(driver["informationUri"].get<std::string>().rfind("https://", 0) == 0);
    ASSERT_EQ(driver["rules"].size(), 4u);
    const auto& r0 = driver["rules"][0];
    EXPECT_EQ(r0["id"], "SYS.1.1.pw-minlen");
    EXPECT_EQ(r0["shortDescription"]["text"], "Passwortlänge <b>mindestens</b> 12");
    EXPECT_EQ(r0["fullDescription"]["text"], "Begründung für SYS.1.1.pw-minlen");
    EXPECT_NE(r0["help"]["text"].get<std::string>().find("Maßnahme für"), std::string::npos);
    EXPECT_TRUE(r0["help"].contains("markdown"));
    EXPECT_EQ(r0["defaultConfiguration"]["level"], "error");
    EXPECT_EQ(r0["properties"]["references"], json({"SYS.1.1.A1", "SYS.1.1.A2"}));
    EXPECT_EQ(r0["properties"]["gspp"], json({"kernel:BER.6.4"}));
    EXPECT_EQ(r0["properties"]["level"], "standard");
    EXPECT_EQ(r0["properties"]["severity"], "high");
    EXPECT_TRUE(r0["properties"]["tags"].is_array());
    EXPECT_EQ(driver["rules"][1]["defaultConfiguration"]["level"], "error");    // critical
    EXPECT_EQ(driver["rules"][2]["defaultConfiguration"]["level"], "note");     // low
    EXPECT_EQ(driver["rules"][3]["defaultConfiguration"]["level"], "warning");  // medium

    const auto& results = run["results"];
    ASSERT_EQ(results.size(), static_cast<std::size_t>(kResults));
    std::map<std::string, json> by_key;
    for (const auto& r : results) {
        std::string fqn =
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].get<std::string>();
        by_key[fqn + "/" + r["ruleId"].get<std::string>()] = r;
        EXPECT_EQ(r["partialFingerprints"]["grundscanAssetRule/v1"],
                  fqn + "/" + r["ruleId"].get<std::string>());
        EXPECT_EQ(driver["rules"][r["ruleIndex"].get<int>()]["id"], r["ruleId"]);
        if (r["kind"] != "fail") {
            EXPECT_EQ(r["level"], "none");
        }
    }
    ASSERT_EQ(by_key.size(), static_cast<std::size_t>(kResults));

    auto fail = by_key["musterstadt/srv-01/ORP.4.lockout"];
    EXPECT_EQ(fail["kind"], "fail");
    EXPECT_EQ(fail["level"], "error");
    std::string msg = fail["message"]["text"];
    EXPECT_EQ(msg.rfind("Kontosperrung aktiv", 0), 0u) << msg;
    EXPECT_NE(msg.find("lockout threshold 0"), std::string::npos);
    const auto& phys = fail["locations"][0]["physicalLocation"];
    EXPECT_EQ(phys["artifactLocation"]["uri"], "exports/srv-01/secedit.inf");
    EXPECT_EQ(phys["region"]["startLine"], 21);
    ASSERT_EQ(fail["relatedLocations"].size(), 1u);
    EXPECT_FALSE(fail["relatedLocations"][0]["physicalLocation"].contains("region"))
        << "line 0: no region";
    EXPECT_FALSE(fail.contains("suppressions"));

    auto pass = by_key["musterstadt/srv-01/SYS.1.1.pw-minlen"];
    EXPECT_EQ(pass["kind"], "pass");
    EXPECT_EQ(pass["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              "exports/Stadt%20Bergheim/secedit.inf");

    EXPECT_EQ(by_key["musterstadt/ws-02/SYS.1.1.pw-minlen"]["level"], "error");
    EXPECT_EQ(by_key["musterstadt/srv-01/CON.3.backup"]["kind"], "open");
    EXPECT_EQ(by_key["musterstadt/ws-02/CON.3.backup"]["kind"], "notApplicable");
    auto err = by_key["musterstadt/ws-02/ORP.4.lockout"];
    EXPECT_EQ(err["kind"], "review");
    EXPECT_EQ(err["message"]["text"].get<std::string>().rfind("Fehler: ", 0), 0u);

    auto waived = by_key["musterstadt/srv-01/OPS.1.1.3.patch"];
    EXPECT_EQ(waived["kind"], "fail");
    EXPECT_EQ(waived["level"], "warning");
    ASSERT_EQ(waived["suppressions"].size(), 1u);
    EXPECT_EQ(waived["suppressions"][0]["kind"], "external");
    EXPECT_EQ(waived["suppressions"][0]["status"], "accepted");
    EXPECT_EQ(waived["suppressions"][0]["justification"],
              "Fachverfahren <X> läuft nur so; \"Altlast\"");
    EXPECT_EQ(waived["suppressions"][0]["properties"]["expires"], "2024-12-31");

    // The error and the source issue are tool execution notifications too.
    const auto& notes = run["invocations"][0]["toolExecutionNotifications"];
    EXPECT_EQ(notes.size(), 2u);
    EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
}

TEST_F(MachineWritersTest, SarifCarriesTheRoadmap) {
    json log = json::parse(slurp(write(sarif_report_writer())));
    const auto& roadmap = log["runs"][0]["properties"]["roadmap"];
    ASSERT_EQ(roadmap.size(), 5u);
    EXPECT_EQ(roadmap[0]["municipality"], "musterstadt");
    EXPECT_EQ(roadmap[0]["asset"], "srv-01");
    EXPECT_EQ(roadmap[0]["product"], "windows-server");
    EXPECT_EQ(roadmap[0]["release"], "2012-r2");
    EXPECT_EQ(roadmap[0]["phase"], "ended");
    EXPECT_EQ(roadmap[0]["endOfSupport"], "2023-10-10");
    EXPECT_EQ(roadmap[0]["extendedUntil"], "2023-11-01");
    EXPECT_FALSE(roadmap[4].contains("endOfSupport"));  // nginx: no end announced
}

TEST_F(MachineWritersTest, SarifEnglish) {
    json log = json::parse(slurp(write(sarif_report_writer(), Lang::En)));
    const auto& rules = log["runs"][0]["tool"]["driver"]["rules"];
    EXPECT_EQ(rules[1]["shortDescription"]["text"], "Account lockout enabled");
    EXPECT_EQ(rules[1]["help"]["text"].get<std::string>().rfind("Remediation for", 0), 0u);
}

// ---- JUnit -----------------------------------------------------------------------------------

TEST_F(MachineWritersTest, JunitSuitePropertiesCarryTheRoadmap) {
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(write(junit_report_writer()).c_str()));
    std::vector<std::string> lines;
    for (auto p : doc.child("testsuites").child("testsuite").child("properties").children())
        if (std::string(p.attribute("name").value()) == "roadmap")
            lines.push_back(p.attribute("value").value());
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0], std::string(kFormula) +
                            ": Windows Server 2012-r2, ended, end of support 2023-10-10, extended "
                            "until 2023-11-01");
    EXPECT_EQ(lines[4], "Arbeitsplatz 2: nginx 1.26, regular");
}

TEST_F(MachineWritersTest, JunitParsesBackWithMatchingCounts) {
    auto path = write(junit_report_writer());
    EXPECT_EQ(path.filename(), "junit.xml");
    pugi::xml_document doc;
    auto parsed = doc.load_file(path.c_str());
    ASSERT_TRUE(parsed) << parsed.description();
    auto suites = doc.child("testsuites");
    ASSERT_TRUE(suites);
    EXPECT_EQ(suites.attribute("tests").as_int(), kResults);
    EXPECT_EQ(suites.attribute("failures").as_int(), 2);
    EXPECT_EQ(suites.attribute("errors").as_int(), 1);
    EXPECT_EQ(suites.attribute("skipped").as_int(), 3);
    auto suite = suites.child("testsuite");
    ASSERT_TRUE(suite);
    EXPECT_FALSE(suite.next_sibling("testsuite"));
    EXPECT_STREQ(suite.attribute("name").value(), "Musterstadt & Umland");
    int cases = 0, failures = 0, errors = 0, skipped = 0;
    for (auto tc : suite.children("testcase")) {
        ++cases;
        if (tc.child("failure")) ++failures;
        if (tc.child("error")) ++errors;
        if (tc.child("skipped")) ++skipped;
        std::string cls = tc.attribute("classname").value();
        EXPECT_TRUE(cls == "musterstadt.srv-01" || cls == "musterstadt.ws-02") << cls;
    }
    EXPECT_EQ(cases, kResults);
    EXPECT_EQ(failures, suite.attribute("failures").as_int());
    EXPECT_EQ(errors, suite.attribute("errors").as_int());
    EXPECT_EQ(skipped, suite.attribute("skipped").as_int());
    EXPECT_EQ(cases, suite.attribute("tests").as_int());

    auto tc =
        suite.find_child_by_attribute("testcase", "name", "ORP.4.lockout Kontosperrung aktiv");
    ASSERT_TRUE(tc);
    auto failure = tc.child("failure");
    ASSERT_TRUE(failure);
    EXPECT_STREQ(failure.attribute("type").value(), "critical");
    std::string body = failure.text().get();
    EXPECT_NE(body.find("Maßnahme für ORP.4.lockout"), std::string::npos);
    EXPECT_NE(body.find("<script>"), std::string::npos) << "escaped, then read back";
    EXPECT_NE(body.find("exports/srv-01/secedit.inf:21"), std::string::npos);
    auto waived =
        suite.find_child_by_attribute("testcase", "name", "OPS.1.1.3.patch Patches aktuell");
    ASSERT_TRUE(waived);
    std::string wmsg = waived.child("skipped").attribute("message").value();
    EXPECT_NE(wmsg.find("2024-12-31"), std::string::npos);
    EXPECT_NE(wmsg.find("Altlast"), std::string::npos);
}

// ---- CSV -------------------------------------------------------------------------------------

TEST_F(MachineWritersTest, CsvForGermanExcel) {
    auto path = write(csv_report_writer());
    EXPECT_EQ(path.filename(), "results.csv");
    std::string raw = slurp(path);
    ASSERT_EQ(raw.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 BOM";
    EXPECT_TRUE(text::is_valid_utf8(raw));
    bool crlf = false;
    auto rows = parse_csv(std::string_view(raw).substr(3), &crlf);
    EXPECT_TRUE(crlf) << "every row ends in CRLF, no bare line breaks outside quotes";
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(kResults + 1));
    const auto& h = rows[0];
    ASSERT_EQ(h.size(), 16u);
    EXPECT_EQ(h[0], "Kommune");
    EXPECT_EQ(h[14], "Maßnahme");
    EXPECT_EQ(h[15], "Akzeptiertes Risiko bis");
    for (const auto& r : rows) EXPECT_EQ(r.size(), 16u);
    // The waived row carries its expiry.
    bool found = false;
    for (const auto& r : rows) {
        if (r[4] != "OPS.1.1.3.patch") continue;
        if (r[2] == "Arbeitsplatz 2") {
            EXPECT_EQ(r[15], "");
        } else {
            found = true;
            EXPECT_EQ(r[15], "2024-12-31");
            EXPECT_EQ(r[11], "Risiko akzeptiert");
        }
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(rows[1][1], "09162000");
    EXPECT_EQ(rows[1][7], "SYS.1.1.A1, SYS.1.1.A2");
    EXPECT_EQ(rows[1][10], "hoch");
}

TEST_F(MachineWritersTest, CsvEnglishHeaders) {
    std::string raw = slurp(write(csv_report_writer(), Lang::En));
    bool crlf = false;
    auto rows = parse_csv(std::string_view(raw).substr(3), &crlf);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0][0], "Municipality");
    EXPECT_EQ(rows[0][14], "Remediation");
    EXPECT_EQ(rows[1][11], "pass");
}

TEST_F(MachineWritersTest, CsvRoadmap) {
    write(csv_report_writer());
    std::string raw = slurp(dir_ / "roadmap.csv");
    ASSERT_EQ(raw.substr(0, 3), "\xEF\xBB\xBF");
    bool crlf = false;
    auto rows = parse_csv(std::string_view(raw).substr(3), &crlf);
    EXPECT_TRUE(crlf);
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"Kommune", "AGS", "System", "Produkt", "Version",
                                                 "Status", "Supportende", "Erweitert bis",
                                                 "Tage bis Ende jeder Unterstützung"}));
    // Earliest end of regular support first; the day count runs to the end of all support
    // (negative when over) and is a plain number, not neutralised text.
    EXPECT_EQ(rows[1][2], std::string("'") + kFormula);  // asset name from outside
    EXPECT_EQ(rows[1][3], "Windows Server");
    EXPECT_EQ(rows[1][4], "2012-r2");
    EXPECT_EQ(rows[1][5], "keine Unterstützung mehr");
    EXPECT_EQ(rows[1][8], "-182");  // 2023-11-01 → Stichtag 2024-05-01
    EXPECT_EQ(rows[2][3], "Windows");
    EXPECT_EQ(rows[2][8], "-1");
    EXPECT_EQ(rows[3][3], "PHP");
    EXPECT_EQ(rows[3][8], "244");
    EXPECT_EQ(rows[3][2], "srv-01");  // no display name: the id
    EXPECT_EQ(rows[4][3], "Debian");
    EXPECT_EQ(rows[4][8], "1521");  // extended support to 2028-06-30
    EXPECT_EQ(rows[5][3], "nginx");
    EXPECT_EQ(rows[5][6], "");
    EXPECT_EQ(rows[5][8], "");  // no end announced
    for (const auto& r : rows) EXPECT_EQ(r.size(), 9u);
}

TEST_F(MachineWritersTest, CsvNeutralisesFormulaInjection) {
    std::string raw = slurp(write(csv_report_writer()));
    bool crlf = false;
    auto rows = parse_csv(std::string_view(raw).substr(3), &crlf);
    for (const auto& r : rows)
        for (const auto& f : r)
            if (!f.empty() && f.find_first_not_of("-0123456789") != std::string::npos) {
                EXPECT_EQ(std::string("=+-@\t\r").find(f[0]), std::string::npos) << f;
            }
    bool found = false;
    for (const auto& r : rows)
        if (r[12] == std::string("'") + kFormula) found = true;
    EXPECT_TRUE(found) << "formula kept as text with a leading apostrophe";
}

// ---- Markdown --------------------------------------------------------------------------------

TEST_F(MachineWritersTest, MarkdownSummary) {
    auto path = write(markdown_report_writer());
    EXPECT_EQ(path.filename(), "summary.md");
    std::string md = slurp(path);
    EXPECT_TRUE(text::is_valid_utf8(md));
    EXPECT_NE(md.find("| Kommune |"), std::string::npos);
    EXPECT_NE(md.find("🔴 Rot"), std::string::npos);
    EXPECT_NE(md.find("Musterstadt &amp; Umland"), std::string::npos);
    EXPECT_NE(md.find("ORP.4.lockout"), std::string::npos);
    EXPECT_NE(md.find("Wichtigste Befunde"), std::string::npos);
    EXPECT_NE(md.find("Landkreis &lt;Muster&gt; \\| Test"), std::string::npos);
    // Every table row has the same number of unescaped pipes as its header.
    std::istringstream in(md);
    std::string line;
    int expect = -1;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] != '|') {
            expect = -1;
            continue;
        }
        int pipes = 0;
        for (std::size_t i = 0; i < line.size(); ++i)
            if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
        if (expect < 0) expect = pipes;
        EXPECT_EQ(pipes, expect) << line;
    }
    std::string en = slurp(write(markdown_report_writer(), Lang::En));
    EXPECT_NE(en.find("Top failures"), std::string::npos);
    EXPECT_NE(en.find("🔴 red"), std::string::npos);
}

TEST_F(MachineWritersTest, MarkdownLevelModelCoverageAndBausteine) {
    scan_.municipalities[0].coverage = testing::sample_coverage();
    std::string md = slurp(write(markdown_report_writer()));
    // Requirements counted once: OPS.1.1.3.A1/A2 fail nowhere, one result is waived -> waived.
    for (const char* s :
         {"- Basis: 0 von 0 erfüllt (0 nicht erfüllt, 0 ohne Nachweis)\n",
          "- Standard: 0 von 8 erfüllt (4 nicht erfüllt, 2 ohne Nachweis, 2 Risiko akzeptiert)\n",
          "7 von 40 Anforderungen der modellierten Bausteine automatisch geprüft; 31 sind "
          "organisatorisch oder anders nicht automatisch prüfbar.",
          "| Baustein | Anforderungen | automatisch prüfbar | geprüft | Stand |",
          "| CON.1 Kryptokonzept | 15 | 0 | 0 | nicht automatisch prüfbar |",
          "| ORP.4 Identitäts- und Berechtigungsmanagement | 25 | 9 | 7 | 7 von 25 automatisch "
          "geprüft |",
          "🔴 Rot: Mindestens eine kritische Prüfung ist nicht erfüllt",
          "> Ampel nach den Stufen des IT-Grundschutzes"})
        EXPECT_NE(md.find(s), std::string::npos) << s << "\n---\n" << md;
    for (const char* s : {"Grün ab", "Gelb ab"}) EXPECT_EQ(md.find(s), std::string::npos) << s;
    std::string en = slurp(write(markdown_report_writer(), Lang::En));
    for (const char* s : {"- Standard: 0 of 8 met (4 failed, 2 without evidence, 2 accepted risk)",
                          "7 of 40 requirements of the modelled Bausteine were checked "
                          "automatically; 31 are organisational or otherwise not automatically "
                          "checkable.",
                          "| CON.1 Kryptokonzept | 15 | 0 | 0 | not automatically checkable |"})
        EXPECT_NE(en.find(s), std::string::npos) << s;
}

TEST_F(MachineWritersTest, MarkdownGreenNamesWhatWasChecked) {
    for (auto& a : scan_.municipalities[0].assets)
        for (auto& r : a.results)
            if (r.state != ResultState::NotApplicable) r.state = ResultState::Pass;
    score_scan(scan_, ScoringConfig{});
    scan_.municipalities[0].coverage = testing::sample_coverage();
    ASSERT_EQ(scan_.municipalities[0].score.ampel, Ampel::Green);
    std::string md = slurp(write(markdown_report_writer()));
    EXPECT_NE(
        md.find("🟢 Grün: Alle automatisch geprüften Basis- und Standard-Anforderungen sind "
                "erfüllt. Das sind 7 von 40 Anforderungen der modellierten Bausteine; über "
                "die übrigen sagt diese Ampel nichts."),
        std::string::npos)
        << md;
}

TEST_F(MachineWritersTest, MarkdownLowCoverageIsNotRated) {
    // The critical failure stays, but only 1 of 7 applicable checks is decided (14 %).
    for (auto& a : scan_.municipalities[0].assets)
        for (auto& r : a.results)
            if (r.state != ResultState::NotApplicable && r.rule_id != "ORP.4.lockout")
                r.state = ResultState::NoEvidence;
    score_scan(scan_, ScoringConfig{});
    ASSERT_EQ(scan_.municipalities[0].score.ampel, Ampel::None);
    std::string md = slurp(write(markdown_report_writer()));
    auto row = md.find("| Musterstadt &amp; Umland |");
    ASSERT_NE(row, std::string::npos);
    std::string line = md.substr(row, md.find('\n', row) - row);
    EXPECT_NE(line.find("⚪ keine Bewertung"), std::string::npos) << line;
    EXPECT_EQ(line.find("Rot"), std::string::npos) << line;
    EXPECT_NE(md.find("⚪ Keine Bewertung: Nur 14 % der Prüfungen konnten mit Nachweisen "
                      "entschieden werden"),
              std::string::npos)
        << md;
}

TEST_F(MachineWritersTest, MarkdownMarksAdvisoryFindings) {
    sample_.rules[2].advisory = true;  // CON.3.backup
    sample_.server().results[2].state = ResultState::Fail;
    score_scan(scan_, ScoringConfig{});
    std::string md = slurp(write(markdown_report_writer()));
    EXPECT_NE(md.find("Datensicherung vorhanden (Hinweis (nicht bewertet))"), std::string::npos)
        << md;
    EXPECT_NE(md.find("- 1 Hinweis (nicht bewertet)"), std::string::npos);
    EXPECT_NE(slurp(write(markdown_report_writer(), Lang::En)).find("advice (not scored)"),
              std::string::npos);
}

TEST_F(MachineWritersTest, MarkdownRoadmapShowsWhatEndsWithinAYear) {
    std::string md = slurp(write(markdown_report_writer()));
    auto at = md.find("## Ablöse-Roadmap");
    ASSERT_NE(at, std::string::npos);
    std::string section = md.substr(at, md.find("\n### ", at) - at);
    // Ended and ending within 365 days of the Stichtag (2024-05-01); later or open-ended not.
    auto w2012 = section.find("Windows Server 2012-r2 | keine Unterstützung mehr");
    auto w10 = section.find("Windows 10-22h2 | keine Unterstützung mehr");
    auto php = section.find("PHP 8.2 | reguläre Unterstützung | 2024-12-31 | – | 244 |");
    EXPECT_NE(w2012, std::string::npos) << section;
    EXPECT_NE(w10, std::string::npos) << section;
    EXPECT_NE(php, std::string::npos) << section;
    EXPECT_LT(w2012, php);
    EXPECT_EQ(section.find("Debian"), std::string::npos);
    EXPECT_EQ(section.find("nginx"), std::string::npos);
    EXPECT_NE(section.find("5 Einträge insgesamt in roadmap.csv"), std::string::npos);
    EXPECT_EQ(section.find("=cmd|"), std::string::npos) << "pipe in a name must be escaped";
}

TEST_F(MachineWritersTest, MarkdownTopFailuresCappedAtTen) {
    auto& a = scan_.municipalities[0].assets[1];
    for (int i = 0; i < 15; ++i)
        a.results.push_back(result("CON.3.backup", ResultState::Fail, "x" + std::to_string(i)));
    score_scan(scan_, ScoringConfig{});
    std::string md = slurp(write(markdown_report_writer(), Lang::En));
    auto start = md.find("## Top failures");
    auto end = md.find("## ", start + 3);
    std::string section = md.substr(start, end - start);
    int rows = 0;
    std::istringstream in(section);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("| ", 0) == 0) ++rows;
    EXPECT_EQ(rows, 11) << "header + 10";
    EXPECT_NE(section.find("and 7 more"), std::string::npos);
    // Critical first.
    EXPECT_LT(section.find("ORP.4.lockout"), section.find("CON.3.backup"));
}

// ---- hostile text in every writer ------------------------------------------------------------

TEST_F(MachineWritersTest, HostileTextSurvivesEveryFormat) {
    for (Lang lang : {Lang::De, Lang::En}) {
        // SARIF: valid UTF-8 JSON, no raw control characters, text kept.
        std::string sarif = slurp(write(sarif_report_writer(), lang));
        EXPECT_TRUE(text::is_valid_utf8(sarif));
        EXPECT_EQ(sarif.find('\x01'), std::string::npos);
        json log = json::parse(sarif);
        bool asset_seen = false;
        for (const auto& r : log["runs"][0]["results"])
            if (r["properties"]["asset"].get<std::string>().rfind(
                    "<script>alert(1)</script>; \"DC\"", 0) == 0)
                asset_seen = true;
        EXPECT_TRUE(asset_seen);

        // JUnit: well-formed, no raw control characters, hostile text read back intact.
        std::string xml = slurp(write(junit_report_writer(), lang));
        EXPECT_TRUE(text::is_valid_utf8(xml));
        for (char c = 1; c < 0x20; ++c)
            if (c != '\n' && c != '\t' && c != '\r') {
                EXPECT_EQ(xml.find(c), std::string::npos) << int(c);
            }
        EXPECT_EQ(xml.find("&#1;"), std::string::npos);
        EXPECT_EQ(xml.find("<script"), std::string::npos);
        pugi::xml_document doc;
        ASSERT_TRUE(doc.load_string(xml.c_str()));
        EXPECT_EQ(doc.child("testsuites").child("testsuite").select_nodes("testcase").size(),
                  static_cast<std::size_t>(kResults));

        // CSV: the row count is stable whatever the text holds.
        std::string csv = slurp(write(csv_report_writer(), lang));
        EXPECT_TRUE(text::is_valid_utf8(csv));
        EXPECT_EQ(csv.find('\x01'), std::string::npos);
        bool crlf = false;
        auto rows = parse_csv(std::string_view(csv).substr(3), &crlf);
        EXPECT_TRUE(crlf);
        EXPECT_EQ(rows.size(), static_cast<std::size_t>(kResults + 1));
        for (const auto& r : rows) EXPECT_EQ(r.size(), 16u);
        bool name_kept = false;
        for (const auto& r : rows)
            if (r[2].rfind("<script>alert(1)</script>; \"DC\"\nzwei", 0) == 0) name_kept = true;
        EXPECT_TRUE(name_kept);

        // Markdown: no raw HTML, no raw control characters.
        std::string md = slurp(write(markdown_report_writer(), lang));
        EXPECT_TRUE(text::is_valid_utf8(md));
        EXPECT_EQ(md.find("<script"), std::string::npos);
        EXPECT_EQ(md.find("<b>"), std::string::npos);
        EXPECT_EQ(md.find('\x01'), std::string::npos);
        EXPECT_NE(md.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    }
}

TEST_F(MachineWritersTest, EmptyScanWritesValidFiles) {
    ScanResult empty;
    empty.tool_version = "0.1.0";
    scan_ = empty;
    json log = json::parse(slurp(write(sarif_report_writer())));
    EXPECT_TRUE(log["runs"][0]["results"].empty());
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_file(write(junit_report_writer()).c_str()));
    bool crlf = false;
    std::string csv = slurp(write(csv_report_writer()));
    EXPECT_EQ(parse_csv(std::string_view(csv).substr(3), &crlf).size(), 1u);
    EXPECT_NE(slurp(write(markdown_report_writer())).find("Keine nicht erfüllten"),
              std::string::npos);
}

}  // namespace
}  // namespace grundscan
