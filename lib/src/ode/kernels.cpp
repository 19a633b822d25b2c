// Fast partial Cauchy sums for Interval and Dual<Interval> (see ode/kernels.hpp for the method).
//
// Soundness notes:
//  * compiled with -frounding-math -ffp-contract=off (project arguments);
//  * the rounding mode is switched only through core's RoundingScope, and all floating-point
//    work done in upward mode happens inside the [[gnu::noipa]] kernels below, which follow the
//    kernel convention of core/rounding.hpp (scope by reference, `expect(upward)` first,
//    operands read through pointers, results written through pointers);
//  * no Interval operation runs in upward mode: endpoints are read with lower()/upper() (plain
//    loads) and results are turned into Interval objects after the scope has closed.

#include "certiformer/ode/kernels.hpp"
#include "certiformer/core/rounding.hpp"

#include <cmath>
#include <vector>

namespace certiformer::ode::detail {

namespace {

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
[[gnu::noipa]] int kernel_interval(const RoundingScope& scope, const Interval* a, const Interval* b, int k, int j0, int j1,
                                   int weighted, double* out) {
  scope.expect(Rounding::upward);
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
[[gnu::noipa]] int kernel_dual(const RoundingScope& scope, const Dual<Interval>* a, const Dual<Interval>* b, int k, int j0,
                               int j1, int weighted, int m, double* out) {
  scope.expect(Rounding::upward);
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

// Σ_i (Cauchy sum of pair i at order k); pair i: pointers and "constant" flags (a constant has
// only its coefficient 0).
[[gnu::noipa]] int kernel_dot(const RoundingScope& scope, const Interval* const* a, const unsigned char* ca,
                              const Interval* const* b, const unsigned char* cb, std::size_t n, int k, double* out) {
  scope.expect(Rounding::upward);
  double nlo = 0.0, hi = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const Interval* x = a[i];
    const Interval* y = b[i];
    int j0 = 0, j1 = k;
    if (ca[i]) j1 = 0;
    if (cb[i]) j0 = k;
    for (int j = j0; j <= j1; ++j) {
      const Interval& u = x[ca[i] ? 0 : j];
      const Interval& v = y[cb[i] ? 0 : k - j];
      const double al = u.lower(), au = u.upper(), bl = v.lower(), bu = v.upper();
      if (!finite4(al, au, bl, bu)) return 0;
      double pl, ph;
      prod_up(al, au, bl, bu, pl, ph);
      nlo += pl;
      hi += ph;
    }
  }
  out[0] = nlo;
  out[1] = hi;
  return std::isfinite(nlo) && std::isfinite(hi) ? 1 : 0;
}

// Σ_i w_i x_i (interval weights w_i = w[i·stride], interval values x_i).
[[gnu::noipa]] int kernel_lincomb(const RoundingScope& scope, const Interval* w, std::ptrdiff_t stride,
                                  const Interval* const* x, std::size_t n, double* out) {
  scope.expect(Rounding::upward);
  double nlo = 0.0, hi = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!x[i]) continue;
    const Interval& u = w[static_cast<std::ptrdiff_t>(i) * stride];
    const Interval& v = *x[i];
    const double al = u.lower(), au = u.upper(), bl = v.lower(), bu = v.upper();
    if (!finite4(al, au, bl, bu)) return 0;
    double pl, ph;
    prod_up(al, au, bl, bu, pl, ph);
    nlo += pl;
    hi += ph;
  }
  out[0] = nlo;
  out[1] = hi;
  return std::isfinite(nlo) && std::isfinite(hi) ? 1 : 0;
}

thread_local std::vector<double> scratch;

}  // namespace

bool cauchy_fast(const Interval* a, const Interval* b, int k, int j0, int j1, bool weighted, Interval& out) {
  double buf[2];
  int ok = 0;
  {
    RoundingScope up(Rounding::upward);
    ok = kernel_interval(up, a, b, k, j0, j1, weighted ? 1 : 0, buf);
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
    RoundingScope up(Rounding::upward);
    ok = kernel_dual(up, a, b, k, j0, j1, weighted ? 1 : 0, static_cast<int>(m), scratch.data());
  }
  if (!ok) return false;
  typename Dual<Interval>::grad_type grad(m);
  for (std::size_t i = 0; i < m; ++i) grad[i] = Interval(-scratch[2 + 2 * i], scratch[3 + 2 * i]);
  out = Dual<Interval>(Interval(-scratch[0], scratch[1]), std::move(grad));
  return true;
}

bool dot_fast(const Interval* const* a, const unsigned char* ca, const Interval* const* b, const unsigned char* cb,
              std::size_t n, int k, Interval& out) {
  double buf[2];
  int ok = 0;
  {
    RoundingScope up(Rounding::upward);
    ok = kernel_dot(up, a, ca, b, cb, n, k, buf);
  }
  if (!ok) return false;
  out = Interval(-buf[0], buf[1]);
  return true;
}

bool lincomb_fast(const Interval* w, std::ptrdiff_t stride, const Interval* const* x, std::size_t n, Interval& out) {
  double buf[2];
  int ok = 0;
  {
    RoundingScope up(Rounding::upward);
    ok = kernel_lincomb(up, w, stride, x, n, buf);
  }
  if (!ok) return false;
  out = Interval(-buf[0], buf[1]);
  return true;
}

}  // namespace certiformer::ode::detail
