// A blow-up is reported only when the proof places it inside [0, horizon] (issue 12 §1).
//
// The 3-D information-form model below blows up at
//   t* = 0.688067586829636988015974579382414872858672497…
// (exact P(t) by a 60-digit matrix exponential, independent of this library). For horizons
// before t* — down to 9.9e-16 before it — no precision may report `blowup`; at 256 bits the
// covering must prove no blow-up on the horizon. For horizons after t* — up to 1.2e-17 after it —
// no precision may report `no_blowup_on_horizon`, and a reported bracket must contain t* and end
// at or before the horizon. The certificate's claim states exactly what was proved, and
// `check` re-derives it.
#include <doctest/doctest.h>

#include "certiformer/cert/check.hpp"
#include "certiformer/cert/registry.hpp"
#include "gaussian_test_util.hpp"

#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {

const char* const kTStar = "0.688067586829636988015974579382414872858672497";

ModelSpec audit_model() {
  ModelSpec m;
  m.dim = 3;
  m.beta = parse_exact("1");
  m.W = RMatrix::from_text({{"-0.22", "0.9", "0.16"}, {"-0.8", "-0.00", "-0.03"}, {"0.09", "0.17", "-0.24"}});
  m.heads.push_back({RMatrix::from_text({{"1", "0", "0"}, {"0", "1", "0"}, {"0", "0", "1"}}),
                     RMatrix::from_text({{"-0.94", "0.67", "-0.13"}, {"0.52", "-1.00", "-0.11"}, {"0.44", "-0.54", "0.89"}})});
  return m;
}
GaussianSpec audit_initial() {
  return make_gaussian({{"49/100", "-7/20", "-7/20"}, {"-7/20", "1/2", "1/2"}, {"-7/20", "1/2", "131/100"}});
}

/// t* (45 digits) widened by 1e-44 on both sides, at 400 bits.
MpInterval tstar_enclosure() {
  const MpInterval t = MpInterval::from_text(kTStar);
  const MpInterval e = MpInterval::from_text("1e-44");
  return MpInterval(inf(t - e), sup(t + e));
}

template <class T> MpInterval as_mp_point(const real_t<T>& v) {
  if constexpr (std::is_same_v<T, Interval>) return MpInterval(v);
  else return MpInterval(v, v);
}

struct Outcome {
  BlowupStatus status;
  std::string reason;
  bool bracket_ok = true;  // blowup ⇒ t_hi ≤ horizon and t_lo < t* < t_hi
};

template <class T> Outcome run_at(const std::string& h) {
  const Rational horizon = parse_exact(h);
  const auto r = certify_blowup_time<T>(audit_model(), audit_initial(), horizon);
  Outcome o{r.status, r.verdict.reason()};
  if (r.status == BlowupStatus::blowup) {
    MpPrecisionScope wide(400);
    const MpInterval ts = tstar_enclosure(), lo = as_mp_point<T>(r.t_lo), hi = as_mp_point<T>(r.t_hi);
    const MpInterval hz = enclose<MpInterval>(horizon);
    o.bracket_ok = certainly_less(lo, ts) && certainly_less(ts, hi) && certainly_less_equal(hi, hz);
  }
  return o;
}

Outcome run_at_bits(const std::string& h, unsigned bits) {
  if (bits == 53) return run_at<Interval>(h);
  MpPrecisionScope scope(bits);
  return run_at<MpInterval>(h);
}

}  // namespace

TEST_CASE("blow-up just after the horizon is never reported as a blow-up on the horizon") {
  for (const char* h : {"0.6880675868292", "0.68806758682963", "0.688067586829636"}) {
    for (unsigned bits : {53u, 113u, 256u}) {
      CAPTURE(h);
      CAPTURE(bits);
      const Outcome o = run_at_bits(h, bits);
      CAPTURE(o.reason);
      CHECK(o.status != BlowupStatus::blowup);
      CHECK(o.status != BlowupStatus::blowup_lower_bound_only);
      if (bits == 256) CHECK(o.status == BlowupStatus::no_blowup_on_horizon);
      if (o.status == BlowupStatus::unknown) CHECK(o.reason.find("horizon") != std::string::npos);
    }
  }
}

TEST_CASE("a horizon past t* yields a bracket containing t* inside [0, horizon], or unknown — never no blow-up") {
  for (const char* h : {"0.6880675868296370", "0.6880675868297", "0.69", "1"}) {
    for (unsigned bits : {53u, 113u, 256u}) {
      CAPTURE(h);
      CAPTURE(bits);
      const Outcome o = run_at_bits(h, bits);
      CAPTURE(o.reason);
      CHECK(o.status != BlowupStatus::no_blowup_on_horizon);
      CHECK(o.bracket_ok);
      if (bits == 256) CHECK(o.status == BlowupStatus::blowup);
      // binary64 resolves t* to ~1e-12: horizons that far past it must give a bracket
      if (bits == 53 && std::string(h) != "0.6880675868296370") CHECK(o.status == BlowupStatus::blowup);
    }
  }
}

TEST_CASE("gaussian.blowup kind: the claim states what was proved, and check re-derives it") {
  using namespace certiformer::cert;
  auto config = [](const std::string& h) {
    return std::string(R"({"kind": "gaussian.blowup", "model": {"dim": 3, "beta": "1",
      "W": [["-0.22","0.9","0.16"],["-0.8","-0.00","-0.03"],["0.09","0.17","-0.24"]],
      "heads": [{"V": [["1","0","0"],["0","1","0"],["0","0","1"]],
                 "B": [["-0.94","0.67","-0.13"],["0.52","-1.00","-0.11"],["0.44","-0.54","0.89"]]}]},
      "initial": {"mean": [0,0,0], "cov": [["49/100","-7/20","-7/20"],["-7/20","1/2","1/2"],["-7/20","1/2","131/100"]]},
      "horizon": ")") + h + "\"}";
  };
  auto claim_of = [](const Certificate& c) {
    REQUIRE(c.claims.size() == 1);
    return c.claims[0];
  };
  {
    const Certificate c = run_config(config_from_text(config("0.7")));
    const Claim cl = claim_of(c);
    CHECK(cl.verdict == Status::proved);
    CHECK(cl.statement == blowup_statement(BlowupStatus::blowup));
    CHECK(cl.statement.find("contained in [0, horizon]") != std::string::npos);
  }
  {
    RunOptions ro;
    ro.precision = 256;
    const Certificate c = run_config(config_from_text(config("0.6880675868292")), ro);
    const Claim cl = claim_of(c);
    CHECK(cl.verdict == Status::proved);
    CHECK(cl.statement == blowup_statement(BlowupStatus::no_blowup_on_horizon));
  }
  {
    // binary64 cannot decide 4.4e-13 before t*: nothing is claimed, and the statement says so
    const Certificate c = run_config(config_from_text(config("0.6880675868292")));
    const Claim cl = claim_of(c);
    CHECK(cl.verdict == Status::unknown);
    CHECK(cl.statement == blowup_statement(BlowupStatus::unknown));
  }
}

TEST_CASE("gaussian.blowup kind: claims on blowup_time are decided or unknown whatever the outcome (never exit 65)") {
  using namespace certiformer::cert;
  auto config = [](const std::string& h, const std::string& claims) {
    return std::string(R"({"kind": "gaussian.blowup", "model": {"dim": 3, "beta": "1",
      "W": [["-0.22","0.9","0.16"],["-0.8","-0.00","-0.03"],["0.09","0.17","-0.24"]],
      "heads": [{"V": [["1","0","0"],["0","1","0"],["0","0","1"]],
                 "B": [["-0.94","0.67","-0.13"],["0.52","-1.00","-0.11"],["0.44","-0.54","0.89"]]}]},
      "initial": {"mean": [0,0,0], "cov": [["49/100","-7/20","-7/20"],["-7/20","1/2","1/2"],["-7/20","1/2","131/100"]]},
      "horizon": ")") + h + "\", \"claims\": " + claims + "}";
  };
  auto verdict = [](const Certificate& c, const std::string& id) {
    for (const auto& cl : c.claims)
      if (cl.id == id) return cl;
    FAIL("no claim " << id);
    return Claim{};
  };
  const std::string claims = R"([{"id": "early", "quantity": "blowup_time", "op": "<=", "value": "0.4"},
                                  {"id": "late", "quantity": "blowup_time", "op": ">=", "value": "0.5"}])";
  {  // horizon 0.5 < t* ≈ 0.688: Σ bounded on [0, 0.5], so t* ≥ 0.5 — decided from the half-line
    const Certificate c = run_config(config_from_text(config("0.5", claims)));
    CHECK(verdict(c, "gaussian-blowup").statement == blowup_statement(BlowupStatus::no_blowup_on_horizon));
    CHECK(verdict(c, "early").verdict == Status::refuted);
    CHECK(verdict(c, "late").verdict == Status::proved);
  }
  {  // binary64 cannot decide the audit horizon: blowup_time is not produced, the claims are unknown
    const Certificate c = run_config(config_from_text(config("0.6880675868292", claims)));
    CHECK(verdict(c, "gaussian-blowup").verdict == Status::unknown);
    const Claim e = verdict(c, "early");
    CHECK(e.verdict == Status::unknown);
    CHECK(e.reason.find("was not produced by this run") != std::string::npos);
  }
  {  // horizon past t*: a bracket; both claims decided by it
    const Certificate c = run_config(config_from_text(config("0.7", claims)));
    CHECK(verdict(c, "early").verdict == Status::refuted);
    CHECK(verdict(c, "late").verdict == Status::proved);
  }
  // a name the kind never produces is still a config error
  CHECK_THROWS_AS(run_config(config_from_text(config("0.5", R"([{"id": "x", "quantity": "blowup_tme", "op": "<=", "value": "1"}])"))),
                  ConfigError);
}
