"""differential-reinforcement: the twin-circuit factorial, read proposition by proposition.

Every test reads the same cached runs (claims.factorial: 6 activations × 4 optimizers × 2
readouts, 64 seeds per cell, REINFORCE for 40 steps). A ratio is D's change over A's on one seed
(claims.reinforcement); statistical propositions decide per cell on the 95 % Student-t interval
of the mean ratio (claims.statistics.decide_all_below) against the catalog's thresholds; the
exact-zero propositions check every seed. Evidence is recorded before any decision, so a failing
or undecided test still reports its numbers.
"""

from collections.abc import Callable, Sequence

import pytest

from claims import factorial, reinforcement_figures
from claims.catalog.differential_reinforcement import DISPROPORTIONATE, NOT_REINFORCED
from claims.factorial import Cell
from claims.statistics import Interval, decide_all_below, mean_interval

RELU_FAMILY = ("relu", "reglu")
SMOOTH = ("gelu", "gelu-tanh", "silu", "swiglu")
SGD_FAMILY = ("sgd", "sgd-momentum")
ADAM_FAMILY = ("adam", "adamw")
WEIGHTS = ("incoming", "outgoing")
MEASURES = (*WEIGHTS, "behaviour")
TRAJECTORY_CELLS = (
    Cell("relu", "sgd", "private"),
    Cell("gelu", "sgd", "private"),
    Cell("gelu", "adam", "private"),
    Cell("swiglu", "adamw", "private"),
)


def cell_intervals(cells: Sequence[Cell], measure: str) -> dict[str, Interval]:
    """Cell label -> 95 % interval of the mean D/A ratio of ``measure`` over the cell's seeds."""
    return {c.label: mean_interval(factorial.run(c).ratio(measure).tolist()) for c in cells}


def record_ratios(
    measurements,
    title: str,
    cells: Sequence[Cell],
    measures: Sequence[str],
    extra: dict[str, Callable[[Cell], float]] | None = None,
) -> dict[str, dict[str, Interval]]:
    """One table (rows = cells) of mean ratio and interval per measure, plus summary numbers."""
    extra = extra or {}
    intervals = {m: cell_intervals(cells, m) for m in measures}
    columns = ["cell"]
    for m in measures:
        columns += [f"mean {m} ratio", f"{m} CI low", f"{m} CI high"]
    rows = []
    for cell in cells:
        row: list = [cell.label]
        for m in measures:
            interval = intervals[m][cell.label]
            row += [interval.mean, interval.low, interval.high]
        rows.append(row + [value(cell) for value in extra.values()])
    measurements.table(title, columns + list(extra), rows)
    measurements.record("cells", len(cells), "count")
    measurements.record("seeds_per_cell", len(factorial.SEEDS), "count")
    for m in measures:
        means = {label: i.mean for label, i in intervals[m].items()}
        measurements.record(f"max_mean_{m}_ratio", max(means.values()))
        measurements.record(f"min_mean_{m}_ratio", min(means.values()))
        measurements.record(f"max_ci95_high_{m}_ratio", max(i.high for i in intervals[m].values()))
        measurements.record(f"min_ci95_low_{m}_ratio", min(i.low for i in intervals[m].values()))
    return intervals


def by_cell_and_measure(intervals: dict[str, dict[str, Interval]]) -> dict[str, Interval]:
    return {f"{label} {m}": i for m, cells in intervals.items() for label, i in cells.items()}


def moved_seeds(cell: Cell, measure: str) -> int:
    """Seeds on which D's ``measure`` change (a norm, or the behaviour change) is not exactly 0."""
    return int((getattr(factorial.run(cell).inactive, measure) != 0).sum())


def largest_change(cell: Cell, measure: str) -> float:
    return float(getattr(factorial.run(cell).inactive, measure).abs().max())


def mean_change(cell: Cell, circuit: str, measure: str) -> float:
    result = factorial.run(cell)
    return float(getattr(result.active if circuit == "A" else result.inactive, measure).mean())


def exact_zero_columns(measures: Sequence[str]) -> dict[str, Callable[[Cell], float]]:
    """Table columns that need no ratio (so they stay defined even if A did not move)."""
    columns = {}
    for m in measures:
        columns[f"mean A {m} change"] = lambda cell, m=m: mean_change(cell, "A", m)
        columns[f"mean D {m} change"] = lambda cell, m=m: mean_change(cell, "D", m)
        columns[f"seeds with D {m} ≠ 0"] = lambda cell, m=m: moved_seeds(cell, m)
        columns[f"max |D {m} change|"] = lambda cell, m=m: largest_change(cell, m)
    return columns


def assert_exactly_unchanged(measurements, cells: Sequence[Cell], measures: Sequence[str]):
    """Every seed of every cell: D's change in each measure is exactly zero."""
    for m in measures:
        measurements.record(
            f"seeds_with_d_{m}_change", sum(moved_seeds(c, m) for c in cells), "count"
        )
        measurements.record(f"max_abs_d_{m}_change", max(largest_change(c, m) for c in cells))
    offending = [
        f"{c.label}: D's {m} changed on {moved_seeds(c, m)} of {len(factorial.SEEDS)} seeds "
        f"(largest |change| {largest_change(c, m):.3g})"
        for c in cells
        for m in measures
        if moved_seeds(c, m)
    ]
    assert not offending, "D is not exactly unchanged:\n" + "\n".join(offending)


@pytest.mark.claim("differential-reinforcement/relu-family-inactive-untouched", kind="experiment")
def test_relu_family_leaves_the_inactive_circuit_exactly_unchanged(measurements):
    cells = factorial.cells(activations=RELU_FAMILY, optimizers=(*SGD_FAMILY, "adam"))
    # The statement is about D alone: no ratio, so the evidence stands even if A never moved.
    record_ratios(
        measurements,
        "ReLU family, SGD/momentum/Adam: weight changes of A and D, exact-zero counts per cell",
        cells,
        (),
        exact_zero_columns(WEIGHTS),
    )
    assert_exactly_unchanged(measurements, cells, WEIGHTS)


@pytest.mark.claim("differential-reinforcement/smooth-sgd-disproportionate", kind="experiment")
def test_smooth_activations_under_sgd_move_the_inactive_circuit_less_than_the_active_one(
    measurements,
):
    cells = factorial.cells(activations=SMOOTH, optimizers=SGD_FAMILY)
    intervals = record_ratios(
        measurements, "Smooth activations, SGD/momentum: D/A weight ratios", cells, WEIGHTS
    )
    decide_all_below(
        by_cell_and_measure(intervals), DISPROPORTIONATE, what="D/A weight-change ratio"
    )


@pytest.mark.claim("differential-reinforcement/smooth-sgd-effectively-untouched", kind="experiment")
def test_smooth_activations_under_sgd_move_the_inactive_circuit_under_a_tenth_of_the_active_one(
    measurements,
):
    cells = factorial.cells(activations=SMOOTH, optimizers=SGD_FAMILY)
    intervals = record_ratios(
        measurements, "Smooth activations, SGD/momentum: D/A weight ratios vs 0.1", cells, WEIGHTS
    )
    decide_all_below(by_cell_and_measure(intervals), NOT_REINFORCED, what="D/A weight-change ratio")


@pytest.mark.claim("differential-reinforcement/adam-smooth-disproportionate", kind="experiment")
def test_smooth_activations_under_adam_move_the_inactive_circuit_less_than_the_active_one(
    measurements,
):
    cells = factorial.cells(activations=SMOOTH, optimizers=ADAM_FAMILY)
    intervals = record_ratios(
        measurements, "Smooth activations, Adam/AdamW: D/A weight ratios", cells, WEIGHTS
    )
    pairs = by_cell_and_measure(intervals).values()
    above = [i for i in pairs if i.low > DISPROPORTIONATE]
    straddling = [i for i in pairs if i.low <= DISPROPORTIONATE <= i.high]
    measurements.record("cell_measures_wholly_above_threshold", len(above), "count")
    measurements.record("cell_measures_straddling_threshold", len(straddling), "count")
    decide_all_below(
        by_cell_and_measure(intervals), DISPROPORTIONATE, what="D/A weight-change ratio"
    )


@pytest.mark.claim("differential-reinforcement/adamw-relu-inactive-untouched", kind="experiment")
def test_relu_family_under_adamw_leaves_the_inactive_circuit_exactly_unchanged(measurements):
    cells = factorial.cells(activations=RELU_FAMILY, optimizers=("adamw",))
    record_ratios(
        measurements,
        "ReLU family, AdamW: D/A ratios and exact-zero counts per cell",
        cells,
        WEIGHTS,
        exact_zero_columns(WEIGHTS),
    )
    assert_exactly_unchanged(measurements, cells, WEIGHTS)


@pytest.mark.claim(
    "differential-reinforcement/shared-readout-behaviour-untouched", kind="experiment"
)
def test_relu_family_with_a_shared_readout_leaves_the_triggered_behaviour_exactly_unchanged(
    measurements,
):
    cells = factorial.cells(
        activations=RELU_FAMILY, optimizers=(*SGD_FAMILY, "adam"), readouts=("shared",)
    )
    record_ratios(
        measurements,
        "ReLU family, shared readout: behaviour ratio and exact-zero counts per cell",
        cells,
        ("behaviour",),
        exact_zero_columns(("behaviour",)),
    )
    nonzero = {c.label: int((factorial.run(c).ratio("behaviour") != 0).sum()) for c in cells}
    measurements.record("seeds_with_nonzero_behaviour_ratio", sum(nonzero.values()), "count")
    offending = [f"{label}: ratio ≠ 0 on {n} seeds" for label, n in nonzero.items() if n]
    assert not offending, "D's triggered behaviour changed:\n" + "\n".join(offending)


@pytest.mark.claim("differential-reinforcement/behaviour-favours-active-circuit", kind="experiment")
def test_training_reinforces_the_active_circuits_behaviour_more_than_the_inactive_ones(
    measurements,
):
    cells = list(factorial.CELLS)
    intervals = record_ratios(measurements, "Whole factorial: D/A ratios per cell", cells, MEASURES)
    below_zero = [i for i in intervals["behaviour"].values() if i.high < 0]
    measurements.record("cells_with_behaviour_ratio_below_zero", len(below_zero), "count")
    measurements.figure(
        "twin-circuit-matrix",
        reinforcement_figures.ratio_matrix(
            [c.label for c in cells],
            [f"{m} ratio" for m in MEASURES],
            [[intervals[m][c.label].mean for m in MEASURES] for c in cells],
        ),
    )
    measurements.figure(
        "twin-circuit-trajectories",
        reinforcement_figures.trajectories([factorial.run(c) for c in TRAJECTORY_CELLS]),
    )
    decide_all_below(intervals["behaviour"], DISPROPORTIONATE, what="D/A behaviour-change ratio")
