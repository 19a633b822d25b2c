// Explicit instantiations of the P2 templates on the Transformer field for MpInterval (see
// euler/instances.hpp); the other scalar backend is in its own file so that the two build in
// parallel.
#define CERTIFORMER_EULER_INSTANTIATE
#include "certiformer/euler.hpp"
#include "certiformer/euler/instances.hpp"

namespace certiformer::euler {
CERTIFORMER_EULER_INSTANCES(, MpInterval)
}  // namespace certiformer::euler
