// Proof gradflow_stability_bound (source: P4, arXiv 2605.18870; model: docs/mathematics.md §5, Stability).
//
// Theorem instance. One OU head, D0 = [[1, 1/2], [1/2, 2]], n = 6 tokens at θ_k = 0.3 + 0.7k,
// ascent, T = 2. Claims: (a) for every initial configuration X̃0 with |X̃0 − X0|₂ ≤ δ0 = 1e-4,
// sup_{t ≤ 2} |X̃(t) − X(t)|₂ ≤ 2e-2 (log-norm Grönwall: δ0·exp(∫ν), ν ≥ μ₂(∂f/∂X) on each tube);
// (b) for every constant Δ with entries in [−1e-6, 1e-6] added to D(t),
// sup_{t ≤ 2} |X^Δ(t) − X(t)|₂ ≤ C·|Δ|_F with a certified C ≤ 1e3.
// Method: enclose_token_stability / enclose_weight_stability (gradflow/analysis.hpp), binary64.
// Exit 0 proved, 2 unknown (these are upper bounds: nothing is ever refuted here).
// Expected run time: ≈ 5 s.
#include "proof_common.hpp"

using namespace gfproof;

int main() {
  const int n = 6;
  Model<Interval> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_ou(sym2<Interval>("1", "0.5", "2")));
  const Vec<Interval> X0 = circle_tokens<Interval>(n, "0.3", "0.7");
  const StabilityResult<Interval> a = enclose_token_stability<Interval>(m, X0, from_text<Interval>("1e-4"), 2.0);
  const StabilityResult<Interval> b = enclose_weight_stability<Interval>(m, X0, from_text<Interval>("1e-6"), 2.0);
  std::printf("tokens:  %s; sup bound %.6e\n", a.verdict.reason().c_str(), a.verdict.is_proved() ? a.sup_bound : -1.0);
  std::printf("weights: %s; C ≤ %.6e\n", b.verdict.reason().c_str(), b.verdict.is_proved() ? b.sup_bound : -1.0);
  const bool ok = a.verdict.is_proved() && b.verdict.is_proved() && a.sup_bound <= 2e-2 && b.sup_bound <= 1e3;
  std::cout << (ok ? "PROVED\n" : "UNKNOWN\n");
  return ok ? 0 : 2;
}
