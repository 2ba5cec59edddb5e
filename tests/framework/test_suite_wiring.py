"""The real suite: every proposition has a test, and xdist gives the same findings as serial;
the pytest these tests start loads only the plugins it needs."""

import json
import os
import subprocess
import sys

import pytest

from claims.catalog import CATALOG
from claims.report import drift
from tests.common.suite_runs import PLUGINS, XDIST_PATHS, report, run_suite

# Collect-only, dumping each claim test's marker: proves every proposition has a test without
# running anything (markers naming unknown ids already fail collection in the plugin).
INDEX_PLUGIN = """
import json, os

def pytest_collection_finish(session):
    index = {item.nodeid: item.get_closest_marker("claim").args[0]
             for item in session.items if item.get_closest_marker("claim")}
    with open(os.environ["CLAIMS_INDEX_OUT"], "w") as stream:
        json.dump(index, stream)
"""


def test_every_catalog_proposition_has_at_least_one_test(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_INDEX_OUT", str(tmp_path / "index.json"))
    result = run_suite(tmp_path, "--collect-only", plant=INDEX_PLUGIN)
    assert result.returncode == 0, result.stdout + result.stderr
    tested = set(json.loads((tmp_path / "index.json").read_text()).values())
    catalog = {p.id for c in CATALOG for p in c.propositions}
    assert catalog - tested == set(), "propositions without a test"
    assert tested - catalog == set(), "tests naming propositions outside the catalog"


# XDIST_PATHS (tests/common/suite_runs.py), the two cheapest claims' tests: xdist equivalence is
# about the plugin, not the claims, and running the whole suite twice more would double `make
# test`. A subset is a partial run.


@pytest.mark.slow  # three subprocess runs of two claims' tests: over a minute on two cores
def test_two_xdist_workers_find_what_a_serial_run_finds(tmp_path, monkeypatch):
    # The serial run uses every core even from inside an xdist worker (which its pytest would
    # otherwise inherit, claims/pytest/threads.py), the workers their share: on two cores, two
    # threads against one each, so float reductions chunked differently must decide the same.
    for variable in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT"):
        monkeypatch.delenv(variable, raising=False)
    serial_dir, distributed_dir = tmp_path / "serial", tmp_path / "distributed"
    serial = run_suite(serial_dir, paths=XDIST_PATHS)
    distributed = run_suite(distributed_dir, "-n", "2", paths=XDIST_PATHS)
    assert serial.returncode == 0, serial.stdout[-3000:]
    assert distributed.returncode == 0, distributed.stdout[-3000:]
    serial_report = report(serial_dir, partial=True)
    distributed_report = report(distributed_dir, partial=True)
    assert distributed_report["run"]["workers"] == 2 and serial_report["run"]["workers"] == 1
    assert drift.differences(distributed_report, serial_report) == []
    decisions = drift.decisions(serial_report)
    ran = [v for k, v in decisions.items() if k.endswith(" finding") and v != "NOT_RUN"]
    # The 19 propositions these paths test: 10 of one claim, 9 of the other.
    assert len(ran) >= 19, "the comparison must cover real findings, not NOT_RUN rows"


# Writes the names of the plugins a pytest registered (entry-point plugins under their names).
PLUGIN_NAMES = """
import json, os

def pytest_configure(config):
    names = [name for name, _ in config.pluginmanager.list_name_plugin()]
    with open(os.environ["CLAIMS_PLUGINS_OUT"], "w") as stream:
        json.dump(names, stream)
"""


def test_the_pytest_these_tests_start_loads_only_the_plugins_it_needs(tmp_path):
    """Auto-loading off (tests/framework/conftest.py): anyio's plugin, which nothing uses, is not
    loaded, nor any other installed one; suite_runs.PLUGINS are."""
    (tmp_path / "plugin_names.py").write_text(PLUGIN_NAMES)
    (tmp_path / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    out = tmp_path / "plugins.json"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "CLAIMS_PLUGINS_OUT": str(out)}
    command = [sys.executable, "-m", "pytest", "-p", "plugin_names", "--collect-only", "-q"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    names = set(json.loads(out.read_text()))
    assert set(PLUGINS) <= names
    assert "anyio" not in names and "xdist.looponfail" not in names
