#pragma once
/// certiformer/ode/fields.hpp — reference vector fields with closed forms or published reference
/// runs, used to validate the engine (and usable by callers).
///
///   LinearField<T>    x' = A x + b            (closed form via the matrix exponential)
///   RiccatiField<T>   σ' = 2wσ + 2cσ²          (closed form σ0 e^{2wt}/(1 − (cσ0/w)(e^{2wt} − 1)))
///   LorenzField<T>    x' = s(y − x), y' = x(r − z) − y, z' = xy − b z
///   ForcedField<T>    x' = −x + sin(ω t)        (time-dependent; closed form)
/// Parameters are intervals of type T, built from exact text by the callers (no double
/// literals that stand for decimals).

#include "certiformer/ode/field.hpp"

namespace certiformer::ode {

template <class T>
struct LinearField {
  Mat<T> A;
  Vec<T> b;  ///< may be empty (no inhomogeneity)
  explicit LinearField(Mat<T> a, Vec<T> bb = {}) : A(std::move(a)), b(std::move(bb)) {
    if (A.rows() != A.cols()) throw std::invalid_argument("LinearField: A must be square");
    if (b.size() != 0 && b.size() != A.rows()) throw std::invalid_argument("LinearField: b has the wrong size");
  }
  Eigen::Index dimension() const { return A.rows(); }
  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    dx = b.size() ? affine<S, T>(A, x, b) : matvec<S, T>(A, x);
  }
};

template <class T>
struct RiccatiField {
  T w, c;
  Eigen::Index dimension() const { return 1; }
  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    const S& s = x(0);
    dx(0) = lift<S>(T(2) * w) * s + lift<S>(T(2) * c) * (s * s);
  }
};

template <class T>
struct LorenzField {
  T s, r, b;
  Eigen::Index dimension() const { return 3; }
  template <class S> void operator()(const S&, const Vec<S>& x, Vec<S>& dx) const {
    dx(0) = lift<S>(s) * (x(1) - x(0));
    dx(1) = x(0) * (lift<S>(r) - x(2)) - x(1);
    dx(2) = x(0) * x(1) - lift<S>(b) * x(2);
  }
  /// The classical parameters σ = 10, ρ = 28, β = 8/3 (exact rational).
  static LorenzField classical() { return {T(10), T(28), from_text<T>("8/3")}; }
};

template <class T>
struct ForcedField {
  T omega;
  Eigen::Index dimension() const { return 1; }
  template <class S> void operator()(const S& t, const Vec<S>& x, Vec<S>& dx) const {
    dx(0) = sin(lift<S>(omega) * t) - x(0);
  }
};

}  // namespace certiformer::ode
