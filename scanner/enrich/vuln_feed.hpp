// Package vulnerability feeds: the Debian security tracker JSON
// (https://security-tracker.debian.org/tracker/data/json) and the CISA KEV catalog, and the
// enrichment that turns a Debian host's dpkg package list into vulns.* facts.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

// One release line of a tracker entry ({"status", "fixed_version", "urgency"}).
struct TrackerRelease {
    std::string status;         // "resolved", "open", "undetermined"
    std::string fixed_version;  // source version; "0" = never affected; empty = no fix
    std::string urgency;        // "high", "high**", "low", "unimportant", "end-of-life", ...
};

struct DebianTracker {
    std::string file;  // as shown in evidence, e.g. "feeds/debian/security-tracker.json"
    // source package → CVE id → release codename → entry
    std::map<std::string, std::map<std::string, std::map<std::string, TrackerRelease>>> packages;
    std::set<std::string> codenames;  // every release codename that occurs in the feed
    std::size_t entries = 0;          // (package, CVE, release) triples
    // Set from the feed directory's records (apply_feed_info in scanner/feeds/feed_store.hpp);
    // the file itself carries neither. Without them the enrichment gives no facts.
    std::optional<Date> data_date;          // "Datenstand" of the data
    std::string coverage;                   // "complete", "excerpt" or "" (unknown)
    std::vector<std::string> complete_for;  // codenames an excerpt covers completely
    std::string coverage_note;              // "7 source packages; complete for no release"
};

struct KevCatalog {
    std::string file;
    std::string catalog_version;                    // "2025.08.25"
    std::map<std::string, std::string> date_added;  // cveID → dateAdded
    std::optional<Date> data_date;  // dateReleased (else catalogVersion), see apply_feed_info
    std::string coverage;           // "complete", "excerpt" or "" (unknown), from the records
    bool contains(const std::string& cve) const { return date_added.contains(cve); }
};

// Parses the tracker JSON (descriptions and per-release repository lists are dropped while
// parsing, so the full ~70 MB feed stays small in memory). Not JSON or not an object: Error
// with the file and the line of the syntax error.
Expected<DebianTracker> parse_debian_tracker(std::string_view text, const std::string& file);
// Parses the KEV catalog JSON ({"catalogVersion", "vulnerabilities": [{"cveID", ...}]}).
Expected<KevCatalog> parse_kev(std::string_view text, const std::string& file);

// Load from disk; a missing or unreadable file is an Error (the scan reports it as a warning
// and goes on without vulns.* facts). Evidence names the file by its last three path parts.
Expected<DebianTracker> load_debian_tracker(const std::filesystem::path& path);
Expected<KevCatalog> load_kev(const std::filesystem::path& path);

// Debian VERSION_ID ("12", "12.5") → tracker release codename ("bookworm"); nullopt if unknown.
std::optional<std::string> debian_codename(std::string_view version_id);

// One (installed binary package, tracker entry) pair for the host's release.
struct VulnMatch {
    std::string cve;
    std::string binary;     // installed package (key of the packages fact)
    std::string source;     // its source package, as looked up in the tracker
    std::string installed;  // installed binary version
    TrackerRelease entry;
    bool open = false;     // affected and a fix exists (or never will: end-of-life): counts
    bool pending = false;  // affected, but no fixed version yet: shown, does not count
    std::string excerpt;
};

// Every tracker entry of `codename` that concerns an installed package, in (CVE, binary)
// order. Open: "resolved" (or "open") with a fixed_version other than "0" above the installed
// version (compare_debian_versions), and status "open" with urgency "end-of-life" (the release
// or package lost security support: no fix will come). Pending: status "open" without a fixed
// version otherwise ("unfixed", no-DSA, postponed: no fix to install yet). Neither: fixed_version
// "0" (never affected), installed >= fixed, status "undetermined", and urgency "unimportant"
// (Debian will not fix these; they would drown the list) unless the CVE is KEV-listed.
std::vector<VulnMatch> match_debian_vulns(const StringMap& packages, const StringMap& sources,
                                          const DebianTracker& tracker, const std::string& codename,
                                          const KevCatalog& kev);

// For os.id "debian" with packages.manager "dpkg": adds vulns.open_cves (sorted, unique),
// vulns.pending_cves (affected, no fixed version yet: shown, not counted), vulns.kev_cves (the
// KEV-listed subset of the open ones), vulns.critical_count (KEV-listed open CVEs) and
// vulns.high_count (open CVEs with tracker urgency high/high** that are not KEV-listed: a CVE
// counts once), even when all are empty/0; the excerpts name the feeds' data dates. The tracker
// has no publication dates, so the grace period for new fixes does not apply to it.
// Not tested is represented by absent facts plus one non-fatal SourceIssue (line 0, collector
// "debian-tracker") naming the feed file and the reason:
// * no vulns.* facts when the tracker is not known to be complete for the host's release
//   (excerpt or unknown coverage), when its data date is unknown or more than `max_age_days`
//   before `as_of`, or when it has no entries for the release;
// * no vulns.kev_cves / vulns.critical_count when the KEV catalog is missing, not known to be
//   complete, or its data is unknown or older than `max_age_days` at `as_of`.
// Every such issue lists the facts it accounts for in `explains`.
// Other Linux distributions (Ubuntu, RHEL, ...) and an unknown Debian version: no facts, one
// non-fatal issue.
void enrich_with_vulns(FactSet& facts, const DebianTracker& tracker, const KevCatalog& kev,
                       const Date& as_of, int max_age_days);

}  // namespace grundscan
