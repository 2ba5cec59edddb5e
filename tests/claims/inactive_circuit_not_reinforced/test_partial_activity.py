"""inactive-circuit-not-reinforced/partial-activity-below-active: a circuit that is sometimes on.

Design (the catalog's docstring, fixed before the runs): the twin circuits with equal outputs,
private readout, margin 1, 64 seeds, 40 steps × 32 prompts; each training prompt is a trigger
prompt (D on, A off) with probability p and an ordinary one (A on) otherwise, p in
ACTIVE_FRACTIONS (claims.experiments.schedules.partial_activity_run); ReLU and GELU × SGD and Adam.

Decision rule: at p = PARTIAL_DECISION_AT the per-seed D/A incoming-weight ratio, in each of the
four (activation, optimizer) curves, is "mean < 1": one cell of four checks
(claims.instruments.statistics.decide_family): HOLDS when all four 95 % intervals lie below 1, FAILS when a
one-sided t-test of "mean > 1", Holm-adjusted over the four, rejects at ALPHA; INCONCLUSIVE
otherwise. The whole curve over p is reported (table and figure), never decided.
"""

from __future__ import annotations

import pytest

from claims.catalog.inactive_circuit_not_reinforced import (
    ACTIVATIONS,
    ACTIVE_FRACTIONS,
    ALPHA,
    BATCH,
    MARGIN,
    OPTIMIZERS,
    PARTIAL_DECISION_AT,
    SEEDS,
    STEPS,
)
from claims.experiments import reinforcement_figures, schedules
from claims.experiments.factorial import CellResult
from claims.instruments.statistics import Check, decide_family, mean_interval

CURVES = tuple((a, o) for a in ("relu", "gelu") for o in ("sgd", "adam"))
WEIGHTS = ("incoming", "outgoing")
# D as active as A: the ratio the decision compares against.
AS_MUCH_AS_A = 1.0


def partial_run(activation: str, optimizer: str, fraction: float) -> CellResult:
    return schedules.partial_activity_run(
        activation,
        optimizer,
        fraction,
        seeds=SEEDS,
        steps=STEPS,
        batch=BATCH,
        readout="private",
        margin=MARGIN,
        equal_outputs=True,
    )


def curve_label(activation: str, optimizer: str) -> str:
    return f"{ACTIVATIONS[activation]}/{OPTIMIZERS[optimizer]}"


@pytest.mark.claim(
    "inactive-circuit-not-reinforced/partial-activity-below-active", kind="experiment"
)
def test_a_circuit_active_on_a_tenth_of_the_prompts_is_reinforced_less_than_the_other(
    measurements,
):
    intervals, rows = {}, []
    for activation, optimizer in CURVES:
        for fraction in ACTIVE_FRACTIONS:
            result = partial_run(activation, optimizer, fraction)
            row: list = [curve_label(activation, optimizer), fraction]
            for measure in WEIGHTS:
                interval = mean_interval(result.ratio(measure).tolist())
                intervals[activation, optimizer, fraction, measure] = interval
                row += [interval.mean, interval.low, interval.high]
            rows.append(row)
    measurements.table(
        "partial-activity",
        [
            "curve",
            "p",
            "incoming mean",
            "incoming 95 % low",
            "incoming 95 % high",
            "outgoing mean",
            "outgoing 95 % low",
            "outgoing 95 % high",
        ],
        rows,
    )
    panels = {
        measure: {
            curve_label(a, o): [intervals[a, o, p, measure] for p in ACTIVE_FRACTIONS]
            for a, o in CURVES
        }
        for measure in WEIGHTS
    }
    measurements.figure(
        "inactive-circuit-ratio-vs-active-fraction",
        reinforcement_figures.ratio_vs_active_fraction(list(ACTIVE_FRACTIONS), panels),
    )
    checks = [
        Check(
            f"{curve_label(a, o)} incoming D/A ratio at p = {PARTIAL_DECISION_AT:g}",
            partial_run(a, o, PARTIAL_DECISION_AT).ratio("incoming").tolist(),
            below=AS_MUCH_AS_A,
        )
        for a, o in CURVES
    ]
    (decision,) = decide_family({"partial activity": checks}, alpha=ALPHA).values()
    measurements.record(
        "max_mean_ratio_at_decision", max(c.interval.mean for c in decision.checks), "ratio"
    )
    decision.conclude("D/A incoming-weight ratio with D active on a fraction p of the prompts")
