"""Run this project's own claim tests in a subprocess, optionally with a planted plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_suite(
    tmp_path: Path,
    *args: str,
    plant: str | None = None,
    profile: str = "quick",
    paths: tuple[str, ...] = ("tests/claims",),
) -> subprocess.CompletedProcess[str]:
    """pytest over ``paths`` with reports in tmp_path/report; ``plant`` is plugin source code."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": profile}
    extra: list[str] = []
    if plant is not None:
        (tmp_path / "planted_plugin.py").write_text(textwrap.dedent(plant))
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
        extra = ["-p", "planted_plugin"]
    command = [
        sys.executable,
        "-m",
        "pytest",
        *paths,
        "-q",
        "-p",
        "no:randomly",
        "--claims-report-dir",
        str(tmp_path / "report"),
        *extra,
        *args,
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def report(tmp_path: Path, *, partial: bool = False) -> dict[str, Any]:
    folder = tmp_path / "report" / ("partial" if partial else "")
    return json.loads((folder / "claims.json").read_text())


def findings(document: dict[str, Any]) -> dict[str, str]:
    return {p["id"]: p["finding"] for c in document["claims"] for p in c["propositions"]}
