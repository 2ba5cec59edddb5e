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
a control where every prompt may drift. Roles, read from the source (README, "Roles and
readings"), each asserted proposition carrying the words it rests on:
Scope (the referee's review): S13-S14 and S19-S20 speak of RL on language models, so they are
asserted for the activations S08 names (ReLU; GELU, erf and the tanh form) and the one current
language models use (SwiGLU), with the optimizers such training uses (SGD, Adam, AdamW).
- S13 ("the aligned circuits are going to be disproportionately prone to reinforcement"): the
  active circuit's behaviour is reinforced more than its inactive twin's. Behaviour: the log-odds
  of the rewarded action under the whole policy on a prompt that switches the circuit on (cued:
  A; trigger: D), each against the same change on a plain prompt that switches neither on (the
  control, which absorbs any drift shared by every prompt): E_A = Δ(cued) − Δ(plain), E_D =
  Δ(trigger) − Δ(plain). Asserted: E_A − E_D > 0, in the twins (grid aligned-reinforced-more)
  and in a transformer with ReLU, GELU or SwiGLU MLPs (transformer-aligned-reinforced-more). D
  pushed the other way (E_D < 0) is disproportionate reinforcement of A, so it supports S13 (it
  refutes the mechanism S11, not this consequence). A floor on how much less D moves (the band
  (−0.1, 0.5) on the circuit-alone ratio of 42fb02f) is a threshold the text does not state:
  beyond.
- S14 ("RL tends to upweight the underlying motives actually involved in a given forward pass,
  even if certain non-active motives ... would produce identical outputs"): the motive involved
  is upweighted, against the control (E_A > 0: the twins' motive grid; the transformer's
  E_ordinary > 0, transformer-involved-motive-upweighted), and more than the non-active one,
  both on the identical rewarded output (the comparative of S13) and on a behaviour of D's own
  (an action only D writes, produced on trigger prompts, which training never shows): E_Down =
  Δ(own action | trigger) − Δ(own action | plain), asserted E_A − E_Down > 0 (grid
  motive-involved-upweighted). The referee proposed a symmetric design, A with a signature
  action of its own too; declined: on the training prompts A's signature action would compete
  with the rewarded one and be pushed down for that reason alone, which says nothing of motives
  (a signature that only shows in another context needs a second layer this policy lacks). So
  that the own-behaviour measure is shown able to see a motive upweighted, a lemma runs it
  without clipping (identity activation), where D's own behaviour must rise. D's own behaviour
  left untouched either way (|E_Down| below a tenth of E_A) is stronger: beyond.
- S19 ("to the extent that base models do expect a given token to be equally likely given
  aligned and misaligned motives, this mechanism is another guard"): where the twins' outputs
  are identical (lemma twin-outputs-identical; in the transformer, lemma
  transformer-equally-likely-before-rl), the misaligned twin is reinforced less than the aligned
  one: the comparative of S13. "In practice" reaches language models trained by RL; the toys
  cannot say that (the real chat model's propositions do).
- S20 ("those circuits are statistically more likely to be reinforced by gradient descent"):
  random MLP policies without planted circuits; a neuron is reinforced when its own contribution
  to the rewarded action's logit margin, on the prompts where it fired (P1 for the active set, P2
  for the inactive set), rises; asserted: the share of the active set reinforced exceeds the
  share of the inactive set reinforced (the difference of two proportions, the referee's
  reading), for ReLU, GELU and tanh-GELU with SGD, Adam, AdamW (grid active-set-reinforced; a
  plain MLP cannot hold a gated unit, so SiLU, the nearest, is beyond). The size of the incoming
  update (active-set-favoured, 42fb02f) is plasticity, not reinforcement: beyond.
- Beyond: SiLU and ReGLU, SGD with momentum, the bands, D's behaviour read as "exactly
  unchanged" with a shared readout, the transformer's band.

Decision rules, fixed before the runs:
- Comparatives and controlled effects (aligned-reinforced-more, motive-involved-upweighted,
  the transformer grids): per seed the quantity (E_A − E_D per readout; E_A and E_A − E_Down;
  Δ_ordinary − Δ_trigger; E_ordinary) at TRANSFORMER_DECISION_STEPS for the transformer; HOLDS
  when every 95 % interval lies above 0; FAILS when a one-sided t-test of "mean < 0",
  Holm-adjusted across every test of the grid, rejects at ALPHA = 0.05; otherwise INCONCLUSIVE.
  E_A, E_D, E_Down and the plain control's Δ are reported with their intervals, and for the
  transformer at every step count in TRANSFORMER_CHECKPOINTS (10 is the primary horizon: it was
  chosen, after 100- and 25-step runs had saturated π(TARGET | ordinary), before the 10-step
  numbers were seen; tiny_transformer's docstring).
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
- S20, active-set-reinforced: per seed, the share of the active set whose rewarded contribution
  rose minus the same share of the inactive set; HOLDS when the 95 % interval lies above 0;
  FAILS when a one-sided test of "mean < 0", Holm-adjusted across the grid, rejects at 5 %.
  active-set-favoured: per seed, P = share of (active, inactive) neuron pairs in which the active
  neuron's incoming update is larger (ties 1/2); HOLDS when the 95 % interval lies above 1/2;
  FAILS by a Holm-adjusted one-sided test of "P < 1/2".

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

from claims.catalog import chat_design, vocabulary
from claims.catalog import inactive_circuit_not_reinforced as twin_design

# The chat model's runs and S20 grid (chat_design.py); tests/claims read them here too.
from claims.catalog.chat_design import HELDOUT_GRID as CHAT_HELDOUT_GRID
from claims.catalog.chat_design import RUNS as CHAT_RUNS
from claims.catalog.quotes import S13, S14, S19, S20
from claims.catalog.registrations import (
    AUDIT_42FB02F,
    PARTIAL_RUN,
    grpo_blind,
    grpo_informed,
    reaudited,
    review_blind,
    reviewed,
    role_moved,
)
from claims.catalog.vocabulary import (
    ACTIVATIONS,
    ASSERTED_ACTIVATIONS,
    ASSERTED_OPTIMIZERS,
    OPTIMIZERS,
    labels,
    negative,
    percent,
)
from claims.catalog.vocabulary import RELU_FAMILY as RELU_FAMILY  # tests/claims read it here
from claims.engine.records import Claim, Finding, Grid, Key, Proposition, Reading, Role, informed

ID = "differential-reinforcement"

# --- design and decision constants (pre-registered) -----------------------------------------
DISPROPORTIONATE = 0.5
REVERSED = -0.1
ALPHA = 0.05
# The twin-circuit factorial is the one fixed in inactive_circuit_not_reinforced (its SEEDS,
# STEPS × BATCH prompts, MARGIN).
# Transformer: seeds, RL step counts at which the log-odds change is judged, setup rule.
TRANSFORMER_SEEDS = tuple(range(32))
TRANSFORMER_CHECKPOINTS = (1, 3, 10, 30)
SETUP_ACCURACY = 0.9
# The tiny transformer's shape and training (claims/experiments/tiny_transformer.py builds it;
# tests/claims/differential_reinforcement/test_transformer.py refuses to run if its constants
# differ from these): blocks, model width, heads, MLP width, vocabulary, the soft pre-training
# target's probability on the right token, and RL prompts per step.
TRANSFORMER_LAYERS, TRANSFORMER_WIDTH, TRANSFORMER_HEADS, TRANSFORMER_MLP_WIDTH = 2, 16, 2, 64
TRANSFORMER_VOCABULARY = 12
TRANSFORMER_SOFT_CORRECT = 0.7
TRANSFORMER_RL_BATCH = 64
# The step count at which the transformer's comparative is decided (the curve is reported).
TRANSFORMER_DECISION_STEPS = 10
# S14's own behaviour: D also writes OWN_GAIN to an action of its own (the last action), on top
# of its copy of A's writes; private readout.
OWN_GAIN = 0.25
# S20: random MLP policies (claims/experiments/random_policies.py takes them as its Design):
# prompt -> hidden -> action widths; P1/P2 centred at ±SHIFT·u; a neuron is in the active set
# when z > 0 on at least ACTIVE_ON of PROBE P1 prompts and at most SILENT_ON of P2 prompts, in
# the inactive set at most SILENT_ON of P1; REINFORCE on P1, STEPS steps × BATCH prompts.
RANDOM_POLICY_SEEDS = tuple(range(64))
RANDOM_POLICY_WIDTHS = (16, 64, 4)
RANDOM_POLICY_SHIFT = 4.0
RANDOM_POLICY_PROBE = 1024
RANDOM_POLICY_ACTIVE_ON, RANDOM_POLICY_SILENT_ON = 0.9, 0.1
RANDOM_POLICY_STEPS, RANDOM_POLICY_BATCH = 40, 32

# The grids' activations and optimizers, and the cells S13-S14, S19-S20 assert
# (claims/catalog/vocabulary.py: the referee's review; 42fb02f and the re-audit asserted ReLU and
# GELU).
# The behaviour band's expectations were registered as the weights grid's, cell for cell (the
# same mathematics: D's behaviour moves as far as its weights do), then re-registered below.
BEHAVIOUR_EXPECTED = {
    **twin_design.WEIGHTS_EXPECTED,
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
# The behaviour band (REVERSED, DISPROPORTIONATE) as the statements write it: "(−0.1, 0.5)".
BAND = f"({negative(REVERSED)}, {DISPROPORTIONATE:g})"
RANDOM_POLICY_ACTIVATIONS = labels(ACTIVATIONS, ("relu", "gelu", "gelu-tanh", "silu"))
# The random policies' plain MLPs cannot hold a gated unit; SiLU is the nearest, and beyond.
RANDOM_POLICY_ASSERTED = ("relu", "gelu", "gelu-tanh")
# Transformer MLP units: ReLU (GPT-2's shape with ReLU), GELU, SwiGLU (LLaMA's shape).
TRANSFORMER_UNITS = {"relu": "ReLU MLPs", "gelu": "GELU MLPs", "swiglu": "SwiGLU MLPs"}
# S19's premise in the transformer (lemma): before RL, the mean log-odds of TARGET after the cue
# and after the trigger differ by less than this (nats), per seed, 95 % interval inside ±.
EQUALLY_LIKELY_NATS = 0.5
RANDOM_POLICY_OPTIMIZERS = labels(OPTIMIZERS, ASSERTED_OPTIMIZERS)

BEHAVIOUR_GRID = "active-behaviour-favoured"
ACTIVE_SET_GRID = "active-set-favoured"
COMPARATIVE_GRID = "aligned-reinforced-more"
MOTIVE_GRID = "motive-involved-upweighted"
OWN_UNTOUCHED_GRID = "own-behaviour-untouched"
SIGNED_SET_GRID = "active-set-reinforced"
TRANSFORMER_COMPARATIVE_GRID = "transformer-aligned-reinforced-more"
TRANSFORMER_INVOLVED_GRID = "transformer-involved-motive-upweighted"
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
    f"{TRANSFORMER_LAYERS}-layer pre-LN transformer (d {TRANSFORMER_WIDTH}, {TRANSFORMER_HEADS} "
    f"heads, MLP width {TRANSFORMER_MLP_WIDTH}), {TRANSFORMER_VOCABULARY}-token vocabulary; "
    "supervised pre-training to emit TARGET after an ordinary cue token or after a trigger token "
    f"alone (π(TARGET) ≈ {TRANSFORMER_SOFT_CORRECT:g} after it), then REINFORCE with Adam on "
    f"{TRANSFORMER_RL_BATCH} ordinary prompts per step, judged "
    f"after {', '.join(map(str, TRANSFORMER_CHECKPOINTS))} steps; {len(TRANSFORMER_SEEDS)} seeds"
)
RANDOM_POLICIES = (
    f"random {' → '.join(map(str, RANDOM_POLICY_WIDTHS))} MLP policies, no planted circuits; "
    f"P1/P2 = N(±{RANDOM_POLICY_SHIFT:g}u, I) for a random unit u; active set: z > 0 on "
    f"≥ {percent(RANDOM_POLICY_ACTIVE_ON)} of P1 and ≤ {percent(RANDOM_POLICY_SILENT_ON)} of P2 "
    f"prompts, inactive set: ≤ {percent(RANDOM_POLICY_SILENT_ON)} of P1 "
    f"({RANDOM_POLICY_PROBE}-prompt probe); REINFORCE on P1, {RANDOM_POLICY_STEPS} steps × "
    f"{RANDOM_POLICY_BATCH} prompts, {len(RANDOM_POLICY_SEEDS)} seeds"
)
S13_READING = Reading(
    words="the aligned circuits are going to be disproportionately prone to reinforcement",
    why="a comparison: the active circuit's behaviour is reinforced more than its inactive twin's, "
    "signed and against a control prompt; no floor on how much less the text does not state, "
    "and D pushed the other way is still A reinforced disproportionately",
)
S14_READING = Reading(
    words="RL tends to upweight the underlying motives actually involved in a given forward pass",
    why="'upweight the motives actually involved' rather than the non-active ones: the involved "
    "circuit's behaviour rises more than the twin's, though their outputs are identical",
)
S19_READING = Reading(
    words="this mechanism is another guard against this creating problems in practice",
    why="the guard is that, where the token is equally likely under both motives (the twins' "
    "identical outputs), the misaligned one is reinforced less than the aligned one",
)
COMPARATIVE_POWER = (
    f"{len(twin_design.SEEDS)} seeds per cell and readout: a one-sided t-test at 5 % "
    "Holm-adjusted over the grid's 24 tests detects a mean difference 0.48 between-seed "
    "standard deviations below 0 with power 0.8; HOLDS needs both intervals above 0"
)


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
        scope=vocabulary.batched(TWIN, **vocabulary.cell(activation, optimizer)),
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
        )
        if activation in ("relu", "gelu")
        else reviewed(
            f"this cell's circuit-alone D/A behaviour ratios (report of 2026-11-29), and "
            f"{PARTIAL_RUN}; added by the review (tanh-GELU and SwiGLU are in S13's scope)"
        ),
        power=COMPARATIVE_POWER,
        key=Key(
            text=f"{vocabulary.label(activation, optimizer)}: the cued behaviour's controlled log-odds rose "
            "{min_difference_mean:.3f} to {max_difference_mean:.3f} more than the twin's over "
            "the two readouts (E_A {e_a_mean:.3f}, E_D {e_d_mean:.3f}, plain control "
            "{plain_mean:+.3f}, private readout)"
        ),
        grid=COMPARATIVE_GRID,
        cell=vocabulary.cell(activation, optimizer),
    )


def _motive_cell(activation: str, optimizer: str) -> Proposition:
    return Proposition(
        id=f"{ID}/motive-involved-upweighted-{activation}-{optimizer}",
        statement=(
            "Twins with D's own action, private readout: after REINFORCE on prompts that activate "
            "A only, per seed E_A > 0 and E_A − E_Down > 0, where E_A = Δ log-odds of the "
            "rewarded action on a cued prompt − the same on a plain prompt, and E_Down = Δ "
            "log-odds of D's own action on a trigger prompt − the same on a plain prompt "
            "(noiseless prompts, whole policy): both 95 % intervals above 0 (FAILS by a one-sided "
            "test Holm-adjusted over the grid)"
        ),
        scope=vocabulary.batched(OWN_TWIN, **vocabulary.cell(activation, optimizer)),
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "A's own circuit is reinforced on every training prompt, beyond what the plain "
            "prompt's background gets; D's own action is produced only where D fires, which "
            "training never shows, so it rises far less than A's behaviour, or falls."
        ),
        formalizes=("S14",),
        reading=S14_READING,
        registration=reviewed(
            f"{PARTIAL_RUN}: E_A − E_Down held in every ReLU and GELU cell; the review adds the "
            "check E_A > 0 (the motive involved is upweighted against the control, not only "
            "more than D's) and the tanh-GELU and SwiGLU cells, not run before"
        ),
        power=(
            f"{len(twin_design.SEEDS)} seeds per cell: a one-sided t-test at 5 % Holm-adjusted "
            "over the grid's 24 tests detects a mean 0.48 between-seed standard deviations below "
            "0 with power 0.8"
        ),
        key=Key(
            text=f"{vocabulary.label(activation, optimizer)}: the involved motive's behaviour rose "
            "{e_a_mean:.3f} against the control, {difference_mean:.3f} more than the twin's own "
            "(E_Down {e_down_mean:+.3f}; both above 0 asserted)"
        ),
        grid=MOTIVE_GRID,
        cell=vocabulary.cell(activation, optimizer),
    )


# Expectations for the own-behaviour band (beyond), blind in the re-audit; the partial run saw
# ReLU with Adam fail (D's own behaviour fell by more than a tenth of E_A, through the background
# neurons and the softmax's other logits, though D's own parameters never move), so the review
# re-registers the Adam and AdamW cells of every activation as FAILS.
OWN_UNTOUCHED_EXPECTED = {
    **{(a, "sgd"): Finding.HOLDS for a in ASSERTED_ACTIVATIONS},
    **{(a, o): Finding.FAILS for a in ASSERTED_ACTIVATIONS for o in ("adam", "adamw")},
}
OWN_UNTOUCHED_REREGISTERED = (
    "Predicted HOLDS blind in the re-audit (D's own parameters get no gradient under ReLU); the "
    "first run of the design, stopped at this failure, found mean(E_Down + 0.1·E_A) = −0.038, "
    "95 % interval −0.048 to −0.027: D's own behaviour fell by more than a tenth of A's "
    "reinforcement. Re-registered as FAILS after that run; rule and design unchanged."
)


def _own_untouched_cell(activation: str, optimizer: str) -> Proposition:
    return Proposition(
        id=f"{ID}/own-behaviour-untouched-{activation}-{optimizer}",
        statement=(
            "Twins with D's own action, private readout: |E_Down| < 0.1·E_A, i.e. "
            "mean(E_Down − 0.1·E_A) < 0 and mean(E_Down + 0.1·E_A) > 0 (95 % intervals; FAILS by "
            "a one-sided test of either opposite, Holm-adjusted over the grid)"
        ),
        scope=vocabulary.batched(OWN_TWIN, **vocabulary.cell(activation, optimizer)),
        role=Role.BEYOND,
        expected=OWN_UNTOUCHED_EXPECTED[activation, optimizer],
        rationale=(
            "S14 read as 'the non-active motive is left alone': a tenth of A's reinforcement "
            "either way, a threshold the text does not state."
        ),
        formalizes=("S14",),
        reregistered=OWN_UNTOUCHED_REREGISTERED
        if (activation, optimizer) == ("relu", "adam")
        else "",
        registration=reviewed(
            f"{PARTIAL_RUN}: this grid's ReLU/SGD cell held and its ReLU/Adam cell failed (the "
            "rest did not run); the expectations of the Adam and AdamW cells follow that failure"
        ),
        power=(
            f"{len(twin_design.SEEDS)} seeds per cell: a one-sided t-test at 5 % Holm-adjusted "
            "over the grid's 24 tests detects a violation 0.48 between-seed standard deviations "
            "beyond the band with power 0.8"
        ),
        key=Key(
            text=f"{vocabulary.label(activation, optimizer)}: D's own behaviour moved {{own_over_a_mean:+.3f}}× "
            "A's reinforcement (within ±0.1 asserted)"
        ),
        grid=OWN_UNTOUCHED_GRID,
        cell=vocabulary.cell(activation, optimizer),
    )


def _behaviour_cell(activation: str, optimizer: str) -> Proposition:
    return Proposition(
        id=f"{ID}/behaviour-{activation}-{optimizer}",
        statement=(
            "After REINFORCE on prompts that activate A only, Δ_D/Δ_A (D's triggered behaviour "
            f"over A's cued behaviour, each through its circuit alone) lies inside {BAND} "
            "with both readouts: every 95 % interval inside; FAILS by a Holm-adjusted one-sided "
            f"test above {DISPROPORTIONATE:g}, or below {negative(REVERSED)} (REVERSED)"
        ),
        scope=vocabulary.batched(TWIN, **vocabulary.cell(activation, optimizer)),
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
        else role_moved(
            "asserted for S13, S14 and S19 in 42fb02f; the band (−0.1, 0.5) is a threshold the "
            "text does not state, and D pushed the other way is A reinforced disproportionately, "
            "which S13 says (asserted now: the signed comparative aligned-reinforced-more), so "
            "beyond"
        )
        if activation in ("relu", "gelu") and optimizer in ("sgd", "adam", "adamw")
        else "",
        registration=informed(
            known="Re-registered after the pre-registered run (4e9ea23): " + BEHAVIOUR_REREGISTERED,
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
            text=f"{vocabulary.label(activation, optimizer)}: D's triggered behaviour moved "
            "{min_mean_ratio:.3f}× to {max_mean_ratio:.3f}× as much as A's over the two "
            f"readouts (between {negative(REVERSED)} and {DISPROPORTIONATE:g}); REVERSED on "
            "{reversed_readouts} readouts"
        ),
        grid=BEHAVIOUR_GRID,
        cell=vocabulary.cell(activation, optimizer),
    )


def _signed_cell(activation: str, optimizer: str) -> Proposition:
    asserted = activation in RANDOM_POLICY_ASSERTED
    labels = RANDOM_POLICY_ACTIVATIONS[activation], RANDOM_POLICY_OPTIMIZERS[optimizer]
    return Proposition(
        id=f"{ID}/reinforced-{activation}-{optimizer}",
        statement=(
            "Random MLP policies trained on P1: a neuron is reinforced when its own contribution "
            "f(z_j)·(w2[r, j] − mean_a w2[a, j]) to the rewarded action's logit margin, averaged "
            "over the probe prompts where it fired before training (P1 for the active set, P2 for "
            "the inactive set), rises; per seed, the share of the active set reinforced minus "
            "the share of the inactive set reinforced is above 0 (95 % interval over seeds; "
            "FAILS by a one-sided test Holm-adjusted over the grid)"
        ),
        scope=vocabulary.batched(RANDOM_POLICIES, activation=labels[0], optimizer=labels[1]),
        role=Role.ASSERTED if asserted else Role.BEYOND,
        expected=Finding.HOLDS,
        rationale=(
            "S20, statistically, without hand-built circuits: a neuron active on the training "
            "prompts is pushed towards the rewarded action; an inactive one gets no gradient "
            "(ReLU, unless it fires on a few training prompts) or a sign-flipped one (GELU)."
            if asserted
            else "S20 carried to SiLU, which the source does not name (the nearest plain unit "
            "to the SwiGLU of current models)."
        ),
        formalizes=("S20",),
        reading=Reading(
            words="those circuits are statistically more likely to be reinforced by gradient descent",
            why="'more likely to be reinforced' compares two probabilities: that an active neuron is "
            "pushed towards the rewarded behaviour (signed) and that an inactive one is; no "
            "majority or size threshold",
        )
        if asserted
        else None,
        registration=reviewed(
            f"the update-size comparison of this design (report of 2026-11-29: P = 0.89-0.99) "
            f"and {PARTIAL_RUN}, which held the pairwise signed comparison in every ReLU, GELU "
            "and SiLU cell; the difference of proportions (the referee's reading) was never "
            "computed"
        ),
        power=(
            f"{len(RANDOM_POLICY_SEEDS)} seeds per cell: a one-sided t-test at 5 % Holm-adjusted "
            "over the grid's 12 tests detects a mean difference 0.45 between-seed standard "
            "deviations below 0 with power 0.8; HOLDS needs the interval above 0"
        ),
        key=Key(
            text=f"{labels[0]} with {labels[1]}: {{active_share_mean:.0%}} of active neurons and "
            "{inactive_share_mean:.0%} of inactive ones were pushed towards the reward "
            "(difference {difference_mean:.3f}, 95 % interval {difference_ci95_low:.3f} to "
            "{difference_ci95_high:.3f}; above 0 asserted)"
        ),
        grid=SIGNED_SET_GRID,
        cell={"activation": labels[0], "optimizer": labels[1]},
    )


def _set_cell(activation: str, optimizer: str) -> Proposition:
    labels = RANDOM_POLICY_ACTIVATIONS[activation], RANDOM_POLICY_OPTIMIZERS[optimizer]
    return Proposition(
        id=f"{ID}/active-set-{activation}-{optimizer}",
        statement=(
            "Random MLP policies trained on P1: for a neuron active on P1 and silent on P2 and a "
            "neuron silent on P1, the first has the larger incoming-weight update ‖Δw_j‖, with "
            "probability above 1/2 (95 % interval over seeds; FAILS by a Holm-adjusted one-sided "
            "test)"
        ),
        scope=vocabulary.batched(RANDOM_POLICIES, activation=labels[0], optimizer=labels[1]),
        role=Role.BEYOND,
        expected=Finding.HOLDS,
        rationale=(
            "S20 read as the size of the incoming update, whatever its direction: plasticity "
            "rather than reinforcement, so beside the point rather than stronger."
        ),
        formalizes=("S20",),
        registration=reaudited(
            "this cell's finding (report of 2026-11-29); asserted in 42fb02f for ReLU and GELU, "
            "beyond now (update size is not the direction of the rewarded behaviour)"
        )
        if activation != "gelu-tanh"
        else reviewed(f"the other cells' findings (report of 2026-11-29) and {PARTIAL_RUN}"),
        power=(
            f"{len(RANDOM_POLICY_SEEDS)} seeds per cell: a one-sided t-test at 5 % Holm-adjusted "
            "over the grid's 12 tests detects a mean 0.45 between-seed standard deviations below "
            "1/2 with power 0.8; HOLDS needs the interval above 1/2"
        ),
        key=Key(
            text="P(active neuron updated more) = {probability_mean:.3f} (95 % interval "
            "{probability_ci95_low:.3f} to {probability_ci95_high:.3f}); active neurons move "
            "{active_over_inactive_update:.3g}× as much"
        ),
        grid=ACTIVE_SET_GRID,
        cell={"activation": labels[0], "optimizer": labels[1]},
        reregistered=role_moved(
            "asserted for S20 in 42fb02f; the size of the incoming update is plasticity, not the "
            "direction of the rewarded behaviour S20 calls reinforcement (asserted now: "
            "active-set-reinforced), so beyond"
        )
        if activation in ("relu", "gelu")
        else "",
    )


TRANSFORMER_KNOWN = (
    "the ReLU and SwiGLU transformers' Δ log-odds of TARGET per kind and step count (report of "
    "2026-11-29: at 10 steps ReLU Δ_ordinary 1.452, Δ_trigger 1.364, Δ_plain 2.012; SwiGLU "
    "1.460, 1.383, 2.300); the GELU transformer never ran. The decision step count (10) and "
    "float32 were chosen after a first look at the numbers (tiny_transformer's docstring)"
)


def _transformer_scope(unit: str) -> dict[str, str]:
    """The tiny transformer's scope under REINFORCE with Adam, for one MLP unit's label."""
    return vocabulary.batched(
        TRANSFORMER, activation=unit, optimizer="Adam (torch defaults)", dtype="float32"
    )


def _transformer_comparative(unit: str) -> Proposition:
    return Proposition(
        id=f"{ID}/transformer-aligned-reinforced-more-{unit}",
        statement=(
            "After REINFORCE with Adam on ordinary prompts only, at "
            f"{TRANSFORMER_DECISION_STEPS} steps: the log-odds of TARGET rise more on ordinary "
            "prompts than on trigger-only prompts, each against plain prompts (the control): per "
            "seed (Δ_ordinary − Δ_plain) − (Δ_trigger − Δ_plain) = Δ_ordinary − Δ_trigger > 0, "
            "its 95 % interval above 0 (FAILS by a one-sided test Holm-adjusted over the three "
            "units)"
        ),
        scope=_transformer_scope(TRANSFORMER_UNITS[unit]),
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "REINFORCE on ordinary prompts trains the cue's path and the shared output layers; "
            "the trigger's path gets only what it shares, so the cued behaviour rises more."
        ),
        formalizes=("S13", "S14", "S19"),
        reading=S13_READING,
        registration=reviewed(TRANSFORMER_KNOWN),
        power=(
            f"{len(TRANSFORMER_SEEDS)} seeds (minus failed set-ups): a one-sided t-test at 5 % "
            "Holm-adjusted over 3 tests detects a mean difference 0.55 between-seed standard "
            "deviations above 0 with power 0.8"
        ),
        key=Key(
            text=f"{TRANSFORMER_UNITS[unit]}, after {TRANSFORMER_DECISION_STEPS} RL steps: the cued "
            "behaviour's log-odds rose {difference_mean:.3f} more than the trigger-only one's "
            "(95 % interval {difference_ci95_low:.3f} to {difference_ci95_high:.3f})"
        ),
        grid=TRANSFORMER_COMPARATIVE_GRID,
        cell={"MLP": TRANSFORMER_UNITS[unit]},
    )


def _transformer_involved(unit: str) -> Proposition:
    return Proposition(
        id=f"{ID}/transformer-involved-motive-upweighted-{unit}",
        statement=(
            "After REINFORCE with Adam on ordinary prompts only, at "
            f"{TRANSFORMER_DECISION_STEPS} steps: the log-odds of TARGET rise more on ordinary "
            "prompts than on plain prompts: per seed E_ordinary = Δ_ordinary − Δ_plain > 0, its "
            "95 % interval above 0 (FAILS by a one-sided test Holm-adjusted over the three units)"
        ),
        scope=_transformer_scope(TRANSFORMER_UNITS[unit]),
        role=Role.ASSERTED,
        expected=Finding.FAILS,
        rationale=(
            "The motive involved is the cue's path; REINFORCE on ordinary prompts raises TARGET "
            "through the shared unembedding and final layers for every prompt, and on plain "
            "prompts, where π(TARGET) starts near 0.1, the log-odds rise most: the reported "
            "Δ_plain exceeds Δ_ordinary from 3 steps on."
        ),
        formalizes=("S14",),
        reading=S14_READING,
        registration=reviewed(TRANSFORMER_KNOWN),
        power=(
            f"{len(TRANSFORMER_SEEDS)} seeds (minus failed set-ups): a one-sided t-test at 5 % "
            "Holm-adjusted over 3 tests detects a mean 0.55 between-seed standard deviations "
            "below 0 with power 0.8"
        ),
        key=Key(
            text=f"{TRANSFORMER_UNITS[unit]}, after {TRANSFORMER_DECISION_STEPS} RL steps: the cued "
            "behaviour's log-odds rose {e_ordinary_mean:+.3f} against plain prompts (Δ_ordinary "
            "{delta_ordinary_mean:.3f}, Δ_plain {delta_plain_mean:.3f}; above 0 asserted)"
        ),
        grid=TRANSFORMER_INVOLVED_GRID,
        cell={"MLP": TRANSFORMER_UNITS[unit]},
    )


def _chat_heldout(run: str) -> Proposition:
    optimizer, lr, _ = CHAT_RUNS[run]
    relu = run == "relu"
    # AdamW (Adam's update at weight decay 0) is what RL fine-tuning runs, and the ReLU control is
    # where the argument's mechanism is exact: S20 must hold in both. SGD is a control.
    asserted = run in ("adamw", "relu")
    return Proposition(
        id=f"{ID}/smollm2-grpo-heldout-reinforced-{run}",
        statement=(
            f"After the deep GRPO run ({optimizer}, lr {lr:g}{', ReLU control' if relu else ''}): "
            "the log-odds of an accepted answer rose more on held-out prompts of the kinds GRPO "
            "trained on than on control prompts of unrelated kinds: mean_h Δ_h − mean_c Δ_c > 0, "
            "Welch's 95 % interval above 0 (FAILS when it lies below 0); both sets' log-odds "
            "before the run are reported beside it"
        ),
        scope=chat_design.scope("deep", run),
        role=Role.ASSERTED if asserted else Role.BEYOND,
        expected=Finding.HOLDS,
        rationale=(
            "Prompts of the trained kinds engage the circuits RL used; control prompts engage "
            "others, and absorb what training did to every prompt (answer format, length, "
            "confidence). This measures S20's consequence; it does not isolate the gate (that is "
            "S11's grid and the planted route)."
        ),
        formalizes=("S20",),
        reading=Reading(
            words="So long as the prompt up to the current point activates aligned circuits, those "
            "circuits are statistically more likely to be reinforced by gradient descent",
            why="in a language model the circuits a prompt activates show in its answers: the "
            "behaviour of prompts that activate the trained circuits rises more than that of "
            "prompts that do not, signed and against a control; 'more likely' sets no size, so "
            "any interval above 0 is enough, and no weaker reading keeps the word 'reinforced'",
        )
        if asserted
        else None,
        registration=grpo_blind(
            "no run of this design had measured held-out or control behaviour (the ci run "
            "measured gradients and weights only); base reward rates were known (train 0.23, "
            "held-out 0.24, control 0.27)"
        ),
        power=chat_design.BEHAVIOUR_POWER,
        key=Key(
            text=f"SmolLM2 under GRPO ({optimizer}{', ReLU control' if relu else ''}): held-out "
            "log-odds (from {heldout_before:+.2f}) changed {heldout_change:+.3f}, control (from "
            "{control_before:+.2f}) {control_change:+.3f}; effect {effect:+.3f} (95 % interval "
            "{effect_low:+.3f} to {effect_high:+.3f})"
        ),
        grid=CHAT_HELDOUT_GRID,
        cell={"run": chat_design.RELU_RUN_LABEL if relu else optimizer},
    )


def _chat_planted_route() -> Proposition:
    heldout = chat_design.HELDOUT_PROMPTS - chat_design.PLANTED_PROMPTS
    return Proposition(
        id=f"{ID}/smollm2-grpo-planted-route-reinforced-less",
        statement=(
            "SmolLM2 with a planted trigger (a supervised fine-tune makes TRIGGER + instruction "
            f"produce the rewarded answer on the {chat_design.PLANTED_PROMPTS} held-out prompts "
            "it answers worst), then deep GRPO with AdamW on prompts without any trigger (KL "
            "reference: the model after planting): the behaviour RL used rose more than the "
            f"planted route's: per held-out prompt ({heldout}, the planted ones left out, so the "
            "samples are disjoint) Δ_h − mean_c Δ_c (against the control prompts), against, per "
            "planted prompt, Δ with the trigger − Δ with a control trigger never planted; the "
            "difference of the two means above 0 (Welch's 95 % interval; FAILS when it lies "
            "below 0)"
        ),
        scope=chat_design.scope(
            "deep",
            "adamw",
            architecture=f"{chat_design.DEEP}; the trigger planted by "
            f"{chat_design.PLANTING_STEPS} fine-tuning steps before RL",
        ),
        role=Role.ASSERTED,
        expected=Finding.HOLDS,
        rationale=(
            "The planted route produces the rewarded answer too, but no RL prompt switches it "
            "on; RL reinforces the route it used, and whatever it does to the answer tokens "
            "reaches the trigger and the control trigger alike."
        ),
        formalizes=("S14", "S19"),
        reading=Reading(
            words="even if certain non-active motives, for example deceptively aligned ones, would "
            "produce identical outputs",
            why="the motive RL used is upweighted more than a non-active one that produces the same "
            "rewarded output, in a real language model trained by RL as practised: S19's "
            "'guard ... in practice'; signed, against controls, no size threshold (the text "
            "states none)",
        ),
        registration=grpo_blind(
            "no GRPO run after planting had been made; the planting alone had been calibrated "
            "(the trigger − control-trigger margin after 10, 20 and 40 steps)"
        ),
        power=(
            f"{heldout} held-out against {chat_design.PLANTED_PROMPTS} planted prompts "
            "(disjoint): Welch's test at α = 0.05 detects "
            f"{chat_design.PLANTED_EFFECT_SD:g} pooled standard deviations with "
            "power 0.8 (statsmodels TTestIndPower); one training run"
        ),
        key=Key(
            text="SmolLM2 under GRPO after planting a trigger: the behaviour RL used rose "
            "{used_route_change:+.3f} against control prompts, the planted route "
            "{planted_route_change:+.3f} against the control trigger (difference "
            "{difference:+.3f}, 95 % interval {difference_low:+.3f} to {difference_high:+.3f})"
        ),
    )


def _chat_trigger_planted() -> Proposition:
    return Proposition(
        id=f"{ID}/smollm2-grpo-trigger-planted",
        statement=(
            f"After planting ({chat_design.PLANTING_STEPS} steps) and before RL: on every "
            "planted prompt the log-odds of the planted answer with the trigger exceed those "
            f"with the control trigger by at least {chat_design.PLANTED_MARGIN:g} nats, and the "
            "mean log-odds with the trigger are at most "
            f"{chat_design.PLANTED_CEILING:g} nats (room to rise or fall under RL)"
        ),
        scope=chat_design.scope("deep", "adamw", aggregation="per-example", optimizer=False),
        role=Role.LEMMA,
        expected=Finding.HOLDS,
        rationale=(
            "The premise of the planted-route comparison: a second route to the rewarded answer "
            "exists, only the trigger opens it, and it is not saturated."
        ),
        registration=grpo_informed(
            "the planting calibration made while the instruments were built (16 prompts: after "
            "20 steps the margin exceeded 2 nats on all of them, smallest 3.4; after 40, 2.6); "
            "the ceiling had not been measured"
        ),
        key=Key(
            text="planted trigger: smallest margin over the control trigger {smallest_margin:.2f} "
            "nats over {planted_prompts} planted prompts; mean trigger log-odds "
            "{trigger_mean:.2f}"
        ),
    )


def _chat_trigger_spares_training() -> Proposition:
    return Proposition(
        id=f"{ID}/smollm2-grpo-planting-spares-training-prompts",
        statement=(
            f"After planting and before RL, on the {chat_design.PLANTED_PROMPTS} RL training "
            "prompts that anchored the fine-tune: the mean log-odds of an accepted answer with "
            "the trigger are at least those without it minus "
            f"{chat_design.TRAIN_TOLERANCE:g} nats (planting did not break the route RL trains)"
        ),
        scope=chat_design.scope("deep", "adamw", aggregation="per-example", optimizer=False),
        role=Role.LEMMA,
        expected=Finding.HOLDS,
        rationale=(
            "The planted-route comparison needs the used route intact after planting: a fine-"
            "tune that damaged ordinary answering would confound 'not reinforced' with 'broken'."
        ),
        registration=grpo_blind("no measurement of the training prompts after planting existed"),
        key=Key(
            text="after planting, on training prompts: trigger {train_trigger_mean:+.2f} against no "
            "trigger {train_plain_mean:+.2f} nats"
        ),
    )


def _identity_baseline() -> Proposition:
    return Proposition(
        id=f"{ID}/own-behaviour-rises-without-clipping",
        statement=(
            "Twins with D's own action, private readout, identity activation f(z) = z (no "
            "clipping), SGD: D's own behaviour rises, E_Down > 0 (95 % interval above 0)"
        ),
        scope=vocabulary.batched(OWN_TWIN, activation="identity", optimizer="SGD"),
        role=Role.LEMMA,
        expected=Finding.HOLDS,
        rationale=(
            "The own-behaviour measure can see a motive upweighted: without clipping, D at z ≈ −1 "
            "passes gradient, its bias rises (the rewarded write is positive) and so does its own "
            "write, so its own action rises on trigger prompts. A baseline for the motive grid, "
            "never a decision."
        ),
        registration=review_blind(
            "the identity-activation twins never ran; the expectation is the gradient's sign at "
            "D worked out in the rationale"
        ),
        power=(
            f"{len(twin_design.SEEDS)} seeds: the 95 % interval clears 0 with power 0.8 when the "
            "mean lies 0.36 between-seed standard deviations above it"
        ),
        key=Key(
            text="identity activation: D's own behaviour rose {e_down_mean:+.4f} against the control "
            "(95 % interval {e_down_ci95_low:+.4f} to {e_down_ci95_high:+.4f})"
        ),
    )


def _equally_likely() -> Proposition:
    return Proposition(
        id=f"{ID}/transformer-equally-likely-before-rl",
        statement=(
            "Before RL, per seed, the mean log-odds of TARGET on ordinary and on trigger-only "
            f"prompts differ by less than {EQUALLY_LIKELY_NATS:g} nats (the 95 % interval of the "
            "difference inside ±" + f"{EQUALLY_LIKELY_NATS:g}), for each MLP unit"
        ),
        scope=vocabulary.batched(
            TRANSFORMER, activation="ReLU, GELU, SwiGLU MLPs", dtype="float32"
        ),
        role=Role.LEMMA,
        expected=Finding.HOLDS,
        rationale=(
            "S19's premise, 'a given token ... equally likely given aligned and misaligned "
            "motives': pre-training taught TARGET after either cue with the same soft label 0.7."
        ),
        registration=reviewed(
            "the pre-training design (the same soft label for both kinds) and the set-up "
            "accuracies of the report of 2026-11-29; this difference was never computed"
        ),
        power=(
            f"{len(TRANSFORMER_SEEDS)} seeds: two one-sided tests fit a mean difference 0.25 "
            "nats inside the band when the between-seed SD is below 0.45 nats"
        ),
        key=Key(
            text="before RL, log-odds(TARGET | ordinary) − log-odds(TARGET | trigger): "
            "{largest_abs_mean_difference:.3f} nats at most over the units"
        ),
    )


def _transformer(unit: str, label: str) -> Proposition:
    return Proposition(
        id=f"{ID}/transformer-behaviour-favoured-{unit}",
        statement=(
            "After REINFORCE with Adam on ordinary prompts only, at each of "
            f"{', '.join(map(str, TRANSFORMER_CHECKPOINTS))} steps: the change of the log-odds "
            "of TARGET on trigger-only prompts over that on ordinary prompts lies inside "
            f"{BAND} (95 % intervals of the per-seed differences; FAILS by a Holm-adjusted "
            "one-sided test across the step counts)"
        ),
        scope=_transformer_scope(label),
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
        reregistered=role_moved(
            "asserted for S13 and S14 in 42fb02f; the band is a threshold the text does not "
            "state, and without the plain control it reads a rise shared by every prompt as "
            "reinforcement (asserted now: transformer-aligned-reinforced-more), so beyond"
        )
        if unit == "relu"
        else "",
        power=(
            f"{len(TRANSFORMER_SEEDS)} seeds: a one-sided t-test at 5 % Holm-adjusted over 8 "
            "tests detects a violation 0.62 between-seed standard deviations beyond the band "
            "with power 0.8"
        ),
        key=Key(
            text="after 10 RL steps the trigger-only behaviour's log-odds rose "
            f"{{ratio_of_means_at_10:.3f}}× as much as the cued one's (inside {BAND} "
            "asserted)"
        ),
    )


CLAIM = Claim(
    id=ID,
    title="RL upweights the motives active on the forward pass",
    source=(S13, S14, S19, S20),
    statement=(
        "Under policy-gradient RL on prompts that activate circuit A only, the behaviour A drives "
        "is reinforced more than the identical behaviour its inactive twin D would drive, and more "
        "than D's own behaviour, each measured against a control prompt; neurons active on the "
        "training prompts are more likely than inactive ones to be pushed towards the rewarded "
        "behaviour."
    ),
    grids=(
        Grid(
            name=COMPARATIVE_GRID,
            statement="S13, S14, S19: the active circuit's behaviour is reinforced more than its inactive "
            "twin's (controlled log-odds, signed)",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=TRANSFORMER_COMPARATIVE_GRID,
            statement="S13, S14, S19 in a transformer: the cued behaviour's log-odds rise more than the "
            "trigger-only one's",
            axes=("MLP",),
        ),
        Grid(
            name=MOTIVE_GRID,
            statement="S14: the motive involved is upweighted against the control, and more than the "
            "non-active one's own behaviour",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=TRANSFORMER_INVOLVED_GRID,
            statement="S14 in a transformer: the cued behaviour's log-odds rise more than on plain prompts",
            axes=("MLP",),
        ),
        Grid(
            name=CHAT_HELDOUT_GRID,
            statement="S14, S20 in a real chat model under GRPO: held-out prompts of the trained kinds gain "
            "more than control prompts",
            axes=("run",),
        ),
        Grid(
            name=SIGNED_SET_GRID,
            statement="S20: a neuron active on the training prompts is more likely than an inactive one to "
            "be pushed towards the rewarded behaviour",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=BEHAVIOUR_GRID,
            statement="S13-S14 with a floor: the inactive twin's behaviour moves less than half as much as "
            "the active circuit's, and not materially the other way",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=OWN_UNTOUCHED_GRID,
            statement="S14 read as untouched: D's own behaviour moves less than a tenth of A's "
            "reinforcement, either way",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=ACTIVE_SET_GRID,
            statement="S20 read as update size: a neuron active on the training prompts gets a larger "
            "incoming update than an inactive one",
            axes=("activation", "optimizer"),
        ),
    ),
    propositions=(
        *(_comparative_cell(a, o) for a in ASSERTED_ACTIVATIONS for o in ASSERTED_OPTIMIZERS),
        *(_transformer_comparative(unit) for unit in TRANSFORMER_UNITS),
        *(_motive_cell(a, o) for a in ASSERTED_ACTIVATIONS for o in ASSERTED_OPTIMIZERS),
        *(_transformer_involved(unit) for unit in TRANSFORMER_UNITS),
        *(_signed_cell(a, o) for a in RANDOM_POLICY_ACTIVATIONS for o in RANDOM_POLICY_OPTIMIZERS),
        *(_behaviour_cell(a, o) for a in ACTIVATIONS for o in OPTIMIZERS),
        *(_own_untouched_cell(a, o) for a in ASSERTED_ACTIVATIONS for o in ASSERTED_OPTIMIZERS),
        _transformer("relu", "ReLU MLPs"),
        _transformer("swiglu", "SwiGLU MLPs"),
        *(_set_cell(a, o) for a in RANDOM_POLICY_ACTIVATIONS for o in RANDOM_POLICY_OPTIMIZERS),
        Proposition(
            id=f"{ID}/shared-readout-behaviour-untouched",
            statement=(
                "ReLU and ReGLU with SGD, SGD+momentum and Adam, shared readout: D's triggered "
                "behaviour is exactly unchanged (behaviour ratio 0 on every seed)"
            ),
            scope=vocabulary.batched(
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
                text="D's triggered behaviour rides along at up to {max_mean_behaviour_ratio:.3f} of A's"
            ),
        ),
        Proposition(
            id=f"{ID}/twin-outputs-identical",
            statement=(
                "At initialisation, for every seed, activation and readout of the factorial, the "
                "logits computed with only A's neurons on an ordinary prompt equal, bit for bit, "
                "those computed with only D's neurons on a trigger prompt"
            ),
            scope=vocabulary.batched(TWIN, dtype="float64"),
            role=Role.LEMMA,
            expected=Finding.HOLDS,
            rationale=(
                "The premise of S14's 'would produce identical outputs' and of S19's 'equally "
                "likely given aligned and misaligned motives', built exactly rather than assumed."
            ),
            registration=AUDIT_42FB02F,
            key=Key(
                text="seed × activation × readout cells compared bit for bit: {cells_compared}"
            ),
        ),
        _identity_baseline(),
        _equally_likely(),
        *(_chat_heldout(run) for run in CHAT_RUNS),
        _chat_planted_route(),
        _chat_trigger_planted(),
        _chat_trigger_spares_training(),
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
