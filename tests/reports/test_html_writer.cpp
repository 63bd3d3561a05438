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

Rule make_rule(const std::string& id, const std::string& module, Severity sev, double weight,
               const std::string& title_de, const std::string& title_en) {
    Rule r;
    r.id = id;
    r.module = module;
    r.references = {module + ".A1"};
    r.severity = sev;
    r.weight = weight;
    r.level = Level::Basis;
    r.title = {title_de, title_en};
    r.rationale = {"Begründung für " + id + "\nZweite Zeile", "Rationale for " + id};
    r.remediation = {"Maßnahme für " + id, "Remediation for " + id};
    return r;
}

RuleResult result(const std::string& rule, ResultState st, const std::string& msg) {
    RuleResult r;
    r.rule_id = rule;
    r.state = st;
    r.message = msg;
    return r;
}

class HtmlWriterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("grundscan-html-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);

        rules_.rules.push_back(make_rule("SYS.1.1.pw-minlen", "SYS.1.1", Severity::High, 2,
                                         "Passwortlänge <b>mindestens</b> 12",
                                         "Password length <b>at least</b> 12"));
        rules_.rules.push_back(make_rule("ORP.4.lockout", "ORP.4", Severity::Critical, 3,
                                         "Kontosperrung aktiv", "Account lockout enabled"));
        rules_.rules.push_back(make_rule("CON.3.backup", "CON.3", Severity::Low, 1,
                                         "Datensicherung vorhanden", "Backup present"));
        for (const auto& r : rules_.rules) scan_.rules.push_back(&r);

        scan_.tool_version = "0.1.0";
        scan_.started_at = "2024-05-01T10:00:00Z";
        scan_.as_of = "2024-05-01";
        scan_.org_id = "lk";
        scan_.org_name = "Landkreis <Muster>";
        scan_.packs = {{"grundschutz-basis", "2024.1"}};

        MunicipalityResult mun;
        mun.id = "musterstadt";
        mun.name = "Musterstadt & Umland";
        mun.ags = "09162000";

        AssetResult a1;
        a1.id = "srv-01";
        a1.name = kHostileAsset;
        a1.kind = "windows-server";
        a1.sources = {"exports/srv-01/<secedit>.inf"};
        a1.issues.push_back(SourceIssue{"exports/\"><img src=x>.inf", "secedit-inf",
                                        "unexpected <script>x</script> in line", 7, false});
        RuleResult pass = result("SYS.1.1.pw-minlen", ResultState::Pass, "12 >= 12");
        pass.evidence.push_back(
            Evidence{"win.password.min_length",
                     "12<",
                     {"exports/srv-01/secedit.inf", 14, "secedit-inf", kHostileExcerpt}});
        a1.results.push_back(pass);
        a1.results.push_back(result("ORP.4.lockout", ResultState::Fail, "lockout threshold 0"));
        a1.results.push_back(result("CON.3.backup", ResultState::NoEvidence, "no backup export"));

        AssetResult a2;
        a2.id = "ws-02";
        a2.name = "Arbeitsplatz 2";
        a2.kind = "windows-client";
        a2.results.push_back(result("SYS.1.1.pw-minlen", ResultState::Fail, "8 < 12"));
        a2.results.push_back(result("ORP.4.lockout", ResultState::Error, "unreadable"));
        a2.results.push_back(result("CON.3.backup", ResultState::NotApplicable, "client"));

        mun.assets = {a1, a2};
        scan_.municipalities.push_back(mun);
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
    RuleSet rules_;
    ScanResult scan_;
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

TEST_F(HtmlWriterTest, MethodNamesModelAndThresholds) {
    write(Lang::De);
    EXPECT_NE(page().find("Σ Gewicht(erfüllt)"), std::string::npos);
    EXPECT_NE(page().find("Grün ab 85 %, Gelb ab 60 %"), std::string::npos);
    score_scan(scan_, ScoringConfig{ScoreModel::FlatUnweighted, 90, 70});
    write(Lang::En);
    EXPECT_NE(page().find("#pass / #(pass + fail)"), std::string::npos);
    EXPECT_NE(page().find("green from 90 %, yellow from 70 %"), std::string::npos);
    EXPECT_NE(page().find("forces red"), std::string::npos);
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

}  // namespace
}  // namespace grundscan
