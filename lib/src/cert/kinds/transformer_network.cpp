// Config kind "transformer.network": the tokens after L layers of the residual (discrete)
// Transformer network X^{k+1} = X^k + ε f(X^k) (mathematics.md §1 "Depth as time"; the sphere
// model renormalises every token after each layer).
//
// Config: {"kind": "transformer.network", "model": {as transformer.flow}, "tokens": n×d,
//          "depth": L (integer in [1, 1000000]; optional with "layers", then equal to their number),
//          "step": ε (> 0, optional, default 1),
// With "model": {"dim", "sphere"?, "layers": [layer, …]} layer k has its own weights:
// X^{k+1} = X^k + ε f_k(X^k) (a depth-L stack, ode::enclose_stack_iterates).
//          "wrapping": "box" (default) | "qr", "precision", "claims": optional}
// Results: "tokens_at_depth" (n×d enclosures of the exact real X^L), claim "network_enclosed"
// (proved when all L layers were enclosed). An enclosure that fails (a sphere token that may be
// 0, overflow) is an EnclosureFailure naming the layer reached; nothing is claimed.
// It is the discrete enclosure behind euler.error (euler::enclose_discrete_iterates) for one
// depth and an arbitrary step, e.g. ε = 1 for a stack `x = x + layer(x)` (certiformer.torch).
//
// Registry entry: transformer_network_kind() (namespace certiformer::cert).
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/transformer.hpp"
#include "certiformer/transformer/instances.hpp"
#include "transformer_model.hpp"

#include <string>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::transformer;
using namespace certiformer::cert::transformer_config;

struct TransformerNetworkKind {
  static constexpr const char* name = "transformer.network";
  static constexpr const char* description =
      "enclose the tokens X^L after L residual layers X^{k+1} = X^k + eps f(X^k) (the discrete network)";
  static std::vector<std::string> fields() { return {"model", "tokens", "depth", "step", "wrapping"}; }

  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    const ModelConfig<T> mc = read_model<T>(cfg.at("model"));
    const std::size_t d = mc.d;
    const Mat<T> X0 = read_tokens<T>(cfg.at("tokens"), d);
    std::size_t L = mc.layers.size();
    if (!mc.stacked || cfg.has("depth")) {  // required for one shared layer
      const ConfigNode dp = cfg.at("depth");
      L = static_cast<std::size_t>(dp.as_int(1, 1000000));
      if (mc.stacked && L != mc.layers.size())
        dp.fail("the number of layers in model.layers (" + std::to_string(mc.layers.size()) + ") or no \"depth\"");
    }
    T eps(1);
    if (auto s = cfg.find("step")) {
      if (!(s->as_rational() > 0)) s->fail("a positive step");
      eps = s->as_number<T>();
    }
    ode::Wrapping wrapping = ode::Wrapping::box;
    if (auto w = cfg.find("wrapping")) {
      const std::string ws = w->as_string("\"box\" or \"qr\"");
      if (ws == "qr") wrapping = ode::Wrapping::qr;
      else if (ws != "box") w->fail("\"box\" or \"qr\"");
    }
    ctx.check_budget("transformer.network");
    const auto n = X0.rows();
    const Eigen::Index block = mc.sphere ? static_cast<Eigen::Index>(d) : 0;
    ode::MapResult<T> r;
    if (mc.stacked) {  // layer k's own weights at step k
      std::vector<TransformerField<T>> fields;
      fields.reserve(mc.layers.size());
      for (const auto& l : mc.layers) fields.emplace_back(n, static_cast<Eigen::Index>(d), Control<T>::constant(l), mc.sphere);
      r = ode::enclose_stack_iterates<T>(fields, flatten_tokens(X0), eps, wrapping, block);
    } else {
      TransformerField<T> f(n, static_cast<Eigen::Index>(d), Control<T>::constant(mc.layer()), mc.sphere);
      r = ode::enclose_euler_iterates<T>(f, flatten_tokens(X0), eps, L, T(0), wrapping, block);
    }
    if (!r.verdict.is_proved())
      throw std::domain_error("transformer.network: " + r.verdict.reason() + " (enclosed " +
                              std::to_string(r.steps_done) + " of " + std::to_string(L) + " layers)");
    out.add("tokens_at_depth", unflatten_tokens(r.iterates.back(), static_cast<Eigen::Index>(d)));
    out.add_claim("network_enclosed", "the exact real network's tokens after L layers lie in tokens_at_depth",
                  r.verdict);
  }
};

}  // namespace

KindInfo transformer_network_kind() { return make_kind<TransformerNetworkKind>(); }

}  // namespace certiformer::cert
