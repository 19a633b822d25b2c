// failtest: no IMatrix * double scalar
// EXPECT: no match for .operator\*
#include "certiformer/core/eigen.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  IMatrix m = IMatrix::Constant(2, 2, Interval(1.0));
#ifdef CF_FAILTEST_BAD
  IMatrix p = m * 2.0;
  (void)p;
#else
  IMatrix p = m * Interval(2);
  (void)p;
#endif
  return 0;
}
