"""Tests of the Python package certiformer (lib/python): run/check through the library API give
the certificates of the command line; numpy enclosures; three-valued verdicts; errors.

Usage (meson test python_api): test_api.py CERTIFORMER_EXE EXAMPLES_DIR, with PYTHONPATH at
build/lib/python. Fast (~2 s): only configs that run in well under a second."""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

import numpy as np

import certiformer as cf

EXE, EXAMPLES = sys.argv[1], sys.argv[2]
del sys.argv[1:3]

# Configs compared with the CLI: every kind that runs fast, binary64 and MPFI (the *_mp ones
# carry "precision": 256).
SAME_AS_CLI = ["rotation.json", "stable3d_bias.json", "nilpotent_bias.json", "damped_oscillator_mp.json",
               "gaussian_blowup_scalar_mp.json", "gaussian_blowup_2d.json", "gaussian_reach.json",
               "gaussian_classify_converges.json", "gaussian_moments.json", "bellman_gate_1d.json",
               "euler_linear.json", "transformer_flow_small.json"]


def cli_certificate(config_path, *extra):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "c.json")
        p = subprocess.run([EXE, "run", "--quiet", config_path, "--out", out, *extra], capture_output=True, text=True)
        assert p.returncode in (0, 1, 2), p.stderr
        with open(out, encoding="utf-8") as f:
            return f.read()


def without_wall(text):
    """The certificate text without its wall-time line (the only field that differs between
    two runs of the same build: see test_only_wall_time_varies)."""
    return "\n".join(l for l in text.split("\n") if not l.lstrip().startswith('"wall_s"'))


def same_values(x):
    """x with every number text replaced by its exact value."""
    if isinstance(x, dict):
        return {k: same_values(v) for k, v in x.items()}
    if isinstance(x, list):
        return [same_values(v) for v in x]
    if isinstance(x, str):
        try:
            return cf.parse_exact(x)
        except (ValueError, ZeroDivisionError):
            return x
    return x


class SameAsCli(unittest.TestCase):
    def test_certificates_equal_cli_text(self):
        for name in SAME_AS_CLI:
            with self.subTest(config=name):
                path = os.path.join(EXAMPLES, name)
                cli = cli_certificate(path)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                # (a) from the file's JSON text: byte for byte (input echo included)
                py_text = cf.run(text).to_json()
                self.assertEqual(without_wall(py_text), without_wall(cli))
                # (b) from a dict (json.load): equal as JSON except wall_s and the input echo,
                # which holds the numbers as json.dumps writes them (1e-9 → "1e-09"): the same
                # exact values
                cert = cf.run(json.load(open(path, encoding="utf-8")))
                a, b = dict(cert), json.loads(cli)
                for k in ("wall_s", "input"):
                    a.pop(k), b.pop(k)
                self.assertEqual(a, b)
                self.assertEqual(same_values(cert["input"]), same_values(json.loads(cli)["input"]))

    def test_only_wall_time_varies(self):
        path = os.path.join(EXAMPLES, "transformer_flow_small.json")
        a, b = json.loads(cli_certificate(path)), json.loads(cli_certificate(path))
        diff = [k for k in a if a[k] != b[k]]
        self.assertTrue(set(diff) <= {"wall_s"}, diff)
        self.assertEqual(list(a), ["certiformer", "kind", "input", "precision", "results", "claims", "wall_s"])

    def test_precision_override_matches_cli(self):
        path = os.path.join(EXAMPLES, "rotation.json")
        cli = cli_certificate(path, "--precision", "113")
        cert = cf.run(open(path, encoding="utf-8").read(), precision=113)
        self.assertEqual(cert["certiformer"]["backend"], "mpfi-113")
        self.assertEqual(without_wall(cert.to_json()), without_wall(cli))
        with self.assertRaises(ValueError):
            cf.run(open(path, encoding="utf-8").read(), precision=20)


class Check(unittest.TestCase):
    def test_check_reproduces_and_catches_tampering(self):
        cert = cf.run(json.load(open(os.path.join(EXAMPLES, "rotation.json"))))
        rep = cf.check(cert)
        self.assertIs(rep.outcome(), cf.CheckOutcome.reproduced)
        self.assertEqual(rep["exit_code"], 0)
        self.assertEqual(rep["check_precision"], 113)
        self.assertEqual(rep["precisions"], [113])
        # move x_at_t[0] to an interval that excludes cos 1 = 0.5403…: check must fail it
        bad = json.loads(json.dumps(cert))
        bad["results"]["x_at_t"][0] = {"lo": "0.6", "hi": "0.7", "lo_hex": "0x1.3333333333333p-1",
                                       "hi_hex": "0x1.6666666666666p-1"}
        rep = cf.check(bad)
        self.assertIs(rep.outcome(), cf.CheckOutcome.failed)
        self.assertEqual(rep["exit_code"], 1)
        self.assertTrue(rep.lines_by(cf.CheckOutcome.failed))

    def test_malformed_certificate(self):
        with self.assertRaises(cf.ConfigError) as e:
            cf.check({"kind": "linear.flow"})
        self.assertEqual(e.exception.file, "<python>")


class Numpy(unittest.TestCase):
    def test_enclosures_binary64_exact(self):
        cert = cf.run(json.load(open(os.path.join(EXAMPLES, "rotation.json"))))
        e = cert.enclosure("x_at_t")
        self.assertEqual(e.lo.dtype, np.float64)
        self.assertEqual(e.shape, (2,))
        # binary64: the float endpoints are the hex endpoints exactly
        for lo, h in zip(e.lo, e.lo_hex):
            self.assertEqual(Fraction(float(lo)), cf.parse_exact(h))
        self.assertTrue(np.all(e.contains([math.cos(1.0), -math.sin(1.0)])))
        self.assertFalse(np.any(e.contains([0.54, -0.84])))

    def test_enclosures_mpfi_rounded_outward(self):
        cert = cf.run(json.load(open(os.path.join(EXAMPLES, "damped_oscillator_mp.json"))))
        e = cert.enclosure("x_at_t")
        self.assertEqual(cert["precision"], 256)
        for lo, hi, lh, hh in zip(e.lo, e.hi, e.lo_hex, e.hi_hex):
            self.assertLessEqual(Fraction(float(lo)), cf.parse_exact(lh))
            self.assertGreaterEqual(Fraction(float(hi)), cf.parse_exact(hh))
            self.assertGreater(len(lh), 40)  # the exact 256-bit text is kept
        # decimal endpoints are outward of the hex ones
        self.assertLessEqual(Fraction(e.lo_dec[0]), cf.parse_exact(e.lo_hex[0]))

    def test_outward_float_endpoints(self):
        # 1 + 3·2^-53 lies halfway between 1 + 2^-52 and 1 + 2^-51 (nearest-even rounds up):
        # the lower float end must be 1 + 2^-52, the upper 1 + 2^-51; for 1 + 2^-53 (rounds down
        # to 1) the upper end must be 1 + 2^-52
        x = {"lo": "1", "hi": "2", "lo_hex": "0x1.00000000000018p+0", "hi_hex": "0x1.00000000000008p+0"}
        e = cf.Enclosure([x])
        self.assertEqual(e.lo[0], 1 + 2.0 ** -52)
        self.assertEqual(e.hi[0], 1 + 2.0 ** -52)
        y = {"lo": "-2", "hi": "inf", "lo_hex": "-0x1.00000000000008p+0", "hi_hex": "inf"}
        e = cf.Enclosure([[y]])
        self.assertEqual(e.shape, (1, 1))
        self.assertEqual(e.lo[0, 0], -(1 + 2.0 ** -52))
        self.assertEqual(e.hi[0, 0], math.inf)

    def test_keyed_and_one_sided(self):
        cert = cf.run(json.load(open(os.path.join(EXAMPLES, "euler_linear.json"))))
        errs = cert.enclosure("error_by_depth")
        self.assertIn("16", errs)
        L = 16
        exact_err = math.e - (1 + 1 / L) ** L
        self.assertTrue(errs["16"].lo <= exact_err + 1e-15 and exact_err - 1e-15 <= errs["16"].hi)
        c = cert.bound("theorem_constant")
        self.assertTrue(c.is_upper and c.nonnegative)
        self.assertGreaterEqual(c.bound, math.e * (math.e - 1) / 2)

    def test_parse_exact(self):
        self.assertEqual(cf.parse_exact("0x1.8p+3"), 12)
        self.assertEqual(cf.parse_exact("-0x8.8p-4"), Fraction(-17, 32))
        self.assertEqual(cf.parse_exact("-22/7"), Fraction(-22, 7))
        self.assertEqual(cf.parse_exact("1e-3"), Fraction(1, 1000))
        self.assertEqual(cf.exact(0.1), "0x1.999999999999ap-4")
        self.assertEqual(cf.parse_exact(cf.exact(0.1)), Fraction(0.1))
        self.assertEqual(cf.exact(Fraction(3, 8)), "3/8")


class Verdicts(unittest.TestCase):
    def test_three_valued(self):
        cfg = {"kind": "linear.flow", "A": [[0, 1], [-1, 0]], "x0": [1, 0], "t": 1,
               "claims": [{"id": "p", "quantity": "x_at_t[0]", "op": "<=", "value": "0.6"},
                          {"id": "r", "quantity": "x_at_t[0]", "op": ">=", "value": "0.6"},
                          {"id": "u", "quantity": "x_at_t[0]", "op": "<=", "value": cf.exact(math.cos(1.0))}]}
        cert = cf.run(cfg)
        v = cert.verdicts()
        self.assertIs(v["p"], cf.Verdict.proved)
        self.assertIs(v["r"], cf.Verdict.refuted)
        self.assertIs(v["u"], cf.Verdict.unknown)
        self.assertIs(cert.status(), cf.Verdict.refuted)
        with self.assertRaises(TypeError):
            bool(v["p"])
        with self.assertRaises(TypeError):
            if v["r"]:
                pass

    def test_python_numbers(self):
        # floats mean the decimal their repr spells (JSON semantics): 0.1 is 1/10, so
        # x(t) = 0.1 + t·1 at t = 2 is exactly 2.1 (not the double nearest to it plus rounding)
        cfg = {"kind": "linear.flow", "A": [[0.0]], "b": [1], "x0": [0.1], "t": 2,
               "claims": [{"id": "eq", "quantity": "x_at_t[0]", "op": ">=", "value": "21/10"}]}
        cert = cf.run(cfg)
        e = cert.enclosure("x_at_t")
        self.assertLessEqual(cf.parse_exact(e.lo_hex[0]), Fraction(21, 10))
        self.assertGreaterEqual(cf.parse_exact(e.hi_hex[0]), Fraction(21, 10))
        # numpy arrays and Fractions are accepted
        cfg2 = {"kind": "linear.flow", "A": np.zeros((1, 1)), "b": [Fraction(1, 3)], "x0": np.array([0.0]), "t": 3}
        e2 = cf.run(cfg2).enclosure("x_at_t")
        self.assertTrue(e2.lo[0] <= 1.0 <= e2.hi[0])


class Errors(unittest.TestCase):
    def test_config_error_fields(self):
        with self.assertRaises(cf.ConfigError) as e:
            cf.run({"kind": "linear.flow", "A": [[1, float("nan")]], "x0": [1], "t": 1})
        self.assertEqual(e.exception.json_path, "/A/0/1")
        self.assertIn('"nan"', e.exception.got)
        self.assertTrue(str(e.exception).startswith("<python>: /A/0/1: expected"))
        with self.assertRaises(cf.ConfigError) as e:
            cf.run({"kind": "linear.flow", "A": [[1]], "x0": [1], "t": 1, "x_0": 2})
        self.assertIn("x_0", e.exception.got)
        with self.assertRaises(cf.ConfigError):
            cf.run("{not json")

    def test_enclosure_failure(self):
        # x' = 1000 x on [0, 1]: the flow is e^{1000 t}, beyond binary64: nothing is claimed
        cfg = {"kind": "transformer.flow", "model": {"dim": 1, "beta": 1, "heads": [], "W": [[1000]]},
               "tokens": [[1]], "horizon": 1}
        with self.assertRaises(cf.EnclosureFailure):
            cf.run(cfg)

    def test_ctrl_c_interrupts_a_run(self):
        # euler_attention takes ~20 s; SIGINT after 0.5 s must end it with KeyboardInterrupt
        # within a few seconds (the library stops like an exhausted budget), and a later run works.
        # Measured 0.74 s in all (it was ~7.5 s while euler.error ran its later stages — order
        # table rows, theorem constant, discrete adjoint — without looking at the stop request)
        import signal
        import threading
        import time
        text = open(os.path.join(EXAMPLES, "euler_attention.json"), encoding="utf-8").read()
        timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
        t0 = time.monotonic()
        timer.start()
        with self.assertRaises(KeyboardInterrupt):
            cf.run(text)
        # (a sanitizer build runs several times slower: scripts/sanitize sets the time scale)
        self.assertLess(time.monotonic() - t0, 5 * float(os.environ.get("CERTIFORMER_TEST_TIME_SCALE", "1")))
        self.assertIs(cf.run(json.load(open(os.path.join(EXAMPLES, "rotation.json")))).status(), cf.Verdict.proved)
        self.assertIs(signal.getsignal(signal.SIGINT), signal.default_int_handler)

    def test_kinds_and_build(self):
        k = cf.kinds()
        self.assertIn("euler.error", k)
        self.assertEqual(set(cf.build_info()), {"version", "git", "compiler", "flags"})


if __name__ == "__main__":
    unittest.main(verbosity=1)
