// The final local step of the information-form blow-up bracket (docs/gaussian.md §4, "Final local
// step"): binary64 brackets of relative width ≤ 1e-14 that contain the closed forms (computed at
// 256 bits), and brackets well conditioned in Σ0 (λ_min(Σ0) = 1e-8, d = 4, two heads).
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {

/// The contract of status blowup against an independent enclosure of t* (256 bits):
/// t_lo < t* < t_hi strictly, t_hi ≤ horizon, relative_width ≥ (t_hi − t_lo)/t_lo.
void check_contract(const BlowupResult<Interval>& r, const MpInterval& t_star, double horizon) {
  MpPrecisionScope scope(256);
  INFO(r.verdict.reason());
  REQUIRE(r.status == BlowupStatus::blowup);
  const MpInterval lo(r.t_lo), hi(r.t_hi);
  CHECK(certainly_less(lo, t_star));
  CHECK(certainly_less(t_star, hi));
  CHECK(certainly_less_equal(hi, MpInterval(horizon)));
  CHECK(certainly_less_equal((hi - lo) / lo, MpInterval(r.relative_width)));
}

/// ℓ = λ_max(X) of a 2×2 matrix X with real eigenvalues (X = (R/2)·Σ0 is similar to a symmetric one).
MpInterval lam_max_2x2(const RMatrix& X) {
  const MpInterval a = enclose<MpInterval>(X(0, 0)), b = enclose<MpInterval>(X(0, 1)),
                   c = enclose<MpInterval>(X(1, 0)), d = enclose<MpInterval>(X(1, 1));
  const MpInterval tr = a + d, det = a * d - b * c;
  return (tr + sqrt(sqr(tr) - MpInterval(4) * det)) / MpInterval(2);
}

RMatrix block(const RMatrix& X, int r0) {
  RMatrix b(2, 2);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) b(i, j) = X(r0 + i, r0 + j);
  return b;
}

/// d = 4, two heads (V = I and V = −I/2), block-diagonal B_h and Σ0, W = wI. The blocks decouple, so
/// t* = min over the two blocks k of ln(1 + w/ℓ_k)/(2w) (1/(2ℓ_k) at w = 0), ℓ_k = λ_max((R/2)Σ0)
/// on block k (R = 2βΣ_h v_h S_h): the scalar closed form along the top eigenvector.
ModelSpec model_4d(const std::string& w) {
  ModelSpec m;
  m.dim = 4;
  m.beta = parse_exact("1");
  m.W = RMatrix::from_text({{w, "0", "0", "0"}, {"0", w, "0", "0"}, {"0", "0", w, "0"}, {"0", "0", "0", w}});
  m.heads.push_back({RMatrix::identity(4), RMatrix::from_text({{"1", "0.5", "0", "0"},
                                                               {"-0.3", "0.8", "0", "0"},
                                                               {"0", "0", "0.6", "0.1"},
                                                               {"0", "0", "0.3", "0.7"}})});
  m.heads.push_back({RMatrix::from_text({{"-0.5", "0", "0", "0"}, {"0", "-0.5", "0", "0"}, {"0", "0", "-0.5", "0"},
                                         {"0", "0", "0", "-0.5"}}),
                     RMatrix::from_text({{"0.2", "-1", "0", "0"},
                                         {"0.4", "0.5", "0", "0"},
                                         {"0", "0", "0.3", "0"},
                                         {"0", "0", "0.1", "0.2"}})});
  return m;
}
/// Σ0 = blockdiag([[1, 1 − ε], [1 − ε, 1]], [[1, 1/2], [1/2, 1]]): λ_min = ε (eigenvector (1, −1)/√2).
GaussianSpec cov_4d(const std::string& one_minus_eps) {
  return make_gaussian({{"1", one_minus_eps, "0", "0"}, {one_minus_eps, "1", "0", "0"}, {"0", "0", "1", "0.5"}, {"0", "0", "0.5", "1"}});
}
MpInterval t_star_4d(const ModelSpec& m, const GaussianSpec& g, const std::string& w) {
  MpPrecisionScope scope(256);
  auto info = detect_information_form(m);
  REQUIRE(info.has_value());
  const RMatrix X = Rational(1, 2) * info->R * g.cov;
  const MpInterval wq = from_text<MpInterval>(w);
  MpInterval best;
  bool first = true;
  for (int k : {0, 2}) {
    const MpInterval ell = lam_max_2x2(block(X, k));
    if (!certainly_positive(ell)) continue;
    const MpInterval t = contains_zero(wq) ? MpInterval(1) / (MpInterval(2) * ell)
                                           : log1p(wq / ell) / (MpInterval(2) * wq);
    if (first || certainly_less(t, best)) best = t;
    else REQUIRE(certainly_less(best, t));  // the two blocks' times must be separated
    first = false;
  }
  REQUIRE(!first);
  return best;
}

}  // namespace

TEST_CASE("binary64 brackets at relative width <= 1e-14 contain the scalar closed forms") {
  struct Case {
    const char *w, *c, *s0;
    MpInterval (*t)();
  };
  MpPrecisionScope scope(256);
  const Case cases[] = {
      {"0.5", "1", "1", [] { return log(from_text<MpInterval>("1.5")); }},  // ln(3/2)
      {"-0.5", "1", "1", [] { return log(from_text<MpInterval>("2")); }},   // ln 2
      {"0", "1", "2", [] { return from_text<MpInterval>("0.25"); }},         // 1/4
      {"0.3", "0.7", "0.9",                                                  // ln(1 + w/(cσ0))/(2w)
       [] { return log1p(from_text<MpInterval>("0.3") / from_text<MpInterval>("0.63")) / from_text<MpInterval>("0.6"); }},
  };
  for (const auto& k : cases) {
    const MpInterval t_star = k.t();
    auto r = certify_blowup_time<Interval>(scalar_model(k.w, k.c), scalar_gaussian(k.s0), parse_exact("10"));
    const std::string w = k.w, s0 = k.s0;
    CAPTURE(w);
    CAPTURE(s0);
    check_contract(r, t_star, 10);
    CHECK(r.relative_width <= 1e-14);
    BlowupOptions off;
    off.final_local_step = false;
    auto r0 = certify_blowup_time<Interval>(scalar_model(k.w, k.c), scalar_gaussian(k.s0), parse_exact("10"), off);
    check_contract(r0, t_star, 10);
    MESSAGE("scalar w=", w, " s0=", s0, ": rel. width ", r.relative_width, " (covering alone ", r0.relative_width, ")");
  }
}

TEST_CASE("binary64 brackets at relative width <= 1e-14: 2-D and 4-D closed forms") {
  for (const std::string w : {"0", "0.3", "-0.2", "1.5"}) {
    const ModelSpec m = model_4d(w);
    const GaussianSpec g = cov_4d("0.5");  // well conditioned
    const MpInterval t_star = t_star_4d(m, g, w);
    auto r = certify_blowup_time<Interval>(m, g, parse_exact("50"));
    CAPTURE(w);
    check_contract(r, t_star, 50);
    CHECK(r.relative_width <= 1e-14);
    MESSAGE("4-D w=", w, ": rel. width ", r.relative_width, " slabs ", r.slabs);
  }
}

TEST_CASE("well conditioned in Sigma0: lambda_min(Sigma0) = 1e-8, d = 4, two heads") {
  for (const std::string w : {"0", "0.3"}) {
    const ModelSpec m = model_4d(w);
    const GaussianSpec g = cov_4d("0.99999999");  // λ_min(Σ0) = 1e-8
    const MpInterval t_star = t_star_4d(m, g, w);
    auto r = certify_blowup_time<Interval>(m, g, parse_exact("50"));
    CAPTURE(w);
    check_contract(r, t_star, 50);
    CHECK(r.relative_width <= 1e-12);
    CHECK(r.verdict.reason().find("Cholesky") != std::string::npos);
    BlowupOptions off;
    off.final_local_step = false;
    auto r0 = certify_blowup_time<Interval>(m, g, parse_exact("50"), off);
    check_contract(r0, t_star, 50);
    CHECK(r0.relative_width > 1e-9);  // the covering alone is ill conditioned: the step is what makes it tight
    MESSAGE("lambda_min(Sigma0) = 1e-8, w=", w, ": rel. width ", r.relative_width, " (covering alone ",
            r0.relative_width, ")");
  }
}

TEST_CASE("256 bits: the refined binary64 bracket contains the 256-bit and 113-bit brackets") {
  // `certiformer check` re-derives a binary64 certificate at 113 bits: its bracket must lie inside.
  const ModelSpec m = model_4d("0.3");
  for (const std::string e : {"0.5", "0.99999999"}) {
    const GaussianSpec g = cov_4d(e);
    auto r = certify_blowup_time<Interval>(m, g, parse_exact("50"));
    REQUIRE(r.status == BlowupStatus::blowup);
    for (unsigned bits : {113u, 256u}) {
      MpPrecisionScope scope(bits);
      auto rm = certify_blowup_time<MpInterval>(m, g, parse_exact("50"));
      INFO(rm.verdict.reason());
      REQUIRE(rm.status == BlowupStatus::blowup);
      CAPTURE(bits);
      CHECK(rm.t_lo >= MpReal(r.t_lo));
      CHECK(rm.t_hi <= MpReal(r.t_hi));
      CHECK(rm.relative_width <= std::ldexp(1.0, -static_cast<int>(0.5 * bits)) * 1.0000001);
    }
  }
}
