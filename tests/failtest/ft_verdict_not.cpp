// failtest: no negation of a Verdict
// EXPECT: use of deleted function|no match for .operator!
#include "certiformer/core/verdict.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  Verdict v = Verdict::refuted("why");
#ifdef CF_FAILTEST_BAD
  bool b = !v;
  (void)b;
#else
  bool b = !v.is_proved();
  (void)b;
#endif
  return 0;
}
