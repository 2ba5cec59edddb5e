"""The `claims` command as a user runs it (``claims``, ``assert_one_line_error``), and scratch
copies of this project for the commands that write (``make_project``): a copy of the claims
package first on sys.path there, so the real catalog, tests and reports/ are never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Real claim tests that run in seconds: the scratch project for `new` runs them in full.
FAST_CLAIM_TESTS = (
    "claims/inactive_relu_zero_gradient/__init__.py",
    "claims/inactive_relu_zero_gradient/test_symbolic.py",
)

INI = """
[pytest]
claims_testpaths = tests/claims
claims_report_dir = out
addopts = -p no:cacheprovider
"""


def claims(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # A scratch project's own copy of the package first, else this checkout's (never whichever
    # checkout an editable install points to).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(cwd), str(ROOT)]))}
    env.pop("HYPOTHESIS_PROFILE", None)
    command = [sys.executable, "-m", "claims", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def assert_one_line_error(result: subprocess.CompletedProcess[str], status: int, *words: str):
    assert result.returncode == status, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert ": error: " in lines[0], "an expected failure, not an internal error"
    for word in words:
        assert word in lines[0], lines[0]


def copy_package(target: Path) -> None:
    shutil.copytree(
        ROOT / "claims", target / "claims", ignore=shutil.ignore_patterns("__pycache__")
    )


def make_project(folder: Path) -> Path:
    """A copy of the claims package and conftest in ``folder``, with one fast real claim test file."""
    copy_package(folder)
    shutil.copyfile(ROOT / "conftest.py", folder / "conftest.py")
    (folder / "pytest.ini").write_text(INI)
    (folder / "tests" / "claims" / "inactive_relu_zero_gradient").mkdir(parents=True)
    for name in ("__init__.py", "claims/__init__.py", *FAST_CLAIM_TESTS):
        shutil.copyfile(ROOT / "tests" / name, folder / "tests" / name)
    return folder
