// Kind "linear.flow": registry entry and explicit instantiations. See cert/linear_flow.hpp.
#include "certiformer/cert/linear_flow.hpp"

namespace certiformer {

template Vec<Interval> enclose_linear_flow<Interval>(const Mat<Interval>&, const Vec<Interval>&, const Vec<Interval>&,
                                                     const Interval&);
template Vec<MpInterval> enclose_linear_flow<MpInterval>(const Mat<MpInterval>&, const Vec<MpInterval>&,
                                                         const Vec<MpInterval>&, const MpInterval&);

namespace cert {
KindInfo linear_flow_kind() { return make_kind<LinearFlowKind>(); }
}  // namespace cert

}  // namespace certiformer
