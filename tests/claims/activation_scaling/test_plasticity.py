"""activation-scaling, S03 as the argument uses it: an active neuron's outgoing weights are moved
by the optimizer, a silent neuron's are not (grid active-neuron-plastic, asserted); and the
graded reading, a neuron more active moves more (grid more-active-more-plastic, beyond).

On/off: Hypothesis draws, per step, a vector of activations in which some neurons are silent
(a_j = 0) on every step and the others are nonzero at the step measured. One layer y = W a with
a squared-error loss against a drawn target (claims.instruments.optimizers.column_updates), so
every δ_k is generically nonzero. A silent column must be exactly unchanged (SGD, Adam: Adam's
moments stay 0 and its step is 0/(0 + eps)), or, for AdamW, equal bit for bit to its value
multiplied by (1 − lr·λ) once per step (optimizers.decoupled_decay); an active column must move.
Graded: the fixed layer of the update-ratio measure (a = 10 against a = 0.1,
optimizers.canonical_update_ratio), one construction per cell.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from claims.catalog.activation_scaling import CLAIM as ACTIVATION_SCALING
from claims.catalog.activation_scaling import MONOTONE_GRID, PLASTIC_GRID
from claims.instruments import optimizers
from claims.instruments.strategies import ACTIVATION_LEVELS, SEEDS
from claims.pytest.parametrize import grid_params

OPTIMIZER_KEYS = {"SGD": "sgd", "Adam": "adam", "AdamW": "adamw"}
OUTPUT_WIDTHS = st.integers(min_value=1, max_value=8)
# Per step, the levels of the neurons that are active at that step; the silent neurons are
# appended as zeros on every step.
ACTIVE_LEVELS = st.lists(ACTIVATION_LEVELS, min_size=1, max_size=4)


@st.composite
def step_activations(draw, steps: int) -> tuple[list[torch.Tensor], int]:
    """``steps`` activation vectors sharing their silent neurons (the last ``silent`` columns)."""
    active = draw(st.integers(min_value=1, max_value=4))
    silent = draw(st.integers(min_value=1, max_value=3))
    vectors = []
    for _ in range(steps):
        levels = draw(st.lists(ACTIVATION_LEVELS, min_size=active, max_size=active))
        vectors.append(torch.tensor(levels + [0.0] * silent, dtype=torch.float64))
    return vectors, silent


ONE_STEP = step_activations(1)
LATER_STEPS = st.integers(min_value=2, max_value=4).flatmap(step_activations)


def check_on_off(optimizer: str, vectors, silent: int, outputs: int, seed: int, measurements):
    steps = optimizers.column_updates(optimizer, vectors, outputs=outputs, seed=seed)
    first = 1 if len(steps) > 1 else 0  # later steps: every step after the first
    lr, weight_decay = optimizers.adamw_hyperparameters()
    moved_silent, still_active = 0, 0
    for index in range(first, len(steps)):
        step, active = steps[index], vectors[index] != 0
        for column in range(len(vectors[index])):
            update = step.update[:, column]
            if active[column]:
                still_active += int(torch.equal(update, torch.zeros_like(update)))
                continue
            before = step.before[:, column]
            expected = (
                optimizers.decoupled_decay(before, 1, lr=lr, weight_decay=weight_decay)
                if optimizer == "adamw"
                else before
            )
            moved_silent += int(not torch.equal(before + update, expected))
    measurements.count("silent_columns_moved", moved_silent)
    measurements.count("active_columns_still", still_active)
    assert moved_silent == 0 and still_active == 0, (
        f"{optimizer}: activations {[v.tolist() for v in vectors]} (last {silent} silent): "
        f"{moved_silent} silent columns moved beyond {'the decay' if optimizer == 'adamw' else 0}, "
        f"{still_active} active columns did not move"
    )


def plastic_cells(step: str) -> list:
    """The active-neuron-plastic cells of one step column (grid_params' pytest.param values)."""
    cells = grid_params(ACTIVATION_SCALING, PLASTIC_GRID, "property")
    return [case for case in cells if case.values[0]["step"] == step]


@pytest.mark.parametrize("cell", plastic_cells("step 1"))
@given(drawn=ONE_STEP, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_the_first_step_moves_active_neurons_weights_and_no_silent_ones(
    cell, drawn, outputs, seed, measurements
):
    vectors, silent = drawn
    check_on_off(OPTIMIZER_KEYS[cell["optimizer"]], vectors, silent, outputs, seed, measurements)


@pytest.mark.parametrize("cell", plastic_cells("steps 2-4"))
@given(drawn=LATER_STEPS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_later_steps_move_active_neurons_weights_and_no_silent_ones(
    cell, drawn, outputs, seed, measurements
):
    vectors, silent = drawn
    check_on_off(OPTIMIZER_KEYS[cell["optimizer"]], vectors, silent, outputs, seed, measurements)


@pytest.mark.parametrize("cell", grid_params(ACTIVATION_SCALING, MONOTONE_GRID, "construction"))
def test_a_neuron_more_active_moves_its_outgoing_weights_more(cell, measurements):
    optimizer = OPTIMIZER_KEYS[cell["optimizer"]]
    first = cell["step"] == "step 1"
    ratio = optimizers.canonical_update_ratio(optimizer, step=1 if first else 3)
    measurements.record("monotone_ratio" if first else "monotone_ratio_at_step_3", ratio, "ratio")
    assert ratio > 1, (
        f"{cell['optimizer']} ({cell['step']}): the neuron with a = 10 moved its outgoing weights "
        f"{ratio:.9g}× as much as the one with a = 0.1"
    )
