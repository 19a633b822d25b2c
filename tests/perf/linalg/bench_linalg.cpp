// Benchmark (suite 'perf'): the linalg module against the same computation in plain double,
// in the same run. Times are the median over repeated runs of the calling thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID, less sensitive to other processes than wall time), per call.
//
//   mul n = 50, 200: plain double GEMM (Eigen MatrixXd, result preallocated) vs certiformer::linalg::mul
//     for point×point, point×interval, interval×interval (linalg::ProductMethod automatic, a_priori,
//     directed), result a fresh Mat<Interval> as the API returns it;
//     the interval-scalar triple loop (Eigen's Mat<Interval> product) at n = 200, once;
//     MpInterval mul at 256 bits, n = 50.
//   enclose_expm n = 4, 16 (thin random, ‖A‖∞ = 3) vs the same scaling-and-squaring Taylor
//     algorithm in plain double (same s and K, Horner with double GEMMs); also at 256 bits.
//   certify_solve n = 50 vs Eigen PartialPivLU solve in double; also at 256 bits.
#include "certiformer/linalg.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <random>
#include <vector>

#include <Eigen/LU>

using namespace certiformer;
using MatD = Eigen::MatrixXd;

namespace {

double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

/// Median seconds per call over `runs` runs, each run long enough (≥ 20 ms or one call).
double per_call(const std::function<void()>& f, int runs = 7) {
  f();  // warm-up
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    long n = 0;
    const double t0 = cpu_now();
    double el = 0;
    do {
      f();
      ++n;
      el = cpu_now() - t0;
    } while (el < 0.02);
    t.push_back(el / double(n));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

MatD random_matrix(std::mt19937_64& g, int r, int c) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  MatD m(r, c);
  for (int j = 0; j < c; ++j)
    for (int i = 0; i < r; ++i) m(i, j) = u(g);
  return m;
}
Mat<Interval> widen(const MatD& m, double rel) {
  Mat<Interval> r(m.rows(), m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const double w = std::abs(m(i, j)) * rel;
      r(i, j) = Interval(m(i, j) - w, m(i, j) + w);
    }
  return r;
}

void line(const char* what, int n, double t, double base) {
  std::printf("%-44s n=%-4d %12.3f us   ratio %8.2f\n", what, n, t * 1e6, t / base);
}

/// Same algorithm as enclose_expm, in plain double: s, K from the plan, Horner, squaring.
MatD expm_double(const MatD& A, int s, int K) {
  const Eigen::Index n = A.rows();
  const MatD B = A * std::ldexp(1.0, -s);
  MatD P = MatD::Identity(n, n), BP(n, n);
  for (int k = K; k >= 1; --k) {
    BP.noalias() = B * P;
    P = MatD::Identity(n, n) + BP / double(k);
  }
  for (int k = 0; k < s; ++k) {
    BP.noalias() = P * P;
    P = BP;
  }
  return P;
}

}  // namespace

int main() {
  auto g = std::mt19937_64(20240601);
  std::printf("certiformer linalg benchmark (thread CPU time, median per call; ratio = / plain double)\n\n");

  for (int n : {50, 200}) {
    const MatD a = random_matrix(g, n, n), b = random_matrix(g, n, n);
    MatD c(n, n);
    const double t_d = per_call([&] { c.noalias() = a * b; });
    line("double GEMM (MatrixXd, preallocated)", n, t_d, t_d);
    const Mat<Interval> Ap = exact_point<Interval>(a), Bp = exact_point<Interval>(b);
    const Mat<Interval> Ai = widen(a, 1e-10), Bi = widen(b, 1e-10);
    line("mul point x point (automatic = directed)", n, per_call([&] { auto C = linalg::mul(Ap, Bp); }), t_d);
    line("mul point x point (a_priori)", n, per_call([&] { auto C = linalg::mul(Ap, Bp, linalg::ProductMethod::a_priori); }), t_d);
    line("mul point x interval (automatic = a_priori)", n, per_call([&] { auto C = linalg::mul(Ap, Bi); }), t_d);
    line("mul point x interval (directed)", n, per_call([&] { auto C = linalg::mul(Ap, Bi, linalg::ProductMethod::directed); }), t_d);
    line("mul interval x interval (automatic = a_priori)", n, per_call([&] { auto C = linalg::mul(Ai, Bi); }), t_d);
    line("mul interval x interval (directed)", n, per_call([&] { auto C = linalg::mul(Ai, Bi, linalg::ProductMethod::directed); }), t_d);
    const Eigen::VectorXd v = random_matrix(g, n, 1);
    Eigen::VectorXd w(n);
    const double t_v = per_call([&] { w.noalias() = a * v; });
    const Vec<Interval> vi = widen(v, 1e-10);
    line("double GEMV", n, t_v, t_v);
    line("mul interval matrix x interval vector", n, per_call([&] { auto y = linalg::mul(Ai, vi); }), t_v);
    if (n == 200) {
      const double t_loop = per_call([&] { Mat<Interval> C = Ai * Bi; }, 1);
      line("interval-scalar triple loop (Eigen, once)", n, t_loop, t_d);
    }
    if (n == 50) {
      MpPrecisionScope s(256);
      const Mat<MpInterval> Am = exact_point<MpInterval>(a), Bm = exact_point<MpInterval>(b);
      line("mul MpInterval 256 bits (MPFI loop)", n, per_call([&] { auto C = linalg::mul(Am, Bm); }, 3), t_d);
    }
    std::printf("\n");
  }

  for (int n : {4, 16}) {
    MatD a = random_matrix(g, n, n);
    a *= 3.0 / a.cwiseAbs().rowwise().sum().maxCoeff();
    const Mat<Interval> A = exact_point<Interval>(a);
    const auto plan = linalg::expm_parameters(A);
    const double t_d = per_call([&] { MatD e = expm_double(a, plan.squarings, plan.degree); });
    line("expm plain double (same s, K, Horner)", n, t_d, t_d);
    line("linalg::enclose_expm<Interval>", n, per_call([&] { auto E = linalg::enclose_expm(A); }), t_d);
    MpPrecisionScope s(256);
    const Mat<MpInterval> Am = exact_point<MpInterval>(a);
    line("linalg::enclose_expm<MpInterval> 256 bits", n, per_call([&] { auto E = linalg::enclose_expm(Am); }, 3), t_d);
    std::printf("    (s = %d, K = %d for binary64; K = %d at 256 bits)\n", plan.squarings, plan.degree,
                linalg::expm_parameters(Am).degree);
  }
  std::printf("\n");

  {
    const int n = 50;
    MatD a = random_matrix(g, n, n);
    a += 4.0 * MatD::Identity(n, n);
    const Eigen::VectorXd bb = random_matrix(g, n, 1);
    const double t_d = per_call([&] {
      Eigen::PartialPivLU<MatD> lu(a);
      Eigen::VectorXd x = lu.solve(bb);
    });
    line("double PartialPivLU solve", n, t_d, t_d);
    const Mat<Interval> A = widen(a, 1e-12);
    const Vec<Interval> b = widen(bb, 1e-12);
    line("linalg::certify_solve<Interval>", n, per_call([&] { auto r = linalg::certify_solve(A, b); }), t_d);
    line("linalg::certify_inverse<Interval>", n, per_call([&] { auto r = linalg::certify_inverse(A); }), t_d);
    line("linalg::certify_spd<Interval> (A + A^T + 2n I)", n, per_call([&] {
           auto r = linalg::certify_spd(Mat<Interval>(A + Mat<Interval>(A.transpose()) + exact_point<Interval>(MatD(2.0 * n * MatD::Identity(n, n)))));
         }), t_d);
    line("linalg::enclose_symmetric_eigenvalues<Interval>", n, per_call([&] {
           auto r = linalg::enclose_symmetric_eigenvalues(Mat<Interval>(A + Mat<Interval>(A.transpose())));
         }), t_d);
    MpPrecisionScope s(256);
    const Mat<MpInterval> Am = exact_point<MpInterval>(a);
    const Vec<MpInterval> bm = exact_point<MpInterval>(bb);
    line("linalg::certify_solve<MpInterval> 256 bits", n, per_call([&] { auto r = linalg::certify_solve(Am, Vec<MpInterval>(bm)); }, 3), t_d);
  }
  return 0;
}
