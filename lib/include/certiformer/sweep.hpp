#pragma once
/// certiformer/sweep.hpp — umbrella header of the sweep module (adaptive bisection over parameter boxes).
#include "certiformer/sweep/sweep.hpp"
