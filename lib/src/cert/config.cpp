// Config parsing that keeps literal text. See cert/config.hpp.
#include "certiformer/cert/config.hpp"

#include <cfloat>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace certiformer::cert {

std::string escape_control(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(u));
      r += b;
    } else {
      r += c;
    }
  }
  return r;
}

ConfigError::ConfigError(std::string file_, std::string json_path_, std::string expected_, std::string got_)
    : std::runtime_error(escape_control(file_ + ": " + json_path_ + ": expected " + expected_ + ", got " + got_)),
      file(std::move(file_)),
      json_path(std::move(json_path_)),
      expected(std::move(expected_)),
      got(std::move(got_)) {}

std::string json_pointer_escape(std::string_view key) {
  std::string r;
  r.reserve(key.size());
  for (char c : key) {
    if (c == '~') r += "~0";
    else if (c == '/') r += "~1";
    else r += c;
  }
  return r;
}

namespace {

/// One line of at most `max` characters of `s` (then "..."); control characters (NUL, newline,
/// …) are written as \u00XX escapes, so nothing is cut or hidden when the text is printed.
/// A multi-byte UTF-8 character is never split by the cut.
std::string clip(std::string_view s, std::size_t max = 60) {
  std::string r;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    const bool continuation = (u & 0xC0) == 0x80;
    if (shown >= max && !continuation) {
      r += "...";
      break;
    }
    r += escape_control(s.substr(i, 1));
    if (!continuation) ++shown;
  }
  return r;
}

/// SAX handler building an ordered_json in which every number is its literal text.
class LiteralSax {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  explicit LiteralSax(const std::string& file) : file_(file) {}

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(number_integer_t v) { return put(Json(std::to_string(v))); }
  bool number_unsigned(number_unsigned_t v) { return put(Json(std::to_string(v))); }
  bool number_float(number_float_t, const string_t& s) { return put(Json(s)); }
  bool string(string_t& s) { return put(Json(std::move(s))); }
  bool binary(binary_t&) { return fail_here("JSON text", "binary data"); }
  bool start_object(std::size_t) {
    if (stack_.size() >= kMaxDepth) return too_deep();
    Json* p = place(Json::object());
    if (!p) return false;
    stack_.push_back({p, {}, {}});
    return true;
  }
  bool key(string_t& k) {
    Level& top = stack_.back();
    // A hash set per object: ordered_json's own lookup is a linear scan, which made large
    // objects (tens of thousands of keys) quadratic.
    if (!top.keys.insert(k).second) {
      top.key = k;
      return fail_here("unique keys in an object", "a second field \"" + clip(k) + "\"");
    }
    top.key = k;
    return true;
  }
  bool end_object() { stack_.pop_back(); return true; }
  bool start_array(std::size_t) {
    if (stack_.size() >= kMaxDepth) return too_deep();
    Json* p = place(Json::array());
    if (!p) return false;
    stack_.push_back({p, {}, {}});
    return true;
  }
  bool end_array() { stack_.pop_back(); return true; }
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
    std::string msg = ex.what();
    // Strip nlohmann's "[json.exception.parse_error.101] " prefix.
    if (!msg.empty() && msg.front() == '[') {
      const auto close = msg.find("] ");
      if (close != std::string::npos) msg = msg.substr(close + 2);
    }
    (void)position;
    (void)last_token;
    error_ = ConfigError(file_, current_path(), "valid JSON", clip(msg, 160));
    return false;
  }

  Json& root() { return root_; }
  const std::optional<ConfigError>& error() const { return error_; }

 private:
  struct Level {
    Json* node;
    std::string key;                        // last key read (objects)
    std::unordered_set<std::string> keys;   // keys read so far (objects)
  };

  Json* place(Json v) {
    if (stack_.empty()) {
      if (have_root_) {  // not reachable with strict parsing, kept for safety
        fail_here("a single JSON document", "more content");
        return nullptr;
      }
      have_root_ = true;
      root_ = std::move(v);
      return &root_;
    }
    Level& top = stack_.back();
    if (top.node->is_array()) {
      top.node->push_back(std::move(v));
      return &top.node->back();
    }
    // The key is new (checked in key()): append without ordered_map's linear search.
    auto& obj = top.node->get_ref<Json::object_t&>();
    obj.emplace_back(top.key, std::move(v));
    return &obj.back().second;
  }
  bool put(Json v) { return place(std::move(v)) != nullptr; }

  /// JSON pointer of the value being parsed (or just parsed) when an error occurs.
  std::string current_path() const {
    std::string p;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      const Level& l = stack_[i];
      if (l.node->is_array()) {
        std::size_t idx = l.node->size();
        if (i + 1 < stack_.size() && idx > 0) idx -= 1;  // the nested container is the last element
        p += '/';
        p += std::to_string(idx);
      } else if (!l.key.empty() || l.node->size() > 0) {
        p += '/';
        p += json_pointer_escape(l.key);
      }
    }
    return p.empty() ? "/" : p;
  }

  /// Nesting limit: copying, printing and destroying a document recurse once per level, so a
  /// pathological "[[[[…" of a million levels would overflow the stack. No config or
  /// certificate comes near this depth.
  static constexpr std::size_t kMaxDepth = 256;
  bool too_deep() {
    return fail_here("a JSON document nested at most " + std::to_string(kMaxDepth) + " levels deep", "deeper nesting");
  }

  bool fail_here(std::string expected, std::string got) {
    error_ = ConfigError(file_, current_path(), std::move(expected), std::move(got));
    return false;
  }

  std::string file_;
  Json root_;
  bool have_root_ = false;
  std::vector<Level> stack_;
  std::optional<ConfigError> error_;
};

}  // namespace

Json parse_json_literal(std::string_view text, const std::string& file) {
  LiteralSax sax(file);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json, true);
  if (sax.error()) throw *sax.error();
  if (!ok) throw ConfigError(file, "/", "valid JSON", "a document the parser rejected");
  return std::move(sax.root());
}

ConfigNode config_from_text(std::string_view text, std::string file) {
  auto doc = std::make_shared<const Json>(parse_json_literal(text, file));
  ConfigNode root(doc, std::move(file));
  root.require_object("a JSON object (the config)");
  return root;
}

ConfigNode load_config(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ConfigError(file, "/", "a readable JSON file", "a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(file, "/", "a readable JSON file", "a file that cannot be opened");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ConfigError(file, "/", "a readable JSON file", "a read error");
  return config_from_text(ss.str(), file);
}

// ---- ConfigNode ----------------------------------------------------------------------------

ConfigNode::ConfigNode(std::shared_ptr<const Json> doc, std::string file)
    : doc_(std::move(doc)), file_(std::make_shared<const std::string>(std::move(file))), node_(doc_.get()) {}

ConfigNode::ConfigNode(std::shared_ptr<const Json> doc, std::shared_ptr<const std::string> file, const Json* node,
                       std::string path)
    : doc_(std::move(doc)), file_(std::move(file)), node_(node), path_(std::move(path)) {}

std::string ConfigNode::describe() const {
  const Json& j = *node_;
  if (j.is_string()) return "\"" + clip(j.get_ref<const std::string&>()) + "\"";
  if (j.is_object()) return j.empty() ? "an empty object" : "an object";
  if (j.is_array()) return j.empty() ? "an empty array" : "an array of " + std::to_string(j.size());
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_null()) return "null";
  return clip(j.dump());
}

void ConfigNode::fail(std::string expected, std::optional<std::string> got) const {
  throw ConfigError(file(), path(), std::move(expected), got ? std::move(*got) : describe());
}

void ConfigNode::require_array(std::string_view what) const {
  if (!node_->is_array()) fail(std::string(what));
}
void ConfigNode::require_object(std::string_view what) const {
  if (!node_->is_object()) fail(std::string(what));
}

ConfigNode ConfigNode::at(std::string_view key) const {
  require_object("an object with a field \"" + std::string(key) + "\"");
  auto it = node_->find(std::string(key));
  if (it == node_->end())
    throw ConfigError(file(), path_ + "/" + json_pointer_escape(key), "a field \"" + std::string(key) + "\"",
                      "nothing (the field is missing)");
  return ConfigNode(doc_, file_, &*it, path_ + "/" + json_pointer_escape(key));
}

std::optional<ConfigNode> ConfigNode::find(std::string_view key) const {
  require_object("an object");
  auto it = node_->find(std::string(key));
  if (it == node_->end()) return std::nullopt;
  return ConfigNode(doc_, file_, &*it, path_ + "/" + json_pointer_escape(key));
}

bool ConfigNode::has(std::string_view key) const { return node_->is_object() && node_->contains(std::string(key)); }

ConfigNode ConfigNode::index(std::size_t i) const {
  require_array("an array");
  if (i >= node_->size())
    throw ConfigError(file(), path_ + "/" + std::to_string(i), "an element " + std::to_string(i),
                      "nothing (the array has " + std::to_string(node_->size()) + " elements)");
  return ConfigNode(doc_, file_, &(*node_)[i], path_ + "/" + std::to_string(i));
}

std::size_t ConfigNode::size() const {
  require_array("an array");
  return node_->size();
}

std::vector<std::string> ConfigNode::keys() const {
  require_object("an object");
  std::vector<std::string> k;
  for (auto it = node_->begin(); it != node_->end(); ++it) k.push_back(it.key());
  return k;
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::members() const {
  require_object("an object");
  std::vector<std::pair<std::string, ConfigNode>> m;
  m.reserve(node_->size());
  for (auto it = node_->begin(); it != node_->end(); ++it)
    m.emplace_back(it.key(), ConfigNode(doc_, file_, &it.value(), path_ + "/" + json_pointer_escape(it.key())));
  return m;
}

void ConfigNode::only_keys(const std::vector<std::string>& allowed) const {
  require_object("an object");
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == it.key();
    if (!ok) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw ConfigError(file(), path_ + "/" + json_pointer_escape(it.key()), "only the fields " + list,
                        "an unknown field \"" + clip(it.key()) + "\"");
    }
  }
}

std::string ConfigNode::as_text() const {
  if (!node_->is_string()) fail("a number or string");
  return node_->get<std::string>();
}

std::string ConfigNode::as_string(std::string_view what) const {
  if (!node_->is_string() || node_->get_ref<const std::string&>().empty()) fail(std::string(what));
  return node_->get<std::string>();
}

Rational ConfigNode::as_rational() const {
  static const char* kWhat = "a number (decimal like 0.1 or \"0.1\", rational \"p/q\", or hex float)";
  if (!node_->is_string()) fail(kWhat);
  if (is_interval_text(node_->get_ref<const std::string&>()))
    fail("a number (an interval [a, b] is not accepted for this field: parameter boxes are supported by the model, "
         "initial data and horizon of gaussian.blowup, the model and tokens of euler.error, the tokens of "
         "transformer.flow, and the model, read-out, "
         "tokens and gate-range ends of bellman.gap — docs/sweep.md)");
  Rational q;
  try {
    q = parse_exact(node_->get_ref<const std::string&>());
  } catch (const std::exception&) {  // invalid_argument by contract; anything else is refused too
    fail(kWhat);
  }
  static const Rational kMax = parse_exact("0x1.fffffffffffffp+1023");
  if (q > kMax || q < -kMax) fail("a finite number of magnitude at most 1.7976931348623157e308");
  return q;
}

RationalInterval ConfigNode::as_rational_interval() const {
  static const char* kWhat = "a number or an interval \"[a, b]\" with a <= b (ends: decimal, rational p/q or hex float)";
  if (!node_->is_string()) fail(kWhat);
  RationalInterval r;
  try {
    r = parse_exact_interval(node_->get_ref<const std::string&>());
  } catch (const std::exception&) {
    fail(kWhat);
  }
  static const Rational kMax = parse_exact("0x1.fffffffffffffp+1023");
  if (r.hi > kMax || r.lo < -kMax) fail("finite ends of magnitude at most 1.7976931348623157e308");
  return r;
}

long ConfigNode::as_int(long min, long max) const {
  const std::string what = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!node_->is_string()) fail(what);
  Rational q;
  try {
    q = parse_exact(node_->get_ref<const std::string&>());
  } catch (const std::exception&) {
    fail(what);
  }
  if (boost::multiprecision::denominator(q) != 1 || q < Rational(min) || q > Rational(max)) fail(what);
  return boost::multiprecision::numerator(q).convert_to<long>();
}

}  // namespace certiformer::cert
