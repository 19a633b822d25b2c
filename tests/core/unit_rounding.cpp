// Unit tests of the directed-rounding scope (core/rounding.hpp) and of the conversion API
// (core/convert.hpp): the caller's mode is restored (also when the caller is in FE_DOWNWARD or
// FE_TOWARDZERO), scopes nest, exceptions restore, the kernel check sees a wrong mode, and
// softmax_rows leaves the caller's mode as it found it (the linalg / ode callers:
// tests/ode/rounding_callers_test.cpp); exact / outward / nearest conversions from double, MpReal
// and Rational into Interval and MpInterval.
#include "core_test_util.hpp"

#include "certiformer/core/convert.hpp"
#include "certiformer/core/rounding.hpp"

#include <cfenv>
#include <stdexcept>

using namespace ct;

namespace {

// What binary64 arithmetic really does now: 1 ± 2^-60 in the current mode (operands from
// memory, out of line, so nothing is folded at compile time).
[[gnu::noipa]] Rounding probe_rounding(const double* a, const double* b) {
  const double up = a[0] + b[0];    // 1 + 2^-60
  const double dn = a[0] - b[0];    // 1 − 2^-60
  if (up > 1.0) return Rounding::upward;
  if (dn < 1.0) return up == 1.0 && dn == detail::next_down(1.0) ? Rounding::downward : Rounding::to_nearest;
  return Rounding::to_nearest;
}
Rounding arithmetic_rounding() {
  static const double one[1] = {1.0}, tiny[1] = {0x1p-60};
  // toward zero and downward agree on positive sums; tell them apart on a negative one
  const Rounding r = probe_rounding(one, tiny);
  if (r != Rounding::downward) return r;
  static const double mone[1] = {-1.0};
  volatile double s = mone[0] - tiny[0];  // RD: next_down(−1) (more negative); RZ: −1
  return s == -1.0 ? Rounding::toward_zero : Rounding::downward;
}

/// A kernel following the convention: upward sums of a[0..n) written to out[0].
[[gnu::noipa]] void sum_up_kernel(const RoundingScope& scope, const double* a, int n, double* out) {
  scope.expect(Rounding::upward);
  double s = 0;
  for (int i = 0; i < n; ++i) s += a[i];
  out[0] = s;
}

/// Sets the C rounding mode for a test block and always restores round-to-nearest.
struct CallerMode {
  explicit CallerMode(int m) { std::fesetround(m); }
  ~CallerMode() { std::fesetround(FE_TONEAREST); }
};

void check_mode(Rounding m) {
  CHECK(current_rounding() == m);
  CHECK(std::fegetround() == static_cast<int>(m));  // glibc x86-64: the x87 control word
  CHECK(arithmetic_rounding() == m);
}

}  // namespace

// ---- the scope ------------------------------------------------------------------------------

TEST_CASE("unit: RoundingScope switches and restores the caller's mode (every caller mode)") {
  for (int caller : {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO}) {
    CAPTURE(caller);
    CallerMode cm(caller);
    check_mode(static_cast<Rounding>(caller));
    for (Rounding inner : {Rounding::upward, Rounding::downward, Rounding::to_nearest, Rounding::toward_zero}) {
      {
        RoundingScope s(inner);
        CHECK(s.mode() == inner);
        CHECK(s.caller_mode() == static_cast<Rounding>(caller));
        check_mode(inner);
      }
      check_mode(static_cast<Rounding>(caller));  // the CALLER's mode, not round-to-nearest
    }
  }
  check_mode(Rounding::to_nearest);
}

TEST_CASE("unit: RoundingScope nests; set() switches inside; the caller's mode comes back") {
  CallerMode cm(FE_DOWNWARD);
  {
    RoundingScope outer(Rounding::upward);
    check_mode(Rounding::upward);
    {
      RoundingScope inner(Rounding::to_nearest);
      CHECK(inner.caller_mode() == Rounding::upward);
      check_mode(Rounding::to_nearest);
      inner.set(Rounding::toward_zero);
      check_mode(Rounding::toward_zero);
    }
    check_mode(Rounding::upward);  // the outer scope's mode
    outer.set(Rounding::to_nearest);
    check_mode(Rounding::to_nearest);
  }
  check_mode(Rounding::downward);
}

TEST_CASE("unit: RoundingScope restores the caller's mode when an exception leaves it") {
  CallerMode cm(FE_DOWNWARD);
  bool caught = false;
  try {
    RoundingScope s(Rounding::upward);
    RoundingScope t(Rounding::to_nearest);
    throw std::runtime_error("inside");
  } catch (const std::runtime_error&) {
    caught = true;
    check_mode(Rounding::downward);
  }
  CHECK(caught);
  check_mode(Rounding::downward);
}

TEST_CASE("unit: the kernel check expect() sees a wrong mode; a kernel computes in its mode") {
  const double a[3] = {1.0, 0x1p-60, 0x1p-60};
  double out = 0;
  {
    RoundingScope s(Rounding::upward);
    sum_up_kernel(s, a, 3, &out);
    CHECK(out == detail::next_up(detail::next_up(1.0)));  // each + 2^-60 rounds up by one ulp
  }
  CHECK(arithmetic_rounding() == Rounding::to_nearest);
  {
    RoundingScope s(Rounding::downward);
    CHECK_THROWS_AS(sum_up_kernel(s, a, 3, &out), std::logic_error);  // scope in the wrong mode
    CHECK_THROWS_AS(s.expect(Rounding::upward), std::logic_error);
    CHECK_NOTHROW(s.expect(Rounding::downward));
  }
  {
    RoundingScope s(Rounding::upward);
    std::fesetround(FE_TONEAREST);  // someone switched behind the scope's back
    CHECK_THROWS_AS(s.expect(Rounding::upward), std::logic_error);
  }
  check_mode(Rounding::to_nearest);
}

TEST_CASE("unit: require_round_to_nearest") {
  CHECK_NOTHROW(require_round_to_nearest("t"));
  CallerMode cm(FE_UPWARD);
  CHECK_THROWS_AS(require_round_to_nearest("t"), std::runtime_error);
}

TEST_CASE("unit: softmax_rows refuses a FE_DOWNWARD caller and leaves its mode alone") {
  Mat<Interval> A(2, 3);
  for (Eigen::Index j = 0; j < 3; ++j)
    for (Eigen::Index i = 0; i < 2; ++i) A(i, j) = Interval(0.1 * double(i + j), 0.1 * double(i + j) + 0x1p-20);
  {
    CallerMode cm(FE_DOWNWARD);
    CHECK_THROWS_AS((void)softmax_rows(A), std::runtime_error);
    check_mode(Rounding::downward);
  }
  const Mat<Interval> W = softmax_rows(A);  // in round-to-nearest it works and the mode stays
  CHECK(W.rows() == 2);
  CHECK(contains_zero(W(0, 0)) == false);
  check_mode(Rounding::to_nearest);
}

// ---- conversions ----------------------------------------------------------------------------

TEST_CASE("unit: exact_point is exact or throws (0.1 as a rational, 1/3 in MPFR, 0.1 at 24 bits)") {
  CHECK(equal(exact_point<Interval>(parse_exact("1/4")), Interval(0.25)));
  CHECK_THROWS_AS(exact_point<Interval>(parse_exact("0.1")), std::domain_error);
  CHECK_THROWS_AS(exact_point<MpInterval>(parse_exact("0.1")), std::domain_error);
  CHECK(is_point(exact_point<MpInterval>(parse_exact("3/8"))));
  CHECK(equal(exact_point<Interval>(0.1), Interval(0.1)));  // a double is a dyadic number
  CHECK(is_member(0.1, exact_point<MpInterval>(0.1)));
  CHECK_THROWS_AS(exact_point<Interval>(std::numeric_limits<double>::infinity()), std::domain_error);
  CHECK_THROWS_AS(exact_point<Interval>(std::nan("")), std::domain_error);
  {
    MpReal third;
    mpfr_set_prec(third.backend().data(), 256);
    mpfr_set_ui(third.backend().data(), 1, MPFR_RNDN);
    mpfr_div_ui(third.backend().data(), third.backend().data(), 3, MPFR_RNDN);
    CHECK_THROWS_AS(exact_point<Interval>(third), std::domain_error);
    CHECK_NOTHROW(exact_point<MpInterval>(third));  // 256 bits fit the default precision
    MpPrecisionScope p(113);
    CHECK_THROWS_AS(exact_point<MpInterval>(third), std::domain_error);
  }
  MpPrecisionScope p(24);
  CHECK_THROWS_AS(exact_point<MpInterval>(0.1), std::domain_error);
  CHECK(is_point(exact_point<MpInterval>(0.5)));
}

TEST_CASE("containment: enclose_point<Interval>(MpReal at 256 bits) contains it and is tight") {
  auto g = tst::rng(9101);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::uniform_int_distribution<int> e(-1100, 1030);
  const long n = tst::trials(20000);
  for (long t = 0; t < n; ++t) {
    MpReal v;
    mpfr_set_prec(v.backend().data(), 256);
    // a 256-bit number: the sum of four doubles at spread exponents, times 2^e
    mpfr_set_d(v.backend().data(), u(g), MPFR_RNDN);
    for (int k = 1; k < 4; ++k) {
      mpfr_t w;
      mpfr_init2(w, 256);
      mpfr_set_d(w, u(g), MPFR_RNDN);
      mpfr_mul_2si(w, w, -60 * k, MPFR_RNDN);
      mpfr_add(v.backend().data(), v.backend().data(), w, MPFR_RNDN);
      mpfr_clear(w);
    }
    mpfr_mul_2si(v.backend().data(), v.backend().data(), e(g), MPFR_RNDN);
    const Interval x = enclose_point<Interval>(v);
    const bool inside = mpfr_cmp_d(v.backend().data(), x.lower()) >= 0 && mpfr_cmp_d(v.backend().data(), x.upper()) <= 0;
    const bool tight = x.lower() == x.upper() || detail::next_up(x.lower()) == x.upper() ||
                       (x.lower() == kMax && x.upper() == kInf) || (x.lower() == -kInf && x.upper() == -kMax);
    if (!inside || !tight) {
      FAIL_CHECK("enclose_point<Interval> wrong for v = " << decimal_down(v) << ": " << hx(x));
      break;
    }
    // MpInterval at 113 bits: contains, and a point only when exact
    MpPrecisionScope p(113);
    const MpInterval y = enclose_point<MpInterval>(v);
    CHECK(mpfr_cmp(&y.data()->left, v.backend().data()) <= 0);
    CHECK(mpfr_cmp(&y.data()->right, v.backend().data()) >= 0);
  }
}

TEST_CASE("unit: approx_point rounds to nearest and is NOT an enclosure (documented non-rigorous)") {
  MpReal third;
  mpfr_set_prec(third.backend().data(), 256);
  mpfr_set_ui(third.backend().data(), 1, MPFR_RNDN);
  mpfr_div_ui(third.backend().data(), third.backend().data(), 3, MPFR_RNDN);
  const Interval a = approx_point<Interval>(third);
  CHECK(is_point(a));
  CHECK(a.lower() == mpfr_get_d(third.backend().data(), MPFR_RNDN));
  CHECK(mpfr_cmp_d(third.backend().data(), a.lower()) != 0);  // 1/3 ∉ approx_point(1/3)
  const Interval b = approx_point<Interval>(parse_exact("0.1"));
  CHECK(equal(b, Interval(0.1)));                             // the double nearest 1/10, not 1/10
  CHECK(!is_point(enclose_point<Interval>(parse_exact("0.1"))));
  MpPrecisionScope p(24);
  const MpInterval c = approx_point<MpInterval>(0.1);
  CHECK(is_point(c));
  CHECK(!is_member(0.1, c));
  CHECK(is_member(0.1, enclose_point<MpInterval>(0.1)));
}

TEST_CASE("unit: conversions of infinities, NaN, and the vector / matrix forms") {
  const double inf_d = std::numeric_limits<double>::infinity();
  CHECK(sup(enclose_point<Interval>(inf_d)) == inf_d);
  CHECK(inf(enclose_point<Interval>(-inf_d)) == -inf_d);
  CHECK_THROWS_AS(enclose_point<Interval>(std::nan("")), std::domain_error);
  CHECK_THROWS_AS(approx_point<MpInterval>(std::nan("")), std::domain_error);
  Mat<double> m(2, 2);
  m << 0.5, -0.1, 3.0, 1e-300;
  const Mat<Interval> me = exact_point<Interval>(m);
  CHECK(equal(me(0, 1), Interval(-0.1)));
  const Mat<MpInterval> mm = exact_point<MpInterval>(m.transpose());  // an expression
  CHECK(is_member(-0.1, mm(1, 0)));
  Vec<MpReal> v(2);
  v(0) = MpReal(1) / 3;
  v(1) = MpReal(2);
  const Vec<Interval> ve = enclose_point<Interval>(v);
  CHECK(mpfr_cmp_d(v(0).backend().data(), ve(0).lower()) >= 0);
  CHECK(mpfr_cmp_d(v(0).backend().data(), ve(0).upper()) <= 0);
  CHECK(equal(ve(1), Interval(2.0)));
  CHECK_THROWS_AS((void)exact_point<Interval>(v), std::domain_error);
  const Vec<Interval> va = approx_point<Interval>(v);
  CHECK(is_point(va(0)));
}
