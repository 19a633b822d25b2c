#pragma once
/// certiformer/ode/lohner_set.hpp — Lohner's representation of a set against the wrapping effect.
///
/// A `LohnerSet<T>` represents { c + B ρ : ρ ∈ r } with c an exact point (real_t<T> entries),
/// B an exact real matrix, r an interval vector. `lohner_update` moves the set through one step
/// of a map (flow step or discrete map) given in mean-value form:
///     new set ⊇ { y + A ρ : y ∈ Y, ρ ∈ r },        A ⊇ J·B, J ⊇ Jacobian of the map over the
///                                                   hull of the old set, Y ⊇ image of c.
/// (mean-value theorem: g(c + Bρ) = g(c) + (∫₀¹ Dg(c + θBρ) dθ) B ρ, the integral lies in the
/// interval hull J of Dg over the convex hull, which the box hull contains.)
///
/// Encloses: the returned set contains g(x) for every x in the old set (see Method).
/// Assumes: Y and A are enclosures as stated (callers guarantee them).
/// Checks: the verified inverse of the new basis (‖BᵀB − I‖∞ < 1/2); otherwise the basis falls
///   back to the identity (still sound, only wider).
/// Method: c' = mid(Y), s = Y − c' (interval). Basis choice by `Wrapping`:
///   * mean_value: B' = I, r' = s + A r (interval-vector mean-value form);
///   * qr (Lohner 1987, "evaluation 3"): the columns of mid(A) are sorted by decreasing
///     ‖col_j‖·rad(r_j), B' = Q of a QR factorisation (Householder in binary64, modified
///     Gram–Schmidt applied twice for MPFR), and
///         r' = (B'⁻¹ A) r + B'⁻¹ s,
///     with B'⁻¹ enclosed by Bᵀ + [−η m_j, η m_j] (entry i,j), E = B'ᵀB' − I (interval),
///     δ ≥ ‖E‖∞, η = δ/(1 − δ) ≥ ‖(I + E)⁻¹ − I‖∞, m_j = max_k |B'_jk|
///     (B'⁻¹ = (I + E)⁻¹B'ᵀ = B'ᵀ + F B'ᵀ, |F B'ᵀ|_ij ≤ ‖F‖∞ m_j).
///   Then g(x) − c' ∈ s + A ρ, and B'⁻¹(g(x) − c') ∈ B'⁻¹ s + (B'⁻¹A) ρ ⊆ r' (every point matrix
///   M ∈ B'⁻¹, N ∈ A has MN ∈ B'⁻¹A), so g(x) = c' + B'·(B'⁻¹(g(x) − c')) ∈ {c' + B'ρ' : ρ' ∈ r'}.

#include "certiformer/core.hpp"
#include "certiformer/linalg.hpp"

#include <Eigen/QR>

#include <algorithm>
#include <numeric>
#include <vector>

namespace certiformer::ode {

enum class Wrapping {
  box,         ///< no wrapping control: the set is a box, images evaluated directly on boxes
  mean_value,  ///< mean-value form with the identity basis (interval vector r)
  qr,          ///< Lohner's QR-rotated parallelepiped (default)
};

inline const char* to_string(Wrapping w) {
  switch (w) {
    case Wrapping::box: return "box";
    case Wrapping::mean_value: return "mean_value";
    case Wrapping::qr: return "qr";
  }
  return "?";
}

namespace detail {

// [−r, r] and the midpoint vector: linalg::detail::symmetric_interval / mid_vec (one definition).
using certiformer::linalg::detail::mid_vec;
using certiformer::linalg::detail::symmetric_interval;
template <class T> bool all_finite(const Vec<T>& v) {
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!is_bounded(v(i))) return false;
  return true;
}
template <class T> bool all_finite(const Mat<T>& v) {
  for (Eigen::Index j = 0; j < v.cols(); ++j)
    for (Eigen::Index i = 0; i < v.rows(); ++i)
      if (!is_bounded(v(i, j))) return false;
  return true;
}

/// Approximate orthonormal Q with Q·R = M (not rigorous; any Q is fine for soundness because
/// its inverse is enclosed afterwards).
inline Mat<double> approx_orthonormal(const Mat<double>& M) {
  Eigen::HouseholderQR<Mat<double>> qr(M);
  Mat<double> Q = qr.householderQ();
  return Q;
}
inline Mat<MpReal> approx_orthonormal(const Mat<MpReal>& M) {
  // Modified Gram–Schmidt, each column orthogonalised twice; a (near) dependent column is
  // replaced by a unit vector orthogonal to the previous ones.
  const Eigen::Index n = M.rows();
  Mat<MpReal> Q = M;
  for (Eigen::Index j = 0; j < n; ++j) {
    for (int pass = 0; pass < 2; ++pass)
      for (Eigen::Index k = 0; k < j; ++k) {
        MpReal d = 0;
        for (Eigen::Index i = 0; i < n; ++i) d += Q(i, k) * Q(i, j);
        for (Eigen::Index i = 0; i < n; ++i) Q(i, j) -= d * Q(i, k);
      }
    MpReal nrm = 0;
    for (Eigen::Index i = 0; i < n; ++i) nrm += Q(i, j) * Q(i, j);
    nrm = boost::multiprecision::sqrt(nrm);
    if (!(nrm > 0)) {
      for (Eigen::Index i = 0; i < n; ++i) Q(i, j) = (i == j) ? 1 : 0;
      for (int pass = 0; pass < 2; ++pass)
        for (Eigen::Index k = 0; k < j; ++k) {
          MpReal d = 0;
          for (Eigen::Index i = 0; i < n; ++i) d += Q(i, k) * Q(i, j);
          for (Eigen::Index i = 0; i < n; ++i) Q(i, j) -= d * Q(i, k);
        }
      nrm = 0;
      for (Eigen::Index i = 0; i < n; ++i) nrm += Q(i, j) * Q(i, j);
      nrm = boost::multiprecision::sqrt(nrm);
    }
    for (Eigen::Index i = 0; i < n; ++i) Q(i, j) /= nrm;
  }
  return Q;
}

/// Encloses the inverse of a nearly orthogonal exact matrix Q (see the file comment), or returns
/// nothing when ‖QᵀQ − I‖∞ < 1/2 cannot be verified.
template <class T> std::optional<Mat<T>> enclose_orthogonal_inverse(const Mat<real_t<T>>& Q) {
  using R = real_t<T>;
  const Eigen::Index n = Q.rows();
  const Mat<T> Qi = enclose_point<T>(Q);
  const Mat<T> Qt = Qi.transpose();
  Mat<T> E = certiformer::linalg::mul(Qt, Qi);
  for (Eigen::Index i = 0; i < n; ++i) E(i, i) -= T(1);
  const R delta = linalg::upper_bound_norm_inf(E).value();
  if (!(delta < R(0.5))) return std::nullopt;
  const T dI = enclose_point<T>(delta);
  const R eta = sup(dI / (T(1) - dI));
  Mat<T> inv = Qt;
  for (Eigen::Index j = 0; j < n; ++j) {
    R m = 0;
    for (Eigen::Index k = 0; k < n; ++k) {
      R a = Q(j, k) < 0 ? R(-Q(j, k)) : R(Q(j, k));
      if (a > m) m = a;
    }
    const T rad_j = symmetric_interval<T>(sup(enclose_point<T>(eta) * enclose_point<T>(m)));
    for (Eigen::Index i = 0; i < n; ++i) inv(i, j) += rad_j;
  }
  return inv;
}

}  // namespace detail

template <class T>
struct LohnerSet {
  using R = real_t<T>;
  Vec<R> center;   ///< c (exact)
  Mat<R> basis;    ///< B (exact); empty (0×0) means the identity
  Vec<T> r;        ///< ρ ranges over this box

  /// The box {c} + [−rad X, rad X] representation of a box X (identity basis).
  static LohnerSet from_box(const Vec<T>& X) {
    LohnerSet s;
    s.center = detail::mid_vec(X);
    s.r = X - enclose_point<T>(s.center);
    return s;
  }
  bool identity_basis() const { return basis.size() == 0; }
  Eigen::Index dimension() const { return center.size(); }
  /// B as an interval matrix (point entries).
  Mat<T> basis_interval() const {
    if (identity_basis()) {
      const Eigen::Index n = center.size();
      Mat<T> I(n, n);
      for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i) I(i, j) = T(i == j ? 1 : 0);
      return I;
    }
    return enclose_point<T>(basis);
  }
  /// Encloses every point of the set: c + B r in interval arithmetic.
  Vec<T> hull() const {
    const Vec<T> c = enclose_point<T>(center);
    if (identity_basis()) return c + r;
    return c + certiformer::linalg::mul(enclose_point<T>(basis), r);
  }
};

/// See the file comment. `Y` encloses the image of the center, `A` encloses J·B.
/// Returns the new set; `image_hull` (if given) receives a box enclosing the image
/// (the intersection of c' + (s + A r) and the hull of the new set).
template <class T>
LohnerSet<T> lohner_update(const LohnerSet<T>& old, const Vec<T>& Y, const Mat<T>& A, Wrapping wrapping,
                           Vec<T>* image_hull = nullptr) {
  using R = real_t<T>;
  const Eigen::Index n = Y.size();
  LohnerSet<T> s;
  s.center = detail::mid_vec(Y);
  const Vec<T> c = enclose_point<T>(s.center);
  const Vec<T> sy = Y - c;
  const Vec<T> Ar = certiformer::linalg::mul(A, old.r);
  const Vec<T> direct = sy + Ar;  // g(x) − c' ∈ direct
  if (wrapping == Wrapping::qr) {
    // Lohner's column ordering: largest extent first.
    Mat<R> mA = mid(A);
    std::vector<std::pair<double, Eigen::Index>> key(static_cast<std::size_t>(n));
    for (Eigen::Index j = 0; j < n; ++j) {
      double nrm = 0;
      for (Eigen::Index i = 0; i < n; ++i) {
        const double v = approx_double(mA(i, j));
        nrm += v * v;
      }
      key[static_cast<std::size_t>(j)] = {std::sqrt(nrm) * approx_double(rad(old.r(j))), j};
    }
    std::stable_sort(key.begin(), key.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    Mat<R> P(n, n);
    for (Eigen::Index j = 0; j < n; ++j) P.col(j) = mA.col(key[static_cast<std::size_t>(j)].second);
    bool finite = true;
    for (Eigen::Index j = 0; j < n && finite; ++j)
      for (Eigen::Index i = 0; i < n; ++i)
        if (!std::isfinite(approx_double(P(i, j)))) { finite = false; break; }
    if (finite) {
      Mat<R> Q = detail::approx_orthonormal(P);
      bool qfinite = true;
      for (Eigen::Index j = 0; j < n && qfinite; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
          if (!std::isfinite(approx_double(Q(i, j)))) { qfinite = false; break; }
      if (qfinite) {
        if (auto Qinv = detail::enclose_orthogonal_inverse<T>(Q)) {
          s.basis = std::move(Q);
          const Mat<T> QA = certiformer::linalg::mul(*Qinv, A);
          s.r = certiformer::linalg::mul(QA, old.r) + certiformer::linalg::mul(*Qinv, sy);
          if (image_hull) {
            Vec<T> h = c + certiformer::linalg::mul(enclose_point<T>(s.basis), s.r);
            Vec<T> d = c + direct;
            for (Eigen::Index i = 0; i < n; ++i) {
              auto x = intersection(h(i), d(i));
              // both contain the image, so they intersect; disjoint boxes would reveal a bug
              if (!x) throw std::logic_error("lohner_update: the two image enclosures are disjoint");
              h(i) = *x;
            }
            *image_hull = h;
          }
          return s;
        }
      }
    }
    // fall through: identity basis (sound, wider)
  }
  s.r = direct;
  if (image_hull) *image_hull = c + direct;
  return s;
}

}  // namespace certiformer::ode
