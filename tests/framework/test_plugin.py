"""The pytest plugin, driven end to end in scratch projects (see conftest.toy_project)."""

import shlex
import subprocess

import pytest

from tests.common.toy_project import MATCHING_TESTS


def test_matching_findings_keep_pytest_green_and_write_both_reports(toy_project):
    run = toy_project()
    run.result.assert_outcomes(passed=1, xfailed=1)
    report = run.report()
    assert report["run"]["complete"] is True
    assert run.findings() == {"toy/holds": "HOLDS", "toy/fails": "FAILS"}
    (claim,) = report["claims"]
    assert claim["verdict"] == "QUALIFIED"
    assert claim["key"] == "the answer: 42"
    # In sentence order: toy/holds formalizes S09, toy/fails no sentence.
    holds, fails = claim["propositions"]
    assert (holds["id"], fails["id"]) == ("toy/holds", "toy/fails")
    failing = fails["evidence"][0]
    assert "one is not two" in failing["counterexample"]
    assert "--runxfail" in failing["reproduce"] and "test_fails" in failing["reproduce"]
    # No search ran: the Hypothesis profile would change nothing, so the command names none.
    assert failing["reproduce"].startswith(".venv/bin/python ")
    assert (run.folder / "out" / "claims.md").read_text().count(
        "| [toy](#toy) | **QUALIFIED**"
    ) == 1
    assert "claims verdicts" in run.output


def test_an_expected_failure_that_passes_turns_the_run_red(toy_project):
    run = toy_project(MATCHING_TESTS.replace('assert 1 == 2, "one is not two"', "assert True"))
    run.result.assert_outcomes(passed=1, failed=1)
    assert "XPASS(strict)" in run.output
    assert run.findings()["toy/fails"] == "HOLDS"


def test_an_expected_hold_that_fails_turns_the_run_red_with_the_counterexample(toy_project):
    run = toy_project(
        MATCHING_TESTS.replace(
            'measurements.record("answer", 42, "units")', 'assert 2 + 2 == 5, "arithmetic broke"'
        )
    )
    run.result.assert_outcomes(failed=1, xfailed=1)
    assert run.findings()["toy/holds"] == "FAILS"
    assert run.report()["claims"][0]["verdict"] == "REFUTED"


@pytest.mark.parametrize(
    "body",
    [
        'measurements.record("answer", float("nan"))',
        'measurements.maximum("answer", float("inf"))',
        'raise KeyError("not an assertion")',
        'pytest.skip("skipping checks nothing")',
    ],
    ids=["nan-measurement", "inf-measurement", "non-assertion-exception", "skip"],
)
def test_errors_are_error_findings_and_red_never_holds(toy_project, body):
    run = toy_project(MATCHING_TESTS.replace('measurements.record("answer", 42, "units")', body))
    assert run.result.ret != 0
    assert run.findings()["toy/holds"] == "ERROR"
    assert run.report()["claims"][0]["verdict"] == "INCONCLUSIVE"


def test_an_expected_failure_that_errors_is_red_not_xfailed(toy_project):
    run = toy_project(MATCHING_TESTS.replace('assert 1 == 2, "one is not two"', "1 / 0"))
    run.result.assert_outcomes(passed=1, failed=1)
    assert run.findings()["toy/fails"] == "ERROR"


def test_a_proposition_without_any_test_is_untested_and_blocks_support(toy_project):
    extra = 'proposition("orphan", Role.ASSERTED, Finding.HOLDS),'
    run = toy_project(extra=extra)
    run.result.assert_outcomes(passed=1, xfailed=1)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    assert "toy/orphan: expected HOLDS, found UNTESTED" in run.output
    assert run.findings()["toy/orphan"] == "UNTESTED"
    assert run.report()["claims"][0]["verdict"] == "INCONCLUSIVE"


def test_a_partial_run_reports_not_run_and_never_touches_the_full_report(toy_project):
    full = toy_project()
    before = (full.folder / "out" / "claims.json").read_bytes()
    partial = toy_project(args=("-k", "test_holds"))
    assert (partial.folder / "out" / "claims.json").read_bytes() == before
    assert partial.report(partial=True)["run"]["complete"] is False
    assert partial.findings(partial=True) == {"toy/holds": "HOLDS", "toy/fails": "NOT_RUN"}
    assert "partial run; full report untouched" in partial.output


def test_a_node_id_run_is_partial_too(toy_project):
    run = toy_project(args=("tests/claims/test_toy.py::test_holds",))
    assert not (run.folder / "out" / "claims.json").exists()
    assert run.findings(partial=True)["toy/fails"] == "NOT_RUN"


def test_hypothesis_examples_and_reproduction_blob_are_captured(toy_project):
    tests = "from hypothesis import given, strategies as st\n" + MATCHING_TESTS.replace(
        'kind="construction")\ndef test_fails():\n    assert 1 == 2, "one is not two"',
        'kind="property")\n@given(st.integers())\ndef test_fails(n):\n    assert n < 1000, f"n = {n}"',
    )
    run = toy_project(tests)
    run.result.assert_outcomes(passed=1, xfailed=1)
    _, fails = run.report()["claims"][0]["propositions"]
    evidence = fails["evidence"][0]
    assert evidence["examples"] > 1
    assert "n=1000" in evidence["counterexample"] and "n = 1000" in evidence["counterexample"]
    assert "@reproduce_failure(" in evidence["reproduce"]
    assert evidence["reproduce"].startswith("HYPOTHESIS_PROFILE=")


def test_xdist_workers_report_the_same_findings_as_a_serial_run(toy_project):
    serial = toy_project().findings()
    distributed = toy_project(args=("-n", "2"))
    assert distributed.report()["run"]["workers"] == 2
    assert distributed.findings() == serial


def test_a_run_without_claim_tests_writes_no_report(toy_project):
    run = toy_project(
        files={"tests/other/test_plain.py": "def test_plain():\n    assert True\n"},
        args=("tests/other",),
    )
    run.result.assert_outcomes(passed=1)
    assert not (run.folder / "out").exists()


def test_a_key_naming_an_unrecorded_measurement_fails_the_run_with_one_line(toy_project):
    run = toy_project(MATCHING_TESTS.replace('"answer", 42', '"another", 42'))
    run.result.assert_outcomes(passed=1, xfailed=1)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    lines = [line for line in run.output.splitlines() if "claims error" in line]
    assert lines == [
        "claims error: toy/holds: key names measurement 'answer', which none of its tests "
        "recorded (tests/claims/test_toy.py::test_holds)"
    ]
    (claim,) = run.report()["claims"]
    holds, _ = claim["propositions"]
    assert claim["key"] is None and holds["key"] is None


def test_a_key_is_not_judged_where_the_test_recording_it_did_not_run(toy_project):
    # toy/holds has a second test that records nothing; run only that one (a partial run).
    tests = MATCHING_TESTS + (
        '\n@pytest.mark.claim("toy/holds", kind="symbolic")\ndef test_holds_too():\n    pass\n'
    )
    run = toy_project(tests, args=("-k", "test_holds_too or test_fails"))
    run.result.assert_outcomes(passed=1, xfailed=1)
    assert run.result.ret == pytest.ExitCode.OK and "claims error" not in run.output
    assert run.findings(partial=True)["toy/holds"] == "HOLDS"
    holds, _ = run.report(partial=True)["claims"][0]["propositions"]
    assert holds["key"] is None


INCONCLUSIVE_TESTS = (
    MATCHING_TESTS
    + """
from claims.engine.evidence import Inconclusive

@pytest.mark.claim("toy/undecided", kind="experiment")
def test_undecided():
    BODY
"""
)
UNDECIDED = (
    'proposition("undecided", Role.BEYOND, Finding.HOLDS, '
    'power="64 seeds: the interval clears 0 when the mean is 0.36 SD from it"),'
)


@pytest.mark.parametrize(
    "body, outcome, finding",
    [
        ('raise Inconclusive("the interval straddles the band")', "failed", "INCONCLUSIVE"),
        ("pass", "passed", "HOLDS"),
        ('assert False, "decided the other way"', "failed", "FAILS"),
    ],
)
def test_an_undecided_statistical_test_is_inconclusive_and_red_never_expected(
    toy_project, body, outcome, finding
):
    run = toy_project(INCONCLUSIVE_TESTS.replace("BODY", body), extra=UNDECIDED)
    counts = {"passed": 1, "xfailed": 1, "failed": 0}
    counts[outcome] += 1
    run.result.assert_outcomes(**counts)
    assert run.findings()["toy/undecided"] == finding
    shown = run.report()["claims"][0]["propositions"]
    assert [p["power"] for p in shown if p["id"] == "toy/undecided"] == [
        "64 seeds: the interval clears 0 when the mean is 0.36 SD from it"
    ]


NOT_RUN_TESTS = (
    MATCHING_TESTS
    + """
from claims.engine.evidence import NotRun

@pytest.mark.claim("toy/deep", kind="experiment")
def test_deep():
    BODY
"""
)


@pytest.mark.parametrize("expected", ["HOLDS", "FAILS"])
def test_a_test_whose_committed_evidence_is_missing_is_not_run_skipped_and_green(
    toy_project, expected
):
    extra = f'proposition("deep", Role.ASSERTED, Finding.{expected}),'
    body = 'raise NotRun("no deep evidence at reports/deep/x.json")'
    run = toy_project(NOT_RUN_TESTS.replace("BODY", body), extra=extra)
    run.result.assert_outcomes(passed=1, xfailed=1, skipped=1)
    assert run.result.ret == pytest.ExitCode.OK
    assert run.findings()["toy/deep"] == "NOT_RUN"
    (claim,) = run.report()["claims"]
    (deep,) = [p for p in claim["propositions"] if p["id"] == "toy/deep"]
    assert deep["matches_expectation"] is None
    assert deep["evidence"][0]["error"] == "not run: no deep evidence at reports/deep/x.json"
    # An asserted proposition not run leaves the claim NOT_RUN (rule 2), never SUPPORTED.
    assert claim["verdict"] == "NOT_RUN"


def test_a_statistical_test_of_a_proposition_without_a_stated_power_is_refused(toy_project):
    # power="": the toy catalog's helper states a power unless told not to.
    extra = 'proposition("undecided", Role.BEYOND, Finding.HOLDS, power=""),'
    run = toy_project(INCONCLUSIVE_TESTS.replace("BODY", "pass"), extra=extra)
    assert run.result.ret != pytest.ExitCode.OK
    assert "toy/undecided is decided statistically (kind='experiment') but its catalog entry " in (
        run.output
    )
    assert not (run.folder / "out" / "claims.json").exists()


# --- a counterexample that is a NaN (issue: "a proposition whose finding *is* a NaN") -----------

NAN_GRADIENT = """
import math

import shlex
import subprocess

import pytest
import torch


@pytest.mark.claim("toy/holds", kind="symbolic")
def test_holds(measurements):
    measurements.record("answer", 42, "units")


@pytest.mark.claim("toy/fails", kind="construction")
def test_fails(measurements):
    # sqrt at 0 times 0: the chain rule gives inf * 0 = NaN where the statement says "finite".
    z = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    (torch.sqrt(z) * 0).sum().backward()
    derivative = z.grad.item()
    measurements.observe("derivative", derivative)
    assert math.isfinite(derivative), f"the derivative at 0 is {derivative}"
"""


def test_an_expected_failure_whose_counterexample_is_a_nan_is_recorded_and_stays_green(
    toy_project,
):
    run = toy_project(NAN_GRADIENT)
    run.result.assert_outcomes(passed=1, xfailed=1)
    assert run.result.ret == pytest.ExitCode.OK
    assert run.findings()["toy/fails"] == "FAILS"
    (claim,) = run.report()["claims"]
    evidence = next(p for p in claim["propositions"] if p["id"] == "toy/fails")["evidence"][0]
    assert evidence["measurements"]["derivative"] == "nan"
    assert evidence["nonfinite"] == ["derivative"]
    assert "the derivative at 0 is nan" in evidence["counterexample"]


def test_an_observed_nan_in_a_test_that_passes_is_error_and_red(toy_project):
    tests = MATCHING_TESTS.replace(
        'measurements.record("answer", 42, "units")',
        'measurements.record("answer", 42, "units")\n    measurements.observe("slope", float("-inf"))',
    )
    run = toy_project(tests)
    assert run.result.ret != 0
    run.result.assert_outcomes(failed=1, xfailed=1)
    assert run.findings()["toy/holds"] == "ERROR"
    assert "observed slope = -inf" in run.output
    (claim,) = run.report()["claims"]
    assert claim["verdict"] == "INCONCLUSIVE"


# --- the reproduce command is a shell command a reader pastes ----------------------------------

HOSTILE_ID = "a'; touch PWNED; echo '"


def test_a_reproduce_command_pasted_into_bash_runs_nothing_a_parametrize_id_smuggles_in(
    toy_project, tmp_path
):
    tests = MATCHING_TESTS.replace(
        '@pytest.mark.claim("toy/fails", kind="construction")\ndef test_fails():',
        '@pytest.mark.claim("toy/fails", kind="construction")\n'
        f"@pytest.mark.parametrize('word', [pytest.param(0, id={HOSTILE_ID!r})])\n"
        "def test_fails(word):",
    )
    run = toy_project(tests)
    run.result.assert_outcomes(passed=1, xfailed=1)
    _, fails = run.report()["claims"][0]["propositions"]
    evidence = fails["evidence"][0]
    assert HOSTILE_ID in evidence["test"], evidence["test"]
    # Pasted into bash where no .venv exists: the command itself fails (status 127); nothing
    # else may run.
    shell = subprocess.run(
        ["bash", "-c", evidence["reproduce"]], cwd=tmp_path, capture_output=True, timeout=60
    )
    assert shell.returncode == 127, shell
    assert not (tmp_path / "PWNED").exists(), "the pasted command ran `touch PWNED`"
    assert shlex.split(evidence["reproduce"])[-1] == evidence["test"]
