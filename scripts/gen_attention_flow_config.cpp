// scripts/gen_attention_flow_config.cpp — writes a transformer.flow config (JSON, exact decimal
// text) of the seeded random attention system of the benchmarks (tests/perf/random_attention.hpp):
// β = 1, H heads with Q, K ∈ R^{d×d} (uniform in ±1/√d), V (±1/(H√d)), affine FFN W (±1/(2√d)),
// b (±1/2), tokens uniform in [−1, 1]; every number a dyadic on the 2^-12 grid, drawn by
// std::mt19937_64 in the same order as the benchmark, so the config is the benchmark's system.
// Not built by meson (a one-off generator; the generated config is committed):
//   g++ -std=c++20 -O1 -o /tmp/gen scripts/gen_attention_flow_config.cpp
//   /tmp/gen 64 16 4 > examples/configs/transformer_flow_attention_n64_d16.json
// Arguments: n d H [model seed = 5] [token seed = 6] [horizon = 1] [token radius, "me-k" or "0"].
// A token radius ρ = m·10^-k (integers m ≥ 0, 0 ≤ k ≤ 24, e.g. 1e-9) writes every token
// coordinate as the exact interval text "[x − ρ, x + ρ]" (a box of initial tokens):
//   /tmp/gen 64 16 4 5 6 1 1e-9 > /tmp/transformer_flow_attention_n64_d16_box.json
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {
double dy(std::mt19937_64& g, double a) {
  std::uniform_real_distribution<double> U(-a, a);
  return std::ldexp(std::round(std::ldexp(U(g), 12)), -12);
}
/// Exact decimal text of k·2^-12 (k = x·4096 an integer): 2^-12 = 244140625·10^-12.
std::string text(double x) {
  const long long k = std::llround(std::ldexp(x, 12));
  if (std::ldexp(static_cast<double>(k), -12) != x) std::abort();
  const unsigned long long a = static_cast<unsigned long long>(k < 0 ? -k : k) * 244140625ULL;
  std::string frac = std::to_string(a % 1000000000000ULL);
  frac = std::string(12 - frac.size(), '0') + frac;
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string s = (k < 0 ? "-" : "") + std::to_string(a / 1000000000000ULL);
  if (!frac.empty()) s += "." + frac;
  return "\"" + s + "\"";
}
/// Exact decimal text of u·10^-24 (u an integer).
std::string text24(__int128 u) {
  const bool neg = u < 0;
  unsigned __int128 a = static_cast<unsigned __int128>(neg ? -u : u);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(a % 10)));
    a /= 10;
  } while (a > 0);
  if (digits.size() <= 24) digits = std::string(25 - digits.size(), '0') + digits;
  std::string ip = digits.substr(0, digits.size() - 24), frac = digits.substr(digits.size() - 24);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return (neg ? "-" : "") + ip + (frac.empty() ? "" : "." + frac);
}
/// "[x − ρ, x + ρ]" exactly, x = k·2^-12 and ρ = rho24·10^-24.
std::string box_text(double x, __int128 rho24) {
  const long long k = std::llround(std::ldexp(x, 12));
  const __int128 u = static_cast<__int128>(k) * 244140625 * static_cast<__int128>(1000000000000LL);  // x·10^24
  return "\"[" + text24(u - rho24) + ", " + text24(u + rho24) + "]\"";
}
/// r × c drawn column by column (as perf_models::rmat), printed row by row.
std::string mat(std::mt19937_64& g, int r, int c, double a, const std::string& indent) {
  std::vector<double> m(static_cast<std::size_t>(r * c));
  for (int j = 0; j < c; ++j)
    for (int i = 0; i < r; ++i) m[static_cast<std::size_t>(i + r * j)] = dy(g, a);
  std::string s = "[";
  for (int i = 0; i < r; ++i) {
    s += i ? ",\n" + indent + " [" : "[";
    for (int j = 0; j < c; ++j) s += (j ? ", " : "") + text(m[static_cast<std::size_t>(i + r * j)]);
    s += "]";
  }
  return s + "]";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s n d H [model_seed] [token_seed] [horizon] [token_radius]\n", argv[0]);
    return 2;
  }
  const int n = std::atoi(argv[1]), d = std::atoi(argv[2]), H = std::atoi(argv[3]);
  const std::uint64_t ms = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 5;
  const std::uint64_t ts = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 6;
  const std::string horizon = argc > 6 ? argv[6] : "1";
  __int128 rho24 = 0;  // the token radius in units of 10^-24
  if (argc > 7 && std::string(argv[7]) != "0") {
    const std::string r = argv[7];
    const auto e = r.find('e');
    const long long m = std::atoll(r.substr(0, e).c_str());
    const int k = e == std::string::npos ? 0 : -std::atoi(r.substr(e + 1).c_str());
    if (m < 0 || k < 0 || k > 24 || r.substr(0, e).find('.') != std::string::npos) {
      std::fprintf(stderr, "token radius: m e-k with integers m >= 0, 0 <= k <= 24 (e.g. 1e-9)\n");
      return 2;
    }
    rho24 = m;
    for (int i = 0; i < 24 - k; ++i) rho24 *= 10;
  }
  auto g = std::mt19937_64(ms);
  const double s = 1.0 / std::sqrt(static_cast<double>(d));
  std::string out = "{\n  \"kind\": \"transformer.flow\",\n  \"model\": {\n    \"dim\": " + std::to_string(d) +
                    ",\n    \"beta\": \"1\",\n    \"heads\": [\n";
  for (int h = 0; h < H; ++h) {
    const std::string q = mat(g, d, d, s, "       ");
    const std::string k = mat(g, d, d, s, "       ");
    const std::string v = mat(g, d, d, s / H, "       ");
    out += "      {\"Q\": " + q + ",\n       \"K\": " + k + ",\n       \"V\": " + v + "}" + (h + 1 < H ? ",\n" : "\n");
  }
  out += "    ],\n    \"W\": " + mat(g, d, d, 0.5 * s, "     ");
  std::vector<double> b(static_cast<std::size_t>(d));
  for (auto& x : b) x = dy(g, 0.5);
  out += ",\n    \"b\": [";
  for (int i = 0; i < d; ++i) out += (i ? ", " : "") + text(b[static_cast<std::size_t>(i)]);
  out += "]\n  },\n  \"tokens\": [";
  auto gt = std::mt19937_64(ts);
  for (int i = 0; i < n; ++i) {
    out += i ? ",\n             [" : "[";
    for (int j = 0; j < d; ++j) {
      const double x = dy(gt, 1.0);
      out += (j ? ", " : "") + (rho24 > 0 ? box_text(x, rho24) : text(x));
    }
    out += "]";
  }
  out += "],\n  \"horizon\": " + horizon + "\n}\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}
