// The upward-rounding kernel of the interval Bellman pass (see bellman/graph.hpp,
// enclose_quantised_values). It follows the kernel convention of core/rounding.hpp: it runs in
// a RoundingScope set to upward, reads every operand from memory, writes every result to memory,
// and builds no Interval. -frounding-math -ffp-contract=off (meson).

#include "certiformer/bellman/graph.hpp"

#include <algorithm>
#include <limits>

namespace certiformer::bellman::detail {

[[gnu::noipa]] void bellman_layer_up(const RoundingScope& scope, const double* nv, const std::uint32_t* edge_begin,
                      const std::uint32_t* cand, std::size_t count, std::size_t A, const double* rcl, const double* rch,
                      const double* acl, const double* ach, double* lo_out, double* hi_out) {
  scope.expect(Rounding::upward);
  const double inf_d = std::numeric_limits<double>::infinity();
  for (std::size_t s = 0; s < count; ++s) {
    double best_lo = inf_d, best_hi = inf_d;
    const double rl = rcl[s], rh = rch[s];
    const std::uint32_t* eb = &edge_begin[s * A];
    for (std::size_t j = 0; j < A; ++j) {
      const std::uint32_t b = eb[j], e = eb[j + 1];
      double lo = nv[2 * cand[b]], hi = nv[2 * cand[b] + 1];
      for (std::uint32_t c = b + 1; c < e; ++c) {
        lo = std::min(lo, nv[2 * cand[c]]);
        hi = std::max(hi, nv[2 * cand[c] + 1]);
      }
      const double nl = -rl - acl[j];  // = −down(rcl + acl)   (upward rounding)
      const double ql = -(nl - lo);    // = down(down(rcl + acl) + lo)
      const double qh = (rh + ach[j]) + hi;
      best_lo = std::min(best_lo, ql);
      best_hi = std::min(best_hi, qh);
    }
    lo_out[s] = best_lo;
    hi_out[s] = best_hi;
  }
}

}  // namespace certiformer::bellman::detail
