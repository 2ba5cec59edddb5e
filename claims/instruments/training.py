"""A small multi-step trainer for the MLPs of ``claims.instruments.nets``, with every step kept.

What a reviewer needs to check a statement about training rather than about one gradient:
several steps of any torch optimizer on a fixed batch, the exact gradient of each step (cloned
before the optimizer reads it), the parameters before and after, and a hook to look inside
between steps. Gradients are reset with ``zero_grad(set_to_none=True)``, so a parameter the loss
does not reach keeps ``None`` rather than a zero tensor: torch optimizers skip such a parameter
entirely (no moment update, no weight decay), which is a different statement from "its gradient
was zero" (torch.optim docs, "Optimizer.zero_grad"). docs/layout.md, "Layout", lists this module among
the instruments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from claims.instruments import nets
from claims.instruments.activations import Activation

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class TrainingStep:
    # 0-based index of the step.
    index: int
    # The loss on the batch before the step (a Python float, in the loss's units).
    loss: float
    # Per parameter of ``mlp.parameters`` (weights and biases interleaved, layer by layer): its
    # value before the step.
    before: tuple[torch.Tensor, ...]
    # Its value after the step.
    after: tuple[torch.Tensor, ...]
    # Its gradient as the optimizer saw it (a clone), or None where autograd left none.
    gradients: tuple[torch.Tensor | None, ...]
    # The forward pass of this step, with preactivations and their .grad (error signals).
    forward: nets.Forward

    @property
    def updates(self) -> tuple[torch.Tensor, ...]:
        """after - before, per parameter."""
        return tuple(a - b for a, b in zip(self.after, self.before, strict=True))


def train(
    mlp: nets.MLP,
    inputs: torch.Tensor,
    target: torch.Tensor,
    activation: Activation,
    optimizer: Callable[[list[torch.Tensor]], torch.optim.Optimizer],
    *,
    steps: int,
    loss: Loss = nets.squared_error,
    on_step: Callable[[TrainingStep], None] | None = None,
) -> list[TrainingStep]:
    """Take ``steps`` optimizer steps on one batch and return every step, in order.

    ``inputs``: (..., input_width); ``target``: the output's shape (..., output_width).
    ``optimizer``: builds a torch optimizer from the parameter list, e.g.
    ``claims.instruments.optimizers.OPTIMIZERS["adam"]`` or ``lambda p: torch.optim.SGD(p, lr=0.01)``.
    ``loss(output, target)`` gives a scalar (default: ½ Σ squared error, summed over the batch).
    ``on_step`` is called after each step with its TrainingStep (e.g. to run an inspection pass
    under ``torch.no_grad()``). The parameters of ``mlp`` are trained in place.
    Raises ValueError for ``steps < 1`` or a loss that is not a scalar.
    """
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    parameters = mlp.parameters
    step = optimizer(parameters)
    record = []
    for index in range(steps):
        step.zero_grad(set_to_none=True)
        forward = nets.forward(mlp, inputs, activation)
        value = loss(forward.output, target)
        if value.dim() != 0:
            raise ValueError(f"the loss must be a scalar, got shape {tuple(value.shape)}")
        value.backward()
        before = tuple(p.detach().clone() for p in parameters)
        gradients = tuple(None if p.grad is None else p.grad.detach().clone() for p in parameters)
        step.step()
        taken = TrainingStep(
            index=index,
            loss=float(value.detach()),
            before=before,
            after=tuple(p.detach().clone() for p in parameters),
            gradients=gradients,
            forward=forward,
        )
        record.append(taken)
        if on_step is not None:
            on_step(taken)
    return record


def parameter_names(mlp: nets.MLP) -> Sequence[str]:
    """Names of ``mlp.parameters`` in order: "W0", "b0", "W1", ... (biases only if present)."""
    names = []
    for layer, bias in enumerate(mlp.biases):
        names.append(f"W{layer}")
        if bias is not None:
            names.append(f"b{layer}")
    return names
