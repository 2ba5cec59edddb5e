"""Claim: outgoing-weight gradients are multiplied by the neuron's activation (S02-S05).

Pre-registered in commit 42fb02f (roles, expectations, thresholds, margins, seed and step
counts; claims/catalog/preregistered.json holds them; README, "Adding a claim").
After pre-registration the grid's cell labels were re-spelled as in the other grids (sgd -> SGD);
no role, expectation or threshold changed.

Tests: tests/claims/activation_scaling/.

Roles, read from the source sentence by sentence (README, "Reading the report"):
- S02 is an exact statement about one backward pass: the gradient of every weight leaving a
  neuron is multiplied by its activation. Asserted per example, for every activation and for the
  architectures language-model MLPs are built from; for a language model's forward pass over a
  sequence, the gradient is a sum over positions and S02 says each position's contribution is
  multiplied by that position's activation (batch-sum-identity, asserted). That one summed
  activation level sets a summed column (batch-column-ratio) is beyond it.
- S03 carries S02 to "plasticity": the update an optimizer makes. The passage is about RL on
  language models, which uses SGD, Adam and AdamW, so S03 is asserted for those three, at every
  step; SGD with momentum is beyond (not what such training uses). The grid
  update-multiplied-by-activation holds one cell per optimizer and step.
- S04-S05: the factor reaches every weight the neuron sends on, whichever downstream circuit it
  feeds, including circuits that would produce the rewarded output for other reasons (S05's
  checkable part; "which would generalize poorly out of distribution" is not mechanistic and is
  not checked).
- Beyond: float64 underflow (arithmetic far below any training signal), negative activations
  (GELU/SiLU, which the source does not consider), AdamW's weight decay on a silent neuron.
Expectations follow from the mathematics: ∂(W a)_k/∂W[k, j] = a_j; SGD's update is −lr·∇;
momentum's buffer carries earlier examples' gradients; Adam's first step is lr·g/(|g| + eps),
≈ lr·sign(g), which cancels the activation's size, and later steps divide by a running RMS.
"""

from claims.engine.records import Claim, Finding, Grid, Key, Proposition, Role, SourceRef

ID = "activation-scaling"
# The document this claim quotes: claims/data/sources/gradient-hacking.txt.
POST = "gradient-hacking"

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

OPTIMIZER_LABELS = {
    "sgd": "SGD, lr 0.1",
    "sgd-momentum": "SGD, lr 0.1, momentum 0.9",
    "adam": "Adam, torch defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8)",
    "adamw": "AdamW, torch defaults (lr 1e-3, weight decay 0.01)",
}
# Grid labels, spelled as in the other claims' grids.
OPTIMIZER_NAMES = {"sgd": "SGD", "sgd-momentum": "SGD+momentum", "adam": "Adam", "adamw": "AdamW"}
PROPORTIONAL_STEP = (
    "||ΔW[:, i]|| / ||ΔW[:, j]|| = |a_i| / |a_j| for all neurons i, j with a_j ≠ 0, up to the "
    "float64 rounding of the measured ΔW = W_after − W_before (bound in claims.instruments.optimizers.Step)"
)
UPDATE_GRID = "update-multiplied-by-activation"


def _step_cell(
    name: str, optimizer: str, step: str, role: Role, expected: Finding, rationale: str
) -> Proposition:
    first = step == "step 1"
    statement = (
        f"After the first step, {PROPORTIONAL_STEP}"
        if first
        else f"At step t = 2..4, each on a new example, {PROPORTIONAL_STEP}, with the step-t "
        "activations"
    )
    measured = "update_ratio_a10_vs_a0.1" if first else "update_ratio_a10_vs_a0.1_at_step_3"
    when = "after one step" if first else "at step 3 (steps 1-2 at activations 1, 1)"
    return Proposition(
        f"{ID}/{name}",
        statement,
        {**STEP_SCOPE, "optimizer": OPTIMIZER_LABELS[optimizer], "aggregation": "per-example"},
        role,
        expected,
        rationale,
        formalizes=("S03",) if role is Role.ASSERTED else (),
        key=Key(
            f"a neuron 100× as active moves its outgoing weights {{{measured}:.9g}}× as much "
            f"{when} (multiplied by the activation: 100)"
        ),
        grid=UPDATE_GRID,
        cell={"optimizer": OPTIMIZER_NAMES[optimizer], "step": step},
    )


CLAIM = Claim(
    id=ID,
    title="Outgoing-weight gradients scale with the neuron's activation",
    source=(
        SourceRef(
            POST,
            "S02",
            "the gradients of all the weights jutting out of that neuron are going to be "
            "multiplied by that activation level on the corresponding backward pass",
        ),
        SourceRef(
            POST,
            "S03",
            "This increases the plasticity of all weights involved in triggering "
            "downstream aspects of the active circuit",
        ),
        SourceRef(
            POST,
            "S04",
            "it also increases the plasticity of weights involved in triggering any "
            "other downstream circuit",
        ),
        SourceRef(
            POST,
            "S05",
            "This includes circuits that would produce the output currently being rewarded",
        ),
    ),
    statement=(
        "For one example, the gradient of every weight leaving neuron j is the error signal at the "
        "weight's target times j's activation a_j, whichever downstream circuit it feeds; so the "
        "size of the update each outgoing weight receives (its plasticity) scales with a_j."
    ),
    grids=(
        Grid(
            UPDATE_GRID,
            "S03's plasticity: the optimizer's update of a neuron's outgoing weights is "
            "multiplied by the neuron's activation, as the gradient is",
            ("optimizer", "step"),
        ),
    ),
    propositions=(
        Proposition(
            f"{ID}/chain-rule-identity",
            "For y = W a and any differentiable L(y): ∂L/∂W[k, j] = (∂L/∂y_k)·a_j; proved for "
            "symbolic sizes m × n (MatrixSymbol) and, for an undefined function L, at every "
            "explicit size 1 ≤ m, n ≤ 4",
            {"architecture": "any linear map y = W a"},
            Role.ASSERTED,
            Finding.HOLDS,
            "S02 as mathematics: ∂y_i/∂W[k, j] = [i = k]·a_j, then the chain rule.",
            formalizes=("S02",),
            key=Key(
                "∂L/∂W[k, j] = (∂L/∂y_k)·a_j proved for symbolic m × n and for all "
                "{explicit_entries_proved} entries of the explicit sizes up to 4 × 4"
            ),
        ),
        Proposition(
            f"{ID}/identity-in-torch",
            "For every linear map z = W a + b in the network: autograd's ∂L/∂W equals "
            "δ ⊗ a bit for bit, with δ = ∂L/∂z (retained) and a the map's input",
            NETWORK_SCOPE,
            Role.ASSERTED,
            Finding.HOLDS,
            "S02 as torch computes it, in the architectures LLM MLPs are built from.",
            formalizes=("S02",),
            key=Key(
                "largest |autograd ∂L/∂W − δ ⊗ a| over {weights_checked} weights: "
                "{max_abs_difference_from_outer_product}"
            ),
        ),
        Proposition(
            f"{ID}/column-ratio",
            "For neurons i, j feeding one linear map, with a_j ≠ 0 and δ ≠ 0: "
            "||∂L/∂W[:, i]|| / ||∂L/∂W[:, j]|| = |a_i| / |a_j| within (2m + 6)·2^-53 relative, "
            "for columns whose exact products δ_k a_i are each 0 (δ_k = 0) or a normal float64 "
            "(|δ_k a_i| ≥ 2^-1022), each norm computed on its column scaled by a power of two so "
            "that no square under- or overflows",
            NETWORK_SCOPE,
            Role.ASSERTED,
            Finding.HOLDS,
            "The 'multiplied by that activation level' of S02, as a measurable ratio; "
            "the tolerance is the float64 rounding of two m-term norms. Unscaled, Σ x² flushes "
            "the squares of normal entries below ~1.5e-154 to 0 (found by Hypothesis).",
            formalizes=("S02",),
            key=Key(
                "largest relative deviation of a column-norm ratio from the activation ratio "
                "over {columns_compared} columns: {max_relative_deviation}"
            ),
        ),
        Proposition(
            f"{ID}/batch-sum-identity",
            "For a loss summed over a batch of examples and tokens t: ∂L/∂W = Σ_t δ_t a_tᵀ, "
            "within 4·T·2^-53 · Σ_t |δ_t||a_t|ᵀ + (T + 1)·2^-1074 elementwise (the last term "
            "bounds products and sums that fall below the normal range)",
            BATCH_SCOPE,
            Role.ASSERTED,
            Finding.HOLDS,
            "S02 for a language model's forward pass over a sequence: each position's "
            "contribution is multiplied by that position's activation.",
            formalizes=("S02",),
            key=Key("largest |∂L/∂W − Σ_t δ_t a_tᵀ|: {max_abs_difference}"),
        ),
        Proposition(
            f"{ID}/every-outgoing-weight",
            "a_j ≠ 0, δ_k ≠ 0 and |δ_k a_j| ≥ 2^-1022 (a normal float64)  =>  ∂L/∂W[k, j] ≠ 0, "
            "for every downstream unit k, hidden neuron or readout alike",
            NETWORK_SCOPE,
            Role.ASSERTED,
            Finding.HOLDS,
            "S04-S05: the factor a_j reaches every circuit j feeds; the gradient does not "
            "select the downstream circuit that produced the rewarded output.",
            formalizes=("S04", "S05"),
            key=Key(
                "{share_of_eligible_weights_with_gradient:.2%} of "
                "{share_of_eligible_weights_with_gradient_total} outgoing weights of active "
                "neurons got a gradient"
            ),
        ),
        Proposition(
            f"{ID}/shared-downstream-unit",
            "Split the inputs of a linear map into circuits A and D. For a downstream unit k "
            "with δ_k ≠ 0: ∂L/∂W[k, A] ≠ 0 whenever some a_i in A has |δ_k a_i| ≥ 2^-1022 (a "
            "normal float64), whatever D does; and ∂L/∂W[k, D] = 0 whenever every a_D = 0",
            NETWORK_SCOPE,
            Role.ASSERTED,
            Finding.HOLDS,
            "S04-S05: a unit both circuits feed is updated when either is active, through "
            "the active circuit's weights only.",
            formalizes=("S04", "S05"),
            key=Key(
                "downstream units checked with an active circuit A: "
                "{units_with_an_active_circuit_a}; with a silent circuit D: "
                "{units_with_a_silent_circuit_d}"
            ),
        ),
        _step_cell(
            "sgd-update-proportional",
            "sgd",
            "step 1",
            Role.ASSERTED,
            Finding.HOLDS,
            "S03 under plain gradient descent: the update is −lr times the gradient.",
        ),
        _step_cell(
            "sgd-later-steps-proportional",
            "sgd",
            "steps 2-4",
            Role.ASSERTED,
            Finding.HOLDS,
            "SGD keeps no state: every step is −lr times that step's gradient.",
        ),
        _step_cell(
            "adam-update-proportional",
            "adam",
            "step 1",
            Role.ASSERTED,
            Finding.FAILS,
            "Adam's first step is lr·g/(|g| + eps) ≈ lr·sign(g): the activation's size cancels.",
        ),
        _step_cell(
            "adam-later-steps-proportional",
            "adam",
            "steps 2-4",
            Role.ASSERTED,
            Finding.FAILS,
            "Later Adam steps divide the running mean by the running RMS of each coordinate's "
            "own gradients, which scale with the same activations.",
        ),
        _step_cell(
            "adamw-update-proportional",
            "adamw",
            "step 1",
            Role.ASSERTED,
            Finding.FAILS,
            "As Adam, plus decoupled weight decay; language models are trained with AdamW.",
        ),
        _step_cell(
            "adamw-later-steps-proportional",
            "adamw",
            "steps 2-4",
            Role.ASSERTED,
            Finding.FAILS,
            "As Adam's later steps.",
        ),
        _step_cell(
            "momentum-first-step-proportional",
            "sgd-momentum",
            "step 1",
            Role.BEYOND,
            Finding.HOLDS,
            "The momentum buffer starts empty, so step 1 is plain SGD.",
        ),
        _step_cell(
            "momentum-later-steps-proportional",
            "sgd-momentum",
            "steps 2-4",
            Role.BEYOND,
            Finding.FAILS,
            "The buffer carries earlier examples' gradients, which scale with earlier activations.",
        ),
        Proposition(
            f"{ID}/adamw-silent-neuron-unchanged",
            "a_j = 0  =>  ΔW[:, j] = 0 after one AdamW step",
            {**STEP_SCOPE, "optimizer": OPTIMIZER_LABELS["adamw"], "aggregation": "per-example"},
            Role.BEYOND,
            Finding.FAILS,
            "Decoupled weight decay shrinks every weight, active or not (Loshchilov & Hutter, "
            "arXiv:1711.05101).",
            key=Key(
                "a silent neuron's outgoing weights move by {silent_column_relative_change} "
                "of their norm per AdamW step (lr·weight decay)"
            ),
        ),
        Proposition(
            f"{ID}/float64-underflow",
            "a_j ≠ 0 and δ_k ≠ 0  =>  ∂L/∂W[k, j] ≠ 0 in float64, with no size condition",
            NETWORK_SCOPE,
            Role.BEYOND,
            Finding.FAILS,
            "Deep saturated networks produce error signals near 1e-311; their product "
            "with a small activation underflows to exactly 0 (found by Hypothesis).",
            key=Key(
                "share of nonzero δ_k·a_j pairs whose gradient stayed nonzero: "
                "{share_of_eligible_weights_with_gradient}"
            ),
        ),
        Proposition(
            f"{ID}/batch-column-ratio",
            "For a loss summed over a batch: ||∂L/∂W[:, i]|| / ||∂L/∂W[:, j]|| = "
            "|Σ_t a_i,t| / |Σ_t a_j,t| (relative tolerance 1e-9)",
            BATCH_SCOPE,
            Role.BEYOND,
            Finding.FAILS,
            "Each example's δ_t weights its own activations; no single activation "
            "level (summed or averaged) sets the column's gradient.",
            key=Key(
                "largest relative deviation of a summed column ratio from the summed "
                "activation ratio: {max_relative_deviation}"
            ),
        ),
        Proposition(
            f"{ID}/negative-activation-flips-sign",
            "Under GELU and SiLU: if z_j < 0 and the float64 activation a_j is nonzero, then "
            "a_j < 0, so sign(∂L/∂W[k, j]) = −sign(δ_k) for every k whose product δ_k a_j, "
            "computed exactly (in log2), is a normal float64",
            {
                **NETWORK_SCOPE,
                "activation": "GELU, SiLU",
                "architecture": "MLP (1-4 hidden layers, width 1-64)",
            },
            Role.BEYOND,
            Finding.HOLDS,
            "Under ReLU a ≥ 0, so 'multiplied by the activation' never reverses an "
            "update; under GELU/SiLU a negative-preactivation neuron's outgoing updates reverse.",
            key=Key(
                "share of negative-preactivation neurons' outgoing gradients whose sign is "
                "reversed: {share_of_their_outgoing_gradients_reversed} of "
                "{share_of_their_outgoing_gradients_reversed_total}"
            ),
        ),
    ),
    notes=(
        "δ_k = ∂L/∂z_k is the error signal at the downstream unit; a_j is the input the weight "
        "reads (a hidden activation, a LayerNorm output, or the residual stream).",
        "Optimizer propositions record the update ratio ||ΔW[:, a=10]|| / ||ΔW[:, a=0.1]|| "
        "on a fixed layer; plasticity multiplied by the activation would give 100.",
        "S05's 'which would generalize poorly out of distribution' is a claim about what a "
        "misaligned circuit would do elsewhere; no mechanistic check here reaches it.",
    ),
)
