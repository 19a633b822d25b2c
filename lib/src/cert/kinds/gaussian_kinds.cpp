// Config kinds of the Gaussian module (P3): "gaussian.blowup", "gaussian.moments",
// "gaussian.classify", "gaussian.reach". Fields and results: docs/gaussian.md §7 (Config
// kinds). Registry entries: gaussian_blowup_kind(), gaussian_moments_kind(),
// gaussian_classify_kind(), gaussian_reach_kind() (namespace certiformer::cert).
//
// Every number is read as the exact rational its text spells (ConfigNode::as_rational), so the
// structural decisions of the module (information form, symmetry, definiteness, rank) are exact.
// Every problem with the input is a ConfigError at the offending JSON path, raised before
// anything is computed (the library's SpecError field names are mapped to JSON paths).
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/gaussian.hpp"
#include "certiformer/gaussian/flow_at_horizon.hpp"
#include "certiformer/gaussian/moment_flow.hpp"

#include <cctype>
#include <limits>
#include <optional>
#include <sstream>
#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace certiformer::cert {

namespace {

using namespace certiformer::gaussian;

constexpr long kMaxDim = 64;

std::string dims(int r, int c) { return std::to_string(r) + " x " + std::to_string(c); }

RMatrix read_matrix(const ConfigNode& n, std::optional<int> rows, std::optional<int> cols, const std::string& what) {
  n.require_array(what);
  const int r = static_cast<int>(n.size());
  if (r == 0) n.fail(what, std::string("an empty array"));
  if (rows && r != *rows) n.fail(what + " with " + std::to_string(*rows) + " rows", "an array of " + std::to_string(r));
  int c = -1;
  RMatrix m;
  for (int i = 0; i < r; ++i) {
    const ConfigNode row = n.index(static_cast<std::size_t>(i));
    row.require_array("a row of numbers");
    const int ci = static_cast<int>(row.size());
    if (ci == 0) row.fail("a non-empty row of numbers", std::string("an empty array"));
    if (c < 0) {
      c = ci;
      if (cols && c != *cols) row.fail("a row of " + std::to_string(*cols) + " numbers (" + what + ")");
      m = RMatrix(r, c);
    } else if (ci != c) {
      row.fail("a row of " + std::to_string(c) + " numbers (rows of equal length)");
    }
    for (int j = 0; j < c; ++j) m(i, j) = row.index(static_cast<std::size_t>(j)).as_rational();
  }
  return m;
}

/// How one number of a model or Gaussian is read: as an interval [lo, hi] (a parameter box), or
/// as an exact number (lo = hi; an interval text is refused at its node, naming the field).
enum class Entries { point, box };

RationalInterval read_entry(const ConfigNode& n, Entries e) {
  if (e == Entries::box) return n.as_rational_interval();
  const Rational q = n.as_rational();
  return {q, q};
}

/// Box ends of a matrix whose entries may be interval texts "[a, b]" (Entries::box), or the
/// matrix twice (Entries::point).
std::pair<RMatrix, RMatrix> read_matrix_box(const ConfigNode& n, int rows, int cols, const std::string& what,
                                            Entries e) {
  n.require_array(what);
  if (static_cast<int>(n.size()) != rows) n.fail(what + " with " + std::to_string(rows) + " rows", "an array of " + std::to_string(n.size()));
  RMatrix lo(rows, cols), hi(rows, cols);
  for (int i = 0; i < rows; ++i) {
    const ConfigNode row = n.index(static_cast<std::size_t>(i));
    row.require_array("a row of numbers");
    if (static_cast<int>(row.size()) != cols) row.fail("a row of " + std::to_string(cols) + " numbers (" + what + ")");
    for (int j = 0; j < cols; ++j) {
      const RationalInterval x = read_entry(row.index(static_cast<std::size_t>(j)), e);
      lo(i, j) = x.lo;
      hi(i, j) = x.hi;
    }
  }
  return {lo, hi};
}

std::pair<RMatrix, RMatrix> read_vector_box(const ConfigNode& n, int length, const std::string& what, Entries e) {
  n.require_array(what);
  if (static_cast<int>(n.size()) != length)
    n.fail(what + " of length " + std::to_string(length), "an array of " + std::to_string(n.size()));
  RMatrix lo(length, 1), hi(length, 1);
  for (int i = 0; i < length; ++i) {
    const RationalInterval x = read_entry(n.index(static_cast<std::size_t>(i)), e);
    lo(i, 0) = x.lo;
    hi(i, 0) = x.hi;
  }
  return {lo, hi};
}

/// The model of a gaussian kind. Entries::box (gaussian.blowup): β and the entries of W, b, V, B
/// may be intervals (a parameter box; Q and K must be exact: B = KᵀQ of boxes is not supported
/// yet). Entries::point: every number exact (lo = hi).
ModelBox read_model_box(const ConfigNode& m, Entries e) {
  m.require_object("the model (an object with dim, beta, W, b, heads)");
  m.only_keys({"dim", "beta", "W", "b", "heads"});
  ModelBox s;
  s.lo.dim = s.hi.dim = static_cast<int>(m.at("dim").as_int(1, kMaxDim));
  const int d = s.lo.dim;
  const std::string dd = "a " + dims(d, d) + " matrix (d = model.dim)";
  if (m.has("beta")) {
    const RationalInterval b = read_entry(m.at("beta"), e);
    s.lo.beta = b.lo;
    s.hi.beta = b.hi;
  }
  if (auto W = m.find("W")) std::tie(s.lo.W, s.hi.W) = read_matrix_box(*W, d, d, dd, e);
  if (auto b = m.find("b")) std::tie(s.lo.b, s.hi.b) = read_vector_box(*b, d, "a vector", e);
  if (auto heads = m.find("heads")) {
    heads->require_array("an array of heads");
    for (std::size_t h = 0; h < heads->size(); ++h) {
      const ConfigNode hn = heads->index(h);
      hn.require_object("a head {V, B} or {V, Q, K}");
      hn.only_keys({"V", "B", "Q", "K"});
      auto [Vl, Vh] = read_matrix_box(hn.at("V"), d, d, dd, e);
      if (hn.has("B")) {
        if (hn.has("Q") || hn.has("K")) hn.fail("either B or Q and K, not both");
        auto [Bl, Bh] = read_matrix_box(hn.at("B"), d, d, dd, e);
        s.lo.heads.push_back({Vl, Bl});
        s.hi.heads.push_back({Vh, Bh});
      } else {
        if (!hn.has("Q") || !hn.has("K")) hn.fail("a head with B, or with both Q and K");
        const RMatrix Q = read_matrix(hn.at("Q"), std::nullopt, d, "a d_k x " + std::to_string(d) + " matrix");
        const RMatrix K = read_matrix(hn.at("K"), Q.rows(), d, "a " + dims(Q.rows(), d) + " matrix (the shape of Q)");
        const HeadSpec hq = head_from_qk(Vl, Q, K);
        s.lo.heads.push_back(hq);
        s.hi.heads.push_back({Vh, hq.B});
      }
    }
  }
  return s;
}

GaussianBox read_gaussian_box(const ConfigNode& g, int d, Entries e) {
  g.require_object("a Gaussian {mean, cov}");
  g.only_keys({"mean", "cov"});
  GaussianBox s;
  if (g.has("mean")) std::tie(s.lo.mean, s.hi.mean) = read_vector_box(g.at("mean"), d, "a vector", e);
  else s.lo.mean = s.hi.mean = RMatrix(d, 1);
  std::tie(s.lo.cov, s.hi.cov) = read_matrix_box(g.at("cov"), d, d, "a " + dims(d, d) + " covariance matrix", e);
  return s;
}

/// The point readers: the box readers with exact numbers only.
ModelSpec read_model(const ConfigNode& m) { return read_model_box(m, Entries::point).lo; }
GaussianSpec read_gaussian(const ConfigNode& g, int d) { return read_gaussian_box(g, d, Entries::point).lo; }

Rational read_positive(const ConfigNode& n, const std::string& what) {
  const Rational q = n.as_rational();
  if (q <= 0) n.fail(what + " > 0");
  return q;
}

/// Throws the ConfigError at the JSON node named by a SpecError field ("initial.cov",
/// "model.heads[1].V[0][1]"); walks as far as the config has that node.
[[noreturn]] void rethrow_at(const ConfigNode& root, const SpecError& e) {
  ConfigNode node = root;
  const std::string& f = e.field();
  std::size_t i = 0;
  while (i < f.size()) {
    std::size_t j = i;
    while (j < f.size() && f[j] != '.' && f[j] != '[') ++j;
    const std::string name = f.substr(i, j - i);
    if (!name.empty()) {
      if (!node.is_object() || !node.has(name)) break;
      node = node.at(name);
    }
    while (j < f.size() && f[j] == '[') {
      std::size_t k = f.find(']', j);
      if (k == std::string::npos) break;
      const std::size_t idx = static_cast<std::size_t>(std::stoul(f.substr(j + 1, k - j - 1)));
      if (node.is_array() && idx < node.size()) node = node.index(idx);
      j = k + 1;
    }
    i = (j < f.size() && f[j] == '.') ? j + 1 : j;
    if (j >= f.size()) break;
  }
  std::string what = e.what();
  const std::string prefix = f + ": ";
  if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
  node.fail("a valid value (" + what + ")");
}

template <class T> T half_line(const real_t<T>& lo) {
  return T(lo, real_t<T>(std::numeric_limits<double>::infinity()));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
struct GaussianBlowupKind {
  static constexpr const char* name = "gaussian.blowup";
  static constexpr const char* description =
      "certified covariance blow-up time [t_lo, t_hi] of the Gaussian moment flow, or no blow-up on [0, horizon] (P3)";
  static std::vector<std::string> fields() { return {"model", "initial", "horizon", "rel_tol"}; }
  /// Results a run produces only in some outcomes (a claim on them is unknown when absent).
  static std::vector<std::string> optional_results() { return {"blowup_time", "cov_at_horizon"}; }

  template <class T> static void run(const ConfigNode& cfg, Results<T>& out, RunContext&) {
    BlowupOptions opt;
    if (auto tol = cfg.find("rel_tol")) {
      const Rational q = tol->as_rational();
      if (q <= 0 || q >= 1) tol->fail("a relative tolerance in (0, 1)");
      opt.rel_tol = mid(enclose_interval(q));
    }
    // Parameter boxes: any of β, W, b, V, B, mean, cov, horizon written as "[a, b]".
    BlowupBox box;
    box.model = read_model_box(cfg.at("model"), Entries::box);
    box.initial = read_gaussian_box(cfg.at("initial"), box.model.lo.dim, Entries::box);
    box.horizon = cfg.at("horizon").as_rational_interval();
    if (box.horizon.lo <= 0) cfg.at("horizon").fail("a horizon > 0 (every end of the interval)");
    if (!box.model.is_point() || !box.initial.is_point() || !box.horizon.is_point()) {
      run_box<T>(cfg, box, opt, out);
      return;
    }
    ModelSpec model = box.model.lo;
    const GaussianSpec initial = box.initial.lo;
    const Rational horizon = box.horizon.lo;
    try {
      model.validate();
      initial.validate(model.dim, /*require_spd=*/true);
    } catch (const SpecError& e) {
      rethrow_at(cfg, e);
    }
    const auto r = certify_blowup_time<T>(model, initial, horizon, opt);
    out.add_text("status", std::string(to_string(r.status)));
    if (r.status == BlowupStatus::blowup) {
      out.add("blowup_time", r.blowup_time);
      out.set_key_quantity("blowup_time");
    } else if (r.status == BlowupStatus::blowup_lower_bound_only) {
      out.add("blowup_time", half_line<T>(r.t_lo));
      out.set_key_quantity("blowup_time");
    } else if (r.status == BlowupStatus::no_blowup_on_horizon) {
      // Σ stays bounded on [0, horizon]: the blow-up time (+∞ if none) is ≥ the horizon, so
      // claims on blowup_time are decided (e.g. "blowup_time <= v" is refuted for v < horizon).
      out.add("blowup_time", half_line<T>(inf(enclose<T>(horizon))));
      if (r.cov_at_horizon.rows() > 0) out.add("cov_at_horizon", r.cov_at_horizon);
      out.set_key_quantities({"status", "blowup_time"});
    } else {
      out.set_key_quantity("status");
    }
    out.add_text("method", r.method);
    out.add_claim("gaussian-blowup", std::string(blowup_statement(r.status)), r.verdict);
  }

  /// The parameter-box run: every result and claim holds for every member of the box.
  template <class T>
  static void run_box(const ConfigNode& cfg, const BlowupBox& box, const BlowupOptions& opt, Results<T>& out) {
    BlowupResult<T> r;
    try {
      r = certify_blowup_time_box<T>(box, opt);
    } catch (const SpecError& e) {
      rethrow_at(cfg, e);
    }
    out.add_text("parameter_box", "true: every result and claim holds for every parameter in the box (each interval "
                                  "input an independent coordinate; cov (i, j) and (j, i) one coordinate)");
    out.add_text("status", std::string(to_string(r.status)));
    if (r.status == BlowupStatus::blowup) {
      out.add("blowup_time", r.blowup_time);
      out.set_key_quantity("blowup_time");
    } else if (r.status == BlowupStatus::no_blowup_on_horizon) {
      // every member's horizon H >= inf(horizon box): its blow-up time is >= H >= inf
      out.add("blowup_time", half_line<T>(inf(enclose<T>(box.horizon.lo))));
      if (r.cov_at_horizon.rows() > 0) out.add("cov_at_horizon", r.cov_at_horizon);
    }
    out.add_text("method", r.method);
    out.add_claim("gaussian-blowup", "for every parameter in the box: " + std::string(blowup_statement(r.status)),
                  r.verdict);
  }
};

// ---------------------------------------------------------------------------------------------
struct GaussianMomentsKind {
  static constexpr const char* name = "gaussian.moments";
  static constexpr const char* description =
      "enclose the L-layer Gaussian moment map and the continuous moment flow (m(T), Σ(T)), with the O(ε) gaps (P3)";
  static std::vector<std::string> fields() { return {"model", "initial", "horizon", "layers"}; }

  template <class T> static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx) {
    ModelSpec model = read_model(cfg.at("model"));
    const GaussianSpec initial = read_gaussian(cfg.at("initial"), model.dim);
    const Rational horizon = read_positive(cfg.at("horizon"), "a horizon");
    const ConfigNode ln = cfg.at("layers");
    ln.require_array("an array of layer counts L >= 1");
    if (ln.size() == 0) ln.fail("a non-empty array of layer counts L >= 1");
    std::vector<int> layers;
    for (std::size_t i = 0; i < ln.size(); ++i) {
      layers.push_back(static_cast<int>(ln.index(i).as_int(1, 1000000)));
      // Each depth names results (mean_L<depth>, …): a repeated depth is a config error (found
      // by the fuzzer: it reached Results::add as a duplicate name, an internal error).
      if (std::find(layers.begin(), layers.end() - 1, layers.back()) != layers.end() - 1)
        ln.index(i).fail("a depth not listed before (each depth once)");
    }
    try {
      model.validate();
      initial.validate(model.dim, /*require_spd=*/false);
    } catch (const SpecError& e) {
      rethrow_at(cfg, e);
    }
    const Model<T> m = enclose_model<T>(model);
    const Moments<T> x0 = enclose_moments<T>(initial);
    const T Tt = enclose<T>(horizon);
    std::vector<Moments<T>> finals;
    for (std::size_t k = 0; k < layers.size(); ++k) {
      ctx.progress(k, layers.size(), "moment maps", "layers");
      finals.push_back(enclose_moment_map<T>(m, x0, Tt, layers[k]).back());
      out.add("mean_L" + std::to_string(layers[k]), finals.back().mean);
      out.add("cov_L" + std::to_string(layers[k]), finals.back().cov);
    }
    ctx.clear();
    // The flow at the horizon by every method that applies (moment ODE, information form),
    // intersected; then the gaps of each depth to it.
    ode::TaylorOptions topt;
    const double T_end = static_cast<double>(horizon);
    topt.on_step = ctx.flow_callback(T_end);
    ctx.phase("moment flow");
    const MomentFlowAtHorizon<T> fl = enclose_moment_flow_at_horizon<T>(model, initial, horizon, topt);
    ctx.clear();
    if (fl.ode) {
      out.add("mean_flow", fl.ode->mean);
      out.add_claim("moment-flow-exists-on-horizon",
                    "the moment ODE (m, Σ) has a solution on [0, horizon] and (m(T), Σ(T)) lies in mean_flow, cov_flow",
                    *fl.ode_verdict);
    }
    if (fl.information_verdict)
      out.add_claim("flow-exists-on-horizon", "Σ(t) = P(t)^{-1} exists and is bounded on [0, horizon] (information form)",
                    *fl.information_verdict);
    // a method note (it may quote a precision-dependent reason): informational, not compared
    out.add_info("flow", fl.ode_note + "; " + fl.information_note);
    if (fl.cov) {
      out.add("cov_flow", *fl.cov);
      const Moments<T> at_T{fl.ode ? fl.ode->mean : Vec<T>(), *fl.cov};
      for (std::size_t k = 0; k < layers.size(); ++k) {
        const std::string L = std::to_string(layers[k]);
        const MomentErrors<T> e = enclose_moment_errors<T>(finals[k], at_T, Tt, layers[k]);
        out.add("cov_error_L" + L, e.cov_error);
        out.add("cov_error_over_eps_L" + L, e.cov_error_over_eps);
        if (e.mean_error) {
          out.add("mean_error_L" + L, *e.mean_error);
          out.add("mean_error_over_eps_L" + L, *e.mean_error_over_eps);
        }
      }
      // summary: Σ(T) of the flow and the O(ε) constant of the deepest network's covariance
      if (!layers.empty())
        out.set_key_quantities({"cov_flow[0][0]", "cov_error_over_eps_L" + std::to_string(layers.back()) + "[0][0]"});
    }
  }
};

// ---------------------------------------------------------------------------------------------
struct GaussianClassifyKind {
  static constexpr const char* name = "gaussian.classify";
  static constexpr const char* description =
      "classify time-invariant parameters: blowup / converges (Σ*) / bounded on the horizon / unknown; equilibria (P3)";
  static std::vector<std::string> fields() { return {"model", "initial", "horizon"}; }

  template <class T> static void run(const ConfigNode& cfg, Results<T>& out, RunContext&) {
    ModelSpec model = read_model(cfg.at("model"));
    const GaussianSpec initial = read_gaussian(cfg.at("initial"), model.dim);
    const Rational horizon = read_positive(cfg.at("horizon"), "a horizon");
    try {
      model.validate();
      initial.validate(model.dim, /*require_spd=*/true);
    } catch (const SpecError& e) {
      rethrow_at(cfg, e);
    }
    const auto c = certify_regime<T>(model, initial, horizon);
    out.add_text("regime", std::string(to_string(c.regime)));
    out.add_text("information_form", c.information_form ? "yes" : "no");
    std::string reason = c.verdict.reason();
    switch (c.regime) {
      case Regime::blowup: out.add("blowup_time", c.blowup.blowup_time); break;
      case Regime::converges: {
        out.add("cov_star", c.cov_star);
        out.add("P_star", c.P_star);
        std::ostringstream os;
        os << "; ||Sigma(t) - Sigma*||_2 <= " << decimal_up(c.constant)
           << " exp(-" << decimal_down(c.rate) << " t) for t >= "
           << decimal_up(c.t_c);
        reason += os.str();
        break;
      }
      case Regime::bounded_on_horizon:
        if (c.blowup.cov_at_horizon.rows() > 0) out.add("cov_at_horizon", c.blowup.cov_at_horizon);
        break;
      case Regime::unknown:
        if (c.blowup.status == BlowupStatus::blowup_lower_bound_only) out.add("blowup_time", half_line<T>(c.blowup.t_lo));
        break;
    }
    out.set_key_quantities({"regime", "cov_star[0][0]", "blowup_time", "cov_at_horizon[0][0]"});  // those produced
    out.add_claim("gaussian-regime", std::string(regime_statement(c.regime)),
                  c.verdict.is_proved() ? Verdict::proved(reason) : c.verdict);
    if (c.equilibrium) {
      const auto& e = *c.equilibrium;
      // the statuses of the claim gaussian-equilibrium's parts (they may be unknown at one
      // precision and proved at another; the claim carries the statement): informational
      out.add_info("equilibrium", "Krawczyk: " + std::string(to_string(e.exists.status())) + ", positive definite: " +
                                      std::string(to_string(e.positive_definite.status())) + ", locally exponentially stable: " +
                                      std::string(to_string(e.stability.verdict.status())));
      if (e.exists.is_proved()) out.add("equilibrium_cov", e.cov);
      out.add_claim("gaussian-equilibrium",
                    "an isolated equilibrium of the Sigma-ODE lies in results.equilibrium_cov, positive definite and locally "
                    "exponentially stable",
                    e.exists && e.positive_definite && e.stability.verdict);
    }
  }
};

// ---------------------------------------------------------------------------------------------
struct GaussianReachKind {
  static constexpr const char* name = "gaussian.reach";
  static constexpr const char* description =
      "steer N(m0, Σ0) to within delta of N(m1, Σ1) at time T (Monge-map FFN, attention off), or exactly with "
      "piecewise-constant controls for any equal rank, and certify it (P3)";
  static std::vector<std::string> fields() {
    return {"dim", "initial", "target", "horizon", "delta", "control_bits", "controls"};
  }

  template <class T> static void run(const ConfigNode& cfg, Results<T>& out, RunContext&) {
    const int d = static_cast<int>(cfg.at("dim").as_int(1, kMaxDim));
    const GaussianSpec initial = read_gaussian(cfg.at("initial"), d);
    const GaussianSpec target = read_gaussian(cfg.at("target"), d);
    const Rational horizon = read_positive(cfg.at("horizon"), "a horizon");
    std::string controls = "constant";
    if (auto c = cfg.find("controls")) {
      controls = c->as_string("\"constant\" or \"piecewise\"");
      if (controls != "constant" && controls != "piecewise") c->fail("\"constant\" or \"piecewise\"");
    }
    if (controls == "piecewise") {
      ExactReachResult<T> r;
      try {
        r = certify_reach_exact<T>(initial, target, horizon);
      } catch (const SpecError& e) {
        rethrow_at(cfg, e);
      }
      std::string desc;
      for (std::size_t k = 0; k < r.pieces.size(); ++k) {
        const auto& p = r.pieces[k];
        desc += (k ? "; " : "") + std::string("[") + p.t0.str() + ", " + p.t1.str() + "]: " + p.role;
        out.add("W_piece" + std::to_string(k), r.W[k]);
      }
      out.add_text("pieces", desc);
      out.add("b", r.b);
      out.add("mean_at_horizon", r.mean_T);
      out.add("cov_at_horizon", r.cov_T);
      out.set_key_quantities({"b", "cov_at_horizon"});
      out.add_claim("reach-exact",
                    "with the piecewise-constant FFN controls of results.pieces (W_piece<k> on piece k, bias b on the last "
                    "piece, attention off), m(T) = m1 and Sigma(T) = Sigma1 exactly",
                    r.verdict);
      return;
    }
    const Rational delta = read_positive(cfg.at("delta"), "a tolerance delta");
    unsigned bits = 256;
    if (auto b = cfg.find("control_bits")) bits = static_cast<unsigned>(b->as_int(53, 65536));
    try {
      initial.validate(d, false, "initial");
      target.validate(d, false, "target");
      const int r0 = rank(initial.cov), r1 = rank(target.cov);
      if (r0 != r1)
        throw SpecError("target.cov", "a covariance of rank " + std::to_string(r0) + " = rank of initial.cov (rank mismatch: " +
                                          std::to_string(r1) + "; the rank is invariant under the flow)");
      if (r0 < d) throw SpecError("initial.cov", "a positive definite covariance (singular covariances are not supported yet)");
    } catch (const SpecError& e) {
      rethrow_at(cfg, e);
    }
    const auto r = certify_reach<T>(initial, target, horizon, delta, bits);
    out.add("W", r.W);
    out.add("b", r.b);
    out.add("mean_at_horizon", r.mean_T);
    out.add("cov_at_horizon", r.cov_T);
    out.add("mean_error", T(real_t<T>(0), r.mean_error));
    out.add("cov_error", T(real_t<T>(0), r.cov_error));
    out.set_key_quantities({"mean_error", "cov_error"});
    out.add_claim("reach-within-delta",
                  "with the FFN controls results.W, results.b (attention off), |m(T) - m1| <= delta and ||Sigma(T) - Sigma1||_2 <= delta",
                  r.verdict);
  }
};

KindInfo gaussian_blowup_kind() { return make_kind<GaussianBlowupKind>(); }
KindInfo gaussian_moments_kind() { return make_kind<GaussianMomentsKind>(); }
KindInfo gaussian_classify_kind() { return make_kind<GaussianClassifyKind>(); }
KindInfo gaussian_reach_kind() { return make_kind<GaussianReachKind>(); }

}  // namespace certiformer::cert
