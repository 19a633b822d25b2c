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
