#include "rules/bsi_catalog.hpp"
#include "rules/loader.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "rules/evaluator.hpp"
#include "tests/test_support.hpp"

using namespace grundscan;
namespace fs = std::filesystem;

namespace {

const char* kPack = R"(pack:
  id: test-pack
  version: "1.0"
  title: {de: Testpaket, en: Test pack}
parameters:
  min_len:
    default: 12
    description: {de: Mindestlänge, en: Minimum length}
)";

const char* kGoodRule = R"(rules:
  - id: GS-TEST-MINLEN
    title: {de: Mindestlänge, en: Minimum length}
    rationale: {de: Weil, en: Because}
    remediation: {de: Setzen, en: Set it}
    references: [{id: ORP.4.A8, checks: {de: Mindestlänge erzwungen, en: Minimum length enforced}}]
    gspp: {kernel: [BER.6.4]}
    level: basis
    severity: high
    weight: 6
    applies_to: {kinds: [windows-server]}
    check: {fact: password_policy.min_length, op: ">=", param: min_len}
    tests:
      - {name: ok, facts: {password_policy.min_length: 14}, expect: pass}
      - {name: short, facts: {password_policy.min_length: 8}, expect: fail}
      - {name: none, facts: {}, expect: no_evidence}
)";

class LoaderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gs-rules-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "pack");
        write("pack/pack.yaml", kPack);
    }
    void TearDown() override { fs::remove_all(dir_); }
    void write(const std::string& rel, const std::string& content) {
        std::ofstream(dir_ / rel) << content;
    }
    std::vector<Error> load(RuleSet& set) { return load_rules({dir_ / "pack"}, set); }
    fs::path dir_;
};

}  // namespace

TEST_F(LoaderTest, LoadsAValidRuleAndItsFixturesPass) {
    write("pack/rules.yaml", kGoodRule);
    RuleSet set;
    auto errors = load(set);
    ASSERT_TRUE(errors.empty()) << errors[0].describe();
    ASSERT_EQ(set.rules.size(), 1u);
    const Rule& r = set.rules[0];
    EXPECT_EQ(r.module, "ORP.4");
    EXPECT_EQ(r.severity, Severity::High);
    EXPECT_EQ(r.title.get(Lang::De), "Mindestlänge");
    EXPECT_EQ(r.tests.size(), 3u);
    EXPECT_TRUE(run_rule_tests(r, set, Date{2026, 11, 15}).empty());
}

TEST_F(LoaderTest, AFixtureWithTheWrongExpectationIsReported) {
    std::string rule = kGoodRule;
    rule.replace(rule.find("min_length: 8}"), 14, "min_length: 13}");
    write("pack/rules.yaml", rule);
    RuleSet set;
    ASSERT_TRUE(load(set).empty());
    auto failures = run_rule_tests(set.rules[0], set, Date{2026, 11, 15});
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("rules.yaml:15"), std::string::npos) << failures[0];
}

struct BrokenRule {
    const char* name;
    const char* from;
    const char* to;
    int line;
    const char* message_part;
};

void PrintTo(const BrokenRule& c, std::ostream* os) {
    *os << c.name;
}

class LoaderErrors : public LoaderTest, public ::testing::WithParamInterface<BrokenRule> {};

TEST_P(LoaderErrors, ReportFileLineAndReason) {
    const auto& c = GetParam();
    std::string rule = kGoodRule;
    auto pos = rule.find(c.from);
    ASSERT_NE(pos, std::string::npos);
    rule.replace(pos, std::string(c.from).size(), c.to);
    write("pack/rules.yaml", rule);
    RuleSet set;
    auto errors = load(set);
    ASSERT_FALSE(errors.empty()) << c.name;
    bool found = false;
    for (const auto& e : errors) {
        if (e.message.find(c.message_part) != std::string::npos) {
            found = true;
            EXPECT_EQ(e.line, c.line) << e.describe();
            EXPECT_NE(e.file.find("rules.yaml"), std::string::npos);
        }
    }
    EXPECT_TRUE(found) << c.name << ": " << errors[0].describe();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LoaderErrors,
    ::testing::Values(
        BrokenRule{"unknown_fact", "fact: password_policy.min_length", "fact: password.length", 12,
                   "unknown fact"},
        BrokenRule{"bad_operator", "op: \">=\"", "op: \"=>\"", 12, "unknown operator"},
        BrokenRule{"unknown_param", "param: min_len", "param: max_len", 12, "unknown parameter"},
        BrokenRule{"type_mismatch", "op: \">=\", param: min_len", "op: \"==\", value: \"zwölf\"",
                   12, "integer"},
        BrokenRule{"missing_english", "title: {de: Mindestlänge, en: Minimum length}",
                   "title: {de: Mindestlänge}", 3, "both 'de' and 'en'"},
        BrokenRule{"bad_reference", "id: ORP.4.A8", "id: ORP4-8", 6, "Edition 2023"},
        BrokenRule{"reference_without_checks",
                   "references: [{id: ORP.4.A8, checks: {de: Mindestlänge erzwungen, en: Minimum "
                   "length enforced}}]",
                   "references: [ORP.4.A8]", 6, "which part of the requirement"},
        BrokenRule{"unqualified_gspp", "gspp: {kernel: [BER.6.4]}", "gspp: [BER.6.4]", 7,
                   "maps a catalog"},
        BrokenRule{"unknown_gspp_catalog", "gspp: {kernel: [BER.6.4]}", "gspp: {kern: [BER.6.4]}",
                   7, "unknown Grundschutz++ catalog"},
        BrokenRule{"bad_severity", "severity: high", "severity: huge", 9, "severity"},
        BrokenRule{"no_fail_fixture", "expect: fail", "expect: no_evidence", 14,
                   "at least one 'pass' and one 'fail'"},
        BrokenRule{"unknown_key", "weight: 6", "weight: 6\n    colour: red", 11,
                   "unknown key 'colour'"},
        BrokenRule{"malformed_yaml", "check: {fact", "check: {{fact", 12, "invalid YAML"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST_F(LoaderTest, DuplicateIdsAreRejected) {
    write("pack/a.yaml", kGoodRule);
    write("pack/b.yaml", kGoodRule);
    RuleSet set;
    auto errors = load(set);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("duplicate rule id"), std::string::npos);
    EXPECT_NE(errors[0].file.find("b.yaml"), std::string::npos);
}

TEST_F(LoaderTest, ProfileOverridesParametersAndSelectsRules) {
    write("pack/rules.yaml", kGoodRule);
    write(
        "profile.yaml",
        "title: Kommune mit 14 Zeichen\nparameters:\n  min_len: 14\nscoring: {min_coverage: 70}\n");
    RuleSet set;
    ASSERT_TRUE(load(set).empty());
    auto profile = load_profile(dir_ / "profile.yaml");
    ASSERT_TRUE(profile.ok()) << profile.error().describe();
    EXPECT_EQ(*profile->min_coverage, 70);
    ASSERT_TRUE(apply_profile(*profile, set).empty());
    EXPECT_EQ(std::get<std::int64_t>(set.parameters["min_len"].value), 14);
    // 12 characters now fail
    FactSet facts;
    facts.add(Fact{"password_policy.min_length", std::int64_t{12}, {}, 0});
    EvalContext ctx{facts, "windows-server", set, Date{2026, 1, 1}, Lang::De};
    EXPECT_EQ(evaluate_rule(set.rules[0], ctx).state, ResultState::Fail);

    Profile bad;
    bad.file = "p.yaml";
    bad.parameters["min_len"] = std::string("vierzehn");
    bad.deselect = {"GS-NOPE-*"};
    EXPECT_EQ(apply_profile(bad, set).size(), 2u);
    Profile none;
    none.deselect = {"GS-TEST-*"};
    ASSERT_TRUE(apply_profile(none, set).empty());
    EXPECT_TRUE(set.rules.empty());
}

TEST_F(LoaderTest, ProfileErrorsNameTheLine) {
    write("profile.yaml", "title: x\nparamters:\n  min_len: 14\n");
    auto profile = load_profile(dir_ / "profile.yaml");
    ASSERT_FALSE(profile.ok());
    EXPECT_EQ(profile.error().line, 2);
}

// The shipped packs load without errors and every fixture passes.
TEST(ShippedPacks, LoadAndPassTheirFixtures) {
    RuleSet set;
    auto errors = load_rules({grundscan::testing::source_dir() / "rules" / "packs"}, set);
    for (const auto& e : errors) ADD_FAILURE() << e.describe();
    EXPECT_GE(set.rules.size(), 20u);
    for (const auto& r : set.rules) {
        for (const auto& f : run_rule_tests(r, set, Date{2026, 11, 15})) ADD_FAILURE() << f;
        EXPECT_FALSE(r.references.empty()) << r.id;
    }
    auto catalog = BsiCatalog::load(grundscan::testing::source_dir() / "rules" / "catalogs");
    ASSERT_TRUE(catalog) << catalog.error().describe();
    for (const auto& e : check_against_catalog(set, *catalog)) ADD_FAILURE() << e.describe();
}

TEST_F(LoaderTest, ProfileThresholdsGreenAndYellowAreRetired) {
    write("profile.yaml", "title: x\nscoring: {green: 90}\n");
    auto profile = load_profile(dir_ / "profile.yaml");
    ASSERT_FALSE(profile.ok());
    EXPECT_NE(profile.error().message.find("BSI levels"), std::string::npos);
    EXPECT_EQ(profile.error().line, 2);
}

// The catalogue check: unknown or withdrawn requirements, a level that differs from the
// catalogue, and Grundschutz++ ids missing from the catalog they are qualified with.
struct CatalogCase {
    const char* name;
    const char* from;
    const char* to;
    const char* message_part;
};

class CatalogErrors : public LoaderTest, public ::testing::WithParamInterface<CatalogCase> {};

TEST_P(CatalogErrors, NameRuleFileAndLine) {
    const auto& c = GetParam();
    std::string rule = kGoodRule;
    auto pos = rule.find(c.from);
    ASSERT_NE(pos, std::string::npos);
    rule.replace(pos, std::string(c.from).size(), c.to);
    write("pack/rules.yaml", rule);
    RuleSet set;
    ASSERT_TRUE(load(set).empty());
    auto catalog = BsiCatalog::load(grundscan::testing::source_dir() / "rules" / "catalogs");
    ASSERT_TRUE(catalog) << catalog.error().describe();
    auto errors = check_against_catalog(set, *catalog);
    ASSERT_EQ(errors.size(), 1u) << c.name;
    EXPECT_NE(errors[0].message.find(c.message_part), std::string::npos) << errors[0].describe();
    EXPECT_NE(errors[0].file.find("rules.yaml"), std::string::npos);
    EXPECT_GT(errors[0].line, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CatalogErrors,
    ::testing::Values(
        CatalogCase{"unknown_requirement", "id: ORP.4.A8", "id: ORP.4.A99", "is not a requirement"},
        CatalogCase{"withdrawn_requirement", "id: ORP.4.A8", "id: SYS.1.1.A3", "withdrawn"},
        CatalogCase{"level_differs", "level: basis", "level: standard",
                    "differs from the catalogue: ORP.4.A8"},
        CatalogCase{"unknown_control", "BER.6.4", "BER.99.9", "BER.99.9"},
        CatalogCase{"control_in_wrong_catalog", "{kernel: [BER.6.4]}",
                    "{mindeststandard-tls: [BER.6.4]}", "mindeststandard-tls"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(BsiCatalog, HoldsEveryEdition2023RequirementWithItsLevel) {
    auto catalog = BsiCatalog::load(grundscan::testing::source_dir() / "rules" / "catalogs");
    ASSERT_TRUE(catalog) << catalog.error().describe();
    EXPECT_EQ(catalog->requirement_count(), 2125u);
    ASSERT_NE(catalog->requirement("ORP.4.A22"), nullptr);
    EXPECT_EQ(catalog->requirement("ORP.4.A22")->level, Level::Basis);
    EXPECT_EQ(catalog->requirement("ORP.4.A13")->level, Level::Standard);
    EXPECT_TRUE(catalog->requirement("SYS.1.1.A3")->withdrawn);
    EXPECT_NE(catalog->requirement("OPS.2.3.A22"), nullptr);  // BSI misprint normalised
    // KONF.14.1.2 means different things in two catalogs.
    EXPECT_EQ(*catalog->control_title("kernel", "KONF.14.1.2"), "Ende-zu-Ende-Verschlüsselung");
    EXPECT_EQ(*catalog->control_title("mindeststandard-tls", "KONF.14.1.2"), "HTTPS für Webserver");
    EXPECT_EQ(catalog->bausteine_for_kind("linux-server"),
              (std::vector<std::string>{"SYS.1.1", "SYS.1.3"}));
    for (const Requirement* r : catalog->requirements_of("ORP.4")) EXPECT_FALSE(r->withdrawn);
}
