// tests/euler — the discrete adjoint (enclose_loss_gradient, docs/euler.md §8) for smooth
// time-varying controls θ(t) = Σ_i φ_i(t)θ_i and for static token features (issue 17 §3):
// step k of the depth-L network uses θ(t_k), and ∂J/∂θ_{i,j} = ε Σ_k φ_i(t_k) p_{k+1}·∂_{θ_j} f.
// Oracles, independent of the adjoint recursion:
//   * closed forms of the scalar networks x_{k+1} = (1 + ε w(t_k)) x_k (smooth w) and
//     x_{k+1} = x_k + ε(a x_k + c) (one token, one feature), in binary64 and at 256 bits;
//   * 256-bit central difference quotients (J(θ + h e) − J(θ − h e))/(2h) of the exact discrete
//     loss (enclose_discrete_iterates at 256 bits: iterates ~1e-60 wide; h = 2⁻⁸⁰, so the O(h²)
//     error is far below the slack 1e-30) for every entry of every coefficient layer of an
//     attention model with basis {1, t, cos 3t}, Euclidean and on the sphere;
//   * the one-function basis {1} against the constant-control gradient.
// And upper_bound_box_lipschitz keeps the features and the smooth control of its field on every
// sub-box (it used to rebuild a constant, featureless field, so both were refused).
#include "certiformer/euler.hpp"

#include "adjoint_fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;
using certiformer::test::basis;
using certiformer::test::readout;
using certiformer::test::smooth_control;
using certiformer::test::tokens;
using certiformer::test::unit_tokens;

namespace {
using M = MpInterval;

/// J = R(X^L) of the exact discrete network (horizon 1), the sphere model renormalised per token.
template <class T> T discrete_loss(const TransformerField<T>& f, const Vec<T>& X0, std::size_t L, const Readout<T>& ro) {
  const auto m = enclose_discrete_iterates<T>(f, X0, T(1), L, ode::Wrapping::qr, f.sphere() ? f.token_dimension() : 0);
  REQUIRE(m.verdict.is_proved());
  return enclose_risk<T, T>(ro, m.iterates.back());
}

/// 256-bit central difference quotient of the discrete loss in entry j of coefficient layer k of
/// smooth_control(), widened by the O(h²) slack 1e-30.
Interval quotient_256(bool sphere, std::size_t L, std::size_t k, long j) {
  MpPrecisionScope scope(256);
  const M h = M(std::ldexp(1.0, -80));
  const Vec<M> X0 = sphere ? unit_tokens<M>() : tokens<M>();
  auto J = [&](const M& delta) {
    Control<M> c = smooth_control<M>();
    long idx = 0;
    euler::detail::visit_layer_parameters<M>(c.layers[k], [&](M& v, const std::string&) {
      if (idx++ == j) v = v + delta;
    });
    return discrete_loss<M>(TransformerField<M>(3, 2, c, sphere), X0, L, readout<M>());
  };
  const M q = (J(h) - J(-h)) / (M(2) * h);
  CHECK(static_cast<double>(wid(q)) < 1e-35);  // the 256-bit quotient is that tight: a real check
  return to_interval(q) + Interval(-1e-30, 1e-30);
}

void check_every_entry(bool sphere, std::size_t L) {
  const TransformerField<Interval> f(3, 2, smooth_control<Interval>(), sphere);
  const Vec<Interval> x0 = sphere ? unit_tokens<Interval>() : tokens<Interval>();
  const GradientEnclosure<Interval> g = enclose_loss_gradient<Interval>(f, x0, readout<Interval>(), Interval(1), L);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  const long P = static_cast<long>(g.names.size() / 3);
  REQUIRE(g.names.size() == static_cast<std::size_t>(3 * P));
  CHECK(g.names[0] == "layers[0].beta");
  CHECK(g.names[static_cast<std::size_t>(2 * P)] == "layers[2].beta");
  double widest = 0, widest_q = 0;
  int nonzero = 0;
  for (long e = 0; e < 3 * P; ++e) {
    CAPTURE(g.names[static_cast<std::size_t>(e)]);
    const Interval q = quotient_256(sphere, L, static_cast<std::size_t>(e / P), e % P);
    CHECK(subset(q, g.gradient(e)));
    widest = std::max(widest, wid(g.gradient(e)));
    widest_q = std::max(widest_q, wid(q));
    if (certainly_positive(abs(g.gradient(e)))) ++nonzero;
  }
  CHECK(widest < 1e-9);
  CHECK(nonzero > P);  // not vacuous: most derivatives are certainly nonzero
  MESSAGE(std::string(sphere ? "sphere" : "Euclidean"), " discrete adjoint, smooth control, L = ", L, ": ", 3 * P,
          " entries, widest ", widest, " (256-bit quotients ", widest_q, "), ", nonzero, " certainly nonzero, ", g.seconds,
          " s");
}
}  // namespace

TEST_CASE_TEMPLATE("discrete adjoint, smooth control: x_{k+1} = (1 + ε w(t_k)) x_k, w = w0 + w1 t + w2 sin 2t — closed form",
                   T, Interval, MpInterval) {
  // x_L = x0 Π_k ρ_k, ρ_k = 1 + ε w(t_k), t_k = kε, so ∂x_L/∂w_i = x_L Σ_k ε φ_i(t_k)/ρ_k with
  // φ = (1, t, sin 2t); J = ℓ(x_L), ℓ(x) = log(1 + e^{−2x}), ℓ' = −2/(1 + e^{2x}); ∂J/∂x0 = ℓ'(x_L) x_L.
  MpPrecisionScope scope(256);
  const char* w[3] = {"0.5", "-0.75", "0.4"};
  std::vector<Layer<T>> layers(3);
  for (int i = 0; i < 3; ++i) layers[static_cast<std::size_t>(i)].W = matrix_from_text<T>({{w[i]}});
  const Control<T> c =
      Control<T>::smooth({basis<T>(Basis<T>::one), basis<T>(Basis<T>::power, 1), basis<T>(Basis<T>::sine, 0, "2")}, layers);
  const TransformerField<T> f(1, 1, c);
  const Readout<T> ro{matrix_from_text<T>({{"1"}, {"-1"}}), {0}};
  for (std::size_t L : {8u, 64u}) {
    CAPTURE(L);
    const GradientEnclosure<T> g = enclose_loss_gradient<T>(f, vector_from_text<T>({"1"}), ro, T(1), L);
    INFO(g.verdict.reason());
    REQUIRE(g.verdict.is_proved());
    REQUIRE(g.names.size() == 3);
    CHECK(g.names[0] == "layers[0].W[0][0]");
    CHECK(g.names[1] == "layers[1].W[0][0]");
    const T eps = T(1) / T(static_cast<long long>(L));
    T xL(1), S[3] = {T(0), T(0), T(0)}, unweighted(0);
    for (std::size_t k = 0; k < L; ++k) {
      const T t = T(static_cast<long long>(k)) * eps;
      const T phi[3] = {T(1), t, sin(T(2) * t)};
      const T rho = T(1) + eps * (from_text<T>(w[0]) + from_text<T>(w[1]) * t + from_text<T>(w[2]) * phi[2]);
      xL *= rho;
      for (int i = 0; i < 3; ++i) S[i] += eps * phi[i] / rho;
      unweighted += eps / rho;
    }
    const T dl = T(-2) / (T(1) + exp(T(2) * xL));
    const double tight = std::is_same_v<T, Interval> ? 1e-13 : 1e-60;
    for (int i = 0; i < 3; ++i) {
      CAPTURE(i);
      CHECK(!disjoint(g.gradient(i), dl * xL * S[i]));
      CHECK(static_cast<double>(wid(g.gradient(i))) < tight);
    }
    // the weight φ_i(t_k) matters: without it every entry would be dl·x_L·Σ_k ε/ρ_k
    CHECK(disjoint(g.gradient(1), dl * xL * unweighted));
    CHECK(disjoint(g.gradient(2), dl * xL * unweighted));
    CHECK(!disjoint(g.initial_adjoint(0), dl * xL));
    CHECK(!disjoint(g.loss, log1p(exp(T(-2) * xL))));
  }
}

TEST_CASE_TEMPLATE("discrete adjoint, static features: one token, one head — closed form", T, Interval, MpInterval) {
  // n = 1, d = 1, one feature φ: the softmax over one token is 1, the step is x_{k+1} = ρ x_k + εc
  // with ρ = 1 + εa, a = V00, c = V01 φ: x_L = ρ^L x0 + c(ρ^L − 1)/a, so
  // ∂x_L/∂a = Lερ^{L−1} x0 + c(Lερ^{L−1}a − (ρ^L − 1))/a², ∂x_L/∂V01 = φ(ρ^L − 1)/a; β, Q, K do
  // not enter (their entries contain 0).
  MpPrecisionScope scope(256);
  const TransformerField<T> f = test::feature_token_field<T>(test::feature_layer<T>());
  const Readout<T> ro = test::two_class_readout<T>();
  for (long long L : {4, 16}) {
    CAPTURE(L);
    const GradientEnclosure<T> g = enclose_loss_gradient<T>(f, vector_from_text<T>({"1"}), ro, T(1), static_cast<std::size_t>(L));
    INFO(g.verdict.reason());
    REQUIRE(g.verdict.is_proved());
    REQUIRE(g.names.size() == 7);
    REQUIRE(g.names[5] == "heads[0].V[0][0]");
    const T a = from_text<T>("0.5"), phi = from_text<T>("0.5"), c = from_text<T>("0.75") * phi;
    const T eps = T(1) / T(L), rho = T(1) + eps * a, rL = pow(rho, static_cast<int>(L)), rL1 = pow(rho, static_cast<int>(L - 1));
    const T xL = rL + c * (rL - T(1)) / a;
    const T dl = T(-2) / (T(1) + exp(T(2) * xL));
    const T dV00 = dl * (T(L) * eps * rL1 + c * (T(L) * eps * rL1 * a - (rL - T(1))) / sqr(a));
    const T dV01 = dl * phi * (rL - T(1)) / a;
    CHECK(!disjoint(g.gradient(5), dV00));
    CHECK(!disjoint(g.gradient(6), dV01));
    const double tight = std::is_same_v<T, Interval> ? 1e-13 : 1e-60;
    CHECK(static_cast<double>(wid(g.gradient(5))) < tight);
    CHECK(static_cast<double>(wid(g.gradient(6))) < tight);
    for (int j = 0; j < 5; ++j) CHECK(contains_zero(g.gradient(j)));
    CHECK(disjoint(g.gradient(6), dl * (rL - T(1)) / a));  // the feature value enters (φ ≠ 1)
  }
}

TEST_CASE("discrete adjoint, smooth control: attention model, basis {1, t, cos 3t}, L = 16 — 256-bit central differences") {
  check_every_entry(false, 16);
}

TEST_CASE("discrete adjoint, smooth control on the sphere: basis {1, t, cos 3t}, L = 16 — 256-bit central differences") {
  check_every_entry(true, 16);
}

TEST_CASE("discrete adjoint, smooth control with the basis {1}: the constant-control gradient") {
  const Layer<Interval> l = test::attention_layer<Interval>();
  for (bool sphere : {false, true}) {
    CAPTURE(sphere);
    const Vec<Interval> x0 = sphere ? unit_tokens<Interval>() : tokens<Interval>();
    const TransformerField<Interval> fc(3, 2, Control<Interval>::constant(l), sphere);
    const TransformerField<Interval> fs(3, 2, Control<Interval>::smooth({basis<Interval>(Basis<Interval>::one)}, {l}), sphere);
    const auto gc = enclose_loss_gradient<Interval>(fc, x0, readout<Interval>(), Interval(1), 16);
    const auto gs = enclose_loss_gradient<Interval>(fs, x0, readout<Interval>(), Interval(1), 16);
    REQUIRE(gc.verdict.is_proved());
    REQUIRE(gs.verdict.is_proved());
    REQUIRE(gs.names.size() == gc.names.size());
    for (std::size_t j = 0; j < gc.names.size(); ++j) {
      CHECK(gs.names[j] == "layers[0]." + gc.names[j]);
      CHECK(!disjoint(gs.gradient(static_cast<Eigen::Index>(j)), gc.gradient(static_cast<Eigen::Index>(j))));
    }
  }
}

TEST_CASE("upper_bound_box_lipschitz keeps the field's features and smooth control on its sub-boxes") {
  // features: the box Lipschitz bound of the one-token model with feature φ = 1/2 is |∂J/∂V01| of
  // that featured model's gradient enclosure over the box (splits = 1).
  Layer<Interval> l = test::feature_layer<Interval>();
  l.heads[0].V(0, 1) = Interval(0.7, 0.8);  // the box: V01 ∈ [0.7, 0.8]
  const Readout<Interval> ro = test::two_class_readout<Interval>();
  const Vec<Interval> x0 = vector_from_text<Interval>({"1"});
  const TransformerField<Interval> ff = test::feature_token_field<Interval>(l);
  const std::vector<std::string> names{"heads[0].V[0][1]"};
  const auto bf = upper_bound_box_lipschitz<Interval>(ff, x0, ro, Interval(1), 8, names, 1);
  REQUIRE(bf.verdict.is_proved());
  const auto gf = enclose_loss_gradient<Interval>(ff, x0, ro, Interval(1), 8);
  REQUIRE(gf.verdict.is_proved());
  const double direct = mag(gf.gradient(6));
  CHECK(bf.lipschitz >= direct);
  CHECK(bf.lipschitz <= direct * (1 + 1e-12));
  // smooth control: a box on a coefficient of layer 1 (t-weighted) is accepted and gives a finite bound
  Control<Interval> c = smooth_control<Interval>();
  c.layers[1].beta = Interval(0.45, 0.55);
  const TransformerField<Interval> fs(3, 2, c);
  const auto bs = upper_bound_box_lipschitz<Interval>(fs, tokens<Interval>(), readout<Interval>(), Interval(1), 8,
                                                      {"layers[1].beta"}, 2);
  INFO(bs.verdict.reason());
  REQUIRE(bs.verdict.is_proved());
  CHECK(std::isfinite(bs.lipschitz));
  CHECK(bs.lipschitz > 0);
}
