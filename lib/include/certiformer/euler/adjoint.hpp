#pragma once
/// certiformer/euler/adjoint.hpp — discrete adjoint of the depth-L Euler network with the
/// softmax-residual terminal condition, certified gradient enclosures with respect to every
/// control parameter, and the Pontryagin checks (SPEC §2, last bullet). Formulas: docs/euler.md.
///
/// Setting: constant control θ (one Layer shared by all L layers, weight tying), Euclidean model,
/// exact real iterates X^{k+1} = X^k + ε f(X^k; θ), ε = T/L, loss
///     J(θ) = R(X^L) = (1/n) Σ_i ℓ(X^L_i, y_i),   ℓ(x, y) = −log softmax(Γx)_y.
/// Discrete adjoint (backpropagation through the exact real network):
///     p_L = ∇_X J = (1/n)(∇ℓ(X^L_i, y_i))_i,  ∇ℓ = Γᵀ(softmax(Γx) − e_y)   (softmax residual),
///     p_k = p_{k+1} + ε D_X f(X^k)ᵀ p_{k+1},
///     ∂J/∂θ_j = ε Σ_{k<L} p_{k+1} · ∂_{θ_j} f(X^k; θ).
/// Only the discrete adjoint is implemented; the continuous adjoint of the flow is not (the
/// library says so rather than approximating it).

#include "certiformer/core.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/euler/error.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::euler {

/// Gradient enclosure of the read-out loss of the depth-L network.
template <class T>
struct GradientEnclosure {
  Verdict verdict = Verdict::unknown("not run");  ///< proved iff every entry is an enclosure
  std::vector<std::string> names;  ///< parameter names: beta, heads[h].Q[i][j], …, W[i][j], b[i]
  Vec<T> gradient;                 ///< gradient(j) ∋ ∂J/∂θ_j
  T loss = T(0);                   ///< ∋ J(θ) = R(X^L)
  Vec<T> terminal_adjoint;         ///< ∋ p_L
  Vec<T> initial_adjoint;          ///< ∋ p_0 = ∇_{X^0} J
  double seconds = 0;
};

namespace detail {
/// The layer θ + E_j where E_j is the j-th unit direction in parameter space (same shapes);
/// j = −1 returns θ itself. Names are filled on the first call (j = −1).
template <class T>
transformer::Layer<T> perturbed_layer(const transformer::Layer<T>& th, long j, std::vector<std::string>* names) {
  using transformer::Layer;
  Layer<T> out = th;
  long idx = 0;
  auto visit_scalar = [&](T& v, const std::string& name) {
    if (names) names->push_back(name);
    if (idx++ == j) v = v + T(1);
  };
  auto visit_mat = [&](Mat<T>& m, const std::string& name) {
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      for (Eigen::Index c = 0; c < m.cols(); ++c)
        visit_scalar(m(r, c), name + "[" + std::to_string(r) + "][" + std::to_string(c) + "]");
  };
  auto visit_vec = [&](Vec<T>& v, const std::string& name) {
    for (Eigen::Index r = 0; r < v.size(); ++r) visit_scalar(v(r), name + "[" + std::to_string(r) + "]");
  };
  if (!out.heads.empty()) visit_scalar(out.beta, "beta");
  for (std::size_t h = 0; h < out.heads.size(); ++h) {
    auto& H = out.heads[h];
    const std::string p = "heads[" + std::to_string(h) + "].";
    if (H.uses_B()) visit_mat(H.B, p + "B");
    else {
      visit_mat(H.Q, p + "Q");
      visit_mat(H.K, p + "K");
    }
    visit_mat(H.V, p + "V");
  }
  if (out.W.size()) visit_mat(out.W, "W");
  if (out.b.size()) visit_vec(out.b, "b");
  if (out.mlp) {
    visit_mat(out.mlp->W1, "mlp.W1");
    if (out.mlp->b1.size()) visit_vec(out.mlp->b1, "mlp.b1");
    visit_mat(out.mlp->W2, "mlp.W2");
    if (out.mlp->b2.size()) visit_vec(out.mlp->b2, "mlp.b2");
  }
  return out;
}
}  // namespace detail

/// Encloses: J(θ) and ∂J/∂θ_j for every parameter θ_j of the layer (β when there are heads,
///   every entry of Q_h, K_h (or B_h), V_h, W, b and of the MLP), for the exact real depth-L
///   network with ε = horizon/L, every x0 ∈ X0 and every parameter inside its interval.
/// Assumes: the field is Euclidean (no sphere renormalisation) with a constant control.
/// Checks: shapes, labels (std::invalid_argument); the discrete iterates are enclosed.
/// Failure: verdict unknown + reason (the iterates could not be enclosed, a domain error in
///   the field or the read-out); the gradient is then not an enclosure.
/// Method: the iterates X^k by enclose_discrete_iterates; p_L from the softmax residual; the
///   backward recursion in interval arithmetic with D_X f(X^k) ⊇ the Jacobian over the box X^k
///   (forward-mode Dual<T>); ∂_{θ_j} f(X^k; θ) = D_s f(X^k; θ + s(θ + E_j))|_{s=0} − D_s f(X^k; θ + sθ)|_{s=0}
///   (linearity of the directional derivative in its direction), each D_s computed exactly by
///   evaluating the field with the smooth control θ(s) = 1·θ + s·θ_b at the Dual time s = 0 + 1·ds
///   (the real field is the same function; the control does not depend on the true time).
template <class T>
GradientEnclosure<T> enclose_loss_gradient(const transformer::TransformerField<T>& f, const Vec<T>& X0,
                                           const transformer::Readout<T>& ro, const T& horizon, std::size_t L,
                                           ode::Wrapping wrapping = ode::Wrapping::qr) {
  using namespace transformer;
  using D1 = ode::Dual<T>;
  const auto clock0 = std::chrono::steady_clock::now();
  if (f.sphere()) throw std::invalid_argument("enclose_loss_gradient: the sphere model is not supported");
  if (f.control().kind != Control<T>::constant_kind)
    throw std::invalid_argument("enclose_loss_gradient: constant controls only");
  if (f.feature_dimension() != 0) throw std::invalid_argument("enclose_loss_gradient: static features not supported");
  const Eigen::Index n = f.tokens(), d = f.token_dimension(), N = f.dimension();
  if (ro.Gamma.cols() != d || static_cast<Eigen::Index>(ro.labels.size()) != n)
    throw std::invalid_argument("enclose_loss_gradient: read-out shapes do not match the model");
  for (int y : ro.labels)
    if (y < 0 || y >= ro.Gamma.rows()) throw std::invalid_argument("enclose_loss_gradient: label out of range");
  GradientEnclosure<T> out;
  auto finish = [&](Verdict v) {
    out.verdict = std::move(v);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
    return out;
  };
  const Layer<T>& th = f.control().layers[0];
  std::vector<std::string> names;
  (void)detail::perturbed_layer<T>(th, -1, &names);
  const long P = static_cast<long>(names.size());
  out.names = names;
  // Directional fields: index 0 is the direction θ itself, 1 + j the direction θ + E_j.
  std::vector<TransformerField<T>> dirs;
  Basis<T> one, lin;
  lin.kind = Basis<T>::power;
  lin.exponent = 1;
  for (long j = -1; j < P; ++j)
    dirs.emplace_back(n, d, Control<T>::smooth({one, lin}, {th, detail::perturbed_layer<T>(th, j, nullptr)}), false);
  out.gradient = Vec<T>::Constant(P, T(0));
  try {
    const ode::MapResult<T> m = enclose_discrete_iterates<T>(f, X0, horizon, L, wrapping);
    if (!m.verdict.is_proved()) return finish(Verdict::unknown("discrete iterates: " + m.verdict.reason()));
    const T eps = horizon / T(static_cast<long long>(L));
    out.loss = enclose_risk<T, T>(ro, m.iterates.back());
    Vec<T> p(N);
    const T inv_n = T(1) / T(static_cast<long long>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      const Vec<T> xi = m.iterates.back().segment(i * d, d);
      const Vec<T> r = enclose_softmax_residual<T, T>(ro.Gamma, xi, ro.labels[static_cast<std::size_t>(i)]);
      for (Eigen::Index c = 0; c < d; ++c) p(i * d + c) = r(c) * inv_n;
    }
    out.terminal_adjoint = p;
    typename D1::grad_type g1(1, T(1));
    const D1 s_dual(T(0), g1);
    for (std::size_t kk = L; kk-- > 0;) {
      const Vec<T>& X = m.iterates[kk];
      // parameter directions at X^k: ∂_θj f · p_{k+1}
      Vec<D1> xd(N);
      for (Eigen::Index i = 0; i < N; ++i) xd(i) = D1(X(i));
      Vec<T> base;
      for (long j = -1; j < P; ++j) {
        Vec<D1> fd(N);
        dirs[static_cast<std::size_t>(j + 1)](s_dual, xd, fd);
        Vec<T> dj(N);
        for (Eigen::Index i = 0; i < N; ++i) dj(i) = fd(i).d(0);
        if (j < 0) { base = dj; continue; }
        T acc(0);
        for (Eigen::Index i = 0; i < N; ++i) acc += p(i) * (dj(i) - base(i));
        out.gradient(j) += eps * acc;
      }
      // p_k = p_{k+1} + ε J_kᵀ p_{k+1}, J_k ⊇ D_X f over the box X^k
      Vec<D1> xv(N);
      for (Eigen::Index i = 0; i < N; ++i) xv(i) = D1::variable(X(i), static_cast<std::size_t>(i), static_cast<std::size_t>(N));
      Vec<D1> fv(N);
      f(D1(T(0)), xv, fv);
      Vec<T> q = p;
      for (Eigen::Index c = 0; c < N; ++c) {
        T acc(0);
        for (Eigen::Index r = 0; r < N; ++r) acc += fv(r).d(static_cast<std::size_t>(c)) * p(r);
        q(c) += eps * acc;
      }
      p = q;
      if (!ode::detail::all_finite(p)) return finish(Verdict::unknown("adjoint enclosure overflowed"));
    }
    out.initial_adjoint = p;
    if (!ode::detail::all_finite(out.gradient)) return finish(Verdict::unknown("gradient enclosure overflowed"));
  } catch (const std::domain_error& e) {
    return finish(Verdict::unknown(std::string("field evaluation failed: ") + e.what()));
  }
  return finish(Verdict::proved("discrete adjoint through " + std::to_string(L) + " exact Euler layers"));
}

/// Pontryagin check: proves the control is not stationary, i.e. 0 ∉ the gradient enclosure
/// (some component certainly ≠ 0). Refuted never (an enclosure containing 0 does not prove
/// stationarity); unknown when every component contains 0 or the enclosure failed.
template <class T> Verdict certify_not_stationary(const GradientEnclosure<T>& g) {
  if (!g.verdict.is_proved()) return Verdict::unknown(g.verdict.reason());
  for (Eigen::Index j = 0; j < g.gradient.size(); ++j)
    if (!contains_zero(g.gradient(j)))
      return Verdict::proved("∂J/∂" + g.names[static_cast<std::size_t>(j)] + " is certainly nonzero");
  return Verdict::unknown("every gradient component encloses 0");
}

/// Proves ‖∇_θ J‖₂ ≤ tol (sup √(Σ mag²) ≤ tol); refuted when the lower bound √(Σ mig²) > tol.
template <class T> Verdict certify_near_stationary(const GradientEnclosure<T>& g, const T& tol) {
  if (!g.verdict.is_proved()) return Verdict::unknown(g.verdict.reason());
  T lo2(0), hi2(0);
  for (Eigen::Index j = 0; j < g.gradient.size(); ++j) {
    lo2 += sqr(point<T>(mig(g.gradient(j))));
    hi2 += sqr(point<T>(mag(g.gradient(j))));
  }
  const T lo = sqrt(lo2), hi = sqrt(hi2);
  if (certainly_less_equal(hi, tol)) return Verdict::proved("‖∇J‖ ≤ tol");
  if (certainly_greater(lo, tol)) return Verdict::refuted("‖∇J‖ > tol");
  return Verdict::unknown("‖∇J‖ and tol overlap");
}

}  // namespace certiformer::euler
