// `certiformer sweep` under mpirun: manager (rank 0) and workers. See sweep_mpi.hpp.
#include "sweep_mpi.hpp"

// only the C API (OpenMPI and MPICH would otherwise pull in their deprecated C++ bindings)
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace certiformer::mpi {

namespace {

enum Tag : int { kJob = 1, kTask = 2, kResult = 3, kStop = 4 };

void send_text(const std::string& text, int dest, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD);
}

/// Receives the message `st` describes (already probed).
std::string receive(const MPI_Status& st) {
  int n = 0;
  MPI_Get_count(&st, MPI_CHAR, &n);
  std::string s(static_cast<std::size_t>(n), '\0');
  MPI_Recv(s.data(), n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return s;
}

/// Probes for a message (source, tag may be MPI_ANY_*), without blocking.
bool probe(int source, int tag, MPI_Status& st) {
  int flag = 0;
  MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &st);
  return flag != 0;
}

/// Sleeps a little longer each time nothing arrived (10 µs up to `max`): an idle rank polls
/// instead of spinning in a blocking receive. The manager polls at most every 100 µs (a
/// completion waits no longer for the next sub-box), a worker every 250 µs.
struct Backoff {
  explicit Backoff(int max_us) : max(max_us) {}
  std::chrono::microseconds max;
  std::chrono::microseconds d{10};
  void reset() { d = std::chrono::microseconds(10); }
  void pause() {
    std::this_thread::sleep_for(d);
    d = std::min(d * 2, max);
  }
};

}  // namespace

bool launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

Session::Session() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw std::runtime_error("MPI does not provide MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() { MPI_Finalize(); }

struct Manager::Impl {
  int size = 1;
  sweep::SweepJob job;
  std::unique_ptr<sweep::Executor> local;  // evaluator 0: a thread of rank 0
  bool local_busy = false;
  std::set<int> idle;                      // worker ranks without a sub-box
  std::set<int> busy;
  bool begun = false, finished = false;

  std::optional<sweep::Completion> poll_once() {
    if (local_busy) {
      if (auto c = local->poll()) {
        local_busy = false;
        c->evaluator = 0;
        return c;
      }
    }
    MPI_Status st;
    if (probe(MPI_ANY_SOURCE, kResult, st)) {
      const std::string text = receive(st);
      if (!busy.count(st.MPI_SOURCE)) throw std::runtime_error("MPI sweep: unexpected result from rank " + std::to_string(st.MPI_SOURCE));
      busy.erase(st.MPI_SOURCE);
      idle.insert(st.MPI_SOURCE);
      sweep::Completion c;
      try {
        c = sweep::completion_from_json(job, sweep::Json::parse(text));
      } catch (const std::exception& e) {
        throw std::runtime_error("MPI sweep: malformed result from rank " + std::to_string(st.MPI_SOURCE) + ": " + e.what());
      }
      c.evaluator = st.MPI_SOURCE;
      return c;
    }
    return std::nullopt;
  }
};

Manager::Manager(const Session& session) : impl_(std::make_unique<Impl>()) {
  impl_->size = session.size();
  for (int r = 1; r < impl_->size; ++r) impl_->idle.insert(r);
}

Manager::~Manager() {
  try {
    finish(70);
  } catch (...) {
  }
}

void Manager::begin(const sweep::SweepJob& job) {
  impl_->job = job;
  impl_->local = sweep::make_thread_executor(1, /*in_caller=*/false);
  impl_->local->begin(job);
  const std::string text = sweep::job_to_json(job).dump();
  for (int r = 1; r < impl_->size; ++r) send_text(text, r, kJob);
  impl_->begun = true;
}

std::size_t Manager::slots() const { return static_cast<std::size_t>(impl_->size); }

void Manager::submit(const sweep::SubBox& box) {
  if (!impl_->local_busy) {
    impl_->local->submit(box);
    impl_->local_busy = true;
    return;
  }
  if (impl_->idle.empty()) throw std::logic_error("MPI sweep: submit with every evaluator busy");
  const int r = *impl_->idle.begin();
  impl_->idle.erase(impl_->idle.begin());
  impl_->busy.insert(r);
  send_text(sweep::subbox_to_json(box).dump(), r, kTask);
}

std::optional<sweep::Completion> Manager::poll() { return impl_->poll_once(); }

sweep::Completion Manager::wait() {
  if (!impl_->local_busy && impl_->busy.empty()) throw std::logic_error("MPI sweep: wait with nothing in flight");
  Backoff b(100);
  for (;;) {
    if (auto c = impl_->poll_once()) return std::move(*c);
    b.pause();
  }
}

void Manager::finish(int code) {
  if (impl_->finished) return;
  impl_->finished = true;
  // collect what is still in flight (run_sweep drains, but an exception may have left some)
  Backoff b(100);
  while (impl_->local_busy || !impl_->busy.empty()) {
    if (!impl_->poll_once()) b.pause();
  }
  impl_->local.reset();
  const std::string text = std::to_string(code);
  for (int r = 1; r < impl_->size; ++r) send_text(text, r, kStop);
}

int run_worker(const Session& session) {
  (void)session;
  std::optional<sweep::SweepJob> job;
  Backoff b(250);
  for (;;) {
    MPI_Status st;
    if (!probe(0, MPI_ANY_TAG, st)) {
      b.pause();
      continue;
    }
    b.reset();
    const std::string text = receive(st);
    switch (st.MPI_TAG) {
      case kJob:
        job = sweep::job_from_json(sweep::Json::parse(text));
        break;
      case kTask: {
        if (!job) throw std::runtime_error("MPI sweep worker: a sub-box before the job");
        const sweep::SubBox box = sweep::subbox_from_json(*job, sweep::Json::parse(text));
        const auto t0 = std::chrono::steady_clock::now();
        sweep::Completion c = sweep::evaluate_sub_box(*job, box);
        c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        send_text(sweep::completion_to_json(*job, c).dump(), 0, kResult);
        break;
      }
      case kStop:
        return std::stoi(text);
      default:
        throw std::runtime_error("MPI sweep worker: unexpected message tag " + std::to_string(st.MPI_TAG));
    }
  }
}

}  // namespace certiformer::mpi
