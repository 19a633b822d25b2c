#pragma once
// proofs/bellman/toy_models.hpp — the small P1 instances shared by the bellman proof programs
// and the tests in tests/bellman (which check the proofs' instances against oracles).
//
// The scalar instance (docs/bellman.md, the examples bellman_gate_1d.json and
// sweep/bellman_gap_w_gate.json): d = 1, one head B = V = 1 with temperature β, affine FFN
// W x + b, read-out Γ = (1, −1)ᵀ, the attention gate as the only control on [0, 1] with `grid`
// equally spaced points, N layers of step ε, state grid spacing δ, q_P with `atoms` atoms
// (0: keep all n tokens). Every number is exact text, enclosed outward in T.
#include "certiformer/bellman.hpp"

#include <string>
#include <vector>

namespace certiformer::bellman::toy {

struct ScalarToy {
  std::string beta = "1";
  std::string W = "-0.45";
  std::string b = "0.113";
  std::string epsilon = "1/4";
  int layers = 2;
  std::vector<std::string> tokens = {"0.313", "-0.524", "0.071"};
  std::vector<int> labels = {0, 1, 0};
  int grid = 3;
  std::string spacing = "0.05";
  int atoms = 0;
};

template <class T> LiftedModel<T> scalar_model(const ScalarToy& o) {
  LiftedModel<T> m;
  m.dim = 1;
  transformer::Head<T> h;
  h.B = transformer::matrix_from_text<T>({{"1"}});
  h.V = transformer::matrix_from_text<T>({{"1"}});
  m.layer.beta = from_text<T>(o.beta);
  m.layer.heads.push_back(h);
  m.layer.W = transformer::matrix_from_text<T>({{o.W}});
  m.layer.b = transformer::vector_from_text<T>({o.b});
  m.epsilon = from_text<T>(o.epsilon);
  m.layers = o.layers;
  m.tokens = Mat<T>(static_cast<Eigen::Index>(o.tokens.size()), 1);
  for (std::size_t i = 0; i < o.tokens.size(); ++i) m.tokens(static_cast<Eigen::Index>(i), 0) = from_text<T>(o.tokens[i]);
  m.labels = o.labels;
  m.readout = transformer::matrix_from_text<T>({{"1"}, {"-1"}});
  m.controls = {Gate::attention};
  m.action_lo = transformer::vector_from_text<T>({"0"});
  m.action_hi = transformer::vector_from_text<T>({"1"});
  m.action_grid = {o.grid};
  m.state_spacing = from_text<T>(o.spacing);
  m.measure_atoms = o.atoms;
  return m;
}

/// The attention part of the d = 2 instances (bellman_exhaustive_2d, bellman_gap_weights): a
/// model with dim = 2 and one head B = I, V = I/2 at temperature β = 1/2; the caller sets the
/// FFN, tokens, read-out, controls and grids.
template <class T> LiftedModel<T> planar_attention() {
  LiftedModel<T> m;
  m.dim = 2;
  transformer::Head<T> h;
  h.B = transformer::matrix_from_text<T>({{"1", "0"}, {"0", "1"}});
  h.V = transformer::matrix_from_text<T>({{"1/2", "0"}, {"0", "1/2"}});
  m.layer.beta = from_text<T>("1/2");
  m.layer.heads.push_back(h);
  return m;
}

}  // namespace certiformer::bellman::toy
