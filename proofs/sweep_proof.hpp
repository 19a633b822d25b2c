#pragma once
// proofs/sweep_proof.hpp — the decision of a proof program that proves its claims on a whole
// parameter box with the sweep (docs/sweep.md): run the sweep, print the cover, re-check it.
#include "certiformer/cert.hpp"
#include "certiformer/sweep.hpp"
#include "proof_verdict.hpp"

#include <functional>
#include <iostream>
#include <string>

namespace certiformer::proofs {

/// Runs `sweep::run_sweep` on `config` (a config with interval inputs), prints its statement and
/// summary, then `after_summary()` (extra lines, not part of the decision), one line per sub-box
/// (id, box, verdict, and what `describe(results)` appends), then re-checks the sweep certificate
/// with `sweep::check_sweep` (the tiling and a re-run of every sub-box).
/// Decision (the exit code): 0 iff status proved AND fraction_proved = 1 exactly AND every check
/// line reproduced; 1 if the sweep is refuted or a check line failed; 2 otherwise (unknown).
inline int prove_by_sweep(const std::string& config, const std::string& name, const sweep::SweepOptions& options,
                          const std::function<void()>& after_summary = {},
                          const std::function<std::string(const cert::Json&)>& describe = {}) {
  const auto j = sweep::run_sweep(cert::config_from_text(config, name), options);
  if (!j) return 2;
  const auto& sum = j->at("summary");
  std::cout << j->at("statement").get<std::string>() << "\n"
            << "runs " << sum.at("runs") << ", sub-boxes " << sum.at("boxes") << ", fraction proved "
            << sum.at("fraction_proved").get<std::string>() << "\n";
  if (after_summary) after_summary();
  if (describe)
    for (const auto& b : j->at("cover"))
      std::cout << b.at("id").get<std::string>() << " " << b.at("box").dump() << ": " << b.at("verdict").get<std::string>()
                << describe(b.at("results")) << "\n";
  const cert::CheckReport rep = sweep::check_sweep(cert::config_from_text(j->dump(), "sweep certificate"), {});
  std::size_t reproduced = 0;
  for (const auto& l : rep.lines) reproduced += l.outcome == cert::CheckOutcome::reproduced;
  std::cout << "check: " << reproduced << " of " << rep.lines.size() << " lines reproduced\n";
  return proof_verdict(j->at("status") == "proved" && sum.at("fraction_proved") == "1" && reproduced == rep.lines.size(),
                       j->at("status") == "refuted" || rep.outcome() == cert::CheckOutcome::failed);
}

}  // namespace certiformer::proofs
