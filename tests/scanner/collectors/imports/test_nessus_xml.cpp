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

TEST(NessusXml, SingleHostSkipsInformational) {
    std::string text = decoded_fixture("imports/nessus-single-host.nessus");
    EXPECT_TRUE(nessus_xml_collector().detect(text, "scan.nessus"));
    EXPECT_FALSE(greenbone_xml_collector().detect(text, "scan.nessus"));
    auto out = parse_nessus_xml(text);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    // MS17-010: Nessus severity 4 (rated by CVSSv2 10.0), CVSSv3 8.1 counts: high.
    EXPECT_EQ(int_fact(*out, "vulns.critical_count"), 0);
    EXPECT_EQ(int_fact(*out, "vulns.high_count"), 1);
    EXPECT_EQ(list_fact(*out, "vulns.open_cves"),
              (StringList{"CVE-2017-0143", "CVE-2017-0144", "CVE-2017-0145", "CVE-2017-0146",
                          "CVE-2017-0147", "CVE-2017-0148"}));
    EXPECT_EQ(find_fact(*out, "vulns.kev_cves"), nullptr);
    const Fact* high = find_fact(*out, "vulns.high_count");
    EXPECT_EQ(high->provenance.line, 17);
    EXPECT_EQ(high->provenance.excerpt.rfind("host 10.1.5.20 port 445/tcp: MS17-010: Security "
                                             "Update for Microsoft Windows SMB Server",
                                             0),
              0u);
    EXPECT_NE(high->provenance.excerpt.find("(CVSS 8.1, CVE-2017-0143, CVE-2017-0144, "
                                            "CVE-2017-0145, +3 CVEs)"),
              std::string::npos);
    EXPECT_EQ(find_fact(*out, "vulns.critical_count")->provenance.excerpt,
              "no critical (CVSS >= 9.0) finding among 2 open findings on 1 host");
}

TEST(NessusXml, MultiHostAndSeverityFallback) {
    const char* xml = R"(<?xml version="1.0" ?>
<NessusClientData_v2><Report name="net">
<ReportHost name="10.0.0.1"><HostProperties><tag name="host-ip">10.0.0.1</tag></HostProperties>
<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="4" pluginID="1" pluginName="A">
<cve>CVE-2024-6387</cve><risk_factor>Critical</risk_factor></ReportItem>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="3" pluginID="2" pluginName="B">
<cvss3_base_score>9.1</cvss3_base_score></ReportItem>
</ReportHost>
<ReportHost name="10.0.0.2">
<ReportItem port="80" protocol="tcp" severity="3" pluginID="3" pluginName="C">
<cvss_base_score>7.5</cvss_base_score><cve>CVE-2021-41773</cve></ReportItem>
<ReportItem port="80" protocol="tcp" severity="x" pluginID="4" pluginName="D"/>
</ReportHost></Report></NessusClientData_v2>)";
    auto out = parse_nessus_xml(xml);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    ASSERT_EQ(out->warnings.size(), 2u);
    EXPECT_EQ(out->warnings[0].line, 12);
    EXPECT_EQ(out->warnings[1].message,
              "report covers 2 hosts; facts combine all of them — export one report per host or "
              "filter");
    EXPECT_EQ(int_fact(*out, "vulns.critical_count"), 2);
    EXPECT_EQ(int_fact(*out, "vulns.high_count"), 1);
    EXPECT_EQ(list_fact(*out, "vulns.open_cves"), (StringList{"CVE-2021-41773", "CVE-2024-6387"}));
    EXPECT_EQ(find_fact(*out, "vulns.critical_count")->provenance.excerpt,
              "host 10.0.0.1 port general/tcp: B (CVSS 9.1); +1 more");
}

TEST(NessusXml, Errors) {
    auto bad = parse_nessus_xml("<NessusClientData_v2>\n<Report>\n<ReportHost name=\"a\">\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("malformed XML"), std::string::npos);
    EXPECT_GE(bad.error().line, 3);

    auto root = parse_nessus_xml("<report><results/></report>");
    ASSERT_FALSE(root.ok());
    EXPECT_EQ(root.error().message.rfind("not a Nessus report", 0), 0u);
    EXPECT_FALSE(parse_nessus_xml("<NessusClientData/>").ok());

    auto empty =
        parse_nessus_xml("<NessusClientData_v2><Report name=\"x\"/></NessusClientData_v2>");
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->facts.empty());
    EXPECT_EQ(empty->warnings.size(), 1u);
}

}  // namespace
}  // namespace grundscan
