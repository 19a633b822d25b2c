"""certiformer — certified interval enclosures for Transformers as dynamical systems.

Python access to the C++ library (docs/python.md):

    cert = certiformer.run(config)          # the certificate `certiformer run` writes, as a dict
    report = certiformer.check(cert)        # re-derived at higher precision (`certiformer check`)
    cert.verdicts()                         # {claim id: Verdict.proved | refuted | unknown}
    cert.enclosure("x_at_t")                # Enclosure: .lo/.hi float64 arrays (outward), exact .lo_hex/.hi_hex

A config is a dict (or JSON text) exactly as in a config file (docs/cli.md): every number means
the real number its text spells. A Python float is written as its shortest round-trip decimal
(repr), exactly as `json.dumps` would write it into a file, so `0.1` means 1/10 — the same as
`certiformer run` reading that file. To give a binary number exactly, pass its exact text:
`certiformer.exact(x)` (a hex float such as "0x1.999999999999ap-4"); certiformer.torch does this
for every weight.
"""

from __future__ import annotations

import enum
import json
import math
from fractions import Fraction
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import numpy as np

from . import _core

__all__ = [
    "run", "check", "kinds", "build_info", "exact", "parse_exact", "Certificate", "CheckReport",
    "Enclosure", "OneSided", "Verdict", "CheckOutcome", "ConfigError", "EnclosureFailure",
]

#: Raised for a bad config or a malformed certificate. ``args`` = (message, file, json_path,
#: expected, got); the same as the properties below. The CLI exits 65 for these.
ConfigError = _core.ConfigError
ConfigError.message = property(lambda self: self.args[0])
ConfigError.__str__ = lambda self: str(self.args[0]) if self.args else ""
ConfigError.file = property(lambda self: self.args[1])
ConfigError.json_path = property(lambda self: self.args[2])
ConfigError.expected = property(lambda self: self.args[3])
ConfigError.got = property(lambda self: self.args[4])
#: Raised when an enclosure cannot be computed (overflow, a function leaving its domain): nothing
#: is claimed and there is no certificate (the CLI exits 2 and writes none).
EnclosureFailure = _core.EnclosureFailure


class _NoBool:
    def __bool__(self):
        raise TypeError(f"{self!r} is three-valued: compare it with {type(self).__name__}.<member>, "
                        "never use it as a bool")


class Verdict(_NoBool, enum.Enum):
    """A claim's verdict. Three-valued; using it as a bool raises TypeError."""
    proved = "proved"
    refuted = "refuted"
    unknown = "unknown"


class CheckOutcome(_NoBool, enum.Enum):
    """Outcome of re-deriving a certificate item (`certiformer check`)."""
    reproduced = "reproduced"
    inconclusive = "inconclusive"
    failed = "failed"


# ---- exact numbers -----------------------------------------------------------------------------

def exact(x: Union[float, int, Fraction, np.floating, np.integer]) -> str:
    """The exact text of a binary number: a float as a C99 hex float (``float.hex``), an integer
    as its decimal, a Fraction as "p/q". The config parser reads it back as exactly this number."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError("exact(): a bool is not a number")
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, (float, np.floating)):
        f = float(x)  # float16/32 → float64 is exact
        if not math.isfinite(f):
            raise ValueError(f"exact(): {f} is not a finite number")
        return f.hex()
    raise TypeError(f"exact(): expected a float, an int or a Fraction, got {type(x).__name__}")


def parse_exact(text: str) -> Fraction:
    """The exact value of an endpoint text: a C99 hex float ("0x1.8p+3", "-0x0p+0", MPFR's
    multi-digit form), a decimal, or "p/q". "inf"/"-inf" are not numbers (ValueError)."""
    t = text.strip()
    neg = t.startswith("-")
    if t[:1] in "+-":
        t = t[1:]
    if t[:2].lower() == "0x":
        body = t[2:]
        mant, _, exp = body.lower().partition("p")
        ip, _, fp = mant.partition(".")
        digits = (ip or "0") + fp
        v = Fraction(int(digits, 16), 16 ** len(fp)) * Fraction(2) ** int(exp or "0")
    elif "/" in t:
        p, q = t.split("/")
        v = Fraction(int(p), int(q))
    else:
        v = Fraction(t)  # exact decimal (Fraction parses "1.5e-3" exactly)
    return -v if neg else v


def _endpoint_down(text: str) -> float:
    """The largest float64 ≤ the exact endpoint (lower ends)."""
    if text in ("-inf", "inf"):
        return float(text)
    v = parse_exact(text)
    f = float(v)  # round to nearest (correct for Fractions), may overflow only beyond DBL_MAX
    return math.nextafter(f, -math.inf) if Fraction(f) > v else f


def _endpoint_up(text: str) -> float:
    """The smallest float64 ≥ the exact endpoint (upper ends)."""
    if text in ("-inf", "inf"):
        return float(text)
    v = parse_exact(text)
    f = float(v)
    return math.nextafter(f, math.inf) if Fraction(f) < v else f


def _is_enclosure(v: Any) -> bool:
    return isinstance(v, dict) and set(v) == {"lo", "hi", "lo_hex", "hi_hex"}


def _is_one_sided(v: Any) -> bool:
    return isinstance(v, dict) and ("upper" in v or "lower" in v) and ("upper_hex" in v or "lower_hex" in v)


class Enclosure:
    """An array of certified enclosures (a scalar, vector or matrix result).

    ``lo``/``hi``: float64 arrays rounded outward from the exact endpoints, so [lo, hi] ⊇ the
    certified enclosure ⊇ the exact value (equal to it for binary64 certificates).
    ``lo_hex``/``hi_hex``: the exact endpoints as the certificate writes them (object arrays of
    str); ``lo_dec``/``hi_dec``: the outward decimal strings. ``exact_lo()``/``exact_hi()`` give
    Fractions."""

    def __init__(self, items: Any):
        arr = np.empty(_shape_of(items), dtype=object)
        _fill(arr, items)
        self.lo_hex = np.vectorize(lambda e: e["lo_hex"], otypes=[object])(arr) if arr.size else arr.copy()
        self.hi_hex = np.vectorize(lambda e: e["hi_hex"], otypes=[object])(arr) if arr.size else arr.copy()
        self.lo_dec = np.vectorize(lambda e: e["lo"], otypes=[object])(arr) if arr.size else arr.copy()
        self.hi_dec = np.vectorize(lambda e: e["hi"], otypes=[object])(arr) if arr.size else arr.copy()
        self.lo = np.vectorize(_endpoint_down, otypes=[np.float64])(self.lo_hex) if arr.size else np.zeros(arr.shape)
        self.hi = np.vectorize(_endpoint_up, otypes=[np.float64])(self.hi_hex) if arr.size else np.zeros(arr.shape)

    @property
    def shape(self) -> Tuple[int, ...]:
        return self.lo.shape

    def mid(self) -> np.ndarray:
        """Midpoints (approximate: not an enclosure)."""
        return self.lo / 2 + self.hi / 2

    def width(self) -> np.ndarray:
        """hi − lo in float64 (rounded; informational)."""
        return self.hi - self.lo

    def exact_lo(self) -> np.ndarray:
        return np.vectorize(parse_exact, otypes=[object])(self.lo_hex)

    def exact_hi(self) -> np.ndarray:
        return np.vectorize(parse_exact, otypes=[object])(self.hi_hex)

    def contains(self, x: Any) -> np.ndarray:
        """Elementwise: is the float array x inside [lo, hi]? (Compared against the outward
        float64 box; for binary64 certificates that is the certified enclosure itself.)"""
        x = np.asarray(x, dtype=np.float64)
        return (self.lo <= x) & (x <= self.hi)

    def __repr__(self) -> str:
        if self.lo.ndim == 0:
            return f"Enclosure([{self.lo_dec.item()}, {self.hi_dec.item()}])"
        return f"Enclosure(shape={self.shape}, max width={np.max(self.width()) if self.lo.size else 0:.3g})"


def _shape_of(items: Any) -> Tuple[int, ...]:
    if _is_enclosure(items):
        return ()
    if isinstance(items, list):
        if not items:
            return (0,)
        return (len(items),) + _shape_of(items[0])
    raise TypeError("not an enclosure result")


def _fill(arr: np.ndarray, items: Any) -> None:
    for idx in np.ndindex(arr.shape):
        it = items
        for i in idx:
            it = it[i]
        arr[idx] = it


class OneSided:
    """A certified one-sided bound: ``upper`` (or ``lower``) is a float64 rounded outward from the
    exact ``upper_hex`` (``lower_hex``); ``nonnegative`` says the quantity is ≥ 0 by definition."""

    def __init__(self, d: Mapping[str, Any]):
        self.is_upper = "upper" in d
        key = "upper" if self.is_upper else "lower"
        self.hex = d[key + "_hex"]
        self.decimal = d[key]
        self.bound = _endpoint_up(self.hex) if self.is_upper else _endpoint_down(self.hex)
        self.nonnegative = bool(d.get("nonnegative", False))

    def __repr__(self) -> str:
        return f"OneSided({'<=' if self.is_upper else '>='} {self.decimal})"


class Certificate(dict):
    """A certificate: the JSON document of `certiformer run` as a dict (same keys, same text),
    with typed accessors. ``to_json()`` is the text the CLI writes to a file."""

    def verdicts(self) -> Dict[str, Verdict]:
        return {c["id"]: Verdict(c["verdict"]) for c in self["claims"]}

    def status(self) -> Verdict:
        """Worst claim verdict (refuted > unknown > proved); proved when there are no claims."""
        vs = set(self.verdicts().values())
        return Verdict.refuted if Verdict.refuted in vs else Verdict.unknown if Verdict.unknown in vs else Verdict.proved

    def enclosure(self, name: str) -> Union[Enclosure, Dict[str, Enclosure]]:
        """The result `name` as an Enclosure (scalar/vector/matrix), or a dict key → Enclosure
        for results keyed by text (e.g. euler.error's error_by_depth)."""
        v = self["results"][name]
        if _is_enclosure(v) or isinstance(v, list):
            return Enclosure(v)
        if isinstance(v, dict) and v and all(_is_enclosure(x) for x in v.values()):
            return {k: Enclosure(x) for k, x in v.items()}
        raise TypeError(f"result {name!r} is not an enclosure (it is {type(v).__name__}: {str(v)[:60]})")

    def bound(self, name: str) -> Union[OneSided, Dict[str, OneSided]]:
        """A one-sided result ({"upper": …} / {"lower": …}) or a dict key → OneSided."""
        v = self["results"][name]
        if _is_one_sided(v):
            return OneSided(v)
        if isinstance(v, dict) and v and all(_is_one_sided(x) for x in v.values()):
            return {k: OneSided(x) for k, x in v.items()}
        raise TypeError(f"result {name!r} is not a one-sided bound")

    def to_json(self) -> str:
        """The certificate file's text, byte for byte as `certiformer run --out` writes it."""
        return json.dumps(self, indent=2, ensure_ascii=False) + "\n"

    def write(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json())


class CheckReport(dict):
    """`certiformer check`'s report as a dict: kind, certificate_precision, check_precision,
    precisions (every precision re-derived at; several when an enclosure that only overlapped the
    certificate's made check escalate, docs/certificates.md), escalation (why it stopped),
    outcome, exit_code (0 reproduced, 1 failed, 2 inconclusive), wall_s, lines."""

    def outcome(self) -> CheckOutcome:
        return CheckOutcome(self["outcome"])

    def lines_by(self, outcome: CheckOutcome) -> List[dict]:
        return [l for l in self["lines"] if l["outcome"] == outcome.value]


# ---- configs to JSON text ----------------------------------------------------------------------

def _plain(obj: Any) -> Any:
    """Python/numpy values → JSON-able values (numbers keep the text json.dumps gives them;
    Fractions become "p/q"; non-finite floats become the strings "nan"/"inf" so the config
    parser reports them at their JSON path)."""
    if isinstance(obj, Mapping):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"config keys must be strings, got {k!r}")
            out[k] = _plain(v)
        return out
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _plain(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else ("nan" if f != f else ("inf" if f > 0 else "-inf"))
    if isinstance(obj, Fraction):
        return exact(obj)
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"config values must be JSON-like (dict, list, str, number, bool), got {type(obj).__name__}")


def _config_text(config: Union[Mapping[str, Any], str]) -> str:
    if isinstance(config, str):
        return config
    return json.dumps(_plain(config), ensure_ascii=False)


def run(config: Union[Mapping[str, Any], str], precision: Optional[int] = None, *,
        time_limit: Optional[float] = None, max_steps: Optional[int] = None) -> Certificate:
    """Certifies one config; returns its certificate — the document `certiformer run --out`
    writes (the same library call), as a Certificate (a dict).

    config: a dict as in a config file, or JSON text. precision: bits (53 = binary64 intervals,
    > 53 = MPFI), overriding the config's "precision" like `run --precision`; None: the
    config's (default 53). time_limit (s) / max_steps: the work budget (docs/cli.md), as
    `--time-limit` / `--max-steps` (0: none).
    Raises ConfigError (bad config: nothing computed), EnclosureFailure (no enclosure: nothing
    claimed), ValueError (precision outside [53, 65536])."""
    text = _core.run(_config_text(config), precision, time_limit, max_steps)
    return Certificate(json.loads(text))


def check(cert: Union[Mapping[str, Any], str], precision: Optional[int] = None, *,
          time_limit: Optional[float] = None, max_steps: Optional[int] = None) -> CheckReport:
    """Re-derives a certificate (dict or JSON text) at `precision` bits (default
    max(2 × its precision, 113)), as `certiformer check`. Raises ConfigError for a malformed one."""
    text = cert if isinstance(cert, str) else json.dumps(cert, ensure_ascii=False)
    return CheckReport(_core.check(text, precision, time_limit, max_steps))


def kinds() -> Dict[str, str]:
    """The config kinds: name → one-line description (`certiformer list`)."""
    return dict(_core.kinds())


def build_info() -> Dict[str, str]:
    """version, git, compiler, flags of the library build (the certificate's "certiformer")."""
    return dict(_core.build_info())
