// The one "real → point interval" conversion API (see core/convert.hpp).
#include "certiformer/core/convert.hpp"
#include "certiformer/core/io.hpp"

#include <mpfr.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace certiformer::detail {

namespace {

[[noreturn]] void not_exact(const std::string& what, const char* target) {
  throw std::domain_error("exact_point: " + what + " is not representable as a point of " + target +
                          (std::string(target) == "MpInterval" ? " at " + std::to_string(mp_precision()) + " bits" : "") +
                          " (use enclose_point for an enclosure)");
}
void refuse_nan(bool nan, const char* who) {
  if (nan) throw std::domain_error(std::string(who) + ": NaN is not a real number");
}
std::string text(const MpReal& v) {
  char* s = nullptr;
  mpfr_asprintf(&s, "%.40Rg", v.backend().data());
  std::string r(s);
  mpfr_free_str(s);
  return r;
}
std::string text(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.17g (%a)", v, v);
  return b;
}
/// An MPFR number at the current MpInterval precision holding q rounded in `rnd`; returns the
/// ternary value (0 iff exact).
int round_q(mpfr_ptr out, const Rational& q, mpfr_rnd_t rnd) {
  return mpfr_set_q(out, q.backend().data(), rnd);
}
/// The double v as an MPFR number with 53 bits (exact, whatever the default precision).
MpReal real_of(double v) {
  MpReal r;
  mpfr_set_prec(r.backend().data(), 53);
  mpfr_set_d(r.backend().data(), v, MPFR_RNDN);
  return r;
}

}  // namespace

// ---- exact ------------------------------------------------------------------------------------
Interval exact_interval(double v) {
  refuse_nan(std::isnan(v), "exact_point");
  if (!std::isfinite(v)) not_exact(text(v), "Interval");
  return Interval(v);
}
Interval exact_interval(const MpReal& v) {
  mpfr_srcptr p = v.backend().data();
  refuse_nan(mpfr_nan_p(p) != 0, "exact_point");
  if (!mpfr_number_p(p)) not_exact(text(v), "Interval");
  const double d = mpfr_get_d(p, MPFR_RNDN);
  if (!std::isfinite(d) || mpfr_cmp_d(p, d) != 0) not_exact(text(v), "Interval");
  return Interval(d);
}
Interval exact_interval(const Rational& q) {
  const Interval r = enclose<Interval>(q);
  if (r.lower() != r.upper()) not_exact(to_string(q), "Interval");
  return r;
}
MpInterval exact_mp(double v) {
  refuse_nan(std::isnan(v), "exact_point");
  if (!std::isfinite(v)) not_exact(text(v), "MpInterval");
  MpInterval r(v);
  if (!is_point(r)) not_exact(text(v), "MpInterval");
  return r;
}
MpInterval exact_mp(const MpReal& v) {
  mpfr_srcptr p = v.backend().data();
  refuse_nan(mpfr_nan_p(p) != 0, "exact_point");
  if (!mpfr_number_p(p)) not_exact(text(v), "MpInterval");
  MpInterval r(v, v);
  if (!is_point(r)) not_exact(text(v), "MpInterval");
  return r;
}
MpInterval exact_mp(const Rational& q) {
  MpInterval r = enclose<MpInterval>(q);
  if (!is_point(r)) not_exact(to_string(q), "MpInterval");
  return r;
}

// ---- outward ----------------------------------------------------------------------------------
namespace {
/// ±∞ as an interval: intervals hold real numbers only (IEEE 1788, core/interval.hpp), so an
/// infinite value — an overflowed one-sided bound — becomes the half-line beyond ±DBL_MAX, whose
/// sup (resp. inf) is still ±∞.
Interval infinite_interval(double v) {
  const double mx = std::numeric_limits<double>::max();
  return v > 0 ? Interval(mx, v) : Interval(v, -mx);
}
MpInterval infinite_mp(double v) {
  const double mx = std::numeric_limits<double>::max();
  return v > 0 ? MpInterval(real_of(mx), real_of(v)) : MpInterval(real_of(v), real_of(-mx));
}
Interval interval_from_ends(double lo, double hi) {
  if (std::isinf(lo) && lo > 0) return infinite_interval(lo);
  if (std::isinf(hi) && hi < 0) return infinite_interval(hi);
  return Interval(lo, hi);
}
}  // namespace
Interval enclose_interval_point(double v) {
  refuse_nan(std::isnan(v), "enclose_point");
  if (std::isinf(v)) return infinite_interval(v);
  return Interval(v, v);
}
Interval enclose_interval_point(const MpReal& v) {
  mpfr_srcptr p = v.backend().data();
  refuse_nan(mpfr_nan_p(p) != 0, "enclose_point");
  return interval_from_ends(mpfr_get_d(p, MPFR_RNDD), mpfr_get_d(p, MPFR_RNDU));
}
MpInterval enclose_mp_point(double v) {
  refuse_nan(std::isnan(v), "enclose_point");
  if (std::isfinite(v)) return MpInterval(v);  // MPFI rounds outward below 53 bits
  return infinite_mp(v);
}
MpInterval enclose_mp_point(const MpReal& v) {
  refuse_nan(mpfr_nan_p(v.backend().data()) != 0, "enclose_point");
  if (mpfr_inf_p(v.backend().data())) return infinite_mp(mpfr_get_d(v.backend().data(), MPFR_RNDN));
  return MpInterval(v, v);  // mpfi_interv_fr: outward at the current precision
}

// ---- nearest ----------------------------------------------------------------------------------
Interval approx_interval(double v) {
  refuse_nan(std::isnan(v), "approx_point");
  if (std::isinf(v)) return infinite_interval(v);
  return Interval(v, v);
}
Interval approx_interval(const MpReal& v) {
  mpfr_srcptr p = v.backend().data();
  refuse_nan(mpfr_nan_p(p) != 0, "approx_point");
  const double d = mpfr_get_d(p, MPFR_RNDN);
  if (std::isinf(d)) return infinite_interval(d);
  return Interval(d, d);
}
Interval approx_interval(const Rational& q) {
  mpfr_t t;
  mpfr_init2(t, 53);
  round_q(t, q, MPFR_RNDN);
  const double d = mpfr_get_d(t, MPFR_RNDN);  // exact unless below the normal range
  mpfr_clear(t);
  return Interval(d, d);
}
namespace {
MpInterval point_from(mpfr_srcptr p) {
  if (mpfr_inf_p(p)) return infinite_mp(mpfr_get_d(p, MPFR_RNDN));
  MpReal r;
  mpfr_set_prec(r.backend().data(), static_cast<mpfr_prec_t>(mp_precision()));
  mpfr_set(r.backend().data(), p, MPFR_RNDN);
  return MpInterval(r, r);  // exact: r has the current precision
}
}  // namespace
MpInterval approx_mp(double v) {
  refuse_nan(std::isnan(v), "approx_point");
  const MpReal r = real_of(v);
  return point_from(r.backend().data());
}
MpInterval approx_mp(const MpReal& v) {
  refuse_nan(mpfr_nan_p(v.backend().data()) != 0, "approx_point");
  return point_from(v.backend().data());
}
MpInterval approx_mp(const Rational& q) {
  MpReal r;
  mpfr_set_prec(r.backend().data(), static_cast<mpfr_prec_t>(mp_precision()));
  round_q(r.backend().data(), q, MPFR_RNDN);
  return MpInterval(r, r);
}

}  // namespace certiformer::detail
