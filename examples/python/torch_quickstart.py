"""Certify a PyTorch residual attention stack (docs/python.md, quick start).

    PYTHONPATH=build/lib/python /usr/bin/python3 examples/python/torch_quickstart.py [CONFIG_OUT.json]

Builds a 4-layer residual stack from torch's own nn.MultiheadAttention and nn.Linear (torch's
initialisation, seed 0), converts it exactly, and certifies (1) the tokens after the 4 layers
(transformer.network) and (2) the Euler error of the network against its continuous flow
(euler.error). With an argument, writes the transformer.network config there
(examples/configs/transformer_network_torch.json was written this way)."""
import json
import re
import sys

import torch
import certiformer
import certiformer.torch as ct

torch.manual_seed(0)
d, heads, n, layers = 4, 2, 6, 4
block = ct.Residual(torch.nn.MultiheadAttention(d, heads, dtype=torch.float64),
                    torch.nn.Linear(d, d, dtype=torch.float64), step=0.25).eval()
stack = torch.nn.Sequential(*[block] * layers)          # 4 layers sharing their weights
x = torch.randn(n, d, dtype=torch.float64)

cert = certiformer.run(ct.network_config(stack, x))       # X^4 of the exact real network
with torch.no_grad():
    y = stack(x)                                        # torch's float64 forward
enc = cert.enclosure("tokens_at_depth")
print("torch output inside the certified enclosure:", bool(enc.contains(y.numpy()).all()),
      "| max width", float(enc.width().max()))

euler = certiformer.run({"kind": "euler.error", "model": ct.model_config(stack), "tokens": ct.tokens(x),
                         "horizon": layers * 0.25, "depths": [4, 8, 16], "wrapping": "box"})
print("err_L / eps at L = 4, 8, 16:", [str(e) for e in euler.enclosure("order_ratio_by_depth").values()])
print("Euler error claims:", {k: v.value for k, v in euler.verdicts().items()})

if len(sys.argv) > 1:
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        text = json.dumps(ct.network_config(stack, x), indent=1)
        # one matrix row per line
        f.write(re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text) + "\n")
