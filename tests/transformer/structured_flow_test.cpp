// The structured attention flow engine (transformer/structured_flow.hpp) against the Taylor–Lohner
// engine ode::enclose_flow in binary64 and at 128 bits (MpInterval), for points and boxes.
#include "certiformer/core.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/transformer/flow.hpp"
#include "certiformer/transformer/structured_euler.hpp"
#include "certiformer/transformer/structured_flow.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

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
/// The n × d token matrix of the token-major vector x, each entry widened by ±delta.
Mat<Interval> token_matrix(const Vec<Interval>& x, Eigen::Index n, Eigen::Index d, double delta = 0) {
  Mat<Interval> X(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < d; ++c) X(i, c) = x(i * d + c) + Interval(-delta, delta);
  return X;
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
  const Mat<Interval> X = token_matrix(x, 4, 2);
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
  const double muc = S.lognorm_bound_coarse(X);
  MESSAGE("log-norm bound " << mu << " (coarse " << muc << "), sampled growth rate " << best);
  CHECK(mu >= best - 1e-5);
  CHECK(muc >= best - 1e-5);
  // The blockwise bound against the exact block Gershgorin value of this Jacobian (2 × 2 blocks:
  // λ_max of the symmetric part, largest singular value): never below it (each term is an upper
  // bound), and above it by at most the Schatten-4 factor 2^{1/4} on the off-diagonal norms.
  double bg = -1e300, off_at_max = 0;
  for (Eigen::Index i = 0; i < 4; ++i) {
    const Eigen::Matrix2d Jii = J.block<2, 2>(i * 2, i * 2);
    Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> es((Jii + Jii.transpose()) / 2);
    double row = es.eigenvalues().maxCoeff(), off = 0;
    for (Eigen::Index j = 0; j < 4; ++j)
      if (j != i) {
        Eigen::JacobiSVD<Eigen::Matrix2d> sv(J.block<2, 2>(i * 2, j * 2));
        off += sv.singularValues()(0);
      }
    if (row + off > bg) { bg = row + off; off_at_max = off; }
  }
  MESSAGE("exact block Gershgorin " << bg);
  CHECK(mu >= bg - 1e-9);
  CHECK(mu <= bg + (std::pow(2.0, 0.25) - 1) * 3 * off_at_max + 1e-9);  // loose: 3 = n − 1 rows of off-diagonals
  CHECK(mu < muc);
}

TEST_CASE("blockwise log-norm bounds equal their formulas recomputed in binary64 (n = 5, d = 4, H = 3, FFN)") {
  // Oracle: the Jacobian by forward-mode AD (Dual), the decomposition J_ij = M_ij + U_ij G_iᵀ of the
  // file comment recomputed in plain double from the model (softmax weights, v, a, g), Schatten-4
  // norms and μ₂ by Eigen. schatten4 must reproduce max_i [μ₂(J_ii) + Σ_j ‖J_ij‖_{S4}], split
  // max_i [μ₂(J_ii) + Σ_j (‖M_ij‖_{S4} + ‖U_ij G_iᵀ‖_{S4})], both from above and to 1e-9.
  const Eigen::Index n = 5, d = 4, N = n * d;
  const int H = 3;
  auto g = test::rng(61);
  Layer<Interval> l;
  l.beta = Interval(1);
  for (int h = 0; h < H; ++h) {
    Head<Interval> hd;
    hd.Q = rmat<Interval>(g, 3, d, 0.8);  // d_k = 3 ≠ d
    hd.K = rmat<Interval>(g, 3, d, 0.8);
    hd.V = rmat<Interval>(g, d, d, 0.5);
    l.heads.push_back(hd);
  }
  l.W = rmat<Interval>(g, d, d, 0.3);
  l.b = Vec<Interval>(rmat<Interval>(g, d, 1, 0.5));
  const TransformerField<Interval> f(n, d, Control<Interval>::constant(l));
  const StructuredAttention S(f);
  const Vec<Interval> x = tokens<Interval>(62, N);
  const double mu4 = S.lognorm_bound(token_matrix(x, n, d), BlockNorm::schatten4);
  const double mus = S.lognorm_bound(token_matrix(x, n, d), BlockNorm::split);
  CHECK(S.lognorm_bound(token_matrix(x, n, d)) == mu4);  // automatic at d = 4: schatten4
  Vec<Dual<Interval>> xd(N);
  for (Eigen::Index i = 0; i < N; ++i) xd(i) = Dual<Interval>::variable(x(i), static_cast<std::size_t>(i), N);
  const Vec<Dual<Interval>> fx = eval_field<Dual<Interval>>(f, Dual<Interval>(Interval(0)), xd);
  Eigen::MatrixXd J(N, N), X(n, d);
  for (Eigen::Index i = 0; i < N; ++i)
    for (Eigen::Index j = 0; j < N; ++j) J(i, j) = mid(fx(i).d(static_cast<std::size_t>(j)));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < d; ++c) X(i, c) = mid(x(i * d + c));
  auto md = [](const Mat<Interval>& m) {
    Eigen::MatrixXd r(m.rows(), m.cols());
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j) r(i, j) = mid(m(i, j));
    return r;
  };
  std::vector<Eigen::MatrixXd> w(H), v(H), a(H), gq(H), V(H);
  for (int h = 0; h < H; ++h) {
    const Eigen::MatrixXd Q = md(l.heads[h].Q), K = md(l.heads[h].K);
    V[h] = md(l.heads[h].V);
    const Eigen::MatrixXd q = X * Q.transpose(), k = X * K.transpose(), sc = q * k.transpose();
    w[h].resize(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::RowVectorXd e = (sc.row(i).array() - sc.row(i).maxCoeff()).exp().matrix();
      w[h].row(i) = e / e.sum();
    }
    v[h] = X * V[h].transpose();
    a[h] = w[h] * v[h];
    gq[h] = q * K;  // row i: (Kᵀ q_i)ᵀ
  }
  auto s4 = [](const Eigen::MatrixXd& m) { return std::sqrt((m.transpose() * m).norm()); };
  double e4 = -1e300, es = -1e300;
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::MatrixXd Jii = J.block(i * d, i * d, d, d);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es2((Jii + Jii.transpose()) / 2);
    double r4 = es2.eigenvalues().maxCoeff(), rs = r4;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j == i) continue;
      Eigen::MatrixXd M = Eigen::MatrixXd::Zero(d, d), R = Eigen::MatrixXd::Zero(d, d);
      for (int h = 0; h < H; ++h) {
        M += w[h](i, j) * V[h];
        R += w[h](i, j) * (v[h].row(j) - a[h].row(i)).transpose() * gq[h].row(i);
      }
      CHECK((M + R - J.block(i * d, j * d, d, d)).cwiseAbs().maxCoeff() <= 1e-12);  // the decomposition
      r4 += s4(J.block(i * d, j * d, d, d));
      rs += s4(M) + s4(R);
    }
    e4 = std::max(e4, r4);
    es = std::max(es, rs);
  }
  MESSAGE("schatten4 " << mu4 << " (binary64 formula " << e4 << "), split " << mus << " (binary64 formula " << es
                       << ")");
  CHECK(mu4 >= e4 - 1e-12);
  CHECK(mu4 <= e4 + 1e-9);
  CHECK(mus >= es - 1e-12);
  CHECK(mus <= es + 1e-9);
  CHECK(mus >= mu4 - 1e-12);  // Schatten norms are subadditive
  // automatic picks split for d > 16 when 2H⁴ ≤ d³ (one head, d = 17: the same value as split)
  Layer<Interval> l1;
  l1.beta = Interval(1);
  Head<Interval> h1;
  h1.Q = rmat<Interval>(g, 2, 17, 0.3);
  h1.K = rmat<Interval>(g, 2, 17, 0.3);
  h1.V = rmat<Interval>(g, 17, 17, 0.3);
  l1.heads.push_back(h1);
  const StructuredAttention S1(TransformerField<Interval>(3, 17, Control<Interval>::constant(l1)));
  const Mat<Interval> X1 = token_matrix(tokens<Interval>(63, 51), 3, 17);
  CHECK(S1.lognorm_bound(X1) == S1.lognorm_bound(X1, BlockNorm::split));
  CHECK(S1.lognorm_bound(X1) != S1.lognorm_bound(X1, BlockNorm::schatten4));
}

TEST_CASE("structured log-norm bounds over a box dominate the growth rate at points inside it (n = 4, d = 2, H = 2)") {
  const auto f = system<Interval>(11, 4, 2, true, 1.5);
  const StructuredAttention S(f);
  const Vec<Interval> x = tokens<Interval>(12, 8);
  const Mat<Interval> B = token_matrix(x, 4, 2, 0.05);
  const double mu = S.lognorm_bound(B), muc = S.lognorm_bound_coarse(B), mus = S.lognorm_bound(B, BlockNorm::split);
  auto g = test::rng(14);
  std::uniform_real_distribution<double> U(-0.05, 0.05);
  std::normal_distribution<double> Nd;
  auto bn = [](const Eigen::VectorXd& u) {
    double m = 0;
    for (Eigen::Index i = 0; i < 4; ++i) m = std::max(m, u.segment(i * 2, 2).norm());
    return m;
  };
  double best = -1e300;
  for (int pt = 0; pt < 20; ++pt) {
    Vec<Dual<Interval>> xd(8);
    for (Eigen::Index i = 0; i < 8; ++i)
      xd(i) = Dual<Interval>::variable(Interval(mid(x(i)) + (pt == 0 ? 0.0 : U(g))), static_cast<std::size_t>(i), 8);
    const Vec<Dual<Interval>> fx = eval_field<Dual<Interval>>(f, Dual<Interval>(Interval(0)), xd);
    Eigen::MatrixXd J(8, 8);
    for (Eigen::Index i = 0; i < 8; ++i)
      for (Eigen::Index j = 0; j < 8; ++j) J(i, j) = mid(fx(i).d(static_cast<std::size_t>(j)));
    for (int s = 0; s < 300; ++s) {
      Eigen::VectorXd u(8);
      for (Eigen::Index i = 0; i < 8; ++i) u(i) = Nd(g);
      u /= bn(u);
      best = std::max(best, (bn(u + 1e-7 * (J * u)) - 1) / 1e-7);
    }
  }
  MESSAGE("over the box: blockwise " << mu << " (split " << mus << "), coarse " << muc << ", sampled growth rate "
                                     << best);
  CHECK(mu >= best - 1e-5);
  CHECK(mus >= best - 1e-5);
  CHECK(muc >= best - 1e-5);
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
  StructuredFlowOptions coarse;
  coarse.lognorm_slices = 0;  // step 4a only: the log-norm bound over the whole a-priori box
  const auto rc = enclose_structured_flow(f, X0, 1.0, coarse);
  INFO(rc.verdict.reason());
  REQUIRE(rc.verdict.is_proved());
  StructuredFlowOptions so;
  so.block_norm = BlockNorm::split;
  const auto rs = enclose_structured_flow(f, X0, 1.0, so);
  INFO(rs.verdict.reason());
  REQUIRE(rs.verdict.is_proved());
  TaylorOptions qo;
  const auto ref = enclose_flow<Interval>(f, 0.0, X0, 1.0, qo);
  REQUIRE(ref.verdict.is_proved());
  double ws = 0, wr = 0, wc = 0, wsp = 0;
  for (Eigen::Index i = 0; i < 8; ++i) {
    CHECK(!disjoint(r.enclosure(i), ref.enclosure(i)));
    ws = std::max(ws, wid(r.enclosure(i)));
    wsp = std::max(wsp, wid(rs.enclosure(i)));
    wr = std::max(wr, wid(ref.enclosure(i)));
    wc = std::max(wc, wid(rc.enclosure(i)));
  }
  MESSAGE("box radius 2^-10: structured width " << ws << " (mu <= " << r.max_lognorm << ", " << r.step_count
                                               << " steps; without time slices " << wc << ", mu <= " << rc.max_lognorm
                                               << "), Taylor-Lohner (QR) width " << wr << "; split block norms "
                                               << wsp << " (mu <= " << rs.max_lognorm << ")");
  CHECK(ws < 0.5 * wc);  // the sliced blockwise bound (step 4b) is in use and tighter
  CHECK(wsp < wc);  // split: looser than schatten4 over these wider boxes (expanded dot products), still < coarse
  MpPrecisionScope hi(128);
  const auto fm = system<MpInterval>(41, 4, 1, false, 1.5);
  auto g = test::rng(43);
  std::uniform_int_distribution<int> bit(0, 1);
  for (int s = 0; s < 3; ++s) {  // corners of the box (the flow's extreme points are likely there)
    Vec<MpInterval> x(8);
    for (Eigen::Index i = 0; i < 8; ++i) x(i) = MpInterval(c(i) + (bit(g) ? rho : -rho));
    const auto m = enclose_flow<MpInterval>(fm, 0.0, x, 1.0);
    REQUIRE(m.verdict.is_proved());
    for (Eigen::Index i = 0; i < 8; ++i) {
      CHECK(subset(m.enclosure(i), r.enclosure(i)));
      CHECK(subset(m.enclosure(i), rc.enclosure(i)));
      CHECK(subset(m.enclosure(i), rs.enclosure(i)));
    }
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
  const Vec<Interval> x6 = Vec<Interval>::Constant(6, Interval(0.5));
  CHECK_THROWS_AS(enclose_structured_euler_iterates(sph, x6, 1.0, 8), std::invalid_argument);
  const TransformerField<Interval> ok(3, 2, Control<Interval>::constant(l));
  CHECK_THROWS_AS(enclose_structured_euler_iterates(ok, x6, 1.0, 0), std::invalid_argument);
  CHECK_THROWS_AS(enclose_structured_euler_iterates(ok, x6, 0.0, 8), std::invalid_argument);
  CHECK_THROWS_AS(enclose_structured_euler_iterates(ok, Vec<Interval>(x6.head(4)), 1.0, 8), std::invalid_argument);
  StructuredFlowOptions bad;
  bad.lognorm_slices = -1;
  CHECK_THROWS_AS(enclose_structured_flow(ok, x6, 1.0, bad), std::invalid_argument);
}

TEST_CASE("structured Euler iterates contain the 256-bit iterates of sampled points (n = 4, d = 2, H = 1, 2)") {
  // points and a box of radius 2^-14; depth 48 over T = 1.5 (ε = 1/32); references: 256-bit Euler
  // iterates (ode::enclose_euler_iterates<MpInterval>, box wrapping, of width ~1e-70) from the
  // center and from corners of the box, and the binary64 QR-wrapped iterates (must intersect).
  for (int H : {1, 2}) {
    const auto f = system<Interval>(50 + H, 4, H, H == 2, 1.0, H == 2);
    const Vec<Interval> t0 = tokens<Interval>(60 + H, 8);
    Vec<double> c(8);
    for (Eigen::Index i = 0; i < 8; ++i) c(i) = mid(t0(i));
    const std::size_t L = 48;
    for (double rho : {0.0, 1.0 / 16384}) {
      Vec<Interval> X0(8);
      for (Eigen::Index i = 0; i < 8; ++i) X0(i) = Interval(c(i) - rho, c(i) + rho);
      StructuredEulerOptions so;
      so.layers_per_bound = H == 1 ? 0 : 5;  // auto (1 layer per bound here) and chunks of 5
      const auto r = enclose_structured_euler_iterates(f, X0, 1.5, L, so);
      INFO(r.verdict.reason());
      REQUIRE(r.verdict.is_proved());
      REQUIRE(r.iterates.size() == L + 1);
      const auto q = ode::enclose_euler_iterates<Interval>(f, X0, Interval(1.5) / Interval(48), L);
      REQUIRE(q.verdict.is_proved());
      double ws = 0, wq = 0;
      for (std::size_t k = 0; k <= L; ++k)
        for (Eigen::Index i = 0; i < 8; ++i) {
          CHECK(!disjoint(r.iterates[k](i), q.iterates[k](i)));
          ws = std::max(ws, wid(r.iterates[k](i)));
          wq = std::max(wq, wid(q.iterates[k](i)));
        }
      MESSAGE("H=" << H << " radius " << rho << ": structured Euler width " << ws << ", QR-wrapped " << wq);
      if (rho == 0) CHECK(ws < 1e-12);
      MpPrecisionScope hi(256);
      const auto fm = system<MpInterval>(50 + H, 4, H, H == 2, 1.0, H == 2);
      const MpInterval eps = MpInterval(1.5) / MpInterval(48);
      auto g = test::rng(70 + H);
      std::uniform_int_distribution<int> bit(0, 1);
      for (int smp = 0; smp < (rho == 0 ? 1 : 4); ++smp) {
        Vec<MpInterval> x(8);
        for (Eigen::Index i = 0; i < 8; ++i) x(i) = MpInterval(rho == 0 ? c(i) : c(i) + (bit(g) ? rho : -rho));
        const auto m = ode::enclose_euler_iterates<MpInterval>(fm, x, eps, L, MpInterval(0), ode::Wrapping::box);
        REQUIRE(m.verdict.is_proved());
        for (std::size_t k = 0; k <= L; ++k)
          for (Eigen::Index i = 0; i < 8; ++i) CHECK(subset(m.iterates[k](i), r.iterates[k](i)));
      }
    }
  }
}

TEST_CASE("structured flow stops when the set becomes too loose to be useful (parameter box of euler.error's box example)") {
  // Wide parameter intervals: the set radius grows past max_relative_radius·(1 + ‖c‖∞); the run must
  // end unknown (so that enclose_transformer_flow falls back to Taylor–Lohner) instead of returning
  // a proved but useless enclosure (found by CI: radius 1.24 for tokens of norm ~1).
  Layer<Interval> l;
  l.beta = Interval(0.97, 1.03);
  Head<Interval> h;
  h.Q = Mat<Interval>(2, 2);
  h.Q << Interval(0.8), Interval(-0.2), Interval(0.3), Interval(0.5);
  h.K = Mat<Interval>(2, 2);
  h.K << Interval(0.4), Interval(0.08, 0.12), Interval(-0.6), Interval(0.9);
  h.V = Mat<Interval>(2, 2);
  h.V << Interval(0.48, 0.52), Interval(-0.25), Interval(0.125), Interval(0.75);
  l.heads.push_back(h);
  l.W = Mat<Interval>(2, 2);
  l.W << Interval(-0.53, -0.47), Interval(0.25), Interval(0.1), Interval(-0.33, -0.27);
  l.b = Vec<Interval>(2);
  l.b << Interval(0.05), Interval(-0.1);
  const TransformerField<Interval> f(4, 2, Control<Interval>::constant(l));
  Vec<Interval> x(8);
  x << Interval(0.98, 1.02), Interval(0), Interval(-0.5), Interval(0.75), Interval(0.25), Interval(-1), Interval(0.1), Interval(0.2);
  StructuredFlowOptions o;
  o.order = 12;
  o.tolerance = 1e-11;
  const auto r = enclose_structured_flow(f, x, 1.0, o);
  MESSAGE(r.verdict.reason());
  CHECK(!r.verdict.is_proved());
  CHECK(r.verdict.reason().find("too loose") != std::string::npos);
  CHECK(r.radius > 0.25);
  // enclose_transformer_flow (auto): a re-run by Taylor–Lohner at this n·d = 8; none above
  // fallback_max_dimension (unknown, the structured engine's reason and why no re-run)
  TransformerFlowOptions to;  // (the engine's default tolerance 1e-16 reaches T = 1: a longer horizon)
  to.order = 12;
  const auto a = enclose_transformer_flow<Interval>(f, x, 3.0, to);
  MESSAGE(a.method_reason);
  CHECK(a.method == FlowMethod::taylor_lohner);
  CHECK(a.method_reason.find("did not reach T") != std::string::npos);
  to.fallback_max_dimension = 4;
  const auto b = enclose_transformer_flow<Interval>(f, x, 3.0, to);
  MESSAGE(b.verdict.reason());
  CHECK(b.method == FlowMethod::structured);
  CHECK(!b.verdict.is_proved());
  CHECK(b.verdict.reason().find("no Taylor–Lohner re-run at n·d = 8 > 4") != std::string::npos);
  CHECK(b.verdict.reason().find("too loose") != std::string::npos);
  o.max_relative_radius = 1e300;  // no limit: proved, but far too wide to be of use
  const auto w = enclose_structured_flow(f, x, 1.0, o);
  if (w.verdict.is_proved()) {
    double mw = 0;
    for (Eigen::Index i = 0; i < w.enclosure.size(); ++i) mw = std::max(mw, wid(w.enclosure(i)));
    CHECK(mw > 0.5);
  }
}
