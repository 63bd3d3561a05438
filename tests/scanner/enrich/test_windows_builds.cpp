#include "scanner/enrich/windows_builds.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/test_support.hpp"

using namespace grundscan;

namespace {

const WindowsBuildTable& shipped_table() {
    static const WindowsBuildTable t =
        load_windows_builds(grundscan::testing::source_dir() / "feeds" / "windows");
    return t;
}

Date day(const char* iso) {
    return *parse_iso_date(iso);
}

FactSet windows(std::int64_t build, std::string phase = "regular") {
    FactSet f;
    f.add(Fact{"os.family", std::string("windows"), {}, 0});
    f.add(Fact{"os.build", build, {}, 0});
    if (!phase.empty()) f.add(Fact{"os.support_phase", phase, {}, 0});
    return f;
}

template <class T>
std::optional<T> get(const FactSet& f, const std::string& name) {
    const Fact* fact = f.find(name);
    if (!fact) return std::nullopt;
    const T* v = std::get_if<T>(&fact->value);
    return v ? std::optional<T>(*v) : std::nullopt;
}

std::string issues(const FactSet& f) {
    std::string s;
    for (const auto& i : f.issues()) s += i.message + "\n";
    return s;
}

}  // namespace

TEST(WindowsBuilds, ShippedSnapshotLoads) {
    const auto& t = shipped_table();
    EXPECT_TRUE(t.warnings.empty()) << t.warnings[0];
    ASSERT_TRUE(t.builds.count(19045));
    ASSERT_TRUE(t.builds.count(19044));
    ASSERT_TRUE(t.builds.count(26100));
    EXPECT_EQ(t.newest.iso(), "2025-10-14");
    // Every build's list is sorted by UBR and the dates rise with it (one release a month).
    for (const auto& [build, list] : t.builds) {
        for (std::size_t i = 1; i < list.size(); ++i) {
            EXPECT_LT(list[i - 1].ubr, list[i].ubr) << build;
            EXPECT_LT(list[i - 1].date, list[i].date) << build;
            EXPECT_EQ(list[i].kb.substr(0, 2), "KB");
        }
    }
    EXPECT_EQ(t.builds.at(19045).back().kb, "KB5066791");
    EXPECT_EQ(t.builds.at(19045).back().ubr, 6456);
}

// The patch level as a windows-version export gives it (ver.txt line 2).
void exported(FactSet& f, const std::string& level) {
    f.add(Fact{"os.patch_level", level, {"ver.txt", 2, "windows-version", "[Version]"}, 0});
}

TEST(WindowsBuilds, CurrentHostWithExportedPatchLevel) {
    FactSet f = windows(19045, "extended");
    exported(f, "19045.6456");
    enrich_with_windows_build(f, shipped_table(), day("2025-10-20"));
    EXPECT_EQ(get<std::int64_t>(f, "os.ubr"), 6456);
    EXPECT_EQ(get<std::string>(f, "os.patch_level_date"), "2025-10-14");
    EXPECT_EQ(get<std::string>(f, "os.latest_patch_level"), "19045.6456");
    EXPECT_EQ(get<std::int64_t>(f, "os.updates_behind"), 0);
    EXPECT_EQ(get<std::int64_t>(f, "os.update_days_behind"), 0);
    EXPECT_EQ(f.find("os.update_days_behind")->provenance.excerpt,
              "10.0.19045.6456 installed (ver.txt:2) = newest KB5066791, Stichtag 2025-10-20");
    EXPECT_TRUE(f.issues().empty()) << issues(f);
}

TEST(WindowsBuilds, HostBehindCountsFromTheFirstMissingUpdate) {
    FactSet f = windows(19045);
    exported(f, "19045.5737");  // April 2025
    enrich_with_windows_build(f, shipped_table(), day("2025-10-20"));
    EXPECT_EQ(get<std::string>(f, "os.patch_level_date"), "2025-04-08");
    EXPECT_EQ(get<std::int64_t>(f, "os.updates_behind"), 6);  // May .. October
    // First missing: May 2025 (2025-05-13) → 160 days before 2025-10-20.
    EXPECT_EQ(get<std::int64_t>(f, "os.update_days_behind"), 160);
    const Fact* d = f.find("os.update_days_behind");
    ASSERT_NE(d, nullptr);
    EXPECT_NE(d->provenance.excerpt.find("first KB5058379 (19045.5854) from 2025-05-13"),
              std::string::npos)
        << d->provenance.excerpt;
    EXPECT_EQ(d->provenance.collector, "windows-builds");
    EXPECT_EQ(d->provenance.source, "feeds/windows/builds-snapshot.json");
}

TEST(WindowsBuilds, ReleasesAfterTheStichtagDoNotCount) {
    FactSet f = windows(19045);
    exported(f, "19045.5737");
    enrich_with_windows_build(f, shipped_table(), day("2025-04-20"));  // scan --as-of
    EXPECT_EQ(get<std::int64_t>(f, "os.updates_behind"), 0);
    EXPECT_EQ(get<std::string>(f, "os.latest_patch_level"), "19045.5737");
    EXPECT_EQ(get<std::int64_t>(f, "os.update_days_behind"), 0);
}

TEST(WindowsBuilds, UbrDerivedFromInstalledKbs) {
    FactSet f = windows(26100);
    f.add(Fact{"patches.installed",
               StringList{"KB5054979", "KB5060842", "KB5044284"},
               {"systeminfo.txt", 40, "systeminfo", "[02]: KB5060842"},
               0});
    enrich_with_windows_build(f, shipped_table(), day("2025-10-20"));
    EXPECT_EQ(get<std::string>(f, "os.patch_level"), "26100.4349");  // June 2025, newest CU
    EXPECT_EQ(get<std::int64_t>(f, "os.ubr"), 4349);
    const Fact* level = f.find("os.patch_level");
    EXPECT_EQ(level->provenance.source, "systeminfo.txt");
    EXPECT_EQ(level->provenance.collector, "windows-builds");
    EXPECT_NE(level->provenance.excerpt.find("KB5060842 installed → 26100.4349"),
              std::string::npos);
    EXPECT_EQ(get<std::int64_t>(f, "os.updates_behind"), 4);
    EXPECT_EQ(get<std::int64_t>(f, "os.update_days_behind"), 104);  // since 2025-07-08
}

TEST(WindowsBuilds, PreviewUpdateCountsAsTheReleaseBelow) {
    FactSet f = windows(19045);
    exported(f, "19045.5796");  // optional April preview (above .5737)
    enrich_with_windows_build(f, shipped_table(), day("2025-05-20"));
    EXPECT_EQ(get<std::string>(f, "os.patch_level_date"), "2025-04-08");
    EXPECT_EQ(get<std::int64_t>(f, "os.updates_behind"), 1);  // May only; June is later
    EXPECT_EQ(get<std::int64_t>(f, "os.update_days_behind"), 7);
}

TEST(WindowsBuilds, OlderThanTheTableIsALowerBound) {
    FactSet f = windows(19045);
    exported(f, "19045.2965");  // May 2023
    enrich_with_windows_build(f, shipped_table(), day("2025-10-20"));
    EXPECT_FALSE(get<std::string>(f, "os.patch_level_date"));
    EXPECT_EQ(get<std::int64_t>(f, "os.updates_behind"), 22);
    EXPECT_EQ(get<std::int64_t>(f, "os.update_days_behind"), 650);  // since 2024-01-09
    EXPECT_NE(f.find("os.update_days_behind")->provenance.excerpt.find("at least"),
              std::string::npos);
}

TEST(WindowsBuilds, StaleBuildDoesNotVouchForTheNewestKnownLevel) {
    FactSet current = windows(26100);
    exported(current, "26100.6899");
    enrich_with_windows_build(current, shipped_table(), day("2026-11-23"));
    EXPECT_FALSE(get<std::int64_t>(current, "os.update_days_behind"));  // → no evidence
    EXPECT_NE(issues(current).find("newest release of build 26100 is 26100.6899 KB5066835 "
                                   "2025-10-14"),
              std::string::npos)
        << issues(current);

    // Above the table: newer than anything known, but not vouched for either.
    FactSet above = windows(26100);
    exported(above, "26100.7462");
    enrich_with_windows_build(above, shipped_table(), day("2026-11-23"));
    EXPECT_FALSE(get<std::int64_t>(above, "os.update_days_behind"));

    FactSet behind = windows(26100);
    exported(behind, "26100.6584");  // still behind what is known
    enrich_with_windows_build(behind, shipped_table(), day("2026-11-23"));
    EXPECT_EQ(get<std::int64_t>(behind, "os.updates_behind"), 1);
    EXPECT_EQ(get<std::int64_t>(behind, "os.update_days_behind"), 405);
    EXPECT_NE(behind.find("os.update_days_behind")->provenance.excerpt.find("table for this build"),
              std::string::npos);
}

TEST(WindowsBuilds, FreshnessIsPerBuild) {
    // A newer month for another build does not vouch for 19045.
    WindowsBuildTable t = shipped_table();
    t.add(WindowsBuildRelease{26100, 7000, "KB5999999", day("2026-11-10"), "Windows 11", "x.json"});
    FactSet f = windows(19045);
    exported(f, "19045.6456");
    enrich_with_windows_build(f, t, day("2026-11-20"));
    EXPECT_FALSE(get<std::int64_t>(f, "os.update_days_behind"));
    EXPECT_NE(issues(f).find("newer releases may exist"), std::string::npos);
}

TEST(WindowsBuilds, UbrAboveTheTableWithACurrentTableSaysSo) {
    FactSet f = windows(19045);
    exported(f, "19045.6500");  // e.g. an out-of-band fix after October's update
    enrich_with_windows_build(f, shipped_table(), day("2025-10-30"));
    EXPECT_EQ(get<std::int64_t>(f, "os.update_days_behind"), 0);
    EXPECT_NE(f.find("os.updates_behind")
                  ->provenance.excerpt.find("newer than the newest known KB5066791 (19045.6456)"),
              std::string::npos);
}

TEST(WindowsBuilds, BuildAndUbrFromDifferentExportsAreNotCombined) {
    FactSet f = windows(19045);  // systeminfo says 19045 ...
    f.add(Fact{"os.patch_level",
               std::string("26100.6899"),
               {"ver.txt", 2, "windows-version", "[Version 10.0.26100.6899]"},
               0});  // ... ver 26100
    enrich_with_windows_build(f, shipped_table(), day("2025-10-20"));
    EXPECT_FALSE(get<std::int64_t>(f, "os.update_days_behind"));
    EXPECT_FALSE(get<std::int64_t>(f, "os.ubr"));
    EXPECT_NE(issues(f).find("build 26100 of the patch level (ver.txt:2) differs from build 19045"),
              std::string::npos)
        << issues(f);
}

TEST(WindowsBuilds, HotpatchHostsFollowTheirTrack) {
    // March 2025: regular KB5053598 → 26100.3476 and a hotpatch KB5053636 → 26100.3453.
    WindowsBuildTable t;
    auto rel = [](long long ubr, const char* kb, const char* date, bool hot) {
        return WindowsBuildRelease{26100, ubr, kb, day(date), "Windows Server 2025", "t.json", hot};
    };
    t.add(rel(3194, "KB5051987", "2025-02-11", false));
    t.add(rel(3476, "KB5053598", "2025-03-11", false));
    t.add(rel(3453, "KB5053636", "2025-03-11", true));
    t.add(rel(3775, "KB5055523", "2025-04-08", false));
    FactSet hot = windows(26100);
    exported(hot, "26100.3453");
    enrich_with_windows_build(hot, t, day("2025-03-30"));
    EXPECT_EQ(get<std::int64_t>(hot, "os.updates_behind"),
              0);  // March's regular CU is not "missing"
    EXPECT_EQ(get<std::string>(hot, "os.patch_level_date"), "2025-03-11");
    FactSet hot_april = windows(26100);
    exported(hot_april, "26100.3453");
    enrich_with_windows_build(hot_april, t, day("2025-04-20"));
    EXPECT_EQ(get<std::int64_t>(hot_april, "os.updates_behind"), 1);
    EXPECT_EQ(get<std::int64_t>(hot_april, "os.update_days_behind"), 12);
    // A regular host ignores the hotpatch release.
    FactSet regular = windows(26100);
    exported(regular, "26100.3194");
    enrich_with_windows_build(regular, t, day("2025-03-30"));
    EXPECT_EQ(get<std::int64_t>(regular, "os.updates_behind"), 1);
    EXPECT_EQ(get<std::int64_t>(regular, "os.update_days_behind"), 19);
}

TEST(WindowsBuilds, NothingToJudgeGivesAReasonNotAFact) {
    FactSet unknown_build = windows(20348);
    exported(unknown_build, "20348.2762");
    enrich_with_windows_build(unknown_build, shipped_table(), day("2025-10-20"));
    EXPECT_FALSE(get<std::int64_t>(unknown_build, "os.update_days_behind"));
    EXPECT_NE(issues(unknown_build).find("build 20348 is not in the build table"),
              std::string::npos);

    FactSet no_ubr = windows(19045);
    no_ubr.add(Fact{"patches.installed", StringList{"KB5022502"}, {}, 0});  // not a CU
    enrich_with_windows_build(no_ubr, shipped_table(), day("2025-10-20"));
    EXPECT_FALSE(get<std::string>(no_ubr, "os.patch_level"));
    EXPECT_NE(issues(no_ubr).find("(UBR) of Windows build 19045 unknown"), std::string::npos);

    FactSet no_table = windows(19045);
    exported(no_table, "19045.5011");
    enrich_with_windows_build(no_table, WindowsBuildTable{}, day("2025-10-20"));
    EXPECT_NE(issues(no_table).find("no Windows build table"), std::string::npos);

    FactSet ended = windows(7601, "ended");  // out of support: nothing to say here
    enrich_with_windows_build(ended, shipped_table(), day("2025-10-20"));
    EXPECT_TRUE(ended.issues().empty());

    FactSet linux;
    linux.add(Fact{"os.family", std::string("linux"), {}, 0});
    enrich_with_windows_build(linux, shipped_table(), day("2025-10-20"));
    EXPECT_TRUE(linux.issues().empty());
    EXPECT_EQ(linux.size(), 1u);
}

TEST(WindowsBuilds, CvrfDocumentConvertsToTheCompactTable) {
    std::string cvrf =
        grundscan::testing::read_bytes(grundscan::testing::fixture("feeds/msrc/2024-Oct.json"));
    auto compact = windows_builds_from_cvrf(cvrf, "http://127.0.0.1/cvrf/2024-Oct");
    ASSERT_TRUE(compact.ok()) << compact.error().describe();
    auto rel = parse_windows_builds_json(*compact, "windows/cvrf-2024-Oct.json");
    ASSERT_TRUE(rel.ok()) << rel.error().describe();
    std::map<long long, std::pair<long long, std::string>> got;
    for (const auto& r : *rel) {
        EXPECT_EQ(r.date.iso(), "2024-10-08");
        got[r.build] = {r.ubr, r.kb};
    }
    // Office click-to-run, the "Windows-like" Office build, release notes, mitigations and an
    // empty FixedBuild are left out.
    ASSERT_EQ(got.size(), 5u);
    EXPECT_EQ(got[19045], (std::pair<long long, std::string>{5011, "KB5044273"}));
    EXPECT_EQ(got[19044], (std::pair<long long, std::string>{5011, "KB5044273"}));
    EXPECT_EQ(got[26100], (std::pair<long long, std::string>{2033, "KB5044284"}));
    EXPECT_EQ(got[20348], (std::pair<long long, std::string>{2762, "KB5044281"}));
    EXPECT_EQ(got[9600], (std::pair<long long, std::string>{22221, "KB5044342"}));
    // The hotpatch remediation is kept, marked.
    EXPECT_EQ(got[26100], (std::pair<long long, std::string>{2033, "KB5044284"}));
    bool hotpatch_marked = false;
    for (const auto& r : *rel)
        if (r.kb == "KB5044286") hotpatch_marked = r.hotpatch && r.ubr == 2031;
    EXPECT_TRUE(hotpatch_marked);
    auto j = nlohmann::json::parse(*compact);
    EXPECT_EQ(j["document"], "2024-Oct");
    EXPECT_EQ(j["source"], "http://127.0.0.1/cvrf/2024-Oct");
    for (const auto& r : j["releases"]) {
        if (r["build"] == 19045) {
            EXPECT_EQ(r["product"], "Windows 10 Version 22H2");
        }
    }
}

TEST(WindowsBuilds, BadDocumentsAreErrorsNamingTheSource) {
    auto cut = windows_builds_from_cvrf("{\"DocumentTracking\": {\n\"Initial", "u");
    ASSERT_FALSE(cut.ok());
    EXPECT_EQ(cut.error().file, "u");
    EXPECT_NE(cut.error().message.find("line 2"), std::string::npos);
    EXPECT_FALSE(windows_builds_from_cvrf("[1,2]", "u").ok());
    auto nothing = windows_builds_from_cvrf(
        R"({"DocumentTracking": {"InitialReleaseDate": "2024-10-08T07:00:00"}, "Vulnerability": []})",
        "u");
    ASSERT_FALSE(nothing.ok());
    EXPECT_NE(nothing.error().message.find("names no Windows build"), std::string::npos);

    EXPECT_FALSE(parse_windows_builds_json(R"({"releases": []})", "f.json").ok());
    auto bad_date = parse_windows_builds_json(
        R"({"format": "grundscan-windows-builds/1", "releases": [{"build": 19045, "ubr": 1, "date": "10/8/2024"}]})",
        "f.json");
    ASSERT_FALSE(bad_date.ok());
    EXPECT_NE(bad_date.error().describe().find("f.json: release #1"), std::string::npos);
}

TEST(WindowsBuilds, UnreadableFileIsAWarningAndTheRestLoads) {
    auto dir = std::filesystem::temp_directory_path() / "grundscan-wb-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(
        grundscan::testing::source_dir() / "feeds" / "windows" / "builds-snapshot.json",
        dir / "a.json");
    { std::ofstream(dir / "b.json") << "{\"format\": \"grundscan-windows-builds/1\", "; }
    auto t = load_windows_builds(dir);
    EXPECT_EQ(t.builds.size(), shipped_table().builds.size());
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("b.json"), std::string::npos);
    std::filesystem::remove_all(dir);
}
