// Review: the continuous-flow adjoint (euler::enclose_flow_loss_gradient,
// enclose_flow_directional_derivative, layer_directions; docs/euler.md §9) for per-layer
// (piecewise-constant) controls, the sphere model and static features, against an oracle that
// shares no code with the library's field, integrators or adjoint:
//   * the field re-implemented from docs/transformer.md (heads in Q/K and B form, in-projection
//     biases, causal mask, affine FFN, MLP with tanh / softplus / GELU-tanh, static features,
//     sphere projection f_i = g_i − x_i⟨x_i, g_i⟩) over a forward-mode dual number on __float128;
//   * the flow integrated piece by piece ([t_i, t_{i+1}) ∩ [0, T], pieces selected by this file)
//     by Gragg–Bulirsch–Stoer extrapolation (modified midpoint, n = 2, 4, …, 24, i.e. order 24)
//     with 2 and 4 macro-steps per unit time (and per piece); the derivative is the dual part (the exact
//     derivative of the discrete scheme, which converges with it); error estimate
//     err = 10·|run_2 − run_4| + 1e-28, and a central difference of the value checks the dual code;
//   * parameters are looked up by the *name* the library reports (layers[i].heads[h].Q[r][c], …),
//     so a wrong name ↔ entry association fails too.
// Every certified enclosure must meet [oracle − err, oracle + err]. Also: the library's discrete
// adjoint (enclose_loss_gradient, L = 256 and 512) against the same oracle run as an Euler network
// (containment) and its O(1/L) approach to the flow gradient.
// Exit 0 = no containment failure. Plain program (suite containment).
#include "certiformer/cert.hpp"
#include "certiformer/core.hpp"
#include "certiformer/euler.hpp"
#include "certiformer/transformer.hpp"

#include <quadmath.h>

#include <cfenv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::transformer;
using Q = __float128;

namespace {
// ------------------------------------------------------------------ dual numbers over __float128
struct D {
  Q v = 0, d = 0;
};
D operator+(D a, D b) { return {a.v + b.v, a.d + b.d}; }
D operator-(D a, D b) { return {a.v - b.v, a.d - b.d}; }
D operator*(D a, D b) { return {a.v * b.v, a.d * b.v + a.v * b.d}; }
D operator/(D a, D b) { return {a.v / b.v, (a.d * b.v - a.v * b.d) / (b.v * b.v)}; }
D& operator+=(D& a, D b) { return a = a + b; }
D dexp(D a) { const Q e = expq(a.v); return {e, e * a.d}; }
D dlog(D a) { return {logq(a.v), a.d / a.v}; }
D dlog1p(D a) { return {log1pq(a.v), a.d / (1 + a.v)}; }
D dtanh(D a) { const Q t = tanhq(a.v); return {t, (1 - t * t) * a.d}; }
D cst(Q v) { return {v, 0}; }
double dbl(Q x) { return static_cast<double>(x); }
std::string qs(Q x) {
  char b[64];
  quadmath_snprintf(b, sizeof b, "%.20Qe", x);
  return b;
}

// ------------------------------------------------------------------ model spec (exact dyadics)
using DM = std::vector<std::vector<double>>;
using DV = std::vector<double>;
struct SHead { DM Q, K, B, V; DV bQ, bK, bV; };
struct SLayer {
  double beta = 1;
  std::vector<SHead> heads;
  DM W; DV b;
  bool mlp = false; DM W1, W2; DV b1, b2; Activation act = Activation::tanh;
  bool causal = false;
};
struct Model {
  int n = 3, d = 2, dp = 0;
  std::vector<SLayer> layers;
  std::vector<double> bps;  // empty: constant control
  bool sphere = false;
  DM P;                     // n × dp features
  DV x0;                    // n·d
  DM Gamma; std::vector<int> labels;
};

std::mt19937_64 G(20261205);
double dy(double a) {  // dyadic in [−a, a], multiple of 2⁻⁸
  std::uniform_real_distribution<double> U(-a, a);
  return std::ldexp(std::round(std::ldexp(U(G), 8)), -8);
}
DM rm(int r, int c, double a) { DM m(r, DV(c)); for (auto& row : m) for (auto& x : row) x = dy(a); return m; }
DV rv(int r, double a) { DV v(r); for (auto& x : v) x = dy(a); return v; }

// ------------------------------------------------------------------ the library's model
template <class T> Mat<T> lm(const DM& m) {
  Mat<T> r(static_cast<Eigen::Index>(m.size()), m.empty() ? 0 : static_cast<Eigen::Index>(m[0].size()));
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < m[i].size(); ++j) r(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = T(m[i][j]);
  return r;
}
template <class T> Vec<T> lv(const DV& v) {
  Vec<T> r(static_cast<Eigen::Index>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) r(static_cast<Eigen::Index>(i)) = T(v[i]);
  return r;
}
template <class T> Layer<T> lib_layer(const SLayer& s) {
  Layer<T> l;
  l.beta = T(s.beta);
  for (const auto& h : s.heads) {
    Head<T> H;
    if (!h.B.empty()) H.B = lm<T>(h.B);
    else { H.Q = lm<T>(h.Q); H.K = lm<T>(h.K); }
    H.V = lm<T>(h.V);
    if (!h.bQ.empty()) H.bQ = lv<T>(h.bQ);
    if (!h.bK.empty()) H.bK = lv<T>(h.bK);
    if (!h.bV.empty()) H.bV = lv<T>(h.bV);
    l.heads.push_back(H);
  }
  if (!s.W.empty()) l.W = lm<T>(s.W);
  if (!s.b.empty()) l.b = lv<T>(s.b);
  if (s.mlp) {
    Mlp<T> m;
    m.W1 = lm<T>(s.W1); m.W2 = lm<T>(s.W2);
    if (!s.b1.empty()) m.b1 = lv<T>(s.b1);
    if (!s.b2.empty()) m.b2 = lv<T>(s.b2);
    m.activation = s.act;
    l.mlp = m;
  }
  l.causal = s.causal;
  return l;
}
template <class T> TransformerField<T> lib_field(const Model& M) {
  std::vector<Layer<T>> ls;
  for (const auto& s : M.layers) ls.push_back(lib_layer<T>(s));
  const Control<T> c = M.bps.empty() ? Control<T>::constant(ls[0]) : Control<T>::piecewise(M.bps, ls);
  return TransformerField<T>(M.n, M.d, c, M.sphere, M.dp ? lm<T>(M.P) : Mat<T>());
}
template <class T> Readout<T> lib_readout(const Model& M) { return Readout<T>{lm<T>(M.Gamma), M.labels}; }

// ------------------------------------------------------------------ the oracle's model
using OM = std::vector<std::vector<D>>;
using OV = std::vector<D>;
struct OHead { OM Q, K, B, V; OV bQ, bK, bV; };
struct OLayer {
  D beta;
  std::vector<OHead> heads;
  OM W; OV b;
  bool mlp = false; OM W1, W2; OV b1, b2; Activation act = Activation::tanh;
  bool causal = false;
};
OM om(const DM& m) { OM r(m.size()); for (std::size_t i = 0; i < m.size(); ++i) for (double x : m[i]) r[i].push_back(cst(x)); return r; }
OV ov(const DV& v) { OV r; for (double x : v) r.push_back(cst(x)); return r; }
OLayer o_layer(const SLayer& s) {
  OLayer l;
  l.beta = cst(s.beta);
  for (const auto& h : s.heads) l.heads.push_back(OHead{om(h.Q), om(h.K), om(h.B), om(h.V), ov(h.bQ), ov(h.bK), ov(h.bV)});
  l.W = om(s.W); l.b = ov(s.b);
  l.mlp = s.mlp; l.W1 = om(s.W1); l.W2 = om(s.W2); l.b1 = ov(s.b1); l.b2 = ov(s.b2); l.act = s.act;
  l.causal = s.causal;
  return l;
}
/// name → entry, names written from docs/euler.md §8 (not from the library's visitor).
void o_names(OLayer& l, const std::string& pre, std::map<std::string, D*>& out) {
  auto mat = [&](OM& m, const std::string& nm) {
    for (std::size_t r = 0; r < m.size(); ++r)
      for (std::size_t c = 0; c < m[r].size(); ++c) out[pre + nm + "[" + std::to_string(r) + "][" + std::to_string(c) + "]"] = &m[r][c];
  };
  auto vec = [&](OV& v, const std::string& nm) {
    for (std::size_t r = 0; r < v.size(); ++r) out[pre + nm + "[" + std::to_string(r) + "]"] = &v[r];
  };
  if (!l.heads.empty()) out[pre + "beta"] = &l.beta;
  for (std::size_t h = 0; h < l.heads.size(); ++h) {
    const std::string p = "heads[" + std::to_string(h) + "].";
    mat(l.heads[h].Q, p + "Q"); mat(l.heads[h].K, p + "K"); mat(l.heads[h].B, p + "B"); mat(l.heads[h].V, p + "V");
    vec(l.heads[h].bQ, p + "bQ"); vec(l.heads[h].bK, p + "bK"); vec(l.heads[h].bV, p + "bV");
  }
  mat(l.W, "W"); vec(l.b, "b");
  if (l.mlp) { mat(l.W1, "mlp.W1"); vec(l.b1, "mlp.b1"); mat(l.W2, "mlp.W2"); vec(l.b2, "mlp.b2"); }
}

const Q kGeluC = sqrtq(Q(2) / (4 * atanq(Q(1))));  // √(2/π)
const Q kGeluA = strtoflt128("0.044715", nullptr);
D act(Activation a, D u) {
  switch (a) {
    case Activation::tanh: return dtanh(u);
    case Activation::softplus: return dlog1p(dexp(u));
    case Activation::gelu_tanh: return cst(0.5) * u * (cst(1) + dtanh(cst(kGeluC) * (u + cst(kGeluA) * u * u * u)));
    default: break;
  }
  std::fprintf(stderr, "oracle: unsupported activation\n");
  std::exit(3);
}
D dot(const std::vector<D>& a, const std::vector<D>& b) { D s; for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i]; return s; }
std::vector<D> matvec(const OM& A, const std::vector<D>& x) {
  std::vector<D> y(A.size());
  for (std::size_t r = 0; r < A.size(); ++r) y[r] = dot(A[r], x);
  return y;
}

struct Oracle {
  int n, d, dp;
  bool sphere;
  std::vector<OLayer> layers;
  std::vector<double> bps;
  DM P;
  /// g_i and f_i of docs/transformer.md for layer l at state X (n·d).
  std::vector<D> field(const OLayer& l, const std::vector<D>& X) const {
    const int m = d + dp;
    std::vector<std::vector<D>> z(n, std::vector<D>(m));
    for (int i = 0; i < n; ++i) {
      for (int c = 0; c < d; ++c) z[i][c] = X[i * d + c];
      for (int c = 0; c < dp; ++c) z[i][d + c] = cst(P[i][c]);
    }
    std::vector<D> F(n * d);
    for (const auto& h : l.heads) {
      std::vector<std::vector<D>> q(n), k(n), val(n);
      for (int j = 0; j < n; ++j) {
        val[j] = matvec(h.V, z[j]);
        if (!h.bV.empty()) for (int c = 0; c < d; ++c) val[j][c] += h.bV[c];
        if (h.B.empty()) {
          q[j] = matvec(h.Q, z[j]); k[j] = matvec(h.K, z[j]);
          if (!h.bQ.empty()) for (std::size_t c = 0; c < q[j].size(); ++c) q[j][c] += h.bQ[c];
          if (!h.bK.empty()) for (std::size_t c = 0; c < k[j].size(); ++c) k[j][c] += h.bK[c];
        }
      }
      for (int i = 0; i < n; ++i) {
        const int jn = l.causal ? i + 1 : n;
        std::vector<D> s(jn);
        for (int j = 0; j < jn; ++j) {
          if (h.B.empty()) s[j] = l.beta * dot(q[i], k[j]);
          else s[j] = l.beta * dot(z[j], matvec(h.B, z[i]));  // β z_jᵀ B z_i
        }
        Q mx = s[0].v;
        for (int j = 1; j < jn; ++j) mx = fmaxq(mx, s[j].v);
        std::vector<D> e(jn);
        D Z;
        for (int j = 0; j < jn; ++j) { e[j] = dexp(s[j] - cst(mx)); Z += e[j]; }
        for (int j = 0; j < jn; ++j) {
          const D w = e[j] / Z;
          for (int c = 0; c < d; ++c) F[i * d + c] += w * val[j][c];
        }
      }
    }
    for (int i = 0; i < n; ++i) {
      std::vector<D> x(X.begin() + i * d, X.begin() + (i + 1) * d);
      if (!l.W.empty()) { const auto y = matvec(l.W, x); for (int c = 0; c < d; ++c) F[i * d + c] += y[c]; }
      if (!l.b.empty()) for (int c = 0; c < d; ++c) F[i * d + c] += l.b[c];
      if (l.mlp) {
        auto u = matvec(l.W1, x);
        for (std::size_t r = 0; r < u.size(); ++r) u[r] = act(l.act, l.b1.empty() ? u[r] : u[r] + l.b1[r]);
        const auto y = matvec(l.W2, u);
        for (int c = 0; c < d; ++c) F[i * d + c] += l.b2.empty() ? y[c] : y[c] + l.b2[c];
      }
      if (sphere) {
        D xg;
        for (int c = 0; c < d; ++c) xg += x[c] * F[i * d + c];
        for (int c = 0; c < d; ++c) F[i * d + c] = F[i * d + c] - x[c] * xg;
      }
    }
    return F;
  }
  /// One GBS macro-step of size H with layer l.
  std::vector<D> gbs_step(const OLayer& l, const std::vector<D>& y, Q H) const {
    constexpr int K = 12;
    std::vector<std::vector<std::vector<D>>> T(K);
    const std::size_t N = y.size();
    for (int k = 0; k < K; ++k) {
      const int ns = 2 * (k + 1);
      const D h = cst(H / ns);
      std::vector<D> z0 = y, z1(N);
      auto f0 = field(l, z0);
      for (std::size_t i = 0; i < N; ++i) z1[i] = z0[i] + h * f0[i];
      for (int s = 1; s < ns; ++s) {
        const auto f1 = field(l, z1);
        for (std::size_t i = 0; i < N; ++i) {
          const D z2 = z0[i] + cst(2) * h * f1[i];
          z0[i] = z1[i];
          z1[i] = z2;
        }
      }
      const auto fn = field(l, z1);
      std::vector<D> r(N);
      for (std::size_t i = 0; i < N; ++i) r[i] = cst(0.5) * (z1[i] + z0[i] + h * fn[i]);
      T[k].push_back(r);
      for (int j = 1; j <= k; ++j) {
        const Q ratio = Q(2 * (k + 1)) / Q(2 * (k + 1 - j));
        const Q den = ratio * ratio - 1;
        std::vector<D> t(N);
        for (std::size_t i = 0; i < N; ++i) t[i] = T[k][j - 1][i] + (T[k][j - 1][i] - T[k - 1][j - 1][i]) / cst(den);
        T[k].push_back(t);
      }
    }
    return T[K - 1][K - 1];
  }
  /// X(T) of the flow, M macro-steps per unit time on every active piece.
  std::vector<D> flow(std::vector<D> X, Q Tend, int M) const {
    const std::size_t m = layers.size();
    for (std::size_t i = 0; i < m; ++i) {
      Q a = i == 0 ? Q(0) : Q(bps[i - 1]);
      Q b = i + 1 == m ? Tend : Q(bps[i]);
      if (a < 0) a = 0;
      if (b > Tend) b = Tend;
      if (!(b > a)) continue;
      const int steps = std::max(1, static_cast<int>(ceilq((b - a) * M)));
      const Q H = (b - a) / steps;
      for (int s = 0; s < steps; ++s) X = gbs_step(layers[i], X, H);
    }
    return X;
  }
  /// The exact Euler network of depth L (step k uses the piece of t_k = kT/L; sphere: renormalised).
  std::vector<D> euler(std::vector<D> X, double Tend, int L) const {
    const D eps = cst(Q(Tend) / L);
    for (int k = 0; k < L; ++k) {
      std::size_t piece = 0;
      for (double b : bps)
        if (Q(k) * Q(Tend) >= Q(b) * Q(L)) ++piece;  // exact: 53-bit × small integers
      const auto F = field(layers[piece], X);
      for (std::size_t i = 0; i < X.size(); ++i) X[i] = X[i] + eps * F[i];
      if (sphere)
        for (int t = 0; t < n; ++t) {
          D r;
          for (int c = 0; c < d; ++c) r += X[t * d + c] * X[t * d + c];
          const D nr{sqrtq(r.v), r.d / (2 * sqrtq(r.v))};
          for (int c = 0; c < d; ++c) X[t * d + c] = X[t * d + c] / nr;
        }
    }
    return X;
  }
};

D o_loss(const Model& M, const std::vector<D>& X) {
  D J;
  for (int i = 0; i < M.n; ++i) {
    std::vector<D> u(M.Gamma.size());
    for (std::size_t k = 0; k < M.Gamma.size(); ++k) {
      D s;
      for (int c = 0; c < M.d; ++c) s += cst(M.Gamma[k][c]) * X[i * M.d + c];
      u[k] = s;
    }
    Q mx = u[0].v;
    for (const auto& x : u) mx = fmaxq(mx, x.v);
    D S;
    for (const auto& x : u) S += dexp(x - cst(mx));
    J += cst(mx) + dlog(S) - u[static_cast<std::size_t>(M.labels[i])];
  }
  return J / cst(M.n);
}

/// A direction: parameter name → coefficient (library names), and/or an initial-state seed.
struct Dir {
  std::map<std::string, double> param;
  std::vector<double> x0;  // empty = 0
};
struct OracleValue { Q value, err; };

/// J'(θ)·v (flow, or the Euler network of depth L when L > 0) with its error estimate.
double g_oracle_seconds = 0;
OracleValue oracle_impl(const Model& M, const Dir& v, double Tend, int L, Q h_fd);
OracleValue oracle(const Model& M, const Dir& v, double Tend, int L = 0, Q h_fd = 0) {
  const auto c0 = std::chrono::steady_clock::now();
  const OracleValue r = oracle_impl(M, v, Tend, L, h_fd);
  g_oracle_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
  return r;
}
OracleValue oracle_impl(const Model& M, const Dir& v, double Tend, int L, Q h_fd) {
  if (std::fegetround() != FE_TONEAREST) { std::fprintf(stderr, "rounding mode not nearest\n"); std::exit(3); }
  auto run = [&](int Mb, Q shift) -> D {
    Oracle o{M.n, M.d, M.dp, M.sphere, {}, M.bps, M.P};
    for (const auto& s : M.layers) o.layers.push_back(o_layer(s));
    std::map<std::string, D*> names;
    for (std::size_t i = 0; i < o.layers.size(); ++i)
      o_names(o.layers[i], M.bps.empty() ? std::string() : "layers[" + std::to_string(i) + "].", names);
    for (const auto& [nm, c] : v.param) {
      const auto it = names.find(nm);
      if (it == names.end()) { std::fprintf(stderr, "oracle: no parameter named %s\n", nm.c_str()); std::exit(3); }
      it->second->d = c;
      it->second->v += shift * c;
    }
    std::vector<D> X(M.x0.size());
    for (std::size_t i = 0; i < X.size(); ++i) X[i] = {Q(M.x0[i]) + (v.x0.empty() ? 0 : shift * v.x0[i]), v.x0.empty() ? 0 : Q(v.x0[i])};
    return o_loss(M, L > 0 ? o.euler(X, Tend, L) : o.flow(X, Tend, Mb));
  };
  if (L > 0) {  // the Euler network is evaluated exactly up to rounding
    const D r = run(0, 0);
    return {r.d, Q(1e-26) * (1 + fabsq(r.d))};
  }
  const D a = run(2, 0), b = run(4, 0);
  const Q err = 10 * fabsq(a.d - b.d) + Q(1e-28);
  if (h_fd > 0) {  // self-check of the dual code: central difference of the value
    const Q fd = (run(4, h_fd).v - run(4, -h_fd).v) / (2 * h_fd);
    if (fabsq(fd - b.d) > Q(1e-15) * (1 + fabsq(b.d))) {
      std::fprintf(stderr, "oracle self-check failed: dual %s vs difference %s\n", qs(b.d).c_str(), qs(fd).c_str());
      std::exit(3);
    }
  }
  return {b.d, err};
}

// ------------------------------------------------------------------ comparisons
int g_fail = 0, g_checks = 0;
double g_max_oerr = 0, g_max_wid = 0;
void compare(const std::string& what, const Interval& enc, const OracleValue& o) {
  ++g_checks;
  const Q lo = Q(inf(enc)), hi = Q(sup(enc));
  const bool ok = !(o.value + o.err < lo || o.value - o.err > hi);
  g_max_oerr = std::max(g_max_oerr, dbl(o.err));
  g_max_wid = std::max(g_max_wid, wid(enc));
  std::printf("  %-4s %-34s enclosure [% .17e, % .17e] wid %.1e  oracle %s ± %.1e\n", ok ? "ok" : "FAIL", what.c_str(),
              inf(enc), sup(enc), wid(enc), qs(o.value).c_str(), dbl(o.err));
  if (!ok) {
    ++g_fail;
    std::printf("       hex: [%a, %a], oracle %a\n", inf(enc), sup(enc), dbl(o.value));
  }
}

Interval to_iv(const Interval& x) { return x; }
Interval to_iv(const MpInterval& x) { return to_interval(x); }
long index_of(const std::vector<std::string>& names, const std::string& nm) {
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j] == nm) return static_cast<long>(j);
  std::fprintf(stderr, "the library reports no parameter %s\n", nm.c_str());
  std::exit(3);
}
std::vector<std::string> lib_names(const Model& M) {
  const auto f = lib_field<Interval>(M);
  std::vector<std::string> names;
  (void)euler::detail::perturbed_layer<Interval>(f.control().layers[0], -1, &names);
  if (M.bps.empty()) return names;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < M.layers.size(); ++i)
    for (const auto& nm : names) out.push_back("layers[" + std::to_string(i) + "]." + nm);
  return out;
}

/// Gradient entries `want` (library names) and, with `p0`, the initial adjoint.
template <class T = Interval>
void check_gradient(const std::string& tag, const Model& M, double Tend, const std::vector<std::string>& want,
                    bool p0 = false, ode::Wrapping wrap = ode::Wrapping::qr, bool fd_selfcheck = false) {
  const auto clock0 = std::chrono::steady_clock::now();
  const auto f = lib_field<T>(M);
  const auto ro = lib_readout<T>(M);
  const auto all = lib_names(M);
  std::vector<long> which;
  for (const auto& nm : want) which.push_back(index_of(all, nm));
  ode::TaylorOptions opt;
  opt.wrapping = wrap;
  if constexpr (!std::is_same_v<T, Interval>) {  // cheaper than the defaults at 128 bits (order 44, 2⁻¹²⁸)
    opt.order = 30;
    opt.tolerance = std::ldexp(1.0, -100);
  }
  const auto g = euler::enclose_flow_loss_gradient<T>(f, lv<T>(M.x0), ro, Tend, opt, which, p0);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
  std::printf("%s: T = %.17g, breakpoints {", tag.c_str(), Tend);
  for (double b : M.bps) std::printf(" %.17g", b);
  std::printf(" }, n = %d, d = %d, d_p = %d, sphere %d, %zu entries%s, %s, %.1f s\n", M.n, M.d, M.dp, M.sphere ? 1 : 0,
              want.size(), p0 ? " + p(0)" : "", std::is_same_v<T, Interval> ? "binary64" : "MpInterval", secs);
  if (!g.verdict.is_proved()) {  // unknown is honest but makes this test useless: count it
    std::printf("  FAIL (not proved: %s)\n", g.verdict.reason().c_str());
    ++g_fail;
    return;
  }
  if (g.names != all) { std::printf("  FAIL: the names differ from the documented order\n"); ++g_fail; }
  bool first = true;
  for (std::size_t k = 0; k < want.size(); ++k) {
    Dir v;
    v.param[want[k]] = 1;
    compare("dJ/d " + want[k], to_iv(g.gradient(which[k])), oracle(M, v, Tend, 0, first && fd_selfcheck ? Q(1e-12) : Q(0)));
    first = false;
  }
  // entries not requested are the whole line (never a claim)
  for (std::size_t j = 0; j < all.size(); ++j)
    if (std::find(which.begin(), which.end(), static_cast<long>(j)) == which.end() &&
        !(inf(to_iv(g.gradient(static_cast<Eigen::Index>(j)))) == -INFINITY && sup(to_iv(g.gradient(static_cast<Eigen::Index>(j)))) == INFINITY)) {
      std::printf("  FAIL: entry %s not requested but not (−∞, ∞)\n", all[j].c_str());
      ++g_fail;
    }
  if (p0)
    for (int i = 0; i < M.n * M.d; ++i) {
      Dir v;
      v.x0.assign(M.x0.size(), 0);
      v.x0[static_cast<std::size_t>(i)] = 1;
      compare("p(0)_" + std::to_string(i), to_iv(g.initial_adjoint(i)), oracle(M, v, Tend));
    }
}

/// J'(θ)·v for a random direction over every entry of every layer (β entries = beta_scale when < 0).
void check_direction(const std::string& tag, const Model& M, double Tend, double beta_scale) {
  const auto clock0 = std::chrono::steady_clock::now();
  const auto f = lib_field<Interval>(M);
  const auto all = lib_names(M);
  Vec<Interval> c(static_cast<Eigen::Index>(all.size()));
  Dir v;
  for (std::size_t j = 0; j < all.size(); ++j) {
    double x = dy(1);
    const bool is_beta = all[j].size() >= 4 && all[j].compare(all[j].size() - 4, 4, "beta") == 0;
    if (is_beta && beta_scale < 0) x = beta_scale;  // β + v_β ≤ 0: the λ-scaling path
    c(static_cast<Eigen::Index>(j)) = Interval(x);
    v.param[all[j]] = x;
  }
  const auto dirs = euler::layer_directions<Interval>(f, c);
  const auto [vd, val] = euler::enclose_flow_directional_derivative<Interval>(f, lv<Interval>(M.x0), lib_readout<Interval>(M), Tend, dirs);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
  std::printf("%s: directional derivative along a random direction over all %zu entries (beta coefficient %s), %.1f s\n",
              tag.c_str(), all.size(), beta_scale < 0 ? "negative, forces λ > 1" : "random", secs);
  if (!vd.is_proved()) {
    std::printf("  FAIL (not proved: %s)\n", vd.reason().c_str());
    ++g_fail;
    return;
  }
  compare("J'(θ)·v", val, oracle(M, v, Tend));
}

// ------------------------------------------------------------------ the euler.error adapter
std::string hx(double x) {
  char b[40];
  std::snprintf(b, sizeof b, "\"%a\"", x);
  return b;
}
std::string jm(const DM& m) {
  std::string r = "[";
  for (std::size_t i = 0; i < m.size(); ++i) {
    r += i ? ", [" : "[";
    for (std::size_t j = 0; j < m[i].size(); ++j) r += (j ? ", " : "") + hx(m[i][j]);
    r += "]";
  }
  return r + "]";
}
std::string jv(const DV& v) {
  std::string r = "[";
  for (std::size_t i = 0; i < v.size(); ++i) r += (i ? ", " : "") + hx(v[i]);
  return r + "]";
}
/// The euler.error config of a model (per-layer stack on [0, 1], breakpoints k/m).
std::string kind_config(const Model& M, const std::string& mode) {
  std::string ls;
  for (std::size_t k = 0; k < M.layers.size(); ++k) {
    const SLayer& l = M.layers[k];
    std::string hs;
    for (std::size_t h = 0; h < l.heads.size(); ++h) {
      const SHead& H = l.heads[h];
      hs += std::string(h ? ", " : "") + "{" + (H.B.empty() ? "\"Q\": " + jm(H.Q) + ", \"K\": " + jm(H.K) : "\"B\": " + jm(H.B)) +
            ", \"V\": " + jm(H.V) + "}";
    }
    ls += std::string(k ? ", " : "") + "{\"beta\": " + hx(l.beta) + ", \"heads\": [" + hs + "], \"W\": " + jm(l.W) +
          ", \"b\": " + jv(l.b) +
          (l.mlp ? ", \"mlp\": {\"W1\": " + jm(l.W1) + ", \"b1\": " + jv(l.b1) + ", \"W2\": " + jm(l.W2) + ", \"b2\": " +
                       jv(l.b2) + ", \"activation\": \"" + to_string(l.act) + "\"}"
                 : std::string()) +
          "}";
  }
  DM tok(static_cast<std::size_t>(M.n), DV(static_cast<std::size_t>(M.d)));
  for (int i = 0; i < M.n; ++i)
    for (int c = 0; c < M.d; ++c) tok[i][c] = M.x0[static_cast<std::size_t>(i * M.d + c)];
  std::string labels;
  for (int i = 0; i < M.n; ++i) labels += (i ? ", " : "") + std::to_string(M.labels[static_cast<std::size_t>(i)]);
  return "{\"kind\": \"euler.error\", \"model\": {\"dim\": " + std::to_string(M.d) + (M.sphere ? ", \"sphere\": true" : "") +
         ", \"layers\": [" + ls + "]}, \"tokens\": " + jm(tok) +
         ", \"horizon\": 1, \"depths\": [32], \"wrapping\": \"box\", \"readout\": {\"Gamma\": " + jm(M.Gamma) +
         ", \"labels\": [" + labels + "], \"gradient_depth\": 32, \"flow_gradient\": \"" + mode + "\"}, \"claims\": []}";
}
Interval endpoints(const EndpointText& e) {
  return Interval(inf(from_text<Interval>(e.lo_hex)), sup(from_text<Interval>(e.hi_hex)));
}
/// Runs the kind in-process; compares flow_gradient (mode all) entry by entry, by the names in
/// gradient_parameters, or flow_directional_derivative along the direction named in flow_direction.
void check_kind(const std::string& tag, const Model& M, const std::string& mode) {
  const auto clock0 = std::chrono::steady_clock::now();
  const cert::Certificate c = cert::run_config(cert::config_from_text(kind_config(M, mode)));
  std::printf("%s: euler.error in-process, flow_gradient \"%s\", %.1f s\n", tag.c_str(), mode.c_str(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count());
  const cert::Claim* claim = nullptr;
  for (const auto& cl : c.claims)
    if (cl.id == "flow_not_stationary") claim = &cl;
  if (!claim) { std::printf("  FAIL: no claim flow_not_stationary\n"); ++g_fail; return; }
  if (mode == "all") {
    const auto names = cert::entry_labels(c, "flow_gradient");
    const cert::EnclosureVector* g = nullptr;
    for (const auto& [n, v] : c.results)
      if (n == "flow_gradient") g = std::get_if<cert::EnclosureVector>(&v);
    if (!g || names.size() != g->size() || names != lib_names(M)) {
      std::printf("  FAIL: flow_gradient missing or its labels differ from the documented names\n");
      ++g_fail;
      return;
    }
    bool some_nonzero = false;
    for (std::size_t j = 0; j < g->size(); j += 3) {  // a spread of entries (every block)
      Dir v;
      v.param[names[j]] = 1;
      const OracleValue o = oracle(M, v, 1.0);
      compare("cert " + names[j], endpoints((*g)[j]), o);
    }
    for (const auto& e : *g) some_nonzero = some_nonzero || !contains_zero(endpoints(e));
    const bool proved = claim->verdict == Status::proved;
    std::printf("  %-4s claim flow_not_stationary %s, some entry certainly nonzero: %d\n", proved == some_nonzero ? "ok" : "FAIL",
                proved ? "proved" : "not proved", some_nonzero ? 1 : 0);
    if (proved != some_nonzero) ++g_fail;
  } else {
    const EndpointText* dd = nullptr;
    const std::string* dir = nullptr;
    for (const auto& [n, v] : c.results) {
      if (n == "flow_directional_derivative") dd = std::get_if<EndpointText>(&v);
      if (n == "flow_direction") dir = std::get_if<std::string>(&v);
    }
    if (!dd || !dir) { std::printf("  FAIL: no flow_directional_derivative / flow_direction\n"); ++g_fail; return; }
    Dir v;
    std::size_t pos = 0, terms = 0;
    while (pos < dir->size()) {
      std::size_t e = dir->find(' ', pos);
      if (e == std::string::npos) e = dir->size();
      const std::string w = dir->substr(pos, e - pos);
      if (w.size() > 1) { v.param[w.substr(1)] = w[0] == '-' ? -1 : 1; ++terms; }
      pos = e + 1;
    }
    const Interval val = endpoints(*dd);
    compare("cert J'(θ)·v (" + std::to_string(terms) + " terms)", val, oracle(M, v, 1.0));
    const bool proved = claim->verdict == Status::proved;
    std::printf("  %-4s claim flow_not_stationary %s, 0 outside J'(θ)·v: %d\n", proved == !contains_zero(val) ? "ok" : "FAIL",
                proved ? "proved" : "not proved", contains_zero(val) ? 0 : 1);
    if (proved == contains_zero(val)) ++g_fail;
  }
}

// ------------------------------------------------------------------ models
SHead rhead(int d, int m, int dk, bool Bform, bool biases) {
  SHead h;
  if (Bform) h.B = rm(m, m, 0.6);
  else { h.Q = rm(dk, m, 0.7); h.K = rm(dk, m, 0.7); }
  h.V = rm(d, m, 0.5);
  if (biases && !Bform) { h.bQ = rv(dk, 0.3); h.bK = rv(dk, 0.3); h.bV = rv(d, 0.3); }
  return h;
}
SLayer rlayer(int d, int m, bool mlp, Activation a, bool biases = false) {
  SLayer l;
  l.beta = 0.5 + std::fabs(dy(1));
  l.heads = {rhead(d, m, 2, false, biases), rhead(d, m, 0, true, false)};
  l.W = rm(d, d, 0.4);
  l.b = rv(d, 0.2);
  if (mlp) { l.mlp = true; l.W1 = rm(3, d, 0.6); l.b1 = rv(3, 0.3); l.W2 = rm(d, 3, 0.5); l.b2 = rv(d, 0.2); l.act = a; }
  return l;
}
Model base_model(int n, int d, int dp, int pieces, std::vector<double> bps, bool sphere, bool mlp) {
  Model M;
  M.n = n; M.d = d; M.dp = dp; M.bps = std::move(bps); M.sphere = sphere;
  const Activation acts[3] = {Activation::tanh, Activation::softplus, Activation::gelu_tanh};
  for (int i = 0; i < pieces; ++i) M.layers.push_back(rlayer(d, d + dp, mlp, acts[i % 3], dp > 0));
  if (dp) M.P = rm(n, dp, 1);
  M.x0 = rv(n * d, 1);
  if (sphere) {  // (near-)unit tokens, binary64 numbers used exactly by both sides (the projected
                 // flow is defined off the sphere too, so |x| = 1 up to 1e-16 is fine)
    const double s2 = 0x1.6a09e667f3bcdp-1;  // ≈ 1/√2
    if (d == 2) M.x0 = {s2, s2, -1, 0, 0.6, -0.8};
    else M.x0 = {1, 0, 0, 0, s2, -s2, -0.6, 0, 0.8};
  }
  M.Gamma = rm(3, d, 1);
  M.labels.clear();
  for (int i = 0; i < n; ++i) M.labels.push_back(i % 3);
  return M;
}
std::vector<std::string> pick(const Model& M, const std::vector<std::string>& local, const std::vector<int>& pieces) {
  std::vector<std::string> r;
  for (int p : pieces)
    for (const auto& nm : local) r.push_back(M.bps.empty() ? nm : "layers[" + std::to_string(p) + "]." + nm);
  return r;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--config") {  // debugging aid: a euler.error config of a fresh random model (MLPs with a 2nd argument), its library and oracle values on stderr
    const Model k = base_model(3, 2, 0, 2, {0.5}, false, argc > 2);
    std::printf("%s\n", kind_config(k, "all").c_str());
    const auto names = lib_names(k);
    const auto g = euler::enclose_flow_loss_gradient<Interval>(lib_field<Interval>(k), lv<Interval>(k.x0), lib_readout<Interval>(k), 1.0, {}, {0, 1, 20});
    for (long j : {0L, 1L, 20L}) {
      Dir v;
      v.param[names[static_cast<std::size_t>(j)]] = 1;
      std::fprintf(stderr, "%s lib %.17g oracle %s\n", names[static_cast<std::size_t>(j)].c_str(), mid(g.gradient(j)), qs(oracle(k, v, 1.0).value).c_str());
    }
    return 0;
  }
  const auto clock0 = std::chrono::steady_clock::now();
  const std::vector<std::string> attn = {"beta", "heads[0].Q[1][0]", "heads[1].B[0][1]", "W[1][0]"};

  // 1. three layers on [0, 1/4), [1/4, 1/2), [1/2, ∞), T = 1 (breakpoints on a dyadic grid)
  const Model m1 = base_model(3, 2, 0, 3, {0.25, 0.5}, false, false);
  check_gradient("1 per-layer, Euclidean", m1, 1.0, pick(m1, attn, {0, 1, 2}), false, ode::Wrapping::qr, true);

  // 1b. one entry at 128 bits (MpInterval; compared after outward rounding to binary64)
  {
    MpPrecisionScope scope(128);
    check_gradient<MpInterval>("1b per-layer, 128 bits", m1, 1.0, {"layers[0].heads[1].B[0][1]"}, false,
                               ode::Wrapping::box);
  }

  // 2. breakpoints that are no step end, horizon not a multiple: {0.3, 0.7} (binary64), T = 0.9;
  //    an MLP per layer (tanh, softplus, GELU-tanh); p(0) too
  const Model m2 = base_model(3, 2, 0, 3, {0.3, 0.7}, false, true);
  check_gradient("2 odd breakpoints", m2, 0.9,
                 pick(m2, {"heads[0].K[0][1]", "heads[1].V[1][0]", "mlp.W1[2][1]", "mlp.b2[1]"}, {0, 1, 2}),
                 false, ode::Wrapping::box);
  // 2b. a breakpoint equal to the horizon and one beyond it: pieces 2 and 3 own zero entries
  Model m2b = m2;
  m2b.bps = {0.3, 0.8, 1.5};
  m2b.layers.push_back(rlayer(2, 2, true, Activation::tanh));
  std::vector<std::string> e2b = pick(m2b, {"beta", "heads[0].V[1][1]"}, {0, 1});
  for (const auto& nm : pick(m2b, {"W[0][1]"}, {2, 3})) e2b.push_back(nm);
  check_gradient("2b breakpoint = horizon", m2b, 0.8, e2b, false, ode::Wrapping::box);
  // 2c. a breakpoint at 0: piece 0 is never active
  Model m2c = m1;
  m2c.bps = {0.0, 0.375};
  check_gradient("2c breakpoint at 0", m2c, 0.75, pick(m2c, {"beta"}, {0, 1, 2}), false, ode::Wrapping::box);

  // 3. sphere model, d = 2 and d = 3, two layers
  const Model s2 = base_model(3, 2, 0, 2, {0.5}, true, true);
  check_gradient("3a sphere d = 2", s2, 1.0, pick(s2, {"heads[0].Q[0][0]", "mlp.W2[1][0]"}, {0, 1}), true);
  const Model s3 = base_model(3, 3, 0, 2, {0.375}, true, false);
  check_gradient("3b sphere d = 3", s3, 0.75, pick(s3, {"heads[1].B[2][0]", "b[1]"}, {0, 1}));

  // 4. static features (d_p = 2), in-projection biases, a causal piece, sphere off and on
  Model f4 = base_model(3, 2, 2, 2, {0.5}, false, true);
  f4.layers[1].causal = true;
  check_gradient("4a features + biases + causal", f4, 1.0,
                 pick(f4, {"beta", "heads[0].Q[1][3]", "heads[0].V[1][3]", "heads[0].bQ[1]", "heads[0].bV[1]", "heads[1].B[3][2]"}, {0, 1}),
                 false, ode::Wrapping::box);
  Model f4s = base_model(3, 3, 1, 1, {}, true, false);
  check_gradient("4b features, sphere, constant control", f4s, 1.0, {"heads[0].Q[0][3]", "heads[1].B[3][1]"}, false, ode::Wrapping::box);

  // 5. directional derivatives along random directions over all layers
  check_direction("5a per-layer", m1, 1.0, 1);
  check_direction("5b per-layer, beta coefficient -8", m1, 1.0, -8);
  check_direction("5c odd breakpoints", m2, 0.9, 1);
  check_direction("5d sphere d = 2", s2, 1.0, -3);
  check_direction("5e features", f4, 1.0, 1);

  // 6. the discrete adjoint (L = 256, 512) against the oracle's Euler network, and its 1/L approach
  {
    const auto f = lib_field<Interval>(m1);
    const auto all = lib_names(m1);
    const std::vector<std::string> ent = {"layers[0].beta", "layers[1].heads[0].Q[1][0]", "layers[2].W[1][0]", "layers[2].b[0]"};
    std::vector<Interval> g256, g512;
    for (int L : {256, 512}) {
      const auto c0 = std::chrono::steady_clock::now();
      const auto g = euler::enclose_loss_gradient<Interval>(f, lv<Interval>(m1.x0), lib_readout<Interval>(m1), Interval(1.0), static_cast<std::size_t>(L));
      std::printf("6 discrete adjoint, L = %d: %.1f s\n", L, std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count());
      if (!g.verdict.is_proved()) { std::printf("  FAIL (not proved: %s)\n", g.verdict.reason().c_str()); ++g_fail; continue; }
      for (const auto& nm : ent) {
        Dir v;
        v.param[nm] = 1;
        const Interval e = g.gradient(index_of(all, nm));
        compare("dJ_L/d " + nm, e, oracle(m1, v, 1.0, L));
        (L == 256 ? g256 : g512).push_back(e);
      }
    }
    if (g256.size() == ent.size() && g512.size() == ent.size())
      for (std::size_t k = 0; k < ent.size(); ++k) {
        Dir v;
        v.param[ent[k]] = 1;
        const double ginf = dbl(oracle(m1, v, 1.0).value);
        const double r = (mid(g256[k]) - ginf) / (mid(g512[k]) - ginf);
        std::printf("  %-34s (g_256 − g_∞)/(g_512 − g_∞) = %.4f, 512·|g_512 − g_∞| = %.3e\n", ent[k].c_str(), r,
                    512 * std::fabs(mid(g512[k]) - ginf));
        if (!(r > 1.8 && r < 2.2)) { std::printf("  FAIL: not O(1/L)\n"); ++g_fail; }
      }
  }
  // the sphere's discrete adjoint (renormalised network) against the oracle's Euler network
  {
    const auto f = lib_field<Interval>(s2);
    const auto all = lib_names(s2);
    const auto g = euler::enclose_loss_gradient<Interval>(f, lv<Interval>(s2.x0), lib_readout<Interval>(s2), Interval(1.0), 16);
    std::printf("6b discrete adjoint, sphere d = 2, L = 16\n");
    if (!g.verdict.is_proved()) { std::printf("  FAIL (not proved: %s)\n", g.verdict.reason().c_str()); ++g_fail; }
    else
      for (const std::string nm : {"layers[0].beta", "layers[1].heads[0].Q[0][0]", "layers[1].mlp.W2[1][0]"}) {
        Dir v;
        v.param[nm] = 1;
        compare("dJ_L/d " + nm, g.gradient(index_of(all, nm)), oracle(s2, v, 1.0, 16));
      }
  }

  // 7. the euler.error adapter: names and order of flow_gradient, the direction's text, the claim
  {
    Model k1 = base_model(3, 2, 0, 2, {0.5}, false, false);
    for (auto& l : k1.layers) l.heads.resize(1);  // 19 entries per layer: "all" runs one flow per entry
    check_kind("7a per-layer", k1, "all");
    const Model k2 = base_model(3, 2, 0, 2, {0.5}, false, true);
    check_kind("7b per-layer with MLPs", k2, "direction");
    Model k3 = base_model(3, 2, 0, 2, {0.5}, true, false);
    check_kind("7c sphere", k3, "direction");
  }

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
  std::printf("\n%d comparisons, %d failures; largest oracle error estimate %.1e, largest enclosure width %.1e; %.1f s (oracle %.1f s)\n",
              g_checks, g_fail, g_max_oerr, g_max_wid, secs, g_oracle_seconds);
  return g_fail == 0 ? 0 : 1;
}
