// Proof euler_attention_order (source: P2, arXiv 2606.23235; docs/mathematics.md §2 items 1–6).
//
// Theorem instance. The n = 8 token, d = 4 Transformer of examples/configs/euler_attention.json:
// β = 1, two heads (Q_h, K_h ∈ R^{2×4}, V_h ∈ R^{4×4}), affine FFN W x + b, constant control,
// horizon T = 1, tokens and parameters as exact decimals. We prove, for L = 16, 32, 64, 128, 256
// (ε = 1/L): the certified order table — err_L = max_k max_i ‖X^k_i − X_i(t_k)‖ enclosed two-sided
// with hi/lo ≤ 1.01 from the exact discrete iterates and the validated Taylor–Lohner flow — and
// the a-priori theorem bound err_L ≤ C_thm ε, with C_thm = (L·M)/(2L)(e^{LT} − 1) from certified
// M, L_x, L_μ on a certified ball containing every discrete and continuous trajectory
// (L_θΛ = 0: constant control). We also prove that the ratios are O(ε)-consistent:
// |err_L/ε − err_256/ε| ≤ 4/L for every L (first-order convergence of the ratio table).
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: euler::enclose_order_table (binary64, box wrapping), certify_error_below_theorem.
// Decision: every row enclosed AND hi/lo ≤ 1.01 AND err_L ≤ C_thm ε AND the ratio condition.
// Exit 0 proved, 2 unknown, 1 refuted.
// Expected run time: a few seconds.
#include "certiformer/euler.hpp"
#include "proof_common.hpp"

#include <iostream>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

int main() {
  const Layer<Interval> layer = euler_proof::attention_layer();
  const TransformerField<Interval> f(8, 4, Control<Interval>::constant(layer));
  const Vec<Interval> X0 = euler_proof::attention_tokens();
  const std::vector<std::size_t> depths{16, 32, 64, 128, 256};
  EulerOptions opt;
  opt.aposteriori = false;  // not part of this statement
  // exact point tokens: plain interval boxes need no wrapping control (and are ~10× cheaper)
  opt.wrapping = ode::Wrapping::box;
  opt.flow.wrapping = ode::Wrapping::box;
  const OrderTable<Interval> tab = enclose_order_table<Interval>(f, X0, 1.0, depths, opt);
  std::cout << "table: " << tab.verdict.reason() << "\ntheorem constant: " << tab.theorem_verdict.reason()
            << "\nR = " << tab.radius << ", M = " << tab.constants.M << ", L_x = " << tab.constants.L_x
            << ", L_mu = " << tab.constants.L_mu << "\nC_thm in " << tab.theorem_constant << "\nflow: "
            << tab.flow.steps << " steps, " << tab.flow.seconds << " s; total " << tab.seconds << " s\n";
  if (!tab.verdict.is_proved() || !tab.theorem_verdict.is_proved()) {
    std::cout << "UNKNOWN\n";
    return 2;
  }
  bool proved = true, refuted = false;
  const Interval last = tab.rows.back().ratio;
  for (const auto& row : tab.rows) {
    const Verdict below = certify_error_below_theorem(row, tab);
    const Interval dev = abs(row.ratio - last);
    const Interval tol = Interval(4) / Interval(static_cast<long long>(row.depth));
    const double hl = sup(row.error) / inf(row.error);
    std::cout << "L = " << row.depth << ": err_L in " << row.error << ", err_L/eps in " << row.ratio
              << ", hi/lo = " << hl << ", C_thm/(err_L/eps) in " << enclose_tightness(tab.theorem_constant, row.ratio)
              << ", err_L <= C_thm eps: " << below.reason() << "\n";
    proved = proved && row.verdict.is_proved() && below.is_proved() && hl <= 1.01 && certainly_less_equal(dev, tol);
    refuted = refuted || below.status() == Status::refuted || certainly_greater(dev, tol);
  }
  if (proved) { std::cout << "PROVED\n"; return 0; }
  if (refuted) { std::cout << "REFUTED\n"; return 1; }
  std::cout << "UNKNOWN\n";
  return 2;
}
