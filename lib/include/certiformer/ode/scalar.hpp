#pragma once
/// certiformer/ode/scalar.hpp — the scalar vocabulary shared by every vector field.
///
/// Vector fields are written once as templates over a scalar S and run on
///   double                       approximate runs (not rigorous; `approx_*` callers only),
///   Interval, MpInterval         rigorous point / box evaluations,
///   Taylor<C>                    truncated Taylor series (ode/taylor.hpp) — ODE coefficients,
///   Dual<C>                      first-order forward mode (ode/dual.hpp) — Jacobians,
/// and compositions (Taylor<Dual<Interval>> gives the Taylor coefficients of the variational
/// equation). This header provides, in namespace certiformer::ode:
///   * the overload set exp, log, log1p, sqrt, tanh, sin, cos, sqr for double (namespace ode::math;
///     Interval / MpInterval versions are found by argument-dependent lookup, Taylor and Dual
///     add theirs), so generic code calls them unqualified inside certiformer::ode or after
///     `using namespace certiformer::ode::math;`;
///   * `base_t<S>`: the underlying interval (or double) type of S;
///   * `lift<S>(p)`: a model parameter p (an interval of type base_t<S>, or an exact integer /
///     double) as a constant of type S. For S = double this takes the midpoint of p, i.e. it is an
///     approximation — double runs are never rigorous, and nothing rigorous is built on them;
///   * `upper_point(s)`: an exact number ≥ every value of the order-0 part of s (for sound
///     max-shifts: any exact constant may be subtracted, the result does not depend on it).

#include "certiformer/core/eigen.hpp"
#include "certiformer/core/elementary.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"

#include <cmath>
#include <concepts>
#include <type_traits>

namespace certiformer::ode {

template <class C> class Taylor;
template <class C> class Dual;

namespace math {
inline double exp(double x) { return std::exp(x); }
inline double log(double x) { return std::log(x); }
inline double log1p(double x) { return std::log1p(x); }
inline double sqrt(double x) { return std::sqrt(x); }
inline double tanh(double x) { return std::tanh(x); }
inline double sin(double x) { return std::sin(x); }
inline double cos(double x) { return std::cos(x); }
inline double sqr(double x) { return x * x; }
}  // namespace math
using namespace math;

// ---- traits -------------------------------------------------------------------------------------
template <class S> struct base_of { using type = S; };
template <class C> struct base_of<Taylor<C>> { using type = typename base_of<C>::type; };
template <class C> struct base_of<Dual<C>> { using type = typename base_of<C>::type; };
/// The interval (or double) type under S: base_t<Taylor<Dual<Interval>>> = Interval.
template <class S> using base_t = typename base_of<S>::type;

template <class S> inline constexpr bool is_interval_v =
    std::is_same_v<S, Interval> || std::is_same_v<S, MpInterval>;
/// True when S (through its base) computes rigorously.
template <class S> inline constexpr bool is_rigorous_v = is_interval_v<base_t<S>>;

// ---- lifting constants --------------------------------------------------------------------------
template <class S> struct lifter;
template <> struct lifter<double> {
  static double from(double v) { return v; }
  static double from(const Interval& p) { return mid(p); }                       // approximation
  static double from(const MpInterval& p) { return static_cast<double>(mid(p)); }  // approximation
  template <class I> requires std::integral<I> static double from(I v) { return static_cast<double>(v); }
};
template <> struct lifter<Interval> {
  static Interval from(double v) { return Interval(v); }
  static Interval from(const Interval& p) { return p; }
  static Interval from(const MpInterval& p) { return to_interval(p); }
  template <class I> requires std::integral<I> static Interval from(I v) { return Interval(v); }
};
template <> struct lifter<MpInterval> {
  static MpInterval from(double v) { return MpInterval(v); }
  static MpInterval from(const Interval& p) { return MpInterval(p); }
  static MpInterval from(const MpInterval& p) { return p; }
  template <class I> requires std::integral<I> static MpInterval from(I v) { return MpInterval(v); }
};
template <class C> struct lifter<Taylor<C>> {
  template <class P> static Taylor<C> from(const P& p) { return Taylor<C>(lifter<C>::from(p)); }
};
template <class C> struct lifter<Dual<C>> {
  template <class P> static Dual<C> from(const P& p) { return Dual<C>(lifter<C>::from(p)); }
};

/// A parameter p (interval, exact double, or integer) as a constant of scalar type S.
/// For S = double it is mid(p): approximate runs only.
template <class S, class P> S lift(const P& p) { return lifter<S>::from(p); }

// ---- exact upper point of the value ------------------------------------------------------------
inline double upper_point(double x) { return x; }
inline double upper_point(const Interval& x) { return sup(x); }
inline MpReal upper_point(const MpInterval& x) { return sup(x); }

/// The value (order-0 part) as the base scalar: identity for base scalars.
inline const double& value_of(const double& x) { return x; }
inline const Interval& value_of(const Interval& x) { return x; }
inline const MpInterval& value_of(const MpInterval& x) { return x; }

}  // namespace certiformer::ode
