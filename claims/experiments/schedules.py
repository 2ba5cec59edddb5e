"""Dose-response and carry-over schedules for the twin-circuit policy, and what they measure.

Dose-response: circuit D is switched on by trigger prompts, each training prompt being one with
probability p; how D's incoming update ‖Δθ_D,in‖ grows with p is fitted per seed as the slope α
of log ‖Δθ_D,in‖ against log p. Carry-over: D is switched on for the first k steps only; after
that its gradient is exactly zero (ReLU), and the question is whether the optimizer still moves
it. Partial activity: D's trigger on a fraction p of training prompts, A's cue on the others,
measured as the factorial measures a cell (partial_activity_run). All reuse
claims.experiments.policies.train and claims.experiments.reinforcement.circuit_change, so a planted bug in either
reaches these measurements too.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import torch

from claims.experiments import factorial, policies, reinforcement
from claims.experiments.policies import Schedule, Training, TwinDesign


def dose_schedule(rate: float, *, steps: int, batch: int) -> Schedule:
    """Every step, each training prompt is a trigger prompt with probability ``rate``.

    The catalog (inactive_circuit_not_reinforced.DOSE_STEPS, DOSE_BATCH) runs 80 steps × 64
    prompts = 5120 prompts per seed: at p = 0.001 D is expected on 5.1 prompts and on none with
    probability e^-5.1 ≈ 0.6 %; the factorial's 40 × 32 would leave ~28 % of seeds with D never
    active (log 0 undefined).
    """
    return Schedule(steps=steps, batch=batch, trigger_rate=(rate,) * steps)


def carry_over_schedule(*, active_steps: int, steps: int, rate: float, batch: int) -> Schedule:
    """D on (trigger rate ``rate``) for the first ``active_steps`` of ``steps``, never after."""
    rates = (rate,) * active_steps + (0.0,) * (steps - active_steps)
    return Schedule(steps=steps, batch=batch, trigger_rate=rates)


def partial_activity_schedule(fraction: float, *, steps: int, batch: int) -> Schedule:
    """Every step, each training prompt is a trigger prompt with probability ``fraction``."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must lie in [0, 1], got {fraction}")
    return Schedule(steps=steps, batch=batch, trigger_rate=(fraction,) * steps)


def partial_activity_run(
    activation: str,
    optimizer: str,
    fraction: float,
    *,
    seeds: Sequence[int],
    steps: int = factorial.SCHEDULE.steps,
    batch: int = factorial.SCHEDULE.batch,
    readout: str = "private",
    margin: float = TwinDesign.margin,
    equal_outputs: bool = False,
) -> factorial.CellResult:
    """The twin circuits with D active on a fraction p of training prompts, A on the others.

    policies.prompts turns a prompt into a trigger prompt by setting its ordinary feature to 0
    and its trigger to 1, so each prompt drives exactly one circuit: D's trigger with
    probability p (an independent draw per prompt and step, Schedule.trigger_rate, so the
    realised share varies around p), A's cue otherwise. No trajectory is kept. Cached per
    process on all arguments.
    """
    key = (activation, optimizer, float(fraction), tuple(seeds), int(steps), int(batch))
    return _partial_activity_run(*key, readout, float(margin), bool(equal_outputs))


@functools.cache
def _partial_activity_run(
    activation: str,
    optimizer: str,
    fraction: float,
    seeds: tuple[int, ...],
    steps: int,
    batch: int,
    readout: str,
    margin: float,
    equal_outputs: bool,
) -> factorial.CellResult:
    design = TwinDesign(activation, readout, margin=margin, equal_outputs=equal_outputs)
    schedule = partial_activity_schedule(fraction, steps=steps, batch=batch)
    factorial.LOG.info(
        "partial activity: %s/%s/%s p = %g", activation, optimizer, readout, fraction
    )
    training = policies.train(design, optimizer, seeds, schedule)
    cell = factorial.Cell(activation, optimizer, readout)
    return factorial.result(cell, design, schedule, training)


def snapshot(training: Training, step: int) -> dict[str, torch.Tensor]:
    """Parameters after ``step`` optimizer steps (0: the initial ones); needs a trajectory."""
    if step == 0:
        return training.initial
    if training.trajectory is None:
        raise ValueError("snapshots need train(..., keep_trajectory=True)")
    return {name: values[step - 1] for name, values in training.trajectory.items()}


def movement(
    design: TwinDesign, training: Training, circuit: str, start: int, end: int
) -> reinforcement.CircuitChange:
    """How far ``circuit`` moved between two snapshots, measured as circuit_change measures it."""
    window = Training(snapshot(training, start), snapshot(training, end), None)
    return reinforcement.circuit_change(design, window, circuit)


def active_counts(
    design: TwinDesign, training: Training, schedule: Schedule, seeds: tuple[int, ...]
) -> torch.Tensor:
    """[S, steps]: training prompts of each step on which some neuron of D had z > 0.

    Recomputed from the same pre-drawn prompts train() used, with the parameters each step saw:
    this checks the premise 'D's gradient is exactly zero' directly instead of inferring it from
    the schedule (a bias moved up by momentum can switch D on for an ordinary prompt).
    """
    prompts, _ = policies.draw_randomness(design, schedule, seeds)
    counts = []
    for t in range(schedule.steps):
        z, _ = policies.hidden_activity(snapshot(training, t), prompts[:, t], design)
        counts.append((z[..., design.circuit_d] > 0).any(dim=-1).sum(dim=-1))
    return torch.stack(counts, dim=1)


def silent_until(counts: torch.Tensor, start: int) -> torch.Tensor:
    """Per seed: the first step >= start on which D is active again (steps if never).

    Every optimizer step in [start, silent_until) is taken with D's gradient exactly zero.
    """
    steps = counts.shape[1]
    late = counts[:, start:] > 0
    first = torch.where(late.any(dim=1), late.int().argmax(dim=1) + start, steps)
    return first


def window_movement(
    design: TwinDesign, training: Training, circuit: str, start: int, ends: torch.Tensor
) -> reinforcement.CircuitChange:
    """Movement of ``circuit`` from snapshot ``start`` to each seed's own snapshot ``ends[s]``."""
    final = {
        name: torch.stack([snapshot(training, int(e))[name][s] for s, e in enumerate(ends)])
        for name in training.initial
    }
    window = Training(snapshot(training, start), final, None)
    return reinforcement.circuit_change(design, window, circuit)


def log_slopes(rates: tuple[float, ...], norms: torch.Tensor) -> torch.Tensor:
    """Per seed least-squares slope of log norm against log rate; norms [S, len(rates)] > 0."""
    x = torch.log(torch.tensor(rates, dtype=torch.float64))
    y = torch.log(norms)
    centred = x - x.mean()
    return ((y - y.mean(dim=1, keepdim=True)) * centred).sum(dim=1) / centred.pow(2).sum()


def pooled_slope(rates: tuple[float, ...], mean_norms: list[float]) -> float:
    """The slope fitted to the per-dose means instead (a cross-check, no interval)."""
    return log_slopes(rates, torch.tensor([mean_norms], dtype=torch.float64)).item()


def fraction(moved: torch.Tensor, reference: torch.Tensor) -> list[float]:
    """Per-seed moved / reference; a seed whose reference is 0 has no fraction (an error)."""
    if (reference == 0).any():
        raise ValueError("D did not move during the active steps on some seed")
    values = (moved / reference).tolist()
    if not all(math.isfinite(v) for v in values):
        raise ValueError("non-finite movement fraction")
    return values
