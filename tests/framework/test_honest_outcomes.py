"""Every outcome pytest saw reaches the finding, and only the catalog sets expectations.

A test author cannot keep pytest green over a refuted claim (an xfail, skip or skipif from a
decorator, a conftest or pytest.xfail() in the body), nor let an outcome slip past the report (a
teardown that raises, a worker that dies, a failure Hypothesis cannot reproduce), nor let a key
or a figure keep one of two values silently. docs/integrity.md, "A report that cannot lie".
"""

import pytest

from tests.common.toy_project import MATCHING_TESTS

HOLDS_MARKER = '@pytest.mark.claim("toy/holds", kind="symbolic")'
HOLDS_BODY = 'measurements.record("answer", 42, "units")'
FAILING_HOLDS = MATCHING_TESTS.replace(HOLDS_BODY, 'assert 2 + 2 == 5, "arithmetic broke"')

DECORATORS = {
    "xfail": '@pytest.mark.xfail(reason="known")',
    "skip": '@pytest.mark.skip(reason="later")',
    "skipif": '@pytest.mark.skipif(True, reason="not here")',
}


@pytest.mark.parametrize("name, decorator", DECORATORS.items(), ids=DECORATORS.keys())
def test_an_expectation_marker_on_a_claim_test_is_refused_at_collection(
    toy_project, name, decorator
):
    # On a failing expected-HOLDS test, @pytest.mark.xfail once gave "xfailed", exit 0, over a
    # report saying REFUTED.
    run = toy_project(FAILING_HOLDS.replace(HOLDS_MARKER, f"{decorator}\n{HOLDS_MARKER}"))
    assert run.result.ret == pytest.ExitCode.INTERRUPTED
    assert f"tests/claims/test_toy.py:4: test_holds: @pytest.mark.{name} on a claim test" in (
        run.output
    )
    assert "expectations live in the catalog only" in run.output
    assert not (run.folder / "out").exists()


CONFTEST_XFAIL = """
import pytest

def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.xfail(reason="hidden by a conftest"))
"""


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_an_expectation_marker_added_by_a_conftest_is_refused_at_collection(toy_project, workers):
    run = toy_project(
        FAILING_HOLDS, files={"tests/claims/conftest.py": CONFTEST_XFAIL}, args=workers
    )
    # Collection errors: pytest stops (2); under xdist the workers report them and it exits 1.
    assert run.result.ret in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.TESTS_FAILED)
    assert "tests/claims/test_toy.py:4: test_holds: @pytest.mark.xfail on a claim test" in (
        run.output
    )
    assert "INTERNALERROR" not in run.output
    assert not (run.folder / "out").exists()


@pytest.mark.parametrize("call", ['pytest.xfail("known")', 'pytest.skip("later")'])
@pytest.mark.parametrize("test", ["test_holds", "test_fails"])
def test_a_claim_test_that_calls_xfail_or_skip_is_an_error_and_red(toy_project, call, test):
    body = HOLDS_BODY if test == "test_holds" else 'assert 1 == 2, "one is not two"'
    run = toy_project(MATCHING_TESTS.replace(body, f"{call}\n    {body}"))
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    proposition = "toy/holds" if test == "test_holds" else "toy/fails"
    assert run.findings()[proposition] == "ERROR"  # never FAILS nor INCONCLUSIVE from it
    (evidence,) = [
        e
        for p in run.report()["claims"][0]["propositions"]
        for e in p["evidence"]
        if test in e["test"]
    ]
    assert "may not call pytest." in evidence["error"] and evidence["counterexample"] is None


TEARDOWN_RAISES = MATCHING_TESTS.replace(
    "import pytest\n",
    "import pytest\n\n@pytest.fixture\ndef leaky():\n    yield\n    raise RuntimeError('teardown broke')\n",
).replace("def test_holds(measurements):", "def test_holds(measurements, leaky):")


def test_a_fixture_whose_teardown_raises_makes_the_finding_an_error(toy_project):
    run = toy_project(TEARDOWN_RAISES)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    assert run.findings()["toy/holds"] == "ERROR"
    (claim,) = run.report()["claims"]
    holds = [p for p in claim["propositions"] if p["id"] == "toy/holds"][0]
    assert holds["evidence"][0]["error"] == "teardown: RuntimeError: teardown broke"


FLAKY = """
import pytest
from hypothesis import given, strategies as st

@pytest.mark.claim("toy/holds", kind="symbolic")
def test_holds(measurements):
    measurements.record("answer", 42, "units")

CALLS = []

@pytest.mark.claim("toy/fails", kind="property")
@given(st.integers())
def test_fails(n):
    CALLS.append(n)
    assert len(CALLS) != 3, "fails on its third call only"
"""


def test_a_failure_hypothesis_cannot_reproduce_is_an_error_not_a_counterexample(toy_project):
    run = toy_project(FLAKY)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    assert run.findings()["toy/fails"] == "ERROR"
    _, fails = run.report()["claims"][0]["propositions"]
    evidence = fails["evidence"][0]
    assert evidence["error"].startswith("FlakyFailure")
    assert evidence["counterexample"] is None and evidence["reproduce"] is None


WORKER_DIES = (
    MATCHING_TESTS
    + """
import os

@pytest.mark.claim("toy/holds", kind="symbolic")
def test_holds_in_a_dying_worker():
    os._exit(1)
"""
)


def test_a_worker_that_dies_in_one_of_a_propositions_tests_is_reported_and_partial(toy_project):
    run = toy_project(WORKER_DIES, args=("-n", "2"))
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    assert not (run.folder / "out" / "claims.json").exists(), "a crashed run is never complete"
    document = run.report(partial=True)
    assert document["run"]["complete"] is False
    assert run.findings(partial=True)["toy/holds"] == "ERROR"
    errors = [
        e["error"]
        for p in document["claims"][0]["propositions"]
        for e in p["evidence"]
        if e["error"]
    ]
    assert any("crashed while running" in error for error in errors), errors


TWO_RECORD_THE_KEY = (
    MATCHING_TESTS
    + """
@pytest.mark.claim("toy/holds", kind="symbolic")
def test_holds_again(measurements):
    measurements.record("answer", 43, "units")
"""
)


def test_two_tests_recording_a_keys_measurement_fail_the_run_naming_both(toy_project):
    run = toy_project(TWO_RECORD_THE_KEY)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    lines = [line for line in run.output.splitlines() if line.startswith("claims error")]
    assert lines == [
        "claims error: toy/holds: key names measurement 'answer', which 2 of its tests record "
        "(tests/claims/test_toy.py::test_holds, tests/claims/test_toy.py::test_holds_again): "
        "the key would show one of them; record it in one test"
    ]


TWO_SAVE_ONE_FIGURE = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

def save(measurements, slope):
    figure, axes = plt.subplots()
    axes.plot([0, 1], [0, slope])
    measurements.figure("toy-plot", figure)

@pytest.mark.claim("toy/holds", kind="symbolic")
def test_holds(measurements):
    measurements.record("answer", 42, "units")
    save(measurements, 1)

@pytest.mark.claim("toy/fails", kind="construction")
def test_fails(measurements):
    save(measurements, 2)
    assert 1 == 2, "one is not two"
"""


def test_two_tests_saving_one_figure_name_fail_the_run_naming_both(toy_project):
    run = toy_project(TWO_SAVE_ONE_FIGURE)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    lines = [line for line in run.output.splitlines() if line.startswith("claims error")]
    assert lines == [
        "claims error: figure 'toy-plot' is saved by 2 tests (tests/claims/test_toy.py::test_fails"
        ", tests/claims/test_toy.py::test_holds): the report would keep one of them; give each "
        "figure its own name"
    ]
