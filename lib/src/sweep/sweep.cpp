// Adaptive bisection sweeps over parameter boxes. See sweep/sweep.hpp and docs/sweep.md.
#include "certiformer/sweep/sweep.hpp"

#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/check.hpp"
#include "certiformer/core/mp_thread.hpp"
#include "certiformer/core/rounding.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/ode/budget.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace certiformer::sweep {

namespace {

using cert::ConfigError;
using cert::ConfigNode;

constexpr int kFormat = 1;
/// Format of the checkpoint journal (1: one JSON state document, rewritten after every run).
constexpr int kCheckpointFormat = 2;

bool skipped_top_level(const std::string& key) {
  return key == "kind" || key == "precision" || key == "budget" || key == "claims";
}

void collect(const ConfigNode& n, std::vector<Coordinate>& out) {
  if (n.is_object()) {
    for (const auto& [k, c] : n.members()) {
      if (n.path() == "/" && skipped_top_level(k)) continue;
      collect(c, out);
    }
  } else if (n.is_array()) {
    for (std::size_t i = 0; i < n.size(); ++i) collect(n.index(i), out);
  } else if (n.is_text() && is_interval_text(n.as_text())) {
    const RationalInterval x = n.as_rational_interval();
    if (x.lo < x.hi) out.push_back({n.path(), x, {}});
  }
}

/// Covariance matrices are symmetric by definition: the entries (i, j) and (j, i) of a matrix
/// under a key "cov" written with the same interval are one coordinate (the kinds read them so);
/// the later one in document order becomes an alias (`also`) of the earlier.
void merge_symmetric_pairs(std::vector<Coordinate>& coords) {
  static const std::regex entry(R"(^(.*/cov)/([0-9]+)/([0-9]+)$)");
  std::vector<Coordinate> out;
  for (auto& c : coords) {
    std::smatch m;
    bool merged = false;
    if (std::regex_match(c.pointer, m, entry) && m[2].str() != m[3].str()) {
      const std::string mirror = m[1].str() + "/" + m[3].str() + "/" + m[2].str();
      for (auto& o : out)
        if (o.pointer == mirror && o.initial.lo == c.initial.lo && o.initial.hi == c.initial.hi) {
          o.also.push_back(c.pointer);
          merged = true;
          break;
        }
    }
    if (!merged) out.push_back(std::move(c));
  }
  coords = std::move(out);
}

Rational width(const RationalInterval& x) { return x.hi - x.lo; }

/// Index of the coordinate of largest relative width (first on ties), and that width.
std::pair<std::size_t, Rational> widest(const std::vector<Coordinate>& coords, const SubBox& b) {
  std::size_t best = 0;
  Rational w(-1);
  for (std::size_t i = 0; i < coords.size(); ++i) {
    const Rational r = width(b.x[i]) / width(coords[i].initial);
    if (r > w) {
      w = r;
      best = i;
    }
  }
  return {best, w};
}

Json box_json(const SubBox& b) {
  Json a = Json::array();
  for (const auto& x : b.x) a.push_back(exact_text(x));
  return a;
}

SubBox box_from_json(const Json& id, const Json& a, std::size_t n) {
  if (!id.is_string() || !a.is_array() || a.size() != n) throw std::invalid_argument("malformed sub-box");
  SubBox b;
  b.id = id.get<std::string>();
  for (const auto& e : a) {
    if (!e.is_string()) throw std::invalid_argument("malformed sub-box interval");
    b.x.push_back(parse_exact_interval(e.get<std::string>()));
  }
  return b;
}

Json evaluated_json(const Evaluated& e, const std::vector<Coordinate>& coords) {
  Json o = Json::object();
  o["id"] = e.box.id;
  o["box"] = box_json(e.box);
  o["volume"] = exact_text(relative_volume(coords, e.box));
  o["verdict"] = std::string(to_string(e.verdict));
  if (!e.note.empty()) o["note"] = e.note;
  o["claims"] = e.claims;
  o["results"] = e.results;
  return o;
}

Status status_from(const std::string& s) {
  if (s == "proved") return Status::proved;
  if (s == "refuted") return Status::refuted;
  if (s == "unknown") return Status::unknown;
  throw std::invalid_argument("bad verdict " + s);
}

Evaluated evaluated_from_json(const Json& o, std::size_t n) {
  Evaluated e;
  e.box = box_from_json(o.at("id"), o.at("box"), n);
  e.verdict = status_from(o.at("verdict").get<std::string>());
  if (o.contains("note")) e.note = o.at("note").get<std::string>();
  e.claims = o.at("claims");
  e.results = o.at("results");
  return e;
}

Json options_json(const SweepOptions& opt) {
  Json o = Json::object();
  o["max_boxes"] = opt.max_boxes;
  o["min_width"] = exact_text(opt.min_width);
  o["precision"] = opt.run.precision ? Json(*opt.run.precision) : Json(nullptr);
  return o;
}

/// Whether two sub-boxes are the same (same id, same intervals exactly).
bool same_box(const SubBox& a, const SubBox& b) {
  return a.id == b.id && a.x.size() == b.x.size() &&
         std::equal(a.x.begin(), a.x.end(), b.x.begin(), [](const auto& p, const auto& q) { return p.lo == q.lo && p.hi == q.hi; });
}

/// Whether `box` is the pending sub-box of its id (same id, same intervals exactly).
bool is_pending_box(const std::deque<SubBox>& pending, const SubBox& box) {
  const auto it = std::find_if(pending.begin(), pending.end(), [&](const SubBox& b) { return b.id == box.id; });
  return it != pending.end() && same_box(*it, box);
}

/// A completion handed back by an executor must be the result of a sub-box in flight, and a
/// result must be about exactly that pending sub-box (a verdict never moves to another box);
/// anything else is a logic error of the executor (never committed).
void require_valid_completion(const Completion& c, const std::set<std::string>& in_flight, const std::deque<SubBox>& pending) {
  if (!in_flight.count(c.id)) throw std::logic_error("run_sweep: a completion for sub-box " + c.id + ", which is not in flight");
  if (c.interrupted || c.error) return;
  if (!c.evaluated) throw std::logic_error("run_sweep: an empty completion for sub-box " + c.id);
  if (c.evaluated->box.id != c.id || !is_pending_box(pending, c.evaluated->box))
    throw std::logic_error("run_sweep: the result returned for sub-box " + c.id + " is about another box");
}

/// The header line of a checkpoint journal: the format, the config and the options a resumed
/// run must share (the budget may differ).
Json checkpoint_header(const Json& input, const SweepOptions& opt) {
  Json o = options_json(opt);
  o.erase("max_boxes");  // a resumed run may grow the budget
  return Json{{"certiformer_sweep_checkpoint", kCheckpointFormat}, {"input", input}, {"options", o}};
}

/// The checkpoint: an append-only journal (JSON lines). Line 1 is the header; every further
/// line {"run": sub-box result} is one finished sub-box run, appended (and flushed) as soon as
/// the run finishes, so a checkpoint write costs O(one result), not O(state) — a sweep of k runs
/// writes O(k) bytes in all, where rewriting the whole state after every run wrote O(k²).
/// Resuming replays the sweep from the whole box: the order of the runs is a function of the
/// verdicts only, so the replay meets the same sub-boxes, and a sub-box whose result is in the
/// journal is committed from it without being run again.
class Journal {
 public:
  Journal(std::optional<std::filesystem::path> file, Json header) : file_(std::move(file)), header_(std::move(header)) {}

  /// Reads an existing journal into `cache` (id → result). A last line cut short by a kill
  /// (no final newline) is dropped and the file truncated to its complete lines.
  /// Checks: the header (format, same config, same options) and every complete line; a
  /// ConfigError otherwise (the journal is left as it is).
  void load(std::size_t n, std::map<std::string, Evaluated>& cache) {
    if (!file_ || !std::filesystem::exists(*file_)) return;
    const std::string where = file_->string();
    std::string text;
    {
      std::ifstream in(*file_, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    std::size_t pos = 0;
    long line = 0;
    while (pos < complete) {
      const std::size_t end = text.find('\n', pos);
      const std::string_view l(text.data() + pos, end - pos);
      pos = end + 1;
      ++line;
      Json j;
      try {
        j = Json::parse(l);
      } catch (const std::exception& e) {
        throw ConfigError(where, "/", "a sweep checkpoint (JSON lines)", "line " + std::to_string(line) + ": " + e.what());
      }
      if (line == 1) {
        if (!j.is_object() || !j.contains("certiformer_sweep_checkpoint"))
          throw ConfigError(where, "/", "a sweep checkpoint", "another document");
        if (j.at("certiformer_sweep_checkpoint") != header_.at("certiformer_sweep_checkpoint"))
          throw ConfigError(where, "/certiformer_sweep_checkpoint", "a checkpoint of format " + std::to_string(kCheckpointFormat),
                            j.at("certiformer_sweep_checkpoint").dump());
        if (j.value("input", Json()) != header_.at("input"))
          throw ConfigError(where, "/input", "the checkpoint of this config (same input)", "another config's input");
        if (j.value("options", Json()) != header_.at("options"))
          throw ConfigError(where, "/options", "the checkpoint of a sweep with these options (min width, precision)",
                            j.value("options", Json()).dump());
        continue;
      }
      try {
        Evaluated e = evaluated_from_json(j.at("run"), n);
        const auto it = cache.find(e.box.id);
        if (it != cache.end() && !same_box(it->second.box, e.box))
          throw std::invalid_argument("two different boxes with id " + e.box.id);
        cache.emplace(e.box.id, std::move(e));
      } catch (const std::exception& e) {
        throw ConfigError(where, "/", "a well-formed sweep checkpoint", "line " + std::to_string(line) + ": " + e.what());
      }
    }
    if (line == 0) throw ConfigError(where, "/", "a sweep checkpoint", "no complete header line");
    if (complete < text.size()) std::filesystem::resize_file(*file_, complete);
    exists_ = true;
  }

  /// Appends one finished run (creating the journal with its header first).
  void append(const Evaluated& e, const std::vector<Coordinate>& coords) {
    if (!file_) return;
    if (!exists_) {
      cert::write_file_atomically(*file_, header_.dump() + "\n");
      exists_ = true;
    }
    if (!out_.is_open()) {
      out_.open(*file_, std::ios::binary | std::ios::app);
      if (!out_) throw std::runtime_error("cannot append to the checkpoint " + file_->string());
    }
    out_ << Json{{"run", evaluated_json(e, coords)}}.dump() << '\n';
    out_.flush();
    if (!out_) throw std::runtime_error("cannot append to the checkpoint " + file_->string());
  }

 private:
  std::optional<std::filesystem::path> file_;
  Json header_;
  bool exists_ = false;
  std::ofstream out_;
};

/// Runs one sub-box.
Evaluated evaluate(const Json& input, const std::vector<Coordinate>& coords, const SubBox& b, const cert::RunOptions& ro,
                   const std::string& file) {
  Evaluated e;
  e.box = b;
  const Json sub = sub_config(input, coords, b);
  // The whole box ("r") reports config errors under the config's own file name.
  const ConfigNode node = cert::config_from_text(sub.dump(), b.id == "r" ? file : file + " (sub-box " + b.id + ")");
  try {
    const cert::Certificate c = cert::run_config(node, ro);
    const Json cj = c.to_json();
    e.results = Json::object();
    for (const auto& [k, v] : cj.at("results").items())
      if (std::find(c.informational.begin(), c.informational.end(), k) == c.informational.end()) e.results[k] = v;
    e.claims = Json::array();
    for (const auto& cl : cj.at("claims"))
      e.claims.push_back(Json{{"id", cl.at("id")}, {"statement", cl.at("statement")}, {"verdict", cl.at("verdict")},
                              {"reason", cl.at("reason")}});
    e.verdict = c.claims.empty() ? Status::proved : c.status();
  } catch (const cert::EnclosureFailure& ex) {
    e.verdict = Status::unknown;
    e.results = Json::object();
    e.claims = Json::array({Json{{"id", "enclosure"}, {"statement", "the enclosures of the sub-box run"},
                                 {"verdict", "unknown"}, {"reason", ex.what()}}});
  }
  return e;
}

unsigned effective_precision(const SweepJob& job) {
  if (job.run.precision) return *job.run.precision;
  if (job.input.is_object() && job.input.contains("precision")) {
    const Json& p = job.input.at("precision");
    if (p.is_number_integer()) return p.get<unsigned>();
    if (p.is_string()) {
      try {
        return static_cast<unsigned>(std::stoul(p.get<std::string>()));
      } catch (const std::exception&) {
      }
    }
    return 0;  // unreadable: the run itself reports it; treat as multi-precision (serialised)
  }
  return 53;
}

/// The one mutex that serialises multi-precision sub-box runs across the threads of a process
/// (see make_thread_executor).
std::mutex& mp_run_mutex() {
  static std::mutex m;
  return m;
}

/// Evaluators: threads of this process (threads = 1: in the caller, inside wait()).
class ThreadExecutor final : public Executor {
 public:
  ThreadExecutor(unsigned n, bool in_caller) : n_(n == 0 ? 1 : n), in_caller_(in_caller && n_ == 1) {}
  ~ThreadExecutor() override {
    {
      std::lock_guard<std::mutex> lk(mu_);
      quit_ = true;
    }
    task_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  void begin(const SweepJob& job) override {
    job_ = job;
    const unsigned p = effective_precision(job_);
    serialise_ = p != 53;
    if (!in_caller_)
      for (unsigned i = 0; i < n_; ++i) threads_.emplace_back([this, i] { work(static_cast<int>(i)); });
  }
  std::size_t slots() const override { return n_; }
  void submit(const SubBox& box) override {
    if (in_caller_) {
      inline_.push_back(box);
      return;
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      tasks_.push_back(box);
    }
    task_cv_.notify_one();
  }
  std::optional<Completion> poll() override {
    if (in_caller_) {
      if (inline_.empty()) return std::nullopt;
      return wait();
    }
    std::lock_guard<std::mutex> lk(mu_);
    if (done_.empty()) return std::nullopt;
    Completion c = std::move(done_.front());
    done_.pop_front();
    return c;
  }
  Completion wait() override {
    if (in_caller_) {
      if (inline_.empty()) throw std::logic_error("sweep: wait() without a submitted sub-box");
      const SubBox b = inline_.front();
      inline_.pop_front();
      return timed(b, 0);
    }
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, [&] { return !done_.empty(); });
    Completion c = std::move(done_.front());
    done_.pop_front();
    return c;
  }

 private:
  Completion timed(const SubBox& b, int who) {
    const auto t0 = std::chrono::steady_clock::now();
    Completion c = evaluate_sub_box(job_, b);
    c.evaluator = who;
    c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return c;
  }
  void work(int who) {
    for (;;) {
      SubBox b;
      {
        std::unique_lock<std::mutex> lk(mu_);
        task_cv_.wait(lk, [&] { return quit_ || !tasks_.empty(); });
        if (quit_) {
          release_thread_mp_caches();  // this thread's MPFR caches would leak otherwise
          return;
        }
        b = std::move(tasks_.front());
        tasks_.pop_front();
      }
      Completion c;
      if (serialise_) {
        std::lock_guard<std::mutex> g(mp_run_mutex());
        c = timed(b, who);
      } else {
        c = timed(b, who);
      }
      {
        std::lock_guard<std::mutex> lk(mu_);
        done_.push_back(std::move(c));
      }
      done_cv_.notify_one();
    }
  }

  unsigned n_;
  bool in_caller_;
  SweepJob job_;
  bool serialise_ = false;
  std::deque<SubBox> inline_;
  std::mutex mu_;
  std::condition_variable task_cv_, done_cv_;
  std::deque<SubBox> tasks_;
  std::deque<Completion> done_;
  bool quit_ = false;
  std::vector<std::thread> threads_;
};

std::string decimal_approx(const Rational& q) {
  std::ostringstream os;
  os.precision(6);
  os << static_cast<double>(q);
  return os.str();
}

}  // namespace

std::vector<Coordinate> find_coordinates(const ConfigNode& root) {
  // A claim on a property of the whole box (the kind's KindInfo::box_level_results, e.g.
  // euler.error's uniform risk bound and its ingredients) is not "for every parameter in the
  // box": proved on every sub-box it does not hold on their union. Refused (review finding, s7).
  const cert::KindInfo* kind =
      root.has("kind") && root.at("kind").is_text() ? cert::find_kind(root.at("kind").as_text()) : nullptr;
  auto box_level = [&](const std::string& quantity) {
    const std::string base = quantity.substr(0, quantity.find('['));
    return kind && std::find(kind->box_level_results.begin(), kind->box_level_results.end(), base) !=
                       kind->box_level_results.end();
  };
  if (kind && !kind->box_level_results.empty() && root.has("claims") && root.at("claims").json().is_array()) {
    const ConfigNode claims = root.at("claims");
    for (std::size_t i = 0; i < claims.size(); ++i) {
      const ConfigNode c = claims.index(i);
      if (!c.is_object() || !c.has("quantity") || !c.at("quantity").is_text()) continue;  // the kind reports it
      if (box_level(c.at("quantity").as_text()))
        c.at("quantity").fail("a quantity that holds for every parameter of a sub-box (the sweep concludes on the union of "
                              "its sub-boxes; " + c.at("quantity").as_text() +
                                  " is a property of a whole box — run the box in one run instead)",
                              "\"" + c.at("quantity").as_text() + "\"");
    }
  }
  std::vector<Coordinate> out;
  collect(root, out);
  merge_symmetric_pairs(out);
  return out;
}

Json sub_config(const Json& input, const std::vector<Coordinate>& coords, const SubBox& box) {
  Json j = input;
  for (std::size_t i = 0; i < coords.size(); ++i) {
    const std::string t = exact_text(box.x[i]);
    j[Json::json_pointer(coords[i].pointer)] = t;
    for (const auto& p : coords[i].also) j[Json::json_pointer(p)] = t;
  }
  return j;
}

Rational relative_volume(const std::vector<Coordinate>& coords, const SubBox& box) {
  Rational v(1);
  for (std::size_t i = 0; i < coords.size(); ++i) v *= width(box.x[i]) / width(coords[i].initial);
  return v;
}

Completion evaluate_sub_box(const SweepJob& job, const SubBox& box) {
  Completion c;
  c.id = box.id;
  try {
    // Interval arithmetic assumes round-to-nearest on entry; a thread started inside a
    // directed-rounding scope would inherit that scope's mode (the FPU state is copied to a new
    // thread), so every run checks it (an error, never a wrong enclosure).
    require_round_to_nearest("sweep: sub-box run");
    c.evaluated = evaluate(job.input, job.coords, box, job.run, job.file);
  } catch (...) {
    c.error = std::current_exception();
  }
  // A stop request seen by the end of the run may have cut it short (its verdict could be
  // "unknown: stopped"): such a run is never committed. The request is sticky, so a run that
  // ended before it was made is not discarded by mistake.
  if (ode::stop_requested()) {
    c.interrupted = true;
    c.evaluated.reset();
    c.error = nullptr;
  }
  return c;
}

Json subbox_to_json(const SubBox& b) { return Json{{"id", b.id}, {"box", box_json(b)}}; }

SubBox subbox_from_json(const SweepJob& job, const Json& j) {
  return box_from_json(j.at("id"), j.at("box"), job.coords.size());
}

Json job_to_json(const SweepJob& job) {
  Json j = Json::object();
  j["input"] = job.input;
  Json cs = Json::array();
  for (const auto& c : job.coords)
    cs.push_back(Json{{"pointer", c.pointer}, {"interval", exact_text(c.initial)}, {"also", c.also}});
  j["coordinates"] = cs;
  j["precision"] = job.run.precision ? Json(*job.run.precision) : Json(nullptr);
  j["time_limit_s"] = job.run.time_limit_s ? Json(*job.run.time_limit_s) : Json(nullptr);
  j["max_steps"] = job.run.max_steps ? Json(*job.run.max_steps) : Json(nullptr);
  j["file"] = job.file;
  return j;
}

SweepJob job_from_json(const Json& j) {
  SweepJob job;
  job.input = j.at("input");
  for (const auto& c : j.at("coordinates"))
    job.coords.push_back({c.at("pointer").get<std::string>(), parse_exact_interval(c.at("interval").get<std::string>()),
                          c.at("also").get<std::vector<std::string>>()});
  if (!j.at("precision").is_null()) job.run.precision = j.at("precision").get<unsigned>();
  if (!j.at("time_limit_s").is_null()) job.run.time_limit_s = j.at("time_limit_s").get<double>();
  if (!j.at("max_steps").is_null()) job.run.max_steps = j.at("max_steps").get<std::uint64_t>();
  job.file = j.at("file").get<std::string>();
  return job;
}

Json completion_to_json(const SweepJob& job, const Completion& c) {
  Json j = Json::object();
  j["id"] = c.id;
  j["interrupted"] = c.interrupted;
  j["evaluator"] = c.evaluator;
  j["seconds"] = c.seconds;
  if (c.evaluated) j["evaluated"] = evaluated_json(*c.evaluated, job.coords);
  if (c.error) {
    try {
      std::rethrow_exception(c.error);
    } catch (const ConfigError& e) {
      j["error"] = Json{{"config", Json{{"file", e.file}, {"path", e.json_path}, {"expected", e.expected}, {"got", e.got}}}};
    } catch (const std::exception& e) {
      j["error"] = Json{{"what", e.what()}};
    } catch (...) {
      j["error"] = Json{{"what", "unknown exception"}};
    }
  }
  return j;
}

Completion completion_from_json(const SweepJob& job, const Json& j) {
  Completion c;
  c.id = j.at("id").get<std::string>();
  c.interrupted = j.at("interrupted").get<bool>();
  c.evaluator = j.at("evaluator").get<int>();
  c.seconds = j.at("seconds").get<double>();
  if (j.contains("evaluated")) c.evaluated = evaluated_from_json(j.at("evaluated"), job.coords.size());
  if (j.contains("error")) {
    const Json& e = j.at("error");
    if (e.contains("config")) {
      const Json& ce = e.at("config");
      c.error = std::make_exception_ptr(ConfigError(ce.at("file").get<std::string>(), ce.at("path").get<std::string>(),
                                                    ce.at("expected").get<std::string>(), ce.at("got").get<std::string>()));
    } else {
      c.error = std::make_exception_ptr(std::runtime_error(e.at("what").get<std::string>()));
    }
  }
  return c;
}

std::unique_ptr<Executor> make_thread_executor(unsigned threads, bool in_caller) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return std::make_unique<ThreadExecutor>(threads, in_caller);
}

std::optional<Json> run_sweep(const ConfigNode& root, const SweepOptions& opt) {
  if (opt.max_boxes < 1) throw std::invalid_argument("run_sweep: max_boxes must be >= 1");
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<Coordinate> coords = find_coordinates(root);
  const Json& input = root.json();
  SubBox whole{"r", {}};
  for (const auto& c : coords) whole.x.push_back(c.initial);

  SweepState s;
  // Finished runs of an earlier, interrupted sweep (the checkpoint journal), by sub-box id.
  Journal journal(opt.checkpoint, checkpoint_header(input, opt));
  std::map<std::string, Evaluated> cache;
  journal.load(coords.size(), cache);
  std::set<std::string> journal_ids;  // pending sub-boxes whose result came from the journal
  long from_checkpoint = 0;
  // Queues a sub-box; its result is taken from the journal when an earlier run finished it.
  auto enqueue = [&](const SubBox& b) {
    s.pending.push_back(b);
    const auto it = cache.find(b.id);
    if (it == cache.end()) return;
    if (!same_box(it->second.box, b))
      throw ConfigError(opt.checkpoint->string(), "/", "the checkpoint of this sweep",
                        "sub-box " + b.id + " with other intervals than this sweep's");
    s.finished.emplace(b.id, std::move(it->second));
    cache.erase(it);
    journal_ids.insert(b.id);
  };
  // Keeps a finished run: in memory until its turn to be committed, and in the journal.
  auto record = [&](Evaluated e) {
    journal.append(e, coords);
    const std::string id = e.box.id;
    s.finished.emplace(id, std::move(e));
  };
  // The first run is the whole box, so a bad config is exit 65 with nothing written.
  enqueue(whole);
  // The serial order: the queue `pending` of sub-boxes to run; an undecided sub-box joins the
  // FIFO `open` when it is committed, and the front of `open` is split (its halves appended to
  // `pending`) as soon as the budget allows both: runs committed + runs scheduled + 2 ≤ N. The
  // k-th split is thus allowed iff 2k + 1 ≤ N whatever the timing, and the sequence of runs is
  // the breadth-first one of the serial loop. Runs are committed strictly in `pending` order.
  auto split = [&](const Evaluated& e) {
    const auto [i, w] = widest(coords, e.box);
    (void)w;
    const Rational m = (e.box.x[i].lo + e.box.x[i].hi) / 2;
    SubBox a = e.box, b = e.box;
    a.id += "0";
    b.id += "1";
    a.x[i].hi = m;
    b.x[i].lo = m;
    enqueue(a);
    enqueue(b);
  };
  auto commit = [&](Evaluated e) {
    if (e.verdict == Status::unknown) {
      if (coords.empty()) {
        e.note = "no interval inputs: nothing to split";
        s.done.push_back(std::move(e));
      } else if (widest(coords, e.box).second <= opt.min_width) {
        e.note = "minimum width reached";
        s.done.push_back(std::move(e));
      } else {
        s.open.push_back(std::move(e));
      }
    } else {
      s.done.push_back(std::move(e));
    }
  };

  std::unique_ptr<Executor> own;
  Executor* ex = opt.executor;
  if (!ex) {
    // never more evaluator threads than sub-box runs the budget allows (review finding)
    const unsigned cap = static_cast<unsigned>(std::min<long>(std::max<long>(opt.max_boxes, 1), 1L << 16));
    own = make_thread_executor(opt.threads == 0 ? 0 : std::min(opt.threads, cap));
    ex = own.get();
  }
  ex->begin(SweepJob{input, coords, opt.run, root.file()});
  const std::size_t slots = std::max<std::size_t>(1, ex->slots());
  std::set<std::string> in_flight;
  std::map<std::string, std::exception_ptr> errors;
  std::vector<double> busy;
  std::vector<long> runs_by;
  long runs_here = 0;
  bool stopped = false;
  // Drains the runs in flight (their results are kept in the checkpoint when they are sound).
  auto drain = [&]() {
    while (!in_flight.empty()) {
      Completion c = ex->wait();
      require_valid_completion(c, in_flight, s.pending);
      in_flight.erase(c.id);
      if (c.evaluated && !c.interrupted && !c.error) record(std::move(*c.evaluated));
    }
  };
  for (;;) {
    // splits the budget allows
    while (!s.open.empty() && s.runs + static_cast<long>(s.pending.size()) + 2 <= opt.max_boxes) {
      const Evaluated e = s.open.front();
      s.open.pop_front();
      split(e);
    }
    // commit the finished prefix of the queue, in order
    while (!s.pending.empty()) {
      const auto it = s.finished.find(s.pending.front().id);
      if (it == s.finished.end()) {
        const auto er = errors.find(s.pending.front().id);
        if (er != errors.end()) {
          const std::exception_ptr ep = er->second;
          drain();
          std::rethrow_exception(ep);
        }
        break;
      }
      Evaluated e = std::move(it->second);
      s.finished.erase(it);
      s.pending.pop_front();
      if (journal_ids.erase(e.box.id)) ++from_checkpoint;
      else ++runs_here;
      commit(std::move(e));
      ++s.runs;
      if (opt.on_progress) opt.on_progress(s.runs, opt.max_boxes);
      while (!s.open.empty() && s.runs + static_cast<long>(s.pending.size()) + 2 <= opt.max_boxes) {
        const Evaluated o = s.open.front();
        s.open.pop_front();
        split(o);
      }
      if (opt.stop_after && runs_here >= *opt.stop_after) break;
    }
    if (opt.stop_after && runs_here >= *opt.stop_after && !s.pending.empty()) {
      drain();
      stopped = true;
      break;
    }
    if (s.pending.empty()) break;  // nothing in flight either: every pending run was committed
    if (ode::stop_requested()) {
      drain();
      stopped = true;
      break;
    }
    // hand out runs in queue order while slots are free
    for (const auto& b : s.pending) {
      if (in_flight.size() >= slots) break;
      if (in_flight.count(b.id) || s.finished.count(b.id) || errors.count(b.id)) continue;
      ex->submit(b);
      in_flight.insert(b.id);
    }
    if (in_flight.empty()) throw std::logic_error("run_sweep: nothing to wait for");
    Completion c = ex->wait();
    require_valid_completion(c, in_flight, s.pending);
    in_flight.erase(c.id);
    if (c.evaluator >= 0) {
      const auto k = static_cast<std::size_t>(c.evaluator);
      if (busy.size() <= k) {
        busy.resize(k + 1, 0.0);
        runs_by.resize(k + 1, 0);
      }
      busy[k] += c.seconds;
      ++runs_by[k];
    }
    if (c.interrupted) {
      // some evaluator saw a stop request: stop the whole sweep (the checkpoint keeps the rest)
      drain();
      stopped = true;
      break;
    }
    if (c.error) {
      errors.emplace(c.id, c.error);
    } else {
      record(std::move(*c.evaluated));  // a run finished ahead of its turn is kept too
    }
  }
  if (opt.stats) {
    opt.stats->runs_here = runs_here;
    opt.stats->from_checkpoint = from_checkpoint;
    opt.stats->busy_s = busy;
    opt.stats->runs_by = runs_by;
    opt.stats->wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  if (stopped) return std::nullopt;

  // ---- the certificate ----
  std::vector<Evaluated> cover = s.done;
  for (auto e : s.open) {
    e.note = "not split: budget of " + std::to_string(opt.max_boxes) + " sub-box runs spent";
    cover.push_back(std::move(e));
  }
  std::sort(cover.begin(), cover.end(), [](const Evaluated& a, const Evaluated& b) { return a.box.id < b.box.id; });
  Rational vp(0), vr(0), vu(0);
  long np = 0, nr = 0, nu = 0;
  Json refuted_ids = Json::array();
  Json cov = Json::array();
  for (const auto& e : cover) {
    const Rational v = relative_volume(coords, e.box);
    if (e.verdict == Status::proved) { vp += v; ++np; }
    else if (e.verdict == Status::refuted) { vr += v; ++nr; refuted_ids.push_back(e.box.id); }
    else { vu += v; ++nu; }
    cov.push_back(evaluated_json(e, coords));
  }
  Json j = Json::object();
  const auto bi = cert::BuildInfo::current();
  j["certiformer_sweep"] = kFormat;
  j["certiformer"] = Json{{"version", bi.version}, {"git", bi.git}, {"compiler", bi.compiler}, {"flags", bi.flags}};
  j["kind"] = input.contains("kind") ? input.at("kind") : Json(nullptr);
  j["input"] = input;
  j["options"] = options_json(opt);
  Json cs = Json::array();
  for (const auto& c : coords) {
    Json cj{{"pointer", c.pointer}, {"interval", exact_text(c.initial)}};
    if (!c.also.empty()) cj["also"] = c.also;
    cs.push_back(std::move(cj));
  }
  j["coordinates"] = cs;
  Json sum = Json::object();
  sum["runs"] = s.runs;
  sum["boxes"] = static_cast<long>(cover.size());
  sum["proved"] = np;
  sum["refuted"] = nr;
  sum["unknown"] = nu;
  sum["fraction_proved"] = exact_text(vp);
  sum["fraction_refuted"] = exact_text(vr);
  sum["fraction_unknown"] = exact_text(vu);
  sum["refuted_boxes"] = refuted_ids;
  j["summary"] = sum;
  std::string st = "For every parameter point in the union of the " + std::to_string(np) +
                   " proved sub-boxes (volume fraction " + exact_text(vp) + " ~ " + decimal_approx(vp) +
                   " of the box) every claim holds; in each of the " + std::to_string(nr) +
                   " refuted sub-boxes (fraction " + exact_text(vr) + " ~ " + decimal_approx(vr) +
                   ", listed in summary.refuted_boxes) some claim fails for every point; the remaining " +
                   std::to_string(nu) + " sub-boxes (fraction " + exact_text(vu) + " ~ " + decimal_approx(vu) +
                   ") are undecided.";
  j["statement"] = st;
  Status total = nr > 0 ? Status::refuted : nu > 0 ? Status::unknown : Status::proved;
  j["status"] = std::string(to_string(total));
  j["cover"] = cov;
  j["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return j;
}

Status sweep_status(const Json& c) { return status_from(c.at("status").get<std::string>()); }

bool is_sweep_certificate(const Json& doc) { return doc.is_object() && doc.contains("certiformer_sweep"); }

cert::CheckReport check_sweep(const ConfigNode& root, const cert::CheckOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  cert::CheckReport rep;
  rep.file = root.file();
  const Json& j = root.json();
  const ConfigNode input_node = root.at("input");
  rep.kind = "sweep of " + input_node.at("kind").as_text();
  unsigned prec = 53;
  if (input_node.has("precision")) prec = static_cast<unsigned>(input_node.at("precision").as_int(53, 65536));
  const Json& optj = j.at("options");
  if (optj.contains("precision") && !optj.at("precision").is_null())
    prec = static_cast<unsigned>(root.at("options").at("precision").as_int(53, 65536));
  rep.certificate_precision = prec;
  rep.check_precision = options.precision.value_or(prec);
  const Json input = input_node.json();
  const ConfigNode input_root = cert::config_from_text(input.dump(), root.file() + " (input)");
  const std::vector<Coordinate> coords = find_coordinates(input_root);
  // declared coordinates must be the ones of the input
  const ConfigNode cn = root.at("coordinates");
  if (cn.size() != coords.size()) cn.fail(std::to_string(coords.size()) + " coordinates (the interval inputs of input)");
  std::vector<Evaluated> cover;
  const ConfigNode cov = root.at("cover");
  for (std::size_t i = 0; i < cov.size(); ++i) {
    try {
      cover.push_back(evaluated_from_json(cov.index(i).json(), coords.size()));
    } catch (const std::exception& e) {
      cov.index(i).fail("a sub-box {id, box, verdict, claims, results}", e.what());
    }
  }
  // ---- geometry: inside, disjoint interiors, volumes sum to 1 ----
  Rational total(0);
  bool inside = true, disjoint_ok = true;
  for (std::size_t a = 0; a < cover.size(); ++a) {
    for (std::size_t i = 0; i < coords.size(); ++i) {
      const auto& x = cover[a].box.x[i];
      if (x.lo < coords[i].initial.lo || x.hi > coords[i].initial.hi || !(x.lo < x.hi)) inside = false;
    }
    total += relative_volume(coords, cover[a].box);
    for (std::size_t b = a + 1; b < cover.size() && disjoint_ok; ++b) {
      bool sep = false;  // interiors disjoint iff some coordinate's open intervals do not meet
      for (std::size_t i = 0; i < coords.size() && !sep; ++i)
        sep = cover[a].box.x[i].hi <= cover[b].box.x[i].lo || cover[b].box.x[i].hi <= cover[a].box.x[i].lo;
      if (!sep) disjoint_ok = false;
    }
  }
  if (coords.empty()) total = cover.size() == 1 ? Rational(1) : Rational(0);
  const bool tiles = inside && disjoint_ok && total == 1;
  rep.add("cover", tiles ? cert::CheckOutcome::reproduced : cert::CheckOutcome::failed,
          std::to_string(cover.size()) + " sub-boxes: " + (inside ? "inside the box" : "NOT inside the box") + ", " +
              (disjoint_ok ? "interiors pairwise disjoint" : "OVERLAPPING") + ", relative volumes sum to " +
              exact_text(total) + (tiles ? " (they tile the box)" : " (NOT a tiling)"));
  // ---- summary fractions ----
  Rational vp(0), vr(0), vu(0);
  for (const auto& e : cover) {
    const Rational v = relative_volume(coords, e.box);
    (e.verdict == Status::proved ? vp : e.verdict == Status::refuted ? vr : vu) += v;
  }
  const Json& sum = j.at("summary");
  const bool fr_ok = sum.at("fraction_proved") == exact_text(vp) && sum.at("fraction_refuted") == exact_text(vr) &&
                     sum.at("fraction_unknown") == exact_text(vu);
  const Status st = vr > 0 ? Status::refuted : vu > 0 ? Status::unknown : Status::proved;
  rep.add("summary", fr_ok && sweep_status(j) == st ? cert::CheckOutcome::reproduced : cert::CheckOutcome::failed,
          "fractions proved " + exact_text(vp) + ", refuted " + exact_text(vr) + ", unknown " + exact_text(vu) +
              ", status " + std::string(to_string(st)));
  // ---- re-run every sub-box ----
  cert::RunOptions ro;
  ro.precision = rep.check_precision;
  ro.time_limit_s = options.time_limit_s;
  ro.max_steps = options.max_steps;
  ro.deadline = options.deadline;
  // Nothing of a sub-box is taken from the file: its verdict must be the one its recorded claims
  // give (the rule of `evaluate`), its claim list must be the re-run's, every decided claim and
  // the verdict must be decided alike by the re-run (a decision the re-run cannot make is
  // inconclusive at another precision and FAILED at the certificate's own, an opposite one
  // FAILED), and at the certificate's own precision its results
  // must be the re-run's exactly (the run is deterministic). So the fractions and the status,
  // summed from the recorded verdicts above, rest on re-derived verdicts.
  auto verdict_of = [](const Json& claims) {
    if (claims.empty()) return Status::proved;
    bool all_proved = true;
    for (const auto& cl : claims) {
      const Status v = status_from(cl.at("verdict").get<std::string>());
      if (v == Status::refuted) return Status::refuted;
      if (v != Status::proved) all_proved = false;
    }
    return all_proved ? Status::proved : Status::unknown;
  };
  const bool same_precision = rep.check_precision == rep.certificate_precision;
  // At the certificate's own precision the re-run is the same deterministic computation: a
  // decision it does not make again is a tampered or foreign record (FAILED, not inconclusive).
  auto compare = [same_precision](Status recorded, Status now, const std::string& what, cert::CheckOutcome& out,
                                  std::string& detail) {
    if (recorded == Status::unknown || recorded == now) return;
    if (now == Status::unknown && !same_precision) {
      if (out == cert::CheckOutcome::reproduced) out = cert::CheckOutcome::inconclusive;
      detail += what + " " + std::string(to_string(recorded)) + " not decided by the re-run; ";
    } else {
      out = cert::CheckOutcome::failed;
      detail += what + " " + std::string(to_string(recorded)) + " but the re-run gives " + std::string(to_string(now)) + "; ";
    }
  };
  for (const auto& e : cover) {
    const Evaluated again = evaluate(input, coords, e.box, ro, root.file() + " (input)");
    cert::CheckOutcome out = cert::CheckOutcome::reproduced;
    std::string detail;
    if (e.verdict != verdict_of(e.claims)) {
      out = cert::CheckOutcome::failed;
      detail += "verdict " + std::string(to_string(e.verdict)) + " is not what its claims give (" +
                std::string(to_string(verdict_of(e.claims))) + "); ";
    }
    std::vector<std::string> ids, ids_again;
    for (const auto& cl : e.claims) ids.push_back(cl.at("id").get<std::string>());
    for (const auto& cl : again.claims) ids_again.push_back(cl.at("id").get<std::string>());
    if (ids != ids_again) {
      out = cert::CheckOutcome::failed;
      detail += "its claims are not the re-run's (" + std::to_string(ids.size()) + " recorded, " +
                std::to_string(ids_again.size()) + " re-derived); ";
    } else {
      for (std::size_t k = 0; k < ids.size(); ++k)
        compare(status_from(e.claims[k].at("verdict").get<std::string>()),
                status_from(again.claims[k].at("verdict").get<std::string>()), "claim " + ids[k], out, detail);
    }
    compare(e.verdict, again.verdict, "verdict", out, detail);
    if (same_precision) {
      if (e.results != again.results) {
        out = cert::CheckOutcome::failed;
        detail += "its results differ from the re-run's at the same precision; ";
      }
    } else if (out == cert::CheckOutcome::reproduced) {
      out = cert::CheckOutcome::inconclusive;
      detail += "results not compared (re-run at another precision); ";
    }
    if (detail.empty()) detail = std::string(to_string(e.verdict)) + ", verdict, claims and results re-derived alike";
    rep.add("sub-box " + e.box.id, out, detail);
  }
  rep.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace certiformer::sweep
