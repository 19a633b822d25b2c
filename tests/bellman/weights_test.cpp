// tests/bellman — weight actions (docs/bellman.md "Weight actions"): controls that are entries of
// the FFN weight W and bias b, or a direction W(a) = W0 + Σ a_c E_c, b(a) = b0 + Σ a_c f_c.
// Oracles:
//  * brute force: an independent 256-bit model of the d = 1 layer (written here, not the
//    library's GatedLayer) and an exhaustive search over a fine 9 × 9 grid of (W, b) actions for
//    each of the N = 2 layers: the fine-grid minimum (≥ V_0) lies above the certified lower
//    bound, J(a*) − (fine min) ≤ the certified gap, V̂_0 − (fine min) ≤ E;
//  * the certified Lipschitz constants L (state) and L_a (action) against 256-bit difference
//    quotients sampled over the whole action box (corners included) and the ball ‖x‖ ≤ R_true;
//  * δ_A against the brute-force max–min distance of a fine sample of the action box to the grid
//    (the cell centres, where the maximum is attained, are in the sample).
// Mutations tried (each alone; each makes a check here fail): the weight range folded in at the
// box midpoint only in weight_box_layer (sampled state quotient 2.004 > L = 1.5); M_c = ‖E_c‖
// without the factor R (sampled action quotient 0.608 > L_a = 0.433); δ_A without the 1/2 (δ_A
// 0.559 > brute-force max–min 0.280); K_a = 2λ‖a‖ at the box midpoint instead of its sup (the
// FFN-only brute force: lower bound 3.30 > fine-grid minimum 0.364).
#include "certiformer/bellman.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace certiformer;
using namespace certiformer::bellman;

namespace {

// d = 1, one head (B = V = 1, β = 1), FFN W x + b with W = a_0 ∈ [−1, −1/2] (entry W[0][0]) and
// b = a_1 ∈ [0, 1/4] (entry b[0]), Γ = (1, −1)ᵀ, N = 2, ε = 1/4, λ = 1/100.
template <class T> LiftedModel<T> tiny_weights(int grid = 5, const char* spacing = "0.05") {
  LiftedModel<T> m;
  m.dim = 1;
  transformer::Head<T> h;
  h.B = transformer::matrix_from_text<T>({{"1"}});
  h.V = transformer::matrix_from_text<T>({{"1"}});
  m.layer.beta = T(1);
  m.layer.heads.push_back(h);
  m.layer.W = transformer::matrix_from_text<T>({{"0"}});  // base W0 = 0: the entry is the action
  m.layer.b = transformer::vector_from_text<T>({"0"});
  m.epsilon = from_text<T>("0.25");
  m.layers = 2;
  m.tokens = transformer::matrix_from_text<T>({{"0.313"}, {"-0.524"}, {"0.071"}});
  m.labels = {0, 1, 0};
  m.readout = transformer::matrix_from_text<T>({{"1"}, {"-1"}});
  m.controls = {Gate::weight, Gate::weight};
  WeightDirection<T> dw, db;
  dw.E = transformer::matrix_from_text<T>({{"1"}});
  dw.name = "W[0][0]";
  db.f = transformer::vector_from_text<T>({"1"});
  db.name = "b[0]";
  m.directions = {dw, db};
  m.action_lo = transformer::vector_from_text<T>({"-1", "0"});
  m.action_hi = transformer::vector_from_text<T>({"-0.5", "0.25"});
  m.action_grid = {grid, grid};
  m.state_spacing = from_text<T>(spacing);
  m.action_penalty = from_text<T>("0.01");
  return m;
}

// The same layer written independently at 256 bits: x_i ← x_i + ε (Σ_j softmax_j(x_i x_j) x_j + w x_i + b).
struct Oracle {
  std::vector<int> y{0, 1, 0};
  MpInterval eps = from_text<MpInterval>("0.25"), lambda = from_text<MpInterval>("0.01");
  std::vector<MpInterval> step(const std::vector<MpInterval>& x, const MpInterval& w, const MpInterval& b) const {
    std::vector<MpInterval> out;
    for (const MpInterval& xi : x) {
      MpInterval z(0), s(0);
      for (const MpInterval& xj : x) {
        const MpInterval e = exp(xi * xj);
        z += e;
        s += e * xj;
      }
      out.push_back(xi + eps * (s / z + w * xi + b));
    }
    return out;
  }
  MpInterval cost(const std::vector<MpInterval>& x) const {
    MpInterval c(0);
    for (std::size_t i = 0; i < x.size(); ++i) c += log(exp(x[i]) + exp(-x[i])) - (y[i] == 0 ? x[i] : -x[i]);
    return c / MpInterval(static_cast<double>(x.size()));
  }
};

// min over all (fine × fine)^2 action sequences of the enclosure of J (its inf, sup)
std::pair<double, double> fine_minimum(int fine) {
  const Oracle o;
  const std::vector<MpInterval> x0{from_text<MpInterval>("0.313"), from_text<MpInterval>("-0.524"),
                                   from_text<MpInterval>("0.071")};
  std::vector<std::pair<MpInterval, MpInterval>> acts;
  for (int i = 0; i < fine; ++i)
    for (int j = 0; j < fine; ++j)
      acts.emplace_back(MpInterval(-1) + MpInterval(static_cast<double>(i)) / MpInterval(static_cast<double>(2 * (fine - 1))),
                        MpInterval(static_cast<double>(j)) / MpInterval(static_cast<double>(4 * (fine - 1))));
  double best_lo = 1e300, best_hi = 1e300;
  for (const auto& a0 : acts) {
    const std::vector<MpInterval> x1 = o.step(x0, a0.first, a0.second);
    const MpInterval c0 = o.lambda * (sqr(a0.first) + sqr(a0.second));
    for (const auto& a1 : acts) {
      const MpInterval J = c0 + o.lambda * (sqr(a1.first) + sqr(a1.second)) + o.cost(o.step(x1, a1.first, a1.second));
      best_lo = std::min(best_lo, static_cast<double>(inf(J)));
      best_hi = std::min(best_hi, static_cast<double>(sup(J)));
    }
  }
  return {best_lo, best_hi};
}

}  // namespace

TEST_CASE("bellman weights: certified gap brackets the 256-bit exhaustive search over a fine weight grid") {
  MpPrecisionScope scope(test::kOracleBits);
  const GapResult<Interval> r = certify_gap(tiny_weights<Interval>(5));
  REQUIRE(r.verdict.is_proved());
  const auto [fine_lo, fine_hi] = fine_minimum(9);  // 9 × 9 actions per layer, contains the 5 × 5 grid
  MESSAGE("fine min ∈ [", fine_lo, ", ", fine_hi, "], V̂_0 = ", mid(r.quantised_value), ", J(a*) = ", mid(r.upper_bound),
          ", lower = ", inf(r.lower_bound), ", gap ≤ ", sup(r.gap), ", E ≤ ", sup(r.constants.E));
  // V_0 ≤ fine min (a fine-grid sequence is admissible), and V_0 ≥ certified lower bound
  CHECK(inf(r.lower_bound) <= fine_hi);
  // J(a*) − V_0 ≥ J(a*) − fine min: the certified gap must cover it
  CHECK(inf(r.upper_bound) - fine_hi <= sup(r.gap));
  // V̂_0 − V_0 ≤ E, and V_0 ≤ fine min
  CHECK(inf(r.quantised_value) - fine_hi <= sup(r.constants.E));
  // the optimal weight sequence is not trivial: the fine-grid optimum is below J at the box centre
  CHECK(inf(r.upper_bound) >= fine_lo - 1e-12);
  // J(a*) evaluated by the independent oracle lies in the certified upper_bound enclosure
  const Oracle o;
  std::vector<MpInterval> x{from_text<MpInterval>("0.313"), from_text<MpInterval>("-0.524"), from_text<MpInterval>("0.071")};
  MpInterval J(0);
  for (const auto& a : r.actions) {
    const MpInterval w(a(0)), b(a(1));
    J += o.lambda * (sqr(w) + sqr(b));
    x = o.step(x, w, b);
  }
  J += o.cost(x);
  CHECK(!(static_cast<double>(sup(J)) < inf(r.upper_bound) || sup(r.upper_bound) < static_cast<double>(inf(J))));
}

TEST_CASE("bellman weights: FFN-only instance where the action terms of E are needed (256-bit brute force)") {
  // d = 1, n = 2, no attention: x ← x + ε (w x + b), w = a_0 ∈ [−1/2, 1/2] (W[0][0]),
  // b = a_1 ∈ [−1, 1] (b[0]), λ = 2, ε = 1/4, N = 2, grid 2 × 2 (the corners only). The true
  // optimum sits near a = 0 (λ‖a‖² dominates), the grid pays λ(1/4 + 1) per layer: V̂_0 exceeds
  // V_0 by ≈ 4.8, which only the action terms K_a δ_A, L_a δ_A of E cover.
  MpPrecisionScope scope(test::kOracleBits);
  LiftedModel<Interval> m;
  m.dim = 1;
  m.layer.W = transformer::matrix_from_text<Interval>({{"0"}});
  m.layer.b = transformer::vector_from_text<Interval>({"0"});
  m.epsilon = from_text<Interval>("0.25");
  m.layers = 2;
  m.tokens = transformer::matrix_from_text<Interval>({{"0.313"}, {"-0.524"}});
  m.labels = {0, 1};
  m.readout = transformer::matrix_from_text<Interval>({{"1"}, {"-1"}});
  m.controls = {Gate::weight, Gate::weight};
  WeightDirection<Interval> dw, db;
  dw.E = transformer::matrix_from_text<Interval>({{"1"}});
  db.f = transformer::vector_from_text<Interval>({"1"});
  m.directions = {dw, db};
  m.action_lo = transformer::vector_from_text<Interval>({"-0.5", "-1"});
  m.action_hi = transformer::vector_from_text<Interval>({"0.5", "1"});
  m.action_grid = {2, 2};
  m.state_spacing = from_text<Interval>("0.05");
  m.action_penalty = from_text<Interval>("2");
  const GapResult<Interval> r = certify_gap(m);
  REQUIRE(r.verdict.is_proved());
  // independent 256-bit brute force over a 17 × 17 grid per layer
  const int fine = 17;
  const MpInterval eps = from_text<MpInterval>("0.25"), lam(2);
  auto cost = [](const MpInterval& x0, const MpInterval& x1) {  // labels 0, 1; Γ = (1, −1)ᵀ
    return (log(exp(x0) + exp(-x0)) - x0 + log(exp(x1) + exp(-x1)) + x1) / MpInterval(2);
  };
  double best = 1e300;
  for (int i0 = 0; i0 < fine * fine; ++i0) {
    const MpInterval w0 = MpInterval(-0.5) + MpInterval(static_cast<double>(i0 % fine) / (fine - 1));
    const MpInterval b0 = MpInterval(-1) + MpInterval(2.0 * (i0 / fine) / (fine - 1));
    MpInterval x = from_text<MpInterval>("0.313"), y = from_text<MpInterval>("-0.524");
    x = x + eps * (w0 * x + b0);
    y = y + eps * (w0 * y + b0);
    const MpInterval c0 = lam * (sqr(w0) + sqr(b0));
    for (int i1 = 0; i1 < fine * fine; ++i1) {
      const MpInterval w1 = MpInterval(-0.5) + MpInterval(static_cast<double>(i1 % fine) / (fine - 1));
      const MpInterval b1 = MpInterval(-1) + MpInterval(2.0 * (i1 / fine) / (fine - 1));
      const MpInterval J = c0 + lam * (sqr(w1) + sqr(b1)) + cost(x + eps * (w1 * x + b1), y + eps * (w1 * y + b1));
      best = std::min(best, static_cast<double>(sup(J)));
    }
  }
  MESSAGE("fine min ≤ ", best, ", V̂_0 = ", mid(r.quantised_value), ", J(a*) = ", mid(r.upper_bound), ", E ≤ ",
          sup(r.constants.E), ", lower = ", inf(r.lower_bound), ", K_a = ", sup(r.constants.K_a), ", L_a = ", sup(r.constants.L_a));
  CHECK(inf(r.quantised_value) - best > 4);  // the quantisation really costs: E must cover it
  CHECK(inf(r.lower_bound) <= best);
  CHECK(inf(r.upper_bound) - best <= sup(r.gap));
}

TEST_CASE("bellman weights: an entry control at a point equals the plain layer with that entry") {
  // W[0][0] = a: the gap machinery with the weight control at a = −0.45 must agree with the
  // plain model W = −0.45 under the attention gate fixed at 1
  LiftedModel<Interval> w = tiny_weights<Interval>(1);
  w.action_lo = transformer::vector_from_text<Interval>({"-0.45", "0.113"});
  w.action_hi = w.action_lo;
  w.action_penalty = Interval(0);
  LiftedModel<Interval> p = tiny_weights<Interval>(1);
  p.layer.W = transformer::matrix_from_text<Interval>({{"-0.45"}});
  p.layer.b = transformer::vector_from_text<Interval>({"0.113"});
  p.controls = {Gate::attention};
  p.directions.clear();
  p.action_lo = transformer::vector_from_text<Interval>({"1"});
  p.action_hi = p.action_lo;
  p.action_grid = {1};
  p.action_penalty = Interval(0);
  const Interval Jw = enclose_cost_under_actions(w, {w.action_lo, w.action_lo});
  const Interval Jp = enclose_cost_under_actions(p, {p.action_lo, p.action_lo});
  CHECK(!disjoint(Jw, Jp));
  CHECK(wid(Jw) < 1e-12);
}

TEST_CASE("bellman weights: certified L and L_a dominate 256-bit difference quotients over the whole box") {
  // FFN-dominated instance where the box corner matters: d = 2, no attention, W = diag(a_0, 0)
  // with a_0 ∈ [0, 4] (entry W[0][0]), b = (0, a_1) with a_1 ∈ [−1, 1], plus a rotation direction
  // a_2 E, E = [[0, 1], [−1, 0]], a_2 ∈ [−1/2, 1/2]; ε = 1/4, N = 2.
  MpPrecisionScope scope(test::kOracleBits);
  auto build = [](auto tag) {
    using T = decltype(tag);
    LiftedModel<T> m;
    m.dim = 2;
    m.layer.W = transformer::matrix_from_text<T>({{"0", "0"}, {"0", "0"}});
    m.layer.b = transformer::vector_from_text<T>({"0", "0"});
    m.epsilon = from_text<T>("0.25");
    m.layers = 2;
    m.tokens = transformer::matrix_from_text<T>({{"0.3", "-0.2"}, {"-0.1", "0.4"}});
    m.labels = {0, 1};
    m.readout = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "1"}});
    m.controls = {Gate::weight, Gate::weight, Gate::weight};
    WeightDirection<T> a, b, c;
    a.E = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "0"}});
    b.f = transformer::vector_from_text<T>({"0", "1"});
    c.E = transformer::matrix_from_text<T>({{"0", "1"}, {"-1", "0"}});
    m.directions = {a, b, c};
    m.action_lo = transformer::vector_from_text<T>({"0", "-1", "-0.5"});
    m.action_hi = transformer::vector_from_text<T>({"4", "1", "0.5"});
    m.action_grid = {3, 3, 3};
    m.state_spacing = from_text<T>("0.05");
    return m;
  };
  const LiftedModel<Interval> m = build(Interval());
  const LiftedModel<MpInterval> mm = build(MpInterval());
  const GapConstants<Interval> c = upper_bound_quantisation_error(m, 0.0);
  const double L = sup(c.L), La = sup(c.L_a), R = inf(c.R_true);
  MESSAGE("L = ", L, ", L_a = ", La, ", R_true = ", R);
  const GatedLayer<MpInterval> gl(mm);
  std::mt19937 rng(20261204);
  std::uniform_real_distribution<double> u(0, 1);
  auto action = [&](bool corner) {
    Vec<MpInterval> a(3);
    for (Eigen::Index i = 0; i < 3; ++i) {
      const double lo = inf(m.action_lo(i)), hi = sup(m.action_hi(i));
      a(i) = MpInterval(corner ? (u(rng) < 0.5 ? lo : hi) : lo + (hi - lo) * u(rng));
    }
    return a;
  };
  auto tokens = [&]() {  // two tokens in the ball ‖x‖ ≤ R
    Vec<MpInterval> X(4);
    for (int i = 0; i < 2; ++i) {
      const double t = 6.283185307179586 * u(rng), r = R * std::sqrt(u(rng));
      X(2 * i) = MpInterval(r * std::cos(t));
      X(2 * i + 1) = MpInterval(r * std::sin(t));
    }
    return X;
  };
  auto F = [&](const Vec<MpInterval>& X, const Vec<MpInterval>& a) {
    Vec<MpInterval> A, Fd;
    gl.evaluate(X, A, Fd);
    return gl.apply(X, A, Fd, gl.weight_terms(X), mm.epsilon, a);
  };
  auto tok_norm = [](const Vec<MpInterval>& v, int i) { return sqrt(sqr(v(2 * i)) + sqr(v(2 * i + 1))); };
  double worst_x = 0, worst_a = 0;
  for (int s = 0; s < 400; ++s) {
    const Vec<MpInterval> X = tokens();
    // state quotient: (1/n) Σ ‖F_i(X) − F_i(X')‖ / (1/n) Σ ‖x_i − x'_i‖ at an action of the box
    const Vec<MpInterval> a = action(s % 2 == 0);
    Vec<MpInterval> X2 = X;
    for (Eigen::Index k = 0; k < 4; ++k) X2(k) += MpInterval(1e-3 * (u(rng) - 0.5));
    if (s % 4 == 0) {  // along the first coordinate of both tokens (the direction W(a) stretches)
      X2 = X;
      X2(0) += MpInterval(1e-3);
      X2(2) += MpInterval(1e-3);
    }
    const Vec<MpInterval> d1 = F(X, a) - F(X2, a), d0 = X - X2;
    const MpInterval qx = (tok_norm(d1, 0) + tok_norm(d1, 1)) / (tok_norm(d0, 0) + tok_norm(d0, 1));
    worst_x = std::max(worst_x, static_cast<double>(inf(qx)));
    // action quotient per token: ‖F_i(X; a) − F_i(X; a')‖ / ‖a − a'‖
    const Vec<MpInterval> a2 = action(s % 3 == 0);
    const Vec<MpInterval> e = F(X, a) - F(X, a2);
    const MpInterval da = sqrt(sqr(a(0) - a2(0)) + sqr(a(1) - a2(1)) + sqr(a(2) - a2(2)));
    if (!(inf(da) > 0)) continue;
    for (int i = 0; i < 2; ++i) worst_a = std::max(worst_a, static_cast<double>(inf(tok_norm(e, i) / da)));
  }
  MESSAGE("sampled state quotient ", worst_x, " ≤ L = ", L, "; sampled action quotient ", worst_a, " ≤ L_a = ", La);
  CHECK(worst_x <= L);
  CHECK(worst_a <= La);
  CHECK(worst_x > 1.9);  // the corner a_0 = 4 is sampled: ‖I + εW‖ = 2 there
}

TEST_CASE("bellman weights: δ_A against the brute-force max–min distance of the action box to the grid") {
  MpPrecisionScope scope(test::kOracleBits);
  for (int grid : {1, 2, 5}) {
    const LiftedModel<Interval> m = tiny_weights<Interval>(grid);
    const double dA = sup(enclose_action_covering_radius(m));
    const auto pts = action_grid_points(m);
    std::mt19937 rng(7 + grid);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<std::pair<double, double>> sample;
    for (int s = 0; s < 3000; ++s) sample.emplace_back(-1 + 0.5 * u(rng), 0.25 * u(rng));
    // the corners and the centres of the grid cells (where the distance is maximal)
    const int cells = grid == 1 ? 1 : grid - 1;
    for (int i = 0; i <= 2 * cells; ++i)
      for (int j = 0; j <= 2 * cells; ++j)
        sample.emplace_back(-1 + 0.5 * static_cast<double>(i) / (2 * cells), 0.25 * static_cast<double>(j) / (2 * cells));
    double worst = 0;
    for (const auto& [p, q] : sample) {
      double best = 1e300;
      for (const auto& a : pts) {
        const MpInterval dist = sqrt(sqr(MpInterval(p) - MpInterval(a(0))) + sqr(MpInterval(q) - MpInterval(a(1))));
        best = std::min(best, static_cast<double>(inf(dist)));
      }
      worst = std::max(worst, best);
    }
    MESSAGE("grid ", grid, ": δ_A = ", dA, ", brute-force max–min ", worst);
    CHECK(worst <= dA);
    CHECK(dA <= worst * (1 + 1e-9) + 1e-15);  // tight: attained at a cell centre / the far corner
  }
}
