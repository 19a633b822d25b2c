// Scalar closed forms of docs/mathematics.md §3 (σ' = 2wσ + 2cσ², t* = ln(1 + w/(cσ0))/(2w)) on both backends.
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {

template <class T> void check_scalar(const std::string& w, const std::string& c, const std::string& s0,
                                     const std::string& horizon, const T& expected, double tol) {
  auto r = certify_blowup_time<T>(scalar_model(w, c), scalar_gaussian(s0), parse_exact(horizon));
  INFO("status ", std::string(to_string(r.status)), " reason ", r.verdict.reason());
  REQUIRE(r.status == BlowupStatus::blowup);
  CHECK(r.verdict.is_proved());
  // the certified interval (t_lo, t_hi) must contain the closed form
  CHECK(certainly_less(r.blowup_time, expected) == false);
  CHECK(subset(expected, r.blowup_time));
  CHECK(r.relative_width <= tol);
  MESSAGE("w=", w, " c=", c, " s0=", s0, ": ", to_string(r.blowup_time), " slabs ", r.slabs, " expm ", r.expm_calls,
          " relw ", r.relative_width);
}

}  // namespace

TEST_CASE_TEMPLATE("scalar blow-up closed forms", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const double tol = std::is_same_v<T, Interval> ? 1e-12 : 1e-30;
  // (0.5, 1, 1) → ln 1.5
  check_scalar<T>("0.5", "1", "1", "10", log(from_text<T>("1.5")), tol);
  // (−0.5, 1, 1) → ln 2
  check_scalar<T>("-0.5", "1", "1", "10", log(from_text<T>("2")), tol);
  // (0, 1, 2) → 0.25
  check_scalar<T>("0", "1", "2", "10", from_text<T>("0.25"), tol);
}

TEST_CASE_TEMPLATE("scalar no blow-up: (0.5, -1, 0.2)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  auto r = certify_blowup_time<T>(scalar_model("0.5", "-1"), scalar_gaussian("0.2"), parse_exact("20"));
  INFO(r.verdict.reason());
  REQUIRE(r.status == BlowupStatus::no_blowup_on_horizon);
  REQUIRE(r.cov_at_horizon.rows() == 1);
  // σ(t) = σ0 e^{2wt} / (1 − (cσ0/w)(e^{2wt} − 1)) at t = 20, w = 0.5, c = −1, σ0 = 0.2
  const T w = from_text<T>("0.5"), c = from_text<T>("-1"), s0 = from_text<T>("0.2"), t = from_text<T>("20");
  const T E = exp(T(2) * w * t);
  const T exact = s0 * E / (T(1) - c * s0 / w * (E - T(1)));
  CHECK(subset(exact, r.cov_at_horizon(0, 0)));
  CHECK(contains_zero(r.cov_at_horizon(0, 0) - from_text<T>("0.5")) == false);
  MESSAGE("sigma(20) in ", to_string(r.cov_at_horizon(0, 0)), " slabs ", r.slabs);
}
