// Proof gaussian_equilibrium_general_v (source: P3, arXiv 2606.07600; docs/mathematics.md §3 "Equilibria and stability").
//
// Theorem instance. d = 2, beta = 1, b = 0, W = [[1, 1/5], [1/5, 1]], one head with V = diag(1, 2)
// (NOT a multiple of I: no information form) and B = -I. Claim: the Sigma-ODE
// Sigma' = A(Sigma) Sigma + Sigma A(Sigma)^T, A(Sigma) = W + beta V Sigma B, has exactly one
// equilibrium in a certified box, that equilibrium is positive definite, and it is locally
// exponentially stable (every Jacobian of the vech(Sigma) system over the box is Hurwitz).
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: certify_equilibrium: Newton proposal from the guess diag(1, 1/2) (the equilibrium for
// W = I), Krawczyk test K(X) ⊂ int(X) on the 3 unknowns, certify_spd, certify_hurwitz (quadratic
// Lyapunov function with a common G); 256 bits.
// Decision: exists AND positive definite AND stable (all proved). Exit 0 proved, 2 unknown
// (no refutation is possible here: a failed Krawczyk test is inconclusive).
// Expected run time: < 0.5 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  const ModelSpec model = make_model(2, "1", RMatrix::from_text({{"1", "0.2"}, {"0.2", "1"}}),
                                    {{RMatrix::from_text({{"1", "0"}, {"0", "2"}}), RMatrix::from_text({{"-1", "0"}, {"0", "-1"}})}});
  Mat<MpReal> guess(2, 2);
  guess << MpReal(1), MpReal(0), MpReal(0), MpReal(0.5);

  const auto e = certify_equilibrium<T>(model, guess);
  std::cout << "exists: " << to_string(e.exists.status()) << " (" << e.exists.reason() << ")\n"
            << "positive definite: " << to_string(e.positive_definite.status()) << "\n"
            << "stable: " << to_string(e.stability.verdict.status()) << " (" << e.stability.verdict.reason() << ")\n";
  if (e.exists.is_proved())
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) std::cout << "Sigma*[" << i << "][" << j << "] in " << e.cov(i, j) << "\n";
  if (e.exists.is_proved() && e.positive_definite.is_proved() && e.stability.verdict.is_proved()) {
    std::cout << "rate >= " << decimal_down(e.stability.rate) << "\nPROVED\n";
    return 0;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
