#pragma once
/// certiformer/gaussian/flow_at_horizon.hpp — the continuous moment flow (m(T), Σ(T)) at the
/// horizon by every method that applies, intersected, and the O(ε) gaps of the depth-L moment
/// maps to it (docs/gaussian.md, "Moments"; the config kind gaussian.moments is an adapter of
/// these functions).
///
/// Two methods enclose the same exact Σ(T):
///   1. the moment ODE (m, Σ) by validated Taylor–Lohner integration (enclose_moment_flow), for
///      every model; it needs a binary64 horizon;
///   2. the information form Σ(T) = P(T)⁻¹, P by the verified block exponential
///      (certify_blowup_time), when every V_h is a multiple of I and Σ0 is positive definite.
/// Each entry of the result is the intersection of the enclosures that were obtained.

#include "certiformer/gaussian/blowup.hpp"
#include "certiformer/gaussian/model.hpp"
#include "certiformer/gaussian/moment_flow.hpp"
#include "certiformer/gaussian/moments.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace certiformer::gaussian {

/// Encloses: the entrywise intersection of two enclosures a, b of the same exact matrix (every
///   entry of the exact matrix lies in both, so it lies in the intersection).
/// Assumes: a and b enclose the same exact matrix (the caller's claim).
/// Checks: equal shapes (std::invalid_argument).
/// Failure: std::nullopt when some pair of entries is disjoint — the assumption is violated (one
///   of the two enclosures is wrong); the caller must treat it as an internal error, never claim.
/// Method: IEEE 1788 intersection per entry.
template <class T> std::optional<Mat<T>> intersect_enclosures(const Mat<T>& a, const Mat<T>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) throw std::invalid_argument("intersect_enclosures: shape mismatch");
  Mat<T> c = a;
  for (Eigen::Index i = 0; i < c.rows(); ++i)
    for (Eigen::Index j = 0; j < c.cols(); ++j) {
      const auto both = intersection(c(i, j), b(i, j));
      if (!both) return std::nullopt;
      c(i, j) = *both;
    }
  return c;
}

/// Result of enclose_moment_flow_at_horizon.
template <class T> struct MomentFlowAtHorizon {
  /// proved iff `cov` encloses Σ(T) (at least one method reached the horizon).
  Verdict verdict = Verdict::unknown("not run");
  /// Method 1: (m(T), Σ(T)) by the moment ODE, when it reached the horizon; its claim (proved:
  /// the moment ODE has a solution on [0, T] lying in `ode`) is `ode_verdict`.
  std::optional<Moments<T>> ode;
  std::optional<Verdict> ode_verdict;
  std::string ode_note;  ///< how method 1 went (binary64 horizon? reached T?)
  /// Method 2, only when the information form applies (V_h = v_h I, Σ0 ≻ 0): the claim "Σ(t)
  /// exists and is bounded on [0, T]" — proved (no blow-up on the horizon), refuted (a certified
  /// blow-up time inside the horizon) or unknown.
  std::optional<Verdict> information_verdict;
  std::optional<Mat<T>> information_cov;  ///< ∋ Σ(T) = P(T)⁻¹ (when enclosed)
  std::string information_note;           ///< how method 2 went (or why it does not apply)
  /// ∋ Σ(T): the intersection of the enclosures obtained (method 2 alone, method 1 alone, or both).
  std::optional<Mat<T>> cov;
};

/// Encloses: (m(T), Σ(T)) of the continuous moment flow for the exact model and initial data,
///   by every method of the file comment that applies, and Σ(T) as their intersection.
/// Assumes: `model.validate()` and `initial.validate(dim, false)` have passed (the kind does it
///   and maps SpecErrors to the config's JSON paths).
/// Checks: horizon > 0 (std::invalid_argument); whether the horizon is a binary64 number and
///   whether the information form applies (both decided exactly).
/// Failure: a method that does not reach the horizon leaves its fields empty with the reason in
///   its note; `verdict` unknown when neither did. Disjoint enclosures of Σ(T) (a bug in one
///   method) are a std::logic_error, never a result.
/// Method: enclose_moment_flow (`options` passed on: progress, order) and certify_blowup_time
///   (default options), then intersect_enclosures.
template <class T>
MomentFlowAtHorizon<T> enclose_moment_flow_at_horizon(const ModelSpec& model, const GaussianSpec& initial,
                                                      const Rational& horizon, const ode::TaylorOptions& options = {}) {
  if (!(horizon > 0)) throw std::invalid_argument("enclose_moment_flow_at_horizon: horizon must be > 0");
  MomentFlowAtHorizon<T> out;
  // 1) the full moment ODE (m, Σ) by validated integration, for every model (any V_h).
  const double T_end = static_cast<double>(horizon);
  if (Rational(T_end) != horizon) {
    out.ode_note = "the moment ODE was not integrated: the horizon is not a binary64 number";
  } else {
    const MomentFlowResult<T> mf = enclose_moment_flow<T>(enclose_model<T>(model), enclose_moments<T>(initial), T_end, options);
    if (mf.at_horizon) {
      out.ode = mf.at_horizon;
      out.ode_verdict = Verdict::proved("validated Taylor-Lohner integration reached the horizon");
      // (no step count here: text results must be reproducible at any check precision)
      out.ode_note = "mean and covariance by validated Taylor-Lohner integration of the moment ODE";
    } else {
      out.ode_note = "the moment ODE could not be enclosed up to the horizon (" + mf.verdict.reason() +
                     "); the moments exist on [0, " + std::to_string(mf.t_reached) + "]";
    }
  }
  // 2) information form: Σ(T) = P(T)^{-1} with P by the verified block exponential (tighter).
  std::string why;
  if (!detect_information_form(model, &why).has_value()) {
    out.information_note = "general V (" + why + "): no information form";
  } else if (!is_positive_definite(initial.cov)) {
    out.information_note = "information form needs a positive definite initial covariance";
  } else {
    const auto r = certify_blowup_time<T>(model, initial, horizon);
    out.information_verdict = r.status == BlowupStatus::no_blowup_on_horizon ? r.verdict
                              : r.status == BlowupStatus::blowup
                                  ? Verdict::refuted("the covariance blows up in " + to_string(r.blowup_time, 12))
                                  : Verdict::unknown(r.verdict.reason());
    if (r.status == BlowupStatus::no_blowup_on_horizon && r.cov_at_horizon.rows() != 0) {
      out.information_cov = r.cov_at_horizon;
      out.information_note = "information form: Sigma(T) = P(T)^{-1}, P by the verified block exponential";
    } else {
      out.information_note =
          "information form: covariance not enclosed at the horizon (status " + std::string(to_string(r.status)) + ")";
    }
  }
  // Both enclose the same exact Σ(T): intersect them (a disjoint pair is an internal error).
  if (out.information_cov && out.ode) {
    out.cov = intersect_enclosures<T>(*out.information_cov, out.ode->cov);
    if (!out.cov)
      throw std::logic_error("gaussian.moments: disjoint enclosures of Sigma(T) (information form vs moment ODE)");
  } else if (out.information_cov) {
    out.cov = out.information_cov;
  } else if (out.ode) {
    out.cov = out.ode->cov;
  }
  out.verdict = out.cov ? Verdict::proved("Sigma(T) enclosed") : Verdict::unknown(out.ode_note + "; " + out.information_note);
  return out;
}

/// The gaps of a depth-L moment map to the flow at the horizon, and the gaps over ε.
template <class T> struct MomentErrors {
  Mat<T> cov_error;               ///< ∋ Σ_L − Σ(T)
  Mat<T> cov_error_over_eps;      ///< ∋ (Σ_L − Σ(T))/ε
  std::optional<Vec<T>> mean_error;          ///< ∋ m_L − m(T) (when the flow's mean is given)
  std::optional<Vec<T>> mean_error_over_eps; ///< ∋ (m_L − m(T))/ε
};

/// Encloses: Σ_L − Σ(T) and (Σ_L − Σ(T))/ε with ε = horizon/L, for every Σ_L, Σ(T) in the
///   enclosures `layer.cov`, `flow.cov` (and the same for the means when `flow.mean` is not empty).
/// Assumes: nothing. Checks: L ≥ 1, horizon > 0, equal shapes (std::invalid_argument).
/// Failure: exceptions only (no claim is made here).
/// Method: interval difference, times 1/ε = L/horizon (one interval division, then products).
template <class T>
MomentErrors<T> enclose_moment_errors(const Moments<T>& layer, const Moments<T>& flow, const T& horizon, int L) {
  if (L < 1) throw std::invalid_argument("enclose_moment_errors: L must be ≥ 1");
  if (!certainly_positive(horizon)) throw std::invalid_argument("enclose_moment_errors: horizon must be > 0");
  if (layer.cov.rows() != flow.cov.rows() || layer.cov.cols() != flow.cov.cols())
    throw std::invalid_argument("enclose_moment_errors: covariance shape mismatch");
  const bool with_mean = flow.mean.size() != 0;
  if (with_mean && layer.mean.size() != flow.mean.size()) throw std::invalid_argument("enclose_moment_errors: mean size mismatch");
  const T inv_eps = T(L) / horizon;
  MomentErrors<T> out;
  out.cov_error = layer.cov - flow.cov;
  out.cov_error_over_eps = out.cov_error;
  for (Eigen::Index i = 0; i < out.cov_error.rows(); ++i)
    for (Eigen::Index j = 0; j < out.cov_error.cols(); ++j) out.cov_error_over_eps(i, j) = out.cov_error(i, j) * inv_eps;
  if (with_mean) {
    const Vec<T> md = layer.mean - flow.mean;
    Vec<T> mr = md;
    for (Eigen::Index i = 0; i < mr.size(); ++i) mr(i) = md(i) * inv_eps;
    out.mean_error = md;
    out.mean_error_over_eps = mr;
  }
  return out;
}

}  // namespace certiformer::gaussian
