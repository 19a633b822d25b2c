#pragma once
/// certiformer/sweep/sweep.hpp — uniform certificates over parameter boxes by adaptive
/// bisection (docs/sweep.md).
///
/// A config whose inputs include interval texts "[a, b]" (a parameter box; only kinds that take
/// boxes accept them, see docs/sweep.md) is run on sub-boxes: each run proves or refutes its
/// claims for EVERY parameter of its sub-box (the kind's box semantics); a sub-box where some
/// claim is unknown is bisected along its widest coordinate relative to the initial width,
/// until every sub-box is decided, the sub-boxes reach the minimum width, or the budget of runs
/// is spent. The sweep certificate holds the cover (every sub-box with its verdicts and key
/// results) and the union statement with exact volume fractions.
///
/// Determinism: sub-boxes are evaluated in one fixed order (a FIFO queue; an undecided sub-box
/// whose split the budget did not allow waits in a second FIFO and is split first when the
/// budget grows), so a run resumed from its checkpoint produces the same cover as an
/// uninterrupted run with the same final budget.

#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/core/exact.hpp"
#include "certiformer/core/verdict.hpp"

#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace certiformer::sweep {

using cert::Json;

/// One coordinate of the parameter box: the JSON pointer of an input written as an interval
/// text with a < b, and that initial interval.
struct Coordinate {
  std::string pointer;
  RationalInterval initial;
};

/// A sub-box: one interval per coordinate, and its bisection path ("r", "r0", "r01", …).
struct SubBox {
  std::string id;
  std::vector<RationalInterval> x;
};

/// An evaluated sub-box.
struct Evaluated {
  SubBox box;
  Status verdict = Status::unknown;  ///< refuted if some claim is refuted, proved if all are, else unknown
  Json claims;                       ///< [{id, statement, verdict, reason}] of the sub-box run
  Json results;                      ///< the sub-box run's results (informational ones left out)
  std::string note;                  ///< why an unknown sub-box was not split further (or "")
};

struct SweepOptions {
  long max_boxes = 256;              ///< budget: sub-box runs in all (≥ 1)
  Rational min_width{1, 1024};       ///< no split of a sub-box whose relative widths are all ≤ this
  std::optional<std::filesystem::path> checkpoint;  ///< state file, written after every run; resumed if present
  cert::RunOptions run;              ///< options of each sub-box run (precision, budget)
  /// Called after every sub-box run with (runs done, budget) (progress display; may be empty).
  std::function<void(long, long)> on_progress;
  /// Testing hook: stop (as if killed) after this many runs in this process, without finishing.
  std::optional<long> stop_after;
};

/// Finds the box coordinates of a config: every string node outside "kind", "precision",
/// "budget" and "claims" whose text is an interval "[a, b]" with a < b, in document order.
/// Checks: the interval texts parse (ConfigError at the node otherwise).
std::vector<Coordinate> find_coordinates(const cert::ConfigNode& root);

/// The config of a sub-box: `input` with each coordinate's node replaced by its interval text
/// (exact_text; a point for a degenerate interval).
Json sub_config(const Json& input, const std::vector<Coordinate>& coords, const SubBox& box);

/// Relative volume of a sub-box: Π_i wid(x_i)/wid(initial_i) (exact).
Rational relative_volume(const std::vector<Coordinate>& coords, const SubBox& box);

/// The sweep's state (what a checkpoint holds).
struct SweepState {
  std::vector<Evaluated> done;    ///< final sub-boxes (decided, or undecided at the minimum width)
  std::deque<Evaluated> open;     ///< undecided sub-boxes waiting for a split (budget)
  std::deque<SubBox> pending;     ///< sub-boxes not yet run
  long runs = 0;                  ///< sub-box runs so far
};

/// Runs the sweep of a config.
/// Encloses: the certificate's cover: every sub-box listed with the verdicts its run proved
///   for every parameter in it; the sub-boxes tile the initial box (bisection).
/// Assumes: the kind's box semantics (results and claims hold for every parameter in a box).
/// Checks: the config is valid for its kind (ConfigError otherwise, nothing written); a
///   checkpoint, if present, belongs to this config and these options (ConfigError otherwise).
/// Failure: ConfigError (bad config or checkpoint); a sub-box whose enclosure fails is unknown.
/// Method: FIFO bisection at the exact midpoint of the coordinate of largest relative width.
/// Returns the certificate JSON (docs/sweep.md); std::nullopt when stopped by `stop_after`.
std::optional<Json> run_sweep(const cert::ConfigNode& root, const SweepOptions& options);

/// Overall status of a sweep certificate: refuted if some sub-box is refuted, proved if all
/// are proved, unknown otherwise.
Status sweep_status(const Json& certificate);

/// True iff the JSON is a sweep certificate (has "certiformer_sweep").
bool is_sweep_certificate(const Json& doc);

/// Re-verifies a sweep certificate.
/// Checks: the sub-boxes lie in the initial box, their interiors are pairwise disjoint and
///   their relative volumes sum to 1 (so they tile it); every sub-box is re-run (at
///   options.precision if given, else the certificate's precision) and every claim recorded as
///   proved / refuted must come out proved / refuted again (failed otherwise; a re-run that
///   cannot decide is inconclusive); the summary fractions are recomputed exactly.
/// Failure: ConfigError for a malformed certificate.
cert::CheckReport check_sweep(const cert::ConfigNode& certificate, const cert::CheckOptions& options);

}  // namespace certiformer::sweep
