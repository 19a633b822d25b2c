#pragma once
/// certiformer/bellman.hpp — P1: lifted MDP of a Transformer layer, triple quantisation, interval
/// Bellman operator and certified near-optimality gaps (docs/mathematics.md §4, docs/bellman.md).
#include "certiformer/bellman/model.hpp"
#include "certiformer/bellman/graph.hpp"
#include "certiformer/bellman/measure.hpp"
#include "certiformer/bellman/gap.hpp"
