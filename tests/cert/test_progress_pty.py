#!/usr/bin/python3
"""Progress on a terminal (docs/cli.md, "Progress"), tested under a pseudo-terminal.

usage: test_progress_pty.py CERTIFORMER CONFIG:PHASE[,PHASE...] ...

For each CONFIG, runs `CERTIFORMER run CONFIG` with stderr on a pseudo-terminal (stdout to a
file) and records every chunk of stderr with its arrival time. The progress line is redrawn
with '\r'; each redraw is parsed as `  <phase>: <parts> (<pct>%), ...`. Asserts:
  * every PHASE listed appears as a phase name (a prefix match);
  * within a phase, the percentage never decreases between successive redraws;
  * while running (first redraw to the final erase), successive redraws or erases of the line
    are at most MAX_GAP s apart;
  * the terminal's last line is blank when the run ends (the line was cleared), and no line
    that was ended by '\\n' holds a piece of a progress line;
  * the run exits 0 and its summary is on stdout;
and that the first config's run with stderr on a pipe writes no progress (no '\r') to stderr.
Prints the measured redraw gaps (max, 99th percentile) per config.
"""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

MAX_GAP = 1.0  # seconds between successive redraws while running

LINE = re.compile(r"^  (?P<phase>.+?): (?P<rest>(?:\d+/\d+ |t |\d+ steps|\d+\.\d s).*)$")
PCT = re.compile(r"\((\d+)%\)")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run_on_pty(exe, config, workdir):
    out_path = os.path.join(workdir, "stdout.txt")
    pid, fd = pty.fork()
    if pid == 0:  # child: stdout to a file, stderr stays on the pseudo-terminal
        os.chdir(workdir)
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.execv(exe, [exe, "run", config])
    chunks = []  # (seconds since start, bytes)
    t0 = time.monotonic()
    while True:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append((time.monotonic() - t0, data))
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    return chunks, os.waitstatus_to_exitcode(status), stdout, time.monotonic() - t0


def check(exe, config, phases, pipe_check):
    name = os.path.basename(config)
    with tempfile.TemporaryDirectory() as wd:
        chunks, code, stdout, wall = run_on_pty(exe, config, wd)
        if code != 0:
            fail(f"{name}: exit status {code}")
        if "proved" not in stdout:
            fail(f"{name}: no summary on stdout: {stdout!r}")
        # split the stream into redraws: the text after each '\r' up to the next '\r' or '\n'
        redraws = []  # (time, text)
        text = "".join(d.decode("utf-8", "replace") for _, d in chunks)
        times = []
        for t, d in chunks:
            times.extend([t] * len(d.decode("utf-8", "replace")))
        events = []  # times of every redraw or erase (the line's last change is its erase)
        for m in re.finditer(r"\r([^\r\n]*)", text):
            seg = m.group(1)
            events.append(times[m.start()])
            if seg.strip():
                redraws.append((times[m.start()], seg.rstrip()))
        # terminal model: '\r' returns to column 0 and overwrites, '\n' ends a line
        lines, cur, col = [], [], 0
        for ch in text:
            if ch == "\r":
                col = 0
            elif ch == "\n":
                lines.append("".join(cur))
                cur, col = [], 0
            else:
                if col < len(cur):
                    cur[col] = ch
                else:
                    cur.append(ch)
                col += 1
        if "".join(cur).strip():
            fail(f"{name}: the last terminal line is not clean: {''.join(cur)!r}")
        for ln in lines:
            if PCT.search(ln) or re.search(r"\d+ steps|ETA ", ln):
                fail(f"{name}: a progress line was left in the output: {ln!r}")
        if not redraws:
            fail(f"{name}: no progress line drawn (run took {wall:.1f} s)")
            return
        seen = []
        last_phase, last_pct = None, -1
        for t, seg in redraws:
            m = LINE.match(seg)
            if not m:
                fail(f"{name}: unparsable progress line {seg!r}")
                continue
            ph = m.group("phase")
            if ph not in seen:
                seen.append(ph)
            p = PCT.search(m.group("rest"))
            pct = int(p.group(1)) if p else None
            if ph != last_phase:
                last_pct = pct
            elif pct is not None and last_pct is not None:
                if pct < last_pct:
                    fail(f"{name}: phase {ph!r} went back from {last_pct}% to {pct}% at {t:.2f} s")
                last_pct = max(last_pct, pct)
            last_phase = ph
        for want in phases:
            if not any(s.startswith(want) for s in seen):
                fail(f"{name}: phase {want!r} never shown (phases: {seen})")
        gaps = sorted(b - a for a, b in zip(events, events[1:]))
        gmax = gaps[-1] if gaps else 0.0
        p99 = gaps[int(0.99 * (len(gaps) - 1))] if gaps else 0.0
        print(f"{name}: {wall:.2f} s, {len(redraws)} redraws, {len(events)} line changes, phases {seen}, "
              f"redraw gap max {gmax:.3f} s, p99 {p99:.3f} s")
        if gmax > MAX_GAP:
            a, b = max(zip(events, events[1:]), key=lambda ab: ab[1] - ab[0])
            last = [seg for t, seg in redraws if t <= a]
            fail(f"{name}: {gmax:.3f} s without a redraw from {a:.2f} s to {b:.2f} s "
                 f"(line: {last[-1] if last else ''!r})")
    # not a terminal: stderr stays silent
    if not pipe_check:
        return
    with tempfile.TemporaryDirectory() as wd:
        r = subprocess.run([exe, "run", config], cwd=wd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if b"\r" in r.stderr or r.returncode != 0:
            fail(f"{name}: with stderr on a pipe: exit {r.returncode}, stderr {r.stderr[:200]!r}")


def main():
    exe = os.path.abspath(sys.argv[1])
    for i, arg in enumerate(sys.argv[2:]):
        config, _, phases = arg.partition(":")
        check(exe, os.path.abspath(config), [p for p in phases.split(",") if p], pipe_check=(i == 0))
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
