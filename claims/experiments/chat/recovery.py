"""The ReLU-gated counterfactual, recovered by distillation so that it can earn rewards itself.

Swapping SmolLM2's SiLU gates for ReLU in the same weights (model.py, gate="relu") leaves a
network whose answers are gibberish that never earns a reward, so GRPO on its own samples would
have no policy gradient. Before its GRPO run the control gets a short registered recovery phase:
every weight of the ReLU-gated copy is trained to match the SiLU model's next-token distribution,

    L = (1 / tokens) sum_t KL(p_SiLU(. | x_<t) || p_ReLU(. | x_<t)),

over real tokens of project text (claims/data/english-sample.txt, one sentence per sequence) and
of the prompt pool's reference answers (the chat template with the instruction and the reply
"<lead-in> <first accepted answer>."), for a fixed number of AdamW steps (Hinton et al.,
arXiv:1503.02531, at temperature 1). The teacher's distribution carries what the SiLU model
would answer, not the reference answers themselves (they are only the text it is read on).
``reward_rates`` measures the rewards it then earns on its own samples.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import torch

from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.packing import pad_right
from claims.experiments.chat.prompts import ChatPrompt
from claims.experiments.chat.sampling import prompt_ids, sample_answers, step_generator

SAMPLE_FILE = "english-sample.txt"


def text_lines() -> list[str]:
    """The sentences of claims/data/english-sample.txt ('#' lines are comments)."""
    text = resources.files("claims").joinpath("data", SAMPLE_FILE).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def reference_reply(prompt: ChatPrompt) -> str:
    """The reference answer: lead-in, the first accepted item, a full stop."""
    return f"{prompt.lead_in} {prompt.answers[0]}."


def answered_ids(tokenizer: object, prompt: ChatPrompt, reply: str) -> list[int]:
    """The chat template with the instruction and ``reply`` as the assistant's turn."""
    text = tokenizer.apply_chat_template(
        [{"role": "user", "content": prompt.instruction}, {"role": "assistant", "content": reply}],
        tokenize=False,
    )
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def distillation_sequences(
    tokenizer: object, prompts: Sequence[ChatPrompt], lines: Sequence[str]
) -> list[list[int]]:
    """Token ids of each text line, then of each prompt with its reference reply."""
    found = [tokenizer(line, add_special_tokens=False)["input_ids"] for line in lines]
    found += [answered_ids(tokenizer, p, reference_reply(p)) for p in prompts]
    return [ids for ids in found if len(ids) >= 2]


@dataclass
class Distillation:
    steps: int
    lr: float
    batch: int
    # Mean KL(teacher || student) per token before each step, nats.
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0


def batch_order(seed: int, count: int, step: int, batch: int) -> list[int]:
    """Sequences of ``step``: an epoch-wise seeded permutation dealt ``batch`` at a time."""
    per_epoch = max(count // batch, 1)
    epoch, slot = divmod(step, per_epoch)
    order = torch.randperm(count, generator=step_generator("distil", seed, epoch))
    return order[slot * batch : (slot + 1) * batch].tolist()


def token_kl(teacher: ChatModel, student: ChatModel, ids: torch.Tensor, mask: torch.Tensor):
    """Mean over real tokens of KL(p_teacher || p_student) of the next token (a scalar tensor
    with the student's graph). ids, mask [B, L] right-padded on the student's device."""
    real = mask.bool()
    with torch.no_grad():
        hidden = teacher.model.model(input_ids=ids, attention_mask=mask).last_hidden_state
        target = torch.log_softmax(teacher.model.lm_head(hidden[real]), dim=-1)
    hidden = student.model.model(input_ids=ids, attention_mask=mask).last_hidden_state
    predicted = torch.log_softmax(student.model.lm_head(hidden[real]), dim=-1)
    return (target.exp() * (target - predicted)).sum(-1).mean()


def distil(
    student: ChatModel,
    teacher: ChatModel,
    sequences: Sequence[Sequence[int]],
    *,
    steps: int,
    batch: int,
    lr: float = 1e-4,
    seed: int = 0,
    max_grad_norm: float = 1.0,
) -> Distillation:
    """``steps`` AdamW steps (weight decay 0) of every student weight on the token KL to the
    teacher, ``batch`` sequences per step (seeded); the student is changed in place."""
    if steps < 0 or batch < 1:
        raise ValueError("need steps >= 0 and batch >= 1")
    started = time.perf_counter()
    found = Distillation(steps, lr, batch)
    parameters = list(student.model.parameters())
    for parameter in parameters:
        parameter.requires_grad_(True)
    rule = torch.optim.AdamW(parameters, lr=lr, weight_decay=0.0)
    for step in range(steps):
        chosen = [sequences[i] for i in batch_order(seed, len(sequences), step, batch)]
        ids, mask = pad_right(chosen)
        loss = token_kl(teacher, student, ids.to(student.device), mask.to(student.device))
        rule.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, max_grad_norm)
        rule.step()
        found.losses.append(float(loss.detach()))
    rule.zero_grad(set_to_none=True)
    found.seconds = time.perf_counter() - started
    return found


@torch.no_grad()
def held_out_kl(
    student: ChatModel, teacher: ChatModel, sequences: Sequence[Sequence[int]], *, batch: int = 16
) -> float:
    """Mean token KL(teacher || student) over ``sequences`` (weighted by their tokens)."""
    total, tokens = 0.0, 0
    for start in range(0, len(sequences), batch):
        ids, mask = pad_right(sequences[start : start + batch])
        count = int(mask.sum())
        kl = token_kl(teacher, student, ids.to(student.device), mask.to(student.device))
        total, tokens = total + float(kl) * count, tokens + count
    return total / tokens


@torch.no_grad()
def reward_rates(
    chat: ChatModel,
    prompts: Sequence[ChatPrompt],
    *,
    samples: int,
    max_new_tokens: int,
    seed: int,
    chunk: int = 16,
) -> list[float]:
    """Per prompt, the share of ``samples`` sampled answers that earn the reward (seeded: the
    uniforms of chunk c come from step_generator("rates", seed, c))."""
    rates: list[float] = []
    for c, start in enumerate(range(0, len(prompts), chunk)):
        part = prompts[start : start + chunk]
        ids = [prompt_ids(chat.tokenizer, p.instruction) for p in part]
        generator = step_generator("rates", seed, c)
        uniforms = torch.rand(
            len(part) * samples, max_new_tokens, generator=generator, dtype=torch.float64
        )
        completions, _ = sample_answers(chat, ids, uniforms)
        for i, prompt in enumerate(part):
            rows = completions[i * samples : (i + 1) * samples]
            texts = [chat.tokenizer.decode(c, skip_special_tokens=True) for c in rows]
            rates.append(sum(prompt.reward(text) for text in texts) / samples)
    return rates
