"""certiformer.torch — PyTorch modules and tensors as certiformer configs, converted exactly.

    model_config(module, ffn=None) -> dict   the "model" object of a config (docs/cli.md)
    tokens(tensor) -> list                   the "tokens" (n × d) of a config
    network_config(module, x) -> dict        a transformer.network config: X^L of a residual stack
    Residual(attn, ffn, step)                the residual layer x + step·(attn(x, x, x) + ffn(x))

Every number is written as exact text (a hex float for a weight, "p/q" for a folded product), so
the config denotes exactly the real-arithmetic model the float weights define (docs/python.md,
"Exactness of the conversion"). What certiformer's model cannot express is refused with
UnsupportedModule naming the module and the parameter; nothing is approximated silently.

Supported (docs/python.md has the formulas):
  * nn.MultiheadAttention (self-attention, eval mode): per head h, Q_h = W_q[h], K_h = W_k[h],
    V_h = W_o[:, h] W_v[h] (the out-projection folded in), β = 1/s with s = math.sqrt(d_k) the
    float torch divides by; the value and output biases fold into the affine bias b = W_o b_v + b_o;
    the key bias cancels in the softmax unless the query bias is nonzero, in which case both are
    written per head (bQ, bK: scores β(Q_h x_i + b_q)ᵀ(K_h x_j + b_k), exactly torch's).
  * nn.Linear(d, d) as the affine FFN W x + b;
    nn.Sequential(nn.Linear(d, w), act, nn.Linear(w, d)) as the MLP, act ∈ {nn.Tanh,
    nn.Softplus(beta=1), nn.GELU(approximate="tanh")};
    act may also be nn.ReLU (the discrete network certifies it; flows refuse it: not C¹);
  * Residual(attn, ffn, step, causal) and stacks of them (nn.Sequential / nn.ModuleList):
    depth = the number of layers. Layers sharing one set of weights (the same module repeated, or
    equal weights) give the one-layer model; different weights per layer give the stacked model
    {"dim", "layers": [layer, …]} (every layer with the same step). causal=True masks attention to
    later tokens (torch's attn_mask, token i attends to j ≤ i).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import nn

from . import exact

__all__ = ["model_config", "tokens", "network_config", "Residual", "UnsupportedModule", "stack_layers"]


class UnsupportedModule(ValueError):
    """A module or parameter certiformer's model cannot express (the message names both)."""


class Residual(nn.Module):
    """One residual layer x ↦ x + step·(attn(x, x, x) + ffn(x)) on unbatched tokens x (n × d).

    The attention and the FFN are torch's own modules and run torch's own forward; this class
    only adds the residual connection. attn: nn.MultiheadAttention or None; ffn: nn.Linear, a
    two-layer MLP (nn.Sequential) or None; step: a float (ε of the Euler scheme, default 1);
    causal: token i attends to tokens j ≤ i only (torch's boolean attn_mask above the diagonal)."""

    def __init__(self, attn: Optional[nn.MultiheadAttention] = None, ffn: Optional[nn.Module] = None,
                 step: float = 1.0, causal: bool = False):
        super().__init__()
        if attn is None and ffn is None:
            raise ValueError("Residual needs an attention module, an FFN or both")
        if causal and attn is None:
            raise ValueError("Residual: causal=True needs an attention module")
        self.attn = attn
        self.ffn = ffn
        self.step = float(step)
        self.causal = bool(causal)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        v = torch.zeros_like(x)
        if self.attn is not None:
            mask = None
            if self.causal:
                n = x.shape[0]
                mask = torch.triu(torch.ones(n, n, dtype=torch.bool, device=x.device), diagonal=1)
            v = v + self.attn(x, x, x, need_weights=False, attn_mask=mask)[0]
        if self.ffn is not None:
            v = v + self.ffn(x)
        return x + self.step * v


# ---- exact numbers -----------------------------------------------------------------------------

def _floats(t: torch.Tensor, name: str) -> np.ndarray:
    """The tensor's values as float64 (exact: float16/bfloat16/float32 widen exactly)."""
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(t).__name__}")
    if not t.dtype.is_floating_point:
        raise UnsupportedModule(f"{name}: expected a floating-point tensor, got {t.dtype}")
    a = t.detach().to("cpu", torch.float64).numpy()
    if not np.all(np.isfinite(a)):
        raise UnsupportedModule(f"{name}: holds NaN or infinite entries")
    return a


def _scaled_ints(a: np.ndarray) -> Tuple[np.ndarray, int]:
    """(M, s) with a = M · 2^-s exactly, M an object array of Python ints."""
    s = 0
    for x in a.flat:
        if x != 0:
            m, e = math.frexp(float(x))  # x = m·2^e, 0.5 ≤ |m| < 1, m has ≤ 53 bits
            s = max(s, 53 - e)
    M = np.empty(a.shape, dtype=object)
    for idx, x in np.ndenumerate(a):
        M[idx] = int(Fraction(float(x)) * (1 << s)) if s >= 0 else int(Fraction(float(x)) / (1 << -s))
    return M, s


def _dyadic_text(n: int, s: int) -> str:
    """Exact text of n · 2^-s: a hex float when it is a binary64 number, else "p/q"."""
    if n == 0:
        return "0"
    while s > 0 and n % 2 == 0:
        n //= 2
        s -= 1
    if abs(n) < (1 << 53) and -1022 <= (abs(n).bit_length() - 1 - s) <= 1023:
        return math.ldexp(float(n), -s).hex()  # exact: n has ≤ 53 bits and the result is normal
    return str(n << -s) if s <= 0 else f"{n}/{1 << s}"


def _text(a: np.ndarray) -> Any:
    """A float64 array as nested lists of exact hex texts."""
    return np.vectorize(lambda x: exact(float(x)), otypes=[object])(a).tolist() if a.size else a.tolist()


def _int_text(M: np.ndarray, s: int) -> Any:
    return np.vectorize(lambda n: _dyadic_text(int(n), s), otypes=[object])(M).tolist()


def _fraction_array(M: np.ndarray, s: int) -> np.ndarray:
    scale = Fraction(2) ** s  # s < 0 only when every entry is ≥ 2^53
    return np.vectorize(lambda n: Fraction(int(n)) / scale, otypes=[object])(M)


# ---- tokens ------------------------------------------------------------------------------------

def tokens(x: torch.Tensor, radius: Optional[float] = None) -> List[List[str]]:
    """The "tokens" of a config from a tensor of n tokens of dimension d: shape (n, d), or a batch
    of one, (1, n, d) or (n, 1, d). Each entry is its exact hex float text; with `radius` ρ > 0
    (a finite float) each entry x is the exact interval text "[x − ρ, x + ρ]" instead — a box of
    initial tokens, for the kinds that take one (transformer.flow, euler.error: every result then
    holds for every token matrix in the box)."""
    if radius is not None and (isinstance(radius, bool) or not isinstance(radius, (int, float))
                               or not math.isfinite(radius) or radius < 0):
        raise ValueError(f"tokens: radius must be a finite number >= 0, got {radius!r}")
    a = _floats(x, "tokens")
    if a.ndim == 3:
        if a.shape[0] == 1:
            a = a[0]
        elif a.shape[1] == 1:
            a = a[:, 0, :]
        else:
            raise UnsupportedModule(f"tokens: a batch of {a.shape} — certify one sequence at a time (batch size 1)")
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1:
        raise UnsupportedModule(f"tokens: expected shape (n, d), got {tuple(x.shape)}")
    if not radius:
        return _text(a)
    r = Fraction(float(radius))  # x ± ρ: dyadic, written exactly (hex float or p/q)
    return [[f"[{_fraction_text(Fraction(float(v)) - r)}, {_fraction_text(Fraction(float(v)) + r)}]" for v in row]
            for row in a]


# ---- modules -----------------------------------------------------------------------------------

class _Model:
    """Accumulates one layer's model: heads, affine part (W, b) and MLP, exactly (Fractions)."""

    def __init__(self, d: int):
        self.d = d
        self.heads: List[dict] = []
        self.beta: Optional[Fraction] = None
        self.W: Optional[np.ndarray] = None       # float64 d × d (exact floats)
        self.b: Optional[np.ndarray] = None       # object array of Fractions (sums of folded terms)
        self.mlp: Optional[dict] = None

    def add_bias(self, v: np.ndarray) -> None:
        self.b = v if self.b is None else self.b + v

    def as_config(self) -> Dict[str, Any]:
        m: Dict[str, Any] = {"dim": self.d, "beta": exact(self.beta if self.beta is not None else Fraction(1))}
        if self.W is not None:
            m["W"] = _text(self.W)
        if self.b is not None and any(x != 0 for x in self.b):
            m["b"] = [_fraction_text(Fraction(x)) for x in self.b]
        m["heads"] = self.heads
        if self.mlp is not None:
            m["mlp"] = self.mlp
        return m


def _fraction_text(q: Fraction) -> str:
    """Exact text of a dyadic Fraction (hex float if binary64, else p/q)."""
    den = q.denominator
    s = den.bit_length() - 1
    assert den == 1 << s, "not dyadic"
    return _dyadic_text(q.numerator, s)


def _check_eval(module: nn.Module, name: str) -> None:
    p = getattr(module, "dropout", 0.0)
    if isinstance(p, float) and p > 0 and module.training:
        raise UnsupportedModule(f"{name}: dropout = {p} in training mode is random; call .eval() (certiformer "
                                "certifies the deterministic eval-mode forward)")


def _attention(m: _Model, mha: nn.MultiheadAttention, name: str) -> None:
    E, H = mha.embed_dim, mha.num_heads
    dk = mha.head_dim
    if E != m.d:
        raise UnsupportedModule(f"{name}: embed_dim {E} differs from the model dimension {m.d}")
    _check_eval(mha, name)
    if mha.bias_k is not None or mha.bias_v is not None:
        raise UnsupportedModule(f"{name}.bias_k / bias_v (add_bias_kv=True): an extra learned key/value token is not "
                                "part of certiformer's model")
    if mha.add_zero_attn:
        raise UnsupportedModule(f"{name}.add_zero_attn=True: an extra zero key/value token is not part of "
                                "certiformer's model")
    if mha.in_proj_weight is not None:
        Wi = _floats(mha.in_proj_weight, f"{name}.in_proj_weight")
        Wq, Wk, Wv = Wi[:E], Wi[E:2 * E], Wi[2 * E:]
    else:
        if mha.kdim != E or mha.vdim != E:
            raise UnsupportedModule(f"{name}: kdim/vdim = {mha.kdim}/{mha.vdim} ≠ embed_dim {E}: not self-attention")
        Wq = _floats(mha.q_proj_weight, f"{name}.q_proj_weight")
        Wk = _floats(mha.k_proj_weight, f"{name}.k_proj_weight")
        Wv = _floats(mha.v_proj_weight, f"{name}.v_proj_weight")
    Wo = _floats(mha.out_proj.weight, f"{name}.out_proj.weight")
    bq = bk = None
    if mha.in_proj_bias is not None:
        bi = _floats(mha.in_proj_bias, f"{name}.in_proj_bias")
        bq, bk, bv = bi[:E], bi[E:2 * E], bi[2 * E:]
        if not np.any(bq != 0):
            bq = bk = None  # the key bias alone cancels in the softmax
        # b_v: Σ_j w_hj W_o,h (W_v,h x_j + b_v,h) = V_h-part + W_o,h b_v,h (Σ_j w_hj = 1)
        Mo, so = _scaled_ints(Wo)
        Mbv, sbv = _scaled_ints(bv)
        m.add_bias(_fraction_array(Mo.dot(Mbv), so + sbv))
    if mha.out_proj.bias is not None:
        m.add_bias(np.vectorize(lambda x: Fraction(float(x)), otypes=[object])(
            _floats(mha.out_proj.bias, f"{name}.out_proj.bias")))
    # β = 1/s, s = math.sqrt(d_k) as the float torch divides the queries by
    s = math.sqrt(dk)
    beta = 1 / Fraction(s)
    if m.beta is not None and m.beta != beta:
        raise UnsupportedModule(f"{name}: head_dim {dk} gives β = 1/√{dk} ≠ the β of another attention module")
    m.beta = beta
    Mo, so = _scaled_ints(Wo)
    Mv, sv = _scaled_ints(Wv)
    for h in range(H):
        sl = slice(h * dk, (h + 1) * dk)
        V = Mo[:, sl].dot(Mv[sl, :])  # V_h = W_o[:, h] W_v[h] exactly (integers)
        head = {"Q": _text(Wq[sl]), "K": _text(Wk[sl]), "V": _int_text(V, so + sv)}
        if bq is not None:  # scores β(Q_h x_i + b_q[h])ᵀ(K_h x_j + b_k[h]), exactly torch's
            head["bQ"] = _text(bq[sl])
            head["bK"] = _text(bk[sl])
        m.heads.append(head)


def _linear(lin: nn.Linear, name: str) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    W = _floats(lin.weight, f"{name}.weight")
    b = _floats(lin.bias, f"{name}.bias") if lin.bias is not None else None
    return W, b


_ACTIVATIONS = "nn.Tanh, nn.Softplus(beta=1), nn.GELU(approximate='tanh') or nn.ReLU"


def _activation(act: nn.Module, name: str) -> str:
    if isinstance(act, nn.Tanh):
        return "tanh"
    if isinstance(act, nn.Softplus):
        if act.beta != 1:
            raise UnsupportedModule(f"{name}: Softplus(beta={act.beta}): only beta = 1 is supported")
        return "softplus"
    if isinstance(act, nn.GELU):
        if act.approximate != "tanh":
            raise UnsupportedModule(f"{name}: GELU(approximate='{act.approximate}') is the erf GELU; certiformer has "
                                    "the tanh form: use nn.GELU(approximate='tanh')")
        return "gelu_tanh"
    if isinstance(act, nn.ReLU):
        return "relu"  # the discrete network only: flow kinds refuse it (config error naming the activation)
    raise UnsupportedModule(f"{name}: activation {type(act).__name__} is not supported; use {_ACTIVATIONS}")


def _ffn(m: _Model, ffn: nn.Module, name: str) -> None:
    d = m.d
    if isinstance(ffn, nn.Linear):
        if ffn.in_features != d or ffn.out_features != d:
            raise UnsupportedModule(f"{name}: nn.Linear({ffn.in_features}, {ffn.out_features}) as the FFN must be "
                                    f"d × d = {d} × {d}")
        W, b = _linear(ffn, name)
        if m.W is not None:
            raise UnsupportedModule(f"{name}: a second affine FFN")
        m.W = W
        if b is not None:
            m.add_bias(np.vectorize(lambda x: Fraction(float(x)), otypes=[object])(b))
        return
    if isinstance(ffn, nn.Sequential):
        for i, x in enumerate(ffn):
            if isinstance(x, nn.Dropout) and x.training and x.p > 0:
                raise UnsupportedModule(f"{name}[{i}]: Dropout(p={x.p}) in training mode is random; call .eval()")
        mods = [x for x in ffn if not isinstance(x, nn.Dropout)]
        if len(mods) == 3 and isinstance(mods[0], nn.Linear) and isinstance(mods[2], nn.Linear):
            l1, act, l2 = mods
            if l1.in_features != d or l2.out_features != d or l2.in_features != l1.out_features:
                raise UnsupportedModule(f"{name}: the MLP must map d = {d} → width → d, got "
                                        f"{l1.in_features} → {l1.out_features} / {l2.in_features} → {l2.out_features}")
            a = _activation(act, f"{name}[1]")
            W1, b1 = _linear(l1, f"{name}[0]")
            W2, b2 = _linear(l2, f"{name}[2]")
            if m.mlp is not None:
                raise UnsupportedModule(f"{name}: a second MLP")
            mlp: Dict[str, Any] = {"W1": _text(W1), "W2": _text(W2), "activation": a}
            if b1 is not None:
                mlp["b1"] = _text(b1)
            if b2 is not None:
                mlp["b2"] = _text(b2)
            m.mlp = mlp
            return
        kinds = ", ".join(type(x).__name__ for x in ffn)
        raise UnsupportedModule(f"{name}: nn.Sequential({kinds}) is not an FFN certiformer supports: use nn.Linear(d, d) "
                                f"or nn.Sequential(nn.Linear(d, w), act, nn.Linear(w, d)) with act one of {_ACTIVATIONS}")
    _refuse(ffn, name)


def _refuse(module: nn.Module, name: str) -> None:
    if isinstance(module, nn.LayerNorm):
        raise UnsupportedModule(f"{name}: nn.LayerNorm (weight and bias) is not supported: certiformer's normalised "
                                "model is the unit sphere (\"sphere\": true, no gain or bias)")
    if isinstance(module, (nn.TransformerEncoderLayer, nn.TransformerEncoder)):
        raise UnsupportedModule(f"{name}: {type(module).__name__} has LayerNorm and a ReLU/GELU FFN, which are not "
                                "supported; build the layer from nn.MultiheadAttention and an FFN with certiformer.torch.Residual")
    raise UnsupportedModule(f"{name}: {type(module).__name__} is not supported (nn.MultiheadAttention, nn.Linear, a "
                            "two-layer MLP, certiformer.torch.Residual or a stack of Residual layers)")


def stack_layers(module: nn.Module) -> List[Residual]:
    """The layers of a residual stack: a Residual alone, or nn.Sequential / nn.ModuleList of them."""
    if isinstance(module, Residual):
        return [module]
    if isinstance(module, (nn.Sequential, nn.ModuleList)) and len(module) > 0 and all(isinstance(x, Residual) for x in module):
        return list(module)
    raise UnsupportedModule(f"{type(module).__name__}: a residual stack is a certiformer.torch.Residual or an "
                            "nn.Sequential / nn.ModuleList of them")


def _common_step(layers: Sequence[Residual], name: str) -> float:
    """The step every layer of the stack shares (ε of the Euler scheme)."""
    for k, layer in enumerate(layers[1:], start=1):
        if layer.step != layers[0].step:
            raise UnsupportedModule(f"{name}[{k}].step = {layer.step} differs from {name}[0].step = {layers[0].step} "
                                    "(a stack has one step ε)")
    return layers[0].step


def _same_weights(a: Residual, b: Residual) -> bool:
    """Whether two layers are the same model: same structure, mask and (exactly) equal parameters."""
    if a is b:
        return True
    if a.causal != b.causal:
        return False
    for sub in ("attn", "ffn"):
        x, y = getattr(a, sub), getattr(b, sub)
        if (x is None) != (y is None) or (x is not None and type(x) is not type(y)):
            return False
    pa, pb = dict(a.named_parameters()), dict(b.named_parameters())
    return set(pa) == set(pb) and all(torch.equal(pa[k].detach(), pb[k].detach()) for k in pa)


def _dim(module: nn.Module) -> int:
    if isinstance(module, nn.MultiheadAttention):
        return module.embed_dim
    if isinstance(module, nn.Linear):
        return module.in_features
    if isinstance(module, nn.Sequential) and len(module) and isinstance(module[0], nn.Linear):
        return module[0].in_features
    _refuse(module, type(module).__name__)
    return 0


def _layer_model(parts: Sequence[Tuple[Optional[nn.Module], str]], causal: bool = False) -> Dict[str, Any]:
    """The one-layer model object of the modules `parts` (attention and/or FFN) with exact numbers."""
    d = None
    for mod, _ in parts:
        if mod is not None:
            d = _dim(mod)
            break
    m = _Model(d)
    for mod, name in parts:
        if mod is None:
            continue
        if isinstance(mod, nn.MultiheadAttention):
            _attention(m, mod, name)
        else:
            _ffn(m, mod, name)
    cfg = m.as_config()
    if causal:
        cfg["causal"] = True
    return cfg


def model_config(module: nn.Module, ffn: Optional[nn.Module] = None) -> Dict[str, Any]:
    """The config "model" object of `module` (+ an optional FFN `ffn`), with exact numbers.

    module: nn.MultiheadAttention, nn.Linear(d, d), a two-layer MLP (nn.Sequential), a Residual
    or a stack of Residual layers (the depth is in network_config). A stack whose layers share
    their weights gives the one-layer model; different weights per layer give
    {"dim": d, "layers": [layer, …]} (each layer object without "dim"). Raises UnsupportedModule
    naming the module and parameter."""
    if isinstance(module, (Residual, nn.Sequential, nn.ModuleList)) and not (
            isinstance(module, nn.Sequential) and len(module) and isinstance(module[0], nn.Linear)):
        layers = stack_layers(module)
        if ffn is not None:
            raise UnsupportedModule("model_config: pass the FFN inside the Residual layer, not as ffn=")
        _common_step(layers, "layers")
        if all(_same_weights(layers[0], layer) for layer in layers[1:]):
            return _layer_model([(layers[0].attn, "attn"), (layers[0].ffn, "ffn")], layers[0].causal)
        per_layer = [_layer_model([(l.attn, f"layers[{k}].attn"), (l.ffn, f"layers[{k}].ffn")], l.causal)
                     for k, l in enumerate(layers)]
        dims = {m.pop("dim") for m in per_layer}
        if len(dims) != 1:
            raise UnsupportedModule(f"layers: the layers have different dimensions {sorted(dims)}")
        return {"dim": dims.pop(), "layers": per_layer}
    return _layer_model([(module, type(module).__name__), (ffn, "ffn")])


def network_config(module: nn.Module, x: torch.Tensor, **extra: Any) -> Dict[str, Any]:
    """A transformer.network config for the residual stack `module` (a Residual or a stack of
    them, shared or per-layer weights) on tokens `x`: depth = the number of layers, step = the
    layers' common step (exact). Extra fields (claims, precision, wrapping) are added as given."""
    layers = stack_layers(module)
    step = _common_step(layers, "layers")
    cfg: Dict[str, Any] = {"kind": "transformer.network", "model": model_config(module), "tokens": tokens(x),
                           "depth": len(layers), "step": exact(step)}
    cfg.update(extra)
    return cfg
