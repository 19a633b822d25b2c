// tests/gradflow/edi_test.cpp — the P4 field and the certified energy-dissipation identity.
#include "certiformer/gradflow.hpp"
#include "gradflow_test_util.hpp"
#include "certiformer/ode/euler_map.hpp"
#include <doctest/doctest.h>

#include <cmath>

using namespace certiformer;
using namespace certiformer::gradflow;
using namespace certiformer::gradflow::test;

namespace {
template <class T> Model<T> model_h1(typename WeightPath<T>::Kind kind, int n) {
  Model<T> m;
  m.n = n; m.d = 2; m.sign = 1;
  const Mat<T> D = mat2<T>("1", "0.5", "2");
  if (kind == WeightPath<T>::constant) m.heads.push_back(WeightPath<T>::make_constant(D));
  else if (kind == WeightPath<T>::ou) m.heads.push_back(WeightPath<T>::make_ou(D));
  else m.heads.push_back(WeightPath<T>::make_oscillating(D, 1, 1));
  return m;
}
}  // namespace

TEST_CASE_TEMPLATE("gradflow: field values against a direct double formula", T, Interval, MpInterval) {
  MpPrecisionScope scope(128);
  Model<T> m = model_h1<T>(WeightPath<T>::constant, 3);
  GradflowField<T> f(m, true);
  const Vec<T> X0 = circle_tokens<T>(3, "0.1", "0.7");
  Vec<T> Y = augmented_initial(f, X0);
  Vec<T> dY = ode::eval_field<T>(f, T(0), Y);
  // direct double computation of v_1
  double D[2][2] = {{1, 0.5}, {0.5, 2}};
  double x[3][2];
  for (int k = 0; k < 3; ++k) { x[k][0] = std::cos(0.1 + 0.7 * k); x[k][1] = std::sin(0.1 + 0.7 * k); }
  for (int i = 0; i < 3; ++i) {
    double N = 0, w[2] = {0, 0};
    for (int j = 0; j < 3; ++j) {
      double y[2] = {D[0][0] * x[j][0] + D[0][1] * x[j][1], D[1][0] * x[j][0] + D[1][1] * x[j][1]};
      const double u = std::exp(x[i][0] * y[0] + x[i][1] * y[1]);
      N += u; w[0] += u * y[0]; w[1] += u * y[1];
    }
    w[0] /= N; w[1] /= N;
    const double xw = x[i][0] * w[0] + x[i][1] * w[1];
    for (int c = 0; c < 2; ++c) {
      const double v = w[c] - x[i][c] * xw;
      CHECK(std::fabs(dmid(dY(2 * i + c)) - v) < 1e-12);
      CHECK(dwid(dY(2 * i + c)) < 1e-12);
    }
  }
  // on the sphere, H = 1: chain slope = metric slope
  const Terms<T> tm = f.template terms<T>(T(0), X0, true, true, true);
  CHECK(!certainly_less(tm.chain, tm.metric));
  CHECK(!certainly_greater(tm.chain, tm.metric));
  CHECK(certainly_positive(tm.energy));
  CHECK(!certainly_less(tm.energy, f.template energy<T>(T(0), X0)));
  CHECK(!certainly_greater(tm.energy, f.template energy<T>(T(0), X0)));
}

TEST_CASE("gradflow: H = 1 autonomous identity, monotone energy, 256-bit containment") {
  const int n = 3;
  const double T_end = 0.5;
  EdiResult<Interval> r;
  {
    Model<Interval> m = model_h1<Interval>(WeightPath<Interval>::constant, n);
    r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.2", "0.9"), T_end);
  }
  REQUIRE(r.verdict.is_proved());
  CHECK(r.identity.is_proved());
  CHECK(contains_zero(r.identity_residual));
  REQUIRE(r.metric_residual.has_value());
  CHECK(contains_zero(*r.metric_residual));
  CHECK(r.monotone.is_proved());
  CHECK(r.strict);
  CHECK(certainly_positive(r.energy_change));  // ascent: energy grows
  CHECK(contains_zero(r.explicit_time_integral));
  CHECK(dwid(r.identity_residual) < 1e-8);
  MESSAGE("binary64: steps " << r.steps << ", residual width " << dwid(r.identity_residual) << ", metric residual width "
                             << dwid(*r.metric_residual) << ", time " << r.seconds << " s");
  // the same computation at 256 bits: its enclosures lie inside the binary64 ones
  MpPrecisionScope scope(256);
  Model<MpInterval> mm = model_h1<MpInterval>(WeightPath<MpInterval>::constant, n);
  ode::TaylorOptions o;
  o.order = 30;
  o.tolerance = 1e-30;
  const EdiResult<MpInterval> rm = enclose_energy_dissipation<MpInterval>(mm, circle_tokens<MpInterval>(n, "0.2", "0.9"), T_end, o);
  REQUIRE(rm.verdict.is_proved());
  CHECK(contains_zero(rm.identity_residual));
  CHECK(subset(to_interval(rm.energy_change), r.energy_change));
  CHECK(subset(to_interval(rm.dissipation_integral), r.dissipation_integral));
  CHECK(subset(to_interval(*rm.metric_integral), *r.metric_integral));
  CHECK(dwid(rm.identity_residual) < 1e-20);
  MESSAGE("mpfi-256: steps " << rm.steps << ", residual width " << dwid(rm.identity_residual) << ", time " << rm.seconds << " s");
}

TEST_CASE_TEMPLATE("gradflow: OU and oscillating paths, identity with ∂_t E", T, Interval, MpInterval) {
  MpPrecisionScope scope(128);
  const int n = 3;
  for (auto kind : {WeightPath<T>::ou, WeightPath<T>::oscillating}) {
    Model<T> m = model_h1<T>(kind, n);
    ode::TaylorOptions o;
    if constexpr (std::is_same_v<T, MpInterval>) { o.order = 20; o.tolerance = 1e-20; }
    const double T_end = std::is_same_v<T, MpInterval> ? 0.5 : 1.0;
    const EdiResult<T> r = enclose_energy_dissipation<T>(m, circle_tokens<T>(n, "0.2", "0.9"), T_end, o);
    REQUIRE(r.verdict.is_proved());
    CHECK(r.identity.is_proved());
    CHECK(contains_zero(r.identity_residual));
    CHECK(contains_zero(*r.metric_residual));
    CHECK(!contains_zero(r.explicit_time_integral));  // the weights move: ∂_t E matters
    CHECK(r.monotone.is_unknown());
    CHECK(dwid(r.identity_residual) < 1e-7);
  }
}

TEST_CASE("gradflow: a wrong accumulator would be caught (identity is a real check)") {
  // Using E(T) at a shifted horizon breaks the identity: the residual must exclude 0.
  const int n = 3;
  Model<Interval> m = model_h1<Interval>(WeightPath<Interval>::ou, n);
  const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.2", "0.9"), 1.0);
  REQUIRE(r.verdict.is_proved());
  GradflowField<Interval> f(m, true);
  const Interval wrongE = f.energy<Interval>(Interval(1.25), r.tokens_at_horizon) - r.energy_0;
  CHECK(!contains_zero(wrongE - r.explicit_time_integral - r.dissipation_integral));
}
