#include "scanner/collectors/probe_record.hpp"

#include <gtest/gtest.h>

#include "rules/evaluator.hpp"
#include "rules/loader.hpp"
#include "scanner/collectors/asset_collector.hpp"
#include "tests/test_support.hpp"

using namespace grundscan;

namespace {

ProbeResult sample() {
    ProbeResult r;
    r.asset_id = "portal";
    r.source = "https://127.0.0.1:8443/";
    Provenance p{"https://127.0.0.1:8443/", 0, "web-probe",
                 "Strict-Transport-Security: max-age=63072000"};
    r.facts.push_back(Fact{"http.hsts_max_age", std::int64_t{63072000}, p, 0});
    r.facts.push_back(Fact{"http.hsts_include_subdomains", true, p, 0});
    r.facts.push_back(Fact{"tls.protocols_accepted", StringList{"TLSv1.2", "TLSv1.3"}, p, 0});
    r.facts.push_back(Fact{"http.csp", std::string("default-src 'self' <script>\x01"), p, 0});
    r.issues.push_back(
        SourceIssue{"https://127.0.0.1:8443/", "web-probe", "plain HTTP not reachable", 0, false});
    return r;
}

}  // namespace

TEST(ProbeRecord, RoundTripKeepsFactsTypesAndSource) {
    std::string json = probe_result_to_json(sample(), "2026-11-23T10:00:00Z");
    EXPECT_TRUE(text::is_valid_utf8(json));
    auto parsed = parse_probe_record(json);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    grundscan::testing::expect_facts_declared(*parsed);
    // + tls.tls12_accepted and tls.tls13_accepted derived from the list (positive evidence)
    ASSERT_EQ(parsed->facts.size(), 6u);
    EXPECT_EQ(std::get<std::int64_t>(parsed->facts[0].value), 63072000);
    EXPECT_EQ(std::get<StringList>(parsed->facts[2].value), (StringList{"TLSv1.2", "TLSv1.3"}));
    EXPECT_EQ(parsed->facts[0].provenance.source, "https://127.0.0.1:8443/");
    EXPECT_NE(parsed->facts[0].provenance.excerpt.find("2026-11-23T10:00:00Z"), std::string::npos);
    ASSERT_EQ(parsed->warnings.size(), 1u);  // the recorded issue stays visible
    EXPECT_EQ(detect_source_type(json, "portal.probe.json"), "web-probe-json");
}

TEST(ProbeRecord, RejectsForeignAndWrongTypedContent) {
    EXPECT_FALSE(parse_probe_record("{").ok());
    EXPECT_FALSE(parse_probe_record(R"({"format":"other","version":1,"facts":[]})").ok());
    EXPECT_FALSE(parse_probe_record(R"({"format":"grundscan-probe","version":2,"facts":[]})").ok());
    auto r = parse_probe_record(
        R"({"format":"grundscan-probe","version":1,"facts":[{"name":"http.hsts_max_age","value":"long"},{"name":"no.such","value":1}]})");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->facts.empty());
    EXPECT_EQ(r->warnings.size(), 2u);
}

// Recordings made before the raw TLS scan (tests/fixtures/probes/recorded-v1, copies of the
// example Landkreis recordings of 2026-11-23): what they saw still fails, what they could not prove
// (versions and suites they never tested) is no_evidence, never pass.
TEST(ProbeRecord, OlderRecordingsGiveNoEvidenceForUntestedTls) {
    RuleSet rules;
    ASSERT_TRUE(
        load_rules({grundscan::testing::source_dir() / "rules/packs/ozg-web"}, rules).empty());
    auto judge = [&](const char* file, const char* rule_id) {
        auto parsed = parse_probe_record(grundscan::testing::read_bytes(
            grundscan::testing::fixture(std::string("probes/recorded-v1/") + file)));
        EXPECT_TRUE(parsed.ok());
        FactSet facts;
        for (const auto& f : parsed->facts) facts.add(f);
        for (const auto& r : rules.rules)
            if (r.id == rule_id)
                return std::string(state_name(
                    evaluate_rule(r, EvalContext{facts, "web-endpoint", rules, Date{2026, 1, 1}})
                        .state));
        return std::string("no rule");
    };
    // Hardened portal: its old list lacked TLS 1.0, but SSLv2/SSLv3 were never tested.
    EXPECT_EQ(judge("gt-portal.probe.json", "OZG-TLS-NO-TLS10"), "no_evidence");
    EXPECT_EQ(judge("gt-portal.probe.json", "OZG-TLS-NO-TLS11"), "no_evidence");
    EXPECT_EQ(judge("gt-portal.probe.json", "OZG-TLS-WEAK-CIPHERS"), "no_evidence");
    EXPECT_EQ(judge("gt-portal.probe.json", "OZG-TLS-TLS13"), "pass");
    EXPECT_EQ(judge("gt-portal.probe.json", "OZG-TLS-DH-SIZE"), "no_evidence");
    EXPECT_EQ(judge("gt-portal.probe.json", "OZG-CERT-CHAIN-KEY-SIZE"), "no_evidence");
    // Weak portal: TLS 1.0 and weak suites were seen, so they still fail.
    EXPECT_EQ(judge("ml-portal.probe.json", "OZG-TLS-NO-TLS10"), "fail");
    EXPECT_EQ(judge("ml-portal.probe.json", "OZG-TLS-NO-TLS11"), "fail");
    EXPECT_EQ(judge("ml-portal.probe.json", "OZG-TLS-WEAK-CIPHERS"), "fail");
}
