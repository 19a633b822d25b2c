#pragma once
/// certiformer/linalg/instances.hpp — the linalg templates are compiled once into the library
/// for T ∈ {Interval, MpInterval} (lib/src/linalg/instantiate.cpp); these declarations keep
/// every including translation unit from instantiating them again.
#include "certiformer/linalg/eigen_sym.hpp"
#include "certiformer/linalg/expm.hpp"
#include "certiformer/linalg/lognorm.hpp"
#include "certiformer/linalg/norms.hpp"
#include "certiformer/linalg/solve.hpp"
#include "certiformer/linalg/spd.hpp"

#define CERTIFORMER_LINALG_INSTANCES(EXTERN, T)                                          \
  EXTERN template UpperBound<real_t<T>> upper_bound_norm_1<T>(const Mat<T>&);                        \
  EXTERN template UpperBound<real_t<T>> upper_bound_norm_inf<T>(const Mat<T>&);                      \
  EXTERN template UpperBound<real_t<T>> upper_bound_norm_frobenius<T>(const Mat<T>&);                \
  EXTERN template UpperBound<real_t<T>> upper_bound_norm_2<T>(const Mat<T>&);                        \
  EXTERN template UpperBound<real_t<T>> upper_bound_norm_2<T>(const Vec<T>&);                        \
  EXTERN template LowerBound<real_t<T>> lower_bound_norm_2<T>(const Vec<T>&);                        \
  EXTERN template UpperBound<real_t<T>> upper_bound_lognorm_inf<T>(const Mat<T>&);                   \
  EXTERN template UpperBound<real_t<T>> upper_bound_lognorm_2<T>(const Mat<T>&);                     \
  EXTERN template SymEigResult<T> enclose_symmetric_eigenvalues<T>(const Mat<T>&);       \
  EXTERN template LowerBound<real_t<T>> lower_bound_lambda_min<T>(const Mat<T>&);                    \
  EXTERN template UpperBound<real_t<T>> upper_bound_lambda_max<T>(const Mat<T>&);                    \
  EXTERN template SolveResult<T> certify_solve<T>(const Mat<T>&, const Vec<T>&);         \
  EXTERN template InverseResult<T> certify_inverse<T>(const Mat<T>&);                    \
  EXTERN template SpdResult<T> certify_spd<T>(const Mat<T>&);                            \
  EXTERN template SpdResult<T> detail::certify_spd_with_shift<T>(const Mat<T>&, const real_t<T>&); \
  EXTERN template SymEigResult<T> detail::symmetric_eigenvalues_with_basis<T>(const Mat<T>&, const Mat<real_t<T>>&); \
  EXTERN template Mat<T> enclose_expm<T>(const Mat<T>&);                                 \
  EXTERN template ExpmPlan<T> expm_parameters<T>(const Mat<T>&);

#ifndef CERTIFORMER_LINALG_INSTANTIATE
namespace certiformer::linalg {
CERTIFORMER_LINALG_INSTANCES(extern, Interval)
CERTIFORMER_LINALG_INSTANCES(extern, MpInterval)
}  // namespace certiformer::linalg
#endif
