"""Claim: a circuit inactive on the forward pass is not reinforced; an active one is (S11-S12).

Pre-registered in commit 42fb02f (roles, expectations, thresholds, margins, seed and step
counts; claims/catalog/preregistered.json holds them; README, "Registration"); re-audited
under the weakest faithful reading in a later catalog-only commit (each proposition's
registration says which, and what was known; claims/catalog/registrations.py tells the history).
The real chat model under GRPO (claims/catalog/chat_design.py, the design three claims share)
was registered in its own catalog-only commit before its deep runs; the REINFORCE design of
c153905 left with its propositions. Re-registered after the first results:
dose-response-sgd-linear, from HOLDS to INCONCLUSIVE (4e9ea23), then by the re-audit to HOLDS
with the seeds that buy its minimum detectable effect (its note says why); real-margins-swiglu-sgd
after its grid's first run.

Tests: tests/claims/inactive_circuit_not_reinforced/. Design and measurements: claims/experiments/policies.py (the twin-circuit
policy), claims/experiments/reinforcement.py, claims/experiments/factorial.py, claims/experiments/schedules.py.

The mechanism half of the differential-reinforcement argument (the consequence, S13-S14 and
S19-S20, is the claim differential-reinforcement). Roles, read from the source (README, "Roles
and readings"):
- S11: "circuits that aren't active during a given forward pass ... will have the plasticity of
  some of their constituent neurons clipped to zero, effectively preventing some of those neurons
  from being reinforced by the gradient". The weakest faithful reading says it of SOME of the
  inactive circuit's neurons: D's least-moved neuron moves less than a tenth as much as A's
  neurons do ("effectively": the suite's NOT_REINFORCED = 0.1 since 42fb02f), with its incoming
  and its outgoing parameters alike. Asserted for the activations S08 names (ReLU exactly;
  "very nearly" GELU, erf and tanh form) and, since the passage is about RL on language models,
  for the one such models use (SwiGLU) and the optimizers such training uses: SGD, Adam, AdamW.
  How deep below zero an inactive neuron sits decides how nearly a smooth activation clips it, so
  the smooth cells are asserted with each of D's neurons at a margin drawn from a real model's
  negative preactivations (grid inactive-weights-still-at-real-margins); ReLU's zero does not
  depend on the margin and is asserted in the factorial at margin 1 (grid inactive-weights-still),
  whose smooth cells, at the design's one hand-set margin next to GELU′'s zero, are beyond.
  "Reinforced by the gradient" excludes AdamW's decoupled weight decay, which shrinks every
  weight whatever the gradient; so for ReLU under AdamW the asserted statement is that D's neuron
  moves by the decay alone. Every neuron of D at every fixed margin (the margin sweep) is a
  stronger reading: beyond.
- S12: "for circuits that are active ... all of those neurons are going to be open to updates
  from the gradient": asserted in the same cells (active-circuit-updated).
- Beyond: tanh-GELU, SiLU and the gated units (not named by the source), SGD with momentum (not
  what RL on language models uses), every margin, partial activity, dose-response and
  carry-over (training dynamics the passage does not discuss), AdamW read as "exactly
  unchanged", and the real chat model (SmolLM2's SwiGLU, which the source does not name).

Design (fixed here, before the runs; shared with differential-reinforcement): the twin-circuit
policy of claims/experiments/policies.py — prompt (8 features) -> 16 hidden neurons (circuit A: 4, circuit D:
4, background: 8) -> 4 actions; A reads the ordinary feature (gain 2), D reads the trigger feature
(gain 2 + m) with bias −m, so on training prompts (no trigger) D sits at preactivation ≈ −m and
on a trigger prompt D's preactivation equals A's on an ordinary prompt; D's write columns are a
copy of A's, so the two circuits would produce identical outputs (lemma twin-outputs-identical in
differential-reinforcement). REINFORCE with a per-seed batch-mean baseline, STEPS × BATCH prompts,
SEEDS seeds per cell, private and shared readout, margin m = MARGIN. Every twin-circuit experiment
(factorial, margin sweep, partial activity, dose-response, carry-over) uses this design.

Decision rules, fixed before the runs:
- Weights (grid inactive-weights-still, re-audit): per seed and D neuron j, r_j = the larger of
  ‖Δθ_Dj,in‖ / mean_i ‖Δθ_Ai,in‖ (incoming: reads, bias, up rows) and the same for outgoing
  weights; the seed's ratio is min_j r_j, D's least-moved neuron. "Effectively not reinforced" =
  ratio below NOT_REINFORCED = 0.1. A statistical cell HOLDS when the upper end of both 95 %
  Student-t intervals (2 readouts) is below 0.1; it FAILS when a one-sided t-test of "mean ratio
  > 0.1", Holm-adjusted across every test of the grid (the family that decides the grid),
  rejects at ALPHA = 0.05; otherwise INCONCLUSIVE. The circuit-level ratios ‖Δθ_D‖ / ‖Δθ_A‖
  (42fb02f's statement) are reported beside it. The margin sweep keeps the circuit-level ratio
  (every neuron, every margin). Holm guards the FAILS side because a
  grid declares FAILS if any of its cells does; HOLDS needs every interval below the threshold
  (an intersection-union test), which needs no adjustment.
- ReLU-family cells are exact: some neuron of D has its parameters unchanged bit for bit (AdamW:
  equal to the decay alone) on every seed, with both readouts.
- Dose-response: equivalence with α = 1 within the margin DOSE_EQUIVALENCE (two one-sided tests
  at 5 %: HOLDS if the 90 % interval lies inside [0.8, 1.2]; FAILS if the 95 % interval lies
  wholly outside it; INCONCLUSIVE otherwise) — replacing "the interval contains 1", which
  rewarded noise.
Power: with a between-seed standard deviation of a ratio up to 0.2, the 95 % half-width is at
most 2.0 · 0.2 / √64 = 0.05, so a cell whose mean lies more than 0.05 from a threshold is decided;
in units of the between-seed standard deviation, a one-sided test at 5 % Holm-adjusted over the
grid's 32 tests detects a mean 0.49 SD beyond 0.1 with power 0.8 (t quantiles, 63 df).

Expectations, from the mathematics (S08 constants in gelu-near-equivalence): on training prompts
A sits at z ≈ 2 and D at z ≈ −m; under SGD the incoming ratio is about |f′(−m)|/f′(2) and the
outgoing one |f(−m)|/f(2): for GELU at m = 1, 0.083/1.085 = 0.077 and 0.159/1.954 = 0.081 (below
0.1), for SiLU 0.072/1.090 = 0.066 and 0.269/1.762 = 0.153 (above); at m = 0.25 GELU's incoming
ratio is 0.305/1.085 = 0.28, at m = 0.5 0.133/1.085 = 0.12; at m ≥ 1 it stays below 0.09 and
falls to 0.011 at m = 3. A's outgoing weights grow as it is reinforced, which lowers the incoming
ratio during training by up to about a third, so m = 0.5 sits too near 0.1 to bet on: the margin
proposition is "below 0.1 at every margin" (one per optimizer), decided by the margins far from
the threshold, and the whole curve is reported. Negative preactivations of a real GELU transformer
concentrate within 1 of zero, so margins drawn from all-MiniLM-L6-v2 are expected above 0.1. Adam and AdamW divide
each coordinate by its own RMS: D's small but nonzero gradients become steps of A's size (ratio
near 1) at every margin up to 4, where |GELU′| ≈ 5e-4 still dwarfs eps = 1e-8. ReLU's gradient
is exactly zero at D; Adam's state then stays zero and its step is 0/(0 + eps) = 0.
"""

from claims.catalog import chat_design, vocabulary

# The chat model's runs and S11 grid (chat_design.py); tests/claims read them here too.
from claims.catalog.chat_design import QUIET_GRID as CHAT_GRID
from claims.catalog.chat_design import RUNS as CHAT_RUNS
from claims.catalog.quotes import S11, S11_WORDS, S12, S12_WORDS
from claims.catalog.registrations import (
    AUDIT_42FB02F,
    grpo_informed,
    reaudited,
    reviewed,
    role_moved,
)
from claims.catalog.vocabulary import (
    ACTIVATIONS,
    ASSERTED_OPTIMIZERS,
    OPTIMIZERS,
    RELU_FAMILY,
    SMOOTH,
    numbers,
)
from claims.catalog.vocabulary import (
    ASSERTED_ACTIVATIONS as ASSERTED_ACTIVATIONS,  # the tests' cells read it here
)
from claims.engine.records import Claim, Finding, Grid, Key, Proposition, Reading, Role

ID = "inactive-circuit-not-reinforced"

# --- design and decision constants (pre-registered) -----------------------------------------
SEEDS = tuple(range(64))
STEPS, BATCH = 40, 32
MARGIN = 1.0
NOT_REINFORCED = 0.1
ALPHA = 0.05
# Margin sweep (GELU, private readout, SGD and Adam): D's preactivation ≈ −m on training prompts.
MARGINS = (0.25, 0.5, 1.0, 2.0, 3.0, 4.0)
# The extra sweep point: each D neuron's margin drawn per seed from the negative preactivations
# of all-MiniLM-L6-v2 on claims/data/english-sample.txt (claims.experiments.minilm).
REAL_MARGINS = "all-MiniLM-L6-v2"
# Partial activity: D's trigger on a fraction p of training prompts (A's cue on the others).
ACTIVE_FRACTIONS = (0.1, 0.2, 0.3, 0.4, 0.5)
PARTIAL_DECISION_AT = 0.1
# Dose-response (ReLU): doses, schedule, and the equivalence band for the exponent α.
DOSES = (0.001, 0.01, 0.1)
DOSE_STEPS, DOSE_BATCH = 80, 64
# Seeds of the SGD dose-response (re-registered: the seeds that buy its minimum detectable
# effect; see its note). The Adam dose-response keeps SEEDS.
DOSE_SGD_SEEDS = tuple(range(320))
DOSE_EQUIVALENCE = (0.8, 1.2)
# Carry-over: D on (trigger rate 0.5) for the first CARRY_K of CARRY_STEPS steps, never after.
CARRY_K, CARRY_STEPS, CARRY_RATE = 10, 40, 0.5

# --- the real chat model under GRPO: claims/catalog/chat_design.py (shared by three claims).
# The REINFORCE design of c153905 (CHAT_*) left with its propositions: two steps on one reused
# batch was not RL as practised (issue "The argument decided where it lives").
REREGISTERED_CONSTANTS = {
    name: "Removed with the REINFORCE chat design it sized (replaced by GRPO, chat_design.py)."
    for name in (
        "CHAT_ACTIVE_AT",
        "CHAT_CONTROL_SEEDS",
        "CHAT_HELDOUT_PROMPTS",
        "CHAT_LR_ADAM",
        "CHAT_LR_ADAMW",
        "CHAT_LR_SGD",
        "CHAT_MAX_NEW_TOKENS",
        "CHAT_SAMPLES",
        "CHAT_SEEDS",
        "CHAT_STEPS",
        "CHAT_THOROUGH_CONTROL_SEEDS",
        "CHAT_THOROUGH_HELDOUT_PROMPTS",
        "CHAT_THOROUGH_SAMPLES",
        "CHAT_THOROUGH_SEEDS",
        "CHAT_THOROUGH_STEPS",
        "CHAT_THOROUGH_TRAIN_PROMPTS",
        "CHAT_TRAIN_PROMPTS",
    )
}

# The grids' activations and optimizers, and the cells S11-S12 assert: claims/catalog/vocabulary.py.
# S11's smooth cells are asserted with D's margins drawn from a real model's negative
# preactivations (grid inactive-weights-still-at-real-margins), not at the twin design's one
# hand-set margin: ReLU is asserted in the margin-1 grid, where its zero does not depend on it.
EXACT_ASSERTED = ("relu",)
DRAWN_ACTIVATIONS = ("gelu", "gelu-tanh", "swiglu")
# Blind-from-the-mathematics expectations at drawn margins (module docstring): the least-moved of
# D's 4 neurons is below a tenth under SGD when one of them sits near GELU′'s zero (−0.75) or
# deeper than 1.9 (GELU; about 85 % of seeds at MiniLM's margins); SiLU′ stays above a tenth of
# its active value over most of (−3.5, −0.3), so SwiGLU fails; Adam and AdamW normalise.
DRAWN_EXPECTED = {
    ("gelu", "sgd"): Finding.HOLDS,
    ("gelu-tanh", "sgd"): Finding.HOLDS,
    # Re-registered (DRAWN_SWIGLU_SGD_REREGISTERED): predicted FAILS, found HOLDS.
    ("swiglu", "sgd"): Finding.HOLDS,
    **{(a, o): Finding.FAILS for a in DRAWN_ACTIVATIONS for o in ("adam", "adamw")},
}
DRAWN_SWIGLU_SGD_REREGISTERED = (
    "Predicted FAILS by the review (SiLU′ above a tenth of its active value over most of the "
    "drawn margins); the first run of the grid (all 9 cells) found D's least-moved neuron at "
    "0.088 of A's (95 % interval 0.083 to 0.093): the prediction took one neuron's gate-row "
    "ratio for the least-moved neuron's, while the least-moved of 4 drawn neurons sits deep "
    "enough (or near SiLU′'s zero at −1.28) to stay under a tenth. Re-registered as HOLDS after "
    "that run; statement, margins, seeds and threshold unchanged."
)

# Expected finding per (activation, optimizer) cell of the weights grid, from the mathematics
# above: exact zeros for the ReLU family, the SGD ratio |f′(−1)|/f′(2) and |f(−1)|/f(2) against
# 0.1 for smooth activations, Adam's normalisation for smooth activations under Adam/AdamW.
WEIGHTS_EXPECTED = {
    **{(a, o): Finding.HOLDS for a in RELU_FAMILY for o in OPTIMIZERS},
    **{(a, o): Finding.HOLDS for a in ("gelu", "gelu-tanh") for o in ("sgd", "sgd-momentum")},
    **{(a, o): Finding.FAILS for a in ("silu", "swiglu") for o in ("sgd", "sgd-momentum")},
    **{(a, o): Finding.FAILS for a in SMOOTH for o in ("adam", "adamw")},
}
WEIGHTS_GRID = "inactive-weights-still"
S11_REAL_READING = Reading(
    words=S11_WORDS,
    why="'reinforced by the gradient' is read as 'updated', the sentence's own mechanism (plasticity "
    "clipped to zero), so a failure reports inactive neurons that moved; in a real model a "
    "circuit is many neurons, and 'some of their constituent neurons' asks it of a part of those "
    "inactive over the run (the quietest tenth), 'effectively' of a tenth of the active "
    "neurons' update: both tenths are the suite's conventions (the text gives no number), the "
    "same as in the twin circuits",
)
S11_READING = Reading(
    words=S11_WORDS,
    why="S13-S14 rest on it: in the inactive circuit, some neurons go effectively unreinforced; "
    "'some' asks it of at least one of D's neurons, not all, in the activations S08 names and "
    "the optimizers RL on language models uses",
)
TWIN_POWER = (
    f"{len(SEEDS)} seeds per cell and readout: a one-sided t-test at 5 % Holm-adjusted over the "
    "grid's 32 tests (16 smooth cells × 2 readouts) detects a mean 0.49 between-seed standard "
    f"deviations above {NOT_REINFORCED:g} with power 0.8; a mean 0.05 from {NOT_REINFORCED:g} is "
    "decided when the "
    "between-seed SD is at most 0.2"
)
MARGIN_GRID = "inactive-weights-still-at-every-margin"
DRAWN_GRID = "inactive-weights-still-at-real-margins"
TWIN = (
    "twin-circuit policy: prompt (8 features) -> 16 hidden neurons (A: 4, D: 4, background: 8) -> "
    f"4 actions; D's preactivation ≈ −{MARGIN:g} on training prompts; REINFORCE with a batch-mean "
    f"baseline, {STEPS} steps × {BATCH} prompts, {len(SEEDS)} seeds per cell, private and shared "
    "readout"
)


def _weights_statement(activation: str, optimizer: str) -> str:
    if activation in RELU_FAMILY and optimizer == "adamw":
        return (
            "After training, some neuron of D has its incoming and outgoing parameters equal, bit "
            f"for bit, to their initial values after {STEPS} applications of AdamW's decoupled "
            "weight decay θ ← θ·(1 − lr·λ), on every seed, with both readouts: it is not moved by "
            "the gradient"
        )
    if activation in RELU_FAMILY:
        return (
            "After training, some neuron of D has its incoming and outgoing parameters exactly "
            "unchanged on every seed, with both readouts"
        )
    return (
        "D's least-moved neuron moves less than a tenth as much as A's neurons: per seed, "
        "min over D's neurons j of max(‖Δθ_Dj,in‖, ‖Δθ_Dj,out‖ each over A's mean per neuron) is "
        f"below {NOT_REINFORCED:g} with both readouts (every 95 % interval's upper end; FAILS by a "
        "Holm-adjusted "
        "one-sided test)"
    )


def _weights_key(activation: str, optimizer: str) -> Key:
    cell = vocabulary.label(activation, optimizer)
    if activation in RELU_FAMILY:
        moved = "beyond its weight decay" if optimizer == "adamw" else "at all"
        return Key(
            text=f"{cell}: seed × readout runs on which every neuron of D moved {moved}: "
            "{seeds_with_every_d_neuron_moved} of {seed_cells} (largest |change| "
            "{max_abs_d_change})"
        )
    return Key(
        text=f"{cell}: D's least-moved neuron moved {{max_mean_ratio:.3f}}× as much as A's neurons "
        f"(95 % interval up to {{max_ci95_high_ratio:.3f}}; below {NOT_REINFORCED:g} asserted)"
    )


def _weights_cell(activation: str, optimizer: str) -> Proposition:
    asserted = activation in EXACT_ASSERTED and optimizer in ASSERTED_OPTIMIZERS
    statistical = activation not in RELU_FAMILY
    return Proposition(
        id=f"{ID}/weights-{activation}-{optimizer}",
        statement=_weights_statement(activation, optimizer),
        scope=vocabulary.batched(TWIN, **vocabulary.cell(activation, optimizer)),
        role=Role.ASSERTED if asserted else Role.BEYOND,
        expected=WEIGHTS_EXPECTED[activation, optimizer],
        rationale="S11 for ReLU, exactly, in the optimizers RL on language models uses."
        if asserted
        else "S11 at the twin design's one hand-set margin (D at ≈ −1, next to GELU′'s zero), "
        "or in an activation or optimizer the source neither names nor needs.",
        formalizes=("S11",),
        reading=S11_READING if asserted else None,
        registration=reaudited(
            "the circuit-level D/A ratios of this cell (report of 2026-11-29, e.g. GELU with "
            "Adam 1.049); D's neurons share one margin, so the per-neuron ratio was expected "
            "close to them; the 'some neuron' statement was never measured"
        )
        if activation not in DRAWN_ACTIVATIONS or optimizer not in ASSERTED_OPTIMIZERS
        else reviewed(
            "the circuit-level D/A ratios of this cell (report of 2026-11-29); asserted by the "
            "re-audit, beyond after the referee's review (the margin is one design choice; the "
            "asserted cells draw D's margins from a real model)"
        ),
        power=TWIN_POWER if statistical else "",
        reregistered=role_moved(
            "asserted for S11 in 42fb02f; at the twin design's one hand-set margin (D at ≈ −1, "
            "next to GELU′'s zero) the outcome turns on that choice, and the asserted reading "
            "draws D's margins from a real model (inactive-weights-still-at-real-margins), so "
            "beyond",
            by="the referee's review (734d42e)",
        )
        if activation == "gelu" and optimizer in ASSERTED_OPTIMIZERS
        else "",
        key=_weights_key(activation, optimizer),
        grid=WEIGHTS_GRID,
        cell=vocabulary.cell(activation, optimizer),
    )


def _drawn_cell(activation: str, optimizer: str) -> Proposition:
    cell = vocabulary.label(activation, optimizer)
    return Proposition(
        id=f"{ID}/real-margins-{activation}-{optimizer}",
        statement=(
            "Twin circuits, private readout, each of D's neurons at its own margin |z| drawn per "
            "seed from all-MiniLM-L6-v2's negative GELU preactivations on the shipped English "
            "text: D's least-moved neuron moves less than a tenth as much as A's neurons (per "
            "seed, min over D's neurons j of max(‖Δθ_Dj,in‖, ‖Δθ_Dj,out‖ each over A's mean per "
            f"neuron); the 95 % interval's upper end below {NOT_REINFORCED:g}; FAILS by a "
            "one-sided test "
            "Holm-adjusted over the grid)"
        ),
        scope=vocabulary.batched(
            TWIN,
            activation=ACTIVATIONS[activation],
            optimizer=OPTIMIZERS[optimizer],
            architecture=f"{TWIN}; private readout; D's margins drawn from {REAL_MARGINS}",
        ),
        role=Role.ASSERTED,
        expected=DRAWN_EXPECTED[activation, optimizer],
        reregistered=DRAWN_SWIGLU_SGD_REREGISTERED
        if (activation, optimizer) == ("swiglu", "sgd")
        else "",
        rationale=(
            "S11 where inactive neurons sit where a trained model puts them: how deep below "
            "zero decides how nearly a smooth activation clips a neuron, and 'some' asks it of "
            "the deepest-clipped of D's neurons."
        ),
        formalizes=("S11",),
        reading=S11_READING,
        registration=reviewed(
            "MiniLM's negative preactivations (median |z| 0.88; 65 % beyond 0.6, 26 % beyond 1.5, "
            "computed for this registration), and the margin sweep's circuit-level ratios with "
            "margins drawn from them (SGD 0.099, Adam about 1; report of 2026-11-29); the "
            "least-moved-neuron ratio at drawn margins was never computed"
        ),
        power=(
            f"{len(SEEDS)} seeds: a one-sided t-test at 5 % Holm-adjusted over the grid's 9 tests "
            f"detects a mean 0.43 between-seed standard deviations above {NOT_REINFORCED:g} with "
            "power 0.8"
        ),
        key=Key(
            text=f"{cell}, margins from all-MiniLM-L6-v2: D's least-moved neuron moved "
            "{mean_ratio:.3f}× as much as A's neurons (95 % interval {ci95_low_ratio:.3f} to "
            f"{{ci95_high_ratio:.3f}}; below {NOT_REINFORCED:g} asserted)"
        ),
        grid=DRAWN_GRID,
        cell=vocabulary.cell(activation, optimizer),
    )


def _margin_cell(optimizer: str) -> Proposition:
    margins = ", ".join(f"{m:g}" for m in MARGINS)
    return Proposition(
        id=f"{ID}/gelu-{optimizer}-every-margin",
        statement=f"GELU, {OPTIMIZERS[optimizer]}, private readout, D at each margin m ∈ {{{margins}}} and "
        "with each D neuron's margin drawn from all-MiniLM-L6-v2's negative preactivations: "
        f"‖Δθ_D‖/‖Δθ_A‖ for incoming parameters and for outgoing weights is below {NOT_REINFORCED:g} "
        "at every "
        "margin (every 95 % interval's upper end; FAILS by a one-sided test Holm-adjusted across "
        "the sweep's tests)",
        scope=vocabulary.batched(
            TWIN,
            activation="GELU",
            optimizer=OPTIMIZERS[optimizer],
            architecture=f"{TWIN}; private readout; D's margin swept",
        ),
        role=Role.BEYOND,
        expected=Finding.FAILS,
        rationale="S11 read for every neuron of D at every depth below zero (the source says 'some'); how "
        "far below zero D sits decides how nearly GELU clips it. The per-margin curve is "
        "reported with the finding.",
        formalizes=("S11",),
        registration=reaudited(
            "this sweep's finding (FAILS at m = 0.25: 0.164; MiniLM-drawn margins 0.099); "
            "asserted in 42fb02f, beyond now ('every margin' is stronger than 'some neurons')"
        ),
        reregistered=role_moved(
            "asserted for S11 in 42fb02f; every neuron of D at every margin is stronger than "
            "'some of their constituent neurons', so beyond"
        ),
        power=(
            f"{len(SEEDS)} seeds per margin: a one-sided t-test at 5 % Holm-adjusted over the "
            "sweep's 14 tests detects a mean 0.45 between-seed standard deviations above "
            f"{NOT_REINFORCED:g} "
            "with power 0.8"
        ),
        key=Key(
            text=f"GELU with {OPTIMIZERS[optimizer]}: inactive D moved {{min_mean_ratio:.3f}}× to "
            f"{{max_mean_ratio:.3f}}× as much as active A over the margin sweep (below {NOT_REINFORCED:g} "
            "asserted at every margin)"
        ),
        grid=MARGIN_GRID,
        cell={"optimizer": OPTIMIZERS[optimizer]},
    )


def _chat_cell(run: str) -> Proposition:
    optimizer, lr, _ = CHAT_RUNS[run]
    relu = run == "relu"
    asserted = run != "sgd"
    label = "the ReLU control" if relu else f"SmolLM2 with {optimizer}"
    return Proposition(
        id=f"{ID}/smollm2-grpo-quiet-inactive-neurons-{run}",
        statement=(
            f"After the deep GRPO run ({optimizer}, lr {lr:g}): of the neurons whose gate was open "
            f"on at most {chat_design.RARELY_ACTIVE:.0%} of the training tokens they saw "
            "(inactive over the run), the quietest tenth (the "
            f"{chat_design.QUIET_QUANTILE:g} quantile of their incoming "
            "update, the norm of their gate and up rows' change) moved less than a tenth of the "
            "active neurons' median incoming update (one deterministic measurement of one run)"
        ),
        scope=chat_design.scope("deep", run),
        role=Role.ASSERTED if asserted else Role.BEYOND,
        expected=Finding.HOLDS if relu else Finding.FAILS,
        rationale=(
            "S11 where it lives: a real chat model trained by RL as practised. "
            + (
                "A ReLU gate closed on a token passes no gradient to its rows, and AdamW without "
                "weight decay leaves a zero-gradient coordinate still."
                if relu
                else "A closed SiLU gate still passes SiLU′(g)·u and SiLU(g); Adam and AdamW "
                "divide each coordinate by its own RMS, so inactive neurons move about as far as "
                "active ones."
                if optimizer != "SGD"
                else "SGD (a control RL fine-tuning does not use) scales each update by its "
                "gradient; closed gates pass a fraction of it, not less than a tenth for most."
            )
        ),
        formalizes=("S11",),
        reading=S11_REAL_READING if asserted else None,
        registration=grpo_informed(
            "the ci run made while the instruments were built (4 steps, AdamW: closed-gate "
            "gradient shares 0.18-0.23 per step; no per-neuron update of a deep run); the deep "
            "runs had not been run"
        )
        if not relu
        else grpo_informed(
            "the ci run made while the instruments were built: the ReLU control's 161 "
            "never-active neurons moved exactly 0 over 4 steps; the deep run had not been run"
        ),
        key=Key(
            text=f"{label} under GRPO: the quietest tenth of its {{inactive_neurons}} inactive neurons "
            "moved {quiet_over_active_median:.3f}× the active neurons' median (a tenth asserted)"
        ),
        grid=CHAT_GRID,
        cell={"run": chat_design.RELU_RUN_LABEL if relu else optimizer},
    )


def _dose_half_width() -> float:
    """The equivalence margin around α = 1: DOSE_EQUIVALENCE is 1 ± this."""
    low, high = DOSE_EQUIVALENCE
    return (high - low) / 2


def _dose_statement(optimizer: str) -> str:
    return (
        f"ReLU with {optimizer}, D active on a fraction p ∈ {{{numbers(DOSES)}}} of training "
        f"prompts: ‖Δθ_D,in‖ ∝ p^α with α equivalent to 1 within ±{_dose_half_width():g} (two "
        "one-sided tests at 5 %)"
    )


def _dose_scope(optimizer: str) -> dict[str, str]:
    schedule = TWIN.replace(f"{STEPS} steps × {BATCH}", f"{DOSE_STEPS} steps × {DOSE_BATCH}")
    return vocabulary.batched(TWIN, activation="ReLU", optimizer=optimizer, architecture=schedule)


def _dose_key(level: int) -> Key:
    low, high = DOSE_EQUIVALENCE
    return Key(
        text=f"dose-response exponent α = {{alpha_mean:.3f}} ({level} % interval "
        f"{{alpha_ci{level}_low:.3f}} to {{alpha_ci{level}_high:.3f}}; equivalence band "
        f"{low:g}-{high:g})"
    )


def _carry_over_statement(optimizers: str) -> str:
    return (
        f"ReLU with {optimizers}, D active for the first k = {CARRY_K} steps then never: D's "
        "parameters do not change after its gradient becomes exactly zero (checked per step)"
    )


CLAIM = Claim(
    id=ID,
    title="An inactive circuit is not reinforced; an active one is",
    source=(S11, S12),
    statement=(
        "Under policy-gradient RL on prompts that activate circuit A only, A's neurons are "
        "updated, while circuit D, inactive on those prompts, is not reinforced: exactly "
        "unchanged under ReLU, and moved by less than a tenth of A under GELU."
    ),
    grids=(
        Grid(
            name=DRAWN_GRID,
            statement="S11 at the margins a trained model puts inactive neurons at: some neuron of D "
            "(its least-moved) moves less than a tenth as much as A's",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=WEIGHTS_GRID,
            statement="S11: the inactive circuit D is not reinforced by the gradient (ReLU family: "
            f"exactly; smooth activations: D/A weight-change ratio below {NOT_REINFORCED:g})",
            axes=("activation", "optimizer"),
        ),
        Grid(
            name=CHAT_GRID,
            statement="S11 in a real chat model trained by GRPO: the quietest tenth of the neurons inactive "
            "over the run moved less than a tenth of the active neurons' median",
            axes=("run",),
        ),
        Grid(
            name=MARGIN_GRID,
            statement=f"S11 for GELU at every depth below zero: D/A weight-change ratio below {NOT_REINFORCED:g} at every "
            "margin of the sweep",
            axes=("optimizer",),
        ),
    ),
    propositions=(
        *(_drawn_cell(a, o) for a in DRAWN_ACTIVATIONS for o in ASSERTED_OPTIMIZERS),
        *(_weights_cell(a, o) for a in ACTIVATIONS for o in OPTIMIZERS),
        *(_margin_cell(o) for o in ("sgd", "adam")),
        *(_chat_cell(run) for run in CHAT_RUNS),
        Proposition(
            id=f"{ID}/smollm2-grpo-relu-control-never-active-still",
            statement=(
                "SmolLM2 with every SiLU gate replaced by ReLU and recovered by distillation, "
                "GRPO with AdamW (weight decay 0), ci tier: every neuron whose gate was open on no "
                "training token of the run has its gate row, up row and down column exactly "
                "unchanged"
            ),
            scope=chat_design.scope("ci", "relu"),
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale=(
                "S11 read as 'exactly still, every inactive neuron' in the exact case: a ReLU gate "
                "closed on every token passes no gradient to its rows; AdamW without decay moves "
                "no zero-gradient coordinate. (Unlike c153905's two-step design, 'never active' "
                "is counted over the whole run, every step's tokens.)"
            ),
            formalizes=("S11",),
            registration=grpo_informed(
                "the ci run made while the instruments were built (161 never-active neurons, "
                "each moved exactly 0)"
            ),
            key=Key(
                text="ReLU-gated SmolLM2 under GRPO: never-active neurons {never_active}, largest "
                "update of one {never_active_max_update}"
            ),
        ),
        Proposition(
            id=f"{ID}/active-circuit-updated",
            statement="ReLU, GELU, tanh-GELU and SwiGLU with SGD, Adam and AdamW, both readouts: every "
            "neuron of A has a nonzero change of its incoming parameters on every seed",
            scope=vocabulary.batched(
                TWIN, activation="ReLU, GELU, tanh-GELU, SwiGLU", optimizer="SGD, Adam, AdamW"
            ),
            role=Role.ASSERTED,
            expected=Finding.HOLDS,
            rationale="S12: every neuron of the active circuit is open to updates from the gradient.",
            formalizes=("S12",),
            reading=Reading(
                words=S12_WORDS,
                why="'open to updates' is the least: each of A's neurons is moved at all, in the "
                "activations and optimizers of S11's cells",
            ),
            registration=reviewed(
                "this proposition's finding for ReLU and GELU (every neuron of A moved); the "
                "review adds tanh-GELU and SwiGLU, whose twin runs (beyond cells) had run"
            ),
            key=Key(
                text="A's neurons left unchanged on some seed: {a_neurons_unchanged} of "
                "{a_neurons_checked}"
            ),
        ),
        Proposition(
            id=f"{ID}/adamw-relu-inactive-untouched",
            statement="ReLU and ReGLU with AdamW: D's parameters are exactly unchanged on every seed",
            scope=vocabulary.batched(
                TWIN, activation="ReLU, ReGLU", optimizer="AdamW (weight decay 0.01)"
            ),
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale="S11 read as 'untouched': decoupled weight decay moves every weight, active or not.",
            key=Key(
                text="largest D/A incoming-weight ratio under AdamW, from the decay alone: "
                "{max_mean_incoming_ratio:.4f}"
            ),
            formalizes=("S11",),
            registration=AUDIT_42FB02F,
        ),
        Proposition(
            id=f"{ID}/partial-activity-below-active",
            statement="ReLU and GELU with SGD and Adam, private readout: with D's trigger on a fraction p of "
            "training prompts (A's cue on the others), the D/A incoming-weight ratio at "
            f"p = {PARTIAL_DECISION_AT:g} is below 1 (95 % interval); the curve over "
            f"p ∈ {{{ACTIVE_FRACTIONS[0]:g}, ..., {ACTIVE_FRACTIONS[-1]:g}}} is reported",
            scope=vocabulary.batched(
                TWIN,
                activation="ReLU, GELU",
                optimizer="SGD, Adam",
                architecture=f"{TWIN}; private readout; D active on a fraction p of the prompts",
            ),
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale="The mechanism carried to a circuit that is sometimes active: is the circuit active "
            "on nine prompts in ten still reinforced more than the one active on one in ten?",
            key=Key(
                text=f"largest mean D/A incoming ratio at p = {PARTIAL_DECISION_AT:g}: "
                "{max_mean_ratio_at_decision:.3f}"
            ),
            formalizes=("S11",),
            power=(
                f"{len(SEEDS)} seeds per cell: the 95 % interval clears 1 with power 0.8 when the "
                f"mean ratio at p = {PARTIAL_DECISION_AT:g} lies at least 0.36 between-seed "
                "standard deviations from it"
            ),
            registration=AUDIT_42FB02F,
        ),
        Proposition(
            id=f"{ID}/dose-response-sgd-linear",
            statement=_dose_statement("SGD"),
            scope=_dose_scope("SGD"),
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale="How D's reinforcement scales with how often it is active: plain gradient descent "
            "adds one gradient per active prompt.",
            key=_dose_key(90),
            formalizes=("S11",),
            reregistered=(
                "Predicted HOLDS from the earlier design (α = 1.04 when D's trigger read was 2); "
                "with the equal-output design the pre-registered 64 seeds gave α = 1.13, 90 % "
                "interval 1.03-1.22 against the band 0.8-1.2: undecided, and re-registered as "
                "INCONCLUSIVE (4e9ea23). The re-audit drops expected INCONCLUSIVE: a design must "
                f"buy its minimum detectable effect. From that run (between-seed SD of α about "
                f"0.46), deciding equivalence when α = 1.13 (0.07 inside the band) with power "
                f"0.8 needs about 262 seeds; {len(DOSE_SGD_SEEDS)} are registered (seeds 0-63 "
                "are the first run's, so this is not a fresh sample), expected HOLDS from the "
                "first run's estimate. Band and doses unchanged."
            ),
            registration=reaudited(
                "the 64-seed run (α = 1.13, 90 % interval 1.03-1.22) and its between-seed SD"
            ),
            power=(
                f"{len(DOSE_SGD_SEEDS)} seeds: two one-sided t-tests at 5 % show equivalence "
                f"within ±{_dose_half_width():g} with power 0.86 when the mean α lies 0.07 inside the "
                "band and the "
                "between-seed SD is 0.46"
            ),
        ),
        Proposition(
            id=f"{ID}/dose-response-adam-linear",
            statement=_dose_statement("Adam"),
            scope=_dose_scope("Adam"),
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale="Adam's normalisation makes rare activity count nearly as much as frequent activity.",
            key=_dose_key(95),
            formalizes=("S11",),
            power=(
                f"{len(SEEDS)} seeds: the 95 % interval lies wholly outside the band with power "
                "0.8 when the mean α is at least 0.36 between-seed standard deviations beyond it"
            ),
            registration=AUDIT_42FB02F,
        ),
        Proposition(
            id=f"{ID}/carry-over-stops-sgd",
            statement=_carry_over_statement("SGD"),
            scope=vocabulary.batched(TWIN, activation="ReLU", optimizer="SGD"),
            role=Role.BEYOND,
            expected=Finding.HOLDS,
            rationale="Plain SGD has no memory: zero gradient, zero update.",
            key=Key(
                text="seeds on which D moved in its zero-gradient window: {sgd_seeds_moved} of "
                f"{len(SEEDS)}"
            ),
            formalizes=("S11",),
            registration=AUDIT_42FB02F,
        ),
        Proposition(
            id=f"{ID}/carry-over-stops-momentum-adam",
            statement=_carry_over_statement("SGD+momentum, Adam and AdamW"),
            scope=vocabulary.batched(
                TWIN, activation="ReLU", optimizer="SGD+momentum, Adam, AdamW"
            ),
            role=Role.BEYOND,
            expected=Finding.FAILS,
            rationale="Momentum buffers keep moving a circuit after it falls silent.",
            key=Key(
                text="after D falls silent, Adam keeps moving it by {adam_incoming_after_over_during_mean:.2f} "
                "of its earlier movement"
            ),
            formalizes=("S11",),
            registration=AUDIT_42FB02F,
        ),
    ),
    notes=(
        "A ratio is D's change over A's on the same seed; A's change is never zero in these runs "
        "(a zero would be an ERROR, not a ratio).",
        "S11's 'for example deceptively aligned ones' names what the inactive circuit stands for; "
        "the check is about activity, whatever the circuit means.",
    ),
)
