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
using testing::str_fact;

TEST(SeceditInf, NsaBaselineGptTmplUtf16) {
    auto d = text::decode(
        testing::read_bytes(testing::fixture("windows/nsacyber-shb-win10-computer_GptTmpl.inf")));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, text::Encoding::Utf16LE);
    auto out = parse_secedit_inf(d->utf8);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(str_fact(*out, "os.family"), "windows");
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 14);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 60);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 1);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 24);
    EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), true);
    EXPECT_EQ(bool_fact(*out, "password_policy.reversible_encryption"), false);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 3);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), -1);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 15);
    EXPECT_EQ(bool_fact(*out, "accounts.guest_enabled"), false);
    EXPECT_EQ(find_fact(*out, "accounts.admin_name"), nullptr);  // only NewGuestName is set

    const Fact* len = find_fact(*out, "password_policy.min_length");
    ASSERT_NE(len, nullptr);
    EXPECT_EQ(len->provenance.line, 6);
    EXPECT_EQ(len->provenance.excerpt, "MinimumPasswordLength = 14");
    const Fact* dur = find_fact(*out, "lockout.duration_minutes");
    ASSERT_NE(dur, nullptr);
    EXPECT_EQ(dur->provenance.line, 11);
    EXPECT_EQ(dur->provenance.excerpt, "LockoutDuration = -1");
}

TEST(SeceditInf, MicrosoftBaselineHasNoPasswordAge) {
    auto out =
        parse_fixture(testing::fixture("windows/msft-win10-1909-domain-security_GptTmpl.inf"),
                      &parse_secedit_inf);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);

    EXPECT_EQ(find_fact(*out, "password_policy.max_age_days"), nullptr);
    EXPECT_EQ(find_fact(*out, "password_policy.min_age_days"), nullptr);
    EXPECT_EQ(find_fact(*out, "accounts.guest_enabled"), nullptr);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 14);
    EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), true);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 24);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 10);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 15);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), 15);
    EXPECT_EQ(bool_fact(*out, "password_policy.reversible_encryption"), false);
    EXPECT_EQ(find_fact(*out, "lockout.threshold")->provenance.line, 7);
}

TEST(SeceditInf, WeakAsciiExportWithoutBom) {
    auto d = text::decode(testing::read_bytes(
        testing::fixture("windows/written-here_weak-workstation_secedit-export.inf")));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, text::Encoding::Utf8);
    auto out = parse_secedit_inf(d->utf8);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 0);
    EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), false);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 0);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 42);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 0);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 0);
    EXPECT_EQ(find_fact(*out, "lockout.duration_minutes"), nullptr);
    EXPECT_EQ(find_fact(*out, "lockout.reset_minutes"), nullptr);
    EXPECT_EQ(bool_fact(*out, "accounts.guest_enabled"), true);
    EXPECT_EQ(str_fact(*out, "accounts.admin_name"), "Administrator");

    const Fact* guest = find_fact(*out, "accounts.guest_enabled");
    EXPECT_EQ(guest->provenance.line, 17);
    EXPECT_EQ(guest->provenance.excerpt, "EnableGuestAccount = 1");
    EXPECT_EQ(find_fact(*out, "password_policy.min_length")->provenance.line, 6);
}

TEST(SeceditInf, MaximumPasswordAgeNeverExpires) {
    for (const char* v : {"-1", "0"}) {
        std::string inf = "[System Access]\r\nMaximumPasswordAge = " + std::string(v) +
                          "\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\n";
        auto out = parse_secedit_inf(inf);
        ASSERT_TRUE(out.ok());
        EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 0) << v;
    }
}

TEST(SeceditInf, NonIntegerValueIsWarningWithoutFact) {
    std::string inf =
        "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordLength = fourteen\r\n"
        "PasswordComplexity = 2\r\nLockoutBadCount = 5\r\n[Version]\r\n"
        "signature=\"$CHICAGO$\"\r\nRevision=1\r\n";
    auto out = parse_secedit_inf(inf);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length"), nullptr);
    EXPECT_EQ(find_fact(*out, "password_policy.complexity"), nullptr);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 5);
    ASSERT_EQ(out->warnings.size(), 2u);
    EXPECT_EQ(out->warnings[0].line, 4);
    EXPECT_NE(out->warnings[0].message.find("MinimumPasswordLength"), std::string::npos);
    EXPECT_FALSE(out->warnings[0].fatal);
    EXPECT_EQ(out->warnings[1].line, 5);
}

TEST(SeceditInf, KeysOutsideSystemAccessAreIgnored) {
    std::string inf =
        "[Event Audit]\r\nMinimumPasswordLength = 3\r\n[System Access]\r\n"
        "minimumpasswordlength = 12\r\nMinimumPasswordLength = 13\r\n";
    auto out = parse_secedit_inf(inf);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 13);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length")->provenance.line, 5);
    int count = 0;
    for (const auto& f : out->facts) count += f.name == "password_policy.min_length";
    EXPECT_EQ(count, 1);
}

TEST(SeceditInf, GarbageIsError) {
    auto out = parse_secedit_inf("\r\nHello world\r\nMinimumPasswordLength = 14\r\n");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().message, "not a security template: no [System Access]/[Version] section");
    EXPECT_EQ(out.error().line, 2);
    EXPECT_FALSE(parse_secedit_inf("").ok());
}

TEST(SeceditInf, Detect) {
    const auto& c = secedit_inf_collector();
    EXPECT_EQ(c.type, "secedit-inf");
    EXPECT_EQ(c.parse, &parse_secedit_inf);
    EXPECT_TRUE(c.detect("[Unicode]\r\nUnicode=yes\r\n", "secpol.cfg"));
    EXPECT_TRUE(c.detect("[System Access]\r\nLockoutBadCount = 5\r\n", ""));
    EXPECT_TRUE(c.detect("[Version]\r\nsignature=\"$CHICAGO$\"\r\n", ""));
    EXPECT_FALSE(c.detect("[Version]\r\nsignature=\"$Windows NT$\"\r\n", ""));
    EXPECT_FALSE(c.detect("Host Name:   X\r\nOS Name:   Microsoft Windows\r\n", ""));
}

// Real exports from repositories without a licence: read from the shared folder only.
struct SharedCase {
    const char* path;
    int min_length, max_age, history, threshold;
};

TEST(SeceditInf, SharedUnlicensedExports) {
    const SharedCase cases[] = {
        {"windows-secpol/tsumihara_secedit-export_secpol.cfg", 8, 30, 5, 5},
        {"windows-secpol/aetherbreaker-pos_secedit-export_secpol.cfg", 0, 42, 0, 10},
        {"windows-secpol/nwong-sus_secedit-export_secpol.cfg", 14, 59, 24, 5},
    };
    int seen = 0;
    for (const auto& c : cases) {
        auto p = testing::shared_sample(c.path);
        if (p.empty()) continue;
        ++seen;
        auto d = text::decode(testing::read_bytes(p));
        ASSERT_TRUE(d.ok()) << c.path;
        auto out = parse_secedit_inf(d->utf8);
        ASSERT_TRUE(out.ok()) << c.path << ": " << out.error().describe();
        expect_facts_declared(*out);
        EXPECT_EQ(int_fact(*out, "password_policy.min_length"), c.min_length) << c.path;
        EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), c.max_age) << c.path;
        EXPECT_EQ(int_fact(*out, "password_policy.history"), c.history) << c.path;
        EXPECT_EQ(int_fact(*out, "lockout.threshold"), c.threshold) << c.path;
        EXPECT_TRUE(secedit_inf_collector().detect(d->utf8, ""));
    }
    if (seen == 0) GTEST_SKIP() << "shared samples not available";
    auto p = testing::shared_sample("windows-secpol/aetherbreaker-pos_secedit-export_secpol.cfg");
    if (!p.empty()) {
        auto out = parse_fixture(p, &parse_secedit_inf);
        EXPECT_EQ(bool_fact(*out, "accounts.guest_enabled"), true);
        EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), false);
    }
    p = testing::shared_sample("windows-secpol/nwong-sus_secedit-export_secpol.cfg");
    if (!p.empty()) {
        auto out = parse_fixture(p, &parse_secedit_inf);
        EXPECT_EQ(str_fact(*out, "accounts.admin_name"), "Amin");
    }
}

}  // namespace
}  // namespace grundscan
