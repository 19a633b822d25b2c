#pragma once
/// certiformer/linalg/approx.hpp — approximate (NOT rigorous) floating-point linear algebra on
/// midpoint matrices, used to build the data that the certified routines then verify.
///
/// Nothing returned here is an enclosure or a bound: a result is only a good guess, and the
/// certified routines (certify_solve, certify_spd, enclose_symmetric_eigenvalues) check it
/// rigorously. `std::nullopt` means the approximation failed (singular pivot, non-finite data,
/// no convergence).
///
/// double: Eigen (PartialPivLU, LLT, SelfAdjointEigenSolver). MpReal: hand-written loops at the
/// MpReal default precision (set by MpPrecisionScope): Gauss–Jordan with partial pivoting,
/// Cholesky, and cyclic Jacobi started from the binary64 eigenvectors re-orthonormalised in
/// MpReal (so the eigenvectors are orthonormal to the working precision). These avoid Eigen's
/// decompositions on MpReal, which need NumTraits members Boost 1.74 does not provide.

#include "certiformer/core.hpp"

#include <optional>

namespace certiformer::linalg {

/// approx_: approximate inverse of a square matrix (not rigorous: a preconditioner or a
/// starting point that rigorous code then verifies).
/// Encloses: nothing. Assumes: nothing. Checks: M square and finite, nonzero pivots, a finite
///   result. Failure: nullopt when a check fails.
/// Method: LU with partial pivoting in R (Eigen for binary64, hand-written for MpReal), round to
///   nearest.
std::optional<Mat<double>> approx_inverse(const Mat<double>& M);
std::optional<Mat<MpReal>> approx_inverse(const Mat<MpReal>& M);

/// approx_: approximate lower Cholesky factor L (M ≈ L·Lᵀ) of a symmetric matrix (lower triangle
/// used; not rigorous — certify_spd verifies what it builds from L).
/// Encloses: nothing. Assumes: M symmetric (only its lower triangle is read).
/// Checks: M square and finite, every pivot > 0, a finite factor. Failure: nullopt.
/// Method: Cholesky in R (Eigen LLT for binary64, hand-written for MpReal), round to nearest.
std::optional<Mat<double>> approx_cholesky(const Mat<double>& M);
std::optional<Mat<MpReal>> approx_cholesky(const Mat<MpReal>& M);

/// approx_: approximate eigen-decomposition of a symmetric matrix: eigenvalues ascending,
/// eigenvectors as orthonormal columns in the same order (empty matrix when `vectors` is false).
/// Encloses: nothing (enclose_symmetric_eigenvalues verifies). Assumes: M symmetric.
/// Checks: M square and finite, solver success, finite results. Failure: nullopt.
/// Method: Eigen's SelfAdjointEigenSolver for binary64, cyclic Jacobi rotations for MpReal
///   (round to nearest), then sorted ascending.
template <class R> struct ApproxSymEig {
  Vec<R> values;
  Mat<R> vectors;
};
std::optional<ApproxSymEig<double>> approx_symmetric_eigen(const Mat<double>& M, bool vectors = true);
std::optional<ApproxSymEig<MpReal>> approx_symmetric_eigen(const Mat<MpReal>& M, bool vectors = true);

}  // namespace certiformer::linalg
