// Review (commit 725220e): euler::enclose_loss_gradient — the discrete adjoint of the depth-L
// residual network X^{k+1} = X^k + ε f(t_k, X^k; θ(t_k)) — for smooth controls
// θ(t) = Σ_i φ_i(t)θ_i (φ ∈ {1, t, t², sin 2t, cos 3t}), piecewise-constant controls (breakpoints
// on and off the step grid, pieces with their own causal mask / activation), constant controls,
// static token features, the sphere model, causal masks, Q/K/V (with in-projection biases) and
// B/V heads, affine FFN and MLPs (tanh, softplus, GELU-tanh, ReLU), L ∈ {1, 3, 16, 64}, point
// inputs and boxes of initial tokens. Also upper_bound_box_lipschitz on smooth / featured fields
// (its bound must dominate oracle difference quotients).
//
// Oracle (shares no code with the library's field, iterates or adjoint): the network re-implemented
// from docs/transformer.md / field.hpp's documented formula in forward-mode dual numbers over
// __float128 (one forward pass per parameter of every coefficient layer, and per initial-token
// entry for ∇_{X0} J); parameters are identified by the NAME the library reports
// ("layers[i].heads[h].Q[r][c]", …), so a wrong name ↔ entry association fails too; the dual code
// is cross-checked by central differences of its own value. Every parameter, input, basis
// frequency and horizon is a binary64 number (exact in both codes); ε = T/L and the basis values
// are computed in __float128 (error ~1e-33, far below any binary64 enclosure width — slack 1e-24).
// Box inputs: the oracle at the centre, random corners and random interior points (sphere model:
// also interior points renormalised when they stay in the box) must lie in every enclosure.
// Exit 0 = no containment failure.  usage: review_discrete_adjoint_oracle [group]  (default: all)
#include "certiformer/core.hpp"
#include "certiformer/euler.hpp"
#include "certiformer/transformer.hpp"

#include <quadmath.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::transformer;
using Q = __float128;

namespace {
// ------------------------------------------------------------------ forward-mode duals on __float128
struct D {
  Q v = 0, d = 0;
};
D operator+(D a, D b) { return {a.v + b.v, a.d + b.d}; }
D operator-(D a, D b) { return {a.v - b.v, a.d - b.d}; }
D operator-(D a) { return {-a.v, -a.d}; }
D operator*(D a, D b) { return {a.v * b.v, a.d * b.v + a.v * b.d}; }
D operator/(D a, D b) { return {a.v / b.v, (a.d * b.v - a.v * b.d) / (b.v * b.v)}; }
D& operator+=(D& a, D b) { return a = a + b; }
D K(Q v) { return {v, 0}; }
D dexp(D a) { const Q e = expq(a.v); return {e, e * a.d}; }
D dlog(D a) { return {logq(a.v), a.d / a.v}; }
D dlog1p(D a) { return {log1pq(a.v), a.d / (1 + a.v)}; }
D dtanh(D a) { const Q t = tanhq(a.v); return {t, (1 - t * t) * a.d}; }
D dsqrt(D a) { const Q s = sqrtq(a.v); return {s, a.d / (2 * s)}; }
double dbl(Q x) { return static_cast<double>(x); }
std::string qs(Q x) {
  char b[64];
  quadmath_snprintf(b, sizeof b, "%.20Qe", x);
  return b;
}

// ------------------------------------------------------------------ model spec (binary64 values)
using DM = std::vector<std::vector<double>>;
using DV = std::vector<double>;
struct SHead {
  DM Q, K, B, V;
  DV bQ, bK, bV;
};
struct SLayer {
  double beta = 1;
  std::vector<SHead> heads;
  DM W;
  DV b;
  bool mlp = false;
  DM W1, W2;
  DV b1, b2;
  Activation act = Activation::tanh;
  bool causal = false;
};
struct SBasis {
  int kind = 0;  // 0 one, 1 power, 2 sin, 3 cos
  int e = 0;
  double omega = 1;
};
struct Model {
  std::string tag;
  int n = 3, d = 2, dp = 0;
  int kind = 0;  // 0 constant, 1 piecewise, 2 smooth
  std::vector<SLayer> layers;
  std::vector<double> bps;
  std::vector<SBasis> basis;
  bool sphere = false;
  DM P;       // n × dp features
  DV x0;      // n·d centre
  double r0 = 0;  // box half-width of every initial entry (0: point)
  DM Gamma;
  std::vector<int> labels;
  double T = 1;  // horizon (binary64)
  std::size_t L = 16;
};

// ------------------------------------------------------------------ oracle: D-valued layers
struct DHead {
  std::vector<std::vector<D>> Q, K, B, V;
  std::vector<D> bQ, bK, bV;
};
struct DLayer {
  D beta;
  std::vector<DHead> heads;
  std::vector<std::vector<D>> W, W1, W2;
  std::vector<D> b, b1, b2;
};
std::vector<std::vector<D>> dm(const DM& a) {
  std::vector<std::vector<D>> r(a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (double x : a[i]) r[i].push_back(K(x));
  return r;
}
std::vector<D> dv(const DV& a) {
  std::vector<D> r;
  for (double x : a) r.push_back(K(x));
  return r;
}
DLayer to_d(const SLayer& s) {
  DLayer l;
  l.beta = K(s.beta);
  for (const auto& h : s.heads) l.heads.push_back({dm(h.Q), dm(h.K), dm(h.B), dm(h.V), dv(h.bQ), dv(h.bK), dv(h.bV)});
  l.W = dm(s.W);
  l.b = dv(s.b);
  l.W1 = dm(s.W1);
  l.W2 = dm(s.W2);
  l.b1 = dv(s.b1);
  l.b2 = dv(s.b2);
  return l;
}
/// name ("beta", "heads[0].Q[1][0]", "mlp.b1[2]", …) → the entry of l (my own naming of my layer).
void name_map(DLayer& l, const SLayer& s, std::map<std::string, D*>& out, const std::string& prefix) {
  auto mat = [&](std::vector<std::vector<D>>& m, const std::string& nm) {
    for (std::size_t r = 0; r < m.size(); ++r)
      for (std::size_t c = 0; c < m[r].size(); ++c) out[prefix + nm + "[" + std::to_string(r) + "][" + std::to_string(c) + "]"] = &m[r][c];
  };
  auto vec = [&](std::vector<D>& v, const std::string& nm) {
    for (std::size_t r = 0; r < v.size(); ++r) out[prefix + nm + "[" + std::to_string(r) + "]"] = &v[r];
  };
  if (!s.heads.empty()) out[prefix + "beta"] = &l.beta;
  for (std::size_t h = 0; h < l.heads.size(); ++h) {
    const std::string p = "heads[" + std::to_string(h) + "].";
    mat(l.heads[h].Q, p + "Q");
    mat(l.heads[h].K, p + "K");
    mat(l.heads[h].B, p + "B");
    mat(l.heads[h].V, p + "V");
    vec(l.heads[h].bQ, p + "bQ");
    vec(l.heads[h].bK, p + "bK");
    vec(l.heads[h].bV, p + "bV");
  }
  mat(l.W, "W");
  vec(l.b, "b");
  mat(l.W1, "mlp.W1");
  vec(l.b1, "mlp.b1");
  mat(l.W2, "mlp.W2");
  vec(l.b2, "mlp.b2");
}

Q basis_q(const SBasis& b, Q t) {
  switch (b.kind) {
    case 0: return 1;
    case 1: { Q r = 1; for (int k = 0; k < b.e; ++k) r *= t; return r; }
    case 2: return sinq(static_cast<Q>(b.omega) * t);
    default: return cosq(static_cast<Q>(b.omega) * t);
  }
}
/// c·a + acc over every entry (θ(t) = Σ φ_i θ_i).
void axpy(DLayer& acc, const DLayer& a, Q c, bool first) {
  auto s = [&](D& x, const D& y) { x = first ? K(c) * y : x + K(c) * y; };
  auto m = [&](std::vector<std::vector<D>>& x, const std::vector<std::vector<D>>& y) {
    if (first) x = y;
    for (std::size_t i = 0; i < y.size(); ++i)
      for (std::size_t j = 0; j < y[i].size(); ++j) s(x[i][j], y[i][j]);
  };
  auto v = [&](std::vector<D>& x, const std::vector<D>& y) {
    if (first) x = y;
    for (std::size_t i = 0; i < y.size(); ++i) s(x[i], y[i]);
  };
  s(acc.beta, a.beta);
  if (first) acc.heads = a.heads;
  for (std::size_t h = 0; h < a.heads.size(); ++h) {
    m(acc.heads[h].Q, a.heads[h].Q);
    m(acc.heads[h].K, a.heads[h].K);
    m(acc.heads[h].B, a.heads[h].B);
    m(acc.heads[h].V, a.heads[h].V);
    v(acc.heads[h].bQ, a.heads[h].bQ);
    v(acc.heads[h].bK, a.heads[h].bK);
    v(acc.heads[h].bV, a.heads[h].bV);
  }
  m(acc.W, a.W);
  v(acc.b, a.b);
  m(acc.W1, a.W1);
  v(acc.b1, a.b1);
  m(acc.W2, a.W2);
  v(acc.b2, a.b2);
}
std::vector<D> matvec(const std::vector<std::vector<D>>& M, const std::vector<D>& z) {
  std::vector<D> y(M.size());
  for (std::size_t r = 0; r < M.size(); ++r) {
    D s = K(0);
    for (std::size_t c = 0; c < z.size(); ++c) s += M[r][c] * z[c];
    y[r] = s;
  }
  return y;
}
D act(Activation a, D u) {
  switch (a) {
    case Activation::tanh: return dtanh(u);
    case Activation::softplus: return dlog1p(dexp(u));
    case Activation::gelu_tanh: {
      const Q c = sqrtq(2 / acosq(Q(-1)));
      const D inner = K(c) * (u + K(Q(44715) / Q(1000000)) * u * u * u);  // 0.044715 to 113 bits
      return K(Q(0.5)) * u * (K(1) + dtanh(inner));
    }
    case Activation::relu: return u.v > 0 ? u : K(0);
  }
  return K(0);
}
/// f(X; θ) of the documented formula (own implementation).
std::vector<D> field(const Model& m, const DLayer& th, bool causal, Activation a, const std::vector<D>& X) {
  const int n = m.n, d = m.d, dp = m.dp;
  std::vector<std::vector<D>> z(n);
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < d; ++c) z[i].push_back(X[i * d + c]);
    for (int c = 0; c < dp; ++c) z[i].push_back(K(m.P[i][c]));
  }
  std::vector<D> g(n * d, K(0));
  for (const auto& H : th.heads) {
    std::vector<std::vector<D>> q(n), k(n), v(n);
    for (int i = 0; i < n; ++i) {
      if (!H.B.empty()) {
        q[i] = matvec(H.B, z[i]);  // s_ij = β z_jᵀ B z_i
        k[i] = z[i];
      } else {
        q[i] = matvec(H.Q, z[i]);
        k[i] = matvec(H.K, z[i]);
        for (std::size_t r = 0; r < H.bQ.size(); ++r) q[i][r] += H.bQ[r];
        for (std::size_t r = 0; r < H.bK.size(); ++r) k[i][r] += H.bK[r];
      }
      v[i] = matvec(H.V, z[i]);
      for (std::size_t r = 0; r < H.bV.size(); ++r) v[i][r] += H.bV[r];
    }
    for (int i = 0; i < n; ++i) {
      const int len = causal ? i + 1 : n;
      std::vector<D> s(len);
      Q mx = -1e300;
      for (int j = 0; j < len; ++j) {
        D acc = K(0);
        for (std::size_t r = 0; r < q[i].size(); ++r) acc += q[i][r] * k[j][r];
        s[j] = th.beta * acc;
        mx = fmaxq(mx, s[j].v);
      }
      D Z = K(0);
      std::vector<D> e(len);
      for (int j = 0; j < len; ++j) { e[j] = dexp(s[j] - K(mx)); Z += e[j]; }
      for (int j = 0; j < len; ++j) {
        const D w = e[j] / Z;
        for (int c = 0; c < d; ++c) g[i * d + c] += w * v[j][c];
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    std::vector<D> xi(X.begin() + i * d, X.begin() + (i + 1) * d);
    if (!th.W.empty()) {
      const auto y = matvec(th.W, xi);
      for (int c = 0; c < d; ++c) g[i * d + c] += y[c];
    }
    for (std::size_t c = 0; c < th.b.size(); ++c) g[i * d + c] += th.b[c];
    if (!th.W1.empty()) {
      auto u = matvec(th.W1, xi);
      for (std::size_t r = 0; r < u.size(); ++r) {
        if (!th.b1.empty()) u[r] += th.b1[r];
        u[r] = act(a, u[r]);
      }
      const auto y = matvec(th.W2, u);
      for (int c = 0; c < d; ++c) g[i * d + c] += y[c] + (th.b2.empty() ? K(0) : th.b2[c]);
    }
    if (m.sphere) {
      D xg = K(0);
      for (int c = 0; c < d; ++c) xg += xi[c] * g[i * d + c];
      for (int c = 0; c < d; ++c) g[i * d + c] = g[i * d + c] - xi[c] * xg;
    }
  }
  return g;
}
/// Piece index of t_k = k·T/L: the number of breakpoints ≤ t_k (right-continuous), decided
/// exactly (k·T and b·L are exact in __float128: 53-bit numbers times small integers).
std::size_t piece_of(const Model& m, std::size_t k) {
  std::size_t i = 0;
  for (double b : m.bps)
    if (static_cast<Q>(k) * static_cast<Q>(m.T) >= static_cast<Q>(b) * static_cast<Q>(m.L)) ++i;
  return i;
}
/// J of the depth-L network with the D-valued coefficient layers th and tokens X0.
D loss(const Model& m, const std::vector<DLayer>& th, std::vector<D> X) {
  const int n = m.n, d = m.d;
  const Q eps = static_cast<Q>(m.T) / static_cast<Q>(m.L);
  for (std::size_t k = 0; k < m.L; ++k) {
    const Q tk = static_cast<Q>(k) * static_cast<Q>(m.T) / static_cast<Q>(m.L);
    DLayer L;
    bool causal = m.layers[0].causal;
    Activation a = m.layers[0].act;
    if (m.kind == 0) L = th[0];
    else if (m.kind == 1) {
      const std::size_t p = piece_of(m, k);
      L = th[p];
      causal = m.layers[p].causal;
      a = m.layers[p].act;
    } else {
      for (std::size_t i = 0; i < th.size(); ++i) axpy(L, th[i], basis_q(m.basis[i], tk), i == 0);
    }
    const std::vector<D> f = field(m, L, causal, a, X);
    for (int r = 0; r < n * d; ++r) X[r] = X[r] + K(eps) * f[r];
    if (m.sphere)
      for (int i = 0; i < n; ++i) {
        D s = K(0);
        for (int c = 0; c < d; ++c) s += X[i * d + c] * X[i * d + c];
        const D nr = dsqrt(s);
        for (int c = 0; c < d; ++c) X[i * d + c] = X[i * d + c] / nr;
      }
  }
  D J = K(0);
  for (int i = 0; i < n; ++i) {
    std::vector<D> z(m.Gamma.size());
    Q mx = -1e300;
    for (std::size_t r = 0; r < m.Gamma.size(); ++r) {
      D s = K(0);
      for (int c = 0; c < d; ++c) s += K(m.Gamma[r][c]) * X[i * d + c];
      z[r] = s;
      mx = fmaxq(mx, s.v);
    }
    D Z = K(0);
    for (const auto& zr : z) Z += dexp(zr - K(mx));
    J += dlog(Z) + K(mx) - z[static_cast<std::size_t>(m.labels[i])];
  }
  return J / K(static_cast<Q>(n));
}

// ------------------------------------------------------------------ the library's objects
Mat<Interval> im(const DM& a) {
  if (a.empty()) return Mat<Interval>(0, 0);
  Mat<Interval> r(static_cast<Eigen::Index>(a.size()), static_cast<Eigen::Index>(a[0].size()));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].size(); ++j) r(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = Interval(a[i][j]);
  return r;
}
Vec<Interval> iv(const DV& a) {
  Vec<Interval> r(static_cast<Eigen::Index>(a.size()));
  for (std::size_t i = 0; i < a.size(); ++i) r(static_cast<Eigen::Index>(i)) = Interval(a[i]);
  return r;
}
Layer<Interval> lib_layer(const SLayer& s) {
  Layer<Interval> l;
  l.beta = Interval(s.beta);
  for (const auto& h : s.heads) {
    Head<Interval> H;
    H.Q = im(h.Q);
    H.K = im(h.K);
    H.B = im(h.B);
    H.V = im(h.V);
    H.bQ = iv(h.bQ);
    H.bK = iv(h.bK);
    H.bV = iv(h.bV);
    l.heads.push_back(H);
  }
  l.W = im(s.W);
  l.b = iv(s.b);
  if (s.mlp) {
    Mlp<Interval> M;
    M.W1 = im(s.W1);
    M.b1 = iv(s.b1);
    M.W2 = im(s.W2);
    M.b2 = iv(s.b2);
    M.activation = s.act;
    l.mlp = M;
  }
  l.causal = s.causal;
  return l;
}
TransformerField<Interval> lib_field(const Model& m, const std::function<void(std::vector<Layer<Interval>>&)>& edit = {}) {
  std::vector<Layer<Interval>> ls;
  for (const auto& s : m.layers) ls.push_back(lib_layer(s));
  if (edit) edit(ls);
  Control<Interval> c;
  if (m.kind == 0) c = Control<Interval>::constant(ls[0]);
  else if (m.kind == 1) c = Control<Interval>::piecewise(m.bps, ls);
  else {
    std::vector<Basis<Interval>> bs;
    for (const auto& b : m.basis) {
      Basis<Interval> B;
      B.kind = b.kind == 0 ? Basis<Interval>::one : b.kind == 1 ? Basis<Interval>::power : b.kind == 2 ? Basis<Interval>::sine : Basis<Interval>::cosine;
      B.exponent = b.e;
      B.omega = Interval(b.omega);
      bs.push_back(B);
    }
    c = Control<Interval>::smooth(bs, ls);
  }
  return TransformerField<Interval>(m.n, m.d, c, m.sphere, im(m.P));
}

// ------------------------------------------------------------------ random models
std::mt19937_64 rng(12345);
double rnd(double scale) {  // a dyadic number k/64·scale in [−scale, scale]
  return std::uniform_int_distribution<int>(-64, 64)(rng) / 64.0 * scale;
}
DM rmat(int r, int c, double s) {
  DM a(static_cast<std::size_t>(r), DV(static_cast<std::size_t>(c)));
  for (auto& row : a)
    for (auto& x : row) x = rnd(s);
  return a;
}
DV rvec(int r, double s) {
  DV a(static_cast<std::size_t>(r));
  for (auto& x : a) x = rnd(s);
  return a;
}
struct Opts {
  int heads_qk = 1, heads_b = 1;
  bool biases = false, ffn = true, ffn_b = true, mlp = false, causal = false;
  Activation act = Activation::tanh;
  double scale = 0.5;
};
SLayer rlayer(const Model& m, const Opts& o) {
  const int d = m.d, mm = m.d + m.dp;
  SLayer l;
  l.beta = 0.5 + std::uniform_int_distribution<int>(0, 32)(rng) / 32.0;
  for (int h = 0; h < o.heads_qk; ++h) {
    SHead H;
    H.Q = rmat(2, mm, o.scale);
    H.K = rmat(2, mm, o.scale);
    H.V = rmat(d, mm, o.scale);
    if (o.biases) {
      H.bQ = rvec(2, o.scale);
      H.bK = rvec(2, o.scale);
      H.bV = rvec(d, o.scale);
    }
    l.heads.push_back(H);
  }
  for (int h = 0; h < o.heads_b; ++h) {
    SHead H;
    H.B = rmat(mm, mm, o.scale);
    H.V = rmat(d, mm, o.scale);
    if (o.biases) H.bV = rvec(d, o.scale);
    l.heads.push_back(H);
  }
  if (o.ffn) l.W = rmat(d, d, o.scale);
  if (o.ffn_b) l.b = rvec(d, o.scale);
  if (o.mlp) {
    l.mlp = true;
    l.W1 = rmat(3, d, o.scale);
    l.b1 = rvec(3, o.scale);
    l.W2 = rmat(d, 3, o.scale);
    l.b2 = rvec(d, o.scale);
    l.act = o.act;
  }
  l.causal = o.causal;
  return l;
}
void finish_model(Model& m) {
  m.x0.resize(static_cast<std::size_t>(m.n * m.d));
  for (int i = 0; i < m.n; ++i) {
    if (m.sphere) {  // exact unit tokens: Pythagorean triples (d = 2, 3)
      static const double u2[][2] = {{0.6, -0.8}, {-0.28, 0.96}, {1, 0}, {0.8, 0.6}, {0, -1}};
      static const double u3[][3] = {{1.0 / 3, 2.0 / 3, 2.0 / 3}, {0.6, 0, -0.8}, {0, 1, 0}, {-2.0 / 3, 1.0 / 3, 2.0 / 3}};
      for (int c = 0; c < m.d; ++c) m.x0[static_cast<std::size_t>(i * m.d + c)] = m.d == 2 ? u2[i % 5][c] : u3[i % 4][c];
    } else {
      for (int c = 0; c < m.d; ++c) m.x0[static_cast<std::size_t>(i * m.d + c)] = rnd(1.0);
    }
  }
  m.P = rmat(m.n, m.dp, 1.0);
  if (m.dp == 0) m.P.clear();
  m.Gamma = rmat(3, m.d, 1.0);
  m.labels.clear();
  for (int i = 0; i < m.n; ++i) m.labels.push_back(std::uniform_int_distribution<int>(0, 2)(rng));
}

// ------------------------------------------------------------------ the comparison
int failures = 0;
long comparisons = 0;
double worst_ratio = 0;  // max |oracle − mid| / rad over every compared entry
std::string worst_where;

void compare(const std::string& where, const Interval& e, Q oracle) {
  ++comparisons;
  const Q lo = static_cast<Q>(inf(e)), hi = static_cast<Q>(sup(e));
  const Q slack = Q(1e-24) * (1 + fabsq(oracle));
  const Q mid = (lo + hi) / 2, rad = (hi - lo) / 2;
  const double ratio = rad > 0 ? dbl(fabsq(oracle - mid) / rad) : (oracle == mid ? 0.0 : 1e300);
  if (ratio > worst_ratio) {
    worst_ratio = ratio;
    worst_where = where;
  }
  if (!(lo - slack <= oracle && oracle <= hi + slack)) {
    ++failures;
    if (failures <= 40)
      std::printf("  FAIL %s: enclosure [%.17g, %.17g] misses the oracle %s (off by %.3g)\n", where.c_str(), inf(e), sup(e),
                  qs(oracle).c_str(), dbl(oracle < lo ? lo - oracle : oracle - hi));
  }
}

struct RunStats {
  int proved = 0, unknown = 0;
};
RunStats stats;

/// All coefficient layers as D, with a name → entry map in the library's naming.
struct Params {
  std::vector<DLayer> th;
  std::map<std::string, D*> by_name;
};
void build_params(const Model& m, Params& p) {
  p.th.clear();
  for (const auto& s : m.layers) p.th.push_back(to_d(s));
  p.by_name.clear();
  for (std::size_t i = 0; i < p.th.size(); ++i)
    name_map(p.th[i], m.layers[i], p.by_name, m.kind == 0 ? std::string() : "layers[" + std::to_string(i) + "].");
}

/// The oracle gradient (every library name) and ∇_{X0} J at the point x.
void oracle_at(const Model& m, const std::vector<std::string>& names, const std::vector<double>& x, std::vector<Q>& grad,
               std::vector<Q>& gx, Q& J) {
  Params p;
  build_params(m, p);
  std::vector<D> X(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) X[i] = K(x[i]);
  J = loss(m, p.th, X).v;
  grad.assign(names.size(), 0);
  for (std::size_t j = 0; j < names.size(); ++j) {
    auto it = p.by_name.find(names[j]);
    if (it == p.by_name.end()) {
      ++failures;
      std::printf("  FAIL %s: the library reports a parameter %s the oracle does not know\n", m.tag.c_str(), names[j].c_str());
      continue;
    }
    it->second->d = 1;
    grad[j] = loss(m, p.th, X).d;
    it->second->d = 0;
  }
  gx.assign(x.size(), 0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    X[i].d = 1;
    gx[i] = loss(m, p.th, X).d;
    X[i].d = 0;
  }
}

/// Central differences of the oracle's own value (checks the dual code): a few entries.
void self_check(const Model& m, const std::vector<std::string>& names, const std::vector<Q>& grad) {
  Params p;
  build_params(m, p);
  std::vector<D> X(m.x0.size());
  for (std::size_t i = 0; i < m.x0.size(); ++i) X[i] = K(m.x0[i]);
  const Q h = Q(1e-11);
  for (std::size_t j = 0; j < names.size(); j += std::max<std::size_t>(1, names.size() / 5)) {
    D* e = p.by_name.at(names[j]);
    const Q v0 = e->v;
    e->v = v0 + h;
    const Q jp = loss(m, p.th, X).v;
    e->v = v0 - h;
    const Q jm = loss(m, p.th, X).v;
    e->v = v0;
    const Q fd = (jp - jm) / (2 * h);
    if (m.layers[0].act == Activation::relu) continue;  // kinks: no smoothness guarantee
    if (fabsq(fd - grad[j]) > Q(1e-15) * (1 + fabsq(fd))) {
      ++failures;
      std::printf("  FAIL (oracle self-check) %s %s: dual %s vs difference %s\n", m.tag.c_str(), names[j].c_str(),
                  qs(grad[j]).c_str(), qs(fd).c_str());
    }
  }
}

void run(Model m) {
  const auto t0 = std::chrono::steady_clock::now();
  const TransformerField<Interval> f = lib_field(m);
  Vec<Interval> X0(static_cast<Eigen::Index>(m.x0.size()));
  for (std::size_t i = 0; i < m.x0.size(); ++i) X0(static_cast<Eigen::Index>(i)) = Interval(m.x0[i]) + Interval(-m.r0, m.r0);
  const Readout<Interval> ro{im(m.Gamma), m.labels};
  euler::GradientEnclosure<Interval> g;
  try {
    g = euler::enclose_loss_gradient<Interval>(f, X0, ro, Interval(m.T), m.L);
  } catch (const std::exception& e) {
    std::printf("%s: threw %s\n", m.tag.c_str(), e.what());
    ++stats.unknown;
    return;
  }
  if (!g.verdict.is_proved()) {
    ++stats.unknown;
    std::printf("%s: unknown (%s)\n", m.tag.c_str(), g.verdict.reason().c_str());
    return;
  }
  ++stats.proved;
  // parameter count: every parameter of every coefficient layer named once
  {
    Params p;
    build_params(m, p);
    std::size_t expect = 0;
    for (const auto& [nm, ptr] : p.by_name) (void)nm, (void)ptr, ++expect;
    if (expect != g.names.size()) {
      ++failures;
      std::printf("  FAIL %s: %zu names reported, the oracle has %zu parameters\n", m.tag.c_str(), g.names.size(), expect);
    }
  }
  // the points: centre, random corners and interior points of the box
  std::vector<std::vector<double>> pts{m.x0};
  if (m.r0 > 0) {
    const std::size_t N = m.x0.size();
    const int corners = std::getenv("REVIEW_CORNERS") ? std::atoi(std::getenv("REVIEW_CORNERS")) : 6;
    for (int c = 0; c < corners; ++c) {
      std::vector<double> x = m.x0;
      for (std::size_t i = 0; i < N; ++i) x[i] += (std::uniform_int_distribution<int>(0, 1)(rng) ? m.r0 : -m.r0);
      pts.push_back(x);
    }
    for (int c = 0; c < 4; ++c) {
      std::vector<double> x = m.x0;
      for (std::size_t i = 0; i < N; ++i) x[i] += std::uniform_int_distribution<int>(-64, 64)(rng) / 64.0 * m.r0;
      if (m.sphere) {  // renormalise token-wise (kept only when it stays inside the box)
        std::vector<double> y = x;
        bool inside = true;
        for (int i = 0; i < m.n; ++i) {
          double s = 0;
          for (int cc = 0; cc < m.d; ++cc) s += y[i * m.d + cc] * y[i * m.d + cc];
          for (int cc = 0; cc < m.d; ++cc) {
            y[i * m.d + cc] /= std::sqrt(s);
            if (std::fabs(y[i * m.d + cc] - m.x0[i * m.d + cc]) > m.r0) inside = false;
          }
        }
        if (inside) pts.push_back(y);
      }
      pts.push_back(x);
    }
  }
  double widest = 0;
  for (Eigen::Index e = 0; e < g.gradient.size(); ++e) widest = std::max(widest, wid(g.gradient(e)));
  for (std::size_t pi = 0; pi < pts.size(); ++pi) {
    std::vector<Q> grad, gx;
    Q J;
    oracle_at(m, g.names, pts[pi], grad, gx, J);
    if (pi == 0 && m.r0 == 0) self_check(m, g.names, grad);
    const std::string at = m.tag + (pi == 0 ? " @centre" : " @point" + std::to_string(pi));
    compare(at + " loss", g.loss, J);
    for (std::size_t j = 0; j < g.names.size(); ++j) compare(at + " " + g.names[j], g.gradient(static_cast<Eigen::Index>(j)), grad[j]);
    for (std::size_t i = 0; i < gx.size(); ++i)
      compare(at + " initial_adjoint[" + std::to_string(i) + "]", g.initial_adjoint(static_cast<Eigen::Index>(i)), gx[i]);
  }
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%s: proved, %zu entries x %zu points, widest %.3g, library %.2f s, total %.2f s\n", m.tag.c_str(), g.names.size(),
              pts.size(), widest, g.seconds, sec);
  std::fflush(stdout);
}

Model base(const std::string& tag, int n, int d, int dp, bool sphere, std::size_t L, double T = 1) {
  Model m;
  m.tag = tag + " L=" + std::to_string(L);
  m.n = n;
  m.d = d;
  m.dp = dp;
  m.sphere = sphere;
  m.L = L;
  m.T = T;
  return m;
}
std::vector<SBasis> bases_all() { return {{0, 0, 1}, {1, 1, 1}, {1, 2, 1}, {2, 0, 2}, {3, 0, 3}}; }

// ------------------------------------------------------------------ groups
void group_smooth() {  // smooth controls, Euclidean, several bases, features, L ∈ {1, 3, 16, 64}
  for (std::size_t L : {1u, 3u, 16u, 64u}) {
    Model m = base("smooth{1,t,t^2,sin2t,cos3t} QK+B heads, FFN", 3, 2, 0, false, L);
    m.kind = 2;
    m.basis = bases_all();
    Opts o;
    for (int i = 0; i < 5; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    run(m);
  }
  {
    Model m = base("smooth{1,t^2,cos3t} features dp=2 biases causal", 3, 2, 2, false, 16, 1.5);
    m.kind = 2;
    m.basis = {{0, 0, 1}, {1, 2, 1}, {3, 0, 3}};
    Opts o;
    o.biases = true;
    o.causal = true;
    for (int i = 0; i < 3; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    run(m);
  }
  for (Activation a : {Activation::tanh, Activation::softplus, Activation::gelu_tanh, Activation::relu}) {
    Model m = base(std::string("smooth{1,t,sin2t} MLP ") + to_string(a) + " features dp=1 n=4 d=3", 4, 3, 1, false, 16, 0.75);
    m.kind = 2;
    m.basis = {{0, 0, 1}, {1, 1, 1}, {2, 0, 2}};
    Opts o;
    o.mlp = true;
    o.act = a;
    o.ffn = false;
    for (int i = 0; i < 3; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    run(m);
  }
}
void group_sphere() {
  for (std::size_t L : {1u, 3u, 16u, 64u}) {
    Model m = base("sphere smooth{1,t,cos3t} features dp=1", 3, 2, 1, true, L);
    m.kind = 2;
    m.basis = {{0, 0, 1}, {1, 1, 1}, {3, 0, 3}};
    Opts o;
    for (int i = 0; i < 3; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    run(m);
  }
  {
    Model m = base("sphere d=3 piecewise(0.25,0.5 on grid) causal MLP gelu", 4, 3, 0, true, 16);
    m.kind = 1;
    m.bps = {0.25, 0.5};
    Opts o;
    o.mlp = true;
    o.act = Activation::gelu_tanh;
    o.causal = true;
    for (int i = 0; i < 3; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    run(m);
  }
  {
    Model m = base("sphere constant control features dp=2 biases", 3, 3, 2, true, 16);
    Opts o;
    o.biases = true;
    m.layers.push_back(rlayer(m, o));
    finish_model(m);
    run(m);
  }
}
void group_piecewise() {
  // breakpoints on the step grid (right-continuous: t_k = b uses the next piece) and off it
  struct PW { std::vector<double> bps; double T; std::size_t L; const char* what; };
  for (const PW& c : {PW{{0.25, 0.5}, 1, 16, "on grid"}, PW{{0.5}, 1, 4, "on grid"}, PW{{0.5}, 0.75, 3, "on grid (T=0.75)"},
                      PW{{0.3, 0.61}, 1, 16, "off grid"}, PW{{0.3}, 1, 3, "off grid"}, PW{{0.125, 0.875}, 1, 64, "on grid"},
                      PW{{0.1, 0.7}, 1, 1, "off grid L=1"}, PW{{0.5}, 1, 6, "on grid, eps not binary64"}}) {
    Model m = base(std::string("piecewise ") + c.what + " features dp=1", 3, 2, 1, false, c.L, c.T);
    m.kind = 1;
    m.bps = c.bps;
    Opts o;
    o.biases = true;
    for (std::size_t i = 0; i <= c.bps.size(); ++i) {
      o.causal = i % 2 == 1;  // pieces with their own causal mask
      m.layers.push_back(rlayer(m, o));
    }
    finish_model(m);
    run(m);
  }
  {
    Model m = base("piecewise pieces with different activations (tanh | softplus)", 3, 2, 0, false, 16);
    m.kind = 1;
    m.bps = {0.5};
    Opts o;
    o.mlp = true;
    o.act = Activation::tanh;
    m.layers.push_back(rlayer(m, o));
    o.act = Activation::softplus;
    m.layers.push_back(rlayer(m, o));
    finish_model(m);
    run(m);
  }
}
void group_box() {  // boxes of initial tokens
  {
    Model m = base("box r=2^-10 smooth{1,t,t^2,sin2t,cos3t} features dp=1", 3, 2, 1, false, 16);
    m.kind = 2;
    m.basis = bases_all();
    Opts o;
    o.scale = 0.25;
    for (int i = 0; i < 5; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    m.r0 = 1.0 / 1024;
    run(m);
  }
  {
    Model m = base("box r=2^-10 sphere smooth{1,cos3t} causal", 3, 2, 0, true, 16);
    m.kind = 2;
    m.basis = {{0, 0, 1}, {3, 0, 3}};
    Opts o;
    o.scale = 0.25;
    o.causal = true;
    for (int i = 0; i < 2; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    m.r0 = 1.0 / 1024;
    run(m);
  }
  {
    Model m = base("box r=1/32 piecewise(0.5) MLP relu", 3, 2, 0, false, 3);
    m.kind = 1;
    m.bps = {0.5};
    Opts o;
    o.scale = 0.25;
    o.mlp = true;
    o.act = Activation::relu;
    for (int i = 0; i < 2; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    m.r0 = 1.0 / 32;
    run(m);
  }
  {
    Model m = base("box r=2^-10 sphere piecewise(0.3) features dp=1", 3, 2, 1, true, 64);
    m.kind = 1;
    m.bps = {0.3};
    Opts o;
    o.scale = 0.25;
    for (int i = 0; i < 2; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    m.r0 = 1.0 / 1024;
    run(m);
  }
}
void group_random(int count) {  // random mixtures
  for (int r = 0; r < count; ++r) {
    const int n = std::uniform_int_distribution<int>(2, 4)(rng), d = std::uniform_int_distribution<int>(2, 3)(rng);
    const int dp = std::uniform_int_distribution<int>(0, 2)(rng);
    const bool sphere = std::uniform_int_distribution<int>(0, 2)(rng) == 0;
    const std::size_t Ls[] = {1, 3, 16, 64};
    const std::size_t L = Ls[std::uniform_int_distribution<int>(0, 3)(rng)];
    const int kind = std::uniform_int_distribution<int>(0, 2)(rng);
    Opts o;
    o.heads_qk = std::uniform_int_distribution<int>(0, 2)(rng);
    o.heads_b = std::uniform_int_distribution<int>(o.heads_qk == 0 ? 1 : 0, 1)(rng);
    o.biases = std::uniform_int_distribution<int>(0, 1)(rng);
    o.causal = std::uniform_int_distribution<int>(0, 2)(rng) == 0;
    o.mlp = std::uniform_int_distribution<int>(0, 2)(rng) == 0;
    const Activation acts[] = {Activation::tanh, Activation::softplus, Activation::gelu_tanh, Activation::relu};
    o.act = acts[std::uniform_int_distribution<int>(0, 3)(rng)];
    o.ffn = std::uniform_int_distribution<int>(0, 3)(rng) != 0;
    o.ffn_b = std::uniform_int_distribution<int>(0, 1)(rng);
    o.scale = 0.25 + std::uniform_int_distribution<int>(0, 4)(rng) / 8.0;
    Model m = base("random#" + std::to_string(r) + " n=" + std::to_string(n) + " d=" + std::to_string(d) + " dp=" +
                       std::to_string(dp) + (sphere ? " sphere" : "") + (kind == 0 ? " constant" : kind == 1 ? " piecewise" : " smooth") +
                       (o.causal ? " causal" : "") + (o.mlp ? std::string(" mlp ") + to_string(o.act) : "") + (o.biases ? " biases" : ""),
                   n, d, dp, sphere, L);
    m.kind = kind;
    std::size_t layers = 1;
    if (kind == 1) {
      const double cands[] = {0.25, 0.5, 0.3, 0.7, 0.9375};
      for (double b : cands)
        if (std::uniform_int_distribution<int>(0, 1)(rng)) m.bps.push_back(b);
      std::sort(m.bps.begin(), m.bps.end());
      layers = m.bps.size() + 1;
    } else if (kind == 2) {
      const auto all = bases_all();
      for (const auto& b : all)
        if (m.basis.empty() || std::uniform_int_distribution<int>(0, 1)(rng)) m.basis.push_back(b);
      layers = m.basis.size();
    }
    for (std::size_t i = 0; i < layers; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) m.r0 = 1.0 / 1024;
    run(m);
  }
}

/// Interval parameters: every parameter of every coefficient layer widened by ±w in the library's
/// field; the oracle at random parameter points of that box (and random corners) must lie in
/// every enclosure (inclusion in the parameters, through the Dual layers built from interval layers).
void group_parambox() {
  struct C { const char* tag; int kind; bool sphere; int dp; std::size_t L; };
  for (const C& c : {C{"parambox smooth{1,t,t^2,sin2t,cos3t} dp=1", 2, false, 1, 16}, C{"parambox sphere smooth{1,cos3t}", 2, true, 0, 16},
                     C{"parambox piecewise(0.25,0.5)", 1, false, 1, 16}, C{"parambox constant causal", 0, false, 0, 3}}) {
    Model m = base(c.tag, 3, 2, c.dp, c.sphere, c.L);
    m.kind = c.kind;
    Opts o;
    o.scale = 0.25;
    o.causal = c.kind == 0;
    std::size_t layers = 1;
    if (c.kind == 2) {
      m.basis = c.sphere ? std::vector<SBasis>{{0, 0, 1}, {3, 0, 3}} : bases_all();
      layers = m.basis.size();
    } else if (c.kind == 1) {
      m.bps = {0.25, 0.5};
      layers = 3;
    }
    for (std::size_t i = 0; i < layers; ++i) m.layers.push_back(rlayer(m, o));
    finish_model(m);
    const double w = 1.0 / 4096;
    auto widen = [&](std::vector<Layer<Interval>>& ls) {
      for (auto& l : ls) {
        const Interval pm(-w, w);
        auto wm = [&](Mat<Interval>& a) { for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] += pm; };
        auto wv = [&](Vec<Interval>& a) { for (Eigen::Index i = 0; i < a.size(); ++i) a(i) += pm; };
        if (!l.heads.empty()) l.beta += pm;
        for (auto& h : l.heads) { wm(h.Q); wm(h.K); wm(h.B); wm(h.V); wv(h.bQ); wv(h.bK); wv(h.bV); }
        wm(l.W);
        wv(l.b);
        if (l.mlp) { wm(l.mlp->W1); wv(l.mlp->b1); wm(l.mlp->W2); wv(l.mlp->b2); }
      }
    };
    const TransformerField<Interval> f = lib_field(m, widen);
    Vec<Interval> X0(static_cast<Eigen::Index>(m.x0.size()));
    for (std::size_t i = 0; i < m.x0.size(); ++i) X0(static_cast<Eigen::Index>(i)) = Interval(m.x0[i]);
    const Readout<Interval> ro{im(m.Gamma), m.labels};
    euler::GradientEnclosure<Interval> g = euler::enclose_loss_gradient<Interval>(f, X0, ro, Interval(m.T), m.L);
    if (!g.verdict.is_proved()) {
      ++stats.unknown;
      std::printf("%s: unknown (%s)\n", m.tag.c_str(), g.verdict.reason().c_str());
      continue;
    }
    ++stats.proved;
    double widest = 0;
    for (Eigen::Index e = 0; e < g.gradient.size(); ++e) widest = std::max(widest, wid(g.gradient(e)));
    for (int s = 0; s < 10; ++s) {
      Model ms = m;  // a random point of the parameter box (corners for s < 4)
      auto jitter = [&](double& x) {
        x += s < 4 ? (std::uniform_int_distribution<int>(0, 1)(rng) ? w : -w) : std::uniform_int_distribution<int>(-64, 64)(rng) / 64.0 * w;
      };
      for (auto& l : ms.layers) {
        if (!l.heads.empty()) jitter(l.beta);
        auto jm = [&](DM& a) { for (auto& r : a) for (auto& x : r) jitter(x); };
        auto jv = [&](DV& a) { for (auto& x : a) jitter(x); };
        for (auto& h : l.heads) { jm(h.Q); jm(h.K); jm(h.B); jm(h.V); jv(h.bQ); jv(h.bK); jv(h.bV); }
        jm(l.W);
        jv(l.b);
        jm(l.W1); jv(l.b1); jm(l.W2); jv(l.b2);
      }
      std::vector<Q> grad, gx;
      Q J;
      oracle_at(ms, g.names, ms.x0, grad, gx, J);
      const std::string at = m.tag + " @param" + std::to_string(s);
      compare(at + " loss", g.loss, J);
      for (std::size_t j = 0; j < g.names.size(); ++j) compare(at + " " + g.names[j], g.gradient(static_cast<Eigen::Index>(j)), grad[j]);
      for (std::size_t i = 0; i < gx.size(); ++i)
        compare(at + " initial_adjoint[" + std::to_string(i) + "]", g.initial_adjoint(static_cast<Eigen::Index>(i)), gx[i]);
    }
    std::printf("%s: proved, %zu entries x 10 parameter points, widest %.3g, library %.2f s\n", m.tag.c_str(), g.names.size(), widest, g.seconds);
  }
}

/// upper_bound_box_lipschitz on a smooth featured field: its bound Λ (over a parameter box) must
/// dominate |J(θ_a) − J(θ_b)| / |θ_a − θ_b| of the oracle for pairs in the box.
void group_lipschitz() {
  Model m = base("lipschitz smooth{1,t} features dp=1", 2, 2, 1, false, 8);
  m.kind = 2;
  m.basis = {{0, 0, 1}, {1, 1, 1}};
  Opts o;
  o.heads_qk = 1;
  o.heads_b = 0;
  for (int i = 0; i < 2; ++i) m.layers.push_back(rlayer(m, o));
  finish_model(m);
  const std::vector<std::string> names{"layers[0].W[0][1]", "layers[1].heads[0].V[1][0]"};
  const double rad = 1.0 / 16;
  // the parameter box: these two entries widened by ±rad in the library's field (set directly)
  const TransformerField<Interval> f = lib_field(m, [&](std::vector<Layer<Interval>>& ls) {
    ls[0].W(0, 1) += Interval(-rad, rad);
    ls[1].heads[0].V(1, 0) += Interval(-rad, rad);
  });
  Vec<Interval> X0(static_cast<Eigen::Index>(m.x0.size()));
  for (std::size_t i = 0; i < m.x0.size(); ++i) X0(static_cast<Eigen::Index>(i)) = Interval(m.x0[i]);
  const Readout<Interval> ro{im(m.Gamma), m.labels};
  euler::BoxLipschitz<Interval> bl;
  try {
    bl = euler::upper_bound_box_lipschitz<Interval>(f, X0, ro, Interval(m.T), m.L, names, 2);
  } catch (const std::exception& e) {
    std::printf("lipschitz: threw %s\n", e.what());
    ++failures;
    return;
  }
  if (!bl.verdict.is_proved()) {
    std::printf("lipschitz: unknown (%s)\n", bl.verdict.reason().c_str());
    ++stats.unknown;
    return;
  }
  ++stats.proved;
  // oracle: Σ_j |∂J/∂θ_j| at many points of the box ≤ Λ, J in [loss_lo, loss_hi]
  double worst = 0;
  bool loss_ok = true;
  for (int s = 0; s < 25; ++s) {
    Params p;
    build_params(m, p);
    for (const auto& nm : names) p.by_name.at(nm)->v += std::uniform_int_distribution<int>(-64, 64)(rng) / 64.0 * rad;
    std::vector<D> X(m.x0.size());
    for (std::size_t i = 0; i < m.x0.size(); ++i) X[i] = K(m.x0[i]);
    Q s1 = 0;
    for (const auto& nm : names) {
      p.by_name.at(nm)->d = 1;
      const D Jd = loss(m, p.th, X);
      p.by_name.at(nm)->d = 0;
      s1 += fabsq(Jd.d);
      if (!(static_cast<Q>(bl.loss_lo) <= Jd.v && Jd.v <= static_cast<Q>(bl.loss_hi))) loss_ok = false;
    }
    worst = std::max(worst, dbl(s1));
  }
  ++comparisons;
  std::printf("lipschitz: bound %.17g, oracle max |grad| on the box %.17g\n", static_cast<double>(bl.lipschitz), worst);
  if (!loss_ok) {
    ++failures;
    std::printf("  FAIL lipschitz: oracle loss outside [loss_lo, loss_hi] = [%.17g, %.17g]\n", bl.loss_lo, bl.loss_hi);
  }
  if (!(worst <= static_cast<double>(bl.lipschitz))) {
    ++failures;
    std::printf("  FAIL lipschitz bound below the oracle gradient norm\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string grp = argc > 1 ? argv[1] : "all";
  const int nrand = argc > 2 ? std::atoi(argv[2]) : 6;
  if (argc > 3) rng.seed(std::strtoull(argv[3], nullptr, 10));
  if (grp == "all" || grp == "smooth") group_smooth();
  if (grp == "all" || grp == "sphere") group_sphere();
  if (grp == "all" || grp == "piecewise") group_piecewise();
  if (grp == "all" || grp == "box") group_box();
  if (grp == "all" || grp == "lipschitz") group_lipschitz();
  if (grp == "all" || grp == "parambox") group_parambox();
  if (grp == "all" || grp == "random") group_random(nrand);
  std::printf("summary [%s]: %d proved, %d unknown, %ld comparisons, worst |oracle - mid|/rad = %.3g (%s), failures %d\n",
              grp.c_str(), stats.proved, stats.unknown, comparisons, worst_ratio, worst_where.c_str(), failures);
  return failures == 0 ? 0 : 1;
}
