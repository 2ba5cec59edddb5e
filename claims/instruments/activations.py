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


def _standard_normal_cdf(z: sympy.Expr) -> sympy.Expr:
    return (1 + sympy.erf(z / sympy.sqrt(2))) / 2


# tanh approximation of GELU (Hendrycks & Gimpel, arXiv:1606.08415, eq. after (1)); torch's
# gelu(approximate="tanh") uses the same constants.
_GELU_TANH_CUBIC = sympy.Rational(44715, 1000000)

ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", functional.relu, lambda z: sympy.Max(0, z)),
    # GELU(z) = z * Phi(z), Phi the standard normal CDF (arXiv:1606.08415).
    "gelu": Activation("gelu", functional.gelu, lambda z: z * _standard_normal_cdf(z)),
    "gelu-tanh": Activation(
        "gelu-tanh",
        lambda z: functional.gelu(z, approximate="tanh"),
        lambda z: (
            z / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi) * (z + _GELU_TANH_CUBIC * z**3)))
        ),
    ),
    # SiLU / swish: z * sigmoid(z) (Elfwing et al., arXiv:1702.03118).
    "silu": Activation("silu", functional.silu, lambda z: z / (1 + sympy.exp(-z))),
    "tanh": Activation("tanh", torch.tanh, sympy.tanh),
    # No clipping at all: the baseline that shows a measure can see what clipping removes
    # (differential-reinforcement, own-behaviour-rises-without-clipping).
    "identity": Activation("identity", lambda z: z, lambda z: z),
    # The planted bug of the framework tests: ReLU's shape with a 1 % slope below zero.
    "leaky-relu-0.01": _leaky(0.01),
}
