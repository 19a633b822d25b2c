#pragma once
/// certiformer/transformer/constants.hpp — certified constants of a Transformer field on the
/// region where every token satisfies ‖x‖ ≤ R (docs/mathematics.md §1). The formulas are in docs/transformer.md.
///
/// Encloses (upper bounds, outward rounded): for every time t in [0, t_end], every token x with
/// ‖x‖ ≤ R and every measure μ of tokens in that ball (static features ‖p‖ ≤ P, z = (x, p),
/// R_z = √(R² + P²)):
///   M    ≥ ‖f(x; μ, θ(t))‖                            (per-token Euclidean norm)
///   L_x  ≥ Lipschitz constant of x ↦ f(x; μ, θ(t))
///   L_mu ≥ Lipschitz constant of μ ↦ f(x; μ, θ(t)) w.r.t. W1 (for the n-particle system:
///          ‖f_i(X) − f_i(X')‖ ≤ L_x ‖x_i − x'_i‖ + L_mu (1/n) Σ_j ‖x_j − x'_j‖).
/// Method, per head h (norms ‖·‖ = spectral norm upper bounds from linalg::upper_bound_norm_2):
///   |a_h| ≤ ‖V_h‖ R_z  (a_h is a convex combination of V_h z_j);
///   ∇_x a_h = β V_h Cov_w(z) B_h[:, x] with ‖Cov_w‖ ≤ R_z², so L_x,h = |β| ‖V_h‖ ‖B_h[:, x]‖ R_z²;
///   first variation δa_h/δμ(z') = (V_h z' − a_h) k(z')/Z, k(z') = e^{β z'ᵀ B_h z}, k/Z ≤ e^{2|β|‖B_h‖R_z²}:
///   L_mu,h = (‖V_h[:, x]‖ + 2|β| ‖V_h‖ ‖B_h[x, :]‖ R_z²) · e^{2|β| ‖B_h‖ R_z²}.
///   In-projection biases: b_K and the j-independent part of the score cancel in the softmax;
///   b_Q adds the key term β b_Qᵀ K_h z_j (c = ‖b_Q‖): |a_h| ≤ ‖V_h‖ R_z + ‖b_V‖, L_x,h unchanged,
///   L_mu,h = (‖V_h[:, x]‖ + 2|β| ‖V_h‖ R_z (‖B_h[x, :]‖ R_z + ‖K_h[:, x]‖ c)) · e^{2|β| (‖B_h‖ R_z + ‖K_h‖ c) R_z}.
///   Causal mask: token i sees the prefix measure μ_i = (1/i) Σ_{j≤i} δ_{z_j}; the bounds hold for
///   every measure on the ball, so ‖f_i(X) − f_i(X')‖ ≤ L_x ‖x_i − x'_i‖ + L_mu (1/i) Σ_{j≤i} ‖x_j − x'_j‖
///   ≤ (L_x + L_mu) max_j ‖x_j − x'_j‖ (the form the Euler theorem uses; the (1/n) Σ_j form does not
///   hold for a causal layer).
///   Smooth controls with Q/K heads: B(t) = K(t)ᵀQ(t) is bilinear in the control, so
///   ‖B(t)‖ ≤ ‖K(t)‖ ‖Q(t)‖ (and likewise for its x-rows / x-columns).
///   FFN: affine M += ‖W‖R + ‖b‖, L_x += ‖W‖; MLP with U = ‖W1‖R + ‖b1‖, width w:
///   ‖σ(u)‖ ≤ min(√w, U) (tanh), U + √w·log 2 (softplus), U (GELU-tanh, ReLU: |σ(u)| ≤ |u|);
///   L_x += ‖W2‖ Lσ ‖W1‖ with Lσ = 1 (tanh, softplus, ReLU), Lσ = certified sup|GELU'| (gelu).
///   Sphere model f = P_x g, ‖P_x‖ ≤ p_R = max(1, R² − 1):
///   M = p_R M_g, L_x = p_R L_x,g + 2R M_g, L_mu = p_R L_mu,g.
///   Controls: max over the pieces of a piecewise control; for a smooth control each parameter
///   matrix is bounded by Σ_k sup_{[0, t_end]} |φ_k| ‖M_k‖ (sup |t^j| = t_end^j, |sin|, |cos| ≤ 1).
/// Assumes: t_end ≥ 0 is the horizon (used for smooth controls only).
/// Failure: std::invalid_argument for R < 0 or t_end < 0.

#include "certiformer/core.hpp"
#include "certiformer/linalg.hpp"
#include "certiformer/ode/lohner_set.hpp"
#include "certiformer/transformer/field.hpp"

#include <array>
#include <string>

namespace certiformer::transformer {

template <class T>
struct FieldConstants {
  using R = real_t<T>;
  R radius = R(0);  ///< R
  R M = R(0);       ///< ≥ sup ‖f‖ per token
  R L_x = R(0);     ///< ≥ Lipschitz constant in x
  R L_mu = R(0);    ///< ≥ W1-Lipschitz constant in μ
  R gelu_lipschitz = R(1);  ///< the Lσ used for GELU-tanh (1 when unused)
};

namespace detail {

/// Certified sup_u |d/du GELU-tanh(u)| (see the file comment of constants.hpp and the docs):
/// interval subdivision of [−12, 12] in steps of 1/64, and the tail bound
/// 1 + 2c·1728·e^{−2ca·1728} for |u| ≥ 12.
template <class T> real_t<T> upper_bound_gelu_lipschitz() {
  const T c = sqrt(T(2) / pi<T>());
  const T a = from_text<T>("0.044715");
  real_t<T> best = real_t<T>(0);
  const int steps = 24 * 64;
  for (int k = 0; k < steps; ++k) {
    const T u = convex_hull(T(-12) + T(k) / T(64), T(-12) + T(k + 1) / T(64));
    const T v = c * (u + a * u * u * u);
    const T dv = c * (T(1) + T(3) * a * sqr(u));
    const T th = tanh(v);
    const T g = T(0.5) * (T(1) + th) + T(0.5) * u * (T(1) - sqr(th)) * dv;
    const real_t<T> m = mag(g);
    if (best < m) best = m;
  }
  const T tail = T(1) + T(2) * c * T(1728) * exp(-(T(2) * c * a * T(1728)));
  if (best < sup(tail)) best = sup(tail);
  return best;
}

template <class T> Mat<T> columns(const Mat<T>& m, Eigen::Index c0, Eigen::Index c) { return m.middleCols(c0, c); }
template <class T> Mat<T> rows(const Mat<T>& m, Eigen::Index r0, Eigen::Index r) { return m.middleRows(r0, r); }
}  // namespace detail

/// Encloses (upper bounds, rounded up): M ≥ sup ‖f‖ per token, L_x ≥ the Lipschitz constant in
///   x, L_mu ≥ the W1-Lipschitz constant in μ, for every t ∈ [0, t_end], every token with
///   ‖x‖ ≤ radius and every measure of such tokens (file comment).
/// Assumes: t_end is the horizon (used for smooth controls only); the field's parameters are the
///   interval entries given (every real choice inside them is covered).
/// Checks: radius ≥ 0 and t_end ≥ 0.
/// Failure: std::invalid_argument when a check fails; no Verdict (the bounds hold unconditionally).
/// Method: per-head and per-layer formulas of the file comment from spectral-norm upper bounds
///   (linalg::upper_bound_norm_2); max over control pieces, Σ sup|φ_k|·‖M_k‖ for smooth controls.
template <class T>
FieldConstants<T> upper_bound_field_constants(const TransformerField<T>& f, const real_t<T>& radius,
                                              double t_end = 0) {
  using R = real_t<T>;
  if (radius < R(0)) throw std::invalid_argument("upper_bound_field_constants: R must be ≥ 0");
  if (t_end < 0) throw std::invalid_argument("upper_bound_field_constants: t_end must be ≥ 0");
  const Control<T>& ctl = f.control();
  const Eigen::Index d = f.token_dimension(), dp = f.feature_dimension();
  FieldConstants<T> out;
  out.radius = radius;
  const T Rr = enclose_point<T>(radius);
  // P = max_i ‖p_i‖
  T P2(0);
  for (Eigen::Index i = 0; i < f.features().rows() && dp > 0; ++i) {
    T s(0);
    for (Eigen::Index c = 0; c < dp; ++c) s += sqr(f.features()(i, c));
    P2 = max(P2, s);
  }
  const T Rz2 = sqr(Rr) + P2;
  const T Rz = sqrt(Rz2);
  const T ln2 = log(T(2));
  bool need_gelu = false;
  for (const auto& l : ctl.layers)
    if (l.mlp && l.mlp->activation == Activation::gelu_tanh) need_gelu = true;
  if (need_gelu) out.gelu_lipschitz = detail::upper_bound_gelu_lipschitz<T>();

  // Norm of one parameter matrix over time: ‖M(t)‖ ≤ Σ_k sup|φ_k| ‖M_k‖ (smooth), or per piece.
  std::vector<T> weights;  // sup |φ_k| on [0, t_end] (smooth), else 1 for the single layer used
  if (ctl.kind == Control<T>::smooth_kind) {
    for (const auto& b : ctl.basis) {
      if (b.kind == Basis<T>::power) weights.push_back(pow(T(t_end), b.exponent));
      else weights.push_back(T(1));
    }
  }
  // Evaluate the constants for a "layer" described by a function giving each norm.
  auto layer_constants = [&](const Layer<T>& shape, auto norm_of, auto abs_beta) {
    // norm_of(selector) → T upper bound of ‖selected matrix‖ for this (combined) layer
    T Mg(0), Lg(0), Lmu(0);
    const std::size_t heads = shape.heads.size();
    const T beta = abs_beta();
    for (std::size_t h = 0; h < heads; ++h) {
      const Head<T>& H0 = shape.heads[h];
      const T nV = norm_of([h](const Layer<T>& l) { return l.heads[h].V; });
      const T nVx = norm_of([h, d](const Layer<T>& l) { return detail::columns(l.heads[h].V, 0, d); });
      T nB, nBx_cols, nBx_rows;
      if (ctl.kind == Control<T>::smooth_kind && !H0.uses_B()) {
        // B(t) = K(t)ᵀQ(t): bilinear in the control, bounded by the product of the two bounds
        const T nQ = norm_of([h](const Layer<T>& l) { return l.heads[h].Q; });
        const T nQx = norm_of([h, d](const Layer<T>& l) { return detail::columns(l.heads[h].Q, 0, d); });
        const T nK = norm_of([h](const Layer<T>& l) { return l.heads[h].K; });
        const T nKx = norm_of([h, d](const Layer<T>& l) { return detail::columns(l.heads[h].K, 0, d); });
        nB = nK * nQ;
        nBx_cols = nK * nQx;  // B[:, x] = Kᵀ Q[:, x]
        nBx_rows = nKx * nQ;  // B[x, :] = K[:, x]ᵀ Q
      } else {
        nB = norm_of([h](const Layer<T>& l) { return l.heads[h].bilinear(); });
        nBx_cols = norm_of([h, d](const Layer<T>& l) { return detail::columns(l.heads[h].bilinear(), 0, d); });
        nBx_rows = norm_of([h, d](const Layer<T>& l) { return detail::rows(l.heads[h].bilinear(), 0, d); });
      }
      // in-projection biases: b_Q enters as the key term β b_Qᵀ K z_j; b_K cancels; b_V adds to |a_h|
      T nKbq(0), nKbq_x(0), nbV(0);
      if (H0.bQ.size()) {
        const T nbQ = norm_of([h](const Layer<T>& l) { return Mat<T>(l.heads[h].bQ); });
        nKbq = norm_of([h](const Layer<T>& l) { return l.heads[h].K; }) * nbQ;
        nKbq_x = norm_of([h, d](const Layer<T>& l) { return detail::columns(l.heads[h].K, 0, d); }) * nbQ;
      }
      if (H0.bV.size()) nbV = norm_of([h](const Layer<T>& l) { return Mat<T>(l.heads[h].bV); });
      Mg += nV * Rz + nbV;
      Lg += beta * nV * nBx_cols * Rz2;
      Lmu += (nVx + T(2) * beta * nV * Rz * (nBx_rows * Rz + nKbq_x)) * exp(T(2) * beta * (nB * Rz + nKbq) * Rz);
    }
    if (shape.W.size()) {
      const T nW = norm_of([](const Layer<T>& l) { return l.W; });
      Mg += nW * Rr;
      Lg += nW;
    }
    if (shape.b.size()) {
      Mg += norm_of([](const Layer<T>& l) { return Mat<T>(l.b); });
    }
    if (shape.mlp) {
      const auto& m0 = *shape.mlp;
      const T nW1 = norm_of([](const Layer<T>& l) { return l.mlp->W1; });
      const T nW2 = norm_of([](const Layer<T>& l) { return l.mlp->W2; });
      const T nb1 = m0.b1.size() ? norm_of([](const Layer<T>& l) { return Mat<T>(l.mlp->b1); }) : T(0);
      const T nb2 = m0.b2.size() ? norm_of([](const Layer<T>& l) { return Mat<T>(l.mlp->b2); }) : T(0);
      const T U = nW1 * Rr + nb1;
      const T width(static_cast<long long>(m0.W1.rows()));
      T Ssig = U;
      T Lsig(1);
      switch (m0.activation) {
        case Activation::tanh: Ssig = min(sqrt(width), U); break;
        case Activation::softplus: Ssig = U + sqrt(width) * ln2; break;
        case Activation::gelu_tanh: Ssig = U; Lsig = enclose_point<T>(out.gelu_lipschitz); break;
        case Activation::relu: Ssig = U; break;  // |max(0, u)| ≤ |u|, Lipschitz 1
      }
      Mg += nW2 * Ssig + nb2;
      Lg += nW2 * Lsig * nW1;
    }
    if (f.sphere()) {
      const T pR = max(T(1), sqr(Rr) - T(1));
      return std::array<T, 3>{pR * Mg, pR * Lg + T(2) * Rr * Mg, pR * Lmu};
    }
    return std::array<T, 3>{Mg, Lg, Lmu};
  };
  auto norm2 = [](const Mat<T>& m) { return enclose_point<T>(linalg::upper_bound_norm_2(m).value()); };
  std::array<T, 3> best{T(0), T(0), T(0)};
  if (ctl.kind == Control<T>::smooth_kind) {
    auto norm_of = [&](auto sel) {
      T s(0);
      for (std::size_t k = 0; k < ctl.layers.size(); ++k) s += weights[k] * norm2(sel(ctl.layers[k]));
      return s;
    };
    auto abs_beta = [&]() {
      T s(0);
      for (std::size_t k = 0; k < ctl.layers.size(); ++k) s += weights[k] * abs(ctl.layers[k].beta);
      return s;
    };
    best = layer_constants(ctl.layers[0], norm_of, abs_beta);
  } else {
    for (const auto& l : ctl.layers) {
      auto norm_of = [&](auto sel) { return norm2(sel(l)); };
      auto abs_beta = [&]() { return abs(l.beta); };
      const auto c = layer_constants(l, norm_of, abs_beta);
      for (int i = 0; i < 3; ++i) best[static_cast<std::size_t>(i)] = max(best[static_cast<std::size_t>(i)], c[static_cast<std::size_t>(i)]);
    }
  }
  out.M = sup(best[0]);
  out.L_x = sup(best[1]);
  out.L_mu = sup(best[2]);
  return out;
}

}  // namespace certiformer::transformer
