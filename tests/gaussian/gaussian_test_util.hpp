#pragma once
// Helpers for the Gaussian-module tests: exact scalar / 2-D models from text.
#include "certiformer/gaussian.hpp"
#include "test_support.hpp"

#include <string>
#include <vector>

namespace certiformer::gaussian::test {

using Text = std::vector<std::vector<std::string>>;

/// d = 1, W = w, β = 1, one head with V = 1, B = c (so c = β v b), Σ0 = σ0.
inline ModelSpec scalar_model(const std::string& w, const std::string& c) {
  ModelSpec m;
  m.dim = 1;
  m.beta = 1;
  m.W = RMatrix::from_text({{w}});
  m.heads.push_back({RMatrix::from_text({{"1"}}), RMatrix::from_text({{c}})});
  return m;
}
inline GaussianSpec make_gaussian(const Text& cov, std::vector<std::string> mean = {}) {
  GaussianSpec g;
  if (mean.empty()) mean.assign(cov.size(), "0");
  g.mean = RMatrix::column_from_text(mean);
  g.cov = RMatrix::from_text(cov);
  return g;
}
inline GaussianSpec scalar_gaussian(const std::string& s0) { return make_gaussian({{s0}}); }

}  // namespace certiformer::gaussian::test
