// Unit tests of the linalg module: exact small cases, closed forms, every verdict path
// (proved / refuted / each unknown), misuse exceptions, rounding-mode hygiene.
#include "linalg_test_util.hpp"

#include <cfenv>
#include <limits>

using namespace lt;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

template <class T> Mat<T> mat2(double a, double b, double c, double d) {
  Mat<T> m(2, 2);
  m << T(a), T(b), T(c), T(d);
  return m;
}
template <class T> Vec<T> vec2(double a, double b) {
  Vec<T> v(2);
  v << T(a), T(b);
  return v;
}
template <class T> bool has(const T& x, double v) { return is_member(v, x); }
}  // namespace

// ---- products ------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("mul: small exact products are contained and tight", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const Mat<T> A = mat2<T>(1, 2, 3, 4), B = mat2<T>(5, 6, 7, 8);
  const Mat<T> C = linalg::mul(A, B);
  CHECK(is_point(C(0, 0)));  // point × point with exact results: exact (directed rounding)
  CHECK(has(C(0, 0), 19));
  CHECK(has(C(0, 1), 22));
  CHECK(has(C(1, 0), 43));
  CHECK(has(C(1, 1), 50));
  const Vec<T> y = linalg::mul(A, vec2<T>(1, -1));
  CHECK(has(y(0), -1));
  CHECK(has(y(1), -1));
  CHECK(std::fegetround() == FE_TONEAREST);
}

TEST_CASE("linalg::mul<Interval>: interval x interval contains the exact hull, all methods") {
  Mat<Interval> W(2, 2);
  W << Interval(1, 2), Interval(-1, 1), Interval(0), Interval(3, 3.5);
  // exact hull of W·W entrywise: (0,0) = w00² + w01·w10 = [1,4]; (0,1) = w00w01 + w01w11 = [-5.5,5.5]
  // (1,0) = 0; (1,1) = [9, 12.25]
  for (auto m : {linalg::ProductMethod::automatic, linalg::ProductMethod::a_priori, linalg::ProductMethod::directed}) {
    const Mat<Interval> C = linalg::mul(W, W, m);
    CHECK(subset(Interval(1, 4), C(0, 0)));
    CHECK(subset(Interval(-5.5, 5.5), C(0, 1)));
    CHECK(has(C(1, 0), 0.0));
    CHECK(subset(Interval(9, 12.25), C(1, 1)));
    // mid-rad overestimates by at most a factor 1.5 in radius (Rump) plus rounding
    CHECK(wid(C(0, 0)) <= 1.5 * 3 + 1e-12);
  }
  CHECK(std::fegetround() == FE_TONEAREST);
}

TEST_CASE("linalg::mul<Interval>: infinite endpoints and overflow fall back to the triple loop") {
  Mat<Interval> A(2, 2), B(2, 2);
  A << Interval(-kInf, 1), Interval(2), Interval(0), Interval(1);
  B << Interval(1), Interval(0), Interval(0), Interval(1);
  const Mat<Interval> C = linalg::mul(A, B);
  CHECK(C(0, 0).lower() == -kInf);
  CHECK(has(C(0, 0), 1.0));
  CHECK(has(C(0, 1), 2.0));
  // midpoint product overflows: 1e300 * 1e300
  Mat<Interval> H(1, 1);
  H << Interval(1e300);
  const Mat<Interval> HH = linalg::mul(H, H);
  CHECK(HH(0, 0).upper() == kInf);
  CHECK(HH(0, 0).lower() >= std::numeric_limits<double>::max());
  // half-line entry [DBL_MAX, +inf]
  Mat<Interval> E(1, 1);
  E << Interval(std::numeric_limits<double>::max(), kInf);
  CHECK(linalg::mul(E, Mat<Interval>(Mat<Interval>::Constant(1, 1, Interval(-1)))).coeff(0, 0).lower() == -kInf);
  CHECK(std::fegetround() == FE_TONEAREST);
}

TEST_CASE_TEMPLATE("mul: dimension mismatch and empty shapes", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const Mat<T> A(2, 3), B(2, 2);
  CHECK_THROWS_AS(linalg::mul(A, B), std::invalid_argument);
  CHECK_THROWS_AS(linalg::mul(A, Vec<T>(2)), std::invalid_argument);
  const Mat<T> Z = linalg::mul(Mat<T>(2, 0), Mat<T>(0, 3));
  CHECK(Z.rows() == 2);
  CHECK(Z.cols() == 3);
  CHECK(has(Z(1, 2), 0.0));
}

namespace {
/// Whether `call` throws std::runtime_error when entered with the FPU rounding upward (the mode is
/// restored to round-to-nearest afterwards).
template <class F> bool refuses_upward_rounding(F call) {
  std::fesetround(FE_UPWARD);
  bool threw = false;
  try {
    call();
  } catch (const std::runtime_error&) {
    threw = true;
  }
  std::fesetround(FE_TONEAREST);
  return threw;
}
}  // namespace

TEST_CASE("linalg::mul<Interval>: refuses a non-nearest rounding mode on entry") {
  Mat<Interval> A = mat2<Interval>(1, 2, 3, 4);
  CHECK(refuses_upward_rounding([&] { (void)linalg::mul(A, A); }));
}

TEST_CASE("linalg::mul<Interval>: binary32 radius path (n = 70) contains the triple-loop hull midpoints") {
  auto g = tst::rng(7001);
  const Box b = rnd_box(g, 70, 70, -2, 2, {2, 3});
  const Mat<Interval> A = to_mat<Interval>(b);
  const Mat<Interval> C = linalg::mul(A, A);
  const Mat<Interval> D = linalg::mul_triple_loop(A, A);
  int bad = 0;
  for (Eigen::Index j = 0; j < 70; ++j)
    for (Eigen::Index i = 0; i < 70; ++i)
      if (!is_member(mid(D(i, j)), C(i, j))) ++bad;
  CHECK(bad == 0);
}

TEST_CASE("linalg::mul<Interval>: point products are enclosed tightly on both sides (matrix and vector kernels)") {
  // 1x1 products of random doubles: the enclosure must contain the exact product (MPFR) and,
  // when the product is inexact, be exactly [RD, RU] (directed kernels, point operands).
  auto g = tst::rng(7002);
  int inexact = 0;
  for (int t = 0; t < 2000; ++t) {
    const double a = rnd_value(g, -10, 10, 0.0), b = rnd_value(g, -10, 10, 0.0);
    Mat<Interval> A(1, 1), B(1, 1);
    A << Interval(a);
    B << Interval(b);
    Vec<Interval> x(1);
    x << Interval(b);
    const Interval c = linalg::mul(A, B)(0, 0), y = linalg::mul(A, x)(0);
    mpfr_t e;
    mpfr_init2(e, 256);
    mpfr_set_d(e, a, MPFR_RNDN);
    mpfr_mul_d(e, e, b, MPFR_RNDN);  // exact at 256 bits
    const double dn = mpfr_get_d(e, MPFR_RNDD), upv = mpfr_get_d(e, MPFR_RNDU);
    mpfr_clear(e);
    INFO("a = ", hex(a), " b = ", hex(b));
    CHECK(c.lower() == dn);
    CHECK(c.upper() == upv);
    CHECK(y.lower() == dn);
    CHECK(y.upper() == upv);
    if (dn != upv) ++inexact;
  }
  CHECK(inexact > 1000);
}

// ---- norms ----------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("norms of a known matrix", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const Mat<T> A = mat2<T>(1, -2, 3, 4);  // ‖·‖₁ = 6, ‖·‖∞ = 7, ‖·‖_F = √30, ‖·‖₂ ≈ 5.116
  CHECK(approx_double(linalg::upper_bound_norm_1(A).value()) == 6.0);
  CHECK(approx_double(linalg::upper_bound_norm_inf(A).value()) == 7.0);
  const double f = approx_double(linalg::upper_bound_norm_frobenius(A).value());
  CHECK(f >= std::sqrt(30.0));
  CHECK(f <= std::sqrt(30.0) * (1 + 1e-15));
  const double n2 = approx_double(linalg::upper_bound_norm_2(A).value());
  CHECK(n2 >= 5.1164);
  CHECK(n2 <= std::sqrt(30.0) * (1 + 1e-15));
  CHECK(approx_double(linalg::upper_bound_norm_2(vec2<T>(3, -4)).value()) == doctest::Approx(5.0).epsilon(1e-15));
  CHECK(approx_double(linalg::upper_bound_norm_2(vec2<T>(3, -4)).value()) >= 5.0);
  // log norms: μ∞ = max(1 + 2, 4 + 3) = 7; μ₂ = λmax([[1, 0.5], [0.5, 4]]) = (5 + √10)/2 ≈ 4.081
  CHECK(approx_double(linalg::upper_bound_lognorm_inf(A).value()) == 7.0);
  const double mu2 = approx_double(linalg::upper_bound_lognorm_2(A).value());
  CHECK(mu2 >= (5 + std::sqrt(10.0)) / 2);
  CHECK(mu2 <= (5 + std::sqrt(10.0)) / 2 + 1e-13);
  // negative log norm: μ₂(−I) = −1
  CHECK(approx_double(linalg::upper_bound_lognorm_2(mat2<T>(-1, 0, 0, -1)).value()) >= -1.0);
  CHECK(approx_double(linalg::upper_bound_lognorm_2(mat2<T>(-1, 0, 0, -1)).value()) <= -1.0 + 1e-14);
  CHECK(approx_double(linalg::upper_bound_lognorm_inf(mat2<T>(-3, 1, 1, -3)).value()) == -2.0);
  CHECK_THROWS_AS(linalg::upper_bound_lognorm_2(Mat<T>(2, 3)).value(), std::invalid_argument);
  CHECK_THROWS_AS(linalg::upper_bound_lognorm_inf(Mat<T>(0, 0)).value(), std::invalid_argument);
  CHECK(approx_double(linalg::upper_bound_norm_2(Mat<T>(0, 0)).value()) == 0.0);
}

TEST_CASE_TEMPLATE("lognorm_block: b = 1 is μ∞, b = n is μ₂, and ‖e^{tA}x‖_b ≤ e^{tμ_b}‖x‖_b", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const Mat<T> A = mat2<T>(1, 2, 3, 4);
  CHECK(approx_double(linalg::upper_bound_lognorm_block(A, 1).value()) == 7.0);
  CHECK(approx_double(linalg::upper_bound_lognorm_block(A, 2).value()) == approx_double(linalg::upper_bound_lognorm_2(A).value()));
  CHECK_THROWS_AS(linalg::upper_bound_lognorm_block(A, 3).value(), std::invalid_argument);
  CHECK_THROWS_AS(linalg::upper_bound_lognorm_block(A, 0).value(), std::invalid_argument);
  // growth oracle: 3 blocks of 2, a fixed non-normal matrix; x(t) = e^{tA}x0 by a 60-term Taylor
  // series in double (t = 0.05, ‖tA‖ < 1: truncation far below the 1e-9 slack used).
  const double a[6][6] = {{-1, 3, 0.5, 0, -0.2, 0.1}, {0, -1, 0.3, -0.4, 0, 0.2}, {0.1, 0, 0.5, 2, 0, -0.3},
                          {-0.2, 0.1, -1, 0.5, 0.4, 0}, {0, 0.3, 0, -0.1, -2, 1}, {0.2, 0, 0.1, 0, -3, -2}};
  Mat<T> M(6, 6);
  Eigen::MatrixXd D(6, 6);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      M(i, j) = T(a[i][j]);
      D(i, j) = a[i][j];
    }
  const double mu = approx_double(linalg::upper_bound_lognorm_block(M, 2).value());
  auto bnorm = [](const Eigen::VectorXd& v) {
    double m = 0;
    for (int i = 0; i < 6; i += 2) m = std::max(m, std::hypot(v(i), v(i + 1)));
    return m;
  };
  const double t = 0.05;
  for (int trial = 0; trial < 200; ++trial) {
    Eigen::VectorXd x0(6);
    for (int i = 0; i < 6; ++i) x0(i) = std::sin(1.7 * trial + 2.3 * i);
    Eigen::VectorXd term = x0, x = x0;
    for (int k = 1; k < 60; ++k) {
      term = (t / k) * (D * term);
      x += term;
    }
    CHECK(bnorm(x) <= std::exp(t * mu) * bnorm(x0) * (1 + 1e-9));
  }
  // the bound is not vacuous: it is below the crude μ∞ of the whole matrix here
  CHECK(mu < approx_double(linalg::upper_bound_lognorm_inf(M).value()));
}

TEST_CASE_TEMPLATE("norm_2: entries not representable in binary64 (the Perron bound must round up)", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  Mat<T> A(2, 2);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) A(i, j) = T(1) / T(3);
  // ‖A‖₂ = 2/3 exactly: the bound must not fall below 2/3 even though fl(1/3) < 1/3
  const T two_thirds = T(2) / T(3);
  CHECK(MpReal(linalg::upper_bound_norm_2(A).value()) >= MpReal(inf(two_thirds)));
  CHECK(approx_double(linalg::upper_bound_norm_2(A).value()) <= 2.0 / 3.0 * (1 + 1e-15));
}

TEST_CASE("norms: interval entries and unbounded entries") {
  Mat<Interval> A(2, 2);
  A << Interval(-1, 2), Interval(0), Interval(0), Interval(-3, 1);
  CHECK(linalg::upper_bound_norm_1(A).value() == 3.0);
  CHECK(linalg::upper_bound_norm_2(A).value() == 3.0);  // Perron bound of diag(2, 3) is exact here
  CHECK(linalg::upper_bound_lognorm_inf(A).value() == 2.0);
  CHECK(linalg::upper_bound_lognorm_2(A).value() >= 2.0);
  A(0, 1) = Interval(-kInf, 0);
  A(1, 0) = A(0, 1);
  CHECK(linalg::upper_bound_norm_2(A).value() == kInf);
  CHECK(linalg::upper_bound_lognorm_2(A).value() == kInf);
}

// ---- solve / inverse ------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("certify_solve and certify_inverse: 2x2", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const Mat<T> A = mat2<T>(2, 1, 1, 2);
  const auto s = linalg::certify_solve(A, vec2<T>(1, 2));  // x = (0, 1)
  REQUIRE(s.verdict.is_proved());
  CHECK(has(s.x(0), 0.0));
  CHECK(has(s.x(1), 1.0));
  CHECK(approx_double(real_t<T>(wid(s.x(1)))) < 1e-14);
  const auto inv = linalg::certify_inverse(A);  // (1/3)[[2, -1], [-1, 2]]
  REQUIRE(inv.verdict.is_proved());
  CHECK(subset(T(2) / T(3), inv.inverse(0, 0)));
  CHECK(subset(T(-1) / T(3), inv.inverse(0, 1)));
  CHECK_THROWS_AS(linalg::certify_solve(A, Vec<T>(3)), std::invalid_argument);
  CHECK_THROWS_AS(linalg::certify_solve(Mat<T>(2, 3), Vec<T>(2)), std::invalid_argument);
  CHECK_THROWS_AS(linalg::certify_inverse(Mat<T>(3, 2)), std::invalid_argument);
  CHECK(linalg::certify_solve(Mat<T>(0, 0), Vec<T>(0)).verdict.is_proved());
}

TEST_CASE_TEMPLATE("certify_inverse: Hilbert matrix n = 4 against its integer inverse", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  Mat<T> H(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) H(i, j) = T(1) / T(i + j + 1);  // encloses 1/(i+j+1)
  const int inv[4][4] = {{16, -120, 240, -140}, {-120, 1200, -2700, 1680}, {240, -2700, 6480, -4200},
                         {-140, 1680, -4200, 2800}};
  const auto r = linalg::certify_inverse(H);
  REQUIRE(r.verdict.is_proved());
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      INFO("entry ", i, ",", j, " = ", text(r.inverse(i, j)));
      CHECK(has(r.inverse(i, j), inv[i][j]));
      CHECK(rel_width(r.inverse(i, j), std::abs(inv[i][j])) < (scalar_traits<T>::is_mp ? 1e-60 : 1e-9));
    }
  Vec<T> b(4);
  b << T(1), T(1), T(1), T(1);
  const auto s = linalg::certify_solve(H, b);  // x = H⁻¹·1 = (−4, 60, −180, 140)
  REQUIRE(s.verdict.is_proved());
  CHECK(has(s.x(0), -4));
  CHECK(has(s.x(1), 60));
  CHECK(has(s.x(2), -180));
  CHECK(has(s.x(3), 140));
}

TEST_CASE_TEMPLATE("certify_solve / certify_inverse: every unknown path", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  // unbounded entries
  Mat<T> U = mat2<T>(1, 0, 0, 1);
  U(0, 1) = T::entire();
  CHECK(linalg::certify_solve(U, vec2<T>(1, 1)).verdict.is_unknown());
  CHECK(linalg::certify_inverse(U).verdict.is_unknown());
  Vec<T> bu = vec2<T>(1, 1);
  bu(1) = T::entire();
  CHECK(linalg::certify_solve(mat2<T>(1, 0, 0, 1), bu).verdict.is_unknown());
  // singular midpoint
  const auto s1 = linalg::certify_solve(mat2<T>(1, 1, 1, 1), vec2<T>(1, 1));
  CHECK(s1.verdict.is_unknown());
  CHECK(s1.verdict.reason().find("singular") != std::string::npos);
  CHECK(linalg::certify_inverse(mat2<T>(1, 1, 1, 1)).verdict.is_unknown());
  // nonsingular midpoint, but [A] contains singular matrices: Krawczyk cannot contract
  Mat<T> W = mat2<T>(2, 0, 0, 2);
  W(0, 1) = make<T>(-3, 3);
  W(1, 0) = make<T>(-3, 3);
  const auto s2 = linalg::certify_solve(W, vec2<T>(1, 1));
  CHECK(s2.verdict.is_unknown());
  CHECK(s2.verdict.reason().find("Krawczyk") != std::string::npos);
  CHECK(linalg::certify_inverse(W).verdict.is_unknown());
  CHECK_FALSE(s2.verdict.is_refuted());
}

// ---- symmetric eigenvalues -----------------------------------------------------------------------
TEST_CASE_TEMPLATE("enclose_symmetric_eigenvalues: [[2,1],[1,2]] has eigenvalues {1, 3}", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const auto e = linalg::enclose_symmetric_eigenvalues(mat2<T>(2, 1, 1, 2));
  REQUIRE(e.verdict.is_proved());
  CHECK(has(e.eigenvalues(0), 1.0));
  CHECK(has(e.eigenvalues(1), 3.0));
  CHECK(rel_width(e.eigenvalues(1), 3.0) < (scalar_traits<T>::is_mp ? 1e-70 : 1e-14));
  CHECK(approx_double(linalg::lower_bound_lambda_min(mat2<T>(2, 1, 1, 2)).value()) <= 1.0);
  CHECK(approx_double(linalg::lower_bound_lambda_min(mat2<T>(2, 1, 1, 2)).value()) >= 1.0 - 1e-14);
  CHECK(approx_double(linalg::upper_bound_lambda_max(mat2<T>(2, 1, 1, 2)).value()) >= 3.0);
  // diagonal, negative, repeated eigenvalues
  Mat<T> D(3, 3);
  D << T(-5), T(0), T(0), T(0), T(2), T(0), T(0), T(0), T(2);
  const auto ed = linalg::enclose_symmetric_eigenvalues(D);
  REQUIRE(ed.verdict.is_proved());
  CHECK(has(ed.eigenvalues(0), -5.0));
  CHECK(has(ed.eigenvalues(1), 2.0));
  CHECK(has(ed.eigenvalues(2), 2.0));
  // 1x1 and empty
  Mat<T> one(1, 1);
  one << make<T>(-1, 2);
  CHECK(linalg::enclose_symmetric_eigenvalues(one).verdict.is_proved());
  CHECK(linalg::enclose_symmetric_eigenvalues(Mat<T>(0, 0)).verdict.is_proved());
}

TEST_CASE_TEMPLATE("enclose_symmetric_eigenvalues: misuse and unknown paths", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  CHECK_THROWS_AS(linalg::enclose_symmetric_eigenvalues(mat2<T>(1, 2, 3, 4)), std::invalid_argument);
  CHECK_THROWS_AS(linalg::enclose_symmetric_eigenvalues(Mat<T>(2, 3)), std::invalid_argument);
  CHECK_THROWS_AS(linalg::lower_bound_lambda_min(mat2<T>(1, 2, 3, 4)).value(), std::invalid_argument);
  CHECK_THROWS_AS(linalg::upper_bound_lambda_max(Mat<T>(0, 0)).value(), std::invalid_argument);
  Mat<T> U = mat2<T>(1, 0, 0, 1);
  U(0, 1) = T::entire();
  U(1, 0) = T::entire();
  CHECK(linalg::enclose_symmetric_eigenvalues(U).verdict.is_unknown());
  CHECK(approx_double(linalg::lower_bound_lambda_min(U).value()) == -kInf);
  CHECK(approx_double(linalg::upper_bound_lambda_max(U).value()) == kInf);
  // a basis that is far from orthonormal: ‖XᵀX − I‖ ≥ 1 ⇒ unknown, not a wrong claim
  Mat<real_t<T>> X(2, 2);
  X << real_t<T>(2), real_t<T>(0), real_t<T>(0), real_t<T>(2);
  const auto r = linalg::detail::symmetric_eigenvalues_with_basis(mat2<T>(2, 1, 1, 2), X);
  CHECK(r.verdict.is_unknown());
  CHECK(r.verdict.reason().find("not < 1") != std::string::npos);
  // exact eigenvector directions but scaled (XᵀX = I/2, f = 1/2): D = diag(1/2, 3/2) exactly, so
  // only the Ostrowski factor [1 − f, 1 + f] recovers {1, 3}
  X << real_t<T>(0.5), real_t<T>(0.5), real_t<T>(-0.5), real_t<T>(0.5);
  const auto r1 = linalg::detail::symmetric_eigenvalues_with_basis(mat2<T>(2, 1, 1, 2), X);
  REQUIRE(r1.verdict.is_proved());
  CHECK(has(r1.eigenvalues(0), 1.0));
  CHECK(has(r1.eigenvalues(1), 3.0));
  // a poor but admissible basis still gives a (wider) valid enclosure
  X << real_t<T>(0.9), real_t<T>(0.3), real_t<T>(-0.3), real_t<T>(0.9);
  const auto r2 = linalg::detail::symmetric_eigenvalues_with_basis(mat2<T>(2, 1, 1, 2), X);
  REQUIRE(r2.verdict.is_proved());
  CHECK(has(r2.eigenvalues(0), 1.0));
  CHECK(has(r2.eigenvalues(1), 3.0));
}

// ---- SPD ------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("certify_spd: proved, refuted, and every unknown path", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const auto p = linalg::certify_spd(mat2<T>(2, 1, 1, 2));
  REQUIRE(p.verdict.is_proved());
  CHECK(approx_double(p.lambda_min_lower) > 0.0);
  CHECK(approx_double(p.lambda_min_lower) <= 1.0);
  CHECK(approx_double(p.lambda_min_lower) >= 0.5);
  // refuted by a Rayleigh quotient: eigenvalues {−1, 3}
  const auto r = linalg::certify_spd(mat2<T>(1, 2, 2, 1));
  CHECK(r.verdict.is_refuted());
  CHECK(r.verdict.reason().find("u^T A u") != std::string::npos);
  // refuted by a non-positive diagonal entry
  const auto rd = linalg::certify_spd(mat2<T>(0, 0, 0, 1));
  CHECK(rd.verdict.is_refuted());
  CHECK(rd.verdict.reason().find("diagonal") != std::string::npos);
  // singular PSD: must NOT be proved (no admissible shift), not refuted either
  const auto u = linalg::certify_spd(mat2<T>(1, 1, 1, 1));
  CHECK(u.verdict.is_unknown());
  CHECK(u.verdict.reason().find("no admissible shift") != std::string::npos);
  // mixed box: contains PD and indefinite members → unknown
  Mat<T> M = mat2<T>(1, 0, 0, 1);
  M(0, 1) = make<T>(-1.5, 1.5);
  M(1, 0) = M(0, 1);
  CHECK(linalg::certify_spd(M).verdict.is_unknown());
  // wide but PD box (λ_min ≥ 0.1 for every member): proved by the middle shift
  Mat<T> W = mat2<T>(1, 0, 0, 1);
  W(0, 1) = make<T>(-0.9, 0.9);
  W(1, 0) = W(0, 1);
  CHECK(linalg::certify_spd(W).verdict.is_proved());
  // the unknown paths of a single shift: Cholesky fails / residual too large / s ≤ 0
  const auto c1 = linalg::detail::certify_spd_with_shift(mat2<T>(2, 1, 1, 2), real_t<T>(1.5));
  CHECK(c1.verdict.is_unknown());
  CHECK(c1.verdict.reason().find("Cholesky of") != std::string::npos);
  const auto c2 = linalg::detail::certify_spd_with_shift(W, real_t<T>(0.5));
  CHECK(c2.verdict.is_unknown());
  CHECK(c2.verdict.reason().find("residual") != std::string::npos);
  CHECK(linalg::detail::certify_spd_with_shift(W, real_t<T>(0)).verdict.is_unknown());
  CHECK(linalg::detail::certify_spd_with_shift(W, real_t<T>(0.95)).verdict.is_proved());
  // unbounded
  Mat<T> U = mat2<T>(1, 0, 0, 1);
  U(0, 1) = T::entire();
  U(1, 0) = T::entire();
  CHECK(linalg::certify_spd(U).verdict.is_unknown());
  // misuse
  CHECK_THROWS_AS(linalg::certify_spd(mat2<T>(2, 1, 0, 2)), std::invalid_argument);
  CHECK_THROWS_AS(linalg::certify_spd(Mat<T>(0, 0)), std::invalid_argument);
}

TEST_CASE_TEMPLATE("certify_spd: Hilbert matrix n = 6 (λ_min ≈ 1.08e-7) is proved", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  Mat<T> H(6, 6);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) H(i, j) = T(1) / T(i + j + 1);
  const auto p = linalg::certify_spd(H);
  REQUIRE(p.verdict.is_proved());
  CHECK(approx_double(p.lambda_min_lower) <= 1.0827e-7);
  CHECK(approx_double(p.lambda_min_lower) > 0.5e-7);
}

// ---- expm -----------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("enclose_expm: rotation, diagonal, nilpotent", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const double tol = scalar_traits<T>::is_mp ? 1e-60 : 1e-12;
  for (double t : {0.0, 0.25, 1.0, 2.5, 3.0, 5.0}) {
    const Mat<T> E = linalg::enclose_expm(mat2<T>(0, t, -t, 0));
    MpPrecisionScope oracle(kOracleBits);  // MPFI cos / sin at 512 bits must be contained
    const MpInterval c = cos(MpInterval(t)), s = sin(MpInterval(t));
    INFO("t = ", t, " E00 = ", text(E(0, 0)), " cos = ", to_string(c, 30));
    CHECK(contains(E(0, 0), c));
    CHECK(contains(E(0, 1), s));
    CHECK(contains(E(1, 0), MpInterval(-s)));
    CHECK(contains(E(1, 1), c));
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) CHECK(rel_width(E(i, j), 1.0) <= tol);
  }
  Mat<T> D(3, 3);
  D << T(1), T(0), T(0), T(0), T(-2), T(0), T(0), T(0), T(0.5);
  const Mat<T> ED = linalg::enclose_expm(D);
  {
    MpPrecisionScope oracle(kOracleBits);
    CHECK(contains(ED(0, 0), exp(MpInterval(1))));
    CHECK(contains(ED(1, 1), exp(MpInterval(-2))));
    CHECK(contains(ED(2, 2), exp(MpInterval(0.5))));
  }
  CHECK(has(ED(0, 1), 0.0));
  CHECK(rel_width(ED(0, 0), 2.718) <= tol);
  const Mat<T> EN = linalg::enclose_expm(mat2<T>(0, 1, 0, 0));
  CHECK(has(EN(0, 0), 1.0));
  CHECK(has(EN(0, 1), 1.0));
  CHECK(has(EN(1, 0), 0.0));
  CHECK(has(EN(1, 1), 1.0));
  CHECK(linalg::enclose_expm(Mat<T>(0, 0)).size() == 0);
}

TEST_CASE_TEMPLATE("enclose_expm: parameters and misuse", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const auto p = linalg::expm_parameters(mat2<T>(0, 5, -5, 0));
  CHECK(p.squarings == 4);  // 5/16 ≤ 1/2 < 5/8
  CHECK(approx_double(p.norm_bound) <= 0.5);
  CHECK(approx_double(p.tail_bound) <= approx_double(linalg::detail::unit_roundoff<T>()));
  if constexpr (scalar_traits<T>::is_mp) CHECK(p.degree > 30);  // grows with the precision
  else CHECK(p.degree <= 14);
  CHECK(linalg::expm_parameters(mat2<T>(0, 0.5, 0, 0)).squarings == 0);
  Mat<T> U = mat2<T>(0, 1, 0, 0);
  U(1, 0) = make<T>(0, kInf);
  CHECK_THROWS_AS(linalg::enclose_expm(U), std::domain_error);
  CHECK_THROWS_AS(linalg::enclose_expm(Mat<T>(2, 3)), std::invalid_argument);
}

// ---- approx helpers ------------------------------------------------------------------------------
TEST_CASE("approx_* helpers: failure is reported, MpReal Jacobi is accurate") {
  MpPrecisionScope scope(kBits);
  MatD S(2, 2);
  S << 1, 1, 1, 1;
  CHECK_FALSE(linalg::approx_inverse(S).has_value());
  CHECK_FALSE(linalg::approx_cholesky(MatD(MatD::Identity(2, 2) * -1.0)).has_value());
  Mat<MpReal> M(3, 3);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) M(i, j) = MpReal(1) / MpReal(i + j + 1);
  const auto e = linalg::approx_symmetric_eigen(M, true);
  REQUIRE(e.has_value());
  // residual ‖M v − λ v‖ tiny at 256 bits
  MpReal worst(0);
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 3; ++i) {
      MpReal r = -e->values(k) * e->vectors(i, k);
      for (int j = 0; j < 3; ++j) r += M(i, j) * e->vectors(j, k);
      if (abs(r) > worst) worst = abs(r);
    }
  CHECK(approx_double(worst) < 1e-70);
  CHECK_FALSE(linalg::approx_inverse(Mat<MpReal>(Mat<MpReal>::Zero(2, 2))).has_value());
  const auto c = linalg::approx_cholesky(M);
  REQUIRE(c.has_value());
}

TEST_CASE("unit: upper_bound_norm_2 stays an upper bound when entries carry more bits than the precision") {
  // A = [[a, a], [a, a]], a = 1 + 2^-40 (a 256-bit point), ‖A‖₂ = 2a; evaluated at 24 bits. The
  // Collatz–Wielandt bound converts G ≥ |A| (doubles) to intervals: a nearest-rounding
  // conversion (the former make_point) turned G into 1 < a and gave 2 < ‖A‖₂.
  const double a = 1.0 + 0x1p-40;
  Mat<MpInterval> A(2, 2);
  for (Eigen::Index j = 0; j < 2; ++j)
    for (Eigen::Index i = 0; i < 2; ++i) A(i, j) = MpInterval(a);  // at the default 256 bits
  MpPrecisionScope p(24);
  const MpReal b = linalg::upper_bound_norm_2(A).value();
  CHECK(mpfr_cmp_d(b.backend().data(), 2 * a) >= 0);  // 2a is exact in binary64
}

TEST_CASE("linalg::row_dots / hadamard: exact small cases, infinite endpoints, shapes, rounding mode") {
  Mat<Interval> A(2, 3), B(2, 3);
  A << Interval(1), Interval(2), Interval(3), Interval(-1, 1), Interval(0.5), Interval(4);
  B << Interval(4), Interval(5), Interval(6), Interval(2), Interval(-2, 2), Interval(0.25);
  const Vec<Interval> s = linalg::row_dots(A, B);
  CHECK(s(0).lower() == 32.0);  // 4 + 10 + 18, exact in binary64: a point
  CHECK(s(0).upper() == 32.0);
  CHECK(s(1).lower() <= -2.0);  // [-1,1]·2 + 0.5·[-2,2] + 1 = [-2, 4]
  CHECK(s(1).upper() >= 4.0);
  CHECK(s(1).lower() >= -2.0 - 1e-15);
  CHECK(s(1).upper() <= 4.0 + 1e-15);
  const Mat<Interval> H = linalg::hadamard(A, B);
  CHECK(H(0, 2).lower() == 18.0);
  CHECK(H(0, 2).upper() == 18.0);
  CHECK(H(1, 0).lower() <= -2.0);
  CHECK(H(1, 0).upper() >= 2.0);
  const Mat<Interval> third = Mat<Interval>::Constant(1, 1, Interval(1.0 / 3.0));
  const Mat<Interval> t2 = linalg::hadamard(third, Mat<Interval>::Constant(1, 1, Interval(3)));
  CHECK(t2(0, 0).lower() <= (1.0 / 3.0) * 3.0);  // the rounded product lies inside, width one ulp
  CHECK(t2(0, 0).upper() - t2(0, 0).lower() <= 2.3e-16);
  Mat<Interval> I(1, 2), J(1, 2);
  I << Interval(-kInf, 1), Interval(1e300);
  J << Interval(1), Interval(1e300);
  const Vec<Interval> si = linalg::row_dots(I, J);
  CHECK(si(0).lower() == -kInf);
  CHECK(si(0).upper() == kInf);  // 1e300·1e300 overflows: Interval fallback
  CHECK(linalg::hadamard(I, J)(0, 1).upper() == kInf);
  CHECK_THROWS_AS(linalg::row_dots(A, Mat<Interval>(2, 2)), std::invalid_argument);
  CHECK_THROWS_AS(linalg::hadamard(A, Mat<Interval>(3, 3)), std::invalid_argument);
  CHECK(linalg::row_dots(Mat<Interval>(2, 0), Mat<Interval>(2, 0))(1).upper() == 0.0);
  CHECK(refuses_upward_rounding([&] { (void)linalg::row_dots(A, B); }));
  CHECK(std::fegetround() == FE_TONEAREST);
}
