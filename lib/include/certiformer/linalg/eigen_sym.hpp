#pragma once
/// certiformer/linalg/eigen_sym.hpp — verified enclosures of the eigenvalues of symmetric
/// interval matrices.

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/norms.hpp"
#include "certiformer/linalg/product.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace certiformer::linalg {

template <class T> struct SymEigResult {
  Verdict verdict;
  /// Ascending: eigenvalues(i) ∋ λ_{i+1}(A) for every symmetric A ∈ [A] (when proved).
  Vec<T> eigenvalues;
};

namespace detail {
/// Gershgorin hull for symmetric matrices: every eigenvalue of every symmetric A ∈ [A] lies in
/// [min_i inf(a_ii − Σ_{j≠i} mag a_ij), max_i sup(a_ii + Σ_{j≠i} mag a_ij)].
template <class T> std::pair<real_t<T>, real_t<T>> gershgorin_hull(const Mat<T>& A) {
  real_t<T> lo = positive_infinity<T>(), hi = -positive_infinity<T>();
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    T r(0);
    for (Eigen::Index j = 0; j < A.cols(); ++j)
      if (j != i) r += enclose_point<T>(mag(A(i, j)));
    const real_t<T> l = inf(A(i, i) - r), h = sup(A(i, i) + r);
    if (l < lo) lo = l;
    if (h > hi) hi = h;
  }
  return {lo, hi};
}
}  // namespace detail

namespace detail {
template <class T> SymEigResult<T> symmetric_eigenvalues_with_basis(const Mat<T>& A, const Mat<real_t<T>>& Xa);
}

/// Encloses:  for every symmetric real matrix A ∈ [A] (a_ij = a_ji ∈ [a_ij]), its eigenvalues
///            λ₁(A) ≤ … ≤ λₙ(A): eigenvalues(i) ∋ λ_{i+1}(A), ascending.
/// Assumes:   nothing (the eigenvectors used are only approximations; the method verifies).
/// Checks:    [A] square and symmetric as an interval matrix (a(i,j), a(j,i) identical
///            intervals) — else std::invalid_argument; bounded entries; ‖F‖₂ < 1 below.
/// Failure:   Verdict unknown with a reason (unbounded entries, eigen-solver failure, ‖F‖₂ ≥ 1);
///            the vector content is then unspecified. Never refuted.
/// Method:    X̃ = approximate orthonormal eigenvectors of mid(A) (binary64 / MpReal Jacobi),
///            taken as exact points. Enclose D = X̃ᵀ[A]X̃ and F = X̃ᵀX̃ − I with `mul`, and
///            intersect D_ij with D_ji (X̃ᵀAX̃ is symmetric). With f ≥ ‖F‖₂ (upper_bound_norm_2):
///   * Ostrowski (Horn & Johnson Thm 4.5.9) with S = X̃ᵀ, SSᵀ = I + F: if f < 1,
///     λ_i(X̃ᵀAX̃) = θ_i λ_i(A) with θ_i ∈ [1 − f, 1 + f] (same index i, ascending order).
///   * Weyl: with d̃ = mid(diag D) sorted ascending (d̃_(i)) and δ ≥ ‖D − diag(d̃)‖₂
///     (upper_bound_norm_2 of the interval matrix, valid for every member),
///     λ_i(X̃ᵀAX̃) ∈ d̃_(i) + [−δ, δ].
///   Hence λ_i(A) ∈ (d̃_(i) + [−δ, δ]) / [1 − f, 1 + f] (interval division, signs handled by
///   interval arithmetic), intersected with the Gershgorin hull of [A].
template <class T> SymEigResult<T> enclose_symmetric_eigenvalues(const Mat<T>& A) {
  using R = real_t<T>;
  using Eigen::Index;
  detail::require_symmetric(A, "enclose_symmetric_eigenvalues");
  const Index n = A.rows();
  SymEigResult<T> res{Verdict::unknown("not attempted"), Vec<T>(n)};
  if (n == 0) { res.verdict = Verdict::proved("empty matrix"); return res; }
  if (!detail::all_bounded(A)) { res.verdict = Verdict::unknown("unbounded matrix entries"); return res; }
  if (n == 1) {
    res.eigenvalues(0) = A(0, 0);
    res.verdict = Verdict::proved("1x1 matrix");
    return res;
  }
  const Mat<R> M = mid(A);
  auto eig = approx_symmetric_eigen(M, true);
  if (!eig) { res.verdict = Verdict::unknown("approximate eigen-decomposition of mid(A) failed"); return res; }
  return detail::symmetric_eigenvalues_with_basis(A, eig->vectors);
}

namespace detail {
/// The verification step of enclose_symmetric_eigenvalues for a given approximate eigenvector
/// basis Xa (any real n×n matrix; it is verified, not trusted). [A] must be square, symmetric,
/// bounded and n ≥ 2 (checked by the caller). Exposed for tests.
template <class T> SymEigResult<T> symmetric_eigenvalues_with_basis(const Mat<T>& A, const Mat<real_t<T>>& Xa) {
  using R = real_t<T>;
  using Eigen::Index;
  const Index n = A.rows();
  if (Xa.rows() != n || Xa.cols() != n) throw std::invalid_argument("symmetric_eigenvalues_with_basis: basis has the wrong shape");
  SymEigResult<T> res{Verdict::unknown("not attempted"), Vec<T>(n)};
  const Mat<T> X = approx_point<T>(Xa);
  const Mat<T> Xt = X.transpose();
  Mat<T> D = mul(Xt, Mat<T>(mul(A, X)));
  for (Index j = 0; j < n; ++j)
    for (Index i = j + 1; i < n; ++i) {
      auto c = intersection(D(i, j), D(j, i));
      if (!c) { res.verdict = Verdict::unknown("inconsistent enclosure of X^T A X"); return res; }
      D(i, j) = *c;
      D(j, i) = *c;
    }
  Mat<T> F = mul(Xt, X);
  for (Index i = 0; i < n; ++i) F(i, i) -= T(1);
  const R f = upper_bound_norm_2(F).value();  // f ≥ ‖F‖₂ (used as a number below)
  const T theta_lo = T(1) - enclose_point<T>(f);
  if (!certainly_positive(theta_lo)) {
    res.verdict = Verdict::unknown("eigenvector basis not certified nonsingular: ||X^T X - I||_2 <= " +
                                   to_string(enclose_point<T>(f)) + " is not < 1");
    return res;
  }
  std::vector<R> d(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) d[static_cast<std::size_t>(i)] = mid(D(i, i));
  for (Index i = 0; i < n; ++i) D(i, i) -= approx_point<T>(d[static_cast<std::size_t>(i)]);
  // approx_point (rounding MpReal to nearest at the working precision) is monotone, so the points
  // of the sorted d are the sorted points d̃' actually subtracted above.
  std::sort(d.begin(), d.end());
  std::vector<T> dp(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) dp[static_cast<std::size_t>(i)] = approx_point<T>(d[static_cast<std::size_t>(i)]);
  const R delta = upper_bound_norm_2(D).value();  // δ ≥ ‖D − diag(d̃)‖₂
  const T dl = detail::symmetric_interval<T>(delta);
  const T theta = T(1) + detail::symmetric_interval<T>(f);
  const auto gh = detail::gershgorin_hull(A);
  for (Index i = 0; i < n; ++i) {
    T lam = (dp[static_cast<std::size_t>(i)] + dl) / theta;
    if (auto c = intersection(lam, detail::make_interval<T>(gh.first, gh.second))) lam = *c;
    res.eigenvalues(i) = lam;
  }
  res.verdict = Verdict::proved("Ostrowski + Weyl: ||X^T X - I||_2 <= " + to_string(enclose_point<T>(f), 3) +
                                ", ||D - diag||_2 <= " + to_string(enclose_point<T>(delta), 3));
  return res;
}
}  // namespace detail

/// Encloses: nothing — lower bound: result ≤ λ_min(A) for every symmetric A ∈ [A].
/// Assumes: nothing. Checks: square, symmetric, non-empty (std::invalid_argument otherwise).
/// Failure: never throws for numerical reasons: −∞ when entries are unbounded.
/// Method: the larger of the Gershgorin lower end and the inf of the verified enclosure of λ₁
///   (enclose_symmetric_eigenvalues, when proved).
template <class T> LowerBound<real_t<T>> lower_bound_lambda_min(const Mat<T>& A) {
  using LB = LowerBound<real_t<T>>;
  detail::require_symmetric(A, "lower_bound_lambda_min");
  if (A.rows() == 0) throw std::invalid_argument("lower_bound_lambda_min: empty matrix");
  if (!detail::all_bounded(A)) return LB::infinity();
  const auto gh = detail::gershgorin_hull(A);
  LB best(gh.first);  // every eigenvalue of every member is ≥ the Gershgorin lower end
  auto e = enclose_symmetric_eigenvalues(A);
  if (e.verdict.is_proved()) best = max(best, LB::inf_of(e.eigenvalues(0)));
  return best;
}

/// Encloses: nothing — upper bound: result ≥ λ_max(A) for every symmetric A ∈ [A].
/// Assumes: nothing. Checks: square, symmetric, non-empty (std::invalid_argument otherwise).
/// Failure: never throws for numerical reasons: +∞ when entries are unbounded.
/// Method: the smaller of the Gershgorin upper end and the sup of the verified enclosure of λₙ.
template <class T> UpperBound<real_t<T>> upper_bound_lambda_max(const Mat<T>& A) {
  using UB = UpperBound<real_t<T>>;
  detail::require_symmetric(A, "upper_bound_lambda_max");
  if (A.rows() == 0) throw std::invalid_argument("upper_bound_lambda_max: empty matrix");
  if (!detail::all_bounded(A)) return UB::infinity();
  const auto gh = detail::gershgorin_hull(A);
  UB best(gh.second);  // every eigenvalue of every member is ≤ the Gershgorin upper end
  auto e = enclose_symmetric_eigenvalues(A);
  if (e.verdict.is_proved()) best = min(best, UB::sup_of(e.eigenvalues(A.rows() - 1)));
  return best;
}

}  // namespace certiformer::linalg
