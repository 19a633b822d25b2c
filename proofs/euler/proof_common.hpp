#pragma once
// proofs/euler — the n = 8, d = 4 attention model of examples/configs/euler_attention.json
// (β = 1, two Q/K/V heads with d_k = 2, affine FFN W x + b, constant control), its initial
// tokens and its cross-entropy read-out, from exact decimal text. Shared by euler_attention_order
// and euler_not_stationary (one statement per program; the inputs are the same).
#include "certiformer/euler.hpp"

namespace euler_proof {

using namespace certiformer;
using namespace certiformer::transformer;

inline Layer<Interval> attention_layer() {
  Layer<Interval> layer;
  layer.beta = from_text<Interval>("1");
  Head<Interval> h0;
  h0.Q = matrix_from_text<Interval>({{"-0.26", "-0.40", "-0.10", "-0.35"}, {"-0.43", "-0.10", "0.42", "0.30"}});
  h0.K = matrix_from_text<Interval>({{"0.27", "-0.28", "0.04", "-0.22"}, {"-0.33", "-0.39", "-0.29", "0.43"}});
  h0.V = matrix_from_text<Interval>({{"0.26", "0.25", "0.24", "-0.25"}, {"-0.15", "0.10", "0.19", "0.28"}, {"0.30", "-0.33", "0.08", "0.14"}, {"0.00", "-0.26", "-0.02", "-0.33"}});
  layer.heads.push_back(h0);
  Head<Interval> h1;
  h1.Q = matrix_from_text<Interval>({{"0.43", "0.37", "0.05", "-0.20"}, {"0.41", "0.07", "0.38", "0.35"}});
  h1.K = matrix_from_text<Interval>({{"0.01", "-0.09", "0.10", "-0.07"}, {"-0.34", "-0.19", "0.31", "-0.46"}});
  h1.V = matrix_from_text<Interval>({{"-0.36", "0.10", "-0.18", "0.03"}, {"-0.02", "-0.13", "0.40", "-0.24"}, {"-0.07", "-0.24", "0.11", "-0.18"}, {"-0.12", "0.20", "-0.14", "0.05"}});
  layer.heads.push_back(h1);
  layer.W = matrix_from_text<Interval>({{"0.24", "-0.24", "-0.26", "-0.16"}, {"0.16", "0.07", "-0.16", "-0.10"}, {"-0.19", "-0.02", "-0.27", "0.12"}, {"0.24", "0.27", "0.14", "0.28"}});
  layer.b = vector_from_text<Interval>({"-0.19", "-0.08", "0.19", "0.11"});
  return layer;
}

inline Vec<Interval> attention_tokens() {
  return vector_from_text<Interval>({"-0.18", "0.89", "0.24", "0.64", "-0.41", "-0.62", "-0.11", "-0.73", "-0.24", "0.92", "-0.34", "-0.98", "-0.91", "-0.66", "0.57", "-0.27", "-0.42", "-0.81", "0.96", "-0.15", "-0.58", "-0.88", "-0.89", "-0.66", "0.35", "-0.70", "-0.92", "-0.02", "-0.50", "1.00", "-0.76", "0.06"});
}

inline Readout<Interval> attention_readout() {
  return Readout<Interval>{matrix_from_text<Interval>({{"0.55", "-0.18", "0.98", "-0.04"}, {"-0.52", "-0.18", "-0.93", "-0.16"}, {"-0.50", "0.78", "0.66", "-0.00"}}), {0, 1, 2, 0, 1, 2, 0, 1}};
}

/// The "model" member (JSON text) of the n = 4, d = 2 control-box instance shared by
/// euler_error_uniform_control_box and euler_uniform_risk_box (examples/configs/sweep/
/// euler_error_control_box.json, examples/configs/euler_uniform_risk.json): one Q/K/V head, affine
/// FFN W x + b, β ∈ [0.95, 1.05], W[0][0] ∈ [−0.55, −0.45], W[1][1] ∈ [−0.35, −0.25].
inline const char* const kControlBoxModel = R"("model": {"dim": 2, "beta": "[0.95, 1.05]",
      "heads": [{"Q": [["0.8", "-0.2"], ["0.3", "0.5"]],
                 "K": [["0.4", "0.1"], ["-0.6", "0.9"]],
                 "V": [["0.5", "-0.25"], ["0.125", "0.75"]]}],
      "W": [["[-0.55, -0.45]", "0.25"], ["0.1", "[-0.35, -0.25]"]],
      "b": ["0.05", "-0.1"]},)";

}  // namespace euler_proof
