// tests/cert: the certiformer command line, in-process: bad configs (exit 65, no certificate),
// claims (0 / 1 / 2), run → certificate → check round trips and tampered certificates,
// --version, list, bad command lines (64), --json, and the bundled example suite.
#include "cert_test_util.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <tuple>

using namespace certiformer;
using namespace certiformer::cert;
using test::cli;
using test::ScratchDir;

namespace {

const std::string kClaimOk = R"([{"id": "ok", "quantity": "x_at_t[0]", "op": ">=", "value": "1/2"}])";

/// One bad config: its text, the JSON path the error must name, and a word of the expectation.
struct BadConfig {
  const char* name;
  std::string text;
  const char* path;
};

std::vector<BadConfig> bad_configs() {
  const std::string head = R"({"kind": "linear.flow", )";
  return {
      {"parse_error", head + R"("A": [[0, 1], [-1 0]], "x0": [1, 0], "t": 1})", "/A/1/1"},
      {"missing_field", head + R"("A": [[0, 1], [-1, 0]], "t": 1})", "/x0"},
      {"wrong_shape", head + R"("A": [[0, 1], [-1, 0]], "x0": 1, "t": 1})", "/x0"},
      {"non_square", head + R"("A": [[0, 1, 2], [-1, 0, 3]], "x0": [1, 0], "t": 1})", "/A"},
      {"non_rectangular", head + R"("A": [[0, 1], [-1]], "x0": [1, 0], "t": 1})", "/A/1"},
      {"mismatch_b", head + R"("A": [[0, 1], [-1, 0]], "b": [1, 2, 3], "x0": [1, 0], "t": 1})", "/b"},
      {"mismatch_x0", head + R"("A": [[0, 1], [-1, 0]], "x0": [1], "t": 1})", "/x0"},
      {"nan", head + R"("A": [[0, "nan"], [-1, 0]], "x0": [1, 0], "t": 1})", "/A/0/1"},
      {"inf_t", head + R"("A": [[0, 1], [-1, 0]], "x0": [1, 0], "t": "inf"})", "/t"},
      {"t_not_number", head + R"("A": [[0, 1], [-1, 0]], "x0": [1, 0], "t": [1]})", "/t"},
      {"empty_A", head + R"("A": [], "x0": [], "t": 1})", "/A"},
      {"unknown_kind", R"({"kind": "linear.flwo", "A": [[1]], "x0": [1], "t": 1})", "/kind"},
      {"missing_kind", R"({"A": [[1]], "x0": [1], "t": 1})", "/kind"},
      {"unknown_key", head + R"("A": [[1]], "x0": [1], "t": 1, "x_0": [2]})", "/x_0"},
      {"bad_claim_op", head + R"("A": [[1]], "x0": [1], "t": 1,
          "claims": [{"id": "c", "quantity": "x_at_t[0]", "op": "=<", "value": 1}]})", "/claims/0/op"},
      {"bad_claim_key", head + R"("A": [[1]], "x0": [1], "t": 1,
          "claims": [{"id": "c", "quantity": "x_at_t[0]", "op": "<=", "value": 1, "vlaue": 2}]})", "/claims/0/vlaue"},
      {"unknown_quantity", head + R"("A": [[1]], "x0": [1], "t": 1,
          "claims": [{"id": "c", "quantity": "x[0]", "op": "<=", "value": 1}]})", "/claims/0/quantity"},
      {"duplicate_claim_id", head + R"("A": [[1]], "x0": [1], "t": 1,
          "claims": [{"id": "c", "quantity": "x_at_t[0]", "op": "<=", "value": 3},
                     {"id": "c", "quantity": "x_at_t[0]", "op": ">=", "value": 2}]})", "/claims/1/id"},
      {"claim_value_nan", head + R"("A": [[1]], "x0": [1], "t": 1,
          "claims": [{"id": "c", "quantity": "x_at_t[0]", "op": "<=", "value": "nan"}]})", "/claims/0/value"},
      {"precision_20", head + R"("A": [[1]], "x0": [1], "t": 1, "precision": 20})", "/precision"},
      {"precision_fraction", head + R"("A": [[1]], "x0": [1], "t": 1, "precision": 100.5})", "/precision"},
      {"trailing_garbage", head + R"("A": [[1]], "x0": [1], "t": 1} trailing)", "/"},
      {"duplicate_key", head + R"("A": [[1]], "x0": [1], "t": 1, "t": 2})", "/t"},
      {"root_not_object", R"([1, 2, 3])", "/"},
      {"empty_file", "", "/"},
  };
}

/// Runs a claim config through the CLI and returns the exit code.
int run_claims(const ScratchDir& dir, const std::string& name, const std::string& claims, std::string* out = nullptr) {
  const auto file = dir / (name + ".json");
  test::write_text(file, test::rotation_config(claims));
  const auto r = cli({"run", file.string()});
  if (out) *out = r.out + r.err;
  return r.code;
}

}  // namespace

TEST_CASE("bad configs: exit 65, one line naming file and JSON path, no certificate written") {
  ScratchDir dir("bad");
  const auto out_dir = dir / "out";
  const auto configs = bad_configs();
  CHECK(configs.size() >= 12);
  for (const auto& b : configs) {
    CAPTURE(b.name);
    const auto file = dir / (std::string(b.name) + ".json");
    test::write_text(file, b.text);
    const auto r = cli({"run", file.string(), "--out-dir", out_dir.string()});
    CAPTURE(r.err);
    CHECK(r.code == 65);
    // one line: "<file>: <path>: expected …, got …"
    CHECK(r.err.find(file.string() + ": " + b.path + ": expected ") == 0);
    CHECK(r.err.find(", got ") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(test::entries(out_dir) == 0);
    // --out FILE: the file is not created either.
    const auto single = dir / "single.cert.json";
    const auto r2 = cli({"run", file.string(), "--out", single.string()});
    CHECK(r2.code == 65);
    CHECK_FALSE(std::filesystem::exists(single));
  }
  // A file that does not exist is reported the same way.
  const auto missing = cli({"run", (dir / "nope.json").string(), "--out-dir", out_dir.string()});
  CHECK(missing.code == 65);
  CHECK(missing.err.find("nope.json: /: expected a readable JSON file") != std::string::npos);
  CHECK(test::entries(out_dir) == 0);
  // Only the temp directory itself and the configs are there: no stray temporary files.
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    CHECK(e.path().extension() == ".json");
}

TEST_CASE("bad config among good ones: the good ones are certified, the exit status is 65") {
  ScratchDir dir("mixed");
  test::write_text(dir / "good.json", test::rotation_config(kClaimOk));
  test::write_text(dir / "bad.json", R"({"kind": "linear.flow"})");
  const auto r = cli({"run", (dir / "good.json").string(), (dir / "bad.json").string(), "--out-dir", (dir / "o").string()});
  CHECK(r.code == 65);
  CHECK(std::filesystem::exists(dir / "o" / "good.cert.json"));
  CHECK_FALSE(std::filesystem::exists(dir / "o" / "bad.cert.json"));
}

TEST_CASE("claims through the CLI: proved 0, refuted 1, unknown 2, mixtures") {
  ScratchDir dir("claims");
  std::string out;
  CHECK(run_claims(dir, "proved", kClaimOk, &out) == 0);
  CHECK(out.find("claim ok: proved") != std::string::npos);
  CHECK(run_claims(dir, "refuted", R"([{"id": "r", "quantity": "x_at_t[0]", "op": ">=", "value": 0.6}])", &out) == 1);
  CHECK(out.find("claim r: refuted") != std::string::npos);
  // The value lies inside the binary64 enclosure of cos 1: unknown at 53 bits.
  const std::string unknown = R"([{"id": "u", "quantity": "x_at_t[0]", "op": "<=", "value": "5.403023058681397174009366e-1"}])";
  CHECK(run_claims(dir, "unknown", unknown, &out) == 2);
  CHECK(out.find("claim u: unknown") != std::string::npos);
  // … and decided at 256 bits (cos 1 = 0.54030230586813971740093660744…  > the value).
  const auto f = dir / "unknown.json";
  CHECK(cli({"run", f.string(), "--precision", "256"}).code == 1);
  // refuted beats unknown; unknown beats proved.
  CHECK(run_claims(dir, "mix1", R"([{"id": "r", "quantity": "x_at_t[0]", "op": ">=", "value": 0.6},
                                    {"id": "u", "quantity": "x_at_t[0]", "op": "<=", "value": "5.403023058681397174009366e-1"}])") == 1);
  CHECK(run_claims(dir, "mix2", R"([{"id": "p", "quantity": "x_at_t[0]", "op": ">=", "value": "1/2"},
                                    {"id": "u", "quantity": "x_at_t[0]", "op": "<=", "value": "5.403023058681397174009366e-1"}])") == 2);
  // No claims at all: proved when every enclosure was computed.
  CHECK(run_claims(dir, "none", "[]", &out) == 0);
  CHECK(out.find("proved (no claims; every enclosure computed)") != std::string::npos);
}

TEST_CASE("unknown paths: an overflowing enclosure gives unknown claims (exit 2), never a proof") {
  ScratchDir dir("overflow");
  const auto f = dir / "big.json";
  test::write_text(f, R"({"kind": "linear.flow", "A": [[1]], "x0": [1], "t": "1e300",
                          "claims": [{"id": "c", "quantity": "x_at_t[0]", "op": ">=", "value": 1}]})");
  const auto r = cli({"run", f.string(), "--out", (dir / "big.cert.json").string()});
  CAPTURE(r.out);
  CAPTURE(r.err);
  CHECK(r.code == 2);
  CHECK(r.out.find("claim c: unknown") != std::string::npos);
  // The certificate holds the honest (unbounded) enclosure and checks (unknown claims nothing).
  REQUIRE(std::filesystem::exists(dir / "big.cert.json"));
  const auto j = test::parse_plain(test::read_text(dir / "big.cert.json"));
  CHECK(j.at("claims").at(0).at("verdict") == "unknown");
  CHECK(cli({"check", (dir / "big.cert.json").string()}).code == 0);
}

TEST_CASE("round trip: run -> certificate -> check reproduces (both backends)") {
  ScratchDir dir("roundtrip");
  for (const char* prec : {"53", "256"}) {
    CAPTURE(prec);
    const auto cfg = dir / (std::string("rot") + prec + ".json");
    test::write_text(cfg, test::rotation_config(kClaimOk));
    const auto certf = dir / (std::string("rot") + prec + ".cert.json");
    const auto r = cli({"run", cfg.string(), "--precision", prec, "--out", certf.string()});
    CHECK(r.code == 0);
    REQUIRE(std::filesystem::exists(certf));
    const auto c = cli({"check", certf.string()});
    CAPTURE(c.out);
    CAPTURE(c.err);
    CHECK(c.code == 0);
    CHECK(c.out.find("re-derived at " + std::string(std::string(prec) == "53" ? "113" : "512") + " bits") != std::string::npos);
    CHECK(c.out.find("reproduced   result x_at_t[0]") != std::string::npos);
    CHECK(c.out.find("reproduced   claim ok: proved again") != std::string::npos);
    CHECK(c.out.find("=> reproduced (4 reproduced, 0 inconclusive, 0 failed)") != std::string::npos);
    // An explicit precision is honoured.
    CHECK(cli({"check", certf.string(), "--precision", "300"}).out.find("re-derived at 300 bits") != std::string::npos);
  }
}

TEST_CASE("tampered certificates: excluded value fails (1), a false overlap FAILS once the precision escalates (capped: consistent, 0; --strict 2), claims are re-derived") {
  ScratchDir dir("tamper");
  const auto cfg = dir / "rot.json";
  test::write_text(cfg, test::rotation_config(
      R"([{"id": "ok", "quantity": "x_at_t[0]", "op": ">=", "value": "1/2"},
          {"id": "no", "quantity": "x_at_t[0]", "op": ">=", "value": 0.6}])"));
  const auto certf = dir / "rot.cert.json";
  REQUIRE(cli({"run", cfg.string(), "--out", certf.string()}).code == 1);
  const std::string original = test::read_text(certf);

  auto tampered = [&](const std::string& name, const std::function<void(nlohmann::ordered_json&)>& edit) {
    auto j = test::parse_plain(original);
    edit(j);
    const auto p = dir / (name + ".cert.json");
    test::write_text(p, j.dump(2));
    return cli({"check", p.string()});
  };
  // Untampered: reproduces (the refuted claim is refuted again).
  CHECK(tampered("same", [](auto&) {}).code == 0);

  // Shift lo/hi (decimal and hex alike) so that they exclude cos 1: FAIL.
  auto shifted = tampered("shifted", [](auto& j) {
    auto& e = j["results"]["x_at_t"][0];
    e["lo"] = "2";
    e["hi"] = "3";
    e["lo_hex"] = "0x1p+1";
    e["hi_hex"] = "0x1.8p+1";
  });
  CAPTURE(shifted.out);
  CHECK(shifted.code == 1);
  CHECK(shifted.out.find("FAILED       result x_at_t[0]: certificate bound excludes the true value (disjoint)") !=
        std::string::npos);

  // Decimal bound that no longer contains the hex interval: inconsistent certificate, FAIL.
  auto inconsistent = tampered("inconsistent", [](auto& j) { j["results"]["x_at_t"][1]["hi"] = "-1"; });
  CHECK(inconsistent.code == 1);
  CHECK(inconsistent.out.find("inconsistent certificate") != std::string::npos);

  // hi cut through the new 113-bit enclosure (40 digits of cos 1, truncated: a false bound, just
  // below the true value). At 113 bits it is consistent (not contradicted, not implied); check
  // escalates the precision (docs/certificates.md, step 5) and at 226 bits the re-derived
  // enclosure lies above hi: FAILED. With escalation off (--max-precision 113) the overlap stays
  // consistent: the claims are re-verified, so exit 0, the level says the numbers are not all
  // implied, and --strict makes that exit 2.
  const auto overlap_edit = [](auto& j) {
    auto& e = j["results"]["x_at_t"][0];
    e["hi"] = "5.403023058681397174009366074429766037323e-1";
    e["hi_hex"] = e["lo_hex"];
  };
  auto overlap = tampered("overlap", overlap_edit);
  CAPTURE(overlap.out);
  CHECK(overlap.code == 1);
  CHECK(overlap.out.find("re-derived at 113 -> 226 bits (escalated: every overlapping enclosure decided at 226 bits)") !=
        std::string::npos);
  CHECK(overlap.out.find("FAILED       result x_at_t[0]: certificate bound excludes the true value (disjoint)") !=
        std::string::npos);
  const auto capped = cli({"check", "--max-precision", "113", (dir / "overlap.cert.json").string()});
  CAPTURE(capped.out);
  CHECK(capped.code == 0);
  CHECK(capped.out.find("consistent   result x_at_t[0]: overlapping but not contained") != std::string::npos);
  CHECK(capped.out.find("level: claims re-verified; numbers NOT all implied") != std::string::npos);
  CHECK(cli({"check", "--strict", "--max-precision", "113", (dir / "overlap.cert.json").string()}).code == 2);

  // A refuted claim turned into "proved": FAIL, and the line says so.
  auto verdict = tampered("verdict", [](auto& j) { j["claims"][1]["verdict"] = "proved"; });
  CAPTURE(verdict.out);
  CHECK(verdict.code == 1);
  CHECK(verdict.out.find("FAILED       claim no: certificate says proved, re-run: refuted") != std::string::npos);

  // Claim margins are numbers the certificate carries: each is re-derived by inclusion and must
  // agree with its verdict. Edited to the wrong sign, to a disjoint value, widened across 0 or
  // dropped: FAIL.
  auto margin = [&](const std::string& name, const char* lo, const char* hi, int claim = 0) {
    return tampered(name, [&](auto& j) {
      auto& m = j["claims"][claim]["margin"];
      m["lo"] = lo;
      m["hi"] = hi;
      m["lo_hex"] = lo;
      m["hi_hex"] = hi;
    });
  };
  for (auto [name, lo, hi] : {std::tuple{"margin_neg", "-1", "-0.5"}, std::tuple{"margin_big", "5", "6"},
                              std::tuple{"margin_wide", "-1", "6"}, std::tuple{"margin_tiny", "0", "1e-300"}}) {
    auto m = margin(name, lo, hi);
    CAPTURE(name);
    CAPTURE(m.out);
    CHECK(m.code == 1);
    CHECK(m.out.find("FAILED       claim ok margin") != std::string::npos);
  }
  {
    // the refuted claim "x_at_t[0] >= 0.6" has margin cos 1 − 0.6 < 0: a positive edit fails
    auto m = margin("margin_refuted", "0.1", "0.2", 1);
    CAPTURE(m.out);
    CHECK(m.code == 1);
    CHECK(m.out.find("FAILED       claim no margin: the certificate's margin [0.1, 0.2] is not <= 0") != std::string::npos);
  }
  {
    auto m = tampered("margin_dropped", [](auto& j) { j["claims"][0]["margin"] = nullptr; });
    CAPTURE(m.out);
    CHECK(m.code == 1);
    CHECK(m.out.find("claim ok margin: the certificate omits the margin") != std::string::npos);
  }
  {
    // the untampered margins reproduce line by line
    auto same = tampered("margin_same", [](auto&) {});
    CHECK(same.out.find("reproduced   claim ok margin") != std::string::npos);
  }

  // A claim removed from the certificate: FAIL.
  auto removed = tampered("removed", [](auto& j) { j["claims"].erase(1); });
  CHECK(removed.code == 1);
  CHECK(removed.out.find("claim no: missing from the certificate") != std::string::npos);

  // A statement edited: FAIL.
  auto statement = tampered("statement", [](auto& j) { j["claims"][0]["statement"] = "x_at_t[0] >= 0"; });
  CHECK(statement.code == 1);

  // The echoed input edited (another t): the bound no longer reproduces.
  auto input = tampered("input", [](auto& j) { j["input"]["t"] = "2"; });
  CHECK(input.code == 1);

  // Malformed certificate: 65.
  auto malformed = tampered("malformed", [](auto& j) { j.erase("claims"); });
  CHECK(malformed.code == 65);
  CHECK(malformed.err.find("malformed.cert.json: /claims: expected") != std::string::npos);
}

TEST_CASE("check --fast: a fresh certificate is reproduced exactly; a tampered number is rejected (1)") {
  ScratchDir dir("fast");
  const auto cfg = dir / "rot.json";
  test::write_text(cfg, test::rotation_config(kClaimOk));
  for (const char* prec : {"53", "200"}) {
    CAPTURE(prec);
    const auto certf = dir / (std::string("rot") + prec + ".cert.json");
    REQUIRE(cli({"run", cfg.string(), "--precision", prec, "--out", certf.string()}).code == 0);
    const auto f = cli({"check", "--fast", certf.string()});
    CAPTURE(f.out);
    CHECK(f.code == 0);
    CHECK(f.out.find("certificate at " + std::string(prec) + " bits, re-run at the same precision (--fast") !=
          std::string::npos);
    CHECK(f.out.find("reproduced   result x_at_t[0]: identical to the re-run's") != std::string::npos);
    CHECK(f.out.find("level: claims re-verified; numbers reproduced exactly (3 of 3)") != std::string::npos);
    CHECK(f.out.find("build differs") == std::string::npos);
    // the JSON check report says the same
    const auto jr = cli({"check", "--fast", "--json", certf.string()});
    CHECK(jr.code == 0);
    const auto rep = test::parse_plain(jr.out);
    CHECK(rep.at("mode") == "fast");
    CHECK(rep.at("numbers") == "exact");
    CHECK(rep.at("claims_verified") == true);
    CHECK(rep.at("certificate_precision") == rep.at("check_precision"));
    CHECK(rep.at("build_differences").empty());
    CHECK(rep.at("exit_code") == 0);
    // the independent check of the same certificate: implied, not identical
    const auto ji = test::parse_plain(cli({"check", "--json", certf.string()}).out);
    CHECK(ji.at("mode") == "independent");
    CHECK(ji.at("numbers") == "implied");
  }
  const std::string original = test::read_text(dir / "rot53.cert.json");
  auto write = [&](const std::string& name, const std::function<void(nlohmann::ordered_json&)>& edit) {
    auto j = test::parse_plain(original);
    edit(j);
    const auto p = dir / (name + ".cert.json");
    test::write_text(p, j.dump(2));
    return p.string();
  };
  // A widened (still valid) enclosure: the independent check finds it implied (0); --fast, run by
  // the same build at the same precision, finds it is not what this computation gives: FAILED.
  const auto widened = write("widened", [](auto& j) {
    auto& e = j["results"]["x_at_t"][0];
    e["hi"] = "0.6";
    e["hi_hex"] = "0x1.3333333333333p-1";
  });
  CHECK(cli({"check", widened}).code == 0);
  const auto fw = cli({"check", "--fast", widened});
  CAPTURE(fw.out);
  CHECK(fw.code == 1);
  CHECK(fw.out.find("FAILED       result x_at_t[0]: not reproduced exactly by the same build") != std::string::npos);
  // the last hex digit of a margin
  const auto margin = write("margin", [](auto& j) {
    auto& m = j["claims"][0]["margin"];
    m["lo"] = "0";
    m["lo_hex"] = "0x0p+0";
  });
  CHECK(cli({"check", "--fast", margin}).code == 1);
  // The same widened certificate from another build (git, flags): the difference is reported, not
  // a failure, and numbers are compared as in the independent check (implied: exit 0).
  const auto other = write("other_build", [](auto& j) {
    j["certiformer"]["git"] = "0123456789ab";
    j["certiformer"]["flags"] = "-Ofast";
    auto& e = j["results"]["x_at_t"][0];
    e["hi"] = "0.6";
    e["hi_hex"] = "0x1.3333333333333p-1";
  });
  const auto fo = cli({"check", "--fast", other});
  CAPTURE(fo.out);
  CHECK(fo.code == 0);
  CHECK(fo.out.find("build differs: git 0123456789ab (certificate) vs ") != std::string::npos);
  CHECK(fo.out.find("build differs: flags -Ofast (certificate) vs ") != std::string::npos);
  CHECK(fo.out.find("numbers implied by the re-derivation") != std::string::npos);
  const auto jo = test::parse_plain(cli({"check", "--fast", "--json", other}).out);
  CHECK(jo.at("build_differences").size() == 2);
  CHECK(jo.at("numbers") == "implied");
  // a verdict edited from proved to unknown: with the same build it must come out identical
  // (the independent check accepts it: an unknown claims nothing)
  const auto unknown = write("unknown", [](auto& j) { j["claims"][0]["verdict"] = "unknown"; });
  CHECK(cli({"check", unknown}).code == 0);
  const auto fu = cli({"check", "--fast", unknown});
  CAPTURE(fu.out);
  CHECK(fu.code == 1);
  CHECK(fu.out.find("FAILED       claim ok: certificate says unknown, the same build at the same precision: proved") !=
        std::string::npos);
  // --fast with --precision is a usage error
  CHECK(cli({"check", "--fast", "--precision", "113", widened}).code == 64);
}

TEST_CASE("a changed status text FAILS in both modes (gaussian.blowup: blowup -> no_blowup_on_horizon)") {
  ScratchDir dir("status");
  const auto cfg = dir / "blowup.json";
  test::write_text(cfg, R"({"kind": "gaussian.blowup",
    "model": {"dim": 2, "beta": 1, "W": [[0, 0], [0, 0]], "b": [0, 0],
              "heads": [{"V": [[1, 0], [0, 1]], "Q": [[1, 0.5], [0, 1]], "K": [[1, 0], [-0.3, 0.8]]}]},
    "initial": {"mean": [0, 0], "cov": [[1, 0.4], [0.4, 0.65]]}, "horizon": 5})");
  const auto certf = dir / "blowup.cert.json";
  REQUIRE(cli({"run", cfg.string(), "--out", certf.string()}).code == 0);
  auto j = test::parse_plain(test::read_text(certf));
  REQUIRE(j.at("results").at("status") == "blowup");
  CHECK(cli({"check", "--fast", certf.string()}).code == 0);
  j["results"]["status"] = "no_blowup_on_horizon";
  test::write_text(certf, j.dump(2));
  for (const bool fast : {true, false}) {
    CAPTURE(fast);
    const auto c = fast ? cli({"check", "--fast", certf.string()}) : cli({"check", certf.string()});
    CAPTURE(c.out);
    CHECK(c.code == 1);
    CHECK(c.out.find("FAILED       result status: certificate says \"no_blowup_on_horizon\", the re-run \"blowup\"") !=
          std::string::npos);
  }
}

TEST_CASE("tampered unknown claim: a claimed proof that stays unknown is inconclusive, its margin contradicts it (1)") {
  ScratchDir dir("tamper-unknown");
  // x(3) = (1 + 9/2, 3) exactly for the nilpotent system; "<= 11/2" stays unknown at any precision
  // because every enclosure of 11/2 computed this way has positive width around it.
  const auto cfg = dir / "nil.json";
  test::write_text(cfg, R"({"kind": "linear.flow", "A": [[0, 1], [0, 0]], "b": [0, 1], "x0": [1, 0], "t": 3,
                            "claims": [{"id": "edge", "quantity": "x_at_t[0]", "op": "<=", "value": "11/2"}]})");
  const auto certf = dir / "nil.cert.json";
  REQUIRE(cli({"run", cfg.string(), "--out", certf.string()}).code == 2);
  auto j = test::parse_plain(test::read_text(certf));
  REQUIRE(j["claims"][0]["verdict"] == "unknown");
  CHECK(cli({"check", certf.string()}).code == 0);  // unknown claims nothing
  j["claims"][0]["verdict"] = "proved";
  test::write_text(certf, j.dump());
  const auto c = cli({"check", certf.string()});
  CAPTURE(c.out);
  // The claim is re-derived as unknown (inconclusive), and its own margin, which straddles 0,
  // contradicts the edited verdict: FAIL.
  CHECK(c.code == 1);
  CHECK(c.out.find("inconclusive claim edge: certificate says proved, re-run: unknown") != std::string::npos);
  CHECK(c.out.find("FAILED       claim edge margin: the certificate's margin") != std::string::npos);
}

TEST_CASE("CLI basics: --version, list, bad command lines (64)") {
  const auto v = cli({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out.find(std::string("certiformer ") + version_string) == 0);
  const auto l = cli({"list"});
  CHECK(l.code == 0);
  CHECK((l.out.find("linear.flow ") == 0 || l.out.find("\nlinear.flow ") != std::string::npos));
  CHECK(l.out.find("x' = A x + b") != std::string::npos);
  CHECK(cli({"--help"}).code == 0);

  ScratchDir dir("usage");
  const auto f = dir / "r.json";
  test::write_text(f, test::rotation_config());
  CHECK(cli({"bogus"}).code == 64);
  CHECK(cli({"run"}).code == 64);
  CHECK(cli({"check"}).code == 64);
  CHECK(cli({"run", f.string(), "--frobnicate"}).code == 64);
  CHECK(cli({"run", f.string(), "--precision", "20"}).code == 64);
  CHECK(cli({"run", f.string(), "--precision", "abc"}).code == 64);
  CHECK(cli({"run", f.string(), "--precision", "-5"}).code == 64);
  CHECK(cli({"run", f.string(), "--out", "a", "--out-dir", "b"}).code == 64);
  CHECK(cli({"run", f.string(), f.string(), "--out", (dir / "x.json").string()}).code == 64);
  CHECK_FALSE(std::filesystem::exists(dir / "x.json"));
  CHECK(cli({"check", f.string(), "--precision", "52"}).code == 64);
  CHECK(cli({"list", "extra"}).code == 64);
}

TEST_CASE("--json prints the certificate with the same results as --out; --quiet") {
  ScratchDir dir("json");
  const auto f = dir / "r.json";
  test::write_text(f, test::rotation_config(kClaimOk));
  const auto certf = dir / "r.cert.json";
  const auto r = cli({"run", f.string(), "--json", "--out", certf.string()});
  CHECK(r.code == 0);
  const auto printed = test::parse_plain(r.out);  // throws (fails the test) if not valid JSON
  const auto written = test::parse_plain(test::read_text(certf));
  CHECK(printed.at("results") == written.at("results"));
  CHECK(printed.at("claims") == written.at("claims"));
  CHECK(printed.at("input") == written.at("input"));
  CHECK(printed.at("kind") == "linear.flow");
  // Several configs: a JSON array.
  const auto two = cli({"run", f.string(), f.string(), "--json", "--precision", "128"});
  const auto arr = test::parse_plain(two.out);
  REQUIRE(arr.is_array());
  CHECK(arr.size() == 2);
  CHECK(arr.at(0).at("certiformer").at("backend") == "mpfi-128");
  CHECK(arr.at(0).at("results") == arr.at(1).at("results"));
  // --quiet: one summary per config, no result lines.
  const auto q = cli({"run", f.string(), "--quiet"});
  CHECK(q.code == 0);
  CHECK(q.out.find("x_at_t[0] in") == std::string::npos);
  CHECK(q.out.find("=> proved") != std::string::npos);
}

TEST_CASE("the bundled example suite runs green and writes ./certificates/") {
  ScratchDir dir("suite");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());  // no ./examples/configs here: falls back to the source tree
  const auto r = cli({});
  std::filesystem::current_path(cwd);
  CAPTURE(r.out);
  CAPTURE(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("file") != std::string::npos);
  CHECK(r.out.find("key bound") != std::string::npos);
  CHECK(r.out.find("rotation.json") != std::string::npos);
  CHECK(r.out.find("=> all proved") != std::string::npos);
  const auto cert_dir = dir / "certificates";
  CHECK(test::entries(cert_dir) >= 3);
  CHECK(std::filesystem::exists(cert_dir / "rotation.cert.json"));
  // Every linear.flow certificate written checks (other kinds' certificates are checked by
  // their own modules' tests).
  int checked = 0;
  for (const auto& e : std::filesystem::directory_iterator(cert_dir)) {
    if (test::parse_plain(test::read_text(e.path())).at("kind") != "linear.flow") continue;
    CAPTURE(e.path().string());
    CHECK(cli({"check", e.path().string(), "--quiet"}).code == 0);
    ++checked;
  }
  CHECK(checked >= 3);
}
