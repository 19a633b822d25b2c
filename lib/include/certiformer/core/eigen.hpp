#pragma once
/// certiformer/core/eigen.hpp — Interval and MpInterval as Eigen scalars.
///
/// * NumTraits for both (digits, exponents, epsilon, highest/lowest, …). `Real` is the interval
///   type itself, `Literal` too: `m * 2.0` does not compile, write `m * Interval(2)`.
/// * No ScalarBinaryOpTraits between double and an interval type: a `MatrixXd * IMatrix`
///   product is a compile error (a double matrix must be converted with `exact_point<T>(M)` or
///   `enclose_point<T>(M)`, core/convert.hpp).
/// * Pivot score: Eigen's partial/full pivoting compares `scalar_score_coeff_op` results. For
///   intervals the score is mig(x) (the least |x| in the interval, a double or MPFR number), so
///   pivots are chosen by comparing exact numbers, never overlapping intervals, and a pivot
///   that may be 0 scores 0.
/// * Scalar traits for generic code: `scalar_traits<T>::real` (double / MpReal) is the type of
///   endpoints and of the approximate midpoint computations.

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"
#include "certiformer/core/elementary.hpp"

#include <Eigen/Core>
#include <limits>

namespace Eigen {

template <>
struct NumTraits<certiformer::Interval> {
  using Real = certiformer::Interval;
  using NonInteger = certiformer::Interval;
  using Nested = certiformer::Interval;
  using Literal = certiformer::Interval;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 2,
    AddCost = 10,
    MulCost = 16
  };
  static constexpr int digits10() { return std::numeric_limits<double>::digits10; }
  static constexpr int max_digits10() { return std::numeric_limits<double>::max_digits10; }
  static constexpr int digits() { return std::numeric_limits<double>::digits; }
  static constexpr int min_exponent() { return std::numeric_limits<double>::min_exponent; }
  static constexpr int max_exponent() { return std::numeric_limits<double>::max_exponent; }
  static Real epsilon() { return Real(std::numeric_limits<double>::epsilon()); }
  static Real dummy_precision() { return Real(0x1p-40); }
  static Real highest() { return Real(std::numeric_limits<double>::max()); }
  static Real lowest() { return Real(std::numeric_limits<double>::lowest()); }
  static Real infinity() { return Real(std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity()); }
  /// There is no NaN interval; the entire line is the enclosure of "anything".
  static Real quiet_NaN() { return Real::entire(); }
};

template <>
struct NumTraits<certiformer::MpInterval> {
  using Real = certiformer::MpInterval;
  using NonInteger = certiformer::MpInterval;
  using Nested = certiformer::MpInterval;
  using Literal = certiformer::MpInterval;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = HugeCost,
    AddCost = HugeCost,
    MulCost = HugeCost
  };
  static int digits() { return static_cast<int>(certiformer::mp_precision()); }
  static int digits10() { return static_cast<int>(certiformer::mp_precision() * 0.30102999566398) ; }
  static int max_digits10() { return digits10() + 2; }
  static int min_exponent() { return static_cast<int>(mpfr_get_emin()); }
  static int max_exponent() { return static_cast<int>(mpfr_get_emax()); }
  static Real epsilon() { return certiformer::ldexp(Real(1), 1 - digits()); }
  static Real dummy_precision() { return certiformer::ldexp(Real(1), -(digits() * 3) / 4); }
  static Real highest() { return certiformer::ldexp(Real(1), max_exponent() - 2); }
  static Real lowest() { return -highest(); }
  static Real infinity() { return Real(certiformer::MpReal(std::numeric_limits<double>::max()), certiformer::MpReal(std::numeric_limits<double>::infinity())); }
  static Real quiet_NaN() { return Real::entire(); }
};

namespace internal {
template <>
struct scalar_score_coeff_op<certiformer::Interval> {
  using result_type = double;
  double operator()(const certiformer::Interval& x) const { return certiformer::mig(x); }
};
template <>
struct functor_traits<scalar_score_coeff_op<certiformer::Interval>> {
  enum { Cost = 2, PacketAccess = false };
};
template <>
struct scalar_score_coeff_op<certiformer::MpInterval> {
  using result_type = certiformer::MpReal;
  certiformer::MpReal operator()(const certiformer::MpInterval& x) const { return certiformer::mig(x); }
};
template <>
struct functor_traits<scalar_score_coeff_op<certiformer::MpInterval>> {
  enum { Cost = 2, PacketAccess = false };
};
}  // namespace internal
}  // namespace Eigen

namespace certiformer {

template <class T> using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T> using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
using IVector = Vec<Interval>;
using IMatrix = Mat<Interval>;
using MpVector = Vec<MpInterval>;
using MpMatrix = Mat<MpInterval>;

template <class T> struct scalar_traits;
template <> struct scalar_traits<Interval> {
  using real = double;
  static constexpr bool is_mp = false;
  static const char* backend_name() { return "binary64"; }
};
template <> struct scalar_traits<MpInterval> {
  using real = MpReal;
  static constexpr bool is_mp = true;
  static const char* backend_name() { return "mpfi"; }
};
template <class T> using real_t = typename scalar_traits<T>::real;

/// Midpoints (approximate) and radius upper bounds, entrywise.
template <class T> Mat<real_t<T>> mid(const Mat<T>& a) {
  Mat<real_t<T>> r(a.rows(), a.cols());
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i) r(i, j) = mid(a(i, j));
  return r;
}
template <class T> Mat<real_t<T>> rad(const Mat<T>& a) {
  Mat<real_t<T>> r(a.rows(), a.cols());
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i) r(i, j) = rad(a(i, j));
  return r;
}
/// Entrywise hull / containment for interval matrices of equal shape.
template <class T> bool subset(const Mat<T>& a, const Mat<T>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      if (!subset(a(i, j), b(i, j))) return false;
  return true;
}

}  // namespace certiformer
