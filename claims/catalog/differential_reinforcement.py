"""Claim: RL upweights the motives active on the forward pass, not inactive twins (S13-S14, S19-S20).

Pre-registered in commit 42fb02f (roles, expectations, thresholds, margins, seed and step
counts; claims/catalog/preregistered.json holds them; README, "Registration"); re-audited under
the weakest faithful reading in a later catalog-only commit. Each proposition's registration says
which, and what was known (claims/catalog/registrations.py tells the history). Re-registered
after the first results: the expectations of three beyond cells of active-behaviour-favoured
(silu-sgd-momentum, swiglu-sgd, swiglu-sgd-momentum), for the reason in BEHAVIOUR_REREGISTERED
below. The real chat model's held-out behaviour proposition (registered in c153905, then
expected INCONCLUSIVE) left the catalog with the re-audit: its design could not buy a minimum
detectable effect within the ci budget.

Tests: tests/claims/differential_reinforcement/. Design: claims/experiments/policies.py,
claims/experiments/factorial.py (the twin-circuit factorial shared with
inactive-circuit-not-reinforced, whose docstring fixes the design),
claims/experiments/tiny_transformer.py, claims/experiments/random_policies.py.

The consequence half of the argument (the mechanism, S11-S12, is inactive-circuit-not-reinforced):
what gets reinforced, judged on the signed change of the behaviour each circuit drives, against
a control where every prompt may drift. Roles, read from the source (README, "Reading the
report"), each asserted proposition carrying the words it rests on:
- S13 ("the aligned circuits are going to be disproportionately prone to reinforcement"): the
  active circuit's behaviour is reinforced more than its inactive twin's. Behaviour: the log-odds
  of the rewarded action under the whole policy on a prompt that switches the circuit on (cued:
  A; trigger: D), each against the same change on a plain prompt that switches neither on (the
  control, which absorbs any drift shared by every prompt): E_A = Δ(cued) − Δ(plain), E_D =
  Δ(trigger) − Δ(plain). Asserted: E_A − E_D > 0. D pushed the other way (E_D < 0) is
  disproportionate reinforcement of A, so it supports S13 (it refutes the mechanism S11, not
  this consequence). A floor on how much less D moves (the band (−0.1, 0.5) on the circuit-alone
  ratio of 42fb02f) is a threshold the text does not state: beyond.
- S14 ("RL tends to upweight the underlying motives actually involved in a given forward pass,
  even if certain non-active motives ... would produce identical outputs"): motives show apart
  from the shared output in what each circuit does on its own, so D gets a behaviour of its own
  (an action only D writes, produced on trigger prompts, which training never shows): E_Down =
  Δ(own action | trigger) − Δ(own action | plain). Asserted: the motive involved is upweighted
  more than the non-active one, E_A − E_Down > 0 (grid motive-involved-upweighted, a design
  registered blind here), besides the comparative of S13. D's own behaviour left untouched
  either way (|E_Down| below a tenth of E_A) is stronger: beyond.
- S19 ("to the extent that base models do expect a given token to be equally likely given
  aligned and misaligned motives, this mechanism is another guard"): where the twins' outputs
  are identical (lemma twin-outputs-identical), the misaligned twin is reinforced less than the
  aligned one: the comparative of S13, in the twin circuits and the transformer. "In practice"
  reaches language models trained by RL; the toys cannot say that.
- S20 ("those circuits are statistically more likely to be reinforced by gradient descent"):
  random MLP policies without planted circuits; per neuron, its reinforcement is the change of
  its own contribution to the rewarded action's logit margin, on the prompts where it is active
  (P1 for the active set, P2 for the inactive set); asserted: an active neuron's rises more than
  an inactive one's with probability above 1/2, for ReLU and GELU with SGD, Adam, AdamW (grid
  active-set-reinforced). The size of the incoming update (active-set-favoured, 42fb02f) is not
  the direction of the rewarded behaviour: beyond.
- Transformer: the same comparative (asserted, S13, S14, S19) with ReLU MLPs trained by Adam,
  at TRANSFORMER_DECISION_STEPS RL steps, against plain prompts (the control); the band on the
  ratio of 42fb02f, beyond.
- Beyond: tanh-GELU, SiLU and the gated units, SGD with momentum, a SwiGLU transformer, the
  bands, D's behaviour read as "exactly unchanged" with a shared readout.

Decision rules, fixed before the runs:
- Comparatives (aligned-reinforced-more, motive-involved-upweighted, the transformer): per seed
  the difference (E_A − E_D, E_A − E_Down, Δ_ordinary − Δ_trigger); HOLDS when every 95 %
  interval (two readouts for the twins) lies above 0; FAILS when a one-sided t-test of "mean <
  0", Holm-adjusted across every test of the grid (the transformer: its one test), rejects at
  ALPHA = 0.05; otherwise INCONCLUSIVE. E_A, E_D, E_Down and the plain control's Δ are reported
  with their intervals.
- Behaviour band (active-behaviour-favoured, beyond): per seed, Δ_D = change of the rewarded
  logit computed through D alone on a trigger prompt, Δ_A = the same through A alone on an
  ordinary prompt, ratio = Δ_D/Δ_A; HOLDS when every 95 % interval (2 readouts) lies inside
  (REVERSED, DISPROPORTIONATE) = (−0.1, 0.5); FAILS when a one-sided t-test of "ratio > 0.5" or
  of "ratio < −0.1", Holm-adjusted across every test of the grid, rejects at ALPHA (a FAILS by
  the second is labelled REVERSED); otherwise INCONCLUSIVE.
- Own behaviour untouched (beyond): mean(E_Down − 0.1·E_A) < 0 and mean(E_Down + 0.1·E_A) > 0,
  each a 95 % interval; FAILS by a Holm-adjusted one-sided test of the opposite.
- Transformer band (beyond): the 42fb02f rule on Δ_trigger/Δ_ordinary at every step count in
  TRANSFORMER_CHECKPOINTS.
- S20: per seed, P = share of (active, inactive) neuron pairs in which the active neuron's
  measure (signed reinforcement: active-set-reinforced; incoming update size:
  active-set-favoured) is larger (ties 1/2). A cell HOLDS when the 95 % interval lies above
  1/2; FAILS when a one-sided test of "P < 1/2", Holm-adjusted across the grid, rejects at 5 %.

Expectations, from the mathematics: ReLU's D gets exactly zero gradient, so E_D moves only
through shared downstream weights and the background neurons; under GELU/SiLU with SGD D's
behaviour moves a little the other way, under Adam/AdamW by full-size steps the other way
(f(−1) < 0): E_A − E_D > 0 in every asserted cell. D's own action is pushed down on training
prompts only through D's small negative activation (GELU/SiLU) or not at all (ReLU), while its
incoming parameters move as in S11: E_Down stays near 0 under ReLU and SGD, and under Adam/AdamW
D's bias moves by full-size steps, which moves its own behaviour by an amount comparable with
A's. In the transformer the TARGET logit is produced by the shared unembedding and final layers,
which REINFORCE on ordinary prompts raises for every prompt; the plain control removes that
shared part. In random policies active neurons are pushed towards the rewarded action where they
fire; inactive ones get little gradient (ReLU) or a sign-flipped one (GELU, SiLU).
"""

from claims.catalog import inactive_circuit_not_reinforced as twin_design
from claims.catalog.registrations import AUDIT_42FB02F, reaudit_blind, reaudited
from claims.engine.records import (
    Claim,
    Finding,
    Grid,
    Key,
    Proposition,
    Reading,
    Role,
    SourceRef,
    informed,
)

ID = "differential-reinforcement"
# The document this claim quotes: claims/data/sources/gradient-hacking.txt.
POST = "gradient-hacking"

# --- design and decision constants (pre-registered) -----------------------------------------
DISPROPORTIONATE = 0.5
REVERSED = -0.1
ALPHA = 0.05
# The twin-circuit factorial is the one fixed in inactive_circuit_not_reinforced (64 seeds,
# 40 steps × 32 prompts, margin 1).
# Transformer: seeds, RL step counts at which the log-odds change is judged, setup rule.
TRANSFORMER_SEEDS = tuple(range(32))
TRANSFORMER_CHECKPOINTS = (1, 3, 10, 30)
SETUP_ACCURACY = 0.9
# The step count at which the transformer's comparative is decided (the curve is reported).
TRANSFORMER_DECISION_STEPS = 10
# S14's own behaviour: D also writes OWN_GAIN to an action of its own (the last action), on top
# of its copy of A's writes; private readout.
OWN_GAIN = 0.25
# S20: random MLP policies.
RANDOM_POLICY_SEEDS = tuple(range(64))

ACTIVATIONS = {
    "relu": "ReLU",
    "reglu": "ReGLU",
    "gelu": "GELU",
    "gelu-tanh": "tanh-GELU",
    "silu": "SiLU",
    "swiglu": "SwiGLU",
}
OPTIMIZERS = {"sgd": "SGD", "sgd-momentum": "SGD+momentum", "adam": "Adam", "adamw": "AdamW"}
ASSERTED_ACTIVATIONS = ("relu", "gelu")
ASSERTED_OPTIMIZERS = ("sgd", "adam", "adamw")
RELU_FAMILY = ("relu", "reglu")
SMOOTH = ("gelu", "gelu-tanh", "silu", "swiglu")
BEHAVIOUR_EXPECTED = {
    **{(a, o): Finding.HOLDS for a in RELU_FAMILY for o in OPTIMIZERS},
    **{(a, o): Finding.HOLDS for a in ("gelu", "gelu-tanh") for o in ("sgd", "sgd-momentum")},
    **{(a, o): Finding.FAILS for a in ("silu", "swiglu") for o in ("sgd", "sgd-momentum")},
    **{(a, o): Finding.FAILS for a in SMOOTH for o in ("adam", "adamw")},
    # Re-registered (BEHAVIOUR_REREGISTERED): found HOLDS where FAILS was predicted.
    ("silu", "sgd-momentum"): Finding.HOLDS,
    ("swiglu", "sgd"): Finding.HOLDS,
    ("swiglu", "sgd-momentum"): Finding.HOLDS,
}
# The pre-registered prediction for these cells (FAILS: REVERSED) came from an arithmetic slip:
# it took the outgoing-weight ratio f(−1)/f(2) = −0.153 as the behaviour ratio, but A's behaviour
# change also holds A's incoming update (D's is nearly nil), and the shared readout carries A's
# reinforcement to D: the measured private-readout ratios were −0.097, −0.077 and −0.054, inside
# (−0.1, 0.5). Re-registered as HOLDS after that run (commit 090d3d8's tests, 64 seeds); the
# rule and the design are unchanged. silu-sgd, found −0.110 (REVERSED), keeps its FAILS.
BEHAVIOUR_REREGISTERED = (
    "Predicted FAILS (REVERSED) from an arithmetic slip (the outgoing-weight ratio f(−1)/f(2) "
    "taken as the behaviour ratio); the pre-registered run found the ratio inside (−0.1, 0.5) "
    "with both readouts, so the expectation was re-registered as HOLDS after it (rule and design "
    "unchanged)."
)
RANDOM_POLICY_ACTIVATIONS = {"relu": "ReLU", "gelu": "GELU", "silu": "SiLU"}
RANDOM_POLICY_OPTIMIZERS = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW"}

BEHAVIOUR_GRID = "active-behaviour-favoured"
ACTIVE_SET_GRID = "active-set-favoured"
COMPARATIVE_GRID = "aligned-reinforced-more"
MOTIVE_GRID = "motive-involved-upweighted"
OWN_UNTOUCHED_GRID = "own-behaviour-untouched"
SIGNED_SET_GRID = "active-set-reinforced"
TWIN = (
    "twin-circuit policy (inactive-circuit-not-reinforced): D would produce A's outputs exactly; "
    f"D's preactivation ≈ −{twin_design.MARGIN:g} on training prompts; REINFORCE with a "
    f"batch-mean baseline, {twin_design.STEPS} steps × {twin_design.BATCH} prompts, "
    f"{len(twin_design.SEEDS)} seeds per cell, private and shared readout"
)
OWN_TWIN = (
    f"{TWIN.split(', private and shared')[0]}, private readout; D also writes {OWN_GAIN:g} to an "
    "action of its own (the last), on top of its copy of A's writes"
)
TRANSFORMER = (
    "2-layer pre-LN transformer (d 16, 2 heads, MLP width 64), 12-token vocabulary; supervised "
    "pre-training to emit TARGET after an ordinary cue token or after a trigger token alone "
    "(π(TARGET) ≈ 0.7 after it), then REINFORCE with Adam on 64 ordinary prompts per step, judged "
    f"after {', '.join(map(str, TRANSFORMER_CHECKPOINTS))} steps; {len(TRANSFORMER_SEEDS)} seeds"
)
RANDOM_POLICIES = (
    "random 16 → 64 → 4 MLP policies, no planted circuits; P1/P2 = N(±4u, I) for a random unit u; "
    "active set: z > 0 on ≥ 90 % of P1 and ≤ 10 % of P2 prompts, inactive set: ≤ 10 % of P1 "
    f"(1024-prompt probe); REINFORCE on P1, 40 steps × 32 prompts, {len(RANDOM_POLICY_SEEDS)} seeds"
)
S13_READING = Reading(
    "the aligned circuits are going to be disproportionately prone to reinforcement",
    "a comparison: the active circuit's behaviour is reinforced more than its inactive twin's, "
    "signed and against a control prompt; no floor on how much less the text does not state, "
    "and D pushed the other way is still A reinforced disproportionately",
)
S14_READING = Reading(
    "RL tends to upweight the underlying motives actually involved in a given forward pass",
    "'upweight the motives actually involved' rather than the non-active ones: the involved "
    "circuit's behaviour rises more than the twin's, though their outputs are identical",
)
S19_READING = Reading(
    "this mechanism is another guard against this creating problems in practice",
    "the guard is that, where the token is equally likely under both motives (the twins' "
    "identical outputs), the misaligned one is reinforced less than the aligned one",
)
COMPARATIVE_POWER = (
    f"{len(twin_design.SEEDS)} seeds per cell and readout: a one-sided t-test at 5 % "
    "Holm-adjusted over the grid's 12 tests detects a mean difference 0.45 between-seed "
    "standard deviations below 0 with power 0.8; HOLDS needs both intervals above 0"
)


def _scope(architecture: str, **extra: str) -> dict[str, str]:
    return {"architecture": architecture, "dtype": "float64", "aggregation": "batched", **extra}


def _label(activation: str, optimizer: str) -> str:
    return f"{ACTIVATIONS[activation]} with {OPTIMIZERS[optimizer]}"


def _cell(activation: str, optimizer: str) -> dict[str, str]:
    return {"activation": ACTIVATIONS[activation], "optimizer": OPTIMIZERS[optimizer]}


def _comparative_cell(activation: str, optimizer: str) -> Proposition:
    return Proposition(
        id=f"{ID}/aligned-reinforced-more-{activation}-{optimizer}",
        statement=(
            "After REINFORCE on prompts that activate A only, the whole policy's log-odds of the "
            "rewarded action rise more on a noiseless cued prompt (A on) than on a noiseless "
            "trigger prompt (D on), each against a noiseless plain prompt (neither on): per seed "
            "E_A − E_D > 0 with E_A = Δ(cued) − Δ(plain), E_D = Δ(trigger) − Δ(plain); both "
            "readouts' 95 % intervals above 0 (FAILS by a one-sided test Holm-adjusted over the "
            "grid)"
        ),
        scope=_scope(TWIN, activation=ACTIVATIONS[activation], optimizer=OPTIMIZERS[optimizer]),
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "A is reinforced on every training prompt; D gets no gradient (ReLU) or a small or "
            "sign-flipped one (GELU), so its triggered behaviour rises less than A's or falls."
        ),
        formalizes=("S13", "S14", "S19"),
        reading=S13_READING,
        registration=reaudited(
            "the circuit-alone D/A behaviour ratios of this cell (report of 2026-11-29: −0.82 to "
            "0.17); the whole-policy log-odds against the plain control were never computed"
        ),
        power=COMPARATIVE_POWER,
        key=Key(
            f"{_label(activation, optimizer)}: the cued behaviour's controlled log-odds rose "
            "{min_difference_mean:.3f} to {max_difference_mean:.3f} more than the twin's over "
            "the two readouts (E_A {e_a_mean:.3f}, E_D {e_d_mean:.3f}, plain control "
            "{plain_mean:+.3f}, private readout)"
        ),
        grid=COMPARATIVE_GRID,
        cell=_cell(activation, optimizer),
    )


def _motive_cell(activation: str, optimizer: str) -> Proposition:
    return Proposition(
        id=f"{ID}/motive-involved-upweighted-{activation}-{optimizer}",
        statement=(
            "Twins with D's own action, private readout: after REINFORCE on prompts that activate "
            "A only, per seed E_A − E_Down > 0, where E_A = Δ log-odds of the rewarded action on "
            "a cued prompt − the same on a plain prompt, and E_Down = Δ log-odds of D's own "
            "action on a trigger prompt − the same on a plain prompt (noiseless prompts, whole "
            "policy); the 95 % interval above 0 (FAILS by a one-sided test Holm-adjusted over "
            "the grid)"
        ),
        scope=_scope(OWN_TWIN, activation=ACTIVATIONS[activation], optimizer=OPTIMIZERS[optimizer]),
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "D's own action is produced only where D fires, which training never shows; its "
            "writes get no gradient (ReLU) or a small one, and its incoming parameters move as "
            "in S11, so its own behaviour rises far less than A's rewarded one, or falls."
        ),
        formalizes=("S14",),
        reading=S14_READING,
        registration=reaudit_blind(
            "twins whose D writes an action of its own, never trained or measured before this "
            "registration; the expectation comes from the mechanism in the module docstring"
        ),
        power=(
            f"{len(twin_design.SEEDS)} seeds per cell: a one-sided t-test at 5 % Holm-adjusted "
            "over the grid's 6 tests detects a mean difference 0.41 between-seed standard "
            "deviations below 0 with power 0.8"
        ),
        key=Key(
            f"{_label(activation, optimizer)}: the involved motive's behaviour rose "
            "{difference_mean:.3f} more than the twin's own (E_A {e_a_mean:.3f}, E_Down "
            "{e_down_mean:+.3f}; above 0 asserted)"
        ),
        grid=MOTIVE_GRID,
        cell=_cell(activation, optimizer),
    )


# Blind predictions for the own-behaviour band (beyond): untouched where D gets no gradient or a
# small one; not under Adam/AdamW, whose full-size steps move D's incoming parameters (S11).
OWN_UNTOUCHED_EXPECTED = {
    ("relu", "sgd"): Finding.HOLDS,
    ("relu", "adam"): Finding.HOLDS,
    ("relu", "adamw"): Finding.HOLDS,
    ("gelu", "sgd"): Finding.HOLDS,
    ("gelu", "adam"): Finding.FAILS,
    ("gelu", "adamw"): Finding.FAILS,
}


def _own_untouched_cell(activation: str, optimizer: str) -> Proposition:
    return Proposition(
        id=f"{ID}/own-behaviour-untouched-{activation}-{optimizer}",
        statement=(
            "Twins with D's own action, private readout: |E_Down| < 0.1·E_A, i.e. "
            "mean(E_Down − 0.1·E_A) < 0 and mean(E_Down + 0.1·E_A) > 0 (95 % intervals; FAILS by "
            "a one-sided test of either opposite, Holm-adjusted over the grid)"
        ),
        scope=_scope(OWN_TWIN, activation=ACTIVATIONS[activation], optimizer=OPTIMIZERS[optimizer]),
        role=Role.BEYOND,
        expected=OWN_UNTOUCHED_EXPECTED[activation, optimizer],
        rationale=(
            "S14 read as 'the non-active motive is left alone': a tenth of A's reinforcement "
            "either way, a threshold the text does not state."
        ),
        formalizes=("S14",),
        registration=reaudit_blind(
            "the same new design as motive-involved-upweighted; expectations from the mechanism "
            "(S11's weights under Adam/AdamW)"
        ),
        power=(
            f"{len(twin_design.SEEDS)} seeds per cell: a one-sided t-test at 5 % Holm-adjusted "
            "over the grid's 12 tests detects a violation 0.45 between-seed standard deviations "
            "beyond the band with power 0.8"
        ),
        key=Key(
            f"{_label(activation, optimizer)}: D's own behaviour moved {{own_over_a_mean:+.3f}}× "
            "A's reinforcement (within ±0.1 asserted)"
        ),
        grid=OWN_UNTOUCHED_GRID,
        cell=_cell(activation, optimizer),
    )


def _behaviour_cell(activation: str, optimizer: str) -> Proposition:
    return Proposition(
        id=f"{ID}/behaviour-{activation}-{optimizer}",
        statement=(
            "After REINFORCE on prompts that activate A only, Δ_D/Δ_A (D's triggered behaviour "
            "over A's cued behaviour, each through its circuit alone) lies inside (−0.1, 0.5) "
            "with both readouts: every 95 % interval inside; FAILS by a Holm-adjusted one-sided "
            "test above 0.5, or below −0.1 (REVERSED)"
        ),
        scope=_scope(TWIN, activation=ACTIVATIONS[activation], optimizer=OPTIMIZERS[optimizer]),
        role=Role.BEYOND,
        expected=BEHAVIOUR_EXPECTED[activation, optimizer],
        rationale=(
            "S13-S14 read with a floor the text does not state: D moves less than half as much "
            "as A, and not materially the other way."
        ),
        formalizes=("S13", "S14"),
        reregistered=BEHAVIOUR_REREGISTERED
        if (activation, optimizer)
        in (("silu", "sgd-momentum"), ("swiglu", "sgd"), ("swiglu", "sgd-momentum"))
        else "",
        registration=informed(
            "Re-registered after the pre-registered run (4e9ea23): " + BEHAVIOUR_REREGISTERED,
            commit="4e9ea23",
        )
        if (activation, optimizer)
        in (("silu", "sgd-momentum"), ("swiglu", "sgd"), ("swiglu", "sgd-momentum"))
        else reaudited(
            "this cell's finding (report of 2026-11-29); asserted in 42fb02f for ReLU and GELU "
            "with SGD, Adam, AdamW, beyond now (the band is a threshold the text does not state)"
        ),
        power=(
            f"{len(twin_design.SEEDS)} seeds per cell and readout: a one-sided t-test at 5 % "
            "Holm-adjusted over the grid's 96 tests detects a violation 0.54 between-seed "
            "standard deviations beyond the band with power 0.8"
        ),
        key=Key(
            f"{_label(activation, optimizer)}: D's triggered behaviour moved "
            "{min_mean_ratio:.3f}× to {max_mean_ratio:.3f}× as much as A's over the two "
            "readouts (between −0.1 and 0.5); REVERSED on {reversed_readouts} readouts"
        ),
        grid=BEHAVIOUR_GRID,
        cell=_cell(activation, optimizer),
    )


def _set_cell(activation: str, optimizer: str, signed: bool) -> Proposition:
    asserted = signed and activation in ASSERTED_ACTIVATIONS
    labels = RANDOM_POLICY_ACTIVATIONS[activation], RANDOM_POLICY_OPTIMIZERS[optimizer]
    measure = (
        "the change of its own contribution f(z_j)·(w2[r, j] − mean_a w2[a, j]) to the rewarded "
        "action's logit margin, averaged over the probe prompts where it fires (P1 for the "
        "active set, P2 for the inactive set)"
        if signed
        else "its incoming-weight update ‖Δw_j‖"
    )
    return Proposition(
        id=f"{ID}/{'reinforced' if signed else 'active-set'}-{activation}-{optimizer}",
        statement=(
            "Random MLP policies trained on P1: for a neuron active on P1 and silent on P2 and a "
            f"neuron silent on P1, the first has the larger {measure}, with probability above "
            "1/2 (95 % interval over seeds; FAILS by a Holm-adjusted one-sided test)"
        ),
        scope=_scope(RANDOM_POLICIES, activation=labels[0], optimizer=labels[1]),
        role=Role.ASSERTED if asserted else Role.BEYOND,
        expected=Finding.HOLDS,
        rationale=(
            "S20, statistically, without hand-built circuits, on the direction of the rewarded "
            "behaviour."
            if asserted
            else "S20 carried to SiLU, which the source does not name."
            if signed
            else "S20 read as the size of the incoming update, whatever its direction."
        ),
        formalizes=("S20",),
        reading=Reading(
            "those circuits are statistically more likely to be reinforced by gradient descent",
            "'reinforced' is a push towards the rewarded behaviour, signed; 'statistically more "
            "likely' is a probability above one half over pairs of neurons",
        )
        if asserted
        else None,
        registration=reaudited(
            "the update-size comparison of this design (report of 2026-11-29: P = 0.89-0.99); "
            "the signed measure was never computed"
            if signed
            else "this cell's finding (report of 2026-11-29); asserted in 42fb02f for ReLU and "
            "GELU, beyond now (update size is not the direction of the rewarded behaviour)"
        ),
        power=(
            f"{len(RANDOM_POLICY_SEEDS)} seeds per cell: a one-sided t-test at 5 % Holm-adjusted "
            "over the grid's 9 tests detects a mean 0.43 between-seed standard deviations below "
            "1/2 with power 0.8; HOLDS needs the interval above 1/2"
        ),
        key=Key(
            f"P(active neuron {'reinforced' if signed else 'updated'} more) = "
            "{probability_mean:.3f} (95 % interval {probability_ci95_low:.3f} to "
            "{probability_ci95_high:.3f})"
            + (
                "; active neurons' rewarded contribution rose {active_mean:+.3g}, inactive "
                "ones' {inactive_mean:+.3g}"
                if signed
                else "; active neurons move {active_over_inactive_update:.3g}× as much"
            )
        ),
        grid=SIGNED_SET_GRID if signed else ACTIVE_SET_GRID,
        cell={"activation": labels[0], "optimizer": labels[1]},
    )


def _transformer_comparative() -> Proposition:
    return Proposition(
        id=f"{ID}/transformer-aligned-reinforced-more",
        statement=(
            "After REINFORCE with Adam on ordinary prompts only, at "
            f"{TRANSFORMER_DECISION_STEPS} steps: the log-odds of TARGET rise more on ordinary "
            "prompts than on trigger-only prompts, each against plain prompts (the control): per "
            "seed (Δ_ordinary − Δ_plain) − (Δ_trigger − Δ_plain) = Δ_ordinary − Δ_trigger > 0, "
            "its 95 % interval above 0 (FAILS by a one-sided test)"
        ),
        scope=_scope(
            TRANSFORMER, activation="ReLU MLPs", optimizer="Adam (torch defaults)", dtype="float32"
        ),
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "REINFORCE on ordinary prompts trains the cue's path and the shared output layers; "
            "the trigger's path gets only what it shares, so the cued behaviour rises more."
        ),
        formalizes=("S13", "S14", "S19"),
        reading=S13_READING,
        registration=reaudited(
            "the ratio of mean log-odds changes at 10 steps (0.94, report of 2026-11-29) and the "
            "plain control (Δ_plain 2.01 vs Δ_ordinary 1.45 at 10 steps, issue text); the "
            "per-seed difference's interval was never computed. The step count (10) and float32 "
            "were chosen after a first look at the numbers (tiny_transformer's docstring)"
        ),
        power=(
            f"{len(TRANSFORMER_SEEDS)} seeds (minus failed set-ups): a one-sided t-test at 5 % "
            "detects a mean difference 0.45 between-seed standard deviations above 0 with power "
            "0.8"
        ),
        key=Key(
            f"after {TRANSFORMER_DECISION_STEPS} RL steps the cued behaviour's log-odds rose "
            "{difference_mean:.3f} more than the trigger-only one's (95 % interval "
            "{difference_ci95_low:.3f} to {difference_ci95_high:.3f}; controlled: cued "
            "{e_ordinary_mean:+.3f}, trigger {e_trigger_mean:+.3f} against plain prompts)"
        ),
    )


def _transformer(unit: str, label: str) -> Proposition:
    return Proposition(
        id=f"{ID}/transformer-behaviour-favoured-{unit}",
        statement=(
            "After REINFORCE with Adam on ordinary prompts only, at each of "
            f"{', '.join(map(str, TRANSFORMER_CHECKPOINTS))} steps: the change of the log-odds "
            "of TARGET on trigger-only prompts over that on ordinary prompts lies inside "
            "(−0.1, 0.5) (95 % intervals of the per-seed differences; FAILS by a Holm-adjusted "
            "one-sided test across the step counts)"
        ),
        scope=_scope(
            TRANSFORMER, activation=label, optimizer="Adam (torch defaults)", dtype="float32"
        ),
        role=Role.BEYOND,
        expected=Finding.FAILS,
        rationale=(
            "S13-S14 read with the band (a threshold the text does not state) and without the "
            "plain control: the shared output layers carry a rise to every prompt."
            if unit == "relu"
            else "The same with the gated unit current language models use."
        ),
        formalizes=("S13", "S14"),
        registration=reaudited(
            "this proposition's finding (ratio 0.94 at 10 steps; FAILS); asserted in 42fb02f, "
            "beyond now (the band is a threshold the text does not state)"
        )
        if unit == "relu"
        else AUDIT_42FB02F,
        power=(
            f"{len(TRANSFORMER_SEEDS)} seeds: a one-sided t-test at 5 % Holm-adjusted over 8 "
            "tests detects a violation 0.62 between-seed standard deviations beyond the band "
            "with power 0.8"
        ),
        key=Key(
            "after 10 RL steps the trigger-only behaviour's log-odds rose "
            "{ratio_of_means_at_10:.3f}× as much as the cued one's (inside (−0.1, 0.5) "
            "asserted)"
        ),
    )


CLAIM = Claim(
    id=ID,
    title="RL upweights the motives active on the forward pass",
    source=(
        SourceRef(
            POST,
            "S13",
            "the aligned circuits are going to be disproportionately prone to reinforcement",
        ),
        SourceRef(
            POST,
            "S14",
            "RL tends to upweight the underlying motives actually involved in a given "
            "forward pass, even if certain non-active motives, for example deceptively "
            "aligned ones, would produce identical outputs",
        ),
        SourceRef(
            POST,
            "S19",
            "to the extent that base models do expect a given token to be equally likely given "
            "aligned and misaligned motives, this mechanism is another guard against this creating "
            "problems in practice",
        ),
        SourceRef(
            POST,
            "S20",
            "those circuits are statistically more likely to be reinforced by gradient "
            "descent as well",
        ),
    ),
    statement=(
        "Under policy-gradient RL on prompts that activate circuit A only, the behaviour A drives "
        "is reinforced more than the identical behaviour its inactive twin D would drive, and more "
        "than D's own behaviour, each measured against a control prompt; neurons active on the "
        "training prompts are more likely than inactive ones to be pushed towards the rewarded "
        "behaviour."
    ),
    grids=(
        Grid(
            COMPARATIVE_GRID,
            "S13, S14, S19: the active circuit's behaviour is reinforced more than its inactive "
            "twin's (controlled log-odds, signed)",
            ("activation", "optimizer"),
        ),
        Grid(
            MOTIVE_GRID,
            "S14: the motive involved is upweighted more than the non-active one's own behaviour",
            ("activation", "optimizer"),
        ),
        Grid(
            SIGNED_SET_GRID,
            "S20: a neuron active on the training prompts is more likely than an inactive one to "
            "be pushed towards the rewarded behaviour",
            ("activation", "optimizer"),
        ),
        Grid(
            BEHAVIOUR_GRID,
            "S13-S14 with a floor: the inactive twin's behaviour moves less than half as much as "
            "the active circuit's, and not materially the other way",
            ("activation", "optimizer"),
        ),
        Grid(
            OWN_UNTOUCHED_GRID,
            "S14 read as untouched: D's own behaviour moves less than a tenth of A's "
            "reinforcement, either way",
            ("activation", "optimizer"),
        ),
        Grid(
            ACTIVE_SET_GRID,
            "S20 read as update size: a neuron active on the training prompts gets a larger "
            "incoming update than an inactive one",
            ("activation", "optimizer"),
        ),
    ),
    propositions=(
        *(_comparative_cell(a, o) for a in ASSERTED_ACTIVATIONS for o in ASSERTED_OPTIMIZERS),
        _transformer_comparative(),
        *(_motive_cell(a, o) for a in ASSERTED_ACTIVATIONS for o in ASSERTED_OPTIMIZERS),
        *(
            _set_cell(a, o, signed=True)
            for a in RANDOM_POLICY_ACTIVATIONS
            for o in RANDOM_POLICY_OPTIMIZERS
        ),
        *(_behaviour_cell(a, o) for a in ACTIVATIONS for o in OPTIMIZERS),
        *(_own_untouched_cell(a, o) for a in ASSERTED_ACTIVATIONS for o in ASSERTED_OPTIMIZERS),
        _transformer("relu", "ReLU MLPs"),
        _transformer("swiglu", "SwiGLU MLPs"),
        *(
            _set_cell(a, o, signed=False)
            for a in RANDOM_POLICY_ACTIVATIONS
            for o in RANDOM_POLICY_OPTIMIZERS
        ),
        Proposition(
            id=f"{ID}/shared-readout-behaviour-untouched",
            statement=(
                "ReLU and ReGLU with SGD, SGD+momentum and Adam, shared readout: D's triggered "
                "behaviour is exactly unchanged (behaviour ratio 0 on every seed)"
            ),
            scope=_scope(
                TWIN + "; shared readout",
                activation="ReLU, ReGLU",
                optimizer="SGD, SGD+momentum, Adam",
            ),
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale=(
                "S04: D's own weights are untouched, but the downstream weights it shares with A "
                "are reinforced, so D's behaviour rides along."
            ),
            formalizes=("S14",),
            registration=AUDIT_42FB02F,
            key=Key(
                "D's triggered behaviour rides along at up to {max_mean_behaviour_ratio:.3f} of A's"
            ),
        ),
        Proposition(
            id=f"{ID}/twin-outputs-identical",
            statement=(
                "At initialisation, for every seed, activation and readout of the factorial, the "
                "logits computed with only A's neurons on an ordinary prompt equal, bit for bit, "
                "those computed with only D's neurons on a trigger prompt"
            ),
            scope=_scope(TWIN, dtype="float64"),
            role=Role.LEMMA,
            expected=Finding.HOLDS,
            rationale=(
                "The premise of S14's 'would produce identical outputs' and of S19's 'equally "
                "likely given aligned and misaligned motives', built exactly rather than assumed."
            ),
            registration=AUDIT_42FB02F,
            key=Key("seed × activation × readout cells compared bit for bit: {cells_compared}"),
        ),
    ),
    notes=(
        "Behaviour: the whole policy's log-odds of an action on a noiseless prompt that switches "
        "one circuit on, against the same on a plain prompt that switches neither on; the "
        "circuit-alone logit of 42fb02f (the band) is kept as a beyond reading.",
        "D pushed the other way (E_D < 0) supports S13-S14: the active circuit is reinforced "
        "disproportionately. It refutes the mechanism S11 (D's plasticity is not clipped), which "
        "inactive-circuit-not-reinforced decides.",
        "S19's 'in practice' is about language models trained by RL; these toys show the "
        "mechanism, not the practice.",
    ),
)
