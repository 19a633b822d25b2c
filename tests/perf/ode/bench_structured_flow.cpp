// Structured attention flow engine (transformer/structured_flow.hpp) — issue 13, goals 1 and 4:
//  * n = 64 tokens, d = 16, H = 4 heads, affine FFN (N = 1024), seeded weights of scale 1/√d,
//    tokens in [−1, 1], T = 1: wall time, relative width, peak memory (getrusage), ratio to a
//    plain-double RK4 run to the same accuracy (same run);
//  * the same with an initial box of radius 1e-9 around every token coordinate;
//  * scale curve N = n·16 for n = 4 … (argument "scale"): time per unit horizon, log-log slope;
//  * argument "cli [CONFIG]": the config examples/configs/transformer_flow_attention_n64_d16.json
//    (the same system, written by scripts/gen_attention_flow_config.cpp) through run_config_file —
//    what `certiformer run` does, default options — timed, with the widths of tokens_at_horizon
//    and RK4 to the same accuracy in the same process.
//  * scale curve with n = d grown together, N = 64 … 16 384 (argument "scale_nd [n_max [T [n_min]]]", issue 13
//    goal 4): wall and CPU time per unit horizon, log-log slope of CPU time against N;
// Arguments: "main" (default: the two N = 1024 runs), "scale [n_max]", "scale_nd [n_max [T [n_min]]]",
// "cli [CONFIG]", "all".
#include "bench_common.hpp"
#include "certiformer/cert.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/transformer/structured_flow.hpp"
#include "../random_attention.hpp"

#include <sys/resource.h>

#include <cmath>
#include <string>
#include <vector>

using namespace bench;
using namespace certiformer::transformer;
using perf_models::random_attention_field;
using perf_models::random_tokens;

namespace {
double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}
/// Process CPU time (user + system, all threads), seconds.
double cpu_now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}
double max_abs_dev(const Vec<double>& y, const Vec<Interval>& e) {
  double m = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) m = std::max(m, std::fabs(y(i) - mid(e(i))));
  return m;
}

/// RK4 with the fewest steps (from a geometric ladder) whose error against the enclosure's
/// midpoints is ≤ acc; returns {steps, seconds}.
template <class F> std::pair<std::size_t, double> rk4_to(const F& f, const Vec<double>& x, const Vec<Interval>& e,
                                                        double acc) {
  std::size_t m = 8;
  for (; m < 16384; m = static_cast<std::size_t>(std::ceil(m * 1.19))) {
    const Vec<double> y = rk4(f, 0.0, x, 1.0, m);
    if (max_abs_dev(y, e) <= acc) break;
  }
  Vec<double> y;
  const double t = best_time(3, [&] { return rk4(f, 0.0, x, 1.0, m); }, y);
  return {m, t};
}

/// Max width / max |x| over the coordinates (width relative to the magnitude of the state).
double state_rel_width(const Vec<Interval>& e) {
  double m = 0;
  for (Eigen::Index i = 0; i < e.size(); ++i) m = std::max(m, mag(e(i)));
  return max_width(e) / m;
}

void main_runs() {
  const auto f = random_attention_field(5, 64, 16, 4, 16, true);
  const Vec<Interval> x0 = random_tokens(6, 64 * 16);
  Vec<double> xd(x0.size());
  for (Eigen::Index i = 0; i < x0.size(); ++i) xd(i) = mid(x0(i));
  for (int p : {16, 20, 24}) {
    StructuredFlowOptions o;
    o.order = p;
    const double t0 = now();
    const auto r = enclose_structured_flow(f, x0, 1.0, o);
    const double t = now() - t0;
    const double w = max_width(r.enclosure);
    const auto [m, trk] = rk4_to(f, xd, r.enclosure, w / 2);  // RK4 error ≤ half our width
    const auto [m11, trk11] = rk4_to(f, xd, r.enclosure, 1e-11);
    std::printf("structured n=64 d=16 H=4 point p=%d: %s, steps %zu, max width %.3e, max rel width %.3e, max width / max |x| %.3e, mu<=%.3f, "
                "time %.3f s, peak RSS %.0f MiB; RK4 to the same accuracy: %zu steps %.4f s, ratio %.1f; "
                "RK4 to 1e-11: %zu steps %.4f s, ratio %.1f\n",
                p, r.verdict.is_proved() ? "proved" : r.verdict.reason().c_str(), r.step_count, w,
                max_rel_width(r.enclosure), state_rel_width(r.enclosure), r.max_lognorm, t, peak_mib(), m, trk, t / trk, m11, trk11, t / trk11);
    std::fflush(stdout);
  }
  Vec<Interval> X0(x0.size());
  for (Eigen::Index i = 0; i < x0.size(); ++i) X0(i) = x0(i) + Interval(-1e-9, 1e-9);
  const double t0 = now();
  const auto r = enclose_structured_flow(f, X0, 1.0);
  const double t = now() - t0;
  std::printf("structured n=64 d=16 H=4 box radius 1e-9: %s, steps %zu, max width %.3e (target <= 1e-7), "
              "mu<=%.3f, growth e^mu<=%.2f, time %.3f s, peak RSS %.0f MiB\n",
              r.verdict.is_proved() ? "proved" : r.verdict.reason().c_str(), r.step_count, max_width(r.enclosure),
              r.max_lognorm, std::exp(r.max_lognorm), t, peak_mib());
  std::fflush(stdout);
}

void cli_run(const std::string& path) {
  using namespace certiformer::cert;
  const double t0 = now(), c0 = cpu_now();
  const Certificate c = run_config_file(path);
  const double t = now() - t0, tc = cpu_now() - c0;
  const double rss = peak_mib();
  std::string method = "?";
  Vec<Interval> e;
  for (const auto& [name, v] : c.results) {
    if (name == "method") method = std::get<std::string>(v);
    if (name == "tokens_at_horizon") {
      const auto& m = std::get<EnclosureMatrix>(v);
      e.resize(static_cast<Eigen::Index>(m.size() * m[0].size()));
      Eigen::Index k = 0;
      for (const auto& row : m)
        for (const auto& x : row)
          e(k++) = Interval(inf(certiformer::from_text<Interval>(x.lo_hex)), sup(certiformer::from_text<Interval>(x.hi_hex)));
    }
  }
  if (c.status() != Status::proved || e.size() != 1024) {
    std::printf("cli %s: not proved or wrong size\n", path.c_str());
    return;
  }
  const auto f = random_attention_field(5, 64, 16, 4, 16, true);  // the config's system
  const Vec<Interval> x0 = random_tokens(6, 64 * 16);
  Vec<double> xd(x0.size());
  for (Eigen::Index i = 0; i < x0.size(); ++i) xd(i) = mid(x0(i));
  const double w = max_width(e);
  const auto [m, trk] = rk4_to(f, xd, e, w / 2);
  double ccpu = 1e300;  // CPU time of the RK4 run (best of 3): the load-robust ratio
  for (int rep = 0; rep < 3; ++rep) {
    const double c1 = cpu_now();
    volatile double sink = rk4(f, 0.0, xd, 1.0, m)(0);
    (void)sink;
    ccpu = std::min(ccpu, cpu_now() - c1);
  }
  Vec<double> y = rk4(f, 0.0, xd, 1.0, m);
  bool inside = true;  // the RK4 end point (error ≤ w/2) lies in the enclosure: the same system
  for (Eigen::Index i = 0; i < y.size(); ++i) inside = inside && y(i) >= inf(e(i)) - w && y(i) <= sup(e(i)) + w;
  std::printf("cli %s: method %s; time %.3f s, peak RSS %.0f MiB; max width %.3e, max width / max |x| %.3e, "
              "max per-coordinate rel width %.3e; RK4 to the same accuracy (%.2e): %zu steps %.4f s, ratio %.1f; "
              "CPU time %.3f s vs RK4 CPU %.4f s, CPU ratio %.1f; RK4 end point %s\n",
              path.c_str(), method.c_str(), t, rss, w, state_rel_width(e), max_rel_width(e), w / 2, m, trk, t / trk,
              tc, ccpu, tc / ccpu, inside ? "inside (same system)" : "OUTSIDE (system mismatch?)");
  std::fflush(stdout);
}

void tune() {
  const auto f = random_attention_field(5, 64, 16, 4, 16, true);
  const Vec<Interval> x0 = random_tokens(6, 64 * 16);
  for (double tol : {1e-16, 1e-14})
    for (int p : {12, 16}) {
      StructuredFlowOptions o;
      o.order = p;
      o.tolerance = tol;
      const double t0 = now();
      const auto r = enclose_structured_flow(f, x0, 1.0, o);
      std::printf("tune p=%d tol=%g: %s, steps %zu (shrinks: a-priori %zu, remainder %zu), max width %.3e, time %.3f s\n",
                  p, tol, r.verdict.is_proved() ? "proved" : r.verdict.reason().c_str(), r.step_count,
                  r.shrinks_apriori, r.shrinks_remainder, max_width(r.enclosure), now() - t0);
      std::fflush(stdout);
    }
}

void scale_curve(int n_max) {
  std::vector<double> lx, ly;
  for (int n = 4; n <= n_max; n *= 4) {
    const auto f = random_attention_field(5, n, 16, 4, 16, true);
    const Vec<Interval> x0 = random_tokens(6, n * 16);
    const double t0 = now();
    const auto r = enclose_structured_flow(f, x0, 1.0);
    const double t = now() - t0;
    Vec<double> xd(x0.size());
    for (Eigen::Index i = 0; i < x0.size(); ++i) xd(i) = mid(x0(i));
    Vec<double> y;
    const double trk = best_time(1, [&] { return rk4(f, 0.0, xd, 1.0, 128); }, y);
    std::printf("scale N=%d (n=%d): %s, steps %zu, rel width %.2e, time per unit horizon %.4f s, "
                "RK4 128 steps %.4f s (ratio %.1f), peak RSS %.0f MiB\n",
                n * 16, n, r.verdict.is_proved() ? "proved" : r.verdict.reason().c_str(), r.step_count,
                max_rel_width(r.enclosure), t, trk, t / trk, peak_mib());
    std::fflush(stdout);
    lx.push_back(std::log(n * 16.0));
    ly.push_back(std::log(t));
  }
  if (lx.size() >= 2) {
    const std::size_t k = lx.size();
    std::printf("log-log slope (time vs N): all points %.2f, last two %.2f\n",
                (ly[k - 1] - ly[0]) / (lx[k - 1] - lx[0]), (ly[k - 1] - ly[k - 2]) / (lx[k - 1] - lx[k - 2]));
  }
}

/// Issue 13 goal 4: the scale curve with n and d grown together (n = d = 8, 16, 32, 64, 128:
/// N = n·d = 64 … 16 384; H = 4 heads, key dimension d, affine FFN, T = 1, point tokens). One
/// field evaluation with its Jacobian structure costs ≈ n²·d·H (scores, values) + n·d²·H
/// (projections): ∝ N^1.5 along this curve, against N³ for a dense Jacobian of the whole state.
/// Prints wall and process CPU time per unit horizon (CPU is the load-robust figure) and the
/// log-log slopes of CPU time against N. `horizon` < 1 runs every point on [0, horizon] only
/// (the figures are then per unit horizon *on that interval*: the step size shrinks along the
/// trajectory, so they are lower than over [0, 1]); `n_min` skips the small points.
void scale_curve_nd(int n_max, double horizon, int n_min) {
  std::vector<double> lx, ly;
  for (int n = n_min; n <= n_max; n *= 2) {
    const auto f = random_attention_field(5, n, n, 4, n, true);
    const Vec<Interval> x0 = random_tokens(6, static_cast<Eigen::Index>(n) * n);
    const double c0 = cpu_now(), t0 = now();
    const auto r = enclose_structured_flow(f, x0, horizon);
    const double t = (now() - t0) / horizon, c = (cpu_now() - c0) / horizon;
    Vec<double> xd(x0.size());
    for (Eigen::Index i = 0; i < x0.size(); ++i) xd(i) = mid(x0(i));
    Vec<double> y;
    const double c1 = cpu_now();
    const double trk = best_time(1, [&] { return rk4(f, 0.0, xd, horizon, 128); }, y) / horizon;
    const double crk = (cpu_now() - c1) / horizon;
    std::printf("scale_nd N=%d (n=d=%d), T=%g: %s, steps %zu, max width %.2e, rel width %.2e, per unit horizon: "
                "wall %.3f s, CPU %.3f s; RK4 128 steps (double field) wall %.4f s CPU %.4f s (CPU ratio %.1f), "
                "peak RSS %.0f MiB\n",
                n * n, n, horizon, r.verdict.is_proved() ? "proved" : r.verdict.reason().c_str(), r.step_count,
                max_width(r.enclosure), max_rel_width(r.enclosure), t, c, trk, crk, c / std::max(crk, 1e-9), peak_mib());
    std::fflush(stdout);
    lx.push_back(std::log(static_cast<double>(n) * n));
    ly.push_back(std::log(c));
    const std::size_t k = lx.size();
    if (k >= 2)
      std::printf("  log-log slope of CPU time vs N: from the first point %.2f, last two %.2f\n",
                  (ly[k - 1] - ly[0]) / (lx[k - 1] - lx[0]), (ly[k - 1] - ly[k - 2]) / (lx[k - 1] - lx[k - 2]));
  }
}
}  // namespace

int main(int argc, char** argv) {
  const std::string which = argc > 1 ? argv[1] : "main";
  if (which == "main" || which == "all") main_runs();
  if (which == "tune") tune();
  if (which == "cli")
    cli_run(argc > 2 ? argv[2] : "examples/configs/transformer_flow_attention_n64_d16.json");
  if (which == "scale" || which == "all") scale_curve(argc > 2 ? std::atoi(argv[2]) : 256);
  if (which == "scale_nd")  // scale_nd [n_max [horizon [n_min]]]
    scale_curve_nd(argc > 2 ? std::atoi(argv[2]) : 128, argc > 3 ? std::atof(argv[3]) : 1.0,
                   argc > 4 ? std::atoi(argv[4]) : 8);
  return 0;
}
