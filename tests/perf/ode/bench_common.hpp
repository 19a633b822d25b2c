#pragma once
// Shared helpers for the ODE benchmarks: a plain-double RK4 at a given step count (the
// non-validated reference every benchmark reports its ratio against), timing, widths.
#include "certiformer/ode.hpp"

#include <chrono>
#include <cstdio>
#include <vector>

namespace bench {
using namespace certiformer;
using namespace certiformer::ode;

inline double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Classical RK4 in binary64 (approximate, not rigorous) with `steps` equal steps on [t0, t1].
template <class F> Vec<double> rk4(const F& f, double t0, Vec<double> x, double t1, std::size_t steps) {
  const double h = (t1 - t0) / static_cast<double>(steps);
  Vec<double> k1, k2, k3, k4;
  for (std::size_t s = 0; s < steps; ++s) {
    const double t = t0 + static_cast<double>(s) * h;
    k1 = eval_field<double>(f, t, x);
    k2 = eval_field<double>(f, t + h / 2, Vec<double>(x + (h / 2) * k1));
    k3 = eval_field<double>(f, t + h / 2, Vec<double>(x + (h / 2) * k2));
    k4 = eval_field<double>(f, t + h, Vec<double>(x + h * k3));
    x += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return x;
}

/// Best of `reps` wall-clock times of fn() (seconds); the last result is kept in `out`.
template <class Fn, class R> double best_time(int reps, Fn fn, R& out) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now();
    out = fn();
    best = std::min(best, now() - t0);
  }
  return best;
}

template <class T> double max_width(const Vec<T>& x) {
  double w = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) w = std::max(w, static_cast<double>(wid(x(i))));
  return w;
}
template <class T> double max_rel_width(const Vec<T>& x) {
  double w = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    w = std::max(w, static_cast<double>(wid(x(i))) / std::max(1e-300, static_cast<double>(mag(x(i)))));
  return w;
}
}  // namespace bench
