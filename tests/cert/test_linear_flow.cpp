// tests/cert: linear.flow against closed forms, on both backends (suite 'consistency').
//   rotation      A = [[0,1],[-1,0]]:   x(t) = (cos t, −sin t) for x0 = (1, 0)
//   diagonal      A = diag(a):          x_i(t) = x0_i e^{a_i t}
//   nilpotent     A = [[0,1],[0,0]], b = (0,1):  x(t) = (x0_0 + x0_1 t + t²/2, x0_1 + t)
// The oracle is evaluated with MpInterval at 256 bits (512 bits for the 256-bit backend) and must
// lie inside the enclosure; widths are bounded (relative 1e-12 in binary64, 1e-60 at 256 bits).
#include "cert_test_util.hpp"

#include <doctest/doctest.h>

using namespace certiformer;
using namespace certiformer::cert;

namespace {

template <class T> struct Backend;
template <> struct Backend<Interval> {
  static constexpr unsigned bits = 53;
  static constexpr unsigned oracle_bits = 256;
  static constexpr const char* rel_width = "1e-12";
};
template <> struct Backend<MpInterval> {
  static constexpr unsigned bits = 256;
  static constexpr unsigned oracle_bits = 512;
  static constexpr const char* rel_width = "1e-60";
};

/// Runs a config at the backend's precision and returns x_at_t re-read from the certificate as
/// exact endpoints (so what is checked is what a certificate says).
struct Endpoints {
  Rational lo, hi;
};
template <class T>
std::vector<Endpoints> run_x(const std::string& config) {
  RunOptions o;
  o.precision = Backend<T>::bits;
  const Certificate c = run_config(config_from_text(config), o);
  CHECK(c.backend == backend_name(Backend<T>::bits));
  std::vector<Endpoints> r;
  for (const auto& e : std::get<EnclosureVector>(c.results.at(0).second)) {
    // decimal ⊇ hex, and use the tighter hex endpoints
    CHECK(parse_exact(e.lo) <= parse_exact(e.lo_hex));
    CHECK(parse_exact(e.hi_hex) <= parse_exact(e.hi));
    r.push_back({parse_exact(e.lo_hex), parse_exact(e.hi_hex)});
  }
  return r;
}

/// Oracle interval inside [lo, hi] and relative width bound.
void check_inside(const Endpoints& e, const MpInterval& oracle, const char* rel) {
  // Exact comparisons: mpfr_cmp_q(oracle endpoint, q).
  CHECK(mpfr_cmp_q(&oracle.data()->left, e.lo.backend().data()) >= 0);
  CHECK(mpfr_cmp_q(&oracle.data()->right, e.hi.backend().data()) <= 0);
  const Rational w = e.hi - e.lo;
  Rational mag = abs(e.hi) > abs(e.lo) ? Rational(abs(e.hi)) : Rational(abs(e.lo));
  CAPTURE(w.convert_to<double>());
  CAPTURE(mag.convert_to<double>());
  CHECK(w > 0);
  CHECK(w <= parse_exact(rel) * mag);
}

}  // namespace

TEST_CASE_TEMPLATE("linear.flow: rotation at t = 1, 2.5, -1 is (cos t, -sin t)", T, Interval, MpInterval) {
  // {JSON literal of t, its value}
  const std::pair<const char*, const char*> times[] = {{"1", "1"}, {"2.5", "2.5"}, {"-1", "-1"}, {"\"5/2\"", "5/2"}};
  for (const auto& [lit, value] : times) {
    CAPTURE(lit);
    const auto x = run_x<T>(test::rotation_config("[]", lit));
    REQUIRE(x.size() == 2);
    MpPrecisionScope s(Backend<T>::oracle_bits);
    const MpInterval tt = MpInterval::from_text(value);
    check_inside(x[0], cos(tt), Backend<T>::rel_width);
    check_inside(x[1], -sin(tt), Backend<T>::rel_width);
  }
}

TEST_CASE_TEMPLATE("linear.flow: diagonal A gives exponentials", T, Interval, MpInterval) {
  const auto x = run_x<T>(R"({"kind": "linear.flow", "A": [[-1, 0, 0], [0, 0.5, 0], [0, 0, 2]],
                              "x0": [1, 2, "1/3"], "t": 1.5})");
  REQUIRE(x.size() == 3);
  MpPrecisionScope s(Backend<T>::oracle_bits);
  const MpInterval t = MpInterval::from_text("1.5");
  check_inside(x[0], exp(-t), Backend<T>::rel_width);
  check_inside(x[1], MpInterval(2) * exp(MpInterval::from_text("0.5") * t), Backend<T>::rel_width);
  check_inside(x[2], MpInterval::from_text("1/3") * exp(MpInterval(2) * t), Backend<T>::rel_width);
}

TEST_CASE_TEMPLATE("linear.flow: nilpotent A with bias gives the polynomial closed form", T, Interval, MpInterval) {
  const auto x = run_x<T>(R"({"kind": "linear.flow", "A": [[0, 1], [0, 0]], "b": [0, 1],
                              "x0": [1, "1/3"], "t": "7/4"})");
  REQUIRE(x.size() == 2);
  const Rational t(7, 4), v0(1, 3);
  const Rational p = Rational(1) + v0 * t + t * t / 2, v = v0 + t;
  CHECK(x[0].lo <= p);
  CHECK(p <= x[0].hi);
  CHECK(x[1].lo <= v);
  CHECK(v <= x[1].hi);
  MpPrecisionScope s(Backend<T>::oracle_bits);
  check_inside(x[0], enclose_mp(p), Backend<T>::rel_width);
  check_inside(x[1], enclose_mp(v), Backend<T>::rel_width);
}

TEST_CASE_TEMPLATE("linear.flow: t = 0 returns x0; b defaults to 0", T, Interval, MpInterval) {
  const auto x = run_x<T>(R"({"kind": "linear.flow", "A": [[3, 1], [-2, 7]], "x0": [0.1, -4], "t": 0})");
  REQUIRE(x.size() == 2);
  CHECK(x[0].lo <= Rational(1, 10));
  CHECK(Rational(1, 10) <= x[0].hi);
  CHECK(x[1].lo <= Rational(-4));
  CHECK(Rational(-4) <= x[1].hi);
}

TEST_CASE_TEMPLATE("enclose_linear_flow: interval data encloses every member; misuse throws", T, Interval, MpInterval) {
  MpPrecisionScope s(Backend<T>::bits);
  // A = [-1 ± 0.01] (1×1), x0 = 1, t = 1: x(1) = e^a for a ∈ [-1.01, -0.99].
  Mat<T> A(1, 1);
  A(0, 0) = convex_hull(from_text<T>("-1.01"), from_text<T>("-99/100"));
  Vec<T> b(1), x0(1);
  b(0) = T(0);
  x0(0) = T(1);
  const Vec<T> x = enclose_linear_flow(A, b, x0, T(1));
  MpPrecisionScope o(Backend<T>::oracle_bits);
  const MpInterval lo = exp(MpInterval::from_text("-1.01")), hi = exp(MpInterval::from_text("-99/100"));
  CHECK(subset(lo, x(0)));
  CHECK(subset(hi, x(0)));
  Mat<T> R(2, 3);
  Vec<T> v2(2);
  for (Eigen::Index i = 0; i < 2; ++i) v2(i) = T(0);
  CHECK_THROWS_AS(enclose_linear_flow(R, v2, v2, T(1)), std::invalid_argument);
  CHECK_THROWS_AS(enclose_linear_flow(A, v2, x0, T(1)), std::invalid_argument);
}

TEST_CASE("linear.flow: 256 bits is much tighter than binary64 and both contain the same value") {
  const auto a = run_x<Interval>(test::rotation_config());
  const auto b = run_x<MpInterval>(test::rotation_config());
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(a[i].lo <= b[i].lo);
    CHECK(b[i].hi <= a[i].hi);
    CHECK((b[i].hi - b[i].lo) * Rational(parse_exact("1e40")) < (a[i].hi - a[i].lo));
  }
}
