// Explicit instantiations of the linalg templates for both scalar backends (see instances.hpp).
#define CERTIFORMER_LINALG_INSTANTIATE
#include "certiformer/linalg.hpp"

namespace certiformer::linalg {
CERTIFORMER_LINALG_INSTANCES(, Interval)
CERTIFORMER_LINALG_INSTANCES(, MpInterval)
}  // namespace certiformer::linalg
