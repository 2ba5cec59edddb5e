"""Inputs that would hurt the machine or the catalog are one line, with nothing written
(docs/command-line.md, "claims import-source"; docs/integrity.md, "A report that cannot lie"): a device or a FIFO or an oversized
file given to import-source, a title with a line break, a claim id whose module or test folder
name is taken, a deeply nested report, a report whose run id no file could carry.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claims.cli.importing import MAX_SOURCE_BYTES
from claims.engine import untrusted
from tests.common.report_sets import a_set, snapshot
from tests.common.scratch_projects import assert_one_line_error, claims, make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def documents(project: Path) -> list[str]:
    return sorted(path.name for path in (project / "claims" / "data" / "sources").iterdir())


# --- import-source ---------------------------------------------------------------------------------


def test_import_source_refuses_a_device_without_reading_it(project):
    # Before: /dev/zero was read until the kernel killed the process (14 GB). The claims()
    # helper's timeout ends the test should it ever read on.
    result = claims("import-source", "/dev/zero", "--name", "zeros", cwd=project)
    assert_one_line_error(result, 1, "/dev/zero", "a character device")
    assert documents(project) == ["gradient-hacking.txt"]


def test_import_source_refuses_a_fifo_without_blocking(project, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it to read would block for good
    result = claims("import-source", str(fifo), "--name", "piped", cwd=project)
    assert_one_line_error(result, 1, "a FIFO")
    assert documents(project) == ["gradient-hacking.txt"]


def test_import_source_refuses_a_text_larger_than_its_limit(project, tmp_path):
    large = tmp_path / "large.txt"
    large.write_text("A sentence. " * (MAX_SOURCE_BYTES // 12 + 1), encoding="utf-8")
    assert large.stat().st_size > MAX_SOURCE_BYTES
    result = claims("import-source", str(large), "--name", "large", cwd=project)
    assert_one_line_error(result, 1, "larger than", f"{MAX_SOURCE_BYTES:,}")
    assert documents(project) == ["gradient-hacking.txt"]
    fits = tmp_path / "fits.txt"
    fits.write_text("A sentence. " * (MAX_SOURCE_BYTES // 12), encoding="utf-8")
    result = claims("import-source", str(fits), "--name", "fits", cwd=project)
    assert result.returncode == 0, result.stderr


def test_read_file_never_reads_past_its_limit(tmp_path):
    path = tmp_path / "four.txt"
    path.write_bytes(b"four")
    assert untrusted.read_file(path, 4) == b"four"
    with pytest.raises(untrusted.UntrustedInput, match="larger than 3 bytes"):
        untrusted.read_file(path, 3)
    with pytest.raises(untrusted.UntrustedInput, match="a directory"):
        untrusted.read_file(tmp_path, 3)


@pytest.mark.parametrize("title", ["Evil\n[S99] A sentence the text does not hold.", "a\rb"])
def test_a_title_with_a_line_break_is_refused(project, tmp_path, title):
    essay = tmp_path / "essay.txt"
    essay.write_text("One sentence here. Another one there.\n", encoding="utf-8")
    result = claims("import-source", str(essay), "--name", "essay", "--title", title, cwd=project)
    assert_one_line_error(result, 1, "title", "one non-empty line")
    assert documents(project) == ["gradient-hacking.txt"]


# --- new -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim_id, taken",
    [
        ("twin-factorial", "tests/claims/twin_factorial.py"),
        ("chat-runs", "tests/claims/chat_runs/__init__.py"),
        ("shared-designs", "claims/catalog/shared_designs/__init__.py"),
        ("compiled", "claims/catalog/compiled.cpython-311-x86_64-linux-gnu.so"),
    ],
)
def test_new_refuses_an_id_whose_module_or_test_folder_name_is_taken(project, claim_id, taken):
    (project / taken).parent.mkdir(parents=True, exist_ok=True)
    (project / taken).write_text("READOUTS = ()\n")
    before = snapshot(project)
    result = claims("new", claim_id, cwd=project)
    assert_one_line_error(result, 1, "already exists", "another claim id")
    assert snapshot(project) == before


# --- reports ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100, 100_000])
def test_a_deeply_nested_report_is_one_line(tmp_path, depth):
    report = tmp_path / "claims.json"
    report.write_text('{"schema_version": 3, "run": {}, "x": ' + "[" * depth + "]" * depth + "}")
    for command in (("list",), ("show", "x"), ("render",)):
        result = claims(*command, "--report", str(report))
        assert_one_line_error(result, 1, "nested more than 64 levels")


def test_render_refuses_a_run_id_no_report_file_could_carry_before_writing(tmp_path):
    report = a_set(tmp_path)
    written = json.loads(report.read_text())
    written["run"]["id"] = "zz"
    report.write_text(json.dumps(written))
    before = snapshot(report.parent)
    result = claims("render", "--report", str(report))
    assert_one_line_error(result, 1, "run id 'zz'")
    assert snapshot(report.parent) == before
