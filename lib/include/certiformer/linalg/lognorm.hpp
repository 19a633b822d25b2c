#pragma once
/// certiformer/linalg/lognorm.hpp — rigorous upper bounds of logarithmic norms, valid for every
/// real matrix in an interval matrix. Depends one way on norms.hpp and eigen_sym.hpp (μ₂ is the
/// largest eigenvalue of the symmetric part).

#include "certiformer/core.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/eigen_sym.hpp"
#include "certiformer/linalg/norms.hpp"

#include <optional>
#include <stdexcept>

namespace certiformer::linalg {

/// Encloses: nothing — upper bound: result ≥ μ∞(A) = max_i (a_ii + Σ_{j≠i} |a_ij|) for every
///   A ∈ [A] (a signed quantity).
/// Assumes: nothing. Checks: A square and non-empty. Failure: std::invalid_argument.
/// Method: max_i sup(sup(a_ii) + Σ_{j≠i} mag(a_ij)) in interval arithmetic.
template <class T> UpperBound<real_t<T>> upper_bound_lognorm_inf(const Mat<T>& A) {
  using UB = UpperBound<real_t<T>>;
  detail::require_square(A, "upper_bound_lognorm_inf");
  if (A.rows() == 0) throw std::invalid_argument("upper_bound_lognorm_inf: empty matrix");
  std::optional<UB> best;
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    T s = enclose_point<T>(sup(A(i, i)));
    for (Eigen::Index j = 0; j < A.cols(); ++j)
      if (j != i) s += enclose_point<T>(mag(A(i, j)));
    best = best ? max(*best, UB::sup_of(s)) : UB::sup_of(s);
  }
  return *best;
}

/// Encloses: nothing — upper bound: result ≥ μ₂(A) = λ_max((A + Aᵀ)/2) for every A ∈ [A].
/// Assumes: nothing. Checks: A square and non-empty. Failure: std::invalid_argument.
/// Method: S = (A + Aᵀ)/2 entrywise in interval arithmetic, built symmetric (s_ij, s_ji the same
///   interval), contains (A+Aᵀ)/2 for every A ∈ [A]; then upper_bound_lambda_max(S) (verified
///   eigenvalue enclosure, with Gershgorin as the fallback, see eigen_sym.hpp). +∞ for unbounded A.
template <class T> UpperBound<real_t<T>> upper_bound_lognorm_2(const Mat<T>& A) {
  detail::require_square(A, "upper_bound_lognorm_2");
  if (A.rows() == 0) throw std::invalid_argument("upper_bound_lognorm_2: empty matrix");
  const Eigen::Index n = A.rows();
  Mat<T> S(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = j; i < n; ++i) {
      S(i, j) = ldexp(A(i, j) + A(j, i), -1);
      S(j, i) = S(i, j);
    }
  return upper_bound_lambda_max(S);
}

/// Encloses: nothing — upper bound: result ≥ μ_b(A), the logarithmic norm of A for the block-max norm
///   ‖x‖_b = max_i ‖x_i‖₂ (x_i = the i-th block of b consecutive coordinates), for every A ∈ [A]:
///     μ_b(A) ≤ max_i ( μ₂(A_ii) + Σ_{j≠i} ‖A_ij‖₂ ).
///   (‖I + hA‖_b ≤ max_i (‖I + hA_ii‖₂ + h Σ_{j≠i} ‖A_ij‖₂) and ‖I + hA_ii‖₂ = 1 + hμ₂(A_ii) + o(h).)
///   b = 1 gives μ∞; b = rows(A) gives μ₂.
/// Assumes: nothing. Checks: A square, b ≥ 1 dividing its size. Failure: std::invalid_argument.
/// Method: upper_bound_lognorm_2 of each diagonal block, upper_bound_norm_2 of each other block,
///   summed with the typed upward arithmetic.
template <class T> UpperBound<real_t<T>> upper_bound_lognorm_block(const Mat<T>& A, Eigen::Index b) {
  using UB = UpperBound<real_t<T>>;
  detail::require_square(A, "upper_bound_lognorm_block");
  if (A.rows() == 0 || b < 1 || A.rows() % b != 0)
    throw std::invalid_argument("upper_bound_lognorm_block: the block size must divide the (nonzero) size");
  const Eigen::Index m = A.rows() / b;
  std::optional<UB> best;
  for (Eigen::Index i = 0; i < m; ++i) {
    const Mat<T> Aii = A.block(i * b, i * b, b, b);
    UB s = upper_bound_lognorm_2<T>(Aii);
    for (Eigen::Index j = 0; j < m; ++j)
      if (j != i) {
        const Mat<T> Aij = A.block(i * b, j * b, b, b);
        s = s + upper_bound_norm_2<T>(Aij);
      }
    best = best ? max(*best, s) : s;
  }
  return *best;
}

}  // namespace certiformer::linalg
