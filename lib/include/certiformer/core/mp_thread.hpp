#pragma once
// Thread lifecycle of the multi-precision backend (MPFR / MPFI).
namespace certiformer {

/// Frees this thread's MPFR caches (the cached constants log 2, π, … that MPFR, built
/// thread-safe, keeps per thread and frees only on request). A thread that used MpInterval /
/// MpReal calls it before it ends, or the caches leak (LeakSanitizer found them in the sweep's
/// evaluator threads). Safe to call at any time: the caches are rebuilt on demand.
/// Implemented in core/mp_interval.cpp.
void release_thread_mp_caches() noexcept;

}  // namespace certiformer
