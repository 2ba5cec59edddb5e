"""Where a report came from: the git commit and package versions a run or a check records.

Read by claims.pytest.session (a run's ``run`` block) and claims.report.stability (a depth or
stability check); ``git_commit`` marks a checkout with uncommitted changes outside reports/ as
``+dirty`` (https://git-scm.com/docs/git-status#_porcelain_format_version_1).
"""

from __future__ import annotations

import subprocess
from importlib import metadata
from pathlib import Path


def version(package: str) -> str:
    """The installed distribution's version, or "not installed"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_commit(root: Path) -> str:
    """The 12-digit commit of the checkout at ``root`` (``+dirty`` if it has uncommitted changes
    outside reports/), or "unknown" where git cannot tell."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!reports")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")
