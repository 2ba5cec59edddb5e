"""Report files as a user expects files to be (docs/integrity.md, "A report that cannot lie"): written with
the umask's permissions, no temp folder left behind however a run ends, and a report folder
named by an absolute path after `--claims-report-dir` taken for a folder, not for tests.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.pytest import staging
from claims.report.publish import write_report
from tests.common.documents import SVG
from tests.common.report_sets import staged, two_documents
from tests.common.scratch_projects import ROOT, claims, make_project
from tests.common.toy_project import MATCHING_TESTS


def modes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def umask():
    """Set the process's umask for one test (subprocesses inherit it), then restore it."""
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_report_files_get_the_mode_the_umask_gives_new_files(tmp_path, umask, mask, mode):
    umask(mask)
    old, _ = two_documents()
    write_report(old, tmp_path / "out" / "claims.json", figures=staged(tmp_path / "staging", SVG))
    written = modes(tmp_path / "out")
    assert {"claims.json", "claims.md", "claims.html", "figures/plot.svg"} <= set(written)
    assert set(written.values()) == {mode}, written


def test_an_imported_document_and_a_scaffolded_claim_get_the_umasks_mode(tmp_path, umask):
    umask(0o022)
    project = make_project(tmp_path / "project")
    essay = tmp_path / "essay.txt"
    essay.write_text("One sentence here. Another one there.\n", encoding="utf-8")
    assert claims("import-source", str(essay), "--name", "essay", cwd=project).returncode == 0
    assert claims("new", "toy-claim", "--source", "essay", cwd=project).returncode == 0
    for path in ("claims/data/sources/essay.txt", "claims/catalog/toy_claim.py"):
        assert stat.S_IMODE((project / path).stat().st_mode) == 0o644, path
    assert stat.S_IMODE((project / "claims/catalog/__init__.py").stat().st_mode) == 0o644


# --- temp folders ------------------------------------------------------------------------------------

SLEEPING_TESTS = MATCHING_TESTS.replace(
    'measurements.record("answer", 42, "units")',
    'measurements.record("answer", 42, "units")\n'
    "    import os, pathlib, time\n"
    '    pathlib.Path(os.environ["CLAIMS_READY"]).write_text("")\n'
    "    time.sleep(120)",
)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob(f"{staging.PREFIX}*"))


def aged(folder: Path) -> Path:
    """As if made two minutes ago (older than the sweep's grace for a run still starting)."""
    then = time.time() - 120
    os.utime(folder, (then, then))
    return folder


def test_a_killed_runs_temp_folder_is_removed_by_the_next_run(toy_project, pytester, monkeypatch):
    temp = pytester.path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    assert toy_project().result.ret == pytest.ExitCode.OK
    assert leftovers(temp) == [], "a run that ended left its temp folder"
    (pytester.path / "tests" / "claims" / "test_toy.py").write_text(SLEEPING_TESTS)
    ready = pytester.path / "ready"
    env = {**os.environ, "CLAIMS_READY": str(ready)}
    env["PYTHONPATH"] = os.pathsep.join([str(pytester.path), env.get("PYTHONPATH", "")])
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:randomly"], cwd=pytester.path, env=env
    )
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert run.poll() is None and time.monotonic() < deadline, "the run never got going"
        time.sleep(0.1)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)
    [killed] = leftovers(temp)
    aged(temp / killed)
    assert toy_project().result.ret == pytest.ExitCode.OK
    assert leftovers(temp) == []


def test_only_folders_whose_run_is_provably_gone_are_swept(tmp_path):
    def made(name: str, *, owner: bool = True) -> Path:
        folder = tmp_path / f"{staging.PREFIX}{name}"
        folder.mkdir()
        if owner:
            (folder / staging.OWNER).write_text("")  # a lock file nobody holds: its run died
        return folder

    live = staging.Staging(tmp_path)  # this process holds its lock, as a running run does
    others = made("another-user")
    os.chown(others, 4242, -1)  # chown needs root; the suite runs as root in CI
    unlocked = made("without-lock-file", owner=False)  # an older version's, maybe running
    dead, starting = made("dead"), made("starting")
    for folder in (live.path, others, unlocked, dead):
        aged(folder)
    # `starting` is as young as a run that has made its folder and not yet locked it.
    assert staging.sweep(tmp_path) == [dead]
    assert all(f.is_dir() for f in (live.path, others, unlocked, starting))
    aged(starting)
    assert staging.sweep(tmp_path) == [starting]
    live.remove()
    assert not live.path.exists()


# --- an absolute report folder --------------------------------------------------------------------


def test_run_takes_an_absolute_report_folder_after_a_space_for_a_folder(tmp_path, toy_project):
    project = toy_project().folder  # a scratch project; claims run runs its tests/claims
    folder = tmp_path.parent / f"{tmp_path.name}-absolute"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project), str(ROOT)])}
    command = [sys.executable, "-m", "claims", "run", "--", "--claims-report-dir", str(folder)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert (folder / "claims.json").is_file(), result.stdout[-2000:]
