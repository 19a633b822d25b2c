// Review (commit af857cb): the discrete adjoint euler::enclose_loss_gradient selects the layer in
// force at t_k = euler_grid_time(0, ε, k, T, L) — since af857cb a point (the breakpoint itself)
// whenever kT/L is a double, also when ε = T/L is not. This program reuses the independent
// __float128 forward-mode oracle of discrete_adjoint_oracle.cpp (its piece of step k is decided
// exactly: k·T ≥ b·L in __float128, both products exact) on piecewise controls with random binary64
// horizons T ∈ {1, 3, 0.75, 2.5, 0.1d, 0.3d, 7, 1/3d}, depths L ∈ 1..24, and breakpoints drawn from
// the grid times jT/L that are doubles (on-grid, right-continuous), the two doubles next to a grid
// time that is not a double, and random dyadics; pieces with their own weights and causal masks.
// A wrong piece in the forward iterates or in the adjoint fails containment.
// usage: review_discrete_adjoint_grid_oracle [models] [seed]   exit 0 = no containment failure
#define main review_discrete_adjoint_oracle_main
#include "discrete_adjoint_oracle.cpp"
#undef main

namespace {
void group_grid(int count) {
  const double Ts[] = {1, 3, 0.75, 2.5, 0.1, 0.3, 7, 1.0 / 3};
  for (int r = 0; r < count; ++r) {
    const double T = Ts[std::uniform_int_distribution<int>(0, 7)(rng)];
    const std::size_t L = static_cast<std::size_t>(std::uniform_int_distribution<int>(1, 24)(rng));
    std::vector<double> ongrid, near;
    for (std::size_t j = 1; j < L; ++j) {
      const Q q = static_cast<Q>(j) * static_cast<Q>(T) / static_cast<Q>(L);
      const double dq = static_cast<double>(q);
      // exact test: dq·L == j·T in __float128 (both products exact)
      if (static_cast<Q>(dq) * static_cast<Q>(L) == static_cast<Q>(j) * static_cast<Q>(T)) ongrid.push_back(dq);
      else {
        near.push_back(dq);
        near.push_back(static_cast<Q>(dq) * static_cast<Q>(L) < static_cast<Q>(j) * static_cast<Q>(T) ? std::nextafter(dq, 1e300)
                                                                                                    : std::nextafter(dq, -1e300));
      }
    }
    std::vector<double> bps;
    const int nb = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int i = 0; i < nb; ++i) {
      const int w = std::uniform_int_distribution<int>(0, 4)(rng);
      if (w <= 2 && !ongrid.empty()) bps.push_back(ongrid[std::uniform_int_distribution<std::size_t>(0, ongrid.size() - 1)(rng)]);
      else if (w == 3 && !near.empty()) bps.push_back(near[std::uniform_int_distribution<std::size_t>(0, near.size() - 1)(rng)]);
      else bps.push_back(std::uniform_int_distribution<int>(1, 63)(rng) / 64.0 * T);
    }
    std::sort(bps.begin(), bps.end());
    bps.erase(std::unique(bps.begin(), bps.end()), bps.end());
    char buf[512];
    int off = std::snprintf(buf, sizeof buf, "grid#%d T=%.17g bps={", r, T);
    for (double b : bps) off += std::snprintf(buf + off, sizeof buf - static_cast<std::size_t>(off), "%a ", b);
    std::snprintf(buf + off, sizeof buf - static_cast<std::size_t>(off), "}");
    const bool sphere = std::uniform_int_distribution<int>(0, 3)(rng) == 0;
    Model m = base(buf, 2 + std::uniform_int_distribution<int>(0, 1)(rng), sphere ? 3 : 2, 0, sphere, L, T);
    m.kind = 1;
    m.bps = bps;
    Opts o;
    o.biases = std::uniform_int_distribution<int>(0, 1)(rng);
    o.mlp = std::uniform_int_distribution<int>(0, 2)(rng) == 0;
    for (std::size_t i = 0; i <= bps.size(); ++i) {
      o.causal = std::uniform_int_distribution<int>(0, 1)(rng);
      m.layers.push_back(rlayer(m, o));
    }
    finish_model(m);
    if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) m.r0 = 1.0 / 1024;
    run(m);
  }
}
}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 40;
  if (argc > 2) rng.seed(std::strtoull(argv[2], nullptr, 10));
  group_grid(count);
  std::printf("summary [grid]: %d proved, %d unknown, %ld comparisons, worst |oracle - mid|/rad = %.3g (%s), failures %d\n", stats.proved,
              stats.unknown, comparisons, worst_ratio, worst_where.c_str(), failures);
  return failures == 0 ? 0 : 1;
}
