// failtest: no IMatrix + MatrixXd
// EXPECT: ScalarBinaryOpTraits<certiformer::Interval, double
#include "certiformer/core/eigen.hpp"
#include "certiformer/core/convert.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Eigen::MatrixXd d = Eigen::MatrixXd::Identity(2, 2);
  IMatrix m = IMatrix::Constant(2, 2, Interval(1.0));
#ifdef CF_FAILTEST_BAD
  IMatrix p = m + d;
  (void)p;
#else
  IMatrix p = m + exact_point<Interval>(d);
  (void)p;
#endif
  return 0;
}
