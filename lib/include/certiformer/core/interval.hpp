#pragma once
/// certiformer/core/interval.hpp — `Interval`: a closed interval [lo, hi] with binary64 endpoints.
///
/// Inclusion principle (stated once, holds for every operation below): if x ∈ X and y ∈ Y are
/// real numbers, then x ∘ y ∈ X ∘ Y for ∘ ∈ {+, −, ×, ÷} (÷ only when 0 ∉ Y) and √x ∈ sqrt(X).
///
/// Representation: a thin class over `boost::numeric::interval<double, P>` whose rounding policy
/// `detail::eft_rounding` returns the correctly *directed* rounding of each endpoint operation
/// while the FPU stays in round-to-nearest: the nearest result r is computed, the sign of the
/// rounding error is recovered by an error-free transformation (TwoSum for ±, FMA for ×, ÷, √),
/// and r is moved by one ulp only when the error points the other way. So endpoints are exactly
/// those of IEEE directed rounding over the whole binary64 range, subnormals included (tight: a
/// point operation is at most 1 ulp wide, and a product or quotient whose sign is determined
/// never gets a bound of the wrong sign), no rounding-mode switch is ever made, and a compiler
/// that moves arithmetic across `fesetround` cannot break it. On overflow the endpoint becomes
/// ±DBL_MAX / ±∞ (again the directed rounding).
///
/// Why the underflow range needs care (docs/core.md, "Rounding policy"): the FMA returns
/// RN(exact error), whose sign is the sign of the error unless it rounds to 0. A nonzero error
/// rounds to 0 only if it is smaller than 2^-1074; an error that is an integer multiple of
/// 2^-1074 cannot. The error of x·y is a multiple of 2^(ulpexp(x) + ulpexp(y)) (ulpexp = exponent
/// of the last significand bit); if that is below 2^-1074 (only when |x·y| < 2^-960) one operand
/// and the rounded result are first scaled by the exact power of two 2^k that lifts the error
/// onto the 2^-1074 grid; the scaled FMA then has the sign of the error. ÷ (error x − q·y) and √
/// (error x − s²) are handled the same way.
///
/// Assumes: the FPU rounds to nearest (the C default; the library switches mode only inside the
/// `RoundingScope` of core/rounding.hpp, for kernels that run no Interval operation, and restores
/// the caller's mode when the scope ends), binary64 without extended intermediates (env.hpp), a
/// correctly rounded `std::fma` (IEEE 754 operation; glibc uses the hardware instruction).
///
/// Construction is explicit: from an integer (exact, or enclosed if |v| > 2^53), from a double
/// (exact: a double is a dyadic number), from two endpoints, or from decimal / rational text via
/// `Interval::from_text("0.1")` (exact.hpp) which encloses the real number the text spells.
/// There is no implicit conversion from anything, and no comparison operator: use
/// `certainly_less` / `possibly_less` and friends.

#include "certiformer/core/env.hpp"

#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/numeric/interval.hpp>

namespace certiformer {

namespace detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kMax = std::numeric_limits<double>::max();
inline constexpr double kTiny = 0x1p-960;  // below this, error-free transforms may be inexact

/// Smallest double > x (x itself for +inf and NaN).
inline double next_up(double x) noexcept {
  if (!(x < kInf)) return x;
  if (x == 0.0) return std::numeric_limits<double>::denorm_min();
  auto b = std::bit_cast<std::uint64_t>(x);
  b = (x > 0.0) ? b + 1 : b - 1;
  return std::bit_cast<double>(b);
}
/// Largest double < x (x itself for −inf and NaN).
inline double next_down(double x) noexcept { return -next_up(-x); }

/// Directed rounding by error-free transformations in round-to-nearest (see file comment).
/// Each *_down returns the largest double ≤ the exact result (or something smaller near
/// underflow / overflow), each *_up the smallest double ≥ it (or something larger).
struct eft_rounding {
  // --- addition -----------------------------------------------------------------------------
  // TwoSum (Knuth): s = RN(x+y), err = (x+y) − s exactly when no overflow occurs.
  static double add_down(double x, double y) noexcept {
    const double s = x + y;
    if (std::isfinite(s)) {
      const double bb = s - x;
      const double err = (x - (s - bb)) + (y - bb);
      if (!std::isfinite(err)) return next_down(s);
      return err < 0.0 ? next_down(s) : s;
    }
    if (std::isnan(s)) return -kInf;                      // −∞ + +∞: unbounded below
    if (std::isfinite(x) && std::isfinite(y)) return s > 0 ? kMax : -kInf;  // overflow
    return s;
  }
  static double add_up(double x, double y) noexcept { return -add_down(-x, -y); }
  static double sub_down(double x, double y) noexcept { return add_down(x, -y); }
  static double sub_up(double x, double y) noexcept { return -add_down(-x, y); }

  // --- multiplication -------------------------------------------------------------------------
  // p = RN(xy); RD(xy) is p or its predecessor, depending on the sign of the error xy − p.
  static double mul_down(double x, double y) noexcept {
    if (x == 0.0 || y == 0.0) return 0.0;  // includes 0 × ∞ := 0 (interval convention)
    const double p = x * y;
    if (std::isfinite(p)) return mul_error_sign(x, y, p) < 0 ? next_down(p) : p;
    if (std::isnan(p)) return -kInf;
    if (std::isfinite(x) && std::isfinite(y)) return p > 0 ? kMax : -kInf;
    return p;
  }
  static double mul_up(double x, double y) noexcept { return -mul_down(-x, y); }

  // --- division -------------------------------------------------------------------------------
  // q = RN(x/y); the exact quotient is q + (x − qy)/y, so it lies below q iff the remainder
  // x − qy and y have opposite signs.
  static double div_down(double x, double y) noexcept {
    if (x == 0.0) return 0.0;
    const double q = x / y;
    if (std::isnan(q)) return -kInf;
    if (std::isfinite(q) && std::isfinite(x) && std::isfinite(y)) {
      const int r = div_remainder_sign(x, y, q);
      const bool exact_below = (r < 0 && y > 0.0) || (r > 0 && y < 0.0);
      return exact_below ? next_down(q) : q;
    }
    if (std::isinf(q) && std::isfinite(x) && std::isfinite(y)) return q > 0 ? kMax : -kInf;
    return q;  // exact limits with infinite operands (x/∞ = 0, ∞/y = ±∞)
  }
  static double div_up(double x, double y) noexcept { return -div_down(-x, y); }

  // --- square root ----------------------------------------------------------------------------
  // s = RN(√x); √x < s iff x − s² < 0.
  static double sqrt_down(double x) noexcept {
    if (x == 0.0 || x == kInf) return std::sqrt(x);
    const double s = std::sqrt(x);
    return sqrt_error_sign(x, s) < 0 ? next_down(s) : s;
  }
  static double sqrt_up(double x) noexcept {
    if (x == 0.0 || x == kInf) return std::sqrt(x);
    const double s = std::sqrt(x);
    return sqrt_error_sign(x, s) > 0 ? next_up(s) : s;
  }

  // --- scaling by 2^k ---------------------------------------------------------------------------
  // r = RN(v·2^k) (std::ldexp is exact or correctly rounded); it is inexact only on underflow
  // (then r·2^-k is exact: a scaling up of a double, or it overflows, which is on the right side
  // too) or overflow. RD(v·2^k) is r or its predecessor depending on the sign of v − r·2^-k.
  static double ldexp_down(double v, int k) noexcept {
    const double r = std::ldexp(v, k);
    if (v == 0.0 || !std::isfinite(v)) return r;
    if (std::isinf(r)) return r > 0 ? kMax : -kInf;
    if (r == 0.0) return v < 0.0 ? -std::numeric_limits<double>::denorm_min() : 0.0;
    return v < std::ldexp(r, -k) ? next_down(r) : r;
  }
  static double ldexp_up(double v, int k) noexcept { return -ldexp_down(-v, k); }

  // --- signs of the rounding errors (the one place the FMA tricks live) ------------------------
  /// Exponent of the last significand bit of a finite nonzero double (−1074 for subnormals).
  static int ulp_exponent(double v) noexcept { return (std::ilogb(v) < -1022 ? -1022 : std::ilogb(v)) - 52; }
  static int sign_of(double v) noexcept { return (v > 0.0) - (v < 0.0); }
  /// sign(xy − p) for finite nonzero x, y and p = RN(xy) (finite). The error is a multiple of
  /// 2^(ulpexp x + ulpexp y); fma gives RN(error), which has the error's sign unless the error is
  /// nonzero and below 2^-1074. If |p| ≥ 2^-960 the exponent sum is ≥ −1065 (no such error);
  /// otherwise x and p are scaled by 2^k, k = −1074 − ulpexp x − ulpexp y, so the scaled error
  /// is a multiple of 2^-1074 (|x·2^k| < 2^53 and |p·2^k| < 2^-960: both scalings are exact).
  static int mul_error_sign(double x, double y, double p) noexcept {
    if (std::fabs(p) >= kTiny) return sign_of(std::fma(x, y, -p));
    const int k = -1074 - ulp_exponent(x) - ulp_exponent(y);
    if (k <= 0) return sign_of(std::fma(x, y, -p));
    return sign_of(std::fma(std::ldexp(x, k), y, -std::ldexp(p, k)));
  }
  /// sign(x − qy) for finite nonzero x, y and q = RN(x/y) (finite). q = 0: the remainder is x.
  /// The remainder is a multiple of 2^min(−1074, ulpexp q + ulpexp y); if that exponent sum is
  /// below −1074 (never when |q|, |x| ≥ 2^-960), x and y are scaled by 2^k, k = −1074 − ulpexp q −
  /// ulpexp y > 0 (q = x/y is unchanged; |y·2^k| < 2^53 and |x·2^k| < 2^-960: exact).
  static int div_remainder_sign(double x, double y, double q) noexcept {
    if (q == 0.0) return sign_of(x);
    if (std::fabs(q) >= kTiny && std::fabs(x) >= kTiny) return sign_of(std::fma(-q, y, x));
    const int k = -1074 - ulp_exponent(q) - ulp_exponent(y);
    if (k <= 0) return sign_of(std::fma(-q, y, x));
    return sign_of(std::fma(-q, std::ldexp(y, k), std::ldexp(x, k)));
  }
  /// sign(x − s²) for finite x > 0 and s = RN(√x). The error is a multiple of
  /// 2^min(ulpexp x, 2 ulpexp s); for x < 2^-960, 2 ulpexp s can be below −1074, so x is scaled by
  /// 2^1074 and s by 2^537 (exact; the scaled error is a multiple of 2^-104).
  static int sqrt_error_sign(double x, double s) noexcept {
    if (x >= kTiny) return sign_of(std::fma(-s, s, x));
    const double ss = std::ldexp(s, 537);
    return sign_of(std::fma(-ss, ss, std::ldexp(x, 1074)));
  }

  // --- misc hooks used by boost::numeric::interval ---------------------------------------------
  void init() noexcept {}
  template <class U> double conv_down(const U& v) noexcept {
    static_assert(std::is_same_v<U, double>, "only exact double conversions");
    return v;
  }
  template <class U> double conv_up(const U& v) noexcept {
    static_assert(std::is_same_v<U, double>, "only exact double conversions");
    return v;
  }
  static double median(double x, double y) noexcept { return x * 0.5 + y * 0.5; }
  static double int_down(double x) noexcept { return std::floor(x); }
  static double int_up(double x) noexcept { return std::ceil(x); }
};

/// Checking policy: NaN endpoints and empty intervals are refused with an exception.
struct interval_checking {
  static double pos_inf() noexcept { return kInf; }
  static double neg_inf() noexcept { return -kInf; }
  [[noreturn]] static double nan() { throw std::domain_error("certiformer::Interval: NaN produced"); }
  static bool is_nan(double x) noexcept { return x != x; }
  [[noreturn]] static double empty_lower() {
    throw std::domain_error("certiformer::Interval: empty interval produced");
  }
  [[noreturn]] static double empty_upper() {
    throw std::domain_error("certiformer::Interval: empty interval produced");
  }
  static bool is_empty(double l, double u) noexcept { return !(l <= u); }
};

using boost_interval =
    boost::numeric::interval<double, boost::numeric::interval_lib::policies<eft_rounding, interval_checking>>;

}  // namespace detail

class Interval {
 public:
  using base_type = detail::boost_interval;

  /// The point 0.
  Interval() noexcept : b_(0.0, 0.0, true) {}
  /// Exact integer (enclosed when |v| > 2^53 is not representable).
  template <class I>
    requires(std::integral<I> && !std::same_as<I, bool>)
  explicit Interval(I v) {
    const double d = static_cast<double>(v);  // RN
    if constexpr (sizeof(I) <= 4) {
      b_ = base_type(d, d, true);
    } else {
      // |v| < 2^63; d is exact iff converting back gives v (guard the 2^63 edge).
      const bool exact = std::fabs(d) < 0x1p63 && static_cast<I>(d) == v;
      b_ = exact ? base_type(d, d, true) : base_type(detail::next_down(d), detail::next_up(d), true);
    }
  }
  /// The exact dyadic value of a double. Throws std::domain_error for NaN and ±∞ ([∞, ∞] is
  /// not an interval of reals; use Interval(lo, +inf) for a half-line).
  explicit Interval(double v) : b_(check_finite(v), v, true) {}
  /// [lo, hi]; throws std::domain_error unless lo ≤ hi (NaN refused), and for [+∞, +∞] and
  /// [−∞, −∞], which contain no real number (IEEE 1788: an interval is a set of reals, so a
  /// nonempty one has lo < +∞ and hi > −∞). The empty set cannot be represented at all.
  Interval(double lo, double hi) : b_(check(lo), check(hi), true) {
    if (!(lo <= hi)) throw std::domain_error("Interval(lo, hi): lo > hi");
    if (lo == detail::kInf || hi == -detail::kInf)
      throw std::domain_error("Interval(lo, hi): [" + std::to_string(lo) + ", " + std::to_string(hi) +
                              "] contains no real number");
  }
  explicit Interval(const base_type& b) : b_(b) {}

  /// Encloses the real number spelled by decimal text ("0.1", "-2.5e-3"), a rational ("1/3"),
  /// or a C99 hex float ("0x1.8p+3"). Throws std::invalid_argument on anything else. (exact.hpp)
  static Interval from_text(std::string_view text);
  /// Everything: [−∞, +∞].
  static Interval entire() noexcept { return Interval(base_type(-detail::kInf, detail::kInf, true)); }

  double lower() const noexcept { return b_.lower(); }
  double upper() const noexcept { return b_.upper(); }
  const base_type& base() const noexcept { return b_; }

  Interval& operator+=(const Interval& y) { b_ += y.b_; return *this; }
  Interval& operator-=(const Interval& y) { b_ -= y.b_; return *this; }
  Interval& operator*=(const Interval& y) { b_ *= y.b_; return *this; }
  Interval& operator/=(const Interval& y);

  friend Interval operator+(const Interval& x, const Interval& y) { return Interval(x.b_ + y.b_); }
  friend Interval operator-(const Interval& x, const Interval& y) { return Interval(x.b_ - y.b_); }
  friend Interval operator*(const Interval& x, const Interval& y) { return Interval(x.b_ * y.b_); }
  friend Interval operator/(const Interval& x, const Interval& y) { Interval r = x; r /= y; return r; }
  friend Interval operator-(const Interval& x) { return Interval(-x.b_); }
  friend Interval operator+(const Interval& x) { return x; }

  // No ordering operators and no implicit bool: they would hide a three-valued comparison.
  template <class U> friend bool operator<(const Interval&, const U&) = delete;
  template <class U> friend bool operator>(const Interval&, const U&) = delete;
  template <class U> friend bool operator<=(const Interval&, const U&) = delete;
  template <class U> friend bool operator>=(const Interval&, const U&) = delete;
  /// == and != are *set* equality (IEEE 1788 `equal`): same endpoints. Not a comparison of
  /// the enclosed reals — for those use certainly_* / possibly_*. (Eigen needs them.)
  friend bool operator==(const Interval& a, const Interval& b) noexcept;
  friend bool operator!=(const Interval& a, const Interval& b) noexcept { return !(a == b); }

 private:
  static double check_finite(double v) {
    if (!std::isfinite(v)) throw std::domain_error("Interval(v): v must be finite");
    return v;
  }
  static double check(double v) {
    if (v != v) throw std::domain_error("Interval: NaN endpoint");
    return v;
  }
  base_type b_;
};

inline Interval& Interval::operator/=(const Interval& y) {
  if (y.lower() <= 0.0 && y.upper() >= 0.0)
    throw std::domain_error("Interval division by an interval containing 0: [" +
                            std::to_string(y.lower()) + ", " + std::to_string(y.upper()) + "]");
  b_ /= y.b_;
  return *this;
}

// ---- IEEE 1788 queries ------------------------------------------------------------------------
inline double inf(const Interval& x) noexcept { return x.lower(); }
inline double sup(const Interval& x) noexcept { return x.upper(); }
/// IEEE 1788 mid: the double nearest to (inf + sup)/2 (ties to even; 0 is returned as +0) for a
/// bounded interval, 0 for the entire line, −DBL_MAX for [−∞, b], +DBL_MAX for [a, +∞]. It
/// lies in x (RN is monotone and inf, sup are doubles).
/// Method: s = RN(inf + sup) and m = s/2 round once in total — if s is inexact then
/// |inf + sup| ≥ 2^-1021, so halving is exact; if |inf + sup| < 2^-1021 the sum is exact and only
/// the halving rounds. If inf + sup overflows, both halves are exact (|inf|, |sup| > 2^969) and
/// m = RN(inf/2 + sup/2). Never 0.5·inf + 0.5·sup in the subnormal range (two roundings).
inline double mid(const Interval& x) noexcept {
  const double l = x.lower(), u = x.upper();
  if (l == -detail::kInf) return u == detail::kInf ? 0.0 : -detail::kMax;
  if (u == detail::kInf) return detail::kMax;
  const double s = l + u;
  const double m = std::isfinite(s) ? s * 0.5 : l * 0.5 + u * 0.5;
  return m == 0.0 ? 0.0 : m;
}
/// IEEE 1788 rad: the smallest double r with [mid − r, mid + r] ⊇ x, i.e. RU(max(mid − inf,
/// sup − mid)) with mid = mid(x) (+∞ for unbounded x).
inline double rad(const Interval& x) noexcept {
  const double m = mid(x);
  const double a = detail::eft_rounding::sub_up(m, x.lower());
  const double b = detail::eft_rounding::sub_up(x.upper(), m);
  return a > b ? a : b;
}
/// IEEE 1788 wid: RU(sup − inf), the smallest double ≥ the width (+∞ if unbounded or if the
/// width exceeds DBL_MAX).
inline double wid(const Interval& x) noexcept { return detail::eft_rounding::sub_up(x.upper(), x.lower()); }
/// max |x| over the interval (exact).
inline double mag(const Interval& x) noexcept { return std::fmax(std::fabs(x.lower()), std::fabs(x.upper())); }
/// min |x| over the interval (exact).
inline double mig(const Interval& x) noexcept {
  if (x.lower() <= 0.0 && x.upper() >= 0.0) return 0.0;
  return std::fmin(std::fabs(x.lower()), std::fabs(x.upper()));
}
inline bool is_empty(const Interval&) noexcept { return false; }  // empty intervals are never built
inline bool is_point(const Interval& x) noexcept { return x.lower() == x.upper(); }
inline bool is_bounded(const Interval& x) noexcept { return std::isfinite(x.lower()) && std::isfinite(x.upper()); }
/// IEEE 1788 isMember: v is a real number in x. ±∞ and NaN are not real numbers, so they are
/// members of no interval (not even of the entire line).
inline bool is_member(double v, const Interval& x) noexcept {
  return std::isfinite(v) && x.lower() <= v && v <= x.upper();
}
inline bool contains_zero(const Interval& x) noexcept { return is_member(0.0, x); }
/// a ⊆ b.
inline bool subset(const Interval& a, const Interval& b) noexcept {
  return b.lower() <= a.lower() && a.upper() <= b.upper();
}
/// a ⊆ interior(b) (infinite endpoints of b count as interior).
inline bool interior(const Interval& a, const Interval& b) noexcept {
  const bool lo = b.lower() < a.lower() || (b.lower() == -detail::kInf && a.lower() == -detail::kInf);
  const bool hi = a.upper() < b.upper() || (b.upper() == detail::kInf && a.upper() == detail::kInf);
  return lo && hi;
}
inline bool disjoint(const Interval& a, const Interval& b) noexcept {
  return a.upper() < b.lower() || b.upper() < a.lower();
}
/// a ∩ b, or std::nullopt when it is empty (the empty set is not an Interval).
inline std::optional<Interval> intersection(const Interval& a, const Interval& b) {
  if (disjoint(a, b)) return std::nullopt;
  return Interval(std::fmax(a.lower(), b.lower()), std::fmin(a.upper(), b.upper()));
}
/// The smallest interval containing a and b.
inline Interval convex_hull(const Interval& a, const Interval& b) {
  return Interval(std::fmin(a.lower(), b.lower()), std::fmax(a.upper(), b.upper()));
}
/// Both endpoints identical (the same point). Equality of sets.
inline bool equal(const Interval& a, const Interval& b) noexcept {
  return a.lower() == b.lower() && a.upper() == b.upper();
}

// ---- three-valued comparisons -----------------------------------------------------------------
/// certainly_less(a, b): every element of a is < every element of b.
inline bool certainly_less(const Interval& a, const Interval& b) noexcept { return a.upper() < b.lower(); }
inline bool certainly_less_equal(const Interval& a, const Interval& b) noexcept { return a.upper() <= b.lower(); }
inline bool certainly_greater(const Interval& a, const Interval& b) noexcept { return certainly_less(b, a); }
inline bool certainly_greater_equal(const Interval& a, const Interval& b) noexcept { return certainly_less_equal(b, a); }
/// possibly_less(a, b): some element of a is < some element of b.
inline bool possibly_less(const Interval& a, const Interval& b) noexcept { return a.lower() < b.upper(); }
inline bool possibly_less_equal(const Interval& a, const Interval& b) noexcept { return a.lower() <= b.upper(); }
inline bool possibly_greater(const Interval& a, const Interval& b) noexcept { return possibly_less(b, a); }
inline bool possibly_greater_equal(const Interval& a, const Interval& b) noexcept { return possibly_less_equal(b, a); }
inline bool certainly_positive(const Interval& a) noexcept { return a.lower() > 0.0; }
inline bool certainly_negative(const Interval& a) noexcept { return a.upper() < 0.0; }
inline bool certainly_nonnegative(const Interval& a) noexcept { return a.lower() >= 0.0; }
inline bool possibly_zero(const Interval& a) noexcept { return contains_zero(a); }

// ---- exact elementary operations (rounding only at the endpoints) -----------------------------
/// {|v| : v ∈ x} = [mig, mag].
inline Interval abs(const Interval& x) { return Interval(mig(x), mag(x)); }
/// {v² : v ∈ x} (tighter than x·x when 0 ∈ x).
inline Interval sqr(const Interval& x) { return Interval(boost::numeric::square(x.base())); }
/// Encloses: {√v : v ∈ x, v ≥ 0} — the tightest enclosure (endpoints RD(√inf), RU(√sup)), which
///   is IEEE 1788's sqrt(x): a lower endpoint below 0 is cut to 0 (`sqrt([−1, 4])` = [0, 2]).
/// Assumes: the caller's quantity is ≥ 0 by construction when inf(x) < 0 (a sum of squares, a
///   norm², whose enclosure dips below 0 through dependency). This cut is the one documented
///   exception to "an interval reaching strictly outside the domain throws" (docs/core.md,
///   "Domain boundaries"): √ is finite and continuous at its boundary point 0, so the cut result
///   is bounded and is exactly the 1788 set; log, log1p and negative powers, whose value at the
///   boundary is infinite, throw instead.
/// Checks / Failure: sup(x) < 0 (no real square root at all; 1788 would return the empty set)
///   throws std::domain_error naming the bounds.
/// Method: endpoints by the EFT rounding policy (exact directed roundings, subnormals included).
inline Interval sqrt(const Interval& x) {
  if (x.upper() < 0.0)
    throw std::domain_error("sqrt of a negative interval [" + std::to_string(x.lower()) + ", " +
                            std::to_string(x.upper()) + "]");
  return Interval(boost::numeric::sqrt(x.base()));
}
/// Encloses {v · 2^k : v ∈ x}: [RD(inf·2^k), RU(sup·2^k)], exact unless an end under/overflows,
/// and then the directed rounding (never a bound of the wrong sign: ldexp([1, 1], −1075) =
/// [0, 2^-1074]). Method: detail::eft_rounding::ldexp_down / ldexp_up.
inline Interval ldexp(const Interval& x, int k) {
  return Interval(detail::eft_rounding::ldexp_down(x.lower(), k), detail::eft_rounding::ldexp_up(x.upper(), k));
}
/// Hull of pointwise min / max.
inline Interval min(const Interval& a, const Interval& b) {
  return Interval(std::fmin(a.lower(), b.lower()), std::fmin(a.upper(), b.upper()));
}
inline Interval max(const Interval& a, const Interval& b) {
  return Interval(std::fmax(a.lower(), b.lower()), std::fmax(a.upper(), b.upper()));
}

}  // namespace certiformer

namespace certiformer {
inline bool operator==(const Interval& a, const Interval& b) noexcept { return equal(a, b); }
}  // namespace certiformer
