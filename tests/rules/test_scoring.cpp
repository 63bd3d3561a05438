#include "rules/scoring.hpp"

#include <gtest/gtest.h>

using namespace grundscan;

namespace {

Tally tally(std::vector<std::tuple<ResultState, Severity, double>> items) {
    Tally t;
    for (auto [s, sev, w] : items) t.add(s, sev, w);
    return t;
}

using S = ResultState;
using V = Severity;

}  // namespace

TEST(Scoring, WeightedComplianceIgnoresNoEvidenceAndErrors) {
    auto t = tally({{S::Pass, V::High, 6},
                    {S::Fail, V::Medium, 3},
                    {S::Pass, V::Low, 1},
                    {S::NoEvidence, V::High, 6},
                    {S::Error, V::High, 6},
                    {S::NotApplicable, V::High, 6}});
    Score s = compute_score(t, ScoringConfig{});
    ASSERT_TRUE(s.value);
    EXPECT_DOUBLE_EQ(*s.value, 100.0 * 7 / 10);
    ASSERT_TRUE(s.coverage);
    EXPECT_DOUBLE_EQ(*s.coverage, 100.0 * 3 / 5);  // pass+fail over applicable (n/a excluded)
    EXPECT_EQ(s.ampel, Ampel::Yellow);             // 70 between 60 and 85
}

TEST(Scoring, FlatUnweightedCountsResults) {
    auto t = tally(
        {{S::Pass, V::High, 6}, {S::Fail, V::Low, 1}, {S::Pass, V::Low, 1}, {S::Pass, V::Low, 1}});
    ScoringConfig c;
    c.model = ScoreModel::FlatUnweighted;
    EXPECT_DOUBLE_EQ(*compute_score(t, c).value, 75.0);
    EXPECT_DOUBLE_EQ(*compute_score(t, ScoringConfig{}).value, 100.0 * 8 / 9);
}

TEST(Scoring, CriticalFailForcesRedEvenWithAHighScore) {
    std::vector<std::tuple<ResultState, Severity, double>> items(50, {S::Pass, V::High, 6});
    items.emplace_back(S::Fail, V::Critical, 10);
    Score s = compute_score(tally(items), ScoringConfig{});
    EXPECT_GT(*s.value, 95);
    EXPECT_EQ(s.ampel, Ampel::Red);
}

TEST(Scoring, ThresholdsAreConfigurable) {
    auto t = tally({{S::Pass, V::High, 9}, {S::Fail, V::High, 1}});  // 90
    EXPECT_EQ(compute_score(t, ScoringConfig{}).ampel, Ampel::Green);
    ScoringConfig strict;
    strict.green = 95;
    strict.yellow = 91;
    EXPECT_EQ(compute_score(t, strict).ampel, Ampel::Red);
    strict.yellow = 90;
    EXPECT_EQ(compute_score(t, strict).ampel, Ampel::Yellow);
}

TEST(Scoring, NothingDecidedHasNoScoreAndNoAmpel) {
    Score s =
        compute_score(tally({{S::NoEvidence, V::High, 6}, {S::Error, V::Low, 1}}), ScoringConfig{});
    EXPECT_FALSE(s.value);
    EXPECT_EQ(s.ampel, Ampel::None);
    EXPECT_DOUBLE_EQ(*s.coverage, 0.0);
}

TEST(Scoring, ScanRollUpPoolsResultsPerMunicipalityModuleAndOrganisation) {
    Rule pw, ssh;
    pw.id = "GS-A";
    pw.module = "ORP.4";
    pw.severity = V::High;
    pw.weight = 6;
    ssh.id = "GS-B";
    ssh.module = "SYS.1.3";
    ssh.severity = V::Medium;
    ssh.weight = 3;
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
    score_scan(scan, ScoringConfig{});
    const auto& r1 = scan.municipalities[0];
    EXPECT_DOUBLE_EQ(*r1.assets[0].score.value, 100.0 * 6 / 9);
    EXPECT_DOUBLE_EQ(*r1.assets[1].score.value, 100.0);
    EXPECT_DOUBLE_EQ(*r1.score.value, 100.0 * 12 / 15);
    ASSERT_EQ(r1.modules.size(), 2u);
    EXPECT_EQ(r1.modules[0].module, "ORP.4");
    EXPECT_DOUBLE_EQ(*r1.modules[0].score.value, 100.0);
    EXPECT_DOUBLE_EQ(*r1.modules[1].score.value, 0.0);
    EXPECT_DOUBLE_EQ(*scan.municipalities[1].score.value, 0.0);
    EXPECT_DOUBLE_EQ(*scan.score.value, 100.0 * 12 / 21);
    EXPECT_EQ(scan.score.tally.no_evidence, 1);
    EXPECT_EQ(scan.score_model, "weighted");
}
