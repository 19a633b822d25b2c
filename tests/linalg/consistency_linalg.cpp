// Consistency tests of the linalg module: the same quantity two ways.
//  * mid-rad mul vs the Eigen interval triple loop (both must contain the 512-bit point
//    products; mid-rad may be wider by at most Rump's factor 1.5 in radius plus rounding);
//  * expm(A)·expm(−A) ∋ I, expm(A) = expm(A/2)², expm of a diagonalisable matrix vs V e^Λ V⁻¹;
//  * certify_solve vs certify_inverse·b; eigenvalue sum vs trace; Interval vs MpInterval.
#include "linalg_test_util.hpp"

using namespace lt;

TEST_CASE("consistency: mid-rad mul vs interval triple loop (Interval)") {
  auto g = tst::rng(6601);
  const long n_trials = tst::trials(60);
  for (long t = 0; t < n_trials; ++t) {
    const int n = 1 + static_cast<int>(t % 12);
    const int cls = static_cast<int>(t % 4);
    const Box a = rnd_box(g, n, n, -3, 3, {cls}), b = rnd_box(g, n, n, -3, 3, {(cls + 2) % 4});
    const Mat<Interval> A = to_mat<Interval>(a), B = to_mat<Interval>(b);
    const Mat<Interval> tl = A * B;  // Eigen's interval-scalar product
    MatD magA(n, n), magB(n, n);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        magA(i, j) = mag(A(i, j));
        magB(i, j) = mag(B(i, j));
      }
    const MatD magAB = magA * magB;
    for (auto method : {linalg::ProductMethod::automatic, linalg::ProductMethod::a_priori, linalg::ProductMethod::directed}) {
      const Mat<Interval> mr = linalg::mul(A, B, method);
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
          INFO("A = ", hex_box(a), "\nB = ", hex_box(b), "\nentry ", i, ",", j, " midrad ", text(mr(i, j)),
               " loop ", text(tl(i, j)));
          CHECK(overlaps(mr(i, j), tl(i, j)));
          // radius of mid-rad ≤ 1.5 × the exact hull radius (Rump 1999) + rounding terms
          // ≤ 2(n+3)·u·(|A||B|)_ij (γ term, directed-rounding gaps, radius roundings)
          const double slack = 2.02 * (n + 3) * 0x1p-53 * magAB(i, j) + 1e-300;
          CHECK(rad(mr(i, j)) <= 1.5 * rad(tl(i, j)) + slack);
        }
      const MatD pa = rnd_point(g, a), pb = rnd_point(g, b);
      MpPrecisionScope oracle(kOracleBits);
      const Mat<MpInterval> ex = mp_product(mp_point(pa), mp_point(pb));
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
          CHECK(contains(mr(i, j), ex(i, j)));
          CHECK(contains(tl(i, j), ex(i, j)));
        }
    }
  }
}

TEST_CASE_TEMPLATE("consistency: expm(A)·expm(-A) contains I and expm(A) = expm(A/2)^2", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 6612 : 6611);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 4 : 25);
  for (long t = 0; t < n_trials; ++t) {
    const int n = 1 + static_cast<int>(t % 5);
    const Box a = rnd_box(g, n, n, -2, 1, {0, 1, 2});
    const Mat<T> A = to_mat<T>(a);
    const Mat<T> E = linalg::enclose_expm(A), Em = linalg::enclose_expm(Mat<T>(-A));
    const Mat<T> P = linalg::mul(E, Em);
    Mat<T> H(n, n);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) H(i, j) = ldexp(A(i, j), -1);
    const Mat<T> Eh = linalg::enclose_expm(H);
    const Mat<T> E2 = linalg::mul(Eh, Eh);
    INFO("A = ", hex_box(a));
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) {
        CHECK(is_member(i == j ? 1.0 : 0.0, P(i, j)));
        CHECK(overlaps(E(i, j), E2(i, j)));
      }
  }
}

TEST_CASE_TEMPLATE("consistency: expm of V diag(d) V^-1 vs V e^d V^-1", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  // V = [[1, 1], [0, 1]], V⁻¹ = [[1, −1], [0, 1]], d = (a, b): A = [[a, b − a], [0, b]],
  // e^A = [[e^a, e^b − e^a], [0, e^b]].
  for (double a : {-1.5, 0.25, 2.0})
    for (double b : {-0.75, 1.0, 3.0}) {
      Mat<T> A(2, 2);
      A << T(a), T(b) - T(a), T(0), T(b);
      const Mat<T> E = linalg::enclose_expm(A);
      const T ea = exp(T(a)), eb = exp(T(b));
      CHECK(overlaps(E(0, 0), ea));
      CHECK(overlaps(E(0, 1), T(eb - ea)));
      CHECK(is_member(0.0, E(1, 0)));
      CHECK(overlaps(E(1, 1), eb));
    }
}

TEST_CASE_TEMPLATE("consistency: certify_solve vs certify_inverse * b, eigenvalue sum vs trace", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 6622 : 6621);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 4 : 25);
  for (long t = 0; t < n_trials; ++t) {
    const int n = 2 + static_cast<int>(t % 5);
    Box a = rnd_box(g, n, n, -2, 1, {0, 2});
    for (int i = 0; i < n; ++i) {
      a.lo(i, i) += 3.0;
      a.hi(i, i) += 3.0;
    }
    const Box b = rnd_box(g, n, 1, -1, 1, {0});
    const Mat<T> A = to_mat<T>(a);
    const Vec<T> bv = to_vec<T>(b);
    const auto s = linalg::certify_solve(A, bv);
    const auto inv = linalg::certify_inverse(A);
    REQUIRE(s.verdict.is_proved());
    REQUIRE(inv.verdict.is_proved());
    const Vec<T> x2 = linalg::mul(inv.inverse, bv);
    for (int i = 0; i < n; ++i) CHECK(overlaps(s.x(i), x2(i)));
    // A·A⁻¹ ∋ I for the point matrices… and for the box: linalg::mul(A, inverse) must contain I
    const Mat<T> I2 = linalg::mul(A, inv.inverse);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) CHECK(is_member(i == j ? 1.0 : 0.0, I2(i, j)));
    // symmetric part: Σ λ_i = trace for every member
    const Box sa = symmetrize(a);
    const Mat<T> S = to_mat<T>(sa);
    const auto e = linalg::enclose_symmetric_eigenvalues(S);
    REQUIRE(e.verdict.is_proved());
    T sum(0), tr(0);
    for (int i = 0; i < n; ++i) {
      sum += e.eigenvalues(i);
      tr += S(i, i);
    }
    CHECK(overlaps(sum, tr));
    // ascending order and consistency with the λ_min / λ_max bounds
    for (int i = 0; i + 1 < n; ++i) CHECK(possibly_less_equal(e.eigenvalues(i), e.eigenvalues(i + 1)));
    CHECK(linalg::lower_bound_lambda_min(S).value() <= sup(e.eigenvalues(0)));
    CHECK(linalg::upper_bound_lambda_max(S).value() >= inf(e.eigenvalues(n - 1)));
  }
}

TEST_CASE("consistency: Interval and MpInterval enclosures overlap") {
  auto g = tst::rng(6631);
  const long n_trials = tst::trials(6);
  MpPrecisionScope scope(kBits);
  for (long t = 0; t < n_trials; ++t) {
    const int n = 2 + static_cast<int>(t % 4);
    Box a = symmetrize(rnd_box(g, n, n, -2, 1, {0, 2}));
    for (int i = 0; i < n; ++i) {
      a.lo(i, i) += 3.0;
      a.hi(i, i) += 3.0;
    }
    const Mat<Interval> Ad = to_mat<Interval>(a);
    const Mat<MpInterval> Am = to_mat<MpInterval>(a);
    const Mat<Interval> Ed = linalg::enclose_expm(Ad);
    const Mat<MpInterval> Em = linalg::enclose_expm(Am);
    const auto ed = linalg::enclose_symmetric_eigenvalues(Ad);
    const auto em = linalg::enclose_symmetric_eigenvalues(Am);
    const auto id = linalg::certify_inverse(Ad);
    const auto im = linalg::certify_inverse(Am);
    REQUIRE(ed.verdict.is_proved());
    REQUIRE(em.verdict.is_proved());
    REQUIRE(id.verdict.is_proved());
    REQUIRE(im.verdict.is_proved());
    INFO("A = ", hex_box(a));
    for (int i = 0; i < n; ++i) {
      CHECK_FALSE(disjoint(to_interval(em.eigenvalues(i)), ed.eigenvalues(i)));
      for (int j = 0; j < n; ++j) {
        CHECK_FALSE(disjoint(to_interval(Em(i, j)), Ed(i, j)));
        CHECK_FALSE(disjoint(to_interval(im.inverse(i, j)), id.inverse(i, j)));
      }
    }
    // SPD verdicts agree when both decide
    const auto sd = linalg::certify_spd(Ad);
    const auto sm = linalg::certify_spd(Am);
    if (!sd.verdict.is_unknown() && !sm.verdict.is_unknown()) CHECK(sd.verdict.status() == sm.verdict.status());
  }
}
