"""Activation functions, each as a torch function and as a SymPy expression.

One registry, OpInfo-style: a test names an activation (``ACTIVATIONS["relu"]``) and looks it up
at call time, so a framework test can plant a different function under the same name (a leaky
ReLU in place of ReLU) and watch the claim tests that rely on it fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy
import torch
from torch.nn import functional


@dataclass(frozen=True)
class Activation:
    # Registry key, kebab-case.
    name: str
    # Elementwise torch function, differentiable by autograd.
    torch_fn: Callable[[torch.Tensor], torch.Tensor]
    # The same function as a SymPy expression in one real variable.
    sympy_fn: Callable[[sympy.Expr], sympy.Expr]


def _leaky(slope: float) -> Activation:
    return Activation(
        name=f"leaky-relu-{slope}",
        torch_fn=lambda z: functional.leaky_relu(z, negative_slope=slope),
        sympy_fn=lambda z: sympy.Max(sympy.nsimplify(slope) * z, z),
    )


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", functional.relu, lambda z: sympy.Max(0, z)),
    # The planted bug of the framework tests: the same shape, a 1 % slope below zero.
    "leaky-relu-0.01": _leaky(0.01),
}
