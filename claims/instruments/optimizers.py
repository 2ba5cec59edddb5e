"""Update steps of real torch optimizers on one linear layer y = W a with hand-set activations.

The layer's inputs a are the activations of the neurons the weights leave, so the columns of
ΔW are the per-neuron updates that S03 calls plasticity. Gradients go through
``claims.instruments.layers.linear``, so a planted layer reaches these measurements too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from claims.instruments import nets
from claims.instruments.layers import linear

# torch defaults except the SGD learning rate, which has no default worth copying.
OPTIMIZERS: dict[str, Callable[[list[torch.Tensor]], torch.optim.Optimizer]] = {
    "sgd": lambda params: torch.optim.SGD(params, lr=0.1),
    "sgd-momentum": lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9),
    "adam": lambda params: torch.optim.Adam(params),
    "adamw": lambda params: torch.optim.AdamW(params),
}


def adamw_hyperparameters() -> tuple[float, float]:
    """(lr, weight_decay) of OPTIMIZERS["adamw"], read from the optimizer it builds."""
    probe = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    defaults = OPTIMIZERS["adamw"]([probe]).defaults
    return float(defaults["lr"]), float(defaults["weight_decay"])


def decoupled_decay(
    value: torch.Tensor, steps: int, *, lr: float, weight_decay: float
) -> torch.Tensor:
    """θ ← θ·(1 − lr·λ), ``steps`` times: AdamW on a parameter whose gradient is exactly zero.

    torch.optim.AdamW (torch/optim/adam.py, _single_tensor_adam, the CPU path; the foreach path
    does the same with _foreach_mul_) first multiplies the parameter in place by the Python
    float 1 - lr * weight_decay (Loshchilov & Hutter, arXiv:1711.05101, Algorithm 2, line 12),
    then adds -step_size · m̂ / (√v̂ + eps). With every gradient exactly zero the moments m and v
    stay exactly 0, so the update adds -0.0 and leaves θ unchanged: the decay is all that
    happens, once per step (not (1 − lr·λ)^T in one multiplication, which rounds differently).
    """
    factor = 1 - lr * weight_decay
    for _ in range(steps):
        value = value * factor
    return value


@dataclass
class Step:
    # The weight before the step.
    before: torch.Tensor
    # ΔW = W_after - W_before, as measured in float64.
    update: torch.Tensor

    def column_tolerance(self) -> torch.Tensor:
        """Relative rounding error bound of each column norm of the measured ΔW.

        The step rounds W - lr·u once (error ≤ 2^-53 |W_after| per entry) and the difference
        W_after - W_before is exact (Sterbenz) or adds one more rounding; the norm adds (m + 2)
        roundings. Columns of a large weight with a tiny update are measured less precisely.
        """
        after = self.before + self.update
        entry_error = 2 * UNIT_ROUNDOFF * (after.abs() + self.update.abs())
        norms = column_norms(self.update)
        rows = self.update.shape[0]
        return column_norms(entry_error) / norms + (rows + 2) * UNIT_ROUNDOFF


UNIT_ROUNDOFF = 2.0**-53


def column_updates(
    optimizer: str, activations: Sequence[torch.Tensor], *, outputs: int, seed: int
) -> list[Step]:
    """Run one optimizer step per activation vector and return each step.

    W (outputs x n) and one regression target per step are drawn from ``seed``.
    """
    gen = nets.generator(seed)
    width = len(activations[0])
    weight = nets.leaf(
        torch.randn(outputs, width, generator=gen, dtype=torch.float64), torch.float64
    )
    step = OPTIMIZERS[optimizer]([weight])
    steps = []
    for inputs in activations:
        target = torch.randn(outputs, generator=gen, dtype=torch.float64)
        before = weight.detach().clone()
        step.zero_grad()
        nets.squared_error(linear(inputs.to(torch.float64), weight), target).backward()
        step.step()
        steps.append(Step(before, weight.detach() - before))
    return steps


def column_norms(update: torch.Tensor) -> torch.Tensor:
    return torch.linalg.vector_norm(update, dim=0)


def canonical_update_ratio(optimizer: str, *, step: int = 1) -> float:
    """||ΔW[:, a=10]|| / ||ΔW[:, a=0.1]|| at step ``step``: 100 if updates scale with activation.

    Steps before ``step`` see activations (1, 1) and their own targets, so an optimizer's state
    (momentum, Adam's moments) has history when the measured step comes.
    """
    if step < 1:
        raise ValueError(f"step must be >= 1, got {step}")
    levels = [[1.0, 1.0]] * (step - 1) + [[10.0, 0.1]]
    activations = [torch.tensor(level, dtype=torch.float64) for level in levels]
    last = column_updates(optimizer, activations, outputs=4, seed=0)[-1]
    high, low = column_norms(last.update).tolist()
    return high / low
