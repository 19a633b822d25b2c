#pragma once
/// certiformer/gaussian/classify.hpp — equilibria, stability and the classification of a
/// time-invariant parameter set (docs/mathematics.md §3, "Equilibria and stability").
///
/// Information form (V_h = v_h I). P* solves the Lyapunov equation Wᵀ P* + P* W = −R.
///  * Stability of the P-flow: `certify_hurwitz(−W)` proves, with a point SPD matrix G, that
///    Q := −((−W)ᵀG + G(−W)) = WᵀG + GW is positive definite for every W in the enclosure.
///    Then for x' = −Wx, d/dt xᵀGx = −xᵀQx ≤ −γ|x|² ≤ −(γ/g_max) xᵀGx, so
///        ‖e^{−Wt}‖₂ ≤ √κ e^{−αt},   α = γ/(2 g_max),  κ = g_max/g_min,
///    and every eigenvalue of W has real part ≥ α > 0 (an eigenvector x of W gives
///    e^{−Wt}x = e^{−λt}x).
///  * P(t) − P* = e^{−Wᵀt}(P(0) − P*)e^{−Wt}, so ‖P(t) − P*‖₂ ≤ κ e^{−2αt} ‖P0 − P*‖₂.
///  * converges: P* certified SPD with λ_min(P*) ≥ p > 0; t_c := ln(2κ‖P0 − P*‖/p)/(2α) (0 if
///    negative); P(t) certified SPD on [0, t_c] by the slab covering of blowup.hpp; for t ≥ t_c,
///    λ_min(P(t)) ≥ p/2. Hence Σ(t) exists for all t ≥ 0 and, for t ≥ t_c,
///        ‖Σ(t) − Σ*‖₂ ≤ C e^{−2αt},   C = 2κ‖P0 − P*‖₂ / p²,   Σ* = P*⁻¹ (enclosed).
///  * blowup: either found by the covering on [0, horizon], or — when a point u with
///    uᵀP*u < 0 is certified — at the latest by t_b with κ e^{−2αt_b}‖P0 − P*‖|u|² < |uᵀP*u|,
///    then located by the covering on [0, t_b].
///  * bounded_on_horizon: P(t) certified SPD on [0, horizon] and neither of the above.
/// General V. Equilibria of F(Σ) = A(Σ)Σ + ΣA(Σ)ᵀ on the d(d+1)/2 unknowns (upper triangle):
///  Krawczyk operator K(X) = x̃ − Y F(x̃) + (I − Y J(X))(X − x̃) ⊂ int(X) ⇒ exactly one zero in X
///  (J(X) the interval Jacobian over hull(X, x̃), Y ≈ mid J(x̃)⁻¹; the library's one Krawczyk
///  test, `certify_zero_near` of linalg/krawczyk.hpp); local exponential stability by
///  `certify_hurwitz(J(K))` over the equilibrium's enclosure K (every Jacobian there is Hurwitz
///  with a common G). The
///  trajectory from Σ0 is NOT claimed to converge for general V; the classification reports
///  the comparison bound (blowup.hpp) and attaches the equilibrium.

#include "certiformer/gaussian/blowup.hpp"
#include "certiformer/gaussian/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace certiformer::gaussian {

template <class T> struct HurwitzCertificate {
  Verdict verdict = Verdict::unknown("not computed");
  /// When proved: ‖e^{Jt}‖₂ ≤ √kappa · e^{−rate·t} for every J in the enclosure and t ≥ 0
  /// (rate > 0), so every eigenvalue of every such J has real part ≤ −rate.
  real_t<T> rate{0};
  real_t<T> kappa{0};
  /// The Lyapunov weight G used (exact point matrix, SPD certified).
  Mat<real_t<T>> G;
};

/// Certifies that every real matrix in the interval matrix J is Hurwitz.
/// Encloses: nothing; see HurwitzCertificate.
/// Assumes: nothing. Checks: G ≈ solution of J̃ᵀG + GJ̃ = −I (approximate, then exact point),
///   linalg::certify_spd(G), linalg::certify_spd(−(JᵀG + GJ)) in interval arithmetic.
/// Failure: unknown with the reason (approximate Lyapunov solve failed, a check not proved).
/// Method: quadratic Lyapunov function; rate = γ/(2 g_max), kappa = g_max/g_min with γ, g_min
///   certified lower bounds of λ_min(Q), λ_min(G), and g_max an upper bound of λ_max(G).
template <class T> HurwitzCertificate<T> certify_hurwitz(const Mat<T>& J);

/// Encloses: the unique solution P* of WᵀP + PW = −R for every W, R in the enclosures.
/// Assumes: nothing beyond the inclusion principle (W, R any enclosures, d×d).
/// Checks: certify_solve on the vectorised d²×d² system (proves it nonsingular).
/// Failure: nullopt when the verified solve is not proved.
/// Method: column-major vec: (I⊗Wᵀ + Wᵀ⊗I) vec P = −vec R solved by linalg certify_solve.
template <class T> std::optional<Mat<T>> enclose_lyapunov_solution(const Mat<T>& W, const Mat<T>& R);

enum class Regime { blowup, converges, bounded_on_horizon, unknown };
std::string_view to_string(Regime r) noexcept;
/// The exact statement a Classification with this regime proves (for certificates and `check`).
/// A blow-up regime is a statement about all t ≥ 0: its bracket may lie beyond the horizon.
std::string_view regime_statement(Regime r) noexcept;

template <class T> struct EquilibriumResult {
  /// proved ⇒ exactly one zero of F in the box `cov` (as vech), and it is `cov`-enclosed.
  Verdict exists = Verdict::unknown("not computed");
  /// proved ⇒ every symmetric matrix in `cov` is positive definite.
  Verdict positive_definite = Verdict::unknown("not computed");
  /// proved ⇒ the equilibrium is locally exponentially stable (Jacobian Hurwitz on the box).
  HurwitzCertificate<T> stability;
  Mat<T> cov;
};

/// Equilibrium of the general Σ-ODE near `guess` (any V).
/// Encloses: Σ* ∈ cov with F(Σ*) = 0, unique in the box (Krawczyk).
/// Assumes: `guess` is only a starting point (its quality affects success, not soundness).
/// Checks: shapes (SpecError); Krawczyk inclusion; certify_spd; certify_hurwitz.
/// Failure: verdicts unknown with the reason.
/// Method: Newton polish of the guess in real_t<T> arithmetic, then `certify_zero_near`
///   (linalg/krawczyk.hpp: Krawczyk with its ε-inflation schedule) on vech(F) = 0.
template <class T>
EquilibriumResult<T> certify_equilibrium(const ModelSpec& model, const Mat<real_t<T>>& guess);

template <class T> struct Classification {
  Regime regime = Regime::unknown;
  Verdict verdict = Verdict::unknown("not computed");
  bool information_form = false;
  /// The covering / comparison analysis used for blowup and bounded_on_horizon.
  BlowupResult<T> blowup;
  /// converges: Σ* (and P*) enclosures; ‖Σ(t) − Σ*‖₂ ≤ constant · e^{−rate·t} for t ≥ t_c.
  Mat<T> cov_star, P_star;
  real_t<T> rate{0}, constant{0}, t_c{0};
  /// Stability of W (information form) — proved ⇒ every eigenvalue of W has Re ≥ W_stability.rate.
  HurwitzCertificate<T> W_stability;
  /// General V: an equilibrium certificate when one was found.
  std::optional<EquilibriumResult<T>> equilibrium;
  std::string details;
};

/// Certifies the regime of a time-invariant parameter set (see file comment).
/// Encloses: by regime — blowup: the bracket of `blowup` (see regime_statement); converges:
///   Σ* ∈ cov_star (P* ∈ P_star) and ‖Σ(t) − Σ*‖₂ ≤ constant·e^{−rate·t} for t ≥ t_c;
///   bounded_on_horizon: Σ(t) exists and is bounded on [0, horizon]; `verdict` is proved only
///   for the regime stated.
/// Assumes: nothing beyond the exact model / initial data (enclosed once).
/// Checks: model validates, Σ0 exactly SPD, horizon > 0 (SpecError); then the certified steps
///   of the chosen method (covering, certify_hurwitz, certify_spd, Krawczyk).
/// Failure: regime unknown with the reason; never a claim that was not certified.
/// Method: information form — slab covering, Lyapunov stability of W and P* (file comment);
///   general V — certify_blowup_time / certify_equilibrium.
template <class T>
Classification<T> certify_regime(const ModelSpec& model, const GaussianSpec& initial, const Rational& horizon,
                           const BlowupOptions& options = {});

}  // namespace certiformer::gaussian
