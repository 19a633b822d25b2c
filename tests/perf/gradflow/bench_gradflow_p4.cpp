// P4's experiment at its size (issue 13, goal 2): gradflow.edi with the structured engine
// (gradflow/structured.hpp) for n tokens on S², d = 3, H heads, OU or oscillating weight paths,
// horizon T. Reports the validated run (steps, seconds, widths, identity residual) and, in the
// same run, the same flow in plain double: classical RK4 on the augmented field (tokens + the two
// energy integrals, GradflowField evaluated in double) with step 1/64 and with step 1/128 — the difference of
// the two is its accuracy — and the ratio of the validated time to the RK4 (1/64) time.
// Usage: bench_gradflow_p4 [ou|osc|both] [T] [n] [H] [order]   (defaults: both 20 200 10 16)
// Data: D_h(0) = I + symmetric entries k/1024, |k| ≤ 300 (seeded); tokens random on S² (normalised
// in interval arithmetic), seed 1. Progress (time reached) on stderr every 10 steps.
#include "certiformer/gradflow.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace certiformer;
using namespace certiformer::gradflow;

namespace {
template <class T> Model<T> p4_model(int n, int H, bool oscillating) {
  std::mt19937 g(7);
  std::uniform_int_distribution<int> U(-300, 300);
  Model<T> m;
  m.n = n; m.d = 3; m.sign = 1;
  for (int h = 0; h < H; ++h) {
    Mat<T> D(3, 3);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c <= r; ++c) D(r, c) = D(c, r) = T(U(g) / 1024.0 + (r == c ? 1.0 : 0.0));
    m.heads.push_back(oscillating ? WeightPath<T>::make_oscillating(D, h + 1, H) : WeightPath<T>::make_ou(D));
  }
  return m;
}
Vec<Interval> p4_tokens(int n) {
  std::mt19937 g(1);
  std::normal_distribution<double> N;
  Vec<Interval> X(3 * n);
  for (int i = 0; i < n; ++i) {
    double v[3];
    Interval s(0);
    for (auto& c : v) { c = N(g); s += sqr(Interval(c)); }
    for (int c = 0; c < 3; ++c) X(3 * i + c) = Interval(v[c]) / sqrt(s);
  }
  return X;
}
Eigen::VectorXd rk4(const GradflowField<Interval>& f, Eigen::VectorXd y, double T, int per_unit) {
  const int steps = static_cast<int>(std::ceil(T * per_unit));
  const double h = T / steps;
  Eigen::VectorXd k1, k2, k3, k4;
  auto F = [&](double t, const Eigen::VectorXd& x) { Vec<double> d; f(t, Vec<double>(x), d); return Eigen::VectorXd(d); };
  for (int s = 0; s < steps; ++s) {
    const double t = s * h;
    k1 = F(t, y);
    k2 = F(t + h / 2, y + h / 2 * k1);
    k3 = F(t + h / 2, y + h / 2 * k2);
    k4 = F(t + h, y + h * k3);
    y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return y;
}
}  // namespace

int main(int argc, char** argv) {
  const std::string regime = argc > 1 ? argv[1] : "both";
  const double T = argc > 2 ? std::atof(argv[2]) : 20;
  const int n = argc > 3 ? std::atoi(argv[3]) : 200, H = argc > 4 ? std::atoi(argv[4]) : 10;
  const int order = argc > 5 ? std::atoi(argv[5]) : 16;
  std::printf("# P4 at size: n = %d, d = 3, H = %d, T = %g, structured engine order %d, binary64\n", n, H, T, order);
  for (bool osc : {false, true}) {
    if ((osc && regime == "ou") || (!osc && regime == "osc")) continue;
    const Model<Interval> m = p4_model<Interval>(n, H, osc);
    const Vec<Interval> X0 = p4_tokens(n);
    EdiOptions opt;
    opt.method = ode::FlowMethod::structured;
    opt.order = order;
    int cnt = 0;
    opt.on_step = [&](double t) { if (++cnt % 10 == 0) std::fprintf(stderr, "  %s t = %.4f (%d steps)\n", osc ? "osc" : "ou", t, cnt); };
    const auto c0 = std::chrono::steady_clock::now();
    const EdiRun<Interval> run = energy_dissipation<Interval>(m, X0, T, opt);
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
    const EdiResult<Interval>& r = run.result;
    double wx = 0;
    for (Eigen::Index i = 0; i < r.tokens_at_horizon.size(); ++i) wx = std::max(wx, wid(r.tokens_at_horizon(i)));
    std::printf("%s: %s\n  %zu steps, t reached %g, %.1f s validated (%.2f s/step)\n", osc ? "oscillating" : "OU",
                r.verdict.reason().c_str(), r.steps, r.t_reached, sec, sec / std::max<std::size_t>(1, r.steps));
    if (r.verdict.is_proved()) {
      std::printf("  max width x(T) %.3e, e1 %.17g ± %.2e, e2 %.17g ± %.2e\n  energy change %.17g ± %.2e, identity residual width %.3e (%s)\n",
                  wx, mid(r.explicit_time_integral), rad(r.explicit_time_integral), mid(r.dissipation_integral),
                  rad(r.dissipation_integral), mid(r.energy_change), rad(r.energy_change), wid(r.identity_residual),
                  r.identity.is_proved() ? "contains 0" : "EXCLUDES 0");
    }
    // plain double: RK4 on the augmented field, steps 1/64 and 1/128
    const GradflowField<Interval> fd(m, true);  // evaluated with S = double (midpoints of the data)
    Eigen::VectorXd y0 = Eigen::VectorXd::Zero(fd.dimension());
    for (Eigen::Index i = 0; i < X0.size(); ++i) y0(i) = mid(X0(i));
    const auto d0 = std::chrono::steady_clock::now();
    const Eigen::VectorXd y1 = rk4(fd, y0, T, 64);
    const double dsec = std::chrono::duration<double>(std::chrono::steady_clock::now() - d0).count();
    const Eigen::VectorXd y2 = rk4(fd, y0, T, 128);
    const double acc = (y1 - y2).cwiseAbs().maxCoeff();
    double dev = 0;
    if (r.verdict.is_proved())
      for (Eigen::Index i = 0; i < r.tokens_at_horizon.size(); ++i) dev = std::max(dev, std::fabs(y2(i) - mid(r.tokens_at_horizon(i))));
    std::printf("  plain double RK4 (h = 1/64): %.1f s, |RK4(1/64) − RK4(1/128)| = %.2e, |RK4(1/128) − validated mid| = %.2e\n",
                dsec, acc, dev);
    std::printf("  ratio validated / double = %.1f\n", sec / dsec);
  }
}
