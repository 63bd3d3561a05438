// Password tiers of the BSI password-policy component (issue 10): the pack's defaults are the
// component's figures, the tier is derived from the MFA declaration and the lockout threshold,
// an undeclared MFA never selects the shorter minimum, and the verdict says which tier applied.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "rules/evaluator.hpp"
#include "rules/loader.hpp"
#include "scanner/enrich/password_tier.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

const Date kAsOf{2026, 11, 15};

const RuleSet& shipped_rules() {
    static const RuleSet rules = [] {
        RuleSet r;
        auto errors = load_rules({testing::source_dir() / "rules/packs"}, r);
        EXPECT_TRUE(errors.empty()) << errors.front().describe();
        substitute_parameters(r);
        return r;
    }();
    return rules;
}

std::int64_t default_of(const std::string& name) {
    const auto& p = shipped_rules().parameters;
    auto it = p.find(name);
    if (it == p.end()) {
        ADD_FAILURE() << "parameter " << name << " missing";
        return -1;
    }
    return std::get<std::int64_t>(it->second.value);
}

// The section "## 3. Kriterien für die Qualität von Passwörtern" of the component
// "Passwortrichtlinie" in the project's copy of the BSI component definition.
std::string quality_section() {
    auto text = testing::read_bytes(
        testing::source_dir() / "rules/catalogs/bsi/Passwortrichtlinie-component_definition.json");
    auto doc = nlohmann::json::parse(text);
    for (const auto& c : doc["component-definition"]["components"]) {
        if (c["title"] != "Passwortrichtlinie") continue;
        for (const auto& ci : c["control-implementations"])
            for (const auto& ir : ci["implemented-requirements"]) {
                std::string d = ir["description"];
                if (d.starts_with("## 3. Kriterien für die Qualität von Passwörtern")) return d;
            }
    }
    ADD_FAILURE() << "section 3 not found in the component definition";
    return {};
}

int first_number(const std::string& text, const std::string& pattern) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(pattern))) {
        ADD_FAILURE() << "no match for " << pattern;
        return -1;
    }
    return std::stoi(m[1]);
}

TEST(PasswordTiers, PackDefaultsAreTheComponentsFigures) {
    std::string s = quality_section();
    auto tier2_at = s.find("### Stufe 2");
    auto tier3_at = s.find("### Stufe 3");
    ASSERT_NE(tier2_at, std::string::npos);
    ASSERT_NE(tier3_at, std::string::npos);
    std::string tier1 = s.substr(0, tier2_at);
    std::string tier2 = s.substr(tier2_at, tier3_at - tier2_at);
    const std::string min_len = R"(Mindestlänge:\*\* Passwörter sind mindestens (\d+) Zeichen)";
    EXPECT_EQ(default_of("password_min_length_tier1"), first_number(tier1, min_len));
    EXPECT_EQ(default_of("password_min_length_tier2"), first_number(tier2, min_len));
    EXPECT_EQ(default_of("password_tier2_lockout_max_attempts"),
              first_number(tier2, R"(nach maximal (\d+) fehlgeschlagenen)"));
    EXPECT_EQ(default_of("password_passphrase_min_length"),
              default_of("password_min_length_tier1"));
    EXPECT_NE(tier2.find("MFA"), std::string::npos);
}

FactSet password_facts(std::optional<std::int64_t> lockout, std::int64_t min_length = 14) {
    FactSet fs;
    fs.add(Fact{"password_policy.min_length", min_length,
                Provenance{"pc.inf", 3, "secedit-inf", "MinimumPasswordLength = 14", "2026-11-10"},
                0});
    if (lockout)
        fs.add(Fact{"lockout.threshold", *lockout,
                    Provenance{"pc.inf", 9, "secedit-inf", "LockoutBadCount", "2026-11-10"}, 0});
    return fs;
}

MfaDecl fido2() {
    return MfaDecl{"fido2", "FIDO2-Schlüssel für alle Konten", "inventory.yaml", 12, false};
}

const Fact* tier_of(const FactSet& fs) {
    return fs.find("password_policy.tier");
}

TEST(PasswordTiers, NoMfaDeclaredMeansTierOne) {
    for (std::int64_t lockout : {0, 5, 50}) {
        FactSet fs = password_facts(lockout);
        derive_password_tier(fs, nullptr, "inventory.yaml", 7, PasswordTierSettings{});
        const Fact* t = tier_of(fs);
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(std::get<std::int64_t>(t->value), 1);
        EXPECT_EQ(t->provenance.source, "inventory.yaml");
        EXPECT_EQ(t->provenance.line, 7);
        EXPECT_EQ(t->provenance.collector, "password-tier");
        EXPECT_NE(t->provenance.excerpt.find("Stufe 1"), std::string::npos);
        EXPECT_NE(t->provenance.excerpt.find("keine MFA"), std::string::npos);
        EXPECT_TRUE(t->provenance.observed_at.empty());
    }
}

TEST(PasswordTiers, MfaAndLockoutUpToTenMeanTierTwo) {
    MfaDecl mfa = fido2();
    for (std::int64_t lockout : {1, 5, 10}) {
        FactSet fs = password_facts(lockout);
        derive_password_tier(fs, &mfa, "inventory.yaml", 7, PasswordTierSettings{10, false});
        const Fact* t = tier_of(fs);
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(std::get<std::int64_t>(t->value), 2);
        // Rests on the lockout export: its place and its observation day.
        EXPECT_EQ(t->provenance.source, "pc.inf");
        EXPECT_EQ(t->provenance.line, 9);
        EXPECT_EQ(t->provenance.observed_at, "2026-11-10");
        EXPECT_NE(t->provenance.excerpt.find("tier 2"), std::string::npos);
        EXPECT_NE(t->provenance.excerpt.find("fido2 (inventory.yaml:12"), std::string::npos);
        EXPECT_NE(t->provenance.excerpt.find("after " + std::to_string(lockout)),
                  std::string::npos);
    }
}

TEST(PasswordTiers, MfaWithoutAdequateLockoutIsTierOne) {
    MfaDecl mfa = fido2();
    for (std::int64_t lockout : {0, 11, 50}) {
        FactSet fs = password_facts(lockout);
        derive_password_tier(fs, &mfa, "inventory.yaml", 7, PasswordTierSettings{});
        const Fact* t = tier_of(fs);
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(std::get<std::int64_t>(t->value), 1) << lockout;
        EXPECT_NE(t->provenance.excerpt.find("aber"), std::string::npos) << t->provenance.excerpt;
    }
    // The lockout limit is the pack parameter.
    FactSet fs = password_facts(11);
    derive_password_tier(fs, &mfa, "inventory.yaml", 7, PasswordTierSettings{12, true});
    EXPECT_EQ(std::get<std::int64_t>(tier_of(fs)->value), 2);
}

TEST(PasswordTiers, MfaWithUnknownLockoutLeavesTheTierUndecided) {
    MfaDecl mfa = fido2();
    FactSet fs = password_facts(std::nullopt);
    derive_password_tier(fs, &mfa, "inventory.yaml", 7, PasswordTierSettings{});
    EXPECT_EQ(tier_of(fs), nullptr);
    ASSERT_EQ(fs.issues().size(), 1u);
    EXPECT_EQ(fs.issues()[0].explains, std::vector<std::string>{"password_policy.tier"});
    EXPECT_FALSE(fs.issues()[0].fatal);

    // Contradictory lockout exports: undecided as well.
    FactSet conflict = password_facts(std::nullopt);
    conflict.add(
        Fact{"lockout.threshold", std::int64_t{5}, Provenance{"a.inf", 9, "secedit-inf", ""}, 0});
    conflict.add(
        Fact{"lockout.threshold", std::int64_t{0}, Provenance{"b.xml", 4, "gpresult-xml", ""}, 0});
    derive_password_tier(conflict, &mfa, "inventory.yaml", 7, PasswordTierSettings{});
    EXPECT_EQ(tier_of(conflict), nullptr);
}

TEST(PasswordTiers, NothingForAssetsWithoutPasswordFacts) {
    FactSet fs;
    fs.add(Fact{"http.status", std::int64_t{200}, Provenance{"probe", 0, "web-probe", ""}, 0});
    derive_password_tier(fs, nullptr, "inventory.yaml", 7, PasswordTierSettings{});
    EXPECT_EQ(tier_of(fs), nullptr);
    EXPECT_TRUE(fs.issues().empty());
}

RuleResult evaluate(const std::string& rule_id, const FactSet& fs, Lang lang = Lang::De) {
    const Rule* rule = shipped_rules().find(rule_id);
    EXPECT_NE(rule, nullptr) << rule_id;
    EvalContext ctx{fs, "windows-client", shipped_rules(), kAsOf, lang};
    return evaluate_rule(*rule, ctx);
}

bool has_evidence(const RuleResult& r, const std::string& fact) {
    return std::any_of(r.evidence.begin(), r.evidence.end(),
                       [&](const Evidence& e) { return e.fact == fact; });
}

// The same 14-character policy: tier 2 with MFA and lockout 5, tier 1 without MFA; the result
// names the tier and why.
TEST(PasswordTiers, MinLengthVerdictSaysWhichTierAndWhy) {
    MfaDecl mfa = fido2();
    FactSet with_mfa = password_facts(5, 14);
    derive_password_tier(with_mfa, &mfa, "inventory.yaml", 7, PasswordTierSettings{});
    RuleResult r = evaluate("GS-ORP4-PW-MINLEN", with_mfa);
    EXPECT_EQ(r.state, ResultState::Pass) << r.message;
    EXPECT_NE(r.message.find("Stufe 2 (MFA-geschützter Zugriff)"), std::string::npos) << r.message;
    EXPECT_TRUE(has_evidence(r, "password_policy.tier"));

    FactSet without = password_facts(5, 14);
    derive_password_tier(without, nullptr, "inventory.yaml", 7, PasswordTierSettings{});
    r = evaluate("GS-ORP4-PW-MINLEN", without);
    EXPECT_EQ(r.state, ResultState::Fail) << r.message;
    EXPECT_NE(r.message.find("soll ≥ 20"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("keine MFA im Inventar erklärt"), std::string::npos) << r.message;

    // 20 characters pass on tier 1, and the evidence still says tier 1 applied.
    FactSet long_policy = password_facts(0, 20);
    derive_password_tier(long_policy, nullptr, "inventory.yaml", 7,
                         PasswordTierSettings{10, false});
    r = evaluate("GS-ORP4-PW-MINLEN", long_policy, Lang::En);
    EXPECT_EQ(r.state, ResultState::Pass) << r.message;
    EXPECT_TRUE(has_evidence(r, "password_policy.tier"));
    EXPECT_NE(r.message.find("tier 1 (high standard security)"), std::string::npos) << r.message;

    // MFA declared, lockout not exported: no evidence naming why, never a pass on 12.
    FactSet undecided = password_facts(std::nullopt, 12);
    derive_password_tier(undecided, &mfa, "inventory.yaml", 7, PasswordTierSettings{});
    r = evaluate("GS-ORP4-PW-MINLEN", undecided);
    EXPECT_EQ(r.state, ResultState::NoEvidence) << r.message;
    EXPECT_NE(r.message.find("Passwort-Stufe nicht bestimmbar"), std::string::npos) << r.message;
}

// A long passphrase policy does not fail for lacking Windows complexity.
TEST(PasswordTiers, PassphrasePolicyNeedsNoComplexity) {
    FactSet fs = password_facts(0, 24);
    fs.add(Fact{"password_policy.complexity", false,
                Provenance{"pc.inf", 4, "secedit-inf", "PasswordComplexity = 0"}, 0});
    derive_password_tier(fs, nullptr, "inventory.yaml", 7, PasswordTierSettings{});
    RuleResult r = evaluate("GS-ORP4-PW-COMPLEXITY", fs);
    EXPECT_EQ(r.state, ResultState::Pass) << r.message;

    FactSet short_policy = password_facts(0, 14);
    short_policy.add(Fact{"password_policy.complexity", false,
                          Provenance{"pc.inf", 4, "secedit-inf", "PasswordComplexity = 0"}, 0});
    derive_password_tier(short_policy, nullptr, "inventory.yaml", 7, PasswordTierSettings{});
    r = evaluate("GS-ORP4-PW-COMPLEXITY", short_policy);
    EXPECT_EQ(r.state, ResultState::Fail) << r.message;

    // Tier 2 but 8 characters: the `all` inside the alternatives reads as one branch.
    MfaDecl mfa = fido2();
    FactSet tier2_short = password_facts(5, 8);
    tier2_short.add(Fact{"password_policy.complexity", false,
                         Provenance{"pc.inf", 4, "secedit-inf", "PasswordComplexity = 0"}, 0});
    derive_password_tier(tier2_short, &mfa, "inventory.yaml", 7, PasswordTierSettings{});
    r = evaluate("GS-ORP4-PW-COMPLEXITY", tier2_short);
    EXPECT_EQ(r.state, ResultState::Fail) << r.message;
    EXPECT_NE(r.message.find("soll = 2 und password_policy.min_length: ist 8"), std::string::npos)
        << r.message;
}

TEST(PasswordTiers, RetiredParametersExplainWhatReplacedThem) {
    RuleSet set = shipped_rules();
    Profile p;
    p.file = "profile.yaml";
    p.parameters["password_min_length"] = RuleValue{std::string("14")};
    p.parameters["password_max_age_min_days"] = RuleValue{std::string("365")};
    auto errors = apply_profile(p, set);
    ASSERT_EQ(errors.size(), 2u);
    std::string all = errors[0].message + "\n" + errors[1].message;
    EXPECT_NE(all.find("password_min_length_tier1"), std::string::npos) << all;
    EXPECT_NE(all.find("BER.6.5"), std::string::npos) << all;
}

}  // namespace
}  // namespace grundscan
