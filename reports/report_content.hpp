// What the human-readable reports show, chosen once for all of them: the most important
// failed requirements ("Was zuerst zu tun ist"), and the replacement roadmap in reading order.
// The HTML, PDF, Markdown and CSV writers render from these, so a council member sees the same
// five points in the PDF as in the HTML page.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/results.hpp"
#include "scanner/core/dates.hpp"

namespace grundscan {

// One failed requirement (rule) of a municipality with every system where it failed.
struct FixGroup {
    std::string rule_id;
    const Rule* rule = nullptr;                              // nullptr: rule not in the scan
    std::vector<std::pair<std::size_t, std::size_t>> where;  // (asset, result) indices in mun
    Severity severity() const { return rule ? rule->severity : Severity::Medium; }
    double weight() const { return rule ? rule->weight : 1.0; }
};

// Failed requirements of `mun`, grouped by rule, most important first: severity, then weight,
// then the number of systems affected; ties keep the order of the results.
std::vector<FixGroup> fix_groups(const ScanResult& scan, const MunicipalityResult& mun);

// Roadmap lines of `mun` by end of regular support, earliest first; no announced end last.
std::vector<const RoadmapEntry*> roadmap_rows(const MunicipalityResult& mun);

// Last day of any support: extended support when it outlasts the regular end.
std::optional<Date> roadmap_end(const RoadmapEntry& r);

// "PHP 8.1", "Windows Server 2012-r2" (product display name and release cycle).
std::string roadmap_release(const RoadmapEntry& r);

// A system of the "leaving maintenance" list (OS support from its SupportInfo).
enum class MaintenanceState {
    Ended,         // no security updates any more
    ExtendedOnly,  // only extended support (ESU, LTS, ELS) is left
    EndsSoon,      // regular support ends within a year of the Stichtag
};
struct MaintenanceRow {
    const AssetResult* asset = nullptr;
    MaintenanceState state = MaintenanceState::EndsSoon;
    // Days from the Stichtag to the end that matters (extended end for ExtendedOnly, regular end
    // for EndsSoon, the last end for Ended; negative when past); nullopt when unknown.
    std::optional<long long> days;
};

// Systems of `mun` whose OS has no or only extended support, or whose regular support ends
// within 365 days of the scan's Stichtag: ended first, then extended only, then ending soon,
// each by `days` (unknown last).
std::vector<MaintenanceRow> maintenance_rows(const ScanResult& scan, const MunicipalityResult& mun);

// The traffic-light rule as one sentence in `lang`: thresholds for green and yellow, critical
// failures and the minimum coverage that force red (scoring method section of HTML and PDF).
std::string ampel_rule_text(const ScanResult& scan, Lang lang);

// File stems of the municipalities' report files, in their order: [A-Za-z0-9._-] only, never
// hidden, never the roll-up's name `reserved` ("index", "verbund"; such an id gets a leading
// "_"), unique case-insensitively for Windows shares (repeats get "-2", "-3", ...).
std::vector<std::string> municipality_file_stems(const ScanResult& scan, std::string_view reserved);

// One line of the "Datenstand" block of every report: a feed the scan used (ScanResult::feeds,
// in their order), judged at the scan's Stichtag.
struct DatenstandRow {
    const FeedInfo* feed = nullptr;
    std::string title;                  // "CISA KEV", "Debian Security Tracker", ...
    std::string data_date;              // YYYY-MM-DD or "–" when unknown
    std::optional<long long> age_days;  // from the data date to the Stichtag (>= 0); unknown
    std::string coverage;               // "vollständig"/"complete", "Auszug"/"excerpt", ...
    std::vector<std::string> warnings;  // missing, date unknown, stale, excerpt, update failed
};
std::vector<DatenstandRow> datenstand_rows(const ScanResult& scan, Lang lang);

// Heading and the sentence under it (how the age is counted, the limit).
const char* datenstand_heading(Lang lang);
std::string datenstand_intro(const ScanResult& scan, Lang lang);

}  // namespace grundscan
