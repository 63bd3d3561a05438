// `grundscan scan`: inventory -> facts -> results -> scores -> reports.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "rules/model.hpp"
#include "rules/results.hpp"
#include "rules/scoring.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/enrich/eol_feed.hpp"
#include "scanner/enrich/rhel_oval.hpp"
#include "scanner/enrich/vuln_feed.hpp"
#include "scanner/enrich/windows_builds.hpp"
#include "scanner/inventory/inventory.hpp"
#include "scanner/probes/web_probe.hpp"

#include <functional>

namespace grundscan {

struct ScanOptions {
    std::filesystem::path inventory;
    bool local = false;
    std::vector<std::filesystem::path> rule_dirs;
    std::optional<std::filesystem::path> profile;
    std::filesystem::path feeds_dir;
    // <data dir>/rules/catalogs (BSI catalogue); empty: the build's data directory
    std::filesystem::path bsi_catalog_dir;
    int max_feed_age = 30;     // days; older feeds are reported as warnings
    int vuln_grace_days = 14;  // set from the pack parameter vuln_grace_days
    std::filesystem::path out_dir = "out";
    std::vector<std::string> formats = {"json", "html"};
    Lang lang = Lang::De;
    ScoreModel score_model = ScoreModel::Weighted;
    std::optional<double> fail_under;
    std::optional<double> min_coverage;  // CI gate: exit 1 below this coverage
    std::optional<Severity> fail_on;
    unsigned jobs = 0;  // 0 = number of cores
    bool quiet = false;
    bool color = false;
    bool progress = false;
    Date as_of;
    // Live probing of web-endpoint and host assets.
    bool offline = false;  // never contact anything; recorded sources only
    ProbeOptions probe;
    std::optional<std::filesystem::path> save_probes;  // write recorded probes (*.probe.json) here
    std::optional<std::filesystem::path> waivers;      // accepted risks (YAML)
    std::optional<std::filesystem::path> db;  // history database (default: <out>/grundscan.db)
    bool no_history = false;                  // do not read or record history
    // Called with the finished scan before reports are written (e.g. `probe` prints findings).
    std::function<void(const ScanResult&)> on_result;
};

// The feeds a scan enriches facts with (loaded once per scan).
struct Feeds {
    EolFeed eol;
    DebianTracker tracker;
    KevCatalog kev;
    RhelOvalSet rhel_oval;
    WindowsBuildTable windows_builds;
};

// Collects, enriches and evaluates one asset: every rule of `rules` gets a result. `probe`
// holds the asset's live probe results, if any; `roadmap` receives its Ablöse-Roadmap rows.
AssetResult scan_asset(const Asset& asset, const ProbeResult* probe, const RuleSet& rules,
                       const Feeds& feeds, const ScanOptions& o, int eol_warning_days,
                       std::vector<RoadmapEntry>& roadmap);

// Runs a scan of options.inventory (or this host with options.local); returns the exit code.
int run_scan(const ScanOptions& options, std::ostream& out, std::ostream& err);

// Runs a scan of an inventory that is already loaded (e.g. built from `grundscan probe URL...`).
int run_scan_inventory(const Inventory& inventory, const ScanOptions& options, std::ostream& out,
                       std::ostream& err);

}  // namespace grundscan
