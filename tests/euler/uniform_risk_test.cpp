// tests/euler — the uniform risk bound over a parameter box by covering numbers (euler/uniform_risk.hpp,
// docs/euler.md §11): the covering number against brute-force counting with exact rationals, the
// deviation formula against a 256-bit evaluation, the minimisation over r, monotonicity in N and δ,
// the Lipschitz constant Λ against a closed form (f = w x + b) and against 256-bit finite
// differences sampled in the box (attention model, through the euler.error kind), bad input; the
// bound at a configured covering radius, and `check` re-deriving the bound at the certificate's
// own radius.
#include "certiformer/cert.hpp"
#include "certiformer/euler.hpp"
#include "config_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

namespace {
/// The minimal number of closed intervals of length 2r that cover [a, b] (greedy, optimal in 1-D),
/// in exact rational arithmetic.
long greedy_cover_count(const Rational& a, const Rational& b, const Rational& r) {
  long count = 0;
  Rational x = a;  // [a, x] is covered
  do {
    ++count;
    x += 2 * r;
  } while (x < b);
  return count;
}
template <class T> std::vector<T> box_from(const std::vector<std::pair<const char*, const char*>>& ends) {
  std::vector<T> box;
  for (const auto& [lo, hi] : ends) box.push_back(convex_hull(from_text<T>(lo), from_text<T>(hi)));
  return box;
}
}  // namespace

TEST_CASE_TEMPLATE("covering number: per-coordinate grid sizes against brute-force covers and packings", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  struct Case {
    std::vector<std::pair<const char*, const char*>> box;
    double r;
  };
  const std::vector<Case> cases = {
      {{{"0", "1"}}, 0.25},                                   // w/(2r) = 2 exactly
      {{{"0", "1"}, {"0", "0.5"}}, 0.1},                      // 4.99…, 2.49… (r = 0.1 as a double)
      {{{"0", "3"}}, 0.375},                                  // 4 exactly
      {{{"0", "3"}}, 0.4},                                    // 3.75 → 4
      {{{"-0.55", "-0.45"}, {"-0.35", "-0.25"}, {"0.95", "1.05"}}, 0.013},
      {{{"-1", "2"}, {"0.125", "0.25"}, {"5", "5"}}, 0.0625},  // 24, 1, and a point coordinate (w = 0 → 1)
      {{{"0", "1"}, {"0", "2"}}, 10.0},                       // r beyond the box: one cell
      {{{"0", "0.3"}}, 0x1p-20},                              // many cells
  };
  for (const auto& cs : cases) {
    const std::vector<T> box = box_from<T>(cs.box);
    const std::vector<double> m = covering_grid_sizes<T>(box, cs.r);
    REQUIRE(m.size() == box.size());
    const Rational r(cs.r);
    Rational log_arg = 1;
    for (std::size_t j = 0; j < box.size(); ++j) {
      const Rational a = parse_exact(cs.box[j].first), b = parse_exact(cs.box[j].second), w = b - a;
      const long greedy = greedy_cover_count(a, b, r);
      INFO("coordinate " << j << " [" << cs.box[j].first << ", " << cs.box[j].second << "], r = " << cs.r);
      // brute-force upper side: the m_j cell centres cover a fine lattice of [a, b] within r
      // (in ℓ∞ every coordinate is covered independently; the product of the coordinate covers
      // covers the box)
      const long mj = static_cast<long>(m[j]);
      CHECK(static_cast<double>(mj) == m[j]);
      if (mj <= 4096) {
        const long K = 4 * mj + 3;
        for (long i = 0; i <= K; ++i) {
          const Rational p = a + w * i / K;
          bool covered = false;
          for (long k = 0; k < mj && !covered; ++k) {
            const Rational c = a + w * (2 * k + 1) / (2 * mj);
            covered = abs(p - c) <= r;
          }
          CHECK(covered);
        }
      }
      // brute-force lower side: `greedy` points with spacing > 2r exist (a packing: no ball of
      // radius r holds two), so the minimal cover of the coordinate has exactly `greedy` cells
      if (greedy >= 2 && greedy <= 4096) {
        const Rational spacing = w / (greedy - 1);
        CHECK(spacing > 2 * r);
      }
      // the formula is that minimum, rounded up by at most one cell where w/(2r) is an integer
      // in exact arithmetic that the enclosure of w cannot separate
      CHECK(mj >= greedy);
      CHECK(mj <= greedy + 1);
      const Rational q = w / (2 * r);
      const Rational frac = q - Rational(static_cast<long>(static_cast<double>(q)));
      if (frac > Rational(1, 1000) && frac < Rational(999, 1000)) CHECK(mj == greedy);
      log_arg *= mj;
    }
    // log N: Σ log m_j, an upper bound of the log of the product, tight
    const MpInterval logN = log(enclose<MpInterval>(log_arg));
    const real_t<T> lb = upper_bound_log_covering_number<T>(box, cs.r);
    CHECK(MpReal(lb) >= inf(logN));
    CHECK(static_cast<double>(lb) <= static_cast<double>(sup(logN)) * (1 + 1e-14) + 1e-300);
  }
  // a 2-D product brute force: every lattice point of the box is within r (ℓ∞) of a centre of the grid
  const std::vector<T> box2 = box_from<T>({{"0", "1"}, {"0", "0.75"}});
  const double r2 = 0.15;  // 3.33… → 4 and 2.5 → 3
  const std::vector<double> m2 = covering_grid_sizes<T>(box2, r2);
  CHECK(m2[0] == 4.0);
  CHECK(m2[1] == 3.0);
  for (long i = 0; i <= 20; ++i)
    for (long k = 0; k <= 20; ++k) {
      const Rational px = Rational(i, 20), py = Rational(3 * k, 80);
      bool covered = false;
      for (long a = 0; a < 4 && !covered; ++a)
        for (long b = 0; b < 3 && !covered; ++b) {
          const Rational cx = Rational(2 * a + 1, 8), cy = Rational(3 * (2 * b + 1), 24);
          const Rational dx = abs(px - cx), dy = abs(py - cy);
          covered = (dx > dy ? dx : dy) <= Rational(r2);
        }
      CHECK(covered);
    }
  CHECK_THROWS_AS(covering_grid_sizes<T>(box2, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(covering_grid_sizes<T>(box2, -1.0), std::invalid_argument);
  CHECK_THROWS_AS(covering_grid_sizes<T>(box2, std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST_CASE_TEMPLATE("uniform deviation: the formula at one radius against a 256-bit evaluation", T, Interval, MpInterval) {
  MpPrecisionScope scope(256);
  // B = 1, N = 1000, δ = 1/20, Λ = 1/2, Θ = [0, 1] × [0, 1/2], r = 1/8: m = (4, 2), N(Θ, r) = 8,
  // dev = √((log 40 + log 8)/2000) + 2·(1/2)·(1/8) = √(log 320/2000) + 1/8
  const std::vector<T> box = box_from<T>({{"0", "1"}, {"0", "0.5"}});
  const real_t<T> dev = upper_bound_uniform_deviation<T>(real_t<T>(1), 1000, from_text<T>("0.05"), real_t<T>(0.5), box, 0.125);
  const MpInterval exact = sqrt(log(MpInterval(320)) / MpInterval(2000)) + MpInterval(1) / MpInterval(8);
  CHECK(MpReal(dev) >= inf(exact));
  const double rel = static_cast<double>(sup(enclose_point<MpInterval>(dev) - exact)) / static_cast<double>(sup(exact));
  CHECK(rel < (std::is_same_v<T, Interval> ? 1e-14 : 1e-60));
  // Λ = 0 and one cell (r ≥ w/2 everywhere) is the single-model Hoeffding number
  const real_t<T> h = upper_bound_hoeffding<T>(real_t<T>(1), 1000, from_text<T>("0.05"));
  const real_t<T> d0 = upper_bound_uniform_deviation<T>(real_t<T>(1), 1000, from_text<T>("0.05"), real_t<T>(0), box, 0.5);
  CHECK(static_cast<double>(d0) == doctest::Approx(static_cast<double>(h)).epsilon(1e-15));
  CHECK(d0 >= h - real_t<T>(1e-15));
  // bad input: δ ∉ (0, 1), N < 1, B < 0, Λ < 0, no box, r ≤ 0
  const real_t<T> one(1);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(one, 1000, T(0), one, box, 0.1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(one, 1000, T(1), one, box, 0.1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(one, 1000, convex_hull(from_text<T>("0.5"), from_text<T>("1.5")), one, box, 0.1),
                  std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(one, 0, from_text<T>("0.05"), one, box, 0.1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(-one, 10, from_text<T>("0.05"), one, box, 0.1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(one, 10, from_text<T>("0.05"), -one, box, 0.1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(one, 10, from_text<T>("0.05"), one, {}, 0.1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_deviation<T>(one, 10, from_text<T>("0.05"), one, box, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_uniform_risk<T>(one, 10, from_text<T>("0.05"), one, {}), std::invalid_argument);
}

TEST_CASE_TEMPLATE("uniform risk: minimised over r, at least Hoeffding, monotone in N, δ and Λ", T, Interval, MpInterval) {
  MpPrecisionScope scope(128);
  const std::vector<T> box = box_from<T>({{"0.95", "1.05"}, {"-0.55", "-0.45"}, {"-0.35", "-0.25"}, {"0", "0.02"}});
  const real_t<T> B(0.7), Lam(3.5);
  const T delta = from_text<T>("0.05");
  const UniformRiskBound<T> u = upper_bound_uniform_risk<T>(B, 100000, delta, Lam, box);
  REQUIRE(u.candidates >= 1);
  // the reported bound is the certified deviation at the reported radius
  CHECK(u.bound == upper_bound_uniform_deviation<T>(B, 100000, delta, Lam, box, u.radius));
  CHECK(u.log_covering_number == upper_bound_log_covering_number<T>(box, u.radius));
  // brute force over every breakpoint radius r = w_j/(2m) (where the minimum of dev lies), m ≤ 5000:
  // the search is within 1 % of the best of them
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < box.size(); ++j) {
    const double w = static_cast<double>(sup(box[j]) - inf(box[j]));
    for (int m = 1; m <= 5000; m += (m < 200 ? 1 : 37))
      best = std::min(best, static_cast<double>(upper_bound_uniform_deviation<T>(B, 100000, delta, Lam, box, w / (2 * m) * (1 + 0x1p-40))));
  }
  CHECK(static_cast<double>(u.bound) <= best * 1.01);
  // at least the single-model Hoeffding number
  CHECK(u.bound >= upper_bound_hoeffding<T>(B, 100000, delta));
  // Λ = 0: the Hoeffding number (one cell)
  const UniformRiskBound<T> z = upper_bound_uniform_risk<T>(B, 100000, delta, real_t<T>(0), box);
  CHECK(static_cast<double>(z.bound) == doctest::Approx(static_cast<double>(upper_bound_hoeffding<T>(B, 100000, delta))).epsilon(1e-15));
  CHECK(static_cast<double>(z.log_covering_number) == 0.0);
  // monotone: decreasing in N and in δ, increasing in Λ
  double prev = std::numeric_limits<double>::infinity();
  for (long long N : {10LL, 100LL, 1000LL, 100000LL, 10000000LL, 1000000000LL}) {
    const double b = static_cast<double>(upper_bound_uniform_risk<T>(B, N, delta, Lam, box).bound);
    CHECK(b < prev);
    prev = b;
  }
  prev = std::numeric_limits<double>::infinity();
  for (const char* d : {"0.001", "0.01", "0.05", "0.1", "0.5", "0.9"}) {
    const double b = static_cast<double>(upper_bound_uniform_risk<T>(B, 100000, from_text<T>(d), Lam, box).bound);
    CHECK(b < prev);
    prev = b;
  }
  prev = 0;
  for (double L : {0.0, 0.1, 1.0, 10.0, 100.0}) {
    const double b = static_cast<double>(upper_bound_uniform_risk<T>(B, 100000, delta, real_t<T>(L), box).bound);
    CHECK(b > prev);
    prev = b;
  }
}

TEST_CASE("parameter Lipschitz: f = w x + b, one token — the closed-form gradient on a grid of the box lies below Λ") {
  // X^L = a^L x0 + b (a^L − 1)/w, a = 1 + w/L; J = ℓ(X^L, 0) = log(1 + e^{−2X}), ℓ' = −2/(1 + e^{2X});
  // ∂J/∂w = ℓ'·(L a^{L−1} x0/L + b (L a^{L−1} w/L − (a^L − 1))/w²), ∂J/∂b = ℓ'·(a^L − 1)/w
  const std::size_t L = 8;
  Layer<Interval> l;
  l.W = Mat<Interval>(1, 1);
  l.W(0, 0) = convex_hull(from_text<Interval>("0.4"), from_text<Interval>("0.6"));
  l.b = Vec<Interval>(1);
  l.b(0) = convex_hull(from_text<Interval>("0.2"), from_text<Interval>("0.3"));
  const TransformerField<Interval> f(1, 1, Control<Interval>::constant(l));
  const Readout<Interval> ro{matrix_from_text<Interval>({{"1"}, {"-1"}}), {0}};
  const Vec<Interval> x0 = vector_from_text<Interval>({"1"});
  const std::vector<std::string> names = {"W[0][0]", "b[0]"};
  MpPrecisionScope scope(256);
  using M = MpInterval;
  double grid_max = 0, loss_lo = 1e300, loss_hi = 0;
  for (int i = 0; i <= 8; ++i)
    for (int k = 0; k <= 8; ++k) {
      const M w = from_text<M>("0.4") + M(i) / M(40), b = from_text<M>("0.2") + M(k) / M(80), eps = M(1) / M(8);
      const M a = M(1) + eps * w, aL = pow(a, 8), aL1 = pow(a, 7);
      const M X = aL + b * (aL - M(1)) / w;
      const M dl = M(-2) / (M(1) + exp(M(2) * X));
      const M dw = dl * (aL1 + b * (aL1 * w - (aL - M(1))) / sqr(w));
      const M db = dl * (aL - M(1)) / w;
      grid_max = std::max(grid_max, static_cast<double>(sup(abs(dw) + abs(db))));
      const M J = log1p(exp(M(-2) * X));
      loss_lo = std::min(loss_lo, static_cast<double>(inf(J)));
      loss_hi = std::max(loss_hi, static_cast<double>(sup(J)));
    }
  for (unsigned s : {1u, 2u, 4u}) {
    const BoxLipschitz<Interval> bl = upper_bound_box_lipschitz<Interval>(f, x0, ro, Interval(1), L, names, s);
    REQUIRE(bl.verdict.is_proved());
    INFO("splits " << s << ": Λ = " << bl.lipschitz << ", grid max " << grid_max);
    CHECK(bl.pieces == s * s);
    CHECK(bl.lipschitz >= grid_max);
    CHECK(bl.lipschitz <= (s == 1 ? 2.0 : 1.5) * grid_max);  // not vacuous (1.59× on the whole 0.2 × 0.1 box)
    CHECK(bl.loss_lo <= loss_lo);
    CHECK(bl.loss_hi >= loss_hi);
  }
  // the plain form on the whole box agrees with splits = 1
  const GradientEnclosure<Interval> g = enclose_loss_gradient<Interval>(f, x0, ro, Interval(1), L);
  CHECK(upper_bound_parameter_lipschitz<Interval>(g, names) ==
        upper_bound_box_lipschitz<Interval>(f, x0, ro, Interval(1), L, names, 1).lipschitz);
  // bad names: never taken as 0
  CHECK_THROWS_AS(upper_bound_parameter_lipschitz<Interval>(g, {"W[0][1]"}), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_box_lipschitz<Interval>(f, x0, ro, Interval(1), L, {"beta"}, 1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_box_lipschitz<Interval>(f, x0, ro, Interval(1), L, {"b[0]", "b[0]"}, 1), std::invalid_argument);
  CHECK_THROWS_AS(upper_bound_box_lipschitz<Interval>(f, x0, ro, Interval(1), L, names, 0), std::invalid_argument);
}

namespace {
/// The euler.error config of the finite-difference test: n = 3, d = 2, one Q/K/V head, affine FFN;
/// box β ∈ [0.9, 1.1], W[0][0] ∈ [−0.25, −0.15], heads[0].V[1][1] ∈ [0.05, 0.15], and a box
/// [0.49, 0.51] in the first token's first entry (the region of the samples).
const char* kFdConfig = R"({"kind": "euler.error",
  "model": {"dim": 2, "beta": "[0.9, 1.1]",
    "heads": [{"Q": [["0.5", "0.1"], ["-0.2", "0.4"]], "K": [["0.3", "-0.1"], ["0.2", "0.6"]],
               "V": [["0.4", "0.2"], ["-0.3", "[0.05, 0.15]"]]}],
    "W": [["[-0.25, -0.15]", "0.3"], ["-0.1", "-0.25"]], "b": ["0.1", "-0.05"]},
  "tokens": [["[0.49, 0.51]", "-0.3"], ["-0.4", "0.7"], ["0.9", "0.2"]],
  "horizon": 1, "depths": [8], "wrapping": "qr",
  "readout": {"Gamma": [["1", "0.5"], ["-0.5", "1"], ["0.2", "-1"]], "labels": [0, 2, 1],
              "samples": 1000, "delta": "0.1", "flow_gradient": "none", "lipschitz_splits": 2}})";
template <class T> Layer<T> fd_layer(const T& beta, const T& w00, const T& v11) {
  Layer<T> l;
  l.beta = beta;
  Head<T> h;
  h.Q = matrix_from_text<T>({{"0.5", "0.1"}, {"-0.2", "0.4"}});
  h.K = matrix_from_text<T>({{"0.3", "-0.1"}, {"0.2", "0.6"}});
  h.V = matrix_from_text<T>({{"0.4", "0.2"}, {"-0.3", "0"}});
  h.V(1, 1) = v11;
  l.heads = {h};
  l.W = matrix_from_text<T>({{"0", "0.3"}, {"-0.1", "-0.25"}});
  l.W(0, 0) = w00;
  l.b = vector_from_text<T>({"0.1", "-0.05"});
  return l;
}
double upper_result(const cert::Certificate& c, const std::string& name) {
  for (const auto& [n, v] : c.results)
    if (n == name)
      if (const auto* o = std::get_if<cert::OneSidedText>(&v)) return sup(from_text<Interval>(o->bound_hex));
  throw std::runtime_error("no one-sided result " + name);
}
}  // namespace

TEST_CASE("parameter Lipschitz through euler.error: 256-bit finite differences sampled in the box lie below Λ") {
  const cert::Certificate c = cert::run_config(cert::config_from_text(kFdConfig));
  const double Lam = upper_result(c, "parameter_lipschitz");
  const double B = upper_result(c, "uniform_risk_loss_range");
  const double U = upper_result(c, "uniform_risk_bound");
  bool saw_names = false;
  for (const auto& [n, v] : c.results)
    if (n == "uniform_risk_parameters")
      saw_names = std::get<std::string>(v) == "beta heads[0].V[1][1] W[0][0]" ||
                  std::get<std::string>(v) == "beta W[0][0] heads[0].V[1][1]";
  CHECK(saw_names);
  // at least the single-model Hoeffding number of the same range B (N = 1000, δ = 0.1)
  CHECK(U >= B * std::sqrt(std::log(2 / 0.1) / 2000) * (1 - 1e-12));
  CHECK(B <= upper_result(c, "loss_range"));
  MpPrecisionScope scope(256);
  using M = MpInterval;
  const Readout<M> ro{matrix_from_text<M>({{"1", "0.5"}, {"-0.5", "1"}, {"0.2", "-1"}}), {0, 2, 1}};
  const M h = from_text<M>("1e-4");
  const std::size_t L = 8;
  auto loss = [&](const Layer<M>& l, const Vec<M>& x0) {
    const TransformerField<M> f(3, 2, Control<M>::constant(l));
    const auto m = enclose_discrete_iterates<M>(f, x0, M(1), L);
    REQUIRE(m.verdict.is_proved());
    return enclose_risk<M, M>(ro, m.iterates.back());
  };
  double max_ratio = 0, jlo = 1e300, jhi = 0;
  const char* fr[] = {"0.125", "0.375", "0.625", "0.875"};
  for (const char* x00 : {"0.49", "0.51"}) {
    Vec<M> x0 = vector_from_text<M>({"0", "-0.3", "-0.4", "0.7", "0.9", "0.2"});
    x0(0) = from_text<M>(x00);
    for (const char* a : fr)
      for (const char* b : fr)
        for (const char* e : fr) {
          const M beta = from_text<M>("0.9") + from_text<M>("0.2") * from_text<M>(a);
          const M w00 = from_text<M>("-0.25") + from_text<M>("0.1") * from_text<M>(b);
          const M v11 = from_text<M>("0.05") + from_text<M>("0.1") * from_text<M>(e);
          const Layer<M> l = fd_layer<M>(beta, w00, v11);
          const TransformerField<M> f(3, 2, Control<M>::constant(l));
          const GradientEnclosure<M> g = enclose_loss_gradient<M>(f, x0, ro, M(1), L);
          REQUIRE(g.verdict.is_proved());
          // the direction of steepest ℓ∞ ascent: s_j = sign ∂J/∂θ_j (β, V[1][1], W[0][0] in the gradient)
          auto sgn = [&](const std::string& nm) {
            const auto it = std::find(g.names.begin(), g.names.end(), nm);
            REQUIRE(it != g.names.end());
            return mid(g.gradient(it - g.names.begin())) >= 0 ? M(1) : M(-1);
          };
          const Layer<M> l2 = fd_layer<M>(beta + h * sgn("beta"), w00 + h * sgn("W[0][0]"), v11 + h * sgn("heads[0].V[1][1]"));
          const M J1 = loss(l, x0), J2 = loss(l2, x0);
          const double ratio = static_cast<double>(sup(abs(J2 - J1) / h));
          INFO("x00 " << x00 << " fractions " << a << " " << b << " " << e << ": |ΔJ|/h = " << ratio << ", Λ = " << Lam);
          CHECK(static_cast<double>(inf(abs(J2 - J1) / h)) <= Lam);
          max_ratio = std::max(max_ratio, ratio);
          jlo = std::min(jlo, static_cast<double>(inf(J1)));
          jhi = std::max(jhi, static_cast<double>(sup(J1)));
        }
  }
  MESSAGE("euler.error FD test: Λ = " << Lam << ", max sampled |ΔJ|/‖Δθ‖∞ = " << max_ratio << ", B = " << B
                                      << ", sampled loss range " << jhi - jlo << ", uniform bound " << U);
  CHECK(max_ratio <= Lam);
  CHECK(Lam <= 10 * max_ratio);  // not vacuous (interval gradients on 8 sub-boxes)
  CHECK(B >= jhi - jlo);
}

TEST_CASE("euler.error: uniform risk — bad input is a ConfigError at its JSON path; no model box, no results") {
  auto expect_error = [](const std::string& text, const std::string& path) {
    try {
      (void)cert::run_config(cert::config_from_text(text));
      FAIL("no ConfigError");
    } catch (const cert::ConfigError& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(path) != std::string::npos);
    }
  };
  const std::string head = R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [["[0.9, 1.1]"]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": [4], "readout": {"Gamma": [[1], [-1]], "labels": [1])";
  expect_error(head + R"(, "samples": 100, "delta": "1"}})", "/readout/delta");
  expect_error(head + R"(, "samples": 100, "delta": "0"}})", "/readout/delta");
  expect_error(head + R"(, "samples": 0, "delta": "0.1"}})", "/readout/samples");
  expect_error(head + R"(, "uniform_risk": true}})", "/readout/uniform_risk");            // no samples
  expect_error(head + R"(, "samples": 10, "delta": "0.1", "uniform_risk": 1}})", "/readout/uniform_risk");
  expect_error(head + R"(, "samples": 10, "delta": "0.1", "lipschitz_splits": 0}})", "/readout/lipschitz_splits");
  expect_error(head + R"(, "samples": 10, "delta": "0.1", "lipschitz_splits": 65}})", "/readout/lipschitz_splits");
  // a box of tokens only is the region of the samples, not a parameter box
  const std::string tokens_only = R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [["1"]], "heads": []},
    "tokens": [["[0.9, 1.1]"]], "horizon": 1, "depths": [4], "readout": {"Gamma": [[1], [-1]], "labels": [1],
    "samples": 10, "delta": "0.1")";
  expect_error(tokens_only + R"(, "uniform_risk": true}})", "/readout/uniform_risk");
  const cert::Certificate none = cert::run_config(cert::config_from_text(tokens_only + "}}"));
  for (const auto& [n, v] : none.results) CHECK(n != "uniform_risk_bound");
  // the f = w x box: results present, switched off by "uniform_risk": false
  const cert::Certificate on = cert::run_config(cert::config_from_text(head + R"(, "samples": 100, "delta": "0.1"}})"));
  const double Bon = upper_result(on, "uniform_risk_loss_range");
  CHECK(upper_result(on, "uniform_risk_bound") >= Bon * std::sqrt(std::log(2 / 0.1) / 200) * (1 - 1e-12));
  CHECK(upper_result(on, "parameter_lipschitz") > 0);
  const cert::Certificate off =
      cert::run_config(cert::config_from_text(head + R"(, "samples": 100, "delta": "0.1", "uniform_risk": false}})"));
  for (const auto& [n, v] : off.results) CHECK(n != "uniform_risk_bound");
}

TEST_CASE("euler.error: uniform risk on per-layer weights — box coordinates named as the gradient names them") {
  auto text_result = [](const cert::Certificate& c, const std::string& name) {
    for (const auto& [n, v] : c.results)
      if (n == name) return std::get<std::string>(v);
    return std::string("<none>");
  };
  // two layers f = w_i x (T = 1, layer i on [i/2, (i+1)/2)), a box in layer 1 only
  const std::string two = R"({"kind": "euler.error", "model": {"dim": 1, "layers": [
      {"beta": 1, "W": [["0.5"]], "heads": []}, {"beta": "[1, 2]", "W": [["[0.25, 0.75]"]], "heads": []}]},
    "tokens": [[1]], "horizon": 1, "depths": [4], "readout": {"Gamma": [[1], [-1]], "labels": [1],
    "samples": 1000, "delta": "0.1", "lipschitz_splits": 2}})";
  const cert::Certificate c2 = cert::run_config(cert::config_from_text(two));
  // β of a layer without heads is skipped (the loss does not depend on it)
  CHECK(text_result(c2, "uniform_risk_parameters") == "layers[1].W[0][0]");
  // J(w) = log(1 + e^{2 X}), X = (1 + 0.5/4)^2 (1 + w/4)^2: Λ ≥ |∂J/∂w| at w = 0.75 (the largest)
  const double X = std::pow(1.125, 2) * std::pow(1.1875, 2);
  const double dJ = 2 / (1 + std::exp(-2 * X)) * std::pow(1.125, 2) * 2 * 1.1875 / 4;
  CHECK(upper_result(c2, "parameter_lipschitz") >= dJ);
  CHECK(upper_result(c2, "parameter_lipschitz") <= 1.5 * dJ);  // 1.26×: ∂_θ f = D(θ + E) − D(θ) over the box
  // one layer written as a stack: a constant control, names without "layers[0]."
  const std::string one = R"({"kind": "euler.error", "model": {"dim": 1, "layers": [
      {"beta": 1, "W": [["[0.25, 0.75]"]], "b": ["[0, 0.125]"], "heads": []}]},
    "tokens": [[1]], "horizon": 1, "depths": [4], "readout": {"Gamma": [[1], [-1]], "labels": [1],
    "samples": 1000, "delta": "0.1"}})";
  const cert::Certificate c1 = cert::run_config(cert::config_from_text(one));
  CHECK(text_result(c1, "uniform_risk_parameters") == "W[0][0] b[0]");
  CHECK(upper_result(c1, "uniform_risk_bound") > 0);
}

namespace {
const EndpointText& endpoint_result(const cert::Certificate& c, const std::string& name) {
  for (const auto& [n, v] : c.results)
    if (n == name)
      if (const auto* e = std::get_if<EndpointText>(&v)) return *e;
  throw std::runtime_error("no enclosure result " + name);
}
const cert::OneSidedText& one_sided_result(const cert::Certificate& c, const std::string& name) {
  for (const auto& [n, v] : c.results)
    if (n == name)
      if (const auto* o = std::get_if<cert::OneSidedText>(&v)) return *o;
  throw std::runtime_error("no one-sided result " + name);
}
}  // namespace

TEST_CASE("euler.error: uniform risk at a configured covering radius — the same bound at the searched r; "
          "large and inexact radii; bad input") {
  const std::string head = R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [["[0.9, 1.1]"]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": [4], "readout": {"Gamma": [[1], [-1]], "labels": [1],
    "samples": 100, "delta": "0.1")";
  const cert::Certificate c = cert::run_config(cert::config_from_text(head + "}}"));
  const EndpointText r = endpoint_result(c, "covering_radius");
  REQUIRE(r.lo_hex == r.hi_hex);
  // the searched radius given back as exact text: bit-identical bound and covering number
  const cert::Certificate cr =
      cert::run_config(cert::config_from_text(head + R"(, "covering_radius": ")" + r.lo_hex + R"("}})"));
  CHECK(endpoint_result(cr, "covering_radius").lo_hex == r.lo_hex);
  CHECK(one_sided_result(cr, "uniform_risk_bound").bound_hex == one_sided_result(c, "uniform_risk_bound").bound_hex);
  CHECK(one_sided_result(cr, "covering_log_number").bound_hex == one_sided_result(c, "covering_log_number").bound_hex);
  // r = 1000 ≥ the box width: one cell (log N = 0), dev = B √(log(2/δ)/(2N)) + 2Λr
  const cert::Certificate big = cert::run_config(cert::config_from_text(head + R"(, "covering_radius": "1000"}})"));
  CHECK(upper_result(big, "covering_log_number") == 0);
  const double Lam = upper_result(big, "parameter_lipschitz"), B = upper_result(big, "uniform_risk_loss_range");
  CHECK(upper_result(big, "uniform_risk_bound") >= 2 * Lam * 1000 + B * std::sqrt(std::log(2 / 0.1) / 200) * (1 - 1e-12));
  CHECK(upper_result(big, "uniform_risk_bound") <= 2 * Lam * 1000 * (1 + 1e-12) + B * std::sqrt(std::log(2 / 0.1) / 200) * (1 + 1e-12));
  CHECK(upper_result(c, "uniform_risk_bound") < upper_result(big, "uniform_risk_bound"));  // the search does better
  // 1/3 is no binary64 number: rounded down, the radius used is reported exactly
  const cert::Certificate third = cert::run_config(cert::config_from_text(head + R"(, "covering_radius": "1/3"}})"));
  const double r3 = sup(from_text<Interval>(endpoint_result(third, "covering_radius").lo_hex));
  CHECK(Rational(r3) <= parse_exact("1/3"));  // the largest binary64 number ≤ 1/3
  CHECK(Rational(std::nextafter(r3, 1.0)) > parse_exact("1/3"));
  for (const char* bad : {"0", "-1", "1e-400", "[0.1, 0.2]"})
    test::expect_config_error(head + R"(, "covering_radius": ")" + bad + R"("}})", "/readout/covering_radius");
  test::expect_config_error(head + R"(, "uniform_risk": false, "covering_radius": "0.1"}})", "/readout/covering_radius");
}

TEST_CASE("check re-derives the uniform risk bound at the certificate's covering radius") {
  // f = w x, w ∈ [0.9, 1.1]: the radius search minimises approximate values, and the 113-bit run
  // of `check` chooses another radius than the binary64 run (asserted below). Before the fix the
  // covering_radius line of `check` was inconclusive (exit 2) on this honest, fresh certificate.
  const std::string text = R"({"kind": "euler.error", "model": {"dim": 1, "beta": 1, "W": [["[0.9, 1.1]"]], "heads": []},
    "tokens": [[1]], "horizon": 1, "depths": [4], "readout": {"Gamma": [[1], [-1]], "labels": [1],
    "samples": 100, "delta": "0.1"}})";
  const cert::Certificate c = cert::run_config(cert::config_from_text(text));
  std::string at113 = text;
  at113.insert(at113.rfind('}'), R"(, "precision": 113)");
  const cert::Certificate c113 = cert::run_config(cert::config_from_text(at113));
  REQUIRE(c113.precision == 113);
  CHECK(endpoint_result(c113, "covering_radius").lo_hex != endpoint_result(c, "covering_radius").lo_hex);
  const cert::CheckReport rep = cert::check_certificate(cert::config_from_text(c.to_json().dump()));
  CHECK(rep.precisions.front() == 113);  // (escalated to 226 by flow_directional_derivative, a box-width overlap)
  bool saw_radius = false, saw_bound = false;
  for (const auto& l : rep.lines) {
    INFO(l.subject << ": " << cert::to_string(l.outcome) << " " << l.detail);
    CHECK(l.outcome != cert::CheckOutcome::failed);
    CHECK(l.outcome != cert::CheckOutcome::inconclusive);
    if (l.subject == "result covering_radius") {
      saw_radius = true;
      CHECK(l.outcome == cert::CheckOutcome::reproduced);
    }
    if (l.subject == "result uniform_risk_bound") {
      saw_bound = true;
      CHECK(l.outcome == cert::CheckOutcome::reproduced);  // the same r: the 113-bit bound is ≤ the binary64 one
    }
  }
  CHECK(saw_radius);
  CHECK(saw_bound);
  CHECK(rep.exit_code() == 0);
  // a config that sets the radius itself is re-run as written
  std::string fixed = text;
  fixed.insert(fixed.rfind('}') - 1, R"(, "covering_radius": "1/1024")");
  const cert::Certificate cf = cert::run_config(cert::config_from_text(fixed));
  CHECK(sup(from_text<Interval>(endpoint_result(cf, "covering_radius").lo_hex)) == 1.0 / 1024);
  CHECK(cert::check_certificate(cert::config_from_text(cf.to_json().dump())).exit_code() == 0);
}
