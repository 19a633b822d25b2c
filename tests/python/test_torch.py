"""Real-client test of certiformer.torch (lib/python/certiformer/torch.py): PyTorch's own modules,
initialisation and forward pass against certiformer's enclosures of the exact real network.

* A residual stack x ← x + ε(MHA(x) + FFN(x)) (L layers sharing weights; torch's nn.MultiheadAttention
  with nonzero key/value/output biases, an nn.Linear or a GELU-tanh / tanh MLP as FFN): torch's
  float64 forward lies in the transformer.network enclosure up to an explicit bound δ64 on
  torch's own rounding, and its float32 forward is outside the enclosure widened by δ64 (and
  within the same bound δ32 at float32's unit roundoff).
* The continuous flow of one MHA layer (transformer.flow) agrees with a torch RK4 integration.
* A depth-4 stack with different weights per layer, causal masks and ReLU / GELU MLPs: the same
  float64-inside / float32-outside assertions on the stacked model {"dim", "layers"} (one layer
  with a nonzero query bias, written as bQ/bK); the order
  of the layers matters; the flow of a ReLU stack is refused by the config.
* Refusals name the module and the parameter (ELU, erf GELU, LayerNorm, different steps,
  dropout in training mode).

Usage (meson test python_torch): PYTHONPATH=build/lib/python test_torch.py"""
import copy
import math
import unittest
from fractions import Fraction

import numpy as np
import torch
from torch import nn

import certiformer as cf
import certiformer.torch as ct

torch.set_num_threads(1)
F64 = torch.float64


def rounding_bound(u, stack, x, ys):
    """Explicit bound on the rounding error of evaluating the stack in a precision with unit
    roundoff u (a standard forward-error model, stated in docs/python.md):

        δ = Σ_k Π_{j>k} (1 + εΛ_j) · c·m·u·S_k,   m = 2d + n + w + 16,  c = 8,

    S_k = max|X^k| + ε·max|f_k(X^k)| (the scale of layer k's inputs and update, from torch's float64
    iterates ys), Λ_j = Σ_h ‖V_h‖(1 + 2β‖Q_h‖‖K_h‖R²) + ‖W‖ + ‖W2‖‖W1‖·1.13 (a Lipschitz
    constant of layer j on the ball of radius R = max token norm, spectral norms in float64; the
    MLP's activations are 1.13-Lipschitz: tanh, GELU-tanh, ReLU). m counts the longest chain of
    rounded operations of one layer (dot products of length d and n, the MLP width w, the
    softmax's exp/sum/division); c covers the few ulps of torch's exp."""
    layers = ct.stack_layers(stack)
    eps = layers[0].step
    n, d = x.shape
    cfg = ct.model_config(stack)
    per_layer = cfg["layers"] if "layers" in cfg else [cfg] * len(layers)
    num = lambda a: np.vectorize(lambda t: float(cf.parse_exact(t)))(np.array(a, dtype=object))
    R = max(float(torch.linalg.norm(y, dim=1).max()) for y in ys)
    delta = 0.0
    for k, lc in enumerate(per_layer):  # δ_{k+1} = (1 + εΛ_k) δ_k + c·m·u·S_k
        beta = float(cf.parse_exact(lc["beta"]))
        lam = 0.0
        for h in lc["heads"]:
            nq, nk = ((np.linalg.norm(num(h[q]), 2) for q in ("Q", "K")) if "Q" in h
                      else (np.linalg.norm(num(h["B"]), 2), 1.0))
            lam += np.linalg.norm(num(h["V"]), 2) * (1 + 2 * beta * nq * nk * R * R)
        if "W" in lc:
            lam += np.linalg.norm(num(lc["W"]), 2)
        w = 0
        if "mlp" in lc:
            w = len(lc["mlp"]["W1"])
            lam += 1.13 * np.linalg.norm(num(lc["mlp"]["W2"]), 2) * np.linalg.norm(num(lc["mlp"]["W1"]), 2)
        m = 2 * d + n + w + 16
        S = float(ys[k].abs().max()) + float((ys[k + 1] - ys[k]).abs().max())
        delta = (1 + eps * lam) * delta + 8 * m * u * S
    return delta


def iterates(stack, x):
    ys = [x]
    with torch.no_grad():
        for layer in ct.stack_layers(stack):
            ys.append(layer(ys[-1]))
    return ys


def distance(enc, y):
    """max over entries of the distance of y from [lo, hi] (0 inside)."""
    y = y.detach().to(F64).numpy()
    return float(np.max(np.maximum(np.maximum(enc.lo - y, y - enc.hi), 0.0)))


def mha_rk4(mha, y, T, steps):
    """Classical RK4 with `steps` steps on [0, T] of the flow y' = mha(y, y, y) (torch, float64)."""
    def f(z):
        return mha(z, z, z, need_weights=False)[0]

    h = T / steps
    with torch.no_grad():
        for _ in range(steps):
            k1 = f(y)
            k2 = f(y + h / 2 * k1)
            k3 = f(y + h / 2 * k2)
            k4 = f(y + h * k3)
            y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def attention(d, heads, seed, query_bias=False):
    torch.manual_seed(seed)
    mha = nn.MultiheadAttention(d, heads, dtype=F64)  # torch's own initialisation
    with torch.no_grad():  # nonzero key / value biases and output bias (torch initialises them to 0)
        mha.in_proj_bias[d:].uniform_(-0.3, 0.3)
        mha.out_proj.bias.uniform_(-0.3, 0.3)
        if query_bias:
            mha.in_proj_bias[1] = 0.25
    return mha.eval()


class ResidualStack(unittest.TestCase):
    def check_stack(self, stack, x, label):
        ys = iterates(stack, x)
        with torch.no_grad():
            y64 = stack(x)
            self.assertTrue(torch.equal(y64, ys[-1]))
            s32 = copy.deepcopy(stack).float()
            y32 = s32(x.float())
        cfg = ct.network_config(stack, x)
        cert = cf.run(cfg)
        self.assertIs(cert.verdicts()["network_enclosed"], cf.Verdict.proved)
        enc = cert.enclosure("tokens_at_depth")
        self.assertEqual(enc.shape, tuple(x.shape))
        self.assertLess(float(np.max(enc.width())), 1e-12, label)
        d64 = rounding_bound(2.0 ** -53, stack, x, ys)
        d32 = rounding_bound(2.0 ** -24, stack, x, ys)
        dist64, dist32 = distance(enc, y64), distance(enc, y32)
        # at 256 bits the enclosure is the exact network to ~1e-70: the distance of torch's
        # float64 output from it is torch's own rounding error
        exact = cf.run(cfg, precision=256).enclosure("tokens_at_depth")
        self.assertLess(float(np.max(exact.exact_hi() - exact.exact_lo())), 1e-60)
        err64 = distance(exact, y64)
        print(f"{label}: torch float64 error {err64:.3g} (bound δ64 {d64:.3g}), distance from the binary64 "
              f"enclosure {dist64:.3g}; float32 error {dist32:.3g} (bound δ32 {d32:.3g})")
        self.assertLessEqual(dist64, d64, label)            # float64 forward inside, up to δ64
        self.assertLessEqual(err64, d64, label)
        self.assertGreater(dist32, 10 * d64, label)         # float32 forward measurably outside
        self.assertLessEqual(dist32, d32, label)            # … by a float32-sized error
        return cert

    def test_attention_and_linear_ffn(self):
        d, H, n, L = 4, 2, 6, 4  # head_dim 2: β = 1/fl(√2), torch's own divisor
        mha = attention(d, H, 1)
        ffn = nn.Linear(d, d, dtype=F64)
        block = ct.Residual(mha, ffn, step=0.5).eval()
        stack = nn.Sequential(*([block] * L))
        torch.manual_seed(2)
        x = torch.randn(n, d, dtype=F64)
        self.check_stack(stack, x, "MHA(4, 2) + Linear, L = 4, ε = 1/2")

    def test_attention_and_mlp(self):
        for act in (nn.GELU(approximate="tanh"), nn.Tanh()):
            d, H, n, L, w = 8, 2, 5, 3, 16  # head_dim 4: β = 1/2 exactly
            mha = attention(d, H, 3)
            torch.manual_seed(4)
            mlp = nn.Sequential(nn.Linear(d, w, dtype=F64), act, nn.Linear(w, d, dtype=F64))
            block = ct.Residual(mha, mlp, step=1.0).eval()
            # separately constructed layers with equal weights are one shared model too
            stack = nn.ModuleList([block] + [copy.deepcopy(block) for _ in range(L - 1)])
            torch.manual_seed(5)
            x = torch.randn(n, d, dtype=F64) * 0.5
            self.check_stack(nn.Sequential(*stack), x, f"MHA(8, 2) + MLP({type(act).__name__}), L = 3, ε = 1")


    def test_per_layer_weights_causal_relu(self):
        # a depth-4 stack, every layer with its own torch-initialised weights; causal masks on
        # layers 1 and 3; ReLU and GELU-tanh MLPs: the stacked model {"dim", "layers": [...]}
        d, H, n, w = 4, 2, 5, 8
        blocks = []
        for k in range(4):
            torch.manual_seed(40 + k)
            act = nn.ReLU() if k % 2 == 0 else nn.GELU(approximate="tanh")
            mlp = nn.Sequential(nn.Linear(d, w, dtype=F64), act, nn.Linear(w, d, dtype=F64))
            blocks.append(ct.Residual(attention(d, H, 30 + k, query_bias=k == 2), mlp, step=0.5, causal=k % 2 == 1).eval())
        stack = nn.Sequential(*blocks)
        cfg = ct.model_config(stack)
        self.assertEqual(len(cfg["layers"]), 4)
        self.assertEqual([l.get("causal", False) for l in cfg["layers"]], [False, True, False, True])
        self.assertEqual(cfg["layers"][0]["mlp"]["activation"], "relu")
        self.assertIn("bQ", cfg["layers"][2]["heads"][0])       # torch's query bias, exactly
        self.assertNotIn("bQ", cfg["layers"][1]["heads"][0])
        torch.manual_seed(44)
        x = torch.randn(n, d, dtype=F64)
        self.check_stack(stack, x, "4 layers with own weights (ReLU / GELU MLPs, causal 1 and 3), ε = 1/2")
        # the causal mask matters: the first token of a causal layer sees only itself
        with torch.no_grad():
            y = blocks[1](x)
            y_first = blocks[1](x[:1])
        self.assertTrue(torch.allclose(y[:1], y_first, rtol=0, atol=1e-14))
        # the same layers in another order: another certified network
        other = ct.network_config(nn.Sequential(*reversed(blocks)), x)
        lo = cf.run(other).enclosure("tokens_at_depth")
        hi = cf.run(ct.network_config(stack, x)).enclosure("tokens_at_depth")
        self.assertTrue(np.any((lo.hi < hi.lo) | (hi.hi < lo.lo)))
        # the continuous flow of a ReLU stack is refused (config error naming the activation)
        flow = {"kind": "transformer.flow", "model": cfg, "tokens": ct.tokens(x), "horizon": 1}
        with self.assertRaises(cf.ConfigError) as e:
            cf.run(flow)
        self.assertIn("/model/layers/0/mlp/activation", e.exception.json_path)


class ExactConversion(unittest.TestCase):
    def test_texts_are_the_exact_values(self):
        d, H = 4, 2
        mha = attention(d, H, 7)
        cfg = ct.model_config(mha)
        P = lambda t: cf.parse_exact(t)
        Wi = mha.in_proj_weight.detach().numpy()
        Wo = mha.out_proj.weight.detach().numpy()
        bi = mha.in_proj_bias.detach().numpy()
        bo = mha.out_proj.bias.detach().numpy()
        self.assertEqual(P(cfg["beta"]), 1 / Fraction(math.sqrt(2)))
        for h in range(H):
            sl = range(2 * h, 2 * h + 2)
            head = cfg["heads"][h]
            for i, r in enumerate(sl):
                for j in range(d):
                    self.assertEqual(P(head["Q"][i][j]), Fraction(float(Wi[r, j])))
                    self.assertEqual(P(head["K"][i][j]), Fraction(float(Wi[d + r, j])))
            for i in range(d):
                for j in range(d):
                    v = sum(Fraction(float(Wo[i, r])) * Fraction(float(Wi[2 * d + r, j])) for r in sl)
                    self.assertEqual(P(head["V"][i][j]), v)
        for i in range(d):
            b = Fraction(float(bo[i])) + sum(Fraction(float(Wo[i, r])) * Fraction(float(bi[2 * d + r])) for r in range(d))
            self.assertEqual(P(cfg["b"][i]), b)
        x = torch.randn(3, d, dtype=torch.float32)
        t = ct.tokens(x)
        self.assertEqual([[P(v) for v in row] for row in t], [[Fraction(float(v)) for v in row] for row in x.numpy()])
        self.assertEqual(ct.tokens(x.unsqueeze(1)), t)


class Flow(unittest.TestCase):
    def test_flow_agrees_with_torch_rk4(self):
        d, H, n, T = 4, 2, 5, 1.0
        mha = attention(d, H, 11)
        torch.manual_seed(12)
        x = torch.randn(n, d, dtype=F64)
        cfg = {"kind": "transformer.flow", "model": ct.model_config(mha), "tokens": ct.tokens(x), "horizon": T}
        enc = cf.run(cfg).enclosure("tokens_at_horizon")
        self.assertLess(float(np.max(enc.width())), 1e-10)

        y64, y32 = mha_rk4(mha, x.clone(), T, 64), mha_rk4(mha, x.clone(), T, 32)
        est = float((y64 - y32).abs().max())       # ≈ 15× the error of y64 (RK4 is 4th order)
        dist = distance(enc, y64)
        print(f"flow of MHA(4, 2), T = 1: torch RK4 (h = 1/64) distance {dist:.3g}, |y_h − y_2h| = {est:.3g}")
        self.assertGreater(est, 0)
        self.assertLessEqual(dist, est)
        self.assertGreater(distance(enc, y32), 0)   # the coarse RK4 is visibly outside


    def test_flow_of_a_token_box(self):
        # tokens(x, radius=ρ): a box of initial tokens; the certificate holds for every token
        # matrix in it — checked against torch RK4 (h = 1/64) from corners of the box
        d, H, n, T = 4, 2, 5, 1.0
        mha = attention(d, H, 11)
        torch.manual_seed(12)
        x = torch.randn(n, d, dtype=F64)
        rho = 2.0 ** -10
        box = ct.tokens(x, radius=rho)
        self.assertTrue(all(t.startswith("[") for row in box for t in row))
        self.assertEqual(ct.tokens(x, radius=0), ct.tokens(x))
        with self.assertRaises(ValueError):
            ct.tokens(x, radius=-1.0)
        model = ct.model_config(mha)
        enc = cf.run({"kind": "transformer.flow", "model": model, "tokens": box, "horizon": T}).enclosure("tokens_at_horizon")
        point = cf.run({"kind": "transformer.flow", "model": model, "tokens": ct.tokens(x), "horizon": T}).enclosure("tokens_at_horizon")
        w = float(np.max(enc.width()))
        print(f"flow of MHA(4, 2) from a token box of radius 2^-10: width {w:.3g}")
        self.assertGreater(w, 0.1 * rho)
        self.assertLess(w, 0.5)
        self.assertTrue(np.all(enc.lo <= point.lo) and np.all(point.hi <= enc.hi))

        g = torch.Generator().manual_seed(13)
        for _ in range(3):
            corner = x + rho * (2 * torch.randint(0, 2, x.shape, generator=g, dtype=F64) - 1)
            y64, y32 = mha_rk4(mha, corner.clone(), T, 64), mha_rk4(mha, corner.clone(), T, 32)
            est = float((y64 - y32).abs().max())
            self.assertLessEqual(distance(enc, y64), est)


class Refusals(unittest.TestCase):
    def assertRefused(self, fn, *words):
        with self.assertRaises(ct.UnsupportedModule) as e:
            fn()
        for w in words:
            self.assertIn(w, str(e.exception))

    def test_refusals(self):
        d = 4
        mha = attention(d, 2, 21)
        elu = nn.Sequential(nn.Linear(d, 8, dtype=F64), nn.ELU(), nn.Linear(8, d, dtype=F64))
        self.assertRefused(lambda: ct.model_config(elu), "ELU", "[1]")
        gelu = nn.Sequential(nn.Linear(d, 8, dtype=F64), nn.GELU(), nn.Linear(8, d, dtype=F64))
        self.assertRefused(lambda: ct.model_config(gelu), "GELU(approximate='none')")
        self.assertRefused(lambda: ct.model_config(nn.LayerNorm(d)), "LayerNorm")
        self.assertRefused(lambda: ct.model_config(nn.TransformerEncoderLayer(d, 2)), "TransformerEncoderLayer", "LayerNorm")
        a = ct.Residual(attention(d, 2, 22))
        self.assertRefused(lambda: ct.model_config(nn.Sequential(a, ct.Residual(a.attn, step=0.5))), "step")
        train = nn.MultiheadAttention(d, 2, dropout=0.1, dtype=F64)
        self.assertRefused(lambda: ct.model_config(train), "dropout", ".eval()")
        kv = nn.MultiheadAttention(d, 2, add_bias_kv=True, dtype=F64).eval()
        self.assertRefused(lambda: ct.model_config(kv), "bias_k")
        self.assertRefused(lambda: ct.tokens(torch.zeros(2, 3, d)), "batch")


if __name__ == "__main__":
    unittest.main(verbosity=1)
