// failtest: no implicit conversion double -> MpInterval
// EXPECT: conversion from .double. to non-scalar type
#include "certiformer/core/mp_interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {

#ifdef CF_FAILTEST_BAD
  MpInterval m = 0.1;
  (void)m;
#else
  MpInterval m(0.1);
  (void)m;
#endif
  return 0;
}
