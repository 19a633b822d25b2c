// Config kind "transformer.flow": validated flow of an n-token Transformer system (docs/mathematics.md §1).
//
// Config: {"kind": "transformer.flow",
//          "model": {"dim": d, "beta": β, "W": d×d (optional), "b": d (optional),
//                    "heads": [{"Q": dk×d, "K": dk×d, "V": d×d, "bQ"?, "bK"?: dk, "bV"?: d}
//                              or {"B": d×d, "V": d×d, "bV"?: d}, …],
//                    "sphere": false (optional), "causal": false (optional), "mlp": {"W1": w×d,
//                    "b1": w (optional), "W2": d×w, "b2": d (optional),
//                    "activation": "tanh" | "softplus" | "gelu_tanh"} (optional; "relu" is refused:
//                    the validated integrator needs a C^p field)},
//          or a stack with per-layer weights {"dim": d, "sphere"?: bool, "layers": [layer, …]} (each layer
//          object as above without "dim"/"sphere"; layer k acts on [kT/m, (k+1)T/m), so kT/m must
//          be binary64 numbers; such a time-dependent control runs on the Taylor–Lohner engine),
//          or a smooth control {"dim", "sphere"?, "basis": [φ_0, …], "layers": [θ_0, …]},
//          θ(t) = Σ_k φ_k(t)θ_k, φ ∈ {"power": e} (t^e) | {"sin": ω} | {"cos": ω} (Taylor–Lohner),
//          "tokens": n×d (numbers or interval texts "[a, b]": a box of initial tokens, enclosed for
//          every x0 in it — sets propagate in both engines), "horizon": T > 0, "order": p (optional,
//          Taylor order; default auto),
//          "method": "auto" | "structured" | "taylor_lohner" (optional, default "auto"),
//          "precision": optional, "claims": optional}
// The integrator is chosen in the transformer module (transformer/flow.hpp): "auto" uses the
// structured matrix engine for attention models in its scope (binary64, constant layer without
// MLP, sphere or features) and the Taylor–Lohner engine otherwise; "structured" is refused (config
// error at /method) for a model outside that scope and runs Taylor–Lohner above binary64 (the
// re-run of `certiformer check`).
// Results: "tokens_at_horizon" (n×d enclosures of the exact tokens X_i(T), for every initial token
// matrix in the box; then also the text "parameter_box" and claim statements starting "for every
// parameter in the box: ", as euler.error), "steps" (text: number
// of validated steps), "method" (text: the engine used and why), and the claim "flow_enclosed"
// (proved when the flow was enclosed on the whole of [0, T]). If the integrator cannot reach T, the run fails with the time reached
// (a certified lower bound of the existence time) and nothing is claimed.
// Every number is exact text (ConfigNode::as_number encloses the rational it spells).
//
// Registry entry: transformer_flow_kind() (namespace certiformer::cert).
#include "flow_method.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/transformer/flow.hpp"
#include "certiformer/transformer/instances.hpp"
#include "transformer_model.hpp"

#include <string>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::transformer;
using namespace certiformer::cert::transformer_config;

struct TransformerFlowKind {
  static constexpr const char* name = "transformer.flow";
  static constexpr const char* description =
      "enclose the tokens X_i(T) of the n-token Transformer flow (validated structured or Taylor-Lohner integrator)";
  static std::vector<std::string> fields() { return {"model", "tokens", "horizon", "order", "method"}; }

  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    const ModelConfig<T> mc = read_model<T>(cfg.at("model"), StackPolicy::with_smooth());
    refuse_relu_for_flow(cfg.at("model"), mc, "transformer.flow");
    const std::size_t d = mc.d;
    const bool sphere = mc.sphere;
    const Mat<T> X0 = read_tokens<T>(cfg.at("tokens"), d, true);  // a token box: every x0 in it
    const bool box = holds_box(cfg.at("tokens").json());
    const ConfigNode hz = cfg.at("horizon");
    const Rational Tq = hz.as_rational();
    if (!(Tq > 0)) hz.fail("a positive horizon");
    const double T_end = static_cast<double>(Tq);
    if (Rational(T_end) != Tq)
      hz.fail("a horizon that is a binary64 number (e.g. 1, 0.5, 0.25, 0x1.8p-1)",
              "\"" + hz.as_text() + "\" (not exactly representable)");
    TransformerFlowOptions opt;
    if (auto o = cfg.find("order")) opt.order = static_cast<int>(o->as_int(2, 200));
    opt.method = read_flow_method(cfg);
    opt.on_step = ctx.flow_callback(T_end);
    ctx.phase("flow");
    const auto n = X0.rows();
    TransformerField<T> f(n, static_cast<Eigen::Index>(d), stack_control<T>(cfg.at("model"), mc, Tq), sphere);
    if (opt.method == FlowMethod::structured)
      if (const auto why = structured_flow_refusal(f))
        cfg.at("method").fail("a method the model allows (\"auto\" or \"taylor_lohner\"); the structured engine does not "
                              "support " + *why, "\"structured\"");
    TransformerFlowResult<T> r = enclose_transformer_flow<T>(f, flatten_tokens(X0), T_end, opt);
    ctx.clear();
    if (!r.verdict.is_proved())
      throw std::domain_error("transformer.flow: " + r.verdict.reason() + " (the flow is enclosed on [0, " +
                              std::to_string(r.t_reached) + "]; that time is a certified lower bound of the existence time)");
    out.add("tokens_at_horizon", unflatten_tokens(r.enclosure, static_cast<Eigen::Index>(d)));
    out.add_info("steps", std::to_string(r.step_count));  // differs between precisions: not compared by check
    out.add_info("method", std::string(flow_method_name(r.method)) + " (" + r.method_reason + ")");
    if (box)
      out.add_text("parameter_box", "true: every result and claim holds for every initial token matrix in the box of "
                                    "the interval tokens (each interval entry an independent coordinate)");
    out.add_claim("flow_enclosed",
                  std::string(box ? "for every parameter in the box: " : "") +
                      "the exact flow exists on [0, T] and X(T) lies in tokens_at_horizon",
                  r.verdict);
  }
};

}  // namespace

KindInfo transformer_flow_kind() { return make_kind<TransformerFlowKind>(); }

}  // namespace certiformer::cert
