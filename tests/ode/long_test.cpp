// Slow variants (suite 'long'): the 256-bit runs of the containment tests.
#include "certiformer/core.hpp"
#include "certiformer/ode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace certiformer;
using namespace certiformer::ode;

TEST_CASE("256-bit Riccati: closed form at 0.9 t* and a certified blow-up lower bound") {
  MpPrecisionScope s(256);
  RiccatiField<MpInterval> f{from_text<MpInterval>("0.5"), MpInterval(1)};
  Vec<MpInterval> x0(1);
  x0(0) = MpInterval(1);
  const double ts = 0.40546510810816438;  // ln 1.5 (the check below is against the exact value)
  auto r = enclose_flow<MpInterval>(f, 0.0, x0, 1.0, {}, {0.9 * ts});
  CHECK(r.verdict.is_unknown());
  REQUIRE(r.times.size() == 1);
  MpPrecisionScope hi(512);
  const MpInterval t(r.times[0]);
  const MpInterval e = exp(t);
  const MpInterval exact = e / (MpInterval(1) - MpInterval(2) * (e - MpInterval(1)));
  CHECK(subset(exact, r.at[0](0)));
  CHECK(wid(r.at[0](0)) < MpReal("1e-60"));
  const MpInterval tstar = log(from_text<MpInterval>("1.5"));
  CHECK(certainly_less(MpInterval(r.t_reached), tstar));
  CHECK(r.t_reached > 0.99999 * ts);
}

TEST_CASE("256-bit Lorenz reversibility to T = 2") {
  MpPrecisionScope s(256);
  const auto f = LorenzField<MpInterval>::classical();
  Vec<MpInterval> x0(3);
  x0 << MpInterval(15), MpInterval(15), MpInterval(36);
  auto fw = enclose_flow<MpInterval>(f, 0.0, x0, 2.0);
  REQUIRE(fw.verdict.is_proved());
  CHECK(wid(fw.enclosure(0)) < MpReal("1e-50"));
  auto bw = enclose_flow<MpInterval>(f, 2.0, fw.enclosure, 0.0);
  REQUIRE(bw.verdict.is_proved());
  for (int i = 0; i < 3; ++i) CHECK(subset(x0(i), bw.enclosure(i)));
}
