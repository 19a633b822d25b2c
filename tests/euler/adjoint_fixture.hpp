#pragma once
// tests/euler — the small attention model shared by the adjoint tests (adjoint_test.cpp,
// containment_flow_adjoint_layers.cpp): n = 3 tokens in R², two heads (one Q/K/V, one B/V),
// affine FFN, a three-class read-out. Exact decimal texts; every test computes its own oracle.
#include "certiformer/transformer.hpp"

namespace certiformer::test {
using transformer::matrix_from_text;
using transformer::vector_from_text;

template <class T> transformer::Layer<T> attention_layer() {
  transformer::Layer<T> l;
  l.beta = from_text<T>("1");
  transformer::Head<T> h1;
  h1.Q = matrix_from_text<T>({{"0.5", "0.1"}, {"-0.2", "0.4"}});
  h1.K = matrix_from_text<T>({{"0.3", "-0.1"}, {"0.2", "0.6"}});
  h1.V = matrix_from_text<T>({{"0.4", "0.2"}, {"-0.3", "0.1"}});
  transformer::Head<T> h2;
  h2.B = matrix_from_text<T>({{"0.2", "-0.1"}, {"0.3", "0.1"}});
  h2.V = matrix_from_text<T>({{"0.1", "-0.2"}, {"0.25", "0.3"}});
  l.heads = {h1, h2};
  l.W = matrix_from_text<T>({{"-0.2", "0.3"}, {"-0.1", "-0.25"}});
  l.b = vector_from_text<T>({"0.1", "-0.05"});
  return l;
}
template <class T> Vec<T> tokens() { return vector_from_text<T>({"0.5", "-0.3", "-0.4", "0.7", "0.9", "0.2"}); }
template <class T> transformer::Readout<T> readout() {
  return transformer::Readout<T>{matrix_from_text<T>({{"1", "0.5"}, {"-0.5", "1"}, {"0.2", "-1"}}), {0, 2, 1}};
}

}  // namespace certiformer::test
