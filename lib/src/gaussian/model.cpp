// Exact model data of the Gaussian module. See gaussian/model.hpp.
#include "certiformer/gaussian/model.hpp"

#include <utility>

namespace certiformer::gaussian {

RMatrix::RMatrix(int rows, int cols) : rows_(rows), cols_(cols) {
  if (rows < 0 || cols < 0) throw std::invalid_argument("RMatrix: negative size");
  a_.assign(static_cast<std::size_t>(rows) * cols, Rational(0));
}

RMatrix RMatrix::identity(int n) {
  RMatrix r(n, n);
  for (int i = 0; i < n; ++i) r(i, i) = 1;
  return r;
}

RMatrix RMatrix::from_text(const std::vector<std::vector<std::string>>& rows, const std::string& field) {
  const int n = static_cast<int>(rows.size());
  if (n == 0) throw SpecError(field, "empty matrix");
  const int m = static_cast<int>(rows[0].size());
  if (m == 0) throw SpecError(field, "empty row");
  RMatrix r(n, m);
  for (int i = 0; i < n; ++i) {
    if (static_cast<int>(rows[i].size()) != m)
      throw SpecError(field + "[" + std::to_string(i) + "]", "expected " + std::to_string(m) + " entries");
    for (int j = 0; j < m; ++j) {
      try {
        r(i, j) = parse_exact(rows[i][j]);
      } catch (const std::invalid_argument& e) {
        throw SpecError(field + "[" + std::to_string(i) + "][" + std::to_string(j) + "]", e.what());
      }
    }
  }
  return r;
}

RMatrix RMatrix::column_from_text(const std::vector<std::string>& entries, const std::string& field) {
  if (entries.empty()) throw SpecError(field, "empty vector");
  RMatrix r(static_cast<int>(entries.size()), 1);
  for (int i = 0; i < r.rows(); ++i) {
    try {
      r(i, 0) = parse_exact(entries[i]);
    } catch (const std::invalid_argument& e) {
      throw SpecError(field + "[" + std::to_string(i) + "]", e.what());
    }
  }
  return r;
}

bool RMatrix::is_zero() const {
  for (const auto& x : a_)
    if (x != 0) return false;
  return true;
}

RMatrix RMatrix::transpose() const {
  RMatrix r(cols_, rows_);
  for (int i = 0; i < rows_; ++i)
    for (int j = 0; j < cols_; ++j) r(j, i) = (*this)(i, j);
  return r;
}

RMatrix operator+(const RMatrix& a, const RMatrix& b) {
  if (a.rows_ != b.rows_ || a.cols_ != b.cols_) throw std::invalid_argument("RMatrix +: shape mismatch");
  RMatrix r(a.rows_, a.cols_);
  for (std::size_t k = 0; k < a.a_.size(); ++k) r.a_[k] = a.a_[k] + b.a_[k];
  return r;
}
RMatrix operator-(const RMatrix& a, const RMatrix& b) {
  if (a.rows_ != b.rows_ || a.cols_ != b.cols_) throw std::invalid_argument("RMatrix -: shape mismatch");
  RMatrix r(a.rows_, a.cols_);
  for (std::size_t k = 0; k < a.a_.size(); ++k) r.a_[k] = a.a_[k] - b.a_[k];
  return r;
}
RMatrix operator*(const RMatrix& a, const RMatrix& b) {
  if (a.cols_ != b.rows_) throw std::invalid_argument("RMatrix *: shape mismatch");
  RMatrix r(a.rows_, b.cols_);
  for (int i = 0; i < a.rows_; ++i)
    for (int k = 0; k < a.cols_; ++k) {
      const Rational& x = a(i, k);
      if (x == 0) continue;
      for (int j = 0; j < b.cols_; ++j) r(i, j) += x * b(k, j);
    }
  return r;
}
RMatrix operator*(const Rational& s, const RMatrix& a) {
  RMatrix r = a;
  for (auto& x : r.a_) x *= s;
  return r;
}
bool operator==(const RMatrix& a, const RMatrix& b) {
  return a.rows_ == b.rows_ && a.cols_ == b.cols_ && a.a_ == b.a_;
}

bool is_symmetric(const RMatrix& a) {
  if (!a.is_square()) return false;
  for (int i = 0; i < a.rows(); ++i)
    for (int j = i + 1; j < a.cols(); ++j)
      if (a(i, j) != a(j, i)) return false;
  return true;
}

int rank(const RMatrix& a0) {
  RMatrix a = a0;
  int r = 0;
  for (int c = 0; c < a.cols() && r < a.rows(); ++c) {
    int p = -1;
    for (int i = r; i < a.rows(); ++i)
      if (a(i, c) != 0) { p = i; break; }
    if (p < 0) continue;
    for (int j = 0; j < a.cols(); ++j) std::swap(a(r, j), a(p, j));
    for (int i = r + 1; i < a.rows(); ++i) {
      if (a(i, c) == 0) continue;
      const Rational f = a(i, c) / a(r, c);
      for (int j = c; j < a.cols(); ++j) a(i, j) -= f * a(r, j);
    }
    ++r;
  }
  return r;
}

bool is_positive_definite(const RMatrix& a0) {
  if (!is_symmetric(a0)) return false;
  RMatrix a = a0;
  const int n = a.rows();
  for (int k = 0; k < n; ++k) {
    if (a(k, k) <= 0) return false;  // a leading principal minor ratio ≤ 0
    for (int i = k + 1; i < n; ++i) {
      if (a(i, k) == 0) continue;
      const Rational f = a(i, k) / a(k, k);
      for (int j = k; j < n; ++j) a(i, j) -= f * a(k, j);
    }
  }
  return true;
}

bool is_positive_semidefinite(const RMatrix& a0) {
  if (!is_symmetric(a0)) return false;
  RMatrix a = a0;
  const int n = a.rows();
  std::vector<bool> done(static_cast<std::size_t>(n), false);
  for (int step = 0; step < n; ++step) {
    int k = -1;
    for (int i = 0; i < n; ++i) {
      if (done[i]) continue;
      if (a(i, i) < 0) return false;  // a diagonal entry of a Schur complement is < 0
      if (a(i, i) > 0 && k < 0) k = i;
    }
    if (k < 0) {
      // every remaining diagonal entry is 0: PSD iff the remaining block is 0
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
          if (!done[i] && !done[j] && a(i, j) != 0) return false;
      return true;
    }
    done[k] = true;
    for (int i = 0; i < n; ++i) {
      if (done[i] || a(i, k) == 0) continue;
      const Rational f = a(i, k) / a(k, k);
      for (int j = 0; j < n; ++j)
        if (!done[j]) a(i, j) -= f * a(k, j);
    }
  }
  return true;
}

std::optional<RMatrix> inverse(const RMatrix& a0) {
  if (!a0.is_square()) throw std::invalid_argument("inverse: matrix is not square");
  const int n = a0.rows();
  RMatrix a = a0, r = RMatrix::identity(n);
  for (int c = 0; c < n; ++c) {
    int p = -1;
    for (int i = c; i < n; ++i)
      if (a(i, c) != 0) { p = i; break; }
    if (p < 0) return std::nullopt;
    for (int j = 0; j < n; ++j) {
      std::swap(a(c, j), a(p, j));
      std::swap(r(c, j), r(p, j));
    }
    const Rational piv = a(c, c);
    for (int j = 0; j < n; ++j) {
      a(c, j) /= piv;
      r(c, j) /= piv;
    }
    for (int i = 0; i < n; ++i) {
      if (i == c || a(i, c) == 0) continue;
      const Rational f = a(i, c);
      for (int j = 0; j < n; ++j) {
        a(i, j) -= f * a(c, j);
        r(i, j) -= f * r(c, j);
      }
    }
  }
  return r;
}

HeadSpec head_from_qk(RMatrix V, const RMatrix& Q, const RMatrix& K, const std::string& field) {
  if (Q.rows() != K.rows() || Q.cols() != K.cols())
    throw SpecError(field + ".K", "Q and K must have the same shape (d_k × d)");
  HeadSpec h;
  h.V = std::move(V);
  h.B = K.transpose() * Q;
  return h;
}

void ModelSpec::validate() {
  if (dim < 1) throw SpecError("model.dim", "expected an integer ≥ 1");
  if (W.rows() == 0 && W.cols() == 0) W = RMatrix(dim, dim);
  if (b.rows() == 0 && b.cols() == 0) b = RMatrix(dim, 1);
  if (W.rows() != dim || W.cols() != dim)
    throw SpecError("model.W", "expected a " + std::to_string(dim) + "×" + std::to_string(dim) + " matrix");
  if (b.rows() != dim || b.cols() != 1) throw SpecError("model.b", "expected a vector of length " + std::to_string(dim));
  for (std::size_t h = 0; h < heads.size(); ++h) {
    const std::string f = "model.heads[" + std::to_string(h) + "]";
    if (heads[h].V.rows() != dim || heads[h].V.cols() != dim)
      throw SpecError(f + ".V", "expected a " + std::to_string(dim) + "×" + std::to_string(dim) + " matrix");
    if (heads[h].B.rows() != dim || heads[h].B.cols() != dim)
      throw SpecError(f + ".B", "expected a " + std::to_string(dim) + "×" + std::to_string(dim) +
                                    " matrix (B = KᵀQ)");
  }
}

void GaussianSpec::validate(int dim, bool require_spd, const std::string& field) const {
  if (mean.rows() != dim || mean.cols() != 1)
    throw SpecError(field + ".mean", "expected a vector of length " + std::to_string(dim));
  if (cov.rows() != dim || cov.cols() != dim)
    throw SpecError(field + ".cov", "expected a " + std::to_string(dim) + "×" + std::to_string(dim) + " matrix");
  if (!is_symmetric(cov)) throw SpecError(field + ".cov", "covariance is not symmetric (checked exactly)");
  if (require_spd && !is_positive_definite(cov))
    throw SpecError(field + ".cov", "covariance is not positive definite (checked exactly)");
  if (!require_spd && !is_positive_semidefinite(cov))
    throw SpecError(field + ".cov", "covariance is not positive semi-definite (checked exactly)");
}

int validated_common_rank(const GaussianSpec& initial, const GaussianSpec& target) {
  const int d = initial.cov.rows();
  if (d < 1 || initial.cov.cols() != d) throw SpecError("initial.cov", "expected a square matrix");
  initial.validate(d, /*require_spd=*/false, "initial");
  target.validate(d, /*require_spd=*/false, "target");
  const int r0 = rank(initial.cov), r1 = rank(target.cov);
  if (r0 != r1)
    throw SpecError("target.cov", "rank mismatch: rank Σ0 = " + std::to_string(r0) + ", rank Σ1 = " + std::to_string(r1) +
                                      " (the rank of Σ is invariant under the flow, so the target is not reachable)");
  return r0;
}

std::optional<InformationData> detect_information_form(const ModelSpec& spec, std::string* why_not) {
  ModelSpec m = spec;
  m.validate();
  InformationData info;
  info.W = m.W;
  info.R = RMatrix(m.dim, m.dim);
  for (std::size_t h = 0; h < m.heads.size(); ++h) {
    const RMatrix& V = m.heads[h].V;
    for (int i = 0; i < m.dim; ++i)
      for (int j = 0; j < m.dim; ++j) {
        const bool ok = (i == j) ? V(i, j) == V(0, 0) : V(i, j) == 0;
        if (!ok) {
          if (why_not)
            *why_not = "model.heads[" + std::to_string(h) + "].V[" + std::to_string(i) + "][" + std::to_string(j) +
                       "] breaks V = v·I";
          return std::nullopt;
        }
      }
    const Rational v = V(0, 0);
    info.v.push_back(v);
    const RMatrix& B = m.heads[h].B;
    // 2β v S = β v (B + Bᵀ)
    info.R = info.R + (m.beta * v) * (B + B.transpose());
  }
  return info;
}

namespace {
void check_le(const RMatrix& lo, const RMatrix& hi, const std::string& field) {
  if (lo.rows() != hi.rows() || lo.cols() != hi.cols()) throw SpecError(field, "box ends of different shapes");
  for (int i = 0; i < lo.rows(); ++i)
    for (int j = 0; j < lo.cols(); ++j)
      if (lo(i, j) > hi(i, j))
        throw SpecError(field + "[" + std::to_string(i) + "]" + (lo.cols() > 1 ? "[" + std::to_string(j) + "]" : ""),
                        "an interval [a, b] with a <= b");
}
}  // namespace

void ModelBox::validate() {
  lo.validate();
  hi.validate();
  if (lo.dim != hi.dim) throw SpecError("model.dim", "one dimension for the whole box");
  if (lo.heads.size() != hi.heads.size()) throw SpecError("model.heads", "one head count for the whole box");
  if (lo.beta > hi.beta) throw SpecError("model.beta", "an interval [a, b] with a <= b");
  check_le(lo.W, hi.W, "model.W");
  check_le(lo.b, hi.b, "model.b");
  for (std::size_t h = 0; h < lo.heads.size(); ++h) {
    const std::string f = "model.heads[" + std::to_string(h) + "]";
    check_le(lo.heads[h].V, hi.heads[h].V, f + ".V");
    check_le(lo.heads[h].B, hi.heads[h].B, f + ".B");
  }
}

bool ModelBox::is_point() const {
  if (!(lo.beta == hi.beta) || !(lo.W == hi.W) || !(lo.b == hi.b) || lo.heads.size() != hi.heads.size()) return false;
  for (std::size_t h = 0; h < lo.heads.size(); ++h)
    if (!(lo.heads[h].V == hi.heads[h].V) || !(lo.heads[h].B == hi.heads[h].B)) return false;
  return true;
}

void GaussianBox::validate(int dim, const std::string& field) const {
  // shapes and symmetry of both ends; definiteness is certified on the enclosure by the caller
  if (lo.mean.rows() != dim || lo.mean.cols() != 1) throw SpecError(field + ".mean", "a vector of length d");
  if (lo.cov.rows() != dim || lo.cov.cols() != dim) throw SpecError(field + ".cov", "a d x d matrix");
  if (!is_symmetric(lo.cov)) throw SpecError(field + ".cov", "a symmetric matrix (entry (i, j) and (j, i) are one coordinate of the box)");
  if (hi.mean.rows() != dim || hi.mean.cols() != 1) throw SpecError(field + ".mean", "a vector of length d");
  if (hi.cov.rows() != dim || hi.cov.cols() != dim) throw SpecError(field + ".cov", "a d x d matrix");
  if (!is_symmetric(hi.cov)) throw SpecError(field + ".cov", "a symmetric matrix (entry (i, j) and (j, i) are one coordinate of the box)");
  check_le(lo.mean, hi.mean, field + ".mean");
  check_le(lo.cov, hi.cov, field + ".cov");
}

bool GaussianBox::is_point() const { return lo.mean == hi.mean && lo.cov == hi.cov; }

Model<double> approx_model(const ModelSpec& spec) {
  ModelSpec s = spec;
  s.validate();
  auto d = [](const Rational& q) { return mid(enclose_interval(q)); };
  auto dm = [&](const RMatrix& a) {
    Mat<double> r(a.rows(), a.cols());
    for (int i = 0; i < a.rows(); ++i)
      for (int j = 0; j < a.cols(); ++j) r(i, j) = d(a(i, j));
    return r;
  };
  Model<double> m;
  m.dim = s.dim;
  m.beta = d(s.beta);
  m.W = dm(s.W);
  m.b = dm(s.b).col(0);
  for (const auto& h : s.heads) {
    m.V.push_back(dm(h.V));
    m.B.push_back(dm(h.B));
  }
  return m;
}

}  // namespace certiformer::gaussian
