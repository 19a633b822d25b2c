#pragma once
/// certiformer/transformer/field.hpp — the n-token Transformer system as one (n·d)-dimensional
/// vector field (docs/mathematics.md §1), usable by every engine of certiformer::ode.
///
/// State X = (x_1, …, x_n) ∈ R^{n·d}, token i at X[i·d, (i+1)·d). With z_i = (x_i, p_i) (static
/// features p_i ∈ R^{d_p}, possibly none) and μ = (1/n) Σ_j δ_{z_j}:
///   scores   s_ij = β ⟨Q_h z_i + b_Q, K_h z_j + b_K⟩   (= β z_jᵀ B_h z_i without biases)
///   weights  w_ij = exp(s_ij) / Σ_{l ∈ J(i)} exp(s_il), j ∈ J(i)   (sound max-shift, ode::softmax_s)
///   heads    a_h(z_i) = Σ_{j ∈ J(i)} w_ij (V_h z_j + b_V)
///   field    g_i = Σ_h a_h(z_i) + FFN(x_i),   FFN = W x + b  or  W2 σ(W1 x + b1) + b2
///   sphere   f_i = g_i − x_i ⟨x_i, g_i⟩  (P_x = I − x xᵀ), otherwise f_i = g_i.
/// J(i) = {1..n}, or {1..i} for a causal layer (the mask: softmax over the prefix). Absent
/// biases are exactly 0. σ: ReLU(u) = max(0, u) (interval max; for Dual scalars the slope is 0,
/// 1, or the Clarke hull [0, 1] when the argument interval contains 0; Taylor scalars refuse it:
/// std::invalid_argument naming "activation relu"); tanh; softplus(u) = log1p(e^u) (evaluated as u + log1p(e^{−u}) when the center of u
/// is positive — the same real function); GELU-tanh(u) = u/2 · (1 + tanh(√(2/π)(u + 0.044715 u³)))
/// with √(2/π) enclosed and 0.044715 read as exact text.
/// Time: θ(t) from the Control (model.hpp); piecewise controls declare their breakpoints so the
/// integrator never steps across one; smooth controls evaluate θ(t) = Σ_k φ_k(t) θ_k in the
/// scalar S (so time Taylor coefficients are exact).
///
/// Encloses: for S = T (and Taylor<T>, Dual<T>, …) every output encloses the exact real field
///   (or its Taylor / derivative coefficients) for every real state, time and parameter inside
///   the arguments and the interval parameters. S = double is an approximation (midpoints).
/// Assumes: nothing. Failure: shapes are checked at construction (std::invalid_argument).

#include "certiformer/core.hpp"
#include "certiformer/linalg/product.hpp"
#include "certiformer/ode/field.hpp"
#include "certiformer/transformer/model.hpp"

#include <vector>

namespace certiformer::transformer {

namespace detail {
template <class S> bool center_positive(const S& u) {
  const auto& v = ode::value_of(u);
  if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>) return v > 0;
  else return mid(v) > 0;
}

/// ReLU(u) = max(0, u). Encloses: for interval u, {max(0, v) : v ∈ u} (core interval max, exact);
/// for Dual u, the value and a slope enclosing the Clarke generalised derivative (0 where u < 0,
/// 1 where u > 0, the hull [0, 1] when the argument interval contains 0), which is what the
/// mean-value form of a Lipschitz map needs. Failure: std::invalid_argument for any other scalar
/// (Taylor series: ReLU is not C¹, a Taylor–Lohner remainder needs a C^p field).
inline double relu(double u) { return u > 0 ? u : 0.0; }
inline Interval relu(const Interval& u) { return max(Interval(0), u); }
inline MpInterval relu(const MpInterval& u) { return max(MpInterval(0), u); }
template <class S> S relu(const S&) {
  throw std::invalid_argument(
      "transformer: activation relu is not C¹ and is refused for Taylor-series evaluation (validated flows need a "
      "C^p field; use the discrete network, or a smooth activation: tanh, softplus, gelu_tanh)");
}
template <class C> C relu_slope(const C& v) {
  if constexpr (std::is_same_v<C, double>) return v > 0 ? 1.0 : 0.0;
  else if constexpr (std::is_same_v<C, Interval> || std::is_same_v<C, MpInterval>) {
    if (certainly_positive(v)) return C(1);
    if (certainly_negative(v)) return C(0);
    return convex_hull(C(0), C(1));
  } else {
    throw std::invalid_argument("transformer: activation relu has no second derivative (refused for nested derivatives)");
  }
}
template <class C> ode::Dual<C> relu(const ode::Dual<C>& u) { return u.chain(relu(u.value()), relu_slope(u.value())); }
}  // namespace detail

template <class T>
class TransformerField {
 public:
  /// n tokens of dimension d; features (n × d_p) may be empty.
  TransformerField(Eigen::Index n, Eigen::Index d, Control<T> control, bool sphere = false, Mat<T> features = {})
      : n_(n), d_(d), control_(std::move(control)), sphere_(sphere), features_(std::move(features)) {
    if (n < 1 || d < 1) throw std::invalid_argument("TransformerField: need n ≥ 1 tokens of dimension d ≥ 1");
    if (features_.size() != 0 && features_.rows() != n)
      throw std::invalid_argument("TransformerField: features must have one row per token");
    dp_ = features_.size() ? features_.cols() : 0;
    for (const auto& l : control_.layers) l.validate(d_, d_ + dp_);
    if (control_.kind == Control<T>::smooth_kind) {
      const auto& l0 = control_.layers[0];
      for (const auto& l : control_.layers) {
        bool same = l.heads.size() == l0.heads.size() && l.W.size() == l0.W.size() && l.b.size() == l0.b.size() &&
                    l.mlp.has_value() == l0.mlp.has_value() && l.causal == l0.causal;
        for (std::size_t h = 0; same && h < l.heads.size(); ++h)
          same = l.heads[h].uses_B() == l0.heads[h].uses_B() && l.heads[h].Q.rows() == l0.heads[h].Q.rows() &&
                 l.heads[h].bQ.size() == l0.heads[h].bQ.size() && l.heads[h].bK.size() == l0.heads[h].bK.size() &&
                 l.heads[h].bV.size() == l0.heads[h].bV.size();
        if (same && l.mlp)
          same = l.mlp->W1.rows() == l0.mlp->W1.rows() && l.mlp->activation == l0.mlp->activation &&
                 l.mlp->b1.size() == l0.mlp->b1.size() && l.mlp->b2.size() == l0.mlp->b2.size();
        if (!same) throw std::invalid_argument("TransformerField: smooth control layers must have identical shapes");
      }
    }
    // β folded into the query side for constant-in-time layers (one interval product per entry).
    scaled_.reserve(control_.layers.size());
    for (const auto& l : control_.layers) {
      std::vector<ScaledHead> qs;
      for (const auto& h : l.heads) {
        ScaledHead sh{(h.uses_B() ? h.B : h.Q) * l.beta, Vec<T>()};
        if (h.bQ.size()) sh.bq = h.bQ * l.beta;
        qs.push_back(std::move(sh));
      }
      scaled_.push_back(std::move(qs));
    }
    gelu_c_ = sqrt(T(2) / pi<T>());
    gelu_a_ = from_text<T>("0.044715");
  }

  Eigen::Index dimension() const { return n_ * d_; }
  Eigen::Index tokens() const { return n_; }
  Eigen::Index token_dimension() const { return d_; }
  Eigen::Index feature_dimension() const { return dp_; }
  bool sphere() const { return sphere_; }
  const Control<T>& control() const { return control_; }
  const Mat<T>& features() const { return features_; }
  std::vector<double> breakpoints() const {
    return control_.kind == Control<T>::piecewise_kind ? control_.breakpoints : std::vector<double>{};
  }

  template <class S> void operator()(const S& t, const Vec<S>& X, Vec<S>& dX) const {
    if (X.size() != n_ * d_) throw std::invalid_argument("TransformerField: state has the wrong dimension");
    dX.resize(n_ * d_);
    switch (control_.kind) {
      case Control<T>::constant_kind:
        if constexpr (std::is_same_v<S, Interval> && std::is_same_v<T, Interval>) eval_layer_matrix(control_.layers[0], scaled_[0], X, dX);
        else eval_layer<S, T>(control_.layers[0], &scaled_[0], X, dX);
        break;
      case Control<T>::piecewise_kind: {
        const std::size_t i = ode::select_piece_for(control_.breakpoints, t);
        if constexpr (std::is_same_v<S, Interval> && std::is_same_v<T, Interval>) eval_layer_matrix(control_.layers[i], scaled_[i], X, dX);
        else eval_layer<S, T>(control_.layers[i], &scaled_[i], X, dX);
        break;
      }
      case Control<T>::smooth_kind: {
        const Layer<S> l = layer_at<S>(t);
        eval_layer<S, S>(l, nullptr, X, dX);
        break;
      }
    }
  }

  /// φ_k(t) for every layer k of the control, so that θ(t) = Σ_k φ_k(t)·layers[k]: the basis
  /// values of a smooth control; for constant and piecewise controls the indicator (exact 0 / 1)
  /// of the layer in force at t.
  template <class S> std::vector<S> basis_at(const S& t) const {
    using ode::lift;
    std::vector<S> phi;
    if (control_.kind == Control<T>::smooth_kind) {
      for (const auto& b : control_.basis) phi.push_back(basis_value<S>(b, t));
    } else {
      const std::size_t i =
          control_.kind == Control<T>::piecewise_kind ? ode::select_piece_for(control_.breakpoints, t) : 0;
      phi.assign(control_.layers.size(), lift<S>(0));
      phi[i] = lift<S>(1);
    }
    return phi;
  }

  /// dX = this field's formula (heads, FFN or MLP, features, causal mask, sphere projection) at
  /// the state X with the layer L in place of θ(t). L must have the shapes of the control's
  /// layers (layer_at's result, possibly with other entries — e.g. entries carrying a derivative
  /// with respect to the parameters, euler/adjoint.hpp); its β is not required to be positive.
  /// Encloses: the field of the layer L at every point of X (inclusion principle).
  template <class S> void eval_with_layer(const Layer<S>& L, const Vec<S>& X, Vec<S>& dX) const {
    if (X.size() != n_ * d_) throw std::invalid_argument("TransformerField: state has the wrong dimension");
    if (L.heads.size() != control_.layers[0].heads.size() || L.W.size() != control_.layers[0].W.size() ||
        L.b.size() != control_.layers[0].b.size() || L.mlp.has_value() != control_.layers[0].mlp.has_value())
      throw std::invalid_argument("TransformerField::eval_with_layer: the layer's shape differs from the control's");
    dX.resize(n_ * d_);
    eval_layer<S, S>(L, nullptr, X, dX);
  }

  /// θ(t) in the scalar S (smooth controls; for the others the selected layer, lifted).
  template <class S> Layer<S> layer_at(const S& t) const {
    using ode::lift;
    const std::vector<S> phi = basis_at<S>(t);
    auto comb_m = [&](auto get) {
      const Mat<T>& m0 = get(control_.layers[0]);
      Mat<S> r(m0.rows(), m0.cols());
      for (Eigen::Index j = 0; j < m0.cols(); ++j)
        for (Eigen::Index i = 0; i < m0.rows(); ++i) {
          S s = phi[0] * lift<S>(m0(i, j));
          for (std::size_t k = 1; k < control_.layers.size(); ++k) s += phi[k] * lift<S>(get(control_.layers[k])(i, j));
          r(i, j) = s;
        }
      return r;
    };
    auto comb_v = [&](auto get) {
      const Vec<T>& v0 = get(control_.layers[0]);
      Vec<S> r(v0.size());
      for (Eigen::Index i = 0; i < v0.size(); ++i) {
        S s = phi[0] * lift<S>(v0(i));
        for (std::size_t k = 1; k < control_.layers.size(); ++k) s += phi[k] * lift<S>(get(control_.layers[k])(i));
        r(i) = s;
      }
      return r;
    };
    // the non-parameter attributes (causal mask, MLP activation) of the layer in force: a
    // piecewise control's pieces may differ in them (a smooth control's layers may not: the
    // constructor checks)
    const Layer<T>& in_force = control_.kind == Control<T>::piecewise_kind
                                   ? control_.layers[ode::select_piece_for(control_.breakpoints, t)]
                                   : control_.layers[0];
    Layer<S> out;
    out.causal = in_force.causal;
    {
      S beta = phi[0] * lift<S>(control_.layers[0].beta);
      for (std::size_t k = 1; k < control_.layers.size(); ++k) beta += phi[k] * lift<S>(control_.layers[k].beta);
      out.beta = beta;
    }
    const auto& l0 = control_.layers[0];
    for (std::size_t h = 0; h < l0.heads.size(); ++h) {
      Head<S> hd;
      if (l0.heads[h].uses_B()) hd.B = comb_m([h](const Layer<T>& l) -> const Mat<T>& { return l.heads[h].B; });
      else {
        hd.Q = comb_m([h](const Layer<T>& l) -> const Mat<T>& { return l.heads[h].Q; });
        hd.K = comb_m([h](const Layer<T>& l) -> const Mat<T>& { return l.heads[h].K; });
      }
      hd.V = comb_m([h](const Layer<T>& l) -> const Mat<T>& { return l.heads[h].V; });
      if (l0.heads[h].bQ.size()) hd.bQ = comb_v([h](const Layer<T>& l) -> const Vec<T>& { return l.heads[h].bQ; });
      if (l0.heads[h].bK.size()) hd.bK = comb_v([h](const Layer<T>& l) -> const Vec<T>& { return l.heads[h].bK; });
      if (l0.heads[h].bV.size()) hd.bV = comb_v([h](const Layer<T>& l) -> const Vec<T>& { return l.heads[h].bV; });
      out.heads.push_back(std::move(hd));
    }
    if (l0.W.size()) out.W = comb_m([](const Layer<T>& l) -> const Mat<T>& { return l.W; });
    if (l0.b.size()) out.b = comb_v([](const Layer<T>& l) -> const Vec<T>& { return l.b; });
    if (l0.mlp) {
      Mlp<S> m;
      m.activation = in_force.mlp->activation;
      m.W1 = comb_m([](const Layer<T>& l) -> const Mat<T>& { return l.mlp->W1; });
      m.W2 = comb_m([](const Layer<T>& l) -> const Mat<T>& { return l.mlp->W2; });
      if (l0.mlp->b1.size()) m.b1 = comb_v([](const Layer<T>& l) -> const Vec<T>& { return l.mlp->b1; });
      if (l0.mlp->b2.size()) m.b2 = comb_v([](const Layer<T>& l) -> const Vec<T>& { return l.mlp->b2; });
      out.mlp = std::move(m);
    }
    return out;
  }

  /// The activation σ(u) of the MLP.
  template <class S> S activate(Activation a, const S& u) const {
    using namespace ode::math;
    using ode::lift;
    switch (a) {
      case Activation::tanh: return tanh(u);
      case Activation::softplus:
        if (detail::center_positive(u)) return u + log1p(exp(-u));
        return log1p(exp(u));
      case Activation::gelu_tanh: {
        const S inner = lift<S>(gelu_c_) * (u + lift<S>(gelu_a_) * (u * u * u));
        return lift<S>(0.5) * u * (lift<S>(1) + tanh(inner));
      }
      case Activation::relu: return detail::relu(u);
    }
    throw std::invalid_argument("unknown activation");
  }

 private:
  /// β·(B or Q) and β·b_Q of one head of a constant-in-time layer (enclosed once).
  struct ScaledHead {
    Mat<T> q;
    Vec<T> bq;  ///< empty when the head has no b_Q
  };
  /// Adds the bias b (if any) to every row of Y (token-row matrices of the kernel).
  static void add_rows(Mat<Interval>& Y, const Vec<Interval>& b) {
    if (b.size() == 0) return;
    for (Eigen::Index i = 0; i < Y.rows(); ++i)
      for (Eigen::Index c = 0; c < Y.cols(); ++c) Y(i, c) += b(c);
  }

  template <class S> S basis_value(const Basis<T>& b, const S& t) const {
    using namespace ode::math;
    using ode::lift;
    switch (b.kind) {
      case Basis<T>::one: return lift<S>(1);
      case Basis<T>::power: {
        S r = t;
        for (int k = 1; k < b.exponent; ++k) r = r * t;
        return b.exponent <= 0 ? lift<S>(1) : r;
      }
      case Basis<T>::sine: return sin(lift<S>(b.omega) * t);
      case Basis<T>::cosine: return cos(lift<S>(b.omega) * t);
    }
    return lift<S>(0);
  }

  /// y = M z for a parameter matrix M of type P (T: constant, lifted; S: time-dependent).
  /// Binary64 interval boxes, layer constant in time: the same formulas as eval_layer written as
  /// matrix products over the token rows Z (n × (d + d_p)):
  ///   scores_h = (Z (βQ_h)ᵀ + 1(βb_Q)ᵀ)(Z K_hᵀ + 1b_Kᵀ)ᵀ  (or (Z (βB_h)ᵀ) Zᵀ),
  ///   A_h = softmax_rows(scores_h) (causal: row i is the softmax of its first i + 1 entries and
  ///   exact zeros after them), G = Σ_h A_h (Z V_hᵀ + 1b_Vᵀ) + X Wᵀ + 1bᵀ + MLP,
  /// each product enclosed by linalg `mul` (midpoint-radius GEMMs under directed rounding) and
  /// the softmax by the batch kernel `softmax_rows`; every step encloses its exact real
  /// counterpart for every real input in the boxes, so G ⊇ the field over the box (the
  /// dependency structure is the one of the scalar code: each score and weight is one interval).
  void eval_layer_matrix(const Layer<T>& L, const std::vector<ScaledHead>& scaled, const Vec<Interval>& X,
                         Vec<Interval>& dX) const
    requires std::is_same_v<T, Interval>
  {
    const Eigen::Index n = n_, d = d_, m = d_ + dp_;
    Mat<Interval> Z(n, m), Xd(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index c = 0; c < d; ++c) Z(i, c) = Xd(i, c) = X(i * d + c);
      for (Eigen::Index c = 0; c < dp_; ++c) Z(i, d + c) = features_(i, c);
    }
    Mat<Interval> G = Mat<Interval>::Constant(n, d, Interval(0));
    for (std::size_t h = 0; h < L.heads.size(); ++h) {
      const Head<T>& H = L.heads[h];
      const Mat<Interval> Qt = scaled[h].q.transpose();
      Mat<Interval> QZ = linalg::mul(Z, Qt);
      add_rows(QZ, scaled[h].bq);
      Mat<Interval> KZ;
      if (H.uses_B()) KZ = Z;
      else {
        const Mat<Interval> Kt = H.K.transpose();
        KZ = linalg::mul(Z, Kt);
        add_rows(KZ, H.bK);
      }
      const Mat<Interval> KZt = KZ.transpose();
      const Mat<Interval> Sc = linalg::mul(QZ, KZt);
      Mat<Interval> A;
      if (!L.causal) A = softmax_rows(Sc);
      else {
        A = Mat<Interval>::Constant(n, n, Interval(0));
        for (Eigen::Index i = 0; i < n; ++i) {
          const Mat<Interval> row = Sc.block(i, 0, 1, i + 1);
          A.block(i, 0, 1, i + 1) = softmax_rows(row);
        }
      }
      const Mat<Interval> Vt = H.V.transpose();
      Mat<Interval> VZ = linalg::mul(Z, Vt);
      add_rows(VZ, H.bV);
      G += linalg::mul(A, VZ);
    }
    auto add_affine = [&](const Mat<Interval>& In, const Mat<Interval>& Wm, const Vec<Interval>& b) {
      const Mat<Interval> Wt = Wm.transpose();
      Mat<Interval> Y = linalg::mul(In, Wt);
      if (b.size())
        for (Eigen::Index i = 0; i < Y.rows(); ++i)
          for (Eigen::Index c = 0; c < Y.cols(); ++c) Y(i, c) += b(c);
      return Y;
    };
    if (L.W.size()) G += add_affine(Xd, L.W, L.b);
    else if (L.b.size())
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index c = 0; c < d; ++c) G(i, c) += L.b(c);
    if (L.mlp) {
      const auto& M = *L.mlp;
      Mat<Interval> U = add_affine(Xd, M.W1, M.b1);
      for (Eigen::Index i = 0; i < U.rows(); ++i)
        for (Eigen::Index c = 0; c < U.cols(); ++c) U(i, c) = activate<Interval>(M.activation, U(i, c));
      G += add_affine(U, M.W2, M.b2);
    }
    dX.resize(n * d);
    for (Eigen::Index i = 0; i < n; ++i) {
      if (sphere_) {
        Interval xg(0);
        for (Eigen::Index c = 0; c < d; ++c) xg += Xd(i, c) * G(i, c);
        for (Eigen::Index c = 0; c < d; ++c) dX(i * d + c) = G(i, c) - Xd(i, c) * xg;
      } else {
        for (Eigen::Index c = 0; c < d; ++c) dX(i * d + c) = G(i, c);
      }
    }
  }

  template <class S, class P> static Vec<S> lin(const Mat<P>& M, const Vec<S>& z) {
    if constexpr (std::is_same_v<P, S>) return ode::matvec_s(M, z);
    else return ode::matvec<S, P>(M, z);
  }
  template <class S, class P> static Vec<S> aff(const Mat<P>& M, const Vec<S>& z, const Vec<P>& b) {
    Vec<S> y = lin<S, P>(M, z);
    if (b.size()) {
      for (Eigen::Index i = 0; i < y.size(); ++i) {
        if constexpr (std::is_same_v<P, S>) y(i) += b(i);
        else y(i) += ode::lift<S>(b(i));
      }
    }
    return y;
  }

  /// One layer: dX = f(X) with parameters of type P; `scaled` = β·(B or Q), β·b_Q per head when P = T.
  template <class S, class P>
  void eval_layer(const Layer<P>& L, const std::vector<ScaledHead>* scaled, const Vec<S>& X, Vec<S>& dX) const {
    using ode::lift;
    const Eigen::Index n = n_, d = d_, m = d_ + dp_;
    std::vector<Vec<S>> z(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      Vec<S> zi(m);
      for (Eigen::Index c = 0; c < d; ++c) zi(c) = X(i * d + c);
      for (Eigen::Index c = 0; c < dp_; ++c) zi(d + c) = lift<S>(features_(i, c));
      z[static_cast<std::size_t>(i)] = std::move(zi);
    }
    std::vector<Vec<S>> g(static_cast<std::size_t>(n), Vec<S>());
    std::vector<bool> started(static_cast<std::size_t>(n), false);
    auto add_to = [&](Eigen::Index i, Vec<S> v) {
      auto& gi = g[static_cast<std::size_t>(i)];
      if (!started[static_cast<std::size_t>(i)]) {
        gi = std::move(v);
        started[static_cast<std::size_t>(i)] = true;
      } else {
        for (Eigen::Index c = 0; c < d; ++c) gi(c) += v(c);
      }
    };
    for (std::size_t h = 0; h < L.heads.size(); ++h) {
      const Head<P>& H = L.heads[h];
      std::vector<Vec<S>> q(static_cast<std::size_t>(n)), k(static_cast<std::size_t>(n));
      for (Eigen::Index i = 0; i < n; ++i) {
        const auto& zi = z[static_cast<std::size_t>(i)];
        if (scaled) {  // constant-in-time layer: β folded in at construction
          if constexpr (std::is_same_v<P, T>)
            q[static_cast<std::size_t>(i)] = aff<S, T>((*scaled)[h].q, zi, (*scaled)[h].bq);
        } else {       // layer evaluated at time t in the scalar S (P = S)
          if constexpr (std::is_same_v<P, S>) {
            Vec<S> qi = aff<S, P>(H.uses_B() ? H.B : H.Q, zi, H.bQ);
            for (Eigen::Index c = 0; c < qi.size(); ++c) qi(c) = qi(c) * L.beta;
            q[static_cast<std::size_t>(i)] = std::move(qi);
          }
        }
        k[static_cast<std::size_t>(i)] = H.uses_B() ? zi : aff<S, P>(H.K, zi, H.bK);
      }
      // value columns: vcol[c](j) = (V z_j + b_V)_c
      std::vector<Vec<S>> vcol(static_cast<std::size_t>(d), Vec<S>(n));
      for (Eigen::Index j = 0; j < n; ++j) {
        const Vec<S> vj = aff<S, P>(H.V, z[static_cast<std::size_t>(j)], H.bV);
        for (Eigen::Index c = 0; c < d; ++c) vcol[static_cast<std::size_t>(c)](j) = vj(c);
      }
      for (Eigen::Index i = 0; i < n; ++i) {
        const Eigen::Index len = L.causal ? i + 1 : n;  // causal mask: the prefix j ≤ i
        Vec<S> s(len);
        for (Eigen::Index j = 0; j < len; ++j) s(j) = ode::dot(k[static_cast<std::size_t>(j)], q[static_cast<std::size_t>(i)]);
        const Vec<S> w = ode::softmax_s(s);
        Vec<S> a(d);
        for (Eigen::Index c = 0; c < d; ++c) {
          const Vec<S> vc = vcol[static_cast<std::size_t>(c)].head(len);
          a(c) = ode::dot(w, vc);
        }
        add_to(i, std::move(a));
      }
    }
    // feed-forward
    for (Eigen::Index i = 0; i < n; ++i) {
      const Vec<S> xi = X.segment(i * d, d);
      if (L.W.size()) {
        Vec<S> y = aff<S, P>(L.W, xi, L.b);
        add_to(i, std::move(y));
      } else if (L.b.size()) {
        Vec<S> y(d);
        for (Eigen::Index c = 0; c < d; ++c) {
          if constexpr (std::is_same_v<P, S>) y(c) = L.b(c);
          else y(c) = lift<S>(L.b(c));
        }
        add_to(i, std::move(y));
      }
      if (L.mlp) {
        const auto& M = *L.mlp;
        Vec<S> u = aff<S, P>(M.W1, xi, M.b1);
        for (Eigen::Index r = 0; r < u.size(); ++r) u(r) = activate<S>(M.activation, u(r));
        add_to(i, aff<S, P>(M.W2, u, M.b2));
      }
      if (!started[static_cast<std::size_t>(i)]) {
        Vec<S> zero(d);
        for (Eigen::Index c = 0; c < d; ++c) zero(c) = lift<S>(0);
        add_to(i, std::move(zero));
      }
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto& gi = g[static_cast<std::size_t>(i)];
      if (sphere_) {
        const Vec<S> xi = X.segment(i * d, d);
        const S xg = ode::dot(xi, gi);
        for (Eigen::Index c = 0; c < d; ++c) dX(i * d + c) = gi(c) - xi(c) * xg;
      } else {
        for (Eigen::Index c = 0; c < d; ++c) dX(i * d + c) = gi(c);
      }
    }
  }

  Eigen::Index n_, d_, dp_ = 0;
  Control<T> control_;
  bool sphere_;
  Mat<T> features_;
  std::vector<std::vector<ScaledHead>> scaled_;
  T gelu_c_, gelu_a_;
};

/// Flattens n tokens (rows of an n × d matrix) into the state vector.
template <class T> Vec<T> flatten_tokens(const Mat<T>& tokens) {
  Vec<T> x(tokens.rows() * tokens.cols());
  for (Eigen::Index i = 0; i < tokens.rows(); ++i)
    for (Eigen::Index c = 0; c < tokens.cols(); ++c) x(i * tokens.cols() + c) = tokens(i, c);
  return x;
}
/// The inverse of flatten_tokens.
template <class T> Mat<T> unflatten_tokens(const Vec<T>& x, Eigen::Index d) {
  if (d <= 0 || x.size() % d != 0) throw std::invalid_argument("unflatten_tokens: size is not a multiple of d");
  Mat<T> m(x.size() / d, d);
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index c = 0; c < d; ++c) m(i, c) = x(i * d + c);
  return m;
}

}  // namespace certiformer::transformer
