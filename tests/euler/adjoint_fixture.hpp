#pragma once
// tests/euler — the small attention model shared by the adjoint tests (adjoint_test.cpp,
// containment_flow_adjoint_layers.cpp, the smooth-control tests): n = 3 tokens in R², two heads (one Q/K/V, one B/V),
// affine FFN, a three-class read-out, three unit tokens for the sphere model; the parameter-name
// lookup and the validated flow loss the difference-quotient oracles use. Exact decimal texts;
// every test computes its own oracle.
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

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
/// Three unit tokens on S¹ (the sphere-model cases).
template <class T> Vec<T> unit_tokens() { return vector_from_text<T>({"0.6", "-0.8", "-0.28", "0.96", "1", "0"}); }
/// The index of the parameter called `name` in a gradient's names (the test fails when absent).
inline long index_of(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j] == name) return static_cast<long>(j);
  FAIL("no parameter " << name);
  return -1;
}
/// J = R(X(1)) of the validated flow at the current precision, box wrapping, the given order
/// and tolerance 2^log2_tol (the run must reach T = 1).
template <class T>
T validated_flow_loss(const transformer::TransformerField<T>& f, const Vec<T>& X0, const transformer::Readout<T>& ro,
                      int order, int log2_tol) {
  ode::TaylorOptions opt;
  opt.order = order;
  opt.tolerance = std::ldexp(1.0, log2_tol);
  opt.wrapping = ode::Wrapping::box;
  const auto r = ode::enclose_flow<T>(f, 0.0, X0, 1.0, opt);
  REQUIRE(r.verdict.is_proved());
  return transformer::enclose_risk<T, T>(ro, r.enclosure);
}
/// The scalar two-layer affine model f = w_i x + b_i on R (piecewise control, breakpoint 1/2:
/// (w1, b1) = (1/2, 1/4), (w2, b2) = (−3/4, 1/2)) and its two-class read-out Γ = (1, −1)ᵀ,
/// label 0 (ℓ(x) = log(1 + e^{−2x})) — the closed-form per-layer cases.
template <class T> std::vector<transformer::Layer<T>> two_affine_layers() {
  transformer::Layer<T> l1, l2;
  l1.W = matrix_from_text<T>({{"0.5"}});
  l1.b = vector_from_text<T>({"0.25"});
  l2.W = matrix_from_text<T>({{"-0.75"}});
  l2.b = vector_from_text<T>({"0.5"});
  return {l1, l2};
}
template <class T> transformer::Readout<T> two_class_readout() {
  return transformer::Readout<T>{matrix_from_text<T>({{"1"}, {"-1"}}), {0}};
}

/// One token in R¹ with one static feature φ = 1/2 (the features-test model): one Q/K/V head on
/// z = (x, φ), Q = (0.3, −0.2), K = (0.1, 0.4), V = (0.5, 0.75), β = 1; the softmax over the one
/// token is 1, so the field is V00 x + V01 φ.
template <class T> transformer::Layer<T> feature_layer() {
  transformer::Layer<T> l;
  l.beta = from_text<T>("1");
  transformer::Head<T> h;
  h.Q = matrix_from_text<T>({{"0.3", "-0.2"}});
  h.K = matrix_from_text<T>({{"0.1", "0.4"}});
  h.V = matrix_from_text<T>({{"0.5", "0.75"}});
  l.heads = {h};
  return l;
}
template <class T> transformer::TransformerField<T> feature_token_field(const transformer::Layer<T>& l) {
  return transformer::TransformerField<T>(1, 1, transformer::Control<T>::constant(l), false, matrix_from_text<T>({{"0.5"}}));
}

/// A smooth control's basis function (kind; exponent e of t^e; ω of sin ωt, cos ωt as exact text).
template <class T>
transformer::Basis<T> basis(typename transformer::Basis<T>::Kind k, int exponent = 0, const char* omega = "1") {
  transformer::Basis<T> b;
  b.kind = k;
  b.exponent = exponent;
  b.omega = from_text<T>(omega);
  return b;
}
/// θ(t) = θ_0 + t θ_1 + cos(3t) θ_2 with three different attention layers (β > 0 in each).
template <class T> transformer::Control<T> smooth_control() {
  transformer::Layer<T> a = attention_layer<T>(), b = attention_layer<T>(), c = attention_layer<T>();
  b.beta = from_text<T>("0.5");
  b.W = matrix_from_text<T>({{"0.1", "-0.3"}, {"0.2", "0.05"}});
  b.heads[0].Q = matrix_from_text<T>({{"0.2", "-0.3"}, {"0.1", "0.5"}});
  c.beta = from_text<T>("0.25");
  c.b = vector_from_text<T>({"-0.2", "0.15"});
  c.heads[1].B = matrix_from_text<T>({{"-0.1", "0.2"}, {"0.05", "0.3"}});
  using B = transformer::Basis<T>;
  return transformer::Control<T>::smooth({basis<T>(B::one), basis<T>(B::power, 1), basis<T>(B::cosine, 0, "3")}, {a, b, c});
}
}  // namespace certiformer::test
