"""One pytest session's worth of claims: what was collected, what ran, and the reports it writes.

``RunCollector`` is registered by the plugin on every process. Each process records which
claim tests it collected and which were deselected; workers hand that to the controller through
``config.workeroutput``. The controller gathers evidence from test reports (its own, or those
xdist forwards from workers), and at session end turns it into verdicts and writes the reports.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from claims.engine import profiles, verdicts
from claims.engine.evidence import Evidence
from claims.engine.registry import Registry
from claims.report import document as report_document
from claims.report import html, markdown, stability, terminal

EVIDENCE_PROPERTY = "claims.engine.evidence"
# Folder where tests save figures during the run; shared with xdist workers via workerinput.
FIGURE_STAGING = pytest.StashKey[Path]()
FIGURE_STAGING_KEY = "claims_figure_staging"
WORKER_OUTPUT_KEY = "claims_collection"
VERSIONED_PACKAGES = ("torch", "hypothesis", "sympy", "pytest", "pytest-xdist")


class RunCollector:
    def __init__(
        self,
        config: pytest.Config,
        registry: Registry,
        profile: str,
        binding: Callable[[pytest.Item], str | None],
    ) -> None:
        self.config = config
        # Maps a collected test to the proposition id it checks (None for other tests).
        self.binding = binding
        self.registry = registry
        self.profile = profile
        self.is_worker = hasattr(config, "workerinput")
        self.started = time.time()
        # nodeid -> proposition id, for every claim test collected (selected or deselected).
        self.index: dict[str, str] = {}
        self.selected: set[str] = set()
        self.deselected: set[str] = set()
        self.collection_failed = False
        self.workers = 0
        self.evidence: dict[str, dict[str, Any]] = {}
        self.durations: dict[str, float] = {}
        self.document: dict[str, Any] | None = None
        # Keys naming a measurement that no test of their (fully run) proposition recorded.
        self.key_problems: list[str] = []
        self.written_to: Path | None = None
        if self.is_worker:
            staging = Path(config.workerinput[FIGURE_STAGING_KEY])
        else:
            staging = Path(tempfile.mkdtemp(prefix="claims-figures-"))
        config.stash[FIGURE_STAGING] = staging

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """xdist controller: tell each worker where to stage figures."""
        node.workerinput[FIGURE_STAGING_KEY] = str(self.config.stash[FIGURE_STAGING])

    # --- collection (every process) ---

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        for item in items:
            if (bound := self.binding(item)) is not None:
                self.index[item.nodeid] = bound
                self.deselected.add(item.nodeid)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            if (bound := self.binding(item)) is not None:
                self.index[item.nodeid] = bound
                self.selected.add(item.nodeid)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_failed = True

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """xdist controller: merge a finished worker's collection index."""
        self.workers += 1
        shipped = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
        if shipped is None:
            self.collection_failed = True
            return
        self.index.update(shipped["index"])
        self.selected.update(shipped["selected"])
        self.deselected.update(shipped["deselected"])
        self.collection_failed |= shipped["collection_failed"]

    # --- evidence (controller) ---

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.is_worker:
            return
        for key, value in report.user_properties:
            if key == EVIDENCE_PROPERTY:
                self.evidence[report.nodeid] = value
        if report.nodeid in self.index or any(
            k == EVIDENCE_PROPERTY for k, _ in report.user_properties
        ):
            self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration

    # --- session end ---

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.is_worker:
            self.config.workeroutput[WORKER_OUTPUT_KEY] = {
                "index": self.index,
                "selected": sorted(self.selected),
                "deselected": sorted(self.deselected),
                "collection_failed": self.collection_failed,
            }
            return
        if not self.evidence:
            shutil.rmtree(self.config.stash[FIGURE_STAGING], ignore_errors=True)
            return  # no claim test ran: nothing to report, and no report is touched
        complete = self._complete(exitstatus)
        self.document = self._document(complete)
        folder = Path(
            self.config.getoption("claims_report_dir") or self.config.getini("claims_report_dir")
        )
        folder = folder if folder.is_absolute() else self.config.invocation_params.dir / folder
        self.written_to = folder if complete else folder / "partial"
        write_reports(self.document, self.written_to, self.config.stash[FIGURE_STAGING])
        publish_figures(self.document, self.config.stash[FIGURE_STAGING], self.written_to)
        if complete and _untested(self.document):
            # No test failed, yet a proposition the catalog expects a finding for has none:
            # pytest is green only when every finding equals its expectation.
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if self.key_problems:
            # A key that cannot be filled in would show a silent gap beside a verdict.
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.document is None:
            return
        terminalreporter.write_sep("=", "claims verdicts")
        for line in terminal.summary_lines(self.document):
            terminalreporter.write_line(line)
        scope = (
            "full run" if self.document["run"]["complete"] else "partial run; full report untouched"
        )
        terminalreporter.write_line(f"claims report ({scope}): {self.written_to}")
        for line in self.key_problems:
            terminalreporter.write_line(f"claims key error: {line}", red=True)

    def _complete(self, exitstatus: int) -> bool:
        """A full run: every claim test folder collected whole, nothing deselected, all ran."""
        if self.collection_failed or self.deselected or exitstatus == pytest.ExitCode.INTERRUPTED:
            return False
        if not self.selected or not self.selected <= set(self.evidence):
            return False
        return self._collects_every_claim_folder()

    def _collects_every_claim_folder(self) -> bool:
        """Did the command line ask for every claim test folder whole (no node ids)?"""
        base = self.config.invocation_params.dir
        requested = [Path(base, arg).resolve() for arg in self.config.args if "::" not in arg]
        return all(
            any(Path(folder).resolve().is_relative_to(arg) for arg in requested)
            for folder in self.config.getini("claims_testpaths")
        )

    def _document(self, complete: bool) -> dict[str, Any]:
        found = [Evidence(**e) for _, e in sorted(self.evidence.items())]
        # Only a full run can tell "no test exists" (UNTESTED) from "not selected" (NOT_RUN).
        tested = set(self.index.values()) if complete else set(self.registry.propositions)
        results = [verdicts.evaluate(claim, found, tested) for claim in self.registry.claims]
        self.key_problems = verdicts.key_problems(results, self._ran_whole())
        return report_document.to_document(results, self._provenance(complete), self.registry)

    def _ran_whole(self) -> set[str]:
        """Propositions every collected test of which ran: only their keys can be judged."""
        tests: dict[str, set[str]] = {}
        for nodeid, proposition in self.index.items():
            tests.setdefault(proposition, set()).add(nodeid)
        return {p for p, nodes in tests.items() if nodes <= set(self.evidence)}

    def _provenance(self, complete: bool) -> dict[str, Any]:
        seed = self.config.getoption("hypothesis_seed", None)
        return {
            "complete": complete,
            "command": " ".join(["pytest", *self.config.invocation_params.args]),
            "started": datetime.fromtimestamp(self.started, UTC).isoformat(timespec="seconds"),
            "duration_s": round(time.time() - self.started, 3),
            "hypothesis_profile": self.profile,
            "hypothesis_seed": "derandomized"
            if profiles.PROFILES[self.profile].derandomize
            else seed,
            "workers": self.workers or 1,
            "git_commit": _git_commit(self.config.rootpath),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "versions": {name: _version(name) for name in VERSIONED_PACKAGES},
            # The source documents the catalog cites (README, "Reading the report").
            "source": [document.path for document in self.registry.documents.values()],
            "tests_run": len(self.evidence),
            # What `claims merge` needs to tell a complete set of shards from a partial one.
            "shard": self.config.getoption("claims_shard"),
            "full_collection": self._collects_every_claim_folder() and not self.collection_failed,
            "collected_tests": dict(sorted(self.index.items())),
            "selected_tests": sorted(self.selected),
            "durations_s": {k: round(v, 3) for k, v in sorted(self.durations.items())},
        }


def write_reports(document: dict[str, Any], folder: Path, figures: Path | None = None) -> None:
    """Render everything first, then replace each file atomically: a failure leaves the old set.

    The HTML inlines its figures, read from `figures` (a run passes its staging folder, since
    publish_figures runs after this; default folder/figures).
    """
    checks = stability.load_checks(folder)
    rendered = {
        report_document.JSON_NAME: report_document.dumps(document),
        report_document.MARKDOWN_NAME: markdown.render(document, checks),
        html.HTML_NAME: html.render(
            document, folder / "figures" if figures is None else figures, checks
        ),
    }
    for name, text in rendered.items():
        report_document.write_atomic(folder / name, text)


def publish_figures(document: dict[str, Any], staging: Path, folder: Path) -> None:
    """Replace folder/figures with the figures this run's evidence names."""
    named = {
        name
        for claim in document["claims"]
        for proposition in claim["propositions"]
        for evidence in proposition["evidence"]
        for name in evidence.get("figures", [])
    }
    target = folder / "figures"
    if target.exists():
        shutil.rmtree(target)
    if named:
        target.mkdir(parents=True)
        for name in sorted(named):
            shutil.copyfile(staging / f"{name}.svg", target / f"{name}.svg")
    shutil.rmtree(staging, ignore_errors=True)


def _untested(document: dict[str, Any]) -> list[str]:
    return [
        p["id"] for c in document["claims"] for p in c["propositions"] if p["finding"] == "UNTESTED"
    ]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit(root: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!reports")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")
