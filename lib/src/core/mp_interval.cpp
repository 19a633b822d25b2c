// MpInterval: MPFI-backed interval of run-time precision. See mp_interval.hpp.
#include "certiformer/core/mp_interval.hpp"
#include "certiformer/core/mp_thread.hpp"
#include "certiformer/core/eigen.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace certiformer {

namespace {
thread_local unsigned g_bits = 256;

MpReal real_from(mpfr_srcptr p) { return MpReal(p); }  // copies with p's precision (exact)

std::string short_text(mpfi_srcptr x) {
  char* s = nullptr;
  mpfr_asprintf(&s, "[%.10RDe, %.10RUe]", &x->left, &x->right);
  std::string r(s);
  mpfr_free_str(s);
  return r;
}
}  // namespace

unsigned mp_precision() noexcept { return g_bits; }

MpPrecisionScope::MpPrecisionScope(unsigned bits)
    : saved_bits_(g_bits), saved_real_digits10_(MpReal::default_precision()) {
  if (bits < 2 || bits > 1u << 20) throw std::invalid_argument("MpPrecisionScope: precision out of range");
  g_bits = bits;
  MpReal::default_precision(static_cast<unsigned>(std::ceil(bits * 0.30102999566398)) + 2);
}
void release_thread_mp_caches() noexcept { mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE); }

MpPrecisionScope::~MpPrecisionScope() {
  g_bits = saved_bits_;
  MpReal::default_precision(saved_real_digits10_);
}

MpInterval::MpInterval(double v) {
  if (!std::isfinite(v)) throw std::domain_error("MpInterval(v): v must be finite (NaN/inf refused)");
  mpfi_init2(x_, mp_precision());
  mpfi_set_d(x_, v);  // MPFI rounds outward if the precision is < 53 bits
}
MpInterval::MpInterval(const Interval& v) {
  mpfi_init2(x_, mp_precision());
  mpfi_interv_d(x_, v.lower(), v.upper());
}
MpInterval::MpInterval(const MpReal& lo, const MpReal& hi) {
  if (mpfr_nan_p(lo.backend().data()) || mpfr_nan_p(hi.backend().data()))
    throw std::domain_error("MpInterval: NaN endpoint");
  if (mpfr_cmp(lo.backend().data(), hi.backend().data()) > 0) throw std::domain_error("MpInterval(lo, hi): lo > hi");
  if ((mpfr_inf_p(lo.backend().data()) && mpfr_sgn(lo.backend().data()) > 0) ||
      (mpfr_inf_p(hi.backend().data()) && mpfr_sgn(hi.backend().data()) < 0))
    throw std::domain_error("MpInterval(lo, hi): [" + lo.str() + ", " + hi.str() + "] contains no real number");
  mpfi_init2(x_, mp_precision());
  mpfi_interv_fr(x_, lo.backend().data(), hi.backend().data());
}
MpInterval MpInterval::entire() {
  MpInterval r;
  mpfr_set_inf(&r.x_->left, -1);
  mpfr_set_inf(&r.x_->right, 1);
  return r;
}
MpInterval& MpInterval::operator/=(const MpInterval& y) {
  if (mpfi_has_zero(y.x_) > 0)
    throw std::domain_error("MpInterval division by an interval containing 0: " + short_text(y.x_));
  MpInterval r;
  mpfi_div(r.x_, x_, y.x_);
  *this = std::move(r);
  return *this;
}

MpReal inf(const MpInterval& x) { return real_from(&x.data()->left); }
MpReal sup(const MpInterval& x) { return real_from(&x.data()->right); }
MpReal mid(const MpInterval& x) {
  MpReal r;
  mpfr_ptr m = r.backend().data();
  mpfr_srcptr l = &x.data()->left, u = &x.data()->right;
  mpfr_set_prec(m, std::max<mpfr_prec_t>(mpfi_get_prec(x.data()) + 1, 53));
  const bool l_inf = mpfr_inf_p(l) != 0, u_inf = mpfr_inf_p(u) != 0;
  if (l_inf && u_inf) {
    mpfr_set_zero(m, 1);
  } else if (l_inf) {  // [−∞, b]: −DBL_MAX as for Interval, or b itself when b < −DBL_MAX
    mpfr_set_d(m, -std::numeric_limits<double>::max(), MPFR_RNDN);
    if (mpfr_less_p(u, m)) mpfr_set(m, u, MPFR_RNDN);
  } else if (u_inf) {  // [a, +∞]: +DBL_MAX, or a itself when a > DBL_MAX
    mpfr_set_d(m, std::numeric_limits<double>::max(), MPFR_RNDN);
    if (mpfr_greater_p(l, m)) mpfr_set(m, l, MPFR_RNDN);
  } else {
    // (l + u)/2 rounded once to nearest at precision + 1 (MPFR's exponent range: no overflow)
    mpfr_add(m, l, u, MPFR_RNDN);
    mpfr_div_2ui(m, m, 1, MPFR_RNDN);
    if (mpfr_zero_p(m)) mpfr_set_zero(m, 1);
  }
  return r;
}
MpReal rad(const MpInterval& x) {
  MpReal m = mid(x);
  MpReal a, b;
  mpfr_set_prec(a.backend().data(), mpfr_get_prec(m.backend().data()));
  mpfr_set_prec(b.backend().data(), mpfr_get_prec(m.backend().data()));
  mpfr_sub(a.backend().data(), m.backend().data(), &x.data()->left, MPFR_RNDU);
  mpfr_sub(b.backend().data(), &x.data()->right, m.backend().data(), MPFR_RNDU);
  return mpfr_cmp(a.backend().data(), b.backend().data()) >= 0 ? a : b;
}
MpReal wid(const MpInterval& x) {
  MpReal r;
  mpfr_set_prec(r.backend().data(), mpfi_get_prec(x.data()));
  mpfr_sub(r.backend().data(), &x.data()->right, &x.data()->left, MPFR_RNDU);
  return r;
}
MpReal mag(const MpInterval& x) {
  MpReal r;
  mpfr_set_prec(r.backend().data(), mpfi_get_prec(x.data()));
  mpfi_mag(r.backend().data(), x.data());  // exact: max(|l|, |r|) at the same precision
  return r;
}
MpReal mig(const MpInterval& x) {
  MpReal r;
  mpfr_set_prec(r.backend().data(), mpfi_get_prec(x.data()));
  mpfi_mig(r.backend().data(), x.data());
  return r;
}
bool is_point(const MpInterval& x) noexcept { return mpfr_equal_p(&x.data()->left, &x.data()->right) != 0; }
bool is_bounded(const MpInterval& x) noexcept { return mpfi_bounded_p(x.data()) != 0; }
bool contains_zero(const MpInterval& x) noexcept { return mpfi_has_zero(x.data()) > 0; }
bool subset(const MpInterval& a, const MpInterval& b) noexcept { return mpfi_is_inside(a.data(), b.data()) > 0; }
bool interior(const MpInterval& a, const MpInterval& b) noexcept {
  auto lo_ok = mpfr_less_p(&b.data()->left, &a.data()->left) ||
               (mpfr_inf_p(&b.data()->left) && mpfr_equal_p(&b.data()->left, &a.data()->left));
  auto hi_ok = mpfr_less_p(&a.data()->right, &b.data()->right) ||
               (mpfr_inf_p(&b.data()->right) && mpfr_equal_p(&b.data()->right, &a.data()->right));
  return lo_ok && hi_ok;
}
bool disjoint(const MpInterval& a, const MpInterval& b) noexcept {
  return mpfr_less_p(&a.data()->right, &b.data()->left) || mpfr_less_p(&b.data()->right, &a.data()->left);
}
std::optional<MpInterval> intersection(const MpInterval& a, const MpInterval& b) {
  if (disjoint(a, b)) return std::nullopt;
  MpInterval r;
  mpfi_set_prec(r.data(), std::max(mpfi_get_prec(a.data()), mpfi_get_prec(b.data())));
  mpfi_intersect(r.data(), a.data(), b.data());
  return r;
}
MpInterval convex_hull(const MpInterval& a, const MpInterval& b) {
  MpInterval r;
  mpfi_set_prec(r.data(), std::max(mpfi_get_prec(a.data()), mpfi_get_prec(b.data())));
  mpfi_union(r.data(), a.data(), b.data());
  return r;
}
bool equal(const MpInterval& a, const MpInterval& b) noexcept {
  return mpfr_equal_p(&a.data()->left, &b.data()->left) && mpfr_equal_p(&a.data()->right, &b.data()->right);
}
bool is_member(double v, const MpInterval& x) noexcept {
  if (!std::isfinite(v)) return false;  // ±∞ and NaN are not real numbers (IEEE 1788)
  return mpfr_cmp_d(&x.data()->left, v) <= 0 && mpfr_cmp_d(&x.data()->right, v) >= 0;
}
bool subset(const Interval& a, const MpInterval& b) noexcept {
  return mpfr_cmp_d(&b.data()->left, a.lower()) <= 0 && mpfr_cmp_d(&b.data()->right, a.upper()) >= 0;
}
bool subset(const MpInterval& a, const Interval& b) noexcept {
  return mpfr_cmp_d(&a.data()->left, b.lower()) >= 0 && mpfr_cmp_d(&a.data()->right, b.upper()) <= 0;
}
bool certainly_less(const MpInterval& a, const MpInterval& b) noexcept { return mpfr_less_p(&a.data()->right, &b.data()->left) != 0; }
bool certainly_less_equal(const MpInterval& a, const MpInterval& b) noexcept { return mpfr_lessequal_p(&a.data()->right, &b.data()->left) != 0; }
bool possibly_less(const MpInterval& a, const MpInterval& b) noexcept { return mpfr_less_p(&a.data()->left, &b.data()->right) != 0; }
bool possibly_less_equal(const MpInterval& a, const MpInterval& b) noexcept { return mpfr_lessequal_p(&a.data()->left, &b.data()->right) != 0; }
bool certainly_positive(const MpInterval& a) noexcept { return mpfr_sgn(&a.data()->left) > 0; }
bool certainly_negative(const MpInterval& a) noexcept { return mpfr_sgn(&a.data()->right) < 0; }
bool certainly_nonnegative(const MpInterval& a) noexcept { return mpfr_sgn(&a.data()->left) >= 0; }

MpInterval abs(const MpInterval& x) { MpInterval r; mpfi_abs(r.data(), x.data()); return r; }
MpInterval sqr(const MpInterval& x) { MpInterval r; mpfi_sqr(r.data(), x.data()); return r; }
MpInterval sqrt(const MpInterval& x) {
  if (mpfr_sgn(&x.data()->right) < 0)
    throw std::domain_error("sqrt of a negative interval " + short_text(x.data()));
  MpInterval c(x);
  if (mpfr_sgn(&c.data()->left) < 0) mpfr_set_ui(&c.data()->left, 0, MPFR_RNDD);
  MpInterval r;
  mpfi_sqrt(r.data(), c.data());
  return r;
}
MpInterval ldexp(const MpInterval& x, int k) {
  MpInterval r;
  if (k >= 0) mpfi_mul_2ui(r.data(), x.data(), static_cast<unsigned long>(k));
  else mpfi_div_2ui(r.data(), x.data(), static_cast<unsigned long>(-k));
  return r;
}
MpInterval min(const MpInterval& a, const MpInterval& b) {
  MpReal lo = inf(a) < inf(b) ? inf(a) : inf(b);
  MpReal hi = sup(a) < sup(b) ? sup(a) : sup(b);
  return MpInterval(lo, hi);
}
MpInterval max(const MpInterval& a, const MpInterval& b) {
  MpReal lo = inf(a) > inf(b) ? inf(a) : inf(b);
  MpReal hi = sup(a) > sup(b) ? sup(a) : sup(b);
  return MpInterval(lo, hi);
}
Interval to_interval(const MpInterval& x) {
  return Interval(mpfr_get_d(&x.data()->left, MPFR_RNDD), mpfr_get_d(&x.data()->right, MPFR_RNDU));
}

}  // namespace certiformer

namespace certiformer {
bool operator==(const MpInterval& a, const MpInterval& b) noexcept { return equal(a, b); }
}  // namespace certiformer
