// Attention-system benchmarks:
//  * small smooth system n = 3, d = 2, one head, T = 1: relative width (target ≤ 1e-12) and time
//    (CAPD reference: width 3.8e-15 in 15 ms; kv 33 ms);
//  * n = 64 tokens, d = 16, H = 4 heads, T = 1: width at T, wall time, ratio to plain-double RK4
//    at the same step count (run with argument "large"; skipped with "small").
#include "bench_common.hpp"
#include "certiformer/transformer.hpp"

#include <random>
#include <string>

using namespace bench;
using namespace certiformer::transformer;

namespace {
double dy(std::mt19937_64& g, double a) {
  std::uniform_real_distribution<double> U(-a, a);
  return std::ldexp(std::round(std::ldexp(U(g), 12)), -12);
}
Mat<Interval> rmat(std::mt19937_64& g, Eigen::Index r, Eigen::Index c, double a) {
  Mat<Interval> m(r, c);
  for (Eigen::Index j = 0; j < c; ++j)
    for (Eigen::Index i = 0; i < r; ++i) m(i, j) = Interval(dy(g, a));
  return m;
}
TransformerField<Interval> system(std::uint64_t seed, Eigen::Index n, Eigen::Index d, int H, Eigen::Index dk, bool ffn) {
  auto g = std::mt19937_64(seed);
  Layer<Interval> l;
  l.beta = Interval(1);
  const double s = 1.0 / std::sqrt(static_cast<double>(d));
  for (int h = 0; h < H; ++h) {
    Head<Interval> hd;
    hd.Q = rmat(g, dk, d, s);
    hd.K = rmat(g, dk, d, s);
    hd.V = rmat(g, d, d, s / H);
    l.heads.push_back(hd);
  }
  if (ffn) {
    l.W = rmat(g, d, d, 0.5 * s);
    l.b = Vec<Interval>(rmat(g, d, 1, 0.5));
  }
  return TransformerField<Interval>(n, d, Control<Interval>::constant(l));
}
Vec<Interval> tokens(std::uint64_t seed, Eigen::Index N) {
  auto g = std::mt19937_64(seed);
  Vec<Interval> x(N);
  for (Eigen::Index i = 0; i < N; ++i) x(i) = Interval(dy(g, 1.0));
  return x;
}
template <class F> void run(const char* name, const F& f, const Vec<Interval>& x0, double T, TaylorOptions o, int reps) {
  Vec<double> xd(x0.size());
  for (Eigen::Index i = 0; i < x0.size(); ++i) xd(i) = mid(x0(i));
  FlowResult<Interval> r;
  const double t = best_time(reps, [&] { return enclose_flow<Interval>(f, 0.0, x0, T, o); }, r);
  Vec<double> y;
  const double trk = best_time(reps, [&] { return rk4(f, 0.0, xd, T, std::max<std::size_t>(1, r.step_count)); }, y);
  double dev = 0;  // RK4 result vs the enclosure (how far the approximate run lies outside)
  for (Eigen::Index i = 0; i < y.size(); ++i)
    dev = std::max(dev, std::max(inf(r.enclosure(i)) - y(i), y(i) - sup(r.enclosure(i))));
  std::printf("%-28s order %2d %-10s T=%g: %s, steps %zu, max width %.3e, max rel width %.3e, time %.4f s, "
              "RK4 (same steps) %.2e s, ratio %.0f, RK4 outside enclosure by %.1e\n",
              name, o.order, to_string(o.wrapping), T, r.verdict.is_proved() ? "proved" : r.verdict.reason().c_str(),
              r.step_count, max_width(r.enclosure), max_rel_width(r.enclosure), t, trk, t / trk, std::max(0.0, dev));
  std::fflush(stdout);
}
}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc > 1 ? argv[1] : "all";
  if (which != "large") {
    const auto f = system(3, 3, 2, 1, 2, true);
    const Vec<Interval> x0 = tokens(4, 6);
    for (int p : {12, 16, 20, 24, 28}) {
      TaylorOptions o;
      o.order = p;
      o.record_steps = false;
      run("small n=3 d=2 H=1", f, x0, 1.0, o, 5);
    }
  }
  if (which != "small") {
    const auto f = system(5, 64, 16, 4, 16, true);
    const Vec<Interval> x0 = tokens(6, 64 * 16);
    for (int p : {16}) {
      TaylorOptions o;
      o.order = p;
      o.record_steps = false;
      o.wrapping = Wrapping::box;  // N = 1024: a full Jacobian per step is not affordable
      run("large n=64 d=16 H=4", f, x0, 1.0, o, 1);
    }
  }
  return 0;
}
