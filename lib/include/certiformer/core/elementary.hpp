#pragma once
/// certiformer/core/elementary.hpp — rigorous elementary functions for Interval and MpInterval.
///
/// Encloses: f(X) ⊇ {f(x) : x ∈ X, x in the domain of f} for f ∈ {exp, expm1, log, log1p, tanh,
///   sin, cos, atan}, and pow(X, n) ⊇ {xⁿ : x ∈ X, x ≠ 0 if n < 0} for integer n (IEEE 1788
///   `pown`). An endpoint of the result may be ±∞ (the extended value of f at a boundary point of
///   its domain, e.g. log [0, 1] = [−∞, 0]); ±∞ is never a member, so such a result encloses the
///   real values but proves nothing on that side (a certainly_* test against it fails).
/// Method: no libm call is trusted. For `Interval`, monotone functions (exp, expm1, log, log1p,
///   tanh, atan) evaluate MPFR at 53 bits with directed rounding at the endpoints (MPFR is
///   correctly rounded, so a point input gives an interval at most 1 ulp wide; a point input is
///   evaluated once, with the ternary value telling on which side the exact value lies); sin
///   and cos go through MPFI (which locates the extrema) at 53 bits. For `MpInterval` the MPFI
///   function is called at the current precision. pow: the endpoints of the exact range are
///   powers of inf, sup, mig or mag (or ±∞ / 0 at the pole), each rounded in its direction
///   (double-double with a proven error bound and Ziv's test, else MPFR's `mpfr_pow_si`; see
///   pow below): the *tightest* enclosure (n = 2: `sqr`, single directed products, also tightest).
/// Domain boundaries (docs/core.md, "Domain boundaries"): an argument that reaches a boundary
///   point of the domain where the extended value is a limit (log at 0, log1p at −1, xⁿ with
///   n < 0 at 0) gives the IEEE 1788 set including the infinite end: log [0, 1] = [−∞, 0],
///   log1p [−1, 0] = [−∞, 0], pow([0, 2], −1) = [0.5, +∞], pow([−1, 2], −2) = [0.25, +∞],
///   pow([−1, 2], −1) = [−∞, +∞]. Deviation from 1788's cut semantics: an argument that
///   extends strictly beyond the domain (log [−1, 1], log1p [−2, 0]) throws instead of being cut
///   to the domain, because without 1788 decorations the caller could not tell that part of its
///   argument was silently dropped, and the cut result could end up in a certificate. An
///   argument with no point of the domain (log [0, 0], log1p [−1, −1], pow([0, 0], −n), whose
///   1788 result is empty) throws as well: the empty set is never returned.
/// Failure: std::domain_error naming the bounds (a function is left outside its domain).

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

/// Encloses {xⁿ : x ∈ X} (n < 0: x ≠ 0), the tightest enclosure at the result's precision
///   (binary64 for Interval, mp_precision() for MpInterval): n = 0 gives [1, 1] (also when
///   0 ∈ X); even n > 0: [mig(X)ⁿ, mag(X)ⁿ]; odd n > 0: [inf(X)ⁿ, sup(X)ⁿ]; even n < 0:
///   [mag(X)ⁿ, mig(X)ⁿ] with 0ⁿ = +∞; odd n < 0: [sup(X)ⁿ, inf(X)ⁿ] if 0 ∉ X, [sup(X)ⁿ, +∞]
///   if inf(X) = 0, [−∞, inf(X)ⁿ] if sup(X) = 0, the entire line if inf(X) < 0 < sup(X).
/// Assumes: nothing.
/// Checks: n < 0 and X = [0, 0] (no point of the domain) throws std::domain_error.
/// Method: each finite endpoint is the directed rounding of the power of an exact endpoint
///   value. Interval: first a double-double evaluation (binary powering, and one reciprocal for
///   n < 0; 3 ≤ n ≤ 64 or −64 ≤ n ≤ −1, |x|^|n| in [2^-900, 2^900]) with a proven relative error
///   < 2^-97 and Ziv's test (as the fast exp; lib/src/core/elementary.cpp, pow_bounds); when that
///   cannot decide (exact powers, hard cases, other n or ranges) mpfr_pow_si at 53 bits with
///   RNDD / RNDU, then mpfr_get_d in the same direction (still the directed rounding in the
///   subnormal range: the subnormal grid is a subset of the 53-bit one); a point X is evaluated
///   once in RNDN there and the ternary value gives the other side. MpInterval: mpfr_pow_si at
///   the current precision. n = 1 is X and n = 2 is sqr(X). Overflow gives [DBL_MAX, +∞]
///   (Interval), underflow [0, 2^-1074].
Interval pow(const Interval& x, int n);
MpInterval pow(const MpInterval& x, int n);

}  // namespace certiformer
