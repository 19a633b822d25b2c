// Transformer vector fields: formula checks, scalar consistency (double / Interval / MpInterval /
// Taylor / Dual), flows, read-out, certified constants.
#include "certiformer/core.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include "field_agreement.hpp"
#include "random_dyadic.hpp"

#include <cmath>
#include <random>

using namespace certiformer;
using namespace certiformer::ode;
using namespace certiformer::transformer;

namespace {

using certiformer::test::check_fields_enclose_mp;
using certiformer::test::dy;
using certiformer::test::rmat;
using certiformer::test::rvec;
/// A random layer with the same random draws for every scalar type (seeded).
template <class T> Layer<T> random_layer(std::uint64_t seed, Eigen::Index d, Eigen::Index dp, int heads, bool b_form,
                                         bool mlp, Activation act = Activation::tanh) {
  auto g = test::rng(seed);
  Layer<T> l;
  l.beta = from_text<T>("1/2");
  const Eigen::Index m = d + dp;
  for (int h = 0; h < heads; ++h) {
    Head<T> H;
    if (b_form) H.B = rmat<T>(g, m, m, 1);
    else {
      H.Q = rmat<T>(g, 2, m, 1);
      H.K = rmat<T>(g, 2, m, 1);
    }
    H.V = rmat<T>(g, d, m, 1);
    l.heads.push_back(H);
  }
  l.W = rmat<T>(g, d, d, 0.5);
  l.b = rvec<T>(g, d, 0.5);
  if (mlp) {
    Mlp<T> M;
    M.W1 = rmat<T>(g, 3, d, 1);
    M.b1 = rvec<T>(g, 3, 1);
    M.W2 = rmat<T>(g, d, 3, 1);
    M.b2 = rvec<T>(g, d, 1);
    M.activation = act;
    l.mlp = M;
  }
  return l;
}
template <class T> Vec<T> random_state(std::uint64_t seed, Eigen::Index n) {
  auto g = test::rng(seed);
  return rvec<T>(g, n, 1);
}
template <class T> bool overlaps(const Vec<T>& a, const Vec<T>& b) {
  for (Eigen::Index i = 0; i < a.size(); ++i)
    if (disjoint(a(i), b(i))) return false;
  return true;
}

}  // namespace

TEST_CASE_TEMPLATE("single token: attention reduces to V x, field = (V + W) x + b exactly", T, Interval, MpInterval) {
  auto l = random_layer<T>(1, 3, 0, 2, false, false);
  TransformerField<T> f(1, 3, Control<T>::constant(l));
  const Vec<T> x = random_state<T>(2, 3);
  const Vec<T> fx = eval_field<T>(f, T(0), x);
  Vec<T> ref = l.W * x + l.b;
  for (const auto& h : l.heads) ref += h.V * x;
  for (int i = 0; i < 3; ++i) {
    CHECK(!disjoint(fx(i), ref(i)));
    CHECK(wid(fx(i)) < 1e-12);
  }
}

TEST_CASE_TEMPLATE("two tokens: closed-form softmax weights", T, Interval, MpInterval) {
  // d = 1, B = b, V = v: token i gets w_i1 v x_1 + w_i2 v x_2, w_ij ∝ exp(β x_j b x_i)
  Layer<T> l;
  l.beta = T(1);
  Head<T> H;
  H.B = Mat<T>::Constant(1, 1, from_text<T>("3/4"));
  H.V = Mat<T>::Constant(1, 1, from_text<T>("-2"));
  l.heads.push_back(H);
  TransformerField<T> f(2, 1, Control<T>::constant(l));
  Vec<T> x(2);
  x << from_text<T>("0.5"), from_text<T>("-1.25");
  const Vec<T> fx = eval_field<T>(f, T(0), x);
  MpPrecisionScope hi(256);
  const MpInterval b = from_text<MpInterval>("3/4"), v(-2), x1 = from_text<MpInterval>("0.5"),
                   x2 = from_text<MpInterval>("-1.25");
  for (int i = 0; i < 2; ++i) {
    const MpInterval xi = i == 0 ? x1 : x2;
    const MpInterval e1 = exp(x1 * b * xi), e2 = exp(x2 * b * xi);
    const MpInterval ref = (e1 * v * x1 + e2 * v * x2) / (e1 + e2);
    if constexpr (std::is_same_v<T, Interval>) CHECK(subset(ref, fx(i)));
    else CHECK(!disjoint(ref, fx(i)));  // both 256-bit: overlap
  }
}

TEST_CASE("Q,K form and B = KᵀQ form define the same field; features enter through z = (x, p)") {
  auto g = test::rng(5);
  Layer<Interval> lq = random_layer<Interval>(7, 2, 1, 1, false, false);
  Layer<Interval> lb = lq;
  lb.heads[0].B = lq.heads[0].bilinear();
  lb.heads[0].Q.resize(0, 0);
  lb.heads[0].K.resize(0, 0);
  const Mat<Interval> feats = rmat<Interval>(g, 4, 1, 1);
  TransformerField<Interval> fq(4, 2, Control<Interval>::constant(lq), false, feats);
  TransformerField<Interval> fb(4, 2, Control<Interval>::constant(lb), false, feats);
  const Vec<Interval> x = random_state<Interval>(8, 8);
  const Vec<Interval> a = eval_field<Interval>(fq, Interval(0), x), b = eval_field<Interval>(fb, Interval(0), x);
  CHECK(overlaps(a, b));
  // features matter: zero features give a different field
  TransformerField<Interval> f0(4, 2, Control<Interval>::constant(lq), false, Mat<Interval>::Zero(4, 1));
  const Vec<Interval> c = eval_field<Interval>(f0, Interval(0), x);
  CHECK(!overlaps(a, c));
}

TEST_CASE("scalar consistency: double ≈ Interval ∋ MpInterval; Dual = Taylor order 1; activations") {
  for (Activation act : {Activation::tanh, Activation::softplus, Activation::gelu_tanh}) {
    CAPTURE(std::string(to_string(act)));
    const Eigen::Index n = 3, d = 2, N = n * d;
    auto li = random_layer<Interval>(11, d, 0, 2, false, true, act);
    TransformerField<Interval> fi(n, d, Control<Interval>::constant(li), true);
    const Vec<Interval> x = random_state<Interval>(12, N);
    const Vec<Interval> fx = eval_field<Interval>(fi, Interval(0), x);
    Vec<double> xd(N);
    for (Eigen::Index i = 0; i < N; ++i) xd(i) = mid(x(i));
    const Vec<double> fd = eval_field<double>(fi, 0.0, xd);
    for (Eigen::Index i = 0; i < N; ++i) CHECK(std::fabs(fd(i) - mid(fx(i))) < 1e-12);
    {
      MpPrecisionScope hi(256);
      auto lm = random_layer<MpInterval>(11, d, 0, 2, false, true, act);
      TransformerField<MpInterval> fm(n, d, Control<MpInterval>::constant(lm), true);
      const Vec<MpInterval> xm = random_state<MpInterval>(12, N);
      const Vec<MpInterval> fmx = eval_field<MpInterval>(fm, MpInterval(0), xm);
      for (Eigen::Index i = 0; i < N; ++i) {
        CHECK(subset(fmx(i), fx(i)));
        CHECK(wid(fmx(i)) < MpReal("1e-60"));
      }
    }
    // Jacobian column j by Dual = order-1 Taylor coefficient along x + s e_j
    Vec<Dual<Interval>> xdual(N);
    for (Eigen::Index i = 0; i < N; ++i) xdual(i) = Dual<Interval>::variable(x(i), static_cast<std::size_t>(i), static_cast<std::size_t>(N));
    const Vec<Dual<Interval>> J = eval_field<Dual<Interval>>(fi, Dual<Interval>(Interval(0)), xdual);
    for (Eigen::Index j = 0; j < N; j += 2) {
      Vec<Taylor<Interval>> xs(N);
      for (Eigen::Index i = 0; i < N; ++i) {
        std::vector<Interval> c{x(i), Interval(i == j ? 1 : 0), Interval(0)};
        xs(i) = Taylor<Interval>(c);
      }
      const Vec<Taylor<Interval>> ft = eval_field<Taylor<Interval>>(fi, Taylor<Interval>(Interval(0)), xs);
      for (Eigen::Index i = 0; i < N; ++i) {
        CHECK(!disjoint(ft(i)[1], J(i).d(static_cast<std::size_t>(j))));
        CHECK(!disjoint(ft(i)[0], fx(i)));
        // second-order coefficient vs central difference of the Jacobian column (approximate)
        const double h = 1e-5;
        Vec<double> xp = xd, xm2 = xd;
        xp(j) += h;
        xm2(j) -= h;
        const double fdd = (eval_field<double>(fi, 0.0, xp)(i) + eval_field<double>(fi, 0.0, xm2)(i) - 2 * fd(i)) / (2 * h * h);
        CHECK(std::fabs(fdd - mid(ft(i)[2])) < 1e-3 * (1 + std::fabs(fdd)));
      }
    }
  }
}

TEST_CASE("softplus stays finite for large arguments") {
  Layer<Interval> l;
  Mlp<Interval> M;
  M.W1 = Mat<Interval>::Constant(1, 1, Interval(1000));
  M.W2 = Mat<Interval>::Constant(1, 1, Interval(1));
  M.activation = Activation::softplus;
  l.mlp = M;
  TransformerField<Interval> f(1, 1, Control<Interval>::constant(l));
  Vec<Interval> x(1);
  x(0) = Interval(1);
  const auto fx = eval_field<Interval>(f, Interval(0), x);
  CHECK(subset(Interval(1000), fx(0)));  // softplus(1000) = 1000 + log(1 + e^-1000)
  CHECK(wid(fx(0)) < 1e-10);
  x(0) = Interval(-1);
  const auto gx = eval_field<Interval>(f, Interval(0), x);
  CHECK(certainly_nonnegative(gx(0)));  // softplus(−1000) ≈ e^{−1000} underflows binary64
  CHECK(certainly_less(gx(0), Interval(1e-300)));
}

TEST_CASE("binary64 matrix kernel (constant layers): ⊇ 256-bit values at points of the box, width ≈ scalar path") {
  // Interval + constant (or piecewise) control evaluates the field by matrix products and the
  // batch softmax (eval_layer_matrix); a smooth control θ(t) = 1·θ takes the scalar path.
  struct Case { Eigen::Index n, d, dp; int heads; bool b_form, mlp, sphere; double w; };
  const Case cases[] = {{5, 3, 0, 2, false, true, false, 1e-6}, {4, 2, 2, 1, true, false, false, 0.0},
                        {6, 3, 0, 3, false, false, true, 1e-4}, {1, 2, 0, 1, false, true, false, 1e-3},
                        {7, 4, 1, 2, true, true, false, 1e-8}};
  std::uint64_t seed = 40;
  for (const Case& c : cases) {
    ++seed;
    INFO("n = " << c.n << ", d = " << c.d << ", dp = " << c.dp);
    Layer<Interval> l = random_layer<Interval>(seed, c.d, c.dp, c.heads, c.b_form, c.mlp);
    l.beta = from_text<Interval>("0.3");  // not a binary64 number: a non-degenerate parameter
    auto g = test::rng(seed + 100);
    const Mat<Interval> P = c.dp ? rmat<Interval>(g, c.n, c.dp, 1) : Mat<Interval>();
    MpPrecisionScope scope(256);
    Layer<MpInterval> lm = random_layer<MpInterval>(seed, c.d, c.dp, c.heads, c.b_form, c.mlp);
    lm.beta = from_text<MpInterval>("0.3");
    Mat<MpInterval> Pm(P.rows(), P.cols());
    for (Eigen::Index i = 0; i < P.rows(); ++i)
      for (Eigen::Index j = 0; j < P.cols(); ++j) Pm(i, j) = MpInterval(P(i, j));
    check_fields_enclose_mp(c.n, c.d, c.sphere, l, lm, P, Pm, c.w, g);
  }
}
