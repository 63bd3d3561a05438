// Windows build currency: a table of the cumulative updates per Windows build (build →
// update build revision (UBR), KB, release date), taken from Microsoft's CVRF security-update
// documents (https://api.msrc.microsoft.com/cvrf/v3.0/cvrf/<YYYY-Mon>) by `grundscan feeds
// update`, and the enrichment that compares an asset's build + UBR with it.
//
// Feed files (<feeds>/windows/*.json) use one compact format, written by the CVRF conversion
// and by hand for the offline snapshot:
//   {"format": "grundscan-windows-builds/1", "source": "<URL or note>",
//    "releases": [{"build": 19045, "ubr": 5011, "kb": "KB5044273", "date": "2024-10-08",
//                  "product": "Windows 10 Version 22H2"}, ...]}
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"
#include "scanner/facts/fact.hpp"

namespace grundscan {

inline constexpr const char* kWindowsBuildsFormat = "grundscan-windows-builds/1";

// One cumulative (security) update of one build.
struct WindowsBuildRelease {
    long long build = 0;  // 19045
    long long ubr = 0;    // 5011 → 10.0.19045.5011
    std::string kb;       // "KB5044273"
    Date date;            // release date (Patch Tuesday or out-of-band)
    std::string product;  // "Windows 10 Version 22H2" (for evidence only)
    std::string file;     // feed file it came from
};

struct WindowsBuildTable {
    // build → releases sorted by UBR (one entry per UBR)
    std::map<long long, std::vector<WindowsBuildRelease>> builds;
    Date newest{1970, 1, 1};            // newest release date in the whole table (coverage)
    std::vector<std::string> warnings;  // unreadable files; loading goes on
    std::vector<std::string> files;     // files read
    bool empty() const { return builds.empty(); }
    void add(WindowsBuildRelease r);  // keeps one entry per (build, UBR): the earliest date
};

// Parses one compact feed file. Errors name the file (and the JSON line of a syntax error).
Expected<std::vector<WindowsBuildRelease>> parse_windows_builds_json(std::string_view text,
                                                                     const std::string& file);

// Converts one MSRC CVRF JSON document (Security Update Guide API v3.0) into the compact
// format: every remediation with a FixedBuild "10.0.<build>.<ubr>" (or "6.3.9600.<n>") and a
// KB number becomes a release dated with the document's initial release date; several KBs
// for one build keep the highest UBR. Error when the document is not CVRF or names no build.
Expected<std::string> windows_builds_from_cvrf(std::string_view cvrf_json, const std::string& url);

// Reads every *.json in `dir` (missing dir: empty table, no warning — the caller reports it).
WindowsBuildTable load_windows_builds(const std::filesystem::path& dir);

// How many days after the table's newest entry it still counts as complete for the scan
// date: Microsoft releases monthly, so a table older than this may miss an update.
inline constexpr int kWindowsBuildTableGraceDays = 35;

// Adds os.ubr (derived from installed KBs when no export gave it), os.patch_level,
// os.patch_level_date, os.latest_patch_level, os.latest_patch_level_date, os.updates_behind
// and os.update_days_behind for Windows assets with os.build; otherwise (no table entry for
// the build, unknown UBR, table too old to judge a host at the newest known level) a
// non-fatal issue saying why, and the build-currency rule reports no evidence.
void enrich_with_windows_build(FactSet& facts, const WindowsBuildTable& table, const Date& as_of);

}  // namespace grundscan
