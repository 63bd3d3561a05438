#include <gtest/gtest.h>

#include "scanner/collectors/collector.hpp"
#include "scanner/collectors/windows/windows_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::decoded_fixture;
using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::str_fact;

ParseOutput parse_ok(const std::string& fixture) {
    auto out = parse_windows_version(decoded_fixture(fixture));
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().describe());
    if (!out.ok()) return {};
    expect_facts_declared(*out);
    return *out;
}

TEST(WindowsVersion, VerOutput) {
    auto out = parse_ok("windows/written-here_ver_win10-22h2.txt");
    EXPECT_EQ(str_fact(out, "os.family"), "windows");
    EXPECT_EQ(int_fact(out, "os.build"), 19045);
    EXPECT_EQ(str_fact(out, "os.patch_level"), "19045.5737");
    const Fact* ubr = find_fact(out, "os.patch_level");
    EXPECT_EQ(ubr->provenance.line, 2);
    EXPECT_EQ(ubr->provenance.excerpt, "Microsoft Windows [Version 10.0.19045.5737]");
    EXPECT_TRUE(out.warnings.empty());
}

TEST(WindowsVersion, RegExportUtf16IgnoresSubkeys) {
    auto out = parse_ok("windows/written-here_currentversion_win11-24h2.reg");
    EXPECT_EQ(int_fact(out, "os.build"), 26100);
    EXPECT_EQ(str_fact(out, "os.patch_level"), "26100.4349");  // not the subkey's UBR 1
    EXPECT_EQ(str_fact(out, "os.release"), "24H2");
    EXPECT_EQ(find_fact(out, "os.name"), nullptr);  // ProductName says "Windows 10" on 11
    EXPECT_EQ(find_fact(out, "os.patch_level")->provenance.line, 16);
    EXPECT_EQ(find_fact(out, "os.patch_level")->provenance.excerpt, "\"UBR\"=dword:000010fd");
}

TEST(WindowsVersion, RegQueryOutput) {
    auto out = parse_ok("windows/written-here_reg-query_currentversion_win10-22h2.txt");
    EXPECT_EQ(int_fact(out, "os.build"), 19045);
    EXPECT_EQ(str_fact(out, "os.patch_level"), "19045.5011");  // 0x1393
    EXPECT_EQ(str_fact(out, "os.release"), "22H2");
    EXPECT_EQ(find_fact(out, "os.patch_level")->provenance.excerpt, "UBR    REG_DWORD    0x1393");
}

TEST(WindowsVersion, GetItemPropertyFormatList) {
    auto out = parse_ok("windows/written-here_get-itemproperty_currentversion_srv2022.txt");
    EXPECT_EQ(int_fact(out, "os.build"), 20348);
    EXPECT_EQ(str_fact(out, "os.patch_level"), "20348.2762");
    // DisplayVersion "21H2" is not the product release of a server (issue 9, point 3): the
    // server release comes from the build, as systeminfo names it.
    EXPECT_EQ(str_fact(out, "os.release"), "2022");
}

TEST(WindowsVersion, ReleaseOnlyWhereServerOrClientIsKnown) {
    auto parse = [](std::string_view text) {
        auto out = parse_windows_version(text);
        EXPECT_TRUE(out) << (out ? "" : out.error().message);
        return out ? *out : ParseOutput{};
    };
    // Build 17763 is Windows 10 1809 and Server 2019.
    auto server = parse(
        "CurrentBuild   : 17763\nUBR            : 6414\nDisplayVersion : 1809\n"
        "InstallationType : Server\n");
    EXPECT_EQ(str_fact(server, "os.release"), "2019");
    auto client = parse(
        "CurrentBuild   : 17763\nUBR            : 6414\nReleaseId : 1809\n"
        "InstallationType : Client\n");
    EXPECT_EQ(str_fact(client, "os.release"), "1809");
    auto unknown = parse("CurrentBuild   : 17763\nUBR            : 6414\nReleaseId : 1809\n");
    EXPECT_FALSE(str_fact(unknown, "os.release").has_value());
    EXPECT_FALSE(unknown.warnings.empty());
    auto edition = parse(
        "CurrentBuild   : 26100\nUBR : 2033\nDisplayVersion : 24H2\n"
        "EditionID : ServerDatacenter\n");
    EXPECT_EQ(str_fact(edition, "os.release"), "2025");
}

TEST(WindowsVersion, DetectedAmongAllCollectors) {
    for (const char* f : {"windows/written-here_ver_win10-22h2.txt",
                          "windows/written-here_currentversion_win11-24h2.reg",
                          "windows/written-here_reg-query_currentversion_win10-22h2.txt",
                          "windows/written-here_get-itemproperty_currentversion_srv2022.txt"}) {
        std::string text = decoded_fixture(f);
        const CollectorInfo* first = nullptr;
        for (const auto& c : collector_registry()) {
            if (c.detect(text, "")) {
                first = &c;
                break;
            }
        }
        ASSERT_NE(first, nullptr) << f;
        EXPECT_EQ(first->type, "windows-version") << f;
    }
    // ...and does not claim a systeminfo output, which also mentions "Microsoft Windows".
    std::string si = decoded_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt");
    EXPECT_FALSE(find_collector("windows-version")->detect(si, ""));
}

TEST(WindowsVersion, BadInputIsAnErrorWithLine) {
    auto garbled = parse_windows_version("\r\nMicrosoft Windows [Version 10.0.x.5011]\r\n");
    ASSERT_FALSE(garbled.ok());
    EXPECT_EQ(garbled.error().line, 2);
    auto other_key = parse_windows_version(
        "Windows Registry Editor Version 5.00\r\n\r\n"
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion]\r\n"
        "\"CurrentBuild\"=\"19045\"\r\n\"UBR\"=dword:00001393\r\n");
    EXPECT_FALSE(other_key.ok());  // wrong key: Windows\CurrentVersion, not Windows NT
    auto no_ubr = parse_windows_version("CurrentBuild : 19045\r\nEditionID : Professional\r\n");
    ASSERT_TRUE(no_ubr.ok());
    EXPECT_EQ(int_fact(*no_ubr, "os.build"), 19045);
    EXPECT_EQ(find_fact(*no_ubr, "os.patch_level"), nullptr);
    ASSERT_EQ(no_ubr->warnings.size(), 1u);
    EXPECT_NE(no_ubr->warnings[0].message.find("no UBR"), std::string::npos);
    EXPECT_FALSE(parse_windows_version("").ok());
}

TEST(WindowsVersion, OutOfRangeUbrIsAWarningNotAPatchLevel) {
    for (const char* dword : {"1000000000", "ffffffffff", "-1"}) {
        auto out = parse_windows_version(
            std::string("Windows Registry Editor Version 5.00\r\n\r\n"
                        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]"
                        "\r\n\"CurrentBuild\"=\"19045\"\r\n\"UBR\"=dword:") +
            dword + "\r\n");
        ASSERT_TRUE(out.ok()) << dword;
        EXPECT_EQ(find_fact(*out, "os.patch_level"), nullptr) << dword;
        ASSERT_EQ(out->warnings.size(), 1u) << dword;
        EXPECT_NE(out->warnings[0].message.find("not a 32-bit number"), std::string::npos);
        EXPECT_EQ(out->warnings[0].line, 5);
    }
    auto big_ver = parse_windows_version("Microsoft Windows [Version 10.0.19045.99999999999]");
    EXPECT_FALSE(big_ver.ok());
}

TEST(WindowsVersion, VerWithoutRevisionAndSeveralVersionLines) {
    // Windows 8.1 / Server 2012 R2 print three parts.
    auto old = parse_windows_version("\r\nMicrosoft Windows [Version 6.3.9600]\r\n");
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(int_fact(*old, "os.build"), 9600);
    EXPECT_EQ(find_fact(*old, "os.patch_level"), nullptr);
    ASSERT_EQ(old->warnings.size(), 1u);
    EXPECT_EQ(old->warnings[0].line, 2);
    auto two = parse_windows_version(
        "Microsoft Windows [Version 10.0.19045.5737]\r\nMicrosoft Windows [Version "
        "10.0.26100.6899]\r\n");
    ASSERT_TRUE(two.ok());
    EXPECT_EQ(str_fact(*two, "os.patch_level"), "19045.5737");
    ASSERT_EQ(two->warnings.size(), 1u);
    EXPECT_NE(two->warnings[0].message.find("2 version lines"), std::string::npos);
}

TEST(WindowsVersion, OnlyTheCurrentVersionKey) {
    // Format-List of another key (PSPath says which): an error, not the OS's build.
    auto other = parse_windows_version(
        "CurrentBuild : 19044\r\nUBR          : 1288\r\nPSPath       : "
        "Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SYSTEM\\Setup\\Source OS "
        "(Updated on 1/1/2023)\r\n");
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().line, 3);
    // `reg query ... /v UBR` has no CurrentBuild: detected, and the error says what to export.
    std::string ubr_only =
        "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n"
        "    UBR    REG_DWORD    0x1393\r\n\r\n";
    EXPECT_TRUE(find_collector("windows-version")->detect(ubr_only, ""));
    auto r = parse_windows_version(ubr_only);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("whole registry key"), std::string::npos);
}

}  // namespace
}  // namespace grundscan
