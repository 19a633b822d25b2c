#pragma once
/// certiformer/gradflow.hpp — umbrella header of the P4 gradient-flow module (docs/mathematics.md §5).
///
///   heads, weight paths (constant, OU, oscillating, piecewise-linear)   gradflow/model.hpp
///   the augmented attention field on the sphere, energy E              gradflow/field.hpp
///   certified energy-dissipation identity, monotone energy             gradflow/edi.hpp
///   the structured engine (matrix series, block log-norm) for large n  gradflow/structured.hpp
///   stationary configurations (Krawczyk), stability bounds             gradflow/analysis.hpp
///   initial tokens on the sphere, the slope verdict at the horizon     gradflow/tokens.hpp
///   explicit instantiations (Interval, MpInterval) compiled in the library gradflow/instances.hpp
/// See docs/gradflow.md for the formulas implemented.
#include "certiformer/core.hpp"
#include "certiformer/gradflow/model.hpp"
#include "certiformer/gradflow/field.hpp"
#include "certiformer/gradflow/edi.hpp"
#include "certiformer/gradflow/structured.hpp"
#include "certiformer/gradflow/analysis.hpp"
#include "certiformer/gradflow/tokens.hpp"
#include "certiformer/gradflow/instances.hpp"
