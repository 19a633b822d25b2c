// tests/euler — the discrete adjoint of the sphere model at depth (docs/euler.md §8, issue 17):
// the midpoint-radius (centre + 2-norm ball) backward recursion keeps the binary64 gradient
// enclosure narrow at L = 32, 64, 128 (the entrywise interval projection doubled its width per
// layer: ~1e-5 at L = 32, ~1e24 at L = 128). Oracles at 256 bits, independent of the adjoint:
// the central difference quotient (J(θ + h e_j) − J(θ − h e_j))/(2h) of the exact discrete loss
// (a finite computation: the 256-bit iterate enclosures are ~1e-60 wide; h = 2⁻⁸⁰, so the
// quotient's O(h²) error is far below the slack 1e-30), and the 256-bit adjoint enclosure itself.
// Model: n = 4 tokens on S² (d = 3), one attention head, an affine FFN, three classes.
#include "certiformer/euler.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::transformer;
using namespace certiformer::euler;

namespace {
template <class T> Layer<T> sphere_layer() {
  Layer<T> l;
  l.beta = from_text<T>("1.5");
  Head<T> h;
  h.Q = matrix_from_text<T>({{"0.5", "0.1", "-0.2"}, {"-0.2", "0.4", "0.1"}, {"0.1", "0", "0.3"}});
  h.K = matrix_from_text<T>({{"0.3", "-0.1", "0.2"}, {"0.2", "0.6", "0"}, {"-0.1", "0.2", "0.4"}});
  h.V = matrix_from_text<T>({{"0.4", "0.2", "-0.1"}, {"-0.3", "0.1", "0.2"}, {"0.1", "-0.2", "0.3"}});
  l.heads = {h};
  l.W = matrix_from_text<T>({{"-0.2", "0.3", "0.1"}, {"-0.1", "-0.25", "0.2"}, {"0.3", "0", "-0.15"}});
  l.b = vector_from_text<T>({"0.1", "-0.05", "0.2"});
  return l;
}
/// Four unit tokens (exact decimals with squares summing to 1; enclosed outward).
template <class T> Vec<T> sphere_tokens() {
  return vector_from_text<T>({"0.6", "0.8", "0", "0", "0.6", "-0.8", "0.48", "0.6", "0.64", "-0.36", "0.48", "-0.8"});
}
template <class T> Readout<T> sphere_readout() {
  return Readout<T>{matrix_from_text<T>({{"1", "0.5", "-0.3"}, {"-0.5", "1", "0.2"}, {"0.2", "-1", "0.6"}}), {0, 2, 1, 0}};
}
template <class T> TransformerField<T> sphere_field(const Layer<T>& l) {
  return TransformerField<T>(4, 3, Control<T>::constant(l), /*sphere=*/true);
}
/// J = R(X^L) of the discrete sphere network (T = 1), renormalised per token as the adjoint's iterates.
template <class T> T discrete_loss(const Layer<T>& l, const Vec<T>& X0, std::size_t L, const Readout<T>& ro) {
  const auto m = enclose_discrete_iterates<T>(sphere_field<T>(l), X0, T(1), L, ode::Wrapping::qr, 3);
  REQUIRE(m.verdict.is_proved());
  return enclose_risk<T, T>(ro, m.iterates.back());
}
/// The layer l with its parameter number j (visiting order) shifted by delta.
template <class T> Layer<T> shifted_param(Layer<T> l, long j, const T& delta) {
  long k = 0;
  euler::detail::visit_layer_parameters<T>(l, [&](T& v, const std::string&) {
    if (k++ == j) v = v + delta;
  });
  return l;
}
using M = MpInterval;
/// 256-bit central difference quotient in parameter j (j ≥ 0) or initial coordinate −1 − j, as
/// the binary64 enclosure of the quotient widened by the O(h²) slack 1e-30.
Interval quotient_256(std::size_t L, long j, const Vec<M>& X0, const Readout<M>& ro = sphere_readout<M>()) {
  const M h = M(std::ldexp(1.0, -80));
  const Layer<M> l = sphere_layer<M>();
  auto J = [&](const M& s) {
    if (j >= 0) return discrete_loss<M>(shifted_param<M>(l, j, s), X0, L, ro);
    Vec<M> x = X0;
    x(-1 - j) = x(-1 - j) + s;
    return discrete_loss<M>(l, x, L, ro);
  };
  const M q = (J(h) - J(-h)) / (M(2) * h);
  CHECK(static_cast<double>(wid(q)) < 1e-35);  // the 256-bit quotient is that tight: a real check
  return to_interval(q) + Interval(-1e-30, 1e-30);
}
double widest(const Vec<Interval>& v) {
  double w = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i) w = std::max(w, wid(v(i)));
  return w;
}
}  // namespace

TEST_CASE("sphere discrete adjoint at depth: L = 32, 64, 128 — 256-bit central differences inside, widths bounded") {
  MpPrecisionScope scope(256);
  const TransformerField<Interval> f = sphere_field<Interval>(sphere_layer<Interval>());
  // measured widest entries 2.6e-12 / 7.1e-12 / 2.2e-11 (gradient; the entrywise projection gave
  // 1.6e-4 / 6.0e+5 / 1.0e+25); bounds with a margin of 10× or more
  const std::vector<std::pair<std::size_t, double>> depths = {{32, 3e-11}, {64, 1e-10}, {128, 3e-10}};
  for (const auto& [L, bound] : depths) {
    CAPTURE(L);
    const GradientEnclosure<Interval> g = enclose_loss_gradient(f, sphere_tokens<Interval>(), sphere_readout<Interval>(), Interval(1), L);
    INFO(g.verdict.reason());
    REQUIRE(g.verdict.is_proved());
    REQUIRE(g.gradient.size() == 1 + 27 + 9 + 3);  // beta, Q, K, V, W, b
    REQUIRE(g.names[15] == "heads[0].K[1][2]");
    REQUIRE(g.names[25] == "heads[0].V[2][0]");
    REQUIRE(g.names[39] == "b[2]");
    // (1) the gradient and p_0 are narrow
    CHECK(widest(g.gradient) < bound);
    CHECK(widest(g.initial_adjoint) < bound);
    // (2) independent oracle: 256-bit central differences of the discrete loss, a spread of entries
    for (long j : {0L, 2L, 15L, 25L, 30L, 39L}) {  // beta, Q[0][1], K[1][2], V[2][0], W[0][2], b[2]
      CAPTURE(g.names[static_cast<std::size_t>(j)]);
      const Interval fd = quotient_256(L, j, sphere_tokens<M>());
      CHECK(subset(fd, g.gradient(j)));
    }
    for (long i : {1L, 7L}) {  // p_0 = ∇_{X^0} J (ambient), two coordinates
      CAPTURE(i);
      CHECK(subset(quotient_256(L, -1 - i, sphere_tokens<M>()), g.initial_adjoint(i)));
    }
    // (3) the 256-bit adjoint enclosure (same method) meets the binary64 one entry by entry, its
    //     midpoint inside, and is far narrower
    const TransformerField<M> fm = sphere_field<M>(sphere_layer<M>());
    const GradientEnclosure<M> gm = enclose_loss_gradient(fm, sphere_tokens<M>(), sphere_readout<M>(), M(1), L);
    REQUIRE(gm.verdict.is_proved());
    double worst_m = 0;
    for (Eigen::Index j = 0; j < g.gradient.size(); ++j) {
      CAPTURE(j);
      CHECK(is_member(static_cast<double>(mid(gm.gradient(j))), g.gradient(j)));
      worst_m = std::max(worst_m, static_cast<double>(wid(gm.gradient(j))));
    }
    CHECK(worst_m < 1e-50);
    MESSAGE("sphere adjoint L = ", L, ": widest binary64 gradient entry ", widest(g.gradient), ", p_0 ", widest(g.initial_adjoint),
            ", 256-bit ", worst_m, " (", g.seconds, " s)");
  }
}

TEST_CASE("sphere discrete adjoint: a box of initial tokens — 256-bit central differences at its corners inside") {
  // X0 = the unit tokens ± 2⁻²⁴ (every coordinate): the enclosure must hold for every x0 in the
  // box, so the ball δ must carry the spread of the adjoint across the box through all layers
  // (mutation: without the term ν_k·(‖q̃ − cq‖₂ + δ_q) of δ, 17 of the 24 p_0 checks fail).
  MpPrecisionScope scope(256);
  const std::size_t L = 64;
  const double r = std::ldexp(1.0, -24);
  Vec<Interval> X0 = sphere_tokens<Interval>();
  for (Eigen::Index i = 0; i < X0.size(); ++i) X0(i) = X0(i) + Interval(-r, r);
  const TransformerField<Interval> f = sphere_field<Interval>(sphere_layer<Interval>());
  const GradientEnclosure<Interval> g = enclose_loss_gradient(f, X0, sphere_readout<Interval>(), Interval(1), L);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  CHECK(widest(g.gradient) < 1e-4);  // the spread over the box is ~1e-7: a useful enclosure
  // two corners of the box (all +r, alternating signs) and its centre
  for (int corner = 0; corner < 3; ++corner) {
    CAPTURE(corner);
    Vec<M> x = sphere_tokens<M>();
    if (corner < 2)
      for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = x(i) + M((corner == 0 || i % 2 == 0) ? r : -r);
    for (long j : {0L, 2L, 25L, 39L}) {
      CAPTURE(j);
      CHECK(subset(quotient_256(L, j, x), g.gradient(j)));
    }
    if (corner == 2) continue;  // p_0 at the two corners: every coordinate
    for (long i = 0; i < x.size(); ++i) {
      CAPTURE(i);
      CHECK(subset(quotient_256(L, -1 - i, x), g.initial_adjoint(i)));
    }
  }
  MESSAGE("sphere adjoint, token box ±2^-24, L = ", L, ": widest gradient entry ", widest(g.gradient));
}

TEST_CASE("sphere discrete adjoint: shallow networks over a box of tokens — every entry contains the 256-bit quotients at corners") {
  // Few layers (L = 1: only the terminal ball and one step) and a wide box (±2⁻¹² in every
  // coordinate): every gradient entry and every coordinate of p_0 at two corners of the box.
  MpPrecisionScope scope(256);
  const double r = std::ldexp(1.0, -12);
  Vec<Interval> X0 = sphere_tokens<Interval>();
  for (Eigen::Index i = 0; i < X0.size(); ++i) X0(i) = X0(i) + Interval(-r, r);
  const TransformerField<Interval> f = sphere_field<Interval>(sphere_layer<Interval>());
  for (std::size_t L : {1, 3}) {
    CAPTURE(L);
    const GradientEnclosure<Interval> g = enclose_loss_gradient(f, X0, sphere_readout<Interval>(), Interval(1), L);
    INFO(g.verdict.reason());
    REQUIRE(g.verdict.is_proved());
    CHECK(widest(g.gradient) < 0.05);
    int outside = 0;
    for (int corner = 0; corner < 2; ++corner) {
      CAPTURE(corner);
      Vec<M> x = sphere_tokens<M>();
      for (Eigen::Index i = 0; i < x.size(); ++i) {
        const bool plus = corner == 0 || i % 2 == 0;  // all +r; alternating signs
        x(i) = x(i) + M(plus ? r : -r);
      }
      for (long j = 0; j < static_cast<long>(g.gradient.size()); ++j)
        if (!subset(quotient_256(L, j, x), g.gradient(j))) ++outside;
      for (long i = 0; i < x.size(); ++i)
        if (!subset(quotient_256(L, -1 - i, x), g.initial_adjoint(i))) ++outside;
    }
    CHECK(outside == 0);
    MESSAGE("sphere adjoint, token box ±2^-12, L = ", L, ": widest gradient entry ", widest(g.gradient), ", p_0 ",
            widest(g.initial_adjoint));
  }
}

TEST_CASE("sphere discrete adjoint: an interval read-out — the terminal spread is carried by the ball") {
  // Γ[0][0] ∈ 1 ± 2⁻¹⁶, Γ[2][1] ∈ −1 ± 2⁻¹⁶ and point tokens: the iterates stay point-like, so the
  // whole spread of p_L over Γ sits in the ball δ_L and reaches the gradient and p_0 only through
  // the ball terms (mutations: without the ball in the gradient, or without ν_k(‖q̃ − cq‖₂ + δ_q)
  // in δ, corners escape). Every gradient entry and every coordinate of p_0 at two corners of Γ.
  MpPrecisionScope scope(256);
  const std::size_t L = 8;
  const double r = std::ldexp(1.0, -16);
  Readout<Interval> ro = sphere_readout<Interval>();
  ro.Gamma(0, 0) = ro.Gamma(0, 0) + Interval(-r, r);
  ro.Gamma(2, 1) = ro.Gamma(2, 1) + Interval(-r, r);
  const TransformerField<Interval> f = sphere_field<Interval>(sphere_layer<Interval>());
  const GradientEnclosure<Interval> g = enclose_loss_gradient(f, sphere_tokens<Interval>(), ro, Interval(1), L);
  INFO(g.verdict.reason());
  REQUIRE(g.verdict.is_proved());
  CHECK(widest(g.gradient) < 1e-3);
  int outside = 0;
  for (int corner = 0; corner < 2; ++corner) {
    Readout<M> rm = sphere_readout<M>();
    rm.Gamma(0, 0) = rm.Gamma(0, 0) + M(corner == 0 ? r : -r);
    rm.Gamma(2, 1) = rm.Gamma(2, 1) + M(corner == 0 ? -r : r);
    for (long j = 0; j < static_cast<long>(g.gradient.size()); ++j)
      if (!subset(quotient_256(L, j, sphere_tokens<M>(), rm), g.gradient(j))) ++outside;
    for (long i = 0; i < g.initial_adjoint.size(); ++i)
      if (!subset(quotient_256(L, -1 - i, sphere_tokens<M>(), rm), g.initial_adjoint(i))) ++outside;
  }
  CHECK(outside == 0);
  MESSAGE("sphere adjoint, interval read-out ±2^-16, L = ", L, ": widest gradient entry ", widest(g.gradient), ", p_0 ",
          widest(g.initial_adjoint), "; entries outside: ", outside);
}
