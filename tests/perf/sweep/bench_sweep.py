"""Benchmark of `certiformer sweep` in parallel (issue 16 §3; suite perf):

    bench_sweep.py CERTIFORMER MPIRUN|"" [REPEATS]

Sub-boxes per second with 1 and 2 threads, and with 1 and 2 MPI ranks (`mpirun -np 1 …
--threads 1`, `mpirun -np 2`), and the load imbalance across evaluators: max/mean of the busy
time (wall time inside sub-box runs) of each thread or rank. Workload: the corner box of
gaussian.blowup (refuted corner, unknown curve), 300 runs at 256 bits (~5–10 ms a run) and 600
runs at binary64 (~0.4 ms a run). Every parallel certificate is also compared with the serial
one (all but wall_s). Prints the median of REPEATS (default 3) runs per setting.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

CORNER = {
    "kind": "gaussian.blowup",
    "model": {"dim": 1, "beta": "[0.25, 2]", "W": [["[-0.5, 0.5]"]], "heads": [{"V": [[1]], "B": [[1]]}]},
    "initial": {"cov": [[1]]},
    "horizon": 3,
    "claims": [{"id": "blowup-before-3", "quantity": "blowup_time", "op": "<", "value": 3}],
}


def strip(path):
    with open(path) as f:
        return "\n".join(l for l in f.read().split("\n") if not l.lstrip().startswith('"wall_s"'))


def main():
    exe, mpirun = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    tmp = tempfile.mkdtemp(prefix="certiformer_bench_sweep_")
    cfg = os.path.join(tmp, "corner.json")
    with open(cfg, "w") as f:
        json.dump(CORNER, f)
    mpi = [mpirun, "--oversubscribe", "--bind-to", "none"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
    settings = [("1 thread", [], ["--threads", "1"]), ("2 threads", [], ["--threads", "2"])]
    if mpirun:
        settings += [("1 MPI rank", mpi + ["-np", "1"], ["--threads", "1"]), ("2 MPI ranks", mpi + ["-np", "2"], [])]
    ok = True
    print(f"load average before: {os.getloadavg()[0]:.2f} (2-core machine; other work on it shows in the numbers)")
    for wl, extra in (("256 bits, 300 runs", ["--max-boxes", "300", "--precision", "256"]),
                      ("binary64, 600 runs", ["--max-boxes", "600"])):
        print(f"\nworkload: corner box, {wl}")
        print(f"{'setting':<14} {'sub-boxes/s':>12} {'wall s':>8} {'imbalance':>10}  busy per evaluator (runs)")
        ref = None
        for name, launcher, opts in settings:
            rates, walls, imbs, lines = [], [], [], []
            for k in range(reps):
                out = os.path.join(tmp, f"c_{len(ref or '')}_{name.replace(' ', '_')}_{k}.json")
                r = subprocess.run(launcher + [exe, "sweep", cfg, "--out", out, "--quiet"] + extra + opts,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=900)
                m = re.search(r"evaluators: (.*); busy (.*); ([0-9.]+) sub-boxes/s; load imbalance max/mean ([0-9.]+)", r.stdout)
                w = re.search(r"runs, \d+ sub-boxes .*?\), ([0-9.]+) s", r.stdout)
                if not m or not w:
                    print(r.stdout, r.stderr)
                    ok = False
                    continue
                rates.append(float(m.group(3)))
                walls.append(float(w.group(1)))
                imbs.append(float(m.group(4)))
                lines.append(m.group(2))
                s = strip(out)
                if ref is None:
                    ref = s
                elif s != ref:
                    print(f"  {name}: certificate DIFFERS from the serial one")
                    ok = False
            if rates:
                i = rates.index(statistics.median(rates)) if statistics.median(rates) in rates else 0
                print(f"{name:<14} {statistics.median(rates):>12.1f} {statistics.median(walls):>8.3f} "
                      f"{statistics.median(imbs):>10.3f}  {lines[i]}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    subprocess.run(["rm", "-rf", tmp])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
