// Proof euler_error_uniform_control_box (source: P2, "A First-Order Mean Field Control Analysis of
// Transformer Layers under Cross-Entropy Training", arXiv 2606.23235; model and theorem:
// docs/mathematics.md §2; parameter boxes: docs/euler.md §10; the sweep: docs/sweep.md).
//
// Theorem instance (an Euler error bound uniform over a control box). The n = 4, d = 2 attention
// Transformer of examples/configs/sweep/euler_error_control_box.json (one Q/K/V head, affine FFN
// W x + b, constant control, T = 1, four fixed initial tokens), with the control box
//     β ∈ [0.95, 1.05],  W[0][0] ∈ [−0.55, −0.45],  W[1][1] ∈ [−0.35, −0.25]   (all other weights exact).
// For EVERY control p in the box and every depth L ∈ {32, 64, 128} (ε = 1/L):
//     err_L(p) = max_{k ≤ L} max_i ‖X^k_i(p) − X_i(t_k; p)‖₂ ≤ C·ε  with C = 1.5
// (C ≥ C_tube of every sub-box, the trajectory-region constant of docs/euler.md §5 with M and L
// taken as suprema over the sub-box; the kind claims error_le_theorem_tube_L<L>), and
//     err_L(p) ≤ 0.5·ε
// (the a-posteriori bound along the interval discrete trajectory, docs/euler.md §4 and docs/euler.md §10).
// On the whole box in one run the claims are unknown (C_tube ≤ 149 there: the interval Jacobians
// over the wide tubes); the sweep splits it into 8 sub-boxes.
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: `sweep::run_sweep` of the config (adaptive bisection where a claim is unknown; every
// sub-box run proves its claims for every parameter in it, euler.error with interval parameters),
// 2 evaluator threads; then `sweep::check_sweep` re-verifies the tiling and re-runs every
// sub-box. Decision: status proved AND fraction_proved = 1 exactly AND the check reproduces every
// line. Exit 0 proved, 2 unknown, 1 refuted (some sub-box refuted, or the check failed).
// Expected run time: a few seconds (one sub-box run ≈ 1 s in binary64, twice with the check).
#include "../sweep_proof.hpp"
#include "proof_common.hpp"

using namespace certiformer;

int main() {
  const std::string config = std::string(R"({
    "kind": "euler.error",
    )") + euler_proof::kControlBoxModel + R"(
    "tokens": [[1, 0], ["-0.5", "0.75"], ["0.25", -1], ["0.1", "0.2"]],
    "horizon": 1,
    "depths": [32, 64, 128],
    "claims": [
      {"id": "uniform_C_tube", "quantity": "theorem_constant_tube", "op": "<=", "value": "1.5"},
      {"id": "uniform_aposteriori_L32", "quantity": "aposteriori_bound_by_depth[32]", "op": "<=", "value": "0.5/32"},
      {"id": "uniform_aposteriori_L64", "quantity": "aposteriori_bound_by_depth[64]", "op": "<=", "value": "0.5/64"},
      {"id": "uniform_aposteriori_L128", "quantity": "aposteriori_bound_by_depth[128]", "op": "<=", "value": "0.5/128"}
    ]
  })";
  sweep::SweepOptions so;
  so.max_boxes = 64;
  so.threads = 2;
  return proofs::prove_by_sweep(config, "euler_error_uniform_control_box", so, {}, [](const cert::Json& r) {
    return r.contains("theorem_constant_tube") ? ", C_tube <= " + r.at("theorem_constant_tube").dump() : std::string();
  });
}
