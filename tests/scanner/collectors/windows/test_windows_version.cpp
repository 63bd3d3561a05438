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
    EXPECT_EQ(int_fact(out, "os.ubr"), 5737);
    const Fact* ubr = find_fact(out, "os.ubr");
    EXPECT_EQ(ubr->provenance.line, 2);
    EXPECT_EQ(ubr->provenance.excerpt, "Microsoft Windows [Version 10.0.19045.5737]");
    EXPECT_TRUE(out.warnings.empty());
}

TEST(WindowsVersion, RegExportUtf16IgnoresSubkeys) {
    auto out = parse_ok("windows/written-here_currentversion_win11-24h2.reg");
    EXPECT_EQ(int_fact(out, "os.build"), 26100);
    EXPECT_EQ(int_fact(out, "os.ubr"), 4349);  // dword:000010fd, not the subkey's 1
    EXPECT_EQ(str_fact(out, "os.release"), "24H2");
    EXPECT_EQ(find_fact(out, "os.name"), nullptr);  // ProductName says "Windows 10" on 11
    EXPECT_EQ(find_fact(out, "os.ubr")->provenance.line, 16);
    EXPECT_EQ(find_fact(out, "os.ubr")->provenance.excerpt, "\"UBR\"=dword:000010fd");
}

TEST(WindowsVersion, RegQueryOutput) {
    auto out = parse_ok("windows/written-here_reg-query_currentversion_win10-22h2.txt");
    EXPECT_EQ(int_fact(out, "os.build"), 19045);
    EXPECT_EQ(int_fact(out, "os.ubr"), 5011);  // 0x1393
    EXPECT_EQ(str_fact(out, "os.release"), "22H2");
    EXPECT_EQ(find_fact(out, "os.ubr")->provenance.excerpt, "UBR    REG_DWORD    0x1393");
}

TEST(WindowsVersion, GetItemPropertyFormatList) {
    auto out = parse_ok("windows/written-here_get-itemproperty_currentversion_srv2022.txt");
    EXPECT_EQ(int_fact(out, "os.build"), 20348);
    EXPECT_EQ(int_fact(out, "os.ubr"), 2762);
    EXPECT_EQ(str_fact(out, "os.release"), "21H2");
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
    EXPECT_EQ(find_fact(*no_ubr, "os.ubr"), nullptr);
    ASSERT_EQ(no_ubr->warnings.size(), 1u);
    EXPECT_NE(no_ubr->warnings[0].message.find("no UBR"), std::string::npos);
    EXPECT_FALSE(parse_windows_version("").ok());
}

}  // namespace
}  // namespace grundscan
