// Proof gaussian_reach_rank_deficient (source: P3, arXiv 2606.07600: "exact finite-time
// reachability of any target Gaussian whose covariance has the rank of the initial one, with
// time-varying controls"; method: docs/gaussian.md §6).
//
// Theorem instance. d = 3, attention switched off, FFN x -> W(t) x + b(t) piecewise constant on
// [0, 1]. Initial N(m0, Sigma0) with Sigma0 = v v^T + w w^T, v = (1, 0, 1), w = (0, 1, -1) (rank 2);
// target N(m1, Sigma1) with Sigma1 = [[2, 1, 0], [1, 1, 0], [0, 0, 0]] (rank 2), m0 = 0,
// m1 = (1, 2, 3).
// We prove: the piecewise-constant controls returned by certify_reach_exact (nilpotent rational
// pieces W = N/h, a diagonal scaling piece W = diag(ln sigma_i)/h, a translation) steer
// (m0, Sigma0) EXACTLY to (m1, Sigma1) at T = 1.
// Hypotheses: none beyond the exact inputs. The exact identities are checked in rational
// arithmetic (N^3 = 0 for every nilpotent piece, B Sigma0 B^T diagonal, sigma_i^2 Y_ii = D1_ii,
// A D1 A^T = Sigma1); as an independent cross-check the flow of the enclosed controls is enclosed by
// verified matrix exponentials at 256 bits and must contain (m1, Sigma1).
// Decision: verdict proved AND cross-check contains the target -> exit 0; cross-check misses
// the target -> exit 1 (refuted); otherwise exit 2.
// Expected run time: < 0.1 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  const GaussianSpec g0{RMatrix::column_from_text({"0", "0", "0"}),
                        RMatrix::from_text({{"1", "0", "1"}, {"0", "1", "-1"}, {"1", "-1", "2"}})};
  const GaussianSpec g1{RMatrix::column_from_text({"1", "2", "3"}),
                        RMatrix::from_text({{"2", "1", "0"}, {"1", "1", "0"}, {"0", "0", "0"}})};
  const auto r = certify_reach_exact<T>(g0, g1, parse_exact("1"));
  std::cout << "verdict: " << r.verdict.reason() << "\nrank " << r.rank << ", " << r.pieces.size() << " pieces:\n";
  for (std::size_t k = 0; k < r.pieces.size(); ++k) std::cout << "  " << r.pieces[k].role << "\n";
  std::cout << "cross-check Sigma(T)[0][0] in " << r.cov_T(0, 0) << "\nmean(T)[2] in " << r.mean_T(2) << "\n";
  if (r.verdict.is_proved() && r.cross_check_contains_target && r.rank == 2) {
    std::cout << "PROVED\n";
    return 0;
  }
  if (!r.cross_check_contains_target) {
    std::cout << "REFUTED: the verified flow of the controls misses the target\n";
    return 1;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
