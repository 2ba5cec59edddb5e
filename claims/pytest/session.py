"""One pytest session's worth of claims: what was collected, what ran, and the reports it writes.

``RunCollector`` is registered by the plugin on every process. Each process records which
claim tests it built, collected and deselected, and which test files of the claim folders it
collected; workers hand that to the controller through ``config.workeroutput``. The controller
gathers evidence from test reports (its own, or those xdist forwards from workers), and at
session end turns it into verdicts and writes the reports.

A run is complete -- and may overwrite the full report -- only when it collected every test file
of the catalog's claim folders (``claims_testpaths``), selected every claim test it built,
deselected none, and every selected test reported a finding of its own: however the selection
was narrowed (paths, node ids, ``-k``, ``-m``, ``--deselect``, ``--ignore``, ``--ignore-glob``,
a shard), or a worker crashed, the report goes to ``<report dir>/partial/``.
"""

from __future__ import annotations

import fnmatch
import os
import platform
import secrets
import shlex
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from claims.engine import profiles, sharding, verdicts
from claims.engine.evidence import Evidence
from claims.engine.records import Finding
from claims.engine.registry import Registry, fingerprint
from claims.pytest import staging as staging_module
from claims.report import document as report_document
from claims.report import provenance, publish, terminal

EVIDENCE_PROPERTY = "claims.engine.evidence"
# Sent with a claim test's setup report: {"proposition", "kind"}, so the controller can account
# for a test whose process died before it reported a finding.
BINDING_PROPERTY = "claims.engine.binding"
# Every claim test collection built in this process, selected or not: nodeid -> proposition.
BUILT = pytest.StashKey[dict[str, str]]()
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
        # Test modules collected (absolute paths), to compare with those in the claim folders.
        self.modules: set[str] = set()
        self.collection_failed = False
        # Controller: claim tests bound to a proposition by their setup report, and those pytest
        # saw fail without a finding of the plugin's (a crashed worker): they are ERROR.
        self.bound: dict[str, dict[str, str]] = {}
        self.unreported: set[str] = set()
        self.workers = 0
        self.evidence: dict[str, dict[str, Any]] = {}
        self.durations: dict[str, float] = {}
        self.document: dict[str, Any] | None = None
        # Keys that cannot be filled in faithfully, figures two tests saved: one line each.
        self.problems: list[str] = []
        # Why the report could not be written, if it could not (one line).
        self.write_error: str | None = None
        self.written_to: Path | None = None
        config.stash[BUILT] = {}
        if self.is_worker:
            staging = Path(config.workerinput[FIGURE_STAGING_KEY])
        else:
            # Folders of killed runs first, then this run's own, removed at session end or,
            # whatever happens before, at unconfigure (claims.pytest.staging).
            staging_module.sweep()
            owned = staging_module.Staging()
            config.add_cleanup(owned.remove)
            staging = owned.path
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
        # Built but neither selected nor deselected: left out by a node id on the command line.
        for nodeid, bound in self.config.stash[BUILT].items():
            self.index.setdefault(nodeid, bound)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_failed = True
        path = report.nodeid.split("::")[0]
        if report.nodeid and "::" not in report.nodeid and path.endswith(".py"):
            self.modules.add(str((self.config.rootpath / path).resolve()))

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
        self.modules.update(shipped["modules"])
        self.collection_failed |= shipped["collection_failed"]

    # --- evidence (controller) ---

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.is_worker:
            return
        found = False
        for key, value in report.user_properties:
            if key == EVIDENCE_PROPERTY:
                self.evidence[report.nodeid] = value
                found = True
            elif key == BINDING_PROPERTY:
                self.bound[report.nodeid] = value
        if report.failed and not found and report.nodeid in self.bound:
            # pytest saw this claim test fail, but no finding came with it: its process died
            # (an xdist worker crash) or something else cut it short. Never HOLDS: ERROR.
            said = str(report.longrepr).strip().splitlines() or ["no details"]
            bound = self.bound[report.nodeid]
            self.evidence[report.nodeid] = Evidence(
                test=report.nodeid,
                proposition=bound["proposition"],
                kind=bound["kind"],
                outcome=str(Finding.ERROR),
                error=f"{report.when}: {said[-1]}",
            ).to_json()
            self.unreported.add(report.nodeid)
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
                "modules": sorted(self.modules),
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
        staging = self.config.stash[FIGURE_STAGING]
        try:
            json_path = self.written_to / report_document.JSON_NAME
            publish.write_report(self.document, json_path, figures=staging)
        except report_document.ReportError as error:
            self.write_error = str(error)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if complete and _untested(self.document):
            # No test failed, yet a proposition the catalog expects a finding for has none:
            # pytest is green only when every finding equals its expectation.
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if self.problems or self.unreported:
            # A key or figure that would show one of two values, or a gap, or a test whose
            # outcome pytest saw but no finding recorded: the report would say more than ran.
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
        if self.write_error is None:
            terminalreporter.write_line(f"claims report ({scope}): {self.written_to}")
        else:
            terminalreporter.write_line(f"claims report error: {self.write_error}", red=True)
        for line in self.problems:
            terminalreporter.write_line(f"claims error: {line}", red=True)

    def _complete(self, exitstatus: int) -> bool:
        """A full run: every claim test of the claim folders collected, selected and reported."""
        if self.deselected or self.unreported or exitstatus == pytest.ExitCode.INTERRUPTED:
            return False
        if not self.selected or not self.selected <= set(self.evidence):
            return False
        return self._collected_everything()

    def _collected_everything(self) -> bool:
        """Every test file of the claim folders collected, and every claim test built in them
        selected or deselected (not left out by a node id), without a collection error."""
        if self.collection_failed or set(self.index) != self.selected | self.deselected:
            return False
        return claim_test_files(self.config) <= self.modules

    def _document(self, complete: bool) -> dict[str, Any]:
        found = [Evidence(**e) for _, e in sorted(self.evidence.items())]
        judged = verdicts.judge(self.registry, found, self.index, complete=complete)
        self.problems = list(judged.problems)
        run = self._provenance(complete)
        run["figures"] = self._figures(found)
        return report_document.to_document(list(judged.results), run, self.registry)

    def _figures(self, found: list[Evidence]) -> dict[str, str]:
        """{name: sha256} of each figure the evidence names, as staged (a missing one: error)."""
        staging = self.config.stash[FIGURE_STAGING]
        digests = {}
        for name in sorted({name for e in found for name in e.figures}):
            try:
                digests[name] = report_document.sha256(report_document.figure_file(staging, name))
            except OSError:
                self.problems.append(f"figure {name!r} is named by a test but was never saved")
        return digests

    def _provenance(self, complete: bool) -> dict[str, Any]:
        seed = self.config.getoption("hypothesis_seed", None)
        return {
            "complete": complete,
            # This report set's id: claims.md and claims.html carry it too (see publish).
            "id": secrets.token_hex(8),
            "catalog": fingerprint(self.registry),
            # Quoted as a shell would need it (shlex.join), so it can be pasted.
            "command": shlex.join(["pytest", *self.config.invocation_params.args]),
            "started": datetime.fromtimestamp(self.started, UTC).isoformat(timespec="seconds"),
            "duration_s": round(time.time() - self.started, 3),
            "hypothesis_profile": self.profile,
            "hypothesis_seed": "derandomized"
            if profiles.PROFILES[self.profile].derandomize
            else seed,
            "workers": self.workers or 1,
            "git_commit": provenance.git_commit(self.config.rootpath),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "versions": {name: provenance.version(name) for name in VERSIONED_PACKAGES},
            # The source documents the catalog cites (README, "Reading the report").
            "source": [document.path for document in self.registry.documents.values()],
            "tests_run": len(self.evidence),
            # What `claims merge` needs to tell a complete set of shards from a partial one.
            "shard": self.config.getoption("claims_shard"),
            # The groups the shard rule kept whole (claims.engine.sharding): merge recomputes
            # each shard's slice with them.
            "groups": sharding.parse_groups(self.config.getini("claims_groups")),
            "full_collection": self._collected_everything(),
            "collected_tests": dict(sorted(self.index.items())),
            "selected_tests": sorted(self.selected),
            "durations_s": {k: round(v, 3) for k, v in sorted(self.durations.items())},
        }


def claim_test_files(config: pytest.Config) -> set[str]:
    """Every test file in the claim folders, as pytest would find it (python_files patterns,
    norecursedirs pruned): a run that did not collect one of them is partial."""
    patterns = config.getini("python_files")
    skipped = config.getini("norecursedirs")
    found = set()
    for folder in config.getini("claims_testpaths"):
        for here, folders, names in os.walk(folder):
            folders[:] = [f for f in folders if not any(fnmatch.fnmatch(f, p) for p in skipped)]
            for name in names:
                if any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
                    found.add(str((Path(here) / name).resolve()))
    return found


def _untested(document: dict[str, Any]) -> list[str]:
    return [
        p["id"] for c in document["claims"] for p in c["propositions"] if p["finding"] == "UNTESTED"
    ]
