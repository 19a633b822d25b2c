#pragma once
/// certiformer/euler/readout.hpp — certified numbers of the cross-entropy read-out of the Euler
/// table (docs/mathematics.md §2): loss, risk gap |R_L − R_∞| ≤ Lip(ℓ)·err_L, Hoeffding / finite-class sampling
/// bounds. Formulas: docs/euler.md § read-out.
///
/// ℓ(x, y) = −log softmax(Γx)_y (transformer/readout.hpp), R(X) = (1/n) Σ_i ℓ(x_i, y_i).

#include "certiformer/core.hpp"
#include "certiformer/linalg.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"

#include <stdexcept>

namespace certiformer::euler {

/// Upper bound of the Lipschitz constant of x ↦ ℓ(x, y): ‖∇ℓ‖ = ‖Γᵀ(p − e_y)‖ ≤ ‖Γ‖·‖p − e_y‖
/// and ‖p − e_y‖² = Σ_{j≠y} p_j² + (1 − p_y)² ≤ 2(1 − p_y)² ≤ 2, so Lip(ℓ) ≤ √2‖Γ‖
/// (‖Γ‖ by linalg::upper_bound_norm_2; result rounded up).
/// Encloses (upper bound): Lip(x ↦ ℓ(x, y)) ≤ result for every label y and every Γ in its entries.
/// Assumes: nothing. Checks: nothing (any shape). Failure: none (an unbounded Γ gives +∞).
/// Method: √2 · linalg::upper_bound_norm_2(Γ), rounded up.
template <class T> real_t<T> upper_bound_loss_lipschitz(const Mat<T>& Gamma) {
  return sup(sqrt(T(2)) * enclose_point<T>(linalg::upper_bound_norm_2(Gamma).value()));
}

/// Upper bound of |R_L − R_∞| from the error: (1/n)Σ|ℓ(x_i) − ℓ(x'_i)| ≤ Lip(ℓ)·max_i‖x_i − x'_i‖
/// ≤ Lip(ℓ)·sup(err_L) (err_L includes k = L).
/// Encloses (upper bound): |R_L − R_∞| ≤ result when `error` ∋ err_L = max_i ‖x_i − x'_i‖.
/// Assumes: `error` encloses the certified token error err_L (the caller's proved row).
/// Checks: nothing. Failure: none (an unbounded input gives +∞).
/// Method: upper_bound_loss_lipschitz(Γ) · mag(error), rounded up.
template <class T> real_t<T> upper_bound_risk_gap(const Mat<T>& Gamma, const T& error) {
  return sup(enclose_point<T>(upper_bound_loss_lipschitz<T>(Gamma)) * enclose_point<T>(mag(error)));
}

/// Encloses: |R(X_L) − R(X_T)| for any real states inside the two state enclosures.
/// Assumes: nothing beyond the inclusion principle.
/// Checks: as transformer::enclose_risk (shapes, one label per token).
/// Failure: std::invalid_argument on a shape mismatch.
/// Method: abs of the difference of the two transformer::enclose_risk enclosures.
template <class T> T enclose_risk_difference(const transformer::Readout<T>& ro, const Vec<T>& XL, const Vec<T>& XT) {
  return abs(transformer::enclose_risk<T, T>(ro, XL) - transformer::enclose_risk<T, T>(ro, XT));
}

/// Upper bound B_ℓ of the loss on the ball ‖x‖ ≤ R: 0 ≤ ℓ = logsumexp(z) − z_y ≤ log K + max_j z_j − z_y
/// ≤ log K + 2 max_j |z_j| ≤ log K + 2‖Γ‖R (z = Γx, |z_j| ≤ ‖Γ‖‖x‖).
/// Encloses (upper bound): ℓ(x, y) ≤ result for every ‖x‖ ≤ R, every label, every Γ in its entries.
/// Assumes: nothing. Checks: R ≥ 0. Failure: std::invalid_argument when R < 0.
/// Method: log K + 2·linalg::upper_bound_norm_2(Γ)·R in interval arithmetic, upper end.
template <class T> real_t<T> upper_bound_loss_range(const Mat<T>& Gamma, const real_t<T>& radius) {
  if (radius < real_t<T>(0)) throw std::invalid_argument("upper_bound_loss_range: R must be ≥ 0");
  const T K(static_cast<long long>(Gamma.rows()));
  return sup(log(K) + T(2) * enclose_point<T>(linalg::upper_bound_norm_2(Gamma).value()) * enclose_point<T>(radius));
}

/// Upper bound of the Hoeffding deviation B·√(log(2|Θ|/δ)/(2N)): with probability ≥ 1 − δ,
/// |R̂_N − R| ≤ it for a loss with values in [0, B], simultaneously for a finite class of size |Θ|
/// (union bound; |Θ| = 1 is the single-model Hoeffding bound).
/// Encloses (upper bound): B·√(log(2|Θ|/δ)/(2N)) ≤ result for every δ in `delta`.
/// Assumes: i.i.d. samples and a loss with values in [0, B] (the statistical hypotheses of
///   Hoeffding's inequality; not checkable here).
/// Checks: N ≥ 1, 0 < δ < 1, |Θ| ≥ 1, B ≥ 0 (std::invalid_argument).
/// Failure: std::invalid_argument when a check fails.
/// Method: interval evaluation of the formula, upper end.
template <class T>
real_t<T> upper_bound_hoeffding(const real_t<T>& B, long long N, const T& delta, long long classes = 1) {
  if (N < 1 || classes < 1 || !certainly_positive(delta) || !certainly_less(delta, T(1)) || B < real_t<T>(0))
    throw std::invalid_argument("upper_bound_hoeffding: need N ≥ 1, 0 < δ < 1, |Θ| ≥ 1, B ≥ 0");
  const T arg = log(T(2) * T(classes) / delta) / (T(2) * T(N));
  return sup(enclose_point<T>(B) * sqrt(arg));
}

}  // namespace certiformer::euler
