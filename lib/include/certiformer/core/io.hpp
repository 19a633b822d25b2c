#pragma once
/// certiformer/core/io.hpp — outward decimal and exact hexadecimal text for enclosures.
///
/// `decimal_down(v)` is a decimal string whose exact value is ≤ v, `decimal_up(v)` one ≥ v
/// (MPFR's printf with MPFR_RNDD / MPFR_RNDU, 17 significant digits for binary64 and
/// ⌈bits·log10 2⌉ + 2 for MPFR numbers). So parsing {lo, hi} of `endpoints(x)` as exact decimals
/// gives an interval that still contains x. `hex(v)` is the exact C99 hex float ("%a").

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"

#include <ostream>
#include <string>

namespace certiformer {

std::string decimal_down(double v);
std::string decimal_up(double v);
std::string hex(double v);
std::string decimal_down(const MpReal& v);
std::string decimal_up(const MpReal& v);
std::string hex(const MpReal& v);

/// Text of both endpoints: outward decimals and exact hex floats.
struct EndpointText {
  std::string lo, hi, lo_hex, hi_hex;
};
EndpointText endpoints(const Interval& x);
EndpointText endpoints(const MpInterval& x);

/// Short human form "[lo, hi]" with `digits` significant digits, rounded outward.
std::string to_string(const Interval& x, int digits = 17);
std::string to_string(const MpInterval& x, int digits = 0);  // 0: enough for the precision
std::ostream& operator<<(std::ostream& os, const Interval& x);
std::ostream& operator<<(std::ostream& os, const MpInterval& x);

}  // namespace certiformer
