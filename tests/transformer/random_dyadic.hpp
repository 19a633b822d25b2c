#pragma once
// tests/transformer: exact dyadic random parameters shared by the transformer tests (the same
// draws give the same real numbers for Interval and MpInterval).
#include "certiformer/core.hpp"

#include <cmath>
#include <random>

namespace certiformer::test {

/// Exact dyadic random numbers in [−a, a] on a 2^-10 grid.
inline double dy(std::mt19937_64& g, double a) {
  std::uniform_real_distribution<double> U(-a, a);
  return std::ldexp(std::round(std::ldexp(U(g), 10)), -10);
}
/// An r × c matrix of dy(g, a) entries (column-major draw order).
template <class T> Mat<T> rmat(std::mt19937_64& g, Eigen::Index r, Eigen::Index c, double a) {
  Mat<T> m(r, c);
  for (Eigen::Index j = 0; j < c; ++j)
    for (Eigen::Index i = 0; i < r; ++i) m(i, j) = T(dy(g, a));
  return m;
}

/// A vector of r entries dy(g, a).
template <class T> Vec<T> rvec(std::mt19937_64& g, Eigen::Index r, double a) {
  Vec<T> v(r);
  for (Eigen::Index i = 0; i < r; ++i) v(i) = T(dy(g, a));
  return v;
}

}  // namespace certiformer::test
