// failtest: the conjunction is a Verdict, not a bool
// EXPECT: use of deleted function|could not convert
#include "certiformer/core/verdict.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Verdict a = Verdict::proved(), b = Verdict::unknown("u");
  int r = 0;
#ifdef CF_FAILTEST_BAD
  if (a && b) r = 1;
  (void)r;
#else
  if ((a && b).is_proved()) r = 1;
  (void)r;
#endif
  return 0;
}
