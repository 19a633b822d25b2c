// Lorenz benchmark (σ = 10, ρ = 28, β = 8/3 exact, start (15, 15, 36)): width and time at
// T = 0.5, 1, 2, 4, 10 and the time where the enclosure breaks down; order sweep (the default
// order is chosen from it); ratio to a plain-double RK4 with the same number of steps.
// Reference (CAPD, this kind of machine): 6.4e-12 at T = 2 in 8.5 ms, 2.3e-7 at T = 10 in
// 43 ms, breakdown near t = 25; kv (affine) 3.7e-8 at T = 10 in 0.77 s.
#include "bench_common.hpp"

using namespace bench;

int main() {
  const auto f = LorenzField<Interval>::classical();
  Vec<Interval> x0(3);
  x0 << Interval(15), Interval(15), Interval(36);
  Vec<double> xd(3);
  xd << 15, 15, 36;
  std::printf("# Lorenz, binary64 Interval, Wrapping::qr\n");
  std::printf("%-6s %-6s %12s %10s %7s %12s %9s\n", "order", "T", "max width", "time [s]", "steps", "RK4 time", "ratio");
  for (int p : {12, 16, 20, 24, 28}) {
    for (double T : {0.5, 1.0, 2.0, 4.0, 10.0}) {
      TaylorOptions o;
      o.order = p;
      o.record_steps = false;
      FlowResult<Interval> r;
      const double t = best_time(3, [&] { return enclose_flow<Interval>(f, 0.0, x0, T, o); }, r);
      Vec<double> y;
      const double trk = best_time(3, [&] { return rk4(f, 0.0, xd, T, r.step_count); }, y);
      std::printf("%-6d %-6g %12.3e %10.4f %7zu %12.2e %9.1f %s\n", p, T, max_width(r.enclosure), t, r.step_count, trk,
                  t / trk, r.verdict.is_proved() ? "" : "(not proved)");
    }
  }
  for (int p : {20, 24}) {
    TaylorOptions o;
    o.order = p;
    o.record_steps = false;
    const double t0 = now();
    auto r = enclose_flow<Interval>(f, 0.0, x0, 100.0, o);
    std::printf("order %d: enclosure breaks down at t = %.4f (certified: solution enclosed on [0, %.4f]) after %zu steps, %.3f s; width there %.2e\n",
                p, r.t_reached, r.t_reached, r.step_count, now() - t0, max_width(r.enclosure));
  }
  // MpInterval: order sweep at 256 bits (the default order is 0.35·bits = 89).
  {
    MpPrecisionScope prec(256);
    const auto fm = LorenzField<MpInterval>::classical();
    Vec<MpInterval> y0(3);
    y0 << MpInterval(15), MpInterval(15), MpInterval(36);
    std::printf("# Lorenz, MpInterval 256 bits, T = 1\n");
    for (int p : {40, 60, 89, 120}) {
      TaylorOptions o;
      o.order = p;
      o.record_steps = false;
      FlowResult<MpInterval> r;
      const double t = best_time(1, [&] { return enclose_flow<MpInterval>(fm, 0.0, y0, 1.0, o); }, r);
      std::printf("order %3d: max width %.3e, %zu steps, %.3f s\n", p, max_width(r.enclosure), r.step_count, t);
    }
  }
  return 0;
}
