// tests/gradflow/structured_test.cpp — the structured engine of the P4 sphere flow
// (gradflow/structured.hpp) against independent oracles: the generic Taylor AD of the augmented
// field (field.hpp, another formula path) at 256 bits, forward-mode Jacobians, direct evaluations
// of the energy integrands, and the 128-bit Taylor–Lohner energy-dissipation run.
#include "certiformer/gradflow.hpp"
#include "certiformer/ode/coefficients.hpp"
#include "gradflow_test_util.hpp"
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>

using namespace certiformer;
using namespace certiformer::gradflow;
using namespace certiformer::gradflow::test;

namespace {

enum class Paths { constant, ou, oscillating, mixed, piecewise };

/// n tokens in R^d (d = 3) and H heads with dyadic data (exact in Interval and MpInterval): D_h =
/// I + (random k/1024, symmetric); paths by `paths`; tokens normalised onto the sphere (the
/// normalisation enclosed in each type, so both types enclose the same real configuration).
template <class T> Model<T> model(unsigned seed, int n, int H, Paths paths, int sign = 1, bool perturb = false) {
  std::mt19937 g(seed);
  std::uniform_int_distribution<int> U(-400, 400);
  Model<T> m;
  m.n = n; m.d = 3; m.sign = sign;
  for (int h = 0; h < H; ++h) {
    Mat<T> D(3, 3);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c <= r; ++c) D(r, c) = D(c, r) = T(U(g) / 1024.0 + (r == c ? 1.0 : 0.0));
    const Paths p = paths == Paths::mixed ? (h % 3 == 0 ? Paths::ou : h % 3 == 1 ? Paths::oscillating : Paths::constant) : paths;
    switch (p) {
      case Paths::constant: m.heads.push_back(WeightPath<T>::make_constant(D)); break;
      case Paths::ou: m.heads.push_back(WeightPath<T>::make_ou(D)); break;
      case Paths::oscillating: m.heads.push_back(WeightPath<T>::make_oscillating(D, h + 1, H)); break;
      default: {
        Mat<T> D1 = D;
        D1(0, 0) += T(0.25); D1(1, 2) -= T(0.125); D1(2, 1) -= T(0.125);
        m.heads.push_back(WeightPath<T>::make_piecewise_linear({0.0, 0.25, 2.0}, {D, D1, D}));
      }
    }
  }
  if (perturb) {
    m.perturbation = Mat<T>::Constant(3, 3, T(0));
    m.perturbation(0, 1) = m.perturbation(1, 0) = convex_hull(T(-1.0 / 1024), T(1.0 / 1024));
  }
  return m;
}
template <class T> Vec<T> sphere_tokens(unsigned seed, int n) {
  std::mt19937 g(seed);
  std::uniform_int_distribution<int> U(-1000, 1000);
  Vec<T> X(3 * n);
  for (int i = 0; i < n; ++i) {
    T v[3], s(0);
    for (auto& c : v) { c = T(U(g) / 1024.0 + 0.001); s += c * c; }
    for (int c = 0; c < 3; ++c) X(3 * i + c) = v[c] / sqrt(s);
  }
  return X;
}
Mat<Interval> as_matrix(const Vec<Interval>& x, Eigen::Index n, double radius = 0) {
  Mat<Interval> M(n, 3);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < 3; ++c) M(i, c) = x(3 * i + c) + Interval(-radius, radius);
  return M;
}
/// The binary64 enclosure a and the 128- or 256-bit enclosure b have a common point (b's width is
/// ≲ 1e-25, so this is containment of the high-precision value up to that width).
bool meets(const Interval& a, const MpInterval& b) { return intersection(MpInterval(a), b).has_value(); }

}  // namespace

TEST_CASE("structured gradflow: coefficients and accumulators contain the 256-bit Taylor AD of the augmented field") {
  MpPrecisionScope hi(256);
  const int n = 5, H = 3, K = 9;
  for (Paths p : {Paths::constant, Paths::ou, Paths::oscillating, Paths::mixed, Paths::piecewise})
    for (int sign : {1, -1}) {
      const bool perturb = p == Paths::mixed && sign < 0;
      const Model<Interval> mi = model<Interval>(7, n, H, p, sign, perturb);
      const Model<MpInterval> mm = model<MpInterval>(7, n, H, p, sign, perturb);
      const StructuredGradflow S(mi);
      const Vec<Interval> x = sphere_tokens<Interval>(8, n);
      const Vec<MpInterval> xm = sphere_tokens<MpInterval>(8, n);
      for (double t0 : {0.0, 0.75}) {
        std::vector<Vec<Interval>> acc;
        const std::vector<Mat<Interval>> c = S.coefficients(Interval(t0), as_matrix(x, n), K, &acc);
        const GradflowField<MpInterval> f(mm, true);
        const Vec<MpInterval> y0 = augmented_initial(f, xm);
        const auto ref = ode::enclose_ode_coefficients<MpInterval>(f, MpInterval(t0), y0, K);
        int bad = 0;
        double wmax = 0;
        for (int k = 0; k <= K; ++k) {
          for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index e = 0; e < 3; ++e) {
              if (!meets(c[static_cast<std::size_t>(k)](i, e), ref[static_cast<std::size_t>(k)](3 * i + e))) ++bad;
              wmax = std::max(wmax, wid(c[static_cast<std::size_t>(k)](i, e)));
            }
          for (int a = 0; a < 2; ++a)
            if (!meets(acc[static_cast<std::size_t>(k)](a), ref[static_cast<std::size_t>(k)](3 * n + a))) ++bad;
        }
        INFO("paths " << static_cast<int>(p) << " sign " << sign << " t0 " << t0);
        CHECK(bad == 0);
        // point data: tight (the widths grow with the order, ~1e-12 at K = 9); a perturbation box
        // is a genuine set of models, its coefficients are wide
        if (!perturb) CHECK(wmax < 1e-6);
      }
    }
}

TEST_CASE("structured gradflow: coefficients over a box contain the 256-bit coefficients at points inside") {
  MpPrecisionScope hi(256);
  const int n = 4, H = 2, K = 6;
  const Model<Interval> mi = model<Interval>(17, n, H, Paths::mixed);
  const Model<MpInterval> mm = model<MpInterval>(17, n, H, Paths::mixed);
  const StructuredGradflow S(mi);
  const Vec<Interval> x = sphere_tokens<Interval>(18, n);
  std::vector<Vec<Interval>> acc;
  const Interval tbox(0.5, 0.625);
  const std::vector<Mat<Interval>> c = S.coefficients(tbox, as_matrix(x, n, 1e-3), K, &acc);
  std::mt19937 g(19);
  std::uniform_real_distribution<double> U(-1e-3, 1e-3), Ut(0.5, 0.625);
  const GradflowField<MpInterval> f(mm, true);
  int bad = 0;
  for (int s = 0; s < 6; ++s) {
    Vec<MpInterval> y(3 * n + 2);
    for (Eigen::Index i = 0; i < 3 * n; ++i) y(i) = MpInterval(mid(x(i)) + (s == 0 ? 0.0 : U(g)));
    y(3 * n) = y(3 * n + 1) = MpInterval(0);
    const double tt = s == 0 ? 0.5 : Ut(g);
    const auto ref = ode::enclose_ode_coefficients<MpInterval>(f, MpInterval(tt), y, K);
    for (int k = 0; k <= K; ++k) {
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index e = 0; e < 3; ++e)
          if (!meets(c[static_cast<std::size_t>(k)](i, e), ref[static_cast<std::size_t>(k)](3 * i + e))) ++bad;
      for (int a = 0; a < 2; ++a)
        if (!meets(acc[static_cast<std::size_t>(k)](a), ref[static_cast<std::size_t>(k)](3 * n + a))) ++bad;
    }
  }
  CHECK(bad == 0);
}

TEST_CASE("structured gradflow: the log-norm bound is at least the exact block Gershgorin value at points of the box") {
  for (int sign : {1, -1}) {
    const int n = 5, H = 3, N = 15;
    const Model<Interval> mi = model<Interval>(27, n, H, Paths::mixed, sign);
    const StructuredGradflow S(mi);
    const GradflowField<Interval> f(mi, false);
    const Vec<Interval> x = sphere_tokens<Interval>(28, n);
    const double rad = 0.02;
    const Interval tbox(0.25, 0.5);
    const double mu = S.lognorm_bound(as_matrix(x, n, rad), tbox);
    std::mt19937 g(29);
    std::uniform_real_distribution<double> U(-rad, rad), Ut(0.25, 0.5);
    double worst = -1e300;
    for (int s = 0; s < 30; ++s) {
      Vec<ode::Dual<Interval>> xd(N);
      for (Eigen::Index i = 0; i < N; ++i)
        xd(i) = ode::Dual<Interval>::variable(Interval(mid(x(i)) + (s == 0 ? 0.0 : U(g))), static_cast<std::size_t>(i), N);
      const double tt = s == 0 ? 0.25 : Ut(g);
      const Vec<ode::Dual<Interval>> fx = ode::eval_field<ode::Dual<Interval>>(f, ode::Dual<Interval>(Interval(tt)), xd);
      Eigen::MatrixXd J(N, N);
      for (Eigen::Index i = 0; i < N; ++i)
        for (Eigen::Index j = 0; j < N; ++j) J(i, j) = mid(fx(i).d(static_cast<std::size_t>(j)));
      for (Eigen::Index i = 0; i < n; ++i) {
        const Eigen::Matrix3d Jii = J.block<3, 3>(3 * i, 3 * i);
        Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> es((Jii + Jii.transpose()) / 2);
        double row = es.eigenvalues().maxCoeff();
        for (Eigen::Index j = 0; j < n; ++j)
          if (j != i) row += Eigen::JacobiSVD<Eigen::Matrix3d>(J.block<3, 3>(3 * i, 3 * j)).singularValues()(0);
        worst = std::max(worst, row);
      }
    }
    MESSAGE("sign " << sign << ": bound " << mu << ", sampled block Gershgorin " << worst);
    CHECK(mu >= worst - 1e-9);
    // not vacuous: over a thin box (the engine's time slices) the bound is the point value's
    const double mu_thin = S.lognorm_bound(as_matrix(x, n, 1e-9), Interval(0.25));
    Vec<ode::Dual<Interval>> xd(N);
    for (Eigen::Index i = 0; i < N; ++i) xd(i) = ode::Dual<Interval>::variable(Interval(mid(x(i))), static_cast<std::size_t>(i), N);
    const Vec<ode::Dual<Interval>> fx = ode::eval_field<ode::Dual<Interval>>(f, ode::Dual<Interval>(Interval(0.25)), xd);
    double at_c = -1e300;
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Matrix3d Jb[5];
      for (Eigen::Index j = 0; j < n; ++j)
        for (int a = 0; a < 3; ++a)
          for (int b = 0; b < 3; ++b) Jb[j](a, b) = mid(fx(3 * i + a).d(static_cast<std::size_t>(3 * j + b)));
      Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> es((Jb[i] + Jb[i].transpose()) / 2);
      double row = es.eigenvalues().maxCoeff();
      for (Eigen::Index j = 0; j < n; ++j)
        if (j != i) row += Eigen::JacobiSVD<Eigen::Matrix3d>(Jb[j]).singularValues()(0);
      at_c = std::max(at_c, row);
    }
    MESSAGE("thin box: bound " << mu_thin << ", block Gershgorin at the center " << at_c);
    CHECK(mu_thin >= at_c - 1e-9);
    CHECK(mu_thin <= at_c + 0.2 * std::fabs(at_c) + 1e-6);  // Schatten-4 ≤ 2^{1/4}·‖·‖₂ on 3 × 3 blocks
  }
}

TEST_CASE("structured gradflow: the accumulator Lipschitz bounds dominate sampled difference quotients") {
  const int n = 4, H = 2;
  const Model<Interval> mi = model<Interval>(37, n, H, Paths::ou);
  const StructuredGradflow S(mi);
  const GradflowField<Interval> f(mi, true);
  const Vec<Interval> x = sphere_tokens<Interval>(38, n);
  const double rad = 0.05;
  const Interval tbox(0.0, 0.125);
  const std::vector<double> L = S.accumulator_lipschitz(as_matrix(x, n, rad), tbox);
  REQUIRE(L.size() == 2);
  std::mt19937 g(39);
  std::uniform_real_distribution<double> U(-rad, rad);
  double q[2] = {0, 0};
  for (int s = 0; s < 200; ++s) {
    Vec<Interval> a(3 * n + 2), b(3 * n + 2);
    double dist = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      double d2 = 0;
      for (Eigen::Index c = 0; c < 3; ++c) {
        const double u = mid(x(3 * i + c)) + U(g), v = mid(x(3 * i + c)) + U(g);
        a(3 * i + c) = Interval(u); b(3 * i + c) = Interval(v);
        d2 += (u - v) * (u - v);
      }
      dist = std::max(dist, std::sqrt(d2));
    }
    a(3 * n) = a(3 * n + 1) = b(3 * n) = b(3 * n + 1) = Interval(0);
    const Vec<Interval> fa = ode::eval_field<Interval>(f, Interval(0.0625), a), fb = ode::eval_field<Interval>(f, Interval(0.0625), b);
    for (int m = 0; m < 2; ++m) q[m] = std::max(q[m], inf(abs(fa(3 * n + m) - fb(3 * n + m))) / dist);
  }
  MESSAGE("L1 " << L[0] << " ≥ " << q[0] << ", L2 " << L[1] << " ≥ " << q[1]);
  CHECK(L[0] >= q[0]);
  CHECK(L[1] >= q[1]);
  CHECK(q[0] > 0);
  CHECK(q[1] > 0);
}

TEST_CASE("structured gradflow: the energy-dissipation run contains the 128-bit Taylor–Lohner run") {
  const int n = 3, H = 2;
  for (Paths p : {Paths::ou, Paths::oscillating, Paths::constant, Paths::piecewise}) {
    const Model<Interval> mi = model<Interval>(47, n, H, p);
    const Vec<Interval> x = sphere_tokens<Interval>(48, n);
    const EdiResult<Interval> s = enclose_energy_dissipation_structured(mi, x, 0.5);
    REQUIRE(s.verdict.is_proved());
    CHECK(s.identity.is_proved());
    MpPrecisionScope hi(128);
    const Model<MpInterval> mm = model<MpInterval>(47, n, H, p);
    const EdiResult<MpInterval> r = enclose_energy_dissipation<MpInterval>(mm, sphere_tokens<MpInterval>(48, n), 0.5);
    REQUIRE(r.verdict.is_proved());
    int bad = 0;
    double w = 0;
    for (Eigen::Index i = 0; i < 3 * n; ++i) {
      if (!meets(s.tokens_at_horizon(i), r.tokens_at_horizon(i))) ++bad;
      w = std::max(w, wid(s.tokens_at_horizon(i)));
    }
    if (!meets(s.explicit_time_integral, r.explicit_time_integral)) ++bad;
    if (!meets(s.dissipation_integral, r.dissipation_integral)) ++bad;
    if (!meets(s.energy_change, r.energy_change)) ++bad;
    // the sphere is invariant: every token's |x|² − 1 enclosure contains 0
    for (Eigen::Index i = 0; i < n; ++i) {
      Interval q(0);
      for (Eigen::Index c = 0; c < 3; ++c) q += sqr(s.tokens_at_horizon(3 * i + c));
      if (!contains_zero(q - Interval(1))) ++bad;
    }
    INFO("paths " << static_cast<int>(p));
    CHECK(bad == 0);
    CHECK(w < 1e-10);
    CHECK(wid(s.identity_residual) < 1e-8);
    if (mi.autonomous()) CHECK(s.monotone.is_proved());
  }
}

TEST_CASE("structured gradflow: a box of initial tokens contains the 128-bit flows of sampled points") {
  const int n = 3, H = 2;
  const Model<Interval> mi = model<Interval>(57, n, H, Paths::ou, -1);
  const Vec<Interval> x = sphere_tokens<Interval>(58, n);
  const double rad = 1e-6;
  Vec<Interval> X0 = x;
  for (Eigen::Index i = 0; i < X0.size(); ++i) X0(i) = Interval(mid(x(i))) + Interval(-rad, rad);
  const EdiResult<Interval> s = enclose_energy_dissipation_structured(mi, X0, 0.5);
  REQUIRE(s.verdict.is_proved());
  MpPrecisionScope hi(128);
  const Model<MpInterval> mm = model<MpInterval>(57, n, H, Paths::ou, -1);
  std::mt19937 g(59);
  std::uniform_int_distribution<int> corner(0, 1);
  int bad = 0;
  for (int sample = 0; sample < 2; ++sample) {
    Vec<MpInterval> y(3 * n);
    for (Eigen::Index i = 0; i < 3 * n; ++i) y(i) = MpInterval(corner(g) ? inf(X0(i)) : sup(X0(i)));
    const EdiResult<MpInterval> r = enclose_energy_dissipation<MpInterval>(mm, y, 0.5);
    REQUIRE(r.verdict.is_proved());
    for (Eigen::Index i = 0; i < 3 * n; ++i)
      if (!meets(s.tokens_at_horizon(i), r.tokens_at_horizon(i))) ++bad;
    if (!meets(s.explicit_time_integral, r.explicit_time_integral)) ++bad;
    if (!meets(s.dissipation_integral, r.dissipation_integral)) ++bad;
  }
  CHECK(bad == 0);
}

TEST_CASE("energy_dissipation picks the engine and says why") {
  const Model<Interval> small = model<Interval>(67, 4, 1, Paths::ou);
  const EdiRun<Interval> a = energy_dissipation<Interval>(small, sphere_tokens<Interval>(68, 4), 0.125);
  CHECK(a.method == ode::FlowMethod::taylor_lohner);
  CHECK(a.method_reason.find("n·d = 12 < 64") != std::string::npos);
  EdiOptions st;
  st.method = ode::FlowMethod::structured;
  const EdiRun<Interval> b = energy_dissipation<Interval>(small, sphere_tokens<Interval>(68, 4), 0.125, st);
  CHECK(b.method == ode::FlowMethod::structured);
  CHECK(b.method_reason == "requested");
  CHECK(b.result.verdict.is_proved());
  // both engines enclose the same numbers
  CHECK(intersection(a.result.dissipation_integral, b.result.dissipation_integral).has_value());
  const Model<Interval> big = model<Interval>(69, 22, 1, Paths::ou);
  const EdiRun<Interval> c = energy_dissipation<Interval>(big, sphere_tokens<Interval>(70, 22), 0.0625);
  CHECK(c.method == ode::FlowMethod::structured);
  CHECK(c.method_reason.find("n·d = 66 ≥ 64") != std::string::npos);
  CHECK(c.result.verdict.is_proved());
  CHECK(c.result.identity.is_proved());
  MpPrecisionScope hi(113);
  const EdiRun<MpInterval> d =
      energy_dissipation<MpInterval>(model<MpInterval>(67, 4, 1, Paths::ou), sphere_tokens<MpInterval>(68, 4), 0.125, st);
  CHECK(d.method == ode::FlowMethod::taylor_lohner);
  CHECK(d.method_reason.find("binary64") != std::string::npos);
}
