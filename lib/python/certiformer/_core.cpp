// certiformer._core — the Python bindings of the library API (pybind11).
//
// Thin: JSON text in, JSON text out. Configs and certificates cross the boundary as JSON text so
// that every number keeps its literal text (a config number means the real number it spells,
// docs/cli.md "Numbers are exact"); the Python layer (certiformer/__init__.py) turns dicts into
// that text and the certificate text back into dicts. Everything here calls lib/ (cert::run_config,
// cert::check_certificate, the kind registry); nothing of the command line (lib/src/cli) is used.
#include "certiformer/cert.hpp"

#include <atomic>
#include <csignal>
#include <optional>
#include <string>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using namespace certiformer;

namespace {

py::object g_config_error, g_enclosure_failure;

/// The outcome's name in lower case (cert::to_string writes "FAILED" for the terminal).
const char* outcome_name(cert::CheckOutcome o) {
  switch (o) {
    case cert::CheckOutcome::reproduced: return "reproduced";
    case cert::CheckOutcome::inconclusive: return "inconclusive";
    case cert::CheckOutcome::failed: return "failed";
  }
  return "failed";
}

/// Ctrl-C during a computation: while the library runs (without the GIL, so Python's own handler
/// cannot act), SIGINT requests a stop (ode::request_stop, async-signal-safe), which ends the run
/// like an exhausted work budget; translated() then raises KeyboardInterrupt. Installed only
/// from the main thread (where Python handles signals); the previous handler is restored.
struct SigintToStop {
  static inline std::atomic<bool> fired{false};
  static void handler(int) {
    fired.store(true);
    ode::request_stop("interrupted (SIGINT: KeyboardInterrupt)");
  }
  void (*previous)(int) = SIG_ERR;
  explicit SigintToStop(bool install) {
    fired.store(false);
    if (install) previous = std::signal(SIGINT, &SigintToStop::handler);
  }
  ~SigintToStop() {
    if (previous != SIG_ERR) std::signal(SIGINT, previous);
  }
  SigintToStop(const SigintToStop&) = delete;
  SigintToStop& operator=(const SigintToStop&) = delete;
};

bool on_main_thread() {
  const py::object main = py::module_::import("threading").attr("main_thread")();
  return main.attr("ident").cast<unsigned long>() == PyThread_get_thread_ident();
}

/// After an interrupted run: clears the stop request and raises KeyboardInterrupt (the partial
/// certificate is dropped). Nothing happens when there was no SIGINT.
void raise_if_interrupted() {
  if (!SigintToStop::fired.exchange(false)) return;
  ode::clear_stop_request();
  PyErr_SetNone(PyExc_KeyboardInterrupt);
  throw py::error_already_set();
}

/// Encloses: nothing (plumbing). Runs `body` without the GIL (the computation touches no Python
/// object) and re-raises the library's errors as the package's Python exceptions.
/// Failure: ConfigError(message, file, json_path, expected, got) for a bad config or certificate,
///   EnclosureFailure(message) when an enclosure cannot be computed, ValueError for a precision
///   outside [53, 65536], KeyboardInterrupt after Ctrl-C (SigintToStop).
template <class F>
auto translated(F&& body) {
  SigintToStop sigint(on_main_thread());
  try {
    auto result = [&] {
      py::gil_scoped_release nogil;
      return body();
    }();
    raise_if_interrupted();
    return result;
  } catch (const cert::ConfigError& e) {
    raise_if_interrupted();
    PyErr_SetObject(g_config_error.ptr(), py::make_tuple(e.what(), e.file, e.json_path, e.expected, e.got).ptr());
    throw py::error_already_set();
  } catch (const cert::EnclosureFailure& e) {
    raise_if_interrupted();
    PyErr_SetString(g_enclosure_failure.ptr(), e.what());
    throw py::error_already_set();
  } catch (const std::invalid_argument& e) {
    raise_if_interrupted();
    throw py::value_error(e.what());
  }
}

/// Encloses: the certificate of the config `config_json` (JSON text) — the document the command
///   line writes with `certiformer run --out` (same library call, same serialisation).
/// Checks: everything run_config checks (the config is validated before anything is computed).
/// Failure: see translated().
/// Method: cert::config_from_text → cert::run_config → Certificate::to_json().dump(2).
std::string run(const std::string& config_json, std::optional<unsigned> precision, std::optional<double> time_limit,
                std::optional<std::uint64_t> max_steps, const std::string& file) {
  return translated([&] {
    cert::RunOptions ro;
    ro.precision = precision;
    ro.time_limit_s = time_limit;
    ro.max_steps = max_steps;
    return cert::run_config(cert::config_from_text(config_json, file), ro).to_json().dump(2);
  });
}

/// Encloses: nothing new; re-derives the certificate `cert_json` (JSON text) with
///   cert::check_certificate (docs/certificates.md) and returns its report as a dict
///   {kind, certificate_precision, check_precision, precisions (every precision re-derived at:
///    more than one when an overlapping enclosure made check escalate), escalation (why it
///    stopped, "" when not needed), outcome, exit_code, wall_s, lines: [{subject, outcome, detail,
///    presence}]}.
/// Failure: ConfigError for a malformed certificate (see translated()).
py::dict check(const std::string& cert_json, std::optional<unsigned> precision, std::optional<double> time_limit,
               std::optional<std::uint64_t> max_steps, const std::string& file) {
  const cert::CheckReport rep = translated([&] {
    cert::CheckOptions co;
    co.precision = precision;
    co.time_limit_s = time_limit;
    co.max_steps = max_steps;
    return cert::check_certificate(cert::config_from_text(cert_json, file), co);
  });
  py::list lines;
  for (const auto& l : rep.lines) {
    py::dict d;
    d["subject"] = l.subject;
    d["outcome"] = outcome_name(l.outcome);
    d["detail"] = l.detail;
    d["presence"] = l.presence == cert::CheckPresence::both               ? "both"
                    : l.presence == cert::CheckPresence::missing_in_rerun ? "missing_in_rerun"
                                                                          : "missing_in_certificate";
    lines.append(d);
  }
  py::dict r;
  r["kind"] = rep.kind;
  r["certificate_precision"] = rep.certificate_precision;
  r["check_precision"] = rep.check_precision;
  r["precisions"] = rep.precisions;
  r["escalation"] = rep.escalation;
  r["outcome"] = outcome_name(rep.outcome());
  r["exit_code"] = rep.exit_code();
  r["wall_s"] = rep.wall_s;
  r["lines"] = lines;
  return r;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "certiformer library bindings (JSON text in and out; use the certiformer package)";
  g_config_error = py::reinterpret_steal<py::object>(
      PyErr_NewException("certiformer.ConfigError", PyExc_ValueError, nullptr));
  g_enclosure_failure = py::reinterpret_steal<py::object>(
      PyErr_NewException("certiformer.EnclosureFailure", PyExc_RuntimeError, nullptr));
  m.attr("ConfigError") = g_config_error;
  m.attr("EnclosureFailure") = g_enclosure_failure;
  m.def("run", &run, py::arg("config_json"), py::arg("precision") = py::none(), py::arg("time_limit") = py::none(),
        py::arg("max_steps") = py::none(), py::arg("file") = "<python>");
  m.def("check", &check, py::arg("cert_json"), py::arg("precision") = py::none(), py::arg("time_limit") = py::none(),
        py::arg("max_steps") = py::none(), py::arg("file") = "<python>");
  m.def("kinds", [] {
    py::list l;
    for (const auto* k : cert::registered_kinds()) l.append(py::make_tuple(k->name, k->description));
    return l;
  });
  m.def("build_info", [] {
    const cert::BuildInfo b = cert::BuildInfo::current();
    py::dict d;
    d["version"] = b.version;
    d["git"] = b.git;
    d["compiler"] = b.compiler;
    d["flags"] = b.flags;
    return d;
  });
  m.attr("min_precision") = cert::kMinPrecision;
  m.attr("max_precision") = cert::kMaxPrecision;
}
