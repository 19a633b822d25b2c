// 2-D information-form blow-up times against the closed forms of SPEC §3:
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

template <class T> void check_case(const ModelSpec& m, const T& expected) {
  const double tol = std::is_same_v<T, Interval> ? 1e-12 : 1e-30;
  auto r = certify_blowup_time<T>(m, make_gaussian(kCov), parse_exact("100"));
  INFO(r.verdict.reason());
  REQUIRE(r.status == BlowupStatus::blowup);
  CHECK(subset(expected, r.blowup_time));
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
    const T ell = ell_2d<T>(m, make_gaussian(kCov));
    REQUIRE(certainly_positive(ell));
    check_case<T>(m, T(1) / (T(2) * ell));
  }
}

TEST_CASE_TEMPLATE("2-D, W = wI: t* = ln(1 + w/ell)/(2w)", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  for (const std::string w : {"0.3", "-0.2", "1.5"}) {
    const ModelSpec m = model_2d(w, {{"1", kB1}});
    const T ell = ell_2d<T>(m, make_gaussian(kCov));
    const T wt = from_text<T>(w);
    REQUIRE(certainly_positive(wt + ell));
    check_case<T>(m, log1p(wt / ell) / (T(2) * wt));
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
  CHECK(std::isfinite(r.sup_cov_norm));
}

TEST_CASE("unknown paths of the blow-up search are reported, not claimed") {
  const ModelSpec m = model_2d("0.3", {{"1", kB1}});
  BlowupOptions o;
  o.max_slabs = 1;  // the first slab cannot reach t*
  auto r = certify_blowup_time<Interval>(m, make_gaussian(kCov), parse_exact("100"), o);
  CHECK(r.status == BlowupStatus::unknown);
  CHECK(r.verdict.is_unknown());
  // precision too low for the requested width: the result says so through its width
  BlowupOptions o2;
  o2.rel_tol = 1e-18;
  auto r2 = certify_blowup_time<Interval>(m, make_gaussian(kCov), parse_exact("100"), o2);
  INFO(r2.verdict.reason());
  CHECK((r2.status == BlowupStatus::unknown || r2.relative_width > 1e-18));
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
