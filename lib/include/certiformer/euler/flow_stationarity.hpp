#pragma once
/// certiformer/euler/flow_stationarity.hpp — the Pontryagin check for the continuous flow, driven
/// by the discrete-adjoint gradient (docs/euler.md §7): prove that the control θ is not a
/// stationary point of the continuous-flow loss J(θ) = R(X(T)).
///
/// Two ways (FlowGradientMode):
///   * all:       enclose every entry of ∇_θ J by duality with validated tangent-linear flows
///                (enclose_flow_loss_gradient) and prove some entry certainly nonzero;
///   * direction: pick one direction v from the discrete gradient (choose_flow_direction) and
///                enclose J'(θ)·v by one tangent-linear run; proved when 0 ∉ J'(θ)·v.
/// Either proof is a proof: J'(θ)·v ≠ 0 for one v, or ∂J/∂θ_j ≠ 0 for one j, means ∇J(θ) ≠ 0.
/// The direction is a heuristic choice (any v would do); only the enclosure is rigorous.

#include "certiformer/euler/adjoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace certiformer::euler {

/// How the continuous-flow Pontryagin check is run (see the file comment).
enum class FlowGradientMode { none, direction, all };

/// A parameter direction v and its description.
template <class T> struct FlowDirection {
  Vec<T> coefficients;  ///< v_j ∈ {−1, 0, +1}, in the order of GradientEnclosure::names
  std::string text;     ///< "+beta -W[0][1] …" (the nonzero entries), "0" when v = 0
};

/// Encloses: nothing (a choice, not a bound): v_j = sign(mid ∂J/∂θ_j) where
///   |mid ∂J/∂θ_j| ≥ 10⁻³ · max_k |mid ∂J/∂θ_k| and mid ≠ 0, else v_j = 0.
/// Assumes: nothing; any v is a valid direction for the check (a poor one only gives unknown).
/// Checks: g.names has one name per gradient entry (std::invalid_argument otherwise).
/// Failure: none; v = 0 (text "0") when every midpoint is 0.
/// Method: the midpoints rounded to binary64; the relative threshold makes the same v come out
///   at every precision unless an entry sits on the threshold.
template <class T> FlowDirection<T> choose_flow_direction(const GradientEnclosure<T>& g) {
  if (g.names.size() != static_cast<std::size_t>(g.gradient.size()))
    throw std::invalid_argument("choose_flow_direction: one name per gradient entry expected");
  double gmax = 0;
  for (Eigen::Index j = 0; j < g.gradient.size(); ++j)
    gmax = std::max(gmax, std::fabs(approx_double(mid(g.gradient(j)))));
  FlowDirection<T> out;
  out.coefficients.resize(g.gradient.size());
  std::string dir;
  for (Eigen::Index j = 0; j < out.coefficients.size(); ++j) {
    const double m = approx_double(mid(g.gradient(j)));
    const int sg = std::fabs(m) >= 1e-3 * gmax && m != 0 ? (m > 0 ? 1 : -1) : 0;
    out.coefficients(j) = T(sg);
    if (sg) dir += std::string(dir.empty() ? "" : " ") + (sg > 0 ? "+" : "-") + g.names[static_cast<std::size_t>(j)];
  }
  out.text = dir.empty() ? "0" : dir;
  return out;
}

/// Result of certify_flow_not_stationary_from_discrete.
template <class T> struct FlowStationarity {
  /// The claim "θ is not a stationary point of the continuous-flow loss": proved or unknown,
  /// never refuted (an enclosure containing 0 does not prove stationarity).
  Verdict verdict = Verdict::unknown("not run");
  /// proved iff `gradient` (mode all) or `directional_derivative` (mode direction) is an
  /// enclosure; otherwise its reason says why (a failed validated run) and `verdict` is unknown.
  Verdict enclosure = Verdict::unknown("not run");
  FlowGradientMode mode = FlowGradientMode::none;
  std::optional<Vec<T>> gradient;          ///< mode all: ∋ ∇_θ J (continuous flow)
  std::optional<T> directional_derivative; ///< mode direction: ∋ J'(θ)·v
  std::string direction;                   ///< mode direction: FlowDirection::text of v
};

/// Encloses: (mode all) ∇_θ J(θ) of the continuous-flow loss J(θ) = R(X(T)), or (mode
///   direction) J'(θ)·v for v = choose_flow_direction(discrete), for every x0 ∈ X0 and every θ in
///   its intervals; mode none computes nothing.
/// Assumes: the assumptions of enclose_flow_loss_gradient (constant or piecewise-constant
///   control, Euclidean or sphere model); `discrete` has the flow gradient's entries in the same
///   order (enclose_loss_gradient of the same f does: per-layer blocks "layers[i].…").
/// Checks: `discrete` is a proved enclosure with one name per entry (std::invalid_argument
///   otherwise); shapes and horizon as enclose_flow_loss_gradient; the direction has one
///   coefficient per entry (layer_directions).
/// Failure: `enclosure` unknown + the run's reason, `verdict` unknown, nothing claimed.
/// Method: mode all: enclose_flow_loss_gradient (one tangent-linear run per parameter; `on_run`
///   is called before each run), then certify_not_stationary. Mode direction: one run of
///   enclose_flow_directional_derivative along v (`on_run(0, 1)` before it); proved iff
///   0 ∉ J'(θ)·v.
template <class T>
FlowStationarity<T> certify_flow_not_stationary_from_discrete(
    const transformer::TransformerField<T>& f, const Vec<T>& X0, const transformer::Readout<T>& ro, double horizon,
    const GradientEnclosure<T>& discrete, FlowGradientMode mode, const ode::TaylorOptions& opt = {},
    const std::function<void(std::size_t, std::size_t)>& on_run = {}) {
  if (!discrete.verdict.is_proved())
    throw std::invalid_argument("certify_flow_not_stationary_from_discrete: the discrete gradient is not an enclosure");
  FlowStationarity<T> out;
  out.mode = mode;
  if (mode == FlowGradientMode::none) {
    out.enclosure = Verdict::unknown("no continuous-flow check requested");
    out.verdict = Verdict::unknown("no continuous-flow check requested");
    return out;
  }
  if (mode == FlowGradientMode::all) {
    const GradientEnclosure<T> fg = enclose_flow_loss_gradient<T>(f, X0, ro, horizon, opt, {}, false, on_run);
    out.enclosure = fg.verdict;
    if (!fg.verdict.is_proved()) {
      out.verdict = Verdict::unknown(fg.verdict.reason());
      return out;
    }
    out.gradient = fg.gradient;
    out.verdict = certify_not_stationary<T>(fg);
    return out;
  }
  const FlowDirection<T> v = choose_flow_direction<T>(discrete);
  out.direction = v.text;
  if (on_run) on_run(0, 1);
  const auto [vd, val] = enclose_flow_directional_derivative<T>(f, X0, ro, horizon, layer_directions<T>(f, v.coefficients), opt);
  out.enclosure = vd;
  if (!vd.is_proved()) {
    out.verdict = Verdict::unknown(vd.reason());
    return out;
  }
  out.directional_derivative = val;
  out.verdict = contains_zero(val) ? Verdict::unknown("J'(θ)·v encloses 0") : Verdict::proved("J'(θ)·v is certainly nonzero");
  return out;
}

}  // namespace certiformer::euler
