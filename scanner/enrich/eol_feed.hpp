// End-of-life data (endoflife.date format) and the enrichment that turns an asset's OS facts
// into support facts (os.eol_date, os.supported, os.days_until_eol, ...).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"
#include "scanner/facts/fact.hpp"
#include "scanner/inventory/inventory.hpp"

namespace grundscan {

struct EolCycle {
    std::string cycle;  // "12", "10-22h2", "2022"
    std::optional<Date> release_date;
    std::optional<Date> eol;       // end of (security) support; nullopt + eol_false = open-ended
    bool eol_false = false;        // feed says eol: false (no end announced)
    std::optional<Date> extended;  // eoes: ESU / LTS / ELS
    std::string latest;
    int line = 0;  // line in the feed file
};

struct EolProduct {
    std::string product;  // file stem: "windows", "debian", ...
    std::string file;     // feed file, for provenance
    std::vector<EolCycle> cycles;
    // Newest past release date found in the data (releaseDate, latestReleaseDate, release-data
    // versions[].date): a lower bound of the data's date ("Datenstand") when nothing better is
    // recorded. Dates after the day of parsing are ignored (announced releases).
    std::optional<Date> newest_date;
    const EolCycle* find(const std::string& cycle) const;
};

struct EolFeed {
    std::map<std::string, EolProduct> products;
    std::vector<std::string> warnings;  // unreadable feed files; loading goes on
    const EolProduct* find(const std::string& product) const;
};

// Parses an endoflife.date product page (Markdown with YAML front matter, `releases:` list).
Expected<EolProduct> parse_eol_product_markdown(std::string_view text, const std::string& product,
                                                const std::string& file);

// Parses endoflife.date release-data JSON ({"releases": {cycle: {...}}, "versions": {...}}).
Expected<EolProduct> parse_eol_release_json(std::string_view text, const std::string& product,
                                            const std::string& file);

// Parses an endoflife.date v0 API response (https://endoflife.date/api/<product>.json): a JSON
// array of {cycle, releaseDate, eol (date|bool), latest, lts, support, extendedSupport
// (date|bool)}. `eol: true` without a date gives a cycle with neither eol nor eol_false.
Expected<EolProduct> parse_eol_api_json(std::string_view text, const std::string& product,
                                        const std::string& file);

// Loads every *.md and *.json in `dir` (a missing dir gives an empty feed and a warning).
// <product>.api.json files (written by `grundscan feeds update`) are read with
// parse_eol_api_json(); when a product also has a snapshot (.md/.json), the file with the
// newer modification time wins (on a tie, the API file).
EolFeed load_eol_feed(const std::filesystem::path& dir);

// Maps OS facts to a feed product and candidate cycles, most specific first.
struct EolLookup {
    std::string product;
    std::vector<std::string> cycles;
};
std::optional<EolLookup> eol_lookup_for(const FactSet& facts);

// Adds os.eol_cycle, os.eol_date, os.extended_support_until, os.supported and
// os.days_until_eol to `facts` when the OS can be identified in `feed`; otherwise adds a
// non-fatal issue saying why (no facts: the EOL rules then report no evidence).
void enrich_with_eol(FactSet& facts, const EolFeed& feed, const Date& as_of);

// Decides whether extended support is evidenced on `as_of`; call after enrich_with_eol().
// In phase "extended" it adds os.extended_support_evidence:
//   "debian-lts"  Debian LTS (free, community, in the standard security archive): no
//                 declaration needed; provenance: the feed entry;
//   "slmgr"       an activated Windows ESU add-on (os.esu_licenses) whose year covers `as_of`;
//   "inventory"   `decl` (the asset's or municipality's extended_support) with until >= as_of.
// Otherwise it adds a non-fatal issue (collector "extended-support", line 0) saying what to
// provide. A declaration whose until is after the feed's end of extended support counts only
// with a `note`; then, in phase "ended", it also sets os.support_phase to "extended". A
// declaration that does not count gets a non-fatal issue naming its file and line.
void enrich_with_extended_support(FactSet& facts, const ExtendedSupportDecl* decl,
                                  const Date& as_of);

// The last day a Windows ESU licence of `year` (1-based) covers for the OS of `facts`, from
// Microsoft's lifecycle pages (Windows 7, 10; Server 2008/R2, 2012/R2), or nullopt.
std::optional<Date> windows_esu_year_end(const FactSet& facts, int year);

}  // namespace grundscan
