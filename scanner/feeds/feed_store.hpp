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
//   redhat/rhel-<N>.oval.xml            Red Hat OVAL v2 of RHEL N (downloaded .bz2, unpacked)
//   .state.json                         per feed: url, ETag, Last-Modified, last check/download,
//                                       SHA-256 of the stored file, coverage, last error
//   <dir>/snapshot.yaml                 shipped snapshot: data date and coverage per file
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rules/results.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

struct DebianTracker;
struct KevCatalog;
struct RhelOvalSet;

// What a feed file holds; decides how its content is checked before it replaces the old file.
enum class FeedFormat {
    Json,          // any JSON document (plus the kind's checks below)
    Markdown,      // endoflife.date product page (front matter with `releases:`)
    EndoflifeApi,  // endoflife.date v0 API: JSON array of cycles
    MsrcCvrf,      // MSRC CVRF document; stored converted to the compact Windows build table
    OvalBz2,       // bzip2-compressed OVAL definitions (Red Hat); stored unpacked (.xml)
};

// Well-known kinds (names of the FeedInfo entries of a scan).
inline constexpr const char* kFeedKindEndoflife = "endoflife";
inline constexpr const char* kFeedKindKev = "cisa-kev";
inline constexpr const char* kFeedKindDebianTracker = "debian-security-tracker";
inline constexpr const char* kFeedKindWindowsBuilds = "windows-builds";
inline constexpr const char* kFeedKindRedhatOval = "redhat-oval";

struct FeedSource {
    std::string name;    // unique: "cisa-kev", "endoflife-debian", ...
    std::string kind;    // "cisa-kev" | "debian-security-tracker" | "endoflife" | "other"
    std::string url;     // http(s)
    std::string target;  // path relative to the feed directory
    FeedFormat format = FeedFormat::Json;
    std::string sha256;      // expected SHA-256 (hex), optional
    std::string sha256_url;  // URL of a checksum file ("<hex>  <name>" lines), optional
    // What the downloaded file covers: "complete" (the whole feed) or "excerpt" (a partial
    // mirror); recorded in .state.json by `feeds update`.
    std::string coverage = "complete";
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

// The date of an HTTP Last-Modified value ("Sun, 06 Nov 1994 08:49:37 GMT"); nullopt if unreadable.
std::optional<Date> parse_http_date(std::string_view value);

// One logical feed of a feed directory, as `feeds status` shows it.
struct FeedStatus {
    FeedInfo info;           // see FeedInfo; version/data_date empty when missing
    std::string file;        // relative to the feed directory ("endoflife/" for the product dir)
    bool present = false;    // file (or at least one product file) exists
    std::string last_error;  // last failed update attempt recorded in .state.json, if any
};

// The well-known feeds (endoflife, cisa-kev, debian-security-tracker, windows-builds), present
// or not, and redhat-oval when its directory holds a rhel-<N>.oval.xml (the OVAL generator
// timestamp is its data date), with their data date ("Datenstand") and coverage, never from
// file modification times:
// * data date: KEV dateReleased (else catalogVersion); the newest release of the Windows build
//   table; for other files the HTTP Last-Modified recorded at download in .state.json (else the
//   last successful check), or the `data_date` of the directory's snapshot.yaml, or for
//   endoflife the newest past release date in the data; for endoflife the oldest product counts.
// * coverage: recorded by `feeds update` in .state.json (from the sources file, default
//   complete), else from snapshot.yaml; unknown otherwise. A .state.json entry describes a file
//   only while the file's SHA-256 is the recorded one.
// `updated` is the last successful check (download or 304), empty when never.
std::vector<FeedStatus> feed_status(const std::filesystem::path& feeds_dir);

// feed_status() reduced to the scan's FeedInfo (missing feeds have an empty version), each
// with `max_age_days` for the reports.
std::vector<FeedInfo> describe_feeds(const std::filesystem::path& feeds_dir, int max_age_days = 0);

// Age in days of a feed's data on `today` (0 for data dated after `today`; nullopt when the
// data date is unknown).
std::optional<long long> feed_age_days(const FeedInfo& feed, const Date& today);

// True when `feed` is complete, or an excerpt that covers `release` completely.
bool feed_complete_for(const FeedInfo& feed, const std::string& release);

// One warning per feed that is missing, has no known data date, holds data older than
// `max_age_days` on `today`, or whose last update failed.
std::vector<std::string> stale_feed_warnings(const std::vector<FeedInfo>& feeds, int max_age_days,
                                             const Date& today);

// Copies data date and coverage of the tracker and KEV entries of `feeds` into the loaded
// feeds, for the vulnerability enrichment.
void apply_feed_info(const std::vector<FeedInfo>& feeds, DebianTracker& tracker, KevCatalog& kev);

// Sets the coverage of each loaded Red Hat OVAL file from the feed directory's records (the
// .state.json entry of its download, else redhat/snapshot.yaml); the data date is the file's
// own generator timestamp.
void apply_rhel_feed_info(const std::filesystem::path& feeds_dir, RhelOvalSet& ovals);

// Unpacks bzip2 data; Error when it is not bzip2, is truncated or unpacks to more than
// `max_bytes`.
Expected<std::string> bunzip2(std::string_view data, std::size_t max_bytes);

}  // namespace grundscan
