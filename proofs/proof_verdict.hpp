#pragma once
// proofs/proof_verdict.hpp — the last line and exit code of a proof program (proofs/README.md):
// REFUTED (exit 1) if any part was refuted, else PROVED (exit 0) if every part was proved, else
// UNKNOWN (exit 2). meson treats only 0 as success.
#include <iostream>

namespace certiformer::proofs {

inline int proof_verdict(bool proved, bool refuted) {
  if (refuted) {
    std::cout << "REFUTED\n";
    return 1;
  }
  if (proved) {
    std::cout << "PROVED\n";
    return 0;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}

}  // namespace certiformer::proofs
