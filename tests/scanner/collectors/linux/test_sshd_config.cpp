#include <gtest/gtest.h>

#include <set>

#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::expect_facts_declared;
using testing::find_fact;
using testing::parse_fixture;

TEST(SshdConfig, Hardened) {
    auto out = parse_fixture(testing::fixture("linux/hardened_sshd_config"), &parse_sshd_config);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    expect_facts_declared(*out);
    const Fact* root = find_fact(*out, "ssh.permit_root_login");
    ASSERT_NE(root, nullptr);
    // Globally "no", but the Match block for the backup user allows prohibit-password (and
    // password logins): some connections get the weaker setting, so that is what counts.
    EXPECT_EQ(std::get<std::string>(root->value), "prohibit-password");
    EXPECT_EQ(root->provenance.line, 48);
    EXPECT_EQ(root->provenance.excerpt,
              "Match Address 10.20.0.0/16 User backup: PermitRootLogin prohibit-password");
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "ssh.password_authentication")->value));
    EXPECT_FALSE(std::get<bool>(find_fact(*out, "ssh.permit_empty_passwords")->value));
    EXPECT_FALSE(std::get<bool>(find_fact(*out, "ssh.x11_forwarding")->value));
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "ssh.max_auth_tries")->value), 3);
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "ssh.client_alive_interval")->value), 300);
    EXPECT_EQ(std::get<StringList>(find_fact(*out, "ssh.ciphers")->value),
              (StringList{"chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com",
                          "aes128-gcm@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr"}));
    EXPECT_EQ(std::get<StringList>(find_fact(*out, "ssh.macs")->value),
              (StringList{"hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
                          "umac-128-etm@openssh.com"}));
    EXPECT_EQ(std::get<StringList>(find_fact(*out, "ssh.kex_algorithms")->value).size(), 4u);
    EXPECT_EQ(find_fact(*out, "ssh.protocol"), nullptr);
    ASSERT_EQ(out->warnings.size(), 1u);  // the Match block, once
    EXPECT_EQ(out->warnings[0].line, 46);
}

TEST(SshdConfig, DebianStockWithoutIncludedFiles) {
    auto out =
        parse_fixture(testing::fixture("linux/debian12-like_sshd_config"), &parse_sshd_config);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    // The Include on line 12 is not part of the text: everything after it (X11Forwarding yes
    // on line 90) and every default is unknown. Only "an sshd configuration was exported".
    ASSERT_EQ(out->facts.size(), 1u);
    EXPECT_EQ(out->facts[0].name, "ssh.config_exported");
    ASSERT_EQ(out->warnings.size(), 1u);
    EXPECT_EQ(out->warnings[0].line, 0);
    EXPECT_NE(out->warnings[0].message.find("Include /etc/ssh/sshd_config.d/*.conf (line 12)"),
              std::string::npos);
    EXPECT_NE(out->warnings[0].message.find("X11Forwarding"), std::string::npos);
    EXPECT_NE(out->warnings[0].message.find("grundscan collect --local"), std::string::npos);
}

TEST(SshdConfig, SharedSamples) {
    auto isms = testing::shared_sample("linux/isms-rhcos_sshd_config");
    auto ubuntu = testing::shared_sample("linux/ubuntu-20.04_sshd_config");
    if (isms.empty() || ubuntu.empty()) GTEST_SKIP() << "shared samples not available";
    auto out = parse_fixture(isms, &parse_sshd_config);
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "ssh.permit_root_login")->value), "no");
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "ssh.password_authentication")->value));
    EXPECT_TRUE(std::get<bool>(find_fact(*out, "ssh.x11_forwarding")->value));
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "ssh.client_alive_interval")->value), 180);
    EXPECT_TRUE(out->warnings.empty());
    auto u = parse_fixture(ubuntu, &parse_sshd_config);
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(find_fact(*u, "ssh.permit_root_login"), nullptr);
    EXPECT_EQ(find_fact(*u, "ssh.password_authentication"), nullptr);
    EXPECT_EQ(u->warnings.size(), 1u);  // Include
}

TEST(SshdConfig, CaseFirstWinsAndAliases) {
    auto out = parse_sshd_config(
        "permitrootlogin Without-Password\nPermitRootLogin yes\nPROTOCOL 2,1\n"
        "PasswordAuthentication=no\nMaxAuthTries = 4\nCiphers +aes128-cbc,3des-cbc\n"
        "MACs -hmac-md5\nKexAlgorithms \"curve25519-sha256\"\n");
    ASSERT_TRUE(out.ok());
    expect_facts_declared(*out);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "ssh.permit_root_login")->value),
              "prohibit-password");
    EXPECT_EQ(find_fact(*out, "ssh.permit_root_login")->provenance.line, 1);
    EXPECT_EQ(std::get<std::string>(find_fact(*out, "ssh.protocol")->value), "2,1");
    EXPECT_FALSE(std::get<bool>(find_fact(*out, "ssh.password_authentication")->value));
    EXPECT_EQ(std::get<std::int64_t>(find_fact(*out, "ssh.max_auth_tries")->value), 4);
    EXPECT_EQ(std::get<StringList>(find_fact(*out, "ssh.ciphers")->value),
              (StringList{"aes128-cbc", "3des-cbc"}));
    EXPECT_EQ(find_fact(*out, "ssh.macs"), nullptr);
    EXPECT_EQ(std::get<StringList>(find_fact(*out, "ssh.kex_algorithms")->value),
              (StringList{"curve25519-sha256"}));
    EXPECT_EQ(out->warnings.size(), 2u);  // '+' list and '-' list
}

TEST(SshdConfig, BadValuesAreWarnings) {
    auto out = parse_sshd_config(
        "PermitRootLogin maybe\nX11Forwarding perhaps\n"
        "MaxAuthTries lots\nFrobnicate yes\nUsePAM yes\n");
    ASSERT_TRUE(out.ok());
    // A bad value is no value: neither a fact nor the default.
    EXPECT_EQ(find_fact(*out, "ssh.permit_root_login"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.x11_forwarding"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.max_auth_tries"), nullptr);
    ASSERT_EQ(out->warnings.size(), 4u);
    std::set<int> lines;
    for (const auto& w : out->warnings) lines.insert(w.line);
    EXPECT_EQ(lines, (std::set<int>{1, 2, 3, 4}));  // 4: unknown keyword
}

TEST(SshdConfig, GarbageIsError) {
    auto out = parse_sshd_config("lorem ipsum dolor\nsit amet\n");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().line, 1);
    // Only comments: a whole configuration of defaults.
    auto comments = parse_sshd_config("# PermitRootLogin no\n\n");
    ASSERT_TRUE(comments.ok());
    EXPECT_EQ(testing::str_fact(*comments, "ssh.permit_root_login"), "prohibit-password");
}

TEST(SshdConfig, Detect) {
    const auto& c = sshd_config_collector();
    EXPECT_EQ(c.type, "sshd-config");
    EXPECT_TRUE(c.detect("", "etc_ssh_sshd_config"));
    EXPECT_TRUE(c.detect("#PermitRootLogin prohibit-password\nUsePAM yes\n", "x"));
    EXPECT_FALSE(c.detect("auth required pam_env.so\n", "x"));
}

}  // namespace
}  // namespace grundscan

namespace grundscan {

TEST(SshdConfigMatch, WeakerMatchSettingsCountStrongerOnesDoNot) {
    auto out = parse_sshd_config(
        "PermitRootLogin no\nPasswordAuthentication no\nMaxAuthTries 3\nX11Forwarding yes\n"
        "Match User backup\n  PermitRootLogin yes\n  MaxAuthTries 2\n  X11Forwarding no\n"
        "Match Group admins\n  PasswordAuthentication yes\n");
    ASSERT_TRUE(out.ok());
    auto root = testing::str_fact(*out, "ssh.permit_root_login");
    EXPECT_EQ(root, "yes");
    EXPECT_EQ(testing::find_fact(*out, "ssh.permit_root_login")->provenance.excerpt,
              "Match User backup: PermitRootLogin yes");
    EXPECT_EQ(testing::bool_fact(*out, "ssh.password_authentication"), true);
    EXPECT_EQ(testing::int_fact(*out, "ssh.max_auth_tries"), 3);      // 2 is stricter
    EXPECT_EQ(testing::bool_fact(*out, "ssh.x11_forwarding"), true);  // "no" is stricter
    int count = 0;
    for (const auto& f : out->facts) count += f.name == "ssh.permit_root_login";
    EXPECT_EQ(count, 1);
}

}  // namespace grundscan
