// Writing output files so that readers never see a half-written file.
#pragma once

#include <filesystem>
#include <string_view>

#include "scanner/core/expected.hpp"

namespace grundscan {

// Writes `content` to `path` via a temporary file in the same directory, fsync and rename.
// Creates missing parent directories. On failure the old file (if any) is left untouched.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace grundscan
