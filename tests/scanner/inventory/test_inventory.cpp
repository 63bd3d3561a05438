#include "scanner/inventory/inventory.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace grundscan;
namespace fs = std::filesystem;

namespace {

class InventoryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gs-inv-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "exports" / "dc01");
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path write(const std::string& rel, const std::string& content) {
        auto p = dir_ / rel;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << content;
        return p;
    }
    fs::path dir_;
};

const char* kValid = R"(organisation:
  id: kit-test
  name: "Kommunale IT Test"
municipalities:
  - id: landratsamt
    name: Landratsamt Test
    ags: "09999000"
    assets:
      - id: dc01
        kind: windows-server
        sources:
          - path: exports/dc01/secpol.inf
            type: secedit-inf
          - exports/dc01/*.txt
include:
  - gemeinden/*.yaml
)";

}  // namespace

TEST_F(InventoryTest, LoadsMunicipalitiesAssetsGlobsAndIncludes) {
    write("exports/dc01/secpol.inf", "[System Access]\n");
    write("exports/dc01/systeminfo.txt", "x");
    write("exports/dc01/qfe.txt", "x");
    write("gemeinden/bergheim.yaml", R"(id: bergheim
name: Stadt Bergheim
assets:
  - id: bh-srv
    kind: linux-server
    sources: [etc]
)");
    write("gemeinden/etc/os-release", "ID=debian\n");
    write("gemeinden/etc/ssh/sshd_config", "PermitRootLogin no\n");
    write("inventory.yaml", kValid);
    auto inv = load_inventory(dir_ / "inventory.yaml");
    ASSERT_TRUE(inv.ok()) << inv.error().describe();
    EXPECT_EQ(inv->org_id, "kit-test");
    ASSERT_EQ(inv->municipalities.size(), 2u);
    const auto& dc = inv->municipalities[0].assets[0];
    ASSERT_EQ(dc.sources.size(), 3u);
    EXPECT_EQ(dc.sources[0].type, "secedit-inf");
    EXPECT_EQ(dc.sources[0].display, "exports/dc01/secpol.inf");
    EXPECT_TRUE(dc.sources[1].type.empty());  // auto-detect
    const auto& bh = inv->municipalities[1];
    EXPECT_EQ(bh.id, "bergheim");
    ASSERT_EQ(bh.assets[0].sources.size(), 2u);  // directory expanded recursively
    EXPECT_EQ(bh.assets[0].sources[0].display, "gemeinden/etc/os-release");
    EXPECT_TRUE(inv->warnings.empty());
}

TEST_F(InventoryTest, PatternWithoutMatchIsAWarningNotAnError) {
    write("inventory.yaml", R"(organisation: {id: o, name: O}
municipalities:
  - id: m
    name: M
    assets:
      - id: a
        kind: linux-server
        sources: ["missing/*.conf"]
)");
    auto inv = load_inventory(dir_ / "inventory.yaml");
    ASSERT_TRUE(inv.ok());
    ASSERT_EQ(inv->warnings.size(), 1u);
    EXPECT_NE(inv->warnings[0].find("inventory.yaml:8"), std::string::npos) << inv->warnings[0];
    EXPECT_EQ(inv->municipalities[0].assets[0].problems.size(), 1u);
}

struct BadCase {
    const char* name;
    const char* yaml;
    int line;
    const char* message_part;
};

void PrintTo(const BadCase& c, std::ostream* os) {
    *os << c.name;
}

class InventoryErrors : public InventoryTest, public ::testing::WithParamInterface<BadCase> {};

TEST_P(InventoryErrors, NameFileAndLine) {
    const auto& c = GetParam();
    auto path = write("inventory.yaml", c.yaml);
    auto inv = load_inventory(path);
    ASSERT_FALSE(inv.ok()) << c.name;
    EXPECT_EQ(inv.error().file, path.string());
    EXPECT_EQ(inv.error().line, c.line) << inv.error().describe();
    EXPECT_NE(inv.error().message.find(c.message_part), std::string::npos)
        << inv.error().describe();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, InventoryErrors,
    ::testing::Values(
        BadCase{"malformed", "organisation: {id: o, name: O}\nmunicipalities:\n  - id: [unclosed\n",
                4, "invalid YAML"},
        BadCase{
            "unknown_kind",
            "organisation: {id: o, name: O}\nmunicipalities:\n  - id: m\n    name: M\n    assets:\n"
            "      - id: a\n        kind: toaster\n",
            7, "unknown asset kind"},
        BadCase{
            "duplicate_asset",
            "organisation: {id: o, name: O}\nmunicipalities:\n  - id: m\n    name: M\n    assets:\n"
            "      - {id: a, kind: linux-server}\n      - {id: a, kind: linux-server}\n",
            7, "duplicate asset id"},
        BadCase{"unknown_key",
                "organisation: {id: o, name: O}\nmunicipalities:\n  - id: m\n    nmae: M\n", 4,
                "unknown key 'nmae'"},
        BadCase{"bad_ags",
                "organisation: {id: o, name: O}\nmunicipalities:\n  - id: m\n    name: M\n    ags: "
                "123\n",
                5, "AGS"},
        BadCase{"no_org", "municipalities: []\n", 1, "organisation"},
        BadCase{"bad_id",
                "organisation: {id: o, name: O}\nmunicipalities:\n  - id: \"m m\"\n    name: M\n",
                3, "invalid municipality id"},
        BadCase{"missing_include", "organisation: {id: o, name: O}\ninclude: [nope.yaml]\n", 2,
                "not found"}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Inventory, MissingFile) {
    auto inv = load_inventory("/nonexistent/inventory.yaml");
    ASSERT_FALSE(inv.ok());
    EXPECT_NE(inv.error().message.find("not found"), std::string::npos);
}

TEST_F(InventoryTest, LiveTargetsForWebEndpointsAndHosts) {
    write("inventory.yaml", R"(organisation: {id: o, name: O}
municipalities:
  - id: m
    name: M
    assets:
      - id: portal
        kind: web-endpoint
        url: https://buergerservice.example.de/
        expected_host: buergerservice.example.de
        cacert: certs/internal-ca.pem
      - id: fw
        kind: host
        address: 192.0.2.10
        ports: [22, 3389]
)");
    auto inv = load_inventory(dir_ / "inventory.yaml");
    ASSERT_TRUE(inv.ok()) << inv.error().describe();
    const auto& portal = inv->municipalities[0].assets[0].probe;
    EXPECT_EQ(portal.url, "https://buergerservice.example.de/");
    EXPECT_EQ(portal.cacert,
              (dir_ / "certs/internal-ca.pem").string());  // relative to the inventory
    const auto& fw = inv->municipalities[0].assets[1].probe;
    EXPECT_EQ(fw.address, "192.0.2.10");
    EXPECT_EQ(fw.ports, (std::vector<int>{22, 3389}));
}

TEST_F(InventoryTest, LiveTargetErrorsNameTheLine) {
    const char* head =
        "organisation: {id: o, name: O}\nmunicipalities:\n  - id: m\n    name: M\n    assets:\n";
    write("a.yaml",
          std::string(head) +
              "      - id: p\n        kind: web-endpoint\n        url: ftp://x.example/\n");
    auto a = load_inventory(dir_ / "a.yaml");
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().line, 8);
    write("b.yaml", std::string(head) +
                        "      - id: h\n        kind: host\n        address: h.example\n        "
                        "ports: [22, 70000]\n");
    auto b = load_inventory(dir_ / "b.yaml");
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error().line, 9);
    EXPECT_NE(b.error().message.find("65535"), std::string::npos);
    write("c.yaml", std::string(head) + "      - id: p\n        kind: web-endpoint\n");
    auto c = load_inventory(dir_ / "c.yaml");
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message.find("needs 'url'"), std::string::npos);
}

TEST_F(InventoryTest, ExtendedSupportAndCollectedDates) {
    write("exports/a/si.txt", "x");
    write("inventory.yaml", R"(organisation: {id: o, name: O}
municipalities:
  - id: m
    name: M
    extended_support: {until: 2027-10-12, contract: "Microsoft ESU Jahr 2, Rahmenvertrag KIT-2025-17"}
    assets:
      - id: a
        kind: windows-client
        collected: 2026-11-18
        sources:
          - {path: exports/a/si.txt, collected: "2026-11-02"}
      - id: b
        kind: linux-server
        extended_support:
          until: 2029-06-30
          contract: "Freexian ELTS"
          note: "ELTS runs past Debian LTS"
)");
    auto inv = load_inventory(dir_ / "inventory.yaml");
    ASSERT_TRUE(inv.ok()) << inv.error().describe();
    const auto& a = inv->municipalities[0].assets[0];
    ASSERT_TRUE(a.collected);
    EXPECT_EQ(a.collected->date, (Date{2026, 11, 18}));
    EXPECT_EQ(a.collected->line, 9);
    ASSERT_EQ(a.sources.size(), 1u);
    ASSERT_TRUE(a.sources[0].collected);
    EXPECT_EQ(a.sources[0].collected->date, (Date{2026, 11, 2}));
    ASSERT_TRUE(a.extended_support);  // inherited from the municipality
    EXPECT_TRUE(a.extended_support->inherited);
    EXPECT_EQ(a.extended_support->until, (Date{2027, 10, 12}));
    EXPECT_EQ(a.extended_support->line, 5);
    EXPECT_EQ(a.extended_support->contract, "Microsoft ESU Jahr 2, Rahmenvertrag KIT-2025-17");
    const auto& b = inv->municipalities[0].assets[1];
    ASSERT_TRUE(b.extended_support);  // its own wins
    EXPECT_FALSE(b.extended_support->inherited);
    EXPECT_EQ(b.extended_support->until, (Date{2029, 6, 30}));
    EXPECT_EQ(b.extended_support->note, "ELTS runs past Debian LTS");
    EXPECT_EQ(b.extended_support->line, 14);
}

TEST_F(InventoryTest, ExtendedSupportAndCollectedErrorsNameTheLine) {
    auto load = [&](const std::string& asset_lines) {
        write("inventory.yaml",
              "organisation: {id: o, name: O}\nmunicipalities:\n  - id: m\n"
              "    name: M\n    assets:\n      - id: a\n"
              "        kind: windows-client\n" +
                  asset_lines);
        return load_inventory(dir_ / "inventory.yaml");
    };
    struct Case {
        std::string yaml;
        int line;
        std::string part;
    } cases[] = {
        {"        collected: 18.11.2026\n", 8, "'collected' must be a date YYYY-MM-DD"},
        {"        collected: 2026-02-30\n", 8, "YYYY-MM-DD"},
        {"        extended_support: {until: 2027-13-01, contract: X}\n", 8,
         "'until' must be a date"},
        {"        extended_support: {contract: X}\n", 8, "needs 'until'"},
        {"        extended_support: {until: 2027-10-12}\n", 8, "needs 'contract'"},
        {"        extended_support: {until: 2027-10-12, contract: \"  \"}\n", 8,
         "needs 'contract'"},
        {"        extended_support:\n          until: 2027-10-12\n          vertrag: X\n", 10,
         "unknown key 'vertrag'"},
        {"        extended_support: 2027-10-12\n", 8, "must be a mapping"},
        {"        sources:\n          - {path: x, collected: yesterday}\n", 9,
         "'collected' must be a date"},
    };
    for (const auto& c : cases) {
        auto inv = load(c.yaml);
        ASSERT_FALSE(inv.ok()) << c.yaml;
        EXPECT_EQ(inv.error().line, c.line) << c.yaml << inv.error().describe();
        EXPECT_NE(inv.error().file.find("inventory.yaml"), std::string::npos);
        EXPECT_NE(inv.error().message.find(c.part), std::string::npos)
            << c.yaml << inv.error().message;
    }
}

// `mfa:` selects password tier 2 only with an approved method and a note; assets inherit the
// municipality's declaration unless they have their own.
TEST_F(InventoryTest, MfaDeclarationWithMethodAndNote) {
    write("inventory.yaml", R"(organisation: {id: o, name: O}
municipalities:
  - id: m
    name: M
    mfa: {method: fido2, note: "FIDO2-Schlüssel für alle Konten, Richtlinie AD-MFA-01"}
    assets:
      - id: a
        kind: windows-client
      - id: b
        kind: domain
        mfa:
          method: totp
          note: "Entra ID Conditional Access, alle Anmeldungen"
      - id: c
        kind: linux-server
)");
    auto inv = load_inventory(dir_ / "inventory.yaml");
    ASSERT_TRUE(inv.ok()) << inv.error().describe();
    const auto& assets = inv->municipalities[0].assets;
    ASSERT_TRUE(assets[0].mfa);
    EXPECT_TRUE(assets[0].mfa->inherited);
    EXPECT_EQ(assets[0].mfa->method, "fido2");
    EXPECT_EQ(assets[0].mfa->line, 5);
    ASSERT_TRUE(assets[1].mfa);
    EXPECT_FALSE(assets[1].mfa->inherited);
    EXPECT_EQ(assets[1].mfa->method, "totp");
    EXPECT_EQ(assets[1].mfa->line, 11);
    EXPECT_EQ(assets[1].mfa->note, "Entra ID Conditional Access, alle Anmeldungen");
    ASSERT_TRUE(assets[2].mfa);  // inherited too
}

TEST_F(InventoryTest, MfaErrorsNameTheLine) {
    auto load = [&](const std::string& asset_lines) {
        write("inventory.yaml",
              "organisation: {id: o, name: O}\nmunicipalities:\n  - id: m\n"
              "    name: M\n    assets:\n      - id: a\n"
              "        kind: windows-client\n" +
                  asset_lines);
        return load_inventory(dir_ / "inventory.yaml");
    };
    struct Case {
        std::string yaml;
        int line;
        std::string part;
    } cases[] = {
        {"        mfa: {method: sms, note: X}\n", 8, "totp, fido2, passkey (not 'sms')"},
        {"        mfa: {note: X}\n", 8, "mfa needs 'method'"},
        {"        mfa: {method: fido2}\n", 8, "mfa needs 'note'"},
        {"        mfa: {method: fido2, note: X, scope: all}\n", 8, "unknown key 'scope'"},
        {"        mfa: true\n", 8, "'mfa' must be a mapping"},
    };
    for (const auto& c : cases) {
        auto inv = load(c.yaml);
        ASSERT_FALSE(inv.ok()) << c.yaml;
        EXPECT_EQ(inv.error().line, c.line) << c.yaml << inv.error().describe();
        EXPECT_NE(inv.error().message.find(c.part), std::string::npos)
            << c.yaml << inv.error().message;
    }
}
