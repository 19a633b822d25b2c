// failtest: copy-list-initialisation does not use the explicit constructor
// EXPECT: explicit constructor
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {

#ifdef CF_FAILTEST_BAD
  Interval x = {0.1};
  (void)x;
#else
  Interval x{0.1};
  (void)x;
#endif
  return 0;
}
