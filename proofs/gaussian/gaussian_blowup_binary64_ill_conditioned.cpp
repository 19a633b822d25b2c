// Proof gaussian_blowup_binary64_ill_conditioned (source: P3, arXiv 2606.07600; closed form:
// docs/mathematics.md §3; method: docs/gaussian.md §4 "Final local step").
//
// Theorem instance. d = 4 Gaussian transformer flow, beta = 1, W = (3/10) I, b = 0, two heads in
// information form (V_1 = I, V_2 = -1/2 I) with block-diagonal B_1, B_2, and the nearly singular
// Sigma0 = blockdiag([[1, 1 - 1e-8], [1 - 1e-8, 1]], [[1, 1/2], [1/2, 1]]) (lambda_min = 1e-8). The
// blocks decouple, so t* = min_k ln(1 + w/l_k)/(2w), l_k = lambda_max((R/2) Sigma0) on block k
// (R = 2 beta sum_h v_h S_h), the scalar closed form along the top eigenvector. We prove, in
// BINARY64 interval arithmetic: the certified blow-up interval (t_lo, t_hi) has relative width
// <= 1e-14 and contains that closed form (enclosed at 256 bits).
// Hypotheses: none beyond the exact inputs and the library's inclusion principle.
// Method: certify_blowup_time<Interval> (slab covering, then the final local step on
// Phi(t) = C^T (P0 - G(t)) C with C ~ chol(Sigma0), C^T P0 C exact); the covering alone gives ~4e-6.
// Decision: status blowup AND width <= 1e-14 AND closed form interior to (t_lo, t_hi). Exit 0 / 2 / 1.
// Expected run time: < 0.1 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  const std::string w = "0.3";
  const ModelSpec model = make_model(
      4, "1", RMatrix::from_text({{w, "0", "0", "0"}, {"0", w, "0", "0"}, {"0", "0", w, "0"}, {"0", "0", "0", w}}),
      {{RMatrix::identity(4),
        RMatrix::from_text({{"1", "0.5", "0", "0"}, {"-0.3", "0.8", "0", "0"}, {"0", "0", "0.6", "0.1"}, {"0", "0", "0.3", "0.7"}})},
       {RMatrix::from_text({{"-0.5", "0", "0", "0"}, {"0", "-0.5", "0", "0"}, {"0", "0", "-0.5", "0"}, {"0", "0", "0", "-0.5"}}),
        RMatrix::from_text({{"0.2", "-1", "0", "0"}, {"0.4", "0.5", "0", "0"}, {"0", "0", "0.3", "0"}, {"0", "0", "0.1", "0.2"}})}});
  GaussianSpec initial{RMatrix::column_from_text({"0", "0", "0", "0"}),
                       RMatrix::from_text({{"1", "0.99999999", "0", "0"},
                                           {"0.99999999", "1", "0", "0"},
                                           {"0", "0", "1", "0.5"},
                                           {"0", "0", "0.5", "1"}})};
  const auto info = detect_information_form(model);
  if (!info) {
    std::cout << "UNKNOWN: not in information form\n";
    return 2;
  }
  using M = MpInterval;
  const RMatrix X = Rational(1, 2) * (info->R * initial.cov);
  const M wq = from_text<M>(w);
  std::vector<M> times;  // the blocks' closed forms (blocks whose l_k > 0)
  for (int k : {0, 2}) {
    const M a = enclose<M>(X(k, k)), b = enclose<M>(X(k, k + 1)), c = enclose<M>(X(k + 1, k)), d = enclose<M>(X(k + 1, k + 1));
    const M tr = a + d, det = a * d - b * c;
    const M ell = (tr + sqrt(sqr(tr) - M(4) * det)) / M(2);
    if (certainly_positive(ell)) times.push_back(log1p(wq / ell) / (M(2) * wq));
  }
  // t* is the smaller time; the two must be certainly ordered (else: unknown)
  bool have = !times.empty(), separated = true;
  M closed = have ? times[0] : M(0);
  if (times.size() == 2) {
    if (certainly_less(times[1], times[0])) closed = times[1];
    else separated = certainly_less(times[0], times[1]);
  }
  const auto r = certify_blowup_time<Interval>(model, initial, parse_exact("50"));
  std::cout << "binary64 result:\n";
  BlowupResult<MpInterval> rm;  // the binary64 numbers, exactly, for the common decision
  rm.status = r.status;
  rm.verdict = r.verdict;
  rm.t_lo = MpReal(r.t_lo);
  rm.t_hi = MpReal(r.t_hi);
  rm.blowup_time = MpInterval(MpReal(r.t_lo), MpReal(r.t_hi));
  rm.relative_width = r.relative_width;
  return proof::decide_blowup(rm, closed, "min_k ln(1 + w/l_k)/(2w)", 1e-14, have && separated);
}
