// Row-wise rigorous softmax of a binary64 interval matrix under upward rounding (see
// core/softmax.hpp, `softmax_rows`, for the statement).
//
// Method. Every bound is an upper bound computed with the FPU rounding upward (RU); a lower
// bound b of a quantity q is obtained as b = −RU(−q̃) from an expression q̃ whose RU evaluation
// is ≥ −q. Every formula below is monotone in its inputs on the signs involved, so evaluating it
// at the right endpoint with one direction of rounding bounds it over the whole box.
//  * Shift: c = max_j sup(S_ij) (an exact number; softmax(x) = softmax(x − c)), so every
//    argument x = S_ij − c lies in [x_lo, x_hi] with x_hi = RU(sup − c) ≤ 0 and
//    x_lo = −RU(c − inf).
//  * eˣ for x ≤ 0: k = round(x/ln2) (std::round: independent of the rounding mode),
//    r = x − k·ln2 with ln2 = L1 + L2, L1 = ln 2 rounded to 42 bits (k·L1 is exact for
//    |k| < 2^11), L2 ∈ [L2lo, L2hi] (MPFR, directed); r ∈ [r_lo, r_hi] by directed rounding.
//    With t = |r| ≤ 1/2 and P(t) = Σ_{i≤14} tⁱ/i!:
//      P_lo(t) ≤ P(t) ≤ eᵗ ≤ P(t) + t¹⁵/15!·eᵗ ≤ P_hi(t) + R,   R ≥ 0.5¹⁵/15!·e^{0.5} (MPFR, up)
//    where P_hi is Horner with the coefficients 1/i! rounded up, evaluated RU (all terms ≥ 0),
//    and P_lo = −(Horner of the negated lower coefficients, evaluated RU) ≤ P. For r < 0,
//    eʳ = 1/e^{|r|}. Then eˣ = 2ᵏ·eʳ: the upper bound is scaled by ldexp under RU (a subnormal
//    result rounds up, still an upper bound); the lower bound is replaced by 0 when 2ᵏ·(·) could
//    be subnormal (k < −1020) — 0 is a valid lower bound of eˣ. x < −1400 gives [0, 2^-1074].
//  * softmax_i = 1 / (1 + S_{−i}/e_i), S_{−i} = Σ_{j≠i} e_j by prefix and suffix sums (no
//    cancellation), increasing in e_i and decreasing in S_{−i}:
//      upper = RU(1 / (1 + S_{−i}^lo / e_i^hi)^lo),  lower = (1 / (1 + S_{−i}^hi / e_i^lo)^hi)^lo
//    (lower = 0 when e_i^lo = 0), clipped to [0, 1].
// Soundness of the switched region: core's RoundingScope and its kernel convention
// (core/rounding.hpp) — the inputs are copied to plain arrays before the scope opens, the work is
// the [[gnu::noipa]] kernel softmax_rows_up writing through pointers, and Interval objects (EFT
// arithmetic, round-to-nearest only) are built only after the caller's mode is restored.
// The constant tables are computed with MPFR in directed rounding (no widening by ulps).
// -frounding-math -ffp-contract=off (meson).
// Tested against 256-bit MPFI softmax (tests/core/containment_softmax.cpp).

#include "certiformer/core/softmax.hpp"
#include "certiformer/core/rounding.hpp"

#include <mpfr.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace certiformer {

namespace {

struct SoftmaxTables {
  double clo[15], chi[15];  // 1/i! rounded down / up
  double L1, L2lo, L2hi;    // ln 2 = L1 + L2, L1 with 42 bits
  double R;                 // ≥ 0.5^15/15! · e^0.5
  SoftmaxTables() {
    // 1/i! rounded down and up: i! is an exact integer (14! < 2^37), one correctly rounded division.
    mpfr_t t, f;
    mpfr_init2(t, 53);
    mpfr_init2(f, 64);
    unsigned long fact = 1;
    for (int i = 0; i <= 14; ++i) {
      if (i > 0) fact *= static_cast<unsigned long>(i);
      mpfr_set_ui(f, fact, MPFR_RNDN);  // exact (64 bits)
      mpfr_ui_div(t, 1, f, MPFR_RNDD);
      clo[i] = mpfr_get_d(t, MPFR_RNDD);  // exact (53 bits)
      mpfr_ui_div(t, 1, f, MPFR_RNDU);
      chi[i] = mpfr_get_d(t, MPFR_RNDU);
    }
    mpfr_clear(f);
    // ln 2 ∈ [lo, hi] (MPFR's constant, directed), L1 = ln 2 to 42 bits, L2 = ln 2 − L1 ∈
    // [RD(lo − L1), RU(hi − L1)] rounded outward to doubles.
    mpfr_t lo, hi, l1, u;
    mpfr_inits2(400, lo, hi, u, static_cast<mpfr_ptr>(nullptr));
    mpfr_const_log2(lo, MPFR_RNDD);
    mpfr_const_log2(hi, MPFR_RNDU);
    mpfr_init2(l1, 42);
    mpfr_set(l1, lo, MPFR_RNDN);
    L1 = mpfr_get_d(l1, MPFR_RNDN);  // exact (42 bits)
    mpfr_sub(u, lo, l1, MPFR_RNDD);
    L2lo = mpfr_get_d(u, MPFR_RNDD);
    mpfr_sub(u, hi, l1, MPFR_RNDU);
    L2hi = mpfr_get_d(u, MPFR_RNDU);
    mpfr_clear(l1);
    // R ≥ 0.5^15/15! · e^0.5, every step rounded up
    mpfr_set_prec(t, 400);
    mpfr_set_d(t, 0.5, MPFR_RNDN);
    mpfr_pow_ui(t, t, 15, MPFR_RNDU);
    mpfr_set_ui(u, 1, MPFR_RNDN);
    for (unsigned i = 2; i <= 15; ++i) mpfr_mul_ui(u, u, i, MPFR_RNDD);  // 15! (exact)
    mpfr_div(t, t, u, MPFR_RNDU);
    mpfr_set_d(u, 0.5, MPFR_RNDN);
    mpfr_exp(u, u, MPFR_RNDU);
    mpfr_mul(t, t, u, MPFR_RNDU);
    R = mpfr_get_d(t, MPFR_RNDU);
    mpfr_clears(t, lo, hi, u, static_cast<mpfr_ptr>(nullptr));
  }
};
const SoftmaxTables& tables() {
  static const SoftmaxTables t;
  return t;
}

// ---- everything below runs with the FPU rounding upward ------------------------------------
inline double p_hi(const SoftmaxTables& T, double t) {  // ≥ P(t), t ≥ 0
  double h = T.chi[14];
  for (int i = 13; i >= 0; --i) h = T.chi[i] + t * h;
  return h;
}
inline double p_lo(const SoftmaxTables& T, double t) {  // ≤ P(t), t ≥ 0
  double g = -T.clo[14];
  for (int i = 13; i >= 0; --i) g = -T.clo[i] + t * g;
  return -g;
}
inline double lower_of_div(double a, double b) { return -((-a) / b); }  // ≤ a/b (b > 0)
/// Upper bound of eˣ, x ≤ 0 (x ≥ −1400).
inline double exp_up(const SoftmaxTables& T, double x, double k) {
  const double a_hi = x - k * T.L1;              // ≥ x − k·L1 (k·L1 exact)
  const double r_hi = a_hi + (-k) * T.L2hi;      // −k ≥ 0: ≥ r
  if (r_hi > 0.5 || r_hi < -0.5) throw std::logic_error("softmax_rows: reduced argument out of range");
  double v;
  if (r_hi >= 0) v = p_hi(T, r_hi) + T.R;
  else v = 1.0 / p_lo(T, -r_hi);
  return std::ldexp(v, static_cast<int>(k));
}
/// Lower bound of eˣ, x ≤ 0 (x ≥ −1400).
inline double exp_lo(const SoftmaxTables& T, double x, double k) {
  if (k < -1020) return 0.0;
  const double a_lo = -(k * T.L1 - x);           // ≤ x − k·L1
  const double r_lo = -((-a_lo) + k * T.L2lo);   // k ≤ 0: k·L2lo ≥ k·L2, so ≤ r
  if (r_lo > 0.5 || r_lo < -0.5) throw std::logic_error("softmax_rows: reduced argument out of range");
  double v;
  if (r_lo >= 0) v = p_lo(T, r_lo);
  else v = -((-1.0) / (p_hi(T, -r_lo) + T.R));
  return std::ldexp(v, static_cast<int>(k));  // exact: k ≥ −1020 and v ≥ 0.6
}

/// Kernel, upward. Rows of length n, row-major lo/hi in, row-major lo/hi out.
[[gnu::noipa]] void softmax_rows_up(const RoundingScope& scope, const double* slo, const double* shi, double* wlo,
                                    double* whi, Eigen::Index rows, Eigen::Index n, double* elo, double* ehi, double* plo,
                                    double* phi) {
  scope.expect(Rounding::upward);
  const SoftmaxTables& T = tables();
  for (Eigen::Index r = 0; r < rows; ++r) {
    const double* lo = slo + r * n;
    const double* hi = shi + r * n;
    double c = hi[0];
    for (Eigen::Index j = 1; j < n; ++j) c = hi[j] > c ? hi[j] : c;
    for (Eigen::Index j = 0; j < n; ++j) {
      const double xh = hi[j] - c;       // ≥ exact, ≤ 0
      const double xl = -(c - lo[j]);    // ≤ exact
      if (xl < -1400) {
        elo[j] = 0.0;
      } else {
        elo[j] = exp_lo(T, xl, std::round(xl * 1.4426950408889634));
      }
      if (xh < -1400) ehi[j] = 0x1p-1074;
      else ehi[j] = exp_up(T, xh, std::round(xh * 1.4426950408889634));
    }
    // prefix sums (exclusive): phi[j] ≥ Σ_{k<j} ehi_k, plo[j] ≥ −Σ_{k<j} elo_k
    double sh = 0, sl = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      phi[j] = sh;
      plo[j] = sl;
      sh = sh + ehi[j];
      sl = sl - elo[j];
    }
    // suffix sums, combined on the fly
    sh = 0;
    sl = 0;
    for (Eigen::Index j = n - 1; j >= 0; --j) {
      const double Shi = phi[j] + sh;        // ≥ S_{−j}
      const double Slo = -(plo[j] + sl);     // ≤ S_{−j}
      double up = 1.0;
      if (ehi[j] > 0) {
        const double q_lo = lower_of_div(Slo, ehi[j]);
        const double den_lo = -((-1.0) - q_lo);  // ≤ 1 + q_lo
        up = 1.0 / den_lo;
        if (up > 1.0) up = 1.0;
      }
      double down = 0.0;
      if (elo[j] > 0) {
        const double q_hi = Shi / elo[j];
        const double den_hi = 1.0 + q_hi;
        down = lower_of_div(1.0, den_hi);
        if (down < 0.0) down = 0.0;
      }
      wlo[r * n + j] = down;
      whi[r * n + j] = up;
      sh = sh + ehi[j];
      sl = sl - elo[j];
    }
  }
}

}  // namespace

Mat<Interval> softmax_rows(const Mat<Interval>& S) {
  const Eigen::Index rows = S.rows(), n = S.cols();
  if (n == 0) throw std::invalid_argument("softmax_rows: rows of length 0");
  require_round_to_nearest("softmax_rows");
  std::vector<double> slo(static_cast<std::size_t>(rows * n)), shi(slo.size()), wlo(slo.size()), whi(slo.size());
  std::vector<double> scratch(static_cast<std::size_t>(4 * n));
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index j = 0; j < n; ++j) {
      const double l = inf(S(r, j)), h = sup(S(r, j));
      // a lower end −∞ is fine (e^{x} has lower bound 0 there, as in `enclose_softmax`); +∞ above is not
      if (!std::isfinite(h) || std::isnan(l)) throw std::domain_error("softmax_rows: unbounded argument");
      slo[static_cast<std::size_t>(r * n + j)] = l;
      shi[static_cast<std::size_t>(r * n + j)] = h;
    }
  (void)tables();  // built in round-to-nearest (MPFR does not care, but keep the region minimal)
  {
    RoundingScope up(Rounding::upward);  // restores the caller's mode, also if the kernel throws
    softmax_rows_up(up, slo.data(), shi.data(), wlo.data(), whi.data(), rows, n, scratch.data(), scratch.data() + n,
                    scratch.data() + 2 * n, scratch.data() + 3 * n);
  }
  Mat<Interval> W(rows, n);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index j = 0; j < n; ++j)
      W(r, j) = Interval(wlo[static_cast<std::size_t>(r * n + j)], whi[static_cast<std::size_t>(r * n + j)]);
  return W;
}

}  // namespace certiformer
