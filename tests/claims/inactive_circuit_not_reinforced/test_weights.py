"""inactive-circuit-not-reinforced: D's and A's weights after the twin-circuit factorial (S11-S12).

Design (the catalog's docstring, fixed before the runs): every (activation, optimizer) cell is
one cached run per readout (tests/common/twin_factorial.py: 64 seeds, 40 steps × 32 prompts,
margin 1, D an exact twin of A in what it outputs), read by every test here and by
differential-reinforcement's behaviour tests.

Decision rules (the grid inactive-weights-still reads S11 of SOME of D's neurons):
- ReLU family with SGD, SGD+momentum, Adam: on every seed and readout, some neuron of D has its
  incoming and outgoing parameters (its rows of reads, bias, up; its write column) equal to
  their initial values bit for bit. With AdamW: equal to the initial values after the decoupled
  decay alone, replayed step by step (reinforcement.decay_replay). `seeds_with_every_d_neuron_moved`
  counts the (seed, readout) pairs where no neuron of D stayed, of `seed_cells`;
  `max_abs_d_change` is the largest |difference| of the whole circuit from that reference.
- Smooth activations: per seed, D's least-moved neuron (reinforcement.least_moved_ratio: min over
  D's neurons of the larger of its incoming and outgoing change, each over A's mean per neuron),
  with both readouts: two checks per cell, each "mean < NOT_REINFORCED". All 16 smooth cells are
  one family (claims.instruments.statistics.decide_family): HOLDS when every 95 % interval lies
  below 0.1, FAILS when a one-sided t-test of "mean > 0.1", Holm-adjusted over the family's 32
  tests, rejects at ALPHA; otherwise INCONCLUSIVE. The circuit-level ratios ‖Δθ_D‖/‖Δθ_A‖ are
  reported beside it.
- active-circuit-updated (S12): every neuron of A has some incoming parameter changed, on every
  seed, in the asserted cells (ReLU, GELU × SGD, Adam, AdamW) with both readouts.
- adamw-relu-inactive-untouched (beyond): ReLU family with AdamW, D bit for bit at its initial
  values; the decay moves it, so this is expected to fail.
Measurements are recorded before each decision, so a failing test still reports its numbers.
"""

from __future__ import annotations

import functools

import pytest
import torch

from claims.catalog.inactive_circuit_not_reinforced import (
    ALPHA,
    ASSERTED_ACTIVATIONS,
    ASSERTED_OPTIMIZERS,
    CLAIM,
    NOT_REINFORCED,
    OPTIMIZERS,
    RELU_FAMILY,
    SEEDS,
    SMOOTH,
    WEIGHTS_GRID,
)
from claims.experiments import reinforcement
from claims.experiments.factorial import CellResult
from claims.instruments.statistics import CellDecision, Check, decide_family
from claims.pytest.parametrize import grid_params
from tests.common.twin_factorial import READOUTS, cell_keys, label, run

WEIGHTS = ("incoming", "outgoing")


def d_departure(result: CellResult, *, beyond_decay: bool) -> torch.Tensor:
    """Per seed [S]: largest |final − reference| over D's parameters; the reference is D's
    initial parameters, or (beyond_decay) their AdamW decay replay."""
    design, training = result.design, result.training
    final = reinforcement.circuit_parameters(design, training.final, "D")
    if beyond_decay:
        reference = reinforcement.decay_replay(design, training, result.schedule.steps)
    else:
        reference = reinforcement.circuit_parameters(design, training.initial, "D")
    parts = [(final[n] - reference[n]).abs().flatten(1).amax(dim=1) for n in final]
    return torch.stack(parts).amax(dim=0)


def d_neurons_unmoved(result: CellResult, *, beyond_decay: bool) -> torch.Tensor:
    """Per seed and D neuron, bool [S, width]: the neuron's rows and column equal the reference
    (initial values, or their AdamW decay replay) bit for bit."""
    design, training = result.design, result.training
    final = reinforcement.circuit_parameters(design, training.final, "D")
    if beyond_decay:
        reference = reinforcement.decay_replay(design, training, result.schedule.steps)
    else:
        reference = reinforcement.circuit_parameters(design, training.initial, "D")
    equal = torch.ones(len(SEEDS), design.circuit_width, dtype=torch.bool)
    for name, value in final.items():
        same = value == reference[name]
        if name in ("writes", "motive"):  # [S, rows, width]: a neuron's column
            equal &= same.all(dim=1)
        else:  # [S, width, ...]: a neuron's row
            equal &= same.flatten(2).all(dim=2) if same.dim() > 2 else same
    return equal


def d_unchanged(result: CellResult) -> torch.Tensor:
    """Per seed, bool [S]: D's parameters equal their initial values bit for bit."""
    design, training = result.design, result.training
    initial = reinforcement.circuit_parameters(design, training.initial, "D")
    final = reinforcement.circuit_parameters(design, training.final, "D")
    return torch.tensor(
        [all(torch.equal(final[n][s], initial[n][s]) for n in final) for s in range(len(SEEDS))]
    )


def least_moved(activation: str, optimizer: str, readout: str) -> torch.Tensor:
    result = run(activation, optimizer, readout)
    return reinforcement.least_moved_ratio(result.design, result.training)


def weight_checks(activation: str, optimizer: str) -> list[Check]:
    return [
        Check(
            f"{readout} readout, D's least-moved neuron / A",
            least_moved(activation, optimizer, readout).tolist(),
            below=NOT_REINFORCED,
        )
        for readout in READOUTS
    ]


@functools.cache
def smooth_family() -> dict[str, CellDecision]:
    """The 16 smooth cells of the grid, decided as one family (Holm over all 32 tests)."""
    cells = {label(a, o): weight_checks(a, o) for a in SMOOTH for o in OPTIMIZERS}
    return decide_family(cells, alpha=ALPHA)


def record_exact(measurements, activation: str, optimizer: str) -> list[str]:
    """Record the exact cell; return one line per readout on which D moved."""
    beyond_decay = optimizer == "adamw"
    rows, moved_lines, moved_total, largest = [], [], 0, 0.0
    for readout in READOUTS:
        result = run(activation, optimizer, readout)
        still = d_neurons_unmoved(result, beyond_decay=beyond_decay).any(dim=1)
        departure = d_departure(result, beyond_decay=beyond_decay)
        moved = int((~still).sum())
        moved_total += moved
        largest = max(largest, float(departure.max()))
        rows.append(
            [
                readout,
                moved,
                len(SEEDS),
                float(departure.max()),
                float(result.active.incoming.mean()),
                float(result.inactive.incoming.mean()),
                float(result.inactive.outgoing.mean()),
            ]
        )
        if moved:
            moved_lines.append(
                f"{readout} readout: every neuron of D moved on {moved} of {len(SEEDS)} seeds "
                f"(largest |change| {float(departure.max()):.3g})"
            )
    reference = "its decay replay" if beyond_decay else "its initial values"
    measurements.table(
        f"weights-{activation}-{optimizer}",
        [
            "readout",
            f"seeds with no neuron of D = {reference}",
            "seeds",
            "max |D − reference|",
            "mean ‖Δθ_A,in‖",
            "mean ‖Δθ_D,in‖",
            "mean ‖Δθ_D,out‖",
        ],
        rows,
    )
    measurements.record("seeds_with_every_d_neuron_moved", moved_total, "count")
    measurements.record("seed_cells", len(SEEDS) * len(READOUTS), "count")
    measurements.record("max_abs_d_change", largest)
    return moved_lines


def record_statistical(measurements, decision: CellDecision, activation: str, optimizer: str):
    intervals = decision.intervals
    measurements.record("max_mean_ratio", max(i.mean for i in intervals.values()), "ratio")
    measurements.record("max_ci95_high_ratio", max(i.high for i in intervals.values()), "ratio")
    measurements.record("family_tests", decision.family_size, "count")
    rows = [
        [c.label, c.interval.mean, c.interval.low, c.interval.high, c.p_adjusted["below"]]
        for c in decision.checks
    ]
    for readout in READOUTS:  # the circuit-level ratios of 42fb02f's statement, reported only
        result = run(activation, optimizer, readout)
        for measure in WEIGHTS:
            ratio = result.ratio(measure)
            rows.append(
                [
                    f"{readout} readout, whole circuit {measure} D/A",
                    float(ratio.mean()),
                    "—",
                    "—",
                    "—",
                ]
            )
    measurements.table(
        f"weights-{activation}-{optimizer}",
        ["check", "mean", "95 % low", "95 % high", "Holm-adjusted p of 'mean > 0.1'"],
        rows,
    )


def _evidence_kind(cell: dict[str, str]) -> str:
    """A ReLU-family cell is decided exactly on every fixed seed (D bit-for-bit unchanged): a
    construction; a smooth cell by an interval over seeds: an experiment (README, "Verdict
    rules")."""
    return "construction" if cell_keys(cell)[0] in RELU_FAMILY else "experiment"


@pytest.mark.parametrize("cell", grid_params(CLAIM, WEIGHTS_GRID, _evidence_kind))
def test_the_inactive_circuit_is_not_reinforced_by_the_gradient(cell, measurements):
    activation, optimizer = cell_keys(cell)
    what = f"D after training, {label(activation, optimizer)}"
    if activation in RELU_FAMILY:
        moved = record_exact(measurements, activation, optimizer)
        reference = "its AdamW decay replay" if optimizer == "adamw" else "its initial values"
        assert not moved, f"{what}: no neuron of D equals {reference}:\n" + "\n".join(moved)
        return
    decision = smooth_family()[label(activation, optimizer)]
    record_statistical(measurements, decision, activation, optimizer)
    decision.conclude(f"{what}: D's least-moved neuron / A below {NOT_REINFORCED}")


@pytest.mark.claim("inactive-circuit-not-reinforced/active-circuit-updated", kind="construction")
def test_every_neuron_of_the_active_circuit_is_updated(measurements):
    rows, unchanged, checked = [], 0, 0
    for activation in ASSERTED_ACTIVATIONS:
        for optimizer in ASSERTED_OPTIMIZERS:
            for readout in READOUTS:
                result = run(activation, optimizer, readout)
                counts = result.unchanged_active_neurons()
                unchanged += int(counts.sum())
                checked += counts.numel() * result.design.circuit_width
                rows.append(
                    [
                        f"{label(activation, optimizer)}/{readout}",
                        int(counts.sum()),
                        int((counts > 0).sum()),
                        float(result.active.incoming.min()),
                    ]
                )
    measurements.table(
        "active-circuit-updated",
        ["cell", "A neurons unchanged", "seeds with one", "smallest ‖Δθ_A,in‖"],
        rows,
    )
    measurements.record("a_neurons_unchanged", unchanged, "count")
    measurements.record("a_neurons_checked", checked, "count")
    offending = [f"{row[0]}: {row[1]} neurons on {row[2]} seeds" for row in rows if row[1]]
    assert not offending, "A's incoming parameters exactly unchanged:\n" + "\n".join(offending)


@pytest.mark.claim(
    "inactive-circuit-not-reinforced/adamw-relu-inactive-untouched", kind="construction"
)
def test_adamw_leaves_the_relu_familys_inactive_circuit_exactly_unchanged(measurements):
    rows, offending, ratios = [], [], []
    for activation in RELU_FAMILY:
        for readout in READOUTS:
            result = run(activation, "adamw", readout)
            moved = int((~d_unchanged(result)).sum())
            ratio = float(result.ratio("incoming").mean())
            ratios.append(ratio)
            departure = float(d_departure(result, beyond_decay=False).max())
            rows.append([f"{label(activation, 'adamw')}/{readout}", moved, ratio, departure])
            if moved:
                offending.append(
                    f"{rows[-1][0]}: D moved on {moved} of {len(SEEDS)} seeds "
                    f"(mean D/A incoming ratio {ratio:.3g}, largest |change| {departure:.3g})"
                )
    measurements.table(
        "adamw-relu-inactive-untouched",
        ["cell", "seeds with D moved", "mean D/A incoming ratio", "max |D change|"],
        rows,
    )
    measurements.record("max_mean_incoming_ratio", max(ratios), "ratio")
    measurements.record("seeds_with_d_moved", sum(row[1] for row in rows), "count")
    assert not offending, "D's parameters changed under AdamW:\n" + "\n".join(offending)
