// certiformer check: re-derive a certificate and re-verify it (independent or fast). See cert/check.hpp.
#include "certiformer/cert/check.hpp"

#include "certiformer/cert/registry.hpp"
#include "certiformer/core/exact.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <string_view>
#include <unordered_map>

namespace certiformer::cert {

std::string_view to_string(CheckOutcome o) noexcept {
  switch (o) {
    case CheckOutcome::reproduced: return "reproduced";
    case CheckOutcome::consistent: return "consistent";
    case CheckOutcome::inconclusive: return "inconclusive";
    case CheckOutcome::failed: return "FAILED";
  }
  return "FAILED";
}

std::string_view to_string(NumberMatch m) noexcept {
  switch (m) {
    case NumberMatch::none: return "none";
    case NumberMatch::exact: return "exact";
    case NumberMatch::implied: return "implied";
    case NumberMatch::not_implied: return "not_implied";
  }
  return "not_implied";
}

namespace {
int severity(CheckOutcome o) noexcept {
  switch (o) {
    case CheckOutcome::reproduced: return 0;
    case CheckOutcome::consistent: return 1;
    case CheckOutcome::inconclusive: return 2;
    case CheckOutcome::failed: return 3;
  }
  return 3;
}
CheckOutcome worse(CheckOutcome a, CheckOutcome b) noexcept { return severity(a) >= severity(b) ? a : b; }
}  // namespace

CheckOutcome CheckReport::outcome() const noexcept {
  CheckOutcome o = CheckOutcome::reproduced;
  for (const auto& l : lines) o = worse(o, l.outcome);
  return o;
}

std::size_t CheckReport::count(CheckOutcome o) const noexcept {
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [o](const CheckLine& l) { return l.outcome == o; }));
}

bool CheckReport::claims_verified() const noexcept {
  const CheckOutcome o = outcome();
  return o == CheckOutcome::reproduced || o == CheckOutcome::consistent;
}

NumberMatch CheckReport::numbers() const noexcept {
  NumberMatch level = NumberMatch::none;
  for (const auto& l : lines) {
    if (l.numbers == NumberMatch::none) continue;
    if (level == NumberMatch::none || static_cast<int>(l.numbers) > static_cast<int>(level)) level = l.numbers;
  }
  return level;
}

int CheckReport::exit_code() const noexcept {
  switch (outcome()) {
    case CheckOutcome::reproduced: return 0;
    case CheckOutcome::consistent: return strict ? 2 : 0;
    case CheckOutcome::failed: return 1;
    case CheckOutcome::inconclusive: return 2;
  }
  return 1;
}

namespace {
Json build_json(const BuildInfo& b) {
  Json j = Json::object();
  j["version"] = b.version;
  j["git"] = b.git;
  j["compiler"] = b.compiler;
  j["flags"] = b.flags;
  return j;
}
std::string outcome_word(CheckOutcome o) { return o == CheckOutcome::failed ? "failed" : std::string(to_string(o)); }
}  // namespace

Json CheckReport::to_json() const {
  Json j = Json::object();
  j["file"] = file;
  j["kind"] = kind;
  j["mode"] = fast ? "fast" : "independent";
  j["certificate_precision"] = certificate_precision;
  j["check_precision"] = check_precision;
  j["precisions"] = precisions;
  if (!escalation.empty()) j["escalation"] = escalation;
  j["outcome"] = outcome_word(outcome());
  j["exit_code"] = exit_code();
  j["claims_verified"] = claims_verified();
  j["numbers"] = std::string(to_string(numbers()));
  j["counts"] = Json::object();
  for (const auto o : {CheckOutcome::reproduced, CheckOutcome::consistent, CheckOutcome::inconclusive, CheckOutcome::failed})
    j["counts"][outcome_word(o)] = count(o);
  j["certificate_build"] = build_json(certificate_build);
  j["running_build"] = build_json(running_build);
  j["build_differences"] = build_differences;
  j["lines"] = Json::array();
  for (const auto& l : lines) {
    Json e = Json::object();
    e["subject"] = l.subject;
    e["outcome"] = outcome_word(l.outcome);
    if (l.numbers != NumberMatch::none) e["numbers"] = std::string(to_string(l.numbers));
    e["detail"] = l.detail;
    j["lines"].push_back(std::move(e));
  }
  j["wall_s"] = wall_s;
  return j;
}

unsigned default_check_precision(unsigned p) noexcept { return std::max(2 * p, 113u); }

// ---- exact endpoint comparisons ---------------------------------------------------------------

namespace {

/// An extended real endpoint: −∞, +∞ or an exact rational.
struct XReal {
  int inf = 0;  // −1, 0, +1
  Rational q;
};

XReal parse_endpoint(const std::string& s) {
  if (s == "inf") return {1, Rational(0)};
  if (s == "-inf") return {-1, Rational(0)};
  return {0, parse_exact(s)};
}

bool le(const XReal& a, const XReal& b) {
  if (a.inf == -1 || b.inf == 1) return true;
  if (a.inf == 1 || b.inf == -1) return false;
  return a.q <= b.q;
}
bool lt(const XReal& a, const XReal& b) { return !le(b, a); }

std::string short_pair(const EndpointText& e) { return short_text(e, 17); }

/// The width hi − lo of an enclosure's hex endpoints, rounded to a double (+inf when an end is
/// infinite or unreadable): only used to compare widths between re-derivations.
double enclosure_width(const EndpointText& e) {
  try {
    const XReal lo = parse_endpoint(e.lo_hex), hi = parse_endpoint(e.hi_hex);
    if (lo.inf || hi.inf) return std::numeric_limits<double>::infinity();
    return static_cast<Rational>(hi.q - lo.q).convert_to<double>();
  } catch (const std::exception&) {
    return std::numeric_limits<double>::infinity();
  }
}

}  // namespace

CheckOutcome check_enclosure(const EndpointText& claimed, const EndpointText& recomputed, std::string& detail) {
  XReal lo, hi, lo_hex, hi_hex;
  try {
    lo = parse_endpoint(claimed.lo);
    hi = parse_endpoint(claimed.hi);
    lo_hex = parse_endpoint(claimed.lo_hex);
    hi_hex = parse_endpoint(claimed.hi_hex);
  } catch (const std::exception& e) {
    detail = std::string("unparsable endpoint in the certificate: ") + e.what();
    return CheckOutcome::failed;
  }
  if (!(le(lo, lo_hex) && le(lo_hex, hi_hex) && le(hi_hex, hi))) {
    detail = "inconsistent certificate: the hex interval [" + claimed.lo_hex + ", " + claimed.hi_hex +
             "] is not inside the decimal interval [" + claimed.lo + ", " + claimed.hi + "]";
    return CheckOutcome::failed;
  }
  XReal nlo, nhi;
  try {
    nlo = parse_endpoint(recomputed.lo_hex);
    nhi = parse_endpoint(recomputed.hi_hex);
  } catch (const std::exception& e) {
    detail = std::string("re-run produced an unreadable endpoint: ") + e.what();
    return CheckOutcome::inconclusive;
  }
  const std::string both = "new " + short_pair(recomputed) + " vs certificate [" + claimed.lo + ", " + claimed.hi + "]";
  if (le(lo, nlo) && le(nhi, hi)) {
    detail = "new enclosure " + short_pair(recomputed) + " lies inside the certificate's bound";
    return CheckOutcome::reproduced;
  }
  if (lt(nhi, lo) || lt(hi, nlo)) {
    detail = "certificate bound excludes the true value (disjoint): " + both;
    return CheckOutcome::failed;
  }
  detail = "overlapping but not contained (consistent, not implied): " + both;
  return CheckOutcome::consistent;
}

CheckOutcome check_one_sided(const OneSidedText& claimed, const OneSidedText& recomputed, std::string& detail) {
  const char* side = claimed.upper ? "upper" : "lower";
  XReal b, bh;
  try {
    b = parse_endpoint(claimed.bound);
    bh = parse_endpoint(claimed.bound_hex);
  } catch (const std::exception& e) {
    detail = std::string("unparsable bound in the certificate: ") + e.what();
    return CheckOutcome::failed;
  }
  if (claimed.upper ? !le(bh, b) : !le(b, bh)) {
    detail = std::string("inconsistent certificate: the decimal ") + side + " bound " + claimed.bound +
             " is not on the safe side of its hex value " + claimed.bound_hex;
    return CheckOutcome::failed;
  }
  if (claimed.upper != recomputed.upper) {
    detail = std::string("the certificate has a one-sided ") + side + " bound, the re-run a " +
             (recomputed.upper ? "upper" : "lower") + " bound";
    return CheckOutcome::failed;
  }
  if (claimed.nonnegative != recomputed.nonnegative) {
    detail = claimed.nonnegative ? "the certificate says the quantity is nonnegative, the re-run does not"
                                 : "the re-run says the quantity is nonnegative, the certificate does not";
    return CheckOutcome::failed;
  }
  const XReal zero{0, Rational(0)};
  if (claimed.nonnegative && lt(bh, zero)) {
    detail = "the upper bound " + claimed.bound_hex + " of a nonnegative quantity is negative";
    return CheckOutcome::failed;
  }
  XReal n;
  try {
    n = parse_endpoint(recomputed.bound_hex);
  } catch (const std::exception& e) {
    detail = std::string("re-run produced an unreadable bound: ") + e.what();
    return CheckOutcome::inconclusive;
  }
  const std::string both = std::string("new ") + side + " bound " + recomputed.bound_hex + " vs certificate " + claimed.bound_hex;
  if (claimed.upper ? le(n, bh) : le(bh, n)) {
    detail = both + ": the certificate's bound is implied";
    return CheckOutcome::reproduced;
  }
  detail = both + ": consistent, not implied (a valid bound, but weaker than the certificate's)";
  return CheckOutcome::consistent;
}

namespace {

std::string shape_name(const ResultValue& v) {
  if (std::holds_alternative<EndpointText>(v)) return "an enclosure";
  if (const auto* ev = std::get_if<EnclosureVector>(&v)) return "a vector of " + std::to_string(ev->size());
  if (const auto* em = std::get_if<EnclosureMatrix>(&v))
    return "a " + std::to_string(em->size()) + " x " + std::to_string(em->empty() ? 0 : em->front().size()) + " matrix";
  if (const auto* mp = std::get_if<EnclosureMap>(&v)) return "an object of " + std::to_string(mp->size()) + " keyed enclosures";
  if (const auto* b = std::get_if<OneSidedText>(&v)) return b->upper ? "a one-sided upper bound" : "a one-sided lower bound";
  if (const auto* bm = std::get_if<OneSidedMap>(&v)) return "an object of " + std::to_string(bm->size()) + " keyed one-sided bounds";
  return "a text result";
}

bool same_text(const EndpointText& a, const EndpointText& b) {
  return a.lo == b.lo && a.hi == b.hi && a.lo_hex == b.lo_hex && a.hi_hex == b.hi_hex;
}
bool same_text(const OneSidedText& a, const OneSidedText& b) {
  return a.upper == b.upper && a.nonnegative == b.nonnegative && a.bound == b.bound && a.bound_hex == b.bound_hex;
}

/// Adds the line of one number of the certificate (an enclosure, a one-sided bound, a margin):
/// `o` and `detail` come from its comparison with the re-run, `exact` says whether the
/// certificate's text equals the re-run's. With `exact_required` (fast mode, same build, no
/// budget stop) anything but an exact reproduction is FAILED: the same build at the same
/// precision is deterministic, so a different number was edited.
/// `rerun_enclosure`: the re-run's two-sided enclosure of this number, when the comparison was
/// by inclusion (check_enclosure): an overlap (consistent) records its width in the line
/// (CheckLine::overlap_width), so check_certificate can escalate the precision.
void add_number(CheckReport& rep, std::string subj, CheckOutcome o, std::string detail, bool exact, bool exact_required,
                const EndpointText* rerun_enclosure = nullptr) {
  const bool overlap = rerun_enclosure && o == CheckOutcome::consistent;
  NumberMatch m = NumberMatch::not_implied;
  if (exact && o == CheckOutcome::reproduced) {
    m = NumberMatch::exact;
    detail = "identical to the re-run's; " + detail;
  } else if (o == CheckOutcome::reproduced) {
    m = NumberMatch::implied;
  }
  if (!exact && exact_required && o != CheckOutcome::failed) {
    o = CheckOutcome::failed;
    detail = "not reproduced exactly by the same build at the same precision (" + detail +
             "): the certificate was altered, or the run is not deterministic";
  }
  rep.add(std::move(subj), o, std::move(detail));
  rep.lines.back().numbers = m;
  if (overlap && o == CheckOutcome::consistent) rep.lines.back().overlap_width = enclosure_width(*rerun_enclosure);
}

/// Text results that say nothing was decided: a certificate with one claims nothing; a re-run
/// with one does not confirm the certificate's text.
bool undecided_text(const std::string& t) { return t == "unknown"; }

void compare_result(const std::string& name, const ResultValue& claimed, const ResultValue& rerun, CheckReport& rep,
                    bool exact_required) {
  const std::string subj = "result " + name;
  if (claimed.index() != rerun.index()) {
    rep.add(subj, CheckOutcome::failed, "certificate has " + shape_name(claimed) + ", the re-run " + shape_name(rerun));
    return;
  }
  std::string detail;
  if (const auto* c = std::get_if<EndpointText>(&claimed)) {
    const auto& r = std::get<EndpointText>(rerun);
    const auto o = check_enclosure(*c, r, detail);
    add_number(rep, subj, o, detail, same_text(*c, r), exact_required, &r);
  } else if (const auto* cv = std::get_if<EnclosureVector>(&claimed)) {
    const auto& rv = std::get<EnclosureVector>(rerun);
    if (cv->size() != rv.size()) {
      rep.add(subj, CheckOutcome::failed, "certificate has " + shape_name(claimed) + ", the re-run " + shape_name(rerun));
      return;
    }
    for (std::size_t i = 0; i < cv->size(); ++i) {
      const auto o = check_enclosure((*cv)[i], rv[i], detail);
      add_number(rep, subj + "[" + std::to_string(i) + "]", o, detail, same_text((*cv)[i], rv[i]), exact_required, &rv[i]);
    }
  } else if (const auto* cm = std::get_if<EnclosureMatrix>(&claimed)) {
    const auto& rm = std::get<EnclosureMatrix>(rerun);
    bool same = cm->size() == rm.size();
    for (std::size_t i = 0; same && i < cm->size(); ++i) same = (*cm)[i].size() == rm[i].size();
    if (!same) {
      rep.add(subj, CheckOutcome::failed, "certificate has " + shape_name(claimed) + ", the re-run " + shape_name(rerun));
      return;
    }
    for (std::size_t i = 0; i < cm->size(); ++i)
      for (std::size_t j = 0; j < (*cm)[i].size(); ++j) {
        const auto o = check_enclosure((*cm)[i][j], rm[i][j], detail);
        add_number(rep, subj + "[" + std::to_string(i) + "][" + std::to_string(j) + "]", o, detail,
                   same_text((*cm)[i][j], rm[i][j]), exact_required, &rm[i][j]);
      }
  } else if (const auto* cmap = std::get_if<EnclosureMap>(&claimed)) {
    const auto& rmap = std::get<EnclosureMap>(rerun);
    for (const auto& entry : *cmap) {  // (no structured binding: clang 14 cannot capture one)
      const std::string& k = entry.first;
      const EndpointText& e = entry.second;
      const auto it = std::find_if(rmap.begin(), rmap.end(), [&](const auto& r) { return r.first == k; });
      if (it == rmap.end()) {
        rep.add(subj + "[" + k + "]", CheckOutcome::failed, "the re-run has no entry with this key",
                CheckPresence::missing_in_rerun);
        continue;
      }
      const auto o = check_enclosure(e, it->second, detail);
      add_number(rep, subj + "[" + k + "]", o, detail, same_text(e, it->second), exact_required, &it->second);
    }
    for (const auto& entry : rmap) {
      const std::string& k = entry.first;
      if (std::none_of(cmap->begin(), cmap->end(), [&](const auto& c) { return c.first == k; }))
        rep.add(subj + "[" + k + "]", CheckOutcome::failed, "missing from the certificate",
                CheckPresence::missing_in_certificate);
    }
  } else if (const auto* cb = std::get_if<OneSidedText>(&claimed)) {
    const auto& r = std::get<OneSidedText>(rerun);
    const auto o = check_one_sided(*cb, r, detail);
    add_number(rep, subj, o, detail, same_text(*cb, r), exact_required);
  } else if (const auto* cbm = std::get_if<OneSidedMap>(&claimed)) {
    const auto& rbm = std::get<OneSidedMap>(rerun);
    for (const auto& entry : *cbm) {
      const std::string& k = entry.first;
      const auto it = std::find_if(rbm.begin(), rbm.end(), [&](const auto& r) { return r.first == k; });
      if (it == rbm.end()) {
        rep.add(subj + "[" + k + "]", CheckOutcome::failed, "the re-run has no entry with this key");
        continue;
      }
      const auto o = check_one_sided(entry.second, it->second, detail);
      add_number(rep, subj + "[" + k + "]", o, detail, same_text(entry.second, it->second), exact_required);
    }
    for (const auto& entry : rbm) {
      const std::string& k = entry.first;
      if (std::none_of(cbm->begin(), cbm->end(), [&](const auto& c) { return c.first == k; }))
        rep.add(subj + "[" + k + "]", CheckOutcome::failed, "missing from the certificate");
    }
  } else {
    // A text result is a statement (a status, a regime): a different one is a different
    // statement, FAILED — except that "unknown" decides nothing (docs/certificates.md).
    const auto& a = std::get<std::string>(claimed);
    const auto& b = std::get<std::string>(rerun);
    const std::string both = "certificate says \"" + a + "\", the re-run \"" + b + "\"";
    if (a == b) rep.add(subj, CheckOutcome::reproduced, "\"" + a + "\"");
    else if (undecided_text(a) && !exact_required) rep.add(subj, CheckOutcome::reproduced, "certificate decides nothing; " + both);
    else if (undecided_text(b) && !exact_required) rep.add(subj, CheckOutcome::inconclusive, both);
    else rep.add(subj, CheckOutcome::failed, both);
  }
}

/// The two-sided enclosure a certificate holds for quantity `name` ("r", "v[i]", "m[i][j]",
/// "map[key]"), or nullptr.
const EndpointText* find_enclosure(const Certificate& cert, const std::string& name) {
  for (const auto& [rn, v] : cert.results) {
    if (name == rn) return std::get_if<EndpointText>(&v);
    if (name.size() <= rn.size() + 2 || name.compare(0, rn.size(), rn) != 0 || name[rn.size()] != '[') continue;
    const std::string rest = name.substr(rn.size());  // "[...]" or "[i][j]"
    if (const auto* m = std::get_if<EnclosureMap>(&v)) {
      for (const auto& [k, e] : *m)
        if (rest == "[" + k + "]") return &e;
    } else if (const auto* vec = std::get_if<EnclosureVector>(&v)) {
      for (std::size_t i = 0; i < vec->size(); ++i)
        if (rest == "[" + std::to_string(i) + "]") return &(*vec)[i];
    } else if (const auto* mat = std::get_if<EnclosureMatrix>(&v)) {
      for (std::size_t i = 0; i < mat->size(); ++i)
        for (std::size_t j = 0; j < (*mat)[i].size(); ++j)
          if (rest == "[" + std::to_string(i) + "][" + std::to_string(j) + "]") return &(*mat)[i][j];
    }
  }
  return nullptr;
}
/// The one-sided result a certificate holds for quantity `name` ("r" or "map[key]"), or nullptr.
const OneSidedText* find_one_sided(const Certificate& cert, const std::string& name) {
  for (const auto& [rn, v] : cert.results) {
    if (name == rn) return std::get_if<OneSidedText>(&v);
    if (const auto* m = std::get_if<OneSidedMap>(&v))
      for (const auto& [k, b] : *m)
        if (name == rn + "[" + k + "]") return &b;
  }
  return nullptr;
}

/// A margin with a basis (Claim::margin_of): re-derived as b − q from the certificate's own
/// exact bound b and the re-run's enclosure [q_lo, q_hi] of the exact quantity, exactly in
/// rationals: reproduced when the certificate's margin contains [b − q_hi, b − q_lo],
/// consistent (not implied) when it only meets it, failed when they are disjoint.
void check_margin_of_bound(const Claim& c, const Claim& r, const Certificate& claimed, const Certificate& rerun,
                           const XReal& lo, const XReal& hi, CheckReport& rep, bool exact_required) {
  const std::string subj = "claim " + c.id + " margin";
  if (!r.margin_of || !(*r.margin_of == *c.margin_of)) {
    rep.add(subj, CheckOutcome::failed, "the margin's basis (" + c.margin_of->bound + " − " + c.margin_of->quantity +
                                            ") differs from the re-run's");
    return;
  }
  const OneSidedText* b = find_one_sided(claimed, c.margin_of->bound);
  if (!b || !b->upper) {
    rep.add(subj, CheckOutcome::failed, "the certificate has no one-sided upper result " + c.margin_of->bound);
    return;
  }
  const EndpointText* q = find_enclosure(rerun, c.margin_of->quantity);
  if (!q) {
    rep.add(subj, CheckOutcome::inconclusive, "the re-run has no enclosure of " + c.margin_of->quantity);
    return;
  }
  const XReal bh = parse_endpoint(b->bound_hex), qlo = parse_endpoint(q->lo_hex), qhi = parse_endpoint(q->hi_hex);
  if (bh.inf || qlo.inf || qhi.inf) {
    rep.add(subj, CheckOutcome::inconclusive, "the bound or the re-derived quantity is unbounded");
    return;
  }
  XReal want_lo{0, bh.q - qhi.q}, want_hi{0, bh.q - qlo.q};
  // A claim q ≤ b' the re-run proves by its own argument (e.g. an a-posteriori bound that is
  // ≥ err by construction, while b' − [q] straddles 0 at the same precision) has a true slack
  // ≥ 0: the kind intersected its margin with [0, ∞) (Results::add_claim). When the re-run's
  // bound b' implies the certificate's (b' ≤ b), q ≤ b' ≤ b, so b − q ≥ 0 too and the
  // re-derivation intersects as well: the true slack lies in [b − q_hi, b − q_lo] ∩ [0, ∞).
  const XReal zero{0, Rational(0)};
  const OneSidedText* b_rerun = find_one_sided(rerun, c.margin_of->bound);
  // The re-run proved the claim with its own bound b' > b (a looser one-sided bound: e.g. a
  // theorem constant over a box, re-derived at another precision on a slightly larger ball),
  // while b − [q] straddles 0: the re-run then neither implies nor contradicts b − q ≥ 0, as the
  // certificate's b itself is "consistent, not implied" (check_one_sided). The margin is
  // consistent when it meets the re-derived [b − q_hi, b − q_lo], never "reproduced".
  bool looser_rerun_bound = false;
  if (r.verdict == Status::proved && b_rerun && b_rerun->upper && lt(want_lo, zero)) {
    try {
      if (le(parse_endpoint(b_rerun->bound_hex), bh)) want_lo = zero;
      else looser_rerun_bound = true;
    } catch (const std::exception&) {
      // an unreadable re-run bound: no intersection (the line below decides without it)
    }
  }
  if (lt(want_hi, want_lo)) {
    add_number(rep, subj, CheckOutcome::failed,
               "the re-run's verdict contradicts " + c.margin_of->bound + " − re-derived " + c.margin_of->quantity, false,
               exact_required);
    return;
  }
  const std::string what = c.margin_of->bound + " (certificate: " + b->bound + ") − re-derived " + c.margin_of->quantity +
                           " " + short_pair(*q);
  const bool exact = same_text(*c.margin, *r.margin);
  if (le(lo, want_lo) && le(want_hi, hi))
    add_number(rep, subj, CheckOutcome::reproduced, "contains " + what, exact, exact_required);
  else if (le(lo, want_hi) && le(want_lo, hi))
    // Both contain the true slack b − q (the certificate's margin if it is honest, the
    // re-derivation always), so they must meet; meeting without containment is what a re-run
    // whose enclosure of q is not inside the certificate's gives (another step sequence at
    // another precision on a wide parameter box; or a looser re-run bound, above): consistent,
    // not implied — as for an enclosure that only overlaps. Disjoint: failed.
    add_number(rep, subj, CheckOutcome::consistent,
               "[" + c.margin->lo + ", " + c.margin->hi + "] meets " + what +
                   (looser_rerun_bound
                        ? " (consistent, not implied: the re-run proved the claim with a looser bound " + b_rerun->bound + ")"
                        : std::string(" (consistent, not implied: the re-derived enclosure of ") + c.margin_of->quantity +
                              " is not inside the certificate's)"),
               exact, exact_required);
  else
    add_number(rep, subj, CheckOutcome::failed, "[" + c.margin->lo + ", " + c.margin->hi + "] does not contain " + what,
               exact, exact_required);
}

/// A claim's margin is a number the certificate carries: it must agree with the claim's own
/// verdict (proved ⇒ the margin is ≥ 0 throughout, refuted ⇒ ≤ 0 throughout) and be reproduced:
/// a margin of exact quantities by the re-run's margin by inclusion, like every result; a margin
/// against a bound the run computes (margin_of) from the certificate's bound and the re-derived
/// quantity (check_margin_of_bound).
void check_margin(const Claim& c, const Claim& r, const Certificate& claimed, const Certificate& rerun, CheckReport& rep,
                  bool exact_required) {
  const std::string subj = "claim " + c.id + " margin";
  if (!c.margin) {
    if (r.margin) rep.add(subj, CheckOutcome::failed, "the certificate omits the margin the re-run's claim carries");
    return;
  }
  XReal lo, hi;
  try {
    lo = parse_endpoint(c.margin->lo);
    hi = parse_endpoint(c.margin->hi);
  } catch (const std::exception& e) {
    rep.add(subj, CheckOutcome::failed, std::string("unparsable margin endpoint in the certificate: ") + e.what());
    return;
  }
  const XReal zero{0, Rational(0)};
  if (c.verdict == Status::proved && !le(zero, lo)) {
    rep.add(subj, CheckOutcome::failed, "the certificate's margin [" + c.margin->lo + ", " + c.margin->hi +
                                            "] is not >= 0 although the claim says proved");
    return;
  }
  if (c.verdict == Status::refuted && !le(hi, zero)) {
    rep.add(subj, CheckOutcome::failed, "the certificate's margin [" + c.margin->lo + ", " + c.margin->hi +
                                            "] is not <= 0 although the claim says refuted");
    return;
  }
  if (!r.margin) {
    // A re-run that decides nothing (unknown: e.g. it stopped on its work budget before the
    // quantity was computed) has no margin to compare: inconclusive, like its verdict line.
    if (r.verdict == Status::unknown)
      rep.add(subj, CheckOutcome::inconclusive, "the re-run did not decide the claim, so it carries no margin (" + r.reason + ")");
    else rep.add(subj, CheckOutcome::failed, "the re-run's claim carries no margin");
    return;
  }
  if (c.margin_of) {
    check_margin_of_bound(c, r, claimed, rerun, lo, hi, rep, exact_required);
    return;
  }
  if (r.margin_of) {
    rep.add(subj, CheckOutcome::failed, "the certificate's margin lacks the basis (margin_of) the re-run's carries");
    return;
  }
  std::string detail;
  const auto o = check_enclosure(*c.margin, *r.margin, detail);
  add_number(rep, subj, o, detail, same_text(*c.margin, *r.margin), exact_required, &*r.margin);
}

}  // namespace

namespace {
/// The text of result "budget" (a run that stopped on its work budget, registry.hpp), or nullptr.
const std::string* budget_note(const Certificate& c) {
  for (const auto& [name, v] : c.results)
    if (name == "budget") return std::get_if<std::string>(&v);
  return nullptr;
}
}  // namespace

void compare_with_rerun(const Certificate& claimed, const Certificate& rerun, CheckReport& rep) {
  // Hash indexes: certificates may hold tens of thousands of claims (near-linear, not quadratic).
  std::unordered_map<std::string_view, const ResultValue*> rerun_results, claimed_results;
  for (const auto& [name, v] : rerun.results) rerun_results.emplace(name, &v);
  for (const auto& [name, v] : claimed.results) claimed_results.emplace(name, &v);
  std::unordered_map<std::string_view, const Claim*> rerun_claims, claimed_claims;
  for (const auto& r : rerun.claims) rerun_claims.emplace(r.id, &r);
  for (const auto& c : claimed.claims) claimed_claims.emplace(c.id, &c);
  // A run that stopped on its work budget computed less: what it lacks is inconclusive, not
  // failed (what both sides have is still compared).
  const std::string* claimed_budget = budget_note(claimed);
  const std::string* rerun_budget = budget_note(rerun);
  // Fast mode with the same build: the re-run is the same deterministic computation, so every
  // number and verdict must come out identical (a run stopped by its budget may stop elsewhere).
  const bool exact_required = rep.fast && rep.same_build() && !claimed_budget && !rerun_budget;
  auto lacking = [&](const std::string& subject, const std::string& detail, const std::string* budget,
                     CheckPresence presence) {
    if (budget)
      rep.add(subject, CheckOutcome::inconclusive, detail + " (that run stopped on its work budget: " + *budget + ")",
              presence);
    else rep.add(subject, CheckOutcome::failed, detail, presence);
  };
  if (rerun_budget) rep.rerun_incomplete = true;
  if (claimed_budget || rerun_budget)
    rep.add("result budget", claimed_budget && rerun_budget ? CheckOutcome::reproduced : CheckOutcome::inconclusive,
            "informational: certificate " + (claimed_budget ? "\"" + *claimed_budget + "\"" : std::string("completed")) +
                ", re-run " + (rerun_budget ? "\"" + *rerun_budget + "\"" : std::string("completed")));
  for (const auto& [name, value] : claimed.results) {
    if (name == "budget") continue;
    const auto found = rerun_results.find(name);
    if (found == rerun_results.end()) {
      lacking("result " + name, "the kind does not produce this result", rerun_budget, CheckPresence::missing_in_rerun);
      continue;
    }
    const ResultValue& other = *found->second;
    if (std::find(rerun.informational.begin(), rerun.informational.end(), name) != rerun.informational.end() &&
        std::holds_alternative<std::string>(value) && std::holds_alternative<std::string>(other)) {
      rep.add("result " + name, CheckOutcome::reproduced,
              "informational, not compared: certificate \"" + std::get<std::string>(value) + "\", re-run \"" +
                  std::get<std::string>(other) + "\"");
      continue;
    }
    compare_result(name, value, other, rep, exact_required);
  }
  for (const auto& [name, value] : rerun.results) {
    if (name == "budget") continue;
    if (!claimed_results.count(name))
      lacking("result " + name, "missing from the certificate", claimed_budget, CheckPresence::missing_in_certificate);
  }
  for (const auto& c : claimed.claims) {
    const std::string subj = "claim " + c.id;
    const auto found = rerun_claims.find(c.id);
    if (found == rerun_claims.end()) {
      if (c.id == "budget" && claimed_budget && c.verdict == Status::unknown)
        rep.add(subj, CheckOutcome::inconclusive, "the certificate's run stopped on its work budget, the re-run did not");
      else
        lacking(subj, "the re-run has no claim with this id", rerun_budget, CheckPresence::missing_in_rerun);
      continue;
    }
    const Claim* it = found->second;
    check_margin(c, *it, claimed, rerun, rep, exact_required);
    const std::string was = std::string(to_string(c.verdict)), now = std::string(to_string(it->verdict));
    if (it->statement != c.statement) {
      // A claim's statement says what was proved (it may depend on the outcome, e.g. the blow-up
      // status). A certificate that proves nothing is not contradicted by a different statement;
      // a re-run that proves nothing does not confirm one; two proofs of different statements are
      // a failure.
      const std::string both = "statement differs: certificate \"" + c.statement + "\" (" + was + "), re-run \"" +
                               it->statement + "\" (" + now + ")";
      if (exact_required) rep.add(subj, CheckOutcome::failed, both + " (the same build at the same precision)");
      else if (c.verdict == Status::unknown) rep.add(subj, CheckOutcome::reproduced, "certificate claims nothing (unknown); " + both);
      else if (it->verdict == Status::unknown) rep.add(subj, CheckOutcome::inconclusive, both + "; " + it->reason);
      else rep.add(subj, CheckOutcome::failed, both);
      continue;
    }
    const std::string tail = " (" + c.statement + "; " + it->reason + ")";
    if (exact_required && it->verdict != c.verdict) {
      rep.add(subj, CheckOutcome::failed, "certificate says " + was + ", the same build at the same precision: " + now + tail);
    } else if (c.verdict == Status::unknown) {
      rep.add(subj, CheckOutcome::reproduced, "certificate claims nothing (unknown); now " + now + tail);
    } else if (it->verdict == c.verdict) {
      rep.add(subj, CheckOutcome::reproduced, was + " again" + tail);
    } else if (it->verdict == Status::unknown) {
      rep.add(subj, CheckOutcome::inconclusive, "certificate says " + was + ", re-run: unknown" + tail);
    } else {
      rep.add(subj, CheckOutcome::failed, "certificate says " + was + ", re-run: " + now + tail);
    }
  }
  for (const auto& r : rerun.claims) {
    if (claimed_claims.count(r.id)) continue;
    if (r.id == "budget" && rerun_budget && r.verdict == Status::unknown)
      rep.add("claim " + r.id, CheckOutcome::inconclusive, "the re-run stopped on its work budget: " + r.reason);
    else
      lacking("claim " + r.id, "missing from the certificate (re-run: " + std::string(to_string(r.verdict)) + ")",
              claimed_budget, CheckPresence::missing_in_certificate);
  }
}

namespace {

/// The lines that only overlap (CheckLine::overlap_width), by subject.
std::unordered_map<std::string, double> overlaps(const CheckReport& rep) {
  std::unordered_map<std::string, double> out;
  for (const auto& l : rep.lines)
    if (l.overlap_width) out.emplace(l.subject, *l.overlap_width);
  return out;
}


}  // namespace

unsigned default_max_check_precision(unsigned start_precision) noexcept {
  return static_cast<unsigned>(std::min<unsigned long>(8ul * start_precision, kMaxPrecision));
}

CheckReport check_certificate(const ConfigNode& root, const CheckOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const Certificate claimed = Certificate::from_json(root);
  CheckReport head;
  head.file = root.file();
  head.kind = claimed.kind;
  head.fast = options.fast;
  head.strict = options.strict;
  head.certificate_precision = claimed.precision;
  const unsigned start = options.fast        ? claimed.precision
                         : options.precision ? *options.precision
                                             : default_check_precision(claimed.precision);
  head.certificate_build = claimed.build;
  head.running_build = BuildInfo::current();
  const auto differ = [&](const char* what, const std::string& a, const std::string& b) {
    if (a != b) head.build_differences.push_back(std::string(what) + " " + a + " (certificate) vs " + b + " (this build)");
  };
  differ("version", claimed.build.version, head.running_build.version);
  differ("git", claimed.build.git, head.running_build.git);
  differ("compiler", claimed.build.compiler, head.running_build.compiler);
  differ("flags", claimed.build.flags, head.running_build.flags);
  const ConfigNode input = root.at("input");
  const ConfigNode input_kind = input.at("kind");
  const KindInfo* kind = find_kind(claimed.kind);
  if (!kind) root.at("kind").fail("a known kind");
  if (!input_kind.is_text() || input_kind.as_text() != claimed.kind)
    input_kind.fail("the certificate's kind \"" + claimed.kind + "\"");
  RunContext ctx(options.progress);
  ctx.set_overrides(options.time_limit_s, options.max_steps, options.deadline);
  // One re-derivation at `precision`, compared with the certificate.
  const auto derive = [&](unsigned precision) {
    CheckReport rep = head;
    rep.check_precision = precision;
    if (kind->recheck) {
      kind->recheck(claimed, input, precision, ctx, rep);
    } else {
      try {
        const Certificate rerun = run_config(input, ctx.rerun_options(precision));
        compare_with_rerun(claimed, rerun, rep);
      } catch (const EnclosureFailure& e) {
        rep.mark_rerun_incomplete(e.what());
      }
    }
    return rep;
  };
  CheckReport rep = derive(start);
  std::vector<unsigned> tried{start};
  std::string stop;
  // Precision escalation (CheckOptions::max_precision): an enclosure that only overlaps the
  // certificate's is decided by a tighter re-derivation — inside (reproduced) or disjoint
  // (failed) — as long as the precision is what limits the re-run's width.
  const unsigned cap = options.max_precision ? *options.max_precision : default_max_check_precision(start);
  // A report that already failed is not escalated (a failure is final at any precision).
  for (auto open = overlaps(rep); !options.fast && !open.empty() && rep.outcome() != CheckOutcome::failed;) {
    const unsigned next = tried.back() > cap / 2 ? cap : 2 * tried.back();
    if (next <= tried.back()) {
      stop = std::to_string(open.size()) + " enclosure(s) still only overlap at the cap of " + std::to_string(cap) +
             " bits (--max-precision)";
      break;
    }
    if (options.deadline && std::chrono::steady_clock::now() >= *options.deadline) {
      stop = "not escalated past " + std::to_string(tried.back()) + " bits: the time budget has run out";
      break;
    }
    CheckReport again = derive(next);
    tried.push_back(next);
    if (again.rerun_incomplete) {  // stopped on its budget or could not finish: not a better report
      stop = "the re-derivation at " + std::to_string(next) + " bits did not complete; the report is the one at " +
             std::to_string(tried[tried.size() - 2]) + " bits";
      break;
    }
    auto now = overlaps(again);
    // Progress: some line decided, or some overlapping enclosure at least halved.
    bool progress = now.size() < open.size();
    for (const auto& [subject, w] : now) {
      const auto before = open.find(subject);
      if (before != open.end() && w <= before->second / 2) progress = true;
    }
    rep = std::move(again);
    if (now.empty()) {
      stop = "every overlapping enclosure decided at " + std::to_string(next) + " bits";
      break;
    }
    if (!progress) {
      stop = std::to_string(now.size()) + " enclosure(s) still only overlap: doubling the precision to " +
             std::to_string(next) + " bits did not narrow them (their width is not set by the precision)";
      break;
    }
    open = std::move(now);
  }
  rep.precisions = tried;
  rep.escalation = stop;
  rep.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

CheckReport check_certificate_file(const std::filesystem::path& file, const CheckOptions& options) {
  return check_certificate(load_config(file), options);
}

}  // namespace certiformer::cert
