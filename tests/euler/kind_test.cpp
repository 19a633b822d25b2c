// Config kind "euler.error" (lib/src/cert/kinds/euler_error.cpp): the example configs through the
// registry (binary64 and MPFI), agreement with the library, and every bad-input path (exit 65).
#include "certiformer/cert.hpp"
#include "config_support.hpp"
#include "certiformer/euler.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>

using namespace certiformer;
using namespace certiformer::cert;

namespace {
std::string read_text(const std::string& name) { return test::read_file_text(EULER_CONFIG_DIR, name); }
/// A scalar result "name", or the entry "key" of the keyed result "base" when name = "base[key]";
/// a one-sided result as the enclosure it implies ([0, upper] for a nonnegative quantity).
std::optional<EndpointText> find_scalar(const Certificate& c, const std::string& name) {
  const auto br = name.find('[');
  for (const auto& [n, v] : c.results) {
    if (n == name) {
      if (const auto* e = std::get_if<EndpointText>(&v)) return *e;
      if (const auto* b = std::get_if<OneSidedText>(&v)) return b->implied_enclosure();
    }
    if (br != std::string::npos && n == name.substr(0, br)) {
      if (const auto* m = std::get_if<EnclosureMap>(&v))
        for (const auto& [k, e] : *m)
          if (name == n + "[" + k + "]") return e;
      if (const auto* m = std::get_if<OneSidedMap>(&v))
        for (const auto& [k, b] : *m)
          if (name == n + "[" + k + "]") return b.implied_enclosure();
    }
  }
  return std::nullopt;
}
EndpointText scalar_result(const Certificate& c, const std::string& name) {
  if (const auto e = find_scalar(c, name)) return *e;
  throw std::runtime_error("no result " + name);
}
bool has_result(const Certificate& c, const std::string& name) {
  if (find_scalar(c, name)) return true;
  for (const auto& [n, v] : c.results)
    if (n == name) return true;
  return false;
}
Interval as_interval(const EndpointText& e) {
  return Interval(inf(from_text<Interval>(e.lo_hex)), sup(from_text<Interval>(e.hi_hex)));
}
const char* kLinear = R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
  "tokens": [[1]], "horizon": 1, "depths": [8, 16]%s})";
std::string linear_with(const std::string& extra) {
  const std::string s = kLinear;
  const std::size_t pos = s.find("%s");
  return s.substr(0, pos) + extra + s.substr(pos + 2);
}
}  // namespace

TEST_CASE("euler.error: f = x example — e(e−1)/2, ratios → e/2, claims proved, binary64 and 113 bits") {
  REQUIRE(find_kind("euler.error") != nullptr);
  const std::string text = read_text("euler_linear.json");
  for (unsigned bits : {53u, 113u}) {
    RunOptions o;
    o.precision = bits;
    const Certificate c = run_config(config_from_text(text), o);
    CHECK(c.kind == "euler.error");
    CHECK(c.status() == Status::proved);
    const Interval C = as_interval(scalar_result(c, "theorem_constant"));
    const Interval e = exp(Interval(1));
    CHECK(possibly_greater_equal(C, e * (e - Interval(1)) / Interval(2)));
    CHECK(sup(C) - 2.3353871352 < 1e-9);
    for (int L : {16, 64, 256, 1024}) {
      std::string k("[");
      k += std::to_string(L);
      k += "]";
      CHECK(has_result(c, "error_by_depth" + k));
      CHECK(has_result(c, "aposteriori_bound_by_depth" + k));
      CHECK(has_result(c, "tightness_by_depth" + k));
      const Interval r = as_interval(scalar_result(c, "order_ratio_by_depth" + k));
      CHECK(std::fabs(mid(r) - std::exp(1.0) / 2) < 2.0 / L);
    }
    bool saw_theorem_claim = false;
    for (const auto& cl : c.claims)
      if (cl.id == "error_le_theorem_L1024") saw_theorem_claim = cl.verdict == Status::proved;
    CHECK(saw_theorem_claim);
  }
}

TEST_CASE("euler.error: read-out results and a refuted / unknown user claim") {
  const std::string ro = R"(, "readout": {"Gamma": [[1], [-1]], "labels": [1], "samples": 100, "delta": "0.1", "classes": 10},
    "claims": [{"id": "c-small", "quantity": "order_ratio_by_depth[16]", "op": ">=", "value": "2"},
               {"id": "c-one-sided", "quantity": "theorem_constant", "op": ">=", "value": "1"}])";
  const Certificate c = run_config(config_from_text(linear_with(ro)));
  CHECK(c.status() == Status::refuted);
  for (const auto& cl : c.claims) {
    if (cl.id == "c-small") CHECK(cl.verdict == Status::refuted);  // err_16/ε ≈ 1.29
    if (cl.id == "c-one-sided") CHECK(cl.verdict == Status::unknown);  // an upper bound says nothing from below
  }
  for (const char* n : {"loss_flow", "loss_by_depth[8]", "risk_gap_by_depth[16]", "loss_lipschitz", "loss_range",
                        "hoeffding", "finite_class", "gradient", "gradient_parameters"})
    CHECK(has_result(c, n));
  bool not_stationary = false;
  for (const auto& cl : c.claims) not_stationary = not_stationary || (cl.id == "not_stationary" && cl.verdict == Status::proved);
  CHECK(not_stationary);
  // "gradient": false skips the discrete adjoint: no gradient, no not_stationary claim, the rest stays
  {
    const Certificate ng = run_config(config_from_text(linear_with(
        R"(, "readout": {"Gamma": [[1], [-1]], "labels": [1], "samples": 100, "delta": "0.1", "gradient": false})")));
    CHECK(has_result(ng, "loss_flow"));
    CHECK(has_result(ng, "hoeffding"));
    CHECK_FALSE(has_result(ng, "gradient"));
    CHECK_FALSE(has_result(ng, "gradient_depth"));
    for (const auto& cl : ng.claims) CHECK(cl.id != "not_stationary");
    test::expect_config_error(linear_with(R"(, "readout": {"Gamma": [[1], [-1]], "labels": [1], "gradient": 1})"),
                              "/readout/gradient", "true or false");
  }
  // loss at the flow: ℓ(x, 1) = log(1 + e^{2x}) at x = e
  const Interval lf = as_interval(scalar_result(c, "loss_flow"));
  const Interval e = exp(Interval(1));
  CHECK(!disjoint(lf, log1p(exp(Interval(2) * e))));
  CHECK(as_interval(scalar_result(c, "hoeffding")).upper() < as_interval(scalar_result(c, "finite_class")).upper());
  // one-sided results are [0, b]: a ">=" claim on them is never proved
  for (const char* n : {"radius", "M", "L_x", "L_mu", "theorem_constant", "risk_gap", "loss_lipschitz", "loss_range",
                        "hoeffding", "finite_class"})
    CHECK(as_interval(scalar_result(c, n)).lower() == 0.0);
  const Certificate u = run_config(config_from_text(linear_with(
      R"(, "claims": [{"id": "c-tight", "quantity": "order_ratio_by_depth[16]", "op": "<=", "value": "1.3"}])")));
  // err_16/ε = 16(e − (17/16)^16) ≈ 1.3 ± 0.02: decided either way, never unknown at this width
  CHECK(u.status() != Status::unknown);
}

TEST_CASE("euler.error: continuous-flow adjoint — f = w x closed form, one direction, option errors") {
  // X(T) = e^{w} (x0 = 1, T = 1, w = 1), ℓ(x, 1) = log(1 + e^{2x}): dJ/dw = ℓ'(e)·e = 2e/(1 + e^{−2e})
  const Certificate c = run_config(config_from_text(
      linear_with(R"(, "readout": {"Gamma": [[1], [-1]], "labels": [1], "flow_gradient": "all"})")));
  const EnclosureVector* fg = nullptr;
  for (const auto& [n, v] : c.results)
    if (n == "flow_gradient") fg = std::get_if<EnclosureVector>(&v);
  REQUIRE(fg != nullptr);
  REQUIRE(fg->size() == 1);
  const Interval e = exp(Interval(1));
  const Interval want = Interval(2) * e / (Interval(1) + exp(Interval(-2) * e));
  CHECK(!disjoint(as_interval((*fg)[0]), want));
  CHECK(wid(as_interval((*fg)[0])) < 1e-12);
  bool flow_ns = false;
  for (const auto& cl : c.claims) flow_ns = flow_ns || (cl.id == "flow_not_stationary" && cl.verdict == Status::proved);
  CHECK(flow_ns);
  // default: one direction (the sign of the discrete gradient): J'·v = |dJ/dw| here
  const Certificate d = run_config(config_from_text(linear_with(R"(, "readout": {"Gamma": [[1], [-1]], "labels": [1]})")));
  CHECK(!disjoint(as_interval(scalar_result(d, "flow_directional_derivative")), want));
  const Certificate none = run_config(
      config_from_text(linear_with(R"(, "readout": {"Gamma": [[1], [-1]], "labels": [1], "flow_gradient": "none"})")));
  CHECK(!has_result(none, "flow_directional_derivative"));
  CHECK(!has_result(none, "flow_gradient"));
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [[1]], "labels": [0], "flow_gradient": "some"})"),
                      "/readout/flow_gradient");
}

TEST_CASE("euler.error: bad input → ConfigError with the JSON path (exit 65)") {
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": [0]})", "/depths/0");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": [16, 8]})", "/depths/1");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": [2.5]})", "/depths/0");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": []})", "/depths");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": 0, "depths": [4]})", "/horizon");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": "-1", "depths": [4]})", "/horizon");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": "0.1", "depths": [4]})", "/horizon");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1, 2]], "horizon": 1, "depths": [4]})", "/tokens/0");
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [[1], [-1]], "labels": [2]})"), "/readout/labels/0");
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [[1], [-1]], "labels": [0, 1]})"), "/readout/labels");
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [[1, 2]], "labels": [0]})"), "/readout/Gamma/0");
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [[1]], "labels": [0], "samples": 10, "delta": "1.5"})"),
                      "/readout/delta");
  // δ inside (0, 1) but so close to an end that its enclosure reaches it (review s7: was exit 70)
  test::expect_config_error(linear_with(R"(, "readout": {"Gamma": [[1]], "labels": [0], "samples": 10, "delta": "1e-400"})"),
                            "/readout/delta", "inside (0, 1)");
  test::expect_config_error(
      linear_with(R"(, "readout": {"Gamma": [[1]], "labels": [0], "samples": 10, "delta": "0.99999999999999999999999"})"),
      "/readout/delta", "inside (0, 1)");
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [[1]], "labels": [0], "samples": 10})"), "/readout");
  test::expect_config_error_at(linear_with(R"(, "epsilon": 1)"), "/epsilon");
  test::expect_config_error_at(linear_with(R"(, "wrapping": "lohner")"), "/wrapping");
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [[1]], "labels": [0], "gradient_depth": 0})"),
                      "/readout/gradient_depth");
}

TEST_CASE("euler.error: parameter boxes — fields that cannot take a box are refused with their JSON path (exit 65)") {
  // accepted: β, weights and tokens (tests/euler/containment_error_box.cpp); refused:
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [["[0.9, 1.1]"]], "heads": []},
    "tokens": [[1]], "horizon": "[1, 2]", "depths": [4]})", "/horizon");
  test::expect_config_error_at(linear_with(R"(, "readout": {"Gamma": [["[0.5, 1]"]], "labels": [0]})"), "/readout/Gamma/0/0");
  test::expect_config_error_at(linear_with(R"(, "flow_tolerance": "[1e-12, 1e-10]")"), "/flow_tolerance");
  test::expect_config_error_at(linear_with(R"(, "order": "[10, 12]")"), "/order");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": ["[4, 8]"]})", "/depths/0");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": "[-0.5, 1]", "W": [[1]],
    "heads": [{"V": [[1]], "B": [[1]]}]}, "tokens": [[1]], "horizon": 1, "depths": [4]})", "/model/beta");
  test::expect_config_error_at(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [["[2, 1]"]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": [4]})", "/model/W/0/0");  // a > b
  // transformer.flow takes a token box only (tests/transformer/kind_test.cpp); transformer.network none
  test::expect_config_error_at(R"({"kind": "transformer.flow", "model": {"dim": 1, "beta": 1, "W": [["[0.9, 1.1]"]], "heads": []},
    "tokens": [[1]], "horizon": 1})", "/model/W/0/0");
  test::expect_config_error_at(R"({"kind": "transformer.network", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [["[0.9, 1.1]"]], "depth": 2, "step": "0.5"})", "/tokens/0/0");
  // a point interval "[a, a]" is the number a: no box, no parameter_box result
  const Certificate c = run_config(config_from_text(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1,
    "W": [["[1, 1]"]], "heads": []}, "tokens": [[1]], "horizon": 1, "depths": [8, 16]})"));
  CHECK(c.status() == Status::proved);
  CHECK(!has_result(c, "parameter_box"));
  // a box: parameter_box, claims "for every parameter in the box"
  const Certificate b = run_config(config_from_text(R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1,
    "W": [["[0.9, 1.1]"]], "heads": []}, "tokens": [[1]], "horizon": 1, "depths": [8, 16]})"));
  CHECK(b.status() == Status::proved);
  CHECK(has_result(b, "parameter_box"));
  for (const auto& cl : b.claims) CHECK(cl.statement.rfind("for every parameter in the box: ", 0) == 0);
  // f = w x, x0 = 1: err_L(w) = e^w − (1 + w/L)^L; at both ends of the box it lies in the enclosure
  for (const char* w : {"0.9", "1.1"}) {
    const Interval W = from_text<Interval>(w);
    for (int L : {8, 16}) {
      const Interval e = exp(W) - pow(Interval(1) + W / Interval(L), L);
      const Interval enc = as_interval(scalar_result(b, "error_by_depth[" + std::to_string(L) + "]"));
      CHECK(subset(e, enc));
    }
  }
}

TEST_CASE("euler.error: a flow that cannot be enclosed is an EnclosureFailure, not a certificate") {
  const std::string text = R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [[1]], "heads": []},
    "tokens": [[1]], "horizon": 1000, "depths": [4]})";
  CHECK_THROWS_AS(run_config(config_from_text(text)), EnclosureFailure);
}

TEST_CASE("euler.error: certiformer check reproduces the f = x certificate at 113 bits") {
  const Certificate c = run_config(config_from_text(read_text("euler_linear.json")));
  REQUIRE(c.status() == Status::proved);
  const CheckReport rep = check_certificate(config_from_text(c.to_json().dump(), "euler_linear.cert.json"));
  for (const auto& l : rep.lines)
    if (l.outcome != CheckOutcome::reproduced) MESSAGE(l.subject << ": " << l.detail);
  CHECK(rep.exit_code() == 0);
  CHECK(rep.count(CheckOutcome::reproduced) > 20);
}

TEST_CASE("euler.error: check --fast reproduces the f = x certificate exactly (margins of claims proved by construction)") {
  // The a-posteriori claims err_L <= b are proved by construction while b − [err_L] straddles 0
  // at the certificate's own precision: the margin re-derivation intersects with [0, ∞) when
  // the re-run proves the claim with a bound b' <= b (once FAILED three margins in --fast).
  const Certificate c = run_config(config_from_text(read_text("euler_linear.json")));
  REQUIRE(c.status() == Status::proved);
  CheckOptions fast;
  fast.fast = true;
  const CheckReport rep = check_certificate(config_from_text(c.to_json().dump(), "euler_linear.cert.json"), fast);
  for (const auto& l : rep.lines)
    if (l.outcome != CheckOutcome::reproduced) MESSAGE(l.subject << ": " << l.detail);
  CHECK(rep.exit_code() == 0);
  CHECK(rep.check_precision == 53);
  CHECK(rep.numbers() == NumberMatch::exact);
  bool saw_margin = false;
  for (const auto& l : rep.lines) saw_margin = saw_margin || l.subject == "claim error_le_aposteriori_L64 margin";
  CHECK(saw_margin);
}

TEST_CASE("euler.error: check — a bound obtained at one precision only is inconclusive, a missing core result fails") {
  const Certificate c = run_config(config_from_text(read_text("euler_linear.json")));
  REQUIRE(c.status() == Status::proved);
  auto without = [&](const std::vector<std::string>& results, const std::string& claim_prefix) {
    Certificate d = c;
    std::erase_if(d.results, [&](const auto& r) { return std::find(results.begin(), results.end(), r.first) != results.end(); });
    if (!claim_prefix.empty())
      std::erase_if(d.claims, [&](const Claim& cl) { return cl.id.rfind(claim_prefix, 0) == 0; });
    return check_certificate(config_from_text(d.to_json().dump(), "euler_linear.cert.json"));
  };
  // as if the binary64 run had not obtained the trajectory-region constant
  const CheckReport a = without({"theorem_constant_tube", "M_tube", "L_tube"}, "error_le_theorem_tube_L");
  CHECK(a.count(CheckOutcome::failed) == 0);
  CHECK(a.count(CheckOutcome::inconclusive) >= 7);  // 3 results + 4 claims
  CHECK(a.exit_code() == 2);
  // a core result missing from the certificate is still a failure
  const CheckReport b = without({"radius"}, "");
  CHECK(b.count(CheckOutcome::failed) == 1);
  CHECK(b.exit_code() == 1);
}

TEST_CASE("euler.error: check compares one-sided results by <= (a tampered upper bound is caught)") {
  const Certificate c = run_config(config_from_text(read_text("euler_linear.json")));
  REQUIRE(c.status() == Status::proved);
  const Json j = c.to_json();
  const Json& tc = j.at("results").at("theorem_constant");
  REQUIRE(tc.contains("upper"));
  REQUIRE(tc.contains("upper_hex"));
  CHECK(tc.at("nonnegative") == true);
  CHECK_FALSE(tc.contains("lo"));
  auto line_of = [](const CheckReport& rep, const std::string& subject) {
    for (const auto& l : rep.lines)
      if (l.subject == subject) return l;
    FAIL("no check line " << subject);
    return rep.lines.front();
  };
  auto with_bound = [&](const std::string& dec, const std::string& hex) {
    Json d = j;
    d["results"]["theorem_constant"]["upper"] = dec;
    d["results"]["theorem_constant"]["upper_hex"] = hex;
    return check_certificate(config_from_text(d.dump(), "euler_linear.cert.json"));
  };
  // untouched: reproduced
  CHECK(line_of(with_bound(tc.at("upper").get<std::string>(), tc.at("upper_hex").get<std::string>()), "result theorem_constant").outcome == CheckOutcome::reproduced);
  // a weaker (larger) bound is implied by the re-derived one: reproduced
  CHECK(line_of(with_bound("1048576", "0x1p+20"), "result theorem_constant").outcome == CheckOutcome::reproduced);
  // a smaller bound than the re-derivation gives: not implied → consistent, not failed (and the
  // level of the numbers says so: --strict makes it exit 2)
  const CheckReport small_rep = with_bound("0.0009765625", "0x1p-10");
  const CheckLine small = line_of(small_rep, "result theorem_constant");
  CHECK(small.outcome == CheckOutcome::consistent);
  CHECK(small.numbers == NumberMatch::not_implied);
  CHECK(small_rep.numbers() == NumberMatch::not_implied);
  // a negative upper bound of a nonnegative quantity is proved false: failed
  const CheckReport neg = with_bound("-0.5", "-0x1p-1");
  CHECK(line_of(neg, "result theorem_constant").outcome == CheckOutcome::failed);
  CHECK(neg.exit_code() == 1);
  // decimal below its own hex (inconsistent certificate): failed
  CHECK(line_of(with_bound("1", "0x1p+1"), "result theorem_constant").outcome == CheckOutcome::failed);
  // a one-sided result turned into an enclosure: a different shape, failed
  Json e = j;
  e["results"]["theorem_constant"] = Json{{"lo", "0"}, {"hi", "3"}, {"lo_hex", "0x0p+0"}, {"hi_hex", "0x3p+0"}};
  CHECK(line_of(check_certificate(config_from_text(e.dump(), "euler_linear.cert.json")), "result theorem_constant").outcome ==
        CheckOutcome::failed);
  // dropping "nonnegative" changes what the certificate says: failed
  Json f = j;
  f["results"]["theorem_constant"].erase("nonnegative");
  CHECK(line_of(check_certificate(config_from_text(f.dump(), "euler_linear.cert.json")), "result theorem_constant").outcome ==
        CheckOutcome::failed);
}

TEST_CASE("euler.error: per-depth results are JSON objects keyed by the depth, and survive a round trip") {
  const Certificate c = run_config(config_from_text(linear_with("")));
  const Json j = c.to_json();
  for (const char* n : {"error_by_depth", "order_ratio_by_depth", "aposteriori_bound_by_depth", "tightness_by_depth"}) {
    CAPTURE(n);
    REQUIRE(j.at("results").contains(n));
    const Json& o = j.at("results").at(n);
    REQUIRE(o.is_object());
    CHECK(o.size() == 2);
    CHECK(o.contains("8"));
    CHECK(o.contains("16"));
    // enclosures carry both ends; one-sided bounds say which side they bound
    const bool one_sided = std::string(n) == "aposteriori_bound_by_depth" || std::string(n) == "tightness_by_depth";
    CHECK(o.at("16").contains(one_sided ? "upper_hex" : "lo_hex"));
    CHECK(o.at("16").contains("lo") != one_sided);
  }
  // the certificate reads back with the same keyed values, and check re-derives it
  const Certificate back = Certificate::from_json(config_from_text(j.dump()));
  CHECK(scalar_result(back, "error_by_depth[16]").hi == scalar_result(c, "error_by_depth[16]").hi);
  const CheckReport rep = check_certificate(config_from_text(j.dump()));
  for (const auto& l : rep.lines) {
    CAPTURE(l.subject);
    CAPTURE(l.detail);
    CHECK(l.outcome == CheckOutcome::reproduced);
  }
}

TEST_CASE("euler.error: check reproduces the claim margins against run-computed bounds (tutorial model)") {
  // The kind's claims err_L <= C·ε compare with constants on the ball / tube the run certifies; a
  // re-run at 113 bits certifies another ball, so these margins are re-derived from the
  // certificate's own bound (margin_of), not from the re-run's (which once made check FAIL a
  // fresh certificate).
  const Certificate c = run_config(config_from_text(read_text("euler_tutorial.json"), "euler_tutorial.json"));
  REQUIRE(c.status() == Status::proved);
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(c.to_json().dump());
  std::size_t with_basis = 0;
  for (const auto& cl : j.at("claims"))
    if (cl.contains("margin_of")) ++with_basis;
  CHECK(with_basis == 9);  // theorem, tube and a-posteriori claims at three depths
  const CheckReport rep = check_certificate(config_from_text(j.dump(), "euler_tutorial.cert.json"));
  for (const auto& l : rep.lines) {
    CAPTURE(l.subject);
    CAPTURE(l.detail);
    CHECK(l.outcome != CheckOutcome::failed);
  }
  CHECK(rep.outcome() == CheckOutcome::reproduced);
  // A margin edited to [5, 6] (positive, so consistent with "proved") is caught: it does not
  // contain the certificate's bound minus the re-derived ratio.
  for (auto& cl : j.at("claims"))
    if (cl.at("id") == "error_le_theorem_tube_L64") cl["margin"] = {{"lo", "5"}, {"hi", "6"}, {"lo_hex", "0x1.4p+2"}, {"hi_hex", "0x1.8p+2"}};
  const CheckReport bad = check_certificate(config_from_text(j.dump(), "euler_tutorial.cert.json"));
  bool caught = false;
  for (const auto& l : bad.lines)
    if (l.subject == "claim error_le_theorem_tube_L64 margin") caught = l.outcome == CheckOutcome::failed;
  CHECK(caught);
  CHECK(bad.exit_code() == 1);
}

TEST_CASE("euler.error: check of a box certificate whose claims are proved by the theorem constants (review finding)") {
  // x' = w x, w ∈ [−0.2, 0.2], x0 ∈ [0.9, 1.1]: on the box the error enclosure is too wide to
  // compare with C·ε, so err_L <= C·ε is proved by the theorem itself and the margin is cut to
  // [0, C − q_lo]. The 113-bit re-run certifies a slightly larger ball, so its C' > C: check used
  // to FAIL every such margin of a fresh, valid certificate. Now: consistent (not implied), exit 0,
  // and a margin that contradicts the re-derived b − q still fails.
  const std::string cfg = R"({"kind": "euler.error", "model": {"dim": 1, "beta": "1", "heads": [], "W": [["[-0.2, 0.2]"]],
    "b": ["0"]}, "tokens": [["[0.9, 1.1]"]], "horizon": 1, "depths": [1, 2, 4, 64]})";
  const Certificate c = run_config(config_from_text(cfg, "s9.json"));
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(c.to_json().dump());
  const CheckReport rep = check_certificate(config_from_text(j.dump(), "s9.cert.json"));
  std::size_t theorem_margins = 0;
  for (const auto& l : rep.lines) {
    CAPTURE(l.subject);
    CAPTURE(l.detail);
    CHECK(l.outcome != CheckOutcome::failed);
    if (l.subject.rfind("claim error_le_theorem", 0) == 0 && l.subject.find("margin") != std::string::npos) ++theorem_margins;
  }
  CHECK(theorem_margins == 8);
  CHECK(rep.exit_code() == 0);
  for (auto& cl : j.at("claims"))
    if (cl.at("id") == "error_le_theorem_tube_L64")
      cl["margin"] = {{"lo", "5000"}, {"hi", "6000"}, {"lo_hex", "0x1.388p+12"}, {"hi_hex", "0x1.77p+12"}};
  const CheckReport bad = check_certificate(config_from_text(j.dump(), "s9.cert.json"));
  bool caught = false;
  for (const auto& l : bad.lines)
    if (l.subject == "claim error_le_theorem_tube_L64 margin") caught = l.outcome == CheckOutcome::failed;
  CHECK(caught);
  CHECK(bad.exit_code() == 1);
}
