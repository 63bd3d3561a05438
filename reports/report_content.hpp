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
    bool advisory() const { return rule && rule->advisory; }  // shown, never scored
};

// Failed requirements of `mun`, grouped by rule, most important first: scored rules before
// advisory ones, then severity, then weight, then the number of systems affected; ties keep
// the order of the results.
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

// The traffic-light rule in `lang`: the BSI level model (red: a critical failure or a failed
// Basis requirement; yellow: a failed Standard requirement or a Basis/Standard requirement
// without evidence; green: every checked Basis and Standard requirement met; grey "keine
// Bewertung" below the minimum coverage). Scoring method section of every report.
std::string ampel_rule_text(const ScanResult& scan, Lang lang);

// The method section's paragraphs on the level model, shared by HTML, PDF and Markdown: how a
// requirement's state is aggregated, the coverage against the modelled Bausteine, advisory
// rules, accepted risks and what the percentage still means.
std::vector<std::string> level_model_paragraphs(const ScanResult& scan, Lang lang);

// "Basis: 4 von 6 erfüllt (1 nicht erfüllt, 1 ohne Nachweis)" for one level's requirements.
std::string level_summary(Level level, const LevelTally& t, Lang lang);

// "X von Y Anforderungen der modellierten Bausteine automatisch geprüft; Z sind
// organisatorisch oder anders nicht automatisch prüfbar." plus the Basis-only figures; empty
// when no Baustein was modelled (a result without the BSI catalogue, or a 1.x results.json).
std::string coverage_sentence(const BsiCoverage& c, Lang lang);

// What the Ampel of `s` says here, naming how much was checked: green never claims more than
// the automatically checked requirements ("... Das sind X von Y Anforderungen der modellierten
// Bausteine; über die übrigen sagt diese Ampel nichts."), grey says why there is no rating.
std::string ampel_explanation(const ScanResult& scan, const Score& s, const BsiCoverage& c,
                              Lang lang);

// Status of a modelled Baustein: "3 von 12 automatisch geprüft" or "nicht automatisch prüfbar"
// (checkable == 0).
std::string baustein_status(const BausteinCoverage& b, Lang lang);

// Marker of an advisory rule's result: "Hinweis (nicht bewertet)" / "advice (not scored)".
const char* advisory_label(Lang lang);
// "1 Hinweis (nicht bewertet)" / "3 Hinweise (nicht bewertet)": failed advisory rules.
std::string advisory_count(int n, Lang lang);
// True when `rule_id` names an advisory rule of `scan`.
bool is_advisory(const ScanResult& scan, const std::string& rule_id);

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
