"""Every asserted check can fail: plant a wrong layer or activation, and watch the findings flip.

Each row installs one planted bug from tests/framework/plants.py under a real registry name,
runs one claim's unmodified tests through the real plugin in a subprocess, and requires the
listed asserted propositions to come out FAILS with a counterexample (and the run to be red).
Together the rows cover every asserted proposition of the claims they name.
"""

import pytest

from claims.catalog import (
    activation_scaling,
    differential_reinforcement,
    gelu_near_equivalence,
    inactive_relu_zero_gradient,
)
from claims.records import Role
from tests.framework.plants import TRAINING_ACTIVATES_D, TRAINING_ON_P2, plugin_source
from tests.framework.suite_runs import findings, report, run_suite


def asserted(claim) -> set[str]:
    return {p.id for p in claim.propositions if p.role == Role.ASSERTED}


AS, GN, DR = activation_scaling.ID, gelu_near_equivalence.ID, differential_reinforcement.ID
DR_TESTS = "tests/claims/differential_reinforcement"
GELU_TESTS = "tests/claims/gelu_near_equivalence"
SQUARED = (
    "chain-rule-identity",
    "identity-in-torch",
    "column-ratio",
    "sgd-update-proportional",
    "momentum-first-step-proportional",
)
# name -> (test paths, plugin source that plants the bug, asserted propositions that must flip)
PLANTS = {
    "leaky-relu": (
        ("tests/claims/inactive_relu", f"{GELU_TESTS}/test_random_networks.py"),
        plugin_source("ACTIVATIONS", "relu", "leaky-relu-0.01"),
        asserted(inactive_relu_zero_gradient.CLAIM) | {f"{GN}/relu-baseline-share-zero"},
    ),
    "gelu-is-silu": (
        (f"{GELU_TESTS}/test_constants.py", f"{GELU_TESTS}/test_thresholds.py"),
        plugin_source("ACTIVATIONS", "gelu", "silu"),
        {f"{GN}/gelu-derivative-constants", f"{GN}/gelu-tail-thresholds"},
    ),
    "squared-input-backward": (
        ("tests/claims/activation_scaling",),
        plugin_source("LINEAR_MAPS", "linear", "SQUARED_INPUT_BACKWARD"),
        {f"{AS}/{name}" for name in SQUARED},
    ),
    "first-unit-only-backward": (
        ("tests/claims/activation_scaling",),
        plugin_source("LINEAR_MAPS", "linear", "FIRST_UNIT_ONLY_BACKWARD"),
        {f"{AS}/every-outgoing-weight", f"{AS}/shared-downstream-unit"},
    ),
    "training-activates-d": (
        (f"{DR_TESTS}/test_twin_circuits.py",),
        TRAINING_ACTIVATES_D,
        {
            f"{DR}/{name}"
            for name in (
                "relu-family-inactive-untouched",
                "smooth-sgd-disproportionate",
                "behaviour-favours-active-circuit",
            )
        },
    ),
    "training-on-p2": (
        (f"{DR_TESTS}/test_random_policies.py",),
        TRAINING_ON_P2,
        {f"{DR}/active-set-updated-more"},
    ),
}


def test_the_plants_cover_every_asserted_proposition_of_the_claims_they_target():
    covered = set().union(*(row[-1] for row in PLANTS.values()))
    claims = (
        inactive_relu_zero_gradient.CLAIM,
        activation_scaling.CLAIM,
        gelu_near_equivalence.CLAIM,
        differential_reinforcement.CLAIM,
    )
    assert set().union(*(asserted(claim) for claim in claims)) == covered


@pytest.mark.parametrize("paths, plant, flipped", PLANTS.values(), ids=PLANTS.keys())
def test_a_planted_bug_flips_asserted_findings_to_fails_with_a_counterexample(
    tmp_path, paths, plant, flipped
):
    result = run_suite(tmp_path, plant=plant, paths=paths)
    assert result.returncode == 1, "the planted bug must turn the run red"
    # One claim's folder is a partial run: its report goes to report/partial/.
    document = report(tmp_path, partial=True)
    found = findings(document)
    assert {p: found[p] for p in flipped} == {p: "FAILS" for p in flipped}
    for claim in document["claims"]:
        for proposition in claim["propositions"]:
            if proposition["id"] in flipped:
                failing = [e for e in proposition["evidence"] if e["outcome"] == "FAILS"]
                assert failing and all(e["counterexample"] for e in failing), proposition["id"]
                assert all(e["reproduce"].startswith("HYPOTHESIS_PROFILE=") for e in failing)
