"""Report sets on disk for the report-set and confined-path tests: two runs' documents of one
catalog, a staged figure, a byte-for-byte snapshot, every reader run as a user runs it, and a
whole set written (``a_set``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from claims.engine.registry import fingerprint
from claims.report import publish
from claims.report.publish import write_report
from tests.common.documents import REGISTRY, SVG, a_hostile_document
from tests.common.scratch_projects import ROOT, claims


def two_documents() -> tuple[dict, dict]:
    """Two runs' reports of one catalog: ids, a finding, a measurement and the figure differ."""
    old, new = a_hostile_document(), a_hostile_document()
    old["run"]["id"], new["run"]["id"] = "a" * 16, "b" * 16
    # Judged against this checkout's catalog, so `claims merge` takes them as shards.
    old["run"]["catalog"] = new["run"]["catalog"] = fingerprint(REGISTRY)
    proposition = new["claims"][-1]["propositions"][0]
    proposition["finding"] = "ERROR"
    return old, new


def staged(folder: Path, svg: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plot.svg").write_text(svg)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """The report set's files, byte for byte (not the writer's record of the figures it wrote,
    which it updates before it swaps: bookkeeping, which no reader reads)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != publish.WRITTEN
    }


def readers(folder: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every reader of a report set, run on folder/claims.json as a user runs it."""
    report = str(folder / "claims.json")
    python = [sys.executable, "-m"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    return {
        "list": claims("list", "--report", report),
        "show": claims("show", "activation-scaling", "--report", report),
        "merge": claims("merge", report, "-o", str(folder.parent / "merged" / "claims.json")),
        "drift": run(*python, "claims.report.drift", report, report),
        "html": claims("html", str(folder)),
    }


def a_set(tmp_path: Path) -> Path:
    """A whole report set (real catalog, one figure "plot") in tmp_path/out; its JSON's path."""
    old, _ = two_documents()
    write_report(old, tmp_path / "out" / "claims.json", figures=staged(tmp_path / "staging", SVG))
    return tmp_path / "out" / "claims.json"
