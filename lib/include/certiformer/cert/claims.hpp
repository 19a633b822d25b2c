#pragma once
/// certiformer/cert/claims.hpp — user claims from a config, decided against named results.
///
/// Config form: "claims": [ {"id": "x0-le", "quantity": "x_at_t[0]", "op": "<=", "value": "0.6"} ]
/// with op one of "<=", "<", ">=", ">" and value any number literal (exact, like every input).
/// Quantity names are those of `Results<T>::quantity_names()` ("x_at_t[0]", …).

#include "certiformer/core/env.hpp"
#include "certiformer/core/exact.hpp"
#include "certiformer/core/io.hpp"
#include "certiformer/core/verdict.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace certiformer::cert {

/// One user claim as written in the config (validated shape, not yet decided).
struct ClaimSpec {
  std::string id;
  std::string quantity;
  std::string op;          ///< "<=", "<", ">=", ">"
  std::string value_text;  ///< the literal text of the value
  Rational value;          ///< its exact value
  std::string path;        ///< JSON pointer of the claim object (for error messages)
};

/// Reads "claims" from a config root (an absent field means no claims).
/// Checks: an array of objects with exactly the fields id (non-empty string, unique), quantity
/// (non-empty string), op (one of <=, <, >=, >) and value (a number).
/// Failure: ConfigError at the offending field.
std::vector<ClaimSpec> parse_claims(const ConfigNode& root);

/// Decides `quantity op value` for an enclosure Q of the quantity and V of the value.
/// Encloses: margin ⊇ {v − q} for "<=", "<" and {q − v} for ">=", ">" (q ∈ Q, v ∈ V).
/// Checks: proved iff the claim holds for every q ∈ Q, v ∈ V (e.g. sup Q ≤ inf V for "<=");
///         refuted iff it fails for all of them (inf Q > sup V); unknown otherwise.
template <class T>
Claim decide_claim(const ClaimSpec& spec, const T& q) {
  const T v = enclose<T>(spec.value);
  Claim c;
  c.id = spec.id;
  c.statement = spec.quantity + " " + spec.op + " " + spec.value_text;
  const bool upper = spec.op == "<=" || spec.op == "<";
  const T margin = upper ? T(v - q) : T(q - v);
  c.margin = endpoints(margin);
  bool proved = false, refuted = false;
  if (spec.op == "<=") { proved = certainly_less_equal(q, v); refuted = certainly_greater(q, v); }
  else if (spec.op == "<") { proved = certainly_less(q, v); refuted = certainly_greater_equal(q, v); }
  else if (spec.op == ">=") { proved = certainly_greater_equal(q, v); refuted = certainly_less(q, v); }
  else if (spec.op == ">") { proved = certainly_greater(q, v); refuted = certainly_less_equal(q, v); }
  else throw std::logic_error("decide_claim: bad op " + spec.op);
  int digits = 17;
  if constexpr (scalar_traits<T>::is_mp) digits = std::min(40, static_cast<int>(mp_precision() * 0.30103));
  const std::string encl = "enclosure " + short_text(endpoints(q), digits) + " of " + spec.quantity;
  if (proved) {
    c.verdict = Status::proved;
    c.reason = encl + " lies " + (upper ? "below " : "above ") + spec.value_text;
  } else if (refuted) {
    c.verdict = Status::refuted;
    c.reason = encl + " lies entirely " + (upper ? "above " : "below ") + spec.value_text + " (certainly false)";
  } else {
    c.verdict = Status::unknown;
    c.reason = encl + " overlaps " + spec.value_text + " (not decided at this precision)";
  }
  return c;
}

/// Resolves every spec against `results` and appends the claims to `cert`. A quantity this run
/// did not produce whose base name (up to the first '[') is in `optional_results` gives an
/// `unknown` claim saying so (the kind produces it only in some outcomes).
/// Failure: ConfigError at /claims/<i>/quantity for a name that is not a result quantity.
template <class T>
void resolve_claims(const std::vector<ClaimSpec>& specs, const Results<T>& results, const std::string& file,
                    Certificate& cert, const std::vector<std::string>& optional_results = {}) {
  for (const auto& s : specs) {
    const T* q = results.quantity(s.quantity);
    const std::string base = s.quantity.substr(0, s.quantity.find('['));
    if (!q && std::find(optional_results.begin(), optional_results.end(), base) != optional_results.end()) {
      Claim c;
      c.id = s.id;
      c.statement = s.quantity + " " + s.op + " " + s.value_text;
      c.verdict = Status::unknown;
      c.reason = s.quantity + " was not produced by this run (the kind produces " + base +
                 " only in some outcomes; see the run's status results)";
      cert.claims.push_back(std::move(c));
      continue;
    }
    if (!q) {
      std::string names;
      const auto all = results.quantity_names();
      for (std::size_t i = 0; i < all.size() && i < 8; ++i) names += (i ? ", " : "") + all[i];
      if (all.size() > 8) names += ", ... (" + std::to_string(all.size()) + " in all)";
      if (all.empty()) names = "(this kind has no scalar quantities)";
      throw ConfigError(file, s.path + "/quantity", "a result quantity: " + names, "\"" + s.quantity + "\"");
    }
    cert.claims.push_back(decide_claim(s, *q));
  }
}

}  // namespace certiformer::cert
