"""Figures (certiformer.plot): every bundled example's certificate is rendered.

Usage: test_plot.py EXAMPLES_DIR [--all | --sweep]. --sweep: only the verdict maps of sweep
certificates (class SweepMap; needs CERTIFORMER_EXE, the command line). Default (suite unit, ~10 s): every example whose run
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
SWEEP_ONLY = "--sweep" in sys.argv  # only the sweep verdict maps (test python_plot_sweep)
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
                        # C_tube is certified for constant controls only (per-layer models
                        # give theorem_constant_tube_status instead): drawn iff certified
                        if "theorem_constant_tube" in cert["results"]:
                            self.assertIn("C_tube·ε", text)
                        else:
                            self.assertNotIn("C_tube·ε", text)
                        # C_thm needs the L_θΛ term for a smooth control (not implemented:
                        # theorem_constant_status instead): drawn iff certified
                        if "theorem_constant" in cert["results"]:
                            self.assertIn("C_thm·ε", text)
                        else:
                            self.assertNotIn("C_thm·ε", text)
                    elif k == "gaussian.blowup":
                        self.assertIn("certified blow-up time", text)
                        self.assertIn("approximate", text)
                    elif k in ("transformer.flow", "transformer.network"):
                        n = len(cert["input"]["tokens"])
                        rects = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
                        self.assertEqual(len([p for p in rects if p.get_gid() == "enclosure"]), n)
                        boxed = any(str(e).startswith("[") for row in cert["input"]["tokens"] for e in row)
                        self.assertEqual(len([p for p in rects if p.get_gid() == "input_box"]), n if boxed else 0)
                        self.assertEqual(len(rects), 2 * n if boxed else n)
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


SWEEP_EXE = os.environ.get("CERTIFORMER_EXE", "")


@unittest.skipUnless(SWEEP_EXE, "CERTIFORMER_EXE not set (the certiformer command line for sweeps)")
class SweepMap(unittest.TestCase):
    """The verdict map of a sweep certificate: one rectangle per sub-box of the cover, at its
    box (float ends rounded outward), coloured by its verdict; 1-D: segments."""

    CORNER = {"kind": "gaussian.blowup",
              "model": {"dim": 1, "beta": "[0.25, 2]", "W": [["[-0.5, 0.5]"]], "heads": [{"V": [[1]], "B": [[1]]}]},
              "initial": {"cov": [[1]]}, "horizon": 3,
              "claims": [{"id": "blowup-before-3", "quantity": "blowup_time", "op": "<", "value": 3}]}

    def sweep(self, d, cfg, name, boxes):
        c = os.path.join(d, name + ".json")
        with open(c, "w") as f:
            json.dump(cfg, f)
        out = os.path.join(d, name + ".cert.json")
        p = subprocess.run([SWEEP_EXE, "sweep", c, "--out", out, "--quiet", "--max-boxes", str(boxes)],
                           capture_output=True, text=True)
        self.assertIn(p.returncode, (0, 1, 2), p.stderr)
        with open(out, encoding="utf-8") as f:
            return out, json.load(f)

    def check_map(self, cert, dims):
        fig = cp.figure(cert)
        ax = fig.axes[0]
        rects = {p.get_gid(): p for p in ax.patches if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("subbox:")}
        self.assertEqual(len(rects), len(cert["cover"]))
        colours = {"proved": (0x2e / 255, 0x8b / 255, 0x57 / 255), "refuted": (0xc0 / 255, 0x39 / 255, 0x2b / 255)}
        area = 0.0
        for e in cert["cover"]:
            r = rects["subbox:%s:%s" % (e["id"], e["verdict"])]
            (x0, x1) = cp._box_ends(e["box"][0])
            self.assertLessEqual(r.get_x(), float(cf.parse_exact(e["box"][0][1:-1].split(",")[0])))
            self.assertAlmostEqual(r.get_x(), x0)
            self.assertAlmostEqual(r.get_width(), x1 - x0)
            if dims == 2:
                (y0, y1) = cp._box_ends(e["box"][1])
                self.assertAlmostEqual(r.get_y(), y0)
                self.assertAlmostEqual(r.get_height(), y1 - y0)
            if e["verdict"] in colours:
                self.assertEqual(tuple(round(c, 6) for c in r.get_facecolor()[:3]),
                                 tuple(round(c, 6) for c in colours[e["verdict"]]))
            area += r.get_width() * r.get_height()
        (a0, a1) = cp._box_ends(cert["coordinates"][0]["interval"])
        full = (a1 - a0) * ((lambda b: b[1] - b[0])(cp._box_ends(cert["coordinates"][1]["interval"])) if dims == 2 else 1)
        self.assertAlmostEqual(area / full, 1.0, places=6)  # the rectangles tile the box
        labels = legend_text(fig)
        for v in ("proved", "refuted", "unknown"):
            if cert["summary"][v]:
                self.assertIn(v, labels)
        matplotlib.pyplot.close(fig)

    def test_two_d_map(self):
        with tempfile.TemporaryDirectory() as d:
            path, cert = self.sweep(d, self.CORNER, "corner", 300)
            self.assertTrue(cert["summary"]["proved"] and cert["summary"]["refuted"] and cert["summary"]["unknown"])
            self.check_map(cert, 2)
            out = os.path.join(d, "map.png")
            p = subprocess.run([sys.executable, "-m", "certiformer.plot", path, "-o", out], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out, "rb") as f:
                self.assertEqual(f.read(4), b"\x89PNG")

    def test_one_d_map(self):
        cfg = json.loads(json.dumps(self.CORNER))
        cfg["model"]["W"] = [["-0.5"]]
        with tempfile.TemporaryDirectory() as d:
            _, cert = self.sweep(d, cfg, "line", 40)
            self.assertEqual(len(cert["coordinates"]), 1)
            self.check_map(cert, 1)


if __name__ == "__main__":
    if SWEEP_ONLY:
        result = unittest.TextTestRunner(verbosity=1).run(unittest.defaultTestLoader.loadTestsFromTestCase(SweepMap))
        sys.exit(0 if result.wasSuccessful() and not result.skipped else 1)
    unittest.main(verbosity=1)
