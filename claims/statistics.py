"""Confidence intervals and the pre-registered three-way decision rule for statistical claims.

A statistical proposition states "the quantity is below (or above) a threshold". Its test
computes a 95 % interval over independent seeds and decides: HOLDS if the whole interval is on
the stated side, FAILS if the whole interval is on the other side, INCONCLUSIVE otherwise
(raised as claims.evidence.Inconclusive, never a pass).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

from claims.evidence import Inconclusive


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    # Number of independent samples (seeds) behind it.
    samples: int


def mean_interval(samples: Sequence[float], *, confidence: float = 0.95) -> Interval:
    """Student-t interval for the mean of independent samples (one per seed)."""
    n = len(samples)
    if n < 2:
        raise ValueError(f"an interval needs at least 2 samples, got {n}")
    mean = math.fsum(samples) / n
    variance = math.fsum((x - mean) ** 2 for x in samples) / (n - 1)
    half_width = stats.t.ppf((1 + confidence) / 2, df=n - 1) * math.sqrt(variance / n)
    return Interval(mean, mean - half_width, mean + half_width, n)


def decide_below(interval: Interval, threshold: float, *, what: str) -> None:
    """Assert 'mean < threshold' by the three-way rule."""
    if interval.high < threshold:
        return
    description = (
        f"{what}: mean {interval.mean:.4g}, 95 % interval [{interval.low:.4g}, {interval.high:.4g}] "
        f"over {interval.samples} seeds, threshold {threshold:.4g}"
    )
    if interval.low > threshold:
        raise AssertionError(f"{description}: the whole interval is above the threshold")
    raise Inconclusive(f"{description}: the interval straddles the threshold")


def decide_above(interval: Interval, threshold: float, *, what: str) -> None:
    """Assert 'mean > threshold' by the three-way rule."""
    if interval.low > threshold:
        return
    description = (
        f"{what}: mean {interval.mean:.4g}, 95 % interval [{interval.low:.4g}, {interval.high:.4g}] "
        f"over {interval.samples} seeds, threshold {threshold:.4g}"
    )
    if interval.high < threshold:
        raise AssertionError(f"{description}: the whole interval is below the threshold")
    raise Inconclusive(f"{description}: the interval straddles the threshold")


def decide_all_below(intervals: dict[str, Interval], threshold: float, *, what: str) -> None:
    """'mean < threshold in every case': FAILS if any case fails, INCONCLUSIVE if any straddles.

    A case is whatever the caller keys the intervals by (a factorial cell, or cell × measure).
    """
    _decide_every(intervals, decide_below, threshold, what)


def decide_all_above(intervals: dict[str, Interval], threshold: float, *, what: str) -> None:
    """'mean > threshold in every case', by the same rule as decide_all_below."""
    _decide_every(intervals, decide_above, threshold, what)


def _decide_every(intervals: dict[str, Interval], decide, threshold: float, what: str) -> None:
    failing, undecided = [], []
    for case, interval in sorted(intervals.items()):
        try:
            decide(interval, threshold, what=f"{what} [{case}]")
        except AssertionError as error:
            failing.append(str(error))
        except Inconclusive as error:
            undecided.append(str(error))
    if failing:
        raise AssertionError(
            f"{len(failing)} of {len(intervals)} cases fail:\n" + "\n".join(failing)
        )
    if undecided:
        raise Inconclusive(
            f"{len(undecided)} of {len(intervals)} cases undecided:\n" + "\n".join(undecided)
        )
