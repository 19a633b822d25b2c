// Taylor<C> and Dual<C>: AD coefficients against known series and finite Taylor expansions.
#include "certiformer/core.hpp"
#include "certiformer/ode/coefficients.hpp"
#include "certiformer/ode/taylor.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace certiformer;
using namespace certiformer::ode;

namespace {
template <class T> T num(const char* s) { return from_text<T>(s); }
template <class T> bool has(const T& x, const Rational& q) { return subset(enclose<T>(q), x) || !disjoint(enclose<T>(q), x); }
// contains exact rational q: enclosure of q must intersect x AND x must contain q; enclose(q) is
// tight, so we require x ⊇ enclose(q) when q is representable, else overlap of a 1-ulp interval.
template <class T> bool contains_q(const T& x, const Rational& q) {
  const T e = enclose<T>(q);
  return subset(e, x);
}
Rational fact(int k) { Rational r(1); for (int i = 2; i <= k; ++i) r *= i; return r; }
}  // namespace

TEST_CASE_TEMPLATE("Taylor exp of the variable: coefficients 1/k!", T, Interval, MpInterval) {
  const int p = 25;
  auto x = Taylor<T>::variable(p, T(0));
  auto y = exp(x);
  REQUIRE(y.order() == p);
  for (int k = 0; k <= p; ++k) CHECK(contains_q(y[k], Rational(1) / fact(k)));
  // exp(1 + s) = e Σ s^k/k!
  auto z = exp(Taylor<T>::variable(p, T(1)));
  const T e = exp(T(1));
  for (int k = 0; k <= p; ++k) CHECK(subset(e / enclose<T>(fact(k)), z[k] + (z[k] - z[k]) ) );
}

TEST_CASE_TEMPLATE("Taylor 1/(1-s), log(1+s), sqrt(1+s): exact rational coefficients", T, Interval, MpInterval) {
  const int p = 20;
  auto s = Taylor<T>::variable(p, T(0));
  auto g = T(1) / (T(1) - s);
  for (int k = 0; k <= p; ++k) CHECK(contains_q(g[k], Rational(1)));
  auto l = log(T(1) + s);
  CHECK(contains_q(l[0], Rational(0)));
  for (int k = 1; k <= p; ++k) CHECK(contains_q(l[k], Rational((k % 2) ? 1 : -1, k)));
  // sqrt(1+s) = Σ binom(1/2, k) s^k
  auto r = sqrt(T(1) + s);
  Rational b(1);
  for (int k = 0; k <= p; ++k) {
    CHECK(contains_q(r[k], b));
    b = b * (Rational(1, 2) - k) / (k + 1);
  }
  // (1+s)^2 / (1+s) = 1+s; sqr
  auto q = sqr(T(1) + s) / (T(1) + s);
  CHECK(contains_q(q[0], Rational(1)));
  CHECK(contains_q(q[1], Rational(1)));
  for (int k = 2; k <= p; ++k) CHECK(contains_q(q[k], Rational(0)));
}

TEST_CASE_TEMPLATE("Taylor tanh, sin, cos: known series", T, Interval, MpInterval) {
  const int p = 15;
  auto s = Taylor<T>::variable(p, T(0));
  auto th = tanh(s);
  // tanh s = s − s³/3 + 2s⁵/15 − 17 s⁷/315 + 62 s⁹/2835 − 1382 s¹¹/155925
  const Rational tc[] = {Rational(0), Rational(1), Rational(0), Rational(-1, 3), Rational(0), Rational(2, 15),
                         Rational(0), Rational(-17, 315), Rational(0), Rational(62, 2835), Rational(0),
                         Rational(-1382, 155925)};
  for (int k = 0; k < 12; ++k) CHECK(contains_q(th[k], tc[k]));
  auto [sn, cs] = sincos(s);
  for (int k = 0; k <= p; ++k) {
    const Rational sk = (k % 2 == 1) ? Rational(((k / 2) % 2) ? -1 : 1) / fact(k) : Rational(0);
    const Rational ck = (k % 2 == 0) ? Rational(((k / 2) % 2) ? -1 : 1) / fact(k) : Rational(0);
    CHECK(contains_q(sn[k], sk));
    CHECK(contains_q(cs[k], ck));
  }
  // identity sin² + cos² = 1 as series
  auto one = sqr(sin(s)) + sqr(cos(s));
  CHECK(contains_q(one[0], Rational(1)));
  for (int k = 1; k <= p; ++k) CHECK(contains_q(one[k], Rational(0)));
}

TEST_CASE("Taylor over a polynomial: finite expansions are exact") {
  // u(s) = (2 + 3s − s²), v = u³ expanded exactly: coefficients of (2+3s−s²)^3.
  const int p = 8;
  std::vector<Interval> c(p + 1, Interval(0));
  c[0] = Interval(2); c[1] = Interval(3); c[2] = Interval(-1);
  Taylor<Interval> u(c);
  auto v = u * u * u;
  // (2+3s−s²)³ = 8 + 36s + 42s² − 9s³ − 21s⁴ + 9s⁵ − s⁶
  const int expect[] = {8, 36, 42, -9, -21, 9, -1, 0, 0};
  for (int k = 0; k <= p; ++k) CHECK(equal(v[k], Interval(expect[k])));
  auto w = v / u;  // = u² exactly: 4 + 12 s + 5 s² − 6 s³ + s⁴
  const int e2[] = {4, 12, 5, -6, 1, 0, 0, 0, 0};
  for (int k = 0; k <= p; ++k) CHECK(subset(Interval(e2[k]), w[k]));
  CHECK(wid(w[8]) < 1e-12);
}

TEST_CASE("Taylor: order mismatch is misuse, domain errors propagate") {
  auto a = Taylor<Interval>::variable(3, Interval(1));
  auto b = Taylor<Interval>::variable(4, Interval(1));
  CHECK_THROWS_AS(a + b, std::invalid_argument);
  CHECK_THROWS_AS(log(Taylor<Interval>::variable(3, Interval(-1, 1))), std::domain_error);
  CHECK_THROWS_AS(Interval(1) / Taylor<Interval>::variable(3, Interval(-1, 1)), std::domain_error);
  // constants combine with any order
  auto c = Taylor<Interval>(Interval(2)) * a;
  CHECK(c.order() == 3);
  CHECK(equal(c[1], Interval(2)));
}

TEST_CASE("Taylor online tape matches the offline rules") {
  const int p = 12;
  auto offline = [&](auto x) { return tanh(x) * exp(x) / (Interval(2) + sin(x)) + sqrt(Interval(3) + sqr(x)) - log(Interval(2) + x); };
  auto ref = offline(Taylor<Interval>::variable(p, Interval(0.25)));
  std::vector<Interval> xs{Interval(0.25), Interval(1)};
  xs.reserve(p + 2);
  for (int k = 2; k <= p; ++k) xs.push_back(Interval(0));
  TaylorTape<Interval> tape(p);
  Taylor<Interval> last;
  for (int k = 0; k <= p; ++k) {
    tape.begin_pass(k);
    last = offline(Taylor<Interval>::unsafe_view(xs.data(), k + 1));
    tape.end_pass();
  }
  for (int k = 0; k <= p; ++k) {
    CHECK(last[k].lower() == doctest::Approx(ref[k].lower()).epsilon(1e-12));
    CHECK(!disjoint(last[k], ref[k]));
  }
}

TEST_CASE("Taylor tape detects a changed operation sequence") {
  std::vector<Interval> xs{Interval(1), Interval(1), Interval(0)};
  xs.reserve(5);
  TaylorTape<Interval> tape(2);
  tape.begin_pass(0);
  auto x = Taylor<Interval>::unsafe_view(xs.data(), 1);
  (void)exp(x);
  tape.end_pass();
  tape.begin_pass(1);
  x = Taylor<Interval>::unsafe_view(xs.data(), 2);
  CHECK_THROWS_AS((void)log(x), std::logic_error);
}

TEST_CASE_TEMPLATE("Dual: derivatives enclose the exact ones", T, Interval, MpInterval) {
  // f(x, y) = exp(x y) + tanh(x) / (1 + y²) at x = 1/2, y = 1/3
  const T x0 = num<T>("1/2"), y0 = num<T>("1/3");
  auto x = Dual<T>::variable(x0, 0, 2);
  auto y = Dual<T>::variable(y0, 1, 2);
  auto f = exp(x * y) + tanh(x) / (T(1) + sqr(y));
  const T e = exp(x0 * y0);
  const T th = tanh(x0);
  const T fx = y0 * e + (T(1) - sqr(th)) / (T(1) + sqr(y0));
  const T fy = x0 * e - th * T(2) * y0 / sqr(T(1) + sqr(y0));
  CHECK(!disjoint(f.d(0), fx));
  CHECK(!disjoint(f.d(1), fy));
  CHECK(mag(f.d(0) - fx) < 1e-14);
  CHECK(mag(f.d(1) - fy) < 1e-14);
}

namespace {
struct ExpGrowth {  // x' = x
  Eigen::Index dimension() const { return 1; }
  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const { dx(0) = x(0); }
};
struct Blowup {  // x' = x², x(0)=1: x = 1/(1 − t), coefficients all 1
  Eigen::Index dimension() const { return 1; }
  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const { dx(0) = x(0) * x(0); }
};
struct TimeDep {  // x' = cos(t): x = sin(t)
  Eigen::Index dimension() const { return 1; }
  template <class S> void operator()(const S& t, const Vec<S>&, Vec<S>& dx) const { dx(0) = cos(t); }
};
}  // namespace

TEST_CASE_TEMPLATE("ODE coefficients: x' = x, x' = x², x' = cos t, forward and backward", T, Interval, MpInterval) {
  const int p = 18;
  Vec<T> one(1); one(0) = T(1);
  auto c = enclose_ode_coefficients(ExpGrowth{}, T(0), one, p);
  for (int k = 0; k <= p; ++k) CHECK(contains_q(c[k](0), Rational(1) / fact(k)));
  auto cb = enclose_ode_coefficients(ExpGrowth{}, T(0), one, p, -1);
  for (int k = 0; k <= p; ++k) CHECK(contains_q(cb[k](0), Rational(k % 2 ? -1 : 1) / fact(k)));
  auto b = enclose_ode_coefficients(Blowup{}, T(0), one, p);
  for (int k = 0; k <= p; ++k) CHECK(contains_q(b[k](0), Rational(1)));
  Vec<T> zero(1); zero(0) = T(0);
  auto s = enclose_ode_coefficients(TimeDep{}, T(0), zero, p);
  for (int k = 0; k <= p; ++k) {
    const Rational sk = (k % 2 == 1) ? Rational(((k / 2) % 2) ? -1 : 1) / fact(k) : Rational(0);
    CHECK(contains_q(s[k](0), sk));
  }
  // Variational equation of x' = x²: ∂x_k/∂x0 = (k+1) x0^k = k+1 at x0 = 1
  Vec<Dual<T>> d(1); d(0) = Dual<T>::variable(T(1), 0, 1);
  auto v = enclose_ode_coefficients(Blowup{}, Dual<T>(T(0)), d, p);
  for (int k = 0; k <= p; ++k) CHECK(contains_q(v[k](0).d(0), Rational(k + 1)));
}
