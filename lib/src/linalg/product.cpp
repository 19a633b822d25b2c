// Midpoint-radius interval matrix products (Rump), see linalg/product.hpp for the formulas.
//
// Soundness notes for this file:
//  * Compiled with -frounding-math -ffp-contract=off (meson.build): no constant folding that
//    assumes round-to-nearest, no silent contraction. (An FMA would be harmless anyway: it is
//    one correctly rounded operation in the current direction.)
//  * The rounding mode is switched only through core's RoundingScope, and all floating-point
//    work done while it is switched happens in the [[gnu::noipa]] kernels below, which follow
//    the kernel convention of core/rounding.hpp: first parameter `const RoundingScope&`, first
//    statement `scope.expect(mode)`, operands read from memory, results written to memory, no
//    floating-point value returned; the only scalars computed before the switch (g, the
//    underflow term) pass through volatile memory.
//  * Interval (EFT-based, round-to-nearest only) operations are never called while the mode is
//    switched: the scope is closed before any Interval is built or operated on.

#include "certiformer/linalg/product.hpp"
#include "certiformer/core/rounding.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace certiformer::linalg {

namespace {

using Eigen::Index;
using MatD = Eigen::MatrixXd;
using MatF = Eigen::MatrixXf;
using MapD = Eigen::Map<MatD, Eigen::Aligned16>;
using MapF = Eigen::Map<MatF, Eigen::Aligned16>;

/// Scratch memory reused across calls (page faults of fresh multi-megabyte buffers cost as
/// much as a GEMM at n = 200). Per thread; kept only up to kRetainDoubles doubles.
class Workspace {
 public:
  static constexpr std::size_t kRetainDoubles = std::size_t(1) << 21;  // 16 MiB
  void prepare(std::size_t nd, std::size_t nf) {
    dpos_ = fpos_ = 0;
    if (d_.size() < nd) d_.resize(nd);
    if (f_.size() < nf) f_.resize(nf);
  }
  MapD dmat(Index r, Index c) {
    double* p = d_.data() + dpos_;
    dpos_ += pad(static_cast<std::size_t>(r * c));
    return MapD(p, r, c);
  }
  MapF fmat(Index r, Index c) {
    float* p = f_.data() + fpos_;
    fpos_ += pad(static_cast<std::size_t>(r * c));
    return MapF(p, r, c);
  }
  void trim() {
    if (d_.size() + f_.size() / 2 > kRetainDoubles) {
      decltype(d_)().swap(d_);
      decltype(f_)().swap(f_);
    }
  }
  static std::size_t pad(std::size_t n) { return (n + 15) & ~std::size_t(15); }  // keeps 64-byte steps

 private:
  std::vector<double, Eigen::aligned_allocator<double>> d_;
  std::vector<float, Eigen::aligned_allocator<float>> f_;
  std::size_t dpos_ = 0, fpos_ = 0;
};
thread_local Workspace t_workspace;

// ---- kernels (core/rounding.hpp convention) ---------------------------------------------------

/// Kernel, upward. m = RU(RU(lo+hi)·0.5), r = RU(m − lo): [m−r, m+r] ⊇ [lo, hi]
/// (m ≥ (lo+hi)/2 and m ≤ hi since RU(lo+hi) ≤ 2hi, so r ≥ m − lo ≥ hi − m).
[[gnu::noipa]] void split_up(const RoundingScope& scope, const Interval* p, Index size, double* m, double* r) {
  scope.expect(Rounding::upward);
  for (Index i = 0; i < size; ++i) {
    const double lo = p[i].lower();
    const double hi = p[i].upper();
    const double mm = (lo + hi) * 0.5;
    m[i] = mm;
    r[i] = mm - lo;
  }
}

/// Kernels: C = A·B rounded in the scope's current mode (Eigen's GEMM; every operation of the
/// blocked kernels is an IEEE operation in that mode, see docs/assumptions.md).
[[gnu::noipa]] void gemm(const RoundingScope& scope, const MapD& a, const MapD& b, MapD& c) {
  scope.expect(scope.mode());
  c.noalias() = a * b;
}
[[gnu::noipa]] void gemm_f(const RoundingScope& scope, const MapF& a, const MapF& b, MapF& c) {
  scope.expect(Rounding::upward);
  c.noalias() = a * b;
}

/// Kernel, upward. X (m×kk) ≥ 0 and Y (kk×p) ≥ 0 entrywise; R ≥ X·Y entrywise.
/// Fast path (binary32 GEMM, about twice the speed of binary64): row i of X is scaled by 2^-a_i
/// and column j of Y by 2^-b_j (exact powers of two chosen so the row/column maxima lie in
/// [1/2, 1)), converted to float rounding upward (≥ the double), multiplied by a float GEMM
/// rounding upward (≥ the exact product of the floats: all terms ≥ 0, no overflow since every
/// sum is ≤ kk), and scaled back by 2^(a_i+b_j) rounding upward. So R ≥ X·Y. The fast path is
/// used only when every nonzero scaled entry is ≥ 2^-60 (no product underflows in float, so
/// the only loss is the relative factor ≤ (1 + 2^-23)^(kk+1)) and the maxima lie in
/// [2^-1000, 2^1000] and m·kk·p ≥ 2^18; otherwise a binary64 GEMM rounding upward.
[[gnu::noipa]] void radius_product(const RoundingScope& scope, const MapD& X, const MapD& Y, MapD& R, MapF& Xf,
                                   MapF& Yf, MapF& Rf) {
  scope.expect(Rounding::upward);
  const Index m = X.rows(), kk = X.cols(), p = Y.cols();
  Eigen::VectorXd fa(m), ia(m), fb(p), ib(p);
  // binary32 pays off only for larger products; small ones stay in binary64 (tighter).
  bool fast = kk < (Index(1) << 20) && static_cast<double>(m) * static_cast<double>(kk) * static_cast<double>(p) >= 0x1p18;
  for (Index i = 0; i < m && fast; ++i) {
    const double mx = X.row(i).maxCoeff();
    int e = 0;
    if (mx > 0.0) std::frexp(mx, &e);  // mx = f·2^e, f ∈ [1/2, 1): exact
    if (e > 1000 || e < -1000) fast = false;
    fa(i) = std::ldexp(1.0, -e);  // exact powers of two (|e| ≤ 1000)
    ia(i) = std::ldexp(1.0, e);
  }
  for (Index j = 0; j < p && fast; ++j) {
    const double mx = Y.col(j).maxCoeff();
    int e = 0;
    if (mx > 0.0) std::frexp(mx, &e);
    if (e > 1000 || e < -1000) fast = false;
    fb(j) = std::ldexp(1.0, -e);
    ib(j) = std::ldexp(1.0, e);
  }
  if (fast) {
    double small = 1.0;  // smallest nonzero scaled entry
    for (Index l = 0; l < kk; ++l)
      for (Index i = 0; i < m; ++i) {
        const double v = X(i, l) * fa(i);  // exact unless subnormal (then rounded up, and small < 2^-60)
        small = (v != 0.0 && v < small) ? v : small;
        Xf(i, l) = static_cast<float>(v);  // rounds upward
      }
    for (Index j = 0; j < p; ++j)
      for (Index l = 0; l < kk; ++l) {
        const double v = Y(l, j) * fb(j);
        small = (v != 0.0 && v < small) ? v : small;
        Yf(l, j) = static_cast<float>(v);
      }
    fast = small >= 0x1p-60;
  }
  if (!fast) {
    gemm(scope, X, Y, R);
    return;
  }
  gemm_f(scope, Xf, Yf, Rf);
  for (Index j = 0; j < p; ++j)
    for (Index i = 0; i < m; ++i) R(i, j) = (static_cast<double>(Rf(i, j)) * ia(i)) * ib(j);  // rounded upward
}

/// out = g·|x| + y entrywise (rounded in the current mode; all terms ≥ 0 when g, y ≥ 0).
inline void scaled_abs_plus(double g, const double* x, const double* y, double* out, Index n) {
  for (Index i = 0; i < n; ++i) out[i] = g * std::fabs(x[i]) + y[i];
}

template <class M> bool all_finite(const M& a) { return a.allFinite(); }
template <class M> bool is_zero(const M& a) { return a.size() == 0 || a.maxCoeff() == 0.0; }

/// g ≥ γ_{k+1} = (k+1)u / (1 − (k+1)u), computed with Interval arithmetic (round-to-nearest).
[[gnu::noinline]] double gamma_upper(Index k) {
  const Interval ku = Interval(static_cast<long long>(k) + 1) * Interval(0x1p-53);
  return sup(ku / (Interval(1) - ku));
}

/// Kernel, upward. Matrix × vector in one pass over A (no GEMV can beat the memory
/// traffic of reading A once): per entry m, r as in split_up, and with every operation
/// rounded upward
///   hi_i  = Σ_l ma·mx                     ≥ (mA·mx)_i
///   nlo_i = Σ_l (−ma)·mx                  = −RD(Σ_l ma·mx) ≥ −(mA·mx)_i  (RU(−t) = −RD(t))
///   R_i   = Σ_l |ma|·rx + ra·(|mx| + rx)  ≥ the radius bound
/// then lo = −RU(nlo + R), hi = RU(hi + R) (the `directed` formula). An infinite or NaN
/// endpoint makes some accumulator infinite or NaN (it is multiplied by a nonzero → ±∞, or by
/// 0 → NaN, and never becomes finite again); the caller then falls back.
[[gnu::noipa]] bool matvec_up(const RoundingScope& scope, const Interval* a, Index m, Index k, const Interval* x,
                              double* hi, double* nlo, double* R) {
  scope.expect(Rounding::upward);
  for (Index i = 0; i < m; ++i) hi[i] = nlo[i] = R[i] = 0.0;
  for (Index l = 0; l < k; ++l) {
    const double xl = x[l].lower(), xh = x[l].upper();
    const double mx = (xl + xh) * 0.5;
    const double rx = mx - xl;
    const double amx = std::fabs(mx) + rx;
    const Interval* col = a + l * m;
    for (Index i = 0; i < m; ++i) {
      const double lo = col[i].lower(), up = col[i].upper();
      const double ma = (lo + up) * 0.5;
      const double ra = ma - lo;
      hi[i] += ma * mx;
      nlo[i] += (-ma) * mx;
      R[i] += std::fabs(ma) * rx + ra * amx;
    }
  }
  bool finite = true;
  for (Index i = 0; i < m; ++i) {
    finite = finite && std::isfinite(hi[i]) && std::isfinite(nlo[i]) && std::isfinite(R[i]);
    const double h = hi[i] + R[i];
    const double nl = nlo[i] + R[i];
    hi[i] = h;
    nlo[i] = -nl;  // = RD(mid − R)
  }
  return finite;
}

bool midrad_matvec(const Interval* a, Index m, Index k, const Interval* x, Interval* out) {
  std::vector<double> buf(static_cast<std::size_t>(3 * m));
  double* hi = buf.data();
  double* lo = hi + m;
  double* R = lo + m;
  bool ok;
  {
    RoundingScope up(Rounding::upward);
    ok = matvec_up(up, a, m, k, x, hi, lo, R);
  }  // the caller's rounding mode is restored
  if (!ok) return false;
  for (Index i = 0; i < m; ++i) out[i] = Interval(Interval::base_type(lo[i], hi[i], true));
  return true;
}

/// Kernel, upward: the radius R ≥ 0 of the product from the split factors (formulas in
/// linalg/product.hpp), X, Y ≥ 0 built rounding upward. `use` is directed or a_priori; g ≥ γ_{k+1}
/// is read from memory. Returns false on non-finite data.
[[gnu::noipa]] bool radius_up(const RoundingScope& scope, ProductMethod use, const volatile double* g_store,
                              const MapD& mA, const MapD& rA, const MapD& mB, const MapD& rB, Workspace& ws, MapD& R) {
  scope.expect(Rounding::upward);
  const Index m = mA.rows(), k = mA.cols(), p = mB.cols();
  const double g = *g_store;
  const bool a_thin = is_zero(rA), b_thin = is_zero(rB);
  Index kk = 0;
  if (use == ProductMethod::directed) kk = (a_thin ? 0 : k) + (b_thin ? 0 : k);
  else kk = (a_thin || b_thin) ? k : 2 * k;
  if (kk == 0) {
    R.setZero();
    return true;
  }
  MapD X = ws.dmat(m, kk), Y = ws.dmat(kk, p);
  if (use == ProductMethod::directed) {
    // R = |mA|·rB + rA·(|mB| + rB)  =  [|mA|, rA] · [rB ; |mB| + rB]
    Index c = 0;
    if (!b_thin) {
      X.leftCols(k) = mA.cwiseAbs();
      Y.topRows(k) = rB;
      c = k;
    }
    if (!a_thin) {
      X.middleCols(c, k) = rA;
      for (Index j = 0; j < p; ++j) scaled_abs_plus(1.0, &mB(0, j), &rB(0, j), &Y(c, j), k);
    }
  } else if (!a_thin && !b_thin) {
    // R = |mA|·(g|mB| + rB) + rA·(|mB| + rB)
    X.leftCols(k) = mA.cwiseAbs();
    X.rightCols(k) = rA;
    for (Index j = 0; j < p; ++j) {
      scaled_abs_plus(g, &mB(0, j), &rB(0, j), &Y(0, j), k);
      scaled_abs_plus(1.0, &mB(0, j), &rB(0, j), &Y(k, j), k);
    }
  } else if (b_thin) {  // rB = 0: (g|mA| + rA)·|mB|
    scaled_abs_plus(g, mA.data(), rA.data(), X.data(), m * k);
    Y = mB.cwiseAbs();
  } else {  // rA = 0: |mA|·(g|mB| + rB)
    X = mA.cwiseAbs();
    scaled_abs_plus(g, mB.data(), rB.data(), Y.data(), k * p);
  }
  MapF Xf = ws.fmat(m, kk), Yf = ws.fmat(kk, p), Rf = ws.fmat(m, p);
  radius_product(scope, X, Y, R, Xf, Yf, Rf);
  return all_finite(R);
}

/// Kernel, upward: C = RU(mA·mB), Hi = RU(C + R). False on non-finite data.
[[gnu::noipa]] bool directed_hi(const RoundingScope& scope, const MapD& mA, const MapD& mB, const MapD& R, MapD& C,
                                MapD& Hi) {
  scope.expect(Rounding::upward);
  gemm(scope, mA, mB, C);
  if (!all_finite(C)) return false;
  Hi = C + R;
  return true;
}
/// Kernel, downward: C = RD(mA·mB), Lo = RD(C − R). False on non-finite data.
[[gnu::noipa]] bool directed_lo(const RoundingScope& scope, const MapD& mA, const MapD& mB, const MapD& R, MapD& C,
                                MapD& Lo) {
  scope.expect(Rounding::downward);
  gemm(scope, mA, mB, C);
  if (!all_finite(C)) return false;
  Lo = C - R;
  return true;
}
/// Kernel, upward (a_priori): R += (k+1)·2^-1074, Hi = RU(C̃ + R), Lo = −RU(R − C̃) = RD(C̃ − R).
[[gnu::noipa]] void apriori_bounds(const RoundingScope& scope, const volatile double* underflow_store, const MapD& C,
                                   MapD& R, MapD& Hi, MapD& Lo) {
  scope.expect(Rounding::upward);
  const double underflow = *underflow_store;
  R.array() += underflow;
  Hi = C + R;
  Lo = -(R - C);
}
/// Kernel, upward: the midpoint-radius split of both factors; thin[0], thin[1] = whether rA, rB
/// are zero. False on non-finite data.
[[gnu::noipa]] bool split_both(const RoundingScope& scope, const Interval* a, const Interval* b, MapD& mA, MapD& rA,
                               MapD& mB, MapD& rB, bool* thin) {
  scope.expect(Rounding::upward);
  split_up(scope, a, mA.size(), mA.data(), rA.data());
  split_up(scope, b, mB.size(), mB.data(), rB.data());
  if (!(all_finite(mA) && all_finite(rA) && all_finite(mB) && all_finite(rB))) return false;
  thin[0] = is_zero(rA);
  thin[1] = is_zero(rB);
  return true;
}
/// Kernel, in the scope's mode (round-to-nearest for the a_priori midpoint product): C = mA·mB;
/// false on non-finite data.
[[gnu::noipa]] bool gemm_checked(const RoundingScope& scope, const MapD& mA, const MapD& mB, MapD& C) {
  scope.expect(Rounding::to_nearest);
  gemm(scope, mA, mB, C);
  return all_finite(C);
}

/// The core: A (m×k) times B (k×p), both given as column-major Interval arrays; writes the
/// m×p result to `out` (column-major). Returns false (out untouched) if the mid-rad product is
/// not applicable (non-finite data): the caller falls back to the triple loop.
bool midrad_product(const Interval* a, Index m, Index k, const Interval* b, Index p, ProductMethod method,
                    Interval* out) {
  // Computed in round-to-nearest and passed through volatile memory, so the compiler cannot
  // sink these computations past the mode switch below.
  volatile double g_store = gamma_upper(k);
  volatile double underflow_store = static_cast<double>(k + 1) * 0x1p-1074;  // exact for k < 2^52

  const std::size_t mk = Workspace::pad(static_cast<std::size_t>(m * k));
  const std::size_t kp = Workspace::pad(static_cast<std::size_t>(k * p));
  const std::size_t mp = Workspace::pad(static_cast<std::size_t>(m * p));
  const std::size_t nd = 4 * mk + 4 * kp + 4 * mp;  // mA rA X(2) | mB rB Y(2) | C R Lo Hi
  const std::size_t nf = 2 * mk + 2 * kp + mp;
  Workspace local;
  Workspace& ws = (nd + nf / 2 <= Workspace::kRetainDoubles) ? t_workspace : local;
  ws.prepare(nd, nf);
  MapD mA = ws.dmat(m, k), rA = ws.dmat(m, k), mB = ws.dmat(k, p), rB = ws.dmat(k, p);
  MapD C = ws.dmat(m, p), R = ws.dmat(m, p), Lo = ws.dmat(m, p), Hi = ws.dmat(m, p);

  {
    RoundingScope scope(Rounding::upward);
    bool thin[2] = {false, false};
    if (!split_both(scope, a, b, mA, rA, mB, rB, thin)) return false;
    ProductMethod use = method;
    if (use == ProductMethod::automatic) use = (thin[0] && thin[1]) ? ProductMethod::directed : ProductMethod::a_priori;
    if (!radius_up(scope, use, &g_store, mA, rA, mB, rB, ws, R)) return false;
    if (use == ProductMethod::directed) {
      if (!directed_hi(scope, mA, mB, R, C, Hi)) return false;
      scope.set(Rounding::downward);
      if (!directed_lo(scope, mA, mB, R, C, Lo)) return false;
    } else {
      // a_priori: midpoint product in round-to-nearest, then the bounds rounding upward.
      scope.set(Rounding::to_nearest);
      if (!gemm_checked(scope, mA, mB, C)) return false;
      scope.set(Rounding::upward);
      apriori_bounds(scope, &underflow_store, C, R, Hi, Lo);
    }
  }  // the caller's rounding mode is restored
  const Index n = m * p;
  for (Index i = 0; i < n; ++i) out[i] = Interval(Interval::base_type(Lo.data()[i], Hi.data()[i], true));
  ws.trim();
  return true;
}

void check_dims(Index acols, Index brows, const char* what) {
  if (acols != brows)
    throw std::invalid_argument(std::string("certiformer::mul: ") + what + ": inner dimensions differ (" +
                                std::to_string(acols) + " vs " + std::to_string(brows) + ")");
}

Mat<Interval> mul_interval(const Mat<Interval>& A, const Mat<Interval>& B, ProductMethod method) {
  check_dims(A.cols(), B.rows(), "matrix x matrix");
  require_round_to_nearest("certiformer::mul");
  const Index m = A.rows(), k = A.cols(), p = B.cols();
  if (m == 0 || p == 0 || k == 0) return Mat<Interval>::Constant(m, p, Interval(0));
  Mat<Interval> C(m, p);
  const bool ok = (p == 1) ? midrad_matvec(A.data(), m, k, B.data(), C.data())
                           : midrad_product(A.data(), m, k, B.data(), p, method, C.data());
  if (!ok) return mul_triple_loop(A, B);
  return C;
}

}  // namespace

template <>
Mat<Interval> mul<Interval>(const Mat<Interval>& A, const Mat<Interval>& B) {
  return mul_interval(A, B, ProductMethod::automatic);
}
Mat<Interval> mul(const Mat<Interval>& A, const Mat<Interval>& B, ProductMethod method) {
  return mul_interval(A, B, method);
}

Vec<Interval> mul(const Mat<Interval>& A, const Vec<Interval>& x, ProductMethod method) {
  check_dims(A.cols(), x.size(), "matrix x vector");
  require_round_to_nearest("certiformer::mul");
  const Index m = A.rows(), k = A.cols();
  if (m == 0 || k == 0) return Vec<Interval>::Constant(m, Interval(0));
  Vec<Interval> out(m);
  (void)method;  // matrix × vector always uses the one-pass directed kernel (tightest, fastest)
  if (midrad_matvec(A.data(), m, k, x.data(), out.data())) return out;
  for (Index i = 0; i < m; ++i) {
    Interval s(0);
    for (Index l = 0; l < k; ++l) s += A(i, l) * x(l);
    out(i) = s;
  }
  return out;
}
template <>
Vec<Interval> mul<Interval>(const Mat<Interval>& A, const Vec<Interval>& x) {
  return mul(A, x, ProductMethod::automatic);
}

// ---- Schatten-4 bounds of a stack of blocks (formulas in linalg/product.hpp) -------------------
namespace {
/// Kernel, upward. a: the (q·b) × c interval matrix, column-major; out[j] ≥ ‖A_j‖_{S4} for every
/// A_j in block j (or a non-finite value, which the caller turns into +∞). mr: scratch of
/// 2·q·b·c doubles (midpoints, then radii).
[[gnu::noipa]] void schatten4_blocks_up(const RoundingScope& scope, const Interval* a, Index q, Index b, Index c,
                                        double* mr, double* out) {
  scope.expect(Rounding::upward);
  const Index rows = q * b, size = rows * c;
  double* m = mr;
  double* r = mr + size;
  for (Index e = 0; e < size; ++e) {
    const double lo = a[e].lower(), hi = a[e].upper();
    const double mm = (lo + hi) * 0.5;
    m[e] = mm;
    r[e] = mm - lo;
  }
  for (Index j = 0; j < q; ++j) {
    double f2 = 0.0;
    for (Index k = 0; k < c; ++k)
      for (Index l = k; l < c; ++l) {
        const double* mk = m + k * rows + j * b;
        const double* ml = m + l * rows + j * b;
        const double* rk = r + k * rows + j * b;
        const double* rl = r + l * rows + j * b;
        double hi = 0.0, nlo = 0.0, R = 0.0;
        for (Index i = 0; i < b; ++i) {
          hi += mk[i] * ml[i];
          nlo += (-mk[i]) * ml[i];
          R += std::fabs(mk[i]) * rl[i] + rk[i] * (std::fabs(ml[i]) + rl[i]);
        }
        const double g = (hi > nlo ? hi : nlo) + R;
        const double g2 = g * g;
        f2 += (l == k) ? g2 : 2.0 * g2;
      }
    out[j] = std::sqrt(std::sqrt(f2));
  }
}
}  // namespace

std::vector<UpperBound<double>> upper_bounds_schatten4_blocks(const Mat<Interval>& S, Index b) {
  if (b < 1 || S.rows() % b != 0)
    throw std::invalid_argument("upper_bounds_schatten4_blocks: the block size must divide the number of rows");
  require_round_to_nearest("certiformer::upper_bounds_schatten4_blocks");
  const Index q = S.rows() / b, c = S.cols();
  std::vector<double> mr(static_cast<std::size_t>(2 * S.size())), out(static_cast<std::size_t>(q), 0.0);
  if (S.size() > 0) {
    RoundingScope up(Rounding::upward);
    schatten4_blocks_up(up, S.data(), q, b, c, mr.data(), out.data());
  }  // the caller's rounding mode is restored
  std::vector<UpperBound<double>> res;
  res.reserve(static_cast<std::size_t>(q));
  for (const double v : out)
    res.push_back(std::isfinite(v) ? UpperBound<double>(v) : UpperBound<double>::infinity());
  return res;
}

// ---- row-wise dot products and entrywise products (formulas in linalg/product.hpp) -------------
namespace {
/// Kernel, upward. a, b: m × k, column-major; for every row i, with each entry split as in
/// split_up (|a − ma| ≤ ra, |b − mb| ≤ rb) and every operation rounded upward,
///   hi_i = Σ_l ma·mb,  nlo_i = Σ_l (−ma)·mb (= −RD(Σ ma·mb)),  R_i = Σ_l |ma|·rb + ra·(|mb| + rb),
/// then hi = RU(hi + R), lo = −RU(nlo + R) — matvec_up with a second matrix in place of x
/// (|ab − ma·mb| ≤ |ma|·|b − mb| + |a − ma|·|b|). Returns false on a non-finite accumulator.
[[gnu::noipa]] bool rowdot_up(const RoundingScope& scope, const Interval* a, const Interval* b, Index m, Index k,
                              double* hi, double* nlo, double* R) {
  scope.expect(Rounding::upward);
  for (Index i = 0; i < m; ++i) hi[i] = nlo[i] = R[i] = 0.0;
  for (Index l = 0; l < k; ++l) {
    const Interval* ca = a + l * m;
    const Interval* cb = b + l * m;
    for (Index i = 0; i < m; ++i) {
      const double alo = ca[i].lower(), ahi = ca[i].upper(), blo = cb[i].lower(), bhi = cb[i].upper();
      const double ma = (alo + ahi) * 0.5, mb = (blo + bhi) * 0.5;
      const double ra = ma - alo, rb = mb - blo;
      hi[i] += ma * mb;
      nlo[i] += (-ma) * mb;
      R[i] += std::fabs(ma) * rb + ra * (std::fabs(mb) + rb);
    }
  }
  bool finite = true;
  for (Index i = 0; i < m; ++i) {
    finite = finite && std::isfinite(hi[i]) && std::isfinite(nlo[i]) && std::isfinite(R[i]);
    const double h = hi[i] + R[i];
    const double nl = nlo[i] + R[i];
    hi[i] = h;
    nlo[i] = -nl;
  }
  return finite;
}

/// out[i] ∋ Σ_{l<k} a[i + l·m]·b[i + l·m] for i < m (rowdot_up; on a non-finite accumulator the
/// Interval operations, which handle ±∞ and overflow).
void rowdots(const Interval* a, const Interval* b, Index m, Index k, Interval* out) {
  std::vector<double> buf(static_cast<std::size_t>(3 * m));
  double* hi = buf.data();
  double* lo = hi + m;
  double* R = lo + m;
  bool ok = true;
  if (m > 0 && k > 0) {
    RoundingScope up(Rounding::upward);
    ok = rowdot_up(up, a, b, m, k, hi, lo, R);
  }  // the caller's rounding mode is restored
  if (k == 0) {
    for (Index i = 0; i < m; ++i) out[i] = Interval(0);
  } else if (ok) {
    for (Index i = 0; i < m; ++i) out[i] = Interval(Interval::base_type(lo[i], hi[i], true));
  } else {
    for (Index i = 0; i < m; ++i) {
      Interval s(0);
      for (Index l = 0; l < k; ++l) s += a[i + l * m] * b[i + l * m];
      out[i] = s;
    }
  }
}
}  // namespace

Vec<Interval> row_dots(const Mat<Interval>& A, const Mat<Interval>& B) {
  if (A.rows() != B.rows() || A.cols() != B.cols())
    throw std::invalid_argument("certiformer::row_dots: the two matrices differ in shape");
  require_round_to_nearest("certiformer::row_dots");
  Vec<Interval> out(A.rows());
  rowdots(A.data(), B.data(), A.rows(), A.cols(), out.data());
  return out;
}

Mat<Interval> hadamard(const Mat<Interval>& A, const Mat<Interval>& B) {
  if (A.rows() != B.rows() || A.cols() != B.cols())
    throw std::invalid_argument("certiformer::hadamard: the two matrices differ in shape");
  require_round_to_nearest("certiformer::hadamard");
  Mat<Interval> C(A.rows(), A.cols());
  rowdots(A.data(), B.data(), A.size(), 1, C.data());  // all entries as rows of one column
  return C;
}

// ---- MpInterval: MPFI triple loop with one reused temporary -----------------------------------
template <>
Mat<MpInterval> mul<MpInterval>(const Mat<MpInterval>& A, const Mat<MpInterval>& B) {
  check_dims(A.cols(), B.rows(), "matrix x matrix");
  Mat<MpInterval> C(A.rows(), B.cols());
  MpInterval t;
  for (Index j = 0; j < B.cols(); ++j)
    for (Index i = 0; i < A.rows(); ++i) {
      mpfi_ptr c = C(i, j).data();
      mpfi_set_ui(c, 0);
      for (Index l = 0; l < A.cols(); ++l) {
        mpfi_mul(t.data(), A(i, l).data(), B(l, j).data());
        mpfi_add(c, c, t.data());
      }
    }
  return C;
}
template <>
Vec<MpInterval> mul<MpInterval>(const Mat<MpInterval>& A, const Vec<MpInterval>& x) {
  check_dims(A.cols(), x.size(), "matrix x vector");
  Vec<MpInterval> y(A.rows());
  MpInterval t;
  for (Index i = 0; i < A.rows(); ++i) {
    mpfi_ptr c = y(i).data();
    mpfi_set_ui(c, 0);
    for (Index l = 0; l < A.cols(); ++l) {
      mpfi_mul(t.data(), A(i, l).data(), x(l).data());
      mpfi_add(c, c, t.data());
    }
  }
  return y;
}

}  // namespace certiformer::linalg
