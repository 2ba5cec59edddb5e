"""A run is complete only when it collected and ran every claim test of the claim folders.

Completeness is decided from what was collected against the files and tests on disk, however
the selection was made; anything less writes to <report dir>/partial/ and never touches the
full report (docs/integrity.md, "A report that cannot lie").
"""

import pytest

from tests.common.toy_project import MATCHING_TESTS

# toy/holds stays in tests/claims/test_toy.py; toy/fails moves to a subfolder of its own.
HOLDS_ONLY = MATCHING_TESTS.split('@pytest.mark.claim("toy/fails"')[0]
FAILS_FILE = (
    "import pytest\n\n"
    + '@pytest.mark.claim("toy/fails"'
    + (MATCHING_TESTS.split('@pytest.mark.claim("toy/fails"')[1])
)
SUBFOLDER = {"tests/claims/sub/__init__.py": "", "tests/claims/sub/test_more.py": FAILS_FILE}
THE_OTHER_TEST = "tests/claims/sub/test_more.py::test_fails"

SELECTIONS = {
    "ignore": ("--ignore=tests/claims/sub",),
    "ignore-glob": ("--ignore-glob=*/sub/*",),
    "deselect": (f"--deselect={THE_OTHER_TEST}",),
    "keyword": ("-k", "not test_fails"),
    "marker": ("-m", "not claim"),
    "node-id": ("tests/claims/test_toy.py::test_holds",),
    "one-file": ("tests/claims/test_toy.py",),
    "subfolder": ("tests/claims/sub",),
}


@pytest.mark.parametrize("args", SELECTIONS.values(), ids=SELECTIONS.keys())
def test_any_narrower_selection_is_partial_and_leaves_the_full_report(toy_project, args):
    full = toy_project(HOLDS_ONLY, files=SUBFOLDER)
    assert full.report()["run"]["complete"] is True
    before = (full.folder / "out" / "claims.json").read_bytes()
    partial = toy_project(HOLDS_ONLY, files=SUBFOLDER, args=args)
    assert (partial.folder / "out" / "claims.json").read_bytes() == before
    if (partial.folder / "out" / "partial" / "claims.json").exists():
        document = partial.report(partial=True)
        assert document["run"]["complete"] is False
        assert "UNTESTED" not in partial.findings(partial=True).values()


def test_every_file_named_whole_is_a_full_run(toy_project):
    run = toy_project(
        HOLDS_ONLY, files=SUBFOLDER, args=("tests/claims/test_toy.py", "tests/claims/sub")
    )
    assert run.result.ret == pytest.ExitCode.OK
    assert run.report()["run"]["complete"] is True
    assert run.findings() == {"toy/holds": "HOLDS", "toy/fails": "FAILS"}
