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
#include "transformer_model.hpp"

#include <string>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::transformer;
using namespace certiformer::cert::transformer_config;
using certiformer::ode::FlowResult;
using certiformer::ode::TaylorOptions;
using certiformer::ode::enclose_flow;

struct TransformerFlowKind {
  static constexpr const char* name = "transformer.flow";
  static constexpr const char* description =
      "enclose the tokens X_i(T) of the n-token Transformer flow (validated Taylor-Lohner integrator)";
  static std::vector<std::string> fields() { return {"model", "tokens", "horizon", "order"}; }

  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    const ModelConfig<T> mc = read_model<T>(cfg.at("model"));
    const std::size_t d = mc.d;
    const bool sphere = mc.sphere;
    const Layer<T>& layer = mc.layer;
    const Mat<T> X0 = read_tokens<T>(cfg.at("tokens"), d);
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
    opt.on_step = ctx.flow_callback(T_end);
    ctx.phase("flow");
    const auto n = X0.rows();
    TransformerField<T> f(n, static_cast<Eigen::Index>(d), Control<T>::constant(layer), sphere);
    FlowResult<T> r = enclose_flow<T>(f, 0.0, flatten_tokens(X0), T_end, opt);
    ctx.clear();
    if (!r.verdict.is_proved())
      throw std::domain_error("transformer.flow: " + r.verdict.reason() + " (the flow is enclosed on [0, " +
                              std::to_string(r.t_reached) + "]; that time is a certified lower bound of the existence time)");
    out.add("tokens_at_horizon", unflatten_tokens(r.enclosure, static_cast<Eigen::Index>(d)));
    out.add_info("steps", std::to_string(r.step_count));  // differs between precisions: not compared by check
    out.add_claim("flow_enclosed", "the exact flow exists on [0, T] and X(T) lies in tokens_at_horizon", r.verdict);
  }
};

}  // namespace

KindInfo transformer_flow_kind() { return make_kind<TransformerFlowKind>(); }

}  // namespace certiformer::cert
