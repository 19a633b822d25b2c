// Per-layer weights in the config kinds ("model": {"dim", "sphere"?, "layers": [layer, …]};
// docs/transformer.md "Depth-L stacks"). Oracles: exact rational iterates of an affine stack
// (transformer.network), the closed-form flow and Euler errors of a scalar piecewise-affine stack
// evaluated at 256 bits (transformer.flow, euler.error), a 256-bit attention stack inside the
// binary64 one, the order of the layers mattering, and config errors at their JSON paths.
#include "certiformer/cert.hpp"
#include "certiformer/euler.hpp"
#include "config_support.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::cert;

namespace {

using test::result_of;
Rational lo(const EndpointText& e) { return parse_exact(e.lo_hex); }
Rational hi(const EndpointText& e) { return parse_exact(e.hi_hex); }

// Two scalar affine layers x' = a_k x + b_k on tokens in R¹ (no heads): layer 0 on [0, 1/2),
// layer 1 on [1/2, 1].
const std::array<Rational, 2> kA{Rational(-1, 2), Rational(3, 4)}, kB{Rational(1, 4), Rational(-1, 8)};
const std::array<Rational, 2> kX0{Rational(1), Rational(-1, 2)};
const std::string kScalarModel = R"({"dim": 1, "layers": [
    {"beta": 1, "heads": [], "W": [["-1/2"]], "b": ["1/4"]},
    {"beta": 1, "heads": [], "W": [["3/4"]], "b": ["-1/8"]}]})";
const std::string kScalarTokens = R"([["1"], ["-1/2"]])";

/// x(t) of the piecewise-affine scalar flow from x0, at 256 bits (closed form per piece:
/// x(s + τ) = (x(s) + b/a) e^{aτ} − b/a).
MpInterval scalar_flow(const Rational& x0, const Rational& t) {
  MpInterval x = enclose_mp(x0);
  Rational s(0);
  for (int k = 0; k < 2 && s < t; ++k) {
    const Rational end = k == 0 ? Rational(1, 2) : Rational(1);
    const Rational tau = (t < end ? t : end) - s;
    const MpInterval a = enclose_mp(kA[k]), ba = enclose_mp(kB[k]) / a;
    x = (x + ba) * exp(a * enclose_mp(tau)) - ba;
    s = end;
  }
  return x;
}

const std::string kAttentionStack = R"({"kind": "transformer.network",
  "model": {"dim": 2, "layers": [
    {"beta": "0x1.6a09e667f3bcdp-1", "W": [["-0.5", "0.25"], ["0.1", "-0.3"]], "b": ["0.05", "-0.1"],
     "heads": [{"Q": [["0.8", "-0.2"], ["0.3", "0.5"]], "K": [["0.4", "0.1"], ["-0.6", "0.9"]],
                "V": [["0.5", "-0.25"], ["0.125", "0.75"]]}]},
    {"beta": "1/3", "causal": true,
     "heads": [{"B": [["1", "-0.5"], ["0.25", "2"]], "V": [["-0.75", "0.5"], ["0.25", "0.5"]]},
               {"Q": [["0.1", "0.7"]], "K": [["-0.3", "0.2"]], "V": [["0.2", "0"], ["0", "0.2"]], "bV": ["0.1", "0"]}]},
    {"beta": "2", "heads": [{"B": [["0.5", "0"], ["0", "-0.5"]], "V": [["1", "0"], ["0", "1"]]}],
     "mlp": {"W1": [["1", "-1"], ["0.5", "0.5"], ["-0.25", "1"]], "b1": ["0", "0.1", "-0.1"],
             "W2": [["0.2", "-0.1", "0.3"], ["0.1", "0.4", "-0.2"]], "activation": "relu"}}]},
  "tokens": [[1, 0], ["-0.5", "0.75"], ["0.25", -1]], "step": "1/4"})";

}  // namespace

TEST_CASE("transformer.network with per-layer weights: the exact rational iterates of an affine stack (53, 256 bits)") {
  const std::string text = R"({"kind": "transformer.network", "model": )" + kScalarModel +
                           R"(, "tokens": )" + kScalarTokens + R"(, "step": "1/3"})";
  for (unsigned bits : {53u, 256u}) {
    const Certificate c = test::run_proved(text, bits);
    const auto& m = result_of<EnclosureMatrix>(c, "tokens_at_depth");
    for (std::size_t i = 0; i < 2; ++i) {
      Rational x = kX0[i];
      for (int k = 0; k < 2; ++k) x = x + Rational(1, 3) * (kA[k] * x + kB[k]);  // layer k at step k
      CAPTURE(m[i][0].lo_hex);
      CHECK(lo(m[i][0]) <= x);
      CHECK(x <= hi(m[i][0]));
      CHECK(hi(m[i][0]) - lo(m[i][0]) < Rational(bits == 53 ? 1e-14 : 1e-70));
      // the other order of the layers is a different network: its value is outside the enclosure
      Rational y = kX0[i];
      for (int k = 1; k >= 0; --k) y = y + Rational(1, 3) * (kA[k] * y + kB[k]);
      CHECK((y < lo(m[i][0]) || hi(m[i][0]) < y));
    }
  }
}

TEST_CASE("transformer.network with per-layer weights: attention stack (causal, biases, ReLU) — 256 bits ⊆ 53 bits; check") {
  const Certificate c = test::run_proved(kAttentionStack), m = test::run_proved(kAttentionStack, 256);
  const auto& a = result_of<EnclosureMatrix>(c, "tokens_at_depth");
  const auto& b = result_of<EnclosureMatrix>(m, "tokens_at_depth");
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < 2; ++j) {
      CHECK(hi(a[i][j]) - lo(a[i][j]) < Rational(1e-13));
      CHECK(lo(a[i][j]) <= lo(b[i][j]));
      CHECK(hi(b[i][j]) <= hi(a[i][j]));
    }
  CHECK(check_certificate(config_from_text(c.to_json().dump())).exit_code() == 0);
  // the same three layers in another order give another (disjoint somewhere) enclosure
  std::string swapped = kAttentionStack;
  const auto p1 = swapped.find("{\"beta\": \"1/3\"");
  const auto p2 = swapped.find("{\"beta\": \"2\"");
  const std::string l1 = swapped.substr(p1, p2 - p1 - 6), rest = swapped.substr(p2);
  const std::string l2 = rest.substr(0, rest.find("}}]},") + 2);
  swapped = test::replace_once(swapped, l1, "@@1");
  swapped = test::replace_once(swapped, l2, l1);
  swapped = test::replace_once(swapped, "@@1", l2);
  const Certificate s = test::run_proved(swapped);
  const auto& sw = result_of<EnclosureMatrix>(s, "tokens_at_depth");
  bool disjoint = false;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < 2; ++j) disjoint = disjoint || hi(sw[i][j]) < lo(a[i][j]) || hi(a[i][j]) < lo(sw[i][j]);
  CHECK(disjoint);
}

TEST_CASE("transformer.flow with per-layer weights: a piecewise-constant control contains the closed-form flow") {
  const std::string text = R"({"kind": "transformer.flow", "model": )" + kScalarModel + R"(, "tokens": )" +
                           kScalarTokens + R"(, "horizon": 1})";
  const Certificate c = test::run_proved(text);
  const auto& m = result_of<EnclosureMatrix>(c, "tokens_at_horizon");
  MpPrecisionScope scope(test::kOracleBits);
  for (std::size_t i = 0; i < 2; ++i) {
    const MpInterval x = scalar_flow(kX0[i], Rational(1));
    CAPTURE(m[i][0].lo_hex);
    CHECK(lo(m[i][0]) <= Rational(inf(x)));
    CHECK(Rational(sup(x)) <= hi(m[i][0]));
    CHECK(hi(m[i][0]) - lo(m[i][0]) < Rational(1e-12));
  }
}

TEST_CASE("euler.error with per-layer weights: error_by_depth contains the closed-form error of the piecewise stack") {
  const std::string text = R"({"kind": "euler.error", "model": )" + kScalarModel + R"(, "tokens": )" + kScalarTokens +
                           R"(, "horizon": 1, "depths": [2, 4, 8], "wrapping": "box"})";
  const Certificate c = test::run_proved(text);
  const auto& table = result_of<EnclosureMap>(c, "error_by_depth");
  auto at_depth = [&](long L) -> const EndpointText& {
    for (const auto& [k, v] : table)
      if (k == std::to_string(L)) return v;
    throw std::runtime_error("no depth " + std::to_string(L));
  };
  MpPrecisionScope scope(test::kOracleBits);
  for (long L : {2L, 4L, 8L}) {
    // err_L = max_k max_i |X^k_i − x_i(k/L)|, the Euler iterates exact (layer ⌊2k/L⌋ at step k)
    MpInterval err(0);
    for (std::size_t i = 0; i < 2; ++i) {
      Rational y = kX0[i];
      for (long k = 0; k <= L; ++k) {
        const MpInterval e = abs(enclose_mp(y) - scalar_flow(kX0[i], Rational(k, L)));
        err = max(err, e);
        const int layer = 2 * k < L ? 0 : 1;
        y = y + Rational(1, L) * (kA[layer] * y + kB[layer]);
      }
    }
    const EndpointText& e = at_depth(L);
    CAPTURE(L);
    CAPTURE(e.lo_hex);
    CHECK(lo(e) <= Rational(inf(err)));
    CHECK(Rational(sup(err)) <= hi(e));
    CHECK(hi(e) - lo(e) < Rational(1e-10));
  }
  // the control is constant on every Euler step (breakpoint 1/2 on every grid): the theorem
  // constant is certified, and it bounds the true err_L/ε
  const OneSidedText& C = result_of<OneSidedText>(c, "theorem_constant");
  for (const auto& cl : c.claims)
    if (cl.id.rfind("error_le_theorem_L", 0) == 0) CHECK_MESSAGE(cl.verdict == Status::proved, cl.id);
  CHECK(C.upper);
  for (long L : {2L, 4L, 8L}) CHECK(hi(at_depth(L)) * L <= parse_exact(C.bound_hex));
  CHECK(euler::detail::breakpoints_on_grids({0.5}, 1.0, {2, 4, 8}));
  CHECK_FALSE(euler::detail::breakpoints_on_grids({0.5}, 1.0, {2, 3}));
  CHECK_FALSE(euler::detail::breakpoints_on_grids({0.25}, 1.0, {2}));
  CHECK(euler::detail::breakpoints_on_grids({1.0, 2.0}, 1.0, {3}));  // outside (0, T): irrelevant
}

TEST_CASE("per-layer weights: config errors at their JSON paths") {
  const std::string net = R"({"kind": "transformer.network", "model": )" + kScalarModel + R"(, "tokens": )" +
                          kScalarTokens + R"(, "depth": 2})";
  (void)run_config(config_from_text(net));  // depth = the number of layers is accepted
  test::expect_config_error(test::replace_once(net, "\"depth\": 2", "\"depth\": 3"), "/depth", "number of layers");
  test::expect_config_error(test::replace_once(net, "{\"dim\": 1, \"layers\"", "{\"dim\": 1, \"beta\": 1, \"layers\""),
                            "/model");
  test::expect_config_error(test::replace_once(net, "{\"beta\": 1, \"heads\": [], \"W\": [[\"-1/2\"]]",
                                               "{\"dim\": 1, \"beta\": 1, \"heads\": [], \"W\": [[\"-1/2\"]]"),
                            "/model/layers/0");
  test::expect_config_error(test::replace_once(net, "[[\"3/4\"]]", "[[\"3/4\", \"1\"]]"), "/model/layers/1/W");
  test::expect_config_error(R"({"kind": "transformer.network", "model": {"dim": 1, "layers": []}, "tokens": [[1]]})",
                            "/model/layers", "at least one layer");
  const std::string err = R"({"kind": "euler.error", "model": )" + kScalarModel + R"(, "tokens": )" + kScalarTokens +
                          R"(, "horizon": 1, "depths": [2, 3]})";
  test::expect_config_error(err, "/depths/1", "multiple of the number of layers");
  test::expect_config_error(test::replace_once(err, "\"depths\": [2, 3]}",
                                               "\"depths\": [2], \"readout\": {\"Gamma\": [[\"1\"], [\"-1\"]], "
                                               "\"labels\": [0, 1], \"gradient_depth\": 3}}"),
                            "/readout/gradient_depth", "multiple of the number of layers");
  // three layers on [0, 1]: 1/3 is not a binary64 number
  const std::string three = R"({"dim": 1, "layers": [{"beta": 1, "heads": []}, {"beta": 1, "heads": []},
                                                    {"beta": 1, "heads": []}]})";
  test::expect_config_error(R"({"kind": "transformer.flow", "model": )" + three + R"(, "tokens": [[1]], "horizon": 1})",
                            "/model/layers", "binary64");
  test::expect_config_error(R"({"kind": "transformer.flow", "model": {"dim": 1, "layers": [{"beta": 1, "heads": [],
      "mlp": {"W1": [["1"]], "W2": [["1"]], "activation": "relu"}}]}, "tokens": [[1]], "horizon": 1})",
                            "/model/layers/0/mlp/activation", "relu");
  test::expect_config_error(R"({"kind": "bellman.gap", "model": )" + kScalarModel + R"(, "tokens": [[1]],
      "labels": [0], "readout": [["1"]], "epsilon": "1/2", "layers": 2})",
                            "/model/layers", "bellman.gap");
}

// ---- smooth time-varying controls: {"dim", "basis": [φ_0, …], "layers": [θ_0, …]} -------------
// The scalar model f = w(t)x, w(t) = w0 + w1 t + w2 sin 2t (no heads, W only): the flow is
// x0 e^{Φ(t)}, Φ(t) = w0 t + w1 t²/2 + w2 (1 − cos 2t)/2, the depth-L network x0 Π_k (1 + ε w(t_k)).
namespace {
const std::array<const char*, 3> kW{"1/2", "-3/4", "2/5"};
const std::string kSmoothModel = R"({"dim": 1, "basis": [{"power": 0}, {"power": 1}, {"sin": 2}], "layers": [
    {"beta": 1, "heads": [], "W": [["1/2"]]}, {"beta": 1, "heads": [], "W": [["-3/4"]]},
    {"beta": 1, "heads": [], "W": [["2/5"]]}]})";
MpInterval smooth_w(const MpInterval& t) {
  return enclose_mp(parse_exact(kW[0])) + enclose_mp(parse_exact(kW[1])) * t + enclose_mp(parse_exact(kW[2])) * sin(MpInterval(2) * t);
}
MpInterval smooth_flow(const Rational& x0, const MpInterval& t) {
  const MpInterval Phi = enclose_mp(parse_exact(kW[0])) * t + enclose_mp(parse_exact(kW[1])) * sqr(t) / MpInterval(2) +
                         enclose_mp(parse_exact(kW[2])) * (MpInterval(1) - cos(MpInterval(2) * t)) / MpInterval(2);
  return enclose_mp(x0) * exp(Phi);
}
}  // namespace

TEST_CASE("transformer.flow with a smooth control: the closed-form flow of f = (w0 + w1 t + w2 sin 2t) x is enclosed") {
  const Certificate c = test::run_proved(R"({"kind": "transformer.flow", "model": )" + kSmoothModel + R"(, "tokens": )" +
                                         kScalarTokens + R"(, "horizon": 1})");
  const auto& m = result_of<EnclosureMatrix>(c, "tokens_at_horizon");
  MpPrecisionScope scope(test::kOracleBits);
  for (std::size_t i = 0; i < 2; ++i) {
    const MpInterval x = smooth_flow(kX0[i], MpInterval(1));
    CHECK(lo(m[i][0]) <= Rational(inf(x)));
    CHECK(Rational(sup(x)) <= hi(m[i][0]));
    CHECK(hi(m[i][0]) - lo(m[i][0]) < Rational(1e-12));
  }
}

TEST_CASE("euler.error with a smooth control: closed-form errors and discrete gradient; no theorem claim") {
  // depths 5 and 8 (no multiple-of-m rule for a smooth control); two-class read-out Γ = (1, −1)ᵀ,
  // labels 0: J = (1/2) Σ_i ℓ(x_{L,i}), ℓ(x) = log(1 + e^{−2x}), and
  // ∂J/∂w_m = (1/2) Σ_i ℓ'(x_{L,i}) x_{L,i} Σ_k ε φ_m(t_k)/(1 + ε w(t_k)), φ = (1, t, sin 2t).
  const std::string text = R"({"kind": "euler.error", "model": )" + kSmoothModel + R"(, "tokens": )" + kScalarTokens +
                           R"(, "horizon": 1, "depths": [5, 8], "wrapping": "box",
      "readout": {"Gamma": [["1"], ["-1"]], "labels": [0, 0], "gradient_depth": 5, "flow_gradient": "none"}})";
  const Certificate c = run_config(config_from_text(text));
  for (const auto& cl : c.claims) {
    CHECK_MESSAGE(cl.id.rfind("error_le_theorem_L", 0) != 0, cl.id);  // not claimed for a smooth control
    if (cl.id == "not_stationary") CHECK(cl.verdict == Status::proved);
  }
  const auto& table = result_of<EnclosureMap>(c, "error_by_depth");
  MpPrecisionScope scope(test::kOracleBits);
  for (const auto& [key, e] : table) {
    const long L = std::stol(key);
    MpInterval err(0);
    for (std::size_t i = 0; i < 2; ++i) {
      MpInterval y = enclose_mp(kX0[i]);
      for (long k = 0; k <= L; ++k) {
        const MpInterval t = enclose_mp(Rational(k, L));
        err = max(err, abs(y - smooth_flow(kX0[i], t)));
        y = y * (MpInterval(1) + smooth_w(t) / MpInterval(L));
      }
    }
    CAPTURE(L);
    CHECK(lo(e) <= Rational(inf(err)));
    CHECK(Rational(sup(err)) <= hi(e));
    CHECK(hi(e) - lo(e) < Rational(1e-10));
  }
  // the discrete gradient at depth 5 against the closed form
  const auto& g = result_of<EnclosureVector>(c, "gradient");
  const auto& names = result_of<std::string>(c, "gradient_parameters");
  CHECK(names == "layers[0].W[0][0] layers[1].W[0][0] layers[2].W[0][0]");
  REQUIRE(g.size() == 3);
  const long L = 5;
  MpInterval grad[3] = {MpInterval(0), MpInterval(0), MpInterval(0)};
  for (std::size_t i = 0; i < 2; ++i) {
    MpInterval x = enclose_mp(kX0[i]), S[3] = {MpInterval(0), MpInterval(0), MpInterval(0)};
    for (long k = 0; k < L; ++k) {
      const MpInterval t = enclose_mp(Rational(k, L)), rho = MpInterval(1) + smooth_w(t) / MpInterval(L);
      const MpInterval phi[3] = {MpInterval(1), t, sin(MpInterval(2) * t)};
      for (int m = 0; m < 3; ++m) S[m] += phi[m] / (MpInterval(L) * rho);
      x *= rho;
    }
    const MpInterval dl = MpInterval(-2) / (MpInterval(1) + exp(MpInterval(2) * x));
    for (int m = 0; m < 3; ++m) grad[m] += dl * x * S[m] / MpInterval(2);
  }
  for (int m = 0; m < 3; ++m) {
    CAPTURE(m);
    CHECK(lo(g[static_cast<std::size_t>(m)]) <= Rational(inf(grad[m])));
    CHECK(Rational(sup(grad[m])) <= hi(g[static_cast<std::size_t>(m)]));
    CHECK(hi(g[static_cast<std::size_t>(m)]) - lo(g[static_cast<std::size_t>(m)]) < Rational(1e-12));
  }
}

TEST_CASE("smooth controls: config errors at their JSON paths") {
  const std::string flow = R"({"kind": "transformer.flow", "model": )" + kSmoothModel + R"(, "tokens": [[1]], "horizon": 1})";
  test::expect_config_error(test::replace_once(flow, R"(, {"sin": 2}])", "]"), "/model/basis", "one basis function per");
  test::expect_config_error(test::replace_once(flow, R"({"sin": 2})", R"({"tan": 2})"), "/model/basis/2");
  test::expect_config_error(test::replace_once(flow, R"({"sin": 2})", R"({"sin": 2, "cos": 1})"), "/model/basis/2",
                            "exactly one");
  test::expect_config_error(test::replace_once(flow, R"({"power": 1})", R"({"power": -1})"), "/model/basis/1/power");
  test::expect_config_error(test::replace_once(flow, R"({"beta": 1, "heads": [], "W": [["2/5"]]})",
                                               R"({"beta": 1, "heads": [], "W": [["2/5"]], "b": ["1"]})"),
                            "/model/layers", "one shape");
  test::expect_config_error(R"({"kind": "transformer.flow", "model": {"dim": 1, "basis": [{"power": 0}], "beta": 1,
      "heads": []}, "tokens": [[1]], "horizon": 1})", "/model/basis", "needs \"layers\"");
  // kinds without a smooth control
  test::expect_config_error(R"({"kind": "transformer.network", "model": )" + kSmoothModel + R"(, "tokens": [[1]]})",
                            "/model/basis", "smooth");
}
