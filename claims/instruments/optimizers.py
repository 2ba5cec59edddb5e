"""Update steps of real torch optimizers on one linear layer y = W a with hand-set activations.

The layer's inputs a are the activations of the neurons the weights leave, so the columns of
ΔW are the per-neuron updates that S03 calls plasticity. Gradients go through
``claims.instruments.layers.linear``, so a planted layer reaches these measurements too.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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

        Raises ValueError for a column whose update is exactly zero: its relative error is
        undefined (it would be ``inf`` and make any tolerance check of a silent neuron pass
        vacuously); compare such a column exactly instead.
        """
        after = self.before + self.update
        entry_error = 2 * UNIT_ROUNDOFF * (after.abs() + self.update.abs())
        norms = column_norms(self.update)
        silent = torch.nonzero(norms == 0).flatten().tolist()
        if silent:
            raise ValueError(
                f"column(s) {silent} did not move (update exactly 0): a relative tolerance is "
                "undefined there; check them for exact equality instead"
            )
        rows = self.update.shape[0]
        return column_norms(entry_error) / norms + (rows + 2) * UNIT_ROUNDOFF


UNIT_ROUNDOFF = 2.0**-53


def column_updates(
    optimizer: str,
    activations: Sequence[torch.Tensor | None],
    *,
    outputs: int,
    seed: int,
    options: Mapping[str, Any] | None = None,
    groups: Sequence[tuple[Sequence[int], Mapping[str, Any]]] | None = None,
) -> list[Step]:
    """Run one optimizer step per activation vector and return each step.

    W (outputs x n, float64) and one regression target per step are drawn from ``seed``.
    ``activations``: each a (n,) vector; ``None`` takes a step with no backward pass, so every
    gradient stays ``None`` -- not zero: torch optimizers skip a parameter whose ``.grad`` is
    None entirely (no moment update, no AdamW decay), while a zero gradient still decays and
    updates moments (torch.optim docs, "Optimizer.zero_grad", set_to_none). Gradients are reset
    with ``zero_grad(set_to_none=True)`` before each step.
    ``options``: keyword arguments replacing OPTIMIZERS' defaults (e.g. ``{"lr": 1e-3,
    "weight_decay": 0.1}``) for the torch optimizer of that name.
    ``groups``: parameter groups over W's columns, ``[(columns, options), ...]``; each group's
    columns become their own leaf (W is reassembled for the forward pass), so per-group learning
    rates and decay apply to exactly those neurons. Every column must be in exactly one group.
    Raises ValueError for an unknown optimizer, mismatched widths or a bad grouping.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; known: {', '.join(OPTIMIZERS)}")
    sized = [a for a in activations if a is not None]
    if not sized:
        raise ValueError("no activation vector: at least one step must have one")
    width = len(sized[0])
    if any(len(a) != width for a in sized):
        raise ValueError(f"activation vectors differ in length (first has {width})")
    gen = nets.generator(seed)
    weight = torch.randn(outputs, width, generator=gen, dtype=torch.float64)
    blocks = _column_groups(width, groups)
    leaves = [nets.leaf(weight[:, columns], torch.float64) for columns, _ in blocks]
    param_groups = [
        {"params": [leaf], **dict(group_options)}
        for leaf, (_, group_options) in zip(leaves, blocks, strict=True)
    ]
    step = _build(optimizer, param_groups, options or {})

    def assembled() -> torch.Tensor:
        full = torch.empty(outputs, width, dtype=torch.float64)
        for leaf, (columns, _) in zip(leaves, blocks, strict=True):
            full[:, columns] = leaf
        return full

    steps = []
    for inputs in activations:
        target = torch.randn(outputs, generator=gen, dtype=torch.float64)
        before = assembled().detach().clone()
        step.zero_grad(set_to_none=True)
        if inputs is not None:
            nets.squared_error(linear(inputs.to(torch.float64), assembled()), target).backward()
        step.step()
        steps.append(Step(before, assembled().detach() - before))
    return steps


def _column_groups(
    width: int, groups: Sequence[tuple[Sequence[int], Mapping[str, Any]]] | None
) -> list[tuple[list[int], Mapping[str, Any]]]:
    if groups is None:
        return [(list(range(width)), {})]
    blocks = [([int(c) for c in columns], options) for columns, options in groups]
    seen = sorted(c for columns, _ in blocks for c in columns)
    if seen != list(range(width)):
        raise ValueError(f"groups must cover columns 0..{width - 1} exactly once each, got {seen}")
    return blocks


def _build(
    optimizer: str, param_groups: list[dict[str, Any]], options: Mapping[str, Any]
) -> torch.optim.Optimizer:
    """OPTIMIZERS[optimizer] with ``options`` replacing its defaults, over ``param_groups``."""
    probe = OPTIMIZERS[optimizer]([torch.zeros(1, requires_grad=True)])
    defaults = {**_constructor_arguments(probe), **dict(options)}
    return type(probe)(param_groups, **defaults)


def _constructor_arguments(optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    """The hyperparameters OPTIMIZERS chose, as constructor keywords (torch's own defaults
    for the rest)."""
    names = inspect.signature(type(optimizer)).parameters
    return {k: v for k, v in optimizer.defaults.items() if k in names}


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
