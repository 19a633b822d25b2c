// tests/gradflow/kind_test.cpp — the "gradflow.edi" config kind: results, claims, both backends,
// and bad input → ConfigError with the JSON path (exit 65).
#include "certiformer/cert.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <variant>

using namespace certiformer;
using namespace certiformer::cert;

namespace {
const char* kGood = R"({"kind": "gradflow.edi", "dim": 2,
  "heads": [{"path": "ou", "D": [[1, 0.5], [0.5, 2]]}],
  "tokens": [[1, 0], [0.6, 0.8], [0, 1]], "horizon": 1})";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kGood;
  const auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  s.replace(p, from.size(), to);
  return s;
}
void expect_config_error(const std::string& text, const std::string& path_part) {
  try {
    (void)run_config(config_from_text(text));
  } catch (const ConfigError& e) {
    CHECK_MESSAGE(e.json_path.find(path_part) != std::string::npos, e.json_path << " (expected " << path_part << ")");
    return;
  }
  FAIL("no ConfigError for " << path_part);
}
const EndpointText* result(const Certificate& c, const std::string& name) {
  for (const auto& [k, v] : c.results)
    if (k == name) return std::get_if<EndpointText>(&v);
  return nullptr;
}
}  // namespace

TEST_CASE("gradflow.edi: results and claims, binary64 and 128-bit") {
  for (unsigned prec : {53u, 128u}) {
    RunOptions o;
    o.precision = prec;
    const Certificate c = run_config(config_from_text(kGood), o);
    CHECK(c.status() == Status::proved);
    for (const char* name : {"energy_change", "dissipation_integral", "explicit_time_integral", "identity_residual",
                             "metric_dissipation_integral", "metric_identity_residual"})
      CHECK_MESSAGE(result(c, name) != nullptr, name);
    // The energy identity is a consistency check of the enclosures: an informational result
    // ("proved: …"), not a claim (issue 14 §7).
    bool identity_info = false;
    for (const auto& [name, v] : c.results)
      if (name == "identity_contains_zero")
        identity_info = std::holds_alternative<std::string>(v) && std::get<std::string>(v).rfind("proved: ", 0) == 0;
    CHECK(identity_info);
    CHECK(std::find(c.informational.begin(), c.informational.end(), "identity_contains_zero") != c.informational.end());
    for (const auto& cl : c.claims) CHECK(cl.id != "identity_contains_zero");
  }
}

TEST_CASE("gradflow.edi: bad input is a ConfigError with the JSON path") {
  expect_config_error(with("[[1, 0.5], [0.5, 2]]", "[[1, 0.5], [0.25, 2]]"), "/heads/0/D/1/0");
  expect_config_error(with("[0.6, 0.8]", "[0.6, 0.7]"), "/tokens/1");
  expect_config_error(with("\"ou\"", "\"brownian\""), "/heads/0/path");
  expect_config_error(with("\"horizon\": 1", "\"horizon\": 0.1"), "/horizon");
  expect_config_error(with("\"horizon\": 1", "\"horizon\": -1"), "/horizon");
  expect_config_error(with("\"dim\": 2", "\"dim\": 2, \"sign\": \"up\""), "/sign");
  expect_config_error(with("\"horizon\": 1", "\"horizon\": 1, \"sphere_tolerance\": \"0.5\""), "/sphere_tolerance");
  expect_config_error(with("\"horizon\": 1", "\"horizon\": 1, \"sphere_tolerance\": \"-1e-3\""), "/sphere_tolerance");
  expect_config_error(with("\"horizon\": 1", "\"horizon\": 1, \"angles\": [0, 1, 2]"), "");
  // a piecewise-linear path that does not reach the horizon
  expect_config_error(with(R"({"path": "ou", "D": [[1, 0.5], [0.5, 2]]})",
                           R"({"path": "piecewise_linear", "times": [0, 0.5], "samples": [[[1, 0], [0, 1]], [[2, 0], [0, 1]]]})"),
                      "/heads/0/times");
}

TEST_CASE("gradflow.edi: tokens within the sphere tolerance are normalised with a warning") {
  const std::string t = with("[0.6, 0.8]", "[0.6, 0.8000000001]");  // |x|² − 1 ≈ 1.6e-10 ≤ 1e-9
  const Certificate c = run_config(config_from_text(t));
  bool warned = false;
  for (const auto& [k, v] : c.results)
    if (k == "warnings") warned = true;
  CHECK(warned);
  CHECK(c.status() == Status::proved);
}

TEST_CASE("gradflow.edi: the engine is chosen by size and named in the certificate") {
  // 22 tokens on S² (12 decimals, normalised with a warning): n·d = 66 ≥ 64 → structured
  std::string toks;
  for (int i = 0; i < 22; ++i) {
    const double z = -0.95 + 1.9 * i / 21.0, r = std::sqrt(1 - z * z), a = 2.399963 * i;
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s[%.12f, %.12f, %.12f]", i ? ", " : "", r * std::cos(a), r * std::sin(a), z);
    toks += buf;
  }
  const std::string big = R"({"kind": "gradflow.edi", "dim": 3,
    "heads": [{"path": "ou", "D": [[1, 0.25, 0], [0.25, 1.5, 0], [0, 0, 1]]},
              {"path": "oscillating", "D": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}],
    "tokens": [)" + toks + R"(], "horizon": 0.25)";
  auto method_of = [](const Certificate& c) {
    for (const auto& [k, v] : c.results)
      if (k == "method") return std::get<std::string>(v);
    return std::string("(none)");
  };
  const Certificate s = run_config(config_from_text(big + "}"));
  CHECK(s.status() == Status::proved);
  CHECK(method_of(s) == "structured (auto: n·d = 66 ≥ 64)");
  CHECK(result(s, "identity_residual") != nullptr);
  CHECK(std::find(s.informational.begin(), s.informational.end(), "method") != s.informational.end());
  const Certificate small = run_config(config_from_text(kGood));
  CHECK(method_of(small).rfind("taylor_lohner (auto: n·d = 6 < 64", 0) == 0);
  const Certificate forced = run_config(config_from_text(with("\"horizon\": 1", "\"horizon\": 1, \"method\": \"structured\"")));
  CHECK(forced.status() == Status::proved);
  CHECK(method_of(forced) == "structured (requested)");
  expect_config_error(with("\"horizon\": 1", "\"horizon\": 1, \"method\": \"fast\""), "/method");
}
