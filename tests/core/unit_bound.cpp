// Unit tests of the typed one-sided bounds (core/bound.hpp): every binary64 operation is the
// IEEE directed rounding of the exact result (checked against a 256-bit MPFR oracle: RU₅₃ of the
// oracle's RU₂₅₆ is RU₅₃ of the exact value, so the comparison is exact), the MpReal operations
// likewise at 113 bits, exp / log stay on the right side, the checks refuse what no bound can be,
// and the named conversions give [−∞, b], [0, b], [a, +∞]. A round-to-nearest mutation of
// lib/src/core/bound.cpp fails "binary64 arithmetic is the directed rounding".
#include "core_test_util.hpp"

#include "certiformer/core/bound.hpp"

#include <cfenv>
#include <functional>
#include <stdexcept>

using namespace ct;

namespace {

using UB = UpperBound<double>;
using LB = LowerBound<double>;

// a ∘ b at 256 bits rounded `rnd`, then to binary64 in the same direction.
double oracle(detail::BoundOp op, double a, double b, mpfr_rnd_t rnd) {
  Fr x(tst::kOracleBits), y(tst::kOracleBits), z(tst::kOracleBits);
  mpfr_set_d(x.v, a, MPFR_RNDN);
  mpfr_set_d(y.v, b, MPFR_RNDN);
  switch (op) {
    case detail::BoundOp::add: mpfr_add(z.v, x.v, y.v, rnd); break;
    case detail::BoundOp::sub: mpfr_sub(z.v, x.v, y.v, rnd); break;
    case detail::BoundOp::mul: mpfr_mul(z.v, x.v, y.v, rnd); break;
    case detail::BoundOp::div: mpfr_div(z.v, x.v, y.v, rnd); break;
    case detail::BoundOp::sqrt: mpfr_sqrt(z.v, x.v, rnd); break;
    default: break;
  }
  return mpfr_get_d(z.v, rnd);
}

double rnd_nonneg(Rng& g) {
  switch (irand(g, 0, 3)) {
    case 0: return unif(g, 0.0, 10.0);
    case 1: return std::ldexp(unif(g, 1.0, 2.0), irand(g, -1074, 1000));
    case 2: return std::fabs(mixed_double(g));
    default: return unif(g, 0.0, 1.0) * 3.0 + 1.0 / 3.0;
  }
}

}  // namespace

TEST_CASE("binary64 arithmetic is the directed rounding of the exact result (256-bit oracle)") {
  Rng g(20261204);
  using detail::BoundOp;
  int inexact_up = 0, checked = 0;
  FailLog log("bound");
  for (int i = 0; i < tst::trials(20000); ++i) {
    double a = rnd_nonneg(g), b = rnd_nonneg(g);
    if (!std::isfinite(a) || !std::isfinite(b)) continue;
    if (coin(g, 0.3)) a = -a;
    const UB ua(a), ub(b);
    const LB la(a), lb(b);
    // + (both sides), − (U − L, L − U)
    const double s_up = (ua + ub).value(), s_dn = (la + lb).value();
    const double d_up = (ua - lb).value(), d_dn = (la - ub).value();
    log.check(s_up == oracle(BoundOp::add, a, b, MPFR_RNDU), [&] { return std::string("add up " + hx(a) + " " + hx(b)); });
    log.check(s_dn == oracle(BoundOp::add, a, b, MPFR_RNDD), [&] { return std::string("add down " + hx(a) + " " + hx(b)); });
    log.check(d_up == oracle(BoundOp::sub, a, b, MPFR_RNDU), [&] { return std::string("sub up " + hx(a) + " " + hx(b)); });
    log.check(d_dn == oracle(BoundOp::sub, a, b, MPFR_RNDD), [&] { return std::string("sub down " + hx(a) + " " + hx(b)); });
    if (a >= 0) {
      const double p_up = (ua * ub).value(), p_dn = (la * lb).value();
      const double q_up = scale(a, ub).value();
      log.check(p_up == oracle(BoundOp::mul, a, b, MPFR_RNDU), [&] { return std::string("mul up " + hx(a) + " " + hx(b)); });
      log.check(p_dn == oracle(BoundOp::mul, a, b, MPFR_RNDD), [&] { return std::string("mul down " + hx(a) + " " + hx(b)); });
      log.check(q_up == oracle(BoundOp::mul, a, b, MPFR_RNDU), [&] { return std::string("scale up " + hx(a) + " " + hx(b)); });
      log.check(sqrt(ua).value() == oracle(BoundOp::sqrt, a, a, MPFR_RNDU), [&] { return std::string("sqrt up " + hx(a)); });
      log.check(sqrt(la).value() == oracle(BoundOp::sqrt, a, a, MPFR_RNDD), [&] { return std::string("sqrt down " + hx(a)); });
      if (b > 0) {
        log.check((ua / lb).value() == oracle(BoundOp::div, a, b, MPFR_RNDU), [&] { return std::string("div up " + hx(a) + " " + hx(b)); });
        log.check((la / ub).value() == oracle(BoundOp::div, a, b, MPFR_RNDD), [&] { return std::string("div down " + hx(a) + " " + hx(b)); });
      }
      if (p_up != p_dn) ++inexact_up;
    }
    ++checked;
  }
  CHECK(log.failures == 0);
  CHECK(checked > tst::trials(20000) / 2);
  CHECK(inexact_up > tst::trials(20000) / 20);  // the inputs do exercise inexact products
  CHECK(current_rounding() == Rounding::to_nearest);  // the caller's mode is back
}

TEST_CASE("binary64 bounds keep the caller's rounding mode and are independent of it") {
  // 1 + 2^-60: RU is next_up(1), RD is 1, whatever mode the caller runs in.
  for (int m : {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
    std::fesetround(m);
    const double u = (UB(1.0) + UB(0x1p-60)).value();
    const double l = (LB(1.0) + LB(0x1p-60)).value();
    const int after = std::fegetround();
    std::fesetround(FE_TONEAREST);
    CHECK(u == up(1.0));
    CHECK(l == 1.0);
    CHECK(after == m);
  }
}

TEST_CASE("MpReal bounds are MPFR's directed rounding at the working precision") {
  Rng g(7041);
  FailLog log("bound");
  MpPrecisionScope prec(kMpTestBits);
  for (int i = 0; i < tst::trials(3000); ++i) {
    // operands at 113 bits that are not doubles: 1/3-like values
    MpReal a = MpReal(unif(g, 0.0, 10.0)) / MpReal(3), b = MpReal(unif(g, 0.1, 10.0)) / MpReal(7);
    a = MpReal(mpfr_get_d(a.backend().data(), MPFR_RNDN)) + a / MpReal(1 << 20);
    const auto ora = [&](auto f, mpfr_rnd_t rnd) {
      Fr z(tst::kOracleBits), r(kMpTestBits);
      f(z.v, rnd);
      mpfr_set(r.v, z.v, rnd);
      return MpReal(r.v);
    };
    const auto A = a.backend().data();
    const auto B = b.backend().data();
    const MpReal s = (UpperBound<MpReal>(a) + UpperBound<MpReal>(b)).value();
    const MpReal p = (UpperBound<MpReal>(a) * UpperBound<MpReal>(b)).value();
    const MpReal pd = (LowerBound<MpReal>(a) * LowerBound<MpReal>(b)).value();
    const MpReal q = sqrt(UpperBound<MpReal>(a)).value();
    const MpReal e = exp(UpperBound<MpReal>(b)).value();
    const MpReal ed = exp(LowerBound<MpReal>(b)).value();
    log.check(s == ora([&](mpfr_ptr z, mpfr_rnd_t r) { mpfr_add(z, A, B, r); }, MPFR_RNDU), [&] { return std::string("mp add"); });
    log.check(p == ora([&](mpfr_ptr z, mpfr_rnd_t r) { mpfr_mul(z, A, B, r); }, MPFR_RNDU), [&] { return std::string("mp mul up"); });
    log.check(pd == ora([&](mpfr_ptr z, mpfr_rnd_t r) { mpfr_mul(z, A, B, r); }, MPFR_RNDD), [&] { return std::string("mp mul down"); });
    log.check(q == ora([&](mpfr_ptr z, mpfr_rnd_t r) { mpfr_sqrt(z, A, r); }, MPFR_RNDU), [&] { return std::string("mp sqrt"); });
    log.check(e == ora([&](mpfr_ptr z, mpfr_rnd_t r) { mpfr_exp(z, B, r); }, MPFR_RNDU), [&] { return std::string("mp exp up"); });
    log.check(ed == ora([&](mpfr_ptr z, mpfr_rnd_t r) { mpfr_exp(z, B, r); }, MPFR_RNDD), [&] { return std::string("mp exp down"); });
    log.check(mpfr_get_prec(s.backend().data()) == static_cast<mpfr_prec_t>(kMpTestBits), [&] { return std::string("mp precision"); });
  }
  CHECK(log.failures == 0);
}

TEST_CASE("exp and log of binary64 bounds stay on their side (256-bit oracle)") {
  Rng g(99);
  FailLog fl("bound");
  for (int i = 0; i < tst::trials(5000); ++i) {
    const double a = unif(g, -700.0, 700.0);
    Fr x(tst::kOracleBits), z(tst::kOracleBits);
    mpfr_set_d(x.v, a, MPFR_RNDN);
    mpfr_exp(z.v, x.v, MPFR_RNDU);
    fl.check(exp(UB(a)).value() >= mpfr_get_d(z.v, MPFR_RNDU), [&] { return std::string("exp up " + hx(a)); });
    mpfr_exp(z.v, x.v, MPFR_RNDD);
    fl.check(exp(LB(a)).value() <= mpfr_get_d(z.v, MPFR_RNDD), [&] { return std::string("exp down " + hx(a)); });
    const double c = std::fabs(a) + 0x1p-20;
    mpfr_set_d(x.v, c, MPFR_RNDN);
    mpfr_log(z.v, x.v, MPFR_RNDU);
    fl.check(log(UB(c)).value() >= mpfr_get_d(z.v, MPFR_RNDU), [&] { return std::string("log up " + hx(c)); });
    mpfr_log(z.v, x.v, MPFR_RNDD);
    fl.check(log(LB(c)).value() <= mpfr_get_d(z.v, MPFR_RNDD), [&] { return std::string("log down " + hx(c)); });
  }
  CHECK(fl.failures == 0);
  CHECK(exp(LB::infinity()).value() == 0.0);
  CHECK(exp(UB::infinity()).value() == kInf);
  CHECK(log(LB(0.0)).value() == -kInf);
}

TEST_CASE("bounds refuse what no bound can be; operations check their preconditions") {
  CHECK_THROWS_AS((void)UB(std::nan("")), std::domain_error);
  CHECK_THROWS_AS((void)UB(-kInf), std::domain_error);
  CHECK_THROWS_AS((void)LB(kInf), std::domain_error);
  CHECK_THROWS_AS((void)UpperBound<MpReal>(MpReal(-kInf)), std::domain_error);
  CHECK_THROWS_AS((void)LowerBound<MpReal>(MpReal(kInf)), std::domain_error);
  CHECK_THROWS_AS((void)(UB(-1.0) * UB(2.0)), std::domain_error);
  CHECK_THROWS_AS((void)sqrt(UB(-1.0)), std::domain_error);
  CHECK_THROWS_AS((void)scale(-1.0, UB(1.0)), std::domain_error);
  CHECK_THROWS_AS((void)(UB(1.0) / LB(0.0)), std::domain_error);
  CHECK_THROWS_AS((void)log(UB(0.0)), std::domain_error);
  CHECK_THROWS_AS((void)UB(-0.5).enclosure_nonnegative(), std::domain_error);
  CHECK((UB(0.0) * UB::infinity()).value() == 0.0);  // q₁ = 0: the product is 0
  CHECK_NOTHROW(UB::infinity() + UB(1.0));
  CHECK(scale(0.0, UB::infinity()).value() == 0.0);  // 0·q = 0 for every real q
  CHECK(sqrt(LB(-3.0)).value() == 0.0);
  CHECK(max(UB(1.0), UB(2.0)).value() == 2.0);
  CHECK(min(UB(1.0), UB(2.0)).value() == 1.0);
  CHECK((-UB(2.0)).value() == -2.0);
}

TEST_CASE("named conversions to intervals and from enclosures") {
  const Interval x(1.0, 3.0);
  CHECK(UB::sup_of(x).value() == 3.0);
  CHECK(LB::inf_of(x).value() == 1.0);
  const Interval e = UB(2.5).enclosure();
  CHECK(e.lower() == -kInf);
  CHECK(e.upper() == 2.5);
  const Interval n = UB(2.5).enclosure_nonnegative();
  CHECK(n.lower() == 0.0);
  CHECK(n.upper() == 2.5);
  const Interval l = LB(-1.0).enclosure();
  CHECK(l.lower() == -1.0);
  CHECK(l.upper() == kInf);
  CHECK(UB(2.5).proves_at_most(2.5));
  CHECK_FALSE(UB(2.5).proves_below(2.5));
  CHECK(LB(2.5).proves_above(2.0));
  // MpReal → double rounds in the bound's direction
  MpPrecisionScope prec(200);
  const MpReal third = MpReal(1) / MpReal(3);
  const double u = to_double(UpperBound<MpReal>(third)).value();
  const double d = to_double(LowerBound<MpReal>(third)).value();
  CHECK(MpReal(u) > third);
  CHECK(MpReal(d) < third);
  CHECK(up(d) == u);
  const MpInterval me = UpperBound<MpReal>(third).enclosure_nonnegative();
  CHECK(inf(me) == 0);
  CHECK(sup(me) >= third);
}
