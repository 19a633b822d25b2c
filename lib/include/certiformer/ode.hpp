#pragma once
/// certiformer/ode.hpp — umbrella header of the validated ODE engine.
///
///   scalar vocabulary, lift, math overloads      ode/scalar.hpp
///   Dual<C> (forward mode), Taylor<C> (series)   ode/dual.hpp, ode/taylor.hpp
///   vector-field concept and helpers             ode/field.hpp
///   ODE Taylor coefficients                      ode/coefficients.hpp
///   Lohner sets (QR wrapping control)            ode/lohner_set.hpp
///   a-priori enclosure (Picard)                  ode/apriori.hpp
///   Taylor–Lohner integrator                     ode/integrator.hpp
///   work budget (time, steps) of a run           ode/budget.hpp
///   Euler-map / discrete-map iterates            ode/euler_map.hpp
///   a-posteriori Euler error (defect, log-norm)  ode/defect.hpp
///   reference fields (linear, Riccati, Lorenz)   ode/fields.hpp
///   structured step driver (block log-norm sets) ode/structured.hpp
/// See docs/ode.md.
#include "certiformer/core.hpp"
#include "certiformer/ode/scalar.hpp"
#include "certiformer/ode/dual.hpp"
#include "certiformer/ode/taylor.hpp"
#include "certiformer/ode/field.hpp"
#include "certiformer/ode/coefficients.hpp"
#include "certiformer/ode/lohner_set.hpp"
#include "certiformer/ode/apriori.hpp"
#include "certiformer/ode/budget.hpp"
#include "certiformer/ode/integrator.hpp"
#include "certiformer/ode/euler_map.hpp"
#include "certiformer/ode/defect.hpp"
#include "certiformer/ode/fields.hpp"
#include "certiformer/ode/structured.hpp"
