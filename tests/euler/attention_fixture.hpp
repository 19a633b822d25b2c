#pragma once
// tests/euler/attention_fixture.hpp — the small attention model shared by the euler tests:
// n = 4 tokens, d = 2, two heads (Q, K, V; one head with d_k = 1) and an affine FFN, every
// number exact text (so the same model at every precision).
#include "certiformer/transformer.hpp"

namespace certiformer::test {

template <class T> transformer::TransformerField<T> attention_field(bool sphere = false) {
  using namespace certiformer::transformer;
  Layer<T> l;
  l.beta = from_text<T>("1");
  Head<T> h1, h2;
  h1.Q = matrix_from_text<T>({{"0.5", "0.1"}, {"-0.2", "0.4"}});
  h1.K = matrix_from_text<T>({{"0.3", "-0.1"}, {"0.2", "0.6"}});
  h1.V = matrix_from_text<T>({{"0.4", "0.2"}, {"-0.3", "0.1"}});
  h2.Q = matrix_from_text<T>({{"-0.3", "0.2"}});
  h2.K = matrix_from_text<T>({{"0.5", "0.5"}});
  h2.V = matrix_from_text<T>({{"0.1", "-0.2"}, {"0.25", "0.3"}});
  l.heads = {h1, h2};
  l.W = matrix_from_text<T>({{"-0.2", "0.3"}, {"-0.1", "-0.25"}});
  l.b = vector_from_text<T>({"0.1", "-0.05"});
  return TransformerField<T>(4, 2, Control<T>::constant(l), sphere);
}

}  // namespace certiformer::test
