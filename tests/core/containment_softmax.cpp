// Containment of softmax and logsumexp against a 256-bit MPFI oracle.
//
// Random vectors of length 1..64 with component widths 0..1e-3, centred near 0, near +1e3
// (where a naive double softmax overflows), near −1e3 (where it underflows), spread over
// [−1e3, 1e3] (exponentials that underflow below the smallest subnormal), all equal (exact 1/n),
// and tiny magnitudes.
// Box oracle: softmax_i is increasing in x_i and decreasing in every other x_j, logsumexp is
// increasing in every x_j, so their exact ranges over the box are attained at corners:
//   softmax_i(X) = [s_i(lo_i, hi_{−i}), s_i(hi_i, lo_{−i})],  logsumexp(X) = [lse(lo), lse(hi)];
// each corner value is enclosed in MPFI at 256 bits (shifted by an exact maximum so that equal
// components give exactly 1/n). Point oracle: the same at a random point of the box.
#include "core_test_util.hpp"

#include <limits>

using namespace ct;

namespace {

MpInterval pt256(mpfr_srcptr v) { return mp_from_fr(v, v, tst::kOracleBits); }

/// s_i(a_i, b_{−i}) = 1 / (1 + Σ_{j≠i} e^{b_j − m} / e^{a_i − m}) enclosed at 256 bits, where
/// a, b are vectors of exact numbers and m = max_j b_j.
struct CornerSums {
  std::vector<MpInterval> ea, eb, others_b;  // e^{a_j − m}, e^{b_j − m}, Σ_{j≠i} e^{b_j − m}
};

CornerSums corner_sums(const std::vector<const __mpfr_struct*>& a, const std::vector<const __mpfr_struct*>& b,
                       mpfr_srcptr m) {
  const std::size_t n = a.size();
  CornerSums c;
  const MpInterval M = pt256(m);
  for (std::size_t j = 0; j < n; ++j) {
    c.ea.push_back(exp(pt256(a[j]) - M));
    c.eb.push_back(exp(pt256(b[j]) - M));
  }
  std::vector<MpInterval> prefix(n), suffix(n);
  MpInterval acc(0);
  for (std::size_t j = 0; j < n; ++j) { prefix[j] = acc; acc += c.eb[j]; }
  acc = MpInterval(0);
  for (std::size_t j = n; j-- > 0;) { suffix[j] = acc; acc += c.eb[j]; }
  for (std::size_t j = 0; j < n; ++j) c.others_b.push_back(prefix[j] + suffix[j]);
  return c;
}

/// lse(v) = m + log Σ e^{v_j − m} with m = max v_j (exact: a single component gives m + log 1).
MpInterval lse256(const std::vector<const __mpfr_struct*>& v) {
  mpfr_srcptr m = v[0];
  for (auto p : v) if (mpfr_greater_p(p, m)) m = p;
  const MpInterval M = pt256(m);
  MpInterval s(0);
  for (auto p : v) s += exp(pt256(p) - M);
  return M + log(s);
}

struct Oracle {
  std::vector<MpInterval> softmax;
  MpInterval lse;
};

/// Box oracle for the box with endpoint vectors lo, hi.
Oracle box_oracle(const std::vector<const __mpfr_struct*>& lo, const std::vector<const __mpfr_struct*>& hi) {
  return at_oracle_precision([&] {
    const std::size_t n = lo.size();
    mpfr_srcptr m = hi[0];
    for (auto p : hi) if (mpfr_greater_p(p, m)) m = p;
    // lower corner of softmax_i: x_i = lo_i, others at hi; upper corner: x_i = hi_i, others at lo
    const CornerSums low = corner_sums(lo, hi, m);   // ea = e^{lo}, others_b = Σ e^{hi}
    const CornerSums high = corner_sums(hi, lo, m);  // ea = e^{hi}, others_b = Σ e^{lo}
    Oracle o;
    for (std::size_t i = 0; i < n; ++i) {
      const MpInterval s_lo = MpInterval(1) / (MpInterval(1) + low.others_b[i] / low.ea[i]);
      const MpInterval s_hi = MpInterval(1) / (MpInterval(1) + high.others_b[i] / high.ea[i]);
      o.softmax.push_back(MpInterval(inf(s_lo), sup(s_hi)));
    }
    const MpInterval l_lo = lse256(lo), l_hi = lse256(hi);
    o.lse = MpInterval(inf(l_lo), sup(l_hi));
    return o;
  });
}

template <class T> std::vector<const __mpfr_struct*> endpoint_ptrs(const Vec<T>& x, bool upper, std::vector<Fr*>& keep);
template <> std::vector<const __mpfr_struct*> endpoint_ptrs<Interval>(const Vec<Interval>& x, bool upper, std::vector<Fr*>& keep) {
  std::vector<const __mpfr_struct*> r;
  for (Eigen::Index j = 0; j < x.size(); ++j) {
    keep.push_back(new Fr(upper ? x(j).upper() : x(j).lower(), 53));
    r.push_back(keep.back()->v);
  }
  return r;
}
template <> std::vector<const __mpfr_struct*> endpoint_ptrs<MpInterval>(const Vec<MpInterval>& x, bool upper, std::vector<Fr*>&) {
  std::vector<const __mpfr_struct*> r;
  for (Eigen::Index j = 0; j < x.size(); ++j) r.push_back(upper ? &x(j).data()->right : &x(j).data()->left);
  return r;
}

const char* kModes[] = {"near 0", "near +1e3", "near -1e3", "spread [-1e3, 1e3]", "all equal", "tiny magnitudes"};

template <class T>
std::string text(const Vec<T>& x) {
  std::string s = "(";
  for (Eigen::Index j = 0; j < x.size(); ++j) s += (j ? ", " : "") + hx(x(j));
  return s + ")";
}

template <class T>
void run_softmax(std::uint64_t seed, long n_vectors) {
  Rng g = tst::rng(seed);
  FailLog sm_log("softmax"), lse_log("logsumexp"), pt_log("point"), shape_log("bounded and in [0,1]"),
      rows_log("softmax_rows");
  long per_mode[6] = {0, 0, 0, 0, 0, 0};
  for (long t = 0; t < n_vectors; ++t) {
    const int mode = irand(g, 0, 5);
    ++per_mode[mode];
    const int n = coin(g, 0.2) ? irand(g, 1, 3) : irand(g, 1, 64);
    std::vector<double> lo(n), hi(n);
    const double common = unif(g, -3.0, 3.0);
    for (int j = 0; j < n; ++j) {
      double c;
      switch (mode) {
        case 0: c = unif(g, -5.0, 5.0); break;
        case 1: c = 1000.0 + unif(g, -20.0, 20.0); break;
        case 2: c = -1000.0 + unif(g, -20.0, 20.0); break;
        case 3: c = unif(g, -1000.0, 1000.0); break;
        case 4: c = common; break;
        default: c = any_magnitude(g, -1074, 3); break;
      }
      double w = 0.0;
      if (mode != 4 && coin(g, 0.7)) w = unif(g, 0.0, 1e-3) * std::ldexp(1.0, -irand(g, 0, 30));
      lo[j] = c;
      hi[j] = c + w;
    }
    Vec<T> x(n);
    for (int j = 0; j < n; ++j) x(j) = make<T>(g, lo[j], hi[j], kMpTestBits);

    Vec<T> s;
    T l;
    try {
      if constexpr (std::is_same_v<T, MpInterval>) {
        MpPrecisionScope p(kMpTestBits);
        s = enclose_softmax(x);
        l = logsumexp(x);
      } else {
        s = enclose_softmax(x);
        l = logsumexp(x);
      }
    } catch (const std::exception& e) {
      sm_log.check(false, [&] { return std::string(kModes[mode]) + ": threw " + e.what() + " on x = " + text(x); });
      continue;
    }
    std::vector<Fr*> keep;
    const Oracle o = box_oracle(endpoint_ptrs(x, false, keep), endpoint_ptrs(x, true, keep));
    for (int i = 0; i < n; ++i) {
      sm_log.check(inside(o.softmax[i], s(i)), [&] {
        return std::string(kModes[mode]) + ": softmax_" + std::to_string(i) + " = " + hx(s(i)) + ", oracle " +
               hx(o.softmax[i]) + ", x = " + text(x);
      });
      shape_log.check(is_bounded(s(i)) && certainly_nonnegative(s(i)) && !certainly_greater(s(i), T(1)),
                      [&] { return std::string(kModes[mode]) + ": softmax_" + std::to_string(i) + " = " + hx(s(i)); });
    }
    lse_log.check(inside(o.lse, l), [&] {
      return std::string(kModes[mode]) + ": logsumexp = " + hx(l) + ", oracle " + hx(o.lse) + ", x = " + text(x);
    });
    shape_log.check(is_bounded(l), [&] { return "logsumexp unbounded: " + hx(l); });

    // a random point of the box
    Vec<Interval> p(n);
    for (int j = 0; j < n; ++j) p(j) = Interval(point_in(g, lo[j], hi[j]));
    const Oracle op = box_oracle(endpoint_ptrs(p, false, keep), endpoint_ptrs(p, true, keep));
    for (int i = 0; i < n; ++i)
      pt_log.check(inside(op.softmax[i], s(i)), [&] {
        return std::string(kModes[mode]) + ": softmax_" + std::to_string(i) + " = " + hx(s(i)) + " misses the value " +
               hx(op.softmax[i]) + " at the point " + text(p);
      });
    pt_log.check(inside(op.lse, l), [&] { return "logsumexp misses the value at " + text(p); });
    if constexpr (std::is_same_v<T, Interval>) {
      // the batch kernel softmax_rows (upward rounding, own exp bounds): same oracles, and at
      // most ~1e-14 relative wider than softmax (correctly rounded exp bounds); a 3-row matrix
      // whose middle row is x (rows are independent)
      Mat<Interval> S(3, n);
      for (int j = 0; j < n; ++j) {
        S(0, j) = Interval(static_cast<double>(j));
        S(1, j) = x(j);
        S(2, j) = Interval(-static_cast<double>(j));
      }
      const Mat<Interval> W = softmax_rows(S);
      for (int i = 0; i < n; ++i) {
        rows_log.check(inside(o.softmax[i], W(1, i)) && inside(op.softmax[i], W(1, i)), [&] {
          return std::string(kModes[mode]) + ": softmax_rows_" + std::to_string(i) + " = " + hx(W(1, i)) + ", oracle " +
                 hx(o.softmax[i]) + ", x = " + text(x);
        });
        rows_log.check(wid(W(1, i)) <= wid(s(i)) + 1e-14 * sup(s(i)) + 1e-300, [&] {
          return std::string(kModes[mode]) + ": softmax_rows_" + std::to_string(i) + " = " + hx(W(1, i)) +
                 " much wider than softmax " + hx(s(i));
        });
      }
      if (n >= 2) {  // a lower end −∞ behaves as in softmax: weight [0, ·], the others still enclosed
        Mat<Interval> U = S.middleRows(1, 1);
        U(0, 0) = Interval(-std::numeric_limits<double>::infinity(), sup(U(0, 0)));
        const Mat<Interval> WU = softmax_rows(U);
        const Vec<Interval> su = enclose_softmax(Vec<Interval>(U.row(0).transpose()));
        for (int i = 0; i < n; ++i)
          rows_log.check(!disjoint(WU(0, i), su(i)) && (i != 0 || inf(WU(0, 0)) == 0.0),
                         [&] { return std::string("lower end -inf: ") + hx(WU(0, i)) + " vs " + hx(su(i)); });
      }
      const Vec<Interval> r0 = enclose_softmax(Vec<Interval>(S.row(0).transpose()));
      for (int i = 0; i < n; ++i) rows_log.check(!disjoint(W(0, i), r0(i)), [&] { return std::string("row 0 disagrees"); });
    }
    for (Fr* f : keep) delete f;
  }
  CHECK(sm_log.failures == 0);
  CHECK(lse_log.failures == 0);
  CHECK(pt_log.failures == 0);
  CHECK(shape_log.failures == 0);
  CHECK(rows_log.failures == 0);
  for (long c : per_mode) CHECK(c > 0);
  MESSAGE(std::string(scalar_traits<T>::backend_name()) << ": " << n_vectors << " vectors, " << sm_log.checks << " softmax, "
                                           << lse_log.checks << " logsumexp and " << pt_log.checks << " point checks");
}

}  // namespace

TEST_CASE_TEMPLATE("containment: softmax and logsumexp against 256-bit MPFI", T, Interval, MpInterval) {
  const bool mp = std::is_same_v<T, MpInterval>;
  run_softmax<T>(mp ? 0x50F7 : 0x50F, tst::trials(mp ? 250 : 1500));
}

TEST_CASE_TEMPLATE("containment: the shifted form never overflows around +-1e3", T, Interval, MpInterval) {
  // A naive double softmax overflows here (exp(1000) = inf) or underflows to 0/0.
  volatile double big = 1000.0;
  CHECK(std::exp(static_cast<double>(big)) == kInf);
  CHECK(std::exp(-static_cast<double>(big)) == 0.0);
  for (double sign : {1.0, -1.0}) {
    Vec<T> x(3);
    x(0) = T(sign * 1000.0);
    x(1) = T(sign * 1000.0 - 1.0);
    x(2) = T::from_text(sign > 0 ? "1000.5" : "-999.5");
    const Vec<T> s = enclose_softmax(x);
    const T l = logsumexp(x);
    // exact: softmax = e^{d_i} / Σ e^{d_j} with d = (0, −1, 0.5) − 0.5
    const MpInterval o0 = at_oracle_precision([] {
      const MpInterval e0 = exp(MpInterval::from_text("-0.5")), e1 = exp(MpInterval::from_text("-1.5"));
      return MpInterval(1) / (MpInterval(1) + (e1 + MpInterval(1)) / e0);
    });
    INFO("sign " << sign << ": softmax_0 = " << hx(s(0)) << ", logsumexp = " << hx(l));
    CHECK(inside(o0, s(0)));
    for (int i = 0; i < 3; ++i) {
      CHECK(is_bounded(s(i)));
      CHECK(hi_d(s(i)) - lo_d(s(i)) < 1e-14);
    }
    CHECK(is_bounded(l));
    CHECK(hi_d(l) - lo_d(l) < 1e-10);
  }
}

TEST_CASE_TEMPLATE("containment: exponentials that underflow (spread > 745) and wide arguments", T, Interval, MpInterval) {
  // Regression: softmax divided by an enclosure [0, ε] of e^{x_i − c} (std::domain_error) and
  // logsumexp took the log of an interval reaching 0.
  Vec<T> x(2);
  x(0) = T(0.0);
  x(1) = T(-1000.0);
  Vec<T> s;
  REQUIRE_NOTHROW(s = enclose_softmax(x));
  const MpInterval small = at_oracle_precision([] { return exp(MpInterval(-1000)) / (MpInterval(1) + exp(MpInterval(-1000))); });
  const MpInterval large = at_oracle_precision([] { return MpInterval(1) / (MpInterval(1) + exp(MpInterval(-1000))); });
  INFO("softmax(0, -1000) = (" << hx(s(0)) << ", " << hx(s(1)) << ")");
  CHECK(inside(small, s(1)));
  CHECK(inside(large, s(0)));
  CHECK(hi_d(s(1)) < 1e-300);
  CHECK(lo_d(s(0)) > 1.0 - 1e-15);
  // a single argument wider than 745: logsumexp([−1000, 0]) = [−1000, 0]
  Vec<T> w(1);
  w(0) = T(Interval(-1000.0, 0.0));
  T l;
  REQUIRE_NOTHROW(l = logsumexp(w));
  INFO("logsumexp([-1000, 0]) = " << hx(l));
  CHECK(lo_d(l) <= -1000.0);
  CHECK(lo_d(l) >= -1000.0 - 1e-9);
  CHECK(hi_d(l) >= 0.0);
  CHECK(hi_d(l) <= 1e-12);
  // an unbounded-below argument
  Vec<T> u(2);
  u(0) = T(Interval(-kInf, 0.0));
  u(1) = T(1.0);
  REQUIRE_NOTHROW(s = enclose_softmax(u));
  CHECK(lo_d(s(0)) == 0.0);
  CHECK(hi_d(s(0)) >= 0.2689);  // sup = 1/(1 + e) = 0.26894…
  CHECK(hi_d(s(1)) == 1.0);
}
