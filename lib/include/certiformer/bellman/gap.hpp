#pragma once
/// certiformer/bellman/gap.hpp — certified near-optimality gap of the quantised-optimal action
/// sequence (docs/mathematics.md §4). The formula implemented is written out in docs/bellman.md.
///
///   upper bound  J(a*; μ0)  (interval simulation of the unquantised n-particle system under a*)
///   lower bound  V_0(μ0) ≥ V̂_0(q(μ0)) − E,
///   E = K_T D̄_N + Σ_{k<N} (K_c D̄_k + K_a δ_A),  D̄_k = L^k (δ_0 + δ_P) + (L_a δ_A + η) Σ_{j<k} L^j,
///   gap:  0 ≤ J(a*; μ0) − V_0(μ0) ≤ sup J(a*; μ0) − inf V̂_0 + E;  a-priori bound 2E.
/// Constants (all upper bounds, outward rounded), with G_att, G_ffn = sup |gate| over the action
/// box (1 for a gate that is not controlled) and the constants of transformer::
/// upper_bound_field_constants of the attention part (M_att, L_x,att, L_μ,att) and of the FFN
/// part (M_ffn, L_x,ffn) on the ball ‖x‖ ≤ R:
///   L   = 1 + ε (G_att (L_x,att + L_μ,att) + G_ffn L_x,ffn)
///   L_a = ε √(Σ_{controls} M_c²)        (∂F/∂g_att = ε Attn, ∂F/∂g_ffn = ε FFN; a weight control
///         a_c of W(a) = W0 + Σ a_c E_c, b(a) = b0 + Σ a_c f_c: ∂F_i/∂a_c = ε (E_c x_i + f_c),
///         M_c = ‖E_c‖₂ R + ‖f_c‖; F is affine in a, so L_a holds on the whole box)
///   With weight controls every state constant (L, ρ_W, M_rest) is taken for the interval layer
///   W(A), b(A) (bellman::weight_box_layer), so it holds for every action of the box.
///   K_T = √2 ‖Γ‖ (‖∇ℓ‖ = ‖Γᵀ(softmax − e_y)‖ ≤ ‖Γ‖ √2);  K_c = ρ K_T;  K_a = 2 λ sup_{a∈A} ‖a‖
///   δ_0 = (1/n) Σ ‖x⁰_i − q_Z(x⁰_i)‖;  η = δ_Z = (δ/2)√d;  δ_A = covering radius of the action grid;
///   δ_P = (1/n) Σ ‖q_Z(x⁰_i) − ẑ_{g(i)}‖ the coupling cost of the measure quantiser
///   (bellman/measure.hpp; 0 when the n atoms are kept, `measure_atoms` = 0).
/// D_k is the cost of the index coupling (1/n) Σ ‖x_i^k − x̂_{g(i)}^k‖ ≥ W1 between the true
/// trajectory under any a ∈ A^N and the exact quantised trajectory under its grid rounding â
/// (x̂_g the atoms of the quantised measure; g(i) = i without merging).
/// R: R_true is certified by the per-token recursion r_{k+1} = ρ_W r_k + ε(G_att M_att(R) +
/// G_ffn M_rest(R)), r_0 = max‖x⁰_i‖, ρ_W ≥ ‖I + ε[g_ffn]W‖, with all r_k ≤ R_true: every true
/// trajectory under any action sequence in A^N stays in the ball ‖x‖ ≤ R_true; the constants are
/// taken on R = max(R_true, sup ‖x̂‖ over the graph).

#include "certiformer/bellman/graph.hpp"
#include "certiformer/bellman/measure.hpp"
#include "certiformer/linalg.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace certiformer::bellman {

/// Encloses: the true cost J(a; μ0) = Σ_{k<N} c(μ_k, a_k) + c_N(μ_N) of the unquantised
///   n-particle system under the action sequence a (one action vector per layer), for every
///   real datum inside the model's and the actions' enclosures.
/// Assumes: nothing beyond the inclusion principle.
/// Checks: one action per layer (std::invalid_argument).
/// Failure: std::invalid_argument; domain errors of the field propagate (nothing is returned).
/// Method: interval simulation of the N gated Euler layers (GatedLayer), costs summed in T.
template <class T> T enclose_cost_under_actions(const LiftedModel<T>& m, const std::vector<Vec<T>>& actions) {
  if (static_cast<int>(actions.size()) != m.layers) throw std::invalid_argument("bellman: one action per layer");
  const GatedLayer<T> gl(m);
  Vec<T> X = transformer::flatten_tokens(m.tokens);
  Vec<T> Aat, Ff;
  T J(0);
  const bool running_risk = possibly_greater(m.risk_weight, T(0));
  for (int k = 0; k < m.layers; ++k) {
    const Vec<T>& a = actions[static_cast<std::size_t>(k)];
    if (running_risk) J += m.risk_weight * enclose_terminal_cost(m, X);
    J += enclose_action_cost(m, a);
    gl.evaluate(X, Aat, Ff);
    X = gl.apply(X, Aat, Ff, gl.weight_terms(X), m.epsilon, a);
  }
  return J + enclose_terminal_cost(m, X);
}

/// The certified constants entering E (all upper bounds; T point-or-thin enclosures whose sup
/// is the bound).
template <class T>
struct GapConstants {
  T R_true, R;          ///< ball radii (see the file comment)
  T L, L_a, K_T, K_c, K_a;
  T delta_0, delta_Z, delta_P, delta_A, eta;
  std::vector<T> D;     ///< D̄_0 … D̄_N
  T E;                  ///< quantisation error
  T K_cont;             ///< value continuity: K = K_T L^N + K_c Σ_{k<N} L^k (docs/bellman.md)
  T r0;                 ///< upper bound of r_0 = max_i ‖x⁰_i‖: K_cont holds for measures supported in ‖x‖ ≤ r_0
};

template <class T>
struct GapResult {
  Verdict verdict = Verdict::unknown("not computed");
  T upper_bound;        ///< J(a*; μ0)
  T quantised_value;    ///< V̂_0(q(μ0))
  T lower_bound;        ///< [inf V̂_0 − sup E, sup J(a*)] ⊇ V_0(μ0); its inf is the certified lower bound
  T gap;                ///< [0, sup J − inf V̂_0 + sup E] ⊇ J(a*) − V_0(μ0)
  T two_E;              ///< the a-priori bound 2E
  GapConstants<T> constants;
  std::vector<int> policy;                ///< a* as indices into the action grid
  std::vector<Vec<T>> actions;            ///< a* as action vectors
  std::size_t states = 0, edges = 0, set_valued = 0, max_candidates = 0, memory_bytes = 0;
  std::vector<std::size_t> states_per_layer;
  T delta_P = T(0);      ///< the measure quantiser's coupling cost (0 without merging)
  int measure_atoms = 0; ///< N_P of the quantised measure (0: the n tokens are kept)
  double build_seconds = 0, bellman_seconds = 0, bellman_double_seconds = 0, total_seconds = 0;
};

namespace detail {

/// sup |gate| over the box for attention / FFN (1 when the gate is not controlled).
template <class T> std::pair<T, T> gate_bounds(const LiftedModel<T>& m) {
  T Ga(1), Gf(1);
  for (std::size_t c = 0; c < m.controls.size(); ++c) {
    const auto i = static_cast<Eigen::Index>(c);
    if (m.controls[c] == Gate::weight) continue;  // the weights enter through weight_box_layer
    const real_t<T> g = std::max(mag(m.action_lo(i)), mag(m.action_hi(i)));
    (m.controls[c] == Gate::attention ? Ga : Gf) = enclose_point<T>(g);
  }
  return {Ga, Gf};
}

}  // namespace detail

/// Certified constants and quantisation error E (see the file comment for every formula).
/// Encloses (upper bounds): the sup of every constant and of E bounds the true quantity (the
///   quantisation error |V_0(μ0) − V̂_0(q(μ0))| ≤ sup E); quantised_norm ≥ sup ‖x̂‖ over the graph.
/// Assumes: the model is valid (LiftedModel::validate(), done by certify_gap).
/// Checks: the a-priori ball R_true (fixed-point iteration, at most 60 trials).
/// Failure: std::domain_error when no invariant ball is found (N ε M too large) — nothing claimed.
/// Method: transformer::upper_bound_field_constants on the ball, the recursion for D̄_k and E.
/// δ_P: the cost of the coupling of q_Z#μ0 to the quantised measure ν0 (quantise_measure; 0
/// when the n tokens are kept); it enters once, D̄_0 = δ_0 + δ_P (the lifted dynamics maps an
/// N_P-atom measure to an N_P-atom measure, so q_P is applied to μ0 only), and η = δ_Z.
/// Also: K_cont = K_T L^N + K_c Σ_{k<N} L^k, the W1-Lipschitz constant of μ ↦ J(a; μ) for every
/// a ∈ A^N (and so of V_0) on measures supported in ‖x‖ ≤ max_i ‖x⁰_i‖ (docs/bellman.md).
template <class T>
GapConstants<T> upper_bound_quantisation_error(const LiftedModel<T>& m, const real_t<T>& quantised_norm,
                                               const T& delta_P = T(0)) {
  using transformer::upper_bound_field_constants;
  using R = real_t<T>;
  GapConstants<T> c;
  // Weight controls: every state constant is taken for the layer with W(A) = W0 + Σ [A_c] E_c,
  // b(A) = b0 + Σ [A_c] f_c (weight_box_layer), so it holds for every action in the box.
  LiftedModel<T> mbox_storage;
  const bool weights = !m.directions.empty();
  if (weights) {
    mbox_storage = m;
    mbox_storage.layer = weight_box_layer(m);
  }
  const LiftedModel<T>& mb = weights ? mbox_storage : m;
  const GatedLayer<T> gl(mb);
  // (two named copies, not a structured binding: the lambdas below capture them, which clang 14
  // does not support for structured bindings)
  const std::pair<T, T> gates = detail::gate_bounds(m);
  const T Ga = gates.first, Gf = gates.second;
  const Eigen::Index n = m.n(), d = m.dim;
  auto consts = [&](const R& radius) {
    transformer::FieldConstants<T> fa, ff;
    if (gl.has_attention()) fa = upper_bound_field_constants(gl.attention_field(), radius);
    if (gl.has_ffn()) ff = upper_bound_field_constants(gl.ffn_field(), radius);
    return std::make_pair(fa, ff);
  };
  // A-priori ball for the TRUE trajectories under every action sequence in A^N. Per token,
  //   ‖x_i + ε(g_att Attn_i + g_ffn (W x_i + rest(x_i)))‖ ≤ ρ_W ‖x_i‖ + ε (G_att M_att(R) + G_ffn M_rest(R))
  // with ρ_W ≥ ‖I + ε [g_ffn] W‖ (interval matrix over the gate's range; 1 without W),
  // M_att(R) ≥ ‖Attn‖ and M_rest(R) ≥ ‖b + MLP(x)‖ on the ball ‖x‖ ≤ R (transformer constants).
  // R is accepted when the recursion r_0 = R0, r_{k+1} = ρ_W r_k + ε(…) stays ≤ R for k ≤ N.
  R R0 = R(0);  // max ‖x⁰_i‖
  for (Eigen::Index i = 0; i < n; ++i) {
    const R r = linalg::upper_bound_norm_2(Vec<T>(m.tokens.row(i).transpose())).value();
    if (R0 < r) R0 = r;
  }
  T gffn_range(1);
  for (std::size_t k = 0; k < m.controls.size(); ++k)
    if (m.controls[k] == Gate::ffn) gffn_range = convex_hull(m.action_lo(static_cast<Eigen::Index>(k)), m.action_hi(static_cast<Eigen::Index>(k)));
  T rhoW(1);
  if (mb.layer.W.size()) {
    Mat<T> IW = mb.layer.W * (m.epsilon * gffn_range);
    for (Eigen::Index i = 0; i < d; ++i) IW(i, i) += T(1);
    rhoW = enclose_point<T>(linalg::upper_bound_norm_2(IW).value());
  }
  const bool has_rest = mb.layer.b.size() != 0 || mb.layer.mlp.has_value();
  std::optional<transformer::TransformerField<T>> rest_field;
  if (has_rest) {
    transformer::Layer<T> rl;
    rl.b = mb.layer.b;
    rl.mlp = mb.layer.mlp;
    rest_field.emplace(n, d, transformer::Control<T>::constant(rl));
  }
  auto growth = [&](const R& radius) {
    T g(0);
    if (gl.has_attention()) g += Ga * enclose_point<T>(upper_bound_field_constants(gl.attention_field(), radius).M);
    if (has_rest) g += Gf * enclose_point<T>(upper_bound_field_constants(*rest_field, radius).M);
    return m.epsilon * g;
  };
  auto max_radius = [&](const R& radius) {  // max_k r_k of the recursion with constants on ball `radius`
    const T gr = growth(radius);
    T r = enclose_point<T>(R0);
    R best = R0;
    for (int k = 0; k < m.layers; ++k) {
      r = enclose_point<T>(sup(rhoW * r + gr));
      if (best < sup(r)) best = sup(r);
    }
    return best;
  };
  R Rt = R0;
  bool ok = false;
  for (int it = 0; it < 60 && !ok; ++it) {
    const R next = max_radius(Rt);
    const R Rtry = sup(enclose_point<T>(next) * T(1025) / T(1024) + T(1) / T(1 << 20));
    if (max_radius(Rtry) <= Rtry) {
      Rt = Rtry;
      ok = true;
    } else {
      Rt = next;
      if (!(Rt < R(1e12))) break;
    }
  }
  if (!ok)
    throw std::domain_error("bellman: no a-priori ball ‖x‖ ≤ R containing every true trajectory was found (the layer "
                            "grows too fast over N steps); use fewer layers or a smaller ε");
  c.R_true = enclose_point<T>(Rt);
  c.r0 = enclose_point<T>(R0);
  const R Rb = std::max(Rt, quantised_norm);
  c.R = enclose_point<T>(Rb);
  const auto [fa, ff] = consts(Rb);
  const T Lx = Ga * enclose_point<T>(fa.L_x) + Gf * enclose_point<T>(ff.L_x);
  const T Lmu = Ga * enclose_point<T>(fa.L_mu) + Gf * enclose_point<T>(ff.L_mu);
  c.L = T(1) + m.epsilon * (Lx + Lmu);
  T la2(0);
  for (std::size_t k = 0; k < m.controls.size(); ++k) {
    const Gate gte = m.controls[k];
    if (gte != Gate::weight) {
      la2 += sqr(enclose_point<T>(gte == Gate::attention ? fa.M : ff.M));
      continue;
    }
    // ∂F_i/∂a_k = ε (E_k x_i + f_k), ‖E_k x_i + f_k‖ ≤ ‖E_k‖₂ R + ‖f_k‖ on the ball ‖x‖ ≤ R
    const auto& D = m.directions[k];
    T Mk(0);
    if (D.E.size() != 0) Mk += enclose_point<T>(linalg::upper_bound_norm_2(D.E).value()) * enclose_point<T>(Rb);
    if (D.f.size() != 0) Mk += enclose_point<T>(linalg::upper_bound_norm_2(D.f).value());
    la2 += sqr(enclose_point<T>(sup(Mk)));
  }
  c.L_a = m.epsilon * sqrt(la2);
  c.K_T = sqrt(T(2)) * enclose_point<T>(linalg::upper_bound_norm_2(m.readout).value());
  c.K_c = m.risk_weight * c.K_T;
  T amax2(0);
  for (Eigen::Index i = 0; i < m.action_lo.size(); ++i)
    amax2 += sqr(enclose_point<T>(std::max(mag(m.action_lo(i)), mag(m.action_hi(i)))));
  c.K_a = T(2) * m.action_penalty * sqrt(amax2);
  // δ_0 from the coupling actually used (token i ↔ its own snap)
  {
    const Vec<T> X0 = transformer::flatten_tokens(m.tokens);
    T s(0);
    for (Eigen::Index i = 0; i < n; ++i) {
      T s2(0);
      for (Eigen::Index k = 0; k < d; ++k) {
        const auto [lo, hi] = detail::candidate_range<T>(X0(i * d + k), m.state_spacing);
        if (lo != hi)
          throw std::domain_error("bellman: an initial token lies on a cell boundary of the state grid (q(μ0) is not "
                                  "unique); shift the tokens or change state_grid");
        s2 += sqr(X0(i * d + k) - m.state_spacing * T(static_cast<double>(lo)));
      }
      s += sqrt(s2);
    }
    c.delta_0 = s / T(static_cast<double>(n));
  }
  c.delta_Z = m.state_spacing / T(2) * sqrt(T(static_cast<double>(d)));
  c.delta_P = delta_P;
  c.eta = c.delta_Z;
  c.delta_A = enclose_action_covering_radius(m);
  // D̄_k = L^k δ_0 + (L_a δ_A + η) Σ_{j<k} L^j, by the recursion D̄_{k+1} = L D̄_k + L_a δ_A + η
  c.D.push_back(c.delta_0 + c.delta_P);
  const T step = c.L_a * c.delta_A + c.eta;
  for (int k = 0; k < m.layers; ++k) c.D.push_back(c.L * c.D.back() + step);
  T E = c.K_T * c.D.back();
  for (int k = 0; k < m.layers; ++k) E += c.K_c * c.D[static_cast<std::size_t>(k)] + c.K_a * c.delta_A;
  c.E = E;
  // value continuity: D_k ≤ L^k D_0 for two measures under the same actions (no quantisation)
  T Lk(1), sumL(0);
  for (int k = 0; k < m.layers; ++k) {
    sumL += Lk;
    Lk = Lk * c.L;
  }
  c.K_cont = c.K_T * Lk + c.K_c * sumL;
  return c;
}

/// Certifies the near-optimality gap of the quantised-optimal action sequence a*.
/// Encloses: upper_bound ⊇ J(a*; μ0); quantised_value ⊇ V̂_0(q(μ0)); E's sup bounds the
///   quantisation error; gap ⊇ J(a*; μ0) − V_0(μ0) (V_0 the true optimum over A^N).
/// Checks: model validity (std::invalid_argument), graph limits (GraphTooLarge), the a-priori
///   ball (std::domain_error).
/// Verdict: proved when all enclosures are finite (the gap bound is then a theorem); unknown
///   with a reason otherwise; refuted if the bounds contradict each other (sup J(a*) <
///   inf V̂_0 − E), which can only happen if an enclosure or a constant were wrong.
/// Assumes: nothing beyond the exact model data (enclosed once).
/// Failure: the exceptions above (misuse, limits, no invariant ball) — nothing is claimed —
///   or verdict unknown with the reason.
/// Method: [quantise_measure (m.measure_atoms = N_P < n): the graph starts from ν0] →
///   enclose_quantised_graph → enclose_quantised_values (a*, V̂_0) →
///   upper_bound_quantisation_error (E, with D̄_0 = δ_0 + δ_P) → enclose_cost_under_actions(a*)
///   of the n true tokens (file comment).
template <class T>
GapResult<T> certify_gap(const LiftedModel<T>& m, const std::function<void(std::size_t, int)>& progress = {}) {
  const auto t0 = std::chrono::steady_clock::now();
  m.validate();
  GapResult<T> r;
  // the measure quantiser: the graph starts from the N_P-atom measure ν0 (atoms of weight 1/N_P
  // — the dynamics and costs of a measure do not depend on how its atoms are listed)
  const bool merge = m.measure_atoms > 0 && m.measure_atoms < m.n();
  LiftedModel<T> merged;
  if (merge) {
    const MeasureQuantisation<T> q = quantise_measure(m, m.measure_atoms);
    merged = m;
    merged.tokens = q.positions;
    merged.labels = q.labels;
    merged.measure_atoms = 0;
    r.delta_P = q.delta_P;
    r.measure_atoms = q.atoms;
  }
  const LiftedModel<T>& gm = merge ? merged : m;
  const QuantisedGraph<T> g = enclose_quantised_graph(gm, progress);
  const BellmanValues<T> bv = enclose_quantised_values(gm, g);
  double dsec = 0;
  (void)approx_quantised_values(gm, g, &dsec);
  r.constants = upper_bound_quantisation_error(m, g.max_token_norm, r.delta_P);
  r.policy = bv.policy;
  for (int j : bv.policy) r.actions.push_back(g.actions[static_cast<std::size_t>(j)]);
  r.upper_bound = enclose_cost_under_actions(m, r.actions);
  r.quantised_value = bv.V[0][0];
  const T& E = r.constants.E;
  const T lb = enclose_point<T>(inf(r.quantised_value)) - enclose_point<T>(sup(E));
  r.lower_bound = T(inf(lb), std::max(inf(lb), sup(r.upper_bound)));
  const T gap_hi = enclose_point<T>(sup(r.upper_bound)) - enclose_point<T>(inf(r.quantised_value)) + enclose_point<T>(sup(E));
  r.gap = T(real_t<T>(0), std::max(real_t<T>(0), sup(gap_hi)));
  r.two_E = T(2) * E;
  r.states = g.states;
  r.edges = g.edges;
  r.set_valued = g.set_valued;
  r.max_candidates = g.max_candidates;
  r.memory_bytes = g.memory_bytes;
  for (const auto& L : g.layer) r.states_per_layer.push_back(L.count);
  r.build_seconds = g.build_seconds;
  r.bellman_seconds = bv.seconds;
  r.bellman_double_seconds = dsec;
  auto finite = [](const T& x) { return std::isfinite(static_cast<double>(inf(x))) && std::isfinite(static_cast<double>(sup(x))); };
  if (sup(gap_hi) < real_t<T>(0))  // J(a*) ≥ V_0 ≥ V̂_0 − E makes this impossible unless a bound is wrong
    r.verdict = Verdict::refuted("inconsistent bounds: sup J(a*) < inf V̂_0 − E (an enclosure or constant is wrong)");
  else if (finite(r.upper_bound) && finite(r.quantised_value) && finite(E))
    r.verdict = Verdict::proved("0 ≤ J(a*; μ0) − V_0(μ0) ≤ sup J − inf V̂_0 + E");
  else
    r.verdict = Verdict::unknown("an enclosure is unbounded (overflow)");
  r.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

/// One row of a nested-grid study.
template <class T>
struct StudyRow {
  int level = 0;
  T state_spacing;
  std::vector<int> action_grid;
  GapResult<T> result;
};

/// Nested-grid study: level ℓ = 0..levels−1 uses spacing δ/2^ℓ and m_c,ℓ = (m_c − 1)·2^ℓ + 1
/// action points (each grid contains the previous one). Failure: as certify_gap (a refusal at
/// a fine level propagates; callers may catch GraphTooLarge and keep the coarser rows).
template <class T>
std::vector<StudyRow<T>> nested_grid_study(const LiftedModel<T>& m, int levels) {
  std::vector<StudyRow<T>> rows;
  LiftedModel<T> cur = m;
  for (int l = 0; l < levels; ++l) {
    StudyRow<T> row;
    row.level = l;
    row.state_spacing = cur.state_spacing;
    row.action_grid = cur.action_grid;
    row.result = certify_gap(cur);
    rows.push_back(std::move(row));
    cur.state_spacing = cur.state_spacing / T(2);
    for (int& mc : cur.action_grid) mc = mc == 1 ? 1 : (mc - 1) * 2 + 1;
  }
  return rows;
}

}  // namespace certiformer::bellman
