// Proof bellman_gap_weights (source: P1, arXiv 2603.09571; docs/mathematics.md §4 "Certified gap";
// docs/bellman.md "Weight actions").
//
// Theorem instance (the model of examples/configs/bellman_gap_weights.json). Tokens x ∈ R²
// (d = 2), n = 3, labels (0, 1, 2), read-out Γ = [[1, 0], [0, 1], [−1, −1]]; one layer
//     x_i ← x_i + ε ( Attn_i(X) + W(a) x_i + b(a) ),   ε = 1/8, N = 2 layers,
// one head (B = I, V = I/2, β = 1/2), the actions are weights of the FFN part:
//     W(a) = [[a_1, 0.2], [−0.2, −0.3]] + a_3 [[0, 1], [−1, 0]],   b(a) = (0.1, a_2),
//     a_1 ∈ [−1, 0] (entry W[0][0]), a_2 ∈ [−1/2, 1/2] (entry b[1]), a_3 ∈ [−1/2, 1/2] (a direction),
// running cost ρ·risk + λ‖a‖² with ρ = 1/10, λ = 1/100, terminal mean cross entropy. With the
// state grid δ = 1/200 and the action grids 5 × 5 × 5 (level 0, the example) and 9 × 9 × 9
// (level 1), the quantised-optimal weight sequences a*_ℓ satisfy
//     0 ≤ J(a*_0; μ0) − V_0(μ0) ≤ 3/10,   0 ≤ J(a*_1; μ0) − V_0(μ0) ≤ 17/100,
// V_0 the optimum over all sequences in the whole box.
// Hypotheses: none beyond the exact inputs and the inclusion principle; every constant of E is a
// certified upper bound over the whole action box (state constants for the interval layer W(A),
// b(A); L_a = ε √Σ_c M_c², M_c = ‖E_c‖ R + ‖f_c‖).
// Method: certify_gap (interval Bellman operator on the reachable quantised graph; interval
// simulation of the true particle system under a*).
// Decision: both verdicts proved ∧ sup gap_0 ≤ 3/10 ∧ sup gap_1 ≤ 17/100. Exit 0 / 2 / 1.
// Expected run time: ~10 s (level 1: ~10^5 states).
#include "certiformer/bellman.hpp"
#include "toy_models.hpp"
#include "../proof_verdict.hpp"

#include <iostream>

using namespace certiformer;
using namespace certiformer::bellman;

int main() {
  using T = Interval;
  LiftedModel<T> m = toy::planar_attention<T>();
  m.layer.W = transformer::matrix_from_text<T>({{"0", "0.2"}, {"-0.2", "-0.3"}});  // W[0][0] is the action a_1
  m.layer.b = transformer::vector_from_text<T>({"0.1", "0"});                      // b[1] is the action a_2
  m.epsilon = from_text<T>("1/8");
  m.layers = 2;
  m.tokens = transformer::matrix_from_text<T>({{"0.213", "-0.117"}, {"-0.342", "0.281"}, {"0.055", "0.433"}});
  m.labels = {0, 1, 2};
  m.readout = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "1"}, {"-1", "-1"}});
  m.controls = {Gate::weight, Gate::weight, Gate::weight};
  WeightDirection<T> w00, b1, rot;
  w00.E = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "0"}});
  w00.name = "W[0][0]";
  b1.f = transformer::vector_from_text<T>({"0", "1"});
  b1.name = "b[1]";
  rot.E = transformer::matrix_from_text<T>({{"0", "1"}, {"-1", "0"}});
  rot.name = "direction 2";
  m.directions = {w00, b1, rot};
  m.action_lo = transformer::vector_from_text<T>({"-1", "-0.5", "-0.5"});
  m.action_hi = transformer::vector_from_text<T>({"0", "0.5", "0.5"});
  m.action_grid = {5, 5, 5};
  m.state_spacing = from_text<T>("1/200");
  m.action_penalty = from_text<T>("0.01");
  m.risk_weight = from_text<T>("0.1");
  m.max_states = 400000;
  bool proved = true, refuted = false;
  const char* bound[2] = {"3/10", "17/100"};
  for (int level = 0; level < 2; ++level) {
    if (level == 1) {
      m.action_grid = {9, 9, 9};
      m.max_states = 1000000;
    }
    const GapResult<T> r = certify_gap(m);
    const auto& c = r.constants;
    std::cout << "level " << level << ": grid " << m.action_grid[0] << "^3 = " << m.action_grid[0] * m.action_grid[1] * m.action_grid[2]
              << " actions, states " << r.states << " (per layer";
    for (std::size_t s : r.states_per_layer) std::cout << " " << s;
    std::cout << "), edges " << r.edges << ", set-valued " << r.set_valued << "\n"
              << "  J(a*) <= " << decimal_up(sup(r.upper_bound)) << ", V^_0 >= " << decimal_down(inf(r.quantised_value))
              << ", E <= " << decimal_up(sup(c.E)) << ", gap <= " << decimal_up(sup(r.gap)) << "\n"
              << "  L <= " << decimal_up(sup(c.L)) << ", L_a <= " << decimal_up(sup(c.L_a)) << ", delta_A <= "
              << decimal_up(sup(c.delta_A)) << ", R <= " << decimal_up(sup(c.R)) << ", time " << r.total_seconds << " s\n";
    std::cout << "  a* = ";
    for (const auto& a : r.actions) std::cout << "(" << mid(a(0)) << ", " << mid(a(1)) << ", " << mid(a(2)) << ") ";
    std::cout << "\n";
    refuted = refuted || r.verdict.is_refuted();
    proved = proved && r.verdict.is_proved() && certainly_less_equal(T(sup(r.gap)), from_text<T>(bound[level]));
  }
  return proofs::proof_verdict(proved, refuted);
}
