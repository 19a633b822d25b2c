// failtest: no conversion to bool
// EXPECT: cannot convert|could not convert
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0);
#ifdef CF_FAILTEST_BAD
  bool b = x;
  (void)b;
#else
  bool b = possibly_zero(x);
  (void)b;
#endif
  return 0;
}
