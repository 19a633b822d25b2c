#pragma once
/// certiformer/transformer/instances.hpp — the validated engines on the Transformer field
/// (the flow: structured and Taylor–Lohner; the residual network: Euler iterates of one field or
/// of a layer stack) are compiled once into the library for T ∈ {Interval, MpInterval}
/// (lib/src/transformer/instantiate_interval.cpp, instantiate_mp.cpp). These explicit
/// instantiation declarations keep every translation unit that includes this header (the
/// transformer.flow, transformer.network, euler.error and bellman.gap kinds) from instantiating
/// them again. Not included by the umbrella transformer.hpp (it would pull the flow engines into
/// every user of the field); other T still instantiate from the headers.
#include "certiformer/ode/euler_map.hpp"
#include "certiformer/ode/integrator.hpp"
#include "certiformer/transformer/field.hpp"
#include "certiformer/transformer/flow.hpp"

#define CERTIFORMER_TRANSFORMER_INSTANCES(EXTERN, T)                                                            \
  EXTERN template transformer::TransformerFlowResult<T> transformer::enclose_transformer_flow<T>(                           \
      const transformer::TransformerField<T>&, const Vec<T>&, double, const transformer::TransformerFlowOptions&); \
  EXTERN template ode::FlowResult<T> ode::enclose_flow<T, transformer::TransformerField<T>>(                   \
      const transformer::TransformerField<T>&, double, const Vec<T>&, double, const ode::TaylorOptions&,       \
      std::vector<double>);                                                                                     \
  EXTERN template ode::MapResult<T> ode::enclose_euler_iterates<T, transformer::TransformerField<T>>(           \
      const transformer::TransformerField<T>&, const Vec<T>&, const T&, std::size_t, const T&, ode::Wrapping,  \
      Eigen::Index, const T&);                                                                                  \
  EXTERN template ode::MapResult<T> ode::enclose_stack_iterates<T, transformer::TransformerField<T>>(           \
      const std::vector<transformer::TransformerField<T>>&, const Vec<T>&, const T&, ode::Wrapping, Eigen::Index);

#ifndef CERTIFORMER_TRANSFORMER_INSTANTIATE
namespace certiformer {
CERTIFORMER_TRANSFORMER_INSTANCES(extern, Interval)
CERTIFORMER_TRANSFORMER_INSTANCES(extern, MpInterval)
}  // namespace certiformer
#endif
