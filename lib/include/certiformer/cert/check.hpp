#pragma once
/// certiformer/cert/check.hpp — `certiformer check`: re-derive a certificate at higher precision.
///
/// For a certificate C:
///  1. its JSON shape is verified (Certificate::from_json; a malformed file is a ConfigError);
///  2. the kind is re-run from C's echoed `input` at the check precision (default
///     max(2 × C.precision, 113) bits, MpInterval);
///  3. every result enclosure is verified:
///       (a) [lo_hex, hi_hex] ⊆ [lo, hi], all four parsed as exact numbers (else: failed —
///           the certificate is inconsistent);
///       (b) the new enclosure N vs the certificate's decimal interval D = [lo, hi]:
///           N ⊆ D → reproduced; N ∩ D = ∅ → failed (the certificate's bound excludes the true
///           value, since N contains it); otherwise → inconclusive;
///     text results must be equal (else inconclusive); a result missing on either side → failed;
///     one-sided results ({"upper"} / {"lower"}) are compared by ≤ / ≥ (check_one_sided): the
///     certificate's upper bound u is reproduced when the re-derived bound u' ≤ u (u' is a valid
///     bound, so u is implied); u' > u is inconclusive (a re-derivation at another precision may
///     give a slightly larger, still valid bound), never failed — failed only when the
///     certificate is inconsistent or u is proved false (u < 0 for a quantity that is
///     nonnegative by definition); lower bounds symmetrically;
///  4. every claim must get the same verdict again: a certificate "proved" / "refuted" that comes
///     back with the opposite verdict → failed, that comes back "unknown" → inconclusive. A
///     certificate "unknown" claims nothing and is never failed (the new verdict is reported).
///     A claim missing on either side, or with a different statement → failed.
///  5. work budget: a run that stopped on its budget (text result "budget", registry.hpp) lacks
///     results and claims; what the stopped side lacks is inconclusive instead of failed, the
///     "budget" claim (unknown) claims nothing; everything both sides have is compared as above.
/// The report's exit code is 0 (everything reproduced), 1 (something failed), 2 (something
/// inconclusive and nothing failed).

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

enum class CheckOutcome { reproduced, inconclusive, failed };
std::string_view to_string(CheckOutcome o) noexcept;

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
};

struct CheckReport {
  std::string file;
  std::string kind;
  unsigned certificate_precision = 0;
  unsigned check_precision = 0;
  std::vector<CheckLine> lines;
  double wall_s = 0.0;

  /// Worst outcome over all lines (failed > inconclusive > reproduced).
  CheckOutcome outcome() const noexcept;
  std::size_t count(CheckOutcome o) const noexcept;
  /// 0 reproduced, 1 failed, 2 inconclusive.
  int exit_code() const noexcept;
  void add(std::string subject, CheckOutcome o, std::string detail, CheckPresence presence = CheckPresence::both) {
    lines.push_back({std::move(subject), o, std::move(detail), presence});
  }
};

struct CheckOptions {
  std::optional<unsigned> precision;  ///< default: default_check_precision(certificate precision)
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

/// Verifies one enclosure: (a) hex ⊆ decimal, (b) recomputed ⊆ decimal (see the file comment).
/// `claimed` must have been shape-checked (parsable endpoints; "inf"/"-inf" allowed).
CheckOutcome check_enclosure(const EndpointText& claimed, const EndpointText& recomputed, std::string& detail);
/// A one-sided result against its re-derivation (file comment, step 3): reproduced iff the
/// re-derived bound implies the certificate's (u' ≤ u_hex for upper, l' ≥ l_hex for lower);
/// failed iff the certificate is inconsistent (decimal on the wrong side of its hex, a
/// nonnegative quantity with a negative upper bound — proved false, since the quantity is ≥ 0 —,
/// a different side or "nonnegative" flag than the re-run's); inconclusive otherwise.
CheckOutcome check_one_sided(const OneSidedText& claimed, const OneSidedText& recomputed, std::string& detail);

/// The default re-check: compares every result and claim of `claimed` with `rerun`.
void compare_with_rerun(const Certificate& claimed, const Certificate& rerun, CheckReport& report);

/// Checks a certificate document (root of a parsed certificate).
/// Failure: ConfigError for a malformed certificate or an invalid echoed input. A re-run whose
/// enclosure fails (overflow, …) gives an inconclusive line, not an exception.
CheckReport check_certificate(const ConfigNode& certificate_root, const CheckOptions& options = {});
CheckReport check_certificate_file(const std::filesystem::path& file, const CheckOptions& options = {});

}  // namespace certiformer::cert
