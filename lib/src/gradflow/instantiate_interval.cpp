// Explicit instantiations of the gradflow templates for Interval (see gradflow/instances.hpp); the
// other scalar backend is in its own file so that the two build in parallel.
#define CERTIFORMER_GRADFLOW_INSTANTIATE
#include "certiformer/gradflow.hpp"

namespace certiformer::gradflow {
CERTIFORMER_GRADFLOW_INSTANCES(, Interval)
}  // namespace certiformer::gradflow
