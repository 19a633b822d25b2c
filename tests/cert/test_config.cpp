// tests/cert: config parsing that keeps literal text; ConfigNode accessors and their errors;
// certificate JSON round trip; claim decisions (every verdict path, every op).
#include "cert_test_util.hpp"

#include <doctest/doctest.h>

using namespace certiformer;
using namespace certiformer::cert;

namespace {

/// Encloses 1/10 at 256 bits.
MpInterval tenth_256() {
  MpPrecisionScope s(test::kOracleBits);
  return enclose_mp(Rational(1, 10));
}

std::string error_of(const std::string& text, const std::function<void(const ConfigNode&)>& f) {
  try {
    f(config_from_text(text, "mem.json"));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("literal preservation: 0.1 as a JSON number is 1/10, not the double 0.1") {
  const ConfigNode root = config_from_text(R"({"num": 0.1, "str": "0.1", "exp": 1e-1, "neg": -2.5e-3})");
  // Stored as text.
  CHECK(root.at("num").json().is_string());
  CHECK(root.at("num").as_text() == "0.1");
  CHECK(root.at("exp").as_text() == "1e-1");
  // Exact values.
  CHECK(root.at("num").as_rational() == Rational(1, 10));
  CHECK(root.at("exp").as_rational() == Rational(1, 10));
  CHECK(root.at("neg").as_rational() == Rational(-1, 400));

  const Interval a = root.at("num").as_number<Interval>();
  const Interval b = root.at("str").as_number<Interval>();
  CHECK(equal(a, b));
  // Not the point double 0.1 (which is 0.1000000000000000055511151231257827…).
  CHECK_FALSE(is_point(a));
  CHECK_FALSE(equal(a, Interval(0.1)));
  CHECK(wid(a) > 0.0);
  // Contains 1/10 exactly: the 256-bit enclosure of 1/10 lies inside.
  CHECK(subset(tenth_256(), a));
  // … while the point double 0.1 does not contain 1/10.
  CHECK_FALSE(subset(tenth_256(), Interval(0.1)));

  // The same at MpInterval precision.
  MpPrecisionScope s(200);
  const MpInterval m = root.at("num").as_number<MpInterval>();
  CHECK(equal(m, root.at("str").as_number<MpInterval>()));
  CHECK_FALSE(is_point(m));
  CHECK(m.precision() == 200u);
}

TEST_CASE("literal preservation: decimals with leading zeros, big integers, hex, rationals") {
  const ConfigNode root = config_from_text(
      R"({"a": 0.17, "b": "0.08", "c": 0.5403, "big": 123456789012345678901234567890, "neg0": -0,
          "hex": "0x1.8p+3", "third": "1/3", "int": 7, "u": 18446744073709551615})");
  CHECK(root.at("a").as_rational() == Rational(17, 100));
  CHECK(root.at("b").as_rational() == Rational(8, 100));
  CHECK(root.at("c").as_rational() == Rational(5403, 10000));
  CHECK(root.at("big").as_rational() == parse_exact("123456789012345678901234567890"));
  CHECK(root.at("neg0").as_rational() == Rational(0));
  CHECK(root.at("hex").as_rational() == Rational(12));
  CHECK(root.at("third").as_rational() == Rational(1, 3));
  CHECK(root.at("int").as_rational() == Rational(7));
  CHECK(root.at("u").as_text() == "18446744073709551615");
  // 1/3 at 256 bits lies inside its binary64 enclosure.
  const Interval third = root.at("third").as_number<Interval>();
  MpPrecisionScope s(test::kOracleBits);
  CHECK(subset(enclose_mp(Rational(1, 3)), third));
}

TEST_CASE("ConfigNode: accessors and JSON paths") {
  const ConfigNode root = config_from_text(
      R"({"A": [[1, 2], [3, "1/4"]], "v": [1, 2, 3], "p": 256, "ps": "2.56e2", "s": "x", "a/b~": 1})", "f.json");
  CHECK(root.path() == "/");
  CHECK(root.at("A").index(1).index(0).path() == "/A/1/0");
  CHECK(root.at("a/b~").path() == "/a~1b~0");
  const Mat<Interval> A = root.at("A").matrix<Interval>(2, 2);
  CHECK(A.rows() == 2);
  CHECK(equal(A(1, 1), Interval(0.25)));
  CHECK(root.at("v").vector<Interval>(3).size() == 3);
  CHECK(root.at("p").as_int(53, 65536) == 256);
  CHECK(root.at("ps").as_int(53, 65536) == 256);
  CHECK(root.keys() == std::vector<std::string>{"A", "v", "p", "ps", "s", "a/b~"});
  CHECK(root.has("v"));
  CHECK_FALSE(root.find("w").has_value());

  // Each error names the file, the JSON path, what was expected and what was found.
  CHECK(error_of(R"({"A": [[1, 2], [3]]})", [](const ConfigNode& r) { (void)r.at("A").matrix<Interval>(); }) ==
        "mem.json: /A/1: expected a matrix row of length 2 (like row 0; the matrix must be rectangular), got an array of 1");
  CHECK(error_of(R"({"v": [1, "nan"]})", [](const ConfigNode& r) { (void)r.at("v").vector<Interval>(); })
            .find("mem.json: /v/1: expected a number") == 0);
  CHECK(error_of(R"({"v": [1, 2]})", [](const ConfigNode& r) { (void)r.at("v").vector<Interval>(3, "d = 3"); }) ==
        "mem.json: /v: expected a vector of length 3 (d = 3), got an array of 2");
  CHECK(error_of(R"({})", [](const ConfigNode& r) { (void)r.at("t"); }) ==
        "mem.json: /t: expected a field \"t\", got nothing (the field is missing)");
  CHECK(error_of(R"({"p": 2.5})", [](const ConfigNode& r) { (void)r.at("p").as_int(53, 100); }) ==
        "mem.json: /p: expected an integer in [53, 100], got \"2.5\"");
  CHECK(error_of(R"({"x": "inf"})", [](const ConfigNode& r) { (void)r.at("x").as_rational(); }).find("/x: expected a number") !=
        std::string::npos);
  CHECK(error_of(R"({"x": "1e400"})", [](const ConfigNode& r) { (void)r.at("x").as_rational(); })
            .find("/x: expected a finite number of magnitude at most") != std::string::npos);
  CHECK(error_of(R"({"x": [1]})", [](const ConfigNode& r) { (void)r.at("x").as_rational(); }).find("got an array of 1") !=
        std::string::npos);
  CHECK(error_of(R"({"x": true})", [](const ConfigNode& r) { (void)r.at("x").as_rational(); }).find("got true") !=
        std::string::npos);
  CHECK(error_of(R"({"x": 1, "y": 2})", [](const ConfigNode& r) { r.only_keys({"x"}); }) ==
        "mem.json: /y: expected only the fields x, got an unknown field \"y\"");
}

TEST_CASE("parse errors name the place where parsing stopped") {
  auto msg = [](const std::string& text) {
    try {
      (void)config_from_text(text, "p.json");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(msg(R"({"A": [[1, 2], [3 4]]})").find("p.json: /A/1/1: expected valid JSON, got ") == 0);
  CHECK(msg(R"({"t": 1} x)").find("p.json: /: expected valid JSON") == 0);
  CHECK(msg(R"({"t": 1, "t": 2})") == "p.json: /t: expected unique keys in an object, got a second field \"t\"");
  CHECK(msg("").find("p.json: /: expected valid JSON") == 0);
  CHECK(msg("[1, 2]") == "p.json: /: expected a JSON object (the config), got an array of 2");
  CHECK(msg(R"({"t": 1e400})").find("p.json: /t: expected valid JSON, got number overflow") == 0);
  CHECK(msg(R"({"t": NaN})").find("p.json: /t: expected valid JSON") == 0);
}

TEST_CASE("claims: every op on each verdict path, margins") {
  // q encloses cos 1 (binary64 width ~1e-16 around 0.5403…).
  const Interval q = cos(Interval(1));
  auto spec = [](std::string op, std::string value) {
    ClaimSpec s;
    s.id = "c";
    s.quantity = "q";
    s.op = std::move(op);
    s.value_text = value;
    s.value = parse_exact(value);
    return s;
  };
  const std::string inside = "5.403023058681397174009366e-1";  // inside the enclosure of cos 1
  struct Row {
    const char* op;
    std::string value;
    Status expected;
  };
  const Row rows[] = {
      {"<=", "6e-1", Status::proved}, {"<=", "1/2", Status::refuted}, {"<=", inside, Status::unknown},
      {"<", "6e-1", Status::proved},  {"<", "1/2", Status::refuted},  {"<", inside, Status::unknown},
      {">=", "1/2", Status::proved},  {">=", "6e-1", Status::refuted}, {">=", inside, Status::unknown},
      {">", "1/2", Status::proved},   {">", "6e-1", Status::refuted},  {">", inside, Status::unknown},
  };
  for (const auto& r : rows) {
    CAPTURE(r.op);
    CAPTURE(r.value);
    const Claim c = decide_claim(spec(r.op, r.value), q);
    CHECK(c.verdict == r.expected);
    CHECK(c.statement == std::string("q ") + r.op + " " + r.value);
    REQUIRE(c.margin.has_value());
    const Rational mlo = parse_exact(c.margin->lo_hex), mhi = parse_exact(c.margin->hi_hex);
    if (r.expected == Status::proved) CHECK(mlo >= 0);
    if (r.expected == Status::refuted) CHECK(mhi <= 0);
    if (r.expected == Status::unknown) CHECK((mlo < 0 && mhi > 0));
  }
  // Point enclosures: the strict/non-strict distinction is exact.
  const Interval one(1);
  CHECK(decide_claim(spec("<=", "1"), one).verdict == Status::proved);
  CHECK(decide_claim(spec("<", "1"), one).verdict == Status::refuted);
  CHECK(decide_claim(spec(">=", "1"), one).verdict == Status::proved);
  CHECK(decide_claim(spec(">", "1"), one).verdict == Status::refuted);
  // The value is enclosed too: 1/10 against the point double 0.1 (> 1/10). In binary64 the
  // enclosure of 1/10 reaches up to the double 0.1, so it is undecided; at 256 bits it is decided.
  CHECK(decide_claim(spec(">", "0.1"), Interval(0.1)).verdict == Status::unknown);
  {
    MpPrecisionScope s(256);
    CHECK(decide_claim(spec(">", "0.1"), MpInterval(0.1)).verdict == Status::proved);
    CHECK(decide_claim(spec("<=", "0.1"), MpInterval(0.1)).verdict == Status::refuted);
  }
}

TEST_CASE("certificate JSON round trip and shape checks") {
  const Certificate c = run_config(config_from_text(test::rotation_config(
      R"([{"id": "a", "quantity": "x_at_t[0]", "op": ">=", "value": "1/2"}])")));
  CHECK(c.backend == "binary64");
  CHECK(c.status() == Status::proved);
  const std::string text = c.to_json().dump(2);
  const Certificate back = Certificate::from_json(config_from_text(text, "c.json"));
  CHECK(back.kind == "linear.flow");
  CHECK(back.precision == 53u);
  CHECK(back.backend == "binary64");
  CHECK(back.input == c.input);
  REQUIRE(back.results.size() == 1);
  CHECK(back.results[0].first == "x_at_t");
  const auto& v = std::get<EnclosureVector>(back.results[0].second);
  REQUIRE(v.size() == 2);
  CHECK(v[0].lo_hex == std::get<EnclosureVector>(c.results[0].second)[0].lo_hex);
  REQUIRE(back.claims.size() == 1);
  CHECK(back.claims[0].verdict == Status::proved);
  CHECK(back.build.version == std::string(version_string));

  // The plain JSON has exactly the layout of docs/certificates.md.
  const auto j = test::parse_plain(text);
  CHECK(j.at("certiformer").at("backend") == "binary64");
  CHECK(j.at("input").at("A").at(0).at(1) == "1");  // literals echoed as strings
  CHECK(j.at("results").at("x_at_t").at(0).contains("lo_hex"));
  CHECK(j.at("claims").at(0).at("verdict") == "proved");
  CHECK(j.at("claims").at(0).at("margin").contains("lo"));
  CHECK(j.at("wall_s").is_number());
  CHECK(j.at("precision") == 53);

  // Shape errors are ConfigErrors with the certificate path.
  auto bad = [&](const std::function<void(nlohmann::ordered_json&)>& edit) {
    auto k = test::parse_plain(text);
    edit(k);
    try {
      (void)Certificate::from_json(config_from_text(k.dump(), "bad.cert.json"));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(bad([](auto& k) { k.erase("results"); }).find("bad.cert.json: /results: expected a field") == 0);
  CHECK(bad([](auto& k) { k["claims"][0]["verdict"] = "maybe"; }).find("/claims/0/verdict") != std::string::npos);
  CHECK(bad([](auto& k) { k["results"]["x_at_t"][1]["hi"] = "abc"; }).find("/results/x_at_t/1/hi") != std::string::npos);
  CHECK(bad([](auto& k) { k["certiformer"]["backend"] = "mpfi-256"; }).find("/certiformer/backend") != std::string::npos);
  CHECK(bad([](auto& k) { k["extra"] = 1; }).find("/extra") != std::string::npos);
}

TEST_CASE("progress is only drawn when asked for and stderr is a terminal") {
  RunContext off(false);
  CHECK_FALSE(off.progress_enabled());
  RunContext on(true);
  CHECK(on.progress_enabled() == (::isatty(STDERR_FILENO) == 1));
}

TEST_CASE("registry: linear.flow is registered; duplicates are refused") {
  const KindInfo* k = find_kind("linear.flow");
  REQUIRE(k != nullptr);
  CHECK(k->name == "linear.flow");
  CHECK_FALSE(k->description.empty());
  CHECK(find_kind("no.such.kind") == nullptr);
  CHECK_THROWS_AS(register_kind(linear_flow_kind()), std::logic_error);
  CHECK(registered_kinds().size() >= 1);
}
