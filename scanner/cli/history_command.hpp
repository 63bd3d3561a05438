// `grundscan history` (the scans recorded in the history database) and `grundscan diff OLD NEW`
// (what changed between two scans, given as scan ids or results.json files). See docs/history.md.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace grundscan {

// grundscan history [--db PATH | --out DIR] [--municipality ID] [--format text|json]
int cmd_history(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// grundscan diff OLD NEW [--db PATH | --out DIR] [--format text|json|markdown]
int cmd_diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace grundscan
