"""certiformer.plot — draw what a certificate certifies.

    python3 -m certiformer.plot CERT.json [-o FIG.png|FIG.pdf]

One figure per certificate, drawn from the certificate's own results (matplotlib, Agg backend):

  euler.error        err_L against ε = T/L (log-log) with the certified bars, the a-posteriori
                     bounds and the C_thm·ε and C_tube·ε lines
  gaussian.blowup    the certified blow-up bracket [t_lo, t_hi] on the time axis, over an
                     approximate λ_min(P(t)) curve (numpy RK4 of the information form, or of Σ
                     with λ_min(P) = 1/λ_max(Σ) for general V; not certified)
  gradflow.edi       E(0) and E(T), and the terms of the energy-dissipation identity, with bars
  bellman.gap        the certified gap against the grid refinement of the study
  transformer.flow   tokens: the inputs X(0) (dashed: a box of initial tokens), approximate
  transformer.network  trajectories (numpy RK4 of the model from the box centers; not
                     certified) and the certified enclosures at T (at depth L: the layers)
  other kinds        every scalar entry of the enclosure results with its certified interval
  sweep certificates the verdict map of the cover (`certiformer sweep`): for a 2-D box every
                     sub-box as a rectangle — proved green, refuted red, unknown grey — over
                     the two coordinates; a 1-D box as segments on a line; more coordinates:
                     the volume fractions

Certified numbers are drawn as bars/boxes (float64 endpoints rounded outward from the exact
ones); anything approximate is drawn thin and grey and labelled "approximate". A bar narrower
than the line width is still drawn; its width is printed in the legend.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from fractions import Fraction
from typing import Any, Dict, List, Optional, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from . import Certificate, Enclosure, OneSided, parse_exact  # noqa: E402

__all__ = ["figure", "main"]

GREY = "0.6"


def _num(x: Any) -> float:
    return float(parse_exact(str(x)))


def _mat(a: Any) -> np.ndarray:
    return np.vectorize(_num, otypes=[np.float64])(np.array(a, dtype=object))


def _title(ax, cert: Certificate, what: str) -> None:
    v = [c["verdict"] for c in cert["claims"]]
    counts = f"{v.count('proved')} proved, {v.count('refuted')} refuted, {v.count('unknown')} unknown"
    ax.set_title(f"{cert['kind']}: {what}\n{cert['certiformer']['backend']}; claims: {counts}", fontsize=9)


def _outward(lo: float, hi: float, digits: int = 12) -> str:
    """"[lo, hi]" with `digits` significant digits, rounded outward (still an enclosure)."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

    def r(x: float, mode) -> str:
        if not math.isfinite(x):
            return str(x)
        return format(Context(prec=digits, rounding=mode).plus(Decimal(x)), "g")
    return f"[{r(lo, ROUND_FLOOR)}, {r(hi, ROUND_CEILING)}]"


def _interval(e: Enclosure) -> Tuple[float, float]:
    return float(e.lo), float(e.hi)


# ---- euler.error -------------------------------------------------------------------------------

def _euler(cert: Certificate, fig) -> None:
    ax = fig.add_subplot(1, 1, 1)
    T = _num(cert["input"]["horizon"])
    err = cert.enclosure("error_by_depth")
    depths = sorted(err, key=int)
    eps = np.array([T / int(L) for L in depths])
    lo = np.array([float(err[L].lo) for L in depths])
    hi = np.array([float(err[L].hi) for L in depths])
    mid = np.where(lo > 0, np.sqrt(np.maximum(lo, 1e-300) * hi), hi)
    wmax = float(np.max((hi - lo) / np.maximum(hi, 1e-300)))
    ax.errorbar(eps, mid, yerr=[mid - np.where(lo > 0, lo, mid), hi - mid], fmt="o", color="C0", capsize=4,
                label=f"err_L certified (relative width ≤ {wmax:.1e})")
    top = float(np.max(hi))
    if "aposteriori_bound_by_depth" in cert["results"]:
        ap = cert.bound("aposteriori_bound_by_depth")
        ks = [L for L in depths if L in ap]
        ax.plot([T / int(L) for L in ks], [ap[L].bound for L in ks], "v--", color="C1", label="a-posteriori bound")
        top = max(top, max(ap[L].bound for L in ks)) if ks else top
    for name, color, label in (("theorem_constant_tube", "C2", "C_tube·ε (trajectory region)"),
                               ("theorem_constant", "C3", "C_thm·ε (a-priori, ball)")):
        if name in cert["results"]:
            c = cert.bound(name).bound
            if c * eps.max() <= 1e3 * top:
                ax.plot(eps, c * eps, "-", color=color, label=f"{label}, C ≤ {c:.4g}")
            else:
                ax.plot([], [], " ", label=f"{label}: C ≤ {c:.3g}, above the plot")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("ε = T/L")
    ax.set_ylabel("err_L = max_k max_i ‖X^k_i − X_i(t_k)‖")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    _title(ax, cert, f"Euler error of the depth-L network against the flow, T = {T:g}")


# ---- gaussian.blowup ---------------------------------------------------------------------------

def _lambda_min_curve(inp: Dict[str, Any], t_end: float) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """Approximate λ_min(P(t)) of the information form P' = −(WᵀP + PW) − 2β Σ v_h S_h (numpy
    RK4; not certified), when every V_h = v_h I. None when the form does not apply."""
    m = inp["model"]
    d = int(m["dim"])
    beta = _num(m.get("beta", 1))
    W = _mat(m["W"]) if "W" in m else np.zeros((d, d))
    R = np.zeros((d, d))
    for h in m.get("heads", []):
        V = _mat(h["V"])
        if not np.allclose(V, V[0, 0] * np.eye(d), atol=0):
            return None
        B = _mat(h["B"]) if "B" in h else _mat(h["K"]).T @ _mat(h["Q"])
        R += 2 * beta * V[0, 0] * (B + B.T) / 2
    P = np.linalg.inv(_mat(inp["initial"]["cov"]))
    rhs = lambda P: -(W.T @ P + P @ W) - R
    n = 400
    h = t_end / n
    ts, lam = [0.0], [float(np.linalg.eigvalsh(P)[0])]
    for k in range(n):
        k1 = rhs(P)
        k2 = rhs(P + h / 2 * k1)
        k3 = rhs(P + h / 2 * k2)
        k4 = rhs(P + h * k3)
        P = P + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        ts.append((k + 1) * h)
        lam.append(float(np.linalg.eigvalsh((P + P.T) / 2)[0]))
    return np.array(ts), np.array(lam)


def _lambda_min_curve_general(inp: Dict[str, Any], t_end: float) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """Approximate λ_min(P(t)) = 1/λ_max(Σ(t)) for any V_h: numpy RK4 of Σ' = A(Σ)Σ + ΣA(Σ)ᵀ,
    A(Σ) = W + β Σ_h V_h Σ B_h (not certified); stops where λ_max(Σ) exceeds 1e8."""
    m = inp["model"]
    d = int(m["dim"])
    beta = _num(m.get("beta", 1))
    W = _mat(m["W"]) if "W" in m else np.zeros((d, d))
    heads = [(_mat(h["V"]), _mat(h["B"]) if "B" in h else _mat(h["K"]).T @ _mat(h["Q"])) for h in m.get("heads", [])]

    def rhs(S):
        A = W + beta * sum((V @ S @ B for V, B in heads), np.zeros((d, d)))
        return A @ S + S @ A.T

    S = _mat(inp["initial"]["cov"])
    n = 4000
    h = t_end / n
    ts, lam = [0.0], [1.0 / float(np.linalg.eigvalsh(S)[-1])]
    for k in range(n):
        k1 = rhs(S)
        k2 = rhs(S + h / 2 * k1)
        k3 = rhs(S + h / 2 * k2)
        k4 = rhs(S + h * k3)
        S = S + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        top = float(np.linalg.eigvalsh((S + S.T) / 2)[-1])
        if not np.isfinite(top) or top > 1e8:
            break
        ts.append((k + 1) * h)
        lam.append(1.0 / top)
    return np.array(ts), np.array(lam)


def _gaussian_blowup(cert: Certificate, fig) -> None:
    ax = fig.add_subplot(1, 1, 1)
    inp = cert["input"]
    horizon = _num(inp["horizon"])
    status = cert["results"].get("status", "")
    if "blowup_time" in cert["results"]:
        bt = cert.enclosure("blowup_time")
        t_lo, t_hi = _interval(bt)
    else:
        t_lo, t_hi = math.nan, math.nan
    t_end = min(horizon, 1.5 * t_hi) if math.isfinite(t_hi) else horizon
    curve = None
    try:
        curve = _lambda_min_curve(inp, t_end)
        if curve is None:
            curve = _lambda_min_curve_general(inp, t_end)
    except (KeyError, np.linalg.LinAlgError, ValueError):
        curve = None
    if curve is not None:
        ax.plot(curve[0], curve[1], "-", color=GREY, lw=1, label="λ_min(P(t)), approximate (numpy RK4; not certified)")
        ax.axhline(0, color="k", lw=0.5)
    if math.isfinite(t_lo):
        right = t_hi if math.isfinite(t_hi) else t_end
        ax.axvspan(t_lo, right, color="C3", alpha=0.3)
        ax.axvline(t_lo, color="C3", lw=1.5)
        if math.isfinite(t_hi):
            ax.axvline(t_hi, color="C3", lw=1.5)
            lab = f"certified blow-up time t* ∈ {_outward(t_lo, t_hi)}"
        else:
            lab = f"certified: no blow-up on [0, {t_lo:g}] (t* ≥ horizon)"
        ax.plot([], [], color="C3", lw=6, alpha=0.4, label=lab)
    ax.set_xlabel("t")
    ax.set_ylabel("λ_min(P(t)),  P = Σ⁻¹")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    _title(ax, cert, f"covariance blow-up ({status}): P(t) stops being positive definite in the bracket")


# ---- gradflow.edi ------------------------------------------------------------------------------

def _gradflow(cert: Certificate, fig) -> None:
    r = cert["results"]
    ax1 = fig.add_subplot(1, 2, 1)
    T = _num(cert["input"]["horizon"])
    e0, e1 = cert.enclosure("energy_initial"), cert.enclosure("energy_final")
    for t, e in ((0.0, e0), (T, e1)):
        lo, hi = _interval(e)
        ax1.errorbar([t], [(lo + hi) / 2], yerr=[[(hi - lo) / 2], [(hi - lo) / 2]], fmt="o", color="C0", capsize=5)
    ax1.plot([0, T], [float(e0.lo) / 2 + float(e0.hi) / 2, float(e1.lo) / 2 + float(e1.hi) / 2], ":", color=GREY,
             label="(the path between is not in the certificate)")
    ax1.set_xlabel("t")
    ax1.set_ylabel("E(t)")
    ax1.legend(fontsize=7)
    ax1.grid(True, alpha=0.3)
    ax1.set_title("energy at 0 and T (certified)", fontsize=9)
    ax2 = fig.add_subplot(1, 2, 2)
    terms = [("energy_change", "E(T) − E(0)"), ("explicit_time_integral", "∫ ∂_t E dt"),
             ("dissipation_integral", "s ∫ Σ_i ∇E·v_i dt"), ("identity_residual", "residual"),
             ("metric_dissipation_integral", "s ∫ Σ (N_i/n²)‖v_i‖² dt"), ("metric_identity_residual", "metric residual")]
    names, lo, hi = [], [], []
    for key, label in terms:
        if key in r:
            a, b = _interval(cert.enclosure(key))
            names.append(label)
            lo.append(a)
            hi.append(b)
    y = np.arange(len(names))
    lo, hi = np.array(lo), np.array(hi)
    ax2.errorbar((lo + hi) / 2, y, xerr=[(hi - lo) / 2, (hi - lo) / 2], fmt="s", color="C1", capsize=5)
    for yi, a, b in zip(y, lo, hi):
        ax2.annotate(_outward(a, b, 8), ((a + b) / 2, yi), textcoords="offset points", xytext=(0, 6),
                     ha="center", fontsize=7)
    ax2.axvline(0, color="k", lw=0.5)
    ax2.margins(x=0.2, y=0.15)
    ax2.set_yticks(y)
    ax2.set_yticklabels(names, fontsize=8)
    ax2.invert_yaxis()
    ax2.set_title("energy-dissipation identity: certified terms", fontsize=9)
    fig.suptitle(f"{cert['kind']}: E(T) − E(0) = ∫∂_tE + s∫Σ∇E·v  ({cert['certiformer']['backend']}; "
                 f"{sum(c['verdict'] == 'proved' for c in cert['claims'])} of {len(cert['claims'])} claims proved)",
                 fontsize=9)


# ---- bellman.gap -------------------------------------------------------------------------------

def _bellman(cert: Certificate, fig) -> None:
    ax = fig.add_subplot(1, 1, 1)
    r = cert["results"]
    rows = []
    if isinstance(r.get("study"), str):
        parts = [p.strip() for p in r["study"].split(";") if p.strip()]
        head = parts[0].split()
        for p in parts[1:]:
            rows.append(dict(zip(head, p.split())))
    xs, gaps_lo, gaps_hi, Es = [], [], [], []
    for row in rows:
        key = f"study_gap_level{row['level']}"
        if key in r:
            e = cert.enclosure(key)
            xs.append(float(row["state_grid"]))
            gaps_lo.append(float(e.lo))
            gaps_hi.append(float(e.hi))
            Es.append(float(row.get("E", "nan")))
    if not xs:
        e = cert.enclosure("gap")
        xs, gaps_lo, gaps_hi = [_num(cert["input"].get("state_grid", 1))], [float(e.lo)], [float(e.hi)]
        Es = [cert.bound("quantisation_error").bound] if "quantisation_error" in r else [math.nan]
    xs, gl, gh = np.array(xs), np.array(gaps_lo), np.array(gaps_hi)
    ax.vlines(xs, gl, gh, color="C0", lw=6, alpha=0.6, label="certified gap J(a*) − V_0 ∈ [lo, hi]")
    ax.plot(xs, gh, "o", color="C0")
    if np.all(np.isfinite(Es)):
        ax.plot(xs, Es, "^--", color=GREY, label="quantisation error E (study table, rounded)")
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("state grid spacing (refinement →)")
    ax.set_ylabel("near-optimality gap")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    _title(ax, cert, "certified near-optimality gap of the quantised policy")


# ---- transformer.flow / transformer.network ------------------------------------------------------

def _field(model: Dict[str, Any]):
    """The model's field f(X) for X n × d in float64 (approximate; for the grey trajectories)."""
    d = int(model["dim"])
    beta = _num(model["beta"])
    heads = []
    for h in model.get("heads", []):
        B = _mat(h["B"]) if "B" in h else _mat(h["K"]).T @ _mat(h["Q"])
        heads.append((B, _mat(h["V"])))
    W = _mat(model["W"]) if "W" in model else None
    b = _mat(model["b"]) if "b" in model else None
    mlp = model.get("mlp")
    acts = {"tanh": np.tanh, "softplus": lambda u: np.logaddexp(0, u),
            "gelu_tanh": lambda u: u / 2 * (1 + np.tanh(math.sqrt(2 / math.pi) * (u + 0.044715 * u ** 3)))}
    sphere = bool(model.get("sphere", False))

    def f(X):
        G = np.zeros_like(X)
        for B, V in heads:
            S = beta * X @ B.T @ X.T  # S[i, j] = β x_jᵀ B x_i
            S = S - S.max(axis=1, keepdims=True)
            A = np.exp(S)
            A /= A.sum(axis=1, keepdims=True)
            G += A @ X @ V.T
        if W is not None:
            G += X @ W.T
        if b is not None:
            G += b
        if mlp is not None:
            U = X @ _mat(mlp["W1"]).T + (_mat(mlp["b1"]) if "b1" in mlp else 0)
            G += acts[mlp.get("activation", "tanh")](U) @ _mat(mlp["W2"]).T + (_mat(mlp["b2"]) if "b2" in mlp else 0)
        if sphere:
            G -= X * np.sum(X * G, axis=1, keepdims=True)
        return G
    return f, sphere


def _tokens(cert: Certificate, fig) -> None:
    ax = fig.add_subplot(1, 1, 1)
    inp = cert["input"]
    kind = cert["kind"]
    # tokens may be interval texts "[a, b]" (a box of initial tokens): trajectories from the centers
    T0 = np.array(inp["tokens"], dtype=object)
    X0lo, X0hi = np.vectorize(lambda s: _box_ends(str(s)), otypes=[np.float64, np.float64])(T0)
    X0 = (X0lo + X0hi) / 2
    boxed = any(str(s).strip().startswith("[") for s in T0.ravel())
    name = "tokens_at_depth" if kind == "transformer.network" else "tokens_at_horizon"
    enc = cert.enclosure(name)
    n, d = X0.shape
    j = 1 if d > 1 else 0
    path = None
    try:
        f, sphere = _field(inp["model"])
        if kind == "transformer.network":
            eps, L = _num(inp.get("step", 1)), int(inp["depth"])
            path = [X0]
            for _ in range(L):
                Y = path[-1] + eps * f(path[-1])
                path.append(Y / np.linalg.norm(Y, axis=1, keepdims=True) if sphere else Y)
            label = f"the {L} layers (float64; not certified)"
        else:
            T = _num(inp["horizon"])
            steps = 200
            h = T / steps
            path = [X0]
            X = X0
            for _ in range(steps):
                k1 = f(X)
                k2 = f(X + h / 2 * k1)
                k3 = f(X + h / 2 * k2)
                k4 = f(X + h * k3)
                X = X + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
                path.append(X)
            label = "trajectories, approximate (numpy RK4; not certified)"
    except (KeyError, ValueError, TypeError):
        path = None
    if path is not None:
        P = np.array(path)
        for i in range(n):
            ax.plot(P[:, i, 0], P[:, i, j], "-", color=GREY, lw=0.8, marker="." if kind == "transformer.network" else None,
                    markersize=3, label=label if i == 0 else None)
    ax.plot(X0[:, 0], X0[:, j], "o", mfc="none", color="k",
            label="X(0) (centers of the input token boxes)" if boxed else "X(0) (input tokens)")
    if boxed:
        for i in range(n):
            ax.add_patch(Rectangle((X0lo[i, 0], X0lo[i, j]), X0hi[i, 0] - X0lo[i, 0], X0hi[i, j] - X0lo[i, j],
                                   fill=False, edgecolor="k", lw=0.8, ls="--", gid="input_box"))
    wmax = float(np.max(enc.width())) if enc.lo.size else 0.0
    for i in range(n):
        lo0, hi0, loj, hij = enc.lo[i, 0], enc.hi[i, 0], enc.lo[i, j], enc.hi[i, j]
        ax.add_patch(Rectangle((lo0, loj), hi0 - lo0, hij - loj, fill=False, edgecolor="C3", lw=1.5, gid="enclosure"))
    ax.plot((enc.lo[:, 0] + enc.hi[:, 0]) / 2, (enc.lo[:, j] + enc.hi[:, j]) / 2, "s", color="C3", markersize=5,
            label=f"certified enclosure at the end (boxes; widths ≤ {wmax:.1e})")
    ax.set_xlabel("x[0]")
    ax.set_ylabel(f"x[{j}]")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    what = (f"tokens after L = {inp['depth']} residual layers" if kind == "transformer.network"
            else f"token flow on [0, {_num(inp['horizon']):g}]") + (f" (coordinates 0 and {j} of d = {d})" if d > 2 else "")
    _title(ax, cert, what)


# ---- any other kind ----------------------------------------------------------------------------

def _generic(cert: Certificate, fig) -> None:
    ax = fig.add_subplot(1, 1, 1)
    labels, lo, hi = [], [], []
    for name, v in cert["results"].items():
        try:
            e = cert.enclosure(name)
        except TypeError:
            continue
        items = e.items() if isinstance(e, dict) else [(None, e)]
        for key, enc in items:
            for idx in np.ndindex(enc.shape):
                suffix = (f"[{key}]" if key is not None else "") + "".join(f"[{i}]" for i in idx)
                labels.append(name + suffix)
                lo.append(float(enc.lo[idx]))
                hi.append(float(enc.hi[idx]))
    labels, lo, hi = labels[:40], np.array(lo[:40]), np.array(hi[:40])
    y = np.arange(len(labels))
    fin = np.isfinite(lo) & np.isfinite(hi)
    ax.errorbar(((lo + hi) / 2)[fin], y[fin], xerr=[((hi - lo) / 2)[fin], ((hi - lo) / 2)[fin]], fmt="s", color="C0",
                capsize=4, label="certified enclosures")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="k", lw=0.5)
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize=8)
    _title(ax, cert, "certified results")


# ---- sweep certificates (verdict map) ---------------------------------------------------------

VERDICT_COLOUR = {"proved": "#2e8b57", "refuted": "#c0392b", "unknown": "0.78"}


def _box_ends(text: str) -> Tuple[float, float]:
    """Float ends of an exact interval text "[a, b]" (or a point), rounded outward so the drawn
    rectangle contains the sub-box."""
    t = text.strip()
    if t.startswith("["):
        a, b = (x.strip() for x in t[1:-1].split(","))
    else:
        a = b = t
    lo, hi = parse_exact(a), parse_exact(b)
    flo, fhi = float(lo), float(hi)
    if Fraction(flo) > lo:
        flo = math.nextafter(flo, -math.inf)
    if Fraction(fhi) < hi:
        fhi = math.nextafter(fhi, math.inf)
    return flo, fhi


def _sweep(cert: Dict[str, Any], fig) -> None:
    coords = cert["coordinates"]
    cover = cert["cover"]
    s = cert["summary"]
    ax = fig.add_subplot(1, 1, 1)
    head = (f"sweep of {cert['kind']}: {s['proved']} proved, {s['refuted']} refuted, {s['unknown']} unknown "
            f"sub-boxes ({s['runs']} runs)\nvolume fractions: proved {float(parse_exact(s['fraction_proved'])):.4g}, "
            f"refuted {float(parse_exact(s['fraction_refuted'])):.4g}, unknown "
            f"{float(parse_exact(s['fraction_unknown'])):.4g}; status {cert['status']}")
    ax.set_title(head, fontsize=9)
    seen = set()

    def label(v):
        if v in seen:
            return None
        seen.add(v)
        return v

    if len(coords) == 2:
        for e in cover:
            (x0, x1), (y0, y1) = _box_ends(e["box"][0]), _box_ends(e["box"][1])
            v = e["verdict"]
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=VERDICT_COLOUR[v], edgecolor="white",
                                   linewidth=0.4, label=label(v), gid=f"subbox:{e['id']}:{v}"))
        (a0, a1), (b0, b1) = _box_ends(coords[0]["interval"]), _box_ends(coords[1]["interval"])
        ax.set_xlim(a0, a1)
        ax.set_ylim(b0, b1)
        ax.set_xlabel(coords[0]["pointer"])
        ax.set_ylabel(coords[1]["pointer"] + ("".join(" = " + p for p in coords[1].get("also", []))))
        if coords[0].get("also"):
            ax.set_xlabel(coords[0]["pointer"] + "".join(" = " + p for p in coords[0]["also"]))
    elif len(coords) == 1:
        for e in cover:
            x0, x1 = _box_ends(e["box"][0])
            v = e["verdict"]
            ax.add_patch(Rectangle((x0, 0), x1 - x0, 1, facecolor=VERDICT_COLOUR[v], edgecolor="white",
                                   linewidth=0.4, label=label(v), gid=f"subbox:{e['id']}:{v}"))
        a0, a1 = _box_ends(coords[0]["interval"])
        ax.set_xlim(a0, a1)
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.set_xlabel(coords[0]["pointer"])
    else:
        names = ["proved", "refuted", "unknown"]
        vals = [float(parse_exact(s["fraction_" + n])) for n in names]
        ax.bar(names, vals, color=[VERDICT_COLOUR[n] for n in names])
        ax.set_ylabel(f"volume fraction of the {len(coords)}-D box")
    if len(coords) in (1, 2):
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)


_PLOTTERS = {"euler.error": _euler, "gaussian.blowup": _gaussian_blowup, "gradflow.edi": _gradflow,
             "bellman.gap": _bellman, "transformer.flow": _tokens, "transformer.network": _tokens}


def figure(cert: Dict[str, Any]):
    """A matplotlib Figure drawing what the certificate certifies (see the module docstring)."""
    if isinstance(cert, dict) and "certiformer_sweep" in cert:
        fig = plt.figure(figsize=(7, 5.5))
        _sweep(cert, fig)
        fig.tight_layout()
        return fig
    cert = cert if isinstance(cert, Certificate) else Certificate(cert)
    wide = cert["kind"] == "gradflow.edi"
    fig = plt.figure(figsize=(11 if wide else 7, 5))
    _PLOTTERS.get(cert["kind"], _generic)(cert, fig)
    fig.tight_layout()
    return fig


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m certiformer.plot",
                                description="draw what a certiformer certificate certifies")
    p.add_argument("certificate", help="CERT.json (written by certiformer run --out / certiformer.run, "
                                       "or a sweep certificate of certiformer sweep)")
    p.add_argument("-o", "--output", help="FIG.png or FIG.pdf (default: the certificate's name with .png)")
    a = p.parse_args(argv)
    with open(a.certificate, encoding="utf-8") as fh:
        cert = json.load(fh)
    is_sweep = isinstance(cert, dict) and {"certiformer_sweep", "coordinates", "cover", "summary"} <= set(cert)
    if not is_sweep and (not isinstance(cert, dict) or not {"kind", "input", "results", "claims"} <= set(cert)):
        print(f"{a.certificate}: not a certiformer certificate", file=sys.stderr)
        return 65
    out = a.output or os.path.splitext(a.certificate)[0] + ".png"
    fig = figure(cert)
    fig.savefig(out, dpi=150)
    plt.close(fig)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
