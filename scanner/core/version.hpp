// Version comparison: a generic dotted-version order and Debian's exact algorithm.
#pragma once

#include <string_view>

namespace grundscan {

// Compares versions like "10.0.19045", "1.1.1f", "8.2p1": runs of digits compare
// numerically, other runs lexically, separators ('.', '-', '_', '+', '~') split segments;
// a missing segment counts as lower ("1.2" < "1.2.1"). Returns <0, 0, >0.
int compare_versions(std::string_view a, std::string_view b);

// Compares Debian package versions ([epoch:]upstream[-revision]) exactly as
// `dpkg --compare-versions` does, including '~' sorting before everything. Returns <0, 0, >0.
int compare_debian_versions(std::string_view a, std::string_view b);

// Compares RPM EVRs ([epoch:]version[-release], e.g. "1:1.18.4-6.el9") as rpm does: epoch
// numerically (missing = 0), then version and release with rpmvercmp (alphanumeric segments,
// digits above letters, '~' before everything, '^' after the end); a side without a release
// compares equal on the release. Returns <0, 0, >0.
int compare_rpm_versions(std::string_view a, std::string_view b);

}  // namespace grundscan
