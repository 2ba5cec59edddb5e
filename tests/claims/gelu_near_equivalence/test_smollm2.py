"""gelu-near-equivalence: S10 carried to a real SwiGLU chat model under GRPO (ci tier).

The ci runs of tests/common/chat_runs.py (the catalog's ci sizes): per GRPO step, the share of the
loss gradient's gate- and up-row squared norm carried by (neuron, token) pairs with a closed gate
(claims.experiments.chat.tracking: the MLP probe's tallies, checked against autograd on the first
step), for the SiLU model and for the ReLU-gated control, over the steps that had a policy
gradient (some group's rewards unequal, a nonzero gradient norm; at least CI_GRADIENT_STEPS of
them, the lemma). SiLU: every such step's share below 1 % (FAILS at the first above it); ReLU:
exactly 0 on every such step.
"""

import pytest

from claims.catalog.chat_design import CI_GRADIENT_STEPS, SHARE_THRESHOLD
from claims.experiments.chat import run_figures
from tests.common.chat_runs import ci_relu, ci_silu

# Every test here reads the ci runs of SmolLM2, minutes on a CPU (tests/README.md, "Slow tests").
pytestmark = pytest.mark.slow

# The float32 rounding bound the hooked decomposition must stay within against autograd (the
# ratio run.check_ratio reports; <= 1 means within it).
WITHIN_ROUNDING = 1.0


def gradient_steps(run: dict) -> set[int]:
    """The steps of a run with a policy gradient: some group's rewards unequal, and a nonzero
    gradient norm before clipping (claims.experiments.chat.grpo.StepRecord)."""
    return {s["step"] for s in run["steps"] if s["zero_std_groups"] < 1.0 and s["grad_norm"] > 0.0}


def shares(run: dict) -> list[float]:
    """Each gradient step's closed-gate share, in step order."""
    with_gradient = gradient_steps(run)
    return [
        s["closed_gradient_share"]
        for s in run["measurements"]["steps"]
        if s["step"] in with_gradient
    ]


def record(run: dict, measurements) -> list[float]:
    found = shares(run)
    if len(found) < CI_GRADIENT_STEPS:
        raise RuntimeError(
            f"{len(found)} steps with a gradient: too few to judge (the lemma says why)"
        )
    measurements.record("largest_share", max(found), "fraction")
    measurements.record("smallest_share", min(found), "fraction")
    measurements.record("steps", len(found), "count")
    if run["check_ratio"] is None or not run["check_ratio"] <= WITHIN_ROUNDING:
        raise RuntimeError(
            f"the hooked gradient split is off autograd by {run['check_ratio']} of its float32 "
            "bound: the measurement is broken, not a finding"
        )
    measurements.record("autograd_check_over_bound", run["check_ratio"], "ratio")
    return found


@pytest.mark.claim("gelu-near-equivalence/smollm2-grpo-closed-gate-share-silu", kind="real-model")
def test_closed_swiglu_gates_carry_under_one_percent_of_the_grpo_gradient(measurements):
    run = ci_silu()
    found = record(run, measurements)
    measurements.figure(
        "ci-chat-closed-share", run_figures.closed_share({"adamw": run, "relu": ci_relu()})
    )
    over = [(i, s) for i, s in enumerate(found) if not s < SHARE_THRESHOLD]
    assert not over, (
        f"SmolLM2 under GRPO: closed gates carried {', '.join(f'{s:.1%} at step {i}' for i, s in over)}"
        f" of the MLP input-weight squared gradient (below {SHARE_THRESHOLD:.0%} asserted)"
    )


@pytest.mark.claim("gelu-near-equivalence/smollm2-grpo-closed-gate-share-relu", kind="real-model")
def test_closed_relu_gates_carry_none_of_the_grpo_gradient(measurements):
    found = record(ci_relu()["run"], measurements)
    nonzero = [(i, s) for i, s in enumerate(found) if s != 0.0]
    assert not nonzero, f"ReLU-gated SmolLM2: closed gates carried gradient at steps {nonzero}"


@pytest.mark.parametrize(
    "gate",
    [
        pytest.param(
            gate,
            marks=pytest.mark.claim(
                f"gelu-near-equivalence/smollm2-grpo-ci-steps-have-gradient-{gate}",
                kind="real-model",
            ),
            id=gate,
        )
        for gate in ("silu", "relu")
    ],
)
def test_the_ci_runs_have_steps_with_a_policy_gradient(gate, measurements):
    run = ci_silu() if gate == "silu" else ci_relu()["run"]
    found = len(gradient_steps(run))
    measurements.record("gradient_steps", found, "count")
    measurements.record("steps", len(run["steps"]), "count")
    assert found >= CI_GRADIENT_STEPS, (
        f"the ci {gate} run had {found} steps with a policy gradient "
        f"(at least {CI_GRADIENT_STEPS} needed)"
    )
