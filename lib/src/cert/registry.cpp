// Kind registry and run_config. See cert/registry.hpp.
#include "certiformer/cert/registry.hpp"

#include "certiformer/cert/claims.hpp"
#include "certiformer/cert/linear_flow.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>

#include <unistd.h>

namespace certiformer::cert {

// Kinds defined in lib/src/cert/kinds/*.cpp (each file defines its registry entries).
KindInfo gaussian_blowup_kind();
KindInfo gaussian_moments_kind();
KindInfo gaussian_classify_kind();
KindInfo gaussian_reach_kind();
KindInfo transformer_flow_kind();
KindInfo bellman_gap_kind();
KindInfo euler_error_kind();
KindInfo gradflow_edi_kind();

// ---- progress --------------------------------------------------------------------------------

RunContext::RunContext(bool progress)
    : enabled_(progress && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_ - std::chrono::seconds(1)) {}

RunContext::~RunContext() { clear(); }

void RunContext::progress(std::size_t done, std::size_t total, std::string_view what) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double el = std::chrono::duration<double>(now - start_).count();
  char eta[64] = "";
  if (done > 0 && total > done) std::snprintf(eta, sizeof eta, ", ETA %.1f s", el * double(total - done) / double(done));
  std::fprintf(stderr, "\r  %.*s %zu/%zu (%.0f%%%s)   ", static_cast<int>(what.size()), what.data(), done, total,
               total ? 100.0 * double(done) / double(total) : 100.0, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void RunContext::clear() {
  if (drawn_) {
    std::fprintf(stderr, "\r%*s\r", 79, "");
    std::fflush(stderr);
    drawn_ = false;
  }
}

// ---- registry ----------------------------------------------------------------------------------

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, KindInfo, std::less<>> kinds;
  bool builtins = false;
};

Registry& registry() {
  static Registry r;
  return r;
}

void add_locked(Registry& r, KindInfo k) {
  if (k.name.empty() || !k.run_binary64 || !k.run_mp)
    throw std::logic_error("register_kind: a kind needs a name and runners for both backends");
  if (r.kinds.count(k.name)) throw std::logic_error("register_kind: kind '" + k.name + "' is already registered");
  std::string name = k.name;
  r.kinds.emplace(std::move(name), std::move(k));
}

/// The kinds built into the library. A new kind adds one line here (and its source file to
/// lib/src/cert/meson.build).
std::vector<KindInfo> builtin_kinds() {
  return {
      linear_flow_kind(),
      gaussian_blowup_kind(),
      gaussian_moments_kind(),
      gaussian_classify_kind(),
      gaussian_reach_kind(),
      transformer_flow_kind(),
      bellman_gap_kind(),
      euler_error_kind(),
      gradflow_edi_kind(),
  };
}

Registry& ready_registry() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  if (!r.builtins) {
    r.builtins = true;
    for (auto& k : builtin_kinds()) add_locked(r, std::move(k));
  }
  return r;
}

}  // namespace

void register_kind(KindInfo kind) {
  Registry& r = ready_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  add_locked(r, std::move(kind));
}

const KindInfo* find_kind(std::string_view name) {
  Registry& r = ready_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.kinds.find(name);
  return it == r.kinds.end() ? nullptr : &it->second;
}

std::vector<const KindInfo*> registered_kinds() {
  Registry& r = ready_registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<const KindInfo*> v;
  for (const auto& [n, k] : r.kinds) v.push_back(&k);
  return v;
}

// ---- run_config --------------------------------------------------------------------------------

namespace {

template <class T>
void run_typed(const KindInfo& kind, const ConfigNode& root, const std::vector<ClaimSpec>& specs, RunContext& ctx,
               Certificate& cert) {
  Results<T> results;
  try {
    if constexpr (std::is_same_v<T, Interval>) kind.run_binary64(root, results, ctx);
    else kind.run_mp(root, results, ctx);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::domain_error& e) {
    throw EnclosureFailure(kind.name + ": the enclosure could not be computed: " + e.what());
  } catch (const std::overflow_error& e) {
    throw EnclosureFailure(kind.name + ": the enclosure could not be computed: " + e.what());
  } catch (const std::range_error& e) {
    throw EnclosureFailure(kind.name + ": the enclosure could not be computed: " + e.what());
  }
  ctx.clear();
  results.erase_into(cert);
  const std::size_t kind_claims = cert.claims.size();
  resolve_claims(specs, results, root.file(), cert);
  // User claim ids must not collide with the kind's own claims.
  for (std::size_t i = kind_claims; i < cert.claims.size(); ++i)
    for (std::size_t k = 0; k < kind_claims; ++k)
      if (cert.claims[i].id == cert.claims[k].id)
        throw ConfigError(root.file(), specs[i - kind_claims].path + "/id",
                          "a claim id not used by the kind's own claims", "\"" + cert.claims[i].id + "\"");
}

}  // namespace

Certificate run_config(const ConfigNode& root, const RunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  root.require_object("a JSON object (the config)");
  const ConfigNode kn = root.at("kind");
  const std::string kind_name = kn.is_text() ? kn.as_text() : std::string();
  const KindInfo* kind = find_kind(kind_name);
  if (!kind) {
    std::string names;
    for (const auto* k : registered_kinds()) names += (names.empty() ? "" : ", ") + k->name;
    kn.fail("a known kind (" + names + ")");
  }
  std::vector<std::string> allowed = {"kind", "precision", "claims"};
  allowed.insert(allowed.end(), kind->fields.begin(), kind->fields.end());
  root.only_keys(allowed);

  unsigned precision = kMinPrecision;
  if (auto p = root.find("precision"))
    precision = static_cast<unsigned>(p->as_int(kMinPrecision, kMaxPrecision));
  if (options.precision) {
    if (*options.precision < kMinPrecision || *options.precision > kMaxPrecision)
      throw std::invalid_argument("precision must be in [53, 65536] bits, got " + std::to_string(*options.precision));
    precision = *options.precision;
  }
  const std::vector<ClaimSpec> specs = parse_claims(root);

  Certificate cert;
  cert.build = BuildInfo::current();
  cert.backend = backend_name(precision);
  cert.kind = kind->name;
  cert.input = root.json();
  cert.precision = precision;
  RunContext ctx(options.progress);
  if (precision == 53) {
    run_typed<Interval>(*kind, root, specs, ctx, cert);
  } else {
    MpPrecisionScope scope(precision);
    run_typed<MpInterval>(*kind, root, specs, ctx, cert);
  }
  cert.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return cert;
}

Certificate run_config_file(const std::filesystem::path& file, const RunOptions& options) {
  return run_config(load_config(file), options);
}

}  // namespace certiformer::cert
