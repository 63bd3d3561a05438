#include "rules/scoring.hpp"

#include <gtest/gtest.h>

#include "rules/bsi_catalog.hpp"
#include "tests/test_support.hpp"

using namespace grundscan;

namespace {

Tally tally(std::vector<std::tuple<ResultState, Severity, double>> items) {
    Tally t;
    for (auto [s, sev, w] : items) t.add(s, sev, w);
    return t;
}

using S = ResultState;
using V = Severity;

// Requirement states: id -> (level, states of the results citing it).
RequirementStates requirements(
    std::vector<std::tuple<std::string, Level, std::vector<ResultState>>> items) {
    RequirementStates out;
    for (const auto& [id, level, states] : items) {
        RequirementState st;
        st.level = level;
        for (auto s : states) st.add(s);
        out[id] = st;
    }
    return out;
}

Rule rule(const std::string& id, const std::string& ref, Level level, Severity sev, double w) {
    Rule r;
    r.id = id;
    r.references = {RequirementRef{ref, {"prüft", "checks"}, false, {}, 0}};
    r.module = ref.substr(0, ref.rfind(".A"));
    r.level = level;
    r.severity = sev;
    r.weight = w;
    return r;
}

const auto passing = tally({{S::Pass, V::High, 6}});

}  // namespace

TEST(Scoring, WeightedComplianceIgnoresNoEvidenceAndErrors) {
    auto t = tally({{S::Pass, V::High, 6},
                    {S::Fail, V::Medium, 3},
                    {S::Pass, V::Low, 1},
                    {S::NoEvidence, V::High, 6},
                    {S::Error, V::High, 6},
                    {S::NotApplicable, V::High, 6}});
    Score s = compute_score(t, {}, ScoringConfig{});
    ASSERT_TRUE(s.value);
    EXPECT_DOUBLE_EQ(*s.value, 100.0 * 7 / 10);
    ASSERT_TRUE(s.coverage);
    EXPECT_DOUBLE_EQ(*s.coverage, 100.0 * 3 / 5);  // pass+fail over applicable (n/a excluded)
}

TEST(Scoring, FlatUnweightedCountsResults) {
    auto t = tally(
        {{S::Pass, V::High, 6}, {S::Fail, V::Low, 1}, {S::Pass, V::Low, 1}, {S::Pass, V::Low, 1}});
    ScoringConfig c;
    c.model = ScoreModel::FlatUnweighted;
    EXPECT_DOUBLE_EQ(*compute_score(t, {}, c).value, 75.0);
    EXPECT_DOUBLE_EQ(*compute_score(t, {}, ScoringConfig{}).value, 100.0 * 8 / 9);
}

TEST(ScoringAmpel, AFailedBasisRequirementIsRedWhateverThePercentage) {
    std::vector<std::tuple<ResultState, Severity, double>> items(50, {S::Pass, V::High, 6});
    items.emplace_back(S::Fail, V::Low, 1);
    auto reqs = requirements({{"ORP.4.A22", Level::Basis, {S::Pass, S::Pass}},
                              {"ORP.4.A23", Level::Basis, {S::Pass, S::Fail}}});
    Score s = compute_score(tally(items), reqs, ScoringConfig{});
    EXPECT_GT(*s.value, 99);
    EXPECT_EQ(s.ampel, Ampel::Red);
    EXPECT_EQ(s.basis.requirements, 2);
    EXPECT_EQ(s.basis.met, 1);
    EXPECT_EQ(s.basis.failed, 1);
}

TEST(ScoringAmpel, CriticalFailureIsRedEvenOnAStandardRequirement) {
    auto reqs = requirements({{"ORP.4.A13", Level::Standard, {S::Fail}}});
    Score s = compute_score(tally({{S::Pass, V::High, 6}, {S::Fail, V::Critical, 10}}), reqs,
                            ScoringConfig{});
    EXPECT_EQ(s.ampel, Ampel::Red);
}

TEST(ScoringAmpel, BasisMetStandardGapIsYellow) {
    auto reqs = requirements(
        {{"ORP.4.A22", Level::Basis, {S::Pass}}, {"ORP.4.A13", Level::Standard, {S::Fail}}});
    Score s = compute_score(tally({{S::Pass, V::High, 6}, {S::Fail, V::Medium, 3}}), reqs,
                            ScoringConfig{});
    EXPECT_EQ(s.ampel, Ampel::Yellow);
    EXPECT_EQ(s.standard.failed, 1);
}

TEST(ScoringAmpel, BasisWithoutEvidenceIsNotGreen) {
    auto reqs = requirements({{"ORP.4.A22", Level::Basis, {S::Pass}},
                              {"OPS.1.1.3.A15", Level::Basis, {S::Pass, S::NoEvidence}}});
    Score s = compute_score(
        tally({{S::Pass, V::High, 6}, {S::Pass, V::High, 6}, {S::NoEvidence, V::High, 6}}), reqs,
        ScoringConfig{});
    EXPECT_EQ(s.basis.no_evidence, 1);
    EXPECT_EQ(s.basis.met, 1);
    EXPECT_EQ(s.ampel, Ampel::Yellow);
}

TEST(ScoringAmpel, GreenOnlyWhenBasisAndStandardAreMet) {
    auto reqs = requirements({{"ORP.4.A22", Level::Basis, {S::Pass}},
                              {"ORP.4.A13", Level::Standard, {S::Pass, S::NotApplicable}},
                              {"SYS.1.3.A8", Level::Standard, {S::NotApplicable}}});
    Score s = compute_score(passing, reqs, ScoringConfig{});
    EXPECT_EQ(s.ampel, Ampel::Green);
    EXPECT_EQ(s.standard.requirements, 1);  // only-not-applicable requirements are not counted
}

TEST(ScoringAmpel, AcceptedRiskDoesNotTurnRedButIsNotCountedAsMet) {
    auto reqs = requirements({{"ORP.4.A22", Level::Basis, {S::Waived}}});
    Score s = compute_score(passing, reqs, ScoringConfig{});
    EXPECT_EQ(s.basis.waived, 1);
    EXPECT_EQ(s.basis.met, 0);
    EXPECT_EQ(s.ampel, Ampel::Green);
}

TEST(ScoringAmpel, BelowMinimumCoverageIsGreyNotRed) {
    auto reqs = requirements({{"ORP.4.A22", Level::Basis, {S::Fail, S::NoEvidence}}});
    auto t = tally(
        {{S::Fail, V::Critical, 10}, {S::NoEvidence, V::High, 6}, {S::NoEvidence, V::High, 6}});
    Score s = compute_score(t, reqs, ScoringConfig{});  // coverage 33 % < 50 %
    EXPECT_EQ(s.ampel, Ampel::None);
    ScoringConfig lenient;
    lenient.min_coverage = 30;
    EXPECT_EQ(compute_score(t, reqs, lenient).ampel, Ampel::Red);
}

TEST(ScoringAmpel, NothingDecidedHasNoScoreAndNoAmpel) {
    Score s = compute_score(tally({{S::NoEvidence, V::High, 6}, {S::Error, V::Low, 1}}), {},
                            ScoringConfig{});
    EXPECT_FALSE(s.value);
    EXPECT_EQ(s.ampel, Ampel::None);
    EXPECT_DOUBLE_EQ(*s.coverage, 0.0);
}

TEST(Scoring, ScanRollUpPoolsResultsPerMunicipalityModuleAndOrganisation) {
    Rule pw = rule("GS-A", "ORP.4.A22", Level::Basis, V::High, 6);
    Rule ssh = rule("GS-B", "SYS.1.3.A8", Level::Standard, V::Medium, 3);
    ScanResult scan;
    scan.rules = {&pw, &ssh};
    MunicipalityResult m1;
    m1.id = "m1";
    m1.name = "M1";
    AssetResult a1;
    a1.results = {{"GS-A", S::Pass, "", {}, {}}, {"GS-B", S::Fail, "", {}, {}}};
    AssetResult a2;
    a2.results = {{"GS-A", S::Pass, "", {}, {}}, {"GS-B", S::NotApplicable, "", {}, {}}};
    m1.assets = {a1, a2};
    MunicipalityResult m2;
    m2.id = "m2";
    m2.name = "M2";
    AssetResult a3;
    a3.results = {{"GS-A", S::Fail, "", {}, {}}, {"GS-B", S::NoEvidence, "", {}, {}}};
    m2.assets = {a3};
    scan.municipalities = {m1, m2};
    score_scan(scan, ScoringConfig{ScoreModel::Weighted, 0});
    const auto& r1 = scan.municipalities[0];
    EXPECT_DOUBLE_EQ(*r1.assets[0].score.value, 100.0 * 6 / 9);
    EXPECT_DOUBLE_EQ(*r1.assets[1].score.value, 100.0);
    EXPECT_DOUBLE_EQ(*r1.score.value, 100.0 * 12 / 15);
    EXPECT_EQ(r1.score.ampel, Ampel::Yellow);  // Basis ORP.4.A22 met, Standard SYS.1.3.A8 not
    EXPECT_EQ(r1.score.basis, (LevelTally{1, 1, 0, 0, 0}));
    EXPECT_EQ(r1.score.standard, (LevelTally{1, 0, 1, 0, 0}));
    ASSERT_EQ(r1.modules.size(), 2u);
    EXPECT_EQ(r1.modules[0].module, "ORP.4");
    EXPECT_DOUBLE_EQ(*r1.modules[0].score.value, 100.0);
    EXPECT_DOUBLE_EQ(*r1.modules[1].score.value, 0.0);
    EXPECT_DOUBLE_EQ(*scan.municipalities[1].score.value, 0.0);
    EXPECT_EQ(scan.municipalities[1].score.ampel, Ampel::Red);
    EXPECT_DOUBLE_EQ(*scan.score.value, 100.0 * 12 / 21);
    EXPECT_EQ(scan.score.tally.no_evidence, 1);
    // Organisation: ORP.4.A22 failed in M2 -> failed once, however many systems passed.
    EXPECT_EQ(scan.score.basis, (LevelTally{1, 0, 1, 0, 0}));
    EXPECT_EQ(scan.score_model, "weighted");
}

TEST(Scoring, AdvisoryRulesAreShownButNeverScored) {
    Rule pw = rule("GS-A", "ORP.4.A22", Level::Basis, V::High, 6);
    Rule tip = rule("GS-TIP", "APP.3.1.A21", Level::Standard, V::Low, 1);
    tip.advisory = true;
    ScanResult scan;
    scan.rules = {&pw, &tip};
    MunicipalityResult m;
    AssetResult a;
    a.results = {{"GS-A", S::Pass, "", {}, {}}, {"GS-TIP", S::Fail, "", {}, {}}};
    m.assets = {a};
    scan.municipalities = {m};
    score_scan(scan, ScoringConfig{});
    const auto& s = scan.municipalities[0].score;
    EXPECT_DOUBLE_EQ(*s.value, 100.0);
    EXPECT_EQ(s.tally.fail, 0);
    EXPECT_EQ(s.standard.requirements, 0);
    EXPECT_EQ(s.advisory_findings, 1);
    EXPECT_EQ(s.ampel, Ampel::Green);
    EXPECT_EQ(scan.score.advisory_findings, 1);
}

TEST(Scoring, RequirementLevelComesFromTheCatalogueAndKindFiltersApply) {
    auto catalog = BsiCatalog::load(grundscan::testing::source_dir() / "rules" / "catalogs");
    ASSERT_TRUE(catalog) << catalog.error().describe();
    // Primary OPS.1.1.3.A15 (Basis); SYS.2.1.A3 (Basis) only for clients.
    Rule upd = rule("GS-UPD", "OPS.1.1.3.A15", Level::Basis, V::High, 6);
    upd.references.push_back(RequirementRef{"SYS.2.1.A3", {"x", "x"}, true, {"windows-client"}, 0});
    Rule lock = rule("GS-LOCK", "ORP.4.A13", Level::Basis /* wrong on purpose */, V::High, 6);
    ScanResult scan;
    scan.rules = {&upd, &lock};
    MunicipalityResult m;
    AssetResult server;
    server.kind = "windows-server";
    server.results = {{"GS-UPD", S::Fail, "", {}, {}}, {"GS-LOCK", S::Fail, "", {}, {}}};
    AssetResult client;
    client.kind = "windows-client";
    client.results = {{"GS-UPD", S::Pass, "", {}, {}}, {"GS-LOCK", S::Pass, "", {}, {}}};
    m.assets = {server, client};
    scan.municipalities = {m};
    ScoringConfig c;
    c.catalog = &*catalog;
    score_scan(scan, c);
    const auto& mun = scan.municipalities[0];
    EXPECT_EQ(mun.assets[0].score.basis, (LevelTally{1, 0, 1, 0, 0}));  // A15 only, no SYS.2.1.A3
    EXPECT_EQ(mun.assets[0].score.standard, (LevelTally{1, 0, 1, 0, 0}));  // ORP.4.A13 is S
    EXPECT_EQ(mun.assets[1].score.basis, (LevelTally{2, 2, 0, 0, 0}));
    // Coverage against the modelled Bausteine of both kinds plus the organisation's.
    const auto& cov = mun.coverage;
    std::vector<std::string> ids;
    for (const auto& b : cov.bausteine) ids.push_back(b.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"ISMS.1", "ORP.4", "OPS.1.1.3", "CON.1", "SYS.2.1",
                                             "SYS.2.2.3", "SYS.1.1", "SYS.1.2.3"}));
    EXPECT_EQ(cov.checkable, 3);  // OPS.1.1.3.A15, SYS.2.1.A3, ORP.4.A13
    EXPECT_EQ(cov.checked, 3);
    EXPECT_GT(cov.modelled, 100);
    EXPECT_EQ(cov.not_checkable(), cov.modelled - cov.checkable);
    for (const auto& b : cov.bausteine) {
        if (b.id == "SYS.1.2.3") {
            EXPECT_EQ(b.checkable, 0);  // "nicht automatisch prüfbar"
        }
    }
}
