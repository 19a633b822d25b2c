// Rigorous elementary functions. See elementary.hpp for the contract.
#include "certiformer/core/elementary.hpp"
#include "certiformer/core/io.hpp"

#include <cmath>
#include <limits>
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

constexpr double kInfD = std::numeric_limits<double>::infinity();

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


// ---- fast rigorous exp on binary64 points ----------------------------------------------------
//
// exp_bounds(x) returns RD(eˣ) and RU(eˣ) (the binary64 numbers just below / above eˣ) without
// MPFR when it can prove them, else false (the caller then uses MPFR). Method:
//   k = nearest(x/ln2), r = x − k·ln2 in double-double (ln2 = L1 + L2 + L3 + δ, L1 with 42 bits so
//   k·L1 is exact for |k| < 2^11; TwoSum / TwoProd are exact), eʳ by the degree-24 Taylor polynomial
//   in double-double Horner form (coefficients 1/j! as double-double, computed once by MPFR),
//   eˣ = 2^k · eʳ (exact scaling; h·2^-110 stays a normal number for |x| ≤ 600).
// Error budget (relative, |r| ≤ 0.35): truncation 0.35^25/25! · e^0.35 < 2^-120; coefficients
// < 2^-105 each; r: |k|·(|L3|·u + |δ|) + 2 double-double subtractions (3u² each) < 2^-100 absolute;
// Horner s_j = c_j + r·s_{j+1}: |r·s_{j+1}| ≤ 0.42·c_j, so each step's condition number is
// ≤ 1.42/0.58 < 2.5 and an earlier error is multiplied by ≤ 0.42/0.58 < 1; 25 steps of a
// double-double product (≤ 5u²) and sum (≤ 3u²): < 25 · 8u² · 2.5 < 2^-97. Total < 2^-96; we
// use E = 2^-89·h (a > 100× margin). The value is then v = h + l (|l| ≤ ulp(h)/2), eˣ ∈ [v − E, v + E], and the directed
// roundings are read off when the sign of l is decided (|l| > E, Ziv's test); otherwise false.
// tests/core: the fast path equals MPFR's directed roundings on 10⁶ random arguments.
struct ExpTables {
  double L1, L2, L3;
  double ch[25], cl[25];
  ExpTables() {
    mpfr_t ln2, t, u;
    mpfr_inits2(400, ln2, t, u, static_cast<mpfr_ptr>(nullptr));
    mpfr_const_log2(ln2, MPFR_RNDN);
    mpfr_t l1;
    mpfr_init2(l1, 42);
    mpfr_set(l1, ln2, MPFR_RNDN);   // ln 2 to 42 bits
    L1 = mpfr_get_d(l1, MPFR_RNDN);  // exact
    mpfr_sub(u, ln2, l1, MPFR_RNDN);  // exact at 400 bits
    mpfr_clear(l1);
    L2 = mpfr_get_d(u, MPFR_RNDN);
    mpfr_sub_d(u, u, L2, MPFR_RNDN);
    L3 = mpfr_get_d(u, MPFR_RNDN);
    mpfr_set_ui(t, 1, MPFR_RNDN);
    for (int j = 0; j <= 24; ++j) {
      if (j > 0) mpfr_div_ui(t, t, static_cast<unsigned long>(j), MPFR_RNDN);  // 1/j! to ~400 bits
      ch[j] = mpfr_get_d(t, MPFR_RNDN);
      mpfr_sub_d(u, t, ch[j], MPFR_RNDN);
      cl[j] = mpfr_get_d(u, MPFR_RNDN);
    }
    mpfr_clears(ln2, t, u, static_cast<mpfr_ptr>(nullptr));
  }
};
const ExpTables& exp_tables() {
  static const ExpTables t;
  return t;
}

struct DD {
  double h, l;
};
inline DD two_sum(double a, double b) {
  const double s = a + b, bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}
inline DD fast_two_sum(double a, double b) {  // |a| ≥ |b|
  const double s = a + b;
  return {s, b - (s - a)};
}
inline DD dd_add(DD x, DD y) {  // AccurateDWPlusDW (Joldes–Muller–Popescu 2017), ≤ 3u²
  const DD s = two_sum(x.h, y.h), t = two_sum(x.l, y.l);
  const DD v = fast_two_sum(s.h, s.l + t.h);
  return fast_two_sum(v.h, t.l + v.l);
}
inline DD dd_mul(DD x, DD y) {  // DWTimesDW with FMA, ≤ 5u²
  const double ph = x.h * y.h, pl = std::fma(x.h, y.h, -ph);
  double tl = x.h * y.l;
  tl = std::fma(x.l, y.h, tl);
  return fast_two_sum(ph, pl + tl);
}

bool exp_bounds(double x, double& down, double& up) {
  const double ax = std::fabs(x);
  if (!(ax <= 600.0)) return false;  // NaN, |x| > 600: MPFR (keeps h·2^-110 normal below)
  if (x == 0) {
    down = up = 1.0;
    return true;
  }
  if (ax < 0x1p-60) {  // 1 + x < eˣ < 1 + x + x² within (1 − 2^-60, 1 + 2^-59)
    if (x > 0) down = 1.0, up = std::nextafter(1.0, 2.0);
    else down = std::nextafter(1.0, 0.0), up = 1.0;
    return true;
  }
  const ExpTables& T = exp_tables();
  const double kd = std::nearbyint(x * 1.4426950408889634);
  const int k = static_cast<int>(kd);
  // r = x − k·L1 − k·L2 − k·L3 in double-double
  const DD a = two_sum(x, -(kd * T.L1));                          // k·L1 exact
  const double p = kd * T.L2, pe = std::fma(kd, T.L2, -p);       // k·L2 = p + pe exactly
  DD r = dd_add(a, DD{-p, -pe});
  r = dd_add(r, DD{-(kd * T.L3), 0.0});
  if (!(std::fabs(r.h) <= 0.35)) return false;
  DD s{T.ch[24], T.cl[24]};
  for (int j = 23; j >= 0; --j) s = dd_add(DD{T.ch[j], T.cl[j]}, dd_mul(r, s));
  const double h = std::ldexp(s.h, k), l = std::ldexp(s.l, k);  // exact: normal range
  const double E = std::ldexp(h, -89);
  const double gap_up = std::nextafter(h, HUGE_VAL) - h;
  const double gap_dn = h - std::nextafter(h, 0.0);
  if (!(std::fabs(l) <= gap_up / 2) || !(E < gap_dn / 4)) return false;
  if (l - E > 0) {  // h < eˣ ≤ h + gap_up/2 + E < next(h)
    down = h;
    up = std::nextafter(h, HUGE_VAL);
    return true;
  }
  if (l + E < 0 && -l <= gap_dn / 2) {  // pred(h) < h − gap_dn/2 − E ≤ eˣ < h
    down = std::nextafter(h, 0.0);
    up = h;
    return true;
  }
  return false;
}

// ---- fast rigorous xⁿ on binary64 points (3 ≤ n ≤ 64, −64 ≤ n ≤ −1) ----------------------------
//
// pow_bounds(v, n) returns RD(vⁿ) and RU(vⁿ) without MPFR when it can prove them, else false.
// Method (u = 2^-53): P = |v|^k, k = |n|, by binary powering in double-double (dd_mul, relative
// error ≤ 5u² on normalised inputs). A computed power x^m carries a relative error
// ≤ (m − 1)·5u²·(1 + 2^-90) (induction: a product of approximations of x^a and x^b adds the two
// errors and 5u²). For n < 0, 1/P = q1 + (e − q1·P.l)/P with q1 = RN(1/P.h) and e = 1 − q1·P.h
// exact (FMA); with t = RN(q1·P.l), q2 = RN(RN(e − t)·q1) the computed q1 + q2 has relative error
// ≤ 9.1u² (|e|, |q1·P.l/q1| ≤ u: the terms are u²·|q1|, 4u²·|q1| from the two roundings of the
// ~2u correction, 4u²·|q1| from replacing 1/P by q1 in it). Total < (63·5 + 10)u² < 2^-97; we use
// E = 2^-89·h (> 100× margin), then Ziv's test as in exp_bounds. Restricted to |v| normal with
// |v|^k ∈ [2^-900, 2^900] (every intermediate power, and 1/P, lies in that range, so no product,
// FMA remainder or error term is near underflow/overflow). Exact powers (3ⁿ, 0.5ⁿ, 1/4, …) fail
// Ziv's test (l = 0) and go to MPFR, which finds them exact.
bool pow_bounds(double v, int n, double& down, double& up) {
  if (n > 64 || n < -64 || (n >= 0 && n < 3)) return false;
  const int k = n < 0 ? -n : n;
  const double a = std::fabs(v);
  if (!(a >= 0x1p-1022) || !(a < kInfD)) return false;
  const int e = std::ilogb(a);  // a ∈ [2^e, 2^(e+1))
  if (k * e < -900 || k * (e + 1) > 900) return false;
  DD r{1.0, 0.0}, b{a, 0.0};
  bool first = true;
  for (unsigned m = static_cast<unsigned>(k);;) {
    if (m & 1u) {
      r = first ? b : dd_mul(r, b);
      first = false;
    }
    m >>= 1u;
    if (m == 0) break;
    b = dd_mul(b, b);
  }
  if (n < 0) {
    const double q1 = 1.0 / r.h;
    const double e1 = std::fma(-q1, r.h, 1.0);  // exact: normal range
    const double q2 = (e1 - q1 * r.l) * q1;
    r = fast_two_sum(q1, q2);
  }
  const double h = r.h, l = r.l;
  const double E = std::ldexp(h, -89);
  const double gap_up = std::nextafter(h, HUGE_VAL) - h;
  const double gap_dn = h - std::nextafter(h, 0.0);
  if (!(std::fabs(l) <= gap_up / 2) || !(E < gap_dn / 4)) return false;
  double d, u;
  if (l - E > 0) {  // h < |v|ⁿ ≤ h + gap_up/2 + E < next(h)
    d = h;
    u = std::nextafter(h, HUGE_VAL);
  } else if (l + E < 0 && -l <= gap_dn / 2) {  // pred(h) < h − gap_dn/2 − E ≤ |v|ⁿ < h
    d = std::nextafter(h, 0.0);
    u = h;
  } else {
    return false;
  }
  if (v < 0 && k % 2 == 1) {
    down = -u;
    up = -d;
  } else {
    down = d;
    up = u;
  }
  return true;
}

}  // namespace

Interval exp(const Interval& x) {
  double lo_d, lo_u, hi_d, hi_u;
  if (exp_bounds(x.lower(), lo_d, lo_u)) {
    if (x.lower() == x.upper()) return Interval(lo_d, lo_u);
    if (exp_bounds(x.upper(), hi_d, hi_u)) return Interval(lo_d, hi_u);
  }
  return increasing(mpfr_exp, x);
}

namespace detail {
Interval exp_via_mpfr(const Interval& x) { return increasing(mpfr_exp, x); }
}  // namespace detail
Interval expm1(const Interval& x) { return increasing(mpfr_expm1, x); }
// Domain boundaries (elementary.hpp): inf = boundary point is allowed (MPFR gives the exact
// limit −∞ there: log(±0) = log1p(−1) = −∞); below it, or with no point of the domain, throw.
Interval log(const Interval& x) {
  if (!(x.lower() >= 0.0)) domain("log", to_string(x), "inf >= 0 (an argument below 0 is refused, not cut)");
  if (x.upper() == 0.0) domain("log", to_string(x), "a point of (0, +inf)");
  return increasing(mpfr_log, x);
}
Interval log1p(const Interval& x) {
  if (!(x.lower() >= -1.0)) domain("log1p", to_string(x), "inf >= -1 (an argument below -1 is refused, not cut)");
  if (x.upper() == -1.0) domain("log1p", to_string(x), "a point of (-1, +inf)");
  return increasing(mpfr_log1p, x);
}
Interval tanh(const Interval& x) { return increasing(mpfr_tanh, x); }
Interval atan(const Interval& x) { return increasing(mpfr_atan, x); }
Interval sin(const Interval& x) { return via_mpfi(mpfi_sin, x); }
Interval cos(const Interval& x) { return via_mpfi(mpfi_cos, x); }

MpInterval exp(const MpInterval& x) { return mp_apply(mpfi_exp, x); }
MpInterval expm1(const MpInterval& x) { return mp_apply(mpfi_expm1, x); }
MpInterval log(const MpInterval& x) {
  if (!certainly_nonnegative(x)) domain("log", to_string(x), "inf >= 0 (an argument below 0 is refused, not cut)");
  if (mpfr_zero_p(&x.data()->right)) domain("log", to_string(x), "a point of (0, +inf)");
  return mp_apply(mpfi_log, x);
}
MpInterval log1p(const MpInterval& x) {
  if (!(mpfr_cmp_si(&x.data()->left, -1) >= 0))
    domain("log1p", to_string(x), "inf >= -1 (an argument below -1 is refused, not cut)");
  if (mpfr_cmp_si(&x.data()->right, -1) == 0) domain("log1p", to_string(x), "a point of (-1, +inf)");
  return mp_apply(mpfi_log1p, x);
}
MpInterval tanh(const MpInterval& x) { return mp_apply(mpfi_tanh, x); }
MpInterval sin(const MpInterval& x) { return mp_apply(mpfi_sin, x); }
MpInterval cos(const MpInterval& x) { return mp_apply(mpfi_cos, x); }
MpInterval atan(const MpInterval& x) { return mp_apply(mpfi_atan, x); }

// ---- pow(x, n): tightest enclosure from directed endpoint powers ------------------------------

namespace {

/// Which value each side of pow(X, n) is: a directed power of one of the exact endpoints, or a
/// fixed 0 / ±∞ (the case analysis of elementary.hpp, written once for both backends).
enum class Src { lo, hi, zero, neg_inf, pos_inf };
struct PowPlan {
  Src down, up;  // lower bound RD(src^n) (or the constant), upper bound RU(src^n)
  bool no_domain_point = false;  // n < 0 and X = [0, 0]
};
/// sl / su: signs of inf / sup (−1, 0, +1); lo_closer: |inf| ≤ |sup|.
PowPlan pow_plan(int sl, int su, bool lo_closer, int n) {
  const bool even = n % 2 == 0;
  const bool has_zero = sl <= 0 && su >= 0;
  const Src mag = lo_closer ? Src::hi : Src::lo;  // the endpoint farthest from 0
  if (n > 0) {
    if (!even) return {Src::lo, Src::hi};                       // increasing
    if (has_zero) return {Src::zero, mag};                      // [0, mag^n]
    return sl > 0 ? PowPlan{Src::lo, Src::hi} : PowPlan{Src::hi, Src::lo};  // [mig^n, mag^n]
  }
  if (sl == 0 && su == 0) return {Src::zero, Src::zero, true};
  if (even) {  // |x|^n decreasing in |x|: [mag^n, mig^n], mig = 0 gives +∞
    if (has_zero) return {mag, Src::pos_inf};
    return sl > 0 ? PowPlan{Src::hi, Src::lo} : PowPlan{Src::lo, Src::hi};
  }
  // odd n < 0: decreasing on each side of the pole at 0
  if (sl > 0 || su < 0) return {Src::hi, Src::lo};
  if (sl == 0) return {Src::hi, Src::pos_inf};
  if (su == 0) return {Src::neg_inf, Src::lo};
  return {Src::neg_inf, Src::pos_inf};
}
int sign3(double v) { return (v > 0.0) - (v < 0.0); }
bool finite_src(Src s) { return s == Src::lo || s == Src::hi; }

}  // namespace

Interval pow(const Interval& x, int n) {
  if (n == 0) return Interval(1);
  if (n == 1) return x;
  if (n == 2) return sqr(x);
  const double l = x.lower(), u = x.upper();
  const PowPlan plan = pow_plan(sign3(l), sign3(u), std::fabs(l) <= std::fabs(u), n);
  if (plan.no_domain_point) domain("pow", to_string(x), "a point of the domain x != 0 (n < 0)");
  auto base = [&](Src s) {
    const double v = s == Src::lo ? l : u;
    mpfr_set_d(s53.a, v == 0.0 ? 0.0 : v, MPFR_RNDN);  // exact; a zero base is +0
  };
  if (l == u && finite_src(plan.down) && finite_src(plan.up)) {
    double fd, fu;
    if (pow_bounds(l, n, fd, fu)) return Interval(fd, fu);
    // a point: RNDN once; the ternary value says on which side the exact power lies
    base(plan.down);
    const int t = mpfr_pow_si(s53.r, s53.a, n, MPFR_RNDN);
    if (t == 0) return Interval(mpfr_get_d(s53.r, MPFR_RNDD), mpfr_get_d(s53.r, MPFR_RNDU));
    mpfr_set(s53.a, s53.r, MPFR_RNDN);
    if (t > 0) mpfr_nextbelow(s53.a); else mpfr_nextabove(s53.a);
    mpfr_srcptr down = t > 0 ? s53.a : s53.r;
    mpfr_srcptr up = t > 0 ? s53.r : s53.a;
    return Interval(mpfr_get_d(down, MPFR_RNDD), mpfr_get_d(up, MPFR_RNDU));
  }
  auto bound = [&](Src s, mpfr_rnd_t rnd) {
    if (s == Src::zero) return 0.0;
    if (s == Src::neg_inf) return -kInfD;
    if (s == Src::pos_inf) return kInfD;
    double fd, fu;
    if (pow_bounds(s == Src::lo ? l : u, n, fd, fu)) return rnd == MPFR_RNDD ? fd : fu;
    base(s);
    mpfr_pow_si(s53.r, s53.a, n, rnd);
    return mpfr_get_d(s53.r, rnd);
  };
  const double lo = bound(plan.down, MPFR_RNDD);
  const double hi = bound(plan.up, MPFR_RNDU);
  return Interval(lo, hi);
}

MpInterval pow(const MpInterval& x, int n) {
  if (n == 0) return MpInterval(1);
  MpInterval r;
  if (n == 1) {
    mpfi_set(r.data(), x.data());  // rounded outward to the current precision
    return r;
  }
  if (n == 2) return sqr(x);
  mpfr_srcptr l = &x.data()->left, u = &x.data()->right;
  const PowPlan plan = pow_plan(mpfr_sgn(l), mpfr_sgn(u), mpfr_cmpabs(l, u) <= 0, n);
  if (plan.no_domain_point) domain("pow", to_string(x), "a point of the domain x != 0 (n < 0)");
  auto set = [&](mpfr_ptr dst, Src s, mpfr_rnd_t rnd) {
    switch (s) {
      case Src::zero: mpfr_set_zero(dst, 1); return;
      case Src::neg_inf: mpfr_set_inf(dst, -1); return;
      case Src::pos_inf: mpfr_set_inf(dst, 1); return;
      default: break;
    }
    mpfr_srcptr v = s == Src::lo ? l : u;
    if (mpfr_zero_p(v)) {  // a zero base is +0 (only reached for n > 0: 0^n = 0)
      mpfr_set_zero(dst, 1);
      return;
    }
    mpfr_pow_si(dst, v, n, rnd);
  };
  set(&r.data()->left, plan.down, MPFR_RNDD);
  set(&r.data()->right, plan.up, MPFR_RNDU);
  // MPFI's convention for zero endpoints: [+0, …] and […, −0]
  if (mpfr_zero_p(&r.data()->left)) mpfr_set_zero(&r.data()->left, 1);
  if (mpfr_zero_p(&r.data()->right)) mpfr_set_zero(&r.data()->right, -1);
  return r;
}

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
