#pragma once
/// certiformer/bellman/model.hpp — the lifted control problem of P1 (docs/mathematics.md §4) for a concrete
/// Transformer layer, with the three quantisers.
///
/// Tokens z_i = (x_i, y_i): x_i ∈ R^d evolves, the label y_i ∈ {0..K−1} is static. One layer,
/// applied N times with the shared action a_k ∈ A (a box of gates and/or FFN weights):
///     x_i ← F_i(X; a) = x_i + ε ( g_att(a) · Attn_i(X) + g_ffn(a) · FFN(x_i) )
/// with, for weight controls (WeightDirection), FFN's W(a) = W0 + Σ a_c E_c, b(a) = b0 + Σ a_c f_c.
/// where Attn_i(X) = Σ_h a_h(x_i; μ) (docs/mathematics.md §1, μ the empirical measure of the tokens) and FFN is
/// the layer's affine and/or MLP part. Each *controlled* gate is one coordinate of a; a gate that
/// is not controlled is 1 (the layer as given). Costs: terminal c_N(μ) = (1/n) Σ_i ℓ(x_i, y_i)
/// (cross entropy of the read-out Γ, transformer/readout.hpp); running
///     c(μ, a) = ρ · (1/n) Σ_i ℓ(x_i, y_i) + λ ‖a‖²        (ρ, λ ≥ 0; both 0 by default).
/// Quantisers: q_Z snaps each coordinate to the nearest point of δ·Z (state grid spacing δ);
/// q_P keeps the N = n atoms of weight 1/n (the identity coupling, δ_P = 0); the action grid has
/// m_c equally spaced points per controlled gate (m_c = 1: the midpoint of the interval).
///
/// All numbers are intervals of type T built from exact text. The model is Euclidean (no
/// sphere) and has no positional features (labels enter only through the read-out), so the
/// dynamics and the costs are invariant under permutations of the tokens.

#include "certiformer/core.hpp"
#include "certiformer/transformer.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::bellman {

/// A controlled parameter: a scalar gate on the attention term or on the feed-forward term, or a
/// weight coordinate of the affine feed-forward part (Gate::weight, with a WeightDirection).
enum class Gate { attention, ffn, weight };

inline const char* to_string(Gate g) { return g == Gate::attention ? "attention" : g == Gate::ffn ? "ffn" : "weight"; }

/// The direction of a weight control a_c (docs/bellman.md "Weight actions"): the affine FFN part
/// of the layer under the action a is W(a) = W0 + Σ_c a_c E_c, b(a) = b0 + Σ_c a_c f_c, with
/// W0 = LiftedModel::layer.W, b0 = LiftedModel::layer.b (the base layer) and the given exact
/// direction E_c (d × d, or empty = 0) and f_c (d, or empty = 0). An entry control "W[i][k] = a"
/// is E = e_i e_kᵀ, f = 0 with the base entry W0_ik = 0; "b[i] = a" is E = 0, f = e_i, b0_i = 0.
template <class T>
struct WeightDirection {
  Mat<T> E;          ///< d × d or empty
  Vec<T> f;          ///< d or empty
  std::string name;  ///< for messages and result columns, e.g. "W[0][1]", "b[1]", "direction 0"
};

template <class T>
struct LiftedModel {
  transformer::Layer<T> layer;   ///< heads (+ β) and FFN; Euclidean model
  Eigen::Index dim = 0;          ///< d
  T epsilon = T(0);              ///< ε > 0 (layer step)
  int layers = 1;                ///< N ≥ 1
  Mat<T> tokens;                 ///< n × d, the initial tokens X⁰ (μ0)
  std::vector<int> labels;       ///< y_i, one per token
  Mat<T> readout;                ///< Γ, K × d
  std::vector<Gate> controls;    ///< controlled gates / weight coordinates, in action-coordinate order
  /// One per control when some control is Gate::weight (the entries of gate controls are
  /// ignored), else empty. A weight control and a controlled FFN gate exclude each other (the map
  /// would be bilinear in the action).
  std::vector<WeightDirection<T>> directions;
  Vec<T> action_lo, action_hi;   ///< the action box A, one interval per control
  std::vector<int> action_grid;  ///< m_c ≥ 1 grid points per control
  /// Parameter boxes on the gate ranges (docs/bellman.md "Parameter boxes"): when the ends of
  /// the action box are themselves intervals, action_lo(c) ⊇ [lo_min, lo_max] and action_hi(c) ⊇
  /// [hi_min, hi_max] (every member's action interval lies in [inf action_lo, sup action_hi]),
  /// and the grid is laid on the fixed inner interval [grid_lo, grid_hi] ⊆ [lo_max, hi_min], so
  /// one grid (and one a*) is admissible for every member. Empty (the default): the grid is laid
  /// on [action_lo, action_hi].
  Vec<T> grid_lo, grid_hi;
  T state_spacing = T(0);        ///< δ > 0, grid δ·Z^d
  T action_penalty = T(0);       ///< λ ≥ 0
  T risk_weight = T(0);          ///< ρ ≥ 0
  /// N_P: atoms of the measure quantiser q_P (bellman/measure.hpp); 0 = keep the n tokens
  /// (δ_P = 0). 1 ≤ N_P < n merges groups of n/N_P tokens of one label into one atom.
  int measure_atoms = 0;
  std::size_t max_states = 2000000;  ///< refuse a graph with more states (memory guard)
  std::size_t max_fanout = 64;       ///< refuse a set-valued successor with more candidates

  Eigen::Index n() const { return tokens.rows(); }

  /// Checks shapes, signs and ranges. Failure: std::invalid_argument naming the field.
  void validate() const {
    auto need = [](bool ok, const std::string& what) {
      if (!ok) throw std::invalid_argument("bellman model: " + what);
    };
    need(dim >= 1, "dim must be ≥ 1");
    need(tokens.rows() >= 1 && tokens.cols() == dim, "tokens must be n × d with n ≥ 1");
    need(static_cast<Eigen::Index>(labels.size()) == tokens.rows(), "one label per token");
    need(readout.rows() >= 1 && readout.cols() == dim, "read-out Γ must be K × d");
    for (int y : labels) need(y >= 0 && y < readout.rows(), "label " + std::to_string(y) + " out of range");
    need(certainly_positive(epsilon), "ε must be positive");
    need(layers >= 1, "N (layers) must be ≥ 1");
    need(certainly_positive(state_spacing), "state grid spacing must be positive");
    need(!controls.empty(), "at least one controlled gate or weight");
    need(action_lo.size() == static_cast<Eigen::Index>(controls.size()) &&
             action_hi.size() == action_lo.size() && action_grid.size() == controls.size(),
         "one action interval and one grid size per control");
    for (std::size_t c = 0; c < controls.size(); ++c) {
      for (std::size_t e = 0; e < c; ++e)
        need(controls[c] == Gate::weight || controls[c] != controls[e], "controls must be distinct");
      const auto i = static_cast<Eigen::Index>(c);
      need(certainly_less_equal(action_lo(i), action_hi(i)), "action box must be non-empty (lo ≤ hi)");
      need(action_grid[c] >= 1, "action grid needs ≥ 1 point per control");
    }
    if (grid_lo.size() != 0 || grid_hi.size() != 0) {
      need(grid_lo.size() == action_lo.size() && grid_hi.size() == action_lo.size(), "one inner grid interval per control");
      for (Eigen::Index i = 0; i < grid_lo.size(); ++i)
        need(certainly_less_equal(action_lo(i), grid_lo(i)) && certainly_less_equal(grid_lo(i), grid_hi(i)) &&
                 certainly_less_equal(grid_hi(i), action_hi(i)),
             "the inner grid interval must lie in every member's action interval (sup lo ≤ grid_lo ≤ grid_hi ≤ inf hi)");
    }
    bool weights = false, ffn_gate = false;
    for (Gate g : controls) {
      if (g == Gate::weight) weights = true;
      if (g == Gate::ffn) ffn_gate = true;
    }
    if (weights) {
      need(directions.size() == controls.size(), "one weight direction per control");
      need(!ffn_gate, "a controlled FFN gate and weight controls exclude each other");
      for (std::size_t c = 0; c < controls.size(); ++c) {
        if (controls[c] != Gate::weight) continue;
        const auto& D = directions[c];
        need((D.E.size() == 0 || (D.E.rows() == dim && D.E.cols() == dim)) && (D.f.size() == 0 || D.f.size() == dim),
             "weight direction " + D.name + ": E must be d × d and f of length d");
        need(D.E.size() != 0 || D.f.size() != 0, "weight direction " + D.name + " must have E or f");
      }
    }
    need(certainly_nonnegative(action_penalty) && certainly_nonnegative(risk_weight), "λ and ρ must be ≥ 0");
    need(max_states >= 1 && max_fanout >= 1, "max_states and max_fanout must be ≥ 1");
    need(measure_atoms >= 0 && measure_atoms <= tokens.rows() && (measure_atoms == 0 || tokens.rows() % measure_atoms == 0),
         "measure_atoms must be 0 or divide the number of tokens n");
    layer.validate(dim, dim);
  }
};

/// The action grid A_δ: every combination of the per-control grid points (mixed radix, the
/// first control varying fastest). Point j of control c: lo + j (hi − lo)/(m_c − 1), or
/// (lo + hi)/2 when m_c = 1 — enclosed in T — with [lo, hi] = [grid_lo, grid_hi] when the model
/// has an inner grid interval (gate-range boxes), else [action_lo, action_hi].
template <class T> std::vector<Vec<T>> action_grid_points(const LiftedModel<T>& m) {
  const std::size_t C = m.controls.size();
  const bool inner = m.grid_lo.size() != 0;
  const Vec<T>& glo = inner ? m.grid_lo : m.action_lo;
  const Vec<T>& ghi = inner ? m.grid_hi : m.action_hi;
  std::size_t total = 1;
  for (int g : m.action_grid) total *= static_cast<std::size_t>(g);
  std::vector<Vec<T>> out;
  out.reserve(total);
  for (std::size_t idx = 0; idx < total; ++idx) {
    Vec<T> a(static_cast<Eigen::Index>(C));
    std::size_t r = idx;
    for (std::size_t c = 0; c < C; ++c) {
      const auto mc = static_cast<std::size_t>(m.action_grid[c]);
      const std::size_t j = r % mc;
      r /= mc;
      const auto i = static_cast<Eigen::Index>(c);
      if (mc == 1) a(i) = (glo(i) + ghi(i)) / T(2);
      else
        a(i) = glo(i) + (ghi(i) - glo(i)) * T(static_cast<double>(j)) / T(static_cast<double>(mc - 1));
    }
    out.push_back(std::move(a));
  }
  return out;
}

/// Covering radius δ_A of the action grid in the Euclidean norm:
/// δ_A = √(Σ_c r_c²), r_c = (hi − lo)/(2(m_c − 1)) (m_c ≥ 2) or (hi − lo)/2 (m_c = 1).
/// With an inner grid interval [g_lo, g_hi] (gate-range boxes; every member's action interval
/// [lo, hi] satisfies lo_min ≤ lo ≤ g_lo ≤ g_hi ≤ hi ≤ hi_max):
///   r_c = max(g_lo − lo_min, hi_max − g_hi, (g_hi − g_lo)/(2(m_c − 1)))      (m_c ≥ 2),
///   r_c = max(g − lo_min, hi_max − g), g = (g_lo + g_hi)/2                     (m_c = 1):
/// a point of [lo, hi] below g_lo is within g_lo − lo_min of the grid point g_lo, one above
/// g_hi within hi_max − g_hi of g_hi, one in between within half a spacing.
/// Encloses: δ_A for every action box inside the enclosures (its sup bounds the distance of any
///   action in any member's box to the nearest grid point).
/// Assumes: the grid is the one of action_grid_points (m_c equally spaced points per control).
/// Checks: nothing (the model was validated). Failure: none.
/// Method: the formula above in interval arithmetic (the max of upper bounds, taken as a point).
template <class T> T enclose_action_covering_radius(const LiftedModel<T>& m) {
  T s(0);
  const bool inner = m.grid_lo.size() != 0;
  for (std::size_t c = 0; c < m.controls.size(); ++c) {
    const auto i = static_cast<Eigen::Index>(c);
    const int mc = m.action_grid[c];
    T r;
    if (!inner) {
      const T w = m.action_hi(i) - m.action_lo(i);
      r = mc == 1 ? w / T(2) : w / T(static_cast<double>(2 * (mc - 1)));
    } else {
      const T lo_min = enclose_point<T>(inf(m.action_lo(i))), hi_max = enclose_point<T>(sup(m.action_hi(i)));
      real_t<T> b;
      if (mc == 1) {
        const T g = (m.grid_lo(i) + m.grid_hi(i)) / T(2);
        b = std::max(sup(g - lo_min), sup(hi_max - g));
      } else {
        b = std::max(sup(m.grid_lo(i) - lo_min), sup(hi_max - m.grid_hi(i)));
        b = std::max(b, sup((m.grid_hi(i) - m.grid_lo(i)) / T(static_cast<double>(2 * (mc - 1)))));
      }
      r = enclose_point<T>(b);
    }
    s += sqr(r);
  }
  return sqrt(s);
}

/// The gated one-layer map, evaluated on a whole token configuration (flat, n·d).
/// Encloses Attn(X) and FFN(X) (each (n·d)-vectors) for every real X in the argument box.
template <class T>
class GatedLayer {
 public:
  explicit GatedLayer(const LiftedModel<T>& m)
      : n_(m.n()), d_(m.dim),
        att_(m.n(), m.dim, transformer::Control<T>::constant(attention_part(m.layer))),
        ffn_(m.n(), m.dim, transformer::Control<T>::constant(ffn_part(m.layer))),
        has_att_(!m.layer.heads.empty()),
        has_ffn_(m.layer.W.size() != 0 || m.layer.b.size() != 0 || m.layer.mlp.has_value()) {
    for (std::size_t c = 0; c < m.controls.size(); ++c) {
      if (m.controls[c] == Gate::attention) att_index_ = static_cast<int>(c);
      else if (m.controls[c] == Gate::ffn) ffn_index_ = static_cast<int>(c);
      else weights_.push_back({static_cast<int>(c), m.directions[c]});
    }
  }
  const transformer::TransformerField<T>& attention_field() const { return att_; }
  const transformer::TransformerField<T>& ffn_field() const { return ffn_; }
  bool has_attention() const { return has_att_; }
  bool has_ffn() const { return has_ffn_; }
  /// Index of the action coordinate gating attention / FFN, or −1 (gate fixed at 1).
  int attention_index() const { return att_index_; }
  int ffn_index() const { return ffn_index_; }

  /// The gate values of an action (1 for a gate that is not controlled).
  T gate_att(const Vec<T>& a) const { return att_index_ < 0 ? T(1) : a(att_index_); }
  T gate_ffn(const Vec<T>& a) const { return ffn_index_ < 0 ? T(1) : a(ffn_index_); }

  /// Attn(X) and FFN(X), zero vectors for an absent part.
  void evaluate(const Vec<T>& X, Vec<T>& A, Vec<T>& Fd) const {
    const T t0(0);
    if (has_att_) att_(t0, X, A);
    else A = Vec<T>::Constant(X.size(), T(0));
    if (has_ffn_) ffn_(t0, X, Fd);
    else Fd = Vec<T>::Constant(X.size(), T(0));
  }
  /// Whether some control is a weight coordinate.
  bool has_weights() const { return !weights_.empty(); }
  /// The weight terms v_c(X) = (E_c x_i + f_c)_i (flat n·d), one per weight control in order
  /// (∂F/∂a_c = ε v_c(X)); empty without weight controls.
  /// Encloses: v_c(X) for every real X in the argument box. Assumes: X has n·d entries.
  /// Checks: nothing. Failure: none. Method: interval matrix–vector products per token.
  std::vector<Vec<T>> weight_terms(const Vec<T>& X) const {
    std::vector<Vec<T>> out;
    for (const auto& w : weights_) {
      Vec<T> v = Vec<T>::Constant(X.size(), T(0));
      for (Eigen::Index i = 0; i < n_; ++i) {
        if (w.second.E.size() != 0) v.segment(i * d_, d_) = w.second.E * X.segment(i * d_, d_);
        if (w.second.f.size() != 0) v.segment(i * d_, d_) += w.second.f;
      }
      out.push_back(std::move(v));
    }
    return out;
  }
  /// F(X; a) = X + ε (g_att A + g_ffn FFN0 + Σ_c a_c v_c) from the parts (FFN0 the base layer's
  /// FFN, V = weight_terms(X)).
  /// Encloses: F(X; a) for every real X and a in the argument boxes (A ⊇ Attn(X), Fd ⊇ FFN0(X)
  ///   from evaluate, V from weight_terms on the same X).
  /// Assumes: as stated. Checks: nothing. Failure: none.
  /// Method: step (the gated parts) plus ε a_c v_c per weight control, in interval arithmetic.
  Vec<T> apply(const Vec<T>& X, const Vec<T>& A, const Vec<T>& Fd, const std::vector<Vec<T>>& V, const T& eps,
               const Vec<T>& a) const {
    Vec<T> Y = step(X, A, Fd, eps, gate_att(a), gate_ffn(a));
    for (std::size_t w = 0; w < weights_.size(); ++w) {
      const T ea = eps * a(weights_[w].first);
      for (Eigen::Index i = 0; i < X.size(); ++i) Y(i) += ea * V[w](i);
    }
    return Y;
  }

  /// F(X; a) = X + ε (g_att A + g_ffn FFN) from the parts.
  static Vec<T> step(const Vec<T>& X, const Vec<T>& A, const Vec<T>& Fd, const T& eps, const T& ga, const T& gf) {
    Vec<T> Y(X.size());
    const T ea = eps * ga, ef = eps * gf;
    for (Eigen::Index i = 0; i < X.size(); ++i) Y(i) = X(i) + ea * A(i) + ef * Fd(i);
    return Y;
  }

 private:
  static transformer::Layer<T> attention_part(const transformer::Layer<T>& l) {
    transformer::Layer<T> a;
    a.beta = l.beta;
    a.heads = l.heads;
    return a;
  }
  static transformer::Layer<T> ffn_part(const transformer::Layer<T>& l) {
    transformer::Layer<T> f;
    f.beta = T(1);
    f.W = l.W;
    f.b = l.b;
    f.mlp = l.mlp;
    return f;
  }
  Eigen::Index n_, d_;
  transformer::TransformerField<T> att_, ffn_;
  bool has_att_, has_ffn_;
  int att_index_ = -1, ffn_index_ = -1;
  std::vector<std::pair<int, WeightDirection<T>>> weights_;  ///< (action coordinate, direction)
};

/// The base layer with the weight controls' range folded in: W = W0 + Σ_c [lo_c, hi_c] E_c,
/// b = b0 + Σ_c [lo_c, hi_c] f_c (interval hull of the action interval, [inf lo, sup hi] for
/// interval ends), the other parts unchanged.
/// Encloses: W(a), b(a) for every action a in the action box (every member's box).
/// Assumes: m valid. Checks: nothing. Failure: none.
/// Method: interval arithmetic entrywise; a missing W (b) of the base layer is taken as 0 when a
///   direction has an E (f).
template <class T> transformer::Layer<T> weight_box_layer(const LiftedModel<T>& m) {
  transformer::Layer<T> l = m.layer;
  for (std::size_t c = 0; c < m.controls.size(); ++c) {
    if (m.controls[c] != Gate::weight) continue;
    const auto i = static_cast<Eigen::Index>(c);
    const T range = convex_hull(m.action_lo(i), m.action_hi(i));
    const auto& D = m.directions[c];
    if (D.E.size() != 0) {
      if (l.W.size() == 0) l.W = Mat<T>::Constant(m.dim, m.dim, T(0));
      for (Eigen::Index r = 0; r < m.dim; ++r)
        for (Eigen::Index k = 0; k < m.dim; ++k) l.W(r, k) += range * D.E(r, k);
    }
    if (D.f.size() != 0) {
      if (l.b.size() == 0) l.b = Vec<T>::Constant(m.dim, T(0));
      for (Eigen::Index r = 0; r < m.dim; ++r) l.b(r) += range * D.f(r);
    }
  }
  return l;
}

/// Encloses: the terminal cost c_N = (1/n) Σ ℓ(x_i, y_i) for every flat token configuration in X.
/// Assumes: nothing beyond the inclusion principle.
/// Checks: as transformer::enclose_risk (shapes, one label per token).
/// Failure: std::invalid_argument on a shape mismatch.
/// Method: transformer::enclose_risk with the model's read-out and labels.
template <class T> T enclose_terminal_cost(const LiftedModel<T>& m, const Vec<T>& X) {
  transformer::Readout<T> ro{m.readout, m.labels};
  return transformer::enclose_risk<T, T>(ro, X);
}

/// Encloses: λ‖a‖² (the action part of the running cost) for every a in the box.
/// Assumes: nothing. Checks: nothing. Failure: none.
/// Method: λ·Σ_i sqr(a_i) in interval arithmetic (sqr keeps the lower end ≥ 0).
template <class T> T enclose_action_cost(const LiftedModel<T>& m, const Vec<T>& a) {
  T s(0);
  for (Eigen::Index i = 0; i < a.size(); ++i) s += sqr(a(i));
  return m.action_penalty * s;
}

}  // namespace certiformer::bellman
