"""One function per measurement on the chat model; seeds, sizes and optimizers are arguments.

A catalog test loads the model once (``claims.experiments.chat.model.load``; ``using_gate`` for the ReLU
control) and calls, with the sizes its catalog entry fixes (``Size`` holds one set):

  attributions(...)        per seed: the gate census and the gradient's sign split at W_0
  reinforce_runs(...)      per seed: the above, then k REINFORCE steps per optimizer, per-neuron
                           update sizes and held-out log-odds after each optimizer's run
  inactive_update_ratio    from a SeedRun: mean update of always-negative neurons / active ones
  update_by_activity       from a SeedRun: mean update per bin of gate activity
  active_set_overlaps(...) Jaccard overlap of training and held-out active-neuron sets

Per seed the answers are sampled once from W_0 (cached under build/), the attribution pass is
the first REINFORCE step's forward and backward, and its gradient is reused as every
optimizer's first step (exact: same W_0, same batch); W_0 is restored after each optimizer.
A seed whose every advantage is 0 (each prompt's answers all earned the same reward) has no
policy gradient: it is attributed (its census counts) but not trained (SeedRun.has_gradient).

The ReLU control samples with the model's own gate (``sample_gate="silu"``): the same prompts,
answers and advantages per seed as the SiLU run, only the gate of the differentiated network
differs. (Sampled from the ReLU-gated network itself, SmolLM2's answers are gibberish that
never earns a reward: every seed would have no policy gradient.)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch

from claims.experiments.chat import heldout, prompts
from claims.experiments.chat.attribution import Attribution, attribute
from claims.experiments.chat.model import ChatModel, using_gate
from claims.experiments.chat.reinforce import (
    Batch,
    Training,
    group_advantages,
    make_batch,
    trained,
)
from claims.experiments.chat.sampling import Rollouts, sample_rollouts

LOG = logging.getLogger("claims.progress")
PARTS = ("gate_rows", "up_rows", "down_columns")


@dataclass(frozen=True)
class Size:
    # One rollout batch per seed.
    seeds: tuple[int, ...]
    # Seeds for the ReLU control, whose findings are exact zeros and need few seeds.
    control_seeds: tuple[int, ...]
    # The first n prompts of the train and held-out splits.
    train_prompts: int
    heldout_prompts: int
    # Answers per prompt (K) and their length limit in tokens.
    samples: int
    max_new_tokens: int
    # REINFORCE steps per optimizer.
    steps: int


# What the sizes cost; the catalog fixes them (CHAT_* in
# claims/catalog/inactive_circuit_not_reinforced.py, read by tests/common/chat_runs.sizes).
# Measured on this project's 2-core machine, one torch thread, an otherwise idle core (CPU
# seconds; a shared core doubles the wall time):
#   cached load 2.8 s (first load, dequantizing the GGUF: 19 s);
#   ci batch (2 prompts x 4 answers <= 16 tokens, ~200 distinct tokens): sampling 1.8 s,
#   attribution pass 2.3 s (plain forward and backward 2.1 s), applying the shared first step
#   0.5-1.0 s per optimizer, each further step ~1.5-2 s, held-out log-odds 0.15 s per prompt;
#   so ~14.5 s per seed at 2 steps and 3 optimizers: ci ~ 8 x 14.5 + 2 x 14.5 + 4 = 150 s.
#   thorough batch (8 prompts x 8 answers, ~1230 tokens): sampling 6 s, attribution 14 s, each
#   further step 13.5 s: ~110 s per seed at 3 steps, ~30 min per gate for 16 seeds.


def rollout_batch(
    chat: ChatModel,
    *,
    seed: int,
    train_prompts: int,
    samples: int,
    max_new_tokens: int,
    sample_gate: str | None = None,
) -> tuple[Rollouts, Batch]:
    """Seeded answers to the first ``train_prompts`` training prompts, and their batch.

    sample_gate: the gate the answers are sampled with (default: the model's current one).
    """
    chosen = prompts.split("train", train_prompts)
    with using_gate(chat, sample_gate or chat.gate):
        rollouts = sample_rollouts(
            chat, chosen, seed=seed, samples=samples, max_new_tokens=max_new_tokens
        )
    return rollouts, make_batch(rollouts, chat.device)


def attributions(
    chat: ChatModel,
    *,
    seeds: Sequence[int],
    train_prompts: int,
    samples: int,
    max_new_tokens: int,
    epsilon: float = 0.01,
    t: float | None = None,
    check: bool = False,
    sample_gate: str | None = None,
) -> list[Attribution]:
    """Census and gradient split of the REINFORCE loss at W_0, one per seed."""
    found = []
    for i, seed in enumerate(seeds):
        LOG.info("chat attribution (%s): seed %d/%d", chat.gate, i + 1, len(seeds))
        _, batch = rollout_batch(
            chat,
            seed=seed,
            train_prompts=train_prompts,
            samples=samples,
            max_new_tokens=max_new_tokens,
            sample_gate=sample_gate,
        )
        found.append(attribute(chat, batch, epsilon=epsilon, t=t, check=check))
    return found


@dataclass
class SeedRun:
    seed: int
    rollouts: Rollouts
    # At W_0 on the seed's batch: census, activity, gradient split.
    attribution: Attribution
    # Optimizer -> its k-step run (per-neuron updates, losses); empty without a policy gradient.
    trainings: dict[str, Training]
    # Held-out log-odds at W_0 and after each optimizer's run, float64 [heldout prompts].
    log_odds_before: torch.Tensor
    log_odds_after: dict[str, torch.Tensor]

    @property
    def has_gradient(self) -> bool:
        """Some advantage is nonzero (else the seed has no policy gradient and was not trained)."""
        return has_policy_gradient(self.rollouts)

    def log_odds_change(self, optimizer: str) -> torch.Tensor:
        return self.log_odds_after[optimizer] - self.log_odds_before


def reinforce_runs(
    chat: ChatModel,
    *,
    seeds: Sequence[int],
    optimizers: Sequence[str],
    steps: int,
    train_prompts: int,
    heldout_prompts: int,
    samples: int,
    max_new_tokens: int,
    lr: Mapping[str, float] | None = None,
    epsilon: float = 0.01,
    t: float | None = None,
    check: bool = False,
    sample_gate: str | None = None,
) -> list[SeedRun]:
    """Per seed: sample, attribute at W_0, then ``steps`` REINFORCE steps with each optimizer.

    lr: per-optimizer learning rates overriding the registry's (torch defaults; SGD 0.1).
    t, check: passed to ``attribute`` (census of -t < g < 0; the comparison with autograd).
    sample_gate: the gate answers are sampled with (``rollout_batch``). A seed without a policy
    gradient (every advantage 0) is attributed but not trained.
    """
    evaluated = prompts.split("heldout", heldout_prompts)
    before = heldout.answer_log_odds(chat, evaluated)  # W_0 is the same for every seed
    runs = []
    for i, seed in enumerate(seeds):
        LOG.info("chat REINFORCE (%s): seed %d/%d", chat.gate, i + 1, len(seeds))
        rollouts, batch = rollout_batch(
            chat,
            seed=seed,
            train_prompts=train_prompts,
            samples=samples,
            max_new_tokens=max_new_tokens,
            sample_gate=sample_gate,
        )
        found = attribute(chat, batch, epsilon=epsilon, t=t, check=check)
        trainings, after = {}, {}
        for optimizer in optimizers if has_policy_gradient(rollouts) else ():
            rate = None if lr is None else lr.get(optimizer)
            with trained(
                chat, batch, optimizer, steps=steps, lr=rate, first_gradient=found.gradient
            ) as run:
                trainings[optimizer] = run
                after[optimizer] = heldout.answer_log_odds(chat, evaluated)
        found.gradient = None  # 318 MB of float32; the trainings have used it
        runs.append(SeedRun(seed, rollouts, found, trainings, before, after))
    return runs


def has_policy_gradient(rollouts: Rollouts) -> bool:
    """Some answer's reward differs from its prompt's mean (a nonzero group advantage)."""
    rewards = torch.tensor(rollouts.rewards, dtype=torch.float64)
    return bool(group_advantages(rewards, rollouts.samples).ne(0).any())


def inactive_update_ratio(run: SeedRun, optimizer: str, *, part: str = "gate_rows") -> float:
    """Mean update norm of neurons with g < 0 on every training token / that of the others.

    part: "gate_rows", "up_rows" or "down_columns". Raises ValueError when no neuron (or every
    neuron) is inactive: the ratio is undefined.
    """
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: choose one of {', '.join(PARTS)}")
    updates = getattr(run.trainings[optimizer].updates, part)
    inactive = run.attribution.inactive()
    if not inactive.any() or inactive.all():
        raise ValueError(
            f"seed {run.seed}: {int(inactive.sum())} inactive neurons; ratio undefined"
        )
    return float(updates[inactive].mean() / updates[~inactive].mean())


def update_by_activity(
    run: SeedRun,
    optimizer: str,
    *,
    part: str = "gate_rows",
    edges: Sequence[float] = (0.0, 0.05, 0.25, 0.5, 1.0),
) -> list[tuple[float, float, int, float]]:
    """(low, high, neurons, mean update norm) per activity bin; the first bin is activity == 0.

    Activity: fraction of the seed's training tokens on which the neuron's gate is open (g > 0).
    Bins: [edges[0], edges[0]] then (edges[i], edges[i+1]]. Empty bins report a NaN mean.
    """
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: choose one of {', '.join(PARTS)}")
    updates = getattr(run.trainings[optimizer].updates, part).flatten()
    activity = run.attribution.activity().flatten()
    bins = [(edges[0], edges[0], activity == edges[0])]
    bins += [
        (lo, hi, (activity > lo) & (activity <= hi))
        for lo, hi in zip(edges, edges[1:], strict=False)
    ]
    return [
        (lo, hi, int(chosen.sum()), float(updates[chosen].mean()) if chosen.any() else float("nan"))
        for lo, hi, chosen in bins
    ]


def active_set_overlaps(
    chat: ChatModel, *, train_prompts: int, heldout_prompts: int, min_activity: float = 0.0
) -> list[float]:
    """Jaccard overlap of the training prompts' active neurons with each held-out prompt's."""
    return heldout.active_set_overlaps(
        chat,
        prompts.split("train", train_prompts),
        prompts.split("heldout", heldout_prompts),
        min_activity=min_activity,
    )
