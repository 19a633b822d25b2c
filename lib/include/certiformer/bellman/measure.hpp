#pragma once
/// certiformer/bellman/measure.hpp — the measure quantiser q_P of P1's triple quantisation
/// (docs/bellman.md "Measure quantiser"): N_P < n atoms of weight 1/N_P, with its W1 error.
///
/// Tokens z_i = (x_i, y_i), i = 1..n, weight 1/n. With r = n/N_P (an integer, and every label
/// class of a size divisible by r), q_P snaps every token to its grid cell (q_Z, integer
/// coordinates k_i), sorts each label class lexicographically by k_i, cuts it into consecutive
/// groups of r tokens, and replaces each group g by one atom (ẑ_g, y) of weight r/n = 1/N_P at
/// the coordinatewise lower median of the group's grid coordinates (a grid point). The coupling
/// "token i ↔ the atom of its group g(i)" moves mass only within a label class, and its cost
///     δ_P = (1/n) Σ_i ‖q_Z(x_i) − ẑ_{g(i)}‖
/// is computed exactly on the grid (integer coordinates: |k_i − k_g|·δ for d = 1; the square root
/// of an integer times δ, enclosed, for d ≥ 2). It bounds the label-preserving W1 distance
/// between q_Z#μ0 and the quantised measure ν0 from above (an explicit coupling); for d = 1 it
/// EQUALS that W1 distance (the groups are consecutive in sorted order and the medians are
/// sorted, so the coupling is monotone, which is optimal on the line).

#include "certiformer/bellman/graph.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::bellman {

template <class T>
struct MeasureQuantisation {
  int atoms = 0;                    ///< N_P
  Mat<T> positions;                 ///< N_P × d, the atoms δ·k_g (enclosures of grid points)
  std::vector<int> labels;          ///< label of each atom
  std::vector<std::vector<long long>> coords;  ///< grid coordinates k_g of each atom
  std::vector<int> group_of;        ///< token i → its atom g(i)
  T delta_P;                        ///< (1/n) Σ ‖q_Z(x_i) − ẑ_{g(i)}‖ (enclosure)
  bool exact_w1 = false;            ///< d = 1: δ_P equals the label-preserving W1(q_Z#μ0, ν0)
};

/// The measure quantiser q_P (file comment) applied to the model's initial tokens.
/// Encloses: delta_P ∋ the cost of the coupling token i ↔ atom g(i) between q_Z#μ0 and ν0
///   (≥ W1(q_Z#μ0, ν0), = W1 for d = 1); positions(g) ∋ δ·k_g.
/// Assumes: the model is valid. Checks: 1 ≤ atoms ≤ n, n divisible by atoms, every label class
///   of a size divisible by r = n/atoms (std::invalid_argument); every initial token in the
///   interior of one grid cell (std::domain_error, as enclose_quantised_graph).
/// Failure: the exceptions above; nothing is returned.
/// Method: snap, sort per label class, consecutive groups of r, lower coordinatewise median.
template <class T> MeasureQuantisation<T> quantise_measure(const LiftedModel<T>& m, int atoms) {
  const Eigen::Index n = m.n(), d = m.dim;
  if (atoms < 1 || atoms > n || n % atoms != 0)
    throw std::invalid_argument("bellman: measure_atoms N_P must divide the number of tokens n = " + std::to_string(n));
  const Eigen::Index r = n / atoms;
  const Vec<T> X0 = transformer::flatten_tokens(m.tokens);
  std::vector<std::vector<long long>> k(static_cast<std::size_t>(n), std::vector<long long>(static_cast<std::size_t>(d)));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < d; ++c) {
      const auto [lo, hi] = detail::candidate_range<T>(X0(i * d + c), m.state_spacing);
      if (lo != hi)
        throw std::domain_error("bellman: an initial token lies on a cell boundary of the state grid (q(μ0) is not "
                                "unique); shift the tokens or change state_grid");
      k[static_cast<std::size_t>(i)][static_cast<std::size_t>(c)] = lo;
    }
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const int ya = m.labels[static_cast<std::size_t>(a)], yb = m.labels[static_cast<std::size_t>(b)];
    if (ya != yb) return ya < yb;
    return k[static_cast<std::size_t>(a)] < k[static_cast<std::size_t>(b)];
  });
  MeasureQuantisation<T> q;
  q.atoms = atoms;
  q.group_of.assign(static_cast<std::size_t>(n), -1);
  q.positions.resize(atoms, d);
  T cost(0);
  for (Eigen::Index g = 0; g < atoms; ++g) {
    const int y = m.labels[static_cast<std::size_t>(order[static_cast<std::size_t>(g * r)])];
    std::vector<long long> med(static_cast<std::size_t>(d));
    for (Eigen::Index c = 0; c < d; ++c) {
      std::vector<long long> v;
      for (Eigen::Index j = 0; j < r; ++j) {
        const int i = order[static_cast<std::size_t>(g * r + j)];
        if (m.labels[static_cast<std::size_t>(i)] != y)
          throw std::invalid_argument("bellman: measure_atoms N_P needs every label class of a size divisible by n/N_P = " +
                                      std::to_string(r));
        v.push_back(k[static_cast<std::size_t>(i)][static_cast<std::size_t>(c)]);
      }
      std::sort(v.begin(), v.end());
      med[static_cast<std::size_t>(c)] = v[static_cast<std::size_t>((r - 1) / 2)];
      q.positions(g, c) = m.state_spacing * T(static_cast<double>(med[static_cast<std::size_t>(c)]));
    }
    for (Eigen::Index j = 0; j < r; ++j) {
      const int i = order[static_cast<std::size_t>(g * r + j)];
      q.group_of[static_cast<std::size_t>(i)] = static_cast<int>(g);
      long long s2 = 0;  // exact integer ‖k_i − k_g‖² (|k| < 2^29, d ≤ 1024: no overflow in 64 bits)
      for (Eigen::Index c = 0; c < d; ++c) {
        const long long e = k[static_cast<std::size_t>(i)][static_cast<std::size_t>(c)] - med[static_cast<std::size_t>(c)];
        s2 += e * e;
      }
      cost += sqrt(enclose<T>(Rational(s2)));  // exact integer, enclosed (it may exceed 2^53)
    }
    q.labels.push_back(y);
    q.coords.push_back(med);
  }
  q.delta_P = m.state_spacing * cost / T(static_cast<double>(n));
  q.exact_w1 = d == 1;
  return q;
}

}  // namespace certiformer::bellman

namespace certiformer::bellman {

/// Exact label-preserving W1 distance between two empirical measures on the line,
/// μ = (1/n) Σ δ_{(x_i, y_i)} and μ′ = (1/n′) Σ δ_{(x′_j, y′_j)} with cost |x − x′| between atoms
/// of one label (∞ across labels): W1 = Σ_y ∫ |F_y(t) − G_y(t)| dt, F_y, G_y the sub-CDFs of
/// label y (mass ≤ 1).
/// Encloses: nothing — returns the exact rational number.
/// Assumes: nothing. Checks: one label per point, both nonempty, equal mass per label (else the
///   distance is infinite: std::invalid_argument).
/// Failure: std::invalid_argument. Method: the sorted union of the points, exact rational
///   integration of |F_y − G_y| between consecutive points (the optimal 1-D transport cost).
inline Rational w1_exact_1d(const std::vector<Rational>& x, const std::vector<int>& y, const std::vector<Rational>& xp,
                            const std::vector<int>& yp) {
  if (x.size() != y.size() || xp.size() != yp.size() || x.empty() || xp.empty())
    throw std::invalid_argument("w1_exact_1d: one label per point, both measures nonempty");
  const Rational wa(1, static_cast<long>(x.size())), wb(1, static_cast<long>(xp.size()));
  int ymax = 0;
  for (int v : y) ymax = std::max(ymax, v);
  for (int v : yp) ymax = std::max(ymax, v);
  Rational total(0);
  for (int lab = 0; lab <= ymax; ++lab) {
    std::vector<std::pair<Rational, Rational>> ev;  // (position, signed mass: +μ, −μ′)
    Rational ma(0), mb(0);
    for (std::size_t i = 0; i < x.size(); ++i)
      if (y[i] == lab) { ev.emplace_back(x[i], wa); ma += wa; }
    for (std::size_t j = 0; j < xp.size(); ++j)
      if (yp[j] == lab) { ev.emplace_back(xp[j], -wb); mb += wb; }
    if (ma != mb) throw std::invalid_argument("w1_exact_1d: the label proportions differ (W1 = ∞)");
    std::sort(ev.begin(), ev.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Rational cdf(0);
    for (std::size_t e = 0; e < ev.size(); ++e) {
      cdf += ev[e].second;
      if (e + 1 < ev.size()) total += abs(cdf) * (ev[e + 1].first - ev[e].first);
    }
  }
  return total;
}

}  // namespace certiformer::bellman
