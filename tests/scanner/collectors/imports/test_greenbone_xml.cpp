#include <string>

#include <gtest/gtest.h>

#include "scanner/collectors/imports/import_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::decoded_fixture;
using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::list_fact;

TEST(GreenboneXml, SingleHostReportSkipsLogResults) {
    std::string text = decoded_fixture("imports/greenbone-single-host_report.xml");
    EXPECT_TRUE(greenbone_xml_collector().detect(text, "report.xml"));
    auto out = parse_greenbone_xml(text);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(int_fact(*out, "vulns.critical_count"), 1);
    EXPECT_EQ(int_fact(*out, "vulns.high_count"), 0);
    EXPECT_EQ(list_fact(*out, "vulns.open_cves"),
              (StringList{"CVE-2013-2566", "CVE-2015-2808", "CVE-2015-4000", "CVE-2023-25690",
                          "CVE-2023-27522"}));
    EXPECT_EQ(find_fact(*out, "vulns.kev_cves"), nullptr);

    const Fact* crit = find_fact(*out, "vulns.critical_count");
    EXPECT_EQ(crit->provenance.line, 19);
    EXPECT_EQ(crit->provenance.excerpt,
              "host 10.1.2.3 port 443/tcp: Apache HTTP Server < 2.4.56 Multiple Vulnerabilities - "
              "Linux (CVSS 9.8, CVE-2023-25690, CVE-2023-27522)");
    const Fact* high = find_fact(*out, "vulns.high_count");
    EXPECT_EQ(high->provenance.line, 18);  // <results>
    EXPECT_EQ(high->provenance.excerpt,
              "no high (CVSS 7.0-8.9) finding among 2 open findings on 1 host");
    const Fact* cves = find_fact(*out, "vulns.open_cves");
    EXPECT_EQ(cves->provenance.line, 19);
    EXPECT_NE(cves->provenance.excerpt.find("; 5 CVEs in 2 open findings on 1 host"),
              std::string::npos);
}

TEST(GreenboneXml, MultiHostReportCombinesAndWarns) {
    auto out = parse_greenbone_xml(decoded_fixture("imports/greenbone-multi-host_get-reports.xml"));
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].message,
              "report covers 3 hosts; facts combine all of them — export one report per host or "
              "filter");

    EXPECT_EQ(int_fact(*out, "vulns.critical_count"), 0);  // the 9.8 is a False Positive
    EXPECT_EQ(int_fact(*out, "vulns.high_count"), 2);
    EXPECT_EQ(list_fact(*out, "vulns.open_cves"),
              (StringList{"CVE-2017-0143", "CVE-2017-0144", "CVE-2017-0145", "CVE-2017-0146",
                          "CVE-2017-0147", "CVE-2017-0148", "CVE-2024-6387"}));
    const Fact* high = find_fact(*out, "vulns.high_count");
    EXPECT_EQ(high->provenance.line, 7);
    EXPECT_EQ(high->provenance.excerpt,
              "host 10.1.2.10 port 445/tcp: Microsoft Windows SMB Server Multiple "
              "Vulnerabilities-Remote (4013389) (CVSS 8.1, CVE-2017-0143, CVE-2017-0144, "
              "CVE-2017-0145, +3 CVEs); +1 more");
    EXPECT_EQ(find_fact(*out, "vulns.critical_count")->provenance.excerpt,
              "no critical (CVSS >= 9.0) finding among 3 open findings on 3 hosts");
}

TEST(GreenboneXml, BareReportOfOlderGvmWithCveText) {
    const char* xml = R"(<report id="x">
<omp><version>7.0</version></omp>
<scan_run_status>Stopped</scan_run_status>
<results>
<result id="r1"><host>192.168.0.5</host><port>80/tcp</port>
<nvt oid="1.3.6.1.4.1.25623.1.0.1"><name>Old PHP</name><cvss_base>7.5</cvss_base>
<cve>CVE-2019-11043, cve-2019-9641</cve></nvt>
<threat>High</threat><severity>7.5</severity></result>
<result id="r2"><host>192.168.0.5</host><port>80/tcp</port>
<nvt oid="1.3.6.1.4.1.25623.1.0.2"><name>No score</name><cvss_base></cvss_base><cve>NOCVE</cve></nvt>
<threat>Medium</threat></result>
</results></report>)";
    EXPECT_TRUE(greenbone_xml_collector().detect(xml, "r.xml"));
    auto out = parse_greenbone_xml(xml);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    ASSERT_EQ(out->warnings.size(), 2u);
    EXPECT_EQ(out->warnings[0].line, 3);
    EXPECT_NE(out->warnings[0].message.find("Stopped"), std::string::npos);
    EXPECT_EQ(out->warnings[1].line, 9);
    EXPECT_EQ(int_fact(*out, "vulns.high_count"), 1);
    EXPECT_EQ(int_fact(*out, "vulns.critical_count"), 0);
    EXPECT_EQ(list_fact(*out, "vulns.open_cves"), (StringList{"CVE-2019-11043", "CVE-2019-9641"}));
}

TEST(GreenboneXml, CleanHostGivesZeroCounts) {
    const char* xml =
        "<report><report><gmp><version>22.4</version></gmp><results/>"
        "<host><ip>10.0.0.1</ip></host></report></report>";
    auto out = parse_greenbone_xml(xml);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    EXPECT_EQ(int_fact(*out, "vulns.critical_count"), 0);
    EXPECT_EQ(int_fact(*out, "vulns.high_count"), 0);
    ASSERT_NE(find_fact(*out, "vulns.open_cves"), nullptr);
    EXPECT_TRUE(list_fact(*out, "vulns.open_cves").empty());
}

TEST(GreenboneXml, NoHostGivesNoFacts) {
    auto out = parse_greenbone_xml("<report><report><results/></report></report>");
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out->facts.empty());
    EXPECT_EQ(out->warnings.size(), 1u);
}

TEST(GreenboneXml, Errors) {
    auto bad = parse_greenbone_xml("<report>\n<results>\n<result><host>1</host>\n</results>");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("malformed XML"), std::string::npos);
    EXPECT_EQ(bad.error().line, 4);

    auto root = parse_greenbone_xml("<?xml version=\"1.0\"?>\n<NessusClientData_v2/>");
    ASSERT_FALSE(root.ok());
    EXPECT_EQ(root.error().message.rfind("not a Greenbone report", 0), 0u);
    EXPECT_EQ(root.error().line, 2);

    auto empty_resp = parse_greenbone_xml(
        "<get_reports_response status=\"404\" status_text=\"Failed to find report\"/>");
    ASSERT_FALSE(empty_resp.ok());
    EXPECT_NE(empty_resp.error().message.find("Failed to find report"), std::string::npos);

    EXPECT_FALSE(parse_greenbone_xml("").ok());
    EXPECT_FALSE(parse_greenbone_xml("<report><name>x</name></report>").ok());
    EXPECT_FALSE(greenbone_xml_collector().detect("<Rsop xmlns=\"x\"/>", "r.xml"));
}

TEST(GreenboneXml, HostileValuesNeverThrow) {
    const char* xml = R"(<report><results>
<result><host></host><port></port><nvt><name></name><refs><ref type="CVE" id="CVE-2024-1"/>
<ref type="cve" id="CVE-2024-12345"/><ref type="cve" id="cve-2024-99999-x"/></refs></nvt>
<severity>11.5</severity><threat>High</threat></result>
<result><host>h</host><severity>NaN</severity></result>
<result><host>h</host><severity>-0.0</severity><threat>Medium</threat></result>
</results></report>)";
    auto out = parse_greenbone_xml(xml);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(list_fact(*out, "vulns.open_cves"), (StringList{"CVE-2024-12345"}));
}

}  // namespace
}  // namespace grundscan
