"""inactive-circuit-not-reinforced in a real chat model: SmolLM2-135M-Instruct under REINFORCE (S11).

The runs are tests/claims/chat_runs.py's: per seed, the model's sampled answers to the training
prompts, then CHAT_STEPS REINFORCE steps with SGD, Adam and AdamW (the catalog's learning rates)
from the same W_0 on the same batch. A neuron is always closed when its gate preactivation is
negative on every real token of the seed's batch at W_0 (Attribution.inactive).

Decision rules, as the statements say:
- inactive-neurons-still-in-smollm2 (one cell per optimizer): per seed with a policy gradient,
  the ratio of the mean update norm ‖ΔW[j]‖ of always-closed neurons to that of the others, for
  gate rows and for up rows (experiment.inactive_update_ratio): two checks "mean < 0.1" per
  cell; the three cells are one family (decide_family, Holm over its six one-sided violation
  tests, ALPHA): HOLDS when both 95 % intervals lie below 0.1, FAILS when a violation is
  significant, else INCONCLUSIVE. Down columns are reported beside them, not decided.
- smollm2-relu-control-inactive-still: with ReLU gates (same weights and answers), SGD and Adam,
  every always-closed neuron's gate row, up row and down column unchanged bit for bit (update
  norm exactly 0.0: the float64 difference of two float32 weights is 0 only when they are equal)
  on every control seed.
Measurements are recorded before each decision, so a failing test still reports its numbers.
"""

from __future__ import annotations

import functools

import pytest
import torch

from claims.catalog.inactive_circuit_not_reinforced import (
    ALPHA,
    CHAT_GRID,
    CLAIM,
    NOT_REINFORCED,
    OPTIMIZERS,
)
from claims.experiments.chat import figures
from claims.experiments.chat.experiment import PARTS, inactive_update_ratio
from claims.instruments.parametrize import grid_params
from claims.instruments.statistics import CellDecision, Check, decide_family, mean_interval
from tests.claims.chat_runs import GATES, OPTIMIZER_KEYS, record_seeds, runs, with_gradient

# The parts the statement decides; down columns are reported only.
DECIDED = ("gate_rows", "up_rows")
PART_NAMES = {"gate_rows": "gate rows", "up_rows": "up rows", "down_columns": "down columns"}


def ratios(optimizer: str, part: str) -> list[float]:
    """Per seed with a policy gradient: always-closed neurons' mean update / the others'."""
    return [inactive_update_ratio(run, optimizer, part=part) for run in with_gradient(runs("silu"))]


@functools.cache
def chat_family() -> dict[str, CellDecision]:
    """The three optimizers' cells, decided as one family (Holm over all six tests)."""
    cells = {
        OPTIMIZERS[optimizer]: [
            Check(f"{PART_NAMES[part]} ratio", ratios(optimizer, part), below=NOT_REINFORCED)
            for part in DECIDED
        ]
        for optimizer in GATES["silu"]
    }
    return decide_family(cells, alpha=ALPHA)


def record_cell(measurements, optimizer: str, decision: CellDecision) -> None:
    intervals = decision.intervals
    measurements.record("gate_ratio_mean", intervals["gate rows ratio"].mean, "ratio")
    measurements.record("up_ratio_mean", intervals["up rows ratio"].mean, "ratio")
    measurements.record("down_ratio_mean", mean_interval(ratios(optimizer, "down_columns")).mean)
    measurements.record("family_tests", decision.family_size, "count")
    measurements.table(
        f"smollm2-update-ratios-{optimizer}",
        ["check", "mean", "95 % low", "95 % high", "Holm-adjusted p of 'mean > 0.1'"],
        [
            [c.label, c.interval.mean, c.interval.low, c.interval.high, c.p_adjusted["below"]]
            for c in decision.checks
        ],
        digits=4,
    )
    kept = with_gradient(runs("silu"))
    measurements.table(
        f"smollm2-update-ratios-per-seed-{optimizer}",
        ["seed", "always-closed neurons", *(f"{PART_NAMES[p]} ratio" for p in PARTS)],
        [
            [
                run.seed,
                int(run.attribution.inactive().sum()),
                *(inactive_update_ratio(run, optimizer, part=p) for p in PARTS),
            ]
            for run in kept
        ],
        digits=4,
    )
    measurements.figure(
        f"smollm2-update-vs-activity-{optimizer}",
        figures.update_vs_activity(
            kept,
            optimizer,
            title=f"SmolLM2-135M-Instruct, {OPTIMIZERS[optimizer]}: update size by gate activity "
            f"({len(kept)} seeds pooled)",
            threshold=NOT_REINFORCED,
        ),
    )


@pytest.mark.parametrize("cell", grid_params(CLAIM, CHAT_GRID, "real-model"))
def test_smollm2s_always_closed_neurons_move_under_a_tenth_as_much(cell, measurements):
    optimizer = OPTIMIZER_KEYS[cell["optimizer"]]
    record_seeds(measurements, runs("silu"))
    decision = chat_family()[OPTIMIZERS[optimizer]]
    record_cell(measurements, optimizer, decision)
    decision.conclude(
        f"SmolLM2-135M-Instruct, {OPTIMIZERS[optimizer]}: always-closed neurons' mean update "
        f"over the others' below {NOT_REINFORCED}"
    )


@pytest.mark.claim(
    "inactive-circuit-not-reinforced/smollm2-relu-control-inactive-still", kind="real-model"
)
def test_smollm2_with_relu_gates_leaves_always_closed_neurons_exactly_unchanged(measurements):
    record_seeds(measurements, runs("relu"))
    rows, offending, checked, moved_total, others_moved = [], [], 0, 0, 0
    for run in with_gradient(runs("relu")):
        inactive = run.attribution.inactive()
        for optimizer in GATES["relu"]:
            updates = run.trainings[optimizer].updates
            changed = torch.stack([getattr(updates, p) != 0 for p in PARTS]).any(0)
            moved = inactive & changed
            largest = max(float(getattr(updates, p)[inactive].max()) for p in PARTS)
            others_moved += int(changed[~inactive].sum())
            checked += int(inactive.sum())
            moved_total += int(moved.sum())
            rows.append(
                [run.seed, OPTIMIZERS[optimizer], int(inactive.sum()), int(moved.sum()), largest]
            )
            if moved.any():
                offending.append(
                    f"seed {run.seed}, {OPTIMIZERS[optimizer]}: {int(moved.sum())} of "
                    f"{int(inactive.sum())} always-closed neurons moved (largest ‖Δw‖ {largest:.3g})"
                )
    measurements.record("moved_inactive_neurons", moved_total, "count")
    measurements.record("inactive_neurons_checked", checked, "count")
    measurements.record("other_neurons_moved", others_moved, "count")
    measurements.table(
        "smollm2-relu-control-stillness",
        ["control seed", "optimizer", "always-closed neurons", "of them moved", "largest ‖Δw‖"],
        rows,
        digits=4,
    )
    if checked == 0 or others_moved == 0:
        # Nothing to check, or nothing trained at all: the run is broken, not a finding.
        raise RuntimeError(f"{checked} always-closed neurons checked, {others_moved} others moved")
    assert not offending, "ReLU-gated SmolLM2's always-closed neurons moved:\n" + "\n".join(
        offending
    )
