// Classification (converges / blowup / bounded_on_horizon / unknown), Lyapunov P*, Hurwitz
// certificates and general-V equilibria (Krawczyk).
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {

ModelSpec model(const Text& W, const std::vector<std::pair<Text, Text>>& heads, const std::string& beta = "1") {
  ModelSpec m;
  m.dim = static_cast<int>(W.size());
  m.beta = parse_exact(beta);
  m.W = RMatrix::from_text(W);
  for (const auto& [V, B] : heads) m.heads.push_back({RMatrix::from_text(V), RMatrix::from_text(B)});
  return m;
}
const Text kI2 = {{"1", "0"}, {"0", "1"}};
const Text kMinusI2 = {{"-1", "0"}, {"0", "-1"}};
const Text kB1 = {{"1", "0.5"}, {"-0.3", "0.8"}};
const Text kWstable = {{"1", "0.5"}, {"-0.2", "0.8"}};
const Text kCov = {{"1", "0.4"}, {"0.4", "0.65"}};

/// Exact solution of Wᵀ P + P W = −R by rational elimination (oracle).
RMatrix exact_lyapunov(const RMatrix& W, const RMatrix& R) {
  const int d = W.rows(), n = d * d;
  RMatrix K(n, n), rhs(n, 1);
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) {
      const int row = j * d + i;
      for (int k = 0; k < d; ++k) {
        K(row, j * d + k) += W(k, i);
        K(row, k * d + i) += W(k, j);
      }
      rhs(row, 0) = -R(i, j);
    }
  auto Ki = inverse(K);
  REQUIRE(Ki.has_value());
  const RMatrix x = *Ki * rhs;
  RMatrix P(d, d);
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) P(i, j) = x(j * d + i, 0);
  return P;
}

}  // namespace

TEST_CASE_TEMPLATE("scalar (0.5, -1, 0.2) converges to 0.5", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  auto c = certify_regime<T>(scalar_model("0.5", "-1"), scalar_gaussian("0.2"), parse_exact("1"));
  INFO(c.verdict.reason(), " | ", c.details);
  REQUIRE(c.regime == Regime::converges);
  CHECK(c.verdict.is_proved());
  CHECK(subset(from_text<T>("0.5"), c.cov_star(0, 0)));
  CHECK(c.rate > real_t<T>(0));
  CHECK(c.rate <= real_t<T>(1));  // the true rate of |P(t) − P*| is 2w = 1
  CHECK(c.W_stability.verdict.is_proved());
}

TEST_CASE_TEMPLATE("2-D converges: W positive stable (non-normal), R negative definite", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const ModelSpec m = model(kWstable, {{kMinusI2, kB1}});
  auto c = certify_regime<T>(m, make_gaussian(kCov), parse_exact("2"));
  INFO(c.verdict.reason(), " | ", c.details);
  REQUIRE(c.regime == Regime::converges);
  const auto info = detect_information_form(m);
  const RMatrix Pstar = exact_lyapunov(info->W, info->R);
  const RMatrix Sstar = *inverse(Pstar);
  CHECK(subset(enclose_matrix<T>(Pstar), c.P_star));
  CHECK(subset(enclose_matrix<T>(Sstar), c.cov_star));
  MESSAGE("Sigma* = ", to_string(c.cov_star(0, 0), 12), " ", to_string(c.cov_star(0, 1), 12), " ",
          to_string(c.cov_star(1, 1), 12), " rate ", static_cast<double>(c.rate), " t_c ", static_cast<double>(c.t_c));
}

TEST_CASE_TEMPLATE("2-D: P* indefinite ⇒ blow-up located beyond a short horizon", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const ModelSpec m = model(kWstable, {{kI2, kB1}});
  auto c = certify_regime<T>(m, make_gaussian(kCov), parse_exact("0.01"));
  INFO(c.verdict.reason(), " | ", c.details);
  REQUIRE(c.regime == Regime::blowup);
  CHECK(c.blowup.t_lo > real_t<T>(0.01));
  // the same interval as a direct search on a long horizon
  auto r = certify_blowup_time<T>(m, make_gaussian(kCov), parse_exact("100"));
  REQUIRE(r.status == BlowupStatus::blowup);
  CHECK_FALSE(disjoint(r.blowup_time, c.blowup.blowup_time));
}

TEST_CASE_TEMPLATE("2-D bounded on the horizon (W not positive stable)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const ModelSpec m = model({{"-0.5", "0"}, {"0", "-0.5"}}, {{kMinusI2, kB1}});
  auto c = certify_regime<T>(m, make_gaussian(kCov), parse_exact("3"));
  INFO(c.verdict.reason(), " | ", c.details);
  CHECK(c.regime == Regime::bounded_on_horizon);
  CHECK(c.W_stability.verdict.is_unknown());
}

TEST_CASE_TEMPLATE("general V: blow-up regime from the compactification bracket", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const ModelSpec m = model({{"0", "0"}, {"0", "0"}}, {{{{"1", "0"}, {"0", "2"}}, kB1}});
  auto c = certify_regime<T>(m, make_gaussian(kCov), parse_exact("5"));
  INFO(c.verdict.reason());
  CHECK(c.regime == Regime::blowup);
  CHECK(c.blowup.status == BlowupStatus::blowup);
  CHECK(c.blowup.t_lo > real_t<T>(0));
  const auto lower = certify_blowup_lower_bound<T>(m, make_gaussian(kCov), parse_exact("5"));
  CHECK(lower.t_lo <= c.blowup.t_lo);
  CHECK(c.blowup.t_lo < c.blowup.t_hi);
  auto r = certify_blowup_time<T>(m, make_gaussian(kCov), parse_exact("5"));
  CHECK(r.status == BlowupStatus::blowup);
  CHECK(r.t_lo == c.blowup.t_lo);
  CHECK(r.t_hi == c.blowup.t_hi);
}

TEST_CASE_TEMPLATE("general V: unknown regime with a certified lower bound only (saddle profile at infinity)", T,
                   Interval, MpInterval) {
  MpPrecisionScope scope(256);
  // decoupled: σ_i' = 2c_iσ_i², c = (1, 3/2), Σ0 = diag(1, 1/2): t* = 1/2 along e1, but the profile e1e1ᵀ
  // is a saddle of the compactified flow (v_2 b_1 = 2 > c_1 = 1), so no trapping ball exists
  const ModelSpec m = model({{"0", "0"}, {"0", "0"}}, {{{{"1", "0"}, {"0", "2"}}, {{"1", "0"}, {"0", "0.75"}}}});
  const GaussianSpec g = make_gaussian({{"1", "0"}, {"0", "0.5"}});
  auto c = certify_regime<T>(m, g, parse_exact("5"));
  INFO(c.verdict.reason());
  CHECK(c.regime == Regime::unknown);
  CHECK(c.blowup.status == BlowupStatus::blowup_lower_bound_only);
  CHECK(c.blowup.t_lo > real_t<T>(0));
  CHECK(c.blowup.t_lo < real_t<T>(0.5));
  CHECK(c.verdict.reason().find("no upper bound") != std::string::npos);
  auto r = certify_blowup_time<T>(m, g, parse_exact("5"));
  CHECK(r.status == BlowupStatus::blowup_lower_bound_only);
  CHECK(r.verdict.reason().find("no upper bound") != std::string::npos);
}

TEST_CASE_TEMPLATE("general V equilibrium: Krawczyk + Hurwitz (A(Σ*) = 0 at Σ* = V⁻¹)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  // W = I, V = diag(1, 2), B = −I: A(Σ) = I − VΣ vanishes at Σ* = diag(1, 1/2).
  const ModelSpec m = model(kI2, {{{{"1", "0"}, {"0", "2"}}, kMinusI2}});
  Mat<real_t<T>> guess(2, 2);
  guess << real_t<T>(1.1), real_t<T>(0.05), real_t<T>(0.05), real_t<T>(0.45);
  auto e = certify_equilibrium<T>(m, guess);
  INFO(e.exists.reason());
  REQUIRE(e.exists.is_proved());
  CHECK(e.positive_definite.is_proved());
  CHECK(e.stability.verdict.is_proved());
  CHECK(subset(from_text<T>("1"), e.cov(0, 0)));
  CHECK(subset(from_text<T>("0.5"), e.cov(1, 1)));
  CHECK(subset(T(0), e.cov(0, 1)));
  // a guess near Σ = 0 finds the trivial equilibrium, which is not positive definite
  Mat<real_t<T>> g0 = Mat<real_t<T>>::Zero(2, 2);
  auto e0 = certify_equilibrium<T>(m, g0);
  if (e0.exists.is_proved()) CHECK_FALSE(e0.positive_definite.is_proved());
}

TEST_CASE("general V classification finds and certifies the equilibrium") {
  const ModelSpec m = model({{"1", "0.2"}, {"0.2", "1"}}, {{{{"1", "0"}, {"0", "2"}}, kMinusI2}});
  auto c = certify_regime<Interval>(m, make_gaussian(kCov), parse_exact("1"));
  INFO(c.verdict.reason(), " | ", c.details);
  REQUIRE(c.equilibrium.has_value());
  CHECK(c.equilibrium->exists.is_proved());
  CHECK(c.equilibrium->positive_definite.is_proved());
  CHECK(c.equilibrium->stability.verdict.is_proved());
  CHECK(c.regime != Regime::converges);  // trajectory convergence is not claimed for general V
}

TEST_CASE_TEMPLATE("Hurwitz certificate: proved, and unknown for a non-Hurwitz matrix", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  // non-normal Hurwitz matrix whose symmetric part is indefinite (needs G ≠ I)
  Mat<T> J(2, 2);
  J << T(-1), T(10), T(0), T(-1);
  auto h = certify_hurwitz<T>(J);
  CHECK(h.verdict.is_proved());
  CHECK(h.rate > real_t<T>(0));
  CHECK(h.rate <= real_t<T>(1));
  Mat<T> K(2, 2);
  K << T(1), T(0), T(0), T(-1);
  CHECK(certify_hurwitz<T>(K).verdict.is_unknown());
}
