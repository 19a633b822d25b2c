#pragma once
/// certiformer/core/verdict.hpp — three-valued results of checks.
///
/// A check is `proved`, `refuted` (certainly false) or `unknown` (not enough precision, a failed
/// enclosure, or an undecidable overlap). There is deliberately no conversion to bool: callers
/// must ask `is_proved()` and handle the other two outcomes. `unknown` never turns into a claim.

#include "certiformer/core/env.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace certiformer {

enum class Status { proved, refuted, unknown };

inline std::string_view to_string(Status s) noexcept {
  switch (s) {
    case Status::proved: return "proved";
    case Status::refuted: return "refuted";
    case Status::unknown: return "unknown";
  }
  return "unknown";
}

class Verdict {
 public:
  static Verdict proved(std::string reason = {}) { return Verdict(Status::proved, std::move(reason)); }
  static Verdict refuted(std::string reason) { return Verdict(Status::refuted, std::move(reason)); }
  static Verdict unknown(std::string reason) { return Verdict(Status::unknown, std::move(reason)); }

  Status status() const noexcept { return status_; }
  bool is_proved() const noexcept { return status_ == Status::proved; }
  bool is_refuted() const noexcept { return status_ == Status::refuted; }
  bool is_unknown() const noexcept { return status_ == Status::unknown; }
  const std::string& reason() const noexcept { return reason_; }

  /// Conjunction: proved iff both proved; refuted if either is refuted; otherwise unknown.
  friend Verdict operator&&(const Verdict& a, const Verdict& b) {
    if (a.is_refuted()) return a;
    if (b.is_refuted()) return b;
    if (a.is_unknown()) return a;
    if (b.is_unknown()) return b;
    std::string r = a.reason_;
    if (!b.reason_.empty()) r += (r.empty() ? "" : "; ") + b.reason_;
    return proved(r);
  }

  explicit operator bool() const = delete;

 private:
  Verdict(Status s, std::string r) : status_(s), reason_(std::move(r)) {}
  Status status_;
  std::string reason_;
};

}  // namespace certiformer
