// Proof gradflow_oscillating_d2_n16 (source: P4, arXiv 2605.18870; model: docs/mathematics.md §5).
//
// Theorem instance. d = 2, n = 16 tokens on S¹ at θ_k = 0.1 + 0.39k, H = 2 heads on the
// oscillating path D_h' = F(t + 2πh/H) − D_h, F(τ) = [[2 + 1.5cos τ, sin 2τ], [sin 2τ, 2 − 1.5cos τ]],
// D_1(0) = [[1, 1/2], [1/2, 2]], D_2(0) = [[3/2, 0], [0, 3/2]], ascent, horizon T = 5.
// Claim: the chain-rule energy-dissipation identity E(T) − E(0) = ∫∂_tE + s∫Σ∇E·v holds within
// certified enclosures (the residual contains 0, width ≤ 1e-6) and ∫∂_tE excludes 0.
// Method: validated integration of the augmented field (D_h(t) in closed form), binary64.
// Exit 0 / 2 / 1. Expected run time: see proofs/gradflow/README.md (measured).
#include "proof_common.hpp"

using namespace gfproof;

int main() {
  const int n = 16;
  Model<Interval> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_oscillating(sym2<Interval>("1", "0.5", "2"), 1, 2));
  m.heads.push_back(WeightPath<Interval>::make_oscillating(sym2<Interval>("1.5", "0", "1.5"), 2, 2));
  const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.1", "0.39"), 5.0);
  print_edi(r);
  if (!r.verdict.is_proved()) { std::cout << "UNKNOWN\n"; return 2; }
  if (r.identity.is_refuted()) { std::cout << "REFUTED\n"; return 1; }
  const bool ok = r.identity.is_proved() && contains_zero(r.identity_residual) && w(r.identity_residual) <= 1e-6 &&
                  !contains_zero(r.explicit_time_integral);
  std::cout << (ok ? "PROVED\n" : "UNKNOWN\n");
  return ok ? 0 : 2;
}
