#include <gtest/gtest.h>

#include "scanner/collectors/asset_collector.hpp"
#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::list_fact;

ParseOutput parse_fixture(const std::string& name) {
    auto d = text::decode(testing::read_bytes(testing::fixture("windows/" + name)));
    EXPECT_TRUE(d.ok());
    auto out = parse_slmgr_dlv(d->utf8);
    EXPECT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    return *out;
}

TEST(SlmgrDlv, Year1AndYear2LicensedUtf16) {
    auto d = text::decode(testing::read_bytes(
        testing::fixture("windows/written-here_slmgr-dlv_win10-22h2-esu-year2.txt")));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(detect_source_type(d->utf8, "slmgr-dlv.txt"), "slmgr-dlv");
    auto out = parse_fixture("written-here_slmgr-dlv_win10-22h2-esu-year2.txt");
    EXPECT_EQ(list_fact(out, "os.esu_licenses"),
              (StringList{"Client-ESU-Year1", "Client-ESU-Year2"}));
    const Fact* f = find_fact(out, "os.esu_licenses");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->provenance.line, 54);  // License Status of the Year 2 block
    EXPECT_NE(f->provenance.excerpt.find("Client-ESU-Year2 add-on"), std::string::npos);
    EXPECT_NE(f->provenance.excerpt.find("License Status: Licensed"), std::string::npos);
    ASSERT_TRUE(out.collected_at);
    EXPECT_EQ(out.collected_at->timestamp, "2026-11-18");
    EXPECT_EQ(out.collected_at->excerpt, "Trusted time: 11/18/2026 9:14:02 AM");
    EXPECT_TRUE(out.warnings.empty());
}

TEST(SlmgrDlv, OnlyYear1) {
    auto out = parse_fixture("written-here_slmgr-dlv_win10-22h2-esu-year1-only.txt");
    EXPECT_EQ(list_fact(out, "os.esu_licenses"), (StringList{"Client-ESU-Year1"}));
    ASSERT_TRUE(out.collected_at);
    EXPECT_EQ(out.collected_at->timestamp, "2026-08-11");
}

TEST(SlmgrDlv, InstalledButNotActivatedIsAWarningNotALicence) {
    auto out = parse_fixture("written-here_slmgr-dlv_win10-22h2-esu-not-activated.txt");
    EXPECT_EQ(list_fact(out, "os.esu_licenses"), StringList{});
    ASSERT_EQ(out.warnings.size(), 1u);
    EXPECT_NE(out.warnings[0].message.find("Client-ESU-Year2 is installed but not activated"),
              std::string::npos);
    EXPECT_NE(out.warnings[0].message.find("Notification"), std::string::npos);
    EXPECT_GT(out.warnings[0].line, 0);
}

TEST(SlmgrDlv, GermanStatusAndAmbiguousTrustedTime) {
    auto out = parse_slmgr_dlv(
        "Name: Windows(R), Server-ESU-Year3 add-on for ServerStandard\r\n"
        "Lizenzstatus: Lizenziert\r\n"
        "Trusted time: 05/06/2026 10:00:00\r\n");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(list_fact(*out, "os.esu_licenses"), (StringList{"Server-ESU-Year3"}));
    EXPECT_FALSE(out->collected_at);  // 5 June or 6 May: not guessed
    auto de = parse_slmgr_dlv(
        "Name: Windows(R), Professional edition\nLicense Status: Licensed\n"
        "Trusted time: 18.11.2026 09:14:02\n");
    ASSERT_TRUE(de.ok());
    ASSERT_TRUE(de->collected_at);
    EXPECT_EQ(de->collected_at->timestamp, "2026-11-18");
}

TEST(SlmgrDlv, NoLicenceBlockIsAnError) {
    auto out = parse_slmgr_dlv("Software licensing service version: 10.0.19041.1\r\n\r\n");
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.error().message.find("not the output of slmgr /dlv"), std::string::npos);
}

TEST(SlmgrDlv, NotDetectedOnOtherExports) {
    auto d = text::decode(testing::read_bytes(
        testing::fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt")));
    ASSERT_TRUE(d.ok());
    EXPECT_NE(detect_source_type(d->utf8, "systeminfo.txt"), "slmgr-dlv");
}

}  // namespace
}  // namespace grundscan
