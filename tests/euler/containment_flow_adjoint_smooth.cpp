// tests/euler — the continuous-flow adjoint (docs/euler.md §9) for smooth time-varying controls
// θ(t) = Σ_k φ_k(t)θ_k (Control::smooth; gradient blocks "layers[k].<name>" per coefficient
// layer θ_k, ∂J/∂θ_{k,j} = ∫ φ_k(t) p·∂_{θ_j} f dt). Oracles: a closed form (f = w(t)x on R with
// w(t) = w0 + w1 t + w2 sin 2t, X(1) = x0 exp(∫w)) in binary64 and at 256 bits; 128-bit central
// difference quotients of the validated flow loss (h = 2⁻⁴⁰; the construction of
// containment_flow_adjoint_layers.cpp, at 128 bits because the smooth control's 256-bit flows
// take ~30 s each) inside the binary64 enclosures for an attention model with basis
// {1, t, cos 3t}, Euclidean and on the sphere; a one-function basis {1} reproducing the
// constant-control gradient.
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
using certiformer::test::basis;
using certiformer::test::smooth_control;

namespace {
/// 128-bit central difference quotient of the flow loss in entry j of coefficient layer k,
/// widened by the slack 1e-20 for its O(h²) error (h = 2⁻⁴⁰ ≈ 9e-13: h²|J'''|/6 ≲ 1e-24 here),
/// as a binary64 interval (measured widths 7e-18 Euclidean, 1.5e-16 sphere: ≥ 100× narrower
/// than the binary64 gradient enclosures it is compared with).
Interval quotient_128(bool sphere, const Vec<MpInterval>& X0, std::size_t k, long j) {
  using M = MpInterval;
  const M h = M(std::ldexp(1.0, -40));
  auto J = [&](const M& delta) {
    Control<M> c = smooth_control<M>();
    long idx = 0;
    euler::detail::visit_layer_parameters<M>(c.layers[k], [&](M& v, const std::string&) {
      if (idx++ == j) v = v + delta;
    });
    return validated_flow_loss<M>(TransformerField<M>(3, 2, c, sphere), X0, readout<M>(), 30, -110);
  };
  const M q = (J(h) - J(-h)) / (M(2) * h);
  CHECK(static_cast<double>(wid(q)) < 1e-15);  // the 128-bit flows are that tight: a real check
  return to_interval(q) + Interval(-1e-20, 1e-20);
}
void check_against_quotients(bool sphere, const std::vector<std::pair<std::size_t, std::string>>& entries) {
  const TransformerField<Interval> f(3, 2, smooth_control<Interval>(), sphere);
  const Vec<Interval> x0 = sphere ? unit_tokens<Interval>() : tokens<Interval>();
  const GradientEnclosure<Interval> g0 = enclose_flow_loss_gradient<Interval>(f, x0, readout<Interval>(), 1.0, {}, {0});
  REQUIRE(g0.verdict.is_proved());
  const long P = static_cast<long>(g0.names.size() / 3);
  REQUIRE(g0.names.size() == static_cast<std::size_t>(3 * P));
  std::vector<long> which;
  for (const auto& [k, nm] : entries) which.push_back(index_of(g0.names, "layers[" + std::to_string(k) + "]." + nm));
  const GradientEnclosure<Interval> g = enclose_flow_loss_gradient<Interval>(f, x0, readout<Interval>(), 1.0, {}, which);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  MESSAGE(std::string(sphere ? "sphere" : "Euclidean"), " smooth-control flow gradient, ", which.size(), " entries in ", g.seconds, " s");
  MpPrecisionScope scope(128);
  const Vec<MpInterval> x0m = sphere ? unit_tokens<MpInterval>() : tokens<MpInterval>();
  for (std::size_t e = 0; e < entries.size(); ++e) {
    const long j = which[e];
    CAPTURE(g.names[static_cast<std::size_t>(j)]);
    const Interval q = quotient_128(sphere, x0m, entries[e].first, j % P);
    CHECK(subset(q, g.gradient(j)));
    CHECK(wid(q) < wid(g.gradient(j)) / 10);  // the oracle is much sharper than what it checks
    CHECK(wid(g.gradient(j)) < 1e-9);
    CHECK(certainly_positive(abs(g.gradient(j))));  // not vacuous: the derivative is nonzero
    MESSAGE(g.names[static_cast<std::size_t>(j)], ": enclosure ", g.gradient(j), " (width ", wid(g.gradient(j)),
            "), 128-bit quotient ", q, " (incl. the slack 1e-20)");
  }
}
}  // namespace

TEST_CASE_TEMPLATE("flow adjoint, smooth control: f = w(t) x on R, w = w0 + w1 t + w2 sin 2t — closed form", T, Interval,
                   MpInterval) {
  // X(1) = x0 exp(Φ), Φ = ∫_0^1 w = w0 + w1/2 + w2 (1 − cos 2)/2, so ∂X(1)/∂w_k = X(1) ∫_0^1 φ_k
  // with ∫φ = (1, 1/2, (1 − cos 2)/2); J = ℓ(X(1)), ℓ(x) = log(1 + e^{−2x}), ℓ' = −2/(1 + e^{2x});
  // ∂J/∂x0 = ℓ'(X(1)) exp(Φ).
  MpPrecisionScope scope(256);
  Layer<T> l0, l1, l2;
  l0.W = matrix_from_text<T>({{"0.5"}});
  l1.W = matrix_from_text<T>({{"-0.75"}});
  l2.W = matrix_from_text<T>({{"0.4"}});
  const Control<T> c = Control<T>::smooth({basis<T>(Basis<T>::one), basis<T>(Basis<T>::power, 1), basis<T>(Basis<T>::sine, 0, "2")},
                                          {l0, l1, l2});
  const TransformerField<T> f(1, 1, c);
  const Readout<T> ro{matrix_from_text<T>({{"1"}, {"-1"}}), {0}};
  const GradientEnclosure<T> g = enclose_flow_loss_gradient<T>(f, vector_from_text<T>({"1"}), ro, 1.0, {}, {}, true);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.names.size() == 3);
  CHECK(g.names[0] == "layers[0].W[0][0]");
  CHECK(g.names[2] == "layers[2].W[0][0]");
  const T one(1), two(2);
  const T int_phi[3] = {one, one / two, (one - cos(two)) / two};
  const T Phi = from_text<T>("0.5") + from_text<T>("-0.75") * int_phi[1] + from_text<T>("0.4") * int_phi[2];
  const T X1 = exp(Phi);
  const T dl = T(-2) / (one + exp(two * X1));
  const double tight = std::is_same_v<T, Interval> ? 1e-12 : 1e-60;
  for (int k = 0; k < 3; ++k) {
    CAPTURE(k);
    CHECK(!disjoint(g.gradient(k), dl * X1 * int_phi[k]));
    CHECK(static_cast<double>(wid(g.gradient(k))) < tight);
  }
  // the weight φ_k(t) inside the integral matters: without it every entry would be dl·X(1)·1
  CHECK(disjoint(g.gradient(1), dl * X1));
  CHECK(disjoint(g.gradient(2), dl * X1));
  REQUIRE(g.initial_adjoint.size() == 1);
  CHECK(!disjoint(g.initial_adjoint(0), dl * X1));
  CHECK(!disjoint(g.loss, log1p(exp(T(-2) * X1))));
  // directional derivative, one direction layer per coefficient layer: v = (2, 0, −1)
  Layer<T> v0 = l0, v1 = l1, v2 = l2;
  v0.W(0, 0) = T(2);
  v1.W(0, 0) = T(0);
  v2.W(0, 0) = T(-1);
  const auto [vd, dv] =
      enclose_flow_directional_derivative<T>(f, vector_from_text<T>({"1"}), ro, 1.0, std::vector<Layer<T>>{v0, v1, v2});
  REQUIRE(vd.is_proved());
  CHECK(!disjoint(dv, dl * X1 * (T(2) * int_phi[0] - int_phi[2])));
  CHECK(static_cast<double>(wid(dv)) < tight);
  // layer_directions splits a coefficient vector into one layer per basis function
  Vec<T> coef(3);
  coef << T(2), T(0), T(-1);
  const auto [vd2, dv2] = enclose_flow_directional_derivative<T>(f, vector_from_text<T>({"1"}), ro, 1.0, layer_directions<T>(f, coef));
  REQUIRE(vd2.is_proved());
  CHECK(!disjoint(dv2, dv));
}

TEST_CASE("flow adjoint, smooth control: attention model, basis {1, t, cos 3t} — 128-bit central differences") {
  check_against_quotients(false, {{1, "beta"}, {2, "heads[0].Q[0][1]"}, {0, "W[1][0]"}});
}

TEST_CASE("flow adjoint, smooth control on the sphere: basis {1, t, cos 3t} — 128-bit central differences") {
  check_against_quotients(true, {{1, "W[0][1]"}, {2, "beta"}});
}

TEST_CASE("flow adjoint, smooth control with the basis {1}: the constant-control gradient") {
  const Layer<Interval> l = attention_layer<Interval>();
  const TransformerField<Interval> fs(3, 2, Control<Interval>::smooth({basis<Interval>(Basis<Interval>::one)}, {l}));
  const TransformerField<Interval> fc(3, 2, Control<Interval>::constant(l));
  const GradientEnclosure<Interval> gs = enclose_flow_loss_gradient<Interval>(fs, tokens<Interval>(), readout<Interval>(), 1.0);
  const GradientEnclosure<Interval> gc = enclose_flow_loss_gradient<Interval>(fc, tokens<Interval>(), readout<Interval>(), 1.0);
  REQUIRE(gs.verdict.is_proved());
  REQUIRE(gc.verdict.is_proved());
  REQUIRE(gs.gradient.size() == gc.gradient.size());
  for (Eigen::Index j = 0; j < gs.gradient.size(); ++j) {
    CAPTURE(gc.names[static_cast<std::size_t>(j)]);
    CHECK(gs.names[static_cast<std::size_t>(j)] == "layers[0]." + gc.names[static_cast<std::size_t>(j)]);
    CHECK(!disjoint(gs.gradient(j), gc.gradient(j)));
    CHECK(wid(gs.gradient(j)) < 1e-9);
  }
}
