"""differential-reinforcement: S20 in random MLP policies, without planted circuits.

Two grids read the same runs: active-set-reinforced (asserted for ReLU, GELU and tanh-GELU: a
neuron is reinforced when its own contribution to the rewarded action's logit margin, where it
fires, rises; per seed the share of the active set reinforced minus the share of the inactive
set: random_policies.compare_signed) and active-set-favoured (beyond: the size of the incoming
update, pairwise, random_policies.compare).

Design in the catalog (RANDOM_POLICY_*, fixed before the runs; claims/experiments/random_policies.py
runs it): RANDOM_POLICY_SEEDS seeds, each a random policy of RANDOM_POLICY_WIDTHS trained with
REINFORCE on P1 only, RANDOM_POLICY_STEPS steps × RANDOM_POLICY_BATCH prompts, with each
activation (ReLU, GELU, SiLU) and optimizer (SGD, Adam, AdamW) of the grid; every cell trains
the same drawn policies and prompts. Per seed, the share of (active i, inactive j) neuron pairs
with ‖Δw_i‖ > ‖Δw_j‖ (ties count 1/2) estimates P(active neuron updated more); a seed with an
empty active or inactive set has no pairs and is left out (`seeds_left_out`).

Decision rules, one check per cell, each grid's 12 cells one family
(claims.instruments.statistics.decide_family): active-set-reinforced "mean difference > 0",
active-set-favoured "mean P > 1/2"; HOLDS when the 95 % interval lies on that side, FAILS when a
one-sided t-test of the opposite, Holm-adjusted over the 12 tests, rejects at ALPHA;
INCONCLUSIVE otherwise. Effect size: (sum over kept seeds of the active set's mean ‖Δw‖) divided
by (the same for the inactive set).
"""

from __future__ import annotations

import functools
import math

import pytest

from claims.catalog.differential_reinforcement import (
    ACTIVE_SET_GRID,
    ALPHA,
    CLAIM,
    RANDOM_POLICY_ACTIVATIONS,
    RANDOM_POLICY_ACTIVE_ON,
    RANDOM_POLICY_BATCH,
    RANDOM_POLICY_OPTIMIZERS,
    RANDOM_POLICY_PROBE,
    RANDOM_POLICY_SEEDS,
    RANDOM_POLICY_SHIFT,
    RANDOM_POLICY_SILENT_ON,
    RANDOM_POLICY_STEPS,
    RANDOM_POLICY_WIDTHS,
    SIGNED_SET_GRID,
)
from claims.experiments import random_policies
from claims.instruments.statistics import CellDecision, Check, decide_family
from claims.pytest.parametrize import grid_params

ACTIVATION_KEYS = {label: key for key, label in RANDOM_POLICY_ACTIVATIONS.items()}
OPTIMIZER_KEYS = {label: key for key, label in RANDOM_POLICY_OPTIMIZERS.items()}
# The catalog's design, as the experiment takes it.
DESIGN = random_policies.Design(
    widths=RANDOM_POLICY_WIDTHS,
    shift=RANDOM_POLICY_SHIFT,
    probe=RANDOM_POLICY_PROBE,
    active_on=RANDOM_POLICY_ACTIVE_ON,
    silent_on=RANDOM_POLICY_SILENT_ON,
    steps=RANDOM_POLICY_STEPS,
    batch=RANDOM_POLICY_BATCH,
)
# "More likely than not": the probability the statement puts a lower bound on.
EVEN = 0.5


@functools.cache
def draws() -> random_policies.Draws:
    return random_policies.draw(RANDOM_POLICY_SEEDS, DESIGN)


@functools.cache
def trained(activation: str, optimizer: str) -> dict:
    return random_policies.train(activation, optimizer, draws())


@functools.cache
def comparison(activation: str, optimizer: str) -> random_policies.Comparison:
    return random_policies.compare(draws(), trained(activation, optimizer))


@functools.cache
def signed(activation: str, optimizer: str) -> random_policies.SignedComparison:
    return random_policies.compare_signed(draws(), trained(activation, optimizer), activation)


@functools.cache
def update_family() -> dict[str, CellDecision]:
    """active-set-favoured's cells, one family (Holm over its 12 tests)."""
    cells = {
        f"{a}/{o}": [
            Check("P(active neuron updated more)", comparison(a, o).probability, above=EVEN)
        ]
        for a in RANDOM_POLICY_ACTIVATIONS
        for o in RANDOM_POLICY_OPTIMIZERS
    }
    return decide_family(cells, alpha=ALPHA)


@functools.cache
def signed_family() -> dict[str, CellDecision]:
    """active-set-reinforced's cells, one family (Holm over its 12 tests)."""
    cells = {
        f"{a}/{o}": [
            Check(
                "share of active reinforced − share of inactive", signed(a, o).difference, above=0.0
            )
        ]
        for a in RANDOM_POLICY_ACTIVATIONS
        for o in RANDOM_POLICY_OPTIMIZERS
    }
    return decide_family(cells, alpha=ALPHA)


def record_sets(found, measurements) -> None:
    active, inactive = random_policies.neuron_sets(draws())
    measurements.record("seeds_left_out", found.left_out, "count")
    measurements.record("active_set_size_mean", active.double().sum(dim=1).mean().item(), "count")
    measurements.record(
        "inactive_set_size_mean", inactive.double().sum(dim=1).mean().item(), "count"
    )


def mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


@pytest.mark.parametrize("cell", grid_params(CLAIM, SIGNED_SET_GRID, "experiment"))
def test_neurons_active_on_the_training_prompts_are_more_likely_pushed_towards_the_reward(
    cell, measurements
):
    activation = ACTIVATION_KEYS[cell["activation"]]
    optimizer = OPTIMIZER_KEYS[cell["optimizer"]]
    found = signed(activation, optimizer)
    decision = signed_family()[f"{activation}/{optimizer}"]
    (interval,) = decision.intervals.values()
    record_sets(found, measurements)
    measurements.record("difference_mean", interval.mean, "fraction")
    measurements.record("difference_ci95_low", interval.low, "fraction")
    measurements.record("difference_ci95_high", interval.high, "fraction")
    measurements.record("active_share_mean", mean(found.active_share), "fraction")
    measurements.record("inactive_share_mean", mean(found.inactive_share), "fraction")
    measurements.record("active_change_mean", mean(found.active_mean))
    measurements.record("inactive_change_mean", mean(found.inactive_mean))
    decision.conclude(
        "share of active neurons reinforced − share of inactive ones, "
        f"{cell['activation']}/{cell['optimizer']}"
    )


@pytest.mark.parametrize("cell", grid_params(CLAIM, ACTIVE_SET_GRID, "experiment"))
def test_neurons_active_on_the_training_prompts_are_more_likely_to_be_reinforced(
    cell, measurements
):
    activation = ACTIVATION_KEYS[cell["activation"]]
    optimizer = OPTIMIZER_KEYS[cell["optimizer"]]
    found = comparison(activation, optimizer)
    decision = update_family()[f"{activation}/{optimizer}"]
    (interval,) = decision.intervals.values()
    record_sets(found, measurements)
    measurements.record("probability_mean", interval.mean, "probability")
    measurements.record("probability_ci95_low", interval.low, "probability")
    measurements.record("probability_ci95_high", interval.high, "probability")
    measurements.record(
        "active_over_inactive_update",
        math.fsum(found.active_mean) / math.fsum(found.inactive_mean),
        "ratio",
    )
    decision.conclude(f"P(‖Δw_active‖ > ‖Δw_inactive‖), {cell['activation']}/{cell['optimizer']}")
