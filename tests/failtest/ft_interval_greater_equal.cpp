// failtest: no >= either
// EXPECT: use of deleted function
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0), y(2.0);
#ifdef CF_FAILTEST_BAD
  bool b = x >= y;
  (void)b;
#else
  bool b = possibly_greater_equal(x, y);
  (void)b;
#endif
  return 0;
}
