// Proof bellman_gap_refines (source: P1, arXiv 2603.09571; docs/mathematics.md §4 "Certified gap").
//
// Theorem instance. Tokens x ∈ R (d = 1), n = 3, labels (0, 1, 0), read-out Γ = (1, −1)ᵀ; one
// layer x_i ← x_i + ε (g · Attn_i(X) + (−0.45 x_i + 0.113)) with one head (B = V = 1, β = 1/2),
// ε = 1/8, N = 2 layers, the attention gate g ∈ [0, 1] the action, terminal mean cross entropy.
// For the nested grids (δ_Z, m) = (1/100, 9), (1/200, 17), (1/400, 33) the quantised-optimal gate
// sequence a*_ℓ satisfies  0 ≤ J(a*_ℓ; μ0) − V_0(μ0) ≤ gap_ℓ  with certified gap_ℓ, and
//     gap_2 < gap_1 < gap_0,   gap_2 ≤ 1/50.
// Hypotheses: none beyond the exact inputs and the inclusion principle; every constant of
// E (docs/bellman.md) is a certified upper bound computed by the library.
// Method: certify_gap on each level of nested_grid_study (interval Bellman operator on the
// reachable quantised graph; interval simulation of the true particle system under a*).
// Decision: all three verdicts proved ∧ the gaps strictly decrease ∧ gap_2 ≤ 1/50. Exit 0 / 2 / 1.
// Expected run time: < 0.1 s.
#include "certiformer/bellman.hpp"
#include "toy_models.hpp"
#include "../proof_verdict.hpp"

#include <iostream>

using namespace certiformer;
using namespace certiformer::bellman;

int main() {
  using T = Interval;
  toy::ScalarToy o;
  o.beta = "1/2";
  o.epsilon = "1/8";
  o.grid = 9;
  o.spacing = "1/100";
  const LiftedModel<T> m = toy::scalar_model<T>(o);
  const auto rows = nested_grid_study(m, 3);
  bool proved = true, refuted = false;
  std::cout << "level  delta_Z   m   states  edges  J(a*) <=   V^_0 >=   E <=      gap <=    2E <=     time[s]\n";
  for (std::size_t l = 0; l < rows.size(); ++l) {
    const auto& r = rows[l].result;
    std::cout << l << "      " << mid(rows[l].state_spacing) << "  " << rows[l].action_grid[0] << "  " << r.states << "  "
              << r.edges << "  " << decimal_up(sup(r.upper_bound)) << "  " << decimal_down(inf(r.quantised_value)) << "  "
              << decimal_up(sup(r.constants.E)) << "  " << decimal_up(sup(r.gap)) << "  " << decimal_up(sup(r.two_E))
              << "  " << r.total_seconds << "\n";
    proved = proved && r.verdict.is_proved();
    refuted = refuted || r.verdict.is_refuted();
    if (l > 0 && !(sup(r.gap) < sup(rows[l - 1].result.gap))) proved = false;
  }
  const bool small = certainly_less_equal(T(sup(rows.back().result.gap)), from_text<T>("1/50"));
  std::cout << "a* (finest) = ";
  for (const auto& a : rows.back().result.actions) std::cout << mid(a(0)) << " ";
  std::cout << "\n";
  return proofs::proof_verdict(proved && small, refuted);  // (proved excludes a refuted level)
}
