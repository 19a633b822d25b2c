// Transformer model extensions (docs/transformer.md "Causal mask, in-projection biases, ReLU"):
// the binary64 matrix kernel and the scalar path contain 256-bit MpInterval values at random exact
// points, an independent 256-bit reference of the formulas, the causal mask's prefix property,
// ReLU in the discrete network (Dual / Clarke slope) and its refusal by Taylor evaluation,
// refusals by the structured flow, and the certified constants against sampled quotients.
#include "certiformer/core.hpp"
#include "certiformer/euler.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/transformer/structured_flow.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include "field_agreement.hpp"
#include "random_dyadic.hpp"

#include <cmath>
#include <random>
#include <string>

using namespace certiformer;
using namespace certiformer::ode;
using namespace certiformer::transformer;

namespace {

using certiformer::test::check_fields_enclose_mp;
using certiformer::test::dy;
using certiformer::test::rmat;
using certiformer::test::rvec;

struct Ext {
  bool causal = false, bias = false, relu = false, b_form = false, mlp = true;
};

/// A random layer with the extensions `e`, the same draws for every scalar type (seeded).
template <class T> Layer<T> ext_layer(std::uint64_t seed, Eigen::Index d, Eigen::Index dp, int heads, Ext e) {
  auto g = test::rng(seed);
  Layer<T> l;
  l.beta = from_text<T>("0.3");  // not a binary64 number: a non-degenerate parameter
  l.causal = e.causal;
  const Eigen::Index m = d + dp;
  for (int h = 0; h < heads; ++h) {
    Head<T> H;
    if (e.b_form) H.B = rmat<T>(g, m, m, 1);
    else {
      H.Q = rmat<T>(g, 2, m, 1);
      H.K = rmat<T>(g, 2, m, 1);
    }
    H.V = rmat<T>(g, d, m, 1);
    if (e.bias) {
      if (!e.b_form) {
        H.bQ = rvec<T>(g, 2, 1);
        H.bK = rvec<T>(g, 2, 1);
      }
      H.bV = rvec<T>(g, d, 1);
    }
    l.heads.push_back(H);
  }
  l.W = rmat<T>(g, d, d, 0.5);
  l.b = rvec<T>(g, d, 0.5);
  if (e.mlp) {
    Mlp<T> M;
    M.W1 = rmat<T>(g, 3, d, 1);
    M.b1 = rvec<T>(g, 3, 1);
    M.W2 = rmat<T>(g, d, 3, 1);
    M.b2 = rvec<T>(g, d, 1);
    M.activation = e.relu ? Activation::relu : Activation::tanh;
    l.mlp = M;
  }
  return l;
}

template <class T> Mat<T> to_mp_matrix(const Mat<Interval>& P) {
  Mat<T> r(P.rows(), P.cols());
  for (Eigen::Index i = 0; i < P.rows(); ++i)
    for (Eigen::Index j = 0; j < P.cols(); ++j) r(i, j) = T(P(i, j));
  return r;
}

/// The field of one layer written out directly from the formulas (no code shared with field.hpp
/// beyond the scalar arithmetic): Euclidean, no features, at MpInterval points.
Vec<MpInterval> reference_field(const Layer<MpInterval>& L, Eigen::Index n, Eigen::Index d, const Vec<MpInterval>& X) {
  Vec<MpInterval> F(n * d);
  for (Eigen::Index k = 0; k < F.size(); ++k) F(k) = MpInterval(0);
  auto x = [&](Eigen::Index i, Eigen::Index c) { return X(i * d + c); };
  for (const auto& H : L.heads) {
    const Eigen::Index dk = H.Q.rows();
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::Index J = L.causal ? i + 1 : n;
      std::vector<MpInterval> s(static_cast<std::size_t>(J));
      for (Eigen::Index j = 0; j < J; ++j) {
        MpInterval acc(0);
        for (Eigen::Index r = 0; r < dk; ++r) {
          MpInterval q = H.bQ.size() ? H.bQ(r) : MpInterval(0), k = H.bK.size() ? H.bK(r) : MpInterval(0);
          for (Eigen::Index c = 0; c < d; ++c) {
            q += H.Q(r, c) * x(i, c);
            k += H.K(r, c) * x(j, c);
          }
          acc += q * k;
        }
        s[static_cast<std::size_t>(j)] = L.beta * acc;
      }
      MpInterval Z(0);
      for (const auto& sj : s) Z += exp(sj);
      for (Eigen::Index j = 0; j < J; ++j) {
        const MpInterval w = exp(s[static_cast<std::size_t>(j)]) / Z;
        for (Eigen::Index c = 0; c < d; ++c) {
          MpInterval v = H.bV.size() ? H.bV(c) : MpInterval(0);
          for (Eigen::Index e = 0; e < d; ++e) v += H.V(c, e) * x(j, e);
          F(i * d + c) += w * v;
        }
      }
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index c = 0; c < d; ++c) {
      MpInterval y = L.b(c);
      for (Eigen::Index e = 0; e < d; ++e) y += L.W(c, e) * x(i, e);
      F(i * d + c) += y;
    }
    if (L.mlp) {
      const auto& M = *L.mlp;
      for (Eigen::Index r = 0; r < M.W1.rows(); ++r) {
        MpInterval u = M.b1(r);
        for (Eigen::Index e = 0; e < d; ++e) u += M.W1(r, e) * x(i, e);
        const MpInterval su = M.activation == Activation::relu ? (certainly_positive(u) ? u : MpInterval(0)) : tanh(u);
        REQUIRE((M.activation != Activation::relu || certainly_positive(u) || certainly_negative(u)));
        for (Eigen::Index c = 0; c < d; ++c) F(i * d + c) += M.W2(c, r) * su;
      }
      for (Eigen::Index c = 0; c < d; ++c) F(i * d + c) += M.b2(c);
    }
  }
  return F;
}

}  // namespace

TEST_CASE("causal mask, in-projection biases, ReLU: matrix kernel and scalar path ⊇ 256-bit values at points of the box") {
  struct Case { Eigen::Index n, d, dp; int heads; Ext e; bool sphere; double w; };
  const Case cases[] = {
      {5, 3, 0, 2, {true, false, false, false, true}, false, 1e-6},
      {4, 2, 0, 1, {false, true, false, false, true}, false, 1e-5},
      {6, 3, 1, 2, {true, true, true, false, true}, false, 1e-4},
      {5, 2, 2, 1, {true, true, false, true, false}, true, 1e-3},
      {7, 4, 0, 3, {false, false, true, false, true}, false, 0.0},
      {1, 2, 0, 1, {true, true, true, false, true}, false, 1e-2},
  };
  std::uint64_t seed = 500;
  for (const Case& c : cases) {
    ++seed;
    INFO("n = " << c.n << ", d = " << c.d << ", dp = " << c.dp << ", causal = " << c.e.causal << ", bias = " << c.e.bias
                << ", relu = " << c.e.relu);
    const Layer<Interval> l = ext_layer<Interval>(seed, c.d, c.dp, c.heads, c.e);
    auto g = test::rng(seed + 100);
    const Mat<Interval> P = c.dp ? rmat<Interval>(g, c.n, c.dp, 1) : Mat<Interval>();
    MpPrecisionScope scope(256);
    const Layer<MpInterval> lm = ext_layer<MpInterval>(seed, c.d, c.dp, c.heads, c.e);
    check_fields_enclose_mp(c.n, c.d, c.sphere, l, lm, P, to_mp_matrix<MpInterval>(P), c.w, g);
  }
}

TEST_CASE("the 256-bit field agrees with the formulas written out (causal prefix softmax, b_Q, b_K, b_V, ReLU)") {
  MpPrecisionScope scope(256);
  std::uint64_t seed = 700;
  for (const Ext e : {Ext{true, true, true}, Ext{false, true, false}, Ext{true, false, true}, Ext{false, false, false}}) {
    ++seed;
    const Eigen::Index n = 4, d = 3;
    const Layer<MpInterval> l = ext_layer<MpInterval>(seed, d, 0, 2, e);
    auto g = test::rng(seed + 1);
    const Vec<MpInterval> X = rvec<MpInterval>(g, n * d, 1);
    const TransformerField<MpInterval> f(n, d, Control<MpInterval>::constant(l));
    Vec<MpInterval> F(n * d);
    f(MpInterval(0), X, F);
    const Vec<MpInterval> R = reference_field(l, n, d, X);
    for (Eigen::Index i = 0; i < F.size(); ++i) {
      CHECK(static_cast<double>(wid(F(i))) < 1e-60);
      CHECK(!disjoint(F(i), R(i)));
    }
    // the binary64 matrix kernel contains the reference too
    const Layer<Interval> li = ext_layer<Interval>(seed, d, 0, 2, e);
    const TransformerField<Interval> fi(n, d, Control<Interval>::constant(li));
    Vec<Interval> Xi(n * d), Fi(n * d);
    for (Eigen::Index i = 0; i < Xi.size(); ++i) Xi(i) = Interval(static_cast<double>(mid(X(i))));
    fi(Interval(0), Xi, Fi);
    for (Eigen::Index i = 0; i < Fi.size(); ++i) {
      CHECK(MpReal(inf(Fi(i))) <= inf(R(i)));
      CHECK(MpReal(sup(Fi(i))) >= sup(R(i)));
    }
  }
}

TEST_CASE("causal mask: a token's update does not depend on later tokens (every evaluation path)") {
  const Eigen::Index n = 5, d = 3;
  for (bool causal : {true, false}) {
    INFO("causal = " << causal);
    const Layer<Interval> l = ext_layer<Interval>(811, d, 0, 2, Ext{causal, true, false});
    auto g = test::rng(812);
    Vec<Interval> X = rvec<Interval>(g, n * d, 1);
    Vec<Interval> X2 = X;
    for (Eigen::Index c = 0; c < d; ++c) X2((n - 1) * d + c) = X((n - 1) * d + c) + Interval(0.5);  // move the last token
    Basis<Interval> one;
    const TransformerField<Interval> fast(n, d, Control<Interval>::constant(l));
    const TransformerField<Interval> scalar(n, d, Control<Interval>::smooth({one}, {l}));
    for (const TransformerField<Interval>* f : {&fast, &scalar}) {
      Vec<Interval> F(n * d), F2(n * d);
      (*f)(Interval(0), X, F);
      (*f)(Interval(0), X2, F2);
      bool same = true;
      for (Eigen::Index k = 0; k < (n - 1) * d; ++k) same = same && F(k).lower() == F2(k).lower() && F(k).upper() == F2(k).upper();
      CHECK(same == causal);  // bitwise identical for tokens 0..n−2 iff masked
    }
    // Dual (Jacobian) path: ∂f_i/∂x_j = 0 exactly for j > i
    Vec<Dual<Interval>> xd(n * d), yd(n * d);
    for (Eigen::Index k = 0; k < n * d; ++k) xd(k) = Dual<Interval>::variable(X(k), static_cast<std::size_t>(k), static_cast<std::size_t>(n * d));
    fast(Dual<Interval>(Interval(0)), xd, yd);
    bool upper_zero = true;
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = i + 1; j < n; ++j)
        for (Eigen::Index a = 0; a < d; ++a)
          for (Eigen::Index b = 0; b < d; ++b) {
            const Interval D = yd(i * d + a).d(static_cast<std::size_t>(j * d + b));
            upper_zero = upper_zero && D.lower() == 0 && D.upper() == 0;
          }
    CHECK(upper_zero == causal);
    // Taylor path (validated flows): the first coefficient is the field; token 0 is unaffected
    Vec<Taylor<Interval>> xt(n * d), yt(n * d), xt2(n * d), yt2(n * d);
    for (Eigen::Index k = 0; k < n * d; ++k) {
      xt(k) = Taylor<Interval>::variable(3, X(k));
      xt2(k) = Taylor<Interval>::variable(3, X2(k));
    }
    fast(Taylor<Interval>::variable(3, Interval(0)), xt, yt);
    fast(Taylor<Interval>::variable(3, Interval(0)), xt2, yt2);
    bool same0 = true;
    for (Eigen::Index c = 0; c < d; ++c) same0 = same0 && yt(c)[0].lower() == yt2(c)[0].lower() && yt(c)[0].upper() == yt2(c)[0].upper();
    CHECK(same0 == causal);
  }
}

TEST_CASE("ReLU: the discrete network (Euler map, mean-value form with the Clarke slope) ⊇ 256-bit iterates") {
  const Eigen::Index n = 4, d = 2;
  const std::size_t L = 8;
  for (Wrapping wr : {Wrapping::qr, Wrapping::box}) {
    for (bool causal : {false, true}) {
      INFO("causal = " << causal << ", qr = " << (wr == Wrapping::qr));
      Ext e{causal, true, true};
      const Layer<Interval> l = ext_layer<Interval>(901, d, 0, 1, e);
      // a first layer with pre-activations that straddle 0 on the box: the kink is exercised
      const TransformerField<Interval> f(n, d, Control<Interval>::constant(l));
      auto g = test::rng(902);
      Vec<double> x0(n * d);
      for (Eigen::Index i = 0; i < x0.size(); ++i) x0(i) = dy(g, 1);
      const double w = 0.05;
      Vec<Interval> X0(n * d);
      for (Eigen::Index i = 0; i < X0.size(); ++i) X0(i) = Interval(x0(i) - w, x0(i) + w);
      const auto res = euler::enclose_discrete_iterates<Interval>(f, X0, Interval(1), L, wr);
      REQUIRE(res.verdict.is_proved());
      REQUIRE(res.iterates.size() == L + 1);
      MpPrecisionScope scope(256);
      const Layer<MpInterval> lm = ext_layer<MpInterval>(901, d, 0, 1, e);
      const TransformerField<MpInterval> fm(n, d, Control<MpInterval>::constant(lm));
      const MpInterval eps = MpInterval(1) / MpInterval(static_cast<double>(L));
      std::uniform_real_distribution<double> U(-1, 1);
      for (int trial = 0; trial < 12; ++trial) {
        Vec<MpInterval> x(n * d), fx(n * d);
        for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = MpInterval(x0(i) + w * U(g));
        for (std::size_t k = 0; k < L; ++k) {
          fm(MpInterval(0), x, fx);
          for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = x(i) + eps * fx(i);
          for (Eigen::Index i = 0; i < x.size(); ++i) {
            CHECK(MpReal(inf(res.iterates[k + 1](i))) <= inf(x(i)));
            CHECK(MpReal(sup(res.iterates[k + 1](i))) >= sup(x(i)));
          }
        }
      }
    }
  }
}

TEST_CASE("ReLU: Dual slope encloses difference quotients; Taylor evaluation (validated flows) refuses it") {
  // a 1-d FFN-only model: f(x) = W2 relu(W1 x + b1) + b2
  Layer<Interval> l;
  Mlp<Interval> M;
  M.W1 = Mat<Interval>::Constant(1, 1, Interval(2));
  M.b1 = Vec<Interval>::Constant(1, Interval(-1));
  M.W2 = Mat<Interval>::Constant(1, 1, Interval(3));
  M.activation = Activation::relu;
  l.mlp = M;
  const TransformerField<Interval> f(1, 1, Control<Interval>::constant(l));
  // over [0, 1] the kink x = 1/2 is inside: slopes 0 and 6, the Dual slope must be ⊇ [0, 6]
  Vec<Dual<Interval>> xd(1), yd(1);
  xd(0) = Dual<Interval>::variable(Interval(0, 1), 0, 1);
  f(Dual<Interval>(Interval(0)), xd, yd);
  CHECK(subset(Interval(0, 6), yd(0).d(0)));
  CHECK(subset(Interval(0, 3), yd(0).value()));
  xd(0) = Dual<Interval>::variable(Interval(0.75, 1), 0, 1);
  f(Dual<Interval>(Interval(0)), xd, yd);
  CHECK(yd(0).d(0).lower() == 6);
  CHECK(yd(0).d(0).upper() == 6);
  Vec<Taylor<Interval>> xt(1), yt(1);
  xt(0) = Taylor<Interval>::variable(3, Interval(0));
  CHECK_THROWS_WITH_AS(f(Taylor<Interval>::variable(3, Interval(0)), xt, yt), doctest::Contains("activation relu"),
                       std::invalid_argument);
  // and the validated flow does not prove anything for it
  Vec<Interval> x0(1);
  x0(0) = Interval(0);
  bool proved = false;
  try {
    proved = enclose_flow<Interval>(f, 0.0, x0, 0.5).verdict.is_proved();
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("activation relu") != std::string::npos);
  }
  CHECK(!proved);
}

TEST_CASE("the structured flow engine refuses causal masks, in-projection biases and ReLU, naming them") {
  for (const Ext e : {Ext{true, false, false, false, false}, Ext{false, true, false, false, false}}) {
    const Layer<Interval> l = ext_layer<Interval>(950, 2, 0, 1, e);
    const TransformerField<Interval> f(3, 2, Control<Interval>::constant(l));
    const std::string want = e.causal ? "causal" : "in-projection biases";
    CHECK_THROWS_WITH_AS(StructuredAttention{f}, doctest::Contains(want.c_str()), std::invalid_argument);
  }
}

TEST_CASE("certified constants bound sampled |f| and Lipschitz quotients with causal masks, biases and ReLU") {
  const Eigen::Index n = 4, d = 2;
  std::uint64_t seed = 1000;
  for (const Ext e : {Ext{true, true, true}, Ext{false, true, true}, Ext{true, false, false}}) {
    ++seed;
    const Layer<Interval> l = ext_layer<Interval>(seed, d, 0, 2, e);
    const TransformerField<Interval> f(n, d, Control<Interval>::constant(l));
    const double R = 1.5;
    const FieldConstants<Interval> k = upper_bound_field_constants<Interval>(f, R);
    auto g = test::rng(seed + 7);
    std::uniform_real_distribution<double> U(-1, 1);
    auto sample = [&] {
      Vec<Interval> X(n * d);
      for (Eigen::Index i = 0; i < n; ++i) {
        double v0 = U(g), v1 = U(g), r = 0.99 * R * std::sqrt(std::fabs(U(g)));
        const double nv = std::hypot(v0, v1) + 1e-300;
        X(i * d) = Interval(r * v0 / nv);
        X(i * d + 1) = Interval(r * v1 / nv);
      }
      return X;
    };
    double worstM = 0, worstL = 0;
    for (int t = 0; t < 200; ++t) {
      const Vec<Interval> X = sample();
      Vec<Interval> X2 = X;
      for (Eigen::Index i = 0; i < X2.size(); ++i) X2(i) = Interval(X(i).lower() * (1 + 1e-3 * U(g)));
      Vec<Interval> F(n * d), F2(n * d);
      f(Interval(0), X, F);
      f(Interval(0), X2, F2);
      double dx = 0;
      for (Eigen::Index j = 0; j < n; ++j) dx = std::max(dx, std::hypot(X(j * d).lower() - X2(j * d).lower(), X(j * d + 1).lower() - X2(j * d + 1).lower()));
      for (Eigen::Index i = 0; i < n; ++i) {
        const double fm = std::hypot(mag(F(i * d)), mag(F(i * d + 1)));
        worstM = std::max(worstM, fm);
        const double df = std::hypot(mid(F(i * d)) - mid(F2(i * d)), mid(F(i * d + 1)) - mid(F2(i * d + 1)));
        if (dx > 0) worstL = std::max(worstL, df / dx);
      }
    }
    INFO("M = " << k.M << " sampled " << worstM << "; L = " << k.L_x + k.L_mu << " sampled " << worstL);
    CHECK(worstM <= k.M);
    CHECK(worstL <= k.L_x + k.L_mu);
  }
}

TEST_CASE("a depth-L stack with different weights per layer is a piecewise control: Euler iterates ⊇ 256-bit stack") {
  const Eigen::Index n = 3, d = 2;
  const std::size_t L = 4;
  const std::vector<double> bps{0.25, 0.5, 0.75};  // T = 1, ε = 1/4: layer k+1 on [kε, (k+1)ε)
  std::vector<Layer<Interval>> li;
  for (std::size_t k = 0; k < L; ++k) li.push_back(ext_layer<Interval>(1200 + k, d, 0, 1, Ext{k % 2 == 0, true, false}));
  const TransformerField<Interval> f(n, d, Control<Interval>::piecewise(bps, li));
  auto g = test::rng(1299);
  Vec<double> x0(n * d);
  for (Eigen::Index i = 0; i < x0.size(); ++i) x0(i) = dy(g, 1);
  const double w = 1e-3;
  Vec<Interval> X0(n * d);
  for (Eigen::Index i = 0; i < X0.size(); ++i) X0(i) = Interval(x0(i) - w, x0(i) + w);
  const auto res = euler::enclose_discrete_iterates<Interval>(f, X0, Interval(1), L);
  REQUIRE(res.verdict.is_proved());
  MpPrecisionScope scope(256);
  std::vector<TransformerField<MpInterval>> fm;
  for (std::size_t k = 0; k < L; ++k)
    fm.emplace_back(n, d, Control<MpInterval>::constant(ext_layer<MpInterval>(1200 + k, d, 0, 1, Ext{k % 2 == 0, true, false})));
  const MpInterval eps = MpInterval(1) / MpInterval(4);
  std::uniform_real_distribution<double> U(-1, 1);
  for (int trial = 0; trial < 10; ++trial) {
    Vec<MpInterval> x(n * d), fx(n * d);
    for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = MpInterval(x0(i) + (trial == 0 ? 0.0 : w * U(g)));
    for (std::size_t k = 0; k < L; ++k) {
      fm[k](MpInterval(0), x, fx);  // layer k+1 of the stack
      for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = x(i) + eps * fx(i);
      for (Eigen::Index i = 0; i < x.size(); ++i) {
        CHECK(MpReal(inf(res.iterates[k + 1](i))) <= inf(x(i)));
        CHECK(MpReal(sup(res.iterates[k + 1](i))) >= sup(x(i)));
      }
    }
  }
}

TEST_CASE("certified constants: a value bias alone gives |f_i| = ‖b_V‖ exactly, and M covers it") {
  // V = 0: every head returns Σ_j w_ij b_V = b_V (the weights sum to 1), so f_i = b_V for all i
  Layer<Interval> l;
  l.beta = Interval(1);
  Head<Interval> H;
  auto g = test::rng(1400);
  H.Q = rmat<Interval>(g, 2, 2, 1);
  H.K = rmat<Interval>(g, 2, 2, 1);
  H.bQ = rvec<Interval>(g, 2, 1);
  H.V = Mat<Interval>::Constant(2, 2, Interval(0));
  H.bV = Vec<Interval>(2);
  H.bV << Interval(3), Interval(4);
  l.heads.push_back(H);
  l.causal = true;
  const TransformerField<Interval> f(3, 2, Control<Interval>::constant(l));
  const FieldConstants<Interval> k = upper_bound_field_constants<Interval>(f, 1.0);
  Vec<Interval> X = rvec<Interval>(g, 6, 0.5), F(6);
  f(Interval(0), X, F);
  for (Eigen::Index i = 0; i < 3; ++i) {
    CHECK(subset(Interval(3), F(2 * i)));
    CHECK(subset(Interval(4), F(2 * i + 1)));
  }
  CHECK(k.M >= 5);
}

TEST_CASE("layer_at and eval_with_layer reproduce the field; a piecewise control's pieces keep their own activation and mask") {
  // The tangent-linear field of the flow adjoint (euler/adjoint.hpp) evaluates f through
  // eval_with_layer(layer_at(t)); layer_at once gave every piece layer 0's MLP activation (found by
  // the independent review's oracle, tests/review/flow_adjoint_layers_oracle.cpp). Oracle: the
  // field's own evaluation at the same (t, X) — both enclose the same real number, so they must
  // meet, and their widths are ~1e-15, so a wrong activation or mask is certainly excluded.
  const Eigen::Index n = 3, d = 2;
  const Activation acts[3] = {Activation::tanh, Activation::softplus, Activation::gelu_tanh};
  std::vector<Layer<Interval>> li;
  for (int k = 0; k < 3; ++k) {
    Layer<Interval> l = ext_layer<Interval>(1400 + static_cast<std::uint64_t>(k), d, 0, 1, Ext{k == 1, false, false});
    l.mlp->activation = acts[k];
    li.push_back(l);
  }
  auto g = test::rng(1499);
  const Vec<Interval> X = rvec<Interval>(g, n * d, 1);
  const TransformerField<Interval> fp(n, d, Control<Interval>::piecewise({0.25, 0.5}, li));
  Basis<Interval> one, lin;
  lin.kind = Basis<Interval>::power;
  lin.exponent = 1;
  std::vector<Layer<Interval>> ls = {li[0], li[0]};  // a smooth control's layers share activation and mask
  ls[1].W = ls[1].W * Interval(0.5);
  const TransformerField<Interval> fs(n, d, Control<Interval>::smooth({one, lin}, ls));
  const TransformerField<Interval> fc(n, d, Control<Interval>::constant(li[2]));
  int piece = 0;
  for (double t : {0.1, 0.3, 0.75}) {
    CAPTURE(t);
    for (const TransformerField<Interval>* f : {&fp, &fs, &fc}) {
      Vec<Interval> direct(n * d), via(n * d);
      (*f)(Interval(t), X, direct);
      const Layer<Interval> lt = f->layer_at<Interval>(Interval(t));
      f->eval_with_layer(lt, X, via);
      for (Eigen::Index i = 0; i < X.size(); ++i) {
        CHECK(!disjoint(direct(i), via(i)));
        CHECK(wid(via(i)) < 1e-12);
      }
    }
    const Layer<Interval> lt = fp.layer_at<Interval>(Interval(t));
    CHECK(lt.mlp->activation == acts[piece]);
    CHECK(lt.causal == (piece == 1));
    const std::vector<Interval> phi = fp.basis_at<Interval>(Interval(t));
    for (int k = 0; k < 3; ++k) CHECK(phi[static_cast<std::size_t>(k)] == Interval(k == piece ? 1.0 : 0.0));
    // another piece's activation gives a certainly different field (the check above is not vacuous)
    Layer<Interval> wrong = lt;
    wrong.mlp->activation = acts[(piece + 1) % 3];
    Vec<Interval> direct(n * d), bad(n * d);
    fp(Interval(t), X, direct);
    fp.eval_with_layer(wrong, X, bad);
    bool excluded = false;
    for (Eigen::Index i = 0; i < X.size(); ++i) excluded = excluded || disjoint(direct(i), bad(i));
    CHECK(excluded);
    ++piece;
  }
  // a layer of another shape is misuse
  Layer<Interval> no_mlp = li[0];
  no_mlp.mlp.reset();
  Vec<Interval> out(n * d);
  CHECK_THROWS_AS(fp.eval_with_layer(no_mlp, X, out), std::invalid_argument);
}
