// The flow at the horizon by both methods (moment ODE, information form) and their intersection,
// and the O(ε) gaps of the moment maps (gaussian/flow_at_horizon.hpp) — called directly, the
// library path the gaussian.moments kind adapts. Oracles: the scalar Riccati equation in closed form.
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {
template <class T> Mat<T> mat1(const char* lo, const char* hi) {
  Mat<T> m(1, 1);
  m(0, 0) = convex_hull(from_text<T>(lo), from_text<T>(hi));
  return m;
}
}  // namespace

TEST_CASE_TEMPLATE("intersect_enclosures: entrywise intersection, nullopt when disjoint", T, Interval, MpInterval) {
  MpPrecisionScope scope(128);
  const auto c = intersect_enclosures<T>(mat1<T>("1", "3"), mat1<T>("2", "4"));
  REQUIRE(c.has_value());
  CHECK(inf((*c)(0, 0)) == 2);
  CHECK(sup((*c)(0, 0)) == 3);
  CHECK(!intersect_enclosures<T>(mat1<T>("1", "2"), mat1<T>("2.5", "4")).has_value());
  CHECK_THROWS_AS(intersect_enclosures<T>(mat1<T>("1", "2"), Mat<T>(2, 2)), std::invalid_argument);
}

TEST_CASE_TEMPLATE("enclose_moment_errors: gaps and gaps over eps = T/L", T, Interval, MpInterval) {
  MpPrecisionScope scope(128);
  Moments<T> layer{Vec<T>(1), mat1<T>("1.5", "1.5")};
  layer.mean(0) = from_text<T>("0.75");
  Moments<T> flow{Vec<T>(1), mat1<T>("1", "1")};
  flow.mean(0) = from_text<T>("0.5");
  const MomentErrors<T> e = enclose_moment_errors<T>(layer, flow, from_text<T>("2"), 4);  // ε = 1/2
  CHECK(subset(from_text<T>("0.5"), e.cov_error(0, 0)));
  CHECK(subset(from_text<T>("1"), e.cov_error_over_eps(0, 0)));
  CHECK(!subset(from_text<T>("0.25"), e.cov_error_over_eps(0, 0)));  // not multiplied by ε
  REQUIRE(e.mean_error.has_value());
  CHECK(subset(from_text<T>("0.25"), (*e.mean_error)(0)));
  CHECK(subset(from_text<T>("0.5"), (*e.mean_error_over_eps)(0)));
  // without the flow's mean: covariance gaps only
  const MomentErrors<T> c = enclose_moment_errors<T>(layer, Moments<T>{Vec<T>(), flow.cov}, from_text<T>("2"), 4);
  CHECK(!c.mean_error.has_value());
  CHECK_THROWS_AS(enclose_moment_errors<T>(layer, flow, from_text<T>("2"), 0), std::invalid_argument);
}

TEST_CASE_TEMPLATE("enclose_moment_flow_at_horizon: scalar Riccati — both methods, intersected, contain the exact value", T,
                   Interval, MpInterval) {
  MpPrecisionScope scope(128);
  // d = 1, W = w = −1/2, V = 1, B = c = 1/4, Σ0 = 1, m0 = 1/2, horizon 1:
  //   P = 1/Σ solves P' = −2wP − 2c, so P(1) = (1 + c/w)e^{−2w} − c/w = e/2 + 1/2;
  //   m' = (1 + w + cΣ) m (b = 0).
  const ModelSpec m = scalar_model("-0.5", "0.25");
  const GaussianSpec g = make_gaussian({{"1"}}, {"0.5"});
  const MomentFlowAtHorizon<T> r = enclose_moment_flow_at_horizon<T>(m, g, Rational(1));
  CHECK(r.verdict.is_proved());
  REQUIRE(r.ode.has_value());
  REQUIRE(r.ode_verdict.has_value());
  CHECK(r.ode_verdict->is_proved());
  REQUIRE(r.information_verdict.has_value());
  CHECK(r.information_verdict->is_proved());
  REQUIRE(r.information_cov.has_value());
  REQUIRE(r.cov.has_value());
  MpPrecisionScope oracle(256);
  const MpInterval P1 = exp(MpInterval(1)) / MpInterval(2) + MpInterval(1) / MpInterval(2);
  const MpInterval sigma = MpInterval(1) / P1;
  const auto as_mp = [](const T& x) { return MpInterval(x); };
  CHECK(subset(sigma, as_mp((*r.cov)(0, 0))));
  CHECK(subset(sigma, as_mp(r.ode->cov(0, 0))));
  CHECK(subset(sigma, as_mp((*r.information_cov)(0, 0))));
  // the intersection is inside both
  CHECK(subset(as_mp((*r.cov)(0, 0)), as_mp(r.ode->cov(0, 0))));
  CHECK(subset(as_mp((*r.cov)(0, 0)), as_mp((*r.information_cov)(0, 0))));
  CHECK(static_cast<double>(wid((*r.cov)(0, 0))) < 1e-10);
}

TEST_CASE("enclose_moment_flow_at_horizon: non-binary64 horizon, blow-up inside the horizon, general V") {
  // horizon 1/3: the moment ODE is not integrated, the information form alone gives Σ(T)
  const ModelSpec m = scalar_model("-0.5", "0.25");
  const MomentFlowAtHorizon<Interval> third = enclose_moment_flow_at_horizon<Interval>(m, make_gaussian({{"1"}}), Rational(1, 3));
  CHECK(!third.ode.has_value());
  CHECK(third.ode_note == "the moment ODE was not integrated: the horizon is not a binary64 number");
  REQUIRE(third.cov.has_value());
  CHECK(third.verdict.is_proved());
  // w = 0, c = 1: P = 1 − 2t, Σ blows up at t* = 1/2 < horizon 1 — refuted, nothing enclosed
  const MomentFlowAtHorizon<Interval> up = enclose_moment_flow_at_horizon<Interval>(scalar_model("0", "1"), make_gaussian({{"1"}}), Rational(1));
  REQUIRE(up.information_verdict.has_value());
  CHECK(up.information_verdict->is_refuted());
  CHECK(!up.ode.has_value());
  CHECK(!up.cov.has_value());
  CHECK(up.verdict.is_unknown());
  // general V (V = diag(1, 2)): no information form; the moment ODE alone
  ModelSpec gv;
  gv.dim = 2;
  gv.beta = 1;
  gv.W = RMatrix::from_text({{"-1", "0"}, {"0", "-1"}});
  gv.heads.push_back({RMatrix::from_text({{"1", "0"}, {"0", "2"}}), RMatrix::from_text({{"0.1", "0"}, {"0", "0.1"}})});
  const MomentFlowAtHorizon<Interval> general =
      enclose_moment_flow_at_horizon<Interval>(gv, make_gaussian({{"1", "0"}, {"0", "1"}}), Rational(1, 2));
  CHECK(!general.information_verdict.has_value());
  CHECK(general.information_note.rfind("general V (", 0) == 0);
  REQUIRE(general.ode.has_value());
  REQUIRE(general.cov.has_value());
  CHECK(general.verdict.is_proved());
}
