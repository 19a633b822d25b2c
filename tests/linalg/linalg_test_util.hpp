#pragma once
// Helpers shared by the linalg test suites: random interval matrices with binary64 endpoints,
// random points inside them, independent high-precision oracles (512-bit MPFI: plain interval
// Gaussian elimination, a long Taylor sum for e^A, Jacobi eigenvalues), containment checks
// and hex text of inputs for failure messages.
#include "test_support.hpp"

#include "certiformer/core.hpp"
#include "certiformer/linalg.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>

namespace lt {

using namespace certiformer;
namespace tst = certiformer::test;
using MatD = Mat<double>;

inline constexpr unsigned kBits = 256;        // MpInterval backend precision in the tests
inline constexpr unsigned kOracleBits = 512;  // oracle precision (≥ 256, above the backend)

/// An interval matrix given by its binary64 endpoint matrices.
struct Box {
  MatD lo, hi;
  Eigen::Index rows() const { return lo.rows(); }
  Eigen::Index cols() const { return lo.cols(); }
};

template <class T> T make(double lo, double hi) {
  if constexpr (scalar_traits<T>::is_mp) return MpInterval(MpReal(lo), MpReal(hi));
  else return Interval(lo, hi);
}
template <class T> Mat<T> to_mat(const Box& b) {
  Mat<T> r(b.rows(), b.cols());
  for (Eigen::Index j = 0; j < b.cols(); ++j)
    for (Eigen::Index i = 0; i < b.rows(); ++i) r(i, j) = make<T>(b.lo(i, j), b.hi(i, j));
  return r;
}
template <class T> Vec<T> to_vec(const Box& b) {
  Vec<T> r(b.rows());
  for (Eigen::Index i = 0; i < b.rows(); ++i) r(i) = make<T>(b.lo(i, 0), b.hi(i, 0));
  return r;
}
template <class T> Mat<T> to_mat(const MatD& p) { return to_mat<T>(Box{p, p}); }

// ---- random data -------------------------------------------------------------------------------
/// A random double in ±[2^e_lo, 2^e_hi) (sign random), or 0 with probability p0.
inline double rnd_value(std::mt19937_64& g, int e_lo, int e_hi, double p0 = 0.05) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  if (u(g) < p0) return 0.0;
  std::uniform_int_distribution<int> e(e_lo, e_hi - 1);
  const double m = 1.0 + u(g);
  return std::ldexp(u(g) < 0.5 ? -m : m, e(g) - 1);
}

/// Radius class: 0 = thin, 1 = a few ulps, 2 = ~1e-12 relative, 3 = ~1e-4 relative.
inline double rnd_radius(std::mt19937_64& g, double centre, int cls) {
  const double a = std::fabs(centre) + 1e-3;
  std::uniform_real_distribution<double> u(0.5, 1.0);
  switch (cls) {
    case 0: return 0.0;
    case 1: return a * 0x1p-52 * u(g);
    case 2: return a * 1e-12 * u(g);
    default: return a * 1e-4 * u(g);
  }
}

/// Random box: centres ±[2^e_lo, 2^e_hi), radius class per entry drawn from `classes`.
inline Box rnd_box(std::mt19937_64& g, Eigen::Index r, Eigen::Index c, int e_lo, int e_hi,
                   std::initializer_list<int> classes) {
  std::vector<int> cl(classes);
  std::uniform_int_distribution<std::size_t> pick(0, cl.size() - 1);
  Box b{MatD(r, c), MatD(r, c)};
  for (Eigen::Index j = 0; j < c; ++j)
    for (Eigen::Index i = 0; i < r; ++i) {
      const double m = rnd_value(g, e_lo, e_hi);
      const double rr = rnd_radius(g, m, cl[pick(g)]);
      b.lo(i, j) = m - rr;
      b.hi(i, j) = m + rr;
      if (b.lo(i, j) > b.hi(i, j)) std::swap(b.lo(i, j), b.hi(i, j));
    }
  return b;
}
/// Symmetric version of a square box (upper triangle mirrored).
inline Box symmetrize(Box b) {
  for (Eigen::Index j = 0; j < b.cols(); ++j)
    for (Eigen::Index i = j + 1; i < b.rows(); ++i) {
      b.lo(i, j) = b.lo(j, i);
      b.hi(i, j) = b.hi(j, i);
    }
  return b;
}

/// A point of [lo, hi]: an endpoint or a random interior double.
inline double rnd_point(std::mt19937_64& g, double lo, double hi) {
  std::uniform_int_distribution<int> k(0, 3);
  const int c = k(g);
  if (c == 0) return lo;
  if (c == 1) return hi;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double v = lo + (hi - lo) * u(g);
  return std::clamp(v, lo, hi);
}
inline MatD rnd_point(std::mt19937_64& g, const Box& b, bool symmetric = false) {
  MatD p(b.rows(), b.cols());
  for (Eigen::Index j = 0; j < b.cols(); ++j)
    for (Eigen::Index i = 0; i < b.rows(); ++i) p(i, j) = rnd_point(g, b.lo(i, j), b.hi(i, j));
  if (symmetric)
    for (Eigen::Index j = 0; j < b.cols(); ++j)
      for (Eigen::Index i = j + 1; i < b.rows(); ++i) p(i, j) = p(j, i);
  return p;
}

// ---- text ----------------------------------------------------------------------------------------
inline std::string hex_matrix(const MatD& m) {
  std::ostringstream os;
  os << "[";
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    os << (i ? "; " : "");
    for (Eigen::Index j = 0; j < m.cols(); ++j) os << (j ? " " : "") << hex(m(i, j));
  }
  os << "]";
  return os.str();
}
inline std::string hex_box(const Box& b) { return "lo=" + hex_matrix(b.lo) + " hi=" + hex_matrix(b.hi); }
inline std::string text(const Interval& x) { return to_string(x); }
inline std::string text(const MpInterval& x) { return to_string(x, 20); }

// ---- containment ---------------------------------------------------------------------------------
inline bool contains(const Interval& r, const MpInterval& o) { return subset(o, r); }
inline bool contains(const MpInterval& r, const MpInterval& o) { return subset(o, r); }
inline bool contains_real(const Interval& r, const MpReal& v) {
  return mpfr_cmp_d(v.backend().data(), r.lower()) >= 0 && mpfr_cmp_d(v.backend().data(), r.upper()) <= 0;
}
inline bool contains_real(const MpInterval& r, const MpReal& v) {
  return mpfr_cmp(v.backend().data(), &r.data()->left) >= 0 && mpfr_cmp(v.backend().data(), &r.data()->right) <= 0;
}
template <class T> bool overlaps(const T& a, const T& b) { return !disjoint(a, b); }

inline MpInterval to_mp(const Interval& x) { return MpInterval(x); }
inline MpInterval to_mp(const MpInterval& x) { return x; }

/// Relative width of an enclosure of a value of magnitude ≥ `scale`.
template <class T> double rel_width(const T& x, double scale) {
  return approx_double(real_t<T>(wid(x))) / scale;
}

// ---- oracles (call inside MpPrecisionScope(kOracleBits)) ----------------------------------------
inline Mat<MpInterval> mp_point(const MatD& p) { return to_mat<MpInterval>(p); }

/// Plain interval product (Eigen triple loop) — independent of certiformer::linalg::mul.
inline Mat<MpInterval> mp_product(const Mat<MpInterval>& a, const Mat<MpInterval>& b) { return a * b; }

/// Interval Gaussian elimination with partial pivoting (by mig) on A·X = B, A a point matrix at
/// oracle precision: tight for well-conditioned A. Throws std::domain_error if a pivot may be 0.
inline Mat<MpInterval> mp_gauss_solve(Mat<MpInterval> A, Mat<MpInterval> B) {
  const Eigen::Index n = A.rows();
  for (Eigen::Index c = 0; c < n; ++c) {
    Eigen::Index p = c;
    for (Eigen::Index i = c + 1; i < n; ++i)
      if (mig(A(i, c)) > mig(A(p, c))) p = i;
    A.row(c).swap(A.row(p));
    B.row(c).swap(B.row(p));
    for (Eigen::Index i = c + 1; i < n; ++i) {
      const MpInterval f = A(i, c) / A(c, c);
      for (Eigen::Index j = c; j < n; ++j) A(i, j) -= f * A(c, j);
      for (Eigen::Index j = 0; j < B.cols(); ++j) B(i, j) -= f * B(c, j);
    }
  }
  Mat<MpInterval> X(n, B.cols());
  for (Eigen::Index j = 0; j < B.cols(); ++j)
    for (Eigen::Index i = n - 1; i >= 0; --i) {
      MpInterval s = B(i, j);
      for (Eigen::Index k = i + 1; k < n; ++k) s -= A(i, k) * X(k, j);
      X(i, j) = s / A(i, i);
    }
  return X;
}

/// e^A by the plain Taylor sum Σ_{k≤K} A^k/k! + [−ρ, ρ] with ρ = a^{K+1}/(K+1)!/(1 − a/(K+2)),
/// a ≥ ‖A‖∞, K chosen so that ρ < 2^-(prec): no scaling, no squaring, Eigen products.
inline Mat<MpInterval> mp_expm_taylor(const Mat<MpInterval>& A) {
  const Eigen::Index n = A.rows();
  const MpReal a = linalg::upper_bound_norm_inf(A).value();
  const MpInterval ai(a, a);
  Mat<MpInterval> S = linalg::detail::identity<MpInterval>(n), term = S;
  MpInterval fact(1);
  int K = 0;
  const MpReal tol = linalg::detail::unit_roundoff<MpInterval>();
  for (;;) {
    ++K;
    term = (A * term).eval();
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i) term(i, j) /= MpInterval(K);
    S += term;
    fact *= MpInterval(K + 1);
    if (certainly_less(ai, MpInterval(K + 2))) {
      const MpInterval rho = pow(ai, K + 1) / fact / (MpInterval(1) - ai / MpInterval(K + 2));
      if (sup(rho) < tol || K > 2000) {
        const MpInterval t(MpReal(-sup(rho)), sup(rho));
        for (Eigen::Index j = 0; j < n; ++j)
          for (Eigen::Index i = 0; i < n; ++i) S(i, j) += t;
        return S;
      }
    }
  }
}

/// Approximate eigenvalues (ascending) of a symmetric point matrix at oracle precision (Jacobi);
/// accurate to far below binary64 / 256-bit widths for the small well-separated test matrices.
inline Vec<MpReal> mp_eigenvalues(const MatD& p) {
  Mat<MpReal> m(p.rows(), p.cols());
  for (Eigen::Index j = 0; j < p.cols(); ++j)
    for (Eigen::Index i = 0; i < p.rows(); ++i) m(i, j) = MpReal(p(i, j));
  auto e = linalg::approx_symmetric_eigen(m, false);
  REQUIRE(e.has_value());
  return e->values;
}

}  // namespace lt
