#pragma once
// lib/src/cert/kinds/transformer_model.hpp — reading the "model" object shared by the Transformer
// config kinds (transformer.flow, euler.error, bellman.gap, …): docs/mathematics.md §1, fields as in
// docs/cli.md / docs/transformer.md. Every number is exact text (ConfigNode encloses the rational
// it spells); any bad field throws ConfigError with its JSON path before anything is computed.
#include "certiformer/cert/config.hpp"
#include "certiformer/transformer.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace certiformer::cert::transformer_config {

using namespace certiformer::transformer;

inline constexpr long kMaxTokens = 4096;
inline constexpr long kMaxDim = 1024;
inline constexpr long kMaxLayers = 4096;

// Parameter boxes: with `boxes` (a kind that takes them, e.g. euler.error) every weight entry and β
// may be an interval text "[a, b]" — the interval enclosing every real in it, so the field's
// interval evaluations hold for every parameter in the box; without it (the default) interval
// texts are refused with exit 65 at their JSON path (ConfigNode::as_number).
template <class T>
inline Mat<T> read_matrix(const ConfigNode& n, std::size_t rows, std::size_t cols, const std::string& what, bool boxes = false) {
  return n.matrix<T>(rows, cols, what, boxes);
}

template <class T> Head<T> read_head(const ConfigNode& h, std::size_t d, bool boxes = false) {
  h.require_object("a head object {\"Q\", \"K\", \"V\"} or {\"B\", \"V\"}");
  Head<T> H;
  H.V = read_matrix<T>(h.at("V"), d, d, "V is d × d", boxes);
  if (h.has("B")) {
    for (const char* k : {"bQ", "bK"})
      if (auto b = h.find(k)) b->fail("no \"" + std::string(k) + "\" with the B form (in-projection biases b_Q, b_K need \"Q\", \"K\")");
    h.only_keys({"B", "V", "bV"});
    H.B = read_matrix<T>(h.at("B"), d, d, "B = KᵀQ is d × d", boxes);
  } else {
    h.only_keys({"Q", "K", "V", "bQ", "bK", "bV"});
    const ConfigNode q = h.at("Q");
    H.Q = q.matrix<T>(std::nullopt, d, "Q is d_k × d", boxes);
    H.K = read_matrix<T>(h.at("K"), static_cast<std::size_t>(H.Q.rows()), d, "K has the shape of Q (d_k × d)", boxes);
    const auto dk = static_cast<std::size_t>(H.Q.rows());
    if (auto b = h.find("bQ")) H.bQ = b->vector<T>(dk, "bQ has d_k entries (the rows of Q)", boxes);
    if (auto b = h.find("bK")) H.bK = b->vector<T>(dk, "bK has d_k entries (the rows of K)", boxes);
  }
  if (auto b = h.find("bV")) H.bV = b->vector<T>(d, "bV has d entries", boxes);
  return H;
}

/// One layer object: "beta", "heads", optional "W", "b", "mlp", "causal" (and, for the single-layer
/// form, the model keys "dim", "sphere" beside them: `model_keys`); `boxes`: parameter boxes allowed.
template <class T> Layer<T> read_layer(const ConfigNode& m, std::size_t d, bool model_keys, bool boxes = false) {
  m.require_object(model_keys ? "a model object" : "a layer object {\"beta\", \"heads\", …}");
  if (auto ln = m.find("layer_norm"))
    ln->fail("no \"layer_norm\": module transformer does not implement LayerNorm with gain and bias "
             "(γ ⊙ (x − mean)/√(var + ε) + β); \"sphere\": true is the normalised model without them");
  if (model_keys) m.only_keys({"dim", "beta", "W", "b", "heads", "sphere", "mlp", "causal"});
  else m.only_keys({"beta", "W", "b", "heads", "mlp", "causal"});
  Layer<T> l;
  l.beta = m.at("beta").as_entry<T>(boxes);
  if (!certainly_positive(l.beta)) m.at("beta").fail(boxes ? "a positive number (or an interval of positive numbers)" : "a positive number");
  if (auto w = m.find("W")) l.W = read_matrix<T>(*w, d, d, "W is d × d", boxes);
  if (auto b = m.find("b")) l.b = b->vector<T>(d, "b has d entries", boxes);
  const ConfigNode hs = m.at("heads");
  hs.require_array("an array of heads");
  for (std::size_t i = 0; i < hs.size(); ++i) l.heads.push_back(read_head<T>(hs.index(i), d, boxes));
  if (auto c = m.find("causal")) {
    if (!c->json().is_boolean()) c->fail("true or false");
    l.causal = c->json().template get<bool>();
  }
  if (auto mm = m.find("mlp")) {
    mm->require_object("an mlp object");
    mm->only_keys({"W1", "b1", "W2", "b2", "activation"});
    Mlp<T> M;
    M.W1 = mm->at("W1").matrix<T>(std::nullopt, d, "W1 is width × d", boxes);
    const auto width = static_cast<std::size_t>(M.W1.rows());
    if (auto b1 = mm->find("b1")) M.b1 = b1->vector<T>(width, "b1 has width entries", boxes);
    M.W2 = read_matrix<T>(mm->at("W2"), d, width, "W2 is d × width", boxes);
    if (auto b2 = mm->find("b2")) M.b2 = b2->vector<T>(d, "b2 has d entries", boxes);
    const std::string act = mm->find("activation") ? mm->at("activation").as_string("an activation name") : "tanh";
    if (act == "tanh") M.activation = Activation::tanh;
    else if (act == "softplus") M.activation = Activation::softplus;
    else if (act == "gelu_tanh") M.activation = Activation::gelu_tanh;
    else if (act == "relu") M.activation = Activation::relu;
    else mm->at("activation").fail("\"tanh\", \"softplus\", \"gelu_tanh\" or \"relu\"");
    l.mlp = std::move(M);
  }
  return l;
}

/// The whole "model" object: its dimension d, whether it is the sphere model, and its layers —
/// one layer (the single-layer form: the layer's keys beside "dim"), a depth-L stack with
/// per-layer weights ({"dim", "sphere"?, "layers": [layer, …]}), or a smooth time-varying
/// control θ(t) = Σ_k φ_k(t)·layers[k] ({"dim", "sphere"?, "basis": [φ_0, …], "layers": [θ_0, …]}).
template <class T> struct ModelConfig {
  std::size_t d = 0;
  bool sphere = false;
  std::vector<Layer<T>> layers;  ///< ≥ 1 entries
  bool stacked = false;          ///< written with "layers" (a per-layer stack, even of one layer)
  std::vector<Basis<T>> basis;   ///< non-empty: a smooth control, one basis function per layer
  const Layer<T>& layer() const { return layers.front(); }
  bool smooth() const { return !basis.empty(); }
};

/// Whether a kind takes a per-layer stack and a smooth control; `refusal` / `smooth_refusal` name
/// the kind (and the reason) in the config errors at /model/layers and /model/basis.
struct StackPolicy {
  bool allowed = true;
  std::string refusal;  ///< when !allowed: what the kind supports instead
  bool smooth_allowed = false;
  std::string smooth_refusal = "this kind takes constant or per-layer weights only";
  /// Stacks and smooth controls (the continuous-flow kinds).
  static StackPolicy with_smooth() {
    StackPolicy p;
    p.smooth_allowed = true;
    return p;
  }
};

/// One basis function of a smooth control: {"power": e} (t^e; e = 0 is the constant 1),
/// {"sin": ω} (sin ωt) or {"cos": ω} (cos ωt), ω an exact number.
template <class T> Basis<T> read_basis(const ConfigNode& b) {
  b.require_object("a basis object {\"power\": e}, {\"sin\": ω} or {\"cos\": ω}");
  b.only_keys({"power", "sin", "cos"});
  if (b.json().size() != 1) b.fail("exactly one of \"power\", \"sin\", \"cos\"");
  Basis<T> out;
  if (auto e = b.find("power")) {
    const long k = e->as_int(0, 64);
    out.kind = k == 0 ? Basis<T>::one : Basis<T>::power;
    out.exponent = static_cast<int>(k);
  } else if (auto w = b.find("sin")) {
    out.kind = Basis<T>::sine;
    out.omega = w->as_entry<T>(false);
  } else {
    out.kind = Basis<T>::cosine;
    out.omega = b.at("cos").as_entry<T>(false);
  }
  return out;
}

/// `boxes`: every weight entry and β may be an interval text (parameter boxes; see read_matrix).
template <class T> ModelConfig<T> read_model(const ConfigNode& model, const StackPolicy& stack = {}, bool boxes = false) {
  model.require_object("a model object");
  ModelConfig<T> mc;
  mc.d = static_cast<std::size_t>(model.at("dim").as_int(1, kMaxDim));
  if (auto s = model.find("sphere")) {
    if (!s->json().is_boolean()) s->fail("true or false");
    mc.sphere = s->json().template get<bool>();
  }
  if (auto bs = model.find("basis")) {
    if (!stack.smooth_allowed) bs->fail("no \"basis\" (smooth time-varying control) in this kind: " + stack.smooth_refusal);
    if (!model.has("layers")) bs->fail("a smooth control needs \"layers\": one coefficient layer per basis function");
  }
  if (auto ls = model.find("layers")) {
    if (!stack.allowed) ls->fail("no \"layers\" in this kind: " + stack.refusal);
    model.only_keys({"dim", "sphere", "layers", "basis"});
    ls->require_array("an array of layer objects (one per layer of the stack)");
    if (ls->size() == 0) ls->fail("at least one layer");
    if (ls->size() > static_cast<std::size_t>(kMaxLayers)) ls->fail("at most " + std::to_string(kMaxLayers) + " layers");
    for (std::size_t k = 0; k < ls->size(); ++k) mc.layers.push_back(read_layer<T>(ls->index(k), mc.d, false, boxes));
    mc.stacked = true;
    if (auto bs = model.find("basis")) {
      bs->require_array("an array of basis objects, one per layer");
      if (bs->size() != ls->size())
        bs->fail("one basis function per coefficient layer (" + std::to_string(ls->size()) + " layers)",
                 std::to_string(bs->size()) + " basis functions");
      for (std::size_t k = 0; k < bs->size(); ++k) mc.basis.push_back(read_basis<T>(bs->index(k)));
      // the coefficient layers are combined entrywise: the field's own shape check (heads, forms,
      // biases, MLP width and activation, causal flag), reported at /model/layers
      try {
        (void)TransformerField<T>(1, static_cast<Eigen::Index>(mc.d), Control<T>::smooth(mc.basis, mc.layers), mc.sphere);
      } catch (const std::invalid_argument& e) {
        ls->fail(std::string("coefficient layers of one shape (") + e.what() + ")");
      }
    }
  } else {
    mc.layers.push_back(read_layer<T>(model, mc.d, true, boxes));
  }
  return mc;
}

/// The field's control for a stack of m layers on [0, T]: layer k on [kT/m, (k+1)T/m)
/// (right-continuous pieces); the breakpoints kT/m must be binary64 numbers (ConfigError at
/// /model/layers otherwise) so that an Euler grid of depth L = jm hits them exactly.
/// A smooth control (mc.basis non-empty) is Control::smooth(basis, layers) for any horizon.
template <class T> Control<T> stack_control(const ConfigNode& model, const ModelConfig<T>& mc, const Rational& horizon) {
  if (mc.smooth()) return Control<T>::smooth(mc.basis, mc.layers);
  if (!mc.stacked || mc.layers.size() == 1) return Control<T>::constant(mc.layer());
  const auto m = static_cast<long>(mc.layers.size());
  std::vector<double> bps;
  for (long k = 1; k < m; ++k) {
    const Rational b = horizon * Rational(k) / Rational(m);
    const double bd = static_cast<double>(b);
    if (Rational(bd) != b)
      model.at("layers").fail("a number of layers m for which every kT/m is a binary64 number (e.g. T and m powers of "
                              "two), so that layer k acts exactly on [kT/m, (k+1)T/m)",
                              std::to_string(m) + " layers with horizon T = " + certiformer::to_string(horizon));
    bps.push_back(bd);
  }
  return Control<T>::piecewise(std::move(bps), mc.layers);
}

/// Refuses activation relu for a kind that integrates the continuous flow (ConfigError at
/// model.mlp.activation naming the kind): the validated Taylor–Lohner integrator needs a C^p field
/// and ReLU is not C¹ (docs/transformer.md, "ReLU").
template <class T> void refuse_relu_for_flow(const ConfigNode& model, const ModelConfig<T>& mc, const std::string& kind) {
  for (std::size_t k = 0; k < mc.layers.size(); ++k) {
    if (mc.layers[k].smooth()) continue;
    const ConfigNode layer = mc.stacked ? model.at("layers").index(k) : model;
    layer.at("mlp").at("activation")
      .fail("a smooth activation (\"tanh\", \"softplus\", \"gelu_tanh\"): " + kind +
                " refuses activation relu — it integrates the continuous flow with a validated Taylor–Lohner method, "
                "which needs a C^p field, and ReLU is not C¹",
            "\"relu\"");
  }
}

/// "tokens": n × d (n ≤ kMaxTokens); `boxes`: entries may be interval texts (a box of initial tokens).
/// Whether the JSON under `n` holds an interval text "[a, b]" with a < b (a parameter-box
/// coordinate; "[a, a]" is the number a).
inline bool holds_box(const Json& n) {
  if (n.is_string()) {
    const auto& s = n.get_ref<const std::string&>();
    if (!is_interval_text(s)) return false;
    try {
      return !parse_exact_interval(s).is_point();
    } catch (const std::exception&) {
      return false;  // malformed: the reader reports it at its path
    }
  }
  if (n.is_array() || n.is_object())
    for (const auto& c : n) if (holds_box(c)) return true;
  return false;
}

template <class T> Mat<T> read_tokens(const ConfigNode& tk, std::size_t d, bool boxes = false) {
  Mat<T> X0 = tk.matrix<T>(std::nullopt, d, "tokens are n × d (d = model.dim)", boxes);
  if (X0.rows() > kMaxTokens) tk.fail("at most " + std::to_string(kMaxTokens) + " tokens");
  return X0;
}

}  // namespace certiformer::cert::transformer_config
