// Unit tests of the one Krawczyk / interval-Newton test (linalg/krawczyk.hpp): closed-form zeros
// at binary64 and 256 bits against 512-bit oracles, every verdict path (proved / refuted /
// unknown) of certify_zero_in_box and certify_zero_near, misuse, and the core step's rules
// (strict interior; the Jacobian enclosed over the whole box, not only at the centre).
#include "linalg_test_util.hpp"

#include <cmath>

using namespace lt;

namespace {

template <class T> Vec<T> vec1(const T& a) {
  Vec<T> v(1);
  v << a;
  return v;
}
template <class T> Vec<T> box1(double lo, double hi) { return vec1<T>(make<T>(lo, hi)); }

// F(x) = x² − 2, F'(x) = 2x (zeros ±√2).
struct Sqrt2 {
  template <class T> Vec<T> operator()(const Vec<T>& x) const { return vec1<T>(sqr(x(0)) - T(2)); }
};
struct Sqrt2Jac {
  template <class T> Mat<T> operator()(const Vec<T>& x) const {
    Mat<T> J(1, 1);
    J << T(2) * x(0);
    return J;
  }
};
// F(x) = x³ − x, F'(x) = 3x² − 1 (zeros −1, 0, 1).
struct Cubic {
  template <class T> Vec<T> operator()(const Vec<T>& x) const { return vec1<T>(x(0) * sqr(x(0)) - x(0)); }
};
struct CubicJac {
  template <class T> Mat<T> operator()(const Vec<T>& x) const {
    Mat<T> J(1, 1);
    J << T(3) * sqr(x(0)) - T(1);
    return J;
  }
};
// F(x, y) = (x² + y² − 1, x − y): zeros ±(1/√2, 1/√2).
struct Circle {
  template <class T> Vec<T> operator()(const Vec<T>& z) const {
    Vec<T> r(2);
    r << sqr(z(0)) + sqr(z(1)) - T(1), z(0) - z(1);
    return r;
  }
};
struct CircleJac {
  template <class T> Mat<T> operator()(const Vec<T>& z) const {
    Mat<T> J(2, 2);
    J << T(2) * z(0), T(2) * z(1), T(1), T(-1);
    return J;
  }
};

/// 512-bit oracle: √2 and 1/√2.
MpInterval oracle_sqrt2() {
  MpPrecisionScope s(kOracleBits);
  return sqrt(MpInterval(2));
}
MpInterval oracle_inv_sqrt2() {
  MpPrecisionScope s(kOracleBits);
  return MpInterval(1) / sqrt(MpInterval(2));
}
template <class T> double tol() { return scalar_traits<T>::is_mp ? 1e-70 : 1e-14; }
template <class T> double width(const T& x) { return double_up(wid(x)); }

}  // namespace

TEST_CASE_TEMPLATE("certify_zero_near: x^2 - 2 from a close and from a far start encloses sqrt(2)", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const MpInterval s2 = oracle_sqrt2();
  for (const double x0 : {1.4142135623730951, 1.41, 1.0}) {
    INFO("x0 = ", x0);
    Vec<real_t<T>> x(1);
    x << real_t<T>(x0);
    const auto r = linalg::certify_zero_near<T>(Sqrt2{}, Sqrt2Jac{}, x);
    INFO(r.verdict.reason());
    REQUIRE(r.verdict.is_proved());
    CHECK(contains(r.enclosure(0), s2));
    CHECK(subset(r.enclosure(0), r.box(0)));
    if (x0 > 1.414) CHECK(width(r.enclosure(0)) < 1e-15);  // x̃ is a binary64 guess
    // the proved box holds exactly one zero: −√2 is not in it
    CHECK_FALSE(contains(r.box(0), MpInterval(-s2)));
  }
  // a full-precision start gives a full-precision enclosure
  Vec<real_t<T>> xs(1);
  xs << mid(sqrt(T(2)));
  const auto rs = linalg::certify_zero_near<T>(Sqrt2{}, Sqrt2Jac{}, xs);
  REQUIRE(rs.verdict.is_proved());
  CHECK(contains(rs.enclosure(0), s2));
  CHECK(width(rs.enclosure(0)) < tol<T>());
  // from −1.3 it finds −√2
  Vec<real_t<T>> xm(1);
  xm << real_t<T>(-1.3);
  const auto rm = linalg::certify_zero_near<T>(Sqrt2{}, Sqrt2Jac{}, xm);
  REQUIRE(rm.verdict.is_proved());
  CHECK(contains(rm.enclosure(0), MpInterval(-s2)));
}

TEST_CASE_TEMPLATE("certify_zero_near: a 2-D system (circle ∩ diagonal) encloses (1/√2, 1/√2)", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  const MpInterval r2 = oracle_inv_sqrt2();
  Vec<real_t<T>> x(2);
  x << real_t<T>(0.7), real_t<T>(0.72);
  const auto r = linalg::certify_zero_near<T>(Circle{}, CircleJac{}, x);
  INFO(r.verdict.reason());
  REQUIRE(r.verdict.is_proved());
  for (int i = 0; i < 2; ++i) {
    CHECK(contains(r.enclosure(i), r2));
    CHECK_FALSE(contains(r.box(i), MpInterval(-r2)));
  }
  // Newton-accurate start: tight enclosure
  Vec<real_t<T>> xa(2);
  xa << real_t<T>(0.70710678118654752), real_t<T>(0.70710678118654752);
  const auto ra = linalg::certify_zero_near<T>(Circle{}, CircleJac{}, xa);
  REQUIRE(ra.verdict.is_proved());
  CHECK(width(ra.enclosure(0)) < (scalar_traits<T>::is_mp ? 1e-15 : 1e-14));  // x̃ is only a binary64 guess
  CHECK(contains(ra.enclosure(1), r2));
}

TEST_CASE_TEMPLATE("certify_zero_in_box: proved, refuted ('no zero') and unknown ('too wide') on given boxes", T, Interval,
                   MpInterval) {
  MpPrecisionScope scope(kBits);
  // [1, 2] holds exactly √2: K = [1.25, 1.5834] ⊂ int [1, 2]
  const auto p = linalg::certify_zero_in_box<T>(Sqrt2{}, Sqrt2Jac{}, box1<T>(1, 2));
  INFO(p.verdict.reason());
  REQUIRE(p.verdict.is_proved());
  CHECK(contains(p.enclosure(0), oracle_sqrt2()));
  CHECK(sup(p.enclosure(0)) < 1.59);
  // [2, 3] holds no zero: K = [1.55, 1.75] misses it
  const auto q = linalg::certify_zero_in_box<T>(Sqrt2{}, Sqrt2Jac{}, box1<T>(2, 3));
  CHECK(q.verdict.is_refuted());
  // a box holding three zeros of x³ − x: never proved; the Newton point from
  // the centre −0.05 lies inside, so a test that used only F'(m) would claim a unique zero here
  const auto c = linalg::certify_zero_in_box<T>(Cubic{}, CubicJac{}, box1<T>(-1.2, 1.1));
  CHECK(c.verdict.is_unknown());
  // too wide around one zero: [0.1, 5] holds only √2, but K(X) ⊄ int(X) (while [0.5, 3] is
  // proved: K = [0.55, 2.34])
  const auto w = linalg::certify_zero_in_box<T>(Sqrt2{}, Sqrt2Jac{}, box1<T>(0.1, 5));
  CHECK(linalg::certify_zero_in_box<T>(Sqrt2{}, Sqrt2Jac{}, box1<T>(0.5, 3)).verdict.is_proved());
  CHECK(w.verdict.is_unknown());
  // a 2-D box around (1/√2, 1/√2)
  Vec<T> X(2);
  X << make<T>(0.6, 0.8), make<T>(0.6, 0.8);
  const auto b = linalg::certify_zero_in_box<T>(Circle{}, CircleJac{}, X);
  REQUIRE(b.verdict.is_proved());
  CHECK(contains(b.enclosure(0), oracle_inv_sqrt2()));
  // singular midpoint Jacobian: unknown with a reason
  const auto s = linalg::certify_zero_in_box<T>(Sqrt2{}, Sqrt2Jac{}, box1<T>(-1, 1));
  CHECK(s.verdict.is_unknown());
  CHECK(s.verdict.reason().find("singular") != std::string::npos);
  // unbounded box
  Vec<T> U(1);
  U << T::entire();
  CHECK(linalg::certify_zero_in_box<T>(Sqrt2{}, Sqrt2Jac{}, U).verdict.is_unknown());
}

TEST_CASE_TEMPLATE("certify_zero_near: every unknown path, never refuted", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  Vec<real_t<T>> x(1);
  // x² + 2 has no real zero: unknown (the boxes drift, nothing is proved)
  struct NoZero {
    Vec<T> operator()(const Vec<T>& v) const { return vec1<T>(sqr(v(0)) + T(2)); }
  };
  x << real_t<T>(0.5);
  const auto a = linalg::certify_zero_near<T>(NoZero{}, Sqrt2Jac{}, x);
  CHECK(a.verdict.is_unknown());
  CHECK_FALSE(a.verdict.is_refuted());
  // a double zero (x²): the Jacobian at the zero is singular
  struct Square {
    Vec<T> operator()(const Vec<T>& v) const { return vec1<T>(sqr(v(0))); }
  };
  x << real_t<T>(0);
  const auto d = linalg::certify_zero_near<T>(Square{}, Sqrt2Jac{}, x);
  CHECK(d.verdict.is_unknown());
  CHECK(d.verdict.reason().find("singular") != std::string::npos);
  // near (not at) the double zero: never proved
  x << real_t<T>(1e-3);
  CHECK(linalg::certify_zero_near<T>(Square{}, Sqrt2Jac{}, x).verdict.is_unknown());
  // too wide: F with an interval parameter c ∈ [0, 4], F(x) = x² − c: the member c = 0 has a
  // double zero, so no box can be proved
  struct Wide {
    Vec<T> operator()(const Vec<T>& v) const { return vec1<T>(sqr(v(0)) - make<T>(0, 4)); }
  };
  x << real_t<T>(1.4);
  CHECK(linalg::certify_zero_near<T>(Wide{}, Sqrt2Jac{}, x).verdict.is_unknown());
  // non-finite start
  x << real_t<T>(std::numeric_limits<double>::quiet_NaN());
  CHECK(linalg::certify_zero_near<T>(Sqrt2{}, Sqrt2Jac{}, x).verdict.is_unknown());
  // misuse: sizes
  struct Bad {
    Vec<T> operator()(const Vec<T>&) const { return Vec<T>(2); }
  };
  x << real_t<T>(1.4);
  CHECK_THROWS_AS(linalg::certify_zero_near<T>(Bad{}, Sqrt2Jac{}, x), std::invalid_argument);
  CHECK_THROWS_AS(linalg::certify_zero_near<T>(Sqrt2{}, Sqrt2Jac{}, Vec<real_t<T>>(0)), std::invalid_argument);
}

TEST_CASE_TEMPLATE("interval parameters: a narrow parameter box gives a zero for every member", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  // F(x) = x² − c, c ∈ [2 − 1e-9, 2 + 1e-9]: one box contains every √c
  struct Param {
    Vec<T> operator()(const Vec<T>& v) const { return vec1<T>(sqr(v(0)) - make<T>(2 - 1e-9, 2 + 1e-9)); }
  };
  Vec<real_t<T>> x(1);
  x << real_t<T>(1.4142135623730951);
  const auto r = linalg::certify_zero_near<T>(Param{}, Sqrt2Jac{}, x);
  REQUIRE(r.verdict.is_proved());
  CHECK(contains(r.enclosure(0), oracle_sqrt2()));
  CHECK(width(r.enclosure(0)) > 5e-10);   // ⊇ [√(2 − 1e-9), √(2 + 1e-9)], width ≈ 7.07e-10
  CHECK(width(r.enclosure(0)) < 1e-8);
}

TEST_CASE_TEMPLATE("krawczyk_test (core step): strict interior, outer/inner offsets, disjointness", T, Interval, MpInterval) {
  MpPrecisionScope scope(kBits);
  using linalg::detail::KrawczykOutcome;
  Mat<T> Z(1, 1), C(1, 1), X(1, 1), M(1, 1), K;
  // F ≡ 0 on [−1, 1] (every point a zero), Y = 1: K(X) = X. K ⊆ X but not interior: undecided.
  Z << T(0);
  C << T(1);
  X << make<T>(-1, 1);
  M << T(0);
  CHECK(linalg::detail::krawczyk_test<T>(Z, C, X, M, K) == linalg::detail::KrawczykOutcome::undecided);
  // a contraction: inside
  C << make<T>(-0.5, 0.5);
  CHECK(linalg::detail::krawczyk_test<T>(Z, C, X, M, K) == linalg::detail::KrawczykOutcome::inside);
  // K touching the boundary from inside with the centre off-zero: Z = 0.5, C = [−0.5, 0.5]:
  // K − m = [0, 1] ⊄ int [−1, 1]
  Z << T(0.5);
  CHECK(linalg::detail::krawczyk_test<T>(Z, C, X, M, K) == linalg::detail::KrawczykOutcome::undecided);
  // shifted far away: disjoint
  Z << T(3);
  CHECK(linalg::detail::krawczyk_test<T>(Z, C, X, M, K) == linalg::detail::KrawczykOutcome::disjoint);
  // unbounded
  C << T::entire();
  Z << T(0);
  CHECK(linalg::detail::krawczyk_test<T>(Z, C, X, M, K) == linalg::detail::KrawczykOutcome::unbounded);
  // offsets far below ulp(m): the test is about the representable box X, m = 1 + 2^-52·(0.5)
  // rounded; X = [1 − 2^-52, 1 + 2^-51] holds 1, Z tiny: inside.
  C << T(0);
  M << T(1);
  X << make<T>(1 - 0x1p-52, 1 + 0x1p-51);
  Z << make<T>(-1e-30, 1e-30);
  CHECK(linalg::detail::krawczyk_test<T>(Z, C, X, M, K) == linalg::detail::KrawczykOutcome::inside);
  // the centre on the boundary of X: K − m = Z must lie strictly inside X − m = [0, 2^-51]
  X << make<T>(1, 1 + 0x1p-51);
  CHECK(linalg::detail::krawczyk_test<T>(Z, C, X, M, K) == linalg::detail::KrawczykOutcome::undecided);
}
