// Rigorous elementary functions. See elementary.hpp for the contract.
#include "certiformer/core/elementary.hpp"
#include "certiformer/core/io.hpp"

#include <cmath>
#include <string>

namespace certiformer {

namespace {

using MpfrFn = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);
using MpfiFn = int (*)(mpfi_ptr, mpfi_srcptr);

/// Per-thread MPFR/MPFI scratch registers at 53 bits (no allocation per call).
struct Scratch53 {
  mpfr_t a, r;
  mpfi_t ia, ir;
  Scratch53() {
    mpfr_init2(a, 53);
    mpfr_init2(r, 53);
    mpfi_init2(ia, 53);
    mpfi_init2(ir, 53);
  }
  ~Scratch53() {
    mpfr_clear(a);
    mpfr_clear(r);
    mpfi_clear(ia);
    mpfi_clear(ir);
  }
};
thread_local Scratch53 s53;

[[noreturn]] void domain(const char* fn, const std::string& bounds, const char* need) {
  throw std::domain_error(std::string(fn) + " outside its domain: argument " + bounds + ", needs " + need);
}

/// Endpoint evaluation of an increasing function: [f↓(lo), f↑(hi)] at 53 bits, then to double
/// with the same direction (exact unless the result is subnormal, where it stays outward).
Interval increasing(MpfrFn f, const Interval& x) {
  const double lo = x.lower(), hi = x.upper();
  mpfr_set_d(s53.a, lo, MPFR_RNDN);  // exact: 53-bit mantissa
  if (lo == hi) {
    const int t = f(s53.r, s53.a, MPFR_RNDN);
    if (t == 0) {
      return Interval(mpfr_get_d(s53.r, MPFR_RNDD), mpfr_get_d(s53.r, MPFR_RNDU));
    }
    // The exact value lies strictly between r and its neighbour on the side given by t.
    mpfr_set(s53.a, s53.r, MPFR_RNDN);
    if (t > 0) mpfr_nextbelow(s53.a); else mpfr_nextabove(s53.a);
    mpfr_srcptr down = t > 0 ? s53.a : s53.r;
    mpfr_srcptr up = t > 0 ? s53.r : s53.a;
    return Interval(mpfr_get_d(down, MPFR_RNDD), mpfr_get_d(up, MPFR_RNDU));
  }
  f(s53.r, s53.a, MPFR_RNDD);
  const double rlo = mpfr_get_d(s53.r, MPFR_RNDD);
  mpfr_set_d(s53.a, hi, MPFR_RNDN);
  f(s53.r, s53.a, MPFR_RNDU);
  const double rhi = mpfr_get_d(s53.r, MPFR_RNDU);
  return Interval(rlo, rhi);
}

Interval via_mpfi(MpfiFn f, const Interval& x) {
  mpfi_interv_d(s53.ia, x.lower(), x.upper());
  f(s53.ir, s53.ia);
  if (mpfi_nan_p(s53.ir)) throw std::domain_error("elementary function produced NaN on " + to_string(x));
  return Interval(mpfr_get_d(&s53.ir->left, MPFR_RNDD), mpfr_get_d(&s53.ir->right, MPFR_RNDU));
}

MpInterval mp_apply(MpfiFn f, const MpInterval& x) {
  MpInterval r;
  f(r.data(), x.data());
  if (mpfi_nan_p(r.data())) throw std::domain_error("elementary function produced NaN on " + to_string(x));
  return r;
}

}  // namespace

Interval exp(const Interval& x) { return increasing(mpfr_exp, x); }
Interval expm1(const Interval& x) { return increasing(mpfr_expm1, x); }
Interval log(const Interval& x) {
  if (!(x.lower() > 0.0)) domain("log", to_string(x), "inf > 0");
  return increasing(mpfr_log, x);
}
Interval log1p(const Interval& x) {
  if (!(x.lower() > -1.0)) domain("log1p", to_string(x), "inf > -1");
  return increasing(mpfr_log1p, x);
}
Interval tanh(const Interval& x) { return increasing(mpfr_tanh, x); }
Interval atan(const Interval& x) { return increasing(mpfr_atan, x); }
Interval sin(const Interval& x) { return via_mpfi(mpfi_sin, x); }
Interval cos(const Interval& x) { return via_mpfi(mpfi_cos, x); }

MpInterval exp(const MpInterval& x) { return mp_apply(mpfi_exp, x); }
MpInterval expm1(const MpInterval& x) { return mp_apply(mpfi_expm1, x); }
MpInterval log(const MpInterval& x) {
  if (!certainly_positive(x)) domain("log", to_string(x), "inf > 0");
  return mp_apply(mpfi_log, x);
}
MpInterval log1p(const MpInterval& x) {
  if (!(mpfr_cmp_si(&x.data()->left, -1) > 0)) domain("log1p", to_string(x), "inf > -1");
  return mp_apply(mpfi_log1p, x);
}
MpInterval tanh(const MpInterval& x) { return mp_apply(mpfi_tanh, x); }
MpInterval sin(const MpInterval& x) { return mp_apply(mpfi_sin, x); }
MpInterval cos(const MpInterval& x) { return mp_apply(mpfi_cos, x); }
MpInterval atan(const MpInterval& x) { return mp_apply(mpfi_atan, x); }

template <> Interval pi<Interval>() {
  mpfi_const_pi(s53.ir);
  return Interval(mpfr_get_d(&s53.ir->left, MPFR_RNDD), mpfr_get_d(&s53.ir->right, MPFR_RNDU));
}
template <> MpInterval pi<MpInterval>() {
  MpInterval r;
  mpfi_const_pi(r.data());
  return r;
}

}  // namespace certiformer
