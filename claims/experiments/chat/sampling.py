"""Seeded sampling of K answers per prompt, by hand from the logits, cached per seed as JSON.

Sampling is plain ancestral sampling from the model's own distribution (temperature 1, no top-k
or top-p): REINFORCE's estimator is unbiased only for samples from π itself (Williams 1992). Each
token is drawn by inverse CDF from a uniform pre-drawn on the CPU from torch.Generator(seed), all
P x K x max_new_tokens of them in one fixed order, so a rerun with the same seed draws the same
answers (``generate`` would take its randomness from the global generator). A row stops at
<|im_end|> (the chat template's end of turn) or <|endoftext|>; the stop token is kept as part of
the completion, since choosing to stop is an action of the policy.

Rollouts are written to build/chat-rollouts/<key>/seed-<seed>.json, the key a hash of everything
that decides which samples are drawn (GGUF identity, gate, layers, prompts, K, length, sampler
version), so SGD, Adam and AdamW runs read the same samples and reruns skip sampling. Models
without a GGUF identity in their provenance (the tiny test models) are never cached.

The device is not part of the key, and nothing random happens on it: the uniforms come from a
CPU torch.Generator; the model's device only maps each uniform to a token, by the inverse CDF of
the float64 softmax of its logits. A GPU and a CPU therefore draw the same answers except where
a cumulative probability lies within rounding of its uniform (float32 logits differ between
devices by roundings; the float64 scan's summation order adds far less): rare, and then the
tokens differ, not the randomness. GRPO's on-policy draws (``step_uniforms``, ``sample_answers``) follow the same rule
with one generator per (seed, step).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from claims.experiments.chat.model import ChatModel, build_dir
from claims.experiments.chat.packing import continuation_pass, pad_right, prompt_pass
from claims.experiments.chat.prompts import ChatPrompt

STOP_TOKENS = ("<|im_end|>", "<|endoftext|>")
# Bumped whenever the sampler's draws change, so stale caches are never read.
SAMPLER_VERSION = 3
ROLLOUT_FOLDER = "chat-rollouts"


@dataclass(frozen=True)
class Rollouts:
    seed: int
    # Samples per prompt (K).
    samples: int
    # The user messages, in order.
    instructions: tuple[str, ...]
    # Token ids of each templated prompt (P of them).
    prompt_ids: tuple[tuple[int, ...], ...]
    # Token ids of each answer, prompt-major: row p * K + k (P * K of them), stop token included.
    completion_ids: tuple[tuple[int, ...], ...]
    # Decoded answers (special tokens dropped).
    texts: tuple[str, ...]
    # Reward of each answer (ChatPrompt.reward).
    rewards: tuple[float, ...]
    # log π(answer | prompt) summed over its tokens, as computed while sampling (KV cache).
    sample_log_probs: tuple[float, ...]


def prompt_ids(tokenizer: object, instruction: str) -> list[int]:
    """The user message through the model's chat template, ending with the assistant header.

    SmolLM2's template adds its default system message when none is given: the model as shipped.
    """
    text = tokenizer.apply_chat_template(
        [{"role": "user", "content": instruction}], add_generation_prompt=True, tokenize=False
    )
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def stop_ids(tokenizer: object) -> set[int]:
    """Ids of the STOP_TOKENS the tokenizer's vocabulary has."""
    vocabulary = tokenizer.get_vocab()
    return {vocabulary[token] for token in STOP_TOKENS if token in vocabulary}


def sample_rollouts(
    chat: ChatModel,
    prompts: Sequence[ChatPrompt],
    *,
    seed: int,
    samples: int = 4,
    max_new_tokens: int = 16,
    use_cache: bool = True,
) -> Rollouts:
    """K = ``samples`` answers of at most ``max_new_tokens`` tokens to each prompt, from ``seed``."""
    if samples < 1 or max_new_tokens < 1 or not prompts:
        raise ValueError("need at least one prompt, one sample and one new token")
    path = _cache_path(chat, prompts, seed, samples, max_new_tokens) if use_cache else None
    if path is not None and path.is_file():
        stored = json.loads(path.read_text())
        cached = Rollouts(
            **{k: _tuples(v) if isinstance(v, list) else v for k, v in stored.items()}
        )
        # Rewards are recomputed from the answers: the cache holds samples, not the reward rule.
        rewards = tuple(prompts[i // samples].reward(text) for i, text in enumerate(cached.texts))
        return dataclasses.replace(cached, rewards=rewards)
    generator = torch.Generator().manual_seed(seed)
    uniforms = torch.rand(
        len(prompts), samples, max_new_tokens, generator=generator, dtype=torch.float64
    )
    all_prompt_ids = tuple(tuple(prompt_ids(chat.tokenizer, p.instruction)) for p in prompts)
    completions, log_probs = _sample_answers(chat, all_prompt_ids, uniforms.flatten(0, 1))
    texts = tuple(chat.tokenizer.decode(c, skip_special_tokens=True) for c in completions)
    rewards = tuple(prompts[i // samples].reward(text) for i, text in enumerate(texts))
    rollouts = Rollouts(
        seed,
        samples,
        tuple(p.instruction for p in prompts),
        all_prompt_ids,
        tuple(completions),
        texts,
        rewards,
        tuple(log_probs),
    )
    if path is not None:
        _write_json(path, asdict(rollouts))
    return rollouts


@torch.no_grad()
def _sample_answers(
    chat: ChatModel, prompts: Sequence[Sequence[int]], uniforms: torch.Tensor
) -> tuple[list[tuple[int, ...]], list[float]]:
    """Answers, prompt-major, to all prompts at once; uniforms [P * K, T] float64.

    Each prompt runs once and its KV cache is copied to its K rows (claims/experiments/chat/packing.py).
    """
    from transformers import DynamicCache

    rows, length = uniforms.shape
    samples = rows // len(prompts)
    stops = stop_ids(chat.tokenizer)
    cache = DynamicCache(config=chat.model.config)
    ids, mask = pad_right(prompts)
    ids, mask = ids.to(chat.device), mask.to(chat.device)
    last = prompt_pass(chat.model, ids, mask, cache)
    logits = chat.model.lm_head(last).repeat_interleave(samples, dim=0)
    cache.batch_repeat_interleave(samples)
    context_mask = mask.repeat_interleave(samples, dim=0)
    start = context_mask.sum(1)
    tokens: list[list[int]] = [[] for _ in range(rows)]
    log_prob = torch.zeros(rows, dtype=torch.float64)
    running = torch.ones(rows, dtype=torch.bool)
    for step in range(length):
        # float64 on the model's device: the CPU-drawn uniform decides, the device only maps it
        # (a 128 x 49152 softmax and scan cost 70 ms per token on two CPU threads).
        token_log_probs = torch.log_softmax(logits.double(), dim=-1)
        drawn = inverse_cdf(token_log_probs, uniforms[:, step].to(token_log_probs.device))
        chosen = token_log_probs.gather(1, drawn[:, None]).squeeze(1).cpu()
        drawn = drawn.cpu()
        log_prob += torch.where(running, chosen, 0.0)
        for row in running.nonzero().flatten().tolist():
            tokens[row].append(int(drawn[row]))
        running &= ~torch.tensor([int(t) in stops for t in drawn])
        if not running.any() or step == length - 1:
            break
        step_mask = torch.ones(rows, 1, dtype=torch.long, device=chat.device)
        hidden = continuation_pass(
            chat.model, drawn[:, None].to(chat.device), step_mask, context_mask, start + step, cache
        )
        logits = chat.model.lm_head(hidden[:, -1])
        context_mask = torch.cat([context_mask, step_mask], dim=1)
    return [tuple(row) for row in tokens], log_prob.tolist()


def sample_answers(
    chat: ChatModel, prompts: Sequence[Sequence[int]], uniforms: torch.Tensor
) -> tuple[list[tuple[int, ...]], list[float]]:
    """Answers, prompt-major, to ``prompts`` (token ids), K = uniforms.shape[0] / len(prompts)
    per prompt, one uniform per token: uniforms [P * K, T] float64 on the CPU. Returns each
    answer's token ids (stop token kept) and its log π(answer | prompt) while sampling."""
    if uniforms.device.type != "cpu" or uniforms.dtype != torch.float64:
        raise ValueError(
            "uniforms must be float64 on the CPU (the draws never depend on the device)"
        )
    if not prompts or uniforms.shape[0] % len(prompts):
        raise ValueError(
            f"{uniforms.shape[0]} uniform rows do not split over {len(prompts)} prompts"
        )
    return _sample_answers(chat, prompts, uniforms)


def step_generator(purpose: str, seed: int, step: int) -> torch.Generator:
    """A CPU generator for one (purpose, seed, step): seeded with the first 8 bytes of
    sha256("<purpose>:<seed>:<step>"), so streams for different steps or purposes never share a
    seed and a run's draws do not depend on how many numbers earlier steps consumed."""
    digest = hashlib.sha256(f"{purpose}:{seed}:{step}".encode()).digest()
    return torch.Generator().manual_seed(int.from_bytes(digest[:8], "little") >> 1)


def step_uniforms(seed: int, step: int, rows: int, length: int) -> torch.Tensor:
    """The uniforms of step ``step``'s samples: float64 [rows, length] on the CPU."""
    generator = step_generator("sample", seed, step)
    return torch.rand(rows, length, generator=generator, dtype=torch.float64)


def inverse_cdf(log_probs: torch.Tensor, uniforms: torch.Tensor) -> torch.Tensor:
    """Per row, the first token whose cumulative probability exceeds u (never one of probability 0).

    log_probs [N, V] float64 (normalised), uniforms [N] in [0, 1). Returns token ids [N] long.
    """
    cumulative = log_probs.exp().cumsum(dim=-1)
    drawn = torch.searchsorted(cumulative, uniforms[:, None].contiguous(), right=True).squeeze(1)
    # Rounding can leave the total a hair under 1; u above it takes the last token.
    return drawn.clamp_max(log_probs.shape[-1] - 1)


def _tuples(value: list) -> tuple:
    return tuple(_tuples(v) if isinstance(v, list) else v for v in value)


def _cache_path(
    chat: ChatModel, prompts: Sequence[ChatPrompt], seed: int, samples: int, length: int
) -> Path | None:
    if "gguf_sha256" not in chat.provenance:
        return None
    key = {
        "gguf_sha256": chat.provenance["gguf_sha256"],
        "transformers": chat.provenance.get("transformers"),
        "gate": chat.gate,
        "layers": chat.model.config.num_hidden_layers,
        "prompts": [[p.instruction, list(p.answers)] for p in prompts],
        "samples": samples,
        "max_new_tokens": length,
        "sampler": SAMPLER_VERSION,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    return build_dir() / ROLLOUT_FOLDER / digest / f"seed-{seed}.json"


def _write_json(path: Path, data: dict) -> None:
    """Atomically: a temporary file in the same folder, then os.replace."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(handle, "w") as stream:
        json.dump(data, stream)
    os.replace(temporary, path)
