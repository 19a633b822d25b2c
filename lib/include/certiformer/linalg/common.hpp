#pragma once
/// certiformer/linalg/common.hpp — small helpers shared by the linalg module (namespace detail:
/// not part of the public API). Point conversions are core/convert.hpp (exact_point /
/// enclose_point / approx_point); `make_interval` rounds outward.

#include "certiformer/core.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace certiformer::linalg::detail {

/// [lo, hi] (outward rounded to the working precision for MpInterval).
template <class T> T make_interval(const real_t<T>& lo, const real_t<T>& hi) { return T(lo, hi); }
/// [−r, r] for r ≥ 0.
template <class T> T symmetric_interval(const real_t<T>& r) { return T(real_t<T>(-r), r); }

template <class T> Vec<real_t<T>> mid_vec(const Vec<T>& v) {
  Vec<real_t<T>> r(v.size());
  for (Eigen::Index i = 0; i < v.size(); ++i) r(i) = mid(v(i));
  return r;
}

/// Unit roundoff of the backend: 2^-53 (Interval), 2^-prec (MpInterval, current precision).
template <class T> real_t<T> unit_roundoff();
template <> inline double unit_roundoff<Interval>() { return 0x1p-53; }
template <> inline MpReal unit_roundoff<MpInterval>() {
  MpReal r(1);
  mpfr_div_2ui(r.backend().data(), r.backend().data(), mp_precision(), MPFR_RNDN);  // exact
  return r;
}

template <class T> real_t<T> positive_infinity() { return real_t<T>(std::numeric_limits<double>::infinity()); }

template <class T> bool is_finite_real(const real_t<T>& v) {
  if constexpr (scalar_traits<T>::is_mp) return mpfr_number_p(v.backend().data()) != 0;
  else return std::isfinite(v);
}

template <class T> bool all_bounded(const Mat<T>& a) {
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      if (!is_bounded(a(i, j))) return false;
  return true;
}
template <class T> bool all_bounded(const Vec<T>& a) {
  for (Eigen::Index i = 0; i < a.size(); ++i)
    if (!is_bounded(a(i))) return false;
  return true;
}

inline std::string shape(Eigen::Index r, Eigen::Index c) { return std::to_string(r) + "x" + std::to_string(c); }

template <class T> void require_square(const Mat<T>& a, const char* who) {
  if (a.rows() != a.cols())
    throw std::invalid_argument(std::string(who) + ": matrix must be square, got " + shape(a.rows(), a.cols()));
}
/// Symmetric as an interval matrix: a(i,j) and a(j,i) are the same interval.
template <class T> void require_symmetric(const Mat<T>& a, const char* who) {
  require_square(a, who);
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = j + 1; i < a.rows(); ++i)
      if (!equal(a(i, j), a(j, i)))
        throw std::invalid_argument(std::string(who) + ": matrix is not symmetric: entries (" + std::to_string(i) +
                                    "," + std::to_string(j) + ") and (" + std::to_string(j) + "," +
                                    std::to_string(i) + ") differ");
}

/// Identity as a point interval matrix.
template <class T> Mat<T> identity(Eigen::Index n) {
  Mat<T> r(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) r(i, j) = T(i == j ? 1 : 0);
  return r;
}

}  // namespace certiformer::linalg::detail
