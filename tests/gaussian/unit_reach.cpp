// Reachability: Monge-map controls certified by the verified exponential; refusals.
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

TEST_CASE_TEMPLATE("reach a 2-D target within delta", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const auto g0 = make_gaussian({{"1", "0.3"}, {"0.3", "0.5"}}, {"0", "0"});
  const auto g1 = make_gaussian({{"2", "-0.4"}, {"-0.4", "1"}}, {"1", "-1"});
  const std::string delta = std::is_same_v<T, Interval> ? "1e-9" : "1e-60";
  auto r = certify_reach<T>(g0, g1, parse_exact("1"), parse_exact(delta));
  INFO(r.verdict.reason());
  CHECK(r.verdict.is_proved());
  CHECK(r.cov_error <= real_t<T>(std::stod(delta)));
  CHECK(r.mean_error <= real_t<T>(std::stod(delta)));
  // the target lies in (or within δ of) the enclosures
  CHECK(r.W.rows() == 2);
  // too small a δ for binary64 is unknown, never proved
  if constexpr (std::is_same_v<T, Interval>) {
    auto r2 = certify_reach<T>(g0, g1, parse_exact("1"), parse_exact("1e-30"));
    CHECK(r2.verdict.is_unknown());
  }
}

TEST_CASE("reach in 3-D over a non-unit horizon") {
  const auto g0 = make_gaussian({{"1", "0.2", "0"}, {"0.2", "2", "0.1"}, {"0", "0.1", "0.7"}}, {"0.5", "0", "-1"});
  const auto g1 = make_gaussian({{"0.3", "0", "0.05"}, {"0", "0.4", "0"}, {"0.05", "0", "3"}}, {"0", "2", "1"});
  auto r = certify_reach<Interval>(g0, g1, parse_exact("2.5"), parse_exact("1e-8"));
  INFO(r.verdict.reason());
  CHECK(r.verdict.is_proved());
}

TEST_CASE("reach refuses rank mismatch, singular and non-symmetric covariances") {
  const auto g0 = make_gaussian({{"1", "0"}, {"0", "1"}});
  auto expect = [](auto f, const std::string& field, const std::string& words) {
    try {
      f();
      FAIL("no exception");
    } catch (const SpecError& e) {
      CHECK(e.field() == field);
      CHECK(std::string(e.what()).find(words) != std::string::npos);
    }
  };
  expect([&] { certify_reach<Interval>(g0, make_gaussian({{"1", "1"}, {"1", "1"}}), 1, Rational(1, 1000)); }, "target.cov",
         "rank mismatch");
  expect([&] { certify_reach<Interval>(make_gaussian({{"1", "1"}, {"1", "1"}}), make_gaussian({{"2", "2"}, {"2", "2"}}), 1,
                                       Rational(1, 1000)); },
         "initial.cov", "singular");
  expect([&] { certify_reach<Interval>(g0, make_gaussian({{"1", "0.1"}, {"0", "1"}}), 1, Rational(1, 1000)); }, "target.cov",
         "symmetric");
  expect([&] { certify_reach<Interval>(g0, make_gaussian({{"1", "2"}, {"2", "1"}}), 1, Rational(1, 1000)); }, "target.cov",
         "semi-definite");
  expect([&] { certify_reach<Interval>(g0, g0, 0, Rational(1, 1000)); }, "horizon", "> 0");
  expect([&] { certify_reach<Interval>(g0, make_gaussian({{"1"}}), 1, Rational(1, 1000)); }, "target.mean", "length");
}
