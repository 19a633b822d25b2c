// Information form P = Σ⁻¹. See gaussian/information.hpp.
#include "certiformer/gaussian/information.hpp"
#include "certiformer/gaussian/ops.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace certiformer::gaussian {

namespace {
/// Steps of ‖M‖_∞ · s above this are split (keeps e^{Ms} moderate: ‖e^{Ms}‖ ≤ e^θ).
constexpr double kTheta = 2.0;
}  // namespace

template <class T>
InformationFlow<T>::InformationFlow(const ModelSpec& model_in, const GaussianSpec& initial) {
  ModelSpec model = model_in;
  model.validate();
  std::string why;
  auto info = detect_information_form(model, &why);
  if (!info) throw SpecError("model.heads", "the information form needs every V_h = v_h·I exactly (" + why + ")");
  initial.validate(model.dim, /*require_spd=*/true);
  d_ = model.dim;
  auto P0 = inverse(initial.cov);
  if (!P0) throw SpecError("initial.cov", "covariance is singular");  // unreachable after the SPD check
  P0_exact_ = *P0;
  R_exact_ = info->R;
  W_exact_ = info->W;
  P0_ = enclose_matrix<T>(P0_exact_);
  R_ = enclose_matrix<T>(R_exact_);
  W_ = enclose_matrix<T>(W_exact_);
  init_from_enclosures();
}

template <class T>
InformationFlow<T>::InformationFlow(Mat<T> P0, Mat<T> R, Mat<T> W)
    : P0_(std::move(P0)), R_(std::move(R)), W_(std::move(W)) {
  d_ = static_cast<int>(W_.rows());
  if (d_ < 1 || W_.cols() != d_ || R_.rows() != d_ || R_.cols() != d_ || P0_.rows() != d_ || P0_.cols() != d_)
    throw std::invalid_argument("InformationFlow: W, R, P0 must be square matrices of one size");
  init_from_enclosures();
}

template <class T> void InformationFlow<T>::init_from_enclosures() {
  Wt_ = W_.transpose();
  M_ = Mat<T>::Constant(2 * d_, 2 * d_, T(0));
  M_.topLeftCorner(d_, d_) = Wt_;
  M_.topRightCorner(d_, d_) = R_;
  M_.bottomRightCorner(d_, d_) = -W_;
  const Mat<T> minusW = -W_;
  mu_minus_W_ = linalg::upper_bound_lognorm_2(minusW).value();
  norm_M_ = linalg::upper_bound_norm_inf(M_).value();
}

template <class T> Mat<T> InformationFlow<T>::enclose_lyapunov_operator(const Mat<T>& x) const {
  using detail::prod;
  const Mat<T> a = prod<T>(Wt_, x);
  const Mat<T> b = prod<T>(x, W_);
  return -(a + b);
}

template <class T> Mat<T> InformationFlow<T>::enclose_derivative(const Mat<T>& x) const {
  return enclose_lyapunov_operator(x) - R_;
}

template <class T> Mat<T> InformationFlow<T>::propagate_once(const Mat<T>& x, const T& s) const {
  using detail::prod;
  if (!certainly_nonnegative(s)) throw std::invalid_argument("InformationFlow: negative time");
  Mat<T> Ms = M_;
  for (Eigen::Index j = 0; j < Ms.cols(); ++j)
    for (Eigen::Index i = 0; i < Ms.rows(); ++i) Ms(i, j) = M_(i, j) * s;
  ++expm_calls_;
  const Mat<T> E = linalg::enclose_expm(Ms);
  const Mat<T> F12 = E.topRightCorner(d_, d_);
  const Mat<T> F22 = E.bottomRightCorner(d_, d_);
  const Mat<T> inner = prod<T>(x, F22) - F12;
  const Mat<T> F22t = F22.transpose();
  return detail::symmetrize(prod<T>(F22t, inner));
}

template <class T> Mat<T> InformationFlow<T>::enclose_propagate(const Mat<T>& x, const T& s) const {
  // number of pieces n with ‖M‖ sup(s) / n ≤ θ
  const double total = approx_double(norm_M_) * approx_double(sup(s));
  long n = 1;
  if (total > kTheta) n = static_cast<long>(std::ceil(total / kTheta));
  if (n > 100000) throw std::domain_error("InformationFlow: time step too long for the verified exponential");
  if (n == 1) return propagate_once(x, s);
  // P(τ + s) = Ψ_{s/n}^n (P(τ)); each piece uses the interval s/n, which contains the true s/n.
  const T piece = s / T(n);
  Mat<T> y = x;
  for (long k = 0; k < n; ++k) y = propagate_once(y, piece);
  return y;
}

template <class T> Mat<T> InformationFlow<T>::enclose_P(const T& t) const { return enclose_propagate(P0_, t); }

template class InformationFlow<Interval>;
template class InformationFlow<MpInterval>;

}  // namespace certiformer::gaussian
