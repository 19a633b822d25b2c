#pragma once
/// certiformer/transformer.hpp — umbrella header of the Transformer module: models as vector
/// fields for the validated ODE engine (docs/mathematics.md §1).
///
///   parameters, heads, FFN / MLP, controls θ(t)       transformer/model.hpp
///   the n-token system as an (n·d)-dim vector field  transformer/field.hpp
///   cross-entropy read-out, softmax residual         transformer/readout.hpp
///   certified constants M, L_x, L_mu on a ball       transformer/constants.hpp
/// See docs/transformer.md.
#include "certiformer/ode.hpp"
#include "certiformer/transformer/model.hpp"
#include "certiformer/transformer/field.hpp"
#include "certiformer/transformer/readout.hpp"
#include "certiformer/transformer/constants.hpp"
