#pragma once
/// certiformer/cert.hpp — umbrella header of the certificate module: configs that keep literal
/// text, claims, certificates (JSON), the kind registry, run_config, check, and the kinds.
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/claims.hpp"
#include "certiformer/cert/check.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/cert/report.hpp"
#include "certiformer/cert/linear_flow.hpp"
