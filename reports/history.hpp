// Scan history in an embedded SQLite database: every scan is recorded in one transaction
// (metadata, rule-pack versions, scores, one row per result), so reports can show the trend
// and `grundscan history` / `grundscan diff` can compare scans.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/results.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

struct HistoryEntry {
    std::string scan_id;  // e.g. "2026-11-23T10:15:00Z-3f2a" (unique)
    std::string started_at, as_of, org_id;
    bool complete = true;
    std::string municipality_id, municipality_name;  // one entry per municipality
    std::optional<double> score;
    Ampel ampel = Ampel::None;
    int fails = 0;
};

class HistoryDb {
  public:
    // Opens (creating if needed) the database at `path`; schema versioned (PRAGMA user_version).
    static Expected<std::unique_ptr<HistoryDb>> open(const std::filesystem::path& path);
    // Opens an existing database read-only (for `grundscan history` / `diff`); never creates one.
    static Expected<std::unique_ptr<HistoryDb>> open_existing(const std::filesystem::path& path);
    ~HistoryDb();
    HistoryDb(const HistoryDb&) = delete;
    HistoryDb& operator=(const HistoryDb&) = delete;

    // Fills MunicipalityResult::trend (earlier complete scans of the same organisation, by
    // as_of) and ::changes (against the latest earlier scan) for every municipality of `scan`.
    void fill_trend(ScanResult& scan);

    // Records `scan` in one transaction and sets scan.scan_id. Partial scans are recorded and
    // marked incomplete (they are not used for trends).
    Status record(ScanResult& scan);

    // All recorded scans, newest first, one entry per municipality (optionally only
    // `municipality`).
    std::vector<HistoryEntry> list(const std::string& municipality = {});

    // One recorded scan read back: metadata, scores and every (asset, rule, state) (no rule
    // metadata, messages or evidence). Error when the id is unknown.
    Expected<ScanResult> load(const std::string& scan_id);

    // The error of the last fill_trend / record / list / load (fill_trend and list return no
    // status; fill_trend also adds a warning to the scan). Empty when it succeeded.
    const std::optional<Error>& last_error() const;

    const std::filesystem::path& path() const;

    // How long to wait for another process holding the database (default 5000 ms).
    void set_busy_timeout(int milliseconds);

    struct Impl;

  private:
    explicit HistoryDb(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace grundscan
