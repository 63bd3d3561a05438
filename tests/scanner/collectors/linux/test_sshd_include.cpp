// sshd_config Include resolution, OpenSSH defaults and `sshd -T` priority, on the Debian 12
// stock configuration (tests/fixtures/linux/sshd-bundle-debian12, cross-checked against the
// `sshd -T` output of the same files in debian12_sshd-T.txt).
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <fstream>

#include "scanner/collectors/asset_collector.hpp"
#include "scanner/collectors/linux/linux_collectors.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

namespace fs = std::filesystem;
using testing::bool_fact;
using testing::find_fact;
using testing::int_fact;
using testing::str_fact;

class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "grundscan-sshd-XXXXXX").string();
        path_ = mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path();
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

void write(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

// A resolver over named in-memory files; patterns not listed are unresolved.
SshdIncludeResolver memory_resolver(std::map<std::string, std::vector<SshdFile>> files) {
    return [files = std::move(files)](const std::string& pattern) {
        SshdIncludeMatch m;
        auto it = files.find(pattern);
        if (it == files.end()) {
            m.reason = "not in the test export";
            return m;
        }
        m.resolved = true;
        m.files = it->second;
        return m;
    };
}

Asset asset_of(const std::vector<fs::path>& files) {
    Asset a;
    a.id = "h";
    a.kind = "linux-server";
    for (const auto& f : files) a.sources.push_back(SourceFile{f, f.filename().string(), ""});
    return a;
}

std::string stock() {
    return testing::read_bytes(testing::fixture("linux/debian12-like_sshd_config"));
}

TEST(SshdInclude, DropInWinsOverLaterMainFileSetting) {
    std::string main = stock() + "PasswordAuthentication no\n";
    auto resolver =
        memory_resolver({{"/etc/ssh/sshd_config.d/*.conf",
                          {SshdFile{"d/50-cloud-init.conf", "sshd_config.d/50-cloud-init.conf",
                                    "PasswordAuthentication yes\n"}}}});
    auto out = parse_sshd_config_with_includes(main, &resolver, true);
    ASSERT_TRUE(out.ok()) << out.error().describe();
    testing::expect_facts_declared(*out);
    EXPECT_EQ(bool_fact(*out, "ssh.password_authentication"), true);
    const Fact* pw = find_fact(*out, "ssh.password_authentication");
    EXPECT_EQ(pw->provenance.source, "sshd_config.d/50-cloud-init.conf");
    EXPECT_EQ(pw->provenance.line, 1);
    EXPECT_EQ(out->consumed, (std::vector<fs::path>{"d/50-cloud-init.conf"}));
    // X11Forwarding yes in the main file (line 90, after the Include) is a fact now.
    EXPECT_EQ(bool_fact(*out, "ssh.x11_forwarding"), true);
    EXPECT_EQ(find_fact(*out, "ssh.x11_forwarding")->provenance.line, 90);
}

TEST(SshdInclude, MissingIncludeMakesLaterSettingsUnknown) {
    std::string main = "PermitEmptyPasswords no\n" + stock() + "PasswordAuthentication no\n";
    auto out = parse_sshd_config(main);
    ASSERT_TRUE(out.ok());
    // Set before the Include: known. After it: unknown, and no defaults at all.
    EXPECT_EQ(bool_fact(*out, "ssh.permit_empty_passwords"), false);
    EXPECT_EQ(find_fact(*out, "ssh.password_authentication"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.x11_forwarding"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.permit_root_login"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.max_auth_tries"), nullptr);
    auto it = std::find_if(out->warnings.begin(), out->warnings.end(),
                           [](const SourceIssue& w) { return w.line == 0; });
    ASSERT_NE(it, out->warnings.end());
    EXPECT_NE(it->message.find("Include /etc/ssh/sshd_config.d/*.conf (line 13)"),
              std::string::npos)
        << it->message;
    EXPECT_NE(it->message.find("PasswordAuthentication"), std::string::npos) << it->message;
    EXPECT_NE(it->message.find("X11Forwarding"), std::string::npos) << it->message;
    EXPECT_FALSE(it->fatal);
}

TEST(SshdInclude, DefaultsOnlyForStableKeysAndSaidSo) {
    auto out = parse_sshd_config("UsePAM yes\nPasswordAuthentication no\n");
    ASSERT_TRUE(out.ok());
    testing::expect_facts_declared(*out);
    EXPECT_EQ(str_fact(*out, "ssh.permit_root_login"), "prohibit-password");
    const Fact* root = find_fact(*out, "ssh.permit_root_login");
    EXPECT_EQ(root->provenance.line, 0);
    EXPECT_EQ(root->provenance.excerpt,
              "PermitRootLogin (nicht gesetzt, Standardwert von OpenSSH: prohibit-password)");
    EXPECT_EQ(root->priority, kSshdDefaultPriority);
    EXPECT_EQ(bool_fact(*out, "ssh.permit_empty_passwords"), false);
    EXPECT_EQ(bool_fact(*out, "ssh.x11_forwarding"), false);
    EXPECT_EQ(int_fact(*out, "ssh.max_auth_tries"), 6);
    EXPECT_EQ(bool_fact(*out, "ssh.password_authentication"), false);  // explicit
    EXPECT_EQ(find_fact(*out, "ssh.password_authentication")->priority, 0);
    // Crypto lists have version-dependent defaults: none assumed.
    EXPECT_EQ(find_fact(*out, "ssh.ciphers"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.macs"), nullptr);
    EXPECT_EQ(find_fact(*out, "ssh.kex_algorithms"), nullptr);
}

TEST(SshdInclude, MatchInIncludedFileEndsAtItsEnd) {
    auto resolver = memory_resolver(
        {{"backup.conf",
          {SshdFile{"backup.conf", "backup.conf", "Match User backup\nPermitRootLogin yes\n"}}}});
    auto out = parse_sshd_config_with_includes("Include backup.conf\nPermitRootLogin no\n",
                                               &resolver, true);
    ASSERT_TRUE(out.ok());
    // Global: "no" (the Match block ended with backup.conf); for user backup: "yes".
    EXPECT_EQ(str_fact(*out, "ssh.permit_root_login"), "yes");
    EXPECT_EQ(find_fact(*out, "ssh.permit_root_login")->priority, kSshdMatchPriority);
    EXPECT_EQ(find_fact(*out, "ssh.permit_root_login")->provenance.source, "backup.conf");
}

TEST(SshdInclude, UnresolvedIncludeInMatchHidesMatchableSettings) {
    auto out = parse_sshd_config(
        "PermitRootLogin no\nCiphers aes256-ctr\nMatch User x\n  Include /etc/ssh/x.conf\n");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(find_fact(*out, "ssh.permit_root_login"), nullptr);
    EXPECT_EQ(testing::list_fact(*out, "ssh.ciphers"), (StringList{"aes256-ctr"}));
}

TEST(SshdInclude, RecursionAndFileCountLimits) {
    SshdIncludeResolver self = [](const std::string&) {
        SshdIncludeMatch m;
        m.resolved = true;
        m.files = {SshdFile{"loop.conf", "loop.conf", "Include loop.conf\n"}};
        return m;
    };
    auto loop = parse_sshd_config_with_includes("Include loop.conf\n", &self, true);
    ASSERT_FALSE(loop.ok());
    EXPECT_NE(loop.error().message.find("deeper than 16"), std::string::npos);
    SshdIncludeResolver many = [](const std::string&) {
        SshdIncludeMatch m;
        m.resolved = true;
        for (int i = 0; i < 300; ++i)
            m.files.push_back(SshdFile{"f" + std::to_string(i), "f", "UsePAM yes\n"});
        return m;
    };
    auto wide = parse_sshd_config_with_includes("Include *.conf\n", &many, true);
    ASSERT_FALSE(wide.ok());
    EXPECT_NE(wide.error().message.find("more than 256"), std::string::npos);
}

// The shipped fixture bundle: Debian 12 stock sshd_config + "PasswordAuthentication no",
// drop-in 50-local.conf with "PasswordAuthentication yes" and "PermitRootLogin no".
TEST(SshdInclude, BundleAgreesWithSshdTOfTheSameFiles) {
    fs::path dir = testing::fixture("linux/sshd-bundle-debian12");
    fs::path main = dir / "etc/ssh/sshd_config";
    fs::path drop = dir / "etc/ssh/sshd_config.d/50-local.conf";
    for (const auto& order :
         {std::vector<fs::path>{main, drop}, std::vector<fs::path>{drop, main}}) {
        FactSet facts = collect_asset(asset_of(order), CollectOptions{});
        ASSERT_NE(facts.find("ssh.password_authentication"), nullptr);
        EXPECT_TRUE(std::get<bool>(facts.find("ssh.password_authentication")->value));
        EXPECT_EQ(std::get<std::string>(facts.find("ssh.permit_root_login")->value), "no");
        EXPECT_TRUE(std::get<bool>(facts.find("ssh.x11_forwarding")->value));
        EXPECT_EQ(std::get<std::int64_t>(facts.find("ssh.max_auth_tries")->value), 6);
        EXPECT_FALSE(std::get<bool>(facts.find("ssh.permit_empty_passwords")->value));
        for (const auto& i : facts.issues()) EXPECT_FALSE(i.fatal) << i.message;
    }
    // The same values as sshd -T printed for these files.
    auto t = testing::parse_fixture(testing::fixture("linux/debian12_sshd-T.txt"), &parse_sshd_t);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(bool_fact(*t, "ssh.password_authentication"), true);
    EXPECT_EQ(str_fact(*t, "ssh.permit_root_login"), "no");
    EXPECT_EQ(bool_fact(*t, "ssh.x11_forwarding"), true);
    EXPECT_EQ(int_fact(*t, "ssh.max_auth_tries"), 6);
    EXPECT_EQ(bool_fact(*t, "ssh.permit_empty_passwords"), false);
}

TEST(SshdInclude, FlatLayoutAndMissingOrUnlistedIncludes) {
    TempDir tmp;
    fs::path main = tmp.path() / "sshd_config";
    write(main, stock() + "PasswordAuthentication no\n");
    // No sshd_config.d exported: unknown, with the Include named in the issue.
    FactSet none = collect_asset(asset_of({main}), CollectOptions{});
    EXPECT_EQ(none.find("ssh.password_authentication"), nullptr);
    bool named = false;
    for (const auto& i : none.issues())
        named |= i.message.find("Include /etc/ssh/sshd_config.d/*.conf") != std::string::npos &&
                 i.line == 0 && !i.fatal;
    EXPECT_TRUE(named);
    // The directory exported but empty: nothing to include, defaults apply.
    fs::create_directories(tmp.path() / "sshd_config.d");
    write(tmp.path() / "sshd_config.d/README", "not matched by *.conf\n");
    FactSet empty = collect_asset(asset_of({main}), CollectOptions{});
    ASSERT_NE(empty.find("ssh.password_authentication"), nullptr);
    EXPECT_FALSE(std::get<bool>(empty.find("ssh.password_authentication")->value));
    EXPECT_EQ(std::get<std::string>(empty.find("ssh.permit_root_login")->value),
              "prohibit-password");
    // A drop-in present but not listed as a source: the export is incomplete.
    fs::path drop = tmp.path() / "sshd_config.d/10-x.conf";
    write(drop, "PermitRootLogin yes\n");
    FactSet unlisted = collect_asset(asset_of({main}), CollectOptions{});
    EXPECT_EQ(unlisted.find("ssh.permit_root_login"), nullptr);
    // Listed (in either order): resolved.
    for (const auto& order :
         {std::vector<fs::path>{main, drop}, std::vector<fs::path>{drop, main}}) {
        FactSet both = collect_asset(asset_of(order), CollectOptions{});
        ASSERT_NE(both.find("ssh.permit_root_login"), nullptr);
        EXPECT_EQ(std::get<std::string>(both.find("ssh.permit_root_login")->value), "yes");
        EXPECT_EQ(both.find("ssh.permit_root_login")->provenance.source, "10-x.conf");
    }
    // A drop-in alone: not known to be read at all.
    FactSet alone = collect_asset(asset_of({drop}), CollectOptions{});
    EXPECT_EQ(alone.find("ssh.permit_root_login"), nullptr);
    EXPECT_EQ(alone.find("ssh.x11_forwarding"), nullptr);
}

TEST(SshdInclude, OutsideTheBundleIsUnresolved) {
    TempDir tmp;
    fs::path main = tmp.path() / "sshd_config";
    write(main, "Include /etc/crypto-policies/back-ends/opensshserver.config\nX11Forwarding no\n");
    write(tmp.path() / "opensshserver.config", "Ciphers aes256-gcm@openssh.com\n");
    FactSet f =
        collect_asset(asset_of({main, tmp.path() / "opensshserver.config"}), CollectOptions{});
    EXPECT_EQ(f.find("ssh.x11_forwarding"), nullptr);
    // The same files in the host's layout resolve.
    fs::path root = tmp.path() / "bundle";
    write(root / "etc/ssh/sshd_config",
          "Include /etc/crypto-policies/back-ends/opensshserver.config\nX11Forwarding no\n");
    write(root / "etc/crypto-policies/back-ends/opensshserver.config",
          "Ciphers aes256-gcm@openssh.com\nX11Forwarding yes\n");
    FactSet g = collect_asset(asset_of({root / "etc/crypto-policies/back-ends/opensshserver.config",
                                        root / "etc/ssh/sshd_config"}),
                              CollectOptions{});
    ASSERT_NE(g.find("ssh.x11_forwarding"), nullptr);
    EXPECT_TRUE(std::get<bool>(g.find("ssh.x11_forwarding")->value));
    ASSERT_NE(g.find("ssh.ciphers"), nullptr);
    // "../" cannot leave the bundle.
    write(root / "etc/ssh/sshd_config", "Include ../../../../../etc/passwd\nX11Forwarding no\n");
    FactSet h = collect_asset(asset_of({root / "etc/ssh/sshd_config"}), CollectOptions{});
    EXPECT_EQ(h.find("ssh.x11_forwarding"), nullptr);
}

TEST(SshdInclude, SshdTWinsOverFilesAndDefaults) {
    TempDir tmp;
    fs::path main = tmp.path() / "sshd_config";
    write(main, "PermitRootLogin yes\nUsePAM yes\n");  // no X11Forwarding: default "no"
    fs::path t = testing::fixture("linux/jc_sshd-T-2.out");
    for (const auto& order : {std::vector<fs::path>{main, t}, std::vector<fs::path>{t, main}}) {
        FactSet f = collect_asset(asset_of(order), CollectOptions{});
        ASSERT_NE(f.find("ssh.x11_forwarding"), nullptr);
        EXPECT_TRUE(std::get<bool>(f.find("ssh.x11_forwarding")->value));
        EXPECT_EQ(f.find("ssh.x11_forwarding")->provenance.collector, "sshd-t");
        EXPECT_EQ(f.find("ssh.ciphers")->provenance.collector, "sshd-t");
    }
}

}  // namespace
}  // namespace grundscan
