// Scan history in SQLite (C API, prepared statements). Schema version 1 (PRAGMA user_version):
//
//   scans                (id, started_at, finished_at, as_of, complete, org_id, org_name,
//                         tool_version, score_model, rule_packs JSON, org score/ampel/coverage)
//   municipality_scores  (scan_id -> scans, municipality id/name/position, score, ampel,
//                         coverage, counts per state)
//   results              ((scan_id, municipality_id) -> municipality_scores, asset_id, rule_id,
//                         state, severity)
//
// Every scan is written in one transaction; nothing here throws (errors are Error values).
#include "reports/history.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

namespace grundscan {

namespace fs = std::filesystem;

namespace {

constexpr int kSchemaVersion = 1;
constexpr std::size_t kMaxTrendPoints = 12;
constexpr int kDefaultBusyTimeoutMs = 5000;

const char* kSchema = R"sql(
CREATE TABLE scans (
    id            TEXT PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    complete      INTEGER NOT NULL CHECK (complete IN (0, 1)),
    org_id        TEXT NOT NULL,
    org_name      TEXT NOT NULL,
    tool_version  TEXT NOT NULL,
    score_model   TEXT NOT NULL,
    rule_packs    TEXT NOT NULL,
    score         REAL,
    ampel         TEXT NOT NULL,
    coverage      REAL
);
CREATE INDEX scans_by_org ON scans (org_id, as_of);
CREATE TABLE municipality_scores (
    scan_id           TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    municipality_id   TEXT NOT NULL,
    municipality_name TEXT NOT NULL,
    position          INTEGER NOT NULL,
    score             REAL,
    ampel             TEXT NOT NULL,
    coverage          REAL,
    pass              INTEGER NOT NULL,
    fail              INTEGER NOT NULL,
    no_evidence       INTEGER NOT NULL,
    not_applicable    INTEGER NOT NULL,
    error             INTEGER NOT NULL,
    waived            INTEGER NOT NULL,
    PRIMARY KEY (scan_id, municipality_id)
);
CREATE TABLE results (
    scan_id         TEXT NOT NULL,
    municipality_id TEXT NOT NULL,
    asset_id        TEXT NOT NULL,
    rule_id         TEXT NOT NULL,
    state           TEXT NOT NULL,
    severity        TEXT,
    FOREIGN KEY (scan_id, municipality_id)
        REFERENCES municipality_scores (scan_id, municipality_id) ON DELETE CASCADE
);
CREATE INDEX results_by_scan ON results (scan_id, municipality_id);
)sql";

std::optional<Ampel> parse_ampel(std::string_view s) {
    for (auto a : {Ampel::Green, Ampel::Yellow, Ampel::Red, Ampel::None})
        if (s == ampel_name(a)) return a;
    return std::nullopt;
}

// A prepared statement; finalized on destruction.
class Stmt {
  public:
    Stmt(sqlite3* db, const char* sql) : db_(db) {
        rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    }
    ~Stmt() { sqlite3_finalize(stmt_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    bool ok() const { return rc_ == SQLITE_OK && stmt_; }
    int prepare_rc() const { return rc_; }

    Stmt& bind(int i, const std::string& s) {
        if (ok())
            sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, const char* s) {
        if (ok()) {
            if (s)
                sqlite3_bind_text(stmt_, i, s, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(stmt_, i);
        }
        return *this;
    }
    Stmt& bind(int i, int v) {
        if (ok()) sqlite3_bind_int(stmt_, i, v);
        return *this;
    }
    Stmt& bind(int i, std::optional<double> v) {
        if (ok()) {
            if (v)
                sqlite3_bind_double(stmt_, i, *v);
            else
                sqlite3_bind_null(stmt_, i);
        }
        return *this;
    }

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return ok() ? sqlite3_step(stmt_) : rc_; }
    void reset() {
        if (!ok()) return;
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    std::string text(int col) const {
        const auto* p = sqlite3_column_text(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }
    int integer(int col) const { return sqlite3_column_int(stmt_, col); }
    std::optional<double> real(int col) const {
        if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_double(stmt_, col);
    }

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

std::string random_hex4() {
    static thread_local std::mt19937 gen{std::random_device{}()};
    std::uniform_int_distribution<int> dist(0, 0xffff);
    static const char* digits = "0123456789abcdef";
    int v = dist(gen);
    std::string s(4, '0');
    for (int i = 3; i >= 0; --i) {
        s[static_cast<std::size_t>(i)] = digits[v & 0xf];
        v >>= 4;
    }
    return s;
}

}  // namespace

struct HistoryDb::Impl {
    sqlite3* db = nullptr;
    fs::path path;
    std::optional<Error> last_error;

    ~Impl() {
        if (db) sqlite3_close_v2(db);
    }

    Error error(const std::string& what, int rc) const {
        std::string msg = what + ": ";
        if (rc == SQLITE_NOTADB) {
            msg += "not a grundscan history database";
        } else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            msg += "the history database is locked by another process";
        } else if (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM) {
            msg += std::string(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
                   " (is the file or its directory writable?)";
        } else {
            msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        }
        return Error(msg, path.string());
    }

    // Runs SQL without results (schema, transactions).
    int exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

    Status check_schema(bool create) {
        Stmt version(db, "PRAGMA user_version");
        int rc = version.step();
        if (rc != SQLITE_ROW) return error("cannot read the history database", rc);
        int user_version = version.integer(0);
        if (user_version == kSchemaVersion) return Ok{};
        if (user_version > kSchemaVersion)
            return Error("history database schema version " + std::to_string(user_version) +
                             " is newer than this grundscan supports (" +
                             std::to_string(kSchemaVersion) + ")",
                         path.string());
        Stmt tables(db, "SELECT count(*) FROM sqlite_master");
        rc = tables.step();
        if (rc != SQLITE_ROW) return error("cannot read the history database", rc);
        if (tables.integer(0) != 0)
            return Error("not a grundscan history database (it holds other tables)", path.string());
        if (!create)
            return Error("the history database is empty (no scan recorded)", path.string());
        if (rc = exec("BEGIN IMMEDIATE"); rc != SQLITE_OK)
            return error("cannot create the history schema", rc);
        rc = exec(kSchema);
        if (rc == SQLITE_OK)
            rc = exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
        if (rc == SQLITE_OK) rc = exec("COMMIT");
        if (rc != SQLITE_OK) {
            Error e = error("cannot create the history schema", rc);
            exec("ROLLBACK");
            return e;
        }
        return Ok{};
    }

    bool scan_exists(const std::string& id) {
        Stmt s(db, "SELECT 1 FROM scans WHERE id = ?");
        s.bind(1, id);
        return s.step() == SQLITE_ROW;
    }

    // (asset, rule) -> state of one municipality in one recorded scan.
    std::map<std::pair<std::string, std::string>, std::string> states(
        const std::string& scan_id, const std::string& municipality_id, int& rc) {
        std::map<std::pair<std::string, std::string>, std::string> out;
        Stmt s(db,
               "SELECT asset_id, rule_id, state FROM results WHERE scan_id = ? AND "
               "municipality_id = ?");
        s.bind(1, scan_id).bind(2, municipality_id);
        while ((rc = s.step()) == SQLITE_ROW) out[{s.text(0), s.text(1)}] = s.text(2);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
        return out;
    }

    Status insert(const ScanResult& scan, const std::string& id) {
        nlohmann::json packs = nlohmann::json::array();
        for (const auto& p : scan.packs) packs.push_back({{"id", p.id}, {"version", p.version}});
        Stmt ins_scan(db,
                      "INSERT INTO scans (id, started_at, finished_at, as_of, complete, org_id, "
                      "org_name, tool_version, score_model, rule_packs, score, ampel, coverage) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins_scan.bind(1, id)
            .bind(2, scan.started_at)
            .bind(3, scan.finished_at)
            .bind(4, scan.as_of)
            .bind(5, scan.complete ? 1 : 0)
            .bind(6, scan.org_id)
            .bind(7, scan.org_name)
            .bind(8, scan.tool_version)
            .bind(9, scan.score_model)
            .bind(10, packs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
            .bind(11, scan.score.value)
            .bind(12, ampel_name(scan.score.ampel))
            .bind(13, scan.score.coverage);
        if (int rc = ins_scan.step(); rc != SQLITE_DONE) return error("cannot record the scan", rc);

        Stmt ins_mun(db,
                     "INSERT INTO municipality_scores (scan_id, municipality_id, "
                     "municipality_name, position, score, ampel, coverage, pass, fail, "
                     "no_evidence, not_applicable, error, waived) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        Stmt ins_res(db,
                     "INSERT INTO results (scan_id, municipality_id, asset_id, rule_id, state, "
                     "severity) VALUES (?, ?, ?, ?, ?, ?)");
        int position = 0;
        for (const auto& m : scan.municipalities) {
            const Tally& t = m.score.tally;
            ins_mun.reset();
            ins_mun.bind(1, id)
                .bind(2, m.id)
                .bind(3, m.name)
                .bind(4, position++)
                .bind(5, m.score.value)
                .bind(6, ampel_name(m.score.ampel))
                .bind(7, m.score.coverage)
                .bind(8, t.pass)
                .bind(9, t.fail)
                .bind(10, t.no_evidence)
                .bind(11, t.not_applicable)
                .bind(12, t.error)
                .bind(13, t.waived);
            if (int rc = ins_mun.step(); rc != SQLITE_DONE)
                return error("cannot record the scores of " + m.id, rc);
            for (const auto& a : m.assets) {
                for (const auto& r : a.results) {
                    const Rule* rule = scan.rule(r.rule_id);
                    ins_res.reset();
                    ins_res.bind(1, id)
                        .bind(2, m.id)
                        .bind(3, a.id)
                        .bind(4, r.rule_id)
                        .bind(5, state_name(r.state))
                        .bind(6, rule ? severity_name(rule->severity) : nullptr);
                    if (int rc = ins_res.step(); rc != SQLITE_DONE)
                        return error("cannot record the results of " + a.id, rc);
                }
            }
        }
        return Ok{};
    }
};

HistoryDb::HistoryDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryDb::~HistoryDb() = default;

namespace {

Expected<std::unique_ptr<HistoryDb::Impl>> open_impl(const fs::path& path, bool create) {
    auto impl = std::make_unique<HistoryDb::Impl>();
    impl->path = path;
    std::error_code ec;
    if (create) {
        if (path.has_parent_path()) {
            fs::create_directories(path.parent_path(), ec);
            if (ec)
                return Error(
                    "cannot create the directory for the history database: " + ec.message(),
                    path.string());
        }
    } else if (!fs::exists(path, ec)) {
        return Error("no history database (run `grundscan scan` first, or give --db/--out)",
                     path.string());
    }
    if (fs::is_directory(path, ec))
        return Error("is a directory, not a grundscan history database", path.string());
    int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    int rc = sqlite3_open_v2(path.c_str(), &impl->db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return impl->error("cannot open the history database", rc);
    sqlite3_extended_result_codes(impl->db, 0);
    sqlite3_busy_timeout(impl->db, kDefaultBusyTimeoutMs);
    if (rc = impl->exec("PRAGMA foreign_keys = ON"); rc != SQLITE_OK)
        return impl->error("cannot open the history database", rc);
    if (auto s = impl->check_schema(create); !s) return s.error();
    return impl;
}

}  // namespace

Expected<std::unique_ptr<HistoryDb>> HistoryDb::open(const fs::path& path) {
    auto impl = open_impl(path, true);
    if (!impl) return impl.error();
    return std::unique_ptr<HistoryDb>(new HistoryDb(std::move(*impl)));
}

Expected<std::unique_ptr<HistoryDb>> HistoryDb::open_existing(const fs::path& path) {
    auto impl = open_impl(path, false);
    if (!impl) return impl.error();
    return std::unique_ptr<HistoryDb>(new HistoryDb(std::move(*impl)));
}

const fs::path& HistoryDb::path() const {
    return impl_->path;
}

const std::optional<Error>& HistoryDb::last_error() const {
    return impl_->last_error;
}

void HistoryDb::set_busy_timeout(int milliseconds) {
    sqlite3_busy_timeout(impl_->db, milliseconds);
}

void HistoryDb::fill_trend(ScanResult& scan) {
    impl_->last_error.reset();
    sqlite3* db = impl_->db;
    Stmt earlier(db,
                 "SELECT s.id, s.as_of, m.score, m.ampel FROM scans s JOIN municipality_scores m "
                 "ON m.scan_id = s.id WHERE s.org_id = ? AND s.complete = 1 AND s.as_of <= ? "
                 "AND s.id <> ? AND m.municipality_id = ? "
                 "ORDER BY s.as_of DESC, s.started_at DESC, s.rowid DESC LIMIT ?");
    auto fail = [&](int rc) {
        impl_->last_error = impl_->error("cannot read the trend", rc);
        scan.warnings.push_back("history: " + impl_->last_error->describe());
    };
    if (!earlier.ok()) return fail(earlier.prepare_rc());
    for (auto& m : scan.municipalities) {
        m.trend.clear();
        m.changes = ChangeSummary{};
        earlier.reset();
        earlier.bind(1, scan.org_id)
            .bind(2, scan.as_of)
            .bind(3, scan.scan_id)
            .bind(4, m.id)
            .bind(5, static_cast<int>(kMaxTrendPoints));
        int rc;
        while ((rc = earlier.step()) == SQLITE_ROW) {
            TrendPoint p;
            p.scan_id = earlier.text(0);
            p.as_of = earlier.text(1);
            p.score = earlier.real(2);
            p.ampel = parse_ampel(earlier.text(3)).value_or(Ampel::None);
            m.trend.push_back(std::move(p));
        }
        if (rc != SQLITE_DONE) return fail(rc);
        std::reverse(m.trend.begin(), m.trend.end());
        if (m.trend.empty()) continue;

        const TrendPoint& prev = m.trend.back();
        ChangeSummary& c = m.changes;
        c.has_previous = true;
        c.previous_scan_id = prev.scan_id;
        c.previous_as_of = prev.as_of;
        c.previous_score = prev.score;
        auto before = impl_->states(prev.scan_id, m.id, rc);
        if (rc != SQLITE_OK) return fail(rc);
        const std::string fail_name = state_name(ResultState::Fail);
        for (const auto& a : m.assets) {
            for (const auto& r : a.results) {
                auto it = before.find({a.id, r.rule_id});
                bool failed_before = it != before.end() && it->second == fail_name;
                if (r.state == ResultState::Fail) {
                    ++(failed_before ? c.still_open : c.new_failures);
                } else if (r.state == ResultState::Pass && failed_before) {
                    ++c.fixed;
                }
            }
        }
    }
}

Status HistoryDb::record(ScanResult& scan) {
    Impl& d = *impl_;
    d.last_error.reset();
    if (int rc = d.exec("BEGIN IMMEDIATE"); rc != SQLITE_OK) {
        d.last_error = d.error("cannot record the scan", rc);
        return *d.last_error;
    }
    std::string stamp = scan.started_at.empty() ? "scan" : scan.started_at;
    std::string id;
    for (int attempt = 0; attempt < 64; ++attempt) {
        std::string candidate = stamp + "-" + random_hex4();
        if (!d.scan_exists(candidate)) {
            id = std::move(candidate);
            break;
        }
    }
    Status st = id.empty() ? Status(Error("cannot find a free scan id", d.path.string()))
                           : d.insert(scan, id);
    if (st) {
        if (int rc = d.exec("COMMIT"); rc != SQLITE_OK) st = d.error("cannot record the scan", rc);
    }
    if (!st) {
        d.exec("ROLLBACK");
        d.last_error = st.error();
        return st;
    }
    scan.scan_id = id;
    return Ok{};
}

std::vector<HistoryEntry> HistoryDb::list(const std::string& municipality) {
    impl_->last_error.reset();
    std::vector<HistoryEntry> out;
    Stmt s(impl_->db,
           "SELECT s.id, s.started_at, s.as_of, s.org_id, s.complete, m.municipality_id, "
           "m.municipality_name, m.score, m.ampel, m.fail FROM scans s JOIN municipality_scores "
           "m ON m.scan_id = s.id WHERE (?1 = '' OR m.municipality_id = ?1) "
           "ORDER BY s.started_at DESC, s.rowid DESC, m.position");
    s.bind(1, municipality);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        HistoryEntry e;
        e.scan_id = s.text(0);
        e.started_at = s.text(1);
        e.as_of = s.text(2);
        e.org_id = s.text(3);
        e.complete = s.integer(4) != 0;
        e.municipality_id = s.text(5);
        e.municipality_name = s.text(6);
        e.score = s.real(7);
        e.ampel = parse_ampel(s.text(8)).value_or(Ampel::None);
        e.fails = s.integer(9);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) impl_->last_error = impl_->error("cannot list the scans", rc);
    return out;
}

Expected<ScanResult> HistoryDb::load(const std::string& scan_id) {
    Impl& d = *impl_;
    d.last_error.reset();
    ScanResult scan;
    Stmt s(d.db,
           "SELECT started_at, finished_at, as_of, complete, org_id, org_name, tool_version, "
           "score_model, rule_packs, score, ampel, coverage FROM scans WHERE id = ?");
    s.bind(1, scan_id);
    int rc = s.step();
    if (rc == SQLITE_DONE)
        return Error("no scan '" + scan_id + "' in the history", d.path.string());
    if (rc != SQLITE_ROW) return d.error("cannot read scan " + scan_id, rc);
    scan.scan_id = scan_id;
    scan.started_at = s.text(0);
    scan.finished_at = s.text(1);
    scan.as_of = s.text(2);
    scan.complete = s.integer(3) != 0;
    scan.org_id = s.text(4);
    scan.org_name = s.text(5);
    scan.tool_version = s.text(6);
    scan.score_model = s.text(7);
    auto packs = nlohmann::json::parse(s.text(8), nullptr, false);
    if (packs.is_array()) {
        for (const auto& p : packs) {
            if (p.is_object())
                scan.packs.push_back(RulePackInfo{p.value("id", ""), p.value("version", "")});
        }
    }
    scan.score.value = s.real(9);
    scan.score.ampel = parse_ampel(s.text(10)).value_or(Ampel::None);
    scan.score.coverage = s.real(11);

    Stmt ms(d.db,
            "SELECT municipality_id, municipality_name, score, ampel, coverage, pass, fail, "
            "no_evidence, not_applicable, error, waived FROM municipality_scores WHERE scan_id = ? "
            "ORDER BY position");
    ms.bind(1, scan_id);
    std::map<std::string, std::size_t> index;
    std::map<std::pair<std::string, std::string>, std::size_t> asset_index;
    while ((rc = ms.step()) == SQLITE_ROW) {
        MunicipalityResult m;
        m.id = ms.text(0);
        m.name = ms.text(1);
        m.score.value = ms.real(2);
        m.score.ampel = parse_ampel(ms.text(3)).value_or(Ampel::None);
        m.score.coverage = ms.real(4);
        Tally& t = m.score.tally;
        t.pass = ms.integer(5);
        t.fail = ms.integer(6);
        t.no_evidence = ms.integer(7);
        t.not_applicable = ms.integer(8);
        t.error = ms.integer(9);
        t.waived = ms.integer(10);
        index[m.id] = scan.municipalities.size();
        scan.municipalities.push_back(std::move(m));
    }
    if (rc != SQLITE_DONE) return d.error("cannot read scan " + scan_id, rc);

    Stmt rs(d.db,
            "SELECT municipality_id, asset_id, rule_id, state FROM results WHERE scan_id = ? "
            "ORDER BY rowid");
    rs.bind(1, scan_id);
    while ((rc = rs.step()) == SQLITE_ROW) {
        auto it = index.find(rs.text(0));
        if (it == index.end()) continue;
        auto& assets = scan.municipalities[it->second].assets;
        std::string asset = rs.text(1);
        auto [pos, inserted] = asset_index.try_emplace({it->first, asset}, assets.size());
        if (inserted) {
            AssetResult ar;
            ar.id = ar.name = asset;
            assets.push_back(std::move(ar));
        }
        RuleResult r;
        r.rule_id = rs.text(2);
        r.state = parse_state(rs.text(3)).value_or(ResultState::NoEvidence);
        assets[pos->second].results.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return d.error("cannot read scan " + scan_id, rc);
    return scan;
}

}  // namespace grundscan
