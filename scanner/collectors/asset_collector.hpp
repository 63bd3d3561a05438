// Stage "facts": reads every source of an asset, runs the right collector, and returns the
// asset's FactSet. Problems with one source never stop the others.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scanner/core/expected.hpp"
#include "scanner/core/text.hpp"
#include "scanner/facts/fact.hpp"
#include "scanner/inventory/inventory.hpp"

namespace grundscan {

struct CollectOptions {
    std::uintmax_t max_source_bytes = 64ull * 1024 * 1024;  // larger exports are refused
};

// Reads `path` (at most `max_bytes`) and decodes it to UTF-8.
Expected<text::Decoded> read_source(const std::filesystem::path& path, std::uintmax_t max_bytes);

// The collector type for decoded `text` named `filename`, or empty if nothing matches.
std::string detect_source_type(std::string_view text, std::string_view filename);

// Runs the collectors over all sources of `asset`.
FactSet collect_asset(const Asset& asset, const CollectOptions& options);

// Errors for `type:` values in the inventory that name no collector (file:line).
std::vector<Error> check_source_types(const Inventory& inventory);

}  // namespace grundscan
