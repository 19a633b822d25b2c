// tests/euler — parameter boxes in euler.error (docs/euler.md "Parameter boxes"): a run on a box
// of controls (β, weights) and initial tokens must hold for EVERY parameter in the box. Oracles:
//  * point runs at 256 bits (MpInterval, Taylor–Lohner flow) at random exact dyadic points and at
//    corners of the box: their err_L enclosure lies inside the box run's error_by_depth[L], their
//    err_L lies below the box run's a-posteriori bound, and their certified constants (C_thm,
//    C_tube, M, L_x, L_mu, the a-posteriori bound) lie below the box run's;
//  * the field constants of transformer/constants.hpp on a box of weights are ≥ those of every
//    point of the box at 256 bits (a norm taken at the midpoint instead of over the box fails here);
//  * the bundled sweep example's claims are proved for the whole box.
// Exact points: lo + (hi − lo)·k/64 (k uniform in 0..64; corners k ∈ {0, 64}), fixed seeds.
#include "certiformer/cert.hpp"
#include "certiformer/euler.hpp"
#include "certiformer/sweep.hpp"
#include "config_support.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>

using namespace certiformer;
using namespace certiformer::cert;

namespace {

std::string read_text(const std::string& name) { return test::read_file_text(EULER_CONFIG_DIR, name); }

/// A box of the tutorial model (n = 4, d = 2, one Q/K/V head, affine FFN): β, two entries of W,
/// one of V, one of K and one token coordinate are intervals.
const char* kBoxConfig = R"({"kind": "euler.error",
  "model": {"dim": 2, "beta": "[0.97, 1.03]",
    "heads": [{"Q": [["0.8", "-0.2"], ["0.3", "0.5"]],
               "K": [["0.4", "[0.08, 0.12]"], ["-0.6", "0.9"]],
               "V": [["[0.48, 0.52]", "-0.25"], ["0.125", "0.75"]]}],
    "W": [["[-0.53, -0.47]", "0.25"], ["0.1", "[-0.33, -0.27]"]],
    "b": ["0.05", "-0.1"]},
  "tokens": [["[0.98, 1.02]", 0], ["-0.5", "0.75"], ["0.25", -1], ["0.1", "0.2"]],
  "horizon": 1, "depths": [16, 32]})";

/// `j` with every interval text "[a, b]" (a < b) replaced by the exact point a + (b − a)·k/64,
/// k = 64·bit (corner) or uniform in 0..64 (random).
Json to_point(const Json& j, std::mt19937_64& g, std::optional<unsigned> corner_bits, unsigned& coordinate) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (!is_interval_text(s)) return j;
    const RationalInterval x = parse_exact_interval(s);
    if (x.is_point()) return j;
    const unsigned c = coordinate++;
    const long k = corner_bits ? (((*corner_bits >> c) & 1U) ? 64 : 0) : std::uniform_int_distribution<long>(0, 64)(g);
    return Json(exact_text(Rational(x.lo + (x.hi - x.lo) * Rational(k, 64))));
  }
  if (j.is_array()) {
    Json out = Json::array();
    for (const auto& e : j) out.push_back(to_point(e, g, corner_bits, coordinate));
    return out;
  }
  if (j.is_object()) {
    Json out = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = to_point(it.value(), g, corner_bits, coordinate);
    return out;
  }
  return j;
}

/// The exact ends of a two-sided result (plain or "name[key]").
std::pair<Rational, Rational> two_sided(const Certificate& c, const std::string& name, const std::string& key = "") {
  for (const auto& [n, v] : c.results) {
    if (n != name) continue;
    if (key.empty()) {
      const auto& e = std::get<EndpointText>(v);
      return {parse_exact(e.lo_hex), parse_exact(e.hi_hex)};
    }
    for (const auto& [k, e] : std::get<EnclosureMap>(v))
      if (k == key) return {parse_exact(e.lo_hex), parse_exact(e.hi_hex)};
  }
  throw std::runtime_error("no result " + name + "[" + key + "]");
}
/// The exact upper bound of a one-sided result (plain or "name[key]").
Rational upper(const Certificate& c, const std::string& name, const std::string& key = "") {
  for (const auto& [n, v] : c.results) {
    if (n != name) continue;
    if (key.empty()) return parse_exact(std::get<OneSidedText>(v).bound_hex);
    for (const auto& [k, b] : std::get<OneSidedMap>(v))
      if (k == key) return parse_exact(b.bound_hex);
  }
  throw std::runtime_error("no result " + name + "[" + key + "]");
}
bool has(const Certificate& c, const std::string& name) {
  for (const auto& r : c.results)
    if (r.first == name) return true;
  return false;
}

}  // namespace

TEST_CASE("euler.error on a parameter box: every 256-bit point run lies inside the box certificate") {
  const Json box_json = parse_json_literal(kBoxConfig, "box");
  RunOptions o53;
  const Certificate box = run_config(config_from_text(kBoxConfig), o53);
  REQUIRE(has(box, "parameter_box"));
  REQUIRE(has(box, "theorem_constant"));
  REQUIRE(has(box, "theorem_constant_tube"));
  for (const auto& cl : box.claims) {
    CHECK(cl.statement.rfind("for every parameter in the box: ", 0) == 0);
    CHECK(cl.verdict == Status::proved);
  }
  const std::vector<std::string> depths = {"16", "32"};
  for (const auto& L : depths) {
    const auto [lo, hi] = two_sided(box, "error_by_depth", L);
    MESSAGE("box: err_" << L << " in [" << lo.convert_to<double>() << ", " << hi.convert_to<double>()
                        << "], a-posteriori <= " << upper(box, "aposteriori_bound_by_depth", L).convert_to<double>());
  }
  MESSAGE("box: C_thm <= " << upper(box, "theorem_constant").convert_to<double>() << ", C_tube <= "
                           << upper(box, "theorem_constant_tube").convert_to<double>());
  std::mt19937_64 g = test::rng(16);
  const long randoms = test::trials(5);
  // 2 corners (all lower ends, all upper ends), 2 mixed corners, then random points
  const std::vector<std::optional<unsigned>> corners = {0U, ~0U, 0x2aU, 0x15U};
  for (long trial = 0; trial < static_cast<long>(corners.size()) + randoms; ++trial) {
    unsigned coordinate = 0;
    const auto cb = trial < static_cast<long>(corners.size()) ? corners[static_cast<std::size_t>(trial)] : std::nullopt;
    Json pj = to_point(box_json, g, cb, coordinate);
    REQUIRE(coordinate == 6);
    const std::string text = pj.dump();
    CAPTURE(text);
    RunOptions o256;
    o256.precision = test::kOracleBits;
    const Certificate pt = run_config(config_from_text(text), o256);
    REQUIRE(pt.status() == Status::proved);
    CHECK(!has(pt, "parameter_box"));
    for (const auto& L : depths) {
      CAPTURE(L);
      const auto [plo, phi] = two_sided(pt, "error_by_depth", L);
      const auto [blo, bhi] = two_sided(box, "error_by_depth", L);
      CHECK(phi - plo < Rational(1, 1000000000));  // the point run is tight
      CHECK(blo <= plo);                           // err_L(p) ∈ [blo, bhi]
      CHECK(phi <= bhi);
      const Rational apost = upper(box, "aposteriori_bound_by_depth", L);
      CHECK(phi <= apost);  // err_L(p) ≤ the box's a-posteriori bound
      CHECK(upper(pt, "aposteriori_bound_by_depth", L) <= apost);
      // err_L(p) ≤ C·ε with the box's constants (ε = 1/L)
      const Rational eps(1, std::stol(L));
      CHECK(phi <= upper(box, "theorem_constant") * eps);
      CHECK(phi <= upper(box, "theorem_constant_tube") * eps);
    }
    for (const char* q : {"theorem_constant", "theorem_constant_tube", "M", "L_x", "L_mu", "radius", "M_tube", "L_tube"}) {
      CAPTURE(q);
      CHECK(upper(pt, q) <= upper(box, q));
    }
  }
}

TEST_CASE("field constants over a box of weights are >= those of every point of the box (256 bits)") {
  using namespace certiformer::transformer;
  // box layer: β ∈ [0.9, 1.1], W = [[w0, 0.25], [0.1, w1]] with w0 ∈ [−0.55, −0.05] (mid −0.3,
  // the corner −0.55 has a larger norm), a Q/K head with K[0][1] ∈ [−0.4, 0.4], V[0][0] ∈ [0.2, 0.9]
  const std::vector<RationalInterval> box = {
      parse_exact_interval("[0.9, 1.1]"), parse_exact_interval("[-0.55, -0.05]"), parse_exact_interval("[-0.35, -0.25]"),
      parse_exact_interval("[-0.4, 0.4]"), parse_exact_interval("[0.2, 0.9]")};
  auto layer = [](const std::vector<RationalInterval>& x, auto tag) {
    using T = decltype(tag);
    Layer<T> l;
    l.beta = enclose<T>(x[0]);
    l.W = matrix_from_text<T>({{"0", "0.25"}, {"0.1", "0"}});
    l.W(0, 0) = enclose<T>(x[1]);
    l.W(1, 1) = enclose<T>(x[2]);
    l.b = vector_from_text<T>({"0.05", "-0.1"});
    Head<T> h;
    h.Q = matrix_from_text<T>({{"0.8", "-0.2"}, {"0.3", "0.5"}});
    h.K = matrix_from_text<T>({{"0.4", "0"}, {"-0.6", "0.9"}});
    h.K(0, 1) = enclose<T>(x[3]);
    h.V = matrix_from_text<T>({{"0", "-0.25"}, {"0.125", "0.75"}});
    h.V(0, 0) = enclose<T>(x[4]);
    l.heads.push_back(h);
    return l;
  };
  const TransformerField<Interval> fb(3, 2, Control<Interval>::constant(layer(box, Interval())), false);
  for (double R : {0.5, 1.5}) {
    const FieldConstants<Interval> cb = upper_bound_field_constants<Interval>(fb, R);
    std::mt19937_64 g = test::rng(161);
    const long n = 32 + test::trials(16);
    for (long t = 0; t < n; ++t) {
      std::vector<RationalInterval> p;
      for (std::size_t i = 0; i < box.size(); ++i) {
        const long k = t < 32 ? (((t >> i) & 1) ? 64 : 0) : std::uniform_int_distribution<long>(0, 64)(g);
        const Rational v = box[i].lo + (box[i].hi - box[i].lo) * Rational(k, 64);
        p.push_back({v, v});
      }
      MpPrecisionScope bits(test::kOracleBits);
      const TransformerField<MpInterval> fp(3, 2, Control<MpInterval>::constant(layer(p, MpInterval())), false);
      const FieldConstants<MpInterval> cp = upper_bound_field_constants<MpInterval>(fp, MpReal(R));
      CAPTURE(t);
      CAPTURE(R);
      CHECK(cp.M <= MpReal(cb.M));
      CHECK(cp.L_x <= MpReal(cb.L_x));
      CHECK(cp.L_mu <= MpReal(cb.L_mu));
    }
  }
}

TEST_CASE("euler.error: the sweep example's uniform claims are proved on the whole control box (cover)") {
  const std::string text = read_text("sweep/euler_error_control_box.json");
  // one run on the whole box: the claims are not decided there (C_tube over the wide box is large)
  const Certificate whole = run_config(config_from_text(text));
  CHECK(has(whole, "parameter_box"));
  CHECK(whole.status() == Status::unknown);
  sweep::SweepOptions so;
  so.max_boxes = 64;
  so.threads = 1;
  const auto j = sweep::run_sweep(config_from_text(text), so);
  REQUIRE(j.has_value());
  CHECK(j->at("status") == "proved");
  CHECK(j->at("summary").at("fraction_proved") == "1");
  CHECK(j->at("coordinates").size() == 3);
  for (const auto& b : j->at("cover")) {
    CHECK(b.at("verdict") == "proved");
    for (const auto& cl : b.at("claims")) CHECK(cl.at("verdict") == "proved");
  }
  MESSAGE("sweep: " << j->at("summary").at("runs") << " runs, " << j->at("summary").at("boxes") << " sub-boxes");
}
