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
#include "certiformer/gaussian.hpp"

#include <iostream>

using namespace certiformer;
using namespace certiformer::gaussian;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  ModelSpec model;
  model.dim = 2;
  model.beta = parse_exact("1");
  model.W = RMatrix::from_text({{"0.3", "0"}, {"0", "0.3"}});
  model.heads.push_back({RMatrix::from_text({{"1", "0"}, {"0", "1"}}), RMatrix::from_text({{"1", "0.5"}, {"-0.3", "0.8"}})});
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
  std::cout << "status: " << to_string(r.status) << " (" << r.verdict.reason() << ")\n"
            << "t* in " << r.blowup_time << "\nrelative width " << r.relative_width
            << "\nln(1 + w/l)/(2w) in " << closed << "\n";
  if (r.status == BlowupStatus::blowup && r.verdict.is_proved() && r.relative_width <= 1e-30 && certainly_positive(ell) &&
      interior(closed, r.blowup_time)) {
    std::cout << "PROVED\n";
    return 0;
  }
  if (r.status == BlowupStatus::blowup && disjoint(closed, r.blowup_time)) {
    std::cout << "REFUTED: the closed form lies outside the certified interval\n";
    return 1;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
