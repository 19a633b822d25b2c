// Precompiled header of the certiformer library target (lib/meson.build, `cpp_pch`).
//
// Build time only: meson compiles this header once per build directory with the library's own
// flags (the soundness flags -frounding-math -ffp-contract=off -fno-fast-math included) and
// passes it to every library source with `-include`. It holds the heavy third-party headers that
// nearly every source includes anyway (Eigen, Boost.Interval / Multiprecision via core,
// nlohmann::json, the standard library) and the stable core and linalg headers. It changes no
// code: each source still includes what it uses, and `meson setup -Db_pch=false` builds the same
// library without it. Measured effect: docs/performance.md, "Build time".
//
// Keep to headers that are stable and that no source configures with macros before including
// them (a source that #defines EIGEN_* or BOOST_* first would see the precompiled version).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Dense>
#include <boost/container/small_vector.hpp>
#include <nlohmann/json.hpp>

#include "certiformer/linalg.hpp"
