"""Run this project's own claim tests in a subprocess, optionally with a planted plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# The plugins the framework's pytest subprocesses load, by their pytest11 entry-point names:
# pytest-xdist (-n), Hypothesis's (its options, reporting under pytest) and pytest-benchmark's
# (pyproject's addopts pass --benchmark-disable). With auto-loading off
# (PYTEST_DISABLE_PLUGIN_AUTOLOAD) a subprocess skips scanning every installed distribution's
# entry points and anyio's plugin, which nothing here uses: about 0.8 CPU-s per pytest start
# (tests/README.md). pytest >= 8.4 takes entry-point names with -p.
PLUGINS = ("xdist", "hypothesispytest", "benchmark")
PLUGIN_ARGS = tuple(arg for name in PLUGINS for arg in ("-p", name))
# Two claims' worth of tests (one whole folder, one file of another), cheap enough to run thrice:
# property tests, symbolic tests, expected failures and a partial claim all cross the wire
# (test_suite_wiring.py's xdist = serial, test_shards.py's shards).
XDIST_PATHS = (
    "tests/claims/inactive_relu_zero_gradient",
    "tests/claims/activation_scaling/test_symbolic.py",
    "tests/claims/activation_scaling/test_networks.py",
    "tests/claims/activation_scaling/test_batched.py",
)


def without_plugin_autoload(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` for a pytest subprocess (and its xdist workers, and the pytest a ``claims``
    command starts) that loads PLUGINS and nothing else auto-loaded; PYTEST_ADDOPTS kept."""
    addopts, named = environ.get("PYTEST_ADDOPTS", ""), " ".join(PLUGIN_ARGS)
    addopts = addopts if addopts.startswith(named) else f"{named} {addopts}".strip()
    return {**environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_ADDOPTS": addopts}


def run_suite(
    tmp_path: Path,
    *args: str,
    plant: str | None = None,
    profile: str = "quick",
    paths: tuple[str, ...] = ("tests/claims",),
) -> subprocess.CompletedProcess[str]:
    """pytest over ``paths`` with reports in tmp_path/report; ``plant`` is plugin source code."""
    env = {**without_plugin_autoload(os.environ), "HYPOTHESIS_PROFILE": profile}
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
