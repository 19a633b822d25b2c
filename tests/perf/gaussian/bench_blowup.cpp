// Benchmark (suite 'perf'): certified blow-up time for d = 2…8 in the information form.
//   * binary64 (Interval) to relative width ≤ 1e-12 (goal < 10 ms at d ≤ 8),
//   * 256-bit MpInterval to the default width 2^(-0.4·256) ≈ 2e-31 ≤ 1e-30 (goal < 1 s),
//   * the reference: plain-double bisection on λ_min(P(t)) (same block-exponential formula,
//     approximate exponential and Jacobi eigenvalues) to relative width 1e-12 — what an
//     uncertified computation of the same number costs; the ratios are reported.
// Second table: general V (no information form), the two-sided compactification bracket of
// certify_blowup_bracket_general with its Taylor–Lohner run at 128 bits (default) and in binary64,
// against plain double: RK4 of the same compactified ODE in double, step halved until two runs
// agree to 1e-13 relative (t* ≈ t + r/g at r/g < 1e-16·t). Models: the rotated decoupled d = 2
// and d = 3 models of tests/gaussian/containment_blowup_general.cpp (exact t* known) and its
// coupled d = 2 model.
// Models: fixed seed; W = 0.3·(random dyadic), one head V = I, B = random, Σ0 = LLᵀ + I/2; the
// head is flipped if needed so that ℓ = λ_max(C Σ0) > 0 (a blow-up exists).
#include "certiformer/gaussian.hpp"
#include "certiformer/gaussian/approx.hpp"
#include "certiformer/gaussian/sigma_field.hpp"

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

/// Plain double: the compactified ODE (vech Ŝ, r, t) by RK4, to r/g < 1e-16·t; t + r/g.
double plain_compact(const ModelSpec& model, const GaussianSpec& initial, double h) {
  const int d = model.dim;
  const Eigen::Index n = d * (d + 1) / 2;
  const CompactSigmaField<Interval> F(enclose_model<Interval>(model));
  Vec<double> z(n + 2);
  double tr = 0;
  for (int i = 0; i < d; ++i) tr += mid(enclose_interval(initial.cov(i, i)));
  for (int i = 0; i < d; ++i)
    for (int j = i; j < d; ++j) z(vech_index(d, i, j)) = mid(enclose_interval(initial.cov(i, j))) / tr;
  z(n) = 1 / tr;
  z(n + 1) = 0;
  auto f = [&](const Vec<double>& x) {
    Vec<double> dx(n + 2);
    F(0.0, x, dx);
    return dx;
  };
  for (long k = 0; k < 100000000; ++k) {
    const Vec<double> k1 = f(z);
    const double g = -k1(n) / z(n);
    if (g > 0 && z(n) / g < 1e-16 * z(n + 1)) return z(n + 1) + z(n) / g;
    const Vec<double> k2 = f(Vec<double>(z + 0.5 * h * k1)), k3 = f(Vec<double>(z + 0.5 * h * k2)), k4 = f(Vec<double>(z + h * k3));
    z += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return std::nan("");
}

/// RK4 step halved until two estimates agree to 1e-13 relative (at most 8 halvings).
double plain_general(const ModelSpec& model, const GaussianSpec& initial) {
  double h = 0.05, prev = plain_compact(model, initial, h);
  for (int it = 0; it < 8; ++it) {
    h /= 2;
    const double t = plain_compact(model, initial, h);
    if (std::fabs(t - prev) < 1e-13 * t) return t;
    prev = t;
  }
  return prev;
}

RMatrix rot_diag(const RMatrix& O, const std::vector<const char*>& diag) {
  RMatrix D(O.rows(), O.cols());
  for (std::size_t i = 0; i < diag.size(); ++i) D(i, i) = parse_exact(diag[i]);
  return O * D * O.transpose();
}

bool general_v_table() {
  struct G {
    const char* name;
    ModelSpec model;
    GaussianSpec initial;
  };
  std::vector<G> cases;
  const RMatrix O2 = RMatrix::from_text({{"3/5", "-4/5"}, {"4/5", "3/5"}});
  const RMatrix O3 = RMatrix::from_text({{"1/3", "2/3", "2/3"}, {"2/3", "1/3", "-2/3"}, {"2/3", "-2/3", "1/3"}});
  {
    G c{"rotated 2-D", {}, {}};
    c.model.dim = 2;
    c.model.beta = 1;
    c.model.W = rot_diag(O2, {"3/10", "-1/5"});
    c.model.heads.push_back({rot_diag(O2, {"2", "1"}), rot_diag(O2, {"1/2", "3/2"})});
    c.initial = {RMatrix(2, 1), rot_diag(O2, {"1", "1/2"})};
    cases.push_back(c);
  }
  {
    G c{"rotated 3-D", {}, {}};
    c.model.dim = 3;
    c.model.beta = 1;
    c.model.W = rot_diag(O3, {"1/4", "-1/2", "1/10"});
    c.model.heads.push_back({rot_diag(O3, {"1", "3", "2"}), rot_diag(O3, {"1/2", "2/3", "3/2"})});
    c.initial = {RMatrix(3, 1), rot_diag(O3, {"1", "2", "1/2"})};
    cases.push_back(c);
  }
  {
    G c{"coupled 2-D", {}, {}};
    c.model.dim = 2;
    c.model.beta = 1;
    c.model.W = RMatrix::from_text({{"0.2", "0"}, {"0.1", "-0.1"}});
    c.model.heads.push_back({RMatrix::from_text({{"1", "0.3"}, {"0", "2"}}), RMatrix::from_text({{"1", "0.5"}, {"-0.3", "0.8"}})});
    c.initial = {RMatrix(2, 1), RMatrix::from_text({{"1", "0.4"}, {"0.4", "0.65"}})};
    cases.push_back(c);
  }
  std::printf("\n# general V: two-sided compactification bracket; median wall time\n");
  std::printf("%-12s %12s %10s %12s %10s %12s %10s %10s %10s\n", "model", "t*", "b128_ms", "b128_relw", "b64_ms",
              "b64_relw", "double_ms", "b128/dbl", "b64/dbl");
  bool ok = true;
  for (const G& c : cases) {
    GeneralBlowupBracket b128, b64;
    const double t128 = median_ms([&] { b128 = certify_blowup_bracket_general(c.model, c.initial); }, 3);
    const double t64 = median_ms([&] { b64 = certify_blowup_bracket_general(c.model, c.initial, {.flow_bits = 0}); }, 3);
    double tstar = 0;
    const double tdbl = median_ms([&] { tstar = plain_general(c.model, c.initial); }, 3);
    std::fflush(stdout);
    std::printf("%-12s %12.9f %10.1f %12.3g %10.1f %12.3g %10.1f %10.1f %10.1f\n", c.name, tstar, t128,
                b128.relative_width, t64, b64.relative_width, tdbl, t128 / tdbl, t64 / tdbl);
    if (!b128.verdict.is_proved() || b128.relative_width > 1e-14 || !b64.verdict.is_proved() ||
        !(tstar >= b128.t_lo * (1 - 1e-12) && tstar <= b128.t_hi * (1 + 1e-12))) {
      std::printf("   !! %s: %s / %s\n", c.name, b128.verdict.reason().c_str(), b64.verdict.reason().c_str());
      ok = false;
    }
  }
  return ok;
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
  ok = general_v_table() && ok;
  return ok ? 0 : 1;
}
