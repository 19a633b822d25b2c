// Config kind "transformer.flow": validated flow of an n-token Transformer system (SPEC §1).
//
// Config: {"kind": "transformer.flow",
//          "model": {"dim": d, "beta": β, "W": d×d (optional), "b": d (optional),
//                    "heads": [{"Q": dk×d, "K": dk×d, "V": d×d} or {"B": d×d, "V": d×d}, …],
//                    "sphere": false (optional), "mlp": {"W1": w×d, "b1": w (optional),
//                    "W2": d×w, "b2": d (optional), "activation": "tanh" | "softplus" | "gelu_tanh"}
//                    (optional)},
//          "tokens": n×d, "horizon": T > 0, "order": p (optional, Taylor order; default auto),
//          "precision": optional, "claims": optional}
// Results: "tokens_at_horizon" (n×d enclosures of the exact tokens X_i(T)), "steps" (text: number
// of validated steps), and the claim "flow_enclosed" (proved when the flow was enclosed on the
// whole of [0, T]). If the integrator cannot reach T, the run fails with the time reached
// (a certified lower bound of the existence time) and nothing is claimed.
// Every number is exact text (ConfigNode::as_number encloses the rational it spells).
//
// Registry entry: transformer_flow_kind() (namespace certiformer::cert).
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/transformer.hpp"

#include <string>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::transformer;
using certiformer::ode::FlowResult;
using certiformer::ode::TaylorOptions;
using certiformer::ode::enclose_flow;

constexpr long kMaxTokens = 4096;
constexpr long kMaxDim = 1024;

template <class T> Mat<T> read_matrix(const ConfigNode& n, std::size_t rows, std::size_t cols, const std::string& what) {
  return n.matrix<T>(rows, cols, what);
}

template <class T> Head<T> read_head(const ConfigNode& h, std::size_t d) {
  h.require_object("a head object {\"Q\", \"K\", \"V\"} or {\"B\", \"V\"}");
  Head<T> H;
  H.V = read_matrix<T>(h.at("V"), d, d, "V is d × d");
  if (h.has("B")) {
    h.only_keys({"B", "V"});
    H.B = read_matrix<T>(h.at("B"), d, d, "B = KᵀQ is d × d");
  } else {
    h.only_keys({"Q", "K", "V"});
    const ConfigNode q = h.at("Q");
    H.Q = q.matrix<T>(std::nullopt, d, "Q is d_k × d");
    H.K = read_matrix<T>(h.at("K"), static_cast<std::size_t>(H.Q.rows()), d, "K has the shape of Q (d_k × d)");
  }
  return H;
}

template <class T> Layer<T> read_layer(const ConfigNode& m, std::size_t d, bool& sphere) {
  m.require_object("a model object");
  m.only_keys({"dim", "beta", "W", "b", "heads", "sphere", "mlp"});
  Layer<T> l;
  l.beta = m.at("beta").as_number<T>();
  if (!certainly_positive(l.beta)) m.at("beta").fail("a positive number");
  if (auto w = m.find("W")) l.W = read_matrix<T>(*w, d, d, "W is d × d");
  if (auto b = m.find("b")) l.b = b->vector<T>(d, "b has d entries");
  const ConfigNode hs = m.at("heads");
  hs.require_array("an array of heads");
  for (std::size_t i = 0; i < hs.size(); ++i) l.heads.push_back(read_head<T>(hs.index(i), d));
  sphere = false;
  if (auto s = m.find("sphere")) {
    if (!s->json().is_boolean()) s->fail("true or false");
    sphere = s->json().template get<bool>();
  }
  if (auto mm = m.find("mlp")) {
    mm->require_object("an mlp object");
    mm->only_keys({"W1", "b1", "W2", "b2", "activation"});
    Mlp<T> M;
    M.W1 = mm->at("W1").matrix<T>(std::nullopt, d, "W1 is width × d");
    const auto width = static_cast<std::size_t>(M.W1.rows());
    if (auto b1 = mm->find("b1")) M.b1 = b1->vector<T>(width, "b1 has width entries");
    M.W2 = read_matrix<T>(mm->at("W2"), d, width, "W2 is d × width");
    if (auto b2 = mm->find("b2")) M.b2 = b2->vector<T>(d, "b2 has d entries");
    const std::string act = mm->find("activation") ? mm->at("activation").as_string("an activation name") : "tanh";
    if (act == "tanh") M.activation = Activation::tanh;
    else if (act == "softplus") M.activation = Activation::softplus;
    else if (act == "gelu_tanh") M.activation = Activation::gelu_tanh;
    else mm->at("activation").fail("\"tanh\", \"softplus\" or \"gelu_tanh\"");
    l.mlp = std::move(M);
  }
  return l;
}

struct TransformerFlowKind {
  static constexpr const char* name = "transformer.flow";
  static constexpr const char* description =
      "enclose the tokens X_i(T) of the n-token Transformer flow (validated Taylor-Lohner integrator)";
  static std::vector<std::string> fields() { return {"model", "tokens", "horizon", "order"}; }

  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    const ConfigNode model = cfg.at("model");
    model.require_object("a model object");
    const auto d = static_cast<std::size_t>(model.at("dim").as_int(1, kMaxDim));
    bool sphere = false;
    const Layer<T> layer = read_layer<T>(model, d, sphere);
    const ConfigNode tk = cfg.at("tokens");
    const Mat<T> X0 = tk.matrix<T>(std::nullopt, d, "tokens are n × d (d = model.dim)");
    if (X0.rows() > kMaxTokens) tk.fail("at most " + std::to_string(kMaxTokens) + " tokens");
    const ConfigNode hz = cfg.at("horizon");
    const Rational Tq = hz.as_rational();
    if (!(Tq > 0)) hz.fail("a positive horizon");
    const double T_end = static_cast<double>(Tq);
    if (Rational(T_end) != Tq)
      hz.fail("a horizon that is a binary64 number (e.g. 1, 0.5, 0.25, 0x1.8p-1)",
              "\"" + hz.as_text() + "\" (not exactly representable)");
    TaylorOptions opt;
    if (auto o = cfg.find("order")) opt.order = static_cast<int>(o->as_int(2, 200));
    opt.record_steps = false;
    const std::size_t ticks = 1000;
    opt.on_step = [&](double t) {
      ctx.progress(static_cast<std::size_t>(static_cast<double>(ticks) * t / T_end), ticks, "time");
    };
    const auto n = X0.rows();
    TransformerField<T> f(n, static_cast<Eigen::Index>(d), Control<T>::constant(layer), sphere);
    FlowResult<T> r = enclose_flow<T>(f, 0.0, flatten_tokens(X0), T_end, opt);
    ctx.clear();
    if (!r.verdict.is_proved())
      throw std::domain_error("transformer.flow: " + r.verdict.reason() + " (the flow is enclosed on [0, " +
                              std::to_string(r.t_reached) + "]; that time is a certified lower bound of the existence time)");
    out.add("tokens_at_horizon", unflatten_tokens(r.enclosure, static_cast<Eigen::Index>(d)));
    out.add_text("steps", std::to_string(r.step_count));
    out.add_claim("flow_enclosed", "the exact flow exists on [0, T] and X(T) lies in tokens_at_horizon", r.verdict);
  }
};

}  // namespace

KindInfo transformer_flow_kind() { return make_kind<TransformerFlowKind>(); }

}  // namespace certiformer::cert
