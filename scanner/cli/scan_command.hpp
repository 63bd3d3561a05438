// `grundscan scan`: inventory -> facts -> results -> scores -> reports.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "rules/model.hpp"
#include "rules/scoring.hpp"
#include "scanner/core/dates.hpp"

namespace grundscan {

struct ScanOptions {
    std::filesystem::path inventory;
    bool local = false;
    std::vector<std::filesystem::path> rule_dirs;
    std::optional<std::filesystem::path> profile;
    std::filesystem::path feeds_dir;
    std::filesystem::path out_dir = "out";
    std::vector<std::string> formats = {"json", "html"};
    Lang lang = Lang::De;
    ScoreModel score_model = ScoreModel::Weighted;
    std::optional<double> fail_under;
    std::optional<Severity> fail_on;
    unsigned jobs = 0;  // 0 = number of cores
    bool quiet = false;
    bool color = false;
    bool progress = false;
    Date as_of;
};

// Runs a scan; returns the process exit code.
int run_scan(const ScanOptions& options, std::ostream& out, std::ostream& err);

}  // namespace grundscan
