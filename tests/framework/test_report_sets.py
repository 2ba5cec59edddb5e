"""The report set (claims.json, claims.md, claims.html, figures/) is replaced whole or refused.

A failure or a kill between the writes never leaves a mix a reader accepts; a report folder's
foreign files are never deleted or replaced; a folder that cannot take the report is one line,
with the existing report intact (docs/integrity.md, "A report that cannot lie").
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.report.publish import write_report
from tests.common.documents import SVG
from tests.common.report_sets import readers, snapshot, staged, two_documents
from tests.common.scratch_projects import ROOT, assert_one_line_error, claims
from tests.common.toy_project import MATCHING_TESTS


def assert_whole_or_refused(folder: Path, before: dict[str, bytes]) -> None:
    """The old set survives byte for byte, or every reader refuses it with one line."""
    if snapshot(folder) == before:
        return
    for name, result in readers(folder).items():
        assert result.returncode != 0, f"{name} accepted a mixed report set"
        assert len(result.stderr.strip().splitlines()) == 1, (name, result.stderr)
        assert "Traceback" not in result.stderr, (name, result.stderr)


def test_a_set_written_whole_is_accepted_by_every_reader(tmp_path):
    old, _ = two_documents()
    write_report(old, tmp_path / "out" / "claims.json", figures=staged(tmp_path / "staging", SVG))
    results = readers(tmp_path / "out")
    assert {name: (r.returncode, r.stderr) for name, r in results.items()} == {
        name: (0, "") for name in results
    }


def test_a_failure_between_writes_leaves_the_old_set_or_a_refused_one(tmp_path):
    old, new = two_documents()
    folder = tmp_path / "out"
    write_report(old, folder / "claims.json", figures=staged(tmp_path / "old", SVG))
    before = snapshot(folder)
    (folder / "claims.md").unlink()
    (folder / "claims.md").mkdir()  # the Markdown cannot be replaced: a folder is in its way
    before = snapshot(folder)
    with pytest.raises(ValueError, match="claims.md"):
        write_report(
            new, folder / "claims.json", figures=staged(tmp_path / "new", SVG.replace("10", "20"))
        )
    assert snapshot(folder) == before


FAILING_REPLACE = """
import json, os, sys
from pathlib import Path
from claims.report.publish import write_report

real, calls = os.replace, []

def replace(source, target):
    calls.append(target)
    if len(calls) == int(sys.argv[3]):
        raise OSError(28, "No space left on device")
    real(source, target)

os.replace = replace
write_report(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]) / "claims.json", figures=Path(sys.argv[4]))
"""

KILLED_REPLACE = """
import json, os, sys, time
from pathlib import Path
from claims.report.publish import write_report

real, calls = os.replace, []

def replace(source, target):
    real(source, target)
    calls.append(target)
    if len(calls) == int(sys.argv[3]):
        Path(sys.argv[2], "..", "ready").write_text("")
        time.sleep(120)

os.replace = replace
write_report(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]) / "claims.json", figures=Path(sys.argv[4]))
"""


def second_write(tmp_path: Path, script: str, step: int, *, kill: bool):
    old, new = two_documents()
    folder = tmp_path / "out"
    write_report(old, folder / "claims.json", figures=staged(tmp_path / "old", SVG))
    before = snapshot(folder)
    (tmp_path / "new.json").write_text(json.dumps(new))
    (tmp_path / "writer.py").write_text(script)
    command = [sys.executable, str(tmp_path / "writer.py"), str(tmp_path / "new.json")]
    command += [str(folder), str(step), str(staged(tmp_path / "new", SVG.replace("10", "20")))]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE)
    if kill:
        deadline = time.monotonic() + 60
        while not (tmp_path / "ready").exists() and writer.poll() is None:
            assert time.monotonic() < deadline, "the writer never reached the kill point"
            time.sleep(0.05)
        writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    return folder, before


@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_a_write_that_fails_midway_leaves_the_old_set_or_a_refused_one(tmp_path, step):
    folder, before = second_write(tmp_path, FAILING_REPLACE, step, kill=False)
    assert_whole_or_refused(folder, before)


@pytest.mark.parametrize("step", [1, 2, 3])
def test_a_writer_killed_midway_leaves_the_old_set_or_a_refused_one(tmp_path, step):
    folder, before = second_write(tmp_path, KILLED_REPLACE, step, kill=True)
    assert_whole_or_refused(folder, before)


# --- foreign files: never deleted, never replaced -------------------------------------------------

FIGURE_TESTS = MATCHING_TESTS.replace(
    "import pytest\n",
    "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport pytest\n",
).replace(
    'measurements.record("answer", 42, "units")',
    'measurements.record("answer", 42, "units")\n'
    "    figure, axes = plt.subplots()\n"
    "    axes.plot([0, 1], [1, 0])\n"
    '    measurements.figure("toy-plot", figure)',
)
PAPER = ("--claims-report-dir", "paper")


def test_a_report_folder_keeps_every_file_the_suite_did_not_write(toy_project, pytester):
    (pytester.path / "paper" / "figures").mkdir(parents=True)
    (pytester.path / "paper" / "figures" / "fig1.pdf").write_bytes(b"%PDF a user's figure")
    (pytester.path / "paper" / "draft.tex").write_text("\\section{Results}\n")
    run = toy_project(FIGURE_TESTS, args=PAPER)
    assert run.result.ret == pytest.ExitCode.OK, run.output
    figures = pytester.path / "paper" / "figures"
    assert (figures / "fig1.pdf").read_bytes() == b"%PDF a user's figure"
    assert (figures / "toy-plot.svg").is_file()
    # A later run that saves no figure removes the suite's figure, and only that.
    run = toy_project(args=PAPER)
    assert run.result.ret == pytest.ExitCode.OK, run.output
    assert not (figures / "toy-plot.svg").exists()
    assert (figures / "fig1.pdf").read_bytes() == b"%PDF a user's figure"
    assert (pytester.path / "paper" / "draft.tex").is_file()


def test_a_report_file_the_suite_did_not_write_is_never_replaced(toy_project, pytester):
    (pytester.path / "paper").mkdir()
    (pytester.path / "paper" / "claims.md").write_text("# My own notes\n")
    run = toy_project(args=PAPER)
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    lines = [line for line in run.output.splitlines() if "claims report error" in line]
    assert len(lines) == 1 and "paper/claims.md: not written by the claims suite" in lines[0]
    assert (pytester.path / "paper" / "claims.md").read_text() == "# My own notes\n"
    assert not (pytester.path / "paper" / "claims.json").exists()


# --- a folder that cannot take the report: one line, the old report intact ------------------------

READ_ONLY = """
import os, tempfile

_mkstemp = tempfile.mkstemp

def _refuse(*args, dir=None, **kwargs):
    # Root, whom chmod does not stop, may run the suite (CI does): plant the EACCES a read-only
    # folder gives.
    if dir is not None and os.path.basename(str(dir)) in ("out", "figures"):
        raise PermissionError(13, "Permission denied", str(dir))
    return _mkstemp(*args, dir=dir, **kwargs)

tempfile.mkstemp = _refuse
"""


def unwritable(pytester: pytest.Pytester, case: str) -> tuple[str, ...]:
    """Arrange one unwritable report folder; returns the extra pytest arguments."""
    if case == "read-only-folder":
        (pytester.path / "read_only.py").write_text(READ_ONLY)
        return ("-p", "read_only")
    if case == "build-is-a-file":
        (pytester.path / "build").write_text("not a folder\n")
        return ("--claims-report-dir", "build/claims-report")
    (pytester.path / "out" / "claims.json").unlink()
    (pytester.path / "out" / "claims.json").mkdir()
    return ()


@pytest.mark.parametrize("case", ["read-only-folder", "build-is-a-file", "json-is-a-folder"])
def test_a_folder_that_cannot_take_the_report_is_one_line_and_the_old_report_stays(
    toy_project, pytester, monkeypatch, case
):
    toy_project()
    before = snapshot(pytester.path / "out")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(pytester.path), str(ROOT)]))
    run = toy_project(args=unwritable(pytester, case))
    assert run.result.ret == pytest.ExitCode.TESTS_FAILED
    assert "Traceback" not in run.output and "INTERNALERROR" not in run.output
    lines = [line for line in run.output.splitlines() if "claims report error" in line]
    assert len(lines) == 1, run.output
    if case != "json-is-a-folder":
        assert snapshot(pytester.path / "out") == before
    if case == "build-is-a-file":
        assert (pytester.path / "build").read_text() == "not a folder\n"


def test_a_report_path_that_is_a_folder_is_one_line_for_every_command(tmp_path):
    (tmp_path / "claims.json").mkdir()
    for command in (("list",), ("show", "x"), ("render",)):
        result = claims(*command, "--report", str(tmp_path / "claims.json"))
        assert_one_line_error(result, 1, "is a directory")
