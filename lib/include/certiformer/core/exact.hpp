#pragma once
/// certiformer/core/exact.hpp — exact numbers from text.
///
/// A literal in a config, a proof or a test denotes the real number it spells. `parse_exact`
/// turns text into an exact rational (GMP, via Boost.Multiprecision `mpq_rational`); `enclose`
/// turns that rational into the tightest interval of each scalar type (outward rounding by
/// MPFR: `mpfr_set_q` with MPFR_RNDD / MPFR_RNDU).
///
/// Accepted text: optional sign, then one of
///   * decimal:   digits with optional '.', optional exponent  e±N   ("0.1", "-2.5e-3", "7", ".5")
///   * rational:  decimal '/' decimal, nonzero denominator       ("1/3", "-22/7", "1.5/2e3")
///   * hex float: 0x hexdigits[.hexdigits] p±N (C99 %a, as written in certificates)
/// Exponents are limited to |N| ≤ 100000 (larger ones are refused, not rounded).
/// Anything else ("nan", "inf", "", "1e", "0x1.8") throws std::invalid_argument naming the text.

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"

#include <string>
#include <string_view>

#include <boost/multiprecision/gmp.hpp>

namespace certiformer {

using Rational = boost::multiprecision::mpq_rational;

/// Encloses: nothing — returns the exact rational the text spells. Throws std::invalid_argument.
Rational parse_exact(std::string_view text);

/// Encloses: the rational q; [RNDD(q), RNDU(q)] in binary64 (a point iff q is a double;
///   beyond ±DBL_MAX the half-line [DBL_MAX, +∞] / [−∞, −DBL_MAX]).
/// Assumes: nothing. Checks: nothing (every rational has a binary64 enclosure).
/// Failure: none. Method: mpfr_set_q with MPFR_RNDD and MPFR_RNDU (correct directed rounding
///   of the exact quotient), then mpfr_get_d of each end in the same direction.
Interval enclose_interval(const Rational& q);
/// Encloses: the rational q at the current MpInterval precision (mp_precision()).
/// Assumes: nothing. Checks: nothing. Failure: none.
/// Method: mpfr_set_q with MPFR_RNDD / MPFR_RNDU at the working precision.
MpInterval enclose_mp(const Rational& q);

/// Generic form for templates: enclose<Interval>(q), enclose<MpInterval>(q).
template <class T> T enclose(const Rational& q);
template <> inline Interval enclose<Interval>(const Rational& q) { return enclose_interval(q); }
template <> inline MpInterval enclose<MpInterval>(const Rational& q) { return enclose_mp(q); }

/// from_text<T>("0.1"): encloses the number spelled by the text.
template <class T> T from_text(std::string_view text) { return enclose<T>(parse_exact(text)); }

/// The exact decimal/rational text of a rational ("-3/7", "5").
std::string to_string(const Rational& q);
/// The exact text of q as a finite decimal when its denominator is 2^a·5^b ("0.95", "-1.25e-3"
/// style is not used: plain digits), else "p/q". parse_exact(exact_text(q)) == q.
std::string exact_text(const Rational& q);

/// A closed interval [lo, hi] of exact rationals (lo ≤ hi): an input box coordinate.
struct RationalInterval {
  Rational lo, hi;
  bool is_point() const { return lo == hi; }
  friend bool operator==(const RationalInterval& a, const RationalInterval& b) { return a.lo == b.lo && a.hi == b.hi; }
};
/// True iff the text (after blanks) starts with '[' — IEEE 1788 interval literal syntax.
bool is_interval_text(std::string_view text);
/// Encloses: nothing — returns the exact interval the text spells: "[a, b]" (IEEE 1788 inf-sup
///   form; a, b any text parse_exact accepts, blanks allowed) or "[a]" (the point a); a plain
///   number "a" is the point [a, a].
/// Checks: both ends parse, a ≤ b. Failure: std::invalid_argument naming the text.
RationalInterval parse_exact_interval(std::string_view text);
/// The IEEE 1788 text "[lo, hi]" of an exact interval (ends in exact_text form), or exact_text
/// of the point when lo = hi.
std::string exact_text(const RationalInterval& x);
/// Encloses: every real in [x.lo, x.hi]: the hull of enclose<T>(lo) and enclose<T>(hi).
/// Assumes: lo ≤ hi. Checks: nothing. Failure: none. Method: outward rounding of each end.
template <class T> T enclose(const RationalInterval& x) {
  if (x.lo == x.hi) return enclose<T>(x.lo);
  return convex_hull(enclose<T>(x.lo), enclose<T>(x.hi));
}

}  // namespace certiformer
