#!/usr/bin/env bash
# run_fuzz.sh FUZZER SECONDS BUILDDIR SEED_DIR... — runs the libFuzzer target for SECONDS seconds.
# The working corpus is BUILDDIR/corpus (created; kept between runs, so runs build on each
# other); the seed directories are read only. Crash / leak / timeout inputs are written to
# BUILDDIR/artifacts/. Exit status 0 = no finding.
set -euo pipefail
fuzzer=$1; seconds=$2; dir=$3; shift 3
mkdir -p "$dir/corpus" "$dir/artifacts"
# -timeout: one input taking longer than 30 s is a hang (every run has a 2 s work budget);
# -rss_limit_mb: memory blow-ups are findings; -use_value_profile helps with the many string
# comparisons of the parsers; -print_final_stats reports executions and coverage; exit code 1
# on a finding (libFuzzer's default 77 means "skipped" to meson).
exec "$fuzzer" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -max_len=16384 \
  -use_value_profile=1 -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$dir/artifacts/" \
  -dict="$(dirname "$0")/cert.dict" "$dir/corpus" "$@"
