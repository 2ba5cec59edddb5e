"""torch's threads per process: the available cores over the xdist workers (claims/pytest/threads.py).

Set by the plugin claims.pytest.threads, which the top-level conftest.py lists and ``claims run``
passes with ``-p``; checked in this process, in a serial run and under ``claims run -n 2``.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from claims.pytest import threads
from tests.common.suite_runs import ROOT


@pytest.mark.parametrize(
    "workers, cores, expected",
    [(1, 2, 2), (2, 2, 1), (3, 2, 1), (2, 16, 8), (3, 16, 5), (1, 1, 1)],
)
def test_each_process_gets_the_cores_over_the_workers_and_at_least_one(workers, cores, expected):
    assert threads.per_process(workers, cores) == expected


def test_no_workers_is_a_one_line_error():
    with pytest.raises(ValueError, match="workers must be at least 1, got 0"):
        threads.per_process(0, 2)


def test_this_process_uses_its_share_of_the_cores():
    """Serial: every core; one of N xdist workers (make test): cores // N (conftest.py)."""
    assert torch.get_num_threads() == threads.per_process(threads.xdist_workers())


# One test per file name: each process that runs one writes its thread count under its worker id.
RECORDER = """
import os
from pathlib import Path

import pytest
import torch


@pytest.mark.parametrize("case", range(4))
def test_records_its_threads(case):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "serial")
    (Path(os.environ["THREADS_OUT"]) / worker).write_text(str(torch.get_num_threads()))
"""


def seen_threads(folder: Path, *command: str) -> dict[str, int]:
    """Run ``command`` in ``folder`` (holding only RECORDER); thread count per process."""
    (folder / "test_recorder.py").write_text(RECORDER)
    out = folder / "seen"
    out.mkdir()
    # A clean start: a pytest started inside an xdist worker inherits its worker count.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")}
    env |= {"THREADS_OUT": str(out), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return {path.name: int(path.read_text()) for path in out.iterdir()}


def test_a_serial_run_uses_every_available_core(tmp_path):
    seen = seen_threads(
        tmp_path, sys.executable, "-m", "pytest", "-p", "claims.pytest.threads", "-p", "no:xdist"
    )
    assert seen == {"serial": threads.available_cores()}


def test_claims_run_gives_each_of_its_workers_its_share_without_the_projects_conftest(tmp_path):
    seen = seen_threads(
        tmp_path, sys.executable, "-m", "claims", "run", "--workers", "2", "--", "test_recorder.py"
    )
    assert seen and set(seen) <= {"gw0", "gw1"}
    assert set(seen.values()) == {threads.per_process(2)}
