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
T max_sup_point(const Vec<T>& x) {
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

template <class T>
Vec<T> softmax(const Vec<T>& x) {
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
    T s = T(1) / (T(1) + others / e(i));
    auto cut = intersection(s, unit);
    out(i) = cut ? *cut : unit;
  }
  return out;
}

template <class T>
T logsumexp(const Vec<T>& x) {
  const auto c0 = detail::max_sup_point(x);
  const T c(c0, c0);
  T sum(0);
  for (Eigen::Index j = 0; j < x.size(); ++j) sum += exp(x(j) - c);
  return c + log(sum);
}

}  // namespace certiformer
