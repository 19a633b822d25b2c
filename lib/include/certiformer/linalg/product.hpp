#pragma once
/// certiformer/linalg/product.hpp — enclosures of interval matrix products.
///
/// `mul(A, B)` and `mul(A, x)` enclose {A·B : A ∈ [A], B ∈ [B]} (entrywise hull of a superset).
/// For `Interval` they use the midpoint-radius method on binary64 GEMMs (Eigen's `MatrixXd`
/// product) under directed rounding (Rump 1999), which costs a small constant number of double
/// GEMMs instead of the ~800× slower interval-scalar triple loop. For `MpInterval` they use the
/// entrywise MPFI triple loop (each entry is Σ_l a_il·b_lj in MPFI arithmetic).

#include "certiformer/core.hpp"

namespace certiformer::linalg {

/// How the binary64 midpoint-radius product bounds the rounding error of the midpoint product.
enum class ProductMethod {
  /// directed for point × point, a_priori otherwise (≤ 3 GEMMs per product).
  automatic,
  /// mid product in round-to-nearest + the a-priori bound γ_{k+1}|mA||mB| + (k+1)·2^-1074
  /// folded into the radius GEMM (2 GEMMs with one thin operand, 3 for interval × interval).
  a_priori,
  /// mid product once rounded down and once rounded up (2 GEMMs for point × point, 3 with one
  /// thin operand, 4 for interval × interval); tightest.
  directed,
};

/// Encloses:  {A·B : A ∈ [A], B ∈ [B]}, for A (m×k), B (k×p): every entry of the result
///            contains the corresponding entry of A·B for every choice of real matrices
///            A ∈ [A], B ∈ [B] (independently chosen).
/// Assumes:   the FPU is in round-to-nearest on entry (the library's invariant; checked).
/// Checks:    dimensions; finiteness of every endpoint and of every intermediate GEMM result.
/// Failure:   std::invalid_argument if A.cols() != B.rows(); std::runtime_error if the rounding
///            mode is not to-nearest on entry or cannot be switched. Unbounded / overflowing
///            inputs are not a failure: they fall back to the interval triple loop.
/// Method (Interval): write every entry as [m − r, m + r] ⊇ [lo, hi] with
///   m = RU(RU(lo + hi)·0.5), r = RU(m − lo)    (m ≥ (lo+hi)/2 and m ≤ hi, so r ≥ hi − m).
///   For A = mA + ΔA, B = mB + ΔB with |ΔA| ≤ rA, |ΔB| ≤ rB (entrywise):
///     |A·B − mA·mB| = |mA·ΔB + ΔA·mB + ΔA·ΔB| ≤ |mA|·rB + rA·(|mB| + rB).
///   `directed`:  lo = RD(RD(mA·mB) − R), hi = RU(RU(mA·mB) + R), with R = RU(|mA|·rB) +
///     RU(rA·RU(|mB| + rB)). A GEMM run with the FPU rounding upward is ≥ the exact product
///     (every product and every partial sum is rounded up, and + and × by the constant 1 are
///     monotone), downward ≤; all terms of R are ≥ 0, so any summation order gives an upper
///     bound.
///   `a_priori`: C̃ = RN(mA·mB) in round-to-nearest. For any summation order, with or without
///     FMA, |C̃ − mA·mB| ≤ γ_k |mA|·|mB| + k·2^-1074 (Higham, Thm 3.1, plus ≤ 2^-1075 per
///     underflowing product), γ_k = k·u/(1 − k·u), u = 2^-53, provided C̃ is finite (an
///     overflow anywhere in a dot product makes its result ±∞ or NaN). With g ≥ γ_{k+1}
///     (computed upward), in round-upward:
///       R = |mA|·(g|mB| + rB) + rA·(|mB| + rB) + (k+1)·2^-1074,
///       lo = −RU(R − C̃) = RD(C̃ − R),  hi = RU(C̃ + R).
///     (One thin operand: rB = 0 gives R = (g|mA| + rA)·|mB| + …, rA = 0 gives |mA|·(g|mB|+rB).)
///   The radius product X·Y (X, Y ≥ 0 as above) is evaluated rounding upward either by a
///     binary64 GEMM or, for products with m·k·p ≥ 2^18, by a binary32 GEMM on copies scaled
///     by exact powers of two per row of X / column of Y and converted rounding upward (≥ the
///     doubles), then scaled back rounding upward: still an upper bound, about twice as fast,
///     and the radius is overestimated by at most the relative factor (1 + 2^-23)^(k+1) (used
///     only when every nonzero scaled entry is ≥ 2^-60, so no float product underflows).
///   The rounding mode is switched by an RAII guard (restored on every exit, exceptions
///   included); no Interval operation runs while it is switched. A non-finite midpoint, radius
///   or GEMM result makes the product fall back to the interval triple loop, which is always
///   sound (Interval arithmetic handles ±∞ and overflow).
/// Method (MpInterval): Σ_l a_il·b_lj with MPFI at the current precision.
template <class T> Mat<T> mul(const Mat<T>& A, const Mat<T>& B);
/// Encloses {A·x : A ∈ [A], x ∈ [x]}; same failures as the matrix version. Method (Interval):
/// one pass over A with the FPU rounding upward, accumulating Σ ma·mx, Σ (−ma)·mx
/// (= −RD(Σ ma·mx), since RU(−t) = −RD(t)) and the radius Σ |ma|·rx + ra·(|mx| + rx); then the
/// `directed` formula. (Also used for B with one column; the ProductMethod is ignored there.)
template <class T> Vec<T> mul(const Mat<T>& A, const Vec<T>& x);

template <> Mat<Interval> mul<Interval>(const Mat<Interval>& A, const Mat<Interval>& B);
template <> Vec<Interval> mul<Interval>(const Mat<Interval>& A, const Vec<Interval>& x);
template <> Mat<MpInterval> mul<MpInterval>(const Mat<MpInterval>& A, const Mat<MpInterval>& B);
template <> Vec<MpInterval> mul<MpInterval>(const Mat<MpInterval>& A, const Vec<MpInterval>& x);

/// Encloses: nothing — upper bounds: result[j] ≥ ‖A‖_{S4} = ‖AᵀA‖_F^{1/2} = (Σ_k σ_k(A)⁴)^{1/4} ≥ ‖A‖₂
///   for every real matrix A in the j-th block of [S] (rows j·b … j·b + b − 1, all columns),
///   j = 0 … rows/b − 1; +∞ for a block with unbounded or overflowing data.
/// Assumes: the FPU is in round-to-nearest on entry (checked, as mul). Checks: b ≥ 1 divides
///   rows(S) (std::invalid_argument). Failure: none numerical.
/// Method: one pass with the FPU rounding upward (RoundingScope, one [[gnu::noipa]] kernel): each
///   entry split into m, ρ as in mul (|a − m| ≤ ρ); per block and column pair k ≤ l,
///     hi = Σ_r m_rk·m_rl,  nlo = Σ_r (−m_rk)·m_rl (= −RD(Σ)),  R = Σ_r |m_rk|·ρ_rl + ρ_rk·(|m_rl| + ρ_rl),
///   all rounded upward, so |(AᵀA)_kl| ≤ g_kl := max(hi, nlo) + R for every A in the block
///   (max(hi, nlo) ≥ |(mᵀm)_kl|; |AᵀA − mᵀm| ≤ |m|ᵀρ + ρᵀ(|m| + ρ) entrywise); then
///   F² = Σ_k g_kk² + 2·Σ_{k<l} g_kl² ≥ ‖AᵀA‖_F² and the result √(√F²), rounded upward. The bound
///   of one matrix is the batch of one block (upper_bound_norm_schatten4 in norms.hpp). Cost
///   b·c² per block, no allocation per block — for the n² Jacobian blocks of the attention field.
std::vector<UpperBound<double>> upper_bounds_schatten4_blocks(const Mat<Interval>& S, Eigen::Index b);

/// Encloses: result(i) ∋ Σ_l A_il·B_il (the row-wise dot products, diag(A·Bᵀ)) for every real
///   A ∈ [A], B ∈ [B] of the same shape.
/// Assumes: the FPU is in round-to-nearest on entry (checked, as mul). Checks: equal shapes
///   (std::invalid_argument). Failure: none numerical (unbounded data: Interval arithmetic).
/// Method: one pass with the FPU rounding upward (one [[gnu::noipa]] kernel): each entry split
///   into m, ρ as in mul; per row hi = Σ m_a·m_b, nlo = Σ (−m_a)·m_b (= −RD(Σ)),
///   R = Σ |m_a|·ρ_b + ρ_a·(|m_b| + ρ_b), all rounded upward; result [−RU(nlo + R), RU(hi + R)]
///   (|ab − m_a m_b| ≤ |m_a||b − m_b| + |a − m_a||b|). Cost: rows·cols, no products of matrices.
Vec<Interval> row_dots(const Mat<Interval>& A, const Mat<Interval>& B);
/// Encloses: result ∋ A ∘ B (entrywise products A_ij·B_ij) for every real A ∈ [A], B ∈ [B] of the
///   same shape. Assumes / Checks / Failure: as row_dots.
/// Method: row_dots' kernel with one term per entry (midpoint-radius under upward rounding; about
///   as tight as the Interval product for thin entries, never claims less than it contains).
Mat<Interval> hadamard(const Mat<Interval>& A, const Mat<Interval>& B);

/// Encloses: {A·B : A ∈ [A], B ∈ [B]} (resp. {A·x}), as mul(A, B) / mul(A, x).
/// Assumes: nothing. Checks: dimensions (std::invalid_argument). Failure: as mul(A, B).
/// Method: as mul(A, B), with an explicit choice of rounding-error bound (Interval only).
Mat<Interval> mul(const Mat<Interval>& A, const Mat<Interval>& B, ProductMethod method);
Vec<Interval> mul(const Mat<Interval>& A, const Vec<Interval>& x, ProductMethod method);

/// Encloses: {A·B : A ∈ [A], B ∈ [B]} (the same set as mul(A, B); reference implementation, slow
///   for Interval). Assumes: nothing. Checks: A.cols() == B.rows().
/// Failure: std::invalid_argument on a dimension mismatch.
/// Method: the interval-scalar triple loop C_ij = Σ_l A_il·B_lj (every operation outward).
template <class T> Mat<T> mul_triple_loop(const Mat<T>& A, const Mat<T>& B) {
  if (A.cols() != B.rows())
    throw std::invalid_argument("mul_triple_loop: A is " + std::to_string(A.rows()) + "x" +
                                std::to_string(A.cols()) + ", B is " + std::to_string(B.rows()) + "x" +
                                std::to_string(B.cols()));
  Mat<T> C(A.rows(), B.cols());
  for (Eigen::Index j = 0; j < B.cols(); ++j)
    for (Eigen::Index i = 0; i < A.rows(); ++i) {
      T s(0);
      for (Eigen::Index l = 0; l < A.cols(); ++l) s += A(i, l) * B(l, j);
      C(i, j) = s;
    }
  return C;
}

}  // namespace certiformer::linalg
