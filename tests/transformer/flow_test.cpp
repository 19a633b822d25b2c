// Transformer systems through the validated engine: flows (Interval vs 256-bit), sphere
// invariance, controls, Euler iterates and the a-posteriori bound, read-out, certified constants.
#include "certiformer/core.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
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
/// The small smooth benchmark system: n = 3, d = 2, one head (Q, K, V), affine FFN.
template <class T> TransformerField<T> small_system(std::uint64_t seed = 3) {
  auto g = test::rng(seed);
  Layer<T> l;
  l.beta = T(1);
  Head<T> H;
  H.Q = rmat<T>(g, 2, 2, 1);
  H.K = rmat<T>(g, 2, 2, 1);
  H.V = rmat<T>(g, 2, 2, 1);
  l.heads.push_back(H);
  l.W = rmat<T>(g, 2, 2, 0.5);
  l.b = Vec<T>(rmat<T>(g, 2, 1, 0.5));
  return TransformerField<T>(3, 2, Control<T>::constant(l));
}
template <class T> Vec<T> small_start() {
  Vec<T> x(6);
  x << from_text<T>("1"), from_text<T>("0"), from_text<T>("-0.5"), from_text<T>("0.75"), from_text<T>("0.25"),
      from_text<T>("-1");
  return x;
}
template <class T> double relwidth(const Vec<T>& x) {
  double w = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    double wi, mi;
    if constexpr (std::is_same_v<T, Interval>) { wi = wid(x(i)); mi = mag(x(i)); }
    else { wi = static_cast<double>(wid(x(i))); mi = static_cast<double>(mag(x(i))); }
    w = std::max(w, wi / std::max(mi, 1e-300));
  }
  return w;
}
}  // namespace

TEST_CASE("small attention system (n=3, d=2): T = 1 relative width <= 1e-12, contains the 256-bit flow") {
  const auto f = small_system<Interval>();
  auto r = enclose_flow<Interval>(f, 0.0, small_start<Interval>(), 1.0, {}, {0.5});
  REQUIRE(r.verdict.is_proved());
  const double rw = relwidth(r.enclosure);
  MESSAGE("n=3 d=2 T=1: relative width " << rw << ", " << r.step_count << " steps, " << r.seconds << " s");
  CHECK(rw <= 1e-12);
  MpPrecisionScope hi(256);
  const auto fm = small_system<MpInterval>();
  auto m = enclose_flow<MpInterval>(fm, 0.0, small_start<MpInterval>(), 1.0, {}, {0.5});
  REQUIRE(m.verdict.is_proved());
  for (std::size_t k = 0; k < 2; ++k)
    for (Eigen::Index i = 0; i < 6; ++i) {
      CHECK(subset(m.at[k](i), r.at[k](i)));
      CHECK(wid(m.at[k](i)) < MpReal("1e-40"));
    }
}

TEST_CASE("GLPR clustering on the sphere (Q = K = V = I, d = 3): norms stay 1, backward encloses start") {
  Layer<Interval> l;
  l.beta = from_text<Interval>("2");
  Head<Interval> H;
  H.Q = identity_matrix<Interval>(3);
  H.K = identity_matrix<Interval>(3);
  H.V = identity_matrix<Interval>(3);
  l.heads.push_back(H);
  TransformerField<Interval> f(4, 3, Control<Interval>::constant(l), true);
  Vec<Interval> x(12);
  // unit vectors: (1,0,0), (0,1,0), (0,0,1), (3/5, 4/5, 0)
  x << Interval(1), Interval(0), Interval(0), Interval(0), Interval(1), Interval(0), Interval(0), Interval(0),
      Interval(1), from_text<Interval>("3/5"), from_text<Interval>("4/5"), Interval(0);
  auto r = enclose_flow<Interval>(f, 0.0, x, 2.0);
  REQUIRE(r.verdict.is_proved());
  for (int i = 0; i < 4; ++i) {
    const Interval n2 = sqr(r.enclosure(3 * i)) + sqr(r.enclosure(3 * i + 1)) + sqr(r.enclosure(3 * i + 2));
    CHECK(subset(Interval(1), n2));
    CHECK(wid(n2) < 1e-11);
  }
  auto b = enclose_flow<Interval>(f, 2.0, r.enclosure, 0.0);
  REQUIRE(b.verdict.is_proved());
  for (int i = 0; i < 12; ++i) CHECK(subset(x(i), b.enclosure(i)));
}

TEST_CASE("piecewise-constant control = constant controls piece by piece (consistency)") {
  auto f0 = small_system<Interval>(3);
  auto f1 = small_system<Interval>(4);
  const Layer<Interval> l0 = f0.control().layers[0], l1 = f1.control().layers[0];
  TransformerField<Interval> fp(3, 2, Control<Interval>::piecewise({0.5}, {l0, l1}));
  auto r = enclose_flow<Interval>(fp, 0.0, small_start<Interval>(), 1.0);
  REQUIRE(r.verdict.is_proved());
  auto a = enclose_flow<Interval>(f0, 0.0, small_start<Interval>(), 0.5);
  auto c = enclose_flow<Interval>(f1, 0.5, a.enclosure, 1.0);
  REQUIRE(c.verdict.is_proved());
  for (Eigen::Index i = 0; i < 6; ++i) CHECK(!disjoint(r.enclosure(i), c.enclosure(i)));
  CHECK(relwidth(r.enclosure) < 1e-11);
}

TEST_CASE("smooth control θ(t) = θ0 + t θ1 + sin(2t) θ2: binary64 flow contains the 128-bit flow") {
  auto build = [](auto tag) {
    using T = decltype(tag);
    std::vector<Layer<T>> ls;
    for (std::uint64_t s : {3u, 4u, 5u}) ls.push_back(small_system<T>(s).control().layers[0]);
    // θ1, θ2 scaled by 1/8 (a mild time dependence: larger ones make this model's Taylor
    // coefficients grow fast, radius ≈ 0.5, and the test slow, not wrong)
    for (std::size_t k = 1; k < 3; ++k) {
      auto& l = ls[k];
      const T s = from_text<T>("1/8");
      l.beta = l.beta * s;
      l.heads[0].Q *= s; l.heads[0].K *= s; l.heads[0].V *= s;
      l.W *= s; l.b *= s;
    }
    Basis<T> one, lin, sn;
    lin.kind = Basis<T>::power;
    lin.exponent = 1;
    sn.kind = Basis<T>::sine;
    sn.omega = T(2);
    return TransformerField<T>(3, 2, Control<T>::smooth({one, lin, sn}, ls));
  };
  const auto f = build(Interval());
  auto r = enclose_flow<Interval>(f, 0.0, small_start<Interval>(), 1.0);
  REQUIRE(r.verdict.is_proved());
  MpPrecisionScope hi(128);
  const auto fm = build(MpInterval());
  auto m = enclose_flow<MpInterval>(fm, 0.0, small_start<MpInterval>(), 1.0);
  MESSAGE("smooth control: binary64 " << r.step_count << " steps, 128-bit " << m.step_count << " steps");
  REQUIRE(m.verdict.is_proved());
  for (Eigen::Index i = 0; i < 6; ++i) CHECK(subset(m.enclosure(i), r.enclosure(i)));
  CHECK(relwidth(r.enclosure) < 1e-10);
}

TEST_CASE("Euler iterates of the attention system and the a-posteriori bound vs the flow") {
  const auto f = small_system<Interval>();
  const std::size_t L = 64;
  const Interval eps = Interval(1) / Interval(64);
  auto it = enclose_euler_iterates<Interval>(f, small_start<Interval>(), eps, L);
  REQUIRE(it.verdict.is_proved());
  auto b = upper_bound_euler_error<Interval>(f, it.iterates, eps);
  REQUIRE(b.verdict.is_proved());
  auto fl = enclose_flow<Interval>(f, 0.0, small_start<Interval>(), 1.0);
  REQUIRE(fl.verdict.is_proved());
  Interval d2(0);
  for (int i = 0; i < 6; ++i) d2 += sqr(Interval(mig(fl.enclosure(i) - it.iterates[L](i))));
  const double lower = inf(sqrt(d2));
  CHECK(lower > 0);
  CHECK(lower <= b.node_bounds[L]);
  MESSAGE("n=3 d=2, L=64: true error in [" << lower << ", " << b.node_bounds[L] << "]");
  MpPrecisionScope hi(256);
  const auto fm = small_system<MpInterval>();
  auto itm = enclose_euler_iterates<MpInterval>(fm, small_start<MpInterval>(), MpInterval(1) / MpInterval(64), L);
  REQUIRE(itm.verdict.is_proved());
  for (int i = 0; i < 6; ++i) CHECK(subset(itm.iterates[L](i), it.iterates[L](i)));
}

TEST_CASE_TEMPLATE("cross-entropy read-out: closed form for K = 2 and residual = gradient", T, Interval, MpInterval) {
  Mat<T> G(2, 3);
  G << from_text<T>("1"), from_text<T>("-0.5"), from_text<T>("0.25"), from_text<T>("0.5"), from_text<T>("2"),
      from_text<T>("-1");
  Vec<T> x(3);
  x << from_text<T>("0.3"), from_text<T>("-0.2"), from_text<T>("0.7");
  const T l0 = enclose_cross_entropy<T, T>(G, x, 0);
  const Vec<T> z = G * x;
  // ℓ(x, 0) = log(1 + e^{z1 − z0})
  const T ref = log(T(1) + exp(z(1) - z(0)));
  CHECK(!disjoint(l0, ref));
  CHECK(certainly_positive(l0));
  // residual = ∇ℓ by forward mode
  Vec<Dual<T>> xd(3);
  for (int i = 0; i < 3; ++i) xd(i) = Dual<T>::variable(x(i), static_cast<std::size_t>(i), 3);
  const Dual<T> ld = enclose_cross_entropy<Dual<T>, T>(G, xd, 1);
  const Vec<T> res = enclose_softmax_residual<T, T>(G, x, 1);
  for (int i = 0; i < 3; ++i) CHECK(!disjoint(res(i), ld.d(static_cast<std::size_t>(i))));
  Readout<T> ro{G, {0, 1}};
  Vec<T> X(6);
  X << x, x;
  const T risk = enclose_risk<T, T>(ro, X);
  CHECK(!disjoint(risk, (l0 + enclose_cross_entropy<T, T>(G, x, 1)) / T(2)));
  auto bad = [&] { return enclose_cross_entropy<T, T>(G, x, 2); };
  CHECK_THROWS_AS(bad(), std::invalid_argument);
}

TEST_CASE("certified constants bound sampled |f|, Lipschitz quotients in x and in the measure") {
  auto g = test::rng(77);
  for (bool sphere : {false, true}) {
    for (Activation act : {Activation::tanh, Activation::softplus, Activation::gelu_tanh}) {
      Layer<Interval> l;
      l.beta = from_text<Interval>("3/4");
      Head<Interval> H;  // acts on z = (x, p), m = 3
      H.Q = rmat<Interval>(g, 2, 3, 1);
      H.K = rmat<Interval>(g, 2, 3, 1);
      H.V = rmat<Interval>(g, 2, 3, 1);
      l.heads.push_back(H);
      l.W = rmat<Interval>(g, 2, 2, 0.5);
      l.b = Vec<Interval>(rmat<Interval>(g, 2, 1, 0.5));
      Mlp<Interval> M;
      M.W1 = rmat<Interval>(g, 3, 2, 1);
      M.b1 = Vec<Interval>(rmat<Interval>(g, 3, 1, 1));
      M.W2 = rmat<Interval>(g, 2, 3, 1);
      M.activation = act;
      l.mlp = M;
      const Mat<Interval> feats = rmat<Interval>(g, 3, 1, 1);
      TransformerField<Interval> f(3, 2, Control<Interval>::constant(l), sphere, feats);
      const double R = sphere ? 1.0 : 1.5;
      const auto c = upper_bound_field_constants(f, R);
      CHECK(c.M > 0);
      if (act == Activation::gelu_tanh) {
        CHECK(c.gelu_lipschitz > 1.128);
        CHECK(c.gelu_lipschitz < 1.14);
      }
      std::normal_distribution<double> N01;
      auto in_ball = [&](double rad) {
        Vec<double> v(2);
        v << N01(g), N01(g);
        const double s = rad * (sphere ? 1.0 : std::uniform_real_distribution<double>(0, 1)(g)) / v.norm();
        return Vec<double>(v * s);
      };
      for (long trial = 0; trial < test::trials(60); ++trial) {
        Vec<Interval> X(6), Y(6);
        for (int i = 0; i < 3; ++i) {
          const Vec<double> a = in_ball(R), b = in_ball(R);
          X(2 * i) = Interval(a(0)); X(2 * i + 1) = Interval(a(1));
          Y(2 * i) = Interval(b(0)); Y(2 * i + 1) = Interval(b(1));
        }
        // keep the (rounded) points inside the ball
        bool inside = true;
        for (int i = 0; i < 3; ++i) {
          inside = inside && sup(sqr(X(2 * i)) + sqr(X(2 * i + 1))) <= R * R && sup(sqr(Y(2 * i)) + sqr(Y(2 * i + 1))) <= R * R;
        }
        if (!inside) continue;
        const Vec<Interval> fX = eval_field<Interval>(f, Interval(0), X), fY = eval_field<Interval>(f, Interval(0), Y);
        for (int i = 0; i < 3; ++i) {
          CHECK(inf(sqrt(sqr(fX(2 * i)) + sqr(fX(2 * i + 1)))) <= c.M);
          // ‖f_i(X) − f_i(Y)‖ ≤ L_x ‖x_i − y_i‖ + L_mu · mean_j ‖x_j − y_j‖
          const double num = inf(sqrt(sqr(Interval(mig(fX(2 * i) - fY(2 * i)))) + sqr(Interval(mig(fX(2 * i + 1) - fY(2 * i + 1))))));
          double mean = 0;
          for (int j = 0; j < 3; ++j) mean += sup(sqrt(sqr(X(2 * j) - Y(2 * j)) + sqr(X(2 * j + 1) - Y(2 * j + 1)))) / 3;
          const double own = sup(sqrt(sqr(X(2 * i) - Y(2 * i)) + sqr(X(2 * i + 1) - Y(2 * i + 1))));
          CHECK(num <= c.L_x * own + c.L_mu * mean + 1e-12);
        }
      }
    }
  }
}
