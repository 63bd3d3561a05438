#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::parse_fixture;

TEST(PwqualityConf, UpstreamDefaultHasNoActiveSetting) {
    auto out = parse_fixture(testing::fixture("linux/libpwquality-upstream_pwquality.conf"),
                             &parse_pwquality_conf);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->facts.empty());  // "# minlen = 8" is a comment, not a setting
    EXPECT_TRUE(out->warnings.empty());
}

TEST(PwqualityConf, Hardened) {
    auto out =
        parse_fixture(testing::fixture("linux/hardened_pwquality.conf"), &parse_pwquality_conf);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    const Fact* len = find_fact(*out, "password_policy.min_length");
    ASSERT_NE(len, nullptr);
    EXPECT_EQ(std::get<std::int64_t>(len->value), 14);
    EXPECT_EQ(len->priority, 20);
    EXPECT_EQ(len->provenance.line, 11);
    EXPECT_EQ(len->provenance.excerpt, "minlen = 14");
    const Fact* cx = find_fact(*out, "password_policy.complexity");
    ASSERT_NE(cx, nullptr);
    EXPECT_TRUE(std::get<bool>(cx->value));
    EXPECT_EQ(cx->provenance.excerpt, "minclass = 4");
    EXPECT_EQ(cx->provenance.line, 19);
}

TEST(PwqualityConf, IsmsSharedSampleCredits) {
    auto p = testing::shared_sample("linux/isms-rhcos_pwquality.conf");
    if (p.empty()) GTEST_SKIP() << "shared samples not available";
    auto out = parse_fixture(p, &parse_pwquality_conf);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "password_policy.min_length")->value), 15);
    // Four negative credits demand four character classes.
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "password_policy.complexity")->value));
}

TEST(PwqualityConf, ComplexityRules) {
    auto low = parse_pwquality_conf("minclass = 2\n");
    ASSERT_TRUE(low.ok());
    EXPECT_FALSE(std::get<bool>(find_fact(*low, "password_policy.complexity")->value));

    auto two = parse_pwquality_conf("dcredit = -1\nucredit = -1\nlcredit = 1\n");
    ASSERT_TRUE(two.ok());
    EXPECT_FALSE(std::get<bool>(find_fact(*two, "password_policy.complexity")->value));

    auto three = parse_pwquality_conf("minclass = 1\ndcredit=-1\nucredit=-1\nocredit=-2\n");
    ASSERT_TRUE(three.ok());
    EXPECT_TRUE(std::get<bool>(find_fact(*three, "password_policy.complexity")->value));

    auto none = parse_pwquality_conf("minlen = 12\ndifok = 3\n");
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(find_fact(*none, "password_policy.complexity"), nullptr);

    // Later lines override earlier ones; trailing comments are dropped.
    auto last = parse_pwquality_conf("minlen = 8\nminlen = 12 # raised 2024\n");
    ASSERT_TRUE(last.ok());
    const Fact* f = find_fact(*last, "password_policy.min_length");
    EXPECT_EQ(std::get<std::int64_t>(f->value), 12);
    EXPECT_EQ(f->provenance.line, 2);
}

TEST(PwqualityConf, BadValuesAreWarnings) {
    auto out = parse_pwquality_conf("minlen = twelve\nfrobnicate = 3\nminclass = 4\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length"), nullptr);
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "password_policy.complexity")->value));
    ASSERT_EQ(out->warnings.size(), 2u);
    EXPECT_EQ(out->warnings[0].line, 1);
    EXPECT_EQ(out->warnings[1].line, 2);
}

TEST(PwqualityConf, GarbageIsError) {
    auto out = parse_pwquality_conf("this is not a config file\nat all\n");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().line, 1);
}

TEST(PwqualityConf, Detect) {
    const auto& c = pwquality_conf_collector();
    EXPECT_EQ(c.type, "pwquality-conf");
    EXPECT_TRUE(c.detect("", "pwquality.conf"));
    EXPECT_TRUE(c.detect("# minlen = 8\n# dcredit = 0\n", "x"));
    EXPECT_FALSE(c.detect("PASS_MIN_LEN 8\n", "x"));
}

}  // namespace
}  // namespace grundscan
