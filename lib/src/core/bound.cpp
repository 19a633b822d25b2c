// One-sided bounds: the directed-rounding operations behind core/bound.hpp.
//
// binary64: +, −, ×, ÷, √ run in a kernel inside `RoundingScope` (core/rounding.hpp, kernel
// convention: out-of-line, noipa, operands and result through memory, the mode checked first);
// exp / log are endpoints of the Interval enclosures (core/elementary.hpp). MpReal: MPFR with
// MPFR_RNDU / MPFR_RNDD at the current mp_precision().
#include "certiformer/core/bound.hpp"
#include "certiformer/core/elementary.hpp"
#include "certiformer/core/rounding.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace certiformer {
namespace detail {
namespace {

// The kernel: in[0] ∘ in[1] (or √in[0]) in the scope's mode, written to *out.
[[gnu::noipa]] void bound_kernel(const RoundingScope& scope, Rounding mode, int op, const double* in, double* out) {
  scope.expect(mode);
  const double a = in[0], b = in[1];
  double r;
  switch (static_cast<BoundOp>(op)) {
    case BoundOp::add: r = a + b; break;
    case BoundOp::sub: r = a - b; break;
    case BoundOp::mul: r = a * b; break;
    case BoundOp::div: r = a / b; break;
    case BoundOp::sqrt: r = __builtin_sqrt(a); break;  // IEEE √ (sqrtsd), rounded in the scope's mode
    default: r = std::numeric_limits<double>::quiet_NaN(); break;
  }
  *out = r;
}

}  // namespace

double bound_op(BoundOp op, bool up, const double& a, const double& b) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (op) {
    case BoundOp::neg: return -a;
    case BoundOp::exp: {
      if (a == -inf) return up ? 0x1p-1074 : 0.0;  // exp(−∞) is 0 (a limit): any number ≥ 0 / ≤ 0
      if (a == inf) return up ? inf : std::numeric_limits<double>::max();
      const Interval e = exp(Interval(a));
      return up ? e.upper() : e.lower();
    }
    case BoundOp::log: {
      if (a == inf) return up ? inf : std::numeric_limits<double>::max();
      const Interval l = log(Interval(a));
      return up ? l.upper() : l.lower();
    }
    default: break;
  }
  const double operands[2] = {a, b};  // stored before the scope opens (kernel convention 2)
  double out = 0.0;
  {
    RoundingScope scope(up ? Rounding::upward : Rounding::downward);
    bound_kernel(scope, up ? Rounding::upward : Rounding::downward, static_cast<int>(op), operands, &out);
  }
  if (std::isnan(out)) throw std::domain_error("one-sided bound: the operation has no value (NaN: inf - inf, 0 * inf, ...)");
  return out;
}

MpReal bound_op(BoundOp op, bool up, const MpReal& a, const MpReal& b) {
  const mpfr_rnd_t rnd = up ? MPFR_RNDU : MPFR_RNDD;
  MpReal r;
  mpfr_set_prec(r.backend().data(), static_cast<mpfr_prec_t>(mp_precision()));
  mpfr_ptr z = r.backend().data();
  mpfr_srcptr x = a.backend().data(), y = b.backend().data();
  switch (op) {
    case BoundOp::add: mpfr_add(z, x, y, rnd); break;
    case BoundOp::sub: mpfr_sub(z, x, y, rnd); break;
    case BoundOp::mul: mpfr_mul(z, x, y, rnd); break;
    case BoundOp::div: mpfr_div(z, x, y, rnd); break;
    case BoundOp::sqrt: mpfr_sqrt(z, x, rnd); break;
    case BoundOp::exp: mpfr_exp(z, x, rnd); break;
    case BoundOp::log: mpfr_log(z, x, rnd); break;
    case BoundOp::neg: mpfr_neg(z, x, rnd); break;
  }
  if (mpfr_nan_p(z)) throw std::domain_error("one-sided bound: the operation has no value (NaN: inf - inf, 0 * inf, ...)");
  return r;
}

void bound_check(const double& v, bool upper, const char* who) {
  if (std::isnan(v)) throw std::domain_error(std::string(who) + ": NaN is not a bound");
  if (upper && v == -std::numeric_limits<double>::infinity())
    throw std::domain_error(std::string(who) + ": -inf is not an upper bound of a real number");
  if (!upper && v == std::numeric_limits<double>::infinity())
    throw std::domain_error(std::string(who) + ": +inf is not a lower bound of a real number");
}
void bound_check(const MpReal& v, bool upper, const char* who) {
  mpfr_srcptr p = v.backend().data();
  if (mpfr_nan_p(p)) throw std::domain_error(std::string(who) + ": NaN is not a bound");
  if (mpfr_inf_p(p) && (mpfr_sgn(p) < 0) == upper)
    throw std::domain_error(std::string(who) + (upper ? ": -inf is not an upper bound of a real number"
                                                      : ": +inf is not a lower bound of a real number"));
}

}  // namespace detail

UpperBound<double> to_double(const UpperBound<MpReal>& x) {
  return UpperBound<double>(mpfr_get_d(x.value().backend().data(), MPFR_RNDU));
}
LowerBound<double> to_double(const LowerBound<MpReal>& x) {
  return LowerBound<double>(mpfr_get_d(x.value().backend().data(), MPFR_RNDD));
}

}  // namespace certiformer
