"""Confidence intervals and the pre-registered decision rules for statistical claims.

A statistical proposition states "the quantity is below (or above) a threshold". Its test
computes a 95 % interval over independent seeds and decides: HOLDS if the whole interval is on
the stated side, FAILS if the whole interval is on the other side, INCONCLUSIVE otherwise
(raised as claims.engine.evidence.Inconclusive, never a pass) -- decide_below / decide_above.

Beside that single-interval rule:
- one_sided_p, holm: one-sided t-tests and Holm's family-wise adjustment;
- equivalence / decide_equivalent: "low < mean < high" by two one-sided tests (TOST);
- decide_family: one decision per cell of a conditions grid, each cell a set of Checks, with
  the FAILS decisions Holm-controlled across the whole grid (rule in its docstring).
Every rule treats a non-finite sample as an error (ValueError), never as evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy import stats

from claims.engine.evidence import Inconclusive


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


# --- One-sided tests, Holm's adjustment, equivalence -------------------------------------------

ALTERNATIVES = ("greater", "less")


def finite_samples(samples: Sequence[float], *, what: str = "samples") -> list[float]:
    """The samples as floats; a NaN or inf, or fewer than 2 samples, is a ValueError (an ERROR).

    A non-finite measurement means the experiment broke, which no decision rule may read as
    evidence either way.
    """
    values = [float(x) for x in samples]
    if len(values) < 2:
        raise ValueError(f"{what}: a test needs at least 2 samples, got {len(values)}")
    if not all(math.isfinite(x) for x in values):
        raise ValueError(f"{what}: non-finite sample among {len(values)}")
    return values


def one_sided_p(samples: Sequence[float], threshold: float, alternative: str) -> float:
    """p-value of the one-sample Student t-test of the mean against ``threshold``.

    ``alternative``: "greater" (H1: mean > threshold) or "less" (H1: mean < threshold); computed
    by scipy.stats.ttest_1samp. Samples with zero variance have no t statistic (scipy returns
    NaN); for them p = 0 if every sample lies strictly on the alternative's side of the
    threshold, else p = 1 -- the limit of the t-test as the spread goes to 0.
    Errors: ValueError for an unknown alternative, fewer than 2 samples or a non-finite sample.
    """
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    values = finite_samples(samples)
    if all(x == values[0] for x in values):
        beyond = values[0] > threshold if alternative == "greater" else values[0] < threshold
        return 0.0 if beyond else 1.0
    return float(stats.ttest_1samp(values, threshold, alternative=alternative).pvalue)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (Holm 1979, Scand. J. Statist. 6:65-70), same order.

    Rejecting every hypothesis whose adjusted p is below alpha controls the family-wise error
    rate at alpha under any dependence between the tests. Computed by statsmodels'
    multipletests(method="holm"); an empty family gives an empty list.
    """
    if not p_values:
        return []
    from statsmodels.stats.multitest import multipletests  # slow import (~1 s), used rarely

    return [float(p) for p in multipletests(list(p_values), method="holm")[1]]


@dataclass(frozen=True)
class Equivalence:
    """Two one-sided tests (TOST; Schuirmann 1987, J. Pharmacokin. Biopharm. 15:657-680)."""

    low: float
    high: float
    # TOST p-value: the larger of the two one-sided p-values ("mean > low", "mean < high").
    p: float
    # Student-t intervals of the mean: 90 % (TOST at 5 % rejects iff it lies inside [low, high])
    # and 95 % (the FAILS rule reads it).
    interval90: Interval
    interval95: Interval

    def conclude(self, what: str, *, alpha: float = 0.05) -> Equivalence:
        """HOLDS (returns self) if TOST rejects at ``alpha``; FAILS (AssertionError) if the 95 %
        interval lies wholly outside [low, high]; otherwise Inconclusive."""
        i90, i95 = self.interval90, self.interval95
        description = (
            f"{what}: mean {i95.mean:.4g} over {i95.samples} seeds, 90 % interval "
            f"[{i90.low:.4g}, {i90.high:.4g}], 95 % interval [{i95.low:.4g}, {i95.high:.4g}], "
            f"equivalence bounds [{self.low:.4g}, {self.high:.4g}], TOST p = {self.p:.3g}"
        )
        if self.p < alpha:
            return self
        if i95.high < self.low or i95.low > self.high:
            side = "below" if i95.high < self.low else "above"
            raise AssertionError(f"{description}: the 95 % interval lies wholly {side} the bounds")
        raise Inconclusive(f"{description}: neither equivalence nor its violation is shown")


def equivalence(samples: Sequence[float], low: float, high: float) -> Equivalence:
    """TOST of "low < mean < high" by statsmodels' DescrStatsW(samples).ttost_mean(low, high).

    Zero-variance samples take one_sided_p's rule for each side (statsmodels divides by 0).
    Errors: ValueError if low >= high, fewer than 2 samples, or a non-finite sample.
    """
    if not low < high:
        raise ValueError(f"equivalence bounds must satisfy low < high, got [{low}, {high}]")
    values = finite_samples(samples)
    if all(x == values[0] for x in values):
        p = max(one_sided_p(values, low, "greater"), one_sided_p(values, high, "less"))
    else:
        from statsmodels.stats.weightstats import DescrStatsW  # slow import, used rarely

        p = float(DescrStatsW(values).ttost_mean(low, high)[0])
    return Equivalence(low, high, p, mean_interval(values, confidence=0.90), mean_interval(values))


def decide_equivalent(
    samples: Sequence[float], low: float, high: float, *, what: str
) -> Equivalence:
    """Assert 'low < mean < high' by TOST at 5 %; returns the intervals (see Equivalence)."""
    return equivalence(samples, low, high).conclude(what)


# --- A family of checks: one decision per cell of a conditions grid ----------------------------

HOLDS, FAILS, INCONCLUSIVE = "HOLDS", "FAILS", "INCONCLUSIVE"
# The bound names of a Check; a violation of "below" is "mean > below", of "above" "mean < above".
SIDES = ("below", "above")


@dataclass(frozen=True)
class Check:
    """One statement about a mean: "mean < below" and/or "mean > above" (at least one bound)."""

    # Names the check in messages, e.g. "incoming D/A ratio".
    label: str
    # Independent samples, one per seed.
    samples: Sequence[float]
    # Upper bound of the statement "mean < below", or None.
    below: float | None = None
    # Lower bound of the statement "mean > above", or None.
    above: float | None = None

    def bounds(self) -> dict[str, float]:
        """The bounds that are set, by side name."""
        return {
            side: b
            for side, b in zip(SIDES, (self.below, self.above), strict=True)
            if b is not None
        }


@dataclass(frozen=True)
class CheckResult:
    label: str
    # The check's bounds by side ("below"/"above").
    bounds: dict[str, float]
    # Two-sided (1 - alpha) Student-t interval of the mean (95 % at alpha 0.05).
    interval: Interval
    # Per side: p-value of the one-sided violation test, unadjusted and Holm-adjusted over the
    # whole family.
    p_raw: dict[str, float]
    p_adjusted: dict[str, float]

    @property
    def inside(self) -> bool:
        """The interval lies strictly inside every bound (this check holds)."""
        i = self.interval
        return all(i.high < b if side == "below" else i.low > b for side, b in self.bounds.items())

    def violated(self, alpha: float) -> tuple[str, ...]:
        """The sides whose violation test is significant after Holm's adjustment."""
        return tuple(side for side, p in self.p_adjusted.items() if p < alpha)

    def describe(self, side: str, confidence: float) -> str:
        i, bound = self.interval, self.bounds[side]
        crossed = f"mean > {bound:g}" if side == "below" else f"mean < {bound:g}"
        return (
            f"{self.label}: mean {i.mean:.4g}, {confidence:.0%} interval [{i.low:.4g}, "
            f"{i.high:.4g}] over {i.samples} seeds; '{crossed}' (violating the bound "
            f"'{side} {bound:g}') has Holm-adjusted p = {self.p_adjusted[side]:.3g}"
        )


@dataclass(frozen=True)
class CellDecision:
    cell: str
    # HOLDS, FAILS or INCONCLUSIVE.
    finding: str
    # One per check of the cell, in the order given.
    checks: tuple[CheckResult, ...]
    # (check label, side) of every significant violation; non-empty exactly when FAILS.
    violations: tuple[tuple[str, str], ...]
    alpha: float
    # Violation tests in the whole family (Holm's m).
    family_size: int

    @property
    def intervals(self) -> dict[str, Interval]:
        return {c.label: c.interval for c in self.checks}

    @property
    def p_adjusted(self) -> dict[str, dict[str, float]]:
        return {c.label: c.p_adjusted for c in self.checks}

    def conclude(self, what: str) -> CellDecision:
        """Return self if HOLDS; AssertionError if FAILS; claims.engine.evidence.Inconclusive otherwise."""
        if self.finding == HOLDS:
            return self
        by_label = {c.label: c for c in self.checks}
        confidence = 1 - self.alpha
        if self.finding == FAILS:
            raise AssertionError(
                f"{what} [{self.cell}]: "
                + "; ".join(
                    by_label[label].describe(side, confidence) for label, side in self.violations
                )
                + f" (Holm over the family's {self.family_size} violation tests, alpha {self.alpha:g})"
            )
        undecided = [
            c.describe(side, confidence) for c in self.checks if not c.inside for side in c.bounds
        ]
        raise Inconclusive(
            f"{what} [{self.cell}]: not every interval lies inside its bounds, and no violation "
            "is significant: " + "; ".join(undecided)
        )


def decide_family(
    cells: Mapping[str, Sequence[Check]], *, alpha: float = 0.05
) -> dict[str, CellDecision]:
    """Decide every cell of a conditions grid; cell label -> CellDecision.

    Rule, per cell:
      HOLDS   every check's two-sided (1 - alpha) Student-t interval lies strictly inside its
              bounds (high < below, low > above). The cell's statement is the intersection of
              its checks' statements, so by the intersection-union principle (Berger 1982,
              Technometrics 24:295-300) no multiplicity adjustment is needed: a wrong HOLDS
              needs the interval of a check whose statement is false to exclude that check's
              bound, which happens with probability at most alpha/2 (the one-sided error of a
              two-sided interval). This bounds the error per cell, not the chance that some
              cell of a large grid holds wrongly.
      FAILS   some check's one-sided violation test ("mean > below" for a below bound, "mean <
              above" for an above bound; one_sided_p) has Holm-adjusted p < alpha, the adjustment
              taken over ALL violation tests of ALL cells of the family: Holm (holm) controls the
              family-wise error rate of declaring any FAILS at alpha.
      INCONCLUSIVE otherwise (never a pass).
    At alpha < 1/2 a cell cannot both hold and fail: an interval inside a bound puts the mean on
    the statement's side, where the violation test's p exceeds 1/2.
    Errors: ValueError (an ERROR, never a finding) for a cell with no checks or duplicate check
    labels; a check with no bound, with above >= below, with fewer than 2 samples or with a
    non-finite sample; alpha outside (0, 1/2).
    """
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must lie in (0, 1/2), got {alpha}")
    raw: list[tuple[str, int, str, float]] = []  # (cell, check index, side, p)
    intervals: dict[tuple[str, int], Interval] = {}
    for cell, checks in cells.items():
        labels = [check.label for check in checks]
        if not labels:
            raise ValueError(f"cell {cell!r} has no checks (it would hold vacuously)")
        if len(set(labels)) != len(labels):
            raise ValueError(f"cell {cell!r}: duplicate check labels {labels}")
        for index, check in enumerate(checks):
            bounds = check.bounds()
            if not bounds:
                raise ValueError(f"cell {cell!r}, {check.label}: a check needs below or above")
            if len(bounds) == 2 and not check.above < check.below:
                raise ValueError(f"cell {cell!r}, {check.label}: above must be < below")
            values = finite_samples(check.samples, what=f"cell {cell!r}, {check.label}")
            intervals[cell, index] = mean_interval(values, confidence=1 - alpha)
            for side, bound in bounds.items():
                alternative = "greater" if side == "below" else "less"
                raw.append((cell, index, side, one_sided_p(values, bound, alternative)))
    adjusted = holm([p for *_, p in raw])
    p_raw: dict[tuple[str, int], dict[str, float]] = {key: {} for key in intervals}
    p_adjusted: dict[tuple[str, int], dict[str, float]] = {key: {} for key in intervals}
    for (cell, index, side, p), p_holm in zip(raw, adjusted, strict=True):
        p_raw[cell, index][side], p_adjusted[cell, index][side] = p, p_holm
    decisions = {}
    for cell, checks in cells.items():
        results = tuple(
            CheckResult(
                check.label,
                check.bounds(),
                intervals[cell, i],
                p_raw[cell, i],
                p_adjusted[cell, i],
            )
            for i, check in enumerate(checks)
        )
        violations = tuple((r.label, side) for r in results for side in r.violated(alpha))
        if violations:
            finding = FAILS
        elif all(r.inside for r in results):
            finding = HOLDS
        else:
            finding = INCONCLUSIVE
        decisions[cell] = CellDecision(cell, finding, results, violations, alpha, len(raw))
    return decisions
