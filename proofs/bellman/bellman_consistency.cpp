// Proof bellman_consistency (source: P1, arXiv 2603.09571 — stability and empirical
// consistency; docs/mathematics.md §4; docs/bellman.md "Measure quantiser", "Value continuity").
//
// Theorem instance. The model of bellman_gap_refines (d = 1, one head B = V = 1, β = 1/2,
// W = −0.45, b = 0.113, ε = 1/8, N = 2 layers, attention gate g ∈ [0, 1], 9 gate points, state
// grid δ = 1/100, Γ = (1, −1)ᵀ). Data: one fixed distribution, label 0 with x = 3/16 + (2k+1)/1024
// and label 1 with x = −9/16 + (2k+1)/1024, k uniform on {0, …, 255} (mt19937_64, seed 17; exact
// dyadic values); the samples are nested (μ_n uses the first n/2 draws of each label), n = 8, 16, 32, 64.
// For each n, with the measure quantiser q_P at N_P = 8 atoms (4 per label; n = 8 keeps its
// tokens):
//   (i)  0 ≤ J(a*_n; μ_n) − V_0(μ_n) ≤ gap_n (certified), the graph has at most as many states
//        as the graph of n = 8 times 2 (the state count does not grow with n),
//   (ii) |V_0(μ_n) − V_0(μ_64)| ≤ K · W1(μ_n, μ_64) with K = K_T L^N + K_c Σ_{k<N} L^k certified
//        (value continuity) and W1 the exact label-preserving transport distance (rationals);
//        the certified value brackets [lower_bound_n, J(a*_n)] are checked to be consistent with it.
// Printed table: n, δ_0, δ_P, states (with q_P, and without q_P for n ≤ 32), V̂_0, J(a*), gap,
// E, K, W1(μ_n, μ_64), a*, time.
// Hypotheses: none beyond the exact inputs and the inclusion principle.
// Decision: every run proved ∧ (i) ∧ the brackets consistent with (ii) ∧ gap_n ≤ 1/4 for every n.
// Exit 0 / 2 / 1. Expected run time: < 10 s.
#include "certiformer/bellman.hpp"
#include "../proof_verdict.hpp"
#include "toy_models.hpp"

#include <iomanip>
#include <iostream>
#include <random>

using namespace certiformer;
using namespace certiformer::bellman;

namespace {
using T = Interval;

LiftedModel<T> model_with(const std::vector<Rational>& x, const std::vector<int>& y, int atoms) {
  toy::ScalarToy o;
  o.beta = "1/2";
  o.epsilon = "1/8";
  o.tokens.clear();
  for (const Rational& q : x) o.tokens.push_back(exact_text(q));
  o.labels = y;
  o.grid = 9;
  o.spacing = "1/100";
  o.atoms = atoms;
  LiftedModel<T> m = toy::scalar_model<T>(o);
  m.max_states = 200000;
  return m;
}
}  // namespace

int main() {
  std::mt19937_64 rng(17);
  std::vector<Rational> x0, x1;  // the draws of label 0 and label 1
  for (int i = 0; i < 32; ++i) {
    // odd numerators over 1024: never on a cell boundary of δ = 1/100 (those are 128·odd/(25·1024))
    x0.push_back(Rational(3, 16) + Rational(2 * static_cast<long>(rng() % 256) + 1, 1024));
    x1.push_back(Rational(-9, 16) + Rational(2 * static_cast<long>(rng() % 256) + 1, 1024));
  }
  auto sample = [&](int n, std::vector<Rational>& x, std::vector<int>& y) {
    x.clear();
    y.clear();
    for (int i = 0; i < n / 2; ++i) {
      x.push_back(x0[static_cast<std::size_t>(i)]);
      y.push_back(0);
    }
    for (int i = 0; i < n / 2; ++i) {
      x.push_back(x1[static_cast<std::size_t>(i)]);
      y.push_back(1);
    }
  };
  std::vector<Rational> x64;
  std::vector<int> y64;
  sample(64, x64, y64);
  bool proved = true, refuted = false;
  std::size_t states8 = 0;
  struct Row {
    int n;
    GapResult<T> r;
    Rational w1;
  };
  std::vector<Row> rows;
  std::cout << "  n  delta_0     delta_P     states(q_P) states(n atoms)  V^_0 >=     J(a*) <=    gap <=      E <=        "
               "K <=        W1(mu_n,mu_64)  a*          time[s]\n";
  for (int n : {8, 16, 32, 64}) {
    std::vector<Rational> x;
    std::vector<int> y;
    sample(n, x, y);
    const GapResult<T> r = certify_gap(model_with(x, y, 8));
    std::string plain = "-";
    if (n <= 32) plain = std::to_string(certify_gap(model_with(x, y, 0)).states);
    const Rational w1 = w1_exact_1d(x, y, x64, y64);
    if (n == 8) states8 = r.states;
    proved = proved && r.verdict.is_proved();
    refuted = refuted || r.verdict.is_refuted();
    if (r.states > 2 * states8) proved = false;
    if (!(sup(r.gap) <= 0.25)) proved = false;
    std::cout << std::setw(3) << n << "  " << std::setw(10) << sup(r.constants.delta_0) << "  " << std::setw(10)
              << sup(r.delta_P) << "  " << std::setw(11) << r.states << " " << std::setw(15) << plain << "  "
              << std::setw(10) << inf(r.quantised_value) << "  " << std::setw(10) << sup(r.upper_bound) << "  "
              << std::setw(10) << sup(r.gap) << "  " << std::setw(10) << sup(r.constants.E) << "  " << std::setw(10)
              << sup(r.constants.K_cont) << "  " << std::setw(14) << static_cast<double>(w1) << "  ";
    for (const auto& a : r.actions) std::cout << mid(a(0)) << " ";
    std::cout << "  " << r.total_seconds << "\n";
    rows.push_back({n, r, w1});
  }
  // (ii) the value brackets are consistent with the continuity bound |V_0(μ_n) − V_0(μ_64)| ≤ K W1
  const GapResult<T>& r64 = rows.back().r;
  for (const Row& row : rows) {
    // K of the n = 64 run: certified on the ball of μ_64's tokens, which contains μ_n's (nested)
    const T K = T(sup(r64.constants.K_cont));
    const T kw = K * enclose<T>(row.w1);
    // V_0(μ_n) ∈ [lb_n, J_n], V_0(μ_64) ∈ [lb_64, J_64]: the brackets must come within K·W1
    const bool ok = certainly_less_equal(T(inf(row.r.lower_bound)), T(sup(r64.upper_bound)) + kw) &&
                    certainly_less_equal(T(inf(r64.lower_bound)), T(sup(row.r.upper_bound)) + kw);
    std::cout << "n = " << row.n << ": |V_0(mu_n) - V_0(mu_64)| <= K W1 <= " << sup(kw)
              << (ok ? " (value brackets consistent)" : " (INCONSISTENT brackets)") << "\n";
    if (!ok) refuted = true;
  }
  return proofs::proof_verdict(proved, refuted);
}
