"""inactive-circuit-not-reinforced: S11 in a real chat model trained by GRPO.

ci tier (tests/common/chat_runs.py): the ReLU control's neurons never open over the run have their
gate rows, up rows and down columns exactly unchanged (claims.experiments.chat.tracking: the
largest update of a never-active neuron, per part, at the last checkpoint).

deep tier (the committed reports/deep/deep-chat.json, used while fresh): per run, the quietest
tenth of the neurons inactive over the run (gate open on at most RARELY_ACTIVE of its training
tokens) against the active neurons' median incoming update (tracking.quiet_neurons), one
deterministic measurement per run against EFFECTIVELY; the curves over checkpoints are drawn.
"""

import pytest

from claims.catalog.chat_design import EFFECTIVELY, QUIET_QUANTILE, RARELY_ACTIVE, RELU_RUN_LABEL
from claims.catalog.inactive_circuit_not_reinforced import CHAT_GRID, CHAT_RUNS, CLAIM
from claims.experiments.chat import run_figures
from claims.pytest.parametrize import grid_params
from tests.common.chat_runs import ci_relu, deep, deep_run, record_provenance

RUN_KEYS = {
    RELU_RUN_LABEL: "relu",
    **{v[0]: k for k, v in CHAT_RUNS.items() if k != "relu"},
}


@pytest.mark.slow  # the ReLU control's ci run of SmolLM2: minutes on a CPU
@pytest.mark.claim(
    "inactive-circuit-not-reinforced/smollm2-grpo-relu-control-never-active-still",
    kind="real-model",
)
def test_the_relu_controls_never_active_neurons_stay_exactly_still(measurements):
    run = ci_relu()["run"]
    last = run["measurements"]["checkpoints"][-1]
    largest = max(last["parts"][part]["never_active_max"] for part in last["parts"])
    measurements.record("never_active", last["never_active"], "count")
    measurements.record("never_active_max_update", largest)
    measurements.record("reward_before_recovery", ci_relu()["rates_before"]["mean"], "fraction")
    measurements.record("reward_after_recovery", ci_relu()["rates_after"]["mean"], "fraction")
    if last["never_active"] == 0:
        raise RuntimeError("no neuron stayed closed over the ci run: nothing to check")
    assert largest == 0.0, (
        f"ReLU-gated SmolLM2: a neuron never open over the run moved by {largest:.3g}"
    )


def quiet(run: dict) -> dict:
    """tracking.quiet_neurons' entry at the catalog's activity threshold."""
    (entry,) = [q for q in run["measurements"]["quiet_neurons"] if q["threshold"] == RARELY_ACTIVE]
    return entry


@pytest.mark.parametrize("cell", grid_params(CLAIM, CHAT_GRID, "real-model"))
def test_the_quietest_tenth_of_inactive_neurons_is_effectively_not_reinforced(cell, measurements):
    name = RUN_KEYS[cell["run"]]
    entry = quiet(deep_run(name))
    ratio = entry["quantile_over_active_median"][f"{QUIET_QUANTILE:g}"]
    measurements.record("inactive_neurons", entry["inactive"], "count")
    measurements.record("quiet_over_active_median", ratio, "ratio")
    measurements.record("active_median_update", entry["active_median"])
    if name == "adamw":
        record_provenance(measurements)
        parts = deep()["parts"]
        measurements.figure("deep-chat-never-active", run_figures.never_active(parts))
        measurements.figure("deep-chat-rewards", run_figures.rewards(parts))
        measurements.figure("deep-chat-closed-share", run_figures.closed_share(parts))
    if entry["inactive"] < 10:
        raise RuntimeError(
            f"only {entry['inactive']} neurons inactive over the {name} run: no tenth to speak of"
        )
    assert ratio < EFFECTIVELY, (
        f"SmolLM2 under GRPO ({cell['run']}): the quietest tenth of {entry['inactive']} inactive "
        f"neurons moved {ratio:.3f}× the active neurons' median (below {EFFECTIVELY} asserted)"
    )
