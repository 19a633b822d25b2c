#pragma once
/// certiformer/linalg/expm.hpp — verified matrix exponential.

#include "certiformer/core.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/norms.hpp"
#include "certiformer/linalg/product.hpp"

#include <stdexcept>
#include <string>

namespace certiformer::linalg {

/// Parameters chosen by enclose_expm (exposed for tests and documentation).
template <class T> struct ExpmPlan {
  int squarings = 0;      ///< s: ‖A‖∞ / 2^s ≤ 1/2
  int degree = 0;         ///< K: Taylor degree
  real_t<T> norm_bound;   ///< β ≥ ‖A/2^s‖∞
  real_t<T> tail_bound;   ///< ρ ≥ ‖Σ_{k>K} B^k/k!‖∞
};

namespace detail {
/// ρ(β, K) = β^{K+1}/(K+1)! · 1/(1 − β/(K+2)) as an interval (β ≤ 1/2 < K+2).
template <class T> T expm_tail(const T& beta, int K) {
  T fact(1);
  for (int k = 2; k <= K + 1; ++k) fact *= T(k);
  return pow(beta, K + 1) / fact / (T(1) - beta / T(K + 2));
}

template <class T> ExpmPlan<T> expm_plan(const Mat<T>& A) {
  ExpmPlan<T> p;
  const real_t<T> nu = upper_bound_norm_inf(A).value();
  if (!is_finite_real<T>(nu)) throw std::domain_error("enclose_expm: the norm bound of A is not finite");
  int s = 0;
  if (nu > real_t<T>(0.5)) {
    if constexpr (scalar_traits<T>::is_mp) s = static_cast<int>(mpfr_get_exp(nu.backend().data()));  // nu < 2^e
    else s = std::ilogb(nu) + 1;
    if (s < 0) s = 0;
    while (sup(ldexp(enclose_point<T>(nu), -s)) > real_t<T>(0.5)) ++s;
  }
  const T beta = ldexp(enclose_point<T>(nu), -s);
  const real_t<T> tol = unit_roundoff<T>();
  int K = 1;
  while (sup(expm_tail(beta, K)) > tol && K < 10000) ++K;
  p.squarings = s;
  p.degree = K;
  p.norm_bound = sup(beta);
  p.tail_bound = sup(expm_tail(beta, K));
  return p;
}
}  // namespace detail

/// Encloses:  e^M (entrywise) for every real matrix M ∈ [A].
/// Assumes:   nothing.
/// Checks:    A square (else std::invalid_argument); every entry bounded (else
///            std::domain_error naming the entry).
/// Failure:   exceptions only (no verdict: an enclosure always exists; it may be wide or contain
///            ±∞ when e^M overflows).
/// Method:    scaling and squaring with a Taylor remainder.
///   1. ν ≥ ‖A‖∞ (upper_bound_norm_inf); smallest s ≥ 0 with ν/2^s ≤ 1/2; B = A·2^-s (exact
///      ldexp, enclosing on underflow); β = sup(ν·2^-s) ≥ ‖M/2^s‖∞ for every M ∈ [A].
///   2. K = smallest degree with ρ ≤ u (u = 2^-53, or 2^-prec for MpInterval, so K grows with
///      the precision), where for every B with ‖B‖∞ ≤ β
///        ‖e^B − T_K(B)‖∞ = ‖Σ_{k>K} B^k/k!‖∞ ≤ Σ_{k>K} β^k/k!
///                       ≤ β^{K+1}/(K+1)! · Σ_{j≥0} (β/(K+2))^j = β^{K+1}/(K+1)! · 1/(1 − β/(K+2)) =: ρ.
///   3. T_K(B) = Σ_{k≤K} B^k/k! by Horner, P ← I + (B·P)/k for k = K…1, in interval arithmetic
///      (`mul`); then E = T_K(B) + [−ρ, ρ] entrywise, valid because |R_ij| ≤ ‖R‖∞.
///   4. e^M = (e^{M/2^s})^{2^s}: square E s times with `mul` (X·X ∈ E·E for every X ∈ E).
template <class T> Mat<T> enclose_expm(const Mat<T>& A) {
  detail::require_square(A, "enclose_expm");
  const Eigen::Index n = A.rows();
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      if (!is_bounded(A(i, j)))
        throw std::domain_error("enclose_expm: entry (" + std::to_string(i) + "," + std::to_string(j) +
                                ") = " + to_string(A(i, j), 3) + " is unbounded");
  if (n == 0) return Mat<T>(0, 0);
  const ExpmPlan<T> plan = detail::expm_plan(A);
  Mat<T> B(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) B(i, j) = ldexp(A(i, j), -plan.squarings);
  const Mat<T> I = detail::identity<T>(n);
  Mat<T> P = I;
  for (int k = plan.degree; k >= 1; --k) {
    Mat<T> BP = mul(B, P);
    const T kk(k);
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i) BP(i, j) = BP(i, j) / kk;
    P = I + BP;
  }
  const T tail = detail::symmetric_interval<T>(plan.tail_bound);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) P(i, j) += tail;
  for (int k = 0; k < plan.squarings; ++k) P = mul(P, P);
  return P;
}

/// The scaling / degree / tail parameters enclose_expm uses for [A] (same checks).
template <class T> ExpmPlan<T> expm_parameters(const Mat<T>& A) {
  detail::require_square(A, "expm_parameters");
  return detail::expm_plan(A);
}

}  // namespace certiformer::linalg
