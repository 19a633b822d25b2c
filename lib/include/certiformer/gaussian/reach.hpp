#pragma once
/// certiformer/gaussian/reach.hpp — reachability of a target Gaussian (docs/mathematics.md §3).
///
/// Controls (attention switched off, H = 0; FFN x ↦ Wx + b constant on [0, T]):
///   G  = Σ1^{1/2} (Σ1^{1/2} Σ0 Σ1^{1/2})^{-1/2} Σ1^{1/2}   (Monge map: G SPD, G Σ0 G = Σ1)
///   W  = log(G)/T,   so e^{WT} = G and Σ(T) = e^{WT} Σ0 e^{WᵀT} = G Σ0 G = Σ1 (W symmetric);
///   b  = (∫_0^T e^{Wu} du)^{-1} (m1 − e^{WT} m0),   so m(T) = e^{WT} m0 + ∫_0^T e^{Wu} du · b = m1.
/// G, W and b are computed APPROXIMATELY (symmetric eigen-decompositions in MpReal at
/// `control_bits` bits, default 256, independent of T's precision so that a re-derivation at
/// another precision certifies the very same controls) and then treated as exact given data:
/// the certificate is about these exact controls (enclosed in T when T cannot hold them).
/// Certificate: with N = [[W, I], [0, 0]], e^{NT} = [[e^{WT}, ∫_0^T e^{Wu} du], [0, I]] (Van Loan),
/// enclosed by the verified exponential; then
///   Σ(T) = F11 Σ0 F11ᵀ,  m(T) = F11 m0 + F12 b   (the mean ODE is m' = Wm + b with H = 0),
/// and the claims ‖Σ(T) − Σ1‖₂ ≤ δ and ‖m(T) − m1‖₂ ≤ δ are checked with upper bounds of the
/// norms (refuted when a certified lower bound exceeds δ).

#include "certiformer/gaussian/model.hpp"

namespace certiformer::gaussian {

template <class T> struct ReachResult {
  Verdict verdict = Verdict::unknown("not computed");
  /// The controls certified (attention off): FFN matrix W and bias b on [0, T], as exact
  /// numbers (`*_exact`, `control_bits` bits) and their enclosures in T.
  Mat<MpReal> W_exact;
  Vec<MpReal> b_exact;
  Mat<T> W;
  Vec<T> b;
  /// Enclosures of the terminal moments under these controls.
  Vec<T> mean_T;
  Mat<T> cov_T;
  /// Upper bounds of ‖m(T) − m1‖₂ and ‖Σ(T) − Σ1‖₂.
  real_t<T> mean_error{0}, cov_error{0};
};

/// Constructs steering controls and certifies the terminal moments.
/// Encloses: mean_T ∋ m(T), cov_T ∋ Σ(T) of the moment flow with the returned exact controls.
/// Assumes: nothing (the controls are data; how they were found does not matter).
/// Checks (exactly, SpecError naming the field): equal dimensions; both covariances symmetric
///   and positive semi-definite; equal rank ("target.cov": rank mismatch — rank is invariant);
///   full rank (singular covariances are refused in this version); horizon > 0; delta > 0.
/// Failure: unknown if the errors cannot be certified ≤ δ (too small δ for the precision), or
///   refuted if an error is certainly > δ.
/// Method: see the file comment.
template <class T>
ReachResult<T> certify_reach(const GaussianSpec& initial, const GaussianSpec& target, const Rational& horizon,
                             const Rational& delta, unsigned control_bits = 256);

}  // namespace certiformer::gaussian
