// The command-line application. Exit codes (docs/cli.md):
//   0 ok, 1 threshold breached (--fail-under / --fail-on), 2 usage or input error,
//   3 runtime error (e.g. an output file could not be written).
#pragma once

#include <iosfwd>

namespace grundscan {

enum ExitCode : int { kExitOk = 0, kExitThreshold = 1, kExitUsage = 2, kExitRuntime = 3 };

// Runs the CLI with `argv`; writes normal output to `out` and diagnostics to `err`.
int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace grundscan
