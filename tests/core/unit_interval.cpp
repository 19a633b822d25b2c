// Unit tests of the core scalars: construction, text input, IEEE 1788 queries, set equality,
// three-valued comparisons, domain errors, sqrt / pow / ldexp / abs / sqr / min / max.
// TEST_CASE_TEMPLATE runs each test on Interval and on MpInterval (default 256 bits).
#include "core_test_util.hpp"

#include <cstdint>

using namespace ct;

namespace {

/// [lo, hi] of type T (exact: the precision is ≥ 53 bits in these tests).
template <class T> T mk(double lo, double hi) {
  if constexpr (std::is_same_v<T, Interval>) return Interval(lo, hi);
  else return MpInterval(Interval(lo, hi));
}
template <class T> T pt(double v) { return mk<T>(v, v); }

/// Endpoints are exactly lo and hi.
template <class T> bool is(const T& x, double lo, double hi) {
  if constexpr (std::is_same_v<T, Interval>) return x.lower() == lo && x.upper() == hi;
  else return mpfr_cmp_d(&x.data()->left, lo) == 0 && mpfr_cmp_d(&x.data()->right, hi) == 0;
}

/// lo ≤ q ≤ hi for the exact rational q.
bool encloses(const Interval& x, const Rational& q) {
  const bool lo_ok = x.lower() == -kInf || Rational(x.lower()) <= q;
  const bool hi_ok = x.upper() == kInf || q <= Rational(x.upper());
  return lo_ok && hi_ok;
}
Rational exact(mpfr_srcptr v) {
  Rational q;
  mpfr_get_q(q.backend().data(), v);
  return q;
}
bool encloses(const MpInterval& x, const Rational& q) {
  const bool lo_ok = mpfr_inf_p(&x.data()->left) ? mpfr_sgn(&x.data()->left) < 0 : exact(&x.data()->left) <= q;
  const bool hi_ok = mpfr_inf_p(&x.data()->right) ? mpfr_sgn(&x.data()->right) > 0 : q <= exact(&x.data()->right);
  return lo_ok && hi_ok;
}

bool is_double(const Rational& q) {
  const Interval x = enclose_interval(q);
  return is_point(x);
}

}  // namespace

// ---- construction ------------------------------------------------------------------------------

TEST_CASE("unit: Interval construction") {
  CHECK(is(Interval(), 0.0, 0.0));
  CHECK(is(Interval(0.1), 0.1, 0.1));  // a double is an exact dyadic number
  CHECK(is(Interval(3), 3.0, 3.0));
  CHECK(is(Interval(-7L), -7.0, -7.0));
  CHECK(is(Interval(std::int64_t{1} << 53), 0x1p53, 0x1p53));
  CHECK(is(Interval(kDenormMin), kDenormMin, kDenormMin));
  CHECK(is(Interval(1.0, 2.0), 1.0, 2.0));
  CHECK(is(Interval(-kInf, kInf), -kInf, kInf));
  CHECK(equal(Interval::entire(), Interval(-kInf, kInf)));

  SUBCASE("large int64 are enclosed") {
    const std::int64_t vals[] = {(std::int64_t{1} << 53) + 1, -((std::int64_t{1} << 53) + 1),
                                 INT64_MAX, INT64_MIN, INT64_MAX - 1, (std::int64_t{1} << 62) + 3};
    for (std::int64_t v : vals) {
      const Interval x(v);
      INFO(v << " -> " << hx(x));
      CHECK(encloses(x, Rational(v)));
      CHECK(ulps(x) <= 2);
    }
    const std::uint64_t uvals[] = {UINT64_MAX, (std::uint64_t{1} << 63) + 1, (std::uint64_t{1} << 53) + 1};
    for (std::uint64_t v : uvals) {
      const Interval x(v);
      INFO(v << " -> " << hx(x));
      CHECK(encloses(x, Rational(v)));
      CHECK(ulps(x) <= 2);
    }
    // exactly representable large integers stay points
    CHECK(is_point(Interval(std::int64_t{1} << 60)));
    CHECK(is_point(Interval(-(std::int64_t{1} << 62))));
  }
  SUBCASE("NaN and lo > hi are refused") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(Interval(+nan), std::domain_error);
    CHECK_THROWS_AS(Interval(nan, 1.0), std::domain_error);
    CHECK_THROWS_AS(Interval(1.0, nan), std::domain_error);
    CHECK_THROWS_AS(Interval(2.0, 1.0), std::domain_error);
    CHECK_THROWS_AS(Interval(kInf, -kInf), std::domain_error);
    CHECK_THROWS_AS(Interval(up(1.0), 1.0), std::domain_error);
    CHECK_NOTHROW(Interval(1.0, 1.0));
  }
}

TEST_CASE("unit: MpInterval construction and precision") {
  CHECK(mp_precision() == 256);
  const MpInterval z;
  CHECK(z.precision() == 256);
  CHECK(is(z, 0.0, 0.0));
  CHECK(is(MpInterval(0.1), 0.1, 0.1));
  CHECK(is(MpInterval(-5), -5.0, -5.0));
  CHECK(is(MpInterval(Interval(1.0, 2.0)), 1.0, 2.0));
  // integers that binary64 cannot hold are exact at 256 bits
  const MpInterval big(INT64_MAX);
  CHECK(is_point(big));
  CHECK(exact(&big.data()->left) == Rational(INT64_MAX));
  const MpInterval ubig(UINT64_MAX);
  CHECK(exact(&ubig.data()->right) == Rational(UINT64_MAX));
  CHECK(is_point(ubig));

  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(MpInterval(+nan), std::domain_error);
  CHECK_THROWS_AS(MpInterval(MpReal(2), MpReal(1)), std::domain_error);
  CHECK_THROWS_AS(MpInterval(MpReal(nan), MpReal(1)), std::domain_error);

  SUBCASE("below 53 bits a double is enclosed, not rounded") {
    MpPrecisionScope s(24);
    const MpInterval x(0.1);
    CHECK(x.precision() == 24);
    CHECK_FALSE(is_point(x));
    CHECK(is_member(0.1, x));
    const MpInterval y(Interval(0.1, 0.3));
    CHECK(subset(Interval(0.1, 0.3), y));
    CHECK_FALSE(is_point(MpInterval(INT64_MAX)));
    CHECK(encloses(MpInterval(INT64_MAX), Rational(INT64_MAX)));
  }
  SUBCASE("copies keep their precision, assignment takes the source's") {
    MpInterval a;
    {
      MpPrecisionScope s(64);
      const MpInterval b = MpInterval::from_text("1/3");
      CHECK(b.precision() == 64);
      const MpInterval c(b);
      CHECK(c.precision() == 64);
      a = b;
    }
    CHECK(a.precision() == 64);
    MpInterval m(std::move(a));
    CHECK(m.precision() == 64);
    CHECK(encloses(m, Rational(1) / 3));
  }
  SUBCASE("to_interval rounds outward") {
    const MpInterval t = MpInterval::from_text("0.1");
    CHECK(equal(to_interval(t), Interval::from_text("0.1")));
    CHECK(equal(to_interval(MpInterval(Interval(1.0, 2.0))), Interval(1.0, 2.0)));
    CHECK(equal(to_interval(MpInterval::entire()), Interval::entire()));
    // beyond binary64 range
    const MpInterval huge = ldexp(MpInterval(1), 2000);
    CHECK(is(to_interval(huge), kMax, kInf));
    const MpInterval tiny = ldexp(MpInterval(1), -2000);
    CHECK(is(to_interval(tiny), 0.0, kDenormMin));
  }
}

// ---- text input --------------------------------------------------------------------------------

TEST_CASE("unit: from_text accepts decimals, rationals and hex floats") {
  struct Case {
    const char* text;
    Rational q;
  };
  using R = Rational;
  const Case cases[] = {
      {"0.1", R(1) / 10},         {"-2.5e-3", R(-1) / 400},   {"7", R(7)},
      {".5", R(1) / 2},           {"5.", R(5)},               {"+3", R(3)},
      {"1E2", R(100)},            {" 0.25 ", R(1) / 4},       {"-0", R(0)},
      {"0.000", R(0)},            {"0.12", R(3) / 25},        {"0.75", R(3) / 4},
      {"0.0625", R(1) / 16},      {"00012", R(12)},           {"0.08", R(2) / 25},
      {"-0.09e1", R(-9) / 10},    {"017/010", R(17) / 10},            {"1/3", R(1) / 3},          {"-22/7", R(-22) / 7},
      {"1.5/2e3", R(3) / 4000},   {"1/-3", R(-1) / 3},        {" 1 / 3 ", R(1) / 3},
      {"0x1.8p+3", R(12)},        {"-0x1p-1074", -R(1) / R(boost::multiprecision::mpz_int(1) << 1074)},
      {"0X1P0", R(1)},            {"0x.8p1", R(1)},           {"0x1.999999999999ap-4", R(0.1)},
      {"123456789012345678901234567890", R(boost::multiprecision::mpz_int("123456789012345678901234567890"))},
      {"1e-5", R(1) / 100000},    {"3.14159265358979323846264338327950288", R(boost::multiprecision::mpz_int("314159265358979323846264338327950288")) / R(boost::multiprecision::pow(boost::multiprecision::mpz_int(10), 35))},
  };
  for (const auto& c : cases) {
    INFO("text '" << c.text << "'");
    const Rational q = parse_exact(c.text);
    CHECK(q == c.q);
    const Interval x = Interval::from_text(c.text);
    INFO(" -> " << hx(x));
    CHECK(encloses(x, c.q));
    // tightest: a point iff the number is a double, otherwise adjacent doubles
    if (is_double(c.q)) CHECK(is_point(x));
    else CHECK(ulps(x) == 1);
    CHECK(equal(from_text<Interval>(c.text), x));
    MpPrecisionScope s(113);
    const MpInterval m = MpInterval::from_text(c.text);
    CHECK(m.precision() == 113);
    CHECK(encloses(m, c.q));
    CHECK(equal(from_text<MpInterval>(c.text), m));
  }
  CHECK(to_string(parse_exact("0.1")) == "1/10");
  CHECK(to_string(parse_exact("-6/4")) == "-3/2");
  // out of the binary64 range: enclosed with infinite / zero endpoints
  CHECK(is(Interval::from_text("1e400"), kMax, kInf));
  CHECK(is(Interval::from_text("-1e400"), -kInf, -kMax));
  CHECK(is(Interval::from_text("1e-400"), 0.0, kDenormMin));
  CHECK(is(Interval::from_text("-1e-400"), -kDenormMin, 0.0));
  CHECK(is(Interval::from_text("1e100000"), kMax, kInf));  // the exponent limit itself is accepted
}

TEST_CASE("unit: from_text refuses everything else") {
  const char* bad[] = {"",     " ",      "nan",        "NaN",         "inf",    "-inf",   "infinity", "1e",
                       "1e+",  "0x1.8",  "1/0",        "-1/0.0",      "1/0x0p0", "1e100001", "1e-100001",
                       "0x1p100001", "1..2", "1.2.3", "--1",  "+-1",      "1/2/3",       "abc",    "0x",     "0xg1p0",
                       "1e5.5", "+",     "-",          "e5",          ".",      "1 2",    "0x1p",     "1/",
                       "/2",   "1,5",    "0x1.8p+3x",  "1e2e3"};
  for (const char* t : bad) {
    INFO("text '" << t << "'");
    CHECK_THROWS_AS(parse_exact(t), std::invalid_argument);
    CHECK_THROWS_AS(Interval::from_text(t), std::invalid_argument);
    CHECK_THROWS_AS(MpInterval::from_text(t), std::invalid_argument);
  }
  // the message names the text
  try {
    (void)parse_exact("1/0");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("'1/0'") != std::string::npos);
  }
}

// ---- IEEE 1788 queries -------------------------------------------------------------------------

TEST_CASE_TEMPLATE("unit: IEEE 1788 queries", T, Interval, MpInterval) {
  const T a = mk<T>(1.0, 2.0), n = mk<T>(-3.0, -1.0), m = mk<T>(-1.0, 2.0), z = pt<T>(0.0);
  const T lo_inf = mk<T>(-kInf, 1.0), hi_inf = mk<T>(1.0, kInf), all = T::entire();

  CHECK(inf(a) == 1.0);
  CHECK(sup(a) == 2.0);
  CHECK(inf(lo_inf) == -kInf);
  CHECK(sup(hi_inf) == kInf);
  CHECK(mid(a) == 1.5);
  CHECK(mid(m) == 0.5);
  CHECK(mid(z) == 0.0);
  CHECK(mid(all) == 0.0);
  CHECK(rad(a) >= 0.5);
  CHECK(rad(a) == 0.5);
  CHECK(rad(z) == 0.0);
  CHECK(wid(a) == 1.0);
  CHECK(wid(n) == 2.0);
  CHECK(wid(all) == kInf);
  CHECK(wid(lo_inf) == kInf);
  CHECK(rad(hi_inf) == kInf);
  CHECK(mag(n) == 3.0);
  CHECK(mig(n) == 1.0);
  CHECK(mag(m) == 2.0);
  CHECK(mig(m) == 0.0);
  CHECK(mag(lo_inf) == kInf);
  CHECK(mig(hi_inf) == 1.0);
  CHECK(mig(all) == 0.0);
  CHECK(mag(all) == kInf);

  // mid of a half-line lies in it (Interval: ±DBL_MAX by contract)
  CHECK(inf(hi_inf) <= mid(hi_inf));
  CHECK(mid(lo_inf) <= sup(lo_inf));
  if constexpr (std::is_same_v<T, Interval>) {
    CHECK(mid(hi_inf) == kMax);
    CHECK(mid(lo_inf) == -kMax);
    // wide and tiny intervals: mid stays inside, rad covers both halves
    const Interval w(-kMax, kMax), t(0.0, kDenormMin), h(kMax / 2, kMax);
    CHECK(mid(w) == 0.0);
    CHECK(wid(w) == kInf);
    CHECK(is_member(mid(t), t));
    CHECK(rad(t) >= kDenormMin / 2);
    CHECK(is_member(mid(h), h));
    CHECK(std::isfinite(rad(h)));
  }

  CHECK(is_point(z));
  CHECK_FALSE(is_point(a));
  CHECK(is_bounded(a));
  CHECK_FALSE(is_bounded(lo_inf));
  CHECK_FALSE(is_bounded(all));
  CHECK_FALSE(is_empty(a));
  CHECK(is_member(1.5, a));
  CHECK(is_member(1.0, a));
  CHECK_FALSE(is_member(up(2.0), a));
  CHECK(is_member(-1e308, lo_inf));
  CHECK(contains_zero(m));
  CHECK(contains_zero(z));
  CHECK(contains_zero(pt<T>(-0.0)));
  CHECK_FALSE(contains_zero(a));
  CHECK(contains_zero(all));

  CHECK(subset(a, m));
  CHECK(subset(a, a));
  CHECK_FALSE(subset(m, a));
  CHECK(subset(a, hi_inf));
  CHECK(subset(all, all));
  CHECK(interior(mk<T>(1.25, 1.75), a));
  CHECK_FALSE(interior(a, a));
  CHECK(interior(a, all));
  CHECK(interior(all, all));          // infinite endpoints count as interior
  CHECK(interior(lo_inf, mk<T>(-kInf, 3.0)));
  CHECK_FALSE(interior(mk<T>(1.0, 1.5), a));
  CHECK(disjoint(a, n));
  CHECK_FALSE(disjoint(a, m));
  CHECK_FALSE(disjoint(a, mk<T>(2.0, 3.0)));  // touching
  CHECK(disjoint(a, mk<T>(up(2.0), 3.0)));

  const auto i1 = intersection(a, m);
  REQUIRE(i1.has_value());
  CHECK(is(*i1, 1.0, 2.0));
  const auto i2 = intersection(a, mk<T>(2.0, 5.0));
  REQUIRE(i2.has_value());
  CHECK(is(*i2, 2.0, 2.0));
  CHECK_FALSE(intersection(a, n).has_value());
  const auto i3 = intersection(lo_inf, hi_inf);
  REQUIRE(i3.has_value());
  CHECK(is(*i3, 1.0, 1.0));
  CHECK(is(convex_hull(a, n), -3.0, 2.0));
  CHECK(is(convex_hull(lo_inf, a), -kInf, 2.0));
  CHECK(is(convex_hull(lo_inf, hi_inf), -kInf, kInf));
}

TEST_CASE_TEMPLATE("unit: set equality", T, Interval, MpInterval) {
  const T a = mk<T>(1.0, 2.0);
  CHECK(equal(a, mk<T>(1.0, 2.0)));
  CHECK(a == mk<T>(1.0, 2.0));
  CHECK_FALSE(a != mk<T>(1.0, 2.0));
  CHECK_FALSE(equal(a, mk<T>(1.0, up(2.0))));
  CHECK(a != mk<T>(1.0, up(2.0)));
  CHECK(a != mk<T>(down(1.0), 2.0));
  CHECK(pt<T>(-0.0) == pt<T>(0.0));  // the same set
  CHECK(T::entire() == mk<T>(-kInf, kInf));
  CHECK(mk<T>(-kInf, 1.0) != mk<T>(-kMax, 1.0));
  // set equality is not equality of the reals: [1,2] == [1,2] although x − y ≠ 0 in general
  CHECK_FALSE(is_point(a - a));
}

TEST_CASE_TEMPLATE("unit: three-valued comparisons", T, Interval, MpInterval) {
  const T a = mk<T>(1.0, 3.0), b = mk<T>(2.0, 4.0);  // overlapping
  CHECK_FALSE(certainly_less(a, b));
  CHECK_FALSE(certainly_less_equal(a, b));
  CHECK(possibly_less(a, b));
  CHECK(possibly_less_equal(a, b));
  CHECK(possibly_greater(a, b));  // 3 > 2
  CHECK(possibly_greater_equal(a, b));
  CHECK_FALSE(certainly_greater(a, b));
  CHECK_FALSE(certainly_greater_equal(a, b));

  const T c = mk<T>(1.0, 2.0), d = mk<T>(3.0, 4.0);  // disjoint
  CHECK(certainly_less(c, d));
  CHECK(certainly_less_equal(c, d));
  CHECK(possibly_less(c, d));
  CHECK_FALSE(possibly_greater(c, d));
  CHECK_FALSE(possibly_greater_equal(c, d));
  CHECK(certainly_greater(d, c));
  CHECK(certainly_greater_equal(d, c));

  const T e = mk<T>(1.0, 2.0), f = mk<T>(2.0, 3.0);  // touching at 2
  CHECK_FALSE(certainly_less(e, f));
  CHECK(certainly_less_equal(e, f));
  CHECK(possibly_less(e, f));
  CHECK_FALSE(possibly_greater(e, f));
  CHECK(possibly_greater_equal(e, f));

  const T p = pt<T>(2.0);  // equal points
  CHECK_FALSE(certainly_less(p, p));
  CHECK(certainly_less_equal(p, p));
  CHECK_FALSE(possibly_less(p, p));
  CHECK(possibly_less_equal(p, p));

  const T lo_inf = mk<T>(-kInf, 0.0), hi_inf = mk<T>(1.0, kInf);
  CHECK(certainly_less(lo_inf, hi_inf));
  CHECK_FALSE(certainly_less(hi_inf, lo_inf));
  CHECK(possibly_less(T::entire(), T::entire()));
  CHECK_FALSE(certainly_less(T::entire(), T::entire()));

  CHECK(certainly_positive(mk<T>(kDenormMin, 1.0)));
  CHECK_FALSE(certainly_positive(mk<T>(0.0, 1.0)));
  CHECK(certainly_nonnegative(mk<T>(0.0, 1.0)));
  CHECK_FALSE(certainly_nonnegative(mk<T>(-kDenormMin, 1.0)));
  CHECK(certainly_negative(mk<T>(-2.0, -1.0)));
  CHECK_FALSE(certainly_negative(mk<T>(-1.0, -0.0)));
  CHECK(possibly_zero(mk<T>(-1.0, -0.0)));
  CHECK_FALSE(possibly_zero(mk<T>(1.0, 2.0)));
}

// ---- domain errors -----------------------------------------------------------------------------

TEST_CASE_TEMPLATE("unit: division by an interval containing 0 throws", T, Interval, MpInterval) {
  const T x = mk<T>(1.0, 2.0);
  const T zeros[] = {pt<T>(0.0), pt<T>(-0.0), mk<T>(-1.0, 1.0), mk<T>(0.0, 1.0), mk<T>(-1.0, 0.0),
                     mk<T>(-1.0, -0.0), T::entire(), mk<T>(-kInf, 0.0), mk<T>(0.0, kInf)};
  for (const T& y : zeros) {
    INFO("y = " << hx(y));
    CHECK_THROWS_AS(x / y, std::domain_error);
    T w = x;
    CHECK_THROWS_AS(w /= y, std::domain_error);
    CHECK(equal(w, x));  // unchanged after the throw
  }
  try {
    (void)(x / mk<T>(-1.0, 1.0));
  } catch (const std::domain_error& e) {
    CHECK(std::string(e.what()).find("containing 0") != std::string::npos);
  }
  CHECK_NOTHROW(x / mk<T>(kDenormMin, 1.0));
  CHECK_NOTHROW(x / mk<T>(-1.0, -kDenormMin));
}

TEST_CASE_TEMPLATE("unit: log and log1p domain errors", T, Interval, MpInterval) {
  // strictly beyond the domain, or no point of it: refused (touching the boundary: see
  // "unit: domain boundaries" below)
  for (const T& x : {pt<T>(0.0), pt<T>(-0.0), mk<T>(-1.0, 1.0), mk<T>(-2.0, -1.0), T::entire(),
                     mk<T>(-kDenormMin, 1.0), mk<T>(-1.0, 0.0)}) {
    INFO("log " << hx(x));
    CHECK_THROWS_AS(log(x), std::domain_error);
  }
  for (const T& x : {pt<T>(-1.0), mk<T>(-2.0, 0.0), T::entire(), mk<T>(-kInf, -1.0), mk<T>(down(-1.0), 0.0)}) {
    INFO("log1p " << hx(x));
    CHECK_THROWS_AS(log1p(x), std::domain_error);
  }
  try {
    (void)log(mk<T>(-1.0, 2.0));
  } catch (const std::domain_error& e) {
    const std::string w = e.what();
    CHECK(w.find("log") != std::string::npos);
    CHECK(w.find("-1") != std::string::npos);  // names the bounds
  }
  CHECK_NOTHROW(log(mk<T>(kDenormMin, 1.0)));
  CHECK_NOTHROW(log(mk<T>(1.0, kInf)));
  CHECK_NOTHROW(log1p(mk<T>(up(-1.0), 0.0)));
  CHECK(lo_d(log1p(mk<T>(up(-1.0), 0.0))) < -36.0);  // log(2^-53) = −36.7
}

TEST_CASE_TEMPLATE("unit: sqrt clips a negative lower end and throws below 0", T, Interval, MpInterval) {
  CHECK(is(sqrt(mk<T>(-1.0, 4.0)), 0.0, 2.0));
  CHECK(is(sqrt(mk<T>(-kInf, 4.0)), 0.0, 2.0));
  CHECK(is(sqrt(mk<T>(-1.0, -0.0)), 0.0, 0.0));
  CHECK(is(sqrt(mk<T>(0.0, kInf)), 0.0, kInf));
  CHECK(is(sqrt(mk<T>(4.0, 9.0)), 2.0, 3.0));
  CHECK_THROWS_AS(sqrt(mk<T>(-2.0, -1.0)), std::domain_error);
  CHECK_THROWS_AS(sqrt(pt<T>(-kDenormMin)), std::domain_error);
  CHECK_THROWS_AS(sqrt(mk<T>(-kInf, -1.0)), std::domain_error);
  const T s2 = sqrt(pt<T>(2.0));
  CHECK(at_oracle_precision([&] { return inside(sqrt(MpInterval(2)), s2); }));
}

// ---- pow, ldexp, abs, sqr, min, max --------------------------------------------------------------

TEST_CASE_TEMPLATE("unit: pow with even, odd and negative exponents", T, Interval, MpInterval) {
  // powers of 3 are exact (3^33 < 2^53): repeated squaring must give exactly 3^n
  double p3 = 1.0;
  for (int n = 0; n <= 33; ++n) {
    INFO("3^" << n << " -> " << hx(pow(pt<T>(3.0), n)));
    CHECK(is(pow(pt<T>(3.0), n), p3, p3));
    CHECK(is(pow(pt<T>(-3.0), n), n % 2 ? -p3 : p3, n % 2 ? -p3 : p3));
    p3 *= 3.0;
  }
  CHECK(is(pow(mk<T>(-2.0, 3.0), 2), 0.0, 9.0));   // even: [mig, mag]^n, no negative part
  CHECK(is(pow(mk<T>(-3.0, 2.0), 2), 0.0, 9.0));
  CHECK(is(pow(mk<T>(-2.0, -1.0), 2), 1.0, 4.0));
  CHECK(is(pow(mk<T>(-2.0, 3.0), 4), 0.0, 81.0));
  CHECK(is(pow(mk<T>(-2.0, 3.0), 3), -8.0, 27.0));  // odd: increasing
  CHECK(is(pow(mk<T>(-2.0, -1.0), 3), -8.0, -1.0));
  CHECK(is(pow(mk<T>(-2.0, 3.0), 0), 1.0, 1.0));
  CHECK(is(pow(mk<T>(-2.0, 3.0), 1), -2.0, 3.0));
  CHECK(is(pow(pt<T>(1.5), 10), 57.6650390625, 57.6650390625));
  CHECK(is(pow(mk<T>(2.0, 4.0), -1), 0.25, 0.5));
  CHECK(is(pow(mk<T>(-2.0, -1.0), -2), 0.25, 1.0));
  CHECK(is(pow(mk<T>(-2.0, -1.0), -3), -1.0, -0.125));
  CHECK_THROWS_AS(pow(pt<T>(0.0), -2), std::domain_error);  // no point of the domain x ≠ 0
  CHECK_THROWS_AS(pow(pt<T>(-0.0), -1), std::domain_error);
  CHECK(is(pow(mk<T>(-kInf, 1.0), 2), 0.0, kInf));
  CHECK(is(pow(mk<T>(-kInf, 1.0), 3), -kInf, 1.0));
  // an inexact base: (1/10)^2 ∋ 1/100, (1/10)^-2 ∋ 100
  const T tenth = T::from_text("0.1");
  CHECK(encloses(pow(tenth, 2), Rational(1) / 100));
  CHECK(encloses(pow(tenth, -2), Rational(100)));
  CHECK(encloses(pow(tenth, 7), Rational(1) / 10000000));
}

TEST_CASE_TEMPLATE("unit: ldexp", T, Interval, MpInterval) {
  CHECK(is(ldexp(mk<T>(1.0, 2.0), 3), 8.0, 16.0));
  CHECK(is(ldexp(mk<T>(-3.0, 5.0), -2), -0.75, 1.25));
  CHECK(is(ldexp(pt<T>(1.0), -1074), kDenormMin, kDenormMin));
  const T u = ldexp(pt<T>(1.0), -1075);  // below the binary64 range: enclosed
  CHECK(encloses(u, Rational(1) / Rational(boost::multiprecision::mpz_int(1) << 1075)));
  const T v = ldexp(pt<T>(3 * kDenormMin), -1);
  CHECK(encloses(v, Rational(3) / Rational(boost::multiprecision::mpz_int(1) << 1075)));
  const T w = ldexp(pt<T>(kMax), 1);
  CHECK(encloses(w, Rational(kMax) * 2));
  if constexpr (std::is_same_v<T, Interval>) {
    CHECK((is(u, 0.0, kDenormMin) || is(u, -kDenormMin, kDenormMin)));
    CHECK(is(w, kMax, kInf));
    CHECK(is(ldexp(mk<T>(-1.0, 1.0), 2000), -kInf, kInf));
    CHECK(is(ldexp(pt<T>(-kMax), 1), -kInf, -kMax));
  } else {
    CHECK(is_point(u));  // MPFR's exponent range holds 2^-1075 exactly
    CHECK(is_point(w));
  }
}

TEST_CASE_TEMPLATE("unit: abs, sqr, min, max", T, Interval, MpInterval) {
  CHECK(is(abs(mk<T>(-3.0, 2.0)), 0.0, 3.0));
  CHECK(is(abs(mk<T>(-3.0, -2.0)), 2.0, 3.0));
  CHECK(is(abs(mk<T>(2.0, 3.0)), 2.0, 3.0));
  CHECK(is(abs(T::entire()), 0.0, kInf));
  CHECK(is(sqr(mk<T>(-3.0, 2.0)), 0.0, 9.0));  // tighter than x·x = [−6, 9]
  CHECK(is(mk<T>(-3.0, 2.0) * mk<T>(-3.0, 2.0), -6.0, 9.0));
  CHECK(is(sqr(mk<T>(-3.0, -2.0)), 4.0, 9.0));
  CHECK(is(sqr(mk<T>(-kInf, 1.0)), 0.0, kInf));
  CHECK(is(min(mk<T>(1.0, 4.0), mk<T>(2.0, 3.0)), 1.0, 3.0));
  CHECK(is(max(mk<T>(1.0, 4.0), mk<T>(2.0, 3.0)), 2.0, 4.0));
  CHECK(is(min(mk<T>(-kInf, 0.0), mk<T>(1.0, 2.0)), -kInf, 0.0));
  CHECK(is(max(mk<T>(-kInf, 0.0), mk<T>(1.0, kInf)), 1.0, kInf));
  CHECK(is(-mk<T>(1.0, 2.0), -2.0, -1.0));
  CHECK(is(+mk<T>(1.0, 2.0), 1.0, 2.0));
  T acc = mk<T>(1.0, 2.0);
  acc += pt<T>(1.0);
  acc -= pt<T>(0.5);
  acc *= pt<T>(2.0);
  acc /= pt<T>(4.0);
  CHECK(is(acc, 0.75, 1.25));
}

// ---- IEEE 1788 edge semantics (docs/core.md, "IEEE 1788 at the edges") ----------------------------

TEST_CASE_TEMPLATE("unit: domain boundaries give the 1788 set with an infinite end", T, Interval, MpInterval) {
  // log at 0, log1p at −1: the boundary point is touched, the extended value there is −∞
  CHECK(is(log(mk<T>(0.0, 1.0)), -kInf, 0.0));
  CHECK(is(log(mk<T>(-0.0, 1.0)), -kInf, 0.0));
  CHECK(is(log(mk<T>(0.0, kInf)), -kInf, kInf));
  CHECK(is(log1p(mk<T>(-1.0, 0.0)), -kInf, 0.0));
  CHECK(is(log1p(mk<T>(-1.0, kInf)), -kInf, kInf));
  // a result with an infinite end proves nothing on that side
  CHECK_FALSE(certainly_negative(log(mk<T>(0.0, 0.5)) - T(-1000)));
  CHECK_FALSE(is_member(-kInf, log(mk<T>(0.0, 1.0))));
  // pow with n < 0 at the pole 0
  CHECK(is(pow(mk<T>(0.0, 2.0), -1), 0.5, kInf));
  CHECK(is(pow(mk<T>(-0.0, 2.0), -1), 0.5, kInf));
  CHECK(is(pow(mk<T>(-2.0, 0.0), -1), -kInf, -0.5));
  CHECK(is(pow(mk<T>(-2.0, -0.0), -3), -kInf, -0.125));
  CHECK(is(pow(mk<T>(-1.0, 2.0), -1), -kInf, kInf));
  CHECK(is(pow(mk<T>(-1.0, 2.0), -2), 0.25, kInf));
  CHECK(is(pow(mk<T>(-4.0, 2.0), -2), 0.0625, kInf));
  CHECK(is(pow(mk<T>(0.0, 2.0), -2), 0.25, kInf));
  CHECK(is(pow(T::entire(), -2), 0.0, kInf));
  CHECK(is(pow(T::entire(), -3), -kInf, kInf));
  CHECK(is(pow(mk<T>(1.0, kInf), -1), 0.0, 1.0));
  CHECK(is(pow(mk<T>(-kInf, -1.0), -1), -1.0, 0.0));
  CHECK(is(pow(mk<T>(-2.0, 3.0), 0), 1.0, 1.0));
  CHECK(is(pow(T::entire(), 0), 1.0, 1.0));
  // sqrt: the documented cut at 0 (finite boundary value), and sqrt [0, x] is exact
  CHECK(is(sqrt(mk<T>(-1e-300, 1.0)), 0.0, 1.0));
  CHECK(is(sqrt(mk<T>(0.0, 4.0)), 0.0, 2.0));
  // strictly beyond the domain or no point of it: std::domain_error naming the bounds
  auto message = [](auto f) {
    try {
      f();
    } catch (const std::domain_error& e) {
      return std::string(e.what());
    }
    return std::string("no throw");
  };
  const std::string m1 = message([] { (void)log(mk<T>(-1.0, 1.0)); });
  CHECK(m1.find("log") != std::string::npos);
  CHECK(m1.find("-1") != std::string::npos);
  CHECK(m1.find("refused") != std::string::npos);
  const std::string m2 = message([] { (void)log1p(mk<T>(-2.0, 0.0)); });
  CHECK(m2.find("log1p") != std::string::npos);
  CHECK(m2.find("-2") != std::string::npos);
  CHECK(message([] { (void)log(pt<T>(0.0)); }).find("a point of") != std::string::npos);
  CHECK(message([] { (void)pow(pt<T>(0.0), -3); }).find("pow") != std::string::npos);
}

TEST_CASE_TEMPLATE("unit: mid follows IEEE 1788", T, Interval, MpInterval) {
  auto mid_d = [](const T& x) {
    if constexpr (std::is_same_v<T, Interval>) return mid(x);
    else return static_cast<double>(mid(x));  // exact here: the midpoints below are doubles
  };
  if constexpr (std::is_same_v<T, Interval>) {
    // the audit's case: the exact midpoint −2^-1075 is a tie between −2^-1074 and 0; 0 is even
    CHECK(mid(mk<T>(-2 * kDenormMin, kDenormMin)) == 0.0);
    CHECK_FALSE(std::signbit(mid(mk<T>(-2 * kDenormMin, kDenormMin))));
    CHECK(mid(mk<T>(kDenormMin, 2 * kDenormMin)) == 2 * kDenormMin);  // 1.5·2^-1074: tie to even
    CHECK(mid(mk<T>(kDenormMin, 4 * kDenormMin)) == 2 * kDenormMin);  // 2.5·2^-1074: tie to even
    CHECK(mid(mk<T>(0.0, kDenormMin)) == 0.0);                        // 0.5·2^-1074: tie to even (0)
    CHECK(mid(mk<T>(kDenormMin, 5 * kDenormMin)) == 3 * kDenormMin);  // exact (two halvings gave 2·2^-1074)
    CHECK(mid(mk<T>(-kDenormMin, 0x1p-1000)) == 0x1p-1001);
    CHECK(mid(mk<T>(kMax, kMax)) == kMax);           // no overflow
    CHECK(mid(mk<T>(down(kMax), kMax)) == down(kMax));  // tie between them: the even one
    CHECK(mid(mk<T>(-kMax, kMax)) == 0.0);
    CHECK(mid(mk<T>(1.0, up(1.0))) == 1.0);          // tie: 1 is even
  }
  CHECK(mid_d(T::entire()) == 0.0);
  CHECK(mid_d(mk<T>(-kInf, 5.0)) == -kMax);
  CHECK(mid_d(mk<T>(-kInf, -kMax)) == -kMax);
  CHECK(mid_d(mk<T>(-5.0, kInf)) == kMax);
  CHECK(mid_d(mk<T>(kMax, kInf)) == kMax);
  CHECK(mid_d(mk<T>(-0.0, 0.0)) == 0.0);
  if constexpr (std::is_same_v<T, MpInterval>) {  // MPFR has no subnormals: the midpoint is exact
    CHECK(mpfr_cmp_si_2exp(mid(mk<T>(-2 * kDenormMin, kDenormMin)).backend().data(), -1, -1075) == 0);
  }
}

TEST_CASE_TEMPLATE("unit: membership is for real numbers only", T, Interval, MpInterval) {
  CHECK_FALSE(is_member(kInf, T::entire()));
  CHECK_FALSE(is_member(-kInf, T::entire()));
  CHECK_FALSE(is_member(kInf, mk<T>(0.0, kInf)));
  CHECK_FALSE(is_member(std::numeric_limits<double>::quiet_NaN(), T::entire()));
  CHECK(is_member(kMax, T::entire()));
  CHECK(is_member(-kMax, mk<T>(-kInf, 0.0)));
  CHECK(is_member(-0.0, mk<T>(0.0, 1.0)));
  CHECK(contains_zero(mk<T>(-0.0, -0.0)));
}

TEST_CASE("unit: intervals without a real number are refused (the empty set is not representable)") {
  CHECK_THROWS_AS(Interval(kInf, kInf), std::domain_error);
  CHECK_THROWS_AS(Interval(-kInf, -kInf), std::domain_error);
  CHECK_THROWS_AS((void)Interval(kInf), std::domain_error);
  CHECK_THROWS_AS(Interval(1.0, 0.0), std::domain_error);
  CHECK_THROWS_AS(MpInterval(MpReal("inf"), MpReal("inf")), std::domain_error);
  CHECK_THROWS_AS(MpInterval(MpReal("-inf"), MpReal("-inf")), std::domain_error);
  CHECK_NOTHROW(Interval(kMax, kInf));
  CHECK_NOTHROW(Interval(-kInf, -kMax));
  CHECK(is_empty(Interval(0.0)) == false);
  CHECK_FALSE(intersection(Interval(0.0, 1.0), Interval(2.0, 3.0)).has_value());  // ∅ → nullopt
}

TEST_CASE_TEMPLATE("unit: products and quotients below 2^-960 never get a bound of the wrong sign", T, Interval, MpInterval) {
  const T tiny = mk<T>(0x1p-600, 1.0);
  CHECK(certainly_nonnegative(tiny * tiny));
  CHECK(certainly_nonnegative(sqr(mk<T>(-kInf, -kDenormMin))));
  CHECK(is(sqr(pt<T>(0x1p-537)), kDenormMin, kDenormMin));  // exact
  CHECK(certainly_nonnegative(pt<T>(kDenormMin) / pt<T>(3.0)));
  if constexpr (std::is_same_v<T, Interval>) {
    CHECK(is(sqr(mk<T>(-kInf, -kDenormMin)), 0.0, kInf));  // RD(2^-2148) = 0
    CHECK(is(pt<T>(0x1p-600) * pt<T>(0x1p-600), 0.0, kDenormMin));
    CHECK(is(pt<T>(-0x1p-600) * pt<T>(0x1p-600), -kDenormMin, -0.0));
    CHECK(is(sqr(pt<T>(0x1.8p-537)), 2 * kDenormMin, 3 * kDenormMin));  // 2.25·2^-1074
    CHECK(is(pt<T>(kDenormMin) / pt<T>(3.0), 0.0, kDenormMin));
    CHECK(is(pt<T>(-kDenormMin) / pt<T>(3.0), -kDenormMin, 0.0));
    CHECK(is(pt<T>(5 * kDenormMin) / pt<T>(2.0), 2 * kDenormMin, 3 * kDenormMin));
    CHECK(is(sqrt(pt<T>(2 * kDenormMin)), down(0x1.6a09e667f3bcdp-537), 0x1.6a09e667f3bcdp-537));
    // ldexp below the subnormal range: the directed roundings, not neighbours of RN
    CHECK(is(ldexp(pt<T>(1.0), -1075), 0.0, kDenormMin));
    CHECK(is(ldexp(pt<T>(-1.0), -1075), -kDenormMin, 0.0));
    CHECK(is(ldexp(pt<T>(3 * kDenormMin), -1), kDenormMin, 2 * kDenormMin));
    CHECK(is(ldexp(mk<T>(0x1p-600, 1.0), -600), 0.0, 0x1p-600));
    CHECK(is(ldexp(pt<T>(1.0), -3000), 0.0, kDenormMin));
    CHECK(is(ldexp(pt<T>(-kMax), 1), -kInf, -kMax));
  }
}
