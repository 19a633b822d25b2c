#pragma once
/// certiformer/core/elementary.hpp — rigorous elementary functions for Interval and MpInterval.
///
/// Encloses: f(X) ⊇ {f(x) : x ∈ X} for f ∈ {exp, expm1, log, log1p, tanh, sin, cos, atan} and
///   pow(X, n) ⊇ {xⁿ : x ∈ X} for integer n.
/// Method: no libm call is trusted. For `Interval`, monotone functions (exp, expm1, log, log1p,
///   tanh, atan) evaluate MPFR at 53 bits with directed rounding at the endpoints (MPFR is
///   correctly rounded, so a point input gives an interval at most 1 ulp wide; a point input is
///   evaluated once, with the ternary value telling on which side the exact value lies); sin
///   and cos go through MPFI (which locates the extrema) at 53 bits. For `MpInterval` the MPFI
///   function is called at the current precision. pow uses exact interval multiplications by
///   repeated squaring on [mig, mag] for even n (so it is exact in sign), and 1/xⁿ for n < 0.
/// Failure: log requires inf(X) > 0, log1p requires inf(X) > −1, pow with n < 0 requires
///   0 ∉ X; otherwise std::domain_error naming the bounds (a function is left outside its domain).

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"

namespace certiformer {

Interval exp(const Interval& x);
namespace detail {
/// exp through MPFR only (the reference the fast binary64 path of `exp` is tested against).
Interval exp_via_mpfr(const Interval& x);
}  // namespace detail
Interval expm1(const Interval& x);
Interval log(const Interval& x);
Interval log1p(const Interval& x);
Interval tanh(const Interval& x);
Interval sin(const Interval& x);
Interval cos(const Interval& x);
Interval atan(const Interval& x);

MpInterval exp(const MpInterval& x);
MpInterval expm1(const MpInterval& x);
MpInterval log(const MpInterval& x);
MpInterval log1p(const MpInterval& x);
MpInterval tanh(const MpInterval& x);
MpInterval sin(const MpInterval& x);
MpInterval cos(const MpInterval& x);
MpInterval atan(const MpInterval& x);

/// Encloses π (Interval: the two doubles around π; MpInterval: at the current precision).
template <class T> T pi();
template <> Interval pi<Interval>();
template <> MpInterval pi<MpInterval>();

namespace detail {
/// base^e by repeated squaring (e ≥ 1); exact interval products, valid for any base.
template <class T>
T pow_repeat(T base, unsigned e) {
  T result = base;
  bool first = true;
  while (true) {
    if (e & 1u) {
      result = first ? base : result * base;
      first = false;
    }
    e >>= 1u;
    if (e == 0) break;
    base = sqr(base);
  }
  return result;
}
}  // namespace detail

/// Encloses {xⁿ : x ∈ X}. Even n: |X|ⁿ by repeated squaring of [mig, mag] (monotone on x ≥ 0,
/// so no sign overestimation). Odd n: xⁿ is increasing, so the hull of the endpoint powers.
/// n < 0: 1 / X^|n| (requires 0 ∉ X).
template <class T>
T pow(const T& x, int n) {
  if (n == 0) return T(1);
  if (n < 0) {
    if (contains_zero(x)) throw std::domain_error("pow(x, n) with n < 0 and 0 in x");
    return T(1) / pow(x, -n);
  }
  const auto e = static_cast<unsigned>(n);
  if (e % 2 == 0) return detail::pow_repeat(abs(x), e);
  return convex_hull(detail::pow_repeat(T(inf(x), inf(x)), e), detail::pow_repeat(T(sup(x), sup(x)), e));
}

}  // namespace certiformer
