// failtest: no assignment from double
// EXPECT: no match for .operator=
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0);
#ifdef CF_FAILTEST_BAD
  x = 0.5;
#else
  x = Interval(0.5);
#endif
  return 0;
}
