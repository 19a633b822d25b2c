#pragma once
/// certiformer/euler.hpp — umbrella header of the P2 module: certified Euler discretization
/// errors of the n-token Transformer system (docs/mathematics.md §2).
///
///   discrete iterates, flow on grids, true error, a-posteriori bound,
///   theorem constant, order table                          euler/error.hpp
///   read-out: loss, risk gap, Hoeffding / finite class     euler/readout.hpp
///   adjoint, gradient enclosures, Pontryagin checks        euler/adjoint.hpp
///   continuous-flow Pontryagin check from the discrete gradient   euler/flow_stationarity.hpp
///   uniform risk bound over a parameter box (covering numbers)    euler/uniform_risk.hpp
/// See docs/euler.md.
#include "certiformer/transformer.hpp"
#include "certiformer/euler/error.hpp"
#include "certiformer/euler/readout.hpp"
#include "certiformer/euler/adjoint.hpp"
#include "certiformer/euler/flow_stationarity.hpp"
#include "certiformer/euler/uniform_risk.hpp"
