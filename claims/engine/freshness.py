"""Is committed evidence still about this code? Digests of what it depends on, then and now.

Evidence computed once and committed -- the depth and seed-stability checks (reports/depth.json,
reports/stability.json), the deep tier of the chat model -- records, when it is made, the sha256
of every file it depends on (``record``). A reader compares those with the files as they are
(``compare``): unchanged, the evidence is fresh; a file changed, added or removed, it is stale,
and says which. Files, not git: a checkout without history (a CI tarball) judges the same way,
and an uncommitted edit counts as a change. docs/integrity.md, "Freshness".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# What the Hypothesis-driven and experimental claim tests depend on: the catalog, the engine and
# the pytest plugin that judge and capture their evidence, the instruments and experiments they call, the data they read, the
# tests themselves (and the helpers they share) and the pinned versions. (Reports, renderers and the command line are not.)
CLAIM_EVIDENCE = (
    "claims/catalog",
    "claims/engine",
    "claims/pytest",
    "claims/instruments",
    "claims/experiments",
    "claims/data",
    "tests/claims",
    "tests/common",
    "constraints.txt",
)
SUFFIXES = (".py", ".txt", ".json", ".toml", ".j2")


def files(root: Path, paths: Iterable[str]) -> list[str]:
    """The files under ``paths`` (folders walked, files as named) with a SUFFIXES suffix,
    relative to ``root``, sorted; caches (__pycache__) left out."""
    root = Path(root)
    found: set[str] = set()
    for entry in paths:
        target = root / entry
        candidates = target.rglob("*") if target.is_dir() else [target]
        for path in candidates:
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


def record(root: Path, paths: Iterable[str] = CLAIM_EVIDENCE) -> dict[str, str]:
    """{relative path: sha256} of every file ``paths`` covers: what to store with evidence."""
    return {name: _sha256(Path(root) / name) for name in files(root, paths)}


@dataclass(frozen=True)
class Freshness:
    # True when every recorded file is unchanged and none was added under the recorded paths.
    fresh: bool
    # Relative paths changed, added or removed since the record, sorted.
    changed: tuple[str, ...]
    # Why it is stale in one line (empty when fresh).
    reason: str


def compare(
    root: Path, recorded: Mapping[str, str] | None, paths: Iterable[str] = CLAIM_EVIDENCE
) -> Freshness:
    """The recorded digests against the files now. ``recorded`` None (evidence written before
    digests were recorded) is stale: nothing says what it was computed from."""
    if not recorded:
        return Freshness(False, (), "it recorded no digests of the files it depends on")
    now = record(root, paths)
    changed = tuple(
        sorted(name for name in set(now) | set(recorded) if now.get(name) != recorded.get(name))
    )
    if not changed:
        return Freshness(True, (), "")
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return Freshness(
        False, changed, f"{len(changed)} file(s) it depends on changed since it ran: {shown}"
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
