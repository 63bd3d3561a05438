// The PDF writer: files, page size, German/English text with umlauts, the executive summary,
// and text from outside rendered as plain text. Reads the PDFs back with poppler-utils.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "reports/report_content.hpp"
#include "reports/writer.hpp"
#include "rules/scoring.hpp"
#include "tests/reports/sample_scan.hpp"

namespace grundscan {

const ReportWriter& pdf_report_writer();

namespace {

namespace fs = std::filesystem;

const char* kHostileAsset = "PC-Bürgerbüro <script>alert(1)</script> & Co \x01\x02 \xff\xfe Ende";
const char* kHostileValue = "<b>8</b> & \"x\" \x07 \xc3";

// stdout of a shell command (poppler-utils), or "" when it fails.
std::string run(const std::string& cmd) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    if (!pipe) return "";
    std::string out;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
    return out;
}

std::string quote(const fs::path& p) {
    return "'" + p.string() + "'";
}

std::string pdftext(const fs::path& pdf, int first = 0, int last = 0) {
    std::string range;
    if (first > 0) range = " -f " + std::to_string(first) + " -l " + std::to_string(last);
    return run("pdftotext -layout -enc UTF-8" + range + " " + quote(pdf) + " - 2>&1");
}

// The text with runs of blanks folded to one (pdftotext -layout pads columns); with `lines`
// false, line breaks count as blanks too (for paragraphs that wrap).
std::string folded(const std::string& s, bool lines = true) {
    std::string out;
    for (char c : s) {
        if (!lines && c == '\n') c = ' ';
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out.push_back(c);
    }
    return out;
}

using testing::result;

Rule make_rule(const std::string& id, const std::string& module, Severity sev, double weight,
               const std::string& title_de, const std::string& title_en) {
    Rule r = testing::sample_rule(id, module, sev, title_de, title_en);
    r.weight = weight;
    r.rationale = {"Ohne " + title_de + " drohen Schäden für die Verwaltung. Zweiter Satz.",
                   "Without it the administration is at risk. Second sentence."};
    r.remediation.de = "Maßnahme für " + id + ": Einstellung in der Gruppenrichtlinie ändern.";
    return r;
}

class PdfWriterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = testing::fresh_test_dir("grundscan-pdf");

        auto add = [&](Rule r) { rules_.rules.push_back(std::move(r)); };
        add(make_rule("ORP.4.lockout", "ORP.4", Severity::Critical, 3,
                      "Kontosperrung nach Fehlversuchen aktiv", "Account lockout enabled"));
        add(make_rule("SYS.1.1.pw-minlen", "SYS.1.1", Severity::High, 2,
                      "Passwortlänge mindestens 12 Zeichen", "Password length at least 12"));
        add(make_rule("SYS.2.1.screensaver", "SYS.2.1", Severity::Medium, 1,
                      "Bildschirmsperre nach 15 Minuten", "Screen lock after 15 minutes"));
        add(make_rule("CON.3.backup", "CON.3", Severity::Low, 1,
                      "Datensicherung regelmäßig geprüft", "Backup checked regularly"));
        add(make_rule("OPS.1.1.3.patches", "OPS.1.1.3", Severity::High, 2,
                      "Sicherheitsupdates zeitnah eingespielt", "Security updates applied"));
        add(make_rule("SYS.1.2.smb1", "SYS.1.2", Severity::Medium, 1, "SMBv1 abgeschaltet",
                      "SMBv1 disabled"));
        add(make_rule("NET.1.1.rdp", "NET.1.1", Severity::High, 1, "Fernwartung nur über VPN",
                      "Remote access via VPN only"));
        for (const auto& r : rules_.rules) scan_.rules.push_back(&r);

        scan_.tool_version = "0.1.0";
        scan_.started_at = "2026-11-23T08:00:00Z";
        scan_.as_of = "2026-11-23";
        scan_.org_id = "lk-muster";
        scan_.org_name = "Landkreis Muster & Söhne";
        scan_.packs = {{"grundschutz-kommune", "2026.2"}, {"ozg-portale", "1.3"}};
        scan_.warnings = {"Export <alt> übersprungen"};

        MunicipalityResult mun;
        mun.id = "oehringen-sued";
        mun.name = "Gemeinde Öhringen-Süd";
        mun.ags = "08126999";

        AssetResult srv;
        srv.id = "srv-01";
        srv.name = "Rathaus-Server";
        srv.kind = "windows-server";
        srv.support = {"Windows Server", "extended", "2023-10-10", "2026-10-13"};
        RuleResult lockout =
            result("ORP.4.lockout", ResultState::Fail, "Schwelle 0 (erwartet ≥ 1)");
        lockout.evidence.push_back(
            Evidence{"win.lockout.threshold",
                     "0",
                     {"exports/srv-01/secedit.inf", 14, "secedit-inf", "LockoutBadCount = 0"}});
        srv.results.push_back(lockout);
        RuleResult minlen = result("SYS.1.1.pw-minlen", ResultState::Pass, "14 ≥ 12");
        srv.results.push_back(minlen);
        srv.results.push_back(
            result("CON.3.backup", ResultState::NoEvidence, "kein Export der Datensicherung"));
        srv.results.push_back(result("SYS.2.1.screensaver", ResultState::NotApplicable, "Server"));
        srv.results.push_back(
            result("OPS.1.1.3.patches", ResultState::Fail, "letztes Update vor 94 Tagen"));
        RuleResult smb = result("SYS.1.2.smb1", ResultState::Waived, "SMBv1 aktiv");
        smb.waiver = WaiverRef{"W-7",
                               "Altes Scangerät im Bürgerbüro braucht SMBv1 bis zur Ablösung",
                               "Bürgermeisterin Käthe Groß",
                               "2026-06-01",
                               "2027-03-31",
                               "IT-1234"};
        srv.results.push_back(smb);

        AssetResult pc;
        pc.id = "pc-02";
        pc.name = kHostileAsset;
        pc.kind = "windows-client";
        pc.support = {"Windows 10 22H2", "regular", "2027-05-01", ""};
        RuleResult pw = result("SYS.1.1.pw-minlen", ResultState::Fail, "8 < 12 <script>");
        pw.evidence.push_back(Evidence{
            "win.password.min_length", kHostileValue, {"exports/pc-02/<gpo>.xml", 7, "", ""}});
        pc.results.push_back(pw);
        pc.results.push_back(
            result("ORP.4.lockout", ResultState::Error, "gpresult.xml:12: abgeschnitten"));
        pc.results.push_back(
            result("SYS.2.1.screensaver", ResultState::Fail, "Sperre nach 60 Minuten"));
        pc.results.push_back(result("NET.1.1.rdp", ResultState::Fail, "RDP offen"));
        pc.results.push_back(result("CON.3.backup", ResultState::Pass, "ok"));

        mun.assets = {srv, pc};
        mun.trend = {{"2026-03-01", "s1", 41.0, Ampel::Red},
                     {"2026-07-15", "s2", 58.5, Ampel::Red}};
        mun.changes.has_previous = true;
        mun.changes.previous_as_of = "2026-07-15";
        mun.changes.previous_score = 58.5;
        mun.changes.fixed = 3;
        mun.changes.new_failures = 1;
        mun.changes.still_open = 4;
        scan_.municipalities.push_back(mun);

        MunicipalityResult other;
        other.id = "markt-lindenau";
        other.name = "Markt Lindenau";
        AssetResult p2;
        p2.id = "ml-pc";
        p2.name = "ML-PC";
        p2.results.push_back(result("CON.3.backup", ResultState::Pass, "ok"));
        other.assets = {p2};
        scan_.municipalities.push_back(other);
        score_scan(scan_, ScoringConfig{});
    }

    void TearDown() override {
        if (!std::getenv("KEEP")) fs::remove_all(dir_);
    }

    std::vector<fs::path> write(Lang lang) {
        ReportOptions options;
        options.out_dir = dir_;
        options.lang = lang;
        auto written = pdf_report_writer().write(scan_, options);
        EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().describe());
        return written.ok() ? *written : std::vector<fs::path>{};
    }

    fs::path mun_pdf() const { return dir_ / "pdf" / "oehringen-sued.pdf"; }
    fs::path verbund_pdf() const { return dir_ / "pdf" / "verbund.pdf"; }

    fs::path dir_;
    RuleSet rules_;
    ScanResult scan_;
};

TEST_F(PdfWriterTest, WritesOnePdfPerMunicipalityAndVerbund) {
    auto written = write(Lang::De);
    ASSERT_EQ(written.size(), 3u);
    EXPECT_EQ(written.back(), verbund_pdf());
    EXPECT_EQ(pdf_report_writer().format, "pdf");
    for (const auto& entry : fs::directory_iterator(dir_ / "pdf"))
        EXPECT_EQ(entry.path().extension(), ".pdf") << "left-over temp file " << entry.path();
    for (const auto& p : written) {
        std::ifstream in(p, std::ios::binary);
        std::string head(5, '\0');
        in.read(head.data(), 5);
        EXPECT_EQ(head, "%PDF-") << p;
    }
}

TEST_F(PdfWriterTest, A4WithSeveralPagesAndEmbeddedDejaVu) {
    write(Lang::De);
    std::string info = run("pdfinfo " + quote(mun_pdf()) + " 2>&1");
    EXPECT_NE(info.find("595.28 x 841.89 pts (A4)"), std::string::npos) << info;
    auto at = info.find("Pages:");
    ASSERT_NE(at, std::string::npos) << info;
    int pages = std::stoi(info.substr(at + 6));
    EXPECT_GE(pages, 2);
    std::string fonts = run("pdffonts " + quote(mun_pdf()) + " 2>&1");
    EXPECT_NE(fonts.find("DejaVuSans"), std::string::npos) << fonts;
    EXPECT_EQ(fonts.find(" no "), std::string::npos) << "all fonts embedded:\n" << fonts;
    std::string text = pdftext(mun_pdf());
    EXPECT_NE(text.find("Seite " + std::to_string(pages) + " von " + std::to_string(pages)),
              std::string::npos);
    std::string vinfo = run("pdfinfo " + quote(verbund_pdf()) + " 2>&1");
    EXPECT_NE(vinfo.find("595.28 x 841.89 pts (A4)"), std::string::npos) << vinfo;
}

TEST_F(PdfWriterTest, ExecutiveSummaryOnPageOne) {
    write(Lang::De);
    const MunicipalityResult& mun = scan_.municipalities.front();
    std::string p1 = folded(pdftext(mun_pdf(), 1, 1));
    for (const std::string& s :
         {std::string("Gemeinde Öhringen-Süd"), std::string("Stichtag 23.11.2026"),
          std::string("grundschutz-kommune 2026.2"), std::string("Seite 1 von"),
          format_percent(mun.score.value),
          std::string("Ampel: ") + ampel_label(mun.score.ampel, Lang::De),
          std::string("welcher Anteil der entschiedenen Prüfungen"),
          std::string("Rot: 5 Basis-Anforderungen"),
          std::string("der Prüfungen konnten entschieden werden"),
          std::string("Die fünf wichtigsten Punkte"), std::string("Warum wichtig: Ohne"),
          std::string("behoben seit der letzten Prüfung"), std::string("akzeptierte Risiken"),
          std::string("Verlauf"), std::string("01.03.26"), std::string("15.07.26"),
          std::string("23.11.26"), std::string("Seit der Prüfung vom 15.07.2026")})
        EXPECT_NE(p1.find(s), std::string::npos) << s << "\n---\n" << p1;
    EXPECT_EQ(mun.score.ampel, Ampel::Red);
    EXPECT_EQ(p1.find("Zweiter Satz"), std::string::npos) << "only the first sentence";
    // Top findings: five failed results, critical first, then by severity and weight.
    auto lockout = p1.find("Kontosperrung nach Fehlversuchen aktiv");
    auto patches = p1.find("Sicherheitsupdates zeitnah eingespielt");
    auto screen = p1.find("Bildschirmsperre nach 15 Minuten");
    ASSERT_NE(lockout, std::string::npos);
    ASSERT_NE(patches, std::string::npos);
    ASSERT_NE(screen, std::string::npos);
    EXPECT_LT(lockout, patches);
    EXPECT_LT(patches, screen);
    EXPECT_NE(p1.find("Fernwartung nur über VPN"), std::string::npos);
    EXPECT_NE(p1.find("System: Rathaus-Server · kritisch"), std::string::npos);
    // The same five points as the HTML report: both render reports/report_content's selection.
    auto groups = fix_groups(scan_, mun);
    for (std::size_t i = 0; i < groups.size() && i < 5; ++i)
        EXPECT_NE(folded(pdftext(mun_pdf(), 1, 1), false).find(groups[i].rule->title.de),
                  std::string::npos)
            << groups[i].rule_id;
    EXPECT_EQ(p1.find("Bewertungsmethode"), std::string::npos) << "details start on page 2";
    fs::create_directories("/tmp/pdf-page1");
    run("pdftoppm -png -r 60 -f 1 -l 1 " + quote(mun_pdf()) + " /tmp/pdf-page1/page 2>&1");
    run("pdftoppm -png -r 60 -f 1 -l 1 " + quote(verbund_pdf()) + " /tmp/pdf-page1/verbund 2>&1");
    bool png = false;
    for (const auto& e : fs::directory_iterator("/tmp/pdf-page1"))
        png = png || e.path().extension() == ".png";
    EXPECT_TRUE(png);
}

TEST_F(PdfWriterTest, DetailPagesInGerman) {
    write(Lang::De);
    std::string t = folded(pdftext(mun_pdf()), false);
    for (const char* s : {"Ergebnisse je Baustein",
                          "Baustein ORP.4",
                          "nicht erfüllt: Kontosperrung",
                          "Nachweis: win.lockout.threshold = 0 (exports/srv-01/secedit.inf:14)",
                          "Maßnahme: Maßnahme für ORP.4.lockout",
                          "kein Nachweis: Datensicherung regelmäßig geprüft",
                          "Fehler: Kontosperrung",
                          "Systeme, die aus der Wartung fallen",
                          "Windows Server",
                          "10.10.2023",
                          "13.10.2026",
                          "Windows 10 22H2",
                          "01.05.2027",
                          "Supportende in 159",
                          "Akzeptierte Risiken",
                          "SMBv1 abgeschaltet (SYS.1.2.smb1)",
                          "Begründung: Altes Scangerät im Bürgerbüro braucht SMBv1",
                          "Entschieden von: Bürgermeisterin Käthe Groß am 01.06.2026",
                          "Gültig bis: 31.03.2027",
                          "Vorgang: IT-1234",
                          "Bewertungsmethode",
                          "Ampel nach den Stufen des IT-Grundschutzes",
                          "Grau („keine Bewertung“)",
                          "Er dient nur dem Vergleich über die Zeit",
                          "erhöhen den Wert nie"})
        EXPECT_NE(t.find(s), std::string::npos) << s;
    for (const char* s : {"Grün ab", "Gelb ab"}) EXPECT_EQ(t.find(s), std::string::npos) << s;
    EXPECT_EQ(t.find("Scoring method"), std::string::npos);
    EXPECT_EQ(t.find("Page 1 of"), std::string::npos);
}

// Paragraph text without line breaks and without the blank Pango may leave after a hyphen where
// it wrapped ("Basis- Anforderungen"); apply to both the PDF text and what is looked for.
std::string flat(const std::string& s) {
    std::string in = folded(s, false), out;
    for (char c : in) {
        if (c == ' ' && !out.empty() && out.back() == '-') continue;
        out.push_back(c);
    }
    return out;
}

TEST_F(PdfWriterTest, LevelTalliesCoverageAndBausteine) {
    scan_.municipalities[0].coverage = testing::sample_coverage();
    scan_.coverage = testing::sample_coverage();
    write(Lang::De);
    std::string p1 = flat(pdftext(mun_pdf(), 1, 1));
    // Counted once per requirement: CON.3.A1 passed on the PC but lacks evidence on the server.
    for (const char* s : {"Basis: 0 von 7 erfüllt (5 nicht erfüllt, 1 ohne Nachweis, 1 Risiko "
                          "akzeptiert)",
                          "Standard: 0 von 0 erfüllt (0 nicht erfüllt, 0 ohne Nachweis)",
                          "7 von 40 Anforderungen der modellierten Bausteine automatisch geprüft; "
                          "31 sind organisatorisch oder anders nicht automatisch prüfbar.",
                          "Rot: 5 Basis-Anforderungen sind nicht erfüllt."})
        EXPECT_NE(p1.find(flat(s)), std::string::npos) << s << "\n---\n" << p1;
    std::string all = folded(pdftext(mun_pdf()));
    EXPECT_NE(all.find("Modellierte Bausteine"), std::string::npos);
    EXPECT_NE(all.find("nicht automatisch prüfbar"), std::string::npos) << all;
    EXPECT_NE(all.find("7 von 25 automatisch geprüft"), std::string::npos) << all;
    EXPECT_LT(all.find("Modellierte Bausteine"), all.find("Ergebnisse je Baustein"));
    std::string v = flat(pdftext(verbund_pdf()));
    EXPECT_NE(v.find(flat("7 von 40 Anforderungen der modellierten Bausteine automatisch geprüft")),
              std::string::npos)
        << v;
    write(Lang::En);
    std::string en = flat(pdftext(mun_pdf()));
    for (const char* s : {"Basis: 0 of 7 met (5 failed, 1 without evidence, 1 accepted risk)",
                          "7 of 40 requirements of the modelled Bausteine were checked "
                          "automatically; 31 are organisational or otherwise not automatically "
                          "checkable.",
                          "Modelled Bausteine"})
        EXPECT_NE(en.find(flat(s)), std::string::npos) << s << "\n---\n" << en;
}

TEST_F(PdfWriterTest, GreenMunicipalityNamesWhatWasChecked) {
    // Markt Lindenau: its only result passes.
    scan_.municipalities[1].coverage = testing::sample_coverage();
    ASSERT_EQ(scan_.municipalities[1].score.ampel, Ampel::Green);
    write(Lang::De);
    std::string p1 = flat(pdftext(dir_ / "pdf" / "markt-lindenau.pdf", 1, 1));
    EXPECT_NE(p1.find("Ampel: Grün"), std::string::npos) << p1;
    EXPECT_NE(p1.find(flat("Grün: Alle automatisch geprüften Basis- und Standard-Anforderungen "
                           "sind erfüllt. Das sind 7 von 40 Anforderungen der modellierten "
                           "Bausteine; über die übrigen sagt diese Ampel nichts.")),
              std::string::npos)
        << p1;
    write(Lang::En);
    p1 = flat(pdftext(dir_ / "pdf" / "markt-lindenau.pdf", 1, 1));
    EXPECT_NE(p1.find(flat("That is 7 of 40 requirements of the modelled Bausteine; this light "
                           "says nothing about the others.")),
              std::string::npos)
        << p1;
}

TEST_F(PdfWriterTest, LowCoverageIsNotRatedNotRed) {
    // Markt Lindenau: a critical failure, but three of four checks lack evidence (25 % < 50 %).
    auto& pc = scan_.municipalities[1].assets[0].results;
    pc = {result("ORP.4.lockout", ResultState::Fail, "Schwelle 0"),
          result("CON.3.backup", ResultState::NoEvidence, "kein Export"),
          result("SYS.1.1.pw-minlen", ResultState::NoEvidence, "kein Export"),
          result("OPS.1.1.3.patches", ResultState::NoEvidence, "kein Export")};
    score_scan(scan_, ScoringConfig{});
    ASSERT_EQ(scan_.municipalities[1].score.ampel, Ampel::None);
    write(Lang::De);
    std::string p1 = flat(pdftext(dir_ / "pdf" / "markt-lindenau.pdf", 1, 1));
    EXPECT_NE(p1.find("Ampel: keine Bewertung"), std::string::npos) << p1;
    EXPECT_EQ(p1.find("Ampel: Rot"), std::string::npos) << p1;
    EXPECT_NE(p1.find(flat("Keine Bewertung: Nur 25 % der Prüfungen konnten mit Nachweisen "
                           "entschieden werden (Mindestabdeckung 50 %).")),
              std::string::npos)
        << p1;
    EXPECT_NE(p1.find(flat("Die gefundenen Mängel gelten trotzdem.")), std::string::npos);
}

TEST_F(PdfWriterTest, AdvisoryFindingsMarkedNotScored) {
    rules_.rules[6].advisory = true;  // NET.1.1.rdp fails on the PC
    score_scan(scan_, ScoringConfig{});
    EXPECT_EQ(scan_.municipalities[0].score.advisory_findings, 1);
    write(Lang::De);
    std::string t = flat(pdftext(mun_pdf()));
    EXPECT_NE(t.find(flat("Hinweis (nicht bewertet): Fernwartung nur über VPN")), std::string::npos)
        << t;
    EXPECT_NE(t.find(flat("NET.1.1.rdp · Hinweis (nicht bewertet)")), std::string::npos) << t;
    EXPECT_NE(t.find(flat("1 Hinweis (nicht bewertet)")), std::string::npos);
}

TEST_F(PdfWriterTest, HostileTextIsPlainText) {
    write(Lang::De);
    std::string t = folded(pdftext(mun_pdf()));
    EXPECT_NE(
        t.find("PC-Bürgerbüro <script>alert(1)</script> & Co ?? \xEF\xBF\xBD\xEF\xBF\xBD Ende"),
        std::string::npos)
        << t;
    EXPECT_NE(t.find("win.password.min_length = <b>8</b> & \"x\" ?"), std::string::npos) << t;
    EXPECT_NE(t.find("(exports/pc-02/<gpo>.xml:7)"), std::string::npos);
    EXPECT_NE(t.find("8 < 12 <script>"), std::string::npos);
    EXPECT_EQ(t.find('\x01'), std::string::npos);
    EXPECT_EQ(t.find('\x07'), std::string::npos);
    std::string v = folded(pdftext(verbund_pdf()));
    EXPECT_NE(v.find("Landkreis Muster & Söhne"), std::string::npos) << v;
    EXPECT_NE(v.find("Export <alt> übersprungen"), std::string::npos) << v;
}

TEST_F(PdfWriterTest, VerbundListsMunicipalitiesAndTotal) {
    write(Lang::De);
    std::string v = folded(pdftext(verbund_pdf()));
    for (const std::string& s :
         {std::string("Gemeinde Öhringen-Süd"), std::string("Markt Lindenau"),
          std::string("Gesamt (Verbund)"), std::string("Seite 1 von"),
          std::string("Übersicht aller Kommunen"), format_percent(scan_.score.value),
          std::string("Bewertungsmethode")})
        EXPECT_NE(v.find(s), std::string::npos) << s << "\n---\n" << v;
}

TEST_F(PdfWriterTest, EnglishWithLangEn) {
    write(Lang::En);
    std::string t = folded(pdftext(mun_pdf()));
    for (const char* s :
         {"Page 1 of", "As of 2026-11-23", "Traffic light: red", "The five most important",
          "Why it matters: Without it", "Account lockout enabled", "Results per module",
          "Systems running out of support", "Accepted risks", "Scoring method",
          "Remediation: Remediation for ORP.4.lockout", "of the checks could be decided"})
        EXPECT_NE(t.find(s), std::string::npos) << s;
    for (const char* s : {"Seite 1 von", "Bewertungsmethode", "Akzeptierte Risiken"})
        EXPECT_EQ(t.find(s), std::string::npos) << s;
    EXPECT_NE(folded(pdftext(verbund_pdf())).find("Total (organisation)"), std::string::npos);
}

TEST_F(PdfWriterTest, FirstScanHasNoTrend) {
    scan_.municipalities.front().trend.clear();
    scan_.municipalities.front().changes = ChangeSummary{};
    write(Lang::De);
    std::string p1 = folded(pdftext(mun_pdf(), 1, 1));
    EXPECT_NE(p1.find("Erste Prüfung – noch kein Verlauf"), std::string::npos) << p1;
    EXPECT_EQ(p1.find("Seit der Prüfung vom"), std::string::npos);
    std::string p2 = folded(pdftext(dir_ / "pdf" / "markt-lindenau.pdf", 1, 1));
    EXPECT_NE(p2.find("Keine offenen Mängel"), std::string::npos) << p2;
}

TEST_F(PdfWriterTest, UnsafeIdsGiveSafeFileNames) {
    scan_.municipalities.front().id = "../Verbund";
    scan_.municipalities.back().id = "verbund";
    auto written = write(Lang::De);
    ASSERT_EQ(written.size(), 3u);
    for (const auto& p : written) EXPECT_EQ(p.parent_path(), dir_ / "pdf") << p;
    EXPECT_TRUE(fs::exists(verbund_pdf()));
    EXPECT_NE(folded(pdftext(verbund_pdf())).find("Gesamt (Verbund)"), std::string::npos);
}

TEST_F(PdfWriterTest, RoadmapTimelineAndTable) {
    MunicipalityResult& m = scan_.municipalities[0];
    m.roadmap = {
        {"web-01", "Portal <script>", "nginx", "1.22", "2023-04-11", "", "ended"},
        {"srv-02", "Datenbank", "postgresql", "13", "2025-11-13", "2028-06-30", "extended"},
        {"srv-03", "Fileserver", "php", "8.3", "2027-12-31", "", "regular"}};
    write(Lang::De);
    std::string t = folded(pdftext(mun_pdf()), false);
    for (const char* s : {"Ablöse-Roadmap", "reguläre Unterstützung", "erweiterte Unterstützung",
                          "Portal <script>", "nginx 1.22", "11.04.2023", "PostgreSQL 13",
                          "30.06.2028", "PHP 8.3", "31.12.2027", "beendet seit"})
        EXPECT_NE(t.find(s), std::string::npos) << s;
    EXPECT_LT(t.find("Systeme, die aus der Wartung fallen"), t.find("Ablöse-Roadmap"));
    EXPECT_LT(t.find("Ablöse-Roadmap"), t.find("Akzeptierte Risiken"));
    write(Lang::En);
    std::string e = folded(pdftext(mun_pdf()), false);
    EXPECT_NE(e.find("Replacement roadmap"), std::string::npos);
    EXPECT_NE(e.find("extended support"), std::string::npos);
}

TEST_F(PdfWriterTest, RoadmapWithoutData) {
    write(Lang::De);
    EXPECT_NE(folded(pdftext(mun_pdf()), false)
                  .find("Für kein System und keine Software liegen Daten zum Ende der "
                        "Unterstützung vor."),
              std::string::npos);
}

}  // namespace
}  // namespace grundscan
