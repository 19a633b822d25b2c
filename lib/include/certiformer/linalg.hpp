#pragma once
/// certiformer/linalg.hpp — umbrella header of the verified linear-algebra module
/// (namespace certiformer::linalg; callers in other modules write linalg::mul, …).
///
///   mul (midpoint-radius products)          linalg/product.hpp
///   upper_bound_norm_*                      linalg/norms.hpp
///   upper_bound_lognorm_*                   linalg/lognorm.hpp
///   certify_zero_near, certify_zero_in_box  linalg/krawczyk.hpp (the one Krawczyk test, F(x) = 0)
///   certify_solve, certify_inverse          linalg/solve.hpp
///   certify_spd                             linalg/spd.hpp
///   enclose_symmetric_eigenvalues, …        linalg/eigen_sym.hpp
///   enclose_expm                            linalg/expm.hpp
///   approx_* (not rigorous helpers)         linalg/approx.hpp
/// See docs/linalg.md for the formulas implemented.
#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/product.hpp"
#include "certiformer/linalg/norms.hpp"
#include "certiformer/linalg/eigen_sym.hpp"
#include "certiformer/linalg/lognorm.hpp"
#include "certiformer/linalg/krawczyk.hpp"
#include "certiformer/linalg/solve.hpp"
#include "certiformer/linalg/spd.hpp"
#include "certiformer/linalg/expm.hpp"
#include "certiformer/linalg/instances.hpp"
