// Certificates: JSON output, reading back with shape checks, atomic writes. See cert/certificate.hpp.
#include "certiformer/cert/certificate.hpp"

#include "certiformer/core/exact.hpp"
#include "certiformer_build_info.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <unordered_set>

#include <unistd.h>

namespace certiformer::cert {

BuildInfo BuildInfo::current() {
  return {CERTIFORMER_VERSION, CERTIFORMER_GIT, CERTIFORMER_COMPILER, CERTIFORMER_FLAGS};
}

std::string backend_name(unsigned precision) {
  return precision == 53 ? std::string("binary64") : "mpfi-" + std::to_string(precision);
}

Status worst(Status a, Status b) noexcept {
  if (a == Status::refuted || b == Status::refuted) return Status::refuted;
  if (a == Status::unknown || b == Status::unknown) return Status::unknown;
  return Status::proved;
}

Status Certificate::status() const noexcept {
  Status s = Status::proved;
  for (const auto& c : claims) s = worst(s, c.verdict);
  return s;
}

std::size_t Certificate::count(Status s) const noexcept {
  std::size_t n = 0;
  for (const auto& c : claims) n += c.verdict == s ? 1 : 0;
  return n;
}

Json to_json(const EndpointText& e) {
  Json j = Json::object();
  j["lo"] = e.lo;
  j["hi"] = e.hi;
  j["lo_hex"] = e.lo_hex;
  j["hi_hex"] = e.hi_hex;
  return j;
}

Json to_json(const OneSidedText& b) {
  Json j = Json::object();
  j[b.upper ? "upper" : "lower"] = b.bound;
  j[b.upper ? "upper_hex" : "lower_hex"] = b.bound_hex;
  if (b.nonnegative) j["nonnegative"] = true;
  return j;
}

EndpointText OneSidedText::implied_enclosure() const {
  if (!upper) return EndpointText{bound, "inf", bound_hex, "inf"};
  const std::string floor = nonnegative ? "0" : "-inf";
  return EndpointText{floor, bound, floor, bound_hex};
}

Json to_json(const ResultValue& v) {
  if (const auto* e = std::get_if<EndpointText>(&v)) return to_json(*e);
  if (const auto* b = std::get_if<OneSidedText>(&v)) return to_json(*b);
  if (const auto* bm = std::get_if<OneSidedMap>(&v)) {
    Json o = Json::object();
    for (const auto& [k, b] : *bm) o[k] = to_json(b);
    return o;
  }
  if (const auto* ev = std::get_if<EnclosureVector>(&v)) {
    Json a = Json::array();
    for (const auto& e : *ev) a.push_back(to_json(e));
    return a;
  }
  if (const auto* em = std::get_if<EnclosureMatrix>(&v)) {
    Json a = Json::array();
    for (const auto& row : *em) {
      Json r = Json::array();
      for (const auto& e : row) r.push_back(to_json(e));
      a.push_back(std::move(r));
    }
    return a;
  }
  if (const auto* map = std::get_if<EnclosureMap>(&v)) {
    Json o = Json::object();
    for (const auto& [k, e] : *map) o[k] = to_json(e);
    return o;
  }
  return Json(std::get<std::string>(v));
}

Json Certificate::to_json() const {
  Json j = Json::object();
  j["certiformer"] = Json::object();
  j["certiformer"]["version"] = build.version;
  j["certiformer"]["git"] = build.git;
  j["certiformer"]["compiler"] = build.compiler;
  j["certiformer"]["flags"] = build.flags;
  j["certiformer"]["backend"] = backend;
  j["kind"] = kind;
  j["input"] = input;
  j["precision"] = precision;
  Json r = Json::object();
  for (const auto& [name, v] : results) r[name] = cert::to_json(v);
  j["results"] = std::move(r);
  Json cl = Json::array();
  for (const auto& c : claims) {
    Json o = Json::object();
    o["id"] = c.id;
    o["statement"] = c.statement;
    o["verdict"] = std::string(to_string(c.verdict));
    o["reason"] = c.reason;
    o["margin"] = c.margin ? cert::to_json(*c.margin) : Json(nullptr);
    if (c.margin_of) o["margin_of"] = Json{{"bound", c.margin_of->bound}, {"quantity", c.margin_of->quantity}};
    cl.push_back(std::move(o));
  }
  j["claims"] = std::move(cl);
  j["wall_s"] = wall_s;
  return j;
}

// ---- reading back ----------------------------------------------------------------------------

namespace {

bool is_endpoint_text(const std::string& s) {
  if (s == "inf" || s == "-inf") return true;
  try {
    (void)parse_exact(s);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

EndpointText read_enclosure(const ConfigNode& n) {
  n.require_object("an enclosure {\"lo\", \"hi\", \"lo_hex\", \"hi_hex\"}");
  n.only_keys({"lo", "hi", "lo_hex", "hi_hex"});
  EndpointText e;
  std::string* slots[] = {&e.lo, &e.hi, &e.lo_hex, &e.hi_hex};
  const char* names[] = {"lo", "hi", "lo_hex", "hi_hex"};
  for (int i = 0; i < 4; ++i) {
    const ConfigNode f = n.at(names[i]);
    const std::string s = f.as_string("an endpoint string (decimal or hex float)");
    if (!is_endpoint_text(s)) f.fail("an endpoint string (decimal, hex float, \"inf\" or \"-inf\")");
    *slots[i] = s;
  }
  return e;
}

bool looks_like_enclosure(const ConfigNode& n) { return n.is_object() && (n.has("lo") || n.has("lo_hex")); }
bool looks_like_one_sided(const ConfigNode& n) {
  return n.is_object() && (n.has("upper") || n.has("upper_hex") || n.has("lower") || n.has("lower_hex"));
}

OneSidedText read_one_sided(const ConfigNode& n) {
  n.require_object("a one-sided bound {\"upper\", \"upper_hex\"} or {\"lower\", \"lower_hex\"}");
  OneSidedText b;
  b.upper = n.has("upper") || n.has("upper_hex");
  if (b.upper) n.only_keys({"upper", "upper_hex", "nonnegative"});
  else n.only_keys({"lower", "lower_hex"});
  const char* names[] = {b.upper ? "upper" : "lower", b.upper ? "upper_hex" : "lower_hex"};
  std::string* slots[] = {&b.bound, &b.bound_hex};
  for (int i = 0; i < 2; ++i) {
    const ConfigNode f = n.at(names[i]);
    const std::string s = f.as_string("a bound string (decimal or hex float)");
    if (!is_endpoint_text(s)) f.fail("a bound string (decimal, hex float, \"inf\" or \"-inf\")");
    *slots[i] = s;
  }
  if (n.has("nonnegative")) {
    const ConfigNode f = n.at("nonnegative");
    if (!f.json().is_boolean() || !f.json().get<bool>()) f.fail("true (omit the key for a quantity of any sign)");
    b.nonnegative = true;
  }
  return b;
}

ResultValue read_result(const ConfigNode& n) {
  if (n.is_text()) return ResultValue(n.as_text());
  if (looks_like_enclosure(n)) return ResultValue(read_enclosure(n));
  if (looks_like_one_sided(n)) return ResultValue(read_one_sided(n));
  if (n.is_object()) {
    const auto members = n.members();
    if (!members.empty() && looks_like_one_sided(members.front().second)) {  // bounds keyed by text
      OneSidedMap map;
      for (const auto& [key, member] : members) map.emplace_back(key, read_one_sided(member));
      return ResultValue(std::move(map));
    }
  }
  if (n.is_object()) {  // enclosures keyed by text, in document order
    EnclosureMap map;
    for (const auto& [key, member] : n.members()) map.emplace_back(key, read_enclosure(member));
    return ResultValue(std::move(map));
  }
  n.require_array("an enclosure, an array of enclosures, a matrix of enclosures, or a string");
  const std::size_t len = n.size();
  if (len > 0 && n.index(0).is_array()) {
    EnclosureMatrix m;
    std::size_t cols = 0;
    for (std::size_t i = 0; i < len; ++i) {
      const ConfigNode row = n.index(i);
      row.require_array("a row of enclosures");
      if (i == 0) cols = row.size();
      if (row.size() != cols) row.fail("a row of " + std::to_string(cols) + " enclosures (like row 0)");
      m.emplace_back();
      for (std::size_t j = 0; j < row.size(); ++j) m.back().push_back(read_enclosure(row.index(j)));
    }
    return ResultValue(std::move(m));
  }
  EnclosureVector v;
  for (std::size_t i = 0; i < len; ++i) v.push_back(read_enclosure(n.index(i)));
  return ResultValue(std::move(v));
}

Status read_status(const ConfigNode& n) {
  const std::string s = n.as_text();
  if (s == "proved") return Status::proved;
  if (s == "refuted") return Status::refuted;
  if (s == "unknown") return Status::unknown;
  n.fail("\"proved\", \"refuted\" or \"unknown\"");
}

}  // namespace

Certificate Certificate::from_json(const ConfigNode& root) {
  root.require_object("a certificate (JSON object)");
  root.only_keys({"certiformer", "kind", "input", "precision", "results", "claims", "wall_s"});
  Certificate c;
  const ConfigNode info = root.at("certiformer");
  info.require_object("an object {version, git, compiler, flags, backend}");
  info.only_keys({"version", "git", "compiler", "flags", "backend"});
  c.build.version = info.at("version").as_string("a version string");
  c.build.git = info.at("git").as_string("a git revision string");
  c.build.compiler = info.at("compiler").as_string("a compiler string");
  c.build.flags = info.at("flags").as_string("a flags string");
  c.backend = info.at("backend").as_string("a backend name");
  c.kind = root.at("kind").as_string("a kind name");
  const ConfigNode input = root.at("input");
  input.require_object("the echoed config (an object)");
  c.input = input.json();
  const ConfigNode prec = root.at("precision");
  c.precision = static_cast<unsigned>(prec.as_int(53, 65536));
  if (c.backend != backend_name(c.precision))
    info.at("backend").fail("\"" + backend_name(c.precision) + "\" (the backend of precision " +
                            std::to_string(c.precision) + ")");
  const ConfigNode results = root.at("results");
  results.require_object("an object of named results");
  for (const auto& [k, member] : results.members()) c.results.emplace_back(k, read_result(member));
  const ConfigNode claims = root.at("claims");
  claims.require_array("an array of claims");
  std::unordered_set<std::string> ids;  // near-linear duplicate check
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const ConfigNode cl = claims.index(i);
    cl.require_object("a claim object");
    cl.only_keys({"id", "statement", "verdict", "reason", "margin", "margin_of"});
    Claim x;
    x.id = cl.at("id").as_string("a claim id");
    x.statement = cl.at("statement").as_text();
    x.verdict = read_status(cl.at("verdict"));
    x.reason = cl.at("reason").as_text();
    if (auto m = cl.find("margin"); m && !m->json().is_null()) x.margin = read_enclosure(*m);
    if (auto mo = cl.find("margin_of")) {
      mo->require_object("{\"bound\": result name, \"quantity\": result name}");
      mo->only_keys({"bound", "quantity"});
      x.margin_of = Claim::MarginBasis{mo->at("bound").as_string("a result name"), mo->at("quantity").as_string("a result name")};
      if (!x.margin) mo->fail("a claim with a margin (margin_of describes the margin)");
    }
    if (!ids.insert(x.id).second) cl.at("id").fail("a unique claim id");
    c.claims.push_back(std::move(x));
  }
  const ConfigNode wall = root.at("wall_s");
  if (!wall.is_text()) wall.fail("a number of seconds");
  // The whole text must be a finite number (std::stod alone accepts "nan", "inf" and "1abc";
  // a non-finite wall time would be written back as null).
  try {
    std::size_t used = 0;
    const std::string text = wall.as_text();
    c.wall_s = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(c.wall_s)) wall.fail("a finite number of seconds");
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception&) {
    wall.fail("a number of seconds");
  }
  return c;
}

// ---- output helpers ----------------------------------------------------------------------------

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory " + dir.string() + ": " + ec.message());
  std::random_device rd;
  std::string tmp_name = ".";
  tmp_name += path.filename().string();
  tmp_name += ".tmp.";
  tmp_name += std::to_string(::getpid());
  tmp_name += '.';
  tmp_name += std::to_string(rd() % 1000000);
  const fs::path tmp = dir / tmp_name;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << text;
    out.flush();
    if (!out) {
      out.close();
      fs::remove(tmp, ec);
      throw std::runtime_error("cannot write " + tmp.string());
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ec2;
    fs::remove(tmp, ec2);
    throw std::runtime_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  }
}

std::vector<std::string> entry_labels(const Certificate& c, const std::string& result) {
  std::size_t n = 0;
  bool found = false;
  for (const auto& [name, v] : c.results)
    if (name == result)
      if (const auto* ev = std::get_if<EnclosureVector>(&v)) n = ev->size(), found = true;
  if (!found || n == 0) return {};
  std::vector<std::string> sources{result + "_parameters"};
  if (result.rfind("flow_", 0) == 0) sources.push_back(result.substr(5) + "_parameters");
  for (const auto& src : sources)
    for (const auto& [name, v] : c.results)
      if (name == src)
        if (const auto* t = std::get_if<std::string>(&v)) {
          std::vector<std::string> words;
          std::istringstream in(*t);
          for (std::string w; in >> w;) words.push_back(w);
          if (words.size() == n) return words;
        }
  return {};
}

std::string short_text(const EndpointText& e, int digits) {
  try {
    if (digits <= 17) {
      auto endpoint = [](const std::string& hexs, bool upper) -> double {
        if (hexs == "inf") return detail::kInf;
        if (hexs == "-inf") return -detail::kInf;
        const Interval x = enclose_interval(parse_exact(hexs));
        return upper ? x.upper() : x.lower();
      };
      return to_string(Interval(endpoint(e.lo_hex, false), endpoint(e.hi_hex, true)), digits);
    }
    // More digits than binary64 holds: round the exact endpoints outward at enough bits.
    MpPrecisionScope scope(static_cast<unsigned>(digits * 3.33) + 16);
    if (e.lo_hex == "-inf" || e.hi_hex == "inf") return "[" + e.lo + ", " + e.hi + "]";
    return to_string(convex_hull(enclose_mp(parse_exact(e.lo_hex)), enclose_mp(parse_exact(e.hi_hex))), digits);
  } catch (const std::exception&) {
    return "[" + e.lo + ", " + e.hi + "]";
  }
}

std::string one_sided_short_text(const OneSidedText& b, int digits) {
  // the outward short form of the point [bound_hex, bound_hex]: its upper end is ≥ an upper
  // bound, its lower end ≤ a lower bound
  const std::string t = short_text(EndpointText{b.bound, b.bound, b.bound_hex, b.bound_hex}, digits);
  const auto comma = t.find(", ");
  if (t.size() < 2 || t.front() != '[' || t.back() != ']' || comma == std::string::npos) return b.bound;
  return b.upper ? t.substr(comma + 2, t.size() - comma - 3) : t.substr(1, comma - 1);
}

}  // namespace certiformer::cert
