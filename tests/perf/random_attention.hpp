#pragma once
// tests/perf — the seeded random attention model and tokens shared by the attention benchmarks
// (tests/perf/ode/bench_attention.cpp, tests/perf/euler/bench_euler.cpp): exact dyadic
// parameters on a 2^-12 grid, β = 1, H heads Q, K ∈ R^{d_k×d} (scale 1/√d), V (scale 1/(H√d)),
// optionally an affine FFN W (scale 1/(2√d)), b (scale 1/2); the same draws for the same seed.
#include "certiformer/transformer.hpp"

#include <cmath>
#include <cstdint>
#include <random>

namespace perf_models {

using certiformer::Interval;
using certiformer::Mat;
using certiformer::Vec;

inline double dy(std::mt19937_64& g, double a) {
  std::uniform_real_distribution<double> U(-a, a);
  return std::ldexp(std::round(std::ldexp(U(g), 12)), -12);  // exact dyadic parameters
}
inline Mat<Interval> rmat(std::mt19937_64& g, Eigen::Index r, Eigen::Index c, double a) {
  Mat<Interval> m(r, c);
  for (Eigen::Index j = 0; j < c; ++j)
    for (Eigen::Index i = 0; i < r; ++i) m(i, j) = Interval(dy(g, a));
  return m;
}
inline certiformer::transformer::TransformerField<Interval> random_attention_field(std::uint64_t seed, Eigen::Index n,
                                                                                  Eigen::Index d, int H, Eigen::Index dk,
                                                                                  bool ffn) {
  using namespace certiformer::transformer;
  auto g = std::mt19937_64(seed);
  Layer<Interval> l;
  l.beta = Interval(1);
  const double s = 1.0 / std::sqrt(static_cast<double>(d));
  for (int h = 0; h < H; ++h) {
    Head<Interval> hd;
    hd.Q = rmat(g, dk, d, s);
    hd.K = rmat(g, dk, d, s);
    hd.V = rmat(g, d, d, s / H);
    l.heads.push_back(hd);
  }
  if (ffn) {
    l.W = rmat(g, d, d, 0.5 * s);
    l.b = Vec<Interval>(rmat(g, d, 1, 0.5));
  }
  return TransformerField<Interval>(n, d, Control<Interval>::constant(l));
}
inline Vec<Interval> random_tokens(std::uint64_t seed, Eigen::Index N) {
  auto g = std::mt19937_64(seed);
  Vec<Interval> x(N);
  for (Eigen::Index i = 0; i < N; ++i) x(i) = Interval(dy(g, 1.0));
  return x;
}

}  // namespace perf_models
