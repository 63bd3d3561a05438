// Content selection shared by the HTML, PDF, Markdown and CSV writers.
#include "reports/report_content.hpp"

#include <gtest/gtest.h>

#include "tests/reports/sample_scan.hpp"

namespace grundscan {
namespace {

using testing::make_sample_scan;
using testing::result;
using testing::sample_rule;
using testing::SampleOptions;

TEST(ReportContent, FixGroupsOneEntryPerRuleMostImportantFirst) {
    std::vector<Rule> rules = {
        sample_rule("R-LOW", "SYS.2.1", Severity::Low, "Niedrig", "Low"),
        sample_rule("R-HIGH-LIGHT", "SYS.2.1", Severity::High, "Hoch leicht", "High light"),
        sample_rule("R-HIGH-HEAVY", "SYS.2.1", Severity::High, "Hoch schwer", "High heavy"),
        sample_rule("R-CRIT", "ORP.4", Severity::Critical, "Kritisch", "Critical"),
        sample_rule("R-PASS", "ORP.4", Severity::Critical, "Erfüllt", "Met"),
    };
    rules[1].weight = 2;
    rules[2].weight = 6;
    SampleOptions o;
    o.server_results = {
        result("R-LOW", ResultState::Fail, "a"), result("R-HIGH-LIGHT", ResultState::Fail, "b"),
        result("R-PASS", ResultState::Pass, "c"), result("R-HIGH-HEAVY", ResultState::Fail, "d")};
    o.client_results = {
        result("R-HIGH-LIGHT", ResultState::Fail, "e"), result("R-CRIT", ResultState::Fail, "f"),
        result("R-UNKNOWN", ResultState::Fail, "g"), result("R-LOW", ResultState::NoEvidence, "h")};
    auto sample = make_sample_scan(std::move(rules), o);
    const auto& mun = sample.scan.municipalities.front();
    auto groups = fix_groups(sample.scan, mun);
    std::vector<std::string> order;
    for (const auto& g : groups) order.push_back(g.rule_id);
    // critical; high by weight (6 before 2); a rule missing from the scan counts as medium.
    EXPECT_EQ(order, (std::vector<std::string>{"R-CRIT", "R-HIGH-HEAVY", "R-HIGH-LIGHT",
                                               "R-UNKNOWN", "R-LOW"}));
    ASSERT_EQ(groups[2].where.size(), 2u);  // both systems
    EXPECT_EQ(groups[2].where[0], (std::pair<std::size_t, std::size_t>{0, 1}));
    EXPECT_EQ(groups[2].where[1], (std::pair<std::size_t, std::size_t>{1, 0}));
    EXPECT_EQ(groups[3].rule, nullptr);
    EXPECT_EQ(groups[3].severity(), Severity::Medium);
    EXPECT_EQ(groups[4].where.size(), 1u);  // the no-evidence result is not a failure
}

TEST(ReportContent, RoadmapRowsEarliestEndFirstOpenEndedLast) {
    MunicipalityResult mun;
    mun.roadmap = {{"a", "A", "php", "8.1", "2025-12-31", "", "ended"},
                   {"b", "B", "debian", "13", "", "", "regular"},
                   {"c", "C", "windows-server", "2012-r2", "2023-10-10", "2026-10-13", "ended"},
                   {"d", "D", "apache-http-server", "2.4", "", "", "regular"}};
    auto rows = roadmap_rows(mun);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0]->asset_id, "c");
    EXPECT_EQ(rows[1]->asset_id, "a");
    EXPECT_EQ(rows[2]->asset_id, "b");  // no end announced: last, in their order
    EXPECT_EQ(rows[3]->asset_id, "d");
    EXPECT_EQ(roadmap_end(*rows[0])->iso(), "2026-10-13");  // extended support outlasts
    EXPECT_EQ(roadmap_end(*rows[1])->iso(), "2025-12-31");
    EXPECT_FALSE(roadmap_end(*rows[2]));
    EXPECT_EQ(roadmap_release(*rows[3]), "Apache HTTP Server 2.4");
    EXPECT_EQ(roadmap_release(*rows[1]), "PHP 8.1");
}

TEST(ReportContent, MaintenanceRowsEndedThenExtendedThenSoon) {
    ScanResult scan;
    scan.as_of = "2026-11-23";
    MunicipalityResult mun;
    auto asset = [&](const char* id, SupportInfo s) {
        AssetResult a;
        a.id = id;
        a.support = std::move(s);
        mun.assets.push_back(a);
    };
    asset("soon-late", {"Windows Server 2016", "regular", "2027-11-01", ""});
    asset("fine", {"Windows Server 2025", "regular", "2029-11-13", "2034-10-10"});
    asset("esu", {"Windows 10", "extended", "2025-10-14", "2028-10-10"});
    asset("gone", {"Windows Server 2012 R2", "ended", "2023-10-10", "2026-10-13"});
    asset("soon", {"Debian 12", "regular", "2026-12-10", "2028-06-30"});
    asset("unknown", {"", "", "", ""});
    asset("past-no-phase", {"Windows 7", "", "2020-01-14", ""});  // feed phase missing
    auto rows = maintenance_rows(scan, mun);
    std::vector<std::string> ids;
    for (const auto& r : rows) ids.push_back(r.asset->id);
    EXPECT_EQ(ids, (std::vector<std::string>{"past-no-phase", "gone", "esu", "soon", "soon-late"}));
    EXPECT_EQ(rows[0].state, MaintenanceState::Ended);
    EXPECT_EQ(*rows[0].days, -2505);  // since 2020-01-14
    EXPECT_EQ(*rows[1].days, -41);    // extended support ended 2026-10-13
    EXPECT_EQ(rows[2].state, MaintenanceState::ExtendedOnly);
    EXPECT_EQ(*rows[2].days, 687);  // to 2028-10-10
    EXPECT_EQ(rows[3].state, MaintenanceState::EndsSoon);
    EXPECT_EQ(*rows[3].days, 17);
    EXPECT_EQ(*rows[4].days, 343);
}

TEST(ReportContent, MunicipalityFileStemsAreSafeUniqueAndNotTheRollUp) {
    ScanResult scan;
    for (const char* id : {"../evil id", "../Evil_id", "Index", "landratsamt", ".hidden", ""}) {
        MunicipalityResult m;
        m.id = id;
        scan.municipalities.push_back(m);
    }
    EXPECT_EQ(municipality_file_stems(scan, "index"),
              (std::vector<std::string>{"_.._evil_id", "_.._Evil_id-2", "_Index", "landratsamt",
                                        "_.hidden", "_"}));
    EXPECT_EQ(municipality_file_stems(scan, "verbund")[2], "Index");
}

TEST(ReportContent, LevelAndCoverageSentences) {
    EXPECT_EQ(level_summary(Level::Basis, LevelTally{5, 2, 1, 1, 1}, Lang::De),
              "Basis: 2 von 5 erfüllt (1 nicht erfüllt, 1 ohne Nachweis, 1 Risiko akzeptiert)");
    EXPECT_EQ(level_summary(Level::Standard, LevelTally{3, 3, 0, 0, 0}, Lang::En),
              "Standard: 3 of 3 met (0 failed, 0 without evidence)");
    BsiCoverage c;
    EXPECT_EQ(coverage_sentence(c, Lang::De), "") << "nothing modelled: no sentence";
    c.modelled = 40;
    c.checkable = 8;
    c.checked = 7;
    c.basis_modelled = 18;
    c.basis_checked = 5;
    EXPECT_EQ(coverage_sentence(c, Lang::De),
              "7 von 40 Anforderungen der modellierten Bausteine automatisch geprüft; 32 sind "
              "organisatorisch oder anders nicht automatisch prüfbar. 1 wäre automatisch "
              "prüfbar, es fehlt aber der Nachweis. Basis-Anforderungen: 5 von 18 geprüft.");
    EXPECT_EQ(advisory_count(1, Lang::De), "1 Hinweis (nicht bewertet)");
    EXPECT_EQ(advisory_count(3, Lang::De), "3 Hinweise (nicht bewertet)");
    EXPECT_EQ(advisory_count(3, Lang::En), "3 advisory findings (not scored)");
    EXPECT_EQ(baustein_status(BausteinCoverage{"CON.1", "", 15, 0, 0}, Lang::De),
              "nicht automatisch prüfbar");
}

}  // namespace
}  // namespace grundscan
