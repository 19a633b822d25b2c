#pragma once
/// certiformer/ode/apriori.hpp — a-priori enclosure of an ODE solution over one step (Picard).
///
/// Encloses: if the result is proved, then for every x0 ∈ X the solution of x' = f(t, x),
///   x(t0) = x0 exists on the whole step between t0 and t1 = t0 + σh and stays in Z there.
/// Assumes: f is continuous in t and locally Lipschitz in x on the step (true for the library's
///   fields: real-analytic pieces; the integrator never steps across a breakpoint).
/// Checks: Y := X + [0, h]·σ f(T, Z) ⊆ interior(Z) with T = hull(t0, t1) (Lohner 1987): the
///   Picard operator maps the set of continuous functions with values in Z into itself, so by
///   Schauder's theorem it has a fixed point, the (unique, by Lipschitz) solution, with values
///   in Y ⊆ Z. Then Y (⊆ Z) is returned, tightened by two further iterations
///   Y ← X + [0, h]·σ f(T, Y) (each contains the solution and is ⊆ the previous one).
/// Failure: a Verdict `unknown` with the reason (no inclusion after the retries at every step
///   size down to h_min, unbounded values, or a domain error in f such as a division by an
///   interval containing 0); nothing is claimed and no exception escapes.
/// Method: Z₀ = X + [0, h]·σf(T, X), inflated by 10 % of its width plus a small absolute
///   amount; up to `retries` iterations Z ← Y inflated; then h is halved (at most
///   `max_shrinks` times, never below h_min).

#include "certiformer/core.hpp"
#include "certiformer/ode/field.hpp"
#include "certiformer/ode/lohner_set.hpp"

#include <exception>
#include <optional>
#include <string>

namespace certiformer::ode {

struct AprioriOptions {
  int retries = 8;          ///< inclusion attempts per step size
  int max_shrinks = 30;     ///< halvings of h
  double h_min = 0;         ///< smallest step size tried (0: none beyond max_shrinks)
  double inflation = 0.1;   ///< relative inflation of the trial box
};

template <class T>
struct AprioriEnclosure {
  Verdict verdict = Verdict::unknown("not computed");
  double t1 = 0;   ///< end of the step (exact double); the step is hull(t0, t1)
  double h = 0;    ///< |t1 − t0| rounded to nearest (informative)
  Vec<T> Z;        ///< encloses x(t) for all t in the step and all x0 ∈ X (when proved)
};

namespace detail {
template <class T> T inflate_box(const T& y, double rel) {
  using R = real_t<T>;
  const R w = wid(y);
  const R m = mag(y);
  // rel·wid + 2^-50·(1 + |y|) + tiny
  const T amount = T(rel) * enclose_point<T>(w) + T(0x1p-50) * (T(1) + enclose_point<T>(m)) + T(0x1p-1000);
  const R a = sup(amount);
  return y + symmetric_interval<T>(a);
}
template <class T> T hull_time(double t0, double t1) {
  return t0 <= t1 ? T(real_t<T>(t0), real_t<T>(t1)) : T(real_t<T>(t1), real_t<T>(t0));
}
}  // namespace detail

/// Picard step from the box X at t0, trying |t1 − t0| = h then smaller, in direction σ = ±1.
/// Encloses: if proved, for every x0 ∈ X the solution of x' = f(t, x), x(t0) = x0 exists on
///   hull(t0, t1) and lies in `Z` there (t1 = t0 + σ·h for the h actually used, stored in `t1`).
/// Assumes: f continuous in t and locally Lipschitz in x on the step (no breakpoint inside it).
/// Checks: X + [0, h]·σ f(T, Z) ⊆ interior(Z) (Schauder + uniqueness); finiteness; h > 0.
/// Failure: Verdict unknown + reason (no inclusion down to h_min, unbounded values, a domain
///   error of f); no exception escapes for numerical trouble.
/// Method: see the file comment (inflated first guess, `retries` Picard iterations, h halved
///   at most `max_shrinks` times, two tightening iterations).
template <class T, class F>
AprioriEnclosure<T> enclose_apriori(const F& f, double t0, const Vec<T>& X, double h, int sigma,
                                    const AprioriOptions& opt = {}) {
  AprioriEnclosure<T> out;
  std::string last_reason = "no step size tried";
  if (!(h > 0) || !std::isfinite(h)) {
    out.verdict = Verdict::unknown("enclose_apriori: step size must be positive and finite");
    return out;
  }
  const Eigen::Index n = X.size();
  for (int shrink = 0; shrink <= opt.max_shrinks; ++shrink, h *= 0.5) {
    if (opt.h_min > 0 && h < opt.h_min) break;
    const double t1 = t0 + sigma * h;
    if (t1 == t0) break;  // h below the resolution of t0
    try {
      const T tt = detail::hull_time<T>(t0, t1);
      const T H = sigma > 0 ? T(t1) - T(t0) : T(t0) - T(t1);
      const T H0 = convex_hull(T(0), H);  // [0, h]
      const T sig(sigma);
      auto picard = [&](const Vec<T>& Z) {
        Vec<T> fz = eval_field<T>(f, tt, Z);
        Vec<T> Y(n);
        for (Eigen::Index i = 0; i < n; ++i) Y(i) = X(i) + H0 * (sig * fz(i));
        return Y;
      };
      Vec<T> Z = picard(X);
      bool ok = false;
      if (!detail::all_finite(Z)) {
        last_reason = "unbounded trial box";
        continue;
      }
      for (Eigen::Index i = 0; i < n; ++i) Z(i) = detail::inflate_box(Z(i), opt.inflation);
      for (int it = 0; it < opt.retries; ++it) {
        if (!detail::all_finite(Z)) { last_reason = "unbounded trial box"; break; }
        Vec<T> Y = picard(Z);
        if (!detail::all_finite(Y)) { last_reason = "unbounded image of the trial box"; break; }
        bool inside = true;
        for (Eigen::Index i = 0; i < n && inside; ++i) inside = interior(Y(i), Z(i));
        if (inside) {
          for (int ref = 0; ref < 2; ++ref) {
            Vec<T> Y2 = picard(Y);
            for (Eigen::Index i = 0; i < n; ++i) {
              auto cut = intersection(Y2(i), Y(i));
              if (cut) Y2(i) = *cut;  // Y2 ⊆ Y in exact terms; guard rounding
              else { Y2(i) = Y(i); }
            }
            Y = Y2;
          }
          out.Z = Y;
          ok = true;
          break;
        }
        // Next trial: the image, inflated (not its hull with Z: a component that grows would
        // make the others grow with it and the iteration would never close).
        for (Eigen::Index i = 0; i < n; ++i) Z(i) = detail::inflate_box(Y(i), opt.inflation);
        last_reason = "Picard iteration found no inclusion Y ⊂ int(Z)";
      }
      if (ok) {
        out.t1 = t1;
        out.h = h;
        out.verdict = Verdict::proved("Picard inclusion X + [0,h] f(T, Z) ⊂ int(Z)");
        return out;
      }
    } catch (const std::exception& e) {
      last_reason = std::string("field evaluation failed: ") + e.what();
    }
  }
  out.verdict = Verdict::unknown("a-priori enclosure failed at t = " + std::to_string(t0) + ": " + last_reason);
  return out;
}

/// A-priori enclosure of the variational equation V' = A(s) V, V(0) = I over one step.
/// Encloses: if a matrix is returned, then V(s) ∈ W for every s in the step, whenever A(s) ∈ A
///   for all s (A ⊇ σ·D_x f(T, Z) with Z the a-priori box of the state).
/// Checks: I + [0, h]·(A·W) ⊆ interior(W) entrywise (the joint Picard operator of (x, V) maps
///   C([0,h], Z × W) into itself; Schauder + uniqueness as in enclose_apriori).
/// Assumes: A encloses σ·D_x f over the step's time and state boxes (the caller's job: the
///   integrator builds it from the a-priori box Z); H0 = [0, h].
/// Failure: std::nullopt (no inclusion within `retries` inflations).
/// Method: Picard iteration W ← I + H0·(A·W) from W₀ = I + H0·A, inflated by `inflation`·width
///   between tries (linalg mid-rad products).
template <class T>
std::optional<Mat<T>> enclose_variational_apriori(const Mat<T>& A, const T& H0, int retries = 8, double inflation = 0.1) {
  const Eigen::Index n = A.rows();
  Mat<T> I(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) I(i, j) = T(i == j ? 1 : 0);
  auto picard = [&](const Mat<T>& W) {
    Mat<T> AW = certiformer::linalg::mul(A, W);
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i) AW(i, j) = I(i, j) + H0 * AW(i, j);
    return AW;
  };
  Mat<T> W = picard(I);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) W(i, j) = detail::inflate_box(W(i, j), inflation);
  for (int it = 0; it < retries; ++it) {
    if (!detail::all_finite(W)) return std::nullopt;
    Mat<T> Y = picard(W);
    bool inside = detail::all_finite(Y);
    for (Eigen::Index j = 0; j < n && inside; ++j)
      for (Eigen::Index i = 0; i < n && inside; ++i) inside = interior(Y(i, j), W(i, j));
    if (inside) {
      Mat<T> Y2 = picard(Y);  // ⊆ Y, still contains V
      for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i) {
          auto cut = intersection(Y2(i, j), Y(i, j));
          Y2(i, j) = cut ? *cut : Y(i, j);
        }
      return Y2;
    }
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i) W(i, j) = detail::inflate_box(Y(i, j), inflation);
  }
  return std::nullopt;
}

}  // namespace certiformer::ode
