"""Gated linear units, the MLP of most current LLMs: h = gate(W_g x) ⊙ (W_u x), y = W_o h.

ReGLU, GeGLU and SwiGLU differ only in the gate's activation (Shazeer, arXiv:2002.05202);
SwiGLU is Llama's MLP, GeGLU Gemma's. The gate activation is looked up in ACTIVATIONS by name at
call time, so planted activations reach these networks too.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from claims.instruments import nets
from claims.instruments.activations import ACTIVATIONS
from claims.instruments.layers import linear

# Gated unit -> the registry name of its gate activation.
GATES = {"reglu": "relu", "geglu": "gelu", "swiglu": "silu"}


@dataclass(frozen=True)
class GatedSpec:
    # Width of the input x (and of the output y).
    width: int
    # Number of gated neurons.
    hidden: int
    # Seeds weights, input and target.
    seed: int


@dataclass
class GatedPass:
    gate_weight: torch.Tensor
    up_weight: torch.Tensor
    # Gate preactivations g = W_g x (one example).
    gate_preactivation: torch.Tensor


def gated_backward(spec: GatedSpec, unit: str) -> GatedPass:
    """One example through a gated MLP layer, squared-error loss, backward."""
    gen = nets.generator(spec.seed)

    def weight(rows: int, cols: int) -> torch.Tensor:
        return nets.leaf(
            torch.randn(rows, cols, generator=gen, dtype=torch.float64) / cols**0.5, torch.float64
        )

    gate_weight, up_weight = weight(spec.hidden, spec.width), weight(spec.hidden, spec.width)
    out_weight = weight(spec.width, spec.hidden)
    inputs = torch.randn(spec.width, generator=gen, dtype=torch.float64)
    target = torch.randn(spec.width, generator=gen, dtype=torch.float64)
    gate = linear(inputs, gate_weight)
    hidden = ACTIVATIONS[GATES[unit]].torch_fn(gate) * linear(inputs, up_weight)
    nets.squared_error(linear(hidden, out_weight), target).backward()
    return GatedPass(gate_weight, up_weight, gate.detach())
