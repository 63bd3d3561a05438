// The HTML writer: files, languages, escaping of everything from outside, self-containment.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "reports/writer.hpp"
#include "rules/scoring.hpp"
#include "scanner/core/text.hpp"
#include "tests/reports/sample_scan.hpp"

namespace grundscan {
namespace {

namespace fs = std::filesystem;

const char* kHostileAsset = "<script>alert(1)</script>";
const char* kHostileExcerpt = "MinimumPasswordLength = \"12\" 'x' \x01\x02 \xff\xfe end";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << p;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

using testing::min_length_pass;
using testing::result;

Rule make_rule(const std::string& id, const std::string& module, Severity sev, double weight,
               const std::string& title_de, const std::string& title_en) {
    Rule r = testing::sample_rule(id, module, sev, title_de, title_en);
    r.weight = weight;
    r.rationale.de += "\nZweite Zeile";
    return r;
}

class HtmlWriterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = testing::fresh_test_dir("grundscan-html");

        testing::SampleOptions o;
        o.server_name = kHostileAsset;
        o.server_results = {min_length_pass("SYS.1.1.pw-minlen", "12 >= 12", "12<",
                                            "exports/srv-01/secedit.inf", kHostileExcerpt),
                            result("ORP.4.lockout", ResultState::Fail, "lockout threshold 0"),
                            result("CON.3.backup", ResultState::NoEvidence, "no backup export")};
        o.client_results = {result("SYS.1.1.pw-minlen", ResultState::Fail, "8 < 12"),
                            result("ORP.4.lockout", ResultState::Error, "unreadable"),
                            result("CON.3.backup", ResultState::NotApplicable, "client")};
        sample_ = testing::make_sample_scan(
            {make_rule("SYS.1.1.pw-minlen", "SYS.1.1", Severity::High, 2,
                       "Passwortlänge <b>mindestens</b> 12", "Password length <b>at least</b> 12"),
             make_rule("ORP.4.lockout", "ORP.4", Severity::Critical, 3, "Kontosperrung aktiv",
                       "Account lockout enabled"),
             make_rule("CON.3.backup", "CON.3", Severity::Low, 1, "Datensicherung vorhanden",
                       "Backup present")},
            o);
        auto& a1 = sample_.server();
        a1.sources = {"exports/srv-01/<secedit>.inf"};
        a1.issues.push_back(SourceIssue{"exports/\"><img src=x>.inf", "secedit-inf",
                                        "unexpected <script>x</script> in line", 7, false});
        score_scan(scan_, ScoringConfig{});
    }

    void TearDown() override { fs::remove_all(dir_); }

    std::vector<fs::path> write(Lang lang) {
        ReportOptions options;
        options.out_dir = dir_;
        options.lang = lang;
        auto written = html_report_writer().write(scan_, options);
        EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().describe());
        return written.ok() ? *written : std::vector<fs::path>{};
    }

    std::string page() { return slurp(dir_ / "html" / "musterstadt.html"); }
    std::string index() { return slurp(dir_ / "html" / "index.html"); }

    fs::path dir_;
    testing::SampleScan sample_;
    ScanResult& scan_ = sample_.scan;
};

TEST_F(HtmlWriterTest, WritesIndexAndOnePagePerMunicipality) {
    auto written = write(Lang::De);
    EXPECT_EQ(written.size(), 2u);
    EXPECT_TRUE(fs::exists(dir_ / "html" / "index.html"));
    EXPECT_TRUE(fs::exists(dir_ / "html" / "musterstadt.html"));
    EXPECT_NE(index().find("href=\"musterstadt.html\""), std::string::npos);
    EXPECT_EQ(html_report_writer().format, "html");
}

TEST_F(HtmlWriterTest, GermanByDefault) {
    write(Lang::De);
    std::string p = page();
    EXPECT_NE(p.find("<html lang=\"de\">"), std::string::npos);
    for (const char* s :
         {"Zusammenfassung", "Was zuerst zu tun ist", "Bewertungsmethode", "nicht erfüllt",
          "kein Nachweis", "entbehrlich", "Fehler", "Rot", "kritisch", "Abdeckung",
          "Maßnahme für ORP.4.lockout", "Begründung für ORP.4.lockout", "Probleme beim Einlesen"})
        EXPECT_NE(p.find(s), std::string::npos) << s;
    EXPECT_EQ(p.find("Zweite Zeile"), std::string::npos) << "fix-first shows one line only";
    EXPECT_EQ(p.find("Fix first"), std::string::npos);
    EXPECT_NE(index().find("<html lang=\"de\">"), std::string::npos);
    EXPECT_NE(index().find("Kommunen"), std::string::npos);
}

TEST_F(HtmlWriterTest, EnglishWithLangEn) {
    write(Lang::En);
    std::string p = page();
    EXPECT_NE(p.find("<html lang=\"en\">"), std::string::npos);
    for (const char* s :
         {"Summary", "Fix first", "Scoring method", "no evidence", "red", "critical", "Coverage",
          "Remediation for ORP.4.lockout", "Account lockout enabled"})
        EXPECT_NE(p.find(s), std::string::npos) << s;
    for (const char* s : {"Zusammenfassung", "Was zuerst", "Bewertungsmethode", "Abdeckung"})
        EXPECT_EQ(p.find(s), std::string::npos) << s;
    EXPECT_NE(index().find("Municipalities"), std::string::npos);
}

TEST_F(HtmlWriterTest, EscapesEverythingFromOutside) {
    for (Lang lang : {Lang::De, Lang::En}) {
        write(lang);
        for (const std::string& html : {page(), index()}) {
            EXPECT_TRUE(text::is_valid_utf8(html));
            EXPECT_EQ(html.find("<script"), std::string::npos);
            EXPECT_EQ(html.find("<img"), std::string::npos);
            EXPECT_EQ(html.find("<b>"), std::string::npos);
            EXPECT_EQ(html.find("<Muster>"), std::string::npos);
            EXPECT_EQ(html.find('\x01'), std::string::npos);
            EXPECT_EQ(html.find('\x02'), std::string::npos);
        }
        std::string p = page();
        EXPECT_NE(p.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
        EXPECT_NE(p.find("Musterstadt &amp; Umland"), std::string::npos);
        EXPECT_EQ(p.find("Musterstadt & Umland"), std::string::npos);
        EXPECT_NE(p.find("&quot;12&quot; &#39;x&#39;"), std::string::npos);
        EXPECT_NE(p.find("&lt;b&gt;"), std::string::npos);
        EXPECT_NE(p.find("exports/&quot;&gt;&lt;img src=x&gt;.inf"), std::string::npos);
        EXPECT_NE(p.find("unexpected &lt;script&gt;x&lt;/script&gt; in line"), std::string::npos);
        EXPECT_NE(p.find("exports/srv-01/secedit.inf:14"), std::string::npos);
        EXPECT_NE(index().find("Musterstadt &amp; Umland"), std::string::npos);
    }
}

TEST_F(HtmlWriterTest, SelfContained) {
    write(Lang::De);
    for (const std::string& html : {page(), index()}) {
        for (const char* s :
             {"http://", "https://", "<link", "<script", "src=\"", "src='", "@import", "url("})
            EXPECT_EQ(html.find(s), std::string::npos) << s;
        EXPECT_NE(html.find("<style>"), std::string::npos);
        EXPECT_NE(html.find("@media print"), std::string::npos);
        EXPECT_NE(html.find("<h1>"), std::string::npos);
        EXPECT_NE(html.find("<th scope=\"col\""), std::string::npos);
    }
}

TEST_F(HtmlWriterTest, PartialBannerOnlyWhenIncomplete) {
    write(Lang::De);
    EXPECT_EQ(page().find("class=\"banner\""), std::string::npos);
    scan_.complete = false;
    write(Lang::De);
    EXPECT_NE(page().find("class=\"banner\""), std::string::npos);
    EXPECT_NE(page().find("Unvollständig"), std::string::npos);
    EXPECT_NE(index().find("Unvollständig"), std::string::npos);
    write(Lang::En);
    EXPECT_NE(page().find("Partial"), std::string::npos);
}

TEST_F(HtmlWriterTest, ScoreMatchesComputedScore) {
    write(Lang::De);
    const Score& s = scan_.municipalities[0].score;
    ASSERT_TRUE(s.value.has_value());
    // weighted: pass 2 / (pass 2 + fail 3 + fail 2) = 28.6 %; critical fail forces red.
    EXPECT_NEAR(*s.value, 100.0 * 2 / 7, 1e-9);
    EXPECT_EQ(s.ampel, Ampel::Red);
    const std::string buf = "28 %";  // 28.57 rounded down
    EXPECT_EQ(format_percent(s.value), buf);
    std::string p = page();
    EXPECT_NE(p.find(std::string("<span class=\"score\">") + buf + "</span>"), std::string::npos)
        << buf;
    EXPECT_NE(p.find("<span class=\"badge ampel-red\">Rot</span>"), std::string::npos);
    std::string i = index();
    EXPECT_NE(i.find(std::string("<td class=\"n\">") + buf + "</td>"), std::string::npos);
    EXPECT_NE(i.find("<th scope=\"row\">Gesamt</th>"), std::string::npos);
    // Coverage: (2 pass/fail on srv-01 + 1 fail on ws-02) / 5 applicable = 60 %.
    EXPECT_NE(p.find("60 %"), std::string::npos);
}

TEST_F(HtmlWriterTest, MethodNamesModelAndLevelModel) {
    write(Lang::De);
    EXPECT_NE(page().find("Σ Gewicht(erfüllt)"), std::string::npos);
    EXPECT_NE(page().find("Ampel nach den Stufen des IT-Grundschutzes: Rot, wenn eine kritische "
                          "Prüfung oder eine Basis-Anforderung nicht erfüllt ist."),
              std::string::npos);
    EXPECT_NE(page().find("Erfüllungsgrad"), std::string::npos);
    score_scan(scan_, ScoringConfig{ScoreModel::FlatUnweighted});
    write(Lang::En);
    EXPECT_NE(page().find("#pass / #(pass + fail)"), std::string::npos);
    EXPECT_NE(page().find("red when a critical check or a Basis requirement fails"),
              std::string::npos);
    EXPECT_NE(page().find("It is meant for trends only"), std::string::npos);
}

// The old threshold model ("Grün ab 85 %") is gone from every page and the trend chart.
TEST_F(HtmlWriterTest, NoPercentageThresholds) {
    scan_.as_of = "2026-11-23";
    scan_.municipalities[0].trend = {{"2026-05-01", "s1", 71.0, Ampel::Yellow}};
    write(Lang::De);
    for (const std::string& text : {page(), index()})
        for (const char* s : {"Grün ab", "Gelb ab", "stroke-dasharray"})
            EXPECT_EQ(text.find(s), std::string::npos) << s;
    write(Lang::En);
    for (const std::string& text : {page(), index()})
        for (const char* s : {"green from", "yellow from"})
            EXPECT_EQ(text.find(s), std::string::npos) << s;
}

TEST_F(HtmlWriterTest, LevelTalliesCoverageAndBausteine) {
    scan_.municipalities[0].coverage = testing::sample_coverage();
    scan_.coverage = testing::sample_coverage();
    write(Lang::De);
    std::string p = page();
    // SYS.1.1.A1 and ORP.4.A1 failed (a pass elsewhere does not help), CON.3.A1 lacks evidence.
    for (const char* s :
         {"Basis: 0 von 3 erfüllt (2 nicht erfüllt, 1 ohne Nachweis)",
          "Standard: 0 von 0 erfüllt (0 nicht erfüllt, 0 ohne Nachweis)",
          "7 von 40 Anforderungen der modellierten Bausteine automatisch geprüft; 31 sind "
          "organisatorisch oder anders nicht automatisch prüfbar.",
          "Basis-Anforderungen: 5 von 18 geprüft.", "<h2 id=\"bausteine\">Modellierte Bausteine",
          "<th scope=\"row\">CON.1 Kryptokonzept</th>", "nicht automatisch prüfbar</td>",
          "7 von 25 automatisch geprüft</td>", "Rot: 2 Basis-Anforderungen sind nicht erfüllt."})
        EXPECT_NE(p.find(s), std::string::npos) << s;
    EXPECT_LT(p.find("id=\"bausteine\""), p.find("id=\"modules\""));
    std::string i = index();
    EXPECT_NE(i.find("7 von 40 Anforderungen der modellierten Bausteine automatisch geprüft"),
              std::string::npos);
    EXPECT_NE(i.find("Basis: 0 von 3 erfüllt"), std::string::npos);
    write(Lang::En);
    p = page();
    for (const char* s : {"Basis: 0 of 3 met (2 failed, 1 without evidence)",
                          "7 of 40 requirements of the modelled Bausteine were checked "
                          "automatically; 31 are organisational or otherwise not automatically "
                          "checkable.",
                          "Modelled Bausteine", "not automatically checkable</td>"})
        EXPECT_NE(p.find(s), std::string::npos) << s;
}

TEST_F(HtmlWriterTest, GreenNamesHowMuchWasChecked) {
    for (auto& a : scan_.municipalities[0].assets)
        for (auto& r : a.results)
            if (r.state != ResultState::NotApplicable) r.state = ResultState::Pass;
    score_scan(scan_, ScoringConfig{});
    scan_.municipalities[0].coverage = testing::sample_coverage();
    ASSERT_EQ(scan_.municipalities[0].score.ampel, Ampel::Green);
    write(Lang::De);
    std::string p = page();
    EXPECT_NE(p.find("<span class=\"badge ampel-green\">Grün</span>"), std::string::npos);
    EXPECT_NE(p.find("Grün: Alle automatisch geprüften Basis- und Standard-Anforderungen sind "
                     "erfüllt. Das sind 7 von 40 Anforderungen der modellierten Bausteine; über "
                     "die übrigen sagt diese Ampel nichts."),
              std::string::npos)
        << p;
    EXPECT_NE(p.find("Basis: 3 von 3 erfüllt (0 nicht erfüllt, 0 ohne Nachweis)"),
              std::string::npos);
    write(Lang::En);
    EXPECT_NE(page().find("Green: every automatically checked Basis and Standard requirement is "
                          "met. That is 7 of 40 requirements of the modelled Bausteine; this light "
                          "says nothing about the others."),
              std::string::npos);
}

TEST_F(HtmlWriterTest, LowCoverageIsNotRatedNotRed) {
    // A critical failure, but only 1 of 5 applicable checks decided (20 % < 50 %).
    auto& srv = sample_.server().results;
    srv[0].state = ResultState::NoEvidence;
    auto& pc = sample_.client().results;
    pc[0].state = ResultState::NoEvidence;
    score_scan(scan_, ScoringConfig{});
    const Score& s = scan_.municipalities[0].score;
    ASSERT_EQ(s.ampel, Ampel::None);
    write(Lang::De);
    std::string p = page();
    auto head = p.find("<p class=\"headline\">");
    ASSERT_NE(head, std::string::npos);
    std::string headline = p.substr(head, p.find("</p>", head) - head);
    EXPECT_NE(headline.find("<span class=\"badge ampel-none\">keine Bewertung</span>"),
              std::string::npos)
        << headline;
    EXPECT_EQ(headline.find("ampel-red"), std::string::npos) << headline;
    EXPECT_NE(p.find("Keine Bewertung: Nur 20 % der Prüfungen konnten mit Nachweisen entschieden "
                     "werden (Mindestabdeckung 50 %)."),
              std::string::npos);
    EXPECT_NE(p.find("weder Grün noch Rot"), std::string::npos);
    EXPECT_NE(p.find("bis dahin gibt es keine Bewertung (graue Ampel)"), std::string::npos);
    EXPECT_EQ(p.find("steht die Ampel auf Rot"), std::string::npos);
    auto row = index().find("href=\"musterstadt.html\"");
    ASSERT_NE(row, std::string::npos);
    std::string r = index().substr(row, index().find("</tr>", row) - row);
    EXPECT_NE(r.find("ampel-none"), std::string::npos) << r;
    write(Lang::En);
    EXPECT_NE(page().find("Not rated: only 20 % of the checks could be decided with evidence"),
              std::string::npos);
}

TEST_F(HtmlWriterTest, AdvisoryResultsShownButNotScored) {
    sample_.rules[2].advisory = true;  // CON.3.backup
    sample_.server().results[2].state = ResultState::Fail;
    score_scan(scan_, ScoringConfig{});
    const Score& s = scan_.municipalities[0].score;
    EXPECT_EQ(s.advisory_findings, 1);
    EXPECT_EQ(s.tally.fail, 2);  // the advisory failure is not scored
    write(Lang::De);
    std::string p = page();
    EXPECT_NE(p.find("<li>1 Hinweis (nicht bewertet)</li>"), std::string::npos);
    EXPECT_NE(p.find("<span class=\"muted\">Hinweis (nicht bewertet)</span>"), std::string::npos);
    // In the fix-first list it is marked and comes after the scored failures.
    auto advice = p.find("Hinweis (nicht bewertet): <a href=");
    ASSERT_NE(advice, std::string::npos);
    EXPECT_GT(advice, p.find("Nicht erfüllt: <a href="));
    write(Lang::En);
    EXPECT_NE(page().find("advice (not scored)"), std::string::npos);
}

TEST_F(HtmlWriterTest, NoValueShownAsDash) {
    for (auto& a : scan_.municipalities[0].assets)
        for (auto& r : a.results) r.state = ResultState::NoEvidence;
    score_scan(scan_, ScoringConfig{});
    write(Lang::De);
    std::string p = page();
    EXPECT_NE(p.find("<span class=\"score\">–</span>"), std::string::npos);
    EXPECT_NE(p.find("keine Bewertung"), std::string::npos);
}

TEST_F(HtmlWriterTest, UnsafeMunicipalityIdsBecomeSafeUniqueFileNames) {
    MunicipalityResult evil = scan_.municipalities[0];
    evil.id = "../evil id";
    MunicipalityResult evil2 = evil;
    evil2.id = "../evil/id";
    MunicipalityResult idx = evil;
    idx.id = "index";
    scan_.municipalities.push_back(evil);
    scan_.municipalities.push_back(evil2);
    scan_.municipalities.push_back(idx);
    auto written = write(Lang::De);
    EXPECT_EQ(written.size(), 5u);
    for (const auto& p : written) EXPECT_EQ(p.parent_path(), dir_ / "html") << p;
    EXPECT_TRUE(fs::exists(dir_ / "html" / "_.._evil_id.html"));
    EXPECT_TRUE(fs::exists(dir_ / "html" / "_.._evil_id-2.html"));
    EXPECT_TRUE(fs::exists(dir_ / "html" / "_index.html"));
    EXPECT_FALSE(fs::exists(dir_ / "evil id.html"));
    EXPECT_NE(index().find("Kommunen"), std::string::npos);  // index not overwritten
}

// ---- council report ("Gemeinderat"): summary, trend, maintenance, accepted risks --------------

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos;
         pos = haystack.find(needle, pos + needle.size()))
        ++n;
    return n;
}

const char* kHostileJustification = "<img src=x onerror=alert(1)> Altgerät & \"Fachverfahren\"";

// ws-02 fails SYS.1.1.pw-minlen; the fixture turns that into an accepted risk.
void waive_ws02(ScanResult& scan) {
    RuleResult& r = scan.municipalities[0].assets[1].results[0];
    r.state = ResultState::Waived;
    r.waiver = WaiverRef{"W-1",        kHostileJustification, "<b>Bürgermeisterin</b>",
                         "2026-06-01", "2027-03-31",          "<script>TICKET-7</script>"};
    scan.waiver_warnings = {"waivers.yaml:12: W-9 expired on 2026-01-31 <unmatched>"};
    score_scan(scan, ScoringConfig{});
}

void add_history(MunicipalityResult& m, double previous) {
    m.trend = {{"2026-09-23", "s1", 65, Ampel::Yellow},
               {"2026-10-23", "s2", previous, Ampel::Yellow}};
    m.changes.has_previous = true;
    m.changes.previous_scan_id = "s2";
    m.changes.previous_as_of = "2026-10-23";
    m.changes.previous_score = previous;
    m.changes.new_failures = 3;
    m.changes.fixed = 1;
    m.changes.still_open = 2;
}

TEST_F(HtmlWriterTest, SummaryComesFirstInPlainGerman) {
    write(Lang::De);
    std::string p = page();
    auto summary = p.find("<h2 id=\"summary\">Zusammenfassung");
    ASSERT_NE(summary, std::string::npos);
    for (const char* later : {"id=\"modules\"", "id=\"maintenance\"", "id=\"waivers\"",
                              "id=\"assets\"", "id=\"method\""})
        EXPECT_GT(p.find(later), summary) << later;
    EXPECT_LT(p.find("id=\"fixfirst\""), p.find("id=\"modules\""));
    EXPECT_NE(p.find("Mindestens eine kritische Prüfung ist nicht erfüllt"), std::string::npos);
    EXPECT_NE(p.find("Warum wichtig: </strong>Begründung für ORP.4.lockout"), std::string::npos);
    EXPECT_NE(p.find("<strong>2</strong> offene Mängel"), std::string::npos);
    EXPECT_NE(p.find("<strong>0</strong> akzeptierte Risiken"), std::string::npos);
    // Critical before high: the lockout comes first in the top five.
    EXPECT_LT(p.find("Kontosperrung aktiv</strong>"), p.find("Passwortlänge &lt;b&gt;"));
}

TEST_F(HtmlWriterTest, FirstScanHasNoTrend) {
    write(Lang::De);
    std::string p = page();
    EXPECT_NE(p.find("Erste Prüfung – noch kein Verlauf"), std::string::npos);
    EXPECT_EQ(p.find("<svg"), std::string::npos);
    EXPECT_EQ(p.find("seit der letzten Prüfung behoben"), std::string::npos);
    EXPECT_NE(index().find("erste Prüfung"), std::string::npos);
    write(Lang::En);
    EXPECT_NE(page().find("First scan – no trend yet"), std::string::npos);
}

TEST_F(HtmlWriterTest, TrendChartWithPointsAndTextAlternative) {
    scan_.as_of = "2026-11-23";
    add_history(scan_.municipalities[0], 71);
    write(Lang::De);
    std::string p = page();
    EXPECT_EQ(p.find("Erste Prüfung"), std::string::npos);
    EXPECT_NE(p.find("<svg role=\"img\" aria-labelledby=\"trend-title trend-desc\""),
              std::string::npos);
    EXPECT_NE(p.find("<title id=\"trend-title\">"), std::string::npos);
    const std::string verlauf = "Verlauf: 2026-09-23 65 % → 2026-10-23 71 % → 2026-11-23 28 %";
    EXPECT_NE(p.find("<desc id=\"trend-desc\">" + verlauf + "</desc>"), std::string::npos);
    EXPECT_NE(p.find("<table class=\"sr-only\">"), std::string::npos);
    EXPECT_NE(p.find("<th scope=\"row\">2026-10-23</th><td>71 %</td>"), std::string::npos);
    // One point per scan (two earlier + this one), joined by one line.
    EXPECT_EQ(count(p, "<circle "), 3u);
    EXPECT_EQ(count(p, "<polyline points=\""), 1u);
    auto pts = p.find("<polyline points=\"");
    std::string points = p.substr(pts, p.find('"', pts + 18) - pts);
    EXPECT_EQ(count(points, ","), 3u) << points;
    for (const char* label : {">65 %</text>", ">71 %</text>", ">28 %</text>", ">2026-09-23</text>",
                              ">2026-11-23</text>"})
        EXPECT_NE(p.find(label), std::string::npos) << label;
    // What changed since last time.
    EXPECT_NE(p.find("Seit der letzten Prüfung am 2026-10-23: 71 % → 28 % (−43 Prozentpunkte)"),
              std::string::npos);
    EXPECT_NE(p.find("3 neue Mängel, 1 behoben"), std::string::npos);
    EXPECT_NE(p.find("2 weiterhin offen"), std::string::npos);
    EXPECT_NE(p.find("<strong>1</strong> seit der letzten Prüfung behoben"), std::string::npos);
    // Self-contained still: the inline SVG needs no namespace URL.
    EXPECT_EQ(p.find("://"), std::string::npos);
    write(Lang::En);
    EXPECT_NE(page().find("Trend: 2026-09-23 65 %"), std::string::npos);
    EXPECT_NE(page().find("3 new findings, 1 fixed"), std::string::npos);
}

TEST_F(HtmlWriterTest, AcceptedRisksTableEscapesHostileText) {
    waive_ws02(scan_);
    for (Lang lang : {Lang::De, Lang::En}) {
        write(lang);
        for (const std::string& html : {page(), index()}) {
            EXPECT_EQ(html.find("<img"), std::string::npos);
            EXPECT_EQ(html.find("<script"), std::string::npos);
            EXPECT_EQ(html.find("<b>"), std::string::npos);
            EXPECT_EQ(html.find("<unmatched>"), std::string::npos);
        }
    }
    write(Lang::De);
    std::string p = page();
    auto section = p.find("<h2 id=\"waivers\">Akzeptierte Risiken</h2>");
    ASSERT_NE(section, std::string::npos);
    for (const char* col : {"Anforderung", "System", "Begründung", "Entschieden von",
                            "Entschieden am", "Gültig bis", "Vorgang"})
        EXPECT_NE(p.find(std::string("<th scope=\"col\">") + col + "</th>", section),
                  std::string::npos)
            << col;
    const std::string justification =
        "&lt;img src=x onerror=alert(1)&gt; Altgerät &amp; &quot;Fachverfahren&quot;";
    EXPECT_NE(p.find("<td>Arbeitsplatz 2</td><td>" + justification +
                         "</td><td>&lt;b&gt;Bürgermeisterin&lt;/b&gt;</td><td>2026-06-01</td>"
                         "<td>2027-03-31</td><td>&lt;script&gt;TICKET-7&lt;/script&gt;</td>",
                     section),
              std::string::npos);
    // Per-asset details: the waived row says until when.
    EXPECT_NE(p.find("Risiko akzeptiert bis 2027-03-31"), std::string::npos);
    EXPECT_NE(p.find("Begründung: " + justification), std::string::npos);
    // Waiver warnings on the page and on the index.
    const std::string warning = "W-9 expired on 2026-01-31 &lt;unmatched&gt;";
    EXPECT_NE(p.find("Hinweise zu akzeptierten Risiken"), std::string::npos);
    EXPECT_NE(p.find(warning), std::string::npos);
    EXPECT_NE(index().find(warning), std::string::npos);
}

TEST_F(HtmlWriterTest, AcceptedRiskNearExpiryIsFlagged) {
    waive_ws02(scan_);
    scan_.as_of = "2027-02-01";
    write(Lang::De);
    EXPECT_NE(page().find("2027-03-31 <strong>(läuft bald ab)</strong>"), std::string::npos);
    scan_.as_of = "2026-07-01";
    write(Lang::De);
    EXPECT_EQ(page().find("läuft bald ab"), std::string::npos);
}

TEST_F(HtmlWriterTest, ScoreWithAndWithoutAcceptedRisks) {
    write(Lang::De);
    EXPECT_EQ(page().find("(ohne akzeptierte Risiken:"), std::string::npos);
    EXPECT_NE(page().find("Es wurden keine Risiken akzeptiert."), std::string::npos);
    waive_ws02(scan_);
    const Score& s = scan_.municipalities[0].score;
    // weighted: pass 2 / (pass 2 + fail 3) = 40 %; counting the waived fail (2): 2 / 7 = 28 %.
    ASSERT_TRUE(s.value && s.value_without_waivers);
    EXPECT_EQ(format_percent(s.value), "40 %");
    EXPECT_EQ(format_percent(s.value_without_waivers), "28 %");
    write(Lang::De);
    std::string p = page();
    EXPECT_NE(p.find("<span class=\"score\">40 %</span>"), std::string::npos);
    EXPECT_NE(p.find("(ohne akzeptierte Risiken: 28 %)"), std::string::npos);
    EXPECT_NE(p.find("<strong>1</strong> akzeptiertes Risiko"), std::string::npos);
    EXPECT_NE(p.find("Wert ohne akzeptierte Risiken"), std::string::npos);  // method
    EXPECT_NE(index().find("(ohne akzeptierte Risiken: 28 %)"), std::string::npos);
    write(Lang::En);
    EXPECT_NE(page().find("(without accepted risks: 28 %)"), std::string::npos);
}

TEST_F(HtmlWriterTest, MaintenanceListsEndedAndExtendedSystems) {
    scan_.as_of = "2026-11-23";
    auto& assets = scan_.municipalities[0].assets;
    assets[0].support = {"Windows Server 2012 R2", "ended", "2023-10-10", "2026-10-13"};
    assets[1].support = {"Windows 10 <22H2>", "extended", "2025-10-14", "2028-10-10"};
    AssetResult soon, fine;
    soon.id = "srv-03";
    soon.name = "Fileserver";
    soon.support = {"Windows Server 2016", "regular", "2027-01-01", "2032-01-12"};
    fine.id = "srv-04";
    fine.name = "Neuer Server";
    fine.support = {"Windows Server 2025", "regular", "2029-11-13", "2034-10-10"};
    assets.push_back(soon);
    assets.push_back(fine);
    score_scan(scan_, ScoringConfig{});
    write(Lang::De);
    std::string p = page();
    auto section = p.find("<h2 id=\"maintenance\">Systeme, die aus der Wartung fallen</h2>");
    ASSERT_NE(section, std::string::npos);
    auto end = p.find("</section>", section);
    std::string m = p.substr(section, end - section);
    auto ended = m.find(
        "<th scope=\"row\">&lt;script&gt;alert(1)&lt;/script&gt;</th>"
        "<td>Windows Server 2012 R2</td><td>keine Unterstützung mehr</td>"
        "<td>2023-10-10</td><td>2026-10-13</td>");
    auto extended = m.find(
        "<th scope=\"row\">Arbeitsplatz 2</th><td>Windows 10 &lt;22H2&gt;</td>"
        "<td>nur noch erweiterte Unterstützung</td><td>2025-10-14</td>");
    auto regular = m.find(
        "<th scope=\"row\">Fileserver</th><td>Windows Server 2016</td>"
        "<td>reguläre Unterstützung</td><td>2027-01-01</td>");
    ASSERT_NE(ended, std::string::npos) << m;
    ASSERT_NE(extended, std::string::npos) << m;
    ASSERT_NE(regular, std::string::npos) << m;
    EXPECT_LT(ended, extended);
    EXPECT_LT(extended, regular);
    EXPECT_NE(m.find("Unterstützung endet in 39 Tagen"), std::string::npos);
    EXPECT_EQ(m.find("Neuer Server"), std::string::npos) << "support ends in more than 12 months";
    EXPECT_NE(p.find("Windows Server 2012 R2 · keine Unterstützung mehr"), std::string::npos);
    write(Lang::En);
    EXPECT_NE(page().find("Systems leaving maintenance"), std::string::npos);
    EXPECT_NE(page().find("extended support only"), std::string::npos);
    EXPECT_NE(page().find("no longer supported"), std::string::npos);
}

TEST_F(HtmlWriterTest, NoSystemLeavingMaintenance) {
    write(Lang::De);
    EXPECT_NE(page().find("Kein System fällt in den nächsten 12 Monaten aus der Wartung."),
              std::string::npos);
}

TEST_F(HtmlWriterTest, IndexRollUpWithTrendArrows) {
    MunicipalityResult better = scan_.municipalities[0];
    better.id = "besserdorf";
    better.name = "Besserdorf";
    MunicipalityResult same = better;
    same.id = "gleichheim";
    same.name = "Gleichheim";
    MunicipalityResult fresh = better;
    fresh.id = "neustadt";
    fresh.name = "Neustadt";
    add_history(scan_.municipalities[0], 71);  // 71 % -> 28 %
    add_history(better, 20);                   // 20 % -> 28 %
    add_history(same, 28.9);                   // shown as 28 % both times
    scan_.municipalities.push_back(better);
    scan_.municipalities.push_back(same);
    scan_.municipalities.push_back(fresh);
    score_scan(scan_, ScoringConfig{});
    write(Lang::De);
    std::string i = index();
    EXPECT_NE(i.find("<th scope=\"col\" rowspan=\"2\">Entwicklung</th>"), std::string::npos);
    auto row = [&](const std::string& stem) {
        auto pos = i.find("href=\"" + stem + ".html\"");
        EXPECT_NE(pos, std::string::npos) << stem;
        return pos == std::string::npos ? std::string() : i.substr(pos, i.find("</tr>", pos) - pos);
    };
    std::string down = row("musterstadt"), up = row("besserdorf"), flat = row("gleichheim"),
                first = row("neustadt");
    EXPECT_NE(down.find("<span aria-hidden=\"true\">↓</span> <span class=\"sr-only\">gesunken"
                        "</span>−43"),
              std::string::npos)
        << down;
    EXPECT_NE(down.find("(vorher 71 %)"), std::string::npos);
    EXPECT_NE(up.find("<span aria-hidden=\"true\">↑</span> <span class=\"sr-only\">gestiegen"
                      "</span>+8"),
              std::string::npos)
        << up;
    EXPECT_NE(flat.find("→"), std::string::npos) << flat;
    EXPECT_NE(first.find("erste Prüfung"), std::string::npos) << first;
    EXPECT_NE(i.find("4 Kommunen im Verbund: 4 Rot."), std::string::npos);
    write(Lang::En);
    EXPECT_NE(index().find("sr-only\">up</span>+8"), std::string::npos);
}

TEST_F(HtmlWriterTest, RoadmapTimelineAndTableEarliestEndFirst) {
    scan_.as_of = "2026-11-23";
    MunicipalityResult& m = scan_.municipalities[0];
    m.roadmap = {
        {"srv-01", "<script>alert(1)</script>", "windows-server", "2012-r2", "2023-10-10",
         "2026-10-13", "ended"},
        {"web-01", "Portal", "nginx", "1.22", "2023-04-11", "", "ended"},
        {"web-01", "Portal", "<b>cms</b>", "8\"3", "2027-12-31", "", "regular"},
        {"srv-02", "Datenbank", "postgresql", "13", "2025-11-13", "2028-06-30", "extended"},
        {"srv-02", "Datenbank", "nginx", "1.30", "", "", "regular"}};
    write(Lang::De);
    std::string p = page();
    auto section = p.find("<h3 id=\"roadmap\">Ablöse-Roadmap");
    ASSERT_NE(section, std::string::npos);
    EXPECT_GT(section, p.find("<h2 id=\"maintenance\">"));
    EXPECT_LT(section, p.find("<h2 id=\"waivers\">"));
    std::string r = p.substr(section, p.find("</section>", section) - section);
    EXPECT_NE(r.find("<svg role=\"img\" aria-labelledby=\"roadmap-title roadmap-desc\""),
              std::string::npos);
    EXPECT_NE(r.find("<title id=\"roadmap-title\">"), std::string::npos);
    EXPECT_NE(r.find("<desc id=\"roadmap-desc\">Zeitachse vom Stichtag 2026-11-23 bis "
                     "2029-11-23: 5 Einträge; 2 ohne Unterstützung, 1 nur noch mit erweiterter "
                     "Unterstützung"),
              std::string::npos)
        << r;
    // Table: earliest end of regular support first, no announced end last.
    auto nginx = r.find(
        "<tr class=\"phase-ended\"><th scope=\"row\">Portal</th><td>nginx 1.22</td>"
        "<td>keine Unterstützung mehr</td><td>2023-04-11</td><td>–</td>");
    auto windows = r.find(
        "<th scope=\"row\">&lt;script&gt;alert(1)&lt;/script&gt;</th><td>Windows Server "
        "2012-r2</td>");
    auto pg = r.find(
        "<td>PostgreSQL 13</td><td>nur noch erweiterte Unterstützung</td>"
        "<td>2025-11-13</td><td>2028-06-30</td><td>585 Tage</td>");
    auto cms = r.find("<td>&lt;b&gt;cms&lt;/b&gt; 8&quot;3</td>");
    auto open = r.find(
        "<td>nginx 1.30</td><td>reguläre Unterstützung</td><td>–</td><td>–</td>"
        "<td>kein Ende angekündigt</td>");
    ASSERT_NE(nginx, std::string::npos) << r;
    ASSERT_NE(windows, std::string::npos) << r;
    ASSERT_NE(pg, std::string::npos) << r;
    ASSERT_NE(cms, std::string::npos) << r;
    ASSERT_NE(open, std::string::npos) << r;
    EXPECT_LT(r.find("</svg>"), nginx);  // chart above the table
    EXPECT_LT(nginx, windows);
    EXPECT_LT(windows, pg);
    EXPECT_LT(pg, cms);
    EXPECT_LT(cms, open);
    EXPECT_NE(r.find("beendet seit 2026-10-13"), std::string::npos);  // ESU over
    EXPECT_EQ(p.find("<script>alert(1)"), std::string::npos);
    EXPECT_EQ(p.find("<b>cms"), std::string::npos);
    write(Lang::En);
    EXPECT_NE(page().find("Replacement roadmap: when systems and software leave support"),
              std::string::npos);
    EXPECT_NE(page().find("no end announced"), std::string::npos);
}

TEST_F(HtmlWriterTest, RoadmapWithoutData) {
    write(Lang::De);
    EXPECT_NE(page().find("Für kein System und keine Software liegen Daten zum Ende der "
                          "Unterstützung vor."),
              std::string::npos);
}

}  // namespace
}  // namespace grundscan
