#pragma once
/// certiformer/gaussian/model.hpp — exact model data of the Gaussian (P3) module.
///
/// Model data enter as *exact* rationals (decimal / rational / hex-float text, see core/exact.hpp),
/// so that structural questions — is V_h a multiple of I, is Σ0 symmetric, positive definite,
/// what is its rank — are decided exactly, never on rounded numbers. Enclosures in a scalar
/// type T (Interval, MpInterval) are made from the rationals at the point of use.
///
/// Model (docs/mathematics.md §3): tokens in R^d, H heads with value matrices V_h and bilinear forms
/// B_h = K_hᵀ Q_h, inverse temperature β, affine FFN x ↦ W x + b. A Gaussian N(m, Σ) is moved by
///     A(Σ) = β Σ_h V_h Σ B_h + W,
///     m' = (Σ_h V_h + A(Σ)) m + b,    Σ' = A(Σ) Σ + Σ A(Σ)ᵀ.

#include "certiformer/core.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace certiformer::gaussian {

/// Misuse of the API or a bad model (dimension mismatch, non-symmetric covariance, …).
/// `field()` names the offending input ("initial.cov", "model.heads[1].V", …) so a config layer
/// can map it to a JSON path.
class SpecError : public std::invalid_argument {
 public:
  SpecError(std::string field, const std::string& what)
      : std::invalid_argument(field + ": " + what), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

/// Dense matrix of exact rationals (row-major). Vectors are n×1 matrices.
class RMatrix {
 public:
  RMatrix() = default;
  /// rows × cols zeros. Throws std::invalid_argument for negative sizes.
  RMatrix(int rows, int cols);
  static RMatrix identity(int n);
  /// From text rows, each entry decimal / rational / hex-float text (exact). Throws SpecError
  /// naming `field[i][j]` for bad text, and `field` for ragged rows.
  static RMatrix from_text(const std::vector<std::vector<std::string>>& rows, const std::string& field = "matrix");
  /// Column vector from text entries.
  static RMatrix column_from_text(const std::vector<std::string>& entries, const std::string& field = "vector");

  int rows() const noexcept { return rows_; }
  int cols() const noexcept { return cols_; }
  Rational& operator()(int i, int j) { return a_[static_cast<std::size_t>(i) * cols_ + j]; }
  const Rational& operator()(int i, int j) const { return a_[static_cast<std::size_t>(i) * cols_ + j]; }
  bool is_square() const noexcept { return rows_ == cols_; }
  bool is_zero() const;
  RMatrix transpose() const;

  friend RMatrix operator+(const RMatrix& a, const RMatrix& b);
  friend RMatrix operator-(const RMatrix& a, const RMatrix& b);
  friend RMatrix operator*(const RMatrix& a, const RMatrix& b);
  friend RMatrix operator*(const Rational& s, const RMatrix& a);
  friend bool operator==(const RMatrix& a, const RMatrix& b);

 private:
  int rows_ = 0, cols_ = 0;
  std::vector<Rational> a_;
};

/// Exact structural predicates.
bool is_symmetric(const RMatrix& a);
/// Rank by exact Gaussian elimination.
int rank(const RMatrix& a);
/// Exact: a is symmetric and every pivot of the symmetric elimination (LDLᵀ without pivoting)
/// is > 0, i.e. a is positive definite (Sylvester). Non-square → false.
bool is_positive_definite(const RMatrix& a);
/// Exact: symmetric and positive semi-definite (symmetric elimination with diagonal pivoting;
/// a remaining all-zero diagonal forces a zero block).
bool is_positive_semidefinite(const RMatrix& a);
/// Exact inverse, or nothing when singular. Throws std::invalid_argument if not square.
std::optional<RMatrix> inverse(const RMatrix& a);

/// Enclosure of an exact matrix: each entry enclosed at the current precision.
/// Encloses: every exact rational entry a(i, j) (outward rounded, tight).
/// Assumes: nothing. Checks: nothing. Failure: none.
/// Method: core enclose<T> of each rational.
template <class T> Mat<T> enclose_matrix(const RMatrix& a) {
  Mat<T> r(a.rows(), a.cols());
  for (int i = 0; i < a.rows(); ++i)
    for (int j = 0; j < a.cols(); ++j) r(i, j) = enclose<T>(a(i, j));
  return r;
}
/// Encloses: every exact rational entry of the column a (outward rounded, tight).
/// Assumes: nothing. Checks: a has one column.
/// Failure: std::invalid_argument when it does not. Method: core enclose<T> of each rational.
template <class T> Vec<T> enclose_vector(const RMatrix& a) {
  if (a.cols() != 1) throw std::invalid_argument("enclose_vector: not a column");
  Vec<T> r(a.rows());
  for (int i = 0; i < a.rows(); ++i) r(i) = enclose<T>(a(i, 0));
  return r;
}

/// One attention head: value matrix V (d×d) and B = KᵀQ (d×d).
struct HeadSpec {
  RMatrix V;
  RMatrix B;
};
/// Head from V, Q, K (Q, K of size d_k × d): B = KᵀQ computed exactly.
HeadSpec head_from_qk(RMatrix V, const RMatrix& Q, const RMatrix& K, const std::string& field = "head");

/// Exact model data. `W` defaults to 0, `b` to 0 when left empty (0×0) — see `normalized()`.
struct ModelSpec {
  int dim = 0;
  Rational beta = 1;
  RMatrix W;                    ///< d×d, or empty for 0
  RMatrix b;                    ///< d×1, or empty for 0
  std::vector<HeadSpec> heads;  ///< H ≥ 0 heads

  /// Checks shapes (dim ≥ 1, every matrix d×d, b d×1) and fills empty W / b with zeros.
  /// Throws SpecError naming the field ("model.W", "model.heads[0].B", …).
  void validate();
};

/// Exact Gaussian N(mean, cov).
struct GaussianSpec {
  RMatrix mean;  ///< d×1
  RMatrix cov;   ///< d×d symmetric (positive semi-definite)

  /// Checks: shapes match `dim`; cov exactly symmetric and positive semi-definite; if
  /// `require_spd`, exactly positive definite. Throws SpecError naming `field + ".mean"` / `field + ".cov"`.
  void validate(int dim, bool require_spd, const std::string& field = "initial") const;
};

/// The data of a reachability problem N(m0, Σ0) → N(m1, Σ1): both validated (square, symmetric,
/// positive semi-definite covariances of one dimension d) and their common rank returned.
/// Checks: as GaussianSpec::validate; rank Σ0 = rank Σ1 (exact elimination).
/// Failure: SpecError naming "initial.cov" / "target.cov" (a rank mismatch cites the invariance
///   of rank Σ under the flow Σ = ΦΣ0Φᵀ: such a target is not reachable).
int validated_common_rank(const GaussianSpec& initial, const GaussianSpec& target);

/// Information form (docs/mathematics.md §3): every head has V_h = v_h I exactly. Then P = Σ⁻¹ solves
///     P' = −(Wᵀ P + P W) − R,   R := 2β Σ_h v_h S_h,  S_h = (B_h + B_hᵀ)/2.
struct InformationData {
  std::vector<Rational> v;  ///< v_h
  RMatrix R;                ///< 2β Σ_h v_h S_h (exact, symmetric)
  RMatrix W;                ///< the FFN matrix
};
/// Decided exactly on the rationals: returns the data iff every V_h has exact-zero off-diagonal
/// entries and equal diagonal entries (H = 0 qualifies, with R = 0). `why_not` (if given)
/// receives the first head and entry that breaks the pattern.
std::optional<InformationData> detect_information_form(const ModelSpec& model, std::string* why_not = nullptr);

/// The model enclosed in scalar type T (Interval / MpInterval) — or exact for T = double when
/// all data are dyadic (used only by non-certifying code such as the particle test).
template <class T> struct Model {
  int dim = 0;
  T beta;
  Mat<T> W;
  Vec<T> b;
  std::vector<Mat<T>> V, B;
};
/// Encloses: every exact datum of the model (β, W, b, V_h, B_h) in T (outward rounded).
/// Assumes: nothing. Checks: spec.validate() (shapes; empty W / b become 0).
/// Failure: SpecError naming the field. Method: enclose_matrix / enclose_vector of each datum.
template <class T> Model<T> enclose_model(const ModelSpec& spec) {
  ModelSpec s = spec;
  s.validate();
  Model<T> m;
  m.dim = s.dim;
  m.beta = enclose<T>(s.beta);
  m.W = enclose_matrix<T>(s.W);
  m.b = enclose_vector<T>(s.b);
  for (const auto& h : s.heads) {
    m.V.push_back(enclose_matrix<T>(h.V));
    m.B.push_back(enclose_matrix<T>(h.B));
  }
  return m;
}
/// A box of models (parameter box, docs/gaussian.md "Parameter boxes"): its members are the
/// models whose every datum (β, each entry of W, b, V_h, B_h) lies between the corresponding
/// data of `lo` and `hi`, each entry an independent coordinate.
struct ModelBox {
  ModelSpec lo, hi;
  /// Checks: lo and hi validate with equal shapes and head counts, and lo ≤ hi entrywise.
  /// Throws SpecError naming the field ("model.W[0][1]", …).
  void validate();
  /// True iff lo = hi (a single model).
  bool is_point() const;
};
/// A box of Gaussians. Its members have mean entries between lo.mean and hi.mean and a
/// *symmetric* covariance with entries between lo.cov and hi.cov: the pair (i, j), (j, i) is one
/// coordinate, so lo.cov and hi.cov must be symmetric.
struct GaussianBox {
  GaussianSpec lo, hi;
  /// Checks: shapes match `dim`; lo.cov and hi.cov exactly symmetric; lo ≤ hi entrywise.
  /// Throws SpecError naming `field + ".mean"` / `field + ".cov"` (definiteness is not
  /// checked here: it is certified on the enclosure by the caller).
  void validate(int dim, const std::string& field = "initial") const;
  bool is_point() const;
};
/// Encloses: every member of the box (β, W, b, V_h, B_h of every model in it), entrywise hulls.
/// Assumes: nothing. Checks: box.validate(). Failure: SpecError naming the field.
/// Method: enclose<T>([lo, hi]) of each entry (outward rounding of both ends).
template <class T> Model<T> enclose_model_box(const ModelBox& box) {
  ModelBox b = box;
  b.validate();
  auto em = [](const RMatrix& lo, const RMatrix& hi) {
    Mat<T> r(lo.rows(), lo.cols());
    for (int i = 0; i < lo.rows(); ++i)
      for (int j = 0; j < lo.cols(); ++j) r(i, j) = enclose<T>(RationalInterval{lo(i, j), hi(i, j)});
    return r;
  };
  Model<T> m;
  m.dim = b.lo.dim;
  m.beta = enclose<T>(RationalInterval{b.lo.beta, b.hi.beta});
  m.W = em(b.lo.W, b.hi.W);
  const Mat<T> bb = em(b.lo.b, b.hi.b);
  m.b = bb.col(0);
  for (std::size_t h = 0; h < b.lo.heads.size(); ++h) {
    m.V.push_back(em(b.lo.heads[h].V, b.hi.heads[h].V));
    m.B.push_back(em(b.lo.heads[h].B, b.hi.heads[h].B));
  }
  return m;
}

/// Encloses: every covariance of the box (entrywise hull of [lo.cov, hi.cov]).
/// Assumes: lo ≤ hi (GaussianBox::validate). Checks: nothing. Failure: none.
/// Method: enclose<T>([lo, hi]) of each entry.
template <class T> Mat<T> enclose_model_box_cov(const GaussianBox& g) {
  Mat<T> r(g.lo.cov.rows(), g.lo.cov.cols());
  for (int i = 0; i < g.lo.cov.rows(); ++i)
    for (int j = 0; j < g.lo.cov.cols(); ++j) r(i, j) = enclose<T>(RationalInterval{g.lo.cov(i, j), g.hi.cov(i, j)});
  return r;
}

/// Nearest-double model (NOT an enclosure; for approximate code such as particle simulations).
Model<double> approx_model(const ModelSpec& spec);

/// Point-interval criterion on an enclosed model: true iff every V_h has off-diagonal entries
/// that are the exact point 0 and diagonal entries that are one and the same point interval
/// (so V_h = v_h I holds for the one real number v_h it denotes). For text inputs prefer
/// `detect_information_form(ModelSpec)`, which is exact even when 0.1 is not a double.
template <class T> bool is_information_form(const Model<T>& m) {
  for (const auto& V : m.V) {
    for (Eigen::Index i = 0; i < V.rows(); ++i)
      for (Eigen::Index j = 0; j < V.cols(); ++j) {
        if (!is_point(V(i, j))) return false;
        if (i != j && !is_member(0.0, V(i, j))) return false;
        if (i == j && !equal(V(i, j), V(0, 0))) return false;
      }
  }
  return true;
}

}  // namespace certiformer::gaussian
