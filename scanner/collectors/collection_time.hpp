// When the evidence of an asset was collected: bundle manifests (manifest.json), the exports'
// own timestamps and the inventory's `collected:` dates; never file modification times.
// See docs/inventory.md ("Collection time").
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scanner/collectors/collector.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"
#include "scanner/facts/fact.hpp"
#include "scanner/inventory/inventory.hpp"

namespace grundscan {

// manifest.json of an export bundle:
//   {"format": "grundscan-manifest", "version": 1, "collected_at": "2026-11-18T09:12:00+01:00",
//    "host": "LRA-FS01", "tool": "grundscan collect --local 0.9"}
// collected_at (ISO 8601 date or date and time), host and tool are required; other keys are
// allowed (later versions add more).
struct BundleManifest {
    std::string collected_at;  // as written
    Date date;                 // its calendar date (as written, no time zone conversion)
    int collected_at_line = 0;
    std::string host;
    std::string tool;
};

// Parses a manifest (at most 64 KiB, nesting depth 8). Errors carry the line.
Expected<BundleManifest> parse_bundle_manifest(std::string_view text);

// Collector "bundle-manifest": validates a manifest.json listed among (or inside a folder of)
// an asset's sources; it yields no facts of its own.
const CollectorInfo& bundle_manifest_collector();

// Collects the collection time of each source of one asset while collect_asset() reads them.
// Per source, the first known of: the export's own timestamp, the nearest manifest.json in the
// source's folder or a parent folder up to the folder it shares with the inventory file that
// lists the asset (a broken manifest ends the search), the `collected:` of its sources entry,
// the asset's `collected:`.
class CollectionTimes {
  public:
    explicit CollectionTimes(const Asset& asset);

    // Records the time of `src`, which was parsed successfully by collector `type`, and
    // returns its day (nullopt when unknown).
    std::optional<Date> note_source(const SourceFile& src, const std::string& type,
                                    const ParseOutput& parsed, FactSet& facts);

    // Adds evidence.collected_at (the oldest time over the recorded sources, provenance where
    // that time was read) when every recorded source has a time; otherwise a non-fatal
    // issue (collector "evidence", line 0) naming the sources without one and how to add it.
    void add_facts(FactSet& facts) const;

  private:
    struct Known {
        Date date;
        std::string where;  // file the time was read from
        int line = 0;
        std::string excerpt;
    };
    std::optional<Known> manifest_for(const SourceFile& src, FactSet& facts);

    const Asset& asset_;
    std::filesystem::path bound_;  // folder of the inventory file that lists the asset
    // By folder: whether a manifest.json is there, and its time when it is usable.
    std::map<std::filesystem::path, std::pair<bool, std::optional<Known>>> manifests_;
    std::vector<std::pair<std::string, Known>> known_;  // source display, time
    std::vector<std::string> unknown_;                  // source displays
};

// Adds evidence.age_days (whole days from evidence.collected_at to `as_of`) when
// evidence.collected_at is known.
void add_evidence_age(FactSet& facts, const Date& as_of);

}  // namespace grundscan
