#pragma once
// tests/transformer: one check shared by the field tests — the structured (matrix-kernel) field
// and the scalar (Taylor-basis) field of one layer, evaluated over a box, agree and both enclose
// the 256-bit field at points of the box.
#include "certiformer/core.hpp"
#include "certiformer/transformer.hpp"
#include "random_dyadic.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <random>

namespace certiformer::test {

/// Evaluates the field of layer `l` (n tokens of dimension d, features P) over the box
/// x0 ± w, x0 drawn from `g` (dy(g, 1) entries), twice: the structured field
/// (Control::constant) and the scalar one (Control::smooth with the one basis function 1).
/// Checks: the two enclosures intersect, the structured one is at most 1.5× wider (+1e-14); at
/// x0 and 19 random points of the box the 256-bit field of `lm` (the same layer at 256 bits;
/// exact parameters make it a sharp oracle, width < 1e-60) lies inside both enclosures.
/// `Pm` is P at 256 bits.
inline void check_fields_enclose_mp(Eigen::Index n, Eigen::Index d, bool sphere, const transformer::Layer<Interval>& l,
                                    const transformer::Layer<MpInterval>& lm, const Mat<Interval>& P, const Mat<MpInterval>& Pm,
                                    double w, std::mt19937_64& g) {
  using namespace certiformer::transformer;
  const TransformerField<Interval> fast(n, d, Control<Interval>::constant(l), sphere, P);
  Basis<Interval> one;
  const TransformerField<Interval> scalar(n, d, Control<Interval>::smooth({one}, {l}), sphere, P);
  Vec<double> x0(n * d);
  for (Eigen::Index i = 0; i < x0.size(); ++i) x0(i) = dy(g, 1);
  Vec<Interval> X(x0.size());
  for (Eigen::Index i = 0; i < X.size(); ++i) X(i) = Interval(x0(i) - w, x0(i) + w);
  Vec<Interval> F(X.size()), Fs(X.size());
  fast(Interval(0), X, F);
  scalar(Interval(0), X, Fs);
  for (Eigen::Index i = 0; i < F.size(); ++i) {
    CHECK(!disjoint(F(i), Fs(i)));
    CHECK(wid(F(i)) <= 1.5 * wid(Fs(i)) + 1e-14);
  }
  MpPrecisionScope scope(256);
  const TransformerField<MpInterval> fm(n, d, Control<MpInterval>::constant(lm), sphere, Pm);
  std::uniform_real_distribution<double> U(-1, 1);
  for (int trial = 0; trial < 20; ++trial) {
    Vec<MpInterval> x(X.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = MpInterval(x0(i) + (trial == 0 ? 0.0 : w * U(g)));
    Vec<MpInterval> fx(x.size());
    fm(MpInterval(0), x, fx);
    for (Eigen::Index i = 0; i < fx.size(); ++i) {
      CHECK(static_cast<double>(wid(fx(i))) < 1e-60);
      CHECK(MpReal(inf(F(i))) <= inf(fx(i)));  // exact comparisons at 256 bits
      CHECK(MpReal(sup(F(i))) >= sup(fx(i)));
      CHECK(MpReal(inf(Fs(i))) <= inf(fx(i)));
      CHECK(MpReal(sup(Fs(i))) >= sup(fx(i)));
    }
  }
}

}  // namespace certiformer::test
