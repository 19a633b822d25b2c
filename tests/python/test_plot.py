"""Figures (certiformer.plot): every bundled example's certificate is rendered.

Usage: test_plot.py EXAMPLES_DIR [--all]. Default (suite unit, ~10 s): every example whose run
takes under ~2 s — all kinds are covered; --all (suite long): every example, also the heavy
ones (euler_attention 21 s, gradflow_ou_two_heads 11 s, …). Certificates are generated with
certiformer.run; the command line `python3 -m certiformer.plot CERT.json -o FIG` is run for a
PNG and a PDF."""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

import matplotlib

matplotlib.use("Agg")
from matplotlib.patches import Rectangle  # noqa: E402

import certiformer as cf  # noqa: E402
import certiformer.plot as cp  # noqa: E402

EXAMPLES = sys.argv[1]
ALL = "--all" in sys.argv
del sys.argv[1:]
HEAVY = {"euler_attention.json", "gradflow_ou_two_heads.json", "gradflow_h1_autonomous.json",
         "gradflow_oscillating_d3.json", "euler_flow_gradient.json", "euler_tutorial.json",
         "transformer_flow_glpr_sphere.json"}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def legend_text(fig):
    out = []
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg:
            out += [t.get_text() for t in leg.get_texts()]
    return " | ".join(out)


class Plot(unittest.TestCase):
    def test_every_example(self):
        files = sorted(glob.glob(os.path.join(EXAMPLES, "*.json")))
        self.assertGreater(len(files), 20)
        kinds = set()
        with tempfile.TemporaryDirectory() as d:
            for path in files:
                name = os.path.basename(path)
                if name in HEAVY and not ALL:
                    continue
                with self.subTest(config=name):
                    cert = cf.run(read(path))
                    kinds.add(cert["kind"])
                    fig = cp.figure(cert)
                    out = os.path.join(d, name.replace(".json", ".png"))
                    fig.savefig(out, dpi=60)
                    self.assertGreater(os.path.getsize(out), 5000)
                    text = legend_text(fig)
                    k = cert["kind"]
                    if k == "euler.error":
                        self.assertIn("err_L certified", text)
                        self.assertIn("C_tube·ε", text)
                        self.assertIn("C_thm·ε", text)
                    elif k == "gaussian.blowup":
                        self.assertIn("certified blow-up time", text)
                        self.assertIn("approximate", text)
                    elif k in ("transformer.flow", "transformer.network"):
                        n = len(cert["input"]["tokens"])
                        rects = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
                        self.assertEqual(len(rects), n)
                        self.assertIn("certified enclosure", text)
                    elif k == "bellman.gap":
                        self.assertIn("certified gap", text)
                    elif k == "gradflow.edi":
                        self.assertEqual(len(fig.axes), 2)
                    else:
                        self.assertIn("certified enclosures", text)
                    matplotlib.pyplot.close(fig)
        self.assertTrue({"euler.error", "gaussian.blowup", "gradflow.edi", "bellman.gap", "transformer.flow",
                         "transformer.network", "linear.flow"} <= kinds, kinds)

    def test_euler_bars_are_the_certificate(self):
        cert = cf.run(read(os.path.join(EXAMPLES, "euler_linear.json")))
        fig = cp.figure(cert)
        ax = fig.axes[0]
        # the errorbar's vertical extent is the certified [lo, hi] of each depth
        err = cert.enclosure("error_by_depth")
        lines = [c for c in ax.collections if c.get_segments()]
        segs = sorted((s[0][0], s[0][1], s[1][1]) for s in lines[0].get_segments())
        depths = sorted(err, key=lambda L: -int(L))  # ε ascending = depth descending
        for (x, lo, hi), L in zip(segs, depths):
            self.assertAlmostEqual(x, 1 / int(L))
            self.assertEqual(lo, float(err[L].lo))
            self.assertEqual(hi, float(err[L].hi))

    def test_command_line(self):
        cert = cf.run(read(os.path.join(EXAMPLES, "gaussian_blowup_2d.json")))
        with tempfile.TemporaryDirectory() as d:
            c = os.path.join(d, "b.cert.json")
            cert.write(c)
            for ext in ("png", "pdf"):
                out = os.path.join(d, "fig." + ext)
                p = subprocess.run([sys.executable, "-m", "certiformer.plot", c, "-o", out], capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, p.stderr)
                with open(out, "rb") as f:
                    head = f.read(8)
                self.assertEqual(head[:4], b"\x89PNG" if ext == "png" else b"%PDF")
            bad = os.path.join(d, "bad.json")
            with open(bad, "w") as f:
                json.dump({"kind": "x"}, f)
            p = subprocess.run([sys.executable, "-m", "certiformer.plot", bad], capture_output=True, text=True)
            self.assertEqual(p.returncode, 65)


if __name__ == "__main__":
    unittest.main(verbosity=1)
