// The directed-rounding scope: the out-of-line (cold) parts. See core/rounding.hpp.
#include "certiformer/core/rounding.hpp"

#include <string>

namespace certiformer {

const char* to_string(Rounding m) noexcept {
  switch (m) {
    case Rounding::to_nearest: return "to_nearest";
    case Rounding::upward: return "upward";
    case Rounding::downward: return "downward";
    case Rounding::toward_zero: return "toward_zero";
  }
  return "unknown";
}

void require_round_to_nearest(const char* who) {
  const Rounding sse = current_rounding();
#if defined(CERTIFORMER_ROUNDING_X86_64)
  const Rounding x87 = static_cast<Rounding>(detail::read_x87_cw() & detail::kX87RcMask);
#else
  const Rounding x87 = sse;
#endif
  if (sse != Rounding::to_nearest || x87 != Rounding::to_nearest)
    throw std::runtime_error(std::string(who) + ": the FPU is not in round-to-nearest mode on entry (found " +
                             to_string(sse) + ")");
}

void RoundingScope::expect_failed(Rounding m) const {
  throw std::logic_error(std::string("certiformer: a directed-rounding kernel expected ") + to_string(m) +
                         " but the scope has set " + to_string(mode_) + " and binary64 arithmetic rounds " +
                         to_string(current_rounding()));
}

void RoundingScope::fail_switch(Rounding mode) {
  // Called from the constructor (no destructor will run) or from set(): restore the caller's mode.
  restore();
  throw std::runtime_error(std::string("certiformer: cannot switch the rounding mode to ") + to_string(mode));
}

}  // namespace certiformer
