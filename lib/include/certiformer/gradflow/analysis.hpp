#pragma once
/// certiformer/gradflow/analysis.hpp — stationary configurations (interval Newton / Krawczyk) and
/// stability bounds (log-norm Grönwall) for the P4 flow (docs/mathematics.md §5).

#include "certiformer/gradflow/field.hpp"
#include "certiformer/linalg.hpp"
#include "certiformer/ode/integrator.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace certiformer::gradflow {

namespace detail {
template <class T> double to_d(const T& x) { return approx_double(mid(x)); }
template <class R> double real_to_d(const R& x) { return approx_double(x); }
/// [−r, r] for a binary64 r ≥ 0.
template <class T> T pm(double r) { return convex_hull(T(-r), T(r)); }
/// max(ν, 0) of a point upper bound ν, as a point interval.
template <class T> T pos_part(const real_t<T>& nu) { return nu > 0 ? enclose_point<T>(nu) : T(0); }
}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Stationarity
// ---------------------------------------------------------------------------------------------

template <class T> struct StationaryResult {
  Verdict verdict = Verdict::unknown("not run");
  Vec<T> tokens;      ///< n·d box containing a stationary configuration (when proved)
  Vec<T> multipliers; ///< λ_i box
  T distance;         ///< ∋ nothing: an upper bound (as [0, sup]) of max_i,c |z_ic − x_ic| over z in
                      ///< `tokens`, x in the reference box (distance to the flow's enclosure)
};

/// Encloses: when proved, `tokens` contains a configuration z = (z_1, …, z_n) with |z_i| = 1 and
///   v_i(z, t*) = 0 for all i (a stationary point of the flow with the weights frozen at t*;
///   λ_i = z_iᵀ w̄_i), unique in the box (z, λ) ∈ tokens × multipliers.
/// Method: the square system G(z, λ) = (w̄_i(z) − λ_i z_i, |z_i|² − 1)_{i=1..n} in n(d+1)
///   unknowns (w̄_i = (1/H) Σ_h w_hi; G = 0 ⇔ |z_i| = 1 and P_{z_i} w̄_i = 0 with λ_i = z_iᵀw̄_i).
///   Newton iterations in binary64 from mid(reference) (normalised tokens), then the Krawczyk test
///   of linalg/krawczyk.hpp (`certify_zero_near`: K(Z) = z̃ − R G(z̃) + (I − R J)(Z − z̃) ⊂ int(Z),
///   J ⊇ G' over hull(Z, z̃) by forward AD Dual<T>, R ≈ mid(G'(z̃))⁻¹, boxes Z from its ε-inflation
///   schedule) — by Krawczyk's theorem G has a unique zero in Z, and it lies in the returned boxes.
/// Assumes: nothing beyond the inclusion principle of the field's interval / Dual evaluation.
/// Checks: reference has at least n·d entries (std::invalid_argument); the Krawczyk inclusion
///   K(Z) ⊂ int(Z) (linalg certify_zero_near).
/// Failure: unknown (singular Jacobian — e.g. rotation-invariant weights D = cI, where
///   stationary points are not isolated — or no inclusion); nothing is claimed.
template <class T>
StationaryResult<T> certify_stationary_nearby(const GradflowField<T>& f, double t_star, const Vec<T>& reference) {
  const Model<T>& m = f.model();
  const Eigen::Index n = m.n, d = m.d, N = n * (d + 1);
  if (reference.size() < n * d) throw std::invalid_argument("certify_stationary_nearby: reference too short");
  StationaryResult<T> res;
  res.distance = T(0);
  auto G_dual = [&](const Vec<ode::Dual<T>>& z) {
    Vec<ode::Dual<T>> X(n * d);
    for (Eigen::Index k = 0; k < n * d; ++k) X(k) = z(k);
    const Terms<ode::Dual<T>> tm = f.template terms<ode::Dual<T>>(ode::Dual<T>(T(t_star)), X, false, false, false);
    Vec<ode::Dual<T>> G(N);
    for (Eigen::Index i = 0; i < n; ++i) {
      const ode::Dual<T>& lam = z(n * d + i);
      ode::Dual<T> nrm = z(i * d) * z(i * d);
      for (Eigen::Index c = 0; c < d; ++c) {
        G(i * d + c) = tm.wbar[static_cast<std::size_t>(i)](c) - lam * z(i * d + c);
        if (c > 0) nrm = nrm + z(i * d + c) * z(i * d + c);
      }
      G(n * d + i) = nrm - ode::Dual<T>(T(1));
    }
    return G;
  };
  auto eval = [&](const Vec<T>& zbox, Mat<T>& J) {
    Vec<ode::Dual<T>> z(N);
    for (Eigen::Index k = 0; k < N; ++k) z(k) = ode::Dual<T>::variable(zbox(k), static_cast<std::size_t>(k), static_cast<std::size_t>(N));
    const Vec<ode::Dual<T>> G = G_dual(z);
    Vec<T> g(N);
    J.resize(N, N);
    for (Eigen::Index i = 0; i < N; ++i) {
      g(i) = G(i).value();
      for (Eigen::Index j = 0; j < N; ++j) J(i, j) = G(i).d(static_cast<std::size_t>(j));
    }
    return g;
  };
  // initial point: normalised tokens, λ_i = x_iᵀ w̄_i
  Eigen::VectorXd z(N);
  for (Eigen::Index i = 0; i < n; ++i) {
    double s = 0;
    for (Eigen::Index c = 0; c < d; ++c) { z(i * d + c) = detail::to_d(reference(i * d + c)); s += z(i * d + c) * z(i * d + c); }
    s = std::sqrt(s);
    for (Eigen::Index c = 0; c < d; ++c) z(i * d + c) /= s;
    z(n * d + i) = 0;
  }
  auto to_box = [&](const Eigen::VectorXd& v) {
    Vec<T> b(N);
    for (Eigen::Index k = 0; k < N; ++k) b(k) = T(v(k));
    return b;
  };
  Mat<T> J;
  {  // λ from the tokens
    const Vec<T> g = eval(to_box(z), J);
    for (Eigen::Index i = 0; i < n; ++i) {
      double lam = 0;
      for (Eigen::Index c = 0; c < d; ++c) lam += z(i * d + c) * (detail::to_d(g(i * d + c)) + 0.0);
      z(n * d + i) = lam;  // g = w̄ − 0·z at λ = 0
    }
  }
  double last_step = 1;
  for (int it = 0; it < 30; ++it) {
    const Vec<T> g = eval(to_box(z), J);
    Eigen::MatrixXd Jm(N, N);
    Eigen::VectorXd gm(N);
    for (Eigen::Index i = 0; i < N; ++i) {
      gm(i) = detail::to_d(g(i));
      for (Eigen::Index j = 0; j < N; ++j) Jm(i, j) = detail::to_d(J(i, j));
    }
    Eigen::FullPivLU<Eigen::MatrixXd> lu(Jm);
    if (!lu.isInvertible()) {
      res.verdict = Verdict::unknown("Newton: the Jacobian of the stationarity system is numerically singular "
                                     "(stationary points not isolated, e.g. rotation-invariant weights)");
      return res;
    }
    const Eigen::VectorXd step = lu.solve(gm);
    z -= step;
    last_step = step.lpNorm<Eigen::Infinity>();
    if (!std::isfinite(last_step)) break;
    if (last_step < 1e-15 * (1 + z.lpNorm<Eigen::Infinity>())) break;
  }
  if (!std::isfinite(last_step) || !z.allFinite()) {
    res.verdict = Verdict::unknown("Newton iteration diverged");
    return res;
  }
  // Krawczyk about the Newton point z̃ (the one engine, linalg/krawczyk.hpp); G and its Jacobian
  // over a box by forward AD.
  Vec<real_t<T>> zr(N);
  for (Eigen::Index k = 0; k < N; ++k) zr(k) = real_t<T>(z(k));
  const auto G = [&](const Vec<T>& Z) { Mat<T> JZ; return eval(Z, JZ); };
  const auto DG = [&](const Vec<T>& Z) { Mat<T> JZ; (void)eval(Z, JZ); return JZ; };
  const linalg::KrawczykResult<T> kr = linalg::certify_zero_near<T>(G, DG, zr);
  if (!kr.verdict.is_proved()) {
    res.verdict = Verdict::unknown(kr.verdict.reason() + " (the nearby stationary point may be degenerate, "
                                   "or X(T) is not close enough to one)");
    return res;
  }
  const Vec<T>& K = kr.enclosure;
  res.tokens = K.head(n * d);
  res.multipliers = K.tail(n);
  real_t<T> dist = real_t<T>(0), rad = real_t<T>(0);
  for (Eigen::Index k = 0; k < n * d; ++k) {
    const real_t<T> e = mag(K(k) - reference(k));
    if (e > dist) dist = e;
  }
  for (Eigen::Index k = 0; k < N; ++k) {
    const real_t<T> e = mag(kr.box(k) - enclose_point<T>(zr(k)));
    if (e > rad) rad = e;
  }
  res.distance = convex_hull(T(0), enclose_point<T>(dist));
  char buf[200];
  std::snprintf(buf, sizeof buf, "Krawczyk: a unique stationary configuration in a box of radius %.3e about the Newton point (%d ε-inflation step(s))",
                detail::real_to_d(rad), kr.steps);
  res.verdict = Verdict::proved(buf);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Stability
// ---------------------------------------------------------------------------------------------

template <class T> struct StabilityResult {
  Verdict verdict = Verdict::unknown("not run");
  std::vector<double> times;        ///< t_0 = 0 < t_1 < … (the validated steps' end points)
  std::vector<real_t<T>> bound;     ///< bound[k] ≥ sup over the step ending at times[k] (k ≥ 1;
                                    ///< bound[0] is the bound at t = 0)
  real_t<T> sup_bound = real_t<T>(0);  ///< ≥ every bound[k]: valid on the whole of [0, T]
  std::size_t steps = 0;
};

/// Perturbed initial tokens.
/// Encloses: for every two initial configurations X0, X̃0 with X0 ∈ `X0` and ‖X̃0 − X0‖₂ ≤ δ0
///   (all n·d coordinates), ‖X(t) − X̃(t)‖₂ ≤ bound(t) (hence max_i ‖x_i(t) − x̃_i(t)‖ too), where
///   bound(0) = δ0 and on the k-th step [t_k, t_{k+1}] (length h_k):
///     ‖X(t) − X̃(t)‖₂ ≤ bound(t_k) · exp(max(ν_k, 0) h_k)  (reported as bound[k+1]'s sup part) and
///     bound(t_{k+1}) = bound(t_k) · exp(ν_k h_k),
///   ν_k ≥ μ₂(∂f/∂X) over the step's tube (upper_bound_lognorm_2 of the Dual Jacobian on the tube
///   box and the step's time interval). The tube comes from integrating the box X0 + [−δ0, δ0]
///   (contains both trajectories; boxes are convex so the mean-value segment stays inside).
/// Assumes: model and X0 are given as boxes (every real choice inside them is covered).
/// Checks: the validated flow of the inflated box X0 + [−δ0, δ0] reaches T; the bound is finite.
/// Failure: unknown when the flow of the inflated box cannot be enclosed up to T or a log-norm
///   bound is not finite; the bounds are then not claims.
/// Method: ode::enclose_flow of the inflated box (steps recorded), ν_k by
///   linalg::upper_bound_lognorm_2 of the Dual Jacobian on each tube, the Grönwall recursion above.
/// Note: unless opt.tolerance is set, the integration uses the per-step tolerance 1e-12.
template <class T>
StabilityResult<T> enclose_token_stability(const Model<T>& model, const Vec<T>& X0, const T& delta0, double T_end,
                                           ode::TaylorOptions opt = {}) {
  const GradflowField<T> f(model, false);
  const Eigen::Index nd = f.dimension();
  Vec<T> B(nd);
  const T pm = convex_hull(-delta0, delta0);
  for (Eigen::Index k = 0; k < nd; ++k) B(k) = X0(k) + pm;
  opt.record_steps = true;
  // The initial box is wide (δ0 or ε): a per-step truncation target at the unit roundoff would
  // force tiny steps (the remainder over a wide box is as wide as it is large); 1e-12 is plenty
  // for a bound that is itself a Grönwall estimate (the caller may set another tolerance).
  if (opt.tolerance == 0) opt.tolerance = 1e-12;
  const ode::FlowResult<T> fr = ode::enclose_flow<T>(f, 0.0, B, T_end, opt);
  StabilityResult<T> res;
  if (!fr.verdict.is_proved()) {
    res.verdict = Verdict::unknown("perturbed flow not enclosed: " + fr.verdict.reason());
    return res;
  }
  T b = enclose_point<T>(sup(delta0));
  res.times.push_back(0.0);
  res.bound.push_back(sup(b));
  res.sup_bound = sup(b);
  for (const auto& st : fr.steps) {
    Vec<ode::Dual<T>> z(nd);
    for (Eigen::Index k = 0; k < nd; ++k) z(k) = ode::Dual<T>::variable(st.tube(k), static_cast<std::size_t>(k), static_cast<std::size_t>(nd));
    const Vec<ode::Dual<T>> fz = ode::eval_field<ode::Dual<T>>(f, ode::Dual<T>(convex_hull(T(st.t0), T(st.t1))), z);
    Mat<T> J(nd, nd);
    for (Eigen::Index i = 0; i < nd; ++i)
      for (Eigen::Index j = 0; j < nd; ++j) J(i, j) = fz(i).d(static_cast<std::size_t>(j));
    const real_t<T> nur = linalg::upper_bound_lognorm_2(J).value();
    const T nu = enclose_point<T>(nur);
    const T h = T(st.t1) - T(st.t0);
    const T within = b * exp(detail::pos_part<T>(nur) * h);
    b = b * exp(nu * h);
    res.times.push_back(st.t1);
    res.bound.push_back(sup(within));
    if (sup(within) > res.sup_bound) res.sup_bound = sup(within);
  }
  res.steps = fr.steps.size();
  if (!std::isfinite(approx_double(res.sup_bound))) {
    res.verdict = Verdict::unknown("the log-norm bound is not finite on some step");
    return res;
  }
  res.verdict = Verdict::proved("log-norm Grönwall bound over " + std::to_string(res.steps) + " steps");
  return res;
}

/// Perturbed weights.
/// Encloses: for every constant SYMMETRIC Δ with entries in [−ε, ε] (in particular every one with
///   ‖Δ‖_F ≤ ε; the field evaluates the interaction once per pair i ≤ j, which is the P4 model
///   only for symmetric D_h + Δ) added to every head (D_h^ε(t) = D_h(t) + Δ) and every X0 in the box,
///   ‖X^ε(t) − X(t)‖₂ ≤ C(t)·‖Δ‖_F with
///     C(0) = 0,  C(t_{k+1}) = C(t_k) e^{ν_k h_k} + L_k h_k e^{max(ν_k,0) h_k},
///   and on the step sup ≤ (C(t_k) + L_k h_k) e^{max(ν_k,0) h_k} (reported), where
///   ν_k ≥ μ₂(∂f/∂X) and L_k ≥ ‖∂f/∂Δ‖₂ (Frobenius upper bound of the n·d × d² Jacobian), both
///   over the tube of the augmented system (X, Δ)' = (f(X, D + Δ), 0) started from X0 × [−ε, ε]^{d×d}
///   (the tube contains both trajectories and, being a box, every intermediate (X, Δ) of the
///   mean-value segments). Derivation: y = X^ε − X satisfies D⁺‖y‖ ≤ ν‖y‖ + L‖Δ‖_F, and
///   (e^{νh} − 1)/ν ≤ h e^{max(ν,0)h}.
/// Assumes: model and X0 are given as boxes (every real choice inside them is covered).
/// Checks: the validated flow of the augmented system reaches T; the resulting bound is finite.
/// Failure: unknown when the perturbed flow cannot be enclosed or a bound is not finite.
/// Method: ode::enclose_flow of (X, Δ) from X0 × [−ε, ε]^{d×d}, ν_k by upper_bound_lognorm_2 and
///   L_k by a Frobenius upper bound of the Dual Jacobian on each tube, the recursion above.
template <class T>
StabilityResult<T> enclose_weight_stability(const Model<T>& model, const Vec<T>& X0, const T& eps, double T_end,
                                            ode::TaylorOptions opt = {}) {
  const GradflowField<T> f(model, false, true);
  const Eigen::Index d = model.d, nd = model.n * model.d, N = f.dimension();
  Vec<T> Y0(N);
  for (Eigen::Index k = 0; k < nd; ++k) Y0(k) = X0(k);
  for (Eigen::Index k = nd; k < N; ++k) Y0(k) = convex_hull(-eps, eps);
  opt.record_steps = true;
  // The initial box is wide (δ0 or ε): a per-step truncation target at the unit roundoff would
  // force tiny steps (the remainder over a wide box is as wide as it is large); 1e-12 is plenty
  // for a bound that is itself a Grönwall estimate (the caller may set another tolerance).
  if (opt.tolerance == 0) opt.tolerance = 1e-12;
  const ode::FlowResult<T> fr = ode::enclose_flow<T>(f, 0.0, Y0, T_end, opt);
  StabilityResult<T> res;
  if (!fr.verdict.is_proved()) {
    res.verdict = Verdict::unknown("flow with perturbed weights not enclosed: " + fr.verdict.reason());
    return res;
  }
  T C = T(0);
  res.times.push_back(0.0);
  res.bound.push_back(real_t<T>(0));
  res.sup_bound = real_t<T>(0);
  (void)d;
  for (const auto& st : fr.steps) {
    const T tt = convex_hull(T(st.t0), T(st.t1));
    Vec<ode::Dual<T>> z(N);
    for (Eigen::Index k = 0; k < N; ++k) z(k) = ode::Dual<T>::variable(st.tube(k), static_cast<std::size_t>(k), static_cast<std::size_t>(N));
    const Vec<ode::Dual<T>> fz = ode::eval_field<ode::Dual<T>>(f, ode::Dual<T>(tt), z);
    Mat<T> J(nd, nd), K(nd, N - nd);
    for (Eigen::Index i = 0; i < nd; ++i) {
      for (Eigen::Index j = 0; j < nd; ++j) J(i, j) = fz(i).d(static_cast<std::size_t>(j));
      for (Eigen::Index j = nd; j < N; ++j) K(i, j - nd) = fz(i).d(static_cast<std::size_t>(j));
    }
    const real_t<T> nur = linalg::upper_bound_lognorm_2(J).value();
    const T nu = enclose_point<T>(nur);
    const T L = enclose_point<T>(linalg::upper_bound_norm_frobenius(K).value());  // ≥ ‖∂f/∂(other block)‖₂
    const T h = T(st.t1) - T(st.t0);
    const T grow = exp(detail::pos_part<T>(nur) * h);
    const T within = (C + L * h) * grow;
    C = C * exp(nu * h) + L * h * grow;
    res.times.push_back(st.t1);
    res.bound.push_back(sup(within));
    if (sup(within) > res.sup_bound) res.sup_bound = sup(within);
  }
  res.steps = fr.steps.size();
  if (!std::isfinite(approx_double(res.sup_bound))) {
    res.verdict = Verdict::unknown("the sensitivity bound is not finite on some step");
    return res;
  }
  res.verdict = Verdict::proved("weight-sensitivity Grönwall bound over " + std::to_string(res.steps) + " steps");
  return res;
}

}  // namespace certiformer::gradflow
