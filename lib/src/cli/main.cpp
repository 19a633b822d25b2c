// certiformer command-line tool: everything lives in cli_main (certiformer_cli.hpp).
// main() only installs the stop handlers: the first SIGINT / SIGTERM asks the running work to
// stop (ode::request_stop — the current config ends unknown with the partial result it already
// proves, the remaining configs are skipped, the summary and the certificates finished so far are
// written); the handler then resets to the default, so a second signal terminates at once.
#include "certiformer_cli.hpp"

#include "certiformer/ode/budget.hpp"

#include <csignal>

namespace {
extern "C" void on_stop_signal(int sig) {
  certiformer::ode::request_stop(sig == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
}
}  // namespace

int main(int argc, char** argv) {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // one-shot: a second signal takes the default action
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return certiformer::cli_main(argc, argv);
}
