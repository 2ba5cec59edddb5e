"""differential-reinforcement: what gets reinforced, signed, against a control (S13, S14, S19).

Design (the catalog's docstring): the twin-circuit factorial with equal outputs (the runs
inactive-circuit-not-reinforced pre-registered, read through tests/common/twin_factorial.py), and
for S14 the same design with D writing OWN_GAIN to an action of its own (private readout).
Behaviour: the whole policy's log-odds of an action on a noiseless prompt (cued: A on; trigger:
D on; plain: neither on, the control), before and after REINFORCE on prompts that switch A on
(claims.experiments.reinforcement.controlled_change): E_A = Δ(rewarded | cued) − Δ(rewarded |
plain), E_D = Δ(rewarded | trigger) − Δ(rewarded | plain), E_Down = Δ(own | trigger) − Δ(own |
plain).

Decision rules (claims.instruments.statistics.decide_family, one family per grid):
- aligned-reinforced-more: per cell, one check per readout, "mean(E_A − E_D) > 0"; 12 tests.
- aligned-reinforced-more counts 24 tests (12 cells × 2 readouts).
- motive-involved-upweighted: per cell, "mean E_A > 0" and "mean(E_A − E_Down) > 0"; 24 tests.
- own-behaviour-untouched (beyond): per cell, "mean(E_Down − 0.1·E_A) < 0" and
  "mean(E_Down + 0.1·E_A) > 0"; 24 tests.
- own-behaviour-rises-without-clipping (lemma): the own-action twins with the identity
  activation under SGD, "mean E_Down > 0" by its 95 % interval (claims.instruments.statistics
  decide_above).
Every key and table reports E_A, E_D (or E_Down) and the plain control's raw Δ with intervals.
"""

from __future__ import annotations

import functools

import pytest
import torch

from claims.catalog.differential_reinforcement import (
    ALPHA,
    CLAIM,
    COMPARATIVE_GRID,
    MOTIVE_GRID,
    OWN_GAIN,
    OWN_UNTOUCHED_GRID,
)
from claims.catalog.inactive_circuit_not_reinforced import BATCH, MARGIN, SEEDS, STEPS
from claims.experiments import factorial, reinforcement, reinforcement_figures
from claims.experiments.factorial import Cell, CellResult
from claims.experiments.policies import REWARDED_ACTION
from claims.instruments.statistics import (
    CellDecision,
    Check,
    decide_above,
    decide_family,
    mean_interval,
)
from claims.pytest.parametrize import grid_params
from tests.common.twin_factorial import READOUTS, cell_keys, label, run

# D's own behaviour, a tenth of A's reinforcement either way (own-behaviour-untouched).
UNTOUCHED = 0.1
ASSERTED_CELLS = [
    cell_keys(c) for c in (p.cell for p in CLAIM.propositions if p.grid == COMPARATIVE_GRID)
]


def effects(result: CellResult, kind: str, action: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per seed: (raw Δ log-odds on ``kind`` prompts, the same against the plain control)."""
    training = result.training
    return reinforcement.controlled_change(
        result.design, training.initial, training.final, kind, action
    )


def plain_change(result: CellResult, action: int) -> torch.Tensor:
    change, controlled = effects(result, "plain", action)
    assert torch.equal(controlled, torch.zeros_like(controlled))  # the control against itself
    return change


@functools.cache
def own_run(activation: str, optimizer: str) -> CellResult:
    """The twins with D's own action (private readout), the factorial's seeds and schedule."""
    return factorial.run(
        Cell(activation, optimizer, "private"),
        seeds=SEEDS,
        steps=STEPS,
        batch=BATCH,
        margin=MARGIN,
        equal_outputs=True,
        own_gain=OWN_GAIN,
    )


def comparative_checks(activation: str, optimizer: str) -> list[Check]:
    checks = []
    for readout in READOUTS:
        result = run(activation, optimizer, readout)
        e_a = effects(result, "cued", REWARDED_ACTION)[1]
        e_d = effects(result, "trigger", REWARDED_ACTION)[1]
        checks.append(Check(f"{readout} readout", (e_a - e_d).tolist(), above=0.0))
    return checks


@functools.cache
def comparative_family() -> dict[str, CellDecision]:
    return decide_family(
        {label(a, o): comparative_checks(a, o) for a, o in ASSERTED_CELLS}, alpha=ALPHA
    )


def own_effects(activation: str, optimizer: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Per seed: (E_A on the rewarded action, E_Down on D's own action), own-action twins."""
    result = own_run(activation, optimizer)
    e_a = effects(result, "cued", REWARDED_ACTION)[1]
    e_down = effects(result, "trigger", result.design.own_action)[1]
    return e_a, e_down


@functools.cache
def motive_family() -> dict[str, CellDecision]:
    cells = {}
    for a, o in ASSERTED_CELLS:
        e_a, e_down = own_effects(a, o)
        cells[label(a, o)] = [
            Check("E_A", e_a.tolist(), above=0.0),
            Check("E_A − E_Down", (e_a - e_down).tolist(), above=0.0),
        ]
    return decide_family(cells, alpha=ALPHA)


@functools.cache
def untouched_family() -> dict[str, CellDecision]:
    cells = {}
    for a, o in ASSERTED_CELLS:
        e_a, e_down = own_effects(a, o)
        cells[label(a, o)] = [
            Check("E_Down − 0.1·E_A", (e_down - UNTOUCHED * e_a).tolist(), below=0.0),
            Check("E_Down + 0.1·E_A", (e_down + UNTOUCHED * e_a).tolist(), above=0.0),
        ]
    return decide_family(cells, alpha=ALPHA)


def interval_row(name: str, samples: torch.Tensor) -> list:
    interval = mean_interval(samples.tolist())
    return [name, interval.mean, interval.low, interval.high]


INTERVAL_COLUMNS = ["measure", "mean", "95 % low", "95 % high"]
# Cells whose controlled effects are drawn over training steps (private readout).
FIGURE_CELLS = (("relu", "sgd"), ("relu", "adam"), ("gelu", "sgd"), ("gelu", "adam"))


def record_figure(measurements) -> None:
    panels = {}
    for activation, optimizer in FIGURE_CELLS:
        result = run(activation, optimizer, "private")
        curves = {}
        for name, kind in (("E_A (cued)", "cued"), ("E_D (trigger)", "trigger")):
            trajectory = reinforcement.controlled_trajectory(
                result.design, result.training, kind, REWARDED_ACTION
            )
            curves[name] = [
                mean_interval(row.tolist()) if t else mean_interval([0.0, 0.0])
                for t, row in enumerate(trajectory)
            ]
        panels[label(activation, optimizer)] = curves
    steps = list(range(len(next(iter(next(iter(panels.values())).values())))))
    measurements.figure(
        "twin-controlled-behaviour-over-steps",
        reinforcement_figures.controlled_over_steps(
            steps,
            panels,
            xlabel="REINFORCE steps on prompts that switch A on",
            title="Twin circuits, private readout: each circuit's behaviour against the plain "
            "control (mean over seeds, 95 % band)",
        ),
    )


@pytest.mark.parametrize("cell", grid_params(CLAIM, COMPARATIVE_GRID, "experiment"))
def test_the_active_circuits_behaviour_rises_more_than_its_twins_against_the_control(
    cell, measurements
):
    activation, optimizer = cell_keys(cell)
    decision = comparative_family()[label(activation, optimizer)]
    rows = []
    for readout in READOUTS:
        result = run(activation, optimizer, readout)
        e_a = effects(result, "cued", REWARDED_ACTION)[1]
        e_d = effects(result, "trigger", REWARDED_ACTION)[1]
        plain = plain_change(result, REWARDED_ACTION)
        rows += [
            [readout, *interval_row("E_A = Δ cued − Δ plain", e_a)],
            [readout, *interval_row("E_D = Δ trigger − Δ plain", e_d)],
            [readout, *interval_row("Δ plain (control)", plain)],
            [readout, *interval_row("E_A − E_D", e_a - e_d)],
        ]
        if readout == "private":
            measurements.record("e_a_mean", e_a.mean().item(), "nats")
            measurements.record("e_d_mean", e_d.mean().item(), "nats")
            measurements.record("plain_mean", plain.mean().item(), "nats")
    means = [c.interval.mean for c in decision.checks]
    measurements.record("min_difference_mean", min(means), "nats")
    measurements.record("max_difference_mean", max(means), "nats")
    measurements.table(
        f"controlled-behaviour-{activation}-{optimizer}", ["readout", *INTERVAL_COLUMNS], rows
    )
    if (activation, optimizer) == FIGURE_CELLS[0]:
        record_figure(measurements)
    decision.conclude(f"E_A − E_D > 0 (controlled log-odds), {label(activation, optimizer)}")


@pytest.mark.parametrize("cell", grid_params(CLAIM, MOTIVE_GRID, "experiment"))
def test_the_motive_involved_is_upweighted_more_than_the_twins_own_behaviour(cell, measurements):
    activation, optimizer = cell_keys(cell)
    e_a, e_down = own_effects(activation, optimizer)
    decision = motive_family()[label(activation, optimizer)]
    result = own_run(activation, optimizer)
    own_plain = plain_change(result, result.design.own_action)
    measurements.record("difference_mean", decision.intervals["E_A − E_Down"].mean, "nats")
    measurements.record("e_a_mean", e_a.mean().item(), "nats")
    measurements.record("e_down_mean", e_down.mean().item(), "nats")
    measurements.table(
        f"own-behaviour-{activation}-{optimizer}",
        INTERVAL_COLUMNS,
        [
            interval_row("E_A (rewarded action, cued − plain)", e_a),
            interval_row("E_Down (D's own action, trigger − plain)", e_down),
            interval_row("Δ own action on plain (control)", own_plain),
            interval_row("E_A − E_Down", e_a - e_down),
        ],
    )
    decision.conclude(f"E_A − E_Down > 0, {label(activation, optimizer)}")


@pytest.mark.parametrize("cell", grid_params(CLAIM, OWN_UNTOUCHED_GRID, "experiment"))
def test_the_twins_own_behaviour_moves_less_than_a_tenth_of_the_reinforcement(cell, measurements):
    activation, optimizer = cell_keys(cell)
    e_a, e_down = own_effects(activation, optimizer)
    decision = untouched_family()[label(activation, optimizer)]
    measurements.record("own_over_a_mean", (e_down.sum() / e_a.sum()).item(), "ratio")
    decision.conclude(f"|E_Down| < 0.1·E_A, {label(activation, optimizer)}")


@pytest.mark.claim(
    "differential-reinforcement/own-behaviour-rises-without-clipping", kind="experiment"
)
def test_without_clipping_the_twins_own_behaviour_rises(measurements):
    e_down = own_effects("identity", "sgd")[1]
    interval = mean_interval(e_down.tolist())
    measurements.record("e_down_mean", interval.mean, "nats")
    measurements.record("e_down_ci95_low", interval.low, "nats")
    measurements.record("e_down_ci95_high", interval.high, "nats")
    decide_above(interval, 0.0, what="identity activation: E_Down, D's own behaviour")
