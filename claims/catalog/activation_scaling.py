"""Claim: outgoing-weight gradients are multiplied by the neuron's activation (S02-S04).

Tests: tests/claims/activation_scaling/. S02 is an exact identity of backpropagation; S03-S04
read it as "plasticity", which depends on the optimizer: the propositions separate the two.
"""

from claims.records import Claim, Finding, Key, Proposition, Role, SourceRef

ID = "activation-scaling"
# The sentences this claim quotes; every asserted proposition formalizes them.
SENTENCES = ("S02", "S03", "S04")

NETWORK_SCOPE = {
    "activation": "ReLU, GELU, SiLU, tanh",
    "architecture": "MLP (1-4 hidden layers, width 1-64), residual MLP stack and pre-LayerNorm "
    "residual stack (1-3 blocks); biases on/off",
    "dtype": "float64",
    "aggregation": "per-example",
}
BATCH_SCOPE = {**NETWORK_SCOPE, "aggregation": "batched"}
# The optimizer propositions isolate one layer y = W a whose inputs a are the neurons' activations.
STEP_SCOPE = {"architecture": "one linear layer y = W a, squared error", "dtype": "float64"}


def _optimizer_proposition(
    name: str,
    optimizer: str,
    role: Role,
    expected: Finding,
    statement: str,
    rationale: str,
    key: Key | None = None,
) -> Proposition:
    return Proposition(
        id=f"{ID}/{name}",
        statement=statement,
        scope={**STEP_SCOPE, "optimizer": optimizer, "aggregation": "per-example"},
        role=role,
        expected=expected,
        rationale=rationale,
        formalizes=SENTENCES if role is Role.ASSERTED else (),
        key=key,
    )


PROPORTIONAL_STEP = (
    "||ΔW[:, i]|| / ||ΔW[:, j]|| = |a_i| / |a_j| for all neurons i, j with a_j ≠ 0, up to the "
    "float64 rounding of the measured ΔW = W_after − W_before (bound in claims.optimizers.Step)"
)

CLAIM = Claim(
    id=ID,
    title="Outgoing-weight gradients scale with the neuron's activation",
    source=(
        SourceRef(
            "S02",
            "the gradients of all the weights jutting out of that neuron are going to be "
            "multiplied by that activation level on the corresponding backward pass",
        ),
        SourceRef(
            "S03",
            "This increases the plasticity of all weights involved in triggering "
            "downstream aspects of the active circuit",
        ),
        SourceRef(
            "S04",
            "it also increases the plasticity of weights involved in triggering any "
            "other downstream circuit",
        ),
    ),
    statement=(
        "For one example, the gradient of every weight leaving neuron j is the error signal at the "
        "weight's target times j's activation a_j, whichever downstream circuit it feeds; so the "
        "size of the update each outgoing weight receives (its plasticity) scales with a_j."
    ),
    propositions=(
        Proposition(
            id=f"{ID}/chain-rule-identity",
            statement=(
                "For y = W a and any differentiable L(y): ∂L/∂W[k, j] = (∂L/∂y_k)·a_j; proved for "
                "symbolic sizes m × n (MatrixSymbol) and, for an undefined function L, at every "
                "explicit size 1 ≤ m, n ≤ 4"
            ),
            scope={"architecture": "any linear map y = W a"},
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="S02 as mathematics: ∂y_i/∂W[k, j] = [i = k]·a_j, then the chain rule.",
        ),
        Proposition(
            id=f"{ID}/identity-in-torch",
            statement=(
                "For every linear map z = W a + b in the network: autograd's ∂L/∂W equals "
                "δ ⊗ a bit for bit, with δ = ∂L/∂z (retained) and a the map's input"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="S02 as torch computes it, in the architectures LLM MLPs are built from.",
        ),
        Proposition(
            id=f"{ID}/column-ratio",
            statement=(
                "For neurons i, j feeding one linear map, with a_j ≠ 0 and δ ≠ 0: "
                "||∂L/∂W[:, i]|| / ||∂L/∂W[:, j]|| = |a_i| / |a_j| within (2m + 6)·2^-53 relative, "
                "for columns whose products δ_k a_i are all normal float64 (≥ 2^-1022) or 0"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="The 'multiplied by that activation level' of S02, as a measurable ratio; "
            "the tolerance is the float64 rounding of two m-term norms.",
        ),
        Proposition(
            id=f"{ID}/every-outgoing-weight",
            statement=(
                "a_j ≠ 0, δ_k ≠ 0 and |δ_k a_j| ≥ 2^-1022 (a normal float64)  =>  ∂L/∂W[k, j] ≠ 0, "
                "for every downstream unit k, hidden neuron or readout alike"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="S04: the factor a_j reaches every circuit j feeds; the gradient does not "
            "select the downstream circuit that produced the rewarded output.",
        ),
        Proposition(
            id=f"{ID}/float64-underflow",
            statement="a_j ≠ 0 and δ_k ≠ 0  =>  ∂L/∂W[k, j] ≠ 0 in float64, with no size condition",
            scope=NETWORK_SCOPE,
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale="Deep saturated networks produce error signals near 1e-311; their product "
            "with a small activation underflows to exactly 0 (found by Hypothesis).",
        ),
        Proposition(
            id=f"{ID}/shared-downstream-unit",
            statement=(
                "Split the inputs of a linear map into circuits A and D. For a downstream unit k "
                "with δ_k ≠ 0: ∂L/∂W[k, A] ≠ 0 whenever some a_A ≠ 0, whatever D does; and "
                "∂L/∂W[k, D] = 0 exactly when every a_D = 0"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="S04: a unit both circuits feed is updated when either is active, through "
            "the active circuit's weights only.",
        ),
        _optimizer_proposition(
            "sgd-update-proportional",
            "SGD, lr 0.1",
            Role.ASSERTED,
            Finding.HOLDS,
            f"After one SGD step, {PROPORTIONAL_STEP}",
            "S03's plasticity under plain gradient descent: the update is -lr times the gradient.",
        ),
        _optimizer_proposition(
            "momentum-first-step-proportional",
            "SGD, lr 0.1, momentum 0.9",
            Role.ASSERTED,
            Finding.HOLDS,
            f"After the first step of SGD with momentum, {PROPORTIONAL_STEP}",
            "The momentum buffer starts empty, so step 1 is plain SGD.",
        ),
        _optimizer_proposition(
            "momentum-later-steps-proportional",
            "SGD, lr 0.1, momentum 0.9",
            Role.BEYOND,
            Finding.FAILS,
            f"At step t = 2..4, each on a new example, the step-t update satisfies "
            f"{PROPORTIONAL_STEP} with the step-t activations",
            "The buffer carries earlier examples' gradients, which scale with earlier activations.",
        ),
        _optimizer_proposition(
            "adam-update-proportional",
            "Adam, torch defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8)",
            Role.BEYOND,
            Finding.FAILS,
            f"After the first Adam step, {PROPORTIONAL_STEP}",
            "Adam's first step is lr·g/(|g| + eps) ≈ lr·sign(g): the activation's size cancels.",
            Key("Adam first-step update ratio, a = 10 vs 0.1: {update_ratio_a10_vs_a0.1}"),
        ),
        _optimizer_proposition(
            "adamw-update-proportional",
            "AdamW, torch defaults (weight decay 0.01)",
            Role.BEYOND,
            Finding.FAILS,
            f"After the first AdamW step, {PROPORTIONAL_STEP}",
            "As Adam; LLMs are trained with AdamW.",
        ),
        _optimizer_proposition(
            "adamw-silent-neuron-unchanged",
            "AdamW, torch defaults (weight decay 0.01)",
            Role.BEYOND,
            Finding.FAILS,
            "a_j = 0  =>  ΔW[:, j] = 0 after one AdamW step",
            "Decoupled weight decay shrinks every weight, active or not (Loshchilov & Hutter, "
            "arXiv:1711.05101).",
        ),
        Proposition(
            id=f"{ID}/negative-activation-flips-sign",
            statement=(
                "Under GELU and SiLU: z_j < 0 and a_j ≠ 0  =>  a_j < 0, so sign(∂L/∂W[k, j]) = "
                "−sign(δ_k) for every k with δ_k ≠ 0"
            ),
            scope={
                **NETWORK_SCOPE,
                "activation": "GELU, SiLU",
                "architecture": "MLP (1-4 hidden layers, width 1-64)",
            },
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale="Under ReLU a ≥ 0, so 'multiplied by the activation' never reverses an "
            "update; under GELU/SiLU a negative-preactivation neuron's outgoing updates reverse.",
        ),
        Proposition(
            id=f"{ID}/batch-sum-identity",
            statement=(
                "For a loss summed over a batch of examples and tokens t: ∂L/∂W = Σ_t δ_t a_tᵀ, "
                "within 4·T·2^-53 · Σ_t |δ_t||a_t|ᵀ elementwise"
            ),
            scope=BATCH_SCOPE,
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale="What the per-example identity becomes when gradients are summed.",
        ),
        Proposition(
            id=f"{ID}/batch-column-ratio",
            statement=(
                "For a loss summed over a batch: ||∂L/∂W[:, i]|| / ||∂L/∂W[:, j]|| = "
                "|Σ_t a_i,t| / |Σ_t a_j,t| (relative tolerance 1e-9)"
            ),
            scope=BATCH_SCOPE,
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale="Each example's δ_t weights its own activations; no single activation "
            "level (summed or averaged) sets the column's gradient.",
        ),
    ),
    notes=(
        "δ_k = ∂L/∂z_k is the error signal at the downstream unit; a_j is the input the weight "
        "reads (a hidden activation, a LayerNorm output, or the residual stream).",
        "Optimizer propositions record update_ratio_a10_vs_a0.1: ||ΔW[:, a=10]|| / ||ΔW[:, a=0.1]|| "
        "after one step on a fixed layer; proportional plasticity would give 100.",
    ),
)
