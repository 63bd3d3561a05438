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

// Recorded on a Debian 12 host on 2026-12-03 (apt 2.6.1); `apt-get -s dist-upgrade` gave
// the same output.
TEST(AptGetSimulate, Debian12Recorded) {
    auto out = parse_fixture(testing::fixture("linux/debian12_apt-get-s-upgrade.txt"),
                             &parse_apt_get_simulate);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    EXPECT_EQ(int_fact(*out, "updates.pending"), 129);
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 88);
    auto list = list_fact(*out, "updates.pending_security_list");
    EXPECT_NE(std::find(list.begin(), list.end(), "openssl"), list.end());
    EXPECT_NE(std::find(list.begin(), list.end(), "libgcrypt20"), list.end());  // 2 origins
    EXPECT_EQ(std::find(list.begin(), list.end(), "openssh-client"), list.end());
    const Fact* f = find_fact(*out, "updates.pending_security");
    EXPECT_GT(f->provenance.line, 0);
    EXPECT_NE(f->provenance.excerpt.find("Debian-Security"), std::string::npos);
    // The same packages as `apt list --upgradable` on the same host and day.
    auto listed = parse_fixture(testing::fixture("linux/debian12_apt-list-upgradable.txt"),
                                &parse_apt_list_upgradable);
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(list_fact(*listed, "updates.pending_security_list"), list);
}

TEST(AptGetSimulate, NothingPending) {
    auto out = parse_fixture(testing::fixture("linux/debian12_apt-get-s-upgrade_none.txt"),
                             &parse_apt_get_simulate);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "updates.pending"), 0);
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 0);
    EXPECT_EQ(find_fact(*out, "updates.pending_security")->provenance.line, 8);
}

TEST(AptGetSimulate, KeptBackMeansNotKnown) {
    auto out = parse_fixture(testing::fixture("linux/debian12_apt-get-s-upgrade_kept-back.txt"),
                             &parse_apt_get_simulate);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "updates.pending"), 3);
    EXPECT_EQ(find_fact(*out, "updates.pending_security"), nullptr);
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_NE(out->warnings[0].message.find("linux-image-amd64"), std::string::npos);
}

TEST(AptGetSimulate, OriginsOfOtherReleases) {
    auto out = parse_apt_get_simulate(
        "Inst openssl [3.0.13-0ubuntu3.4] (3.0.13-0ubuntu3.5 Ubuntu:24.04/noble-updates, "
        "Ubuntu:24.04/noble-security [amd64])\n"
        "Inst htop [3.3.0-4build1] (3.3.0-4ubuntu1 Ubuntu:24.04/noble-updates [amd64])\n"
        "Inst libssl1.1 [1.1.1n-0+deb10u5] (1.1.1n-0+deb10u6 Debian-Security:10/oldoldstable "
        "[amd64])\n"
        "Inst linux-image-6.1.0-30-amd64 (6.1.124-1 Debian:12.9/stable [amd64])\n"
        "3 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.\n");
    ASSERT_TRUE(out.ok()) << out.error().describe();
    EXPECT_EQ(int_fact(*out, "updates.pending"), 4);
    EXPECT_EQ(list_fact(*out, "updates.pending_security_list"),
              (StringList{"libssl1.1", "openssl"}));
}

TEST(AptGetSimulate, IncompleteOutputs) {
    // Filtered (`| grep ^Inst`): no summary, only a positive security count survives.
    auto grep = parse_apt_get_simulate(
        "Inst openssl [3.0.11-1] (3.0.14-1 Debian-Security:12/stable-security [arm64])\n");
    ASSERT_TRUE(grep.ok());
    EXPECT_EQ(find_fact(*grep, "updates.pending"), nullptr);
    EXPECT_EQ(int_fact(*grep, "updates.pending_security"), 1);
    auto grep_none = parse_apt_get_simulate(
        "Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n");
    ASSERT_TRUE(grep_none.ok());
    EXPECT_EQ(find_fact(*grep_none, "updates.pending_security"), nullptr);
    // Cut off: fewer Inst lines than the summary announces.
    auto cut = parse_apt_get_simulate(
        "2 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"
        "Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n");
    ASSERT_TRUE(cut.ok());
    EXPECT_EQ(find_fact(*cut, "updates.pending_security"), nullptr);
    EXPECT_FALSE(parse_apt_get_simulate("E: Unable to locate package foo\n").ok());
    EXPECT_FALSE(parse_apt_get_simulate("Reading package lists...\n").ok());
}

TEST(AptGetSimulate, Detection) {
    auto text = testing::decoded_fixture("linux/debian12_apt-get-s-upgrade.txt");
    EXPECT_TRUE(apt_get_simulate_collector().detect(text, "upgrade.txt"));
    EXPECT_FALSE(apt_list_upgradable_collector().detect(text, "upgrade.txt"));
    EXPECT_FALSE(dnf_updateinfo_collector().detect(text, "upgrade.txt"));
    auto listed = testing::decoded_fixture("linux/debian12_apt-list-upgradable.txt");
    EXPECT_FALSE(apt_get_simulate_collector().detect(listed, "list.txt"));
    EXPECT_TRUE(apt_list_upgradable_collector().detect(listed, "list.txt"));
}

}  // namespace
}  // namespace grundscan
