"""The measurement recorder and how an exception becomes a finding."""

import json
import math

import pytest

from claims.engine.evidence import (
    MeasurementError,
    Measurements,
    build,
    classify,
    counterexample_of,
    reproduction_blob,
)
from claims.engine.numbers import shown_number
from claims.engine.records import EvidenceKind, Finding


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "12 apples", None, True, False])
def test_a_non_finite_or_non_numeric_measurement_is_refused(value):
    recorder = Measurements()
    with pytest.raises(MeasurementError):
        recorder.record("m", value)
    with pytest.raises(MeasurementError):
        recorder.maximum("m", value)
    with pytest.raises(MeasurementError):
        recorder.minimum("m", value)
    assert recorder.values == {}


# --- observed non-finite values ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, written, shown",
    [(math.nan, "nan", "NaN"), (math.inf, "inf", "∞"), (-math.inf, "-inf", "−∞")],
)
def test_a_non_finite_value_can_be_observed_and_is_written_as_a_flagged_string(
    value, written, shown
):
    recorder = Measurements()
    recorder.observe("derivative", value, "1/s")
    recorder.observe("finite", 2.5)
    found = build_evidence(recorder, AssertionError("the derivative is not finite"))
    assert found.outcome == Finding.FAILS
    assert found.measurements["derivative"] == {"value": written, "unit": "1/s", "nonfinite": True}
    assert found.measurements["finite"] == {"value": 2.5, "unit": "", "nonfinite": False}
    assert json.loads(json.dumps(found.to_json(), allow_nan=False)) == found.to_json()
    assert shown_number(written) == shown and shown_number(2.5) is None


def test_a_test_that_observes_a_nan_and_passes_is_error_never_holds():
    recorder = Measurements()
    recorder.observe("derivative", math.nan)
    found = build_evidence(recorder, None)
    assert found.outcome == Finding.ERROR
    assert (
        "observed derivative = nan" in found.error
        and "never lets a proposition hold" in found.error
    )
    finite = Measurements()
    finite.observe("derivative", 0.5)
    assert build_evidence(finite, None).outcome == Finding.HOLDS


def test_an_observed_non_finite_value_is_never_folded_into():
    recorder = Measurements()
    recorder.observe("m", math.inf)
    with pytest.raises(MeasurementError, match="observed as inf"):
        recorder.maximum("m", 1.0)
    with pytest.raises(MeasurementError, match="not a number"):
        recorder.observe("m", "NaN please")


def build_evidence(recorder: Measurements, exception: BaseException | None):
    return build(
        test="t::x",
        proposition="toy/x",
        kind=EvidenceKind.PROPERTY,
        exception=exception,
        examples=None,
        measurements=recorder,
        reproduce_command="pytest t::x",
    )


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
