// Review: eval_layer_matrix (Interval, constant/piecewise control) vs 256-bit MpInterval scalar
// evaluation at random points of the state box, random shapes (d_k != d, B-form, features,
// missing W / b / biases, all activations, sphere, piecewise).
#include "certiformer/core.hpp"
#include "certiformer/transformer.hpp"
#include <cstdio>
#include <random>
using namespace certiformer;
using namespace certiformer::transformer;
static std::mt19937_64 G(7);
static double dy(double a) { std::uniform_real_distribution<double> U(-a, a); return std::ldexp(std::round(std::ldexp(U(G), 12)), -12); }
struct Spec { Eigen::Index n, d, dp; };
static double PW = 0;  // parameter half-width for the Interval model (0: point parameters)
template <class T> T mk(double v) { if constexpr (std::is_same_v<T, Interval>) return PW > 0 ? Interval(v - PW, v + PW) : Interval(v); else return T(v); }
template <class T> Mat<T> conv(const Mat<double>& m) { Mat<T> r(m.rows(), m.cols()); for (Eigen::Index i=0;i<m.rows();++i) for (Eigen::Index j=0;j<m.cols();++j) r(i,j)=mk<T>(m(i,j)); return r; }
template <class T> Vec<T> convv(const Vec<double>& m) { Vec<T> r(m.size()); for (Eigen::Index i=0;i<m.size();++i) r(i)=mk<T>(m(i)); return r; }
static void jig(Mat<double>& m, double u) { std::uniform_real_distribution<double> U(-1, 1); for (Eigen::Index i=0;i<m.size();++i) m.data()[i] += u * U(G); }
static void jigv(Vec<double>& m, double u) { std::uniform_real_distribution<double> U(-1, 1); for (Eigen::Index i=0;i<m.size();++i) m.data()[i] += u * U(G); }
static Mat<double> rm(Eigen::Index r, Eigen::Index c, double a) { Mat<double> m(r, c); for (Eigen::Index i=0;i<r;++i) for (Eigen::Index j=0;j<c;++j) m(i,j)=dy(a); return m; }
static Vec<double> rv(Eigen::Index r, double a) { Vec<double> m(r); for (Eigen::Index i=0;i<r;++i) m(i)=dy(a); return m; }
struct DLayer { double beta; std::vector<std::array<Mat<double>,4>> heads; Mat<double> W; Vec<double> b; bool mlp; Mat<double> W1, W2; Vec<double> b1, b2; Activation act; };
template <class T> Layer<T> make(const DLayer& D) {
  Layer<T> l; l.beta = mk<T>(D.beta);
  for (auto& h : D.heads) { Head<T> H; if (h[2].size()) H.B = conv<T>(h[2]); else { H.Q = conv<T>(h[0]); H.K = conv<T>(h[1]); } H.V = conv<T>(h[3]); l.heads.push_back(H); }
  if (D.W.size()) l.W = conv<T>(D.W);
  if (D.b.size()) l.b = convv<T>(D.b);
  if (D.mlp) { Mlp<T> M; M.W1 = conv<T>(D.W1); M.W2 = conv<T>(D.W2); if (D.b1.size()) M.b1 = convv<T>(D.b1); if (D.b2.size()) M.b2 = convv<T>(D.b2); M.activation = D.act; l.mlp = M; }
  return l;
}
static DLayer rlayer(Eigen::Index d, Eigen::Index m, double scale) {
  DLayer D; D.beta = 0.1 + std::fabs(dy(2));
  int H = (int)(G() % 4);
  for (int h = 0; h < H; ++h) {
    std::array<Mat<double>,4> a; Eigen::Index dk = 1 + (Eigen::Index)(G() % 5);
    if (G() % 2) a[2] = rm(m, m, scale); else { a[0] = rm(dk, m, scale); a[1] = rm(dk, m, scale); }
    a[3] = rm(d, m, 1); D.heads.push_back(a);
  }
  if (G() % 2) D.W = rm(d, d, 1);
  if (G() % 2) D.b = rv(d, 1);
  D.mlp = G() % 2;
  if (D.mlp) { Eigen::Index w = 1 + (Eigen::Index)(G() % 4); D.W1 = rm(w, d, 1); D.W2 = rm(d, w, 1); if (G()%2) D.b1 = rv(w, 1); if (G()%2) D.b2 = rv(d, 1); D.act = (Activation)(G() % 3); }
  return D;
}
int main(int argc, char** argv) {
  if (argc > 1) PW = std::atof(argv[1]);
  int fails = 0, checks = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Eigen::Index n = 1 + (Eigen::Index)(G() % 6), d = 1 + (Eigen::Index)(G() % 4), dp = (Eigen::Index)(G() % 3);
    Eigen::Index m = d + dp;
    bool sphere = G() % 3 == 0;
    double scale = (trial % 4 == 0) ? 20.0 : 1.0;
    int pieces = 1 + (int)(G() % 2);
    std::vector<DLayer> Ds; for (int p = 0; p < pieces; ++p) Ds.push_back(rlayer(d, m, scale));
    Mat<double> P = dp ? rm(n, dp, 1) : Mat<double>();
    double w = (trial % 3 == 0) ? 0.0 : (trial % 3 == 1 ? 1e-6 : 0.05);
    Vec<double> x0 = rv(n * d, 1);
    double tt = pieces == 2 ? ((G() % 2) ? 0.25 : 0.75) : 0.0;
    std::vector<Layer<Interval>> li; for (auto& D : Ds) li.push_back(make<Interval>(D));
    Control<Interval> ci = pieces == 1 ? Control<Interval>::constant(li[0]) : Control<Interval>::piecewise({0.5}, li);
    TransformerField<Interval> fi(n, d, ci, sphere, conv<Interval>(P));
    Vec<Interval> X(n * d), F(n * d);
    for (Eigen::Index i = 0; i < X.size(); ++i) X(i) = Interval(x0(i) - w, x0(i) + w);
    try { fi(Interval(tt), X, F); } catch (const std::exception& e) { std::printf("trial %d threw %s\n", trial, e.what()); continue; }
    MpPrecisionScope scope(256);
    std::uniform_real_distribution<double> U(-1, 1);
    for (int k = 0; k < 6; ++k) {
    std::vector<DLayer> Dj = Ds; Mat<double> Pj = P;
    if (PW > 0 && k > 0) for (auto& D : Dj) { std::uniform_real_distribution<double> U1(-1, 1); D.beta += PW * U1(G); for (auto& h : D.heads) for (auto& mm : h) jig(mm, PW); jig(D.W, PW); jigv(D.b, PW); jig(D.W1, PW); jig(D.W2, PW); jigv(D.b1, PW); jigv(D.b2, PW); }
    if (PW > 0 && k > 0) jig(Pj, PW);
    std::vector<Layer<MpInterval>> lm; for (auto& D : Dj) lm.push_back(make<MpInterval>(D));
    Control<MpInterval> cm = pieces == 1 ? Control<MpInterval>::constant(lm[0]) : Control<MpInterval>::piecewise({0.5}, lm);
    TransformerField<MpInterval> fm(n, d, cm, sphere, conv<MpInterval>(Pj));
      Vec<MpInterval> x(n * d), fx(n * d);
      for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = MpInterval(x0(i) + (k == 0 ? 0.0 : (k == 1 ? -w : (k == 2 ? w : w * U(G)))));
      fm(MpInterval(tt), x, fx);
      for (Eigen::Index i = 0; i < fx.size(); ++i) {
        ++checks;
        if (!(MpReal(inf(F(i))) <= inf(fx(i)) && MpReal(sup(F(i))) >= sup(fx(i)))) {
          ++fails;
          if (fails < 10) std::printf("FAIL trial %d n=%ld d=%ld dp=%ld i=%ld F=[%a,%a] mp=%s\n", trial, (long)n, (long)d, (long)dp, (long)i, inf(F(i)), sup(F(i)), to_string(fx(i)).c_str());
        }
      }
    }
  }
  std::printf("checks=%d fails=%d\n", checks, fails);
  return fails != 0;
}
