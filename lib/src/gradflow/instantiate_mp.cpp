// Explicit instantiations of the gradflow templates for MpInterval (see gradflow/instances.hpp); the
// other scalar backend is in its own file so that the two build in parallel.
#define CERTIFORMER_GRADFLOW_INSTANTIATE
#include "certiformer/gradflow.hpp"

namespace certiformer::gradflow {
CERTIFORMER_GRADFLOW_INSTANCES(, MpInterval)
}  // namespace certiformer::gradflow
