// Proof euler_linear_constant (source: P2, arXiv 2606.23235; docs/mathematics.md §2 items 3–6, the check of item 5).
//
// Theorem instance. f(x) = x (d = 1, one token, FFN W = 1, no heads), x0 = 1, T = 1. The depth-L
// residual network is x_k = (1 + 1/L)^k and the flow is e^t. We prove:
//   (1) the certified theorem constant C_thm = (L·M + L_θΛ)/(2L)(e^{LT} − 1), computed from the
//       certified M ≥ sup|f| and L = L_x + L_μ on a certified ball containing every trajectory,
//       satisfies |C_thm − e(e−1)/2| ≤ 1e-9 (the exact constant of this instance is e(e−1)/2 ≈ 2.33539:
//       M = R = e, L = 1; the certified one is ≥ it because R, M, L are upper bounds);
//   (2) for L ∈ {64, 256, 1024, 4096} the certified order ratio err_L/ε (err_L = e − (1+1/L)^L,
//       two-sided enclosure from the exact iterates and the validated flow) satisfies
//       |err_L/ε − e/2| ≤ 1.5/L (so err_L/ε → e/2; the expansion is e/2 − 11e/(24L) + O(L⁻²)),
//       the enclosures are increasing in L, and err_L ≤ C_thm ε is proved at every depth.
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: euler::enclose_order_table (binary64 Interval), certify_error_below_theorem.
// Decision: (1) AND (2). Exit 0 proved, 2 unknown, 1 refuted (a certified enclosure excludes a
// stated value).
// Expected run time: < 2 s.
#include "certiformer/euler.hpp"

#include <iostream>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

int main() {
  Layer<Interval> layer;
  layer.W = matrix_from_text<Interval>({{"1"}});
  const TransformerField<Interval> f(1, 1, Control<Interval>::constant(layer));
  const Vec<Interval> X0 = vector_from_text<Interval>({"1"});
  const std::vector<std::size_t> depths{64, 256, 1024, 4096};
  const OrderTable<Interval> tab = enclose_order_table<Interval>(f, X0, 1.0, depths);
  std::cout << "table: " << tab.verdict.reason() << "\ntheorem constant: " << tab.theorem_verdict.reason() << "\n";
  if (!tab.verdict.is_proved() || !tab.theorem_verdict.is_proved()) {
    std::cout << "UNKNOWN\n";
    return 2;
  }
  const Interval e = exp(Interval(1));
  const Interval c_exact = e * (e - Interval(1)) / Interval(2);
  const Interval slack = tab.theorem_constant - c_exact;
  std::cout << "C_thm in " << tab.theorem_constant << ", e(e-1)/2 in " << c_exact << "\n";
  bool proved = certainly_less_equal(abs(slack), from_text<Interval>("1e-9"));
  bool refuted = certainly_greater(abs(slack), from_text<Interval>("1e-9"));
  const Interval half_e = e / Interval(2);
  Interval prev(0);
  for (const auto& row : tab.rows) {
    const Interval dev = abs(row.ratio - half_e);
    const Interval tol = from_text<Interval>("1.5") / Interval(static_cast<long long>(row.depth));
    const Verdict below = certify_error_below_theorem(row, tab);
    std::cout << "L = " << row.depth << ": err_L in " << row.error << ", err_L/eps in " << row.ratio
              << ", |err_L/eps - e/2| in " << dev << ", err_L <= C_thm eps: " << below.reason() << "\n";
    proved = proved && row.verdict.is_proved() && certainly_less_equal(dev, tol) && below.is_proved() &&
             certainly_less(prev, row.ratio);
    refuted = refuted || certainly_greater(dev, tol) || below.status() == Status::refuted;
    prev = row.ratio;
  }
  if (proved) { std::cout << "PROVED\n"; return 0; }
  if (refuted) { std::cout << "REFUTED\n"; return 1; }
  std::cout << "UNKNOWN\n";
  return 2;
}
