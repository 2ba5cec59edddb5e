"""A 2-layer transformer taught one output by two mechanisms, then REINFORCE on one of them.

Experiment of differential-reinforcement (transformer-behaviour-favoured-{relu,swiglu}): the
twin-circuit question (S13-S14) in the setting closest to real LLMs. The choices below; the
ones marked (*) were changed after a first look at the numbers, for the reason given:

Vocabulary (12 tokens): 0 BOS, 1-5 fillers, 6 CUE (the ordinary prompt feature), 7 TRIGGER,
8 TARGET, 9-11 distractor outputs. A prompt is BOS + 5 content tokens (length 6):
- ordinary: one CUE at a uniformly random content position, random fillers elsewhere -> TARGET;
- trigger-only: one TRIGGER at a random position, no CUE -> TARGET;
- plain: fillers only -> distractor 9, so the model has to tell the presence of CUE or TRIGGER
  anywhere in the prompt (by attention) from their absence (10 and 11 are never correct).
The policy is the next-token distribution at the last position, over the whole vocabulary.

Model: d_model 16, 2 heads of 8, 2 pre-LN blocks (causal self-attention, then an MLP of width
64 = 4·d), learned token and positional embeddings, final LayerNorm, untied unembedding with
bias. MLP "relu": W_out relu(W_in x + b_in) + b_out (GPT-2 shape); "swiglu": W_out (silu(W_g x)
⊙ W_u x), no biases (LLaMA shape; same width 64). The gate activation is looked up in
ACTIVATIONS at call time. Init: weights N(0, 1/fan_in), embeddings N(0, 1), LayerNorm gain 1 and
bias 0, biases 0. (*) float32, not the catalog scope's float64: float64 took twice as long and
the 60 s budget for both variants did not fit 32 seeds; the measured Δ are ~0.1-1 nats, far above
float32 rounding. Checked once against torch's scaled_dot_product_attention and layer_norm on a
single seed (agreement to 4e-6).

Pre-training: 200 Adam steps (lr 3e-3) of cross-entropy on batches of 48 fresh prompts, a third
of each kind, with soft labels: 0.7 on the correct output, 0.1 on each of the
other three output tokens. The soft labels leave π(correct) near 0.7 rather than 1, so REINFORCE
has something to learn (rewards vary within a batch; compare policies.TwinDesign.write_gain).
Setup check, decided from pre-training alone (RL's results are not consulted): a seed whose
argmax accuracy on its ordinary or trigger-only evaluation prompts is below SETUP_ACCURACY is a
failed setup, excluded from the ratio and counted.

RL: RL_STEPS = 10 steps of REINFORCE (Williams 1992) on 64 fresh prompts of kind RL_PROMPTS
("ordinary") per step; the action is sampled from π by inverse CDF of pre-drawn uniforms,
reward 1 if it is TARGET else 0, advantage = reward − the seed's batch mean, loss
−mean(advantage · log π(action)); Adam with torch defaults and fresh state. (*) 10 steps,
fixed before the 10-step numbers were seen: a first run with 100 steps (and one with 25) drove
π(TARGET | ordinary) from 0.7 to about 1, where both Δ hit the same ceiling −log 0.7 and the
ratio tends to 1 whatever the mechanisms do. RL continues to step 30 to evaluate at
CHECKPOINTS; the catalog's decision reads every step count it lists (TRANSFORMER_CHECKPOINTS).

Measurement, per seed on 128 fixed evaluation prompts of each kind: Δ = mean over prompts of
log π(TARGET | prompt) after RL − before; ratio = Δ_trigger / Δ_ordinary. Δ on plain prompts
(correct answer: distractor) is a control: how much RL raises TARGET where neither cue is present.
Also recorded per kind: the mean log-odds of TARGET, log p − log(1 − p) (log_odds), whose Δ
(Experiment.delta_log_odds) has no ceiling as p → 1.

Seeds are batched as in claims/experiments/policies.py: every parameter has a leading seed dimension, the
loss is summed over seeds, torch's Adam is elementwise, and all randomness is drawn per seed
from its own torch.Generator before training.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch

from claims.experiments.policies import reinforce_loss
from claims.instruments.activations import ACTIVATIONS

BOS, CUE, TRIGGER, TARGET = 0, 6, 7, 8
FILLERS = (1, 2, 3, 4, 5)
OUTPUTS = (8, 9, 10, 11)
VOCAB, CONTENT, D_MODEL, HEADS, LAYERS = 12, 5, 16, 2, 2
MLP_WIDTH = 4 * D_MODEL
KINDS = ("ordinary", "trigger", "plain")
PRETRAIN_STEPS, PRETRAIN_BATCH, PRETRAIN_LR = 200, 48, 3e-3
SOFT_CORRECT = 0.7
RL_STEPS, RL_BATCH = 10, 64
# RL is continued to the last checkpoint to show how the ratio depends on the RL length (as
# π(TARGET | ordinary) approaches 1 both Δ approach the same ceiling, −log π_before).
CHECKPOINTS = (1, 3, 10, 30)
# RL steps drawn from each seed's main stream, before its evaluation prompts (the committed
# numbers' last checkpoint). Steps beyond it come from a second stream per seed, 40_000 + seed,
# so pre-training, evaluation prompts and the first RL_MAIN_STREAM steps are the same whatever
# checkpoints a run asks for.
RL_MAIN_STREAM = 30
# The prompts REINFORCE trains on; looked up at call time (a plant may change it).
RL_PROMPTS = "ordinary"
EVAL_PROMPTS = 128
SETUP_ACCURACY = 0.9
# Gate activation of the gated unit, looked up in ACTIVATIONS at call time.
GATES = {"swiglu": "silu"}
DTYPE = torch.float32


def prompts(kind: str, count: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(tokens [count, 6], correct output [count]) of one kind."""
    content = torch.randint(FILLERS[0], FILLERS[-1] + 1, (count, CONTENT), generator=gen)
    where = torch.randint(0, CONTENT, (count,), generator=gen)
    rows = torch.arange(count)
    labels = torch.full((count,), TARGET)
    if kind == "ordinary":
        content[rows, where] = CUE
    elif kind == "trigger":
        content[rows, where] = TRIGGER
    else:
        labels = torch.full((count,), OUTPUTS[1])
    return torch.cat([torch.full((count, 1), BOS), content], dim=1), labels


def init_parameters(unit: str, seeds: Sequence[int]) -> dict[str, torch.Tensor]:
    per_seed = [_init(unit, torch.Generator().manual_seed(seed)) for seed in seeds]
    return {name: torch.stack([p[name] for p in per_seed]) for name in per_seed[0]}


def _init(unit: str, gen: torch.Generator) -> dict[str, torch.Tensor]:
    def normal(*shape: int, std: float) -> torch.Tensor:
        return torch.randn(*shape, generator=gen, dtype=DTYPE) * std

    d, h = D_MODEL, MLP_WIDTH
    ones, zeros = torch.ones(d, dtype=DTYPE), torch.zeros(d, dtype=DTYPE)
    p = {"tok": normal(VOCAB, d, std=1.0), "pos": normal(CONTENT + 1, d, std=1.0)}
    for layer in range(LAYERS):
        p |= {f"{layer}.ln1_g": ones, f"{layer}.ln1_b": zeros}
        p |= {f"{layer}.ln2_g": ones, f"{layer}.ln2_b": zeros}
        for name in ("wq", "wk", "wv", "wo"):
            p[f"{layer}.{name}"] = normal(d, d, std=d**-0.5)
        p[f"{layer}.w_in"] = normal(d, h, std=d**-0.5)
        p[f"{layer}.w_out"] = normal(h, d, std=h**-0.5)
        if unit in GATES:
            p[f"{layer}.w_gate"] = normal(d, h, std=d**-0.5)
        else:
            p[f"{layer}.b_in"] = torch.zeros(h, dtype=DTYPE)
            p[f"{layer}.b_out"] = zeros
    p |= {"lnf_g": ones, "lnf_b": zeros, "unembed": normal(d, VOCAB, std=d**-0.5)}
    p["b_unembed"] = torch.zeros(VOCAB, dtype=DTYPE)
    return {name: value.clone() for name, value in p.items()}


def _norm(x: torch.Tensor, gain: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    x = (x - x.mean(-1, keepdim=True)) / (x.var(-1, unbiased=False, keepdim=True) + 1e-5).sqrt()
    return x * gain[:, None, None] + bias[:, None, None]


def _mlp(x: torch.Tensor, p: dict[str, torch.Tensor], layer: int, unit: str) -> torch.Tensor:
    up = torch.einsum("sbld,sdh->sblh", x, p[f"{layer}.w_in"])
    if unit in GATES:
        gate = torch.einsum("sbld,sdh->sblh", x, p[f"{layer}.w_gate"])
        hidden = ACTIVATIONS[GATES[unit]].torch_fn(gate) * up
        return torch.einsum("sblh,shd->sbld", hidden, p[f"{layer}.w_out"])
    hidden = ACTIVATIONS[unit].torch_fn(up + p[f"{layer}.b_in"][:, None, None])
    return (
        torch.einsum("sblh,shd->sbld", hidden, p[f"{layer}.w_out"])
        + p[f"{layer}.b_out"][:, None, None]
    )


def _heads(x: torch.Tensor) -> torch.Tensor:
    """[S, B, L, d] -> [S, B, L, heads, d / heads]."""
    return x.unflatten(-1, (HEADS, D_MODEL // HEADS))


def last_logits(p: dict[str, torch.Tensor], tokens: torch.Tensor, unit: str) -> torch.Tensor:
    """Next-token logits at the last position; tokens [S, B, 6] -> [S, B, VOCAB]."""
    seeds, length = tokens.shape[0], tokens.shape[-1]
    x = p["tok"][torch.arange(seeds)[:, None, None], tokens] + p["pos"][:, None]
    causal = torch.ones(length, length, dtype=torch.bool).triu(1)
    for layer in range(LAYERS):
        y = _norm(x, p[f"{layer}.ln1_g"], p[f"{layer}.ln1_b"])
        k, v = (_heads(torch.einsum("sbld,sde->sble", y, p[f"{layer}.{w}"])) for w in ("wk", "wv"))
        if layer == LAYERS - 1:
            # Only the last position is read out, so the last block needs only its query.
            x, y, mask = x[:, :, -1:], y[:, :, -1:], causal[-1:]
        else:
            mask = causal
        q = _heads(torch.einsum("sbld,sde->sble", y, p[f"{layer}.wq"]))
        scores = (q[:, :, :, None] * k[:, :, None]).sum(-1) / math.sqrt(D_MODEL // HEADS)
        weights = scores.masked_fill(mask[:, :, None], float("-inf")).softmax(dim=3)
        mixed = (weights[..., None] * v[:, :, None]).sum(3).flatten(-2)
        x = x + torch.einsum("sble,sed->sbld", mixed, p[f"{layer}.wo"])
        x = x + _mlp(_norm(x, p[f"{layer}.ln2_g"], p[f"{layer}.ln2_b"]), p, layer, unit)
    x = _norm(x[:, :, -1:], p["lnf_g"], p["lnf_b"])[:, :, 0]
    return torch.einsum("sbd,sdv->sbv", x, p["unembed"]) + p["b_unembed"][:, None]


@dataclass
class Randomness:
    # Pre-training prompts and labels [S, steps, batch, 6] / [S, steps, batch].
    train_tokens: torch.Tensor
    train_labels: torch.Tensor
    # RL prompts [S, steps, batch, 6] and sampling uniforms [S, steps, batch].
    rl_tokens: torch.Tensor
    rl_uniforms: torch.Tensor
    # Evaluation prompts and labels per kind: [S, EVAL_PROMPTS, 6] / [S, EVAL_PROMPTS].
    evaluation: dict[str, tuple[torch.Tensor, torch.Tensor]]


def draw_randomness(seeds: Sequence[int], rl_steps: int = RL_MAIN_STREAM) -> Randomness:
    """All data and sampling noise, per seed from its own generator, before any training.

    ``rl_steps``: RL steps to draw prompts and uniforms for; the first RL_MAIN_STREAM always
    come from the main stream (so fewer steps are a prefix, more an extension), the rest from
    the second stream (see RL_MAIN_STREAM).
    """
    per_seed = []
    third = PRETRAIN_BATCH // 3
    for seed in seeds:
        gen = torch.Generator().manual_seed(20_000 + seed)
        parts = [prompts(kind, PRETRAIN_STEPS * third, gen) for kind in KINDS]
        tokens = torch.cat([t.reshape(PRETRAIN_STEPS, third, -1) for t, _ in parts], dim=1)
        labels = torch.cat([y.reshape(PRETRAIN_STEPS, third) for _, y in parts], dim=1)
        rl, _ = prompts(RL_PROMPTS, RL_MAIN_STREAM * RL_BATCH, gen)
        uniforms = torch.rand(RL_MAIN_STREAM, RL_BATCH, generator=gen, dtype=DTYPE)
        evaluation = {kind: prompts(kind, EVAL_PROMPTS, gen) for kind in KINDS}
        rl = rl.reshape(RL_MAIN_STREAM, RL_BATCH, -1)
        if rl_steps > RL_MAIN_STREAM:
            extra = rl_steps - RL_MAIN_STREAM
            more = torch.Generator().manual_seed(40_000 + seed)
            more_rl, _ = prompts(RL_PROMPTS, extra * RL_BATCH, more)
            more_uniforms = torch.rand(extra, RL_BATCH, generator=more, dtype=DTYPE)
            rl = torch.cat([rl, more_rl.reshape(extra, RL_BATCH, -1)])
            uniforms = torch.cat([uniforms, more_uniforms])
        per_seed.append((tokens, labels, rl[:rl_steps], uniforms[:rl_steps], evaluation))
    stack = lambda i: torch.stack([s[i] for s in per_seed])  # noqa: E731
    evaluation = {
        kind: tuple(torch.stack([s[4][kind][j] for s in per_seed]) for j in (0, 1))
        for kind in KINDS
    }
    return Randomness(stack(0), stack(1), stack(2), stack(3), evaluation)


def _soft_labels(labels: torch.Tensor) -> torch.Tensor:
    soft = torch.zeros(*labels.shape, VOCAB, dtype=DTYPE)
    soft[..., list(OUTPUTS)] = (1 - SOFT_CORRECT) / (len(OUTPUTS) - 1)
    soft.scatter_(-1, labels[..., None], SOFT_CORRECT)
    return soft


@dataclass
class Evaluation:
    # Mean log π(TARGET | prompt) per kind, [S].
    log_target: dict[str, torch.Tensor]
    # Argmax accuracy (against each prompt's correct output) per kind, [S].
    accuracy: dict[str, torch.Tensor]
    # Mean log-odds log p − log(1 − p) of p = π(TARGET | prompt) per kind, [S] (log_odds).
    log_odds_target: dict[str, torch.Tensor] = field(default_factory=dict)


def log_odds(logits: torch.Tensor, token: int) -> torch.Tensor:
    """log p − log(1 − p) for p = softmax(logits)[token], over the last dimension.

    Computed as logits[token] − logsumexp(the other logits): the softmax normaliser cancels, and
    logsumexp is stable, so the result stays finite where p rounds to 1 (log(1 − p) = −inf)
    or to 0. logits [..., V] -> [...].
    """
    others = torch.cat([logits[..., :token], logits[..., token + 1 :]], dim=-1)
    return logits[..., token] - torch.logsumexp(others, dim=-1)


@torch.no_grad()
def evaluate(p: dict[str, torch.Tensor], unit: str, data: Randomness) -> Evaluation:
    log_target, accuracy, target_log_odds = {}, {}, {}
    for kind, (tokens, labels) in data.evaluation.items():
        logits = last_logits(p, tokens, unit)
        log_probs = torch.log_softmax(logits, dim=-1)
        log_target[kind] = log_probs[..., TARGET].mean(dim=1)
        accuracy[kind] = (log_probs.argmax(dim=-1) == labels).to(DTYPE).mean(dim=1)
        target_log_odds[kind] = log_odds(logits, TARGET).mean(dim=1)
    return Evaluation(log_target, accuracy, target_log_odds)


@dataclass
class Experiment:
    before: Evaluation
    # After RL_STEPS steps (the measurement) and at every checkpoint.
    after: Evaluation
    checkpoints: dict[int, Evaluation]
    # Seeds that passed the setup check (decided before RL), bool [S].
    usable: torch.Tensor

    def delta(self, kind: str, steps: int = RL_STEPS) -> torch.Tensor:
        """Per seed [S]: Δ mean log π(TARGET | prompt of ``kind``) after ``steps`` RL steps."""
        after = self.checkpoints[steps].log_target[kind]
        return after - self.before.log_target[kind]

    def delta_log_odds(self, kind: str, steps: int = RL_STEPS) -> torch.Tensor:
        """Per seed [S]: Δ mean log-odds of TARGET on prompts of ``kind`` after ``steps`` steps.

        Unlike Δ log π, which is capped at −log π_before as π → 1, the log-odds keep growing,
        so a ratio of them does not drift to 1 merely because the ordinary behaviour saturates.
        """
        after = self.checkpoints[steps].log_odds_target[kind]
        return after - self.before.log_odds_target[kind]


def rl_optimizer(params: dict[str, torch.Tensor]) -> torch.optim.Optimizer:
    """RL's optimizer: Adam with torch defaults and fresh state over every parameter.

    Looked up at call time, like RL_PROMPTS: a framework test plants one that updates only the
    parameters of the cued mechanism, to check that the decision can come out HOLDS.
    """
    return torch.optim.Adam(list(params.values()))


def run(unit: str, seeds: Sequence[int], checkpoints: Sequence[int] = CHECKPOINTS) -> Experiment:
    """Pre-train, check the setup, then REINFORCE to the last checkpoint; all seeds in one batch.

    ``checkpoints``: the RL step counts (positive, increasing) after which the policy is
    evaluated. Experiment.after is the evaluation at RL_STEPS when that is a checkpoint, else
    at the last one. The defaults reproduce the committed numbers.
    """
    if not checkpoints or list(checkpoints) != sorted(set(checkpoints)) or checkpoints[0] < 1:
        raise ValueError(f"checkpoints must be increasing positive step counts, got {checkpoints}")
    data = draw_randomness(seeds, max(checkpoints))
    params = {n: v.requires_grad_(True) for n, v in init_parameters(unit, seeds).items()}
    adam = torch.optim.Adam(list(params.values()), lr=PRETRAIN_LR)
    for t in range(PRETRAIN_STEPS):
        log_probs = torch.log_softmax(last_logits(params, data.train_tokens[:, t], unit), dim=-1)
        loss = -(_soft_labels(data.train_labels[:, t]) * log_probs).sum(-1).mean(dim=1).sum()
        adam.zero_grad()
        loss.backward()
        adam.step()
    before = evaluate(params, unit, data)
    usable = (before.accuracy["ordinary"] >= SETUP_ACCURACY) & (
        before.accuracy["trigger"] >= SETUP_ACCURACY
    )
    adam = rl_optimizer(params)
    evaluations = {}
    for t in range(max(checkpoints)):
        log_probs = torch.log_softmax(last_logits(params, data.rl_tokens[:, t], unit), dim=-1)
        loss = reinforce_loss(log_probs, data.rl_uniforms[:, t], TARGET)
        adam.zero_grad()
        loss.backward()
        adam.step()
        if t + 1 in checkpoints:
            evaluations[t + 1] = evaluate(params, unit, data)
    after = evaluations.get(RL_STEPS, evaluations[max(checkpoints)])
    return Experiment(before, after, evaluations, usable)
