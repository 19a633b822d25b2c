// Containment tests of the linalg module: random interval inputs (fixed seeds, trials scaled by
// CERTIFORMER_TEST_MULTIPLIER), random point data inside them (endpoints and interior doubles),
// independent 512-bit oracles (interval Eigen products, interval Gaussian elimination, a long
// Taylor sum, Jacobi eigenvalues), checked against the binary64 and 256-bit enclosures.
// On failure the inputs are printed as hex floats.
#include "linalg_test_util.hpp"

#include <Eigen/SVD>

#include <type_traits>
#include <vector>

using namespace lt;

namespace {
std::uniform_int_distribution<int> dim(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi); }
}  // namespace

TEST_CASE_TEMPLATE("containment: mul of random interval matrices", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 1102 : 1101);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 25 : 120);
  long checked = 0;
  for (long t = 0; t < n_trials; ++t) {
    // mostly small shapes; every 10th trial a 70x70 product (binary32 radius path for Interval)
    const bool big = (t % 10 == 9) && !scalar_traits<T>::is_mp;
    const int m = big ? 70 : dim(1, 9)(g), k = big ? 70 : dim(1, 9)(g), p = big ? 70 : dim(1, 9)(g);
    const int cls = static_cast<int>(t % 4);
    const Box a = rnd_box(g, m, k, -4, 4, {0, cls});
    const Box b = rnd_box(g, k, p, -4, 4, {0, (cls + 1) % 4});
    const Mat<T> A = to_mat<T>(a), B = to_mat<T>(b);
    std::vector<Mat<T>> results;
    results.push_back(linalg::mul(A, B));
    if constexpr (!scalar_traits<T>::is_mp) {
      results.push_back(linalg::mul(A, B, linalg::ProductMethod::a_priori));
      results.push_back(linalg::mul(A, B, linalg::ProductMethod::directed));
    }
    const Vec<T> xv = to_vec<T>(Box{b.lo.col(0), b.hi.col(0)});
    const Vec<T> yv = linalg::mul(A, xv);
    for (int s = 0; s < (big ? 2 : 4); ++s) {
      const MatD pa = rnd_point(g, a), pb = rnd_point(g, b);
      MpPrecisionScope oracle(kOracleBits);
      const Mat<MpInterval> ex = mp_product(mp_point(pa), mp_point(pb));
      for (std::size_t r = 0; r < results.size(); ++r)
        for (int j = 0; j < p; ++j)
          for (int i = 0; i < m; ++i) {
            ++checked;
            if (!contains(results[r](i, j), ex(i, j))) {
              FAIL_CHECK("method ", r, " entry ", i, ",", j, ": ", text(results[r](i, j)), " misses ",
                         to_string(ex(i, j), 20), "\nA = ", hex_box(a), "\nB = ", hex_box(b),
                         "\npoint A = ", hex_matrix(pa), "\npoint B = ", hex_matrix(pb));
            }
          }
      for (int i = 0; i < m; ++i) CHECK(contains(yv(i), ex(i, 0)));
    }
  }
  CHECK(checked > 0);
}

TEST_CASE("containment: row_dots and hadamard of random interval matrices (512-bit exact sums)") {
  auto g = tst::rng(1103);
  const long n_trials = tst::trials(120);
  long checked = 0;
  for (long t = 0; t < n_trials; ++t) {
    const int m = dim(1, 9)(g), k = (t % 10 == 9) ? 300 : dim(1, 9)(g);
    const int cls = static_cast<int>(t % 4);
    const Box a = rnd_box(g, m, k, -4, 4, {0, cls});
    const Box b = rnd_box(g, m, k, -4, 4, {0, (cls + 1) % 4});
    const Mat<Interval> A = to_mat<Interval>(a), B = to_mat<Interval>(b);
    const Vec<Interval> s = linalg::row_dots(A, B);
    const Mat<Interval> H = linalg::hadamard(A, B);
    for (int q = 0; q < 4; ++q) {
      const MatD pa = rnd_point(g, a), pb = rnd_point(g, b);
      MpPrecisionScope oracle(kOracleBits);
      for (int i = 0; i < m; ++i) {
        MpReal sum(0);
        for (int l = 0; l < k; ++l) {
          const MpReal e = MpReal(pa(i, l)) * MpReal(pb(i, l));  // exact at 512 bits
          sum += e;
          ++checked;
          if (!(MpReal(H(i, l).lower()) <= e && e <= MpReal(H(i, l).upper())))
            FAIL_CHECK("hadamard entry ", i, ",", l, ": ", text(H(i, l)), " misses ", decimal_up(e),
                       "\nA = ", hex_box(a), "\nB = ", hex_box(b));
        }
        if (!(MpReal(s(i).lower()) <= sum && sum <= MpReal(s(i).upper())))
          FAIL_CHECK("row_dots row ", i, ": ", text(s(i)), " misses ", decimal_up(sum), "\nA = ", hex_box(a),
                     "\nB = ", hex_box(b), "\npoint A = ", hex_matrix(pa), "\npoint B = ", hex_matrix(pb));
      }
    }
    // no wider than twice the Interval-arithmetic row sums (midpoint-radius overestimation ≤ 1.5×)
    for (int i = 0; i < m; ++i) {
      Interval r(0);
      for (int l = 0; l < k; ++l) r += A(i, l) * B(i, l);
      CHECK(wid(s(i)) <= 2 * wid(r) + 1e-300 + 1e-14 * mag(r));
    }
  }
  CHECK(checked > 0);
}

TEST_CASE_TEMPLATE("containment: certify_solve and certify_inverse", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 2202 : 2201);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 8 : 40);
  long proved = 0;
  for (long t = 0; t < n_trials; ++t) {
    const int n = dim(1, 7)(g);
    Box a = rnd_box(g, n, n, -2, 1, {0, 1, 2, static_cast<int>(t % 2) ? 3 : 2});
    for (int i = 0; i < n; ++i) {  // diagonally dominant-ish: well conditioned
      a.lo(i, i) += 4.0;
      a.hi(i, i) += 4.0;
    }
    const Box b = rnd_box(g, n, 1, -2, 2, {0, 2});
    const Mat<T> A = to_mat<T>(a);
    const Vec<T> bv = to_vec<T>(b);
    const auto s = linalg::certify_solve(A, bv);
    const auto inv = linalg::certify_inverse(A);
    INFO("A = ", hex_box(a), "\nb = ", hex_box(b));
    REQUIRE(s.verdict.is_proved());
    REQUIRE(inv.verdict.is_proved());
    ++proved;
    for (int q = 0; q < 3; ++q) {
      const MatD pa = rnd_point(g, a), pb = rnd_point(g, b);
      INFO("point A = ", hex_matrix(pa), " point b = ", hex_matrix(pb));
      MpPrecisionScope oracle(kOracleBits);
      const Mat<MpInterval> x = mp_gauss_solve(mp_point(pa), mp_point(pb));
      const Mat<MpInterval> ai = mp_gauss_solve(mp_point(pa), linalg::detail::identity<MpInterval>(n));
      for (int i = 0; i < n; ++i) {
        CHECK(contains(s.x(i), x(i, 0)));
        for (int j = 0; j < n; ++j) CHECK(contains(inv.inverse(i, j), ai(i, j)));
      }
    }
  }
  CHECK(proved == n_trials);
}

TEST_CASE_TEMPLATE("containment: enclose_expm against a 512-bit Taylor sum", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 3302 : 3301);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 6 : 30);
  for (long t = 0; t < n_trials; ++t) {
    const int n = dim(1, 4)(g);
    Box a = rnd_box(g, n, n, -3, 1, {0, static_cast<int>(t % 3) + 1});
    // scale so that ‖A‖∞ ≤ 3 (multiplication by a power of two keeps endpoints exact)
    const double nrm = std::max(a.lo.cwiseAbs().rowwise().sum().maxCoeff(), a.hi.cwiseAbs().rowwise().sum().maxCoeff());
    if (nrm > 3.0) {
      int e = 0;
      std::frexp(nrm / 3.0, &e);
      a.lo = a.lo * std::ldexp(1.0, -e);
      a.hi = a.hi * std::ldexp(1.0, -e);
    }
    const Mat<T> E = linalg::enclose_expm(to_mat<T>(a));
    for (int q = 0; q < 2; ++q) {
      const MatD pa = rnd_point(g, a);
      INFO("A = ", hex_box(a), "\npoint = ", hex_matrix(pa));
      MpPrecisionScope oracle(kOracleBits);
      const Mat<MpInterval> ex = mp_expm_taylor(mp_point(pa));
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
          INFO("entry ", i, ",", j, ": ", text(E(i, j)), " vs ", to_string(ex(i, j), 20));
          CHECK(contains(E(i, j), ex(i, j)));
        }
    }
  }
}

TEST_CASE_TEMPLATE("containment: expm of thin 4x4 matrices is tight (relative width)", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 3312 : 3311);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 3 : 20);
  double worst = 0;
  for (long t = 0; t < n_trials; ++t) {
    Box a = rnd_box(g, 4, 4, -2, 0, {0});
    const double nrm = a.lo.cwiseAbs().rowwise().sum().maxCoeff();
    a.lo *= 3.0 / nrm;  // ‖A‖∞ = 3 up to rounding; thin
    a.hi = a.lo;
    const Mat<T> E = linalg::enclose_expm(to_mat<T>(a));
    double enorm = 0;
    for (int i = 0; i < 4; ++i) {
      double row = 0;
      for (int j = 0; j < 4; ++j) row += std::abs(approx_double(mid(E(i, j))));
      enorm = std::max(enorm, row);
    }
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) worst = std::max(worst, rel_width(E(i, j), enorm));
    MpPrecisionScope oracle(kOracleBits);
    const Mat<MpInterval> ex = mp_expm_taylor(mp_point(a.lo));
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) CHECK(contains(E(i, j), ex(i, j)));
  }
  MESSAGE("worst relative width (to ||e^A||_inf) = ", worst);
  CHECK(worst <= (scalar_traits<T>::is_mp ? 1e-60 : 1e-12));
}

TEST_CASE_TEMPLATE("containment: symmetric eigenvalues, spd and norms at random points", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 4402 : 4401);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 6 : 40);
  long spd_proved = 0;
  for (long t = 0; t < n_trials; ++t) {
    const int n = dim(2, 6)(g);
    Box a = symmetrize(rnd_box(g, n, n, -2, 2, {0, 1, 2, 3}));
    if (t % 2 == 0)
      for (int i = 0; i < n; ++i) {  // shift half of them to be SPD
        a.lo(i, i) += 4.0 * n;
        a.hi(i, i) += 4.0 * n;
      }
    const Mat<T> A = to_mat<T>(a);
    const auto e = linalg::enclose_symmetric_eigenvalues(A);
    REQUIRE(e.verdict.is_proved());
    const auto s = linalg::certify_spd(A);
    if (s.verdict.is_proved()) ++spd_proved;
    const real_t<T> n2 = linalg::upper_bound_norm_2(A).value(), nF = linalg::upper_bound_norm_frobenius(A).value();
    const real_t<T> mu2 = linalg::upper_bound_lognorm_2(A).value(), muinf = linalg::upper_bound_lognorm_inf(A).value();
    const real_t<T> lmin = linalg::lower_bound_lambda_min(A).value(), lmax = linalg::upper_bound_lambda_max(A).value();
    for (int q = 0; q < 3; ++q) {
      const MatD p = rnd_point(g, a, true);
      INFO("A = ", hex_box(a), "\npoint = ", hex_matrix(p));
      MpPrecisionScope oracle(kOracleBits);
      const Vec<MpReal> lam = mp_eigenvalues(p);
      for (int i = 0; i < n; ++i) {
        INFO("lambda_", i, " = ", to_string(MpInterval(lam(i), lam(i)), 25), " encl ", text(e.eigenvalues(i)));
        CHECK(contains_real(e.eigenvalues(i), lam(i)));
      }
      // symmetric point: ‖A‖₂ = max |λ|, μ₂ = λ_max
      const MpReal spec = std::max(MpReal(abs(lam(0))), MpReal(abs(lam(n - 1))));
      CHECK(spec <= MpReal(n2));
      CHECK(lam(n - 1) <= MpReal(mu2));
      CHECK(lam(n - 1) <= MpReal(muinf));  // μ∞ ≥ max Gershgorin ≥ λ_max
      CHECK(lam(n - 1) <= MpReal(lmax));
      CHECK(lam(0) >= MpReal(lmin));
      MpReal fro(0);
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) fro += MpReal(p(i, j)) * MpReal(p(i, j));
      CHECK(sqrt(fro) <= MpReal(nF));
      if (s.verdict.is_proved()) CHECK(lam(0) >= MpReal(s.lambda_min_lower));
      if (s.verdict.is_refuted()) CHECK(lam(0) < 0);
    }
  }
  CHECK(spd_proved > 0);
}

TEST_CASE_TEMPLATE("containment: norms of random non-symmetric boxes", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 5502 : 5501);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 6 : 40);
  for (long t = 0; t < n_trials; ++t) {
    const int m = dim(1, 6)(g), n = dim(1, 6)(g);
    const Box a = rnd_box(g, m, n, -3, 3, {0, 2, 3});
    const Mat<T> A = to_mat<T>(a);
    const real_t<T> n1 = linalg::upper_bound_norm_1(A).value(), ninf = linalg::upper_bound_norm_inf(A).value(), n2 = linalg::upper_bound_norm_2(A).value();
    for (int q = 0; q < 3; ++q) {
      const MatD p = rnd_point(g, a);
      INFO("A = ", hex_box(a), "\npoint = ", hex_matrix(p));
      MpPrecisionScope oracle(kOracleBits);
      // ‖P‖₂² = λ_max(PᵀP), with PᵀP formed exactly at 512 bits (products of doubles)
      Mat<MpReal> PtP(n, n);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
          MpReal s(0);
          for (int k = 0; k < m; ++k) s += MpReal(p(k, i)) * MpReal(p(k, j));
          PtP(i, j) = s;
        }
      const auto ev = linalg::approx_symmetric_eigen(PtP, false);
      REQUIRE(ev.has_value());
      CHECK(sqrt(MpReal(abs(ev->values(n - 1)))) <= MpReal(n2));
      CHECK(MpReal(p.cwiseAbs().colwise().sum().maxCoeff()) <= MpReal(n1) * (1 + 1e-15));
      CHECK(MpReal(p.cwiseAbs().rowwise().sum().maxCoeff()) <= MpReal(ninf) * (1 + 1e-15));
      if (m == n) {
        const real_t<T> mu2 = linalg::upper_bound_lognorm_2(A).value();
        Mat<MpReal> S(n, n);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j) S(i, j) = (MpReal(p(i, j)) + MpReal(p(j, i))) / 2;
        const auto es = linalg::approx_symmetric_eigen(S, false);
        REQUIRE(es.has_value());
        CHECK(es->values(n - 1) <= MpReal(mu2));
      }
    }
  }
}

TEST_CASE_TEMPLATE("containment: Schatten-4 bounds of random boxes and of stacked blocks", T, Interval, MpInterval) {
  // Oracle: ‖P‖_{S4}⁴ = Σ λ_k(PᵀP)², PᵀP formed exactly at 512 bits, λ by Jacobi at 512 bits.
  MpPrecisionScope scope(kBits);
  auto g = tst::rng(scalar_traits<T>::is_mp ? 5504 : 5503);
  const long n_trials = tst::trials(scalar_traits<T>::is_mp ? 6 : 40);
  for (long t = 0; t < n_trials; ++t) {
    const int b = dim(1, 5)(g), c = dim(1, 5)(g), q = dim(1, 4)(g);
    const Box a = rnd_box(g, q * b, c, -3, 3, {0, 2, 3});
    const Mat<T> A = to_mat<T>(a);
    std::vector<real_t<T>> bounds;
    for (int j = 0; j < q; ++j) bounds.push_back(linalg::upper_bound_norm_schatten4<T>(Mat<T>(A.middleRows(j * b, b))).value());
    if constexpr (std::is_same_v<T, Interval>) {
      const auto batch = linalg::upper_bounds_schatten4_blocks(A, b);
      REQUIRE(batch.size() == static_cast<std::size_t>(q));
      for (int j = 0; j < q; ++j) CHECK(batch[static_cast<std::size_t>(j)].value() == bounds[static_cast<std::size_t>(j)]);
    }
    for (int s = 0; s < 3; ++s) {
      const MatD p = rnd_point(g, a);
      INFO("A = ", hex_box(a), "\npoint = ", hex_matrix(p), "\nblock size ", b);
      MpPrecisionScope oracle(kOracleBits);
      for (int j = 0; j < q; ++j) {
        Mat<MpReal> PtP(c, c);
        for (int k = 0; k < c; ++k)
          for (int l = 0; l < c; ++l) {
            MpReal sum(0);
            for (int r = 0; r < b; ++r) sum += MpReal(p(j * b + r, k)) * MpReal(p(j * b + r, l));
            PtP(k, l) = sum;
          }
        const auto ev = linalg::approx_symmetric_eigen(PtP, false);
        REQUIRE(ev.has_value());
        MpReal s4(0);
        for (int k = 0; k < c; ++k) s4 += ev->values(k) * ev->values(k);
        CHECK(sqrt(sqrt(s4)) <= MpReal(bounds[static_cast<std::size_t>(j)]) * (1 + 1e-30));
        // S4 ≥ ‖P‖₂ (the property the bound is used for)
        CHECK(sqrt(MpReal(abs(ev->values(c - 1)))) <= MpReal(bounds[static_cast<std::size_t>(j)]));
      }
    }
  }
}

TEST_CASE_TEMPLATE("Schatten-4 bound: exact cases and the radius term", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  Mat<T> D = Mat<T>::Constant(2, 2, T(0));
  D(0, 0) = T(3);
  D(1, 1) = T(-4);
  const double s4 = std::pow(337.0, 0.25);  // (3⁴ + 4⁴)^{1/4}
  const MpReal v(linalg::upper_bound_norm_schatten4<T>(D).value());
  CHECK(v >= MpReal(s4) * (1 - 1e-15));
  CHECK(v <= MpReal(s4) * (1 + 1e-14));
  Mat<T> W(1, 1);
  W(0, 0) = T(Interval(0.5, 1.5));  // every real a ∈ [0.5, 1.5]: ‖a‖ up to 1.5
  CHECK(MpReal(linalg::upper_bound_norm_schatten4<T>(W).value()) >= MpReal(1.5));
  Mat<T> R(2, 3);
  R << T(Interval(1, 2)), T(-1), T(0), T(0), T(2), T(Interval(-3, 3));  // the largest corner needs both radii
  const MpReal r(linalg::upper_bound_norm_schatten4<T>(R).value());
  Eigen::MatrixXd P(2, 3);
  P << 2, -1, 0, 0, 2, 3;
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(P);
  double e = 0;
  for (int k = 0; k < svd.singularValues().size(); ++k) e += std::pow(svd.singularValues()(k), 4);
  CHECK(r >= MpReal(std::pow(e, 0.25)) * (1 - 1e-14));
}
