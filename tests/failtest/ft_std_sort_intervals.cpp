// failtest: generic code cannot order intervals silently
// EXPECT: use of deleted function
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  std::vector<Interval> v{Interval(2.0), Interval(1.0)};
#ifdef CF_FAILTEST_BAD
  std::sort(v.begin(), v.end());
#else
  std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) { return certainly_less(a, b); });
#endif
  return 0;
}
