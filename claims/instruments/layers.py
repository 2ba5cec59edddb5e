"""The linear map y = W a (+ b), as torch computes it and as SymPy writes it.

Every network in the suite calls ``linear`` rather than ``@`` directly, and SymPy proofs build
the layer with ``LINEAR_MAPS["linear"].sympy_fn``: a framework test can then plant a wrong layer
(say, one whose backward uses a_j^2) under the same name and watch the claim tests catch it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy
import torch


@dataclass(frozen=True)
class LinearMap:
    # Registry key.
    name: str
    # (inputs [..., n], weight [m, n], bias [m] or None) -> outputs [..., m]
    torch_fn: Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None], torch.Tensor]
    # (W: m x n matrix, a: n x 1 column) -> m x 1 column, for MatrixSymbol or explicit Matrix.
    sympy_fn: Callable[[sympy.MatrixBase, sympy.MatrixBase], sympy.MatrixBase]


def _affine(inputs: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    outputs = inputs @ weight.T
    return outputs if bias is None else outputs + bias


LINEAR_MAPS: dict[str, LinearMap] = {
    "linear": LinearMap("linear", _affine, lambda weight, inputs: weight * inputs),
}


def linear(
    inputs: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None
) -> torch.Tensor:
    """The suite's linear layer; looked up at call time so a planted variant takes effect."""
    return LINEAR_MAPS["linear"].torch_fn(inputs, weight, bias)
