#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "scanner/collectors/windows/windows_collectors.hpp"
#include "scanner/core/text.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::bool_fact;
using testing::decoded_fixture;
using testing::expect_facts_declared;
using testing::find_fact;
using testing::int_fact;
using testing::str_fact;

TEST(GpresultXml, RsopOfChildDomainController) {
    auto d = text::decode(
        testing::read_bytes(testing::fixture("windows/laymanstake-childdc_gpresult-x_rsop.xml")));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, text::Encoding::Utf16LE);
    auto out = parse_gpresult_xml(d->utf8);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(str_fact(*out, "host.name"), "CHILDDC");
    EXPECT_EQ(find_fact(*out, "host.name")->provenance.line, 7);
    EXPECT_EQ(find_fact(*out, "host.name")->provenance.excerpt, "<Name>CHILD\\CHILDDC$</Name>");
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 9);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 30);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 1);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 23);
    EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), true);
    EXPECT_EQ(bool_fact(*out, "password_policy.reversible_encryption"), false);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 5);
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), 45);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 10);
    EXPECT_EQ(find_fact(*out, "accounts.guest_enabled"), nullptr);

    const Fact* len = find_fact(*out, "password_policy.min_length");
    EXPECT_EQ(len->provenance.line, 300);
    EXPECT_EQ(len->provenance.excerpt,
              "<q1:Name>MinimumPasswordLength</q1:Name> <q1:SettingNumber>9</q1:SettingNumber>");
}

TEST(GpresultXml, GpmcReportOfNsaBaseline) {
    auto out =
        parse_gpresult_xml(decoded_fixture("windows/nsacyber-shb-win10-computer_gpreport.xml"));
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_TRUE(out->warnings.empty());

    EXPECT_EQ(find_fact(*out, "host.name"), nullptr);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 14);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 60);
    EXPECT_EQ(int_fact(*out, "password_policy.min_age_days"), 1);
    EXPECT_EQ(int_fact(*out, "password_policy.history"), 24);
    EXPECT_EQ(bool_fact(*out, "password_policy.complexity"), true);
    EXPECT_EQ(bool_fact(*out, "password_policy.reversible_encryption"), false);
    EXPECT_EQ(int_fact(*out, "lockout.threshold"), 3);
    EXPECT_EQ(int_fact(*out, "lockout.reset_minutes"), 15);
    // GPMC writes the DWORD -1 ("until an administrator unlocks") as 4294967295.
    EXPECT_EQ(int_fact(*out, "lockout.duration_minutes"), -1);
    EXPECT_EQ(bool_fact(*out, "accounts.guest_enabled"), false);

    const Fact* guest = find_fact(*out, "accounts.guest_enabled");
    EXPECT_EQ(guest->provenance.line, 788);
    EXPECT_NE(guest->provenance.excerpt.find("EnableGuestAccount"), std::string::npos);
    EXPECT_EQ(find_fact(*out, "lockout.duration_minutes")->provenance.line, 146);
}

TEST(GpresultXml, TruncatedXmlIsErrorWithLine) {
    std::string xml = decoded_fixture("windows/laymanstake-childdc_gpresult-x_rsop.xml");
    // Cut inside line 300 (the MinimumPasswordLength setting).
    auto pos = xml.find("<q1:Name>MinimumPasswordLength");
    ASSERT_NE(pos, std::string::npos);
    auto out = parse_gpresult_xml(std::string_view(xml).substr(0, pos + 12));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().line, 300);
    EXPECT_NE(out.error().message.find("malformed XML"), std::string::npos);
    EXPECT_NE(out.error().message.find("ends early"), std::string::npos) << out.error().message;

    auto small = parse_gpresult_xml(
        "<?xml version=\"1.0\"?>\n<Rsop>\n  <ComputerResults>\n    <Name>X</Nme>\n");
    ASSERT_FALSE(small.ok());
    EXPECT_EQ(small.error().line, 4);
}

TEST(GpresultXml, UnrelatedXmlAndGarbageAreErrors) {
    auto other = parse_gpresult_xml("<?xml version=\"1.0\"?>\r\n<catalog>\r\n</catalog>\r\n");
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().line, 2);
    EXPECT_FALSE(parse_gpresult_xml("MinimumPasswordLength = 14\r\n").ok());
    EXPECT_FALSE(parse_gpresult_xml("").ok());
}

TEST(GpresultXml, Utf16DeclarationOnUtf8Text) {
    // The caller has decoded the text; the stale declaration must not matter.
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n"
        "<GPO xmlns=\"http://www.microsoft.com/GroupPolicy/Settings\">\r\n"
        "  <Computer><ExtensionData><Extension "
        "xmlns:q7=\"http://www.microsoft.com/GroupPolicy/Settings/Security\">\r\n"
        "    <q7:Account><q7:Name>MinimumPasswordLength</q7:Name>"
        "<q7:SettingNumber>12</q7:SettingNumber><q7:Type>Password</q7:Type></q7:Account>\r\n"
        "    <q7:Account><q7:Name>LockoutBadCount</q7:Name>"
        "<q7:SettingNumber>zehn</q7:SettingNumber></q7:Account>\r\n"
        "    <q7:Account><q7:Name>MaximumPasswordAge</q7:Name>"
        "<q7:SettingNumber>4294967295</q7:SettingNumber></q7:Account>\r\n"
        "    <q7:Account><q7:Name>Geräte</q7:Name>"
        "<q7:SettingNumber>1</q7:SettingNumber></q7:Account>\r\n"
        "  </Extension></ExtensionData></Computer>\r\n</GPO>\r\n";
    auto out = parse_gpresult_xml(xml);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 12);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length")->provenance.line, 4);
    EXPECT_EQ(int_fact(*out, "password_policy.max_age_days"), 0);
    EXPECT_EQ(find_fact(*out, "lockout.threshold"), nullptr);
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].line, 5);
    EXPECT_NE(out->warnings[0].message.find("LockoutBadCount"), std::string::npos);
}

TEST(GpresultXml, LowestPrecedenceWins) {
    std::string xml =
        "<Rsop xmlns=\"http://www.microsoft.com/GroupPolicy/Rsop\"><ComputerResults>\n"
        "<ExtensionData><Extension xmlns:q1=\"http://www.microsoft.com/GroupPolicy/Settings/"
        "Security\" xmlns:b=\"http://www.microsoft.com/GroupPolicy/Settings/Base\">\n"
        "<q1:Account><b:Precedence>2</b:Precedence><q1:Name>MinimumPasswordLength</q1:Name>"
        "<q1:SettingNumber>8</q1:SettingNumber></q1:Account>\n"
        "<q1:Account><b:Precedence>1</b:Precedence><q1:Name>MinimumPasswordLength</q1:Name>"
        "<q1:SettingNumber>14</q1:SettingNumber></q1:Account>\n"
        "</Extension></ExtensionData></ComputerResults></Rsop>\n";
    auto out = parse_gpresult_xml(xml);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    EXPECT_EQ(int_fact(*out, "password_policy.min_length"), 14);
    EXPECT_EQ(find_fact(*out, "password_policy.min_length")->provenance.line, 4);
    int count = 0;
    for (const auto& f : out->facts) count += f.name == "password_policy.min_length";
    EXPECT_EQ(count, 1);
}

TEST(GpresultXml, Detect) {
    const auto& c = gpresult_xml_collector();
    EXPECT_EQ(c.type, "gpresult-xml");
    EXPECT_EQ(c.parse, &parse_gpresult_xml);
    EXPECT_TRUE(c.detect(decoded_fixture("windows/laymanstake-childdc_gpresult-x_rsop.xml"), ""));
    EXPECT_TRUE(c.detect(decoded_fixture("windows/nsacyber-shb-win10-computer_gpreport.xml"), ""));
    EXPECT_FALSE(c.detect("<catalog></catalog>", "rsop.xml"));
    EXPECT_FALSE(c.detect(decoded_fixture("windows/nsacyber-shb-win10-computer_GptTmpl.inf"), ""));
}

}  // namespace
}  // namespace grundscan
