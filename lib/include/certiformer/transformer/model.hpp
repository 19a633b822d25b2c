#pragma once
/// certiformer/transformer/model.hpp — parameters of a Transformer layer as a vector field
/// (docs/mathematics.md §1), and controls θ(t).
///
/// A layer θ has: an inverse temperature β > 0; heads h = 1..H, each given either as
/// (Q_h, K_h, V_h) with Q_h, K_h ∈ R^{d_k×m}, V_h ∈ R^{d×m}, or as (B_h, V_h) with
/// B_h = K_hᵀQ_h ∈ R^{m×m}; m = d + d_p where d_p is the dimension of the static per-token
/// features p_i (positional encodings; 0 if none): heads act on z_i = (x_i, p_i). The
/// feed-forward part acts on x: affine W x + b (W ∈ R^{d×d}), or a one-hidden-layer MLP
/// W2 σ(W1 x + b1) + b2 with σ ∈ {tanh, softplus, GELU-tanh, ReLU}; either may be absent.
/// Optional per head: in-projection biases b_Q, b_K ∈ R^{d_k} (Q/K form only) and b_V ∈ R^d —
/// scores β (Q_h z_i + b_Q)ᵀ(K_h z_j + b_K), values V_h z_j + b_V; absent = exactly 0. Optional
/// per layer: a causal mask (token i attends to the tokens j ≤ i only; the softmax runs over that
/// prefix). ReLU is not C¹: only the interval, double and Dual (Clarke slope [0, 1] at the kink)
/// evaluations accept it; Taylor-series evaluation (validated flows) refuses it.
///
/// Controls θ(t) on [0, T]: `Control::constant(θ)`, `Control::piecewise(breakpoints, θ_0..θ_m)`
/// (θ_i on the i-th piece, right-continuous at breakpoints), or `Control::smooth({(φ_k, θ_k)})`
/// with θ(t) = Σ_k φ_k(t) θ_k, φ_k ∈ {1, t^j, sin(ωt), cos(ωt)} (all θ_k of identical shape).
///
/// All entries are intervals of type T (Interval or MpInterval) built from exact text
/// (`from_text<T>`), never from decimal-looking double literals; `matrix_from_text` helps.

#include "certiformer/core.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::transformer {

enum class Activation { tanh, softplus, gelu_tanh, relu };

inline const char* to_string(Activation a) {
  switch (a) {
    case Activation::tanh: return "tanh";
    case Activation::softplus: return "softplus";
    case Activation::gelu_tanh: return "gelu_tanh";
    case Activation::relu: return "relu";
  }
  return "?";
}

template <class T>
struct Head {
  Mat<T> Q, K;  ///< d_k × m (empty when B is given)
  Mat<T> B;     ///< m × m (empty when Q, K are given); B = Kᵀ Q
  Mat<T> V;     ///< d × m
  Vec<T> bQ, bK;  ///< in-projection biases (d_k each; Q/K form only); empty = exactly 0
  Vec<T> bV;      ///< value bias (d); empty = exactly 0
  bool uses_B() const { return B.size() != 0; }
  bool has_bias() const { return bQ.size() != 0 || bK.size() != 0 || bV.size() != 0; }
  /// B_h = K_hᵀ Q_h (enclosed) whichever form was given.
  Mat<T> bilinear() const {
    if (uses_B()) return B;
    Mat<T> r(Q.cols(), Q.cols());
    for (Eigen::Index i = 0; i < Q.cols(); ++i)
      for (Eigen::Index j = 0; j < Q.cols(); ++j) {
        T s(0);
        for (Eigen::Index l = 0; l < Q.rows(); ++l) s += K(l, i) * Q(l, j);
        r(i, j) = s;
      }
    return r;
  }
};

template <class T>
struct Mlp {
  Mat<T> W1;  ///< width × d
  Vec<T> b1;  ///< width
  Mat<T> W2;  ///< d × width
  Vec<T> b2;  ///< d
  Activation activation = Activation::tanh;
};

template <class T>
struct Layer {
  T beta = T(1);
  std::vector<Head<T>> heads;
  Mat<T> W;  ///< affine FFN (d × d), may be empty
  Vec<T> b;  ///< affine bias (d), may be empty
  std::optional<Mlp<T>> mlp;
  bool causal = false;  ///< causal mask: token i attends to tokens j ≤ i only

  /// The features of this layer beyond the plain model of mathematics.md §1 (causal mask,
  /// in-projection biases, ReLU), named as in the config ("causal", "heads[h].bQ/bK/bV",
  /// "mlp.activation relu"); empty when there are none. Engines that implement only the plain
  /// model refuse a layer whose list is not empty, naming it.
  std::string extensions() const {
    std::string r;
    auto add = [&r](const std::string& w) { r += (r.empty() ? "" : ", ") + w; };
    if (causal) add("causal mask (\"causal\": true)");
    for (const auto& H : heads)
      if (H.has_bias()) {
        add("in-projection biases (heads[].bQ/bK/bV)");
        break;
      }
    if (mlp && mlp->activation == Activation::relu) add("activation relu");
    return r;
  }
  /// Whether the layer is C^∞ in the state (every activation smooth; ReLU is not).
  bool smooth() const { return !(mlp && mlp->activation == Activation::relu); }

  /// Checks shapes against d (token dimension) and m = d + d_p; throws std::invalid_argument.
  void validate(Eigen::Index d, Eigen::Index m) const {
    auto need = [](bool ok, const std::string& what) {
      if (!ok) throw std::invalid_argument("transformer layer: " + what);
    };
    need(certainly_positive(beta) || heads.empty(), "beta must be positive");
    for (std::size_t h = 0; h < heads.size(); ++h) {
      const auto& H = heads[h];
      const std::string tag = "head " + std::to_string(h) + ": ";
      need(H.V.rows() == d && H.V.cols() == m, tag + "V must be d × (d + d_p)");
      if (H.uses_B()) {
        need(H.B.rows() == m && H.B.cols() == m, tag + "B must be (d + d_p) × (d + d_p)");
        need(H.Q.size() == 0 && H.K.size() == 0, tag + "give either B or Q, K");
      } else {
        need(H.Q.cols() == m && H.K.cols() == m && H.Q.rows() == H.K.rows() && H.Q.rows() > 0,
             tag + "Q, K must be d_k × (d + d_p)");
      }
      need(H.bQ.size() == 0 || (!H.uses_B() && H.bQ.size() == H.Q.rows()), tag + "bQ needs the Q, K form and d_k entries");
      need(H.bK.size() == 0 || (!H.uses_B() && H.bK.size() == H.K.rows()), tag + "bK needs the Q, K form and d_k entries");
      need(H.bV.size() == 0 || H.bV.size() == d, tag + "bV must have d entries");
    }
    need(W.size() == 0 || (W.rows() == d && W.cols() == d), "W must be d × d");
    need(b.size() == 0 || b.size() == d, "b must have d entries");
    if (mlp) {
      need(mlp->W1.cols() == d && mlp->W1.rows() > 0, "mlp.W1 must be width × d");
      need(mlp->b1.size() == 0 || mlp->b1.size() == mlp->W1.rows(), "mlp.b1 must have width entries");
      need(mlp->W2.rows() == d && mlp->W2.cols() == mlp->W1.rows(), "mlp.W2 must be d × width");
      need(mlp->b2.size() == 0 || mlp->b2.size() == d, "mlp.b2 must have d entries");
    }
  }
};

/// A basis function of smooth controls.
template <class T>
struct Basis {
  enum Kind { one, power, sine, cosine } kind = one;
  int exponent = 0;  ///< for power: t^exponent (≥ 1)
  T omega = T(1);    ///< for sine / cosine
};

template <class T>
struct Control {
  enum Kind { constant_kind, piecewise_kind, smooth_kind } kind = constant_kind;
  std::vector<Layer<T>> layers;        ///< 1 (constant), m+1 (piecewise), one per basis (smooth)
  std::vector<double> breakpoints;     ///< piecewise: sorted, strictly increasing
  std::vector<Basis<T>> basis;         ///< smooth: φ_k for layers[k]

  static Control constant(Layer<T> l) {
    Control c;
    c.layers.push_back(std::move(l));
    return c;
  }
  static Control piecewise(std::vector<double> bps, std::vector<Layer<T>> ls) {
    if (ls.size() != bps.size() + 1) throw std::invalid_argument("piecewise control: need one layer per piece");
    for (std::size_t i = 1; i < bps.size(); ++i)
      if (!(bps[i - 1] < bps[i])) throw std::invalid_argument("piecewise control: breakpoints must increase");
    Control c;
    c.kind = piecewise_kind;
    c.breakpoints = std::move(bps);
    c.layers = std::move(ls);
    return c;
  }
  static Control smooth(std::vector<Basis<T>> phis, std::vector<Layer<T>> ls) {
    if (phis.size() != ls.size() || ls.empty()) throw std::invalid_argument("smooth control: one layer per basis function");
    Control c;
    c.kind = smooth_kind;
    c.basis = std::move(phis);
    c.layers = std::move(ls);
    return c;
  }
};

/// Matrix from rows of exact text entries ("0.1", "1/3", "0x1p-3").
template <class T> Mat<T> matrix_from_text(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return Mat<T>(0, 0);
  Mat<T> m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != rows[0].size()) throw std::invalid_argument("matrix_from_text: ragged rows");
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = from_text<T>(rows[i][j]);
  }
  return m;
}
template <class T> Vec<T> vector_from_text(const std::vector<std::string>& xs) {
  Vec<T> v(static_cast<Eigen::Index>(xs.size()));
  for (std::size_t i = 0; i < xs.size(); ++i) v(static_cast<Eigen::Index>(i)) = from_text<T>(xs[i]);
  return v;
}
template <class T> Mat<T> identity_matrix(Eigen::Index n) {
  Mat<T> m(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) m(i, j) = T(i == j ? 1 : 0);
  return m;
}

}  // namespace certiformer::transformer
