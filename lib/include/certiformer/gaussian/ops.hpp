#pragma once
/// certiformer/gaussian/ops.hpp — small helpers shared by the Gaussian module (not a public API
/// of their own; documented here because they carry inclusion arguments).

#include "certiformer/core.hpp"
#include "certiformer/linalg.hpp"
#include "certiformer/gaussian/approx.hpp"

#include <stdexcept>
#include <string>
#include <type_traits>

namespace certiformer::gaussian::detail {

template <class T> inline constexpr bool is_interval_v = std::is_same_v<T, Interval> || std::is_same_v<T, MpInterval>;

/// Matrix products: reals (double, MpReal) → Eigen, intervals → linalg::mul (mid-rad, enclosing).
template <class T> Mat<T> prod(const Mat<T>& a, const Mat<T>& b) {
  if constexpr (!is_interval_v<T>) return a * b;
  else return linalg::mul(a, b);
}
template <class T> Vec<T> prod(const Mat<T>& a, const Vec<T>& x) {
  if constexpr (!is_interval_v<T>) return a * x;
  else return linalg::mul(a, x);
}
template <class T> Mat<T> scale(const Mat<T>& a, const T& s) {
  Mat<T> r = a;
  for (Eigen::Index j = 0; j < r.cols(); ++j)
    for (Eigen::Index i = 0; i < r.rows(); ++i) r(i, j) = r(i, j) * s;
  return r;
}
template <class T> Vec<T> scale(const Vec<T>& a, const T& s) {
  Vec<T> r = a;
  for (Eigen::Index i = 0; i < r.size(); ++i) r(i) = r(i) * s;
  return r;
}

/// Encloses a symmetric matrix known to lie in `a`: entrywise a ∩ aᵀ (both contain the true
/// symmetric matrix, so the intersection does too). Throws std::logic_error if a and aᵀ are
/// disjoint somewhere (impossible for a correct enclosure of a symmetric matrix).
template <class T> Mat<T> symmetrize(const Mat<T>& a) {
  if (a.rows() != a.cols()) throw std::invalid_argument("symmetrize: not square");
  Mat<T> r = a;
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = i + 1; j < a.cols(); ++j) {
      auto x = intersection(a(i, j), a(j, i));
      if (!x) throw std::logic_error("symmetrize: enclosure of a symmetric matrix is not symmetric");
      r(i, j) = *x;
      r(j, i) = *x;
    }
  return r;
}

/// a − s·I.
template <class T> Mat<T> shift(const Mat<T>& a, const T& s) {
  Mat<T> r = a;
  for (Eigen::Index i = 0; i < a.rows(); ++i) r(i, i) = r(i, i) - s;
  return r;
}

/// Upper bound of ‖X‖₂ over every matrix in the interval matrix x: min of the linalg spectral
/// bound and the Frobenius bound of |x| (both valid).
template <class T> real_t<T> upper_bound_spectral(const Mat<T>& x) {
  return min(linalg::upper_bound_norm_2(x), linalg::upper_bound_norm_frobenius(x)).value();
}

/// Lower bound of ‖X‖₂ over the interval matrix: max_ij mig(x_ij) (|X_ij| ≤ ‖X‖₂).
template <class T> real_t<T> lower_bound_spectral(const Mat<T>& x) {
  real_t<T> best(0);
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      real_t<T> m = mig(x(i, j));
      if (m > best) best = m;
    }
  return best;
}

/// uᵀ A u for a point vector u, enclosed.
template <class T> T quadratic_form(const Mat<T>& a, const Vec<T>& u) {
  T s(0);
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    T r(0);
    for (Eigen::Index j = 0; j < a.cols(); ++j) r += a(i, j) * u(j);
    s += u(i) * r;
  }
  return s;
}

}  // namespace certiformer::gaussian::detail
