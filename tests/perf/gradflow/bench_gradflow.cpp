// P4 gradient-flow benchmark: the augmented energy-dissipation system (gradflow/edi.hpp) for
// n tokens on S¹ and H heads (constant weights), binary64 Interval, Taylor–Lohner (Wrapping::qr).
// For each (n, H) of the grid: K validated steps from t = 0 (default K = 2; argument 2 overrides);
// time per step, and the ratio to the *same* computation in plain double: the same Taylor order,
// the same step end points, Taylor coefficients of the solution by the same AD code over double
// (enclose_ode_coefficients<double>) and Horner — i.e. a non-validated Taylor integrator.
// Usage: bench_gradflow [grid] [K], grid = "full" (n ∈ {32, 64, 128} × H ∈ {1, 2, 5, 10}) or
// "sample" (default: (32,1), (32,10), (64,1), (64,5), (128,1)).
#include "certiformer/gradflow.hpp"
#include "certiformer/ode/coefficients.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

using namespace certiformer;
using namespace certiformer::gradflow;

namespace {
Mat<Interval> head_matrix(int h) {
  // symmetric, dyadic entries: [[1 + h/8, 1/4], [1/4, 2 − h/16]]
  Mat<Interval> D(2, 2);
  D(0, 0) = Interval(1 + h / 8.0);
  D(0, 1) = D(1, 0) = Interval(0.25);
  D(1, 1) = Interval(2 - h / 16.0);
  return D;
}
}  // namespace

int main(int argc, char** argv) {
  const std::string grid = argc > 1 ? argv[1] : "sample";
  const int K = argc > 2 ? std::atoi(argv[2]) : 2;
  std::vector<std::pair<int, int>> cases;
  if (grid == "full") {
    for (int n : {32, 64, 128})
      for (int H : {1, 2, 5, 10}) cases.push_back({n, H});
  } else {
    cases = {{32, 1}, {32, 10}, {64, 1}, {64, 5}, {128, 1}};
  }
  std::printf("# gradflow.edi augmented field, d = 2, binary64 Interval, %d validated step(s) per case\n", K);
  std::printf("%5s %4s %6s %6s %12s %12s %12s %10s %12s\n", "n", "H", "dim", "steps", "t reached", "interval [s]",
              "s / step", "double [s]", "ratio");
  for (auto [n, H] : cases) {
    Model<Interval> m;
    m.n = n; m.d = 2; m.sign = 1;
    for (int h = 0; h < H; ++h) m.heads.push_back(WeightPath<Interval>::make_constant(head_matrix(h)));
    Vec<Interval> X0(2 * n);
    for (int k = 0; k < n; ++k) {
      const Interval th = Interval(0.1) + Interval(k) * (Interval(2) * pi<Interval>() / Interval(n));
      X0(2 * k) = cos(th);
      X0(2 * k + 1) = sin(th);
    }
    ode::TaylorOptions opt;
    opt.max_steps = static_cast<std::size_t>(K);
    const GradflowField<Interval> f(m, true);
    const auto c0 = std::chrono::steady_clock::now();
    const ode::FlowResult<Interval> r = ode::enclose_flow<Interval>(f, 0.0, augmented_initial(f, X0), 1.0, [&] {
      ode::TaylorOptions o = opt;
      o.record_steps = true;
      return o;
    }());
    const double ti = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
    // plain double at the same steps and order
    const int p = ode::detail::default_order<Interval>();
    Vec<double> x(f.dimension());
    const Vec<Interval> Y0 = augmented_initial(f, X0);
    for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = mid(Y0(i));
    const auto c1 = std::chrono::steady_clock::now();
    for (const auto& st : r.steps) {
      const auto y = ode::enclose_ode_coefficients<double>(f, st.t0, x, p, 1);
      x = ode::horner(y, st.t1 - st.t0);
    }
    const double td = std::chrono::duration<double>(std::chrono::steady_clock::now() - c1).count();
    std::printf("%5d %4d %6ld %6zu %12.6f %12.3f %12.3f %10.4f %12.1f\n", n, H, static_cast<long>(f.dimension()),
                r.step_count, r.t_reached, ti, ti / std::max<std::size_t>(1, r.step_count), td,
                td > 0 ? ti / td : 0.0);
    std::fflush(stdout);
  }
  return 0;
}
