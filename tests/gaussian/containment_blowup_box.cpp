// Parameter boxes for the blow-up time (issue 16 §1): certify_blowup_time_box's statement must
// hold at every exact point of the box. Scalar model (d = 1): σ' = 2wσ + 2cσ², c = β v b, with
// the closed form t* = ln(1 + w/(cσ0))/(2w) (1/(2cσ0) at w = 0; no blow-up when w + cσ0 ≤ 0)
// evaluated at 256 bits as the oracle; and the point run (certify_blowup_time at that point)
// never contradicts the box verdict. A 2-D box (W = [w1, w2] diagonal, exact V = I) is checked
// against point runs.
#include <doctest/doctest.h>

#include "gaussian_test_util.hpp"

#include <random>

using namespace certiformer;
using namespace certiformer::gaussian;
using namespace certiformer::gaussian::test;

namespace {

Rational q(long n, long d) { return Rational(n) / Rational(d); }

struct ScalarBox {
  RationalInterval beta, w, v, b, s0, h;
};

BlowupBox make_box(const ScalarBox& s) {
  BlowupBox box;
  for (ModelSpec* m : {&box.model.lo, &box.model.hi}) {
    const bool lo = m == &box.model.lo;
    auto pick = [lo](const RationalInterval& x) { return lo ? x.lo : x.hi; };
    m->dim = 1;
    m->beta = pick(s.beta);
    m->W = RMatrix(1, 1);
    m->W(0, 0) = pick(s.w);
    HeadSpec h{RMatrix(1, 1), RMatrix(1, 1)};
    h.V(0, 0) = pick(s.v);
    h.B(0, 0) = pick(s.b);
    m->heads = {h};
  }
  box.initial.lo = box.initial.hi = scalar_gaussian("1");
  box.initial.lo.cov(0, 0) = s.s0.lo;
  box.initial.hi.cov(0, 0) = s.s0.hi;
  box.horizon = s.h;
  return box;
}

/// A random exact point of [lo, hi] (k/997 of the way, k = 0..997, ends included).
Rational point_in(const RationalInterval& x, std::mt19937_64& g) {
  const long k = static_cast<long>(g() % 998);
  return x.lo + (x.hi - x.lo) * q(k, 997);
}

/// 256-bit closed form of t*, or nothing when there is no blow-up (c > 0 assumed).
std::optional<MpInterval> closed_form(const Rational& beta, const Rational& w, const Rational& v, const Rational& b,
                                      const Rational& s0) {
  const Rational c = beta * v * b;
  if (!(c > 0) || w + c * s0 <= 0) return std::nullopt;
  if (w == 0) return enclose_mp(Rational(1) / (2 * c * s0));
  const MpInterval x = enclose_mp(w / (c * s0));
  return log1p(x) / (MpInterval(2) * enclose_mp(w));
}

}  // namespace

TEST_CASE("blow-up time over scalar parameter boxes contains the closed form at random exact points") {
  MpPrecisionScope scope(certiformer::test::kOracleBits);
  auto g = certiformer::test::rng(16016);
  const long n_boxes = certiformer::test::trials(24);
  int n_blowup = 0, n_bounded = 0, n_unknown = 0;
  for (long k = 0; k < n_boxes; ++k) {
    ScalarBox s;
    const long b0 = 4 + static_cast<long>(g() % 13);        // β0 ∈ [0.5, 2] in steps of 1/8
    const long w0 = -8 + static_cast<long>(g() % 17);       // w0 ∈ [−0.5, 0.5] in steps of 1/16
    const long widths[] = {1, 4, 16};                        // widths 1/64, 1/16, 1/4
    const long wb = widths[g() % 3], ww = widths[g() % 3];
    s.beta = {q(b0, 8), q(b0, 8) + q(wb, 64)};
    s.w = {q(w0, 16), q(w0, 16) + q(ww, 64)};
    // every third box: w ≤ −β − 1, so w + cσ0 < 0 on the whole box (no blow-up at all)
    if (k % 3 == 2) s.w = {-q(b0, 8) - 1 - q(ww, 64), -q(b0, 8) - 1};
    s.v = (k % 2) ? RationalInterval{1, 1} : RationalInterval{1, 1 + q(1, 32)};
    s.b = (k % 3) ? RationalInterval{1, 1} : RationalInterval{q(9, 10), 1};
    s.s0 = (k % 4) ? RationalInterval{1, 1} : RationalInterval{1, q(11, 10)};
    // Horizon 3 or the box [2.5, 3.5]: some boxes straddle the horizon, some blow up before it.
    s.h = (k % 5 == 0) ? RationalInterval{q(5, 2), q(7, 2)} : RationalInterval{3, 3};
    const BlowupBox box = make_box(s);
    const auto r = certify_blowup_time_box<Interval>(box);
    INFO("box ", k, ": beta ", exact_text(s.beta), " w ", exact_text(s.w), " v ", exact_text(s.v), " b ",
         exact_text(s.b), " s0 ", exact_text(s.s0), " H ", exact_text(s.h), " -> ", std::string(to_string(r.status)),
         " ", to_string(r.blowup_time), " (", r.verdict.reason(), ")");
    if (r.status == BlowupStatus::blowup) ++n_blowup;
    else if (r.status == BlowupStatus::no_blowup_on_horizon) ++n_bounded;
    else ++n_unknown;
    CHECK(r.status != BlowupStatus::blowup_lower_bound_only);
    for (int p = 0; p < 6; ++p) {
      const Rational beta = point_in(s.beta, g), w = point_in(s.w, g), v = point_in(s.v, g), b = point_in(s.b, g),
                     s0 = point_in(s.s0, g), H = point_in(s.h, g);
      const auto t = closed_form(beta, w, v, b, s0);
      INFO("point beta=", exact_text(beta), " w=", exact_text(w), " v=", exact_text(v), " b=", exact_text(b),
           " s0=", exact_text(s0), " H=", exact_text(H), " t*=", t ? to_string(*t) : std::string("none"));
      if (r.status == BlowupStatus::blowup) {
        REQUIRE(t.has_value());
        CHECK(subset(*t, MpInterval(r.blowup_time)));
        CHECK(certainly_less_equal(*t, enclose_mp(H)));
      } else if (r.status == BlowupStatus::no_blowup_on_horizon) {
        if (t) CHECK(certainly_greater(*t, enclose_mp(H)));
      }
      // The point run never contradicts the box verdict.
      ModelSpec m = box.model.lo;
      m.beta = beta;
      m.W(0, 0) = w;
      m.heads[0].V(0, 0) = v;
      m.heads[0].B(0, 0) = b;
      const auto pr = certify_blowup_time<Interval>(m, scalar_gaussian(exact_text(s0)), H);
      if (r.status == BlowupStatus::blowup) {
        CHECK(pr.status != BlowupStatus::no_blowup_on_horizon);
        if (pr.status == BlowupStatus::blowup) CHECK_FALSE(disjoint(pr.blowup_time, r.blowup_time));
      }
      if (r.status == BlowupStatus::no_blowup_on_horizon) CHECK(pr.status != BlowupStatus::blowup);
    }
  }
  MESSAGE("boxes: ", n_blowup, " blowup, ", n_bounded, " bounded on the horizon, ", n_unknown, " unknown");
  CHECK(n_blowup > 0);
  CHECK(n_bounded > 0);
}

TEST_CASE("2-D box: W = diag([w1], [w2]) and the point runs agree with the box verdict") {
  auto g = certiformer::test::rng(16017);
  BlowupBox box;
  for (ModelSpec* m : {&box.model.lo, &box.model.hi}) {
    m->dim = 2;
    m->beta = 1;
    m->W = RMatrix(2, 2);
    m->heads = {{RMatrix::identity(2), RMatrix::from_text({{"1", "0.5"}, {"-0.3", "0.8"}})}};
  }
  box.model.lo.W(0, 0) = q(-1, 4);
  box.model.hi.W(0, 0) = q(-1, 8);
  box.model.lo.W(1, 1) = q(1, 10);
  box.model.hi.W(1, 1) = q(1, 5);
  box.initial.lo = make_gaussian({{"1", "0.1"}, {"0.1", "1"}});
  box.initial.hi = make_gaussian({{"1.1", "0.1"}, {"0.1", "1.1"}});
  box.horizon = {10, 10};
  const auto r = certify_blowup_time_box<Interval>(box);
  INFO(std::string(to_string(r.status)), " ", to_string(r.blowup_time), " ", r.verdict.reason());
  REQUIRE(r.status == BlowupStatus::blowup);
  for (int p = 0; p < certiformer::test::trials(6); ++p) {
    ModelSpec m = box.model.lo;
    m.W(0, 0) = point_in({box.model.lo.W(0, 0), box.model.hi.W(0, 0)}, g);
    m.W(1, 1) = point_in({box.model.lo.W(1, 1), box.model.hi.W(1, 1)}, g);
    GaussianSpec s0 = box.initial.lo;
    s0.cov(0, 0) = point_in({q(1, 1), q(11, 10)}, g);
    s0.cov(1, 1) = point_in({q(1, 1), q(11, 10)}, g);
    const auto pr = certify_blowup_time<Interval>(m, s0, 10);
    INFO("point W = diag(", exact_text(m.W(0, 0)), ", ", exact_text(m.W(1, 1)), "): ", to_string(pr.blowup_time));
    REQUIRE(pr.status == BlowupStatus::blowup);
    // the point bracket (t_lo, t_hi] lies inside the box bracket (both contain the point's t*,
    // and the point's is ~1e-12 wide)
    CHECK_FALSE(disjoint(pr.blowup_time, r.blowup_time));
    CHECK(pr.t_hi > r.t_lo);
    CHECK(pr.t_lo < r.t_hi);
  }
}

TEST_CASE("parameter boxes that cannot be handled are refused naming the field") {
  BlowupBox box;
  for (ModelSpec* m : {&box.model.lo, &box.model.hi}) {
    m->dim = 2;
    m->beta = 1;
    m->heads = {{RMatrix::identity(2), RMatrix::identity(2)}};
  }
  box.model.hi.heads[0].V(1, 1) = q(11, 10);  // diag(1, [1, 1.1]) is not v I for every member
  box.initial.lo = box.initial.hi = make_gaussian({{"1", "0"}, {"0", "1"}});
  box.horizon = {1, 1};
  try {
    certify_blowup_time_box<Interval>(box);
    FAIL("expected SpecError");
  } catch (const SpecError& e) {
    CHECK(e.field() == "model.heads[0].V");
  }
  box.model.hi.heads[0].V(1, 1) = 1;
  box.initial.hi.cov(0, 1) = q(1, 10);  // not symmetric: (0, 1) and (1, 0) are one coordinate
  CHECK_THROWS_AS(certify_blowup_time_box<Interval>(box), SpecError);
  box.initial.hi.cov(1, 0) = q(1, 10);
  box.initial.lo.cov(0, 0) = q(-1, 1);  // a box holding non-SPD covariances: unknown, nothing claimed
  const auto r = certify_blowup_time_box<Interval>(box);
  CHECK(r.status == BlowupStatus::unknown);
  CHECK(!r.verdict.is_proved());
}
