#pragma once
/// certiformer/core/bound.hpp — typed one-sided bounds: `UpperBound<R>` and `LowerBound<R>`
/// for R ∈ {double, MpReal} (docs/core.md, "One-sided bounds").
///
/// An `UpperBound<R>` holds a number b that is *guaranteed* to be ≥ some real quantity q (a norm,
/// a logarithmic norm, an eigenvalue, an error); a `LowerBound<R>` holds a ≤ q. The number says
/// nothing about the other side: q may be much smaller than b. That is why a bound is a type of
/// its own and not a real or an interval:
///  * no implicit conversion to a real (`value()` reads the number) nor to an interval: the
///    conversions are named — `enclosure()` gives [−∞, b] (lower twin: [a, +∞]),
///    `enclosure_nonnegative()` gives [0, b] for a quantity that is ≥ 0 by definition;
///  * construction is explicit — `UpperBound<R>::sup_of(x)` (the sup of an enclosure x ∋ q),
///    `LowerBound<R>::inf_of(x)`, or `UpperBound<R>(b)` for a number the caller has proved to be
///    ≥ q by other means (Assumes), `exact(v)` for a known value, `infinity()`;
///  * the arithmetic below preserves the guarantee: every result is rounded in the direction that
///    keeps it a bound (upward for upper bounds, downward for lower bounds), and operations that
///    are valid only for non-negative quantities check what they can and say the rest (Assumes).
///
/// Rounding: binary64 +, −, ×, ÷, √ are done by out-of-line kernels inside the library's one
/// `RoundingScope` (core/rounding.hpp, kernel convention; lib/src/core/bound.cpp); exp and log of
/// a binary64 bound are the endpoints of the `Interval` enclosures of core/elementary.hpp (no libm
/// call is trusted); MpReal operations are MPFR's correctly rounded MPFR_RNDU / MPFR_RNDD at the
/// current `mp_precision()` (no FPU mode is involved).
///
/// Values: a bound is a non-NaN extended real; an upper bound may be +∞ (nothing known) but not
/// −∞ (no real quantity is below every real), a lower bound may be −∞ but not +∞. Violations
/// throw std::domain_error.
///
/// Model: Arb's `mag_t` (an upper bound of a non-negative real with upward arithmetic) — here
/// signed, at the library's two precisions, and with a lower twin.

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"

#include <type_traits>

namespace certiformer {

template <class R> class UpperBound;
template <class R> class LowerBound;

namespace detail {
template <class R> inline constexpr bool is_bound_real_v = std::is_same_v<R, double> || std::is_same_v<R, MpReal>;
template <class R> struct bound_interval;
template <> struct bound_interval<double> { using type = Interval; };
template <> struct bound_interval<MpReal> { using type = MpInterval; };

/// The operations of lib/src/core/bound.cpp. `up` selects the rounding direction.
enum class BoundOp { add, sub, mul, div, sqrt, exp, log, neg };
double bound_op(BoundOp op, bool up, const double& a, const double& b);
MpReal bound_op(BoundOp op, bool up, const MpReal& a, const MpReal& b);
/// Refuses NaN and the infinity that no bound of a real may be (+∞ for lower, −∞ for upper).
void bound_check(const double& v, bool upper, const char* who);
void bound_check(const MpReal& v, bool upper, const char* who);
template <class R> bool bound_less(const R& a, const R& b) { return a < b; }
}  // namespace detail

/// The interval type of a bound's real: Interval for double, MpInterval for MpReal.
template <class R> using bound_interval_t = typename detail::bound_interval<R>::type;

/// Encloses: nothing — a guaranteed upper bound b ≥ q of a real quantity q.
/// Assumes: (for the explicit constructor) the caller has proved b ≥ q.
/// Checks: b is not NaN and not −∞. Failure: std::domain_error.
/// Method: a value type over R; see the file comment for the arithmetic.
template <class R> class UpperBound {
  static_assert(detail::is_bound_real_v<R>, "UpperBound<R>: R must be double or MpReal");

 public:
  using real_type = R;
  using interval_type = bound_interval_t<R>;

  /// b, proved by the caller to be ≥ the quantity.
  explicit UpperBound(const R& b) : v_(b) { detail::bound_check(v_, true, "UpperBound"); }
  /// The sup of an enclosure x ∋ q: a bound of q (and of every member of x).
  static UpperBound sup_of(const interval_type& x) { return UpperBound(certiformer::sup(x)); }
  /// A quantity known exactly (e.g. the norm of an empty matrix, 0).
  static UpperBound exact(const R& v) { return UpperBound(v); }
  /// +∞: no information.
  static UpperBound infinity() { return UpperBound(R(std::numeric_limits<double>::infinity())); }

  /// The bound b itself (a real ≥ q; not the quantity).
  const R& value() const noexcept { return v_; }
  bool is_finite() const;

  /// [−∞, b] ∋ q. Encloses: q. Never fails.
  interval_type enclosure() const { return interval_type(R(-std::numeric_limits<double>::infinity()), v_); }
  /// [0, b] ∋ q for a quantity that is ≥ 0 by its definition (a norm, an error).
  /// Assumes: q ≥ 0. Checks: b ≥ 0 (else q ≥ 0 is contradicted). Failure: std::domain_error.
  interval_type enclosure_nonnegative() const {
    if (v_ < 0) throw std::domain_error("UpperBound::enclosure_nonnegative: the bound is negative");
    return interval_type(R(0), v_);
  }

  /// Checks: the quantity certainly satisfies q ≤ c (b ≤ c).
  bool proves_at_most(const R& c) const { return v_ <= c; }
  /// Checks: the quantity certainly satisfies q < c (b < c).
  bool proves_below(const R& c) const { return v_ < c; }

 private:
  R v_;
};

/// Encloses: nothing — a guaranteed lower bound a ≤ q of a real quantity q (the twin of
/// UpperBound). Checks: a is not NaN and not +∞. Failure: std::domain_error.
template <class R> class LowerBound {
  static_assert(detail::is_bound_real_v<R>, "LowerBound<R>: R must be double or MpReal");

 public:
  using real_type = R;
  using interval_type = bound_interval_t<R>;

  /// a, proved by the caller to be ≤ the quantity.
  explicit LowerBound(const R& a) : v_(a) { detail::bound_check(v_, false, "LowerBound"); }
  /// The inf of an enclosure x ∋ q.
  static LowerBound inf_of(const interval_type& x) { return LowerBound(certiformer::inf(x)); }
  static LowerBound exact(const R& v) { return LowerBound(v); }
  /// −∞: no information.
  static LowerBound infinity() { return LowerBound(R(-std::numeric_limits<double>::infinity())); }

  /// The bound a itself (a real ≤ q).
  const R& value() const noexcept { return v_; }
  bool is_finite() const;

  /// [a, +∞] ∋ q. Never fails.
  interval_type enclosure() const { return interval_type(v_, R(std::numeric_limits<double>::infinity())); }

  /// Checks: q ≥ c certainly (a ≥ c).
  bool proves_at_least(const R& c) const { return v_ >= c; }
  /// Checks: q > c certainly (a > c).
  bool proves_above(const R& c) const { return v_ > c; }

 private:
  R v_;
};

template <class R> bool UpperBound<R>::is_finite() const {
  if constexpr (std::is_same_v<R, double>) return std::isfinite(v_);
  else return mpfr_number_p(v_.backend().data()) != 0;
}
template <class R> bool LowerBound<R>::is_finite() const {
  if constexpr (std::is_same_v<R, double>) return std::isfinite(v_);
  else return mpfr_number_p(v_.backend().data()) != 0;
}

// ---- arithmetic ------------------------------------------------------------------------------
// Each operation: Encloses nothing; its result is a bound of the combined quantity whenever the
// operands are bounds of theirs (stated per operation). Method: one directed rounding (file
// comment). Failure: std::domain_error where a stated check fails.

/// q₁ + q₂ ≤ b₁ + b₂ (rounded upward).
template <class R> UpperBound<R> operator+(const UpperBound<R>& x, const UpperBound<R>& y) {
  return UpperBound<R>(detail::bound_op(detail::BoundOp::add, true, x.value(), y.value()));
}
/// q₁ + q₂ ≥ a₁ + a₂ (rounded downward).
template <class R> LowerBound<R> operator+(const LowerBound<R>& x, const LowerBound<R>& y) {
  return LowerBound<R>(detail::bound_op(detail::BoundOp::add, false, x.value(), y.value()));
}
/// q₁ − q₂ ≤ b₁ − a₂ (upper bound of q₁ minus lower bound of q₂; rounded upward).
template <class R> UpperBound<R> operator-(const UpperBound<R>& x, const LowerBound<R>& y) {
  return UpperBound<R>(detail::bound_op(detail::BoundOp::sub, true, x.value(), y.value()));
}
/// q₁ − q₂ ≥ a₁ − b₂ (rounded downward).
template <class R> LowerBound<R> operator-(const LowerBound<R>& x, const UpperBound<R>& y) {
  return LowerBound<R>(detail::bound_op(detail::BoundOp::sub, false, x.value(), y.value()));
}
/// −q ≥ −b (exact).
template <class R> LowerBound<R> operator-(const UpperBound<R>& x) { return LowerBound<R>(R(-x.value())); }
/// −q ≤ −a (exact).
template <class R> UpperBound<R> operator-(const LowerBound<R>& x) { return UpperBound<R>(R(-x.value())); }

/// q₁·q₂ ≤ b₁·b₂ (rounded upward). Assumes: q₁ ≥ 0 and q₂ ≥ 0.
/// Checks: b₁ ≥ 0 and b₂ ≥ 0 (necessary for the assumption). Failure: std::domain_error.
template <class R> UpperBound<R> operator*(const UpperBound<R>& x, const UpperBound<R>& y) {
  if (x.value() < 0 || y.value() < 0)
    throw std::domain_error("UpperBound * UpperBound: both quantities must be >= 0 (a bound is negative)");
  if (x.value() == 0 || y.value() == 0) return UpperBound<R>(R(0));  // 0 ≤ q ≤ 0: the product is 0
  return UpperBound<R>(detail::bound_op(detail::BoundOp::mul, true, x.value(), y.value()));
}
/// q₁·q₂ ≥ a₁·a₂ (rounded downward). Checks: a₁ ≥ 0 and a₂ ≥ 0 (then q₁, q₂ ≥ 0).
template <class R> LowerBound<R> operator*(const LowerBound<R>& x, const LowerBound<R>& y) {
  if (x.value() < 0 || y.value() < 0)
    throw std::domain_error("LowerBound * LowerBound: both bounds must be >= 0");
  if (x.value() == 0 || y.value() == 0) return LowerBound<R>(R(0));
  return LowerBound<R>(detail::bound_op(detail::BoundOp::mul, false, x.value(), y.value()));
}
/// c·q ≤ c·b for an exact scalar c ≥ 0 (rounded upward). Checks: c ≥ 0 (not NaN).
template <class R> UpperBound<R> scale(const R& c, const UpperBound<R>& x) {
  if (!(c >= 0)) throw std::domain_error("scale(c, UpperBound): c must be >= 0");
  if (c == 0) return UpperBound<R>(R(0));  // 0·q = 0 even when b = +∞
  return UpperBound<R>(detail::bound_op(detail::BoundOp::mul, true, c, x.value()));
}
/// c·q ≥ c·a for an exact scalar c ≥ 0 (rounded downward). Checks: c ≥ 0.
template <class R> LowerBound<R> scale(const R& c, const LowerBound<R>& x) {
  if (!(c >= 0)) throw std::domain_error("scale(c, LowerBound): c must be >= 0");
  if (c == 0) return LowerBound<R>(R(0));
  return LowerBound<R>(detail::bound_op(detail::BoundOp::mul, false, c, x.value()));
}
/// q₁/q₂ ≤ b₁/a₂ (rounded upward). Assumes: q₁ ≥ 0. Checks: b₁ ≥ 0 and a₂ > 0 (then q₂ > 0).
template <class R> UpperBound<R> operator/(const UpperBound<R>& x, const LowerBound<R>& y) {
  if (x.value() < 0 || !(y.value() > 0))
    throw std::domain_error("UpperBound / LowerBound: needs a numerator bound >= 0 and a denominator bound > 0");
  return UpperBound<R>(detail::bound_op(detail::BoundOp::div, true, x.value(), y.value()));
}
/// q₁/q₂ ≥ a₁/b₂ (rounded downward). Checks: a₁ ≥ 0 and q₂ > 0 is Assumed; b₂ > 0 checked.
template <class R> LowerBound<R> operator/(const LowerBound<R>& x, const UpperBound<R>& y) {
  if (x.value() < 0 || !(y.value() > 0))
    throw std::domain_error("LowerBound / UpperBound: needs a numerator bound >= 0 and a denominator bound > 0");
  return LowerBound<R>(detail::bound_op(detail::BoundOp::div, false, x.value(), y.value()));
}

/// max(q₁, q₂) ≤ max(b₁, b₂), min(q₁, q₂) ≤ min(b₁, b₂) (exact).
template <class R> UpperBound<R> max(const UpperBound<R>& x, const UpperBound<R>& y) { return x.value() < y.value() ? y : x; }
template <class R> UpperBound<R> min(const UpperBound<R>& x, const UpperBound<R>& y) { return y.value() < x.value() ? y : x; }
/// max(q₁, q₂) ≥ max(a₁, a₂), min(q₁, q₂) ≥ min(a₁, a₂) (exact).
template <class R> LowerBound<R> max(const LowerBound<R>& x, const LowerBound<R>& y) { return x.value() < y.value() ? y : x; }
template <class R> LowerBound<R> min(const LowerBound<R>& x, const LowerBound<R>& y) { return y.value() < x.value() ? y : x; }

/// √q ≤ √b (rounded upward). Assumes: q ≥ 0. Checks: b ≥ 0. Failure: std::domain_error.
template <class R> UpperBound<R> sqrt(const UpperBound<R>& x) {
  if (x.value() < 0) throw std::domain_error("sqrt(UpperBound): the quantity must be >= 0 (the bound is negative)");
  return UpperBound<R>(detail::bound_op(detail::BoundOp::sqrt, true, x.value(), x.value()));
}
/// √q ≥ √max(a, 0) (rounded downward). Assumes: q ≥ 0 (√ defined).
template <class R> LowerBound<R> sqrt(const LowerBound<R>& x) {
  if (!(x.value() > 0)) return LowerBound<R>(R(0));
  return LowerBound<R>(detail::bound_op(detail::BoundOp::sqrt, false, x.value(), x.value()));
}
/// exp q ≤ exp b (upward; +∞ stays +∞). exp is increasing.
template <class R> UpperBound<R> exp(const UpperBound<R>& x) {
  return UpperBound<R>(detail::bound_op(detail::BoundOp::exp, true, x.value(), x.value()));
}
/// exp q ≥ exp a (downward; −∞ gives 0).
template <class R> LowerBound<R> exp(const LowerBound<R>& x) {
  return LowerBound<R>(detail::bound_op(detail::BoundOp::exp, false, x.value(), x.value()));
}
/// log q ≤ log b (upward). Assumes: q > 0. Checks: b > 0. Failure: std::domain_error.
template <class R> UpperBound<R> log(const UpperBound<R>& x) {
  if (!(x.value() > 0)) throw std::domain_error("log(UpperBound): the quantity must be > 0 (the bound is <= 0)");
  return UpperBound<R>(detail::bound_op(detail::BoundOp::log, true, x.value(), x.value()));
}
/// log q ≥ log a (downward); a ≤ 0 gives −∞. Assumes: q > 0.
template <class R> LowerBound<R> log(const LowerBound<R>& x) {
  if (!(x.value() > 0)) return LowerBound<R>::infinity();
  return LowerBound<R>(detail::bound_op(detail::BoundOp::log, false, x.value(), x.value()));
}

/// The binary64 bound implied by a multiprecision one (rounded upward / downward; may overflow
/// to ±∞ in the direction that keeps it a bound).
UpperBound<double> to_double(const UpperBound<MpReal>& x);
LowerBound<double> to_double(const LowerBound<MpReal>& x);

}  // namespace certiformer
