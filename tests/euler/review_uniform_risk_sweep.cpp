// Review regression (session 7, uniform risk bound, P2 metric entropy): `certiformer sweep` must not
// report a uniform_risk_bound claim as proved for the whole box when the cover splits the box.
// Each sub-box run certifies "with probability >= 1 - delta, for every theta in THAT sub-box, for
// samples whose tokens lie in THAT sub-box's token box"; the union over k sub-boxes is at best a
// statement at level 1 - k*delta, and when a token coordinate is split the sub-certificates assume
// a population inside each half of the token box, so none of them applies to a population spread
// over the whole token box. Here the single run on the whole box certifies 0.000426; the sweep
// "proves" <= 0.00015 on 32 sub-boxes that split beta, W[0][0] AND /tokens/0/0.
// Expected after a fix: the sweep refuses (or leaves unknown) claims on uniform_risk_bound, or the
// kind does not split the token box and divides delta by the number of sub-boxes.
// Suite "long" (not default): this test FAILS on the reviewed branch (it demonstrates the finding).
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
  const auto j = sweep::run_sweep(config_from_text(text), so);
  REQUIRE(j.has_value());
  MESSAGE("sweep status " << j->at("status") << ", " << j->at("summary").at("boxes") << " sub-boxes");
  // the finding: the sweep reports "proved" although no run certified the claim at level 1 - delta
  // for the whole box (and the token box was split)
  CHECK(j->at("status") != "proved");
}
