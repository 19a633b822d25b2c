// Config kind "euler.error": certified Euler discretization errors of the n-token Transformer
// system (docs/mathematics.md §2, paper P2; library: certiformer/euler.hpp; docs/euler.md).
//
// Config: {"kind": "euler.error",
//          "model": {as transformer.flow: dim, beta, W, b, heads (bQ, bK, bV), sphere, causal, mlp;
//                    activation "relu" refused (the flow needs a C^p field)}, or a stack with
//                    per-layer weights {"dim", "sphere"?, "layers": [layer, …]} (as transformer.flow:
//                    layer k on [kT/m, (k+1)T/m); every depth a multiple of m), or a smooth
//                    control {"dim", "sphere"?, "basis", "layers"} (as transformer.flow; layer k of a
//                    depth-L network uses θ(t_k), any depth; gradient blocks layers[k].<name>),
//          "tokens": n×d, "horizon": T > 0 (a binary64 number), "depths": [L₁ < L₂ < …] (integers ≥ 1),
//          "order": p (optional, Taylor order of the validated flow; both engines),
//          "method": "auto" (default) | "structured" | "taylor_lohner": the engine of the
//                    validated flow — auto takes the structured matrix engine
//                    (transformer/structured_flow.hpp, dense output at the grid times) for binary64
//                    attention models in its scope (one constant layer, no MLP, sphere, features,
//                    causal mask or head biases), Taylor–Lohner otherwise or when the structured run
//                    stops early; "structured" for a model outside the scope → ConfigError,
//          "flow_tolerance": per-step tolerance of the structured engine (optional, > 0; default
//                    auto: min(1e-11, 1e-9/L_max), with order 12 — euler::structured_euler_tolerance),
//          "wrapping": "auto" (default: for n·d > 256 the structured center/radius iterates
//                      (transformer/structured_euler.hpp) when the model is in the structured
//                      scope and the precision is binary64, else "box" when the tokens are exact
//                      points and n·d > 256, else "qr") | "qr" (mean-value form + QR, for wide
//                      boxes; n·d Jacobian directions per layer) | "box" (plain interval
//                      evaluation; fast and tight for exact point tokens at moderate n·d),
//          "readout": optional {"Gamma": K×d, "labels": [y_i ∈ 0..K−1, one per token],
//                               "samples": N, "delta": δ ∈ (0,1), "classes": |Θ| ≥ 1 (optional),
//                               "gradient_depth": L (optional; default the deepest depth),
//                               "uniform_risk": true | false (optional; default: true when the model
//                                 has a parameter box and samples/delta are given),
//                               "lipschitz_splits": s (optional, 1…64, default 1: Λ from interval
//                                 gradients on s^P sub-boxes of the P box coordinates; s^P ≤ 65536),
//                               "covering_radius": r (optional, exact text > 0: the bound at this ℓ∞
//                                 radius, rounded down to a binary64 number, instead of the radius
//                                 search; `check` re-derives a certificate's bound at its radius),
//                               "gradient": true | false (optional, default true: false skips the
//                                 discrete adjoint — no gradient, no not_stationary claim, no flow
//                                 gradient; e.g. on a wide parameter box, where the gradient
//                                 enclosure contains 0 and the claim would be unknown)},
//          "precision": optional, "claims": optional}
// Info: flow_steps, flow_method (the engine used, why, its order and tolerance), iterates_method
//   (how the discrete iterates were enclosed).
// Results (per-depth results are JSON objects keyed by the depth as a string,
// {"16": {lo, hi, lo_hex, hi_hex}, …}; as claim quantities they are called "<name>[L]"):
//   error_by_depth[L] ∋ err_L, order_ratio_by_depth[L] ∋ err_L/ε, aposteriori_bound_by_depth[L]
//   (the a-posteriori bound, ≥ err_L), tightness_by_depth[L] ∋ C_thm/(err_L/ε),
//   theorem_constant ∋ C_thm, radius, M, L_x, L_mu (the certified constants used),
//   theorem_constant_tube, M_tube, L_tube (the same formula with M, L over the enclosed
//   trajectories; Euclidean model, constant control, n·d ≤ 256), and with a
//   read-out: loss_flow ∋ R_∞, loss_by_depth[L] ∋ R_L, risk_gap_by_depth[L] (≥ |R_L − R_∞|),
//   loss_lipschitz, loss_range, and with samples/delta: hoeffding, finite_class; loss ∋ R_{L_max},
//   risk_gap (≥ |R_{L_max} − R_∞|), gradient ∋ ∇_θ R_{L_g} (L_g = gradient_depth; discrete adjoint; entry names in
//   gradient_parameters) and the claim not_stationary when 0 ∉ the gradient enclosure; with a
//   parameter box in the model and samples/delta (docs/euler.md §11): uniform_risk_bound (≥ the
//   covering-number bound B √(log(2N(Θ,r)/δ)/(2N)) + 2Λr at the chosen r), covering_radius (r),
//   covering_log_number (≥ log N(Θ, r)), parameter_lipschitz (Λ), uniform_risk_loss_range (B),
//   texts uniform_risk_parameters (the box coordinates) and uniform_risk_scope (the statement).
// Kind claims per depth (none for the sphere model; no error_le_theorem for a smooth control, whose
// theorem constant — the L_θΛ term — is not implemented: theorem_constant_status says so):
// error_le_theorem_L<L> (err_L ≤ C_thm ε), error_le_theorem_tube_L<L>
// (err_L ≤ C_tube ε, when C_tube was obtained), error_le_aposteriori_L<L> (only
// where the a-posteriori bound was obtained; otherwise aposteriori_status_by_depth[L] gives the reason).
// Parameter boxes: β and every weight entry (W, b, heads Q/K/B/V/bQ/bK/bV, mlp W1/b1/W2/b2, also
// per layer under "layers") and every token entry may be an interval text "[a, b]"; every result
// and claim then holds for every parameter in the box (text result parameter_box; claim statements
// start "for every parameter in the box: "); an interval horizon or read-out entry → exit 65 at its path.
// Bad input (depths not positive increasing integers, horizon ≤ 0, tokens of the wrong
// dimension, a label outside the classes, …) → ConfigError with the JSON path (exit 65).
//
// Registry entry: euler_error_kind() (namespace certiformer::cert).
#include "flow_method.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/check.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/euler.hpp"
#include "certiformer/euler/instances.hpp"
#include "transformer_model.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::transformer;
using namespace certiformer::cert::transformer_config;
using namespace certiformer::euler;

inline constexpr long kMaxDepth = 1L << 20;


/// The model's parameter-box coordinates (docs/euler.md §11): every interval text "[a, b]" with
/// a < b under `node`, named as GradientEnclosure::names names the parameter (object keys joined
/// by ".", array indices as "[i]": beta, heads[0].Q[1][0], W[0][1], mlp.W1[0][0], layers[1].b[0]),
/// with the interval enclosing [a, b].
template <class T>
void collect_box_coordinates(const ConfigNode& node, const std::string& name, std::vector<std::string>& names,
                             std::vector<T>& box) {
  if (node.is_object()) {
    for (const auto& [k, c] : node.members()) collect_box_coordinates<T>(c, name.empty() ? k : name + "." + k, names, box);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      collect_box_coordinates<T>(node.index(i), name + "[" + std::to_string(i) + "]", names, box);
  } else if (node.is_text() && holds_box(node.json())) {
    names.push_back(name);
    box.push_back(node.template as_enclosure<T>());
  }
}

/// "for every parameter in the box: " before a claim statement of a box run (nothing otherwise).
std::string box_prefix(bool box) { return box ? "for every parameter in the box: " : ""; }

struct EulerErrorKind {
  static constexpr const char* name = "euler.error";
  static constexpr const char* description =
      "certified Euler discretization error table of a Transformer (true error, a-posteriori bound, theorem constant)";
  static std::vector<std::string> fields() {
    return {"model", "tokens", "horizon", "depths", "order", "method", "flow_tolerance", "wrapping", "readout"};
  }
  /// The uniform risk bound and its ingredients bound a supremum over the box, and the bound's
  /// probability statement (level 1 − δ) assumes the population's tokens lie in the run's token
  /// box: split into sub-boxes they are other statements (each at level 1 − δ for its own
  /// sub-box), whose union is not the whole box's (docs/euler.md §11; review finding, s7).
  static std::vector<std::string> box_level_results() {
    return {"uniform_risk_bound", "covering_radius", "covering_log_number", "parameter_lipschitz",
            "uniform_risk_loss_range"};
  }

  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    using R = real_t<T>;
    // ---- read and validate everything first --------------------------------------------------
    // Parameter boxes (docs/euler.md "Parameter boxes"): β and every weight entry of the model
    // (also per layer), and every initial token entry, may be an interval text "[a, b]"; the
    // field and the iterates are then evaluated with these intervals, so every result and claim
    // holds for every parameter in the box.
    const ModelConfig<T> mc = read_model<T>(cfg.at("model"), StackPolicy::with_smooth(), true);
    refuse_relu_for_flow(cfg.at("model"), mc, "euler.error");
    const std::size_t d = mc.d;
    const Mat<T> X0 = read_tokens<T>(cfg.at("tokens"), d, true);
    const auto n = X0.rows();
    const bool box = holds_box(cfg.at("model").json()) || holds_box(cfg.at("tokens").json());
    const ConfigNode hz = cfg.at("horizon");
    if (hz.is_text() && is_interval_text(hz.as_text()))
      hz.fail("a number: euler.error takes no interval horizon (the grids t_k = kT/L and the per-layer breakpoints "
              "need one exact T; sweep over T with separate configs)");
    const Rational Tq = hz.as_rational();
    if (!(Tq > 0)) hz.fail("a positive horizon (ε = T/L must be > 0)");
    const double T_end = static_cast<double>(Tq);
    if (Rational(T_end) != Tq)
      hz.fail("a horizon that is a binary64 number (e.g. 1, 0.5, 0.25, 0x1.8p-1)",
              "\"" + hz.as_text() + "\" (not exactly representable)");
    const ConfigNode ds = cfg.at("depths");
    ds.require_array("an array of depths (positive integers, increasing)");
    if (ds.size() == 0) ds.fail("a non-empty array of depths");
    std::vector<std::size_t> depths;
    for (std::size_t i = 0; i < ds.size(); ++i) {
      const long L = ds.index(i).as_int(1, kMaxDepth);
      if (!depths.empty() && static_cast<std::size_t>(L) <= depths.back())
        ds.index(i).fail("a depth larger than the previous one (depths strictly increasing)");
      if (!mc.smooth() && L % static_cast<long>(mc.layers.size()) != 0)
        ds.index(i).fail("a multiple of the number of layers (" + std::to_string(mc.layers.size()) +
                         "), so that every layer acts on whole Euler steps");
      depths.push_back(static_cast<std::size_t>(L));
    }
    EulerOptions opt;
    if (auto o = cfg.find("order")) opt.structured_order = opt.flow.order = static_cast<int>(o->as_int(2, 200));
    opt.flow_method = read_flow_method(cfg);
    if (auto tl = cfg.find("flow_tolerance")) {
      const Rational q = tl->as_rational();
      if (!(q > 0) || !(q < 1)) tl->fail("a per-step tolerance in (0, 1)");
      opt.structured_tolerance = static_cast<double>(q);
      if (!(opt.structured_tolerance > 0)) tl->fail("a per-step tolerance in (0, 1) above the binary64 underflow");
    }
    bool point_tokens = true;
    for (Eigen::Index i = 0; i < X0.size(); ++i) point_tokens = point_tokens && is_point(X0(i));
    // "auto": box for exact point tokens above n·d = 256 (the QR frame's n·d Jacobian
    // directions per layer do not pay off there), the mean-value/QR form otherwise
    opt.wrapping = point_tokens && X0.size() > 256 ? ode::Wrapping::box : ode::Wrapping::qr;
    // and in binary64, above n·d = 256, the structured center/radius iterates when the model is in
    // the structured scope (transformer/structured_euler.hpp; box growth 1 + ε‖|J|‖∞ per layer
    // loses all accuracy at n·d = 4096 over ~150 layers)
    opt.iterates = EulerOptions::Iterates::automatic;
    if (auto w = cfg.find("wrapping")) {
      const std::string ws = w->as_string("\"auto\", \"qr\" or \"box\"");
      if (ws == "box") opt.wrapping = ode::Wrapping::box;
      else if (ws == "qr") opt.wrapping = ode::Wrapping::qr;
      else if (ws != "auto") w->fail("\"auto\", \"qr\" or \"box\"");
      if (ws != "auto") opt.iterates = EulerOptions::Iterates::wrapping;
    }
    opt.flow.wrapping = opt.wrapping;
    std::optional<Readout<T>> ro;
    std::optional<long> samples, classes;
    std::optional<T> delta;
    std::size_t gradient_depth = 0;  // 0: the deepest depth of the table
    const bool model_box = holds_box(cfg.at("model").json());
    bool uniform_risk = false;
    unsigned lipschitz_splits = 1;
    std::optional<double> covering_radius;  // fixed r of the uniform risk bound (else searched)
    FlowGradientMode flow_gradient = FlowGradientMode::direction;
    bool want_gradient = true;
    if (auto r = cfg.find("readout")) {
      r->require_object("a read-out object {\"Gamma\", \"labels\"}");
      r->only_keys({"Gamma", "labels", "samples", "delta", "classes", "gradient_depth", "flow_gradient", "uniform_risk",
                    "lipschitz_splits", "gradient", "covering_radius"});
      if (auto g = r->find("gradient")) {
        if (!g->json().is_boolean()) g->fail("true or false");
        want_gradient = g->json().template get<bool>();
      }
      if (auto ls = r->find("lipschitz_splits")) lipschitz_splits = static_cast<unsigned>(ls->as_int(1, 64));
      if (auto cr = r->find("covering_radius")) {
        // any r > 0 gives a valid bound (docs/euler.md §11): the exact text is rounded down to a
        // binary64 number, which the certificate reports as the radius used
        const Rational q = cr->as_rational();
        const double lo = (q > 0) ? enclose_interval(q).lower() : 0.0;
        if (!(lo > 0) || !std::isfinite(lo)) cr->fail("a covering radius r > 0 (at least the smallest positive double)");
        covering_radius = lo;
      }
      if (auto gd = r->find("gradient_depth")) {
        gradient_depth = static_cast<std::size_t>(gd->as_int(1, kMaxDepth));
        if (!mc.smooth() && gradient_depth % mc.layers.size() != 0)  // as for `depths` (review finding)
          gd->fail("a multiple of the number of layers (" + std::to_string(mc.layers.size()) +
                   "), so that every layer acts on whole Euler steps");
      }
      if (auto fg = r->find("flow_gradient")) {
        const std::string v = fg->as_string("\"none\", \"direction\" or \"all\"");
        if (v == "none") flow_gradient = FlowGradientMode::none;
        else if (v == "all") flow_gradient = FlowGradientMode::all;
        else if (v != "direction") fg->fail("\"none\", \"direction\" or \"all\"");
      }
      Readout<T> rd;
      rd.Gamma = r->at("Gamma").matrix<T>(std::nullopt, d, "Gamma is K × d (d = model.dim)");
      const ConfigNode lb = r->at("labels");
      lb.require_array("an array of labels, one per token");
      if (lb.size() != static_cast<std::size_t>(n))
        lb.fail("one label per token (" + std::to_string(n) + ")", "an array of " + std::to_string(lb.size()));
      for (std::size_t i = 0; i < lb.size(); ++i)
        rd.labels.push_back(static_cast<int>(lb.index(i).as_int(0, rd.Gamma.rows() - 1)));
      if (auto s = r->find("samples")) samples = s->as_int(1, 1L << 62);
      if (auto dl = r->find("delta")) {
        const Rational q = dl->as_rational();
        if (!(q > 0) || !(q < 1)) dl->fail("a probability δ with 0 < δ < 1");
        delta = dl->as_number<T>();
        // δ so close to 0 or 1 that its enclosure reaches them (log(2/δ) unbounded, or δ = 1
        // not excluded): refused here instead of failing inside the Hoeffding bound (review s7)
        if (!certainly_positive(*delta) || !certainly_less(*delta, T(1)))
          dl->fail("a probability δ whose enclosure at this precision lies inside (0, 1)");
      }
      if (auto c = r->find("classes")) classes = c->as_int(1, 1L << 62);
      if (samples.has_value() != delta.has_value())
        r->fail("both \"samples\" and \"delta\" (or neither)", samples ? "only \"samples\"" : "only \"delta\"");
      if (classes && !samples) r->at("classes").fail("\"classes\" together with \"samples\" and \"delta\"");
      // the uniform risk bound over the model's parameter box (docs/euler.md §11)
      uniform_risk = model_box && samples;
      if (auto u = r->find("uniform_risk")) {
        if (!u->json().is_boolean()) u->fail("true or false");
        uniform_risk = u->json().template get<bool>();
        if (uniform_risk && !model_box)
          u->fail("a model with a parameter box (an interval text \"[a, b]\", a < b, as β or a weight entry): the "
                  "uniform risk bound covers the box of parameters (a box of tokens only is the region of the samples)",
                  "true");
        if (uniform_risk && !samples) u->fail("\"uniform_risk\" together with \"samples\" and \"delta\"", "true");
      }
      if (covering_radius && !uniform_risk)
        r->at("covering_radius").fail("\"covering_radius\" with a uniform risk bound (a model parameter box and "
                                      "\"samples\"/\"delta\")");
      ro = std::move(rd);
    }
    // the coordinates of the model's parameter box, named as the gradient names them
    std::vector<std::string> names;
    std::vector<T> pbox;
    if (uniform_risk) {
      std::vector<std::string> all;
      std::vector<T> allbox;
      if (mc.stacked) collect_box_coordinates<T>(cfg.at("model").at("layers"), "layers", all, allbox);
      else collect_box_coordinates<T>(cfg.at("model"), "", all, allbox);
      const bool one_control = mc.layers.size() == 1 && !mc.smooth();  // a constant control: names without "layers[i]."
      for (std::size_t j = 0; j < all.size(); ++j) {
        std::string nm = all[j];
        std::size_t layer = 0;
        if (mc.stacked) {
          layer = static_cast<std::size_t>(std::stoul(nm.substr(7)));  // "layers[i]...."
          if (one_control) nm = nm.substr(nm.find('.') + 1);
        }
        // β of a layer without heads: the loss does not depend on it (no gradient entry), so the
        // cover needs no cells in it
        const std::string tail = nm.substr(nm.rfind('.') == std::string::npos ? 0 : nm.rfind('.') + 1);
        if (tail == "beta" && mc.layers[layer].heads.empty()) continue;
        names.push_back(nm);
        pbox.push_back(allbox[j]);
      }
      double pieces = 1;
      for (std::size_t j = 0; j < names.size(); ++j) pieces *= lipschitz_splits;
      if (pieces > 65536)
        cfg.at("readout").at("lipschitz_splits")
            .fail("at most 65536 sub-boxes (s^P with P = " + std::to_string(names.size()) + " box coordinates)",
                  std::to_string(lipschitz_splits));
    }
    // ---- compute -------------------------------------------------------------------------------
    TransformerField<T> f(n, static_cast<Eigen::Index>(d), stack_control<T>(cfg.at("model"), mc, Tq), mc.sphere);
    if (opt.flow_method == FlowMethod::structured)
      if (const auto why = structured_flow_refusal(f))
        cfg.at("method").fail("a method the model allows (\"auto\" or \"taylor_lohner\"); the structured engine does not "
                              "support " + *why, "\"structured\"");
    // the order table's one validated flow run (its steps and t), then the Euler iterates and
    // tube constants of every depth (no finer count: the ticker shows the elapsed time)
    if (ctx.progress_enabled())
      opt.flow.on_step = [&, report = ctx.flow_callback(T_end)](double t) {
        report(t);
        if (t >= T_end) ctx.phase("order table: tube constants");
      };
    // a stop request (Ctrl-C, an exhausted budget) ends the run between stages, not only inside
    // the validated flow: every stage below is seconds of work that would otherwise run on
    opt.on_depth = [&](std::size_t done, std::size_t total) {
      ctx.check_budget("order table");
      ctx.progress(done, total, "order table: Euler iterates", "steps");
    };
    ctx.phase("order table: flow");
    const OrderTable<T> tab = enclose_order_table<T>(f, flatten_tokens(X0), T_end, depths, opt);
    ctx.clear();
    ctx.check_budget("order table");
    if (!tab.verdict.is_proved()) throw std::domain_error("euler.error: " + tab.verdict.reason());
    const bool have_thm = tab.theorem_verdict.is_proved();
    if (box)
      out.add_text("parameter_box",
                   "true: every result and claim holds for every parameter in the box (each interval input an independent "
                   "coordinate); for every parameter p in the box, err_L(p) lies in error_by_depth[L] (its lower end is "
                   "the minimum of the norm over the difference of the box enclosures of the iterates and of the flow, "
                   "its upper end the maximum: loose in the width of the box), and the constants and the a-posteriori "
                   "bounds are upper bounds over the whole box");
    using Keyed = typename Results<T>::Keyed;
    // per-depth results: JSON objects keyed by the depth as a string ({"16": {lo, hi, …}, …})
    auto by_depth = [&](const std::string& name, auto value_of) {
      Keyed k;
      for (const auto& row : tab.rows)
        if (auto v = value_of(row)) k.emplace_back(std::to_string(row.depth), *v);
      if (!k.empty()) out.add_keyed(name, k);
    };
    using Row = typename std::decay_t<decltype(tab.rows)>::value_type;
    // One-sided results (upper bounds computed for the certified ball / tube; every quantity is
    // ≥ 0 by definition) are written as {"upper": b, "nonnegative": true}: for claims the
    // quantity is [0, b], so "q >= v" can never be proved and "q <= v" is refuted only when
    // 0 > v — the number b bounds the quantity from above and says nothing from below.
    auto ub = [](const R& b) { return UpperBound<R>(b); };  // b is an upper bound by construction
    constexpr auto nonneg = QuantityRange::nonnegative;
    auto by_depth_upper = [&](const std::string& name, auto bound_of) {
      typename Results<T>::KeyedUpper k;
      for (const auto& row : tab.rows)
        if (auto b = bound_of(row)) k.emplace_back(std::to_string(row.depth), *b);
      if (!k.empty()) out.add_keyed(name, k, nonneg);
    };
    by_depth("error_by_depth", [](const Row& r) { return std::optional<T>(r.error); });
    by_depth("order_ratio_by_depth", [](const Row& r) { return std::optional<T>(r.ratio); });
    by_depth_upper("aposteriori_bound_by_depth", [](const Row& r) {
      return r.aposteriori_verdict.is_proved() ? std::optional<UpperBound<R>>(UpperBound<R>(r.aposteriori)) : std::nullopt;
    });
    for (const auto& row : tab.rows)
      if (!row.aposteriori_verdict.is_proved())  // no bound (e.g. the bootstrap tube met a softmax denominator ∋ 0)
        out.add_text("aposteriori_status_by_depth[" + std::to_string(row.depth) + "]", row.aposteriori_verdict.reason());
    if (have_thm) {
      // C_thm computed from upper bounds of M, L_x, L_μ: an upper bound of the theorem's constant
      out.add("theorem_constant", ub(sup(tab.theorem_constant)), nonneg);
      // tightness C_thm/(err_L/ε): an upper bound; omitted where err_L/ε is not certainly > 0
      by_depth_upper("tightness_by_depth", [&](const Row& r) {
        return certainly_positive(r.ratio)
                   ? std::optional<UpperBound<R>>(UpperBound<R>::sup_of(enclose_tightness<T>(tab.theorem_constant, r.ratio)))
                   : std::nullopt;
      });
    } else {
      out.add_text("theorem_constant_status", tab.theorem_verdict.reason());
    }
    if (tab.tube_verdict.is_proved()) {
      // the theorem's constant with M, L taken over the enclosed trajectories (valid for the
      // depths of this table; docs/euler.md §5)
      out.add("theorem_constant_tube", ub(sup(tab.tube_constant)), nonneg);
      out.add("M_tube", ub(tab.tube_M), nonneg);
      out.add("L_tube", ub(tab.tube_L), nonneg);
    } else {
      out.add_info("theorem_constant_tube_status", tab.tube_verdict.reason());
    }
    out.add("radius", ub(tab.radius), nonneg);
    out.add("M", ub(tab.constants.M), nonneg);
    out.add("L_x", ub(tab.constants.L_x), nonneg);
    out.add("L_mu", ub(tab.constants.L_mu), nonneg);
    out.add_info("flow_steps", std::to_string(tab.flow.steps));  // differs between precisions
    out.add_info("flow_method", std::string(flow_method_name(tab.flow.method)) + " (" + tab.flow.method_reason + ")");
    out.add_info("iterates_method", tab.iterates_method);
    if (ro) {
      const auto& deepest = tab.rows.back();
      out.add("loss", enclose_risk<T, T>(*ro, deepest.final_iterate));
      out.add("risk_gap", ub(upper_bound_risk_gap<T>(ro->Gamma, deepest.error)), nonneg);
      out.add("loss_flow", enclose_risk<T, T>(*ro, tab.flow_final));
      by_depth("loss_by_depth", [&](const Row& r) { return std::optional<T>(enclose_risk<T, T>(*ro, r.final_iterate)); });
      by_depth_upper("risk_gap_by_depth",
                     [&](const Row& r) { return std::optional<UpperBound<R>>(ub(upper_bound_risk_gap<T>(ro->Gamma, r.error))); });
      out.add("loss_lipschitz", ub(upper_bound_loss_lipschitz<T>(ro->Gamma)), nonneg);
      const R B = upper_bound_loss_range<T>(ro->Gamma, tab.radius);
      out.add("loss_range", ub(B), nonneg);
      if (samples) {
        out.add("hoeffding", ub(upper_bound_hoeffding<T>(B, *samples, *delta, 1)), nonneg);
        if (classes) out.add("finite_class", ub(upper_bound_hoeffding<T>(B, *samples, *delta, *classes)), nonneg);
      }
    }
    // ---- gradient of the loss of the deepest network (discrete adjoint) --------------------------
    std::optional<GradientEnclosure<T>> grad;
    if (gradient_depth == 0) gradient_depth = depths.back();
    if (ro && want_gradient) {
      ctx.check_budget("discrete adjoint");
      ctx.phase("discrete adjoint (gradient at depth " + std::to_string(gradient_depth) + ")");
      grad = enclose_loss_gradient<T>(f, flatten_tokens(X0), *ro, T(T_end), gradient_depth, opt.wrapping);
      ctx.clear();
      out.add_text("gradient_depth", std::to_string(gradient_depth));
      if (grad->verdict.is_proved()) {
        out.add("gradient", grad->gradient);
        std::string names;
        for (const auto& nm : grad->names) names += (names.empty() ? "" : " ") + nm;
        out.add_text("gradient_parameters", names);
      } else {
        // e.g. the sphere model's adjoint at large depth (the normalisation of a wide iterate):
        // no gradient, the claim on it is unknown, the rest of the certificate stands
        out.add_text("gradient_status", "not enclosed: " + grad->verdict.reason());
      }
    }
    // ---- uniform risk bound over the parameter box by covering numbers (docs/euler.md §11) ------
    if (ro && uniform_risk) {
      std::optional<BoxLipschitz<T>> bl;
      if (!names.empty()) {
        bl = upper_bound_box_lipschitz<T>(f, flatten_tokens(X0), *ro, T(T_end), gradient_depth, names, lipschitz_splits,
                                          opt.wrapping, [&](std::size_t done, std::size_t total) {
                                            ctx.progress(done, total, "uniform risk: sub-box gradients", "sub-boxes");
                                            ctx.check_budget("uniform risk");
                                          });
        ctx.clear();
      }
      if (names.empty()) {
        out.add_text("uniform_risk_status", "not computed: the loss depends on no coordinate of the parameter box");
      } else if (!bl->verdict.is_proved()) {
        out.add_text("uniform_risk_status", "not computed: a gradient over the box was not enclosed (" +
                                                bl->verdict.reason() + ")");
      } else {
        const R Lambda = bl->lipschitz;
        // the range of the per-sample loss J ∈ [loss_lo, loss_hi] over the box (the sub-box
        // gradient runs' enclosures of J), and B_ℓ = log K + 2‖Γ‖R when the depth is one of the table's
        R B = sup(enclose_point<T>(bl->loss_hi) - enclose_point<T>(bl->loss_lo));
        if (std::find(depths.begin(), depths.end(), gradient_depth) != depths.end())
          B = std::min(B, upper_bound_loss_range<T>(ro->Gamma, tab.radius));
        UniformRiskBound<T> u;
        if (covering_radius) {  // the bound at the configured radius (no search)
          u.radius = *covering_radius;
          u.bound = upper_bound_uniform_deviation<T>(B, *samples, *delta, Lambda, pbox, u.radius);
          u.log_covering_number = upper_bound_log_covering_number<T>(pbox, u.radius);
          u.candidates = 1;
        } else {
          u = upper_bound_uniform_risk<T>(B, *samples, *delta, Lambda, pbox);
        }
        out.add("uniform_risk_bound", ub(u.bound), nonneg);
        out.add("covering_radius", exact_point<T>(u.radius));
        out.add("covering_log_number", ub(u.log_covering_number), nonneg);
        out.add("parameter_lipschitz", ub(Lambda), nonneg);
        out.add("uniform_risk_loss_range", ub(B), nonneg);
        std::string pn;
        for (const auto& nm : names) pn += (pn.empty() ? "" : " ") + nm;
        out.add_text("uniform_risk_parameters", pn);
        out.add_text("uniform_risk_scope",
                     "with probability >= 1 - delta over " + std::to_string(*samples) +
                         " i.i.d. samples, for every parameter theta in the box (coordinates uniform_risk_parameters, "
                         "the other parameters fixed) simultaneously: |empirical risk - population risk| <= "
                         "uniform_risk_bound, for the read-out risk of the depth-" + std::to_string(gradient_depth) +
                         " network; assumed, not checked: the samples are i.i.d. and each has its initial tokens in the "
                         "configured token box (the configured tokens when they are points) and the configured labels "
                         "(parameter_lipschitz and uniform_risk_loss_range are certified for exactly those)");
      }
    }
    // ---- continuous-flow adjoint (duality with validated tangent-linear flows) -----------------
    std::optional<Verdict> flow_ns;
    // every control kind (constant, per-layer, smooth), Euclidean and sphere model (the projected
    // flow): the discrete gradient chooses the direction and names the entries alike
    if (grad && flow_gradient != FlowGradientMode::none && !grad->verdict.is_proved())
      out.add_text("flow_gradient_status", "not computed: the discrete gradient, which it is checked against (and which "
                                           "chooses the direction), was not enclosed");
    if (grad && flow_gradient != FlowGradientMode::none && grad->verdict.is_proved()) {
      ctx.check_budget("flow adjoint");
      const bool all = flow_gradient == FlowGradientMode::all;
      opt.flow.on_step = ctx.flow_callback(T_end);  // the step progress of each tangent-linear run
      const FlowStationarity<T> fs = certify_flow_not_stationary_from_discrete<T>(
          f, flatten_tokens(X0), *ro, T_end, *grad, flow_gradient, opt.flow, [&](std::size_t k, std::size_t total) {
            ctx.progress(k, total, all ? "flow adjoint" : "flow adjoint (one direction)", "runs");
            if (all) ctx.check_budget("flow adjoint");
          });
      ctx.clear();
      if (!fs.enclosure.is_proved())
        throw std::domain_error(std::string("euler.error: ") + (all ? "flow gradient: " : "flow directional derivative: ") +
                                fs.enclosure.reason());
      if (all) {
        out.add("flow_gradient", *fs.gradient);
      } else {
        out.add("flow_directional_derivative", *fs.directional_derivative);
        out.add_text("flow_direction", fs.direction);
      }
      flow_ns = fs.verdict;
    }
    // ---- kind claims ---------------------------------------------------------------------------
    // (the sphere model: neither claim applies to the renormalised scheme; not claimed)
    for (const auto& row : tab.rows) {
      if (mc.sphere) break;
      const std::string L = std::to_string(row.depth);
      // a box run: the constants are proved for every member, the error enclosure is loose
      // (docs/euler.md §10), so the claims rest on the proofs of the constants
      const Verdict vt = box ? certify_error_below_constant_by_proof<T>(row, tab, false) : certify_error_below_theorem<T>(row, tab);
      // Margins: the certificate's own bound minus the exact quantity (margin_of), so `check`
      // re-derives them although a re-run at another precision certifies another ball/bound.
      const std::string ratio = "order_ratio_by_depth[" + L + "]";
      if (have_thm)
        out.add_claim_below_bound("error_le_theorem_L" + L, box_prefix(box) + "err_L <= C_thm * eps at depth L = " + L, vt,
                                  "theorem_constant", ratio);
      else if (!mc.smooth())  // smooth controls: no theorem constant (L_θΛ), not claimed; theorem_constant_status says why
        out.add_claim("error_le_theorem_L" + L, box_prefix(box) + "err_L <= C_thm * eps at depth L = " + L, vt);
      if (tab.tube_verdict.is_proved())
        out.add_claim_below_bound("error_le_theorem_tube_L" + L, box_prefix(box) + "err_L <= C_tube * eps at depth L = " + L,
                                  box ? certify_error_below_constant_by_proof<T>(row, tab, true)
                                      : certify_error_below_tube_constant<T>(row, tab),
                                  "theorem_constant_tube", ratio);
      if (!row.aposteriori_verdict.is_proved()) continue;  // no bound, no claim about it (reason in the results)
      const Verdict va = certify_error_below_aposteriori<T>(row);
      out.add_claim_below_bound("error_le_aposteriori_L" + L, box_prefix(box) + "err_L <= a-posteriori bound at depth L = " + L, va,
                                "aposteriori_bound_by_depth[" + L + "]", "error_by_depth[" + L + "]");
    }
    if (grad) {
      const Verdict ns = grad->verdict.is_proved() ? certify_not_stationary<T>(*grad)
                                                   : Verdict::unknown("the gradient was not enclosed: " + grad->verdict.reason());
      out.add_claim("not_stationary", box_prefix(box) + "the control is not a stationary point of the loss of the depth-" +
                                            std::to_string(gradient_depth) + " network (0 not in the gradient)", ns);
    }
    if (flow_ns)
      out.add_claim("flow_not_stationary",
                    box_prefix(box) + "the control is not a stationary point of the loss of the continuous flow (Pontryagin, continuous adjoint)",
                    *flow_ns);
    // summary: the true error of the deepest network and the tighter certified constant C with
    // err_L <= C eps (the trajectory-region one is often orders of magnitude below the ball's)
    const bool tube_tighter = tab.tube_verdict.is_proved() && (!have_thm || sup(tab.tube_constant) < sup(tab.theorem_constant));
    out.set_key_quantities({"error_by_depth[" + std::to_string(depths.back()) + "]",
                            tube_tighter ? "theorem_constant_tube" : "theorem_constant"});
  }
};

/// The certificate's config with read-out "covering_radius" set to the certificate's exact
/// covering_radius (a searched radius depends on approximate values, which differ between
/// precisions), or nothing when the certificate has no such result or the config fixes r itself.
std::optional<ConfigNode> config_at_certificate_radius(const Certificate& claimed, const ConfigNode& input) {
  const Json& in = input.json();
  if (!in.is_object() || !in.contains("readout") || !in["readout"].is_object() || in["readout"].contains("covering_radius"))
    return std::nullopt;
  for (const auto& [name, value] : claimed.results) {
    const auto* e = std::get_if<EndpointText>(&value);
    if (name != "covering_radius" || !e || e->lo_hex != e->hi_hex) continue;
    auto doc = std::make_shared<Json>(in);
    (*doc)["readout"]["covering_radius"] = e->lo_hex;
    return ConfigNode(std::shared_ptr<const Json>(doc), input.file());
  }
  return std::nullopt;
}

/// `certiformer check` for euler.error: every result and claim by the default comparison (the
/// one-sided upper bounds are {"upper": b} results: a re-derived bound b' ≤ b reproduces; b' > b
/// is consistent, not implied). The covering radius is a choice, not an enclosure: the re-run
/// re-derives the uniform risk bound at the certificate's own radius (its exact binary64 value,
/// given to the re-run as read-out "covering_radius" when the config chose none), so that the
/// bound is compared with the same r; a radius that still differs is inconclusive. The text of aposteriori_status_by_depth[L] quotes
/// backend-specific numbers: only its presence on both sides is compared. Results and claims
/// that exist only where a bound could be obtained (a-posteriori bounds, the theorem constants
/// and their claims, the trajectory-region constant) may be present at one precision and not at
/// the other: such a presence mismatch is inconclusive, not failed (a value that is present on
/// both sides is compared as usual; nothing is ever upgraded to reproduced). `check --fast` by
/// the same build compares everything exactly (same precision, same computation).
void recheck_euler(const Certificate& claimed, const ConfigNode& input, unsigned precision, RunContext& ctx,
                   CheckReport& rep) {
  // `check --fast` by the same build repeats the radius search itself (the same computation)
  const bool same_computation = rep.fast && rep.same_build();
  const std::optional<ConfigNode> at_radius =
      same_computation ? std::nullopt : config_at_certificate_radius(claimed, input);
  Certificate rerun;
  try {
    rerun = run_config(at_radius ? *at_radius : input, ctx.rerun_options(precision));
  } catch (const EnclosureFailure& e) {
    rep.mark_rerun_incomplete(e.what());
    return;
  }
  auto is_status = [](const std::string& n) { return n.rfind("aposteriori_status_by_depth[", 0) == 0; };
  auto strip = [&](Certificate c) {
    std::erase_if(c.results, [&](const auto& r) { return is_status(r.first); });
    return c;
  };
  if (same_computation) {
    // `check --fast` by the same build: the same computation at the same precision, so every
    // result (the status texts too) and every presence must be identical.
    compare_with_rerun(claimed, rerun, rep);
    return;
  }
  CheckReport tmp;
  tmp.fast = rep.fast;
  tmp.build_differences = rep.build_differences;
  compare_with_rerun(strip(claimed), strip(rerun), tmp);
  rep.rerun_incomplete = rep.rerun_incomplete || tmp.rerun_incomplete;
  static const char* const optional_subjects[] = {
      "result aposteriori_bound_by_depth[", "claim error_le_aposteriori_L", "result theorem_constant",
      "result tightness_by_depth[",         "result M_tube",                 "result L_tube",
      "claim error_le_theorem_tube_L"};
  for (auto& line : tmp.lines) {
    const bool optional = std::any_of(std::begin(optional_subjects), std::end(optional_subjects),
                                      [&](const char* p) { return line.subject.rfind(p, 0) == 0; });
    if (line.outcome == CheckOutcome::failed && optional && line.presence != CheckPresence::both) {
      line.outcome = CheckOutcome::inconclusive;
      line.detail = "obtained at one precision only (" + line.detail + ")";
    }
    // the covering radius is a choice (minimising approximate values), not an enclosure: a re-run
    // at another precision may choose another r (its bound is then compared as usual)
    if (line.outcome == CheckOutcome::failed && line.subject == "result covering_radius" &&
        line.presence == CheckPresence::both) {
      line.outcome = CheckOutcome::inconclusive;
      line.detail = "the re-run chose another covering radius (" + line.detail + ")";
    }
    rep.lines.push_back(std::move(line));
  }
  for (const auto& result : claimed.results) {  // (no structured binding: clang 14 cannot capture one)
    const std::string& name = result.first;
    if (!is_status(name)) continue;
    const bool again = std::any_of(rerun.results.begin(), rerun.results.end(), [&](const auto& r) { return r.first == name; });
    rep.add("result " + name, again ? CheckOutcome::reproduced : CheckOutcome::inconclusive,
            again ? "no a-posteriori bound in the re-run either" : "the re-run obtained an a-posteriori bound");
  }
}

}  // namespace

KindInfo euler_error_kind() {
  KindInfo k = make_kind<EulerErrorKind>();
  k.recheck = recheck_euler;
  return k;
}

}  // namespace certiformer::cert
