#pragma once
/// certiformer/gradflow/field.hpp — the P4 multi-head attention flow on the sphere (docs/mathematics.md §5) as a
/// vector field of the ODE engine, augmented with the integrands of the energy-dissipation
/// identity.
///
/// State (dimension n·d + 2, plus 1 when H = 1): X = (x_1, …, x_n, e1, e2[, e3]), token i at
/// X[i·d, (i+1)·d). With D_h = D_h(t) (model.hpp; plus the constant perturbation if set),
///   y_hj = D_h x_j,  U_hij = exp(x_iᵀ y_hj) (= U_hji, D_h symmetric: computed once for i ≤ j),
///   N_hi = Σ_j U_hij,  m_hi = Σ_j U_hij y_hj,  w_hi = m_hi / N_hi,
///   v_i  = (1/H) Σ_h (w_hi − x_i (x_iᵀ w_hi))        (= (1/H) Σ_h P_{x_i} w_hi),
///   x_i' = s v_i,
///   e1'  = ∂_t E = (1/(2Hn²)) Σ_h Σ_i x_iᵀ (Σ_j U_hij D_h'(t) x_j),
///   e2'  = s Σ_i ∇_{x_i}E · v_i,  ∇_{x_i}E = (1/(Hn²)) Σ_h m_hi   (D_h symmetric),
///   e3'  = s Σ_i (N_i/n²) ‖v_i‖²   (H = 1 only: the metric-slope form).
/// The energy E(x, t) = (1/(2Hn²)) Σ_h Σ_{i,j} U_hij is `energy()`.
/// The accumulators do not feed back into the tokens. The sphere is invariant for the exact flow
/// (d|x_i|²/dt = 2s(1 − |x_i|²) x_iᵀ w̄_i), so for tokens starting on the sphere e3' equals the
/// chain-rule slope of E exactly; off the sphere the formulas are still evaluated as written.
///
/// Encloses: for S over an interval type, every output encloses the exact real value (and its
///   Taylor / derivative coefficients) for every real state and time in the arguments (and every
///   symmetric perturbation Δ in the perturbation box: the formulas, e.g. ∇E = (1/(Hn²)) Σ_h m_hi,
///   use the symmetry of D_h + Δ). S = double is an approximation (midpoints).
/// Assumes: the D_h data symmetric (model.hpp). Failure: std::invalid_argument on shape errors;
///   std::domain_error from the scalar layer (e.g. exp overflow) propagates.

#include "certiformer/gradflow/model.hpp"

#include <vector>

namespace certiformer::gradflow {

/// What one evaluation produces (all in the scalar S).
template <class S> struct Terms {
  std::vector<Vec<S>> v;     ///< v_i (d each)
  std::vector<Vec<S>> wbar;  ///< w̄_i = (1/H) Σ_h w_hi (d each)
  std::vector<Vec<S>> grad;  ///< ∇_{x_i} E (d each)
  std::vector<S> Nbar;       ///< (1/H) Σ_h N_hi
  S dtE;                     ///< ∂_t E (0 for autonomous models)
  S chain;                   ///< Σ_i ∇_{x_i}E · v_i   (without the sign s)
  S metric;                  ///< Σ_i (N̄_i / n²) ‖v_i‖² (the slope G²; without s)
  S energy;                  ///< E(x, t)
};

template <class T>
class GradflowField {
 public:
  /// `augmented`: include the accumulators (e1, e2[, e3]) in the state. `weight_state` (only
  /// without accumulators): append a constant d × d perturbation Δ (row-major, Δ' = 0) to the
  /// state; it is added to every head's D (for weight-sensitivity bounds).
  explicit GradflowField(Model<T> m, bool augmented = true, bool weight_state = false)
      : m_(std::move(m)), aug_(augmented), wstate_(weight_state) {
    m_.validate();
    if (aug_ && wstate_) throw std::invalid_argument("GradflowField: accumulators and weight state are exclusive");
  }
  bool weight_state() const { return wstate_; }
  const Model<T>& model() const { return m_; }
  bool augmented() const { return aug_; }
  Eigen::Index token_dimension() const { return m_.n * m_.d; }
  Eigen::Index dimension() const {
    return m_.n * m_.d + (aug_ ? (m_.H() == 1 ? 3 : 2) : 0) + (wstate_ ? m_.d * m_.d : 0);
  }
  Eigen::Index e1_index() const { return m_.n * m_.d; }
  Eigen::Index e2_index() const { return m_.n * m_.d + 1; }
  Eigen::Index e3_index() const { return m_.n * m_.d + 2; }  ///< H = 1 only
  bool has_metric() const { return aug_ && m_.H() == 1; }
  std::vector<double> breakpoints() const { return m_.breakpoints(); }

  template <class S> void operator()(const S& t, const Vec<S>& X, Vec<S>& dX) const {
    if (X.size() != dimension()) throw std::invalid_argument("GradflowField: state has the wrong dimension");
    dX.resize(dimension());
    const Eigen::Index n = m_.n, d = m_.d;
    std::vector<S> extra;
    if (wstate_) {
      for (Eigen::Index k = 0; k < d * d; ++k) extra.push_back(X(n * d + k));
      for (Eigen::Index k = 0; k < d * d; ++k) dX(n * d + k) = ode::lift<S>(0);
    }
    const Terms<S> tm = terms<S>(t, X, aug_, has_metric(), false, wstate_ ? &extra : nullptr);
    const S s = ode::lift<S>(m_.sign);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index c = 0; c < d; ++c) dX(i * d + c) = s * tm.v[static_cast<std::size_t>(i)](c);
    if (aug_) {
      dX(e1_index()) = tm.dtE;
      dX(e2_index()) = s * tm.chain;
      if (has_metric()) dX(e3_index()) = s * tm.metric;
    }
  }

  /// E(x, t) = (1/(2Hn²)) Σ_h Σ_{i,j} exp(x_iᵀ D_h(t) x_j); X may be the token part only or the
  /// augmented state (the accumulators are ignored).
  template <class S> S energy(const S& t, const Vec<S>& X) const {
    using namespace certiformer::ode::math;
    const Eigen::Index n = m_.n, d = m_.d;
    if (X.size() < n * d) throw std::invalid_argument("GradflowField::energy: state too short");
    const std::vector<Vec<S>> x = tokens<S>(X);
    S total = ode::lift<S>(0);
    for (std::size_t h = 0; h < m_.heads.size(); ++h) {
      const std::vector<S> D = head_D<S>(h, t);
      const std::vector<Vec<S>> y = apply<S>(D, x);
      for (Eigen::Index i = 0; i < n; ++i) {
        const auto& xi = x[static_cast<std::size_t>(i)];
        total = total + exp(ode::dot(xi, y[static_cast<std::size_t>(i)]));
        for (Eigen::Index j = i + 1; j < n; ++j) total = total + ode::lift<S>(2) * exp(ode::dot(xi, y[static_cast<std::size_t>(j)]));
      }
    }
    return total / ode::lift<S>(T(2) * T(m_.H()) * T(n) * T(n));
  }

  /// All per-token quantities at (t, X) (see Terms). `with_rates`: compute ∂_t E and the chain
  /// slope; `with_metric`: the metric slope; `with_energy`: E. `extra` (optional, d·d row-major)
  /// is added to every head's D (used to differentiate with respect to a weight perturbation).
  template <class S>
  Terms<S> terms(const S& t, const Vec<S>& X, bool with_rates = true, bool with_metric = true,
                 bool with_energy = false, const std::vector<S>* extra = nullptr) const {
    using namespace certiformer::ode::math;
    const Eigen::Index n = m_.n, d = m_.d, H = m_.H();
    const std::size_t nn = static_cast<std::size_t>(n);
    const std::vector<Vec<S>> x = tokens<S>(X);
    Terms<S> tm;
    tm.v.assign(nn, Vec<S>());
    tm.wbar.assign(nn, Vec<S>());
    tm.grad.assign(nn, Vec<S>());
    tm.Nbar.assign(nn, S());
    std::vector<bool> first(nn, true);
    S dt_sum = ode::lift<S>(0);
    bool have_dt = false;
    S en = ode::lift<S>(0);
    for (std::size_t h = 0; h < m_.heads.size(); ++h) {
      const std::vector<S> Dbase = head_D<S>(h, t);
      std::vector<S> D = Dbase;
      if (extra)
        for (std::size_t k = 0; k < D.size(); ++k) D[k] = D[k] + (*extra)[k];
      const std::vector<Vec<S>> y = apply<S>(D, x);
      // U (symmetric), stored as rows
      std::vector<Vec<S>> U(nn, Vec<S>(n));
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = i; j < n; ++j) {
          const S u = exp(ode::dot(x[static_cast<std::size_t>(i)], y[static_cast<std::size_t>(j)]));
          U[static_cast<std::size_t>(i)](j) = u;
          if (j != i) U[static_cast<std::size_t>(j)](i) = u;
        }
      // y columns: ycol[c](j) = (y_j)_c
      std::vector<Vec<S>> ycol(static_cast<std::size_t>(d), Vec<S>(n));
      for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index c = 0; c < d; ++c) ycol[static_cast<std::size_t>(c)](j) = y[static_cast<std::size_t>(j)](c);
      std::vector<S> Dp;
      if (with_rates) {
        Dp = head_dD<S>(h, t, Dbase);  // the perturbations are constant in time
      }
      std::vector<Vec<S>> ypcol;
      if (!Dp.empty()) {
        const std::vector<Vec<S>> yp = apply<S>(Dp, x);
        ypcol.assign(static_cast<std::size_t>(d), Vec<S>(n));
        for (Eigen::Index j = 0; j < n; ++j)
          for (Eigen::Index c = 0; c < d; ++c) ypcol[static_cast<std::size_t>(c)](j) = yp[static_cast<std::size_t>(j)](c);
      }
      for (Eigen::Index i = 0; i < n; ++i) {
        const std::size_t ii = static_cast<std::size_t>(i);
        const Vec<S>& Ui = U[ii];
        const Vec<S>& xi = x[ii];
        S N = Ui(0);
        for (Eigen::Index j = 1; j < n; ++j) N = N + Ui(j);
        Vec<S> mi(d), wi(d);
        for (Eigen::Index c = 0; c < d; ++c) {
          mi(c) = ode::dot(Ui, ycol[static_cast<std::size_t>(c)]);
          wi(c) = mi(c) / N;
        }
        const S xw = ode::dot(xi, wi);
        Vec<S> pw(d);
        for (Eigen::Index c = 0; c < d; ++c) pw(c) = wi(c) - xi(c) * xw;
        if (first[ii]) {
          tm.v[ii] = pw;
          tm.wbar[ii] = wi;
          tm.grad[ii] = mi;
          tm.Nbar[ii] = N;
          first[ii] = false;
        } else {
          for (Eigen::Index c = 0; c < d; ++c) {
            tm.v[ii](c) = tm.v[ii](c) + pw(c);
            tm.wbar[ii](c) = tm.wbar[ii](c) + wi(c);
            tm.grad[ii](c) = tm.grad[ii](c) + mi(c);
          }
          tm.Nbar[ii] = tm.Nbar[ii] + N;
        }
        if (!ypcol.empty()) {
          Vec<S> q(d);
          for (Eigen::Index c = 0; c < d; ++c) q(c) = ode::dot(Ui, ypcol[static_cast<std::size_t>(c)]);
          dt_sum = dt_sum + ode::dot(xi, q);
          have_dt = true;
        }
        if (with_energy) en = en + N;
      }
    }
    const S invH = ode::lift<S>(T(1) / T(H));
    const S invHn2 = ode::lift<S>(T(1) / (T(H) * T(n) * T(n)));
    const S invn2 = ode::lift<S>(T(1) / (T(n) * T(n)));
    for (std::size_t i = 0; i < nn; ++i) {
      for (Eigen::Index c = 0; c < d; ++c) {
        tm.v[i](c) = tm.v[i](c) * invH;
        tm.wbar[i](c) = tm.wbar[i](c) * invH;
        tm.grad[i](c) = tm.grad[i](c) * invHn2;
      }
      tm.Nbar[i] = tm.Nbar[i] * invH;
    }
    tm.dtE = have_dt ? dt_sum * ode::lift<S>(T(1) / (T(2) * T(H) * T(n) * T(n))) : ode::lift<S>(0);
    if (with_rates) {
      S c = ode::dot(tm.grad[0], tm.v[0]);
      for (std::size_t i = 1; i < nn; ++i) c = c + ode::dot(tm.grad[i], tm.v[i]);
      tm.chain = c;
    }
    if (with_metric) {
      S g = tm.Nbar[0] * ode::dot(tm.v[0], tm.v[0]);
      for (std::size_t i = 1; i < nn; ++i) g = g + tm.Nbar[i] * ode::dot(tm.v[i], tm.v[i]);
      tm.metric = g * invn2;
    }
    if (with_energy) tm.energy = en * ode::lift<S>(T(1) / (T(2) * T(H) * T(n) * T(n)));
    return tm;
  }

  /// D_h(t) (+ perturbation) in S, row-major.
  template <class S> std::vector<S> head_D(std::size_t h, const S& t) const {
    std::vector<S> D = m_.heads[h].template D_at<S>(t);
    if (m_.perturbation.size())
      for (Eigen::Index r = 0; r < m_.d; ++r)
        for (Eigen::Index c = 0; c < m_.d; ++c) {
          auto& e = D[static_cast<std::size_t>(r * m_.d + c)];
          e = e + ode::lift<S>(m_.perturbation(r, c));
        }
    return D;
  }
  /// D_h'(t) in S (empty when the path is constant). The perturbation is constant in time, but
  /// the OU / oscillating paths' D' depends on D: it is computed from the unperturbed D.
  template <class S> std::vector<S> head_dD(std::size_t h, const S& t, const std::vector<S>& Dpert) const {
    if (m_.heads[h].autonomous()) return {};
    if (m_.perturbation.size()) return m_.heads[h].template dD_at<S>(t, m_.heads[h].template D_at<S>(t));
    return m_.heads[h].template dD_at<S>(t, Dpert);
  }

 private:
  template <class S> std::vector<Vec<S>> tokens(const Vec<S>& X) const {
    const Eigen::Index n = m_.n, d = m_.d;
    std::vector<Vec<S>> x(static_cast<std::size_t>(n), Vec<S>(d));
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index c = 0; c < d; ++c) x[static_cast<std::size_t>(i)](c) = X(i * d + c);
    return x;
  }
  template <class S> std::vector<Vec<S>> apply(const std::vector<S>& D, const std::vector<Vec<S>>& x) const {
    const Eigen::Index d = m_.d;
    std::vector<Vec<S>> y(x.size(), Vec<S>(d));
    Vec<S> row(d);
    for (Eigen::Index r = 0; r < d; ++r) {
      for (Eigen::Index c = 0; c < d; ++c) row(c) = D[static_cast<std::size_t>(r * d + c)];
      for (std::size_t j = 0; j < x.size(); ++j) y[j](r) = ode::dot(row, x[j]);
    }
    return y;
  }

  Model<T> m_;
  bool aug_;
  bool wstate_ = false;
};

}  // namespace certiformer::gradflow
