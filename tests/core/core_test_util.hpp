#pragma once
// Helpers shared by the core test suites: 256-bit MPFR oracles, random doubles over the whole
// binary64 range, ulp distances, and hex text of inputs for failure messages.
#include "test_support.hpp"

#include "certiformer/core.hpp"

#include <doctest/doctest.h>
#include <mpfi.h>
#include <mpfr.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace ct {

using namespace certiformer;
namespace tst = certiformer::test;

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kMax = std::numeric_limits<double>::max();
inline constexpr double kMinNormal = std::numeric_limits<double>::min();
inline constexpr double kDenormMin = std::numeric_limits<double>::denorm_min();

inline double up(double x) { return detail::next_up(x); }
inline double down(double x) { return detail::next_down(x); }

/// RAII MPFR number (default: oracle precision).
struct Fr {
  mpfr_t v;
  explicit Fr(mpfr_prec_t p = tst::kOracleBits) { mpfr_init2(v, p); }
  Fr(double d, mpfr_prec_t p) { mpfr_init2(v, p); mpfr_set_d(v, d, MPFR_RNDN); }
  ~Fr() { mpfr_clear(v); }
  Fr(const Fr&) = delete;
  Fr& operator=(const Fr&) = delete;
};

// ---- text of values for failure messages ---------------------------------------------------
inline std::string hx(double v) { return hex(v); }
inline std::string hx(const Interval& x) { return "[" + hex(x.lower()) + ", " + hex(x.upper()) + "]"; }
inline std::string hx(const MpInterval& x) {
  const auto e = endpoints(x);
  return "[" + e.lo_hex + ", " + e.hi_hex + "] (" + std::to_string(x.precision()) + " bits)";
}
inline std::string hx(mpfr_srcptr v) {
  char* s = nullptr;
  mpfr_asprintf(&s, "%Ra", v);
  std::string r(s);
  mpfr_free_str(s);
  return r;
}

// ---- MpInterval at a given precision ---------------------------------------------------------
/// An MpInterval of precision p holding [lo, hi] (outward rounded if p < prec of lo / hi).
inline MpInterval mp_from_fr(mpfr_srcptr lo, mpfr_srcptr hi, mpfr_prec_t p) {
  MpPrecisionScope s(static_cast<unsigned>(p));
  MpInterval r;
  mpfi_interv_fr(r.data(), lo, hi);
  return r;
}
/// Exact copy of x at precision p ≥ precision(x).
inline MpInterval widen_to(const MpInterval& x, unsigned p) {
  MpPrecisionScope s(p);
  MpInterval r;
  mpfi_set(r.data(), x.data());
  return r;
}
inline MpInterval widen_to(const Interval& x, unsigned p) {
  MpPrecisionScope s(p);
  return MpInterval(x);
}
/// 256-bit exact copy (the oracle's view of an input).
template <class T> MpInterval big(const T& x) { return widen_to(x, tst::kOracleBits); }

/// o ⊆ r, for results of either type.
inline bool inside(const MpInterval& o, const Interval& r) { return subset(o, r); }
inline bool inside(const MpInterval& o, const MpInterval& r) { return subset(o, r); }

// ---- endpoints as doubles (exact for Interval; outward for MpInterval) -----------------------
inline double lo_d(const Interval& x) { return x.lower(); }
inline double hi_d(const Interval& x) { return x.upper(); }
inline double lo_d(const MpInterval& x) { return mpfr_get_d(&x.data()->left, MPFR_RNDD); }
inline double hi_d(const MpInterval& x) { return mpfr_get_d(&x.data()->right, MPFR_RNDU); }

// ---- ulp distance ----------------------------------------------------------------------------
/// Position of a double on the ordered line of doubles (±0 → 0, inf right after DBL_MAX).
inline std::int64_t ordinal(double d) {
  const auto b = std::bit_cast<std::int64_t>(d);
  return b < 0 ? -(b & 0x7fffffffffffffffLL) : b;
}
/// Number of ulp steps from lo to hi.
inline std::int64_t ulps(const Interval& x) { return ordinal(x.upper()) - ordinal(x.lower()); }

// ---- random doubles --------------------------------------------------------------------------
using Rng = std::mt19937_64;

inline double unif(Rng& g, double a, double b) { return std::uniform_real_distribution<double>(a, b)(g); }
inline int irand(Rng& g, int a, int b) { return std::uniform_int_distribution<int>(a, b)(g); }
inline bool coin(Rng& g, double p = 0.5) { return unif(g, 0.0, 1.0) < p; }

/// |d| ∈ [2^e, 2^(e+1)) with e uniform in [emin, emax] (subnormals when e < −1022), random sign.
inline double any_magnitude(Rng& g, int emin = -1074, int emax = 1023) {
  const std::uint64_t m = (g() >> 12) | (std::uint64_t{1} << 52);
  const double d = std::ldexp(static_cast<double>(m), irand(g, emin, emax) - 52);
  return coin(g) ? -d : d;
}

/// Values at the edges of the binary64 range and of the error-free-transformation zone.
inline const std::vector<double>& special_values() {
  static const std::vector<double> v = [] {
    std::vector<double> s = {0.0,         kDenormMin,      2 * kDenormMin,  3 * kDenormMin, kMinNormal,
                             down(kMinNormal), up(kMinNormal), 0x1p-960,     down(0x1p-960), up(0x1p-960),
                             0x1p-537,    0x1p-1000,       0.5,             1.0,            up(1.0),
                             down(1.0),   2.0,             3.0,             0.1,            1e300,
                             0x1p970,     0x1p1023,        down(kMax),      kMax,           1.0 / 3.0};
    const std::size_t n = s.size();
    for (std::size_t i = 0; i < n; ++i) s.push_back(-s[i]);  // includes −0.0
    return s;
  }();
  return v;
}
inline double special_value(Rng& g) {
  const auto& s = special_values();
  return s[static_cast<std::size_t>(irand(g, 0, static_cast<int>(s.size()) - 1))];
}
/// Mostly random magnitudes, sometimes a special value.
inline double mixed_double(Rng& g) { return coin(g, 0.25) ? special_value(g) : any_magnitude(g); }

/// A random double in [lo, hi] (finite endpoints; lo ≤ hi).
inline double point_in(Rng& g, double lo, double hi) {
  if (lo == hi) return lo;
  const int k = irand(g, 0, 3);
  if (k == 0) return lo;
  if (k == 1) return hi;
  double p = lo + unif(g, 0.0, 1.0) * (hi - lo);  // may overflow for huge spans
  if (!std::isfinite(p)) p = 0.5 * lo + 0.5 * hi;
  return std::clamp(p, lo, hi);
}
/// A random point of an interval that may have infinite endpoints.
inline double point_in_any(Rng& g, double lo, double hi) {
  if (lo == -kInf && hi == kInf) return mixed_double(g);
  if (lo == -kInf) return hi == -kInf ? -kMax : std::max(-kMax, hi - std::fabs(any_magnitude(g, -20, 1023)));
  if (hi == kInf) return lo == kInf ? kMax : std::min(kMax, lo + std::fabs(any_magnitude(g, -20, 1023)));
  return point_in(g, lo, hi);
}

/// Random interval endpoints for the arithmetic containment tests: points, ulp-narrow, relative
/// and absolute small widths, wide spans across magnitudes, and (if allowed) half-lines / entire.
inline std::pair<double, double> random_bounds(Rng& g, bool allow_infinite = true) {
  const int mode = irand(g, 0, 9);
  double a = mixed_double(g);
  switch (mode) {
    case 0:
    case 1: return {a, a};
    case 2: {
      double b = a;
      for (int k = irand(g, 1, 4); k > 0; --k) b = up(b);
      if (!std::isfinite(b)) b = a;
      return {a, b};
    }
    case 3: {
      double b = a + std::fabs(a) * std::ldexp(1.0, -irand(g, 1, 52));
      if (!std::isfinite(b) || b < a) b = a;
      return {a, b};
    }
    case 4:
    case 5: {
      double b = mixed_double(g);
      return {std::min(a, b), std::max(a, b)};
    }
    case 6: {
      double b = any_magnitude(g, -5, 5);  // moderate values
      double c = b + std::fabs(any_magnitude(g, -40, 0));
      return {b, c};
    }
    case 7: {
      double b = -std::fabs(any_magnitude(g)), c = std::fabs(any_magnitude(g));
      return {b, c};  // straddles 0
    }
    default: {
      if (!allow_infinite) return {a, a};
      const int k = irand(g, 0, 2);
      if (k == 0) return {-kInf, a};
      if (k == 1) return {a, kInf};
      return {-kInf, kInf};
    }
  }
}

/// An MpInterval of precision `bits` whose endpoints are lo, hi pushed outward by a random
/// amount below the 53rd bit (so they are genuine `bits`-bit numbers, not doubles).
inline MpInterval mp_bounds(Rng& g, double lo, double hi, unsigned bits) {
  Fr l(bits), h(bits);
  mpfr_set_d(l.v, lo, MPFR_RNDD);
  mpfr_set_d(h.v, hi, MPFR_RNDU);
  if (std::isfinite(lo) && lo != hi && coin(g, 0.7)) {
    const double d = std::fabs(lo) * std::ldexp(unif(g, 0.0, 1.0), -irand(g, 54, 100));
    mpfr_sub_d(l.v, l.v, d, MPFR_RNDD);
  }
  if (std::isfinite(hi) && lo != hi && coin(g, 0.7)) {
    const double d = std::fabs(hi) * std::ldexp(unif(g, 0.0, 1.0), -irand(g, 54, 100));
    mpfr_add_d(h.v, h.v, d, MPFR_RNDU);
  }
  return mp_from_fr(l.v, h.v, bits);
}

/// Input of scalar type T from double bounds (MpInterval: at `bits`, perturbed outward).
template <class T> T make(Rng& g, double lo, double hi, unsigned bits);
template <> inline Interval make<Interval>(Rng&, double lo, double hi, unsigned) { return Interval(lo, hi); }
template <> inline MpInterval make<MpInterval>(Rng& g, double lo, double hi, unsigned bits) {
  return mp_bounds(g, lo, hi, bits);
}

/// Precision under which MpInterval operations are tested (Interval: unused).
inline constexpr unsigned kMpTestBits = 113;

/// Runs `f` with MpInterval results at the tested precision (no effect on Interval).
template <class T, class F> auto at_test_precision(F&& f) {
  MpPrecisionScope s(kMpTestBits);
  return f();
}
/// Runs `f` at the oracle precision.
template <class F> auto at_oracle_precision(F&& f) {
  MpPrecisionScope s(tst::kOracleBits);
  return f();
}

/// Collects failures of a high-volume check loop without one doctest assertion per check:
/// every failure is reported with its message (up to a cap), and the summary is asserted.
struct FailLog {
  std::string what;
  long checks = 0;
  long failures = 0;
  explicit FailLog(std::string w) : what(std::move(w)) {}
  template <class Msg> void check(bool ok, Msg&& msg) {
    ++checks;
    if (ok) return;
    if (++failures <= 10) FAIL_CHECK(what << ": " << msg());
  }
};

}  // namespace ct
