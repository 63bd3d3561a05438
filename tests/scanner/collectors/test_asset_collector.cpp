// Bad input: unreadable, truncated, binary, wrongly encoded and oversized exports end in
// issues (and error/no_evidence results), never in a crash or a stopped scan.
#include "scanner/collectors/asset_collector.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "rules/evaluator.hpp"
#include "tests/test_support.hpp"

using namespace grundscan;
namespace fs = std::filesystem;

namespace {

class AssetCollectorTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gs-collect-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    SourceFile write(const std::string& name, const std::string& bytes,
                     const std::string& type = "") {
        std::ofstream(dir_ / name, std::ios::binary) << bytes;
        return SourceFile{dir_ / name, name, type};
    }
    SourceFile copy_fixture(const std::string& rel, const std::string& type = "") {
        auto name = fs::path(rel).filename().string();
        fs::copy_file(grundscan::testing::fixture(rel), dir_ / name);
        return SourceFile{dir_ / name, name, type};
    }
    fs::path dir_;
};

ResultState eval_min_length(const FactSet& facts) {
    RuleSet set;
    Rule r;
    r.id = "GS-T-MINLEN";
    r.check.fact = "password_policy.min_length";
    r.check.op = Op::Ge;
    r.check.value = RuleValue{std::int64_t{12}};
    EvalContext ctx{facts, "windows-server", set, Date{2026, 11, 23}, Lang::En};
    return evaluate_rule(r, ctx).state;
}

}  // namespace

TEST_F(AssetCollectorTest, RealExportsAreDetectedAndParsed) {
    Asset a;
    a.id = "dc01";
    a.kind = "windows-server";
    a.sources = {copy_fixture("windows/nsacyber-shb-win10-computer_GptTmpl.inf"),
                 copy_fixture("windows/wesng_srv2022_systeminfo.txt")};
    a.collected = DeclaredDate{Date{2026, 11, 20}, "inventory.yaml", 9};
    FactSet facts = collect_asset(a, CollectOptions{});
    EXPECT_TRUE(facts.issues().empty()) << facts.issues()[0].message;
    ASSERT_NE(facts.find("password_policy.min_length"), nullptr);
    EXPECT_EQ(facts.find("password_policy.min_length")->provenance.collector, "secedit-inf");
    EXPECT_EQ(facts.find("password_policy.min_length")->provenance.source,
              "nsacyber-shb-win10-computer_GptTmpl.inf");
    EXPECT_GT(facts.find("password_policy.min_length")->provenance.line, 0);
    EXPECT_EQ(std::get<std::string>(facts.find("os.id")->value), "windows-server");
    EXPECT_EQ(eval_min_length(facts), ResultState::Pass);
}

TEST_F(AssetCollectorTest, BadSourcesBecomeIssuesAndTheOthersStillCount) {
    Asset a;
    a.id = "ws01";
    a.kind = "windows-client";
    std::string secedit = grundscan::testing::read_bytes(
        grundscan::testing::fixture("windows/nsacyber-shb-win10-computer_GptTmpl.inf"));
    a.sources = {
        write("binary.inf",
              std::string("\x7F"
                          "ELF\x02\x01\x01\0\0\0\0\0",
                          12),
              "secedit-inf"),
        write("latin1.txt", "Betriebssystemname: Windows\nDom\xE4ne: X\n"),
        write("truncated.inf", secedit.substr(0, secedit.size() / 2 + 1),
              "secedit-inf"),  // odd UTF-16
        write("empty.txt", ""),
        write("unknown.txt", "just some notes\n"),
        SourceFile{dir_ / "missing.inf", "missing.inf", "secedit-inf"},
        copy_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt"),
    };
    a.collected = DeclaredDate{Date{2026, 11, 20}, "inventory.yaml", 9};
    FactSet facts = collect_asset(a, CollectOptions{});
    ASSERT_EQ(facts.issues().size(), 6u);
    auto message_of = [&](const std::string& src) {
        for (const auto& i : facts.issues())
            if (i.source == src) return i.message;
        return std::string("<none>");
    };
    EXPECT_NE(message_of("binary.inf").find("binary"), std::string::npos);
    EXPECT_NE(message_of("latin1.txt").find("UTF-8"), std::string::npos);
    EXPECT_NE(message_of("truncated.inf").find("UTF-16"), std::string::npos);
    EXPECT_NE(message_of("empty.txt").find("empty"), std::string::npos);
    EXPECT_NE(message_of("unknown.txt").find("type:"), std::string::npos);
    EXPECT_NE(message_of("missing.inf").find("not found"), std::string::npos);
    // The good systeminfo still produced facts.
    EXPECT_NE(facts.find("os.build"), nullptr);
    // The password rule cannot be decided: its source failed -> error, not pass, not fail.
    EXPECT_EQ(eval_min_length(facts), ResultState::Error);
}

TEST_F(AssetCollectorTest, OversizedExportsAreRefusedWithTheLimit) {
    Asset a;
    a.id = "big";
    a.kind = "linux-server";
    a.sources = {write("status", std::string(4096, 'x'), "dpkg-status")};
    CollectOptions o;
    o.max_source_bytes = 1024;
    FactSet facts = collect_asset(a, o);
    ASSERT_EQ(facts.issues().size(), 1u);
    EXPECT_NE(facts.issues()[0].message.find("too large"), std::string::npos);
    EXPECT_NE(facts.issues()[0].message.find("1024"), std::string::npos);
}

TEST_F(AssetCollectorTest, ParserErrorsKeepTheirLine) {
    Asset a;
    a.id = "x";
    a.kind = "windows-server";
    a.sources = {write("rsop.xml", "<?xml version=\"1.0\"?>\n<Rsop>\n<ComputerResults>\n</Rsop>\n",
                       "gpresult-xml")};
    FactSet facts = collect_asset(a, CollectOptions{});
    ASSERT_EQ(facts.issues().size(), 1u);
    EXPECT_EQ(facts.issues()[0].collector, "gpresult-xml");
    EXPECT_GT(facts.issues()[0].line, 0);
}

TEST(SourceTypes, UnknownTypeInInventoryIsReportedWithLine) {
    Inventory inv;
    Municipality m;
    Asset a;
    a.specs = {SourceSpec{"x.inf", "secedit", "inventory.yaml", 12}};
    m.assets = {a};
    inv.municipalities = {m};
    auto errors = check_source_types(inv);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 12);
    EXPECT_NE(errors[0].message.find("secedit-inf"), std::string::npos);  // lists known types
}
