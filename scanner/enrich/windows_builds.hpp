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
// Hotpatch releases (Windows Server Azure Edition / 2025 hotpatch track) carry
// "hotpatch": true; they only count for hosts that run one.
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
    long long build = 0;    // 19045
    long long ubr = 0;      // 5011 → 10.0.19045.5011
    std::string kb;         // "KB5044273"
    Date date;              // release date (Patch Tuesday or out-of-band)
    std::string product;    // "Windows 10 Version 22H2" (for evidence only)
    std::string file;       // feed file it came from
    bool hotpatch = false;  // hotpatch track: only for hosts whose UBR is a hotpatch UBR
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
// format: every vendor-fix remediation of a Windows product with a FixedBuild
// "10.0.<build>.<ubr>" (or "6.3.9600.<n>") and a KB number becomes a release dated with the
// document's initial release date (out-of-band fixes added to a document later get that date
// too); remediations whose SubType or product names a hotpatch are marked hotpatch. When
// several KBs name the same build and UBR, one is kept. Error when the document is not CVRF or
// names no build.
Expected<std::string> windows_builds_from_cvrf(std::string_view cvrf_json, const std::string& url);

// Reads every *.json in `dir` (missing dir: empty table, no warning — the caller reports it).
WindowsBuildTable load_windows_builds(const std::filesystem::path& dir);

// How many days after the table's newest entry it still counts as complete for the scan
// date: Microsoft releases monthly, so a table older than this may miss an update.
inline constexpr int kWindowsBuildTableGraceDays = 35;

// For Windows assets with os.build: reads os.patch_level ("<build>.<UBR>", from a
// windows-version export; else derived from the installed update KBs, and added) and adds
// os.ubr, os.patch_level_date, os.latest_patch_level, os.latest_patch_level_date,
// os.updates_behind and os.update_days_behind, counting only releases up to `as_of`.
// Otherwise a non-fatal issue says why (no table entry for the build, unknown UBR, build of
// the patch level differs from os.build, the build's newest table entry too old to vouch for a
// host at that level) and the build-currency rule reports no evidence. OS out of support:
// nothing (GS-OPS113-OS-SUPPORTED reports it).
void enrich_with_windows_build(FactSet& facts, const WindowsBuildTable& table, const Date& as_of);

}  // namespace grundscan
