"""The measurement recorder and how an exception becomes a finding."""

import math

import pytest

from claims.engine.evidence import (
    MeasurementError,
    Measurements,
    classify,
    counterexample_of,
    reproduction_blob,
)
from claims.engine.records import Finding


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "12 apples", None])
def test_a_non_finite_or_non_numeric_measurement_is_refused(value):
    recorder = Measurements()
    with pytest.raises(MeasurementError):
        recorder.record("m", value)
    with pytest.raises(MeasurementError):
        recorder.maximum("m", value)
    assert recorder.values == {}


def test_folds_keep_the_extreme_or_the_sum_across_examples():
    recorder = Measurements()
    for value in (3, -1, 7):
        recorder.maximum("high", value)
        recorder.minimum("low", value)
        recorder.count("total", value)
    assert {k: m.value for k, m in recorder.values.items()} == {"high": 7, "low": -1, "total": 9}


def test_one_name_cannot_change_its_unit():
    recorder = Measurements()
    recorder.maximum("m", 1, "s")
    with pytest.raises(MeasurementError, match="unit"):
        recorder.maximum("m", 2, "ms")


@pytest.mark.parametrize(
    "exception, finding",
    [
        (None, Finding.HOLDS),
        (AssertionError("x"), Finding.FAILS),
        (ExceptionGroup("g", [AssertionError("a"), AssertionError("b")]), Finding.FAILS),
        (ExceptionGroup("g", [AssertionError("a"), KeyError("b")]), Finding.ERROR),
        (RuntimeError("x"), Finding.ERROR),
        (MeasurementError("nan"), Finding.ERROR),
    ],
)
def test_only_assertions_are_counterexamples(exception, finding):
    assert classify(exception) == finding


def test_the_counterexample_keeps_the_falsifying_example_and_the_message_not_the_introspection():
    error = AssertionError("neuron 3 passed gradient\nassert False\n +  where False = equal(...)")
    error.add_note("Failing test case: test_x(\n    measurements=<measurements>,\n    seed=0,\n)")
    error.add_note(
        "\nYou can reproduce this test case by temporarily adding "
        "@reproduce_failure('6.1.0', b'AAE=') as a decorator on your test function"
    )
    assert (
        counterexample_of(error)
        == "Failing test case: test_x(\n    seed=0,\n)\nneuron 3 passed gradient"
    )
    assert reproduction_blob(error) == "@reproduce_failure('6.1.0', b'AAE=')"


@pytest.mark.parametrize("digits", [0, 18, 2.5, "4"])
def test_a_table_refuses_a_digit_count_it_cannot_print(digits):
    with pytest.raises(MeasurementError, match="digits"):
        Measurements().table("t", ["a"], [[1.0]], digits=digits)


def test_a_table_keeps_the_digits_its_test_asked_for():
    recorder = Measurements()
    recorder.table("t", ["a"], [[1.0]], digits=10)
    recorder.table("u", ["a"], [[1.0]])
    assert (recorder.tables["t"]["digits"], recorder.tables["u"]["digits"]) == (10, 4)
