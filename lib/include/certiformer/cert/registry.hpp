#pragma once
/// certiformer/cert/registry.hpp — config kinds, and running a config into a certificate.
///
/// A *kind* ("linear.flow", …) is a named computation. It registers a `KindInfo`: its name, a
/// one-line description (shown by `certiformer list`), the top-level config fields it accepts,
/// a runner for each scalar backend, and optionally a custom re-check for `certiformer check`.
/// The CLI only talks to this registry, so a new kind plugs in by adding one line to
/// `builtin_kinds()` in lib/src/cert/registry.cpp (or calling `register_kind` at start-up).
///
/// Writing a kind: a struct K with
///     static constexpr const char* name, description;
///     static std::vector<std::string> fields();           // top-level fields besides
///                                                          // kind / precision / claims
///     template <class T> static void run(const ConfigNode& cfg, Results<T>& out, RunContext& ctx);
/// and `make_kind<K>()`. `run` reads its fields through `ConfigNode` (throwing ConfigError for
/// any bad field before computing anything), computes enclosures with scalar T at the current
/// precision, and adds them to `out` (plus any claims the kind decides itself). It throws
/// std::domain_error / std::overflow_error when an enclosure cannot be computed; `run_config`
/// turns that into `EnclosureFailure`.

#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/check.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/ode/budget.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace certiformer::cert {

/// Precision limits for configs and the command line (bits).
inline constexpr unsigned kMinPrecision = 53;
inline constexpr unsigned kMaxPrecision = 65536;

/// Defaults of the work budget of one run (docs/cli.md, "Work budget"): wall time in seconds
/// and validated integrator steps. Configs ("budget") and the command line override them.
inline constexpr double kDefaultTimeLimit = 600;
inline constexpr std::uint64_t kDefaultMaxSteps = 1'000'000;

/// Thrown by `RunContext::check_budget` when the run's work budget is spent. `run_config`
/// turns it (and any enclosure failure that happens after the budget ran out) into a
/// certificate whose unfinished claims are unknown, with this message as the reason.
class BudgetExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  std::optional<unsigned> precision;  ///< overrides the config's "precision" (≥ 53)
  bool progress = false;              ///< progress on stderr (only when it is a terminal)
  /// Work budget: override the config's "budget" (and the defaults kDefaultTimeLimit /
  /// kDefaultMaxSteps). 0 means no limit.
  std::optional<double> time_limit_s;
  std::optional<std::uint64_t> max_steps;
  /// A wall-clock deadline shared by several runs (CLI --total-time): the run's time limit
  /// becomes min(its own limit, time left until the deadline); a run started at or after the
  /// deadline gets a vanishing time limit and ends unknown at once.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

/// Context of one run: progress reporting for long work, and the run's work budget.
///
/// Progress (docs/cli.md, "Progress") is organised in *phases*: a phase has a name, its own
/// count done/total in the unit of its work (directions, states, layers, …; none for a single
/// integration) and, within the current unit, the position t/T of a validated integration and
/// the number of steps taken. One line on stderr shows the current phase:
///     `  <phase>: <done>/<total> <unit>, t <t>/<T>, <n> steps (<pct>%), <elapsed> s, ETA <s> s`
/// (parts that do not apply are left out). The percentage never decreases within a phase; a
/// new phase starts its own count. The ETA comes from the rate measured over the last few
/// seconds (so an integration whose steps shrink does not get a linear-from-zero estimate).
/// Redraws are throttled to ≤ 10 per second; a background ticker redraws the line (elapsed time)
/// every half second while a phase is active, also during work that reports nothing.
class RunContext {
 public:
  /// `progress`: whether the caller wants progress at all (not --quiet); it is shown only when
  /// stderr is also a terminal. `time_s` (≤ 0: none) and `max_steps` (0: none) set the budget;
  /// the defaults are unlimited (run_config passes the effective budget).
  explicit RunContext(bool progress = false, double time_s = 0, std::uint64_t max_steps = 0);
  ~RunContext();
  RunContext(const RunContext&) = delete;
  RunContext& operator=(const RunContext&) = delete;
  bool progress_enabled() const noexcept { return enabled_; }
  /// `done` of `total` units (`unit`, e.g. "directions"; may be empty) of phase `what`
  /// finished: starts phase `what` when it is not the current phase, then advances it (a
  /// smaller `done` than before is ignored). Nothing when disabled.
  void progress(std::size_t done, std::size_t total, std::string_view what, std::string_view unit = {});
  /// Starts phase `name` with `total` units of `unit` (total 0: the phase is one piece of work,
  /// e.g. one integration, whose progress comes from `flow_step`).
  void phase(std::string_view name, std::size_t total = 0, std::string_view unit = {});
  /// Within the current unit of the current phase, a validated integration on [0, t_end]
  /// reached `t` with one more accepted step.
  void flow_step(double t, double t_end);
  /// A callback for ode::TaylorOptions::on_step reporting `flow_step(t, t_end)` to this
  /// context (empty when progress is disabled). The context must outlive its use.
  std::function<void(double)> flow_callback(double t_end);
  /// Clears the progress line (if one was drawn) and ends the current phase.
  void clear();
  /// The run's work budget. run_config installs it for the validated integrator
  /// (ode::BudgetScope), which counts its steps and stops with `unknown` when it is spent.
  ode::WorkBudget& budget() noexcept { return budget_; }
  /// For long loops outside the integrator (graph building, …): throws BudgetExhausted
  /// ("<kind work>: time budget of 600 s exhausted") when the budget is spent.
  void check_budget(std::string_view where);
  /// Options for a nested run (a kind's custom re-check calls run_config): `precision`, this
  /// context's progress setting and the budget overrides given to it (set_overrides).
  RunOptions rerun_options(unsigned precision) const;
  void set_overrides(std::optional<double> time_limit_s, std::optional<std::uint64_t> max_steps,
                     std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt) {
    time_override_ = time_limit_s;
    steps_override_ = max_steps;
    deadline_ = deadline;
  }

  struct Display;  ///< progress line state and its ticker (registry.cpp)

 private:
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::optional<double> time_override_;
  std::optional<std::uint64_t> steps_override_;
  ode::WorkBudget budget_;
  bool enabled_;
  std::unique_ptr<Display> display_;  ///< null when disabled
};

struct KindInfo {
  std::string name;
  std::string description;
  std::vector<std::string> fields;  ///< top-level fields besides "kind", "precision", "claims"
  /// Results the kind produces only in some outcomes (e.g. blowup_time only when a blow-up or a
  /// lower bound of its time is proved): a user claim on one that a run did not produce is
  /// decided `unknown` with the reason, not a config error. Names are base names ("x" covers
  /// "x", "x[0]", "x[1][2]", …).
  std::vector<std::string> optional_results;
  /// Results that are properties of a whole parameter box (a supremum over it, a statement at a
  /// level that assumes the run's own box), not "for every parameter p in the box: q(p) ∈
  /// enclosure". A claim proved on every sub-box of a cover does not hold on the union for these,
  /// so `certiformer sweep` refuses claims on them (exit 65 at /claims/i/quantity). Base names.
  std::vector<std::string> box_level_results;
  std::function<void(const ConfigNode&, Results<Interval>&, RunContext&)> run_binary64;
  std::function<void(const ConfigNode&, Results<MpInterval>&, RunContext&)> run_mp;
  /// Optional: custom check of a certificate at `precision` bits. Default (when empty): re-run
  /// from `input` with `run_config` and `compare_with_rerun`.
  std::function<void(const Certificate& claimed, const ConfigNode& input, unsigned precision, RunContext&,
                     CheckReport&)>
      recheck;
};

template <class K>
KindInfo make_kind() {
  KindInfo k;
  k.name = K::name;
  k.description = K::description;
  k.fields = K::fields();
  if constexpr (requires { K::optional_results(); }) k.optional_results = K::optional_results();
  if constexpr (requires { K::box_level_results(); }) k.box_level_results = K::box_level_results();
  k.run_binary64 = [](const ConfigNode& c, Results<Interval>& r, RunContext& ctx) { K::template run<Interval>(c, r, ctx); };
  k.run_mp = [](const ConfigNode& c, Results<MpInterval>& r, RunContext& ctx) { K::template run<MpInterval>(c, r, ctx); };
  return k;
}

/// Adds a kind. Failure: std::logic_error if the name is taken or a runner is missing.
void register_kind(KindInfo kind);
/// The kind called `name`, or nullptr.
const KindInfo* find_kind(std::string_view name);
/// All kinds, sorted by name.
std::vector<const KindInfo*> registered_kinds();

/// A run whose enclosure could not be computed (overflow, a function leaving its domain, …).
/// Nothing is claimed: the CLI reports it as `unknown` (exit 2) and writes no certificate.
class EnclosureFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};


/// The effective budget of a run: options, else the config's "budget", else the defaults.
/// Checks: "budget" is an object with only "time_s" (a number > 0, at most 1e9) and "steps" (an
///   integer in [1, 1e15]). Failure: ConfigError at the offending field.
struct EffectiveBudget {
  double time_s = kDefaultTimeLimit;        ///< 0: no limit
  std::uint64_t steps = kDefaultMaxSteps;   ///< 0: no limit
};
EffectiveBudget effective_budget(const ConfigNode& root, const RunOptions& options);

/// Runs one config into a certificate.
/// Checks: root is an object; "kind" names a registered kind; only the kind's fields and
///   "kind", "precision", "budget", "claims" are present; "precision" is an integer in
///   [53, 65536]; "budget" as in effective_budget; claims are well formed and name existing
///   quantities; the kind validates its own fields.
/// Method: precision 53 runs the kind with Interval, > 53 with MpInterval at that many bits
///   (MpPrecisionScope); the kind's own claims come first, then the user claims in order. The
///   work budget is installed for the integrator (ode::BudgetScope).
/// Budget: when the budget is spent the kind stops early. If it still completed (it treats the
///   integrator's early stop like any inconclusive step), the certificate is complete and has a
///   text result "budget" with the reason. If it could not complete, the certificate holds the
///   results computed so far, the text result "budget", a claim "budget" (unknown, with the
///   reason, e.g. "time budget of 600 s exhausted at t = 12.5 …"), and every user claim: decided
///   when its quantity was computed, unknown otherwise. Never a hang, never a wrong verdict.
/// Failure: ConfigError (bad config; nothing is computed or written), EnclosureFailure,
///   std::invalid_argument if options.precision < 53.
Certificate run_config(const ConfigNode& root, const RunOptions& options = {});
Certificate run_config_file(const std::filesystem::path& file, const RunOptions& options = {});

}  // namespace certiformer::cert
