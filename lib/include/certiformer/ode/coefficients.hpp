#pragma once
/// certiformer/ode/coefficients.hpp — Taylor coefficients of ODE solutions by automatic
/// differentiation.
///
/// For x' = f(t, x), x(t0) = x0 and a direction σ = ±1, let y(s) = x(t0 + σ s). Then
///     y' = σ f(t0 + σ s, y),   y_{k+1} = σ [f(t0 + σ s, y(s))]_k / (k + 1),
/// where [·]_k is the k-th Taylor coefficient in s. `enclose_ode_coefficients` returns y_0..y_p.
///
/// Encloses: with C an interval type (or Dual / Taylor over one), t0 and x0 boxes: for every real
///   t ∈ t0 and x ∈ x0, the exact coefficients y_k(t, x) of the solution through (t, x) lie in the
///   returned boxes. With C = Dual<T> and x0 given as Dual variables (unit gradients), the
///   gradients enclose ∂y_k/∂x0 (the Taylor coefficients of the variational equation) for every
///   x0 in the box.
/// Assumes: f is real-analytic near the data (true for the fields of this library) and written as
///   a fixed operation sequence (ode/field.hpp).
/// Failure: exceptions from the field (std::domain_error: e.g. division by an interval containing
///   0) propagate; the integrator turns them into a failed step.
/// Method: online Taylor arithmetic (TaylorTape): p passes over the field, pass k computing only
///   coefficient k of each intermediate, O(p²) per operation.

#include "certiformer/ode/field.hpp"
#include "certiformer/ode/taylor.hpp"

#include <vector>

namespace certiformer::ode {

/// y_0..y_order (each a Vec<C> of the field's dimension).
/// Encloses: y_k(t, x) for every real t ∈ t0, x ∈ x0, k = 0..order (Dual<T> seeds: also ∂y_k/∂x0).
/// Assumes: f real-analytic near the data, written as a fixed operation sequence (ode/field.hpp).
/// Checks: x0 has the field's dimension, order ≥ 0, σ = ±1 (std::invalid_argument otherwise).
/// Failure: a domain error of the field (std::domain_error) propagates; nothing is returned.
/// Method: online Taylor arithmetic (TaylorTape), y_{k+1} = σ [f(t0 + σs, y(s))]_k / (k + 1).
template <class C, class F>
std::vector<Vec<C>> enclose_ode_coefficients(const F& f, const C& t0, const Vec<C>& x0, int order, int sigma = 1) {
  const Eigen::Index n = f.dimension();
  if (x0.size() != n) throw std::invalid_argument("enclose_ode_coefficients: x0 has the wrong dimension");
  if (order < 0) throw std::invalid_argument("enclose_ode_coefficients: negative order");
  if (sigma != 1 && sigma != -1) throw std::invalid_argument("enclose_ode_coefficients: sigma must be ±1");
  std::vector<std::vector<C>> xs(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    auto& v = xs[static_cast<std::size_t>(i)];
    v.reserve(static_cast<std::size_t>(order) + 2);
    v.push_back(x0(i));
  }
  {
    TaylorTape<C> tape(order);
    const Taylor<C> t = Taylor<C>::variable(order, t0, sigma);
    Vec<Taylor<C>> X(n), dX(n);
    for (int k = 0; k < order; ++k) {
      tape.begin_pass(k);
      for (Eigen::Index i = 0; i < n; ++i)
        X(i) = Taylor<C>::unsafe_view(xs[static_cast<std::size_t>(i)].data(), k + 1);
      f(t, X, dX);
      tape.end_pass();
      const C kk(k + 1);
      for (Eigen::Index i = 0; i < n; ++i) {
        C c = dX(i)[k];
        if (sigma < 0) c = -c;
        xs[static_cast<std::size_t>(i)].push_back(c / kk);
      }
    }
  }
  std::vector<Vec<C>> out(static_cast<std::size_t>(order) + 1, Vec<C>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    for (int k = 0; k <= order; ++k) out[static_cast<std::size_t>(k)](i) = xs[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
  return out;
}

/// Horner: Σ_k c_k h^k for coefficient vectors c_0..c_m and a scalar h.
template <class C> Vec<C> horner(const std::vector<Vec<C>>& c, const C& h) {
  Vec<C> r = c.back();
  for (std::size_t k = c.size() - 1; k-- > 0;) {
    for (Eigen::Index i = 0; i < r.size(); ++i) r(i) = r(i) * h + c[k](i);
  }
  return r;
}

}  // namespace certiformer::ode
