#pragma once
/// certiformer/core.hpp — umbrella header of the core module.
#include "certiformer/core/env.hpp"
#include "certiformer/core/interval.hpp"
#include "certiformer/core/mp_interval.hpp"
#include "certiformer/core/exact.hpp"
#include "certiformer/core/elementary.hpp"
#include "certiformer/core/verdict.hpp"
#include "certiformer/core/io.hpp"
#include "certiformer/core/eigen.hpp"
#include "certiformer/core/softmax.hpp"
#include "certiformer/core/rounding.hpp"
#include "certiformer/core/convert.hpp"
#include "certiformer/core/bound.hpp"
