#pragma once
// tests/config_support.hpp — helpers for tests of config kinds: a config must fail with a
// ConfigError at a given JSON path (never a certificate), and one-place text edits of a config.
#include "certiformer/cert.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>

namespace certiformer::test {

/// The text of the file `dir`/`name` (a bundled example config); REQUIREs that it is readable.
inline std::string read_file_text(const std::string& dir, const std::string& name) {
  std::ifstream in(dir + "/" + name);
  REQUIRE_MESSAGE(in.good(), "cannot read " << dir << "/" << name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Registers the config kind `name`, made by `make`, unless the registry has it already (a test
/// program that links one kind adapter directly).
inline void ensure_kind(const char* name, cert::KindInfo (*make)()) {
  if (!cert::find_kind(name)) cert::register_kind(make());
}

/// Checks that running `text` throws ConfigError whose JSON path contains `path_part` and whose
/// message contains `words` (when given).
inline void expect_config_error(const std::string& text, const std::string& path_part, const std::string& words = "") {
  try {
    (void)cert::run_config(cert::config_from_text(text));
  } catch (const cert::ConfigError& e) {
    CHECK_MESSAGE(e.json_path.find(path_part) != std::string::npos, e.what());
    CHECK_MESSAGE(std::string(e.what()).find(words) != std::string::npos, e.what());
    return;
  }
  FAIL("no ConfigError for " << path_part);
}

/// Checks that running `text` throws ConfigError whose JSON path is exactly `path`.
inline void expect_config_error_at(const std::string& text, const std::string& path) {
  INFO(text);
  try {
    (void)cert::run_config(cert::config_from_text(text));
  } catch (const cert::ConfigError& e) {
    CHECK(e.json_path == path);
    return;
  }
  FAIL("no ConfigError at " << path);
}

/// `text` with the first occurrence of `from` replaced by `to` (which must occur).
inline std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto p = text.find(from);
  REQUIRE_MESSAGE(p != std::string::npos, "not in the config: " << from);
  text.replace(p, from.size(), to);
  return text;
}

/// The result `name` of a certificate as the alternative V (EnclosureMatrix, EnclosureMap, …).
template <class V> const V& result_of(const cert::Certificate& c, const std::string& name) {
  for (const auto& [n, v] : c.results)
    if (n == name) return std::get<V>(v);
  throw std::runtime_error("no result " + name);
}
inline const cert::EnclosureMatrix& matrix_result(const cert::Certificate& c, const std::string& name) {
  return result_of<cert::EnclosureMatrix>(c, name);
}

/// The binary64 interval spanned by an enclosure's exact hex ends.
inline Interval as_interval(const EndpointText& e) {
  return Interval(inf(from_text<Interval>(e.lo_hex)), sup(from_text<Interval>(e.hi_hex)));
}

/// Runs `text` at `bits` bits and requires the certificate to be proved.
inline cert::Certificate run_proved(const std::string& text, unsigned bits = 53) {
  cert::RunOptions o;
  o.precision = bits;
  cert::Certificate c = cert::run_config(cert::config_from_text(text), o);
  REQUIRE_MESSAGE(c.status() == Status::proved, "not proved at " << bits << " bits");
  return c;
}

}  // namespace certiformer::test
