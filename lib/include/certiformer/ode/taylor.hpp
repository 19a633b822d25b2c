#pragma once
/// certiformer/ode/taylor.hpp — `Taylor<C>`: truncated Taylor series with run-time order, and the
/// automatic-differentiation rules for the ODE engine.
///
/// A `Taylor<C>` is either an exact *constant* (every coefficient beyond the 0th is exactly 0; its
/// order() is −1 and it combines with series of any order) or a *series* of order p, the
/// coefficients u_0, …, u_p of u(s) = Σ u_k s^k + O(s^{p+1}). Two series combined must have the
/// same order.
///
/// Encloses: for C an interval type (or Dual / Taylor over one), every coefficient returned
///   encloses the exact Taylor coefficient of the real-analytic composition, for every real
///   choice of the input coefficients inside the input intervals. The rules are exact identities
///   (below) evaluated in the arithmetic of C; the order-0 coefficient of exp/log/sqrt/tanh/sin/cos
///   comes from the rigorous scalar function.
///     product   (ab)_k  = Σ_{j=0}^{k} a_j b_{k−j}
///     quotient  q_k     = (a_k − Σ_{j=1}^{k} b_j q_{k−j}) / b_0
///     exp       y_k     = (1/k) Σ_{j=1}^{k} j a_j y_{k−j}
///     log       y_k     = (a_k − (1/k) Σ_{j=1}^{k−1} j y_j a_{k−j}) / a_0   (log1p: / (1 + a_0))
///     sqrt      y_k     = (a_k − Σ_{j=1}^{k−1} y_j y_{k−j}) / (2 y_0)
///     tanh      y_k     = (1/k) Σ_{j=1}^{k} j a_j w_{k−j},  w = 1 − y²  (y' = (1 − y²) a')
///     sin, cos  s_k = (1/k) Σ j a_j c_{k−j},  c_k = −(1/k) Σ j a_j s_{k−j}   (computed as a pair)
/// Assumes: nothing beyond the inclusion principle of C.
/// Failure: std::invalid_argument for series of different orders; std::domain_error from the
///   scalar layer (division by an interval containing 0, log of a non-positive interval, …).
///
/// Online mode (`TaylorTape<C>`): the ODE engine needs coefficient k+1 of the solution from
///   coefficients 0..k of f(x(s)). With a tape active on this thread, each operation is assigned
///   the next slot of the tape; pass k computes *only* coefficient k of every intermediate result
///   (reusing coefficients 0..k−1 stored in the slot), so p+1 passes cost O(p²) per operation
///   instead of O(p³). Values returned in online mode are views of the slot storage (cheap to
///   copy; valid while the tape lives). The sequence of operations must be the same in every pass
///   (it is, for code whose branches depend only on order-0 coefficients, which do not change
///   between passes); the tape checks the operation kind and the coefficient count in every slot
///   and throws std::logic_error on a mismatch.

#include "certiformer/ode/dual.hpp"
#include "certiformer/ode/kernels.hpp"
#include "certiformer/ode/scalar.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace certiformer::ode {

enum class TaylorOp : std::uint8_t {
  add, sub, neg, mul, div, exp, log, sqrt, tanh, sin, cos, sqr, dot, lincomb
};

template <class C> class Taylor;

/// Online evaluation context (see file comment). At most one tape per coefficient type C per
/// thread; the constructor throws std::logic_error if one is already active.
template <class C>
class TaylorTape {
 public:
  struct Slot {
    TaylorOp op;
    std::vector<C> res;
    std::vector<C> aux;
  };

  /// A tape for series up to `order` (storage for order+2 coefficients per slot is reserved, so
  /// views stay valid while coefficients are appended).
  explicit TaylorTape(int order) : order_(order) {
    if (order < 0) throw std::invalid_argument("TaylorTape: negative order");
    if (active_) throw std::logic_error("TaylorTape: a tape is already active on this thread");
    active_ = this;
  }
  ~TaylorTape() { active_ = nullptr; }
  TaylorTape(const TaylorTape&) = delete;
  TaylorTape& operator=(const TaylorTape&) = delete;

  static TaylorTape* active() noexcept { return active_; }
  int pass() const noexcept { return pass_; }
  int order() const noexcept { return order_; }
  std::size_t slots() const noexcept { return slots_.size(); }

  /// Starts pass k (k = 0, 1, … in order).
  void begin_pass(int k) {
    if (k != (started_ ? pass_ + 1 : 0)) throw std::logic_error("TaylorTape: passes must be 0, 1, 2, …");
    if (k > order_ + 1) throw std::logic_error("TaylorTape: pass beyond the reserved order");
    if (started_ && cursor_ != slots_.size())
      throw std::logic_error("TaylorTape: the evaluation used a different number of operations");
    started_ = true;
    pass_ = k;
    cursor_ = 0;
  }
  /// Ends the current pass; checks that every slot was visited.
  void end_pass() {
    if (cursor_ != slots_.size())
      throw std::logic_error("TaylorTape: the evaluation used a different number of operations");
  }

  Slot& next(TaylorOp op) {
    if (pass_ == 0 && cursor_ == slots_.size()) {
      Slot s{op, {}, {}};
      s.res.reserve(static_cast<std::size_t>(order_) + 2);
      slots_.push_back(std::move(s));
    }
    if (cursor_ >= slots_.size()) throw std::logic_error("TaylorTape: more operations than in pass 0");
    Slot& s = slots_[cursor_++];
    if (s.op != op) throw std::logic_error("TaylorTape: operation sequence changed between passes");
    if (s.res.size() != static_cast<std::size_t>(pass_))
      throw std::logic_error("TaylorTape: slot coefficient count does not match the pass");
    return s;
  }

 private:
  static inline thread_local TaylorTape* active_ = nullptr;
  int order_;
  int pass_ = 0;
  bool started_ = false;
  std::size_t cursor_ = 0;
  std::vector<Slot> slots_;
};

template <class C>
class Taylor {
 public:
  using coefficient_type = C;

  /// The exact constant 0.
  Taylor() : c0_(0) {}
  /// The exact constant v.
  explicit Taylor(const C& v) : c0_(v) {}
  template <class I>
    requires(std::integral<I> && !std::same_as<I, bool>)
  explicit Taylor(I v) : c0_(v) {}
  /// A series with the given coefficients (order = size − 1; at least one coefficient).
  explicit Taylor(std::vector<C> coefficients) : c0_(0), own_(std::move(coefficients)) {
    if (own_.empty()) throw std::invalid_argument("Taylor: a series needs at least one coefficient");
    len_ = static_cast<int>(own_.size());
  }
  /// The independent variable shifted: v + s, as a series of the given order.
  static Taylor variable(int order, const C& v) {
    if (order < 0) throw std::invalid_argument("Taylor::variable: negative order");
    std::vector<C> c(static_cast<std::size_t>(order) + 1, C(0));
    c[0] = v;
    if (order >= 1) c[1] = C(1);
    return Taylor(std::move(c));
  }
  /// v + σ·s (σ = ±1: the time variable of a forward / backward step).
  static Taylor variable(int order, const C& v, int sigma) {
    Taylor r = variable(order, v);
    if (order >= 1) r.own_[1] = C(sigma);
    return r;
  }
  /// A non-owning view of len coefficients at p. The caller keeps that storage alive and does
  /// not move it while the view (or a copy of it) is used. Used by the ODE engine's tape.
  static Taylor unsafe_view(const C* p, int len) {
    Taylor r;
    r.view_ = p;
    r.len_ = len;
    return r;
  }

  bool is_constant() const noexcept { return len_ == 0; }
  /// The order p of a series; −1 for an exact constant.
  int order() const noexcept { return len_ - 1; }
  /// Coefficient k (exactly 0 for a constant when k ≥ 1). Throws std::out_of_range beyond order.
  C operator[](int k) const {
    if (k < 0) throw std::out_of_range("Taylor: negative index");
    if (is_constant()) return k == 0 ? c0_ : C(0);
    if (k >= len_) throw std::out_of_range("Taylor: coefficient beyond the order");
    return data()[k];
  }
  const C& value() const noexcept { return is_constant() ? c0_ : data()[0]; }
  /// All stored coefficients (one for a constant).
  std::vector<C> coefficients() const {
    if (is_constant()) return {c0_};
    return std::vector<C>(data(), data() + len_);
  }
  /// Pointer to the coefficients of a series (nullptr for a constant).
  const C* data() const noexcept { return is_constant() ? nullptr : (view_ ? view_ : own_.data()); }

  Taylor& operator+=(const Taylor& y) { *this = *this + y; return *this; }
  Taylor& operator-=(const Taylor& y) { *this = *this - y; return *this; }
  Taylor& operator*=(const Taylor& y) { *this = *this * y; return *this; }
  Taylor& operator/=(const Taylor& y) { *this = *this / y; return *this; }

  /// Set equality of all coefficients (Eigen needs ==); not a numeric comparison.
  friend bool operator==(const Taylor& a, const Taylor& b) {
    if (a.len_ != b.len_) return false;
    if (a.is_constant()) return a.c0_ == b.c0_;
    for (int k = 0; k < a.len_; ++k)
      if (!(a.data()[k] == b.data()[k])) return false;
    return true;
  }
  friend bool operator!=(const Taylor& a, const Taylor& b) { return !(a == b); }

  // ---- the engine: build a series coefficient by coefficient ---------------------------------
  /// Runs kernel(k, res, aux) for the needed k: every k ≤ order offline, only the current pass
  /// online. The kernel appends coefficient k to res (and to aux when it keeps one).
  template <class Kernel>
  static Taylor build(TaylorOp op, int order, Kernel&& kernel) {
    if (auto* tape = TaylorTape<C>::active()) {
      auto& slot = tape->next(op);
      const int k = tape->pass();
      kernel(k, slot.res, slot.aux);
      return unsafe_view(slot.res.data(), k + 1);
    }
    std::vector<C> res, aux;
    res.reserve(static_cast<std::size_t>(order) + 1);
    for (int k = 0; k <= order; ++k) kernel(k, res, aux);
    return Taylor(std::move(res));
  }
  /// Builds two series in one slot (res and aux), returns both: used by sincos.
  template <class Kernel>
  static std::pair<Taylor, Taylor> build2(TaylorOp op, int order, Kernel&& kernel) {
    if (auto* tape = TaylorTape<C>::active()) {
      auto& slot = tape->next(op);
      if (slot.aux.capacity() < slot.res.capacity()) slot.aux.reserve(slot.res.capacity());
      const int k = tape->pass();
      kernel(k, slot.res, slot.aux);
      return {unsafe_view(slot.res.data(), k + 1), unsafe_view(slot.aux.data(), k + 1)};
    }
    std::vector<C> res, aux;
    for (int k = 0; k <= order; ++k) kernel(k, res, aux);
    return {Taylor(std::move(res)), Taylor(std::move(aux))};
  }
  /// The order for an operation on series a, b (−1 if both are constants) and, online, a check
  /// that each series operand holds the coefficients the pass needs.
  static int join_order(const Taylor& a, const Taylor& b) {
    if (auto* tape = TaylorTape<C>::active()) {
      check_online(a, tape->pass());
      check_online(b, tape->pass());
      return (a.is_constant() && b.is_constant()) ? -1 : tape->pass();
    }
    if (a.is_constant()) return b.order();
    if (b.is_constant()) return a.order();
    if (a.order() != b.order())
      throw std::invalid_argument("Taylor: series of different orders (" + std::to_string(a.order()) + ", " +
                                  std::to_string(b.order()) + ")");
    return a.order();
  }
  static int unary_order(const Taylor& a) {
    if (auto* tape = TaylorTape<C>::active()) {
      check_online(a, tape->pass());
      return a.is_constant() ? -1 : tape->pass();
    }
    return a.order();
  }

 private:
  static void check_online(const Taylor& a, int k) {
    if (!a.is_constant() && a.order() < k)
      throw std::logic_error("TaylorTape: an operand lacks the coefficients of the current pass");
  }

  C c0_;                   // value of a constant
  std::vector<C> own_;     // owned coefficients of a series
  const C* view_ = nullptr;  // or: viewed coefficients (tape storage)
  int len_ = 0;            // number of coefficients of a series; 0 for a constant
};

// ---- arithmetic ---------------------------------------------------------------------------------
// Coefficient j of a (a constant has only coefficient 0).
namespace detail {
template <class C> inline bool has(const Taylor<C>& a, int j) { return !a.is_constant() || j == 0; }
}  // namespace detail

template <class C> Taylor<C> operator+(const Taylor<C>& a, const Taylor<C>& b) {
  const int p = Taylor<C>::join_order(a, b);
  if (p < 0) return Taylor<C>(a.value() + b.value());
  const C* ad = a.data();
  const C* bd = b.data();
  return Taylor<C>::build(TaylorOp::add, p, [&](int k, std::vector<C>& r, std::vector<C>&) {
    if (ad && bd) r.push_back(ad[k] + bd[k]);
    else if (ad) r.push_back(k == 0 ? ad[0] + b.value() : ad[k]);
    else r.push_back(k == 0 ? a.value() + bd[0] : bd[k]);
  });
}
template <class C> Taylor<C> operator-(const Taylor<C>& a, const Taylor<C>& b) {
  const int p = Taylor<C>::join_order(a, b);
  if (p < 0) return Taylor<C>(a.value() - b.value());
  const C* ad = a.data();
  const C* bd = b.data();
  return Taylor<C>::build(TaylorOp::sub, p, [&](int k, std::vector<C>& r, std::vector<C>&) {
    if (ad && bd) r.push_back(ad[k] - bd[k]);
    else if (ad) r.push_back(k == 0 ? ad[0] - b.value() : ad[k]);
    else r.push_back(k == 0 ? a.value() - bd[0] : -bd[k]);
  });
}
template <class C> Taylor<C> operator-(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return Taylor<C>(-a.value());
  const C* ad = a.data();
  return Taylor<C>::build(TaylorOp::neg, p, [&](int k, std::vector<C>& r, std::vector<C>&) { r.push_back(-ad[k]); });
}
template <class C> Taylor<C> operator+(const Taylor<C>& a) { return a; }

template <class C> Taylor<C> operator*(const Taylor<C>& a, const Taylor<C>& b) {
  const int p = Taylor<C>::join_order(a, b);
  if (p < 0) return Taylor<C>(a.value() * b.value());
  const C* ad = a.data();
  const C* bd = b.data();
  return Taylor<C>::build(TaylorOp::mul, p, [&](int k, std::vector<C>& r, std::vector<C>&) {
    if (ad && bd) {
      r.push_back(detail::cauchy(ad, bd, k, 0, k, false));
    } else if (ad) {
      r.push_back(ad[k] * b.value());
    } else {
      r.push_back(a.value() * bd[k]);
    }
  });
}
template <class C> Taylor<C> operator/(const Taylor<C>& a, const Taylor<C>& b) {
  const int p = Taylor<C>::join_order(a, b);
  if (p < 0) return Taylor<C>(a.value() / b.value());
  const C* ad = a.data();
  const C* bd = b.data();
  return Taylor<C>::build(TaylorOp::div, p, [&](int k, std::vector<C>& q, std::vector<C>&) {
    if (!bd) {  // divide by a constant
      q.push_back(ad[k] / b.value());
      return;
    }
    C num = ad ? ad[k] : (k == 0 ? a.value() : C(0));
    if (k >= 1) num -= detail::cauchy(bd, q.data(), k, 1, k, false);
    q.push_back(num / bd[0]);
  });
}
// Mixed with constants of the coefficient type.
template <class C> Taylor<C> operator+(const Taylor<C>& a, const C& c) { return a + Taylor<C>(c); }
template <class C> Taylor<C> operator+(const C& c, const Taylor<C>& a) { return Taylor<C>(c) + a; }
template <class C> Taylor<C> operator-(const Taylor<C>& a, const C& c) { return a - Taylor<C>(c); }
template <class C> Taylor<C> operator-(const C& c, const Taylor<C>& a) { return Taylor<C>(c) - a; }
template <class C> Taylor<C> operator*(const Taylor<C>& a, const C& c) { return a * Taylor<C>(c); }
template <class C> Taylor<C> operator*(const C& c, const Taylor<C>& a) { return Taylor<C>(c) * a; }
template <class C> Taylor<C> operator/(const Taylor<C>& a, const C& c) { return a / Taylor<C>(c); }
template <class C> Taylor<C> operator/(const C& c, const Taylor<C>& a) { return Taylor<C>(c) / a; }

// ---- elementary functions ----------------------------------------------------------------------
template <class C> Taylor<C> exp(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return Taylor<C>(exp(a.value()));
  const C* ad = a.data();
  return Taylor<C>::build(TaylorOp::exp, p, [&](int k, std::vector<C>& y, std::vector<C>&) {
    if (k == 0) { y.push_back(exp(ad[0])); return; }
    y.push_back(detail::div_int(detail::cauchy(ad, y.data(), k, 1, k, true), k));
  });
}
template <class C> Taylor<C> log(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return Taylor<C>(log(a.value()));
  const C* ad = a.data();
  return Taylor<C>::build(TaylorOp::log, p, [&](int k, std::vector<C>& y, std::vector<C>&) {
    if (k == 0) { y.push_back(log(ad[0])); return; }
    C num = ad[k];
    if (k >= 2) {
      num -= detail::div_int(detail::cauchy(y.data(), ad, k, 1, k - 1, true), k);
    }
    y.push_back(num / ad[0]);
  });
}
/// log(1 + a): y_0 = log1p(a_0), then the log rule with base 1 + a_0 (tight for small a).
template <class C> Taylor<C> log1p(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return Taylor<C>(log1p(a.value()));
  const C* ad = a.data();
  return Taylor<C>::build(TaylorOp::log, p, [&](int k, std::vector<C>& y, std::vector<C>& base) {
    if (k == 0) {
      y.push_back(log1p(ad[0]));
      base.assign(1, C(1) + ad[0]);
      return;
    }
    C num = ad[k];
    if (k >= 2) {
      num -= detail::div_int(detail::cauchy(y.data(), ad, k, 1, k - 1, true), k);
    }
    y.push_back(num / base[0]);
  });
}
template <class C> Taylor<C> sqrt(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return Taylor<C>(sqrt(a.value()));
  const C* ad = a.data();
  return Taylor<C>::build(TaylorOp::sqrt, p, [&](int k, std::vector<C>& y, std::vector<C>& twice_y0) {
    if (k == 0) {
      y.push_back(sqrt(ad[0]));
      twice_y0.assign(1, C(2) * y[0]);
      return;
    }
    C num = ad[k];
    if (k >= 2) num -= detail::cauchy(y.data(), y.data(), k, 1, k - 1, false);
    y.push_back(num / twice_y0[0]);
  });
}
template <class C> Taylor<C> sqr(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return Taylor<C>(sqr(a.value()));
  const C* ad = a.data();
  return Taylor<C>::build(TaylorOp::sqr, p, [&](int k, std::vector<C>& y, std::vector<C>&) {
    // (a²)_k = 2 Σ_{j < k−j} a_j a_{k−j} + [k even] a_{k/2}²
    if (k == 0) { y.push_back(sqr(ad[0])); return; }
    C s = detail::times_int(detail::cauchy(ad, ad, k, 0, (k - 1) / 2, false), 2);
    if (k % 2 == 0) s += sqr(ad[k / 2]);
    y.push_back(std::move(s));
  });
}
template <class C> Taylor<C> tanh(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return Taylor<C>(tanh(a.value()));
  const C* ad = a.data();
  // aux w = 1 − y²
  return Taylor<C>::build(TaylorOp::tanh, p, [&](int k, std::vector<C>& y, std::vector<C>& w) {
    if (k == 0) {
      y.push_back(tanh(ad[0]));
      w.clear();
      w.reserve(y.capacity());
      w.push_back(C(1) - sqr(y[0]));
      return;
    }
    y.push_back(detail::div_int(detail::cauchy(ad, w.data(), k, 1, k, true), k));
    // w_k = −(y²)_k
    C u = detail::times_int(detail::cauchy(y.data(), y.data(), k, 0, (k - 1) / 2, false), 2);
    if (k % 2 == 0) u += sqr(y[static_cast<std::size_t>(k / 2)]);
    w.push_back(-u);
  });
}
/// (sin a, cos a) computed together (each needs the other's coefficients).
template <class C> std::pair<Taylor<C>, Taylor<C>> sincos(const Taylor<C>& a) {
  const int p = Taylor<C>::unary_order(a);
  if (p < 0) return {Taylor<C>(sin(a.value())), Taylor<C>(cos(a.value()))};
  const C* ad = a.data();
  return Taylor<C>::build2(TaylorOp::sin, p, [&](int k, std::vector<C>& s, std::vector<C>& c) {
    if (k == 0) {
      s.push_back(sin(ad[0]));
      c.push_back(cos(ad[0]));
      return;
    }
    C ss = detail::cauchy(ad, c.data(), k, 1, k, true);
    C cc = detail::cauchy(ad, s.data(), k, 1, k, true);
    s.push_back(detail::div_int(ss, k));
    c.push_back(-detail::div_int(cc, k));
  });
}
template <class C> Taylor<C> sin(const Taylor<C>& a) { return sincos(a).first; }
template <class C> Taylor<C> cos(const Taylor<C>& a) { return sincos(a).second; }

// ---- fused operations (one tape slot each) --------------------------------------------------------
/// Σ_i a_i b_i.
template <class C> Taylor<C> dot(const Taylor<C>* a, const Taylor<C>* b, std::size_t n) {
  if (n == 0) return Taylor<C>();
  int p = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const int q = Taylor<C>::join_order(a[i], b[i]);
    if (q >= 0) {
      if (p >= 0 && q != p) throw std::invalid_argument("Taylor dot: series of different orders");
      p = q;
    }
  }
  if (p < 0) {
    C s = a[0].value() * b[0].value();
    for (std::size_t i = 1; i < n; ++i) s += a[i].value() * b[i].value();
    return Taylor<C>(s);
  }
  return Taylor<C>::build(TaylorOp::dot, p, [&](int k, std::vector<C>& r, std::vector<C>&) {
    if constexpr (std::is_same_v<C, Interval>) {
      thread_local std::vector<const Interval*> pa, pb;
      thread_local std::vector<unsigned char> fa, fb;
      pa.resize(n); pb.resize(n); fa.resize(n); fb.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        fa[i] = a[i].is_constant();
        fb[i] = b[i].is_constant();
        pa[i] = fa[i] ? &a[i].value() : a[i].data();
        pb[i] = fb[i] ? &b[i].value() : b[i].data();
      }
      Interval out;
      if (detail::dot_fast(pa.data(), fa.data(), pb.data(), fb.data(), n, k, out)) {
        r.push_back(out);
        return;
      }
    }
    C s(0);
    bool any = false;
    auto acc = [&](C v) {
      if (any) s += v;
      else { s = std::move(v); any = true; }
    };
    for (std::size_t i = 0; i < n; ++i) {
      const C* ad = a[i].data();
      const C* bd = b[i].data();
      if (ad && bd) {
        acc(detail::cauchy(ad, bd, k, 0, k, false));
      } else if (ad) {
        acc(ad[k] * b[i].value());
      } else if (bd) {
        acc(a[i].value() * bd[k]);
      } else if (k == 0) {
        acc(a[i].value() * b[i].value());
      }
    }
    r.push_back(any ? std::move(s) : C(0));
  });
}
/// c + Σ_i w_i x_i with constant weights w_i = w[i·stride] and an optional constant offset c.
/// W is C or the base interval type under C (C × W must be defined: Dual<B> × B is).
template <class C, class W>
Taylor<C> lincomb(const W* w, std::ptrdiff_t stride, const Taylor<C>* x, std::size_t n, const W* offset = nullptr) {
  int p = -1;
  if (auto* tape = TaylorTape<C>::active()) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!x[i].is_constant()) {
        if (x[i].order() < tape->pass()) throw std::logic_error("TaylorTape: an operand lacks coefficients");
        p = tape->pass();
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      if (!x[i].is_constant()) {
        if (p >= 0 && x[i].order() != p) throw std::invalid_argument("Taylor lincomb: series of different orders");
        p = x[i].order();
      }
    }
  }
  auto wi = [&](std::size_t i) -> const W& { return w[static_cast<std::ptrdiff_t>(i) * stride]; };
  if (p < 0) {
    C s = offset ? C(*offset) : C(0);
    for (std::size_t i = 0; i < n; ++i) s += x[i].value() * wi(i);
    return Taylor<C>(s);
  }
  return Taylor<C>::build(TaylorOp::lincomb, p, [&](int k, std::vector<C>& r, std::vector<C>&) {
    if constexpr (std::is_same_v<C, Interval> && std::is_same_v<W, Interval>) {
      thread_local std::vector<const Interval*> px;
      px.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const C* xd = x[i].data();
        px[i] = xd ? xd + k : (k == 0 ? &x[i].value() : nullptr);
      }
      Interval out;
      if (detail::lincomb_fast(w, stride, px.data(), n, out)) {
        if (k == 0 && offset) out += *offset;
        r.push_back(out);
        return;
      }
    }
    C s = (k == 0 && offset) ? C(*offset) : C(0);
    for (std::size_t i = 0; i < n; ++i) {
      const C* xd = x[i].data();
      if (xd) s += xd[k] * wi(i);
      else if (k == 0) s += x[i].value() * wi(i);
    }
    r.push_back(std::move(s));
  });
}
template <class C>
Taylor<C> lincomb(const C* w, const Taylor<C>* x, std::size_t n, const C* offset = nullptr) {
  return lincomb<C, C>(w, 1, x, n, offset);
}

template <class C> auto upper_point(const Taylor<C>& x) { return upper_point(x.value()); }
template <class C> decltype(auto) value_of(const Taylor<C>& x) { return value_of(x.value()); }

}  // namespace certiformer::ode

namespace Eigen {
template <class C>
struct NumTraits<certiformer::ode::Taylor<C>> : NumTraits<double> {
  using Real = certiformer::ode::Taylor<C>;
  using NonInteger = certiformer::ode::Taylor<C>;
  using Nested = certiformer::ode::Taylor<C>;
  using Literal = certiformer::ode::Taylor<C>;
  enum { IsComplex = 0, IsInteger = 0, IsSigned = 1, RequireInitialization = 1, ReadCost = 1, AddCost = 50, MulCost = 200 };
};
}  // namespace Eigen
