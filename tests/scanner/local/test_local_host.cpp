#include "scanner/local/local_host.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <fstream>

#include "scanner/collectors/asset_collector.hpp"
#include "scanner/inventory/inventory.hpp"
#include "tests/test_support.hpp"

namespace grundscan {
namespace {

namespace fs = std::filesystem;

// A fresh temporary directory, removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "grundscan-local-XXXXXX").string();
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

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(LocalHost, FakeRootBundle) {
    TempDir tmp;
    ASSERT_FALSE(tmp.path().empty());
    fs::path root = tmp.path() / "root";
    fs::path out = tmp.path() / "out";
    std::string os = testing::read_bytes(testing::fixture("linux/os-release/debian12_os-release"));
    std::string defs = testing::read_bytes(testing::fixture("linux/debian12_login.defs"));
    std::string status =
        testing::read_bytes(testing::fixture("linux/debian12_var_lib_dpkg_status"));
    write(root / "usr/lib/os-release", os);
    fs::create_directories(root / "etc");
    // Absolute link target: must resolve inside the fake root, not on this host.
    fs::create_symlink("/usr/lib/os-release", root / "etc/os-release");
    write(root / "etc/hostname", "Test_Host.Example\n");
    write(root / "etc/login.defs", defs);
    write(root / "etc/pam.d/common-password",
          testing::read_bytes(testing::fixture("linux/debian12_pam.d_common-password")));
    write(root / "etc/ssh/sshd_config",
          "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\ninclude = extra/site.conf\n");
    write(root / "etc/ssh/sshd_config.d/10-hardening.conf", "PasswordAuthentication no\n");
    write(root / "etc/ssh/sshd_config.d/20-x11.conf", "X11Forwarding no\n");
    write(root / "etc/ssh/sshd_config.d/README", "not a .conf file\n");
    write(root / "etc/ssh/extra/site.conf", "MaxAuthTries 3\n");
    write(root / "var/lib/dpkg/status", status);

    auto b = collect_local_bundle(root, out);
    ASSERT_TRUE(b.ok()) << b.error().describe();
    EXPECT_EQ(b->directory, out);
    EXPECT_EQ(b->inventory_file, out / "inventory.yaml");
    EXPECT_EQ(b->collected, (std::vector<std::string>{
                                "/etc/os-release", "/etc/login.defs", "/etc/pam.d/common-password",
                                "/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/10-hardening.conf",
                                "/etc/ssh/sshd_config.d/20-x11.conf", "/etc/ssh/extra/site.conf",
                                "/var/lib/dpkg/status"}));
    EXPECT_TRUE(contains(b->missing, "/etc/security/pwquality.conf"));
    EXPECT_TRUE(contains(b->missing, "/etc/pam.d/system-auth"));
    EXPECT_FALSE(contains(b->missing, "/etc/os-release"));

    // Byte-exact copies under flattened names, sshd files in the host's layout; the source is
    // left as it was.
    EXPECT_EQ(testing::read_bytes(out / "etc_os-release"), os);
    EXPECT_EQ(testing::read_bytes(out / "etc_login.defs"), defs);
    EXPECT_EQ(testing::read_bytes(out / "var_lib_dpkg_status"), status);
    EXPECT_EQ(testing::read_bytes(out / "etc/ssh/sshd_config.d/10-hardening.conf"),
              "PasswordAuthentication no\n");
    EXPECT_EQ(testing::read_bytes(out / "etc/ssh/extra/site.conf"), "MaxAuthTries 3\n");
    EXPECT_FALSE(fs::exists(out / "etc/ssh/sshd_config.d/README"));
    EXPECT_TRUE(fs::is_symlink(root / "etc/os-release"));
    for (const auto& e : fs::recursive_directory_iterator(out))
        EXPECT_NE(e.path().extension(), ".tmp") << "leftover temporary file " << e.path();
    // sshd -T runs only for the running host.
    EXPECT_TRUE(std::any_of(b->missing.begin(), b->missing.end(),
                            [](const std::string& m) { return m.starts_with("sshd -T ("); }));

    // Sources in the order they were found: the scan resolves the Include lines itself.
    EXPECT_EQ(testing::read_bytes(out / "inventory.yaml"),
              "organisation:\n"
              "  id: local\n"
              "  name: \"Lokaler Host\"\n"
              "municipalities:\n"
              "  - id: local\n"
              "    name: \"Lokaler Host Test_Host.Example\"\n"
              "    assets:\n"
              "      - id: test_host.example\n"
              "        kind: linux-server\n"
              "        sources:\n"
              "          - path: etc_os-release\n"
              "            type: os-release\n"
              "          - path: etc_login.defs\n"
              "            type: login-defs\n"
              "          - path: etc_pam.d_common-password\n"
              "            type: pam\n"
              "          - path: etc/ssh/sshd_config\n"
              "            type: sshd-config\n"
              "          - path: etc/ssh/sshd_config.d/10-hardening.conf\n"
              "            type: sshd-config\n"
              "          - path: etc/ssh/sshd_config.d/20-x11.conf\n"
              "            type: sshd-config\n"
              "          - path: etc/ssh/extra/site.conf\n"
              "            type: sshd-config\n"
              "          - path: var_lib_dpkg_status\n"
              "            type: dpkg-status\n");
}

// The bundle of a Debian 12 layout (stock sshd_config, Include at the top, one drop-in that
// allows passwords) scans to the drop-in's value; an empty sshd_config.d is exported as an
// empty directory and resolves to nothing.
TEST(LocalHost, SshdBundleScansLikeSshd) {
    TempDir tmp;
    fs::path root = tmp.path() / "root";
    std::string stock = testing::read_bytes(testing::fixture("linux/debian12-like_sshd_config"));
    write(root / "etc/ssh/sshd_config", stock + "PasswordAuthentication no\n");
    write(root / "etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n");
    auto b = collect_local_bundle(root, tmp.path() / "out");
    ASSERT_TRUE(b.ok()) << b.error().describe();
    auto inv = load_inventory(b->inventory_file);
    ASSERT_TRUE(inv.ok()) << inv.error().describe();
    FactSet facts = collect_asset(inv->municipalities.at(0).assets.at(0), CollectOptions{});
    const Fact* pw = facts.find("ssh.password_authentication");
    ASSERT_NE(pw, nullptr);
    EXPECT_TRUE(std::get<bool>(pw->value));
    EXPECT_EQ(pw->provenance.source, "etc/ssh/sshd_config.d/50-cloud-init.conf");

    fs::remove(root / "etc/ssh/sshd_config.d/50-cloud-init.conf");
    auto b2 = collect_local_bundle(root, tmp.path() / "out2");
    ASSERT_TRUE(b2.ok());
    EXPECT_TRUE(fs::is_directory(tmp.path() / "out2/etc/ssh/sshd_config.d"));
    auto inv2 = load_inventory(b2->inventory_file);
    ASSERT_TRUE(inv2.ok());
    FactSet facts2 = collect_asset(inv2->municipalities.at(0).assets.at(0), CollectOptions{});
    pw = facts2.find("ssh.password_authentication");
    ASSERT_NE(pw, nullptr);
    EXPECT_FALSE(std::get<bool>(pw->value));
    // PermitRootLogin is not set: the documented default, said as such.
    const Fact* root_login = facts2.find("ssh.permit_root_login");
    ASSERT_NE(root_login, nullptr);
    EXPECT_EQ(std::get<std::string>(root_login->value), "prohibit-password");
    EXPECT_NE(root_login->provenance.excerpt.find("Standardwert"), std::string::npos);
}

TEST(LocalHost, FallbackOsReleaseAndQuoting) {
    TempDir tmp;
    fs::path root = tmp.path() / "root";
    write(root / "usr/lib/os-release", "ID=debian\nNAME=\"Debian\"\n");
    write(root / "etc/hostname", "we\"ird\\host\n");
    auto b = collect_local_bundle(root, tmp.path() / "out");
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(contains(b->collected, "/usr/lib/os-release"));
    EXPECT_TRUE(fs::exists(tmp.path() / "out/usr_lib_os-release"));
    std::string yaml = testing::read_bytes(tmp.path() / "out/inventory.yaml");
    EXPECT_NE(yaml.find("    name: \"Lokaler Host we\\\"ird\\\\host\"\n"), std::string::npos);
    EXPECT_NE(yaml.find("      - id: we-ird-host\n"), std::string::npos);
}

TEST(LocalHost, UncreatableOutDirIsError) {
    TempDir tmp;
    write(tmp.path() / "file", "x");
    auto b = collect_local_bundle(tmp.path(), tmp.path() / "file" / "sub");
    ASSERT_FALSE(b.ok());
}

TEST(LocalHost, RunningHost) {
    TempDir tmp;
    auto b = collect_local_bundle("/", tmp.path() / "bundle");
    ASSERT_TRUE(b.ok()) << b.error().describe();
    EXPECT_TRUE(contains(b->collected, "/etc/os-release"));
    EXPECT_TRUE(fs::exists(tmp.path() / "bundle/inventory.yaml"));
    // sshd -T: recorded when it ran, else the reason (no sshd, not root, ...).
    bool ran = contains(b->collected, "sshd -T");
    EXPECT_EQ(ran, fs::exists(tmp.path() / "bundle/sshd-T.txt"));
    if (!ran) {
        EXPECT_TRUE(std::any_of(b->missing.begin(), b->missing.end(),
                                [](const std::string& m) { return m.starts_with("sshd -T ("); }));
    }
}

}  // namespace
}  // namespace grundscan
