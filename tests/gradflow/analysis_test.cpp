// tests/gradflow/analysis_test.cpp — stationarity (Krawczyk) and stability bounds of the P4 flow,
// piecewise-linear paths, H > 1 and d = 3.
#include "certiformer/gradflow.hpp"
#include "gradflow_test_util.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace certiformer;
using namespace certiformer::gradflow;
using namespace certiformer::gradflow::test;

namespace {
/// Plain double reference: RK4 of the token flow (constant weights, H = 1, d = 2).
std::vector<double> rk4_tokens(const double D[2][2], std::vector<double> x, double T_end, int steps, int sign) {
  const int n = static_cast<int>(x.size()) / 2;
  auto f = [&](const std::vector<double>& z) {
    std::vector<double> dz(z.size());
    for (int i = 0; i < n; ++i) {
      double N = 0, w[2] = {0, 0};
      for (int j = 0; j < n; ++j) {
        const double y0 = D[0][0] * z[2 * j] + D[0][1] * z[2 * j + 1], y1 = D[1][0] * z[2 * j] + D[1][1] * z[2 * j + 1];
        const double u = std::exp(z[2 * i] * y0 + z[2 * i + 1] * y1);
        N += u; w[0] += u * y0; w[1] += u * y1;
      }
      w[0] /= N; w[1] /= N;
      const double xw = z[2 * i] * w[0] + z[2 * i + 1] * w[1];
      dz[2 * i] = sign * (w[0] - z[2 * i] * xw);
      dz[2 * i + 1] = sign * (w[1] - z[2 * i + 1] * xw);
    }
    return dz;
  };
  const double h = T_end / steps;
  for (int s = 0; s < steps; ++s) {
    auto k1 = f(x);
    std::vector<double> t(x.size());
    for (std::size_t k = 0; k < x.size(); ++k) t[k] = x[k] + 0.5 * h * k1[k];
    auto k2 = f(t);
    for (std::size_t k = 0; k < x.size(); ++k) t[k] = x[k] + 0.5 * h * k2[k];
    auto k3 = f(t);
    for (std::size_t k = 0; k < x.size(); ++k) t[k] = x[k] + h * k3[k];
    auto k4 = f(t);
    for (std::size_t k = 0; k < x.size(); ++k) x[k] += h / 6 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]);
  }
  return x;
}
}  // namespace

TEST_CASE("gradflow: enclosure contains an RK4 reference trajectory (closed-loop oracle)") {
  const int n = 5;
  Model<Interval> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_constant(mat2<Interval>("1", "0.5", "2")));
  const Vec<Interval> X0 = circle_tokens<Interval>(n, "0.2", "0.9");
  const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, X0, 1.0);
  REQUIRE(r.verdict.is_proved());
  const double D[2][2] = {{1, 0.5}, {0.5, 2}};
  std::vector<double> x(2 * n);
  for (int k = 0; k < n; ++k) { x[2 * k] = std::cos(0.2 + 0.9 * k); x[2 * k + 1] = std::sin(0.2 + 0.9 * k); }
  const std::vector<double> y = rk4_tokens(D, x, 1.0, 4000, 1);
  for (int k = 0; k < 2 * n; ++k) {
    const Interval e = r.tokens_at_horizon(k);
    CHECK(inf(e) - 1e-11 <= y[static_cast<std::size_t>(k)]);
    CHECK(y[static_cast<std::size_t>(k)] <= sup(e) + 1e-11);
  }
}

TEST_CASE("gradflow: stationary configuration near a clustered horizon state (Krawczyk)") {
  const int n = 4;
  Model<Interval> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_constant(mat2<Interval>("1", "0.5", "2")));
  const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.6", "0.4"), 6.0);
  REQUIRE(r.verdict.is_proved());
  MESSAGE("slope at horizon " << inf(r.slope_at_horizon) << " .. " << sup(r.slope_at_horizon));
  const GradflowField<Interval> f(m, false);
  const StationaryResult<Interval> s = certify_stationary_nearby<Interval>(f, 6.0, r.tokens_at_horizon);
  CHECK(s.verdict.is_proved());
  if (s.verdict.is_proved()) {
    // the stationary tokens are on the sphere and have zero velocity
    for (int i = 0; i < n; ++i) {
      const Interval nr = sqr(s.tokens(2 * i)) + sqr(s.tokens(2 * i + 1));
      CHECK(contains_zero(nr - Interval(1)));
    }
    Vec<Interval> z = s.tokens;
    const Terms<Interval> tm = f.terms<Interval>(Interval(6.0), z, false, true, false);
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < 2; ++c) CHECK(contains_zero(tm.v[static_cast<std::size_t>(i)](c)));
    MESSAGE("stationary distance ≤ " << sup(s.distance) << "; " << s.verdict.reason());
    CHECK(sup(s.distance) < 0.05);
  }
  // rotation-invariant weights D = 2I: stationary points are not isolated → unknown, never proved
  Model<Interval> mi = m;
  mi.heads[0] = WeightPath<Interval>::make_constant(mat2<Interval>("2", "0", "2"));
  const EdiResult<Interval> ri = enclose_energy_dissipation<Interval>(mi, circle_tokens<Interval>(n, "0.6", "0.4"), 3.0);
  REQUIRE(ri.verdict.is_proved());
  const StationaryResult<Interval> si = certify_stationary_nearby<Interval>(GradflowField<Interval>(mi, false), 3.0, ri.tokens_at_horizon);
  CHECK(si.verdict.is_unknown());
}

TEST_CASE_TEMPLATE("gradflow: token-perturbation stability bound against two actual flows", T, Interval, MpInterval) {
  MpPrecisionScope scope(113);
  const int n = 3;
  Model<T> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<T>::make_ou(mat2<T>("1", "0.5", "2")));
  const Vec<T> X0 = circle_tokens<T>(n, "0.2", "0.9");
  const T delta = from_text<T>("1e-3");
  ode::TaylorOptions o;
  if constexpr (std::is_same_v<T, MpInterval>) { o.order = 20; o.tolerance = 1e-20; }
  const StabilityResult<T> s = enclose_token_stability<T>(m, X0, delta, 1.0, o);
  REQUIRE(s.verdict.is_proved());
  // a perturbed start (rotate every token by 5e-4 rad: |ΔX|₂ ≤ √3·5e-4 < 1e-3)
  const Vec<T> X1 = circle_tokens<T>(n, "0.2005", "0.9");
  const EdiResult<T> a = enclose_energy_dissipation<T>(m, X0, 1.0, o), b = enclose_energy_dissipation<T>(m, X1, 1.0, o);
  REQUIRE(a.verdict.is_proved());
  REQUIRE(b.verdict.is_proved());
  T dist2 = T(0);
  for (Eigen::Index k = 0; k < a.tokens_at_horizon.size(); ++k) dist2 += sqr(a.tokens_at_horizon(k) - b.tokens_at_horizon(k));
  CHECK(approx_double(sup(sqrt(dist2))) <= approx_double(s.bound.back()));
  CHECK(approx_double(s.sup_bound) < 1.0);
  MESSAGE("token stability: actual ≤ " << approx_double(sup(sqrt(dist2))) << ", bound "
                                        << approx_double(s.bound.back()) << " (sup " << approx_double(s.sup_bound) << ")");
}

TEST_CASE("gradflow: weight-perturbation sensitivity bound against two actual flows") {
  const int n = 3;
  Model<Interval> m;
  m.n = n; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_constant(mat2<Interval>("1", "0.5", "2")));
  const Vec<Interval> X0 = circle_tokens<Interval>(n, "0.2", "0.9");
  const Interval eps = from_text<Interval>("1e-6");
  const StabilityResult<Interval> s = enclose_weight_stability<Interval>(m, X0, eps, 1.0);
  INFO(s.verdict.reason());
  REQUIRE(s.verdict.is_proved());
  Model<Interval> mp = m;  // Δ = ε·[[1, 0], [0, 0]] (‖Δ‖_F = ε = 1e-6)
  mp.heads[0] = WeightPath<Interval>::make_constant(mat2<Interval>("1.000001", "0.5", "2"));
  const EdiResult<Interval> a = enclose_energy_dissipation<Interval>(m, X0, 1.0), b = enclose_energy_dissipation<Interval>(mp, X0, 1.0);
  REQUIRE(a.verdict.is_proved());
  REQUIRE(b.verdict.is_proved());
  Interval dist2(0);
  for (Eigen::Index k = 0; k < a.tokens_at_horizon.size(); ++k) dist2 += sqr(a.tokens_at_horizon(k) - b.tokens_at_horizon(k));
  CHECK(sup(sqrt(dist2)) <= s.bound.back() * 1e-6 * (1 + 1e-12));
  CHECK(sup(sqrt(dist2)) > 0);
  MESSAGE("weight stability: actual " << sup(sqrt(dist2)) << " ≤ C·ε = " << s.bound.back() * 1e-6);
}

TEST_CASE("gradflow: H = 3 chain-rule identity, d = 3 oscillating path, piecewise-linear path") {
  {  // H = 3, d = 2, mixed paths
    const int n = 4;
    Model<Interval> m;
    m.n = n; m.d = 2; m.sign = -1;
    m.heads.push_back(WeightPath<Interval>::make_constant(mat2<Interval>("1", "0.5", "2")));
    m.heads.push_back(WeightPath<Interval>::make_ou(mat2<Interval>("2", "-0.3", "1")));
    m.heads.push_back(WeightPath<Interval>::make_oscillating(mat2<Interval>("1.5", "0", "1.5"), 3, 3));
    const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.2", "0.9"), 1.0);
    REQUIRE(r.verdict.is_proved());
    CHECK(contains_zero(r.identity_residual));
    CHECK(!r.metric_integral.has_value());
    CHECK(dwid(r.identity_residual) < 1e-7);
  }
  {  // d = 3 oscillating, 2 heads
    const int n = 3;
    Model<Interval> m;
    m.n = n; m.d = 3; m.sign = 1;
    Mat<Interval> D = Mat<Interval>::Identity(3, 3);
    D(0, 1) = D(1, 0) = from_text<Interval>("0.25");
    m.heads.push_back(WeightPath<Interval>::make_oscillating(D, 1, 2));
    m.heads.push_back(WeightPath<Interval>::make_oscillating(D, 2, 2));
    Vec<Interval> X0(9);
    const char* pts[3][3] = {{"0.6", "0.8", "0"}, {"0", "0.6", "0.8"}, {"0.48", "0.6", "0.64"}};  // exact unit vectors
    for (int i = 0; i < 3; ++i)
      for (int c = 0; c < 3; ++c) X0(3 * i + c) = from_text<Interval>(pts[i][c]);
    const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, X0, 1.0);
    REQUIRE(r.verdict.is_proved());
    CHECK(contains_zero(r.identity_residual));
    CHECK(!contains_zero(r.explicit_time_integral));
  }
  {  // piecewise-linear user path: breakpoints, D' per piece; also compare with the same path in closed form
    const int n = 3;
    Model<Interval> m;
    m.n = n; m.d = 2; m.sign = 1;
    std::vector<Mat<Interval>> S = {mat2<Interval>("1", "0.5", "2"), mat2<Interval>("2", "0", "1"),
                                    mat2<Interval>("1.5", "-0.5", "1.5")};
    m.heads.push_back(WeightPath<Interval>::make_piecewise_linear({0.0, 0.5, 1.0}, S));
    const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(n, "0.2", "0.9"), 1.0);
    REQUIRE(r.verdict.is_proved());
    CHECK(contains_zero(r.identity_residual));
    CHECK(contains_zero(*r.metric_residual));
    CHECK(!contains_zero(r.explicit_time_integral));
    // D(t) at t = 0.25 is the average of the first two samples
    const std::vector<Interval> D = m.heads[0].D_at<Interval>(Interval(0.25));
    CHECK(contains_zero(D[0] - from_text<Interval>("1.5")));
    CHECK(contains_zero(D[1] - from_text<Interval>("0.25")));
  }
}

TEST_CASE("gradflow: oscillating path in closed form solves D' = F − D (Taylor check)") {
  Mat<Interval> D0 = mat2<Interval>("1", "0.5", "2");
  const WeightPath<Interval> p = WeightPath<Interval>::make_oscillating(D0, 1, 2);
  // D(0) = D0
  const std::vector<Interval> A = p.D_at<Interval>(Interval(0));
  CHECK(contains_zero(A[0] - Interval(1)));
  CHECK(contains_zero(A[1] - from_text<Interval>("0.5")));
  CHECK(dwid(A[1]) < 1e-14);
  // d/dt D (Taylor coefficient 1 at t = 0.7) = F − D
  const ode::Taylor<Interval> t = ode::Taylor<Interval>::variable(2, Interval(0.7), 1);
  const std::vector<ode::Taylor<Interval>> Dt = p.D_at<ode::Taylor<Interval>>(t);
  const std::vector<ode::Taylor<Interval>> dD = p.dD_at<ode::Taylor<Interval>>(t, Dt);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(contains_zero(Dt[k][1] - dD[k][0]));
    CHECK(dwid(Dt[k][1] - dD[k][0]) < 1e-13);
  }
  // F(τ) at τ = 0.7 + π (h = 1, H = 2): F11 = 2 + 1.5 cos τ
  const Interval tau = Interval(0.7) + pi<Interval>();
  CHECK(contains_zero(dD[0][0] + Dt[0][0] - (Interval(2) + from_text<Interval>("1.5") * cos(tau))));
}

TEST_CASE("gradflow: an integration that stops early claims nothing (unknown paths)") {
  Model<Interval> m;
  m.n = 3; m.d = 2; m.sign = 1;
  m.heads.push_back(WeightPath<Interval>::make_constant(mat2<Interval>("1", "0.5", "2")));
  ode::TaylorOptions o;
  o.max_steps = 3;
  const EdiResult<Interval> r = enclose_energy_dissipation<Interval>(m, circle_tokens<Interval>(3, "0.2", "0.9"), 2.0, o);
  CHECK(r.verdict.is_unknown());
  CHECK(r.identity.is_unknown());
  CHECK(r.monotone.is_unknown());
  CHECK(r.t_reached < 2.0);
  const StabilityResult<Interval> s =
      enclose_token_stability<Interval>(m, circle_tokens<Interval>(3, "0.2", "0.9"), from_text<Interval>("1e-3"), 2.0, o);
  CHECK(s.verdict.is_unknown());
  // a wide weight box: the integrator gives up before T (documented limitation) → unknown, no bound
  const StabilityResult<Interval> w =
      enclose_weight_stability<Interval>(m, circle_tokens<Interval>(3, "0.2", "0.9"), from_text<Interval>("1e-3"), 1.0);
  CHECK(w.verdict.is_unknown());
}
