#pragma once
/// certiformer/core/rounding.hpp — the library's one directed-rounding scope, and the convention
/// for the kernels that run inside it (docs/core.md, "Rounding scope").
///
/// `Interval` never switches the rounding mode (core/interval.hpp: error-free transformations in
/// round-to-nearest). A few hot loops (the mid-rad matrix product, the Taylor-coefficient sums,
/// the row-wise softmax, the interval Bellman pass) are faster with the FPU rounding upward or
/// downward. They all switch through `RoundingScope`, and nothing else in the library calls
/// `fesetround` or writes MXCSR.
///
/// The scope. `RoundingScope s(Rounding::upward)` saves the caller's rounding mode (whatever it
/// is: round-to-nearest, upward, downward or toward zero), switches to the requested one, and its
/// destructor restores the caller's mode — on normal exit and when an exception leaves the scope.
/// `s.set(m)` switches again inside the scope (the caller's mode is still what is restored).
/// Scopes nest (an inner scope restores the outer scope's mode). Each switch is surrounded by
/// compiler barriers (`asm volatile("" ::: "memory")`): every store issued before the switch
/// is done before it and every load after it is done after it.
///
/// The kernel convention (what the barriers cannot do: GCC 12 may still move a computation that
/// lives only in registers across a mode switch, GCC PR 34678, even with -frounding-math):
///  1. All floating-point work done while a scope is switched happens inside *kernels*:
///     out-of-line `[[gnu::noipa]]` functions defined in a .cpp file (never inline in a header),
///     taking `const RoundingScope&` as their first parameter — the proof that a scope is open.
///  2. A kernel reads its floating-point operands through pointers / references to memory and
///     writes its results through pointers; it returns no floating-point value (a bool / int
///     status at most) and takes no floating-point parameter by value. A scalar computed in the
///     caller's mode and consumed by a kernel is passed through a `volatile` variable or an array
///     filled before the scope opens.
///  3. A kernel's first statement is `scope.expect(Rounding::upward)` (or the mode it needs): it
///     checks both the scope's bookkeeping and the mode the FPU actually uses for binary64
///     arithmetic, and throws std::logic_error on a mismatch (always on; costs one register read).
///  4. No `Interval` operation runs inside a kernel (its error-free transformations assume
///     round-to-nearest); endpoints are read with lower() / upper() and results become Interval
///     objects after the scope has closed. A kernel may call inline helpers (they run in its body)
///     and other kernels.
/// The caller only opens the scope, switches modes with `set` between kernel calls, and branches
/// on the kernels' status results.
///
/// Platform: on x86-64, binary64 arithmetic is done by SSE (MXCSR) and long double by x87; the
/// scope sets and restores the rounding-control bits of both (and only those bits: exception
/// flags raised inside the scope are kept), without a libm call. Elsewhere it uses
/// std::fegetround / std::fesetround.

#include <cfenv>
#include <stdexcept>

#if defined(__x86_64__) && defined(__SSE2__)
#include <xmmintrin.h>
#define CERTIFORMER_ROUNDING_X86_64 1
#endif

namespace certiformer {

/// The IEEE 754 rounding-direction attributes, as their <cfenv> modes.
enum class Rounding : int {
  to_nearest = FE_TONEAREST,
  upward = FE_UPWARD,
  downward = FE_DOWNWARD,
  toward_zero = FE_TOWARDZERO,
};

/// "to_nearest", "upward", "downward", "toward_zero" (or "unknown").
const char* to_string(Rounding m) noexcept;

/// Compiler barrier: no memory access is moved across it (it emits no instruction).
inline void fp_barrier() noexcept { asm volatile("" ::: "memory"); }

namespace detail {
#if defined(CERTIFORMER_ROUNDING_X86_64)
// The rounding-control field: x87 control word bits 10–11 and MXCSR bits 13–14 use the same
// encoding as <cfenv> on x86 (FE_TONEAREST 0, FE_DOWNWARD 0x400, FE_UPWARD 0x800,
// FE_TOWARDZERO 0xc00, shifted by 3 in MXCSR).
inline constexpr unsigned kX87RcMask = 0x0c00u;
inline constexpr unsigned kMxcsrRcMask = 0x6000u;
static_assert(FE_TONEAREST == 0 && FE_DOWNWARD == 0x400 && FE_UPWARD == 0x800 && FE_TOWARDZERO == 0xc00,
              "certiformer: unexpected <cfenv> rounding constants on x86-64");
inline unsigned read_x87_cw() noexcept {
  unsigned short cw;
  asm volatile("fnstcw %0" : "=m"(cw));
  return cw;
}
inline void write_x87_cw(unsigned v) noexcept {
  const unsigned short cw = static_cast<unsigned short>(v);
  asm volatile("fldcw %0" : : "m"(cw));
}
/// The mode SSE binary64 arithmetic uses.
inline int sse_rounding() noexcept { return static_cast<int>((_mm_getcsr() & kMxcsrRcMask) >> 3); }
#endif
}  // namespace detail

/// The rounding mode binary64 arithmetic currently uses (x86-64: the MXCSR field; elsewhere
/// std::fegetround()). Encloses: nothing (a query). Never fails.
inline Rounding current_rounding() noexcept {
#if defined(CERTIFORMER_ROUNDING_X86_64)
  return static_cast<Rounding>(detail::sse_rounding());
#else
  return static_cast<Rounding>(std::fegetround());
#endif
}

/// Checks: the FPU rounds to nearest (the mode `Interval` arithmetic assumes) — on x86-64 both
/// the SSE and the x87 control fields.
/// Failure: std::runtime_error naming `who` and the mode found.
void require_round_to_nearest(const char* who);

/// RAII directed-rounding scope (see the file comment for the kernel convention).
/// Encloses: nothing by itself; it makes the FPU round in `mode` for its lifetime.
/// Assumes: the kernel convention above is followed by the code run inside it.
/// Checks: the switch succeeded (fesetround's status where it is used).
/// Failure: std::runtime_error if the mode cannot be set (the caller's mode is restored first).
/// Method: saves the caller's rounding-control state, switches between compiler barriers;
///   the destructor restores the saved state between compiler barriers (also during unwinding).
class [[nodiscard]] RoundingScope {
 public:
  explicit RoundingScope(Rounding mode) {
#if defined(CERTIFORMER_ROUNDING_X86_64)
    saved_x87_ = detail::read_x87_cw();
    saved_mxcsr_ = _mm_getcsr();
#else
    saved_ = std::fegetround();
#endif
    mode_ = mode;
    switch_to(mode);
  }
  ~RoundingScope() { restore(); }
  RoundingScope(const RoundingScope&) = delete;
  RoundingScope& operator=(const RoundingScope&) = delete;

  /// Switches to `mode` inside the scope (the caller's mode is still what the destructor restores).
  void set(Rounding mode) {
    mode_ = mode;
    switch_to(mode);
  }
  /// The mode this scope has set (what kernels running in it may assume).
  Rounding mode() const noexcept { return mode_; }
  /// The caller's mode, restored when the scope ends.
  Rounding caller_mode() const noexcept {
#if defined(CERTIFORMER_ROUNDING_X86_64)
    return static_cast<Rounding>((saved_mxcsr_ & detail::kMxcsrRcMask) >> 3);
#else
    return static_cast<Rounding>(saved_);
#endif
  }
  /// Checks: the scope has set `m` and binary64 arithmetic really rounds in `m`.
  /// Failure: std::logic_error (a kernel run in the wrong mode: a programming error).
  void expect(Rounding m) const {
    if (mode_ != m || current_rounding() != m) expect_failed(m);
  }

 private:
  [[noreturn]] void expect_failed(Rounding m) const;
  /// The one restore sequence (destructor, and fail_switch before it throws): the caller's
  /// rounding-control state, between compiler barriers.
  void restore() noexcept {
    fp_barrier();
#if defined(CERTIFORMER_ROUNDING_X86_64)
    // only the rounding-control bits are restored: flags raised inside the scope stay raised
    write_rc(saved_x87_ & detail::kX87RcMask, saved_mxcsr_ & detail::kMxcsrRcMask);
#else
    std::fesetround(saved_);
#endif
    fp_barrier();
  }
  void switch_to(Rounding mode) {
    fp_barrier();
#if defined(CERTIFORMER_ROUNDING_X86_64)
    const unsigned rc = static_cast<unsigned>(mode);
    if ((rc & ~detail::kX87RcMask) != 0) fail_switch(mode);
    write_rc(rc, rc << 3);
#else
    if (std::fesetround(static_cast<int>(mode)) != 0) fail_switch(mode);
#endif
    fp_barrier();
  }
#if defined(CERTIFORMER_ROUNDING_X86_64)
  static void write_rc(unsigned x87_rc, unsigned sse_rc) noexcept {
    detail::write_x87_cw((detail::read_x87_cw() & ~detail::kX87RcMask) | x87_rc);
    _mm_setcsr((_mm_getcsr() & ~detail::kMxcsrRcMask) | sse_rc);
  }
#endif
  [[noreturn]] void fail_switch(Rounding mode);

#if defined(CERTIFORMER_ROUNDING_X86_64)
  unsigned saved_x87_ = 0, saved_mxcsr_ = 0;
#else
  int saved_ = FE_TONEAREST;
#endif
  Rounding mode_ = Rounding::to_nearest;
};

}  // namespace certiformer
