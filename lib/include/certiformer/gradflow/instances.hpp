#pragma once
/// certiformer/gradflow/instances.hpp — the heavy gradflow templates (each integrates the
/// augmented field with the Taylor–Lohner engine) are compiled once into the library for
/// T ∈ {Interval, MpInterval} (lib/src/gradflow/instantiate_interval.cpp, instantiate_mp.cpp);
/// these explicit instantiation declarations keep every including translation unit (the
/// gradflow.edi kind, tests, proofs) from instantiating them again. Other T still instantiate
/// from the headers.
#include "certiformer/gradflow/analysis.hpp"
#include "certiformer/gradflow/edi.hpp"

#define CERTIFORMER_GRADFLOW_INSTANCES(EXTERN, T)                                                              \
  EXTERN template EdiResult<T> enclose_energy_dissipation<T>(const Model<T>&, const Vec<T>&, double,           \
                                                             ode::TaylorOptions);                              \
  EXTERN template StationaryResult<T> certify_stationary_nearby<T>(const GradflowField<T>&, double,            \
                                                                   const Vec<T>&);                             \
  EXTERN template StabilityResult<T> enclose_token_stability<T>(const Model<T>&, const Vec<T>&, const T&,      \
                                                                double, ode::TaylorOptions);                   \
  EXTERN template StabilityResult<T> enclose_weight_stability<T>(const Model<T>&, const Vec<T>&, const T&,     \
                                                                 double, ode::TaylorOptions);

#ifndef CERTIFORMER_GRADFLOW_INSTANTIATE
namespace certiformer::gradflow {
CERTIFORMER_GRADFLOW_INSTANCES(extern, Interval)
CERTIFORMER_GRADFLOW_INSTANCES(extern, MpInterval)
}  // namespace certiformer::gradflow
#endif
