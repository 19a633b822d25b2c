// Consistency: the same quantity computed two ways must agree.
//  * Interval vs MpInterval at 53 bits: both round each endpoint in the same direction, so the
//    results are identical, except in the underflow zone of the EFTs where Interval is wider.
//  * identities: exp(log x) ∋ x, log(exp x) ∋ x, expm1(log1p x) ∋ x, sin² + cos² ∋ 1,
//    atan x + atan(1/x) ∋ π/2, tanh x ∩ expm1(2x)/(expm1(2x) + 2) ≠ ∅, sin 2x ∩ 2 sin x cos x ≠ ∅.
//  * pow(x, n) vs repeated multiplication (both contain the exact range; pow is never wider).
//  * decimal text: Interval::from_text vs strtod (round to nearest) and vs MpInterval at 256 bits.
//  * softmax / logsumexp vs their naive formulas.
#include "core_test_util.hpp"

#include <cstdlib>

using namespace ct;

namespace {

bool intersects(const Interval& a, const Interval& b) { return !disjoint(a, b); }
bool intersects(const MpInterval& a, const MpInterval& b) { return !disjoint(a, b); }

/// Whether any nonzero endpoint of the inputs or of the 53-bit MPFI result is below 2^-900 in
/// magnitude (MPFR has no underflow there, binary64 and the EFTs do).
bool near_underflow(std::initializer_list<Interval> xs, const MpInterval& r) {
  for (const Interval& x : xs)
    for (double v : {x.lower(), x.upper()})
      if (v != 0.0 && std::fabs(v) < 0x1p-900) return true;
  for (mpfr_srcptr v : {&r.data()->left, &r.data()->right})
    if (mpfr_regular_p(v) && mpfr_get_exp(v) < -900) return true;
  return false;
}

MpInterval mp53(const Interval& x) { return widen_to(x, 53); }

}  // namespace

TEST_CASE("consistency: Interval arithmetic equals MpInterval at 53 bits") {
  Rng g = tst::rng(0xC0);
  FailLog fl("Interval vs MpInterval(53)");
  long identical = 0, zone = 0;
  const long n = tst::trials(40000);
  for (long t = 0; t < n; ++t) {
    const auto [xl, xh] = random_bounds(g, false);
    const auto [yl, yh] = random_bounds(g, false);
    const Interval x(xl, xh), y(yl, yh);
    const MpInterval X = mp53(x), Y = mp53(y);
    auto compare = [&](const char* op, const Interval& r, const MpInterval& R) {
      const Interval rr = to_interval(R);
      const bool z = near_underflow({x, y}, R);
      if (z) ++zone;
      else ++identical;
      fl.check(z ? subset(rr, r) : equal(rr, r), [&] {
        return std::string(op) + " x=" + hx(x) + " y=" + hx(y) + ": Interval " + hx(r) + ", MpInterval(53) " + hx(R);
      });
    };
    MpPrecisionScope s(53);
    compare("+", x + y, X + Y);
    compare("-", x - y, X - Y);
    compare("*", x * y, X * Y);
    if (!contains_zero(y)) compare("/", x / y, X / Y);
    compare("sqr", sqr(x), sqr(X));
    compare("abs", abs(x), abs(X));
    if (!certainly_negative(x)) compare("sqrt", sqrt(x), sqrt(X));
  }
  CHECK(fl.failures == 0);
  CHECK(identical > zone);
  CHECK(zone > 0);
  MESSAGE(fl.checks << " comparisons: " << identical << " identical, " << zone << " near underflow (MpInterval ⊆ Interval)");
}

TEST_CASE("consistency: Interval elementary functions equal MpInterval at 53 bits") {
  Rng g = tst::rng(0xC1);
  FailLog fl("elementary Interval vs MpInterval(53)");
  const long n = tst::trials(8000);
  for (long t = 0; t < n; ++t) {
    double a = coin(g) ? unif(g, -20.0, 20.0) : any_magnitude(g, -1074, 12);
    double b = coin(g) ? a : a + std::fabs(a) * std::ldexp(1.0, -irand(g, 1, 50));
    if (!std::isfinite(b)) b = a;
    const Interval x(std::min(a, b), std::max(a, b));
    const MpInterval X = mp53(x);
    MpPrecisionScope s(53);
    auto cmp = [&](const char* f, const Interval& r, const MpInterval& R) {
      fl.check(equal(to_interval(R), r), [&] { return std::string(f) + hx(x) + ": " + hx(r) + " vs " + hx(R); });
    };
    cmp("exp", exp(x), exp(X));
    cmp("expm1", expm1(x), expm1(X));
    cmp("tanh", tanh(x), tanh(X));
    cmp("atan", atan(x), atan(X));
    cmp("sin", sin(x), sin(X));
    cmp("cos", cos(x), cos(X));
    if (certainly_positive(x)) cmp("log", log(x), log(X));
    if (x.lower() > -1.0) cmp("log1p", log1p(x), log1p(X));
  }
  CHECK(fl.failures == 0);
  CHECK(fl.checks >= 6 * n);
}

TEST_CASE_TEMPLATE("consistency: elementary identities", T, Interval, MpInterval) {
  Rng g = tst::rng(std::is_same_v<T, Interval> ? 0xC2 : 0xC3);
  FailLog fl("identities");
  const long n = tst::trials(std::is_same_v<T, Interval> ? 20000 : 3000);
  MpPrecisionScope s(std::is_same_v<T, Interval> ? 256 : kMpTestBits);
  const T one(1), two(2), half_pi = ldexp(pi<T>(), -1);
  for (long t = 0; t < n; ++t) {
    const double a = coin(g) ? unif(g, -30.0, 30.0) : any_magnitude(g, -60, 9);
    const double w = coin(g) ? 0.0 : std::fabs(a) * std::ldexp(1.0, -irand(g, 8, 52));
    const T x = make<T>(g, a, a + w, kMpTestBits);
    auto txt = [&] { return hx(x); };
    // exp ∘ log and log ∘ exp
    const T p = abs(x) + T(0x1p-60);  // certainly positive
    fl.check(subset(p, exp(log(p))), [&] { return "exp(log(x)) misses x = " + hx(p); });
    if (mag(x) < 700) fl.check(subset(x, log(exp(x))), [&] { return "log(exp(x)) misses x = " + txt(); });
    if (certainly_greater(x, T(-1))) fl.check(subset(x, expm1(log1p(x))), [&] { return "expm1(log1p(x)) misses " + txt(); });
    // sin² + cos² ∋ 1
    fl.check(is_member(1.0, sqr(sin(x)) + sqr(cos(x))), [&] { return "sin^2+cos^2 misses 1 at " + txt(); });
    // sin 2x vs 2 sin x cos x
    fl.check(intersects(sin(two * x), two * sin(x) * cos(x)), [&] { return "sin 2x vs 2 sin x cos x at " + txt(); });
    // atan x + atan(1/x) = π/2 for x > 0
    fl.check(intersects(atan(p) + atan(one / p), half_pi), [&] { return "atan x + atan 1/x at " + hx(p); });
    // tanh x = expm1(2x) / (expm1(2x) + 2)
    if (mag(x) < 300) {
      const T e = expm1(two * x);
      fl.check(intersects(tanh(x), e / (e + two)), [&] { return "tanh vs expm1 at " + txt(); });
    }
  }
  CHECK(fl.failures == 0);
  CHECK(fl.checks >= 5 * n);
}

TEST_CASE_TEMPLATE("consistency: pow(x, n) vs repeated multiplication", T, Interval, MpInterval) {
  Rng g = tst::rng(std::is_same_v<T, Interval> ? 0xC4 : 0xC5);
  FailLog fl("pow");
  const long n_trials = tst::trials(std::is_same_v<T, Interval> ? 10000 : 2000);
  MpPrecisionScope s(std::is_same_v<T, Interval> ? 256 : kMpTestBits);
  long tighter = 0;
  for (long t = 0; t < n_trials; ++t) {
    const double a = unif(g, -4.0, 4.0);
    const double w = coin(g, 0.3) ? 0.0 : unif(g, 0.0, 2.0);
    const T x = make<T>(g, a, a + w, kMpTestBits);
    const int n = irand(g, 1, 25);
    T prod = x;
    for (int k = 1; k < n; ++k) prod = prod * x;
    const T p = pow(x, n);
    // exact range of xⁿ over x at 256 bits: endpoints' powers, and 0 when n is even and 0 ∈ x
    const MpInterval X = big(x);
    const MpInterval range = at_oracle_precision([&] {
      const MpInterval a = MpInterval(inf(X), inf(X)), b = MpInterval(sup(X), sup(X));
      MpInterval l = a, u = b;  // plain products of points at 256 bits (pow itself is under test)
      for (int k = 1; k < n; ++k) {
        l = l * a;
        u = u * b;
      }
      MpInterval r = convex_hull(l, u);
      if (n % 2 == 0 && contains_zero(X)) r = convex_hull(r, MpInterval(0));
      return r;
    });
    auto txt = [&] { return "x = " + hx(x) + ", n = " + std::to_string(n) + ": pow " + hx(p) + ", product " + hx(prod); };
    fl.check(inside(range, p), [&] { return "pow misses the range: " + txt(); });
    fl.check(inside(range, prod), [&] { return "product misses the range: " + txt(); });
    fl.check(intersects(p, prod), [&] { return "disjoint: " + txt(); });
    // even powers are nonnegative, unlike the dependent product when 0 ∈ x
    if (n % 2 == 0) fl.check(certainly_nonnegative(p), [&] { return "even power not nonnegative: " + txt(); });
    if (n % 2 == 0 && contains_zero(x) && !is_point(x) && !certainly_nonnegative(prod)) ++tighter;
    if (!contains_zero(x)) {
      const T inv = pow(x, -n);
      fl.check(intersects(inv, T(1) / prod), [&] { return "pow(x, -n) vs 1/product: " + txt(); });
      fl.check(inside(at_oracle_precision([&] { return MpInterval(1) / range; }), inv),
                [&] { return "pow(x, -n) misses 1/range: " + txt(); });
    }
  }
  CHECK(fl.failures == 0);
  CHECK(tighter > n_trials / 100);  // the case where pow must beat the product was reached
}

TEST_CASE("consistency: decimal text vs strtod and vs 256-bit MpInterval") {
  Rng g = tst::rng(0xC6);
  FailLog fl("from_text");
  const long n = tst::trials(20000);
  for (long t = 0; t < n; ++t) {
    // random decimal text: sign, up to 25 digits, a point somewhere (or not), an exponent
    std::string s;
    if (coin(g, 0.3)) s += '-';
    const int nd = irand(g, 1, 25), dot = irand(g, -1, nd);
    for (int k = 0; k < nd; ++k) {
      if (k == dot) s += '.';
      s += static_cast<char>('0' + irand(g, 0, 9));
    }
    if (coin(g, 0.5)) s += "e" + std::to_string(irand(g, -330, 310));
    const Interval x = Interval::from_text(s);
    const double d = std::strtod(s.c_str(), nullptr);  // round to nearest
    // strtod's RN result is an end of the tightest enclosure; when it overflows to ±∞ (not a
    // real number, so a member of nothing) the enclosure must reach that infinity instead
    const bool ok = std::isinf(d) ? (d > 0 ? x.upper() == kInf && x.lower() == kMax : x.lower() == -kInf && x.upper() == -kMax)
                                  : is_member(d, x);
    fl.check(ok, [&] { return "'" + s + "' -> " + hx(x) + " does not contain strtod = " + hx(d); });
    fl.check(ulps(x) <= 1, [&] { return "'" + s + "' -> " + hx(x) + " wider than 1 ulp"; });
    const MpInterval m = at_oracle_precision([&] { return MpInterval::from_text(s); });
    fl.check(equal(to_interval(m), x), [&] { return "'" + s + "': Interval " + hx(x) + ", MpInterval(256) " + hx(m); });
    fl.check(subset(m, x), [&] { return "'" + s + "': 256-bit enclosure not inside the binary64 one"; });
  }
  CHECK(fl.failures == 0);
}

TEST_CASE_TEMPLATE("consistency: softmax and logsumexp vs naive formulas", T, Interval, MpInterval) {
  Rng g = tst::rng(std::is_same_v<T, Interval> ? 0xC7 : 0xC8);
  FailLog fl("softmax");
  const long n_vec = tst::trials(std::is_same_v<T, Interval> ? 2000 : 300);
  for (long t = 0; t < n_vec; ++t) {
    const int n = irand(g, 1, 32);
    Vec<T> x(n);
    for (int j = 0; j < n; ++j) {
      const double c = unif(g, -30.0, 30.0), w = coin(g) ? 0.0 : unif(g, 0.0, 1e-3);
      x(j) = make<T>(g, c, c + w, kMpTestBits);
    }
    const Vec<T> s = enclose_softmax(x);
    const T l = logsumexp(x);
    T sum(0), naive(0);
    for (int j = 0; j < n; ++j) {
      sum += s(j);
      naive += exp(x(j));
    }
    fl.check(is_member(1.0, sum), [&] { return "sum of softmax misses 1: " + hx(sum); });
    fl.check(intersects(l, log(naive)), [&] { return "logsumexp " + hx(l) + " vs log(sum exp) " + hx(log(naive)); });
    for (int j = 0; j < n; ++j) {
      fl.check(intersects(s(j), exp(x(j) - l)), [&] { return "softmax vs exp(x - logsumexp) at " + std::to_string(j); });
      fl.check(!certainly_less(l, x(j)), [&] { return "logsumexp below a component"; });
    }
  }
  CHECK(fl.failures == 0);
}
