// Benchmark (suite 'perf'): certified blow-up time for d = 2…8 in the information form.
//   * binary64 (Interval) to relative width ≤ 1e-12 (goal < 10 ms at d ≤ 8),
//   * 256-bit MpInterval to the default width 2^(-0.4·256) ≈ 2e-31 ≤ 1e-30 (goal < 1 s),
//   * the reference: plain-double bisection on λ_min(P(t)) (same block-exponential formula,
//     approximate exponential and Jacobi eigenvalues) to relative width 1e-12 — what an
//     uncertified computation of the same number costs; the ratios are reported.
// Models: fixed seed; W = 0.3·(random dyadic), one head V = I, B = random, Σ0 = LLᵀ + I/2; the
// head is flipped if needed so that ℓ = λ_max(C Σ0) > 0 (a blow-up exists).
#include "certiformer/gaussian.hpp"
#include "certiformer/gaussian/approx.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace certiformer;
using namespace certiformer::gaussian;

namespace {

double dyadic(std::mt19937_64& g) {
  std::uniform_int_distribution<int> k(-1024, 1024);
  return std::ldexp(static_cast<double>(k(g)), -10);
}

RMatrix random_matrix(std::mt19937_64& g, int d, double scale) {
  RMatrix m(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) m(i, j) = Rational(scale * dyadic(g));
  return m;
}

struct Case {
  ModelSpec model;
  GaussianSpec initial;
};

Case make_case(int d, std::mt19937_64& g) {
  Case c;
  c.model.dim = d;
  c.model.beta = 1;
  c.model.W = random_matrix(g, d, 0.3);
  HeadSpec h{RMatrix::identity(d), random_matrix(g, d, 1.0)};
  // make sure a blow-up exists: add a positive multiple of I to the symmetric part of B
  h.B = h.B + Rational(1) * RMatrix::identity(d);
  c.model.heads.push_back(h);
  const RMatrix L = random_matrix(g, d, 0.7);
  c.initial.mean = RMatrix(d, 1);
  c.initial.cov = L * L.transpose() + Rational(1, 2) * RMatrix::identity(d);
  return c;
}

template <class F> double median_ms(F f, int reps) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    const auto a = std::chrono::steady_clock::now();
    f();
    const auto b = std::chrono::steady_clock::now();
    t.push_back(std::chrono::duration<double, std::milli>(b - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

/// Plain double: bisection on λ_min(P(t)) to relative width 1e-12, P(t) by the block formula.
double plain_bisection(const Case& c, double horizon) {
  const auto info = detect_information_form(c.model);
  const int d = c.model.dim;
  auto dm = [](const RMatrix& a) {
    RMat<double> r(a.rows(), a.cols());
    for (int i = 0; i < a.rows(); ++i)
      for (int j = 0; j < a.cols(); ++j) r(i, j) = mid(enclose_interval(a(i, j)));
    return r;
  };
  const RMat<double> W = dm(info->W), R = dm(info->R), P0 = dm(*inverse(c.initial.cov));
  RMat<double> M = RMat<double>::Zero(2 * d, 2 * d);
  M.topLeftCorner(d, d) = W.transpose();
  M.topRightCorner(d, d) = R;
  M.bottomRightCorner(d, d) = -W;
  auto lam = [&](double t) {
    const RMat<double> E = approx_expm<double>(RMat<double>(M * t));
    const RMat<double> F12 = E.topRightCorner(d, d), F22 = E.bottomRightCorner(d, d);
    const RMat<double> P = F22.transpose() * (P0 * F22 - F12);
    return approx_sym_eig<double>(P).first(0);
  };
  double lo = 0, hi = horizon;
  // march to the first sign change, then bisect
  const int n = 64;
  for (int k = 1; k <= n; ++k) {
    const double t = horizon * k / n;
    if (lam(t) <= 0) {
      hi = t;
      lo = horizon * (k - 1) / n;
      break;
    }
  }
  while (hi - lo > 1e-12 * lo) {
    const double m = 0.5 * (lo + hi);
    (lam(m) > 0 ? lo : hi) = m;
  }
  return hi;
}

}  // namespace

int main() {
  std::mt19937_64 g(0x9a55);
  std::printf("# certified blow-up time, information form, one head; median wall time\n");
  std::printf("%3s %12s %10s %6s %6s %12s %10s %6s %12s %10s %10s\n", "d", "t*", "b64_ms", "slabs", "expm", "b64_relw",
              "mp256_ms", "slabs", "mp256_relw", "double_ms", "b64/dbl");
  bool ok = true;
  for (int d = 2; d <= 8; ++d) {
    const Case c = make_case(d, g);
    const Rational horizon(20);
    BlowupResult<Interval> r;
    const double t64 = median_ms([&] { r = certify_blowup_time<Interval>(c.model, c.initial, horizon); }, 21);
    BlowupResult<MpInterval> rm;
    double tmp = 0;
    {
      MpPrecisionScope s(256);
      tmp = median_ms([&] { rm = certify_blowup_time<MpInterval>(c.model, c.initial, horizon); }, 3);
    }
    double tstar = 0;
    const double tdbl = median_ms([&] { tstar = plain_bisection(c, 20.0); }, 21);
    std::printf("%3d %12.9f %10.3f %6ld %6ld %12.3g %10.2f %6ld %12.3g %10.3f %10.1f\n", d, tstar, t64, r.slabs,
                r.expm_calls, r.relative_width, tmp, rm.slabs, rm.relative_width, tdbl, t64 / tdbl);
    if (r.status != BlowupStatus::blowup || r.relative_width > 1e-12 || rm.status != BlowupStatus::blowup ||
        rm.relative_width > 1e-30 || !(tstar >= r.t_lo * (1 - 1e-9) && tstar <= r.t_hi * (1 + 1e-9))) {
      std::printf("   !! d = %d: status %s / %s (%s)\n", d, std::string(to_string(r.status)).c_str(),
                  std::string(to_string(rm.status)).c_str(), r.verdict.reason().c_str());
      ok = false;
    }
  }
  return ok ? 0 : 1;
}
