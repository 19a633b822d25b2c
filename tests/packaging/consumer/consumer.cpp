// An outside program built against an installed certiformer (tests/packaging/test_install.sh):
// through pkg-config and through CMake's find_package. It must compile with the consumer flags
// the package exports (no -std flag of its own) and produce a correct, rigorous result.
#include <certiformer/core.hpp>
#include <certiformer/linalg.hpp>

#include <cstdio>

int main() {
  using namespace certiformer;
  // e = exp(1) enclosed: 2.718281828459045 (the binary64 nearest) must lie inside, and the
  // enclosure must be tight (a few ulps).
  const Interval e = exp(Interval(1));
  const bool e_ok = inf(e) <= 2.718281828459045 && 2.718281828459045 <= sup(e) && wid(e) < 1e-14;
  // [[1,2],[3,4]]·(0.1, 1): the product enclosure (linalg, directed-rounding GEMM) must contain
  // the exact (2.1, 4.3) (then also the tightest enclosures of 2.1 and 4.3, as its ends are doubles).
  Mat<Interval> A(2, 2);
  A << Interval(1), Interval(2), Interval(3), Interval(4);
  Vec<Interval> x(2);
  x << enclose<Interval>(Rational(1, 10)), Interval(1);
  const Vec<Interval> y = linalg::mul(A, x);
  const bool b_ok = subset(enclose<Interval>(Rational(21, 10)), y(0)) && subset(enclose<Interval>(Rational(43, 10)), y(1)) &&
                    wid(y(0)) < 1e-14 && wid(y(1)) < 1e-14;
  std::printf("exp(1) in %s; A*x in (%s, %s); %s\n", to_string(e).c_str(), to_string(y(0)).c_str(),
              to_string(y(1)).c_str(), e_ok && b_ok ? "ok" : "WRONG");
  return e_ok && b_ok ? 0 : 1;
}
