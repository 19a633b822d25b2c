// certiformer sweep (issue 16 §2): adaptive bisection over a parameter box of gaussian.blowup.
//  * the bundled example (β ∈ [0.5, 2], W = w ∈ [−0.4, 0.5]) is proved on the whole box, and
//    `check` re-verifies every sub-box;
//  * a box where the claim is false in a corner (β ∈ [0.25, 2], w ∈ [−0.5, 0.5]: where w + β ≤ 0
//    the covariance never blows up) has refuted sub-boxes; every verdict agrees with the closed form
//    t* = ln(1 + w/β)/(2w) at the corners of its sub-box (t* is monotone in β and w);
//  * a run stopped mid-way and resumed from its checkpoint, and a run with a small budget
//    resumed with a larger one, give the cover of the uninterrupted run;
//  * a tampered certificate fails `check`; interval inputs elsewhere are refused naming the field.
#include <doctest/doctest.h>

#include "certiformer/cert.hpp"
#include "certiformer/sweep.hpp"
#include "certiformer_cli.hpp"
#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace certiformer;
using namespace certiformer::cert;
namespace fs = std::filesystem;

namespace {

const fs::path kExample = fs::path(SWEEP_EXAMPLES_DIR) / "sweep" / "gaussian_blowup_beta_w.json";

const std::string kCornerFalse = R"({
  "kind": "gaussian.blowup",
  "model": {"dim": 1, "beta": "[0.25, 2]", "W": [["[-0.5, 0.5]"]], "heads": [{"V": [[1]], "B": [[1]]}]},
  "initial": {"cov": [[1]]},
  "horizon": 3,
  "claims": [{"id": "blowup-before-3", "quantity": "blowup_time", "op": "<", "value": 3}]
})";

fs::path tmp(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("certiformer_sweep_test_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d / name;
}

/// The lines of a checkpoint journal, parsed (line 1: the header; then one finished run each).
std::vector<Json> journal_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<Json> out;
  for (std::string l; std::getline(in, l);) out.push_back(Json::parse(l));
  return out;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

/// 256-bit t*(β, w) (σ0 = v = b = 1), or nothing when Σ never blows up (w + β ≤ 0).
std::optional<MpInterval> t_star(const Rational& beta, const Rational& w) {
  if (w + beta <= 0) return std::nullopt;
  if (w == 0) return enclose_mp(Rational(1) / (2 * beta));
  return log1p(enclose_mp(w / beta)) / (MpInterval(2) * enclose_mp(w));
}

}  // namespace

TEST_CASE("the bundled P3 sweep example is proved on the whole box and re-verified by check") {
  sweep::SweepOptions so;
  so.max_boxes = 200;
  const auto j = sweep::run_sweep(load_config(kExample), so);
  REQUIRE(j.has_value());
  INFO(j->at("statement").get<std::string>());
  CHECK(j->at("status") == "proved");
  CHECK(j->at("summary").at("fraction_proved") == "1");
  CHECK(j->at("coordinates").size() == 2);
  MESSAGE("example: ", j->at("summary").at("runs"), " runs, ", j->at("summary").at("boxes"), " sub-boxes, ",
          j->at("wall_s"), " s");
  const auto rep = sweep::check_sweep(config_from_text(j->dump(), "example.cert"), {});
  for (const auto& l : rep.lines) {
    INFO(l.subject, ": ", l.detail);
    CHECK(l.outcome == CheckOutcome::reproduced);
  }
  // Tampering: one proved sub-box dropped → not a tiling; a verdict flipped → summary fails.
  Json bad = *j;
  bad["cover"].erase(bad["cover"].begin());
  CHECK(sweep::check_sweep(config_from_text(bad.dump(), "bad"), {}).outcome() == CheckOutcome::failed);
  Json bad2 = *j;
  bad2["cover"][0]["verdict"] = "refuted";
  CHECK(sweep::check_sweep(config_from_text(bad2.dump(), "bad2"), {}).outcome() == CheckOutcome::failed);
  Json bad3 = *j;  // a claim recorded refuted that the re-run proves
  bad3["cover"][0]["claims"][1]["verdict"] = "refuted";
  CHECK(sweep::check_sweep(config_from_text(bad3.dump(), "bad3"), {}).outcome() == CheckOutcome::failed);
  Json bad4 = *j;  // a result number edited (the re-run at the same precision is deterministic)
  for (auto& [k, v] : bad4["cover"][0]["results"].items()) {
    if (v.is_object() && v.contains("hi")) {
      v["hi"] = "1e+300";
      break;
    }
  }
  CHECK(bad4 != *j);
  CHECK(sweep::check_sweep(config_from_text(bad4.dump(), "bad4"), {}).outcome() == CheckOutcome::failed);
}

TEST_CASE("a forged sweep certificate fails check: unknown sub-boxes relabelled proved (review findings)") {
  // With a budget of one run the whole box stays unknown. Forgery: verdict proved with no claims
  // (or with its claims marked unknown, or proved), fractions and status edited to proved.
  sweep::SweepOptions so;
  so.max_boxes = 1;
  const auto j = sweep::run_sweep(load_config(kExample), so);
  REQUIRE(j.has_value());
  REQUIRE(j->at("status") == "unknown");
  // variant 2: claims and verdict consistently relabelled proved — the re-run at the same
  // precision (deterministic) does not decide them: FAILED, not inconclusive (review finding)
  for (int variant = 0; variant < 3; ++variant) {
    Json f = *j;
    for (auto& e : f["cover"]) {
      e["verdict"] = "proved";
      if (variant == 0) e["claims"] = Json::array();
      else
        for (auto& cl : e["claims"]) cl["verdict"] = variant == 1 ? "unknown" : "proved";
    }
    f["summary"]["fraction_proved"] = "1";
    f["summary"]["fraction_refuted"] = "0";
    f["summary"]["fraction_unknown"] = "0";
    f["status"] = "proved";
    CAPTURE(variant);
    CHECK(sweep::check_sweep(config_from_text(f.dump(), "forged"), {}).outcome() == CheckOutcome::failed);
  }
}

TEST_CASE("a box with a false corner: refuted and unknown sub-boxes agree with the closed form") {
  MpPrecisionScope scope(test::kOracleBits);
  sweep::SweepOptions so;
  so.max_boxes = 300;
  const auto j = sweep::run_sweep(config_from_text(kCornerFalse, "corner.json"), so);
  REQUIRE(j.has_value());
  INFO(j->at("statement").get<std::string>());
  CHECK(j->at("status") == "refuted");
  const auto& sum = j->at("summary");
  CHECK(sum.at("refuted").get<long>() > 0);
  CHECK(sum.at("proved").get<long>() > 0);
  const Rational total = parse_exact(sum.at("fraction_proved").get<std::string>()) +
                         parse_exact(sum.at("fraction_refuted").get<std::string>()) +
                         parse_exact(sum.at("fraction_unknown").get<std::string>());
  CHECK(total == 1);
  for (const auto& b : j->at("cover")) {
    const RationalInterval beta = parse_exact_interval(b.at("box")[0].get<std::string>());
    const RationalInterval w = parse_exact_interval(b.at("box")[1].get<std::string>());
    const std::string v = b.at("verdict").get<std::string>();
    INFO("sub-box beta ", exact_text(beta), " w ", exact_text(w), ": ", v);
    for (const Rational& bb : {beta.lo, beta.hi})
      for (const Rational& ww : {w.lo, w.hi}) {
        const auto t = t_star(bb, ww);
        if (v == "proved") {
          REQUIRE(t.has_value());
          CHECK(certainly_less(*t, MpInterval(3)));
        } else if (v == "refuted") {
          if (t) CHECK(certainly_greater_equal(*t, MpInterval(3)));
        }
      }
  }
}

TEST_CASE("checkpoint: a stopped run resumes to the cover of the uninterrupted run") {
  const ConfigNode root = config_from_text(kCornerFalse, "corner.json");
  sweep::SweepOptions so;
  so.max_boxes = 40;
  const auto full = sweep::run_sweep(root, so);
  REQUIRE(full.has_value());

  // (a) killed after 7 runs (the state on disk is the one after the 7th run), then resumed
  const fs::path ck = tmp("a.ckpt.json");
  fs::remove(ck);
  sweep::SweepOptions sa = so;
  sa.checkpoint = ck;
  sa.stop_after = 7;
  CHECK_FALSE(sweep::run_sweep(root, sa).has_value());
  REQUIRE(fs::exists(ck));
  // the journal: a header line and one line per finished run (7 runs, serial)
  const std::vector<Json> lines = journal_lines(ck);
  REQUIRE(lines.size() == 8);
  CHECK(lines.front().at("certiformer_sweep_checkpoint") == 2);
  CHECK(lines[1].at("run").at("id") == "r");
  const std::string seven = read_text(ck);
  sa.stop_after.reset();
  sweep::SweepStats st;
  sa.stats = &st;
  const auto resumed = sweep::run_sweep(root, sa);
  sa.stats = nullptr;
  REQUIRE(resumed.has_value());
  CHECK(st.from_checkpoint == 7);  // the 7 journal results are committed, not run again
  CHECK(st.runs_here == full->at("summary").at("runs").get<long>() - 7);
  CHECK(resumed->at("cover") == full->at("cover"));
  CHECK(resumed->at("summary") == full->at("summary"));
  // O(1) bytes per run: the journal of the whole sweep has one line per run, nothing rewritten
  CHECK(journal_lines(ck).size() == 1 + full->at("summary").at("runs").get<std::size_t>());
  CHECK(read_text(ck).rfind(seven, 0) == 0);

  // a last line cut short by a kill is dropped (and truncated away); the sweep resumes
  {
    const std::size_t cut = seven.rfind('\n', seven.size() - 2) + 1;  // start of the 7th run's line
    write_text(ck, seven.substr(0, cut + 25));
    const auto again = sweep::run_sweep(root, sa);
    REQUIRE(again.has_value());
    CHECK(again->at("cover") == full->at("cover"));
    CHECK(journal_lines(ck).size() == 1 + full->at("summary").at("runs").get<std::size_t>());
  }
  // a malformed complete line, a box that is not this sweep's, an old-format checkpoint: refused
  {
    write_text(ck, seven + "{\"run\": 1}\n");
    CHECK_THROWS_AS(sweep::run_sweep(root, sa), ConfigError);
    Json moved = lines[2];
    moved["run"]["box"][0] = "[1/4, 1/2]";
    std::string t = seven;
    t.insert(t.find('\n') + 1, moved.dump() + "\n");  // same id as line 2, another box
    write_text(ck, t);
    CHECK_THROWS_AS(sweep::run_sweep(root, sa), ConfigError);
    write_text(ck, R"({"certiformer_sweep_checkpoint": 1, "runs": 0})" "\n");
    CHECK_THROWS_AS(sweep::run_sweep(root, sa), ConfigError);
    CHECK(read_text(ck) == R"({"certiformer_sweep_checkpoint": 1, "runs": 0})" "\n");  // left as it is
  }

  // (b) a small budget (9 runs) finishes with undecided boxes; resumed with the full budget
  const fs::path ck2 = tmp("b.ckpt.json");
  fs::remove(ck2);
  sweep::SweepOptions sb = so;
  sb.checkpoint = ck2;
  sb.max_boxes = 9;
  const auto small = sweep::run_sweep(root, sb);
  REQUIRE(small.has_value());
  CHECK(small->at("summary").at("runs") == 9);
  CHECK(small->at("cover") != full->at("cover"));
  sb.max_boxes = 40;
  const auto grown = sweep::run_sweep(root, sb);
  REQUIRE(grown.has_value());
  CHECK(grown->at("cover") == full->at("cover"));

  // a checkpoint of another config is refused
  const ConfigNode other = load_config(kExample);
  CHECK_THROWS_AS(sweep::run_sweep(other, sb), ConfigError);
  fs::remove_all(ck.parent_path());
}

TEST_CASE("CLI: sweep writes the certificate and check re-verifies it; exit statuses as for run") {
  const fs::path out = tmp("example.cert.json");
  const std::string ex = kExample.string(), o = out.string();
  {
    std::vector<std::string> args = {"certiformer", "sweep", ex, "--out", o, "--quiet", "--max-boxes", "200"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream so, se;
    CHECK(cli_main(static_cast<int>(argv.size()), argv.data(), so, se) == kExitProved);
    CHECK(so.str().find("=> proved") != std::string::npos);
    REQUIRE(fs::exists(out));
  }
  {
    std::vector<std::string> args = {"certiformer", "check", o, "--quiet"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream so, se;
    CHECK(cli_main(static_cast<int>(argv.size()), argv.data(), so, se) == kExitProved);
    MESSAGE(so.str());
  }
  {
    // the corner box: some sub-box refuted → exit 1
    const fs::path cfg = tmp("corner.json");
    { std::ofstream(cfg) << kCornerFalse; }
    std::vector<std::string> args = {"certiformer", "sweep", cfg.string(), "--out", tmp("corner.cert.json").string(),
                                     "--quiet", "--max-boxes", "300"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream so, se;
    CHECK(cli_main(static_cast<int>(argv.size()), argv.data(), so, se) == kExitRefuted);
  }
  fs::remove_all(out.parent_path());
}

TEST_CASE("interval inputs are refused (exit 65) where a kind cannot take a box, naming the field") {
  auto path_of = [](const std::string& text) {
    try {
      run_config(config_from_text(text));
    } catch (const ConfigError& e) {
      return e.json_path;
    }
    return std::string();
  };
  // gaussian.moments: no parameter boxes yet
  CHECK(path_of(R"({"kind": "gaussian.moments", "model": {"dim": 1, "beta": "[1, 2]"}, "initial": {"cov": [[1]]},
                    "horizon": 1, "layers": [1]})") == "/model/beta");
  // gaussian.blowup: general V with a box (d = 2, V diagonal entries as boxes)
  CHECK(path_of(R"({"kind": "gaussian.blowup", "model": {"dim": 2, "heads": [{"V": [["[1, 1.1]", 0], [0, 1]],
                    "B": [[1, 0], [0, 1]]}]}, "initial": {"cov": [[1, 0], [0, 1]]}, "horizon": 1})") ==
        "/model/heads/0/V");
  // Q / K entries must be exact
  CHECK(path_of(R"({"kind": "gaussian.blowup", "model": {"dim": 1, "heads": [{"V": [[1]], "Q": [["[1, 2]"]],
                    "K": [[1]]}]}, "initial": {"cov": [[1]]}, "horizon": 1})") == "/model/heads/0/Q/0/0");
  // an interval with a > b
  CHECK(path_of(R"({"kind": "gaussian.blowup", "model": {"dim": 1, "beta": "[2, 1]"}, "initial": {"cov": [[1]]},
                    "horizon": 1})") == "/model/beta");
  // the CLI: exit 65
  const fs::path cfg = tmp("bad.json");
  { std::ofstream(cfg) << R"({"kind": "gaussian.reach", "dim": 1, "initial": {"cov": [[1]]}, "target": {"cov": [[2]]},
                              "horizon": "[1, 2]", "delta": 0.1})"; }
  std::vector<std::string> args = {"certiformer", "run", cfg.string(), "--quiet"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream so, se;
  CHECK(cli_main(static_cast<int>(argv.size()), argv.data(), so, se) == kExitBadConfig);
  CHECK(se.str().find("/horizon") != std::string::npos);
  fs::remove_all(cfg.parent_path());
}

// ---- parallel runs (issue 16 §3) -------------------------------------------------------------

namespace {

/// An executor that returns its runs in a scrambled order (fixed seed): up to `slots` runs are
/// held, and wait() evaluates and returns a pseudo-randomly chosen one, so completions arrive
/// out of order deterministically.
class ScramblingExecutor final : public sweep::Executor {
 public:
  explicit ScramblingExecutor(std::size_t slots) : slots_(slots) {}
  void begin(const sweep::SweepJob& job) override { job_ = job; }
  std::size_t slots() const override { return slots_; }
  void submit(const sweep::SubBox& box) override { held_.push_back(box); }
  sweep::Completion wait() override {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::size_t k = static_cast<std::size_t>(state_ >> 33) % held_.size();
    const sweep::SubBox b = held_[k];
    held_.erase(held_.begin() + static_cast<long>(k));
    ++evaluated;
    return sweep::evaluate_sub_box(job_, b);
  }
  std::optional<sweep::Completion> poll() override {
    if (held_.empty()) return std::nullopt;
    return wait();
  }
  long evaluated = 0;

 private:
  std::size_t slots_;
  sweep::SweepJob job_;
  std::vector<sweep::SubBox> held_;
  std::uint64_t state_ = 42;
};

Json without_wall(Json j) {
  j.erase("wall_s");
  return j;
}

}  // namespace

TEST_CASE("parallel: threads and out-of-order completions give the serial certificate") {
  const ConfigNode root = config_from_text(kCornerFalse, "corner.json");
  sweep::SweepOptions so;
  so.max_boxes = 120;
  const auto serial = sweep::run_sweep(root, so);
  REQUIRE(serial.has_value());
  for (unsigned t : {2u, 3u}) {
    sweep::SweepOptions st = so;
    st.threads = t;
    sweep::SweepStats stats;
    st.stats = &stats;
    const auto j = sweep::run_sweep(root, st);
    REQUIRE(j.has_value());
    CAPTURE(t);
    CHECK(without_wall(*j) == without_wall(*serial));
    CHECK(j->dump(2).size() > 0);
    CHECK(stats.runs_here == serial->at("summary").at("runs").get<long>());
    CHECK(stats.busy_s.size() <= t);
  }
  // completions in a scrambled order, 1 … 16 in flight: still the serial certificate
  for (std::size_t slots : {1u, 2u, 5u, 16u}) {
    ScramblingExecutor ex(slots);
    sweep::SweepOptions sx = so;
    sx.executor = &ex;
    const auto j = sweep::run_sweep(root, sx);
    REQUIRE(j.has_value());
    CAPTURE(slots);
    CHECK(without_wall(*j) == without_wall(*serial));
    CHECK(ex.evaluated == serial->at("summary").at("runs").get<long>());  // no run wasted or repeated
  }
}

TEST_CASE("parallel: a threaded run stopped mid-way keeps its finished runs and resumes to the same cover") {
  const ConfigNode root = config_from_text(kCornerFalse, "corner.json");
  sweep::SweepOptions so;
  so.max_boxes = 60;
  const auto full = sweep::run_sweep(root, so);
  REQUIRE(full.has_value());
  const fs::path ck = tmp("par.ckpt.json");
  fs::remove(ck);
  // scrambled completions with 6 in flight, stopped after 7 commits: runs that finished ahead
  // of their turn are in the checkpoint ("finished") and are not run again
  ScramblingExecutor ex(6);
  sweep::SweepOptions sa = so;
  sa.checkpoint = ck;
  sa.executor = &ex;
  sa.stop_after = 7;
  CHECK_FALSE(sweep::run_sweep(root, sa).has_value());
  const std::vector<Json> journal = journal_lines(ck);
  REQUIRE(journal.size() >= 2);
  CHECK(journal.front().at("certiformer_sweep_checkpoint") == 2);
  const long kept = static_cast<long>(journal.size()) - 1;  // one line per finished run
  CHECK(kept > 7);                                           // some finished ahead of their turn
  CHECK(ex.evaluated == kept);                               // every finished run is kept
  // resumed with threads
  sweep::SweepOptions sb = so;
  sb.checkpoint = ck;
  sb.threads = 2;
  sweep::SweepStats stats;
  sb.stats = &stats;
  const auto resumed = sweep::run_sweep(root, sb);
  REQUIRE(resumed.has_value());
  CHECK(without_wall(*resumed) == without_wall(*full));
  long ran = 0;
  for (long r : stats.runs_by) ran += r;
  CHECK(ran == full->at("summary").at("runs").get<long>() - kept);  // nothing run twice
  fs::remove_all(ck.parent_path());
}

TEST_CASE("off-diagonal covariance intervals: (i, j) and (j, i) are one coordinate, split together") {
  // Σ0 = [[1, c], [c, s]], c ∈ [−0.05, 0.05], s ∈ [1, 1.1]; V = B = I, β = 1, W = 0: the blow-up
  // time is t* = 1/(2 λ_max(Σ0)) with λ_max = (1 + s)/2 + sqrt(((s − 1)/2)² + c²), increasing in
  // |c| and s. Claim t* < 0.49 ⇔ λ_max > 1/0.98: false near c = 0, s = 1.
  const std::string cfg = R"({
    "kind": "gaussian.blowup",
    "model": {"dim": 2, "beta": 1, "heads": [{"V": [[1, 0], [0, 1]], "B": [[1, 0], [0, 1]]}]},
    "initial": {"cov": [[1, "[-0.05, 0.05]"], ["[-0.05, 0.05]", "[1, 1.1]"]]},
    "horizon": 3,
    "claims": [{"id": "blowup-before-0.49", "quantity": "blowup_time", "op": "<", "value": 0.49}]
  })";
  MpPrecisionScope scope(test::kOracleBits);
  const ConfigNode root = config_from_text(cfg, "offdiag.json");
  const auto coords = sweep::find_coordinates(root);
  REQUIRE(coords.size() == 2);
  CHECK(coords[0].pointer == "/initial/cov/0/1");
  CHECK(coords[0].also == std::vector<std::string>{"/initial/cov/1/0"});
  CHECK(coords[1].pointer == "/initial/cov/1/1");
  sweep::SweepOptions so;
  so.max_boxes = 64;
  const auto j = sweep::run_sweep(root, so);  // was: a config error at the first split
  REQUIRE(j.has_value());
  INFO(j->at("statement").get<std::string>());
  CHECK(j->at("summary").at("runs") == 63);
  CHECK(j->at("summary").at("proved").get<long>() > 0);
  CHECK(j->at("coordinates")[0].at("also")[0] == "/initial/cov/1/0");
  auto lmax = [](const Rational& c, const Rational& s) {
    const MpInterval h = enclose_mp((s - 1) / 2);
    return enclose_mp((1 + s) / 2) + sqrt(h * h + enclose_mp(c * c));
  };
  const MpInterval threshold = MpInterval(1) / enclose_mp(Rational(98, 100));
  for (const auto& b : j->at("cover")) {
    const RationalInterval c = parse_exact_interval(b.at("box")[0].get<std::string>());
    const RationalInterval s = parse_exact_interval(b.at("box")[1].get<std::string>());
    const std::string v = b.at("verdict").get<std::string>();
    INFO("sub-box c ", exact_text(c), " s ", exact_text(s), ": ", v);
    // the sub-box's config is symmetric (both entries carry the sub-box's interval)
    const Json sub = sweep::sub_config(root.json(), coords, sweep::SubBox{"x", {c, s}});
    CHECK(sub["initial"]["cov"][0][1] == sub["initial"]["cov"][1][0]);
    const Rational c_near = c.lo <= 0 && 0 <= c.hi ? Rational(0) : (c.lo > 0 ? c.lo : Rational(-c.hi));
    const Rational c_far = std::max(c.hi, Rational(-c.lo));
    if (v == "proved") CHECK(certainly_greater(lmax(c_near, s.lo), threshold));  // λ_max > 1/0.98 on the box
    if (v == "refuted") CHECK(certainly_less_equal(lmax(c_far, s.hi), threshold));
  }
  const auto rep = sweep::check_sweep(config_from_text(j->dump(), "offdiag.cert"), {});
  CHECK(rep.outcome() == CheckOutcome::reproduced);
}

TEST_CASE("parallel: a sub-box run refuses a rounding mode other than to-nearest (threads inherit it)") {
  const ConfigNode root = config_from_text(kCornerFalse, "corner.json");
  for (unsigned t : {1u, 2u}) {
    sweep::SweepOptions so;
    so.max_boxes = 5;
    so.threads = t;
    CAPTURE(t);
    bool threw = false;
    {
      RoundingScope up(Rounding::upward);  // the pool's threads are started inside the scope
      try {
        (void)sweep::run_sweep(root, so);
      } catch (const std::runtime_error& e) {
        threw = std::string(e.what()).find("sweep: sub-box run: the FPU is not in round-to-nearest") != std::string::npos;
      }
    }
    CHECK(threw);
  }
}
