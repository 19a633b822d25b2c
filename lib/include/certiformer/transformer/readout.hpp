#pragma once
/// certiformer/transformer/readout.hpp — cross-entropy read-out (docs/mathematics.md §2).
///
/// With a read-out matrix Γ ∈ R^{K×d} and a label y ∈ {0, …, K−1}:
///     ℓ(x, y) = −log softmax(Γx)_y = logsumexp(Γx) − (Γx)_y,
///     ∇_x ℓ(x, y) = Γᵀ(softmax(Γx) − e_y)          (the softmax residual).
/// Encloses: for S = Interval / MpInterval every result contains the exact value for every
///   x in the box and every Γ in its interval entries (rigorous softmax / logsumexp of the core,
///   with the sound max-shift); for Taylor / Dual scalars the corresponding coefficients.
/// Failure: a label out of range or shape mismatch is misuse (std::invalid_argument).

#include "certiformer/core.hpp"
#include "certiformer/ode/field.hpp"

#include <vector>

namespace certiformer::transformer {

template <class T>
struct Readout {
  Mat<T> Gamma;             ///< K × d
  std::vector<int> labels;  ///< one per token
};

namespace detail {
inline void check_label(Eigen::Index K, int y) {
  if (y < 0 || y >= K) throw std::invalid_argument("read-out: label " + std::to_string(y) + " out of range");
}
}  // namespace detail

/// Encloses: ℓ(x, y) = logsumexp(Γx) − (Γx)_y for every x in the box and Γ in its entries
///   (S = Interval / MpInterval); for Taylor / Dual scalars the corresponding coefficients.
/// Assumes: nothing beyond the scalar's inclusion principle.
/// Checks: 0 ≤ y < K and Γ has x.size() columns.
/// Failure: std::invalid_argument when a check fails; std::domain_error from the core when an
///   argument is unbounded above.
/// Method: core logsumexp with the sound max-shift (intervals); −log softmax_s(Γx)_y otherwise.
template <class S, class T> S enclose_cross_entropy(const Mat<T>& Gamma, const Vec<S>& x, int y) {
  detail::check_label(Gamma.rows(), y);
  if (Gamma.cols() != x.size()) throw std::invalid_argument("read-out: Γ and x have incompatible shapes");
  const Vec<S> z = ode::matvec<S, T>(Gamma, x);
  if constexpr (ode::is_interval_v<S>) {
    return logsumexp(z) - z(y);
  } else {
    using namespace ode::math;
    // logsumexp(z) − z_y = −log w_y with w = softmax(z) (shifted soundly)
    const Vec<S> w = ode::softmax_s(z);
    return -log(w(y));
  }
}

/// Encloses: ∇_x ℓ(x, y) = Γᵀ(softmax(Γx) − e_y) for every x in the box and Γ in its entries.
/// Assumes: nothing beyond the scalar's inclusion principle.
/// Checks: 0 ≤ y < K and Γ has x.size() columns.
/// Failure: std::invalid_argument when a check fails; std::domain_error from the core when an
///   argument is unbounded above.
/// Method: ode::softmax_s (core enclose_softmax for intervals), minus e_y, times Γᵀ.
template <class S, class T> Vec<S> enclose_softmax_residual(const Mat<T>& Gamma, const Vec<S>& x, int y) {
  detail::check_label(Gamma.rows(), y);
  if (Gamma.cols() != x.size()) throw std::invalid_argument("read-out: Γ and x have incompatible shapes");
  const Vec<S> z = ode::matvec<S, T>(Gamma, x);
  Vec<S> r = ode::softmax_s(z);
  r(y) = r(y) - ode::lift<S>(1);
  const Mat<T> Gt = Gamma.transpose();
  return ode::matvec<S, T>(Gt, r);
}

/// Encloses: the empirical risk (1/n) Σ_i ℓ(x_i, y_i) of n tokens stored as a flat state, for
///   every state in the box X.
/// Assumes: nothing beyond the scalar's inclusion principle.
/// Checks: X.size() is a multiple of d = Γ.cols() > 0; one label per token; labels in range.
/// Failure: std::invalid_argument when a check fails.
/// Method: Σ_i enclose_cross_entropy(Γ, x_i, y_i) / n in S arithmetic.
template <class S, class T> S enclose_risk(const Readout<T>& ro, const Vec<S>& X) {
  const Eigen::Index d = ro.Gamma.cols();
  if (d == 0 || X.size() % d != 0) throw std::invalid_argument("read-out: state size is not a multiple of d");
  const Eigen::Index n = X.size() / d;
  if (static_cast<Eigen::Index>(ro.labels.size()) != n) throw std::invalid_argument("read-out: one label per token");
  S sum = ode::lift<S>(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Vec<S> xi = X.segment(i * d, d);
    sum = sum + enclose_cross_entropy<S, T>(ro.Gamma, xi, ro.labels[static_cast<std::size_t>(i)]);
  }
  return sum / ode::lift<S>(static_cast<int>(n));
}

}  // namespace certiformer::transformer
