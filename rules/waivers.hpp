// Accepted risks ("waivers"): a YAML file naming a rule, a scope (organisation, municipality
// or asset), a justification, an approver, the decision date, an expiry date and optionally a
// ticket. Matching failed results become `waived`; expired waivers stop applying and are
// reported; waivers that match nothing are reported. See docs/waivers.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "rules/model.hpp"
#include "rules/results.hpp"
#include "scanner/core/dates.hpp"
#include "scanner/core/expected.hpp"
#include "scanner/inventory/inventory.hpp"

namespace grundscan {

struct Waiver {
    std::string id;        // as written, or "<file>:<line>"
    std::string rule;      // rule id, or a prefix ending in '*'
    std::string scope;     // "organisation", "municipality" or "asset"
    std::string scope_id;  // municipality or asset id ("" for organisation)
    std::string justification, approver, ticket;
    Date decided_on, expires;
    std::string file;
    int line = 0;
};

// Loads and validates `file` against the rules and the inventory (unknown rule ids, unknown
// municipalities/assets, missing justification/approver, bad dates, expiry before decision).
// Returns every problem with file:line; the scan must not start when there are any.
std::vector<Error> load_waivers(const std::filesystem::path& file, const RuleSet& rules,
                                const Inventory& inventory, std::vector<Waiver>& out);

// Applies the waivers valid on `as_of` to the failed results of `scan` (state -> Waived,
// RuleResult::waiver set; only `fail` results are waived — never no_evidence or error).
// Adds to scan.waiver_warnings: expired waivers (with the date) and waivers matching nothing.
void apply_waivers(ScanResult& scan, const std::vector<Waiver>& waivers, const Date& as_of);

}  // namespace grundscan
