// Proof euler_not_stationary (source: P2, arXiv 2606.23235; docs/mathematics.md §2, Pontryagin / adjoint bullet).
//
// Theorem instance. The n = 8 token, d = 4 Transformer of examples/configs/euler_attention.json
// (β = 1, two heads, affine FFN, constant control shared by all layers), depth L = 64, T = 1,
// cross-entropy read-out Γ ∈ R^{3×4} with labels (0, 1, 2, 0, 1, 2, 0, 1). The loss of the
// depth-64 network J(θ) = (1/n) Σ_i −log softmax(Γ X^64_i)_{y_i} has ∇_θ J ≠ 0: the control θ is
// NOT a stationary point (the Pontryagin first-order condition fails). We also prove
// ‖∇_θ J‖₂ > 1/100 (certify_near_stationary(1/100) is refuted), and that θ is not stationary for
// the loss of the CONTINUOUS flow either, J_∞(θ) = R(X(1)): J_∞'(θ)·v ≠ 0 for the direction v =
// the midpoint of the discrete gradient (a fixed exact direction once computed).
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: euler::enclose_loss_gradient — discrete adjoint through the exact real network
// (softmax-residual terminal condition, interval Jacobians over the enclosed iterates, parameter
// derivatives by forward-mode differentiation of the field), binary64; for the flow,
// euler::certify_flow_not_stationary — the continuous adjoint by duality with one validated
// tangent-linear Taylor–Lohner flow (p(T)·S(T) = ∫ p·∂_θ f·v dt).
// Decision: certify_not_stationary proved AND certify_near_stationary(1/100) refuted AND
// certify_flow_not_stationary proved.
// Exit 0 proved, 2 unknown, 1 refuted (never: an enclosure containing 0 is only unknown).
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
  const Readout<Interval> ro = euler_proof::attention_readout();
  const GradientEnclosure<Interval> g = enclose_loss_gradient(f, X0, ro, Interval(1), 64, ode::Wrapping::box);
  std::cout << "gradient: " << g.verdict.reason() << " (" << g.seconds << " s)\nloss in " << g.loss << "\n";
  if (!g.verdict.is_proved()) {
    std::cout << "UNKNOWN\n";
    return 2;
  }
  Eigen::Index best = 0;
  for (Eigen::Index j = 0; j < g.gradient.size(); ++j)
    if (mig(g.gradient(j)) > mig(g.gradient(best))) best = j;
  std::cout << "largest certified component: dJ/d" << g.names[static_cast<std::size_t>(best)] << " in "
            << g.gradient(best) << "\n";
  const Verdict ns = certify_not_stationary(g);
  const Verdict near = certify_near_stationary(g, from_text<Interval>("1/100"));
  std::cout << "not stationary: " << ns.reason() << "\n||grad|| <= 1/100: " << near.reason() << "\n";
  Vec<Interval> v(g.gradient.size());
  for (Eigen::Index j = 0; j < v.size(); ++j) v(j) = Interval(mid(g.gradient(j)));
  ode::TaylorOptions opt;
  opt.wrapping = ode::Wrapping::box;  // point tokens: interval boxes stay tight (a QR frame is slower here)
  const Verdict flow = certify_flow_not_stationary(f, X0, ro, 1.0, layer_direction(layer, v), opt);
  std::cout << "continuous flow: " << flow.reason() << "\n";
  if (ns.is_proved() && near.status() == Status::refuted && flow.is_proved()) { std::cout << "PROVED\n"; return 0; }
  std::cout << "UNKNOWN\n";
  return 2;
}
