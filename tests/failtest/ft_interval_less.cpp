// failtest: no ordering operator: use certainly_less / possibly_less
// EXPECT: use of deleted function
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0), y(2.0);
  int r = 0;
#ifdef CF_FAILTEST_BAD
  if (x < y) r = 1;
  (void)r;
#else
  if (certainly_less(x, y)) r = 1;
  (void)r;
#endif
  return 0;
}
