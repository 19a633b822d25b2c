// Proof euler_not_stationary (source: P2, arXiv 2606.23235; SPEC §2, Pontryagin / adjoint bullet).
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
  const Readout<Interval> ro{matrix_from_text<Interval>({{"0.55", "-0.18", "0.98", "-0.04"}, {"-0.52", "-0.18", "-0.93", "-0.16"}, {"-0.50", "0.78", "0.66", "-0.00"}}), {0, 1, 2, 0, 1, 2, 0, 1}};
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
