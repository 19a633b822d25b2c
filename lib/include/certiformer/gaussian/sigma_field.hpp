#pragma once
/// certiformer/gaussian/sigma_field.hpp — the covariance ODE Σ' = A(Σ)Σ + ΣA(Σ)ᵀ as a vector
/// field for the validated integrator (ode/integrator.hpp), on the d(d+1)/2 unknowns
/// x = vech(Σ) (upper triangle, row by row: (0,0), (0,1), …, (0,d−1), (1,1), …).
///
/// A(Σ) = W + β Σ_h V_h Σ B_h is linear in Σ: A_ij = W_ij + Σ_{k≤l} x_kl C_ij,kl with the constants
/// C_ij,kl = β Σ_h (V_h(i,k) B_h(l,j) + [k≠l] V_h(i,l) B_h(k,j)) enclosed once from the model
/// enclosure. The field is a straight-line polynomial (inclusion principle for every scalar the
/// engine uses); the mean does not enter Σ'.

#include "certiformer/gaussian/model.hpp"
#include "certiformer/ode/field.hpp"

#include <vector>

namespace certiformer::gaussian {

/// Index of Σ_kl (k ≤ l) in vech(Σ).
inline int vech_index(int d, int k, int l) {
  if (k > l) std::swap(k, l);
  return k * d - k * (k - 1) / 2 + (l - k);
}

/// Writes vech(S) to x(off + vech_index(d, i, j)), i ≤ j. For an interval matrix the entry is the
/// hull of S_ij and S_ji (both enclose the same entry of the exact symmetric matrix).
template <class T> void pack_vech(const Mat<T>& S, Vec<T>& x, Eigen::Index off = 0) {
  const int d = static_cast<int>(S.rows());
  for (int i = 0; i < d; ++i)
    for (int j = i; j < d; ++j) x(off + vech_index(d, i, j)) = convex_hull(S(i, j), S(j, i));
}

/// The symmetric d×d matrix whose upper triangle is x(off + vech_index(d, i, j)), each entry
/// passed through `conv` (e.g. a conversion to another interval type).
template <class U, class V, class F> Mat<U> unpack_vech(int d, const Vec<V>& x, Eigen::Index off, F conv) {
  Mat<U> S(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = i; j < d; ++j) S(i, j) = S(j, i) = conv(x(off + vech_index(d, i, j)));
  return S;
}

template <class T> struct SigmaField {
  int d = 0;
  Mat<T> W;
  /// C[(i*d + j) * n + m] = coefficient of x_m in A_ij.
  std::vector<T> C;

  explicit SigmaField(const Model<T>& m) : d(m.dim), W(m.W) {
    const int n = d * (d + 1) / 2;
    C.assign(static_cast<std::size_t>(d * d * n), T(0));
    for (std::size_t h = 0; h < m.V.size(); ++h)
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j)
          for (int k = 0; k < d; ++k)
            for (int l = 0; l < d; ++l) {
              // Σ_kl multiplies V(i,k) B(l,j); vech stores Σ_kl = Σ_lk once.
              C[static_cast<std::size_t>((i * d + j) * n + vech_index(d, k, l))] += m.beta * m.V[h](i, k) * m.B[h](l, j);
            }
  }
  Eigen::Index dimension() const { return d * (d + 1) / 2; }

  /// A(Σ) = W + β Σ_h V_h Σ B_h (row-major d×d) from vech(Σ) stored at x(off), x(off + 1), ….
  template <class S> std::vector<S> attention_matrix(const Vec<S>& x, Eigen::Index off = 0) const {
    using ode::lift;
    const int n = d * (d + 1) / 2;
    std::vector<S> A(static_cast<std::size_t>(d * d), S(0));
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        S a = lift<S>(W(i, j));
        for (int m = 0; m < n; ++m) {
          const T& c = C[static_cast<std::size_t>((i * d + j) * n + m)];
          if (is_point(c) && is_member(0.0, c)) continue;  // exact zero coefficient
          a += lift<S>(c) * x(off + m);
        }
        A[static_cast<std::size_t>(i * d + j)] = a;
      }
    return A;
  }

  /// vech(A Σ + Σ Aᵀ) written to dx(doff), … from vech(Σ) at x(off), ….
  template <class S>
  void covariance_rhs(const std::vector<S>& A, const Vec<S>& x, Eigen::Index off, Vec<S>& dx, Eigen::Index doff) const {
    auto sig = [&](int k, int l) -> const S& { return x(off + vech_index(d, k, l)); };
    for (int i = 0; i < d; ++i)
      for (int j = i; j < d; ++j) {
        S s(0);
        for (int k = 0; k < d; ++k) s += A[static_cast<std::size_t>(i * d + k)] * sig(k, j) + sig(i, k) * A[static_cast<std::size_t>(j * d + k)];
        dx(doff + vech_index(d, i, j)) = s;
      }
  }

  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    covariance_rhs(attention_matrix(x, 0), x, 0, dx, 0);
  }
};

/// The covariance ODE compactified at infinity (docs/gaussian.md §4, "General V: two-sided"),
/// on the state z = (vech Ŝ, r, t) ∈ R^{d(d+1)/2 + 2} with the new time τ:
///     A_r(Ŝ) := r W + β Σ_h V_h Ŝ B_h,     G(Ŝ, r) := A_r Ŝ + Ŝ A_rᵀ,     g := tr G(Ŝ, r),
///     dŜ/dτ = G − g Ŝ,     dr/dτ = −r g,     dt/dτ = r.
/// If (Ŝ, r, t) solves this with r(τ0) > 0 then Σ := Ŝ/r solves Σ' = A(Σ)Σ + ΣA(Σ)ᵀ in the time t
/// (dΣ/dτ = G/r = r·F(Σ) = F(Σ)·dt/dτ, because G(Ŝ, r) = r²F(Ŝ/r): the W-part of F is linear and
/// the attention part homogeneous quadratic). r = 0 is invariant, so r keeps its sign; tr Ŝ = 1 is
/// invariant (d(tr Ŝ)/dτ = (1 − tr Ŝ) g). Starting from Ŝ = Σ0/tr Σ0, r = 1/tr Σ0, t = 0, the
/// solution is Ŝ = Σ(t)/tr Σ(t), r = 1/tr Σ(t) with t = t(τ), for every τ ≥ 0 (no singularity at the
/// blow-up of Σ: it is τ → ∞ with r → 0). A straight-line polynomial field.
template <class T> struct CompactSigmaField {
  SigmaField<T> quad;  ///< the attention part (W = 0)
  Mat<T> W;

  static Model<T> without_W(Model<T> m) {
    m.W = Mat<T>::Constant(m.dim, m.dim, T(0));
    return m;
  }
  explicit CompactSigmaField(const Model<T>& m) : quad(without_W(m)), W(m.W) {}
  /// d(d+1)/2 entries of vech Ŝ, then r, then t.
  Eigen::Index dimension() const { return quad.dimension() + 2; }

  /// Writes vech G(Ŝ, r) to dx(0), …, dx(n − 1) (dx of size ≥ n) and returns g = tr G.
  template <class S> S rate(const Vec<S>& x, Vec<S>& dx) const {
    using ode::lift;
    const int d = quad.d;
    const Eigen::Index n = quad.dimension();
    std::vector<S> A = quad.attention_matrix(x, 0);
    const S& r = x(n);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        const T& w = W(i, j);
        if (is_point(w) && is_member(0.0, w)) continue;  // exact zero entry
        A[static_cast<std::size_t>(i * d + j)] += lift<S>(w) * r;
      }
    quad.covariance_rhs(A, x, 0, dx, 0);
    S g = dx(vech_index(d, 0, 0));
    for (int i = 1; i < d; ++i) g += dx(vech_index(d, i, i));
    return g;
  }
  /// g = tr G(Ŝ, r) alone (x needs the n + 1 entries vech Ŝ, r).
  template <class S> S rate(const Vec<S>& x) const {
    Vec<S> tmp(quad.dimension());
    return rate(x, tmp);
  }

  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    const Eigen::Index n = quad.dimension();
    const S g = rate(x, dx);
    for (Eigen::Index k = 0; k < n; ++k) dx(k) -= x(k) * g;
    dx(n) = -(x(n) * g);
    dx(n + 1) = x(n);
  }
};

/// The full moment ODE (docs/mathematics.md §3) on the state (m, vech Σ) ∈ R^{d + d(d+1)/2}:
///     m' = (Σ_h V_h + A(Σ)) m + b,    Σ' = A(Σ)Σ + ΣA(Σ)ᵀ,   A(Σ) = W + β Σ_h V_h Σ B_h.
/// A straight-line polynomial field (inclusion principle for every scalar of the ODE engine), so
/// `ode::enclose_flow(MomentField<T>(model), 0, moment_state(x0), T)` encloses the exact moments
/// of the mean-field Gaussian solution on [0, T] for any V_h (not only the information form).
template <class T> struct MomentField {
  SigmaField<T> sigma;
  Mat<T> Vsum;  ///< Σ_h V_h
  Vec<T> b;

  explicit MomentField(const Model<T>& m) : sigma(m), Vsum(Mat<T>::Constant(m.dim, m.dim, T(0))), b(m.b) {
    for (const auto& V : m.V) Vsum += V;
  }
  Eigen::Index dimension() const { return sigma.d + sigma.dimension(); }

  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    using ode::lift;
    const int d = sigma.d;
    const std::vector<S> A = sigma.attention_matrix(x, d);
    for (int i = 0; i < d; ++i) {
      S s = lift<S>(b(i));
      for (int j = 0; j < d; ++j) s += (lift<S>(Vsum(i, j)) + A[static_cast<std::size_t>(i * d + j)]) * x(j);
      dx(i) = s;
    }
    sigma.covariance_rhs(A, x, d, dx, d);
  }
};

}  // namespace certiformer::gaussian
