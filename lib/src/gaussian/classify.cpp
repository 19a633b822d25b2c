// Equilibria, stability and classification. See gaussian/classify.hpp for the mathematics.
#include "certiformer/gaussian/classify.hpp"
#include "certiformer/gaussian/cover.hpp"
#include "certiformer/gaussian/information.hpp"
#include "certiformer/gaussian/moments.hpp"
#include "certiformer/gaussian/ops.hpp"

#include <cmath>

namespace certiformer::gaussian {

std::string_view to_string(Regime r) noexcept {
  switch (r) {
    case Regime::blowup: return "blowup";
    case Regime::converges: return "converges";
    case Regime::bounded_on_horizon: return "bounded_on_horizon";
    case Regime::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view regime_statement(Regime r) noexcept {
  switch (r) {
    case Regime::blowup:
      return "Sigma(t) exists and is bounded on [0, t_lo] and is unbounded as t -> t* for some t* in (t_lo, t_hi], "
             "[t_lo, t_hi] = results.blowup_time (a statement about all t >= 0: t* may lie beyond the horizon)";
    case Regime::converges:
      return "Sigma(t) exists for all t >= 0 and converges to Sigma* = P*^{-1} in results.cov_star, with the rate "
             "stated in the reason";
    case Regime::bounded_on_horizon: return "Sigma(t) exists and is bounded on [0, horizon]";
    case Regime::unknown: return "the regime of Sigma(t) (nothing is proved)";
  }
  return "the regime of Sigma(t) (nothing is proved)";
}

namespace {

using namespace detail;

/// Lyapunov weights are solved approximately on the vectorised n²×n² system; beyond this size
/// only G = I (the logarithmic-norm test) is tried.
constexpr Eigen::Index kMaxLyapunovDim = 12;

template <class T> HurwitzCertificate<T> hurwitz_with(const Mat<T>& J, const Mat<real_t<T>>& G) {
  using R = real_t<T>;
  HurwitzCertificate<T> c;
  c.G = G;
  const Mat<T> Gt = enclose_point<T>(G);
  const auto g = linalg::certify_spd(Gt);
  if (!g.verdict.is_proved()) {
    c.verdict = Verdict::unknown("Lyapunov weight G not certified SPD: " + g.verdict.reason());
    return c;
  }
  const Mat<T> Jt = J.transpose();
  Mat<T> Q = -(prod<T>(Jt, Gt) + prod<T>(Gt, J));
  // Q is symmetric for every J: intersect with its transpose.
  Q = symmetrize(Q);
  const auto q = linalg::certify_spd(Q);
  if (!q.verdict.is_proved()) {
    c.verdict = Verdict::unknown("-(J^T G + G J) not certified SPD: " + q.verdict.reason());
    return c;
  }
  const T gmax = enclose_point<T>(linalg::upper_bound_lambda_max(Gt).value());
  const T gmin = enclose_point<T>(g.lambda_min_lower);
  const T gamma = enclose_point<T>(q.lambda_min_lower);
  c.rate = inf(gamma / (T(2) * gmax));
  c.kappa = sup(gmax / gmin);
  if (!(c.rate > R(0))) {
    c.verdict = Verdict::unknown("decay rate bound not positive");
    return c;
  }
  c.verdict = Verdict::proved("quadratic Lyapunov function: G SPD and -(J^T G + G J) SPD certified");
  return c;
}

/// F(Σ) = A(Σ)Σ + ΣA(Σ)ᵀ for scalar S (reals or intervals).
template <class S> Mat<S> sigma_field(const Model<S>& m, const Mat<S>& cov) {
  Mat<S> A = m.W;
  for (std::size_t h = 0; h < m.V.size(); ++h) {
    const Mat<S> t = prod<S>(prod<S>(m.V[h], cov), m.B[h]);
    A += t * m.beta;
  }
  const Mat<S> AS = prod<S>(A, cov);
  return AS + AS.transpose();
}

struct Vech {
  int d;
  int n() const { return d * (d + 1) / 2; }
  int index(int i, int j) const {  // i ≤ j
    if (i > j) std::swap(i, j);
    return i * d - i * (i - 1) / 2 + (j - i);
  }
};

template <class S> Mat<S> unvech(const Vech& v, const Vec<S>& x) {
  Mat<S> m(v.d, v.d);
  for (int i = 0; i < v.d; ++i)
    for (int j = i; j < v.d; ++j) {
      m(i, j) = x(v.index(i, j));
      m(j, i) = x(v.index(i, j));
    }
  return m;
}
template <class S> Vec<S> vech(const Vech& v, const Mat<S>& m) {
  Vec<S> x(v.n());
  for (int i = 0; i < v.d; ++i)
    for (int j = i; j < v.d; ++j) x(v.index(i, j)) = m(i, j);
  return x;
}

/// Jacobian of vech(F) with respect to vech(Σ) at Σ (interval Σ: encloses the Jacobian for
/// every symmetric Σ in the box, since each entry is a polynomial evaluated in interval arithmetic).
template <class S> Mat<S> sigma_jacobian(const Model<S>& m, const Mat<S>& cov, const Vech& v) {
  Mat<S> A = m.W;
  for (std::size_t h = 0; h < m.V.size(); ++h) A += prod<S>(prod<S>(m.V[h], cov), m.B[h]) * m.beta;
  Mat<S> J(v.n(), v.n());
  for (int k = 0; k < v.d; ++k)
    for (int l = k; l < v.d; ++l) {
      Mat<S> E = Mat<S>::Constant(v.d, v.d, S(0));
      E(k, l) = S(1);
      E(l, k) = S(1);
      Mat<S> Ad = Mat<S>::Constant(v.d, v.d, S(0));
      for (std::size_t h = 0; h < m.V.size(); ++h) Ad += prod<S>(prod<S>(m.V[h], E), m.B[h]) * m.beta;
      const Mat<S> t1 = prod<S>(A, E), t2 = prod<S>(Ad, cov);
      const Mat<S> dF = t1 + t1.transpose() + t2 + t2.transpose();
      J.col(v.index(k, l)) = vech(v, dF);
    }
  return J;
}

template <class T> Model<real_t<T>> mid_model(const Model<T>& m) {
  Model<real_t<T>> r;
  r.dim = m.dim;
  r.beta = mid(m.beta);
  r.W = mid(m.W);
  Mat<T> bm = m.b;
  r.b = mid(bm).col(0);
  for (const auto& V : m.V) r.V.push_back(mid(V));
  for (const auto& B : m.B) r.B.push_back(mid(B));
  return r;
}

}  // namespace

template <class T> HurwitzCertificate<T> certify_hurwitz(const Mat<T>& J) {
  using R = real_t<T>;
  const Eigen::Index n = J.rows();
  if (n == 0 || J.cols() != n) throw std::invalid_argument("certify_hurwitz: J must be square and non-empty");
  // 1) G = I: the logarithmic-norm test.
  auto c = hurwitz_with<T>(J, Mat<R>::Identity(n, n));
  if (c.verdict.is_proved()) return c;
  if (n > kMaxLyapunovDim) {
    c.verdict = Verdict::unknown("log-norm test failed and n = " + std::to_string(n) + " is too large for the Lyapunov weight");
    return c;
  }
  // 2) G ≈ solution of J̃ᵀG + GJ̃ = −I.
  const Mat<R> Jm = mid(J);
  const Mat<R> G = approx_lyapunov<R>(Jm, Mat<R>(-Mat<R>::Identity(n, n)));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      if (!(approx_double(G(i, j)) == approx_double(G(i, j))) || !std::isfinite(approx_double(G(i, j)))) {
        c.verdict = Verdict::unknown("approximate Lyapunov solve failed");
        return c;
      }
  return hurwitz_with<T>(J, G);
}

template <class T> std::optional<Mat<T>> enclose_lyapunov_solution(const Mat<T>& W, const Mat<T>& Rm) {
  const Eigen::Index d = W.rows();
  const Eigen::Index n = d * d;
  Mat<T> K = Mat<T>::Constant(n, n, T(0));
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) {
      const Eigen::Index row = j * d + i;
      for (Eigen::Index k = 0; k < d; ++k) {
        K(row, j * d + k) += W(k, i);  // (Wᵀ P)_{ij}
        K(row, k * d + i) += W(k, j);  // (P W)_{ij}
      }
    }
  Vec<T> rhs(n);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) rhs(j * d + i) = -Rm(i, j);
  const auto s = linalg::certify_solve(K, rhs);
  if (!s.verdict.is_proved()) return std::nullopt;
  Mat<T> P(d, d);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) P(i, j) = s.x(j * d + i);
  return symmetrize(P);
}

template <class T>
EquilibriumResult<T> certify_equilibrium(const ModelSpec& spec, const Mat<real_t<T>>& guess) {
  using R = real_t<T>;
  ModelSpec model = spec;
  model.validate();
  if (guess.rows() != model.dim || guess.cols() != model.dim)
    throw SpecError("guess", "expected a " + std::to_string(model.dim) + "×" + std::to_string(model.dim) + " matrix");
  EquilibriumResult<T> res;
  const Model<T> mT = enclose_model<T>(model);
  const Model<R> mR = mid_model(mT);
  const Vech v{model.dim};
  const int n = v.n();

  // Newton polish (approximate).
  Vec<R> x = vech<R>(v, Mat<R>((guess + guess.transpose()) / R(2)));
  for (int it = 0; it < 40; ++it) {
    const Mat<R> S = unvech<R>(v, x);
    const Vec<R> F = vech<R>(v, sigma_field<R>(mR, S));
    const Mat<R> J = sigma_jacobian<R>(mR, S, v);
    const Vec<R> dx = approx_solve<R>(J, Mat<R>(F)).col(0);
    x -= dx;
    R m(0);
    for (int i = 0; i < n; ++i) m = std::max<R>(m, r_abs(dx(i)));
    if (m == R(0)) break;
  }
  // Krawczyk on vech(F)(x) = 0 about the Newton point (the one engine, linalg/krawczyk.hpp):
  // F and its interval Jacobian over a box; the model's interval entries are parameters, so a
  // proof holds for every model in the enclosure.
  const auto F = [&](const Vec<T>& X) { return vech<T>(v, sigma_field<T>(mT, unvech<T>(v, X))); };
  const auto J = [&](const Vec<T>& X) { return sigma_jacobian<T>(mT, unvech<T>(v, X), v); };
  const linalg::KrawczykResult<T> k = linalg::certify_zero_near<T>(F, J, x);
  if (k.verdict.is_proved()) {
    res.cov = unvech<T>(v, k.enclosure);
    res.exists = Verdict::proved(k.verdict.reason() + " (X: the box of vech Σ): exactly one equilibrium in the box");
    const auto spd = linalg::certify_spd(res.cov);
    res.positive_definite = spd.verdict.is_proved() ? Verdict::proved(spd.verdict.reason())
                                                    : (spd.verdict.is_refuted() ? Verdict::refuted(spd.verdict.reason())
                                                                               : Verdict::unknown(spd.verdict.reason()));
    const Mat<T> Jstar = sigma_jacobian<T>(mT, res.cov, v);
    res.stability = certify_hurwitz<T>(Jstar);
    return res;
  }
  res.exists = Verdict::unknown(k.verdict.reason() + " (no isolated equilibrium near the guess, or too wide)");
  res.positive_definite = Verdict::unknown("no equilibrium enclosure");
  res.stability.verdict = Verdict::unknown("no equilibrium enclosure");
  return res;
}

template <class T>
Classification<T> certify_regime(const ModelSpec& spec, const GaussianSpec& initial, const Rational& horizon_q,
                           const BlowupOptions& options) {
  using R = real_t<T>;
  ModelSpec model = spec;
  model.validate();
  if (horizon_q <= 0) throw SpecError("horizon", "expected a number > 0");
  initial.validate(model.dim, /*require_spd=*/true);
  Classification<T> out;
  std::string why;
  const T horizon = enclose<T>(horizon_q);

  if (!detect_information_form(model, &why)) {
    out.information_form = false;
    out.blowup = certify_blowup_lower_bound<T>(model, initial, horizon_q, options);
    if (out.blowup.status == BlowupStatus::no_blowup_on_horizon) {
      out.regime = Regime::bounded_on_horizon;
      out.verdict = Verdict::proved(out.blowup.verdict.reason());
    } else {
      // Two-sided bracket by compactification at infinity (certify_blowup_bracket_general);
      // the regime statement is about all t >= 0, so t_hi may lie beyond the horizon.
      GeneralBlowupBracket b;
      if (out.blowup.status == BlowupStatus::blowup_lower_bound_only) b = certify_blowup_bracket_general(model, initial, options.general);
      if (b.verdict.is_proved()) {
        const R lo = std::max<R>(out.blowup.t_lo, R(b.t_lo)), hi = R(b.t_hi);
        if (!(lo < hi)) throw std::logic_error("certify_regime: certified lower bound beyond the certified upper bound");
        out.blowup.status = BlowupStatus::blowup;
        out.blowup.t_lo = lo;
        out.blowup.t_hi = hi;
        out.blowup.blowup_time = convex_hull(enclose_point<T>(lo), enclose_point<T>(hi));
        out.blowup.relative_width = b.relative_width;
        out.blowup.verdict = Verdict::proved(b.verdict.reason());
        out.regime = Regime::blowup;
        out.verdict = Verdict::proved("general V (" + why + "): Sigma(t) exists on [0, t_lo] and tr Sigma(t) -> infinity "
                                      "at some t* in (t_lo, t_hi]: " + b.verdict.reason());
        return out;
      }
      out.regime = Regime::unknown;
      out.verdict = Verdict::unknown("general V (" + why + "): only a lower bound on the existence time is certified (" +
                                     out.blowup.verdict.reason() + ")" +
                                     (b.verdict.is_unknown() && out.blowup.status == BlowupStatus::blowup_lower_bound_only
                                          ? "; no upper bound: " + b.verdict.reason()
                                          : std::string()));
    }
    // Look for an equilibrium near the end of an approximate trajectory.
    const Model<double> md = approx_model(model);
    Moments<double> x{enclose_vector<Interval>(initial.mean).unaryExpr([](const Interval& a) { return mid(a); }),
                      enclose_matrix<Interval>(initial.cov).unaryExpr([](const Interval& a) { return mid(a); })};
    bool finite = true;
    const double span = std::max(50.0, 10 * approx_double(sup(horizon)));
    for (int k = 0; k < 50 && finite; ++k) {
      x = approx_moment_rk4(md, x, span / 50, 40);
      finite = x.cov.allFinite() && x.cov.norm() < 1e12;
    }
    if (finite) {
      const double res_norm = approx_moment_rhs(md, x).cov.norm();
      if (res_norm < 1e-6 * (1 + x.cov.norm()) && x.cov.norm() > 1e-8) {
        Mat<R> guess(model.dim, model.dim);
        for (int i = 0; i < model.dim; ++i)
          for (int j = 0; j < model.dim; ++j) guess(i, j) = R(x.cov(i, j));
        out.equilibrium = certify_equilibrium<T>(model, guess);
        out.details = "equilibrium near the approximate limit of the trajectory: " +
                      std::string(to_string(out.equilibrium->exists.status())) + "; trajectory convergence is not claimed";
      }
    }
    return out;
  }

  out.information_form = true;
  InformationFlow<T> flow(model, initial);
  out.blowup = cover_information_flow<T>(flow, horizon, options);
  if (out.blowup.status == BlowupStatus::blowup) {
    out.regime = Regime::blowup;
    out.verdict = out.blowup.verdict;
    return out;
  }
  const Mat<T> minusW = -flow.W();
  out.W_stability = certify_hurwitz<T>(minusW);
  if (out.W_stability.verdict.is_proved()) {
    const auto Pstar = enclose_lyapunov_solution<T>(flow.W(), flow.R());
    if (Pstar) {
      out.P_star = *Pstar;
      const T alpha = enclose_point<T>(out.W_stability.rate);
      const T kappa = enclose_point<T>(out.W_stability.kappa);
      const T diff = enclose_point<T>(upper_bound_spectral(Mat<T>(flow.P0() - *Pstar)));
      const auto spd = linalg::certify_spd(*Pstar);
      if (spd.verdict.is_proved()) {
        const T p = enclose_point<T>(spd.lambda_min_lower);
        const T arg = T(2) * kappa * diff / p;
        // t_c ≥ ln(arg)/(2α) (0 only when arg ≤ 1 is certain).
        R t_c(0);
        if (!certainly_less_equal(arg, T(1))) t_c = sup(log(max(arg, T(1))) / (T(2) * alpha));
        out.t_c = t_c;
        bool covered = out.blowup.status == BlowupStatus::no_blowup_on_horizon && t_c <= out.blowup.t_lo;
        BlowupResult<T> r2;
        if (!covered) {
          r2 = cover_information_flow<T>(flow, enclose_point<T>(t_c), options);
          if (r2.status == BlowupStatus::no_blowup_on_horizon) covered = true;
          else if (r2.status == BlowupStatus::blowup) {
            out.blowup = r2;
            out.regime = Regime::blowup;
            out.verdict = r2.verdict;
            out.details = "blow-up found beyond the horizon while covering [0, t_c]";
            return out;
          }
        }
        if (covered) {
          const auto inv = linalg::certify_inverse(*Pstar);
          if (inv.verdict.is_proved()) {
            out.cov_star = symmetrize(inv.inverse);
            out.regime = Regime::converges;
            out.rate = inf(T(2) * alpha);
            out.constant = sup(T(2) * kappa * diff / sqr(p));
            out.verdict = Verdict::proved(
                "W positive stable (Lyapunov), P* certified SPD, P(t) SPD on [0, t_c] and ||P(t) - P*|| <= kappa e^{-2 alpha t} "
                "||P0 - P*|| < lambda_min(P*)/2 beyond: Sigma(t) -> Sigma* = P*^{-1}");
            return out;
          }
          out.details = "P* SPD but its inverse was not certified";
        }
      } else {
        // A certified negative Rayleigh quotient of P*: P(t) leaves SPD in finite time.
        const Mat<R> Pm = mid(*Pstar);
        auto [lam, u] = approx_min_eigenpair<R>(Pm);
        const Vec<T> uT = enclose_point<T>(u);
        const T q = quadratic_form(*Pstar, uT);
        if (certainly_negative(q)) {
          T uu(0);
          for (Eigen::Index i = 0; i < uT.size(); ++i) uu += sqr(uT(i));
          const T arg = T(2) * kappa * diff * uu / (-q);
          R t_b = sup(horizon);
          if (certainly_positive(arg - T(1))) t_b = std::max<R>(t_b, sup(log(arg) / (T(2) * alpha)));
          t_b = t_b * R(1.0625) + R(0.0625);
          auto r3 = cover_information_flow<T>(flow, enclose_point<T>(t_b), options);
          if (r3.status == BlowupStatus::blowup) {
            out.blowup = r3;
            out.regime = Regime::blowup;
            out.verdict = r3.verdict;
            out.details = "P* has a certified negative Rayleigh quotient: P(t) must leave SPD by t_b; blow-up located";
            return out;
          }
          out.details = "P* not SPD, but the blow-up could not be located on [0, t_b]";
        } else {
          out.details = "P* not certified SPD: " + spd.verdict.reason();
        }
      }
    } else {
      out.details = "Lyapunov equation for P* not solved with verification";
    }
  } else {
    out.details = "W not certified positive stable: " + out.W_stability.verdict.reason();
  }
  if (out.blowup.status == BlowupStatus::no_blowup_on_horizon) {
    out.regime = Regime::bounded_on_horizon;
    out.verdict = out.blowup.verdict;
  } else {
    out.regime = Regime::unknown;
    out.verdict = Verdict::unknown(out.blowup.verdict.reason() + (out.details.empty() ? "" : "; " + out.details));
  }
  return out;
}

#define CERTIFORMER_GAUSSIAN_CLASSIFY(T)                                                                         \
  template HurwitzCertificate<T> certify_hurwitz<T>(const Mat<T>&);                                             \
  template std::optional<Mat<T>> enclose_lyapunov_solution<T>(const Mat<T>&, const Mat<T>&);                    \
  template EquilibriumResult<T> certify_equilibrium<T>(const ModelSpec&, const Mat<real_t<T>>&);               \
  template Classification<T> certify_regime<T>(const ModelSpec&, const GaussianSpec&, const Rational&, const BlowupOptions&);
CERTIFORMER_GAUSSIAN_CLASSIFY(Interval)
CERTIFORMER_GAUSSIAN_CLASSIFY(MpInterval)
#undef CERTIFORMER_GAUSSIAN_CLASSIFY

}  // namespace certiformer::gaussian
