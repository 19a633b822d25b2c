#pragma once
/// certiformer/euler/instances.hpp — the heavy P2 templates on the Transformer field (the order
/// table: one validated flow run plus the Euler iterates of every depth; the discrete adjoint
/// gradient; the flow-gradient stationarity test) are compiled once into the library for
/// T ∈ {Interval, MpInterval} (lib/src/euler/instantiate_*.cpp);
/// these explicit instantiation declarations keep every translation unit that includes this
/// header (the euler.error kind) from instantiating them again. Not included by euler.hpp; other
/// T still instantiate from the headers.
#include "certiformer/euler/adjoint.hpp"
#include "certiformer/euler/error.hpp"
#include "certiformer/euler/flow_stationarity.hpp"
#include "certiformer/transformer/instances.hpp"

// Two groups, so that the binary64 definitions compile in two files in parallel (the order table
// and the adjoint gradient are each among the slowest instantiations of the library).
#define CERTIFORMER_EULER_TABLE_INSTANCES(EXTERN, T)                                                            \
  EXTERN template OrderTable<T> enclose_order_table<T>(const transformer::TransformerField<T>&, const Vec<T>&,  \
                                                       double, const std::vector<std::size_t>&, const EulerOptions&);
#define CERTIFORMER_EULER_GRADIENT_INSTANCES(EXTERN, T)                                                         \
  EXTERN template GradientEnclosure<T> enclose_loss_gradient<T>(const transformer::TransformerField<T>&,        \
                                                                const Vec<T>&, const transformer::Readout<T>&, \
                                                                const T&, std::size_t, ode::Wrapping);         \
  EXTERN template FlowStationarity<T> certify_flow_not_stationary_from_discrete<T>(                            \
      const transformer::TransformerField<T>&, const Vec<T>&, const transformer::Readout<T>&, double,           \
      const GradientEnclosure<T>&, FlowGradientMode, const ode::TaylorOptions&,                                 \
      const std::function<void(std::size_t, std::size_t)>&);
#define CERTIFORMER_EULER_INSTANCES(EXTERN, T) \
  CERTIFORMER_EULER_TABLE_INSTANCES(EXTERN, T) \
  CERTIFORMER_EULER_GRADIENT_INSTANCES(EXTERN, T)

#ifndef CERTIFORMER_EULER_INSTANTIATE
namespace certiformer::euler {
CERTIFORMER_EULER_INSTANCES(extern, Interval)
CERTIFORMER_EULER_INSTANCES(extern, MpInterval)
}  // namespace certiformer::euler
#endif
