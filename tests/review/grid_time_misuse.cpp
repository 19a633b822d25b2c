// Review (commit af857cb): euler_grid_time edge cases that the random oracle
// (grid_time_oracle.cpp) does not reach — exit status is informational (prints what happens):
//  1. a span inconsistent with eps whose enclosure still meets it (documented misuse: span must be
//     L·ε exactly): eps = the double 0.3 (the network's ε), span = 3, L = 10, breakpoint 1.5. The
//     exact network with ε = 0.3d has t_5 = 5·0.3d < 1.5 (first piece); with the span the time is
//     the point 1.5 (second piece). Without the span: refused.
//  2. upper_bound_euler_error with a wide t0: j = round(mid((b − t0)/ε)) may be negative and is
//     cast to std::size_t (undefined behaviour in C++; before af857cb it was a double).
//  3. MpInterval grid times that are points at 256 bits but not doubles (T = 1 + 2^-52, L = 4,
//     k = 3) next to a breakpoint: the piece must be the exact one.
//  4. euler_grid_time's documented "t0 + k·ε for every ε ∈ eps" with a span and a wide eps.
// Exit status: the number of wrong results (a misuse not refused, proved-and-wrong, an exact time outside).
#include "certiformer/core.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/ode/defect.hpp"
#include "certiformer/ode/euler_map.hpp"

#include <cstdio>
#include <stdexcept>
#include <vector>

using namespace certiformer;
using namespace certiformer::ode;

namespace {
struct PL {
  std::vector<double> bps, a, b;
  Eigen::Index dimension() const { return 1; }
  std::vector<double> breakpoints() const { return bps; }
  template <class S> void operator()(const S& t, const Vec<S>& x, Vec<S>& dx) const {
    const std::size_t i = select_piece_for(bps, t);
    dx(0) = x(0) * lift<S>(a[i]) + lift<S>(b[i]);
  }
};
}  // namespace

int main() {
  int wrong = 0;
  {  // 1 — since the review's report: eps must enclose span/L (std::invalid_argument), so the
     //     misuse is refused instead of proved-and-wrong; without the span the step is refused
    PL f{{1.5}, {0, 0}, {0, 1}};
    Vec<Interval> x0(1);
    x0(0) = Interval(0);
    const Interval eps(0.3);
    bool refused = false;
    try {
      (void)enclose_euler_iterates<Interval>(f, x0, eps, 10, Interval(0), Wrapping::qr, 0, Interval(3));
    } catch (const std::invalid_argument& e) {
      refused = true;
      std::printf("1. misuse eps=0.3d span=3 L=10 b=1.5: refused (%s)\n", e.what());
    }
    if (!refused) {
      std::printf("1. misuse eps=0.3d span=3 L=10 b=1.5: NOT refused\n");
      ++wrong;
    }
    const auto without = enclose_euler_iterates<Interval>(f, x0, eps, 10, Interval(0), Wrapping::qr, 0);
    std::printf("   without span: %s\n", without.verdict.is_proved() ? "proved" : "unknown");
    if (without.verdict.is_proved()) {  // must contain the exact network with ε = 0.3d
      Rational e(0.3), x = 0;
      for (int k = 0; k < 10; ++k)
        if (Rational(k) * e >= Rational(1.5)) x += e;
      MpPrecisionScope hi(512);
      if (!subset(enclose<MpInterval>(x), MpInterval(without.iterates.back()(0)))) ++wrong;
    }
    std::vector<Vec<Interval>> nodes(11, x0);
    bool refused_b = false;
    try {
      (void)upper_bound_euler_error<Interval>(f, nodes, eps, Interval(0), 0.0, 0, Interval(3));
    } catch (const std::invalid_argument&) {
      refused_b = true;
    }
    std::printf("   upper_bound_euler_error with that span: %s\n", refused_b ? "refused" : "NOT refused");
    if (!refused_b) ++wrong;
  }
  {  // 2
    PL f{{0.1}, {1, 2}, {0, 0}};
    std::vector<Vec<Interval>> nodes;
    for (int k = 0; k <= 10; ++k) {
      Vec<Interval> v(1);
      v(0) = Interval(1, 3);
      nodes.push_back(v);
    }
    const Interval t0(0.05, 5);  // (b − t0)/ε = [−49, 0.5]: j = −24 (no cast of a negative j since the fix)
    try {
      const auto b = upper_bound_euler_error<Interval>(f, nodes, Interval(1) / Interval(10), t0, 0.0, 0, Interval(1));
      std::printf("2. wide t0 = [0.05, 5], b = 0.1: %s (%s)\n", b.verdict.is_proved() ? "proved" : "unknown", b.verdict.reason().c_str());
    } catch (const std::exception& ex) {
      std::printf("2. wide t0 = [0.05, 5], b = 0.1: threw %s\n", ex.what());
    }
  }
  {  // 3
    MpPrecisionScope p(256);
    const Rational Tq = parse_exact("0x1.0000000000001p0");
    const Rational t3 = Tq * 3 / 4;
    const Interval e = enclose<Interval>(t3);
    for (double b : {inf(e), sup(e)}) {
      PL f{{b}, {0, 0}, {1, 2}};
      const MpInterval T = enclose<MpInterval>(Tq);
      const MpInterval eps = T / MpInterval(4.0);
      const MpInterval tk = euler_grid_time<MpInterval>(MpInterval(0.0), eps, 3, T, 4);
      Vec<MpInterval> x0(1);
      x0(0) = MpInterval(0.0);
      const auto m = enclose_euler_iterates<MpInterval>(f, x0, eps, 4, MpInterval(0.0), Wrapping::qr, 0, T);
      Rational x = 0;
      for (int k = 0; k < 4; ++k) x += Tq / 4 * (Rational(k) * Tq / 4 >= Rational(b) ? 2 : 1);
      MpPrecisionScope hi(512);
      const bool in = subset(enclose<MpInterval>(x), m.iterates.back()(0));
      std::printf("3. T = 1+2^-52, L = 4, t_3 point at 256 bits: %d, b = %a: %s, exact x_4 %s\n", is_point(tk) ? 1 : 0, b,
                  m.verdict.is_proved() ? "proved" : "unknown", in ? "contained" : "NOT CONTAINED");
      if (m.verdict.is_proved() && !in) ++wrong;
    }
  }
  {  // 4: with a span the enclosure is of t0 + kT/L (T ∈ span), documented so; eps must contain span/L
    const Interval t5 = euler_grid_time<Interval>(Interval(0), Interval(0.09, 0.11), 5, Interval(1), 10);
    std::printf("4. euler_grid_time(0, eps = [0.09, 0.11], k = 5, span = 1, L = 10) = [%.17g, %.17g] (the exact 5/10 %s)\n",
                inf(t5), sup(t5), subset(Interval(0.5), t5) ? "inside" : "OUTSIDE");
    if (!subset(Interval(0.5), t5)) ++wrong;
  }
  return wrong;
}
