// The structured attention flow engine (transformer/structured_flow.hpp) against the Taylor–Lohner
// engine ode::enclose_flow in binary64 and at 128 bits (MpInterval), for points and boxes.
#include "certiformer/core.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/transformer/structured_flow.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include "random_dyadic.hpp"

#include <cmath>
#include <random>

using namespace certiformer;
using namespace certiformer::ode;
using namespace certiformer::transformer;

namespace {
using certiformer::test::dy;
using certiformer::test::rmat;
/// n tokens, d = 2, H heads (Q, K ∈ R^{2×2} scale `s`, V scale s/H), optional affine FFN,
/// exact dyadic parameters; the same draws for Interval and MpInterval.
template <class T> TransformerField<T> system(std::uint64_t seed, Eigen::Index n, int H, bool ffn, double s = 1.0,
                                              bool bform = false) {
  auto g = test::rng(seed);
  Layer<T> l;
  l.beta = T(1);
  for (int h = 0; h < H; ++h) {
    Head<T> hd;
    if (bform) hd.B = rmat<T>(g, 2, 2, s);
    else {
      hd.Q = rmat<T>(g, 2, 2, s);
      hd.K = rmat<T>(g, 2, 2, s);
    }
    hd.V = rmat<T>(g, 2, 2, s / H);
    l.heads.push_back(hd);
  }
  if (ffn) {
    l.W = rmat<T>(g, 2, 2, 0.5);
    l.b = Vec<T>(rmat<T>(g, 2, 1, 0.5));
  }
  return TransformerField<T>(n, 2, Control<T>::constant(l));
}
template <class T> Vec<T> tokens(std::uint64_t seed, Eigen::Index N) {
  auto g = test::rng(seed);
  Vec<T> x(N);
  for (Eigen::Index i = 0; i < N; ++i) x(i) = T(dy(g, 1.0));
  return x;
}
double relwidth(const Vec<Interval>& x) {
  double w = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) w = std::max(w, wid(x(i)) / std::max(mag(x(i)), 1e-300));
  return w;
}
}  // namespace

TEST_CASE("structured coefficients enclose the Taylor AD coefficients (n = 4, d = 2, H = 2, FFN; B form)") {
  for (bool bform : {false, true}) {
    const auto f = system<Interval>(7, 4, 2, true, 1.0, bform);
    const StructuredAttention S(f);
    const Vec<Interval> x = tokens<Interval>(8, 8);
    Mat<Interval> X(4, 2);
    for (Eigen::Index i = 0; i < 4; ++i)
      for (Eigen::Index c = 0; c < 2; ++c) X(i, c) = x(i * 2 + c);
    const auto ys = S.coefficients(X, 12);
    const auto yr = enclose_ode_coefficients<Interval>(f, Interval(0), x, 12, 1);
    for (int k = 0; k <= 12; ++k)
      for (Eigen::Index i = 0; i < 4; ++i)
        for (Eigen::Index c = 0; c < 2; ++c) {
          const Interval a = ys[static_cast<std::size_t>(k)](i, c), b = yr[static_cast<std::size_t>(k)](i * 2 + c);
          CHECK(!disjoint(a, b));
          CHECK(wid(a) <= 1e-12 * (1 + mag(b)));
        }
  }
}

TEST_CASE("structured log-norm bound dominates the growth rate of the block norm (n = 4, d = 2, H = 2)") {
  const auto f = system<Interval>(11, 4, 2, true, 1.5);
  const StructuredAttention S(f);
  const Vec<Interval> x = tokens<Interval>(12, 8);
  Mat<Interval> X(4, 2);
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index c = 0; c < 2; ++c) X(i, c) = x(i * 2 + c);
  const double mu = S.lognorm_bound(X);
  // Dense Jacobian at the point (forward mode) and the one-sided derivative of ‖u + εJu‖_b.
  Vec<Dual<Interval>> xd(8);
  for (Eigen::Index i = 0; i < 8; ++i) xd(i) = Dual<Interval>::variable(x(i), static_cast<std::size_t>(i), 8);
  const Vec<Dual<Interval>> fx = eval_field<Dual<Interval>>(f, Dual<Interval>(Interval(0)), xd);
  Eigen::MatrixXd J(8, 8);
  for (Eigen::Index i = 0; i < 8; ++i)
    for (Eigen::Index j = 0; j < 8; ++j) J(i, j) = mid(fx(i).d(static_cast<std::size_t>(j)));
  auto bn = [](const Eigen::VectorXd& u) {
    double m = 0;
    for (Eigen::Index i = 0; i < 4; ++i) m = std::max(m, u.segment(i * 2, 2).norm());
    return m;
  };
  auto g = test::rng(13);
  std::normal_distribution<double> Nd;
  double best = -1e300;
  for (int s = 0; s < 2000; ++s) {
    Eigen::VectorXd u(8);
    for (Eigen::Index i = 0; i < 8; ++i) u(i) = Nd(g);
    u /= bn(u);
    const double eps = 1e-7;
    best = std::max(best, (bn(u + eps * (J * u)) - 1) / eps);
  }
  MESSAGE("log-norm bound " << mu << ", sampled growth rate " << best);
  CHECK(mu >= best - 1e-5);
}

TEST_CASE("structured flow contains the Taylor–Lohner flow and the 128-bit flow (points, n = 4, d = 2, H = 1, 2)") {
  for (int H : {1, 2}) {
    const auto f = system<Interval>(20 + H, 4, H, H == 2);
    const Vec<Interval> x0 = tokens<Interval>(30 + H, 8);
    const auto ref = enclose_flow<Interval>(f, 0.0, x0, 1.0);
    REQUIRE(ref.verdict.is_proved());
    MpPrecisionScope hi(128);
    const auto fm = system<MpInterval>(20 + H, 4, H, H == 2);
    const auto m = enclose_flow<MpInterval>(fm, 0.0, tokens<MpInterval>(30 + H, 8), 1.0);
    REQUIRE(m.verdict.is_proved());
    MESSAGE("H=" << H << ": 128-bit Taylor-Lohner " << m.seconds << " s");
    for (bool loose : {false, true}) {
      StructuredFlowOptions o;
      if (loose) {  // low order, large tolerance: the remainder term dominates the width
        o.order = 4;
        o.tolerance = 1e-7;
      }
      const auto r = enclose_structured_flow(f, x0, 1.0, o);
      REQUIRE(r.verdict.is_proved());
      MESSAGE("H=" << H << (loose ? std::string(" (p=4, tol 1e-7)") : std::string()) << ": structured "
                   << r.step_count << " steps, rel width " << relwidth(r.enclosure) << ", mu <= " << r.max_lognorm
                   << ", " << r.seconds << " s; Taylor-Lohner rel width " << relwidth(ref.enclosure));
      if (!loose) CHECK(relwidth(r.enclosure) <= 1e-10);
      for (Eigen::Index i = 0; i < 8; ++i) {
        CHECK(!disjoint(r.enclosure(i), ref.enclosure(i)));
        CHECK(wid(m.enclosure(i)) < MpReal("1e-25"));
        CHECK(subset(m.enclosure(i), r.enclosure(i)));
      }
    }
  }
}

TEST_CASE("structured flow of a box contains the 128-bit flows of sampled points (n = 4, d = 2, H = 1)") {
  const auto f = system<Interval>(41, 4, 1, false, 1.5);
  const Vec<double> c = [] {
    const Vec<Interval> t = tokens<Interval>(42, 8);
    Vec<double> v(8);
    for (Eigen::Index i = 0; i < 8; ++i) v(i) = mid(t(i));
    return v;
  }();
  const double rho = 1.0 / 1024;
  Vec<Interval> X0(8);
  for (Eigen::Index i = 0; i < 8; ++i) X0(i) = Interval(c(i) - rho, c(i) + rho);
  const auto r = enclose_structured_flow(f, X0, 1.0);
  REQUIRE(r.verdict.is_proved());
  TaylorOptions qo;
  const auto ref = enclose_flow<Interval>(f, 0.0, X0, 1.0, qo);
  REQUIRE(ref.verdict.is_proved());
  double ws = 0, wr = 0;
  for (Eigen::Index i = 0; i < 8; ++i) {
    CHECK(!disjoint(r.enclosure(i), ref.enclosure(i)));
    ws = std::max(ws, wid(r.enclosure(i)));
    wr = std::max(wr, wid(ref.enclosure(i)));
  }
  MESSAGE("box radius 2^-10: structured width " << ws << " (mu <= " << r.max_lognorm << ", " << r.step_count
                                               << " steps), Taylor-Lohner (QR) width " << wr);
  MpPrecisionScope hi(128);
  const auto fm = system<MpInterval>(41, 4, 1, false, 1.5);
  auto g = test::rng(43);
  std::uniform_int_distribution<int> bit(0, 1);
  for (int s = 0; s < 3; ++s) {  // corners of the box (the flow's extreme points are likely there)
    Vec<MpInterval> x(8);
    for (Eigen::Index i = 0; i < 8; ++i) x(i) = MpInterval(c(i) + (bit(g) ? rho : -rho));
    const auto m = enclose_flow<MpInterval>(fm, 0.0, x, 1.0);
    REQUIRE(m.verdict.is_proved());
    for (Eigen::Index i = 0; i < 8; ++i) CHECK(subset(m.enclosure(i), r.enclosure(i)));
  }
}

TEST_CASE("structured flow refuses configurations it does not handle") {
  Layer<Interval> l;
  l.beta = Interval(1);
  Head<Interval> hd;
  hd.Q = Mat<Interval>::Constant(2, 2, Interval(0.5));
  hd.K = hd.Q;
  hd.V = hd.Q;
  l.heads.push_back(hd);
  const TransformerField<Interval> sph(3, 2, Control<Interval>::constant(l), true);
  CHECK_THROWS_AS(StructuredAttention{sph}, std::invalid_argument);
  Layer<Interval> lm = l;
  Mlp<Interval> m;
  m.W1 = Mat<Interval>::Constant(3, 2, Interval(0.25));
  m.W2 = Mat<Interval>::Constant(2, 3, Interval(0.25));
  lm.mlp = m;
  const TransformerField<Interval> mlp(3, 2, Control<Interval>::constant(lm));
  CHECK_THROWS_AS(StructuredAttention{mlp}, std::invalid_argument);
  const TransformerField<Interval> pw(3, 2, Control<Interval>::piecewise({0.5}, {l, l}));
  CHECK_THROWS_AS(StructuredAttention{pw}, std::invalid_argument);
}
