// failtest: no mixed int * Interval
// EXPECT: no match for .operator\*
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0);
#ifdef CF_FAILTEST_BAD
  Interval z = 2 * x;
  (void)z;
#else
  Interval z = Interval(2) * x;
  (void)z;
#endif
  return 0;
}
