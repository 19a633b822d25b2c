// Config kind "transformer.flow" (lib/src/cert/kinds/transformer_flow.cpp): runs the example
// configs through the registry, compares with a direct library run, exercises config errors.
#include "certiformer/cert.hpp"
#include "certiformer/transformer.hpp"
#include "config_support.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace certiformer::cert {
KindInfo transformer_flow_kind();
}

using namespace certiformer;
using namespace certiformer::cert;

namespace {
void ensure_registered() { test::ensure_kind("transformer.flow", transformer_flow_kind); }
std::string read_text(const std::string& name) { return test::read_file_text(TRANSFORMER_CONFIG_DIR, name); }
using test::as_interval;
using test::matrix_result;
}  // namespace

TEST_CASE("transformer.flow: GLPR sphere example — proved, norms 1, agrees with the library") {
  ensure_registered();
  const Certificate c = run_config(config_from_text(read_text("transformer_flow_glpr_sphere.json")));
  CHECK(c.kind == "transformer.flow");
  CHECK(c.status() == Status::proved);
  const auto& m = matrix_result(c, "tokens_at_horizon");
  REQUIRE(m.size() == 5);
  for (const auto& row : m) {
    REQUIRE(row.size() == 3);
    Interval n2(0);
    for (const auto& e : row) n2 += sqr(as_interval(e));
    CHECK(subset(Interval(1), n2));
  }
  bool has_steps = false;
  for (const auto& [n, v] : c.results) has_steps = has_steps || n == "steps";
  CHECK(has_steps);
}

TEST_CASE("transformer.flow: small MLP example at 53 and 128 bits (the MP run is inside)") {
  ensure_registered();
  const std::string text = read_text("transformer_flow_small.json");
  const Certificate c = test::run_proved(text), m = test::run_proved(text, 128);
  const auto& a = matrix_result(c, "tokens_at_horizon");
  const auto& b = matrix_result(m, "tokens_at_horizon");
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].size(); ++j) {
      const Interval x = as_interval(a[i][j]);
      CHECK(wid(x) < 1e-12);
      CHECK(subset(as_interval(b[i][j]), x));
    }
}

TEST_CASE("transformer.flow: config errors are reported at the offending field") {
  ensure_registered();
  const std::string good = read_text("transformer_flow_small.json");
  auto fails = [](const std::string& text, const std::string& path_part) { test::expect_config_error(text, path_part); };
  auto replace = [&](const std::string& from, const std::string& to) { return test::replace_once(good, from, to); };
  fails(replace("\"gelu_tanh\"", "\"relu\""), "/model/mlp/activation");
  fails(replace("\"horizon\": 1", "\"horizon\": \"0.1\""), "/horizon");
  fails(replace("\"horizon\": 1", "\"horizon\": -1"), "/horizon");
  fails(replace("\"dim\": 2", "\"dim\": 3"), "/model");
  fails(replace("\"beta\": \"1\"", "\"beta\": \"-1\""), "/model/beta");
  fails(replace("\"horizon\": 1", "\"horizon\": 1, \"typo\": 2"), "/typo");
}

TEST_CASE("transformer.flow: a flow that cannot be enclosed fails without a claim") {
  ensure_registered();
  // x' = 1: fine
  const std::string text = R"({"kind": "transformer.flow",
    "model": {"dim": 1, "beta": "1", "b": ["1"], "heads": []}, "tokens": [["1"]], "horizon": 1})";
  CHECK(run_config(config_from_text(text)).status() == Status::proved);
  // x' = 800 x: x(1) = e^800 overflows binary64, so no enclosure at T = 1 exists in binary64;
  // the run must fail (EnclosureFailure: no certificate, no claim) rather than claim anything.
  const std::string grow = R"({"kind": "transformer.flow",
    "model": {"dim": 1, "beta": "1", "W": [["800"]], "heads": []}, "tokens": [["1"]], "horizon": 1})";
  CHECK_THROWS_AS((void)run_config(config_from_text(grow)), EnclosureFailure);
}

TEST_CASE("transformer.flow: a certificate is re-derived by check at 113 bits (steps is informational)") {
  ensure_registered();
  const Certificate c = run_config(config_from_text(read_text("transformer_flow_small.json")));
  REQUIRE(c.status() == Status::proved);
  const CheckReport rep = check_certificate(config_from_text(c.to_json().dump()));
  CHECK(rep.check_precision == 113);
  CHECK(rep.exit_code() == 0);
  bool steps_line = false;
  for (const auto& l : rep.lines) {
    CAPTURE(l.subject);
    CAPTURE(l.detail);
    CHECK(l.outcome == CheckOutcome::reproduced);
    if (l.subject == "result steps") steps_line = l.detail.find("informational") != std::string::npos;
  }
  CHECK(steps_line);
}

TEST_CASE("transformer.flow: causal mask and in-projection biases — proved, token 0 is the one-token flow, check reproduces") {
  ensure_registered();
  const std::string text = read_text("transformer_flow_causal.json");
  const Certificate c = run_config(config_from_text(text));
  REQUIRE(c.status() == Status::proved);
  // token 0 attends to itself only: its flow is the one-token flow of the same model
  std::string one = text;
  const std::string from = R"("tokens": [[1, 0], ["-0.5", "0.75"], ["0.25", -1]])";
  REQUIRE(one.find(from) != std::string::npos);
  one.replace(one.find(from), from.size(), R"("tokens": [[1, 0]])");
  const Certificate c1 = run_config(config_from_text(one));
  REQUIRE(c1.status() == Status::proved);
  const auto& a = matrix_result(c, "tokens_at_horizon");
  const auto& b = matrix_result(c1, "tokens_at_horizon");
  for (std::size_t j = 0; j < 2; ++j) {
    CHECK(!disjoint(as_interval(a[0][j]), as_interval(b[0][j])));
    CHECK(wid(as_interval(a[0][j])) < 1e-10);
  }
  // without the mask token 0 moves differently (the mask is not a no-op)
  std::string full = text;
  full.replace(full.find("\"causal\": true"), 14, "\"causal\": false");
  const Certificate cf = run_config(config_from_text(full));
  const auto& f = matrix_result(cf, "tokens_at_horizon");
  CHECK(disjoint(as_interval(f[0][0]), as_interval(a[0][0])));
  const CheckReport rep = check_certificate(config_from_text(c.to_json().dump()));
  CHECK(rep.exit_code() == 0);
}

TEST_CASE("transformer.flow: refusals name the parameter (relu, layer_norm, layers beside a layer, B-form biases)") {
  ensure_registered();
  const std::string good = read_text("transformer_flow_causal.json");
  auto fails = [](const std::string& text, const std::string& path_part, const std::string& words) {
    test::expect_config_error(text, path_part, words);
  };
  auto replace = [&](const std::string& from, const std::string& to) { return test::replace_once(good, from, to); };
  fails(replace("\"tanh\"", "\"relu\""), "/model/mlp/activation", "transformer.flow refuses activation relu");
  fails(replace("\"causal\": true", "\"causal\": true, \"layer_norm\": {}"), "/model/layer_norm", "LayerNorm");
  fails(replace("\"causal\": true", "\"causal\": true, \"layers\": []"), "/model", "layers");  // not beside a layer's keys
  fails(replace("\"causal\": true", "\"causal\": 1"), "/model/causal", "true or false");
  fails(replace("\"bQ\": [\"0.1\", \"-0.2\"]", "\"bQ\": [\"0.1\"]"), "/model/heads/0/bQ", "d_k");
}

namespace {
std::string text_result(const Certificate& c, const std::string& name) {
  for (const auto& [n, v] : c.results)
    if (n == name) return std::get<std::string>(v);
  throw std::runtime_error("no result " + name);
}
std::string with_method(std::string text, const std::string& method) {
  const auto pos = text.find("\"horizon\"");
  REQUIRE(pos != std::string::npos);
  return text.insert(pos, "\"method\": \"" + method + "\", ");
}
}  // namespace

TEST_CASE("transformer.flow: the out-of-scope examples keep Taylor-Lohner, and say so") {
  ensure_registered();
  for (const char* name : {"transformer_flow_small.json", "transformer_flow_glpr_sphere.json"}) {
    INFO(name);
    const Certificate c = run_config(config_from_text(read_text(name)));
    CHECK(c.status() == Status::proved);
    CHECK(text_result(c, "method").rfind("taylor_lohner (auto: outside", 0) == 0);
  }
}

TEST_CASE("transformer.flow: an attention model runs the structured engine by default; its enclosure overlaps "
          "Taylor-Lohner's and contains the 128-bit one") {
  ensure_registered();
  const std::string text = read_text("transformer_flow_attention_small.json");  // n = 5, d = 3, H = 2, FFN
  const Certificate s = run_config(config_from_text(text));
  REQUIRE(s.status() == Status::proved);
  CHECK(text_result(s, "method").rfind("structured (auto:", 0) == 0);
  const Certificate forced = run_config(config_from_text(with_method(text, "structured")));
  REQUIRE(forced.status() == Status::proved);
  CHECK(text_result(forced, "method") == "structured (requested)");
  const Certificate tl = run_config(config_from_text(with_method(text, "taylor_lohner")));
  REQUIRE(tl.status() == Status::proved);
  CHECK(text_result(tl, "method") == "taylor_lohner (requested)");
  RunOptions o;
  o.precision = 128;
  const Certificate mp = run_config(config_from_text(text), o);  // 128 bits: Taylor-Lohner
  REQUIRE(mp.status() == Status::proved);
  CHECK(text_result(mp, "method").rfind("taylor_lohner", 0) == 0);
  const auto& a = matrix_result(s, "tokens_at_horizon");
  const auto& f = matrix_result(forced, "tokens_at_horizon");
  const auto& b = matrix_result(tl, "tokens_at_horizon");
  const auto& m = matrix_result(mp, "tokens_at_horizon");
  REQUIRE(a.size() == 5);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].size(); ++j) {
      const Interval x = as_interval(a[i][j]);
      CHECK(wid(x) < 1e-12);
      CHECK(wid(x) == wid(as_interval(f[i][j])));  // "auto" ran the same engine
      CHECK(intersection(x, as_interval(b[i][j])).has_value());
      CHECK(subset(as_interval(m[i][j]), x));
    }
}

TEST_CASE("transformer.flow: method errors and the check of a structured certificate") {
  ensure_registered();
  // an unknown method name, and "structured" on a model outside its scope: config errors at /method
  auto fails = [](const std::string& text) {
    try {
      (void)run_config(config_from_text(text));
      FAIL("no ConfigError");
    } catch (const ConfigError& e) {
      CHECK(std::string(e.what()).find("/method") != std::string::npos);
    }
  };
  fails(with_method(read_text("transformer_flow_attention_small.json"), "fast"));
  fails(with_method(read_text("transformer_flow_small.json"), "structured"));  // MLP
  // a structured certificate is reproduced by check (re-run at 113 bits with Taylor-Lohner)
  const Certificate c = run_config(config_from_text(read_text("transformer_flow_attention_small.json")));
  REQUIRE(c.status() == Status::proved);
  const CheckReport rep = check_certificate(config_from_text(c.to_json().dump()));
  CHECK(rep.exit_code() == 0);
  for (const auto& l : rep.lines) {
    CAPTURE(l.subject);
    CAPTURE(l.detail);
    CHECK(l.outcome == CheckOutcome::reproduced);
  }
}

TEST_CASE("transformer.flow: the structured engine honours the work budget (unknown, nothing claimed)") {
  ensure_registered();
  const std::string text = read_text("transformer_flow_attention_small.json");
  RunOptions o;
  o.max_steps = 1;  // the structured run needs more than one step to reach T = 1
  const Certificate c = run_config(config_from_text(text), o);
  CHECK(c.status() != Status::proved);
  bool budget_claim = false;
  for (const auto& cl : c.claims) {
    CAPTURE(cl.id);
    CAPTURE(cl.reason);
    CHECK(cl.verdict != Status::proved);
    if (cl.id == "budget") budget_claim = cl.reason.find("step budget of 1 validated steps exhausted") != std::string::npos;
  }
  CHECK(budget_claim);
}

TEST_CASE("transformer.flow: a box of initial tokens — both engines enclose the 128-bit flows of its corners") {
  // Every token coordinate x becomes the interval text "[x − 2^-12, x + 2^-12]" (hex floats,
  // exact); the certificate must hold for every initial token matrix in that box.
  ensure_registered();
  const std::string text = read_text("transformer_flow_attention_small.json");  // n = 5, d = 3, H = 2, FFN
  const auto tpos = text.find("\"tokens\"");
  const auto hpos = text.find("\"horizon\"");
  REQUIRE(tpos != std::string::npos);
  REQUIRE(hpos > tpos);
  std::vector<double> x;  // the 15 token coordinates, in order
  std::string boxed = text.substr(0, tpos);
  const std::string tok = text.substr(tpos, hpos - tpos);
  std::string out_tok;
  for (std::size_t i = 0; i < tok.size();) {
    if (tok[i] == '"' && i + 1 < tok.size() && (tok[i + 1] == '-' || std::isdigit(static_cast<unsigned char>(tok[i + 1])))) {
      const std::size_t e = tok.find('"', i + 1);
      x.push_back(std::stod(tok.substr(i + 1, e - i - 1)));  // dyadic with 12 fraction bits: exact
      char buf[96];
      std::snprintf(buf, sizeof buf, "\"[%a, %a]\"", x.back() - 0x1p-12, x.back() + 0x1p-12);
      out_tok += buf;
      i = e + 1;
    } else {
      out_tok += tok[i++];
    }
  }
  REQUIRE(x.size() == 15);
  boxed += out_tok + text.substr(hpos);
  const Certificate s = run_config(config_from_text(boxed));
  const std::string why = s.claims.empty() ? std::string() : s.claims.front().reason;
  INFO(why);
  REQUIRE(s.status() == Status::proved);
  CHECK(text_result(s, "method").rfind("structured (auto:", 0) == 0);
  CHECK(text_result(s, "parameter_box").rfind("true:", 0) == 0);
  for (const auto& cl : s.claims) CHECK(cl.statement.rfind("for every parameter in the box: ", 0) == 0);
  const Certificate tl = run_config(config_from_text(with_method(boxed, "taylor_lohner")));
  REQUIRE(tl.status() == Status::proved);
  const auto& a = matrix_result(s, "tokens_at_horizon");
  const auto& b = matrix_result(tl, "tokens_at_horizon");
  double ws = 0, wt = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].size(); ++j) {
      ws = std::max(ws, wid(as_interval(a[i][j])));
      wt = std::max(wt, wid(as_interval(b[i][j])));
    }
  MESSAGE("token box radius 2^-12: structured width " << ws << ", Taylor-Lohner (QR) width " << wt);
  CHECK(ws > 2 * 0x1p-12 * 0.1);  // a set, not a point
  CHECK(ws < 0.05);
  auto g = test::rng(77);
  std::uniform_int_distribution<int> bit(0, 1);
  for (int corner = 0; corner < 2; ++corner) {
    std::string ctext = text.substr(0, tpos) + "\"tokens\": [";
    for (std::size_t i = 0; i < 5; ++i) {
      ctext += i ? ", [" : "[";
      for (std::size_t j = 0; j < 3; ++j) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s\"%a\"", j ? ", " : "", x[i * 3 + j] + (bit(g) ? 0x1p-12 : -0x1p-12));
        ctext += buf;
      }
      ctext += "]";
    }
    ctext += "],\n  " + text.substr(hpos);
    RunOptions o;
    o.precision = 128;
    const Certificate m = run_config(config_from_text(ctext), o);
    REQUIRE(m.status() == Status::proved);
    const auto& mm = matrix_result(m, "tokens_at_horizon");
    for (std::size_t i = 0; i < a.size(); ++i)
      for (std::size_t j = 0; j < a[i].size(); ++j) {
        CHECK(subset(as_interval(mm[i][j]), as_interval(a[i][j])));
        CHECK(subset(as_interval(mm[i][j]), as_interval(b[i][j])));
      }
  }
}
