#pragma once
/// certiformer/cert/linear_flow.hpp — kind "linear.flow": the affine ODE x' = A x + b.
///
/// Config: {"kind": "linear.flow", "A": d×d, "b": d (optional, default 0), "x0": d, "t": number,
///          "precision": optional, "claims": optional}
/// Results: "x_at_t": enclosure of x(t) (claim quantities "x_at_t[0]", …, "x_at_t[d-1]").
/// t may be negative (the flow of a linear ODE exists for all real t) or 0.

#include "certiformer/core/env.hpp"
#include "certiformer/core/eigen.hpp"
#include "certiformer/cert/certificate.hpp"
#include "certiformer/cert/config.hpp"
#include "certiformer/cert/registry.hpp"
#include "certiformer/linalg/expm.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace certiformer {

/// Encloses:  {x(t) : x' = A x + b, x(0) = x0} for every A ∈ 𝐀, b ∈ 𝐛, x0 ∈ 𝐱0, t ∈ 𝐭
///            (all entries are intervals; the exact real solution for point data).
/// Assumes:   nothing beyond the inclusion property of `enclose_expm`.
/// Checks:    A is square and non-empty, b and x0 have length d = rows(A) (misuse otherwise).
/// Failure:   std::invalid_argument on a shape mismatch; std::domain_error from enclose_expm
///            when t·M is unbounded (or its enclosure overflows).
/// Method:    the augmented matrix M = [[A, b], [0, 0]] of size d+1 satisfies
///            e^{tM} [x0; 1] = [x(t); 1] (variation of constants), so with E ⊇ e^{t·M}
///            (`enclose_expm` of the interval matrix t·M, formed entrywise from the enclosures
///            of the exact inputs) x(t) ∈ E[0:d, 0:d]·x0 + E[0:d, d] by interval arithmetic.
template <class T>
Vec<T> enclose_linear_flow(const Mat<T>& A, const Vec<T>& b, const Vec<T>& x0, const T& t) {
  const Eigen::Index d = A.rows();
  if (d == 0 || A.cols() != d)
    throw std::invalid_argument("enclose_linear_flow: A must be a non-empty square matrix, got " +
                                std::to_string(A.rows()) + "x" + std::to_string(A.cols()));
  if (b.size() != d || x0.size() != d)
    throw std::invalid_argument("enclose_linear_flow: b and x0 must have length " + std::to_string(d) + ", got " +
                                std::to_string(b.size()) + " and " + std::to_string(x0.size()));
  Mat<T> tM(d + 1, d + 1);
  for (Eigen::Index i = 0; i <= d; ++i)
    for (Eigen::Index j = 0; j <= d; ++j) tM(i, j) = T(0);
  for (Eigen::Index i = 0; i < d; ++i) {
    for (Eigen::Index j = 0; j < d; ++j) tM(i, j) = t * A(i, j);
    tM(i, d) = t * b(i);
  }
  const Mat<T> E = linalg::enclose_expm(tM);
  Vec<T> x(d);
  for (Eigen::Index i = 0; i < d; ++i) {
    T s = E(i, d);
    for (Eigen::Index j = 0; j < d; ++j) s += E(i, j) * x0(j);
    x(i) = s;
  }
  return x;
}

namespace cert {

/// The "linear.flow" config kind (see the file comment and docs/cli.md).
struct LinearFlowKind {
  static constexpr const char* name = "linear.flow";
  static constexpr const char* description = "enclose x(t) for the affine ODE x' = A x + b, x(0) = x0 (matrix exponential)";
  static std::vector<std::string> fields() { return {"A", "b", "x0", "t"}; }

  /// Reads and checks A (square, non-empty), b (length d, default 0), x0 (length d), t (a number),
  /// then adds "x_at_t". Failure: ConfigError at the offending field.
  template <class T>
  static void run(const ConfigNode& cfg, Results<T>& out, RunContext&) {
    const ConfigNode a = cfg.at("A");
    const Mat<T> A = a.matrix<T>();
    if (A.rows() != A.cols())
      a.fail("a square matrix (d x d)", "a " + std::to_string(A.rows()) + " x " + std::to_string(A.cols()) + " matrix");
    const auto d = static_cast<std::size_t>(A.rows());
    const std::string dim = "d = " + std::to_string(d) + ", the size of A";
    Vec<T> b(static_cast<Eigen::Index>(d));
    if (auto bn = cfg.find("b")) b = bn->vector<T>(d, dim);
    else for (Eigen::Index i = 0; i < b.size(); ++i) b(i) = T(0);
    const Vec<T> x0 = cfg.at("x0").vector<T>(d, dim);
    const T t = cfg.at("t").as_number<T>();
    out.add("x_at_t", enclose_linear_flow(A, b, x0, t));
  }
};

/// Registry entry of LinearFlowKind (instantiated in lib/src/cert/linear_flow.cpp).
KindInfo linear_flow_kind();

}  // namespace cert
}  // namespace certiformer
