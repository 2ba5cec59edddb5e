"""activation-scaling, S05: a circuit that would produce the rewarded output for other reasons is
reinforced through the downstream weights it shares with the active circuit.

Design: the twin-circuit factorial as inactive-circuit-not-reinforced pre-registered it (read
through tests/common/twin_factorial.py, the runs both other claims read), shared readout: A and D
both write one motive unit, whose weights to the actions they share. Measure, per seed
(claims.experiments.reinforcement.shared_path_change): the rewarded logit through D alone on a
noiseless trigger prompt, with D's own parameters at their initial values and the shared weights
trained, minus the same before training. Decision (grid rewarded-output-circuit-rides-along, one
family): HOLDS when the 95 % interval lies above 0; FAILS when a one-sided t-test of "mean < 0",
Holm-adjusted over the grid's 6 tests, rejects at ALPHA; INCONCLUSIVE otherwise.
"""

import functools

import pytest

from claims.catalog.activation_scaling import CLAIM, RIDE_ACTIVATIONS, RIDE_GRID, RIDE_OPTIMIZERS
from claims.catalog.inactive_circuit_not_reinforced import ALPHA
from claims.experiments import reinforcement
from claims.instruments.statistics import CellDecision, Check, decide_family
from claims.pytest.parametrize import grid_params
from tests.common.twin_factorial import run

ACTIVATION_KEYS = {label: key for key, label in RIDE_ACTIVATIONS.items()}
OPTIMIZER_KEYS = {label: key for key, label in RIDE_OPTIMIZERS.items()}


def ride_along(activation: str, optimizer: str) -> list[float]:
    result = run(activation, optimizer, "shared")
    return reinforcement.shared_path_change(result.design, result.training).tolist()


@functools.cache
def family() -> dict[str, CellDecision]:
    cells = {
        f"{a}/{o}": [
            Check("D's rewarded logit through the shared weights", ride_along(a, o), above=0.0)
        ]
        for a in RIDE_ACTIVATIONS
        for o in RIDE_OPTIMIZERS
    }
    return decide_family(cells, alpha=ALPHA)


@pytest.mark.parametrize("cell", grid_params(CLAIM, RIDE_GRID, "experiment"))
def test_the_twin_rides_along_through_the_shared_downstream_weights(cell, measurements):
    activation = ACTIVATION_KEYS[cell["activation"]]
    optimizer = OPTIMIZER_KEYS[cell["optimizer"]]
    decision = family()[f"{activation}/{optimizer}"]
    (interval,) = decision.intervals.values()
    result = run(activation, optimizer, "shared")
    measurements.record("ride_along_mean", interval.mean, "logit")
    measurements.record("ride_along_ci95_low", interval.low, "logit")
    measurements.record("ride_along_ci95_high", interval.high, "logit")
    measurements.record("a_behaviour_mean", result.active.behaviour.mean().item(), "logit")
    measurements.record("d_total_behaviour_mean", result.inactive.behaviour.mean().item(), "logit")
    decision.conclude(
        f"D's rewarded behaviour through the shared weights rises, {cell['activation']}/"
        f"{cell['optimizer']}"
    )
