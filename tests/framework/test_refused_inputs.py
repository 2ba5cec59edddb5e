"""Input that should be refused is refused, with one line (docs/integrity.md, "A report that cannot lie"
and "Adding a claim"): scope values of the wrong type, a quote shorter than a word, an evidence
kind the test is not, NaN and Infinity in a report, an empty profile, tables and reports past
their stated size limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from claims.engine import untrusted
from claims.engine.evidence import (
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MeasurementError,
    Measurements,
)
from claims.engine.records import SourceRef
from claims.engine.registry import CatalogError, build_registry
from claims.report import document
from tests.common.good_claim import GOOD, OTHERS, POST, with_proposition
from tests.common.report_sets import a_set, readers
from tests.common.scratch_projects import ROOT, assert_one_line_error, claims
from tests.common.toy_project import MATCHING_TESTS

# --- the registry: scope values and quotes --------------------------------------------------------

BAD_SCOPES = {
    "a number for an activation": {"activation": 3},
    "None": {"activation": None},
    "a list": {"optimizer": ["SGD", "Adam"]},
    "a dict": {"dtype": {"name": "float64"}},
    "an empty string": {"architecture": " "},
    "a bool for a core key": {"aggregation": True},
    "None for a declared key": {"width": None},
    "a list for a declared key": {"width": [1, 2]},
    "NaN for a declared key": {"width": float("nan")},
}


@pytest.mark.parametrize("scope", BAD_SCOPES.values(), ids=BAD_SCOPES.keys())
def test_a_scope_value_of_the_wrong_type_is_refused_with_one_line(scope):
    with pytest.raises(CatalogError) as refused:
        build_registry(
            [with_proposition(scope=scope)], not_checked=OTHERS, scope_keys={"width": "w"}
        )
    [line] = str(refused.value).splitlines()
    assert f"scope {next(iter(scope))} = " in line, line


def test_a_declared_scope_key_may_hold_a_number_or_a_bool():
    scope = {"activation": "ReLU", "width": 3, "flag": True, "rate": 0.5}
    claim = with_proposition(scope=scope)
    keys = {"width": "hidden width", "flag": "a switch", "rate": "learning rate"}
    assert build_registry([claim], not_checked=OTHERS, scope_keys=keys).claims == (claim,)


# S09: "... the error signal at that neuron is clipped to zero ..."
SHORT_QUOTES = ["e", "a", "l a", "rror signal", "signal at th", "clipped to z"]


@pytest.mark.parametrize("quote", SHORT_QUOTES)
def test_a_quote_that_is_not_a_full_word_is_refused(quote):
    claim = replace(GOOD, source=(SourceRef(POST, "S09", quote),))
    with pytest.raises(CatalogError) as refused:
        build_registry([claim], not_checked=OTHERS)
    [line] = str(refused.value).splitlines()
    assert "not a full word or more" in line, line


@pytest.mark.parametrize("quote", ["zero", "signal at", "error signal at that neuron"])
def test_a_quote_of_whole_words_is_accepted(quote):
    claim = replace(GOOD, source=(SourceRef(POST, "S09", quote),))
    assert build_registry([claim], not_checked=OTHERS).claims == (claim,)


# --- the plugin: a test's evidence kind is what the test is -----------------------------------------

GIVEN = "from hypothesis import given, strategies as st\n"
PROPERTY_WITHOUT_GIVEN = MATCHING_TESTS.replace(
    'kind="construction")\ndef test_fails', 'kind="property")\ndef test_fails'
)
SYMBOLIC_WITH_GIVEN = GIVEN + MATCHING_TESTS.replace(
    'kind="symbolic")\ndef test_holds(measurements):',
    'kind="symbolic")\n@given(n=st.integers())\ndef test_holds(n, measurements):',
)


@pytest.mark.parametrize(
    "tests, words",
    [
        (PROPERTY_WITHOUT_GIVEN, ["test_fails", "kind='property' needs a Hypothesis test"]),
        (SYMBOLIC_WITH_GIVEN, ["test_holds", "kind='symbolic' on a Hypothesis test"]),
        (SYMBOLIC_WITH_GIVEN.replace("symbolic", "certified"), ["kind='certified'"]),
        (SYMBOLIC_WITH_GIVEN.replace("symbolic", "construction"), ["kind='construction'"]),
    ],
    ids=["property-without-given", "symbolic-given", "certified-given", "construction-given"],
)
def test_an_evidence_kind_the_test_is_not_is_a_collection_error(toy_project, tests, words):
    run = toy_project(tests)
    assert run.result.ret == pytest.ExitCode.INTERRUPTED, run.output
    errors = [line for line in run.output.splitlines() if "tests/claims/test_toy.py:" in line]
    assert any(all(word in line for word in words) for line in errors), run.output
    assert not (run.folder / "out").exists()


def test_a_hypothesis_test_may_be_property_tested_or_weaker(toy_project):
    for kind in ("property", "experiment", "real-model"):
        run = toy_project(SYMBOLIC_WITH_GIVEN.replace('kind="symbolic"', f'kind="{kind}"'))
        run.result.assert_outcomes(passed=1, xfailed=1)


# --- reports: NaN and Infinity, size limits ---------------------------------------------------------


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_strict_json_refuses_non_finite_literals(literal):
    with pytest.raises(untrusted.UntrustedInput, match=literal):
        untrusted.loads(f'{{"value": {literal}}}')
    assert untrusted.loads('{"value": "inf"}') == {"value": "inf"}


def assert_every_reader_refuses(report: Path, *words: str) -> None:
    results = {**readers(report.parent), "render": claims("render", "--report", str(report))}
    for name, result in results.items():
        assert result.returncode != 0, f"{name} accepted the report"
        [line] = result.stderr.strip().splitlines()
        assert "Traceback" not in line and "internal error" not in line, (name, line)
        assert all(word in line for word in words), (name, line)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_every_reader_refuses_a_report_with_a_non_finite_literal(tmp_path, literal):
    report = a_set(tmp_path)
    text = report.read_text()
    assert text.count('"m": 1.5') > 1
    report.write_text(text.replace('"m": 1.5', f'"m": {literal}', 1))
    assert_every_reader_refuses(report, literal, "not a JSON number")


def test_a_table_past_the_row_limit_is_a_measurement_error_and_refused_by_readers(tmp_path):
    recorder = Measurements()
    recorder.table("fits", ["a"], [[0.5]] * MAX_TABLE_ROWS)
    with pytest.raises(MeasurementError, match="over the limit"):
        recorder.table("rows", ["a"], [[0.5]] * (MAX_TABLE_ROWS + 1))
    with pytest.raises(MeasurementError, match="over the limit"):
        recorder.table("columns", [str(i) for i in range(MAX_TABLE_COLUMNS + 1)], [])
    report = a_set(tmp_path)
    written = json.loads(report.read_text())
    [table] = [
        t
        for c in written["claims"]
        for p in c["propositions"]
        for e in p["evidence"]
        for t in e["tables"].values()
    ]
    table["rows"] = [[0.25]] * 200_000  # 200 000 rows: 21 MB of JSON before the limit
    report.write_text(json.dumps(written, separators=(",", ":")))
    assert report.stat().st_size < document.MAX_REPORT_BYTES
    assert_every_reader_refuses(report, "200000 rows", "over the limit")


def test_a_report_past_the_size_limit_is_refused_by_readers_and_never_written(tmp_path):
    report = a_set(tmp_path)
    text = report.read_text()
    report.write_text(text[:-2] + " " * document.MAX_REPORT_BYTES + text[-2:])
    assert_every_reader_refuses(report, "larger than", f"{document.MAX_REPORT_BYTES:,}")
    huge = {"padding": "x" * document.MAX_REPORT_BYTES}
    with pytest.raises(document.ReportError, match="over the limit"):
        document.dumps(huge)


# --- the command line: an empty profile -------------------------------------------------------------


def test_an_empty_profile_is_refused_as_an_empty_hypothesis_profile_is(tmp_path):
    # Run where there are no tests, so that a `run` that wrongly went ahead costs nothing.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("HYPOTHESIS_PROFILE", None)
    command = [sys.executable, "-m", "claims", "run", "--profile", ""]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert_one_line_error(result, 2, "profile ''", "ci")
    env["HYPOTHESIS_PROFILE"] = ""
    result = subprocess.run(command[:-2], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert_one_line_error(result, 2, "profile ''", "ci")
