// Proof euler_uniform_risk_box (source: P2, "A First-Order Mean Field Control Analysis of
// Transformer Layers under Cross-Entropy Training", arXiv 2606.23235 — its finite-class and
// metric-entropy uniform estimates; model: docs/mathematics.md §2; the bound: docs/euler.md §11).
//
// Theorem instance (a risk bound uniform over a parameter box, by covering numbers). The n = 4,
// d = 2 attention Transformer of examples/configs/euler_uniform_risk.json (one Q/K/V head, affine
// FFN W x + b, constant control, T = 1, depth L = 16, ε = 1/16), with the parameter box
//     Θ: β ∈ [0.95, 1.05],  W[0][0] ∈ [−0.55, −0.45],  W[1][1] ∈ [−0.35, −0.25]   (other weights exact),
// the read-out Γ (3 classes) and labels (0, 2, 1, 0), and the per-sample loss
// J(θ; X0) = (1/4) Σ_i ℓ(X^16_i(θ; X0), y_i), X0 in the token box S (each entry ±0.01 around the
// configured tokens). Certified: for every θ ∈ Θ and X0 ∈ S, J ∈ [a, a + B] and
// Σ_j |∂J/∂θ_j| ≤ Λ (interval gradients of the discrete adjoint on 2³ sub-boxes), and with
// N(Θ, r) ≤ ∏_j ⌈w_j/(2r)⌉ at the chosen r,
//     B √(log(2 N(Θ, r)/δ)/(2N)) + 2Λr ≤ 0.01      for N = 100000 samples, δ = 0.05.
// Consequence (Hoeffding at the ∏⌈w_j/(2r)⌉ cell centres + union bound + Λr on each side): if the
// N samples are i.i.d. with initial tokens in S and these labels, then with probability ≥ 0.95,
// |R̂_N(θ) − R(θ)| ≤ 0.01 for every θ ∈ Θ simultaneously.
// Hypotheses NOT checked (statistical): i.i.d. sampling; the samples' initial tokens in S with
// the configured labels. Everything else: exact inputs and the library's inclusion principle.
// Method: the euler.error kind (public entry cert::run_config) — upper_bound_box_lipschitz and
// upper_bound_uniform_risk (euler/uniform_risk.hpp) on the kind's parameter box — with the user
// claim uniform_risk_bound <= 0.01. Decision: that claim proved. Exit 0 proved, 2 unknown,
// 1 refuted. Expected run time: about a second in binary64.
#include "certiformer/cert.hpp"
#include "proof_common.hpp"

#include <iostream>

using namespace certiformer;

int main() {
  const std::string config = std::string(R"({
    "kind": "euler.error",
    )") + euler_proof::kControlBoxModel + R"(
    "tokens": [["[0.99, 1.01]", "[-0.01, 0.01]"], ["[-0.51, -0.49]", "[0.74, 0.76]"],
               ["[0.24, 0.26]", "[-1.01, -0.99]"], ["[0.09, 0.11]", "[0.19, 0.21]"]],
    "horizon": 1,
    "depths": [8, 16],
    "wrapping": "qr",
    "readout": {"Gamma": [["1", "0.5"], ["-0.5", "1"], ["0.2", "-1"]], "labels": [0, 2, 1, 0],
                "samples": 100000, "delta": "0.05", "flow_gradient": "none", "lipschitz_splits": 2,
                "gradient": false},
    "claims": [{"id": "uniform_risk", "quantity": "uniform_risk_bound", "op": "<=", "value": "0.01"}]
  })";
  const cert::Certificate c = cert::run_config(cert::config_from_text(config, "euler_uniform_risk_box"));
  for (const auto& [name, v] : c.results) {
    if (name == "uniform_risk_bound" || name == "covering_log_number" || name == "parameter_lipschitz" ||
        name == "uniform_risk_loss_range" || name == "hoeffding")
      if (const auto* o = std::get_if<cert::OneSidedText>(&v)) std::cout << name << " <= " << o->bound << "\n";
    if (name == "covering_radius")
      if (const auto* e = std::get_if<EndpointText>(&v)) std::cout << name << " = " << e->lo << "\n";
    if (name == "uniform_risk_parameters" || name == "uniform_risk_status")
      std::cout << name << ": " << std::get<std::string>(v) << "\n";
  }
  for (const auto& cl : c.claims) {
    if (cl.id != "uniform_risk") continue;
    std::cout << "claim " << cl.id << ": " << cl.statement << " — " << to_string(cl.verdict) << "\n";
    if (cl.verdict == Status::proved) {
      std::cout << "PROVED\n";
      return 0;
    }
    if (cl.verdict == Status::refuted) {
      std::cout << "REFUTED\n";
      return 1;
    }
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
