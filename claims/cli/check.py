"""``claims check``: is the catalog ready, and which propositions does no test check yet?

Three checks, in seconds, without running a test:

1. the registry: the catalog imports and passes every rule of claims.engine.registry (the
   plugin's own ``load_registry``, so the line names the file at fault, as pytest would);
2. the pre-registration record: claims/catalog/preregistered.json holds the catalog's decisions
   (claims.engine.preregistration; ``claims preregistration --write`` rewrites it);
3. the bindings: pytest collects tests/claims (``--collect-only``, in this process, the plugin
   loaded), which binds every test to the proposition its ``@pytest.mark.claim`` names, also
   the per-cell marks of claims/pytest/parametrize.py whose ids the catalog builds at
   import. Every proposition no collected test binds is UNTESTED; a collection error is a
   problem of its own. A static scan of the test files could not see those built ids.

Exit status (docs/command-line.md, "Command line"): 0 when all is well and every proposition is bound;
3 when the only problems are UNTESTED propositions (a catalog ready for its pre-registration
commit, whose tests are still to be written: a full run would be red until they are); 1 for
any other problem (a catalog, record or collection error), with one line per problem; 2 for
a usage mistake.
"""

from __future__ import annotations

import argparse
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from claims.engine import preregistration, untrusted
from claims.engine.registry import Registry
from claims.pytest.plugin import load_registry as plugin_load_registry
from claims.pytest.session import BUILT

# The catalog module the pre-registration record describes (and the plugin's default).
CATALOG = "claims.catalog"
# Where the claim tests live (as `claims run` runs them).
CLAIM_TESTS = Path("tests") / "claims"
# Exit status when the only problems are UNTESTED propositions.
UNTESTED_ONLY = 3


class CheckError(ValueError):
    """Nothing past this can be checked (the catalog does not load): one line, exit status 1."""


@dataclass
class Outcome:
    registry: Registry
    # One line per problem other than an UNTESTED proposition.
    problems: list[str] = field(default_factory=list)
    # Propositions no collected claim test binds, in catalog order.
    untested: list[str] = field(default_factory=list)
    # How many claim tests were collected.
    tests: int = 0

    @property
    def status(self) -> int:
        return 1 if self.problems else UNTESTED_ONLY if self.untested else 0

    def lines(self) -> list[str]:
        """The problems, one line each, then the UNTESTED propositions, one line each."""
        untested = [f"UNTESTED {p}: no test in {CLAIM_TESTS} binds it" for p in self.untested]
        return [*self.problems, *untested]

    def summary(self) -> str:
        propositions = len(self.registry.propositions)
        bound = propositions - len(self.untested)
        return (
            f"{len(self.registry.claims)} claims, {propositions} propositions; "
            f"{self.tests} claim tests collected (none run) bind {bound} of them; "
            f"{len(self.problems)} problem(s), {len(self.untested)} UNTESTED"
        )


def check(tests: Path = CLAIM_TESTS) -> Outcome:
    """Run the three checks from the project root (the working folder)."""
    if not tests.is_dir():
        raise CheckError(f"no {tests}/ in {Path.cwd()}: run `claims check` from the project root")
    registry = load_registry()
    outcome = Outcome(registry, problems=[f"pre-registration: {line}" for line in unregistered()])
    bound, failures = collect_bindings(tests)
    outcome.problems += [f"collection: {line}" for line in failures]
    outcome.tests = len(bound)
    found = set(bound.values())
    outcome.untested = [p for p in registry.propositions if p not in found]
    return outcome


def load_registry() -> Registry:
    try:
        return plugin_load_registry(CATALOG)
    except pytest.UsageError as error:  # one line: "claims: <file>: <rule broken>"
        raise CheckError(str(error).removeprefix("claims: ")) from error


def unregistered() -> list[str]:
    """One line per decision that differs between the catalog and its record."""
    catalog = importlib.import_module(CATALOG)
    path = preregistration.record_path(catalog)
    try:
        registered = untrusted.loads(path.read_text(encoding="utf-8"))
        current = preregistration.record(catalog)
    except Exception as error:  # an unreadable record, or a catalog module it cannot name
        return [f"{path}: {type(error).__name__}: {error}"]
    lines = preregistration.differences(current, registered)
    return [f"{line} (`claims preregistration --write` records it)" for line in lines]


class _Bindings:
    """A pytest plugin that keeps what collection bound and every collection error."""

    def __init__(self) -> None:
        self.bound: dict[str, str] = {}
        self.failures: list[str] = []

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.failures.append(f"{report.nodeid or '.'}: {_last_line(report.longrepr)}")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.bound = dict(session.config.stash.get(BUILT, {}))


# pytest's mark of the exception line in a traceback it shows ("E   ValueError: ...").
_PYTEST_E = re.compile(r"^E\s+")


def _last_line(longrepr: Any) -> str:
    """The line that says what went wrong: the last of the report, without pytest's ``E``."""
    lines = [line.strip() for line in str(longrepr).splitlines() if line.strip()]
    return (_PYTEST_E.sub("", lines[-1]) if lines else "") or "collection failed"


def collect_bindings(tests: Path) -> tuple[dict[str, str], list[str]]:
    """``pytest --collect-only`` over ``tests``, quiet: (test node id -> proposition id, one
    line per collection error)."""
    recorder = _Bindings()
    arguments = ["--collect-only", "-p", "no:terminal", "-p", "claims.pytest.plugin"]
    # Nothing to say on stdout: the terminal reporter is off; pytest's own usage errors still
    # reach stderr, and its exit status says whether it got as far as collecting.
    status = pytest.main([*arguments, str(tests)], plugins=[recorder])
    collected = status in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    if not collected and not recorder.failures:
        recorder.failures.append(f"pytest could not collect {tests} (exit status {int(status)})")
    return recorder.bound, recorder.failures


def main(args: argparse.Namespace) -> int:
    """The ``claims check`` command: the lines, the summary, the exit status."""
    outcome = check()
    for line in outcome.lines():
        print(line)
    print(outcome.summary())
    return outcome.status
