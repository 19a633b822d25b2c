// The certiformer command line (docs/cli.md). main() only calls cli_main.
#include "certiformer_cli.hpp"

#include "certiformer/cert.hpp"
#include "certiformer/sweep.hpp"
#include "certiformer_build_info.h"
#if defined(CERTIFORMER_WITH_MPI)
#include "sweep_mpi.hpp"
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace certiformer {

namespace {

namespace fs = std::filesystem;
using cert::Certificate;
using cert::ConfigError;

/// Severity order for combining exit statuses: 0 < 2 < 1 < 65 < 70.
int rank(int code) {
  switch (code) {
    case kExitProved: return 0;
    case kExitUnknown: return 1;
    case kExitRefuted: return 2;
    case kExitBadConfig: return 3;
    default: return 4;
  }
}
int combine(int a, int b) { return rank(a) >= rank(b) ? a : b; }

int exit_for(Status s) {
  switch (s) {
    case Status::proved: return kExitProved;
    case Status::refuted: return kExitRefuted;
    case Status::unknown: return kExitUnknown;
  }
  return kExitUnknown;
}

std::string version_text() {
  return std::string("certiformer ") + CERTIFORMER_VERSION + " (git " + CERTIFORMER_GIT + ", " + CERTIFORMER_COMPILER +
         ", flags: " + CERTIFORMER_FLAGS + ")";
}

std::string certificate_name(const fs::path& config) {
  std::string stem = config.filename().string();
  if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".json") stem.resize(stem.size() - 5);
  return stem + ".cert.json";
}

std::string fmt_seconds(double s) {
  char b[32];
  std::snprintf(b, sizeof b, s < 10 ? "%.3f s" : "%.1f s", s);
  return b;
}

/// Outcome of running one config.
struct RunResult {
  int code = kExitProved;
  std::optional<Certificate> cert;
  std::string error;  // one line, for bad configs and failed enclosures
};

RunResult run_one(const fs::path& file, const cert::RunOptions& ro) {
  RunResult r;
  try {
    r.cert = cert::run_config_file(file, ro);
    r.code = exit_for(r.cert->status());
  } catch (const ConfigError& e) {
    r.code = kExitBadConfig;
    r.error = e.what();
  } catch (const cert::EnclosureFailure& e) {
    r.code = kExitUnknown;
    r.error = file.string() + ": unknown: " + e.what() + " (nothing is claimed; no certificate written)";
  }
  return r;
}

void print_human(std::ostream& out, const fs::path& file, const Certificate& c, bool quiet) {
  // Digits shown: all of binary64, or ~precision·log10(2) capped at 40 for MPFI.
  const int dg = c.precision == 53 ? 17 : std::min(40, static_cast<int>(c.precision * 0.30103));
  out << file.string() << ": " << c.kind << ", " << c.backend << ", " << fmt_seconds(c.wall_s) << "\n";
  if (!quiet) {
    for (const auto& [name, v] : c.results) {
      if (const auto* e = std::get_if<EndpointText>(&v)) {
        out << "  " << name << " in " << cert::short_text(*e, dg) << "\n";
      } else if (const auto* ev = std::get_if<cert::EnclosureVector>(&v)) {
        const auto labels = cert::entry_labels(c, name);  // e.g. the parameter of each gradient entry
        for (std::size_t i = 0; i < ev->size(); ++i)
          out << "  " << name << "[" << i << "]" << (labels.empty() ? "" : " (" + labels[i] + ")") << " in "
              << cert::short_text((*ev)[i], dg) << "\n";
      } else if (const auto* em = std::get_if<cert::EnclosureMatrix>(&v)) {
        for (std::size_t i = 0; i < em->size(); ++i)
          for (std::size_t j = 0; j < (*em)[i].size(); ++j)
            out << "  " << name << "[" << i << "][" << j << "] in " << cert::short_text((*em)[i][j], dg) << "\n";
      } else if (const auto* mp = std::get_if<cert::EnclosureMap>(&v)) {
        for (const auto& [k, e] : *mp) out << "  " << name << "[" << k << "] in " << cert::short_text(e, dg) << "\n";
      } else if (const auto* b = std::get_if<cert::OneSidedText>(&v)) {
        out << "  " << name << (b->upper ? " <= " : " >= ") << cert::one_sided_short_text(*b, dg) << "\n";
      } else if (const auto* bm = std::get_if<cert::OneSidedMap>(&v)) {
        for (const auto& [k, b] : *bm)
          out << "  " << name << "[" << k << "]" << (b.upper ? " <= " : " >= ") << cert::one_sided_short_text(b, dg) << "\n";
      } else {
        out << "  " << name << " = " << std::get<std::string>(v) << "\n";
      }
    }
    for (const auto& cl : c.claims)
      out << "  claim " << cl.id << ": " << to_string(cl.verdict) << ": " << cl.statement << " (" << cl.reason << ")\n";
  }
  out << "  => " << (c.claims.empty() ? "proved (no claims; every enclosure computed)" : std::string(to_string(c.status())))
      << " (" << c.count(Status::proved) << " proved, " << c.count(Status::refuted) << " refuted, "
      << c.count(Status::unknown) << " unknown)\n";
}

// ---- run --------------------------------------------------------------------------------------

/// Why the next file of a multi-file run is not started (empty: start it): a stop was requested
/// (SIGINT/SIGTERM, ode::request_stop) or the --total-time deadline has passed.
std::string skip_reason(const std::optional<std::chrono::steady_clock::time_point>& deadline) {
  if (ode::stop_requested()) return "stopped (signal) before it started";
  if (deadline && std::chrono::steady_clock::now() >= *deadline) return "the total time budget (--total-time) was spent before it started";
  return {};
}

std::optional<std::chrono::steady_clock::time_point> deadline_after(const std::optional<double>& total_s) {
  if (!total_s || !(*total_s > 0)) return std::nullopt;
  return std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                std::chrono::duration<double>(std::min(*total_s, 1e9)));
}

/// "partial: K of M files done; S not started (reason)" — printed when files were skipped.
void print_partial(std::ostream& out, std::size_t done, std::size_t total, const std::string& why) {
  out << "partial: " << done << " of " << total << " files done, " << (total - done) << " not started (" << why << ")\n";
}

struct RunArgs {
  std::vector<std::string> configs;
  std::string out_file, out_dir;
  std::optional<unsigned> precision;
  std::optional<double> total_time_s;
  std::optional<double> time_limit_s;
  std::optional<std::uint64_t> max_steps;
  bool quiet = false, json = false;
};

int cmd_run(const RunArgs& a, std::ostream& out, std::ostream& err) {
  if (!a.out_file.empty() && a.configs.size() != 1) {
    err << "certiformer run: --out FILE takes exactly one config (use --out-dir DIR for several)\n";
    return kExitUsage;
  }
  cert::RunOptions ro;
  ro.precision = a.precision;
  ro.progress = !a.quiet;
  ro.time_limit_s = a.time_limit_s;
  ro.max_steps = a.max_steps;
  ro.deadline = deadline_after(a.total_time_s);
  int code = kExitProved;
  cert::Json all = cert::Json::array();
  std::size_t done = 0;
  std::string skipped;
  for (const auto& name : a.configs) {
    if (skipped = skip_reason(ro.deadline); !skipped.empty()) {
      code = combine(code, kExitUnknown);
      break;
    }
    ++done;
    const fs::path file(name);
    RunResult r = run_one(file, ro);
    code = combine(code, r.code);
    if (!r.cert) {
      err << r.error << "\n";
      continue;
    }
    std::string written;
    if (!a.out_file.empty() || !a.out_dir.empty()) {
      const fs::path target = !a.out_file.empty() ? fs::path(a.out_file) : fs::path(a.out_dir) / certificate_name(file);
      try {
        cert::write_file_atomically(target, r.cert->to_json().dump(2) + "\n");
        written = target.string();
      } catch (const std::exception& e) {
        err << "certiformer: " << e.what() << "\n";
        code = combine(code, kExitInternal);
      }
    }
    if (a.json) {
      all.push_back(r.cert->to_json());
    } else {
      print_human(out, file, *r.cert, a.quiet);
      if (!written.empty()) out << "  certificate: " << written << "\n";
      out.flush();  // one certificate's lines reach a redirected file before the next run starts
    }
  }
  if (!skipped.empty()) {
    for (std::size_t i = done; i < a.configs.size(); ++i) err << a.configs[i] << ": not run: " << skipped << "\n";
    if (!a.json) print_partial(out, done, a.configs.size(), skipped);
  }
  if (a.json) {
    if (a.configs.size() == 1) {
      if (!all.empty()) out << all[0].dump(2) << "\n";
    } else {
      out << all.dump(2) << "\n";
    }
  }
  return code;
}

// ---- check ------------------------------------------------------------------------------------

/// The two levels of a check report, one line: claims re-verified or not; the certificate's
/// numbers reproduced exactly, implied, or only consistent.
std::string level_text(const cert::CheckReport& rep) {
  std::string s = rep.claims_verified() ? "claims re-verified" : "claims NOT all re-verified";
  std::size_t n = 0, exact = 0, implied = 0;
  for (const auto& l : rep.lines) {
    if (l.numbers == cert::NumberMatch::none) continue;
    ++n;
    if (l.numbers == cert::NumberMatch::exact) ++exact;
    else if (l.numbers == cert::NumberMatch::implied) ++implied;
  }
  const std::string of = " of " + std::to_string(n);
  switch (rep.numbers()) {
    case cert::NumberMatch::none: s += "; the certificate holds no numbers"; break;
    case cert::NumberMatch::exact: s += "; numbers reproduced exactly (" + std::to_string(exact) + of + ")"; break;
    case cert::NumberMatch::implied:
      s += "; numbers implied by the re-derivation (" + std::to_string(exact + implied) + of + ", " + std::to_string(exact) +
           " identical)";
      break;
    case cert::NumberMatch::not_implied:
      s += "; numbers NOT all implied (" + std::to_string(exact + implied) + of + " implied, " + std::to_string(exact) +
           " identical)";
      break;
  }
  return s;
}

int cmd_check(const std::vector<std::string>& files, cert::CheckOptions co, bool quiet, bool json, std::ostream& out,
              std::ostream& err) {
  int code = kExitProved;
  co.progress = !quiet && !json;
  cert::Json all = cert::Json::array();
  std::size_t done = 0;
  std::string skipped;
  // "113 bits", or "113 -> 226 -> 452 bits (why escalation stopped)"
  auto precision_text = [](const cert::CheckReport& r) {
    std::string t;
    for (const unsigned p : r.precisions) t += (t.empty() ? "" : " -> ") + std::to_string(p);
    if (t.empty()) t = std::to_string(r.check_precision);
    t += " bits";
    if (r.precisions.size() > 1) t += " (escalated: " + r.escalation + ")";
    else if (!r.escalation.empty()) t += " (" + r.escalation + ")";
    return t;
  };
  for (const auto& name : files) {
    if (skipped = skip_reason(co.deadline); !skipped.empty()) {
      code = combine(code, kExitUnknown);
      break;
    }
    ++done;
    try {
      const cert::ConfigNode doc = cert::load_config(name);
      const cert::CheckReport rep =
          sweep::is_sweep_certificate(doc.json()) ? sweep::check_sweep(doc, co) : cert::check_certificate_file(name, co);
      code = combine(code, rep.exit_code());
      if (json) {
        all.push_back(rep.to_json());
        continue;
      }
      out << "check " << name << ": " << rep.kind << ", certificate at " << rep.certificate_precision << " bits, "
          << (rep.fast ? "re-run at the same precision (--fast: must reproduce it exactly)" : "re-derived at " + precision_text(rep))
          << "\n";
      for (const auto& d : rep.build_differences) out << "  build differs: " << d << "\n";
      if (!quiet)
        for (const auto& l : rep.lines)
          out << "  " << std::left << std::setw(13) << std::string(to_string(l.outcome)) << l.subject << ": " << l.detail
              << "\n";
      const std::size_t consistent = rep.count(cert::CheckOutcome::consistent);
      out << "  => " << to_string(rep.outcome()) << " (" << rep.count(cert::CheckOutcome::reproduced) << " reproduced, "
          << (consistent ? std::to_string(consistent) + " consistent, " : std::string())
          << rep.count(cert::CheckOutcome::inconclusive) << " inconclusive, " << rep.count(cert::CheckOutcome::failed)
          << " failed) " << fmt_seconds(rep.wall_s) << "\n";
      out << "  level: " << level_text(rep) << "\n";
      out.flush();
    } catch (const ConfigError& e) {
      err << e.what() << "\n";
      code = combine(code, kExitBadConfig);
    }
  }
  if (!skipped.empty()) {
    for (std::size_t i = done; i < files.size(); ++i) err << files[i] << ": not checked: " << skipped << "\n";
    if (!json) print_partial(out, done, files.size(), skipped);
  }
  if (json) out << (files.size() == 1 && all.size() == 1 ? all[0] : all).dump(2) << "\n";
  return code;
}

// ---- report -----------------------------------------------------------------------------------

int cmd_report(const std::vector<std::string>& files, cert::ReportFormat format, int digits, std::ostream& out,
               std::ostream& err) {
  int code = kExitProved;
  bool first = true;
  for (const auto& name : files) {
    try {
      const Certificate c = Certificate::from_json(cert::load_config(name));
      const std::string text = cert::report(c, format, digits, name);
      if (!first) out << "\n";
      first = false;
      out << text;
      out.flush();
    } catch (const ConfigError& e) {
      err << e.what() << "\n";
      code = combine(code, kExitBadConfig);
    } catch (const std::invalid_argument& e) {
      err << name << ": " << e.what() << "\n";
      code = combine(code, kExitBadConfig);
    }
  }
  return code;
}

// ---- sweep ------------------------------------------------------------------------------------

struct SweepArgs {
  std::string config, out, checkpoint, min_width = "1/1024";
  long max_boxes = 256;
  std::optional<unsigned> precision;
  unsigned threads = 0;  // 0: one per hardware thread
  bool quiet = false;
};

/// The sweep itself; `executor` is the MPI manager under mpirun (nullptr: threads).
int sweep_body(const SweepArgs& a, std::ostream& out, std::ostream& err, sweep::Executor* executor,
               const std::string& evaluators) {
  sweep::SweepOptions so;
  so.max_boxes = a.max_boxes;
  so.threads = a.threads;
  so.executor = executor;
  sweep::SweepStats stats;
  so.stats = &stats;
  try {
    so.min_width = parse_exact(a.min_width);
  } catch (const std::exception&) {
    err << "certiformer sweep: --min-width must be a number in (0, 1], got " << a.min_width << "\n";
    return kExitUsage;
  }
  if (!(so.min_width > 0) || so.min_width > 1) {
    err << "certiformer sweep: --min-width must be a number in (0, 1], got " << a.min_width << "\n";
    return kExitUsage;
  }
  if (!a.checkpoint.empty()) so.checkpoint = a.checkpoint;
  so.run.precision = a.precision;
  if (!a.quiet)
    so.on_progress = [&err](long done, long budget) {
      err << "\rsweep: " << done << " sub-box runs (budget " << budget << ")" << std::flush;
    };
  std::optional<cert::Json> j;
  try {
    const cert::ConfigNode root = cert::load_config(a.config);
    j = sweep::run_sweep(root, so);
  } catch (const ConfigError& e) {
    if (!a.quiet) err << "\n";
    err << e.what() << "\n";
    return kExitBadConfig;
  }
  if (!a.quiet) err << "\n";
  if (!j) {
    // a stop request (SIGINT / SIGTERM): the runs finished so far are in the checkpoint
    err << "certiformer sweep: stopped after " << stats.runs_here << " sub-box runs; "
        << (a.checkpoint.empty() ? std::string("no --checkpoint, so nothing is kept")
                                 : "the checkpoint " + a.checkpoint + " holds every finished run (run the same command to resume)")
        << "; no certificate written\n";
    return kExitUnknown;
  }
  cert::write_file_atomically(a.out, j->dump(2) + "\n");
  const auto& sum = j->at("summary");
  out << a.config << ": sweep of " << j->at("kind").get<std::string>() << " over " << j->at("coordinates").size()
      << " interval inputs, " << sum.at("runs").get<long>() << " runs, " << sum.at("boxes").get<long>() << " sub-boxes ("
      << sum.at("proved").get<long>() << " proved, " << sum.at("refuted").get<long>() << " refuted, "
      << sum.at("unknown").get<long>() << " unknown), " << fmt_seconds(j->at("wall_s").get<double>()) << "\n";
  out << "  " << j->at("statement").get<std::string>() << "\n";
  {
    // evaluators and their busy time (statistics of this run; not in the certificate)
    double mx = 0, sum = 0;
    for (double b : stats.busy_s) {
      mx = std::max(mx, b);
      sum += b;
    }
    const double mean = stats.busy_s.empty() ? 0 : sum / static_cast<double>(stats.busy_s.size());
    std::ostringstream os;
    os << "  evaluators: " << evaluators << "; busy";
    if (stats.busy_s.empty()) os << " 0 s (0 runs)";
    for (std::size_t i = 0; i < stats.busy_s.size(); ++i)
      os << " " << fmt_seconds(stats.busy_s[i]) << " (" << stats.runs_by[i] << " runs)";
    if (stats.from_checkpoint > 0) os << "; " << stats.from_checkpoint << " results taken from the checkpoint";
    char r[64];
    std::snprintf(r, sizeof r, "; %.1f sub-boxes/s; load imbalance max/mean %.3f", stats.wall_s > 0 ? stats.runs_here / stats.wall_s : 0.0,
                  mean > 0 ? mx / mean : 1.0);
    out << os.str() << r << "\n";
  }
  out << "  => " << j->at("status").get<std::string>() << "\n  certificate: " << a.out << "\n";
  return exit_for(sweep::sweep_status(*j));
}

int cmd_sweep(const SweepArgs& a, std::ostream& out, std::ostream& err) {
#if defined(CERTIFORMER_WITH_MPI)
  // Under mpirun with more than one rank: rank 0 manages (and evaluates in a thread), the other
  // ranks evaluate; every rank returns the exit status rank 0 decides. One rank: threads.
  if (mpi::launched_by_mpirun()) {
    mpi::Session session;
    if (session.size() > 1) {
      if (session.rank() != 0) return mpi::run_worker(session);
      mpi::Manager manager(session);
      int code = kExitInternal;
      try {
        code = sweep_body(a, out, err, &manager, std::to_string(session.size()) + " MPI ranks");
      } catch (...) {
        manager.finish(kExitInternal);
        throw;
      }
      manager.finish(code);
      return code;
    }
  }
#endif
  const unsigned n = a.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : a.threads;
  return sweep_body(a, out, err, nullptr, std::to_string(n) + (n == 1 ? " thread" : " threads"));
}

// ---- list -------------------------------------------------------------------------------------

int cmd_list(std::ostream& out) {
  std::size_t w = 0;
  for (const auto* k : cert::registered_kinds()) w = std::max(w, k->name.size());
  for (const auto* k : cert::registered_kinds())
    out << std::left << std::setw(static_cast<int>(w + 2)) << k->name << k->description << "\n";
  return kExitProved;
}

// ---- the bundled suite ------------------------------------------------------------------------

std::optional<fs::path> examples_dir() {
  std::error_code ec;
  for (const fs::path& d : {fs::path("examples") / "configs", fs::path(CERTIFORMER_EXAMPLES_DIR),
                            fs::path(CERTIFORMER_INSTALLED_EXAMPLES_DIR)})
    if (fs::is_directory(d, ec)) return d;
  return std::nullopt;
}

int cmd_suite(std::ostream& out, std::ostream& err) {
  const auto dir = examples_dir();
  if (!dir) {
    err << "certiformer: no example configs found (looked in ./examples/configs, " << CERTIFORMER_EXAMPLES_DIR << ", "
        << CERTIFORMER_INSTALLED_EXAMPLES_DIR << ")\n";
    return kExitBadConfig;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(*dir))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    err << "certiformer: " << dir->string() << " holds no *.json configs\n";
    return kExitBadConfig;
  }
  const fs::path cert_dir = "certificates";
  struct Row {
    std::string file, kind, p, r, u, key, wall;
  };
  std::vector<Row> rows;
  int code = kExitProved;
  cert::RunContext counter(true);
  std::string skipped;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (skipped = skip_reason(std::nullopt); !skipped.empty()) {
      code = combine(code, kExitUnknown);
      break;
    }
    counter.progress(i, files.size(), "run", "configs");
    RunResult r = run_one(files[i], cert::RunOptions{});
    code = combine(code, r.code);
    Row row{files[i].filename().string(), "-", "-", "-", "-", "", "-"};
    if (!r.cert) {
      counter.clear();
      err << r.error << "\n";
      row.key = r.code == kExitBadConfig ? "BAD CONFIG (see above)" : "enclosure failed (see above)";
    } else {
      const Certificate& c = *r.cert;
      row.kind = c.kind;
      row.p = std::to_string(c.count(Status::proved));
      row.r = std::to_string(c.count(Status::refuted));
      row.u = std::to_string(c.count(Status::unknown));
      row.key = c.key_bound;
      row.wall = fmt_seconds(c.wall_s);
      try {
        cert::write_file_atomically(cert_dir / certificate_name(files[i]), c.to_json().dump(2) + "\n");
      } catch (const std::exception& e) {
        counter.clear();
        err << "certiformer: " << e.what() << "\n";
        code = combine(code, kExitInternal);
      }
    }
    rows.push_back(std::move(row));
  }
  counter.progress(files.size(), files.size(), "run", "configs");
  counter.clear();
  std::size_t wf = 4, wk = 4, wb = 9;
  for (const auto& r : rows) {
    wf = std::max(wf, r.file.size());
    wk = std::max(wk, r.kind.size());
    wb = std::max(wb, r.key.size());
  }
  auto line = [&](const Row& r) {
    out << std::left << std::setw(static_cast<int>(wf + 2)) << r.file << std::setw(static_cast<int>(wk + 2)) << r.kind
        << std::right << std::setw(7) << r.p << std::setw(8) << r.r << std::setw(8) << r.u << "  " << std::left
        << std::setw(static_cast<int>(wb + 2)) << r.key << std::right << std::setw(9) << r.wall << "\n";
  };
  out << "certiformer example suite: " << dir->string() << "\n";
  line({"file", "kind", "proved", "refuted", "unknown", "key bound", "wall"});
  for (const auto& r : rows) line(r);
  if (!skipped.empty()) print_partial(out, rows.size(), files.size(), skipped);
  out << "certificates written to " << (fs::current_path() / cert_dir).string() << "\n";
  out << "=> " << (code == kExitProved ? "all proved" : code == kExitRefuted ? "some claim refuted"
                   : code == kExitUnknown ? "some claim unknown" : "errors (see above)")
      << "\n";
  return code;
}

}  // namespace

int cli_main(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"certiformer: certified interval enclosures, claims and certificates.\n"
               "Without a command: run the bundled example suite and write ./certificates/."};
  app.name("certiformer");
  app.set_version_flag("--version", version_text(), "print the version, git revision, compiler and flags");
  app.require_subcommand(0, 1);

  RunArgs ra;
  unsigned run_precision = 0;
  auto* run = app.add_subcommand("run", "certify each CONFIG.json; print a summary (exit 0 proved, 1 refuted, 2 unknown)");
  run->add_option("CONFIG", ra.configs, "config files (JSON)")->required();
  auto* o_out = run->add_option("--out", ra.out_file, "write the certificate JSON to FILE (one config only)");
  auto* o_dir = run->add_option("--out-dir", ra.out_dir, "write <name>.cert.json for each config into DIR");
  o_out->excludes(o_dir);
  auto* o_prec = run->add_option("--precision", run_precision, "bits: 53 = binary64 Interval, > 53 = MPFI (overrides the config)");
  run->add_flag("--quiet", ra.quiet, "no progress output, no per-result lines");
  run->add_flag("--json", ra.json, "print the certificate JSON on stdout (an array for several configs)");
  double run_time_limit = 0, check_time_limit = 0;
  std::uint64_t run_max_steps = 0, check_max_steps = 0;
  const std::string time_help = "work budget: wall-time limit in seconds per config (0: none; default: the config's "
                                "\"budget\", else " + std::to_string(static_cast<int>(cert::kDefaultTimeLimit)) + ")";
  const std::string steps_help = "work budget: validated integrator steps per config (0: none; default: the config's "
                                 "\"budget\", else " + std::to_string(cert::kDefaultMaxSteps) + ")";
  auto* o_time = run->add_option("--time-limit", run_time_limit, time_help)->check(CLI::NonNegativeNumber);
  auto* o_steps = run->add_option("--max-steps", run_max_steps, steps_help);
  const std::string total_help = "wall-time budget in seconds for all files together: each run gets at most the time left; "
                                 "files not started when it is spent are listed, and the summary of those done is printed (exit 2)";
  double run_total = 0, check_total = 0;
  auto* o_total = run->add_option("--total-time", run_total, total_help)->check(CLI::PositiveNumber);

  std::vector<std::string> certs;
  unsigned check_precision = 0, check_max_precision = 0;
  bool check_quiet = false;
  bool check_fast = false, check_strict = false, check_json = false;
  auto* check = app.add_subcommand("check", "re-derive certificates at higher precision (default max(2 x, 113) bits), "
                                            "or re-run them at their own precision (--fast); re-verify every claim");
  check->add_option("CERT", certs, "certificate files (JSON)")->required();
  auto* c_prec = check->add_option("--precision", check_precision, "bits for the re-derivation (>= 53)");
  auto* c_fast = check->add_flag("--fast", check_fast,
                                 "re-run at the certificate's own precision and options; the same build must reproduce it "
                                 "exactly (costs about one run)");
  auto* c_maxp = check->add_option("--max-precision", check_max_precision,
                                   "escalation cap: an enclosure that only overlaps the certificate's is re-derived at "
                                   "twice the precision until decided, up to this many bits (default 8 x the starting "
                                   "precision; a value <= the starting precision turns escalation off)");
  c_fast->excludes(c_prec);
  c_fast->excludes(c_maxp);
  check->add_flag("--strict", check_strict, "exit 2 unless every number of the certificate is implied by the re-run");
  check->add_flag("--json", check_json, "print the check report JSON (an array for several certificates)");
  check->add_flag("--quiet", check_quiet, "only the summary lines per certificate");
  auto* c_time = check->add_option("--time-limit", check_time_limit, time_help + " for the re-run")->check(CLI::NonNegativeNumber);
  auto* c_steps = check->add_option("--max-steps", check_max_steps, steps_help + " for the re-run");
  auto* c_total = check->add_option("--total-time", check_total, total_help)->check(CLI::PositiveNumber);

  std::vector<std::string> report_files;
  std::string report_format = "md";
  int report_digits = cert::kReportDefaultDigits;
  auto* report = app.add_subcommand("report", "print every result and claim of CERT.json as a table; bounds rounded "
                                              "outward, so the printed table is still an enclosure");
  report->add_option("CERT", report_files, "certificate files (JSON)")->required();
  report->add_option("--format", report_format, "md (default), csv or latex")
      ->check(CLI::IsMember({"md", "markdown", "csv", "latex", "tex"}));
  report->add_option("--digits", report_digits, "significant digits of each bound (default " +
                                                    std::to_string(cert::kReportDefaultDigits) + ")")
      ->check(CLI::Range(cert::kReportMinDigits, cert::kReportMaxDigits));

  auto* list = app.add_subcommand("list", "list the config kinds");

  SweepArgs sa;
  unsigned sweep_precision = 0;
  auto* sw = app.add_subcommand("sweep", "certify a config with interval inputs on a cover of its parameter box by "
                                         "adaptive bisection (exit 0 proved, 1 refuted, 2 unknown)");
  sw->add_option("CONFIG", sa.config, "config file (JSON) with interval inputs \"[a, b]\"")->required();
  sw->add_option("--out", sa.out, "write the sweep certificate JSON to FILE")->required();
  sw->add_option("--max-boxes", sa.max_boxes, "budget: sub-box runs in all (default 256)")->check(CLI::PositiveNumber);
  sw->add_option("--min-width", sa.min_width, "no split below this width relative to the initial box (default 1/1024)");
  sw->add_option("--checkpoint", sa.checkpoint, "journal: every finished run is appended to it; an existing one is resumed");
  auto* s_prec = sw->add_option("--precision", sweep_precision, "bits of each sub-box run (overrides the config)");
  sw->add_option("--threads", sa.threads,
                 "evaluator threads (default: one per hardware thread; under mpirun with several ranks each rank "
                 "evaluates one sub-box at a time and this is ignored)")
      ->check(CLI::Range(1u, 4096u));
  sw->add_flag("--quiet", sa.quiet, "no progress output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int c = app.exit(e, out, err);
    return c == 0 ? kExitProved : kExitUsage;
  }

  try {
    if (*run) {
      if (o_prec->count()) {
        if (run_precision < cert::kMinPrecision || run_precision > cert::kMaxPrecision) {
          err << "certiformer run: --precision must be in [53, 65536] bits, got " << run_precision << "\n";
          return kExitUsage;
        }
        ra.precision = run_precision;
      }
      if (o_time->count()) ra.time_limit_s = run_time_limit;
      if (o_steps->count()) ra.max_steps = run_max_steps;
      if (o_total->count()) ra.total_time_s = run_total;
      return cmd_run(ra, out, err);
    }
    if (*check) {
      std::optional<unsigned> p;
      if (c_prec->count()) {
        if (check_precision < cert::kMinPrecision || check_precision > cert::kMaxPrecision) {
          err << "certiformer check: --precision must be in [53, 65536] bits, got " << check_precision << "\n";
          return kExitUsage;
        }
        p = check_precision;
      }
      cert::CheckOptions co;
      if (c_maxp->count()) {
        if (check_max_precision < cert::kMinPrecision || check_max_precision > cert::kMaxPrecision) {
          err << "certiformer check: --max-precision must be in [53, 65536] bits, got " << check_max_precision << "\n";
          return kExitUsage;
        }
        co.max_precision = check_max_precision;
      }
      co.precision = p;
      co.fast = check_fast;
      co.strict = check_strict;
      if (c_time->count()) co.time_limit_s = check_time_limit;
      if (c_steps->count()) co.max_steps = check_max_steps;
      if (c_total->count()) co.deadline = deadline_after(check_total);
      return cmd_check(certs, co, check_quiet, check_json, out, err);
    }
    if (*report) return cmd_report(report_files, cert::parse_report_format(report_format), report_digits, out, err);
    if (*list) return cmd_list(out);
    if (*sw) {
      if (s_prec->count()) {
        if (sweep_precision < cert::kMinPrecision || sweep_precision > cert::kMaxPrecision) {
          err << "certiformer sweep: --precision must be in [53, 65536] bits, got " << sweep_precision << "\n";
          return kExitUsage;
        }
        sa.precision = sweep_precision;
      }
      return cmd_sweep(sa, out, err);
    }
    return cmd_suite(out, err);
  } catch (const std::exception& e) {
    err << "certiformer: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}

int cli_main(int argc, char** argv) { return cli_main(argc, argv, std::cout, std::cerr); }

}  // namespace certiformer
