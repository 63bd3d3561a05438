#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::bool_fact;
using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::parse_fixture;

TEST(AdPasswordPolicyJson, DomainPolicy) {
    auto out = parse_fixture(testing::fixture("windows/ad-default-domain-password-policy.json"),
                             &parse_ad_password_policy_json);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), true);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 12);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 24);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 365);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 1);
    EXPECT_EQ(bool_fact(*out, "password_policy.reversible_encryption"), false);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 10);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), 15);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 15);

    const Fact* cx = find_fact(*out, "password_policy.complexity");
    EXPECT_EQ(cx->provenance.line, 2);
    EXPECT_EQ(cx->provenance.excerpt, "\"ComplexityEnabled\":  true,");
    const Fact* th = find_fact(*out, "lockout.threshold");
    EXPECT_EQ(th->provenance.line, 30);
    const Fact* age = find_fact(*out, "password_policy.max_age_days");
    EXPECT_EQ(age->provenance.line, 31);
    EXPECT_EQ(age->provenance.excerpt, "\"MaxPasswordAge\": Ticks 315360000000000");
    // The key inside "PropertyNames" (no colon after it) is not taken for the property.
    EXPECT_EQ(find_fact(*out, "password_policy.min_length")->provenance.line, 57);
}

TEST(AdPasswordPolicyJson, WeakPolicyNeverExpires) {
    auto out =
        parse_fixture(testing::fixture("windows/ad-default-domain-password-policy_weak.json"),
                      &parse_ad_password_policy_json);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), false);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 0);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 0);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 0);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 0);
    EXPECT_EQ(bool_fact(*out, "password_policy.reversible_encryption"), true);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 0);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), 30);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 30);
}

TEST(AdPasswordPolicyJson, TimeSpanStringsAndSpecialValues) {
    std::string json = R"({"MinPasswordLength": 8,
"MaxPasswordAge": "42.00:00:00",
"MinPasswordAge": "1.00:00:00",
"LockoutDuration": {"Ticks": -9223372036854775808},
"LockoutObservationWindow": "00:30:00",
"ComplexityEnabled": true})";
    auto out = parse_ad_password_policy_json(json);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 42);
    EXPECT_EQ(find_fact(*out, "password_policy.max_age_days")->provenance.line, 2);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 1);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), -1);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 30);
    EXPECT_EQ(find_fact(*out, "lockout.threshold"), nullptr);  // missing key: no fact
    EXPECT_EQ(find_fact(*out, "password_policy.history"), nullptr);
}

TEST(AdPasswordPolicyJson, WrongTypedValuesAreWarnings) {
    std::string json =
        "{\n  \"MinPasswordLength\": \"zwölf\",\n  \"LockoutThreshold\": 5,\n"
        "  \"MaxPasswordAge\": \"lange\",\n  \"ComplexityEnabled\": 1\n}\n";
    auto out = parse_ad_password_policy_json(json);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length"), nullptr);
    EXPECT_EQ(find_fact(*out, "password_policy.max_age_days"), nullptr);
    EXPECT_EQ(find_fact(*out, "password_policy.complexity"), nullptr);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 5);
    ASSERT_EQ(out->warnings.size(), 3u);
    EXPECT_EQ(out->warnings[0].line, 5);  // ComplexityEnabled comes first in the key table
    EXPECT_EQ(out->warnings[1].line, 2);
}

TEST(AdPasswordPolicyJson, ExtremeTimeSpansSaturate) {
    auto out = parse_ad_password_policy_json(
        R"({"MinPasswordLength": 8, "MaxPasswordAge": "10675199.02:48:05.4775807",
            "LockoutDuration": "-10675199.02:48:05.4775808",
            "LockoutObservationWindow": {"TotalMinutes": 1e300}})");
    ASSERT_TRUE(out.ok()) << out.error().describe();
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 10675199);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), -1);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 15372286728);
}

TEST(AdPasswordPolicyJson, ArrayOfPoliciesReadsFirst) {
    auto out =
        parse_ad_password_policy_json(R"([{"MinPasswordLength": 14}, {"MinPasswordLength": 7}])");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 14);
    EXPECT_EQ(out->warnings.size(), 1u);
}

TEST(AdPasswordPolicyJson, MalformedJsonIsErrorWithLine) {
    auto d = text::decode(
        testing::read_bytes(testing::fixture("windows/ad-default-domain-password-policy.json")));
    ASSERT_TRUE(d.ok());
    // Cut inside "MaxPasswordAge" (line 31).
    auto cut = d->utf8.find("\"MaxPasswordAge\"");
    ASSERT_NE(cut, std::string::npos);
    auto out = parse_ad_password_policy_json(std::string_view(d->utf8).substr(0, cut + 8));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().line, 31);
    EXPECT_NE(out.error().message.find("malformed JSON"), std::string::npos);

    auto garbage = parse_ad_password_policy_json("MinPasswordLength = 14\r\n");
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().line, 1);
    auto other = parse_ad_password_policy_json(R"({"name": "x"})");
    ASSERT_FALSE(other.ok());
    EXPECT_NE(other.error().message.find("not an AD password policy"), std::string::npos);
}

TEST(AdPasswordPolicyJson, Detect) {
    const auto& c = ad_password_policy_json_collector();
    EXPECT_EQ(c.type, "ad-password-policy-json");
    EXPECT_EQ(c.parse, &parse_ad_password_policy_json);
    auto d = text::decode(testing::read_bytes(
        testing::fixture("windows/ad-default-domain-password-policy_weak.json")));
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(c.detect(d->utf8, ""));
    EXPECT_FALSE(c.detect(R"({"releases": {}})", "x.json"));
    EXPECT_FALSE(c.detect("MinPasswordLength ComplexityEnabled", ""));
}

}  // namespace
}  // namespace grundscan
