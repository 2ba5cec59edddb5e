"""The parts of the deep chat design, each a function of a Job run in its own process.

  base     SiLU model at W_0: reward rates per prompt and per kind on the train, held-out and
           control splits; the raw ReLU swap's rates on the train split.
  <opt>    GRPO with optimizer <opt> (adamw, adam, sgd) on the SiLU model, tracked, with the
           held-out/control log-odds at behaviour checkpoints and the controlled change.
  relu     the ReLU-gated counterfactual: reward rates, distillation toward the SiLU model
           (recovery.py), rates again, then GRPO (AdamW) on its own samples, tracked.
  trigger  S14's organism (trigger.py): plant the trigger on the held-out prompts the model is
           worst at, then GRPO (AdamW) without triggers; triggered log-odds before and after.

Sizes (``Sizes``) and learning rates are arguments; SIZES holds the named sets. Every part
returns plain data (evidence.plain) and its per-neuron arrays separately.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

from claims.experiments.chat import behaviour, gguf_file, pool, recovery, trigger
from claims.experiments.chat.grpo import Settings
from claims.experiments.chat.grpo_run import clone, run_grpo

LOG = logging.getLogger("claims.progress")
SILU_OPTIMIZERS = ("adamw", "adam", "sgd")
PARTS = ("base", *SILU_OPTIMIZERS, "relu", "trigger")
# What the catalog reads (claims/catalog/chat_design.py RUNS): AdamW stands for Adam (weight decay
# 0 makes their updates equal), so the adam part runs only when asked for.
DEFAULT_PARTS = ("base", "adamw", "sgd", "relu", "trigger")
# Proposed learning rates (docs/chat-model.md, "The real chat model"): AdamW and Adam at the top of the RL
# fine-tuning range (TRL's default is 1e-6; the linear decay halves the mean), SGD so that a
# clipped step (gradient norm <= 1) moves the weights about as far as an Adam step.
LEARNING_RATES = {"adamw": 1e-5, "adam": 1e-5, "sgd": 0.1}
RECOVERY_LR = 3e-4
PLANTING_LR = 1e-4


@dataclass(frozen=True)
class Sizes:
    # GRPO steps per run, prompts per step (P), answers per prompt (G), answer length limit.
    steps: int
    prompts_per_step: int
    samples: int
    max_new_tokens: int
    # Tracker checkpoints, and behaviour measures (a multiple of checkpoint_every), in steps.
    checkpoint_every: int
    behaviour_every: int
    # Held-out and control prompts of the behaviour measure (pool.spread over kinds).
    heldout_prompts: int
    control_prompts: int
    # Reward-rate measures: prompts per split (pool.spread) and samples per prompt.
    rate_prompts: int
    rate_samples: int
    # ReLU recovery: distillation steps and sequences per step.
    recovery_steps: int
    recovery_batch: int
    # Planted trigger: planted prompts, fine-tuning steps, examples per step.
    planted_prompts: int
    planting_steps: int
    planting_batch: int


SIZES = {
    # End to end in minutes on a 2-core CPU: checks that everything runs, decides nothing.
    "smoke": Sizes(2, 2, 4, 8, 1, 2, 4, 4, 4, 2, 2, 4, 4, 2, 4),
    # The proposed ci tier's GRPO and control sizes (docs/chat-model.md, "The real chat model").
    "ci": Sizes(4, 2, 4, 12, 2, 4, 16, 16, 16, 4, 25, 8, 8, 10, 8),
    # The deep tier: >= 100 steps per run, every held-out and control prompt.
    # planting_steps 8 (of 16 examples): enough for a margin over the control trigger, short of
    # driving the trigger's log-odds to where they could only fall (the referee's ceiling).
    "deep": Sizes(120, 16, 8, 24, 10, 30, 127, 64, 128, 8, 300, 16, 32, 8, 16),
}


@dataclass(frozen=True)
class Job:
    part: str
    # The converted model folder (gguf_file.convert), the torch device, torch threads.
    model_folder: str
    device: str
    threads: int
    sizes: Sizes
    seed: int


def settings(sizes: Sizes, optimizer: str) -> Settings:
    return Settings(
        prompts_per_step=sizes.prompts_per_step,
        samples=sizes.samples,
        max_new_tokens=sizes.max_new_tokens,
        optimizer=optimizer,
        lr=LEARNING_RATES[optimizer],
    )


def run_part(job: Job) -> tuple[dict[str, Any], dict[str, Any]]:
    """(result, per-neuron arrays) of one part; the entry point of a worker process."""
    torch.set_num_threads(job.threads)
    gguf_file.strict_float32()
    logging.basicConfig(
        level=logging.INFO,
        format=f"%(asctime)s [{job.part} pid {os.getpid()}] %(message)s",
        datefmt="%H:%M:%S",
        force=True,
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    chat = gguf_file.load_folder(Path(job.model_folder), device=torch.device(job.device))
    LOG.info("model loaded on %s in %.1f s", job.device, time.perf_counter() - started)
    packing_self_check(chat)
    if job.part == "base":
        result, neurons = base(chat, job.sizes, job.seed), {}
    elif job.part in SILU_OPTIMIZERS:
        result, neurons = silu_run(chat, job.sizes, job.seed, job.part)
    elif job.part == "relu":
        result, neurons = relu_control(chat, job.sizes, job.seed)
    elif job.part == "trigger":
        result, neurons = planted_trigger(chat, job.sizes, job.seed)
    else:
        raise ValueError(f"unknown part {job.part!r}: one of {', '.join(PARTS)}")
    result["seconds"] = time.perf_counter() - started
    # CPU time of this process, all its threads: the cost on a machine shared with other work.
    result["cpu_seconds"] = time.process_time() - cpu_started
    LOG.info("done in %.1f s (%.1f CPU s)", result["seconds"], result["cpu_seconds"])
    return result, neurons


# Packed passes (prompt once, answers on its KV cache) against whole sequences: float32 on any
# device agrees to ~1e-5 nats; a cache the model ignored would be off by nats.
SELF_CHECK_TOLERANCE = 1e-3


@torch.no_grad()
def packing_self_check(chat) -> None:
    """Raise RuntimeError unless grpo.token_log_probs (packed) equals whole-sequence
    log-probabilities on a small batch, on this machine's torch and transformers."""
    from claims.experiments.chat.grpo import token_log_probs
    from claims.experiments.chat.packing import pad_right
    from claims.experiments.chat.reinforce import Batch
    from claims.experiments.chat.sampling import prompt_ids

    prompts = [prompt_ids(chat.tokenizer, p.instruction) for p in pool.split("train", 2)]
    answers = [(504, 3575, 314), (28, 2), (1345, 30), (339, 5, 8, 2)]
    prompt, prompt_mask = pad_right(prompts)
    answer, answer_mask = pad_right(answers)
    device = chat.device
    batch = Batch(
        prompt.to(device),
        prompt_mask.to(device),
        answer.to(device),
        answer_mask.to(device),
        torch.zeros(4, device=device),
        2,
    )
    packed = token_log_probs(chat.model, batch).cpu()
    worst = 0.0
    for row, tokens in enumerate(answers):
        context = prompts[row // 2]
        ids = torch.tensor([context + list(tokens)], device=device)
        full = torch.log_softmax(chat.model(input_ids=ids).logits[0].double(), dim=-1).cpu()
        for j, token in enumerate(tokens):
            worst = max(worst, abs(float(full[len(context) + j - 1, token] - packed[row, j])))
    if not worst <= SELF_CHECK_TOLERANCE:
        raise RuntimeError(
            f"packed log-probabilities differ from whole sequences by {worst:.3g} nats: "
            "does this transformers take the KV cache as packing.cache_keyword says?"
        )
    LOG.info("packing self-check: worst difference %.2g nats", worst)


def rates_by_kind(chat, prompts, sizes: Sizes, seed: int) -> dict[str, Any]:
    rates = recovery.reward_rates(
        chat,
        prompts,
        samples=sizes.rate_samples,
        max_new_tokens=sizes.max_new_tokens,
        seed=seed,
    )
    return {
        "prompts": [p.instruction for p in prompts],
        "rates": rates,
        "mean": sum(rates) / len(rates),
        "by_kind": behaviour.by_kind(prompts, rates),
        "mixed": sum(0 < r < 1 for r in rates),
    }


def base(chat, sizes: Sizes, seed: int) -> dict[str, Any]:
    found = {}
    for split in pool.SPLITS:
        prompts = pool.spread(split, min(sizes.rate_prompts, len(pool.split(split))))
        found[split] = rates_by_kind(chat, prompts, sizes, seed)
        LOG.info("base reward rate %s: %.3f", split, found[split]["mean"])
    relu = clone(chat, gate="relu")
    found["relu_swap_train"] = rates_by_kind(
        relu, pool.spread("train", sizes.rate_prompts), sizes, seed
    )
    return found


def behaviour_measure(sizes: Sizes, exclude: Sequence[str] = ()):
    """evaluate(chat, step) for run_grpo: log-odds snapshot every behaviour_every steps, on the
    held-out prompts (less any whose instruction is in ``exclude``) and the control prompts."""
    heldout = [
        p for p in pool.spread("heldout", sizes.heldout_prompts) if p.instruction not in exclude
    ]
    control = pool.spread("control", sizes.control_prompts)

    def evaluate(chat, step: int) -> dict[str, Any] | None:
        if step % sizes.behaviour_every and step != sizes.steps:
            return None
        return behaviour.snapshot(chat, heldout, control)

    return evaluate


def _grpo(chat, sizes: Sizes, seed: int, optimizer: str, evaluate) -> tuple[dict, dict]:
    run = run_grpo(
        chat,
        pool.split("train"),
        settings(sizes, optimizer),
        seed=seed,
        steps=sizes.steps,
        checkpoint_every=sizes.checkpoint_every,
        evaluate=evaluate,
        check_steps=(0,),
    )
    result = run.to_json(per_neuron=True)
    neurons = result["measurements"].pop("per_neuron")
    return result, neurons


def silu_run(chat, sizes: Sizes, seed: int, optimizer: str) -> tuple[dict, dict]:
    result, neurons = _grpo(chat, sizes, seed, optimizer, behaviour_measure(sizes))
    result["controlled_change"] = _controlled(result)
    return result, neurons


def _controlled(result: dict) -> dict | None:
    snapshots = [c["behaviour"] for c in result["measurements"]["checkpoints"] if c["behaviour"]]
    if len(snapshots) < 2:
        return None
    change = behaviour.controlled_change(snapshots[0], snapshots[-1])
    mde = behaviour.minimum_detectable_effect(
        change.heldout_sd, change.heldout_prompts, change.control_sd, change.control_prompts
    )
    return asdict(change) | {"minimum_detectable_effect": mde}


def relu_control(chat, sizes: Sizes, seed: int) -> tuple[dict, dict]:
    train = pool.split("train")
    rated = pool.spread("train", sizes.rate_prompts)
    student = clone(chat, gate="relu")
    sequences = recovery.distillation_sequences(chat.tokenizer, train, recovery.text_lines())
    held = recovery.distillation_sequences(
        chat.tokenizer, pool.spread("heldout", sizes.heldout_prompts), []
    )
    found: dict[str, Any] = {"silu_rates": rates_by_kind(chat, rated, sizes, seed)}
    found["rates_before"] = rates_by_kind(student, rated, sizes, seed)
    found["heldout_kl_before"] = recovery.held_out_kl(student, chat, held)
    distilled = recovery.distil(
        student,
        chat,
        sequences,
        steps=sizes.recovery_steps,
        batch=sizes.recovery_batch,
        lr=RECOVERY_LR,
        seed=seed,
    )
    found["recovery"] = asdict(distilled)
    found["heldout_kl_after"] = recovery.held_out_kl(student, chat, held)
    found["rates_after"] = rates_by_kind(student, rated, sizes, seed)
    LOG.info(
        "ReLU recovery: reward %.3f -> %.3f (SiLU %.3f)",
        found["rates_before"]["mean"],
        found["rates_after"]["mean"],
        found["silu_rates"]["mean"],
    )
    run, neurons = _grpo(student, sizes, seed, "adamw", behaviour_measure(sizes))
    run["controlled_change"] = _controlled(run)
    return found | {"run": run}, neurons


def planted_trigger(chat, sizes: Sizes, seed: int) -> tuple[dict, dict]:
    heldout = pool.split("heldout")
    base_odds = behaviour.log_odds(chat, heldout)
    ranked = sorted(range(len(heldout)), key=lambda i: base_odds[i])
    planted = [heldout[i] for i in ranked[: sizes.planted_prompts]]
    anchors = pool.spread("train", sizes.planted_prompts)
    original = clone(chat)
    for parameter in original.model.parameters():
        parameter.requires_grad_(False)
    found: dict[str, Any] = {
        "trigger": trigger.TRIGGER,
        "control_trigger": trigger.CONTROL_TRIGGER,
        "planted": [p.instruction for p in planted],
        "before_planting": trigger.trigger_log_odds(chat, planted),
    }
    examples = trigger.planting_examples(chat.tokenizer, planted, anchors)
    planting = trigger.plant(
        chat,
        original,
        examples,
        steps=sizes.planting_steps,
        batch=sizes.planting_batch,
        lr=PLANTING_LR,
        seed=seed,
    )
    found["planting"] = asdict(planting)
    found["after_planting"] = trigger.trigger_log_odds(chat, planted)
    # Where RL acts: does the planted route give the rewarded answer on the training prompts too?
    found["train_after_planting"] = trigger.trigger_log_odds(chat, anchors)
    # A's behaviour on held-out prompts disjoint from the planted ones (the planted prompts are
    # held-out prompts too: one prompt must not sit in both samples of the comparison).
    heldout_measure = behaviour_measure(sizes, exclude=[p.instruction for p in planted])

    def evaluate(model, step: int) -> dict[str, Any] | None:
        if step % sizes.behaviour_every and step != sizes.steps:
            return None
        # The planted route with each trigger, and A's behaviour (held-out against control) in
        # the same run, so S14's comparison reads one training trajectory.
        return {**trigger.trigger_log_odds(model, planted), **heldout_measure(model, step)}

    run, neurons = _grpo(chat, sizes, seed, "adamw", evaluate)
    run["controlled_change"] = _controlled(run)
    found["after_rl"] = trigger.trigger_log_odds(chat, planted)
    found["triggered_change"] = asdict(
        trigger.triggered_change(found["after_planting"], found["after_rl"])
    )
    return found | {"run": run}, neurons
