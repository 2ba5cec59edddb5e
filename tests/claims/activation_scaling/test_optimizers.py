"""activation-scaling: does a bigger activation mean a bigger update (S03's plasticity)?

Each test records update_ratio_a10_vs_a0.1 for its optimizer on one fixed layer, then asserts
its proposition over Hypothesis-drawn activations.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from claims.instruments import optimizers
from claims.instruments.strategies import ACTIVATION_LEVELS, SEEDS

ACTIVATION_VECTORS = st.lists(ACTIVATION_LEVELS, min_size=2, max_size=8)
OUTPUT_WIDTHS = st.integers(min_value=1, max_value=8)


def check_proportional(
    step: optimizers.Step, activations: torch.Tensor, index: int, measurements
) -> None:
    """Column update norms relative to column 0 must equal |a_j| / |a_0| up to rounding."""
    norms = optimizers.column_norms(step.update)
    magnitudes = activations.abs()
    measured, expected = norms / norms[0], magnitudes / magnitudes[0]
    tolerance = step.column_tolerance()
    allowed = tolerance + tolerance[0]
    deviation = (measured - expected).abs() / expected
    measurements.maximum("max_deviation_over_rounding_bound", (deviation / allowed).max())
    assert (deviation <= allowed).all(), (
        f"step {index}: activations {activations.tolist()} give column update norms "
        f"{norms.tolist()}; ratios {measured.tolist()} vs activation ratios {expected.tolist()}"
    )


def first_step(optimizer, levels, outputs, seed, measurements):
    measurements.record("update_ratio_a10_vs_a0.1", optimizers.canonical_update_ratio(optimizer))
    activations = torch.tensor(levels, dtype=torch.float64)
    (step,) = optimizers.column_updates(optimizer, [activations], outputs=outputs, seed=seed)
    check_proportional(step, activations, 1, measurements)


@pytest.mark.claim("activation-scaling/sgd-update-proportional", kind="property")
@given(levels=ACTIVATION_VECTORS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_an_sgd_step_scales_each_neurons_outgoing_update_by_its_activation(
    levels, outputs, seed, measurements
):
    first_step("sgd", levels, outputs, seed, measurements)


@pytest.mark.claim("activation-scaling/momentum-first-step-proportional", kind="property")
@given(levels=ACTIVATION_VECTORS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_the_first_momentum_step_scales_updates_by_activation(levels, outputs, seed, measurements):
    first_step("sgd-momentum", levels, outputs, seed, measurements)


@pytest.mark.claim("activation-scaling/adam-update-proportional", kind="property")
@given(levels=ACTIVATION_VECTORS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_the_first_adam_step_scales_updates_by_activation(levels, outputs, seed, measurements):
    first_step("adam", levels, outputs, seed, measurements)


@pytest.mark.claim("activation-scaling/adamw-update-proportional", kind="property")
@given(levels=ACTIVATION_VECTORS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_the_first_adamw_step_scales_updates_by_activation(levels, outputs, seed, measurements):
    first_step("adamw", levels, outputs, seed, measurements)


# Two to four steps, each on its own example: step 1 primes the optimizer's state, the others
# are the "later steps" of the catalog (statements: steps 2-4 with the step's own activations).
LATER_STEPS = st.lists(st.lists(ACTIVATION_LEVELS, min_size=2, max_size=2), min_size=2, max_size=4)


def later_steps(optimizer, steps, outputs, seed, measurements):
    measurements.record(
        "update_ratio_a10_vs_a0.1_at_step_3", optimizers.canonical_update_ratio(optimizer, step=3)
    )
    activations = [torch.tensor(levels, dtype=torch.float64) for levels in steps]
    updates = optimizers.column_updates(optimizer, activations, outputs=outputs, seed=seed)
    for index, (step, current) in enumerate(zip(updates, activations, strict=True), start=1):
        if index > 1:
            check_proportional(step, current, index, measurements)


@pytest.mark.claim("activation-scaling/sgd-later-steps-proportional", kind="property")
@given(steps=LATER_STEPS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_later_sgd_steps_scale_updates_by_the_current_activation(
    steps, outputs, seed, measurements
):
    later_steps("sgd", steps, outputs, seed, measurements)


@pytest.mark.claim("activation-scaling/momentum-later-steps-proportional", kind="property")
@given(steps=LATER_STEPS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_later_momentum_steps_scale_updates_by_the_current_activation(
    steps, outputs, seed, measurements
):
    later_steps("sgd-momentum", steps, outputs, seed, measurements)


@pytest.mark.claim("activation-scaling/adam-later-steps-proportional", kind="property")
@given(steps=LATER_STEPS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_later_adam_steps_scale_updates_by_the_current_activation(
    steps, outputs, seed, measurements
):
    later_steps("adam", steps, outputs, seed, measurements)


@pytest.mark.claim("activation-scaling/adamw-later-steps-proportional", kind="property")
@given(steps=LATER_STEPS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_later_adamw_steps_scale_updates_by_the_current_activation(
    steps, outputs, seed, measurements
):
    later_steps("adamw", steps, outputs, seed, measurements)


@pytest.mark.claim("activation-scaling/adamw-silent-neuron-unchanged", kind="property")
@given(level=ACTIVATION_LEVELS, outputs=OUTPUT_WIDTHS, seed=SEEDS)
def test_an_adamw_step_leaves_a_silent_neurons_outgoing_weights_alone(
    level, outputs, seed, measurements
):
    activations = torch.tensor([level, 0.0], dtype=torch.float64)
    (step,) = optimizers.column_updates("adamw", [activations], outputs=outputs, seed=seed)
    update = step.update
    relative = (
        torch.linalg.vector_norm(update[:, 1]) / torch.linalg.vector_norm(step.before[:, 1])
    ).item()
    measurements.record("silent_column_relative_change", relative, "fraction")
    assert torch.equal(update[:, 1], torch.zeros_like(update[:, 1])), (
        f"a_1 = 0, yet AdamW moved its outgoing weights by {relative:.3g} of their norm"
    )
