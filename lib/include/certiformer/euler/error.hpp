#pragma once
/// certiformer/euler/error.hpp — certified Euler discretization errors of the n-token
/// Transformer system (docs/mathematics.md §2, paper P2). Formulas: docs/euler.md.
///
/// For a field f (a transformer::TransformerField, or any ode::VectorField for the generic
/// pieces), exact initial tokens X0 (a box containing them), a horizon T (a binary64 number) and
/// depths L₁ < L₂ < …, with ε = T/L and t_k = kε:
///   * `enclose_discrete_iterates`   boxes X^k ∋ the exact real iterates of the depth-L network;
///   * `enclose_flow_on_grids`       boxes ∋ the exact flow X(t_k) for every grid of the table,
///                                   from ONE validated Taylor–Lohner run (ode::enclose_flow);
///   * `enclose_true_error`          [lo, hi] ∋ err_L = max_k max_i ‖X^k_i − X_i(t_k)‖₂;
///   * `upper_bound_aposteriori`     ≥ err_L from the defect and a certified log-norm;
///   * `enclose_theorem_constant`    the a-priori constant C_thm = (L·M + L_θΛ)/(2L)(e^{LT} − 1);
///   * `enclose_order_table`         all of the above for a list of depths, the order ratios
///                                   err_L/ε and the certified claims err_L ≤ C_thm ε.
/// Every function obeys the inclusion principle (docs/mathematics.md §0); enclosure functions never claim, the
/// `certify_*` functions return a Verdict.

#include "certiformer/core.hpp"
#include "certiformer/linalg.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/transformer/flow.hpp"
#include "certiformer/transformer/structured_euler.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace certiformer::euler {


/// Options of the order table.
struct EulerOptions {
  ode::TaylorOptions flow;                     ///< the validated flow (record_steps is forced on)
  /// engine of the validated flow (enclose_order_table): automatic = the structured engine
  /// (transformer/structured_flow.hpp) when transformer::structured_refusal is empty, else
  /// Taylor–Lohner (ode::enclose_flow with `flow`); an automatic structured run that stops
  /// early for a reason other than the work budget is redone with Taylor–Lohner (only up to
  /// n·d = fallback_max_dimension: transformer::taylor_lohner_fallback_refusal)
  transformer::FlowMethod flow_method = transformer::FlowMethod::automatic;
  Eigen::Index fallback_max_dimension = transformer::kTaylorLohnerFallbackMaxDimension;
  /// order of the structured engine; 0: auto (structured_euler_order)
  int structured_order = 0;
  /// per-step tolerance of the structured engine; 0: auto (structured_euler_tolerance)
  double structured_tolerance = 0;
  ode::Wrapping wrapping = ode::Wrapping::qr;  ///< wrapping control of the discrete iterates
  /// set representation of the discrete iterates: `wrapping` = ode::enclose_euler_iterates with
  /// `wrapping` above; `structured` = center and block radius (transformer/structured_euler.hpp,
  /// binary64 only, constant attention layer in the structured scope); `automatic` = structured
  /// when T = Interval, the field is in that scope and n·d > structured_iterates_min_dimension,
  /// else `wrapping`
  enum class Iterates { automatic, wrapping, structured } iterates = Iterates::wrapping;
  Eigen::Index structured_iterates_min_dimension = 256;
  bool aposteriori = true;                     ///< compute the a-posteriori bound per depth
  /// ... when the state dimension n·d is at most this (its log-norm bounds take an interval
  /// Jacobian with n·d forward-mode directions per Euler step); above it the row's
  /// aposteriori_verdict says why there is no bound
  Eigen::Index aposteriori_max_dimension = 1024;
  bool keep_iterates = false;                  ///< keep every X^k in the rows (memory L·n·d)
  /// compute the trajectory-region constant (OrderTable::tube_constant) when the state
  /// dimension n·d is at most this (its Jacobians cost n·d forward-mode directions per box)
  Eigen::Index tube_constant_max_dimension = 256;
  /// progress of enclose_order_table (may be empty): called before the discrete iterates of
  /// each depth and after the last with (Euler steps done, total), the total being Σ depths
  std::function<void(std::size_t, std::size_t)> on_depth;
};

namespace detail {
/// Per-token Euclidean norm bounds of token i of a flat state D (d coordinates per token):
/// lo = inf √(Σ mig(D_c)²) ≤ ‖D_i‖ ≤ sup √(Σ mag(D_c)²) = hi for every real D_i in the box.
template <class T> std::pair<real_t<T>, real_t<T>> token_norm_bounds(const Vec<T>& D, Eigen::Index i, Eigen::Index d) {
  const Vec<T> Di = D.segment(i * d, d);
  return {linalg::lower_bound_norm_2(Di).value(), linalg::upper_bound_norm_2(Di).value()};
}
/// sup_i ‖x_i‖ over a box state (upper bound).
template <class T> real_t<T> max_token_norm(const Vec<T>& X, Eigen::Index d) {
  real_t<T> m(0);
  for (Eigen::Index i = 0; i < X.size() / d; ++i) {
    const real_t<T> h = token_norm_bounds<T>(X, i, d).second;
    if (m < h) m = h;
  }
  return m;
}
/// max_i of the lower norm bounds of the tokens of a box state (every real state in the box has
/// max_i ‖x_i‖ ≥ this).
template <class T> real_t<T> max_token_norm_lower(const Vec<T>& X, Eigen::Index d) {
  real_t<T> m(0);
  for (Eigen::Index i = 0; i < X.size() / d; ++i) {
    const real_t<T> l = token_norm_bounds<T>(X, i, d).first;
    if (m < l) m = l;
  }
  return m;
}
template <class T> real_t<T> rmax(const real_t<T>& a, const real_t<T>& b) { return a < b ? b : a; }
inline bool finite_real(double r) { return std::isfinite(r); }
inline bool finite_real(const MpReal& r) { return mpfr_number_p(r.backend().data()) != 0; }
/// Upper bound of max_i Σ_j ‖∂f_i/∂x_j‖₂ (the operator norm of D_X f for the per-token norm
/// max_i ‖x_i‖₂, blocks of d) over the box X (interval Jacobian by forward mode, time hull t).
template <class T, class F> real_t<T> upper_bound_jacobian_block_norm(const F& f, const T& t, const Vec<T>& X, Eigen::Index d) {
  using D1 = ode::Dual<T>;
  const Eigen::Index N = X.size();
  Vec<D1> xv(N);
  for (Eigen::Index i = 0; i < N; ++i) xv(i) = D1::variable(X(i), static_cast<std::size_t>(i), static_cast<std::size_t>(N));
  const Vec<D1> fv = ode::eval_field<D1>(f, D1(t), xv);
  real_t<T> best(0);
  for (Eigen::Index bi = 0; bi < N / d; ++bi) {
    T row(0);
    for (Eigen::Index bj = 0; bj < N / d; ++bj) {
      Mat<T> B(d, d);
      for (Eigen::Index r = 0; r < d; ++r)
        for (Eigen::Index c = 0; c < d; ++c) B(r, c) = fv(bi * d + r).d(static_cast<std::size_t>(bj * d + c));
      row += enclose_point<T>(linalg::upper_bound_norm_2<T>(B).value());
    }
    best = rmax<T>(best, sup(row));
  }
  return best;
}
/// (p, q) = k/L reduced.
inline std::pair<long, long> reduced(long k, long L) {
  const long g = std::gcd(k, L);
  return {k / g, L / g};
}
/// Whether every breakpoint b in (0, horizon) is a grid time jT/L of every depth L (exactly:
/// b·L/T an integer in rational arithmetic), so that every Euler step lies in one piece.
inline bool breakpoints_on_grids(const std::vector<double>& breakpoints, double horizon,
                                 const std::vector<std::size_t>& depths) {
  for (double b : breakpoints) {
    if (!(b > 0 && b < horizon)) continue;
    for (std::size_t L : depths) {
      const Rational q = Rational(b) * Rational(static_cast<long>(L)) / Rational(horizon);
      if (denominator(q) != 1) return false;
    }
  }
  return true;
}
}  // namespace detail

/// Encloses: boxes X^k ∋ x_k, k = 0..L, of the exact real depth-L network
///   x_{k+1} = x_k + ε f(t_k, x_k), ε = horizon/L (as an interval), t_k = kε, for every x_0 ∈ X0;
///   with `renormalize_block` = d > 0 each token is renormalised after the step (sphere model).
/// Assumes: nothing beyond the inclusion principle of f.
/// Checks: L ≥ 1, horizon > 0 (std::invalid_argument otherwise).
/// Failure: the MapResult's verdict is unknown (with the iterates enclosed so far).
/// Method: ode::enclose_euler_iterates (mean-value form + QR wrapping, or plain boxes).
template <class T, class F>
ode::MapResult<T> enclose_discrete_iterates(const F& f, const Vec<T>& X0, const T& horizon, std::size_t L,
                                            ode::Wrapping wrapping = ode::Wrapping::qr,
                                            Eigen::Index renormalize_block = 0) {
  if (L < 1) throw std::invalid_argument("enclose_discrete_iterates: depth must be ≥ 1");
  if (!certainly_positive(horizon)) throw std::invalid_argument("enclose_discrete_iterates: horizon must be > 0");
  const T eps = horizon / T(static_cast<long long>(L));
  return ode::enclose_euler_iterates<T>(f, X0, eps, L, T(0), wrapping, renormalize_block, horizon);
}

/// The flow on the grids of a table: `at[{p, q}]` ∋ X(horizon·p/q) for every grid time t_k = kT/L
/// (k/L = p/q reduced) of every depth, and `radius` ≥ sup_{t∈[0,T]} max_i ‖X_i(t)‖.
template <class T>
struct GridFlow {
  Verdict verdict = Verdict::unknown("not run");
  std::map<std::pair<long, long>, Vec<T>> at;
  real_t<T> radius = real_t<T>(0);
  std::size_t steps = 0;
  std::size_t corrected = 0;  ///< grid times that are not binary64 numbers (Taylor–Lohner: enclosed via
                              ///< the step tube; structured: dense output at their binary64 hull)
  std::vector<Vec<T>> tubes;  ///< the validated step tubes (∪ ∋ X(t) for every t ∈ [0, T])
  double seconds = 0;
  /// the engine that produced `at` (never automatic) and why (for the certificate)
  transformer::FlowMethod method = transformer::FlowMethod::taylor_lohner;
  std::string method_reason = "Taylor–Lohner (ode::enclose_flow)";
  int order = 0;           ///< structured engine: Taylor order used (0 for Taylor–Lohner)
  double tolerance = 0;    ///< structured engine: per-step tolerance used
};

namespace detail {
/// The grid times t_k = k·horizon/L of every depth as reduced fractions k/L ↦ binary64 interval
/// ∋ horizon·k/L (a point when that real is a binary64 number).
inline std::map<std::pair<long, long>, Interval> grid_times(double horizon, const std::vector<std::size_t>& depths) {
  std::map<std::pair<long, long>, Interval> grid;
  for (std::size_t L : depths) {
    if (L < 1) throw std::invalid_argument("enclose_flow_on_grids: depth must be ≥ 1");
    for (std::size_t k = 0; k <= L; ++k) {
      const auto pq = reduced(static_cast<long>(k), static_cast<long>(L));
      if (!grid.count(pq))
        grid.emplace(pq, Interval(horizon) * Interval(static_cast<long long>(pq.first)) / Interval(static_cast<long long>(pq.second)));
    }
  }
  return grid;
}
}  // namespace detail

/// Encloses: X(t_k) for every grid time t_k = k·horizon/L of every depth L in `depths`, for
///   every x0 ∈ X0, and an upper bound of every token's norm along the whole flow on [0, T].
/// Assumes: f is a field for ode::enclose_flow (real-analytic between its breakpoints).
/// Checks: depths ≥ 1, horizon > 0 finite.
/// Failure: verdict unknown + reason (integration stopped, or a non-binary64 grid time whose
///   validated step does not cover it); `at` then holds what was enclosed, nothing is claimed.
/// Method: one ode::enclose_flow run with output times a_k = inf(t_k) (t_k itself when it is a
///   binary64 number). If t_k is not a binary64 number, a_k < t_k < next_up(a_k) and the step
///   [a_k, t1] that starts at a_k covers t_k; then
///     X(t_k) = X(a_k) + ∫_{a_k}^{t_k} f(s, X(s)) ds ∈ X(a_k) + [0, t_k − a_k] · f([a_k, t_k], tube),
///   with `tube` the step's validated tube (∋ X(s) for s in the step).
template <class T, class F>
GridFlow<T> enclose_flow_on_grids(const F& f, const Vec<T>& X0, double horizon, const std::vector<std::size_t>& depths,
                                  Eigen::Index token_dim, ode::TaylorOptions opt = {}) {
  const auto clock0 = std::chrono::steady_clock::now();
  if (!(horizon > 0) || !std::isfinite(horizon)) throw std::invalid_argument("enclose_flow_on_grids: horizon must be > 0");
  if (token_dim < 1 || X0.size() % token_dim != 0) throw std::invalid_argument("enclose_flow_on_grids: bad token dimension");
  GridFlow<T> out;
  auto finish = [&](Verdict v) {
    out.verdict = std::move(v);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
    return out;
  };
  // Grid times as reduced fractions, their binary64 enclosures, and the output times.
  const std::map<std::pair<long, long>, Interval> grid = detail::grid_times(horizon, depths);
  std::vector<double> outputs;
  for (const auto& [pq, tk] : grid)
    if (inf(tk) > 0 && inf(tk) < horizon) outputs.push_back(inf(tk));
  std::sort(outputs.begin(), outputs.end());
  outputs.erase(std::unique(outputs.begin(), outputs.end()), outputs.end());
  opt.record_steps = true;
  const ode::FlowResult<T> r = ode::enclose_flow<T>(f, 0.0, X0, horizon, opt, outputs);
  out.steps = r.step_count;
  out.radius = detail::max_token_norm<T>(X0, token_dim);
  for (const auto& s : r.steps) {
    out.radius = detail::rmax<T>(out.radius, detail::max_token_norm<T>(s.tube, token_dim));
    out.tubes.push_back(s.tube);
  }
  if (!r.verdict.is_proved()) return finish(Verdict::unknown("flow: " + r.verdict.reason()));
  std::map<double, const Vec<T>*> at_time;
  for (std::size_t i = 0; i < r.times.size(); ++i) at_time[r.times[i]] = &r.at[i];
  at_time[horizon] = &r.enclosure;
  std::map<double, std::size_t> step_from;
  for (std::size_t j = 0; j < r.steps.size(); ++j) step_from[r.steps[j].t0] = j;
  for (const auto& [pq, tk] : grid) {
    const double a = inf(tk);
    if (pq.first == 0) { out.at[pq] = X0; continue; }
    auto it = at_time.find(a);
    if (it == at_time.end()) return finish(Verdict::unknown("flow: grid time " + std::to_string(a) + " was not reached"));
    if (is_point(tk)) { out.at[pq] = *it->second; continue; }
    // t_k is not a binary64 number: move from a_k along the step that starts there.
    auto js = step_from.find(a);
    if (js == step_from.end() || !(r.steps[js->second].t1 >= sup(tk)))
      return finish(Verdict::unknown("flow: no validated step covers the grid time " + std::to_string(pq.first) + "/" +
                                     std::to_string(pq.second) + "·T"));
    const auto& st = r.steps[js->second];
    const T tk_exact = T(horizon) * T(static_cast<long long>(pq.first)) / T(static_cast<long long>(pq.second));
    const T dt = convex_hull(T(0), tk_exact - T(a));
    const T tt = convex_hull(T(a), tk_exact);
    try {
      const Vec<T> v = ode::eval_field<T>(f, tt, st.tube);
      Vec<T> x = *it->second;
      for (Eigen::Index c = 0; c < x.size(); ++c) x(c) += dt * v(c);
      out.at[pq] = x;
      ++out.corrected;
    } catch (const std::domain_error& e) {
      return finish(Verdict::unknown(std::string("flow: field evaluation failed: ") + e.what()));
    }
  }
  return finish(Verdict::proved("flow enclosed at " + std::to_string(grid.size()) + " grid times in " +
                                std::to_string(r.step_count) + " validated steps"));
}

/// The automatic Taylor order of the structured engine for an order table (EulerOptions::
/// structured_order = 0): 12. The table needs the flow only to a fraction of the Euler error
/// (≈ C·T/L, 1e-3…1e-4 at L = 1024), far from the 1e-11 of transformer.flow's order 20 /
/// tolerance 1e-16; at the tolerances below, order 12 takes about the fewest matrix products
/// per unit time (steps h ∝ tol^{1/p}, work per step ∝ p²).
inline int structured_euler_order() { return 12; }

/// The automatic per-step tolerance of the structured engine for an order table with deepest
/// depth L_max (EulerOptions::structured_tolerance = 0): 1e-9/L_max, at most 1e-11. Reason:
/// hi/lo of err_L is ≈ 1 + (flow width + iterate width)/err_L with err_L ≈ C·T/L_max; the
/// flow width is ≈ (steps)·(per-step width ≲ tol)·e^{μT} with the engine's log-norm bound μ
/// (e^{μT} ≈ 10²…10³ for the attention models of the benchmarks), so tol ≈ 1e-9·T/L_max keeps
/// the flow's share of hi/lo − 1 well below 1e-2 for C ≳ 0.1 (measured: docs/euler.md, "Tests,
/// proofs, benchmark", issue 13 goal 3).
inline double structured_euler_tolerance(std::size_t L_max) {
  return std::min(1e-11, 1e-9 / static_cast<double>(std::max<std::size_t>(L_max, 1)));
}

/// The flow on the grids of a table by the structured engine (transformer/structured_flow.hpp).
/// Encloses: X(t_k) for every grid time t_k = k·horizon/L of every depth, for every x0 ∈ X0, and
///   an upper bound of every token's norm along the flow on [0, T] (over the step tubes).
/// Assumes: nothing beyond enclose_structured_flow (inclusion property of its kernels).
/// Checks: horizon > 0 finite, depths ≥ 1; the engine's own checks.
/// Failure: std::invalid_argument for a field outside the structured scope; verdict unknown
///   (with the engine's reason) when the run stops before T — nothing is claimed then.
/// Method: one enclose_structured_flow run with the grid times as dense outputs (the binary64
///   hull of each t_k; file comment of structured_flow.hpp, step 6: the Taylor polynomial of
///   the step containing t_k, its Lagrange remainder over the step's a-priori box and the
///   log-norm growth of the set radius, all evaluated at the interval s = t_k − t_step), so
///   grid times need not be step ends nor binary64 numbers.
inline GridFlow<Interval> enclose_flow_on_grids_structured(const transformer::TransformerField<Interval>& f,
                                                           const Vec<Interval>& X0, double horizon,
                                                           const std::vector<std::size_t>& depths,
                                                           transformer::StructuredFlowOptions so) {
  const auto clock0 = std::chrono::steady_clock::now();
  if (!(horizon > 0) || !std::isfinite(horizon)) throw std::invalid_argument("enclose_flow_on_grids: horizon must be > 0");
  const Eigen::Index d = f.token_dimension();
  GridFlow<Interval> out;
  out.method = transformer::FlowMethod::structured;
  out.order = so.order;
  out.tolerance = so.tolerance;
  const std::map<std::pair<long, long>, Interval> grid = detail::grid_times(horizon, depths);
  std::vector<std::pair<long, long>> keys;
  so.output_times.clear();
  for (const auto& [pq, tk] : grid)
    if (pq.first > 0) {
      keys.push_back(pq);
      so.output_times.push_back(tk);
      if (!is_point(tk)) ++out.corrected;  // enclosed at the interval τ ∋ t_k (dense output)
    }
  so.record_tubes = true;
  transformer::StructuredFlowResult r = transformer::enclose_structured_flow(f, X0, horizon, so);
  out.steps = r.step_count;
  out.radius = detail::max_token_norm<Interval>(X0, d);
  for (const auto& tb : r.tubes) out.radius = detail::rmax<Interval>(out.radius, detail::max_token_norm<Interval>(tb, d));
  out.tubes = std::move(r.tubes);
  auto finish = [&](Verdict v) {
    out.verdict = std::move(v);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
    return out;
  };
  if (!r.verdict.is_proved()) return finish(Verdict::unknown("structured flow: " + r.verdict.reason()));
  out.at[{0, 1}] = X0;
  for (std::size_t j = 0; j < keys.size(); ++j) {
    if (r.at[j].size() != X0.size())
      return finish(Verdict::unknown("structured flow: grid time " + std::to_string(keys[j].first) + "/" +
                                     std::to_string(keys[j].second) + "·T was not enclosed"));
    out.at[keys[j]] = std::move(r.at[j]);
  }
  return finish(Verdict::proved("flow enclosed at " + std::to_string(grid.size()) + " grid times in " +
                                std::to_string(r.step_count) + " structured Taylor steps (dense output)"));
}

/// The flow on the grids of a table of a Transformer field with the engine chosen by
/// `opt.flow_method` (transformer::choose_flow_method: structured for binary64 attention models
/// in its scope, Taylor–Lohner otherwise); `GridFlow::method`/`method_reason` say which ran.
/// Encloses: X(t_k) for every grid time t_k = k·horizon/L of every depth (GridFlow::at) and a
///   bound of the token norms along the flow — those of the engine used (enclose_flow_on_grids
///   or enclose_flow_on_grids_structured).
/// Assumes: those of the engine used.
/// Checks: those of the engine used.
/// Failure: a forced structured method outside the scope throws std::invalid_argument; a run
///   that stops before T returns verdict unknown (nothing claimed).
/// Method: automatic → structured when in scope, with the order/tolerance of opt (0: the auto
///   choices structured_euler_order / structured_euler_tolerance(L_max)); when that run stops
///   early (not for the work budget) the Taylor–Lohner run from t = 0 replaces it, up to
///   n·d = opt.fallback_max_dimension (above: unknown, transformer::taylor_lohner_fallback_refusal).
template <class T>
GridFlow<T> enclose_transformer_flow_on_grids(const transformer::TransformerField<T>& f, const Vec<T>& X0, double horizon,
                                              const std::vector<std::size_t>& depths, const EulerOptions& opt) {
  auto [method, why] = transformer::choose_flow_method(f, opt.flow_method);
  if constexpr (std::is_same_v<T, Interval>) {
    if (method == transformer::FlowMethod::structured) {
      transformer::StructuredFlowOptions so;
      so.order = opt.structured_order > 0 ? opt.structured_order : structured_euler_order();
      so.tolerance = opt.structured_tolerance > 0 ? opt.structured_tolerance
                                                  : structured_euler_tolerance(depths.empty() ? 1 : depths.back());
      so.on_step = opt.flow.on_step;
      GridFlow<T> g = enclose_flow_on_grids_structured(f, X0, horizon, depths, so);
      ode::WorkBudget* budget = ode::current_budget();
      const bool spent = budget && budget->exhausted();
      g.method_reason = why + "; order " + std::to_string(so.order) + ", tolerance " + ode::detail::time_text(so.tolerance);
      if (g.verdict.is_proved() || opt.flow_method == transformer::FlowMethod::structured || spent) return g;
      if (const auto no = transformer::taylor_lohner_fallback_refusal(X0.size(), opt.fallback_max_dimension)) {
        g.verdict = Verdict::unknown(g.verdict.reason() + "; " + *no);
        return g;
      }
      why = "auto: the structured engine did not reach T (" + g.verdict.reason() + ")";
    }
  }
  GridFlow<T> g = enclose_flow_on_grids<T>(f, X0, horizon, depths, f.token_dimension(), opt.flow);
  g.method = transformer::FlowMethod::taylor_lohner;
  g.method_reason = why;
  return g;
}

/// Encloses: err = max_{k ≤ L} max_i ‖X^k_i − X_i(t_k)‖₂ for every real iterate / flow value in
///   the boxes `discrete[k]`, `flow[k]` (k = 0..L, same length; d coordinates per token).
/// Method: per token, D = X^k_i − X_i(t_k) in interval arithmetic; lower √(Σ mig(D_c)²) rounded
///   down, upper √(Σ mag(D_c)²) rounded up; the max of intervals is [max lo, max hi].
/// Assumes: discrete[k] and flow[k] enclose the iterate and the flow value at the same t_k.
/// Checks: equal, non-zero lengths; every state size equal and a multiple of d.
/// Failure: std::invalid_argument on mismatched sizes.
template <class T>
T enclose_true_error(const std::vector<Vec<T>>& discrete, const std::vector<Vec<T>>& flow, Eigen::Index d) {
  if (discrete.size() != flow.size() || discrete.empty()) throw std::invalid_argument("enclose_true_error: size mismatch");
  real_t<T> lo(0), hi(0);
  for (std::size_t k = 0; k < discrete.size(); ++k) {
    if (discrete[k].size() != flow[k].size() || discrete[k].size() % d != 0)
      throw std::invalid_argument("enclose_true_error: state size mismatch");
    const Vec<T> D = discrete[k] - flow[k];
    for (Eigen::Index i = 0; i < D.size() / d; ++i) {
      const auto [l, h] = detail::token_norm_bounds<T>(D, i, d);
      lo = detail::rmax<T>(lo, l);
      hi = detail::rmax<T>(hi, h);
    }
  }
  return T(lo, hi);
}

/// Encloses: C_thm = (L·M + L_θΛ)/(2L) · (e^{L·T} − 1) = (M/2)·expm1(LT) + (L_θΛ/2)·T·φ(LT),
///   φ(x) = expm1(x)/x (φ(0) = 1), for the exact reals M, L, L_θΛ, T in the given intervals
///   (L = L_x + L_μ); at L = 0 this is the limit L_θΛ·T/2 (the M-term vanishes: Euler is exact
///   for a field that does not depend on the state).
/// Method: the M-term by the rigorous expm1 of the interval LT (monotone, no division); the
///   L_θΛ-term by L_θΛ/(2L)·expm1(LT) when L is certainly positive, else with
///   φ(x) ∈ [e^{min(x_lo, 0)}, e^{max(x_hi, 0)}] (φ is the mean of eˢ over [0, x]).
/// Assumes: M, L, L_θΛ enclose the theorem's constants (the caller's certified bounds).
/// Checks: M, L, L_θΛ not certainly negative and T certainly positive.
/// Failure: std::invalid_argument when a check fails.
template <class T>
T enclose_theorem_constant(const T& M, const T& L, const T& horizon, const T& LthetaLambda = T(0)) {
  if (certainly_negative(M) || certainly_negative(L) || certainly_negative(LthetaLambda) || !certainly_positive(horizon))
    throw std::invalid_argument("enclose_theorem_constant: M, L, L_θΛ must be ≥ 0 and T > 0");
  const T half(0.5);
  const T x = L * horizon;
  const T m_term = M * half * expm1(x);
  if (certainly_positive(L)) return m_term + LthetaLambda / (T(2) * L) * expm1(x);
  const real_t<T> zero(0);
  const T lo = exp(enclose_point<T>(inf(x) < zero ? inf(x) : zero));
  const T hi = exp(enclose_point<T>(sup(x) > zero ? sup(x) : zero));
  const T phi = convex_hull(lo, hi);
  return m_term + LthetaLambda * half * horizon * phi;
}

/// One row of the order table.
template <class T>
struct DepthRow {
  using R = real_t<T>;
  std::size_t depth = 0;
  T eps = T(0);
  Verdict verdict = Verdict::unknown("not run");  ///< proved iff `error` and `ratio` are enclosures
  T error = T(0);   ///< ∋ err_L
  T ratio = T(0);   ///< ∋ err_L / ε
  Verdict aposteriori_verdict = Verdict::unknown("not computed");
  R aposteriori = R(0);  ///< ≥ err_L when aposteriori_verdict is proved (per-token norm bound)
  R discrete_radius = R(0);  ///< ≥ max_k max_i ‖X^k_i‖
  Vec<T> final_iterate;      ///< ∋ X^L
  std::vector<Vec<T>> iterates;  ///< all X^k (only with EulerOptions::keep_iterates)
  double seconds_discrete = 0, seconds_aposteriori = 0;
};

/// The whole table.
template <class T>
struct OrderTable {
  using R = real_t<T>;
  Verdict verdict = Verdict::unknown("not run");  ///< proved iff every row and the flow are enclosed
  std::vector<DepthRow<T>> rows;
  GridFlow<T> flow;
  Vec<T> flow_final;          ///< ∋ X(T)
  R radius = R(0);            ///< ≥ every token norm of every discrete and continuous trajectory
  R radius_lower = R(0);      ///< ≤ R* := sup of those token norms (a norm attained on the grids)
  transformer::FieldConstants<T> constants;
  Verdict theorem_verdict = Verdict::unknown("not computed");
  /// ∋ C_thm computed from the certified M, L_x, L_μ of the ball of radius `radius` (a ball
  /// certified to contain every trajectory): an admissible constant of the theorem, ≥ the one of
  /// the smallest such ball. Valid when theorem_verdict is proved.
  T theorem_constant = T(0);
  /// The trajectory-region constant (Euclidean model, constant control): C_tube =
  /// (M_tube/2)(e^{L_tube T} − 1), an upper bound such that err_L ≤ C_tube·ε for every depth L
  /// of this table (see enclose_order_table). Valid when tube_verdict is proved.
  Verdict tube_verdict = Verdict::unknown("not computed");
  T tube_constant = T(0);
  R tube_M = R(0), tube_L = R(0);
  /// how the discrete iterates were enclosed (for the certificate)
  std::string iterates_method;
  double seconds = 0;
};

/// Encloses the order table of docs/mathematics.md §2 for a Transformer field (constant, piecewise or smooth
/// control; Euclidean or sphere model).
/// Encloses: per depth L: X^k, err_L ∈ error, err_L/ε ∈ ratio, the a-posteriori bound ≥ err_L;
///   the flow X(t_k) on all grids; radius R ≥ all token norms on the discrete iterates (all
///   depths) and on the validated flow tubes (all t ∈ [0, T]); M, L_x, L_μ on the ball ‖x‖ ≤ R;
///   C_thm with L = L_x + L_μ and L_θΛ = 0.
/// Assumes: tokens carry no static features (f.feature_dimension() may be > 0: the constants
///   account for ‖p‖ via upper_bound_field_constants).
/// Checks: depths ≥ 1, strictly increasing; horizon > 0.
/// Failure: a row's verdict unknown + reason when its enclosure failed; theorem_verdict unknown
///   for the sphere model (the renormalised scheme is not the explicit Euler scheme of the
///   theorem, and its a-posteriori bound does not apply either), for smooth time-varying controls
///   (L_θΛ is not implemented) and for piecewise-constant controls with a breakpoint off some
///   depth's grid. A piecewise-constant control whose breakpoints lie on every grid is constant
///   on every Euler step [t_k, t_{k+1}) (right-continuous pieces), so the local error bound
///   ε²/2 sup‖D_x f·f‖ and the Lipschitz recursion hold with M, L the maxima over the pieces
///   (transformer::upper_bound_field_constants) and L_θΛ = 0.
///   Trajectory-region constant (tube_verdict): with the per-token norm ‖·‖_d = max_i ‖·_i‖₂,
///     M_tube ≥ sup ‖f(X)‖_d over the validated flow tubes,
///     L_tube ≥ sup ‖D_X f‖_{d} (max_i Σ_j ‖∂f_i/∂x_j‖₂) over the flow tubes and over the boxes
///              hull(X^k, X(t_k)) of every depth (they contain the segments [X^k, X(t_k)]),
///   the classical proof gives e_{k+1} ≤ (1 + εL)e_k + ε²LM/2 (mean-value inequality on the
///   segment; local error ≤ ε²/2 sup ‖D_X f·f‖ along the flow), hence
///   err_L ≤ (M/2)((1 + εL)^L − 1)ε ≤ C_tube·ε with C_tube = (M/2)(e^{LT} − 1) — the theorem's
///   constant with the sup taken over the enclosed trajectories instead of the ball.
/// Method: docs/euler.md; the pieces above, one flow run for all depths. Progress:
///   opt.flow.on_step (the flow run) and opt.on_depth (Euler steps done/total, per depth).
template <class T>
OrderTable<T> enclose_order_table(const transformer::TransformerField<T>& f, const Vec<T>& X0, double horizon,
                                  const std::vector<std::size_t>& depths, const EulerOptions& opt = {}) {
  using R = real_t<T>;
  const auto clock0 = std::chrono::steady_clock::now();
  if (depths.empty()) throw std::invalid_argument("enclose_order_table: no depths");
  for (std::size_t i = 0; i < depths.size(); ++i)
    if (depths[i] < 1 || (i > 0 && depths[i] <= depths[i - 1]))
      throw std::invalid_argument("enclose_order_table: depths must be positive and strictly increasing");
  if (!(horizon > 0) || !std::isfinite(horizon)) throw std::invalid_argument("enclose_order_table: horizon must be > 0");
  const Eigen::Index d = f.token_dimension();
  if (X0.size() != f.dimension()) throw std::invalid_argument("enclose_order_table: X0 has the wrong dimension");
  const bool sphere = f.sphere();
  OrderTable<T> tab;
  const T Th(horizon);
  tab.flow = enclose_transformer_flow_on_grids<T>(f, X0, horizon, depths, opt);
  tab.radius = tab.flow.radius;
  bool all_ok = tab.flow.verdict.is_proved();
  std::string why = all_ok ? "" : tab.flow.verdict.reason();
  if (all_ok) tab.flow_final = tab.flow.at.at({1, 1});
  bool want_tube = all_ok && !sphere && f.control().kind == transformer::Control<T>::constant_kind &&
                   X0.size() <= opt.tube_constant_max_dimension;
  std::string tube_why = !all_ok ? "the flow is not enclosed"
                         : sphere ? "not applicable to the renormalised (sphere) scheme"
                         : f.control().kind != transformer::Control<T>::constant_kind ? "constant controls only"
                         : "state dimension above EulerOptions::tube_constant_max_dimension";
  R tube_L(0), tube_M(0);
  if (want_tube) {
    try {
      for (const auto& tb : tab.flow.tubes) {
        tube_L = detail::rmax<T>(tube_L, detail::upper_bound_jacobian_block_norm<T>(f, T(0), tb, d));
        tube_M = detail::rmax<T>(tube_M, detail::max_token_norm<T>(ode::eval_field<T>(f, T(0), tb), d));
      }
    } catch (const std::domain_error& e) {
      want_tube = false;
      tube_why = std::string("Jacobian on a flow tube failed: ") + e.what();
    }
  }
  bool use_structured_iterates = false;
  if constexpr (std::is_same_v<T, Interval>) {
    using It = typename EulerOptions::Iterates;
    const auto why = transformer::structured_refusal(f);
    if (opt.iterates == It::structured && why)
      throw std::invalid_argument("enclose_order_table: structured discrete iterates do not support this model (" + *why + ")");
    use_structured_iterates = opt.iterates == It::structured ||
                              (opt.iterates == It::automatic && !why && X0.size() > opt.structured_iterates_min_dimension);
  } else {
    if (opt.iterates == EulerOptions::Iterates::structured)
      throw std::invalid_argument("enclose_order_table: structured discrete iterates are binary64 only");
  }
  tab.iterates_method = use_structured_iterates
                            ? "structured center and block radius (transformer::enclose_structured_euler_iterates)"
                            : opt.wrapping == ode::Wrapping::qr ? "mean-value form with QR wrapping (ode::enclose_euler_iterates)"
                                                                : "box wrapping (ode::enclose_euler_iterates)";
  const std::size_t euler_total = std::accumulate(depths.begin(), depths.end(), std::size_t{0});
  std::size_t euler_done = 0;
  for (std::size_t L : depths) {
    if (opt.on_depth) opt.on_depth(euler_done, euler_total);
    euler_done += L;
    DepthRow<T> row;
    row.depth = L;
    row.eps = Th / T(static_cast<long long>(L));
    const ode::MapResult<T> m = [&] {
      if constexpr (std::is_same_v<T, Interval>) {
        if (use_structured_iterates)
          return transformer::enclose_structured_euler_iterates(f, X0, horizon, L);
      }
      return enclose_discrete_iterates<T>(f, X0, Th, L, opt.wrapping, sphere ? d : 0);
    }();
    row.seconds_discrete = m.seconds;
    for (const auto& x : m.iterates) {
      row.discrete_radius = detail::rmax<T>(row.discrete_radius, detail::max_token_norm<T>(x, d));
      tab.radius_lower = detail::rmax<T>(tab.radius_lower, detail::max_token_norm_lower<T>(x, d));
    }
    tab.radius = detail::rmax<T>(tab.radius, row.discrete_radius);
    if (!m.verdict.is_proved()) {
      row.verdict = Verdict::unknown("discrete iterates: " + m.verdict.reason());
    } else if (!tab.flow.verdict.is_proved()) {
      row.verdict = Verdict::unknown(tab.flow.verdict.reason());
    } else {
      row.final_iterate = m.iterates.back();
      std::vector<Vec<T>> fl;
      fl.reserve(L + 1);
      for (std::size_t k = 0; k <= L; ++k) fl.push_back(tab.flow.at.at(detail::reduced(static_cast<long>(k), static_cast<long>(L))));
      row.error = enclose_true_error<T>(m.iterates, fl, d);
      row.ratio = row.error / row.eps;
      row.verdict = Verdict::proved("err_L enclosed (discrete iterates and validated flow)");
      if (opt.aposteriori) {
        if (sphere) {
          row.aposteriori_verdict = Verdict::unknown("a-posteriori bound not applicable to the renormalised (sphere) scheme");
        } else if (X0.size() > opt.aposteriori_max_dimension) {
          row.aposteriori_verdict = Verdict::unknown("a-posteriori bound not computed: state dimension " +
                                                     std::to_string(X0.size()) + " above " +
                                                     std::to_string(opt.aposteriori_max_dimension) +
                                                     " (its log-norm needs n·d Jacobian directions per Euler step)");
        } else {
          const auto t0 = std::chrono::steady_clock::now();
          // per-token norm max_i ‖e_i‖ (what err_L measures); the full-state Euclidean norm
          // (≥ the per-token one) only when the per-token bootstrap does not close
          ode::EulerErrorBound<T> b = ode::upper_bound_euler_error<T>(f, m.iterates, row.eps, T(0), R(0), d, Th);
          if (!b.verdict.is_proved()) {
            ode::EulerErrorBound<T> full = ode::upper_bound_euler_error<T>(f, m.iterates, row.eps, T(0), R(0), 0, Th);
            if (full.verdict.is_proved()) b = std::move(full);
          }
          row.seconds_aposteriori = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          row.aposteriori_verdict = b.verdict;
          if (b.verdict.is_proved()) {
            R mb(0);
            for (const auto& e : b.node_bounds) mb = detail::rmax<T>(mb, e);
            row.aposteriori = mb;
          }
        }
      }
    }
    if (want_tube && row.verdict.is_proved()) {
      try {
        for (std::size_t k = 0; k <= L; ++k) {
          const Vec<T>& fk = tab.flow.at.at(detail::reduced(static_cast<long>(k), static_cast<long>(L)));
          Vec<T> hb(fk.size());
          for (Eigen::Index c = 0; c < hb.size(); ++c) hb(c) = convex_hull(fk(c), m.iterates[k](c));
          tube_L = detail::rmax<T>(tube_L, detail::upper_bound_jacobian_block_norm<T>(f, T(0), hb, d));
        }
      } catch (const std::domain_error& e) {
        want_tube = false;
        tube_why = std::string("Jacobian on a segment box failed: ") + e.what();
      }
    }
    if (opt.keep_iterates) row.iterates = m.iterates;
    if (!row.verdict.is_proved()) {
      all_ok = false;
      if (why.empty()) why = "depth " + std::to_string(L) + ": " + row.verdict.reason();
    }
    tab.rows.push_back(std::move(row));
  }
  if (opt.on_depth) opt.on_depth(euler_done, euler_total);
  // Theorem constant on the ball ‖x‖ ≤ R.
  for (const auto& [pq, x] : tab.flow.at) tab.radius_lower = detail::rmax<T>(tab.radius_lower, detail::max_token_norm_lower<T>(x, d));
  const bool finite_radius = detail::finite_real(tab.radius);
  if (finite_radius) tab.constants = transformer::upper_bound_field_constants<T>(f, tab.radius, horizon);
  if (!finite_radius) {
    tab.theorem_verdict = Verdict::unknown("no finite ball contains the enclosed trajectories");
  } else if (sphere) {
    tab.theorem_verdict = Verdict::unknown("theorem constant not applicable to the renormalised (sphere) scheme");
  } else if (f.control().kind == transformer::Control<T>::smooth_kind) {
    tab.theorem_verdict = Verdict::unknown("theorem constant certified for constant and piecewise-constant controls only "
                                           "(L_θΛ not implemented)");
  } else if (!detail::breakpoints_on_grids(f.control().breakpoints, horizon, depths)) {
    tab.theorem_verdict = Verdict::unknown("a breakpoint of the piecewise-constant control is not on every Euler grid");
  } else if (!all_ok) {
    tab.theorem_verdict = Verdict::unknown("the ball radius needs every trajectory enclosed: " + why);
  } else {
    const T M = enclose_point<T>(tab.constants.M);
    const T Lc = enclose_point<T>(sup(enclose_point<T>(tab.constants.L_x) + enclose_point<T>(tab.constants.L_mu)));
    tab.theorem_constant = enclose_theorem_constant<T>(M, Lc, Th, T(0));
    tab.theorem_verdict = is_bounded(tab.theorem_constant)
                              ? Verdict::proved(std::string("C_thm from certified M, L_x, L_mu on the ball of radius R (L_θΛ = 0: ") +
                                                (f.control().breakpoints.empty() ? "constant control)"
                                                                                 : "the control is constant on every Euler step)"))
                              : Verdict::unknown("theorem constant overflowed");
  }
  if (want_tube && all_ok) {
    tab.tube_M = tube_M;
    tab.tube_L = tube_L;
    tab.tube_constant = enclose_theorem_constant<T>(enclose_point<T>(tube_M), enclose_point<T>(tube_L), Th, T(0));
    tab.tube_verdict = is_bounded(tab.tube_constant)
                           ? Verdict::proved("C from M, L over the enclosed trajectories (flow tubes and segment boxes)")
                           : Verdict::unknown("trajectory-region constant overflowed");
  } else {
    tab.tube_verdict = Verdict::unknown(all_ok ? tube_why : "the ball radius needs every trajectory enclosed: " + why);
  }
  tab.verdict = all_ok ? Verdict::proved("order table enclosed") : Verdict::unknown(why);
  tab.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
  return tab;
}

/// Proves err_L ≤ C_thm·ε.
/// Encloses: nothing itself (compares row.ratio ∋ err_L/ε with tab.theorem_constant ∋ C_thm).
/// Assumes: row and tab come from enclose_order_table for the same model.
/// Checks: both verdicts proved; sup(ratio) ≤ inf(C_thm) (proved) or inf(ratio) > sup(C_thm)
///   (refuted: would contradict the theorem — a bug or a violated hypothesis).
/// Failure: unknown when the row or the constant is not certified or the enclosures overlap.
/// Method: interval comparison (certainly_less_equal / certainly_greater).
template <class T>
Verdict certify_error_below_theorem(const DepthRow<T>& row, const OrderTable<T>& tab) {
  if (!row.verdict.is_proved()) return Verdict::unknown(row.verdict.reason());
  if (!tab.theorem_verdict.is_proved()) return Verdict::unknown(tab.theorem_verdict.reason());
  if (certainly_less_equal(row.ratio, tab.theorem_constant)) return Verdict::proved("err_L/ε ≤ C_thm");
  if (certainly_greater(row.ratio, tab.theorem_constant)) return Verdict::refuted("err_L/ε > C_thm");
  return Verdict::unknown("err_L/ε and C_thm overlap");
}

/// Proves err_L ≤ C_tube·ε.
/// Encloses: nothing itself (compares row.ratio with tab.tube_constant).
/// Assumes: row and tab come from enclose_order_table for the same model.
/// Checks: both verdicts proved; sup(ratio) ≤ inf(C_tube) (proved) or inf(ratio) > sup(C_tube)
///   (refuted: a contradiction with the proof in enclose_order_table, i.e. a bug).
/// Failure: unknown when the row or the constant is not certified or the enclosures overlap.
/// Method: interval comparison (certainly_less_equal / certainly_greater).
template <class T>
Verdict certify_error_below_tube_constant(const DepthRow<T>& row, const OrderTable<T>& tab) {
  if (!row.verdict.is_proved()) return Verdict::unknown(row.verdict.reason());
  if (!tab.tube_verdict.is_proved()) return Verdict::unknown(tab.tube_verdict.reason());
  if (certainly_less_equal(row.ratio, tab.tube_constant)) return Verdict::proved("err_L/ε ≤ C_tube");
  if (certainly_greater(row.ratio, tab.tube_constant)) return Verdict::refuted("err_L/ε > C_tube");
  return Verdict::unknown("err_L/ε and C_tube overlap");
}

/// Proves err_L ≤ C·ε for C = C_thm (`tube` false) or C_tube (`tube` true) **by the proof of the
/// constant**, not by comparing enclosures — for inputs that are boxes (parameter boxes,
/// docs/euler.md §10), where the two-sided enclosure of err_L loses the correlation between the
/// iterates and the flow of one member and is too loose to compare, while the constant is proved
/// for every member (docs/euler.md §5: e_{k+1} ≤ (1 + εL)e_k + ε²LM/2 with M, L suprema over a region — the
/// ball of radius R, or the flow tubes and the hulls hull(X^k, X(t_k)) — that contains both
/// trajectories and the segments between them for every member, for every depth of the table).
/// Encloses: nothing itself.
/// Assumes: row and tab come from enclose_order_table for the same model and inputs.
/// Checks: row.verdict and the constant's verdict proved; inf(ratio) ≤ sup(C) (else refuted: the
///   two independent enclosures would contradict the proof, i.e. a bug).
/// Failure: unknown (with the failing verdict's reason) when either verdict is not proved.
/// Method: as certify_error_below_aposteriori; the reason says whether the enclosures also separate.
template <class T>
Verdict certify_error_below_constant_by_proof(const DepthRow<T>& row, const OrderTable<T>& tab, bool tube) {
  const Verdict& cv = tube ? tab.tube_verdict : tab.theorem_verdict;
  const T& C = tube ? tab.tube_constant : tab.theorem_constant;
  const std::string name = tube ? "C_tube" : "C_thm";
  if (!row.verdict.is_proved()) return Verdict::unknown(row.verdict.reason());
  if (!cv.is_proved()) return Verdict::unknown(cv.reason());
  if (certainly_greater(row.ratio, C)) return Verdict::refuted("err_L/ε > " + name + " (contradicts the proof of the constant)");
  if (certainly_less_equal(row.ratio, C)) return Verdict::proved("err_L/ε ≤ " + name);
  return Verdict::proved(name + " is proved for every member of the inputs (err_L ≤ " + name +
                         "·ε by its theorem); the enclosure of err_L/ε overlaps it (box inputs: the enclosure is loose)");
}

/// Proves err_L ≤ the a-posteriori bound. The bound is itself a theorem about the exact error
/// (ode::upper_bound_euler_error: ‖x(t_k) − y_k‖ ≤ node_bounds[k], and max_i ‖·_i‖ ≤ ‖·‖), so the
/// claim is proved when that bound is proved — unless the two independent enclosures contradict
/// each other (inf(error) > bound), which is reported as refuted (one of them would be wrong).
/// The verdict reason says whether the enclosures also separate (sup(error) ≤ bound) or merely
/// overlap (f = x: the defect/log-norm recursion is exact, the bound equals err_L).
/// Encloses: nothing itself (compares row.error with row.aposteriori).
/// Assumes: row comes from enclose_order_table (its a-posteriori bound is ode::upper_bound_euler_error's).
/// Checks: row.verdict and row.aposteriori_verdict proved; inf(error) ≤ bound (else refuted).
/// Failure: unknown (with the failing verdict's reason) when either verdict is not proved.
/// Method: interval comparison of the two independent enclosures.
template <class T>
Verdict certify_error_below_aposteriori(const DepthRow<T>& row) {
  if (!row.verdict.is_proved()) return Verdict::unknown(row.verdict.reason());
  if (!row.aposteriori_verdict.is_proved()) return Verdict::unknown(row.aposteriori_verdict.reason());
  const T b = enclose_point<T>(row.aposteriori);
  if (certainly_greater(row.error, b)) return Verdict::refuted("the enclosure of err_L lies above the a-posteriori bound");
  if (certainly_less_equal(row.error, b)) return Verdict::proved("a-posteriori bound proved; the enclosure of err_L lies below it");
  return Verdict::proved("a-posteriori bound proved (the bound and the enclosure of err_L overlap: the bound is sharp here)");
}

/// Encloses: the tightness C_thm / (err_L/ε) for every C_thm ∈ theorem_constant, err_L/ε ∈ ratio.
/// Assumes: nothing beyond the scalar's inclusion principle.
/// Checks: ratio certainly positive.
/// Failure: std::domain_error when 0 may lie in ratio (an unbounded [·, +∞) is not returned).
/// Method: interval division.
template <class T> T enclose_tightness(const T& theorem_constant, const T& ratio) {
  if (!certainly_positive(ratio)) throw std::domain_error("enclose_tightness: err_L/ε is not certainly positive");
  return theorem_constant / ratio;
}

}  // namespace certiformer::euler
