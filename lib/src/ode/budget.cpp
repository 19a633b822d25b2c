// Work budget of a run. See ode/budget.hpp.
#include "certiformer/ode/budget.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>

namespace certiformer::ode {

namespace {
thread_local WorkBudget* g_budget = nullptr;
std::atomic<const char*> g_stop{nullptr};
static_assert(std::atomic<const char*>::is_always_lock_free, "request_stop must be async-signal-safe");

std::string seconds_text(double s) {
  char b[48];
  std::snprintf(b, sizeof b, "%.6g", s);
  return b;
}
}  // namespace

WorkBudget::WorkBudget(double time_s, std::uint64_t max_steps)
    : time_s_(std::isfinite(time_s) && time_s > 0 ? time_s : 0.0),
      max_steps_(max_steps),
      start_(std::chrono::steady_clock::now()) {}

double WorkBudget::elapsed() const noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool WorkBudget::exhausted() noexcept {
  if (!reason_.empty()) return true;
  try {
    if (const char* why = g_stop.load(std::memory_order_relaxed)) {
      reason_ = std::string("stopped: ") + why;
    } else if (max_steps_ > 0 && steps_ >= max_steps_) {
      reason_ = "step budget of " + std::to_string(max_steps_) + " validated steps exhausted";
    } else if (time_s_ > 0 && elapsed() >= time_s_) {
      reason_ = "time budget of " + seconds_text(time_s_) + " s exhausted";
    }
  } catch (...) {  // std::bad_alloc building the message: still report exhaustion
    reason_ = "out of budget";  // fits the small-string buffer: no allocation
  }
  return !reason_.empty();
}

void request_stop(const char* why) noexcept { g_stop.store(why ? why : "stop requested", std::memory_order_relaxed); }
bool stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed) != nullptr; }
void clear_stop_request() noexcept { g_stop.store(nullptr, std::memory_order_relaxed); }

WorkBudget* current_budget() noexcept { return g_budget; }

BudgetScope::BudgetScope(WorkBudget* budget) noexcept : previous_(g_budget) { g_budget = budget; }
BudgetScope::~BudgetScope() { g_budget = previous_; }

}  // namespace certiformer::ode
