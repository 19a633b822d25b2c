// Review (commit af857cb): ode::euler_grid_time with the horizon ("span"), and its users
// EulerMap / enclose_euler_iterates / euler::enclose_discrete_iterates / upper_bound_euler_error,
// on a scalar piecewise-affine field f(t, x) = a_i x + b_i (piece i right-continuous at the
// breakpoints), against exact rational arithmetic:
//   * t_k = t0 + kT/L exactly (T a double or a non-double text like 1/10, 0.3, 2/7), its
//     enclosure by euler_grid_time must contain it; the piece the Euler map would use (refusal when
//     the time is not a point and touches a breakpoint, else select_piece_for) must be the exact one;
//   * the Euler iterates x_{k+1} = x_k + (T/L)(a_{i(k)} x_k + b_{i(k)}) in exact rationals must lie
//     in every enclosure (proved runs, and the partial iterates of unknown runs), for point and box X0;
//   * upper_bound_euler_error: node_bounds[k] and max_bound must dominate |x(t_k) − y_k| with x the
//     exact flow (closed form per piece, 512-bit MPFI) and y_k the exact Euler iterate.
// Breakpoints: on the grid (t0 + jT/L when that is a double), the two doubles next to a grid time
// that is not a double, random dyadics, t0 and t0 + T. Interval and MpInterval (256 bits).
// usage: review_grid_time_oracle [cases] [seed]   exit 0 = no containment / selection failure
#include "certiformer/core.hpp"
#include "certiformer/euler.hpp"
#include "certiformer/ode.hpp"
#include "certiformer/ode/defect.hpp"
#include "certiformer/ode/euler_map.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace certiformer;
using namespace certiformer::ode;

namespace {
std::mt19937_64 rng(20261205);
long failures = 0, comparisons = 0, cases = 0;
long proved_span = 0, unknown_span = 0, proved_nospan = 0, refused_steps = 0, exact_steps = 0, selections = 0;
long defect_proved = 0, defect_unknown = 0, defect_cmp = 0;
double min_slack = 1e300;

struct PL {
  std::vector<double> bps, a, b;
  Eigen::Index dimension() const { return 1; }
  std::vector<double> breakpoints() const { return bps; }
  template <class S> void operator()(const S& t, const Vec<S>& x, Vec<S>& dx) const {
    const std::size_t i = select_piece_for(bps, t);
    dx(0) = x(0) * lift<S>(a[i]) + lift<S>(b[i]);
  }
};

std::size_t exact_piece(const std::vector<double>& bps, const Rational& t) {
  std::size_t i = 0;
  for (double b : bps)
    if (Rational(b) <= t) ++i;
  return i;
}

template <class T> MpInterval to_mp(const T& x) {
  if constexpr (std::is_same_v<T, Interval>) return MpInterval(x);
  else return x;
}
template <class T> bool contains_q(const T& x, const Rational& q) {
  MpPrecisionScope hi(512);
  return subset(enclose<MpInterval>(q), to_mp<T>(x));
}
template <class R> MpInterval real_mp(const R& r) {
  if constexpr (std::is_same_v<R, double>) return MpInterval(r);
  else return MpInterval(r, r);
}

struct Case {
  Rational Tq, t0q;
  std::string Ttext, t0text;
  bool T_text = false, t0_text = false;  // entered as text (enclosure), else a double
  std::size_t L = 1;
  PL f;
  Rational x0q;
  double r0 = 0;  // box half-width
  Rational Tw = 0;  // > 0: the horizon is the interval [Tq − Tw, Tq + Tw] (every T in it is claimed)
  std::string tag;
  std::vector<Rational> samples() const {
    if (Tw == 0) return {Tq};
    return {Tq - Tw, Tq, Tq + Tw, Tq - Tw / 3, Tq + Tw * Rational(5, 7)};
  }
};

template <class T> T enc(const Rational& q) { return enclose<T>(q); }

double rdy(int lo, int hi, int den) { return std::uniform_int_distribution<int>(lo, hi)(rng) / static_cast<double>(den); }

Case make_case() {
  Case c;
  // the last two: kT/L can be exact at 256 bits without being a double (54+ significant bits)
  const char* dT[] = {"1", "3", "0.75", "2.5", "7", "0.5", "10", "0x1.0000000000001p0", "0x1.fffffffffffffp52"};
  const char* tT[] = {"0.1", "1/3", "2/7", "0.3", "22/7", "1.1", "3/10", "5/3"};
  const int kind = std::uniform_int_distribution<int>(0, 3)(rng);
  if (kind <= 1) {
    c.Ttext = dT[std::uniform_int_distribution<int>(0, 8)(rng)];
    c.Tq = parse_exact(c.Ttext);
  } else if (kind == 2) {
    c.Ttext = tT[std::uniform_int_distribution<int>(0, 7)(rng)];
    c.Tq = parse_exact(c.Ttext);
    c.T_text = true;
  } else {  // a double that is the rounding of a text (0.1 as binary64, etc.): T itself a double
    c.Ttext = tT[std::uniform_int_distribution<int>(0, 7)(rng)];
    const double d = approx_double(mid(enclose<Interval>(parse_exact(c.Ttext))));
    c.Tq = Rational(d);
    c.Ttext = "double(" + c.Ttext + ")";
  }
  const int t0k = std::uniform_int_distribution<int>(0, 5)(rng);
  if (t0k <= 2) {
    c.t0q = 0;
    c.t0text = "0";
  } else if (t0k == 3) {
    const double d = rdy(-16, 16, 8);
    c.t0q = Rational(d);
    c.t0text = std::to_string(d);
  } else if (t0k == 4) {
    c.t0text = "1/3";
    c.t0q = parse_exact(c.t0text);
    c.t0_text = true;
  } else {
    c.t0text = "0.1";
    c.t0q = Rational(0.1);
  }
  c.L = static_cast<std::size_t>(std::uniform_int_distribution<int>(1, 40)(rng));
  // breakpoint candidates
  std::vector<double> cand;
  const Rational eq = c.Tq / Rational(static_cast<long>(c.L));
  std::vector<double> ongrid, near;
  for (std::size_t j = 0; j <= c.L; ++j) {
    const Rational tj = c.t0q + Rational(static_cast<long>(j)) * eq;
    const Interval e = enclose<Interval>(tj);
    if (inf(e) == sup(e)) ongrid.push_back(inf(e));
    else {
      near.push_back(inf(e));
      near.push_back(sup(e));
    }
  }
  const int nb = std::uniform_int_distribution<int>(0, 3)(rng);
  for (int i = 0; i < nb; ++i) {
    const int w = std::uniform_int_distribution<int>(0, 3)(rng);
    if (w == 0 && !ongrid.empty()) cand.push_back(ongrid[std::uniform_int_distribution<std::size_t>(0, ongrid.size() - 1)(rng)]);
    else if (w == 1 && !near.empty()) cand.push_back(near[std::uniform_int_distribution<std::size_t>(0, near.size() - 1)(rng)]);
    else if (w == 2) {
      const double t0d = approx_double(mid(enclose<Interval>(c.t0q)));
      cand.push_back(t0d + rdy(0, 64, 64) * approx_double(mid(enclose<Interval>(c.Tq))));
    } else if (!ongrid.empty()) cand.push_back(ongrid[std::uniform_int_distribution<std::size_t>(0, ongrid.size() - 1)(rng)]);
  }
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  c.f.bps = cand;
  for (std::size_t i = 0; i <= cand.size(); ++i) {
    c.f.a.push_back(rdy(-16, 16, 8));
    c.f.b.push_back(rdy(-16, 16, 8));
  }
  c.x0q = Rational(rdy(-32, 32, 16));
  c.r0 = std::uniform_int_distribution<int>(0, 2)(rng) == 0 ? 1.0 / 64 : 0.0;
  if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) {
    const int e = std::uniform_int_distribution<int>(3, 50)(rng);
    c.Tw = c.Tq / Rational(boost::multiprecision::mpz_int(1) << e);
    c.tag += "";
  }
  c.tag = "T=" + c.Ttext + " t0=" + c.t0text + " L=" + std::to_string(c.L) + " bps={";
  for (double b : cand) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%a ", b);
    c.tag += buf;
  }
  c.tag += "}";
  if (c.Tw != 0) c.tag += " horizon ± " + exact_text(c.Tw);
  return c;
}

/// exact Euler iterates from x0
std::vector<Rational> exact_iterates(const Case& c, const Rational& x0, const Rational& Tq) {
  const Rational eq = Tq / Rational(static_cast<long>(c.L));
  std::vector<Rational> x{x0};
  for (std::size_t k = 0; k < c.L; ++k) {
    const Rational tk = c.t0q + Rational(static_cast<long>(k)) * eq;
    const std::size_t i = exact_piece(c.f.bps, tk);
    x.push_back(x.back() + eq * (Rational(c.f.a[i]) * x.back() + Rational(c.f.b[i])));
  }
  return x;
}

/// exact flow at the grid times (512-bit enclosures), closed form per piece
std::vector<MpInterval> exact_flow(const Case& c, const Rational& Tq) {
  MpPrecisionScope hi(512);
  const Rational eq = Tq / Rational(static_cast<long>(c.L));
  std::vector<Rational> ev;
  for (std::size_t k = 0; k <= c.L; ++k) ev.push_back(c.t0q + Rational(static_cast<long>(k)) * eq);
  const Rational tend = ev.back();
  std::vector<Rational> all = ev;
  for (double b : c.f.bps)
    if (Rational(b) > c.t0q && Rational(b) < tend) all.push_back(Rational(b));
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<MpInterval> out;
  MpInterval x = enclose<MpInterval>(c.x0q);
  std::size_t next = 0;
  for (std::size_t s = 0; s < all.size(); ++s) {
    if (next < ev.size() && all[s] == ev[next]) {
      out.push_back(x);
      ++next;
    }
    if (s + 1 == all.size()) break;
    const std::size_t i = exact_piece(c.f.bps, all[s]);
    const MpInterval h = enclose<MpInterval>(all[s + 1] - all[s]);
    const MpInterval a(c.f.a[i]), b(c.f.b[i]);
    if (c.f.a[i] == 0) x = x + b * h;
    else {
      const MpInterval ba = b / a;
      x = (x + ba) * exp(a * h) - ba;
    }
  }
  return out;
}

template <class T> void run_case(const Case& c, const char* tname) {
  using R = real_t<T>;
  const T TT = c.Tw == 0 ? enc<T>(c.Tq) : convex_hull(enc<T>(c.Tq - c.Tw), enc<T>(c.Tq + c.Tw));
  const T t0 = enc<T>(c.t0q);
  const T eps = TT / T(static_cast<long long>(c.L));
  const std::vector<Rational> Ts = c.samples();
  // 1) grid times and piece selection
  for (const Rational& Tq : Ts)
  for (std::size_t k = 0; k <= c.L; ++k) {
    const Rational eq = Tq / Rational(static_cast<long>(c.L));
    const Rational tq = c.t0q + Rational(static_cast<long>(k)) * eq;
    T tk;
    try {
      tk = euler_grid_time<T>(t0, eps, k, TT, c.L);
    } catch (const std::exception& e) {
      ++failures;
      std::printf("FAIL[%s] %s: euler_grid_time(k=%zu) threw %s\n", tname, c.tag.c_str(), k, e.what());
      continue;
    }
    ++comparisons;
    if (!contains_q<T>(tk, tq)) {
      ++failures;
      std::printf("FAIL[%s] %s: t_%zu = %s not in its enclosure\n", tname, c.tag.c_str(), k, exact_text(tq).c_str());
    }
    if (is_point(tk)) ++exact_steps;
    if (k == c.L) break;
    bool touches = false;
    for (double b : c.f.bps)
      if (inf(tk) <= b && b <= sup(tk)) touches = true;
    if (!is_point(tk) && touches) {
      ++refused_steps;
      continue;
    }
    std::size_t sel;
    try {
      sel = select_piece_for(c.f.bps, tk);
    } catch (const std::domain_error&) {
      ++refused_steps;
      continue;
    }
    ++selections;
    if (sel != exact_piece(c.f.bps, tq)) {
      ++failures;
      std::printf("FAIL[%s] %s: step %zu selects piece %zu, exact t_k = %s is in piece %zu\n", tname, c.tag.c_str(), k, sel,
                  exact_text(tq).c_str(), exact_piece(c.f.bps, tq));
    }
  }
  // 2) iterates
  Vec<T> X0(1);
  X0(0) = enc<T>(c.x0q);
  if (c.r0 > 0) X0(0) = X0(0) + convex_hull(T(-c.r0), T(c.r0));
  std::vector<std::vector<Rational>> ex;
  for (const Rational& Tq : Ts) {
    ex.push_back(exact_iterates(c, c.x0q, Tq));
    if (c.r0 > 0) {
      ex.push_back(exact_iterates(c, c.x0q - Rational(c.r0), Tq));
      ex.push_back(exact_iterates(c, c.x0q + Rational(c.r0), Tq));
    }
  }
  auto check = [&](const MapResult<T>& m, const char* what) {
    for (std::size_t k = 0; k < m.iterates.size(); ++k)
      for (const auto& e : ex) {
        ++comparisons;
        if (!contains_q<T>(m.iterates[k](0), e[k])) {
          ++failures;
          std::printf("FAIL[%s] %s %s (%s): x_%zu = %s not in [%.17g, %.17g]\n", tname, what, c.tag.c_str(),
                      m.verdict.is_proved() ? "proved" : "unknown", k, exact_text(e[k]).c_str(),
                      approx_double(inf(m.iterates[k](0))), approx_double(sup(m.iterates[k](0))));
        }
      }
  };
  for (Wrapping w : {Wrapping::qr, Wrapping::box}) {
    MapResult<T> m = enclose_euler_iterates<T>(c.f, X0, eps, c.L, t0, w, 0, TT);
    if (m.verdict.is_proved()) ++proved_span;
    else ++unknown_span;
    check(m, w == Wrapping::qr ? "span/qr" : "span/box");
    MapResult<T> m0 = enclose_euler_iterates<T>(c.f, X0, eps, c.L, t0, w, 0);
    if (m0.verdict.is_proved()) ++proved_nospan;
    check(m0, "nospan");
    if (m0.verdict.is_proved() && !m.verdict.is_proved())
      std::printf("NOTE[%s] %s: proved without the span, unknown with it (%s)\n", tname, c.tag.c_str(), m.verdict.reason().c_str());
    if (c.t0q == 0) {
      MapResult<T> md = euler::enclose_discrete_iterates<T>(c.f, X0, TT, c.L, w);
      check(md, "enclose_discrete_iterates");
      if (md.verdict.is_proved() != m.verdict.is_proved())
        std::printf("NOTE[%s] %s: enclose_discrete_iterates and enclose_euler_iterates(span) differ in verdict\n", tname, c.tag.c_str());
    }
    // 3) a-posteriori bound (point x0 only: e0 = 0)
    if (w == Wrapping::qr && c.r0 == 0 && m.verdict.is_proved()) {
      EulerErrorBound<T> b = upper_bound_euler_error<T>(c.f, m.iterates, eps, t0, R(0), 0, TT);
      if (!b.verdict.is_proved()) {
        ++defect_unknown;
        continue;
      }
      ++defect_proved;
      for (std::size_t si = 0; si < Ts.size(); ++si) {
      const std::vector<MpInterval> xf = exact_flow(c, Ts[si]);
      MpPrecisionScope hi(512);
      for (std::size_t k = 0; k <= c.L; ++k) {
        const MpInterval err = abs(xf[k] - enclose<MpInterval>(ex[si][k]));
        const MpInterval nb = real_mp<R>(b.node_bounds[k]);
        const MpInterval mb = real_mp<R>(b.max_bound);
        ++defect_cmp;
        ++comparisons;
        if (certainly_less(nb, err) || certainly_less(mb, err)) {
          ++failures;
          std::printf("FAIL[%s] defect %s: k=%zu |x(t_k) - y_k| >= %.17g > node bound %.17g (max %.17g)\n", tname, c.tag.c_str(), k,
                      approx_double(inf(err)), approx_double(mid(nb)), approx_double(mid(mb)));
        }
        const double e = approx_double(sup(err));
        if (e > 1e-100) {
          const double ratio = approx_double(mid(nb)) / e;
          if (ratio < 1.0001 && std::getenv("REVIEW_VERBOSE"))
            std::printf("TIGHT[%s] %s k=%zu err in [%.17g, %.17g] node bound %.17g\n", tname, c.tag.c_str(), k, approx_double(inf(err)),
                        e, approx_double(mid(nb)));
          min_slack = std::min(min_slack, ratio);
        }
      }
      }
    }
  }
}
}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 200;
  if (argc > 2) rng.seed(std::strtoull(argv[2], nullptr, 10));
  for (int i = 0; i < n; ++i) {
    const Case c = make_case();
    ++cases;
    run_case<Interval>(c, "Interval");
    {
      MpPrecisionScope p(256);
      run_case<MpInterval>(c, "Mp256");
    }
  }
  std::printf("summary: %ld cases (x2 types), %ld comparisons, span runs proved %ld / unknown %ld (without span proved %ld), "
              "grid times point %ld, steps refused %ld, selections checked %ld, defect proved %ld unknown %ld (%ld node checks, "
              "min node_bound/|err| %.3g), failures %ld\n",
              cases, comparisons, proved_span, unknown_span, proved_nospan, exact_steps, refused_steps, selections, defect_proved,
              defect_unknown, defect_cmp, min_slack, failures);
  return failures == 0 ? 0 : 1;
}
