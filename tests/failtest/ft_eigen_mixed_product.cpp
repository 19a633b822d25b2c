// failtest: no MatrixXd * IMatrix (convert with exact_point first)
// EXPECT: ScalarBinaryOpTraits<double, certiformer::Interval
#include "certiformer/core/eigen.hpp"
#include "certiformer/core/convert.hpp"

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
  IMatrix p = exact_point<Interval>(d) * m;
  (void)p;
#endif
  return 0;
}
