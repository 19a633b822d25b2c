// Exact numbers from text. See exact.hpp.
#include "certiformer/core/exact.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace certiformer {

namespace {

[[noreturn]] void bad(std::string_view text, const char* why) {
  throw std::invalid_argument("expected a decimal, rational (p/q) or hex-float number, got '" +
                              std::string(text) + "' (" + why + ")");
}

constexpr long kMaxExp = 100000;

long parse_exponent(std::string_view full, std::string_view s) {
  if (s.empty()) bad(full, "empty exponent");
  bool neg = false;
  std::size_t i = 0;
  if (s[0] == '+' || s[0] == '-') { neg = s[0] == '-'; i = 1; }
  if (i == s.size()) bad(full, "empty exponent");
  long e = 0;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) bad(full, "bad exponent");
    e = e * 10 + (s[i] - '0');
    if (e > kMaxExp) bad(full, "exponent too large");
  }
  return neg ? -e : e;
}

Rational pow10(long e) {
  boost::multiprecision::mpz_int p = 1;
  boost::multiprecision::mpz_int ten = 10;
  p = boost::multiprecision::pow(ten, static_cast<unsigned>(e < 0 ? -e : e));
  if (e >= 0) return Rational(p);
  return Rational(boost::multiprecision::mpz_int(1), p);
}

Rational pow2(long e) {
  boost::multiprecision::mpz_int p = 1;
  p <<= static_cast<unsigned>(e < 0 ? -e : e);
  if (e >= 0) return Rational(p);
  return Rational(boost::multiprecision::mpz_int(1), p);
}

/// Unsigned decimal: digits[.digits][e±N] (at least one digit in the mantissa).
Rational parse_decimal(std::string_view full, std::string_view s) {
  std::size_t epos = s.find_first_of("eE");
  std::string_view mant = s.substr(0, epos);
  long exp10 = epos == std::string_view::npos ? 0 : parse_exponent(full, s.substr(epos + 1));
  std::string digits;
  long frac = 0;
  bool dot = false;
  for (char c : mant) {
    if (c == '.') {
      if (dot) bad(full, "two decimal points");
      dot = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
      if (dot) ++frac;
    } else {
      bad(full, "unexpected character");
    }
  }
  if (digits.empty()) bad(full, "no digits");
  // Base 10 explicitly: mpz_int(std::string) would read a leading '0' as an octal prefix
  // ("0.25" → digits "025" → 21).
  boost::multiprecision::mpz_int m;
  if (mpz_set_str(m.backend().data(), digits.c_str(), 10) != 0) bad(full, "bad digits");
  const Rational q{m};
  const long e = exp10 - frac;
  if (e > kMaxExp || e < -kMaxExp) bad(full, "exponent too large");
  return q * pow10(e);
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Unsigned hex float after "0x": hexdigits[.hexdigits]p±N.
Rational parse_hex(std::string_view full, std::string_view s) {
  std::size_t ppos = s.find_first_of("pP");
  if (ppos == std::string_view::npos) bad(full, "hex float needs a binary exponent p±N");
  long exp2 = parse_exponent(full, s.substr(ppos + 1));
  boost::multiprecision::mpz_int m = 0;
  long frac = 0;
  bool dot = false, any = false;
  for (char c : s.substr(0, ppos)) {
    if (c == '.') {
      if (dot) bad(full, "two points");
      dot = true;
      continue;
    }
    int v = hexval(c);
    if (v < 0) bad(full, "unexpected character");
    m = m * 16 + v;
    any = true;
    if (dot) ++frac;
  }
  if (!any) bad(full, "no digits");
  return Rational(m) * pow2(exp2 - 4 * frac);
}

Rational parse_unsigned_number(std::string_view full, std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return parse_hex(full, s.substr(2));
  return parse_decimal(full, s);
}

Rational parse_signed(std::string_view full, std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) bad(full, "empty");
  Rational q = parse_unsigned_number(full, s);
  return neg ? Rational(-q) : q;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Rational parse_exact(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) bad(text, "empty");
  std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) return parse_signed(text, s);
  Rational num = parse_signed(text, trim(s.substr(0, slash)));
  Rational den = parse_signed(text, trim(s.substr(slash + 1)));
  if (den == 0) bad(text, "zero denominator");
  return num / den;
}

Interval enclose_interval(const Rational& q) {
  mpfr_t t;
  mpfr_init2(t, 53);
  mpfr_set_q(t, q.backend().data(), MPFR_RNDD);
  const double lo = mpfr_get_d(t, MPFR_RNDD);
  mpfr_set_q(t, q.backend().data(), MPFR_RNDU);
  const double hi = mpfr_get_d(t, MPFR_RNDU);
  mpfr_clear(t);
  return Interval(lo, hi);
}

MpInterval enclose_mp(const Rational& q) {
  MpInterval r;
  mpfi_set_q(r.data(), q.backend().data());
  return r;
}

std::string to_string(const Rational& q) { return q.str(); }

std::string exact_text(const Rational& q) {
  using boost::multiprecision::mpz_int;
  mpz_int num = boost::multiprecision::numerator(q), den = boost::multiprecision::denominator(q);
  // den = 2^a 5^b? then q = num·(10^k/den) / 10^k with k = max(a, b)
  mpz_int d = den;
  unsigned a = 0, b = 0;
  while (d % 2 == 0) { d /= 2; ++a; }
  while (d % 5 == 0) { d /= 5; ++b; }
  if (d != 1) return q.str();
  const unsigned k = std::max(a, b);
  mpz_int scale = 1;
  for (unsigned i = 0; i < k; ++i) scale *= 10;
  mpz_int n = num * (scale / den);
  const bool neg = n < 0;
  if (neg) n = -n;
  std::string digits = n.str();
  if (k > 0) {
    if (digits.size() <= k) digits = std::string(k + 1 - digits.size(), '0') + digits;
    digits.insert(digits.size() - k, ".");
  }
  return (neg ? "-" : "") + digits;
}

bool is_interval_text(std::string_view text) {
  const std::string_view s = trim(text);
  return !s.empty() && s.front() == '[';
}

RationalInterval parse_exact_interval(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty() || s.front() != '[') {
    const Rational q = parse_exact(text);
    return {q, q};
  }
  if (s.back() != ']') bad(text, "an interval \"[a, b]\" must end with ']'");
  const std::string_view body = s.substr(1, s.size() - 2);
  const std::size_t comma = body.find(',');
  RationalInterval r;
  if (comma == std::string_view::npos) {
    r.lo = r.hi = parse_exact(body);
  } else {
    r.lo = parse_exact(body.substr(0, comma));
    r.hi = parse_exact(body.substr(comma + 1));
  }
  if (r.lo > r.hi) bad(text, "an interval [a, b] needs a <= b");
  return r;
}

std::string exact_text(const RationalInterval& x) {
  if (x.lo == x.hi) return exact_text(x.lo);
  return "[" + exact_text(x.lo) + ", " + exact_text(x.hi) + "]";
}

Interval Interval::from_text(std::string_view text) { return enclose_interval(parse_exact(text)); }
MpInterval MpInterval::from_text(std::string_view text) { return enclose_mp(parse_exact(text)); }

}  // namespace certiformer
