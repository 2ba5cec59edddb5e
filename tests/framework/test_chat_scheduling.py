"""Under --dist loadgroup every chat-model test runs in one xdist worker (claims_groups).

tests/common/chat_runs.py computes the chat model's runs once per process; the plugin's
scheduler (claims.pytest.scheduling) keeps every test of a ``claims_groups`` group on one worker,
and pyproject.toml groups every tests/claims/*/test_smollm2.py, so a session computes them once
(docs/chat-model.md, "The real chat model"). Checked in a scratch project with the plugin and such a group.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_loadgroup_runs_every_chat_model_test_in_one_worker(pytester: pytest.Pytester):
    pytester.makeconftest('pytest_plugins = ["claims.pytest.plugin"]\n')
    pytester.makeini("[pytest]\nclaims_groups = */test_smollm2.py smollm2\n")
    for claim in ("first", "second", "third"):
        folder = pytester.mkpydir(claim)
        (folder / "test_smollm2.py").write_text(
            "def test_a():\n    pass\n\ndef test_b():\n    pass\n"
        )
        (folder / "test_other.py").write_text(
            "def test_x():\n    pass\n\ndef test_y():\n    pass\n"
        )
    result = pytester.runpytest_subprocess(
        "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:randomly"
    )
    result.assert_outcomes(passed=12)
    workers = {
        match.group(2): match.group(1)
        for match in re.finditer(r"\[(gw\d)\] .*PASSED (\S+)", result.stdout.str())
    }
    chat = {worker for test, worker in workers.items() if "test_smollm2.py" in test}
    assert len(workers) == 12 and len(chat) == 1, workers
    assert set(workers.values()) == {"gw0", "gw1"}, "the other tests still spread over both"


def test_an_xdist_group_mark_is_refused_not_ignored(pytester: pytest.Pytester):
    # Under the claims scheduler pytest-xdist's own xdist_group mark would do nothing; a test
    # that asks for it is a usage error naming the test and the ini option to use instead.
    pytester.makeconftest('pytest_plugins = ["claims.pytest.plugin"]\n')
    pytester.makepyfile(
        test_grouped="import pytest\n\n@pytest.mark.xdist_group('chat')\ndef test_a():\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    said = result.stderr.str()
    assert "test_grouped.py::test_a" in said and "claims_groups" in said, said
