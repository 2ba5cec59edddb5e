"""differential-reinforcement/active-set-*: S20 in random MLP policies, without planted circuits.

Design in claims/experiments/random_policies.py (fixed before the runs): RANDOM_POLICY_SEEDS seeds, each a
random 16 -> 64 -> 4 policy trained with REINFORCE on P1 only, 40 steps × 32 prompts, with each
activation (ReLU, GELU, SiLU) and optimizer (SGD, Adam, AdamW) of the grid; every cell trains
the same drawn policies and prompts. Per seed, the share of (active i, inactive j) neuron pairs
with ‖Δw_i‖ > ‖Δw_j‖ (ties count 1/2) estimates P(active neuron updated more); a seed with an
empty active or inactive set has no pairs and is left out (`seeds_left_out`).

Decision rule: one check per cell, "mean P > 1/2"; the 9 cells are one family
(claims.instruments.statistics.decide_family): HOLDS when the 95 % interval lies above 1/2, FAILS when a
one-sided t-test of "mean P < 1/2", Holm-adjusted over the 9 tests, rejects at ALPHA;
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
    RANDOM_POLICY_OPTIMIZERS,
    RANDOM_POLICY_SEEDS,
)
from claims.experiments import random_policies
from claims.instruments.parametrize import grid_params
from claims.instruments.statistics import CellDecision, Check, decide_family

ACTIVATION_KEYS = {label: key for key, label in RANDOM_POLICY_ACTIVATIONS.items()}
OPTIMIZER_KEYS = {label: key for key, label in RANDOM_POLICY_OPTIMIZERS.items()}
# "More likely than not": the probability the statement puts a lower bound on.
EVEN = 0.5


@functools.cache
def draws() -> random_policies.Draws:
    return random_policies.draw(RANDOM_POLICY_SEEDS)


@functools.cache
def comparison(activation: str, optimizer: str) -> random_policies.Comparison:
    final = random_policies.train(activation, optimizer, draws())
    return random_policies.compare(draws(), final)


@functools.cache
def family() -> dict[str, CellDecision]:
    cells = {
        f"{a}/{o}": [
            Check("P(active neuron updated more)", comparison(a, o).probability, above=EVEN)
        ]
        for a in RANDOM_POLICY_ACTIVATIONS
        for o in RANDOM_POLICY_OPTIMIZERS
    }
    return decide_family(cells, alpha=ALPHA)


@pytest.mark.parametrize("cell", grid_params(CLAIM, ACTIVE_SET_GRID, "experiment"))
def test_neurons_active_on_the_training_prompts_are_more_likely_to_be_reinforced(
    cell, measurements
):
    activation = ACTIVATION_KEYS[cell["activation"]]
    optimizer = OPTIMIZER_KEYS[cell["optimizer"]]
    found = comparison(activation, optimizer)
    decision = family()[f"{activation}/{optimizer}"]
    (interval,) = decision.intervals.values()
    active, inactive = random_policies.neuron_sets(draws())
    measurements.record("probability_mean", interval.mean, "probability")
    measurements.record("probability_ci95_low", interval.low, "probability")
    measurements.record("probability_ci95_high", interval.high, "probability")
    measurements.record(
        "active_over_inactive_update",
        math.fsum(found.active_norm) / math.fsum(found.inactive_norm),
        "ratio",
    )
    measurements.record("seeds_left_out", found.left_out, "count")
    measurements.record("seeds_used", len(found.probability), "count")
    measurements.record("active_set_size_mean", active.double().sum(dim=1).mean().item(), "count")
    measurements.record(
        "inactive_set_size_mean", inactive.double().sum(dim=1).mean().item(), "count"
    )
    decision.conclude(f"P(‖Δw_active‖ > ‖Δw_inactive‖), {cell['activation']}/{cell['optimizer']}")
