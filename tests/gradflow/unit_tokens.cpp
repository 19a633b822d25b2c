// tests/gradflow — initial tokens on the sphere and the slope verdict (gradflow/tokens.hpp),
// called directly: the library path the gradflow.edi kind adapts.
#include "certiformer/gradflow.hpp"
#include "certiformer/gradflow/tokens.hpp"

#include <doctest/doctest.h>

using namespace certiformer;
using namespace certiformer::gradflow;

namespace {
template <class T> Mat<T> tokens_from(const std::vector<std::vector<std::string>>& rows) {
  Mat<T> X(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t c = 0; c < rows[i].size(); ++c)
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = from_text<T>(rows[i][c]);
  return X;
}
std::vector<std::vector<Rational>> exact_from(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<Rational>> q;
  for (const auto& r : rows) {
    q.emplace_back();
    for (const auto& s : r) q.back().push_back(parse_exact(s));
  }
  return q;
}
}  // namespace

TEST_CASE_TEMPLATE("enclose_tokens_on_sphere: exact tokens kept, near tokens normalised, far tokens rejected", T, Interval,
                   MpInterval) {
  MpPrecisionScope scope(128);
  const std::vector<std::vector<std::string>> rows = {{"0.6", "0.8"}, {"0.6000001", "0.8"}, {"3", "4"}};
  const Mat<T> X = tokens_from<T>(rows);
  // tolerance 1e-6: rows 0 and 1 accepted (|x₁|² − 1 = 1.2e-7 + 1e-14), row 2 (|x|² = 25) rejected
  const SphereTokens<T> bad = enclose_tokens_on_sphere<T>(X, exact_from(rows), parse_exact("1e-6"));
  CHECK(bad.verdict.is_unknown());
  REQUIRE(bad.off_sphere.has_value());
  CHECK(*bad.off_sphere == 2);
  CHECK(bad.off_sphere_norm2 == Rational(25));
  // without the far token
  const std::vector<std::vector<std::string>> near = {{"0.6", "0.8"}, {"0.6000001", "0.8"}};
  const SphereTokens<T> ok = enclose_tokens_on_sphere<T>(tokens_from<T>(near), exact_from(near), parse_exact("1e-6"));
  REQUIRE(ok.verdict.is_proved());
  CHECK(!ok.off_sphere.has_value());
  CHECK(ok.renormalised == 1);
  // row 0 is exactly on the sphere: returned as given
  CHECK(ok.tokens(0, 0) == from_text<T>("0.6"));
  CHECK(ok.tokens(0, 1) == from_text<T>("0.8"));
  // row 1 encloses x/|x| (256-bit oracle), and is no longer the input token
  MpPrecisionScope oracle(256);
  const MpInterval a = MpInterval::from_text("0.6000001"), b = MpInterval::from_text("0.8");
  const MpInterval n = sqrt(sqr(a) + sqr(b));
  CHECK(subset(a / n, MpInterval(ok.tokens(1, 0))));
  CHECK(subset(b / n, MpInterval(ok.tokens(1, 1))));
  CHECK(!subset(a, MpInterval(ok.tokens(1, 0))));
  // tolerance 0: the near token is rejected too
  const SphereTokens<T> strict = enclose_tokens_on_sphere<T>(tokens_from<T>(near), exact_from(near), Rational(0));
  REQUIRE(strict.off_sphere.has_value());
  CHECK(*strict.off_sphere == 1);
  CHECK_THROWS_AS(enclose_tokens_on_sphere<T>(X, exact_from(near), Rational(0)), std::invalid_argument);
}

TEST_CASE_TEMPLATE("certify_slope_below: proved / refuted / unknown with the margin tolerance − G²", T, Interval, MpInterval) {
  MpPrecisionScope scope(128);
  const T tol = from_text<T>("1e-6");
  const auto below = certify_slope_below<T>(convex_hull(from_text<T>("1e-8"), from_text<T>("2e-8")), tol);
  CHECK(below.verdict.is_proved());
  CHECK(below.verdict.reason() == "G²(x(T)) < tolerance");
  CHECK(certainly_positive(below.margin));
  CHECK(subset(from_text<T>("0.98e-6"), below.margin));
  const auto above = certify_slope_below<T>(convex_hull(from_text<T>("2e-6"), from_text<T>("3e-6")), tol);
  CHECK(above.verdict.is_refuted());
  CHECK(certainly_negative(above.margin));
  const auto straddle = certify_slope_below<T>(convex_hull(from_text<T>("0.5e-6"), from_text<T>("2e-6")), tol);
  CHECK(straddle.verdict.is_unknown());
  CHECK(straddle.verdict.reason() == "the slope enclosure straddles the tolerance");
}

TEST_CASE("flatten_tokens / unflatten_tokens: the gradflow state layout (token i at i·d … i·d + d − 1)") {
  const Mat<Interval> X = tokens_from<Interval>({{"1", "0", "0"}, {"0", "0.6", "0.8"}});
  const Vec<Interval> x = flatten_tokens<Interval>(X);
  REQUIRE(x.size() == 6);
  CHECK(x(4) == from_text<Interval>("0.6"));
  const Mat<Interval> back = unflatten_tokens<Interval>(x, 3);
  CHECK(back(1, 2) == from_text<Interval>("0.8"));
  // tokens_on_circle uses the same layout (2 coordinates per token)
  const Vec<Interval> c = tokens_on_circle<Interval>(transformer::vector_from_text<Interval>({"0", "1"}));
  const Mat<Interval> Xc = unflatten_tokens<Interval>(c, 2);
  CHECK(Xc(1, 0) == cos(Interval(1)));
  CHECK(Xc(1, 1) == sin(Interval(1)));
}
