// Moment ODE and discrete moment map. See gaussian/moments.hpp.
#include "certiformer/gaussian/moments.hpp"
#include "certiformer/gaussian/ops.hpp"

#include <stdexcept>

namespace certiformer::gaussian {

namespace {

template <class T> void check_shapes(const Model<T>& model, const Vec<T>* m, const Mat<T>& cov) {
  const Eigen::Index d = model.dim;
  if (model.W.rows() != d || model.W.cols() != d || model.b.size() != d || model.V.size() != model.B.size())
    throw std::invalid_argument("gaussian model: inconsistent shapes");
  if (cov.rows() != d || cov.cols() != d) throw std::invalid_argument("gaussian moments: covariance is not d×d");
  if (m && m->size() != d) throw std::invalid_argument("gaussian moments: mean is not of length d");
}

template <class T> Mat<T> attention_matrix(const Model<T>& model, const Mat<T>& cov) {
  using detail::prod;
  Mat<T> A = model.W;
  for (std::size_t h = 0; h < model.V.size(); ++h) {
    Mat<T> t = prod<T>(prod<T>(model.V[h], cov), model.B[h]);
    for (Eigen::Index j = 0; j < t.cols(); ++j)
      for (Eigen::Index i = 0; i < t.rows(); ++i) A(i, j) += model.beta * t(i, j);
  }
  return A;
}

template <class T> Mat<T> sym_if_interval(const Mat<T>& a) {
  if constexpr (std::is_same_v<T, double>) return (a + a.transpose()) / 2.0;
  else return detail::symmetrize(a);
}

template <class T> Moments<T> rhs(const Model<T>& model, const Moments<T>& x) {
  using detail::prod;
  check_shapes(model, &x.mean, x.cov);
  const Mat<T> A = attention_matrix(model, x.cov);
  Mat<T> drift = A;
  for (const auto& V : model.V) drift += V;
  Moments<T> r;
  r.mean = prod<T>(drift, x.mean) + model.b;
  const Mat<T> AS = prod<T>(A, x.cov);
  r.cov = sym_if_interval<T>(Mat<T>(AS + AS.transpose()));
  return r;
}

template <class T> Moments<T> layer(const Model<T>& model, const Moments<T>& x, const T& eps) {
  using detail::prod;
  check_shapes(model, &x.mean, x.cov);
  const Eigen::Index d = model.dim;
  const Mat<T> A = attention_matrix(model, x.cov);
  Mat<T> drift = A;
  for (const auto& V : model.V) drift += V;
  Moments<T> r;
  Vec<T> v = prod<T>(drift, x.mean) + model.b;
  r.mean = x.mean;
  for (Eigen::Index i = 0; i < d; ++i) r.mean(i) += eps * v(i);
  Mat<T> F = Mat<T>::Identity(d, d);
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < d; ++i) F(i, j) += eps * A(i, j);
  Mat<T> FS = prod<T>(F, x.cov);
  Mat<T> Ft = F.transpose();
  r.cov = sym_if_interval<T>(prod<T>(FS, Ft));
  return r;
}

}  // namespace

template <class T> Mat<T> enclose_attention_matrix(const Model<T>& model, const Mat<T>& cov) {
  check_shapes(model, static_cast<const Vec<T>*>(nullptr), cov);
  return attention_matrix(model, cov);
}

template <class T> Moments<T> enclose_moment_rhs(const Model<T>& model, const Moments<T>& x) { return rhs(model, x); }

template <class T> Moments<T> enclose_moment_layer(const Model<T>& model, const Moments<T>& x, const T& eps) {
  return layer(model, x, eps);
}

template <class T>
std::vector<Moments<T>> enclose_moment_map(const Model<T>& model, const Moments<T>& initial, const T& horizon, int L) {
  if (L < 1) throw std::invalid_argument("enclose_moment_map: L must be ≥ 1");
  const T eps = horizon / T(L);
  std::vector<Moments<T>> out;
  out.reserve(static_cast<std::size_t>(L) + 1);
  out.push_back(initial);
  for (int k = 0; k < L; ++k) out.push_back(layer(model, out.back(), eps));
  return out;
}

Moments<double> approx_moment_rhs(const Model<double>& model, const Moments<double>& x) { return rhs(model, x); }
Moments<double> approx_moment_layer(const Model<double>& model, const Moments<double>& x, double eps) {
  return layer(model, x, eps);
}
Moments<double> approx_moment_rk4(const Model<double>& model, const Moments<double>& x0, double horizon, int steps) {
  const double h = horizon / steps;
  Moments<double> x = x0;
  auto axpy = [](const Moments<double>& a, double s, const Moments<double>& b) {
    return Moments<double>{a.mean + s * b.mean, a.cov + s * b.cov};
  };
  for (int k = 0; k < steps; ++k) {
    const auto k1 = rhs(model, x);
    const auto k2 = rhs(model, axpy(x, h / 2, k1));
    const auto k3 = rhs(model, axpy(x, h / 2, k2));
    const auto k4 = rhs(model, axpy(x, h, k3));
    x.mean += (h / 6) * (k1.mean + 2.0 * k2.mean + 2.0 * k3.mean + k4.mean);
    x.cov += (h / 6) * (k1.cov + 2.0 * k2.cov + 2.0 * k3.cov + k4.cov);
  }
  return x;
}

#define CERTIFORMER_GAUSSIAN_MOMENTS(T)                                                                    \
  template Mat<T> enclose_attention_matrix<T>(const Model<T>&, const Mat<T>&);                            \
  template Moments<T> enclose_moment_rhs<T>(const Model<T>&, const Moments<T>&);                          \
  template Moments<T> enclose_moment_layer<T>(const Model<T>&, const Moments<T>&, const T&);              \
  template std::vector<Moments<T>> enclose_moment_map<T>(const Model<T>&, const Moments<T>&, const T&, int);
CERTIFORMER_GAUSSIAN_MOMENTS(Interval)
CERTIFORMER_GAUSSIAN_MOMENTS(MpInterval)
#undef CERTIFORMER_GAUSSIAN_MOMENTS

}  // namespace certiformer::gaussian
