// failtest: -ffinite-math-only is refused by env.hpp
// EXPECT: finite-math-only
// BAD-FLAGS: -ffinite-math-only
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
