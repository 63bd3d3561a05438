// The feed directory (default <data dir>/feeds): downloading feeds listed in a sources file
// (feeds/sources.yaml) with conditional requests, validating them before they replace the old
// file, and describing what is there (age, version) for `grundscan feeds status` and the scan.
//
// Layout of a feed directory:
//   endoflife/<product>.api.json        endoflife.date v0 API (`feeds update`)
//   endoflife/<product>.md | .json      offline snapshot (endoflife.date products / release-data)
//   kev/known_exploited_vulnerabilities.json   CISA KEV catalog
//   debian/security-tracker.json        Debian security tracker JSON
//   windows/cvrf-<YYYY-Mon>.json        Windows builds of one MSRC CVRF month (`feeds update`)
//   windows/builds-snapshot.json        offline snapshot in the same compact format
//   .state.json                         per feed: url, ETag, Last-Modified, last check/download
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rules/results.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

// What a feed file holds; decides how its content is checked before it replaces the old file.
enum class FeedFormat {
    Json,          // any JSON document (plus the kind's checks below)
    Markdown,      // endoflife.date product page (front matter with `releases:`)
    EndoflifeApi,  // endoflife.date v0 API: JSON array of cycles
    MsrcCvrf,      // MSRC CVRF document; stored converted to the compact Windows build table
};

// Well-known kinds (names of the FeedInfo entries of a scan).
inline constexpr const char* kFeedKindEndoflife = "endoflife";
inline constexpr const char* kFeedKindKev = "cisa-kev";
inline constexpr const char* kFeedKindDebianTracker = "debian-security-tracker";
inline constexpr const char* kFeedKindWindowsBuilds = "windows-builds";

struct FeedSource {
    std::string name;    // unique: "cisa-kev", "endoflife-debian", ...
    std::string kind;    // "cisa-kev" | "debian-security-tracker" | "endoflife" | "other"
    std::string url;     // http(s)
    std::string target;  // path relative to the feed directory
    FeedFormat format = FeedFormat::Json;
    std::string sha256;      // expected SHA-256 (hex), optional
    std::string sha256_url;  // URL of a checksum file ("<hex>  <name>" lines), optional
};

// Parses a sources file (see feeds/sources.yaml and docs/feeds.md). Errors name file and line.
// `today` decides which monthly MSRC documents exist (those whose update Tuesday is over).
Expected<std::vector<FeedSource>> parse_feed_sources(std::string_view yaml, const std::string& file,
                                                     const Date& today = today_utc());
Expected<std::vector<FeedSource>> load_feed_sources(const std::filesystem::path& file,
                                                    const Date& today = today_utc());

// MSRC document ids ("2025-Oct") of the `count` most recent months whose update Tuesday
// (second Tuesday) is before `today`, oldest first.
std::vector<std::string> msrc_months(const Date& today, int count);

// Checks downloaded content for `source` (JSON parses; KEV has a "vulnerabilities" array; the
// tracker is an object of packages; endoflife API is a non-empty array of cycles).
Status validate_feed_content(const FeedSource& source, std::string_view content);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

struct FeedFetchOptions {
    long timeout_s = 300;    // per request, whole transfer
    std::string proxy;       // empty: libcurl's defaults (HTTPS_PROXY/HTTP_PROXY/NO_PROXY)
    std::string cacert;      // PEM bundle for internal CAs / TLS-inspecting proxies
    std::string user_agent;  // empty: "grundscan/<version>"
};

enum class FeedOutcome { Updated, NotModified, Failed };

struct FeedUpdateResult {
    std::string name, url, target;
    FeedOutcome outcome = FeedOutcome::Failed;
    std::string message;    // on failure: what went wrong, naming the URL
    std::size_t bytes = 0;  // size of the new file (Updated)
    bool old_kept = false;  // Failed and a previous file is still in place
};

// Downloads every source into `feeds_dir`; never replaces a file with content that failed to
// download, verify or validate. Records ETag / Last-Modified and dates in <feeds_dir>/.state.json.
std::vector<FeedUpdateResult> update_feeds(const std::filesystem::path& feeds_dir,
                                           const std::vector<FeedSource>& sources,
                                           const FeedFetchOptions& options);

// One logical feed of a feed directory, as `feeds status` shows it.
struct FeedStatus {
    FeedInfo info;           // name, version, source, updated (YYYY-MM-DD; empty when missing)
    std::string file;        // relative to the feed directory ("endoflife/" for the product dir)
    bool present = false;    // file (or at least one product file) exists
    std::string last_error;  // last failed update attempt recorded in .state.json, if any
};

// The well-known feeds (endoflife, cisa-kev, debian-security-tracker, windows-builds), present
// or not.
// `updated` is the last successful check (download or 304) from .state.json, else the file's
// modification date; for endoflife the oldest product counts.
std::vector<FeedStatus> feed_status(const std::filesystem::path& feeds_dir);

// feed_status() reduced to the scan's FeedInfo (missing feeds have empty version/updated).
std::vector<FeedInfo> describe_feeds(const std::filesystem::path& feeds_dir);

// Age in days of a feed (nullopt when it has no update date).
std::optional<long long> feed_age_days(const FeedInfo& feed, const Date& today);

// One warning per feed that is missing or older than `max_age_days` on `today`.
std::vector<std::string> stale_feed_warnings(const std::vector<FeedInfo>& feeds, int max_age_days,
                                             const Date& today);

}  // namespace grundscan
