// Reads results.json back into a ScanResult: the inverse of results_to_json(), so that reports can
// be written again from a finished scan (`grundscan report --from results.json`).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "rules/results.hpp"
#include "scanner/core/expected.hpp"

namespace grundscan {

// Reads a results.json (docs/schema/results.schema.json, any schema_version 1.x). The rules are
// owned by the result (ScanResult::owned_rules; ScanResult::rules points into it). Errors name
// the file and, for a missing or mistyped field, its JSON path ("municipalities[0].assets[1].id").
// Fields the writer may add later are read when present: result "waiver", asset "support",
// municipality "trend" and "changes", score "weight_waived" and "value_without_waivers",
// scan "scan_id", top-level "waiver_warnings".
Expected<ScanResult> read_results_json(const std::filesystem::path& path);

// The same for text already in memory; `name` is the file name used in errors.
Expected<ScanResult> parse_results_json(std::string_view text, const std::string& name);

}  // namespace grundscan
