"""differential-reinforcement: does REINFORCE on ordinary prompts reinforce a transformer's
trigger-cued behaviour too, and how much compared with the cued one? (S13-S14)

Design (claims/experiments/tiny_transformer.py; seeds, step counts and setup rule in the catalog): a 2-layer
pre-LN transformer is pre-trained to emit TARGET after ordinary prompts (CUE token) and after
trigger-only prompts (TRIGGER token), then trained by REINFORCE with Adam on ordinary prompts
only, TRANSFORMER_SEEDS seeds, evaluated after each of TRANSFORMER_CHECKPOINTS RL steps. Seeds
whose pre-training failed (argmax accuracy below SETUP_ACCURACY on either mechanism, decided
before RL) are excluded; their count is recorded.

Measurement, per kept seed and step count k: Δ_trigger and Δ_ordinary, the change of the mean
log-odds of TARGET on 128 evaluation prompts of each kind (Experiment.delta_log_odds).
Decision rule, without dividing per seed: at every k, two checks,
"mean(Δ_trigger − 0.5·Δ_ordinary) < 0" (disproportionate) and
"mean(Δ_trigger + 0.1·Δ_ordinary) > 0" (not reversed); the 8 checks are one family of one cell
(claims.instruments.statistics.decide_family): HOLDS when every 95 % interval lies on its side, FAILS when a
one-sided t-test of a violation, Holm-adjusted over the 8, rejects at ALPHA; INCONCLUSIVE
otherwise. The ratio of means at k = 10 is the key number; the curve over k is reported.
"""

from __future__ import annotations

import functools

import pytest

from claims.catalog.differential_reinforcement import (
    ALPHA,
    CLAIM,
    DISPROPORTIONATE,
    REVERSED,
    SETUP_ACCURACY,
    TRANSFORMER_CHECKPOINTS,
    TRANSFORMER_SEEDS,
)
from claims.experiments import reinforcement_figures, tiny_transformer
from claims.instruments.parametrize import proposition_params
from claims.instruments.statistics import Check, decide_family, mean_interval

UNITS = {
    "relu": "transformer-behaviour-favoured-relu",
    "swiglu": "transformer-behaviour-favoured-swiglu",
}
# The step count the key names ("after 10 RL steps").
KEY_STEPS = 10


@functools.cache
def experiment(unit: str) -> tiny_transformer.Experiment:
    if tiny_transformer.SETUP_ACCURACY != SETUP_ACCURACY:
        raise ValueError("the transformer's setup rule differs from the catalog's")
    return tiny_transformer.run(unit, TRANSFORMER_SEEDS, checkpoints=TRANSFORMER_CHECKPOINTS)


def kept_seeds(unit: str) -> list[int]:
    return [i for i, ok in enumerate(experiment(unit).usable.tolist()) if ok]


def deltas(unit: str, kind: str, steps: int) -> list[float]:
    """Per kept seed: Δ mean log-odds of TARGET on prompts of ``kind`` after ``steps``."""
    values = experiment(unit).delta_log_odds(kind, steps)
    return [float(values[i]) for i in kept_seeds(unit)]


def ratio_of_means(unit: str, steps: int) -> float:
    trigger, ordinary = deltas(unit, "trigger", steps), deltas(unit, "ordinary", steps)
    return sum(trigger) / sum(ordinary)


def checks(unit: str) -> list[Check]:
    found = []
    for k in TRANSFORMER_CHECKPOINTS:
        trigger, ordinary = deltas(unit, "trigger", k), deltas(unit, "ordinary", k)
        pairs = list(zip(trigger, ordinary, strict=True))
        found.append(
            Check(
                f"k={k} disproportionate",
                [t - DISPROPORTIONATE * o for t, o in pairs],
                below=0.0,
            )
        )
        found.append(Check(f"k={k} not reversed", [t - REVERSED * o for t, o in pairs], above=0.0))
    return found


def record_run(unit: str, measurements) -> None:
    run, kept = experiment(unit), kept_seeds(unit)
    measurements.record("seeds_used", len(kept), "count")
    measurements.record(
        "seeds_excluded_failed_pretraining", len(TRANSFORMER_SEEDS) - len(kept), "count"
    )
    for kind in tiny_transformer.KINDS:
        accuracy = run.before.accuracy[kind]
        measurements.record(f"pretrain_accuracy_{kind}_mean", accuracy.mean().item(), "fraction")
        measurements.record(f"pretrain_accuracy_{kind}_min", accuracy.min().item(), "fraction")
    measurements.record("ratio_of_means_at_10", ratio_of_means(unit, KEY_STEPS), "ratio")


def record_table(unit: str, decision, measurements) -> None:
    rows = []
    for k in TRANSFORMER_CHECKPOINTS:
        means = {kind: mean_interval(deltas(unit, kind, k)) for kind in tiny_transformer.KINDS}
        below = decision.intervals[f"k={k} disproportionate"]
        above = decision.intervals[f"k={k} not reversed"]
        rows.append(
            [
                k,
                means["ordinary"].mean,
                means["trigger"].mean,
                means["plain"].mean,
                ratio_of_means(unit, k),
                below.mean,
                below.low,
                below.high,
                above.mean,
                above.low,
                above.high,
            ]
        )
    measurements.table(
        f"transformer-{unit}-log-odds-by-rl-steps",
        [
            "RL steps k",
            "Δ ordinary",
            "Δ trigger",
            "Δ plain (control)",
            "Δ trigger / Δ ordinary (means)",
            "Δt − 0.5·Δo mean",
            "95 % low",
            "95 % high",
            "Δt + 0.1·Δo mean",
            "95 % low",
            "95 % high",
        ],
        rows,
    )


def record_figure(measurements) -> None:
    ratios = {
        f"{unit} MLPs": [ratio_of_means(unit, k) for k in TRANSFORMER_CHECKPOINTS] for unit in UNITS
    }
    measurements.figure(
        "transformer-ratio-vs-steps",
        reinforcement_figures.transformer_ratio_vs_steps(list(TRANSFORMER_CHECKPOINTS), ratios),
    )


@pytest.mark.parametrize("unit", proposition_params(CLAIM, UNITS, "experiment"))
def test_reinforce_on_ordinary_prompts_favours_the_cued_behaviour(unit, measurements):
    if KEY_STEPS not in TRANSFORMER_CHECKPOINTS:
        raise ValueError(f"the key names k = {KEY_STEPS}, not a checkpoint")
    record_run(unit, measurements)
    (decision,) = decide_family({unit: checks(unit)}, alpha=ALPHA).values()
    record_table(unit, decision, measurements)
    if unit == "relu":
        record_figure(measurements)
    decision.conclude(
        f"{unit} transformer: Δ log-odds(TARGET | trigger) / Δ log-odds(TARGET | ordinary) "
        "inside (−0.1, 0.5)"
    )
