// failtest: no implicit conversion in a return statement
// EXPECT: could not convert
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  struct F {
#ifdef CF_FAILTEST_BAD
    static Interval f() { return 0.1; }
#else
    static Interval f() { return Interval(0.1); }
#endif
  };
#ifdef CF_FAILTEST_BAD
  (void)F::f();
#else
  (void)F::f();
#endif
  return 0;
}
