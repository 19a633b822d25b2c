#pragma once
/// certiformer/cert/check.hpp — `certiformer check`: re-derive a certificate and re-verify it.
///
/// Two modes (docs/certificates.md, "Two modes"):
///  * independent (default): the kind is re-run from C's echoed `input` at the check precision
///    (default max(2 × C.precision, 113) bits, MpInterval) — another computation of the same
///    exact problem;
///  * fast (CheckOptions::fast, `check --fast`): the kind is re-run at C's own precision with its
///    recorded options (the echoed input, its budget); the same build must then reproduce every
///    number exactly (every decimal and hex endpoint, every margin, every verdict): a difference
///    is FAILED (the certificate was altered, or the run is not deterministic). When the
///    certificate comes from another build (version, git revision, compiler or flags differ),
///    the differences are reported and the numbers are compared as in the independent mode.
///
/// For a certificate C:
///  1. its JSON shape is verified (Certificate::from_json; a malformed file is a ConfigError);
///  2. the kind is re-run (above);
///  3. every result enclosure is verified:
///       (a) [lo_hex, hi_hex] ⊆ [lo, hi], all four parsed as exact numbers (else: failed —
///           the certificate is inconsistent);
///       (b) the new enclosure N vs the certificate's decimal interval D = [lo, hi]:
///           N ⊆ D → reproduced (the certificate's numbers are implied); N ∩ D = ∅ → failed
///           (the certificate's bound excludes the true value, since N contains it); otherwise →
///           consistent (not contradicted, not implied);
///     text results must be equal, else failed (a changed status is a different statement),
///     except that a certificate saying "unknown" claims nothing (reproduced) and a re-run saying
///     "unknown" where the certificate does not is inconclusive; informational text results
///     (Certificate::informational) are not compared; a result missing on either side → failed;
///     one-sided results ({"upper"} / {"lower"}) are compared by ≤ / ≥ (check_one_sided): the
///     certificate's upper bound u is implied when the re-derived bound u' ≤ u; u' > u is
///     consistent (a re-derivation at another precision may give a slightly larger, still valid
///     bound), never failed — failed only when the certificate is inconsistent or u is proved
///     false (u < 0 for a quantity that is nonnegative by definition); lower bounds symmetrically;
///  4. every claim is re-verified as a statement: the re-run must decide the same statement the
///     same way. A certificate "proved" / "refuted" that comes back with the opposite verdict →
///     failed, that comes back "unknown" → inconclusive. A certificate "unknown" claims nothing
///     and is never failed (the new verdict is reported). A claim missing on either side, or
///     with a different statement → failed. In the fast mode with the same build every verdict
///     must be the same (else failed).
///  5. precision escalation (independent mode; CheckOptions::max_precision): while some
///     two-sided enclosure only overlaps the certificate's (CheckLine::overlap_width) and nothing
///     failed, the re-derivation is repeated at twice the precision; the report is the last
///     one. It stops when no overlap is left, at the cap, when a doubling neither decided nor
///     halved any overlapping enclosure, or when a re-derivation does not complete;
///  6. work budget: a run that stopped on its budget (text result "budget", registry.hpp) lacks
///     results and claims; what the stopped side lacks is inconclusive instead of failed, the
///     "budget" claim (unknown) claims nothing; everything both sides have is compared as above.
/// Two levels are reported separately (CheckReport::claims_verified, CheckReport::numbers):
/// whether every claim was re-verified, and whether the certificate's own numbers were
/// reproduced exactly / implied by the re-derivation / only not contradicted.
/// The report's exit code is 0 (nothing failed or inconclusive; with `strict`, also every number
/// implied), 1 (something failed), 2 (something inconclusive and nothing failed).

#include "certiformer/core/env.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"

#include <cstdint>
#include <filesystem>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace certiformer::cert {

/// The outcome of one check line, from best to worst: reproduced (the certificate's item is
/// implied by the re-run, or reproduced exactly), consistent (a number that the re-run neither
/// implies nor contradicts: an overlapping enclosure, a looser re-derived bound), inconclusive,
/// failed.
enum class CheckOutcome { reproduced, inconclusive, failed, consistent };
std::string_view to_string(CheckOutcome o) noexcept;

/// How a check line's numbers (an enclosure, a one-sided bound, a margin) compare with the
/// re-run's: `none` for lines that hold no number (verdicts, text), `exact` (every decimal and
/// hex string identical), `implied` (the re-derivation implies the certificate's numbers),
/// `not_implied` (consistent only, or failed).
enum class NumberMatch { none, exact, implied, not_implied };
std::string_view to_string(NumberMatch m) noexcept;

/// Whether a line's subject exists on both sides of a comparison. A line about an item that one
/// side lacks says so here (structured, so a kind's re-check can treat a presence mismatch
/// differently from a value mismatch without reading the detail text).
enum class CheckPresence { both, missing_in_rerun, missing_in_certificate };

/// One verified item (a result entry, one enclosure of it, or a claim).
struct CheckLine {
  std::string subject;  ///< "result x_at_t[1]", "claim x0-le"
  CheckOutcome outcome = CheckOutcome::reproduced;
  std::string detail;
  CheckPresence presence = CheckPresence::both;
  NumberMatch numbers = NumberMatch::none;
  /// Set on a two-sided enclosure (a result entry, a margin) that is only consistent: the
  /// re-run's enclosure overlaps the certificate's without lying inside it. The value is the
  /// re-run's width (+inf for an unbounded one). A re-derivation at a higher precision may
  /// decide such a line (inside → reproduced, disjoint → failed): check_certificate escalates.
  std::optional<double> overlap_width;
};

struct CheckReport {
  std::string file;
  std::string kind;
  unsigned certificate_precision = 0;
  unsigned check_precision = 0;
  /// Fast mode (re-run at the certificate's own precision; see the file comment).
  bool fast = false;
  /// Whether numbers that are only consistent (not implied) make the exit code 2 (`--strict`).
  bool strict = false;
  /// The build recorded in the certificate and the running one, and their differences (one
  /// text per differing field, "git 0123abcd (certificate) vs 4567ef01 (this build)"); a
  /// difference is reported, it is not a failure. In the fast mode an empty list means "same
  /// build": then every number must be reproduced exactly.
  BuildInfo certificate_build, running_build;
  std::vector<std::string> build_differences;
  std::vector<CheckLine> lines;
  /// Every precision the re-derivation ran at, in order (the last is check_precision; more than
  /// one when overlapping enclosures made check_certificate escalate), and why escalation
  /// stopped (empty when it was not needed).
  std::vector<unsigned> precisions;
  std::string escalation;
  /// Set by the re-derivation when it did not complete: the re-run threw EnclosureFailure or
  /// stopped on its work budget. Such a report is never escalated to (check_certificate keeps the
  /// previous precision's); set it with mark_rerun_incomplete.
  bool rerun_incomplete = false;
  double wall_s = 0.0;

  bool same_build() const noexcept { return build_differences.empty(); }
  /// Worst outcome over all lines (failed > inconclusive > consistent > reproduced).
  CheckOutcome outcome() const noexcept;
  std::size_t count(CheckOutcome o) const noexcept;
  /// Every claim re-verified: no line failed or inconclusive.
  bool claims_verified() const noexcept;
  /// The level of the certificate's numbers over all number lines: exact if every one is exact,
  /// implied if every one is exact or implied, else not_implied (none: the certificate has no
  /// numbers).
  NumberMatch numbers() const noexcept;
  /// 0: nothing failed or inconclusive (and, when `strict`, every number implied); 1 failed;
  /// 2 inconclusive.
  int exit_code() const noexcept;
  /// The JSON check report (docs/certificates.md, "Check report").
  Json to_json() const;
  void add(std::string subject, CheckOutcome o, std::string detail, CheckPresence presence = CheckPresence::both) {
    lines.push_back({std::move(subject), o, std::move(detail), presence, NumberMatch::none, std::nullopt});
  }
  /// The re-run could not finish (`why`: the EnclosureFailure's text): an inconclusive "re-run"
  /// line, and rerun_incomplete.
  void mark_rerun_incomplete(std::string why) {
    add("re-run", CheckOutcome::inconclusive, std::move(why));
    rerun_incomplete = true;
  }
};

struct CheckOptions {
  std::optional<unsigned> precision;  ///< default: default_check_precision(certificate precision)
  /// Precision escalation (independent mode only): while some two-sided enclosure only overlaps
  /// the certificate's (CheckLine::overlap_width), the re-derivation is repeated at twice the
  /// precision, up to this many bits (default: default_max_check_precision of the starting
  /// precision; a value ≤ the starting precision turns escalation off). It also stops when a
  /// doubling did not halve the width of any overlapping enclosure (their width is then not
  /// limited by the precision: method error, a parameter box) or when the deadline or time
  /// limit has passed. The report is the one of the last re-derivation.
  std::optional<unsigned> max_precision;
  /// Re-run at the certificate's own precision and require exact reproduction (file comment);
  /// `precision` is then ignored.
  bool fast = false;
  /// Numbers that are consistent but not implied make the exit code 2 (CheckReport::strict).
  bool strict = false;
  bool progress = false;              ///< progress on stderr (only when it is a terminal)
  /// Work budget of the re-run: overrides the echoed input's "budget" and the defaults
  /// (registry.hpp); 0 means no limit. A re-run that stops on its budget makes what it lacks
  /// inconclusive (never failed, never reproduced).
  std::optional<double> time_limit_s;
  std::optional<std::uint64_t> max_steps;
  /// Shared wall-clock deadline of several checks (CLI --total-time), as RunOptions::deadline.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

/// max(2 × p, 113).
unsigned default_check_precision(unsigned certificate_precision) noexcept;
/// The default cap of precision escalation: 8 × the starting precision (113 → 904 bits), at
/// most kMaxPrecision.
unsigned default_max_check_precision(unsigned start_precision) noexcept;

/// Verifies one enclosure: (a) hex ⊆ decimal, (b) recomputed ⊆ decimal (see the file comment):
/// reproduced (implied), consistent (overlap), failed (inconsistent or disjoint), inconclusive
/// (unreadable re-run).
/// `claimed` must have been shape-checked (parsable endpoints; "inf"/"-inf" allowed).
CheckOutcome check_enclosure(const EndpointText& claimed, const EndpointText& recomputed, std::string& detail);
/// A one-sided result against its re-derivation (file comment, step 3): reproduced iff the
/// re-derived bound implies the certificate's (u' ≤ u_hex for upper, l' ≥ l_hex for lower);
/// failed iff the certificate is inconsistent (decimal on the wrong side of its hex, a
/// nonnegative quantity with a negative upper bound — proved false, since the quantity is ≥ 0 —,
/// a different side or "nonnegative" flag than the re-run's); consistent otherwise (a looser
/// re-derived bound; inconclusive for an unreadable re-run).
CheckOutcome check_one_sided(const OneSidedText& claimed, const OneSidedText& recomputed, std::string& detail);

/// The default re-check: compares every result and claim of `claimed` with `rerun` (in the mode
/// of `report`: report.fast and report.same_build() must be set before).
void compare_with_rerun(const Certificate& claimed, const Certificate& rerun, CheckReport& report);

/// Checks a certificate document (root of a parsed certificate).
/// Failure: ConfigError for a malformed certificate or an invalid echoed input. A re-run whose
/// enclosure fails (overflow, …) gives an inconclusive line, not an exception.
CheckReport check_certificate(const ConfigNode& certificate_root, const CheckOptions& options = {});
CheckReport check_certificate_file(const std::filesystem::path& file, const CheckOptions& options = {});

}  // namespace certiformer::cert
