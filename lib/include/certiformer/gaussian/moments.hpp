#pragma once
/// certiformer/gaussian/moments.hpp — the moment ODE and the discrete Gaussian moment map.
///
/// docs/mathematics.md §3: if μ = N(m, Σ), the velocity field is affine, v(x) = Σ_h V_h(m + βΣB_h x) + Wx + b,
/// so the flow and every Euler layer map Gaussians to Gaussians:
///     A(Σ) = β Σ_h V_h Σ B_h + W
///     m' = (Σ_h V_h + A(Σ)) m + b,   Σ' = A(Σ)Σ + ΣA(Σ)ᵀ                          (flow)
///     m⁺ = m + ε((Σ_h V_h + A(Σ)) m + b),   Σ⁺ = (I + εA(Σ)) Σ (I + εA(Σ))ᵀ        (one layer)
/// The layer formula is exact for Gaussian input (the layer is the affine map x ↦ x + εv(x)).
///
/// All functions are templates over T ∈ {Interval, MpInterval} (explicitly instantiated in
/// lib/src/gaussian/moments.cpp) and follow the inclusion principle: for every model, mean and
/// covariance in the input enclosures, the exact real result lies in the returned enclosure.
/// The `approx_*` variants run the same formulas in plain double and are not rigorous.

#include "certiformer/gaussian/model.hpp"

#include <vector>

namespace certiformer::gaussian {

template <class T> struct Moments {
  Vec<T> mean;
  Mat<T> cov;
};

/// Encloses: A(Σ) = β Σ_h V_h Σ B_h + W for all data in the enclosures.
/// Assumes: nothing. Checks: shapes. Failure: std::invalid_argument on mismatch.
/// Method: mid-rad products.
template <class T> Mat<T> enclose_attention_matrix(const Model<T>& model, const Mat<T>& cov);

/// Encloses: (m', Σ') of the moment ODE at (m, Σ). Σ' is symmetrised (Σ' ∩ Σ'ᵀ), which is valid
/// when the input Σ is an enclosure of a symmetric matrix.
/// Assumes: the input covariance enclosure contains a symmetric matrix (the true Σ).
/// Checks: shapes. Failure: std::invalid_argument on mismatch.
/// Method: direct evaluation of the formulas above.
template <class T> Moments<T> enclose_moment_rhs(const Model<T>& model, const Moments<T>& x);

/// Encloses: one Euler layer (m⁺, Σ⁺) with step ε, exact for Gaussian input.
/// Assumes: the input covariance enclosure contains a symmetric matrix (the true Σ).
/// Checks: shapes. Failure: std::invalid_argument on mismatch.
/// Method: the formulas above; Σ⁺ symmetrised.
template <class T> Moments<T> enclose_moment_layer(const Model<T>& model, const Moments<T>& x, const T& eps);

/// Encloses: the moments (m_k, Σ_k), k = 0..L, of a depth-L network with ε = T/L (layer k uses
/// the same time-invariant parameters). Returns L + 1 entries (entry 0 is the input).
/// Assumes: the initial covariance enclosure contains a symmetric matrix.
/// Checks: L ≥ 1, shapes. Failure: std::invalid_argument when a check fails.
/// Method: L layer enclosures in sequence
/// (interval wrapping grows with L; widths are reported by the caller, never hidden).
template <class T>
std::vector<Moments<T>> enclose_moment_map(const Model<T>& model, const Moments<T>& initial, const T& horizon, int L);

/// Plain-double (NOT rigorous) versions of the same formulas, and one classical RK4 step of
/// the moment ODE: for consistency tests and proposals only.
Moments<double> approx_moment_rhs(const Model<double>& model, const Moments<double>& x);
Moments<double> approx_moment_layer(const Model<double>& model, const Moments<double>& x, double eps);
Moments<double> approx_moment_rk4(const Model<double>& model, const Moments<double>& x0, double horizon, int steps);

/// Initial moments from an exact Gaussian.
/// Encloses: the exact mean and covariance of g (each rational entry outward rounded).
/// Assumes: nothing. Checks: the mean is a column (enclose_vector).
/// Failure: std::invalid_argument when it is not. Method: enclose_vector / enclose_matrix.
template <class T> Moments<T> enclose_moments(const GaussianSpec& g) {
  return Moments<T>{enclose_vector<T>(g.mean), enclose_matrix<T>(g.cov)};
}

}  // namespace certiformer::gaussian
