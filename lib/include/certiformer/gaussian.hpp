#pragma once
/// certiformer/gaussian.hpp — umbrella header of the Gaussian (P3) module.
///
///   exact model data, information-form detection      gaussian/model.hpp
///   moment ODE, discrete moment map                    gaussian/moments.hpp
///   information form P = Σ⁻¹, verified P(t)           gaussian/information.hpp
///   certified blow-up times                            gaussian/blowup.hpp
///   classification, equilibria, stability             gaussian/classify.hpp
///   reachability (Monge map controls + certificate)    gaussian/reach.hpp
///   continuous moment flow (m, Σ), any V (validated) gaussian/moment_flow.hpp
///   flow at the horizon (both methods, intersected), moment-map gaps   gaussian/flow_at_horizon.hpp
///   explicit instantiations (Interval, MpInterval) in the library      gaussian/instances.hpp
/// See docs/gaussian.md for the formulas implemented.
#include "certiformer/core.hpp"
#include "certiformer/gaussian/model.hpp"
#include "certiformer/gaussian/moments.hpp"
#include "certiformer/gaussian/information.hpp"
#include "certiformer/gaussian/blowup.hpp"
#include "certiformer/gaussian/classify.hpp"
#include "certiformer/gaussian/reach.hpp"
#include "certiformer/gaussian/moment_flow.hpp"
#include "certiformer/gaussian/flow_at_horizon.hpp"
#include "certiformer/gaussian/instances.hpp"
