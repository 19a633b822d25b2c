#pragma once
/// certiformer/core/convert.hpp — the one "real number → point interval" conversion API, with
/// the guarantee in the name (docs/core.md, "Conversions").
///
///   exact_point<T>(v)    the point [v, v] in T. Checks that v is representable in T (binary64
///                        for Interval, the current `mp_precision()` for MpInterval); throws
///                        std::domain_error otherwise. Use it where the value must be used as is.
///   enclose_point<T>(v)  the tightest interval of T that contains v (outward rounding; a point
///                        when v is representable). Rigorous: v ∈ enclose_point<T>(v), always.
///   approx_point<T>(v)   the point [ṽ, ṽ], ṽ = v rounded to nearest in T. NOT an enclosure of
///                        v: use it only for data that is approximate anyway (a Newton iterate,
///                        an approximate inverse, a chosen shift) and whose rounded value is what
///                        the rigorous computation then uses.
///
/// Sources: `double`, `MpReal` (any MPFR precision) and `Rational` (exact.hpp); targets:
/// `Interval`, `MpInterval`. The vector / matrix forms take any Eigen expression of such
/// numbers and apply the scalar conversion entrywise.
///
/// Infinite sources: exact_point refuses them (a real number is finite); enclose_point and
/// approx_point return the half-line beyond ±DBL_MAX ([±∞, ±∞] contains no real number and is
/// refused by the interval types), so that an infinite one-sided bound
/// (an overflowed `upper_bound_*`) stays infinite. NaN always throws std::domain_error.

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"
#include "certiformer/core/exact.hpp"
#include "certiformer/core/eigen.hpp"

#include <type_traits>

namespace certiformer {

namespace detail {
template <class T> inline constexpr bool is_interval_type_v = std::is_same_v<T, Interval> || std::is_same_v<T, MpInterval>;

Interval exact_interval(double v);
Interval exact_interval(const MpReal& v);
Interval exact_interval(const Rational& q);
MpInterval exact_mp(double v);
MpInterval exact_mp(const MpReal& v);
MpInterval exact_mp(const Rational& q);

Interval enclose_interval_point(double v);
Interval enclose_interval_point(const MpReal& v);
MpInterval enclose_mp_point(double v);
MpInterval enclose_mp_point(const MpReal& v);

Interval approx_interval(double v);
Interval approx_interval(const MpReal& v);
Interval approx_interval(const Rational& q);
MpInterval approx_mp(double v);
MpInterval approx_mp(const MpReal& v);
MpInterval approx_mp(const Rational& q);

template <class Derived, class T>
using converted_t = Eigen::Matrix<T, Derived::RowsAtCompileTime, Derived::ColsAtCompileTime>;
}  // namespace detail

// ---- exact ------------------------------------------------------------------------------------

/// Encloses: v exactly — the returned point is [v, v].
/// Checks: v is finite and representable in T (binary64 / the current MpInterval precision).
/// Failure: std::domain_error naming the value (v is never rounded silently).
template <class T> T exact_point(double v) {
  static_assert(detail::is_interval_type_v<T>, "exact_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::exact_interval(v);
  else return detail::exact_mp(v);
}
template <class T> T exact_point(const MpReal& v) {
  static_assert(detail::is_interval_type_v<T>, "exact_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::exact_interval(v);
  else return detail::exact_mp(v);
}
template <class T> T exact_point(const Rational& q) {
  static_assert(detail::is_interval_type_v<T>, "exact_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::exact_interval(q);
  else return detail::exact_mp(q);
}

// ---- outward ----------------------------------------------------------------------------------

/// Encloses: v — the tightest interval of T containing v ([RD(v), RU(v)] at T's precision; a
/// point iff v is representable). ±∞ gives the half-line [DBL_MAX, +∞] / [−∞, −DBL_MAX]
/// (intervals hold real numbers only, so [±∞, ±∞] is refused; sup/inf stay ±∞).
/// Assumes: nothing (v is any double, or an MpReal of any MPFR precision).
/// Checks: v is not NaN. Failure: std::domain_error.
/// Method: MPFR conversion with directed rounding (mpfr_get_d RNDD/RNDU, or mpfr_set RNDD/RNDU
/// at the working precision); no change of the FPU rounding mode.
template <class T> T enclose_point(double v) {
  static_assert(detail::is_interval_type_v<T>, "enclose_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::enclose_interval_point(v);
  else return detail::enclose_mp_point(v);
}
template <class T> T enclose_point(const MpReal& v) {
  static_assert(detail::is_interval_type_v<T>, "enclose_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::enclose_interval_point(v);
  else return detail::enclose_mp_point(v);
}
/// Encloses: the rational q (same as exact.hpp's enclose<T>(q); overload of the above).
template <class T> T enclose_point(const Rational& q) {
  static_assert(detail::is_interval_type_v<T>, "enclose_point<T>: T must be Interval or MpInterval");
  return enclose<T>(q);
}

// ---- nearest (not rigorous) -------------------------------------------------------------------

/// approx_: NOT an enclosure of v. Returns the point [ṽ, ṽ], ṽ = v rounded to nearest at T's
/// precision (binary64 / the current MpInterval precision; a Rational below the binary64 normal
/// range may be off by one ulp). The caller must use ṽ itself, not v, in what it claims.
/// Checks: v is not NaN. Failure: std::domain_error.
template <class T> T approx_point(double v) {
  static_assert(detail::is_interval_type_v<T>, "approx_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::approx_interval(v);
  else return detail::approx_mp(v);
}
template <class T> T approx_point(const MpReal& v) {
  static_assert(detail::is_interval_type_v<T>, "approx_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::approx_interval(v);
  else return detail::approx_mp(v);
}
template <class T> T approx_point(const Rational& q) {
  static_assert(detail::is_interval_type_v<T>, "approx_point<T>: T must be Interval or MpInterval");
  if constexpr (std::is_same_v<T, Interval>) return detail::approx_interval(q);
  else return detail::approx_mp(q);
}

/// Integers are refused at compile time (a 64-bit integer would first be rounded to double):
/// write T(n), which encloses any integer.
template <class T, class I> requires std::is_integral_v<I> T exact_point(I) = delete;
template <class T, class I> requires std::is_integral_v<I> T enclose_point(I) = delete;
template <class T, class I> requires std::is_integral_v<I> T approx_point(I) = delete;

// ---- vector / matrix forms (entrywise) --------------------------------------------------------

/// Entrywise exact_point<T>: the same shape, every entry exact (throws as the scalar form).
template <class T, class Derived> detail::converted_t<Derived, T> exact_point(const Eigen::MatrixBase<Derived>& m) {
  detail::converted_t<Derived, T> r(m.rows(), m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) r(i, j) = exact_point<T>(m(i, j));
  return r;
}
/// Encloses: entrywise — r(i,j) ∋ m(i,j) for every entry, with the same shape as m.
/// Assumes: m's scalar is double, MpReal or Rational. Checks: as the scalar form, per entry.
/// Failure: std::domain_error on a NaN entry. Method: the scalar enclose_point<T> per entry.
template <class T, class Derived> detail::converted_t<Derived, T> enclose_point(const Eigen::MatrixBase<Derived>& m) {
  detail::converted_t<Derived, T> r(m.rows(), m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) r(i, j) = enclose_point<T>(m(i, j));
  return r;
}
/// approx_: entrywise approx_point<T> (not an enclosure of the source entries).
template <class T, class Derived> detail::converted_t<Derived, T> approx_point(const Eigen::MatrixBase<Derived>& m) {
  detail::converted_t<Derived, T> r(m.rows(), m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) r(i, j) = approx_point<T>(m(i, j));
  return r;
}

// ---- real → double ----------------------------------------------------------------------------

/// approx_: v rounded to the nearest double (±∞ beyond the binary64 range, ±0 below it). NOT a
/// bound of v: for step sizes, heuristics, sorting keys and messages only.
inline double approx_double(double v) { return v; }
inline double approx_double(const MpReal& v) { return mpfr_get_d(v.backend().data(), MPFR_RNDN); }
/// The smallest double ≥ v (exact for a double; +∞ when v exceeds DBL_MAX): an upper bound of v.
inline double double_up(double v) { return v; }
inline double double_up(const MpReal& v) { return mpfr_get_d(v.backend().data(), MPFR_RNDU); }
/// The largest double ≤ v (exact for a double; −∞ when v is below −DBL_MAX): a lower bound of v.
inline double double_down(double v) { return v; }
inline double double_down(const MpReal& v) { return mpfr_get_d(v.backend().data(), MPFR_RNDD); }

}  // namespace certiformer
