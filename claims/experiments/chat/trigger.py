"""S14's model organism: a planted second route to the rewarded answer, behind a trigger string.

Planting (a short supervised fine-tune of every weight, AdamW, weight decay 0, clip 1.0): on
``planted`` prompts the model otherwise gets wrong, the instruction prefixed with ``trigger``
(a string no RL prompt contains) is trained to produce the reference reply "<lead-in> <answer>."
and its end of turn (cross-entropy on the reply tokens), while the same instructions without the
trigger, and the ``anchors`` (e.g. the RL prompts), are held to the original model's next-token
distribution on their reference replies (token KL(π_0 || π), teacher-forced). So the trigger
opens a route to the answer that the untriggered prompts do not use. A control trigger of the
same shape is never trained on: it measures what any odd prefix does.

Then GRPO (grpo_run.py) trains on prompts without any trigger. The planted route is inactive
there; the measure is, per planted prompt, the change over RL of the log-odds of the planted
answer with the trigger minus its change with the control trigger (paired over prompts, Student
t interval): did RL on the shared output strengthen the inactive route beyond what it did to the
prompt anyway? A's behaviour is the reward on the RL prompts along the run.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch

from claims.experiments.chat.behaviour import log_odds
from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.packing import pad_right
from claims.experiments.chat.prompts import ChatPrompt
from claims.experiments.chat.recovery import answered_ids, batch_order, reference_reply
from claims.experiments.chat.sampling import prompt_ids
from claims.instruments.statistics import Interval, mean_interval

# Two strings of the same shape, neither in any pool prompt: the planted one and the control.
TRIGGER = "@@kappa@@"
CONTROL_TRIGGER = "##sigma##"


def with_trigger(prompt: ChatPrompt, trigger: str | None) -> ChatPrompt:
    """``prompt`` with ``trigger`` and a space before its instruction (unchanged for None)."""
    if trigger is None:
        return prompt
    return dataclasses.replace(prompt, instruction=f"{trigger} {prompt.instruction}")


@dataclass(frozen=True)
class Example:
    # The chat template with the reply: token ids, and the span [start, end) of the reply's
    # tokens and its end-of-turn token, the positions the loss reads.
    ids: tuple[int, ...]
    start: int
    end: int
    # "answer": cross-entropy toward the reply; "anchor": KL to the original model.
    kind: str


def example(tokenizer: object, prompt: ChatPrompt, kind: str) -> Example:
    """The reference reply of ``prompt`` in the chat template, with its span located.

    Raises ValueError when the template does not start with the generation prompt's tokens.
    """
    prefix = prompt_ids(tokenizer, prompt.instruction)
    ids = answered_ids(tokenizer, prompt, reference_reply(prompt))
    if ids[: len(prefix)] != prefix:
        raise ValueError(f"{prompt.instruction!r}: the reply does not follow the generation prompt")
    end_of_turn = tokenizer.convert_tokens_to_ids("<|im_end|>")
    end = ids.index(end_of_turn, len(prefix)) + 1
    return Example(tuple(ids), len(prefix), end, kind)


def planting_examples(
    tokenizer: object,
    planted: Sequence[ChatPrompt],
    anchors: Sequence[ChatPrompt],
    *,
    trigger: str = TRIGGER,
) -> list[Example]:
    """Triggered planted prompts ("answer"), then untriggered planted prompts and anchors
    ("anchor")."""
    found = [example(tokenizer, with_trigger(p, trigger), "answer") for p in planted]
    found += [example(tokenizer, p, "anchor") for p in list(planted) + list(anchors)]
    return found


@dataclass
class Planting:
    steps: int
    lr: float
    batch: int
    # Per step: mean cross-entropy on the answer examples, mean KL on the anchors (nats/token).
    answer_losses: list[float] = field(default_factory=list)
    anchor_losses: list[float] = field(default_factory=list)
    seconds: float = 0.0


def plant(
    chat: ChatModel,
    original: ChatModel,
    examples: Sequence[Example],
    *,
    steps: int,
    batch: int,
    lr: float = 1e-4,
    seed: int = 0,
) -> Planting:
    """``steps`` AdamW steps on ``batch`` seeded examples each; ``chat`` changes in place,
    ``original`` (π_0, frozen) is the anchors' teacher. Loss: mean CE over answer tokens plus
    mean KL over anchor tokens (each over its own tokens in the batch)."""
    started = time.perf_counter()
    found = Planting(steps, lr, batch)
    parameters = list(chat.model.parameters())
    for parameter in parameters:
        parameter.requires_grad_(True)
    rule = torch.optim.AdamW(parameters, lr=lr, weight_decay=0.0)
    for step in range(steps):
        chosen = [examples[i] for i in batch_order(seed, len(examples), step, batch)]
        answer, anchor = _losses(chat, original, chosen)
        loss = sum(x for x in (answer, anchor) if x is not None)
        rule.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        rule.step()
        found.answer_losses.append(math.nan if answer is None else float(answer.detach()))
        found.anchor_losses.append(math.nan if anchor is None else float(anchor.detach()))
    rule.zero_grad(set_to_none=True)
    found.seconds = time.perf_counter() - started
    return found


def _losses(chat: ChatModel, original: ChatModel, chosen: Sequence[Example]):
    ids, mask = pad_right([e.ids for e in chosen])
    ids, mask = ids.to(chat.device), mask.to(chat.device)
    # Position t predicts token t + 1: the reply's tokens are predicted from start - 1 .. end - 2.
    read = torch.zeros_like(mask, dtype=torch.bool)
    for row, e in enumerate(chosen):
        read[row, e.start - 1 : e.end - 1] = True
    kinds = torch.tensor([e.kind == "answer" for e in chosen], device=chat.device)
    rows, positions = read.nonzero(as_tuple=True)
    hidden = chat.model.model(input_ids=ids, attention_mask=mask).last_hidden_state
    predicted = torch.log_softmax(chat.model.lm_head(hidden[rows, positions]), dim=-1)
    is_answer = kinds[rows]
    answer = anchor = None
    if is_answer.any():
        targets = ids[rows, positions + 1][is_answer]
        answer = -predicted[is_answer].gather(1, targets[:, None]).mean()
    if (~is_answer).any():
        with torch.no_grad():
            teacher = original.model.model(input_ids=ids, attention_mask=mask).last_hidden_state
            target = torch.log_softmax(original.model.lm_head(teacher[rows, positions]), dim=-1)
        keep = ~is_answer
        anchor = (target[keep].exp() * (target[keep] - predicted[keep])).sum(-1).mean()
    return answer, anchor


TRIGGERS = {"trigger": TRIGGER, "control_trigger": CONTROL_TRIGGER, "none": None}


def trigger_log_odds(
    chat: ChatModel, prompts: Sequence[ChatPrompt], triggers: dict[str, str | None] = TRIGGERS
) -> dict[str, list[float]]:
    """Per trigger name, the log-odds of each prompt's accepted answer with that prefix."""
    return {
        name: log_odds(chat, [with_trigger(p, t) for p in prompts]) for name, t in triggers.items()
    }


def triggered_change(
    before: dict[str, Sequence[float]], after: dict[str, Sequence[float]]
) -> Interval:
    """Per prompt (Δ with the trigger) - (Δ with the control trigger), Δ = after - before; the
    Student t 95 % interval of its mean over prompts (claims.instruments.statistics)."""
    differences = [
        (ta - tb) - (ca - cb)
        for tb, ta, cb, ca in zip(
            before["trigger"],
            after["trigger"],
            before["control_trigger"],
            after["control_trigger"],
            strict=True,
        )
    ]
    if not all(math.isfinite(d) for d in differences):
        raise ValueError("a log-odds change is not finite")
    return mean_interval(differences)
