#pragma once
/// certiformer/gaussian/blowup.hpp — certified covariance blow-up times (docs/mathematics.md §3).
///
/// Information form (every V_h = v_h I): the covariance Σ = P⁻¹ blows up at the first t with
/// λ_min(P(t)) = 0. `certify_blowup_time` returns an interval (t_lo, t_hi) with both sides proved:
///
///  * t_lo — P(t) is positive definite for every t ∈ [0, t_lo]. [0, t_lo] is covered by slabs
///    [t_a, t_b], h = t_b − t_a. On a slab, with P_a ∋ P(t_a), D_a ∋ P'(t_a) = L(P_a) − R and
///    K_a ∋ P''(t_a) = L(D_a) (R is constant):
///        P(t_a + s) = N_s + E_s,  N_s := P(t_a) + s P'(t_a),  E_s = ∫_0^s (s−u) P''(t_a+u) du,
///    and P''(t_a+u) = e^{−Wᵀu} P''(t_a) e^{−Wu} (L commutes with its own flow), so
///        ‖E_s‖₂ ≤ (h²/2) · max(1, e^{2μh}) · ‖K_a‖₂ =: e,   μ ≥ μ₂(−W).
///    λ_min is concave on symmetric matrices and N_s is affine in s, so for s ∈ [0, h]
///        λ_min(P(t_a+s)) ≥ min(λ_min(N_0), λ_min(N_h)) − e.
///    The slab is accepted when P_a − eI and P_a + [h] D_a − eI are both certified positive
///    definite (`certify_spd`, every symmetric matrix in the enclosure). Near t* this lets a slab
///    reach within O(δ²) of t* from distance δ (quadratic convergence), so few slabs are needed.
///  * t_hi — a point vector u (approximate eigenvector of the least eigenvalue) with
///    uᵀ P(t_hi) u certainly < 0 (interval evaluation), so P(t_hi) is not positive definite.
///  By continuity λ_min(P) vanishes first at some t* ∈ (t_lo, t_hi), and λ_max(Σ(t)) =
///  1/λ_min(P(t)) → ∞ as t ↑ t*: the covariance of the true solution blows up at t*.
///  * Final local step (well conditioned in Σ0): for a point invertible C,
///        Φ(t) := Cᵀ e^{Wᵀt} P(t) e^{Wt} C = Cᵀ P0 C − Cᵀ G(t) C,  G(t) = ∫_0^t e^{Wᵀv} R e^{Wv} dv,
///    is congruent to P(t), so the slab test and the Rayleigh test above, run on Φ from the
///    covered end, move t_lo and t_hi. C ≈ chol(Σ0) makes Cᵀ P0 C ≈ I (computed exactly in
///    rationals): the huge entries of P0 = Σ0⁻¹ for a nearly singular Σ0 never enter an
///    interval product. Binary64 brackets: ≤ 1e-14 relative (was 9e-13; 1e-5 at λ_min(Σ0) = 1e-8).
///
/// General V: no linear form exists. A certified LOWER bound only: (1) validated Taylor–Lohner
/// integration of vech(Σ) (ode/integrator.hpp, binary64 for every T, step floor 1e-9·(1 + T))
/// on [0, horizon]; where it stops (near a blow-up) at t_r, Σ is certified to exist on [0, t_r]
/// and enclosed at t_r; (2) the comparison principle from t_r (and from 0) on n(t) = ‖Σ(t)‖₂
/// (Σ(t) is SPD while it exists): D⁺n ≤ 2 μ₂(A(Σ)) n ≤ 2a n + 2c n², with a ≥ μ₂(W),
/// c ≥ |β| Σ_h ‖V_h‖₂‖B_h‖₂, so n(t) ≤ y(t), the solution of y' = 2ay + 2cy², y(t_r) = σ_r ≥ ‖Σ(t_r)‖₂,
/// which exists for ln(1 + a/(cσ_r))/(2a) more (a > 0; forever if a < 0 and a + cσ_r ≤ 0;
/// 1/(2cσ_r) at a = 0). (3) The two-sided bracket of `certify_blowup_bracket_general` below
/// (compactification at infinity); when it is certified and t_hi ≤ horizon the status is
/// `blowup`, otherwise the lower bound stands alone and the reason says why no upper bound.

#include "certiformer/gaussian/model.hpp"

#include <cstddef>
#include <string>
#include <limits>
#include <string_view>

namespace certiformer::gaussian {

enum class BlowupStatus {
  blowup,                   ///< t* ∈ (t_lo, t_hi), both sides proved, and t_hi ≤ horizon
  blowup_lower_bound_only,  ///< general V: Σ exists on [0, t_lo]; nothing claimed beyond
  no_blowup_on_horizon,     ///< Σ exists and is bounded on [0, horizon]
  unknown                   ///< nothing proved
};
std::string_view to_string(BlowupStatus s) noexcept;
/// The exact statement a BlowupResult with this status proves (for certificates and `check`):
/// blowup — "Σ(t) exists and is bounded on [0, t_lo] and is unbounded as t ↑ t* for some
/// t* ∈ (t_lo, t_hi] ⊆ [0, horizon]"; blowup_lower_bound_only — existence on [0, t_lo] only;
/// no_blowup_on_horizon — existence and boundedness on [0, horizon]; unknown — nothing.
std::string_view blowup_statement(BlowupStatus s) noexcept;

/// Options of `certify_blowup_bracket_general`.
struct GeneralBracketOptions {
  /// Precision (bits) of step 2, the Taylor–Lohner enclosure of the compactified flow; its
  /// outputs are rounded outward to binary64 before steps 3–5. 0: binary64 throughout. The
  /// width of t(τ1) is the limit of the bracket: binary64 gives relative widths ~1e-12, 128 bits
  /// a few ulps (docs/gaussian.md §4). Sound for every value.
  int flow_bits = 128;
  /// Step limit of that enclosure (0: none). A compactified flow that looks stiff in the given
  /// coordinates (Lipschitz constant ~|β|‖V‖‖B‖ far above its actual rates, e.g. B_h with
  /// entries 1e9 met by a Σ0 eigenvalue of 1e-8 in a rotated basis) needs ~1e8 steps; past the
  /// limit the bracket is unknown (no claim). At 128 bits one step of a d = 3 model costs
  /// ~50 ms; the slowest proved case the review measured took 4142 steps. Effort only.
  std::size_t max_steps = 6000;
};

struct BlowupOptions {
  /// Target relative width (t_hi − t_lo)/t_lo. 0 → 1e-14 for Interval (the slab covering stops
  /// at 1e-12; the final local step below takes the bracket to the target) and 2^(−0.5·bits) for
  /// MpInterval (≈ 3e-39 at 256 bits, 1.4e-17 at 113 bits).
  double rel_tol = 0;
  /// Information form: when the covering's bracket is wider than the target, a final local step
  /// on Φ(t) = Cᵀ(P0 − G(t))C (C ≈ Cholesky factor of Σ0, Cᵀ P0 C exact; docs/gaussian.md §4
  /// "Final local step") refines it; false = the covering's bracket as it is (for comparisons).
  bool final_local_step = true;
  /// Safety limit on the number of slabs.
  long max_slabs = 200000;
  /// Halvings of a rejected slab before giving up on it.
  int max_halvings = 60;
  /// General V: step limit of the validated integration of the Σ-ODE behind the lower bound
  /// (`certify_blowup_lower_bound`). Its cost grows with how stiff the Σ-ODE looks in the given
  /// coordinates (B_h with entries ~1e9 against a Σ0 of 1e-8 needs ~1e6 steps); past the limit
  /// the comparison bound takes over from the last enclosed time, and the compactification
  /// bracket brings its own lower bound. Effort only: sound for every value (0: no limit).
  std::size_t lower_bound_max_steps = 4000;
  /// General V: options of the two-sided bracket (`certify_blowup_bracket_general`).
  GeneralBracketOptions general;
};

template <class T> struct BlowupResult {
  BlowupStatus status = BlowupStatus::unknown;
  /// proved iff status ≠ unknown; the reason says what was proved or why not.
  Verdict verdict = Verdict::unknown("not computed");
  /// Exact numbers: blowup ⇒ t* ∈ (t_lo, t_hi) and t_hi ≤ horizon (a blow-up after the horizon
  /// is never reported as `blowup`: the covering then proves no blow-up on [0, horizon], or the
  /// status is unknown when t* is within the resolution of the horizon); lower-bound-only ⇒ Σ exists on [0, t_lo];
  /// no_blowup ⇒ t_lo is the covered end (≥ horizon).
  real_t<T> t_lo{0}, t_hi{0};
  /// [t_lo, t_hi] (status blowup), [t_lo, t_lo] otherwise.
  T blowup_time;
  /// (t_hi − t_lo)/t_lo rounded up (status blowup), else 0.
  double relative_width = 0;
  /// Status no_blowup_on_horizon: an enclosure of Σ(horizon) (empty if the final inversion could
  /// not be certified; the existence claim stands regardless).
  Mat<T> cov_at_horizon;
  /// Upper bound of sup_{t ∈ covered range} ‖Σ(t)‖₂ (+∞ when not available).
  double sup_cov_norm = std::numeric_limits<double>::infinity();
  std::string method;
  long slabs = 0;
  long expm_calls = 0;
};

/// Encloses / certifies the blow-up time of Σ on [0, horizon].
/// Encloses: see the file comment; the claims hold for the exact model and initial data.
/// Assumes: nothing beyond the linalg routines' own guarantees.
/// Checks: the model validates, Σ0 exactly symmetric positive definite, horizon > 0 (SpecError
///   otherwise: "horizon", "initial.cov", …). Information form decided exactly.
/// Failure: status unknown with the reason (slab not certifiable, Rayleigh quotient not
///   certainly negative, enclosure overflow).
/// Method: information form — slab covering with the second-order/concavity bound above and a
///   Rayleigh-quotient test, the candidate t_hi placed by Newton's step on λ_min from the
///   last slab so that (t_hi − t_lo)/t_lo ≤ rel_tol; general V — validated integration, then the
///   comparison bound (certify_blowup_lower_bound, options.lower_bound_max_steps), and the upper
///   side by certify_blowup_bracket_general (options.general).
template <class T>
BlowupResult<T> certify_blowup_time(const ModelSpec& model, const GaussianSpec& initial, const Rational& horizon,
                                    const BlowupOptions& options = {});

/// A parameter box for the blow-up problem: a box of models, a box of initial Gaussians and an
/// interval of horizons. Its members are the triples (model, N(m0, Σ0), H) with every datum
/// in its interval (docs/gaussian.md "Parameter boxes").
struct BlowupBox {
  ModelBox model;
  GaussianBox initial;
  RationalInterval horizon{Rational(1), Rational(1)};
};

/// Certifies the blow-up time uniformly over a parameter box.
/// Encloses: for EVERY member (model, Σ0, H) of the box, the statement of the returned status
///   holds with the returned numbers: blowup — Σ(t) exists and is bounded on [0, t_lo] and blows
///   up at some t* ∈ (t_lo, t_hi] with t_hi ≤ H (t_hi ≤ inf of the horizon interval);
///   no_blowup_on_horizon — Σ(t) exists and is bounded on [0, H] (the slabs cover [0, sup H]);
///   cov_at_horizon ∋ Σ(H) for every member. blowup_time ⊇ every member's t*.
/// Assumes: nothing beyond the linalg routines' guarantees for interval matrices (enclose_expm,
///   certify_spd, certify_inverse, upper_bound_lognorm_2 hold for every matrix in the enclosure).
/// Checks: box.model / box.initial validate (SpecError naming the field); horizon lo > 0
///   ("horizon"); the information form for every member: each V_h has off-diagonal entries that
///   are the exact point 0 and, when d ≥ 2, diagonal entries that are one exact point (a box on
///   V_h is accepted for d = 1 only; SpecError "model.heads[h].V" otherwise — general V with
///   boxes is not supported yet); every Σ0 in the box positive definite (certify_spd on the
///   hull; unknown when not certified).
/// Failure: status unknown with the reason; nothing is claimed.
/// Method: the information-form covering of certify_blowup_time run on interval data:
///   W ∋ W, R ∋ β Σ_h v_h (B_h + B_hᵀ), P0 ∋ Σ0⁻¹ (certify_inverse of the hull of Σ0), horizon
///   as an interval; every step of the covering is an inclusion-isotone interval evaluation,
///   so each proved inequality holds for every member.
template <class T>
BlowupResult<T> certify_blowup_time_box(const BlowupBox& box, const BlowupOptions& options = {});

/// The general-V lower bound alone (validated integration + comparison; also valid in the
/// information form). Same result type; status blowup_lower_bound_only or no_blowup_on_horizon
/// (then cov_at_horizon encloses Σ(horizon)), or unknown.
/// Encloses: no_blowup_on_horizon: Σ(t) exists on [0, horizon] and cov_at_horizon ∋ Σ(horizon);
///   blowup_lower_bound_only: Σ(t) exists (no blow-up) on [0, t_lo] for the reported t_lo.
/// Assumes: nothing beyond the exact model / initial data (enclosed once).
/// Checks: model validates, Σ0 exactly SPD, horizon > 0 (SpecError); the integrator's
///   a-priori enclosures and the comparison bound.
/// Failure: status unknown with the reason; nothing is claimed.
/// Method: validated Taylor integration of vech(Σ) on [0, horizon] (at most
///   options.lower_bound_max_steps steps; the other options are not used), then the comparison
///   bound beyond the last enclosed time (docs/gaussian.md).
template <class T>
BlowupResult<T> certify_blowup_lower_bound(const ModelSpec& model, const GaussianSpec& initial, const Rational& horizon,
                                           const BlowupOptions& options = {});

/// A certified two-sided bracket of the blow-up time for any V_h (binary64 numbers).
struct GeneralBlowupBracket {
  /// proved ⇒ Σ(t) exists and is bounded on [0, t_lo] and is unbounded as t ↑ t* for some
  /// t* ∈ (t_lo, t_hi] (t_lo < t* ≤ t_hi; nothing is said about a horizon).
  Verdict verdict = Verdict::unknown("not computed");
  double t_lo = 0, t_hi = 0;
  double relative_width = 0;  ///< (t_hi − t_lo)/t_lo rounded up
  double tau_end = 0;         ///< end of the compactified time integrated
  double ball_radius = 0;     ///< G-radius ρ of the trapping ball (best bracket)
  double rate_lo = 0, rate_hi = 0;  ///< κ_min ≤ g ≤ κ_max on that ball
  int outputs_tried = 0, outputs_certified = 0;
  int flow_bits = 0;           ///< precision of the compactified Taylor–Lohner run (0: binary64)
  std::size_t flow_steps = 0;  ///< its step count
};


/// Certified upper AND lower bound on the blow-up time of Σ for general V (no information form
/// needed), by compactification at infinity (Poincaré-type, in the spirit of Matsue–Takayasu).
/// Encloses: when proved, t* ∈ (t_lo, t_hi] where t* is the maximal existence time of the exact
///   solution Σ(t) and Σ(t) is unbounded as t ↑ t* (tr Σ(t) → ∞).
/// Assumes: nothing beyond the exact model / initial data (enclosed once in binary64).
/// Checks: model validates, Σ0 exactly SPD (SpecError); every inequality below in interval
///   arithmetic.
/// Failure: verdict unknown with the reason (no blow-up profile approached by the approximate
///   trajectory, validated integration stopped, no trapping ball: e.g. a non-isolated or
///   unstable blow-up profile); nothing is claimed then.
/// Method: with r = 1/tr Σ, Ŝ = Σ/tr Σ and dτ = dt/r, z = (vech Ŝ, r) solves the polynomial ODE
///   z' = f(z) of `CompactSigmaField` (sigma_field.hpp): Ŝ' = G − gŜ, r' = −gr, t' = r with
///   G = A_rŜ + ŜA_rᵀ, A_r = rW + βΣ_h V_h Ŝ B_h, g = tr G; conversely Σ = Ŝ/r solves the Σ-ODE in
///   t(τ) (r > 0 is preserved: r = 0 is invariant). A blow-up of Σ is an equilibrium z* = (Ŝ*, 0)
///   at r = 0 with g(z*) > 0.
///   1. (approximate, proposals only) RK4 in double until r/g is small and Ŝ settles; the r = 0
///      system is run on to an approximate equilibrium z* (exact double point).
///   2. Taylor–Lohner enclosure (ode::enclose_flow, at `options.flow_bits` — 128 by default —
///      then rounded outward to binary64) of (vech Ŝ, r, t) on [0, τ_end] from Ŝ0 = Σ0/tr Σ0,
///      r0 = 1/tr Σ0, t0 = 0, with 47 intermediate outputs.
///   3. At an output τ1 with enclosure Z: e ≥ max_{z ∈ Z}|z − z*|₂; a box B = z* ± δ; the
///      interval Jacobian J(B) of f (forward-mode Dual<Interval>); `certify_hurwitz(J(B))`
///      gives a point SPD G, g_min ≤ λ_min(G), g_max ≥ λ_max(G) and α > 0 with
///      −(JᵀG + GJ) ⪰ 2α g_max I for every J ∈ J(B). For z in the G-ball B_ρ = {‖z − z*‖_G ≤ ρ}
///      ⊆ B (ρ ≤ δ√g_min), f(z) − f(z*) = J̄(z − z*) with J̄ = ∫₀¹ J(z* + s(z − z*))ds ∈ J(B)
///      (an interval matrix is convex), so V = ‖z − z*‖_G satisfies D⁺V ≤ ‖f(z*)‖_G − αV.
///      Hence B_ρ is forward invariant when ρ ≥ √g_max·e (the start is inside) and
///      ρ ≥ √g_max‖f(z*)‖₂/α (interval bounds, rounded up).
///   4. On B_ρ ⊆ B, κ_min ≤ g(z) ≤ κ_max (interval evaluation of g over B, κ_min > 0 checked),
///      so for τ ≥ τ1: r1 e^{−κ_max(τ−τ1)} ≤ r(τ) ≤ r1 e^{−κ_min(τ−τ1)} → 0, the map τ ↦ t(τ) is
///      increasing onto [t1, t1 + ∫_{τ1}^∞ r), and tr Σ(t(τ)) = 1/r(τ) → ∞. So the maximal
///      existence time is t* = t1 + ∫_{τ1}^∞ r dτ ∈ [t1 + r1/κ_max, t1 + r1/κ_min]; with the
///      enclosures t1 ∈ Z_t, r1 ∈ Z_r: t_hi = sup(Z_t + sup(Z_r)/κ_min) (rounded up),
///      t_lo = inf(Z_t + max(inf Z_r, 0)/κ_max) rounded down and then one more ulp down (so
///      t_lo < t* strictly).
///   5. Every output that passes 3–4 gives a bracket containing t*; the result is their
///      intersection (disjoint certified brackets would be an internal error: std::logic_error).
///   The same numbers for every backend and every ambient precision (binary64 results; step 2 at
///   its own fixed precision).
GeneralBlowupBracket certify_blowup_bracket_general(const ModelSpec& model, const GaussianSpec& initial,
                                                    const GeneralBracketOptions& options = {});

}  // namespace certiformer::gaussian
