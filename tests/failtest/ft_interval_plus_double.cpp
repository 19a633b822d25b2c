// failtest: no mixed Interval + double
// EXPECT: no match for .operator\+
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0);
#ifdef CF_FAILTEST_BAD
  Interval z = x + 0.5;
  (void)z;
#else
  Interval z = x + Interval(0.5);
  (void)z;
#endif
  return 0;
}
