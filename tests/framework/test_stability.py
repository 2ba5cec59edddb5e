"""The depth and seed-stability checks (claims/report/stability.py): tallies, runs, rendering."""

import argparse
import json
import sys
import textwrap

import pytest

from claims.report import markdown
from claims.report.stability import RunSpec, load_checks, parse_run, tally
from claims.report.view import check_summary


def run(label, **findings):
    return {"label": label, "max_examples": 10, "findings": findings}


def test_a_proposition_is_stable_only_when_every_run_agrees_with_the_report():
    runs = [
        run("a", **{"c/x": "HOLDS", "c/y": "HOLDS"}),
        run("b", **{"c/x": "HOLDS", "c/y": "FAILS"}),
    ]
    found = tally(runs, {"c/x": "HOLDS", "c/y": "HOLDS"})
    assert found["c/x"] == {"counts": {"HOLDS": 2}, "reference": "HOLDS", "stable": True}
    assert found["c/y"] == {
        "counts": {"FAILS": 1, "HOLDS": 1},
        "reference": "HOLDS",
        "stable": False,
    }


def test_runs_that_agree_with_each_other_but_not_with_the_report_are_unstable():
    found = tally([run("a", **{"c/x": "FAILS"}), run("b", **{"c/x": "FAILS"})], {"c/x": "HOLDS"})
    assert found["c/x"]["stable"] is False


def test_a_run_that_did_not_reach_a_proposition_counts_as_not_run():
    found = tally([run("a", **{"c/x": "HOLDS"}), run("b")], {"c/x": "HOLDS"})
    assert found["c/x"]["counts"] == {"HOLDS": 1, "NOT_RUN": 1} and not found["c/x"]["stable"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("nonsense", "not a profile"),
        ("ci:3", "derandomized"),
        ("dev", "random: give a seed"),
        ("dev:x", "not a non-negative integer"),
    ],
)
def test_a_bad_run_spec_is_one_line_naming_the_problem(text, problem):
    with pytest.raises(argparse.ArgumentTypeError, match=problem):
        parse_run(text)


def test_a_good_run_spec_names_its_folder():
    assert parse_run("deep") == RunSpec("deep", None)
    assert parse_run("thorough:7").folder == "thorough-seed-7"


def check(unstable=()):
    return {
        "schema_version": 1,
        "name": "depth",
        "git_commit": "abc",
        "reference_commit": "abd",
        "runs": [run("deep", **{"c/x": "HOLDS", "c/y": "FAILS"})],
        "propositions": {
            "c/x": {"counts": {"HOLDS": 1}, "reference": "HOLDS", "stable": True},
            "c/y": {"counts": {"FAILS": 1}, "reference": "HOLDS", "stable": False},
        },
        "unstable": list(unstable),
    }


def test_the_summary_names_what_moved_and_the_commits():
    shown = check_summary(check(unstable=["c/y"]))
    assert shown["title"] == "How deep the search is"
    assert "commit abc" in shown["said"] and "c/y" in shown["said"]
    assert shown["rows"][0]["moved"] == ["c/y: FAILS (report: HOLDS)"]


def test_the_markdown_report_shows_a_check_beside_the_claims():
    from tests.common.documents import a_document

    text = markdown.render(a_document(), [check()])
    assert "## How deep the search is" in text and "c/y: FAILS (report: HOLDS)" in text


def test_a_broken_check_file_beside_the_report_is_a_one_line_error(tmp_path):
    from claims.report.document import ReportError

    (tmp_path / "depth.json").write_text("{not json")
    with pytest.raises(ReportError, match="depth.json"):
        load_checks(tmp_path)
    (tmp_path / "depth.json").write_text(json.dumps(check()))
    assert load_checks(tmp_path)[0]["name"] == "depth"


STABLE_TESTS = """
import pytest
from hypothesis import given, strategies as st

@pytest.mark.claim("toy/holds", kind="property")
@given(x=st.integers())
def test_holds(x, measurements):
    measurements.record("answer", 42, "units")
    assert x == x

@pytest.mark.claim("toy/fails", kind="property")
@given(x=st.integers(min_value=0))
def test_fails(x):
    assert x < 0, "no natural number is negative"
"""


def test_a_check_runs_the_hypothesis_tests_under_each_profile_and_writes_its_tally(toy_project):
    full = toy_project(textwrap.dedent(STABLE_TESTS))
    assert full.result.ret == 0, full.output
    result = _python(full.folder, "depth", "--run", "ci", "--run", "dev:1", "--run", "dev:2")
    assert result.returncode == 0, result.stdout + result.stderr
    written = json.loads((full.folder / "out" / "depth.json").read_text())
    assert [r["label"] for r in written["runs"]] == ["ci", "dev, seed 1", "dev, seed 2"]
    assert written["unstable"] == []
    assert written["propositions"]["toy/fails"]["counts"] == {"FAILS": 3}


def _python(folder, *args):
    import subprocess

    command = [sys.executable, "-m", "claims.report.stability", *args]
    command += ["--out", "out/depth.json", "--reference", "out/claims.json"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)
