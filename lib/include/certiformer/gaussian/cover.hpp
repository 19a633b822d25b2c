#pragma once
/// certiformer/gaussian/cover.hpp — the slab-covering engine behind `certify_blowup_time`,
/// exposed for the classifier and for tests (see blowup.hpp for the mathematics).

#include "certiformer/gaussian/blowup.hpp"
#include "certiformer/gaussian/information.hpp"

#include <vector>

namespace certiformer::gaussian::detail {

/// Optional record of the accepted slab ends (for tests and benchmarks).
struct CoverTrace {
  std::vector<double> slab_ends;
};

/// Certifies, for the information-form flow F: either P(t) SPD on [0, sup(horizon)] (status
/// no_blowup_on_horizon, with Σ(horizon) enclosed), or a blow-up interval (t_lo, t_hi), or
/// unknown. Same contract as `certify_blowup_time`.
template <class T>
BlowupResult<T> cover_information_flow(const InformationFlow<T>& F, const T& horizon, const BlowupOptions& opt,
                                       CoverTrace* trace = nullptr);

}  // namespace certiformer::gaussian::detail
