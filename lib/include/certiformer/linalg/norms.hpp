#pragma once
/// certiformer/linalg/norms.hpp — rigorous upper bounds of matrix / vector norms, valid for every
/// real matrix in an interval matrix (the logarithmic norms are in linalg/lognorm.hpp, which
/// needs the eigenvalue bounds of linalg/eigen_sym.hpp; eigen_sym.hpp needs these norms).
///
/// Every function returns an `UpperBound<R>` (core/bound.hpp; R = double for Interval, MpReal
/// for MpInterval) that is ≥ the quantity for *every* real matrix A ∈ [A] (`lower_bound_norm_2`:
/// a `LowerBound<R>`). Sums and squares are done in the interval type and the sup taken;
/// bounds are combined with the typed upward arithmetic. mag(a) = max |a| over the interval a
/// (exact). Empty matrices have norm 0.

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/product.hpp"

#include <algorithm>
#include <type_traits>

namespace certiformer::linalg {

/// Encloses:  nothing — upper bound: result ≥ ‖A‖₁ = max_j Σ_i |a_ij| for every A ∈ [A].
/// Assumes:   nothing. Checks: nothing (unbounded entries give +∞). Failure: none.
/// Method:    max_j sup(Σ_i mag(a_ij)) with the column sum in interval arithmetic.
template <class T> UpperBound<real_t<T>> upper_bound_norm_1(const Mat<T>& A) {
  auto best = UpperBound<real_t<T>>::exact(real_t<T>(0));
  for (Eigen::Index j = 0; j < A.cols(); ++j) {
    T s(0);
    for (Eigen::Index i = 0; i < A.rows(); ++i) s += enclose_point<T>(mag(A(i, j)));
    best = max(best, UpperBound<real_t<T>>::sup_of(s));
  }
  return best;
}

/// Encloses:  nothing — upper bound: result ≥ ‖A‖∞ = max_i Σ_j |a_ij| for every A ∈ [A].
/// Assumes:   nothing. Checks: nothing (unbounded entries give +∞). Failure: none.
/// Method:    max_i sup(Σ_j mag(a_ij)) with the row sum in interval arithmetic.
template <class T> UpperBound<real_t<T>> upper_bound_norm_inf(const Mat<T>& A) {
  auto best = UpperBound<real_t<T>>::exact(real_t<T>(0));
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    T s(0);
    for (Eigen::Index j = 0; j < A.cols(); ++j) s += enclose_point<T>(mag(A(i, j)));
    best = max(best, UpperBound<real_t<T>>::sup_of(s));
  }
  return best;
}

/// Encloses:  nothing — upper bound: result ≥ ‖A‖_F = (Σ_ij a_ij²)^{1/2} for every A ∈ [A].
/// Assumes:   nothing. Checks: nothing (unbounded entries give +∞). Failure: none.
/// Method:    √ (rounded upward) of sup(Σ sqr(mag a_ij)) in interval arithmetic.
template <class T> UpperBound<real_t<T>> upper_bound_norm_frobenius(const Mat<T>& A) {
  T s(0);
  for (Eigen::Index j = 0; j < A.cols(); ++j)
    for (Eigen::Index i = 0; i < A.rows(); ++i) s += sqr(enclose_point<T>(mag(A(i, j))));
  return sqrt(UpperBound<real_t<T>>::sup_of(s));
}

/// The one upper bound of a Euclidean vector norm (every module calls this one).
/// Encloses: nothing — upper bound: result ≥ ‖x‖₂ for every real x ∈ [x] (+∞ if a component is
///   unbounded).
/// Assumes: nothing. Checks: nothing (any size; 0 for the empty vector). Failure: none.
/// Method: √ (rounded upward) of sup(Σ sqr(mag x_i)) in interval arithmetic (mag x_i is an exact
///   number, taken as a point; every rounding of the sum is outward, so its sup bounds ‖x‖₂²).
template <class T> UpperBound<real_t<T>> upper_bound_norm_2(const Vec<T>& x) {
  T s(0);
  for (Eigen::Index i = 0; i < x.size(); ++i) s += sqr(enclose_point<T>(mag(x(i))));
  return sqrt(UpperBound<real_t<T>>::sup_of(s));
}
/// Encloses: nothing — lower bound: result ≤ ‖x‖₂ for every real x ∈ [x] (the companion of
///   upper_bound_norm_2). Assumes: nothing. Checks: nothing. Failure: none.
/// Method: √ (rounded downward) of inf(Σ sqr(mig x_i)) in interval arithmetic (mig x_i = min |x_i|
///   over [x_i]).
template <class T> LowerBound<real_t<T>> lower_bound_norm_2(const Vec<T>& x) {
  T s(0);
  for (Eigen::Index i = 0; i < x.size(); ++i) s += sqr(enclose_point<T>(mig(x(i))));
  return sqrt(LowerBound<real_t<T>>::inf_of(s));
}

namespace detail {
/// Collatz–Wielandt bound on ‖G‖₂ for the nonnegative matrix G = mag(A): for any x > 0,
/// ρ(GᵀG) ≤ max_i (GᵀGx)_i / x_i, and ‖A‖₂ ≤ ‖G‖₂ = ρ(GᵀG)^{1/2} for every A with |A| ≤ G.
/// x is a few power-iteration steps in binary64 (any positive x gives a valid bound).
/// Returns +∞ when G does not fit binary64 (then the other bounds are used).
template <class T> UpperBound<real_t<T>> perron_bound_norm_2(const Mat<T>& A) {
  using UB = UpperBound<real_t<T>>;
  const Eigen::Index m = A.rows(), n = A.cols();
  Mat<double> G(m, n);
  double gmax = 0.0;
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < m; ++i) {
      const double g = double_up(mag(A(i, j)));  // ≥ mag: G bounds |A| entrywise
      if (!std::isfinite(g) || g > 0x1p400) return UB::infinity();
      G(i, j) = g;
      gmax = std::max(gmax, g);
    }
  if (gmax == 0.0) return UB::exact(real_t<T>(0));
  Vec<double> x = Vec<double>::Ones(n);
  for (int it = 0; it < 20; ++it) {
    Vec<double> y = G.transpose() * (G * x);
    const double ymax = y.maxCoeff();
    if (!(ymax > 0.0) || !std::isfinite(ymax)) break;
    x = y / ymax;
  }
  const double xmax = x.maxCoeff();
  if (!(xmax > 0.0) || !std::isfinite(xmax)) return UB::infinity();
  for (Eigen::Index i = 0; i < n; ++i) x(i) = std::max(x(i) / xmax, 0x1p-30);  // strictly positive
  // G must stay ≥ |A|: outward (it is exact unless the MpInterval precision is < 53 bits); any
  // positive x will do, so it may be rounded to nearest.
  Mat<T> GT = enclose_point<T>(G);
  Mat<T> GtT = enclose_point<T>(G.transpose());
  Vec<T> xt = approx_point<T>(x);
  Vec<T> z = mul(GtT, Vec<T>(mul(GT, xt)));
  UB best = UB::exact(real_t<T>(0));  // ≥ ρ(GᵀG) after the loop
  for (Eigen::Index i = 0; i < n; ++i) best = max(best, UB::sup_of(z(i) / xt(i)));
  return sqrt(best);
}
}  // namespace detail

/// Encloses:  nothing — upper bound: result ≥ ‖A‖_{S4} = (Σ_k σ_k(A)⁴)^{1/4} ≥ ‖A‖₂ for every
///            A ∈ [A] (σ_k = singular values; the Schatten-4 norm).
/// Assumes:   nothing. Checks: nothing (unbounded entries give +∞). Failure: none.
/// Method:    ‖A‖_{S4}² = ‖AᵀA‖_F (the eigenvalues of AᵀA are σ_k²). Interval: the one-block case of
///            upper_bounds_schatten4_blocks (product.hpp: one upward pass over the midpoint-radius
///            split). MpInterval: AᵀA enclosed by `mul` (∋ A₁ᵀA₂ for all A₁, A₂ ∈ [A], hence AᵀA),
///            then √ (upward) of its Frobenius upper bound. At most (rank A)^{1/4}·‖A‖₂ for a point
///            matrix; ≈ 1.2·‖A‖₂ for a random square matrix, where ‖A‖_F ≈ (√d/2)·‖A‖₂.
template <class T> UpperBound<real_t<T>> upper_bound_norm_schatten4(const Mat<T>& A) {
  if (A.size() == 0) return UpperBound<real_t<T>>::exact(real_t<T>(0));
  if constexpr (std::is_same_v<T, Interval>) {
    return upper_bounds_schatten4_blocks(A, A.rows())[0];
  } else {
    const Mat<T> At = A.transpose();
    return sqrt(upper_bound_norm_frobenius<T>(Mat<T>(mul(At, A))));
  }
}

/// Encloses:  nothing — upper bound: result ≥ ‖A‖₂ (largest singular value) for every A ∈ [A].
/// Assumes:   nothing. Checks: nothing (unbounded entries give +∞).
/// Failure:   none.
/// Method:    min of three valid bounds, each evaluated upward:
///            √(‖A‖₁‖A‖∞) (since ‖A‖₂² ≤ ‖A‖₁‖A‖∞), ‖A‖_F, and the Collatz–Wielandt bound
///            max_i ((GᵀG x)_i / x_i)^{1/2} on ‖G‖₂ ≥ ‖A‖₂, G = mag(A) entrywise, x > 0 from
///            20 binary64 power-iteration steps on GᵀG.
template <class T> UpperBound<real_t<T>> upper_bound_norm_2(const Mat<T>& A) {
  if (A.size() == 0) return UpperBound<real_t<T>>::exact(real_t<T>(0));
  auto best = min(sqrt(upper_bound_norm_1(A) * upper_bound_norm_inf(A)), upper_bound_norm_frobenius(A));
  if (best.is_finite() && A.rows() > 1 && A.cols() > 1) best = min(best, detail::perron_bound_norm_2(A));
  return best;
}

}  // namespace certiformer::linalg
