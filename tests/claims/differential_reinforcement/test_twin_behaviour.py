"""differential-reinforcement: the twin circuits' behaviour after REINFORCE (S13-S14, S19).

Design (inactive-circuit-not-reinforced's docstring, fixed before the runs): the twin-circuit
factorial with equal outputs, read through tests/common/twin_factorial.py so both claims see the
same runs: 6 activations × 4 optimizers × 2 readouts, 64 seeds, 40 steps × 32 prompts, margin 1.
Behaviour (claims.experiments.reinforcement.circuit_change): the change of the rewarded logit computed
through one circuit alone, A on a noiseless ordinary prompt, D on a noiseless trigger prompt;
per seed, ratio = Δ_D / Δ_A.

Decision rules:
- active-behaviour-favoured, one proposition per (activation, optimizer): each cell has two
  checks, the private and the shared readout's ratio, each "REVERSED < mean < DISPROPORTIONATE"
  i.e. inside (−0.1, 0.5). All 24 cells are one family (claims.instruments.statistics.decide_family): HOLDS
  when both 95 % intervals lie inside, FAILS when a one-sided t-test of "mean > 0.5" or of
  "mean < −0.1", Holm-adjusted over the family's 96 tests, rejects at ALPHA; INCONCLUSIVE
  otherwise. A significant "mean < −0.1" is REVERSED: named so in the failure message and
  counted in `reversed_readouts`.
- shared-readout-behaviour-untouched (beyond): ReLU family with SGD, SGD+momentum, Adam, shared
  readout: D's behaviour change is exactly 0 on every seed.
- twin-outputs-identical (lemma): at initialisation, for every seed, activation and readout,
  every action's logit through A alone on the ordinary prompt equals, bit for bit, that through
  D alone on the trigger prompt (claims.experiments.reinforcement.circuit_logits, torch.equal per seed).
  Its test also draws the factorial's figures.
"""

from __future__ import annotations

import functools

import pytest
import torch

from claims.catalog.differential_reinforcement import (
    ACTIVATIONS,
    ALPHA,
    BEHAVIOUR_GRID,
    CLAIM,
    DISPROPORTIONATE,
    OPTIMIZERS,
    RELU_FAMILY,
    REVERSED,
)
from claims.experiments import reinforcement, reinforcement_figures
from claims.instruments.statistics import CellDecision, Check, decide_family
from claims.pytest.parametrize import grid_params
from tests.common.twin_factorial import READOUTS, cell_keys, label, run

MEASURES = ("incoming", "outgoing", "behaviour")
TRAJECTORY_CELLS = (
    ("relu", "sgd", "private"),
    ("gelu", "sgd", "private"),
    ("gelu", "adam", "private"),
    ("swiglu", "adamw", "private"),
)


def behaviour_checks(activation: str, optimizer: str) -> list[Check]:
    return [
        Check(
            f"{readout} readout",
            run(activation, optimizer, readout).ratio("behaviour").tolist(),
            below=DISPROPORTIONATE,
            above=REVERSED,
        )
        for readout in READOUTS
    ]


@functools.cache
def behaviour_family() -> dict[str, CellDecision]:
    """Every cell of the grid, decided as one family (Holm over all 96 violation tests)."""
    cells = {label(a, o): behaviour_checks(a, o) for a in ACTIVATIONS for o in OPTIMIZERS}
    return decide_family(cells, alpha=ALPHA)


@pytest.mark.parametrize("cell", grid_params(CLAIM, BEHAVIOUR_GRID, "experiment"))
def test_the_active_circuits_behaviour_is_reinforced_more_than_its_inactive_twins(
    cell, measurements
):
    activation, optimizer = cell_keys(cell)
    decision = behaviour_family()[label(activation, optimizer)]
    means = [c.interval.mean for c in decision.checks]
    reversed_readouts = [c.label for c in decision.checks if "above" in c.violated(ALPHA)]
    measurements.record("min_mean_ratio", min(means), "ratio")
    measurements.record("max_mean_ratio", max(means), "ratio")
    measurements.record("reversed_readouts", len(reversed_readouts), "count")
    measurements.table(
        f"behaviour-{activation}-{optimizer}",
        [
            "readout",
            "mean D/A behaviour ratio",
            "95 % low",
            "95 % high",
            "Holm p of 'mean > 0.5'",
            "Holm p of 'mean < −0.1'",
        ],
        [
            [
                c.label,
                c.interval.mean,
                c.interval.low,
                c.interval.high,
                c.p_adjusted["below"],
                c.p_adjusted["above"],
            ]
            for c in decision.checks
        ],
    )
    what = f"D/A behaviour ratio, {label(activation, optimizer)}, inside (−0.1, 0.5)"
    try:
        decision.conclude(what)
    except AssertionError as failure:
        if reversed_readouts:
            raise AssertionError(
                f"REVERSED ({', '.join(reversed_readouts)}: D's behaviour pushed the other way) "
                f"— {failure}"
            ) from None
        raise


@pytest.mark.claim(
    "differential-reinforcement/shared-readout-behaviour-untouched", kind="construction"
)
def test_a_shared_readout_leaves_the_relu_twins_behaviour_exactly_unchanged(measurements):
    rows, offending = [], []
    for activation in RELU_FAMILY:
        for optimizer in ("sgd", "sgd-momentum", "adam"):
            result = run(activation, optimizer, "shared")
            moved = int((result.inactive.behaviour != 0).sum())
            ratio = float(result.ratio("behaviour").mean())
            rows.append([label(activation, optimizer), moved, ratio])
            if moved:
                offending.append(
                    f"{rows[-1][0]}: D's behaviour changed on {moved} of "
                    f"{result.inactive.behaviour.numel()} seeds (mean D/A ratio {ratio:.3g})"
                )
    measurements.table(
        "shared-readout-behaviour-untouched",
        ["cell", "seeds with D's behaviour changed", "mean D/A behaviour ratio"],
        rows,
    )
    measurements.record("max_mean_behaviour_ratio", max(row[2] for row in rows), "ratio")
    measurements.record("seeds_with_behaviour_change", sum(row[1] for row in rows), "count")
    assert not offending, "D's triggered behaviour changed:\n" + "\n".join(offending)


def record_figures(measurements) -> None:
    cells = [(a, o, r) for a in ACTIVATIONS for o in OPTIMIZERS for r in READOUTS]
    means = [[float(run(*cell).ratio(m).mean()) for m in MEASURES] for cell in cells]
    measurements.figure(
        "twin-circuit-matrix",
        reinforcement_figures.ratio_matrix(
            [f"{label(a, o)}/{r}" for a, o, r in cells], [f"{m} ratio" for m in MEASURES], means
        ),
    )
    measurements.figure(
        "twin-circuit-trajectories",
        reinforcement_figures.trajectories([run(*cell) for cell in TRAJECTORY_CELLS]),
    )


@pytest.mark.claim("differential-reinforcement/twin-outputs-identical", kind="construction")
def test_the_twins_produce_bit_identical_logits_on_their_own_prompts(measurements):
    compared, differing = 0, []
    for activation in ACTIVATIONS:
        for readout in READOUTS:
            # The initial parameters of the runs every cell of this activation and readout trains.
            result = run(activation, "sgd", readout)
            initial = result.training.initial
            a = reinforcement.circuit_logits(result.design, initial, "A")
            d = reinforcement.circuit_logits(result.design, initial, "D")
            for seed, (a_seed, d_seed) in enumerate(zip(a, d, strict=True)):
                compared += 1
                if not torch.equal(a_seed, d_seed):
                    gap = float((a_seed - d_seed).abs().max())
                    differing.append(f"{activation}/{readout} seed {seed}: max |Δ| {gap:.3g}")
    measurements.record("cells_compared", compared, "count")
    measurements.record("cells_differing", len(differing), "count")
    record_figures(measurements)
    assert not differing, "A's and D's logits differ:\n" + "\n".join(differing[:20])
