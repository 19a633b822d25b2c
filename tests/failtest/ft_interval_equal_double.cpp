// failtest: set equality only between intervals
// EXPECT: no match for .operator==
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0);
#ifdef CF_FAILTEST_BAD
  bool b = x == 0.5;
  (void)b;
#else
  bool b = x == Interval(0.5);
  (void)b;
#endif
  return 0;
}
