// Config kind "transformer.network" (lib/src/cert/kinds/transformer_network.cpp): the tokens
// after L residual layers X^{k+1} = X^k + ε f(X^k). Oracles: the exact rational iterates of an
// affine model (no heads), a 256-bit run inside the binary64 run for an attention model, unit
// norms for the sphere model, config errors at their JSON paths, and check.
#include "certiformer/cert.hpp"
#include "config_support.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::cert;

namespace {
using test::as_interval;
using test::matrix_result;
const std::string kAttention = R"({"kind": "transformer.network",
  "model": {"dim": 2, "beta": "0x1.6a09e667f3bcdp-1",
            "heads": [{"Q": [["0.8", "-0.2"], ["0.3", "0.5"]], "K": [["0.4", "0.1"], ["-0.6", "0.9"]],
                       "V": [["0.5", "-0.25"], ["0.125", "0.75"]]}],
            "W": [["-0.5", "0.25"], ["0.1", "-0.3"]], "b": ["0.05", "-0.1"]},
  "tokens": [[1, 0], ["-0.5", "0.75"], ["0.25", -1]], "depth": 12, "step": "1/3"})";
}  // namespace

TEST_CASE("transformer.network: affine model — the exact rational iterates lie in the enclosure (53, 256 bits)") {
  // f(x) = W x + b, ε = 1/3 (not a binary64 number), L = 7: X^L by exact rational arithmetic
  const std::string text = R"({"kind": "transformer.network",
    "model": {"dim": 2, "beta": 1, "heads": [], "W": [["0", "1"], ["-1", "0.1"]], "b": ["1/7", "0"]},
    "tokens": [["1", "0"], ["0.5", "-1"]], "depth": 7, "step": "1/3"})";
  std::vector<std::vector<Rational>> x = {{Rational(1), Rational(0)}, {Rational(1, 2), Rational(-1)}};
  const Rational e(1, 3), w11(1, 10), b0(1, 7);
  for (int k = 0; k < 7; ++k)
    for (auto& t : x) {
      const Rational f0 = t[1] + b0, f1 = -t[0] + w11 * t[1];
      t = {t[0] + e * f0, t[1] + e * f1};
    }
  for (unsigned bits : {53u, 256u}) {
    RunOptions o;
    o.precision = bits;
    const Certificate c = run_config(config_from_text(text), o);
    CHECK(c.status() == Status::proved);
    const auto& m = matrix_result(c, "tokens_at_depth");
    REQUIRE(m.size() == 2);
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 2; ++j) {
        CAPTURE(m[i][j].lo_hex);
        CAPTURE(m[i][j].hi_hex);
        CHECK(parse_exact(m[i][j].lo_hex) <= x[i][j]);
        CHECK(x[i][j] <= parse_exact(m[i][j].hi_hex));
        CHECK(parse_exact(m[i][j].hi_hex) - parse_exact(m[i][j].lo_hex) < Rational(bits == 53 ? 1e-13 : 1e-60));
      }
  }
}

TEST_CASE("transformer.network: attention model — the 256-bit enclosure lies in the binary64 one; check reproduces") {
  const Certificate c = test::run_proved(kAttention), m = test::run_proved(kAttention, 256);
  const auto& a = matrix_result(c, "tokens_at_depth");
  const auto& b = matrix_result(m, "tokens_at_depth");
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < 2; ++j) {
      const Interval x = as_interval(a[i][j]);
      CHECK(wid(x) < 1e-12);
      CHECK(parse_exact(a[i][j].lo_hex) <= parse_exact(b[i][j].lo_hex));
      CHECK(parse_exact(b[i][j].hi_hex) <= parse_exact(a[i][j].hi_hex));
    }
  const CheckReport rep = check_certificate(config_from_text(c.to_json().dump()));
  CHECK(rep.exit_code() == 0);
}

TEST_CASE("transformer.network: sphere model — tokens stay on the unit sphere") {
  const std::string text = R"({"kind": "transformer.network",
    "model": {"dim": 3, "beta": 2, "sphere": true,
              "heads": [{"Q": [[1,0,0],[0,1,0],[0,0,1]], "K": [[1,0,0],[0,1,0],[0,0,1]], "V": [[1,0,0],[0,1,0],[0,0,1]]}]},
    "tokens": [[1, 0, 0], [0, 0.6, 0.8], [0.8, 0, -0.6]], "depth": 5, "step": 0.25})";
  const Certificate c = run_config(config_from_text(text));
  REQUIRE(c.status() == Status::proved);
  for (const auto& row : matrix_result(c, "tokens_at_depth")) {
    Interval n2(0);
    for (const auto& e : row) n2 += sqr(as_interval(e));
    CHECK(subset(Interval(1), n2));
    CHECK(wid(n2) < 1e-9);
  }
}

TEST_CASE("transformer.network: config errors are reported at the offending field") {
  auto fails = [](const std::string& from, const std::string& to, const std::string& path) {
    std::string s = kAttention;
    const auto p = s.find(from);
    REQUIRE(p != std::string::npos);
    s.replace(p, from.size(), to);
    try {
      (void)run_config(config_from_text(s));
    } catch (const ConfigError& e) {
      CHECK_MESSAGE(e.json_path == path, e.what());
      return;
    }
    FAIL("no ConfigError for " << path);
  };
  fails("\"depth\": 12", "\"depth\": 0", "/depth");
  fails("\"depth\": 12", "\"depth\": 2.5", "/depth");
  fails("\"step\": \"1/3\"", "\"step\": \"-1/3\"", "/step");
  fails("\"step\": \"1/3\"", "\"step\": \"1/3\", \"wrapping\": \"qrr\"", "/wrapping");
  fails("\"step\": \"1/3\"", "\"step\": \"1/3\", \"horizon\": 1", "/horizon");
  fails("[\"0.25\", -1]]", "[\"0.25\"]]", "/tokens/2");
}
