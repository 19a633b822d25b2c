#pragma once
// Shared helpers for certiformer tests: seeded RNG, the CERTIFORMER_TEST_MULTIPLIER scale,
// and the 256-bit oracle scope.
#include "certiformer/core/mp_interval.hpp"
#include "certiformer/core/io.hpp"

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

namespace certiformer::test {

/// Number of random trials: base × CERTIFORMER_TEST_MULTIPLIER (default 1, may be fractional).
inline long trials(long base) {
  const char* m = std::getenv("CERTIFORMER_TEST_MULTIPLIER");
  double f = m ? std::atof(m) : 1.0;
  if (!(f > 0)) f = 1.0;
  long n = static_cast<long>(base * f);
  return n < 1 ? 1 : n;
}

/// Fixed-seed generator (each test passes its own seed so failures reproduce).
inline std::mt19937_64 rng(std::uint64_t seed) { return std::mt19937_64(seed); }

/// Oracle precision for containment tests.
inline constexpr unsigned kOracleBits = 256;

}  // namespace certiformer::test
