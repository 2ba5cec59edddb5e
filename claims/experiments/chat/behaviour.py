"""The controlled behaviour measure: held-out prompts against control prompts, per prompt.

The unit of analysis is the prompt. For each held-out prompt (the kinds GRPO trains on, never
the prompts themselves) and each control prompt (unrelated kinds), the exact log-odds that the
answer after the reference lead-in is an accepted item (heldout.answer_log_odds) is measured
before and after training; the effect is

    mean_h Δ_h - mean_c Δ_c,   Δ = log-odds after - log-odds before,

with Welch's 95 % interval (unequal variances; Welch 1947): what training changed on the kinds it
rewarded, beyond what it changed everywhere (general drift of an answer format, length, or
confidence). The minimum detectable effect of that comparison, for given prompt counts and
spreads, is from statsmodels' two-sample t power (α = 0.05 two-sided, power 0.8 by default).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from scipy import stats

from claims.experiments.chat.heldout import answer_log_odds
from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.prompts import ChatPrompt

# Prompts per log-odds call: bounds the float64 logits of the second pass (forms x tokens x V).
CHUNK = 32


@torch.no_grad()
def log_odds(chat: ChatModel, prompts: Sequence[ChatPrompt]) -> list[float]:
    """Per prompt, the exact log-odds of an accepted answer after its lead-in (in chunks)."""
    found: list[float] = []
    for start in range(0, len(prompts), CHUNK):
        found += answer_log_odds(chat, prompts[start : start + CHUNK]).tolist()
    return found


def snapshot(
    chat: ChatModel, heldout: Sequence[ChatPrompt], control: Sequence[ChatPrompt]
) -> dict[str, list[float]]:
    """{"heldout": log-odds per held-out prompt, "control": per control prompt}."""
    return {"heldout": log_odds(chat, heldout), "control": log_odds(chat, control)}


@dataclass(frozen=True)
class ControlledChange:
    # mean Δ over held-out prompts, over control prompts, and their difference with Welch's
    # 95 % interval (low, high) and degrees of freedom.
    heldout_change: float
    control_change: float
    effect: float
    low: float
    high: float
    degrees_of_freedom: float
    heldout_prompts: int
    control_prompts: int
    # Standard deviations of the per-prompt changes (what the next design's power rests on).
    heldout_sd: float
    control_sd: float


def controlled_change(
    before: dict[str, Sequence[float]], after: dict[str, Sequence[float]]
) -> ControlledChange:
    """The effect of the module docstring from two ``snapshot``s of the same prompts.

    Raises ValueError for mismatched prompt counts, fewer than 2 prompts per set, or a
    non-finite log-odds (an answer of probability 0 or 1 in float64).
    """
    changes = {}
    for name in ("heldout", "control"):
        if len(before[name]) != len(after[name]):
            raise ValueError(
                f"{name}: {len(before[name])} prompts before, {len(after[name])} after"
            )
        delta = [b - a for a, b in zip(before[name], after[name], strict=True)]
        if len(delta) < 2 or not all(math.isfinite(d) for d in delta):
            raise ValueError(f"{name}: need at least 2 prompts with finite log-odds changes")
        changes[name] = delta
    test = stats.ttest_ind(changes["heldout"], changes["control"], equal_var=False)
    interval = test.confidence_interval(0.95)
    mean = {name: math.fsum(values) / len(values) for name, values in changes.items()}
    sd = {
        name: math.sqrt(math.fsum((v - mean[name]) ** 2 for v in values) / (len(values) - 1))
        for name, values in changes.items()
    }
    return ControlledChange(
        mean["heldout"],
        mean["control"],
        mean["heldout"] - mean["control"],
        float(interval.low),
        float(interval.high),
        float(test.df),
        len(changes["heldout"]),
        len(changes["control"]),
        sd["heldout"],
        sd["control"],
    )


def by_kind(prompts: Sequence, values: Sequence[float]) -> dict[str, float]:
    """Mean of ``values`` per prompt kind (prompts with a ``kind``, e.g. pool.PoolPrompt)."""
    grouped: dict[str, list[float]] = {}
    for prompt, value in zip(prompts, values, strict=True):
        grouped.setdefault(prompt.kind, []).append(value)
    return {kind: math.fsum(v) / len(v) for kind, v in grouped.items()}


def minimum_detectable_effect(
    heldout_sd: float,
    heldout_prompts: int,
    control_sd: float,
    control_prompts: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
) -> float:
    """The smallest true effect (log-odds units) the controlled comparison detects with
    ``power`` at two-sided ``alpha``: statsmodels' standardized effect for a two-sample t-test
    with these counts, times the pooled standard deviation."""
    from statsmodels.stats.power import TTestIndPower

    if min(heldout_prompts, control_prompts) < 2:
        raise ValueError("need at least 2 prompts per set")
    standardized = TTestIndPower().solve_power(
        nobs1=heldout_prompts,
        ratio=control_prompts / heldout_prompts,
        alpha=alpha,
        power=power,
        alternative="two-sided",
    )
    pooled = math.sqrt(
        ((heldout_prompts - 1) * heldout_sd**2 + (control_prompts - 1) * control_sd**2)
        / (heldout_prompts + control_prompts - 2)
    )
    return float(standardized * pooled)
