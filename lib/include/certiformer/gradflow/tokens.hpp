#pragma once
/// certiformer/gradflow/tokens.hpp — initial tokens on the unit sphere and the stationarity
/// verdict at the horizon (docs/gradflow.md; the config kind gradflow.edi is an adapter of these
/// functions and of gradflow/edi.hpp, gradflow/analysis.hpp).
///
/// The flow lives on (S^{d−1})ⁿ. Tokens given as exact rationals x_i with | |x_i|² − 1 | ≤ tol
/// are accepted and replaced by x_i/|x_i| (enclosed); a token farther from the sphere is
/// rejected. The flat state layout is that of transformer::flatten_tokens (token i occupies
/// coordinates i·d … i·d + d − 1).

#include "certiformer/core.hpp"
#include "certiformer/transformer/field.hpp"

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::gradflow {

using transformer::flatten_tokens;
using transformer::unflatten_tokens;

/// Result of enclose_tokens_on_sphere.
template <class T> struct SphereTokens {
  /// proved iff every token is within the tolerance of the sphere; then `tokens` holds them.
  Verdict verdict = Verdict::unknown("not run");
  Mat<T> tokens;                     ///< n × d, row i ∋ x_i/|x_i| (x_i itself when |x_i|² = 1 exactly)
  std::size_t renormalised = 0;      ///< rows with |x_i|² ≠ 1 (replaced by x_i/|x_i|)
  std::optional<std::size_t> off_sphere;  ///< the first row with | |x_i|² − 1 | > tol (then unknown)
  Rational off_sphere_norm2 = 0;          ///< its exact |x_i|²
};

/// Encloses: for every row i, x_i/|x_i| for the exact rational token x_i = exact[i] (enclosed by
///   X.row(i)); rows with |x_i|² = 1 exactly are returned as given.
/// Assumes: X.row(i) encloses exact[i] (the caller builds both from the same text).
/// Checks: | |x_i|² − 1 | ≤ tol, exactly in rationals; tol < 1/2 keeps every token away from 0;
///   shapes (std::invalid_argument: X is n × d with n = exact.size(), d = exact[i].size()).
/// Failure: verdict unknown with `off_sphere` = the first offending row and its exact |x_i|²;
///   `tokens` is then not normalised (nothing may be built on it).
/// Method: |x|² in exact rationals; x/|x| as X_i / sqrt(Σ_c X_ic²) in interval arithmetic.
template <class T>
SphereTokens<T> enclose_tokens_on_sphere(const Mat<T>& X, const std::vector<std::vector<Rational>>& exact, const Rational& tol) {
  if (static_cast<std::size_t>(X.rows()) != exact.size()) throw std::invalid_argument("enclose_tokens_on_sphere: row count mismatch");
  if (!(tol >= 0) || !(tol < Rational(1, 2))) throw std::invalid_argument("enclose_tokens_on_sphere: tolerance must be in [0, 1/2)");
  const Eigen::Index d = X.cols();
  if (d < 1) throw std::invalid_argument("enclose_tokens_on_sphere: empty tokens");
  SphereTokens<T> out;
  out.tokens = X;
  for (std::size_t i = 0; i < exact.size(); ++i) {
    if (static_cast<Eigen::Index>(exact[i].size()) != d)
      throw std::invalid_argument("enclose_tokens_on_sphere: column count mismatch");
    Rational s2 = 0;
    for (const Rational& q : exact[i]) s2 += q * q;
    const Rational dev = s2 > 1 ? Rational(s2 - 1) : Rational(1 - s2);
    if (dev > tol) {
      out.off_sphere = i;
      out.off_sphere_norm2 = s2;
      out.verdict = Verdict::unknown("token " + std::to_string(i) + " is off the unit sphere by more than the tolerance");
      return out;
    }
    if (s2 != 1) {
      ++out.renormalised;
      const auto r = static_cast<Eigen::Index>(i);
      T nrm = sqr(out.tokens(r, 0));
      for (Eigen::Index c = 1; c < d; ++c) nrm += sqr(out.tokens(r, c));
      nrm = sqrt(nrm);
      for (Eigen::Index c = 0; c < d; ++c) out.tokens(r, c) /= nrm;
    }
  }
  out.verdict = Verdict::proved(out.renormalised ? std::to_string(out.renormalised) + " token(s) normalised" : "every token on the sphere");
  return out;
}

/// Result of certify_slope_below.
template <class T> struct SlopeVerdict {
  Verdict verdict = Verdict::unknown("not run");  ///< G² < tolerance: proved / refuted / unknown
  T margin;  ///< ∋ tolerance − G² (certainly > 0 when proved, < 0 when refuted)
};

/// Encloses: margin ∋ τ − G² for every G² in `slope` and τ in `tolerance`.
/// Assumes: `slope` encloses the exact squared slope G²(x(T), T) (EdiResult::slope_at_horizon).
/// Checks: the sign of the margin.
/// Failure: unknown when the margin contains 0 (the slope enclosure straddles the tolerance).
/// Method: interval difference; proved iff the margin is certainly positive, refuted iff
///   certainly negative.
template <class T> SlopeVerdict<T> certify_slope_below(const T& slope, const T& tolerance) {
  SlopeVerdict<T> out;
  out.margin = tolerance - slope;
  out.verdict = certainly_positive(out.margin)   ? Verdict::proved("G²(x(T)) < tolerance")
                : certainly_negative(out.margin) ? Verdict::refuted("G²(x(T)) > tolerance")
                                                 : Verdict::unknown("the slope enclosure straddles the tolerance");
  return out;
}

}  // namespace certiformer::gradflow
