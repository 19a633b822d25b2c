// failtest: no MpMatrix * double scalar
// EXPECT: no match for .operator\*
#include "certiformer/core/eigen.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  MpMatrix m = MpMatrix::Constant(2, 2, MpInterval(1));
#ifdef CF_FAILTEST_BAD
  MpMatrix p = m * 2.0;
  (void)p;
#else
  MpMatrix p = m * MpInterval(2);
  (void)p;
#endif
  return 0;
}
