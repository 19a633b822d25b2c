#pragma once
/// certiformer/cert/certificate.hpp — claims, results and the certificate JSON (docs/certificates.md).
///
/// A certificate records one certified computation:
///
///     { "certiformer": {"version", "git", "compiler", "flags", "backend": "binary64" | "mpfi-<bits>"},
///       "kind": "...", "input": { the config as given, every number as its literal text },
///       "precision": 53,
///       "results": { "name": {"lo", "hi", "lo_hex", "hi_hex"} | [ ... ] | [[ ... ]] | "text"
///                    | {"upper", "upper_hex"[, "nonnegative": true]} | {"lower", "lower_hex"}
///                    | { "key": enclosure, … } | { "key": one-sided bound, … } },
///       "claims": [ {"id", "statement", "verdict", "reason", "margin": {lo, hi, lo_hex, hi_hex} | null} ],
///       "wall_s": 0.0123 }
///
/// Every enclosure is written by `endpoints()` (core/io.hpp): `lo`/`hi` are decimal strings
/// rounded outward (parsing them as exact decimals gives an interval that still contains the true
/// value) and `lo_hex`/`hi_hex` are the exact binary endpoints of the computed enclosure, so
/// [lo_hex, hi_hex] ⊆ [lo, hi].
///
/// A one-sided result ({"upper": …} / {"lower": …}) is a certified bound of a quantity, not an
/// enclosure of it: "upper" is a decimal ≥ the exact bound "upper_hex" ≥ the quantity (for
/// "lower" both ≤ it). "nonnegative": true says the quantity is ≥ 0 by its definition (a norm, an
/// error), so [0, upper] encloses it; otherwise the enclosure is [−∞, upper]. `check` compares
/// one-sided results by ≤ / ≥, not by inclusion (check.hpp).
///
/// `Results<T>` is what a kind fills in, typed over the scalar (Interval or MpInterval); it
/// also names every scalar it holds as a *quantity* for user claims: a scalar result "r" is
/// "r", a vector "v" gives "v[0]", "v[1]", …, a matrix "m" gives "m[i][j]".

#include "certiformer/core/env.hpp"
#include "certiformer/core/bound.hpp"
#include "certiformer/core/convert.hpp"
#include "certiformer/core/eigen.hpp"
#include "certiformer/core/io.hpp"
#include "certiformer/core/verdict.hpp"
#include "certiformer/cert/config.hpp"

#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace certiformer::cert {

/// A claim and its verdict. `margin` (when present) encloses the slack of the claim: a claim is
/// proved when the whole margin is on the good side of 0 (> 0 for strict, ≥ 0 otherwise).
struct Claim {
  std::string id;
  std::string statement;
  Status verdict = Status::unknown;
  std::string reason;
  std::optional<EndpointText> margin;
  /// Set for a claim "quantity ≤ bound" against a bound the run computes (a one-sided upper
  /// result, e.g. a theorem constant on the ball the run certified): the margin then encloses
  /// b − q, with b the certificate's own exact bound (`upper_hex` of result `bound`) and q the
  /// exact value of the two-sided result `quantity`. A run at another precision computes another
  /// (valid) bound, so `check` re-derives this margin from the certificate's b and the re-derived
  /// q, not from the re-run's bound. JSON: "margin_of": {"bound": name, "quantity": name}.
  struct MarginBasis {
    std::string bound, quantity;
    bool operator==(const MarginBasis&) const = default;
  };
  std::optional<MarginBasis> margin_of;
};

/// One named result in type-erased form: an enclosure, a vector or matrix of enclosures, text,
/// or enclosures keyed by a string (JSON object {"16": {lo, hi, lo_hex, hi_hex}, …}, keys in order).
using EnclosureVector = std::vector<EndpointText>;
using EnclosureMatrix = std::vector<std::vector<EndpointText>>;
using EnclosureMap = std::vector<std::pair<std::string, EndpointText>>;
/// A one-sided result (file comment): `bound` is the outward decimal (≥ bound_hex for an upper
/// bound, ≤ for a lower one), `bound_hex` the exact computed bound.
struct OneSidedText {
  bool upper = true;
  bool nonnegative = false;  ///< upper bounds only: the quantity is ≥ 0 by its definition
  std::string bound, bound_hex;
  /// The enclosure the bound implies: [0 or −inf, bound] / [bound, inf] (decimal and hex ends).
  EndpointText implied_enclosure() const;
};
using OneSidedMap = std::vector<std::pair<std::string, OneSidedText>>;
using ResultValue = std::variant<EndpointText, EnclosureVector, EnclosureMatrix, std::string, EnclosureMap, OneSidedText,
                                 OneSidedMap>;

/// Library version, git revision, compiler and flags of this build (certiformer_build_info.h).
struct BuildInfo {
  std::string version, git, compiler, flags;
  static BuildInfo current();
};

/// "binary64" for 53 bits, "mpfi-<bits>" above.
std::string backend_name(unsigned precision);

/// Worst of two statuses: refuted > unknown > proved.
Status worst(Status a, Status b) noexcept;

/// A complete certificate (see the file comment for its JSON form).
struct Certificate {
  BuildInfo build;
  std::string backend;
  std::string kind;
  Json input;              ///< the config as given (numbers as literal text)
  unsigned precision = 53;
  std::vector<std::pair<std::string, ResultValue>> results;
  std::vector<Claim> claims;
  double wall_s = 0.0;
  std::string key_bound;   ///< one short line for summaries (not written to JSON)
  /// Names of informational text results (step counts, timings, method notes that may differ
  /// between precisions): `check` reports them without comparing. Not written to JSON (the
  /// re-run of the kind says which of its results are informational).
  std::vector<std::string> informational;

  /// Worst claim verdict; `proved` when there are no claims (every enclosure was computed).
  Status status() const noexcept;
  std::size_t count(Status s) const noexcept;
  /// The JSON document of docs/certificates.md (Format).
  Json to_json() const;
  /// Reads a certificate back. Checks the shape of every field (types, enclosure objects with
  /// four parsable endpoint strings, verdict names, backend consistent with precision).
  /// Failure: ConfigError with the certificate's file and JSON path.
  static Certificate from_json(const ConfigNode& root);
};

/// Encloses: nothing (text) — the names of the entries of the vector result `result` when the
///   certificate labels them: a text result "<result>_parameters" (for "flow_<base>" also
///   "<base>_parameters") holding exactly as many space-separated words as the vector has
///   entries — e.g. euler.error's `gradient_parameters` for `gradient` and `flow_gradient`.
/// Assumes / Checks: nothing. Failure: none; an empty vector when there are no such labels.
/// Method: a lookup in c.results.
std::vector<std::string> entry_labels(const Certificate& c, const std::string& result);

/// JSON of one enclosure / one-sided bound / result value.
Json to_json(const EndpointText& e);
Json to_json(const OneSidedText& b);
Json to_json(const ResultValue& v);

/// Writes `text` to `path` atomically: a temporary file in the same directory, then a rename,
/// so a failed run never leaves a partial certificate. Creates the parent directory.
/// Failure: std::runtime_error naming the path.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

/// Short human form "[lo, hi]" of an enclosure's exact endpoints, ~`digits` significant digits,
/// rounded outward (for tables; the certificate keeps the full text).
std::string short_text(const EndpointText& e, int digits = 10);
/// Short human form of a one-sided bound (~`digits` significant digits, rounded outward).
std::string one_sided_short_text(const OneSidedText& b, int digits = 10);

// ---- typed results filled by kinds --------------------------------------------------------

/// What a one-sided result bounds: any real quantity, or one that is ≥ 0 by its definition.
enum class QuantityRange { any, nonnegative };

template <class T>
class Results {
 public:
  using R = real_t<T>;
  using Keyed = std::vector<std::pair<std::string, T>>;
  /// A one-sided result in typed form: the bound and the enclosure it implies for claims.
  struct OneSided {
    bool upper;
    bool nonnegative;
    R bound;
    T implied;  ///< [0, b], [−∞, b] or [a, +∞]
  };
  using KeyedOneSided = std::vector<std::pair<std::string, OneSided>>;
  using KeyedUpper = std::vector<std::pair<std::string, UpperBound<R>>>;
  using Value = std::variant<T, Vec<T>, Mat<T>, std::string, Keyed, OneSided, KeyedOneSided>;

  /// Adds a scalar / vector / matrix enclosure or a text result (names must be unique).
  void add(const std::string& name, const T& x) {
    push(name, Value(x));
    quantities_.emplace_back(name, x);
  }
  void add(const std::string& name, const Vec<T>& v) {
    push(name, Value(v));
    for (Eigen::Index i = 0; i < v.size(); ++i) quantities_.emplace_back(name + "[" + std::to_string(i) + "]", v(i));
  }
  void add(const std::string& name, const Mat<T>& m) {
    push(name, Value(m));
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j)
        quantities_.emplace_back(name + "[" + std::to_string(i) + "][" + std::to_string(j) + "]", m(i, j));
  }
  void add_text(const std::string& name, std::string text) { push(name, Value(std::move(text))); }
  /// A one-sided result: the certified upper bound b of a quantity q (JSON {"upper": …}). For
  /// user claims the quantity is [0, b] when `range` is nonnegative (q ≥ 0 by definition; then
  /// b ≥ 0 is checked, std::domain_error otherwise), else [−∞, b].
  void add(const std::string& name, const UpperBound<R>& b, QuantityRange range = QuantityRange::any) {
    const OneSided o = one_sided(b, range);
    push(name, Value(o));
    quantities_.emplace_back(name, o.implied);
  }
  /// A one-sided result: the certified lower bound a of a quantity (JSON {"lower": …}); the
  /// quantity is [a, +∞] for user claims.
  void add(const std::string& name, const LowerBound<R>& a) {
    const OneSided o{false, false, a.value(), a.enclosure()};
    push(name, Value(o));
    quantities_.emplace_back(name, o.implied);
  }
  /// One-sided upper bounds keyed by text (JSON object of {"upper": …}); quantities name[key].
  void add_keyed(const std::string& name, const KeyedUpper& entries, QuantityRange range = QuantityRange::any) {
    KeyedOneSided k;
    for (const auto& e : entries) k.emplace_back(e.first, one_sided(e.second, range));
    check_keys(name, k);
    push(name, Value(k));
    for (const auto& e : k) quantities_.emplace_back(name + "[" + e.first + "]", e.second.implied);
  }
  /// Enclosures keyed by text (a JSON object; e.g. keyed by depth "16", "32"); the quantities are
  /// called name[key]. Keys must be unique and non-empty.
  void add_keyed(const std::string& name, const Keyed& entries) {
    check_keys(name, entries);
    push(name, Value(entries));
    for (const auto& [k, x] : entries) quantities_.emplace_back(name + "[" + k + "]", x);
  }
  /// An informational text result (e.g. the number of steps taken): written to the certificate
  /// like any text result, but `certiformer check` does not require it to be reproduced.
  void add_info(const std::string& name, std::string text) {
    push(name, Value(std::move(text)));
    info_.push_back(name);
  }

  /// A claim "q ≤ b" decided by the kind, where `bound` names a one-sided upper result already
  /// added (exact value b) and `quantity` a two-sided result already added (enclosure of the
  /// exact q). The margin is enclose(b) − [q] (intersected with the verdict's side as in
  /// add_claim) and records its basis (Claim::margin_of), so `check` can re-derive it.
  /// Failure: std::logic_error if either name is not an added quantity.
  void add_claim_below_bound(std::string id, std::string statement, const Verdict& v, const std::string& bound,
                             const std::string& quantity) {
    const T* b = this->quantity(bound);
    const T* q = this->quantity(quantity);
    if (!b || !q) throw std::logic_error("add_claim_below_bound " + id + ": no result " + (!b ? bound : quantity));
    add_claim(std::move(id), std::move(statement), v, std::optional<T>(enclose_point<T>(sup(*b)) - *q));
    claims_.back().margin_of = Claim::MarginBasis{bound, quantity};
  }

  /// A claim decided by the kind itself (its verdict and optional margin enclosure).
  void add_claim(std::string id, std::string statement, const Verdict& v, std::optional<T> margin = std::nullopt) {
    Claim c{std::move(id), std::move(statement), v.status(), v.reason(), std::nullopt, std::nullopt};
    if (margin) {
      // A kind may prove a claim by an argument other than comparing enclosures (e.g. an
      // a-posteriori bound b is an upper bound of err by construction, while b − [err] from a
      // two-sided enclosure straddles 0). The slack of a proved claim is ≥ 0 (of a refuted one
      // ≤ 0), so intersecting keeps an enclosure of the true slack and makes the margin agree
      // with the verdict, which `check` verifies.
      std::optional<T> m = margin;
      using R = real_t<T>;
      if (v.is_proved()) m = intersection(*margin, T(R(0), R(std::numeric_limits<double>::infinity())));
      else if (v.is_refuted()) m = intersection(*margin, T(R(-std::numeric_limits<double>::infinity()), R(0)));
      if (!m) throw std::logic_error("add_claim " + c.id + ": the margin contradicts the verdict");
      c.margin = endpoints(*m);
    }
    claims_.push_back(std::move(c));
  }

  /// The scalar quantity called `name` ("x_at_t[0]"), or nullptr.
  /// Method: a hash index built on first use (configs may hold tens of thousands of claims,
  /// kinds tens of thousands of quantities); the first quantity of a name wins.
  const T* quantity(std::string_view name) const {
    if (index_size_ != quantities_.size()) {
      index_.clear();
      index_.reserve(quantities_.size());
      for (std::size_t i = 0; i < quantities_.size(); ++i) index_.emplace(quantities_[i].first, i);
      index_size_ = quantities_.size();
    }
    const auto it = index_.find(std::string(name));
    return it == index_.end() ? nullptr : &quantities_[it->second].second;
  }
  std::vector<std::string> quantity_names() const {
    std::vector<std::string> r;
    for (const auto& q : quantities_) r.push_back(q.first);
    return r;
  }
  /// Which quantity the summary table shows (default: the first one).
  void set_key_quantity(std::string name) { key_ = {std::move(name)}; }
  /// The summary line's key bound, made of several parts in order (the most informative
  /// certified numbers of the run): a two-sided quantity prints "name in [lo, hi]", a one-sided
  /// result (or an entry "name[key]" of a keyed one) "name <= b" / "name >= a", a text result
  /// "name = text"; names the run did not produce are skipped. Bounds are rounded outward
  /// (10 significant digits for one part, 7 for several).
  void set_key_quantities(std::vector<std::string> names) { key_ = std::move(names); }

  const std::vector<std::pair<std::string, Value>>& entries() const noexcept { return entries_; }
  const std::vector<Claim>& claims() const noexcept { return claims_; }

  /// Type-erases results and kind claims into `cert` (appending).
  void erase_into(Certificate& cert) const {
    for (const auto& [name, v] : entries_) {
      if (const T* x = std::get_if<T>(&v)) {
        cert.results.emplace_back(name, ResultValue(endpoints(*x)));
      } else if (const Vec<T>* vec = std::get_if<Vec<T>>(&v)) {
        EnclosureVector ev;
        for (Eigen::Index i = 0; i < vec->size(); ++i) ev.push_back(endpoints((*vec)(i)));
        cert.results.emplace_back(name, ResultValue(std::move(ev)));
      } else if (const Mat<T>* m = std::get_if<Mat<T>>(&v)) {
        EnclosureMatrix em;
        for (Eigen::Index i = 0; i < m->rows(); ++i) {
          em.emplace_back();
          for (Eigen::Index j = 0; j < m->cols(); ++j) em.back().push_back(endpoints((*m)(i, j)));
        }
        cert.results.emplace_back(name, ResultValue(std::move(em)));
      } else if (const Keyed* kv = std::get_if<Keyed>(&v)) {
        EnclosureMap map;
        for (const auto& [k, x] : *kv) map.emplace_back(k, endpoints(x));
        cert.results.emplace_back(name, ResultValue(std::move(map)));
      } else if (const OneSided* o = std::get_if<OneSided>(&v)) {
        cert.results.emplace_back(name, ResultValue(text_of(*o)));
      } else if (const KeyedOneSided* ko = std::get_if<KeyedOneSided>(&v)) {
        OneSidedMap map;
        for (const auto& e : *ko) map.emplace_back(e.first, text_of(e.second));
        cert.results.emplace_back(name, ResultValue(std::move(map)));
      } else {
        cert.results.emplace_back(name, ResultValue(std::get<std::string>(v)));
      }
    }
    for (const auto& c : claims_) cert.claims.push_back(c);
    for (const auto& n : info_) cert.informational.push_back(n);
    std::vector<std::string> keys = key_;
    if (keys.empty() && !quantities_.empty()) keys.push_back(quantities_.front().first);
    const int digits = keys.size() == 1 ? 10 : 7;
    std::string line;
    for (const auto& key : keys) {
      const std::string part = key_part(key, digits);
      if (!part.empty()) line += (line.empty() ? "" : ", ") + part;
    }
    cert.key_bound = line;
  }

 private:
  static OneSided one_sided(const UpperBound<R>& b, QuantityRange range) {
    const bool nn = range == QuantityRange::nonnegative;
    return OneSided{true, nn, b.value(), nn ? b.enclosure_nonnegative() : b.enclosure()};
  }
  static OneSidedText text_of(const OneSided& o) {
    return OneSidedText{o.upper, o.nonnegative, o.upper ? decimal_up(o.bound) : decimal_down(o.bound), hex(o.bound)};
  }
  /// One part of the key bound (set_key_quantities); empty when `key` was not produced.
  std::string key_part(const std::string& key, int digits) const {
    auto one_sided_part = [&](const OneSided& o) {
      return key + (o.upper ? " <= " : " >= ") + one_sided_short_text(text_of(o), digits);
    };
    for (const auto& [name, v] : entries_) {
      if (name == key) {
        if (const auto* t = std::get_if<std::string>(&v)) return key + " = " + *t;
        if (const auto* o = std::get_if<OneSided>(&v)) return one_sided_part(*o);
      } else if (const auto* ko = std::get_if<KeyedOneSided>(&v); ko && key.size() > name.size() &&
                                                                  key.compare(0, name.size() + 1, name + "[") == 0) {
        for (const auto& e : *ko)
          if (key == name + "[" + e.first + "]") return one_sided_part(e.second);
      }
    }
    if (const T* k = quantity(key)) return key + " in " + short_text(endpoints(*k), digits);
    return "";
  }
  template <class Entries> static void check_keys(const std::string& name, const Entries& entries) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].first.empty()) throw std::logic_error("certiformer: empty key in result '" + name + "'");
      for (std::size_t j = 0; j < i; ++j)
        if (entries[j].first == entries[i].first)
          throw std::logic_error("certiformer: duplicate key '" + entries[i].first + "' in result '" + name + "'");
    }
  }
  void push(const std::string& name, Value v) {
    for (const auto& e : entries_)
      if (e.first == name) throw std::logic_error("certiformer: duplicate result name '" + name + "'");
    entries_.emplace_back(name, std::move(v));
  }
  std::vector<std::pair<std::string, Value>> entries_;
  std::vector<std::pair<std::string, T>> quantities_;
  mutable std::unordered_map<std::string, std::size_t> index_;  // name → position in quantities_
  mutable std::size_t index_size_ = 0;                           // quantities_.size() when indexed
  std::vector<Claim> claims_;
  std::vector<std::string> info_;
  std::vector<std::string> key_;
};

}  // namespace certiformer::cert
