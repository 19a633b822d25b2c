// Kind registry and run_config. See cert/registry.hpp.
#include "certiformer/cert/registry.hpp"

#include "certiformer/cert/claims.hpp"
#include "certiformer/cert/linear_flow.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <unistd.h>

namespace certiformer::cert {

// Kinds defined in lib/src/cert/kinds/*.cpp (each file defines its registry entries).
KindInfo gaussian_blowup_kind();
KindInfo gaussian_moments_kind();
KindInfo gaussian_classify_kind();
KindInfo gaussian_reach_kind();
KindInfo transformer_flow_kind();
KindInfo transformer_network_kind();
KindInfo bellman_gap_kind();
KindInfo euler_error_kind();
KindInfo gradflow_edi_kind();

// ---- progress --------------------------------------------------------------------------------

namespace {
using Clock = std::chrono::steady_clock;
std::mutex g_draw_mu;                  // guards every Display and the drawing on stderr
const RunContext::Display* g_owner = nullptr;  // the display whose line is on the terminal
}  // namespace

struct RunContext::Display {
  // phase
  std::string name, unit;
  bool active = false;
  std::size_t total = 0, done = 0;
  double t = 0, t_end = 0;  // inner integration position (t_end 0: none)
  std::uint64_t steps = 0;
  double frac = 0;  // shown fraction, never decreasing within the phase
  Clock::time_point phase_start;
  std::deque<std::pair<double, double>> samples;  // (seconds since phase start, frac) of recent draws
  // drawing
  Clock::time_point last_draw = Clock::now() - std::chrono::seconds(10);
  bool dirty = false;
  std::size_t width = 0;  // characters of the line on the terminal
  // ticker
  std::condition_variable cv;
  bool stop = false;
  std::thread ticker;

  double raw_fraction() const {
    const double inner = t_end > 0 ? std::clamp(t / t_end, 0.0, 1.0) : 0.0;
    if (total > 0) return std::clamp((static_cast<double>(std::min(done, total)) + (done < total ? inner : 0.0)) / static_cast<double>(total), 0.0, 1.0);
    return inner;
  }
  bool has_fraction() const { return total > 0 || t_end > 0; }

  // Draws the line (caller holds g_draw_mu).
  void draw(Clock::time_point now) {
    const double el = std::chrono::duration<double>(now - phase_start).count();
    frac = std::max(frac, raw_fraction());
    std::string line = "  " + name + ":";
    char buf[96];
    bool first = true;
    auto part = [&](const char* text) {
      line += first ? " " : ", ";
      line += text;
      first = false;
    };
    if (total > 0) {
      std::snprintf(buf, sizeof buf, "%zu/%zu%s%s", std::min(done, total), total, unit.empty() ? "" : " ", unit.c_str());
      part(buf);
    }
    if (t_end > 0) {
      std::snprintf(buf, sizeof buf, "t %.3g/%.3g", t, t_end);
      part(buf);
    }
    if (steps > 0) {
      std::snprintf(buf, sizeof buf, "%llu steps", static_cast<unsigned long long>(steps));
      part(buf);
    }
    if (has_fraction()) {
      std::snprintf(buf, sizeof buf, " (%.0f%%)", std::floor(100.0 * frac));
      line += buf;
      first = false;
    }
    std::snprintf(buf, sizeof buf, "%.1f s", el);
    part(buf);
    // ETA from the rate over the last few seconds of this phase
    samples.emplace_back(el, frac);
    while (samples.size() > 2 && el - samples[1].first >= 3.0) samples.pop_front();
    if (has_fraction() && frac < 1 && samples.size() >= 2) {
      const double dt = samples.back().first - samples.front().first;
      const double df = samples.back().second - samples.front().second;
      if (dt >= 0.5 && df > 0) {
        std::snprintf(buf, sizeof buf, "ETA %.1f s", (1.0 - frac) * dt / df);
        part(buf);
      }
    }
    const std::size_t w = line.size();
    if (line.size() < width) line.append(width - line.size(), ' ');
    width = w;
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
    last_draw = now;
    dirty = false;
    g_owner = this;
  }

  // Draws when the throttle allows (caller holds g_draw_mu).
  void maybe_draw(bool force = false) {
    const auto now = Clock::now();
    if (force || now - last_draw >= std::chrono::milliseconds(100)) draw(now);
    else dirty = true;
  }

  void start_phase(std::string_view n, std::size_t tot, std::string_view u) {
    name.assign(n);
    unit.assign(u);
    active = true;
    total = tot;
    done = 0;
    t = t_end = 0;
    steps = 0;
    frac = 0;
    phase_start = Clock::now();
    samples.clear();
  }

  void erase() {
    if (g_owner == this && width > 0) {
      std::fprintf(stderr, "\r%*s\r", static_cast<int>(width), "");
      std::fflush(stderr);
    }
    if (g_owner == this) g_owner = nullptr;
    width = 0;
  }

  void tick() {
    std::unique_lock<std::mutex> lk(g_draw_mu);
    while (!stop) {
      cv.wait_for(lk, std::chrono::milliseconds(100));
      if (stop || !active) continue;
      const auto now = Clock::now();
      // redraw pending changes (throttled) and, while the phase runs, at least once a second;
      // only the line that is on the terminal (a nested run's context owns it meanwhile)
      if (g_owner != this && g_owner != nullptr) continue;
      if ((dirty && now - last_draw >= std::chrono::milliseconds(100)) || now - last_draw >= std::chrono::milliseconds(500))
        draw(now);
    }
  }
};

RunContext::RunContext(bool progress, double time_s, std::uint64_t max_steps)
    : budget_(time_s, max_steps), enabled_(progress && ::isatty(STDERR_FILENO) == 1) {
  if (enabled_) {
    display_ = std::make_unique<Display>();
    display_->ticker = std::thread([d = display_.get()] { d->tick(); });
  }
}

RunContext::~RunContext() {
  clear();
  if (display_) {
    {
      std::lock_guard<std::mutex> lk(g_draw_mu);
      display_->stop = true;
    }
    display_->cv.notify_all();
    display_->ticker.join();
  }
}

void RunContext::phase(std::string_view name, std::size_t total, std::string_view unit) {
  if (!display_) return;
  std::lock_guard<std::mutex> lk(g_draw_mu);
  display_->start_phase(name, total, unit);
  display_->maybe_draw(true);  // every named phase is shown once, however short (a fast engine)
}

void RunContext::progress(std::size_t done, std::size_t total, std::string_view what, std::string_view unit) {
  if (!display_) return;
  std::lock_guard<std::mutex> lk(g_draw_mu);
  Display& d = *display_;
  if (!d.active || d.name != what || d.unit != unit || d.total != total) d.start_phase(what, total, unit);
  if (done > d.done) {
    d.done = done;
    d.t = d.t_end = 0;  // a new unit: its integration (if any) starts again
  }
  d.maybe_draw(done >= total);
}

void RunContext::flow_step(double t, double t_end) {
  if (!display_) return;
  std::lock_guard<std::mutex> lk(g_draw_mu);
  Display& d = *display_;
  if (!d.active) d.start_phase("flow", 0, "");
  d.t = t;
  d.t_end = t_end;
  ++d.steps;
  d.maybe_draw();
}

std::function<void(double)> RunContext::flow_callback(double t_end) {
  if (!display_) return {};
  return [this, t_end](double t) { flow_step(t, t_end); };
}

void RunContext::clear() {
  if (!display_) return;
  std::lock_guard<std::mutex> lk(g_draw_mu);
  display_->active = false;
  display_->dirty = false;
  display_->erase();
}

void RunContext::check_budget(std::string_view where) {
  if (budget_.exhausted()) {
    clear();
    throw BudgetExhausted(std::string(where) + ": " + budget_.reason() + " (after " +
                          std::to_string(budget_.steps_used()) + " validated steps)");
  }
}

RunOptions RunContext::rerun_options(unsigned precision) const {
  RunOptions ro;
  ro.precision = precision;
  ro.progress = progress_enabled();
  ro.time_limit_s = time_override_;
  ro.max_steps = steps_override_;
  ro.deadline = deadline_;
  return ro;
}

// ---- registry ----------------------------------------------------------------------------------

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, KindInfo, std::less<>> kinds;
  bool builtins = false;
};

Registry& registry() {
  static Registry r;
  return r;
}

void add_locked(Registry& r, KindInfo k) {
  if (k.name.empty() || !k.run_binary64 || !k.run_mp)
    throw std::logic_error("register_kind: a kind needs a name and runners for both backends");
  if (r.kinds.count(k.name)) throw std::logic_error("register_kind: kind '" + k.name + "' is already registered");
  std::string name = k.name;
  r.kinds.emplace(std::move(name), std::move(k));
}

/// The kinds built into the library. A new kind adds one line here (and its source file to
/// lib/src/cert/meson.build).
std::vector<KindInfo> builtin_kinds() {
  return {
      linear_flow_kind(),
      gaussian_blowup_kind(),
      gaussian_moments_kind(),
      gaussian_classify_kind(),
      gaussian_reach_kind(),
      transformer_flow_kind(),
      transformer_network_kind(),
      bellman_gap_kind(),
      euler_error_kind(),
      gradflow_edi_kind(),
  };
}

Registry& ready_registry() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  if (!r.builtins) {
    r.builtins = true;
    for (auto& k : builtin_kinds()) add_locked(r, std::move(k));
  }
  return r;
}

}  // namespace

void register_kind(KindInfo kind) {
  Registry& r = ready_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  add_locked(r, std::move(kind));
}

const KindInfo* find_kind(std::string_view name) {
  Registry& r = ready_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.kinds.find(name);
  return it == r.kinds.end() ? nullptr : &it->second;
}

std::vector<const KindInfo*> registered_kinds() {
  Registry& r = ready_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<const KindInfo*> v;
  for (const auto& [n, k] : r.kinds) v.push_back(&k);
  return v;
}

// ---- run_config --------------------------------------------------------------------------------

namespace {

/// Name of the text result / claim that reports an exhausted work budget (reserved).
constexpr const char* kBudgetName = "budget";

template <class T>
void run_typed(const KindInfo& kind, const ConfigNode& root, const std::vector<ClaimSpec>& specs, RunContext& ctx,
               Certificate& cert) {
  Results<T> results;
  std::optional<std::string> stopped;  // the kind could not complete: its budget ran out
  auto prefixed = [&](const std::string& what) {  // "<kind>: <what>" (kinds often name themselves)
    return what.rfind(kind.name + ":", 0) == 0 ? what : kind.name + ": " + what;
  };
  auto failure = [&](const std::exception& e) {
    // An enclosure that fails after the budget ran out failed because of it (the integrator
    // stopped early): report the budget, not a numerical failure.
    if (!ctx.budget().exhausted())
      throw EnclosureFailure(kind.name + ": the enclosure could not be computed: " + e.what());
    stopped = prefixed(e.what());
  };
  {
    ode::BudgetScope scope(&ctx.budget());
    ctx.phase(kind.name);  // the kind's own phases (if any) replace it; its name and elapsed time otherwise
    try {
      if constexpr (std::is_same_v<T, Interval>) kind.run_binary64(root, results, ctx);
      else kind.run_mp(root, results, ctx);
    } catch (const ConfigError&) {
      throw;
    } catch (const BudgetExhausted& e) {
      stopped = prefixed(e.what());
    } catch (const std::domain_error& e) {
      failure(e);
    } catch (const std::overflow_error& e) {
      failure(e);
    } catch (const std::range_error& e) {
      failure(e);
    }
  }
  ctx.clear();
  results.erase_into(cert);
  const std::size_t kind_claims = cert.claims.size();
  if (ctx.budget().exhausted()) {
    cert.results.emplace_back(kBudgetName, ResultValue(stopped ? *stopped : ctx.budget().reason() +
                                                                            " (the kind completed with what it had)"));
    cert.informational.push_back(kBudgetName);
  }
  if (stopped) {
    cert.claims.push_back(Claim{kBudgetName, "the run completed within its work budget", Status::unknown,
                                *stopped + "; the results and claims after that point were not computed", std::nullopt});
    // User claims: decided when their quantity was computed, unknown otherwise.
    for (const auto& s : specs) {
      if (const T* q = results.quantity(s.quantity)) {
        cert.claims.push_back(decide_claim(s, *q));
      } else {
        Claim c;
        c.id = s.id;
        c.statement = s.quantity + " " + s.op + " " + s.value_text;
        c.verdict = Status::unknown;
        c.reason = s.quantity + " was not computed: " + *stopped;
        cert.claims.push_back(std::move(c));
      }
    }
  } else {
    resolve_claims(specs, results, root.file(), cert, kind.optional_results);
  }
  // User claim ids must not collide with the kind's own claims.
  std::unordered_map<std::string_view, std::size_t> own;
  for (std::size_t k = 0; k < kind_claims; ++k) own.emplace(cert.claims[k].id, k);
  const std::size_t first_user = cert.claims.size() - specs.size();
  for (std::size_t i = first_user; i < cert.claims.size(); ++i)
    if (own.count(cert.claims[i].id))
      throw ConfigError(root.file(), specs[i - first_user].path + "/id",
                        "a claim id not used by the kind's own claims", "\"" + cert.claims[i].id + "\"");
}

}  // namespace

EffectiveBudget effective_budget(const ConfigNode& root, const RunOptions& options) {
  EffectiveBudget b;
  if (auto bn = root.find("budget")) {
    bn->require_object("a work budget {\"time_s\": seconds, \"steps\": validated steps}");
    bn->only_keys({"time_s", "steps"});
    if (auto t = bn->find("time_s")) {
      const Rational q = t->as_rational();
      if (!(q > 0) || q > Rational(1000000000)) t->fail("a time limit in seconds, > 0 and at most 1e9");
      b.time_s = static_cast<double>(q);
      if (!(b.time_s > 0)) b.time_s = 1e-300;  // a positive limit below the double range: still a limit
    }
    if (auto s = bn->find("steps")) b.steps = static_cast<std::uint64_t>(s->as_int(1, 1'000'000'000'000'000L));
  }
  if (options.time_limit_s) {
    if (!(*options.time_limit_s >= 0) || !std::isfinite(*options.time_limit_s))
      throw std::invalid_argument("the time limit must be a finite number of seconds >= 0 (0: none)");
    b.time_s = *options.time_limit_s;
  }
  if (options.max_steps) b.steps = *options.max_steps;
  if (options.deadline) {
    const double left = std::chrono::duration<double>(*options.deadline - std::chrono::steady_clock::now()).count();
    const double cap = left > 0 ? left : 1e-300;  // a positive limit below anything measurable: spent at once
    b.time_s = b.time_s > 0 ? std::min(b.time_s, cap) : cap;
  }
  return b;
}

Certificate run_config(const ConfigNode& root, const RunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  root.require_object("a JSON object (the config)");
  const ConfigNode kn = root.at("kind");
  const std::string kind_name = kn.is_text() ? kn.as_text() : std::string();
  const KindInfo* kind = find_kind(kind_name);
  if (!kind) {
    std::string names;
    for (const auto* k : registered_kinds()) names += (names.empty() ? "" : ", ") + k->name;
    kn.fail("a known kind (" + names + ")");
  }
  std::vector<std::string> allowed = {"kind", "precision", "budget", "claims"};
  allowed.insert(allowed.end(), kind->fields.begin(), kind->fields.end());
  root.only_keys(allowed);

  unsigned precision = kMinPrecision;
  if (auto p = root.find("precision"))
    precision = static_cast<unsigned>(p->as_int(kMinPrecision, kMaxPrecision));
  if (options.precision) {
    if (*options.precision < kMinPrecision || *options.precision > kMaxPrecision)
      throw std::invalid_argument("precision must be in [53, 65536] bits, got " + std::to_string(*options.precision));
    precision = *options.precision;
  }
  const std::vector<ClaimSpec> specs = parse_claims(root);
  for (const auto& s : specs)
    if (s.id == kBudgetName)
      root.at("claims").fail("claim ids other than \"budget\" (reserved for the work budget)", "a claim \"budget\" at " + s.path);
  const EffectiveBudget budget = effective_budget(root, options);

  Certificate cert;
  cert.build = BuildInfo::current();
  cert.backend = backend_name(precision);
  cert.kind = kind->name;
  cert.input = root.json();
  cert.precision = precision;
  RunContext ctx(options.progress, budget.time_s, budget.steps);
  if (precision == 53) {
    run_typed<Interval>(*kind, root, specs, ctx, cert);
  } else {
    MpPrecisionScope scope(precision);
    run_typed<MpInterval>(*kind, root, specs, ctx, cert);
  }
  cert.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return cert;
}

Certificate run_config_file(const std::filesystem::path& file, const RunOptions& options) {
  return run_config(load_config(file), options);
}

}  // namespace certiformer::cert
