#pragma once
/// certiformer/ode/kernels.hpp — the inner loop of Taylor arithmetic: partial Cauchy sums
///     Σ_{j=j0}^{j1} w_j a_j b_{k−j},   w_j = j (weighted) or 1,
/// generic for any coefficient type, with fast compiled kernels for Interval and Dual<Interval>
/// (lib/src/ode/kernels.cpp).
///
/// Encloses: the exact sum for every real choice of the coefficients inside their intervals.
/// Method (fast kernels): the FPU is switched to upward rounding once per sum (core's
///   RoundingScope; the work in a kernel following the convention of core/rounding.hpp); each
///   interval product
///   [a,b]·[c,d] is bounded above by max(ac, ad, bc, bd) and below by −max(−ac, −ad, −bc, −bd),
///   every product and sum rounded upward (so ≥ the exact value; the lower bound is carried
///   negated); a weight j > 0 multiplies both bounds (monotone). No Interval operation runs while
///   the mode is switched. Non-finite endpoints make the kernel decline (returns false); the
///   caller then uses the generic loop (Interval arithmetic in round-to-nearest, which handles ±∞).
/// Assumes: nothing about the caller's rounding mode (the scope restores whatever it was).

#include "certiformer/core/interval.hpp"
#include "certiformer/ode/dual.hpp"

namespace certiformer::ode::detail {

/// Fast kernels; false = declined (non-finite data).
bool cauchy_fast(const Interval* a, const Interval* b, int k, int j0, int j1, bool weighted, Interval& out);
bool cauchy_fast(const Dual<Interval>* a, const Dual<Interval>* b, int k, int j0, int j1, bool weighted,
                 Dual<Interval>& out);

/// Σ_i Σ_j a_{i,j} b_{i,k−j} over n pairs (a constant series has only coefficient 0: flag 1).
bool dot_fast(const Interval* const* a, const unsigned char* ca, const Interval* const* b, const unsigned char* cb,
              std::size_t n, int k, Interval& out);
/// Σ_i w[i·stride] · x_i (entries with x_i == nullptr are skipped).
bool lincomb_fast(const Interval* w, std::ptrdiff_t stride, const Interval* const* x, std::size_t n, Interval& out);

/// Σ_{j=j0}^{j1} w_j a_j b_{k−j} (requires j0 ≤ j1).
template <class C> C cauchy(const C* a, const C* b, int k, int j0, int j1, bool weighted) {
  if constexpr (std::is_same_v<C, Interval> || std::is_same_v<C, Dual<Interval>>) {
    if (j1 - j0 >= 2) {
      C out;
      if (cauchy_fast(a, b, k, j0, j1, weighted, out)) return out;
    }
  }
  C s = weighted ? times_int(a[j0], j0) * b[k - j0] : a[j0] * b[k - j0];
  for (int j = j0 + 1; j <= j1; ++j) {
    if (weighted) mul_acc(s, times_int(a[j], j), b[k - j]);
    else mul_acc(s, a[j], b[k - j]);
  }
  return s;
}

}  // namespace certiformer::ode::detail
