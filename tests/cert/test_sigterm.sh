#!/usr/bin/env bash
# SIGTERM (as sent by `timeout`) ends `certiformer run` cleanly: the finished certificate's lines
# are in the redirected stdout, the running config ends unknown with "stopped: terminated
# (SIGTERM)", the rest is listed as not started, exit status 2. Usage: test_sigterm.sh CERTIFORMER
set -uo pipefail
exe="$1"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat > "$work/quick.json" <<'JSON'
{"kind": "linear.flow", "A": [[0, 1], [-1, 0]], "x0": [1, 0], "t": 1}
JSON
cat > "$work/slow.json" <<'JSON'
{"kind": "transformer.flow",
  "model": {"dim": 2, "beta": "1", "W": [["-0.5", "0.25"], ["0.1", "-0.3"]], "b": ["0.05", "-0.1"],
            "heads": [{"Q": [["0.8", "-0.2"], ["0.3", "0.5"]], "K": [["0.4", "0.1"], ["-0.6", "0.9"]],
                       "V": [["0.5", "-0.25"], ["0.125", "0.75"]]}]},
  "tokens": [[1, 0], ["-0.5", "0.75"], ["0.25", -1]],
  "horizon": 1e6}
JSON
start=$(date +%s)
timeout --preserve-status -s TERM 3 "$exe" run "$work/quick.json" "$work/slow.json" "$work/quick.json" --out-dir "$work/certs" \
  --time-limit 0 --max-steps 0 >"$work/out.txt" 2>"$work/err.txt"
code=$?
took=$(( $(date +%s) - start ))
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$work/out.txt"; echo "--- stderr"; cat "$work/err.txt"; exit 1; }
[ "$code" -eq 2 ] || fail "exit status $code, expected 2 (unknown)"
[ "$took" -lt 20 ] || fail "took $took s after SIGTERM at 3 s"
grep -q 'quick.json: linear.flow' "$work/out.txt" || fail "the finished certificate's lines are missing from stdout"
grep -q 'partial: 2 of 3 files done, 1 not started (stopped (signal) before it started)' "$work/out.txt" || fail "no partial summary"
grep -q 'stopped: terminated (SIGTERM)' "$work/certs/slow.cert.json" || fail "the stopped run's certificate lacks the reason"
grep -q '"verdict": "proved"' "$work/certs/slow.cert.json" && fail "the stopped run proved something"
# SIGKILL cannot be handled: the lines of the certificate finished before it must still be in the
# file (stdout is flushed after every certificate).
timeout -s KILL 3 "$exe" run "$work/quick.json" "$work/slow.json" --time-limit 0 --max-steps 0 >"$work/out.txt" 2>"$work/err.txt"
grep -q 'quick.json: linear.flow' "$work/out.txt" || fail "after SIGKILL the finished certificate's lines are lost (no flush)"
echo "SIGTERM: clean stop after ${took} s, exit 2, partial summary and certificates kept"
