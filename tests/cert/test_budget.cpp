// tests/cert: work budgets and large inputs. Valid but huge work must end: a horizon of 1e6
// (transformer.flow, gradflow.edi) ends within seconds under a small budget with unknown claims
// and a certificate that checks; 60 000 claims are decided in near-linear time; a \u0000 inside
// a JSON key does not cut the error message.
#include "cert_test_util.hpp"
#include "certiformer/ode.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

using namespace certiformer;
using namespace certiformer::cert;
using test::cli;
using test::ScratchDir;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

const std::string kFlow1e6 = R"({"kind": "transformer.flow",
  "model": {"dim": 2, "beta": "1", "W": [["-0.5", "0.25"], ["0.1", "-0.3"]], "b": ["0.05", "-0.1"],
            "heads": [{"Q": [["0.8", "-0.2"], ["0.3", "0.5"]], "K": [["0.4", "0.1"], ["-0.6", "0.9"]],
                       "V": [["0.5", "-0.25"], ["0.125", "0.75"]]}]},
  "tokens": [[1, 0], ["-0.5", "0.75"], ["0.25", -1]],
  "horizon": 1e6)";

const std::string kEdi1e6 = R"({"kind": "gradflow.edi", "dim": 2, "sign": "ascent",
  "heads": [{"path": "oscillating", "D": [[1, 0.5], [0.5, 2]]}],
  "angles": [0.6, 1.0, 1.4, 1.8, 2.2], "horizon": 1e6)";

/// Runs `config` (closed with `tail`) through the CLI with extra options; returns the result and
/// the parsed certificate.
struct Ran {
  test::CliResult r;
  nlohmann::ordered_json cert;
  double seconds;
};
Ran run_cli(const ScratchDir& dir, const std::string& name, const std::string& config, std::vector<std::string> opts) {
  const auto file = dir / (name + ".json");
  const auto out = dir / (name + ".cert.json");
  test::write_text(file, config);
  std::vector<std::string> args = {"run", file.string(), "--out", out.string()};
  args.insert(args.end(), opts.begin(), opts.end());
  const auto t0 = std::chrono::steady_clock::now();
  Ran ran{cli(args), {}, 0};
  ran.seconds = seconds_since(t0);
  if (std::filesystem::exists(out)) ran.cert = test::parse_plain(test::read_text(out));
  return ran;
}

const nlohmann::ordered_json* find_claim(const nlohmann::ordered_json& cert, const std::string& id) {
  for (const auto& c : cert.at("claims"))
    if (c.at("id") == id) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("budget: transformer.flow with horizon 1e6 ends in seconds, claims unknown, certificate written") {
  ScratchDir dir("budget-flow");
  SUBCASE("step budget from the command line") {
    const Ran a = run_cli(dir, "flow", kFlow1e6 + "}", {"--max-steps", "200"});
    CAPTURE(a.r.out);
    CAPTURE(a.r.err);
    CHECK(a.r.code == 2);  // unknown, nothing refuted
    CHECK(a.seconds < 20 * test::time_scale());
    REQUIRE(a.cert.is_object());
    const auto* b = find_claim(a.cert, "budget");
    REQUIRE(b);
    CHECK(b->at("verdict") == "unknown");
    const std::string reason = b->at("reason");
    CHECK(reason.find("step budget of 200 validated steps exhausted at t = ") != std::string::npos);
    CHECK(a.cert.at("results").at("budget").get<std::string>().find("step budget of 200") != std::string::npos);
    // nothing about X(T) is claimed: no enclosure at the horizon, no proved claim
    CHECK_FALSE(a.cert.at("results").contains("tokens_at_horizon"));
    for (const auto& c : a.cert.at("claims")) CHECK(c.at("verdict") != "proved");
    // The certificate checks: the re-run (same budget, from the echoed input + the option) stops
    // too; a stopped run is never "reproduced" as a whole, and never "failed".
    const auto chk = cli({"check", (dir / "flow.cert.json").string(), "--max-steps", "200", "--precision", "53"});
    CAPTURE(chk.out);
    CHECK(chk.code == 0);
    const auto chk2 = cli({"check", (dir / "flow.cert.json").string(), "--max-steps", "300", "--precision", "53"});
    CAPTURE(chk2.out);
    CHECK((chk2.code == 0 || chk2.code == 2));
  }
  SUBCASE("time budget from the config") {
    const Ran a = run_cli(dir, "flow_t", kFlow1e6 + R"(, "budget": {"time_s": 1.5},
        "claims": [{"id": "x", "quantity": "tokens_at_horizon[0][0]", "op": "<=", "value": 10}]})", {});
    CAPTURE(a.r.out);
    CAPTURE(a.r.err);
    CHECK(a.r.code == 2);
    CHECK(a.seconds < 20 * test::time_scale());
    REQUIRE(a.cert.is_object());
    const auto* b = find_claim(a.cert, "budget");
    REQUIRE(b);
    CHECK(std::string(b->at("reason")).find("time budget of 1.5 s exhausted at t = ") != std::string::npos);
    // the user claim names a quantity that was not computed: unknown, with the reason
    const auto* x = find_claim(a.cert, "x");
    REQUIRE(x);
    CHECK(x->at("verdict") == "unknown");
    CHECK(std::string(x->at("reason")).find("was not computed: ") != std::string::npos);
  }
  SUBCASE("the command line overrides the config; 0 means no limit on that axis") {
    const Ran a = run_cli(dir, "flow_o", kFlow1e6 + R"(, "budget": {"time_s": 1000, "steps": 100000}})",
                          {"--max-steps", "50", "--time-limit", "0"});
    CHECK(a.r.code == 2);
    REQUIRE(a.cert.is_object());
    const auto* b = find_claim(a.cert, "budget");
    REQUIRE(b);
    CHECK(std::string(b->at("reason")).find("step budget of 50 validated") != std::string::npos);
  }
}

TEST_CASE("budget: gradflow.edi with horizon 1e6 ends in seconds with unknown claims") {
  ScratchDir dir("budget-edi");
  const Ran a = run_cli(dir, "edi", kEdi1e6 + R"(, "budget": {"steps": 150}})", {});
  CAPTURE(a.r.out);
  CAPTURE(a.r.err);
  CHECK(a.r.code == 2);
  CHECK(a.seconds < 20 * test::time_scale());
  REQUIRE(a.cert.is_object());
  const auto* b = find_claim(a.cert, "budget");
  REQUIRE(b);
  CHECK(b->at("verdict") == "unknown");
  CHECK(std::string(b->at("reason")).find("step budget of 150 validated steps exhausted at t = ") != std::string::npos);
  for (const auto& c : a.cert.at("claims")) CHECK(c.at("verdict") != "proved");
  CHECK_FALSE(a.cert.at("results").contains("energy_change"));
}

TEST_CASE("budget: a budget that is not reached changes nothing; bad budgets are config errors") {
  ScratchDir dir("budget-ok");
  // rotation: no integrator steps; a generous budget leaves the certificate as before
  const Ran a = run_cli(dir, "rot", test::rotation_config(R"([{"id": "ok", "quantity": "x_at_t[0]", "op": ">=", "value": "1/2"}])"),
                        {"--max-steps", "1", "--time-limit", "60"});
  CHECK(a.r.code == 0);
  REQUIRE(a.cert.is_object());
  CHECK_FALSE(a.cert.at("results").contains("budget"));
  CHECK(find_claim(a.cert, "budget") == nullptr);
  // an example that integrates, with its budget in the config and not exhausted: same claims
  const std::string small = kFlow1e6.substr(0, kFlow1e6.find("\"horizon\"")) + R"("horizon": 1, "budget": {"time_s": 600, "steps": 100000}})";
  const Ran b = run_cli(dir, "small", small, {});
  CHECK(b.r.code == 0);
  REQUIRE(b.cert.is_object());
  CHECK(b.cert.at("results").contains("tokens_at_horizon"));
  CHECK(find_claim(b.cert, "flow_enclosed")->at("verdict") == "proved");
  // config errors (65): path and expectation named
  const std::string base = test::rotation_config();
  const std::string head = base.substr(0, base.size() - 1);
  struct Bad {
    std::string budget, path;
  };
  for (const Bad& bad : {Bad{R"("budget": 5)", "/budget"}, Bad{R"("budget": {"time_s": 0})", "/budget/time_s"},
                         Bad{R"("budget": {"time_s": "-1"})", "/budget/time_s"},
                         Bad{R"("budget": {"steps": 0})", "/budget/steps"}, Bad{R"("budget": {"steps": 2.5})", "/budget/steps"},
                         Bad{R"("budget": {"seconds": 5})", "/budget/seconds"}}) {
    CAPTURE(bad.budget);
    const auto f = dir / "bad.json";
    test::write_text(f, head + ", " + bad.budget + "}");
    const auto r = cli({"run", f.string()});
    CHECK(r.code == 65);
    CHECK(r.err.find(f.string() + ": " + bad.path + ": expected ") == 0);
  }
  // the id "budget" is reserved
  const auto f = dir / "reserved.json";
  test::write_text(f, test::rotation_config(R"([{"id": "budget", "quantity": "x_at_t[0]", "op": ">=", "value": 0}])"));
  CHECK(cli({"run", f.string()}).code == 65);
  // bad command lines (64)
  CHECK(cli({"run", f.string(), "--time-limit", "-1"}).code == 64);
  CHECK(cli({"run", f.string(), "--max-steps", "x"}).code == 64);
}

TEST_CASE("budget: the integrator stops with unknown and a certified partial result") {
  // x' = x from 0 to 1e6 under a 100-step budget: unknown, t_reached > 0 and the enclosure at
  // t_reached contains e^{t_reached}.
  ode::WorkBudget budget(0, 100);
  ode::BudgetScope scope(&budget);
  Mat<Interval> A(1, 1);
  A(0, 0) = Interval(1);
  Vec<Interval> x0(1);
  x0(0) = Interval(1);
  const ode::LinearField<Interval> f(A);
  const auto r = ode::enclose_flow<Interval>(f, 0.0, x0, 1e6);
  CHECK(r.verdict.is_unknown());
  CHECK(r.verdict.reason().find("step budget of 100 validated steps exhausted at t = ") == 0);
  CHECK(r.step_count == 100);
  CHECK(budget.steps_used() == 100);
  REQUIRE(r.t_reached > 0);
  CHECK(r.t_reached < 1e6);
  const Interval exact = exp(Interval(r.t_reached));
  CHECK(subset(exact, r.enclosure(0)));
  // sticky: a second integration under the spent budget stops at once
  const auto r2 = ode::enclose_flow<Interval>(f, 0.0, x0, 1.0);
  CHECK(r2.verdict.is_unknown());
  CHECK(r2.step_count == 0);
}

TEST_CASE("60 000 claims finish in seconds (near-linear claim handling, run and check)") {
  ScratchDir dir("many");
  std::string claims = "[";
  const int n = 60000;
  for (int i = 0; i < n; ++i) {
    if (i) claims += ",";
    claims += R"({"id": "c)" + std::to_string(i) + R"(", "quantity": "x_at_t[)" + std::to_string(i % 2) +
              R"(]", "op": ">=", "value": -2})";
  }
  claims += "]";
  const auto f = dir / "many.json";
  test::write_text(f, test::rotation_config(claims));
  auto t0 = std::chrono::steady_clock::now();
  const auto r = cli({"run", f.string(), "--quiet", "--out", (dir / "many.cert.json").string()});
  const double run_s = seconds_since(t0);
  CHECK(r.code == 0);
  CHECK(r.out.find("(60000 proved, 0 refuted, 0 unknown)") != std::string::npos);
  t0 = std::chrono::steady_clock::now();
  const auto c = cli({"check", (dir / "many.cert.json").string(), "--quiet", "--precision", "53"});
  const double check_s = seconds_since(t0);
  CHECK(c.code == 0);
  MESSAGE("60000 claims: run " << run_s << " s, check " << check_s << " s");
  // quadratic handling took > 30 s for the run alone; linear takes ~1 s (release build)
  CHECK(run_s < 15 * test::time_scale());
  CHECK(check_s < 15 * test::time_scale());
  // a duplicate among them is still found, at the right index
  std::string dup = claims.substr(0, claims.size() - 1) + R"(, {"id": "c123", "quantity": "x_at_t[0]", "op": ">=", "value": 0}])";
  test::write_text(f, test::rotation_config(dup));
  const auto d = cli({"run", f.string(), "--quiet"});
  CHECK(d.code == 65);
  CHECK(d.err.find("/claims/60000/id: expected a claim id not used by an earlier claim") != std::string::npos);
}

TEST_CASE("a \\u0000 inside a JSON key does not cut the error message; it is printed escaped") {
  ScratchDir dir("nul");
  const auto f = dir / "nul.json";
  // unknown field "A\u0000B" (JSON escape in the text, a NUL byte in the key)
  test::write_text(f, R"({"kind": "linear.flow", "A": [[1]], "x0": [1], "t": 1, "A\u0000B": 2})");
  const auto r = cli({"run", f.string()});
  CAPTURE(r.err);
  CHECK(r.code == 65);
  CHECK(r.err.find(f.string() + ": /A\\u0000B: expected only the fields ") == 0);
  CHECK(r.err.find(R"(got an unknown field "A\u0000B")") != std::string::npos);
  CHECK(r.err.find('\0') == std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  // a duplicate key with a NUL, and other control characters (newline, tab, DEL)
  test::write_text(f, R"({"kind": "linear.flow", "a\u0000": 1, "a\u0000": 2})");
  const auto d = cli({"run", f.string()});
  CAPTURE(d.err);
  CHECK(d.code == 65);
  CHECK(d.err.find(R"(/a\u0000: expected unique keys in an object, got a second field "a\u0000")") != std::string::npos);
  test::write_text(f, R"({"kind": "linear.flow", "A": [[1]], "x0": [1], "t": 1, "x\ny\tz\u007f": 2})");
  const auto e = cli({"run", f.string()});
  CAPTURE(e.err);
  CHECK(e.err.find(R"(/x\u000ay\u0009z\u007f: expected only the fields)") != std::string::npos);
  CHECK(std::count(e.err.begin(), e.err.end(), '\n') == 1);
  // the exception keeps the raw key in its fields
  try {
    (void)run_config(config_from_text(R"({"kind": "linear.flow", "A": [[1]], "x0": [1], "t": 1, "A\u0000B": 2})"));
    FAIL("no ConfigError");
  } catch (const ConfigError& ex) {
    CHECK(ex.json_path == std::string("/A\0B", 4));
    CHECK(std::string(ex.what()).find("\\u0000") != std::string::npos);
  }
}

TEST_CASE("fuzzer finding: a repeated depth in gaussian.moments is a config error, not an internal error") {
  ScratchDir dir("fuzz-regress");
  const auto f = dir / "dup.json";
  test::write_text(f, R"({"kind": "gaussian.moments",
    "model": {"dim": 1, "beta": 1, "W": [[0.3]], "heads": [{"V": [[-0.5]], "B": [[1]]}]},
    "initial": {"mean": [0.5], "cov": [[1]]}, "horizon": 1, "layers": [8, 64, 64]})");
  const auto r = cli({"run", f.string()});
  CAPTURE(r.err);
  CHECK(r.code == 65);  // was 70 ("internal error: duplicate result name 'mean_L64'")
  CHECK(r.err.find(f.string() + ": /layers/2: expected a depth not listed before") == 0);
}

// ---- --total-time and stop requests (issue 14 §3): partial summaries, finished certificates ----

TEST_CASE("--total-time: the running config ends unknown at the deadline, later ones are not started") {
  ScratchDir dir("budget-total");
  const auto slow = dir / "slow.json";
  const auto quick = dir / "quick.json";
  test::write_text(slow, kFlow1e6 + "}");
  test::write_text(quick, test::rotation_config());
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = cli({"run", quick.string(), slow.string(), quick.string(), "--out-dir", (dir / "certs").string(),
                      "--time-limit", "0", "--total-time", "1.5"});
  const double s = seconds_since(t0);
  CAPTURE(r.out);
  CAPTURE(r.err);
  CHECK(r.code == 2);
  CHECK(s < 15);
  // the quick config was certified and its certificate written before the slow one started
  CHECK(std::filesystem::exists(dir / "certs" / "quick.cert.json"));
  CHECK(r.out.find("quick.json: linear.flow") != std::string::npos);
  // the slow one stopped on the deadline: unknown, with the time budget as the reason
  REQUIRE(std::filesystem::exists(dir / "certs" / "slow.cert.json"));
  const auto c = test::parse_plain(test::read_text(dir / "certs" / "slow.cert.json"));
  const auto* b = find_claim(c, "budget");
  REQUIRE(b);
  CHECK(b->at("verdict") == "unknown");
  CHECK(b->at("reason").get<std::string>().find("time budget of") != std::string::npos);
  // the third file was not started, and the summary says so
  CHECK(r.out.find("partial: 2 of 3 files done, 1 not started (the total time budget (--total-time) was spent") !=
        std::string::npos);
  CHECK(r.err.find("quick.json: not run: the total time budget") != std::string::npos);
}

TEST_CASE("stop request (SIGINT/SIGTERM path): the running config ends unknown, the rest are skipped") {
  ScratchDir dir("budget-stop");
  const auto slow = dir / "slow.json";
  const auto quick = dir / "quick.json";
  test::write_text(slow, kFlow1e6 + "}");
  test::write_text(quick, test::rotation_config());
  SUBCASE("requested before the run: nothing is started") {
    ode::request_stop("test stop");
    const auto r = cli({"run", quick.string(), quick.string()});
    ode::clear_stop_request();
    CAPTURE(r.out);
    CHECK(r.code == 2);
    CHECK(r.out.find("partial: 0 of 2 files done, 2 not started (stopped (signal) before it started)") != std::string::npos);
  }
  SUBCASE("requested while a long run is on: it stops within seconds with the reason") {
    std::thread stopper([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      ode::request_stop("test stop");
    });
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = cli({"run", slow.string(), quick.string(), "--out-dir", (dir / "certs").string(), "--time-limit", "0",
                        "--max-steps", "0"});
    const double s = seconds_since(t0);
    stopper.join();
    ode::clear_stop_request();
    CAPTURE(r.out);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(s < 15);
    REQUIRE(std::filesystem::exists(dir / "certs" / "slow.cert.json"));
    const auto c = test::parse_plain(test::read_text(dir / "certs" / "slow.cert.json"));
    const auto* b = find_claim(c, "budget");
    REQUIRE(b);
    CHECK(b->at("reason").get<std::string>().find("stopped: test stop") != std::string::npos);
    for (const auto& cl : c.at("claims")) CHECK(cl.at("verdict") != "proved");
    CHECK(r.out.find("partial: 1 of 2 files done") != std::string::npos);
  }
}

TEST_CASE("budget: a re-run stopped before a proved claim is decided makes its margin inconclusive, never FAILED") {
  // Found by checking the bundled certificates with a re-run cut short: a proved claim with a
  // margin whose re-run stopped on its budget (claim unknown, no margin) made the margin line
  // FAILED ("the re-run's claim carries no margin") — a budget may only make a check inconclusive.
  ScratchDir dir("budget-margin");
  std::string cfg = kFlow1e6;
  cfg.replace(cfg.find("\"horizon\": 1e6"), std::string("\"horizon\": 1e6").size(), "\"horizon\": 1");
  const Ran a = run_cli(dir, "short", cfg + R"(,
      "claims": [{"id": "x", "quantity": "tokens_at_horizon[0][0]", "op": "<=", "value": 10}]})", {});
  CAPTURE(a.r.out);
  REQUIRE(a.r.code == 0);
  const auto chk = cli({"check", (dir / "short.cert.json").string(), "--max-steps", "2"});
  CAPTURE(chk.out);
  CHECK(chk.code == 2);
  CHECK(chk.out.find("FAILED") == std::string::npos);
  CHECK(chk.out.find("inconclusive claim x margin: the re-run did not decide the claim") != std::string::npos);
}
