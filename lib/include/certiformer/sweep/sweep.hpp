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
/// Determinism: the sub-boxes run, and the order in which their results are *committed* to the
/// sweep's state, are a function of the verdicts only (a FIFO queue; an undecided sub-box is
/// split in FIFO order while the budget allows its two halves), so a run resumed from its
/// checkpoint produces the same cover as an uninterrupted run with the same final budget, and a
/// parallel run (threads of this process, or MPI ranks through an `Executor`) the same cover as a
/// serial one: runs may finish in any order, they are committed in the serial order.

#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/core/exact.hpp"
#include "certiformer/core/verdict.hpp"

#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace certiformer::sweep {

using cert::Json;

/// One coordinate of the parameter box: the JSON pointer of an input written as an interval
/// text with a < b, and that initial interval. `also`: further pointers that are the same
/// coordinate (the entry (j, i) of a covariance matrix, which is symmetric by definition, when
/// it is written with the same interval as (i, j), i < j); a sub-box writes its interval to all.
struct Coordinate {
  std::string pointer;
  RationalInterval initial;
  std::vector<std::string> also;
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

/// What every evaluator of a sweep needs: the config, its coordinates, the options of each
/// sub-box run, and the config's file name (for messages).
struct SweepJob {
  Json input;
  std::vector<Coordinate> coords;
  cert::RunOptions run;
  std::string file;
};

/// The outcome of one sub-box run as it crosses threads or processes.
struct Completion {
  std::string id;                      ///< the sub-box's id
  std::optional<Evaluated> evaluated;  ///< its evaluation (absent on error or interruption)
  /// A stop request (ode::request_stop: SIGINT / SIGTERM) was seen by the end of the run: the
  /// run may have ended early, so its result is discarded (never committed).
  bool interrupted = false;
  std::exception_ptr error;            ///< the run threw (ConfigError, …): rethrown in its turn
  int evaluator = 0;                   ///< which evaluator ran it (thread or rank; statistics only)
  double seconds = 0;                  ///< wall time of the run (statistics only)
};

/// Runs one sub-box of a job (what every evaluator — a thread, an MPI rank — does).
/// Encloses: the verdicts and results of the sub-box run (the kind's box semantics).
/// Checks: nothing beyond the run itself. Failure: never throws; an exception of the run is
///   returned in `error`, a stop request during the run sets `interrupted`.
/// Method: `run_config` on the sub-box's config; an EnclosureFailure makes the sub-box unknown.
Completion evaluate_sub_box(const SweepJob& job, const SubBox& box);

/// JSON forms of a job, a sub-box and a completion (the MPI messages; the evaluated sub-box as in
/// the certificate, an error as {"config": {file, path, expected, got}} or {"what": text}).
/// Encloses: nothing (exact round trips: interval ends as exact texts, results as written).
/// Assumes: both sides use the same build. Checks: the *_from_json forms check the shape.
/// Failure: nlohmann::json exceptions or std::invalid_argument on a malformed message.
/// Method: the certificate's own JSON forms; a ConfigError is rebuilt with its four fields.
Json job_to_json(const SweepJob& job);
SweepJob job_from_json(const Json& j);
Json completion_to_json(const SweepJob& job, const Completion& c);
Completion completion_from_json(const SweepJob& job, const Json& j);
Json subbox_to_json(const SubBox& b);
SubBox subbox_from_json(const SweepJob& job, const Json& j);

/// Where sub-box runs happen. run_sweep submits sub-boxes (at most `slots()` at a time) and
/// waits for their completions, which may arrive in any order.
class Executor {
 public:
  virtual ~Executor() = default;
  /// Called once by run_sweep before the first submit.
  virtual void begin(const SweepJob& job) = 0;
  /// How many runs may be in flight at once (≥ 1).
  virtual std::size_t slots() const = 0;
  /// Starts the run of `box` (at most slots() runs are in flight).
  virtual void submit(const SubBox& box) = 0;
  /// Waits for one submitted run to finish and returns its completion.
  virtual Completion wait() = 0;
  /// A finished run's completion if one is ready, without waiting (nothing otherwise).
  virtual std::optional<Completion> poll() = 0;
};

/// Statistics of a sweep (not part of the certificate: they depend on the machine and load).
struct SweepStats {
  long runs_here = 0;            ///< sub-box runs committed by this call (run in this call)
  long from_checkpoint = 0;      ///< sub-box results committed from the checkpoint journal (not run again)
  std::vector<double> busy_s;    ///< busy seconds of each evaluator (thread or rank)
  std::vector<long> runs_by;     ///< runs finished by each evaluator (committed or not)
  double wall_s = 0;             ///< wall time of this call
};

/// The executor of `threads` evaluator threads of this process (threads = 1: the runs happen in
/// the calling thread inside wait(), as a serial loop; 0: one per hardware thread).
/// Encloses: nothing itself; every completion is evaluate_sub_box's.
/// Assumes: the threads are started by begin() outside any directed-rounding scope (each run
///   checks round-to-nearest and fails otherwise). Checks: wait() has something submitted.
/// Failure: std::logic_error on wait() with nothing in flight (serial form).
/// Method: a task queue and a completion queue under one mutex, two condition variables. Runs at a precision above 53 bits are
/// serialised across the threads of the process: Boost.Multiprecision 1.74 keeps the default
/// precision of its MPFR numbers in one process-wide variable that every precision scope and
/// mixed-precision expression writes, so two such runs at once could change each other's
/// approximate numbers (never the enclosures' soundness, but the bit-identical results).
/// `in_caller` = false: even one evaluator is a thread of its own (an MPI manager's local
/// evaluator, beside the manager's loop).
std::unique_ptr<Executor> make_thread_executor(unsigned threads, bool in_caller = true);

struct SweepOptions {
  long max_boxes = 256;              ///< budget: sub-box runs in all (≥ 1)
  Rational min_width{1, 1024};       ///< no split of a sub-box whose relative widths are all ≤ this
  std::optional<std::filesystem::path> checkpoint;  ///< journal of finished runs (one line appended per run); resumed if present
  cert::RunOptions run;              ///< options of each sub-box run (precision, budget)
  /// Called after every sub-box run with (runs done, budget) (progress display; may be empty).
  std::function<void(long, long)> on_progress;
  /// Testing hook: stop (as if killed) after this many runs in this process, without finishing.
  std::optional<long> stop_after;
  /// Evaluator threads of this process when no `executor` is given (1: serial; 0: one per
  /// hardware thread).
  unsigned threads = 1;
  /// Where the sub-box runs happen (an MPI manager, …); nullptr: make_thread_executor(threads).
  Executor* executor = nullptr;
  /// Filled in when given (statistics of the call).
  SweepStats* stats = nullptr;
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

/// The sweep's state (rebuilt on resume by replaying the checkpoint journal).
struct SweepState {
  std::vector<Evaluated> done;    ///< final sub-boxes (decided, or undecided at the minimum width)
  std::deque<Evaluated> open;     ///< undecided sub-boxes waiting for a split (budget)
  std::deque<SubBox> pending;     ///< sub-boxes not yet committed, in the serial order
  /// Runs of pending sub-boxes that finished before their turn to be committed (by id).
  std::map<std::string, Evaluated> finished;
  long runs = 0;                  ///< sub-box runs committed so far
};

/// Runs the sweep of a config.
/// Encloses: the certificate's cover: every sub-box listed with the verdicts its run proved
///   for every parameter in it; the sub-boxes tile the initial box (bisection).
/// Assumes: the kind's box semantics (results and claims hold for every parameter in a box).
/// Checks: the config is valid for its kind (ConfigError otherwise, nothing written); a
///   checkpoint, if present, belongs to this config and these options (ConfigError otherwise).
/// Failure: ConfigError (bad config or checkpoint); a sub-box whose enclosure fails is unknown.
/// Method: FIFO bisection at the exact midpoint of the coordinate of largest relative width;
///   runs are handed to the executor in that order and committed in that order, whatever order
///   they finish in, so the certificate does not depend on the executor.
/// Returns the certificate JSON (docs/sweep.md); std::nullopt when stopped by `stop_after` or
/// by a stop request (ode::request_stop; the checkpoint then holds every finished run).
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
