"""The twin-circuit factorial: activation × optimizer × readout, 64 seeds per cell, run once.

Each cell trains all its seeds in one batched computation (claims.experiments.policies.train) and is cached
for the session, so every proposition that reads the matrix sees the same runs. run's seeds,
steps, batch, margin and equal_outputs are arguments (the defaults are the committed design), so
a catalog can pass its own; margin_sweep_run is one cell at another margin, or with per-neuron
margins drawn from all-MiniLM-L6-v2. A CellResult also answers two exact questions: which of A's
neurons never moved (unchanged_active_neurons), and whether AdamW moved D by its decoupled decay
alone (decay_replay_equal).
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import torch

from claims.experiments import reinforcement
from claims.experiments.policies import Schedule, Training, TwinDesign, train

ACTIVATIONS = ("relu", "reglu", "gelu", "gelu-tanh", "silu", "swiglu")
OPTIMIZERS = ("sgd", "sgd-momentum", "adam", "adamw")
READOUTS = ("private", "shared")
# Seeds per cell; the power argument is in the catalog
# (claims/catalog/inactive_circuit_not_reinforced.py).
SEEDS = tuple(range(64))
SCHEDULE = Schedule(steps=40, batch=32)


@dataclass(frozen=True)
class Cell:
    activation: str
    optimizer: str
    readout: str

    @property
    def label(self) -> str:
        return f"{self.activation}/{self.optimizer}/{self.readout}"


# Progress goes through logging, so pytest shows it with --log-cli-level=INFO (and in a failing
# test's captured log) instead of raw prints that garble under xdist.
LOG = logging.getLogger("claims.progress")

CELLS = tuple(
    Cell(*combination) for combination in itertools.product(ACTIVATIONS, OPTIMIZERS, READOUTS)
)


@dataclass(frozen=True)
class CellResult:
    cell: Cell
    active: reinforcement.CircuitChange
    inactive: reinforcement.CircuitChange
    # The run's parameters (per-step snapshots only where the run kept a trajectory).
    training: Training
    # The design and schedule trained; None only in results built by hand.
    design: TwinDesign | None = None
    schedule: Schedule | None = None

    def ratio(self, measure: str) -> torch.Tensor:
        """Per-seed inactive/active ratio of 'incoming', 'outgoing' or 'behaviour'."""
        return reinforcement.ratio(getattr(self.inactive, measure), getattr(self.active, measure))

    def unchanged_active_neurons(self) -> torch.Tensor:
        """Per seed [S]: A's neurons whose incoming parameters are exactly unchanged."""
        return reinforcement.unchanged_neurons(self._design(), self.training, "A")

    def decay_replay_equal(self) -> torch.Tensor:
        """Per seed, bool [S]: D's final parameters equal, bit for bit, its initial ones after
        ``steps`` of AdamW's decoupled decay alone (reinforcement.decay_replay): the test that
        AdamW moved D by its decay and nothing else. Meaningful for optimizer "adamw"."""
        design = self._design()
        if self.schedule is None:
            raise ValueError(f"{self.cell.label}: the result does not say how many steps ran")
        replayed = reinforcement.decay_replay(design, self.training, self.schedule.steps)
        final = reinforcement.circuit_parameters(design, self.training.final, "D")
        equal = torch.ones(final["bias"].shape[0], dtype=torch.bool)
        for name, value in final.items():
            equal &= (value == replayed[name]).flatten(1).all(dim=1)
        return equal

    def _design(self) -> TwinDesign:
        return self.design or TwinDesign(self.cell.activation, self.cell.readout)


def run(
    cell: Cell,
    *,
    seeds: Sequence[int] = SEEDS,
    steps: int = SCHEDULE.steps,
    batch: int = SCHEDULE.batch,
    margin: float = TwinDesign.margin,
    equal_outputs: bool = False,
    own_gain: float = 0.0,
) -> CellResult:
    """One factorial cell: all seeds trained in one batch, with a trajectory; cached per process.

    The defaults reproduce the committed factorial bit for bit. Every argument is part of the
    cache key (seeds as a tuple), so a catalog-supplied design gets its own runs. ``own_gain``
    gives D a behaviour of its own (TwinDesign.own_gain; private readout only).
    """
    return _run(
        cell,
        tuple(seeds),
        int(steps),
        int(batch),
        float(margin),
        bool(equal_outputs),
        float(own_gain),
    )


@functools.cache
def _run(
    cell: Cell,
    seeds: tuple[int, ...],
    steps: int,
    batch: int,
    margin: float,
    equal_outputs: bool,
    own_gain: float,
) -> CellResult:
    design = TwinDesign(
        cell.activation,
        cell.readout,
        margin=margin,
        equal_outputs=equal_outputs,
        own_gain=own_gain,
    )
    where = f"cell {CELLS.index(cell) + 1}/{len(CELLS)}" if cell in CELLS else "extra cell"
    LOG.info("twin-circuit factorial: %s %s", where, cell.label)
    schedule = Schedule(steps, batch)
    training = train(design, cell.optimizer, seeds, schedule, keep_trajectory=True)
    return result(cell, design, schedule, training)


def result(cell: Cell, design: TwinDesign, schedule: Schedule, training: Training) -> CellResult:
    """Measure both circuits of a finished run (reinforcement.circuit_change)."""
    return CellResult(
        cell,
        reinforcement.circuit_change(design, training, "A"),
        reinforcement.circuit_change(design, training, "D"),
        training,
        design,
        schedule,
    )


# The margin that means "per-neuron margins drawn from all-MiniLM-L6-v2's negative
# preactivations" (claims.experiments.minilm.draw_margins) in margin_sweep_run.
DRAWN_MARGINS = "all-MiniLM-L6-v2"


def margin_sweep_run(
    activation: str,
    optimizer: str,
    margin_or_drawn: float | str,
    *,
    seeds: Sequence[int],
    steps: int = SCHEDULE.steps,
    batch: int = SCHEDULE.batch,
    readout: str = "private",
    equal_outputs: bool = False,
) -> CellResult:
    """The twin circuits at one margin: D's bias -margin on every neuron, or, for
    margin_or_drawn == DRAWN_MARGINS, per-neuron margins |z| drawn per seed from
    all-MiniLM-L6-v2's negative GELU preactivations (claims.experiments.minilm; needs the model extra).
    No trajectory is kept. Cached per process on all arguments.
    Errors: ValueError for a string other than DRAWN_MARGINS.
    """
    if isinstance(margin_or_drawn, str):
        if margin_or_drawn != DRAWN_MARGINS:
            raise ValueError(f"a drawn margin must be {DRAWN_MARGINS!r}, got {margin_or_drawn!r}")
        margin: float | str = margin_or_drawn
    else:
        margin = float(margin_or_drawn)
    key = (activation, optimizer, margin, tuple(seeds), int(steps), int(batch), readout)
    return _margin_sweep_run(*key, bool(equal_outputs))


@functools.cache
def _margin_sweep_run(
    activation: str,
    optimizer: str,
    margin: float | str,
    seeds: tuple[int, ...],
    steps: int,
    batch: int,
    readout: str,
    equal_outputs: bool,
) -> CellResult:
    margins = None
    design = TwinDesign(activation, readout, equal_outputs=equal_outputs)
    if margin == DRAWN_MARGINS:
        from claims.experiments import (
            minilm,  # transformers is imported only when margins are drawn
        )

        sample = minilm.negative_preactivations()
        margins = minilm.draw_margins(sample, seeds, design.circuit_width)
    else:
        design = replace(design, margin=margin)
    LOG.info("margin sweep: %s/%s/%s margin %s", activation, optimizer, readout, margin)
    schedule = Schedule(steps, batch)
    training = train(design, optimizer, seeds, schedule, margins=margins)
    return result(Cell(activation, optimizer, readout), design, schedule, training)


def cells(*, activations=ACTIVATIONS, optimizers=OPTIMIZERS, readouts=READOUTS) -> list[Cell]:
    return [
        c
        for c in CELLS
        if c.activation in activations and c.optimizer in optimizers and c.readout in readouts
    ]
