#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::parse_fixture;

TEST(DpkgStatus, Debian12Excerpt) {
    auto out =
        parse_fixture(testing::fixture("linux/debian12_var_lib_dpkg_status"), &parse_dpkg_status);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    const Fact* pk = find_fact(*out, "packages");
    ASSERT_NE(pk, nullptr);
    EXPECT_EQ(pk->provenance.line, 0);
    EXPECT_EQ(pk->provenance.excerpt, "41 installed packages");
    const auto& m = std::get<StringMap>(pk->value);
    EXPECT_EQ(m.size(), 41u);
    EXPECT_EQ(m.at("openssl"), "3.0.19-1~deb12u2");
    EXPECT_EQ(m.at("login"), "1:4.13+dfsg1-1+deb12u1");  // epoch as written
    EXPECT_EQ(m.at("zlib1g"), "1:1.2.13.dfsg-1");
    EXPECT_EQ(m.count("rsyslog"), 0u);  // "deinstall ok config-files" is not installed
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "packages.count")->value), 41);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "packages.manager")->value), "dpkg");
}

TEST(DpkgStatus, UbuntuSharedSample) {
    auto p = testing::shared_sample("linux/ubuntu-20.04-armhf_var_lib_dpkg_status");
    if (p.empty()) GTEST_SKIP() << "shared samples not available";
    auto out = parse_fixture(p, &parse_dpkg_status);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    const auto& m = std::get<StringMap>(find_fact(*out, "packages")->value);
    EXPECT_EQ(m.size(), 326u);  // 327 stanzas, one "deinstall ok config-files"
    EXPECT_EQ(m.count("systemd-timesyncd"), 0u);
    EXPECT_EQ(m.at("libssl1.1"), "1.1.1f-1ubuntu2.13");
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "packages.count")->value), 326);
}

TEST(DpkgStatus, MultiArchAndMissingPackage) {
    auto out = parse_dpkg_status(
        "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
        "Multi-Arch: same\nVersion: 2.36-9+deb12u4\n\n"
        "Package: libc6\nStatus: install ok installed\nArchitecture: i386\n"
        "Multi-Arch: same\nVersion: 2.36-9+deb12u4\n\n"
        "Status: install ok installed\nVersion: 1.0\n\n"
        "Package: hold-me\nStatus: hold ok installed\nVersion: 2:1.0-1\n"
        "Description: a held package\n continuation line\n .\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    const auto& m = std::get<StringMap>(find_fact(*out, "packages")->value);
    EXPECT_EQ(m, (StringMap{{"libc6", "2.36-9+deb12u4"},
                            {"libc6:i386", "2.36-9+deb12u4"},
                            {"hold-me", "2:1.0-1"}}));
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].line, 13);  // the stanza without Package starts there
}

TEST(DpkgStatus, GarbageIsError) {
    EXPECT_FALSE(parse_dpkg_status("just some text\nwithout fields\n").ok());
    EXPECT_FALSE(parse_dpkg_status("").ok());
}

TEST(DpkgStatus, Detect) {
    const auto& c = dpkg_status_collector();
    EXPECT_EQ(c.type, "dpkg-status");
    EXPECT_TRUE(c.detect("Package: bash\nStatus: install ok installed\n", "x"));
    EXPECT_FALSE(c.detect("ID=debian\nNAME=Debian\n", "status"));
}

}  // namespace
}  // namespace grundscan
