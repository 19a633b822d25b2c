// failtest: no contextual conversion to bool
// EXPECT: could not convert
#include "certiformer/core/mp_interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  MpInterval a(1);
  int r = 0;
#ifdef CF_FAILTEST_BAD
  if (a) r = 1;
  (void)r;
#else
  if (certainly_positive(a)) r = 1;
  (void)r;
#endif
  return 0;
}
