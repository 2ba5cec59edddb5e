"""differential-reinforcement in a real chat model: does SmolLM2's behaviour follow its active
neurons? (S13-S14, S20 beyond)

The runs are tests/claims/chat_runs.py's: per seed, CHAT_STEPS REINFORCE steps with Adam (lr
CHAT_LR_ADAM) on the model's answers to the training prompts; the held-out prompts' log-odds of
an accepted answer (claims/experiments/chat/heldout.py: exact, over the canonical answer forms
after a reference lead-in) before and after.

Split: a neuron is active on a set of tokens when its gate is open (g > 0) on more than
CHAT_ACTIVE_AT of them (the prompts' own tokens, the chat template's shared prefix left out).
Each held-out prompt's active set is compared with the pooled training prompts' by Jaccard
overlap; the prompts above the median overlap form the high half, those below it the low half
(an even count; a tie across the median would make the split undefined: an ERROR). The split
depends on the prompts only, so it is the same for every seed.

Decision rule, per seed with a policy gradient: Δ_high and Δ_low, the mean change of log-odds
over each half's prompts. Three checks, one family of one cell (decide_family, Holm over the
three one-sided violation tests, ALPHA): mean(Δ_high) > 0; mean(Δ_low − 0.5·Δ_high) < 0;
mean(Δ_low + 0.1·Δ_high) > 0 (DISPROPORTIONATE and REVERSED of the catalog). HOLDS when all
three 95 % intervals lie on their sides, FAILS when a violation is significant, else
INCONCLUSIVE.
"""

from __future__ import annotations

import math

import pytest

from claims.catalog.differential_reinforcement import (
    ALPHA,
    CHAT_OPTIMIZER_FOR_BEHAVIOUR,
    DISPROPORTIONATE,
    REVERSED,
)
from claims.catalog.inactive_circuit_not_reinforced import CHAT_ACTIVE_AT
from claims.experiments.chat import experiment, prompts
from claims.instruments.statistics import Check, decide_family, mean_interval
from tests.claims.chat_runs import chat, record_seeds, runs, sizes, with_gradient


def overlap_halves(overlaps: list[float]) -> tuple[list[int], list[int]]:
    """(low, high): held-out prompt indices below and above the median overlap."""
    order = sorted(range(len(overlaps)), key=lambda i: overlaps[i])
    half = len(order) // 2
    if len(order) % 2 or overlaps[order[half - 1]] == overlaps[order[half]]:
        raise RuntimeError(f"no median split of {len(order)} overlaps {overlaps}")
    return sorted(order[:half]), sorted(order[half:])


def half_mean(values, indices: list[int]) -> float:
    return math.fsum(float(values[i]) for i in indices) / len(indices)


@pytest.mark.claim(
    "differential-reinforcement/smollm2-behaviour-follows-active-neurons", kind="real-model"
)
def test_smollm2s_reinforced_behaviour_follows_the_training_prompts_active_neurons(measurements):
    record_seeds(measurements, runs("silu"))
    size = sizes()
    overlaps = experiment.active_set_overlaps(
        chat(),
        train_prompts=size.train_prompts,
        heldout_prompts=size.heldout_prompts,
        min_activity=CHAT_ACTIVE_AT,
    )
    low, high = overlap_halves(overlaps)
    kept = with_gradient(runs("silu"))
    changes = [run.log_odds_change(CHAT_OPTIMIZER_FOR_BEHAVIOUR) for run in kept]
    delta_high = [half_mean(change, high) for change in changes]
    delta_low = [half_mean(change, low) for change in changes]
    pairs = list(zip(delta_low, delta_high, strict=True))
    checks = [
        Check("Δ_high", delta_high, above=0.0),
        Check("Δ_low − 0.5·Δ_high", [lo - DISPROPORTIONATE * hi for lo, hi in pairs], below=0.0),
        Check("Δ_low + 0.1·Δ_high", [lo - REVERSED * hi for lo, hi in pairs], above=0.0),
    ]
    decision = decide_family({"SmolLM2/Adam": checks}, alpha=ALPHA)["SmolLM2/Adam"]

    measurements.record("delta_high_mean", mean_interval(delta_high).mean)
    measurements.record("delta_low_mean", mean_interval(delta_low).mean)
    measurements.record("overlap_low_mean", half_mean(overlaps, low))
    measurements.record("overlap_high_mean", half_mean(overlaps, high))
    heldout = prompts.split("heldout", size.heldout_prompts)
    before = kept[0].log_odds_before
    measurements.table(
        "smollm2-heldout-prompts",
        ["held-out prompt", "Jaccard overlap", "half", "log-odds at W_0", "mean Δ log-odds"],
        [
            [
                prompt.instruction,
                overlaps[i],
                "high" if i in high else "low",
                float(before[i]),
                math.fsum(float(change[i]) for change in changes) / len(changes),
            ]
            for i, prompt in enumerate(heldout)
        ],
        digits=4,
    )
    measurements.table(
        "smollm2-behaviour-checks",
        ["check", "mean", "95 % low", "95 % high", "Holm-adjusted p of the violation"],
        [
            [c.label, c.interval.mean, c.interval.low, c.interval.high, *c.p_adjusted.values()]
            for c in decision.checks
        ],
        digits=4,
    )
    decision.conclude(
        "SmolLM2-135M-Instruct with Adam: held-out log-odds change, low- vs high-overlap prompts"
    )
