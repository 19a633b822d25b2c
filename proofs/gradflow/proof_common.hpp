#pragma once
// proofs/gradflow/proof_common.hpp — shared input builders for the P4 proof programs (exact text).
#include "certiformer/gradflow.hpp"

#include <cstdio>
#include <iostream>
#include <string>

namespace gfproof {
using namespace certiformer;
using namespace certiformer::gradflow;

/// 2 × 2 symmetric matrix [[a, b], [b, c]] from exact text.
template <class T> Mat<T> sym2(const char* a, const char* b, const char* c) {
  Mat<T> m(2, 2);
  m(0, 0) = from_text<T>(a); m(0, 1) = from_text<T>(b); m(1, 0) = from_text<T>(b); m(1, 1) = from_text<T>(c);
  return m;
}
/// n tokens x_k = (cos θ_k, sin θ_k), θ_k = θ0 + k·Δ (exact text; cos/sin enclosed).
template <class T> Vec<T> circle_tokens(int n, const char* theta0, const char* delta) {
  return gradflow::circle_tokens<T>(n, from_text<T>(theta0), from_text<T>(delta));
}
inline double w(const Interval& x) { return wid(x); }
inline void print(const char* name, const Interval& x) {
  std::printf("%-28s [%.17g, %.17g]  (width %.3e)\n", name, inf(x), sup(x), wid(x));
}
inline void print_edi(const EdiResult<Interval>& r) {
  std::printf("flow: %s; %zu steps, %.2f s\n", r.verdict.reason().c_str(), r.steps, r.seconds);
  print("energy_change", r.energy_change);
  print("explicit_time_integral", r.explicit_time_integral);
  print("dissipation_integral", r.dissipation_integral);
  print("identity_residual", r.identity_residual);
  if (r.metric_integral) {
    print("metric_integral", *r.metric_integral);
    print("metric_residual", *r.metric_residual);
  }
  print("slope_at_horizon", r.slope_at_horizon);
  std::printf("identity: %s\nmonotone: %s\n", r.identity.reason().c_str(), r.monotone.reason().c_str());
}
}  // namespace gfproof
