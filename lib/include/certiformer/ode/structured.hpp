#pragma once
/// certiformer/ode/structured.hpp — the step driver of the structured validated integrators: a
/// high-order Taylor step of one trajectory through the center of the set, a Lagrange remainder
/// over the a-priori box, and log-norm set propagation in a block norm, for any system that
/// supplies its Taylor coefficients and log-norm bounds in matrix form (issue 13). The attention
/// flow (transformer/structured_flow.hpp) and the P4 sphere flow with its energy integrals
/// (gradflow/structured.hpp) are two such systems; the bound formulas are theirs, the step logic
/// is here, once.
///
/// The state is a token matrix X (n × d, row i = x_iᵀ; flat vectors are token-major, x_i at
/// [i·d, (i+1)·d)), the block norm ‖x‖_b = max_i ‖x_i‖₂, plus m ≥ 0 *accumulators* e with
/// e' = g(x, t) that do not feed back into x (energy integrals).
///
/// System concept (S):
///   Eigen::Index tokens(), token_dimension(), accumulators();
///   std::vector<double> breakpoints()  — times the step must not cross (sorted; may be empty);
///   coefficients(const Interval& t, const Mat<Interval>& X, int K, std::vector<Vec<Interval>>* acc)
///     → K + 1 matrices; result[k] ∋ x^{(k)}(τ)/k! of the solution with x(τ) = x0, for every
///     τ ∈ t and x0 ∈ X; acc (when not null) receives K + 1 vectors of size m with acc[0] = 0 and
///     acc[k] ∋ the k-th Taylor coefficient of ∫_τ^{τ+s} g(x(σ), σ) dσ (= g_{k−1}/k);
///   lognorm_bound_coarse(B, t), lognorm_bound(Z, t) → ≥ μ_b(∂_x F(x, τ)) for all x ∈ B (Z), τ ∈ t
///     (+∞ if unbounded; the coarse one is used over the a-priori box, the other over thin boxes);
///   accumulator_lipschitz(B, t) → m upper bounds L_m ≥ Σ_i ‖∇_{x_i} g_m(x, τ)‖₂ over B × t.
///
/// Encloses: `enclose_structured(S, X0, T)` returns, when proved, a box that contains x(T) for
///   every x0 ∈ X0 (the solution of x' = F(x, t), x(t0) = x0, existing on [t0, T]), a point c and
///   radius r with max_i ‖x_i(T) − c_i‖₂ ≤ r, and (m > 0) `accumulators` ∋ e(T) = e0 +
///   ∫_{t0}^T g(x(s), s) ds for every x0 ∈ X0 and e0 ∈ E0.
/// Assumes: the system's coefficient, log-norm and Lipschitz bounds as stated above (the field
///   real-analytic in (x, t) between breakpoints, so the Lagrange form of the remainder holds).
/// Checks: each step's a-priori enclosures (high-order test for the center, log-norm bootstrap for
///   the set: step 2), finiteness of every
///   coefficient, remainder, log-norm and Lipschitz bound; the work budget before every step.
/// Failure: Verdict unknown with the reason and the time reached (never a claim); misuse (wrong
///   dimension, T ≤ t0) throws std::invalid_argument.
/// Method (one step [t, t + h] from the set {x : ‖x − c‖_b ≤ r}, c a binary64 point):
///   1. Taylor coefficients X_0 = c, …, X_p of the trajectory through c at the point time t.
///   2. h = 0.9·min_{k∈{p−1,p}} (tol/‖X_k‖∞)^{1/k}, tol = tolerance·(1 + ‖c‖∞), and at most
///      h_prev·0.9·(100·tol/w_prev)^{1/(p+1)} (w_prev the last remainder width), never across a
///      breakpoint. A-priori box Zc ⊇ x_c([t, t+h]) of the center trajectory by the high-order
///      enclosure test (Corliss–Rihm): Zc = T([0,h]) inflated, T(s) = Σ_{k≤p} X_k s^k; if
///      T([0,h]) + [0,h]^{p+1}·X_{p+1}(Zc × [t, t+h]) ⊂ int(Zc) then x_c exists on the step and
///      stays in Zc (up to a first exit s*, each component is x_c(s) = T(s) + s^{p+1}·(the
///      component of x_c^{(p+1)}(ξ)/(p+1)!) for a ξ of its own in [t, s*], with (x_c(ξ), ξ) ∈
///      Zc × [t, t+h]; the test box is componentwise, so x_c(s) ∈ int(Zc) — no exit). One retry with Zc = the
///      inflated test box, then h is halved. The set's box B = Zc ± ρ: with μ_B ≥ μ_b(∂_x F)
///      over B × [t, t+h] (coarse bound) and r·max(1, e^{hμ_B}) < ρ, no solution from the set
///      leaves B (up to a first exit, ‖x(s) − x_c(s)‖_b ≤ e^{sμ_B} r < ρ by step 4, so x(s) ∈
///      int B); ρ starts at 1.0625·r·max(1, e^{hμ}) of the previous step's μ, then 1.0625·the
///      requirement of the last try, at most 4 tries.
///   3. Lagrange remainder of the center trajectory: X_{p+1} over Zc × [t, t+h] (the test's run),
///      so x_c(t + h) ∈ Y := Σ_{k≤p} X_k h^k + X_{p+1}(Zc)·h^{p+1}. A remainder wider than
///      100·tol shrinks h. (No Picard iteration on the wide set box: its first-order contraction
///      condition h·L < 1, with L the interval Lipschitz constant of the field over the box, held
///      steps at h ≈ 0.06 on the P4 sphere flow even after the tokens had clustered.)
///   4. Set propagation: for two solutions y, z in the convex box B on the step, D⁺‖y − z‖_b ≤
///      μ‖y − z‖_b for μ ≥ sup_{B × [t,t+h]} μ_b(∂_x F) (mean-value theorem, μ_b convex), so
///      ‖x(s) − x_c(s)‖_b ≤ e^{(s−t)μ} r. μ_B from the coarse bound over B; on `lognorm_slices`
///      time slices S_k of [0, h] the set lies in the thin box Z_k = Σ_{k'≤p} X_k' S_k^{k'} +
///      X_{p+1}(Zc) S_k^{p+1} ± sup(e^{S_k μ_B}) r (∩ B), and μ = min(μ_B, max_k μ(Z_k, t + S_k)).
///      The slices run only when the set's growth r(e^{hμ_B} − 1) exceeds the center's width rc.
///   5. c' = mid(Y), r' = rc + e^{hμ} r with rc ≥ ‖Y − c'‖_b (upward); the box at t + h is
///      Y ± e^{hμ} r per coordinate (|component| ≤ block 2-norm).
///   6. Accumulators: e(t + h) ∈ e(t) + Σ_{k=1}^p A_k h^k + A_{p+1}(Zc)·h^{p+1} ± L·r·h·max(1, e^{hμ}),
///      A_k the accumulator coefficients of the center trajectory (A_{p+1} over Zc × [t, t+h]) and
///      L ≥ Σ_i ‖∇_{x_i} g‖₂ over B: |g(x(s), s) − g(x_c(s), s)| ≤ L‖x(s) − x_c(s)‖_b ≤ L e^{sμ} r
///      (mean value on the segment, which lies in the convex B).
///   7. Dense output at an output time τ ⊂ [t, t + h]: steps 3–4 with s ∈ S = τ − t in place of h
///      (the set at S), from the first accepted step that contains the whole interval τ.
///   Per step: two coefficient runs (at c and over Zc; a third on a retry), one to three coarse
///   log-norm bounds and up to `lognorm_slices` blockwise ones.

#include "certiformer/core.hpp"
#include "certiformer/ode/apriori.hpp"
#include "certiformer/ode/budget.hpp"
#include "certiformer/ode/integrator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::ode {

/// Which validated engine integrates a flow (transformer.flow, euler.error, gradflow.edi).
enum class FlowMethod {
  automatic,      ///< the caller's rule (structured when the model is in its scope, binary64), else Taylor–Lohner
  structured,     ///< enclose_structured with the model's system (refused out of scope)
  taylor_lohner,  ///< ode::enclose_flow, QR wrapping
};

/// "auto" / "structured" / "taylor_lohner" (the names used in configs and certificates).
inline const char* flow_method_name(FlowMethod m) {
  switch (m) {
    case FlowMethod::automatic: return "auto";
    case FlowMethod::structured: return "structured";
    case FlowMethod::taylor_lohner: return "taylor_lohner";
  }
  return "auto";
}

/// The default largest state dimension N = n·d at which an automatic structured run that stops
/// before T is re-run by the Taylor–Lohner engine. That engine's cost grows like N³ per step (N
/// Jacobian directions, each a field evaluation; measured on the 2-core machine: ~1 min per step
/// at N = 256, a transformer.flow run at N = 1024 stopped unfinished after 11.5 min and
/// 17.8 GB), so above this size the structured engine's unknown verdict is returned instead.
inline constexpr Eigen::Index kTaylorLohnerFallbackMaxDimension = 128;

/// Why an automatic structured run that stopped early must not be re-run by Taylor–Lohner (the
/// state dimension N = n·d exceeds max_dimension), or nothing when the re-run is allowed.
/// Encloses: nothing (a predicate). Assumes: nothing. Checks: N ≤ max_dimension. Failure: none.
/// Method: as Checks; the text names the size and how to force the reference engine.
inline std::optional<std::string> taylor_lohner_fallback_refusal(Eigen::Index N, Eigen::Index max_dimension) {
  if (N <= max_dimension) return std::nullopt;
  return "no Taylor–Lohner re-run at n·d = " + std::to_string(N) + " > " + std::to_string(max_dimension) +
         " (its cost grows like (n·d)³ per step); method \"taylor_lohner\" forces it";
}

struct StructuredOptions {
  int order = 20;            ///< p: Taylor order of the step (remainder uses p + 1)
  double tolerance = 1e-16;  ///< per-step truncation target relative to 1 + ‖c‖∞
  double h_max = 1.0;        ///< largest step size
  int max_shrinks = 30;      ///< step shrinks per step
  std::size_t max_steps = 100000;
  /// Time slices per step for the blockwise log-norm bound (file comment, step 4); 0 = only the
  /// coarse bound over the a-priori box.
  int lognorm_slices = 2;
  /// Stop (Verdict::unknown) when the set's block radius exceeds this fraction of 1 + ‖center‖∞:
  /// the set propagation has become too loose to be useful.
  double max_relative_radius = 0.25;
  /// Dense output: times (intervals inside [t0, T], not necessarily binary64 numbers) at which the
  /// tokens are enclosed as well (file comment, step 7); results in StructuredResult::at.
  std::vector<Interval> output_times;
  /// Keep every accepted step's tube (StructuredResult::tubes).
  bool record_tubes = false;
  /// Called after every accepted step with the time reached (progress display); may be empty.
  std::function<void(double)> on_step;
};

struct StructuredResult {
  Verdict verdict = Verdict::unknown("not run");
  double t_reached = 0;     ///< the flow is enclosed (and exists) on [t0, t_reached]
  Vec<Interval> enclosure;  ///< ∋ x(t_reached) for every x0 ∈ X0
  Vec<double> center;       ///< max_i ‖x_i(t_reached) − center_i‖₂ ≤ radius for every x0 ∈ X0
  double radius = 0;
  Vec<Interval> accumulators;  ///< ∋ e(t_reached) (size m; empty without accumulators)
  std::size_t step_count = 0;
  /// at[j] ∋ x(τ) for every τ ∈ output_times[j] and x0 ∈ X0 (filled for the outputs whose whole
  /// interval lies inside one accepted step; the others stay empty vectors)
  std::vector<Vec<Interval>> at;
  /// with record_tubes: per accepted step [t_j, t_{j+1}] a box ∋ x(s) for all s in the step, x0 ∈ X0
  std::vector<Vec<Interval>> tubes;
  std::vector<double> tube_times;  ///< with record_tubes: t_0, t_1, … (tube j covers [t_j, t_{j+1}])
  double max_lognorm = -std::numeric_limits<double>::infinity();  ///< largest μ bound used
  std::size_t shrinks_apriori = 0;    ///< step shrinks because an a-priori test (center or set box) failed
  std::size_t shrinks_remainder = 0;  ///< step shrinks because the remainder was too wide
  double seconds = 0;
};

namespace detail {
/// ≥ max_i ‖x_i‖₂ over the tokens of the box x − c (d coordinates per token).
inline double upper_block_norm(const Vec<Interval>& x, const Vec<double>& c, Eigen::Index d) {
  double m = 0;
  for (Eigen::Index i = 0; i * d < x.size(); ++i) {
    Interval s(0);
    for (Eigen::Index k = 0; k < d; ++k) s += sqr(Interval(mag(x(i * d + k) - Interval(c(i * d + k)))));
    m = std::max(m, sup(sqrt(s)));
  }
  return m;
}
}  // namespace detail

/// The validated structured flow of the system S from the box X0 (n·d, token-major) at t0 to T,
/// with accumulators starting in E0 (size m, or empty for e(t0) = 0).
/// Encloses: when proved, x(T) ∈ enclosure and max_i ‖x_i(T) − center_i‖₂ ≤ radius for every
///   x0 ∈ X0 (the solution existing on [t0, T]); accumulators ∋ e(T) for every x0 ∈ X0, e0 ∈ E0;
///   at[j] ∋ x(τ) for τ ∈ output_times[j]; tubes[j] ∋ x(s) on step j. Unknown verdicts: the same
///   on [t0, t_reached].
/// Assumes: the system concept's guarantees (file comment); F real-analytic between breakpoints.
/// Checks: the a-priori tests of step 2, finiteness of every coefficient, remainder, log-norm and
///   Lipschitz bound; the work budget before each step; dimensions, t0 < T, order ≥ 1
///   (std::invalid_argument).
/// Failure: Verdict unknown with the reason and the time reached (a step that cannot be
///   validated after opt.max_shrinks shrinks, max_steps, the budget, a too loose set radius).
/// Method: file comment, steps 1–7.
template <class System>
StructuredResult enclose_structured(const System& S, const Vec<Interval>& X0, double T,
                                    const StructuredOptions& opt = {}, double t0 = 0,
                                    const Vec<Interval>& E0 = Vec<Interval>()) {
  const auto clock0 = std::chrono::steady_clock::now();
  const Eigen::Index n = S.tokens(), d = S.token_dimension(), N = n * d, m = S.accumulators();
  if (X0.size() != N) throw std::invalid_argument("enclose_structured: X0 has the wrong dimension");
  if (E0.size() != 0 && E0.size() != m) throw std::invalid_argument("enclose_structured: E0 has the wrong dimension");
  if (!std::isfinite(t0) || !(T > t0) || !std::isfinite(T))
    throw std::invalid_argument("enclose_structured: need finite t0 < T");
  if (opt.order < 1) throw std::invalid_argument("enclose_structured: order must be ≥ 1");
  if (opt.lognorm_slices < 0) throw std::invalid_argument("enclose_structured: lognorm_slices must be ≥ 0");
  const int p = opt.order;
  StructuredResult res;
  res.enclosure = X0;
  res.accumulators = E0.size() ? E0 : Vec<Interval>(Vec<Interval>::Constant(m, Interval(0)));
  res.t_reached = t0;
  auto finish = [&](Verdict v) {
    res.verdict = std::move(v);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
    return res;
  };
  for (Eigen::Index i = 0; i < N; ++i)
    if (!is_bounded(X0(i))) return finish(Verdict::unknown("initial set is unbounded"));
  for (Eigen::Index i = 0; i < res.accumulators.size(); ++i)
    if (!is_bounded(res.accumulators(i))) return finish(Verdict::unknown("initial accumulators are unbounded"));
  Vec<double> c(N);
  for (Eigen::Index i = 0; i < N; ++i) c(i) = mid(X0(i));
  double r = detail::upper_block_norm(X0, c, d);
  auto to_vec = [&](const Mat<Interval>& M) {
    Vec<Interval> v(N);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index k = 0; k < d; ++k) v(i * d + k) = M(i, k);
    return v;
  };
  for (const Interval& tau : opt.output_times)
    if (!(inf(tau) >= t0) || !(sup(tau) <= T))
      throw std::invalid_argument("enclose_structured: an output time outside [t0, T]");
  res.at.assign(opt.output_times.size(), Vec<Interval>());
  std::vector<std::size_t> pending(opt.output_times.size());
  for (std::size_t j = 0; j < pending.size(); ++j) pending[j] = j;
  std::vector<double> stops;  // breakpoints inside (t0, T), then T
  for (double b : S.breakpoints())
    if (b > t0 && b < T) stops.push_back(b);
  std::sort(stops.begin(), stops.end());
  stops.push_back(T);
  std::size_t next_stop = 0;
  if (opt.record_tubes) res.tube_times.push_back(t0);
  double t = t0, h_prev = 0, mu_prev = 0, h_rem = std::numeric_limits<double>::infinity();
  bool prev_shrunk = false;
  std::string reason;
  std::vector<Vec<Interval>> accc, accb;
  while (t < T) {
    while (stops[next_stop] <= t) ++next_stop;
    const double t_stop = stops[next_stop];
    if (res.step_count >= opt.max_steps) {
      res.t_reached = t;
      res.center = c;
      res.radius = r;
      return finish(Verdict::unknown("maximum number of steps reached at t = " + detail::time_text(t)));
    }
    if (WorkBudget* budget = current_budget(); budget && budget->exhausted()) {
      res.t_reached = t;
      res.center = c;
      res.radius = r;
      return finish(Verdict::unknown(budget->reason() + " at t = " + detail::time_text(t) + " (the flow is enclosed on [" +
                                     detail::time_text(t0) + ", " + detail::time_text(t) + "])"));
    }
    bool stepped = false;
    try {
      Mat<Interval> Cm(n, d);
      double cmax = 0;
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index k = 0; k < d; ++k) {
          Cm(i, k) = Interval(c(i * d + k));
          cmax = std::max(cmax, std::fabs(c(i * d + k)));
        }
      const std::vector<Mat<Interval>> yc = S.coefficients(Interval(t), Cm, p, m ? &accc : nullptr);
      const double tol = opt.tolerance * (1 + cmax);
      double h = opt.h_max;
      for (int k : {p - 1, p}) {
        if (k < 1) continue;
        double mk = 0;
        for (Eigen::Index j = 0; j < yc[static_cast<std::size_t>(k)].size(); ++j)
          mk = std::max(mk, mag(yc[static_cast<std::size_t>(k)](j)));
        if (mk > 0) h = std::min(h, 0.9 * std::pow(tol / mk, 1.0 / k));
      }
      if (h_prev > 0) h = std::min(h, (prev_shrunk ? 1.25 : 4.0) * h_prev);
      h = std::min(h, h_rem);  // the remainder width of the last step predicts this one's
      bool to_stop = false;
      if (h >= t_stop - t) { h = t_stop - t; to_stop = true; }
      else if (h > 0.9 * (t_stop - t)) h = 0.5 * (t_stop - t);
      for (int attempt = 0; attempt <= opt.max_shrinks; ++attempt) {
        const double t1 = to_stop ? t_stop : t + h;
        if (!(t1 > t)) { reason = "step size below the resolution of t"; break; }
        const double hh = t1 - t;
        const Interval tstep(t, t1);
        const Interval H = Interval(t1) - Interval(t);
        const Interval Hp = pow(H, p + 1);
        const Interval S0(0, sup(H));  // ∋ every s − t of the step
        const Interval S0p = pow(S0, p + 1);
        // Step 2: a-priori box Zc of the center trajectory by the high-order enclosure test — the
        // polynomial over [0, h] inflated; proved when poly([0, h]) + [0, h]^{p+1}·X_{p+1}(Zc) ⊂ int(Zc).
        Mat<Interval> Tpoly = yc[static_cast<std::size_t>(p)];
        for (int k = p - 1; k >= 0; --k) {
          const Mat<Interval>& yk = yc[static_cast<std::size_t>(k)];
          for (Eigen::Index j = 0; j < Tpoly.size(); ++j) Tpoly(j) = Tpoly(j) * S0 + yk(j);
        }
        Mat<Interval> Zc = Tpoly;
        for (Eigen::Index j = 0; j < Zc.size(); ++j) {
          const double a = sup(Interval(100 * tol) + Interval(0x1p-50) * (Interval(1) + Interval(mag(Zc(j)))));
          Zc(j) += Interval(-a, a);
        }
        std::vector<Mat<Interval>> yb;
        bool enclosed = false, finite = true, wide = false;
        double remw = 0;
        for (int it = 0; it < 2 && !enclosed; ++it) {
          try {
            yb = S.coefficients(tstep, Zc, p + 1, m ? &accb : nullptr);
          } catch (const std::domain_error&) {  // a trial box too wide to evaluate: shrink h
            break;
          } catch (const std::runtime_error&) {
            break;
          }
          const Mat<Interval>& X1 = yb[static_cast<std::size_t>(p + 1)];
          remw = 0;
          bool inside = true;
          Mat<Interval> tube = Tpoly;
          for (Eigen::Index j = 0; j < tube.size(); ++j) {
            const Interval rj = X1(j) * Hp;
            finite = finite && is_bounded(rj);
            remw = std::max(remw, wid(rj));
            tube(j) += X1(j) * S0p;
            inside = inside && interior(tube(j), Zc(j));
          }
          if (!finite) break;
          wide = remw > 100 * tol;
          if (inside) enclosed = true;
          else
            for (Eigen::Index j = 0; j < Zc.size(); ++j) Zc(j) = detail::inflate_box(tube(j), 0.1);
        }
        if ((!finite || wide) && attempt < opt.max_shrinks) {
          reason = finite ? "Taylor remainder too wide" : "unbounded Taylor remainder";
          ++res.shrinks_remainder;
          // the remainder scales like h^{p+1}: aim just below the limit (at most a factor 4 less)
          const double q = finite ? 0.9 * std::pow(100 * tol / remw, 1.0 / (p + 1)) : 0.5;
          h = hh * std::clamp(q, 0.25, 0.9); to_stop = false;
          continue;
        }
        if (!finite) { reason = "unbounded Taylor remainder"; break; }
        if (!enclosed) {
          reason = "no high-order a-priori enclosure of the center trajectory";
          ++res.shrinks_apriori;
          h = 0.5 * hh; to_stop = false;
          continue;
        }
        // Step 2, the set: B = Zc ± ρ with μ_B ≥ μ_b(∂_x F) over B × [t, t1] and
        // r·max(1, e^{hμ_B}) < ρ — then no solution from the set leaves B on the step (first exit:
        // up to it, ‖x(s) − x_c(s)‖_b ≤ e^{sμ_B} r < ρ and x_c(s) ∈ Zc, so x(s) ∈ int B).
        // (Bounds that overflow or cannot be evaluated over a trial box count as "not held": h shrinks.)
        auto coarse = [&](const Mat<Interval>& box) {
          try {
            return S.lognorm_bound_coarse(box, tstep);
          } catch (const std::domain_error&) {
            return std::numeric_limits<double>::infinity();
          } catch (const std::runtime_error&) {
            return std::numeric_limits<double>::infinity();
          }
        };
        auto growth_of = [&](double mu_b) {  // ≥ max(1, e^{hμ}) (+∞ on overflow)
          if (!std::isfinite(mu_b)) return std::numeric_limits<double>::infinity();
          return std::max(1.0, sup(exp(H * Interval(mu_b))));
        };
        Mat<Interval> B = Zc;
        double muB = coarse(B);
        if (r > 0) {
          bool held = false;
          // ρ just above the growth the last step's μ predicts (a wider B gives a larger μ_B)
          const double g0 = growth_of(mu_prev);
          double rho = 1.0625 * (std::isfinite(g0) ? sup(Interval(r) * Interval(g0)) : r) + 0x1p-1000;
          for (int it = 0; it < 4 && !held && std::isfinite(rho); ++it) {
            B = Zc;
            for (Eigen::Index j = 0; j < B.size(); ++j) B(j) += Interval(-rho, rho);
            muB = coarse(B);
            const double g = growth_of(muB);
            if (!std::isfinite(g)) break;
            const double need = sup(Interval(r) * Interval(g));
            if (need < rho) held = true;
            else rho = 1.0625 * need;
          }
          if (!held) {
            reason = "the set's box was not held on the step (log-norm growth)";
            ++res.shrinks_apriori;
            h = 0.5 * hh; to_stop = false;
            continue;
          }
        }
        if (!std::isfinite(growth_of(muB))) {
          reason = "unbounded log-norm bound";
          ++res.shrinks_apriori;
          h = 0.5 * hh; to_stop = false;
          continue;
        }
        mu_prev = muB;
        const Mat<Interval> rem = [&] {
          Mat<Interval> R = yb[static_cast<std::size_t>(p + 1)];
          for (Eigen::Index j = 0; j < R.size(); ++j) R(j) *= Hp;
          return R;
        }();
        // Y ∋ x_c(t1): Horner in h, plus the remainder; c1 = its midpoint, rc ≥ ‖Y − c1‖_b.
        Mat<Interval> Y = yc[static_cast<std::size_t>(p)];
        for (int k = p - 1; k >= 0; --k) {
          const Mat<Interval>& yk = yc[static_cast<std::size_t>(k)];
          for (Eigen::Index j = 0; j < Y.size(); ++j) Y(j) = Y(j) * H + yk(j);
        }
        Vec<Interval> Yv = to_vec(Y);
        for (Eigen::Index i = 0; i < n; ++i)
          for (Eigen::Index k = 0; k < d; ++k) Yv(i * d + k) += rem(i, k);
        Vec<double> c1(N);
        for (Eigen::Index i = 0; i < N; ++i) c1(i) = mid(Yv(i));
        const double rc = detail::upper_block_norm(Yv, c1, d);
        // The set at the time interval Sk ⊂ [0, h] of this step for a log-norm bound mu valid there
        // (file comment, steps 4 and 7): Σ_{k≤p} X_k Sk^k (Horner) + X_{p+1}(Zc)·Sk^{p+1} ± sup(e^{Sk·mu})·r.
        const Mat<Interval>& remB = yb[static_cast<std::size_t>(p + 1)];  // X_{p+1} over Zc
        auto set_at = [&](const Interval& Sk, double mu_k) {
          const Interval Sp = pow(Sk, p + 1);
          const double g = sup(Interval(sup(exp(Sk * Interval(mu_k)))) * Interval(r));
          Mat<Interval> Z = yc[static_cast<std::size_t>(p)];
          for (int q = p - 1; q >= 0; --q) {
            const Mat<Interval>& yq = yc[static_cast<std::size_t>(q)];
            for (Eigen::Index e = 0; e < Z.size(); ++e) Z(e) = Z(e) * Sk + yq(e);
          }
          for (Eigen::Index e = 0; e < Z.size(); ++e) Z(e) += remB(e) * Sp + Interval(-g, g);
          return Z;
        };
        double mu = muB;
        if (opt.lognorm_slices > 0 && r > 0 && sup((exp(H * Interval(muB)) - Interval(1)) * Interval(r)) > rc) {
          double mus = -std::numeric_limits<double>::infinity();
          const int ms = opt.lognorm_slices;
          for (int k = 0; k < ms && mus < muB; ++k) {
            const double s0 = k == 0 ? 0.0 : hh * k / ms, s1 = k + 1 == ms ? sup(H) : hh * (k + 1) / ms;
            const Interval Sk(s0, std::max(s0, s1));
            Mat<Interval> Z = set_at(Sk, muB);
            for (Eigen::Index e = 0; e < Z.size(); ++e)
              if (const auto both = intersection(Z(e), B(e))) Z(e) = *both;
            // the slice's times t + Sk, widened to stay inside the step's [t, t1]
            const Interval ts = Interval(t) + Sk;
            const Interval tk(std::max(t, inf(ts)), std::min(t1, sup(ts)));
            try {
              mus = std::max(mus, S.lognorm_bound(Z, tk));
            } catch (const std::domain_error&) {  // the slices are optional: keep μ_B
              mus = muB;
            } catch (const std::runtime_error&) {
              mus = muB;
            }
          }
          mu = std::min(muB, mus);
        }
        res.max_lognorm = std::max(res.max_lognorm, mu);
        const double growth = sup(exp(H * Interval(mu)));
        const double rg = sup(Interval(growth) * Interval(r));
        Vec<Interval> enc(N);
        for (Eigen::Index i = 0; i < N; ++i) enc(i) = Yv(i) + Interval(-rg, rg);
        for (Eigen::Index i = 0; i < N; ++i)
          if (!is_bounded(enc(i))) finite = false;
        if (!finite) { reason = "unbounded enclosure after the step"; break; }
        // Accumulators (step 6).
        Vec<Interval> acc1 = res.accumulators;
        if (m > 0) {
          const std::vector<double> L = S.accumulator_lipschitz(B, tstep);
          const double dev = sup(Interval(r) * H * Interval(std::max(1.0, growth)));
          for (Eigen::Index a = 0; a < m; ++a) {
            Interval inc = accb[static_cast<std::size_t>(p + 1)](a) * Hp;
            for (int k = p; k >= 1; --k) inc += accc[static_cast<std::size_t>(k)](a) * pow(H, k);
            const double dl = sup(Interval(L[static_cast<std::size_t>(a)]) * Interval(dev));
            acc1(a) += inc + Interval(-dl, dl);
            if (!is_bounded(acc1(a))) finite = false;
          }
          if (!finite) { reason = "unbounded accumulator enclosure"; break; }
        }
        // Dense output (step 7) for the output times inside [t, t1].
        if (!pending.empty()) {
          std::vector<std::size_t> still;
          for (std::size_t j : pending) {
            const Interval& tau = opt.output_times[j];
            if (!(inf(tau) >= t && sup(tau) <= t1)) { still.push_back(j); continue; }
            const Interval D = tau - Interval(t);
            res.at[j] = to_vec(set_at(Interval(std::max(0.0, inf(D)), sup(D)), mu));
          }
          pending = std::move(still);
        }
        if (opt.record_tubes) {
          // step 7 with S = [0, sup(t1 − t)] (∋ every s of the step) intersected with the
          // a-priori box: both enclose x(s) on the step, so their intersection does
          const Mat<Interval> Z = set_at(Interval(0, sup(H)), mu);
          Vec<Interval> tube = to_vec(B);
          for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index k = 0; k < d; ++k)
              if (const auto both = intersection(Z(i, k), tube(i * d + k))) tube(i * d + k) = *both;
          res.tubes.push_back(std::move(tube));
          res.tube_times.push_back(t1);
        }
        r = sup(Interval(rc) + Interval(rg));
        c = c1;
        res.accumulators = acc1;
        if (!(r <= opt.max_relative_radius * (1 + c.cwiseAbs().maxCoeff()))) {
          res.t_reached = t1;
          res.center = c;
          res.radius = r;
          res.enclosure = enc;
          return finish(Verdict::unknown("structured flow stopped at t = " + std::to_string(t1) + ": the set radius " +
                                         std::to_string(r) + " exceeds max_relative_radius·(1 + ‖center‖∞) — the "
                                         "log-norm set propagation is too loose for this model"));
        }
        res.enclosure = enc;
        t = t1;
        prev_shrunk = attempt > 0;
        h_prev = hh;
        // remainder width ~ h^{p+1}: the step that would put it at 100·tol (≤ 4 h)
        h_rem = remw > 0 ? hh * std::min(4.0, 0.9 * std::pow(100 * tol / remw, 1.0 / (p + 1)))
                         : std::numeric_limits<double>::infinity();
        ++res.step_count;
        if (WorkBudget* budget = current_budget()) budget->count_step();
        if (opt.on_step) opt.on_step(t);
        stepped = true;
        break;
      }
    } catch (const std::domain_error& e) {
      reason = std::string("evaluation failed: ") + e.what();
    } catch (const std::runtime_error& e) {
      reason = std::string("evaluation failed: ") + e.what();
    }
    if (!stepped) {
      res.t_reached = t;
      res.center = c;
      res.radius = r;
      return finish(Verdict::unknown("structured flow stopped at t = " + std::to_string(t) + ": " + reason));
    }
  }
  res.t_reached = t;
  res.center = c;
  res.radius = r;
  return finish(Verdict::proved("flow enclosed on [" + detail::time_text(t0) + ", " + detail::time_text(T) + "] in " +
                                std::to_string(res.step_count) + " structured Taylor steps"));
}

}  // namespace certiformer::ode
