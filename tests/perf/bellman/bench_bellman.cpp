// tests/perf/bellman — P1 benchmark (suite 'perf'): graph construction rate (states/s), the
// interval Bellman backward pass vs the same pass in plain double on the same graph (ratio; goal
// ≤ 3×), and memory per state. Model: d = 2, n = 4, N = 3 layers, attention and FFN gates
// (5 × 5 = 25 grid actions), state grid 1/200.
#include "certiformer/bellman.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace certiformer;
using namespace certiformer::bellman;
using T = Interval;

int main(int argc, char** argv) {
  const int layers = argc > 1 ? std::atoi(argv[1]) : 3;
  LiftedModel<T> m;
  m.dim = 2;
  transformer::Head<T> h;
  h.B = transformer::matrix_from_text<T>({{"1", "0.2"}, {"0", "1"}});
  h.V = transformer::matrix_from_text<T>({{"0.5", "-0.3"}, {"0.3", "0.5"}});
  m.layer.beta = from_text<T>("1/2");
  m.layer.heads.push_back(h);
  m.layer.W = transformer::matrix_from_text<T>({{"-0.3", "0.2"}, {"-0.2", "-0.3"}});
  m.layer.b = transformer::vector_from_text<T>({"0.1", "-0.05"});
  m.epsilon = from_text<T>("1/4");
  m.layers = layers;
  m.tokens = transformer::matrix_from_text<T>(
      {{"0.213", "-0.117"}, {"-0.342", "0.281"}, {"0.055", "0.433"}, {"0.4011", "0.1237"}});
  m.labels = {0, 1, 2, 0};
  m.readout = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "1"}, {"-1", "-1"}});
  m.controls = {Gate::attention, Gate::ffn};
  m.action_lo = transformer::vector_from_text<T>({"0", "0"});
  m.action_hi = transformer::vector_from_text<T>({"1", "2"});
  m.action_grid = {5, 5};
  m.state_spacing = from_text<T>("1/200");
  m.validate();

  const QuantisedGraph<T> g = enclose_quantised_graph(m);
  std::printf("graph: %zu states, %zu edges, %zu set-valued, build %.3f s -> %.0f states/s, memory %.1f bytes/state\n",
              g.states, g.edges, g.set_valued, g.build_seconds, static_cast<double>(g.states) / g.build_seconds,
              static_cast<double>(g.memory_bytes) / static_cast<double>(g.states));
  // Repeat both passes so each takes a measurable time.
  const int reps = std::max(1, static_cast<int>(2e7 / static_cast<double>(g.edges + 1)));
  double ti = 0, td = 0, sink = 0;
  for (int r = 0; r < reps; ++r) {
    const auto bv = enclose_quantised_values(m, g);
    ti += bv.seconds;
    sink += inf(bv.V[0][0]);
    double s = 0;
    const auto Vd = approx_quantised_values(m, g, &s);
    td += s;
    sink += Vd[0][0];
  }
  const auto bv = enclose_quantised_values(m, g);
  const auto Vd = approx_quantised_values(m, g);
  std::printf("Bellman pass x%d: interval %.4f s, double %.4f s, ratio %.2f (goal <= 3); %.1f Medges/s interval\n", reps, ti,
              td, ti / td, static_cast<double>(g.edges) * reps / ti / 1e6);
  std::printf("V^_0 in [%.17g, %.17g], double %.17g (sink %g)\n", inf(bv.V[0][0]), sup(bv.V[0][0]), Vd[0][0], sink);
  const bool ok = inf(bv.V[0][0]) <= Vd[0][0] + 1e-9 && Vd[0][0] - 1e-9 <= sup(bv.V[0][0]);
  return ok ? 0 : 1;
}
