// Explicit instantiations of the engines on the Transformer field for Interval (see
// transformer/instances.hpp); the other scalar backend is in its own file so that the two build
// in parallel.
#define CERTIFORMER_TRANSFORMER_INSTANTIATE
#include "certiformer/transformer/instances.hpp"

namespace certiformer {
CERTIFORMER_TRANSFORMER_INSTANCES(, Interval)
}  // namespace certiformer
