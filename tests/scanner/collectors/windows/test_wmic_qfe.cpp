#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::list_fact;
using testing::str_fact;

TEST(WmicQfe, Windows10_1809Pro) {
    auto d = text::decode(
        testing::read_bytes(testing::fixture("windows/wesng_win10-1809-pro_wmic-qfe.txt")));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, text::Encoding::Utf16LE);
    auto out = parse_wmic_qfe(d->utf8);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(list_fact(*out, "patches.installed"),
              (StringList{"KB4486553", "KB4470788", "KB4480056", "KB4487038", "KB4482887"}));
    EXPECT_EQ(int_fact(*out, "patches.count"), 5);
    EXPECT_EQ(str_fact(*out, "patches.last_installed"), "2019-03-07");

    const Fact* last = find_fact(*out, "patches.last_installed");
    EXPECT_EQ(last->provenance.line, 2);
    EXPECT_EQ(last->provenance.excerpt,
              "Update                        KB4486553               NT AUTHORITY\\SYSTEM  "
              "3/7/2019");
    EXPECT_EQ(find_fact(*out, "host.name"), nullptr);
}

TEST(WmicQfe, FullTableWithNonAsciiDuplicatesAndBlankLines) {
    // `wmic qfe` (all columns) on a German system; redirected output has blank lines.
    std::string t =
        "Caption                                     CSName  Description      FixComments  "
        "HotFixID   InstallDate  InstalledBy          InstalledOn  Name  ServicePackInEffect  "
        "Status  \r\n"
        "\r\n"
        "http://support.microsoft.com/?kbid=5031356  PC-ÄÖÜ  Security Update               "
        "KB5031356               NT-AUTORITÄT\\SYSTEM  10/11/2023                                "
        "       \r\n"
        "\r\n"
        "https://support.microsoft.com/help/5032189  PC-ÄÖÜ  Update                        "
        "KB5032189               NT-AUTORITÄT\\SYSTEM  11/15/2023                                "
        "       \r\n"
        "http://support.microsoft.com/?kbid=5031356  PC-ÄÖÜ  Security Update               "
        "KB5031356               NT-AUTORITÄT\\SYSTEM  9/2/2023                                  "
        "       \r\n"
        "                                            PC-ÄÖÜ  Update                        "
        "KB5030000               NT-AUTORITÄT\\SYSTEM                                            "
        "       \r\n";
    auto out = parse_wmic_qfe(t);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());
    EXPECT_EQ(list_fact(*out, "patches.installed"),
              (StringList{"KB5031356", "KB5032189", "KB5030000"}));
    EXPECT_EQ(int_fact(*out, "patches.count"), 3);
    EXPECT_EQ(str_fact(*out, "patches.last_installed"), "2023-11-15");
    EXPECT_EQ(find_fact(*out, "patches.last_installed")->provenance.line, 5);
}

TEST(WmicQfe, UnreadableDateIsWarning) {
    std::string t =
        "HotFixID   InstalledOn  \r\n"
        "KB4486553  3/7/2019     \r\n"
        "KB4470788  01d4d4b2c0f6 \r\n";
    auto out = parse_wmic_qfe(t);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(str_fact(*out, "patches.last_installed"), "2019-03-07");
    EXPECT_EQ(int_fact(*out, "patches.count"), 2);
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].line, 3);
}

TEST(WmicQfe, NoDatesNoLastInstalled) {
    auto out = parse_wmic_qfe("HotFixID   InstalledOn\nKB1234567\n");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(find_fact(*out, "patches.last_installed"), nullptr);
    EXPECT_EQ(int_fact(*out, "patches.count"), 1);
}

TEST(WmicQfe, GarbageIsError) {
    auto out = parse_wmic_qfe("\r\nNo Instance(s) Available.\r\n");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().line, 2);
    EXPECT_FALSE(parse_wmic_qfe("").ok());
}

TEST(WmicQfe, Detect) {
    const auto& c = wmic_qfe_collector();
    EXPECT_EQ(c.type, "wmic-qfe");
    EXPECT_EQ(c.parse, &parse_wmic_qfe);
    auto d = text::decode(
        testing::read_bytes(testing::fixture("windows/wesng_win10-1809-pro_wmic-qfe.txt")));
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(c.detect(d->utf8, ""));
    EXPECT_FALSE(c.detect("Host Name: X\r\nOS Name: Y\r\n", ""));
}

}  // namespace
}  // namespace grundscan
