#pragma once
/// certiformer/linalg/krawczyk.hpp — the one Krawczyk / interval-Newton test for F(x) = 0
/// (docs/linalg.md §Krawczyk). Every module that proves a zero of a nonlinear system calls
/// `certify_zero_near` or `certify_zero_in_box`; the verified linear solve / inverse
/// (linalg/solve.hpp) runs the same core step (`detail::krawczyk_test`) and the same
/// ε-inflation schedule (`detail::krawczyk_search`).
///
/// What is proved. F: ℝⁿ → ℝⁿ is C¹ and given by interval extensions f (f(X) ⊇ {F(x) : x ∈ X})
/// and jac (jac(X) ⊇ {F'(x) : x ∈ X}); f and jac may carry interval parameters, and then every
/// statement holds for every real F the extensions enclose. For a box X, a real point m and a
/// real nonsingular-looking matrix Y, the Krawczyk operator is
///     K(X) = m − Y F(m) + (I − Y J)(X − m),   J = jac(hull(X, m)).
/// Every zero x of F in X lies in K(X) (mean-value theorem on the segment [m, x] ⊂ hull(X, m)).
///   * K(X) ⊂ interior(X)  ⇒  F has exactly one zero in X, and it lies in K(X) ∩ X
///     (Krawczyk 1969; Rump 1983: the inclusion forces ρ(|I − Y J|) < 1, so Y and every matrix
///     in J are nonsingular — existence by Brouwer, uniqueness by the mean-value theorem).
///   * K(X) ∩ X = ∅ (in some component)  ⇒  F has no zero in X.
///   * otherwise nothing is claimed (unknown): X too wide, the zero not isolated (singular
///     Jacobian), or m too far from a zero.
///
/// Rounding. The test runs in offset form about the exact point m: D⁺ ⊇ X − m (outward) and
/// D⁻ ⊆ X − m (inner rounding of the endpoints' differences), K(X) − m ⊆ Kₒ := Z + C·D⁺ with
/// Z ⊇ −Y F(m), C ⊇ I − Y J; "inside" is Kₒ ⊂ int(D⁻), "disjoint" is Kₒᵢ ∩ D⁺ᵢ = ∅. So the
/// verdict is about the representable box X itself, and widths of order ulp(m) are never lost
/// to the subtraction of m (Rump's residual form).
///
/// ε-inflation (the one schedule, `detail::krawczyk_search`): D₀ = Z; for k = 1, 2, …:
///     D ← D + [−w, w] componentwise, w = wid(D)/8 + η   (η = 2^-1022, resp. 2^-(8p+1100) at p bits)
///     X = m + D (outward), test; if not inside, D ← Kₒ.
/// at most `KrawczykOptions::max_steps` (12) tests. (Rump, "Verification methods for dense and
/// sparse systems of equations", 1983: X·[0.9, 1.1] + [−η, η]; here the relative widening is
/// 1/8 of the width, which also widens thin offsets.)

#include "certiformer/core.hpp"
#include "certiformer/linalg/approx.hpp"
#include "certiformer/linalg/common.hpp"
#include "certiformer/linalg/product.hpp"

#include <stdexcept>
#include <string>

namespace certiformer::linalg {

template <class T> struct KrawczykResult {
  /// proved: F has exactly one zero in `box`, and it lies in `enclosure`; refuted: F has no
  /// zero in `box`; unknown: nothing is claimed (box / enclosure unspecified).
  Verdict verdict = Verdict::unknown("not run");
  Vec<T> box;        ///< X: the box the verdict is about
  Vec<T> enclosure;  ///< proved: K(X) ∩ X ∋ the zero (⊆ box)
  int steps = 0;     ///< Krawczyk tests performed
};

struct KrawczykOptions {
  int max_steps = 12;  ///< ε-inflation steps of certify_zero_near (one Krawczyk test each)
};

namespace detail {

/// ε-inflation (docs/linalg.md §Krawczyk): y + [−w, w], w = wid(y)/8 + floor (rounded up).
template <class T> T inflate(const T& y, const real_t<T>& floor) {
  const real_t<T> w = sup(ldexp(enclose_point<T>(wid(y)), -3) + enclose_point<T>(floor));
  return y + symmetric_interval<T>(w);
}

/// η of the ε-inflation: 2^-1022 (binary64), 2^-(8p+1100) at p bits (MPFR's exponent range).
template <class T> real_t<T> inflation_floor() {
  if constexpr (scalar_traits<T>::is_mp) {
    MpReal r(1);
    mpfr_div_2ui(r.backend().data(), r.backend().data(), 8ul * mp_precision() + 1100ul, MPFR_RNDN);
    return r;
  } else {
    return 0x1p-1022;
  }
}

enum class KrawczykOutcome { inside, disjoint, undecided, unbounded };

/// The Krawczyk test in offset form, columnwise (k right-hand sides share Y and C).
/// Inputs:  X (n×k box), M (n×k exact points: the centres), Z ⊇ −Y F(m) (n×k),
///          C ⊇ I − Y J (n×n) for every J in the Jacobian set over hull(X, M).
/// Output:  Koff = Z + C·(X − M)⁺ ⊇ K(X) − M (product: interval triple loop for k = 1, `mul`
///          for k > 1).
/// Returns: inside    — Koff ⊂ int((X − M)⁻) in every entry, hence K(X) ⊂ int(X);
///          disjoint  — some Koff_ij ∩ (X − M)⁺_ij = ∅, hence K(X) ∩ X = ∅;
///          unbounded — Koff has an unbounded entry (nothing decided);
///          undecided — otherwise.
/// (X − M)⁺ is the outward difference; (X − M)⁻ = [↑(inf X − m), ↓(sup X − m)] ⊆ X − M.
template <class T>
KrawczykOutcome krawczyk_test(const Mat<T>& Z, const Mat<T>& C, const Mat<T>& X, const Mat<T>& M, Mat<T>& Koff) {
  const Eigen::Index n = X.rows(), k = X.cols();
  Mat<T> Dout(n, k);
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index i = 0; i < n; ++i) Dout(i, j) = X(i, j) - M(i, j);
  // One right-hand side: the interval triple loop, O(n²) and the tightest enclosure (the
  // midpoint-radius product can overestimate a radius by up to 1.5× when C and X − M are both
  // wide, which stalls the contraction from a far start). Several (the inverse): `mul`, one
  // fast product for all columns (there C ≈ I − R·A is tiny and the overestimate immaterial).
  Koff = k == 1 ? mul_triple_loop(C, Dout) : mul(C, Dout);
  bool inside = true, disjoint_found = false;
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index i = 0; i < n; ++i) {
      Koff(i, j) += Z(i, j);
      if (!is_bounded(Koff(i, j))) return KrawczykOutcome::unbounded;
      if (disjoint(Koff(i, j), Dout(i, j))) disjoint_found = true;
      if (!inside) continue;
      const T lo = enclose_point<T>(inf(X(i, j))) - M(i, j);  // sup(lo) = ↑(inf X − m)
      const T hi = enclose_point<T>(sup(X(i, j))) - M(i, j);  // inf(hi) = ↓(sup X − m)
      const real_t<T> a = sup(lo), b = inf(hi);
      inside = a < b && a < inf(Koff(i, j)) && sup(Koff(i, j)) < b;
    }
  if (inside) return KrawczykOutcome::inside;
  return disjoint_found ? KrawczykOutcome::disjoint : KrawczykOutcome::undecided;
}

/// The ε-inflation search (docs/linalg.md §Krawczyk): D₀ = Z; each step D ← inflate(D),
/// X = M + D (outward), C = C_over(X), krawczyk_test; stop when inside (or unbounded), else
/// D ← Koff. At most max_steps tests. C_over(X) must return C ⊇ I − Y J over hull(X, M) (a
/// constant for linear systems). On `inside`, X and Koff hold the proving box and its offset.
template <class T, class CFn>
KrawczykOutcome krawczyk_search(const Mat<T>& Z, const Mat<T>& M, CFn&& C_over, int max_steps, Mat<T>& X, Mat<T>& Koff,
                                int& steps) {
  const real_t<T> floor = inflation_floor<T>();
  const Eigen::Index n = Z.rows(), k = Z.cols();
  Mat<T> D = Z;
  X.resize(n, k);
  KrawczykOutcome out = KrawczykOutcome::undecided;
  steps = 0;
  for (int it = 1; it <= max_steps; ++it) {
    steps = it;
    for (Eigen::Index j = 0; j < k; ++j)
      for (Eigen::Index i = 0; i < n; ++i) {
        D(i, j) = inflate(D(i, j), floor);
        X(i, j) = M(i, j) + D(i, j);
      }
    out = krawczyk_test<T>(Z, C_over(X), X, M, Koff);
    if (out == KrawczykOutcome::inside || out == KrawczykOutcome::unbounded) return out;
    D = Koff;
  }
  return out;
}

/// (M + Koff) ∩ X entrywise: after `inside` both contain every zero in X (and the exact
/// solution columns in the linear case).
template <class T> Mat<T> krawczyk_enclosure(const Mat<T>& Koff, const Mat<T>& M, const Mat<T>& X) {
  Mat<T> e(X.rows(), X.cols());
  for (Eigen::Index j = 0; j < X.cols(); ++j)
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      const T ki = M(i, j) + Koff(i, j);
      const auto s = intersection(ki, X(i, j));
      e(i, j) = s ? *s : ki;  // never empty after `inside`; the fallback is still an enclosure
    }
  return e;
}

template <class T> void krawczyk_shapes(const char* who, const Vec<T>& fx, const Mat<T>& jx, Eigen::Index n) {
  if (fx.size() != n || jx.rows() != n || jx.cols() != n)
    throw std::invalid_argument(std::string(who) + ": F must map ℝ^" + std::to_string(n) + " to ℝ^" + std::to_string(n) +
                                " with an " + std::to_string(n) + "x" + std::to_string(n) + " Jacobian; got F of size " +
                                std::to_string(fx.size()) + " and a " + shape(jx.rows(), jx.cols()) + " Jacobian");
}

/// Z = −Y·f(M) and the approximate inverse Y ≈ mid(Jm)⁻¹ as a point matrix; false if singular.
template <class T> bool krawczyk_preconditioner(const Mat<T>& Jm, Mat<T>& Y) {
  auto Yr = approx_inverse(Mat<real_t<T>>(mid(Jm)));
  if (!Yr) return false;
  Y = approx_point<T>(*Yr);  // any point matrix is a valid preconditioner
  return true;
}

}  // namespace detail

/// Encloses:  when proved, `enclosure` ∋ the unique zero of F in the box `X` (every real F
///            enclosed by f, jac, if they carry interval parameters).
/// Assumes:   F is C¹ on a neighbourhood of X; f(X) ⊇ {F(x) : x ∈ X} and jac(X) ⊇ {F'(x) :
///            x ∈ X} for every box X (interval extensions; not checkable at run time).
/// Checks:    f(m) of size n and jac(X) of size n×n (else std::invalid_argument); bounded data;
///            one Krawczyk test at m = mid(X), Y ≈ mid(jac(X))⁻¹.
/// Failure:   refuted — K(X) ∩ X = ∅: F has no zero in X; unknown with a reason — mid(jac(X))
///            numerically singular, unbounded data, or neither inclusion nor disjointness.
/// Method:    K(X) = m − Y f(m) + (I − Y jac(X))(X − m) in offset form (file comment).
template <class T, class F, class J> KrawczykResult<T> certify_zero_in_box(const F& f, const J& jac, const Vec<T>& X) {
  const Eigen::Index n = X.size();
  KrawczykResult<T> res;
  res.box = X;
  if (n == 0) throw std::invalid_argument("certify_zero_in_box: empty box");
  if (!detail::all_bounded(X)) { res.verdict = Verdict::unknown("unbounded box"); return res; }
  const Vec<T> M = enclose_point<T>(detail::mid_vec(X));
  const Vec<T> fm = f(M);
  const Mat<T> JX = jac(X);
  detail::krawczyk_shapes<T>("certify_zero_in_box", fm, JX, n);
  Mat<T> Y;
  if (!detail::all_bounded(JX) || !detail::krawczyk_preconditioner<T>(JX, Y)) {
    res.verdict = Verdict::unknown("mid of the interval Jacobian over X is numerically singular or not finite");
    return res;
  }
  const Mat<T> Z = -mul(Y, Mat<T>(fm));
  const Mat<T> C = detail::identity<T>(n) - mul(Y, JX);
  Mat<T> Koff;
  res.steps = 1;
  switch (detail::krawczyk_test<T>(Z, C, Mat<T>(X), Mat<T>(M), Koff)) {
    case detail::KrawczykOutcome::inside:
      res.enclosure = detail::krawczyk_enclosure<T>(Koff, Mat<T>(M), Mat<T>(X)).col(0);
      res.verdict = Verdict::proved("Krawczyk: K(X) ⊂ int(X): exactly one zero in X");
      return res;
    case detail::KrawczykOutcome::disjoint:
      res.verdict = Verdict::refuted("Krawczyk: K(X) ∩ X = ∅: no zero in X");
      return res;
    case detail::KrawczykOutcome::unbounded:
      res.verdict = Verdict::unknown("Krawczyk operator unbounded");
      return res;
    case detail::KrawczykOutcome::undecided: break;
  }
  res.verdict = Verdict::unknown("Krawczyk: K(X) ⊄ int(X) and K(X) ∩ X ≠ ∅ (X too wide or the zero not isolated)");
  return res;
}

/// Encloses:  when proved, `enclosure` ∋ the unique zero of F in `box`, a small box found
///            about x̃ by ε-inflation (every real F enclosed by f, jac).
/// Assumes:   as certify_zero_in_box; x̃ should be an accurate approximate zero (e.g. from
///            Newton's method) — otherwise the search fails (unknown), it never claims more.
/// Checks:    sizes (std::invalid_argument); finite x̃; Y ≈ mid(jac(x̃))⁻¹; the Krawczyk test
///            on each box of the ε-inflation schedule (at most `opt.max_steps`).
/// Failure:   unknown with a reason (singular Jacobian at x̃, unbounded data, inclusion not
///            verified — the zero not isolated, x̃ too far from it, or the Jacobian too
///            wide). Never refuted: a box of the search shown zero-free says nothing about
///            the neighbourhood of x̃ (the reason mentions it).
/// Method:    m = x̃ (exact point), Z ⊇ −Y f(m), C(X) ⊇ I − Y jac(hull(X, m)); ε-inflation
///            search from D₀ = Z (file comment; docs/linalg.md §Krawczyk).
template <class T, class F, class J>
KrawczykResult<T> certify_zero_near(const F& f, const J& jac, const Vec<real_t<T>>& x_approx, const KrawczykOptions& opt = {}) {
  const Eigen::Index n = x_approx.size();
  KrawczykResult<T> res;
  if (n == 0) throw std::invalid_argument("certify_zero_near: empty x");
  for (Eigen::Index i = 0; i < n; ++i)
    if (!detail::is_finite_real<T>(x_approx(i))) { res.verdict = Verdict::unknown("approximate zero not finite"); return res; }
  const Vec<T> Mv = enclose_point<T>(x_approx);
  const Mat<T> M(Mv);
  const Vec<T> fm = f(Mv);
  const Mat<T> Jm = jac(Mv);
  detail::krawczyk_shapes<T>("certify_zero_near", fm, Jm, n);
  Mat<T> Y;
  if (!detail::all_bounded(fm) || !detail::all_bounded(Jm) || !detail::krawczyk_preconditioner<T>(Jm, Y)) {
    res.verdict = Verdict::unknown("the Jacobian at the approximate zero is numerically singular or not finite");
    return res;
  }
  const Mat<T> Z = -mul(Y, Mat<T>(fm));
  const Mat<T> I = detail::identity<T>(n);
  auto C_over = [&](const Mat<T>& X) {
    Vec<T> H(n);
    for (Eigen::Index i = 0; i < n; ++i) H(i) = convex_hull(X(i, 0), Mv(i));
    const Mat<T> JH = jac(H);
    detail::krawczyk_shapes<T>("certify_zero_near", fm, JH, n);
    return Mat<T>(I - mul(Y, JH));
  };
  Mat<T> X, Koff;
  const auto out = detail::krawczyk_search<T>(Z, M, C_over, opt.max_steps, X, Koff, res.steps);
  res.box = X.col(0);
  if (out == detail::KrawczykOutcome::inside) {
    res.enclosure = detail::krawczyk_enclosure<T>(Koff, M, X).col(0);
    res.verdict = Verdict::proved("Krawczyk: K(X) ⊂ int(X) after " + std::to_string(res.steps) +
                                  " ε-inflation step(s): exactly one zero in X");
    return res;
  }
  if (out == detail::KrawczykOutcome::unbounded) {
    res.verdict = Verdict::unknown("Krawczyk operator unbounded (Jacobian enclosure too wide)");
    return res;
  }
  res.verdict = Verdict::unknown("Krawczyk inclusion not verified in " + std::to_string(res.steps) +
                                 " ε-inflation step(s)" +
                                 (out == detail::KrawczykOutcome::disjoint ? " (the last box holds no zero)" : "") +
                                 ": no isolated zero near x̃, or x̃ too far from it, or the Jacobian too wide");
  return res;
}

}  // namespace certiformer::linalg
