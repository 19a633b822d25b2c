// Proof gaussian_blowup_2d_w0 (source: P3, arXiv 2606.07600; closed form: docs/mathematics.md §3).
//
// Theorem instance. d = 2 Gaussian transformer flow with W = 0, b = 0, beta = 1 and two heads in
// information form: V_1 = I, B_1 = [[1, 1/2], [-3/10, 4/5]]; V_2 = -1/2 I, B_2 = [[1/5, -1], [2/5, 1/2]];
// Sigma0 = [[1, 2/5], [2/5, 13/20]]. With C = sum_h v_h S_h, S_h = (B_h + B_h^T)/2, the precision
// matrix is P(t) = Sigma0^{-1} - 2 beta t C, so the covariance blows up at t* = 1/(2 l),
// l = lambda_max(beta C Sigma0) > 0. We prove: the certified blow-up interval (t_lo, t_hi) has
// relative width <= 1e-30 and contains the closed form 1/(2 l), where l is enclosed from the
// exact 2x2 characteristic polynomial (l = (tr + sqrt(tr^2 - 4 det))/2 of C Sigma0).
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: certify_blowup_time (slab covering of P SPD + negative Rayleigh quotient), 256 bits.
// Decision: status blowup AND width <= 1e-30 AND 1/(2 l) ⊂ (t_lo, t_hi). Exit 0 / 2 / 1.
// Expected run time: < 0.1 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  const ModelSpec model = make_model(2, "1", RMatrix::from_text({{"0", "0"}, {"0", "0"}}),
                                    {{RMatrix::from_text({{"1", "0"}, {"0", "1"}}), RMatrix::from_text({{"1", "0.5"}, {"-0.3", "0.8"}})},
                                     {RMatrix::from_text({{"-0.5", "0"}, {"0", "-0.5"}}), RMatrix::from_text({{"0.2", "-1"}, {"0.4", "0.5"}})}});
  GaussianSpec initial{RMatrix::column_from_text({"0", "0"}), RMatrix::from_text({{"1", "0.4"}, {"0.4", "0.65"}})};

  // closed form from exact rationals: R = 2 beta C, so beta C Sigma0 = R Sigma0 / 2
  const auto info = detect_information_form(model);
  if (!info) {
    std::cout << "UNKNOWN: not in information form\n";
    return 2;
  }
  const RMatrix X = Rational(1, 2) * (info->R * initial.cov);
  const T a = enclose<T>(X(0, 0)), b = enclose<T>(X(0, 1)), c = enclose<T>(X(1, 0)), d = enclose<T>(X(1, 1));
  const T tr = a + d, det = a * d - b * c;
  const T ell = (tr + sqrt(sqr(tr) - T(4) * det)) / T(2);
  const T closed = T(1) / (T(2) * ell);

  const auto r = certify_blowup_time<T>(model, initial, parse_exact("100"));
  return proof::decide_blowup(r, closed, "1/(2 l)", 1e-30, certainly_positive(ell));
}
