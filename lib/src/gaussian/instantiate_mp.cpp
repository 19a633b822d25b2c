// Explicit instantiations of the moment-flow templates for MpInterval (see gaussian/instances.hpp); the
// other scalar backend is in its own file so that the two build in parallel.
#define CERTIFORMER_GAUSSIAN_INSTANTIATE
#include "certiformer/gaussian.hpp"

namespace certiformer::gaussian {
CERTIFORMER_GAUSSIAN_INSTANCES(, MpInterval)
}  // namespace certiformer::gaussian
