#pragma once
/// certiformer/core/softmax.hpp — rigorous softmax and log-sum-exp of interval vectors.
///
/// Encloses: softmax(X)_i ⊇ {e^{x_i} / Σ_j e^{x_j} : x ∈ X} and
///           logsumexp(X) ⊇ {log Σ_j e^{x_j} : x ∈ X}, for every x in the box X.
/// Method (sound max-shift): for *any* real c, softmax(x) = softmax(x − c) and
///   logsumexp(x) = c + logsumexp(x − c); c is taken as the exact number max_j sup(X_j), so every
///   shifted argument is ≤ 0 and no exponential overflows. To avoid the dependency problem
///   (x_i occurs in numerator and denominator) softmax_i is evaluated as
///   1 / (1 + S_{−i} / e_i),  e_j = exp(x_j − c),  S_{−i} = Σ_{j≠i} e_j
///   (prefix + suffix sums, O(n)), which is monotone in every e_j, and intersected with [0, 1].
///   The components are enclosed separately, so Σ_i softmax_i = 1 is not enforced.
/// Assumes: nothing beyond the scalar's inclusion principle. Failure: an empty vector throws
///   std::invalid_argument (softmax of nothing is undefined).

#include "certiformer/core/eigen.hpp"
#include "certiformer/core/elementary.hpp"

#include <stdexcept>

namespace certiformer {

namespace detail {
template <class T>
real_t<T> max_sup_point(const Vec<T>& x) {
  if (x.size() == 0) throw std::invalid_argument("softmax/logsumexp of an empty vector");
  auto c = sup(x(0));
  for (Eigen::Index j = 1; j < x.size(); ++j) {
    auto s = sup(x(j));
    if (s > c) c = s;
  }
  if constexpr (scalar_traits<T>::is_mp) {
    if (!mpfr_number_p(c.backend().data())) throw std::domain_error("softmax/logsumexp: unbounded argument");
  } else {
    if (!std::isfinite(c)) throw std::domain_error("softmax/logsumexp: unbounded argument");
  }
  return c;
}
}  // namespace detail

/// Encloses: out(i) ⊇ {e^{x_i} / Σ_j e^{x_j} : x ∈ X} for each i separately (out(i) ⊆ [0, 1]).
/// Assumes: nothing beyond the scalar's inclusion principle (T's exp encloses eˣ).
/// Checks: X non-empty, max_j sup(X_j) finite. Failure: std::invalid_argument (empty vector),
///   std::domain_error (an unbounded entry).
/// Method: c = max_j sup(X_j) as an exact point; e_j = exp(X_j − c) ≤ 1;
///   softmax_i = 1 / (1 + S_{−i}/e_i) with S_{−i} from prefix + suffix sums (monotone in every
///   e_j, so no dependency problem); when e_i may be 0 (underflow), the hull of 0 and the value
///   at (sup e_i, inf S_{−i}); each result intersected with [0, 1].
template <class T>
Vec<T> enclose_softmax(const Vec<T>& x) {
  const auto c0 = detail::max_sup_point(x);
  const T c(c0, c0);
  const Eigen::Index n = x.size();
  Vec<T> e(n);
  for (Eigen::Index j = 0; j < n; ++j) e(j) = exp(x(j) - c);
  // prefix[j] = Σ_{k<j} e_k, suffix[j] = Σ_{k>j} e_k
  Vec<T> prefix(n), suffix(n);
  T acc(0);
  for (Eigen::Index j = 0; j < n; ++j) { prefix(j) = acc; acc += e(j); }
  acc = T(0);
  for (Eigen::Index j = n - 1; j >= 0; --j) { suffix(j) = acc; acc += e(j); }
  const T unit(0, 1);
  Vec<T> out(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const T others = prefix(i) + suffix(i);
    T s;
    if (certainly_positive(e(i))) {
      s = T(1) / (T(1) + others / e(i));
    } else {
      // e_i = exp(x_i − c) reaches down to 0 (underflow when x_i − c < −745): s = e_i/(e_i + S_{−i})
      // is increasing in e_i and decreasing in S_{−i}, so s ∈ [0, s(sup e_i, inf S_{−i})].
      const T e_hi(sup(e(i)), sup(e(i)));
      const T o_lo(inf(others), inf(others));
      s = convex_hull(T(0), T(1) / (T(1) + o_lo / e_hi));
    }
    auto cut = intersection(s, unit);
    out(i) = cut ? *cut : unit;
  }
  return out;
}

/// Encloses: row i of the result ⊇ softmax(row i of S) for every real matrix in the box S
///   (each row separately; the same statement as `enclose_softmax`, binary64 only).
/// Method: a batch kernel under upward rounding (lib/src/core/softmax_rows.cpp): the same
///   max-shift and 1/(1 + S_{−i}/e_i) form as `enclose_softmax`, with eˣ bounded by a degree-14 Taylor
///   polynomial with directed coefficients and remainder after reduction by k·ln 2 — no MPFR,
///   no Ziv loop; ~2 ulp wider per weight than `enclose_softmax` (which uses correctly rounded exp
///   bounds), and an order of magnitude faster.
/// Checks: rows of length ≥ 1; upper ends finite (std::domain_error; lower ends may be −∞);
///   round-to-nearest on entry
///   (std::runtime_error).
Mat<Interval> softmax_rows(const Mat<Interval>& S);

template <class T>
T logsumexp(const Vec<T>& x) {
  const auto c0 = detail::max_sup_point(x);
  const T c(c0, c0);
  T sum(0);
  for (Eigen::Index j = 0; j < x.size(); ++j) sum += exp(x(j) - c);
  if (certainly_positive(sum)) return c + log(sum);
  // Every exp(x_j − c) reaches down to 0 (an argument wider than ~745 underflows): use
  // log Σ_j e^{x_j} ≥ max_j x_j ≥ max_j inf(X_j) as the lower bound instead.
  auto lo = inf(x(0));
  for (Eigen::Index j = 1; j < x.size(); ++j)
    if (inf(x(j)) > lo) lo = inf(x(j));
  const T s_hi(sup(sum), sup(sum));
  return convex_hull(T(lo, lo), c + log(s_hi));
}

}  // namespace certiformer
