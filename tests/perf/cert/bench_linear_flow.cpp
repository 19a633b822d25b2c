// Benchmark (suite 'perf'): linear.flow, x(t) for x' = A x + b, at 53 bits (Interval) and
// 256 bits (MpInterval), against the same exponential in plain double (Eigen's Padé
// MatrixFunctions exp of the augmented matrix, not rigorous) in the same run.
//
// For each dimension d: a fixed-seed random matrix A with entries k/100 (k ∈ [−100, 100]) shifted
// by −2 I (stable), b and x0 with entries k/10, t = 1.
// Columns: time per call of
//   double      approximate e^{tM}[x0; 1] in binary64 (Eigen unsupported MatrixFunctions)
//   flow53      enclose_linear_flow<Interval>   (inputs already enclosed)
//   flow256     enclose_linear_flow<MpInterval> at 256 bits
//   run53       run_config: parse the JSON config, enclose, build the certificate (binary64)
//   run256      the same at 256 bits
// and the ratios flow53/double, flow256/double. Also the widths (max over components) so a
// speed-up that loses tightness is visible.
#include "certiformer/cert.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include <unsupported/Eigen/MatrixFunctions>

using namespace certiformer;
using namespace certiformer::cert;

namespace {

template <class F>
double seconds_per_call(F&& f, double min_time = 0.2) {
  using clock = std::chrono::steady_clock;
  long n = 0;
  const auto t0 = clock::now();
  double el = 0;
  do {
    f();
    ++n;
    el = std::chrono::duration<double>(clock::now() - t0).count();
  } while (el < min_time);
  return el / double(n);
}

std::string config_json(int d, std::mt19937_64& g) {
  std::uniform_int_distribution<int> k(-100, 100), s(-10, 10);
  std::string A = "[", b = "[", x0 = "[";
  for (int i = 0; i < d; ++i) {
    A += i ? ", [" : "[";
    for (int j = 0; j < d; ++j) {
      int v = k(g);
      if (i == j) v -= 200;
      A += (j ? ", " : "") + std::to_string(v) + "/100";
    }
    A += "]";
    b += (i ? ", " : "") + std::to_string(s(g)) + "/10";
    x0 += (i ? ", " : "") + std::to_string(s(g)) + "/10";
  }
  A += "]";
  b += "]";
  x0 += "]";
  // Numbers written as strings ("k/100"), which configs accept.
  auto quote = [](std::string v) {
    std::string r;
    bool in = false;
    for (char c : v) {
      const bool num = (c >= '0' && c <= '9') || c == '-' || c == '/';
      if (num && !in) { r += '"'; in = true; }
      if (!num && in) { r += '"'; in = false; }
      r += c;
    }
    if (in) r += '"';
    return r;
  };
  return R"({"kind": "linear.flow", "A": )" + quote(A) + R"(, "b": )" + quote(b) + R"(, "x0": )" + quote(x0) +
         R"(, "t": 1})";
}

template <class T>
struct Problem {
  Mat<T> A;
  Vec<T> b, x0;
  T t;
};

template <class T>
Problem<T> read(const ConfigNode& c) {
  Problem<T> p;
  p.A = c.at("A").matrix<T>();
  p.b = c.at("b").vector<T>();
  p.x0 = c.at("x0").vector<T>();
  p.t = c.at("t").as_number<T>();
  return p;
}

double max_width(const Vec<Interval>& x) {
  double w = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) w = std::max(w, wid(x(i)));
  return w;
}
double max_width(const Vec<MpInterval>& x) {
  double w = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) w = std::max(w, wid(x(i)).convert_to<double>());
  return w;
}

}  // namespace

int main() {
  std::mt19937_64 g(20261123);
  std::printf("linear.flow benchmark (time per call; ratio = interval / plain double, same run)\n");
  std::printf("%3s %11s %11s %11s %11s %11s %9s %9s %10s %10s\n", "d", "double", "flow53", "flow256", "run53",
              "run256", "53/dbl", "256/dbl", "width53", "width256");
  for (int d : {2, 3, 8, 16, 32}) {
    const std::string text = config_json(d, g);
    const ConfigNode cfg = config_from_text(text, "bench.json");
    // plain double: the same augmented matrix, rounded to nearest
    const Problem<Interval> p53 = read<Interval>(cfg);
    Eigen::MatrixXd M = Eigen::MatrixXd::Zero(d + 1, d + 1);
    Eigen::VectorXd y0(d + 1);
    for (int i = 0; i < d; ++i) {
      for (int j = 0; j < d; ++j) M(i, j) = mid(p53.A(i, j));
      M(i, d) = mid(p53.b(i));
      y0(i) = mid(p53.x0(i));
    }
    y0(d) = 1.0;
    volatile double sink = 0;
    const double t_double = seconds_per_call([&] {
      const Eigen::MatrixXd E = M.exp();
      const Eigen::VectorXd y = E * y0;
      sink = sink + y(0);
    });
    Vec<Interval> x53;
    const double t_flow53 = seconds_per_call([&] { x53 = enclose_linear_flow(p53.A, p53.b, p53.x0, p53.t); });
    double t_flow256 = 0, w256 = 0;
    {
      MpPrecisionScope s(256);
      const Problem<MpInterval> p = read<MpInterval>(cfg);
      Vec<MpInterval> x;
      t_flow256 = seconds_per_call([&] { x = enclose_linear_flow(p.A, p.b, p.x0, p.t); });
      w256 = max_width(x);
    }
    RunOptions o53, o256;
    o53.precision = 53;
    o256.precision = 256;
    const double t_run53 = seconds_per_call([&] { (void)run_config(cfg, o53); });
    const double t_run256 = seconds_per_call([&] { (void)run_config(cfg, o256); });
    std::printf("%3d %10.3gs %10.3gs %10.3gs %10.3gs %10.3gs %9.1f %9.1f %10.2g %10.2g\n", d, t_double, t_flow53,
                t_flow256, t_run53, t_run256, t_flow53 / t_double, t_flow256 / t_double, max_width(x53), w256);
  }
  return 0;
}
