#pragma once
/// certiformer/gradflow/model.hpp — P4 model data (docs/mathematics.md §5): heads with symmetric weight paths
/// D_h(t), evaluated in any scalar S of the ODE engine (so time Taylor coefficients are exact).
///
/// Weight paths (all keep D_h(t) symmetric when the data are symmetric):
///   constant          D(t) = D0,                                   D'(t) = 0
///   ou                D(t) = I + e^{−t}(D0 − I),                   D'(t) = −e^{−t}(D0 − I)
///   oscillating       D' = F(τ) − D, τ = t + φ, D(0) = D0, in closed form
///                     D(t) = P(t) + e^{−t}(D0 − P(0)),             D'(t) = F(τ) − D(t)
///                     with F(τ) = F0 + Σ_terms a·cos(ωτ) or a·sin(ωτ) (per entry, ω an integer)
///                     and the periodic particular solution P of P' = F − P:
///                       constant c     → c
///                       a cos(ωτ)      → a (cos ωτ + ω sin ωτ)/(1 + ω²)
///                       a sin(ωτ)      → a (sin ωτ − ω cos ωτ)/(1 + ω²)
///                     (check: P' + P = F term by term). The docs/mathematics.md §5 forcing for d = 2 and the
///                     library's d = 3 forcing are built by `oscillating_forcing` (docs/gradflow.md).
///                     Head h = 1..H uses the phase φ_h = 2πh/H (π enclosed).
///   piecewise_linear  samples (t_k, D_k), 0 = t_0 < … < t_m exact binary64 times; on [t_k, t_{k+1}]
///                     D(t) = D_k + (t − t_k)·S_k, S_k = (D_{k+1} − D_k)/(t_{k+1} − t_k), D' = S_k.
///                     Breakpoints t_1..t_{m−1} are declared, so the integrator never steps across
///                     one; beyond t_m the path is not defined (callers keep T ≤ t_m).
/// Encloses: `D_at` / `dD_at` return, for S over an interval type, enclosures of the exact real
///   matrices (and their time Taylor coefficients) for every real t in the argument.
/// Failure: shapes are checked at construction (std::invalid_argument); symmetry of the data is
///   the caller's responsibility (the config reader checks it exactly on the decimal text).

#include "certiformer/core.hpp"
#include "certiformer/ode/field.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::gradflow {

using certiformer::ode::lift;

/// One forcing term a·cos(ω τ) (cosine) or a·sin(ω τ) in entry (r, c) of F.
template <class T> struct ForcingTerm {
  Eigen::Index r = 0, c = 0;
  T a;
  int omega = 1;
  bool cosine = true;
};

/// The oscillating forcing of docs/mathematics.md §5 (d = 2) or the library's d = 3 extension:
///   d = 2: F(τ) = [[2 + 1.5 cos τ, sin 2τ], [sin 2τ, 2 − 1.5 cos τ]]
///   d = 3: F(τ) = [[2 + 1.5 cos τ, sin 2τ,           0.5 sin τ ],
///                  [sin 2τ,          2 − 1.5 cos τ,   0.5 cos 2τ],
///                  [0.5 sin τ,       0.5 cos 2τ,      2         ]]
/// F0 receives the constant part. Throws std::invalid_argument for other d.
template <class T> std::vector<ForcingTerm<T>> oscillating_forcing(Eigen::Index d, Mat<T>& F0) {
  if (d != 2 && d != 3) throw std::invalid_argument("oscillating path: defined for d = 2 and d = 3 only");
  F0 = Mat<T>::Constant(d, d, T(0));
  for (Eigen::Index i = 0; i < d; ++i) F0(i, i) = T(2);
  const T a15 = from_text<T>("1.5"), half = from_text<T>("0.5");
  std::vector<ForcingTerm<T>> f;
  f.push_back({0, 0, a15, 1, true});
  f.push_back({1, 1, -a15, 1, true});
  f.push_back({0, 1, T(1), 2, false});
  f.push_back({1, 0, T(1), 2, false});
  if (d == 3) {
    f.push_back({0, 2, half, 1, false});
    f.push_back({2, 0, half, 1, false});
    f.push_back({1, 2, half, 2, true});
    f.push_back({2, 1, half, 2, true});
  }
  return f;
}

template <class T> struct WeightPath {
  enum Kind { constant, ou, oscillating, piecewise_linear };
  Kind kind = constant;
  Mat<T> D0;                              ///< D(0) (constant / ou / oscillating)
  Mat<T> F0;                              ///< oscillating: constant part of F
  std::vector<ForcingTerm<T>> terms;      ///< oscillating: trigonometric part of F
  T phase;                                ///< oscillating: φ (τ = t + φ)
  std::vector<double> times;              ///< piecewise_linear: t_0 = 0 < … < t_m (exact)
  std::vector<Mat<T>> samples;            ///< piecewise_linear: D_k
  std::vector<Mat<T>> slopes;             ///< piecewise_linear: S_k (enclosures)

  Eigen::Index dim() const { return kind == piecewise_linear ? samples.front().rows() : D0.rows(); }
  bool autonomous() const { return kind == constant; }

  static WeightPath make_constant(Mat<T> D) {
    WeightPath p; p.kind = constant; p.D0 = std::move(D); p.check_square(p.D0); return p;
  }
  static WeightPath make_ou(Mat<T> D) {
    WeightPath p; p.kind = ou; p.D0 = std::move(D); p.check_square(p.D0); return p;
  }
  /// Oscillating path of head h (1-based) of H with the standard forcing for d = D.rows().
  static WeightPath make_oscillating(Mat<T> D, int h, int H) {
    WeightPath p; p.kind = oscillating; p.D0 = std::move(D); p.check_square(p.D0);
    p.terms = oscillating_forcing<T>(p.D0.rows(), p.F0);
    p.phase = T(2) * pi<T>() * T(h) / T(H);
    return p;
  }
  static WeightPath make_piecewise_linear(std::vector<double> t, std::vector<Mat<T>> D) {
    if (t.size() < 2 || t.size() != D.size())
      throw std::invalid_argument("piecewise-linear path: need ≥ 2 samples, one time per sample");
    if (t[0] != 0) throw std::invalid_argument("piecewise-linear path: the first sample time must be 0");
    for (std::size_t k = 1; k < t.size(); ++k)
      if (!(t[k] > t[k - 1])) throw std::invalid_argument("piecewise-linear path: times must increase");
    WeightPath p; p.kind = piecewise_linear; p.times = std::move(t); p.samples = std::move(D);
    for (const auto& m : p.samples) {
      p.check_square(m);
      if (m.rows() != p.samples[0].rows()) throw std::invalid_argument("piecewise-linear path: samples differ in size");
    }
    for (std::size_t k = 0; k + 1 < p.times.size(); ++k) {
      const T dt = T(p.times[k + 1]) - T(p.times[k]);
      p.slopes.push_back(((p.samples[k + 1] - p.samples[k]).array() / dt).matrix());
    }
    return p;
  }

  std::vector<double> breakpoints() const {
    if (kind != piecewise_linear) return {};
    return std::vector<double>(times.begin() + 1, times.end() - 1);
  }

  /// D(t) in the scalar S (row-major d × d, as a std::vector of d·d entries).
  template <class S> std::vector<S> D_at(const S& t) const {
    using namespace certiformer::ode::math;
    const Eigen::Index d = dim();
    std::vector<S> D(static_cast<std::size_t>(d * d));
    auto at = [&](Eigen::Index r, Eigen::Index c) -> S& { return D[static_cast<std::size_t>(r * d + c)]; };
    switch (kind) {
      case constant:
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) at(r, c) = lift<S>(D0(r, c));
        break;
      case ou: {
        const S e = exp(-t);
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) {
            const T off = r == c ? D0(r, c) - T(1) : D0(r, c);
            at(r, c) = e * lift<S>(off);
            if (r == c) at(r, c) = at(r, c) + lift<S>(1);
          }
        break;
      }
      case oscillating: {
        const S e = exp(-t);
        const S tau = t + lift<S>(phase);
        std::vector<S> P(D.size());
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) P[static_cast<std::size_t>(r * d + c)] = lift<S>(F0(r, c));
        for (const auto& ft : terms) {
          const S arg = lift<S>(ft.omega) * tau;
          const S cs = cos(arg), sn = sin(arg);
          const T w(ft.omega), den = T(1) + w * w;
          // particular solution and its value at t = 0 (τ = φ), both exact formulas
          const T a = ft.a / den;
          const S part = ft.cosine ? lift<S>(a) * (cs + lift<S>(w) * sn) : lift<S>(a) * (sn - lift<S>(w) * cs);
          auto& pe = P[static_cast<std::size_t>(ft.r * d + ft.c)];
          pe = pe + part;
        }
        const std::vector<T> P0 = particular_at_zero();
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) {
            const std::size_t k = static_cast<std::size_t>(r * d + c);
            at(r, c) = P[k] + e * lift<S>(D0(r, c) - P0[k]);
          }
        break;
      }
      case piecewise_linear: {
        const std::size_t k = ode::select_piece_for(breakpoints(), t);
        const S dt = t - lift<S>(times[k]);
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) at(r, c) = lift<S>(samples[k](r, c)) + dt * lift<S>(slopes[k](r, c));
        break;
      }
    }
    return D;
  }

  /// D'(t) in the scalar S given D = D_at(t) (row-major); empty for the constant path.
  template <class S> std::vector<S> dD_at(const S& t, const std::vector<S>& D) const {
    using namespace certiformer::ode::math;
    const Eigen::Index d = dim();
    std::vector<S> R;
    switch (kind) {
      case constant: return R;
      case ou:  // D' = I − D
        R.resize(D.size());
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) {
            const std::size_t k = static_cast<std::size_t>(r * d + c);
            R[k] = r == c ? lift<S>(1) - D[k] : -D[k];
          }
        return R;
      case oscillating: {  // D' = F(τ) − D
        const S tau = t + lift<S>(phase);
        std::vector<S> F(D.size());
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) F[static_cast<std::size_t>(r * d + c)] = lift<S>(F0(r, c));
        for (const auto& ft : terms) {
          const S arg = lift<S>(ft.omega) * tau;
          const S v = ft.cosine ? cos(arg) : sin(arg);
          auto& fe = F[static_cast<std::size_t>(ft.r * d + ft.c)];
          fe = fe + lift<S>(ft.a) * v;
        }
        R.resize(D.size());
        for (std::size_t k = 0; k < D.size(); ++k) R[k] = F[k] - D[k];
        return R;
      }
      case piecewise_linear: {
        const std::size_t k = ode::select_piece_for(breakpoints(), t);
        R.resize(D.size());
        for (Eigen::Index r = 0; r < d; ++r)
          for (Eigen::Index c = 0; c < d; ++c) R[static_cast<std::size_t>(r * d + c)] = lift<S>(slopes[k](r, c));
        return R;
      }
    }
    return R;
  }

 private:
  void check_square(const Mat<T>& m) const {
    if (m.rows() < 1 || m.rows() != m.cols()) throw std::invalid_argument("weight path: D must be square and non-empty");
  }
  /// P(0) of the oscillating path (τ = φ), as intervals.
  std::vector<T> particular_at_zero() const {
    const Eigen::Index d = dim();
    std::vector<T> P(static_cast<std::size_t>(d * d));
    for (Eigen::Index r = 0; r < d; ++r)
      for (Eigen::Index c = 0; c < d; ++c) P[static_cast<std::size_t>(r * d + c)] = F0(r, c);
    for (const auto& ft : terms) {
      const T arg = T(ft.omega) * phase;
      const T cs = cos(arg), sn = sin(arg);
      const T w(ft.omega), den = T(1) + w * w;
      const T part = ft.cosine ? ft.a * (cs + w * sn) / den : ft.a * (sn - w * cs) / den;
      P[static_cast<std::size_t>(ft.r * d + ft.c)] += part;
    }
    return P;
  }
};

/// The P4 model: H heads (each with a weight path), n tokens on S^{d−1}, sign s = ±1
/// (+1 ascent = Transformer, −1 descent).
template <class T> struct Model {
  Eigen::Index n = 0, d = 0;
  int sign = 1;
  std::vector<WeightPath<T>> heads;
  /// Optional constant perturbation box added to every head's D(t) (stability w.r.t. weights):
  /// empty = none; otherwise d × d interval matrix (e.g. entries [−ε, ε], symmetric).
  Mat<T> perturbation;

  Eigen::Index H() const { return static_cast<Eigen::Index>(heads.size()); }
  bool autonomous() const {
    for (const auto& h : heads)
      if (!h.autonomous()) return false;
    return true;
  }
  void validate() const {
    if (n < 1 || d < 1) throw std::invalid_argument("gradflow::Model: need n ≥ 1 tokens of dimension d ≥ 1");
    if (heads.empty()) throw std::invalid_argument("gradflow::Model: need at least one head");
    if (sign != 1 && sign != -1) throw std::invalid_argument("gradflow::Model: sign must be +1 or −1");
    for (const auto& h : heads)
      if (h.dim() != d) throw std::invalid_argument("gradflow::Model: a head's D is not d × d");
    if (perturbation.size() && (perturbation.rows() != d || perturbation.cols() != d))
      throw std::invalid_argument("gradflow::Model: perturbation must be d × d");
  }
  std::vector<double> breakpoints() const {
    std::vector<double> b;
    for (const auto& h : heads)
      for (double x : h.breakpoints()) b.push_back(x);
    std::sort(b.begin(), b.end());
    b.erase(std::unique(b.begin(), b.end()), b.end());
    return b;
  }
};

/// Encloses: tokens on the unit circle x_i = (cos θ_i, sin θ_i) for every real θ_i in the
///   interval angles(i) (flat vector, 2 coordinates per token; ‖x_i‖ = 1 exactly for the real
///   tokens, the enclosures have width ~ulp).
template <class T> Vec<T> tokens_on_circle(const Vec<T>& angles) {
  Vec<T> x(2 * angles.size());
  for (Eigen::Index k = 0; k < angles.size(); ++k) {
    x(2 * k) = cos(angles(k));
    x(2 * k + 1) = sin(angles(k));
  }
  return x;
}

/// tokens_on_circle of the equally spaced angles θ_k = θ0 + k·Δ, k = 0..n−1.
template <class T> Vec<T> circle_tokens(int n, const T& theta0, const T& delta) {
  if (n < 1) throw std::invalid_argument("circle_tokens: need n ≥ 1");
  Vec<T> th(n);
  for (int k = 0; k < n; ++k) th(k) = theta0 + T(k) * delta;
  return tokens_on_circle<T>(th);
}

}  // namespace certiformer::gradflow
