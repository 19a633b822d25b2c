#pragma once
/// certiformer/gaussian/approx.hpp — approximate (NOT rigorous) real linear algebra used to
/// *propose* candidates that the certified code then checks: eigenvectors for Rayleigh
/// quotients, step sizes, Lyapunov weights, Monge maps. Templates over R ∈ {double, MpReal}.
/// Nothing computed here is ever claimed; every `approx_*` result is re-verified in interval
/// arithmetic before it enters a verdict.

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace certiformer::gaussian {

template <class R> using RMat = Eigen::Matrix<R, Eigen::Dynamic, Eigen::Dynamic>;
template <class R> using RVec = Eigen::Matrix<R, Eigen::Dynamic, 1>;

namespace detail {
inline double r_abs(double x) { return std::fabs(x); }
inline MpReal r_abs(const MpReal& x) { return boost::multiprecision::abs(x); }
inline double r_sqrt(double x) { return std::sqrt(x); }
inline MpReal r_sqrt(const MpReal& x) { return boost::multiprecision::sqrt(x); }
inline double r_log(double x) { return std::log(x); }
inline MpReal r_log(const MpReal& x) { return boost::multiprecision::log(x); }
inline double r_exp(double x) { return std::exp(x); }
inline MpReal r_exp(const MpReal& x) { return boost::multiprecision::exp(x); }
template <class R> R r_eps() {
  if constexpr (std::is_same_v<R, double>) return 0x1p-52;
  else return MpReal(boost::multiprecision::ldexp(MpReal(1), -static_cast<int>(mp_precision())));
}
}  // namespace detail

/// Approximate symmetric eigen-decomposition of the symmetric part (a + aᵀ)/2: (eigenvalues
/// ascending, orthonormal eigenvectors as columns). Not rigorous: a thin adapter over the
/// library's one eigen-solver, linalg's `approx_symmetric_eigen` (Eigen in binary64, cyclic
/// Jacobi in MpReal). Non-finite input (where that solver gives up) yields the diagonal and the
/// identity — a poor proposal, still only a proposal.
template <class R> std::pair<RVec<R>, RMat<R>> approx_sym_eig(const RMat<R>& a0) {
  const Eigen::Index n = a0.rows();
  const RMat<R> a = (a0 + a0.transpose()) / R(2);
  if (auto e = linalg::approx_symmetric_eigen(a, true)) return {e->values, e->vectors};
  RVec<R> w(n);
  for (Eigen::Index i = 0; i < n; ++i) w(i) = a(i, i);
  return {w, RMat<R>::Identity(n, n)};
}

/// Approximate solution of a x = b by Gaussian elimination with partial pivoting; a zero pivot
/// is replaced by a tiny number (the result is a proposal, not a claim).
template <class R> RMat<R> approx_solve(RMat<R> a, RMat<R> b) {
  using detail::r_abs;
  const Eigen::Index n = a.rows();
  for (Eigen::Index k = 0; k < n; ++k) {
    Eigen::Index p = k;
    for (Eigen::Index i = k + 1; i < n; ++i)
      if (r_abs(a(i, k)) > r_abs(a(p, k))) p = i;
    if (p != k) {
      a.row(k).swap(a.row(p));
      b.row(k).swap(b.row(p));
    }
    if (a(k, k) == R(0)) a(k, k) = detail::r_eps<R>() * detail::r_eps<R>();
    for (Eigen::Index i = k + 1; i < n; ++i) {
      const R f = a(i, k) / a(k, k);
      if (f == R(0)) continue;
      for (Eigen::Index j = k; j < n; ++j) a(i, j) -= f * a(k, j);
      for (Eigen::Index j = 0; j < b.cols(); ++j) b(i, j) -= f * b(k, j);
    }
  }
  for (Eigen::Index k = n - 1; k >= 0; --k) {
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      R s = b(k, j);
      for (Eigen::Index i = k + 1; i < n; ++i) s -= a(k, i) * b(i, j);
      b(k, j) = s / a(k, k);
    }
  }
  return b;
}

/// Approximate smallest eigenpair (λ, unit u) of a symmetric matrix: approx_sym_eig in double
/// for the start, then (for R = MpReal) Rayleigh-shifted inverse iteration at full precision so that λ
/// is accurate even when |λ| ≪ ‖a‖ · 2^-53.
template <class R> std::pair<R, RVec<R>> approx_min_eigenpair(const RMat<R>& a) {
  const Eigen::Index n = a.rows();
  RMat<double> ad(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) ad(i, j) = approx_double(a(i, j));
  auto [wd, vd] = approx_sym_eig<double>(ad);
  RVec<R> u(n);
  for (Eigen::Index i = 0; i < n; ++i) u(i) = R(vd(i, 0));
  R lam = u.dot(a * u);
  if constexpr (!std::is_same_v<R, double>) {
    const RMat<R> sym = (a + a.transpose()) / R(2);
    for (int it = 0; it < 3; ++it) {
      RMat<R> s = sym;
      for (Eigen::Index i = 0; i < n; ++i) s(i, i) -= lam;
      RVec<R> y = approx_solve<R>(s, RMat<R>(u)).col(0);
      const R nrm = detail::r_sqrt(y.dot(y));
      if (!(nrm > R(0))) break;
      u = y / nrm;
      lam = u.dot(sym * u);
    }
  } else {
    lam = wd(0);
  }
  return {lam, u};
}

/// f(a) = V f(Λ) Vᵀ for symmetric a (approximate); f must accept R.
template <class R, class F> RMat<R> approx_sym_function(const RMat<R>& a, F f) {
  auto [w, v] = approx_sym_eig<R>(a);
  RMat<R> d = RMat<R>::Zero(a.rows(), a.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i) d(i, i) = f(w(i));
  return v * d * v.transpose();
}

/// Approximate solution G of Aᵀ G + G A = Q (vectorised d²×d² system). Symmetrised.
template <class R> RMat<R> approx_lyapunov(const RMat<R>& A, const RMat<R>& Q) {
  const Eigen::Index d = A.rows();
  RMat<R> K = RMat<R>::Zero(d * d, d * d);
  // column-major vec: vec(Aᵀ G) = (I ⊗ Aᵀ) vec G, vec(G A) = (Aᵀ ⊗ I) vec G
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) {
      const Eigen::Index row = j * d + i;
      for (Eigen::Index k = 0; k < d; ++k) {
        K(row, j * d + k) += A(k, i);  // (Aᵀ G)_{ij} = Σ_k A_{ki} G_{kj}
        K(row, k * d + i) += A(k, j);  // (G A)_{ij} = Σ_k G_{ik} A_{kj}
      }
    }
  RMat<R> q(d * d, 1);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) q(j * d + i, 0) = Q(i, j);
  RMat<R> x = approx_solve<R>(K, q);
  RMat<R> G(d, d);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) G(i, j) = x(j * d + i, 0);
  return (G + G.transpose()) / R(2);
}

/// Approximate matrix exponential (scaling and squaring, Taylor) — a proposal only.
template <class R> RMat<R> approx_expm(const RMat<R>& a) {
  const Eigen::Index n = a.rows();
  R nrm(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    R s(0);
    for (Eigen::Index j = 0; j < n; ++j) s += detail::r_abs(a(i, j));
    if (s > nrm) nrm = s;
  }
  int sq = 0;
  while (nrm > R(0.5)) {
    nrm /= R(2);
    ++sq;
  }
  RMat<R> x = a;
  for (int i = 0; i < sq; ++i) x /= R(2);
  RMat<R> term = RMat<R>::Identity(n, n), sum = term;
  const R eps = detail::r_eps<R>();
  for (int k = 1; k < 400; ++k) {
    term = (term * x) / R(k);
    sum += term;
    R m(0);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j) m = std::max<R>(m, detail::r_abs(term(i, j)));
    if (m <= eps * R(1e-3)) break;
  }
  for (int i = 0; i < sq; ++i) sum = sum * sum;
  return sum;
}

}  // namespace certiformer::gaussian
