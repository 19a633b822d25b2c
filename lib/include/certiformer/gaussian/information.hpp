#pragma once
/// certiformer/gaussian/information.hpp — the information form P = Σ⁻¹ and its enclosure.
///
/// When every head has V_h = v_h I (decided exactly, `detect_information_form`), P := Σ⁻¹ solves
/// the linear ODE (docs/mathematics.md §3)
///     P' = L(P) − R,   L(X) := −(Wᵀ X + X W),   R := 2β Σ_h v_h S_h,  S_h = (B_h + B_hᵀ)/2.
/// Its solution from P(τ) is
///     P(τ + s) = e^{−Wᵀs} P(τ) e^{−Ws} − ∫_0^s e^{−Wᵀu} R e^{−Wu} du.
/// Block identity used (Van Loan): with the 2d×2d matrix
///     M := [[Wᵀ, R], [0, −W]],   e^{Ms} = [[e^{Wᵀs}, F12(s)], [0, F22(s)]],
/// F22(s) = e^{−Ws} and F12(s) = ∫_0^s e^{Wᵀ(s−u)} R e^{−Wu} du (both by differentiating the
/// block product: F12' = Wᵀ F12 + R F22, F12(0) = 0). Hence
///     F22ᵀ F12 = ∫_0^s e^{−Wᵀu} R e^{−Wu} du,   and
///     P(τ + s) = F22(s)ᵀ ( P(τ) F22(s) − F12(s) ).                                   (★)
/// (★) is what `enclose_propagate` evaluates, with a verified exponential of M·s. For a long s
/// the step is split into n equal pieces with n·‖M‖_∞... ≤ θ so that the interval products of
/// huge and tiny blocks (e^{Wᵀs} grows while e^{−Ws} decays) do not lose the enclosure.
///
/// Exactness: P0 = Σ0⁻¹ and R are computed exactly in rationals, then enclosed once.

#include "certiformer/gaussian/model.hpp"

namespace certiformer::gaussian {

template <class T> class InformationFlow {
 public:
  /// Builds the flow from exact data.
  /// Checks: the model validates; the information form holds (exactly); Σ0 is exactly
  ///   symmetric positive definite. Failure: SpecError naming the field.
  InformationFlow(const ModelSpec& model, const GaussianSpec& initial);
  /// Builds the flow of a parameter box from enclosures: every member (W, R, P0) of the box has
  /// W ∈ W, R ∈ R (symmetric), P0 = Σ0⁻¹ ∈ P0 (symmetric). Every enclosure below then holds for
  /// every member. exact_P0 / exact_R / exact_W are empty (0×0).
  /// Checks: W, R, P0 square of one size. Failure: std::invalid_argument.
  InformationFlow(Mat<T> P0, Mat<T> R, Mat<T> W);

  int dim() const noexcept { return d_; }
  const Mat<T>& P0() const noexcept { return P0_; }
  const Mat<T>& R() const noexcept { return R_; }
  const Mat<T>& W() const noexcept { return W_; }
  const RMatrix& exact_P0() const noexcept { return P0_exact_; }
  const RMatrix& exact_R() const noexcept { return R_exact_; }
  const RMatrix& exact_W() const noexcept { return W_exact_; }

  /// Encloses: L(X) = −(WᵀX + XW) for every X in the enclosure x.
  /// Assumes: nothing. Checks: nothing (x is d×d by construction of the caller).
  /// Failure: none. Method: mid-rad interval products with the enclosed W.
  Mat<T> enclose_lyapunov_operator(const Mat<T>& x) const;
  /// Encloses: P' = L(X) − R for every X in x.
  /// Assumes: nothing. Checks: nothing. Failure: none. Method: enclose_lyapunov_operator(x) − R.
  Mat<T> enclose_derivative(const Mat<T>& x) const;
  /// Encloses: P(τ + s) for every P(τ) in x (symmetric) and every s in the interval s (s ≥ 0),
  ///   by (★) with a verified exponential. Result symmetrised.
  /// Assumes: x encloses a symmetric matrix (the symmetrisation relies on it); s ≥ 0.
  /// Checks: at most 100 000 pieces of s (‖M‖_∞·s/n ≤ θ).
  /// Failure: std::domain_error if the exponential cannot be enclosed (overflow) or s is too long.
  /// Method: (★) with the verified exponential of M·(s/n), applied n times.
  Mat<T> enclose_propagate(const Mat<T>& x, const T& s) const;
  /// Encloses: P(t) for every t in the interval t (t ≥ 0): enclose_propagate(P0, t).
  /// Assumes: t ≥ 0. Checks: as enclose_propagate. Failure: as enclose_propagate.
  /// Method: enclose_propagate(P0, t).
  Mat<T> enclose_P(const T& t) const;
  /// Encloses (upper bound): μ₂(−W) = λ_max(−(W + Wᵀ)/2) ≤ result, the logarithmic 2-norm of −W.
  /// Assumes: nothing. Checks: nothing. Failure: none (computed once in the constructor).
  /// Method: linalg linalg::upper_bound_lognorm_2(−W).
  real_t<T> upper_bound_lognorm_minus_W() const { return mu_minus_W_; }
  /// Encloses (upper bound): ‖M‖_∞ ≤ result (used to split long steps).
  /// Assumes: nothing. Checks: nothing. Failure: none (computed once in the constructor).
  /// Method: linalg linalg::upper_bound_norm_inf(M).
  real_t<T> upper_bound_norm_M() const { return norm_M_; }
  /// Number of verified exponentials computed so far (for benchmarks).
  long expm_calls() const noexcept { return expm_calls_; }

 private:
  Mat<T> propagate_once(const Mat<T>& x, const T& s) const;
  void init_from_enclosures();
  int d_ = 0;
  RMatrix P0_exact_, R_exact_, W_exact_;
  Mat<T> P0_, R_, W_, Wt_, M_;
  real_t<T> mu_minus_W_, norm_M_;
  mutable long expm_calls_ = 0;
};

}  // namespace certiformer::gaussian
