#pragma once
/// certiformer/euler/uniform_risk.hpp — a risk bound uniform over a parameter box Θ by covering
/// numbers (metric entropy; paper P2's uniform estimates). Formulas: docs/euler.md §11.
///
/// Setting: a per-sample loss J(θ; s) ∈ [0, B] (s a sample: initial tokens and labels; J the
/// read-out risk of the depth-L network, euler/readout.hpp), Θ = ∏_j [a_j, b_j] a box of P
/// parameter coordinates (the other parameters fixed), and Λ ≥ sup_{θ∈Θ, s} Σ_j |∂J/∂θ_j(θ; s)|
/// — a Lipschitz constant of θ ↦ J(θ; s) in the ℓ∞ norm of the box coordinates (mean value
/// theorem on the convex box). With the ℓ∞ covering number at radius r > 0,
///     N(Θ, r) ≤ ∏_j m_j(r),   m_j(r) = max(1, ⌈w_j/(2r)⌉),   w_j = b_j − a_j
/// (the centres of the grid of m_j equal cells per coordinate), Hoeffding's inequality at the
/// ∏ m_j centres with a union bound gives: with probability ≥ 1 − δ over N i.i.d. samples,
/// simultaneously for every θ ∈ Θ,
///     |R̂_N(θ) − R(θ)| ≤ B √(log(2 N(Θ, r)/δ)/(2N)) + 2Λr,
/// R̂_N the empirical and R the population risk (each within Λr of its value at the centre
/// nearest to θ). r must not depend on the samples: it is chosen here from B, Λ, N, δ and the
/// widths only.

#include "certiformer/core.hpp"
#include "certiformer/euler/adjoint.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer::euler {

namespace detail {
/// Upper bound (a double, rounded up) of the width sup x − inf x of one box coordinate.
template <class T> double upper_bound_coordinate_width(const T& x) {
  const real_t<T> w = sup(enclose_point<T>(sup(x)) - enclose_point<T>(inf(x)));
  return sup(enclose_point<Interval>(w));  // MpReal → double, rounded up (a double: itself)
}
inline void check_radius(double r, const char* who) {
  if (!(r > 0) || !std::isfinite(r)) throw std::invalid_argument(std::string(who) + ": the covering radius r must be > 0 and finite");
}
}  // namespace detail

/// The per-coordinate grid sizes of an ℓ∞ r-cover of the box: m_j ≥ max(1, ⌈w_j/(2r)⌉), w_j the
/// width of box[j] (m_j cells of width w_j/m_j ≤ 2r; their centres are within r of every point
/// of the coordinate's interval in that coordinate), so N(Θ, r) ≤ ∏_j m_j.
/// Encloses (upper bound): each m_j ≥ max(1, ⌈(b_j − a_j)/(2r)⌉) for the real interval
///   [a_j, b_j] ⊆ box[j] (an integer-valued double; a larger m_j still gives a cover).
/// Assumes: nothing. Checks: r > 0 and finite (std::invalid_argument).
/// Failure: std::invalid_argument when r is not > 0 and finite.
/// Method: w_j rounded up (an upper bound of the width of the enclosure, hence of [a_j, b_j]),
///   w_j/(2r) in interval arithmetic, its upper end rounded up to a double, then ⌈·⌉ (exact in
///   binary64).
template <class T> std::vector<double> covering_grid_sizes(const std::vector<T>& box, double r) {
  detail::check_radius(r, "covering_grid_sizes");
  std::vector<double> m;
  m.reserve(box.size());
  const T two_r = T(2) * exact_point<T>(r);
  for (const T& x : box) {
    const double w = detail::upper_bound_coordinate_width<T>(x);
    const double u = sup(enclose_point<Interval>(sup(enclose_point<T>(w) / two_r)));
    m.push_back(std::max(1.0, std::ceil(u)));
  }
  return m;
}

/// Upper bound of log N(Θ, r), the log of the ℓ∞ covering number of the box at radius r.
/// Encloses (upper bound): log N(Θ, r) ≤ Σ_j log m_j ≤ result, m_j = covering_grid_sizes(box, r).
/// Assumes: nothing. Checks: r > 0 and finite. Failure: std::invalid_argument.
/// Method: the sum of the rigorous interval logarithms of the integers m_j, upper end.
template <class T> real_t<T> upper_bound_log_covering_number(const std::vector<T>& box, double r) {
  T acc(0);
  for (double m : covering_grid_sizes<T>(box, r)) acc += log(exact_point<T>(m));
  return sup(acc);
}

/// Upper bound of the uniform deviation at one covering radius r:
///     dev(r) = B √((log(2/δ) + log N(Θ, r))/(2N)) + 2Λr.
/// Encloses (upper bound): dev(r) ≤ result for every δ in `delta` (log N(Θ, r) by
///   upper_bound_log_covering_number). With probability ≥ 1 − δ, |R̂_N(θ) − R(θ)| ≤ dev(r) for
///   every θ ∈ Θ simultaneously, under the hypotheses below.
/// Assumes (statistical, not checkable here): the N samples are i.i.d.; for every sample s of the
///   population, J(θ; s) ∈ [a, a + B] for every θ ∈ Θ (a fixed a) and Σ_j |∂J/∂θ_j(θ; s)| ≤ Λ on Θ
///   (θ ↦ J(θ; s) C¹ on a neighbourhood of the box); r chosen independently of the samples.
/// Checks: N ≥ 1, 0 < δ < 1, B ≥ 0, Λ ≥ 0, r > 0 finite, a non-empty box (std::invalid_argument).
/// Failure: std::invalid_argument when a check fails; +∞ when B or Λ is +∞.
/// Method: interval evaluation of the formula with the upper bound of log N, upper end.
template <class T>
real_t<T> upper_bound_uniform_deviation(const real_t<T>& B, long long N, const T& delta, const real_t<T>& Lambda,
                                        const std::vector<T>& box, double r) {
  if (N < 1 || !certainly_positive(delta) || !certainly_less(delta, T(1)) || B < real_t<T>(0) || Lambda < real_t<T>(0))
    throw std::invalid_argument("upper_bound_uniform_deviation: need N ≥ 1, 0 < δ < 1, B ≥ 0, Λ ≥ 0");
  if (box.empty()) throw std::invalid_argument("upper_bound_uniform_deviation: no parameter box (no interval coordinate)");
  detail::check_radius(r, "upper_bound_uniform_deviation");
  const T logN = enclose_point<T>(upper_bound_log_covering_number<T>(box, r));
  const T arg = (log(T(2) / delta) + logN) / (T(2) * T(N));
  return sup(enclose_point<T>(B) * sqrt(arg) + T(2) * enclose_point<T>(Lambda) * exact_point<T>(r));
}

/// The uniform risk bound minimised over the covering radius.
template <class T>
struct UniformRiskBound {
  real_t<T> bound = std::numeric_limits<double>::infinity();  ///< ≥ dev(radius) (upper_bound_uniform_deviation)
  double radius = 0;                   ///< the covering radius r chosen (exact binary64)
  real_t<T> log_covering_number = 0;   ///< ≥ log N(Θ, radius)
  std::size_t candidates = 0;          ///< radii certified (the minimum of their bounds is `bound`)
};

/// Encloses (upper bound): min over candidate radii r of upper_bound_uniform_deviation(B, N, δ,
///   Λ, box, r): with probability ≥ 1 − δ, |R̂_N(θ) − R(θ)| ≤ bound for every θ ∈ Θ
///   simultaneously (the hypotheses of upper_bound_uniform_deviation). Each candidate's bound is
///   certified; the choice of r is not (any r is valid, a poor one is only looser), and it
///   depends only on B, Λ, N, δ and the widths — never on the samples.
/// Assumes: the hypotheses of upper_bound_uniform_deviation (i.i.d. samples, 0 ≤ loss ≤ B, Λ a
///   Lipschitz constant over the box for every sample).
/// Checks: a non-empty box (std::invalid_argument); the rest as upper_bound_uniform_deviation,
///   which is called per candidate radius.
/// Failure: std::invalid_argument when a check fails; bound = +∞ when B or Λ is +∞.
/// Method: dev is minimal at some r = w_j/(2m) (between such breakpoints the counts m_j are
///   constant and 2Λr grows); in binary64 (approximate), r_k = (max_j w_j/2)·2^{−k/8},
///   k = 0…512, each snapped down to max_j w_j/(2 m_j(r_k))·(1 + 2⁻⁴⁰) (the smallest radius
///   with the same counts); the 4 best approximate values are certified in T and the smallest
///   certified bound is returned. k = 0 is r = max_j w_j/2 (N(Θ, r) = 1: the single-model
///   Hoeffding number plus Λ·max_j w_j).
template <class T>
UniformRiskBound<T> upper_bound_uniform_risk(const real_t<T>& B, long long N, const T& delta, const real_t<T>& Lambda,
                                             const std::vector<T>& box) {
  if (box.empty()) throw std::invalid_argument("upper_bound_uniform_risk: no parameter box (no interval coordinate)");
  std::vector<double> w;
  double wmax = 0;
  for (const T& x : box) {
    w.push_back(detail::upper_bound_coordinate_width<T>(x));
    wmax = std::max(wmax, w.back());
  }
  const double Bd = approx_double(B), Ld = approx_double(Lambda), dd = approx_double(mid(delta));
  const double base = std::log(2.0 / dd);
  auto approx_dev = [&](double r) {
    double logN = 0;
    for (double wj : w) logN += std::log(std::max(1.0, std::ceil(wj / (2 * r))));
    return Bd * std::sqrt((base + logN) / (2.0 * static_cast<double>(N))) + 2 * Ld * r;
  };
  std::vector<std::pair<double, double>> cand;  // (approximate dev, r)
  if (wmax > 0 && std::isfinite(wmax) && std::isfinite(Bd) && std::isfinite(Ld)) {
    for (int k = 0; k <= 512; ++k) {
      const double rk = wmax / 2 * std::exp2(-k / 8.0);
      double snap = 0;
      for (double wj : w) snap = std::max(snap, wj / (2 * std::max(1.0, std::ceil(wj / (2 * rk)))));
      const double r = snap * (1 + 0x1p-40);
      if (!(r > 0) || !std::isfinite(r)) continue;
      cand.emplace_back(approx_dev(r), r);
    }
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end(), [](const auto& a, const auto& b) { return a.second == b.second; }),
               cand.end());
  }
  if (cand.empty()) cand.emplace_back(0.0, wmax > 0 && std::isfinite(wmax) ? wmax / 2 * (1 + 0x1p-40) : 1.0);
  UniformRiskBound<T> out;
  for (std::size_t i = 0; i < cand.size() && i < 4; ++i) {
    const double r = cand[i].second;
    const real_t<T> b = upper_bound_uniform_deviation<T>(B, N, delta, Lambda, box, r);
    ++out.candidates;
    if (out.candidates == 1 || b < out.bound) {
      out.bound = b;
      out.radius = r;
      out.log_covering_number = upper_bound_log_covering_number<T>(box, r);
    }
  }
  return out;
}

/// Upper bound Λ of the Lipschitz constant of θ ↦ J(θ) in the ℓ∞ norm of the named coordinates,
/// from a gradient enclosure over the box: Λ = Σ_{j named} mag(gradient_j).
/// Encloses (upper bound): for every θ, θ' in the box that differ only in the named coordinates,
///   |J(θ) − J(θ')| ≤ Λ·max_j |θ_j − θ'_j| — when `g` encloses ∇_θ J(ξ) for every ξ in the box
///   (enclose_loss_gradient evaluated with the box's intervals as the parameters: the
///   inclusion principle), by the mean value theorem on the segment [θ, θ'] ⊂ box (convex):
///   J(θ) − J(θ') = ∇J(ξ)·(θ − θ'), |·| ≤ Σ_j |∂_jJ(ξ)|·|θ_j − θ'_j|.
///   Per sample: it bounds the Lipschitz constant for every initial token configuration and
///   parameter that the gradient enclosure covers (its X0 box), with its labels.
/// Assumes: `g` is a gradient enclosure over the box (not checkable from `g` alone).
/// Checks: g.verdict proved; every name is one of g.names (std::invalid_argument).
/// Failure: std::invalid_argument when a check fails (a name not in the gradient — a typo, or a
///   parameter the gradient does not list — is never taken as 0).
/// Method: the sum of the magnitudes in interval arithmetic, upper end.
template <class T>
real_t<T> upper_bound_parameter_lipschitz(const GradientEnclosure<T>& g, const std::vector<std::string>& names) {
  if (!g.verdict.is_proved())
    throw std::invalid_argument("upper_bound_parameter_lipschitz: the gradient was not enclosed (" + g.verdict.reason() + ")");
  T acc(0);
  for (const auto& nm : names) {
    const auto it = std::find(g.names.begin(), g.names.end(), nm);
    if (it == g.names.end()) throw std::invalid_argument("upper_bound_parameter_lipschitz: no parameter " + nm + " in the gradient");
    acc += enclose_point<T>(mag(g.gradient(it - g.names.begin())));
  }
  return sup(acc);
}

/// Λ and the loss range over a parameter box, from gradient enclosures on a grid of sub-boxes.
template <class T>
struct BoxLipschitz {
  Verdict verdict = Verdict::unknown("not run");  ///< proved iff every sub-box gradient was enclosed
  real_t<T> lipschitz = std::numeric_limits<double>::infinity();  ///< Λ ≥ sup Σ_{j named} |∂J/∂θ_j|
  real_t<T> loss_lo = 0;  ///< ≤ inf J over the box (and ≥ 0: J ≥ 0)
  real_t<T> loss_hi = std::numeric_limits<double>::infinity();  ///< ≥ sup J over the box
  std::size_t pieces = 0;  ///< sub-boxes (splits^P)
  double seconds = 0;
};

/// Encloses (upper bounds): for every θ in the box (the named coordinates ranging over the
///   intervals they hold in f's control, the other parameters as given) and every x0 ∈ X0, with
///   the read-out's labels, J(θ; x0) ∈ [loss_lo, loss_hi] and Σ_{j named} |∂J/∂θ_j(θ; x0)| ≤
///   lipschitz — so |J(θ; x0) − J(θ'; x0)| ≤ lipschitz·max_j |θ_j − θ'_j| for θ, θ' in the box
///   (mean value theorem on the segment, which stays in the convex box; ∇J at every point of it
///   lies in the gradient enclosure of some sub-box). J is the read-out risk of the depth-L
///   network (enclose_loss_gradient).
/// Assumes: as enclose_loss_gradient (any control kind, sphere model, static features: the
///   sub-box fields keep f's control kind, breakpoints, basis, sphere flag and features).
/// Checks: names are gradient parameter names ("layers[i]." prefixed for a piecewise or smooth control),
///   no name twice, splits ≥ 1, splits^P ≤ 65536 (std::invalid_argument).
/// Failure: verdict unknown with the reason when a sub-box gradient is not enclosed (the bounds
///   are then +∞ / 0 and claim nothing).
/// Method: every named coordinate [lo, hi] is cut into `splits` pieces [a_k, a_{k+1}], a_k ⊇
///   lo + (hi − lo)·k/splits in interval arithmetic (a_0 = lo, a_splits = hi), each piece the
///   hull of its two end enclosures (consecutive pieces overlap, so they cover [lo, hi]); for
///   each of the splits^P sub-boxes enclose_loss_gradient with the sub-box's intervals as the
///   parameters (inclusion principle: it encloses ∇J(θ; x0) for every θ in the sub-box);
///   lipschitz = max over sub-boxes of Σ_j mag(∂J/∂θ_j) rounded up; [loss_lo, loss_hi] the hull
///   of the loss enclosures, loss_lo ≥ 0. splits = 1 is the plain interval gradient on the box.
///   `on_piece(done, total)` (optional) is called after each sub-box (progress; it may throw to
///   stop, e.g. a time budget — nothing is returned then).
template <class T>
BoxLipschitz<T> upper_bound_box_lipschitz(const transformer::TransformerField<T>& f, const Vec<T>& X0,
                                          const transformer::Readout<T>& ro, const T& horizon, std::size_t L,
                                          const std::vector<std::string>& names, unsigned splits,
                                          ode::Wrapping wrapping = ode::Wrapping::qr,
                                          const std::function<void(std::size_t, std::size_t)>& on_piece = {}) {
  using namespace transformer;
  const auto clock0 = std::chrono::steady_clock::now();
  if (splits < 1) throw std::invalid_argument("upper_bound_box_lipschitz: splits must be ≥ 1");
  // per-layer names "layers[i].<name>" for piecewise and smooth controls (enclose_loss_gradient's)
  const bool per_layer = f.control().kind != Control<T>::constant_kind;
  // each name → (layer index, position in the layer's parameter visiting order)
  std::vector<std::pair<std::size_t, std::size_t>> where;
  const std::vector<std::string> layer_names = detail::layer_parameters<T>(f.control().layers[0]).first;
  for (std::size_t j = 0; j < names.size(); ++j) {
    std::string nm = names[j];
    std::size_t layer = 0;
    if (per_layer) {
      const auto close = nm.find("].");
      if (nm.rfind("layers[", 0) != 0 || close == std::string::npos)
        throw std::invalid_argument("upper_bound_box_lipschitz: a per-layer parameter name is layers[i].<name>: " + nm);
      layer = static_cast<std::size_t>(std::stoul(nm.substr(7, close - 7)));
      if (layer >= f.control().layers.size()) throw std::invalid_argument("upper_bound_box_lipschitz: no layer in " + nm);
      nm = nm.substr(close + 2);
    }
    const auto it = std::find(layer_names.begin(), layer_names.end(), nm);
    if (it == layer_names.end()) throw std::invalid_argument("upper_bound_box_lipschitz: no parameter " + names[j]);
    where.emplace_back(layer, static_cast<std::size_t>(it - layer_names.begin()));
    for (std::size_t i = 0; i < j; ++i)
      if (where[i] == where[j]) throw std::invalid_argument("upper_bound_box_lipschitz: parameter named twice: " + names[j]);
  }
  const std::size_t P = names.size();
  std::size_t pieces = 1;
  for (std::size_t j = 0; j < P; ++j) {
    pieces *= splits;
    if (pieces > 65536) throw std::invalid_argument("upper_bound_box_lipschitz: splits^P > 65536 sub-boxes");
  }
  // the pieces of every named coordinate
  std::vector<std::vector<T>> cuts(P);
  for (std::size_t j = 0; j < P; ++j) {
    std::vector<T> vals = detail::layer_parameters<T>(f.control().layers[where[j].first]).second;
    const T c = vals[where[j].second];
    const T lo = enclose_point<T>(inf(c)), hi = enclose_point<T>(sup(c));
    std::vector<T> a(splits + 1);
    a[0] = lo;
    a[splits] = hi;
    for (unsigned k = 1; k < splits; ++k) a[k] = lo + (hi - lo) * T(static_cast<long long>(k)) / T(static_cast<long long>(splits));
    for (unsigned k = 0; k < splits; ++k) cuts[j].push_back(convex_hull(a[k], a[k + 1]));
  }
  BoxLipschitz<T> out;
  out.pieces = pieces;
  auto finish = [&](Verdict v) {
    out.verdict = std::move(v);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock0).count();
    return out;
  };
  real_t<T> lam = 0, lo = std::numeric_limits<double>::infinity(), hi = 0;
  std::vector<std::size_t> idx(P, 0);
  for (std::size_t q = 0; q < pieces; ++q) {
    std::size_t rest = q;
    for (std::size_t j = 0; j < P; ++j) {
      idx[j] = rest % splits;
      rest /= splits;
    }
    std::vector<Layer<T>> layers = f.control().layers;
    for (std::size_t li = 0; li < layers.size(); ++li) {
      std::size_t pos = 0;
      detail::visit_layer_parameters<T>(layers[li], [&](T& v, const std::string&) {
        for (std::size_t j = 0; j < P; ++j)
          if (where[j].first == li && where[j].second == pos) v = cuts[j][idx[j]];
        ++pos;
      });
    }
    Control<T> ctl = f.control();  // same kind, breakpoints and basis; the sub-box's layers
    ctl.layers = std::move(layers);
    const TransformerField<T> fs(f.tokens(), f.token_dimension(), std::move(ctl), f.sphere(), f.features());
    const GradientEnclosure<T> g = enclose_loss_gradient<T>(fs, X0, ro, horizon, L, wrapping);
    if (!g.verdict.is_proved()) return finish(Verdict::unknown("sub-box " + std::to_string(q) + ": " + g.verdict.reason()));
    lam = std::max(lam, upper_bound_parameter_lipschitz<T>(g, names));
    lo = std::min(lo, inf(g.loss));
    hi = std::max(hi, sup(g.loss));
    if (on_piece) on_piece(q + 1, pieces);
  }
  out.lipschitz = lam;
  out.loss_lo = std::max(lo, real_t<T>(0));
  out.loss_hi = hi;
  return finish(Verdict::proved("interval gradients on " + std::to_string(pieces) + " sub-boxes"));
}

}  // namespace certiformer::euler
