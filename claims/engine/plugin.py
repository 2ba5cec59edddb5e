"""pytest plugin: claim markers, the ``measurements`` fixture, evidence capture and reports.

Loaded from the top-level conftest.py (``pytest_plugins = ["claims.engine.plugin"]``).

Every process (the main one, or each xdist worker) validates markers at collection, runs the
tests and attaches one evidence dict per claim test to ``report.user_properties``. Only the
controller (the process without ``config.workerinput``) aggregates evidence into verdicts and
writes reports, at session end; workers send their collection index through
``config.workeroutput`` (the pytest-xdist convention, as in pytest-cov).
"""

from __future__ import annotations

import functools
import importlib
import zlib
from pathlib import Path
from typing import Any

import pytest

from claims.engine import evidence as evidence_module
from claims.engine import profiles
from claims.engine.evidence import Measurements
from claims.engine.records import EvidenceKind, Finding
from claims.engine.registry import CatalogError, Registry, registry_of
from claims.engine.run import EVIDENCE_PROPERTY, FIGURE_STAGING, RunCollector

MARKER = "claim"
_CLAIM = pytest.StashKey[tuple[str, EvidenceKind]]()
_MEASUREMENTS = pytest.StashKey[Measurements]()
_EXAMPLES = pytest.StashKey[list[int]]()
_REGISTRY = pytest.StashKey[Registry]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("claims", "claims verification suite")
    group.addoption(
        "--claims-report-dir",
        default=None,
        help="folder for claims.json and claims.md (default: ini claims_report_dir). "
        "A partial run (-k, node ids, a subset of files) writes to <folder>/partial/ instead.",
    )
    group.addoption(
        "--claims-shard",
        default=None,
        metavar="i/N",
        help="run only the i-th of N deterministic slices of the tests (1 <= i <= N), for "
        "splitting a deep run across machines; merge the shard reports with `claims merge`",
    )
    parser.addini(
        "claims_catalog",
        "module whose CATALOG lists the claims (and NOT_CHECKED the sentences left unchecked)",
        default="claims.catalog",
    )
    parser.addini(
        "claims_testpaths",
        "folders whose tests must each carry @pytest.mark.claim",
        type="paths",
        default=[Path("tests/claims")],
    )
    parser.addini("claims_report_dir", "default report folder", default="build/claims-report")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(proposition_id, *, kind): the test checks this catalog proposition; kind is "
        f"one of {', '.join(k.value for k in EvidenceKind)}",
    )
    if config.getoption("claims_shard") is not None:
        parse_shard(config.getoption("claims_shard"))  # reject a bad spec before collecting
    try:
        profile = profiles.load_selected_profile()
        module = importlib.import_module(config.getini("claims_catalog"))
        config.stash[_REGISTRY] = registry_of(module)
    except (CatalogError, ValueError, ImportError, AttributeError) as error:
        raise pytest.UsageError(f"claims: {error}") from error
    collector = RunCollector(config, config.stash[_REGISTRY], profile, binding=_proposition_of)
    config.pluginmanager.register(collector, "claims-run-collector")


# --- sharding: a deterministic 1/N of the tests -----------------------------------------------


def parse_shard(spec: str) -> tuple[int, int]:
    """'i/N' -> (i, N) with 1 <= i <= N; anything else is a usage error."""
    try:
        index, count = (int(part) for part in spec.split("/"))
    except ValueError as error:
        raise pytest.UsageError(f"--claims-shard {spec!r}: expected i/N, e.g. 1/4") from error
    if not 1 <= index <= count:
        raise pytest.UsageError(f"--claims-shard {spec!r}: need 1 <= i <= N")
    return index, count


def in_shard(nodeid: str, index: int, count: int) -> bool:
    # crc32 of the node id: stable across processes and machines (unlike hash()).
    return zlib.crc32(nodeid.encode()) % count == index - 1


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    spec = config.getoption("claims_shard")
    if spec is None:
        return
    index, count = parse_shard(spec)
    kept = [item for item in items if in_shard(item.nodeid, index, count)]
    dropped = [item for item in items if not in_shard(item.nodeid, index, count)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


# --- collection: every claim test names a real proposition -----------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> Any:
    result = yield
    items = result if isinstance(result, list) else [result]
    for item in items:
        if isinstance(item, pytest.Function):
            _bind_claim(item)
    return result


def _bind_claim(item: pytest.Function) -> None:
    path, line, _ = item.location
    where = f"{path}:{line + 1}: {item.originalname}"
    markers = list(item.iter_markers(MARKER))
    in_claims_folder = any(
        item.path.is_relative_to(folder) for folder in item.config.getini("claims_testpaths")
    )
    if not markers:
        if in_claims_folder:
            raise pytest.Collector.CollectError(
                f"{where}: claim test without @pytest.mark.{MARKER}"
            )
        return
    if len(markers) > 1:
        raise pytest.Collector.CollectError(f"{where}: more than one @pytest.mark.{MARKER}")
    marker = markers[0]
    if len(marker.args) != 1 or set(marker.kwargs) != {"kind"}:
        raise pytest.Collector.CollectError(
            f"{where}: use @pytest.mark.{MARKER}('<claim-id>/<name>', kind=...); got "
            f"args={marker.args!r} kwargs={marker.kwargs!r}"
        )
    try:
        proposition = item.config.stash[_REGISTRY].proposition(marker.args[0])
        kind = EvidenceKind(marker.kwargs["kind"])
    except CatalogError as error:
        raise pytest.Collector.CollectError(f"{where}: {error}") from error
    except ValueError as error:
        raise pytest.Collector.CollectError(
            f"{where}: unknown evidence kind {marker.kwargs['kind']!r}; use one of "
            f"{', '.join(k.value for k in EvidenceKind)}"
        ) from error
    item.stash[_CLAIM] = (proposition.id, kind)
    if proposition.expected == Finding.FAILS:
        # The catalog expects a counterexample: strict xfail keeps pytest green exactly while the
        # test fails by assertion, and turns it red on a pass or on any other exception.
        item.add_marker(
            pytest.mark.xfail(
                strict=True, raises=AssertionError, reason=f"catalog: {proposition.id} FAILS"
            )
        )
    elif proposition.expected == Finding.INCONCLUSIVE:
        # A re-registration records that the design could not decide: green exactly while the
        # decision rule still says so; a decision either way, or an error, turns it red.
        item.add_marker(
            pytest.mark.xfail(
                strict=True,
                raises=evidence_module.Inconclusive,
                reason=f"catalog: {proposition.id} INCONCLUSIVE (re-registered)",
            )
        )


# --- running: count Hypothesis examples, capture evidence --------------------------------------


@pytest.fixture
def measurements(request: pytest.FixtureRequest) -> Measurements:
    """Record named numbers (value, unit) that go into the claims report beside the finding."""
    if _CLAIM not in request.node.stash:
        raise pytest.UsageError(f"{request.node.nodeid}: measurements is for claim tests only")
    recorder = Measurements(figure_folder=request.config.stash[FIGURE_STAGING])
    request.node.stash[_MEASUREMENTS] = recorder
    return recorder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    handle = getattr(getattr(item, "obj", None), "hypothesis", None)
    if _CLAIM not in item.stash or handle is None:
        return (yield)
    # Hypothesis reads `.hypothesis.inner_test` afresh on each run and allows replacing it
    # (https://hypothesis.readthedocs.io/en/latest/reference/api.html#custom-function-execution),
    # so wrapping it counts every test case executed, shrinking included.
    calls = item.stash.setdefault(_EXAMPLES, [])
    original = handle.inner_test

    @functools.wraps(original)
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    handle.inner_test = counted
    try:
        return (yield)
    finally:
        handle.inner_test = original


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    report = yield
    bound = item.stash.get(_CLAIM, None)
    if bound is None or call.when == "teardown" or (call.when == "setup" and call.excinfo is None):
        return report
    proposition, kind = bound
    exception = call.excinfo.value if call.excinfo is not None else None
    examples = item.stash.get(_EXAMPLES, None)
    found = evidence_module.build(
        test=item.nodeid,
        proposition=proposition,
        kind=kind,
        exception=exception,
        examples=len(examples) if examples is not None else None,
        measurements=item.stash.get(_MEASUREMENTS, Measurements()),
        reproduce_command=reproduce_command(item),
    )
    if found.outcome == Finding.ERROR and report.skipped and not hasattr(report, "wasxfail"):
        # A claim test that skips has checked nothing; never let that pass as green.
        report.outcome = "failed"
        report.longrepr = f"claim tests may not skip: {found.error}"
    elif found.outcome == Finding.ERROR and report.passed:
        # It returned, yet observed a non-finite value (evidence.build): red, never green.
        report.outcome = "failed"
        report.longrepr = f"claim test: {found.error}"
    report.user_properties.append((EVIDENCE_PROPERTY, found.to_json()))
    return report


def reproduce_command(item: pytest.Item) -> str:
    # --runxfail shows the real assertion for propositions the catalog expects to fail.
    return (
        f"HYPOTHESIS_PROFILE={profiles.selected_profile()} "
        f".venv/bin/python -m pytest --runxfail '{item.nodeid}'"
    )


def _proposition_of(item: pytest.Item) -> str | None:
    """The proposition id a collected test checks, or None for tests outside the catalog."""
    bound = item.stash.get(_CLAIM, None)
    return None if bound is None else bound[0]
