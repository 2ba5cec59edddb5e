"""Scratch claims projects for plugin tests: a toy catalog, an ini file, and a runner."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.framework.suite_runs import without_plugin_autoload

TOY_CATALOG = """
from claims.engine import sources
from claims.engine.records import Claim, Finding, Key, Proposition, Reading, Role, SourceRef, Unchecked, blind

def proposition(name, role, expected, **keywords):
    keywords.setdefault("registration", blind("a toy expectation"))
    keywords.setdefault("power", "a toy design: two seeds detect nothing small")
    if role is Role.ASSERTED:
        keywords.setdefault("formalizes", ("S09",))
        keywords.setdefault("reading", Reading("clipped to zero", "the toy's reading"))
    return Proposition(id=f"toy/{name}", statement=f"{name} statement", scope={"activation": "ReLU"},
                       role=role, expected=expected, **keywords)

CATALOG = (
    Claim(
        id="toy",
        title="Toy claim",
        source=(SourceRef("gradient-hacking", "S09", "the error signal at that neuron is clipped to zero"),),
        statement="A toy claim for plugin tests.",
        propositions=(
            proposition("holds", Role.ASSERTED, Finding.HOLDS, key=Key("the answer: {answer}")),
            proposition("fails", Role.BEYOND, Finding.FAILS),
            {extra}
        ),
    ),
)
# The toy formalizes S09 only.
POST = "gradient-hacking"
NOT_CHECKED = tuple(
    Unchecked(POST, s, "outside the toy") for s in sources.load(POST).sentences if s != "S09"
)
"""

INI = """
[pytest]
claims_catalog = toy_catalog
claims_testpaths = tests/claims
claims_report_dir = out
addopts = -p no:cacheprovider
"""

# A claim test file whose tests match the toy catalog's expectations.
MATCHING_TESTS = """
import pytest

@pytest.mark.claim("toy/holds", kind="symbolic")
def test_holds(measurements):
    measurements.record("answer", 42, "units")

@pytest.mark.claim("toy/fails", kind="construction")
def test_fails():
    assert 1 == 2, "one is not two"
"""


@dataclass
class ToyRun:
    result: pytest.RunResult
    folder: Path

    @property
    def output(self) -> str:
        return self.result.stdout.str() + self.result.stderr.str()

    def report(self, partial: bool = False) -> dict[str, Any]:
        path = self.folder / "out" / ("partial" if partial else "") / "claims.json"
        return json.loads(path.read_text())

    def findings(self, partial: bool = False) -> dict[str, str]:
        claims = self.report(partial)["claims"]
        return {p["id"]: p["finding"] for c in claims for p in c["propositions"]}


@pytest.fixture(scope="package", autouse=True)
def subprocesses_load_named_plugins_only() -> Iterator[None]:
    """Every pytest these tests start, directly or through a ``claims`` command, loads only
    suite_runs.PLUGINS (about 0.8 CPU-s less per start)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in without_plugin_autoload(os.environ).items():
            patch.setenv(name, value)
        yield


@pytest.fixture(autouse=True)
def pytester_subprocesses_too(request: pytest.FixtureRequest) -> None:
    """pytester drops PYTEST_ADDOPTS when it is set up, which would leave its subprocesses (and
    whatever they start, e.g. claims.report.stability's pytest runs) with auto-loading off and
    no plugin: set the environment again after it."""
    if "pytester" in request.fixturenames:
        monkeypatch = request.getfixturevalue("monkeypatch")  # the one pytester patches with
        request.getfixturevalue("pytester")
        for name, value in without_plugin_autoload(os.environ).items():
            monkeypatch.setenv(name, value)


@pytest.fixture
def toy_project(pytester: pytest.Pytester):
    """Returns run(tests=..., extra_propositions=..., args=...) -> ToyRun in a scratch project."""

    def run(
        tests: str = MATCHING_TESTS,
        *,
        extra: str = "",
        args: tuple[str, ...] = (),
        files: dict[str, str] | None = None,
    ) -> ToyRun:
        pytester.makefile(".ini", pytest=INI)
        pytester.makepyfile(
            toy_catalog=TOY_CATALOG.replace("{extra}", extra),
            conftest='pytest_plugins = ["claims.pytest.plugin"]\n',
        )
        claims_dir = pytester.path / "tests" / "claims"
        claims_dir.mkdir(parents=True, exist_ok=True)
        (claims_dir / "test_toy.py").write_text(textwrap.dedent(tests))
        for name, text in (files or {}).items():
            (pytester.path / name).parent.mkdir(parents=True, exist_ok=True)
            (pytester.path / name).write_text(textwrap.dedent(text))
        result = pytester.runpytest_subprocess(*args)
        return ToyRun(result, pytester.path)

    return run
