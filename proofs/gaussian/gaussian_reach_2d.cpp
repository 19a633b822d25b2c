// Proof gaussian_reach_2d (source: P3, arXiv 2606.07600; docs/mathematics.md §3 "Reachability").
//
// Theorem instance. From N(m0, Sigma0), m0 = (0, 0), Sigma0 = [[1, 3/10], [3/10, 1/2]], the target
// N(m1, Sigma1), m1 = (1, -1), Sigma1 = [[2, -2/5], [-2/5, 1]], is reached at T = 1 within
// delta = 1e-60 by the mean-field flow with attention switched off and the constant FFN controls
// W = log(G)/T (G the Monge map Sigma1^{1/2}(Sigma1^{1/2} Sigma0 Sigma1^{1/2})^{-1/2} Sigma1^{1/2}) and a
// constant bias b, both computed at 256 bits and then treated as exact data:
// ||m(T) - m1||_2 <= delta and ||Sigma(T) - Sigma1||_2 <= delta.
// Hypotheses: none beyond the exact inputs and the library's inclusion principle (equal rank:
// both covariances are checked positive definite exactly).
// Method: certify_reach: verified exponential of [[W, I], [0, 0]] T, Sigma(T) = F11 Sigma0 F11^T,
// m(T) = F11 m0 + F12 b, spectral / Euclidean norm upper bounds; 256 bits.
// Decision: the verdict of certify_reach (both bounds <= delta). Exit 0 / 2 / 1.
// Expected run time: < 0.2 s.
#include "certiformer/gaussian.hpp"

#include <iostream>

using namespace certiformer;
using namespace certiformer::gaussian;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  GaussianSpec g0{RMatrix::column_from_text({"0", "0"}), RMatrix::from_text({{"1", "0.3"}, {"0.3", "0.5"}})};
  GaussianSpec g1{RMatrix::column_from_text({"1", "-1"}), RMatrix::from_text({{"2", "-0.4"}, {"-0.4", "1"}})};
  const auto r = certify_reach<T>(g0, g1, parse_exact("1"), parse_exact("1e-60"));
  std::cout << "verdict: " << to_string(r.verdict.status()) << " (" << r.verdict.reason() << ")\n";
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) std::cout << "W[" << i << "][" << j << "] = " << r.W(i, j) << "\n";
  for (int i = 0; i < 2; ++i) std::cout << "b[" << i << "] = " << r.b(i) << "\n";
  std::cout << "||Sigma(T) - Sigma1|| <= " << decimal_up(r.cov_error) << "\n|m(T) - m1| <= " << decimal_up(r.mean_error) << "\n";
  if (r.verdict.is_proved()) {
    std::cout << "PROVED\n";
    return 0;
  }
  if (r.verdict.is_refuted()) {
    std::cout << "REFUTED\n";
    return 1;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
