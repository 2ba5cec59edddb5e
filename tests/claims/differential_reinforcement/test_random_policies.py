"""differential-reinforcement/active-set-updated-more: S20 in random MLP policies.

Design in claims/random_policies.py (fixed before any result was seen): 64 seeds (0..63), each a
random 16 -> 64 -> 4 policy trained with REINFORCE on P1 only, 40 steps × 32 prompts. Per seed,
the share of (active i, inactive j) neuron pairs with ‖Δw_i‖ > ‖Δw_j‖ (ties count 1/2) estimates
P(active neuron updated more); a seed with an empty active or inactive set has no pairs and is
left out (count recorded as `<cell>_seeds_left_out`). Decision: Student-t 95 % interval over seeds
of that share against 1/2 (claims.statistics.decide_above) in each of ReLU/SGD, ReLU/Adam,
GELU/SGD, GELU/Adam; the proposition holds only if every cell holds, fails if any cell fails,
and is INCONCLUSIVE otherwise. Effect size: (mean over seeds of the active set's mean ‖Δw‖) divided
by (the same for the inactive set).
"""

import math

import pytest

from claims import random_policies
from claims.statistics import decide_all_above, mean_interval

SEEDS = tuple(range(64))
CELLS = (("relu", "sgd"), ("relu", "adam"), ("gelu", "sgd"), ("gelu", "adam"))


@pytest.mark.claim("differential-reinforcement/active-set-updated-more", kind="experiment")
def test_neurons_active_on_the_training_prompts_get_larger_updates_than_silent_ones(
    measurements,
):
    draws = random_policies.draw(SEEDS)
    active, inactive = random_policies.neuron_sets(draws)
    measurements.record("active_set_size_mean", active.double().sum(dim=1).mean().item(), "count")
    measurements.record(
        "inactive_set_size_mean", inactive.double().sum(dim=1).mean().item(), "count"
    )
    intervals, rows = {}, []
    for activation, optimizer in CELLS:
        cell = f"{activation}/{optimizer}"
        final = random_policies.train(activation, optimizer, draws)
        comparison = random_policies.compare(draws, final)
        interval = mean_interval(comparison.probability)
        effect = math.fsum(comparison.active_norm) / math.fsum(comparison.inactive_norm)
        intervals[cell] = interval
        rows.append([cell, interval.mean, interval.low, interval.high, effect, comparison.left_out])
        measurements.record(f"{activation}_{optimizer}_probability_mean", interval.mean, "fraction")
        measurements.record(f"{activation}_{optimizer}_probability_ci95_low", interval.low)
        measurements.record(f"{activation}_{optimizer}_probability_ci95_high", interval.high)
        measurements.record(f"{activation}_{optimizer}_active_over_inactive_update", effect)
        measurements.record(
            f"{activation}_{optimizer}_seeds_left_out", comparison.left_out, "count"
        )
    measurements.table(
        "active-set-updated-more",
        [
            "cell",
            "P(active updated more) mean",
            "95 % low",
            "95 % high",
            "mean ‖Δw‖ active / inactive",
            "seeds left out",
        ],
        rows,
    )
    decide_all_above(intervals, 0.5, what="P(‖Δw_active‖ > ‖Δw_inactive‖)")
