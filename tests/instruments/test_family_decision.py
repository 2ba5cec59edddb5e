"""The conditions-grid rule: claims.instruments.statistics.decide_family and CellDecision.conclude."""

import math

import pytest
from scipy import stats

from claims.engine.evidence import Inconclusive
from claims.instruments.statistics import FAILS, HOLDS, INCONCLUSIVE, Check, decide_family
from tests.common.samples import exact

N = 10


def at_p(bound: float, p: float, sd: float = 1.0) -> list[float]:
    """Samples whose one-sided test of 'mean > bound' has p-value p (df = N - 1)."""
    return exact(bound + stats.t.isf(p, N - 1) * sd / math.sqrt(N), sd, N)


def test_a_cell_holds_when_every_interval_lies_inside_its_bounds():
    cells = {
        "gelu/sgd": [
            Check("incoming", exact(0.2, 0.1), below=1.0),
            Check("behaviour", exact(0.5, 0.1), below=1.0, above=0.0),
        ]
    }
    decision = decide_family(cells)["gelu/sgd"]
    assert decision.finding == HOLDS and decision.violations == ()
    assert decision.conclude("D/A") is decision
    assert decision.intervals["incoming"].high < 1.0
    assert set(decision.p_adjusted["behaviour"]) == {"below", "above"}


def test_a_violated_upper_bound_fails_and_names_its_side():
    cells = {"relu/adam": [Check("incoming", exact(2.0, 0.1), below=1.0)]}
    decision = decide_family(cells)["relu/adam"]
    assert decision.finding == FAILS
    assert decision.violations == (("incoming", "below"),)
    with pytest.raises(AssertionError, match=r"relu/adam.*incoming.*mean > 1.*below 1"):
        decision.conclude("D/A")


def test_a_violated_lower_bound_fails_with_side_above_so_a_test_can_call_it_reversed():
    cells = {"gelu/sgd": [Check("behaviour", exact(-0.5, 0.1), below=1.0, above=0.0)]}
    decision = decide_family(cells)["gelu/sgd"]
    assert decision.finding == FAILS
    assert decision.violations == (("behaviour", "above"),)
    with pytest.raises(AssertionError, match=r"mean < 0"):
        decision.conclude("D/A")


def test_a_cell_is_inconclusive_when_an_interval_straddles_and_no_violation_is_significant():
    cells = {"silu/sgd": [Check("incoming", exact(0.95, 0.3), below=1.0)]}
    decision = decide_family(cells)["silu/sgd"]
    assert decision.finding == INCONCLUSIVE
    with pytest.raises(Inconclusive, match="silu/sgd"):
        decision.conclude("D/A")


def test_one_straddling_check_keeps_a_cell_from_holding():
    cells = {
        "c": [
            Check("incoming", exact(0.2, 0.1), below=1.0),
            Check("outgoing", exact(0.95, 0.3), below=1.0),
        ]
    }
    assert decide_family(cells)["c"].finding == INCONCLUSIVE


def test_zero_variance_samples_decide_by_which_side_of_the_bound_they_lie_on():
    cells = {
        "under": [Check("x", [0.5] * 4, below=1.0)],
        "over": [Check("x", [1.5] * 4, below=1.0)],
        "on": [Check("x", [1.0] * 4, below=1.0)],
    }
    decisions = decide_family(cells)
    assert decisions["under"].finding == HOLDS
    assert decisions["over"].finding == FAILS
    assert decisions["on"].finding == INCONCLUSIVE


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_a_non_finite_sample_is_an_error_not_a_finding(bad):
    cells = {
        "ok": [Check("x", exact(0.2, 0.1), below=1.0)],
        "bad": [Check("x", [0.1, bad, 0.2], below=1.0)],
    }
    with pytest.raises(ValueError, match="non-finite"):
        decide_family(cells)


def test_holm_over_the_whole_family_turns_a_lone_failure_into_inconclusive():
    # Alone, p = 0.03 < 0.05 fails; among four violation tests Holm multiplies the smallest
    # p by 4 (0.12), so the same cell no longer fails.
    suspect = [Check("x", at_p(1.0, 0.03), below=1.0)]
    assert decide_family({"suspect": suspect})["suspect"].finding == FAILS
    family = {"suspect": suspect} | {
        f"other{i}": [Check("x", at_p(1.0, 0.5), below=1.0)] for i in range(3)
    }
    decision = decide_family(family)["suspect"]
    assert decision.p_adjusted["x"]["below"] == pytest.approx(0.12, rel=1e-6)
    assert decision.finding == INCONCLUSIVE
    assert decision.family_size == 4


def test_holms_step_down_fails_a_second_cell_that_bonferroni_would_not():
    # Holm: 0.01·2 = 0.02, max(0.02, 0.04·1) = 0.04 < 0.05 -> both fail (Bonferroni: 0.08).
    family = {
        "first": [Check("x", at_p(1.0, 0.01), below=1.0)],
        "second": [Check("x", at_p(1.0, 0.04), below=1.0)],
    }
    decisions = decide_family(family)
    assert decisions["second"].p_adjusted["x"]["below"] == pytest.approx(0.04, rel=1e-6)
    assert [decisions[c].finding for c in family] == [FAILS, FAILS]


def test_holding_needs_no_adjustment_however_large_the_family():
    family = {f"cell{i}": [Check("x", at_p(1.0, 0.99), below=1.0)] for i in range(50)}
    assert {d.finding for d in decide_family(family).values()} == {HOLDS}


@pytest.mark.parametrize(
    "check",
    [
        Check("no bound", [0.1, 0.2]),
        Check("empty range", [0.1, 0.2], below=0.0, above=1.0),
        Check("one sample", [0.1], below=1.0),
    ],
)
def test_malformed_checks_are_errors(check):
    with pytest.raises(ValueError):
        decide_family({"c": [check]})


def test_a_cell_without_checks_is_an_error_not_a_vacuous_hold():
    with pytest.raises(ValueError, match="no checks"):
        decide_family({"c": []})
