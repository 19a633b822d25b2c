#pragma once
// tests/bellman/plain_toy.hpp — the scalar P1 instance of proofs/bellman/toy_models.hpp
// (d = 1, one head B = V = 1, β = 1, FFN W x + b, Γ = (1, −1)ᵀ) in plain double, written
// independently of the library's field code: the brute-force oracles of the bellman tests.
#include <algorithm>
#include <cmath>
#include <vector>

namespace certiformer::test {

struct PlainToy {
  double eps = 0.25, W = -0.45, b = 0.113;
  std::vector<int> y{0, 1, 0};
  /// One gated layer x_i ← x_i + ε (g Attn_i(x) + W x_i + b).
  std::vector<double> step(const std::vector<double>& x, double g) const {
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      double mx = -1e300;
      for (double xj : x) mx = std::max(mx, x[i] * xj);
      double z = 0, s = 0;
      for (double xj : x) {
        const double w = std::exp(x[i] * xj - mx);
        z += w;
        s += w * xj;
      }
      out[i] = x[i] + eps * (g * s / z + W * x[i] + b);
    }
    return out;
  }
  /// The terminal cost (1/n) Σ ℓ(x_i, y_i), ℓ the cross-entropy of the logits (x, −x).
  double cost(const std::vector<double>& x) const {
    double c = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double z0 = x[i], z1 = -x[i];
      const double mx = std::max(z0, z1);
      const double lse = mx + std::log(std::exp(z0 - mx) + std::exp(z1 - mx));
      c += lse - (y[i] == 0 ? z0 : z1);
    }
    return c / static_cast<double>(x.size());
  }
};

}  // namespace certiformer::test
