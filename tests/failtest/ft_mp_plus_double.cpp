// failtest: no mixed MpInterval + double
// EXPECT: no match for .operator\+
#include "certiformer/core/mp_interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  MpInterval m(1);
#ifdef CF_FAILTEST_BAD
  MpInterval z = m + 0.5;
  (void)z;
#else
  MpInterval z = m + MpInterval(0.5);
  (void)z;
#endif
  return 0;
}
