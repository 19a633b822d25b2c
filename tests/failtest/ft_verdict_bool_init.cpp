// failtest: no conversion of a Verdict to bool
// EXPECT: cannot convert|could not convert|use of deleted function
#include "certiformer/core/verdict.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Verdict v = Verdict::unknown("why");
#ifdef CF_FAILTEST_BAD
  bool b = v;
  (void)b;
#else
  bool b = v.is_proved();
  (void)b;
#endif
  return 0;
}
