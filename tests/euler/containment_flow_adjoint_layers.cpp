// tests/euler — the continuous-flow adjoint (docs/euler.md §9) for per-layer (piecewise-constant)
// controls and for the sphere model: every binary64 gradient enclosure contains the central
// difference quotient (J(θ + h e_j) − J(θ − h e_j))/(2h) of the validated flow loss at 256 bits
// (h = 2⁻⁶⁶ ≈ 1.4e-20, the quotient's O(h²) error is below the slack 1e-30), closed forms
// (f = w_i x + b_i on R per layer; a rotation on the circle), equal layers summing to the
// constant-control gradient, and the discrete adjoint (euler.error at L = 1024) approaching the
// flow gradient at rate 1/L.
#include "certiformer/cert.hpp"
#include "config_support.hpp"
#include "certiformer/euler.hpp"

#include "adjoint_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;
using certiformer::test::attention_layer;
using certiformer::test::readout;
using certiformer::test::tokens;
using certiformer::test::unit_tokens;
using certiformer::test::index_of;
using certiformer::test::validated_flow_loss;

namespace {
/// Three different layers on [0, 1/4), [1/4, 1/2), [1/2, ∞).
template <class T> std::vector<Layer<T>> three_layers() {
  Layer<T> a = attention_layer<T>(), b = attention_layer<T>(), c = attention_layer<T>();
  b.W = matrix_from_text<T>({{"0.1", "-0.3"}, {"0.2", "0.05"}});
  b.heads[0].Q = matrix_from_text<T>({{"0.2", "-0.3"}, {"0.1", "0.5"}});
  c.beta = from_text<T>("0.5");
  c.b = vector_from_text<T>({"-0.2", "0.15"});
  return {a, b, c};
}
const std::vector<double> three_breaks = {0.25, 0.5};
/// The layer l with its parameter number j (visiting order) shifted by delta.
template <class T> Layer<T> shifted_param(Layer<T> l, long j, const T& delta) {
  long k = 0;
  euler::detail::visit_layer_parameters<T>(l, [&](T& v, const std::string&) {
    if (k++ == j) v = v + delta;
  });
  return l;
}
/// 256-bit central difference quotient of the flow loss in parameter j of piece `piece`, as the
/// binary64 enclosure of the quotient widened by the O(h²) slack (1e-30).
Interval quotient_256(const std::vector<Layer<MpInterval>>& layers, const std::vector<double>& breaks, bool sphere,
                      const Vec<MpInterval>& X0, std::size_t piece, long j) {
  using M = MpInterval;
  const M h = M(std::ldexp(1.0, -66));
  auto J = [&](const M& delta) {
    std::vector<Layer<M>> ls = layers;
    ls[piece] = shifted_param<M>(ls[piece], j, delta);
    const Control<M> c = breaks.empty() ? Control<M>::constant(ls[0]) : Control<M>::piecewise(breaks, ls);
    const TransformerField<M> f(3, 2, c, sphere);
    return validated_flow_loss<M>(f, X0, readout<M>(), 40, -200);  // J to ~1e-58 at 256 bits
  };
  const M q = (J(h) - J(-h)) / (M(2) * h);
  CHECK(static_cast<double>(wid(q)) < 1e-35);  // the 256-bit flows are that tight: a real check
  return to_interval(q) + Interval(-1e-30, 1e-30);
}
}  // namespace

TEST_CASE_TEMPLATE("flow adjoint, per-layer: f = w_i x + b_i on R, two layers — closed form", T, Interval, MpInterval) {
  // θ(t) = (w1, b1) on [0, 1/2), (w2, b2) on [1/2, 1]; τ = 1/2, E_i = e^{w_i τ}:
  //   X(τ) = E1 x0 + b1 (E1 − 1)/w1,  X(1) = E2 X(τ) + b2 (E2 − 1)/w2,
  //   ∂X(1)/∂w1 = E2 (τ E1 x0 + b1 (τ w1 E1 − (E1 − 1))/w1²),  ∂X(1)/∂b1 = E2 (E1 − 1)/w1,
  //   ∂X(1)/∂w2 = τ E2 X(τ) + b2 (τ w2 E2 − (E2 − 1))/w2²,   ∂X(1)/∂b2 = (E2 − 1)/w2,
  //   ∂X(1)/∂x0 = E1 E2; J = ℓ(X(1)), ℓ(x) = log(1 + e^{−2x}), ℓ' = −2/(1 + e^{2x}).
  MpPrecisionScope scope(256);
  const std::vector<Layer<T>> ls = certiformer::test::two_affine_layers<T>();
  const Layer<T>& l1 = ls[0];
  const Layer<T>& l2 = ls[1];
  const TransformerField<T> f(1, 1, Control<T>::piecewise({0.5}, ls));
  const Readout<T> ro = certiformer::test::two_class_readout<T>();
  const GradientEnclosure<T> g = enclose_flow_loss_gradient<T>(f, vector_from_text<T>({"1"}), ro, 1.0, {}, {}, true);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.names.size() == 4);
  CHECK(g.names[0] == "layers[0].W[0][0]");
  CHECK(g.names[3] == "layers[1].b[0]");
  const T tau = T(1) / T(2), x0(1);
  const T w1 = from_text<T>("0.5"), b1 = from_text<T>("0.25"), w2 = from_text<T>("-0.75"), b2 = from_text<T>("0.5");
  const T E1 = exp(w1 * tau), E2 = exp(w2 * tau);
  const T Xh = E1 * x0 + b1 * (E1 - T(1)) / w1;
  const T X1 = E2 * Xh + b2 * (E2 - T(1)) / w2;
  const T dXh_dw1 = tau * E1 * x0 + b1 * (tau * w1 * E1 - (E1 - T(1))) / sqr(w1), dXh_db1 = (E1 - T(1)) / w1;
  const T dl = T(-2) / (T(1) + exp(T(2) * X1));
  const T expect[4] = {dl * E2 * dXh_dw1, dl * E2 * dXh_db1,
                       dl * (tau * E2 * Xh + b2 * (tau * w2 * E2 - (E2 - T(1))) / sqr(w2)), dl * (E2 - T(1)) / w2};
  const double tight = std::is_same_v<T, Interval> ? 1e-12 : 1e-60;
  for (int j = 0; j < 4; ++j) {
    CAPTURE(j);
    CHECK(!disjoint(g.gradient(j), expect[j]));
    CHECK(static_cast<double>(wid(g.gradient(j))) < tight);
  }
  // the carry of S across t = 1/2 matters: without the factor E2 (S reset at the breakpoint) the
  // first layer's derivatives would be dl·dX(τ)/dθ — certainly excluded
  CHECK(disjoint(g.gradient(0), dl * dXh_dw1));
  CHECK(disjoint(g.gradient(1), dl * dXh_db1));
  REQUIRE(g.initial_adjoint.size() == 1);
  CHECK(!disjoint(g.initial_adjoint(0), dl * E1 * E2));
  CHECK(!disjoint(g.loss, log1p(exp(T(-2) * X1))));
  // directional derivative with one direction per layer: v = (2 e_w, −e_b) = 2 ∂/∂w1 − ∂/∂b2
  Layer<T> v1 = l1, v2 = l2;
  v1.W(0, 0) = T(2);
  v1.b(0) = T(0);
  v2.W(0, 0) = T(0);
  v2.b(0) = T(-1);
  const auto [vd, dv] = enclose_flow_directional_derivative<T>(f, vector_from_text<T>({"1"}), ro, 1.0, std::vector<Layer<T>>{v1, v2});
  REQUIRE(vd.is_proved());
  CHECK(!disjoint(dv, T(2) * expect[0] - expect[3]));
  CHECK(static_cast<double>(wid(dv)) < tight);
  // one layer for a two-piece control is misuse
  CHECK_THROWS_AS(enclose_flow_directional_derivative<T>(f, vector_from_text<T>({"1"}), ro, 1.0, v1), std::invalid_argument);
}

TEST_CASE("flow adjoint, per-layer: attention model, three layers — 256-bit central differences inside the binary64 enclosure") {
  const TransformerField<Interval> f(3, 2, Control<Interval>::piecewise(three_breaks, three_layers<Interval>()));
  std::vector<std::string> names;
  (void)euler::detail::perturbed_layer<Interval>(attention_layer<Interval>(), -1, &names);
  const long P = static_cast<long>(names.size());
  struct Entry {
    std::size_t piece;
    std::string name;
  };
  const std::vector<Entry> entries = {{1, "W[0][0]"}, {0, "beta"}, {2, "heads[0].Q[0][1]"}};
  std::vector<long> which;
  for (const auto& e : entries) which.push_back(static_cast<long>(e.piece) * P + index_of(names, e.name));
  const GradientEnclosure<Interval> g = enclose_flow_loss_gradient<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, {}, which);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.gradient.size() == 3 * P);
  MESSAGE("per-layer flow gradient, ", which.size(), " entries in ", g.seconds, " s");
  MpPrecisionScope scope(256);
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const long j = which[k];
    CAPTURE(g.names[static_cast<std::size_t>(j)]);
    CHECK(g.names[static_cast<std::size_t>(j)] == "layers[" + std::to_string(entries[k].piece) + "]." + entries[k].name);
    const Interval q = quotient_256(three_layers<MpInterval>(), three_breaks, false, tokens<MpInterval>(), entries[k].piece, j % P);
    CHECK(subset(q, g.gradient(j)));
    CHECK(wid(g.gradient(j)) < 1e-9);
    CHECK(certainly_positive(abs(g.gradient(j))));  // not vacuous: the derivative is nonzero
    MESSAGE(g.names[static_cast<std::size_t>(j)], ": enclosure ", g.gradient(j), " (width ", wid(g.gradient(j)),
            "), 256-bit quotient ", q, " (incl. the slack 1e-30)");
  }
}

TEST_CASE("flow adjoint, sphere model: attention on S¹ — 256-bit central differences inside the binary64 enclosure") {
  const TransformerField<Interval> f(3, 2, Control<Interval>::constant(attention_layer<Interval>()), /*sphere=*/true);
  const GradientEnclosure<Interval> g0 = enclose_flow_loss_gradient<Interval>(f, unit_tokens<Interval>(), readout<Interval>(), 1.0, {}, {0});
  const std::vector<std::string>& names = g0.names;
  const std::vector<long> which = {index_of(names, "beta"), index_of(names, "W[0][1]"), index_of(names, "heads[1].B[0][0]"),
                                   index_of(names, "heads[0].K[1][1]")};
  const GradientEnclosure<Interval> g = enclose_flow_loss_gradient<Interval>(f, unit_tokens<Interval>(), readout<Interval>(), 1.0, {}, which);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  MESSAGE("sphere flow gradient, ", which.size(), " entries in ", g.seconds, " s");
  for (long j : which) {
    CHECK(wid(g.gradient(j)) < 1e-9);
    CHECK(certainly_positive(abs(g.gradient(j))));  // not vacuous: the derivative is nonzero
  }
  MpPrecisionScope scope(256);
  for (long j : {which[0], which[1]}) {  // 256-bit sphere flows are slow (~7 s each): two entries
    CAPTURE(names[static_cast<std::size_t>(j)]);
    const Interval q = quotient_256({attention_layer<MpInterval>()}, {}, true, unit_tokens<MpInterval>(), 0, j);
    CHECK(subset(q, g.gradient(j)));
    MESSAGE(names[static_cast<std::size_t>(j)], ": enclosure ", g.gradient(j), " (width ", wid(g.gradient(j)),
            "), 256-bit quotient ", q, " (incl. the slack 1e-30)");
  }
  // the Euclidean gradient of the same model and tokens is a different number (the projection matters)
  const TransformerField<Interval> fe(3, 2, Control<Interval>::constant(attention_layer<Interval>()));
  const GradientEnclosure<Interval> ge = enclose_flow_loss_gradient<Interval>(fe, unit_tokens<Interval>(), readout<Interval>(), 1.0, {}, which);
  REQUIRE(ge.verdict.is_proved());
  CHECK(disjoint(ge.gradient(which[1]), g.gradient(which[1])));
}

TEST_CASE_TEMPLATE("flow adjoint, sphere model: a rotation on the circle — closed form", T, Interval, MpInterval) {
  // One token on S¹, W = αI + ωJ (J = [[0, −1], [1, 0]]), b = 0: the projected field is
  // f = P_x W x = ωJx on the circle, the flow rotates by ωt, x(1) = (cos φ, sin φ), φ = φ0 + ω.
  // A perturbation E of W moves the field by P_x E x, tangent to the circle, so
  //   ∂J/∂W[1][0] − ∂J/∂W[0][1] = dJ/dω = ∇ℓ(x(1))·Jx(1) = ∇ℓ(x(1))·(−sin φ, cos φ),
  //   ∂J/∂W[0][0] + ∂J/∂W[1][1] = dJ/dα = 0 (P_x x = 0).
  MpPrecisionScope scope(256);
  Layer<T> l;
  l.W = matrix_from_text<T>({{"0.25", "-0.5"}, {"0.5", "0.25"}});  // α = 1/4, ω = 1/2
  l.b = vector_from_text<T>({"0", "0"});
  const TransformerField<T> f(1, 2, Control<T>::constant(l), /*sphere=*/true);
  const Readout<T> ro{matrix_from_text<T>({{"1", "0.5"}, {"-0.5", "1"}}), {0}};
  const Vec<T> x0 = vector_from_text<T>({"0.6", "0.8"});
  const GradientEnclosure<T> g = enclose_flow_loss_gradient<T>(f, x0, ro, 1.0);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  // x(1) = R(ω) x0
  const T om = from_text<T>("0.5"), c = cos(om), s = sin(om);
  const T re = c * x0(0) - s * x0(1), im = s * x0(0) + c * x0(1);
  const T z0 = re + T(0.5) * im, z1 = T(-0.5) * re + im;
  const T s0 = T(1) / (T(1) + exp(z1 - z0)), s1 = T(1) - s0;
  const T g0 = (s0 - T(1)) + s1 * T(-0.5), g1 = (s0 - T(1)) * T(0.5) + s1;  // ∇ℓ = Γᵀ(softmax − e_0)
  const T dJdw = g0 * (-im) + g1 * re;
  // names: W[0][0], W[0][1], W[1][0], W[1][1], b[0], b[1]
  REQUIRE(g.names[2] == "W[1][0]");
  const T rot = g.gradient(2) - g.gradient(1), rad = g.gradient(0) + g.gradient(3);
  CHECK(!disjoint(rot, dJdw));
  CHECK(contains_zero(rad));
  const double tight = std::is_same_v<T, Interval> ? 1e-11 : 1e-60;
  CHECK(static_cast<double>(wid(rot)) < tight);
  CHECK(static_cast<double>(wid(rad)) < tight);
  CHECK(certainly_positive(abs(rot)));
  CHECK(!disjoint(g.loss, log1p(exp(z1 - z0))));
  // without the projection (Euclidean field Wx) dJ/dα ≠ 0: the sphere flag reaches the tangent field
  const TransformerField<T> fe(1, 2, Control<T>::constant(l));
  const GradientEnclosure<T> ge = enclose_flow_loss_gradient<T>(fe, x0, ro, 1.0);
  REQUIRE(ge.verdict.is_proved());
  CHECK(!contains_zero(ge.gradient(0) + ge.gradient(3)));
  MESSAGE("circle: dJ/domega in ", rot, " (closed form ", dJdw, ")");
}

TEST_CASE("flow adjoint, per-layer: equal layers sum to the constant-control gradient") {
  const Layer<Interval> l = attention_layer<Interval>();
  const TransformerField<Interval> fc(3, 2, Control<Interval>::constant(l));
  const TransformerField<Interval> fp(3, 2, Control<Interval>::piecewise(three_breaks, {l, l, l}));
  const std::vector<long> some = {0, 3, 13, 20, 26};
  const auto gc = enclose_flow_loss_gradient<Interval>(fc, tokens<Interval>(), readout<Interval>(), 1.0, {}, some);
  REQUIRE(gc.verdict.is_proved());
  const Eigen::Index P = gc.gradient.size();
  std::vector<long> which;
  for (long j : some)
    for (long i = 0; i < 3; ++i) which.push_back(i * P + j);
  const auto gp = enclose_flow_loss_gradient<Interval>(fp, tokens<Interval>(), readout<Interval>(), 1.0, {}, which);
  REQUIRE(gp.verdict.is_proved());
  REQUIRE(gp.gradient.size() == 3 * P);
  CHECK(!disjoint(gp.loss, gc.loss));
  for (long j : some) {
    CAPTURE(gc.names[static_cast<std::size_t>(j)]);
    const Interval sum = gp.gradient(j) + gp.gradient(P + j) + gp.gradient(2 * P + j);
    CHECK(!disjoint(sum, gc.gradient(j)));
    CHECK(wid(sum) < 1e-9);
    // each layer owns a proper part (the blocks differ: the adjoint changes along the flow)
    CHECK(disjoint(gp.gradient(j), gp.gradient(2 * P + j)));
  }
}

TEST_CASE("flow adjoint, per-layer: the discrete gradient of euler.error at L = 1024 approaches the flow gradient (1/L)") {
  // the bundled example (two layers) at depths 256, 1024 with gradient_depth 1024, flow_gradient "all"
  const cert::Certificate c = test::run_proved(test::replace_once(
      test::replace_once(test::replace_once(test::read_file_text(EULER_CONFIG_DIR, "euler_flow_gradient_layers.json"),
                                            R"("depths": [64, 256])", R"("depths": [256, 1024])"),
                         R"("gradient_depth": 256)", R"("gradient_depth": 1024, "flow_gradient": "all")"),
      R"("quantity": "flow_directional_derivative")", R"("quantity": "loss_flow")"));
  const cert::EnclosureVector *gd = nullptr, *gf = nullptr;
  for (const auto& [n, v] : c.results) {
    if (n == "gradient") gd = std::get_if<cert::EnclosureVector>(&v);
    if (n == "flow_gradient") gf = std::get_if<cert::EnclosureVector>(&v);
  }
  REQUIRE(gd != nullptr);
  REQUIRE(gf != nullptr);
  REQUIRE(gd->size() == gf->size());
  // the library at L = 512 for the rate: (g_512 − g_∞)/(g_1024 − g_∞) ≈ 2
  const TransformerField<Interval> f(3, 2, Control<Interval>::piecewise({0.5}, {three_layers<Interval>()[0], three_layers<Interval>()[1]}));
  const auto g512 = enclose_loss_gradient(f, tokens<Interval>(), readout<Interval>(), Interval(1), 512, ode::Wrapping::box);
  REQUIRE(g512.verdict.is_proved());
  REQUIRE(g512.gradient.size() == static_cast<Eigen::Index>(gd->size()));
  int compared = 0;
  double worst = 0;
  for (std::size_t j = 0; j < gd->size(); ++j) {
    CAPTURE(g512.names[j]);
    const Interval d1024 = test::as_interval((*gd)[j]), fl = test::as_interval((*gf)[j]);
    CHECK(wid(fl) < 1e-9);
    const double e1024 = mid(d1024) - mid(fl), e512 = mid(g512.gradient(static_cast<Eigen::Index>(j))) - mid(fl);
    CHECK(std::fabs(e1024) <= 2.0 / 1024 * (1 + std::fabs(mid(fl))));  // O(1/L)
    worst = std::max(worst, std::fabs(e1024));
    if (g512.names[j] == "layers[0].beta" || g512.names[j] == "layers[1].W[0][0]")
      MESSAGE(g512.names[j], ": flow ", fl, ", L = 1024 ", d1024, ", L = 512 ", g512.gradient(static_cast<Eigen::Index>(j)),
              ", (g_512 - g_flow)/(g_1024 - g_flow) = ", e512 / e1024);
    if (std::fabs(e1024) < 1e-6) continue;
    ++compared;
    CHECK(e512 / e1024 > 1.9);
    CHECK(e512 / e1024 < 2.1);
  }
  CHECK(compared > 20);
  MESSAGE("L = 1024: max |g_L - g_flow| = ", worst, " over ", gd->size(), " entries (", compared, " with a visible 1/L term)");
}

TEST_CASE_TEMPLATE("flow adjoint, static features: one token, one head — closed form", T, Interval, MpInterval) {
  // n = 1, d = 1, one static feature φ: the softmax over the one token is 1, so the field is
  // V z = V00 x + V01 φ (z = (x, φ)), affine: X(1) = e^a x0 + c(e^a − 1)/a with a = V00, c = V01 φ;
  // ∂J/∂V00 = ℓ'(X)(e^a + c(a e^a − (e^a − 1))/a²), ∂J/∂V01 = ℓ'(X) φ (e^a − 1)/a, and β, Q, K do
  // not enter (their entries contain 0).
  MpPrecisionScope scope(256);
  const TransformerField<T> f = test::feature_token_field<T>(test::feature_layer<T>());
  const Readout<T> ro = test::two_class_readout<T>();
  const GradientEnclosure<T> g = enclose_flow_loss_gradient<T>(f, vector_from_text<T>({"1"}), ro, 1.0);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.names.size() == 7);
  REQUIRE(g.names[5] == "heads[0].V[0][0]");
  const T a = from_text<T>("0.5"), phi = from_text<T>("0.5"), c = from_text<T>("0.75") * phi, ea = exp(a);
  const T X = ea + c * (ea - T(1)) / a;
  const T dl = T(-2) / (T(1) + exp(T(2) * X));
  const T dV00 = dl * (ea + c * (a * ea - (ea - T(1))) / sqr(a)), dV01 = dl * phi * (ea - T(1)) / a;
  CHECK(!disjoint(g.gradient(5), dV00));
  CHECK(!disjoint(g.gradient(6), dV01));
  const double tight = std::is_same_v<T, Interval> ? 1e-12 : 1e-60;
  CHECK(static_cast<double>(wid(g.gradient(5))) < tight);
  CHECK(static_cast<double>(wid(g.gradient(6))) < tight);
  for (int j = 0; j < 5; ++j) CHECK(contains_zero(g.gradient(j)));
  CHECK(disjoint(g.gradient(6), dl * (ea - T(1)) / a));  // the feature value enters (φ ≠ 1)
  // (the discrete adjoint with features: tests/euler/containment_discrete_adjoint_smooth.cpp)
}
