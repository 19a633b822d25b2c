// Review: adversarial containment test for softmax_rows against 256-bit MPFR corner oracle.
#include "certiformer/core.hpp"
#include <mpfr.h>
#include <cfenv>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>
using namespace certiformer;

static int fails = 0, checks = 0;
// s_i at corner (a_i, b_{-i}) = e^{a_i}/(e^{a_i} + sum_{j!=i} e^{b_j}) at 300 bits.
static void corner(const std::vector<double>& a, const std::vector<double>& b, size_t i, mpfr_t out) {
  mpfr_t m, s, t, ei;
  mpfr_inits2(300, m, s, t, ei, (mpfr_ptr)0);
  double mx = b[0];
  for (double v : b) mx = std::max(mx, v);
  mx = std::max(mx, a[i]);
  mpfr_set_d(m, mx, MPFR_RNDN);
  mpfr_set_d(ei, a[i], MPFR_RNDN); mpfr_sub(ei, ei, m, MPFR_RNDN); mpfr_exp(ei, ei, MPFR_RNDN);
  mpfr_set(s, ei, MPFR_RNDN);
  for (size_t j = 0; j < b.size(); ++j) if (j != i) {
    mpfr_set_d(t, b[j], MPFR_RNDN); mpfr_sub(t, t, m, MPFR_RNDN); mpfr_exp(t, t, MPFR_RNDN); mpfr_add(s, s, t, MPFR_RNDN);
  }
  mpfr_div(out, ei, s, MPFR_RNDN);
  mpfr_clears(m, s, t, ei, (mpfr_ptr)0);
}
static void check_row(const std::vector<double>& lo, const std::vector<double>& hi, const char* tag) {
  const Eigen::Index n = (Eigen::Index)lo.size();
  Mat<Interval> S(1, n);
  for (Eigen::Index j = 0; j < n; ++j) S(0, j) = Interval(lo[j], hi[j]);
  Mat<Interval> W;
  try { W = softmax_rows(S); } catch (const std::exception& e) { std::printf("[%s] threw: %s\n", tag, e.what()); ++fails; return; }
  if (std::fegetround() != FE_TONEAREST) { std::printf("[%s] rounding mode not restored\n", tag); ++fails; }
  mpfr_t ol, oh, w, tol;
  mpfr_inits2(300, ol, oh, w, tol, (mpfr_ptr)0);
  for (Eigen::Index i = 0; i < n; ++i) {
    ++checks;
    corner(lo, hi, (size_t)i, ol);  // min: a_i = lo_i, others hi
    corner(hi, lo, (size_t)i, oh);  // max
    // lo violation: inf(W) > ol (1 + 2^-250)
    mpfr_set_d(w, inf(W(0, i)), MPFR_RNDN);
    mpfr_mul_2si(tol, ol, -250, MPFR_RNDN); mpfr_add(tol, ol, tol, MPFR_RNDN);
    bool bad = mpfr_greater_p(w, tol);
    mpfr_set_d(w, sup(W(0, i)), MPFR_RNDN);
    mpfr_mul_2si(tol, oh, -250, MPFR_RNDN); mpfr_sub(tol, oh, tol, MPFR_RNDN);
    bad = bad || mpfr_less_p(w, tol);
    if (bad) {
      ++fails;
      std::printf("[%s] FAIL i=%ld W=[%a,%a] oracle=[%.17Rg, %.17Rg]\n", tag, (long)i, inf(W(0, i)), sup(W(0, i)), ol, oh);
    }
  }
  mpfr_clears(ol, oh, w, tol, (mpfr_ptr)0);
}
int main() {
  // glibc ldexp in upward mode
  std::fesetround(FE_UPWARD);
  volatile double a = 1.5, b = 0.7;
  double r1 = std::ldexp(a, -1074), r2 = std::ldexp(b, -2020), r3 = std::ldexp(a, -1060);
  std::fesetround(FE_TONEAREST);
  std::printf("ldexp RU: %a %a %a (expect 0x1p-1073, 0x0.0000000000001p-1022, >=1.5*2^-1060)\n", r1, r2, r3);
  auto pt = [](std::vector<double> v) { check_row(v, v, "point"); };
  pt({0.0}); pt({-1400.0}); pt({1e300});
  pt({0, 0, 0}); pt({5, 5, 5, 5, 5, 5, 5});
  pt({0, -1400}); pt({0, -1400.0000000000002}); pt({0, std::nextafter(-1400.0, 0.0)});
  pt({0, -745}); pt({0, -745.1332191019411}); pt({0, -744.44007192138122}); pt({0, -708.39641853226408});
  pt({0, -707.0}); pt({0, -707.35}); pt({0, -706.9}); pt({0, -1e300}); pt({1e300, -1e300}); pt({-1e300, 1e300});
  pt({0x1p-1074, 0, -0x1p-1074}); pt({0x1p-1000, 0x1.0000000000001p-1000});
  pt({1.7976931348623157e308, -1.7976931348623157e308, 0});
  check_row({-1e300, -1e300}, {0, 0}, "spread");
  check_row({-1e300, 0}, {0, 0}, "spread2");
  check_row({-1.7976931348623157e308, -1.7976931348623157e308}, {1.7976931348623157e308, 1.7976931348623157e308}, "max");
  check_row({-1400, -1400, 0}, {-1400, -745, 0}, "edges");
  check_row({-0x1p-1074, 0}, {0x1p-1074, 0x1p-1074}, "denorm");
  // k boundary scan around -1020 ln2 and -1021 ln2 etc.
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> U(0, 1);
  for (int t = 0; t < 20000; ++t) {
    int n = 1 + (int)(rng() % 6);
    std::vector<double> lo(n), hi(n);
    int mode = t % 5;
    for (int j = 0; j < n; ++j) {
      double c, w;
      if (mode == 0) { c = -1450 * U(rng); w = 0; }
      else if (mode == 1) { c = -700 - 15 * U(rng); w = 1e-3 * U(rng); }  // around k = -1020/-1021
      else if (mode == 2) { c = -1390 - 20 * U(rng); w = U(rng) * 5; }
      else if (mode == 3) { c = 1e3 * (U(rng) - 0.5); w = 1e3 * U(rng); }
      else { c = -0.5 * 0.6931471805599453 * (2 * (int)(rng() % 2000)+1) + 1e-12 * (U(rng) - 0.5); w = 0; }  // near half-integers of k
      lo[j] = c; hi[j] = c + w;
      if (hi[j] < lo[j]) hi[j] = lo[j];
    }
    if (rng() % 2) { lo[0] = hi[0] = 0.0; }
    check_row(lo, hi, "random");
  }
  std::printf("checks=%d fails=%d\n", checks, fails);
  return fails != 0;
}
