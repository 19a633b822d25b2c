// Config kind "bellman.gap": certified near-optimality gap of the quantised-optimal action
// sequence of a lifted Transformer control problem (docs/mathematics.md §4, docs/bellman.md).
//
// Config: {"kind": "bellman.gap",
//          "model": {"dim": d, "beta": β, "heads": [...], "W", "b", "mlp" (optional)} (Euclidean),
//          "tokens": n×d, "labels": [y_i] (0 ≤ y_i < K), "readout": Γ (K×d),
//          "epsilon": ε > 0, "layers": N (1..64),
//          "controls": ["attention" | "ffn" | {"W": [i, k]} | {"b": [i]} | {"direction": {"W": E, "b": f}}, ...]
//                      (1..8; weight controls: W(a) = W0 + Σ a_c E_c, b(a) = b0 + Σ a_c f_c, an entry
//                      control sets that entry to the action; not together with the "ffn" gate),
//          "action_box": [[lo, hi], ...] (one per control),
//          "action_grid": [m_c, ...] (≥ 1 points per control), "state_grid": δ > 0,
//          "running_cost": {"action_penalty": λ ≥ 0, "risk_weight": ρ ≥ 0} (optional),
//          "max_states": (optional, default 2000000), "max_fanout": (optional, default 64),
//          "study": levels of a nested-grid study (optional, 1..6),
//          "tolerance": τ ≥ 0 (optional: the claim "gap_le_tolerance" J(a*) − V_0 ≤ τ)}
// Results: gap [0, hi] ∋ J(a*) − V_0; upper_bound ∋ J(a*; μ0); lower_bound = [inf V̂_0 − E, sup J]
// ∋ V_0(μ0); quantised_value ∋ V̂_0; quantisation_error ≤ E; apriori_bound_2E ≤ 2E (one-sided);
// actions (N × controls), graph size (informational), every constant of E (one-sided upper
// bounds); with "tolerance", claim "gap_le_tolerance" (no default: a tolerance is a statement
// about the application, there is none that fits every model).
// Refusals (graph too large, fan-out too large, initial token on a cell boundary, no a-priori
// ball) throw std::domain_error -> EnclosureFailure (exit 2, no certificate) with the reason.
//
// Registry entry: bellman_gap_kind() (namespace certiformer::cert).
#include "certiformer/bellman.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "transformer_model.hpp"

#include <cstdio>
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::bellman;
using namespace certiformer::cert::transformer_config;

/// A model entry that a W / b entry control makes the action: W[i][k] (k ≥ 0) or b[i] (k = −1).
struct ControlledEntry {
  long i = 0, k = -1;
  std::string name;     ///< "W[i][k]" / "b[i]"
  std::string pointer;  ///< JSON pointer relative to the config object ("/model/W/i/k", "/model/b/i")
  ConfigNode node(const ConfigNode& cfg) const {
    const ConfigNode v = cfg.at("model").at(k >= 0 ? "W" : "b").index(static_cast<std::size_t>(i));
    return k >= 0 ? v.index(static_cast<std::size_t>(k)) : v;
  }
};

/// `controlled` (optional) receives the model entries of the W / b entry controls.
template <class T>
LiftedModel<T> read_bellman_model(const ConfigNode& cfg, std::vector<ControlledEntry>* controlled = nullptr) {
  LiftedModel<T> m;
  const ModelConfig<T> mc = read_model<T>(
      cfg.at("model"), {false, "bellman.gap controls one shared layer through its gates (\"controls\"); a stack with "
                               "per-layer weights is not part of its lifted model"});
  if (mc.sphere) cfg.at("model").at("sphere").fail("false (bellman.gap supports the Euclidean model only)");
  // The lifted analysis bounds the coupling through the empirical measure of all n tokens
  // ((1/n)-averaged Lipschitz bounds) and splits the layer into gated parts: a causal mask and
  // in-projection biases are not covered by it.
  if (mc.layer().causal) cfg.at("model").at("causal").fail("false (bellman.gap does not support the causal mask)");
  for (std::size_t h = 0; h < mc.layer().heads.size(); ++h)
    if (mc.layer().heads[h].has_bias())
      cfg.at("model").at("heads").index(h).fail("a head without bQ, bK, bV (bellman.gap does not support in-projection biases)");
  m.dim = static_cast<Eigen::Index>(mc.d);
  m.layer = mc.layer();
  m.tokens = read_tokens<T>(cfg.at("tokens"), mc.d);
  m.readout = cfg.at("readout").matrix<T>(std::nullopt, mc.d, "the read-out Γ is K × d");
  const ConfigNode lb = cfg.at("labels");
  lb.require_array("an array of labels, one per token");
  if (lb.size() != static_cast<std::size_t>(m.tokens.rows()))
    lb.fail("one label per token (" + std::to_string(m.tokens.rows()) + ")", "an array of " + std::to_string(lb.size()));
  for (std::size_t i = 0; i < lb.size(); ++i)
    m.labels.push_back(static_cast<int>(lb.index(i).as_int(0, static_cast<long>(m.readout.rows()) - 1)));
  const ConfigNode ep = cfg.at("epsilon");
  m.epsilon = ep.as_number<T>();
  if (!(ep.as_rational() > 0)) ep.fail("a positive ε");
  m.layers = static_cast<int>(cfg.at("layers").as_int(1, 64));
  const ConfigNode ctl = cfg.at("controls");
  ctl.require_array("an array of controls (\"attention\", \"ffn\", {\"W\": [i, k]}, {\"b\": [i]}, {\"direction\": {\"W\", \"b\"}})");
  if (ctl.size() == 0 || ctl.size() > 8) ctl.fail("one to eight controls", "an array of " + std::to_string(ctl.size()));
  const auto d = static_cast<long>(mc.d);
  bool any_weight = false, ffn_gate = false;
  std::vector<WeightDirection<T>> dirs;
  std::vector<std::pair<long, long>> w_entries, b_entries;  // entry controls already named
  for (std::size_t c = 0; c < ctl.size(); ++c) {
    const ConfigNode node = ctl.index(c);
    if (node.is_object()) {
      // a weight control (docs/bellman.md "Weight actions"): W(a) = W0 + Σ a_c E_c, b(a) = b0 + Σ a_c f_c
      node.only_keys({"W", "b", "direction"});
      if (node.keys().size() != 1) node.fail("exactly one of \"W\": [i, k], \"b\": [i], \"direction\": {...}");
      WeightDirection<T> D;
      if (auto w = node.find("W")) {
        w->require_array("an entry [i, k] of W (0-based)");
        if (w->size() != 2) w->fail("an entry [i, k] of W (0-based)", "an array of " + std::to_string(w->size()));
        if (m.layer.W.size() == 0) w->fail("an entry of W of a model that has W", "a W entry, but model.W is absent");
        const long i = w->index(0).as_int(0, d - 1), k = w->index(1).as_int(0, d - 1);
        for (const auto& e : w_entries)
          if (e == std::make_pair(i, k)) w->fail("distinct weight entries", "W[" + std::to_string(i) + "][" + std::to_string(k) + "] twice");
        w_entries.emplace_back(i, k);
        D.E = Mat<T>::Constant(mc.d, mc.d, T(0));
        D.E(i, k) = T(1);
        m.layer.W(i, k) = T(0);  // the controlled entry is the action: W0_ik = 0, E = e_i e_kᵀ
        D.name = "W[" + std::to_string(i) + "][" + std::to_string(k) + "]";
        if (controlled)
          controlled->push_back({i, k, D.name, "/model/W/" + std::to_string(i) + "/" + std::to_string(k)});
      } else if (auto b = node.find("b")) {
        b->require_array("an entry [i] of b (0-based)");
        if (b->size() != 1) b->fail("an entry [i] of b (0-based)", "an array of " + std::to_string(b->size()));
        if (m.layer.b.size() == 0) b->fail("an entry of b of a model that has b", "a b entry, but model.b is absent");
        const long i = b->index(0).as_int(0, d - 1);
        for (const auto& e : b_entries)
          if (e.first == i) b->fail("distinct bias entries", "b[" + std::to_string(i) + "] twice");
        b_entries.emplace_back(i, 0);
        D.f = Vec<T>::Constant(mc.d, T(0));
        D.f(i) = T(1);
        m.layer.b(i) = T(0);
        D.name = "b[" + std::to_string(i) + "]";
        if (controlled) controlled->push_back({i, -1, D.name, "/model/b/" + std::to_string(i)});
      } else {
        const ConfigNode dn = node.at("direction");
        dn.require_object("an object {\"W\": E (d × d), \"b\": f (d)} (at least one)");
        dn.only_keys({"W", "b"});
        if (auto e = dn.find("W")) D.E = e->matrix<T>(mc.d, mc.d, "the direction E is d × d");
        if (auto f = dn.find("b")) D.f = f->vector<T>(mc.d, "the direction f has length d");
        if (D.E.size() == 0 && D.f.size() == 0) dn.fail("a direction with \"W\" or \"b\"");
        D.name = "direction " + std::to_string(c);
      }
      any_weight = true;
      m.controls.push_back(Gate::weight);
      dirs.push_back(std::move(D));
      continue;
    }
    const std::string g = node.as_string("\"attention\", \"ffn\" or a weight control object");
    Gate gate;
    if (g == "attention") gate = Gate::attention;
    else if (g == "ffn") gate = Gate::ffn;
    else node.fail("\"attention\", \"ffn\" or a weight control object {\"W\": [i, k]}, {\"b\": [i]}, {\"direction\": {...}}");
    for (Gate e : m.controls)
      if (e == gate) node.fail("distinct controls", "\"" + g + "\" twice");
    if (gate == Gate::attention && mc.layer().heads.empty()) node.fail("a gate on a part the model has", "\"attention\" without heads");
    if (gate == Gate::ffn && mc.layer().W.size() == 0 && mc.layer().b.size() == 0 && !mc.layer().mlp)
      node.fail("a gate on a part the model has", "\"ffn\" without W, b or mlp");
    if (gate == Gate::ffn) ffn_gate = true;
    m.controls.push_back(gate);
    dirs.emplace_back();
  }
  if (any_weight && ffn_gate)
    ctl.fail("weight controls together with at most the \"attention\" gate (the \"ffn\" gate times a controlled weight "
             "makes the layer bilinear in the action, which the gap bound does not cover)");
  if (any_weight) m.directions = std::move(dirs);
  const std::size_t C = m.controls.size();
  const ConfigNode box = cfg.at("action_box");
  box.require_array("an array of [lo, hi], one per control");
  if (box.size() != C) box.fail("one [lo, hi] per control (" + std::to_string(C) + ")", "an array of " + std::to_string(box.size()));
  m.action_lo.resize(static_cast<Eigen::Index>(C));
  m.action_hi.resize(static_cast<Eigen::Index>(C));
  for (std::size_t c = 0; c < C; ++c) {
    const ConfigNode iv = box.index(c);
    iv.require_array("an interval [lo, hi]");
    if (iv.size() != 2) iv.fail("an interval [lo, hi]", "an array of " + std::to_string(iv.size()));
    if (!(iv.index(0).as_rational() <= iv.index(1).as_rational())) iv.fail("a non-empty interval (lo ≤ hi)");
    m.action_lo(static_cast<Eigen::Index>(c)) = iv.index(0).as_number<T>();
    m.action_hi(static_cast<Eigen::Index>(c)) = iv.index(1).as_number<T>();
  }
  const ConfigNode grid = cfg.at("action_grid");
  grid.require_array("an array of grid sizes, one per control");
  if (grid.size() != C) grid.fail("one grid size per control (" + std::to_string(C) + ")", "an array of " + std::to_string(grid.size()));
  long total = 1;
  for (std::size_t c = 0; c < C; ++c) {
    m.action_grid.push_back(static_cast<int>(grid.index(c).as_int(1, 4096)));
    total *= m.action_grid.back();
  }
  if (total > 65536) grid.fail("at most 65536 grid actions in total");
  const ConfigNode sg = cfg.at("state_grid");
  if (!(sg.as_rational() > 0)) sg.fail("a positive state grid spacing δ");
  m.state_spacing = sg.as_number<T>();
  if (auto rc = cfg.find("running_cost")) {
    rc->require_object("an object {\"action_penalty\", \"risk_weight\"}");
    rc->only_keys({"action_penalty", "risk_weight"});
    if (auto l = rc->find("action_penalty")) {
      if (l->as_rational() < 0) l->fail("λ ≥ 0");
      m.action_penalty = l->as_number<T>();
    }
    if (auto r = rc->find("risk_weight")) {
      if (r->as_rational() < 0) r->fail("ρ ≥ 0");
      m.risk_weight = r->as_number<T>();
    }
  }
  if (auto ma = cfg.find("measure_atoms")) {
    m.measure_atoms = static_cast<int>(ma->as_int(1, static_cast<long>(m.tokens.rows())));
    const long n = static_cast<long>(m.tokens.rows()), r = n / m.measure_atoms;
    if (n % m.measure_atoms != 0) ma->fail("a number of atoms N_P dividing the number of tokens n = " + std::to_string(n));
    for (int y = 0; y < static_cast<int>(m.readout.rows()); ++y) {
      long cnt = 0;
      for (int l : m.labels) cnt += l == y;
      if (cnt % r != 0)
        ma->fail("N_P such that every label class has a size divisible by n/N_P = " + std::to_string(r) + " (label " +
                 std::to_string(y) + " has " + std::to_string(cnt) + " tokens)");
    }
  }
  if (auto ms = cfg.find("max_states")) m.max_states = static_cast<std::size_t>(ms->as_int(1, 1000000000L));
  if (auto mf = cfg.find("max_fanout")) m.max_fanout = static_cast<std::size_t>(mf->as_int(1, 1L << 20));
  try {
    m.validate();
  } catch (const std::invalid_argument& e) {
    cfg.fail(std::string("a valid bellman model: ") + e.what());
  }
  return m;
}

// ---- parameter boxes (docs/bellman.md "Parameter boxes") -------------------------------------
//
// Interval texts "[a, b]" are accepted in the model weights (beta, W, b, heads V/B/Q/K, mlp
// W1/b1/W2/b2), the read-out Γ, the initial tokens and the ends of the action box; anywhere else
// (ε, layers, state_grid, action_grid, labels, running_cost, tolerance, …) the run refuses them
// (ConfigError naming the field, exit 65). The box is read twice — once with every interval
// replaced by its lower end, once by its upper end (so every check of read_bellman_model holds
// at both ends) — and the two models are joined entrywise by the interval hull; the action box
// ends keep their exact rationals for the inner grid.

std::vector<std::string> bellman_gap_fields() {
  return {"model", "tokens", "labels", "readout", "epsilon", "layers", "controls", "action_box", "action_grid",
          "state_grid", "running_cost", "measure_atoms", "max_states", "max_fanout", "study", "tolerance"};
}

bool box_pointer(const std::string& p) {
  if (p == "/model/beta") return true;
  for (const char* pre : {"/model/W/", "/model/b/", "/model/heads/", "/model/mlp/", "/readout/", "/tokens/", "/action_box/"})
    if (p.rfind(pre, 0) == 0) return true;
  return false;
}

struct BoxDocs {
  std::string root;            ///< JSON pointer of the config object ("" at the document root; "/input" in `check`)
  bool any = false;            ///< some field is a non-degenerate or point interval text
  bool gate_box = false;       ///< some action_box end is an interval with a < b
  std::shared_ptr<Json> lo, hi;  ///< the config with every interval replaced by its lower / upper end
  std::vector<std::string> intervals;  ///< JSON pointers (relative to the config object) of the interval texts
};

void scan_box(const ConfigNode& n, BoxDocs& b) {
  if (n.is_object()) {
    for (const auto& [k, c] : n.members()) scan_box(c, b);
  } else if (n.is_array()) {
    for (std::size_t i = 0; i < n.size(); ++i) scan_box(n.index(i), b);
  } else if (n.is_text() && is_interval_text(n.json().get_ref<const std::string&>())) {
    const std::string p = n.path().substr(b.root.size());  // pointer relative to the config object
    if (!box_pointer(p))
      n.fail("a number (bellman.gap takes interval inputs \"[a, b]\" only in the model weights beta, W, b, heads, mlp, "
             "the readout, the tokens and the action_box ends)");
    const RationalInterval x = n.as_rational_interval();
    b.any = true;
    if (!x.is_point() && p.rfind("/action_box/", 0) == 0) b.gate_box = true;
    b.intervals.push_back(p);
    const Json::json_pointer jp(p);
    (*b.lo)[jp] = exact_text(x.lo);
    (*b.hi)[jp] = exact_text(x.hi);
  }
}

template <class T> void hull_into(Mat<T>& a, const Mat<T>& b) {
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j) a(i, j) = convex_hull(a(i, j), b(i, j));
}
template <class T> void hull_into(Vec<T>& a, const Vec<T>& b) {
  for (Eigen::Index i = 0; i < a.size(); ++i) a(i) = convex_hull(a(i), b(i));
}
template <class T> void hull_into(transformer::Layer<T>& a, const transformer::Layer<T>& b) {
  a.beta = convex_hull(a.beta, b.beta);
  hull_into(a.W, b.W);
  hull_into(a.b, b.b);
  for (std::size_t h = 0; h < a.heads.size(); ++h) {
    hull_into(a.heads[h].Q, b.heads[h].Q);
    hull_into(a.heads[h].K, b.heads[h].K);
    hull_into(a.heads[h].B, b.heads[h].B);
    hull_into(a.heads[h].V, b.heads[h].V);
  }
  if (a.mlp) {
    hull_into(a.mlp->W1, b.mlp->W1);
    hull_into(a.mlp->b1, b.mlp->b1);
    hull_into(a.mlp->W2, b.mlp->W2);
    hull_into(a.mlp->b2, b.mlp->b2);
  }
}

/// The model of a bellman.gap config whose inputs may be a parameter box (above). `is_box` says
/// whether any interval text was given.
/// Encloses: every entry of the returned model contains that entry for every member of the box;
///   the inner grid [grid_lo, grid_hi] (gate-range boxes) lies in [lo_max, hi_min] of every control.
/// Checks: as read_bellman_model at both ends; no interval on a controlled W / b entry (it is the
///   action, its range is action_box: an interval there would be ignored and a "for every
///   parameter in the box" statement about it empty — review finding, s7); lo_max ≤ hi_min for
///   every control with interval ends.
/// Failure: ConfigError naming the field.
template <class T> LiftedModel<T> read_bellman_box(const ConfigNode& cfg, bool& is_box, bool& gate_box) {
  BoxDocs b;
  b.root = cfg.path() == "/" ? std::string() : cfg.path();
  b.lo = std::make_shared<Json>(cfg.json());
  b.hi = std::make_shared<Json>(cfg.json());
  for (const std::string& f : bellman_gap_fields())
    if (auto n = cfg.find(f)) scan_box(*n, b);
  is_box = b.any;
  gate_box = b.gate_box;
  if (!b.any) return read_bellman_model<T>(cfg);
  const ConfigNode lo(std::shared_ptr<const Json>(b.lo), cfg.file()), hi(std::shared_ptr<const Json>(b.hi), cfg.file());
  std::vector<ControlledEntry> controlled;
  LiftedModel<T> m = read_bellman_model<T>(lo, &controlled);
  for (const ControlledEntry& e : controlled)
    if (std::find(b.intervals.begin(), b.intervals.end(), e.pointer) != b.intervals.end())
      e.node(cfg).fail("an exact number (" + e.name + " is a control: its range is the action box; its value here is not used)",
                       "an interval");
  const LiftedModel<T> mh = read_bellman_model<T>(hi);
  hull_into(m.layer, mh.layer);
  hull_into(m.tokens, mh.tokens);
  hull_into(m.readout, mh.readout);
  hull_into(m.action_lo, mh.action_lo);  // [lo_min, lo_max]
  hull_into(m.action_hi, mh.action_hi);  // [hi_min, hi_max]
  if (b.gate_box) {
    const auto C = static_cast<Eigen::Index>(m.controls.size());
    m.grid_lo.resize(C);
    m.grid_hi.resize(C);
    for (Eigen::Index c = 0; c < C; ++c) {
      const auto ci = static_cast<std::size_t>(c);
      const Rational lo_max = hi.at("action_box").index(ci).index(0).as_rational();
      const Rational hi_min = lo.at("action_box").index(ci).index(1).as_rational();
      // the grid ends: lo_max rounded up and hi_min rounded down to binary64 (the same grid at
      // every precision, so `check` re-derives the same actions), [grid_lo, grid_hi] ⊆ [lo_max,
      // hi_min] ⊆ every member's [lo, hi]
      m.grid_lo(c) = enclose_point<T>(real_t<T>(sup(enclose<Interval>(lo_max))));
      m.grid_hi(c) = enclose_point<T>(real_t<T>(inf(enclose<Interval>(hi_min))));
      if (lo_max > hi_min || !certainly_less_equal(m.grid_lo(c), m.grid_hi(c)))
        cfg.at("action_box").index(ci).fail(
            "action-box end intervals with sup lo < inf hi (the action grid is laid on [sup lo, inf hi], which must be "
            "admissible for every member of the box)");
    }
  }
  try {
    m.validate();
  } catch (const std::invalid_argument& e) {
    cfg.fail(std::string("a valid bellman model: ") + e.what());
  }
  return m;
}

std::string fmt(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

struct BellmanGapKind {
  static constexpr const char* name = "bellman.gap";
  static constexpr const char* description =
      "certified near-optimality gap of the quantised-optimal layer gates or FFN weights (interval Bellman operator, P1)";
  static std::vector<std::string> fields() { return bellman_gap_fields(); }

  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    bool is_box = false, gate_box = false;
    const LiftedModel<T> m = read_bellman_box<T>(cfg, is_box, gate_box);
    int study = 0;
    if (auto s = cfg.find("study")) study = static_cast<int>(s->as_int(1, 6));
    std::optional<Rational> tolerance;
    if (auto tn = cfg.find("tolerance")) {
      tolerance = tn->as_rational();
      if (*tolerance < 0) tn->fail("a tolerance τ ≥ 0");
    }
    const GapResult<T> r = certify_gap(m, [&](std::size_t states, int) {
      ctx.progress(states, m.max_states, "layer graph", "states");
      ctx.check_budget("building the layer graph");  // the graph build is outside the integrator
    });
    ctx.clear();
    // Every result is an enclosure of a definite real number or a one-sided bound (so
    // `certiformer check` can re-derive it): the constants and errors B ≥ 0 are one-sided upper
    // bounds {"upper": sup B, "nonnegative": true} (the best constant / the true error is ≤ it),
    // the lower bound is an enclosure of the true optimum V_0(μ0).
    auto upto = [](const T& b) { return UpperBound<real_t<T>>::sup_of(b); };
    constexpr auto nonneg = QuantityRange::nonnegative;
    out.add("gap", r.gap);
    out.add("upper_bound", r.upper_bound);
    out.set_key_quantities({"gap", "upper_bound"});  // the gap next to the cost J(a*) it is a gap of
    if (is_box)
      out.add_text("parameter_box",
                   std::string("true: every result and claim holds for every parameter p in the box (each interval input "
                               "an independent coordinate); one action sequence a* for the whole box; gap ∋ J(a*; μ0, p) − "
                               "V_0(μ0, p), upper_bound ∋ J(a*; μ0, p), lower_bound ∋ V_0(μ0, p), quantised_value ∋ "
                               "V̂_0(q(μ0); p), every constant a sup over the box") +
                       (gate_box ? "; the action grid is laid on [sup lo, inf hi] of the action-box ends" : ""));
    out.add("lower_bound", r.lower_bound);
    out.add("quantised_value", r.quantised_value);
    out.add("quantisation_error", upto(r.constants.E), nonneg);
    out.add("apriori_bound_2E", upto(r.two_E), nonneg);
    Mat<T> acts(static_cast<Eigen::Index>(r.actions.size()), static_cast<Eigen::Index>(m.controls.size()));
    for (std::size_t k = 0; k < r.actions.size(); ++k) acts.row(static_cast<Eigen::Index>(k)) = r.actions[k].transpose();
    out.add("actions", acts);
    std::string ctl;
    for (std::size_t k = 0; k < m.controls.size(); ++k)
      ctl += std::string(ctl.empty() ? "" : ", ") + (m.controls[k] == Gate::weight ? m.directions[k].name : std::string(to_string(m.controls[k])));
    out.add_text("action_columns", ctl);
    std::string per_layer;
    for (std::size_t c : r.states_per_layer) per_layer += (per_layer.empty() ? "" : " ") + std::to_string(c);
    // Sizes of the computation, not statements (set-valued transitions depend on the precision).
    out.add_info("graph_states", std::to_string(r.states));
    out.add_info("graph_states_per_layer", per_layer);
    out.add_info("graph_edges", std::to_string(r.edges));
    out.add_info("graph_set_valued_transitions", std::to_string(r.set_valued));
    const auto& c = r.constants;
    out.add("L", upto(c.L), nonneg);
    out.add("L_a", upto(c.L_a), nonneg);
    out.add("K_T", upto(c.K_T), nonneg);
    out.add("K_c", upto(c.K_c), nonneg);
    out.add("K_a", upto(c.K_a), nonneg);
    out.add("delta_0", c.delta_0);
    out.add("delta_Z", c.delta_Z);
    out.add("delta_P", c.delta_P);
    out.add_info("measure_atoms", std::to_string(r.measure_atoms > 0 ? r.measure_atoms : static_cast<int>(m.n())));
    // value continuity: |V_0(μ) − V_0(μ′)| ≤ K·W1(μ, μ′) for measures supported in ‖x‖ ≤ max_i ‖x⁰_i‖
    out.add("value_continuity_K", upto(c.K_cont), nonneg);
    // where K holds: label-preserving W1 between measures supported in the ball ‖x‖ ≤ r_0
    out.add("value_continuity_radius", upto(c.r0), nonneg);
    // with gate-range boxes δ_A is an upper bound (a max of outward-rounded sups over the box),
    // not the enclosure of one number: one-sided, like the other constants
    if (gate_box) out.add("delta_A", upto(c.delta_A), nonneg);
    else out.add("delta_A", c.delta_A);
    out.add("ball_radius", upto(c.R), nonneg);
    if (study > 1) {
      const auto rows = nested_grid_study(m, study);
      std::string tab = "level state_grid action_grid states gap_hi E;";
      for (const auto& row : rows) {
        std::string ag;
        for (int g : row.action_grid) ag += (ag.empty() ? "" : "x") + std::to_string(g);
        tab += " " + std::to_string(row.level) + " " + fmt(static_cast<double>(mid(row.state_spacing))) + " " + ag + " " +
               std::to_string(row.result.states) + " " + fmt(static_cast<double>(sup(row.result.gap))) + " " +
               fmt(static_cast<double>(sup(row.result.constants.E))) + ";";
        out.add("study_gap_level" + std::to_string(row.level), row.result.gap);
      }
      out.add_info("study", tab);  // 6-digit summary of the study_gap_level results
    }
    // The claim a researcher quotes: the certified gate sequence is τ-optimal. Proved when the
    // certified gap bound is ≤ τ; the gap's lower end is 0 (J − V_0 ≥ 0 always), so it is never
    // refuted — a gap bound above τ is unknown (refine the grids or raise τ).
    if (tolerance) {
      const T tau = cfg.at("tolerance").as_number<T>();
      const T margin = tau - r.gap;  // ∋ τ − (J(a*) − V_0)
      const std::string statement =
          std::string(is_box ? "for every parameter p in the box: J(a*; μ0, p) − V_0(μ0, p) ≤ tolerance = "
                             : "J(a*; μ0) − V_0(μ0) ≤ tolerance = ") + cfg.at("tolerance").as_text() +
          ", where a* = actions is the quantised-optimal " + std::string(m.directions.empty() ? "gate" : "action") +
          " sequence and V_0 the optimum over the whole action box";
      Verdict v = Verdict::unknown("");
      if (!r.verdict.is_proved()) v = Verdict::unknown("the gap is not certified: " + r.verdict.reason());
      else if (certainly_nonnegative(margin))
        v = Verdict::proved("the certified gap bound " + decimal_up(sup(r.gap)) + " is ≤ the tolerance");
      else
        v = Verdict::unknown("the certified gap bound " + decimal_up(sup(r.gap)) +
                             " exceeds the tolerance (refine state_grid / action_grid, or raise the tolerance)");
      out.add_claim("gap_le_tolerance", statement, v, v.is_proved() ? std::optional<T>(margin) : std::nullopt);
    }
  }
};

}  // namespace

KindInfo bellman_gap_kind() { return make_kind<BellmanGapKind>(); }

}  // namespace certiformer::cert
