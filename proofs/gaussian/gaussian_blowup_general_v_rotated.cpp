// Proof gaussian_blowup_general_v_rotated (source: P3, arXiv 2606.07600; method: docs/gaussian.md §4,
// "General V: two-sided bracket by compactification at infinity").
//
// Theorem instance. d = 2 Gaussian transformer flow, beta = 1, b = 0, one head with GENERAL V (not
// a multiple of I): with the exact rotation O = [[3/5, -4/5], [4/5, 3/5]],
//   W = O diag(3/10, -1/5) O^T, V = O diag(2, 1) O^T, B = O diag(1/2, 3/2) O^T,
//   Sigma0 = O diag(1, 1/2) O^T.
// Since A(O S O^T) = O A(S) O^T, Sigma(t) = O diag(s1(t), s2(t)) O^T with the scalar Riccati
// equations s_i' = 2 w_i s_i + 2 c_i s_i^2, c = (v_i b_i) = (1, 3/2): s1 blows up at
// t1 = ln(1 + w1/(c1 s1(0)))/(2 w1) = ln(13/10)/(3/5), s2 at ln(1 - 4/15)/(-2/5) > t1. So the
// covariance blows up at t* = ln(1.3)/0.6.
// We prove: the certified blow-up interval (t_lo, t_hi] (t_hi <= horizon 2) of certify_blowup_time
// for this general-V model has relative width <= 1e-14 (issue 17: the binary64 limit) and contains ln(1.3)/0.6 (256 bits) in
// its interior.
// Hypotheses: none beyond the exact inputs and the library's inclusion principle. The closed form
// is NOT used by the certificate (it sees only the rotated, coupled matrices).
// Method: validated integration + comparison (lower side), compactification at infinity
// (Sigma/tr Sigma, 1/tr Sigma) with Taylor-Lohner at 128 bits and a trapping ball at infinity
// (both sides).
// Decision: status blowup AND width <= 1e-14 AND closed form in the interior. Exit 0 / 2 / 1.
// Expected run time: ~3 s (the 128-bit compactified flow).
#include "common.hpp"

using namespace proof;

int main() {
  MpPrecisionScope bits(256);
  using T = MpInterval;
  const RMatrix O = RMatrix::from_text({{"3/5", "-4/5"}, {"4/5", "3/5"}});
  auto rot = [&](const char* a, const char* b) { return O * RMatrix::from_text({{a, "0"}, {"0", b}}) * O.transpose(); };
  const ModelSpec model = make_model(2, "1", rot("0.3", "-0.2"), {{rot("2", "1"), rot("0.5", "1.5")}});
  GaussianSpec initial{RMatrix::column_from_text({"0", "0"}), rot("1", "0.5")};
  if (detect_information_form(model)) {
    std::cout << "UNKNOWN: the model is unexpectedly in information form\n";
    return 2;
  }
  const T closed = log1p(from_text<T>("0.3")) / from_text<T>("0.6");
  const T other = log1p(from_text<T>("-4/15")) / from_text<T>("-0.4");
  const auto r = certify_blowup_time<T>(model, initial, parse_exact("2"));
  return proof::decide_blowup(r, closed, "ln(1.3)/0.6", 1e-14, certainly_less(closed, other));
}
