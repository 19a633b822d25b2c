#pragma once
/// certiformer/linalg/spd.hpp — certify that a symmetric interval matrix is positive definite
/// (verified Cholesky with a rigorous rounding-error bound).

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/norms.hpp"
#include "certiformer/linalg/product.hpp"

#include <string>
#include <vector>

namespace certiformer::linalg {

template <class T> struct SpdResult {
  Verdict verdict;
  /// When proved: 0 < lambda_min_lower ≤ λ_min(A) for every symmetric A ∈ [A]. Otherwise −∞.
  real_t<T> lambda_min_lower;
};

namespace detail {

/// The rigorous test for one shift s > 0 (exact point of the working precision):
/// L ≈ chol(mid(A) − sI); [E] ⊇ A − sI − L·Lᵀ for every symmetric A ∈ [A];
/// ε = upper_bound_norm_2([E]); proved iff s − ε > 0 (rounded down).
/// Returns proved, or unknown with the reason (Cholesky failed / bound not positive).
template <class T> SpdResult<T> certify_spd_with_shift(const Mat<T>& A, const real_t<T>& shift) {
  using R = real_t<T>;
  const Eigen::Index n = A.rows();
  SpdResult<T> res{Verdict::unknown("not attempted"), -positive_infinity<T>()};
  const T s = approx_point<T>(shift);  // the exact shift actually used (nearest to the chosen one)
  if (!certainly_positive(s)) { res.verdict = Verdict::unknown("shift is not positive"); return res; }
  Mat<R> Ms = mid(A);
  for (Eigen::Index i = 0; i < n; ++i) Ms(i, i) -= mid(s);
  auto L = approx_cholesky(Ms);
  if (!L) {
    res.verdict = Verdict::unknown("floating-point Cholesky of mid(A) - s I failed (s = " + to_string(s, 3) + ")");
    return res;
  }
  const Mat<T> Lt = approx_point<T>(*L);
  const Mat<T> P = mul(Lt, Mat<T>(Lt.transpose()));
  Mat<T> E = A - P;
  for (Eigen::Index i = 0; i < n; ++i) E(i, i) -= s;
  const R eps = upper_bound_norm_2(E).value();  // ε ≥ ‖E_A‖₂ for every member
  const T lower = s - enclose_point<T>(eps);
  if (!certainly_positive(lower)) {
    res.verdict = Verdict::unknown("Cholesky residual too large: ||A - sI - L L^T||_2 <= " + to_string(enclose_point<T>(eps), 3) +
                                   " is not < s = " + to_string(s, 3));
    return res;
  }
  res.lambda_min_lower = inf(lower);
  res.verdict = Verdict::proved("verified Cholesky with shift s = " + to_string(s, 3) +
                                ", ||A - sI - L L^T||_2 <= " + to_string(enclose_point<T>(eps), 3));
  return res;
}

/// sup of the enclosure of uᵀAu = Σ a_ii u_i² + 2 Σ_{i<j} a_ij u_i u_j (symmetric A).
template <class T> T rayleigh_numerator(const Mat<T>& A, const Vec<T>& u) {
  T q(0);
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    q += A(i, i) * sqr(u(i));
    T row(0);
    for (Eigen::Index j = i + 1; j < A.cols(); ++j) row += A(i, j) * u(j);
    q += ldexp(u(i) * row, 1);
  }
  return q;
}

}  // namespace detail

/// Claim:     every symmetric real matrix A ∈ [A] is positive definite.
/// Encloses:  lambda_min_lower ≤ λ_min(A) for every symmetric A ∈ [A] (when proved; −∞ otherwise).
/// Assumes:   nothing beyond T's inclusion principle; only the symmetric members of [A] count.
/// Failure:   std::invalid_argument (see Checks); every other outcome is the verdict.
/// Checks:    [A] square and symmetric as an interval matrix (a(i,j), a(j,i) identical
///            intervals), non-empty — else std::invalid_argument.
/// Result:    proved  ⇒ every symmetric A ∈ [A] is PD and λ_min(A) ≥ lambda_min_lower > 0;
///            refuted ⇒ NO symmetric A ∈ [A] is PD (certainly not SPD for every member);
///            unknown ⇒ neither shown (e.g. singular or nearly singular members, or [A] too wide,
///            or [A] containing both PD and non-PD matrices); lambda_min_lower = −∞ unless proved.
/// Method:    proof — for a shift s > 0, L ≈ chol(mid(A) − sI) in floating point, then
///            [E] ⊇ A − sI − LLᵀ enclosed with `mul`; every symmetric A ∈ [A] satisfies
///            A = LLᵀ + sI + E_A with E_A symmetric in [E], so A ⪰ (s − ‖E_A‖₂)I ⪰ (s − ε)I with
///            ε = upper_bound_norm_2([E]); proved iff s − ε > 0. Shifts tried (with λ̃ the
///            approximate λ_min(mid A) and e₀ = upper_bound_norm_2(rad A) + 4(n+2)·u·max|mid a_ii|,
///            u the unit roundoff): e₀ + 3/4(λ̃ − e₀), e₀ + 1/2(λ̃ − e₀), 2e₀ (those in (0, λ̃)).
///            Refutation — sup(a_ii) ≤ 0 for some i (e_iᵀAe_i ≤ 0 for every member), or
///            sup(uᵀ[A]u) < 0 for an approximate eigenvector u of λ̃ (taken as an exact point),
///            evaluated as Σ a_ii u_i² + 2Σ_{i<j} a_ij u_i u_j in interval arithmetic.
template <class T> SpdResult<T> certify_spd(const Mat<T>& A) {
  using R = real_t<T>;
  using Eigen::Index;
  detail::require_symmetric(A, "certify_spd");
  const Index n = A.rows();
  if (n == 0) throw std::invalid_argument("certify_spd: empty matrix");
  SpdResult<T> res{Verdict::unknown("not attempted"), -detail::positive_infinity<T>()};
  if (!detail::all_bounded(A)) { res.verdict = Verdict::unknown("unbounded matrix entries"); return res; }
  for (Index i = 0; i < n; ++i)
    if (certainly_less_equal(A(i, i), T(0))) {
      res.verdict = Verdict::refuted("diagonal entry a(" + std::to_string(i) + "," + std::to_string(i) + ") = " +
                                     to_string(A(i, i), 3) + " is <= 0 for every member");
      return res;
    }
  const Mat<R> M = mid(A);
  auto eig = approx_symmetric_eigen(M, false);
  if (!eig) { res.verdict = Verdict::unknown("approximate eigenvalues of mid(A) failed"); return res; }
  const R lam = eig->values(0);

  // Shift window estimate.
  Mat<T> radA(n, n);
  R dmax(0);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) {
      radA(i, j) = enclose_point<T>(rad(A(i, j)));
      if (i == j) {
        const R a = mag(approx_point<T>(M(i, i)));
        if (a > dmax) dmax = a;
      }
    }
  const T e0t = enclose_point<T>(upper_bound_norm_2(radA).value()) +
                T(4 * (n + 2)) * exact_point<T>(detail::unit_roundoff<T>()) * enclose_point<T>(dmax);
  const R e0 = sup(e0t);
  std::vector<R> shifts;
  if (lam > e0) {
    shifts.push_back(R(e0 + (lam - e0) * R(0.75)));
    shifts.push_back(R(e0 + (lam - e0) * R(0.5)));
    if (2 * e0 < lam && e0 > 0) shifts.push_back(R(2 * e0));
  }
  std::string last = "no admissible shift: approximate lambda_min(mid A) = " + to_string(approx_point<T>(lam), 3) +
                     " does not exceed the error estimate " + to_string(enclose_point<T>(e0), 3);
  for (const R& s : shifts) {
    if (!(s > 0)) continue;
    auto r = detail::certify_spd_with_shift(A, s);
    if (r.verdict.is_proved()) return r;
    last = r.verdict.reason();
  }
  // Refutation by a Rayleigh quotient.
  {
    auto ev = approx_symmetric_eigen(M, true);
    if (ev && ev->vectors.cols() == n) {
      Vec<R> u = ev->vectors.col(0);
      const Vec<T> ut = approx_point<T>(u);
      const T q = detail::rayleigh_numerator(A, ut);
      if (certainly_negative(q)) {
        res.verdict = Verdict::refuted("u^T A u <= " + to_string(enclose_point<T>(sup(q)), 3) +
                                       " < 0 for every member (approximate eigenvector of lambda_min(mid A))");
        return res;
      }
    }
  }
  res.verdict = Verdict::unknown(last);
  return res;
}

}  // namespace certiformer::linalg
