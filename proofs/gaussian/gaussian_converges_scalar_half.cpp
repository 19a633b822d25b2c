// Proof gaussian_converges_scalar_half (source: P3, arXiv 2606.07600; closed form: docs/mathematics.md §3).
//
// Theorem instance. Scalar flow sigma' = 2 w sigma + 2 c sigma^2 with (w, c, sigma0) =
// (1/2, -1, 1/5): one head V = 1, B = -1, beta = 1, W = 1/2. Claim: the variance never blows up,
// exists for all t >= 0, and converges exponentially to sigma* = -w/c = 1/2; the certified
// equilibrium enclosure contains 1/2 and the certified decay rate is positive.
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: certify_regime (information form): W certified positive stable (Lyapunov), P* = -c/w solved
// by a verified Lyapunov solve and certified > 0, P(t) certified > 0 on [0, t_c] by the slab
// covering and |P(t) - P*| <= kappa e^{-2 alpha t} |P0 - P*| < P*/2 beyond; 256 bits.
// Decision: regime converges AND 1/2 ∈ Sigma* enclosure AND rate > 0. Exit 0 / 2 / 1
// (refuted: the certified Sigma* excludes 1/2).
// Expected run time: < 0.1 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  const ModelSpec model = make_model(1, "1", RMatrix::from_text({{"0.5"}}),
                                    {{RMatrix::from_text({{"1"}}), RMatrix::from_text({{"-1"}})}});
  GaussianSpec initial{RMatrix::column_from_text({"0"}), RMatrix::from_text({{"0.2"}})};

  const auto c = certify_regime<T>(model, initial, parse_exact("5"));
  const T half = from_text<T>("0.5");
  std::cout << "regime: " << to_string(c.regime) << " (" << c.verdict.reason() << ")\n";
  if (c.regime == Regime::converges) {
    std::cout << "sigma* in " << c.cov_star(0, 0) << "\nrate >= " << decimal_down(c.rate) << ", t_c <= " << decimal_up(c.t_c)
              << "\n";
    if (c.verdict.is_proved() && subset(half, c.cov_star(0, 0)) && c.rate > MpReal(0)) {
      std::cout << "PROVED\n";
      return 0;
    }
    if (disjoint(half, c.cov_star(0, 0))) {
      std::cout << "REFUTED: sigma* = 1/2 lies outside the certified equilibrium\n";
      return 1;
    }
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
