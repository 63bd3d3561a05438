#include "scanner/collectors/probe_record.hpp"

#include <gtest/gtest.h>

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
    ASSERT_EQ(parsed->facts.size(), 4u);
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
