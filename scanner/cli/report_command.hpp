// `grundscan report --from results.json --format html,...`: writes reports again from a finished
// scan (no inventory, rules or exports needed: results.json carries the rules it was judged by).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace grundscan {

// Exit codes as for `scan`: 0 ok, 2 usage or unreadable/invalid results.json, 3 a report could
// not be written.
int cmd_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace grundscan
