// Proof gradflow_ou_identity (source: P4, arXiv 2605.18870; model: docs/mathematics.md §5).
//
// Theorem instance. One head on the Ornstein–Uhlenbeck mean path D(t) = I + e^{−t}(D0 − I),
// D0 = [[1, 1/2], [1/2, 2]], n = 8 tokens on S¹ at θ_k = 0.3 + 0.7k, ascent, T = 3.
// Claims: the time-dependent energy-dissipation identity
//   E(T) − E(0) = ∫_0^T ∂_tE ds + s∫_0^T Σ_i ∇_{x_i}E·v_i ds = ∫∂_tE + s∫Σ(N_i/n²)|v_i|²
// holds within certified enclosures (both residuals contain 0, widths ≤ 1e-8), and the explicit
// time term is certainly nonzero (the moving weights contribute: ∫∂_tE excludes 0).
// Method: validated integration of the augmented field, binary64. Exit 0 / 2 / 1.
// Expected run time: ≈ 2 s.
#include "proof_common.hpp"

using namespace gfproof;

int main() {
  const int n = 8;
  Model<Interval> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_ou(sym2<Interval>("1", "0.5", "2")));
  const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.3", "0.7"), 3.0);
  print_edi(r);
  if (!r.verdict.is_proved()) { std::cout << "UNKNOWN\n"; return 2; }
  if (r.identity.is_refuted()) { std::cout << "REFUTED\n"; return 1; }
  const bool ok = r.identity.is_proved() && contains_zero(r.identity_residual) && contains_zero(*r.metric_residual) &&
                  w(r.identity_residual) <= 1e-8 && w(*r.metric_residual) <= 1e-8 &&
                  !contains_zero(r.explicit_time_integral);
  std::cout << (ok ? "PROVED\n" : "UNKNOWN\n");
  return ok ? 0 : 2;
}
