"""Each core check of inactive-relu-zero-gradient can fail: plant a leaky ReLU under its name.

The planted plugin swaps ACTIVATIONS["relu"] for a ReLU with a 1 % negative slope before any
test runs; the unmodified claim tests then run through the real plugin, and every core finding
must flip to FAILS with a counterexample in the report.
"""

from claims.catalog import inactive_relu_zero_gradient
from claims.records import Role
from tests.framework.suite_runs import findings, report, run_suite

LEAKY_PLANT = """
from claims.activations import ACTIVATIONS

def pytest_configure(config):
    ACTIVATIONS["relu"] = ACTIVATIONS["leaky-relu-0.01"]
"""

CORE = [p.id for p in inactive_relu_zero_gradient.CLAIM.propositions if p.role == Role.CORE]


def test_a_leaky_relu_flips_every_core_finding_to_fails_with_a_counterexample(tmp_path):
    result = run_suite(tmp_path, plant=LEAKY_PLANT, paths=("tests/claims/inactive_relu",))
    assert result.returncode == 1, "the planted bug must turn the run red"
    # One claim's folder is a partial run: its report goes to report/partial/.
    document = report(tmp_path, partial=True)
    found = findings(document)
    assert {p: found[p] for p in CORE} == {p: "FAILS" for p in CORE}
    (claim,) = [c for c in document["claims"] if c["id"] == inactive_relu_zero_gradient.ID]
    assert claim["verdict"] == "REFUTED"
    for proposition in claim["propositions"]:
        if proposition["id"] in CORE:
            (evidence,) = proposition["evidence"]
            assert evidence["counterexample"], proposition["id"]
            assert evidence["reproduce"].startswith("HYPOTHESIS_PROFILE=")
