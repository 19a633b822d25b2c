// tests/euler — discrete adjoint / gradient enclosures (docs/mathematics.md §2, Pontryagin): closed-form oracle
// for f = w x + b, finite-difference consistency at 128 bits on an attention model, and the
// three verdicts of certify_not_stationary / certify_near_stationary.
#include "certiformer/euler.hpp"

#include "adjoint_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;
using certiformer::test::attention_layer;
using certiformer::test::readout;
using certiformer::test::tokens;

namespace {
template <class T> T loss_of(const Layer<T>& l, std::size_t L) {
  const TransformerField<T> f(3, 2, Control<T>::constant(l));
  const auto m = enclose_discrete_iterates<T>(f, tokens<T>(), T(1), L);
  REQUIRE(m.verdict.is_proved());
  return enclose_risk<T, T>(readout<T>(), m.iterates.back());
}
}  // namespace

TEST_CASE("adjoint: f = w x + b, one token — closed-form dJ/dw, dJ/db") {
  Layer<Interval> l;
  l.W = matrix_from_text<Interval>({{"0.5"}});
  l.b = vector_from_text<Interval>({"0.25"});
  const TransformerField<Interval> f(1, 1, Control<Interval>::constant(l));
  const Readout<Interval> ro{matrix_from_text<Interval>({{"1"}, {"-1"}}), {0}};
  const std::size_t L = 8;
  const GradientEnclosure<Interval> g = enclose_loss_gradient(f, vector_from_text<Interval>({"1"}), ro, Interval(1), L);
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.names.size() == 2);
  CHECK(g.names[0] == "W[0][0]");
  CHECK(g.names[1] == "b[0]");
  const Interval w = from_text<Interval>("0.5"), b = from_text<Interval>("0.25"), eps = Interval(1) / Interval(8);
  const Interval a = Interval(1) + eps * w;
  const Interval aL = pow(a, 8), aL1 = pow(a, 7);
  const Interval XL = aL + b * (aL - Interval(1)) / w;
  const Interval dXdb = (aL - Interval(1)) / w;
  const Interval dXdw = Interval(8) * aL1 * eps + b * (Interval(8) * aL1 * eps * w - (aL - Interval(1))) / sqr(w);
  const Interval dl = Interval(-2) / (Interval(1) + exp(Interval(2) * XL));  // ℓ(x, 0) = log(1 + e^{−2x})
  CHECK(!disjoint(g.gradient(0), dl * dXdw));
  CHECK(!disjoint(g.gradient(1), dl * dXdb));
  CHECK(wid(g.gradient(0)) < 1e-12);
  CHECK(!disjoint(g.loss, log1p(exp(Interval(-2) * XL))));
  CHECK(certify_not_stationary(g).is_proved());
}

TEST_CASE("adjoint: attention model — central differences at 128 bits agree with the enclosure") {
  MpPrecisionScope scope(128);
  using T = MpInterval;
  const Layer<T> l = attention_layer<T>();
  const std::size_t L = 16;
  const TransformerField<T> f(3, 2, Control<T>::constant(l));
  const GradientEnclosure<T> g = enclose_loss_gradient(f, tokens<T>(), readout<T>(), T(1), L);
  REQUIRE(g.verdict.is_proved());
  const T h = from_text<T>("1e-10");
  // central difference: (J(θ + h e_j) − J(θ − h e_j)) / 2h = ∂J/∂θ_j + O(h²)
  auto check_param = [&](auto&& set, std::size_t j) {
    Layer<T> lp = l, lm = l;
    set(lp, h);
    set(lm, -h);
    const T fd = (loss_of<T>(lp, L) - loss_of<T>(lm, L)) / (T(2) * h);
    INFO(g.names[j]);
    CHECK(static_cast<double>(mag(fd - g.gradient(static_cast<Eigen::Index>(j)))) < 1e-9);
    CHECK(static_cast<double>(wid(g.gradient(static_cast<Eigen::Index>(j)))) < 1e-20);
  };
  // parameter order: beta, heads[0].Q (4), K (4), V (4), heads[1].B (4), V (4), W (4), b (2)
  REQUIRE(g.names.size() == 1 + 12 + 8 + 4 + 2);
  CHECK(g.names[0] == "beta");
  CHECK(g.names[2] == "heads[0].Q[0][1]");
  CHECK(g.names[13] == "heads[1].B[0][0]");
  CHECK(g.names[26] == "b[1]");
  check_param([](Layer<T>& x, const T& d) { x.beta = x.beta + d; }, 0);
  check_param([](Layer<T>& x, const T& d) { x.heads[0].Q(0, 1) = x.heads[0].Q(0, 1) + d; }, 2);
  check_param([](Layer<T>& x, const T& d) { x.heads[0].K(1, 0) = x.heads[0].K(1, 0) + d; }, 7);
  check_param([](Layer<T>& x, const T& d) { x.heads[1].B(0, 0) = x.heads[1].B(0, 0) + d; }, 13);
  check_param([](Layer<T>& x, const T& d) { x.heads[1].V(1, 1) = x.heads[1].V(1, 1) + d; }, 20);
  check_param([](Layer<T>& x, const T& d) { x.W(1, 0) = x.W(1, 0) + d; }, 23);
  check_param([](Layer<T>& x, const T& d) { x.b(1) = x.b(1) + d; }, 26);
}

TEST_CASE("adjoint: Pontryagin verdicts — not stationary, near stationary proved / refuted / unknown") {
  const Layer<Interval> l = attention_layer<Interval>();
  const TransformerField<Interval> f(3, 2, Control<Interval>::constant(l));
  const GradientEnclosure<Interval> g = enclose_loss_gradient(f, tokens<Interval>(), readout<Interval>(), Interval(1), 32);
  REQUIRE(g.verdict.is_proved());
  CHECK(certify_not_stationary(g).is_proved());
  CHECK(certify_near_stationary(g, Interval(1000)).is_proved());
  CHECK(certify_near_stationary(g, from_text<Interval>("1e-6")).status() == Status::refuted);
  Interval n2(0);
  for (Eigen::Index j = 0; j < g.gradient.size(); ++j) n2 += sqr(g.gradient(j));
  const Interval nrm = sqrt(n2);
  CHECK(certify_near_stationary(g, Interval(mid(nrm))).status() == Status::unknown);
  // a gradient of exactly zero: labels that make the read-out flat (Γ = 0) — 0 ∈ every entry
  Readout<Interval> flat{matrix_from_text<Interval>({{"0", "0"}, {"0", "0"}}), {0, 1, 0}};
  const GradientEnclosure<Interval> z = enclose_loss_gradient(f, tokens<Interval>(), flat, Interval(1), 8);
  REQUIRE(z.verdict.is_proved());
  CHECK(certify_not_stationary(z).status() == Status::unknown);
  CHECK(certify_near_stationary(z, from_text<Interval>("1e-30")).is_proved());
}

// ---- continuous flow (duality with the tangent-linear equation) ---------------------------------

TEST_CASE_TEMPLATE("flow adjoint: f = w x + b, one token — closed-form dJ/dw, dJ/db, p(0)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  Layer<T> l;
  l.W = matrix_from_text<T>({{"0.5"}});
  l.b = vector_from_text<T>({"0.25"});
  const TransformerField<T> f(1, 1, Control<T>::constant(l));
  const Readout<T> ro{matrix_from_text<T>({{"1"}, {"-1"}}), {0}};
  const GradientEnclosure<T> g = enclose_flow_loss_gradient<T>(f, vector_from_text<T>({"1"}), ro, 1.0, {}, {}, true);
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.names.size() == 2);
  // X(T) = e^{w} + b(e^{w} − 1)/w (T = 1, x0 = 1), ∂X/∂w = e^{w} + b(w e^{w} − (e^{w} − 1))/w²,
  // ∂X/∂b = (e^{w} − 1)/w, ∂X/∂x0 = e^{w}; ℓ(x, 0) = log(1 + e^{−2x}), ℓ' = −2/(1 + e^{2x}).
  const T w = from_text<T>("0.5"), b = from_text<T>("0.25"), ew = exp(w);
  const T X = ew + b * (ew - T(1)) / w;
  const T dl = T(-2) / (T(1) + exp(T(2) * X));
  const T dw = dl * (ew + b * (w * ew - (ew - T(1))) / sqr(w));
  const T db = dl * (ew - T(1)) / w;
  const T p0 = dl * ew;
  CHECK(!disjoint(g.gradient(0), dw));
  CHECK(!disjoint(g.gradient(1), db));
  REQUIRE(g.initial_adjoint.size() == 1);
  CHECK(!disjoint(g.initial_adjoint(0), p0));
  CHECK(!disjoint(g.terminal_adjoint(0), dl));
  CHECK(!disjoint(g.loss, log1p(exp(T(-2) * X))));
  const double tight = std::is_same_v<T, Interval> ? 1e-12 : 1e-60;
  CHECK(static_cast<double>(wid(g.gradient(0))) < tight);
  CHECK(static_cast<double>(wid(g.gradient(1))) < tight);
  CHECK(static_cast<double>(wid(g.initial_adjoint(0))) < tight);
  // a mutation check: the closed form of a different parameter is certainly excluded
  CHECK(disjoint(g.gradient(0), db));
}

TEST_CASE("flow adjoint: attention model — discrete gradients converge at rate 1/L to the flow gradient") {
  const Layer<Interval> l = attention_layer<Interval>();
  const TransformerField<Interval> f(3, 2, Control<Interval>::constant(l));
  const GradientEnclosure<Interval> gf = enclose_flow_loss_gradient<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0);
  REQUIRE(gf.verdict.is_proved());
  const GradientEnclosure<Interval> g1 = enclose_loss_gradient(f, tokens<Interval>(), readout<Interval>(), Interval(1), 256);
  const GradientEnclosure<Interval> g2 = enclose_loss_gradient(f, tokens<Interval>(), readout<Interval>(), Interval(1), 512);
  REQUIRE(g1.verdict.is_proved());
  REQUIRE(g2.verdict.is_proved());
  REQUIRE(gf.names == g1.names);
  CHECK(!disjoint(gf.loss, enclose_risk<Interval, Interval>(readout<Interval>(), ode::enclose_flow<Interval>(f, 0.0, tokens<Interval>(), 1.0).enclosure)));
  int compared = 0;
  for (Eigen::Index j = 0; j < gf.gradient.size(); ++j) {
    INFO(gf.names[static_cast<std::size_t>(j)]);
    CHECK(wid(gf.gradient(j)) < 1e-10);
    const double e1 = mid(g1.gradient(j)) - mid(gf.gradient(j));
    const double e2 = mid(g2.gradient(j)) - mid(gf.gradient(j));
    CHECK(std::fabs(e1) < 0.05 * (1 + std::fabs(mid(gf.gradient(j)))));
    if (std::fabs(e1) < 1e-6) continue;  // O(1/L) term too small to see the rate
    ++compared;
    CHECK(e1 / e2 > 1.9);
    CHECK(e1 / e2 < 2.1);
  }
  CHECK(compared > 10);
}

TEST_CASE("flow adjoint: binary64 and 128-bit enclosures overlap; directional derivative = v · gradient") {
  const Layer<Interval> l = attention_layer<Interval>();
  const TransformerField<Interval> f(3, 2, Control<Interval>::constant(l));
  const std::vector<long> some = {0, 3, 13, 20, 26};
  const GradientEnclosure<Interval> g = enclose_flow_loss_gradient<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, {}, some);
  REQUIRE(g.verdict.is_proved());
  {
    MpPrecisionScope scope(128);
    using M = MpInterval;
    const TransformerField<M> fm(3, 2, Control<M>::constant(attention_layer<M>()));
    const std::vector<long> two = {0, 26};
    const GradientEnclosure<M> gm = enclose_flow_loss_gradient<M>(fm, tokens<M>(), readout<M>(), 1.0, {}, two);
    REQUIRE(gm.verdict.is_proved());
    for (long j : two) {
      CHECK(!disjoint(to_interval(gm.gradient(j)), g.gradient(j)));
      CHECK(static_cast<double>(wid(gm.gradient(j))) < 1e-25);
    }
  }
  // entries not requested are the whole line, never a claim
  CHECK(!is_bounded(g.gradient(1)));
  // direction v = 2 e_0 − e_13 + 0.5 e_26 (beta, heads[1].B[0][0], b[1])
  Vec<Interval> coef = Vec<Interval>::Constant(g.gradient.size(), Interval(0));
  coef(0) = Interval(2);
  coef(13) = Interval(-1);
  coef(26) = Interval(0.5);
  const Layer<Interval> v = layer_direction(l, coef);
  CHECK(v.heads[1].B(0, 0) == Interval(-1));
  CHECK_THROWS_AS(layer_direction<Interval>(l, Vec<Interval>::Constant(3, Interval(0))), std::invalid_argument);
  const auto [vd, dv] = enclose_flow_directional_derivative<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, v);
  REQUIRE(vd.is_proved());
  CHECK(!disjoint(dv, Interval(2) * g.gradient(0) - g.gradient(13) + Interval(0.5) * g.gradient(26)));
  CHECK(certify_flow_not_stationary<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, v).is_proved());
  // a direction whose β component makes β + v_β ≤ 0 (β = 1, v_β = −3): still J'·v = −3 ∂J/∂β
  Vec<Interval> cb = Vec<Interval>::Constant(g.gradient.size(), Interval(0));
  cb(0) = Interval(-3);
  const auto [vb, db] = enclose_flow_directional_derivative<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0,
                                                                      layer_direction<Interval>(l, cb));
  REQUIRE(vb.is_proved());
  CHECK(!disjoint(db, Interval(-3) * g.gradient(0)));
  CHECK(wid(db) < 1e-10);
  const Layer<Interval> zero = layer_direction<Interval>(l, Vec<Interval>::Constant(g.gradient.size(), Interval(0)));
  CHECK(certify_flow_not_stationary<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, zero).status() == Status::unknown);
  // bad input: a smooth time-varying control needs one direction layer per basis function, and a
  // direction of the wrong shape (the sphere model, per-layer and smooth controls are supported:
  // tests/euler/containment_flow_adjoint_layers.cpp, containment_flow_adjoint_smooth.cpp)
  Basis<Interval> one, lin;
  lin.kind = Basis<Interval>::power;
  lin.exponent = 1;
  const TransformerField<Interval> fs(3, 2, Control<Interval>::smooth({one, lin}, {l, l}));
  CHECK_THROWS_AS(enclose_flow_directional_derivative<Interval>(fs, tokens<Interval>(), readout<Interval>(), 1.0, l),
                  std::invalid_argument);
  Layer<Interval> bad;
  bad.W = matrix_from_text<Interval>({{"1", "0"}, {"0", "1"}});
  CHECK_THROWS_AS(enclose_flow_directional_derivative<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, bad),
                  std::invalid_argument);
  CHECK_THROWS_AS(enclose_flow_loss_gradient<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, {}, {99}),
                  std::invalid_argument);
}

TEST_CASE("adjoint: per-layer (piecewise-constant) controls — closed form for f = w_i x + b_i, two layers") {
  // θ(t) = (w1, b1) on [0, 1/2), (w2, b2) on [1/2, 1]; L = 8, ε = 1/8: four steps per layer,
  // x_{k+1} = a_i x_k + ε b_i, a_i = 1 + ε w_i. x4 = a1⁴ x0 + b1 (a1⁴ − 1)/w1, x8 = a2⁴ x4 + b2 (a2⁴ − 1)/w2.
  const std::vector<Layer<Interval>> ls = certiformer::test::two_affine_layers<Interval>();
  const TransformerField<Interval> f(1, 1, Control<Interval>::piecewise({0.5}, ls));
  const Readout<Interval> ro = certiformer::test::two_class_readout<Interval>();
  const GradientEnclosure<Interval> g = enclose_loss_gradient(f, vector_from_text<Interval>({"1"}), ro, Interval(1), 8);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.names.size() == 4);
  CHECK(g.names[0] == "layers[0].W[0][0]");
  CHECK(g.names[3] == "layers[1].b[0]");
  using I = Interval;
  const I eps = I(1) / I(8), x0(1);
  const I w1 = from_text<I>("0.5"), b1 = from_text<I>("0.25"), w2 = from_text<I>("-0.75"), b2 = from_text<I>("0.5");
  const I a1 = I(1) + eps * w1, a2 = I(1) + eps * w2;
  const I A1 = pow(a1, 4), A2 = pow(a2, 4);
  const I x4 = A1 * x0 + b1 * (A1 - I(1)) / w1;
  const I x8 = A2 * x4 + b2 * (A2 - I(1)) / w2;
  // d/dw of (a⁴ − 1)/w with a = 1 + εw: (4a³ε w − (a⁴ − 1))/w²
  auto dgeo = [&](const I& a, const I& w) { return (I(4) * pow(a, 3) * eps * w - (pow(a, 4) - I(1))) / sqr(w); };
  const I dx4_dw1 = I(4) * pow(a1, 3) * eps * x0 + b1 * dgeo(a1, w1), dx4_db1 = (A1 - I(1)) / w1;
  const I dx8_dw1 = A2 * dx4_dw1, dx8_db1 = A2 * dx4_db1;
  const I dx8_dw2 = I(4) * pow(a2, 3) * eps * x4 + b2 * dgeo(a2, w2), dx8_db2 = (A2 - I(1)) / w2;
  const I dl = I(-2) / (I(1) + exp(I(2) * x8));  // ℓ(x, 0) = log(1 + e^{−2x})
  const I expect[4] = {dl * dx8_dw1, dl * dx8_db1, dl * dx8_dw2, dl * dx8_db2};
  for (int j = 0; j < 4; ++j) {
    CAPTURE(j);
    CHECK(!disjoint(g.gradient(j), expect[j]));
    CHECK(wid(g.gradient(j)) < 1e-12);
  }
  CHECK(!disjoint(g.loss, log1p(exp(I(-2) * x8))));
}

TEST_CASE("adjoint: a breakpoint on the grid kT/L with ε = T/L not a double (T = 1, L = 6, breakpoint 1/2)") {
  // two equal pieces: the per-piece gradients sum to the constant-control gradient; before the
  // grid times were taken from the horizon, step 3's time 3·(1/6) straddled 1/2 and the run was unknown
  const std::size_t L = 6;
  const Layer<Interval> l = attention_layer<Interval>();
  const TransformerField<Interval> fc(3, 2, Control<Interval>::constant(l));
  const TransformerField<Interval> fp(3, 2, Control<Interval>::piecewise({0.5}, {l, l}));
  const auto gc = enclose_loss_gradient(fc, tokens<Interval>(), readout<Interval>(), Interval(1), L);
  const auto gp = enclose_loss_gradient(fp, tokens<Interval>(), readout<Interval>(), Interval(1), L);
  REQUIRE(gc.verdict.is_proved());
  REQUIRE(gp.verdict.is_proved());
  const Eigen::Index P = gc.gradient.size();
  REQUIRE(gp.gradient.size() == 2 * P);
  for (Eigen::Index j = 0; j < P; ++j) {
    CAPTURE(j);
    CHECK(!disjoint(gp.gradient(j) + gp.gradient(P + j), gc.gradient(j)));
    // each piece carries a part: steps 0-2 the first layer, steps 3-5 the second
    CHECK(wid(gp.gradient(j)) < 1e-9);
  }
  CHECK(!disjoint(gp.loss, gc.loss));
}

TEST_CASE("adjoint: per-layer controls — equal layers sum to the constant-control gradient; 256 bits inside binary64") {
  const std::size_t L = 8;  // ε = 1/8: every step time k/8 is exact, none straddles a breakpoint
  // (1) three equal layers: Σ_i ∂J/∂θ_{i,j} = ∂J/∂θ_j of the constant control (the same network)
  {
    const Layer<Interval> l = attention_layer<Interval>();
    const TransformerField<Interval> fc(3, 2, Control<Interval>::constant(l));
    const TransformerField<Interval> fp(3, 2, Control<Interval>::piecewise({0.25, 0.75}, {l, l, l}));
    const auto gc = enclose_loss_gradient(fc, tokens<Interval>(), readout<Interval>(), Interval(1), L);
    const auto gp = enclose_loss_gradient(fp, tokens<Interval>(), readout<Interval>(), Interval(1), L);
    REQUIRE(gc.verdict.is_proved());
    REQUIRE(gp.verdict.is_proved());
    const Eigen::Index P = gc.gradient.size();
    REQUIRE(gp.gradient.size() == 3 * P);
    CHECK(gp.names[static_cast<std::size_t>(P)] == "layers[1]." + gc.names[0]);
    for (Eigen::Index j = 0; j < P; ++j) {
      CAPTURE(j);
      const Interval sum = gp.gradient(j) + gp.gradient(P + j) + gp.gradient(2 * P + j);
      CHECK(!disjoint(sum, gc.gradient(j)));
      CHECK(wid(gc.gradient(j)) < 1e-9);
    }
    CHECK(!disjoint(gp.loss, gc.loss));
  }
  // (2) three different layers (the third scaled): the 256-bit enclosure meets the binary64 one
  //     entry by entry and is far narrower
  auto layers = [](auto tag) {
    using T = decltype(tag);
    Layer<T> a = attention_layer<T>(), b = attention_layer<T>(), c = attention_layer<T>();
    b.W = matrix_from_text<T>({{"0.1", "-0.3"}, {"0.2", "0.05"}});
    c.beta = from_text<T>("0.5");
    c.b = vector_from_text<T>({"-0.2", "0.15"});
    return std::vector<Layer<T>>{a, b, c};
  };
  const TransformerField<Interval> fd(3, 2, Control<Interval>::piecewise({0.25, 0.5}, layers(Interval())));
  const auto gd = enclose_loss_gradient(fd, tokens<Interval>(), readout<Interval>(), Interval(1), L);
  REQUIRE(gd.verdict.is_proved());
  MpPrecisionScope scope(256);
  const TransformerField<MpInterval> fm(3, 2, Control<MpInterval>::piecewise({0.25, 0.5}, layers(MpInterval())));
  const auto gm = enclose_loss_gradient(fm, tokens<MpInterval>(), readout<MpInterval>(), MpInterval(1), L);
  REQUIRE(gm.verdict.is_proved());
  REQUIRE(gm.gradient.size() == gd.gradient.size());
  double worst = 0;
  for (Eigen::Index j = 0; j < gd.gradient.size(); ++j) {
    CAPTURE(j);
    const Interval m = to_interval(gm.gradient(j));
    CHECK(!disjoint(m, gd.gradient(j)));
    CHECK(wid(m) <= wid(gd.gradient(j)));
    worst = std::max(worst, wid(gd.gradient(j)));
  }
  MESSAGE("per-layer gradient, 3 layers x ", gd.gradient.size() / 3, " parameters: widest binary64 entry ", worst);
}

TEST_CASE("adjoint: sphere model — closed form on the circle (normalised Euler step of a rotation)") {
  // One token on the unit circle, W = αI + ωJ (J = [[0, −1], [1, 0]]), b = 0: the projected field
  // is f = P_x W x = ωJx (⟨x, Jx⟩ = 0, |x| = 1), and the normalised step x ↦ (x + εωJx)/|·| rotates
  // by atan(εω). So φ_L = φ0 + L·atan(εω), J = ℓ(x_L) with x_L = (cos φ_L, sin φ_L), and
  //   ∂J/∂W[1][0] − ∂J/∂W[0][1] = dJ/dω = ℓ'(x_L)·(−sin φ_L, cos φ_L) · Lε/(1 + ε²ω²),
  //   ∂J/∂W[0][0] + ∂J/∂W[1][1] = dJ/dα = 0.
  // Oracle at 256 bits: z_L = z0 · ((1 + iεω)/|1 + iεω|)^L in complex arithmetic.
  const std::size_t L = 16;
  auto run = [&](auto tag) {
    using T = decltype(tag);
    Layer<T> l;
    l.W = matrix_from_text<T>({{"0.25", "-0.5"}, {"0.5", "0.25"}});  // α = 1/4, ω = 1/2
    l.b = vector_from_text<T>({"0", "0"});
    const TransformerField<T> f(1, 2, Control<T>::constant(l), /*sphere=*/true);
    const Readout<T> ro{matrix_from_text<T>({{"1", "0.5"}, {"-0.5", "1"}}), {0}};
    return enclose_loss_gradient(f, vector_from_text<T>({"0.6", "0.8"}), ro, T(1), L);
  };
  const auto g = run(Interval());
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  auto idx = [&](const std::string& nm) {
    for (std::size_t j = 0; j < g.names.size(); ++j)
      if (g.names[j] == nm) return static_cast<Eigen::Index>(j);
    FAIL("no parameter " << nm);
    return Eigen::Index(-1);
  };
  MpPrecisionScope scope(256);
  using M = MpInterval;
  const M eps = M(1) / M(16), om = from_text<M>("0.5");
  const M nrm = sqrt(M(1) + sqr(eps * om));
  M re = from_text<M>("0.6"), im = from_text<M>("0.8");
  for (std::size_t k = 0; k < L; ++k) {  // z ← z (1 + iεω)/|1 + iεω|
    const M r2 = (re - im * eps * om) / nrm, i2 = (im + re * eps * om) / nrm;
    re = r2;
    im = i2;
  }
  // ℓ(x) = −log softmax(Γx)_0, ∇ℓ = Γᵀ(softmax(Γx) − e_0), Γ = [[1, 1/2], [−1/2, 1]]
  const M z0 = re + M(0.5) * im, z1 = M(-0.5) * re + im;
  const M s0 = M(1) / (M(1) + exp(z1 - z0)), s1 = M(1) - s0;
  const M g0 = (s0 - M(1)) * M(1) + s1 * M(-0.5), g1 = (s0 - M(1)) * M(0.5) + s1 * M(1);
  const M dJdw = (g0 * (-im) + g1 * re) * M(16) * eps / (M(1) + sqr(eps * om));
  const Interval rot = g.gradient(idx("W[1][0]")) - g.gradient(idx("W[0][1]"));
  const Interval rad = g.gradient(idx("W[0][0]")) + g.gradient(idx("W[1][1]"));
  CHECK(!disjoint(rot, to_interval(dJdw)));
  CHECK(contains_zero(rad));
  // measured 1.4e-13 (midpoint-radius adjoint); the entrywise interval projection gave 2.5e-10
  CHECK(wid(rot) < 1e-12);
  CHECK(wid(rad) < 1e-12);
  CHECK(certainly_positive(abs(rot)));  // the check is not vacuous: dJ/dω ≠ 0
  const M loss = log1p(exp(z1 - z0));
  CHECK(!disjoint(g.loss, to_interval(loss)));
  // the same computation at 256 bits lies inside the binary64 enclosure, entry by entry
  const auto gm = run(MpInterval());
  REQUIRE(gm.verdict.is_proved());
  for (Eigen::Index j = 0; j < g.gradient.size(); ++j) {
    CAPTURE(j);
    CHECK(!disjoint(to_interval(gm.gradient(j)), g.gradient(j)));
  }
  MESSAGE("sphere: dJ/domega in ", rot, " (closed form ", to_interval(dJdw), ")");
}

TEST_CASE("adjoint: sphere model with attention — binary64 and 256-bit enclosures agree") {
  auto run = [&](auto tag) {
    using T = decltype(tag);
    Layer<T> l = attention_layer<T>();
    const TransformerField<T> f(3, 2, Control<T>::constant(l), /*sphere=*/true);
    const Vec<T> X0 = vector_from_text<T>({"0.6", "-0.8", "-0.28", "0.96", "1", "0"});  // unit tokens
    return enclose_loss_gradient(f, X0, readout<T>(), T(1), 16);
  };
  const auto g = run(Interval());
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  MpPrecisionScope scope(256);
  const auto gm = run(MpInterval());
  REQUIRE(gm.verdict.is_proved());
  double worst = 0, worst_m = 0;
  for (Eigen::Index j = 0; j < g.gradient.size(); ++j) {
    CAPTURE(j);
    CHECK(!disjoint(to_interval(gm.gradient(j)), g.gradient(j)));
    worst = std::max(worst, wid(g.gradient(j)));
    worst_m = std::max(worst_m, wid(to_interval(gm.gradient(j))));
  }
  CHECK(worst < 5e-12);  // measured 4.2e-13 (the entrywise interval projection gave 4.9e-10)
  MESSAGE("sphere attention: ", g.gradient.size(), " parameters, widest binary64 entry ", worst, ", 256-bit ", worst_m);
}
