#!/usr/bin/env bash
# Packaging test: install the build tree into a scratch DESTDIR, then build and run an outside
# program (tests/packaging/consumer) against it twice — with pkg-config (relocated with
# --define-prefix; no -std flag of its own, so the exported Cflags must carry -std=c++20 and the
# soundness flags) and with CMake's find_package(certiformer). Also checks the versioned soname
# and the installed docs. Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd); src=$(cd "$2" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dest="$work/dest"
meson install -C "$build" --no-rebuild --destdir "$dest" --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
libdir=$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"))')
datadir=$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="datadir"))')
root="$dest$prefix"
fail() { echo "FAIL: $*" >&2; exit 1; }

# versioned soname
so=$(ls "$root/$libdir"/libcertiformer.so.*.*.* 2>/dev/null | head -1)
[ -n "$so" ] || fail "no versioned libcertiformer.so.X.Y.Z in $root/$libdir"
readelf -d "$so" | grep -q 'SONAME.*libcertiformer\.so\.0\]' || fail "soname of $so is not libcertiformer.so.0: $(readelf -d "$so" | grep SONAME)"
# docs
[ -f "$root/$datadir/doc/certiformer/README.md" ] || fail "README.md not installed"
[ -f "$root/$datadir/doc/certiformer/linalg.md" ] || fail "docs/linalg.md not installed"

# pkg-config, relocated to the DESTDIR tree
export PKG_CONFIG_PATH="$root/$datadir/pkgconfig"
flags=$(pkg-config --define-prefix --cflags --libs certiformer)
case "$flags" in *-std=c++20*) ;; *) fail "pkg-config Cflags lack -std=c++20: $flags";; esac
case "$flags" in *-frounding-math*) ;; *) fail "pkg-config Cflags lack -frounding-math: $flags";; esac
case "$flags" in *"-I$root/include"*) ;; *) fail "pkg-config not relocated to $root: $flags";; esac
# shellcheck disable=SC2086
# CONSUMER_SANITIZE_FLAGS / CONSUMER_PRELOAD: set by tests/packaging/meson.build in a sanitizer
# build only (the instrumented library needs its sanitizer runtimes first in the process)
san="${CONSUMER_SANITIZE_FLAGS:-}"
# shellcheck disable=SC2086
g++ -O1 $san -o "$work/consumer_pc" "$src/tests/packaging/consumer/consumer.cpp" $flags
LD_LIBRARY_PATH="$root/$libdir" "$work/consumer_pc" || fail "pkg-config consumer gave a wrong result"
echo "pkg-config consumer: ok"

# CMake, found through CMAKE_PREFIX_PATH
cmake -S "$src/tests/packaging/consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$root" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$san" >/dev/null ||
  fail "cmake configure (find_package(certiformer)) failed"
cmake --build "$work/cmake" >/dev/null || fail "cmake build failed"
grep -q -- '-frounding-math' "$work/cmake/CMakeFiles/consumer.dir/flags.make" || fail "CMake target lacks the soundness flags"
LD_LIBRARY_PATH="$root/$libdir" "$work/cmake/consumer" || fail "CMake consumer gave a wrong result"
echo "CMake consumer: ok"

# The Python package (when the build has it, -Dpython): installed and importable from DESTDIR
if ls "$build"/lib/python/certiformer/_core*.so >/dev/null 2>&1; then
  init=$(find "$root" -path '*/certiformer/__init__.py' | head -1)
  [ -n "$init" ] || fail "the Python package certiformer was not installed"
  # (sanitizer build: leaks are not checked in the Python process — CPython does not free
  # everything at exit; the library's own leaks are checked by the C++ tests)
  pyasan="${ASAN_OPTIONS:-}"; [ -z "${CONSUMER_PRELOAD:-}" ] || pyasan="$pyasan:detect_leaks=0"
  ASAN_OPTIONS="$pyasan" LD_PRELOAD="${CONSUMER_PRELOAD:-}" LD_LIBRARY_PATH="$root/$libdir" PYTHONPATH="$(dirname "$(dirname "$init")")" /usr/bin/python3 -c '
import certiformer, sys
c = certiformer.run({"kind": "linear.flow", "A": [[0, 1], [-1, 0]], "x0": [1, 0], "t": 1})
assert certiformer.__file__.startswith(sys.argv[1]), certiformer.__file__
assert c.enclosure("x_at_t").lo[0] <= 0.5403023058681398 <= c.enclosure("x_at_t").hi[0]
' "$root" || fail "the installed Python package does not work"
  echo "Python package: ok"
fi
