// Fast partial Cauchy sums for Interval and Dual<Interval> (see ode/kernels.hpp for the method).
//
// Soundness notes (mirroring lib/src/linalg/product.cpp):
//  * compiled with -frounding-math -ffp-contract=off (project arguments);
//  * the rounding mode is switched by an RAII guard surrounded by compiler barriers, and all
//    floating-point work done in upward mode happens inside [[gnu::noipa]] functions that read
//    their operands through pointers and write their results through pointers, so no
//    computation can be moved across a mode switch (GCC PR 34678 concerns register-only values);
//  * no Interval operation runs in upward mode: endpoints are read with lower()/upper() (plain
//    loads) and results are turned into Interval objects after the mode is restored.

#include "certiformer/ode/kernels.hpp"

#include <cfenv>
#include <cmath>
#include <vector>

namespace certiformer::ode::detail {

namespace {

inline void compiler_barrier() noexcept { asm volatile("" ::: "memory"); }

class UpwardGuard {
 public:
  UpwardGuard() : saved_(std::fegetround()) {
    ok_ = saved_ == FE_TONEAREST;
    if (!ok_) return;
    compiler_barrier();
    ok_ = std::fesetround(FE_UPWARD) == 0;
    compiler_barrier();
  }
  ~UpwardGuard() {
    compiler_barrier();
    std::fesetround(saved_);
    compiler_barrier();
  }
  bool ok() const noexcept { return ok_; }
  UpwardGuard(const UpwardGuard&) = delete;
  UpwardGuard& operator=(const UpwardGuard&) = delete;

 private:
  int saved_;
  bool ok_ = false;
};

// Upper bounds (in upward rounding) of the product of [al, au]·[bl, bu] (hi) and of its negated
// lower end (nlo).
// (Operands are finite, so no product is NaN and the plain comparison is a correct max.)
inline double max2(double a, double b) { return a > b ? a : b; }
inline void prod_up(double al, double au, double bl, double bu, double& nlo, double& hi) {
  const double p1 = al * bl, p2 = al * bu, p3 = au * bl, p4 = au * bu;
  hi = max2(max2(p1, p2), max2(p3, p4));
  const double q1 = (-al) * bl, q2 = (-al) * bu, q3 = (-au) * bl, q4 = (-au) * bu;
  nlo = max2(max2(q1, q2), max2(q3, q4));
}

inline bool finite4(double a, double b, double c, double d) {
  return std::isfinite(a) && std::isfinite(b) && std::isfinite(c) && std::isfinite(d);
}

// out[0] = upper bound of −(sum lower end), out[1] = upper bound of the sum; returns 0 on
// non-finite data.
[[gnu::noipa]] int kernel_interval(const Interval* a, const Interval* b, int k, int j0, int j1, int weighted,
                                   double* out) {
  double nlo = 0.0, hi = 0.0;
  for (int j = j0; j <= j1; ++j) {
    const double al = a[j].lower(), au = a[j].upper();
    const double bl = b[k - j].lower(), bu = b[k - j].upper();
    if (!finite4(al, au, bl, bu)) return 0;
    double pl, ph;
    prod_up(al, au, bl, bu, pl, ph);
    if (weighted) {
      const double w = static_cast<double>(j);  // exact, > 0
      pl = w * pl;
      ph = w * ph;
    }
    nlo += pl;
    hi += ph;
  }
  out[0] = nlo;
  out[1] = hi;
  return std::isfinite(nlo) && std::isfinite(hi) ? 1 : 0;
}

// Dual: out[0..1] value, out[2 + 2i .. 3 + 2i] gradient entry i (m entries).
[[gnu::noipa]] int kernel_dual(const Dual<Interval>* a, const Dual<Interval>* b, int k, int j0, int j1, int weighted,
                               int m, double* out) {
  for (int i = 0; i < 2 * (m + 1); ++i) out[i] = 0.0;
  for (int j = j0; j <= j1; ++j) {
    const Dual<Interval>& x = a[j];
    const Dual<Interval>& y = b[k - j];
    const double xl = x.value().lower(), xu = x.value().upper();
    const double yl = y.value().lower(), yu = y.value().upper();
    if (!finite4(xl, xu, yl, yu)) return 0;
    const double w = weighted ? static_cast<double>(j) : 1.0;
    double pl, ph;
    prod_up(xl, xu, yl, yu, pl, ph);
    out[0] += w * pl;
    out[1] += w * ph;
    const Interval* xg = x.gradient().data();
    const Interval* yg = y.gradient().data();
    const bool hx = !x.gradient().empty(), hy = !y.gradient().empty();
    for (int i = 0; i < m; ++i) {
      double sl = 0.0, sh = 0.0;
      if (hx) {
        const double gl = xg[i].lower(), gu = xg[i].upper();
        if (!std::isfinite(gl) || !std::isfinite(gu)) return 0;
        prod_up(gl, gu, yl, yu, pl, ph);
        sl += pl;
        sh += ph;
      }
      if (hy) {
        const double gl = yg[i].lower(), gu = yg[i].upper();
        if (!std::isfinite(gl) || !std::isfinite(gu)) return 0;
        prod_up(xl, xu, gl, gu, pl, ph);
        sl += pl;
        sh += ph;
      }
      out[2 + 2 * i] += w * sl;
      out[3 + 2 * i] += w * sh;
    }
  }
  for (int i = 0; i < 2 * (m + 1); ++i)
    if (!std::isfinite(out[i])) return 0;
  return 1;
}

thread_local std::vector<double> scratch;

}  // namespace

bool cauchy_fast(const Interval* a, const Interval* b, int k, int j0, int j1, bool weighted, Interval& out) {
  double buf[2];
  int ok = 0;
  {
    UpwardGuard g;
    if (!g.ok()) return false;
    ok = kernel_interval(a, b, k, j0, j1, weighted ? 1 : 0, buf);
  }
  if (!ok) return false;
  out = Interval(-buf[0], buf[1]);
  return true;
}

bool cauchy_fast(const Dual<Interval>* a, const Dual<Interval>* b, int k, int j0, int j1, bool weighted,
                 Dual<Interval>& out) {
  std::size_t m = 0;
  for (int j = j0; j <= j1; ++j) {
    const std::size_t ma = a[j].gradient().size(), mb = b[k - j].gradient().size();
    if (ma && mb && ma != mb) return false;  // the generic path reports the misuse
    m = std::max(m, std::max(ma, mb));
  }
  scratch.resize(2 * (m + 1));
  int ok = 0;
  {
    UpwardGuard g;
    if (!g.ok()) return false;
    ok = kernel_dual(a, b, k, j0, j1, weighted ? 1 : 0, static_cast<int>(m), scratch.data());
  }
  if (!ok) return false;
  typename Dual<Interval>::grad_type grad(m);
  for (std::size_t i = 0; i < m; ++i) grad[i] = Interval(-scratch[2 + 2 * i], scratch[3 + 2 * i]);
  out = Dual<Interval>(Interval(-scratch[0], scratch[1]), std::move(grad));
  return true;
}

}  // namespace certiformer::ode::detail
