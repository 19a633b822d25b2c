// Core benchmarks (suite 'perf'): the cost of rigour against plain double, measured in the same run.
//
//  * elementary functions exp, log, tanh, sin, atan (and expm1, log1p, cos) on Interval point
//    inputs and on small-width intervals, vs libm on double;
//  * Interval +, ×, ÷ throughput vs double (element-wise over arrays);
//  * softmax of length 64 (Interval and MpInterval at 113 bits) vs a double softmax;
//  * softmax_rows of a 64 x 64 Interval matrix (upward-rounding kernel) vs double rows.
// Every row prints ns per call (best of several repetitions) and the ratio to double.
// Run: meson test -C build perf_core --verbose   (or the executable directly; an optional
// argument scales the repetitions).
#include "certiformer/core.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace certiformer;

namespace {

/// Keeps a value alive for the optimiser without costing anything measurable.
template <class T> inline void keep(const T& v) { asm volatile("" : : "r"(&v) : "memory"); }

double reps_scale = 1.0;

/// Best time per call in ns over `rounds` repetitions of `body` (which performs `calls` calls).
double best_ns(long calls, const std::function<void()>& body, int rounds = 7) {
  double best = 1e300;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    body();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(calls));
  }
  return best;
}

void row(const std::string& what, double ns, double base_ns) {
  std::printf("  %-40s %10.1f ns   x%8.1f\n", what.c_str(), ns, ns / base_ns);
}

std::vector<double> uniform(std::size_t n, double a, double b, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> d(a, b);
  std::vector<double> v(n);
  for (auto& x : v) x = d(g);
  return v;
}

struct Fn {
  const char* name;
  double (*fd)(double);
  Interval (*fi)(const Interval&);
  double lo, hi;  // argument range
};

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) reps_scale = std::max(0.01, std::atof(argv[1]));
  const std::size_t n = 1 << 12;
  const long passes = std::max(1L, static_cast<long>(4 * reps_scale));
  std::printf("certiformer core benchmarks (%s, %ld passes over %zu inputs; best of 7)\n", version_string, passes, n);

  // ---- elementary functions --------------------------------------------------------------------
  const Fn fns[] = {
      {"exp", [](double x) { return std::exp(x); }, [](const Interval& x) { return exp(x); }, -700.0, 700.0},
      {"log", [](double x) { return std::log(x); }, [](const Interval& x) { return log(x); }, 1e-300, 1e300},
      {"tanh", [](double x) { return std::tanh(x); }, [](const Interval& x) { return tanh(x); }, -20.0, 20.0},
      {"sin", [](double x) { return std::sin(x); }, [](const Interval& x) { return sin(x); }, -100.0, 100.0},
      {"atan", [](double x) { return std::atan(x); }, [](const Interval& x) { return atan(x); }, -100.0, 100.0},
      {"cos", [](double x) { return std::cos(x); }, [](const Interval& x) { return cos(x); }, -100.0, 100.0},
      {"expm1", [](double x) { return std::expm1(x); }, [](const Interval& x) { return expm1(x); }, -10.0, 10.0},
      {"log1p", [](double x) { return std::log1p(x); }, [](const Interval& x) { return log1p(x); }, -0.9, 100.0},
  };
  std::printf("\nelementary functions: Interval (MPFR/MPFI at 53 bits, directed rounding) vs libm on double\n");
  std::printf("  %-40s %13s   %9s\n", "", "time/call", "vs double");
  for (const Fn& f : fns) {
    std::vector<double> x = uniform(n, f.lo, f.hi, 42);
    if (f.name == std::string("log")) {
      std::mt19937_64 g(7);
      for (auto& v : x) v = std::ldexp(1.0 + std::uniform_real_distribution<double>(0, 1)(g), static_cast<int>(g() % 1990) - 995);
    }
    std::vector<Interval> pts, small;
    for (double v : x) {
      pts.emplace_back(v);
      small.emplace_back(v, v + std::fabs(v) * 1e-9 + 1e-300);
    }
    std::vector<double> out(n);
    std::vector<Interval> iout(n);
    const double d_ns = best_ns(passes * static_cast<long>(n), [&] {
      for (long p = 0; p < passes; ++p) {
        for (std::size_t i = 0; i < n; ++i) out[i] = f.fd(x[i]);
        keep(out);
      }
    });
    const double p_ns = best_ns(passes * static_cast<long>(n), [&] {
      for (long p = 0; p < passes; ++p) {
        for (std::size_t i = 0; i < n; ++i) iout[i] = f.fi(pts[i]);
        keep(iout);
      }
    });
    const double s_ns = best_ns(passes * static_cast<long>(n), [&] {
      for (long p = 0; p < passes; ++p) {
        for (std::size_t i = 0; i < n; ++i) iout[i] = f.fi(small[i]);
        keep(iout);
      }
    });
    std::printf("  %s\n", f.name);
    row("double (libm)", d_ns, d_ns);
    row("Interval, point input", p_ns, d_ns);
    row("Interval, width ~1e-9 relative", s_ns, d_ns);
  }
  {
    // MpInterval for reference (not part of the binary64 comparison)
    const std::vector<double> x = uniform(n / 8, -700.0, 700.0, 43);
    std::vector<double> out(x.size());
    const double d_ns = best_ns(passes * static_cast<long>(x.size()), [&] {
      for (long p = 0; p < passes; ++p) {
        for (std::size_t i = 0; i < x.size(); ++i) out[i] = std::exp(x[i]);
        keep(out);
      }
    });
    for (unsigned bits : {53u, 113u, 256u}) {
      MpPrecisionScope s(bits);
      std::vector<MpInterval> xs;
      for (double v : x) xs.emplace_back(v);
      std::vector<MpInterval> r(x.size());
      const double m_ns = best_ns(passes * static_cast<long>(x.size()), [&] {
        for (long p = 0; p < passes; ++p) {
          for (std::size_t i = 0; i < x.size(); ++i) r[i] = exp(xs[i]);
          keep(r);
        }
      });
      row("MpInterval exp at " + std::to_string(bits) + " bits (point)", m_ns, d_ns);
    }
  }

  // ---- arithmetic ------------------------------------------------------------------------------
  std::printf("\narithmetic: Interval (error-free transformations, no rounding-mode switch) vs double\n");
  {
    const std::vector<double> a = uniform(n, 0.5, 2.0, 1), b = uniform(n, 0.5, 2.0, 2);
    std::vector<double> c(n);
    std::vector<Interval> A, B, C(n);
    for (std::size_t i = 0; i < n; ++i) {
      A.emplace_back(a[i], a[i] * (1 + 1e-12));
      B.emplace_back(b[i], b[i] * (1 + 1e-12));
    }
    const long reps = std::max(1L, static_cast<long>(200 * reps_scale));
    const long calls = reps * static_cast<long>(n);
    auto bench = [&](const char* op, auto dop, auto iop) {
      const double d_ns = best_ns(calls, [&] {
        for (long r = 0; r < reps; ++r) {
          for (std::size_t i = 0; i < n; ++i) c[i] = dop(a[i], b[i]);
          keep(c);
        }
      });
      const double i_ns = best_ns(calls, [&] {
        for (long r = 0; r < reps; ++r) {
          for (std::size_t i = 0; i < n; ++i) C[i] = iop(A[i], B[i]);
          keep(C);
        }
      });
      std::printf("  %s\n", op);
      row("double", d_ns, d_ns);
      row("Interval", i_ns, d_ns);
    };
    bench("x + y", [](double x, double y) { return x + y; }, [](const Interval& x, const Interval& y) { return x + y; });
    bench("x * y", [](double x, double y) { return x * y; }, [](const Interval& x, const Interval& y) { return x * y; });
    bench("x / y", [](double x, double y) { return x / y; }, [](const Interval& x, const Interval& y) { return x / y; });
    // a dependent chain (latency rather than throughput): s = s * y + x
    const double d_ns = best_ns(calls, [&] {
      double s = 0.0;
      for (long r = 0; r < reps; ++r)
        for (std::size_t i = 0; i < n; ++i) s = s * 0.5 + a[i];
      keep(s);
    });
    const Interval half(0.5);
    const double i_ns = best_ns(calls, [&] {
      Interval s;
      for (long r = 0; r < reps; ++r)
        for (std::size_t i = 0; i < n; ++i) s = s * half + A[i];
      keep(s);
    });
    std::printf("  s = s*0.5 + x (dependent chain)\n");
    row("double", d_ns, d_ns);
    row("Interval", i_ns, d_ns);
  }

  // ---- softmax ---------------------------------------------------------------------------------
  std::printf("\nsoftmax of length 64: certified (max-shift, 1/(1 + S_-i/e_i)) vs double (max-shift)\n");
  {
    const int len = 64;
    const std::vector<double> x = uniform(len, -5.0, 5.0, 3);
    Eigen::VectorXd xd(len), yd(len);
    IVector xi(len), yi(len);
    for (int j = 0; j < len; ++j) {
      xd(j) = x[static_cast<std::size_t>(j)];
      xi(j) = Interval(x[static_cast<std::size_t>(j)], x[static_cast<std::size_t>(j)] + 1e-6);
    }
    const long reps = std::max(1L, static_cast<long>(400 * reps_scale));
    const double d_ns = best_ns(reps, [&] {
      for (long r = 0; r < reps; ++r) {
        const double m = xd.maxCoeff();
        double s = 0.0;
        for (int j = 0; j < len; ++j) s += (yd(j) = std::exp(xd(j) - m));
        yd /= s;
        keep(yd);
      }
    });
    const double i_ns = best_ns(reps, [&] {
      for (long r = 0; r < reps; ++r) {
        yi = enclose_softmax(xi);
        keep(yi);
      }
    });
    const double l_ns = best_ns(reps, [&] {
      for (long r = 0; r < reps; ++r) {
        Interval l = logsumexp(xi);
        keep(l);
      }
    });
    MpPrecisionScope s(113);
    MpVector xm(len), ym(len);
    for (int j = 0; j < len; ++j) xm(j) = MpInterval(xi(j));
    const long mreps = std::max(1L, reps / 10);
    const double m_ns = best_ns(mreps, [&] {
      for (long r = 0; r < mreps; ++r) {
        ym = enclose_softmax(xm);
        keep(ym);
      }
    }, 3);
    row("double softmax (64)", d_ns, d_ns);
    row("Interval softmax (64), width 1e-6", i_ns, d_ns);
    row("Interval logsumexp (64)", l_ns, d_ns);
    row("MpInterval softmax (64) at 113 bits", m_ns, d_ns);
    std::printf("  width of the Interval softmax_0: %.3g (input width 1e-6)\n", wid(yi(0)));
  }

  // ---- softmax_rows (the upward-rounding kernel used by attention) ------------------------------
  std::printf("\nsoftmax_rows of a 64 x 64 Interval matrix (one RoundingScope per call) vs double rows\n");
  {
    const int len = 64;
    const std::vector<double> x = uniform(static_cast<std::size_t>(len * len), -5.0, 5.0, 4);
    Eigen::MatrixXd Sd(len, len), Wd(len, len);
    IMatrix Si(len, len), Wi(len, len);
    for (int j = 0; j < len; ++j)
      for (int i = 0; i < len; ++i) {
        const double v = x[static_cast<std::size_t>(i * len + j)];
        Sd(i, j) = v;
        Si(i, j) = Interval(v, v + 1e-6);
      }
    const long reps = std::max(1L, static_cast<long>(20 * reps_scale));
    const double d_ns = best_ns(reps, [&] {
      for (long r = 0; r < reps; ++r) {
        for (int i = 0; i < len; ++i) {
          const double m = Sd.row(i).maxCoeff();
          double s = 0.0;
          for (int j = 0; j < len; ++j) s += (Wd(i, j) = std::exp(Sd(i, j) - m));
          Wd.row(i) /= s;
        }
        keep(Wd);
      }
    });
    const double i_ns = best_ns(reps, [&] {
      for (long r = 0; r < reps; ++r) {
        Wi = softmax_rows(Si);
        keep(Wi);
      }
    });
    row("double softmax rows (64 x 64)", d_ns, d_ns);
    row("Interval softmax_rows (64 x 64)", i_ns, d_ns);
    std::printf("  width of softmax_rows(0, 0): %.3g (input width 1e-6)\n", wid(Wi(0, 0)));
  }
  return 0;
}
