// Collection time of an asset's evidence: exports' own timestamps, manifest.json, inventory
// `collected:`; never file modification times.
#include "scanner/collectors/collection_time.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "scanner/collectors/asset_collector.hpp"
#include "tests/test_support.hpp"

using namespace grundscan;
namespace fs = std::filesystem;

namespace {

class CollectionTimeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("gs-ctime-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        asset_.id = "ws01";
        asset_.kind = "windows-client";
        asset_.file = (dir_ / "inventory.yaml").string();
    }
    void TearDown() override { fs::remove_all(dir_); }
    SourceFile write(const std::string& rel, const std::string& bytes,
                     const std::string& type = "") {
        fs::create_directories((dir_ / rel).parent_path());
        std::ofstream(dir_ / rel, std::ios::binary) << bytes;
        return SourceFile{dir_ / rel, rel, type};
    }
    SourceFile copy_fixture(const std::string& fixture, const std::string& rel) {
        fs::create_directories((dir_ / rel).parent_path());
        fs::copy_file(grundscan::testing::fixture(fixture), dir_ / rel);
        return SourceFile{dir_ / rel, rel, ""};
    }
    std::string collected_at(const FactSet& f) {
        const Fact* c = f.find("evidence.collected_at");
        return c ? std::get<std::string>(c->value) : "<absent>";
    }
    fs::path dir_;
    Asset asset_;
};

const char* kManifest = R"({
  "format": "grundscan-manifest",
  "version": 1,
  "collected_at": "2026-08-20T16:45:00+02:00",
  "host": "ML-PC-KASSE",
  "tool": "export-kommune.cmd 1.2"
}
)";

}  // namespace

TEST(BundleManifest, ParsesAndNamesTheLineOfBadValues) {
    auto m = parse_bundle_manifest(kManifest);
    ASSERT_TRUE(m.ok()) << m.error().describe();
    EXPECT_EQ(m->date, (Date{2026, 8, 20}));
    EXPECT_EQ(m->collected_at_line, 4);
    EXPECT_EQ(m->host, "ML-PC-KASSE");

    auto bad = parse_bundle_manifest(
        "{\"format\": \"grundscan-manifest\", \"version\": 1,\n\"collected_at\": \"20.08.2026\",\n"
        "\"host\": \"x\", \"tool\": \"y\"}");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().line, 2);
    EXPECT_NE(bad.error().message.find("ISO 8601"), std::string::npos);

    auto no_host = parse_bundle_manifest(
        "{\"format\": \"grundscan-manifest\", \"version\": 1, \"collected_at\": \"2026-08-20\", "
        "\"tool\": \"y\"}");
    ASSERT_FALSE(no_host.ok());
    EXPECT_NE(no_host.error().message.find("\"host\""), std::string::npos);

    EXPECT_FALSE(
        parse_bundle_manifest("{\"format\": \"grundscan-manifest\", \"version\": 2}").ok());
    EXPECT_FALSE(parse_bundle_manifest(std::string(100, '[') + std::string(100, ']')).ok());
    EXPECT_FALSE(parse_bundle_manifest("not json").ok());
}

TEST_F(CollectionTimeTest, ManifestInTheBundleFolderDatesItsFilesAndIsNoExport) {
    write("exports/ws01/manifest.json", kManifest);
    asset_.sources = {
        copy_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt",
                     "exports/ws01/sub/systeminfo.txt"),
        SourceFile{dir_ / "exports/ws01/manifest.json", "exports/ws01/manifest.json", ""}};
    FactSet f = collect_asset(asset_, CollectOptions{});
    for (const auto& i : f.issues()) ADD_FAILURE() << i.source << ": " << i.message;
    EXPECT_EQ(collected_at(f), "2026-08-20");
    const Fact* c = f.find("evidence.collected_at");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->provenance.source, "exports/ws01/manifest.json");
    EXPECT_EQ(c->provenance.line, 4);
    EXPECT_EQ(c->provenance.collector, "evidence");
    EXPECT_NE(c->provenance.excerpt.find("collected_at 2026-08-20T16:45:00+02:00"),
              std::string::npos);
    EXPECT_NE(c->provenance.excerpt.find("for exports/ws01/sub/systeminfo.txt"), std::string::npos);

    add_evidence_age(f, Date{2026, 11, 23});
    const Fact* age = f.find("evidence.age_days");
    ASSERT_NE(age, nullptr);
    EXPECT_EQ(std::get<std::int64_t>(age->value), 95);
    EXPECT_NE(age->provenance.excerpt.find("collected 2026-08-20, Stichtag 2026-11-23: 95 days"),
              std::string::npos);
}

TEST_F(CollectionTimeTest, ExportTimestampBeatsManifestAndTheOldestSourceCounts) {
    write("exports/ws01/manifest.json", kManifest);  // 2026-08-20
    asset_.sources = {
        // gpresult ReadTime 2023-06-13: older, and the export's own time wins over the manifest
        copy_fixture("windows/laymanstake-childdc_gpresult-x_rsop.xml", "exports/ws01/rsop.xml"),
        copy_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt",
                     "exports/ws01/systeminfo.txt")};
    FactSet f = collect_asset(asset_, CollectOptions{});
    EXPECT_EQ(collected_at(f), "2023-06-13");
    const Fact* c = f.find("evidence.collected_at");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->provenance.source, "exports/ws01/rsop.xml");
    EXPECT_GT(c->provenance.line, 0);
    EXPECT_NE(c->provenance.excerpt.find("<ReadTime>2023-06-13T04:17:31.3944093Z</ReadTime>"),
              std::string::npos);
    EXPECT_NE(c->provenance.excerpt.find("oldest of 2 exports"), std::string::npos);
}

TEST_F(CollectionTimeTest, InventoryDatesSourceBeforeAsset) {
    auto sys = copy_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt", "a/si.txt");
    sys.collected = DeclaredDate{Date{2026, 11, 2}, "inv.yaml", 14};
    auto qfe = copy_fixture("windows/wesng_win10-1809-pro_wmic-qfe.txt", "a/qfe.txt");
    asset_.collected = DeclaredDate{Date{2026, 11, 10}, "inv.yaml", 9};
    asset_.sources = {sys, qfe};
    FactSet f = collect_asset(asset_, CollectOptions{});
    EXPECT_EQ(collected_at(f), "2026-11-02");
    EXPECT_EQ(f.find("evidence.collected_at")->provenance.source, "inv.yaml");
    EXPECT_EQ(f.find("evidence.collected_at")->provenance.line, 14);
}

TEST_F(CollectionTimeTest, FileTimesAreNeverUsedAndUnknownTimesNameTheSources) {
    auto sys = copy_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt", "b/si.txt");
    fs::last_write_time(sys.path, fs::file_time_type::clock::now());
    asset_.sources = {sys};
    FactSet f = collect_asset(asset_, CollectOptions{});
    EXPECT_EQ(f.find("evidence.collected_at"), nullptr);
    add_evidence_age(f, Date{2026, 11, 23});
    EXPECT_EQ(f.find("evidence.age_days"), nullptr);
    ASSERT_EQ(f.issues().size(), 1u);
    EXPECT_EQ(f.issues()[0].collector, "evidence");
    EXPECT_EQ(f.issues()[0].line, 0);
    EXPECT_FALSE(f.issues()[0].fatal);
    EXPECT_NE(f.issues()[0].message.find("collection time unknown for b/si.txt"),
              std::string::npos);
    EXPECT_NE(f.issues()[0].message.find("manifest.json"), std::string::npos);
    EXPECT_NE(f.issues()[0].message.find("collected: YYYY-MM-DD"), std::string::npos);
}

TEST_F(CollectionTimeTest, OneUndatedSourceLeavesTheAssetUndated) {
    write("c/manifest.json", kManifest);
    asset_.sources = {
        copy_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt", "c/si.txt"),
        copy_fixture("windows/wesng_win10-1809-pro_wmic-qfe.txt", "d/qfe.txt")};
    FactSet f = collect_asset(asset_, CollectOptions{});
    EXPECT_EQ(f.find("evidence.collected_at"), nullptr);
    ASSERT_EQ(f.issues().size(), 1u);
    EXPECT_NE(f.issues()[0].message.find("d/qfe.txt"), std::string::npos);
    EXPECT_EQ(f.issues()[0].message.find("c/si.txt"), std::string::npos);
}

TEST_F(CollectionTimeTest, BrokenManifestIsReportedWithLineAndNotSkipped) {
    write("e/manifest.json",
          "{\"format\": \"grundscan-manifest\", \"version\": 1,\n\"collected_at\": \"gestern\",\n"
          "\"host\": \"x\", \"tool\": \"y\"}");
    write("manifest.json", kManifest);  // a parent's manifest must not stand in for it
    asset_.sources = {
        copy_fixture("windows/wesng_win10-22h2-enterprise_systeminfo.txt", "e/si.txt")};
    FactSet f = collect_asset(asset_, CollectOptions{});
    EXPECT_EQ(f.find("evidence.collected_at"), nullptr);
    bool named = false;
    for (const auto& i : f.issues())
        named |= i.source == "e/manifest.json" && i.line == 2 &&
                 i.message.find("ISO 8601") != std::string::npos;
    EXPECT_TRUE(named);
}

TEST_F(CollectionTimeTest, RecordedProbeTimeIsItsCollectionTime) {
    asset_.kind = "web-endpoint";
    asset_.sources = {write("p/portal.probe.json",
                            "{\"format\": \"grundscan-probe\", \"version\": 1,\n"
                            "\"probed_at\": \"2026-11-01T10:00:00Z\",\n\"facts\": []}\n")};
    FactSet f = collect_asset(asset_, CollectOptions{});
    EXPECT_EQ(collected_at(f), "2026-11-01");
    EXPECT_EQ(f.find("evidence.collected_at")->provenance.line, 2);
}
