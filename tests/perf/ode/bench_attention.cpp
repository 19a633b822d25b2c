// Attention-system benchmarks:
//  * small smooth system n = 3, d = 2, one head, T = 1: relative width (target ≤ 1e-12) and time
//    (CAPD reference: width 3.8e-15 in 15 ms; kv 33 ms);
//  * n = 64 tokens, d = 16, H = 4 heads, T = 1: width at T, wall time, ratio to plain-double RK4
//    at the same step count (run with argument "large"; skipped with "small").
#include "bench_common.hpp"
#include "certiformer/transformer.hpp"
#include "../random_attention.hpp"

#include <random>
#include <string>

using namespace bench;
using namespace certiformer::transformer;
using perf_models::random_attention_field;
using perf_models::random_tokens;

namespace {
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
    const auto f = random_attention_field(3, 3, 2, 1, 2, true);
    const Vec<Interval> x0 = random_tokens(4, 6);
    for (int p : {12, 16, 20, 24, 28}) {
      TaylorOptions o;
      o.order = p;
      o.record_steps = false;
      run("small n=3 d=2 H=1", f, x0, 1.0, o, 5);
    }
  }
  if (which != "small") {
    const auto f = random_attention_field(5, 64, 16, 4, 16, true);
    const Vec<Interval> x0 = random_tokens(6, 64 * 16);
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
