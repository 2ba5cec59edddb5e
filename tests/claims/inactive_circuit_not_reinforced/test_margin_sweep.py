"""inactive-circuit-not-reinforced: GELU's inactive twin at every depth below zero (S11).

Design (the catalog's docstring, fixed before the runs): the twin circuits with GELU, private
readout, equal outputs, 64 seeds, 40 steps × 32 prompts, trained with SGD and with Adam at each
margin m of MARGINS (D's preactivation ≈ −m on training prompts), plus one run where each D
neuron's margin is drawn per seed from all-MiniLM-L6-v2's negative GELU preactivations on the
shipped English text (claims.experiments.factorial.margin_sweep_run, claims.experiments.minilm.draw_margins).

Decision rule, one proposition per optimizer: the checks are (sweep point × incoming/outgoing
D/A ratio), each "mean < NOT_REINFORCED"; HOLDS when every 95 % interval lies below 0.1, FAILS
when a one-sided t-test of "mean > 0.1", Holm-adjusted across that optimizer's 14 sweep tests,
rejects at ALPHA; INCONCLUSIVE otherwise (claims.instruments.statistics.decide_family, one cell). The table
labels each sweep point by the same rule applied to its two checks alone, with the same Holm
adjustment (the sweep points as the cells of one family): a per-margin view of the one
decision, not a second test. The SGD test also draws both optimizers' curves.
"""

from __future__ import annotations

import functools

import pytest

from claims.catalog.inactive_circuit_not_reinforced import (
    ALPHA,
    BATCH,
    CLAIM,
    MARGIN_GRID,
    MARGINS,
    NOT_REINFORCED,
    OPTIMIZERS,
    REAL_MARGINS,
    SEEDS,
    STEPS,
)
from claims.experiments import factorial, reinforcement_figures
from claims.experiments.factorial import CellResult
from claims.instruments.statistics import CellDecision, Check, Interval, decide_family
from claims.pytest.parametrize import grid_params
from tests.common.twin_factorial import OPTIMIZER_KEYS

WEIGHTS = ("incoming", "outgoing")
SWEEP = (*MARGINS, REAL_MARGINS)
DRAWN = f"drawn from {REAL_MARGINS}"


def sweep_label(margin: float | str) -> str:
    return DRAWN if isinstance(margin, str) else f"m = {margin:g}"


def sweep_run(optimizer: str, margin: float | str) -> CellResult:
    return factorial.margin_sweep_run(
        "gelu",
        optimizer,
        margin,
        seeds=SEEDS,
        steps=STEPS,
        batch=BATCH,
        readout="private",
        equal_outputs=True,
    )


def point_checks(optimizer: str, margin: float | str) -> list[Check]:
    result = sweep_run(optimizer, margin)
    return [
        Check(
            f"{sweep_label(margin)}, {measure} D/A ratio",
            result.ratio(measure).tolist(),
            below=NOT_REINFORCED,
        )
        for measure in WEIGHTS
    ]


@functools.cache
def decision(optimizer: str) -> CellDecision:
    """The proposition's decision: every check of the sweep in one cell (Holm over 14 tests)."""
    checks = [check for margin in SWEEP for check in point_checks(optimizer, margin)]
    return decide_family({f"GELU/{OPTIMIZERS[optimizer]}": checks}, alpha=ALPHA)[
        f"GELU/{OPTIMIZERS[optimizer]}"
    ]


@functools.cache
def per_point(optimizer: str) -> dict[str, CellDecision]:
    """The same tests with each sweep point as a cell: the point's own label, same Holm family."""
    return decide_family({sweep_label(m): point_checks(optimizer, m) for m in SWEEP}, alpha=ALPHA)


def curve(optimizer: str, measure: str) -> dict[str, Interval]:
    """Sweep label -> 95 % interval of the mean D/A ratio of ``measure``."""
    return {
        point: result.intervals[f"{point}, {measure} D/A ratio"]
        for point, result in per_point(optimizer).items()
    }


def record_figure(measurements) -> None:
    curves = {o: {m: curve(o, m) for m in WEIGHTS} for o in ("sgd", "adam")}
    fixed = [sweep_label(m) for m in MARGINS]
    panels = {
        m: {OPTIMIZERS[o]: [curves[o][m][point] for point in fixed] for o in curves}
        for m in WEIGHTS
    }
    drawn = {m: {f"{OPTIMIZERS[o]}, {DRAWN}": curves[o][m][DRAWN] for o in curves} for m in WEIGHTS}
    measurements.figure(
        "inactive-circuit-ratio-vs-margin",
        reinforcement_figures.ratio_vs_margin(list(MARGINS), panels, drawn=drawn),
    )


@pytest.mark.parametrize("cell", grid_params(CLAIM, MARGIN_GRID, "experiment"))
def test_gelus_inactive_circuit_is_not_reinforced_at_any_margin(cell, measurements):
    optimizer = OPTIMIZER_KEYS[cell["optimizer"]]
    found = decision(optimizer)
    means = [c.interval.mean for c in found.checks]
    measurements.record("min_mean_ratio", min(means), "ratio")
    measurements.record("max_mean_ratio", max(means), "ratio")
    rows = []
    for point, view in per_point(optimizer).items():
        row: list = [point]
        for measure in WEIGHTS:
            interval = view.intervals[f"{point}, {measure} D/A ratio"]
            row += [interval.mean, interval.low, interval.high]
        rows.append([*row, view.finding])
    measurements.table(
        f"gelu-{optimizer}-every-margin",
        [
            "margin",
            "incoming mean",
            "incoming 95 % low",
            "incoming 95 % high",
            "outgoing mean",
            "outgoing 95 % low",
            "outgoing 95 % high",
            "this margin",
        ],
        rows,
    )
    if optimizer == "sgd":
        record_figure(measurements)
    found.conclude(f"GELU/{OPTIMIZERS[optimizer]}, D/A weight-change ratio below 0.1")
