#pragma once
/// certiformer/gradflow/edi.hpp — the certified energy-dissipation identity of P4 (docs/mathematics.md §5).
///
/// `enclose_energy_dissipation(model, X0, T)` integrates the augmented field (field.hpp) from
/// (X0, e = 0) over [0, T] with the validated Taylor–Lohner integrator and returns
///   energy_change          ∋ E(x(T), T) − E(x(0), 0): E evaluated independently on the enclosure
///                          of x(T) and on X0 (never taken from the integrated state — carrying E
///                          as a state component would make the identity circular);
///   explicit_time_integral ∋ ∫_0^T ∂_t E ds                       (= e1(T));
///   dissipation_integral   ∋ s ∫_0^T Σ_i ∇_{x_i}E · v_i ds        (= e2(T), chain-rule form);
///   metric_integral        ∋ s ∫_0^T Σ_i (N_i/n²)‖v_i‖² ds        (= e3(T), H = 1 only);
///   identity_residual      = energy_change − explicit − dissipation  (∋ 0 for the exact flow);
///   metric_residual        = energy_change − explicit − metric       (H = 1; ∋ 0 on the sphere);
/// for every initial configuration in X0 (the residual enclosures contain the exact residual of
/// every such trajectory, which is 0 — the check `identity_contains_zero` is thus a consistency
/// test of the whole chain; its width is what the run measures).
/// Width: x(T), e1(T), e2(T) come from one Lohner enclosure but are combined as separate boxes,
///   so the residual's width is roughly |∇E|·wid(x(T)) + wid(e1) + wid(e2); it is a correct
///   enclosure, not a tight one.
/// Autonomous models (every path constant): `monotone` is proved when on every step's tube the
///   enclosure of s·dE/dt (= chain slope; for H = 1 also the metric slope s·G² ≥ 0) lies in
///   [0, ∞) — E is then non-decreasing (ascent) / non-increasing (descent) on [0, T] along the
///   exact trajectory from the configuration on the sphere inside X0 (the tubes contain it; for
///   H = 1 the chain and metric slope enclosures are intersected, both contain its slope);
///   `strict` when it lies in (0, ∞) on every tube.
/// At the horizon: `slope_at_horizon` ∋ G²(x(T), T) = Σ_i (N̄_i/n²)‖v_i‖², N̄_i = (1/H)Σ_h N_hi
///   (the slope G² of docs/mathematics.md §5 for H = 1) for every x(T) in the enclosure.
/// Assumes: X0 a box of initial tokens (the exact configuration on the sphere lies in it).
/// Failure: verdict unknown with the integrator's reason (then only t_reached is meaningful).

#include "certiformer/gradflow/field.hpp"
#include "certiformer/ode/integrator.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace certiformer::gradflow {

template <class T> struct EdiResult {
  Verdict verdict = Verdict::unknown("not run");  ///< the flow was enclosed on [0, T]
  double t_reached = 0;
  std::size_t steps = 0;
  double seconds = 0;
  Vec<T> tokens_at_horizon;      ///< n·d (flattened)
  T energy_0, energy_T, energy_change, explicit_time_integral, dissipation_integral, identity_residual;
  std::optional<T> metric_integral, metric_residual;
  T slope_at_horizon;            ///< ∋ G²(x(T), T)
  Verdict identity = Verdict::unknown("not run");  ///< residual ∋ 0 (consistency)
  Verdict monotone = Verdict::unknown("not run");  ///< autonomous models only
  bool strict = false;
  std::vector<ode::FlowStep<T>> flow_steps;        ///< per-step tubes (augmented state)
};

/// Flattened initial state (X0 tokens, accumulators 0).
template <class T> Vec<T> augmented_initial(const GradflowField<T>& f, const Vec<T>& X0) {
  if (X0.size() != f.token_dimension()) throw std::invalid_argument("gradflow: X0 has the wrong size (n·d)");
  Vec<T> Y(f.dimension());
  for (Eigen::Index i = 0; i < X0.size(); ++i) Y(i) = X0(i);
  for (Eigen::Index i = X0.size(); i < Y.size(); ++i) Y(i) = T(0);
  return Y;
}

/// The verdicts of an energy-dissipation result whose enclosures are filled (both engines):
/// `identity` (the residual enclosures contain 0) and, for autonomous models, `monotone` / `strict`
/// from the slope s·dE/dt over every tube in r.flow_steps (file comment).
/// Encloses: nothing new (verdicts on r's enclosures). Assumes: r's enclosures and tubes are
///   valid (their engine's claim). Checks: as stated. Failure: none (verdicts say unknown).
/// Method: the chain slope over each tube (H = 1: intersected with the metric slope).
template <class T>
void finish_energy_dissipation(const Model<T>& model, const GradflowField<T>& f, EdiResult<T>& r) {
  const bool zero_in = contains_zero(r.identity_residual) &&
                       (!r.metric_residual || contains_zero(*r.metric_residual));
  char wbuf[64];
  std::snprintf(wbuf, sizeof wbuf, "%.3e", approx_double(wid(r.identity_residual)));
  r.identity = zero_in ? Verdict::proved(std::string("identity residual encloses 0 (width ") + wbuf + ")")
                       : Verdict::refuted("identity residual excludes 0: an enclosure is wrong");
  // monotone energy (autonomous)
  if (!model.autonomous()) {
    r.monotone = Verdict::unknown("time-dependent weights: ∂_t E ≠ 0, monotonicity is not claimed");
  } else {
    bool all_nonneg = true, all_pos = true;
    for (const auto& st : r.flow_steps) {
      const T tt = convex_hull(T(st.t0), T(st.t1));
      const Terms<T> tm = f.template terms<T>(tt, st.tube, true, model.H() == 1, false);
      // s·dE/dt = chain slope (autonomous); for H = 1 also = metric slope on the sphere
      T slope = tm.chain;
      if (model.H() == 1) {
        auto cut = intersection(slope, tm.metric);
        if (cut) slope = *cut;
      }
      if (!certainly_nonnegative(slope)) all_nonneg = false;
      if (!certainly_positive(slope)) all_pos = false;
    }
    r.strict = all_pos;
    const std::string dir = model.sign > 0 ? "non-decreasing" : "non-increasing";
    r.monotone = all_nonneg ? Verdict::proved("E is " + dir + " on [0, T]: s·dE/dt ≥ 0 on all " +
                                              std::to_string(r.flow_steps.size()) + " step tubes" +
                                              (all_pos ? " (strictly)" : ""))
                            : Verdict::unknown("the slope enclosure contains negative values on some step tube");
  }
}

/// `opt.record_steps` is forced on (the tubes are needed for the monotonicity check).
/// Encloses: for every initial configuration in X0, energy_change ∋ E(x(T), T) − E(x(0), 0),
///   explicit_time_integral, dissipation_integral (and for H = 1 metric_integral) ∋ the exact
///   integrals, the residuals ∋ the exact residual (0), slope_at_horizon ∋ G²(x(T), T).
/// Assumes: X0 is a box of initial tokens containing the exact configuration on the sphere.
/// Checks: T > 0 (std::invalid_argument); the validated flow reaches T; `identity`: the residual
///   enclosure contains 0; `monotone` (autonomous models): the slope enclosure on every tube
///   lies in [0, ∞).
/// Failure: verdict unknown with the integrator's reason (only t_reached is meaningful then);
///   identity / monotone unknown with the reason when their check fails.
/// Method: the augmented field (x, e1, e2, e3) integrated by ode::enclose_flow; E evaluated
///   independently at both ends (file comment).
template <class T>
EdiResult<T> enclose_energy_dissipation(const Model<T>& model, const Vec<T>& X0, double T_end,
                                        ode::TaylorOptions opt = {}) {
  if (!(T_end > 0)) throw std::invalid_argument("enclose_energy_dissipation: horizon must be positive");
  const GradflowField<T> f(model, true);
  opt.record_steps = true;
  EdiResult<T> r;
  const ode::FlowResult<T> fr = ode::enclose_flow<T>(f, 0.0, augmented_initial(f, X0), T_end, opt);
  r.t_reached = fr.t_reached;
  r.steps = fr.step_count;
  r.seconds = fr.seconds;
  if (!fr.verdict.is_proved()) {
    r.verdict = fr.verdict;
    r.identity = Verdict::unknown("flow not enclosed: " + fr.verdict.reason());
    r.monotone = r.identity;
    return r;
  }
  r.verdict = fr.verdict;
  const Eigen::Index nd = f.token_dimension();
  r.tokens_at_horizon = fr.enclosure.head(nd);
  r.energy_0 = f.template energy<T>(T(0), X0);
  r.energy_T = f.template energy<T>(T(T_end), r.tokens_at_horizon);
  r.energy_change = r.energy_T - r.energy_0;
  r.explicit_time_integral = fr.enclosure(f.e1_index());
  r.dissipation_integral = fr.enclosure(f.e2_index());
  r.identity_residual = r.energy_change - r.explicit_time_integral - r.dissipation_integral;
  if (f.has_metric()) {
    r.metric_integral = fr.enclosure(f.e3_index());
    r.metric_residual = r.energy_change - r.explicit_time_integral - *r.metric_integral;
  }
  {
    const Terms<T> tm = f.template terms<T>(T(T_end), r.tokens_at_horizon, false, true, false);
    r.slope_at_horizon = tm.metric;
  }
  r.flow_steps = fr.steps;
  finish_energy_dissipation(model, f, r);
  return r;
}


}  // namespace certiformer::gradflow
