// failtest: no ordering operator on MpInterval
// EXPECT: use of deleted function
#include "certiformer/core/mp_interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  MpInterval a(1), b(2);
#ifdef CF_FAILTEST_BAD
  bool r = a < b;
  (void)r;
#else
  bool r = certainly_less(a, b);
  (void)r;
#endif
  return 0;
}
