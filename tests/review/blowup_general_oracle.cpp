// Review (commit 6cc2614): certify_blowup_bracket_general (128-bit and binary64 compactified
// flow) and certify_blowup_time<Interval / MpInterval> against an independent closed-form oracle.
//
// Oracle: decoupled diagonal models conjugated by an exact rational invertible M,
//     W = M D M⁻¹,  V_h = M D_h M⁻¹,  B_h = M⁻ᵀ D'_h M⁻¹,  Σ0 = M D0 Mᵀ.
// Then Σ = M S Mᵀ with S' = ÃS + SÃᵀ, Ã = D + β Σ_h D_h S D'_h; S diagonal is invariant and each
// s_i solves s' = 2 w_i s + 2 c_i s², c_i = β Σ_h v_hi b'_hi, blowing up at
//     t_i = ln(1 + w_i/(c_i s_i0)) / (2 w_i)    (1/(2 c_i s_i0) at w_i = 0)
// iff c_i s_i0 > 0 and w_i + c_i s_i0 > 0; t* = min_i t_i. Every number is an exact GMP rational
// (Boost mpq_rational, built here — no library matrix routine is used), t* is enclosed by MPFR at
// 320 bits with directed rounding (mpfr_set_q / mpfr_log1p / mpfr_div_q), own code.
//
// Checked for every model where a function returns proved:
//   bracket (flow_bits 128 and 0):  t_lo < t* ≤ t_hi (strict/non-strict against the 320-bit enclosure);
//   certify_blowup_time<T> (T = Interval, MpInterval at 256 bits), horizon H either after or
//   before t*:  blowup ⇒ t_lo < t* ≤ t_hi ≤ H;  blowup_lower_bound_only ⇒ t_lo < t*;
//   no_blowup_on_horizon ⇒ H < t*.
// Unknown outcomes are counted and their reasons printed. Exit 0 = no containment failure.
//
// usage: review_blowup_general_oracle <seed> <count> [modes] [cpu budget s]   modes ⊆ "b6im" (default "b6im"):
//   b = bracket 128 bits, 6 = bracket binary64, i = certify_blowup_time<Interval>, m = <MpInterval>;
//   f = every model in the information form (V_h = v_h I: certify_blowup_time's slab covering).
#include "certiformer/core.hpp"
#include "certiformer/gaussian/blowup.hpp"
#include "certiformer/gaussian/model.hpp"

#include <mpfr.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::gaussian;

namespace {

using Q = Rational;  // GMP rational (boost::multiprecision::mpq_rational)

// ---------------------------------------------------------------- own exact rational matrices
struct QM {
  int r = 0, c = 0;
  std::vector<Q> a;
  QM() = default;
  QM(int r_, int c_) : r(r_), c(c_), a(static_cast<std::size_t>(r_ * c_), Q(0)) {}
  Q& operator()(int i, int j) { return a[static_cast<std::size_t>(i * c + j)]; }
  const Q& operator()(int i, int j) const { return a[static_cast<std::size_t>(i * c + j)]; }
};
QM eye(int n) {
  QM m(n, n);
  for (int i = 0; i < n; ++i) m(i, i) = 1;
  return m;
}
QM mul(const QM& x, const QM& y) {
  QM z(x.r, y.c);
  for (int i = 0; i < x.r; ++i)
    for (int j = 0; j < y.c; ++j) {
      Q s = 0;
      for (int k = 0; k < x.c; ++k) s += x(i, k) * y(k, j);
      z(i, j) = s;
    }
  return z;
}
QM tr(const QM& x) {
  QM z(x.c, x.r);
  for (int i = 0; i < x.r; ++i)
    for (int j = 0; j < x.c; ++j) z(j, i) = x(i, j);
  return z;
}
QM diagm(const std::vector<Q>& v) {
  QM m(static_cast<int>(v.size()), static_cast<int>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) m(static_cast<int>(i), static_cast<int>(i)) = v[i];
  return m;
}
/// Gauss–Jordan inverse; false when singular.
bool inv(const QM& x, QM& out) {
  const int n = x.r;
  QM a = x, b = eye(n);
  for (int col = 0; col < n; ++col) {
    int p = -1;
    for (int i = col; i < n; ++i)
      if (a(i, col) != 0) { p = i; break; }
    if (p < 0) return false;
    for (int j = 0; j < n; ++j) { std::swap(a(p, j), a(col, j)); std::swap(b(p, j), b(col, j)); }
    const Q piv = a(col, col);
    for (int j = 0; j < n; ++j) { a(col, j) /= piv; b(col, j) /= piv; }
    for (int i = 0; i < n; ++i)
      if (i != col && a(i, col) != 0) {
        const Q f = a(i, col);
        for (int j = 0; j < n; ++j) { a(i, j) -= f * a(col, j); b(i, j) -= f * b(col, j); }
      }
  }
  out = b;
  return true;
}
RMatrix to_rm(const QM& x) {
  RMatrix m(x.r, x.c);
  for (int i = 0; i < x.r; ++i)
    for (int j = 0; j < x.c; ++j) m(i, j) = x(i, j);
  return m;
}

// ---------------------------------------------------------------- 320-bit enclosure of t*
constexpr mpfr_prec_t kBits = 320;
struct TEncl {
  mpfr_t lo, hi;
  TEncl() { mpfr_inits2(kBits, lo, hi, (mpfr_ptr)0); }
  ~TEncl() { mpfr_clears(lo, hi, (mpfr_ptr)0); }
  TEncl(const TEncl&) = delete;
  double approx() const { return mpfr_get_d(lo, MPFR_RNDN); }
};
/// Blow-up time of s' = 2ws + 2cs², s(0) = s0 > 0; false when it does not blow up.
bool scalar_blowup(const Q& w, const Q& c, const Q& s0, TEncl& t) {
  const Q a = c * s0;
  if (!(a > 0) || !(w + a > 0)) return false;
  if (w == 0) {
    const Q q = Q(1) / (2 * a);
    mpfr_set_q(t.lo, q.backend().data(), MPFR_RNDD);
    mpfr_set_q(t.hi, q.backend().data(), MPFR_RNDU);
    return true;
  }
  const Q x = w / a;
  mpfr_t xl, xh, ll, lh;
  mpfr_inits2(kBits, xl, xh, ll, lh, (mpfr_ptr)0);
  mpfr_set_q(xl, x.backend().data(), MPFR_RNDD);
  mpfr_set_q(xh, x.backend().data(), MPFR_RNDU);
  mpfr_log1p(ll, xl, MPFR_RNDD);  // log1p increasing
  mpfr_log1p(lh, xh, MPFR_RNDU);
  const Q tw = 2 * w;
  if (w > 0) {
    mpfr_div_q(t.lo, ll, tw.backend().data(), MPFR_RNDD);
    mpfr_div_q(t.hi, lh, tw.backend().data(), MPFR_RNDU);
  } else {  // both logs < 0, divisor < 0
    mpfr_div_q(t.lo, lh, tw.backend().data(), MPFR_RNDD);
    mpfr_div_q(t.hi, ll, tw.backend().data(), MPFR_RNDU);
  }
  mpfr_clears(xl, xh, ll, lh, (mpfr_ptr)0);
  return true;
}

// ---------------------------------------------------------------- random models
bool force_info = false;  // mode 'f': every model in the information form (V_h = v_h I)
struct Case {
  std::string tag;
  int d = 2, H = 1;
  Q beta = 1;
  std::vector<Q> w, s0;
  std::vector<std::vector<Q>> v, b;  // [h][i]
  QM M, Minv;
  bool info_form = false;   // every D_h a multiple of I (then V_h = v_h I)
  bool saddle = false;      // the first profile is not attracting by the heuristic e_jk < c_k
  int first = 0;
  ModelSpec model;
  GaussianSpec initial;
};

Q qrand(std::mt19937_64& g, int lo, int hi, int den) {
  std::uniform_int_distribution<int> u(lo, hi);
  return Q(u(g)) / Q(den);
}
/// a > 0 as a rational with ~5 significant digits.
Q rationalize(double a) {
  const int e = static_cast<int>(std::floor(std::log10(a))) - 4;
  const long long m = std::llround(a / std::pow(10.0, e));
  Q p = 1;
  for (int i = 0; i < std::abs(e); ++i) p *= 10;
  return e >= 0 ? Q(m) * p : Q(m) / p;
}

QM rotation(std::mt19937_64& g, int d) {
  // Cayley transform of a skew matrix K: O = (I − K)(I + K)⁻¹ is rational orthogonal
  QM K(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j) {
      K(i, j) = qrand(g, -6, 6, 4);
      K(j, i) = -K(i, j);
    }
  QM IpK = eye(d), ImK = eye(d), IpKi;
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) { IpK(i, j) += K(i, j); ImK(i, j) -= K(i, j); }
  if (!inv(IpK, IpKi)) throw std::logic_error("I + K singular");
  return mul(ImK, IpKi);
}

void make_M(std::mt19937_64& g, Case& C, int kind) {
  const int d = C.d;
  for (;;) {
    QM M;
    switch (kind) {
      case 0: M = rotation(g, d); C.tag += "rot"; break;
      case 1: {
        QM S = eye(d);
        for (int i = 0; i < d; ++i)
          for (int j = i + 1; j < d; ++j) S(i, j) = qrand(g, -4, 4, 2);
        M = mul(rotation(g, d), S);
        C.tag += "rot*shear";
        break;
      }
      case 2: {
        M = QM(d, d);
        for (auto& x : M.a) x = qrand(g, -3, 3, 1);
        C.tag += "int";
        break;
      }
      default: {
        std::vector<Q> sc(static_cast<std::size_t>(d));
        const Q opts[] = {Q(1), Q(1, 8), Q(4), Q(1, 3), Q(10)};
        for (auto& x : sc) x = opts[std::uniform_int_distribution<int>(0, 4)(g)];
        M = mul(mul(rotation(g, d), diagm(sc)), rotation(g, d));
        C.tag += "rot*scale*rot";
      }
    }
    QM Mi;
    if (inv(M, Mi)) {
      C.M = M;
      C.Minv = Mi;
      return;
    }
    C.tag.clear();
  }
}

/// Builds a case; returns false when the draw is rejected.
bool draw(std::mt19937_64& g, Case& C, TEncl& tstar) {
  std::uniform_int_distribution<int> u01(0, 99);
  C.d = u01(g) < 45 ? 2 : 3;
  C.H = u01(g) < 60 ? 1 : 2;
  const int d = C.d, H = C.H;
  const Q betas[] = {Q(1), Q(1, 2), Q(2), Q(3, 4)};
  C.beta = betas[std::uniform_int_distribution<int>(0, 3)(g)];
  C.info_form = force_info || u01(g) < 4;
  const bool want_saddle = !C.info_form && u01(g) < 12;
  const bool singular = u01(g) < 30 && !force_info;  // a coordinate with s0 = 1e-8 (not in mode f: the covering is slow there)
  const bool singular_first = singular && u01(g) < 40;
  C.first = std::uniform_int_distribution<int>(0, d - 1)(g);
  const int k = C.first;
  C.v.assign(static_cast<std::size_t>(H), std::vector<Q>(static_cast<std::size_t>(d)));
  C.b = C.v;
  C.w.assign(static_cast<std::size_t>(d), Q(0));
  C.s0 = C.w;
  auto cof = [&](int i) {
    Q c = 0;
    for (int h = 0; h < H; ++h) c += C.beta * C.v[h][i] * C.b[h][i];
    return c;
  };
  auto cross = [&](int j, int kk) {  // e_jk = β Σ_h v_hj b'_hk
    Q c = 0;
    for (int h = 0; h < H; ++h) c += C.beta * C.v[h][j] * C.b[h][kk];
    return c;
  };
  bool ok = false;
  for (int attempt = 0; attempt < 200 && !ok; ++attempt) {
    for (int h = 0; h < H; ++h)
      for (int i = 0; i < d; ++i) {
        C.v[h][i] = qrand(g, -16, 16, 8);
        C.b[h][i] = qrand(g, -16, 16, 8);
      }
    if (C.info_form)
      for (int h = 0; h < H; ++h)
        for (int i = 0; i < d; ++i) C.v[h][i] = C.v[h][0];
    if (!(cof(k) > 0)) continue;
    bool attract = true;
    for (int j = 0; j < d; ++j)
      if (j != k && !(cross(j, k) < cof(k) * Q(4, 5))) attract = false;
    bool saddle = false;
    for (int j = 0; j < d; ++j)
      if (j != k && cross(j, k) > cof(k) * Q(6, 5)) saddle = true;
    if (C.info_form) ok = true;
    else ok = want_saddle ? saddle : attract;
  }
  if (!ok) return false;
  C.saddle = want_saddle;
  // the first coordinate: a target t* log-uniform in [0.01, 5]
  const double T = std::exp(std::uniform_real_distribution<double>(std::log(0.01), std::log(5.0))(g));
  const int wkind = u01(g);
  C.w[k] = wkind < 20 ? Q(0) : qrand(g, -16, 16, 8);
  if (singular_first) C.w[k] = qrand(g, 1, 24, 4);  // a tiny s0 needs growth w > 0 ...
  const double wd = static_cast<double>(C.w[k]);
  const double ad = wd == 0 ? 1 / (2 * T) : wd / std::expm1(2 * wd * T);
  if (!(ad > 0) || !std::isfinite(ad)) return false;
  const Q a = rationalize(ad);
  if (singular_first) {  // ... and s0 = 1e-8, c_k = a/1e-8: rescale the b'_hk column (keeps the ratio e_jk / c_k)
    C.s0[k] = Q(1, 100000000);
    const Q f = a / C.s0[k] / cof(k);
    for (int h = 0; h < H; ++h) C.b[h][k] *= f;
  } else {
    C.s0[k] = a / cof(k);
  }
  TEncl tk;
  if (!scalar_blowup(C.w[k], cof(k), C.s0[k], tk)) return false;
  // the other coordinates: random, blowing up clearly later (≥ 5 %) or not at all
  for (int j = 0; j < d; ++j) {
    if (j == k) continue;
    bool good = false;
    for (int attempt = 0; attempt < 100 && !good; ++attempt) {
      C.w[j] = qrand(g, -16, 16, 8);
      const Q opts[] = {Q(1, 10), Q(1, 2), Q(1), Q(3), Q(1, 100000000)};
      C.s0[j] = opts[std::uniform_int_distribution<int>(0, singular && !singular_first ? 4 : 3)(g)];
      TEncl tj;
      if (!scalar_blowup(C.w[j], cof(j), C.s0[j], tj)) { good = true; break; }
      if (mpfr_cmp_d(tj.lo, 1.05 * tk.approx()) > 0) good = true;
    }
    if (!good) return false;
  }
  mpfr_set(tstar.lo, tk.lo, MPFR_RNDD);
  mpfr_set(tstar.hi, tk.hi, MPFR_RNDU);
  // the model
  make_M(g, C, std::uniform_int_distribution<int>(0, 3)(g));
  C.tag += " d=" + std::to_string(d) + " H=" + std::to_string(H) + (C.info_form ? " info-form" : "") +
           (C.saddle ? " saddle" : "") + (singular ? (singular_first ? " s0_first=1e-8" : " s0_other=1e-8") : "");
  const QM MiT = tr(C.Minv);
  C.model = ModelSpec{};
  C.model.dim = d;
  C.model.beta = C.beta;
  C.model.W = to_rm(mul(mul(C.M, diagm(C.w)), C.Minv));
  for (int h = 0; h < H; ++h)
    C.model.heads.push_back({to_rm(mul(mul(C.M, diagm(C.v[h])), C.Minv)), to_rm(mul(mul(MiT, diagm(C.b[h])), C.Minv))});
  C.initial.mean = RMatrix(d, 1);
  C.initial.cov = to_rm(mul(mul(C.M, diagm(C.s0)), tr(C.M)));
  return true;
}

// ---------------------------------------------------------------- checks
int failures = 0;
struct Tally {
  int proved = 0, unknown = 0;
  double min_margin = 1;  // min over proved of min(t* − t_lo, t_hi − t*)/(t_hi − t_lo)
  double max_rel = 0;
};

/// Position of t* in [lo, hi] (lo, hi doubles), at 320 bits: min(t* − lo, hi − t*)/(hi − lo)
/// (t* taken as the midpoint of its 320-bit enclosure).
double margin(double lo, double hi, const TEncl& t) {
  mpfr_t m, a, b, w;
  mpfr_inits2(kBits, m, a, b, w, (mpfr_ptr)0);
  mpfr_add(m, t.lo, t.hi, MPFR_RNDN);
  mpfr_div_2ui(m, m, 1, MPFR_RNDN);
  mpfr_sub_d(a, m, lo, MPFR_RNDN);
  mpfr_d_sub(b, hi, m, MPFR_RNDN);
  mpfr_set_d(w, hi, MPFR_RNDN);
  mpfr_sub_d(w, w, lo, MPFR_RNDN);
  mpfr_min(a, a, b, MPFR_RNDN);
  mpfr_div(a, a, w, MPFR_RNDN);
  const double r = mpfr_get_d(a, MPFR_RNDN);
  mpfr_clears(m, a, b, w, (mpfr_ptr)0);
  return r;
}

bool lo_ok(double lo, const TEncl& t) { return mpfr_cmp_d(t.lo, lo) > 0; }   // lo < t*
bool hi_ok(double hi, const TEncl& t) { return mpfr_cmp_d(t.hi, hi) <= 0; }  // t* ≤ hi
bool lo_ok(const MpReal& lo, const TEncl& t) { return mpfr_cmp(t.lo, lo.backend().data()) > 0; }
bool hi_ok(const MpReal& hi, const TEncl& t) { return mpfr_cmp(t.hi, hi.backend().data()) <= 0; }

void fail(const Case& C, const char* what, const std::string& detail) {
  ++failures;
  std::printf("  FAIL [%s] %s: %s\n", C.tag.c_str(), what, detail.c_str());
}

std::string g17(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}
std::string mps(mpfr_srcptr x) {
  char* s = nullptr;
  mpfr_asprintf(&s, "%.25Rg", x);
  std::string r(s);
  mpfr_free_str(s);
  return r;
}

void check_bracket(const Case& C, const TEncl& ts, int bits, Tally& ty) {
  const auto t0 = std::chrono::steady_clock::now();
  const GeneralBlowupBracket b = certify_blowup_bracket_general(C.model, C.initial, GeneralBracketOptions{.flow_bits = bits});
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!b.verdict.is_proved()) {
    ++ty.unknown;
    std::printf("  bracket(%d) unknown (%.1f s): %s\n", bits, sec, b.verdict.reason().substr(0, 220).c_str());
    return;
  }
  ++ty.proved;
  const bool ok = lo_ok(b.t_lo, ts) && hi_ok(b.t_hi, ts);
  const double mg = margin(b.t_lo, b.t_hi, ts);
  ty.min_margin = std::min(ty.min_margin, mg);
  ty.max_rel = std::max(ty.max_rel, b.relative_width);
  std::printf("  bracket(%d) [%s, %s] rel %.2g margin %.3f (%.1f s, %zu steps)\n", bits, g17(b.t_lo).c_str(),
              g17(b.t_hi).c_str(), b.relative_width, mg, sec, b.flow_steps);
  if (!ok) fail(C, "bracket misses t*", "flow_bits " + std::to_string(bits) + ": [" + g17(b.t_lo) + ", " + g17(b.t_hi) +
                                             "] vs t* in [" + mps(ts.lo) + ", " + mps(ts.hi) + "]");
  if (C.saddle) std::printf("  note: proved for a saddle-by-heuristic profile\n");
}

template <class T> void check_time(const Case& C, const TEncl& ts, const Q& horizon, Tally& ty) {
  const auto t0 = std::chrono::steady_clock::now();
  BlowupResult<T> r;
  try {
    r = certify_blowup_time<T>(C.model, C.initial, horizon);
  } catch (const std::exception& e) {
    fail(C, "certify_blowup_time threw", e.what());
    return;
  }
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const char* tn = std::is_same_v<T, Interval> ? "time<Interval>" : "time<Mp256>";
  const bool after = mpfr_cmp_q(ts.lo, horizon.backend().data()) > 0;   // t* > H (certainly)
  std::string st(to_string(r.status));
  if (r.status == BlowupStatus::unknown) {
    ++ty.unknown;
    std::printf("  %s H=%s unknown (%.1f s): %s\n", tn, to_string(horizon).c_str(), sec, r.verdict.reason().substr(0, 200).c_str());
    return;
  }
  ++ty.proved;
  auto lo_s = [&]() -> std::string {
    if constexpr (std::is_same_v<T, Interval>) return g17(r.t_lo);
    else return r.t_lo.str(25);
  };
  auto hi_s = [&]() -> std::string {
    if constexpr (std::is_same_v<T, Interval>) return g17(r.t_hi);
    else return r.t_hi.str(25);
  };
  std::printf("  %s H=%s %s [%s, %s] rel %.2g (%.1f s)\n", tn, to_string(horizon).c_str(), st.c_str(), lo_s().c_str(),
              hi_s().c_str(), r.relative_width, sec);
  const std::string where = std::string(tn) + " H=" + to_string(horizon) + " [" + lo_s() + ", " + hi_s() + "] t* in [" +
                            mps(ts.lo) + ", " + mps(ts.hi) + "]";
  switch (r.status) {
    case BlowupStatus::blowup: {
      if (!(lo_ok(r.t_lo, ts) && hi_ok(r.t_hi, ts))) fail(C, "blowup bracket misses t*", where);
      {  // the claim t_hi ≤ H
        bool hi_le_H;
        if constexpr (std::is_same_v<T, Interval>) hi_le_H = Q(r.t_hi) <= horizon;
        else hi_le_H = mpfr_cmp_q(r.t_hi.backend().data(), horizon.backend().data()) <= 0;
        if (!hi_le_H) fail(C, "blowup reported with t_hi > H", where);
      }
      if (after) fail(C, "blowup reported but t* > H", where);
      if constexpr (std::is_same_v<T, Interval>) {
        const double mg = margin(r.t_lo, r.t_hi, ts);
        ty.min_margin = std::min(ty.min_margin, mg);
      }
      ty.max_rel = std::max(ty.max_rel, r.relative_width);
      break;
    }
    case BlowupStatus::blowup_lower_bound_only:
      if (!lo_ok(r.t_lo, ts)) fail(C, "lower bound not below t*", where);
      break;
    case BlowupStatus::no_blowup_on_horizon:
      if (!after) fail(C, "no blow-up on the horizon claimed but t* <= H", where);
      break;
    default: break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const unsigned long seed = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1;
  const int count = argc > 2 ? std::atoi(argv[2]) : 3;
  const std::string modes = argc > 3 ? argv[3] : "b6im";
  const double budget = argc > 4 ? std::atof(argv[4]) : 1e9;  // CPU seconds: no new model after it
  force_info = modes.find('f') != std::string::npos;
  std::mt19937_64 g(seed);
  Tally tb, t6, ti, tm;
  int drawn = 0;
  while (drawn < count && static_cast<double>(std::clock()) / CLOCKS_PER_SEC < budget) {
    Case C;
    TEncl ts;
    if (!draw(g, C, ts)) continue;
    ++drawn;
    std::printf("model %d [%s] t* = %s (first coordinate %d)\n", drawn, C.tag.c_str(), mps(ts.lo).c_str(), C.first);
    if (std::getenv("REVIEW_DUMP")) {  // the diagonal data (reproducer)
      std::printf("  beta %s\n", to_string(C.beta).c_str());
      for (int i = 0; i < C.d; ++i) {
        std::printf("  coord %d: w %s s0 %s", i, to_string(C.w[i]).c_str(), to_string(C.s0[i]).c_str());
        for (int h = 0; h < C.H; ++h) std::printf(" v%d %s b%d %s", h, to_string(C.v[h][i]).c_str(), h, to_string(C.b[h][i]).c_str());
        std::printf("\n");
      }
      std::printf("  M:");
      for (const auto& x : C.M.a) std::printf(" %s", to_string(x).c_str());
      std::printf("\n");
    }
    std::fflush(stdout);
    if (modes.find('b') != std::string::npos) check_bracket(C, ts, 128, tb);
    if (modes.find('6') != std::string::npos) check_bracket(C, ts, 0, t6);
    // horizons: after t* (×1.5 or ×3) or before it (×0.7)
    const double tsd = ts.approx();
    const int hk = std::uniform_int_distribution<int>(0, 9)(g);
    const Q H = rationalize(tsd * (hk < 3 ? 0.7 : hk < 7 ? 1.5 : 3.0));
    if (modes.find('i') != std::string::npos) check_time<Interval>(C, ts, H, ti);
    if (modes.find('m') != std::string::npos) {
      MpPrecisionScope scope(256);
      check_time<MpInterval>(C, ts, H, tm);
    }
    std::fflush(stdout);
  }
  std::printf("summary seed %lu: %d models; bracket128 proved %d unknown %d (min margin %.3g, max rel width %.3g); "
              "bracket64 proved %d unknown %d (min margin %.3g, max rel %.3g); time<Interval> proved %d unknown %d "
              "(min margin %.3g); time<Mp256> proved %d unknown %d; failures %d\n",
              seed, drawn, tb.proved, tb.unknown, tb.min_margin, tb.max_rel, t6.proved, t6.unknown, t6.min_margin, t6.max_rel,
              ti.proved, ti.unknown, ti.min_margin, tm.proved, tm.unknown, failures);
  return failures == 0 ? 0 : 1;
}
