#pragma once
/// certiformer/ode/field.hpp — the vector-field interface and generic helpers for writing fields.
///
/// A vector field for the ODE engine is a class with
///     Eigen::Index dimension() const;
///     template <class S> void operator()(const S& t, const Vec<S>& x, Vec<S>& dx) const;
/// where S ranges over double, T, Taylor<T>, Dual<T>, Taylor<Dual<T>> for the interval type T the
/// field's parameters are stored in (Interval or MpInterval). `dx` arrives sized dimension().
/// The field must evaluate f(t, x) by one fixed sequence of operations whose branches depend
/// only on order-0 values (true for straight-line formulas; `upper_point` shifts are fine).
/// Optionally a field declares the times where it may be discontinuous in t:
///     std::vector<double> breakpoints() const;   // sorted
/// The integrator then never steps across one, and evaluates the piece on each side with time
/// arguments inside that piece's closed interval (see `select_piece`).
///
/// Inclusion principle the engine relies on: for S = T (and Taylor/Dual over T), f returns an
/// enclosure of the exact real value for every real t and x in the arguments. Model parameters
/// enter through `lift<S>(p)` (ode/scalar.hpp); never through decimal-looking double literals.

#include "certiformer/ode/dual.hpp"
#include "certiformer/ode/scalar.hpp"
#include "certiformer/ode/taylor.hpp"

#include <algorithm>
#include <concepts>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace certiformer::ode {

template <class S> struct is_taylor : std::false_type {};
template <class C> struct is_taylor<Taylor<C>> : std::true_type {};
template <class S> inline constexpr bool is_taylor_v = is_taylor<S>::value;

/// f can be evaluated over the scalar S.
template <class F, class S>
concept FieldOver = requires(const F& f, const S& t, const Vec<S>& x, Vec<S>& dx) {
  { f.dimension() } -> std::convertible_to<Eigen::Index>;
  f(t, x, dx);
};

/// f is a vector field usable by the rigorous engine with interval type T.
template <class F, class T>
concept VectorField = is_interval_v<T> && FieldOver<F, T> && FieldOver<F, Taylor<T>> && FieldOver<F, Dual<T>> &&
                      FieldOver<F, Taylor<Dual<T>>>;

template <class F>
concept HasBreakpoints = requires(const F& f) {
  { f.breakpoints() } -> std::convertible_to<std::vector<double>>;
};

template <class F> std::vector<double> breakpoints_of(const F& f) {
  if constexpr (HasBreakpoints<F>) return f.breakpoints();
  else return {};
}

/// Evaluates dx = f(t, x), sizing dx first.
template <class S, class F> Vec<S> eval_field(const F& f, const S& t, const Vec<S>& x) {
  Vec<S> dx(f.dimension());
  f(t, x, dx);
  return dx;
}

// ---- generic linear algebra for field code ------------------------------------------------------
/// Σ_i a_i b_i (one fused tape slot for Taylor scalars).
template <class S> S dot(const Vec<S>& a, const Vec<S>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("ode::dot: sizes differ");
  if constexpr (is_taylor_v<S>) {
    return dot(a.data(), b.data(), static_cast<std::size_t>(a.size()));
  } else {
    if (a.size() == 0) return S(0);
    S s = a(0) * b(0);
    for (Eigen::Index i = 1; i < a.size(); ++i) s += a(i) * b(i);
    return s;
  }
}

namespace detail {
template <class S, class P> S row_dot(const Mat<P>& A, Eigen::Index i, const Vec<S>& x, const P* offset) {
  const Eigen::Index n = A.cols();
  if constexpr (std::is_same_v<S, double>) {
    double s = offset ? lift<double>(*offset) : 0.0;
    for (Eigen::Index j = 0; j < n; ++j) s += lift<double>(A(i, j)) * x(j);
    return s;
  } else if constexpr (is_taylor_v<S>) {
    using C = typename S::coefficient_type;
    if constexpr (std::is_same_v<base_t<C>, P>) {
      // weights of the base type act on coefficients of type C (C × base is defined for
      // C = base and C = Dual<base>): no per-row copies.
      return lincomb<C, P>(A.data() + i, A.rows(), x.data(), static_cast<std::size_t>(n), offset);
    } else {
      std::vector<C> w(static_cast<std::size_t>(n));
      for (Eigen::Index j = 0; j < n; ++j) w[static_cast<std::size_t>(j)] = lift<C>(A(i, j));
      if (offset) {
        const C off = lift<C>(*offset);
        return lincomb<C, C>(w.data(), 1, x.data(), static_cast<std::size_t>(n), &off);
      }
      return lincomb<C, C>(w.data(), 1, x.data(), static_cast<std::size_t>(n));
    }
  } else if constexpr (std::is_same_v<S, base_t<S>>) {
    S s = offset ? lift<S>(*offset) : S(0);
    for (Eigen::Index j = 0; j < n; ++j) s += lift<S>(A(i, j)) * x(j);
    return s;
  } else {  // Dual<C>: weights as constants of C
    using C = std::decay_t<decltype(std::declval<S>().value())>;
    S s = offset ? S(lift<C>(*offset)) : S(0);
    for (Eigen::Index j = 0; j < n; ++j) s += x(j) * lift<C>(A(i, j));
    return s;
  }
}
}  // namespace detail

/// y = A x (+ b): constant parameter matrix A (entries of type P, lifted to S), state x.
template <class S, class P> Vec<S> matvec(const Mat<P>& A, const Vec<S>& x) {
  if (A.cols() != x.size()) throw std::invalid_argument("ode::matvec: dimension mismatch");
  Vec<S> y(A.rows());
  for (Eigen::Index i = 0; i < A.rows(); ++i) y(i) = detail::row_dot<S, P>(A, i, x, nullptr);
  return y;
}
template <class S, class P> Vec<S> affine(const Mat<P>& A, const Vec<S>& x, const Vec<P>& b) {
  if (A.cols() != x.size() || A.rows() != b.size()) throw std::invalid_argument("ode::affine: dimension mismatch");
  Vec<S> y(A.rows());
  for (Eigen::Index i = 0; i < A.rows(); ++i) y(i) = detail::row_dot<S, P>(A, i, x, &b(i));
  return y;
}
/// y = M x with a state-dependent matrix M (entries of type S).
template <class S> Vec<S> matvec_s(const Mat<S>& M, const Vec<S>& x) {
  Vec<S> y(M.rows());
  Vec<S> row(M.cols());
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    for (Eigen::Index j = 0; j < M.cols(); ++j) row(j) = M(i, j);
    y(i) = dot(row, x);
  }
  return y;
}

/// Softmax with a sound shift: w_j = e^{s_j − c} / Σ_l e^{s_l − c}, c = max_j upper_point(s_j)
/// (an exact number; softmax does not depend on it). For S = Interval / MpInterval the core
/// `enclose_softmax` is used (it avoids the numerator/denominator dependency).
template <class S> Vec<S> softmax_s(const Vec<S>& s) {
  const Eigen::Index n = s.size();
  if (n == 0) throw std::invalid_argument("softmax of an empty vector");
  if constexpr (is_interval_v<S>) {
    return certiformer::enclose_softmax(s);
  } else {
    auto c = upper_point(s(0));
    for (Eigen::Index j = 1; j < n; ++j) {
      auto cj = upper_point(s(j));
      if (cj > c) c = cj;
    }
    using B = base_t<S>;
    B cb;
    if constexpr (std::is_same_v<B, double>) cb = c;
    else cb = B(c, c);
    const S shift = lift<S>(cb);
    Vec<S> e(n);
    for (Eigen::Index j = 0; j < n; ++j) e(j) = exp(s(j) - shift);
    S z = e(0);
    for (Eigen::Index j = 1; j < n; ++j) z += e(j);
    Vec<S> w(n);
    for (Eigen::Index j = 0; j < n; ++j) w(j) = e(j) / z;
    return w;
  }
}

/// The index i of the piece [b_{i−1}, b_i] (b_{−1} = −∞, b_m = +∞) that contains the time
/// interval [lo, hi]; at a single breakpoint (lo = hi = b_i) the piece to the right, or to the
/// left when `leftward`. Throws std::domain_error when [lo, hi] straddles a breakpoint (a field
/// cannot be evaluated across a discontinuity — the integrator never asks for that).
inline std::size_t select_piece(const std::vector<double>& b, double lo, double hi, bool leftward = false) {
  // number of breakpoints ≤ lo (right-continuous choice)
  std::size_t i = static_cast<std::size_t>(std::upper_bound(b.begin(), b.end(), lo) - b.begin());
  if (leftward && lo == hi && i > 0 && b[i - 1] == lo) --i;
  if (i < b.size() && b[i] < hi) throw std::domain_error("time interval straddles a breakpoint of the field");
  return i;
}

/// Time bounds of the order-0 part of a time argument (for piece selection), and whether the
/// time runs leftward (a Taylor time series with negative first coefficient).
template <class S> std::pair<double, double> time_bounds(const S& t) {
  const auto& v = value_of(t);
  if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>) return {v, v};
  else if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Interval>) return {inf(v), sup(v)};
  else {
    const Interval w = to_interval(v);
    return {inf(w), sup(w)};
  }
}
template <class S> bool time_leftward(const S& t) {
  if constexpr (is_taylor_v<S>) {
    if (t.order() >= 1) {
      const auto& c1 = value_of(t.data()[1]);
      if constexpr (std::is_same_v<std::decay_t<decltype(c1)>, double>) return c1 < 0;
      else return certainly_negative(c1);
    }
  }
  return false;
}
/// Piece index for a time argument of any scalar type.
template <class S> std::size_t select_piece_for(const std::vector<double>& b, const S& t) {
  const auto [lo, hi] = time_bounds(t);
  return select_piece(b, lo, hi, time_leftward(t));
}

}  // namespace certiformer::ode
