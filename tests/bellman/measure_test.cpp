// tests/bellman — the measure quantiser q_P (N_P < n atoms, δ_P) and the value-continuity
// constant K (docs/bellman.md "Measure quantiser", "Value continuity").
// Oracles: brute force over all assignments of tokens to atom slots (exact rationals for d = 1,
// doubles for d = 2) for δ_P; an independent plain-double model of the layer with an exhaustive
// search over a fine grid of the TRUE n-token cost (must stay above the certified lower bound of
// the merged run); all grid action sequences at 256 bits for |J(a; μ) − J(a; μ′)| ≤ K·W1.
// Mutations tried: δ_P dropped from D̄_0 (lower bound above the fine-grid minimum of the true
// system); K without the factor L^N (the 256-bit ratio check fails); grouping across labels.
#include "certiformer/bellman.hpp"
#include "toy_models.hpp"
#include "plain_toy.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using namespace certiformer;
using namespace certiformer::bellman;

namespace {

// d = 1, one head (B = V = 1, β = 1), FFN −0.45 x + 0.113, Γ = (1, −1)ᵀ, attention gate in
// [0, 1], N = 2, ε = 1/4 (the model of bellman_test.cpp), with n tokens.
template <class T>
LiftedModel<T> model(const std::vector<Rational>& x, const std::vector<int>& y, int atoms, int grid = 5,
                     const char* spacing = "0.05") {
  toy::ScalarToy o;
  o.tokens.clear();
  for (const Rational& q : x) o.tokens.push_back(exact_text(q));
  o.labels = y;
  o.grid = grid;
  o.spacing = spacing;
  o.atoms = atoms;
  return toy::scalar_model<T>(o);
}

using Plain = test::PlainToy;  // the same layer in plain double (tests/bellman/plain_toy.hpp)

// Brute force: the minimum over all assignments of the n tokens to the N_P·r slots (r slots per
// atom, labels must agree) of (1/n) Σ |k_i − k_slot| (exact integers, d = 1).
Rational brute_assignment_1d(const std::vector<long long>& k, const std::vector<int>& y,
                             const std::vector<long long>& atom, const std::vector<int>& atom_y, int r) {
  const std::size_t n = k.size();
  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  long long best = std::numeric_limits<long long>::max();
  do {
    long long c = 0;
    bool ok = true;
    for (std::size_t s = 0; s < n && ok; ++s) {
      const std::size_t g = s / static_cast<std::size_t>(r);
      const int i = perm[s];
      if (y[static_cast<std::size_t>(i)] != atom_y[g]) ok = false;
      else c += std::llabs(k[static_cast<std::size_t>(i)] - atom[g]);
    }
    if (ok) best = std::min(best, c);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return Rational(best) / Rational(static_cast<long>(n));
}

}  // namespace

TEST_CASE("bellman q_P: δ_P is the exact W1 on the grid for d = 1 (brute-force assignment, rationals)") {
  auto rng = test::rng(1701);
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<Rational> x;
    std::vector<int> y{0, 0, 0, 0, 1, 1, 1, 1};  // two classes of 4: N_P ∈ {2, 4} (r = 4, 2)
    // odd numerators over 1024: never on a cell boundary of the grid δ = 1/16 (those are 32·odd/1024)
    for (int i = 0; i < 8; ++i) x.push_back(Rational(2 * static_cast<long>(rng() % 1000) - 999, 1024));
    for (int atoms : {2, 4}) {
      const LiftedModel<Interval> m = model<Interval>(x, y, atoms, 5, "0.0625");  // δ = 1/16: no ties (x k/1024)
      const MeasureQuantisation<Interval> q = quantise_measure(m, atoms);
      REQUIRE(q.exact_w1);
      // exact data: grid coordinates of the tokens and of the atoms
      std::vector<long long> k;
      std::vector<Rational> snapped, atom_x;
      for (const Rational& v : x) {
        const Rational t = v * 16;
        const long long c = static_cast<long long>(std::floor(static_cast<double>(t) + 0.5));  // exact: t = odd/64
        k.push_back(c);
        snapped.push_back(Rational(c) / 16);
      }
      std::vector<long long> atom;
      for (const auto& c : q.coords) {
        atom.push_back(c[0]);
        atom_x.push_back(Rational(c[0]) / 16);
      }
      const Rational brute = brute_assignment_1d(k, y, atom, q.labels, 8 / atoms) / 16;
      const Rational w1 = w1_exact_1d(snapped, y, atom_x, q.labels);
      CHECK(w1 == brute);  // the library's exact 1-D transport equals the assignment brute force
      CHECK(inf(q.delta_P) <= static_cast<double>(brute));
      CHECK(static_cast<double>(brute) <= sup(q.delta_P));
      // every token goes to an atom of its own label
      for (std::size_t i = 0; i < x.size(); ++i) CHECK(q.labels[static_cast<std::size_t>(q.group_of[i])] == y[i]);
    }
  }
}

TEST_CASE("bellman q_P: d = 2, δ_P (explicit coupling) ≥ the optimal assignment") {
  auto rng = test::rng(1702);
  for (int trial = 0; trial < 6; ++trial) {
    LiftedModel<Interval> m = model<Interval>({0, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 1, 1}, 2);
    m.dim = 2;
    m.tokens = Mat<Interval>(6, 2);
    for (int i = 0; i < 6; ++i)
      for (int c = 0; c < 2; ++c)  // odd/1024: never on a cell boundary of δ = 1/20
        m.tokens(i, c) = enclose<Interval>(Rational(2 * static_cast<long>(rng() % 1000) - 999, 1024));
    m.readout = Mat<Interval>::Constant(2, 2, Interval(0));
    const MeasureQuantisation<Interval> q = quantise_measure(m, 2);  // one atom per label, r = 3
    double best = 1e300;
    std::vector<int> perm{0, 1, 2, 3, 4, 5};
    do {
      double c = 0;
      bool ok = true;
      for (int s = 0; s < 6 && ok; ++s) {
        const int g = s / 3, i = perm[static_cast<std::size_t>(s)];
        if (m.labels[static_cast<std::size_t>(i)] != q.labels[static_cast<std::size_t>(g)]) ok = false;
        double e2 = 0;
        for (int cc = 0; cc < 2; ++cc) {
          const double si = 0.05 * std::nearbyint(mid(m.tokens(i, cc)) / 0.05);
          const double e = si - 0.05 * static_cast<double>(q.coords[static_cast<std::size_t>(g)][static_cast<std::size_t>(cc)]);
          e2 += e * e;
        }
        c += std::sqrt(e2);
      }
      if (ok) best = std::min(best, c / 6);
    } while (std::next_permutation(perm.begin(), perm.end()));
    CHECK(best <= sup(q.delta_P) + 1e-12);
  }
}

TEST_CASE("bellman q_P: the merged run's lower bound stays below the true n-token fine-grid optimum") {
  // n = 6 tokens, N_P = 2 atoms (r = 3): the graph has the states of 2 atoms; E carries δ_P.
  const std::vector<Rational> x{Rational(313, 1000), Rational(-524, 1000), Rational(71, 1000), Rational(-207, 1000),
                                Rational(452, 1000), Rational(-611, 1000)};
  const std::vector<int> y{0, 1, 0, 1, 0, 1};
  std::vector<double> xd;
  for (const auto& v : x) xd.push_back(static_cast<double>(v));
  Plain p;
  p.y = y;
  double fine = std::numeric_limits<double>::infinity();
  for (int a = 0; a <= 60; ++a)
    for (int b = 0; b <= 60; ++b) fine = std::min(fine, p.cost(p.step(p.step(xd, a / 60.0), b / 60.0)));
  for (int atoms : {2, 6}) {
    const GapResult<Interval> r = certify_gap(model<Interval>(x, y, atoms));
    REQUIRE(r.verdict.is_proved());
    MESSAGE("N_P = ", atoms, ": states ", r.states, ", delta_P = ", sup(r.delta_P), ", V^_0 = ", mid(r.quantised_value),
            ", E = ", sup(r.constants.E), ", lower bound ", inf(r.lower_bound), ", fine-grid min ", fine, ", J(a*) ",
            mid(r.upper_bound));
    CHECK(inf(r.lower_bound) <= fine);
    CHECK(fine <= sup(r.upper_bound) + 1e-12);  // J(a*) ≥ V_0 and the fine grid ⊇ … (a* is admissible)
    if (atoms == 2) {
      CHECK(r.measure_atoms == 2);
      CHECK(inf(r.delta_P) > 0);
    }
  }
}

TEST_CASE("bellman q_P: δ_P is needed — a merge that raises the cost, one layer, small ε") {
  // label 0 at −0.70, −0.60, 0.90 (median −0.60, far on the wrong side), label 1 mirrored: the
  // merged measure costs ≈ 1.46 while the n tokens cost ≈ 1.08. Without δ_P in D̄_0 the "lower
  // bound" V̂_0(ν0) − E would exceed the true optimum (mutation tried: it does).
  const std::vector<Rational> x{Rational(-717, 1024), Rational(-615, 1024), Rational(921, 1024),
                                Rational(717, 1024),  Rational(615, 1024),  Rational(-921, 1024)};
  const std::vector<int> y{0, 0, 0, 1, 1, 1};
  LiftedModel<Interval> m = model<Interval>(x, y, 2);
  m.epsilon = from_text<Interval>("1/16");
  m.layers = 1;
  const GapResult<Interval> r = certify_gap(m);
  REQUIRE(r.verdict.is_proved());
  std::vector<double> xd;
  for (const auto& v : x) xd.push_back(static_cast<double>(v));
  Plain p;
  p.y = y;
  p.eps = 1.0 / 16;
  double fine = std::numeric_limits<double>::infinity();
  for (int a = 0; a <= 400; ++a) fine = std::min(fine, p.cost(p.step(xd, a / 400.0)));
  MESSAGE("merged V^_0 = ", mid(r.quantised_value), ", delta_P = ", sup(r.delta_P), ", E = ", sup(r.constants.E),
          ", lower bound ", inf(r.lower_bound), ", true fine-grid min ", fine);
  CHECK(inf(r.quantised_value) > fine + 0.2);  // the merge raises the value: E must carry δ_P
  CHECK(inf(r.lower_bound) <= fine);
}

TEST_CASE("bellman value continuity: |J(a; μ) − J(a; μ′)| ≤ K·W1(μ, μ′) for all grid sequences (256 bits)") {
  MpPrecisionScope scope(test::kOracleBits);
  auto rng = test::rng(1703);
  const std::vector<int> y{0, 1, 0};
  double worst_ratio = 0;
  for (int trial = 0; trial < 6; ++trial) {
    std::vector<Rational> x, xp;
    for (int i = 0; i < 3; ++i) {
      x.push_back(Rational(static_cast<long>(rng() % 1201) - 600, 1024));
      xp.push_back(x.back() + Rational(static_cast<long>(rng() % 41) - 20, 1024));
    }
    // K is certified for measures supported in the ball of the model's tokens: take the model
    // whose tokens are the union of both supports' extremes (here: μ with its ball enlarged to
    // contain μ′ — the pair (μ, μ′) both lie in ‖x‖ ≤ max(max|x|, max|x′|))
    std::vector<Rational> both = x;
    both.insert(both.end(), xp.begin(), xp.end());
    const LiftedModel<MpInterval> mb = model<MpInterval>(both, {0, 1, 0, 0, 1, 0}, 0);
    const GapConstants<MpInterval> c = upper_bound_quantisation_error(mb, MpReal(0));
    const MpInterval K = c.K_cont;
    const Rational w1 = w1_exact_1d(x, y, xp, y);
    const LiftedModel<MpInterval> m = model<MpInterval>(x, y, 0), mp = model<MpInterval>(xp, y, 0);
    MpInterval vmin, vpmin;
    bool first = true;
    for (int a = 0; a <= 8; ++a)
      for (int b = 0; b <= 8; ++b) {
        std::vector<Vec<MpInterval>> seq(2, Vec<MpInterval>(1));
        seq[0](0) = enclose<MpInterval>(Rational(a, 8));
        seq[1](0) = enclose<MpInterval>(Rational(b, 8));
        const MpInterval J = enclose_cost_under_actions(m, seq), Jp = enclose_cost_under_actions(mp, seq);
        const MpInterval diff = abs(J - Jp);
        CHECK(certainly_less_equal(diff, K * enclose<MpInterval>(w1)));
        if (w1 > 0) worst_ratio = std::max(worst_ratio, static_cast<double>(sup(diff)) / static_cast<double>(w1));
        if (first || sup(J) < sup(vmin)) vmin = J;
        if (first || sup(Jp) < sup(vpmin)) vpmin = Jp;
        first = false;
      }
    // the minima over a common action set inherit the bound
    CHECK(certainly_less_equal(abs(vmin - vpmin), K * enclose<MpInterval>(w1) + MpInterval(1e-60)));
    MESSAGE("K = ", static_cast<double>(sup(K)), ", W1 = ", static_cast<double>(w1));
  }
  MESSAGE("largest observed |ΔJ|/W1 = ", worst_ratio);
}
