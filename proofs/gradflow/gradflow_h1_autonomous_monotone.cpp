// Proof gradflow_h1_autonomous_monotone (source: P4, arXiv 2605.18870; model: docs/mathematics.md §5).
//
// Theorem instance. One head (H = 1) with constant symmetric D = [[1, 1/2], [1/2, 2]], n = 8 tokens
// on S¹ at angles θ_k = 0.3 + 0.7k, ascent (s = +1, the Transformer), horizon T = 3.
// Claims: (a) the energy-dissipation identity E(T) − E(0) = ∫∂_tE + s∫Σ∇E·v = s∫Σ(N_i/n²)|v_i|²
// holds within certified enclosures (both residual enclosures contain 0, widths ≤ 1e-8);
// (b) ∂_tE ≡ 0 (its integral encloses 0); (c) the energy is strictly increasing on [0, T]
// (s·dE/dt = G² > 0 certified on every step tube) and E(T) − E(0) > 0.
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: validated Taylor–Lohner integration of the augmented field (gradflow/edi.hpp), binary64.
// Exit 0 proved, 2 unknown, 1 refuted (a residual enclosure excludes 0 — an enclosure is wrong).
// Expected run time: ≈ 2 s.
#include "proof_common.hpp"

using namespace gfproof;

int main() {
  const int n = 8;
  Model<Interval> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_constant(sym2<Interval>("1", "0.5", "2")));
  const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.3", "0.7"), 3.0);
  print_edi(r);
  if (!r.verdict.is_proved()) { std::cout << "UNKNOWN\n"; return 2; }
  if (r.identity.is_refuted()) { std::cout << "REFUTED\n"; return 1; }
  const bool ok = r.identity.is_proved() && contains_zero(r.identity_residual) && contains_zero(*r.metric_residual) &&
                  w(r.identity_residual) <= 1e-8 && w(*r.metric_residual) <= 1e-8 &&
                  contains_zero(r.explicit_time_integral) && r.monotone.is_proved() && r.strict &&
                  certainly_positive(r.energy_change);
  std::cout << (ok ? "PROVED\n" : "UNKNOWN\n");
  return ok ? 0 : 2;
}
