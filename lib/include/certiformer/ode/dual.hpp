#pragma once
/// certiformer/ode/dual.hpp — `Dual<C>`: first-order forward-mode automatic differentiation with
/// a run-time number of directions.
///
/// Encloses: a Dual holds a value v and a gradient g = (∂v/∂z_1, …, ∂v/∂z_m). Every operation
///   applies the exact chain rule, evaluated in the arithmetic of C; so when C is an interval type
///   and the inputs enclose (v, g) for every z in a box, the outputs enclose (v, g) of the result
///   for every z in that box (the derivatives of exp, log, … are themselves enclosed by the
///   rigorous scalar functions). An empty gradient means "exactly zero" (a constant).
/// Assumes: nothing. Failure: mixing two non-empty gradients of different lengths is misuse
///   (std::invalid_argument); scalar domain errors propagate (std::domain_error).
/// Method: textbook forward mode; C may itself be Dual or any scalar of ode/scalar.hpp.
/// Storage: up to 12 directions inline (no heap allocation), more on the heap.

#include "certiformer/ode/scalar.hpp"

#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <stdexcept>
#include <utility>

namespace certiformer::ode {

template <class C>
class Dual {
 public:
  using grad_type = boost::container::small_vector<C, 12>;

  /// The constant 0.
  Dual() : v_(0) {}
  /// The constant v (zero gradient).
  explicit Dual(const C& v) : v_(v) {}
  template <class I>
    requires(std::integral<I> && !std::same_as<I, bool>)
  explicit Dual(I v) : v_(v) {}
  Dual(C v, grad_type g) : v_(std::move(v)), g_(std::move(g)) {}

  /// The independent variable number i (of m) with value v: gradient e_i.
  static Dual variable(const C& v, std::size_t i, std::size_t m) {
    if (i >= m) throw std::invalid_argument("Dual::variable: index out of range");
    grad_type g(m, C(0));
    g[i] = C(1);
    return Dual(v, std::move(g));
  }

  const C& value() const noexcept { return v_; }
  /// ∂/∂z_i (exactly 0 for a constant).
  C d(std::size_t i) const { return i < g_.size() ? g_[i] : C(0); }
  std::size_t directions() const noexcept { return g_.size(); }
  bool is_constant() const noexcept { return g_.empty(); }
  const grad_type& gradient() const noexcept { return g_; }

  Dual& operator+=(const Dual& y) { v_ += y.v_; add_grad(y.g_, 1); return *this; }
  Dual& operator-=(const Dual& y) { v_ -= y.v_; add_grad(y.g_, -1); return *this; }
  Dual& operator*=(const Dual& y) { *this = *this * y; return *this; }
  Dual& operator/=(const Dual& y) { *this = *this / y; return *this; }

  friend Dual operator+(Dual x, const Dual& y) { x += y; return x; }
  friend Dual operator-(Dual x, const Dual& y) { x -= y; return x; }
  friend Dual operator-(Dual x) {
    x.v_ = -x.v_;
    for (auto& gi : x.g_) gi = -gi;
    return x;
  }
  friend Dual operator+(const Dual& x) { return x; }
  friend Dual operator*(const Dual& x, const Dual& y) {
    check(x, y);
    Dual r(x.v_ * y.v_);
    const std::size_t m = std::max(x.g_.size(), y.g_.size());
    if (m == 0) return r;
    r.g_.resize(m, C(0));
    if (!x.g_.empty() && !y.g_.empty()) {
      for (std::size_t i = 0; i < m; ++i) r.g_[i] = x.g_[i] * y.v_ + x.v_ * y.g_[i];
    } else if (!x.g_.empty()) {
      for (std::size_t i = 0; i < m; ++i) r.g_[i] = x.g_[i] * y.v_;
    } else {
      for (std::size_t i = 0; i < m; ++i) r.g_[i] = x.v_ * y.g_[i];
    }
    return r;
  }
  friend Dual operator/(const Dual& x, const Dual& y) {
    check(x, y);
    Dual r(x.v_ / y.v_);  // throws if 0 ∈ y for intervals
    const std::size_t m = std::max(x.g_.size(), y.g_.size());
    if (m == 0) return r;
    r.g_.resize(m, C(0));
    // (x/y)' = (x' − (x/y) y') / y
    for (std::size_t i = 0; i < m; ++i) {
      C num = i < x.g_.size() ? x.g_[i] : C(0);
      if (i < y.g_.size()) num -= r.v_ * y.g_[i];
      r.g_[i] = num / y.v_;
    }
    return r;
  }
  // Mixed with a constant of the coefficient type (no gradient work for the constant).
  friend Dual operator*(Dual x, const C& c) {
    x.v_ *= c;
    for (auto& gi : x.g_) gi *= c;
    return x;
  }
  friend Dual operator*(const C& c, Dual x) { return std::move(x) * c; }
  friend Dual operator+(Dual x, const C& c) { x.v_ += c; return x; }
  friend Dual operator+(const C& c, Dual x) { x.v_ += c; return x; }
  friend Dual operator-(Dual x, const C& c) { x.v_ -= c; return x; }
  friend Dual operator-(const C& c, const Dual& x) { return Dual(c) - x; }
  friend Dual operator/(Dual x, const C& c) {
    x.v_ /= c;
    for (auto& gi : x.g_) gi /= c;
    return x;
  }

  /// Set equality of value and gradient (Eigen needs ==); not a numeric comparison.
  friend bool operator==(const Dual& a, const Dual& b) {
    if (!(a.v_ == b.v_) || a.g_.size() != b.g_.size()) return false;
    for (std::size_t i = 0; i < a.g_.size(); ++i)
      if (!(a.g_[i] == b.g_[i])) return false;
    return true;
  }
  friend bool operator!=(const Dual& a, const Dual& b) { return !(a == b); }

  /// In place: *this += a·b (no temporaries; the hot loop of Taylor<Dual<…>> products).
  void fma_acc(const Dual& a, const Dual& b) {
    check(a, b);
    v_ += a.v_ * b.v_;
    const std::size_t m = std::max(a.g_.size(), b.g_.size());
    if (m == 0) return;
    if (g_.empty()) g_.resize(m, C(0));
    else if (g_.size() != m) throw std::invalid_argument("Dual: gradients of different lengths");
    if (!a.g_.empty() && !b.g_.empty()) {
      for (std::size_t i = 0; i < m; ++i) {
        g_[i] += a.g_[i] * b.v_;
        g_[i] += a.v_ * b.g_[i];
      }
    } else if (!a.g_.empty()) {
      for (std::size_t i = 0; i < m; ++i) g_[i] += a.g_[i] * b.v_;
    } else {
      for (std::size_t i = 0; i < m; ++i) g_[i] += a.v_ * b.g_[i];
    }
  }
  /// In place: *this ·= c for a constant c of the coefficient type.
  void scale(const C& c) {
    v_ *= c;
    for (auto& gi : g_) gi *= c;
  }

  /// Chain rule with a given derivative value: (f(v), f'(v)·g).
  Dual chain(C fv, const C& dfv) const {
    Dual r(std::move(fv));
    r.g_.resize(g_.size(), C(0));
    for (std::size_t i = 0; i < g_.size(); ++i) r.g_[i] = dfv * g_[i];
    return r;
  }

 private:
  static void check(const Dual& x, const Dual& y) {
    if (!x.g_.empty() && !y.g_.empty() && x.g_.size() != y.g_.size())
      throw std::invalid_argument("Dual: gradients of different lengths");
  }
  void add_grad(const grad_type& yg, int sign) {
    if (yg.empty()) return;
    if (g_.empty()) {
      g_.resize(yg.size(), C(0));
    } else if (g_.size() != yg.size()) {
      throw std::invalid_argument("Dual: gradients of different lengths");
    }
    if (sign > 0)
      for (std::size_t i = 0; i < g_.size(); ++i) g_[i] += yg[i];
    else
      for (std::size_t i = 0; i < g_.size(); ++i) g_[i] -= yg[i];
  }

  C v_;
  grad_type g_;
};

namespace detail {
template <class C> inline void mul_acc(C& acc, const C& a, const C& b) { acc += a * b; }
template <class C> inline void mul_acc(Dual<C>& acc, const Dual<C>& a, const Dual<C>& b) { acc.fma_acc(a, b); }
/// a·j for a small integer j (j·a in the coefficient's own arithmetic).
template <class C> inline C times_int(const C& a, int j) { return a * C(j); }
template <class C> inline Dual<C> times_int(const Dual<C>& a, int j) {
  Dual<C> r = a;
  r.scale(C(j));
  return r;
}
template <class C> inline C div_int(const C& a, int j) { return a / C(j); }
template <class C> inline Dual<C> div_int(const Dual<C>& a, int j) { return a / C(j); }
}  // namespace detail

template <class C> Dual<C> exp(const Dual<C>& x) {
  C e = exp(x.value());
  return x.chain(e, e);
}
template <class C> Dual<C> log(const Dual<C>& x) {
  return x.chain(log(x.value()), C(1) / x.value());
}
template <class C> Dual<C> log1p(const Dual<C>& x) {
  return x.chain(log1p(x.value()), C(1) / (C(1) + x.value()));
}
template <class C> Dual<C> sqrt(const Dual<C>& x) {
  C s = sqrt(x.value());
  return x.chain(s, C(1) / (C(2) * s));
}
template <class C> Dual<C> tanh(const Dual<C>& x) {
  C t = tanh(x.value());
  return x.chain(t, C(1) - sqr(t));
}
template <class C> Dual<C> sin(const Dual<C>& x) { return x.chain(sin(x.value()), cos(x.value())); }
template <class C> Dual<C> cos(const Dual<C>& x) { return x.chain(cos(x.value()), -sin(x.value())); }
template <class C> Dual<C> sqr(const Dual<C>& x) {
  return x.chain(sqr(x.value()), C(2) * x.value());
}

template <class C> auto upper_point(const Dual<C>& x) { return upper_point(x.value()); }
template <class C> decltype(auto) value_of(const Dual<C>& x) { return value_of(x.value()); }

}  // namespace certiformer::ode

namespace Eigen {
template <class C>
struct NumTraits<certiformer::ode::Dual<C>> : NumTraits<double> {
  using Real = certiformer::ode::Dual<C>;
  using NonInteger = certiformer::ode::Dual<C>;
  using Nested = certiformer::ode::Dual<C>;
  using Literal = certiformer::ode::Dual<C>;
  enum { IsComplex = 0, IsInteger = 0, IsSigned = 1, RequireInitialization = 1, ReadCost = 1, AddCost = 20, MulCost = 40 };
};
}  // namespace Eigen
