// tests/euler — discrete adjoint / gradient enclosures (docs/mathematics.md §2, Pontryagin): closed-form oracle
// for f = w x + b, finite-difference consistency at 128 bits on an attention model, and the
// three verdicts of certify_not_stationary / certify_near_stationary.
#include "certiformer/euler.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

namespace {
template <class T> Layer<T> attention_layer() {
  Layer<T> l;
  l.beta = from_text<T>("1");
  Head<T> h1;
  h1.Q = matrix_from_text<T>({{"0.5", "0.1"}, {"-0.2", "0.4"}});
  h1.K = matrix_from_text<T>({{"0.3", "-0.1"}, {"0.2", "0.6"}});
  h1.V = matrix_from_text<T>({{"0.4", "0.2"}, {"-0.3", "0.1"}});
  Head<T> h2;
  h2.B = matrix_from_text<T>({{"0.2", "-0.1"}, {"0.3", "0.1"}});
  h2.V = matrix_from_text<T>({{"0.1", "-0.2"}, {"0.25", "0.3"}});
  l.heads = {h1, h2};
  l.W = matrix_from_text<T>({{"-0.2", "0.3"}, {"-0.1", "-0.25"}});
  l.b = vector_from_text<T>({"0.1", "-0.05"});
  return l;
}
template <class T> Vec<T> tokens() { return vector_from_text<T>({"0.5", "-0.3", "-0.4", "0.7", "0.9", "0.2"}); }
template <class T> Readout<T> readout() {
  return Readout<T>{matrix_from_text<T>({{"1", "0.5"}, {"-0.5", "1"}, {"0.2", "-1"}}), {0, 2, 1}};
}
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
  // bad input: sphere model, time-varying control, wrong direction shape
  const TransformerField<Interval> fs(3, 2, Control<Interval>::constant(l), true);
  CHECK_THROWS_AS(enclose_flow_loss_gradient<Interval>(fs, tokens<Interval>(), readout<Interval>(), 1.0), std::invalid_argument);
  Layer<Interval> bad;
  bad.W = matrix_from_text<Interval>({{"1", "0"}, {"0", "1"}});
  CHECK_THROWS_AS(enclose_flow_directional_derivative<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, bad),
                  std::invalid_argument);
  CHECK_THROWS_AS(enclose_flow_loss_gradient<Interval>(f, tokens<Interval>(), readout<Interval>(), 1.0, {}, {99}),
                  std::invalid_argument);
}
