// failtest: std::max would compare with <
// EXPECT: use of deleted function
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Interval x(1.0), y(2.0);
#ifdef CF_FAILTEST_BAD
  Interval m = std::max(x, y);
  (void)m;
#else
  Interval m = certiformer::max(x, y);
  (void)m;
#endif
  return 0;
}
