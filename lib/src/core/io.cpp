// Outward decimal / exact hex text. See io.hpp.
#include "certiformer/core/io.hpp"

#include <cmath>

namespace certiformer {

namespace {
std::string fmt(const char* f, int digits, mpfr_srcptr v) {
  char* s = nullptr;
  if (digits >= 0) mpfr_asprintf(&s, f, digits, v);
  else mpfr_asprintf(&s, f, v);
  std::string r(s);
  mpfr_free_str(s);
  return r;
}
struct D53 {
  mpfr_t v;
  explicit D53(double d) { mpfr_init2(v, 53); mpfr_set_d(v, d, MPFR_RNDN); }
  ~D53() { mpfr_clear(v); }
};
int mp_digits(mpfr_srcptr v) { return static_cast<int>(std::ceil(mpfr_get_prec(v) * 0.30102999566398)) + 2; }
std::string special(double v) { return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }
}  // namespace

// 17 significant digits: "%.16RDe" prints 1 + 16 digits.
std::string decimal_down(double v) { if (!std::isfinite(v)) return special(v); D53 d(v); return fmt("%.*RDe", 16, d.v); }
std::string decimal_up(double v) { if (!std::isfinite(v)) return special(v); D53 d(v); return fmt("%.*RUe", 16, d.v); }
std::string hex(double v) { if (!std::isfinite(v)) return special(v); D53 d(v); return fmt("%Ra", -1, d.v); }
std::string decimal_down(const MpReal& v) { if (!mpfr_number_p(v.backend().data())) return mpfr_nan_p(v.backend().data()) ? "nan" : (mpfr_sgn(v.backend().data()) > 0 ? "inf" : "-inf"); return fmt("%.*RDe", mp_digits(v.backend().data()) - 1, v.backend().data()); }
std::string decimal_up(const MpReal& v) { if (!mpfr_number_p(v.backend().data())) return mpfr_nan_p(v.backend().data()) ? "nan" : (mpfr_sgn(v.backend().data()) > 0 ? "inf" : "-inf"); return fmt("%.*RUe", mp_digits(v.backend().data()) - 1, v.backend().data()); }
std::string hex(const MpReal& v) { if (!mpfr_number_p(v.backend().data())) return mpfr_nan_p(v.backend().data()) ? "nan" : (mpfr_sgn(v.backend().data()) > 0 ? "inf" : "-inf"); return fmt("%Ra", -1, v.backend().data()); }

EndpointText endpoints(const Interval& x) {
  return {decimal_down(x.lower()), decimal_up(x.upper()), hex(x.lower()), hex(x.upper())};
}
EndpointText endpoints(const MpInterval& x) {
  const MpReal l = inf(x), u = sup(x);
  return {decimal_down(l), decimal_up(u), hex(l), hex(u)};
}

std::string to_string(const Interval& x, int digits) {
  if (digits < 1) digits = 17;
  std::string lo, hi;
  if (std::isfinite(x.lower())) { D53 d(x.lower()); lo = fmt("%.*RDg", digits, d.v); } else lo = special(x.lower());
  if (std::isfinite(x.upper())) { D53 d(x.upper()); hi = fmt("%.*RUg", digits, d.v); } else hi = special(x.upper());
  return "[" + lo + ", " + hi + "]";
}
std::string to_string(const MpInterval& x, int digits) {
  const mpfr_srcptr l = &x.data()->left, u = &x.data()->right;
  if (digits < 1) digits = mp_digits(l);
  return "[" + fmt("%.*RDg", digits, l) + ", " + fmt("%.*RUg", digits, u) + "]";
}
std::ostream& operator<<(std::ostream& os, const Interval& x) { return os << to_string(x); }
std::ostream& operator<<(std::ostream& os, const MpInterval& x) { return os << to_string(x); }

}  // namespace certiformer
