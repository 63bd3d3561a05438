// Gathering the Linux configuration of the running host into an export bundle.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "scanner/core/expected.hpp"

namespace grundscan {

struct LocalBundle {
    std::filesystem::path directory;  // where the files and inventory.yaml were written
    std::filesystem::path
        inventory_file;                  // <directory>/inventory.yaml: one municipality, one asset
    std::vector<std::string> collected;  // host paths copied (e.g. "/etc/ssh/sshd_config")
    std::vector<std::string> missing;    // host paths looked for but absent or unreadable
};

// Copies the Linux files grundscan reads (os-release, login.defs, pwquality.conf, PAM stacks,
// sshd_config with its Include files, dpkg status or an `rpm -qa` listing) from `root`
// (normally "/") into `out_dir`, and writes an inventory.yaml naming each file with its
// collector type, the asset named after the host (kind linux-server). Never modifies `root`.
Expected<LocalBundle> collect_local_bundle(const std::filesystem::path& root,
                                           const std::filesystem::path& out_dir);

}  // namespace grundscan
