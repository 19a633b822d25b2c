// Euler-table benchmark (issue 4): n = 64 tokens, d = 16, H = 4 heads (d_k = 4), affine FFN, T = 1.
//  * discrete enclosure: the exact real iterates of the depth-L network (box wrapping: the
//    initial tokens are points, so the mean-value/QR form with a 1024-direction Jacobian per
//    layer is not needed), for L = 128, 256, 512, 1024; ratio to the same Euler passes in plain
//    double through the same field code (goal ≤ 4×);
//  * with argument "table": the full certified order table (flow by the validated integrator,
//    box wrapping) for the depths given after it (default 16 32) — slow at this size.
//  * with argument "small": a small model (n = 8, d = 4, 2 heads) full table with QR wrapping.
// Every run prints its wall time and the ratio against plain double in the same run.
#include "certiformer/euler.hpp"
#include "../random_attention.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;
using perf_models::random_attention_field;
using perf_models::random_tokens;

namespace {
double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
/// The same L Euler passes in plain double (midpoint parameters, same field code).
Vec<double> euler_double(const TransformerField<Interval>& f, const Vec<Interval>& X0, double T, std::size_t L) {
  Vec<double> x(X0.size()), dx(X0.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = mid(X0(i));
  const double eps = T / static_cast<double>(L);
  for (std::size_t k = 0; k < L; ++k) {
    f(eps * static_cast<double>(k), x, dx);
    x += eps * dx;
  }
  return x;
}
double max_width(const Vec<Interval>& x) {
  double m = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) m = std::max(m, wid(x(i)));
  return m;
}
void discrete_bench(const TransformerField<Interval>& f, const Vec<Interval>& X0, ode::Wrapping w) {
  for (std::size_t L : {128u, 256u, 512u, 1024u}) {
    const double t0 = now();
    const ode::MapResult<Interval> m = enclose_discrete_iterates<Interval>(f, X0, Interval(1), L, w);
    const double ti = now() - t0;
    const double t1 = now();
    const Vec<double> xd = euler_double(f, X0, 1.0, L);
    const double td = now() - t1;
    double dev = 0;
    for (Eigen::Index i = 0; i < xd.size(); ++i)
      dev = std::max(dev, std::max(inf(m.iterates.back()(i)) - xd(i), xd(i) - sup(m.iterates.back()(i))));
    std::printf("discrete n=%ld d=%ld L=%5zu: %s, max width %.3e, interval %.3f s, double %.4f s, ratio %.2fx "
                "(double outside the enclosure by %.1e)\n",
                static_cast<long>(f.tokens()), static_cast<long>(f.token_dimension()), L,
                m.verdict.is_proved() ? "enclosed" : m.verdict.reason().c_str(), max_width(m.iterates.back()), ti, td,
                ti / td, dev);
    std::fflush(stdout);
  }
}
void table_bench(const TransformerField<Interval>& f, const Vec<Interval>& X0, const std::vector<std::size_t>& depths,
                 ode::Wrapping w, bool apost) {
  EulerOptions opt;
  opt.wrapping = w;
  opt.flow.wrapping = w;
  opt.aposteriori = apost;
  const double t0 = now();
  const OrderTable<Interval> tab = enclose_order_table<Interval>(f, X0, 1.0, depths, opt);
  const double ti = now() - t0;
  double td = 0;
  for (std::size_t L : depths) {
    const double t1 = now();
    (void)euler_double(f, X0, 1.0, L);
    td += now() - t1;
  }
  std::printf("table n=%ld d=%ld: %s; flow %zu steps %.2f s; total %.2f s (plain-double Euler passes %.4f s, ratio %.0fx)\n",
              static_cast<long>(f.tokens()), static_cast<long>(f.token_dimension()), tab.verdict.reason().c_str(),
              tab.flow.steps, tab.flow.seconds, ti, td, ti / td);
  for (const auto& r : tab.rows)
    std::printf("  L=%5zu err/eps in [%.6g, %.6g] hi/lo %.6f  discrete %.3f s  a-posteriori %.3g (%s, %.2f s)\n", r.depth,
                inf(r.ratio), sup(r.ratio), sup(r.error) / inf(r.error), r.seconds_discrete, r.aposteriori,
                r.aposteriori_verdict.is_proved() ? "proved" : r.aposteriori_verdict.reason().c_str(), r.seconds_aposteriori);
  std::printf("  C_thm: %s %.6g\n", tab.theorem_verdict.reason().c_str(), sup(tab.theorem_constant));
  std::fflush(stdout);
}
}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "discrete";
  if (mode == "small") {
    const auto f = random_attention_field(7, 8, 4, 2, 2, true);
    table_bench(f, random_tokens(8, 32), {16, 32, 64, 128, 256}, ode::Wrapping::qr, true);
    return 0;
  }
  const auto f = random_attention_field(1, 64, 16, 4, 4, true);
  const Vec<Interval> X0 = random_tokens(2, 64 * 16);
  if (mode == "table") {
    std::vector<std::size_t> depths;
    for (int i = 2; i < argc; ++i) depths.push_back(static_cast<std::size_t>(std::atol(argv[i])));
    if (depths.empty()) depths = {16, 32};
    table_bench(f, X0, depths, ode::Wrapping::box, false);
    return 0;
  }
  discrete_bench(f, X0, ode::Wrapping::box);
  return 0;
}
