// Proof bellman_exhaustive_2d (source: P1, arXiv 2603.09571; docs/mathematics.md §4).
//
// Theorem instance. d = 2, n = 3 tokens with labels (0, 1, 2), read-out Γ = [[1, 0], [0, 1],
// [−1, −1]]; one layer x_i ← x_i + ε (Attn_i(X) + g (W x_i + b)) with one head (B = I, V = I/2,
// β = 1/2), W = [[−0.3, 0.2], [−0.2, −0.3]], b = (0.1, −0.05), ε = 1/4, N = 3 layers, the FFN gate
// g ∈ [0, 2] the action, state grid δ = 1/50, action grid of 5 points.
//  (i)  The interval Bellman value of the quantised MDP (deduplicated reachable graph) agrees
//       with an exhaustive search over all 5³ grid action sequences that enumerates every
//       trajectory of the quantised MDP separately (no graph, no dedup, own snapping code,
//       set-valued successors followed as sets): the two enclosures intersect and both have
//       width ≤ 1e−9 (a disjoint pair would refute the implementation).
//  (ii) The certified lower bound V̂_0 − E of the true optimum V_0(μ0) lies below the true cost
//       J(a; μ0) of every sequence a of an exhaustive 21³ fine action grid (interval simulation of
//       the unquantised particle system): inf(V̂_0 − E) ≤ min_a inf J(a; μ0). (A certified
//       violation, inf(V̂_0 − E) > min_a sup J(a; μ0), would refute the bound.)
// Hypotheses: none beyond the exact inputs and the inclusion principle.
// Decision: (i) ∧ (ii) ∧ certify_gap proved. Exit 0 / 2 / 1. Expected run time: < 5 s.
#include "certiformer/bellman.hpp"
#include "toy_models.hpp"

#include <cmath>
#include <iostream>
#include <limits>
#include <vector>

using namespace certiformer;
using namespace certiformer::bellman;
using T = Interval;

namespace {

LiftedModel<T> model() {
  LiftedModel<T> m = toy::planar_attention<T>();
  m.layer.W = transformer::matrix_from_text<T>({{"-0.3", "0.2"}, {"-0.2", "-0.3"}});
  m.layer.b = transformer::vector_from_text<T>({"0.1", "-0.05"});
  m.epsilon = from_text<T>("1/4");
  m.layers = 3;
  m.tokens = transformer::matrix_from_text<T>({{"0.213", "-0.117"}, {"-0.342", "0.281"}, {"0.055", "0.433"}});
  m.labels = {0, 1, 2};
  m.readout = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "1"}, {"-1", "-1"}});
  m.controls = {Gate::ffn};
  m.action_lo = transformer::vector_from_text<T>({"0"});
  m.action_hi = transformer::vector_from_text<T>({"2"});
  m.action_grid = {5};
  m.state_spacing = from_text<T>("1/50");
  return m;
}

// All nearest-grid-point candidates of a configuration enclosure (own code: floor / ceil of the
// outward-rounded endpoints of Y/δ ∓ 1/2).
std::vector<Vec<T>> snap_all(const Vec<T>& Y, const T& delta) {
  std::vector<Vec<T>> out{Vec<T>(Y.size())};
  for (Eigen::Index c = 0; c < Y.size(); ++c) {
    const T t = Y(c) / delta;
    const double lo = std::ceil(inf(t - T(1) / T(2))), hi = std::floor(sup(t + T(1) / T(2)));
    std::vector<Vec<T>> next;
    for (const auto& v : out)
      for (double k = lo; k <= hi; k += 1) {
        Vec<T> w = v;
        w(c) = delta * T(k);
        next.push_back(w);
      }
    out = std::move(next);
  }
  return out;
}

}  // namespace

int main() {
  const LiftedModel<T> m = model();
  const GapResult<T> r = certify_gap(m);
  const QuantisedGraph<T> g = enclose_quantised_graph(m);
  const BellmanValues<T> bv = enclose_quantised_values(m, g);
  const T B = bv.V[0][0];
  std::cout << "graph: " << g.states << " states, " << g.edges << " edges, " << g.set_valued << " set-valued\n";
  std::cout << "Bellman V^_0 in [" << decimal_down(inf(B)) << ", " << decimal_up(sup(B)) << "]\n";

  // (i) exhaustive search over the quantised MDP
  const GatedLayer<T> gl(m);
  const auto acts = action_grid_points(m);
  const int A = static_cast<int>(acts.size());
  int total = 1;
  for (int k = 0; k < m.layers; ++k) total *= A;
  double ex_lo = std::numeric_limits<double>::infinity(), ex_hi = ex_lo;
  std::vector<Vec<T>> X0s = snap_all(transformer::flatten_tokens(m.tokens), m.state_spacing);
  bool ok_snap = X0s.size() == 1;
  for (int s = 0; s < total; ++s) {
    std::vector<Vec<T>> states = X0s;
    int rr = s;
    for (int k = 0; k < m.layers; ++k) {
      const Vec<T>& a = acts[static_cast<std::size_t>(rr % A)];
      rr /= A;
      std::vector<Vec<T>> next;
      for (const auto& X : states) {
        Vec<T> At, Ff;
        gl.evaluate(X, At, Ff);
        const Vec<T> Y = GatedLayer<T>::step(X, At, Ff, m.epsilon, gl.gate_att(a), gl.gate_ffn(a));
        for (auto& Z : snap_all(Y, m.state_spacing)) next.push_back(Z);
      }
      states = std::move(next);
    }
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& X : states) {
      const T c = enclose_terminal_cost(m, X);
      lo = std::min(lo, inf(c));
      hi = std::max(hi, sup(c));
    }
    ex_lo = std::min(ex_lo, lo);
    ex_hi = std::min(ex_hi, hi);
  }
  std::cout << "exhaustive (" << total << " sequences) V^_0 in [" << decimal_down(ex_lo) << ", " << decimal_up(ex_hi) << "]\n";
  const bool disjoint_i = sup(B) < ex_lo || ex_hi < inf(B);
  const bool tight_i = ok_snap && wid(B) <= 1e-9 && ex_hi - ex_lo <= 1e-9;

  // (ii) exhaustive fine grid of the true system
  const int F = 21;
  const int seqs = F * F * F;
  double min_inf = std::numeric_limits<double>::infinity(), min_sup = min_inf;
  for (int s = 0; s < seqs; ++s) {
    std::vector<Vec<T>> seq;
    int rr = s;
    for (int k = 0; k < m.layers; ++k) {
      Vec<T> a(1);
      a(0) = T(2) * T(rr % F) / T(F - 1);
      rr /= F;
      seq.push_back(a);
    }
    const T J = enclose_cost_under_actions(m, seq);
    min_inf = std::min(min_inf, inf(J));
    min_sup = std::min(min_sup, sup(J));
  }
  const double lb = inf(r.lower_bound);
  std::cout << "fine grid (" << seqs << " sequences): min J in [" << decimal_down(min_inf) << ", " << decimal_up(min_sup) << "]\n";
  std::cout << "certified: V_0 >= " << decimal_down(lb) << ", J(a*) <= " << decimal_up(sup(r.upper_bound))
            << ", gap <= " << decimal_up(sup(r.gap)) << ", E <= " << decimal_up(sup(r.constants.E)) << "\n";
  std::cout << "a* = ";
  for (const auto& a : r.actions) std::cout << mid(a(0)) << " ";
  std::cout << "\n";
  const bool refuted = disjoint_i || lb > min_sup;
  if (refuted) {
    std::cout << "REFUTED\n";
    return 1;
  }
  if (r.verdict.is_proved() && tight_i && lb <= min_inf) {
    std::cout << "PROVED\n";
    return 0;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
