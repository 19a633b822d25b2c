// tests/bellman — P1 lifted MDP, interval Bellman operator, certified gap (docs/mathematics.md §4).
// Oracles: an independent plain-double exhaustive search over all grid action sequences of the
// quantised model (no set-valued successors in that case, so it is the exact quantised optimum up
// to rounding), an exhaustive search of the *true* cost over a fine action grid (must stay above
// the certified lower bound), and the same computation at 256 bits (containment / consistency).
#include "certiformer/bellman.hpp"
#include "toy_models.hpp"
#include "plain_toy.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace certiformer;
using namespace certiformer::bellman;

namespace {

// d = 1, n = 3, one head (B = 1, V = 1, β = 1), FFN W x + b with W = −0.45, b = 0.113;
// read-out Γ = (1, −1)ᵀ, labels (0, 1, 0); attention gate in [0, 1]; N = 2, ε = 1/4.
template <class T> LiftedModel<T> tiny(int grid = 3, const char* spacing = "0.05", int N = 2) {
  toy::ScalarToy o;
  o.grid = grid;
  o.spacing = spacing;
  o.layers = N;
  return toy::scalar_model<T>(o);
}

using Plain = test::PlainToy;  // the same layer in plain double (tests/bellman/plain_toy.hpp)

// min over all sequences of the grid actions of the quantised (snapped) cost, plain double.
double brute_quantised(const Plain& p, std::vector<double> x, int N, int grid, double delta) {
  for (double& v : x) v = delta * std::nearbyint(v / delta);
  double best = std::numeric_limits<double>::infinity();
  int total = 1;
  for (int k = 0; k < N; ++k) total *= grid;
  for (int s = 0; s < total; ++s) {
    std::vector<double> z = x;
    int r = s;
    for (int k = 0; k < N; ++k) {
      const double g = grid == 1 ? 0.5 : static_cast<double>(r % grid) / (grid - 1);
      r /= grid;
      z = p.step(z, g);
      for (double& v : z) v = delta * std::nearbyint(v / delta);
    }
    best = std::min(best, p.cost(z));
  }
  return best;
}

// min over a fine grid of action sequences of the TRUE (unquantised) cost, plain double.
double brute_true(const Plain& p, const std::vector<double>& x, int N, int fine) {
  double best = std::numeric_limits<double>::infinity();
  int total = 1;
  for (int k = 0; k < N; ++k) total *= fine;
  for (int s = 0; s < total; ++s) {
    std::vector<double> z = x;
    int r = s;
    for (int k = 0; k < N; ++k) {
      z = p.step(z, static_cast<double>(r % fine) / (fine - 1));
      r /= fine;
    }
    best = std::min(best, p.cost(z));
  }
  return best;
}

}  // namespace

TEST_CASE_TEMPLATE("bellman: interval Bellman value equals the exhaustive quantised optimum", T, Interval, MpInterval) {
  MpPrecisionScope scope(test::kOracleBits);
  for (int grid : {2, 3, 5}) {
    const LiftedModel<T> m = tiny<T>(grid);
    const QuantisedGraph<T> g = enclose_quantised_graph(m);
    REQUIRE(g.set_valued == 0);  // no straddling: the quantised MDP is computed exactly
    const BellmanValues<T> bv = enclose_quantised_values(m, g);
    const double brute = brute_quantised(Plain{}, {0.313, -0.524, 0.071}, 2, grid, 0.05);
    const T v = bv.V[0][0];
    CHECK(inf(v) <= brute + 1e-12);
    CHECK(brute - 1e-12 <= sup(v));
    CHECK(static_cast<double>(sup(v) - inf(v)) < 1e-12);
    // the double pass on the same graph agrees
    const auto Vd = approx_quantised_values(m, g);
    CHECK(std::fabs(Vd[0][0] - brute) < 1e-12);
    // a* realises the quantised value: the state it leads to has the optimal terminal cost
    CHECK(bv.policy.size() == 2);
    const T vend = bv.V[2][bv.path.back()];
    CHECK(!disjoint(vend, v));
  }
}

TEST_CASE_TEMPLATE("bellman: certified gap brackets the exhaustive search over a fine action grid", T, Interval, MpInterval) {
  MpPrecisionScope scope(test::kOracleBits);
  const LiftedModel<T> m = tiny<T>(3);
  const GapResult<T> r = certify_gap(m);
  REQUIRE(r.verdict.is_proved());
  const Plain p;
  const std::vector<double> x0{0.313, -0.524, 0.071};
  const double fine_min = brute_true(p, x0, 2, 41);  // ≥ V_0(μ0) ≥ lower bound
  CHECK(inf(r.lower_bound) <= fine_min);
  // J(a*) in double lies in the upper-bound enclosure
  std::vector<double> z = x0;
  for (const auto& a : r.actions) z = p.step(z, static_cast<double>(mid(a(0))));
  const double Ja = p.cost(z);
  CHECK(inf(r.upper_bound) <= Ja + 1e-12);
  CHECK(Ja - 1e-12 <= sup(r.upper_bound));
  // J(a*) − V_0 ≤ J(a*) − (fine grid min is ≥ V_0) ... the certified gap must dominate J(a*) − fine_min
  CHECK(Ja - fine_min <= sup(r.gap) + 1e-12);
  CHECK(inf(r.gap) == 0);
  // the quantisation error is positive and the a-priori bound is 2E
  CHECK(inf(r.constants.E) > 0);
  CHECK(!disjoint(r.two_E, T(2) * r.constants.E));
  // structure of E: D̄ nondecreasing, L ≥ 1
  CHECK(inf(r.constants.L) >= 1);
  for (std::size_t k = 1; k < r.constants.D.size(); ++k) CHECK(sup(r.constants.D[k - 1]) <= sup(r.constants.D[k]));
}

TEST_CASE("bellman: the quantisation error E is needed and sufficient") {
  // Over several grids the quantised optimum V̂_0 can lie above the true optimum (then the lower
  // bound needs E); the certified lower bound must stay below the fine exhaustive minimum always.
  const Plain p;
  const std::vector<double> x0{0.313, -0.524, 0.071};
  const double fine_min = brute_true(p, x0, 2, 81);
  int needs_E = 0;
  for (int grid : {2, 3, 4}) {
    for (const char* sp : {"0.05", "0.1", "0.15"}) {
      const GapResult<Interval> r = certify_gap(tiny<Interval>(grid, sp));
      REQUIRE(r.verdict.is_proved());
      CHECK(inf(r.lower_bound) <= fine_min);
      if (inf(r.quantised_value) > fine_min) ++needs_E;
    }
  }
  MESSAGE("cases where V̂_0 > fine-grid optimum: ", needs_E);
  CHECK(needs_E >= 1);
}

TEST_CASE("bellman: binary64 and 256-bit runs are consistent") {
  const GapResult<Interval> a = certify_gap(tiny<Interval>(3));
  MpPrecisionScope scope(test::kOracleBits);
  const GapResult<MpInterval> b = certify_gap(tiny<MpInterval>(3));
  CHECK(a.policy == b.policy);
  CHECK(a.states == b.states);
  auto overlap = [](const Interval& x, const MpInterval& y) {
    return !(sup(x) < static_cast<double>(inf(y)) || static_cast<double>(sup(y)) < inf(x));
  };
  CHECK(overlap(a.quantised_value, b.quantised_value));
  CHECK(overlap(a.upper_bound, b.upper_bound));
  // E is an upper bound (norm bounds, ball search), not an enclosure of one number: the two
  // backends must agree to a small relative difference.
  MESSAGE("E binary64 = ", sup(a.constants.E), ", E 256-bit = ", static_cast<double>(sup(b.constants.E)));
  CHECK(std::fabs(sup(a.constants.E) - static_cast<double>(sup(b.constants.E))) <= 1e-6 * sup(a.constants.E));
  // 256 bits is at least as tight
  CHECK(static_cast<double>(wid(b.quantised_value)) <= wid(a.quantised_value) + 1e-300);
}

TEST_CASE("bellman: nested grids shrink the certified gap") {
  const auto rows = nested_grid_study(tiny<Interval>(3, "0.02"), 3);
  REQUIRE(rows.size() == 3);
  for (std::size_t l = 1; l < rows.size(); ++l) {
    CHECK(sup(rows[l].result.gap) < sup(rows[l - 1].result.gap));
    CHECK(sup(rows[l].result.constants.E) < sup(rows[l - 1].result.constants.E));
  }
}

TEST_CASE("bellman: the upward-rounding fast pass equals the interval-arithmetic pass") {
  // a graph with set-valued successors and a running cost, so every branch of the pass is used
  auto m = tiny<Interval>(4, "0.0125", 3);
  m.controls = {Gate::attention, Gate::ffn};
  m.action_lo = transformer::vector_from_text<Interval>({"0", "0.5"});
  m.action_hi = transformer::vector_from_text<Interval>({"1", "1.5"});
  m.action_grid = {4, 3};
  m.action_penalty = from_text<Interval>("0.01");
  m.risk_weight = from_text<Interval>("0.1");
  m.tokens(0, 0) = from_text<Interval>("0.3125");
  m.state_spacing = from_text<Interval>("1/160");
  const auto g = enclose_quantised_graph(m);
  const auto fast = enclose_quantised_values(m, g, true);
  const auto slow = enclose_quantised_values(m, g, false);
  std::size_t same = 0, total = 0;
  for (std::size_t k = 0; k < fast.V.size(); ++k)
    for (std::size_t s = 0; s < fast.V[k].size(); ++s) {
      ++total;
      if (inf(fast.V[k][s]) == inf(slow.V[k][s]) && sup(fast.V[k][s]) == sup(slow.V[k][s])) ++same;
    }
  CHECK(same == total);
  CHECK(fast.policy == slow.policy);
  // d = 2 (the benchmark model, N = 2): set-valued successors occur
  LiftedModel<Interval> b;
  b.dim = 2;
  transformer::Head<Interval> h;
  h.B = transformer::matrix_from_text<Interval>({{"1", "0.2"}, {"0", "1"}});
  h.V = transformer::matrix_from_text<Interval>({{"0.5", "-0.3"}, {"0.3", "0.5"}});
  b.layer.beta = from_text<Interval>("1/2");
  b.layer.heads.push_back(h);
  b.layer.W = transformer::matrix_from_text<Interval>({{"-0.3", "0.2"}, {"-0.2", "-0.3"}});
  b.layer.b = transformer::vector_from_text<Interval>({"0.1", "-0.05"});
  b.epsilon = from_text<Interval>("1/4");
  b.layers = 2;
  b.tokens = transformer::matrix_from_text<Interval>({{"0.213", "-0.117"}, {"-0.342", "0.281"}, {"0.055", "0.433"}, {"0.4011", "0.1237"}});
  b.labels = {0, 1, 2, 0};
  b.readout = transformer::matrix_from_text<Interval>({{"1", "0"}, {"0", "1"}, {"-1", "-1"}});
  b.controls = {Gate::attention, Gate::ffn};
  b.action_lo = transformer::vector_from_text<Interval>({"0", "0"});
  b.action_hi = transformer::vector_from_text<Interval>({"1", "2"});
  b.action_grid = {5, 5};
  b.state_spacing = from_text<Interval>("1/200");
  b.risk_weight = from_text<Interval>("0.1");
  b.validate();
  const auto gb = enclose_quantised_graph(b);
  CHECK(gb.set_valued > 0);
  const auto fb = enclose_quantised_values(b, gb, true), sb = enclose_quantised_values(b, gb, false);
  for (std::size_t k = 0; k < fb.V.size(); ++k)
    for (std::size_t s = 0; s < fb.V[k].size(); ++s) {
      CHECK(inf(fb.V[k][s]) == inf(sb.V[k][s]));
      CHECK(sup(fb.V[k][s]) == sup(sb.V[k][s]));
    }
  MESSAGE("d = 2 graph: ", gb.states, " states, ", gb.set_valued, " set-valued transitions");
}

TEST_CASE("bellman: set-valued successors enclose every tie-break") {
  // no attention; FFN b = 1/40 with ε = 1, δ = 1/20: from x = 0 the image is exactly 1/40, the
  // boundary between the cells of 0 and 1/20 — both are candidates.
  LiftedModel<Interval> m;
  m.dim = 1;
  m.layer.b = transformer::vector_from_text<Interval>({"1/40"});
  m.epsilon = Interval(1);
  m.layers = 1;
  m.tokens = transformer::matrix_from_text<Interval>({{"0"}});
  m.labels = {0};
  m.readout = transformer::matrix_from_text<Interval>({{"1"}, {"-1"}});
  m.controls = {Gate::ffn};
  m.action_lo = transformer::vector_from_text<Interval>({"1"});
  m.action_hi = transformer::vector_from_text<Interval>({"1"});
  m.action_grid = {1};
  m.state_spacing = from_text<Interval>("1/20");
  const auto g = enclose_quantised_graph(m);
  CHECK(g.set_valued == 1);
  CHECK(g.max_candidates == 2);
  CHECK(g.layer[1].count == 2);
  const auto bv = enclose_quantised_values(m, g);
  // both tie-breaks: ℓ(0, 0) = log 2, ℓ(1/20, 0) = log(1 + e^{−1/10})
  const double c0 = std::log(2.0), c1 = std::log1p(std::exp(-0.1));
  CHECK(inf(bv.V[0][0]) <= std::min(c0, c1));
  CHECK(std::max(c0, c1) <= sup(bv.V[0][0]));
  // the fan-out cap refuses instead of picking one
  m.max_fanout = 1;
  CHECK_THROWS_AS(enclose_quantised_graph(m), GraphTooLarge);
}

TEST_CASE("bellman: refusals and bad input") {
  SUBCASE("too many states") {
    auto m = tiny<Interval>(5, "0.001", 3);
    m.max_states = 20;
    CHECK_THROWS_AS(enclose_quantised_graph(m), GraphTooLarge);
    try {
      enclose_quantised_graph(m);
    } catch (const GraphTooLarge& e) {
      CHECK(std::string(e.what()).find("coarsen") != std::string::npos);
    }
  }
  SUBCASE("initial token on a cell boundary") {
    auto m = tiny<Interval>(3, "0.02");
    m.tokens(0, 0) = from_text<Interval>("0.01");
    CHECK_THROWS_AS(enclose_quantised_graph(m), std::domain_error);
  }
  SUBCASE("validate") {
    auto m = tiny<Interval>();
    m.action_lo(0) = Interval(2);
    CHECK_THROWS_AS(m.validate(), std::invalid_argument);
    m = tiny<Interval>();
    m.state_spacing = Interval(0);
    CHECK_THROWS_AS(m.validate(), std::invalid_argument);
    m = tiny<Interval>();
    m.labels = {0, 2, 0};
    CHECK_THROWS_AS(m.validate(), std::invalid_argument);
    m = tiny<Interval>();
    m.epsilon = Interval(-1);
    CHECK_THROWS_AS(m.validate(), std::invalid_argument);
  }
  SUBCASE("no invariant ball: unknown, not a claim") {
    auto m = tiny<Interval>(3, "0.05", 2);
    m.layer.W = transformer::matrix_from_text<Interval>({{"100"}});
    m.epsilon = from_text<Interval>("1");
    m.max_fanout = 1u << 30;
    CHECK_THROWS(certify_gap(m));
  }
}

// Review test (soundness of E's ingredients off the grid): both gates, gate boxes that contain
// negative values, an MLP in the FFN and a running cost. Checks, over a fine grid of action
// sequences of the WHOLE box (not only the action grid):
//  * every true trajectory stays in the certified ball ‖x‖ ≤ R_true;
//  * the certified lower bound inf(V̂_0 − E) is ≤ sup J(a; μ0) for every such sequence;
//  * one layer obeys (1/n) Σ ‖F_i(X; a) − F_i(X'; a')‖ ≤ L D(X, X') + L_a ‖a − a'‖ for random
//    configurations in the ball R and random actions in the box (the two Lipschitz constants of E).
TEST_CASE("bellman: ball, lower bound and Lipschitz constants hold off the action grid (signed gates, MLP)") {
  using T = Interval;
  LiftedModel<T> m;
  m.dim = 2;
  transformer::Head<T> h;
  h.B = transformer::matrix_from_text<T>({{"1", "0.3"}, {"-0.2", "0.8"}});
  h.V = transformer::matrix_from_text<T>({{"0.6", "-0.2"}, {"0.1", "0.5"}});
  m.layer.beta = from_text<T>("1/2");
  m.layer.heads.push_back(h);
  m.layer.W = transformer::matrix_from_text<T>({{"-0.3", "0.2"}, {"-0.2", "-0.3"}});
  m.layer.b = transformer::vector_from_text<T>({"0.1", "-0.05"});
  transformer::Mlp<T> mlp;
  mlp.W1 = transformer::matrix_from_text<T>({{"0.7", "-0.4"}, {"0.2", "0.9"}});
  mlp.b1 = transformer::vector_from_text<T>({"0.1", "-0.2"});
  mlp.W2 = transformer::matrix_from_text<T>({{"0.5", "0.3"}, {"-0.6", "0.4"}});
  mlp.b2 = transformer::vector_from_text<T>({"0.02", "0.03"});
  mlp.activation = transformer::Activation::tanh;
  m.layer.mlp = mlp;
  m.epsilon = from_text<T>("1/4");
  m.layers = 2;
  m.tokens = transformer::matrix_from_text<T>({{"0.213", "-0.117"}, {"-0.342", "0.281"}, {"0.055", "0.433"}});
  m.labels = {0, 1, 2};
  m.readout = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "1"}, {"-1", "-1"}});
  m.controls = {Gate::attention, Gate::ffn};
  m.action_lo = transformer::vector_from_text<T>({"-1", "-0.5"});
  m.action_hi = transformer::vector_from_text<T>({"1", "1.5"});
  m.action_grid = {3, 3};
  m.state_spacing = from_text<T>("1/20");
  m.action_penalty = from_text<T>("0.05");
  m.risk_weight = from_text<T>("0.2");
  m.validate();
  const GapResult<T> r = certify_gap(m);
  REQUIRE(r.verdict.is_proved());
  const auto& c = r.constants;
  const double Rt = sup(c.R_true);
  const GatedLayer<T> gl(m);
  // fine grid of the box (7 × 7 per layer), every sequence of N = 2 layers
  const int F = 7;
  std::vector<Vec<T>> fine;
  for (int i = 0; i < F; ++i)
    for (int j = 0; j < F; ++j) {
      Vec<T> a(2);
      a(0) = m.action_lo(0) + (m.action_hi(0) - m.action_lo(0)) * T(i) / T(F - 1);
      a(1) = m.action_lo(1) + (m.action_hi(1) - m.action_lo(1)) * T(j) / T(F - 1);
      fine.push_back(a);
    }
  double max_norm = 0, min_sup_J = std::numeric_limits<double>::infinity();
  for (const auto& a0 : fine)
    for (const auto& a1 : fine) {
      Vec<T> X = transformer::flatten_tokens(m.tokens), At, Ff;
      for (const Vec<T>* a : {&a0, &a1}) {
        gl.evaluate(X, At, Ff);
        X = GatedLayer<T>::step(X, At, Ff, m.epsilon, gl.gate_att(*a), gl.gate_ffn(*a));
        for (Eigen::Index i = 0; i < 3; ++i)
          max_norm = std::max(max_norm, sup(sqrt(sqr(X(2 * i)) + sqr(X(2 * i + 1)))));
      }
      min_sup_J = std::min(min_sup_J, sup(enclose_cost_under_actions(m, {a0, a1})));
    }
  MESSAGE("max true token norm ", max_norm, " <= R_true ", Rt, "; min sup J ", min_sup_J, " >= lower bound ",
          inf(r.lower_bound), " (E = ", sup(c.E), ")");
  CHECK(max_norm <= Rt);
  CHECK(inf(r.lower_bound) <= min_sup_J);
  // one-layer Lipschitz bound on random configurations in the ball R, random actions in the box
  std::mt19937 gen(12345);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const double Rb = sup(c.R);
  int checked = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Vec<T> X(6), Xp(6);
    const double scale = trial % 2 ? Rb : Rb * 0.3;
    for (Eigen::Index i = 0; i < 3; ++i) {
      double v[2] = {u(gen), u(gen)}, w[2] = {u(gen), u(gen)};
      const double nv = std::hypot(v[0], v[1]), nw = std::hypot(w[0], w[1]);
      const double sv = scale * std::fabs(u(gen)) / std::max(nv, 1e-300) * 0.999;
      const double sw = trial % 4 < 2 ? sv : scale * std::fabs(u(gen)) / std::max(nw, 1e-300) * 0.999;
      X(2 * i) = T(v[0] * sv);
      X(2 * i + 1) = T(v[1] * sv);
      Xp(2 * i) = T(trial % 4 < 2 ? v[0] * sv + 0.01 * w[0] * scale : w[0] * sw);
      Xp(2 * i + 1) = T(trial % 4 < 2 ? v[1] * sv + 0.01 * w[1] * scale : w[1] * sw);
      if (sup(sqrt(sqr(Xp(2 * i)) + sqr(Xp(2 * i + 1)))) > Rb) Xp(2 * i) = X(2 * i), Xp(2 * i + 1) = X(2 * i + 1);
    }
    Vec<T> a(2), ap(2);
    for (Eigen::Index k = 0; k < 2; ++k) {
      const double lo = inf(m.action_lo(k)), hi = sup(m.action_hi(k));
      a(k) = T(lo + (hi - lo) * (0.5 + 0.5 * u(gen)));
      ap(k) = T(lo + (hi - lo) * (0.5 + 0.5 * u(gen)));
    }
    Vec<T> A1, F1, A2, F2;
    gl.evaluate(X, A1, F1);
    gl.evaluate(Xp, A2, F2);
    const Vec<T> Y = GatedLayer<T>::step(X, A1, F1, m.epsilon, gl.gate_att(a), gl.gate_ffn(a));
    const Vec<T> Yp = GatedLayer<T>::step(Xp, A2, F2, m.epsilon, gl.gate_att(ap), gl.gate_ffn(ap));
    double lhs = 0, D = 0;
    for (Eigen::Index i = 0; i < 3; ++i) {
      lhs += inf(sqrt(sqr(Y(2 * i) - Yp(2 * i)) + sqr(Y(2 * i + 1) - Yp(2 * i + 1)))) / 3;
      D += sup(sqrt(sqr(X(2 * i) - Xp(2 * i)) + sqr(X(2 * i + 1) - Xp(2 * i + 1)))) / 3;
    }
    const double da = sup(sqrt(sqr(a(0) - ap(0)) + sqr(a(1) - ap(1))));
    CHECK(lhs <= sup(c.L * T(D) + c.L_a * T(da)));
    ++checked;
  }
  CHECK(checked == 400);
}
