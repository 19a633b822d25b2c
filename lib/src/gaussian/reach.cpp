// Reachability certificates. See gaussian/reach.hpp.
#include "certiformer/gaussian/reach.hpp"
#include "certiformer/gaussian/ops.hpp"

namespace certiformer::gaussian {

template <class T>
ReachResult<T> certify_reach(const GaussianSpec& initial, const GaussianSpec& target, const Rational& horizon_q,
                             const Rational& delta_q, unsigned control_bits) {
  using R = real_t<T>;
  using namespace detail;
  const int d = initial.cov.rows();
  const int r0 = validated_common_rank(initial, target);
  if (horizon_q <= 0) throw SpecError("horizon", "expected a number > 0");
  if (delta_q <= 0) throw SpecError("delta", "expected a number > 0");
  if (r0 < d)
    throw SpecError("initial.cov", "singular covariances (rank " + std::to_string(r0) + " < " + std::to_string(d) +
                                       ") are not supported in this version");

  ReachResult<T> res;
  const Mat<T> S0 = enclose_matrix<T>(initial.cov), S1 = enclose_matrix<T>(target.cov);
  const Vec<T> m0 = enclose_vector<T>(initial.mean), m1 = enclose_vector<T>(target.mean);
  const T horizon = enclose<T>(horizon_q);
  const T delta = enclose<T>(delta_q);

  // ---- approximate controls, at control_bits (deterministic, independent of T) ----
  Mat<MpReal> Wc;
  Vec<MpReal> bc;
  {
    using Q = MpReal;
    MpPrecisionScope scope(control_bits);
    const Mat<MpInterval> S0q = enclose_matrix<MpInterval>(initial.cov), S1q = enclose_matrix<MpInterval>(target.cov);
    const Mat<Q> S0m = mid(S0q), S1m = mid(S1q);
    const Mat<Q> m0m = mid(Mat<MpInterval>(enclose_vector<MpInterval>(initial.mean)));
    const Mat<Q> m1m = mid(Mat<MpInterval>(enclose_vector<MpInterval>(target.mean)));
    const Q Tm = mid(enclose<MpInterval>(horizon_q));
    auto rsqrt = [](const Q& x) { return r_sqrt(x > Q(0) ? x : Q(0)); };
    const Mat<Q> S1h = approx_sym_function<Q>(S1m, rsqrt);
    const Mat<Q> Mx = S1h * S0m * S1h;
    const Mat<Q> Mxih =
        approx_sym_function<Q>(Mat<Q>((Mx + Mx.transpose()) / Q(2)), [](const Q& x) { return Q(1) / r_sqrt(x); });
    Mat<Q> G = S1h * Mxih * S1h;
    G = (G + G.transpose()) / Q(2);
    Mat<Q> W = approx_sym_function<Q>(G, [](const Q& x) { return r_log(x); }) / Tm;
    W = (W + W.transpose()) / Q(2);
    Mat<Q> N = Mat<Q>::Zero(2 * d, 2 * d);
    N.topLeftCorner(d, d) = W * Tm;
    N.topRightCorner(d, d) = Mat<Q>::Identity(d, d) * Tm;
    const Mat<Q> E = approx_expm<Q>(N);
    const Mat<Q> F11 = E.topLeftCorner(d, d), F12 = E.topRightCorner(d, d);
    const Mat<Q> rhs = m1m - F11 * m0m;
    Wc = W;
    bc = approx_solve<Q>(F12, rhs).col(0);
  }
  res.W_exact = Wc;
  res.b_exact = bc;
  res.W = Mat<T>(d, d);
  res.b = Vec<T>(d);
  for (int i = 0; i < d; ++i) {
    res.b(i) = enclose_point<T>(bc(i));
    for (int j = 0; j < d; ++j) res.W(i, j) = enclose_point<T>(Wc(i, j));
  }

  // ---- certificate: verified exponential of [[W, I], [0, 0]]·T ----
  const Mat<T>& Wt = res.W;
  Mat<T> NT = Mat<T>::Constant(2 * d, 2 * d, T(0));
  for (int i = 0; i < d; ++i) {
    for (int j = 0; j < d; ++j) NT(i, j) = Wt(i, j) * horizon;
    NT(i, d + i) = horizon;
  }
  const Mat<T> ET = linalg::enclose_expm(NT);
  const Mat<T> G11 = ET.topLeftCorner(d, d), G12 = ET.topRightCorner(d, d);
  const Mat<T> G11t = G11.transpose();
  res.cov_T = symmetrize(prod<T>(prod<T>(G11, S0), G11t));
  res.mean_T = prod<T>(G11, m0) + prod<T>(G12, res.b);
  const Mat<T> dS = res.cov_T - S1;
  const Vec<T> dm = res.mean_T - m1;
  res.cov_error = upper_bound_spectral(dS);
  res.mean_error = linalg::upper_bound_norm_2(dm).value();
  const R dlo = inf(delta), dhi = sup(delta);
  R mean_lower(0);
  for (int i = 0; i < d; ++i) mean_lower = std::max<R>(mean_lower, R(mig(dm(i))));
  if (res.cov_error <= dlo && res.mean_error <= dlo) {
    res.verdict = Verdict::proved("||Sigma(T) - Sigma1||_2 <= " + to_string(enclose_point<T>(res.cov_error), 6) +
                                  " and ||m(T) - m1||_2 <= " + to_string(enclose_point<T>(res.mean_error), 6) + " are <= delta");
  } else if (lower_bound_spectral(dS) > dhi || mean_lower > dhi) {
    res.verdict = Verdict::refuted("a terminal moment error is certainly > delta");
  } else {
    res.verdict = Verdict::unknown("terminal errors not certified <= delta (bounds " +
                                   to_string(enclose_point<T>(res.cov_error), 3) + ", " +
                                   to_string(enclose_point<T>(res.mean_error), 3) + ")");
  }
  return res;
}

template ReachResult<Interval> certify_reach<Interval>(const GaussianSpec&, const GaussianSpec&, const Rational&,
                                                       const Rational&, unsigned);
template ReachResult<MpInterval> certify_reach<MpInterval>(const GaussianSpec&, const GaussianSpec&, const Rational&,
                                                           const Rational&, unsigned);

}  // namespace certiformer::gaussian
