"""The xdist scheduler: one worker runs a whole group of ``claims_groups`` (docs/running.md, "Scaling out").

The rule that says which group a test is in lives in claims.engine.sharding (pure, shared with
``claims merge``); this module is the pytest-xdist side of it. pytest-xdist's own
``xdist_group`` marker cannot express a group here: it regroups by renaming node ids, which
pytest 9 no longer lets a plugin do, and under this scheduler it would be ignored. So a test
that carries the marker is refused at collection (``refuse_xdist_group``), never silently run
outside the group it asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from claims.engine.sharding import group_of

XDIST_GROUP = "xdist_group"


def group_scheduler(config: Any, log: Any, groups: Mapping[str, str]) -> Any:
    """pytest-xdist's LoadScopeScheduling with one scope per group (``group_of``)."""
    from xdist.scheduler import LoadScopeScheduling  # optional: runs with -p no:xdist lack it

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid, groups)

    return GroupScheduling(config, log)


def refuse_xdist_group(items: list[pytest.Item]) -> None:
    """UsageError (one line, the first offending test) for an ``xdist_group`` mark: declare the
    group as a ``claims_groups`` line in the ini instead."""
    for item in items:
        if item.get_closest_marker(XDIST_GROUP) is not None:
            raise pytest.UsageError(
                f"claims: {item.nodeid}: the xdist_group mark is not honoured here; declare the "
                "group as a '<glob> <group>' line of the claims_groups ini option"
            )
