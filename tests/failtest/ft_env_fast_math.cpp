// failtest: -ffast-math is refused by env.hpp
// EXPECT: ffast-math
// BAD-FLAGS: -ffast-math
#include "certiformer/core/env.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {

#ifdef CF_FAILTEST_BAD
  (void)version_string;
#else
  (void)version_string;
#endif
  return 0;
}
