// Proof gaussian_blowup_scalar_ln1p5 (source: P3, arXiv 2606.07600; model and closed form: docs/mathematics.md §3).
//
// Theorem instance. Scalar Gaussian transformer flow (d = 1, one head V = 1, B = K^T Q = 1,
// beta = 1, FFN W = 1/2, b = 0), initial variance sigma0 = 1. The variance solves
//     sigma' = 2 w sigma + 2 c sigma^2,  w = 1/2, c = beta v b = 1,
// and blows up at t* = ln(1 + w/(c sigma0))/(2w) = ln(3/2). We prove: t* lies in a certified
// interval (t_lo, t_hi) of relative width <= 1e-30, and ln(3/2) lies inside it.
// Hypotheses: none beyond the exact inputs (decimal text) and the library's inclusion principle.
// Method: information form P = 1/sigma, P certified > 0 on [0, t_lo] (slab covering), P(t_hi) < 0
// certified; MpInterval at 256 bits. Decision: status blowup AND width <= 1e-30 AND ln(1.5) ⊂ (t_lo, t_hi).
// Exit 0 proved, 2 unknown, 1 refuted (ln 1.5 certainly outside the certified interval).
// Expected run time: < 0.1 s.
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  const ModelSpec model = make_model(1, "1", RMatrix::from_text({{"0.5"}}),
                                    {{RMatrix::from_text({{"1"}}), RMatrix::from_text({{"1"}})}});
  GaussianSpec initial{RMatrix::column_from_text({"0"}), RMatrix::from_text({{"1"}})};

  const auto r = certify_blowup_time<MpInterval>(model, initial, parse_exact("10"));
  const MpInterval closed = log(from_text<MpInterval>("1.5"));
  return proof::decide_blowup(r, closed, "ln(1.5)", 1e-30);
}
