// Two-sided blow-up brackets for general V by compactification at infinity. See
// gaussian/blowup.hpp (certify_blowup_bracket_general) and docs/gaussian.md §4 for the mathematics.
#include "certiformer/gaussian/blowup.hpp"
#include "certiformer/gaussian/classify.hpp"
#include "certiformer/gaussian/ops.hpp"
#include "certiformer/gaussian/sigma_field.hpp"
#include "certiformer/core/mp_interval.hpp"
#include "certiformer/ode/integrator.hpp"

#include <algorithm>
#include <type_traits>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace certiformer::gaussian {

namespace {

using detail::upper_bound_spectral;

std::string g17(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

/// Upper bound of the Euclidean norm of the first m entries of x (each entry's magnitude).
double upper_norm2(const Vec<Interval>& x, Eigen::Index m) {
  Interval s(0.0);
  for (Eigen::Index k = 0; k < m; ++k) s += sqr(Interval(mag(x(k))));
  return sup(sqrt(s));
}

/// One trapping test at an enclosure Z of z(τ1) = (vech Ŝ, r, t)(τ1): see blowup.hpp, steps 3–4.
struct Trap {
  bool ok = false;
  std::string why;
  double t_lo = 0, t_hi = 0;
  double rho = 0, rate_lo = 0, rate_hi = 0, decay = 0;
};

Trap try_trap(const CompactSigmaField<Interval>& F, const Vec<double>& zstar, double fstar, const Vec<Interval>& Z) {
  Trap out;
  const Eigen::Index n = F.quad.dimension();
  const Eigen::Index m = n + 1;  // the autonomous part (vech Ŝ, r)
  // e ≥ |z(τ1) − z*|₂ for every point of the enclosure
  Vec<Interval> diff(m);
  for (Eigen::Index k = 0; k < m; ++k) diff(k) = Z(k) - Interval(zstar(k));
  const double e = upper_norm2(diff, m);
  if (!std::isfinite(e)) {
    out.why = "enclosure not finite";
    return out;
  }
  double delta = std::max(2 * e, 1e-300);  // half-width of the box around z*
  for (int attempt = 0; attempt < 8; ++attempt) {
    // box B = z* ± δ (every coordinate), the Jacobian of the (Ŝ, r) field over B
    Vec<Interval> B(m);
    for (Eigen::Index k = 0; k < m; ++k) B(k) = Interval(zstar(k)) + Interval(-delta, delta);
    using D = ode::Dual<Interval>;
    Vec<D> xd(n + 2), dxd(n + 2);
    for (Eigen::Index k = 0; k < m; ++k) xd(k) = D::variable(B(k), static_cast<std::size_t>(k), static_cast<std::size_t>(m));
    xd(n + 1) = D(Interval(0.0));
    F(D(Interval(0.0)), xd, dxd);
    Mat<Interval> J(m, m);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index k = 0; k < m; ++k) J(i, k) = dxd(i).d(static_cast<std::size_t>(k));
    const auto H = certify_hurwitz<Interval>(J);
    if (!H.verdict.is_proved()) {
      out.why = "no common quadratic Lyapunov function on the box of half-width " + g17(delta) + " (" +
                H.verdict.reason() + ")";
      return out;
    }
    const Mat<Interval> Gt = enclose_point<Interval>(H.G);
    const auto gs = linalg::certify_spd(Gt);
    if (!gs.verdict.is_proved()) {
      out.why = "Lyapunov weight not SPD";
      return out;
    }
    const double gmin = gs.lambda_min_lower;
    const double gmax = linalg::upper_bound_lambda_max(Gt).value();
    const double alpha = H.rate;  // d‖e‖_G/dτ ≤ ‖f(z*)‖_G − α‖e‖_G on the ball
    const Interval sgmax = sqrt(Interval(gmax));
    // ρ must hold the start (√gmax·e ≥ ‖z(τ1) − z*‖_G) and the drift (‖f(z*)‖_G/α ≤ √gmax·fstar/α)
    const double rho = std::max(sup(sgmax * Interval(e)), sup(sgmax * Interval(fstar) / Interval(alpha)));
    const double rho_box = inf(Interval(delta) * sqrt(Interval(gmin)));  // G-ball of radius ρ_box ⊆ B
    if (!(rho < rho_box)) {  // strictly inside: the invariance argument needs the ball's boundary in the box's interior
      const double need = sup(Interval(rho) / sqrt(Interval(gmin)));
      if (!std::isfinite(need) || need > 1e-1) {
        out.why = "trapping ball too large (half-width " + g17(need) + ")";
        return out;
      }
      delta = 1.25 * need;
      continue;
    }
    // the ball lies in B: g over B bounds the decay of r
    const Interval g = F.rate(B);
    if (!(inf(g) > 0)) {
      out.why = "decay rate g not certified positive on the box";
      return out;
    }
    const Interval r1 = Z(n), t1 = Z(n + 1);
    const double r_hi = sup(r1), r_lo = std::max(inf(r1), 0.0);
    if (!(r_hi > 0)) {
      out.why = "r not enclosed away from -inf";
      return out;
    }
    out.t_hi = sup(t1 + Interval(r_hi) / Interval(inf(g)));
    out.t_lo = certiformer::detail::next_down(inf(t1 + Interval(r_lo) / Interval(sup(g))));
    out.rho = rho;
    out.rate_lo = inf(g);
    out.rate_hi = sup(g);
    out.decay = alpha;
    out.ok = std::isfinite(out.t_hi) && out.t_lo > 0 && out.t_lo < out.t_hi;
    if (!out.ok) out.why = "bracket not finite";
    return out;
  }
  out.why = "trapping ball not found";
  return out;
}

/// The exact compactified initial point (vech Σ0/tr Σ0, 1/tr Σ0, 0), enclosed in T.
template <class T> Vec<T> compact_initial(int d, const GaussianSpec& initial) {
  const Eigen::Index n = d * (d + 1) / 2;
  const Mat<T> S0 = enclose_matrix<T>(initial.cov);
  T tr(0.0);
  for (int i = 0; i < d; ++i) tr += S0(i, i);
  Vec<T> x0(n + 2);
  for (int i = 0; i < d; ++i)
    for (int j = i; j < d; ++j) x0(vech_index(d, i, j)) = S0(i, j) / tr;
  x0(n) = T(1.0) / tr;
  x0(n + 1) = T(0.0);
  return x0;
}

/// Step 2: Taylor–Lohner enclosures of z(τ) = (vech Ŝ, r, t) at the outputs (and at the end
/// reached), computed in T and returned rounded outward to binary64.
struct CompactEnclosures {
  std::vector<Vec<Interval>> at;
  double t_reached = 0;
  std::size_t steps = 0;
  std::string stopped;  ///< why the integration ended before τ_end (empty when it reached it)
};

template <class T>
CompactEnclosures integrate_compact(const ModelSpec& model, const GaussianSpec& initial, double tau_end,
                                    const std::vector<double>& outs, std::size_t max_steps) {
  const CompactSigmaField<T> F(enclose_model<T>(model));
  ode::TaylorOptions topt;
  topt.record_steps = false;
  if (max_steps > 0) topt.max_steps = max_steps;
  topt.h_max = std::max(1.0, tau_end / 16);
  if constexpr (!std::is_same_v<T, Interval>) {
    // Only t(τ1) to a fraction of a binary64 ulp is wanted, not 2^-bits: a per-step truncation
    // target of 1e-20 (≈ 1e-4 ulp) at order 16 costs ~3× fewer operations than the precision's own
    // default (order 0.35·bits, tolerance 2^-bits) for the same binary64 bracket (measured:
    // relative widths 3.8e-16 – 6.6e-16 either way; tolerance 1e-18 gives 1e-14). Step control only.
    topt.order = 16;
    topt.tolerance = 1e-20;
  }
  // Early stop: at doubling checkpoints (200, 400, … steps) the pace so far projects the step
  // count to τ_end; more than 10× the limit ends the run at once (a stiff-looking flow advances
  // ~1e-6 of τ_end in its first hundreds of steps — it would otherwise spend the whole limit,
  // minutes at 128 bits, and fail anyway). The exception type is private to this file and is not
  // a std::exception, so the integrator's handlers (domain/runtime errors) let it through.
  // Effort only: a stopped run claims nothing.
  struct ProjectedBeyondLimit {
    std::size_t steps;
    double tau, projected;
  };
  std::size_t count = 0, next_check = 200;
  if (max_steps > 0)
    topt.on_step = [&](double tau) {
      if (++count < next_check) return;
      next_check *= 2;
      const double projected = static_cast<double>(count) * (tau_end / tau);
      if (tau > 0 && projected > 10.0 * static_cast<double>(max_steps)) throw ProjectedBeyondLimit{count, tau, projected};
    };
  CompactEnclosures out;
  std::optional<ode::FlowResult<T>> run;
  try {
    run = ode::enclose_flow<T>(F, 0.0, compact_initial<T>(model.dim, initial), tau_end, topt, outs);
  } catch (const ProjectedBeyondLimit& p) {
    out.steps = p.steps;
    out.t_reached = p.tau;
    out.stopped = "stopped early: at that pace tau_end needs ~" + g17(p.projected) + " steps, more than 10 x the limit of " +
                  std::to_string(max_steps) + " (GeneralBracketOptions::max_steps)";
    return out;
  }
  const ode::FlowResult<T>& fr = *run;
  out.t_reached = fr.t_reached;
  out.steps = fr.step_count;
  if (!fr.verdict.is_proved()) out.stopped = fr.verdict.reason();
  auto round = [](const Vec<T>& v) {
    Vec<Interval> w(v.size());
    for (Eigen::Index k = 0; k < v.size(); ++k) {
      if constexpr (std::is_same_v<T, Interval>) w(k) = v(k);
      else w(k) = to_interval(v(k));
    }
    return w;
  };
  for (const auto& v : fr.at) out.at.push_back(round(v));
  if (fr.t_reached > 0 && (fr.times.empty() || fr.times.back() != fr.t_reached)) out.at.push_back(round(fr.enclosure));
  return out;
}

}  // namespace

GeneralBlowupBracket certify_blowup_bracket_general(const ModelSpec& model_in, const GaussianSpec& initial,
                                                    const GeneralBracketOptions& options) {
  ModelSpec model = model_in;
  model.validate();
  initial.validate(model.dim, /*require_spd=*/true);
  GeneralBlowupBracket res;
  const int d = model.dim;
  const Eigen::Index n = d * (d + 1) / 2;
  const Eigen::Index N = n + 2;
  const Model<Interval> mi = enclose_model<Interval>(model);
  const CompactSigmaField<Interval> F(mi);

  const Vec<Interval> x0 = compact_initial<Interval>(d, initial);
  // ---- 1) approximate compactified trajectory (plain double, RK4; proposals only) ----
  // Step sizes by step doubling (local error ≤ 1e-11 in Ŝ, relative 1e-11 in r and t): the
  // compactified field's rates range over many orders of magnitude (‖βV Ŝ B‖ grows from
  // ‖βV Σ0 B‖/tr Σ0 to its value on the blow-up profile; an ill-conditioned basis inflates any
  // a-priori bound), so no fixed step fits. Nothing here is a claim: it only proposes τ_end
  // and the centre z* checked in steps 2–3.
  Vec<double> z(N);
  for (Eigen::Index k = 0; k < N; ++k) z(k) = mid(x0(k));
  const double r0 = z(n);
  auto f = [&](const Vec<double>& x) {
    Vec<double> dx(N);
    F(0.0, x, dx);
    return dx;
  };
  auto rk4 = [&](Vec<double>& x, double h) {
    const Vec<double> k1 = f(x), k2 = f(Vec<double>(x + 0.5 * h * k1)), k3 = f(Vec<double>(x + 0.5 * h * k2)),
                      k4 = f(Vec<double>(x + h * k3));
    x += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  };
  // max_k |dŜ_k/dτ| over the n entries of vech Ŝ (how far Ŝ is from settling)
  auto shat_speed = [&](const Vec<double>& dz) {
    double v = 0;
    for (Eigen::Index k = 0; k < n; ++k) v = std::max(v, std::fabs(dz(k)));
    return v;
  };
  // one adaptive step of size ≤ h from x (r = x(n) > 0, or the r = 0 system); returns the size
  // taken (0 when none) and proposes the next one in h
  auto adaptive_step = [&](Vec<double>& x, double& h) {
    for (int tries = 0; tries < 60; ++tries) {
      Vec<double> big = x, half = x;
      rk4(big, h);
      rk4(half, 0.5 * h);
      rk4(half, 0.5 * h);
      double err = 0;
      for (Eigen::Index k = 0; k < n; ++k) err = std::max(err, std::fabs(big(k) - half(k)) / 1e-11);
      if (x(n) > 0) err = std::max(err, std::fabs(big(n) - half(n)) / (1e-11 * std::fabs(half(n))));
      err = std::max(err, std::fabs(big(n + 1) - half(n + 1)) / (1e-11 * std::fabs(half(n + 1)) + 1e-300));
      if (!std::isfinite(err)) {
        h *= 0.25;
        continue;
      }
      if (err <= 1) {
        x = half;
        const double taken = h;
        h *= std::min(4.0, std::max(1.0, 0.9 * std::pow(err + 1e-30, -0.2)));
        return taken;
      }
      h *= std::max(0.1, 0.9 * std::pow(err, -0.2));
    }
    return 0.0;
  };
  double tau = 0;
  bool approaching = false;
  {
    const Vec<double> dz0 = f(z);
    double h = 1e-3 / (std::max(std::fabs(dz0(n)) / r0, shat_speed(dz0)) + 1e-300);
    for (long step = 0; step < 200000; ++step) {
      const Vec<double> dz = f(z);
      const double r = z(n), t = z(n + 1);
      const double g = r > 0 ? -dz(n) / r : 0;
      const double sdot = shat_speed(dz);
      if (!(std::isfinite(r) && std::isfinite(t)) || r > 1e12 * r0 || !(r > 0)) break;
      if (g > 0 && r / g < 1e-10 * t && sdot < 1e-10 * g) {
        approaching = true;
        break;
      }
      const double taken = adaptive_step(z, h);
      if (!(taken > 0) || !std::isfinite(h)) break;
      tau += taken;
    }
  }
  if (!approaching) {
    res.verdict = Verdict::unknown("the approximate compactified trajectory (Sigma/tr Sigma, 1/tr Sigma) does not "
                                   "approach a blow-up profile (r = 1/tr Sigma -> 0 with Sigma/tr Sigma settling)");
    return res;
  }
  // centre z* = (Ŝ*, 0): continue the r = 0 system until Ŝ settles (approximate equilibrium at infinity)
  Vec<double> zs = z;
  zs(n) = 0;
  {
    const double rate = shat_speed(f(zs));
    double h = rate > 0 ? 1e-3 / rate : 1.0;
    // the scale of the profile's rates: g on the profile (its eigen-rates are of that order)
    const double gscale = std::fabs(F.rate(zs)) + 1e-300;
    h = std::min(h, 1.0 / gscale);
    for (int it = 0; it < 200000; ++it) {
      if (shat_speed(f(zs)) < 1e-16 * std::max(1.0, gscale)) break;
      if (!(adaptive_step(zs, h) > 0) || !std::isfinite(h)) break;
    }
  }
  Vec<double> zstar(n + 1);
  for (Eigen::Index k = 0; k < n; ++k) zstar(k) = zs(k);
  zstar(n) = 0.0;
  // ‖f(z*)‖₂ (the centre is only approximately an equilibrium)
  double fstar = 0;
  {
    Vec<Interval> xs(N), dxs(N);
    for (Eigen::Index k = 0; k <= n; ++k) xs(k) = Interval(zstar(k));
    xs(n + 1) = Interval(0.0);
    F(Interval(0.0), xs, dxs);
    fstar = upper_norm2(dxs, n + 1);
  }

  // ---- 2) validated integration of the compactified field on [0, τ_end] ----
  const double tau_end = tau;
  res.tau_end = tau_end;
  const int K = 48;
  std::vector<double> outs;
  for (int k = 1; k < K; ++k) outs.push_back(tau_end * k / K);
  CompactEnclosures fr;
  try {
    if (options.flow_bits > 0) {
      MpPrecisionScope scope(static_cast<unsigned>(options.flow_bits));
      fr = integrate_compact<MpInterval>(model, initial, tau_end, outs, options.max_steps);
    } else {
      fr = integrate_compact<Interval>(model, initial, tau_end, outs, options.max_steps);
    }
  } catch (const std::exception& e) {
    res.verdict = Verdict::unknown(std::string("validated integration of the compactified field failed: ") + e.what());
    return res;
  }
  res.flow_bits = options.flow_bits;
  res.flow_steps = fr.steps;
  const std::vector<Vec<Interval>>& cand = fr.at;

  // ---- 3) trapping balls at the enclosed points; intersect the certified brackets ----
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  std::string last_why = "no enclosed point";
  for (auto it = cand.rbegin(); it != cand.rend(); ++it) {
    ++res.outputs_tried;
    const Trap tp = try_trap(F, zstar, fstar, *it);
    if (!tp.ok) {
      if (res.outputs_tried == 1) last_why = tp.why;
      continue;
    }
    ++res.outputs_certified;
    if (tp.t_hi - tp.t_lo < hi - lo || res.outputs_certified == 1) {
      res.ball_radius = tp.rho;
      res.rate_lo = tp.rate_lo;
      res.rate_hi = tp.rate_hi;
    }
    lo = std::max(lo, tp.t_lo);
    hi = std::min(hi, tp.t_hi);
  }
  if (res.outputs_certified == 0) {
    res.verdict = Verdict::unknown("no trapping region at infinity certified (" + last_why + "; validated integration to tau = " +
                                   g17(fr.t_reached) + " of " + g17(tau_end) + " in " + std::to_string(fr.steps) + " steps" +
                                   (fr.stopped.empty() ? std::string() : ": " + fr.stopped) + ")");
    return res;
  }
  if (!(lo < hi)) throw std::logic_error("certify_blowup_bracket_general: certified brackets are disjoint");
  res.t_lo = lo;
  res.t_hi = hi;
  res.relative_width = sup((Interval(hi) - Interval(lo)) / Interval(lo));
  res.verdict = Verdict::proved("compactified flow (Sigma/tr Sigma, 1/tr Sigma) enclosed to tau = " + g17(fr.t_reached) +
                                (options.flow_bits > 0 ? " at " + std::to_string(options.flow_bits) + " bits" : std::string(" in binary64")) +
                                "; trapping ball at infinity (quadratic Lyapunov function) with r' <= -kappa r, kappa in [" +
                                g17(res.rate_lo) + ", " + g17(res.rate_hi) + "]; " + std::to_string(res.outputs_certified) +
                                " of " + std::to_string(res.outputs_tried) + " enclosed points certified");
  return res;
}

}  // namespace certiformer::gaussian
