"""One-sided p-values, Holm's adjustment and the equivalence rule (claims.instruments.statistics)."""

import math

import pytest
from scipy import stats

from claims.engine.evidence import Inconclusive
from claims.instruments.statistics import (
    decide_equivalent,
    equivalence,
    holm,
    mean_interval,
    one_sided_p,
)
from tests.common.samples import exact


def test_holm_matches_a_hand_computation():
    # Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 -> max(0.06, 0.04);
    # then back in the given order. (Bonferroni would give 0.04, 0.16, 0.12, 0.02.)
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-15)


def test_holm_caps_adjusted_p_values_at_one_and_accepts_an_empty_family():
    assert holm([0.6, 0.7]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


def test_one_sided_p_is_scipys_t_test():
    samples = exact(0.3, 1.0)
    t = 0.3 / (1.0 / math.sqrt(len(samples)))
    assert one_sided_p(samples, 0.0, "greater") == pytest.approx(stats.t.sf(t, len(samples) - 1))
    assert one_sided_p(samples, 0.0, "less") == pytest.approx(stats.t.cdf(t, len(samples) - 1))


def test_one_sided_p_of_zero_variance_samples_is_zero_only_strictly_beyond_the_threshold():
    assert one_sided_p([2.0, 2.0, 2.0], 1.0, "greater") == 0.0
    assert one_sided_p([2.0, 2.0, 2.0], 1.0, "less") == 1.0
    assert one_sided_p([1.0, 1.0, 1.0], 1.0, "greater") == 1.0
    assert one_sided_p([0.5, 0.5], 1.0, "less") == 0.0


@pytest.mark.parametrize("bad", [[1.0, float("nan")], [1.0, float("inf")], [1.0]])
def test_one_sided_p_refuses_non_finite_or_too_few_samples(bad):
    with pytest.raises(ValueError):
        one_sided_p(bad, 0.0, "greater")


def test_one_sided_p_refuses_an_unknown_alternative():
    with pytest.raises(ValueError, match="alternative"):
        one_sided_p([1.0, 2.0], 0.0, "two-sided")


def test_equivalence_holds_when_the_90_percent_interval_is_inside_the_bounds():
    result = decide_equivalent(exact(0.0, 0.1), -1.0, 1.0, what="x")
    assert result.p < 0.05
    assert -1.0 < result.interval90.low and result.interval90.high < 1.0


def test_equivalence_holds_on_the_90_percent_interval_even_where_the_95_percent_one_pokes_out():
    # t(0.95, 9) = 1.833 < 2.0 < t(0.975, 9) = 2.262: the mean sits 2 standard errors below the
    # upper bound, so TOST at 5 % (the 90 % interval) rejects while the 95 % interval crosses it.
    sd, n = 1.0, 10
    samples = exact(1.0 - 2.0 * sd / math.sqrt(n), sd, n)
    result = decide_equivalent(samples, -5.0, 1.0, what="x")
    assert result.interval90.high < 1.0 < result.interval95.high


def test_equivalence_fails_when_the_95_percent_interval_is_wholly_outside():
    with pytest.raises(AssertionError, match="wholly above"):
        decide_equivalent(exact(5.0, 0.1), -1.0, 1.0, what="x")
    with pytest.raises(AssertionError, match="wholly below"):
        decide_equivalent(exact(-5.0, 0.1), -1.0, 1.0, what="x")


def test_equivalence_is_inconclusive_when_the_interval_straddles_a_bound():
    with pytest.raises(Inconclusive):
        decide_equivalent(exact(0.9, 1.0), -1.0, 1.0, what="x")


def test_equivalence_p_is_the_larger_of_the_two_one_sided_p_values():
    samples = exact(0.4, 0.8)
    result = equivalence(samples, -0.5, 1.0)
    expected = max(one_sided_p(samples, -0.5, "greater"), one_sided_p(samples, 1.0, "less"))
    assert result.p == pytest.approx(expected, rel=1e-9)
    assert result.interval95 == mean_interval(samples)
    assert result.interval90 == mean_interval(samples, confidence=0.90)


def test_equivalence_of_zero_variance_samples_follows_the_one_sided_rule():
    assert equivalence([0.2, 0.2, 0.2], -1.0, 1.0).p == 0.0
    with pytest.raises(AssertionError):
        decide_equivalent([3.0, 3.0], -1.0, 1.0, what="x")


@pytest.mark.parametrize("bad", [[0.0, float("nan"), 0.1], [0.0, -float("inf")]])
def test_equivalence_refuses_non_finite_samples(bad):
    with pytest.raises(ValueError):
        equivalence(bad, -1.0, 1.0)


def test_equivalence_refuses_empty_bounds():
    with pytest.raises(ValueError, match="low < high"):
        equivalence([0.0, 0.1], 1.0, 1.0)


def test_mean_interval_is_the_student_t_95_percent_interval():
    samples = [0.3, -0.1, 0.8, 0.45, 0.2, 0.05, 0.6]
    n = len(samples)
    mean = sum(samples) / n
    low, high = stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(samples))
    found = mean_interval(samples)
    assert (found.low, found.high) == pytest.approx((low, high), rel=1e-12)
