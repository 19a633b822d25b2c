// Proof gaussian_equilibrium_stable_2d (source: P3, arXiv 2606.07600; docs/mathematics.md §3 "Equilibria and stability").
//
// Theorem instance. d = 2, beta = 1, b = 0, W = [[1, 1/2], [-1/5, 4/5]] (non-normal, eigenvalues 0.9 ± 0.3i),
// one head V = -I, B = [[1, 1/2], [-3/10, 4/5]],
// Sigma0 = [[1, 2/5], [2/5, 13/20]]. Claim: the covariance converges exponentially to a
// positive-definite equilibrium Sigma* = P*^{-1}, where P* is the solution of the Lyapunov
// equation W^T P* + P* W = -R, R = 2 beta sum_h v_h S_h; and Sigma* contains the exact rational
// inverse of the exact rational Lyapunov solution (computed here independently).
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: certify_regime (information form): certified positive stability of W (quadratic Lyapunov
// function), verified Lyapunov solve, linalg::certify_spd(P*), slab covering on [0, t_c], decay bound.
// Decision: regime converges AND exact Sigma* ⊂ certified enclosure (entrywise). Exit 0 / 2 / 1.
// Expected run time: < 0.5 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  const ModelSpec model = make_model(2, "1", RMatrix::from_text({{"1", "0.5"}, {"-0.2", "0.8"}}),
                                    {{RMatrix::from_text({{"-1", "0"}, {"0", "-1"}}), RMatrix::from_text({{"1", "0.5"}, {"-0.3", "0.8"}})}});
  GaussianSpec initial{RMatrix::column_from_text({"0", "0"}), RMatrix::from_text({{"1", "0.4"}, {"0.4", "0.65"}})};

  // Exact rational Lyapunov solution (oracle, independent of the certified path).
  const auto info = detect_information_form(model);
  if (!info) {
    std::cout << "UNKNOWN: not in information form\n";
    return 2;
  }
  const int d = 2, n = 4;
  RMatrix K(n, n), rhs(n, 1);
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) {
      for (int k = 0; k < d; ++k) {
        K(j * d + i, j * d + k) += info->W(k, i);
        K(j * d + i, k * d + i) += info->W(k, j);
      }
      rhs(j * d + i, 0) = -info->R(i, j);
    }
  const RMatrix x = *inverse(K) * rhs;
  RMatrix Pstar(d, d);
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) Pstar(i, j) = x(j * d + i, 0);
  const auto Sstar = inverse(Pstar);

  const auto c = certify_regime<T>(model, initial, parse_exact("2"));
  std::cout << "regime: " << to_string(c.regime) << " (" << c.verdict.reason() << ")\n";
  if (c.regime == Regime::converges && Sstar) {
    bool inside = true, outside = false;
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        const T e = enclose<T>((*Sstar)(i, j));
        std::cout << "Sigma*[" << i << "][" << j << "] in " << c.cov_star(i, j) << " (exact " << to_string((*Sstar)(i, j))
                  << ")\n";
        inside = inside && subset(e, c.cov_star(i, j));
        outside = outside || disjoint(e, c.cov_star(i, j));
      }
    std::cout << "rate >= " << decimal_down(c.rate) << ", t_c <= " << decimal_up(c.t_c) << "\n";
    if (c.verdict.is_proved() && inside && is_positive_definite(Pstar)) {
      std::cout << "PROVED\n";
      return 0;
    }
    if (outside) {
      std::cout << "REFUTED: the exact equilibrium lies outside the certified enclosure\n";
      return 1;
    }
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
