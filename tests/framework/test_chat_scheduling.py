"""Under --dist loadgroup every chat-model test runs in one xdist worker (the top-level conftest).

tests/claims/chat_runs.py computes the chat model's runs once per process; the scheduler in
conftest.py keeps every tests/claims/*/test_smollm2.py test on one worker so a session computes
them once (README, "The real chat model"). Checked in a scratch project with the same hook.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_loadgroup_runs_every_chat_model_test_in_one_worker(pytester: pytest.Pytester):
    hook = (
        (ROOT / "conftest.py")
        .read_text()
        .replace(
            'pytest_plugins = ["claims.engine.plugin", "claims.engine.threads", "pytester"]', ""
        )
    )
    pytester.makeconftest(hook)
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
