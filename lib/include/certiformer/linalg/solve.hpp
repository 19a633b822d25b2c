#pragma once
/// certiformer/linalg/solve.hpp — verified linear systems and inverses (Krawczyk / Rump): the
/// linear case of linalg/krawczyk.hpp, run through its core step and ε-inflation schedule with the
/// constant C = I − R·A (one matrix product per step for all right-hand sides at once).

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/krawczyk.hpp"
#include "certiformer/linalg/norms.hpp"
#include "certiformer/linalg/product.hpp"

#include <string>

namespace certiformer::linalg {

template <class T> struct SolveResult {
  Verdict verdict;
  /// When proved: x(i) ∋ (A⁻¹b)_i for every A ∈ [A], b ∈ [b]. Otherwise unspecified.
  Vec<T> x;
};

template <class T> struct InverseResult {
  Verdict verdict;
  /// When proved: inverse(i,j) ∋ (A⁻¹)_ij for every A ∈ [A]. Otherwise unspecified.
  Mat<T> inverse;
};


/// Encloses:  x ∋ A⁻¹b for every A ∈ [A] and b ∈ [b], and proves every A ∈ [A] nonsingular.
/// Assumes:   nothing.
/// Checks:    A square n×n and b of size n (else std::invalid_argument); bounded entries; the
///            Krawczyk inclusion Z + C·(X − x̃) ⊂ int(X − x̃) (detail::krawczyk_test).
/// Failure:   Verdict unknown with a reason (unbounded input, mid(A) numerically singular,
///            inclusion not verified within 12 epsilon-inflation steps — typically A is
///            ill-conditioned or too wide); x is then unspecified. Never refuted.
/// Method:    R ≈ mid(A)⁻¹ and x̃ ≈ R·mid(b) in binary64 / MpReal (points, exact). With
///            Z ⊇ R(b − A x̃) and C ⊇ I − R·A enclosed by `mul` for all A ∈ [A], b ∈ [b]:
///            this is Krawczyk's operator for F(x) = Ax − b with Y = R, m = x̃ (linalg/krawczyk.hpp):
///            if Z + C·(X − x̃) ⊂ int(X − x̃) then (Rump 1983; Krawczyk) ρ(I − RA) < 1 so R and
///            every A are nonsingular, and by Brouwer the map e ↦ R(b − Ax̃) + (I − RA)e has its
///            fixed point e* = A⁻¹b − x̃ in Z + C·(X − x̃). Result x = (x̃ + Z + C·(X − x̃)) ∩ X.
///            X comes from the one ε-inflation schedule (detail::krawczyk_search, ≤ 12 steps).
template <class T> SolveResult<T> certify_solve(const Mat<T>& A, const Vec<T>& b) {
  using R = real_t<T>;
  detail::require_square(A, "certify_solve");
  if (b.size() != A.rows())
    throw std::invalid_argument("certify_solve: A is " + detail::shape(A.rows(), A.cols()) + " but b has size " +
                                std::to_string(b.size()));
  const Eigen::Index n = A.rows();
  SolveResult<T> res{Verdict::unknown("not attempted"), Vec<T>(n)};
  if (n == 0) { res.verdict = Verdict::proved("empty system"); return res; }
  if (!detail::all_bounded(A) || !detail::all_bounded(b)) {
    res.verdict = Verdict::unknown("unbounded entries in A or b");
    return res;
  }
  auto Rinv = approx_inverse(Mat<R>(mid(A)));
  if (!Rinv) { res.verdict = Verdict::unknown("mid(A) is numerically singular"); return res; }
  const Mat<T> Rt = approx_point<T>(*Rinv);
  const Vec<R> mb = detail::mid_vec(b);
  Vec<R> xa(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    R s(0);
    for (Eigen::Index k = 0; k < n; ++k) s += (*Rinv)(i, k) * mb(k);
    xa(i) = s;
  }
  for (Eigen::Index i = 0; i < n; ++i)
    if (!detail::is_finite_real<T>(xa(i))) { res.verdict = Verdict::unknown("approximate solution not finite"); return res; }
  const Vec<T> xt = approx_point<T>(xa);
  Vec<T> resid = b - mul(A, xt);
  const Vec<T> z = mul(Rt, resid);
  Mat<T> C = mul(Rt, A);
  C = detail::identity<T>(n) - C;
  const Mat<T> M(xt);
  Mat<T> X, K;
  int iters = 0;
  const auto out = detail::krawczyk_search<T>(Mat<T>(z), M, [&](const Mat<T>&) -> const Mat<T>& { return C; }, 12, X, K, iters);
  if (out != detail::KrawczykOutcome::inside) {
    res.verdict = Verdict::unknown("Krawczyk inclusion not verified (||I - R A||_inf <= " +
                                   to_string(enclose_point<T>(upper_bound_norm_inf(C).value()), 3) +
                                   ")");
    return res;
  }
  res.x = detail::krawczyk_enclosure<T>(K, M, X).col(0);
  res.verdict = Verdict::proved("Krawczyk inclusion after " + std::to_string(iters) + " iteration(s)");
  return res;
}

/// Encloses:  inverse ∋ A⁻¹ (entrywise) for every A ∈ [A], and proves every A ∈ [A] nonsingular.
/// Assumes: nothing beyond T's inclusion principle (A may be any interval matrix).
/// Checks: A square, else std::invalid_argument; unbounded entries, a numerically singular
///   mid(A) or a failed inclusion give Verdict::unknown with the reason (inverse not meaningful).
/// Failure: std::invalid_argument on a non-square A only; everything else is a verdict.
/// Method:    certify_solve with the n right-hand sides I, x̃ = R: Z ⊇ R(I − A·R), C ⊇ I − R·A,
///            Z + C·(X − R) ⊂ int(X − R) columnwise ⇒ A⁻¹ ∈ (R + Z + C·(X − R)) ∩ X.
template <class T> InverseResult<T> certify_inverse(const Mat<T>& A) {
  using R = real_t<T>;
  detail::require_square(A, "certify_inverse");
  const Eigen::Index n = A.rows();
  InverseResult<T> res{Verdict::unknown("not attempted"), Mat<T>(n, n)};
  if (n == 0) { res.verdict = Verdict::proved("empty matrix"); return res; }
  if (!detail::all_bounded(A)) { res.verdict = Verdict::unknown("unbounded entries in A"); return res; }
  auto Rinv = approx_inverse(Mat<R>(mid(A)));
  if (!Rinv) { res.verdict = Verdict::unknown("mid(A) is numerically singular"); return res; }
  const Mat<T> Rt = approx_point<T>(*Rinv);
  const Mat<T> I = detail::identity<T>(n);
  const Mat<T> E = I - mul(A, Rt);
  const Mat<T> Z = mul(Rt, E);
  const Mat<T> C = I - mul(Rt, A);
  Mat<T> X, K;
  int iters = 0;
  const auto out = detail::krawczyk_search<T>(Z, Rt, [&](const Mat<T>&) -> const Mat<T>& { return C; }, 12, X, K, iters);
  if (out != detail::KrawczykOutcome::inside) {
    res.verdict = Verdict::unknown("Krawczyk inclusion not verified (||I - R A||_inf <= " +
                                   to_string(enclose_point<T>(upper_bound_norm_inf(C).value()), 3) +
                                   ")");
    return res;
  }
  res.inverse = detail::krawczyk_enclosure<T>(K, Rt, X);
  res.verdict = Verdict::proved("Krawczyk inclusion after " + std::to_string(iters) + " iteration(s)");
  return res;
}

}  // namespace certiformer::linalg
