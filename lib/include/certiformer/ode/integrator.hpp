#pragma once
/// certiformer/ode/integrator.hpp — validated high-order interval Taylor integrator with Lohner's
/// QR wrapping control (a C⁰ Taylor–Lohner method in the spirit of CAPD's C0 solvers).
///
/// Encloses: `enclose_flow(f, t0, X0, t_end, opt, outputs)` returns, for every x0 ∈ X0, boxes
///   containing the solution x(t) of x' = f(t, x), x(t0) = x0:
///     * `enclosure` ∋ x(t_reached),
///     * `at[i]` ∋ x(times[i]) for the requested output times reached,
///     * `steps[j].tube` ∋ x(t) for every t in the step hull(t0_j, t1_j), `steps[j].end` ∋ x(t1_j),
///   and the solution exists on hull(t0, t_reached). When the verdict is `unknown` the run stopped
///   early; then t_reached is a certified bound: the solution exists and is bounded on
///   hull(t0, t_reached), so every blow-up time lies strictly beyond t_reached.
/// Assumes: f is real-analytic on each piece between its breakpoints (ode/field.hpp) and its
///   interval evaluations obey the inclusion principle.
/// Checks: each step's a-priori enclosure (apriori.hpp), finiteness of all enclosures, the
///   verified inverse of each QR basis.
/// Failure: Verdict unknown + reason + the partial result; never an exception for numerical
///   trouble (misuse such as a wrong dimension throws std::invalid_argument).
/// Method: one step from the set X = c + B r (lohner_set.hpp) at t0 with step h, t1 = t0 + σh:
///   1. y_k = F_k(t0, c): Taylor coefficients at the exact center (coefficients.hpp), k ≤ p
///      (`box` wrapping: over the box X);
///   2. step size h = 0.9·min_{k∈{p−1,p}} (tol/‖y_k‖∞)^{1/k}, tol = `tolerance`·(1 + ‖c‖∞), at
///      most 4× the previous step (1.25× after a shrunk step), clipped by h_max, output times,
///      breakpoints and t_end;
///   3. a-priori box Z ⊇ x([t0,t1]) by Picard for the hull of X (may shrink h);
///   4. remainder: x(t1) = Σ_{k≤p} F_k(t0, x0) h^k + F_{p+1}(ξ, x(ξ)) h^{p+1}, ξ in the step
///      (Lagrange form per component), so Rem = F_{p+1}(hull(t0,t1), Z)·h^{p+1} encloses the
///      last term (coefficients over the box Z with interval time); if its width exceeds
///      max(100·tol, remainder_fraction·wid(X)) the step is halved (a bounded number of times);
///   5. wrapping (opt.wrapping): `qr`/`mean_value`: by the mean-value theorem for the flow map
///      Φ_h, x(t1) = Φ_h(x0) ∈ Φ_h(c) + J·(x0 − c), x0 − c = Bρ, with J ⊇ DΦ_h over the hull of
///      X ∪ {c}. J comes from the variational equation V' = D_x f V, V(0) = I (C¹ approach):
///        a) W ⊇ V(s) on the step by Picard: I + [0,h]·σD_x f(T, Z)·W ⊆ int(W);
///        b) J = Σ_{k≤q} h^k V_k(t0, X) + h^{q+1} V_{q+1}(T, Z, W): Taylor coefficients of the
///           variational equation by Taylor<Dual<T>> (identity seeds over X; seeds W over Z for
///           the Lagrange remainder, V_{q+1} being linear in the initial matrix);
///      then lohner_update re-orthogonalises. `box`: the polynomial is evaluated on X itself;
///   6. the tube over the step: Φ_τ(c) + W·(x0 − c) for τ ∈ [0,h] (or the box polynomial over
///      [0,h]), plus [0,h]^{p+1} F_{p+1}(T, Z), ∩ Z.

#include "certiformer/core.hpp"
#include "certiformer/ode/apriori.hpp"
#include "certiformer/ode/budget.hpp"
#include "certiformer/ode/coefficients.hpp"
#include "certiformer/ode/field.hpp"
#include "certiformer/ode/lohner_set.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace certiformer::ode {

struct TaylorOptions {
  int order = 0;                  ///< p: Taylor order of the step (remainder uses p + 1); 0: auto
                                  ///< (default_taylor_order<T>(), chosen by benchmark)
  double tolerance = 0;           ///< relative per-step truncation target; 0: unit roundoff of T
  double h_max = 1.0;             ///< largest step size
  double h_min = 0;               ///< give up below this step size (0: 1e-13·(1 + |t|))
  int picard_retries = 8;
  int max_shrinks = 40;           ///< step halvings per step (Picard and remainder together)
  /// A step's remainder may be as wide as this fraction of the set's widest component (besides
  /// 100·tol) before the step is halved: on a wide set (parameter or initial boxes) a remainder
  /// far below the set's width changes nothing, while tiny steps multiply the wrapping. Step-size
  /// control only; the enclosure is sound for any value.
  double remainder_fraction = 1e-6;
  std::size_t max_steps = 10'000'000;
  Wrapping wrapping = Wrapping::qr;
  int jacobian_order = 0;         ///< q: Taylor order of the variational terms (0: auto, see code)
  bool record_steps = true;       ///< keep the per-step tubes
  /// Called after every accepted step with the time reached (progress display); may be empty.
  std::function<void(double)> on_step;
};

template <class T>
struct FlowStep {
  double t0 = 0, t1 = 0;  ///< the step is hull(t0, t1)
  Vec<T> tube;            ///< ∋ x(t) for every t in the step, every x0 ∈ X0
  Vec<T> end;             ///< ∋ x(t1)
};

template <class T>
struct FlowResult {
  Verdict verdict = Verdict::unknown("not run");
  double t_start = 0;
  double t_reached = 0;       ///< the solution is enclosed (and exists) on hull(t_start, t_reached)
  Vec<T> enclosure;           ///< ∋ x(t_reached)
  LohnerSet<T> set;           ///< the Lohner representation at t_reached (c + B r)
  std::vector<double> times;  ///< requested output times reached, in integration order
  std::vector<Vec<T>> at;     ///< at[i] ∋ x(times[i])
  std::vector<FlowStep<T>> steps;
  std::size_t step_count = 0;
  double seconds = 0;         ///< wall time
};

namespace detail {
template <class R> double max_abs(const Vec<R>& v) {
  double m = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i) m = std::max(m, std::fabs(approx_double(v(i))));
  return m;
}
template <class T> double max_mag(const Vec<T>& v) {
  double m = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i) m = std::max(m, approx_double(mag(v(i))));
  return m;
}
/// Natural log of max_i mag(v_i) (−∞ for 0), valid beyond the binary64 range.
inline double log_abs_real(double v) { return std::log(std::fabs(v)); }
inline double log_abs_real(const MpReal& v) {
  if (mpfr_zero_p(v.backend().data())) return -std::numeric_limits<double>::infinity();
  if (!mpfr_number_p(v.backend().data())) return std::numeric_limits<double>::infinity();
  long e = 0;
  const double m = mpfr_get_d_2exp(&e, v.backend().data(), MPFR_RNDN);
  return std::log(std::fabs(m)) + static_cast<double>(e) * std::log(2.0);
}
template <class T> double max_log_mag(const Vec<T>& v) {
  double m = -std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < v.size(); ++i) m = std::max(m, log_abs_real(mag(v(i))));
  return m;
}
template <class T> double max_wid(const Vec<T>& v) {
  double m = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i) m = std::max(m, approx_double(wid(v(i))));
  return m;
}
template <class T> int default_order() {
  if constexpr (std::is_same_v<T, Interval>) return 24;
  else {
    const int p = static_cast<int>(0.35 * mp_precision());  // ≈ ln(1/tol)/2
    return std::clamp(p, 20, 120);
  }
}
template <class T> double default_tolerance() {
  if constexpr (std::is_same_v<T, Interval>) return 0x1p-53;
  else return std::ldexp(1.0, -static_cast<int>(std::min(1000u, mp_precision())));
}
/// A time for messages: shortest round-trip decimal (std::to_string would print 1e-9 as 0.000000).
inline std::string time_text(double t) {
  char b[32];
  std::snprintf(b, sizeof b, "%.17g", t);
  for (int digits = 1; digits < 17; ++digits) {  // fewest digits that read back exactly
    char c[32];
    std::snprintf(c, sizeof c, "%.*g", digits, t);
    if (std::strtod(c, nullptr) == t) return c;
  }
  return b;
}
/// Σ_k c_k τ^k for τ ∈ [0, h] (each power as the interval [0, h^k]).
template <class T> Vec<T> horner_range(const std::vector<Vec<T>>& c, const T& H0) {
  return horner(c, H0);
}
}  // namespace detail

/// `outputs` are times strictly between t0 and t_end (in the direction of integration) at which
/// enclosures are wanted; t_end itself is always an output.
/// Encloses: for every x0 ∈ X0, `enclosure` ∋ x(t_reached), `at[i]` ∋ x(times[i]), each step's
///   `tube` ∋ x(t) on the step and `end` ∋ x(t1); the solution exists on hull(t0, t_reached).
/// Assumes: f real-analytic between its breakpoints; its interval evaluations obey inclusion.
/// Checks: dimension, order and finite times (std::invalid_argument); each step's a-priori
///   enclosure; finiteness; the verified inverse of each QR basis.
/// Failure: Verdict unknown + reason + the partial result up to t_reached (then every blow-up
///   time lies beyond t_reached); no exception for numerical trouble.
/// Method: Taylor–Lohner steps of order p with a Lagrange remainder over the a-priori box and a
///   C¹ (variational) mean-value wrapping, QR re-orthogonalised (file comment, steps 1–6).
template <class T, class F>
  requires VectorField<F, T>
FlowResult<T> enclose_flow(const F& f, double t0, const Vec<T>& X0, double t_end, const TaylorOptions& opt = {},
                           std::vector<double> outputs = {}) {
  const auto clock0 = std::chrono::steady_clock::now();
  const Eigen::Index n = f.dimension();
  if (X0.size() != n) throw std::invalid_argument("enclose_flow: X0 has the wrong dimension");
  if (opt.order < 0) throw std::invalid_argument("enclose_flow: order must be ≥ 1 (or 0 for auto)");
  if (!std::isfinite(t0) || !std::isfinite(t_end)) throw std::invalid_argument("enclose_flow: non-finite time");
  const int sigma = t_end >= t0 ? 1 : -1;
  const int p = opt.order > 0 ? opt.order : detail::default_order<T>();
  const double tol_rel = opt.tolerance > 0 ? opt.tolerance : detail::default_tolerance<T>();
  // Order of the variational Taylor terms: its remainder has relative size ≈ tol^{(q+1)/p}, so
  // q ≈ p·ln(1e8)/ln(1/tol) keeps the Jacobian's own width near 1e-8 (it only multiplies the
  // tiny set radius r).
  const int q = opt.jacobian_order > 0
                    ? std::min(opt.jacobian_order, p)
                    : std::clamp(static_cast<int>(std::ceil(p * std::log(1e8) / -std::log(tol_rel))), 2, p);

  FlowResult<T> res;
  res.t_start = t0;
  res.t_reached = t0;
  res.enclosure = X0;
  res.set = LohnerSet<T>::from_box(X0);
  auto finish = [&](Verdict v) {
    res.verdict = std::move(v);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
    return res;
  };
  if (!detail::all_finite(X0)) return finish(Verdict::unknown("initial set is unbounded"));

  // Stops: outputs, breakpoints strictly inside, t_end — in integration order.
  std::vector<double> stops;
  for (double s : outputs)
    if (sigma * (s - t0) > 0 && sigma * (t_end - s) > 0) stops.push_back(s);
  for (double b : breakpoints_of(f))
    if (sigma * (b - t0) > 0 && sigma * (t_end - b) > 0) stops.push_back(b);
  stops.push_back(t_end);
  std::sort(stops.begin(), stops.end(), [&](double a, double b) { return sigma * a < sigma * b; });
  stops.erase(std::unique(stops.begin(), stops.end()), stops.end());
  auto is_output = [&](double s) {
    return s == t_end || std::find(outputs.begin(), outputs.end(), s) != outputs.end();
  };
  std::size_t next_stop = 0;

  LohnerSet<T> S = res.set;
  Vec<T> Xhull = X0;
  double t = t0;
  double h_prev = 0;
  bool prev_shrunk = false;
  AprioriOptions aopt;
  aopt.retries = opt.picard_retries;
  aopt.max_shrinks = 0;  // shrinking is done here

  while (next_stop < stops.size()) {
    if (res.step_count >= opt.max_steps) return finish(Verdict::unknown("maximum number of steps reached"));
    if (WorkBudget* budget = current_budget(); budget && budget->exhausted())
      return finish(Verdict::unknown(budget->reason() + " at t = " + detail::time_text(t) +
                                     " (the flow is enclosed on [" + detail::time_text(std::min(t0, t)) + ", " +
                                     detail::time_text(std::max(t0, t)) + "])"));
    const double target = stops[next_stop];
    const double h_min = opt.h_min > 0 ? opt.h_min : 1e-13 * (1 + std::fabs(t));
    std::string fail_reason;
    bool stepped = false;
    try {
      // 1. coefficients at the center (point time t); in box mode over the box itself (they are
      //    then the coefficients of the step, used for the step size too).
      const Vec<T> c = enclose_point<T>(S.center);
      const bool box_mode = opt.wrapping == Wrapping::box;
      const std::vector<Vec<T>> yc = enclose_ode_coefficients<T>(f, T(t), box_mode ? Xhull : c, p, sigma);
      // 2. predicted step size.
      const double tol = tol_rel * (1 + detail::max_abs(S.center));
      double h = opt.h_max;
      const double log_tol = std::log(tol_rel) + std::log1p(detail::max_abs(S.center));
      for (int k : {p - 1, p}) {
        if (k < 1) continue;
        const double lm = detail::max_log_mag(yc[static_cast<std::size_t>(k)]);
        if (std::isfinite(lm)) h = std::min(h, 0.9 * std::exp((log_tol - lm) / k));
      }
      // Growth cap: 4× the last step, but only 1.25× after a step that had to be shrunk (the
      // a-priori box or the remainder limits h there, not the coefficients; retrying the
      // prediction every step would waste two failed attempts per step).
      if (h_prev > 0) h = std::min(h, (prev_shrunk ? 1.25 : 4.0) * h_prev);
      const double dist = std::fabs(target - t);
      bool to_stop = false;
      if (h >= dist) { h = dist; to_stop = true; }
      else if (h > 0.9 * dist) { h = 0.5 * dist; }  // avoid a sliver step before the stop

      for (int attempt = 0; attempt <= opt.max_shrinks; ++attempt) {
        if (!to_stop && h < h_min) { fail_reason = "step size below h_min"; break; }
        const double t1 = to_stop ? target : t + sigma * h;
        if (t1 == t) { fail_reason = "step size below the resolution of t"; break; }
        const double hh = std::fabs(t1 - t);
        // 3. a-priori enclosure on the step, for the hull of the set and its center (the
        //    mean-value segments [c, x0] and the center's own trajectory must be covered).
        Vec<T> Jbox = Xhull;
        if (opt.wrapping != Wrapping::box)
          for (Eigen::Index i = 0; i < n; ++i) Jbox(i) = convex_hull(Xhull(i), c(i));
        AprioriEnclosure<T> ap = enclose_apriori<T>(f, t, Jbox, hh, sigma, aopt);
        if (!ap.verdict.is_proved()) {
          fail_reason = ap.verdict.reason();
          h = 0.5 * hh; to_stop = false;
          continue;
        }
        const T tt = detail::hull_time<T>(t, t1);
        const T H = sigma > 0 ? T(t1) - T(t) : T(t) - T(t1);
        const T H0 = convex_hull(T(0), H);
        // 4. remainder.
        const std::vector<Vec<T>> yz = enclose_ode_coefficients<T>(f, tt, ap.Z, p + 1, sigma);
        Vec<T> rem = yz[static_cast<std::size_t>(p + 1)];
        const T Hp = pow(H, p + 1);
        for (Eigen::Index i = 0; i < n; ++i) rem(i) *= Hp;
        if (!detail::all_finite(rem)) {
          fail_reason = "unbounded Taylor remainder";
          h = 0.5 * hh; to_stop = false;
          continue;
        }
        if (detail::max_wid(rem) > std::max(100 * tol, opt.remainder_fraction * detail::max_wid(Xhull)) &&
            attempt < opt.max_shrinks && hh > 2 * h_min) {
          fail_reason = "Taylor remainder too wide";
          h = 0.5 * hh; to_stop = false;
          continue;
        }
        // 5. the step.
        const Vec<T> Y = horner(yc, H) + rem;  // ∋ x(t1) for the center
        const T Hp0 = convex_hull(T(0), Hp);
        Vec<T> center_range = horner(yc, H0);  // ∋ x(t + στ) for the center, τ ∈ [0, h]
        for (Eigen::Index i = 0; i < n; ++i) center_range(i) += yz[static_cast<std::size_t>(p + 1)](i) * Hp0;
        Vec<T> end;
        Vec<T> tube;
        if (opt.wrapping == Wrapping::box) {
          end = Y;  // yc are the coefficients over the box X
          S = LohnerSet<T>::from_box(end);
          if (opt.record_steps) tube = center_range;
        } else {
          // 5a. W ⊇ V(s) (variational equation) on the step: A ⊇ σ D_x f(T, Z).
          Vec<Dual<T>> zd(n);
          for (Eigen::Index i = 0; i < n; ++i)
            zd(i) = Dual<T>::variable(ap.Z(i), static_cast<std::size_t>(i), static_cast<std::size_t>(n));
          const Vec<Dual<T>> fz = eval_field<Dual<T>>(f, Dual<T>(tt), zd);
          Mat<T> Am(n, n);
          const T sig(sigma);
          for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index j = 0; j < n; ++j) Am(i, j) = sig * fz(i).d(static_cast<std::size_t>(j));
          const std::optional<Mat<T>> W = enclose_variational_apriori<T>(Am, H0, opt.picard_retries);
          if (!W) {
            fail_reason = "no a-priori enclosure of the variational equation";
            h = 0.5 * hh; to_stop = false;
            continue;
          }
          // 5b. J ⊇ DΦ_h over Jbox: Σ_{k≤q} h^k V_k(t, Jbox) + h^{q+1} V_{q+1}(T, Z, W)
          //     (Lagrange remainder of the variational solution, V(ξ) ∈ W, x(ξ) ∈ Z).
          Vec<Dual<T>> xd(n), zw(n);
          for (Eigen::Index i = 0; i < n; ++i) {
            xd(i) = Dual<T>::variable(Jbox(i), static_cast<std::size_t>(i), static_cast<std::size_t>(n));
            typename Dual<T>::grad_type g(static_cast<std::size_t>(n), T(0));
            for (Eigen::Index j = 0; j < n; ++j) g[static_cast<std::size_t>(j)] = (*W)(i, j);
            zw(i) = Dual<T>(ap.Z(i), std::move(g));
          }
          const auto yd = enclose_ode_coefficients<Dual<T>>(f, Dual<T>(T(t)), xd, q, sigma);
          const auto yr = enclose_ode_coefficients<Dual<T>>(f, Dual<T>(tt), zw, q + 1, sigma);
          const T Hq = pow(H, q + 1);
          Mat<T> J(n, n);
          for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index j = 0; j < n; ++j) {
              T acc = yd[static_cast<std::size_t>(q)](i).d(static_cast<std::size_t>(j));
              for (int k = q - 1; k >= 0; --k) acc = acc * H + yd[static_cast<std::size_t>(k)](i).d(static_cast<std::size_t>(j));
              J(i, j) = acc + Hq * yr[static_cast<std::size_t>(q + 1)](i).d(static_cast<std::size_t>(j));
            }
          const Vec<T> offset = S.hull() - c;  // ∋ x0 − c
          const Mat<T> A = S.identity_basis() ? J : certiformer::linalg::mul(J, S.basis_interval());
          S = lohner_update(S, Y, A, opt.wrapping, &end);
          // tube: x(t + στ) ∈ Φ_τ(c) + DΦ_τ(ξ)(x0 − c), DΦ_τ ∈ W
          if (opt.record_steps) tube = center_range + certiformer::linalg::mul(*W, offset);
        }
        if (!detail::all_finite(end)) {
          fail_reason = "unbounded enclosure after the step";
          break;
        }
        // 6. tube.
        if (opt.record_steps) {
          for (Eigen::Index i = 0; i < n; ++i) {
            auto cut = intersection(tube(i), ap.Z(i));
            tube(i) = cut ? *cut : ap.Z(i);
          }
          res.steps.push_back(FlowStep<T>{t, t1, std::move(tube), end});
        }
        Xhull = end;
        t = t1;
        h_prev = hh;
        prev_shrunk = attempt > 0;
        ++res.step_count;
        if (WorkBudget* budget = current_budget()) budget->count_step();
        if (opt.on_step) opt.on_step(t);
        stepped = true;
        break;
      }
    } catch (const std::domain_error& e) {  // leaving a function's domain: numerical trouble
      fail_reason = std::string("field evaluation failed: ") + e.what();
    } catch (const std::runtime_error& e) {
      fail_reason = std::string("field evaluation failed: ") + e.what();
    }  // other std::logic_error (misuse, tape inconsistency) propagate: never a claim
    if (!stepped) {
      res.t_reached = t;
      res.enclosure = Xhull;
      res.set = S;
      return finish(Verdict::unknown("integration stopped at t = " + std::to_string(t) + ": " + fail_reason));
    }
    res.t_reached = t;
    res.enclosure = Xhull;
    res.set = S;
    if (t == target) {
      if (is_output(target)) {
        res.times.push_back(target);
        res.at.push_back(Xhull);
      }
      ++next_stop;
      h_prev = 0;  // a stop may be a breakpoint: restart the step-size prediction
      prev_shrunk = false;
    }
  }
  return finish(Verdict::proved("flow enclosed on [" + std::to_string(std::min(t0, t_end)) + ", " +
                                std::to_string(std::max(t0, t_end)) + "] in " + std::to_string(res.step_count) +
                                " steps"));
}

}  // namespace certiformer::ode
