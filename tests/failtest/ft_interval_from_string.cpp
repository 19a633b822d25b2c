// failtest: text must go through from_text
// EXPECT: conversion from .const char
#include "certiformer/core/interval.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {

#ifdef CF_FAILTEST_BAD
  Interval x = "0.1";
  (void)x;
#else
  Interval x = Interval::from_text("0.1");
  (void)x;
#endif
  return 0;
}
