#pragma once
/// certiformer_cli.hpp — the `certiformer` command line as a library function (tests call it
/// in-process). The contract is docs/cli.md.

#include <iosfwd>

namespace certiformer {

/// Exit statuses of the command line.
enum ExitStatus : int {
  kExitProved = 0,        ///< every claim proved (a run without claims: every enclosure computed)
  kExitRefuted = 1,       ///< some claim refuted / a certificate failed to check
  kExitUnknown = 2,       ///< some claim unknown, none refuted / a check was inconclusive
  kExitUsage = 64,        ///< bad command line
  kExitBadConfig = 65,    ///< bad config or malformed certificate (nothing is written)
  kExitInternal = 70,     ///< internal error (a bug; please report)
};

/// Runs the command line with `out` for results and `err` for diagnostics and progress.
/// Returns the exit status.
int cli_main(int argc, char** argv, std::ostream& out, std::ostream& err);
/// Same with std::cout / std::cerr.
int cli_main(int argc, char** argv);

}  // namespace certiformer
