// Review regression (session 7, uniform risk bound, P2 metric entropy): `certiformer sweep` must not
// report a uniform_risk_bound claim as proved for the whole box when the cover splits the box.
// Each sub-box run certifies "with probability >= 1 - delta, for every theta in THAT sub-box, for
// samples whose tokens lie in THAT sub-box's token box"; the union over k sub-boxes is at best a
// statement at level 1 - k*delta, and when a token coordinate is split the sub-certificates assume
// a population inside each half of the token box, so none of them applies to a population spread
// over the whole token box. Here the single run on the whole box certifies 0.000426; the sweep
// "proves" <= 0.00015 on 32 sub-boxes that split beta, W[0][0] AND /tokens/0/0.
// Fixed: the sweep refuses claims on the box-level results (KindInfo::box_level_results of euler.error) with a
// ConfigError at the claim's quantity (exit 65); without the fix the sweep reported "proved".
#include "certiformer/cert.hpp"
#include "certiformer/sweep.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace certiformer;
using namespace certiformer::cert;

TEST_CASE("review: sweep does not prove a uniform_risk_bound claim on a cover that splits the box") {
  const std::string text = R"({
    "kind": "euler.error",
    "model": {"dim": 2, "beta": "[0.99, 1.01]",
      "heads": [{"Q": [["0.8", "-0.2"], ["0.3", "0.5"]],
                 "K": [["0.4", "0.1"], ["-0.6", "0.9"]],
                 "V": [["0.5", "-0.25"], ["0.125", "0.75"]]}],
      "W": [["[-0.51, -0.49]", "0.25"], ["0.1", "-0.3"]],
      "b": ["0.05", "-0.1"]},
    "tokens": [["[0.996, 1.004]", "0"], ["-0.5", "0.75"], ["0.25", "-1"], ["0.1", "0.2"]],
    "horizon": 1, "depths": [8, 16], "wrapping": "qr",
    "readout": {"Gamma": [["1", "0.5"], ["-0.5", "1"], ["0.2", "-1"]], "labels": [0, 2, 1, 0],
                "samples": 100000, "delta": "0.05", "flow_gradient": "none", "lipschitz_splits": 1},
    "claims": [{"id": "u", "quantity": "uniform_risk_bound", "op": "<=", "value": "0.00015"}]
  })";
  // the single run on the whole box does not prove the claim (0.000426 > 0.00015)
  const Certificate whole = run_config(config_from_text(text));
  bool u_proved_whole = false;
  for (const auto& cl : whole.claims)
    if (cl.id == "u") u_proved_whole = cl.verdict == Status::proved;
  CHECK_FALSE(u_proved_whole);
  sweep::SweepOptions so;
  so.max_boxes = 120;
  so.threads = 1;
  try {
    (void)sweep::run_sweep(config_from_text(text), so);
    FAIL("the sweep accepted a claim on uniform_risk_bound");
  } catch (const ConfigError& e) {
    CHECK(e.json_path == "/claims/0/quantity");
    CHECK(std::string(e.what()).find("property of a whole box") != std::string::npos);
  }
  // the other box-level results too, with a key suffix; a pointwise quantity is still accepted
  for (const char* q : {"covering_radius", "covering_log_number", "parameter_lipschitz", "uniform_risk_loss_range"}) {
    std::string t = text;
    t.replace(t.find("\"uniform_risk_bound\""), std::string("\"uniform_risk_bound\"").size(), std::string("\"") + q + "\"");
    CHECK_THROWS_AS(sweep::find_coordinates(config_from_text(t)), ConfigError);
  }
  std::string pointwise = text;
  pointwise.replace(pointwise.find("\"uniform_risk_bound\""), std::string("\"uniform_risk_bound\"").size(),
                    "\"loss_by_depth[16]\"");
  CHECK(sweep::find_coordinates(config_from_text(pointwise)).size() == 3);
}
