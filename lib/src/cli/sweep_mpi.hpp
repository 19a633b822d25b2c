#pragma once
/// sweep_mpi.hpp — `certiformer sweep` under mpirun (docs/sweep.md, "Parallel runs"): rank 0
/// manages, every rank evaluates. Compiled into the command line only when meson found MPI
/// (-Dmpi=auto|enabled; CERTIFORMER_WITH_MPI); the library never needs MPI.
///
/// Protocol (point-to-point, JSON text messages): rank 0 sends the job (config, coordinates, run
/// options) to every worker, then one sub-box at a time to whichever worker is idle (dynamic:
/// no static split — sub-box runs differ in cost by orders of magnitude); a worker answers each
/// sub-box with its completion and waits for the next. Rank 0 also evaluates, in a thread beside
/// its manager loop. At the end (or on any error) rank 0 collects the runs still in flight and
/// sends every worker STOP with the exit status, which each worker then returns. Waiting is by
/// polling (MPI_Iprobe) with short sleeps, so an idle rank does not take a core from the
/// evaluators (OpenMPI's blocking receive spins).

#include "certiformer/sweep/sweep.hpp"

#include <memory>
#include <optional>

namespace certiformer::mpi {

/// True iff an MPI launcher started this process (the environment variables OpenMPI, PMI or
/// PMIx set: OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_RANK).
/// Checks: nothing. Failure: none.
bool launched_by_mpirun();

/// MPI for the lifetime of the object (MPI_Init_thread with MPI_THREAD_FUNNELED: only the main
/// thread calls MPI).
/// Checks: the thread level granted is at least FUNNELED. Failure: std::runtime_error.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

/// Rank 0's executor: ranks 1…size−1 and one local evaluator thread (evaluator 0).
/// Encloses: nothing itself; every completion is a worker's evaluate_sub_box.
/// Checks: a worker's message is a well-formed completion of a sub-box it was given
///   (std::runtime_error otherwise).
/// Failure: std::runtime_error on a protocol error.
class Manager final : public sweep::Executor {
 public:
  explicit Manager(const Session& session);
  ~Manager() override;
  void begin(const sweep::SweepJob& job) override;
  std::size_t slots() const override;
  void submit(const sweep::SubBox& box) override;
  sweep::Completion wait() override;
  std::optional<sweep::Completion> poll() override;
  /// Collects the runs still in flight (discarded) and sends every worker STOP with `code`.
  /// Idempotent (later calls do nothing).
  void finish(int code);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A worker rank's loop: receives the job and sub-boxes from rank 0, evaluates each
/// (sweep::evaluate_sub_box) and sends back its completion, until STOP.
/// Returns the exit status rank 0 sent with STOP.
/// Failure: std::runtime_error on a protocol error.
int run_worker(const Session& session);

}  // namespace certiformer::mpi
