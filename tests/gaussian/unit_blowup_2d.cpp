// 2-D information-form blow-up times against the closed forms of docs/mathematics.md §3:
// W = 0: t* = 1/(2ℓ); W = wI: t* = ln(1 + w/ℓ)/(2w), ℓ = λ_max(β Σ_h v_h S_h Σ0).
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {

/// β = 1; heads (v_h I, B_h); W = w I.
ModelSpec model_2d(const std::string& w, const std::vector<std::pair<std::string, Text>>& heads) {
  ModelSpec m;
  m.dim = 2;
  m.beta = parse_exact("1");
  m.W = RMatrix::from_text({{w, "0"}, {"0", w}});
  for (const auto& [v, B] : heads) m.heads.push_back({RMatrix::from_text({{v, "0"}, {"0", v}}), RMatrix::from_text(B)});
  return m;
}

/// ℓ = λ_max(C Σ0) for the 2×2 product X = C Σ0 (real eigenvalues: similar to a symmetric matrix).
template <class T> T ell_2d(const ModelSpec& m, const GaussianSpec& g) {
  auto info = detect_information_form(m);
  REQUIRE(info.has_value());
  const RMatrix C = Rational(1, 2) * info->R;  // R = 2βΣ v S
  const RMatrix X = C * g.cov;
  const T a = enclose<T>(X(0, 0)), b = enclose<T>(X(0, 1)), c = enclose<T>(X(1, 0)), d = enclose<T>(X(1, 1));
  const T tr = a + d, det = a * d - b * c;
  return (tr + sqrt(sqr(tr) - T(4) * det)) / T(2);
}

const Text kCov = {{"1", "0.4"}, {"0.4", "0.65"}};
const Text kB1 = {{"1", "0.5"}, {"-0.3", "0.8"}};
const Text kB2 = {{"0.2", "-1"}, {"0.4", "0.5"}};

/// Exact information form with W = wI, w ≠ 0: P(t) = e^{−2wt}(P0 − Q) + Q, Q = −R/(2w) (R = 2βΣ v_h S_h);
/// ‖Σ(t)‖₂ = 1/λ_min(P(t)) with the 2×2 closed form λ_min = (tr − √(tr² − 4 det))/2, at 256 bits.
MpInterval cov_norm_2d(const ModelSpec& m, const GaussianSpec& g, const std::string& w, double t) {
  MpPrecisionScope scope(256);
  auto info = detect_information_form(m);
  REQUIRE(info.has_value());
  const auto P0 = inverse(g.cov);
  REQUIRE(P0.has_value());
  const Rational wq = parse_exact(w);
  const RMatrix Q = Rational(-1 / (2 * wq)) * info->R;
  const RMatrix A = *P0 - Q;
  const MpInterval e = exp(MpInterval(-2) * enclose<MpInterval>(wq) * MpInterval(t));
  auto P = [&](int i, int j) { return e * enclose<MpInterval>(A(i, j)) + enclose<MpInterval>(Q(i, j)); };
  const MpInterval a = P(0, 0), b = P(0, 1), c = P(1, 0), d = P(1, 1);
  const MpInterval tr = a + d, det = a * d - b * c;
  const MpInterval lam_min = (tr - sqrt(sqr(tr) - MpInterval(4) * det)) / MpInterval(2);
  REQUIRE(certainly_positive(lam_min));
  return MpInterval(1) / lam_min;
}
double cov_norm_lower(const ModelSpec& m, const GaussianSpec& g, const std::string& w, double t) {
  return static_cast<double>(inf(cov_norm_2d(m, g, w, t)));
}

/// Checks sup_cov_norm ≥ ‖Σ(t)‖₂ (closed form, 256 bits) at 65 sample times of [0, horizon]
/// (hence ≥ a lower bound of the true sup); returns the largest sampled lower bound.
double check_sup_cov_norm(const ModelSpec& m, const GaussianSpec& g, const std::string& w, double horizon,
                          double sup_cov_norm) {
  double lower = 0;
  if (!std::isfinite(sup_cov_norm)) return lower;  // +∞ bounds everything (the caller checks finiteness)
  for (int k = 0; k <= 64; ++k) {
    const double t = horizon * k / 64;
    const MpInterval n = cov_norm_2d(m, g, w, t);
    CAPTURE(t);
    CHECK(possibly_less_equal(n, MpInterval(sup_cov_norm)));  // i.e. not certainly above the bound
    lower = std::max(lower, static_cast<double>(inf(n)));
  }
  CHECK(sup_cov_norm >= lower);
  return lower;
}

MpInterval point_mp(double x) { return MpInterval(x); }
MpInterval point_mp(const MpReal& x) { return MpInterval(x, x); }

/// The documented contract of status blowup: t* ∈ (t_lo, t_hi) (strictly, checked against an
/// independent enclosure of t*), t_hi ≤ horizon, and relative_width ≥ (t_hi − t_lo)/t_lo.
template <class T> void check_blowup_contract(const BlowupResult<T>& r, const MpInterval& t_star, double horizon) {
  MpPrecisionScope scope(256);
  const MpInterval lo = point_mp(r.t_lo), hi = point_mp(r.t_hi);
  CHECK(certainly_less(lo, t_star));
  CHECK(certainly_less(t_star, hi));
  CHECK(certainly_less_equal(hi, MpInterval(horizon)));
  const MpInterval width = (hi - lo) / lo;
  CHECK(certainly_less_equal(width, MpInterval(r.relative_width)));
}

/// `expected` is the closed form at 256 bits for both backends (a binary64 enclosure of the closed
/// form is wider than the binary64 bracket, whose width is a few ulps after the final local step).
template <class T> void check_case(const ModelSpec& m, const MpInterval& expected) {
  const double tol = std::is_same_v<T, Interval> ? 1e-14 : 1e-30;
  auto r = certify_blowup_time<T>(m, make_gaussian(kCov), parse_exact("100"));
  INFO(r.verdict.reason());
  REQUIRE(r.status == BlowupStatus::blowup);
  check_blowup_contract(r, expected, 100.0);
  CHECK(r.relative_width <= tol);
  CHECK(r.relative_width > 0);
  MESSAGE(to_string(r.blowup_time, 20), " slabs ", r.slabs);
}

}  // namespace

TEST_CASE_TEMPLATE("2-D, W = 0: t* = 1/(2 ell)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  for (const auto& heads : {std::vector<std::pair<std::string, Text>>{{"1", kB1}},
                            std::vector<std::pair<std::string, Text>>{{"1", kB1}, {"-0.5", kB2}}}) {
    const ModelSpec m = model_2d("0", heads);
    const MpInterval ell = ell_2d<MpInterval>(m, make_gaussian(kCov));
    REQUIRE(certainly_positive(ell));
    check_case<T>(m, MpInterval(1) / (MpInterval(2) * ell));
  }
}

TEST_CASE_TEMPLATE("2-D, W = wI: t* = ln(1 + w/ell)/(2w)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  for (const std::string w : {"0.3", "-0.2", "1.5"}) {
    const ModelSpec m = model_2d(w, {{"1", kB1}});
    const MpInterval ell = ell_2d<MpInterval>(m, make_gaussian(kCov));
    const MpInterval wt = from_text<MpInterval>(w);
    REQUIRE(certainly_positive(wt + ell));
    check_case<T>(m, log1p(wt / ell) / (MpInterval(2) * wt));
  }
}

TEST_CASE_TEMPLATE("2-D, W = wI with w + ell < 0: no blow-up on the horizon", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  const ModelSpec m = model_2d("-2", {{"1", kB1}});
  auto r = certify_blowup_time<T>(m, make_gaussian(kCov), parse_exact("10"));
  INFO(r.verdict.reason());
  CHECK(r.status == BlowupStatus::no_blowup_on_horizon);
  CHECK(r.verdict.is_proved());
  CHECK(r.cov_at_horizon.rows() == 2);
  // sup_cov_norm is an upper bound of sup ‖Σ(t)‖₂ on [0, 10]: at least the closed-form value at
  // every sample time (here P grows, the sup is ‖Σ0‖ at t = 0), and finite.
  CHECK(std::isfinite(r.sup_cov_norm));
  check_sup_cov_norm(m, make_gaussian(kCov), "-2", 10.0, r.sup_cov_norm);
}

TEST_CASE_TEMPLATE("2-D no blow-up with the sup of the covariance at the horizon: sup_cov_norm bounds it", T, Interval,
                   MpInterval) {
  MpPrecisionScope scope(256);
  // v = −0.1, W = 0.5 I: P(t) = e^{−t}(P0 − Q) + Q → Q = 0.2·S (S = sym B1), λ_min(Q) ≈ 0.155 <
  // λ_min(P0) ≈ 0.79, so ‖Σ(t)‖₂ grows from 1.26 towards 6.4: the sup is at the horizon, not at
  // t = 0 (a bound that looked at Σ0 only, or at the slab starts only, is too small).
  const ModelSpec m = model_2d("0.5", {{"-0.1", kB1}});
  auto r = certify_blowup_time<T>(m, make_gaussian(kCov), parse_exact("6"));
  INFO(r.verdict.reason());
  REQUIRE(r.status == BlowupStatus::no_blowup_on_horizon);
  CHECK(std::isfinite(r.sup_cov_norm));
  const double lower = check_sup_cov_norm(m, make_gaussian(kCov), "0.5", 6.0, r.sup_cov_norm);
  CHECK(lower > 2 * cov_norm_lower(m, make_gaussian(kCov), "0.5", 0.0));  // the sup really is away from t = 0
  MESSAGE("sup ‖Σ‖ on [0, 6] ≥ ", lower, ", certified bound ", r.sup_cov_norm, " (ratio ", r.sup_cov_norm / lower, ")");
}

TEST_CASE("unknown paths of the blow-up search are reported, not claimed") {
  const ModelSpec m = model_2d("0.3", {{"1", kB1}});
  BlowupOptions o;
  o.max_slabs = 1;  // the first slab cannot reach t*
  auto r = certify_blowup_time<Interval>(m, make_gaussian(kCov), parse_exact("100"), o);
  CHECK(r.status == BlowupStatus::unknown);
  CHECK(r.verdict.is_unknown());
  CHECK(!r.verdict.reason().empty());
}

TEST_CASE("a width below binary64 resolution: the interval still encloses t*, its width is reported honestly") {
  // rel_tol = 1e-18 cannot be reached with binary64 endpoints (spacing ≈ 1.1e-16 near t*).
  // Contract: either unknown (nothing claimed) or blowup with t* ∈ (t_lo, t_hi), t_hi ≤ horizon
  // and relative_width ≥ (t_hi − t_lo)/t_lo (never a claimed width below the true one).
  MpPrecisionScope scope(256);
  const ModelSpec m = model_2d("0.3", {{"1", kB1}});
  const MpInterval ell = ell_2d<MpInterval>(m, make_gaussian(kCov));
  const MpInterval w = from_text<MpInterval>("0.3");
  const MpInterval t_star = log1p(w / ell) / (MpInterval(2) * w);
  BlowupOptions o2;
  o2.rel_tol = 1e-18;
  auto r2 = certify_blowup_time<Interval>(m, make_gaussian(kCov), parse_exact("100"), o2);
  INFO(r2.verdict.reason());
  if (r2.status == BlowupStatus::unknown) {
    CHECK(r2.verdict.is_unknown());
    return;
  }
  REQUIRE(r2.status == BlowupStatus::blowup);
  check_blowup_contract(r2, t_star, 100.0);
  CHECK(r2.relative_width > 1e-18);
}

TEST_CASE("a blow-up time beyond the horizon is not reported as a blow-up") {
  // Contract: status blowup ⇒ t_hi ≤ horizon. t* = ln(1 + w/ℓ)/(2w); horizons just below and
  // just above t* (relative 1e-6 … 1e-13: down to below the binary64 enclosure width, where
  // the slabs cannot reach the horizon and only unknown or no_blowup_on_horizon are right).
  MpPrecisionScope scope(256);
  const ModelSpec m = model_2d("0.3", {{"1", kB1}});
  const MpInterval ell = ell_2d<MpInterval>(m, make_gaussian(kCov));
  const MpInterval w = from_text<MpInterval>("0.3");
  const MpInterval t_star = log1p(w / ell) / (MpInterval(2) * w);
  const double ts = static_cast<double>(mid(t_star));
  for (const double h : {ts * (1 - 1e-6), ts * (1 - 1e-9), ts * (1 - 1e-12), ts * (1 - 1e-13), ts * (1 + 1e-6)}) {
    CAPTURE(h);
    auto r = certify_blowup_time<Interval>(m, make_gaussian(kCov), Rational(h));
    INFO(r.verdict.reason());
    if (h < ts) {
      CHECK(r.status != BlowupStatus::blowup);
    } else {
      CHECK((r.status == BlowupStatus::blowup || r.status == BlowupStatus::unknown));
    }
    if (r.status == BlowupStatus::blowup) check_blowup_contract(r, t_star, h);
  }
}

TEST_CASE("information form is detected exactly") {
  ModelSpec m = model_2d("0", {{"0.1", kB1}});
  CHECK(detect_information_form(m).has_value());
  m.heads[0].V = RMatrix::from_text({{"0.1", "0"}, {"0", "0.1000000000000000000001"}});
  std::string why;
  CHECK_FALSE(detect_information_form(m, &why).has_value());
  CHECK(why.find("heads[0].V[1][1]") != std::string::npos);
  m.heads[0].V = RMatrix::from_text({{"0.1", "1e-300"}, {"0", "0.1"}});
  CHECK_FALSE(detect_information_form(m).has_value());
  // interval criterion: 0.1 is not a double, so the enclosed model is not recognised
  ModelSpec m2 = model_2d("0", {{"0.1", kB1}});
  CHECK_FALSE(is_information_form(enclose_model<Interval>(m2)));
  ModelSpec m3 = model_2d("0", {{"0.5", kB1}});
  CHECK(is_information_form(enclose_model<Interval>(m3)));
}

TEST_CASE("bad inputs are refused with the field named") {
  ModelSpec m = model_2d("0", {{"1", kB1}});
  auto expect_field = [](auto f, const std::string& field) {
    try {
      f();
      FAIL("no exception");
    } catch (const SpecError& e) {
      CHECK(e.field() == field);
    }
  };
  expect_field([&] { certify_blowup_time<Interval>(m, make_gaussian({{"1", "0.4"}, {"0.41", "0.65"}}), 1); }, "initial.cov");
  expect_field([&] { certify_blowup_time<Interval>(m, make_gaussian({{"1", "2"}, {"2", "1"}}), 1); }, "initial.cov");
  expect_field([&] { certify_blowup_time<Interval>(m, make_gaussian({{"1"}}), 1); }, "initial.mean");
  expect_field([&] { certify_blowup_time<Interval>(m, make_gaussian(kCov), 0); }, "horizon");
  ModelSpec bad = m;
  bad.W = RMatrix::from_text({{"1"}});
  expect_field([&] { certify_blowup_time<Interval>(bad, make_gaussian(kCov), 1); }, "model.W");
}
