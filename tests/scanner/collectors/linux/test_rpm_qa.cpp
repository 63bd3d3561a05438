#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::parse_fixture;

TEST(RpmQa, Rhel8Sosreport) {
    auto out = parse_fixture(testing::fixture("linux/rhel8_installed-rpms.txt"), &parse_rpm_qa);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    const Fact* pk = find_fact(*out, "packages");
    ASSERT_NE(pk, nullptr);
    EXPECT_EQ(pk->provenance.line, 0);
    EXPECT_EQ(pk->provenance.excerpt, "32 installed packages");
    const auto& m = std::get<StringMap>(pk->value);
    EXPECT_EQ(m.size(), 32u);
    EXPECT_EQ(m.at("openssl-libs"), "1.1.1k-12.el8_9");
    EXPECT_EQ(m.at("NetworkManager"), "1.40.16-15.el8_9");
    EXPECT_EQ(m.at("ca-certificates"), "2023.2.60_v7.0.306-80.0.el8_8");
    // Second architecture of one name.
    EXPECT_EQ(m.at("glibc"), "2.28-236.el8_9.12");
    EXPECT_EQ(m.at("glibc.x86_64"), "2.28-236.el8_9.12");
    // Parallel kernels: the newest keeps the name.
    EXPECT_EQ(m.at("kernel"), "4.18.0-513.24.1.el8_9");
    EXPECT_EQ(m.at("kernel-4.18.0-513.18.1.el8_9.x86_64"), "4.18.0-513.18.1.el8_9");
    EXPECT_EQ(m.at("gpg-pubkey"), "fd431d51-4ae0493b");
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "packages.count")->value), 32);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "packages.manager")->value), "rpm");
    const Fact* last = find_fact(*out, "packages.last_installed");
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(std::get<std::string>(last->value), "2024-04-24");
    EXPECT_EQ(last->provenance.line, 12);
    const Fact* core = find_fact(*out, "packages.core_last_installed");
    ASSERT_NE(core, nullptr);
    EXPECT_EQ(std::get<std::string>(core->value), "2024-04-24");
    EXPECT_EQ(core->provenance.line, 12);
}

// Installing one tool does not make the host look patched: the core date stays.
TEST(RpmQa, CoreInstallDateIgnoresOtherPackages) {
    auto out = parse_rpm_qa(
        "kernel-core-5.14.0-570.22.1.el9_6.x86_64   Wed Mar 11 06:14:14 2026\n"
        "glibc-2.34-168.el9_6.23.x86_64             Wed Jul 15 06:09:55 2026\n"
        "glibc-common-2.34-168.el9_6.23.x86_64      Thu Nov 19 10:00:00 2026\n"
        "htop-3.3.0-5.el9.x86_64                    Fri Nov 20 09:30:00 2026\n"
        "openssl-libs-3.2.2-6.el9_5.1.x86_64        Tue Jun 17 10:04:22 2025\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "packages.last_installed")->value),
              "2026-11-20");
    const Fact* core = find_fact(*out, "packages.core_last_installed");
    ASSERT_NE(core, nullptr);
    EXPECT_EQ(std::get<std::string>(core->value), "2026-07-15");
    EXPECT_EQ(core->provenance.line, 2);
    // Without dates: no core date either.
    auto plain = parse_rpm_qa("kernel-core-5.14.0-570.22.1.el9_6.x86_64\n");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(find_fact(*plain, "packages.core_last_installed"), nullptr);
}

TEST(RpmQa, RhcosSharedSample) {
    auto p = testing::shared_sample("linux/rhcos-4.2_rpm-qa-with-installtime.txt");
    if (p.empty()) GTEST_SKIP() << "shared samples not available";
    auto out = parse_fixture(p, &parse_rpm_qa);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    // 395 lines: the first is a "shell-init: error retrieving current directory" message
    // that sosreport captured with the listing; 394 packages follow.
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].line, 1);
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "packages.count")->value), 394);
    const auto& m = std::get<StringMap>(find_fact(*out, "packages")->value);
    EXPECT_EQ(m.at("openssl-libs"), "1.1.1-8.el8");
    EXPECT_EQ(m.at("kernel"), "4.18.0-80.11.2.el8_0");
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "packages.last_installed")->value),
              "2019-09-27");
}

TEST(RpmQa, EpochPlainAndOtherDateFormats) {
    auto out = parse_rpm_qa(
        "openssl-libs-1:1.1.1-8.el8.x86_64\n"
        "bash-5.1.8-6.el9.x86_64~~Tue 15 Jun 2021 04:23:45 PM UTC\n"
        "zlib-1.2.11-40.el9.x86_64 2023-05-02\n"
        "tzdata-2024a-1.el9.noarch 1714000000\n"
        "sudo-1.9.5p2-9.el9.x86_64 sometime last week\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    const auto& m = std::get<StringMap>(find_fact(*out, "packages")->value);
    EXPECT_EQ(m.at("openssl-libs"), "1:1.1.1-8.el8");
    EXPECT_EQ(m.at("bash"), "5.1.8-6.el9");
    EXPECT_EQ(m.at("sudo"), "1.9.5p2-9.el9");
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "packages.last_installed")->value),
              "2024-04-24");              // 1714000000 s
    ASSERT_EQ(out->warnings.size(), 1u);  // unreadable date on line 5
    EXPECT_EQ(out->warnings[0].line, 5);
}

TEST(RpmQa, GarbageIsError) {
    auto out = parse_rpm_qa("Hello world\nno packages here\n");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().line, 1);
    EXPECT_FALSE(parse_rpm_qa("").ok());
}

TEST(RpmQa, Detect) {
    const auto& c = rpm_qa_collector();
    EXPECT_EQ(c.type, "rpm-qa");
    EXPECT_TRUE(
        c.detect("bash-5.1.8-6.el9.x86_64\nzlib-1.2.11-40.el9.x86_64\n"
                 "tzdata-2024a-1.el9.noarch\n",
                 "x"));
    EXPECT_FALSE(c.detect("Package: bash\nStatus: install ok installed\n", "x"));
    EXPECT_FALSE(c.detect("PASS_MAX_DAYS 90\n", "rpm.txt"));
}

}  // namespace
}  // namespace grundscan
