// Proof gaussian_blowup_uniform_beta_w (source: P3, arXiv 2606.07600; model and closed form:
// docs/mathematics.md §3; the sweep: docs/sweep.md).
//
// Theorem instance (uniform over a parameter box). Scalar Gaussian transformer flow (d = 1, one
// head V = 1, B = K^T Q = 1, FFN W = w, b = 0), initial variance sigma0 = 1. For EVERY
// beta in [1/2, 2] and EVERY w in [−2/5, 1/2] the variance blows up before t = 3:
//     t*(beta, w) < 3,   t* = ln(1 + w/beta)/(2w)  (1/(2 beta) at w = 0).
// (The closed form is largest at the corner beta = 1/2, w = −2/5: ln(1/5)/(−4/5) ≈ 2.01.)
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: `sweep::run_sweep` of the config below (the bundled example
// examples/configs/sweep/gaussian_blowup_beta_w.json): adaptive bisection of the box, every
// sub-box run proving the claim for every parameter in it (information form, interval data),
// with 2 evaluator threads; then `sweep::check_sweep` re-verifies the tiling and re-runs every
// sub-box. Decision: status proved AND fraction_proved = 1 exactly AND the check reproduces
// every line. Also printed (not part of the decision): the 256-bit closed form at the worst
// corner, which must be < 3 for the statement to be true.
// Exit 0 proved, 2 unknown, 1 refuted (some sub-box refuted, or the check failed).
// Expected run time: < 0.5 s.
#include "../sweep_proof.hpp"

using namespace certiformer;

int main() {
  const char* config = R"({
    "kind": "gaussian.blowup",
    "model": {"dim": 1, "beta": "[0.5, 2]", "W": [["[-0.4, 0.5]"]], "heads": [{"V": [[1]], "B": [[1]]}]},
    "initial": {"cov": [[1]]},
    "horizon": 3,
    "claims": [{"id": "blowup-before-3", "quantity": "blowup_time", "op": "<", "value": 3}]
  })";
  sweep::SweepOptions so;
  so.max_boxes = 256;
  so.threads = 2;
  return proofs::prove_by_sweep(config, "gaussian_blowup_uniform_beta_w", so, [] {
    MpPrecisionScope bits(256);
    const MpInterval worst = log(from_text<MpInterval>("0.2")) / from_text<MpInterval>("-0.8");
    std::cout << "closed form at the corner beta = 1/2, w = -2/5: t* in " << worst << "\n";
  });
}
