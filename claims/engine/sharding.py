"""Which tests run together: groups and shards, as pure rules (docs/running.md, "Scaling out").

A **group** is a set of test files whose tests must run in one process: the chat model's claim
tests read runs that tests/common/chat_runs.py computes once per process, so split across
processes they would compute them once each. Groups are declared in one place, the ini option
``claims_groups`` (pyproject.toml): one line per rule, ``<glob> <group>``, the glob matched
(fnmatch) against the path part of a test's node id. A test no rule matches is its own group.

The group is the unit of everything that splits a run:

- ``--dist loadgroup`` (``make test``, ``make report``, ``claims run -n N``): one xdist worker
  runs a whole group (claims.pytest.scheduling, which also says why pytest-xdist's own
  ``xdist_group`` marker is refused).
- ``--claims-shard i/N``: a group is in shard i when the CRC32 of its name, mod N, is i - 1
  (CRC32: stable across processes and machines, unlike hash()). Keyed by test id, the chat
  tests landed in every shard, and each shard recomputed the chat runs.
- ``claims merge`` recomputes each shard's slice with the same rule (``shard_slice``) from the
  tests the shard collected and the groups it recorded, and refuses a shard whose tests are not
  its slice.
"""

from __future__ import annotations

import fnmatch
import zlib
from collections.abc import Iterable, Mapping


def parse_groups(lines: Iterable[str]) -> dict[str, str]:
    """``claims_groups`` lines -> {glob: group}; ValueError (one line) for a malformed line."""
    groups = {}
    for line in lines:
        words = line.split()
        if len(words) != 2:
            raise ValueError(f"claims_groups line {line!r}: expected '<glob> <group>'")
        groups[words[0]] = words[1]
    return groups


def group_of(nodeid: str, groups: Mapping[str, str]) -> str:
    """The group a test belongs to: the first rule whose glob matches its file, else itself."""
    path = nodeid.split("::", 1)[0]
    for glob, group in groups.items():
        if fnmatch.fnmatchcase(path, glob):
            return f"group:{group}"
    return nodeid


def parse_shard(spec: object) -> tuple[int, int]:
    """'i/N' -> (i, N) with 1 <= i <= N; ValueError (one line) otherwise."""
    try:
        index, count = (int(part) for part in str(spec).split("/"))
    except ValueError as error:
        raise ValueError(f"shard {spec!r}: expected i/N, e.g. 1/4") from error
    if not 1 <= index <= count:
        raise ValueError(f"shard {spec!r}: need 1 <= i <= N")
    return index, count


def in_shard(nodeid: str, index: int, count: int, groups: Mapping[str, str]) -> bool:
    """Is this test in shard ``index`` of ``count``? Its whole group is, or none of it."""
    return zlib.crc32(group_of(nodeid, groups).encode()) % count == index - 1


def shard_slice(
    nodeids: Iterable[str], index: int, count: int, groups: Mapping[str, str]
) -> set[str]:
    """The tests of ``nodeids`` that shard ``index`` of ``count`` runs."""
    return {nodeid for nodeid in nodeids if in_shard(nodeid, index, count, groups)}
