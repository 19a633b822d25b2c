// Containment and tightness of the elementary functions against a 256-bit MPFR oracle.
//
// For each of exp, expm1, log, log1p, tanh, sin, cos, atan (Interval) at least 10^5 checks in the
// default run (× CERTIFORMER_TEST_MULTIPLIER): point inputs and small intervals drawn from
// distributions aimed at the hard spots — the overflow / underflow thresholds of exp
// (±709.78, −708.4, −745.13), tiny arguments (subnormal results), −1 for log1p, 1 for log,
// multiples of π/2 (including the binary64 argument closest to one) and huge arguments for
// sin / cos, saturation of tanh and atan.
// Oracle: monotone f on [a, b] → [f(a) rounded down, f(b) rounded up] at 256 bits (MPFR is
// correctly rounded); sin / cos → endpoint values plus ±1 when [a, b] contains an extremum
// k·π (cos) or π/2 + k·π (sin), decided at 256 + exponent bits so that huge arguments are reduced
// correctly. As in the arithmetic tests `oracle ⊆ result` is an exact criterion.
// Tightness: a point input must give a binary64 result at most 4 ulp wide (the library
// promises 1); the maximum is reported.
#include "core_test_util.hpp"

#include <gmp.h>

using namespace ct;

namespace {

using MpfrFn = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);
enum class Kind { increasing, sine, cosine };

struct Fn {
  const char* name;
  Kind kind;
  MpfrFn mf;
  Interval (*fi)(const Interval&);
  MpInterval (*fm)(const MpInterval&);
  double dom_lo;  // exclusive lower bound of the domain (−∞: everything)
  double (*point)(Rng&);
};

// ---- the oracle ------------------------------------------------------------------------------

/// Decides whether [lo, hi] contains an extremum of sin (x = π/2 + kπ) or cos (x = kπ), and if
/// so which values (±1) are attained. Returns {has_max, has_min}.
std::pair<bool, bool> trig_extrema(Kind kind, mpfr_srcptr lo, mpfr_srcptr hi) {
  long e = 0;
  if (!mpfr_zero_p(lo)) e = std::max(e, static_cast<long>(mpfr_get_exp(lo)));
  if (!mpfr_zero_p(hi)) e = std::max(e, static_cast<long>(mpfr_get_exp(hi)));
  const mpfr_prec_t p = tst::kOracleBits + 16 + e;
  Fr pi(p), t(p);
  mpfr_const_pi(pi.v, MPFR_RNDN);
  mpz_t klo, khi;
  mpz_init(klo);
  mpz_init(khi);
  // t = x/π (cos) or x/π − 1/2 (sin); extrema at integers k with value (−1)^k
  mpfr_div(t.v, lo, pi.v, MPFR_RNDN);
  if (kind == Kind::sine) mpfr_sub_d(t.v, t.v, 0.5, MPFR_RNDN);
  mpfr_ceil(t.v, t.v);
  mpfr_get_z(klo, t.v, MPFR_RNDN);
  mpfr_div(t.v, hi, pi.v, MPFR_RNDN);
  if (kind == Kind::sine) mpfr_sub_d(t.v, t.v, 0.5, MPFR_RNDN);
  mpfr_floor(t.v, t.v);
  mpfr_get_z(khi, t.v, MPFR_RNDN);
  std::pair<bool, bool> r{false, false};
  const int c = mpz_cmp(klo, khi);
  if (c < 0) {
    r = {true, true};  // two consecutive extrema: both +1 and −1
  } else if (c == 0) {
    const bool even = mpz_even_p(klo);
    r = {even, !even};
  }
  mpz_clear(klo);
  mpz_clear(khi);
  return r;
}

/// 256-bit enclosure of f([lo, hi]).
MpInterval oracle(const Fn& f, mpfr_srcptr lo, mpfr_srcptr hi, long* extrema_seen = nullptr) {
  Fr a, b;
  if (f.kind == Kind::increasing) {
    f.mf(a.v, lo, MPFR_RNDD);
    f.mf(b.v, hi, MPFR_RNDU);
    return mp_from_fr(a.v, b.v, tst::kOracleBits);
  }
  if (!mpfr_number_p(lo) || !mpfr_number_p(hi)) {
    mpfr_set_si(a.v, -1, MPFR_RNDN);
    mpfr_set_si(b.v, 1, MPFR_RNDN);
    return mp_from_fr(a.v, b.v, tst::kOracleBits);
  }
  const MpfrFn g = f.kind == Kind::sine ? mpfr_sin : mpfr_cos;
  Fr a2, b2;
  g(a.v, lo, MPFR_RNDD);
  g(a2.v, hi, MPFR_RNDD);
  g(b.v, lo, MPFR_RNDU);
  g(b2.v, hi, MPFR_RNDU);
  mpfr_min(a.v, a.v, a2.v, MPFR_RNDD);
  mpfr_max(b.v, b.v, b2.v, MPFR_RNDU);
  if (mpfr_less_p(lo, hi)) {
    const auto [has_max, has_min] = trig_extrema(f.kind, lo, hi);
    if (has_max) mpfr_set_si(b.v, 1, MPFR_RNDN);
    if (has_min) mpfr_set_si(a.v, -1, MPFR_RNDN);
    if (extrema_seen && (has_max || has_min)) ++*extrema_seen;
  }
  return mp_from_fr(a.v, b.v, tst::kOracleBits);
}

MpInterval oracle_at(const Fn& f, double lo, double hi, long* extrema_seen = nullptr) {
  Fr l(lo, 53), h(hi, 53);
  return oracle(f, l.v, h.v, extrema_seen);
}

// ---- input distributions ---------------------------------------------------------------------

/// x moved by up to max_ulps ulps either way, staying finite.
double nudge(Rng& g, double x, int max_ulps) {
  for (int k = irand(g, -max_ulps, max_ulps); k != 0; k += (k > 0 ? -1 : 1)) x = k > 0 ? up(x) : down(x);
  return std::clamp(x, -kMax, kMax);
}

const double kLogMax = 0x1.62e42fefa39efp+9;    // RN(log(DBL_MAX)) = 709.78…
const double kLogMin = -0x1.6232bdd7abcd2p+9;   // RN(log(DBL_MIN)) = −708.39…
const double kLogTiny = -0x1.74910d52d3051p+9;  // RN(log(2^-1075)) = −745.13…

double exp_point(Rng& g) {
  switch (irand(g, 0, 9)) {
    case 0:
    case 1: return unif(g, -750.0, 715.0);
    case 2: return nudge(g, kLogMax, 1000) + (coin(g) ? 0.0 : unif(g, -1e-6, 1e-6));
    case 3: return nudge(g, kLogMin, 1000);
    case 4: return nudge(g, kLogTiny, 1000) + (coin(g) ? 0.0 : unif(g, -1e-3, 1e-3));
    case 5: return any_magnitude(g, -1074, -1);  // near 0
    case 6: return any_magnitude(g, 9, 1023);    // huge: 0 or overflow
    case 7: return unif(g, -745.2, -708.0);      // subnormal results
    default: return mixed_double(g);
  }
}
double expm1_point(Rng& g) {
  switch (irand(g, 0, 5)) {
    case 0:
    case 1: return any_magnitude(g, -1074, 0);  // near 0, subnormal results
    case 2: return nudge(g, 0x1p-53, 4) * (coin(g) ? 1 : -1);
    default: return exp_point(g);
  }
}
double log_point(Rng& g) {
  switch (irand(g, 0, 7)) {
    case 0:
    case 1: return std::fabs(any_magnitude(g));  // includes subnormals
    case 2: return nudge(g, 1.0, 100000);        // near 1: tiny results
    case 3: return 1.0 + (coin(g) ? 1 : -1) * std::ldexp(unif(g, 0.5, 1.0), -irand(g, 1, 60));
    case 4: return nudge(g, kMax, 1000);
    case 5: return nudge(g, kDenormMin * 1000, 999);
    default: {
      double v = std::fabs(mixed_double(g));
      return v == 0.0 ? kDenormMin : v;
    }
  }
}
double log1p_point(Rng& g) {
  switch (irand(g, 0, 7)) {
    case 0: return -1.0 + std::ldexp(static_cast<double>(irand(g, 1, 1000000)), -53);  // just above −1
    case 1: return -1.0 + std::ldexp(unif(g, 0.5, 1.0), -irand(g, 1, 53));
    case 2: return any_magnitude(g, -1074, -1);  // near 0, either sign
    case 3: return std::fabs(any_magnitude(g, 0, 1023));
    case 4: return unif(g, -1.0, 10.0);
    case 5: return nudge(g, kMax, 1000);
    default: {
      double v = mixed_double(g);
      return v <= -1.0 ? std::fabs(v) : v;
    }
  }
}
double tanh_point(Rng& g) {
  switch (irand(g, 0, 5)) {
    case 0: return any_magnitude(g, -1074, -1);
    case 1: return (coin(g) ? 1 : -1) * unif(g, 15.0, 25.0);  // rounds to ±1 around 19.06
    case 2: return unif(g, -5.0, 5.0);
    case 3: return any_magnitude(g, 5, 1023);
    default: return mixed_double(g);
  }
}
double atan_point(Rng& g) {
  switch (irand(g, 0, 5)) {
    case 0: return any_magnitude(g, -1074, -1);
    case 1: return nudge(g, coin(g) ? 1.0 : -1.0, 1000);
    case 2: return any_magnitude(g, 26, 1023);  // rounds to ±π/2
    case 3: return unif(g, -10.0, 10.0);
    default: return mixed_double(g);
  }
}
/// RN(k·π/2) for an integer k ≥ 0 of up to 64 bits, then scaled by 2^s.
double near_half_pi_multiple(Rng& g) {
  const int j = irand(g, 0, 7);
  Fr pi(1400), t(1400);
  mpfr_const_pi(pi.v, MPFR_RNDN);
  if (j == 0) {
    // the binary64 number closest to a multiple of π/2 (Muller's table): 6381956970095103·2^797
    return nudge(g, std::ldexp(6381956970095103.0, 797), 3) * (coin(g) ? 1 : -1);
  }
  std::uint64_t k;
  if (j <= 4) k = static_cast<std::uint64_t>(irand(g, 0, 1 << 20));
  else k = g() >> irand(g, 1, 60);
  mpfr_mul_ui(t.v, pi.v, static_cast<unsigned long>(k), MPFR_RNDN);
  mpfr_div_2ui(t.v, t.v, 1, MPFR_RNDN);
  const double x = mpfr_get_d(t.v, MPFR_RNDN);
  return nudge(g, x, 4) * (coin(g) ? 1 : -1);
}
double trig_point(Rng& g) {
  switch (irand(g, 0, 7)) {
    case 0:
    case 1:
    case 2: return near_half_pi_multiple(g);
    case 3: return any_magnitude(g, 30, 1023);  // huge arguments
    case 4: return any_magnitude(g, -1074, -1);  // near 0
    case 5: return unif(g, -10.0, 10.0);
    default: return mixed_double(g);
  }
}

const Fn kFns[] = {
    {"exp", Kind::increasing, mpfr_exp, [](const Interval& x) { return exp(x); }, [](const MpInterval& x) { return exp(x); }, -kInf, exp_point},
    {"expm1", Kind::increasing, mpfr_expm1, [](const Interval& x) { return expm1(x); }, [](const MpInterval& x) { return expm1(x); }, -kInf, expm1_point},
    {"log", Kind::increasing, mpfr_log, [](const Interval& x) { return log(x); }, [](const MpInterval& x) { return log(x); }, 0.0, log_point},
    {"log1p", Kind::increasing, mpfr_log1p, [](const Interval& x) { return log1p(x); }, [](const MpInterval& x) { return log1p(x); }, -1.0, log1p_point},
    {"tanh", Kind::increasing, mpfr_tanh, [](const Interval& x) { return tanh(x); }, [](const MpInterval& x) { return tanh(x); }, -kInf, tanh_point},
    {"atan", Kind::increasing, mpfr_atan, [](const Interval& x) { return atan(x); }, [](const MpInterval& x) { return atan(x); }, -kInf, atan_point},
    {"sin", Kind::sine, nullptr, [](const Interval& x) { return sin(x); }, [](const MpInterval& x) { return sin(x); }, -kInf, trig_point},
    {"cos", Kind::cosine, nullptr, [](const Interval& x) { return cos(x); }, [](const MpInterval& x) { return cos(x); }, -kInf, trig_point},
};

std::pair<double, double> small_interval_raw(Rng& g, const Fn& f);
/// A small (or occasionally half-infinite) interval around a point of the distribution, inside
/// the domain.
std::pair<double, double> small_interval(Rng& g, const Fn& f) {
  auto [lo, hi] = small_interval_raw(g, f);
  if (!(lo > f.dom_lo)) lo = std::min(hi, up(f.dom_lo));
  return {lo, hi};
}
std::pair<double, double> small_interval_raw(Rng& g, const Fn& f) {
  double a = f.point(g);
  if (!(a > f.dom_lo)) a = up(f.dom_lo);
  double w;
  switch (irand(g, 0, 4)) {
    case 0: {
      double b = nudge(g, a, 1000);
      if (!std::isfinite(b)) b = a;
      return {std::min(a, b), std::max(a, b)};
    }
    case 1: w = std::fabs(a) * std::ldexp(1.0, -irand(g, 10, 52)); break;
    case 2: w = unif(g, 0.0, 1e-3); break;
    case 3: w = std::ldexp(1.0, -irand(g, 0, 1074)); break;
    default:
      if (coin(g, 0.1)) return f.dom_lo == -kInf && coin(g) ? std::pair{-kInf, a} : std::pair{a, kInf};
      w = unif(g, 0.0, 10.0);
  }
  double lo = a - w * unif(g, 0.0, 1.0), hi = a + w * unif(g, 0.0, 1.0);
  if (!std::isfinite(lo)) lo = a;
  if (!std::isfinite(hi)) hi = a;
  if (lo <= f.dom_lo) lo = a;
  return {std::min(lo, hi), std::max(lo, hi)};
}

// ---- the binary64 run ------------------------------------------------------------------------

void run_binary64(const Fn& f, std::uint64_t seed) {
  Rng g = tst::rng(seed);
  FailLog fl(f.name);
  FailLog tight("tightness");
  const long n_points = tst::trials(70000), n_intervals = tst::trials(35000);
  std::int64_t max_ulps = 0;
  double worst = 0.0;
  long extrema = 0, subnormal_results = 0, overflow_results = 0, exact_points = 0;

  for (long t = 0; t < n_points; ++t) {
    const double x = f.point(g);
    if (!(x > f.dom_lo) || !std::isfinite(x)) continue;
    Interval r;
    try {
      r = f.fi(Interval(x));
    } catch (const std::exception& e) {
      fl.check(false, [&] { return std::string(f.name) + "(" + hx(x) + ") threw " + e.what(); });
      continue;
    }
    const MpInterval o = oracle_at(f, x, x);
    fl.check(inside(o, r), [&] { return std::string(f.name) + "(" + hx(x) + ") = " + hx(r) + ", oracle " + hx(o); });
    const std::int64_t w = ulps(r);
    if (w > max_ulps) { max_ulps = w; worst = x; }
    tight.check(w <= 4, [&] { return std::string(f.name) + "(" + hx(x) + ") = " + hx(r) + " is " + std::to_string(w) + " ulp wide"; });
    if (is_point(r)) ++exact_points;
    if (mig(r) > 0.0 && mig(r) < kMinNormal) ++subnormal_results;
    if (mag(r) == kInf) ++overflow_results;
  }
  for (long t = 0; t < n_intervals; ++t) {
    const auto [lo, hi] = small_interval(g, f);
    const Interval x(lo, hi);
    Interval r;
    try {
      r = f.fi(x);
    } catch (const std::exception& e) {
      fl.check(false, [&] { return std::string(f.name) + hx(x) + " threw " + e.what(); });
      continue;
    }
    const MpInterval o = oracle_at(f, lo, hi, &extrema);
    fl.check(inside(o, r), [&] { return std::string(f.name) + hx(x) + " = " + hx(r) + ", oracle " + hx(o); });
    const double p = point_in_any(g, lo, hi);
    const MpInterval op = oracle_at(f, p, p);
    fl.check(inside(op, r), [&] {
      return std::string(f.name) + hx(x) + " = " + hx(r) + " misses f(" + hx(p) + ") in " + hx(op);
    });
  }
  CHECK_MESSAGE(fl.failures == 0, std::string(f.name));
  CHECK_MESSAGE(tight.failures == 0, std::string(f.name));
  CHECK_MESSAGE(fl.checks >= tst::trials(100000), std::string(f.name));
  // the distributions reach what they are aimed at
  if (f.kind != Kind::increasing) CHECK_MESSAGE(extrema > n_intervals / 20, std::string(f.name));
  if (f.name == std::string("exp")) {
    CHECK(subnormal_results > n_points / 50);
    CHECK(overflow_results > n_points / 50);
  }
  if (f.name == std::string("expm1") || f.name == std::string("tanh") || f.name == std::string("atan") ||
      f.name == std::string("sin"))
    CHECK_MESSAGE(subnormal_results > n_points / 50, std::string(f.name));
  MESSAGE(std::string(f.name) << " (binary64): " << fl.checks << " checks, max width of a point result " << max_ulps
                 << " ulp (at x = " << hx(worst) << "), " << exact_points << " exact points, " << subnormal_results
                 << " subnormal results, " << overflow_results << " overflows, " << extrema
                 << " intervals containing an extremum");
}

// ---- MpInterval at 113 bits ------------------------------------------------------------------

void run_mp(const Fn& f, std::uint64_t seed) {
  Rng g = tst::rng(seed);
  FailLog fl(f.name);
  const long n = tst::trials(6000);
  for (long t = 0; t < n; ++t) {
    std::pair<double, double> b;
    if (coin(g)) {
      const double x = f.point(g);
      b = {x, x};
    } else {
      b = small_interval(g, f);
    }
    if (!(b.first > f.dom_lo) || b.first == kInf || b.second == -kInf) continue;
    MpInterval x = make<MpInterval>(g, b.first, b.second, kMpTestBits);
    if (!(mpfr_cmp_d(&x.data()->left, f.dom_lo) > 0)) x = mp_bounds(g, b.first, b.first, kMpTestBits);
    MpInterval r;
    try {
      r = at_test_precision<MpInterval>([&] { return f.fm(x); });
    } catch (const std::exception& e) {
      fl.check(false, [&] { return std::string(f.name) + hx(x) + " threw " + e.what(); });
      continue;
    }
    const MpInterval o = oracle(f, &x.data()->left, &x.data()->right);
    fl.check(inside(o, r), [&] { return std::string(f.name) + hx(x) + " = " + hx(r) + ", oracle " + hx(o); });
    fl.check(r.precision() == kMpTestBits, [&] { return std::string(f.name) + ": result precision " + std::to_string(r.precision()); });
  }
  CHECK_MESSAGE(fl.failures == 0, std::string(f.name));
  MESSAGE(std::string(f.name) << " (MpInterval, 113 bits): " << fl.checks << " checks");
}

}  // namespace

TEST_CASE("containment: elementary functions, binary64, >= 1e5 checks each") {
  std::uint64_t seed = 0xE1E;
  for (const Fn& f : kFns) {
    SUBCASE(f.name) { run_binary64(f, seed); }
    ++seed;
  }
}

TEST_CASE("containment: elementary functions, MpInterval at 113 bits") {
  std::uint64_t seed = 0x3E1E;
  for (const Fn& f : kFns) {
    SUBCASE(f.name) { run_mp(f, seed); }
    ++seed;
  }
}

TEST_CASE("containment: the oracle itself sees extrema and huge-argument reduction") {
  // Guards against an oracle that would make every check pass (a test that cannot fail).
  const Fn& s = kFns[6];
  const Fn& c = kFns[7];
  // [1.5, 1.6] contains π/2: sin reaches 1; cos changes sign but has no extremum there.
  MpInterval o = oracle_at(s, 1.5, 1.6);
  CHECK(mpfr_cmp_si(&o.data()->right, 1) == 0);
  o = oracle_at(c, 1.5, 1.6);
  CHECK(mpfr_cmp_d(&o.data()->right, 0.08) < 0);
  CHECK(mpfr_cmp_d(&o.data()->left, -0.03) > 0);  // cos(1.6) = −0.0292
  CHECK(mpfr_cmp_d(&o.data()->left, -0.029) < 0);
  // [3, 3.2] contains π: cos reaches −1.
  o = oracle_at(c, 3.0, 3.2);
  CHECK(mpfr_cmp_si(&o.data()->left, -1) == 0);
  // sin(1e22) = −0.8522008497671888… (needs a correct reduction by π of a 74-bit argument)
  o = oracle_at(s, 1e22, 1e22);
  Fr a, b;
  mpfr_set_str(a.v, "-0.85220084976718880177270589376", 10, MPFR_RNDN);
  mpfr_set_str(b.v, "-0.85220084976718880177270589375", 10, MPFR_RNDN);
  CHECK(mpfr_cmp(&o.data()->left, a.v) > 0);
  CHECK(mpfr_cmp(&o.data()->right, b.v) < 0);
  CHECK(inside(o, sin(Interval(1e22))));
  CHECK(!inside(o, Interval(-0.5, 0.5)));
  // Interval(1e22) result is 1 ulp wide and has the right sign
  CHECK(certainly_negative(sin(Interval(1e22))));
}

// The fast binary64 exp path (double-double reduction + Taylor, Ziv's test; elementary.cpp) must
// return exactly MPFR's directed roundings RD(eˣ), RU(eˣ) at every point, and the same endpoints
// on intervals. Arguments: uniform on several scales, near k·ln2 / 2 (reduction boundaries),
// tiny, and the edges of the fast domain (|x| ≤ 600).
TEST_CASE("exp: fast path equals the MPFR reference exactly") {
  auto g = certiformer::test::rng(0xe4fu);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const long n = certiformer::test::trials(400000);
  const double scales[] = {1e-19, 1e-12, 1e-6, 1e-2, 0.3, 0.35, 1, 3, 30, 300, 600, 700};
  long checked = 0;
  for (long i = 0; i < n; ++i) {
    double x = u(g) * scales[i % 12];
    if (i % 7 == 0) x = (std::floor(u(g) * 800) + 0.5) * 0.6931471805599453 + u(g) * 1e-12;  // near (k + ½)·ln 2
    const Interval p(x);
    const Interval fast = exp(p), ref = detail::exp_via_mpfr(p);
    INFO("x = ", hex(x));
    REQUIRE(fast.lower() == ref.lower());
    REQUIRE(fast.upper() == ref.upper());
    if (i % 5 == 0) {
      const double y = x + std::fabs(u(g)) * 0.5;
      const Interval q(x, y);
      const Interval f2 = exp(q), r2 = detail::exp_via_mpfr(q);
      INFO("y = ", hex(y));
      REQUIRE(f2.lower() == r2.lower());
      REQUIRE(f2.upper() == r2.upper());
    }
    ++checked;
  }
  CHECK(exp(Interval(0.0)) == Interval(1.0));
  CHECK(checked == n);
}
