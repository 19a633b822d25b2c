// libFuzzer target for the config reader, the certificate reader and `check` (tests/fuzz/README.md).
//
// One input is one JSON text. Every input goes through the literal-keeping JSON parser
// (config_from_text). Then
//  * a document with a "certiformer" field is read as a certificate (Certificate::from_json),
//    written back (to_json) and read again — the round trip must give the same JSON — and, for
//    the cheap kinds, checked (check_certificate at 53 bits under a small work budget);
//  * any other document is read as a config: its claims and budget are validated and, for the
//    cheap kinds, it is run at 53 bits under a small work budget; the certificate it produces
//    must survive the JSON round trip and must never FAIL to check against itself.
// Findings are crashes: sanitizer reports, uncaught exceptions other than the documented ones
// (ConfigError for bad input, EnclosureFailure for an enclosure that cannot be computed — the
// CLI turns anything else into "internal error", a bug), and the invariants below (abort()).
#include "certiformer/cert.hpp"
#include "certiformer/cert/registry.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

using namespace certiformer;
using namespace certiformer::cert;

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_cert: invariant violated: %s\n", what.c_str());
  std::abort();
}

/// A ConfigError message is one line of printable text (control characters escaped).
void check_message(const ConfigError& e) {
  const std::string_view m = e.what();
  for (char c : m)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) finding("control character in a ConfigError message: " + std::string(m));
  if (m.size() < e.file.size()) finding("ConfigError message shorter than its file name (cut?): " + std::string(m));
}

/// Kinds cheap enough to run on every input (the others are parsed and validated only).
bool cheap_kind(const std::string& k) {
  return k == "linear.flow" || k == "transformer.flow" || k == "gradflow.edi" || k == "gaussian.moments";
}

constexpr double kTime = 2.0;         // seconds of work per run (a safety net; the step budget decides)
constexpr std::uint64_t kSteps = 64;  // validated integrator steps per run
constexpr std::size_t kRunLimit = 4096;  // inputs larger than this are only parsed

RunOptions small_run() {
  RunOptions ro;
  ro.precision = 53;
  ro.time_limit_s = kTime;
  ro.max_steps = kSteps;
  return ro;
}

CheckOptions small_check() {
  CheckOptions co;
  co.precision = 53;
  co.time_limit_s = kTime;
  co.max_steps = kSteps;
  return co;
}

/// to_json → text → from_json → to_json must be a fixed point.
Certificate round_trip(const Certificate& c) {
  const std::string a = c.to_json().dump();
  ConfigNode again = [&] {
    try {
      return config_from_text(a, "round-trip.json");
    } catch (const ConfigError& e) {
      finding("a written certificate does not parse: " + std::string(e.what()));
    }
  }();
  Certificate c2;
  try {
    c2 = Certificate::from_json(again);
  } catch (const ConfigError& e) {
    finding("a written certificate is rejected when read back: " + std::string(e.what()) + "\n" + a.substr(0, 2000));
  }
  const std::string b = c2.to_json().dump();
  if (a != b) finding("certificate JSON round trip differs:\n" + a.substr(0, 2000) + "\n" + b.substr(0, 2000));
  return c2;
}

void fuzz_certificate(const ConfigNode& root, std::size_t size) {
  Certificate c;
  try {
    c = Certificate::from_json(root);
  } catch (const ConfigError& e) {
    check_message(e);
    return;
  }
  (void)round_trip(c);
  for (const auto& [name, v] : c.results)
    if (const auto* e = std::get_if<EndpointText>(&v)) (void)short_text(*e, 17), (void)short_text(*e, 30);
  (void)c.status();
  if (size > kRunLimit || !cheap_kind(c.kind)) return;
  try {
    const CheckReport rep = check_certificate(root, small_check());
    (void)rep.exit_code();
  } catch (const ConfigError& e) {
    check_message(e);
  }
}

void fuzz_config(const ConfigNode& root, std::size_t size) {
  try {
    (void)parse_claims(root);
    (void)effective_budget(root, RunOptions{});
  } catch (const ConfigError& e) {
    check_message(e);
    return;
  }
  if (size > kRunLimit) return;
  const std::optional<ConfigNode> kn = root.find("kind");
  if (!kn || !kn->is_text() || !cheap_kind(kn->as_text())) return;
  Certificate c;
  try {
    c = run_config(root, small_run());
  } catch (const ConfigError& e) {
    check_message(e);
    return;
  } catch (const EnclosureFailure&) {
    return;  // documented: nothing is claimed (exit 2 in the CLI)
  }
  const Certificate back = round_trip(c);
  // The certificate must never FAIL to check against the code that wrote it (same precision).
  const std::string text = c.to_json().dump();
  const ConfigNode croot = config_from_text(text, "self.cert.json");
  const CheckReport rep = check_certificate(croot, small_check());
  if (rep.outcome() == CheckOutcome::failed) {
    std::string lines;
    for (const auto& l : rep.lines)
      if (l.outcome == CheckOutcome::failed) lines += "  " + l.subject + ": " + l.detail + "\n";
    finding("a fresh certificate fails its own check:\n" + lines + text.substr(0, 3000));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256 * 1024) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<ConfigNode> root;
  try {
    root = config_from_text(text, "fuzz.json");
  } catch (const ConfigError& e) {
    check_message(e);
    return 0;
  }
  if (root->has("certiformer")) fuzz_certificate(*root, size);
  else fuzz_config(*root, size);
  return 0;
}
