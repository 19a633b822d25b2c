#pragma once
/// certiformer/cert/config.hpp — JSON configs that keep every number's literal text.
///
/// A config number means the real number its text spells (docs/mathematics.md §0 "exact inputs"). JSON parsers
/// usually turn `0.1` into the double nearest to 1/10, which is a different number. Here the
/// document is read with nlohmann's SAX interface and every JSON number (integer, unsigned,
/// float) is stored as a *string* holding its literal text, so `0.1` and `"0.1"` are the same
/// value, 1/10, and are enclosed by outward rounding only when a scalar type asks for them
/// (`as_number<T>()` → `parse_exact` → `enclose<T>`). (Integers are stored as the decimal
/// text of their exact value, so `-0` becomes "0"; the value is unchanged.)
///
/// `ConfigNode` is a cursor into such a document that carries the file name and the JSON
/// pointer of the node, so every problem is reported as one line
///     <file>: <json path, e.g. /A/1/0>: expected <what>, got <what>
/// through `ConfigError`. Nothing in a config is accepted silently: unknown fields, duplicate
/// keys, non-rectangular matrices, dimension mismatches, unparsable numbers ("nan", "inf"),
/// numbers beyond the binary64 range, and trailing garbage after the document are errors.

#include "certiformer/core/env.hpp"
#include "certiformer/core/eigen.hpp"
#include "certiformer/core/exact.hpp"

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace certiformer::cert {

/// JSON with insertion-ordered objects (certificates keep the order the user wrote).
using Json = nlohmann::ordered_json;

/// A bad config (or a malformed certificate): which file, where in it, what was expected and
/// what was found. `what()` is the one-line message `<file>: <path>: expected <e>, got <g>`
/// with control characters escaped (escape_control; the fields keep the raw text).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, std::string json_path, std::string expected, std::string got);
  std::string file;       ///< file name as given (or "<string>" for in-memory text)
  std::string json_path;  ///< JSON pointer of the offending node ("/" for the document)
  std::string expected;   ///< what was expected there
  std::string got;        ///< what was found
};

/// `s` with every control character (bytes < 0x20 and 0x7f, NUL included) written as a \u00XX
/// escape: messages go through C strings (`what()`), where a NUL would cut them short.
std::string escape_control(std::string_view s);

/// Escapes a key for a JSON pointer (RFC 6901: '~' → "~0", '/' → "~1").
std::string json_pointer_escape(std::string_view key);

/// Read-only cursor into a parsed config document.
///
/// Checks: every accessor verifies the node's type/shape and throws ConfigError (with this
/// node's file and JSON path) on any mismatch. Copies are cheap and keep the document alive.
class ConfigNode {
 public:
  /// A cursor at the root of `doc`.
  ConfigNode(std::shared_ptr<const Json> doc, std::string file);

  const std::string& file() const noexcept { return *file_; }
  /// JSON pointer of this node ("/" for the root).
  std::string path() const { return path_.empty() ? std::string("/") : path_; }
  const Json& json() const noexcept { return *node_; }

  bool is_object() const noexcept { return node_->is_object(); }
  bool is_array() const noexcept { return node_->is_array(); }
  /// True for strings, which include every JSON number (kept as literal text).
  bool is_text() const noexcept { return node_->is_string(); }

  /// Member `key`. Failure: ConfigError if this is not an object or the field is missing.
  ConfigNode at(std::string_view key) const;
  /// Member `key` if present (ConfigError if this is not an object).
  std::optional<ConfigNode> find(std::string_view key) const;
  bool has(std::string_view key) const;
  /// Element i of an array (ConfigError if not an array or out of range).
  ConfigNode index(std::size_t i) const;
  /// Number of elements of an array (ConfigError if not an array).
  std::size_t size() const;
  /// Keys of an object in document order (ConfigError if not an object).
  std::vector<std::string> keys() const;
  /// Key and cursor of every member of an object, in document order, in linear time
  /// (ConfigError if not an object).
  std::vector<std::pair<std::string, ConfigNode>> members() const;

  /// Checks: this is an object whose keys are all in `allowed` (typos are caught).
  /// Failure: ConfigError at the first unknown key, listing the allowed ones.
  void only_keys(const std::vector<std::string>& allowed) const;

  /// The text of a string or number node (ConfigError otherwise).
  std::string as_text() const;
  /// A string node that must not be empty. `what` describes it for the error message.
  std::string as_string(std::string_view what = "a string") const;
  /// The exact rational spelled by a number (JSON number or string, decimal / "p/q" / hex float).
  /// Checks: parsable, and |value| ≤ DBL_MAX (finite in binary64).
  /// Failure: ConfigError ("nan", "inf", "abc", "1/0", 1e400, arrays, objects, …).
  /// An IEEE 1788 interval text ("[0.9, 1.1]") is refused here with "a number (an interval is
  /// not accepted for this field)": fields that take parameter boxes use as_rational_interval.
  Rational as_rational() const;
  /// A number or an interval text "[a, b]" (IEEE 1788 inf-sup form, ends as for as_rational):
  /// the exact interval [a, b] (a point for a plain number).
  /// Checks: as as_rational for each end, and a ≤ b. Failure: ConfigError at this node.
  RationalInterval as_rational_interval() const;
  /// Encloses: the number spelled by this node, at the current precision of T.
  template <class T> T as_number() const { return enclose<T>(as_rational()); }
  /// Encloses: every real in the number or interval text "[a, b]" of this node (as_rational_interval),
  ///   at the current precision of T — for fields that take parameter boxes.
  template <class T> T as_enclosure() const { return enclose<T>(as_rational_interval()); }
  /// as_enclosure<T>() when `intervals`, else as_number<T>() (which refuses interval texts).
  template <class T> T as_entry(bool intervals) const { return intervals ? as_enclosure<T>() : as_number<T>(); }
  /// An integer in [min, max] (its exact value must be an integer: 256, "256", 2.56e2).
  long as_int(long min, long max) const;
  /// A vector of numbers; `length` (if given) must match; `length_what` explains it.
  /// With `intervals`, entries may also be interval texts "[a, b]" (as_entry).
  template <class T>
  Vec<T> vector(std::optional<std::size_t> length = std::nullopt, std::string_view length_what = {},
                bool intervals = false) const;
  /// A matrix given as a non-empty array of equally long, non-empty rows of numbers;
  /// `rows` / `cols` (if given) must match. With `intervals`, entries may also be interval
  /// texts "[a, b]" (as_entry).
  template <class T>
  Mat<T> matrix(std::optional<std::size_t> rows = std::nullopt, std::optional<std::size_t> cols = std::nullopt,
                std::string_view shape_what = {}, bool intervals = false) const;

  /// Short description of this node for "got …" ("\"abc\"", "an array of 3", "an object", …).
  std::string describe() const;
  /// Throws ConfigError at this node: expected `expected`, got `got` (default: describe()).
  [[noreturn]] void fail(std::string expected, std::optional<std::string> got = std::nullopt) const;

  /// Checks that this is an array (of any length) / object; ConfigError otherwise.
  void require_array(std::string_view what) const;
  void require_object(std::string_view what) const;

 private:
  ConfigNode(std::shared_ptr<const Json> doc, std::shared_ptr<const std::string> file, const Json* node,
             std::string path);
  std::shared_ptr<const Json> doc_;
  std::shared_ptr<const std::string> file_;
  const Json* node_;
  std::string path_;  // "" for the root
};

/// Parses JSON text, keeping every number's literal text (see the file comment).
/// Checks: well-formed JSON, no trailing content, no duplicate keys in an object.
/// Failure: ConfigError naming `file`, the JSON path where parsing stopped, and the syntax error.
Json parse_json_literal(std::string_view text, const std::string& file);

/// Parses a config file (or text) into a cursor at its root.
/// Failure: ConfigError (unreadable file, syntax error, root not an object).
ConfigNode load_config(const std::filesystem::path& file);
ConfigNode config_from_text(std::string_view text, std::string file = "<string>");

// ---- templates ---------------------------------------------------------------------------------

template <class T>
Vec<T> ConfigNode::vector(std::optional<std::size_t> length, std::string_view length_what, bool intervals) const {
  require_array("a vector (array of numbers)");
  const std::size_t n = size();
  if (length && n != *length) {
    std::string e = "a vector of length " + std::to_string(*length);
    if (!length_what.empty()) e += " (" + std::string(length_what) + ")";
    fail(e, "an array of " + std::to_string(n));
  }
  Vec<T> v(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) v(static_cast<Eigen::Index>(i)) = index(i).as_entry<T>(intervals);
  return v;
}

template <class T>
Mat<T> ConfigNode::matrix(std::optional<std::size_t> rows, std::optional<std::size_t> cols,
                          std::string_view shape_what, bool intervals) const {
  const std::string what = shape_what.empty() ? std::string() : " (" + std::string(shape_what) + ")";
  require_array("a matrix (array of rows)");
  const std::size_t r = size();
  if (r == 0) fail("a non-empty matrix (array of rows)" + what, "an empty array");
  if (rows && r != *rows) fail("a matrix with " + std::to_string(*rows) + " rows" + what, "an array of " + std::to_string(r) + " rows");
  const ConfigNode row0 = index(0);
  row0.require_array("a matrix row (array of numbers)");
  const std::size_t c = row0.size();
  if (c == 0) row0.fail("a non-empty matrix row", "an empty array");
  if (cols && c != *cols)
    row0.fail("a matrix row of length " + std::to_string(*cols) + what, "an array of " + std::to_string(c));
  Mat<T> m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
  for (std::size_t i = 0; i < r; ++i) {
    const ConfigNode row = index(i);
    row.require_array("a matrix row (array of numbers)");
    if (row.size() != c)
      row.fail("a matrix row of length " + std::to_string(c) + " (like row 0; the matrix must be rectangular)",
               "an array of " + std::to_string(row.size()));
    for (std::size_t j = 0; j < c; ++j)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = row.index(j).as_entry<T>(intervals);
  }
  return m;
}

}  // namespace certiformer::cert
