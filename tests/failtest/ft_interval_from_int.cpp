// failtest: no implicit conversion int -> Interval
// EXPECT: conversion from .int. to non-scalar type
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {

#ifdef CF_FAILTEST_BAD
  Interval x = 1;
  (void)x;
#else
  Interval x(1);
  (void)x;
#endif
  return 0;
}
