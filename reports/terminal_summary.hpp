// The per-municipality summary printed after a scan.
#pragma once

#include <ostream>

#include "rules/results.hpp"

namespace grundscan {

struct SummaryOptions {
    bool color = false;  // ANSI colours; only when stdout is a terminal and NO_COLOR is unset
    Lang lang = Lang::De;
};

// One row per municipality (score, Ampel, fails by severity, coverage, no evidence, errors)
// and a total row for the organisation.
void print_summary(std::ostream& out, const ScanResult& scan, const SummaryOptions& options);

}  // namespace grundscan
