// `grundscan feeds update|status`: maintaining the offline feed directory.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace grundscan {

// args: everything after "feeds" ("update --feeds DIR ...", "status --max-age 14").
// Exit codes: 0 ok, 1 some feed failed (old data kept) / stale or missing, 2 usage error.
int cmd_feeds(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace grundscan
