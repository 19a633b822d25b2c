// Containment of the Gaussian-module enclosures against a 256-bit MpInterval oracle.
//
// Inputs: random models with short dyadic entries (exact doubles, so both backends see the same
// exact rationals), random means / SPD covariances / times. Oracle: the same function evaluated
// with MpInterval at 256 bits (a far tighter enclosure of the same exact value). A correct binary64
// result contains the exact value; since the oracle's width is ~1e-70 and the exact values are
// (generically) not binary64 endpoints, `oracle ⊆ result` is the check. On failure the inputs are
// printed as hex floats.
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

#include "certiformer/gaussian/information.hpp"
#include "certiformer/gaussian/moment_flow.hpp"

#include <sstream>

using namespace certiformer;
using namespace certiformer::gaussian;
namespace tst = certiformer::test;

namespace {

/// Random dyadic in [−a, a] with 10 significant bits.
double dyadic(std::mt19937_64& g, double a) {
  std::uniform_int_distribution<int> k(-1024, 1024);
  return a * std::ldexp(static_cast<double>(k(g)), -10);
}

RMatrix random_matrix(std::mt19937_64& g, int r, int c, double a) {
  RMatrix m(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = Rational(dyadic(g, a));
  return m;
}

/// Random SPD covariance: L Lᵀ + 0.25 I with dyadic L (exact rational product).
RMatrix random_spd(std::mt19937_64& g, int d) {
  const RMatrix L = random_matrix(g, d, d, 1.0);
  return L * L.transpose() + Rational(1, 4) * RMatrix::identity(d);
}

ModelSpec random_model(std::mt19937_64& g, int d, int H, bool information_form) {
  ModelSpec m;
  m.dim = d;
  m.beta = Rational(dyadic(g, 1.0)) + 1;  // β ∈ [0, 2]
  m.W = random_matrix(g, d, d, 0.8);
  m.b = random_matrix(g, d, 1, 0.5);
  for (int h = 0; h < H; ++h) {
    HeadSpec hs;
    if (information_form) hs.V = Rational(dyadic(g, 1.0)) * RMatrix::identity(d);
    else hs.V = random_matrix(g, d, d, 1.0);
    hs.B = random_matrix(g, d, d, 1.0);
    m.heads.push_back(hs);
  }
  return m;
}

std::string describe(const RMatrix& a) {
  std::ostringstream os;
  os << "[";
  for (int i = 0; i < a.rows(); ++i) {
    os << (i ? "; " : "");
    for (int j = 0; j < a.cols(); ++j) os << (j ? " " : "") << hex(mid(enclose_interval(a(i, j))));
  }
  os << "]";
  return os.str();
}
std::string describe(const ModelSpec& m) {
  std::ostringstream os;
  os << "beta=" << hex(mid(enclose_interval(m.beta))) << " W=" << describe(m.W) << " b=" << describe(m.b);
  for (const auto& h : m.heads) os << " V=" << describe(h.V) << " B=" << describe(h.B);
  return os.str();
}

template <class M> bool contains_oracle(const M& oracle, const M& result) {
  for (Eigen::Index i = 0; i < result.rows(); ++i)
    for (Eigen::Index j = 0; j < result.cols(); ++j)
      if (!subset(oracle(i, j), result(i, j))) return false;
  return true;
}

}  // namespace

TEST_CASE("containment: moment ODE right-hand side, one layer, L layers") {
  auto g = tst::rng(0x6a55u);
  const long n = tst::trials(60);
  for (long trial = 0; trial < n; ++trial) {
    const int d = 1 + static_cast<int>(trial % 3), H = static_cast<int>(trial % 3);
    const ModelSpec m = random_model(g, d, H, false);
    GaussianSpec x;
    x.mean = random_matrix(g, d, 1, 1.0);
    x.cov = random_spd(g, d);
    const Rational T = Rational(dyadic(g, 0.5)) + Rational(1, 2);  // horizon in [0, 1]
    const int L = 1 + static_cast<int>(trial % 4);
    INFO("model ", describe(m), " mean ", describe(x.mean), " cov ", describe(x.cov), " L ", L);
    const auto mi = enclose_model<Interval>(m);
    const auto xi = enclose_moments<Interval>(x);
    const auto ri = enclose_moment_rhs(mi, xi);
    const auto li = enclose_moment_map(mi, xi, enclose<Interval>(T), L).back();
    MpPrecisionScope scope(tst::kOracleBits);
    const auto mm = enclose_model<MpInterval>(m);
    const auto xm = enclose_moments<MpInterval>(x);
    const auto rm = enclose_moment_rhs(mm, xm);
    const auto lm = enclose_moment_map(mm, xm, enclose<MpInterval>(T), L).back();
    Mat<MpInterval> a = rm.mean, b = lm.mean;
    CHECK(contains_oracle(a, Mat<MpInterval>(ri.mean.unaryExpr([](const Interval& v) { return MpInterval(v); }))));
    CHECK(contains_oracle(rm.cov, Mat<MpInterval>(ri.cov.unaryExpr([](const Interval& v) { return MpInterval(v); }))));
    CHECK(contains_oracle(b, Mat<MpInterval>(li.mean.unaryExpr([](const Interval& v) { return MpInterval(v); }))));
    CHECK(contains_oracle(lm.cov, Mat<MpInterval>(li.cov.unaryExpr([](const Interval& v) { return MpInterval(v); }))));
  }
}

TEST_CASE("containment: information-form P(t), point and interval times") {
  auto g = tst::rng(0x1f0u);
  const long n = tst::trials(40);
  for (long trial = 0; trial < n; ++trial) {
    const int d = 1 + static_cast<int>(trial % 4), H = 1 + static_cast<int>(trial % 2);
    const ModelSpec m = random_model(g, d, H, true);
    GaussianSpec x;
    x.mean = RMatrix(d, 1);
    x.cov = random_spd(g, d);
    const double t0 = std::fabs(dyadic(g, 1.5)), dt = std::ldexp(std::fabs(dyadic(g, 1.0)), -6);
    INFO("model ", describe(m), " cov ", describe(x.cov), " t0 ", hex(t0), " dt ", hex(dt));
    InformationFlow<Interval> fi(m, x);
    const Mat<Interval> Pi = fi.enclose_P(Interval(t0));
    const Mat<Interval> Ps = fi.enclose_P(Interval(t0, t0 + dt));
    MpPrecisionScope scope(tst::kOracleBits);
    InformationFlow<MpInterval> fm(m, x);
    const auto to_mp = [](const Mat<Interval>& a) {
      return Mat<MpInterval>(a.unaryExpr([](const Interval& v) { return MpInterval(v); }));
    };
    CHECK(contains_oracle(fm.enclose_P(MpInterval(t0)), to_mp(Pi)));
    // every time in the slab: check the two ends and an interior point against the slab enclosure
    for (double t : {t0, t0 + dt / 3, t0 + dt}) CHECK(contains_oracle(fm.enclose_P(MpInterval(t)), to_mp(Ps)));
  }
}

TEST_CASE("containment: scalar blow-up times against the closed form") {
  auto g = tst::rng(0xb10u);
  const long n = tst::trials(30);
  long blowups = 0;
  for (long trial = 0; trial < n; ++trial) {
    const double w = dyadic(g, 1.0), c = std::fabs(dyadic(g, 2.0)) + 0.125, s0 = std::fabs(dyadic(g, 2.0)) + 0.0625;
    ModelSpec m;
    m.dim = 1;
    m.W = RMatrix(1, 1);
    m.W(0, 0) = Rational(w);
    HeadSpec h{RMatrix::identity(1), RMatrix(1, 1)};
    h.B(0, 0) = Rational(c);
    m.heads.push_back(h);
    GaussianSpec x{RMatrix(1, 1), RMatrix(1, 1)};
    x.cov(0, 0) = Rational(s0);
    INFO("w ", hex(w), " c ", hex(c), " s0 ", hex(s0));
    auto r = certify_blowup_time<Interval>(m, x, Rational(50));
    MpPrecisionScope scope(tst::kOracleBits);
    const MpInterval W(w), C(c), S(s0);
    if (w + c * s0 <= 0) {  // no blow-up (w < 0 and w + cσ0 ≤ 0)
      CHECK(r.status != BlowupStatus::blowup);
      continue;
    }
    const MpInterval tstar = (w == 0) ? MpInterval(1) / (MpInterval(2) * C * S) : log1p(W / (C * S)) / (MpInterval(2) * W);
    if (!certainly_less(tstar, MpInterval(49))) continue;
    ++blowups;
    REQUIRE(r.status == BlowupStatus::blowup);
    CHECK(subset(tstar, MpInterval(r.blowup_time)));
  }
  CHECK(blowups > 0);
}

// Continuous mean flow (gaussian/moment_flow.hpp). Scalar model with V = 1, B = c, W = w, b = 0:
// σ' = 2wσ + 2cσ², m' = (1 + w + cσ)m. With u = 1/σ, (ln u)' = −2w − 2cσ, so
// c∫σ = −½ ln(u(T)/u0) − wT and m(T) = m0 e^T √(σ(T)/σ0), σ(T) = σ0 e^{2wT} / (1 − (cσ0/w)(e^{2wT} − 1)).
TEST_CASE("containment: moment-ODE mean and covariance against the scalar closed form") {
  auto g = tst::rng(0x3ea7u);
  const long n = tst::trials(20);
  long checked = 0;
  for (long trial = 0; trial < n; ++trial) {
    const double w = dyadic(g, 1.0), c = dyadic(g, 1.0), s0 = std::fabs(dyadic(g, 1.0)) + 0.0625, m0 = dyadic(g, 2.0);
    if (w == 0) continue;
    const double T = 0.25;
    const ModelSpec m = gaussian::test::scalar_model(hex(w), hex(c));  // V = 1, B = c, W = w (exact hex text)
    const GaussianSpec x = gaussian::test::make_gaussian({{hex(s0)}}, {hex(m0)});
    INFO("w ", hex(w), " c ", hex(c), " s0 ", hex(s0), " m0 ", hex(m0));
    MpInterval sT, mT;
    {
      MpPrecisionScope scope(tst::kOracleBits);
      const MpInterval W(w), C(c), S(s0), M0(m0), TT(T);
      const MpInterval e = exp(MpInterval(2) * W * TT);
      const MpInterval den = MpInterval(1) - C * S / W * (e - MpInterval(1));
      if (!certainly_positive(den)) continue;  // blow-up before T (or too close): not this test
      sT = S * e / den;
      mT = M0 * exp(TT) * sqrt(sT / S);
    }
    const auto r = enclose_moment_flow<Interval>(enclose_model<Interval>(m), enclose_moments<Interval>(x), T);
    if (!r.at_horizon) continue;  // the integrator may stop near a blow-up: never a claim then
    ++checked;
    CHECK(subset(mT, MpInterval(r.at_horizon->mean(0))));
    CHECK(subset(sT, MpInterval(r.at_horizon->cov(0, 0))));
    CHECK(wid(r.at_horizon->mean(0)) < 1e-12 * (1 + std::fabs(mid(r.at_horizon->mean(0)))));
  }
  CHECK(checked > n / 2);
}

// General V (no information form, d = 2): the binary64 enclosure of (m(T), Σ(T)) contains the
// 256-bit enclosure of the same exact flow.
TEST_CASE("containment: moment ODE, general V, binary64 contains 256 bits") {
  ModelSpec m;
  m.dim = 2;
  m.W = RMatrix::from_text({{"0.25", "0.5"}, {"-0.5", "0"}});
  m.b = RMatrix::column_from_text({"0.125", "-0.25"});
  m.heads.push_back({RMatrix::from_text({{"-0.5", "0.25"}, {"0", "-0.75"}}), RMatrix::from_text({{"1", "0.5"}, {"-0.25", "0.5"}})});
  GaussianSpec x;
  x.mean = RMatrix::column_from_text({"0.5", "-1"});
  x.cov = RMatrix::from_text({{"1", "0.25"}, {"0.25", "0.5"}});
  const auto r = enclose_moment_flow<Interval>(enclose_model<Interval>(m), enclose_moments<Interval>(x), 1.0);
  REQUIRE(r.at_horizon);
  MpPrecisionScope scope(tst::kOracleBits);
  const auto o = enclose_moment_flow<MpInterval>(enclose_model<MpInterval>(m), enclose_moments<MpInterval>(x), 1.0);
  REQUIRE(o.at_horizon);
  for (int i = 0; i < 2; ++i) {
    CHECK(subset(o.at_horizon->mean(i), MpInterval(r.at_horizon->mean(i))));
    CHECK(wid(o.at_horizon->mean(i)) < MpReal(1e-40));
    for (int j = 0; j < 2; ++j) CHECK(subset(o.at_horizon->cov(i, j), MpInterval(r.at_horizon->cov(i, j))));
  }
}
