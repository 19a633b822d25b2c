// Proof gaussian_blowup_2d_wI (source: P3, arXiv 2606.07600; closed form: docs/mathematics.md §3).
//
// Theorem instance. d = 2 Gaussian transformer flow with W = w I, w = 3/10, b = 0, beta = 1, one
// head in information form V = I, B = [[1, 1/2], [-3/10, 4/5]]; Sigma0 = [[1, 2/5], [2/5, 13/20]].
// Then P(t) = e^{-2wt} Sigma0^{-1} - (1 - e^{-2wt})/w * beta C (C = (B + B^T)/2), which first
// becomes singular at t* = ln(1 + w/l)/(2w), l = lambda_max(beta C Sigma0) (l > 0, w + l > 0).
// We prove: the certified blow-up interval (t_lo, t_hi) has relative width <= 1e-30 and contains
// ln(1 + w/l)/(2w), l enclosed from the exact 2x2 characteristic polynomial of C Sigma0.
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: certify_blowup_time (verified block exponential of [[W^T, R], [0, -W]], slab covering,
// negative Rayleigh quotient), 256 bits.
// Decision: status blowup AND width <= 1e-30 AND closed form ⊂ (t_lo, t_hi). Exit 0 / 2 / 1.
// Expected run time: < 0.1 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  const ModelSpec model = make_model(2, "1", RMatrix::from_text({{"0.3", "0"}, {"0", "0.3"}}),
                                    {{RMatrix::from_text({{"1", "0"}, {"0", "1"}}), RMatrix::from_text({{"1", "0.5"}, {"-0.3", "0.8"}})}});
  GaussianSpec initial{RMatrix::column_from_text({"0", "0"}), RMatrix::from_text({{"1", "0.4"}, {"0.4", "0.65"}})};

  const auto info = detect_information_form(model);
  if (!info) {
    std::cout << "UNKNOWN: not in information form\n";
    return 2;
  }
  const RMatrix X = Rational(1, 2) * (info->R * initial.cov);
  const T a = enclose<T>(X(0, 0)), b = enclose<T>(X(0, 1)), c = enclose<T>(X(1, 0)), d = enclose<T>(X(1, 1));
  const T tr = a + d, det = a * d - b * c;
  const T ell = (tr + sqrt(sqr(tr) - T(4) * det)) / T(2);
  const T w = from_text<T>("0.3");
  const T closed = log1p(w / ell) / (T(2) * w);

  const auto r = certify_blowup_time<T>(model, initial, parse_exact("100"));
  return proof::decide_blowup(r, closed, "ln(1 + w/l)/(2w)", 1e-30, certainly_positive(ell));
}
