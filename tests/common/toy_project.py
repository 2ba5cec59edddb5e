"""A scratch claims project for plugin tests: a toy catalog, an ini file, matching claim tests,
and what a run of it left (``ToyRun``); tests/framework/conftest.py's ``toy_project`` builds one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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
