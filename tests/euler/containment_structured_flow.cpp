// tests/euler — the structured flow engine inside euler.error (issue 13 goal 3): the flow values
// at the grid times t_k = kT/L (dense output of transformer/structured_flow.hpp, step 6) must
// intersect the Taylor–Lohner reference values and contain the 256-bit Taylor–Lohner values —
// for exact point tokens (through enclose_order_table, also at grid times that are not binary64
// numbers and with a loose order/tolerance so that the Lagrange remainder dominates) and for a
// box of initial tokens (sampled corners, so that the log-norm growth term e^{sμ}r matters).
#include "certiformer/euler.hpp"
#include "attention_fixture.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

namespace {
using test::attention_field;
/// exact dyadic tokens (points in every precision)
const std::vector<double> kTokens = {0.5, -0.3125, -0.375, 0.6875, 0.875, 0.1875, -0.625, -0.8125};
template <class T> Vec<T> tokens(double shift = 0) {
  Vec<T> x(8);
  for (Eigen::Index i = 0; i < 8; ++i) x(i) = T(kTokens[static_cast<std::size_t>(i)] + shift);
  return x;
}
}  // namespace

TEST_CASE("euler.error flow by the structured engine: intersects Taylor–Lohner, contains the 256-bit flow (points)") {
  const auto f = attention_field<Interval>();
  const Vec<Interval> X0 = tokens<Interval>();
  // k/10: grid times that are not binary64 numbers; 128: grid times inside the first step (where
  // r = 0 for point tokens, so only the Taylor remainder covers the truncation error: dropping it
  // fails this test — review finding)
  const std::vector<std::size_t> depths = {10, 16, 128};
  const auto ref_grid = euler::detail::grid_times(1.0, depths);
  EulerOptions tl;
  tl.flow_method = FlowMethod::taylor_lohner;
  const OrderTable<Interval> ref = enclose_order_table<Interval>(f, X0, 1.0, depths, tl);
  REQUIRE(ref.verdict.is_proved());
  CHECK(ref.flow.method == FlowMethod::taylor_lohner);
  MpPrecisionScope hi(test::kOracleBits);
  const auto fm = attention_field<MpInterval>();
  EulerOptions mo;
  const GridFlow<MpInterval> m = enclose_transformer_flow_on_grids<MpInterval>(fm, tokens<MpInterval>(), 1.0, depths, mo);
  REQUIRE(m.verdict.is_proved());
  CHECK(m.method == FlowMethod::taylor_lohner);  // the structured engine is binary64 only
  for (bool loose : {false, true}) {
    EulerOptions so;  // automatic: this model is in the structured scope
    if (loose) {      // low order, large tolerance: the Lagrange remainder dominates the width
      so.structured_order = 4;
      so.structured_tolerance = 1e-7;
    }
    const OrderTable<Interval> tab = enclose_order_table<Interval>(f, X0, 1.0, depths, so);
    REQUIRE(tab.verdict.is_proved());
    REQUIRE(tab.flow.method == FlowMethod::structured);
    CHECK(tab.flow.corrected > 0);
    CHECK(tab.flow.at.size() == ref.flow.at.size());
    double w = 0;
    for (const auto& [pq, x] : tab.flow.at) {
      CAPTURE(pq.first);
      CAPTURE(pq.second);
      const Vec<Interval>& r = ref.flow.at.at(pq);
      const Vec<MpInterval>& xm = m.at.at(pq);
      for (Eigen::Index i = 0; i < 8; ++i) {
        CHECK(!disjoint(x(i), r(i)));
        // tight at binary64 grid times; at k/10 the reference itself is only ~1e-17 wide (its
        // grid times are binary64 hulls, enclose_flow_on_grids' tube correction)
        CHECK(wid(xm(i)) < MpReal(is_point(ref_grid.at(pq)) ? "1e-40" : "1e-15"));
        CHECK(subset(xm(i), x(i)));
        w = std::max(w, wid(x(i)));
      }
    }
    MESSAGE(std::string(loose ? "p = 4, tol 1e-7: " : "auto: ") << static_cast<long>(tab.flow.steps) << " structured steps, max width " << w << " ("
                                                      << tab.flow.method_reason << ")");
    if (!loose) CHECK(w < 1e-9);
    for (std::size_t j = 0; j < depths.size(); ++j) {
      CHECK(!disjoint(tab.rows[j].error, ref.rows[j].error));
      if (!loose) CHECK(sup(tab.rows[j].error) / inf(tab.rows[j].error) <= 1.01);
    }
    CHECK(tab.radius >= ref.radius_lower);
  }
}

TEST_CASE("euler.error flow by the structured engine: a box of tokens contains the 256-bit flows of sampled corners") {
  const auto f = attention_field<Interval>();
  const double rho = 1.0 / 4096;
  const Vec<Interval> c = tokens<Interval>();
  Vec<Interval> X0(8);
  for (Eigen::Index i = 0; i < 8; ++i) X0(i) = Interval(inf(c(i)) - rho, sup(c(i)) + rho);
  const std::vector<std::size_t> depths = {6};
  EulerOptions so;
  so.flow_method = FlowMethod::structured;
  const GridFlow<Interval> g = enclose_transformer_flow_on_grids<Interval>(f, X0, 1.0, depths, so);
  REQUIRE(g.verdict.is_proved());
  REQUIRE(g.method == FlowMethod::structured);
  EulerOptions tl;
  tl.flow_method = FlowMethod::taylor_lohner;
  const GridFlow<Interval> ref = enclose_transformer_flow_on_grids<Interval>(f, X0, 1.0, depths, tl);
  REQUIRE(ref.verdict.is_proved());
  for (const auto& [pq, x] : g.at)
    for (Eigen::Index i = 0; i < 8; ++i) CHECK(!disjoint(x(i), ref.at.at(pq)(i)));
  MpPrecisionScope hi(test::kOracleBits);
  const auto fm = attention_field<MpInterval>();
  auto gen = test::rng(17);
  std::uniform_int_distribution<int> bit(0, 1);
  for (int s = 0; s < 3; ++s) {
    Vec<MpInterval> x(8);
    for (Eigen::Index i = 0; i < 8; ++i) x(i) = MpInterval(kTokens[static_cast<std::size_t>(i)] + (bit(gen) ? rho : -rho));
    const GridFlow<MpInterval> m = enclose_transformer_flow_on_grids<MpInterval>(fm, x, 1.0, depths, tl);
    REQUIRE(m.verdict.is_proved());
    for (const auto& [pq, xm] : m.at) {
      CAPTURE(pq.first);
      for (Eigen::Index i = 0; i < 8; ++i) CHECK(subset(xm(i), g.at.at(pq)(i)));
    }
  }
}

TEST_CASE("euler.error flow method: structured refused outside the scope, automatic falls back to Taylor–Lohner") {
  Layer<Interval> l;
  l.W = matrix_from_text<Interval>({{"1"}});
  const TransformerField<Interval> sph(2, 1, Control<Interval>::constant(l), true);  // sphere: out of scope
  const Vec<Interval> X0 = vector_from_text<Interval>({"1", "-1"});
  EulerOptions so;
  so.flow_method = FlowMethod::structured;
  CHECK_THROWS_AS(enclose_transformer_flow_on_grids<Interval>(sph, X0, 1.0, {4}, so), std::invalid_argument);
  EulerOptions au;
  const GridFlow<Interval> g = enclose_transformer_flow_on_grids<Interval>(sph, X0, 1.0, {4}, au);
  CHECK(g.verdict.is_proved());
  CHECK(g.method == FlowMethod::taylor_lohner);
  CHECK(g.method_reason.find("sphere") != std::string::npos);
}

TEST_CASE("euler.error discrete iterates by the structured center/radius method (transformer/structured_euler.hpp)") {
  // The same table with the structured iterates and with the QR-wrapped iterates: the error
  // enclosures intersect, the structured ones are tight for point tokens, the 256-bit iterates of
  // the deepest depth lie inside; the certificate text names the method; forcing it on a
  // MpInterval table is refused.
  const auto f = attention_field<Interval>();
  const Vec<Interval> X0 = tokens<Interval>();
  const std::vector<std::size_t> depths = {16, 64};
  EulerOptions wr;  // default: QR wrapping
  const OrderTable<Interval> ref = enclose_order_table<Interval>(f, X0, 1.0, depths, wr);
  REQUIRE(ref.verdict.is_proved());
  CHECK(ref.iterates_method.find("QR") != std::string::npos);
  EulerOptions st;
  st.iterates = EulerOptions::Iterates::structured;
  st.keep_iterates = true;
  const OrderTable<Interval> tab = enclose_order_table<Interval>(f, X0, 1.0, depths, st);
  REQUIRE(tab.verdict.is_proved());
  CHECK(tab.iterates_method.find("structured") != std::string::npos);
  for (std::size_t j = 0; j < depths.size(); ++j) {
    CHECK(!disjoint(tab.rows[j].error, ref.rows[j].error));
    CHECK(sup(tab.rows[j].error) / inf(tab.rows[j].error) <= 1.001);
  }
  EulerOptions au;  // automatic: n·d = 8 is below structured_iterates_min_dimension
  au.iterates = EulerOptions::Iterates::automatic;
  CHECK(enclose_order_table<Interval>(f, X0, 1.0, {16}, au).iterates_method.find("structured") == std::string::npos);
  au.structured_iterates_min_dimension = 4;
  CHECK(enclose_order_table<Interval>(f, X0, 1.0, {16}, au).iterates_method.find("structured") != std::string::npos);
  MpPrecisionScope hi(test::kOracleBits);
  const auto fm = attention_field<MpInterval>();
  const std::size_t L = depths.back();
  const auto m = ode::enclose_euler_iterates<MpInterval>(fm, tokens<MpInterval>(), MpInterval(1) / MpInterval(static_cast<long>(L)), L,
                                                         MpInterval(0), ode::Wrapping::box);
  REQUIRE(m.verdict.is_proved());
  const auto& its = tab.rows.back().iterates;
  REQUIRE(its.size() == L + 1);
  for (std::size_t k = 0; k <= L; ++k)
    for (Eigen::Index i = 0; i < 8; ++i) CHECK(subset(m.iterates[k](i), its[k](i)));
  EulerOptions sm;
  sm.iterates = EulerOptions::Iterates::structured;
  CHECK_THROWS_AS(enclose_order_table<MpInterval>(fm, tokens<MpInterval>(), 1.0, {16}, sm), std::invalid_argument);
}
