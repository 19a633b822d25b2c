#pragma once
/// certiformer/bellman/graph.hpp — the reachable quantised layer graph and the interval Bellman
/// operator (docs/mathematics.md §4).
///
/// Quantised state: n atoms (x̂_i, y_i) with x̂_i ∈ δ·Z^d, stored as integer grid coordinates plus
/// the label; the key of a state is its canonical (lexicographically sorted) token list, so the
/// measure (a multiset) is deduplicated. The exact quantised MDP (the object V̂ refers to) is
///     ŝ_{k+1} = q_Z(F(ŝ_k; a)),   q_Z = coordinatewise nearest point of δ·Z (any tie-break),
/// with F evaluated in exact real arithmetic. We compute F in interval arithmetic; every
/// coordinate enclosure [u] gives the candidate indices {k : |k − t| ≤ 1/2 for some t ∈ [u]/δ},
/// and the candidate successors are all combinations. The exact successor is always among them.
///
/// Interval Bellman operator (V_N = c_N):
///     V_k(s) ⊆ [ min_a inf(c(s,a) + [min_{s'∈C(s,a)} inf V_{k+1}(s'), max_{s'∈C(s,a)} sup V_{k+1}(s')]),
///                min_a sup(  same  ) ]
/// which contains the exact quantised value V̂_k(s) for every tie-break rule of q_Z.

#include "certiformer/bellman/model.hpp"
#include "certiformer/core/rounding.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace certiformer::bellman {

/// Thrown when the quantised graph would exceed a configured limit (states, candidate fan-out,
/// grid coordinate range). It is a refusal: nothing is claimed; the message says how to coarsen.
class GraphTooLarge : public std::domain_error {
 public:
  using std::domain_error::domain_error;
};

namespace detail {

struct KeyHash {
  std::size_t operator()(const std::vector<std::int32_t>& k) const noexcept {
    std::uint64_t h = 1469598103934665603ull;
    for (std::int32_t v : k) {
      h ^= static_cast<std::uint32_t>(v);
      h *= 1099511628211ull;
    }
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

inline constexpr long long kMaxCoordinate = 1 << 29;

template <class R> long long floor_ll(const R& v) {
  if constexpr (std::is_same_v<R, double>) {
    if (!(std::fabs(v) < static_cast<double>(kMaxCoordinate)))
      throw GraphTooLarge("bellman: a grid coordinate exceeds 2^29 (tokens left the range of the state grid); "
                          "coarsen the state grid or shorten the horizon");
    return static_cast<long long>(std::floor(v));
  } else {
    if (!(abs(v) < R(static_cast<double>(kMaxCoordinate))))
      throw GraphTooLarge("bellman: a grid coordinate exceeds 2^29 (tokens left the range of the state grid); "
                          "coarsen the state grid or shorten the horizon");
    const R f = floor(v);
    return f.template convert_to<long long>();
  }
}
template <class R> long long ceil_ll(const R& v) { return -floor_ll<R>(-v); }

/// Candidate grid indices of q_Z for a coordinate enclosure u (grid spacing delta).
template <class T> std::pair<long long, long long> candidate_range(const T& u, const T& delta) {
  const T t = u / delta;
  const T half = T(1) / T(2);
  return {ceil_ll<real_t<T>>(inf(t - half)), floor_ll<real_t<T>>(sup(t + half))};
}

}  // namespace detail

/// One layer k of the graph: states (keys), their enclosed state cost, and for layers k < N the
/// candidate successors of every (state, action) pair.
template <class T>
struct GraphLayer {
  std::vector<std::int32_t> keys;       ///< count × n(d+1): per token (label, coords…), sorted
  std::size_t count = 0;
  std::vector<T> risk;                  ///< (1/n) Σ ℓ(x̂_i, y_i) per state (enclosure)
  std::vector<std::uint32_t> edge_begin;  ///< count·|A_δ| + 1 offsets into cand (k < N)
  std::vector<std::uint32_t> cand;        ///< candidate successor indices in layer k+1
};

template <class T>
struct QuantisedGraph {
  Eigen::Index n = 0, d = 0;
  int N = 0;
  std::vector<Vec<T>> actions;     ///< A_δ
  std::vector<T> action_cost;      ///< λ‖a‖² per action (enclosure)
  std::vector<GraphLayer<T>> layer;  ///< N + 1 layers
  std::size_t states = 0, edges = 0;  ///< total states, total (state, action, candidate) triples
  std::size_t set_valued = 0;          ///< (state, action) pairs with more than one candidate
  std::size_t max_candidates = 1;
  real_t<T> max_token_norm = real_t<T>(0);  ///< sup ‖x̂_i‖ over all states (upper bound)
  double build_seconds = 0;
  /// Approximate memory of the graph (bytes): keys, costs, edges, and the hash tables used.
  std::size_t memory_bytes = 0;

  /// Decodes state s of layer k into flat tokens (enclosures of δ·coords) and labels.
  Vec<T> tokens_of(int k, std::size_t s, const T& delta) const {
    const auto stride = static_cast<std::size_t>(d + 1);
    const std::int32_t* key = &layer[static_cast<std::size_t>(k)].keys[s * static_cast<std::size_t>(n) * stride];
    Vec<T> X(n * d);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index c = 0; c < d; ++c)
        X(i * d + c) = delta * T(static_cast<double>(key[static_cast<std::size_t>(i) * stride + 1 + static_cast<std::size_t>(c)]));
    return X;
  }
  std::vector<int> labels_of(int k, std::size_t s) const {
    const auto stride = static_cast<std::size_t>(d + 1);
    const std::int32_t* key = &layer[static_cast<std::size_t>(k)].keys[s * static_cast<std::size_t>(n) * stride];
    std::vector<int> y(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) y[static_cast<std::size_t>(i)] = key[static_cast<std::size_t>(i) * stride];
    return y;
  }
};

namespace detail {

/// Canonical key of tokens given as (label, coords) rows.
inline std::vector<std::int32_t> canonical_key(std::vector<std::vector<std::int32_t>>& toks) {
  std::sort(toks.begin(), toks.end());
  std::vector<std::int32_t> k;
  for (const auto& t : toks) k.insert(k.end(), t.begin(), t.end());
  return k;
}

/// All candidate keys of the snapped configuration Y (flat n·d enclosure) with labels y.
/// Failure: GraphTooLarge when the number of combinations exceeds max_fanout.
template <class T>
std::vector<std::vector<std::int32_t>> candidate_keys(const Vec<T>& Y, const std::vector<int>& y, Eigen::Index n,
                                                      Eigen::Index d, const T& delta, std::size_t max_fanout) {
  std::vector<std::pair<long long, long long>> range(static_cast<std::size_t>(n * d));
  std::size_t fan = 1;
  for (Eigen::Index i = 0; i < n * d; ++i) {
    range[static_cast<std::size_t>(i)] = candidate_range<T>(Y(i), delta);
    const auto w = static_cast<std::size_t>(range[static_cast<std::size_t>(i)].second - range[static_cast<std::size_t>(i)].first + 1);
    fan *= w;
    if (fan > max_fanout)
      throw GraphTooLarge("bellman: a transition enclosure straddles more than max_fanout = " + std::to_string(max_fanout) +
                          " quantiser cells (set-valued successor too large); use a coarser state grid, a higher "
                          "precision, or raise max_fanout");
  }
  std::vector<std::vector<std::int32_t>> out;
  out.reserve(fan);
  std::vector<long long> cur(range.size());
  for (std::size_t i = 0; i < range.size(); ++i) cur[i] = range[i].first;
  for (std::size_t f = 0; f < fan; ++f) {
    std::vector<std::vector<std::int32_t>> toks(static_cast<std::size_t>(n), std::vector<std::int32_t>(static_cast<std::size_t>(d + 1)));
    for (Eigen::Index i = 0; i < n; ++i) {
      toks[static_cast<std::size_t>(i)][0] = y[static_cast<std::size_t>(i)];
      for (Eigen::Index c = 0; c < d; ++c)
        toks[static_cast<std::size_t>(i)][static_cast<std::size_t>(c + 1)] = static_cast<std::int32_t>(cur[static_cast<std::size_t>(i * d + c)]);
    }
    out.push_back(canonical_key(toks));
    for (std::size_t i = 0; i < range.size(); ++i) {  // next combination
      if (cur[i] < range[i].second) { ++cur[i]; break; }
      cur[i] = range[i].first;
    }
  }
  return out;
}

}  // namespace detail

/// Builds the reachable quantised layer graph from q(μ0) (forward, deduplicated).
/// Encloses: every transition F(ŝ; a) in interval arithmetic; C(s, a) contains the exact
///   quantised successor of s under a; risk[s] contains the exact cost of state s.
/// Assumes: the model is valid (LiftedModel::validate()).
/// Checks: the initial snap q_Z(x⁰) is unique (no initial token on a cell boundary).
/// Failure: GraphTooLarge (states > max_states, fan-out > max_fanout, coordinates beyond 2^29),
///   std::domain_error when the initial snap is not unique; nothing is returned.
/// Method: forward expansion layer by layer from q(μ0): for each state and grid action the
///   interval image F of the gated layer; each coordinate enclosure gives the grid indices it may
///   round to, and all combinations are the candidate successors C(s, a) (at most max_fanout);
///   states are deduplicated by their sorted token key (docs/bellman.md).
/// `progress(done_states, layer)` is called now and then (may be empty).
template <class T>
QuantisedGraph<T> enclose_quantised_graph(const LiftedModel<T>& m,
                                        const std::function<void(std::size_t, int)>& progress = {}) {
  const auto t_start = std::chrono::steady_clock::now();
  const Eigen::Index n = m.n(), d = m.dim;
  QuantisedGraph<T> g;
  g.n = n;
  g.d = d;
  g.N = m.layers;
  g.actions = action_grid_points(m);
  for (const auto& a : g.actions) g.action_cost.push_back(enclose_action_cost(m, a));
  const std::size_t A = g.actions.size();
  const std::size_t key_len = static_cast<std::size_t>(n * (d + 1));
  const GatedLayer<T> gl(m);
  std::vector<T> ga(A), gf(A);
  for (std::size_t j = 0; j < A; ++j) {
    ga[j] = gl.gate_att(g.actions[j]);
    gf[j] = gl.gate_ffn(g.actions[j]);
  }
  g.layer.resize(static_cast<std::size_t>(m.layers) + 1);
  // bytes per state: key + hash node (~ key vector + 48) + risk + edge offsets
  const std::size_t bytes_per_state = 2 * key_len * sizeof(std::int32_t) + 64 + sizeof(T) + A * sizeof(std::uint32_t);
  {
    const Vec<T> X0 = transformer::flatten_tokens(m.tokens);
    std::vector<std::vector<std::int32_t>> keys;
    try {
      keys = detail::candidate_keys<T>(X0, m.labels, n, d, m.state_spacing, 1);
    } catch (const GraphTooLarge&) {
      throw std::domain_error("bellman: an initial token lies on (or its enclosure touches) a cell boundary of the "
                              "state grid, so q(μ0) is not unique; shift the tokens or change state_grid");
    }
    g.layer[0].keys = std::move(keys[0]);
    g.layer[0].count = 1;
  }
  std::size_t total = 1;
  std::size_t hash_bytes = 0;
  for (int k = 0; k < m.layers; ++k) {
    GraphLayer<T>& cur = g.layer[static_cast<std::size_t>(k)];
    GraphLayer<T>& nxt = g.layer[static_cast<std::size_t>(k) + 1];
    std::unordered_map<std::vector<std::int32_t>, std::uint32_t, detail::KeyHash> index;
    cur.edge_begin.assign(cur.count * A + 1, 0);
    cur.cand.reserve(cur.count * A);
    Vec<T> Aat, Ff;
    std::vector<std::uint32_t> tmp;
    for (std::size_t s = 0; s < cur.count; ++s) {
      const Vec<T> X = g.tokens_of(k, s, m.state_spacing);
      const std::vector<int> y = g.labels_of(k, s);
      gl.evaluate(X, Aat, Ff);
      const std::vector<Vec<T>> Vw = gl.weight_terms(X);  // weight controls' terms (empty without)
      for (std::size_t j = 0; j < A; ++j) {
        const Vec<T> Y = gl.has_weights() ? gl.apply(X, Aat, Ff, Vw, m.epsilon, g.actions[j])
                                          : GatedLayer<T>::step(X, Aat, Ff, m.epsilon, ga[j], gf[j]);
        auto keys = detail::candidate_keys<T>(Y, y, n, d, m.state_spacing, m.max_fanout);
        tmp.clear();
        for (auto& key : keys) {
          auto it = index.find(key);
          std::uint32_t id;
          if (it == index.end()) {
            if (total + 1 > m.max_states)
              throw GraphTooLarge("bellman: the reachable quantised graph exceeds max_states = " + std::to_string(m.max_states) +
                                  " (at layer " + std::to_string(k + 1) + ", about " +
                                  std::to_string(total * bytes_per_state / 1024 + 1) +
                                  " KiB so far, ~" + std::to_string(bytes_per_state) + " bytes per state); coarsen the state grid (larger state_grid), use fewer action grid "
                                  "points or fewer layers, or raise max_states if memory allows");
            id = static_cast<std::uint32_t>(nxt.count++);
            nxt.keys.insert(nxt.keys.end(), key.begin(), key.end());
            index.emplace(std::move(key), id);
            ++total;
          } else {
            id = it->second;
          }
          tmp.push_back(id);
        }
        std::sort(tmp.begin(), tmp.end());
        tmp.erase(std::unique(tmp.begin(), tmp.end()), tmp.end());
        if (tmp.size() > 1) ++g.set_valued;
        g.max_candidates = std::max(g.max_candidates, tmp.size());
        if (cur.cand.size() + tmp.size() > std::numeric_limits<std::uint32_t>::max())
          throw GraphTooLarge("bellman: more than 2^32 transitions in one layer; use fewer action grid points, a "
                              "coarser state grid or fewer layers");
        cur.cand.insert(cur.cand.end(), tmp.begin(), tmp.end());
        cur.edge_begin[s * A + j + 1] = static_cast<std::uint32_t>(cur.cand.size());
      }
      if (progress && (s & 255) == 0) progress(total, k);
    }
    hash_bytes = std::max(hash_bytes, index.size() * (key_len * sizeof(std::int32_t) + 64) + index.bucket_count() * sizeof(void*));
  }
  // state costs and the norm bound of all quantised tokens
  for (int k = 0; k <= m.layers; ++k) {
    GraphLayer<T>& L = g.layer[static_cast<std::size_t>(k)];
    const bool need_risk = k == m.layers || possibly_greater(m.risk_weight, T(0));
    L.risk.resize(L.count, T(0));
    for (std::size_t s = 0; s < L.count; ++s) {
      const Vec<T> X = g.tokens_of(k, s, m.state_spacing);
      if (need_risk) {
        transformer::Readout<T> ro{m.readout, g.labels_of(k, s)};
        L.risk[s] = transformer::enclose_risk<T, T>(ro, X);
      }
      for (Eigen::Index i = 0; i < n; ++i) {
        const real_t<T> r = linalg::upper_bound_norm_2(Vec<T>(X.segment(i * d, d))).value();
        if (g.max_token_norm < r) g.max_token_norm = r;
      }
    }
    g.edges += L.cand.size();
  }
  g.states = total;
  g.memory_bytes = hash_bytes;
  for (const auto& L : g.layer)
    g.memory_bytes += L.keys.size() * sizeof(std::int32_t) + L.risk.size() * sizeof(T) +
                      L.edge_begin.size() * sizeof(std::uint32_t) + L.cand.size() * sizeof(std::uint32_t);
  g.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return g;
}

/// Values of the interval Bellman pass.
template <class T>
struct BellmanValues {
  std::vector<std::vector<T>> V;  ///< V[k][s], enclosures of the quantised value V̂_k(s)
  std::vector<int> policy;        ///< a* (indices into A_δ) along the followed path from q(μ0)
  std::vector<std::size_t> path;  ///< states of the followed path (layer k → index)
  double seconds = 0;
};

namespace detail {
/// Kernel (core/rounding.hpp convention; lib/src/bellman/graph.cpp), upward: one layer of the
/// interval Bellman pass on endpoint arrays. nv = interleaved (lo, hi) of layer k+1; for each of
/// the `count` states s and each of the A actions j, the candidates cand[edge_begin[s·A + j] ..
/// edge_begin[s·A + j + 1]) give [lo, hi] = [min lo, max hi]; then
///   lo_out[s] = min_j RD(RD(rcl[s] + acl[j]) + lo)   (computed as −RU(RU(−rcl − acl) − lo))
///   hi_out[s] = min_j RU(RU(rch[s] + ach[j]) + hi).
/// Encloses: the same endpoints as interval arithmetic on [rcl, rch] + [acl, ach] + [lo, hi].
/// Checks: the scope rounds upward (std::logic_error otherwise).
[[gnu::noipa]] void bellman_layer_up(const RoundingScope& scope, const double* nv, const std::uint32_t* edge_begin,
                      const std::uint32_t* cand, std::size_t count, std::size_t A, const double* rcl, const double* rch,
                      const double* acl, const double* ach, double* lo_out, double* hi_out);
}  // namespace detail

/// The interval Bellman backward pass on the graph.
/// Encloses: V[0][0] ⊇ V̂_0(q(μ0)), the exact optimal cost of the quantised MDP (any tie-break).
/// Assumes: g was built from m by enclose_quantised_graph (its costs and successors enclose
///   the exact ones).
/// Checks: the upward-rounding scope of the fast path (RoundingScope; std::logic_error if not).
/// Failure: none numerical (an unbounded cost gives an unbounded value, which certify_gap turns
///   into unknown).
/// Method: the operator of the file comment. For T = Interval (and `fast`) the pass runs on the
///   endpoint arrays in one upward-rounding scope (lower sums as −((−a) − b), no rounding-mode
///   switch per operation); it performs the same additions with the same directed rounding as the
///   generic path (interval arithmetic in T), so the results are identical.
///   The policy a* picks, at each state of the followed path, the action with the smallest upper
///   value (first on ties) and follows the first candidate successor; any grid action sequence is
///   admissible for the upper bound.
template <class T>
BellmanValues<T> enclose_quantised_values(const LiftedModel<T>& m, const QuantisedGraph<T>& g, bool fast = true) {
  using R = real_t<T>;
  const auto t0 = std::chrono::steady_clock::now();
  BellmanValues<T> out;
  const std::size_t A = g.actions.size();
  const int N = g.N;
  const bool running_risk = possibly_greater(m.risk_weight, T(0));
  std::vector<std::vector<R>> Vlo(static_cast<std::size_t>(N) + 1), Vhi(static_cast<std::size_t>(N) + 1);
  for (const T& v : g.layer[static_cast<std::size_t>(N)].risk) {
    Vlo[static_cast<std::size_t>(N)].push_back(inf(v));
    Vhi[static_cast<std::size_t>(N)].push_back(sup(v));
  }
  std::vector<R> acl(A), ach(A);
  for (std::size_t j = 0; j < A; ++j) {
    acl[j] = inf(g.action_cost[j]);
    ach[j] = sup(g.action_cost[j]);
  }
  for (int k = N - 1; k >= 0; --k) {
    const GraphLayer<T>& L = g.layer[static_cast<std::size_t>(k)];
    const std::vector<R>& nlo = Vlo[static_cast<std::size_t>(k) + 1];
    const std::vector<R>& nhi = Vhi[static_cast<std::size_t>(k) + 1];
    std::vector<R>& lo_k = Vlo[static_cast<std::size_t>(k)];
    std::vector<R>& hi_k = Vhi[static_cast<std::size_t>(k)];
    lo_k.resize(L.count);
    hi_k.resize(L.count);
    std::vector<R> rcl(L.count, R(0)), rch(L.count, R(0));
    if (running_risk)
      for (std::size_t s = 0; s < L.count; ++s) {
        const T rc = m.risk_weight * L.risk[s];
        rcl[s] = inf(rc);
        rch[s] = sup(rc);
      }
    if constexpr (std::is_same_v<T, Interval>) {
      if (fast) {
        // interleaved (lo, hi) of layer k+1: one cache line per candidate lookup
        std::vector<double> nv(2 * nlo.size());
        for (std::size_t i = 0; i < nlo.size(); ++i) {
          nv[2 * i] = nlo[i];
          nv[2 * i + 1] = nhi[i];
        }
        RoundingScope up(Rounding::upward);
        detail::bellman_layer_up(up, nv.data(), L.edge_begin.data(), L.cand.data(), L.count, A, rcl.data(), rch.data(),
                                 acl.data(), ach.data(), lo_k.data(), hi_k.data());
        continue;
      }
    }
    for (std::size_t s = 0; s < L.count; ++s) {
      R best_lo = R(0), best_hi = R(0);
      const T rc(rcl[s], rch[s]);
      for (std::size_t j = 0; j < A; ++j) {
        const std::uint32_t b = L.edge_begin[s * A + j], e = L.edge_begin[s * A + j + 1];
        R lo = nlo[L.cand[b]], hi = nhi[L.cand[b]];
        for (std::uint32_t c = b + 1; c < e; ++c) {
          if (nlo[L.cand[c]] < lo) lo = nlo[L.cand[c]];
          if (hi < nhi[L.cand[c]]) hi = nhi[L.cand[c]];
        }
        const T q = (rc + T(acl[j], ach[j])) + T(lo, hi);
        if (j == 0 || inf(q) < best_lo) best_lo = inf(q);
        if (j == 0 || sup(q) < best_hi) best_hi = sup(q);
      }
      lo_k[s] = best_lo;
      hi_k[s] = best_hi;
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.V.resize(static_cast<std::size_t>(N) + 1);
  for (int k = 0; k <= N; ++k)
    for (std::size_t s = 0; s < Vlo[static_cast<std::size_t>(k)].size(); ++s)
      out.V[static_cast<std::size_t>(k)].push_back(T(Vlo[static_cast<std::size_t>(k)][s], Vhi[static_cast<std::size_t>(k)][s]));
  // follow a* from the root
  std::size_t s = 0;
  out.path.push_back(0);
  for (int k = 0; k < N; ++k) {
    const GraphLayer<T>& L = g.layer[static_cast<std::size_t>(k)];
    const std::vector<T>& Vn = out.V[static_cast<std::size_t>(k) + 1];
    const T rc = running_risk ? m.risk_weight * L.risk[s] : T(0);
    int best = 0;
    R best_hi = R(0);
    for (std::size_t j = 0; j < A; ++j) {
      const std::uint32_t b = L.edge_begin[s * A + j], e = L.edge_begin[s * A + j + 1];
      R hi = sup(Vn[L.cand[b]]);
      for (std::uint32_t c = b + 1; c < e; ++c)
        if (hi < sup(Vn[L.cand[c]])) hi = sup(Vn[L.cand[c]]);
      const R qh = sup(rc + g.action_cost[j] + T(hi, hi));
      if (j == 0 || qh < best_hi) {
        best_hi = qh;
        best = static_cast<int>(j);
      }
    }
    out.policy.push_back(best);
    s = L.cand[L.edge_begin[s * A + static_cast<std::size_t>(best)]];
    out.path.push_back(s);
  }
  return out;
}

/// approx_: the same backward pass in plain double (midpoints of the state and action costs, the
/// minimum over candidates). Not rigorous; used to measure the cost of the interval pass.
template <class T>
std::vector<std::vector<double>> approx_quantised_values(const LiftedModel<T>& m, const QuantisedGraph<T>& g,
                                                         double* seconds = nullptr) {
  // costs to double first (outside the timed region, like the interval pass reads stored costs)
  const std::size_t A = g.actions.size();
  const int N = g.N;
  std::vector<std::vector<double>> risk(static_cast<std::size_t>(N) + 1);
  for (int k = 0; k <= N; ++k)
    for (const T& r : g.layer[static_cast<std::size_t>(k)].risk) risk[static_cast<std::size_t>(k)].push_back(static_cast<double>(mid(r)));
  std::vector<double> ac;
  for (const T& c : g.action_cost) ac.push_back(static_cast<double>(mid(c)));
  const double rho = static_cast<double>(mid(m.risk_weight));
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::vector<double>> V(static_cast<std::size_t>(N) + 1);
  V[static_cast<std::size_t>(N)] = risk[static_cast<std::size_t>(N)];
  for (int k = N - 1; k >= 0; --k) {
    const GraphLayer<T>& L = g.layer[static_cast<std::size_t>(k)];
    const std::vector<double>& Vn = V[static_cast<std::size_t>(k) + 1];
    std::vector<double>& Vk = V[static_cast<std::size_t>(k)];
    Vk.resize(L.count);
    for (std::size_t s = 0; s < L.count; ++s) {
      const double rc = rho * risk[static_cast<std::size_t>(k)][s];
      double best = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < A; ++j) {
        const std::uint32_t b = L.edge_begin[s * A + j], e = L.edge_begin[s * A + j + 1];
        double v = Vn[L.cand[b]];
        for (std::uint32_t c = b + 1; c < e; ++c) v = std::min(v, Vn[L.cand[c]]);
        best = std::min(best, rc + ac[j] + v);
      }
      Vk[s] = best;
    }
  }
  if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return V;
}

}  // namespace certiformer::bellman
