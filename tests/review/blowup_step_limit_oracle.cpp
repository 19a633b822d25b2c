// Review (commit af857cb): the effort limits of the general-V blow-up code — certify_blowup_lower_bound
// with BlowupOptions::lower_bound_max_steps (the Σ-ODE integration stops early, the comparison bound
// continues from the last enclosed time) and certify_blowup_bracket_general with
// GeneralBracketOptions::max_steps (partial compactified flow; the trap is tried on what was reached)
// — against the 320-bit closed-form oracle of blowup_general_oracle.cpp (conjugated decoupled models).
// Small limits (1, 2, 5, 17, 60, 300, default) force every partial path. Checked when proved:
//   lower bound:  blowup_lower_bound_only ⇒ t_lo < t*;  no_blowup_on_horizon ⇒ H < t*;
//   bracket:      t_lo < t* ≤ t_hi.
// usage: review_blowup_step_limit_oracle <seed> <count> [cpu budget s]   exit 0 = no failure
#define main review_blowup_general_oracle_main
#include "blowup_general_oracle.cpp"
#undef main

namespace {
long lb_proved = 0, lb_unknown = 0, lb_bounded = 0, br_proved = 0, br_unknown = 0;

template <class T> void check_lower(const Case& C, const TEncl& ts, const Q& horizon, std::size_t steps) {
  BlowupOptions o;
  o.lower_bound_max_steps = steps;
  BlowupResult<T> r;
  try {
    r = certify_blowup_lower_bound<T>(C.model, C.initial, horizon, o);
  } catch (const std::exception& e) {
    fail(C, "certify_blowup_lower_bound threw", e.what());
    return;
  }
  const char* tn = std::is_same_v<T, Interval> ? "lower<Interval>" : "lower<Mp256>";
  const bool after = mpfr_cmp_q(ts.lo, horizon.backend().data()) > 0;
  std::string lo_s;
  if constexpr (std::is_same_v<T, Interval>) lo_s = g17(r.t_lo);
  else lo_s = r.t_lo.str(25);
  const std::string where = std::string(tn) + " steps=" + std::to_string(steps) + " H=" + to_string(horizon) + " t_lo=" + lo_s +
                            " t* in [" + mps(ts.lo) + ", " + mps(ts.hi) + "] (" + r.verdict.reason().substr(0, 160) + ")";
  switch (r.status) {
    case BlowupStatus::blowup_lower_bound_only:
      ++lb_proved;
      if (!lo_ok(r.t_lo, ts)) fail(C, "lower bound not below t*", where);
      break;
    case BlowupStatus::no_blowup_on_horizon:
      ++lb_bounded;
      if (!after) fail(C, "no blow-up on the horizon claimed but t* <= H", where);
      break;
    case BlowupStatus::unknown: ++lb_unknown; break;
    default: fail(C, "unexpected status from certify_blowup_lower_bound", where);
  }
  std::printf("  %s steps=%zu H=%s %s t_lo=%s\n", tn, steps, to_string(horizon).c_str(), std::string(to_string(r.status)).c_str(),
              lo_s.c_str());
}

void check_bracket_steps(const Case& C, const TEncl& ts, int bits, std::size_t steps) {
  GeneralBracketOptions o;
  o.flow_bits = bits;
  o.max_steps = steps;
  const GeneralBlowupBracket b = certify_blowup_bracket_general(C.model, C.initial, o);
  if (!b.verdict.is_proved()) {
    ++br_unknown;
    std::printf("  bracket(%d, steps %zu) unknown: %s\n", bits, steps, b.verdict.reason().substr(0, 160).c_str());
    return;
  }
  ++br_proved;
  std::printf("  bracket(%d, steps %zu) [%s, %s] %zu flow steps\n", bits, steps, g17(b.t_lo).c_str(), g17(b.t_hi).c_str(), b.flow_steps);
  if (!(lo_ok(b.t_lo, ts) && hi_ok(b.t_hi, ts)))
    fail(C, "bracket misses t*", "bits " + std::to_string(bits) + " steps " + std::to_string(steps) + ": [" + g17(b.t_lo) + ", " +
                                     g17(b.t_hi) + "] vs t* in [" + mps(ts.lo) + ", " + mps(ts.hi) + "]");
}
}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const unsigned long seed = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1;
  const int count = argc > 2 ? std::atoi(argv[2]) : 3;
  const double budget = argc > 3 ? std::atof(argv[3]) : 1e9;
  std::mt19937_64 g(seed);
  int drawn = 0;
  while (drawn < count && static_cast<double>(std::clock()) / CLOCKS_PER_SEC < budget) {
    Case C;
    TEncl ts;
    if (!draw(g, C, ts)) continue;
    ++drawn;
    std::printf("model %d [%s] t* = %s\n", drawn, C.tag.c_str(), mps(ts.lo).c_str());
    const double tsd = ts.approx();
    for (double f : {0.7, 1.5, 3.0}) {
      const Q H = rationalize(tsd * f);
      for (std::size_t s : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{17}, std::size_t{60}, std::size_t{300}, std::size_t{4000}})
        check_lower<Interval>(C, ts, H, s);
      MpPrecisionScope scope(256);
      for (std::size_t s : {std::size_t{3}, std::size_t{40}}) check_lower<MpInterval>(C, ts, H, s);
    }
    for (std::size_t s : {std::size_t{1}, std::size_t{10}, std::size_t{200}, std::size_t{1000}, std::size_t{3000}})
      check_bracket_steps(C, ts, 0, s);
    if (drawn % 3 == 0) check_bracket_steps(C, ts, 128, 30);
  }
  std::printf("summary seed %lu: %d models; lower bound: blowup_lower_bound_only %ld, no_blowup_on_horizon %ld, unknown %ld; "
              "bracket with step limits: proved %ld unknown %ld; failures %d\n",
              seed, drawn, lb_proved, lb_bounded, lb_unknown, br_proved, br_unknown, failures);
  return failures == 0 ? 0 : 1;
}
