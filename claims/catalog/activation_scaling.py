"""Claim: outgoing-weight gradients are multiplied by the neuron's activation (S02-S05).

Pre-registered in commit 42fb02f (roles, expectations, thresholds, margins, seed and step
counts; claims/catalog/preregistered.json holds them; README, "Registration"), re-audited under
the weakest faithful reading in a later catalog-only commit (each proposition's registration
says which, and what was known; claims/catalog/registrations.py tells the history).

Tests: tests/claims/activation_scaling/.

Roles, read from the source sentence by sentence (README, "Roles and readings"), each asserted
proposition carrying the words it rests on:
- S02 is an exact statement about one backward pass: the gradient of every weight leaving a
  neuron is multiplied by its activation. Asserted per example, for every activation and for the
  architectures language-model MLPs are built from; for a language model's forward pass over a
  sequence, the gradient is a sum over positions and S02 says each position's contribution is
  multiplied by that position's activation (batch-sum-identity). That one summed activation
  level sets a summed column (batch-column-ratio) is beyond it.
- S03: "This increases the plasticity of all weights involved in triggering downstream aspects
  of the active circuit". What the argument takes from it (S11-S12 build on it) is that the
  active circuit's outgoing weights are open to the optimizer's update while a silent neuron's
  are not: on/off, asserted for the optimizers RL on language models uses (SGD, Adam, AdamW), at
  the first step and at later ones (grid active-neuron-plastic). Graded monotonicity (a neuron
  more active moves its weights more: "to the extent" in S02 suggests it; grid
  more-active-more-plastic) and exact proportionality to the activation (grid
  update-multiplied-by-activation) are stronger readings: beyond.
- S04: the factor reaches every weight the neuron sends on, whichever downstream circuit it
  feeds (every-outgoing-weight, shared-downstream-unit).
- S05's checkable part: a circuit that would produce the rewarded output for other reasons
  (the twin circuit D) is reinforced through the downstream weights it shares with the active
  one: with a shared readout, D's rewarded behaviour rises through the shared weights alone
  (grid rewarded-output-circuit-rides-along, the twin-circuit factorial of
  inactive-circuit-not-reinforced). Its clause "which would generalize poorly out of
  distribution" is a claim about what a misaligned circuit does elsewhere: listed as not
  checked (claims/catalog/__init__.py).
- Beyond, besides the stronger S03 readings: float64 underflow (arithmetic far below any
  training signal), negative activations (GELU/SiLU, which the source does not consider),
  AdamW's weight decay on a silent neuron, SGD with momentum.
Expectations follow from the mathematics: ∂(W a)_k/∂W[k, j] = a_j; SGD's update is −lr·∇;
momentum's buffer carries earlier examples' gradients; Adam's first step is lr·g/(|g| + eps),
≈ lr·sign(g), which cancels the activation's size, and later steps divide by a running RMS; a
zero gradient leaves Adam's state at zero and its step 0/(0 + eps) = 0; AdamW's decoupled decay
moves every weight.
"""

from claims.catalog import inactive_circuit_not_reinforced as twin_design
from claims.catalog import vocabulary
from claims.catalog.quotes import S02, S02_WORDS, S03, S03_WORDS, S04, S05
from claims.catalog.registrations import AUDIT_42FB02F, reaudited, role_moved
from claims.catalog.vocabulary import ACTIVATIONS, ASSERTED_OPTIMIZERS, OPTIMIZERS, labels
from claims.engine.records import Claim, Finding, Grid, Key, Proposition, Reading, Role

ID = "activation-scaling"

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
PROPORTIONAL_STEP = (
    "||ΔW[:, i]|| / ||ΔW[:, j]|| = |a_i| / |a_j| for all neurons i, j with a_j ≠ 0, up to the "
    "float64 rounding of the measured ΔW = W_after − W_before (bound in claims.instruments.optimizers.Step)"
)
UPDATE_GRID = "update-multiplied-by-activation"
PLASTIC_GRID = "active-neuron-plastic"
MONOTONE_GRID = "more-active-more-plastic"
RIDE_GRID = "rewarded-output-circuit-rides-along"
# The S05 grid reads the twin-circuit factorial (design, seeds and decision constants fixed in
# inactive_circuit_not_reinforced): shared readout, these activations and optimizers.
RIDE_ACTIVATIONS = labels(ACTIVATIONS, ("relu", "gelu"))
RIDE_OPTIMIZERS = labels(OPTIMIZERS, ASSERTED_OPTIMIZERS)
STEPS_LABELS = {
    "step 1": "after one step",
    "steps 2-4": "at step 3 (steps 1-2 at activations 1, 1)",
}


def _step_scope(optimizer: str) -> dict[str, str]:
    """The scope of one optimizer step on the isolated layer, per example."""
    return {**STEP_SCOPE, "optimizer": OPTIMIZER_LABELS[optimizer], "aggregation": "per-example"}


def _step_cell(
    name: str, optimizer: str, step: str, expected: Finding, rationale: str
) -> Proposition:
    first = step == "step 1"
    statement = (
        f"After the first step, {PROPORTIONAL_STEP}"
        if first
        else f"At step t = 2..4, each on a new example, {PROPORTIONAL_STEP}, with the step-t "
        "activations"
    )
    measured = "update_ratio_a10_vs_a0.1" if first else "update_ratio_a10_vs_a0.1_at_step_3"
    return Proposition(
        id=f"{ID}/{name}",
        statement=statement,
        scope=_step_scope(optimizer),
        role=Role.BEYOND,
        expected=expected,
        rationale=rationale,
        formalizes=("S03",),
        registration=reaudited(
            "this cell's update ratio (report of 2026-11-29: Adam 1.00000001 after one step, "
            "0.679 at step 3); the cell was asserted in 42fb02f and is beyond now (exact "
            "proportionality is stronger than 'increases')"
        ),
        key=Key(
            text=f"a neuron 100× as active moves its outgoing weights {{{measured}:.9g}}× as much "
            f"{STEPS_LABELS[step]} (multiplied by the activation: 100)"
        ),
        grid=UPDATE_GRID,
        cell={"optimizer": OPTIMIZERS[optimizer], "step": step},
        reregistered=role_moved(
            "asserted as S03's reading in 42fb02f; exact proportionality is stronger than "
            "'increases', which S11-S12 use as a contrast between active and silent neurons "
            "(asserted now: active-neuron-plastic), so beyond"
        )
        if optimizer != "sgd-momentum"
        else "",
    )


def _plastic_cell(optimizer: str, step: str) -> Proposition:
    first = step == "step 1"
    when = "the first step" if first else "each of steps 2-4 (each on a new example)"
    silent = (
        "moved by the decoupled weight decay alone, W ← W·(1 − lr·λ) bit for bit"
        if optimizer == "adamw"
        else "exactly unchanged"
    )
    return Proposition(
        id=f"{ID}/{optimizer}-{'first-step' if first else 'later-steps'}-active-plastic",
        statement=(
            f"At {when}: a neuron with a_j ≠ 0 (and a nonzero error signal above it) has its "
            f"outgoing weights W[:, j] moved by the step, while a neuron with a_j = 0 on this and "
            f"every earlier step has W[:, j] {silent}"
        ),
        scope=_step_scope(optimizer),
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "An active neuron's outgoing gradient is δ·a_j ≠ 0 and every optimizer here moves a "
            "coordinate with a nonzero gradient; a silent neuron's gradient is exactly 0, which "
            "SGD and Adam (zero state, 0/(0 + eps)) turn into no step and AdamW into its decay."
        ),
        formalizes=("S03",),
        reading=Reading(
            words=S03_WORDS,
            why="S11-S12 rest on it as a contrast: the active circuit's outgoing weights are open to "
            "the update and a silent neuron's are not; 'increases' asserts more plasticity when "
            "active than when silent, no particular size, in the optimizers RL on language "
            "models uses",
        ),
        registration=reaudited(
            "Adam's and AdamW's update ratios (≈ 1, so active neurons move), AdamW's decay of a "
            "silent neuron (adamw-silent-neuron-unchanged FAILS by 1e-5 of the norm) and Adam's "
            "stillness after a zero gradient (carry-over tests), from the report of 2026-11-29"
        ),
        key=Key(
            text=f"{OPTIMIZERS[optimizer]}, {step}: silent neurons that moved "
            f"{'beyond their decay' if optimizer == 'adamw' else 'at all'}: "
            "{silent_columns_moved}; active neurons left still: {active_columns_still}"
        ),
        grid=PLASTIC_GRID,
        cell={"optimizer": OPTIMIZERS[optimizer], "step": step},
    )


def _monotone_cell(optimizer: str, step: str, expected: Finding) -> Proposition:
    first = step == "step 1"
    measured = "monotone_ratio" if first else "monotone_ratio_at_step_3"
    return Proposition(
        id=f"{ID}/{optimizer}-{'first-step' if first else 'later-steps'}-more-active-more-plastic",
        statement=(
            "On the fixed layer of the update-ratio measure: the neuron with a = 10 moves its "
            "outgoing weights strictly more than the neuron with a = 0.1 "
            f"({STEPS_LABELS[step]}): ||ΔW[:, a=10]|| / ||ΔW[:, a=0.1]|| > 1"
        ),
        scope=_step_scope(optimizer),
        role=Role.BEYOND,
        expected=expected,
        rationale=(
            "S03 read as graded ('to the extent' in S02): more active, more plastic. SGD scales "
            "the step by the activation; Adam's first step is ≈ lr·sign(g), its 'more' only "
            "the eps in |g|/(|g| + eps), a hair larger for the larger gradient; at step 3 Adam "
            "divides by the RMS of earlier gradients, where a neuron 100× as active now is no "
            "longer the one that moves more."
        ),
        formalizes=("S03",),
        registration=reaudited(
            "the update ratios of the update-multiplied-by-activation grid (SGD 100; Adam "
            "1.00000001 and AdamW 1.0095 after one step; Adam 0.679 and AdamW 0.690 at step 3)"
        ),
        key=Key(
            text=f"{OPTIMIZERS[optimizer]}: the neuron 100× as active moves {{{measured}:.9g}}× "
            f"as much {STEPS_LABELS[step]} (more than 1 asserted)"
        ),
        grid=MONOTONE_GRID,
        cell={"optimizer": OPTIMIZERS[optimizer], "step": step},
    )


def _ride_cell(activation: str, optimizer: str) -> Proposition:
    cells = len(RIDE_ACTIVATIONS) * len(RIDE_OPTIMIZERS)
    label = vocabulary.label(activation, optimizer)
    return Proposition(
        id=f"{ID}/rides-along-{activation}-{optimizer}",
        statement=(
            "Twin-circuit factorial, shared readout (both circuits feed one motive unit whose "
            "weights to the actions they share), after REINFORCE on prompts that activate A "
            "only: the rewarded logit through D alone on a noiseless trigger prompt, computed "
            "with D's own parameters (reads, bias, its motive weights) at their initial values "
            "and the shared weights at their trained values, rises: the 95 % interval of its "
            "per-seed change lies above 0 (FAILS by a one-sided test of 'mean ≤ 0', Holm-adjusted "
            f"across the grid's {cells} cells)"
        ),
        scope={
            "architecture": RIDE_TWIN,
            "activation": RIDE_ACTIVATIONS[activation],
            "optimizer": RIDE_OPTIMIZERS[optimizer],
            "dtype": "float64",
            "aggregation": "batched",
        },
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "REINFORCE raises the rewarded action's weight from the shared motive unit (A "
            "drives it on every training prompt); D's rewarded behaviour is read through that "
            "same weight, so it rises with D's own parameters held still."
        ),
        formalizes=("S05",),
        reading=Reading(
            words="This includes circuits that would produce the output currently being rewarded",
            why="what S05 adds to S04: the plasticity the active neuron spreads reaches a circuit "
            "producing the rewarded output for other reasons, so that circuit is reinforced too "
            "(the worry S06-S14 answer); measured through the shared weights alone, as the "
            "sentence is about the active neuron's downstream weights, not the other circuit's own",
        ),
        registration=reaudited(
            "D's total behaviour change with a shared readout (0.10-0.17 of A's under ReLU, "
            "where D's own parameters never move, so the measure is this one; under GELU the "
            "total was reported, not the shared path alone), report of 2026-11-29"
        ),
        power=(
            f"{len(twin_design.SEEDS)} seeds per cell (the factorial's); a one-sided t-test at 5 % "
            f"Holm-adjusted over {cells} cells detects a mean 0.41 between-seed standard deviations above 0 with power 0.8"
        ),
        key=Key(
            text=f"{label}: D's rewarded behaviour rose by {{ride_along_mean:.4f}} through the shared "
            "weights alone (95 % interval {ride_along_ci95_low:.4f} to "
            "{ride_along_ci95_high:.4f}; A's own rose {a_behaviour_mean:.4f})"
        ),
        grid=RIDE_GRID,
        cell=vocabulary.cell(activation, optimizer),
    )


RIDE_TWIN = (
    "twin-circuit policy (inactive-circuit-not-reinforced's design: D would produce A's outputs "
    f"exactly, D's preactivation ≈ −{twin_design.MARGIN:g} on training prompts), shared readout; "
    f"REINFORCE with a batch-mean baseline, {twin_design.STEPS} steps × {twin_design.BATCH} "
    f"prompts, {len(twin_design.SEEDS)} seeds"
)


CLAIM = Claim(
    id=ID,
    title="Outgoing-weight gradients scale with the neuron's activation",
    source=(S02, S03, S04, S05),
    statement=(
        "For one example, the gradient of every weight leaving neuron j is the error signal at the "
        "weight's target times j's activation a_j, whichever downstream circuit it feeds; so the "
        "size of the update each outgoing weight receives (its plasticity) scales with a_j."
    ),
    grids=(
        Grid(
            name=PLASTIC_GRID,
            statement="S03: an active neuron's outgoing weights are moved by the optimizer's step, a "
            "silent neuron's are not (AdamW: its decay alone)",
            axes=("optimizer", "step"),
        ),
        Grid(
            name=RIDE_GRID,
            statement="S05: a circuit that would produce the rewarded output (the twin D) is reinforced "
            "through the downstream weights it shares with the active circuit",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=MONOTONE_GRID,
            statement="S03 read as graded: a neuron 100× as active moves its outgoing weights more",
            axes=("optimizer", "step"),
        ),
        Grid(
            name=UPDATE_GRID,
            statement="S03 read as exact proportionality: the optimizer's update of a neuron's outgoing "
            "weights is multiplied by the neuron's activation, as the gradient is",
            axes=("optimizer", "step"),
        ),
    ),
    propositions=(
        Proposition(
            id=f"{ID}/chain-rule-identity",
            statement=(
                "For y = W a and any differentiable L(y): ∂L/∂W[k, j] = (∂L/∂y_k)·a_j; proved "
                "for symbolic sizes m × n (MatrixSymbol) and, for an undefined function L, at "
                "every explicit size 1 ≤ m, n ≤ 4"
            ),
            scope={"architecture": "any linear map y = W a"},
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S02 as mathematics: ∂y_i/∂W[k, j] = [i = k]·a_j, then the chain rule.",
            formalizes=("S02",),
            reading=Reading(
                words=S02_WORDS,
                why="the sentence states an exact product, gradient = (error signal) × activation; "
                "anything weaker (proportional up to a factor, correlated) is not what it says",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="∂L/∂W[k, j] = (∂L/∂y_k)·a_j proved for symbolic m × n and for all "
                "{explicit_entries_proved} entries of the explicit sizes up to 4 × 4"
            ),
        ),
        Proposition(
            id=f"{ID}/identity-in-torch",
            statement=(
                "For every linear map z = W a + b in the network: autograd's ∂L/∂W equals "
                "δ ⊗ a bit for bit, with δ = ∂L/∂z (retained) and a the map's input"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S02 as torch computes it, in the architectures LLM MLPs are built from.",
            formalizes=("S02",),
            reading=Reading(
                words=S02_WORDS,
                why="the same product as the framework language models train with computes it "
                "('on the corresponding backward pass')",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest |autograd ∂L/∂W − δ ⊗ a| over every weight of the drawn networks: "
                "{max_abs_difference_from_outer_product}"
            ),
        ),
        Proposition(
            id=f"{ID}/column-ratio",
            statement=(
                "For neurons i, j feeding one linear map, with a_j ≠ 0 and δ ≠ 0: "
                "||∂L/∂W[:, i]|| / ||∂L/∂W[:, j]|| = |a_i| / |a_j| within (2m + 6)·2^-53 "
                "relative, for columns whose exact products δ_k a_i are each 0 (δ_k = 0) or a "
                "normal float64 (|δ_k a_i| ≥ 2^-1022), each norm computed on its column scaled "
                "by a power of two so that no square under- or overflows"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale=(
                "The 'multiplied by that activation level' of S02, as a measurable ratio; the "
                "tolerance is the float64 rounding of two m-term norms. Unscaled, Σ x² flushes "
                "the squares of normal entries below ~1.5e-154 to 0 (found by Hypothesis)."
            ),
            formalizes=("S02",),
            reading=Reading(
                words="multiplied by that activation level",
                why="per example, a product with the activation is exactly a column scaled by it; "
                "the ratio is the measurable form of the sentence's factor",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest relative deviation of a column-norm ratio from the activation ratio: "
                "{max_relative_deviation}"
            ),
        ),
        Proposition(
            id=f"{ID}/batch-sum-identity",
            statement=(
                "For a loss summed over a batch of examples and tokens t: ∂L/∂W = Σ_t δ_t a_tᵀ, "
                "within 4·T·2^-53 · Σ_t |δ_t||a_t|ᵀ + (T + 1)·2^-1074 elementwise (the last "
                "term bounds products and sums that fall below the normal range)"
            ),
            scope=BATCH_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale=(
                "S02 for a language model's forward pass over a sequence: each position's "
                "contribution is multiplied by that position's activation."
            ),
            formalizes=("S02",),
            reading=Reading(
                words="on a given forward pass",
                why="a language model's forward pass runs over many tokens; the sentence holds per "
                "position, each position's contribution multiplied by its own activation",
            ),
            registration=AUDIT_42FB02F,
            key=Key(text="largest |∂L/∂W − Σ_t δ_t a_tᵀ|: {max_abs_difference}"),
        ),
        Proposition(
            id=f"{ID}/every-outgoing-weight",
            statement=(
                "a_j ≠ 0, δ_k ≠ 0 and |δ_k a_j| ≥ 2^-1022 (a normal float64)  =>  "
                "∂L/∂W[k, j] ≠ 0, for every downstream unit k, hidden neuron or readout alike"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale=(
                "S04: the factor a_j reaches every circuit j feeds; the gradient does not select "
                "the downstream circuit that produced the rewarded output."
            ),
            formalizes=("S04",),
            reading=Reading(
                words="any other downstream circuit",
                why="S04 says the active neuron's plasticity is not confined to the circuit it "
                "serves; a nonzero gradient on every outgoing weight is the least that says",
            ),
            registration=reaudited(
                "this proposition's finding (every eligible outgoing weight got a gradient); it "
                "formalized S04 and S05 in 42fb02f and now S04 alone (S05 has its own test)"
            ),
            key=Key(
                text="{share_of_eligible_weights_with_gradient:.2%} of the outgoing weights of active "
                "neurons got a gradient"
            ),
        ),
        Proposition(
            id=f"{ID}/shared-downstream-unit",
            statement=(
                "Split the inputs of a linear map into circuits A and D. For a downstream unit k "
                "with δ_k ≠ 0: ∂L/∂W[k, A] ≠ 0 whenever some a_i in A has |δ_k a_i| ≥ 2^-1022 "
                "(a normal float64), whatever D does; and ∂L/∂W[k, D] = 0 whenever every a_D = 0 "
                "(an exact zero, which among these activations only ReLU produces)"
            ),
            scope=NETWORK_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale=(
                "S04: a unit both circuits feed is updated when either is active, through the "
                "active circuit's weights only."
            ),
            formalizes=("S04",),
            reading=Reading(
                words="the plasticity of weights involved in triggering any other downstream circuit",
                why="a downstream unit shared by two circuits is where 'any other circuit' meets the "
                "active one; S04 needs the active side open, whatever the other does",
            ),
            registration=reaudited(
                "this proposition's finding; it formalized S04 and S05 in 42fb02f and now S04 alone"
            ),
            key=Key(
                text="downstream units of an active circuit A without a gradient: "
                "{units_a_without_gradient}; of a silent circuit D with one: "
                "{units_d_with_gradient}"
            ),
        ),
        *(_plastic_cell(o, step) for o in ("sgd", "adam", "adamw") for step in STEPS_LABELS),
        *(_ride_cell(a, o) for a in RIDE_ACTIVATIONS for o in RIDE_OPTIMIZERS),
        _monotone_cell("sgd", "step 1", Finding.HOLDS),
        _monotone_cell("sgd", "steps 2-4", Finding.HOLDS),
        _monotone_cell("adam", "step 1", Finding.HOLDS),
        _monotone_cell("adam", "steps 2-4", Finding.FAILS),
        _monotone_cell("adamw", "step 1", Finding.HOLDS),
        _monotone_cell("adamw", "steps 2-4", Finding.FAILS),
        _step_cell(
            "sgd-update-proportional",
            "sgd",
            "step 1",
            Finding.HOLDS,
            "S03 under plain gradient descent: the update is −lr times the gradient.",
        ),
        _step_cell(
            "sgd-later-steps-proportional",
            "sgd",
            "steps 2-4",
            Finding.HOLDS,
            "SGD keeps no state: every step is −lr times that step's gradient.",
        ),
        _step_cell(
            "adam-update-proportional",
            "adam",
            "step 1",
            Finding.FAILS,
            "Adam's first step is lr·g/(|g| + eps) ≈ lr·sign(g): the activation's size cancels.",
        ),
        _step_cell(
            "adam-later-steps-proportional",
            "adam",
            "steps 2-4",
            Finding.FAILS,
            "Later Adam steps divide the running mean by the running RMS of each coordinate's "
            "own gradients, which scale with the same activations.",
        ),
        _step_cell(
            "adamw-update-proportional",
            "adamw",
            "step 1",
            Finding.FAILS,
            "As Adam, plus decoupled weight decay; language models are trained with AdamW.",
        ),
        _step_cell(
            "adamw-later-steps-proportional",
            "adamw",
            "steps 2-4",
            Finding.FAILS,
            "As Adam's later steps.",
        ),
        _step_cell(
            "momentum-first-step-proportional",
            "sgd-momentum",
            "step 1",
            Finding.HOLDS,
            "The momentum buffer starts empty, so step 1 is plain SGD.",
        ),
        _step_cell(
            "momentum-later-steps-proportional",
            "sgd-momentum",
            "steps 2-4",
            Finding.FAILS,
            "The buffer carries earlier examples' gradients, which scale with earlier activations.",
        ),
        Proposition(
            id=f"{ID}/adamw-silent-neuron-unchanged",
            statement="a_j = 0  =>  ΔW[:, j] = 0 after one AdamW step",
            scope=_step_scope("adamw"),
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale=(
                "Decoupled weight decay shrinks every weight, active or not (Loshchilov & "
                "Hutter, arXiv:1711.05101)."
            ),
            formalizes=("S03",),
            registration=AUDIT_42FB02F,
            key=Key(
                text="a silent neuron's outgoing weights move by {silent_column_relative_change} "
                "of their norm per AdamW step (lr·weight decay)"
            ),
        ),
        Proposition(
            id=f"{ID}/float64-underflow",
            statement=(
                "a_j ≠ 0 and δ_k ≠ 0  =>  ∂L/∂W[k, j] ≠ 0 in float64, with no size condition"
            ),
            scope=NETWORK_SCOPE,
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale=(
                "Deep saturated networks produce error signals near 1e-311; their product with a "
                "small activation underflows to exactly 0 (found by Hypothesis)."
            ),
            formalizes=("S04",),
            registration=AUDIT_42FB02F,
            key=Key(
                text="share of nonzero δ_k·a_j pairs whose gradient stayed nonzero: "
                "{share_of_eligible_weights_with_gradient}"
            ),
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
            rationale=(
                "Each example's δ_t weights its own activations; no single activation level "
                "(summed or averaged) sets the column's gradient."
            ),
            formalizes=("S02",),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest relative deviation of a summed column ratio from the summed "
                "activation ratio: {max_relative_deviation}"
            ),
        ),
        Proposition(
            id=f"{ID}/negative-activation-flips-sign",
            statement=(
                "Under GELU and SiLU: if z_j < 0 and the float64 activation a_j is nonzero, then "
                "a_j < 0, so sign(∂L/∂W[k, j]) = −sign(δ_k) for every k whose product δ_k a_j, "
                "computed exactly (in log2), is a normal float64"
            ),
            scope={
                **NETWORK_SCOPE,
                "activation": "GELU, SiLU",
                "architecture": "MLP (1-4 hidden layers, width 1-64)",
            },
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale=(
                "Under ReLU a ≥ 0, so 'multiplied by the activation' never reverses an update; "
                "under GELU/SiLU a negative-preactivation neuron's outgoing updates reverse."
            ),
            formalizes=("S02",),
            registration=AUDIT_42FB02F,
            key=Key(
                text="share of negative-preactivation neurons' outgoing gradients whose sign is "
                "reversed: {share_of_their_outgoing_gradients_reversed}"
            ),
        ),
    ),
    notes=(
        "δ_k = ∂L/∂z_k is the error signal at the downstream unit; a_j is the input the weight "
        "reads (a hidden activation, a LayerNorm output, or the residual stream).",
        "Optimizer propositions record the update ratio ||ΔW[:, a=10]|| / ||ΔW[:, a=0.1]|| "
        "on a fixed layer; plasticity multiplied by the activation would give 100.",
        "S05's 'which would generalize poorly out of distribution' is a claim about what a "
        "misaligned circuit would do elsewhere; no mechanistic check here reaches it (listed as "
        "not checked beside the sentence).",
    ),
)
