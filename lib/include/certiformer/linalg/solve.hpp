#pragma once
/// certiformer/linalg/solve.hpp — verified linear systems and inverses (Krawczyk / Rump).

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/norms.hpp"
#include "certiformer/linalg/product.hpp"

#include <string>

namespace certiformer {

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

namespace detail {

/// Epsilon-inflation (Rump): y + [−w, w] with w = 0.1·wid(y) + floor.
template <class T> T inflate(const T& y, const real_t<T>& floor) {
  const real_t<T> w = sup(ldexp(make_interval<T>(wid(y), wid(y)), -3) + make_interval<T>(floor, floor));
  return y + symmetric_interval<T>(w);
}

template <class T> real_t<T> inflation_floor() {
  if constexpr (scalar_traits<T>::is_mp) {
    MpReal r(1);
    mpfr_div_2ui(r.backend().data(), r.backend().data(), 8ul * mp_precision() + 1100ul, MPFR_RNDN);
    return r;
  } else {
    return 0x1p-1022;
  }
}

/// Krawczyk iteration on the residual system: find Y with Z + C·Y ⊂ int(Y), columnwise.
/// Z, C enclose R(b − A x̃) and I − R·A for every A ∈ [A], b ∈ [b]. Returns the final K = Z + C·Y
/// (⊆ Y) on success.
template <class T> std::optional<Mat<T>> krawczyk_verify(const Mat<T>& Z, const Mat<T>& C, int max_iter,
                                                         int& iterations) {
  const real_t<T> floor = inflation_floor<T>();
  Mat<T> Y = Z;
  for (int it = 1; it <= max_iter; ++it) {
    iterations = it;
    Mat<T> Yi(Y.rows(), Y.cols());
    for (Eigen::Index j = 0; j < Y.cols(); ++j)
      for (Eigen::Index i = 0; i < Y.rows(); ++i) Yi(i, j) = inflate(Y(i, j), floor);
    Mat<T> K = mul(C, Yi);
    bool inside = true;
    for (Eigen::Index j = 0; j < K.cols(); ++j)
      for (Eigen::Index i = 0; i < K.rows(); ++i) {
        K(i, j) += Z(i, j);
        if (!is_bounded(K(i, j))) return std::nullopt;
        inside = inside && interior(K(i, j), Yi(i, j));
      }
    if (inside) return K;
    Y = std::move(K);
  }
  return std::nullopt;
}

}  // namespace detail

/// Encloses:  x ∋ A⁻¹b for every A ∈ [A] and b ∈ [b], and proves every A ∈ [A] nonsingular.
/// Assumes:   nothing.
/// Checks:    A square n×n and b of size n (else std::invalid_argument); bounded entries; the
///            Krawczyk inclusion Z + C·Y ⊂ int(Y).
/// Failure:   Verdict unknown with a reason (unbounded input, mid(A) numerically singular,
///            inclusion not verified within 12 epsilon-inflation steps — typically A is
///            ill-conditioned or too wide); x is then unspecified. Never refuted.
/// Method:    R ≈ mid(A)⁻¹ and x̃ ≈ R·mid(b) in binary64 / MpReal (points, exact). With
///            Z ⊇ R(b − A x̃) and C ⊇ I − R·A enclosed by `mul` for all A ∈ [A], b ∈ [b]:
///            if Z + C·Y ⊂ int(Y) then (Rump 1983; Krawczyk) ρ(I − RA) < 1 so R and every A
///            are nonsingular, and by Brouwer the map e ↦ R(b − Ax̃) + (I − RA)e has its fixed
///            point e* = A⁻¹b − x̃ in Z + C·Y. Result x = x̃ + (Z + C·Y). Y is found by
///            epsilon-inflation Y ← K + [−w, w], w = wid(K)/8 + tiny, starting from Y = Z.
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
  int iters = 0;
  auto K = detail::krawczyk_verify<T>(Mat<T>(z), C, 12, iters);
  if (!K) {
    res.verdict = Verdict::unknown("Krawczyk inclusion not verified (||I - R A||_inf <= " +
                                   to_string(detail::make_interval<T>(upper_bound_norm_inf(C), upper_bound_norm_inf(C)), 3) +
                                   ")");
    return res;
  }
  for (Eigen::Index i = 0; i < n; ++i) res.x(i) = xt(i) + (*K)(i, 0);
  res.verdict = Verdict::proved("Krawczyk inclusion after " + std::to_string(iters) + " iteration(s)");
  return res;
}

/// Encloses:  inverse ∋ A⁻¹ (entrywise) for every A ∈ [A], and proves every A ∈ [A] nonsingular.
/// Assumes/Checks/Failure: as certify_solve (A square, else std::invalid_argument).
/// Method:    certify_solve with the n right-hand sides I, x̃ = R: Z ⊇ R(I − A·R), C ⊇ I − R·A,
///            Z + C·Y ⊂ int(Y) columnwise ⇒ A⁻¹ ∈ R + (Z + C·Y).
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
  int iters = 0;
  auto K = detail::krawczyk_verify<T>(Z, C, 12, iters);
  if (!K) {
    res.verdict = Verdict::unknown("Krawczyk inclusion not verified (||I - R A||_inf <= " +
                                   to_string(detail::make_interval<T>(upper_bound_norm_inf(C), upper_bound_norm_inf(C)), 3) +
                                   ")");
    return res;
  }
  res.inverse = Rt + *K;
  res.verdict = Verdict::proved("Krawczyk inclusion after " + std::to_string(iters) + " iteration(s)");
  return res;
}

}  // namespace certiformer
