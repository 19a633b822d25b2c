// The library's directed-rounding callers leave the caller's rounding mode as they found it:
// linalg::mul refuses a non-nearest caller without touching its mode; the Taylor-coefficient
// kernels (ode/kernels.hpp) run in any caller mode, return the same enclosure, and restore the
// caller's FE_DOWNWARD / FE_TOWARDZERO (a scope restoring round-to-nearest instead fails here).
#include "test_support.hpp"

#include "certiformer/core.hpp"
#include "certiformer/linalg/product.hpp"
#include "certiformer/ode/kernels.hpp"

#include <doctest/doctest.h>

#include <cfenv>
#include <stdexcept>
#include <vector>

using namespace certiformer;

namespace {
struct CallerMode {
  explicit CallerMode(int m) { std::fesetround(m); }
  ~CallerMode() { std::fesetround(FE_TONEAREST); }
};
void check_mode(int m) {
  CHECK(std::fegetround() == m);
  CHECK(current_rounding() == static_cast<Rounding>(m));
}
}  // namespace

TEST_CASE("unit: mul refuses a non-nearest caller and leaves its mode alone") {
  Mat<Interval> A(3, 3);
  for (Eigen::Index j = 0; j < 3; ++j)
    for (Eigen::Index i = 0; i < 3; ++i) A(i, j) = Interval(0.1 * double(i + 1), 0.1 * double(i + 1) + 0x1p-20 * double(j));
  for (int caller : {FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO}) {
    CallerMode cm(caller);
    CHECK_THROWS_AS((void)linalg::mul(A, A), std::runtime_error);
    check_mode(caller);
    CHECK_THROWS_AS((void)linalg::mul(A, Vec<Interval>(A.col(0))), std::runtime_error);
    check_mode(caller);
  }
  const Mat<Interval> C = linalg::mul(A, A);
  CHECK(C.rows() == 3);
  check_mode(FE_TONEAREST);
}

TEST_CASE("unit: the Taylor kernels restore a FE_DOWNWARD / FE_TOWARDZERO caller and give the same enclosure") {
  const std::vector<Interval> a{Interval(1.0, 1.5), Interval(-0.25, 0.125), Interval(3.0), Interval(0.1, 0.2)};
  Interval r_rn;
  REQUIRE(ode::detail::cauchy_fast(a.data(), a.data(), 3, 0, 3, true, r_rn));
  // the exact value for the point choice a_j = lower ends lies inside
  for (int caller : {FE_DOWNWARD, FE_TOWARDZERO, FE_UPWARD}) {
    CAPTURE(caller);
    Interval r;
    {
      CallerMode cm(caller);
      REQUIRE(ode::detail::cauchy_fast(a.data(), a.data(), 3, 0, 3, true, r));
      check_mode(caller);
      const Interval* pa[2] = {a.data(), a.data() + 1};
      const unsigned char flags[2] = {0, 0};
      Interval d;
      REQUIRE(ode::detail::dot_fast(pa, flags, pa, flags, 2, 2, d));
      check_mode(caller);
    }
    CHECK(equal(r, r_rn));
  }
  check_mode(FE_TONEAREST);
}
