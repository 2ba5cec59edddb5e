"""The twin-circuit factorial as inactive-circuit-not-reinforced pre-registered it, for both claims.

inactive-circuit-not-reinforced (weights, A's updates) and differential-reinforcement (behaviour,
the twins' identical outputs) read the same runs: every cell through ``run`` below, with the
catalog's seeds, schedule and margin and the equal-output design its docstring fixes for every
twin experiment. claims.experiments.factorial caches a run per process on all its arguments, so tests of
either claim in one process share it, and under xdist each worker recomputes the same numbers.
"""

from __future__ import annotations

from claims.catalog import inactive_circuit_not_reinforced as design
from claims.experiments import factorial
from claims.experiments.factorial import Cell, CellResult

READOUTS = factorial.READOUTS
# Catalog labels ("GELU", "SGD+momentum") -> instrument keys ("gelu", "sgd-momentum").
ACTIVATION_KEYS = {label: key for key, label in design.ACTIVATIONS.items()}
OPTIMIZER_KEYS = {label: key for key, label in design.OPTIMIZERS.items()}


def run(activation: str, optimizer: str, readout: str) -> CellResult:
    """One cell of the factorial: design.SEEDS seeds, STEPS × BATCH, margin MARGIN, equal outputs."""
    return factorial.run(
        Cell(activation, optimizer, readout),
        seeds=design.SEEDS,
        steps=design.STEPS,
        batch=design.BATCH,
        margin=design.MARGIN,
        equal_outputs=True,
    )


def cell_keys(cell: dict[str, str]) -> tuple[str, str]:
    """(activation, optimizer) keys of a grid cell given by its catalog labels."""
    return ACTIVATION_KEYS[cell["activation"]], OPTIMIZER_KEYS[cell["optimizer"]]


def label(activation: str, optimizer: str) -> str:
    return f"{design.ACTIVATIONS[activation]}/{design.OPTIMIZERS[optimizer]}"
