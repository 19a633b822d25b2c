// The config kinds gaussian.blowup / .moments / .classify / .reach: the bundled examples run
// and prove their claims, and bad configs are refused with the JSON path of the offending field.
// The kinds are built-in (registry.cpp lists them); `ensure_registered` also makes the test
// usable against a library that does not list them yet.
#include <doctest/doctest.h>

#include "certiformer/cert/registry.hpp"
#include "gaussian_test_util.hpp"

#include <filesystem>

namespace certiformer::cert {
KindInfo gaussian_blowup_kind();
KindInfo gaussian_moments_kind();
KindInfo gaussian_classify_kind();
KindInfo gaussian_reach_kind();
}  // namespace certiformer::cert

using namespace certiformer;
using namespace certiformer::cert;

namespace {

void ensure_registered() {
  static bool done = false;
  if (done) return;
  for (auto k : {gaussian_blowup_kind(), gaussian_moments_kind(), gaussian_classify_kind(), gaussian_reach_kind()})
    if (!find_kind(k.name)) register_kind(std::move(k));
  done = true;
}

std::string text_result(const Certificate& c, const std::string& name) {
  for (const auto& [n, v] : c.results)
    if (n == name)
      if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return "";
}
bool has_result(const Certificate& c, const std::string& name) {
  for (const auto& r : c.results)
    if (r.first == name) return true;
  return false;
}

/// Runs a config text and returns the ConfigError JSON path ("" if no error).
std::string error_path(const std::string& text) {
  try {
    run_config(config_from_text(text));
  } catch (const ConfigError& e) {
    return e.json_path;
  }
  return "";
}

const std::string kModel2 =
    R"("model": {"dim": 2, "heads": [{"V": [[1, 0], [0, 1]], "B": [[1, 0.5], [-0.3, 0.8]]}]})";

}  // namespace

TEST_CASE("bundled gaussian examples: every claim proved, at 53 bits and at the check precision") {
  ensure_registered();
  const std::filesystem::path dir = GAUSSIAN_EXAMPLES_DIR;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("gaussian_", 0) != 0 || e.path().extension() != ".json") continue;
    ++n;
    INFO(name);
    const Certificate c = run_config_file(e.path());
    CHECK(c.status() == Status::proved);
    for (const auto& cl : c.claims) {
      INFO(cl.id, ": ", cl.reason);
      CHECK(cl.verdict == Status::proved);
    }
    // re-derivation at the doubled precision reproduces every result (the `check` contract)
    const Json j = c.to_json();
    const ConfigNode root = config_from_text(j.dump(), name);
    const auto report = check_certificate(root);
    for (const auto& line : report.lines) {
      INFO(line.subject, ": ", line.detail);
      CHECK(line.outcome == CheckOutcome::reproduced);
    }
  }
  CHECK(n >= 5);
}

TEST_CASE("gaussian.blowup results follow docs/gaussian.md") {
  ensure_registered();
  const auto c = run_config(config_from_text(R"({"kind": "gaussian.blowup", )" + kModel2 +
                                              R"(, "initial": {"cov": [[1, 0.4], [0.4, 0.65]]}, "horizon": 5})"));
  CHECK(text_result(c, "status") == "blowup");
  CHECK(has_result(c, "blowup_time"));
  const auto c2 = run_config(config_from_text(R"({"kind": "gaussian.blowup", )" + kModel2 +
                                               R"(, "initial": {"cov": [[1, 0.4], [0.4, 0.65]]}, "horizon": 0.1})"));
  CHECK(text_result(c2, "status") == "no_blowup_on_horizon");
  CHECK(has_result(c2, "cov_at_horizon"));
  const auto c3 = run_config(config_from_text(
      R"({"kind": "gaussian.blowup", "model": {"dim": 2, "heads": [{"V": [[1, 0], [0, 2]], "B": [[1, 0.5], [-0.3, 0.8]]}]},
          "initial": {"cov": [[1, 0.4], [0.4, 0.65]]}, "horizon": 5})"));
  CHECK(text_result(c3, "status") == "blowup");  // general V: two-sided (compactification at infinity)
  CHECK(has_result(c3, "blowup_time"));
}

TEST_CASE("gaussian.reach with piecewise controls: exact reachability of a rank-deficient target") {
  ensure_registered();
  const auto c = run_config(config_from_text(
      R"({"kind": "gaussian.reach", "dim": 2, "initial": {"mean": [1, 0], "cov": [[1, 2], [2, 4]]},
          "target": {"mean": [-1, 2], "cov": [[0, 0], [0, 3]]}, "horizon": 1, "controls": "piecewise"})"));
  CHECK(c.status() == Status::proved);
  CHECK(has_result(c, "pieces"));
  CHECK(has_result(c, "W_piece0"));
  CHECK(has_result(c, "b"));
  for (const auto& cl : c.claims) CHECK(cl.id == "reach-exact");
  // the constant-control method still refuses singular covariances
  CHECK(error_path(R"({"kind": "gaussian.reach", "dim": 2, "initial": {"mean": [1, 0], "cov": [[1, 2], [2, 4]]},
          "target": {"mean": [-1, 2], "cov": [[0, 0], [0, 3]]}, "horizon": 1, "delta": 0.1})") == "/initial/cov");
  CHECK(error_path(R"({"kind": "gaussian.reach", "dim": 2, "initial": {"mean": [1, 0], "cov": [[1, 2], [2, 4]]},
          "target": {"mean": [-1, 2], "cov": [[1, 0], [0, 3]]}, "horizon": 1, "controls": "piecewise"})") == "/target/cov");
  CHECK(error_path(R"({"kind": "gaussian.reach", "dim": 2, "initial": {"mean": [1, 0], "cov": [[1, 2], [2, 4]]},
          "target": {"mean": [-1, 2], "cov": [[0, 0], [0, 3]]}, "horizon": 1, "controls": "smooth"})") == "/controls");
}

TEST_CASE("bad gaussian configs name the JSON path") {
  ensure_registered();
  const std::string head = R"({"kind": "gaussian.blowup", )" + kModel2 + ", ";
  CHECK(error_path(head + R"("initial": {"cov": [[1, 0.4], [0.5, 0.65]]}, "horizon": 5})") == "/initial/cov");
  CHECK(error_path(head + R"("initial": {"cov": [[1, 2], [2, 1]]}, "horizon": 5})") == "/initial/cov");
  CHECK(error_path(head + R"("initial": {"cov": [[1, 0.4, 0], [0.4, 0.65, 0]]}, "horizon": 5})").rfind("/initial/cov", 0) == 0);
  CHECK(error_path(head + R"("initial": {"mean": [0], "cov": [[1, 0.4], [0.4, 0.65]]}, "horizon": 5})") == "/initial/mean");
  CHECK(error_path(head + R"("initial": {"cov": [[1, 0.4], [0.4, 0.65]]}, "horizon": 0})") == "/horizon");
  CHECK(error_path(head + R"("initial": {"cov": [[1, 0.4], [0.4, 0.65]]}, "horizon": -1})") == "/horizon");
  CHECK(error_path(R"({"kind": "gaussian.blowup", "model": {"dim": 2, "W": [[1, 0]]},
                       "initial": {"cov": [[1, 0], [0, 1]]}, "horizon": 1})") == "/model/W");
  CHECK(error_path(R"({"kind": "gaussian.blowup", "model": {"dim": 2, "heads": [{"V": [[1, 0], [0, 1]]}]},
                       "initial": {"cov": [[1, 0], [0, 1]]}, "horizon": 1})") == "/model/heads/0");
  const std::string reach = R"({"kind": "gaussian.reach", "dim": 2, "initial": {"cov": [[1, 0], [0, 1]]}, "horizon": 1,
                                "delta": 1e-6, "target": {"cov": )";
  CHECK(error_path(reach + R"([[1, 1], [1, 1]]}})") == "/target/cov");  // rank mismatch
  CHECK(error_path(reach + R"([[1, 0.1], [0, 1]]}})") == "/target/cov");  // not symmetric
  CHECK(error_path(R"({"kind": "gaussian.reach", "dim": 2, "initial": {"cov": [[1, 0], [0, 1]]}, "horizon": 1,
                       "delta": 0, "target": {"cov": [[1, 0], [0, 1]]}})") == "/delta");
  CHECK(error_path(R"({"kind": "gaussian.moments", )" + kModel2 +
                   R"(, "initial": {"cov": [[1, 0], [0, 1]]}, "horizon": 1, "layers": [0]})") == "/layers/0");
}
