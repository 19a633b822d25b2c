#pragma once
/// certiformer/core/mp_interval.hpp — `MpInterval`: interval with MPFR endpoints of run-time
/// precision (in bits), backed by MPFI, the library behind Boost.Multiprecision's `mpfi_float`.
///
/// Why not `boost::multiprecision::mpfi_float` itself: in Boost 1.74 its precision is set in
/// decimal digits (so 256 bits cannot be asked for exactly: 77 digits give 257 bits), and a
/// result takes the global default precision rather than a scoped one. certiformer needs exact
/// bit counts in certificates and a scoped precision, so `MpInterval` owns an `mpfi_t` directly
/// and exposes the same free-function API as `Interval`; Boost.Multiprecision's `mpfr_float` is
/// used for midpoints and approximate (non-rigorous) linear algebra on them.
///
/// Inclusion principle: every operation returns an interval that contains the exact result for
/// all real arguments in the argument intervals (MPFI rounds each endpoint outward). Results
/// are computed at the *current precision* `mp_precision()`, set with `MpPrecisionScope`.

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"

#include <concepts>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <mpfi.h>
#include <mpfr.h>

#include <boost/multiprecision/mpfr.hpp>

namespace certiformer {

/// Multiprecision real used for midpoints / approximate computations (not rigorous by itself).
using MpReal = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                             boost::multiprecision::et_off>;

/// Current MpInterval precision in bits for this thread (default 256).
unsigned mp_precision() noexcept;

/// RAII: sets the MpInterval precision (bits ≥ 2) for this thread, and the default precision of
/// `MpReal`, and restores both on destruction.
class MpPrecisionScope {
 public:
  explicit MpPrecisionScope(unsigned bits);
  ~MpPrecisionScope();
  MpPrecisionScope(const MpPrecisionScope&) = delete;
  MpPrecisionScope& operator=(const MpPrecisionScope&) = delete;

 private:
  unsigned saved_bits_;
  unsigned saved_real_digits10_;
};

class MpInterval {
 public:
  /// The point 0 at the current precision.
  MpInterval() { mpfi_init2(x_, mp_precision()); mpfi_set_ui(x_, 0); }
  template <class I>
    requires(std::integral<I> && !std::same_as<I, bool>)
  explicit MpInterval(I v) {
    mpfi_init2(x_, mp_precision());
    if constexpr (std::is_signed_v<I>) mpfi_set_si(x_, static_cast<long>(v));
    else mpfi_set_ui(x_, static_cast<unsigned long>(v));
  }
  /// The exact value of a double (enclosed if the precision is < 53 bits). NaN is refused.
  explicit MpInterval(double v);
  /// Encloses an Interval (exact when the precision is ≥ 53 bits).
  explicit MpInterval(const Interval& v);
  /// [lo, hi] from MPFR numbers (outward rounded to the current precision). Throws
  /// std::domain_error for NaN, lo > hi, and [+∞, +∞] / [−∞, −∞] (no real number in them).
  MpInterval(const MpReal& lo, const MpReal& hi);
  MpInterval(const MpInterval& o) { mpfi_init2(x_, mpfi_get_prec(o.x_)); mpfi_set(x_, o.x_); }
  MpInterval(MpInterval&& o) noexcept { mpfi_init2(x_, mpfi_get_prec(o.x_)); mpfi_swap(x_, o.x_); }
  MpInterval& operator=(const MpInterval& o) {
    if (this != &o) {
      if (mpfi_get_prec(x_) != mpfi_get_prec(o.x_)) mpfi_set_prec(x_, mpfi_get_prec(o.x_));
      mpfi_set(x_, o.x_);
    }
    return *this;
  }
  MpInterval& operator=(MpInterval&& o) noexcept { mpfi_swap(x_, o.x_); return *this; }
  ~MpInterval() { mpfi_clear(x_); }

  /// Encloses the real number spelled by the text, at the current precision (exact.hpp).
  static MpInterval from_text(std::string_view text);
  static MpInterval entire();

  mpfi_ptr data() noexcept { return x_; }
  mpfi_srcptr data() const noexcept { return x_; }
  unsigned precision() const noexcept { return static_cast<unsigned>(mpfi_get_prec(x_)); }

  MpInterval& operator+=(const MpInterval& y) { mpfi_add(x_, x_, y.x_); return *this; }
  MpInterval& operator-=(const MpInterval& y) { mpfi_sub(x_, x_, y.x_); return *this; }
  MpInterval& operator*=(const MpInterval& y) { mpfi_mul(x_, x_, y.x_); return *this; }
  MpInterval& operator/=(const MpInterval& y);

  friend MpInterval operator+(const MpInterval& a, const MpInterval& b) { MpInterval r; mpfi_add(r.x_, a.x_, b.x_); return r; }
  friend MpInterval operator-(const MpInterval& a, const MpInterval& b) { MpInterval r; mpfi_sub(r.x_, a.x_, b.x_); return r; }
  friend MpInterval operator*(const MpInterval& a, const MpInterval& b) { MpInterval r; mpfi_mul(r.x_, a.x_, b.x_); return r; }
  friend MpInterval operator/(const MpInterval& a, const MpInterval& b) { MpInterval r(a); r /= b; return r; }
  friend MpInterval operator-(const MpInterval& a) { MpInterval r; mpfi_neg(r.x_, a.x_); return r; }
  friend MpInterval operator+(const MpInterval& a) { return a; }

  template <class U> friend bool operator<(const MpInterval&, const U&) = delete;
  template <class U> friend bool operator>(const MpInterval&, const U&) = delete;
  template <class U> friend bool operator<=(const MpInterval&, const U&) = delete;
  template <class U> friend bool operator>=(const MpInterval&, const U&) = delete;
  /// == and != are *set* equality (IEEE 1788 `equal`): same endpoints. Not a comparison of
  /// the enclosed reals — for those use certainly_* / possibly_*. (Eigen needs them.)
  friend bool operator==(const MpInterval& a, const MpInterval& b) noexcept;
  friend bool operator!=(const MpInterval& a, const MpInterval& b) noexcept { return !(a == b); }

 private:
  mpfi_t x_;
};

// ---- IEEE 1788 queries (endpoints are exact MPFR copies) --------------------------------------
MpReal inf(const MpInterval& x);
MpReal sup(const MpInterval& x);
/// The midpoint as for Interval (IEEE 1788): (inf + sup)/2 rounded to nearest once, at
/// precision(x) + 1 bits (so usually exact), for bounded x; 0 for the entire line; −DBL_MAX for
/// [−∞, b] and +DBL_MAX for [a, +∞] — the same numbers as Interval's mid — or b (a) itself when
/// it lies beyond ∓DBL_MAX. Always a finite number in x.
MpReal mid(const MpInterval& x);
/// Upper bound of the radius about mid(x).
MpReal rad(const MpInterval& x);
/// Upper bound of the width.
MpReal wid(const MpInterval& x);
MpReal mag(const MpInterval& x);
MpReal mig(const MpInterval& x);
inline bool is_empty(const MpInterval&) noexcept { return false; }
bool is_point(const MpInterval& x) noexcept;
bool is_bounded(const MpInterval& x) noexcept;
bool contains_zero(const MpInterval& x) noexcept;
bool subset(const MpInterval& a, const MpInterval& b) noexcept;
bool interior(const MpInterval& a, const MpInterval& b) noexcept;
bool disjoint(const MpInterval& a, const MpInterval& b) noexcept;
std::optional<MpInterval> intersection(const MpInterval& a, const MpInterval& b);
MpInterval convex_hull(const MpInterval& a, const MpInterval& b);
bool equal(const MpInterval& a, const MpInterval& b) noexcept;
/// v ∈ x for a double v (IEEE 1788 isMember: ±∞ and NaN are members of nothing).
bool is_member(double v, const MpInterval& x) noexcept;
/// Interval a ⊆ MpInterval b and the converse (exact comparisons of the endpoints).
bool subset(const Interval& a, const MpInterval& b) noexcept;
bool subset(const MpInterval& a, const Interval& b) noexcept;

bool certainly_less(const MpInterval& a, const MpInterval& b) noexcept;
bool certainly_less_equal(const MpInterval& a, const MpInterval& b) noexcept;
inline bool certainly_greater(const MpInterval& a, const MpInterval& b) noexcept { return certainly_less(b, a); }
inline bool certainly_greater_equal(const MpInterval& a, const MpInterval& b) noexcept { return certainly_less_equal(b, a); }
bool possibly_less(const MpInterval& a, const MpInterval& b) noexcept;
bool possibly_less_equal(const MpInterval& a, const MpInterval& b) noexcept;
inline bool possibly_greater(const MpInterval& a, const MpInterval& b) noexcept { return possibly_less(b, a); }
inline bool possibly_greater_equal(const MpInterval& a, const MpInterval& b) noexcept { return possibly_less_equal(b, a); }
bool certainly_positive(const MpInterval& a) noexcept;
bool certainly_negative(const MpInterval& a) noexcept;
bool certainly_nonnegative(const MpInterval& a) noexcept;
inline bool possibly_zero(const MpInterval& a) noexcept { return contains_zero(a); }

MpInterval abs(const MpInterval& x);
MpInterval sqr(const MpInterval& x);
/// As for Interval (see its doc block): the tightest enclosure of {√v : v ∈ x, v ≥ 0} — a
/// negative lower endpoint is cut to 0 (IEEE 1788's sqrt) — and std::domain_error if sup < 0.
MpInterval sqrt(const MpInterval& x);
MpInterval ldexp(const MpInterval& x, int k);
MpInterval min(const MpInterval& a, const MpInterval& b);
MpInterval max(const MpInterval& a, const MpInterval& b);

/// Outward rounding of an MpInterval to binary64 endpoints.
Interval to_interval(const MpInterval& x);

}  // namespace certiformer
