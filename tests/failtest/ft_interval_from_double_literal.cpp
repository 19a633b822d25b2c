// failtest: no implicit conversion double -> Interval
// EXPECT: conversion from .double. to non-scalar type
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {

#ifdef CF_FAILTEST_BAD
  Interval x = 0.1;  // a decimal literal meant as 1/10 must not convert silently
  (void)x;
#else
  Interval x(0.1);  // explicit: the exact double
  (void)x;
#endif
  return 0;
}
