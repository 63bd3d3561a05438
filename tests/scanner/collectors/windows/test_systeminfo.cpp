#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::decoded_fixture;
using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::list_fact;
using testing::parse_fixture;
using testing::str_fact;

TEST(SysteminfoText, Server2022) {
    auto out = parse_fixture(testing::fixture("windows/wesng_srv2022_systeminfo.txt"),
                             &parse_systeminfo_text);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(str_fact(*out, "host.name"), "WIN-RIBN7SM07BK");
    EXPECT_EQ(str_fact(*out, "host.domain"), "WORKGROUP");
    EXPECT_EQ(str_fact(*out, "os.family"), "windows");
    EXPECT_EQ(str_fact(*out, "os.name"), "Microsoft Windows Server 2022 Standard");
    EXPECT_EQ(str_fact(*out, "os.version"), "10.0.20348");
    EXPECT_EQ(int_fact(*out, "os.build"), 20348);
    EXPECT_EQ(str_fact(*out, "os.release"), "2022");
    EXPECT_EQ(str_fact(*out, "os.id"), "windows-server");
    EXPECT_EQ(str_fact(*out, "os.edition"), "server");
    EXPECT_EQ(str_fact(*out, "os.install_date"), "2021-10-01");
    EXPECT_EQ(list_fact(*out, "patches.installed"),
              (StringList{"KB5004330", "KB5005039", "KB5005552"}));
    EXPECT_EQ(int_fact(*out, "patches.count"), 3);

    // The export starts with an empty line.
    const Fact* name = find_fact(*out, "os.name");
    EXPECT_EQ(name->provenance.line, 3);
    EXPECT_EQ(name->provenance.excerpt,
              "OS Name:                   Microsoft Windows Server 2022 Standard");
    EXPECT_EQ(find_fact(*out, "patches.installed")->provenance.line, 33);
    EXPECT_EQ(find_fact(*out, "os.build")->provenance.excerpt,
              "OS Version:                10.0.20348 N/A Build 20348");
}

TEST(SysteminfoText, Windows10Enterprise22H2) {
    auto out = parse_systeminfo_text(
        decoded_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt"));
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "os.id"), "windows");
    EXPECT_EQ(str_fact(*out, "os.edition"), "enterprise");
    EXPECT_EQ(int_fact(*out, "os.build"), 19045);
    EXPECT_EQ(str_fact(*out, "os.release"), "22H2");
    EXPECT_EQ(str_fact(*out, "os.version"), "10.0.19045");
    EXPECT_EQ(str_fact(*out, "os.install_date"), "1999-01-01");  // ISO in this export
    EXPECT_EQ(list_fact(*out, "patches.installed"), (StringList{"KB5022502"}));
    EXPECT_EQ(int_fact(*out, "patches.count"), 1);
    // NIC continuation lines ("[01]: Wintun ...") do not leak into the hotfix list.
    EXPECT_EQ(find_fact(*out, "host.name")->provenance.line, 1);
}

TEST(SysteminfoText, GermanWindows7WithDuplicatesAndCutList) {
    auto out = parse_fixture(testing::fixture("windows/wesng_win7-sp1-ultimate-de_systeminfo.txt"),
                             &parse_systeminfo_text);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);

    EXPECT_EQ(str_fact(*out, "host.name"), "OLI7-PC");
    EXPECT_EQ(str_fact(*out, "host.domain"), "WORKGROUP");
    EXPECT_EQ(str_fact(*out, "os.name"), "Microsoft Windows 7 Ultimate N");
    EXPECT_EQ(str_fact(*out, "os.version"), "6.1.7601");
    EXPECT_EQ(int_fact(*out, "os.build"), 7601);
    EXPECT_EQ(str_fact(*out, "os.release"), "SP1");
    EXPECT_EQ(str_fact(*out, "os.id"), "windows");
    EXPECT_EQ(find_fact(*out, "os.edition"), nullptr);  // Ultimate is none of the classes
    EXPECT_EQ(str_fact(*out, "os.install_date"), "2016-06-15");
    EXPECT_EQ(find_fact(*out, "os.install_date")->provenance.line, 11);

    // 245 entries listed (3 KBs twice), the list cut off after "[24"; 263 announced.
    auto kbs = list_fact(*out, "patches.installed");
    EXPECT_EQ(kbs.size(), 242u);
    EXPECT_EQ(int_fact(*out, "patches.count"), 242);
    ASSERT_FALSE(kbs.empty());
    EXPECT_EQ(kbs.front(), "KB2849697");
    EXPECT_EQ(kbs[1], "KB2849696");
    EXPECT_EQ(kbs.back(), "KB3162835");
    const Fact* hf = find_fact(*out, "patches.installed");
    EXPECT_EQ(hf->provenance.line, 33);
    EXPECT_NE(hf->provenance.excerpt.find("263 Hotfix(e) installiert."), std::string::npos);
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].line, 33);
    EXPECT_NE(out->warnings[0].message.find("263 announced, 245 listed"), std::string::npos);
}

TEST(SysteminfoText, ReleasesEditionsAndDates) {
    struct Case {
        const char* name;
        const char* version;
        const char* date;
        const char* release;
        const char* edition;
        const char* install;
    };
    const Case cases[] = {
        {"Microsoft Windows 11 Pro", "10.0.22631 N/A Build 22631", "3/14/2024, 9:00:00 AM", "23H2",
         "professional", "2024-03-14"},
        {"Microsoft Windows Server 2019 Datacenter", "10.0.17763 N/A Build 17763",
         "1/8/2020, 1:00:00 PM", "2019", "server", "2020-01-08"},
        {"Microsoft Windows 10 Enterprise LTSC", "10.0.17763 N/A Build 17763",
         "13/1/2020, 1:00:00 PM", "1809", "ltsc", "2020-01-13"},
        {"Microsoft Windows 10 Education", "10.0.19044 N/A Build 19044", "2022/5/3, 8:00:00",
         "21H2", "education", "2022-05-03"},
        {"Microsoft Windows 10 Home", "10.0.10240 N/A Build 10240", "01.02.2016, 10:00:00", "1507",
         "home", "2016-02-01"},
    };
    for (const auto& c : cases) {
        std::string txt =
            std::string("Host Name:                 PC1\r\nOS Name:                   ") + c.name +
            "\r\nOS Version:                " + c.version +
            "\r\nOriginal Install Date:     " + c.date +
            "\r\nSystem Locale:             en-us;English (United States)\r\n";
        auto out = parse_systeminfo_text(txt);
        ASSERT_TRUE(out.ok()) << c.name;
        expect_facts_declared(*out);
        EXPECT_EQ(str_fact(*out, "os.release"), c.release) << c.name;
        EXPECT_EQ(str_fact(*out, "os.edition"), c.edition) << c.name;
        EXPECT_EQ(str_fact(*out, "os.install_date"), c.install) << c.name;
        // No "Hotfix(s)" label: no patch facts at all.
        EXPECT_EQ(find_fact(*out, "patches.count"), nullptr);
    }
}

TEST(SysteminfoText, SlashDateWithGermanLabelsIsDayFirst) {
    std::string txt =
        "Hostname:                                      PC-DE\r\n"
        "Betriebssystemname:                            Microsoft Windows 10 Pro\r\n"
        "Betriebssystemversion:                         10.0.19045 Nicht zutreffend Build "
        "19045\r\n"
        "Ursprüngliches Installationsdatum:             08/01/2015, 15:50:04\r\n"
        "Domäne:                                        FIRMA\r\n"
        "Hotfix(e):                                     N/A\r\n";
    auto out = parse_systeminfo_text(txt);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "os.install_date"), "2015-01-08");
    EXPECT_EQ(str_fact(*out, "host.domain"), "FIRMA");
    EXPECT_EQ(str_fact(*out, "os.edition"), "professional");
    EXPECT_EQ(int_fact(*out, "patches.count"), 0);
    EXPECT_TRUE(list_fact(*out, "patches.installed").empty());
    EXPECT_TRUE(out->warnings.empty());
}

TEST(SysteminfoText, WrongContentIsError) {
    auto out = parse_systeminfo_text("Host Name: X\r\nsome random text\r\n");
    ASSERT_FALSE(out.ok());
    EXPECT_NE(out.error().message.find("OS Name"), std::string::npos);
    EXPECT_FALSE(parse_systeminfo_text("").ok());
    EXPECT_FALSE(
        parse_systeminfo_text(decoded_fixture("windows/wesng_win10-1809-pro_wmic-qfe.txt")).ok());
}

TEST(SysteminfoCsv, Windows7ProfessionalDomainMember) {
    auto out = parse_fixture(testing::fixture("windows/gilmotta_win7-pro_systeminfo.csv"),
                             &parse_systeminfo_csv);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(str_fact(*out, "host.name"), "FDSLTRD2015");
    EXPECT_EQ(str_fact(*out, "host.domain"), "FDS.intra");
    EXPECT_EQ(str_fact(*out, "os.name"), "Microsoft Windows 7 Professional");
    EXPECT_EQ(str_fact(*out, "os.version"), "6.1.7601");
    EXPECT_EQ(int_fact(*out, "os.build"), 7601);
    EXPECT_EQ(str_fact(*out, "os.release"), "SP1");
    EXPECT_EQ(str_fact(*out, "os.id"), "windows");
    EXPECT_EQ(str_fact(*out, "os.edition"), "professional");
    EXPECT_EQ(str_fact(*out, "os.install_date"), "2015-01-08");

    auto kbs = list_fact(*out, "patches.installed");
    EXPECT_EQ(kbs.size(), 223u);
    EXPECT_EQ(int_fact(*out, "patches.count"), 223);
    ASSERT_FALSE(kbs.empty());
    EXPECT_EQ(kbs.front(), "KB974405");
    EXPECT_EQ(kbs.back(), "KB4103713");

    const Fact* name = find_fact(*out, "os.name");
    EXPECT_EQ(name->provenance.line, 2);
    EXPECT_EQ(name->provenance.excerpt, "OS Name: Microsoft Windows 7 Professional ");
    EXPECT_LE(find_fact(*out, "patches.installed")->provenance.excerpt.size(), 203u);
}

TEST(SysteminfoCsv, GermanHeaderQuotedCommasAndExtraRows) {
    std::string csv =
        "\"Hostname\",\"Betriebssystemname\",\"Betriebssystemversion\","
        "\"Ursprüngliches Installationsdatum\",\"Domäne\",\"Hotfix(e)\"\r\n"
        "\"PC-DE\",\"Microsoft Windows 10 Enterprise\",\"10.0.19045 Nicht zutreffend Build "
        "19045\",\"03.04.2023, 10:11:12\",\"FIRMA\",\"2 Hotfix(e) installiert.,[01]: "
        "KB5022502,[02]: KB5022502\"\r\n"
        "\"PC-DE2\",\"Microsoft Windows 10 Pro\",\"10.0.19045\",\"\",\"FIRMA\",\"N/A\"\r\n";
    auto out = parse_systeminfo_csv(csv);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "host.name"), "PC-DE");
    EXPECT_EQ(str_fact(*out, "os.install_date"), "2023-04-03");
    EXPECT_EQ(str_fact(*out, "os.release"), "22H2");
    EXPECT_EQ(list_fact(*out, "patches.installed"), (StringList{"KB5022502"}));
    EXPECT_EQ(int_fact(*out, "patches.count"), 1);
    ASSERT_EQ(out->warnings.size(), 1u);  // the second host's row
    EXPECT_EQ(out->warnings[0].line, 3);
}

TEST(SysteminfoCsv, WrongContentIsError) {
    auto garbage = parse_systeminfo_csv("\"Name\",\"Value\"\r\n\"a\",\"b\"\r\n");
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().line, 1);
    auto header_only = parse_systeminfo_csv("\"Host Name\",\"OS Name\"\r\n");
    ASSERT_FALSE(header_only.ok());
    auto open_quote = parse_systeminfo_csv("\"Host Name\",\"OS Name\"\n\"PC\",\"Microsoft Win\n");
    ASSERT_FALSE(open_quote.ok());
    EXPECT_EQ(open_quote.error().line, 2);
    EXPECT_FALSE(parse_systeminfo_csv("").ok());
}

TEST(Systeminfo, Detect) {
    const auto& t = systeminfo_text_collector();
    const auto& c = systeminfo_csv_collector();
    EXPECT_EQ(t.type, "systeminfo");
    EXPECT_EQ(c.type, "systeminfo-csv");
    EXPECT_EQ(t.parse, &parse_systeminfo_text);
    EXPECT_EQ(c.parse, &parse_systeminfo_csv);
    const auto txt = decoded_fixture("windows/wesng_srv2022_systeminfo.txt");
    const auto de = decoded_fixture("windows/wesng_win7-sp1-ultimate-de_systeminfo.txt");
    const auto csv = decoded_fixture("windows/gilmotta_win7-pro_systeminfo.csv");
    EXPECT_TRUE(t.detect(txt, ""));
    EXPECT_TRUE(t.detect(de, ""));
    EXPECT_FALSE(t.detect(csv, ""));
    EXPECT_TRUE(c.detect(csv, ""));
    EXPECT_FALSE(c.detect(txt, ""));
    EXPECT_FALSE(c.detect(de, ""));
}

}  // namespace
}  // namespace grundscan
