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

namespace certiformer::gaussian {

/// One piece [t0, t1] of a piecewise-constant control with attention switched off (H = 0): the
/// FFN is x ↦ W x + b there, so m' = Wm + b, Σ' = WΣ + ΣWᵀ and the piece maps
/// Σ ↦ e^{Wh}Σe^{Wᵀh} (h = t1 − t0).
struct ReachPiece {
  enum class Kind {
    nilpotent,  ///< W = N/h with N exactly rational and N^d = 0: e^{Wh} = Σ_{j<d} N^j/j! (exact)
    scale,      ///< W = diag(ln σ_i)/h with σ_i = √(sigma_sq_i) > 0: e^{Wh} = diag(σ_i) (exact reals)
    translate   ///< W = 0, constant bias b (the last piece): m ↦ m + h b
  };
  Kind kind = Kind::nilpotent;
  Rational t0{0}, t1{0};
  RMatrix N;                       ///< nilpotent: W·h (d×d)
  std::vector<Rational> sigma_sq;  ///< scale: σ_i² (positive rationals)
  std::string role;                ///< what the piece does ("L0^-1", "quarter turn (i, j)", …)
};

template <class T> struct ExactReachResult {
  /// proved ⇒ with the controls below (exact real numbers), the moment flow from (m0, Σ0) ends at
  /// exactly m(T) = m1, Σ(T) = Σ1.
  Verdict verdict = Verdict::unknown("not computed");
  int rank = 0;
  std::vector<ReachPiece> pieces;
  /// Enclosures of each piece's W (same order as pieces) and of the bias b of the last piece
  /// (b = 0 on the other pieces).
  std::vector<Mat<T>> W;
  Vec<T> b;
  /// Independent cross-check: the terminal moments enclosed by verified exponentials e^{W_k h}
  /// of the enclosed controls (contains (m1, Σ1) when the construction is right).
  Vec<T> mean_T;
  Mat<T> cov_T;
  bool cross_check_contains_target = false;
};

/// Exact finite-time reachability of a target Gaussian of the same rank r ≤ d with
/// piecewise-constant controls (attention off).
/// Encloses: W, b, mean_T, cov_T as documented in ExactReachResult.
/// Assumes: nothing (the claim is about the returned exact controls).
/// Checks (exactly, SpecError naming the field): equal dimensions; covariances symmetric PSD;
///   equal rank ("target.cov": rank is invariant under the flow); horizon > 0. Then, in exact
///   rational arithmetic: N^d = 0 for every nilpotent piece; B Σ0 Bᵀ = Y is diagonal with
///   Y_ii > 0 exactly where D1_ii > 0 (B the product of the nilpotent pieces before the scaling);
///   σ_i² Y_ii = D1_ii; A D1 Aᵀ = Σ1 (A the product after it).
/// Failure: unknown with the reason if an exact check fails (an internal error of the
///   construction; never expected).
/// Method: exact LDLᵀ without pivoting (valid for PSD: a zero pivot has a zero column)
///   Σ0 = L0 D0 L0ᵀ, Σ1 = L1 D1 L1ᵀ (L unit lower triangular, D ≥ 0 diagonal, rank r pivots
///   > 0). Pieces (each of length T/K): e^{N} = L0⁻¹ with N = log(L0⁻¹) (a finite series, L0⁻¹
///   unipotent); quarter turns R_ij = (I + E_ij)(I − E_ji)(I + E_ij) (three shears, E² = 0) that
///   move the zero pattern of D0 onto that of D1 (R D Rᵀ permutes the diagonal); the scaling
///   σ_i = √(D1_ii/Y_ii); e^{N} = L1 with N = log(L1); a translation with
///   b = (m1 − A S B m0)/h. Then Σ(T) = A S (B Σ0 Bᵀ) S Aᵀ = A D1 Aᵀ = Σ1 and m(T) = A S B m0 + h b = m1.
///   Cross-check: the pieces' flows enclosed by `enclose_expm` in T.
template <class T>
ExactReachResult<T> certify_reach_exact(const GaussianSpec& initial, const GaussianSpec& target, const Rational& horizon);

}  // namespace certiformer::gaussian
