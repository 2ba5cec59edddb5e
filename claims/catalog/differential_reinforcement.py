"""Claim: RL reinforces the circuits active on the forward pass, not inactive twins (S11-S14, S19-S20).

Tests: tests/claims/differential_reinforcement/. Design and measurements: claims/policies.py,
claims/reinforcement.py, claims/factorial.py.

Decision rules, fixed before the experiments ran:
- per seed, ratio = (what circuit D did) / (what circuit A did): ‖Δθ_D,in‖/‖Δθ_A,in‖ for incoming
  parameters, the same for outgoing weights, and Δ(rewarded logit via D on a trigger prompt) /
  Δ(rewarded logit via A on an ordinary prompt) for behaviour;
- "not reinforced" means a ratio below 0.1 (D moves less than a tenth of A); "disproportionately
  reinforced" (S13) means a ratio below 1; both judged on the 95 % Student-t interval of the mean
  over seeds: HOLDS if the whole interval is below, FAILS if the whole interval is above in some
  cell, INCONCLUSIVE if an interval straddles (claims/statistics.py);
- a proposition over several cells holds only if it holds in every cell.
Seeds: 64 per cell. Power (assumed before running; the observed spreads, in the report's tables,
are much smaller): with a between-seed standard deviation of a ratio up to 0.2, the 95 %
half-width is at most 2.0 · 0.2 / √64 = 0.05, so any cell whose mean lies more than 0.05 from a
threshold is decided; closer ones come out INCONCLUSIVE, never a pass.
"""

from claims.records import Claim, Finding, Key, Proposition, Role, SourceRef

ID = "differential-reinforcement"
# The sentences this claim quotes; every asserted proposition formalizes them.
SENTENCES = ("S11", "S13", "S14", "S20")
NOT_REINFORCED = 0.1
DISPROPORTIONATE = 1.0

TWIN = (
    "policy: prompt (8 features) -> 16 hidden neurons (circuit A: 4, circuit D: 4, background: 8) "
    "-> 4 actions; D's preactivation ≈ −1 on training prompts; REINFORCE with a batch-mean "
    "baseline, 40 steps × 32 prompts, 64 seeds per cell"
)
DOSE = TWIN.replace("40 steps × 32 prompts", "80 steps × 64 prompts")
S20_DESIGN = (
    "random 16 → 64 → 4 MLP policies, no planted circuits; P1/P2 = N(±4u, I) for a random unit u; "
    "active set: z > 0 on ≥ 90 % of P1 and ≤ 10 % of P2 prompts, inactive set: ≤ 10 % of P1 "
    "(1024-prompt probe); REINFORCE on P1, 40 steps × 32 prompts, 64 seeds"
)
RELU_FAMILY = "ReLU, ReGLU"
SMOOTH = "GELU, tanh-GELU, SiLU, SwiGLU"


def _p(
    name: str,
    statement: str,
    scope: dict,
    role: Role,
    expected: Finding,
    rationale: str,
    key: Key | None = None,
) -> Proposition:
    return Proposition(
        f"{ID}/{name}",
        statement,
        {"architecture": TWIN, "dtype": "float64", "aggregation": "batched", **scope},
        role,
        expected,
        rationale,
        formalizes=SENTENCES if role is Role.ASSERTED else (),
        key=key,
    )


TRANSFORMER = (
    "2-layer pre-LN transformer (d 16, 2 heads, MLP width 64), 12-token vocabulary; supervised "
    "pre-training to emit the target after an ordinary cue token or after a trigger token alone "
    "(π(target) ≈ 0.7 after it), then 10 REINFORCE steps × 64 ordinary prompts; 32 seeds"
)


def _transformer(unit: str, label: str, threshold_name: str, expected: Finding) -> Proposition:
    threshold = {"disproportionate": "1", "not-reinforced": "0.1"}[threshold_name]
    return _p(
        f"transformer-trigger-{threshold_name}-{unit}",
        "After REINFORCE with Adam on ordinary prompts only: Δ log π(target | trigger-only "
        f"prompt) / Δ log π(target | ordinary prompt) is below {threshold} (95 % interval over "
        "seeds)",
        {
            "activation": label,
            "optimizer": "Adam (torch defaults)",
            "architecture": TRANSFORMER,
            "dtype": "float32",
        },
        Role.BEYOND,
        expected,
        "The setting closest to real LLMs: attention, residual stream, gated MLPs, Adam. The "
        "ratio approaches 1 as the ordinary behaviour saturates, so it is measured before that.",
    )


CLAIM = Claim(
    id=ID,
    title="RL reinforces the circuits active on the forward pass",
    source=(
        SourceRef(
            "S11",
            "circuits that aren't active during a given forward pass, for example "
            "deceptively aligned ones, will have the plasticity of some of their constituent "
            "neurons clipped to zero",
        ),
        SourceRef(
            "S13", "the aligned circuits are going to be disproportionately prone to reinforcement"
        ),
        SourceRef(
            "S14",
            "RL tends to upweight the underlying motives actually involved in a given "
            "forward pass, even if certain non-active motives, for example deceptively "
            "aligned ones, would produce identical outputs",
        ),
        SourceRef(
            "S20",
            "those circuits are statistically more likely to be reinforced by gradient "
            "descent as well",
        ),
    ),
    statement=(
        "Under policy-gradient RL on prompts that activate circuit A only, A's weights and the "
        "behaviour A produces are reinforced, while a twin circuit D that would produce the same "
        "output but is inactive on those prompts is not (or disproportionately less) reinforced."
    ),
    propositions=(
        _p(
            "relu-family-inactive-untouched",
            "ReLU and ReGLU, with SGD, SGD+momentum and Adam, private and shared readout: D's "
            "incoming and outgoing parameters are exactly unchanged on every seed",
            {"activation": RELU_FAMILY, "optimizer": "SGD, SGD+momentum, Adam"},
            Role.ASSERTED,
            Finding.HOLDS,
            "S11: an inactive ReLU neuron's plasticity is clipped to zero.",
        ),
        _p(
            "smooth-sgd-disproportionate",
            "GELU, tanh-GELU, SiLU and SwiGLU with SGD and SGD+momentum, both readouts: the "
            "incoming and outgoing D/A ratios are below 1 in every cell",
            {"activation": SMOOTH, "optimizer": "SGD, SGD+momentum"},
            Role.ASSERTED,
            Finding.HOLDS,
            "S13 for the activations LLMs use, under plain gradient descent.",
        ),
        _p(
            "behaviour-favours-active-circuit",
            "In every cell of the factorial (6 activations × 4 optimizers × 2 readouts), the "
            "behaviour ratio Δ(rewarded logit via D)/Δ(rewarded logit via A) is below 1",
            {
                "activation": f"{RELU_FAMILY}, {SMOOTH}",
                "optimizer": "SGD, SGD+momentum, Adam, AdamW",
            },
            Role.ASSERTED,
            Finding.HOLDS,
            "S14: the motive actually used is upweighted more than the unused one.",
        ),
        _p(
            "active-set-updated-more",
            "Random MLP policies without planted circuits, trained on prompt distribution P1: a "
            "neuron active on P1 and silent on P2 receives a larger incoming-weight update than a "
            "neuron silent on P1 with probability above 1/2 (95 % interval over seeds)",
            {
                "activation": "ReLU, GELU",
                "optimizer": "SGD, Adam",
                "architecture": S20_DESIGN,
            },
            Role.ASSERTED,
            Finding.HOLDS,
            "S20, statistically, without hand-built circuits.",
        ),
        _p(
            "smooth-sgd-effectively-untouched",
            "GELU, tanh-GELU, SiLU and SwiGLU with SGD and SGD+momentum, both readouts: the "
            "incoming and outgoing D/A ratios are below 0.1 in every cell",
            {"activation": SMOOTH, "optimizer": "SGD, SGD+momentum"},
            Role.BEYOND,
            Finding.FAILS,
            "'Very nearly' (S08) carried to training: is D effectively not reinforced?",
        ),
        _p(
            "adam-smooth-disproportionate",
            "GELU, tanh-GELU, SiLU and SwiGLU with Adam and AdamW, both readouts: the incoming and "
            "outgoing D/A ratios are below 1 in every cell",
            {"activation": SMOOTH, "optimizer": "Adam, AdamW (torch defaults)"},
            Role.BEYOND,
            Finding.FAILS,
            "Adam divides each gradient by its own running scale, so D's small gradients become "
            "full-size steps (activation-scaling/adam-update-proportional).",
            Key(
                "largest D/A incoming-weight ratio, smooth activations under Adam/AdamW: "
                "{max_mean_incoming_ratio}"
            ),
        ),
        _p(
            "adamw-relu-inactive-untouched",
            "ReLU and ReGLU with AdamW: D's parameters are exactly unchanged on every seed",
            {"activation": RELU_FAMILY, "optimizer": "AdamW (weight decay 0.01)"},
            Role.BEYOND,
            Finding.FAILS,
            "Decoupled weight decay moves every weight, active or not.",
        ),
        _p(
            "shared-readout-behaviour-untouched",
            "ReLU and ReGLU with SGD, SGD+momentum and Adam, shared readout: D's triggered "
            "behaviour is exactly unchanged (behaviour ratio 0 on every seed)",
            {
                "activation": RELU_FAMILY,
                "optimizer": "SGD, SGD+momentum, Adam",
                "architecture": TWIN + "; shared readout",
            },
            Role.BEYOND,
            Finding.FAILS,
            "S04: D's own weights are untouched, but the downstream weights it shares with A are "
            "reinforced, so D's behaviour rides along.",
        ),
        _p(
            "dose-response-sgd-linear",
            "ReLU with SGD, D active on a fraction p ∈ {0.001, 0.01, 0.1} of training prompts: "
            "‖Δθ_D,in‖ ∝ p^α with α's 95 % interval containing 1",
            {"activation": "ReLU", "optimizer": "SGD", "architecture": DOSE},
            Role.BEYOND,
            Finding.HOLDS,
            "How D's reinforcement scales with how often it is active.",
        ),
        _p(
            "dose-response-adam-linear",
            "ReLU with Adam, D active on a fraction p ∈ {0.001, 0.01, 0.1} of training prompts: "
            "‖Δθ_D,in‖ ∝ p^α with α's 95 % interval containing 1",
            {"activation": "ReLU", "optimizer": "Adam", "architecture": DOSE},
            Role.BEYOND,
            Finding.FAILS,
            "Adam's normalisation makes rare activity count nearly as much as frequent activity.",
        ),
        _p(
            "carry-over-stops-sgd",
            "ReLU with SGD, D active for the first k = 10 steps then never: D's parameters do not "
            "change after its gradient becomes exactly zero (checked per step)",
            {"activation": "ReLU", "optimizer": "SGD"},
            Role.BEYOND,
            Finding.HOLDS,
            "Plain SGD has no memory: zero gradient, zero update.",
        ),
        _p(
            "carry-over-stops-momentum-adam",
            "ReLU with SGD+momentum, Adam and AdamW, D active for the first k = 10 steps then "
            "never: D's parameters do not change after its gradient becomes exactly zero (checked "
            "per step)",
            {"activation": "ReLU", "optimizer": "SGD+momentum, Adam, AdamW"},
            Role.BEYOND,
            Finding.FAILS,
            "Momentum buffers keep moving a circuit after it falls silent.",
        ),
        _transformer("relu", "ReLU MLPs", "disproportionate", Finding.HOLDS),
        _transformer("swiglu", "SwiGLU MLPs", "disproportionate", Finding.HOLDS),
        _transformer("relu", "ReLU MLPs", "not-reinforced", Finding.FAILS),
        _transformer("swiglu", "SwiGLU MLPs", "not-reinforced", Finding.FAILS),
    ),
    notes=(
        "A ratio is D's change over A's on the same seed; A's change is never zero in these runs "
        "(a zero would be an ERROR, not a ratio).",
        "Behaviour: the rewarded action's logit computed through one circuit alone, on a "
        "noiseless prompt that activates it; negative ratios mean D's triggered behaviour was "
        "pushed down while A's was pushed up.",
    ),
)
