"""pytest plugin: claim markers, the ``measurements`` fixture, evidence capture and reports.

Loaded from the top-level conftest.py (``pytest_plugins = ["claims.pytest.plugin"]``).

Every process (the main one, or each xdist worker) validates markers at collection, runs the
tests and attaches one evidence dict per claim test to ``report.user_properties``. Only the
controller (the process without ``config.workerinput``) aggregates evidence into verdicts and
writes reports, at session end; workers send their collection index through
``config.workeroutput`` (the pytest-xdist convention, as in pytest-cov).
"""

from __future__ import annotations

import functools
import importlib
import shlex
import sys
import traceback
from pathlib import Path
from typing import Any

import hypothesis
import pytest

from claims.engine import evidence as evidence_module
from claims.engine import profiles, sharding
from claims.engine.evidence import Evidence, Measurements
from claims.engine.records import EvidenceKind, Finding
from claims.engine.registry import CatalogError, Registry, registry_of
from claims.pytest import global_state, scheduling
from claims.pytest.session import (
    BINDING_PROPERTY,
    BUILT,
    EVIDENCE_PROPERTY,
    FIGURE_STAGING,
    RunCollector,
)

MARKER = "claim"
# Markers that set an expectation or skip a test: on a claim test only the catalog may (the
# plugin adds strict xfail for expected FAILS and INCONCLUSIVE), never a decorator or conftest.
EXPECTATION_MARKERS = ("xfail", "skip", "skipif")
_CLAIM = pytest.StashKey[tuple[str, EvidenceKind]]()
# The xfail mark the plugin itself added from the catalog (the one expectation allowed).
_OWN_XFAIL = pytest.StashKey[pytest.Mark]()
# The evidence the call phase produced, for a teardown that fails afterwards.
_FOUND = pytest.StashKey[Evidence]()
_MEASUREMENTS = pytest.StashKey[Measurements]()
_EXAMPLES = pytest.StashKey[list[int]]()
_REGISTRY = pytest.StashKey[Registry]()
# The plugin's options that take a value. pytest finds its rootdir and ini file from the
# command line before conftest.py loads this plugin, so in `--claims-report-dir /abs/dir` it
# takes /abs/dir for a test path (rootdir its common ancestor with the working folder, no ini
# file, the option unknown); `--claims-report-dir=/abs/dir` is one word it leaves alone.
# `claims run` writes them so (claims.cli.main.joined_values).
VALUE_OPTIONS = ("--claims-report-dir", "--claims-shard")


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
    parser.addini(
        "claims_groups",
        "tests that run together, one '<glob> <group>' per line (the glob matched against the "
        "test file's path): one xdist worker under --dist loadgroup, one shard under "
        "--claims-shard (claims/engine/sharding.py, claims/pytest/scheduling.py)",
        type="linelist",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(proposition_id, *, kind): the test checks this catalog proposition; kind is "
        f"one of {', '.join(k.value for k in EvidenceKind)}",
    )
    if config.getoption("claims_shard") is not None:
        parse_shard(config.getoption("claims_shard"))  # reject a bad spec before collecting
    groups(config)  # and malformed groups
    try:
        profile = profiles.load_selected_profile()
    except ValueError as error:
        raise pytest.UsageError(f"claims: {error}") from error
    config.stash[_REGISTRY] = load_registry(config.getini("claims_catalog"))
    collector = RunCollector(config, config.stash[_REGISTRY], profile, binding=_proposition_of)
    config.pluginmanager.register(collector, "claims-run-collector")


def load_registry(name: str) -> Registry:
    """Import the catalog module and check it; any mistake is one UsageError line naming the
    file (and line, where Python knows it) and the problem, never a traceback."""
    try:
        module = importlib.import_module(name)
    except Exception as error:  # a catalog module may raise anything on import
        raise pytest.UsageError(f"claims: {_where(error)}: {_said(error)}") from error
    origin = getattr(module, "__file__", name)
    for attribute in ("CATALOG", "NOT_CHECKED"):
        value = getattr(module, attribute, ())
        if not isinstance(value, tuple):  # a list would still be mutable after the check
            raise pytest.UsageError(
                f"claims: {origin}: {attribute} must be a tuple, not {type(value).__name__}"
            )
    try:
        return registry_of(module)
    except CatalogError as error:
        where = _defining_file(getattr(error, "claim", None), origin)
        raise pytest.UsageError(f"claims: {where}: {error}") from error
    except Exception as error:  # a value of the wrong type the checks did not foresee
        raise pytest.UsageError(f"claims: {origin}: malformed catalog: {_said(error)}") from error


def _said(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0]


def _where(error: BaseException) -> str:
    """file:line where an import failed: the syntax error's, or the innermost frame's."""
    if isinstance(error, SyntaxError) and error.filename:
        return f"{error.filename}:{error.lineno}"
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if "importlib" not in f.filename] or frames
    return f"{own[-1].filename}:{own[-1].lineno}" if own else "catalog"


def _defining_file(claim: object, default: str) -> str:
    """The catalog module that defines this claim object (its CLAIM), else ``default``."""
    for module in list(sys.modules.values()):
        if claim is not None and getattr(module, "CLAIM", None) is claim:
            return getattr(module, "__file__", default) or default
    return default


# --- groups and shards (claims.engine.sharding) ------------------------------------------------


def parse_shard(spec: str) -> tuple[int, int]:
    """'i/N' -> (i, N) with 1 <= i <= N; anything else is a usage error."""
    try:
        return sharding.parse_shard(spec)
    except ValueError as error:
        raise pytest.UsageError(f"--claims-shard {spec!r}: {error}") from error


def groups(config: pytest.Config) -> dict[str, str]:
    """The ini's ``claims_groups`` rules, {glob: group}; a malformed line is a usage error."""
    try:
        return sharding.parse_groups(config.getini("claims_groups"))
    except ValueError as error:
        raise pytest.UsageError(f"claims: {error}") from error


def _keep_shard(config: pytest.Config, items: list[pytest.Item]) -> None:
    spec = config.getoption("claims_shard")
    if spec is None:
        return
    index, count = parse_shard(spec)
    rules = groups(config)
    kept = [item for item in items if sharding.in_shard(item.nodeid, index, count, rules)]
    dropped = [item for item in items if item not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


# optionalhook: runs with -p no:xdist do not know the hook.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under --dist loadgroup: one xdist worker per group of ``claims_groups`` (so the chat
    model's runs are computed once per session), one scope per other test."""
    if config.getvalue("dist") != "loadgroup":
        return None
    return scheduling.group_scheduler(config, log, groups(config))


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
    where = _location(item)
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
    if problem := _kind_problem(item, kind):
        raise pytest.Collector.CollectError(f"{where}: {problem}")
    if foreign := _foreign_expectations(item):
        raise pytest.Collector.CollectError(f"{where}: {_refusal(foreign, proposition.id)}")
    if kind is EvidenceKind.EXPERIMENT and not proposition.power.strip():
        # README, "Registration": a statistical design states its minimum detectable effect
        # (and the seeds that buy it) in the catalog before it runs.
        raise pytest.Collector.CollectError(
            f"{where}: {proposition.id} is decided statistically (kind='experiment') but its "
            "catalog entry states no power=... (the minimum detectable effect and the seeds "
            "that buy it)"
        )
    item.stash[_CLAIM] = (proposition.id, kind)
    item.config.stash[BUILT][item.nodeid] = proposition.id
    expectation = None
    if proposition.expected == Finding.FAILS:
        # The catalog expects a counterexample: strict xfail keeps pytest green exactly while the
        # test fails by assertion, and turns it red on a pass or on any other exception.
        expectation = pytest.mark.xfail(
            strict=True, raises=AssertionError, reason=f"catalog: {proposition.id} FAILS"
        )
    if expectation is not None:
        item.add_marker(expectation)
        item.stash[_OWN_XFAIL] = expectation.mark


# Kinds that claim more than the examples a search drew: a proof, a certified bound over a
# continuum, an exact check with no sampling (README, "Strength"). A
# Hypothesis test (@given) is a search, so it may be property-tested, or weaker
# (experiment, real-model), never one of these.
NOT_A_SEARCH = (EvidenceKind.SYMBOLIC, EvidenceKind.CERTIFIED, EvidenceKind.CONSTRUCTION)


def _kind_problem(item: pytest.Function, kind: EvidenceKind) -> str | None:
    """Why the test cannot be the evidence kind its marker says, or None: ``property`` needs a
    Hypothesis test, and a Hypothesis test cannot be symbolic, certified or construction."""
    searched = hypothesis.is_hypothesis_test(getattr(item, "obj", None))
    if kind is EvidenceKind.PROPERTY and not searched:
        return (
            "kind='property' needs a Hypothesis test (@given): a test that draws no examples "
            "is not property-tested; say what it is (symbolic, certified, construction, ...)"
        )
    if searched and kind in NOT_A_SEARCH:
        return (
            f"kind={str(kind)!r} on a Hypothesis test (@given): a search over drawn examples "
            "proves no more than those examples; use kind='property'"
        )
    return None


def _foreign_expectations(item: pytest.Item) -> list[str]:
    """xfail/skip/skipif marks on a claim test that the plugin did not add from the catalog."""
    own = item.stash.get(_OWN_XFAIL, None)
    return [
        mark.name
        for mark in item.iter_markers()
        if mark.name in EXPECTATION_MARKERS and mark is not own
    ]


def _refusal(marks: list[str], proposition: str) -> str:
    named = ", ".join(f"@pytest.mark.{name}" for name in dict.fromkeys(marks))
    return (
        f"{named} on a claim test of {proposition}: expectations live in the catalog only "
        "(claims/catalog/), never in a decorator, a conftest or a plugin"
    )


def _location(item: pytest.Item) -> str:
    path, line, _ = item.location
    return f"{path}:{(line or 0) + 1}: {getattr(item, 'originalname', item.name)}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A conftest or plugin may add marks after the test was bound: refuse those as collection
    # errors too (pytest then runs nothing), naming the test's file:line.
    refused = []
    for item in items:
        if (bound := item.stash.get(_CLAIM, None)) and (foreign := _foreign_expectations(item)):
            message = f"{_location(item)}: {_refusal(foreign, bound[0])}"
            item.ihook.pytest_collectreport(
                report=pytest.CollectReport(item.nodeid, "failed", message, [])
            )
            refused.append(item)
    items[:] = [item for item in items if item not in refused]
    scheduling.refuse_xdist_group(items)
    _keep_shard(config, items)


# --- running: count Hypothesis examples, capture evidence --------------------------------------


@pytest.fixture
def measurements(request: pytest.FixtureRequest) -> Measurements:
    """Record named numbers (value, unit) that go into the claims report beside the finding."""
    if _CLAIM not in request.node.stash:
        raise pytest.UsageError(f"{request.node.nodeid}: measurements is for claim tests only")
    recorder = Measurements(figure_folder=request.config.stash[FIGURE_STAGING])
    request.node.stash[_MEASUREMENTS] = recorder
    return recorder


class GlobalStateChanged(RuntimeError):
    """A claim test left global torch state changed (claims.pytest.global_state)."""


@pytest.fixture(autouse=True)
def _claim_tests_restore_global_torch_state(request: pytest.FixtureRequest) -> Any:
    """Around each claim test: the global torch state it found must be there when it ends, or
    its finding is ERROR (a teardown error naming what changed), with the state put back."""
    if _CLAIM not in request.node.stash:
        yield
        return
    before = global_state.snapshot()
    yield
    if changed := global_state.changed(before, global_state.snapshot()):
        global_state.restore(before)
        raise GlobalStateChanged(
            f"the test left global torch state changed: {'; '.join(changed)} (restore it, e.g. "
            "with torch.random.fork_rng() or try/finally; put back for the tests after it)"
        )


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
    if bound is None:
        return report
    proposition, kind = bound
    if call.excinfo is None and call.when != "call":
        if call.when == "setup":
            # Sent before the test body runs: should the process die inside it (an xdist worker
            # crash), the controller still knows which proposition lost a test.
            report.user_properties.append(
                (BINDING_PROPERTY, {"proposition": proposition, "kind": str(kind)})
            )
        return report
    exception = call.excinfo.value if call.excinfo is not None else None
    if call.when == "call":
        found = _build(item, proposition, kind, exception)
        item.stash[_FOUND] = found
    else:
        found = _errored(item, proposition, kind, call.when, exception)
    if found.outcome == str(Finding.NOT_RUN) and call.when == "call":
        # The test's committed evidence is missing or stale (evidence.NotRun): nothing was
        # checked, whatever the catalog expects, so pytest shows a skip with the reason.
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, found.error)
        if hasattr(report, "wasxfail"):
            del report.wasxfail
    elif problem := _disagreement(item, call, report, found, exception):
        # Every outcome pytest saw reaches the finding: a skip, an xfail the catalog did not
        # ask for, or a finding pytest's own outcome contradicts is an ERROR, and red.
        found.outcome, found.error = str(Finding.ERROR), problem
        found.counterexample = found.reproduce = None
        report.outcome = "failed"
        report.longrepr = f"{_location(item)}: {problem}"
        if hasattr(report, "wasxfail"):
            del report.wasxfail
    report.user_properties.append((EVIDENCE_PROPERTY, found.to_json()))
    return report


def _build(
    item: pytest.Item, proposition: str, kind: EvidenceKind, exception: BaseException | None
) -> Evidence:
    examples = item.stash.get(_EXAMPLES, None)
    return evidence_module.build(
        test=item.nodeid,
        proposition=proposition,
        kind=kind,
        exception=exception,
        examples=len(examples) if examples is not None else None,
        measurements=item.stash.get(_MEASUREMENTS, Measurements()),
        reproduce_command=reproduce_command(item),
    )


def _errored(
    item: pytest.Item, proposition: str, kind: EvidenceKind, when: str, exception: BaseException
) -> Evidence:
    """A setup or teardown that raises makes the test's finding, whatever it was, an ERROR:
    an assertion in a fixture is no counterexample to the statement."""
    found = item.stash.get(_FOUND, None) or _build(item, proposition, kind, None)
    found = Evidence(**found.to_json())
    found.outcome = str(Finding.ERROR)
    found.error = f"{when}: {type(exception).__name__}: {exception}"
    found.counterexample = found.reproduce = None
    return found


# pytest's own outcome for each finding a passing or xfailing report may carry.
_PASSED_MEANS = (str(Finding.HOLDS),)
_XFAILED_MEANS = (str(Finding.FAILS), str(Finding.INCONCLUSIVE))


def _disagreement(
    item: pytest.Item,
    call: pytest.CallInfo[None],
    report: pytest.TestReport,
    found: Evidence,
    exception: BaseException | None,
) -> str | None:
    """Why this report and its finding may not stand as they are, or None."""
    if isinstance(exception, pytest.skip.Exception | pytest.xfail.Exception):
        verb = "xfail" if isinstance(exception, pytest.xfail.Exception) else "skip"
        return (
            f"claim tests may not call pytest.{verb}() ({exception}): expectations live in the "
            "catalog only, and a test that skips has checked nothing"
        )
    if foreign := _foreign_expectations(item):
        return _refusal(foreign, found.proposition)
    if call.when == "teardown" or report.failed:
        return None
    xfailed = report.skipped and hasattr(report, "wasxfail")
    if report.skipped and not xfailed:
        return f"claim tests may not skip: {found.error}"
    if found.outcome not in (_XFAILED_MEANS if xfailed else _PASSED_MEANS):
        if found.outcome == str(Finding.ERROR) and found.error:
            # The evidence says why itself, e.g. a non-finite value the test observed.
            return f"claim test: {found.error}"
        seen = "xfailed" if xfailed else report.outcome
        return f"the finding {found.outcome} disagrees with pytest's outcome ({seen})"
    return None


def reproduce_command(item: pytest.Item) -> str:
    """The shell command that replays this test: ``--runxfail`` shows the real assertion for
    propositions the catalog expects to fail. A node id carries parametrize ids, which may hold
    any character (``a'; touch PWNED; echo '``): every word is quoted by ``shlex.quote``, so a
    pasted command runs pytest on that test and nothing else. A Hypothesis test's command sets
    the profile it ran under (its search depends on it); any other test's does not, since the
    profile changes nothing it does."""
    words = [".venv/bin/python", "-m", "pytest", "--runxfail", item.nodeid]
    command = " ".join(map(shlex.quote, words))
    if not hypothesis.is_hypothesis_test(getattr(item, "obj", None)):
        return command
    profile = f"{profiles.ENVIRONMENT_VARIABLE}={profiles.selected_profile()}"
    return f"{shlex.quote(profile)} {command}"


def _proposition_of(item: pytest.Item) -> str | None:
    """The proposition id a collected test checks, or None for tests outside the catalog."""
    bound = item.stash.get(_CLAIM, None)
    return None if bound is None else bound[0]
