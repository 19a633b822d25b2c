// Euler-table benchmark (issue 4): n = 64 tokens, d = 16, H = 4 heads (d_k = 4), affine FFN, T = 1.
//  * discrete enclosure: the exact real iterates of the depth-L network (box wrapping: the
//    initial tokens are points, so the mean-value/QR form with a 1024-direction Jacobian per
//    layer is not needed), for L = 128, 256, 512, 1024; ratio to the same Euler passes in plain
//    double through the same field code (goal ≤ 4×);
//  * with argument "table": the full certified order table (flow by the validated integrator,
//    box wrapping) for the depths given after it (default 16 32) — slow at this size.
//  * with argument "small": a small model (n = 8, d = 4, 2 heads) full table with QR wrapping.
//  * with argument "structured [n d H L_max [order tolerance]]" (issue 13 goal 3; default n = 128,
//    d = 32, H = 8, L_max = 1024): the full table at depths 64, 128, …, L_max with the flow by
//    the structured engine (dense output at the grid times; no a-posteriori bound), hi/lo of
//    every err_L, wall time and
//    the ratio to the same table in plain double (RK4 on the finest grid + the Euler passes).
// Every run prints its wall time and the ratio against plain double in the same run.
#include "certiformer/euler.hpp"
#include "../random_attention.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
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
/// The constant-layer attention field in plain double with Eigen GEMMs (midpoint parameters):
/// F(X) = Σ_h softmax_rows(β (X Q_hᵀ)(X K_hᵀ)ᵀ) X V_hᵀ + X Wᵀ + 1bᵀ — a fair reference (the
/// field's generic double path converts the interval parameters operation by operation).
struct DoubleAttention {
  struct H { Eigen::MatrixXd Qt, Kt, Vt; };
  std::vector<H> heads;
  Eigen::MatrixXd Wt;
  Eigen::RowVectorXd b;
  double beta = 1;
  Eigen::Index n = 0, d = 0;
  explicit DoubleAttention(const TransformerField<Interval>& f) : n(f.tokens()), d(f.token_dimension()) {
    const auto& L = f.control().layers[0];
    auto m = [](const Mat<Interval>& M) {
      Eigen::MatrixXd R(M.rows(), M.cols());
      for (Eigen::Index i = 0; i < M.rows(); ++i)
        for (Eigen::Index j = 0; j < M.cols(); ++j) R(i, j) = mid(M(i, j));
      return R;
    };
    beta = mid(L.beta);
    for (const auto& h : L.heads) heads.push_back({m(h.Q).transpose(), m(h.K).transpose(), m(h.V).transpose()});
    Wt = L.W.size() ? Eigen::MatrixXd(m(L.W).transpose()) : Eigen::MatrixXd::Zero(d, d);
    b = L.b.size() ? Eigen::RowVectorXd(m(Mat<Interval>(L.b)).transpose()) : Eigen::RowVectorXd::Zero(d);
  }
  /// x, result: token-major flat vectors (n·d)
  Vec<double> operator()(const Vec<double>& x) const {
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> X(x.data(), n, d);
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> F = X * Wt;
    F.rowwise() += b;
    for (const auto& h : heads) {
      Eigen::MatrixXd S = beta * (X * h.Qt) * (X * h.Kt).transpose();
      for (Eigen::Index i = 0; i < n; ++i) {
        const double m = S.row(i).maxCoeff();
        S.row(i) = (S.row(i).array() - m).exp();
        S.row(i) /= S.row(i).sum();
      }
      F += S * (X * h.Vt);
    }
    return Eigen::Map<const Vec<double>>(F.data(), n * d);
  }
};
/// Plain-double RK4 on the table's finest grid (step T/L_max; every grid time of the table is on
/// it when the depths divide L_max) plus the Euler passes of every depth: the same table without
/// validation, the reference of the ratio.
double plain_double_table(const TransformerField<Interval>& f, const Vec<Interval>& X0, double T,
                          const std::vector<std::size_t>& depths) {
  const double t0 = now();
  const std::size_t L = depths.back();
  const DoubleAttention F(f);
  Vec<double> x0(X0.size());
  for (Eigen::Index i = 0; i < x0.size(); ++i) x0(i) = mid(X0(i));
  Vec<double> x = x0;
  const double h = T / static_cast<double>(L);
  for (std::size_t k = 0; k < L; ++k) {
    const Vec<double> k1 = F(x), k2 = F(x + (h / 2) * k1), k3 = F(x + (h / 2) * k2), k4 = F(x + h * k3);
    x += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  double sink = x.sum();
  for (std::size_t Ld : depths) {
    Vec<double> y = x0;
    const double e = T / static_cast<double>(Ld);
    for (std::size_t k = 0; k < Ld; ++k) y += e * F(y);
    sink += y.sum();
  }
  if (!std::isfinite(sink)) std::printf("(plain double diverged)\n");
  return now() - t0;
}
/// Issue 13 goal 3: the order table of the n-token model (Q, K, V ∈ R^{d×d}, affine FFN, model
/// seed 5, token seed 6 — the draws of scripts/gen_attention_flow_config.cpp) at depths
/// 64, 128, …, L_max with the flow by the structured engine (auto order/tolerance unless given).
void structured_table_bench(Eigen::Index n, Eigen::Index d, int H, std::size_t Lmax, int order, double tol) {
  const auto f = random_attention_field(5, n, d, H, d, true);
  const Vec<Interval> X0 = random_tokens(6, n * d);
  std::vector<std::size_t> depths;
  for (std::size_t L = 64; L <= Lmax; L *= 2) depths.push_back(L);
  EulerOptions opt;
  opt.wrapping = ode::Wrapping::box;
  // the kind's "auto": structured center/radius iterates above n·d = 256 (box otherwise);
  // CERTIFORMER_BENCH_ITERATES=box forces the box-wrapped iterates for comparison
  const char* it = std::getenv("CERTIFORMER_BENCH_ITERATES");
  opt.iterates = it && std::string(it) == "box" ? EulerOptions::Iterates::wrapping : EulerOptions::Iterates::automatic;
  opt.structured_order = order;
  opt.structured_tolerance = tol;
  opt.aposteriori = false;  // n·d Jacobian directions per Euler step: not part of goal 3
  const double t0 = now();
  opt.flow.on_step = [&](double t) { std::fprintf(stderr, "  flow t = %.6f at %.1f s\n", t, now() - t0); };
  opt.on_depth = [&](std::size_t done, std::size_t total) {
    std::fprintf(stderr, "  Euler steps %zu/%zu at %.1f s\n", done, total, now() - t0);
  };
  const OrderTable<Interval> tab = enclose_order_table<Interval>(f, X0, 1.0, depths, opt);
  const double ti = now() - t0;
  const double td = plain_double_table(f, X0, 1.0, depths);
  std::printf("structured table n=%ld d=%ld H=%d (N=%ld), depths 64..%zu: %s\n  flow: %s, %s; %zu steps %.1f s\n"
              "  iterates: %s\n",
              static_cast<long>(n), static_cast<long>(d), H, static_cast<long>(n * d), Lmax, tab.verdict.reason().c_str(),
              transformer::flow_method_name(tab.flow.method), tab.flow.method_reason.c_str(), tab.flow.steps,
              tab.flow.seconds, tab.iterates_method.c_str());
  double worst = 0, wflow = 0;
  for (const auto& [pq, x] : tab.flow.at) wflow = std::max(wflow, max_width(x));
  for (const auto& r : tab.rows) {
    const double q = sup(r.error) / inf(r.error);
    worst = std::max(worst, q);
    std::printf("  L=%5zu err in [%.9g, %.9g] hi/lo %.7f  err/eps in [%.6g, %.6g]  discrete %.2f s\n", r.depth,
                inf(r.error), sup(r.error), q, inf(r.ratio), sup(r.ratio), r.seconds_discrete);
  }
  std::printf("  max flow width %.3e; worst hi/lo %.7f (goal <= 1.01); total %.1f s (goal < 600 s); plain double "
              "(RK4 on the finest grid + Euler passes) %.3f s, ratio %.0fx\n",
              wflow, worst, ti, td, ti / td);
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
  if (mode == "structured") {  // structured [n d H L_max [order tolerance]] (default 128 32 8 1024, auto)
    auto arg = [&](int i, long dflt) { return argc > i ? std::atol(argv[i]) : dflt; };
    structured_table_bench(arg(2, 128), arg(3, 32), static_cast<int>(arg(4, 8)), static_cast<std::size_t>(arg(5, 1024)),
                           static_cast<int>(arg(6, 0)), argc > 7 ? std::atof(argv[7]) : 0.0);
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
