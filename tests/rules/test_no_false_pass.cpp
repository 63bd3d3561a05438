// The "no false pass" guard (issue 9): for every shipped rule and each of its passing fixtures,
// cases are generated in which the evidence is missing, partial, untested, out of date,
// contradictory or unreadable. None of them may yield "pass" (erfüllt). A new rule is covered
// as soon as it ships a passing fixture; a rule without one fails this suite.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "rules/evaluator.hpp"
#include "rules/loader.hpp"
#include "scanner/facts/catalog.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

const Date kAsOf{2026, 11, 15};  // the fixtures' date (see the comments in the rule files)

// Facts without which the condition cannot become true. `positive` is false under an odd
// number of `not`s. A leaf `exists` without key is false when its fact is absent, so under
// `not` it passes on absence (the only way absence may pass); every other leaf needs its fact.
std::set<std::string> needed_facts(const Condition& c, bool positive = true) {
    switch (c.kind) {
        case Condition::Kind::Leaf:
            if (!positive && c.op == Op::Exists && c.key.empty()) return {};
            return {c.fact};
        case Condition::Kind::Not:
            return needed_facts(c.children.front(), !positive);
        case Condition::Kind::All:
        case Condition::Kind::Any: {
            // all (positive) / not-any: every child must hold -> union; any (positive) /
            // not-all: one child suffices -> only what every child needs.
            bool unite = (c.kind == Condition::Kind::All) == positive;
            std::set<std::string> out;
            bool first = true;
            for (const auto& child : c.children) {
                auto n = needed_facts(child, positive);
                if (unite) {
                    out.insert(n.begin(), n.end());
                } else if (first) {
                    out = std::move(n);
                } else {
                    std::set<std::string> both;
                    std::set_intersection(out.begin(), out.end(), n.begin(), n.end(),
                                          std::inserter(both, both.begin()));
                    out = std::move(both);
                }
                first = false;
            }
            return out;
        }
    }
    return {};
}

struct Case {
    std::string what;
    FactSet facts;
};

Provenance fixture_provenance(const std::string& source = "fixture",
                              const std::string& observed_at = "") {
    return Provenance{source, 1, "test", "", observed_at};
}

FactSet facts_of(const RuleTest& t, const std::set<std::string>& drop = {},
                 const std::string& observed_at = "") {
    FactSet fs;
    for (const auto& [name, value] : t.facts)
        if (!drop.contains(name))
            fs.add(Fact{name, value, fixture_provenance("fixture", observed_at), 0});
    return fs;
}

// A value of the same type as `v` that differs from it.
FactValue other_value(const FactValue& v) {
    struct Visitor {
        FactValue operator()(bool b) const { return !b; }
        FactValue operator()(std::int64_t i) const { return i + 1; }
        FactValue operator()(const std::string& s) const { return s + "-anders"; }
        FactValue operator()(const StringList& l) const {
            StringList o = l;
            o.push_back("anders");
            return o;
        }
        FactValue operator()(const StringMap& m) const {
            StringMap o = m;
            o["anders"] = "1";
            return o;
        }
    };
    return std::visit(Visitor{}, v);
}

// The first producer named in the fact's declaration (a collector whose failure explains it).
std::string producer_of(const std::string& fact) {
    const FactDecl* d = find_fact_decl(fact);
    if (!d) return {};
    std::string_view p = d->producers;
    return std::string(p.substr(0, p.find(',')));
}

std::vector<Case> generated_cases(const Rule& rule, const RuleTest& pass) {
    std::vector<Case> out;
    std::set<std::string> needed = needed_facts(rule.check);
    if (rule.when) {
        auto w = needed_facts(*rule.when);
        needed.insert(w.begin(), w.end());
    }
    out.push_back(Case{"no evidence at all", FactSet{}});
    std::set<std::string> all_needed;
    for (const auto& n : needed)
        if (pass.facts.contains(n)) all_needed.insert(n);
    if (!all_needed.empty())
        out.push_back(Case{"every needed fact missing", facts_of(pass, all_needed)});
    for (const auto& n : all_needed) {
        out.push_back(Case{"partial: " + n + " missing", facts_of(pass, {n})});

        Case untested{"untested: " + n + " absent, an issue says why", facts_of(pass, {n})};
        untested.facts.add_issue(
            SourceIssue{"probe", producer_of(n), "not tested (connection failed)", 0, false, {n}});
        out.push_back(std::move(untested));

        Case unreadable{"unreadable: the export that holds " + n + " failed", facts_of(pass, {n})};
        unreadable.facts.add_issue(
            SourceIssue{"export.txt", producer_of(n), "cut off in line 12", 12, true});
        out.push_back(std::move(unreadable));

        const FactDecl* decl = find_fact_decl(n);
        if (decl && decl->merge == FactMerge::Conflict) {
            Case contradictory{"contradictory: two exports disagree on " + n, facts_of(pass, {n})};
            const FactValue& v = pass.facts.at(n);
            contradictory.facts.add(Fact{n, v, fixture_provenance("b-export.txt"), 0});
            contradictory.facts.add(Fact{n, other_value(v), fixture_provenance("a-export.txt"), 0});
            out.push_back(std::move(contradictory));
        }
    }
    Date old = Date::from_days(kAsOf.days_since_epoch() - 400);
    out.push_back(Case{"out of date: everything observed 400 days before the Stichtag",
                       facts_of(pass, {}, old.iso())});
    return out;
}

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

TEST(NoFalsePass, EveryShippedRuleHasAPassingFixture) {
    const RuleSet& rules = shipped_rules();
    ASSERT_GT(rules.rules.size(), 20u);
    for (const auto& rule : rules.rules) {
        bool has_pass = std::any_of(rule.tests.begin(), rule.tests.end(),
                                    [](const RuleTest& t) { return t.expect == "pass"; });
        EXPECT_TRUE(has_pass) << rule.id << " (" << rule.file
                              << "): ship a passing fixture so the guard can vary it";
    }
}

TEST(NoFalsePass, ShakyEvidenceNeverPasses) {
    const RuleSet& rules = shipped_rules();
    std::size_t cases = 0;
    for (const auto& rule : rules.rules) {
        for (const auto& t : rule.tests) {
            if (t.expect != "pass") continue;
            std::string kind = !t.kind.empty()
                                   ? t.kind
                                   : (rule.kinds.empty() ? "linux-server" : rule.kinds.front());
            {  // the fixture itself passes here too (the guard varies a real pass)
                FactSet fs = facts_of(t);
                EvalContext ctx{fs, kind, rules, kAsOf, Lang::En};
                ASSERT_EQ(evaluate_rule(rule, ctx).state, ResultState::Pass)
                    << rule.id << " fixture '" << t.name << "'";
            }
            for (auto& c : generated_cases(rule, t)) {
                EvalContext ctx{c.facts, kind, rules, kAsOf, Lang::En};
                RuleResult r = evaluate_rule(rule, ctx);
                ++cases;
                EXPECT_NE(r.state, ResultState::Pass)
                    << rule.id << " (" << rule.file << ") fixture '" << t.name << "', case '"
                    << c.what << "': " << r.message;
            }
        }
    }
    std::cout << "[   INFO   ] " << cases << " generated cases over " << rules.rules.size()
              << " rules\n";
    EXPECT_GT(cases, 200u);
}

// The reason travels with the verdict: an untested fact is named with why it was not tested,
// and contradictory exports are named with both values.
TEST(NoFalsePass, NoEvidenceNamesTheReason) {
    const RuleSet& rules = shipped_rules();
    const Rule* rule = rules.find("GS-ORP4-PW-MINLEN");
    ASSERT_NE(rule, nullptr);
    FactSet untested;
    untested.add_issue(
        SourceIssue{"pam", "pam", "stack not exported", 0, false, {"password_policy.min_length"}});
    EvalContext ctx{untested, "linux-server", rules, kAsOf, Lang::De};
    RuleResult r = evaluate_rule(*rule, ctx);
    EXPECT_EQ(r.state, ResultState::NoEvidence);
    EXPECT_NE(r.message.find("stack not exported"), std::string::npos) << r.message;

    FactSet contradictory;
    contradictory.add(Fact{"password_policy.min_length", std::int64_t{14},
                           Provenance{"b.inf", 3, "secedit-inf", "MinimumPasswordLength = 14"}, 0});
    contradictory.add(Fact{"password_policy.min_length", std::int64_t{8},
                           Provenance{"a.xml", 9, "gpresult-xml", "8"}, 0});
    EvalContext ctx2{contradictory, "windows-client", rules, kAsOf, Lang::De};
    r = evaluate_rule(*rule, ctx2);
    EXPECT_EQ(r.state, ResultState::NoEvidence);
    EXPECT_NE(r.message.find("widersprüchlich"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("a.xml:9"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("b.inf:3"), std::string::npos) << r.message;

    FactSet stale;
    // 20 characters pass on every password tier; only the age of the export keeps them from it.
    stale.add(Fact{"password_policy.min_length", std::int64_t{20},
                   Provenance{"pc.inf", 3, "secedit-inf", "20", "2026-08-01"}, 0});
    EvalContext ctx3{stale, "windows-client", rules, kAsOf, Lang::De};
    r = evaluate_rule(*rule, ctx3);
    EXPECT_EQ(r.state, ResultState::NoEvidence);
    EXPECT_NE(r.message.find("veraltet"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("2026-08-01"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace grundscan
