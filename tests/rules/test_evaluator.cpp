#include "rules/evaluator.hpp"

#include <gtest/gtest.h>

using namespace grundscan;

namespace {

Condition leaf(std::string fact, Op op, std::optional<RuleValue> value = std::nullopt,
               std::string key = "") {
    Condition c;
    c.fact = std::move(fact);
    c.op = op;
    c.value = std::move(value);
    c.key = std::move(key);
    return c;
}

Condition combine(Condition::Kind kind, std::vector<Condition> children) {
    Condition c;
    c.kind = kind;
    c.children = std::move(children);
    return c;
}

struct Harness {
    RuleSet set;
    FactSet facts;
    Date as_of{2026, 11, 23};

    void fact(const std::string& name, FactValue v) {
        facts.add(Fact{name, std::move(v), Provenance{"export.inf", 7, "secedit-inf", "line"}, 0});
    }
    RuleResult eval(const Condition& check, const std::string& kind = "windows-server",
                    std::vector<std::string> kinds = {}) {
        Rule r;
        r.id = "GS-TEST-X";
        r.check = check;
        r.kinds = std::move(kinds);
        EvalContext ctx{facts, kind, set, as_of, Lang::En};
        return evaluate_rule(r, ctx);
    }
    ResultState state(const Condition& check) { return eval(check).state; }
};

using S = ResultState;
using V = RuleValue;
using L = std::vector<std::string>;

}  // namespace

TEST(Evaluator, IntegerComparisons) {
    Harness h;
    h.fact("password_policy.min_length", std::int64_t{12});
    const char* f = "password_policy.min_length";
    EXPECT_EQ(h.state(leaf(f, Op::Eq, V{std::int64_t{12}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Ne, V{std::int64_t{12}})), S::Fail);
    EXPECT_EQ(h.state(leaf(f, Op::Lt, V{std::int64_t{13}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Lt, V{std::int64_t{12}})), S::Fail);
    EXPECT_EQ(h.state(leaf(f, Op::Le, V{std::int64_t{12}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Gt, V{std::int64_t{12}})), S::Fail);
    EXPECT_EQ(h.state(leaf(f, Op::Ge, V{std::int64_t{12}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Ge, V{std::int64_t{14}})), S::Fail);
    EXPECT_EQ(h.state(leaf(f, Op::In, V{L{"8", "12"}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::NotIn, V{L{"8", "12"}})), S::Fail);
    EXPECT_EQ(h.state(leaf(f, Op::Exists)), S::Pass);
}

TEST(Evaluator, MissingFactIsNoEvidenceNeverPass) {
    Harness h;
    EXPECT_EQ(h.state(leaf("password_policy.min_length", Op::Exists)),
              S::Fail);  // absence answers "exists"
    for (Op op : {Op::Eq, Op::Ne, Op::Lt, Op::Ge}) {
        auto r = h.eval(leaf("password_policy.min_length", op, V{std::int64_t{1}}));
        EXPECT_EQ(r.state, S::NoEvidence) << op_name(op);
        EXPECT_NE(r.message.find("password_policy.min_length"), std::string::npos);
    }
    // not(missing) stays missing, it does not flip to pass
    EXPECT_EQ(h.state(combine(Condition::Kind::Not, {leaf("ssh.x11_forwarding", Op::Eq, V{true})})),
              S::NoEvidence);
}

TEST(Evaluator, MissingFactWithFailedSourceIsError) {
    Harness h;
    h.facts.add_issue(
        SourceIssue{"exports/dc01/secpol.inf", "secedit-inf", "invalid UTF-8", 3, true});
    auto r = h.eval(leaf("password_policy.min_length", Op::Ge, V{std::int64_t{12}}));
    EXPECT_EQ(r.state, S::Error);
    EXPECT_NE(r.message.find("secpol.inf:3"), std::string::npos) << r.message;
    // A failed source of an unrelated type does not turn an unrelated rule into an error.
    EXPECT_EQ(h.state(leaf("ssh.permit_root_login", Op::Eq, V{std::string("no")})), S::NoEvidence);
}

TEST(Evaluator, NoEvidenceNamesTheEnrichmentsReason) {
    Harness h;
    h.facts.add_issue(SourceIssue{"feeds/windows/", "windows-builds",
                                  "Windows build 20348 is not in the build table", 0, false});
    auto r = h.eval(leaf("os.update_days_behind", Op::Le, V{std::int64_t{30}}));
    EXPECT_EQ(r.state, S::NoEvidence);  // a remark, not a failed source: still no evidence
    EXPECT_EQ(r.message,
              "no evidence for: os.update_days_behind (windows-builds, feeds/windows/: Windows "
              "build 20348 is not in the build table)");
    // A remark of a producer of other facts is not given as the reason.
    auto other = h.eval(leaf("password_policy.min_length", Op::Ge, V{std::int64_t{12}}));
    EXPECT_EQ(other.message, "no evidence for: password_policy.min_length");
    // Nor is one of several producers' remarks, nor a remark about one line: ambiguous.
    h.facts.add_issue(SourceIssue{"p.json", "web-probe-json", "cannot offer 6 suites", 0, false});
    EXPECT_EQ(h.eval(leaf("http.redirects_to_https", Op::Eq, V{true})).message,
              "no evidence for: http.redirects_to_https");
    // The first-listed producer of a multi-producer fact (the tracker enrichment for vulns.*)
    // names its reason, unless another producer also left a remark.
    Harness v;
    v.facts.add_issue(SourceIssue{"feeds/debian/security-tracker.json", "debian-tracker",
                                  "Auszug/excerpt: covers only 7 source packages", 0, false});
    EXPECT_EQ(v.eval(leaf("vulns.critical_count", Op::Eq, V{std::int64_t{0}})).message,
              "no evidence for: vulns.critical_count (debian-tracker, "
              "feeds/debian/security-tracker.json: Auszug/excerpt: covers only 7 source packages)");
    v.facts.add_issue(SourceIssue{"r.nessus", "nessus", "no host", 0, false});
    EXPECT_EQ(v.eval(leaf("vulns.critical_count", Op::Eq, V{std::int64_t{0}})).message,
              "no evidence for: vulns.critical_count");
    h.facts.add_issue(SourceIssue{"sshd_config", "sshd-config", "Include not followed", 3, false});
    EXPECT_EQ(h.eval(leaf("ssh.max_auth_tries", Op::Le, V{std::int64_t{4}})).message,
              "no evidence for: ssh.max_auth_tries");
    // Several producers, only one of them ran: its remark about the whole source is the reason.
    h.facts.note_collector("sshd-config");
    h.facts.add_issue(
        SourceIssue{"sshd_config", "sshd-config", "Include x is not in the export", 0, false});
    EXPECT_EQ(h.eval(leaf("ssh.max_auth_tries", Op::Le, V{std::int64_t{4}})).message,
              "no evidence for: ssh.max_auth_tries (sshd-config, sshd_config: Include x is not in "
              "the export)");
    h.facts.note_collector("sshd-t");
    EXPECT_EQ(h.eval(leaf("ssh.max_auth_tries", Op::Le, V{std::int64_t{4}})).message,
              "no evidence for: ssh.max_auth_tries");
}

TEST(Evaluator, BooleanAndStringOperators) {
    Harness h;
    h.fact("password_policy.complexity", true);
    h.fact("ssh.permit_root_login", std::string("prohibit-password"));
    EXPECT_EQ(h.state(leaf("password_policy.complexity", Op::Eq, V{true})), S::Pass);
    EXPECT_EQ(h.state(leaf("password_policy.complexity", Op::Ne, V{true})), S::Fail);
    EXPECT_EQ(h.state(leaf("password_policy.complexity", Op::Eq, V{std::int64_t{1}})), S::Error);
    const char* f = "ssh.permit_root_login";
    EXPECT_EQ(h.state(leaf(f, Op::Eq, V{std::string("PROHIBIT-password")})),
              S::Pass);  // case-insensitive
    EXPECT_EQ(h.state(leaf(f, Op::In, V{L{"no", "prohibit-password"}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::NotIn, V{L{"yes"}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Matches, V{std::string("^prohibit")})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Matches, V{std::string("^yes$")})), S::Fail);
    EXPECT_EQ(h.state(leaf(f, Op::Contains, V{std::string("password")})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::NotContains, V{std::string("password")})), S::Fail);
}

TEST(Evaluator, ListOperators) {
    Harness h;
    h.fact("ssh.ciphers", StringList{"aes256-gcm@openssh.com", "aes128-cbc"});
    h.fact("patches.installed", StringList{"KB5004330", "KB5005039"});
    EXPECT_EQ(h.state(leaf("ssh.ciphers", Op::NotIn, V{L{"aes128-cbc", "3des-cbc"}})), S::Fail);
    EXPECT_EQ(h.state(leaf("ssh.ciphers", Op::NotIn, V{L{"3des-cbc"}})), S::Pass);
    EXPECT_EQ(h.state(leaf("ssh.ciphers", Op::In, V{L{"aes256-gcm@openssh.com", "aes128-cbc"}})),
              S::Pass);
    EXPECT_EQ(h.state(leaf("patches.installed", Op::Contains, V{std::string("kb5005039")})),
              S::Pass);
    EXPECT_EQ(h.state(leaf("patches.installed", Op::NotContains, V{std::string("KB5005039")})),
              S::Fail);
}

TEST(Evaluator, VersionOperators) {
    Harness h;
    h.fact("os.version", std::string("10.0.19045"));
    EXPECT_EQ(h.state(leaf("os.version", Op::VersionLt, V{std::string("10.0.19046")})), S::Pass);
    EXPECT_EQ(h.state(leaf("os.version", Op::VersionGe, V{std::string("10.0.19045")})), S::Pass);
    EXPECT_EQ(h.state(leaf("os.version", Op::VersionGt, V{std::string("10.0.19045")})), S::Fail);
    EXPECT_EQ(h.state(leaf("os.version", Op::VersionLe, V{std::string("10.0.9")})), S::Fail);
}

TEST(Evaluator, PackageMapEntriesUseDebianOrderForDpkg) {
    Harness h;
    h.fact("packages.manager", std::string("dpkg"));
    h.fact("packages",
           StringMap{{"openssl", "3.0.11-1~deb12u2"}, {"openssh-server", "1:9.2p1-2+deb12u3"}});
    EXPECT_EQ(h.state(leaf("packages", Op::VersionLt, V{std::string("3.0.11-1")}, "openssl")),
              S::Pass);
    EXPECT_EQ(h.state(leaf("packages", Op::VersionGe, V{std::string("1:9.2p1-2+deb12u2")},
                           "openssh-server")),
              S::Pass);
    EXPECT_EQ(h.state(leaf("packages", Op::Exists, std::nullopt, "telnetd")), S::Fail);
    EXPECT_EQ(h.state(leaf("packages", Op::Absent, std::nullopt, "telnetd")), S::Pass);
    EXPECT_EQ(h.state(leaf("packages", Op::Absent, std::nullopt, "openssl")), S::Fail);
}

TEST(Evaluator, DateOperatorsCountFromAsOf) {
    Harness h;                                                    // as_of 2026-11-23
    h.fact("patches.last_installed", std::string("2026-10-20"));  // 34 days before
    const char* f = "patches.last_installed";
    EXPECT_EQ(h.state(leaf(f, Op::DaysSinceLe, V{std::int64_t{35}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::DaysSinceLe, V{std::int64_t{33}})), S::Fail);
    EXPECT_EQ(h.state(leaf(f, Op::DaysSinceGt, V{std::int64_t{33}})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Lt, V{std::string("2026-11-01")})), S::Pass);
    EXPECT_EQ(h.state(leaf(f, Op::Ge, V{std::string("2026-11-01")})), S::Fail);
    h.facts = FactSet{};
    h.fact(f, std::string("not a date"));
    EXPECT_EQ(h.state(leaf(f, Op::DaysSinceLe, V{std::int64_t{35}})), S::Error);
}

TEST(Evaluator, CombinatorsUseThreeValuedLogic) {
    Harness h;
    h.fact("lockout.threshold", std::int64_t{5});
    auto yes = leaf("lockout.threshold", Op::Ge, V{std::int64_t{1}});
    auto no = leaf("lockout.threshold", Op::Gt, V{std::int64_t{10}});
    auto missing = leaf("lockout.duration_minutes", Op::Ge, V{std::int64_t{15}});
    using K = Condition::Kind;
    EXPECT_EQ(h.state(combine(K::All, {yes, yes})), S::Pass);
    EXPECT_EQ(h.state(combine(K::All, {yes, no})), S::Fail);
    EXPECT_EQ(h.state(combine(K::All, {yes, missing})), S::NoEvidence);
    EXPECT_EQ(h.state(combine(K::All, {no, missing})),
              S::Fail);  // decided without the missing fact
    EXPECT_EQ(h.state(combine(K::Any, {no, yes})), S::Pass);
    EXPECT_EQ(h.state(combine(K::Any, {no, no})), S::Fail);
    EXPECT_EQ(h.state(combine(K::Any, {no, missing})), S::NoEvidence);
    EXPECT_EQ(h.state(combine(K::Any, {yes, missing})), S::Pass);
    EXPECT_EQ(h.state(combine(K::Not, {yes})), S::Fail);
    EXPECT_EQ(h.state(combine(K::Not, {no})), S::Pass);
}

TEST(Evaluator, ApplicabilityByKindAndWhen) {
    Harness h;
    h.fact("os.id", std::string("debian"));
    h.fact("ssh.x11_forwarding", false);
    auto check = leaf("ssh.x11_forwarding", Op::Eq, V{false});
    EXPECT_EQ(h.eval(check, "windows-client", {"linux-server"}).state, S::NotApplicable);
    EXPECT_EQ(h.eval(check, "linux-server", {"linux-server"}).state, S::Pass);
    Rule r;
    r.id = "GS-TEST-WHEN";
    r.check = check;
    r.when = leaf("os.id", Op::Eq, V{std::string("rhel")});
    EvalContext ctx{h.facts, "linux-server", h.set, h.as_of, Lang::En};
    EXPECT_EQ(evaluate_rule(r, ctx).state, S::NotApplicable);
    r.when = leaf("packages.manager", Op::Eq, V{std::string("rpm")});
    EXPECT_EQ(evaluate_rule(r, ctx).state, S::NoEvidence);
}

TEST(Evaluator, ParametersAndEvidence) {
    Harness h;
    h.set.parameters["password_min_length"] =
        Parameter{"password_min_length", V{std::int64_t{14}}, {}, "", 0};
    h.fact("password_policy.min_length", std::int64_t{12});
    Condition c = leaf("password_policy.min_length", Op::Ge);
    c.param = "password_min_length";
    auto r = h.eval(c);
    EXPECT_EQ(r.state, S::Fail);
    ASSERT_EQ(r.evidence.size(), 1u);
    EXPECT_EQ(r.evidence[0].value, "12");
    EXPECT_EQ(r.evidence[0].provenance.source, "export.inf");
    EXPECT_EQ(r.evidence[0].provenance.line, 7);
    EXPECT_NE(r.message.find("14"), std::string::npos) << r.message;
}
