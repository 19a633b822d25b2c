// Proof bellman_gap_box (source: P1, arXiv 2603.09571; docs/mathematics.md §4; docs/bellman.md
// "Parameter boxes").
//
// Theorem instance (uniform over a parameter box). The model of bellman_gap_refines (d = 1,
// n = 3 tokens 0.313, −0.524, 0.071 with labels 0, 1, 0, Γ = (1, −1)ᵀ, one head B = V = 1,
// β = 1/2, b = 0.113, ε = 1/8, N = 2 layers, the attention gate the action), with the FFN
// weight W and the upper end hi of the gate range as parameters:
//     for every (W, hi) ∈ [−0.6, −0.3] × [0.8, 1.2], the gate sequence a* returned for the
//     sub-box containing (W, hi) satisfies 0 ≤ J(a*; μ0, W, hi) − V_0(μ0, W, hi) ≤ 1/20,
// where V_0(μ0, W, hi) = inf over gate sequences in [0, hi]^2 (state grid δ = 1/200, 17 gate
// points laid on [0, h↓], h↓ = the sub-box's lower end of hi rounded down to binary64, so the
// one grid of a sub-box is admissible for every hi in it).
// (The cost J(a*) is ≈ 0.46 on the box, so 1/20 is a ~11 % optimality certificate.)
// Hypotheses: none beyond the exact inputs and the inclusion principle; every constant of E is
// a sup over the sub-box (docs/bellman.md).
// Method: adaptive bisection (widest relative coordinate first, exact dyadic ends) of the box;
// on each sub-box certify_gap on the interval model (W and the gate-range end as intervals;
// the grid on the inner interval [0, h↓]); a sub-box is proved when sup gap ≤ 1/20.
// Second, independent route through the config kind: `sweep::run_sweep` of the bundled example
// examples/configs/sweep/bellman_gap_w_gate.json (the same instance, claim gap_le_tolerance
// with τ = 0.05, 2 threads), then `sweep::check_sweep` re-runs every sub-box.
// Decision: (library) every sub-box of a cover of the box proved (at most 400 runs) AND (sweep)
// status proved, fraction_proved = 1 exactly, every check line reproduced → exit 0; a refuted
// run or sub-box, or a failed check → 1; otherwise 2. Expected run time: < 2 s.
#include "certiformer/bellman.hpp"
#include "toy_models.hpp"
#include "certiformer/cert.hpp"
#include "certiformer/sweep.hpp"

#include <deque>
#include <iostream>

using namespace certiformer;
using namespace certiformer::bellman;

namespace {
using T = Interval;

struct Box {
  Rational w_lo, w_hi, h_lo, h_hi;
};

LiftedModel<T> model_on(const Box& b) {
  toy::ScalarToy o;
  o.beta = "1/2";
  o.epsilon = "1/8";
  o.grid = 17;
  o.spacing = "1/200";
  LiftedModel<T> m = toy::scalar_model<T>(o);
  m.layer.W(0, 0) = enclose<T>(RationalInterval{b.w_lo, b.w_hi});
  m.action_hi(0) = enclose<T>(RationalInterval{b.h_lo, b.h_hi});
  m.grid_lo = transformer::vector_from_text<T>({"0"});
  m.grid_hi = Vec<T>(1);
  m.grid_hi(0) = T(inf(enclose<T>(b.h_lo)));  // the sub-box's lower hi, rounded down: inside every [0, hi]
  return m;
}
}  // namespace

int main() {
  const Rational W0 = parse_exact("-0.6"), W1 = parse_exact("-0.3"), H0 = parse_exact("0.8"), H1 = parse_exact("1.2");
  const T tol = from_text<T>("1/20");
  std::deque<Box> todo{{W0, W1, H0, H1}};
  int runs = 0, proved = 0;
  bool refuted = false;
  double worst = 0, best = 1e300;
  while (!todo.empty() && runs < 400) {
    const Box b = todo.front();
    todo.pop_front();
    ++runs;
    const GapResult<T> r = certify_gap(model_on(b));
    if (r.verdict.is_refuted()) refuted = true;
    if (r.verdict.is_proved() && certainly_less_equal(r.gap, tol)) {
      ++proved;
      worst = std::max(worst, sup(r.gap));
      best = std::min(best, sup(r.gap));
      continue;
    }
    // bisect the coordinate of largest relative width
    const Rational rw = (b.w_hi - b.w_lo) / (W1 - W0), rh = (b.h_hi - b.h_lo) / (H1 - H0);
    if (rw >= rh) {
      const Rational c = (b.w_lo + b.w_hi) / 2;
      todo.push_back({b.w_lo, c, b.h_lo, b.h_hi});
      todo.push_back({c, b.w_hi, b.h_lo, b.h_hi});
    } else {
      const Rational c = (b.h_lo + b.h_hi) / 2;
      todo.push_back({b.w_lo, b.w_hi, b.h_lo, c});
      todo.push_back({b.w_lo, b.w_hi, c, b.h_hi});
    }
  }
  std::cout << "library: sub-box runs " << runs << ", proved sub-boxes " << proved << ", gap bounds in [" << best
            << ", " << worst << "] (tolerance 1/20), open " << todo.size() << "\n";
  // the same statement through the config kind and the sweep
  const char* config = R"({
    "kind": "bellman.gap",
    "model": {"dim": 1, "beta": "0.5", "heads": [{"B": [[1]], "V": [[1]]}], "W": [["[-0.6, -0.3]"]], "b": ["0.113"]},
    "tokens": [["0.313"], ["-0.524"], ["0.071"]], "labels": [0, 1, 0], "readout": [[1], [-1]],
    "epsilon": "0.125", "layers": 2, "controls": ["attention"], "action_box": [["0", "[0.8, 1.2]"]],
    "action_grid": [17], "state_grid": "0.005", "tolerance": "0.05"
  })";
  sweep::SweepOptions so;
  so.max_boxes = 512;
  so.threads = 2;
  const auto j = sweep::run_sweep(cert::config_from_text(config, "bellman_gap_box"), so);
  if (!j) return 2;
  const auto& sum = j->at("summary");
  std::cout << "sweep: runs " << sum.at("runs") << ", sub-boxes " << sum.at("boxes") << ", fraction proved "
            << sum.at("fraction_proved").get<std::string>() << ", status " << j->at("status").get<std::string>() << "\n";
  const cert::CheckReport rep = sweep::check_sweep(cert::config_from_text(j->dump(), "sweep certificate"), {});
  std::size_t reproduced = 0;
  for (const auto& l : rep.lines) reproduced += l.outcome == cert::CheckOutcome::reproduced;
  std::cout << "check: " << reproduced << " of " << rep.lines.size() << " lines reproduced\n";
  if (refuted || j->at("status") == "refuted" || rep.outcome() == cert::CheckOutcome::failed) {
    std::cout << "REFUTED\n";
    return 1;
  }
  if (todo.empty() && j->at("status") == "proved" && sum.at("fraction_proved") == "1" && reproduced == rep.lines.size()) {
    std::cout << "PROVED\n";
    return 0;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}
