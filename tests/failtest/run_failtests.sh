#!/usr/bin/env bash
# Must-not-compile tests (suite 'failtest').
#
# usage: run_failtests.sh SNIPPET_DIR JOBS COMPILER [FLAGS...]
#   COMPILER FLAGS... is the project's own compile command (compiler, -std, the soundness flags,
#   include directories), passed in by tests/failtest/meson.build.
#
# Every ft_*.cpp is compiled (with -fsyntax-only) in two variants:
#   * as is: the "good" variant (the legal spelling of the same thing) MUST compile;
#   * with -DCF_FAILTEST_BAD plus the flags of its "// BAD-FLAGS:" line: MUST fail, and the
#     compiler's diagnostics MUST match the ERE of its "// EXPECT:" line (it fails for the
#     reason the snippet is about, not because of a typo or a missing include).
# control_all_headers.cpp (every core header, legal uses of everything) MUST compile.
# The control and all good variants are compiled together in one translation unit (each
# snippet's main renamed), which saves a compiler start per snippet; if that fails, each good
# variant is compiled alone to name the culprit. The bad variants are compiled one by one, JOBS
# at a time.
# So the test fails if the harness is broken (wrong include path, wrong compiler: the good
# variants and the control fail) as well as when a forbidden construct starts to compile.
set -u
if [ $# -lt 3 ]; then
  echo "usage: $0 SNIPPET_DIR JOBS COMPILER [FLAGS...]" >&2
  exit 2
fi
dir=$(cd "$1" && pwd) || exit 2
jobs=$2
shift 2
cxx=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "compiler command: ${cxx[*]}"

check_good() {
  local all="$tmp/all_good.cpp" i=0
  {
    echo '#include "certiformer/core.hpp"'
    echo '#include <algorithm>'
    echo '#include <vector>'
    echo '#define main failtest_control_main'
    echo "#include \"$dir/control_all_headers.cpp\""
    echo '#undef main'
    for f in "${snippets[@]}"; do
      i=$((i + 1))
      echo "#define main failtest_main_$i"
      echo "#include \"$f\""
      echo '#undef main'
    done
  } >"$all"
  if "${cxx[@]}" -fsyntax-only "$all" >"$tmp/good.log" 2>&1; then
    echo "PASS control_all_headers and the ${#snippets[@]} good variants compile"
    echo ok >"$tmp/good.status"
    return
  fi
  echo "FAIL: the control or a good variant does not compile (harness or headers broken):"
  head -40 "$tmp/good.log"
  echo fail >"$tmp/good.status"
  for f in "$dir/control_all_headers.cpp" "${snippets[@]}"; do
    "${cxx[@]}" -fsyntax-only "$f" >/dev/null 2>&1 || echo "  does not compile: $(basename "$f")"
  done
}

check_one() {
  local f=$1 name expect bad_flags
  name=$(basename "$f" .cpp)
  expect=$(sed -n 's|^// EXPECT: ||p' "$f" | head -1)
  bad_flags=$(sed -n 's|^// BAD-FLAGS: ||p' "$f" | head -1)
  local what
  what=$(sed -n 's|^// failtest: ||p' "$f" | head -1)
  if [ -z "$expect" ]; then
    echo "FAIL $name: no // EXPECT: line"
    echo fail >"$tmp/$name.status"
    return
  fi
  # shellcheck disable=SC2086  # bad_flags is a flag list
  if "${cxx[@]}" $bad_flags -DCF_FAILTEST_BAD -fsyntax-only "$f" >"$tmp/$name.bad.log" 2>&1; then
    echo "FAIL $name: compiles but must not ($what)"
    echo fail >"$tmp/$name.status"
    return
  fi
  if ! grep -Eq -- "$expect" "$tmp/$name.bad.log"; then
    echo "FAIL $name: fails to compile, but not with /$expect/:"
    grep -E "error" "$tmp/$name.bad.log" | head -10
    echo fail >"$tmp/$name.status"
    return
  fi
  echo "PASS $name ($what)"
  echo ok >"$tmp/$name.status"
}

snippets=("$dir"/ft_*.cpp)
if [ ! -e "${snippets[0]}" ] || [ ! -e "$dir/control_all_headers.cpp" ]; then
  echo "FAIL: no snippets or no control in $dir"
  exit 1
fi

check_good &
running=1
for f in "${snippets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  check_one "$f" &
  running=$((running + 1))
done
wait

n=0
failed=0
for s in "$tmp"/*.status; do
  n=$((n + 1))
  [ "$(cat "$s")" = ok ] || failed=$((failed + 1))
done
expected=$((${#snippets[@]} + 1))
if [ "$n" -ne "$expected" ]; then
  echo "FAIL: $n results for $expected checks"
  exit 1
fi
echo "$((n - failed)) of $n failtest checks passed (${#snippets[@]} must-not-compile snippets + control)"
[ "$failed" -eq 0 ]
