// failtest control: every core header and legal uses of what the ft_*.cpp snippets forbid.
// Must compile with the project's command; if it does not, the harness itself is broken.
#include "certiformer/core.hpp"

#include <algorithm>
#include <vector>

using namespace certiformer;

int main() {
  const Interval a(0.1), b = Interval::from_text("0.1"), c(1), d(1.0, 2.0);
  Interval e = a + b * c / d - Interval(2);
  e = exp(e) + log(d) + sqrt(d) + pow(d, 3) + tanh(d) + sin(d) + cos(d) + atan(d) + expm1(d) + log1p(d);
  const bool cmp = certainly_less(a, d) && possibly_less(d, a) && (a == b || a != b);
  std::vector<Interval> v{d, a};
  std::sort(v.begin(), v.end(), [](const Interval& x, const Interval& y) { return certainly_less(x, y); });
  MpInterval m(0.1), n = MpInterval::from_text("1/3");
  {
    MpPrecisionScope s(113);
    m = m + n * MpInterval(2) + exp(n);
  }
  const Verdict ok = certainly_positive(d) ? Verdict::proved("d > 0") : Verdict::unknown("overlap");
  const Verdict both = ok && Verdict::refuted("no");
  Eigen::MatrixXd md = Eigen::MatrixXd::Identity(2, 2);
  IMatrix im = exact_point<Interval>(md) * IMatrix::Constant(2, 2, d) * Interval(2);
  im = im + exact_point<Interval>(md);
  MpMatrix mm = exact_point<MpInterval>(md) * MpInterval(2);
  IVector x(3);
  x << a, d, c;
  const IVector s = enclose_softmax(x);
  const Interval l = logsumexp(x);
  const auto text = endpoints(l);
  return (cmp && both.is_unknown() && text.lo.empty() && s.size() == 0 && mm.size() == 0 && im.size() == 0) ? 1 : 0;
}
