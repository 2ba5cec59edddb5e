"""Claim: an inactive ReLU neuron passes no gradient (S08-S10). Tests: tests/claims/inactive_relu/."""

from claims.records import Claim, Finding, Key, Proposition, Role, SourceRef

ID = "inactive-relu-zero-gradient"
# The sentences this claim quotes; every asserted proposition formalizes them.
SENTENCES = ("S08", "S09", "S10")

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
    source=(
        SourceRef(
            "S08",
            "Under ReLU, and very nearly the more widely used GELU, neurons with negative "
            "preactivations have their final activations clipped to zero.",
        ),
        SourceRef(
            "S09", "for an inactive neuron, the error signal at that neuron is clipped to zero"
        ),
        SourceRef(
            "S10",
            "This prevents gradient from flowing through it, both to update the weights feeding "
            "into it and to propagate further back to earlier layers.",
        ),
    ),
    statement=(
        "On one forward/backward pass, a ReLU neuron whose preactivation is negative receives an "
        "error signal of exactly zero; hence its incoming weights and bias receive exactly zero "
        "gradient, and no gradient reaches earlier layers through it."
    ),
    propositions=(
        Proposition(
            id=f"{ID}/relu-derivative-negative",
            statement="d/dz max(0, z) = 0 for every real z < 0",
            scope={"activation": "ReLU"},
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="max(0, z) is the constant 0 on z < 0.",
        ),
        Proposition(
            id=f"{ID}/convention-at-zero",
            statement=(
                "max(0, z) has no derivative at z = 0 (one-sided derivatives 0 and 1); torch's "
                "ReLU backward uses relu'(0) := 0 for +0.0 and -0.0 in float64, float32, "
                "bfloat16 and float16, so a neuron with z = 0 also passes no gradient"
            ),
            scope={"activation": "ReLU", "dtype": "float64, float32, bfloat16, float16"},
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale=(
                "The source speaks of negative preactivations; at exactly zero the answer is a "
                "convention (SymPy's Heaviside(0) is 1/2), so the suite states and checks torch's."
            ),
        ),
        Proposition(
            id=f"{ID}/error-signal-zero",
            statement="z_j^(l)(x) < 0  =>  dL/dz_j^(l) = 0.0 exactly, for every hidden layer l and neuron j",
            scope=MLP_SCOPE,
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="S09: the error signal at an inactive neuron is clipped to zero.",
            key=Key("max |dL/dz| at inactive neurons: {max_abs_error_signal_at_inactive}"),
        ),
        Proposition(
            id=f"{ID}/incoming-weights-zero-gradient",
            statement="z_j^(l)(x) < 0  =>  dL/dW^(l)[j, :] = 0.0 and dL/db^(l)[j] = 0.0 exactly",
            scope=MLP_SCOPE,
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale="S10: no gradient updates the weights feeding into an inactive neuron.",
        ),
        Proposition(
            id=f"{ID}/no-gradient-to-earlier-layers",
            statement=(
                "Replacing the outgoing weights W^(l+1)[:, j] of every neuron j with z_j^(l)(x) < 0 "
                "by arbitrary finite values (magnitudes 1e-6 to 1e9) leaves the output and "
                "dL/dθ for every parameter θ of layers 1..l bit-identical"
            ),
            scope=MLP_SCOPE,
            role=Role.ASSERTED,
            formalizes=SENTENCES,
            expected=Finding.HOLDS,
            rationale=(
                "S10: no gradient propagates to earlier layers through the inactive neuron; if any "
                "did, it would carry the outgoing weights' values and change those gradients."
            ),
        ),
        Proposition(
            id=f"{ID}/lower-precision",
            statement="error-signal-zero holds in float32, bfloat16 and float16 as well",
            scope={**MLP_SCOPE, "dtype": "float32, bfloat16, float16"},
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale="Models train in low precision; the zero comes from a mask, not arithmetic.",
        ),
        Proposition(
            id=f"{ID}/batch-inactive-everywhere",
            statement=(
                "For a loss summed over a batch of examples and tokens, z_j^(l)(x) < 0 for every "
                "x in the batch  =>  dL/dW^(l)[j, :] = 0 and dL/db^(l)[j] = 0"
            ),
            scope={**MLP_SCOPE, "aggregation": "batched"},
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale="A sum of zeros: the per-example result carries over when inactive on all.",
        ),
        Proposition(
            id=f"{ID}/batch-inactive-somewhere",
            statement=(
                "For a loss summed over a batch of examples and tokens, z_j^(l)(x) < 0 for some "
                "x in the batch  =>  dL/dW^(l)[j, :] = 0"
            ),
            scope={**MLP_SCOPE, "aggregation": "batched"},
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale=(
                "Training updates use batch (and sequence) sums; a neuron silent on one example "
                "but active on another is updated, so the per-example statement does not carry over."
            ),
        ),
        Proposition(
            id=f"{ID}/residual-earlier-layers",
            statement=(
                "For x = W0 u and a block y = x + W2 relu(W1 x + b1) whose hidden neurons are all "
                "inactive, no gradient reaches the earlier layer: dL/dW0 = 0"
            ),
            scope={
                "activation": "ReLU",
                "architecture": "one linear layer, then one residual ReLU block (widths 1-64)",
                "dtype": "float64",
                "aggregation": "per-example",
            },
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale=(
                "S10 says gradient cannot flow through the inactive neuron, which holds; but in a "
                "residual network (every transformer) earlier layers still get the full gradient "
                "through the skip path, so inactivity does not shield them."
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
