"""The folder a run saves figures into before its report is written, removed on every exit.

A run (its controller) makes one ``claims-figures-*`` folder in the system temp folder; tests,
in any xdist worker, save their figures there, and at session end the report takes the ones it
names and the folder is removed. That covers a normal end, a failure and Ctrl-C (pytest still
ends the session; ``Staging.remove`` also runs at unconfigure). A SIGKILL ends the process with
no chance to clean up, so the folder holds a lock file (``.owner``) its run keeps locked
(``fcntl.flock``) while alive: the kernel drops the lock when the process dies, however it
dies. Each new run first sweeps the folders of this user whose lock it can take: their runs
are gone. A folder of a live run, another user's, or one without a lock file (nothing proves
its run gone) is never touched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "claims-figures-"
OWNER = ".owner"
# A run makes its folder, then creates and locks its owner file: a folder younger than this may
# be in that instant, unlocked yet alive, so it is never swept.
_GRACE_S = 60.0


class Staging:
    """A staging folder this process owns: ``path``, locked until ``remove``."""

    def __init__(self, parent: Path | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        self._owner = open(self.path / OWNER, "w")  # noqa: SIM115 - held for the run's life
        fcntl.flock(self._owner, fcntl.LOCK_EX)

    def remove(self) -> None:
        """Delete the folder and drop the lock (idempotent)."""
        shutil.rmtree(self.path, ignore_errors=True)
        if not self._owner.closed:
            self._owner.close()


def sweep(parent: Path | None = None) -> list[Path]:
    """Remove the staging folders in ``parent`` (default: the temp folder) that this user owns
    and whose run is gone (its lock can be taken); return them."""
    parent = Path(tempfile.gettempdir() if parent is None else parent)
    removed = []
    for folder in sorted(parent.glob(f"{PREFIX}*")):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            if _abandoned(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:
            continue  # removed meanwhile, or unreadable: not ours to judge
    return removed


def _abandoned(folder: Path) -> bool:
    if time.time() - folder.stat().st_mtime < _GRACE_S:
        return False  # maybe a run that has made the folder and not yet locked its owner file
    try:
        owner = open(folder / OWNER)  # noqa: SIM115 - closed below, after the lock test
    except FileNotFoundError:
        # Made by a run from before lock files, which may still be running: nothing proves
        # it gone, so it stays (remove such leftovers by hand).
        return False
    with owner:
        try:
            fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # its run still holds it
        return True
