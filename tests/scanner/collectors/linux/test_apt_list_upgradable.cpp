#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::list_fact;
using testing::parse_fixture;

// Recorded on a Debian 12 host (now oldstable) on 2026-12-03: 129 upgradable, 88 of them
// from oldstable-security.
TEST(AptListUpgradable, Debian12Recorded) {
    auto out = parse_fixture(testing::fixture("linux/debian12_apt-list-upgradable.txt"),
                             &parse_apt_list_upgradable);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    EXPECT_EQ(int_fact(*out, "updates.pending"), 129);
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 88);
    auto list = list_fact(*out, "updates.pending_security_list");
    ASSERT_EQ(list.size(), 88u);
    EXPECT_NE(std::find(list.begin(), list.end(), "openssl"), list.end());
    // "krb5-locales/oldstable,oldstable-security": either suite marks it.
    EXPECT_NE(std::find(list.begin(), list.end(), "krb5-locales"), list.end());
    EXPECT_EQ(std::find(list.begin(), list.end(), "base-files"), list.end());
    EXPECT_EQ(find_fact(*out, "updates.pending_security")->provenance.line, 3);
}

TEST(AptListUpgradable, NothingUpgradable) {
    auto out = parse_fixture(testing::fixture("linux/debian12_apt-list-upgradable_none.txt"),
                             &parse_apt_list_upgradable);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "updates.pending"), 0);
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 0);
    EXPECT_TRUE(apt_list_upgradable_collector().detect(
        testing::decoded_fixture("linux/debian12_apt-list-upgradable_none.txt"),
        "apt-list-upgradable.txt"));
}

TEST(AptListUpgradable, NoSecuritySuiteMeansNotKnown) {
    // Debian 10: security updates come from suite "oldstable" like the point release.
    auto out = parse_apt_list_upgradable(
        "Listing...\n"
        "libssl1.1/oldstable 1.1.1n-0+deb10u6 amd64 [upgradable from: 1.1.1n-0+deb10u5]\n"
        "tzdata/oldstable-updates 2024a-0+deb10u1 all [upgradable from: 2021a-0+deb10u12]\n");
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "updates.pending"), 2);
    EXPECT_EQ(find_fact(*out, "updates.pending_security"), nullptr);
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_NE(out->warnings[0].message.find("apt-get -s dist-upgrade"), std::string::npos);
}

TEST(AptListUpgradable, FilteredAndWrongListings) {
    // `| grep security`: no "Listing...", the total is unknown, the security count a bound.
    auto out = parse_apt_list_upgradable(
        "libssl3/jammy-updates,jammy-security 3.0.2-0ubuntu1.15 amd64 [upgradable from: "
        "3.0.2-0ubuntu1.14]\n");
    ASSERT_TRUE(out.ok()) << out.error().describe();
    EXPECT_EQ(find_fact(*out, "updates.pending"), nullptr);
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 1);
    // `apt list --installed` is no upgradable listing: not "nothing pending".
    auto installed =
        parse_apt_list_upgradable("Listing...\nadduser/oldstable,now 3.134 all [installed]\n");
    EXPECT_FALSE(installed.ok());
    EXPECT_FALSE(apt_list_upgradable_collector().detect(
        "Listing...\nadduser/oldstable,now 3.134 all [installed]\n", "apt-list-upgradable.txt"));
    EXPECT_FALSE(parse_apt_list_upgradable("").ok());
    EXPECT_FALSE(parse_apt_list_upgradable("E: Could not open lock file\n").ok());
}

}  // namespace
}  // namespace grundscan
