// Approximate (non-rigorous) linear algebra; see linalg/approx.hpp.
#include "certiformer/linalg/approx.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>

namespace certiformer::linalg {

namespace {
using Eigen::Index;
namespace bmp = boost::multiprecision;

bool all_finite(const Mat<double>& m) { return m.allFinite(); }
bool all_finite(const Mat<MpReal>& m) {
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < m.rows(); ++i)
      if (!mpfr_number_p(m(i, j).backend().data())) return false;
  return true;
}
bool is_finite(const MpReal& v) { return mpfr_number_p(v.backend().data()) != 0; }

/// eps of the MpReal default precision.
MpReal mp_eps() {
  MpReal e(1);
  mpfr_div_2ui(e.backend().data(), e.backend().data(), mpfr_get_prec(e.backend().data()), MPFR_RNDN);
  return e;
}

template <class R>
void sort_ascending(Vec<R>& values, Mat<R>& vectors, bool with_vectors) {
  const Index n = values.size();
  std::vector<Index> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), Index(0));
  std::stable_sort(idx.begin(), idx.end(), [&](Index a, Index b) { return values(a) < values(b); });
  Vec<R> v(n);
  Mat<R> x(with_vectors ? n : 0, with_vectors ? n : 0);
  for (Index k = 0; k < n; ++k) {
    v(k) = values(idx[static_cast<std::size_t>(k)]);
    if (with_vectors)
      for (Index i = 0; i < n; ++i) x(i, k) = vectors(i, idx[static_cast<std::size_t>(k)]);
  }
  values = std::move(v);
  vectors = std::move(x);
}
}  // namespace

// ---- double: Eigen --------------------------------------------------------------------------
std::optional<Mat<double>> approx_inverse(const Mat<double>& M) {
  if (M.rows() != M.cols() || !all_finite(M)) return std::nullopt;
  if (M.rows() == 0) return Mat<double>(0, 0);
  Eigen::PartialPivLU<Mat<double>> lu(M);
  const auto& LU = lu.matrixLU();
  for (Index i = 0; i < LU.rows(); ++i)
    if (LU(i, i) == 0.0) return std::nullopt;
  Mat<double> R = lu.inverse();
  if (!all_finite(R)) return std::nullopt;
  return R;
}

std::optional<Mat<double>> approx_cholesky(const Mat<double>& M) {
  if (M.rows() != M.cols() || !all_finite(M)) return std::nullopt;
  Eigen::LLT<Mat<double>> llt(M);
  if (llt.info() != Eigen::Success) return std::nullopt;
  Mat<double> L = llt.matrixL();
  for (Index i = 0; i < L.rows(); ++i)
    if (!(L(i, i) > 0.0)) return std::nullopt;
  if (!all_finite(L)) return std::nullopt;
  return L;
}

std::optional<ApproxSymEig<double>> approx_symmetric_eigen(const Mat<double>& M, bool vectors) {
  if (M.rows() != M.cols() || !all_finite(M)) return std::nullopt;
  ApproxSymEig<double> r;
  if (M.rows() == 0) return r;
  Eigen::SelfAdjointEigenSolver<Mat<double>> es(M, vectors ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
  if (es.info() != Eigen::Success) return std::nullopt;
  r.values = es.eigenvalues();
  if (vectors) r.vectors = es.eigenvectors();
  if (!r.values.allFinite() || (vectors && !r.vectors.allFinite())) return std::nullopt;
  sort_ascending(r.values, r.vectors, vectors);
  return r;
}

// ---- MpReal: hand-written -------------------------------------------------------------------
std::optional<Mat<MpReal>> approx_inverse(const Mat<MpReal>& M) {
  const Index n = M.rows();
  if (M.cols() != n || !all_finite(M)) return std::nullopt;
  Mat<MpReal> A = M;
  Mat<MpReal> X(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) X(i, j) = MpReal(i == j ? 1 : 0);
  for (Index c = 0; c < n; ++c) {
    Index p = c;
    MpReal best = bmp::abs(A(c, c));
    for (Index i = c + 1; i < n; ++i) {
      MpReal v = bmp::abs(A(i, c));
      if (v > best) { best = v; p = i; }
    }
    if (best == 0) return std::nullopt;
    if (p != c) { A.row(p).swap(A.row(c)); X.row(p).swap(X.row(c)); }
    const MpReal piv = A(c, c);
    for (Index j = 0; j < n; ++j) { A(c, j) /= piv; X(c, j) /= piv; }
    for (Index i = 0; i < n; ++i) {
      if (i == c || A(i, c) == 0) continue;
      const MpReal f = A(i, c);
      for (Index j = 0; j < n; ++j) {
        A(i, j) -= f * A(c, j);
        X(i, j) -= f * X(c, j);
      }
    }
  }
  if (!all_finite(X)) return std::nullopt;
  return X;
}

std::optional<Mat<MpReal>> approx_cholesky(const Mat<MpReal>& M) {
  const Index n = M.rows();
  if (M.cols() != n || !all_finite(M)) return std::nullopt;
  Mat<MpReal> L(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) L(i, j) = MpReal(0);
  for (Index j = 0; j < n; ++j) {
    MpReal d = M(j, j);
    for (Index k = 0; k < j; ++k) d -= L(j, k) * L(j, k);
    if (!(d > 0)) return std::nullopt;
    L(j, j) = bmp::sqrt(d);
    for (Index i = j + 1; i < n; ++i) {
      MpReal s = M(i, j);
      for (Index k = 0; k < j; ++k) s -= L(i, k) * L(j, k);
      L(i, j) = s / L(j, j);
    }
  }
  if (!all_finite(L)) return std::nullopt;
  return L;
}

std::optional<ApproxSymEig<MpReal>> approx_symmetric_eigen(const Mat<MpReal>& M, bool vectors) {
  const Index n = M.rows();
  if (M.cols() != n || !all_finite(M)) return std::nullopt;
  ApproxSymEig<MpReal> r;
  if (n == 0) return r;

  // Starting basis: binary64 eigenvectors when M fits in binary64, re-orthonormalised in MpReal.
  Mat<MpReal> X(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) X(i, j) = MpReal(i == j ? 1 : 0);
  {
    Mat<double> Md(n, n);
    bool ok = true;
    for (Index j = 0; j < n && ok; ++j)
      for (Index i = 0; i < n; ++i) {
        Md(i, j) = mpfr_get_d(M(i, j).backend().data(), MPFR_RNDN);
        if (!std::isfinite(Md(i, j)) || std::fabs(Md(i, j)) > 0x1p500 ||
            (Md(i, j) != 0.0 && std::fabs(Md(i, j)) < 0x1p-500)) { ok = false; break; }
      }
    if (ok) {
      auto e = approx_symmetric_eigen(Md, true);
      if (e) {
        for (Index j = 0; j < n; ++j)
          for (Index i = 0; i < n; ++i) X(i, j) = MpReal(e->vectors(i, j));
        // Modified Gram–Schmidt, twice.
        for (int pass = 0; pass < 2; ++pass)
          for (Index j = 0; j < n; ++j) {
            for (Index i = 0; i < j; ++i) {
              MpReal d(0);
              for (Index k = 0; k < n; ++k) d += X(k, i) * X(k, j);
              for (Index k = 0; k < n; ++k) X(k, j) -= d * X(k, i);
            }
            MpReal nn(0);
            for (Index k = 0; k < n; ++k) nn += X(k, j) * X(k, j);
            nn = bmp::sqrt(nn);
            if (!(nn > 0)) return std::nullopt;
            for (Index k = 0; k < n; ++k) X(k, j) /= nn;
          }
      }
    }
  }
  // A = Xᵀ M X (symmetrised).
  Mat<MpReal> MX(n, n), A(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) {
      MpReal s(0);
      for (Index k = 0; k < n; ++k) s += M(i, k) * X(k, j);
      MX(i, j) = s;
    }
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i <= j; ++i) {
      MpReal s(0);
      for (Index k = 0; k < n; ++k) s += X(k, i) * MX(k, j);
      A(i, j) = s;
      A(j, i) = s;
    }
  // Cyclic Jacobi (Golub & Van Loan, Alg. 8.5.3): A ← JᵀAJ, V ← VJ.
  Mat<MpReal> V(n, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) V(i, j) = MpReal(i == j ? 1 : 0);
  const MpReal eps = mp_eps();
  bool converged = (n == 1);
  for (int sweep = 0; sweep < 60 && !converged; ++sweep) {
    MpReal off(0), total(0);
    for (Index j = 0; j < n; ++j)
      for (Index i = 0; i < n; ++i) {
        const MpReal a2 = A(i, j) * A(i, j);
        total += a2;
        if (i != j) off += a2;
      }
    const MpReal tol = eps * MpReal(static_cast<long>(n));
    if (off <= tol * tol * total) { converged = true; break; }
    for (Index p = 0; p < n - 1; ++p)
      for (Index q = p + 1; q < n; ++q) {
        if (A(p, q) == 0) continue;
        const MpReal tau = (A(q, q) - A(p, p)) / (2 * A(p, q));
        const MpReal t = (tau >= 0 ? MpReal(1) : MpReal(-1)) / (bmp::abs(tau) + bmp::sqrt(1 + tau * tau));
        const MpReal c = 1 / bmp::sqrt(1 + t * t);
        const MpReal s = t * c;
        for (Index k = 0; k < n; ++k) {  // columns p, q
          const MpReal akp = A(k, p), akq = A(k, q);
          A(k, p) = c * akp - s * akq;
          A(k, q) = s * akp + c * akq;
        }
        for (Index k = 0; k < n; ++k) {  // rows p, q
          const MpReal apk = A(p, k), aqk = A(q, k);
          A(p, k) = c * apk - s * aqk;
          A(q, k) = s * apk + c * aqk;
        }
        A(p, q) = 0;
        A(q, p) = 0;
        if (vectors)
          for (Index k = 0; k < n; ++k) {
            const MpReal vkp = V(k, p), vkq = V(k, q);
            V(k, p) = c * vkp - s * vkq;
            V(k, q) = s * vkp + c * vkq;
          }
      }
  }
  // No convergence within 60 sweeps still leaves a (poorer) approximation: it is only a guess,
  // and the certified callers verify whatever they get.
  r.values.resize(n);
  for (Index i = 0; i < n; ++i) r.values(i) = A(i, i);
  if (vectors) {
    r.vectors.resize(n, n);
    for (Index j = 0; j < n; ++j)
      for (Index i = 0; i < n; ++i) {
        MpReal s(0);
        for (Index k = 0; k < n; ++k) s += X(i, k) * V(k, j);
        r.vectors(i, j) = s;
      }
  }
  for (Index i = 0; i < n; ++i)
    if (!is_finite(r.values(i))) return std::nullopt;
  sort_ascending(r.values, r.vectors, vectors);
  return r;
}

}  // namespace certiformer::linalg
