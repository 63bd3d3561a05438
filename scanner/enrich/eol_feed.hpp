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

}  // namespace grundscan
