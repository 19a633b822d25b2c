#pragma once
// tests/gradflow/gradflow_test_util.hpp — input builders and double views shared by the gradflow tests.
#include "certiformer/gradflow.hpp"

namespace certiformer::gradflow::test {

template <class T> double dwid(const T& x) { return approx_double(wid(x)); }
template <class T> double dsup(const T& x) { return approx_double(sup(x)); }
template <class T> double dmid(const T& x) { return approx_double(mid(x)); }
/// 2 × 2 symmetric matrix [[a, b], [b, c]] from exact text.
template <class T> Mat<T> mat2(const char* a, const char* b, const char* c) {
  Mat<T> m(2, 2);
  m(0, 0) = from_text<T>(a); m(0, 1) = from_text<T>(b); m(1, 0) = from_text<T>(b); m(1, 1) = from_text<T>(c);
  return m;
}
/// n tokens on the unit circle at angles θ_k = θ0 + k·Δ (exact text; cos/sin enclosed).
template <class T> Vec<T> circle_tokens(int n, const char* theta0, const char* delta) {
  return gradflow::circle_tokens<T>(n, from_text<T>(theta0), from_text<T>(delta));
}

}  // namespace certiformer::gradflow::test
