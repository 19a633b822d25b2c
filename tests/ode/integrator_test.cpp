// Taylor–Lohner integrator: containment against closed forms and 256/512-bit oracles,
// reversibility, breakpoints, and every failure path.
#include "certiformer/core.hpp"
#include "certiformer/linalg.hpp"
#include "certiformer/ode.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

using namespace certiformer;
using namespace certiformer::ode;

namespace {

template <class T> T num(const char* s) { return from_text<T>(s); }
template <class T> Vec<T> vec(std::initializer_list<const char*> xs) {
  Vec<T> v(static_cast<Eigen::Index>(xs.size()));
  Eigen::Index i = 0;
  for (auto s : xs) v(i++) = from_text<T>(s);
  return v;
}
/// x ⊆ y componentwise, oracle x (tight) inside the result y.
template <class O, class T> bool inside(const O& oracle, const T& y) { return subset(oracle, y); }
double dmid(const MpInterval& x) { return static_cast<double>(mid(x)); }

// Riccati closed form at 256 bits: σ(t) = σ0 e^{2wt}/(1 − (cσ0/w)(e^{2wt} − 1)) (w ≠ 0),
// σ0/(1 − 2cσ0 t) (w = 0).
MpInterval riccati_exact(const char* w, const char* c, const char* s0, const MpInterval& t) {
  const MpInterval W = num<MpInterval>(w), C = num<MpInterval>(c), S0 = num<MpInterval>(s0);
  if (is_point(W) && is_member(0.0, W)) return S0 / (MpInterval(1) - MpInterval(2) * C * S0 * t);
  const MpInterval e = exp(MpInterval(2) * W * t);
  return S0 * e / (MpInterval(1) - (C * S0 / W) * (e - MpInterval(1)));
}
MpInterval riccati_tstar(const char* w, const char* c, const char* s0) {
  const MpInterval W = num<MpInterval>(w), C = num<MpInterval>(c), S0 = num<MpInterval>(s0);
  if (is_point(W) && is_member(0.0, W)) return MpInterval(1) / (MpInterval(2) * C * S0);
  return log(MpInterval(1) + W / (C * S0)) / (MpInterval(2) * W);
}

struct OneOverX {  // x' = 1/x: leaves its domain when the box contains 0
  Eigen::Index dimension() const { return 1; }
  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const { dx(0) = S(1) / x(0); }
};
struct Oscillator {  // x' = y, y' = −x
  Eigen::Index dimension() const { return 2; }
  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    dx(0) = x(1);
    dx(1) = -x(0);
  }
};
/// x' = a_i on the piece i of the breakpoints {1/2, 1}: a = (1, −2, 3) — x is piecewise linear.
struct PiecewiseSlope {
  Eigen::Index dimension() const { return 1; }
  std::vector<double> breakpoints() const { return {0.5, 1.0}; }
  template <class S> void operator()(const S& t, const Vec<S>& x, Vec<S>& dx) const {
    static const int a[] = {1, -2, 3};
    const std::size_t i = select_piece_for(breakpoints(), t);
    dx(0) = lift<S>(a[i]) + x(0) * lift<S>(0);
  }
};

}  // namespace

TEST_CASE_TEMPLATE("flow of x' = x encloses e^t at output times (containment)", T, Interval, MpInterval) {
  LinearField<T> f(Mat<T>::Constant(1, 1, T(1)));
  Vec<T> x0(1);
  x0(0) = T(1);
  TaylorOptions opt;
  auto r = enclose_flow<T>(f, 0.0, x0, 1.0, opt, {0.25, 0.5});
  REQUIRE(r.verdict.is_proved());
  REQUIRE(r.times.size() == 3);
  MpPrecisionScope hi(512);
  for (std::size_t i = 0; i < 3; ++i) {
    const MpInterval e = exp(MpInterval(r.times[i]));
    CHECK(inside(e, r.at[i](0)));
  }
  if constexpr (std::is_same_v<T, Interval>) {
    CHECK(wid(r.enclosure(0)) < 1e-14);
  } else {
    CHECK(wid(r.enclosure(0)) < MpReal("1e-70"));
  }
  CHECK(r.t_reached == 1.0);
  CHECK(!r.steps.empty());
}

TEST_CASE_TEMPLATE("linear 3x3 system vs the verified matrix exponential (random boxes)", T, Interval, MpInterval) {
  // A = [[-1/2, 2, 0], [-2, -1/2, 1/10], [1/3, 0, -1]] (rotation + damping + coupling)
  Mat<T> A(3, 3);
  A << num<T>("-1/2"), T(2), T(0), T(-2), num<T>("-1/2"), num<T>("1/10"), num<T>("1/3"), T(0), T(-1);
  LinearField<T> f(A);
  auto g = test::rng(31);
  std::uniform_real_distribution<double> U(-2, 2);
  const long n = test::trials(3);
  for (long trial = 0; trial < n; ++trial) {
    Vec<T> c(3);
    for (int i = 0; i < 3; ++i) c(i) = T(std::ldexp(std::round(std::ldexp(U(g), 20)), -20));
    const double rho = trial == 0 ? 0.0 : std::ldexp(1.0, -20);
    Vec<T> X0 = c;
    for (int i = 0; i < 3; ++i) X0(i) = c(i) + T(-rho, rho);
    const double tend = 2.0;
    auto r = enclose_flow<T>(f, 0.0, X0, tend);
    REQUIRE(r.verdict.is_proved());
    // Oracle: e^{A T} x at 512 bits for the center and the corners of X0.
    MpPrecisionScope hi(512);
    Mat<MpInterval> Am(3, 3);
    Am << num<MpInterval>("-1/2"), MpInterval(2), MpInterval(0), MpInterval(-2), num<MpInterval>("-1/2"),
        num<MpInterval>("1/10"), num<MpInterval>("1/3"), MpInterval(0), MpInterval(-1);
    const Mat<MpInterval> E = linalg::enclose_expm<MpInterval>(Am * MpInterval(tend));
    for (int corner = 0; corner < (rho > 0 ? 9 : 1); ++corner) {
      Vec<MpInterval> x(3);
      for (int i = 0; i < 3; ++i) {
        double v = 0;
        if constexpr (std::is_same_v<T, Interval>) v = mid(c(i));
        else v = static_cast<double>(mid(c(i)));
        if (corner < 8) v += ((corner >> i) & 1) ? rho : -rho;
        x(i) = MpInterval(v);
      }
      const Vec<MpInterval> y = linalg::mul(E, x);
      for (int i = 0; i < 3; ++i) {
        const bool ok = inside(y(i), r.enclosure(i));
        if (!ok) MESSAGE("trial " << trial << " corner " << corner << " component " << i << ": " << to_string(r.enclosure(i)));
        CHECK(ok);
      }
    }
    if (rho == 0) {
      if constexpr (std::is_same_v<T, Interval>) CHECK(wid(r.enclosure(0)) < 1e-13);
    }
  }
}

TEST_CASE_TEMPLATE("Riccati sigma' = 2w sigma + 2c sigma^2 vs closed form, and blow-up lower bounds", T, Interval,
                   MpInterval) {
  struct Case { const char *w, *c, *s0; bool blowup; };
  const Case cases[] = {{"0.5", "1", "1", true}, {"-0.5", "1", "1", true}, {"0", "1", "2", true},
                        {"0.5", "-1", "0.2", false}};
  for (const auto& cs : cases) {
    const std::string wname = std::string("w=") + cs.w + " c=" + cs.c + " s0=" + cs.s0;
    CAPTURE(wname);
    std::optional<MpPrecisionScope> lo;
    if constexpr (!std::is_same_v<T, Interval>) lo.emplace(128);
    RiccatiField<T> f{num<T>(cs.w), num<T>(cs.c)};
    Vec<T> x0(1);
    x0(0) = num<T>(cs.s0);
    double tstar_d = 5.0;
    if (cs.blowup) tstar_d = dmid(riccati_tstar(cs.w, cs.c, cs.s0));
    // outputs at fractions of t* (or of 5)
    std::vector<double> outs;
    for (double q : {0.25, 0.5, 0.75, 0.9, 0.99}) outs.push_back(q * tstar_d);
    TaylorOptions opt;
    auto r = enclose_flow<T>(f, 0.0, x0, cs.blowup ? 2 * tstar_d : 5.0, opt, outs);
    REQUIRE(r.times.size() >= outs.size());
    {
      MpPrecisionScope hi(512);
      for (std::size_t i = 0; i < outs.size(); ++i) {
        const MpInterval ex = riccati_exact(cs.w, cs.c, cs.s0, MpInterval(r.times[i]));
        const bool ok = inside(ex, r.at[i](0));
        if (!ok) MESSAGE("t = " << r.times[i] << " exact " << to_string(ex, 20) << " got " << to_string(r.at[i](0)));
        CHECK(ok);
      }
    }
    if (cs.blowup) {
      // Partial result: a certified lower bound on the blow-up time t*.
      CHECK(r.verdict.is_unknown());
      MpPrecisionScope hi(512);
      const MpInterval ts = riccati_tstar(cs.w, cs.c, cs.s0);
      CHECK(certainly_less(MpInterval(r.t_reached), ts));
      CHECK(r.t_reached > 0.999 * tstar_d);  // and it gets close
      MESSAGE("t* = " << to_string(ts, 17) << ", certified lower bound " << r.t_reached);
    } else {
      CHECK(r.verdict.is_proved());
      // σ → 1/2 (stable equilibrium −w/c = 1/2)
      CHECK(possibly_less(r.enclosure(0), T(1)));
    }
  }
}

TEST_CASE_TEMPLATE("time-dependent field x' = -x + sin(omega t) vs closed form", T, Interval, MpInterval) {
  ForcedField<T> f{num<T>("3/2")};
  Vec<T> x0(1);
  x0(0) = num<T>("1/3");
  auto r = enclose_flow<T>(f, 0.0, x0, 3.0, {}, {1.0, 2.0});
  REQUIRE(r.verdict.is_proved());
  MpPrecisionScope hi(512);
  const MpInterval w = num<MpInterval>("3/2"), a = num<MpInterval>("1/3");
  for (std::size_t i = 0; i < r.times.size(); ++i) {
    const MpInterval t(r.times[i]);
    // x(t) = x0 e^{−t} + (sin ωt − ω cos ωt + ω e^{−t})/(1 + ω²)
    const MpInterval ex = a * exp(-t) + (sin(w * t) - w * cos(w * t) + w * exp(-t)) / (MpInterval(1) + w * w);
    CHECK(inside(ex, r.at[i](0)));
  }
  if constexpr (std::is_same_v<T, Interval>) CHECK(wid(r.enclosure(0)) < 1e-14);
}

TEST_CASE_TEMPLATE("reversibility: Lorenz forward to T = 1 then backward encloses the start", T, Interval, MpInterval) {
  std::optional<MpPrecisionScope> lo;
  if constexpr (!std::is_same_v<T, Interval>) lo.emplace(128);
  const auto f = LorenzField<T>::classical();
  Vec<T> x0(3);
  x0 << T(15), T(15), T(36);
  auto fw = enclose_flow<T>(f, 0.0, x0, 1.0);
  REQUIRE(fw.verdict.is_proved());
  auto bw = enclose_flow<T>(f, 1.0, fw.enclosure, 0.0);
  REQUIRE(bw.verdict.is_proved());
  CHECK(bw.t_reached == 0.0);
  for (int i = 0; i < 3; ++i) CHECK(subset(x0(i), bw.enclosure(i)));
  if constexpr (std::is_same_v<T, Interval>) {
    CHECK(wid(fw.enclosure(0)) < 1e-10);
    CHECK(wid(bw.enclosure(0)) < 1e-4);
  }
}

TEST_CASE("Lorenz: binary64 enclosure contains the 256-bit enclosure (consistency)") {
  const auto f = LorenzField<Interval>::classical();
  Vec<Interval> x0(3);
  x0 << Interval(15), Interval(15), Interval(36);
  auto r = enclose_flow<Interval>(f, 0.0, x0, 1.0, {}, {0.5});
  REQUIRE(r.verdict.is_proved());
  MpPrecisionScope hi(256);
  const auto fm = LorenzField<MpInterval>::classical();
  Vec<MpInterval> y0(3);
  y0 << MpInterval(15), MpInterval(15), MpInterval(36);
  auto m = enclose_flow<MpInterval>(fm, 0.0, y0, 1.0, {}, {0.5});
  REQUIRE(m.verdict.is_proved());
  for (std::size_t k = 0; k < 2; ++k)
    for (int i = 0; i < 3; ++i) {
      CHECK(subset(m.at[k](i), r.at[k](i)));
      CHECK(wid(m.at[k](i)) < MpReal("1e-50"));
    }
}

TEST_CASE("wrapping: QR beats the plain box on a rotation; all modes contain the truth") {
  Oscillator f;
  Vec<Interval> x0(2);
  x0 << Interval(1 - 0x1p-20, 1 + 0x1p-20), Interval(-0x1p-20, 0x1p-20);
  const double tend = 20.0;
  double widths[3];
  int k = 0;
  for (Wrapping w : {Wrapping::box, Wrapping::mean_value, Wrapping::qr}) {
    TaylorOptions opt;
    opt.wrapping = w;
    auto r = enclose_flow<Interval>(f, 0.0, x0, tend, opt);
    REQUIRE(r.verdict.is_proved());
    MpPrecisionScope hi(256);
    // exact: (cos T, −sin T) for the center; the set is a rotated box of radius 2^-20
    const MpInterval T(tend);
    CHECK(subset(cos(T), r.enclosure(0)));
    CHECK(subset(-sin(T), r.enclosure(1)));
    widths[k++] = wid(r.enclosure(0));
     MESSAGE(std::string(to_string(w)) << ": width " << wid(r.enclosure(0)));
  }
  CHECK(widths[2] < 1e-5);           // rotated box of radius 2^-20 stays ≈ 2·2^-20·√2 wide
  CHECK(widths[0] > 10 * widths[2]);  // the box grows by the wrapping effect
}

TEST_CASE("breakpoints: piecewise-constant field, forward and backward") {
  PiecewiseSlope f;
  Vec<Interval> x0(1);
  x0(0) = Interval(0);
  auto r = enclose_flow<Interval>(f, 0.0, x0, 2.0, {}, {0.75});
  REQUIRE(r.verdict.is_proved());
  // x(0.75) = 0.5 − 2·0.25 = 0; x(2) = 0.5 − 1 + 3 = 2.5
  CHECK(subset(Interval(0), r.at[0](0)));
  CHECK(subset(Interval(2.5), r.enclosure(0)));
  CHECK(wid(r.enclosure(0)) < 1e-14);
  for (const auto& s : r.steps) {
    const double lo = std::min(s.t0, s.t1), hi = std::max(s.t0, s.t1);
    CHECK(!(lo < 0.5 && 0.5 < hi));
    CHECK(!(lo < 1.0 && 1.0 < hi));
  }
  auto b = enclose_flow<Interval>(f, 2.0, r.enclosure, 0.0);
  REQUIRE(b.verdict.is_proved());
  CHECK(subset(Interval(0), b.enclosure(0)));
  CHECK(wid(b.enclosure(0)) < 1e-13);
}

TEST_CASE("tube: every step's tube contains the exact solution of x' = x at sampled times") {
  LinearField<Interval> f(Mat<Interval>::Constant(1, 1, Interval(1)));
  Vec<Interval> x0(1);
  x0(0) = Interval(1);
  auto r = enclose_flow<Interval>(f, 0.0, x0, 2.0);
  REQUIRE(r.verdict.is_proved());
  MpPrecisionScope hi(256);
  for (const auto& s : r.steps) {
    for (double q : {0.0, 0.3, 0.7, 1.0}) {
      const double t = s.t0 + q * (s.t1 - s.t0);
      CHECK(subset(exp(MpInterval(t)), s.tube(0)));
    }
    CHECK(subset(exp(MpInterval(s.t1)), s.end(0)));
  }
}

TEST_CASE("failure paths return a verdict with a reason, never an exception") {
  SUBCASE("Picard: the field leaves its domain (division by a box containing 0)") {
    Vec<Interval> X(1);
    X(0) = Interval(-1, 1);
    auto a = enclose_apriori<Interval>(OneOverX{}, 0.0, X, 0.1, 1);
    CHECK(a.verdict.is_unknown());
    CHECK(a.verdict.reason().find("field evaluation failed") != std::string::npos);
    auto r = enclose_flow<Interval>(OneOverX{}, 0.0, X, 1.0);
    CHECK(r.verdict.is_unknown());
    CHECK(r.t_reached == 0.0);
    CHECK(subset(X(0), r.enclosure(0)));
  }
  SUBCASE("Picard: no inclusion for a step beyond the blow-up time, no shrinking allowed") {
    RiccatiField<Interval> f{Interval(0), Interval(1)};  // σ' = 2σ², σ0 = 1: t* = 1/2
    Vec<Interval> X(1);
    X(0) = Interval(1);
    AprioriOptions o;
    o.max_shrinks = 0;
    auto a = enclose_apriori<Interval>(f, 0.0, X, 2.0, 1, o);
    CHECK(a.verdict.is_unknown());
    const bool why = a.verdict.reason().find("no inclusion") != std::string::npos ||
                     a.verdict.reason().find("unbounded") != std::string::npos;
    CHECK_MESSAGE(why, a.verdict.reason());
    o.retries = 1;  // a single inclusion test: fails as "no inclusion"
    auto a1 = enclose_apriori<Interval>(f, 0.0, X, 2.0, 1, o);
    CHECK(a1.verdict.is_unknown());
    CHECK(a1.verdict.reason().find("no inclusion") != std::string::npos);
    o.retries = 8;
    o.max_shrinks = 30;
    auto b = enclose_apriori<Interval>(f, 0.0, X, 2.0, 1, o);
    CHECK(b.verdict.is_proved());
    CHECK(b.h < 0.5);
    CHECK(certainly_less(b.Z(0), Interval(1e6)));
    o.h_min = 1.5;
    auto c = enclose_apriori<Interval>(f, 0.0, X, 2.0, 1, o);
    CHECK(c.verdict.is_unknown());
  }
  SUBCASE("Picard: invalid step size") {
    Vec<Interval> X(1);
    X(0) = Interval(1);
    CHECK(enclose_apriori<Interval>(OneOverX{}, 0.0, X, 0.0, 1).verdict.is_unknown());
    CHECK(enclose_apriori<Interval>(OneOverX{}, 0.0, X, std::nan(""), 1).verdict.is_unknown());
  }
  SUBCASE("Picard: unbounded trial box") {
    Vec<Interval> X(1);
    X(0) = Interval(1, std::numeric_limits<double>::max());
    AprioriOptions o;
    o.max_shrinks = 0;
    auto a = enclose_apriori<Interval>(RiccatiField<Interval>{Interval(0), Interval(1)}, 0.0, X, 1.0, 1, o);
    CHECK(a.verdict.is_unknown());
  }
  SUBCASE("integrator: maximum number of steps") {
    TaylorOptions o;
    o.max_steps = 2;
    auto r = enclose_flow<Interval>(LorenzField<Interval>::classical(), 0.0, vec<Interval>({"15", "15", "36"}), 1.0, o);
    CHECK(r.verdict.is_unknown());
    CHECK(r.step_count == 2);
    CHECK(r.t_reached > 0.0);
    CHECK(r.verdict.reason().find("maximum number of steps") != std::string::npos);
  }
  SUBCASE("integrator: h_min too large") {
    TaylorOptions o;
    o.h_min = 0.5;
    auto r = enclose_flow<Interval>(LorenzField<Interval>::classical(), 0.0, vec<Interval>({"15", "15", "36"}), 1.0, o);
    CHECK(r.verdict.is_unknown());
    CHECK(r.t_reached == 0.0);
  }
  SUBCASE("integrator: unbounded initial set") {
    Vec<Interval> X(1);
    X(0) = Interval::entire();
    auto r = enclose_flow<Interval>(RiccatiField<Interval>{Interval(0), Interval(1)}, 0.0, X, 1.0);
    CHECK(r.verdict.is_unknown());
  }
  SUBCASE("integrator: misuse throws") {
    Vec<Interval> X(2);
    X << Interval(1), Interval(1);
    CHECK_THROWS_AS(enclose_flow<Interval>(RiccatiField<Interval>{Interval(0), Interval(1)}, 0.0, X, 1.0),
                    std::invalid_argument);
  }
}
