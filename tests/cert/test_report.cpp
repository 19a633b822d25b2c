// tests/cert: `certiformer report` (cert/report.hpp). For example certificates of every kind, in
// every format (md, csv, latex) and at several digit counts, every printed interval — parsed back
// as an exact decimal — contains the certificate's exact interval [lo_hex, hi_hex] (and, for
// K ≤ 17 digits, its 17-digit decimal interval [lo, hi]), and is the tightest K-digit outward
// rounding. A round-to-nearest formatter fails this test (about half the endpoints round inward).
//
// The certificates come from the fast bundled examples (one or more of every kind, run
// in-process at their own precision); CERTIFORMER_REPORT_CERT_DIR=DIR adds every *.cert.json of
// DIR (e.g. the ./certificates/ of a full `certiformer` run).
#include "cert_test_util.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>

using namespace certiformer;
using namespace certiformer::cert;
using test::cli;
using test::ScratchDir;

namespace {

/// Fast examples (< 1 s each on an idle core): every kind at least once, binary64 and MPFI.
const char* const kExamples[] = {
    "bellman_gate_1d.json",           "damped_oscillator_mp.json",        "euler_linear.json",
    "gaussian_blowup_2d.json",        "gaussian_blowup_scalar_mp.json",   "gaussian_classify_converges.json",
    "gaussian_classify_equilibrium.json", "gaussian_moments.json",        "gaussian_moments_general_v.json",
    "gaussian_reach.json",            "gradflow_piecewise_path.json",     "nilpotent_bias.json",
    "rotation.json",                  "stable3d_bias.json",               "transformer_flow_small.json",
};

/// What the report must enclose for one row: the exact hex interval (and the certificate's own
/// decimal interval, when it has one).
struct Expected {
  std::string lo_hex, hi_hex, lo_dec, hi_dec;
  bool claim = false;
};

void expect_enclosure(std::map<std::string, Expected>& m, const std::string& name, const EndpointText& e) {
  m[name] = Expected{e.lo_hex, e.hi_hex, e.lo, e.hi, false};
}

/// Every numeric row of the certificate, named like the report names it.
std::map<std::string, Expected> expected_rows(const Certificate& c) {
  std::map<std::string, Expected> m;
  for (const auto& [name, v] : c.results) {
    if (const auto* e = std::get_if<EndpointText>(&v)) {
      expect_enclosure(m, name, *e);
    } else if (const auto* ev = std::get_if<EnclosureVector>(&v)) {
      for (std::size_t i = 0; i < ev->size(); ++i) expect_enclosure(m, name + "[" + std::to_string(i) + "]", (*ev)[i]);
    } else if (const auto* em = std::get_if<EnclosureMatrix>(&v)) {
      for (std::size_t i = 0; i < em->size(); ++i)
        for (std::size_t j = 0; j < (*em)[i].size(); ++j)
          expect_enclosure(m, name + "[" + std::to_string(i) + "][" + std::to_string(j) + "]", (*em)[i][j]);
    } else if (const auto* mp = std::get_if<EnclosureMap>(&v)) {
      for (const auto& [k, e] : *mp) expect_enclosure(m, name + "[" + k + "]", e);
    } else if (const auto* b = std::get_if<OneSidedText>(&v)) {
      expect_enclosure(m, name, b->implied_enclosure());
    } else if (const auto* bm = std::get_if<OneSidedMap>(&v)) {
      for (const auto& [k, b] : *bm) expect_enclosure(m, name + "[" + k + "]", b.implied_enclosure());
    }
  }
  for (const auto& cl : c.claims) {
    Expected x;
    x.claim = true;
    if (cl.margin) x = Expected{cl.margin->lo_hex, cl.margin->hi_hex, cl.margin->lo, cl.margin->hi, true};
    m["claim:" + cl.id] = x;
  }
  return m;
}

/// A printed row: name → (lower, upper) text as printed (numbers in plain "1.5e-07" form).
using Printed = std::map<std::string, std::pair<std::string, std::string>>;

std::vector<std::string> split_cells(const std::string& line, const std::string& sep) {
  std::vector<std::string> cells;
  std::size_t pos = 0;
  while (true) {
    const auto next = line.find(sep, pos);
    cells.push_back(line.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) break;
    pos = next + sep.size();
  }
  return cells;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(' ');
  const auto b = s.find_last_not_of(' ');
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

Printed parse_md(const std::string& text) {
  Printed p;
  static const std::regex quantity(R"(^\| `([^`]+)`(?: \([^|]*\))? \| (\S+) \| (\S+) \|$)");
  static const std::regex claim(R"(^\| `([^`]+)` \| (proved|refuted|unknown) \| .*\| (\S*) \| (\S*) \|$)");
  std::istringstream in(text);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, claim)) {
      // the last two cells are the margin (empty without one); the statement may hold "\|"
      const auto cells = split_cells(line, " | ");
      REQUIRE(cells.size() >= 5);
      std::string hi = cells.back();
      hi = trim(hi.substr(0, hi.size() - 1));  // drop the closing "|"
      p["claim:" + m[1].str()] = {trim(cells[cells.size() - 2]), hi};
    } else if (std::regex_match(line, m, quantity)) {
      p[m[1].str()] = {m[2].str(), m[3].str()};
    }
  }
  return p;
}

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> f(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') f.back() += '"', ++i;
      else if (ch == '"') quoted = false;
      else f.back() += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      f.emplace_back();
    } else {
      f.back() += ch;
    }
  }
  return f;
}

Printed parse_csv(const std::string& text) {
  Printed p;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  CHECK(line == "type,name,lower,upper,verdict,text,label");
  while (std::getline(in, line)) {
    const auto f = csv_fields(line);
    REQUIRE(f.size() == 7);
    if (f[0] == "text") continue;
    p[(f[0] == "claim" ? "claim:" : "") + f[1]] = {f[2], f[3]};
  }
  return p;
}

/// "$1.5\times10^{-7}$" → "1.5e-7"; "$\infty$" → "inf"; "" → "".
std::string from_tex(const std::string& cell) {
  const std::string s = trim(cell);
  if (s.empty()) return s;
  if (s == "$\\infty$") return "inf";
  if (s == "$-\\infty$") return "-inf";
  static const std::regex num(R"(^\$([+-]?[0-9.]+)(?:\\times10\^\{(-?[0-9]+)\})?\$$)");
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_match(s, m, num), "not a LaTeX number: " << s);
  std::string r = m[1].str();
  if (m[2].matched) r.append(1, 'e').append(m[2].str());
  return r;
}

std::string from_tex_name(std::string s) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && std::string("_&%$#{}").find(s[i + 1]) != std::string::npos) continue;
    r += s[i];
  }
  return r;
}

Printed parse_latex(const std::string& text) {
  Printed p;
  static const std::regex quantity(R"(^\\texttt\{(.+?)\}(?: \((?:upper bound|lower bound|\\texttt\{[^&]*\})\))? & (\$[^&]*\$) & (\$[^&]*\$) \\\\$)");
  static const std::regex claim(R"(^\\texttt\{(.+?)\} & (?:proved|refuted|unknown) & .* & ([^&]*) & ([^&]*) \\\\$)");
  std::istringstream in(text);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, quantity)) p[from_tex_name(m[1].str())] = {from_tex(m[2].str()), from_tex(m[3].str())};
    else if (std::regex_match(line, m, claim))
      p["claim:" + from_tex_name(m[1].str())] = {from_tex(m[2].str()), from_tex(m[3].str())};
  }
  return p;
}

/// Exact value of an endpoint text (decimal or hex); ±inf as a flag.
struct Exact {
  int inf = 0;  // -1: -inf, +1: +inf
  Rational q;
};
Exact exact(const std::string& s) {
  if (s == "inf") return {1, {}};
  if (s == "-inf") return {-1, {}};
  return {0, parse_exact(s)};
}
bool le(const Exact& a, const Exact& b) {
  if (a.inf == -1 || b.inf == 1) return true;
  if (a.inf == 1 || b.inf == -1) return false;
  return a.q <= b.q;
}

Rational pow10(int e) {
  Rational r = 1;
  for (int i = 0; i < std::abs(e); ++i) r *= 10;
  return e >= 0 ? r : Rational(1) / r;
}

/// The printed bound d of the exact value x at K digits is the tightest outward one: moving d one
/// unit of its K-th significant digit toward x crosses x (exact rational arithmetic).
void check_tight(const std::string& printed, const std::string& hex, bool upper, int digits, const std::string& what) {
  const Exact d = exact(printed), x = exact(hex);
  if (d.inf || x.inf) {
    CHECK_MESSAGE(d.inf == x.inf, what << ": printed " << printed << " for " << hex);
    return;
  }
  if (d.q == 0) {
    CHECK_MESSAGE(x.q == 0, what << ": printed 0 for " << hex);
    return;
  }
  const Rational a = abs(d.q);
  int e = static_cast<int>(std::floor(std::log10(a.convert_to<double>())));
  while (pow10(e) > a) --e;
  while (pow10(e + 1) <= a) ++e;
  const Rational unit = pow10(e - digits + 1);
  const bool tight = upper ? d.q - unit < x.q : d.q + unit > x.q;
  CHECK_MESSAGE(tight, what << ": printed " << printed << " is not the tightest " << digits << "-digit bound of " << hex);
}

/// Checks one report against its certificate; returns the number of endpoints checked.
std::size_t check_report(const Certificate& c, const Printed& p, int digits, const std::string& what) {
  const auto want = expected_rows(c);
  CHECK_MESSAGE(p.size() == want.size(), what << ": " << p.size() << " numeric rows printed, " << want.size()
                                              << " in the certificate");
  std::size_t n = 0;
  for (const auto& [name, x] : want) {
    const auto it = p.find(name);
    if (it == p.end()) {
      FAIL_CHECK(what << ": row " << name << " missing");
      continue;
    }
    const auto& [lo, hi] = it->second;
    if (x.claim && x.lo_hex.empty()) {  // a claim without a margin prints none
      CHECK_MESSAGE((lo.empty() && hi.empty()), what << ": " << name << " printed a margin it does not have");
      continue;
    }
    const std::string row = what + " " + name;
    CHECK_MESSAGE(le(exact(lo), exact(x.lo_hex)), row << ": printed lower " << lo << " > exact " << x.lo_hex);
    CHECK_MESSAGE(le(exact(x.hi_hex), exact(hi)), row << ": printed upper " << hi << " < exact " << x.hi_hex);
    if (digits <= 17) {
      CHECK_MESSAGE(le(exact(lo), exact(x.lo_dec)), row << ": printed lower " << lo << " > certificate's " << x.lo_dec);
      CHECK_MESSAGE(le(exact(x.hi_dec), exact(hi)), row << ": printed upper " << hi << " < certificate's " << x.hi_dec);
    }
    check_tight(lo, x.lo_hex, false, digits, row + " (lower)");
    check_tight(hi, x.hi_hex, true, digits, row + " (upper)");
    n += 2;
  }
  return n;
}

/// The example certificates: fast examples run in-process, written and read back as files.
std::vector<std::pair<std::string, std::filesystem::path>> certificates(const ScratchDir& dir) {
  std::vector<std::pair<std::string, std::filesystem::path>> r;
  for (const char* name : kExamples) {
    const auto config = std::filesystem::path(CERTIFORMER_TEST_EXAMPLES_DIR) / name;
    const Certificate c = run_config_file(config, RunOptions{});
    const auto file = dir / (std::string(name) + ".cert.json");
    write_file_atomically(file, c.to_json().dump(2) + "\n");
    r.emplace_back(name, file);
  }
  if (const char* extra = std::getenv("CERTIFORMER_REPORT_CERT_DIR"))
    for (const auto& e : std::filesystem::directory_iterator(extra))
      if (e.path().string().ends_with(".cert.json")) r.emplace_back(e.path().filename().string(), e.path());
  return r;
}

}  // namespace

TEST_CASE("outward_decimal rounds the exact hex value down / up at K digits") {
  // 0.1 as a double is 0.1000000000000000055511151231257827…
  CHECK(outward_decimal("0x1.999999999999ap-4", false, 6) == "0.1");
  CHECK(outward_decimal("0x1.999999999999ap-4", true, 6) == "0.100001");
  CHECK(outward_decimal("-0x1.999999999999ap-4", false, 6) == "-0.100001");
  CHECK(outward_decimal("-0x1.999999999999ap-4", true, 6) == "-0.1");
  CHECK(outward_decimal("0x1.999999999999ap-4", true, 17) == "0.10000000000000001");
  CHECK(outward_decimal("0x1.999999999999ap-4", false, 17) == "0.1");
  CHECK(outward_decimal("0x1.999999999999ap-4", false, 18) == "0.100000000000000005");
  // 2/3 in binary64 is 0.66666666666666662965923251249478198587894439697265625
  CHECK(outward_decimal("0x1.5555555555555p-1", false, 3) == "0.666");
  CHECK(outward_decimal("0x1.5555555555555p-1", true, 3) == "0.667");
  CHECK(outward_decimal("0x1.5555555555555p-1", true, 1) == "0.7");
  CHECK(outward_decimal("0x1.5555555555555p-1", false, 1) == "0.6");
  // exact decimals stay exact; zero; infinities pass through
  CHECK(outward_decimal("0x1p-1", false, 1) == "0.5");
  CHECK(outward_decimal("0x1p-1", true, 1) == "0.5");
  CHECK(outward_decimal("0x0p+0", false, 6) == "0");
  CHECK(outward_decimal("inf", true, 6) == "inf");
  CHECK(outward_decimal("-inf", false, 6) == "-inf");
  // a value just below a power of ten: rounding up changes the exponent
  CHECK(outward_decimal("0x1.fffffffffffffp-1", true, 6) == "1");
  CHECK(outward_decimal("0x1.fffffffffffffp-1", false, 6) == "0.999999");
  // large and small magnitudes are printed in exponent form
  CHECK(outward_decimal("0x1.0a5bb2c8a2b3dp+420", true, 3) == "2.82e+126");
  CHECK(outward_decimal("0x1.0a5bb2c8a2b3dp+420", false, 3) == "2.81e+126");
  // a 256-bit endpoint (more bits than a double holds) is rounded exactly, not via binary64
  CHECK(outward_decimal("0x1.00000000000000000000000000001p+0", true, 30) == "1.00000000000000000000000000001");
  CHECK(outward_decimal("0x1.00000000000000000000000000001p+0", false, 30) == "1");
  CHECK_THROWS_AS(outward_decimal("nan", true, 6), std::invalid_argument);
  CHECK_THROWS_AS(outward_decimal("0x1p+0", true, 0), std::invalid_argument);
  CHECK_THROWS_AS(outward_decimal("0x1p+0", true, kReportMaxDigits + 1), std::invalid_argument);
  CHECK_THROWS_AS(parse_report_format("html"), std::invalid_argument);
}

TEST_CASE("every printed interval of every example certificate contains the certificate's, in md, csv and latex") {
  ScratchDir dir("report");
  const auto certs = certificates(dir);
  REQUIRE(certs.size() >= std::size(kExamples));
  std::size_t endpoints = 0;
  std::map<std::string, int> kinds;
  for (const auto& [name, file] : certs) {
    const Certificate c = Certificate::from_json(load_config(file));
    ++kinds[c.kind];
    for (const int digits : {1, 3, 6, 17, 25}) {
      for (const char* format : {"md", "csv", "latex"}) {
        const std::string what = name + " --format " + format + " --digits " + std::to_string(digits);
        const auto r = cli({"report", file.string(), "--format", format, "--digits", std::to_string(digits)});
        REQUIRE_MESSAGE(r.code == 0, what << ": " << r.err);
        CHECK(r.err.empty());
        const Printed p = std::string(format) == "md" ? parse_md(r.out)
                          : std::string(format) == "csv" ? parse_csv(r.out) : parse_latex(r.out);
        endpoints += check_report(c, p, digits, what);
        // the library call prints the same document the CLI does
        CHECK(r.out == report(c, parse_report_format(format), digits, file.string()));
      }
    }
  }
  // every kind of the registry is covered
  for (const char* k : {"linear.flow", "gaussian.blowup", "gaussian.moments", "gaussian.classify", "gaussian.reach",
                        "euler.error", "bellman.gap", "gradflow.edi", "transformer.flow"})
    CHECK_MESSAGE(kinds.count(k) == 1, "no example certificate of kind " << k);
  MESSAGE(certs.size() << " certificates, " << endpoints << " printed endpoints checked");
  CHECK(endpoints > 1000);
}

TEST_CASE("report: default digits, text results, claims without margins, errors") {
  ScratchDir dir("report-misc");
  const auto file = dir / "blowup.cert.json";
  const Certificate c = run_config_file(std::filesystem::path(CERTIFORMER_TEST_EXAMPLES_DIR) / "gaussian_blowup_2d.json",
                                        RunOptions{});
  write_file_atomically(file, c.to_json().dump(2) + "\n");
  const auto md = cli({"report", file.string()});
  CHECK(md.code == 0);
  CHECK(md.out == report(c, ReportFormat::markdown, kReportDefaultDigits, file.string()));
  CHECK(md.out.find("| `status` | blowup |") != std::string::npos);
  CHECK(md.out.find("| `gaussian-blowup` | proved |") != std::string::npos);
  const auto csv = cli({"report", file.string(), "--format", "csv"});
  CHECK(csv.out.find("\ntext,status,,,,blowup,\n") != std::string::npos);
  // bad command lines and bad files
  CHECK(cli({"report", file.string(), "--format", "html"}).code == 64);
  CHECK(cli({"report", file.string(), "--digits", "0"}).code == 64);
  CHECK(cli({"report"}).code == 64);
  test::write_text(dir / "bad.json", R"({"kind": "linear.flow"})");
  const auto bad = cli({"report", (dir / "bad.json").string()});
  CHECK(bad.code == 65);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("bad.json") != std::string::npos);
}
