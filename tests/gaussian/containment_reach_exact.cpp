// Exact reachability of same-rank targets (r ≤ d) with piecewise-constant controls
// (certify_reach_exact) against an independent oracle: the moment ODE with attention off,
// m' = W_k m + b_k, Σ' = W_kΣ + ΣW_kᵀ, integrated piece by piece by validated Taylor–Lohner
// integration (ode::enclose_flow of MomentField, binary64 and 256 bits) with the enclosed controls;
// the exact target must lie in the final enclosure (and the enclosure must be narrow).
#include <doctest/doctest.h>

#include "certiformer/gaussian/sigma_field.hpp"
#include "certiformer/ode/integrator.hpp"
#include "gaussian_test_util.hpp"

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {

/// Validated integration of the piecewise moment flow; returns (m, vech Σ) at T.
template <class T> Vec<T> integrate_pieces(const ExactReachResult<T>& r, const GaussianSpec& g0) {
  const int d = g0.cov.rows();
  Vec<T> x(d + d * (d + 1) / 2);
  const Vec<T> m0 = enclose_vector<T>(g0.mean);
  for (int i = 0; i < d; ++i) x(i) = m0(i);
  pack_vech(enclose_matrix<T>(g0.cov), x, d);
  for (std::size_t k = 0; k < r.pieces.size(); ++k) {
    // x' = f(x) on [0, h] is x' = h f(x) on [0, 1]: W and b scaled by h (exact h enclosed)
    const T h = enclose<T>(r.pieces[k].t1 - r.pieces[k].t0);
    Model<T> m;
    m.dim = d;
    m.beta = T(0);
    m.W = r.W[k];
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) m.W(i, j) = m.W(i, j) * h;
    m.b = Vec<T>::Constant(d, T(0));
    if (r.pieces[k].kind == ReachPiece::Kind::translate)
      for (int i = 0; i < d; ++i) m.b(i) = r.b(i) * h;
    const MomentField<T> f(m);
    auto fr = ode::enclose_flow<T>(f, 0.0, x, 1.0);
    REQUIRE(fr.verdict.is_proved());
    x = fr.enclosure;
  }
  return x;
}

template <class T> void check_reach(const GaussianSpec& g0, const GaussianSpec& g1, const char* horizon, double max_width) {
  const auto r = certify_reach_exact<T>(g0, g1, parse_exact(horizon));
  INFO(r.verdict.reason());
  REQUIRE(r.verdict.is_proved());
  CHECK(r.cross_check_contains_target);
  const int d = g0.cov.rows();
  const Vec<T> x = integrate_pieces<T>(r, g0);
  const Vec<T> m1 = enclose_vector<T>(g1.mean);
  double w = 0;
  for (int i = 0; i < d; ++i) {
    CHECK(subset(m1(i), x(i)));
    w = std::max(w, approx_double(wid(x(i))));
    for (int j = i; j < d; ++j) {
      CHECK(subset(enclose<T>(g1.cov(i, j)), x(d + vech_index(d, i, j))));
      w = std::max(w, approx_double(wid(x(d + vech_index(d, i, j)))));
    }
  }
  MESSAGE("rank ", r.rank, ", ", r.pieces.size(), " pieces, oracle enclosure width ", w);
  CHECK(w < max_width);
}

}  // namespace

TEST_CASE_TEMPLATE("rank-1 target in 2-D (different zero pattern: a quarter turn)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const auto g0 = make_gaussian({{"1", "2"}, {"2", "4"}}, {"1", "0"});
  const auto g1 = make_gaussian({{"0", "0"}, {"0", "3"}}, {"-1", "2"});
  check_reach<T>(g0, g1, "1", std::is_same_v<T, Interval> ? 1e-10 : 1e-40);
}

TEST_CASE_TEMPLATE("rank-2 target in 3-D, and a full-rank 3-D target", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  // Σ0 = v vᵀ + w wᵀ, v = (1, 0, 1), w = (0, 1, -1); Σ1 = diag-free rank 2
  const auto g0 = make_gaussian({{"1", "0", "1"}, {"0", "1", "-1"}, {"1", "-1", "2"}}, {"0", "0", "0"});
  const auto g1 = make_gaussian({{"2", "1", "0"}, {"1", "1", "0"}, {"0", "0", "0"}}, {"1", "2", "3"});
  check_reach<T>(g0, g1, "2", std::is_same_v<T, Interval> ? 1e-9 : 1e-40);
  const auto h0 = make_gaussian({{"1", "0.2", "0"}, {"0.2", "2", "0.1"}, {"0", "0.1", "0.7"}}, {"0.5", "0", "-1"});
  const auto h1 = make_gaussian({{"0.3", "0", "0.05"}, {"0", "0.4", "0"}, {"0.05", "0", "3"}}, {"0", "2", "1"});
  check_reach<T>(h0, h1, "0.5", std::is_same_v<T, Interval> ? 1e-9 : 1e-40);
}

TEST_CASE("rank 0 (point masses) and refusals") {
  const auto g0 = make_gaussian({{"0", "0"}, {"0", "0"}}, {"1", "1"});
  const auto g1 = make_gaussian({{"0", "0"}, {"0", "0"}}, {"0", "-1"});
  const auto r = certify_reach_exact<Interval>(g0, g1, parse_exact("1"));
  CHECK(r.verdict.is_proved());
  CHECK(r.rank == 0);
  CHECK(r.pieces.size() == 1);  // the translation alone
  const auto g2 = make_gaussian({{"1", "0"}, {"0", "0"}});
  CHECK_THROWS_AS(certify_reach_exact<Interval>(g0, g2, parse_exact("1")), SpecError);
  CHECK_THROWS_AS(certify_reach_exact<Interval>(g2, g2, parse_exact("0")), SpecError);
}
