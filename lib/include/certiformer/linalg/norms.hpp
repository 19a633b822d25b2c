#pragma once
/// certiformer/linalg/norms.hpp — rigorous upper bounds of matrix / vector norms, valid for every
/// real matrix in an interval matrix (the logarithmic norms are in linalg/lognorm.hpp, which
/// needs the eigenvalue bounds of linalg/eigen_sym.hpp; eigen_sym.hpp needs these norms).
///
/// Every function returns a number (double for Interval, MpReal for MpInterval) that is ≥ the
/// quantity for *every* real matrix A ∈ [A]. All sums, products and square roots are done in
/// the interval type and the upper endpoint is taken, so the result is rounded upward.
/// mag(a) = max |a| over the interval a (exact). Empty matrices have norm 0.

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/product.hpp"

#include <algorithm>

namespace certiformer {

/// Encloses:  nothing — upper bound: result ≥ ‖A‖₁ = max_j Σ_i |a_ij| for every A ∈ [A].
/// Assumes:   nothing. Checks: nothing (unbounded entries give +∞).
/// Method:    max_j sup(Σ_i mag(a_ij)) with the column sum in interval arithmetic.
template <class T> real_t<T> upper_bound_norm_1(const Mat<T>& A) {
  real_t<T> best(0);
  for (Eigen::Index j = 0; j < A.cols(); ++j) {
    T s(0);
    for (Eigen::Index i = 0; i < A.rows(); ++i) s += enclose_point<T>(mag(A(i, j)));
    const real_t<T> v = sup(s);
    if (v > best) best = v;
  }
  return best;
}

/// Upper bound: result ≥ ‖A‖∞ = max_i Σ_j |a_ij| for every A ∈ [A]. Method: as norm_1 on rows.
template <class T> real_t<T> upper_bound_norm_inf(const Mat<T>& A) {
  real_t<T> best(0);
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    T s(0);
    for (Eigen::Index j = 0; j < A.cols(); ++j) s += enclose_point<T>(mag(A(i, j)));
    const real_t<T> v = sup(s);
    if (v > best) best = v;
  }
  return best;
}

/// Upper bound: result ≥ ‖A‖_F = (Σ_ij a_ij²)^{1/2} for every A ∈ [A].
/// Method: sup(sqrt(Σ sqr(mag a_ij))) in interval arithmetic.
template <class T> real_t<T> upper_bound_norm_frobenius(const Mat<T>& A) {
  T s(0);
  for (Eigen::Index j = 0; j < A.cols(); ++j)
    for (Eigen::Index i = 0; i < A.rows(); ++i) s += sqr(enclose_point<T>(mag(A(i, j))));
  return sup(sqrt(s));
}

/// The one upper bound of a Euclidean vector norm (every module calls this one).
/// Upper bound: result ≥ ‖x‖₂ for every real x ∈ [x] (+∞ if a component is unbounded).
/// Assumes: nothing. Checks: nothing (any size; 0 for the empty vector). Failure: none.
/// Method: sup(sqrt(Σ sqr(mag x_i))) in interval arithmetic (mag x_i is an exact number, taken
///   as a point; every rounding of the sum and the root is outward, so sup is an upper bound).
template <class T> real_t<T> upper_bound_norm_2(const Vec<T>& x) {
  T s(0);
  for (Eigen::Index i = 0; i < x.size(); ++i) s += sqr(enclose_point<T>(mag(x(i))));
  return sup(sqrt(s));
}
/// Lower bound: result ≤ ‖x‖₂ for every real x ∈ [x] (the companion of upper_bound_norm_2).
/// Method: inf(sqrt(Σ sqr(mig x_i))) in interval arithmetic (mig x_i = min |x_i| over [x_i]).
template <class T> real_t<T> lower_bound_norm_2(const Vec<T>& x) {
  T s(0);
  for (Eigen::Index i = 0; i < x.size(); ++i) s += sqr(enclose_point<T>(mig(x(i))));
  return inf(sqrt(s));
}

namespace detail {
/// Collatz–Wielandt bound on ‖G‖₂ for the nonnegative matrix G = mag(A): for any x > 0,
/// ρ(GᵀG) ≤ max_i (GᵀGx)_i / x_i, and ‖A‖₂ ≤ ‖G‖₂ = ρ(GᵀG)^{1/2} for every A with |A| ≤ G.
/// x is a few power-iteration steps in binary64 (any positive x gives a valid bound).
/// Returns +∞ when G does not fit binary64 (then the other bounds are used).
template <class T> real_t<T> perron_bound_norm_2(const Mat<T>& A) {
  const Eigen::Index m = A.rows(), n = A.cols();
  Mat<double> G(m, n);
  double gmax = 0.0;
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < m; ++i) {
      const double g = to_double_up(mag(A(i, j)));  // ≥ mag: G bounds |A| entrywise
      if (!std::isfinite(g) || g > 0x1p400) return positive_infinity<T>();
      G(i, j) = g;
      gmax = std::max(gmax, g);
    }
  if (gmax == 0.0) return real_t<T>(0);
  Vec<double> x = Vec<double>::Ones(n);
  for (int it = 0; it < 20; ++it) {
    Vec<double> y = G.transpose() * (G * x);
    const double ymax = y.maxCoeff();
    if (!(ymax > 0.0) || !std::isfinite(ymax)) break;
    x = y / ymax;
  }
  const double xmax = x.maxCoeff();
  if (!(xmax > 0.0) || !std::isfinite(xmax)) return positive_infinity<T>();
  for (Eigen::Index i = 0; i < n; ++i) x(i) = std::max(x(i) / xmax, 0x1p-30);  // strictly positive
  // G must stay ≥ |A|: outward (it is exact unless the MpInterval precision is < 53 bits); any
  // positive x will do, so it may be rounded to nearest.
  Mat<T> GT = enclose_point<T>(G);
  Mat<T> GtT = enclose_point<T>(G.transpose());
  Vec<T> xt = approx_point<T>(x);
  Vec<T> z = mul(GtT, Vec<T>(mul(GT, xt)));
  real_t<T> best(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    const real_t<T> v = sup(z(i) / xt(i));
    if (v > best) best = v;
  }
  return sup(sqrt(enclose_point<T>(best)));
}
}  // namespace detail

/// Encloses:  nothing — upper bound: result ≥ ‖A‖₂ (largest singular value) for every A ∈ [A].
/// Assumes:   nothing. Checks: nothing (unbounded entries give +∞).
/// Method:    min of three valid bounds, each evaluated upward:
///            √(‖A‖₁‖A‖∞) (since ‖A‖₂² ≤ ‖A‖₁‖A‖∞), ‖A‖_F, and the Collatz–Wielandt bound
///            max_i ((GᵀG x)_i / x_i)^{1/2} on ‖G‖₂ ≥ ‖A‖₂, G = mag(A) entrywise, x > 0 from
///            20 binary64 power-iteration steps on GᵀG.
template <class T> real_t<T> upper_bound_norm_2(const Mat<T>& A) {
  if (A.size() == 0) return real_t<T>(0);
  const real_t<T> n1 = upper_bound_norm_1(A);
  const real_t<T> ni = upper_bound_norm_inf(A);
  real_t<T> best = sup(sqrt(enclose_point<T>(n1) * enclose_point<T>(ni)));
  const real_t<T> f = upper_bound_norm_frobenius(A);
  if (f < best) best = f;
  if (detail::is_finite_real<T>(best) && A.rows() > 1 && A.cols() > 1) {
    const real_t<T> p = detail::perron_bound_norm_2(A);
    if (p < best) best = p;
  }
  return best;
}

}  // namespace certiformer
