#pragma once
/// certiformer/gaussian/instances.hpp — the validated moment flow (Taylor–Lohner on the moment
/// field) and its use at the horizon are compiled once into the library for
/// T ∈ {Interval, MpInterval} (lib/src/gaussian/instantiate_interval.cpp, instantiate_mp.cpp);
/// these explicit instantiation declarations keep every including translation unit (the gaussian
/// kinds, tests, proofs) from instantiating them again. Other T still instantiate from the headers.
#include "certiformer/gaussian/flow_at_horizon.hpp"
#include "certiformer/gaussian/moment_flow.hpp"

#define CERTIFORMER_GAUSSIAN_INSTANCES(EXTERN, T)                                                            \
  EXTERN template MomentFlowResult<T> enclose_moment_flow<T>(const Model<T>&, const Moments<T>&, double,     \
                                                             const ode::TaylorOptions&);                     \
  EXTERN template MomentFlowAtHorizon<T> enclose_moment_flow_at_horizon<T>(const ModelSpec&, const GaussianSpec&, \
                                                                           const Rational&, const ode::TaylorOptions&);

#ifndef CERTIFORMER_GAUSSIAN_INSTANTIATE
namespace certiformer::gaussian {
CERTIFORMER_GAUSSIAN_INSTANCES(extern, Interval)
CERTIFORMER_GAUSSIAN_INSTANCES(extern, MpInterval)
}  // namespace certiformer::gaussian
#endif
