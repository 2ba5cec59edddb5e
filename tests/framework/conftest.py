"""Fixtures for the framework's plugin tests: scratch projects (tests/common/toy_project.py) and
pytest subprocesses that load only the plugins they need (tests/common/suite_runs.py)."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator

import pytest

from tests.common.suite_runs import without_plugin_autoload
from tests.common.toy_project import INI, MATCHING_TESTS, TOY_CATALOG, ToyRun


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
