#include <gtest/gtest.h>

#include "scanner/collectors/asset_collector.hpp"
#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

using testing::bool_fact;
using testing::find_fact;
using testing::int_fact;
using testing::list_fact;
using testing::str_fact;

// Recorded here: Debian 12 openssh-server 1:9.2p1-2+deb12u10, stock config + drop-in.
TEST(SshdT, Debian12) {
    auto out = testing::parse_fixture(testing::fixture("linux/debian12_sshd-T.txt"), &parse_sshd_t);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    testing::expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "ssh.permit_root_login"), "no");
    EXPECT_EQ(bool_fact(*out, "ssh.password_authentication"), true);
    EXPECT_EQ(bool_fact(*out, "ssh.permit_empty_passwords"), false);
    EXPECT_EQ(bool_fact(*out, "ssh.x11_forwarding"), true);
    EXPECT_EQ(int_fact(*out, "ssh.max_auth_tries"), 6);
    EXPECT_EQ(int_fact(*out, "ssh.client_alive_interval"), 0);
    EXPECT_EQ(list_fact(*out, "ssh.ciphers").front(), "chacha20-poly1305@openssh.com");
    EXPECT_EQ(list_fact(*out, "ssh.macs").size(), 10u);
    EXPECT_EQ(list_fact(*out, "ssh.kex_algorithms").front(), "sntrup761x25519-sha512");
    const Fact* root = find_fact(*out, "ssh.permit_root_login");
    EXPECT_EQ(root->priority, kSshdEffectivePriority);
    EXPECT_EQ(root->provenance.excerpt, "permitrootlogin no");
    EXPECT_TRUE(out->warnings.empty());
    EXPECT_EQ(detect_source_type(testing::read_bytes(testing::fixture("linux/debian12_sshd-T.txt")),
                                 "debian12_sshd-T.txt"),
              "sshd-t");
}

// jc's fixture from an older OpenSSH with legacy CBC/3DES ciphers and SHA-1 key exchange.
TEST(SshdT, JcLegacyAlgorithms) {
    auto out = testing::parse_fixture(testing::fixture("linux/jc_sshd-T-2.out"), &parse_sshd_t);
    ASSERT_TRUE(out.ok());
    testing::expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "ssh.permit_root_login"), "yes");
    auto ciphers = list_fact(*out, "ssh.ciphers");
    EXPECT_NE(std::find(ciphers.begin(), ciphers.end(), "3des-cbc"), ciphers.end());
    auto kex = list_fact(*out, "ssh.kex_algorithms");
    EXPECT_NE(std::find(kex.begin(), kex.end(), "diffie-hellman-group1-sha1"), kex.end());
    EXPECT_EQ(
        detect_source_type(testing::read_bytes(testing::fixture("linux/jc_sshd-T-2.out")), "x"),
        "sshd-t");
}

// jc's other fixture has lists starting with + and ^, which sshd -T never prints: those lists
// are not evidence of the effective algorithms.
TEST(SshdT, JcEditedListsAreNotEffective) {
    auto out = testing::parse_fixture(testing::fixture("linux/jc_sshd-T.out"), &parse_sshd_t);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(find_fact(*out, "ssh.ciphers"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.macs"), nullptr);
    EXPECT_FALSE(list_fact(*out, "ssh.kex_algorithms").empty());
    EXPECT_EQ(str_fact(*out, "ssh.permit_root_login"), "prohibit-password");  // without-password
    EXPECT_EQ(out->warnings.size(), 2u);
}

TEST(SshdT, IncompleteOutputAndGarbage) {
    auto out = parse_sshd_t("port 22\npermitrootlogin yes\n");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(str_fact(*out, "ssh.permit_root_login"), "yes");
    EXPECT_EQ(find_fact(*out, "ssh.password_authentication"), nullptr);  // never a default
    bool lacks = false;
    for (const auto& w : out->warnings)
        lacks |= w.message.find("lacks `passwordauthentication`") != std::string::npos;
    EXPECT_TRUE(lacks);
    auto bad = parse_sshd_t("Hello World\nthis is text\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().line, 1);
    // A lower-case sshd_config with comments is not sshd -T.
    EXPECT_FALSE(sshd_t_collector().detect("# x\npermitrootlogin no\nusepam yes\n", "x"));
}

}  // namespace
}  // namespace grundscan
