// Config kind "gradflow.edi": certified energy-dissipation identity of the P4 multi-head attention
// flow on the sphere (docs/mathematics.md §5). Fields and results: docs/gradflow.md.
//
// Config: {"kind": "gradflow.edi", "dim": d,
//          "sign": "ascent" | "descent" (optional, default ascent),
//          "heads": [{"path": "constant" | "ou" | "oscillating", "D": d×d symmetric}
//                    | {"path": "piecewise_linear", "times": [0, t_1, …, t_m], "samples": [D_0, …, D_m]}],
//          "tokens": n×d (each row on the sphere within "sphere_tolerance", then normalised)
//            or "angles": [θ_1, …, θ_n] (d = 2: x_i = (cos θ_i, sin θ_i), enclosed),
//          "sphere_tolerance": optional (default 1e-9): | |x_i|² − 1 | ≤ tol, exactly on the text,
//          "horizon": T > 0 (binary64-exact), "order": optional Taylor order,
//          "method": "auto" | "structured" | "taylor_lohner" (optional, default "auto": the
//            structured engine from n·d ≥ 64 in binary64, gradflow/structured.hpp),
//          "stationarity": optional {"tolerance": τ > 0, "newton": true|false (default true)},
//          "stability": optional {"token_delta": δ0 > 0, "weight_eps": ε > 0} (either or both)}
// Bad input (non-symmetric D, tokens off the sphere, oscillating path with d ∉ {2, 3},
// piecewise-linear horizon beyond the last sample, …) → ConfigError (exit 65) with the JSON path.
//
// Registry entry: gradflow_edi_kind() (namespace certiformer::cert).
#include "flow_method.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/gradflow.hpp"
#include "certiformer/gradflow/analysis.hpp"
#include "certiformer/gradflow/structured.hpp"
#include "certiformer/gradflow/tokens.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::gradflow;

constexpr long kMaxTokens = 1024;
constexpr long kMaxDim = 64;
constexpr long kMaxHeads = 64;

double exact_time(const ConfigNode& node, const char* what) {
  const Rational q = node.as_rational();
  const double v = static_cast<double>(q);
  if (Rational(v) != q)
    node.fail(std::string(what) + " that is a binary64 number (e.g. 1, 0.5, 0.25, 0x1.8p-1)",
              "\"" + node.as_text() + "\" (not exactly representable)");
  return v;
}

/// A d × d matrix, checked symmetric exactly on the decimal text.
template <class T> Mat<T> read_symmetric(const ConfigNode& node, std::size_t d) {
  const Mat<T> m = node.matrix<T>(d, d, "D is d × d");
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = i + 1; j < d; ++j) {
      const ConfigNode a = node.index(i).index(j), b = node.index(j).index(i);
      if (a.as_rational() != b.as_rational())
        b.fail("a symmetric matrix: entry [" + std::to_string(j) + "][" + std::to_string(i) + "] equal to entry [" +
                   std::to_string(i) + "][" + std::to_string(j) + "] = " + a.as_text(),
               b.as_text());
    }
  return m;
}

template <class T> WeightPath<T> read_head(const ConfigNode& h, std::size_t d, int index, int H, double horizon) {
  h.require_object("a head object {\"path\", \"D\"} or {\"path\": \"piecewise_linear\", \"times\", \"samples\"}");
  const std::string path = h.has("path") ? h.at("path").as_string("a path name") : "constant";
  if (path == "piecewise_linear") {
    h.only_keys({"path", "times", "samples"});
    const ConfigNode tn = h.at("times");
    tn.require_array("an array of sample times");
    const ConfigNode sn = h.at("samples");
    sn.require_array("an array of d × d samples");
    if (tn.size() < 2) tn.fail("at least 2 sample times");
    if (sn.size() != tn.size()) sn.fail("one sample per time (" + std::to_string(tn.size()) + ")");
    std::vector<double> times;
    std::vector<Mat<T>> samples;
    for (std::size_t k = 0; k < tn.size(); ++k) {
      const double t = exact_time(tn.index(k), "a sample time");
      if (k == 0 && t != 0) tn.index(k).fail("0 (the first sample time)");
      if (k > 0 && !(t > times.back())) tn.index(k).fail("a time larger than the previous one");
      times.push_back(t);
      samples.push_back(read_symmetric<T>(sn.index(k), d));
    }
    if (horizon > times.back()) tn.fail("sample times reaching the horizon (last time ≥ " + std::to_string(horizon) + ")");
    return WeightPath<T>::make_piecewise_linear(std::move(times), std::move(samples));
  }
  h.only_keys({"path", "D"});
  const Mat<T> D = read_symmetric<T>(h.at("D"), d);
  if (path == "constant") return WeightPath<T>::make_constant(D);
  if (path == "ou") return WeightPath<T>::make_ou(D);
  if (path == "oscillating") {
    if (d != 2 && d != 3) h.at("path").fail("\"oscillating\" only for dim 2 or 3 (docs/gradflow.md)");
    return WeightPath<T>::make_oscillating(D, index + 1, H);
  }
  h.at("path").fail("\"constant\", \"ou\", \"oscillating\" or \"piecewise_linear\"");
}

struct GradflowEdiKind {
  static constexpr const char* name = "gradflow.edi";
  static constexpr const char* description =
      "P4: certified energy-dissipation identity, monotone energy, stationarity and stability of multi-head "
      "attention as a gradient flow on the sphere";
  static std::vector<std::string> fields() {
    return {"dim", "sign", "heads", "tokens", "angles", "sphere_tolerance", "horizon", "order", "method",
            "stationarity", "stability"};
  }

  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    // ---- read and check everything first ------------------------------------------------------
    const std::size_t d = static_cast<std::size_t>(cfg.at("dim").as_int(2, kMaxDim));
    const double T_end = exact_time(cfg.at("horizon"), "a horizon");
    if (!(T_end > 0)) cfg.at("horizon").fail("a positive horizon");
    int sign = 1;
    if (auto s = cfg.find("sign")) {
      const std::string v = s->as_string("\"ascent\" or \"descent\"");
      if (v == "ascent") sign = 1;
      else if (v == "descent") sign = -1;
      else s->fail("\"ascent\" or \"descent\"");
    }
    const ConfigNode hs = cfg.at("heads");
    hs.require_array("an array of heads");
    if (hs.size() < 1 || hs.size() > static_cast<std::size_t>(kMaxHeads))
      hs.fail("1 to " + std::to_string(kMaxHeads) + " heads");
    Model<T> model;
    model.d = static_cast<Eigen::Index>(d);
    model.sign = sign;
    for (std::size_t h = 0; h < hs.size(); ++h)
      model.heads.push_back(read_head<T>(hs.index(h), d, static_cast<int>(h), static_cast<int>(hs.size()), T_end));
    // tokens
    Rational tol = parse_exact("1e-9");
    if (auto st = cfg.find("sphere_tolerance")) {
      tol = st->as_rational();
      if (tol < 0 || !(tol < Rational(1, 2))) st->fail("a tolerance in [0, 1/2)");  // keeps every token away from 0
    }
    Mat<T> X;
    std::string warnings;
    if (cfg.has("tokens") == cfg.has("angles")) cfg.fail("exactly one of \"tokens\" (n × d) and \"angles\" (d = 2)");
    if (auto an = cfg.find("angles")) {
      if (d != 2) an->fail("\"angles\" only for dim 2 (use \"tokens\")");
      const Vec<T> th = an->vector<T>();
      if (th.size() > kMaxTokens) an->fail("at most " + std::to_string(kMaxTokens) + " tokens");
      X = unflatten_tokens<T>(tokens_on_circle<T>(th), 2);
    } else {
      const ConfigNode tk = cfg.at("tokens");
      X = tk.matrix<T>(std::nullopt, d, "tokens are n × d (d = dim)");
      if (X.rows() > kMaxTokens) tk.fail("at most " + std::to_string(kMaxTokens) + " tokens");
      std::vector<std::vector<Rational>> exact(static_cast<std::size_t>(X.rows()));
      for (std::size_t i = 0; i < exact.size(); ++i)
        for (std::size_t c = 0; c < d; ++c) exact[i].push_back(tk.index(i).index(c).as_rational());
      const SphereTokens<T> st = enclose_tokens_on_sphere<T>(X, exact, tol);
      if (st.off_sphere)
        tk.index(*st.off_sphere)
            .fail("a token on the unit sphere (| |x|² − 1 | ≤ sphere_tolerance)",
                  "|x|² = " + std::to_string(static_cast<double>(st.off_sphere_norm2)));
      X = st.tokens;
      if (st.renormalised)
        warnings = std::to_string(st.renormalised) + " token(s) not exactly on the sphere were normalised (x/|x|, enclosed)";
    }
    model.n = X.rows();
    ode::TaylorOptions opt;
    if (auto o = cfg.find("order")) opt.order = static_cast<int>(o->as_int(2, 200));
    EdiOptions eopt;
    eopt.order = opt.order;
    eopt.method = read_flow_method(cfg);
    std::optional<T> slope_tol;
    bool newton = true;
    if (auto sn = cfg.find("stationarity")) {
      sn->require_object("an object {\"tolerance\", \"newton\"}");
      sn->only_keys({"tolerance", "newton"});
      slope_tol = sn->at("tolerance").as_number<T>();
      if (!certainly_positive(*slope_tol)) sn->at("tolerance").fail("a positive tolerance");
      if (auto nw = sn->find("newton")) {
        if (!nw->json().is_boolean()) nw->fail("true or false");
        newton = nw->json().template get<bool>();
      }
    }
    std::optional<T> delta0, eps;
    if (auto sb = cfg.find("stability")) {
      sb->require_object("an object {\"token_delta\", \"weight_eps\"}");
      sb->only_keys({"token_delta", "weight_eps"});
      if (auto a = sb->find("token_delta")) {
        delta0 = a->as_number<T>();
        if (!certainly_positive(*delta0)) a->fail("a positive δ0");
      }
      if (auto b = sb->find("weight_eps")) {
        eps = b->as_number<T>();
        if (!certainly_positive(*eps)) b->fail("a positive ε");
      }
    }

    // ---- compute --------------------------------------------------------------------------------
    opt.on_step = ctx.flow_callback(T_end);
    eopt.on_step = opt.on_step;
    ctx.phase("flow with energy and dissipation");
    const Vec<T> X0 = flatten_tokens<T>(X);
    const EdiRun<T> run = energy_dissipation<T>(model, X0, T_end, eopt);
    const EdiResult<T>& r = run.result;
    ctx.clear();
    if (!r.verdict.is_proved())
      throw std::domain_error("gradflow.edi: " + r.verdict.reason() + " (the flow is enclosed on [0, " +
                              std::to_string(r.t_reached) + "])");
    out.add("energy_change", r.energy_change);
    out.add("dissipation_integral", r.dissipation_integral);
    out.add("explicit_time_integral", r.explicit_time_integral);
    out.add("identity_residual", r.identity_residual);
    if (r.metric_integral) {
      out.add("metric_dissipation_integral", *r.metric_integral);
      out.add("metric_identity_residual", *r.metric_residual);
    }
    out.add("energy_initial", r.energy_0);
    out.add("energy_final", r.energy_T);
    out.add("slope_at_horizon", r.slope_at_horizon);
    out.add("tokens_at_horizon", unflatten_tokens<T>(r.tokens_at_horizon, model.d));
    // {"upper": w} with w ≥ the width of identity_residual (one-sided, so `check` at a higher
    // precision reproduces it); the step count is in the flow_enclosed reason (it depends on
    // the precision, so it is not a result).
    {
      const T rw = r.identity_residual - r.identity_residual;  // ⊇ [−wid, wid]
      out.add("identity_residual_width", UpperBound<real_t<T>>::sup_of(rw), QuantityRange::nonnegative);
    }
    if (!warnings.empty()) out.add_text("warnings", warnings);
    // the engine differs between precisions (check re-runs above binary64 by Taylor–Lohner): info
    out.add_info("method", std::string(ode::flow_method_name(run.method)) + " (" + run.method_reason + ")");
    out.set_key_quantities({"energy_change", "identity_residual_width"});
    out.add_claim("flow_enclosed", "the exact flow exists on [0, T] and every result encloses its value", r.verdict);
    // The energy identity holds exactly (a theorem), so its residual containing 0 is a
    // consistency check of the enclosures, not a statement about the model: informational.
    out.add_info("identity_contains_zero",
                 std::string(to_string(r.identity.status())) + ": E(T) − E(0) − ∫∂_tE − s∫Σ∇E·v ∋ 0" +
                     std::string(r.metric_integral ? " (and the metric form)" : "") + " (consistency check; " +
                     r.identity.reason() + ")");
    if (model.autonomous())
      out.add_claim("energy_monotone", sign > 0 ? "E(x(t)) is non-decreasing on [0, T]" : "E(x(t)) is non-increasing on [0, T]",
                    r.monotone);
    if (slope_tol) {
      const SlopeVerdict<T> sv = certify_slope_below<T>(r.slope_at_horizon, *slope_tol);
      out.add_claim("slope_below_tolerance", "G²(x(T), T) = Σ_i (N̄_i/n²)|v_i|² < tolerance", sv.verdict, sv.margin);
      if (newton) {
        const GradflowField<T> f(model, false);
        ctx.phase("stationary point (Newton)");
        const StationaryResult<T> s = certify_stationary_nearby<T>(f, T_end, r.tokens_at_horizon);
        out.add_text("stationarity", s.verdict.is_proved() ? "proved" : "unknown");
        if (s.verdict.is_proved()) {
          out.add("stationary_tokens", unflatten_tokens<T>(s.tokens, model.d));
          out.add("stationary_distance", s.distance);
        }
        out.add_claim("stationary_nearby",
                      "a configuration z with |z_i| = 1 and P_{z_i} w̄_i(z, T) = 0 for all i lies in stationary_tokens",
                      s.verdict);
      }
    }
    if (delta0) {
      ctx.phase("token stability flow");
      const StabilityResult<T> s = enclose_token_stability<T>(model, X0, *delta0, T_end, opt);
      if (!s.verdict.is_proved()) throw std::domain_error("gradflow.edi: token stability: " + s.verdict.reason());
      // an upper bound (sup over the steps), carried as one: check compares it by ≤
      out.add("token_stability_bound", UpperBound<real_t<T>>(s.sup_bound), QuantityRange::nonnegative);
      out.add_claim("token_stability", "sup_t |X(t) − X̃(t)|₂ ≤ token_stability_bound for |X̃(0) − X(0)|₂ ≤ δ0",
                    s.verdict);
    }
    if (eps) {
      ctx.phase("weight stability flow");
      const StabilityResult<T> s = enclose_weight_stability<T>(model, X0, *eps, T_end, opt);
      if (!s.verdict.is_proved()) throw std::domain_error("gradflow.edi: weight stability: " + s.verdict.reason());
      out.add("weight_sensitivity_constant", UpperBound<real_t<T>>(s.sup_bound), QuantityRange::nonnegative);
      out.add_claim("weight_stability",
                    "sup_t |X^ε(t) − X(t)|₂ ≤ C·|Δ|_F for every symmetric Δ with entries in [−ε, ε] added to each D_h",
                    s.verdict);
    }
    ctx.clear();
  }
};

}  // namespace

KindInfo gradflow_edi_kind() { return make_kind<GradflowEdiKind>(); }

}  // namespace certiformer::cert
