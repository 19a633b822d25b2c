#pragma once
/// certiformer/ode/budget.hpp — a work budget (wall time, validated steps) for long runs.
///
/// Valid but huge work (a horizon of 1e6, millions of claims, …) must end. A `WorkBudget` holds a
/// wall-time limit and a limit on the number of validated integrator steps; the run that owns it
/// (cert::RunContext) installs it for the calling thread with `BudgetScope`, and the validated
/// integrator (`enclose_flow`, ode/integrator.hpp) consults `current_budget()` before every
/// step and counts every accepted step. When the budget is spent the integrator stops with
/// verdict `unknown` ("time budget of 600 s exhausted at t = …") and the partial result it
/// already proves (the flow is enclosed on [t0, t_reached]); callers treat that like any other
/// early stop, so an exhausted budget never turns into a claim — it only makes claims unknown.
/// Other long loops (graph building, …) may call `exhausted()` themselves.
///
/// docs/cli.md ("Work budget") and docs/certificates.md describe the user-facing side.

#include <chrono>
#include <cstdint>
#include <string>

namespace certiformer::ode {

class WorkBudget {
 public:
  /// `time_s` ≤ 0 (or not finite): no time limit; `max_steps` = 0: no step limit. The clock
  /// starts at construction.
  /// Checks: nothing (every value is meaningful). Failure: none.
  WorkBudget(double time_s, std::uint64_t max_steps);

  double time_limit() const noexcept { return time_s_; }        ///< 0: none
  std::uint64_t step_limit() const noexcept { return max_steps_; }  ///< 0: none
  std::uint64_t steps_used() const noexcept { return steps_; }
  /// Seconds since construction.
  double elapsed() const noexcept;

  /// Counts one accepted validated step.
  void count_step() noexcept { ++steps_; }
  /// Whether the budget is spent: the step count reached the step limit or the wall time passed
  /// the time limit. Sticky: once it returned true it always does (with the same reason).
  bool exhausted() noexcept;
  /// "time budget of 600 s exhausted" / "step budget of 1000000 validated steps exhausted"
  /// (empty while not exhausted).
  const std::string& reason() const noexcept { return reason_; }

 private:
  double time_s_;
  std::uint64_t max_steps_;
  std::uint64_t steps_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::string reason_;
};

/// A process-wide stop request (a signal handler, a GUI, a Python KeyboardInterrupt): every
/// WorkBudget then reports itself exhausted with reason "stopped: <why>", so running work ends
/// the way an exhausted budget ends it (unknown, with the partial result it already proves).
/// `why` must be a string literal (it is stored, not copied). Async-signal-safe: it only stores
/// to a lock-free atomic. Failure: none.
void request_stop(const char* why) noexcept;
/// Whether a stop was requested (and not cleared).
bool stop_requested() noexcept;
/// Clears a stop request (tests; a long-lived process that handled it).
void clear_stop_request() noexcept;

/// The budget installed for the calling thread (nullptr when none: unlimited).
WorkBudget* current_budget() noexcept;

/// Installs `budget` (may be nullptr) as the calling thread's budget for the lifetime of the
/// scope; the previous one is restored on exit (scopes nest).
class BudgetScope {
 public:
  explicit BudgetScope(WorkBudget* budget) noexcept;
  ~BudgetScope();
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

 private:
  WorkBudget* previous_;
};

}  // namespace certiformer::ode
