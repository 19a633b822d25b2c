#pragma once
/// certiformer/transformer/flow.hpp — the validated n-token Transformer flow with the integrator
/// chosen for the model (issue 13, goal 5): the structured matrix engine
/// (transformer/structured_flow.hpp) when the model is in its scope and the arithmetic is binary64,
/// otherwise the per-scalar Taylor–Lohner engine ode::enclose_flow (QR wrapping), which stays the
/// reference method and can be forced with FlowMethod::taylor_lohner.
///
/// Encloses: `enclose_transformer_flow(f, X0, T)` returns, when proved, a box that contains x(T)
///   for every x0 ∈ X0, the solution existing on [0, T] (the guarantee of the engine used).
/// Assumes: what the engine used assumes (the inclusion property of the library's kernels).
/// Checks: the engine's own checks; FlowMethod::structured on a model outside the structured
///   scope is refused.
/// Failure: verdict unknown with the reason and the time reached (a spent work budget or a stop
///   request included: both engines consult ode::current_budget() before every step);
///   std::invalid_argument for a forced structured method the model does not allow.
/// Method: see `choose_flow_method`.

#include "certiformer/ode/integrator.hpp"
#include "certiformer/transformer/field.hpp"
#include "certiformer/transformer/structured_flow.hpp"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace certiformer::transformer {

// The engine choice (FlowMethod: auto / structured / taylor_lohner), its names and the
// Taylor–Lohner re-run limit are shared with gradflow.edi: ode/structured.hpp.
using ode::flow_method_name;
using ode::FlowMethod;
using ode::kTaylorLohnerFallbackMaxDimension;
using ode::taylor_lohner_fallback_refusal;

struct TransformerFlowOptions {
  FlowMethod method = FlowMethod::automatic;
  int order = 0;  ///< Taylor order; 0: the engine's default (structured 20, Taylor–Lohner auto)
  /// automatic: re-run a structured run that stopped before T with Taylor–Lohner only up to this
  /// n·d (taylor_lohner_fallback_refusal).
  Eigen::Index fallback_max_dimension = kTaylorLohnerFallbackMaxDimension;
  /// Called after every accepted step with the time reached (progress display); may be empty.
  std::function<void(double)> on_step;
};

template <class T>
struct TransformerFlowResult {
  Verdict verdict = Verdict::unknown("not run");
  double t_reached = 0;    ///< the flow is enclosed (and exists) on [0, t_reached]
  Vec<T> enclosure;        ///< ∋ x(t_reached) for every x0 ∈ X0
  std::size_t step_count = 0;
  FlowMethod method = FlowMethod::automatic;  ///< the engine actually used (never automatic)
  std::string method_reason;                   ///< why that engine (for the certificate)
};

/// Why the structured engine cannot integrate `f` in the arithmetic T, or nothing when it can.
/// Encloses: nothing (a predicate). Assumes: nothing. Checks: structured_flow_refusal(f) (the
///   model), then that T is binary64 Interval. Failure: none. Method: as Checks.
template <class T> std::optional<std::string> structured_refusal(const TransformerField<T>& f) {
  if (auto why = structured_flow_refusal(f)) return why;
  if constexpr (!std::is_same_v<T, Interval>) return std::string("precision above binary64");
  return std::nullopt;
}

/// The engine `enclose_transformer_flow` uses for `f` under `requested`, and why.
/// Encloses: nothing (a choice). Assumes: nothing. Checks: a forced structured method is in the
///   model scope.
/// Failure: std::invalid_argument when `requested` is structured and the model is outside the
///   structured scope (the message names the reason).
/// Method: automatic → structured if structured_refusal(f) is empty, Taylor–Lohner otherwise
///   (enclose_transformer_flow also falls back to Taylor–Lohner, from t = 0, when the automatic
///   structured run stops before T for a reason other than the work budget);
///   structured above binary64 (e.g. the 113-bit re-run of `certiformer check`) → Taylor–Lohner,
///   the reference method (the certificate's "method" says so).
template <class T> std::pair<FlowMethod, std::string> choose_flow_method(const TransformerField<T>& f,
                                                                        FlowMethod requested) {
  switch (requested) {
    case FlowMethod::taylor_lohner: return {FlowMethod::taylor_lohner, "requested"};
    case FlowMethod::structured:
      if (const auto why = structured_flow_refusal(f))
        throw std::invalid_argument("the structured flow engine does not support this model: " + *why);
      if (const auto why = structured_refusal(f))
        return {FlowMethod::taylor_lohner, "structured requested; " + *why + ": the structured engine runs in binary64 only"};
      return {FlowMethod::structured, "requested"};
    case FlowMethod::automatic: break;
  }
  if (const auto why = structured_refusal(f))
    return {FlowMethod::taylor_lohner, "auto: outside the structured engine's scope (" + *why + ")"};
  return {FlowMethod::structured, "auto: attention model in the structured engine's scope"};
}

/// The validated flow of `f` from the box X0 (token-major, n·d) over [0, T_end], T_end > 0.
/// Encloses: when proved, a box containing x(T_end) for every x0 ∈ X0, the solution existing on
///   [0, T_end] (the guarantee of the engine used, named in the result's method).
/// Assumes: the inclusion property of the library's kernels (as the engine used assumes).
/// Checks: the engine's own checks; a forced structured method on an out-of-scope model.
/// Failure: verdict unknown with the reason and the time reached (work budget, stop request);
///   std::invalid_argument for a forced structured method the model does not allow.
/// Method: choose_flow_method; the structured engine (binary64, in scope), with a Taylor–Lohner
///   re-run from t = 0 when an automatic structured run stops early for a reason other than the
///   budget and n·d ≤ opt.fallback_max_dimension (above it: the structured run's unknown verdict,
///   its reason extended by taylor_lohner_fallback_refusal); otherwise ode::enclose_flow with QR
///   wrapping.
template <class T>
TransformerFlowResult<T> enclose_transformer_flow(const TransformerField<T>& f, const Vec<T>& X0, double T_end,
                                                  const TransformerFlowOptions& opt = {}) {
  TransformerFlowResult<T> out;
  std::tie(out.method, out.method_reason) = choose_flow_method(f, opt.method);
  if constexpr (std::is_same_v<T, Interval>) {
    if (out.method == FlowMethod::structured) {
      StructuredFlowOptions so;
      if (opt.order > 0) so.order = opt.order;
      so.on_step = opt.on_step;
      StructuredFlowResult r = enclose_structured_flow(f, X0, T_end, so);
      ode::WorkBudget* budget = ode::current_budget();
      const bool spent = budget && budget->exhausted();
      const bool rerun = !r.verdict.is_proved() && opt.method != FlowMethod::structured && !spent;
      const auto no_rerun =
          rerun ? taylor_lohner_fallback_refusal(X0.size(), opt.fallback_max_dimension) : std::nullopt;
      if (!rerun || no_rerun) {
        out.verdict = no_rerun ? Verdict::unknown(r.verdict.reason() + "; " + *no_rerun) : std::move(r.verdict);
        out.t_reached = r.t_reached;
        out.enclosure = std::move(r.enclosure);
        out.step_count = r.step_count;
        return out;
      }
      // auto: the structured engine stopped before T (its log-norm set growth e^{μt} can exceed
      // what a contracting flow needs on long horizons): the reference engine from the start.
      out.method = FlowMethod::taylor_lohner;
      out.method_reason = "auto: the structured engine did not reach T (" + r.verdict.reason() + ")";
    }
  }
  ode::TaylorOptions to;
  to.order = opt.order;
  to.record_steps = false;
  to.on_step = opt.on_step;
  ode::FlowResult<T> r = ode::enclose_flow<T>(f, 0.0, X0, T_end, to);
  out.verdict = std::move(r.verdict);
  out.t_reached = r.t_reached;
  out.enclosure = std::move(r.enclosure);
  out.step_count = r.step_count;
  return out;
}

}  // namespace certiformer::transformer
