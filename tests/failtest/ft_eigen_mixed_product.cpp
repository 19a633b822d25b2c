// failtest: no MatrixXd * IMatrix (convert with to_interval first)
// EXPECT: ScalarBinaryOpTraits<double, certiformer::Interval
#include "certiformer/core/eigen.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Eigen::MatrixXd d = Eigen::MatrixXd::Identity(2, 2);
  IMatrix m = IMatrix::Constant(2, 2, Interval(1.0));
#ifdef CF_FAILTEST_BAD
  IMatrix p = d * m;
  (void)p;
#else
  IMatrix p = to_interval<Interval>(d) * m;
  (void)p;
#endif
  return 0;
}
