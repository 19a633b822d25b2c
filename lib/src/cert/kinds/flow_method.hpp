#pragma once
// lib/src/cert/kinds/flow_method.hpp — the optional "method" field of the flow kinds
// (transformer.flow, euler.error, gradflow.edi): "auto" (default) | "structured" | "taylor_lohner",
// ode::FlowMethod (ode/structured.hpp). Any other value throws ConfigError at /method.
#include "certiformer/cert/config.hpp"
#include "certiformer/ode/structured.hpp"

#include <string>

namespace certiformer::cert {

/// The engine the config asks for (FlowMethod::automatic when "method" is absent).
inline ode::FlowMethod read_flow_method(const ConfigNode& cfg) {
  const auto m = cfg.find("method");
  if (!m) return ode::FlowMethod::automatic;
  const std::string s = m->as_string("\"auto\", \"structured\" or \"taylor_lohner\"");
  if (s == "auto") return ode::FlowMethod::automatic;
  if (s == "structured") return ode::FlowMethod::structured;
  if (s == "taylor_lohner") return ode::FlowMethod::taylor_lohner;
  m->fail("\"auto\", \"structured\" or \"taylor_lohner\"", "\"" + s + "\"");
}

}  // namespace certiformer::cert
