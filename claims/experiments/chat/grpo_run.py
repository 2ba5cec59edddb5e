"""A GRPO run on the chat model with the measurements of tracking.py, as plain data.

``run_grpo`` trains ``chat`` in place (callers hand it a copy: ``clone``) for ``steps`` steps of
claims/experiments/chat/grpo.py on a pool of prompts, hooks every loss pass (tracking.Tracker),
takes checkpoints every ``checkpoint_every`` steps (and at 0 and at the end), and calls
``evaluate(chat, step)`` there for behaviour measures (None: nothing measured at that step).
Everything random is drawn from the run's seed on the CPU (grpo.epoch_order,
sampling.step_uniforms), so a rerun draws the same prompts and uniforms on any device.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import torch

from claims.experiments.chat.attribution import MLPProbe
from claims.experiments.chat.grpo import (
    LOSS_TYPE,
    Settings,
    StepRecord,
    epoch_order,
    make_optimizer,
    optimise,
    sample_step,
    trained_parameters,
)
from claims.experiments.chat.model import GATES, ChatModel
from claims.experiments.chat.prompts import ChatPrompt
from claims.experiments.chat.tracking import Tracker

LOG = logging.getLogger("claims.progress")
# The census threshold of the probe (|f'(g)| > EPSILON); the tracker reads only its g > 0 / g < 0
# counts and gradient split, which do not depend on it.
EPSILON = 0.01


def clone(chat: ChatModel, *, gate: str | None = None) -> ChatModel:
    """An independent copy of ``chat`` (weights deep-copied, tokenizer shared), with ``gate``."""
    gate = gate or chat.gate
    if gate not in GATES:
        raise ValueError(f"unknown gate {gate!r}: choose one of {', '.join(GATES)}")
    model = copy.deepcopy(chat.model)
    for layer in model.model.layers:
        layer.mlp.act_fn.name = gate
    return ChatModel(model, chat.tokenizer, chat.device, gate, dict(chat.provenance))


def frozen(chat: ChatModel) -> ChatModel:
    """A copy of ``chat`` with every parameter frozen: the reference policy π_ref."""
    reference = clone(chat)
    for parameter in reference.model.parameters():
        parameter.requires_grad_(False)
    return reference


@dataclass
class Run:
    gate: str
    seed: int
    settings: Settings
    loss_type: str
    steps: list[StepRecord] = field(default_factory=list)
    tracker: Tracker | None = None
    # Worst ratio of the hooked decomposition to autograd over the checked steps (<= 1).
    check_ratio: float | None = None
    # A few answers per checkpoint step: (step, prompt, answer, reward).
    examples: list[tuple[int, str, str, float]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self, *, per_neuron: bool = False) -> dict[str, Any]:
        return {
            "gate": self.gate,
            "seed": self.seed,
            "settings": asdict(self.settings),
            "loss_type": self.loss_type,
            "steps": [asdict(record) for record in self.steps],
            "measurements": self.tracker.to_json(per_neuron=per_neuron) if self.tracker else None,
            "check_ratio": self.check_ratio,
            "examples": [list(example) for example in self.examples],
            "seconds": self.seconds,
        }


def run_grpo(
    chat: ChatModel,
    prompts: Sequence[ChatPrompt],
    settings: Settings,
    *,
    seed: int,
    steps: int,
    checkpoint_every: int = 10,
    evaluate: Callable[[ChatModel, int], dict[str, Any] | None] | None = None,
    check_steps: Sequence[int] = (),
    reference: ChatModel | None = None,
) -> Run:
    """``steps`` GRPO steps on ``chat`` (in place) drawing from ``prompts``; see the module doc.

    reference: π_ref (default: a frozen copy of ``chat`` as it is now, when beta != 0).
    check_steps: steps whose hooked gradient decomposition is checked against autograd.
    """
    if steps < 1 or checkpoint_every < 1:
        raise ValueError("steps and checkpoint_every must be at least 1")
    started = time.perf_counter()
    if reference is None and settings.beta != 0.0:
        reference = frozen(chat)
    parameters = trained_parameters(chat, settings.trained)
    before = {name: p.requires_grad for name, p in chat.model.named_parameters()}
    chosen = {id(p) for p in parameters}
    for p in chat.model.parameters():
        p.requires_grad_(id(p) in chosen)
    rule, schedule = make_optimizer(settings, parameters, steps)
    tracker = Tracker.start(chat)
    run = Run(chat.gate, seed, settings, LOSS_TYPE, tracker=tracker)
    tracker.checkpoint(0, chat, evaluate(chat, 0) if evaluate else None)
    try:
        for step in range(steps):
            tick = time.perf_counter()
            indices = epoch_order(seed, len(prompts), step, settings.prompts_per_step)
            sampled = sample_step(
                chat, [prompts[i] for i in indices], seed=seed, step=step, settings=settings
            )
            probe = MLPProbe(chat, epsilon=EPSILON, check=step in check_steps)
            lr = rule.param_groups[0]["lr"]
            parts, norm, ratio = optimise(
                chat, sampled, rule, parameters, settings, reference=reference, probe=probe
            )
            schedule.step()
            if ratio is not None:
                run.check_ratio = max(ratio, run.check_ratio or 0.0)
            tracker.fold(step, probe.tallies)
            rewards = sampled.rewards.reshape(-1, settings.samples)
            lengths = sampled.batch.answer_mask.sum(1).double()
            run.steps.append(
                StepRecord(
                    step,
                    float(rewards.mean()),
                    float((rewards.std(dim=1) == 0).double().mean()),
                    float(parts.loss.detach()),
                    parts.kl,
                    parts.clipped,
                    norm,
                    lr,
                    int(lengths.sum()),
                    float(lengths.mean()),
                    time.perf_counter() - tick,
                )
            )
            done = step + 1
            if done % checkpoint_every == 0 or done == steps:
                run.examples += [
                    (done, p.instruction, sampled.texts[i * settings.samples], float(rewards[i, 0]))
                    for i, p in enumerate(sampled.prompts[:2])
                ]
                tracker.checkpoint(done, chat, evaluate(chat, done) if evaluate else None)
                LOG.info(
                    "GRPO %s %s seed %d: step %d/%d, reward %.3f, %.1f s/step",
                    chat.gate,
                    settings.optimizer,
                    seed,
                    done,
                    steps,
                    run.steps[-1].reward,
                    run.steps[-1].seconds,
                )
    finally:
        for name, p in chat.model.named_parameters():
            p.requires_grad_(before[name])
        chat.model.zero_grad(set_to_none=True)
    run.seconds = time.perf_counter() - started
    return run


def parameters_equal(first: ChatModel, second: ChatModel) -> bool:
    """Every parameter bit for bit equal (same names, same values)."""
    a, b = dict(first.model.named_parameters()), dict(second.model.named_parameters())
    return a.keys() == b.keys() and all(torch.equal(a[name], b[name]) for name in a)
