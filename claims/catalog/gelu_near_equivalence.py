"""Claim: GELU behaves "very nearly" like ReLU for inactive neurons (S08).

Tests: tests/claims/gelu_near_equivalence/. Core: the precise sense in which the tail of GELU is
ReLU-like (exact constants, certified thresholds) and ReLU's exact baseline. Boundary: the
literal reading (every negative preactivation), the network-level share of gradient that still
flows through negative-preactivation neurons (random networks, gated units, a real transformer),
and the other activations LLMs use.

Decision threshold for the network-level propositions, fixed before any measurement: a share of
1 %, the same ε = 0.01 as the literal reading, judged by the 95 % interval's upper bound.
"""

from claims.records import Claim, Finding, Key, Proposition, Role, SourceRef

ID = "gelu-near-equivalence"
# The sentences this claim quotes; every asserted proposition formalizes them.
SENTENCES = ("S08", "S09")
EPSILONS = (0.1, 0.05, 0.01, 0.001)
SHARE_THRESHOLD = 0.01

SCALAR = {"dtype": "exact (SymPy) and Arb ball arithmetic"}
RANDOM_NETS = {
    "architecture": "MLP (1-4 hidden layers, width 8-64) and one pre-LayerNorm residual block, "
    "LeCun-normal init, Gaussian inputs",
    "dtype": "float64",
    "aggregation": "per-example",
}


def _p(
    name: str,
    statement: str,
    scope: dict,
    role: Role,
    expected: Finding,
    rationale: str,
    key: Key | None = None,
) -> Proposition:
    formalizes = SENTENCES if role is Role.ASSERTED else ()
    return Proposition(
        f"{ID}/{name}", statement, scope, role, expected, rationale, formalizes=formalizes, key=key
    )


def _thresholds(activation: str, label: str, role: Role, key: Key | None = None) -> Proposition:
    return _p(
        f"{activation}-tail-thresholds",
        f"For ε in {{0.1, 0.05, 0.01, 0.001}}: |{label}′(z)| ≤ ε for all z ≤ −t(ε), with t(ε) "
        "certified: |f′| is monotone on (−∞, −c] (proved) and Arb enclosures bound |f′| by ε at "
        "−t(ε), and on [−c, −t(ε)] when t(ε) < c; each t(ε) is within 1e-6 of the smallest such t",
        {**SCALAR, "activation": label},
        role,
        Finding.HOLDS,
        "The precise sense of 'very nearly clipped': beyond a certified depth the derivative, and "
        "so the gradient an inactive neuron passes, is at most ε times the error signal.",
        key,
    )


def _random_share(activation: str, label: str) -> Proposition:
    return _p(
        f"random-net-share-{activation}",
        f"In random {label} networks, the share of the squared gradient norm of incoming weights "
        "that lands on negative-preactivation neurons is below 1 % (upper end of the 95 % "
        "interval over seeds)",
        {**RANDOM_NETS, "activation": label},
        Role.BEYOND,
        Finding.FAILS,
        "S08-S10 at network level: do inactive neurons pass 'very nearly' no gradient in a net?",
    )


def _gated(unit: str, gate: str, expected: Finding) -> Proposition:
    return _p(
        f"{unit}-gate-closed-zero-gradient",
        f"In a gated unit h = {gate}(g)·u (g = W_g x, u = W_u x, y = W_o h): g_j < 0  =>  "
        "∂L/∂W_u[j, :] = 0 and ∂L/∂W_g[j, :] = 0 exactly",
        {
            "activation": f"{unit} ({gate} gate)",
            "architecture": "one gated MLP layer, width 1-64",
            "dtype": "float64",
            "aggregation": "per-example",
        },
        Role.BEYOND,
        expected,
        "LLMs use gated units (SwiGLU in Llama, GeGLU in Gemma); a closed gate silences the "
        "neuron exactly only if the gate's activation and derivative are both 0 below zero.",
    )


CLAIM = Claim(
    id=ID,
    title="GELU is very nearly ReLU for inactive neurons",
    source=(
        SourceRef(
            "S08",
            "Under ReLU, and very nearly the more widely used GELU, neurons with negative "
            "preactivations have their final activations clipped to zero.",
        ),
        SourceRef(
            "S09", "for an inactive neuron, the error signal at that neuron is clipped to zero"
        ),
    ),
    statement=(
        "GELU clips negative preactivations very nearly as ReLU does, so a GELU neuron with a "
        "negative preactivation passes very nearly no gradient."
    ),
    propositions=(
        _p(
            "relu-baseline-share-zero",
            "In random ReLU networks the share of incoming-weight squared gradient on "
            "negative-preactivation neurons is exactly 0 on every seed",
            {**RANDOM_NETS, "activation": "ReLU"},
            Role.ASSERTED,
            Finding.HOLDS,
            "The ReLU half of S08, at network level: the baseline GELU is compared with.",
        ),
        _p(
            "gelu-derivative-constants",
            "GELU(z) = zΦ(z); GELU′ = Φ(z) + zφ(z); GELU″ = φ(z)(2 − z²); GELU′ has critical "
            "points exactly at z = ±√2 with minimum GELU′(−√2) = (1 − erf(1))/2 − e^(−1)/√π; "
            "GELU′(0) = 1/2; on z < 0, GELU′ changes sign exactly once, at a certified z₀",
            {**SCALAR, "activation": "GELU (exact, erf)"},
            Role.ASSERTED,
            Finding.HOLDS,
            "The exact shape behind 'very nearly': how negative GELU′ gets and where.",
        ),
        _thresholds(
            "gelu", "GELU", Role.ASSERTED, Key("|GELU′| ≤ 0.01 only for z ≤ −t, t: {t_0.01}")
        ),
        _p(
            "silu-derivative-constants",
            "SiLU′ = σ(z)(1 + z(1 − σ(z))); SiLU″ = σ(1 − σ)(2 + z(1 − 2σ)); SiLU′ has critical "
            "points at ±z* where z*·tanh(z*/2) = 2 (certified), its minimum value and its sign "
            "change on z < 0 are certified; SiLU′(0) = 1/2",
            {**SCALAR, "activation": "SiLU"},
            Role.BEYOND,
            Finding.HOLDS,
            "SiLU (in SwiGLU) is the activation most current LLMs use.",
        ),
        _thresholds("gelu-tanh", "tanh-GELU", Role.BEYOND),
        _thresholds("silu", "SiLU", Role.BEYOND),
        _p(
            "gelu-tanh-deviation",
            "max_z |GELU_tanh(z) − GELU(z)| and max_z |GELU_tanh′(z) − GELU′(z)| are enclosed "
            "rigorously: a certified upper bound (Arb, all real z) and an attained lower bound "
            "within 1 % of it",
            {**SCALAR, "activation": "tanh-GELU vs GELU"},
            Role.BEYOND,
            Finding.HOLDS,
            "GPT-2-style models use the tanh approximation; is it the same function for this claim?",
        ),
        _p(
            "literal-derivative-near-zero",
            "For every z < 0: |GELU′(z)| ≤ 0.01",
            {"activation": "GELU (torch, float64)", "dtype": "float64"},
            Role.BEYOND,
            Finding.FAILS,
            "The literal reading of S08: every negative preactivation is 'very nearly' clipped.",
        ),
        _p(
            "literal-activation-clipped",
            "For every z < 0: |GELU(z)| ≤ 0.01",
            {"activation": "GELU (torch, float64)", "dtype": "float64"},
            Role.BEYOND,
            Finding.FAILS,
            "S08's 'final activations clipped to zero', read literally for GELU.",
        ),
        _random_share("gelu", "GELU"),
        _random_share("gelu-tanh", "tanh-GELU"),
        _random_share("silu", "SiLU"),
        _gated("reglu", "ReLU", Finding.HOLDS),
        _gated("geglu", "GELU", Finding.FAILS),
        _gated("swiglu", "SiLU", Finding.FAILS),
        _p(
            "minilm-inactive-gradient-share",
            "In all-MiniLM-L6-v2 on the shipped English text, over (neuron, non-padding token) "
            "pairs of all 6 GELU MLP layers: Σ_{z<0} δ²‖x‖² / Σ δ²‖x‖² < 1 %, where δ_{j,t}·x_t "
            "is token t's contribution to the gradient of neuron j's incoming weight row",
            {
                "activation": "GELU (erf)",
                "architecture": "all-MiniLM-L6-v2 (6-layer BERT), "
                "88 sentences (Austen, Lincoln, S01-S20), loss ⟨u, sentence embedding⟩ for a fixed "
                "unit vector u",
                "dtype": "float32",
                "aggregation": "per-example",
            },
            Role.BEYOND,
            Finding.FAILS,
            "The claim where it matters: a real trained GELU transformer on real text. One "
            "deterministic measurement (no interval); the 1 % threshold is the same as above.",
        ),
    ),
    notes=(
        "Φ and φ are the standard normal CDF and density; σ is the logistic sigmoid.",
        "Random-network decision rule, fixed before measuring: HOLDS if the 95 % interval's upper "
        "end is below 1 %, FAILS if its lower end is above, INCONCLUSIVE otherwise.",
        "'Leaky' inactive neurons are negative-preactivation neurons with |f′(z)| > 0.01; that is "
        "not the same as z > −t(0.01), since |GELU′| ≤ 0.01 also in a band around its sign change.",
    ),
)
