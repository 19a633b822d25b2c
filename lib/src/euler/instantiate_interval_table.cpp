// Explicit instantiations of the P2 templates on the Transformer field for Interval: the order table
// (see euler/instances.hpp); the rest is in the other instantiate_*.cpp files so that they
// build in parallel.
#define CERTIFORMER_EULER_INSTANTIATE
#include "certiformer/euler.hpp"
#include "certiformer/euler/instances.hpp"

namespace certiformer::euler {
CERTIFORMER_EULER_TABLE_INSTANCES(, Interval)
}  // namespace certiformer::euler
