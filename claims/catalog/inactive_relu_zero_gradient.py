"""Claim: an inactive ReLU neuron passes no gradient (S08-S10, S12). Tests: tests/claims/inactive_relu_zero_gradient/.

Pre-registered in commit 42fb02f (roles, expectations, thresholds, margins, seed and step
counts; claims/catalog/preregistered.json holds them; README, "Registration"); every
proposition's registration says how (claims/catalog/registrations.py tells the history). The
re-audit under the weakest faithful reading moved no role or expectation here: each statement
is already the least S08-S10 and S12 say of ReLU, which they state exactly.

Roles, read from the source sentence by sentence (README, "Roles and readings"):
- S08 says ReLU clips negative preactivations to zero; S09 that the error signal of an inactive
  neuron is clipped to zero; S10 that no gradient then reaches its incoming weights or earlier
  layers through it; S12 that an active neuron is open to updates. For ReLU these are exact
  statements, asserted for one forward pass. A forward pass of a language model runs over a
  sequence and training sums the loss over tokens and sequences, so "inactive on the forward
  pass" is asserted also for a neuron inactive on every token of a batch (batch-inactive-
  everywhere); a neuron inactive on only some tokens is beyond what S10 says (it is active on
  the others). Models train in bfloat16 and float16, so the exact zero is asserted in every dtype.
- Beyond: sums where the neuron is active somewhere, residual (skip) paths, which the source does
  not mention.
- Lemma: torch's convention relu'(0) = 0 (the source speaks of negative preactivations only).
Expectations follow from the mathematics: relu(z) = 0 and relu'(z) = 0 on z < 0 make every
asserted statement an exact identity; a sum over examples is active if one term is; a skip path
carries the gradient around the block.
"""

from claims.catalog.quotes import (
    S08,
    S09,
    S09_WORDS,
    S10,
    S10_EARLIER_WORDS,
    S10_WORDS,
    S12,
    S12_WORDS,
)
from claims.catalog.registrations import AUDIT_42FB02F
from claims.engine.records import Claim, Finding, Key, Proposition, Reading, Role

ID = "inactive-relu-zero-gradient"

# What every per-example proposition below quantifies over (the Hypothesis strategy MLP_SPECS).
MLP_SCOPE = {
    "activation": "ReLU",
    "architecture": "MLP, 1-4 hidden layers of width 1-64, biases on/off, init scale 0.25/1/4",
    "dtype": "float64",
    "aggregation": "per-example",
}

CLAIM = Claim(
    id=ID,
    title="Zero gradient through an inactive ReLU",
    source=(S08, S09, S10, S12),
    statement=(
        "On one forward/backward pass, a ReLU neuron whose preactivation is negative has "
        "activation 0 and receives an error signal of exactly zero; hence its incoming weights and "
        "bias receive exactly zero gradient, and no gradient reaches earlier layers through it. "
        "An active ReLU neuron passes its error signal unchanged."
    ),
    propositions=(
        Proposition(
            id=f"{ID}/error-signal-zero",
            statement="z_j^(l)(x) < 0  =>  dL/dz_j^(l) = 0.0 exactly, for every hidden layer l and neuron j",
            scope=MLP_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S09: the error signal at an inactive neuron is clipped to zero.",
            formalizes=("S09",),
            reading=Reading(
                words=S09_WORDS,
                why="an exact zero is what 'clipped to zero' says of ReLU; S10 builds on it",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest |dL/dz| at an inactive neuron: {max_abs_error_signal_at_inactive}"
            ),
        ),
        Proposition(
            id=f"{ID}/incoming-weights-zero-gradient",
            statement="z_j^(l)(x) < 0  =>  dL/dW^(l)[j, :] = 0.0 and dL/db^(l)[j] = 0.0 exactly",
            scope=MLP_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S10: no gradient updates the weights feeding into an inactive neuron.",
            formalizes=("S10",),
            reading=Reading(
                words="to update the weights feeding into it",
                why="S10 names the incoming weights; exactly zero is what 'prevents' says of ReLU",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest |dL/dW| in an incoming row of an inactive neuron: "
                "{max_abs_incoming_grad_at_inactive}"
            ),
        ),
        Proposition(
            id=f"{ID}/no-gradient-to-earlier-layers",
            statement="Replacing the outgoing weights W^(l+1)[:, j] of every neuron j with z_j^(l)(x) < 0 "
            "by arbitrary finite values (magnitudes 1e-6 to 1e9) leaves the output and "
            "dL/dθ for every parameter θ of layers 1..l bit-identical",
            scope=MLP_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S10: no gradient propagates to earlier layers through the inactive neuron; if any "
            "did, it would carry the outgoing weights' values and change those gradients.",
            formalizes=("S10",),
            reading=Reading(
                words=S10_EARLIER_WORDS,
                why="'through it': nothing that passes through the inactive neuron reaches earlier "
                "layers; other paths are not the sentence's (residual-earlier-layers)",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest change of an earlier-layer gradient after rewiring the inactive "
                "neurons' outgoing weights: {max_abs_earlier_grad_difference}"
            ),
        ),
        Proposition(
            id=f"{ID}/relu-derivative-negative",
            statement="max(0, z) = 0 and d/dz max(0, z) = 0 for every real z < 0",
            scope={"activation": "ReLU"},
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S08-S09 for ReLU as mathematics: the function is the constant 0 on z < 0.",
            formalizes=("S08", "S09"),
            reading=Reading(
                words="neurons with negative preactivations have their final activations clipped to zero",
                why="the sentence's own words, for ReLU, as mathematics over every negative z",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="max |torch relu′(z)| over negative floats from −5e-324 to −1e300: "
                "{max_abs_torch_grad_at_negative}"
            ),
        ),
        Proposition(
            id=f"{ID}/active-neuron-passes-error-signal",
            statement="z_j^(l)(x) > 0  =>  dL/dz_j^(l) = dL/da_j^(l) exactly (relu′ = 1), and "
            "dL/dW^(l)[j, :] = dL/dz_j^(l) · a^(l-1): the incoming row is open to the whole error "
            "signal arriving from above",
            scope=MLP_SCOPE,
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S12: the neurons of an active circuit are open to updates from the gradient.",
            formalizes=("S12",),
            reading=Reading(
                words=S12_WORDS,
                why="'open' is the least: an active ReLU neuron passes the whole error signal, so "
                "its incoming row gets the gradient",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest |dL/dz − dL/da| at an active neuron: {max_abs_active_signal_difference}"
            ),
        ),
        Proposition(
            id=f"{ID}/lower-precision",
            statement="error-signal-zero holds in float32, bfloat16 and float16 as well",
            scope={**MLP_SCOPE, "dtype": "float32, bfloat16, float16"},
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S09 in the precisions language models train in; the zero comes from a mask, not from "
            "arithmetic, so it must survive rounding.",
            formalizes=("S09",),
            reading=Reading(
                words=S09_WORDS,
                why="language models train in bfloat16 and float16; the sentence is about them",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest |dL/dz| at an inactive neuron in low precision: "
                "{max_abs_error_signal_at_inactive}"
            ),
        ),
        Proposition(
            id=f"{ID}/batch-inactive-everywhere",
            statement="For a loss summed over a batch of examples and tokens, z_j^(l)(x) < 0 for every "
            "x in the batch  =>  dL/dW^(l)[j, :] = 0 and dL/db^(l)[j] = 0",
            scope={**MLP_SCOPE, "aggregation": "batched"},
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S10 for a language model's forward pass, which runs over many tokens: a neuron "
            "inactive on all of them is 'inactive on the forward pass'; a sum of zeros.",
            formalizes=("S10",),
            reading=Reading(
                words=S10_WORDS,
                why="a language model's forward pass spans a batch of tokens; a neuron inactive on "
                "all of them is the inactive neuron of the sentence",
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest summed incoming gradient of a neuron inactive on the whole batch: "
                "{max_abs_summed_grad}"
            ),
        ),
        Proposition(
            id=f"{ID}/residual-earlier-layers",
            statement="For x = W0 u and a block y = x + W2 relu(W1 x + b1) whose hidden neurons are all "
            "inactive, no gradient reaches the earlier layer: dL/dW0 = 0",
            scope={
                "activation": "ReLU",
                "architecture": "one linear layer, then one residual ReLU block (widths 1-64)",
                "dtype": "float64",
                "aggregation": "per-example",
            },
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale="S10 says gradient cannot flow through the inactive neuron, which holds; but in a "
            "residual network (every transformer) earlier layers still get the full gradient "
            "through the skip path, so inactivity does not shield them.",
            formalizes=("S10",),
            registration=AUDIT_42FB02F,
            key=Key(
                text="smallest ‖dL/dW0‖ with the whole block silent: {min_earlier_layer_grad_norm}"
            ),
        ),
        Proposition(
            id=f"{ID}/batch-inactive-somewhere",
            statement="For a loss summed over a batch of examples and tokens, z_j^(l)(x) < 0 for some "
            "x in the batch  =>  dL/dW^(l)[j, :] = 0",
            scope={**MLP_SCOPE, "aggregation": "batched"},
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale="Training sums the gradient over tokens; a neuron silent on one token but active on "
            "another is updated, so the per-token statement does not carry over to the weights.",
            formalizes=("S10",),
            registration=AUDIT_42FB02F,
            key=Key(
                text="largest summed incoming gradient of a neuron inactive on some tokens: "
                "{max_abs_summed_grad_somewhere}"
            ),
        ),
        Proposition(
            id=f"{ID}/convention-at-zero",
            statement="max(0, z) has no derivative at z = 0 (one-sided derivatives 0 and 1); torch's "
            "ReLU backward uses relu'(0) := 0 for +0.0 and -0.0 in float64, float32, "
            "bfloat16 and float16, so a neuron with z = 0 also passes no gradient",
            scope={"activation": "ReLU", "dtype": "float64, float32, bfloat16, float16"},
            role=Role.LEMMA,
            expected=Finding.HOLDS,
            rationale="The source speaks of negative preactivations; at exactly zero the answer is a "
            "convention (SymPy's Heaviside(0) is 1/2), so the suite states and checks torch's.",
            registration=AUDIT_42FB02F,
            key=Key(
                text="torch's relu′(±0): {max_abs_torch_grad_at_zero} (SymPy's Heaviside(0) = "
                "{sympy_heaviside_at_zero})"
            ),
        ),
    ),
    notes=(
        "Inactive means a strictly negative preactivation, as in S08; z = 0 is covered by "
        "convention-at-zero.",
        "L is the squared error 1/2 ||y - t||^2 against a random target t; any loss works, since "
        "the zero comes from relu'(z) = 0 multiplying whatever error arrives from above.",
    ),
)
