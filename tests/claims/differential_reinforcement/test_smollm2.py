"""differential-reinforcement: what GRPO reinforces in a real chat model (S14, S19, S20), deep tier.

The committed reports/deep/deep-chat.json (tests/common/chat_runs.py; used while fresh), one run
per part. Behaviour: per prompt, the exact log-odds of an accepted answer after the reference
lead-in, at the first and last behaviour checkpoints of a run (claims.experiments.chat.behaviour).
- smollm2-grpo-heldout-reinforced-*: mean_h Δ_h − mean_c Δ_c over the held-out and control
  prompts, Welch's 95 % interval: HOLDS above 0, FAILS below, INCONCLUSIVE across.
- smollm2-grpo-planted-route-reinforced-less (the trigger part): the held-out prompts'
  Δ_h − mean_c Δ_c against the planted prompts' (Δ with the trigger − Δ with the control
  trigger), Welch's 95 % interval of the difference of means, the same rule.
- smollm2-grpo-trigger-planted (lemma): after planting, every planted prompt's trigger margin over
  the control trigger at least PLANTED_MARGIN nats, the trigger's mean log-odds at most
  PLANTED_CEILING.
- smollm2-grpo-planting-spares-training-prompts (lemma): after planting, on the training prompts
  that anchored it, the trigger's mean log-odds at least the no-trigger mean − TRAIN_TOLERANCE.
"""

import math

import pytest

from claims.catalog.chat_design import (
    PLANTED_CEILING,
    PLANTED_MARGIN,
    RELU_RUN_LABEL,
    TRAIN_TOLERANCE,
)
from claims.catalog.differential_reinforcement import CHAT_HELDOUT_GRID, CHAT_RUNS, CLAIM
from claims.experiments.chat import run_figures
from claims.pytest.parametrize import grid_params
from tests.common.chat_runs import decide_above_zero, deep, deep_run

RUN_KEYS = {
    RELU_RUN_LABEL: "relu",
    **{v[0]: k for k, v in CHAT_RUNS.items() if k != "relu"},
}


def mean(values) -> float:
    return sum(values) / len(values)


def snapshots(run: dict) -> tuple[dict, dict]:
    found = [c["behaviour"] for c in run["measurements"]["checkpoints"] if c["behaviour"]]
    if len(found) < 2:
        raise RuntimeError("the run measured behaviour fewer than twice")
    return found[0], found[-1]


def changes(before: dict, after: dict, name: str) -> list[float]:
    values = [b - a for a, b in zip(before[name], after[name], strict=True)]
    if not all(math.isfinite(v) for v in values):
        raise RuntimeError(f"{name}: a log-odds change is not finite")
    return values


@pytest.mark.parametrize("cell", grid_params(CLAIM, CHAT_HELDOUT_GRID, "real-model"))
def test_grpo_raises_held_out_answers_of_the_trained_kinds_more_than_control_answers(
    cell, measurements
):
    name = RUN_KEYS[cell["run"]]
    before, after = snapshots(deep_run(name))
    heldout, control = changes(before, after, "heldout"), changes(before, after, "control")
    measurements.record("heldout_before", mean(before["heldout"]), "nats")
    measurements.record("control_before", mean(before["control"]), "nats")
    measurements.record("heldout_change", sum(heldout) / len(heldout), "nats")
    measurements.record("control_change", sum(control) / len(control), "nats")
    if name == "adamw":
        measurements.figure("deep-chat-controlled", run_figures.controlled(deep()["parts"]))
    decide_above_zero(
        heldout, control, "held-out against control, Δ log-odds", measurements, "effect"
    )


@pytest.mark.claim(
    "differential-reinforcement/smollm2-grpo-planted-route-reinforced-less", kind="real-model"
)
def test_grpo_reinforces_the_route_it_used_more_than_a_planted_route(measurements):
    part = deep()["parts"]["trigger"]
    before, after = snapshots(part["run"])
    control = changes(before, after, "control")
    used = [h - sum(control) / len(control) for h in changes(before, after, "heldout")]
    planted = [
        t - c
        for t, c in zip(
            changes(before, after, "trigger"),
            changes(before, after, "control_trigger"),
            strict=True,
        )
    ]
    measurements.record("used_route_change", sum(used) / len(used), "nats")
    measurements.record("planted_route_change", sum(planted) / len(planted), "nats")
    measurements.figure("deep-chat-planted", run_figures.planted(deep()["parts"]))
    decide_above_zero(
        used,
        planted,
        "the used route's change against the planted route's",
        measurements,
        "difference",
    )


@pytest.mark.claim("differential-reinforcement/smollm2-grpo-trigger-planted", kind="real-model")
def test_the_trigger_was_planted_before_rl(measurements):
    planted = deep()["parts"]["trigger"]["after_planting"]
    margins = [t - c for t, c in zip(planted["trigger"], planted["control_trigger"], strict=True)]
    measurements.record("smallest_margin", min(margins), "nats")
    measurements.record("planted_prompts", len(margins), "count")
    measurements.record("trigger_mean", mean(planted["trigger"]), "nats")
    thin = [round(m, 2) for m in margins if not m >= PLANTED_MARGIN]
    assert not thin, f"the trigger's margin over the control trigger fell short on {thin}"
    assert mean(planted["trigger"]) <= PLANTED_CEILING, (
        f"the planted route is saturated: mean trigger log-odds {mean(planted['trigger']):.2f} "
        f"(at most {PLANTED_CEILING} nats)"
    )


@pytest.mark.claim(
    "differential-reinforcement/smollm2-grpo-planting-spares-training-prompts", kind="real-model"
)
def test_planting_leaves_the_training_prompts_answerable(measurements):
    train = deep()["parts"]["trigger"]["train_after_planting"]
    with_trigger, plain = mean(train["trigger"]), mean(train["none"])
    measurements.record("train_trigger_mean", with_trigger, "nats")
    measurements.record("train_plain_mean", plain, "nats")
    assert with_trigger >= plain - TRAIN_TOLERANCE, (
        f"after planting, the trigger lowers the training prompts' log-odds: {with_trigger:.2f} "
        f"against {plain:.2f} without it (tolerance {TRAIN_TOLERANCE} nats)"
    )
