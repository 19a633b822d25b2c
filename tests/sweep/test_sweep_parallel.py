"""certiformer sweep in parallel (issue 16 §3): the certificate does not depend on how the
sub-box runs are distributed, and a killed run resumes from its checkpoint to the same cover.

    test_sweep_parallel.py CERTIFORMER threads
    test_sweep_parallel.py CERTIFORMER mpi MPIRUN|"" MPI_BUILT(0|1)

threads: --threads 2 and --threads 3 reproduce the --threads 1 certificate byte for byte except
         the line "wall_s" (the wall time: the only field that depends on the run, not on the
         config); a run killed with SIGKILL after some sub-box runs (--threads 2, --checkpoint)
         and started again gives the same cover, keeps every run of the checkpoint (none is run
         again) and runs fewer sub-boxes than the whole sweep.
mpi:     `mpirun -np 3 --oversubscribe` (and -np 2) reproduce the single-process certificate the
         same way; a run under mpirun stopped with SIGTERM mid-way and resumed under mpirun
         gives the same cover. Exit 77 (skipped, reported as SKIP by meson) when mpirun is not
         installed or certiformer was built without MPI.
Two configs: the corner box of gaussian.blowup (refuted corner, unknown curve) at binary64 with
600 runs (fast), and at 256 bits (slow enough, ~10 ms per run, to kill mid-way).
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

CORNER = {
    "kind": "gaussian.blowup",
    "model": {"dim": 1, "beta": "[0.25, 2]", "W": [["[-0.5, 0.5]"]], "heads": [{"V": [[1]], "B": [[1]]}]},
    "initial": {"cov": [[1]]},
    "horizon": 3,
    "claims": [{"id": "blowup-before-3", "quantity": "blowup_time", "op": "<", "value": 3}],
}

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def without_timing(path):
    """The certificate's bytes without the wall_s line (wall time)."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    kept = [l for l in lines if not l.lstrip().startswith(b'"wall_s"')]
    check(len(lines) - len(kept) == 1, f"{os.path.basename(path)}: exactly one wall_s line is left out")
    return b"\n".join(kept)


def run(cmd, env=None, expect=(0, 1, 2)):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, timeout=300)
    if r.returncode not in expect:
        print(r.stdout, r.stderr)
    check(r.returncode in expect, " ".join(os.path.basename(c) for c in cmd[:4]) + f" ... exit {r.returncode}")
    return r


def journal(checkpoint):
    """The finished runs of a checkpoint journal (line 1 is the header; a last line cut short by
    a kill has no newline and is not a run yet)."""
    try:
        with open(checkpoint) as f:
            text = f.read()
    except OSError:
        return []
    lines = text[: text.rfind("\n") + 1].splitlines()
    return [json.loads(l)["run"] for l in lines[1:]]


def runs_in(checkpoint):
    try:
        return len(journal(checkpoint))
    except ValueError:
        return 0


def kill_and_resume(tmp, name, launcher, sweep_args, reference, sig, after_runs):
    """Starts the sweep, kills it with `sig` once its checkpoint holds `after_runs` runs, checks
    the checkpoint, resumes, and compares the cover with the reference certificate."""
    ck = os.path.join(tmp, name + ".ckpt.json")
    out = os.path.join(tmp, name + ".cert.json")
    cmd = launcher + sweep_args + ["--out", out, "--checkpoint", ck, "--quiet"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    t0 = time.time()
    while runs_in(ck) < after_runs and p.poll() is None and time.time() - t0 < 120:
        time.sleep(0.01)
    was_running = p.poll() is None
    check(was_running, f"{name}: still running after {runs_in(ck)} committed runs (killed mid-way)")
    if sig == signal.SIGKILL:
        os.killpg(p.pid, signal.SIGKILL)
    else:
        p.send_signal(sig)
    out_text, err_text = p.communicate(timeout=120)
    print(f"{name}: {signal.Signals(sig).name} after {time.time() - t0:.2f} s; exit {p.returncode}; "
          + err_text.strip().replace("\n", " | ")[:300])
    check(not os.path.exists(out), f"{name}: no certificate written by the killed run")
    runs = journal(ck)
    kept = {e["id"]: e for e in runs}
    check(len(kept) == len(runs), f"{name}: no sub-box run twice in the checkpoint")
    print(f"{name}: checkpoint: {len(runs)} finished runs")
    r = run(cmd)
    with open(out) as f:
        resumed = json.load(f)
    with open(reference) as f:
        ref = json.load(f)
    check(resumed["cover"] == ref["cover"], f"{name}: the resumed run gives the cover of the uninterrupted run")
    check(resumed["summary"] == ref["summary"], f"{name}: and the same summary")
    final = {e["id"]: e for e in resumed["cover"]}
    # every decided sub-box of the checkpoint is in the final cover, unchanged (none lost)
    lost = [i for i, e in kept.items() if e["verdict"] != "unknown" and final.get(i) != e]
    check(not lost, f"{name}: every proved/refuted sub-box of the checkpoint is in the final cover unchanged "
                    f"({sum(1 for e in kept.values() if e['verdict'] != 'unknown')} kept)")
    # the resumed process ran only what was left: "(N runs)" per evaluator in its summary
    import re
    here = sum(int(n) for n in re.findall(r"\((\d+) runs\)", r.stdout))
    total = resumed["summary"]["runs"]
    check(0 < here <= total - len(runs),
          f"{name}: the resumed process ran {here} of {total} runs (the checkpoint had {len(runs)})")


def main():
    exe = os.path.abspath(sys.argv[1])
    mode = sys.argv[2]
    if mode == "mpi":
        mpirun = sys.argv[3]
        if not mpirun:
            print("SKIP: mpirun not found (Debian: openmpi-bin)")
            return 77
        if sys.argv[4] != "1":
            print("SKIP: certiformer was built without MPI (-Dmpi; Debian: libopenmpi-dev)")
            return 77
    tmp = tempfile.mkdtemp(prefix="certiformer_sweep_parallel_")
    cfg = os.path.join(tmp, "corner.json")
    with open(cfg, "w") as f:
        json.dump(CORNER, f, indent=1)
    fast = [exe, "sweep", cfg, "--max-boxes", "600"]
    slow = [exe, "sweep", cfg, "--max-boxes", "300", "--precision", "256"]
    ref_fast = os.path.join(tmp, "ref_fast.json")
    ref_slow = os.path.join(tmp, "ref_slow.json")
    run(fast + ["--threads", "1", "--quiet", "--out", ref_fast])
    run(slow + ["--threads", "1", "--quiet", "--out", ref_slow])
    base_fast, base_slow = without_timing(ref_fast), without_timing(ref_slow)
    if mode == "threads":
        for n in ("2", "3"):
            o = os.path.join(tmp, f"threads{n}.json")
            r = run(fast + ["--threads", n, "--quiet", "--out", o])
            print(r.stdout.strip().split("\n")[-3])
            check(without_timing(o) == base_fast, f"--threads {n} reproduces the --threads 1 certificate (binary64)")
        o = os.path.join(tmp, "threads2_256.json")
        run(slow + ["--threads", "2", "--quiet", "--out", o])
        check(without_timing(o) == base_slow, "--threads 2 reproduces the --threads 1 certificate (256 bits)")
        kill_and_resume(tmp, "threads2_killed", [], slow + ["--threads", "2"], ref_slow, signal.SIGKILL, 60)
    else:
        mpi = [mpirun, "--oversubscribe"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
        for np_ in ("3", "2"):
            o = os.path.join(tmp, f"mpi{np_}.json")
            r = run(mpi + ["-np", np_] + fast + ["--quiet", "--out", o])
            print(r.stdout.strip().split("\n")[-3] if r.stdout.strip() else r.stderr[-500:])
            check(without_timing(o) == base_fast, f"mpirun -np {np_} reproduces the single-process certificate (binary64)")
        o = os.path.join(tmp, "mpi3_256.json")
        r = run(mpi + ["-np", "3"] + slow + ["--quiet", "--out", o])
        print(r.stdout.strip().split("\n")[-3] if r.stdout.strip() else r.stderr[-500:])
        check(without_timing(o) == base_slow, "mpirun -np 3 reproduces the single-process certificate (256 bits)")
        check("3 MPI ranks" in r.stdout, "the run used 3 MPI ranks")
        # SIGTERM through mpirun needs a run that lasts well beyond the signal's way to the ranks:
        # 1200 sub-box runs at 256 bits (≈ 4 s on one idle core; 300 runs ended before the signal
        # arrived on an idle machine)
        long = [exe, "sweep", cfg, "--max-boxes", "1200", "--precision", "256"]
        ref_long = os.path.join(tmp, "ref_long.json")
        run(long + ["--threads", "1", "--quiet", "--out", ref_long])
        kill_and_resume(tmp, "mpi3_terminated", mpi + ["-np", "3"], long, ref_long, signal.SIGTERM, 60)
    if failures:
        print(f"{len(failures)} check(s) FAILED")
        return 1
    subprocess.run(["rm", "-rf", tmp])
    return 0


if __name__ == "__main__":
    sys.exit(main())
