#include <gtest/gtest.h>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::parse_fixture;
using testing::str_fact;

struct Expect {
    const char* file;
    const char* id;
    const char* version;
    const char* name;
};

TEST(OsRelease, RealFilesFromPythonDistro) {
    const Expect cases[] = {
        {"alpine_os-release", "alpine", "3.23.2", "Alpine Linux v3.23"},
        {"centos7_os-release", "centos", "7", "CentOS Linux 7 (Core)"},
        {"debian10_os-release", "debian", "10", "Debian GNU/Linux 10 (buster)"},
        {"debian12_os-release", "debian", "12", "Debian GNU/Linux 12 (bookworm)"},
        {"opensuse15_os-release", "opensuse-leap", "15.2", "openSUSE Leap 15.2"},
        {"rhel9_os-release", "rhel", "9.6", "Red Hat Enterprise Linux 9.6 (Plow)"},
        {"sles12_os-release", "sles", "12.1", "SUSE Linux Enterprise Server 12 SP1"},
        {"ubuntu24_os-release", "ubuntu", "24.04", "Ubuntu 24.04.3 LTS"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.file);
        auto out = parse_fixture(testing::fixture(std::string("linux/os-release/") + c.file),
                                 &parse_os_release);
        ASSERT_TRUE(out.ok()) << out.error().describe();
        expect_facts_declared(*out);
        EXPECT_EQ(str_fact(*out, "os.family"), "linux");
        EXPECT_EQ(str_fact(*out, "os.id"), c.id);
        EXPECT_EQ(str_fact(*out, "os.version"), c.version);
        EXPECT_EQ(str_fact(*out, "os.name"), c.name);
        EXPECT_TRUE(out->warnings.empty());
        EXPECT_EQ(out->facts.size(), 4u);
    }
}

TEST(OsRelease, LineAndExcerpt) {
    auto out =
        parse_fixture(testing::fixture("linux/os-release/rhel9_os-release"), &parse_os_release);
    ASSERT_TRUE(out.ok());
    const Fact* id = find_fact(*out, "os.id");
    ASSERT_NE(id, nullptr);
    EXPECT_EQ(id->provenance.line, 3);
    EXPECT_EQ(id->provenance.excerpt, "ID=\"rhel\"");
    const Fact* v = find_fact(*out, "os.version");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->provenance.line, 5);
    EXPECT_EQ(v->provenance.excerpt, "VERSION_ID=\"9.6\"");
}

TEST(OsRelease, UbuntuSharedSample) {
    auto p = testing::shared_sample("linux/os-release/ubuntu-20.04.1-armhf_usr-lib-os-release");
    if (p.empty()) GTEST_SKIP() << "shared samples not available";
    auto out = parse_fixture(p, &parse_os_release);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "os.id"), "ubuntu");
    EXPECT_EQ(str_fact(*out, "os.version"), "20.04");  // VERSION_ID, not VERSION "20.04.1 LTS"
    EXPECT_EQ(str_fact(*out, "os.name"), "Ubuntu 20.04.1 LTS");
}

TEST(OsRelease, NameWithoutPrettyNameAndNoVersion) {
    // Arch Linux style: rolling release without VERSION_ID.
    auto out = parse_os_release("NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "os.name"), "Arch Linux");
    EXPECT_EQ(find_fact(*out, "os.version"), nullptr);
}

TEST(OsRelease, QuotingAndEscapes) {
    auto out = parse_os_release(
        "# comment\r\nID='debian'\r\nPRETTY_NAME=\"Say \\\"hi\\\" \\$HOME\"\r\nVERSION_ID=12\r\n");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(str_fact(*out, "os.id"), "debian");
    EXPECT_EQ(str_fact(*out, "os.name"), "Say \"hi\" $HOME");
    EXPECT_EQ(str_fact(*out, "os.version"), "12");
}

TEST(OsRelease, MalformedLinesAreWarnings) {
    auto out = parse_os_release("ID=debian\nthis is not an assignment\nNAME=\"unterminated\n");
    ASSERT_TRUE(out.ok());
    ASSERT_EQ(out->warnings.size(), 2u);
    EXPECT_EQ(out->warnings[0].line, 2);
    EXPECT_EQ(out->warnings[1].line, 3);
    EXPECT_EQ(str_fact(*out, "os.id"), "debian");
}

TEST(OsRelease, GarbageIsError) {
    EXPECT_FALSE(parse_os_release("hello world\nfoo bar\n").ok());
    EXPECT_FALSE(parse_os_release("").ok());
    EXPECT_FALSE(parse_os_release("VERSION_ID=12\nHOME_URL=x\n").ok());
}

TEST(OsRelease, Detect) {
    const auto& c = os_release_collector();
    EXPECT_EQ(c.type, "os-release");
    EXPECT_TRUE(c.detect("ID=debian\nNAME=Debian\n", "whatever.txt"));
    EXPECT_TRUE(c.detect("", "etc_os-release"));
    EXPECT_FALSE(c.detect("PermitRootLogin no\nUsePAM yes\n", "sshd_config"));
    EXPECT_FALSE(c.detect("PASS_MAX_DAYS 90\nPASS_MIN_DAYS 7\n", "login.defs"));
}

}  // namespace
}  // namespace grundscan
