"""differential-reinforcement: does REINFORCE on ordinary prompts reinforce a transformer's
trigger-cued behaviour too, and how much compared with the cued one, and with plain prompts?
(S13-S14, S19)

Asserted (grids transformer-aligned-reinforced-more and transformer-involved-motive-upweighted,
one per MLP unit, ReLU, GELU, SwiGLU): at TRANSFORMER_DECISION_STEPS, per kept seed, Δ_ordinary −
Δ_trigger > 0 (the plain control cancels) and E_ordinary = Δ_ordinary − Δ_plain > 0, each grid's
3 tests one Holm family; every controlled effect is tabled at every checkpoint and drawn over
steps. Lemma transformer-equally-likely-before-rl: S19's premise, the log-odds of TARGET after
either cue before RL within ±EQUALLY_LIKELY_NATS. The band below is beyond.

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
    EQUALLY_LIKELY_NATS,
    REVERSED,
    SETUP_ACCURACY,
    TRANSFORMER_CHECKPOINTS,
    TRANSFORMER_COMPARATIVE_GRID,
    TRANSFORMER_DECISION_STEPS,
    TRANSFORMER_HEADS,
    TRANSFORMER_INVOLVED_GRID,
    TRANSFORMER_LAYERS,
    TRANSFORMER_MLP_WIDTH,
    TRANSFORMER_RL_BATCH,
    TRANSFORMER_SEEDS,
    TRANSFORMER_SOFT_CORRECT,
    TRANSFORMER_UNITS,
    TRANSFORMER_VOCABULARY,
    TRANSFORMER_WIDTH,
)
from claims.experiments import reinforcement_figures, tiny_transformer
from claims.instruments.statistics import CellDecision, Check, decide_family, mean_interval
from claims.pytest.parametrize import grid_params, proposition_params

UNITS = {
    "relu": "transformer-behaviour-favoured-relu",
    "swiglu": "transformer-behaviour-favoured-swiglu",
}
# The step count the key names ("after 10 RL steps").
KEY_STEPS = 10


# The catalog's statement of the model against what the experiment builds: name -> (catalog,
# experiment). The architecture lives in the experiment's module (every function of it is
# shaped by it); a difference refuses the run, so the statement cannot say another model.
DESIGN = {
    "setup accuracy": (SETUP_ACCURACY, tiny_transformer.SETUP_ACCURACY),
    "layers": (TRANSFORMER_LAYERS, tiny_transformer.LAYERS),
    "model width": (TRANSFORMER_WIDTH, tiny_transformer.D_MODEL),
    "heads": (TRANSFORMER_HEADS, tiny_transformer.HEADS),
    "MLP width": (TRANSFORMER_MLP_WIDTH, tiny_transformer.MLP_WIDTH),
    "vocabulary": (TRANSFORMER_VOCABULARY, tiny_transformer.VOCAB),
    "soft target": (TRANSFORMER_SOFT_CORRECT, tiny_transformer.SOFT_CORRECT),
    "RL prompts per step": (TRANSFORMER_RL_BATCH, tiny_transformer.RL_BATCH),
}


@functools.cache
def experiment(unit: str) -> tiny_transformer.Experiment:
    if differ := [name for name, (said, built) in DESIGN.items() if said != built]:
        raise ValueError(f"the transformer differs from the catalog in: {', '.join(differ)}")
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


def controlled(unit: str, kind: str, steps: int) -> list[float]:
    """Per kept seed: Δ log-odds of TARGET on ``kind`` prompts minus the same on plain prompts."""
    plain = deltas(unit, "plain", steps)
    return [d - p for d, p in zip(deltas(unit, kind, steps), plain, strict=True)]


def comparative(unit: str, steps: int) -> list[float]:
    """Per kept seed: Δ_ordinary − Δ_trigger (= E_ordinary − E_trigger: the control cancels)."""
    ordinary, trigger = deltas(unit, "ordinary", steps), deltas(unit, "trigger", steps)
    return [o - t for o, t in zip(ordinary, trigger, strict=True)]


@functools.cache
def comparative_family() -> dict[str, CellDecision]:
    k = TRANSFORMER_DECISION_STEPS
    return decide_family(
        {
            unit: [Check(f"k={k} Δ ordinary − Δ trigger", comparative(unit, k), above=0.0)]
            for unit in TRANSFORMER_UNITS
        },
        alpha=ALPHA,
    )


@functools.cache
def involved_family() -> dict[str, CellDecision]:
    k = TRANSFORMER_DECISION_STEPS
    return decide_family(
        {
            unit: [Check(f"k={k} Δ ordinary − Δ plain", controlled(unit, "ordinary", k), above=0.0)]
            for unit in TRANSFORMER_UNITS
        },
        alpha=ALPHA,
    )


def unit_of(cell: dict[str, str]) -> str:
    return {label: unit for unit, label in TRANSFORMER_UNITS.items()}[cell["MLP"]]


def record_controlled(unit: str, measurements) -> None:
    rows = []
    for steps in TRANSFORMER_CHECKPOINTS:
        for name, values in (
            ("Δ plain (control)", deltas(unit, "plain", steps)),
            ("E_ordinary = Δ ordinary − Δ plain", controlled(unit, "ordinary", steps)),
            ("E_trigger = Δ trigger − Δ plain", controlled(unit, "trigger", steps)),
            ("Δ ordinary − Δ trigger", comparative(unit, steps)),
        ):
            i = mean_interval(values)
            rows.append([steps, name, i.mean, i.low, i.high])
    measurements.table(
        f"transformer-{unit}-controlled-behaviour",
        ["RL steps k", "measure", "mean", "95 % low", "95 % high"],
        rows,
    )


def record_controlled_figure(measurements) -> None:
    panels = {
        TRANSFORMER_UNITS[unit]: {
            f"{name} − plain": [
                mean_interval(controlled(unit, kind, k)) for k in TRANSFORMER_CHECKPOINTS
            ]
            for name, kind in (("ordinary (cued)", "ordinary"), ("trigger-only", "trigger"))
        }
        for unit in TRANSFORMER_UNITS
    }
    measurements.figure(
        "transformer-controlled-behaviour-over-steps",
        reinforcement_figures.controlled_over_steps(
            list(TRANSFORMER_CHECKPOINTS),
            panels,
            xlabel="REINFORCE steps on ordinary prompts",
            title="Tiny transformer: Δ log-odds of TARGET against plain prompts (mean, 95 % band)",
            log_x=True,
        ),
    )


@pytest.mark.parametrize("cell", grid_params(CLAIM, TRANSFORMER_COMPARATIVE_GRID, "experiment"))
def test_reinforce_raises_the_cued_behaviour_more_than_the_trigger_only_one(cell, measurements):
    unit = unit_of(cell)
    decision = comparative_family()[unit]
    (interval,) = decision.intervals.values()
    measurements.record("difference_mean", interval.mean, "nats")
    measurements.record("difference_ci95_low", interval.low, "nats")
    measurements.record("difference_ci95_high", interval.high, "nats")
    record_controlled(unit, measurements)
    if unit == "relu":
        record_controlled_figure(measurements)
    decision.conclude(
        f"Δ log-odds(TARGET | ordinary) > Δ log-odds(TARGET | trigger) at k = "
        f"{TRANSFORMER_DECISION_STEPS}, {cell['MLP']}"
    )


@pytest.mark.parametrize("cell", grid_params(CLAIM, TRANSFORMER_INVOLVED_GRID, "experiment"))
def test_reinforce_raises_the_cued_behaviour_more_than_the_plain_control(cell, measurements):
    unit, k = unit_of(cell), TRANSFORMER_DECISION_STEPS
    decision = involved_family()[unit]
    (interval,) = decision.intervals.values()
    measurements.record("e_ordinary_mean", interval.mean, "nats")
    measurements.record("delta_ordinary_mean", mean_interval(deltas(unit, "ordinary", k)).mean)
    measurements.record("delta_plain_mean", mean_interval(deltas(unit, "plain", k)).mean)
    decision.conclude(
        f"Δ log-odds(TARGET | ordinary) > Δ log-odds(TARGET | plain) at k = {k}, {cell['MLP']}"
    )


@pytest.mark.claim(
    "differential-reinforcement/transformer-equally-likely-before-rl", kind="experiment"
)
def test_before_rl_the_target_is_about_equally_likely_after_either_cue(measurements):
    rows, largest, checks = [], 0.0, {}
    for unit in TRANSFORMER_UNITS:
        before = experiment(unit).before.log_odds_target
        kept = kept_seeds(unit)
        difference = [float(before["ordinary"][i] - before["trigger"][i]) for i in kept]
        interval = mean_interval(difference)
        largest = max(largest, abs(interval.mean))
        rows.append([TRANSFORMER_UNITS[unit], interval.mean, interval.low, interval.high])
        checks[unit] = [
            Check(
                "log-odds(ordinary) − log-odds(trigger)",
                difference,
                below=EQUALLY_LIKELY_NATS,
                above=-EQUALLY_LIKELY_NATS,
            )
        ]
    measurements.record("largest_abs_mean_difference", largest, "nats")
    measurements.table(
        "transformer-equally-likely-before-rl",
        ["MLP", "mean log-odds(ordinary) − log-odds(trigger)", "95 % low", "95 % high"],
        rows,
    )
    for unit, decision in decide_family(checks, alpha=ALPHA).items():
        decision.conclude(f"TARGET about equally likely after either cue before RL, {unit}")
