// tests/euler — the continuous-flow Pontryagin check driven by the discrete gradient
// (euler/flow_stationarity.hpp): the direction rule, the closed form of J'(θ)·v for f = w x + b,
// agreement of the two modes, and the unknown / none paths. These call the library directly
// (the path the euler.error kind adapts).
#include "certiformer/euler.hpp"

#include <doctest/doctest.h>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

namespace {
template <class T> GradientEnclosure<T> synthetic_gradient(const std::vector<std::pair<const char*, const char*>>& entries) {
  GradientEnclosure<T> g;
  g.verdict = Verdict::proved("synthetic");
  g.gradient.resize(static_cast<Eigen::Index>(entries.size()));
  for (std::size_t j = 0; j < entries.size(); ++j) {
    g.gradient(static_cast<Eigen::Index>(j)) = convex_hull(from_text<T>(entries[j].first), from_text<T>(entries[j].second));
    g.names.push_back("p" + std::to_string(j));
  }
  return g;
}
// f = w x + b, one token, T = 1, x0 = 1, ℓ(x, 0) = log(1 + e^{−2x}) (as in adjoint_test.cpp)
template <class T> Layer<T> linear_layer() {
  Layer<T> l;
  l.W = matrix_from_text<T>({{"0.5"}});
  l.b = vector_from_text<T>({"0.25"});
  return l;
}
}  // namespace

TEST_CASE_TEMPLATE("choose_flow_direction: signs of the midpoints above 1e-3 of the largest", T, Interval, MpInterval) {
  MpPrecisionScope scope(128);
  const GradientEnclosure<T> g = synthetic_gradient<T>(
      {{"1", "1.2"}, {"-0.5", "-0.4"}, {"1e-5", "2e-5"}, {"0", "0"}, {"-0.01", "0.03"}, {"-2e-3", "-1e-3"}});
  const FlowDirection<T> v = choose_flow_direction<T>(g);
  REQUIRE(v.coefficients.size() == 6);
  const int expect[] = {1, -1, 0, 0, 1, -1};  // max |mid| = 1.1; threshold 1.1e-3; mid(p5) = −1.5e-3
  for (int j = 0; j < 6; ++j) {
    CAPTURE(j);
    CHECK(v.coefficients(j) == T(expect[j]));
  }
  CHECK(v.text == "+p0 -p1 +p4 -p5");
  // all midpoints 0: v = 0, text "0"
  const FlowDirection<T> z = choose_flow_direction<T>(synthetic_gradient<T>({{"-1", "1"}, {"0", "0"}}));
  CHECK(z.coefficients(0) == T(0));
  CHECK(z.coefficients(1) == T(0));
  CHECK(z.text == "0");
  GradientEnclosure<T> bad = g;
  bad.names.pop_back();
  CHECK_THROWS_AS(choose_flow_direction<T>(bad), std::invalid_argument);
}

TEST_CASE_TEMPLATE("certify_flow_not_stationary_from_discrete: f = w x + b — closed form, both modes agree", T, Interval,
                   MpInterval) {
  MpPrecisionScope scope(128);
  const Layer<T> l = linear_layer<T>();
  const TransformerField<T> f(1, 1, Control<T>::constant(l));
  const Readout<T> ro{matrix_from_text<T>({{"1"}, {"-1"}}), {0}};
  const Vec<T> x0 = vector_from_text<T>({"1"});
  const GradientEnclosure<T> g = enclose_loss_gradient<T>(f, x0, ro, T(1), 8);
  REQUIRE(g.verdict.is_proved());
  // closed form of the flow: X(1) = e^w + b(e^w − 1)/w; both partials are negative (ℓ' < 0)
  const T w = from_text<T>("0.5"), b = from_text<T>("0.25"), ew = exp(w);
  const T X = ew + b * (ew - T(1)) / w;
  const T dl = T(-2) / (T(1) + exp(T(2) * X));
  const T dw = dl * (ew + b * (w * ew - (ew - T(1))) / sqr(w));
  const T db = dl * (ew - T(1)) / w;

  const FlowStationarity<T> d = certify_flow_not_stationary_from_discrete<T>(f, x0, ro, 1.0, g, FlowGradientMode::direction);
  REQUIRE(d.enclosure.is_proved());
  CHECK(d.verdict.is_proved());
  CHECK(d.verdict.reason() == "J'(θ)·v is certainly nonzero");
  CHECK(d.direction == "-W[0][0] -b[0]");
  REQUIRE(d.directional_derivative.has_value());
  CHECK(!d.gradient.has_value());
  // v = (−1, −1): J'(θ)·v = −(∂J/∂w + ∂J/∂b) > 0
  CHECK(!disjoint(*d.directional_derivative, -(dw + db)));
  CHECK(certainly_positive(*d.directional_derivative));
  CHECK(disjoint(*d.directional_derivative, dw + db));  // the opposite direction is excluded

  const FlowStationarity<T> a = certify_flow_not_stationary_from_discrete<T>(f, x0, ro, 1.0, g, FlowGradientMode::all);
  REQUIRE(a.enclosure.is_proved());
  CHECK(a.verdict.is_proved());
  REQUIRE(a.gradient.has_value());
  CHECK(!a.directional_derivative.has_value());
  CHECK(!disjoint((*a.gradient)(0), dw));
  CHECK(!disjoint((*a.gradient)(1), db));
  CHECK(!disjoint(*d.directional_derivative, -((*a.gradient)(0) + (*a.gradient)(1))));

  const FlowStationarity<T> n = certify_flow_not_stationary_from_discrete<T>(f, x0, ro, 1.0, g, FlowGradientMode::none);
  CHECK(n.verdict.is_unknown());
  CHECK(!n.gradient.has_value());
  CHECK(!n.directional_derivative.has_value());

  GradientEnclosure<T> not_proved = g;
  not_proved.verdict = Verdict::unknown("x");
  CHECK_THROWS_AS(certify_flow_not_stationary_from_discrete<T>(f, x0, ro, 1.0, not_proved, FlowGradientMode::direction),
                  std::invalid_argument);
}

TEST_CASE("certify_flow_not_stationary_from_discrete: a stationary control gives unknown, never proved") {
  // Γ with two equal rows: softmax(Γx) = (1/2, 1/2) for every x, the residual Γᵀ(s − e_y) = 0,
  // so ∇J = 0 exactly; every enclosure contains 0 and the check cannot prove anything.
  const Layer<Interval> l = linear_layer<Interval>();
  const TransformerField<Interval> f(1, 1, Control<Interval>::constant(l));
  const Readout<Interval> ro{matrix_from_text<Interval>({{"1"}, {"1"}}), {0}};
  const Vec<Interval> x0 = vector_from_text<Interval>({"1"});
  const GradientEnclosure<Interval> g = enclose_loss_gradient<Interval>(f, x0, ro, Interval(1), 8);
  REQUIRE(g.verdict.is_proved());
  for (FlowGradientMode m : {FlowGradientMode::direction, FlowGradientMode::all}) {
    const FlowStationarity<Interval> r = certify_flow_not_stationary_from_discrete<Interval>(f, x0, ro, 1.0, g, m);
    REQUIRE(r.enclosure.is_proved());
    CHECK(r.verdict.is_unknown());
    if (m == FlowGradientMode::direction) {
      REQUIRE(r.directional_derivative.has_value());
      CHECK(contains_zero(*r.directional_derivative));
      CHECK(r.verdict.reason() == "J'(θ)·v encloses 0");
    }
  }
}
