"""The twin-circuit factorial: activation × optimizer × readout, 64 seeds per cell, run once.

Each cell trains all its seeds in one batched computation (claims.policies.train) and is cached
for the session, so every proposition that reads the matrix sees the same runs.
"""

from __future__ import annotations

import functools
import itertools
import logging
from dataclasses import dataclass

import torch

from claims import reinforcement
from claims.policies import Schedule, TwinDesign, train

ACTIVATIONS = ("relu", "reglu", "gelu", "gelu-tanh", "silu", "swiglu")
OPTIMIZERS = ("sgd", "sgd-momentum", "adam", "adamw")
READOUTS = ("private", "shared")
# Seeds per cell; the power argument is in the catalog (claims/catalog/differential_reinforcement.py).
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
    # Per-step parameter snapshots, for trajectories.
    training: object

    def ratio(self, measure: str) -> torch.Tensor:
        """Per-seed inactive/active ratio of 'incoming', 'outgoing' or 'behaviour'."""
        return reinforcement.ratio(getattr(self.inactive, measure), getattr(self.active, measure))


@functools.cache
def run(cell: Cell) -> CellResult:
    design = TwinDesign(cell.activation, cell.readout)
    LOG.info("twin-circuit factorial: cell %d/%d %s", CELLS.index(cell) + 1, len(CELLS), cell.label)
    training = train(design, cell.optimizer, SEEDS, SCHEDULE, keep_trajectory=True)
    return CellResult(
        cell,
        reinforcement.circuit_change(design, training, "A"),
        reinforcement.circuit_change(design, training, "D"),
        training,
    )


def cells(*, activations=ACTIVATIONS, optimizers=OPTIMIZERS, readouts=READOUTS) -> list[Cell]:
    return [
        c
        for c in CELLS
        if c.activation in activations and c.optimizer in optimizers and c.readout in readouts
    ]
