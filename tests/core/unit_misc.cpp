// Unit tests of the rest of the core: MpPrecisionScope, Verdict, io (outward decimals, exact hex),
// special values of the elementary functions and π, the Eigen glue, softmax / logsumexp errors.
#include "core_test_util.hpp"

using namespace ct;

namespace {
Rational exact(mpfr_srcptr v) {
  Rational q;
  mpfr_get_q(q.backend().data(), v);
  return q;
}
Rational exact(const MpReal& v) { return exact(v.backend().data()); }
}  // namespace

// ---- MpPrecisionScope --------------------------------------------------------------------------

TEST_CASE("unit: MpPrecisionScope nests and restores") {
  const unsigned real_digits = MpReal::default_precision();
  CHECK(mp_precision() == 256);
  {
    MpPrecisionScope a(113);
    CHECK(mp_precision() == 113);
    CHECK(MpInterval().precision() == 113);
    CHECK(MpInterval::from_text("1/3").precision() == 113);
    CHECK(MpReal::default_precision() != real_digits);
    {
      MpPrecisionScope b(64);
      CHECK(mp_precision() == 64);
      CHECK((MpInterval(1) + MpInterval(2)).precision() == 64);
      {
        MpPrecisionScope c(1000);
        CHECK(mp_precision() == 1000);
        CHECK(exp(MpInterval(1)).precision() == 1000);
      }
      CHECK(mp_precision() == 64);
    }
    CHECK(mp_precision() == 113);
    // a result takes the *current* precision, not its operands'
    MpInterval x;
    {
      MpPrecisionScope b(300);
      x = MpInterval::from_text("0.1");
    }
    CHECK(x.precision() == 300);
    CHECK((x + x).precision() == 113);
  }
  CHECK(mp_precision() == 256);
  CHECK(MpReal::default_precision() == real_digits);
  // restored on exceptions too
  try {
    MpPrecisionScope a(80);
    throw std::runtime_error("x");
  } catch (const std::runtime_error&) {
  }
  CHECK(mp_precision() == 256);
  CHECK_THROWS_AS(MpPrecisionScope(1), std::invalid_argument);
  CHECK_THROWS_AS(MpPrecisionScope(0), std::invalid_argument);
  CHECK(mp_precision() == 256);
  // more bits, tighter enclosures of the same number
  MpReal w53, w200;
  {
    MpPrecisionScope s(53);
    w53 = wid(MpInterval::from_text("1/3"));
  }
  {
    MpPrecisionScope s(200);
    w200 = wid(MpInterval::from_text("1/3"));
  }
  CHECK(w200 < w53 * 1e-40);
}

// ---- Verdict -----------------------------------------------------------------------------------

TEST_CASE("unit: Verdict conjunction table") {
  const Verdict P = Verdict::proved("p"), R = Verdict::refuted("r"), U = Verdict::unknown("u");
  CHECK(P.is_proved());
  CHECK(R.is_refuted());
  CHECK(U.is_unknown());
  CHECK_FALSE(U.is_proved());
  CHECK_FALSE(U.is_refuted());
  CHECK(P.status() == Status::proved);
  CHECK(R.reason() == "r");
  CHECK(to_string(Status::proved) == "proved");
  CHECK(to_string(Status::refuted) == "refuted");
  CHECK(to_string(Status::unknown) == "unknown");
  CHECK(Verdict::proved().reason().empty());

  const Verdict* all[] = {&P, &R, &U};
  // expected[a][b] for a, b in (proved, refuted, unknown)
  const Status expected[3][3] = {{Status::proved, Status::refuted, Status::unknown},
                                 {Status::refuted, Status::refuted, Status::refuted},
                                 {Status::unknown, Status::refuted, Status::unknown}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      INFO(to_string(all[i]->status()) << " && " << to_string(all[j]->status()));
      CHECK((*all[i] && *all[j]).status() == expected[i][j]);
    }
  // reasons: a refutation / unknown keeps its own reason, proofs are joined
  CHECK((P && Verdict::proved("q")).reason() == "p; q");
  CHECK((Verdict::proved() && Verdict::proved("q")).reason() == "q");
  CHECK((P && U).reason() == "u");
  CHECK((U && R).reason() == "r");
  CHECK((R && U).reason() == "r");
  // an unknown never becomes a claim, however many proofs are conjoined
  Verdict acc = U;
  for (int k = 0; k < 10; ++k) acc = acc && P;
  CHECK(acc.is_unknown());
}

// ---- io ----------------------------------------------------------------------------------------

TEST_CASE("unit: io decimal strings parse back outward, hex is exact (binary64)") {
  Rng g = tst::rng(0x10);
  FailLog fl("io binary64");
  const long n = tst::trials(20000);
  for (long t = 0; t < n; ++t) {
    const double v = mixed_double(g);
    const Rational q(v);
    const std::string dd = decimal_down(v), du = decimal_up(v), hx_ = hex(v);
    fl.check(parse_exact(dd) <= q, [&] { return "decimal_down(" + hx(v) + ") = " + dd; });
    fl.check(q <= parse_exact(du), [&] { return "decimal_up(" + hx(v) + ") = " + du; });
    fl.check(parse_exact(hx_) == q, [&] { return "hex(" + hx(v) + ") = " + hx_ + " does not round-trip"; });
    // 17 significant digits: the decimal enclosure is within 1 ulp-ish of v
    fl.check(subset(enclose_interval(parse_exact(dd)), Interval(down(down(v)), v)) || v == 0.0 ||
                  std::fabs(v) < 1e-300,
              [&] { return "decimal_down(" + hx(v) + ") = " + dd + " is too far below"; });
    // endpoints / to_string of an interval around v
    const double w = coin(g) ? v : up(v);
    if (!std::isfinite(w)) continue;
    const Interval x(std::min(v, w), std::max(v, w));
    const EndpointText e = endpoints(x);
    fl.check(subset(x, Interval(inf(enclose_interval(parse_exact(e.lo))), sup(enclose_interval(parse_exact(e.hi))))),
              [&] { return "endpoints(" + hx(x) + ") = [" + e.lo + ", " + e.hi + "]"; });
    fl.check(parse_exact(e.lo_hex) == Rational(x.lower()) && parse_exact(e.hi_hex) == Rational(x.upper()),
              [&] { return "endpoint hex of " + hx(x); });
    const std::string s = to_string(x, 5);  // "[lo, hi]" rounded outward to 5 digits
    const auto comma = s.find(", ");
    fl.check(s.front() == '[' && s.back() == ']' && comma != std::string::npos, [&] { return "to_string format " + s; });
    if (comma == std::string::npos) continue;
    const Rational lo = parse_exact(s.substr(1, comma - 1)), hi = parse_exact(s.substr(comma + 2, s.size() - comma - 3));
    fl.check(lo <= Rational(x.lower()) && Rational(x.upper()) <= hi, [&] { return "to_string(" + hx(x) + ", 5) = " + s; });
  }
  CHECK(fl.failures == 0);
  CHECK(fl.checks >= 4 * n);
  // special values
  CHECK(decimal_down(kInf) == "inf");
  CHECK(decimal_up(-kInf) == "-inf");
  CHECK(hex(-kInf) == "-inf");
  CHECK(hex(std::numeric_limits<double>::quiet_NaN()) == "nan");
  const EndpointText e = endpoints(Interval::entire());
  CHECK(e.lo == "-inf");
  CHECK(e.hi == "inf");
  CHECK(to_string(Interval::entire()) == "[-inf, inf]");
  CHECK(decimal_down(0.1) == "1.0000000000000000e-01");
  CHECK(decimal_up(0.1) == "1.0000000000000001e-01");
  CHECK(parse_exact(hex(kDenormMin)) == Rational(kDenormMin));
  CHECK(parse_exact(hex(kMax)) == Rational(kMax));
  std::ostringstream os;
  os << Interval(1.0, 2.0);
  CHECK(os.str() == "[1, 2]");
}

TEST_CASE("unit: io for MpInterval: outward decimals and exact hex at 113 and 256 bits") {
  Rng g = tst::rng(0x11);
  FailLog fl("io mp");
  const long n = tst::trials(3000);
  for (unsigned bits : {113u, 256u}) {
    MpPrecisionScope s(bits);
    for (long t = 0; t < n; ++t) {
      const double a = any_magnitude(g, -1074, 1023);
      const MpInterval x = mp_bounds(g, a, coin(g) ? a : std::min(kMax, std::fabs(a) * 2.0 + 1.0), bits);
      const EndpointText e = endpoints(x);
      const Rational lo = exact(&x.data()->left), hi = exact(&x.data()->right);
      fl.check(parse_exact(e.lo) <= lo && hi <= parse_exact(e.hi), [&] { return "endpoints " + hx(x) + ": " + e.lo + ", " + e.hi; });
      fl.check(parse_exact(e.lo_hex) == lo && parse_exact(e.hi_hex) == hi, [&] { return "hex " + hx(x); });
      const MpReal m = mid(x);
      fl.check(parse_exact(hex(m)) == exact(m), [&] { return "hex(mid) " + hex(m); });
      fl.check(parse_exact(decimal_down(m)) <= exact(m) && exact(m) <= parse_exact(decimal_up(m)),
                [&] { return "decimal_down/up(mid) " + hex(m); });
      // from_text of the printed decimals at the same precision contains x
      const MpInterval back = MpInterval::from_text(e.lo);
      fl.check(mpfr_lessequal_p(&back.data()->left, &x.data()->left) != 0, [&] { return "parse back " + e.lo; });
      const std::string str = to_string(x);
      fl.check(str.front() == '[' && str.back() == ']', [&] { return "to_string " + str; });
    }
  }
  CHECK(fl.failures == 0);
  std::ostringstream os;
  os << MpInterval(1);
  CHECK(os.str().front() == '[');
  CHECK(endpoints(MpInterval::entire()).lo == "-inf");
  CHECK(hex(MpReal(0.5)) != "");
  CHECK(parse_exact(hex(MpReal(0.5))) == Rational(1) / 2);
}

// ---- elementary functions: special values and π -------------------------------------------------

TEST_CASE("unit: elementary functions at special arguments") {
  CHECK(equal(exp(Interval(0.0)), Interval(1.0)));
  CHECK(equal(expm1(Interval(0.0)), Interval(0.0)));
  CHECK(equal(log(Interval(1.0)), Interval(0.0)));
  CHECK(equal(log1p(Interval(0.0)), Interval(0.0)));
  CHECK(equal(tanh(Interval(0.0)), Interval(0.0)));
  CHECK(equal(sin(Interval(0.0)), Interval(0.0)));
  CHECK(equal(cos(Interval(0.0)), Interval(1.0)));
  CHECK(equal(atan(Interval(0.0)), Interval(0.0)));
  CHECK(equal(exp(Interval(-kInf, 0.0)), Interval(0.0, 1.0)));
  CHECK(equal(expm1(Interval(-kInf, 0.0)), Interval(-1.0, 0.0)));
  CHECK(equal(log(Interval(1.0, kInf)), Interval(0.0, kInf)));
  CHECK(equal(tanh(Interval::entire()), Interval(-1.0, 1.0)));
  CHECK(equal(sin(Interval::entire()), Interval(-1.0, 1.0)));
  CHECK(equal(cos(Interval(0.0, 7.0)), Interval(-1.0, 1.0)));
  CHECK(sin(Interval(1.0, 2.0)).upper() == 1.0);  // π/2 inside
  CHECK(cos(Interval(3.0, 3.5)).lower() == -1.0);  // π inside
  CHECK(equal(exp(Interval(710.0)), Interval(kMax, kInf)));
  CHECK(equal(exp(Interval(-746.0)), Interval(0.0, kDenormMin)));
  CHECK(equal(exp(Interval(-kMax)), Interval(0.0, kDenormMin)));
  CHECK(equal(exp(Interval(kMax)), Interval(kMax, kInf)));
  CHECK(equal(tanh(Interval(20.0)), Interval(down(1.0), 1.0)));
  CHECK(equal(tanh(Interval(kDenormMin)), Interval(0.0, kDenormMin)));
  const Interval p = pi<Interval>();
  CHECK(ulps(p) == 1);
  CHECK(at_oracle_precision([&] { return inside(pi<MpInterval>(), p); }));
  const Interval a = atan(Interval::entire());
  CHECK(at_oracle_precision([&] { return inside(ldexp(pi<MpInterval>(), -1), a) && inside(-ldexp(pi<MpInterval>(), -1), a); }));
  {
    MpPrecisionScope s(113);
    const MpInterval q = pi<MpInterval>();
    CHECK(q.precision() == 113);
    CHECK(wid(q) < 1e-33);
    CHECK(at_oracle_precision([&] { return inside(pi<MpInterval>(), q); }));
  }
  // the same contract on MpInterval
  CHECK(equal(exp(MpInterval(0)), MpInterval(1)));
  CHECK(equal(log(MpInterval(1)), MpInterval(0)));
  CHECK(equal(sin(MpInterval::entire()), MpInterval(Interval(-1.0, 1.0))));
}

// ---- Eigen glue --------------------------------------------------------------------------------

TEST_CASE("unit: Eigen NumTraits, pivot score, conversions") {
  using NT = Eigen::NumTraits<Interval>;
  CHECK(equal(NT::epsilon(), Interval(0x1p-52)));
  CHECK(equal(NT::highest(), Interval(kMax)));
  CHECK(equal(NT::quiet_NaN(), Interval::entire()));
  CHECK(NT::digits() == 53);
  CHECK(Eigen::internal::scalar_score_coeff_op<Interval>()(Interval(-3.0, 2.0)) == 0.0);  // mig
  CHECK(Eigen::internal::scalar_score_coeff_op<Interval>()(Interval(-3.0, -2.0)) == 2.0);
  {
    MpPrecisionScope s(113);
    CHECK(Eigen::NumTraits<MpInterval>::digits() == 113);
    CHECK(equal(Eigen::NumTraits<MpInterval>::epsilon(), ldexp(MpInterval(1), -112)));
    CHECK(Eigen::internal::scalar_score_coeff_op<MpInterval>()(MpInterval(Interval(-3.0, -2.0))) == 2.0);
  }
  Eigen::MatrixXd d(2, 2);
  d << 0.1, -2.0, 3.0, kDenormMin;
  const IMatrix m = exact_point<Interval>(d);
  CHECK(is_point(m(0, 0)));
  CHECK(m(0, 0).lower() == 0.1);
  CHECK(m(1, 1).lower() == kDenormMin);
  CHECK(rad(m).maxCoeff() == 0.0);
  const IMatrix m2 = m * Interval(2);
  CHECK(equal(m2(0, 1), Interval(-4.0)));
  const Mat<double> mids = mid(m2);
  CHECK(mids(1, 0) == 6.0);
  CHECK(rad(m2)(1, 0) == 0.0);
  CHECK(rad(m2)(1, 1) == 0.0);  // 2·2^-1074 is exact: the EFT policy is exact in the subnormal range too
  CHECK(subset(m, m));
  IMatrix wider = m;
  wider(0, 0) = Interval(0.0, 1.0);
  CHECK(subset(m, wider));
  CHECK_FALSE(subset(wider, m));
  CHECK_FALSE(subset(m, IMatrix(3, 3)));
  // pivoting picks by mig: a column max by score
  IVector v(3);
  v << Interval(-5.0, 5.0), Interval(2.0, 3.0), Interval(-1.5, -1.0);
  Eigen::Index at = -1;
  v.unaryExpr([](const Interval& x) { return mig(x); }).maxCoeff(&at);
  CHECK(at == 1);
  const Mat<MpReal> reals = Mat<MpReal>::Constant(2, 2, MpReal(1.5));
  const Mat<MpInterval> pm = enclose_point<MpInterval>(reals);
  CHECK(is_point(pm(1, 1)));
}

// ---- softmax / logsumexp errors and exact cases ------------------------------------------------

TEST_CASE_TEMPLATE("unit: softmax and logsumexp edge cases", T, Interval, MpInterval) {
  CHECK_THROWS_AS(enclose_softmax(Vec<T>(0)), std::invalid_argument);
  CHECK_THROWS_AS(logsumexp(Vec<T>(0)), std::invalid_argument);
  Vec<T> unb(2);
  unb(0) = T(0.0);
  unb(1) = T(Interval(0.0, kInf));
  CHECK_THROWS_AS(enclose_softmax(unb), std::domain_error);
  CHECK_THROWS_AS(logsumexp(unb), std::domain_error);
  // one component: softmax = 1 exactly, logsumexp = x exactly
  Vec<T> one(1);
  one(0) = T(-123.25);
  CHECK(equal(enclose_softmax(one)(0), T(1)));
  CHECK(equal(logsumexp(one), T(-123.25)));
  // equal components: exactly 1/n when 1/n is a double
  Vec<T> four(4);
  for (int i = 0; i < 4; ++i) four(i) = T(7.5);
  for (int i = 0; i < 4; ++i) CHECK(equal(enclose_softmax(four)(i), T(0.25)));
  // logsumexp(4 × 7.5) = 7.5 + log 4
  const T l = logsumexp(four);
  CHECK(at_oracle_precision([&] { return inside(MpInterval(7.5) + log(MpInterval(4)), l); }));
  // the components enclose a probability vector: their sum contains 1
  Vec<T> x(3);
  x(0) = T::from_text("0.1");
  x(1) = T::from_text("-2.3");
  x(2) = T(Interval(1.0, 1.001));
  const Vec<T> s = enclose_softmax(x);
  T sum(0);
  for (int i = 0; i < 3; ++i) sum += s(i);
  CHECK(is_member(1.0, sum));
}
