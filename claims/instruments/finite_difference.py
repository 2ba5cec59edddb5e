"""Autograd against central finite differences, by ``torch.autograd.gradcheck``.

A reviewer checking a claim about gradients wants to know that the gradient autograd computes
is the derivative of the function, not just a convention. ``gradcheck`` (torch docs,
"torch.autograd.gradcheck") compares every entry of the analytical Jacobian with a central
difference (f(x + eps) - f(x - eps)) / 2 eps in float64; this wrapper returns its decision and
its own description of the first mismatch instead of raising, so a test can record it.

Where the two must disagree: at a kink. ReLU at exactly 0 has no derivative; autograd uses the
convention ReLU'(0) = 0 while the central difference gives 1/2. A disagreement there is a fact
about conventions, not a bug -- which is why S09/S10's statements are about z < 0, not z <= 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch.autograd.gradcheck import GradcheckError


@dataclass(frozen=True)
class GradientCheck:
    # Whether every Jacobian entry agreed within atol + rtol * |numerical|.
    agrees: bool
    # gradcheck's description of the first mismatch (both Jacobians), or "" when they agree.
    mismatch: str


def check_gradient(
    function: Callable[..., torch.Tensor],
    *inputs: torch.Tensor,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> GradientCheck:
    """Compare autograd's Jacobian of ``function`` at ``inputs`` with central differences.

    ``inputs``: float64 tensors with ``requires_grad=True`` (any shapes); ``function`` returns a
    tensor or tuple of tensors. Tolerances are gradcheck's (its defaults). Raises ValueError for
    an input that is not float64 or does not require grad: in float32 the central difference's
    rounding error (~1e-7 / eps) swamps the comparison and the answer means nothing.
    """
    for position, value in enumerate(inputs):
        if value.dtype != torch.float64 or not value.requires_grad:
            raise ValueError(
                f"input {position}: need a float64 tensor with requires_grad=True, got "
                f"{value.dtype} (requires_grad={value.requires_grad})"
            )
    try:
        torch.autograd.gradcheck(function, inputs, eps=eps, atol=atol, rtol=rtol)
    except GradcheckError as error:
        return GradientCheck(agrees=False, mismatch=str(error))
    return GradientCheck(agrees=True, mismatch="")
