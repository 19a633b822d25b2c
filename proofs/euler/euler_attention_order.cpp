// Proof euler_attention_order (source: P2, arXiv 2606.23235; SPEC §2 items 1–6).
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

#include <iostream>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

int main() {
  Layer<Interval> layer;
  layer.beta = from_text<Interval>("1");
  Head<Interval> h0;
  h0.Q = matrix_from_text<Interval>({{"-0.26", "-0.40", "-0.10", "-0.35"}, {"-0.43", "-0.10", "0.42", "0.30"}});
  h0.K = matrix_from_text<Interval>({{"0.27", "-0.28", "0.04", "-0.22"}, {"-0.33", "-0.39", "-0.29", "0.43"}});
  h0.V = matrix_from_text<Interval>({{"0.26", "0.25", "0.24", "-0.25"}, {"-0.15", "0.10", "0.19", "0.28"}, {"0.30", "-0.33", "0.08", "0.14"}, {"0.00", "-0.26", "-0.02", "-0.33"}});
  layer.heads.push_back(h0);
  Head<Interval> h1;
  h1.Q = matrix_from_text<Interval>({{"0.43", "0.37", "0.05", "-0.20"}, {"0.41", "0.07", "0.38", "0.35"}});
  h1.K = matrix_from_text<Interval>({{"0.01", "-0.09", "0.10", "-0.07"}, {"-0.34", "-0.19", "0.31", "-0.46"}});
  h1.V = matrix_from_text<Interval>({{"-0.36", "0.10", "-0.18", "0.03"}, {"-0.02", "-0.13", "0.40", "-0.24"}, {"-0.07", "-0.24", "0.11", "-0.18"}, {"-0.12", "0.20", "-0.14", "0.05"}});
  layer.heads.push_back(h1);
  layer.W = matrix_from_text<Interval>({{"0.24", "-0.24", "-0.26", "-0.16"}, {"0.16", "0.07", "-0.16", "-0.10"}, {"-0.19", "-0.02", "-0.27", "0.12"}, {"0.24", "0.27", "0.14", "0.28"}});
  layer.b = vector_from_text<Interval>({"-0.19", "-0.08", "0.19", "0.11"});
  const TransformerField<Interval> f(8, 4, Control<Interval>::constant(layer));
  const Vec<Interval> X0 = vector_from_text<Interval>({"-0.18", "0.89", "0.24", "0.64", "-0.41", "-0.62", "-0.11", "-0.73", "-0.24", "0.92", "-0.34", "-0.98", "-0.91", "-0.66", "0.57", "-0.27", "-0.42", "-0.81", "0.96", "-0.15", "-0.58", "-0.88", "-0.89", "-0.66", "0.35", "-0.70", "-0.92", "-0.02", "-0.50", "1.00", "-0.76", "0.06"});
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
