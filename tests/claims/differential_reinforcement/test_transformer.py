"""differential-reinforcement: does REINFORCE on ordinary prompts reinforce a transformer's
trigger-cued behaviour too, and how much compared with the cued one?

Design (all choices in claims/tiny_transformer.py): a 2-layer pre-LN transformer is pre-trained
to emit TARGET after ordinary prompts (CUE token) and after trigger-only prompts (TRIGGER token),
then trained by REINFORCE with Adam on ordinary prompts only. Per seed: ratio = Δ log π(TARGET |
trigger-only prompt) / Δ log π(TARGET | ordinary prompt) after RL_STEPS steps. Seeds whose
pre-training failed (argmax accuracy below SETUP_ACCURACY on either mechanism) are excluded by a
rule applied before RL; their count is recorded.

Statistics: 32 fixed seeds, Student-t 95 % interval, decide_below(DISPROPORTIONATE) and
decide_below(NOT_REINFORCED), one proposition each. Power: with
a between-seed standard deviation of the ratio up to 0.05, the half-width is at most
2.04 · 0.05 / √32 ≈ 0.018.
"""

import functools

import pytest

from claims import tiny_transformer
from claims.catalog.differential_reinforcement import DISPROPORTIONATE, NOT_REINFORCED
from claims.statistics import Interval, decide_below, mean_interval

SEEDS = range(32)
UNITS = ("relu", "swiglu")


def claim_params(name: str) -> list:
    return [
        pytest.param(
            unit,
            marks=pytest.mark.claim(
                f"differential-reinforcement/transformer-trigger-{name}-{unit}", kind="experiment"
            ),
        )
        for unit in UNITS
    ]


@functools.cache
def experiment(unit: str) -> tiny_transformer.Experiment:
    """Both propositions per unit read the same 32 seeds' run (computed once per process)."""
    return tiny_transformer.run(unit, SEEDS)


def record_ratio(unit: str, measurements) -> Interval:
    """Record the run (pre-training, Δ log π, ratio by RL length); return the final ratio."""
    run = experiment(unit)
    usable = run.usable.tolist()
    kept = [i for i, ok in enumerate(usable) if ok]
    measurements.record("seeds_used", len(kept), "count")
    measurements.record("seeds_excluded_failed_pretraining", len(usable) - len(kept), "count")
    for kind in tiny_transformer.KINDS:
        accuracy = run.before.accuracy[kind]
        measurements.record(f"pretrain_accuracy_{kind}_mean", accuracy.mean().item(), "fraction")
        measurements.record(f"pretrain_accuracy_{kind}_min", accuracy.min().item(), "fraction")
        p_target = run.before.log_target[kind].exp()[kept].mean().item()
        measurements.record(f"p_target_{kind}_before_mean", p_target, "probability")
    rows, measured = [], None
    for steps in tiny_transformer.CHECKPOINTS:
        deltas = {k: run.delta(k, steps)[kept].tolist() for k in tiny_transformer.KINDS}
        if min(deltas["ordinary"]) <= 0:
            raise ValueError(f"{unit}: Δ log π(target | ordinary) ≤ 0 on a seed; no ratio")
        ratios = [t / o for t, o in zip(deltas["trigger"], deltas["ordinary"], strict=True)]
        ratio = mean_interval(ratios)
        means = {k: mean_interval(v) for k, v in deltas.items()}
        rows.append(
            [
                steps,
                *(means[k].mean for k in tiny_transformer.KINDS),
                ratio.mean,
                ratio.low,
                ratio.high,
            ]
        )
        if steps == tiny_transformer.RL_STEPS:
            for kind, interval in means.items():
                measurements.record(f"delta_log_pi_{kind}_mean", interval.mean, "nats")
                measurements.record(f"delta_log_pi_{kind}_ci95_low", interval.low, "nats")
                measurements.record(f"delta_log_pi_{kind}_ci95_high", interval.high, "nats")
            measurements.record("ratio_mean", ratio.mean, "ratio")
            measurements.record("ratio_ci95_low", ratio.low, "ratio")
            measurements.record("ratio_ci95_high", ratio.high, "ratio")
            measurements.record("ratio_min", min(ratios), "ratio")
            measurements.record("ratio_max", max(ratios), "ratio")
            measured = ratio
    measurements.table(
        f"transformer-{unit}-ratio-by-rl-steps",
        ["RL steps", "Δ ordinary", "Δ trigger", "Δ plain", "ratio", "ratio low", "ratio high"],
        rows,
    )
    return measured


WHAT = "transformer: Δ log π(target | trigger) / Δ log π(target | ordinary)"


@pytest.mark.parametrize("unit", claim_params("disproportionate"))
def test_reinforce_on_ordinary_prompts_moves_the_trigger_behaviour_less(unit, measurements):
    decide_below(record_ratio(unit, measurements), DISPROPORTIONATE, what=f"{unit} {WHAT}")


@pytest.mark.parametrize("unit", claim_params("not-reinforced"))
def test_reinforce_on_ordinary_prompts_leaves_the_trigger_behaviour_alone(unit, measurements):
    decide_below(record_ratio(unit, measurements), NOT_REINFORCED, what=f"{unit} {WHAT}")
