// The "Datenstand" block: one selection (datenstand_rows) rendered by the HTML, PDF, Markdown and
// JSON reports, and read back from results.json.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "reports/report_content.hpp"
#include "reports/results_reader.hpp"
#include "reports/writer.hpp"
#include "rules/scoring.hpp"
#include "tests/reports/sample_scan.hpp"

namespace grundscan {
namespace {

namespace fs = std::filesystem;

FeedInfo feed(const std::string& name, const std::string& data_date, const std::string& coverage,
              const std::string& note) {
    FeedInfo f;
    f.name = name;
    f.version = "v";
    f.source = "offline snapshot";
    f.data_date = data_date;
    f.data_date_basis = "test basis";
    f.coverage = coverage;
    f.coverage_note = note;
    f.max_age_days = 30;
    return f;
}

// The shipped snapshot's feeds as a scan on 2026-11-23 records them.
std::vector<FeedInfo> shipped_feeds() {
    std::vector<FeedInfo> feeds{
        feed("endoflife", "2026-08-22", "complete", "products: debian, windows"),
        feed("cisa-kev", "2025-08-25", "complete", "1404 CVEs"),
        feed("debian-security-tracker", "2024-07-01", "excerpt",
             "7 source packages; complete for no release"),
        feed("windows-builds", "", "", "")};
    feeds[3].version.clear();  // missing
    feeds[1].last_error = "HTTP 404 from http://mirror.example/<script>kev</script>";
    return feeds;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string run(const std::string& cmd) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    if (!pipe) return "";
    std::string out;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
    return out;
}

// pdftotext output with runs of blanks and line breaks folded to one blank.
std::string pdf_words(const fs::path& pdf) {
    std::string raw = run("pdftotext -layout -enc UTF-8 '" + pdf.string() + "' - 2>&1"), out;
    for (char c : raw) {
        if (c == '\n') c = ' ';
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out.push_back(c);
    }
    return out;
}

class DatenstandTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = testing::fresh_test_dir("grundscan-datenstand");
        sample_ = testing::make_sample_scan(
            {testing::sample_rule("GS-A", "ORP.4", Severity::High, "Regel A", "Rule A")},
            testing::SampleOptions::late());
        sample_.scan.feeds = shipped_feeds();
        score_scan(sample_.scan, ScoringConfig{});
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(const ReportWriter& w, Lang lang) {
        ReportOptions options;
        options.out_dir = dir_;
        options.lang = lang;
        auto written = w.write(sample_.scan, options);
        ASSERT_TRUE(written.ok()) << written.error().describe();
    }

    fs::path dir_;
    testing::SampleScan sample_;
};

TEST_F(DatenstandTest, RowsJudgeAgeAtTheStichtagAndCoverage) {
    auto rows = datenstand_rows(sample_.scan, Lang::De);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].title, "endoflife.date");
    EXPECT_EQ(*rows[0].age_days, 93);
    EXPECT_EQ(rows[0].coverage, "vollständig");
    ASSERT_EQ(rows[0].warnings.size(), 1u);
    EXPECT_EQ(rows[0].warnings[0], "veraltet: älter als 30 Tage am Stichtag");

    EXPECT_EQ(rows[1].title, "CISA KEV");
    EXPECT_EQ(rows[1].data_date, "2025-08-25");
    EXPECT_EQ(*rows[1].age_days, 455);
    ASSERT_EQ(rows[1].warnings.size(), 2u);
    EXPECT_EQ(rows[1].warnings[1].rfind("letzte Aktualisierung fehlgeschlagen: HTTP 404", 0), 0u);

    EXPECT_EQ(rows[2].coverage, "Auszug");
    EXPECT_NE(rows[2].warnings.back().find("kein Nachweis"), std::string::npos);

    EXPECT_EQ(rows[3].data_date, "–");
    EXPECT_FALSE(rows[3].age_days.has_value());
    EXPECT_EQ(rows[3].warnings, std::vector<std::string>{"fehlt: keine Daten im Feed-Verzeichnis"});

    auto en = datenstand_rows(sample_.scan, Lang::En);
    EXPECT_EQ(en[2].coverage, "excerpt");
    EXPECT_EQ(en[0].warnings[0], "stale: older than 30 days at the reference date");

    // A current, complete feed: no warning. An excerpt complete for one release says so.
    sample_.scan.feeds[0].data_date = "2026-11-20";
    sample_.scan.feeds[2].complete_for = {"bookworm"};
    auto fresh = datenstand_rows(sample_.scan, Lang::De);
    EXPECT_TRUE(fresh[0].warnings.empty());
    EXPECT_EQ(*fresh[0].age_days, 3);
    EXPECT_EQ(fresh[2].coverage, "Auszug (vollständig für bookworm)");
    EXPECT_NE(datenstand_intro(sample_.scan, Lang::De).find("Stichtag 2026-11-23; Grenze 30 Tage"),
              std::string::npos);
}

TEST_F(DatenstandTest, HtmlEveryPageEscaped) {
    write(html_report_writer(), Lang::De);
    for (const char* page : {"index.html", "musterstadt.html"}) {
        std::string h = slurp(dir_ / "html" / page);
        EXPECT_NE(h.find("<h2 id=\"datenstand\">Datenstand der Referenzdaten</h2>"),
                  std::string::npos)
            << page;
        EXPECT_NE(h.find("<th scope=\"row\">CISA KEV</th><td>2025-08-25"), std::string::npos);
        EXPECT_NE(h.find("455 Tage"), std::string::npos);
        EXPECT_NE(h.find("Auszug"), std::string::npos);
        EXPECT_NE(h.find("veraltet: älter als 30 Tage am Stichtag"), std::string::npos);
        EXPECT_NE(h.find("&lt;script&gt;kev&lt;/script&gt;"), std::string::npos);
        EXPECT_EQ(h.find("<script>kev"), std::string::npos);
    }
    write(html_report_writer(), Lang::En);
    EXPECT_NE(slurp(dir_ / "html" / "index.html").find("Data currency of the reference data"),
              std::string::npos);
}

TEST_F(DatenstandTest, MarkdownTable) {
    write(markdown_report_writer(), Lang::De);
    std::string md = slurp(dir_ / "summary.md");
    EXPECT_NE(md.find("## Datenstand der Referenzdaten"), std::string::npos);
    EXPECT_NE(md.find("| CISA KEV | 2025-08-25 | 455 Tage | vollständig | veraltet: älter als 30 "
                      "Tage am Stichtag; letzte Aktualisierung fehlgeschlagen: HTTP 404 from "
                      "http://mirror.example/&lt;script&gt;kev&lt;/script&gt; |"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| Debian Security Tracker | 2024-07-01 | 875 Tage | Auszug |"),
              std::string::npos);
}

TEST_F(DatenstandTest, JsonCarriesTheBlockAndReadsBack) {
    sample_.scan.feeds[2].complete_for = {"bookworm"};
    std::string text = results_to_json(sample_.scan);
    auto back = parse_results_json(text, "results.json");
    ASSERT_TRUE(back.ok()) << back.error().describe();
    ASSERT_EQ(back->feeds.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        const FeedInfo& a = sample_.scan.feeds[i];
        const FeedInfo& b = back->feeds[i];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.data_date, b.data_date);
        EXPECT_EQ(a.data_date_basis, b.data_date_basis);
        EXPECT_EQ(a.coverage, b.coverage);
        EXPECT_EQ(a.coverage_note, b.coverage_note);
        EXPECT_EQ(a.complete_for, b.complete_for);
        EXPECT_EQ(a.last_error, b.last_error);
        EXPECT_EQ(a.max_age_days, b.max_age_days);
    }
    EXPECT_EQ(results_to_json(*back), text);  // byte-identical round trip
    EXPECT_NE(text.find("\"age_days\": 455"), std::string::npos);
    EXPECT_NE(text.find("\"age_days\": null"), std::string::npos);
    EXPECT_NE(text.find("\"stale: older than 30 days at the reference date\""), std::string::npos);

    // A results.json from before the block existed still reads (fields absent).
    std::string old = text;
    for (const char* key : {"\"data_date\"", "\"coverage\"", "\"max_age_days\""}) {
        auto pos = old.find(key);
        ASSERT_NE(pos, std::string::npos);
        auto end = old.find('\n', pos);
        old.erase(pos, end - pos + 1);
        old.insert(pos, "\"x_unused\": 0,\n");
    }
    auto legacy = parse_results_json(old, "old.json");
    ASSERT_TRUE(legacy.ok()) << legacy.error().describe();
    EXPECT_TRUE(legacy->feeds[0].data_date.empty());
}

TEST_F(DatenstandTest, PdfEveryReport) {
    write(pdf_report_writer(), Lang::De);
    std::vector<fs::path> pdfs;
    for (const auto& e : fs::directory_iterator(dir_ / "pdf")) pdfs.push_back(e.path());
    ASSERT_FALSE(pdfs.empty());
    for (const auto& p : pdfs) {
        std::string t = pdf_words(p);
        if (t.find("Datenstand") == std::string::npos && t.find("pdftotext") != std::string::npos)
            GTEST_SKIP() << "pdftotext not available";
        EXPECT_NE(t.find("Datenstand der Referenzdaten"), std::string::npos) << p;
        EXPECT_NE(t.find("CISA KEV"), std::string::npos) << p;
        EXPECT_NE(t.find("455 Tage"), std::string::npos) << p;
        EXPECT_NE(t.find("Auszug"), std::string::npos) << p;
    }
}

}  // namespace
}  // namespace grundscan
