// Containment of the arithmetic primitives (+ − × ÷ sqr abs sqrt) against a 256-bit MPFI oracle.
//
// Inputs: random intervals over the whole binary64 range (subnormals, 2^-960 where the error-free
// transformations stop being exact, DBL_MAX, ±0, half-lines and the entire line), for Interval
// and for MpInterval at 113 bits (endpoints that are genuine 113-bit numbers).
// Oracle: the same operation in MPFI at 256 bits on the exact input endpoints. Every endpoint of
// a correct result is itself a 256-bit number, and MPFI returns the tightest 256-bit enclosure,
// so `oracle ⊆ result` holds for every correct result and fails for every wrong one: the check
// is exact, not a tolerance. Point checks: random points of the inputs, the exact operation
// at 256 bits, contained in the result.
#include "core_test_util.hpp"

using namespace ct;

namespace {

enum class Op { add, sub, mul, div, sqr, abs, sqrt };
const char* name(Op op) {
  switch (op) {
    case Op::add: return "+";
    case Op::sub: return "-";
    case Op::mul: return "*";
    case Op::div: return "/";
    case Op::sqr: return "sqr";
    case Op::abs: return "abs";
    case Op::sqrt: return "sqrt";
  }
  return "?";
}
bool unary(Op op) { return op == Op::sqr || op == Op::abs || op == Op::sqrt; }

template <class T>
T apply(Op op, const T& x, const T& y) {
  switch (op) {
    case Op::add: return x + y;
    case Op::sub: return x - y;
    case Op::mul: return x * y;
    case Op::div: return x / y;
    case Op::sqr: return sqr(x);
    case Op::abs: return abs(x);
    case Op::sqrt: return sqrt(x);
  }
  return x;
}

/// The operation at 256 bits on exact copies (sqrt on the clipped input, as documented).
MpInterval oracle(Op op, const MpInterval& X, const MpInterval& Y) {
  return at_oracle_precision([&] {
    if (op == Op::sqrt) {
      MpInterval c = X;
      if (mpfr_sgn(&c.data()->left) < 0) mpfr_set_ui(&c.data()->left, 0, MPFR_RNDD);
      MpInterval r;
      mpfi_sqrt(r.data(), c.data());
      return r;
    }
    if (op == Op::div) {  // mpfi directly: the wrapper's zero check is what is under test
      MpInterval r;
      mpfi_div(r.data(), X.data(), Y.data());
      return r;
    }
    return apply(op, X, Y);
  });
}

/// Whether a binary64 point operation falls where eft_rounding must rescale before its EFT.
bool underflow_zone_of(Op op, double x, double y) {
  const double tiny = 0x1p-960;
  switch (op) {
    case Op::mul: return x != 0.0 && y != 0.0 && std::isfinite(x * y) && std::fabs(x * y) < tiny;
    case Op::sqr: return x != 0.0 && std::fabs(x * x) < tiny;
    case Op::div:
      return x != 0.0 && std::isfinite(x) && std::isfinite(y) && (std::fabs(x) < tiny || std::fabs(x / y) < tiny);
    case Op::sqrt: return x > 0.0 && x < tiny;
    default: return false;
  }
}

bool oracle_is_double_point(const MpInterval& o) {
  if (!is_point(o)) return false;
  const double d = mpfr_get_d(&o.data()->left, MPFR_RNDN);
  return std::isfinite(d) && mpfr_cmp_d(&o.data()->left, d) == 0;
}

template <class T>
T under_test(Op op, const T& x, const T& y) {
  if constexpr (std::is_same_v<T, MpInterval>) {
    return at_test_precision<T>([&] { return apply(op, x, y); });
  } else {
    return apply(op, x, y);
  }
}

template <class T>
void run_arith_containment(std::uint64_t seed, long n_trials) {
  Rng g = tst::rng(seed);
  const Op ops[] = {Op::add, Op::sub, Op::mul, Op::div, Op::sqr, Op::abs, Op::sqrt};
  FailLog interval_log("interval containment"), point_log("point containment");
  FailLog throw_log("domain errors"), tight_log("tightness (binary64 point operations)");
  long div_skipped = 0, exact_points = 0, infinite_inputs = 0, underflow_zone = 0;
  std::int64_t max_ulps_normal = 0;

  for (long t = 0; t < n_trials; ++t) {
    const auto [xl, xh] = random_bounds(g);
    const auto [yl, yh] = random_bounds(g);
    const T x = make<T>(g, xl, xh, kMpTestBits);
    const T y = make<T>(g, yl, yh, kMpTestBits);
    if (!is_bounded(x) || !is_bounded(y)) ++infinite_inputs;
    const MpInterval X = big(x), Y = big(y);

    for (Op op : ops) {
      auto text = [&] {
        return std::string(name(op)) + " x=" + hx(x) + (unary(op) ? "" : " y=" + hx(y));
      };
      const bool must_throw = (op == Op::div && contains_zero(y)) || (op == Op::sqrt && certainly_negative(x));
      if (must_throw) {
        bool threw = false;
        try {
          (void)under_test(op, x, y);
        } catch (const std::domain_error&) {
          threw = true;
        }
        throw_log.check(threw, [&] { return text() + ": expected std::domain_error"; });
        if (op == Op::div) ++div_skipped;
        continue;
      }
      T r;
      try {
        r = under_test(op, x, y);
      } catch (const std::exception& e) {
        interval_log.check(false, [&] { return text() + ": threw " + e.what(); });
        continue;
      }
      const MpInterval o = oracle(op, X, Y);
      interval_log.check(inside(o, r), [&] { return text() + " -> " + hx(r) + ", oracle " + hx(o); });

      // Point checks: exact operation at 256 bits on points of the inputs.
      for (int k = 0; k < 2; ++k) {
        const double px = point_in_any(g, xl, xh), py = point_in_any(g, yl, yh);
        if (op == Op::div && py == 0.0) continue;
        if (op == Op::sqrt && px < 0.0) continue;
        const MpInterval P = big(Interval(px)), Q = big(Interval(py));
        const MpInterval po = oracle(op, P, Q);
        point_log.check(inside(po, r), [&] {
          return text() + " at x=" + hx(px) + " y=" + hx(py) + " -> " + hx(r) + ", exact " + hx(po);
        });
      }

      if constexpr (std::is_same_v<T, Interval>) {
        if (is_point(x) && (unary(op) || is_point(y))) {
          // Directed rounding of one operation: at most 1 ulp wide and a point when the exact
          // result is a double, over the whole range — including the underflow zone where the
          // EFTs need the exact rescaling of interval.hpp (× when |RN(xy)| < 2^-960, ÷ when |x|
          // or |RN(x/y)| < 2^-960, √ when x < 2^-960); the zone is counted to show it is reached.
          const bool zone = underflow_zone_of(op, x.lower(), y.lower());
          if (zone) ++underflow_zone;
          const std::int64_t w = ulps(r);
          if (!zone) max_ulps_normal = std::max(max_ulps_normal, w);
          tight_log.check(w <= 1, [&] { return text() + " -> " + hx(r) + " is " + std::to_string(w) + " ulp wide"; });
          if (oracle_is_double_point(o)) {
            ++exact_points;
            tight_log.check(is_point(r), [&] { return text() + " exact result not a point: " + hx(r); });
          }
        }
      }
    }
  }
  CHECK(interval_log.failures == 0);
  CHECK(point_log.failures == 0);
  CHECK(throw_log.failures == 0);
  CHECK(tight_log.failures == 0);
  // The distributions really reach the edge cases the test is about.
  CHECK(div_skipped > 0);
  CHECK(infinite_inputs > n_trials / 20);
  if constexpr (std::is_same_v<T, Interval>) {
    CHECK(exact_points > n_trials / 100);
    CHECK(underflow_zone > 0);
    MESSAGE("binary64 arithmetic: " << interval_log.checks << " interval + " << point_log.checks
                                    << " point checks; point operations: max " << max_ulps_normal
                                    << " ulp (normal range), " << exact_points << " exact results kept as points, "
                                    << underflow_zone << " in the underflow zone");
  } else {
    MESSAGE("MpInterval(113) arithmetic: " << interval_log.checks << " interval + " << point_log.checks
                                           << " point checks");
  }
}

}  // namespace

TEST_CASE_TEMPLATE("containment: + - * / sqr abs sqrt against 256-bit MPFI", T, Interval, MpInterval) {
  const bool mp = std::is_same_v<T, MpInterval>;
  run_arith_containment<T>(mp ? 0xA11CE : 0xB0B, tst::trials(mp ? 20000 : 60000));
}

TEST_CASE("containment: directed-rounding edge cases of the EFT policy") {
  // Each case: result must contain the exact value (256-bit oracle) and have the stated endpoints.
  struct Case {
    const char* what;
    Interval r;
    MpInterval exact;
    double lo, hi;
  };
  const MpInterval dmax = big(Interval(kMax));
  auto O = [](auto f) { return at_oracle_precision(f); };
  const Case cases[] = {
      {"DBL_MAX + DBL_MAX", Interval(kMax) + Interval(kMax), O([&] { return dmax + dmax; }), kMax, kInf},
      {"-DBL_MAX - DBL_MAX", Interval(-kMax) - Interval(kMax), O([&] { return -dmax - dmax; }), -kInf, -kMax},
      // DBL_MAX + 2^970 is exactly the overflow threshold: RN overflows, the lower bound is DBL_MAX.
      {"DBL_MAX + 2^970", Interval(kMax) + Interval(0x1p970), O([&] { return dmax + big(Interval(0x1p970)); }), kMax, kInf},
      {"DBL_MAX + 1", Interval(kMax) + Interval(1.0), O([&] { return dmax + big(Interval(1.0)); }), kMax, kInf},
      {"DBL_MAX * 2", Interval(kMax) * Interval(2.0), O([&] { return dmax * big(Interval(2.0)); }), kMax, kInf},
      {"-DBL_MAX * 2", Interval(-kMax) * Interval(2.0), O([&] { return -dmax * big(Interval(2.0)); }), -kInf, -kMax},
      {"DBL_MAX / 0.5", Interval(kMax) / Interval(0.5), O([&] { return dmax / big(Interval(0.5)); }), kMax, kInf},
      {"1 / denorm_min", Interval(1.0) / Interval(kDenormMin), O([&] { return big(Interval(1.0)) / big(Interval(kDenormMin)); }), kMax, kInf},
      {"DBL_MAX (exact, stays)", Interval(kMax) * Interval(1.0), O([&] { return dmax; }), kMax, kMax},
      {"1 + 2^-53", Interval(1.0) + Interval(0x1p-53), O([&] { return big(Interval(1.0)) + big(Interval(0x1p-53)); }), 1.0, up(1.0)},
      {"1 + denorm_min", Interval(1.0) + Interval(kDenormMin), O([&] { return big(Interval(1.0)) + big(Interval(kDenormMin)); }), 1.0, up(1.0)},
      {"1 - denorm_min", Interval(1.0) - Interval(kDenormMin), O([&] { return big(Interval(1.0)) - big(Interval(kDenormMin)); }), down(1.0), 1.0},
      {"denorm_min + denorm_min (exact)", Interval(kDenormMin) + Interval(kDenormMin), O([&] { return big(Interval(2 * kDenormMin)); }), 2 * kDenormMin, 2 * kDenormMin},
      {"DBL_MIN - denorm_min (exact subnormal)", Interval(kMinNormal) - Interval(kDenormMin), O([&] { return big(Interval(down(kMinNormal))); }), down(kMinNormal), down(kMinNormal)},
      // results in the subnormal range are the exact directed roundings too (never of the wrong sign)
      {"2^-600 * 2^-600", Interval(0x1p-600) * Interval(0x1p-600), O([&] { return big(Interval(0x1p-600)) * big(Interval(0x1p-600)); }), 0.0, kDenormMin},
      {"-2^-600 * 2^-600", Interval(-0x1p-600) * Interval(0x1p-600), O([&] { return -big(Interval(0x1p-600)) * big(Interval(0x1p-600)); }), -kDenormMin, 0.0},
      {"denorm_min / 2", Interval(kDenormMin) / Interval(2.0), O([&] { return big(Interval(kDenormMin)) / big(Interval(2.0)); }), 0.0, kDenormMin},
      {"3*2^-1074 * 0.5", Interval(3 * kDenormMin) * Interval(0.5), O([&] { return big(Interval(3 * kDenormMin)) * big(Interval(0.5)); }), kDenormMin, 2 * kDenormMin},
      {"2^-1074 * 2 (exact)", Interval(kDenormMin) * Interval(2.0), O([&] { return big(Interval(2 * kDenormMin)); }), 2 * kDenormMin, 2 * kDenormMin},
      {"2^-1000 / 2^40 (exact subnormal)", Interval(0x1p-1000) / Interval(0x1p40), O([&] { return big(Interval(0x1p-1040)); }), 0x1p-1040, 0x1p-1040},
      // exact results stay points
      {"1 + 1", Interval(1.0) + Interval(1.0), O([&] { return big(Interval(2.0)); }), 2.0, 2.0},
      {"0.5 * 4", Interval(0.5) * Interval(4.0), O([&] { return big(Interval(2.0)); }), 2.0, 2.0},
      {"1 / 4", Interval(1.0) / Interval(4.0), O([&] { return big(Interval(0.25)); }), 0.25, 0.25},
      {"sqrt(4)", sqrt(Interval(4.0)), O([&] { return big(Interval(2.0)); }), 2.0, 2.0},
      {"sqrt(2^-1000) (exact)", sqrt(Interval(0x1p-1000)), O([&] { return big(Interval(0x1p-500)); }), 0x1p-500, 0x1p-500},
      {"sqrt(2^-1074) (exact)", sqrt(Interval(kDenormMin)), O([&] { return big(Interval(0x1p-537)); }), 0x1p-537, 0x1p-537},
      {"0 * [1, inf]", Interval(0.0) * Interval(1.0, kInf), O([&] { return big(Interval(0.0)); }), 0.0, 0.0},
      {"0 * entire", Interval(0.0) * Interval::entire(), O([&] { return big(Interval(0.0)); }), 0.0, 0.0},
      {"[0,1] * [1,inf]", Interval(0.0, 1.0) * Interval(1.0, kInf), O([&] { return big(Interval(0.0, kInf)); }), 0.0, kInf},
      {"[-1,0] * [0,inf]", Interval(-1.0, 0.0) * Interval(0.0, kInf), O([&] { return big(Interval(-kInf, 0.0)); }), -kInf, 0.0},
      {"[1,2] / [1,inf]", Interval(1.0, 2.0) / Interval(1.0, kInf), O([&] { return big(Interval(0.0, 2.0)); }), 0.0, 2.0},
      {"[1,inf] - [1,inf]", Interval(1.0, kInf) - Interval(1.0, kInf), O([&] { return big(Interval::entire()); }), -kInf, kInf},
      {"-0 + -0", Interval(-0.0) + Interval(-0.0), O([&] { return big(Interval(0.0)); }), 0.0, 0.0},
  };
  for (const auto& c : cases) {
    INFO(c.what << " -> " << hx(c.r) << ", exact " << hx(c.exact));
    CHECK(inside(c.exact, c.r));
    CHECK(c.r.lower() == c.lo);
    CHECK(c.r.upper() == c.hi);
  }
}

TEST_CASE("containment: inexact division 1/10 and 1/3 under the project's flags") {
  // Compile-time constants: with -frounding-math the compiler must not fold the EFT into a wrong
  // answer; with volatile inputs: the run-time path. Both must enclose the exact rationals.
  const Interval tenth = Interval(1) / Interval(10);
  const Interval third = Interval(1) / Interval(3);
  volatile double one = 1.0, ten = 10.0, three = 3.0;
  const Interval tenth_rt = Interval(static_cast<double>(one)) / Interval(static_cast<double>(ten));
  const Interval third_rt = Interval(static_cast<double>(one)) / Interval(static_cast<double>(three));
  const Rational q10 = parse_exact("1/10"), q3 = parse_exact("1/3");
  for (const Interval& r : {tenth, tenth_rt}) {
    INFO("1/10 -> " << hx(r));
    CHECK(Rational(r.lower()) < q10);
    CHECK(q10 < Rational(r.upper()));
    CHECK(ulps(r) == 1);
    CHECK(equal(r, Interval::from_text("0.1")));
  }
  for (const Interval& r : {third, third_rt}) {
    INFO("1/3 -> " << hx(r));
    CHECK(Rational(r.lower()) < q3);
    CHECK(q3 < Rational(r.upper()));
    CHECK(ulps(r) == 1);
    CHECK(equal(r, Interval::from_text("1/3")));
  }
  // 0.1 + 0.2 (as the exact decimals) encloses 3/10 and not the double 0.30000000000000004.
  const Interval s = Interval::from_text("0.1") + Interval::from_text("0.2");
  CHECK(Rational(s.lower()) < parse_exact("0.3"));
  CHECK(parse_exact("0.3") < Rational(s.upper()));
  // MpInterval at 113 bits encloses 1/10 as well, 2^-113-tight.
  MpPrecisionScope p(113);
  const MpInterval m = MpInterval(1) / MpInterval(10);
  CHECK(m.precision() == 113);
  CHECK(inside(at_oracle_precision([] { return MpInterval::from_text("1/10"); }), m));
  CHECK(equal(m, MpInterval::from_text("0.1")));
  CHECK(is_member(0.1, m) == false);  // the double 0.1 is not 1/10
}
