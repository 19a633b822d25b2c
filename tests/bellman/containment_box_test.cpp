// bellman.gap on a parameter box (docs/bellman.md "Parameter boxes"): containment of point runs
// in the box certificate, and the refusals of interval inputs the kind cannot take.
//
// Box: examples/configs/sweep/bellman_gap_w_gate.json (FFN weight W ∈ [−0.6, −0.3], upper end of
// the attention gate range hi ∈ [0.8, 1.2]). At random exact points p = (W, hi) of the box a
// 256-bit point model with the SAME action grid (laid on [0, inf(0.8)] like the box run) is run
// through the library, and
//   * J(a*_box; μ0, p) (256 bits, the box's action sequence) ⊆ the box's upper_bound,
//   * V̂_0(q(μ0); p) (256 bits) ⊆ the box's quantised_value,
//   * every constant and E at p ≤ the box's (E with relative slack 1e-6: E is an upper bound
//     from a ball search, not the enclosure of one number),
//   * the point gap bound with the box's a*: sup J(a*_box; p) − inf V̂_0(p) + E(p) ≤ sup gap_box.
// Independent oracles at each p: the exact covering radius of the grid for [0, hi] (rationals)
// is ≤ the box's δ_A; the minimum of J over a fine 33 × 33 action grid of [0, hi]^2 (≥ V_0(p),
// 256 bits) lies above the box's lower bound, and J(a*_box; p) minus it is ≤ the box's gap.
// Mutations tried: (i) the layer taken at the lower end of the box instead of the hull
// (read_bellman_box without hull_into(m.layer, …)): the J and V̂ containments fail; (ii) δ_A
// without the extension terms g_lo − lo_min, hi_max − g_hi: the exact covering-radius check fails.
#include "certiformer/bellman.hpp"
#include "toy_models.hpp"
#include "certiformer/cert.hpp"
#include "config_support.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

namespace certiformer::cert {
KindInfo bellman_gap_kind();
}

using namespace certiformer;
using namespace certiformer::bellman;
using namespace certiformer::cert;

namespace {
void ensure_registered() { test::ensure_kind("bellman.gap", bellman_gap_kind); }
std::string read_text(const std::string& name) { return test::read_file_text(BELLMAN_CONFIG_DIR, name); }
Interval hull_of(const EndpointText& e) {
  return Interval(inf(from_text<Interval>(e.lo_hex)), sup(from_text<Interval>(e.hi_hex)));
}
const ResultValue& result(const Certificate& c, const std::string& name) {
  for (const auto& [n, v] : c.results)
    if (n == name) return v;
  throw std::runtime_error("no result " + name);
}
Interval scalar(const Certificate& c, const std::string& name) {
  const ResultValue& v = result(c, name);
  if (std::holds_alternative<OneSidedText>(v)) return hull_of(std::get<OneSidedText>(v).implied_enclosure());
  return hull_of(std::get<EndpointText>(v));
}
using test::replace_once;
bool inside(const MpInterval& x, const Interval& box) {
  return inf(box) <= static_cast<double>(inf(x)) && static_cast<double>(sup(x)) <= sup(box);
}

/// The example's model at one exact point (W, hi), at the current MPFI precision, with the
/// action grid laid on [0, g_hi] (g_hi = the binary64 number the box run uses).
LiftedModel<MpInterval> point_model(const Rational& W, const Rational& hi, double g_hi) {
  using T = MpInterval;
  toy::ScalarToy o;
  o.beta = "0.5";
  o.epsilon = "0.125";
  o.grid = 17;
  o.spacing = "0.005";
  LiftedModel<T> m = toy::scalar_model<T>(o);
  m.layer.W(0, 0) = enclose<T>(W);
  m.action_hi(0) = enclose<T>(hi);
  m.grid_lo = transformer::vector_from_text<T>({"0"});
  m.grid_hi = Vec<T>(1);
  m.grid_hi(0) = enclose_point<T>(MpReal(g_hi));
  return m;
}
}  // namespace

TEST_CASE("bellman.gap box: point runs at random exact points lie in the box certificate (256-bit oracle)") {
  ensure_registered();
  const Certificate box = run_config(config_from_text(read_text("sweep/bellman_gap_w_gate.json")));
  REQUIRE(box.kind == "bellman.gap");
  CHECK(std::get<std::string>(result(box, "parameter_box")).rfind("true", 0) == 0);
  const Interval ub = scalar(box, "upper_bound"), qv = scalar(box, "quantised_value"), gap = scalar(box, "gap");
  const Interval E = scalar(box, "quantisation_error"), dA = scalar(box, "delta_A"), L = scalar(box, "L"),
                 La = scalar(box, "L_a"), d0 = scalar(box, "delta_0");
  const auto& acts = std::get<EnclosureMatrix>(result(box, "actions"));
  REQUIRE(acts.size() == 2);
  const double g_hi = inf(from_text<Interval>("0.8"));  // the grid end of the box run: 0.8 rounded down

  MpPrecisionScope scope(test::kOracleBits);
  auto rng = test::rng(1601);
  const Rational W_lo = parse_exact("-0.6"), W_w = parse_exact("0.3"), h_lo = parse_exact("0.8"), h_w = parse_exact("0.4");
  const long n_points = test::trials(6);
  for (long t = 0; t < n_points; ++t) {
    // exact points: the corners first, then random points of the 1/64 lattice of the box
    const long kw = t == 0 ? 0 : t == 1 ? 64 : static_cast<long>(rng() % 65);
    const long kh = t == 0 ? 64 : t == 1 ? 0 : static_cast<long>(rng() % 65);
    const Rational W = W_lo + W_w * Rational(kw) / Rational(64), hi = h_lo + h_w * Rational(kh) / Rational(64);
    CAPTURE(to_string(W));
    CAPTURE(to_string(hi));
    const LiftedModel<MpInterval> m = point_model(W, hi, g_hi);
    const GapResult<MpInterval> r = certify_gap(m);
    REQUIRE(r.verdict.is_proved());
    // the box's a* as grid indices of the (same) grid
    const auto grid = action_grid_points(m);
    std::vector<Vec<MpInterval>> a_box;
    for (const auto& row : acts) {
      const Interval a = hull_of(row[0]);
      int found = -1;
      for (std::size_t j = 0; j < grid.size(); ++j)
        if (inside(grid[j](0), Interval(inf(a) - 1e-15, sup(a) + 1e-15))) found = static_cast<int>(j);
      REQUIRE(found >= 0);
      a_box.push_back(grid[static_cast<std::size_t>(found)]);
    }
    const MpInterval J = enclose_cost_under_actions(m, a_box);
    CHECK(inside(J, ub));
    CHECK(inside(r.quantised_value, qv));
    CHECK(static_cast<double>(sup(r.constants.delta_A)) <= sup(dA));
    CHECK(static_cast<double>(sup(r.constants.delta_0)) <= sup(d0));
    CHECK(static_cast<double>(sup(r.constants.L)) <= sup(L) * (1 + 1e-6));
    CHECK(static_cast<double>(sup(r.constants.L_a)) <= sup(La) * (1 + 1e-6));
    CHECK(static_cast<double>(sup(r.constants.E)) <= sup(E) * (1 + 1e-6));
    const double point_gap = static_cast<double>(sup(J) - inf(r.quantised_value) + sup(r.constants.E));
    MESSAGE("W = ", to_string(W), ", hi = ", to_string(hi), ": J(a*_box) = ", static_cast<double>(mid(J)),
            ", V^_0 = ", static_cast<double>(mid(r.quantised_value)), ", E = ", static_cast<double>(sup(r.constants.E)),
            ", point gap bound = ", point_gap, " <= box gap ", sup(gap));
    CHECK(point_gap <= sup(gap) * (1 + 1e-6));
    // independent oracles at p: (a) the exact covering radius of the grid (17 points on
    // [0, g_hi]) for the action interval [0, hi]: max(hi − g_hi, g_hi/32) (exact rationals);
    const Rational gh(g_hi);
    const Rational ext = hi - gh, half = gh / Rational(32);
    const Rational cov = ext > half ? ext : half;
    CHECK(cov <= Rational(sup(dA)));
    // (b) the minimum of J over a fine action grid of [0, hi]^2 (33 points each, 256 bits) is
    // ≥ V_0(μ0, p): the box's lower bound lies below it, and J(a*_box; p) − it ≤ the box gap
    MpInterval fine_min(0);
    bool first = true;
    for (int i = 0; i <= 32; ++i)
      for (int j = 0; j <= 32; ++j) {
        std::vector<Vec<MpInterval>> seq(2, Vec<MpInterval>(1));
        seq[0](0) = enclose<MpInterval>(hi * Rational(i) / Rational(32));
        seq[1](0) = enclose<MpInterval>(hi * Rational(j) / Rational(32));
        const MpInterval c = enclose_cost_under_actions(m, seq);
        if (first || sup(c) < sup(fine_min)) fine_min = c;
        first = false;
      }
    CHECK(inf(scalar(box, "lower_bound")) <= static_cast<double>(inf(fine_min)));
    CHECK(static_cast<double>(sup(J) - inf(fine_min)) <= sup(gap));
  }
}

TEST_CASE("bellman.gap box: interval inputs outside the supported fields are refused, naming the field") {
  ensure_registered();
  const std::string good = read_text("sweep/bellman_gap_w_gate.json");
  auto fails = [](const std::string& t, const std::string& path) { test::expect_config_error_at(t, path); };
  fails(replace_once(good, "\"epsilon\": \"0.125\"", "\"epsilon\": \"[0.1, 0.125]\""), "/epsilon");
  fails(replace_once(good, "\"state_grid\": \"0.005\"", "\"state_grid\": \"[0.004, 0.005]\""), "/state_grid");
  fails(replace_once(good, "\"labels\": [0, 1, 0]", "\"labels\": [0, \"[0, 1]\", 0]"), "/labels/1");
  fails(replace_once(good, "\"tolerance\": \"0.05\"", "\"tolerance\": \"[0.04, 0.05]\""), "/tolerance");
  fails(replace_once(good, "\"action_grid\": [17]", "\"action_grid\": [\"[9, 17]\"]"), "/action_grid/0");
  // gate-range ends whose intervals overlap: no grid is admissible for every member
  fails(replace_once(good, "[\"0\", \"[0.8, 1.2]\"]", "[\"[0, 0.9]\", \"[0.8, 1.2]\"]"), "/action_box/0");
  // a box on β must keep β > 0 for every member (checked at both ends)
  fails(replace_once(good, "\"beta\": \"0.5\"", "\"beta\": \"[-0.5, 0.5]\""), "/model/beta");
  // a token box that straddles a cell boundary of the state grid: q(μ0) not unique → refusal
  CHECK_THROWS_AS((void)run_config(config_from_text(replace_once(good, "[\"0.313\"]", "[\"[0.313, 0.318]\"]"))),
                  EnclosureFailure);
  // a token box inside one cell, an interval β and Γ are accepted (every member covered)
  const Certificate c = run_config(config_from_text(
      replace_once(replace_once(replace_once(good, "[\"0.313\"]", "[\"[0.313, 0.314]\"]"), "\"beta\": \"0.5\"", "\"beta\": \"[0.45, 0.55]\""),
              "\"readout\": [[1], [-1]]", "\"readout\": [[\"[0.9, 1.1]\"], [-1]]")));
  CHECK(sup(scalar(c, "gap")) > 0);
  CHECK(std::get<std::string>(result(c, "parameter_box")).rfind("true", 0) == 0);
}

TEST_CASE("bellman.gap box: a point box \"[a, a]\" is the point run, and a sub-box is at least as tight") {
  ensure_registered();
  const std::string pt =
      replace_once(replace_once(read_text("sweep/bellman_gap_w_gate.json"), "\"[-0.6, -0.3]\"", "\"-0.45\""), "\"[0.8, 1.2]\"", "\"1\"");
  const std::string pt_iv = replace_once(pt, "\"-0.45\"", "\"[-0.45, -0.45]\"");
  const Certificate a = run_config(config_from_text(pt)), b = run_config(config_from_text(pt_iv));
  CHECK(sup(scalar(a, "gap")) == sup(scalar(b, "gap")));
  const std::string box = read_text("sweep/bellman_gap_w_gate.json");
  const Certificate whole = run_config(config_from_text(box));
  const Certificate sub = run_config(config_from_text(replace_once(box, "\"[-0.6, -0.3]\"", "\"[-0.5, -0.4]\"")));
  MESSAGE("gap bound: whole box ", sup(scalar(whole, "gap")), ", W-sub-box ", sup(scalar(sub, "gap")), ", point ",
          sup(scalar(a, "gap")));
  CHECK(sup(scalar(sub, "gap")) <= sup(scalar(whole, "gap")));
}

TEST_CASE("bellman.gap box: `check` re-derives a box certificate (interval inputs under /input)") {
  ensure_registered();
  const Certificate c = run_config(config_from_text(read_text("sweep/bellman_gap_w_gate.json")));
  const ConfigNode root = config_from_text(c.to_json().dump(), "box certificate");
  const CheckReport report = check_certificate(root);
  REQUIRE(!report.lines.empty());
  for (const auto& line : report.lines) {
    INFO(line.subject, ": ", line.detail);
    CHECK(line.outcome != CheckOutcome::failed);
  }
  CHECK(report.outcome() != CheckOutcome::failed);
}
