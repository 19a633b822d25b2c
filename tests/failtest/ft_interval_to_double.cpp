// failtest: no conversion to double
// EXPECT: cannot convert|could not convert
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0);
#ifdef CF_FAILTEST_BAD
  double d = x;
  (void)d;
#else
  double d = mid(x);
  (void)d;
#endif
  return 0;
}
