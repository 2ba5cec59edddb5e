"""A claim test's finding cannot depend on the tests before it (docs/integrity.md, "A report that cannot
lie"): every claim test must leave the global torch state as it found it -- default dtype,
random generator state, grad mode, deterministic algorithms -- or its finding is ERROR and the
state is put back; and CI runs the tests in a random order (pytest-randomly).
"""

from __future__ import annotations

import pytest

from tests.common.toy_project import MATCHING_TESTS

LEAKS = {
    "default-dtype": (
        "torch.set_default_dtype(torch.float64)",
        "default dtype (torch.float32 -> torch.float64)",
    ),
    "random-state": ("torch.randn(3)", "torch random state"),
    "grad-mode": ("torch.set_grad_enabled(False)", "grad mode (True -> False)"),
    "deterministic": (
        "torch.use_deterministic_algorithms(True)",
        "deterministic algorithms ((False, False) -> (True, False))",
    ),
}
# Runs after the leaking test in the same process: sees the state as it was before it.
AFTER = """

@pytest.mark.claim("toy/holds", kind="symbolic")
def test_zz_runs_after():
    assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()
    assert not torch.are_deterministic_algorithms_enabled()
"""


def leaking(statement: str) -> str:
    return (
        MATCHING_TESTS.replace("import pytest\n", "import pytest\nimport torch\n").replace(
            'measurements.record("answer", 42, "units")',
            f'measurements.record("answer", 42, "units")\n    {statement}',
        )
        + AFTER
    )


@pytest.mark.parametrize("statement, said", LEAKS.values(), ids=LEAKS.keys())
def test_a_claim_test_that_leaves_global_torch_state_changed_is_error(toy_project, statement, said):
    run = toy_project(leaking(statement), args=("-p", "no:randomly"))
    run.result.assert_outcomes(passed=2, xfailed=1, errors=1)
    assert run.findings()["toy/holds"] == "ERROR"
    [evidence] = [
        e
        for p in run.report()["claims"][0]["propositions"]
        for e in p["evidence"]
        if e["test"].endswith("::test_holds")
    ]
    assert evidence["outcome"] == "ERROR"
    assert evidence["error"].startswith("teardown: GlobalStateChanged: the test left global torch")
    assert said in evidence["error"], evidence["error"]


def test_a_claim_test_that_restores_what_it_changes_holds(toy_project):
    body = (
        "with torch.random.fork_rng():\n"
        "        torch.manual_seed(0)\n"
        "        torch.randn(3)\n"
        "    previous = torch.get_default_dtype()\n"
        "    torch.set_default_dtype(torch.float64)\n"
        "    torch.set_default_dtype(previous)"
    )
    run = toy_project(leaking(body), args=("-p", "no:randomly"))
    run.result.assert_outcomes(passed=2, xfailed=1)
    assert run.findings()["toy/holds"] == "HOLDS"
