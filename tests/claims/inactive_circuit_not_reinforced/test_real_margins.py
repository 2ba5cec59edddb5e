"""inactive-circuit-not-reinforced: S11 where a trained model puts its inactive neurons.

Design (the catalog's docstring, grid inactive-weights-still-at-real-margins): the twin circuits
with equal outputs, private readout, the factorial's seeds and schedule, each of D's 4 neurons at
its own margin |z| drawn per seed from all-MiniLM-L6-v2's negative GELU preactivations on the
shipped English text (claims.experiments.factorial.margin_sweep_run, margins from
claims.experiments.minilm.draw_margins). Per seed, D's least-moved neuron
(claims.experiments.reinforcement.least_moved_ratio: min over D's neurons of the larger of its
incoming and outgoing change, each over A's mean per neuron).

Decision rule: one check per cell, "mean < NOT_REINFORCED"; the grid's 9 cells are one family
(claims.instruments.statistics.decide_family): HOLDS when the 95 % interval lies below 0.1,
FAILS when a one-sided t-test of "mean > 0.1", Holm-adjusted over the 9 tests, rejects at ALPHA;
INCONCLUSIVE otherwise. The drawn margins' quantiles and the circuit-level ratios are reported.
"""

from __future__ import annotations

import functools

import pytest
import torch

from claims.catalog.inactive_circuit_not_reinforced import (
    ALPHA,
    ASSERTED_OPTIMIZERS,
    BATCH,
    CLAIM,
    DRAWN_ACTIVATIONS,
    DRAWN_GRID,
    NOT_REINFORCED,
    SEEDS,
    STEPS,
)
from claims.experiments import factorial, reinforcement
from claims.experiments.factorial import CellResult
from claims.instruments.statistics import CellDecision, Check, decide_family
from claims.pytest.parametrize import grid_params
from tests.common.twin_factorial import cell_keys, label


@functools.cache
def drawn_run(activation: str, optimizer: str) -> CellResult:
    return factorial.margin_sweep_run(
        activation,
        optimizer,
        factorial.DRAWN_MARGINS,
        seeds=SEEDS,
        steps=STEPS,
        batch=BATCH,
        readout="private",
        equal_outputs=True,
    )


def least_moved(activation: str, optimizer: str) -> torch.Tensor:
    result = drawn_run(activation, optimizer)
    return reinforcement.least_moved_ratio(result.design, result.training)


@functools.cache
def family() -> dict[str, CellDecision]:
    cells = {
        label(a, o): [
            Check("D's least-moved neuron / A", least_moved(a, o).tolist(), below=NOT_REINFORCED)
        ]
        for a in DRAWN_ACTIVATIONS
        for o in ASSERTED_OPTIMIZERS
    }
    return decide_family(cells, alpha=ALPHA)


@pytest.mark.parametrize("cell", grid_params(CLAIM, DRAWN_GRID, "experiment"))
def test_some_neuron_of_the_inactive_circuit_is_effectively_not_reinforced(cell, measurements):
    activation, optimizer = cell_keys(cell)
    decision = family()[label(activation, optimizer)]
    (interval,) = decision.intervals.values()
    result = drawn_run(activation, optimizer)
    measurements.record("mean_ratio", interval.mean, "ratio")
    measurements.record("ci95_low_ratio", interval.low, "ratio")
    measurements.record("ci95_high_ratio", interval.high, "ratio")
    margins = -result.training.initial["bias"][:, result.design.circuit_d].flatten()
    quantiles = torch.quantile(margins, torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64))
    measurements.table(
        f"real-margins-{activation}-{optimizer}",
        ["measure", "value"],
        [
            ["mean least-moved ratio", interval.mean],
            [
                "seeds with least-moved ratio below 0.1",
                float((least_moved(activation, optimizer) < NOT_REINFORCED).double().mean()),
            ],
            ["whole-circuit incoming D/A (mean)", float(result.ratio("incoming").mean())],
            ["whole-circuit outgoing D/A (mean)", float(result.ratio("outgoing").mean())],
            ["D's margins: 10 % quantile", float(quantiles[0])],
            ["D's margins: median", float(quantiles[1])],
            ["D's margins: 90 % quantile", float(quantiles[2])],
        ],
    )
    decision.conclude(
        f"D's least-moved neuron / A below {NOT_REINFORCED}, margins drawn from MiniLM, "
        f"{label(activation, optimizer)}"
    )
