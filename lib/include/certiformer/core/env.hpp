#pragma once
/// certiformer/core/env.hpp — build hazards that would silently break enclosures are refused here.
///
/// Every certiformer header includes this file first. It stops the build when
///  * the translation unit is compiled with -ffast-math (or anything that defines __FAST_MATH__):
///    such code may reassociate, contract across statements or assume no NaN/Inf;
///  * FLT_EVAL_METHOD != 0: intermediate results would be kept in extended precision
///    (x87), so the error-free transformations used by Interval would not be error free;
///  * the target does not round ties-to-even in binary64 (IEEE 754 is required).
/// The project's meson.build adds -frounding-math (the compiler must not constant-fold or move
/// floating-point operations across a rounding-mode switch, which the kernels run inside the one
/// `RoundingScope` of core/rounding.hpp rely on: the matrix product, Taylor sums, row softmax,
/// the Bellman pass and the one-sided bounds of core/bound.hpp); a header cannot
/// test for that flag, so meson.build refuses a configuration without it (see docs/assumptions.md).

#include <cfloat>
#include <limits>

#if defined(__FAST_MATH__)
#error "certiformer: -ffast-math (__FAST_MATH__) breaks interval enclosures; remove it."
#endif

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "certiformer: FLT_EVAL_METHOD must be 0 (binary64 arithmetic without extended intermediates)."
#endif

#if defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__
#error "certiformer: -ffinite-math-only breaks interval enclosures (infinite endpoints are used)."
#endif

static_assert(std::numeric_limits<double>::is_iec559, "certiformer needs IEEE 754 binary64 doubles");
static_assert(std::numeric_limits<double>::digits == 53, "certiformer needs 53-bit doubles");
static_assert(std::numeric_limits<double>::has_denorm == std::denorm_present,
              "certiformer needs gradual underflow");

namespace certiformer {
/// Library version (also in meson.build and every certificate).
inline constexpr const char* version_string = "0.1.0";
}  // namespace certiformer
