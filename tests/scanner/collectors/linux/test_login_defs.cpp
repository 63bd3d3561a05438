#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::parse_fixture;

TEST(LoginDefs, Debian12Stock) {
    auto out = parse_fixture(testing::fixture("linux/debian12_login.defs"), &parse_login_defs);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    ASSERT_EQ(out->facts.size(), 3u);
    // PASS_MAX_DAYS 99999 means "never expires".
    const Fact* max = find_fact(*out, "password_policy.max_age_days");
    ASSERT_NE(max, nullptr);
    EXPECT_EQ(std::get<std::int64_t>(max->value), 0);
    EXPECT_EQ(max->provenance.line, 165);
    EXPECT_EQ(max->provenance.excerpt, "PASS_MAX_DAYS\t99999");
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 0);
    const Fact* hash = find_fact(*out, "password_policy.hash_algorithm");
    ASSERT_NE(hash, nullptr);
    EXPECT_EQ(std::get<std::string>(hash->value), "sha512");
    EXPECT_EQ(hash->provenance.line, 294);
    // Commented keys such as "#PASS_MIN_LEN" are not settings.
    EXPECT_EQ(find_fact(*out, "password_policy.min_length"), nullptr);
}

TEST(LoginDefs, ShadowUpstreamHasOnlyObsoleteMinLen) {
    auto out =
        parse_fixture(testing::fixture("linux/shadow-upstream_login.defs"), &parse_login_defs);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    ASSERT_EQ(out->facts.size(), 1u);
    const Fact* f = find_fact(*out, "password_policy.min_length");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(std::get<std::int64_t>(f->value), 5);
    EXPECT_EQ(f->priority, 5);  // loses against pwquality/PAM
    EXPECT_EQ(f->provenance.line, 334);
    EXPECT_EQ(find_fact(*out, "password_policy.max_age_days"), nullptr);  // commented
}

TEST(LoginDefs, SharedSamples) {
    auto ubuntu = testing::shared_sample("linux/ubuntu-20.04_login.defs");
    auto isms = testing::shared_sample("linux/isms-rhcos_login.defs");
    if (ubuntu.empty() || isms.empty()) GTEST_SKIP() << "shared samples not available";
    auto u = parse_fixture(ubuntu, &parse_login_defs);
    ASSERT_TRUE(u.ok());
    expect_facts_declared(*u);
    EXPECT_EQ(int_fact(*u, "password_policy.max_age_days"), 0);
    EXPECT_EQ(int_fact(*u, "password_policy.min_age_days"), 0);
    auto h = parse_fixture(isms, &parse_login_defs);
    ASSERT_TRUE(h.ok());
    expect_facts_declared(*h);
    EXPECT_EQ(int_fact(*h, "password_policy.max_age_days"), 90);
    EXPECT_EQ(int_fact(*h, "password_policy.min_age_days"), 7);
    EXPECT_EQ(int_fact(*h, "password_policy.min_length"), 15);
    EXPECT_EQ(std::get<std::string>(find_fact(*h, "password_policy.hash_algorithm")->value),
              "sha512");
}

TEST(LoginDefs, MinusOneAndLaterLineWins) {
    auto out = parse_login_defs(
        "PASS_MAX_DAYS -1\nPASS_MIN_DAYS 1\nPASS_MIN_DAYS 2\n"
        "ENCRYPT_METHOD YESCRYPT\n");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 0);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 2);
    EXPECT_EQ(find_fact(*out, "password_policy.min_age_days")->provenance.line, 3);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "password_policy.hash_algorithm")->value),
              "yescrypt");
}

TEST(LoginDefs, BadValuesAreWarnings) {
    auto out = parse_login_defs(
        "PASS_MAX_DAYS ninety\nPASS_MIN_DAYS -7\nbogus line here\n"
        "PASS_MIN_LEN 8\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(find_fact(*out, "password_policy.max_age_days"), nullptr);
    EXPECT_EQ(find_fact(*out, "password_policy.min_age_days"), nullptr);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 8);
    ASSERT_EQ(out->warnings.size(), 3u);
    EXPECT_EQ(out->warnings[0].line, 3);  // the non-`KEY value` line
}

TEST(LoginDefs, GarbageIsErrorCommentsOnlyIsEmpty) {
    auto bad = parse_login_defs("<html><body>not found</body></html>\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().line, 1);
    auto empty = parse_login_defs("# PASS_MAX_DAYS 90\n\n");
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->facts.empty());
}

TEST(LoginDefs, Detect) {
    const auto& c = login_defs_collector();
    EXPECT_EQ(c.type, "login-defs");
    EXPECT_TRUE(c.detect("", "login.defs"));
    EXPECT_TRUE(c.detect("PASS_MAX_DAYS 90\nUID_MIN 1000\n", "x"));
    EXPECT_FALSE(c.detect("minlen = 14\nminclass = 4\n", "x"));
    EXPECT_FALSE(c.detect("ID=debian\nNAME=Debian\n", "x"));
}

}  // namespace
}  // namespace grundscan
