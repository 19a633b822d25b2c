// failtest: no contextual conversion to bool
// EXPECT: could not convert
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0);
  int r = 0;
#ifdef CF_FAILTEST_BAD
  if (x) r = 1;
  (void)r;
#else
  if (contains_zero(x)) r = 1;
  (void)r;
#endif
  return 0;
}
