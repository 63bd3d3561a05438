// Results and scores: what the evaluator and scoring produce and every report reads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/model.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

class BsiCatalog;

enum class ResultState { Pass, Fail, NoEvidence, NotApplicable, Error, Waived };
const char* state_name(ResultState s);  // "pass", "fail", "no_evidence", ...
std::optional<ResultState> parse_state(std::string_view s);

// A fact the result rests on, with where it was found ("Nachweis").
struct Evidence {
    std::string fact;
    std::string value;
    Provenance provenance;
};

// An accepted risk (waiver) that turned a failed result into "waived" (reports/waivers.md).
struct WaiverRef {
    std::string id;             // waiver id (or "file:line" when the file gives none)
    std::string justification;  // why the risk is accepted
    std::string approver;       // who decided
    std::string decided_on;     // YYYY-MM-DD
    std::string expires;        // YYYY-MM-DD
    std::string ticket;         // optional reference
};

struct RuleResult {
    std::string rule_id;
    ResultState state = ResultState::NoEvidence;
    std::string message;  // what was found and what was expected (or why none/error)
    std::vector<Evidence> evidence;
    std::optional<WaiverRef> waiver;  // set when state == Waived (the result was a fail)
};

// Counts of result states, and the weighted sums the scores come from.
struct Tally {
    int pass = 0, fail = 0, no_evidence = 0, not_applicable = 0, error = 0, waived = 0;
    std::map<Severity, int> fails_by_severity;
    double weight_pass = 0, weight_fail = 0, weight_waived = 0;
    void add(ResultState s, Severity sev, double weight);
    void merge(const Tally& o);
    int applicable() const { return pass + fail + no_evidence + error + waived; }
};

// Ampel by BSI level (docs/scoring.md): Red = a critical failure or a failed Basis requirement;
// Yellow = no Basis requirement failed, but a Standard one failed or a Basis requirement lacks
// evidence; Green = every assessed Basis and Standard requirement is met. None (grey, "keine
// Bewertung") = nothing was assessed, or the evidence coverage is below the minimum.
enum class Ampel { Green, Yellow, Red, None };
const char* ampel_name(Ampel a);  // "green", "yellow", "red", "none"

// Requirements of one level, each counted once however many rules and systems test it. A
// requirement's state comes from every result that cites it: failed if one failed; else
// no_evidence if one lacks evidence (or errored); else waived if a failure was accepted as a
// risk; else met. Requirements with only not-applicable results are not counted.
struct LevelTally {
    int requirements = 0;  // assessed requirements of this level
    int met = 0;
    int failed = 0;
    int no_evidence = 0;
    int waived = 0;
    bool operator==(const LevelTally&) const = default;
};

// Coverage against the BSI rather than against grundscan's rules: the active Basis and
// Standard requirements of the Bausteine modelled for the assessed systems
// (rules/catalogs/asset-kind-bausteine.yaml).
struct BausteinCoverage {
    std::string id, title;  // "SYS.1.3", "Server unter Linux und Unix"
    int modelled = 0;       // active Basis + Standard requirements
    int checkable = 0;      // of those: grundscan has an automated check (a rule cites it)
    int checked = 0;        // of those: a result with evidence (pass, fail or waived) exists
    bool operator==(const BausteinCoverage&) const = default;
};
struct BsiCoverage {
    int modelled = 0, checkable = 0, checked = 0;  // sums over `bausteine`
    int basis_modelled = 0, basis_checked = 0;     // the same for Basis requirements only
    // modelled - checkable: organisational or otherwise not automatically checkable
    int not_checkable() const { return modelled - checkable; }
    std::vector<BausteinCoverage> bausteine;  // catalogue order; checkable == 0: "nicht
                                              // automatisch prüfbar"
};

struct Score {
    Tally tally;
    LevelTally basis, standard, erhoeht;  // requirements by level (advisory rules excluded)
    int advisory_findings = 0;            // failed advisory rules: shown, never scored
    std::optional<double> value;          // 0..100; nullopt when no pass/fail result exists
    std::optional<double> coverage;       // 0..100: (pass+fail) / applicable
    Ampel ampel = Ampel::None;
    // The same score if the accepted risks (waived results) counted as fails; equals `value`
    // when nothing is waived.
    std::optional<double> value_without_waivers;
};

// Support status of an asset's operating system, for the maintenance roadmap of the reports.
struct SupportInfo {
    std::string os_name;         // os.name
    std::string phase;           // os.support_phase: regular, extended, ended ("" unknown)
    std::string eol_date;        // os.eol_date
    std::string extended_until;  // os.extended_support_until
};

struct AssetResult {
    std::string id, name, kind;
    SupportInfo support;
    std::vector<RuleResult> results;
    std::vector<SourceIssue> issues;
    std::vector<std::string> sources;  // display paths
    std::size_t fact_count = 0;
    Score score;
};

struct ModuleScore {
    std::string module;  // "ORP.4"
    Score score;
};

// One line of the replacement roadmap ("Ablöse-Roadmap"): an OS or software release of an
// asset with its support dates, from the end-of-life feed.
struct RoadmapEntry {
    std::string asset_id, asset_name;
    std::string product, cycle;  // "windows-server" "2012-r2", "php" "8.1"
    std::string eol_date;        // end of regular (security) support, "" when none announced
    std::string extended_until;  // end of extended support, "" when none
    std::string phase;           // regular, extended, ended
};

// One earlier scan of a municipality (from the history database), oldest first.
struct TrendPoint {
    std::string as_of;  // YYYY-MM-DD
    std::string scan_id;
    std::optional<double> score;
    Ampel ampel = Ampel::None;
};

// What changed since the previous scan of the same municipality (empty when none exists).
struct ChangeSummary {
    bool has_previous = false;
    std::string previous_scan_id, previous_as_of;
    std::optional<double> previous_score;
    int new_failures = 0;  // fail now, not fail before (asset+rule)
    int fixed = 0;         // fail before, pass now
    int still_open = 0;    // fail before and now
};

struct MunicipalityResult {
    std::string id, name, ags;
    std::vector<AssetResult> assets;
    std::vector<ModuleScore> modules;
    Score score;
    std::vector<TrendPoint> trend;      // earlier scans, oldest first (this scan not included)
    std::vector<RoadmapEntry> roadmap;  // sorted by eol_date (earliest first)
    ChangeSummary changes;
    BsiCoverage coverage;  // modelled Bausteine of its systems and the organisation
};

struct RulePackInfo {
    std::string id, version;
};

// A feed the scan used (for the record, the age warning and the "Datenstand" block).
struct FeedInfo {
    std::string name;     // "endoflife", "debian-security-tracker", "cisa-kev", "windows-builds"
    std::string version;  // feed's own version, or what it holds ("13 products")
    std::string source;   // URL or file it came from
    std::string updated;  // YYYY-MM-DD of the last successful `feeds update` check; "" never
    // "Datenstand": YYYY-MM-DD the data itself is as of (KEV dateReleased, newest release of the
    // build table, HTTP Last-Modified recorded at download, snapshot metadata); "" unknown. The
    // age of a feed is counted from this date, never from a file's modification time.
    std::string data_date;
    std::string data_date_basis;  // where data_date comes from, e.g. "KEV dateReleased"
    std::string coverage;         // "complete", "excerpt" or "" (unknown)
    std::string coverage_note;    // what the feed covers ("7 source packages")
    // Releases (Debian codenames) an "excerpt" covers completely; a "complete" feed covers every
    // release it contains.
    std::vector<std::string> complete_for;
    std::string last_error;  // last failed `feeds update` of this feed (old data kept); "" none
    int max_age_days = 0;    // the scan's limit for data age (--max-feed-age); 0: not judged
};

struct ScanResult {
    std::string tool_version;
    std::vector<FeedInfo> feeds;
    std::string started_at, finished_at;  // ISO 8601 UTC
    std::string as_of;                    // Stichtag for date rules (YYYY-MM-DD)
    bool complete = true;                 // false: interrupted, results are partial
    std::string org_id, org_name;
    std::string inventory_file;
    std::string score_model;   // "weighted" or "flat-unweighted"
    double min_coverage = 50;  // evidence coverage below this: Ampel none ("keine Bewertung")
    std::vector<RulePackInfo> packs;
    std::string profile;
    std::vector<const Rule*> rules;  // the rules evaluated (metadata for reports)
    // Rules owned by the result itself (when read back from results.json); `rules` points here.
    std::shared_ptr<const std::vector<Rule>> owned_rules;
    std::string scan_id;  // id in the history database ("" when not recorded)
    std::vector<MunicipalityResult> municipalities;
    Score score;  // whole organisation
    BsiCoverage coverage;
    // The BSI catalogue the scan was checked against (titles, levels, modelled Bausteine); null
    // when a test builds a result by hand.
    std::shared_ptr<const BsiCatalog> catalog;
    std::vector<std::string> warnings;
    std::vector<std::string> waiver_warnings;  // expired / unmatched waivers

    const Rule* rule(const std::string& id) const;
};

}  // namespace grundscan
