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

  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    using ode::lift;
    const int n = d * (d + 1) / 2;
    std::vector<S> A(static_cast<std::size_t>(d * d), S(0));
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        S a = lift<S>(W(i, j));
        for (int m = 0; m < n; ++m) {
          const T& c = C[static_cast<std::size_t>((i * d + j) * n + m)];
          if (is_point(c) && is_member(0.0, c)) continue;  // exact zero coefficient
          a += lift<S>(c) * x(m);
        }
        A[static_cast<std::size_t>(i * d + j)] = a;
      }
    auto sig = [&](int k, int l) -> const S& { return x(vech_index(d, k, l)); };
    for (int i = 0; i < d; ++i)
      for (int j = i; j < d; ++j) {
        S s(0);
        for (int k = 0; k < d; ++k) s += A[static_cast<std::size_t>(i * d + k)] * sig(k, j) + sig(i, k) * A[static_cast<std::size_t>(j * d + k)];
        dx(vech_index(d, i, j)) = s;
      }
  }
};

}  // namespace certiformer::gaussian
