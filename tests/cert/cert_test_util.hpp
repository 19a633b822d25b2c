#pragma once
// Helpers for the cert/CLI tests: scratch directories, files, and in-process CLI calls.
#include "certiformer/cert.hpp"
#include "certiformer_cli.hpp"
#include "test_support.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace certiformer::test {

/// Scale of the wall-time limits some tests check (a run that must end "in seconds"):
/// CERTIFORMER_TEST_TIME_SCALE (default 1, at least 1). scripts/sanitize sets it, because an
/// instrumented -O1 build runs several times slower; the limits themselves stay the release
/// build's.
inline double time_scale() {
  const char* m = std::getenv("CERTIFORMER_TEST_TIME_SCALE");
  const double f = m ? std::atof(m) : 1.0;
  return f >= 1 ? f : 1.0;
}

namespace fs = std::filesystem;

/// A fresh empty directory under the system temp dir, removed on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("certiformer-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Number of entries in a directory (0 if it does not exist).
inline std::size_t entries(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return 0;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir); it != fs::directory_iterator(); ++it) ++n;
  return n;
}

struct CliResult {
  int code;
  std::string out, err;
};

/// Runs `certiformer args...` in-process.
inline CliResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), "certiformer");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  const int code = cli_main(static_cast<int>(args.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

/// Parses a JSON document (plain nlohmann, numbers as numbers).
inline nlohmann::ordered_json parse_plain(const std::string& text) { return nlohmann::ordered_json::parse(text); }

/// The rotation config (x(1) = (cos 1, −sin 1)) with the given claims array text.
inline std::string rotation_config(const std::string& claims = "[]", const std::string& t = "1") {
  return R"({"kind": "linear.flow", "A": [[0, 1], [-1, 0]], "x0": [1, 0], "t": )" + t +
         R"(, "claims": )" + claims + "}";
}

}  // namespace certiformer::test
