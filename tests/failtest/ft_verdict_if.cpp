// failtest: a Verdict is three-valued: no if (v)
// EXPECT: use of deleted function
#include "certiformer/core/verdict.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Verdict v = Verdict::proved();
  int r = 0;
#ifdef CF_FAILTEST_BAD
  if (v) r = 1;
  (void)r;
#else
  if (v.is_proved()) r = 1;
  (void)r;
#endif
  return 0;
}
