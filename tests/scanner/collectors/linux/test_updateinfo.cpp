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

TEST(DnfUpdateinfo, Rhel9PendingAdvisories) {
    auto out = parse_fixture(testing::fixture("linux/rhel9_dnf-updateinfo-list-security.txt"),
                             &parse_dnf_updateinfo);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 6);
    auto list = list_fact(*out, "updates.pending_security_list");
    ASSERT_EQ(list.size(), 6u);
    EXPECT_EQ(list.front(), "RHSA-2025:10140");
    EXPECT_EQ(list.back(), "RHSA-2025:9993");
    const Fact* f = find_fact(*out, "updates.pending_security");
    EXPECT_EQ(f->provenance.line, 3);
    EXPECT_NE(f->provenance.excerpt.find("14 packages"), std::string::npos)
        << f->provenance.excerpt;
    // dnf output has no total of pending updates.
    EXPECT_EQ(find_fact(*out, "updates.pending"), nullptr);
}

TEST(DnfUpdateinfo, NothingPendingIsZeroOnlyWithTheFrame) {
    auto out = parse_fixture(testing::fixture("linux/rhel9_dnf-updateinfo-list-security_none.txt"),
                             &parse_dnf_updateinfo);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 0);
    EXPECT_TRUE(list_fact(*out, "updates.pending_security_list").empty());
    // A quiet run with nothing to show is an empty file: not "0 pending".
    auto empty = parse_dnf_updateinfo("");
    EXPECT_FALSE(empty.ok());
    auto blank = parse_dnf_updateinfo("\n\n");
    EXPECT_FALSE(blank.ok());
}

TEST(DnfUpdateinfo, QuietOutputCountsAsLowerBound) {
    auto out = parse_fixture(testing::fixture("linux/rhel8_dnf-q-updateinfo-list-sec.txt"),
                             &parse_dnf_updateinfo);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 2);
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_NE(out->warnings[0].message.find("lower bound"), std::string::npos);
    EXPECT_EQ(out->warnings[0].line, 0);
}

TEST(DnfUpdateinfo, UntestedListingsGiveNoZero) {
    const char* frame =
        "Last metadata expiration check: 0:02:11 ago on Mon 16 Oct 2023 09:12:05 AM.\n";
    struct Case {
        std::string text, why;
    } cases[] = {
        {"Last metadata expiration check: 45 days, 3:01:02 ago on Fri 01 Sep 2023 10:00:00 AM.\n",
         "45 days old"},
        {std::string(frame) + "Failed to download metadata for repo 'rhel-9-baseos': Cannot "
                              "download repomd.xml\nIgnoring repositories: rhel-9-baseos\n",
         "skipped"},
        {"Updating Subscription Management repositories.\nUnable to read consumer identity\n\n"
         "This system is not registered with an entitlement server. You can use "
         "subscription-manager to register.\n\n" +
             std::string(frame),
         "not registered"},
        {std::string(frame) + "RHBA-2023:5471 bugfix tzdata-2023c-1.el9.noarch\n", "other types"},
    };
    for (const auto& c : cases) {
        auto out = parse_dnf_updateinfo(c.text);
        ASSERT_TRUE(out.ok()) << c.text;
        expect_facts_declared(*out);
        EXPECT_EQ(find_fact(*out, "updates.pending_security"), nullptr) << c.text;
        ASSERT_FALSE(out->warnings.empty()) << c.text;
        EXPECT_NE(out->warnings.back().message.find(c.why), std::string::npos)
            << out->warnings.back().message;
    }
    // A positive count stays, as a lower bound, when repositories were skipped.
    auto out = parse_dnf_updateinfo(std::string(frame) +
                                    "Ignoring repositories: epel\n"
                                    "RHSA-2023:5455 Important/Sec. glibc-2.34-60.el9_2.7.x86_64\n");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 1);
}

TEST(DnfUpdateinfo, ErrorsAndInstalledMarks) {
    auto err = parse_dnf_updateinfo(
        "Error: Failed to download metadata for repo 'appstream': Cannot download repomd.xml\n");
    ASSERT_FALSE(err.ok());
    EXPECT_EQ(err.error().line, 1);
    // `--all`: "i" marks advisories already installed.
    auto out = parse_dnf_updateinfo(
        "Last metadata expiration check: 0:01:00 ago on Mon 16 Oct 2023 09:12:05 AM.\n"
        "i RHSA-2023:5455 Important/Sec. glibc-2.34-60.el9_2.7.x86_64\n"
        "  RHSA-2023:6108 Moderate/Sec.  kernel-5.14.0-284.40.1.el9_2.x86_64\n");
    ASSERT_TRUE(out.ok()) << out.error().describe();
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 1);
    EXPECT_EQ(list_fact(*out, "updates.pending_security_list"), StringList{"RHSA-2023:6108"});
    // Size limit: a line longer than 4096 characters.
    auto longline = parse_dnf_updateinfo(std::string(5000, 'A') + "\n");
    EXPECT_FALSE(longline.ok());
}

TEST(YumUpdateinfo, Rhel7) {
    auto out = parse_fixture(testing::fixture("linux/rhel7_yum-updateinfo-list-security.txt"),
                             &parse_yum_updateinfo);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    EXPECT_EQ(int_fact(*out, "updates.pending_security"), 3);
    EXPECT_EQ(list_fact(*out, "updates.pending_security_list"),
              (StringList{"RHSA-2023:7549", "RHSA-2024:0768", "RHSA-2024:1249"}));
    auto none = parse_fixture(testing::fixture("linux/rhel7_yum-updateinfo-list-sec_none.txt"),
                              &parse_yum_updateinfo);
    ASSERT_TRUE(none.ok());
    expect_facts_declared(*none);
    EXPECT_EQ(int_fact(*none, "updates.pending_security"), 0);
}

TEST(Updateinfo, Detection) {
    auto text = testing::decoded_fixture("linux/rhel9_dnf-updateinfo-list-security.txt");
    EXPECT_TRUE(dnf_updateinfo_collector().detect(text, "updates.txt"));
    auto none = testing::decoded_fixture("linux/rhel9_dnf-updateinfo-list-security_none.txt");
    EXPECT_TRUE(dnf_updateinfo_collector().detect(none, "dnf-updateinfo.txt"));
    EXPECT_FALSE(dnf_updateinfo_collector().detect(none, "notes.txt"));
    auto rpms = testing::decoded_fixture("linux/rhel8_installed-rpms.txt");
    EXPECT_FALSE(dnf_updateinfo_collector().detect(rpms, "installed-rpms"));
}

}  // namespace
}  // namespace grundscan
