#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::parse_fixture;

TEST(Pam, Debian12CommonPassword) {
    auto out = parse_fixture(testing::fixture("linux/debian12_pam.d_common-password"), &parse_pam);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    ASSERT_EQ(out->facts.size(), 3u);
    EXPECT_FALSE(std::get<bool>(find_fact(*out, "pam.pwquality_enabled")->value));
    // No quality module, no minlen=, nothing included: pam_unix's documented default applies
    // (issue 9, point 11) and the evidence says it is the default.
    const Fact* minlen = find_fact(*out, "password_policy.min_length");
    ASSERT_NE(minlen, nullptr);
    EXPECT_EQ(std::get<std::int64_t>(minlen->value), 6);
    EXPECT_EQ(minlen->provenance.line, 25);
    EXPECT_NE(minlen->provenance.excerpt.find("Standardwert von pam_unix: 6"), std::string::npos);
    const Fact* hash = find_fact(*out, "password_policy.hash_algorithm");
    ASSERT_NE(hash, nullptr);
    EXPECT_EQ(std::get<std::string>(hash->value), "yescrypt");
    EXPECT_EQ(hash->provenance.line, 25);
    EXPECT_EQ(hash->provenance.excerpt,
              "password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt");
    // No auth rules here: nothing is said about faillock.
    EXPECT_EQ(find_fact(*out, "pam.faillock_enabled"), nullptr);
}

TEST(Pam, Debian12CommonAuth) {
    auto out = parse_fixture(testing::fixture("linux/debian12_pam.d_common-auth"), &parse_pam);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    ASSERT_EQ(out->facts.size(), 1u);
    EXPECT_FALSE(std::get<bool>(find_fact(*out, "pam.faillock_enabled")->value));
    EXPECT_EQ(find_fact(*out, "pam.pwquality_enabled"), nullptr);
}

TEST(Pam, HardenedSystemAuth) {
    auto out =
        parse_fixture(testing::fixture("linux/rhel8-hardened_pam.d_system-auth"), &parse_pam);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    const Fact* pwq = find_fact(*out, "pam.pwquality_enabled");
    ASSERT_NE(pwq, nullptr);
    EXPECT_TRUE(std::get<bool>(pwq->value));
    EXPECT_EQ(pwq->provenance.line, 22);
    const Fact* fl = find_fact(*out, "pam.faillock_enabled");
    ASSERT_NE(fl, nullptr);
    EXPECT_TRUE(std::get<bool>(fl->value));
    EXPECT_EQ(fl->provenance.line, 5);
    EXPECT_EQ(fl->provenance.excerpt,
              "auth        required                                     pam_faillock.so "
              "preauth silent deny=5 unlock_time=900 fail_interval=900");
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 5);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), 15);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 15);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 5);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 14);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length")->priority, 30);
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "password_policy.complexity")->value));
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "password_policy.hash_algorithm")->value),
              "sha512");
}

TEST(Pam, SharedSamples) {
    auto isms = testing::shared_sample("linux/isms-rhcos_pam.d_system-auth");
    auto ubuntu = testing::shared_sample("linux/ubuntu-20.04_pam.d_common-password");
    if (isms.empty() || ubuntu.empty()) GTEST_SKIP() << "shared samples not available";
    auto out = parse_fixture(isms, &parse_pam);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "pam.pwquality_enabled")->value));
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "pam.faillock_enabled")->value));
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 5);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), 15);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 15);
    // pam_pwquality without minlen/class arguments: pwquality.conf decides.
    EXPECT_EQ(find_fact(*out, "password_policy.min_length"), nullptr);
    EXPECT_EQ(find_fact(*out, "password_policy.complexity"), nullptr);
    auto u = parse_fixture(ubuntu, &parse_pam);
    ASSERT_TRUE(u.ok());
    EXPECT_FALSE(std::get<bool>(find_fact(*u, "pam.pwquality_enabled")->value));
    EXPECT_EQ(std::get<std::string>(find_fact(*u, "password_policy.hash_algorithm")->value),
              "sha512");
}

TEST(Pam, TallyCracklibAndAdminUnlock) {
    auto out = parse_pam(
        "auth required pam_tally2.so onerr=fail deny=3 unlock_time=0\n"
        "password requisite /lib/security/pam_cracklib.so retry=3 minlen=12 minclass=2\n"
        "password [success=1 default=ignore] pam_unix.so md5 sha512 minlen=8 remember=3\n"
        "password required pam_pwhistory.so remember=10\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "pam.faillock_enabled")->value));
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "pam.pwquality_enabled")->value));
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 3);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), -1);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 12);  // cracklib wins over pam_unix
    EXPECT_FALSE(std::get<bool>(find_fact(*out, "password_policy.complexity")->value));
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 10);
    EXPECT_EQ(find_fact(*out, "password_policy.history")->provenance.line, 4);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "password_policy.hash_algorithm")->value),
              "sha512");  // the last hash flag wins
}

TEST(Pam, UnixMinlenAloneBracketsAndIncludes) {
    auto out = parse_pam(
        "@include common-password\n"
        "-password [success=ok new_authtok_reqd=ok ignore=ignore default=bad] pam_unix.so "
        "minlen=10 # local\n"
        "password \\\n  required pam_deny.so\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 10);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length")->priority, 30);
    EXPECT_FALSE(std::get<bool>(find_fact(*out, "pam.pwquality_enabled")->value));
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].line, 1);
}

TEST(Pam, BadValuesAreWarnings) {
    auto out = parse_pam(
        "auth required pam_faillock.so deny=five unlock_time=900\n"
        "this is not pam\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(find_fact(*out, "lockout.threshold"), nullptr);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), 15);
    ASSERT_EQ(out->warnings.size(), 2u);
    EXPECT_EQ(out->warnings[0].line, 2);
    EXPECT_EQ(out->warnings[1].line, 1);
}

TEST(Pam, GarbageIsError) {
    auto out = parse_pam("# only a comment\nHello, world\n");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().line, 2);
    EXPECT_FALSE(parse_pam("").ok());
}

TEST(Pam, Detect) {
    const auto& c = pam_collector();
    EXPECT_EQ(c.type, "pam");
    EXPECT_TRUE(c.detect("", "etc_pam.d_common-password"));
    EXPECT_TRUE(c.detect("", "system-auth"));
    EXPECT_TRUE(c.detect("auth required pam_env.so\nauth sufficient pam_unix.so\n", "x"));
    EXPECT_FALSE(c.detect("PermitRootLogin no\nUsePAM yes\n", "x"));
}

}  // namespace
}  // namespace grundscan
