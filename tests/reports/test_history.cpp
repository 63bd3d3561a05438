// The scan history database: recording, listing, trends and change summaries, reading scans
// back, one transaction per scan, and clear errors for unusable database files.
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "reports/history.hpp"

namespace grundscan {
namespace {

namespace fs = std::filesystem;

struct Res {
    std::string asset, rule;
    ResultState state;
};

MunicipalityResult municipality(const std::string& id, const std::vector<Res>& results,
                                std::optional<double> score = 80) {
    MunicipalityResult m;
    m.id = id;
    m.name = "Gemeinde " + id;
    m.score.value = score;
    m.score.ampel = score ? (*score >= 85 ? Ampel::Green : Ampel::Yellow) : Ampel::None;
    m.score.coverage = 90;
    for (const auto& r : results) {
        if (m.assets.empty() || m.assets.back().id != r.asset) {
            AssetResult a;
            a.id = a.name = r.asset;
            m.assets.push_back(a);
        }
        RuleResult rr;
        rr.rule_id = r.rule;
        rr.state = r.state;
        m.assets.back().results.push_back(rr);
        if (r.state == ResultState::Fail) ++m.score.tally.fail;
        if (r.state == ResultState::Pass) ++m.score.tally.pass;
    }
    return m;
}

ScanResult make_scan(const std::string& as_of, const std::string& started_at,
                     std::vector<MunicipalityResult> muns, const std::string& org = "lk-muster") {
    ScanResult s;
    s.tool_version = "0.1.0";
    s.started_at = started_at;
    s.finished_at = started_at;
    s.as_of = as_of;
    s.org_id = org;
    s.org_name = "Landkreis Muster";
    s.score_model = "weighted";
    s.packs = {{"grundschutz-basis", "2026.1"}, {"ozg-web", "1.2"}};
    s.municipalities = std::move(muns);
    s.score.value = 75;
    s.score.ampel = Ampel::Yellow;
    return s;
}

// A simple scan of two municipalities with `score` for "nord".
ScanResult simple_scan(const std::string& as_of, const std::string& started_at, double score,
                       const std::string& org = "lk-muster") {
    return make_scan(
        as_of, started_at,
        {municipality("nord",
                      {{"srv1", "GS-A", ResultState::Fail}, {"srv1", "GS-B", ResultState::Pass}},
                      score),
         municipality("sued", {{"ws1", "GS-A", ResultState::Pass}}, 90)},
        org);
}

// Counts rows with plain SQLite (to see what really is in the file).
int count_rows(const fs::path& db, const std::string& table) {
    sqlite3* h = nullptr;
    int n = -1;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        std::string sql = "SELECT count(*) FROM " + table;
        if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}

bool exec_sql(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    bool ok = sqlite3_open(db.c_str(), &h) == SQLITE_OK &&
              sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(h);
    return ok;
}

class HistoryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("grundscan-history-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        path_ = dir_ / "grundscan.db";
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(dir_, ec);
    }

    std::unique_ptr<HistoryDb> open() {
        auto db = HistoryDb::open(path_);
        EXPECT_TRUE(db) << (db ? "" : db.error().describe());
        return db ? std::move(*db) : nullptr;
    }

    std::string record(HistoryDb& db, ScanResult s) {
        auto st = db.record(s);
        EXPECT_TRUE(st) << (st ? "" : st.error().describe());
        return s.scan_id;
    }

    fs::path dir_, path_;
};

TEST_F(HistoryTest, RecordsScansAndListsThemNewestFirst) {
    auto db = open();
    ASSERT_TRUE(db);
    std::string a = record(*db, simple_scan("2026-09-01", "2026-09-01T08:00:00Z", 60));
    std::string b = record(*db, simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70));
    ScanResult partial = simple_scan("2026-11-01", "2026-11-01T08:00:00Z", 75);
    partial.complete = false;
    std::string c = record(*db, partial);

    std::regex id_format(R"(2026-\d\d-01T08:00:00Z-[0-9a-f]{4})");
    for (const auto& id : {a, b, c}) EXPECT_TRUE(std::regex_match(id, id_format)) << id;

    auto all = db->list();
    ASSERT_EQ(all.size(), 6u);  // 3 scans x 2 municipalities
    EXPECT_EQ(all[0].scan_id, c);
    EXPECT_FALSE(all[0].complete);
    EXPECT_EQ(all[0].municipality_id, "nord");
    EXPECT_EQ(all[1].municipality_id, "sued");
    EXPECT_EQ(all[2].scan_id, b);
    EXPECT_EQ(all[4].scan_id, a);
    EXPECT_EQ(all[4].as_of, "2026-09-01");
    EXPECT_EQ(all[4].started_at, "2026-09-01T08:00:00Z");
    EXPECT_EQ(all[4].org_id, "lk-muster");
    EXPECT_EQ(all[4].municipality_name, "Gemeinde nord");
    ASSERT_TRUE(all[4].score);
    EXPECT_DOUBLE_EQ(*all[4].score, 60);
    EXPECT_EQ(all[4].ampel, Ampel::Yellow);
    EXPECT_EQ(all[4].fails, 1);
    EXPECT_TRUE(all[4].complete);

    auto sued = db->list("sued");
    ASSERT_EQ(sued.size(), 3u);
    for (const auto& e : sued) EXPECT_EQ(e.municipality_id, "sued");
    EXPECT_TRUE(db->list("nowhere").empty());
    EXPECT_FALSE(db->last_error());

    EXPECT_EQ(count_rows(path_, "scans"), 3);
    EXPECT_EQ(count_rows(path_, "municipality_scores"), 6);
    EXPECT_EQ(count_rows(path_, "results"), 9);
}

TEST_F(HistoryTest, ScanIdsAreUniqueForTheSameStartTime) {
    auto db = open();
    ASSERT_TRUE(db);
    std::set<std::string> ids;
    for (int i = 0; i < 20; ++i)
        ids.insert(record(*db, simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70)));
    EXPECT_EQ(ids.size(), 20u);
}

TEST_F(HistoryTest, SchemaVersionIsSetAndSurvivesReopening) {
    {
        auto db = open();
        ASSERT_TRUE(db);
        record(*db, simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70));
    }
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &h), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(h);

    auto again = open();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->list().size(), 2u);
    auto ro = HistoryDb::open_existing(path_);
    ASSERT_TRUE(ro);
    EXPECT_EQ((*ro)->list().size(), 2u);
}

TEST_F(HistoryTest, FillTrendUsesEarlierCompleteScansOfTheSameOrganisation) {
    auto db = open();
    ASSERT_TRUE(db);
    std::string a = record(*db, simple_scan("2026-08-01", "2026-08-01T08:00:00Z", 50));
    std::string b = record(*db, simple_scan("2026-09-01", "2026-09-01T08:00:00Z", 60));
    ScanResult partial = simple_scan("2026-09-15", "2026-09-15T08:00:00Z", 10);
    partial.complete = false;
    record(*db, partial);                                                         // not a trend
    record(*db, simple_scan("2026-09-20", "2026-09-20T08:00:00Z", 20, "other"));  // other org
    record(*db, simple_scan("2026-12-01", "2026-12-01T08:00:00Z", 99));           // later as_of

    ScanResult now = simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70);
    db->fill_trend(now);
    EXPECT_FALSE(db->last_error());
    const auto& nord = now.municipalities[0];
    ASSERT_EQ(nord.trend.size(), 2u);
    EXPECT_EQ(nord.trend[0].scan_id, a);
    EXPECT_EQ(nord.trend[0].as_of, "2026-08-01");
    EXPECT_EQ(nord.trend[0].score, 50);
    EXPECT_EQ(nord.trend[1].scan_id, b);
    EXPECT_EQ(nord.trend[1].score, 60);
    EXPECT_EQ(nord.trend[1].ampel, Ampel::Yellow);
    EXPECT_TRUE(nord.changes.has_previous);
    EXPECT_EQ(nord.changes.previous_scan_id, b);
    EXPECT_EQ(nord.changes.previous_as_of, "2026-09-01");
    EXPECT_EQ(nord.changes.previous_score, 60);
    EXPECT_EQ(nord.changes.still_open, 1);
    EXPECT_EQ(nord.changes.new_failures, 0);
    EXPECT_EQ(nord.changes.fixed, 0);
    EXPECT_EQ(now.municipalities[1].trend.size(), 2u);

    // The scan itself (once recorded) is never its own trend point.
    ASSERT_TRUE(db->record(now));
    ASSERT_FALSE(now.scan_id.empty());
    db->fill_trend(now);
    ASSERT_EQ(now.municipalities[0].trend.size(), 2u);
    EXPECT_EQ(now.municipalities[0].trend.back().scan_id, b);
}

TEST_F(HistoryTest, NoPreviousScanMeansNoTrendAndNoChanges) {
    auto db = open();
    ASSERT_TRUE(db);
    ScanResult first = simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70);
    db->fill_trend(first);
    EXPECT_TRUE(first.municipalities[0].trend.empty());
    EXPECT_FALSE(first.municipalities[0].changes.has_previous);
    EXPECT_EQ(first.municipalities[0].changes.new_failures, 0);
}

TEST_F(HistoryTest, ChangeSummaryCountsNewFailuresFixedAndStillOpen) {
    auto db = open();
    ASSERT_TRUE(db);
    record(*db, make_scan("2026-09-01", "2026-09-01T08:00:00Z",
                          {municipality("nord", {{"a1", "R1", ResultState::Fail},
                                                 {"a1", "R2", ResultState::Fail},
                                                 {"a1", "R3", ResultState::Pass},
                                                 {"a1", "R4", ResultState::Fail},
                                                 {"a2", "R1", ResultState::Pass}})}));
    ScanResult now = make_scan("2026-10-01", "2026-10-01T08:00:00Z",
                               {municipality("nord", {{"a1", "R1", ResultState::Fail},  // open
                                                      {"a1", "R2", ResultState::Pass},  // fixed
                                                      {"a1", "R3", ResultState::Fail},  // new
                                                      {"a1", "R4", ResultState::NoEvidence},
                                                      {"a2", "R1", ResultState::Fail},    // new
                                                      {"a3", "R1", ResultState::Fail}}),  // new
                                municipality("neu", {{"x", "R1", ResultState::Fail}})});
    db->fill_trend(now);
    const ChangeSummary& c = now.municipalities[0].changes;
    EXPECT_TRUE(c.has_previous);
    EXPECT_EQ(c.new_failures, 3);
    EXPECT_EQ(c.fixed, 1);
    EXPECT_EQ(c.still_open, 1);
    // A municipality without an earlier scan has no previous one.
    EXPECT_FALSE(now.municipalities[1].changes.has_previous);
    EXPECT_TRUE(now.municipalities[1].trend.empty());
}

TEST_F(HistoryTest, TrendIsCappedAtTheLastTwelveScans) {
    auto db = open();
    ASSERT_TRUE(db);
    std::vector<std::string> ids;
    for (int month = 1; month <= 14; ++month) {
        char as_of[16], started[32];
        std::snprintf(as_of, sizeof as_of, "2025-%02d-01", month <= 12 ? month : 12);
        std::snprintf(started, sizeof started, "2025-%02d-01T%02d:00:00Z", month <= 12 ? month : 12,
                      month);
        ids.push_back(record(*db, simple_scan(as_of, started, month)));
    }
    ScanResult now = simple_scan("2026-01-01", "2026-01-01T08:00:00Z", 70);
    db->fill_trend(now);
    const auto& trend = now.municipalities[0].trend;
    ASSERT_EQ(trend.size(), 12u);
    EXPECT_EQ(trend.front().scan_id, ids[2]);  // oldest kept
    EXPECT_EQ(trend.back().scan_id, ids[13]);  // latest (same as_of, started later)
    EXPECT_EQ(now.municipalities[0].changes.previous_scan_id, ids[13]);
}

TEST_F(HistoryTest, LoadReadsARecordedScanBack) {
    auto db = open();
    ASSERT_TRUE(db);
    std::string id = record(*db, simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70));
    auto scan = db->load(id);
    ASSERT_TRUE(scan) << scan.error().describe();
    EXPECT_EQ(scan->scan_id, id);
    EXPECT_EQ(scan->as_of, "2026-10-01");
    EXPECT_EQ(scan->org_id, "lk-muster");
    EXPECT_EQ(scan->score_model, "weighted");
    ASSERT_EQ(scan->packs.size(), 2u);
    EXPECT_EQ(scan->packs[1].id, "ozg-web");
    EXPECT_EQ(scan->packs[1].version, "1.2");
    ASSERT_EQ(scan->municipalities.size(), 2u);
    const auto& nord = scan->municipalities[0];
    EXPECT_EQ(nord.id, "nord");
    EXPECT_EQ(nord.score.value, 70);
    EXPECT_EQ(nord.score.tally.fail, 1);
    ASSERT_EQ(nord.assets.size(), 1u);
    ASSERT_EQ(nord.assets[0].results.size(), 2u);
    EXPECT_EQ(nord.assets[0].results[0].rule_id, "GS-A");
    EXPECT_EQ(nord.assets[0].results[0].state, ResultState::Fail);
    EXPECT_EQ(nord.assets[0].results[1].state, ResultState::Pass);

    auto missing = db->load("2020-01-01T00:00:00Z-0000");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("no scan"), std::string::npos);
}

TEST_F(HistoryTest, AFailingRecordLeavesNoPartialRows) {
    auto db = open();
    ASSERT_TRUE(db);
    record(*db, simple_scan("2026-09-01", "2026-09-01T08:00:00Z", 60));
    // The very last result row of the next scan is refused by the database.
    ASSERT_TRUE(exec_sql(path_,
                         "CREATE TRIGGER refuse BEFORE INSERT ON results WHEN NEW.rule_id = 'BOOM' "
                         "BEGIN SELECT RAISE(ABORT, 'refused'); END"));
    ScanResult s = make_scan("2026-10-01", "2026-10-01T08:00:00Z",
                             {municipality("nord", {{"a1", "GS-A", ResultState::Fail}}),
                              municipality("sued", {{"a2", "GS-A", ResultState::Pass},
                                                    {"a2", "BOOM", ResultState::Pass}})});
    auto st = db->record(s);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().file, path_.string());
    EXPECT_TRUE(s.scan_id.empty());
    EXPECT_EQ(count_rows(path_, "scans"), 1);
    EXPECT_EQ(count_rows(path_, "municipality_scores"), 2);
    EXPECT_EQ(count_rows(path_, "results"), 3);
    EXPECT_EQ(db->list().size(), 2u);
    // The database stays usable.
    ASSERT_TRUE(exec_sql(path_, "DROP TRIGGER refuse"));
    EXPECT_TRUE(db->record(s));
    EXPECT_EQ(count_rows(path_, "scans"), 2);
}

TEST_F(HistoryTest, ReadOnlyDatabaseFileIsAnErrorWithoutPartialRows) {
    {
        auto db = open();
        ASSERT_TRUE(db);
        record(*db, simple_scan("2026-09-01", "2026-09-01T08:00:00Z", 60));
    }
    fs::permissions(path_, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    if (::access(path_.c_str(), W_OK) == 0) GTEST_SKIP() << "running as root: file stays writable";
    auto db = open();
    ASSERT_TRUE(db);
    ScanResult s = simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70);
    auto st = db->record(s);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().file, path_.string());
    EXPECT_EQ(count_rows(path_, "scans"), 1);
    EXPECT_EQ(count_rows(path_, "results"), 3);
}

TEST_F(HistoryTest, LockedDatabaseIsAnErrorWithThePath) {
    auto db = open();
    ASSERT_TRUE(db);
    db->set_busy_timeout(0);
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
    ScanResult s = simple_scan("2026-10-01", "2026-10-01T08:00:00Z", 70);
    auto st = db->record(s);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().file, path_.string());
    EXPECT_NE(st.error().message.find("locked"), std::string::npos) << st.error().message;
    EXPECT_EQ(count_rows(path_, "scans"), 0);
    EXPECT_TRUE(db->record(s));  // works once the lock is gone
}

TEST_F(HistoryTest, CorruptFileIsNotAHistoryDatabase) {
    {
        std::ofstream f(path_, std::ios::binary);
        for (int i = 0; i < 100; ++i) f << "this is not a database, just text\n";
    }
    auto db = HistoryDb::open(path_);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().file, path_.string());
    EXPECT_NE(db.error().message.find("not a grundscan history database"), std::string::npos)
        << db.error().message;
    auto ro = HistoryDb::open_existing(path_);
    ASSERT_FALSE(ro);
    EXPECT_NE(ro.error().message.find("not a grundscan history database"), std::string::npos);
}

TEST_F(HistoryTest, OtherSqliteDatabaseIsNotAHistoryDatabase) {
    ASSERT_TRUE(exec_sql(path_, "CREATE TABLE customers (name TEXT)"));
    auto db = HistoryDb::open(path_);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error().message.find("not a grundscan history database"), std::string::npos);
    EXPECT_EQ(count_rows(path_, "customers"), 0);  // untouched
}

TEST_F(HistoryTest, NewerSchemaVersionIsRefused) {
    ASSERT_TRUE(exec_sql(path_, "PRAGMA user_version = 99"));
    auto db = HistoryDb::open(path_);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error().message.find("99"), std::string::npos);
}

TEST_F(HistoryTest, UnwritablePathIsAnErrorWithThePath) {
    std::ofstream(dir_ / "plain-file") << "x";
    auto bad = dir_ / "plain-file" / "grundscan.db";
    auto db = HistoryDb::open(bad);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().file, bad.string());
    auto dir_as_db = HistoryDb::open(dir_);
    ASSERT_FALSE(dir_as_db);
    EXPECT_EQ(dir_as_db.error().file, dir_.string());
}

TEST_F(HistoryTest, OpenExistingNeverCreatesADatabase) {
    auto db = HistoryDb::open_existing(path_);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().file, path_.string());
    EXPECT_FALSE(fs::exists(path_));
}

TEST_F(HistoryTest, CreatesTheDirectoryOfANewDatabase) {
    auto nested = dir_ / "out" / "deeper" / "grundscan.db";
    auto db = HistoryDb::open(nested);
    ASSERT_TRUE(db) << db.error().describe();
    EXPECT_TRUE(fs::exists(nested));
}

}  // namespace
}  // namespace grundscan
