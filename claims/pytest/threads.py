"""How many intra-op threads torch uses in each test process: the available cores over the workers.

A serial run (``-p no:xdist``, ``make bench``, the thorough chat sweep) gets every core; under
pytest-xdist with N workers each worker gets max(1, cores // N), so N workers never ask for more
threads than there are cores (on a 2-core machine ``make test -n 2`` keeps one thread each).
Computed here only; applied at ``pytest_configure`` by this module as a pytest plugin, which the
top-level conftest.py lists and ``claims run`` passes with ``-p`` (so a project whose conftest
loads only the claims plugin gets the same count).

The count never decides a finding: ``tests/framework/test_suite_wiring.py`` runs claim tests
serially (every core) and on two workers (a thread each) and requires the same decisions.
"""

from __future__ import annotations

import os

import pytest

# pytest-xdist sets it in each worker's environment before the worker parses its configuration
# (xdist/remote.py), so it is there when conftest.py and the plugins are loaded. A pytest started
# inside a worker (the framework tests' subprocesses under `make test`) inherits it, and so keeps
# to that worker's share.
WORKER_COUNT_VARIABLE = "PYTEST_XDIST_WORKER_COUNT"


def available_cores() -> int:
    """CPUs this process may run on: its affinity mask (a container's cpuset), else all of them.

    A CPU quota (cgroup cpu.max) without a cpuset is not seen, as os.cpu_count() does not see it.
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def per_process(workers: int, cores: int | None = None) -> int:
    """Threads for each of ``workers`` processes sharing ``cores`` (default: available_cores()).

    max(1, cores // workers). Raises ValueError when workers < 1.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    return max(1, (available_cores() if cores is None else cores) // workers)


def xdist_workers() -> int:
    """The xdist worker count of this process's run; 1 in a serial run (or the xdist controller)."""
    return int(os.environ.get(WORKER_COUNT_VARIABLE, "1"))


def pytest_configure(config: pytest.Config) -> None:
    """Set torch's intra-op threads for this process before any test runs."""
    import torch

    torch.set_num_threads(per_process(xdist_workers()))
