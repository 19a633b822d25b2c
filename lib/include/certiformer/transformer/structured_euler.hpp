#pragma once
/// certiformer/transformer/structured_euler.hpp — the explicit Euler iterates of the attention
/// system (a residual Transformer of depth L, constant layer) for a set of initial tokens, as a
/// center and a block radius propagated by a one-sided Lipschitz-type bound of the Euler map:
/// no N × N matrix, no Jacobian directions, O(n²·d·H) per layer.
///
/// Encloses: boxes X^k ∋ x_k, k = 0..L, of the exact real iterates x_{k+1} = x_k + εF(x_k),
///   ε = T/L for the real horizon T = `horizon`, for every x0 ∈ X0. (F: the attention field of
///   `TransformerField<Interval>`, t-independent in the structured scope.)
/// Assumes: nothing beyond the inclusion property of the field evaluation and of the kernels
///   (mul, softmax_rows) used by StructuredAttention.
/// Checks: the field is in the structured scope (structured_flow_refusal; std::invalid_argument),
///   L ≥ 1, horizon > 0 finite, X0 of the field's dimension (std::invalid_argument).
/// Failure: verdict unknown with the reason and the iterates enclosed so far (steps_done < L):
///   non-finite data, the work budget (ode::current_budget(): time, steps, SIGINT/SIGTERM).
/// Method (norm ‖x‖_b = max_i ‖x_i‖₂ over the tokens):
///   1. Centers: Y_k = c_k + ε·F(c_k) in interval arithmetic at the binary64 point c_k (ε the
///      interval T/L), c_{k+1} = mid(Y_k), ρ_k ≥ ‖Y_k − c_{k+1}‖_b (upward). c_0 = mid(X0),
///      r_0 ≥ ‖X0 − c_0‖_b.
///   2. Radii: if every point of the set S_k = {x : ‖x − c_k‖_b ≤ r_k} and c_k lie in a box Z,
///      the mean-value theorem on the segment (in the convex Z) gives
///        ‖E(x) − E(c_k)‖_b ≤ sup_{z∈Z} ‖I + εDF(z)‖_b · ‖x − c_k‖_b ≤ (1 + εM)·r_k,
///      M = StructuredAttention::euler_growth_bound_coarse(Z, sup ε) (‖I + εJ‖_b ≤ 1 + ε·max_i
///      [μ₂(J_ii) + Σ_{j≠i}‖J_ij‖₂ + (ε/2)‖J_ii‖₂²], its doc block), and E(c_k) ∈ Y_k; so
///      x_{k+1} ∈ Y_k ± (1 + εM)r_k per coordinate (= X^{k+1}) and S_{k+1} with
///      r_{k+1} = ρ_k + sup((1 + εM)·r_k) contains every x_{k+1}.
///   3. Chunks: M is evaluated once for a chunk of `layers_per_bound` consecutive layers, over
///      Z = hull of their centers ± R per coordinate, and used for layer k of the chunk only
///      after checking r_k ≤ R (then S_k ⊆ Z); if a radius outgrows R the chunk is redone with
///      a larger R (up to 6 times), then with half the layers (down to one). The centers of
///      step 1 do not depend on the radii, so they are computed first.
///   With point tokens r_k only carries the rounding of step 1, amplified by Π(1 + εM); with
///   boxes it carries the box. Compared with the box-wrapped iterates (ode::enclose_euler_iterates
///   with Wrapping::box, growth 1 + ε‖|J|‖∞ per layer in the entrywise-absolute Jacobian) this
///   replaces ‖|J|‖∞ — which grows with n·d — by the block one-sided bound M.

#include "certiformer/core.hpp"
#include "certiformer/ode/budget.hpp"
#include "certiformer/ode/euler_map.hpp"
#include "certiformer/ode/field.hpp"
#include "certiformer/transformer/field.hpp"
#include "certiformer/transformer/structured_flow.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::transformer {

struct StructuredEulerOptions {
  /// layers per evaluation of the growth bound M (step 3); 0 = auto: max(1, L/64) (a time window
  /// of T/64: wider hulls of centers inflate M); a chunk whose bound does not close is halved
  std::size_t layers_per_bound = 0;
};

/// Encloses: iterates[k] ∋ x_k, k = 0..steps_done, of x_{k+1} = x_k + εF(x_k), ε = horizon/L,
///   for every x0 ∈ X0 (steps_done = L when proved).
/// Assumes: nothing beyond the inclusion property of the field evaluation and the kernels.
/// Checks: structured scope, L ≥ 1, horizon > 0 finite, X0 dimension (std::invalid_argument).
/// Failure: verdict unknown + reason with the iterates enclosed so far (non-finite data, a growth
///   bound that does not close on a single layer, the work budget).
/// Method: centers and block radii with the coarse Euler growth bound per chunk of layers
///   (file comment, steps 1–3).
inline ode::MapResult<Interval> enclose_structured_euler_iterates(const TransformerField<Interval>& f,
                                                                  const Vec<Interval>& X0, double horizon,
                                                                  std::size_t L,
                                                                  const StructuredEulerOptions& opt = {}) {
  const auto clock0 = std::chrono::steady_clock::now();
  if (const auto why = structured_flow_refusal(f))
    throw std::invalid_argument("structured Euler iterates: unsupported configuration (" + *why + ")");
  if (L < 1) throw std::invalid_argument("structured Euler iterates: depth must be ≥ 1");
  if (!(horizon > 0) || !std::isfinite(horizon))
    throw std::invalid_argument("structured Euler iterates: horizon must be > 0 and finite");
  const Eigen::Index N = f.dimension(), n = f.tokens(), d = f.token_dimension();
  if (X0.size() != N) throw std::invalid_argument("structured Euler iterates: X0 has the wrong dimension");
  const StructuredAttention S(f);
  const Interval eps = Interval(horizon) / Interval(static_cast<long long>(L));
  ode::MapResult<Interval> res;
  auto finish = [&](Verdict v) {
    res.verdict = std::move(v);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
    return res;
  };
  res.iterates.reserve(L + 1);
  res.iterates.push_back(X0);
  // Step 1: centers c_k, the enclosures Y_k and ρ_k.
  std::vector<Vec<double>> c(L + 1);
  std::vector<Vec<Interval>> Y(L);
  std::vector<double> rho(L);
  c[0].resize(N);
  for (Eigen::Index i = 0; i < N; ++i) c[0](i) = mid(X0(i));
  const double r0 = detail::upper_block_norm(X0, c[0], d);
  if (!std::isfinite(r0)) return finish(Verdict::unknown("unbounded initial set"));
  try {
    for (std::size_t k = 0; k < L; ++k) {
      if (k % 64 == 0)
        if (ode::WorkBudget* budget = ode::current_budget(); budget && budget->exhausted())
          return finish(Verdict::unknown(budget->reason() + " (structured Euler iterates: centers of layer " +
                                         std::to_string(k) + " of " + std::to_string(L) + ")"));
      Vec<Interval> ck(N);
      for (Eigen::Index i = 0; i < N; ++i) ck(i) = Interval(c[k](i));
      const Vec<Interval> F = ode::eval_field<Interval>(f, Interval(0), ck);
      Vec<Interval> y(N);
      Vec<double> c1(N);
      for (Eigen::Index i = 0; i < N; ++i) {
        y(i) = ck(i) + eps * F(i);
        if (!is_bounded(y(i))) return finish(Verdict::unknown("unbounded field value at layer " + std::to_string(k)));
        c1(i) = mid(y(i));
      }
      rho[k] = detail::upper_block_norm(y, c1, d);
      Y[k] = std::move(y);
      c[k + 1] = std::move(c1);
    }
  } catch (const std::domain_error& e) {
    return finish(Verdict::unknown(std::string("evaluation failed: ") + e.what()));
  } catch (const std::runtime_error& e) {
    return finish(Verdict::unknown(std::string("evaluation failed: ") + e.what()));
  }
  // Steps 2 and 3: radii, chunk by chunk.
  const std::size_t m_default = opt.layers_per_bound > 0 ? opt.layers_per_bound : std::max<std::size_t>(1, L / 64);
  const double eps_sup = sup(eps);
  double r = r0, M_prev = 0;
  std::size_t m = m_default;  // layers of the current chunk
  for (std::size_t k0 = 0; k0 < L;) {
    if (ode::WorkBudget* budget = ode::current_budget(); budget && budget->exhausted())
      return finish(Verdict::unknown(budget->reason() + " (structured Euler iterates: layer " + std::to_string(k0) +
                                     " of " + std::to_string(L) + ")"));
    const std::size_t k1 = std::min(L, k0 + m);
    // hull of the centers c_k0 … c_{k1−1} (the sets S_k of the chunk's layers)
    Vec<double> lo = c[k0], hi = c[k0];
    for (std::size_t k = k0 + 1; k < k1; ++k) {
      lo = lo.cwiseMin(c[k]);
      hi = hi.cwiseMax(c[k]);
    }
    double sum_rho = 0;
    for (std::size_t k = k0; k < k1; ++k) sum_rho += rho[k];
    // first guess of R: twice the radius the chunk would reach with the previous growth bound
    // (the growth factor capped at e^50: a huge R only makes Z, and M, useless)
    double R = 2 * (r + sum_rho) * std::exp(std::min(50.0, static_cast<double>(k1 - k0) * eps_sup * std::max(0.0, M_prev))) + 1e-300;
    bool done = false;
    std::vector<Vec<Interval>> out;
    double r_end = r, M = 0;
    for (int attempt = 0; attempt < 6 && !done; ++attempt, R *= 16) {
      Mat<Interval> Z(n, d);
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index q = 0; q < d; ++q)
          Z(i, q) = Interval(lo(i * d + q), hi(i * d + q)) + Interval(-R, R);
      try {
        M = S.euler_growth_bound_coarse(Z, eps_sup);
      } catch (const std::domain_error&) {  // e.g. unbounded scores over a huge Z: does not close
        break;
      } catch (const std::runtime_error&) {
        break;
      }
      if (!std::isfinite(M)) break;
      const Interval growth = Interval(1) + eps * Interval(M);  // ∋ 1 + εM for every ε ∈ eps
      out.clear();
      double rk = r;
      bool fits = true;
      for (std::size_t k = k0; k < k1; ++k) {
        if (!(rk <= R)) { fits = false; break; }  // S_k ⊄ Z: redo the chunk with a larger R
        const double g = sup(growth * Interval(rk));
        Vec<Interval> x(N);
        for (Eigen::Index i = 0; i < N; ++i) x(i) = Y[k](i) + Interval(-g, g);
        out.push_back(std::move(x));
        rk = sup(Interval(rho[k]) + Interval(g));
        if (!std::isfinite(rk)) { fits = false; break; }
      }
      if (fits) {
        done = true;
        r_end = rk;
      }
    }
    if (!done && k1 - k0 > 1) {  // halve the chunk (narrower hull of centers) and redo it
      m = (k1 - k0) / 2;
      continue;
    }
    if (!done)
      return finish(Verdict::unknown("structured Euler iterates: the growth bound does not close at layer " +
                                     std::to_string(k0) + " (block radius " + std::to_string(r) +
                                     ", last growth bound M = " + std::to_string(M_prev) +
                                     "; the set grows too fast for this method — use box or QR wrapping)"));
    for (auto& x : out) res.iterates.push_back(std::move(x));
    res.steps_done = k1;
    r = r_end;
    M_prev = M;
    k0 = k1;
    m = m_default;
  }
  return finish(Verdict::proved("structured Euler iterates: " + std::to_string(L) + " layers, final block radius " +
                                std::to_string(r)));
}

}  // namespace certiformer::transformer
