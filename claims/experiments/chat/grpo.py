"""GRPO as practised (DeepSeekMath, arXiv:2402.03300; Hugging Face TRL 1.16's GRPOTrainer).

One step, as TRL runs it with its defaults (``num_iterations`` μ = 1, ``loss_type="dapo"``,
``scale_rewards="group"``, ``importance_sampling_level="token"``, temperature 1, no top-k/top-p):

1. Draw P prompts from the pool (an epoch-wise seeded permutation, like TRL's RepeatSampler) and
   sample G answers to each from the current policy (plain ancestral sampling, uniforms from a
   CPU generator per (seed, step): claims/experiments/chat/sampling.py).
2. Rewards r (prompts.ChatPrompt.reward) and group-normalised advantages per prompt,
   A = (r - mean_G r) / (std_G r + 1e-4), std with Bessel's correction (TRL's ``nanstd``).
3. μ times: per-token log-probabilities log π_θ(o_t | q, o_<t) of every answer token (stop token
   included), the importance ratio ρ_t = π_θ / π_old (π_old = the policy that sampled; with μ = 1
   it is π_θ itself detached, so ρ_t = 1 with the gradient of log π_θ, as TRL does), and

       ℓ_t = -min(ρ_t A, clip(ρ_t, 1 - ε, 1 + ε) A) + β ρ_t k3_t,
       k3_t = π_ref / π_θ - log(π_ref / π_θ) - 1   (Schulman's k3 estimator of KL(π_θ || π_ref))

   with π_ref the frozen initial policy. The factor ρ_t on k3 is TRL 1.16's default
   ``use_bias_correction_kl=True`` (DeepSeek-V3.2, arXiv:2512.02556, eq. 7): it makes the KL
   gradient the unbiased reverse-KL gradient and changes it even at μ = 1, where ρ_t = 1 but its
   gradient is kept. The loss is "dapo"'s token-level aggregation, the sum of
   ℓ_t over every answer token of the batch divided by their number (TRL's default loss_type; the
   whole batch is one accumulation window). Then the gradient's global norm is clipped to
   ``max_grad_norm`` (Hugging Face Trainer's default 1.0) and the optimizer steps.

tests/experiments/test_chat_grpo.py proves that ``grpo_loss`` on a packed batch has the loss and
the gradient of TRL's own ``GRPOTrainer.compute_loss`` on the same completions, old and
reference log-probabilities and advantages.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from claims.experiments.chat.attribution import MLPProbe, check_against_autograd
from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.packing import continuation_pass, pad_right, prompt_pass
from claims.experiments.chat.prompts import ChatPrompt
from claims.experiments.chat.reinforce import Batch, mlp_parameters
from claims.experiments.chat.sampling import (
    prompt_ids,
    sample_answers,
    step_generator,
    step_uniforms,
)

# TRL 1.16 GRPOConfig's default loss_type: token-level sum over the batch / number of tokens.
LOSS_TYPE = "dapo"
# TRL adds this to the group's reward std before dividing (grpo_trainer.py, advantages).
ADVANTAGE_EPSILON = 1e-4
OPTIMIZER_NAMES = ("adamw", "adam", "sgd")
TRAINED_WEIGHTS = ("all", "mlp")
SCHEDULES = ("linear", "constant")


@dataclass(frozen=True)
class Settings:
    """One GRPO configuration; defaults are TRL 1.16's where it has one (said where not)."""

    # Prompts per step (P) and answers per prompt (G; TRL num_generations = 8).
    prompts_per_step: int = 8
    samples: int = 8
    # Answer length limit in tokens (TRL's 256 would cost minutes per step on a CPU).
    max_new_tokens: int = 16
    # PPO clip range ε (TRL epsilon = 0.2) and the KL coefficient β (TRL's default is 0.0, no
    # reference model; DeepSeekMath used 0.04, which is taken here so the KL term is exercised).
    epsilon: float = 0.2
    beta: float = 0.04
    # k3 weighted by the importance ratio (TRL use_bias_correction_kl = True).
    kl_ratio_correction: bool = True
    # Inner iterations per batch μ (TRL num_iterations = 1).
    iterations: int = 1
    # "adamw" (Trainer's default, weight decay 0.0), "adam", or "sgd" (the control).
    optimizer: str = "adamw"
    # TRL's default learning rate.
    lr: float = 1e-6
    weight_decay: float = 0.0
    # Global gradient-norm clip (Trainer max_grad_norm = 1.0); None: no clipping.
    max_grad_norm: float | None = 1.0
    # "linear": lr decays linearly to 0 over the run (Trainer's default); or "constant".
    schedule: str = "linear"
    # "all" weights as practised, or "mlp" (gate, up and down projections only).
    trained: str = "all"

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZER_NAMES:
            raise ValueError(f"unknown optimizer {self.optimizer!r}: one of {OPTIMIZER_NAMES}")
        if self.trained not in TRAINED_WEIGHTS:
            raise ValueError(f"unknown trained weights {self.trained!r}: one of {TRAINED_WEIGHTS}")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {self.schedule!r}: one of {SCHEDULES}")
        if self.samples < 2 or self.prompts_per_step < 1 or self.iterations < 1:
            raise ValueError("need G >= 2 answers per prompt, P >= 1 prompts and mu >= 1")


def group_advantages(rewards: torch.Tensor, samples: int) -> torch.Tensor:
    """(r - group mean) / (group std + 1e-4), std with Bessel's correction; rewards [P * G],
    prompt-major. A group whose rewards are all equal gets advantages 0."""
    grouped = rewards.reshape(-1, samples)
    centred = grouped - grouped.mean(dim=1, keepdim=True)
    std = grouped.std(dim=1, keepdim=True, correction=1)
    return (centred / (std + ADVANTAGE_EPSILON)).reshape(-1)


def epoch_order(seed: int, pool_size: int, step: int, prompts_per_step: int) -> list[int]:
    """Indices of the pool's prompts for ``step``: the pool is shuffled once per epoch with a
    generator of its own (seed, epoch) and dealt out P at a time; a step never straddles two
    epochs' permutations unevenly (P must divide the pool or the tail of an epoch is dropped)."""
    if not 0 < prompts_per_step <= pool_size:
        raise ValueError(f"cannot draw {prompts_per_step} prompts from a pool of {pool_size}")
    per_epoch = pool_size // prompts_per_step
    epoch, slot = divmod(step, per_epoch)
    order = torch.randperm(pool_size, generator=step_generator("prompts", seed, epoch))
    return order[slot * prompts_per_step : (slot + 1) * prompts_per_step].tolist()


def token_log_probs(
    model: object, batch: Batch, *, on_pass: Callable[[torch.Tensor], None] | None = None
) -> torch.Tensor:
    """log π(o_t | q, o_<t) of every answer token, [P * G, La], 0 at padding.

    Prompts run once and answers against their copied KV cache (claims/experiments/chat/packing.py);
    on_pass(mask) is called before each of the two passes with its real tokens (for hooks).
    """
    from transformers import DynamicCache

    cache = DynamicCache(config=model.config)
    if on_pass is not None:
        on_pass(batch.prompt_mask.bool())
    last = prompt_pass(model, batch.prompt_ids, batch.prompt_mask, cache)
    cache.batch_repeat_interleave(batch.samples)
    context_mask = batch.prompt_mask.repeat_interleave(batch.samples, dim=0)
    if on_pass is not None:
        on_pass(batch.answer_mask.bool())
    hidden = continuation_pass(
        model, batch.answer_ids, batch.answer_mask, context_mask, context_mask.sum(1), cache
    )
    predictors = torch.cat(
        [last.repeat_interleave(batch.samples, dim=0)[:, None], hidden[:, :-1]], dim=1
    )
    rows, positions = batch.answer_mask.bool().nonzero(as_tuple=True)
    log_probs = torch.log_softmax(model.lm_head(predictors[rows, positions]), dim=-1)
    chosen = log_probs.gather(1, batch.answer_ids[rows, positions][:, None]).squeeze(1)
    found = torch.zeros(batch.answer_ids.shape, dtype=chosen.dtype, device=chosen.device)
    return found.index_put((rows, positions), chosen)


@dataclass
class LossParts:
    # The loss to differentiate (scalar tensor).
    loss: torch.Tensor
    # Token means over the batch: k3, and the share of tokens whose ratio was clipped.
    kl: float
    clipped: float


def grpo_loss(
    log_probs: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    *,
    old_log_probs: torch.Tensor | None = None,
    ref_log_probs: torch.Tensor | None = None,
    epsilon: float = 0.2,
    beta: float = 0.0,
    kl_ratio_correction: bool = True,
) -> LossParts:
    """The clipped-ratio loss with β·ρ·k3 (β·k3 without the ratio correction), aggregated
    "dapo"-style (module docstring).

    log_probs, old_log_probs, ref_log_probs: [N, T] per answer token (0 at padding); mask [N, T]
    (1 on answer tokens); advantages [N]. old_log_probs None: the sampling policy is the current
    one (μ = 1), ρ = 1 with log π's gradient. ref_log_probs is required when beta != 0.
    """
    mask = mask.to(log_probs.dtype)
    old = log_probs.detach() if old_log_probs is None else old_log_probs
    ratio = torch.exp(log_probs - old)
    clipped_ratio = torch.clamp(ratio, 1 - epsilon, 1 + epsilon)
    a = advantages[:, None]
    per_token = -torch.min(ratio * a, clipped_ratio * a)
    kl = torch.zeros_like(log_probs)
    if beta != 0.0:
        if ref_log_probs is None:
            raise ValueError("beta != 0 needs the reference model's log-probabilities")
        difference = ref_log_probs - log_probs
        kl = torch.exp(difference) - difference - 1
        per_token = per_token + beta * (kl * ratio if kl_ratio_correction else kl)
    tokens = mask.sum().clamp(min=1.0)
    loss = (per_token * mask).sum() / tokens
    outside = ((ratio < 1 - epsilon) & (a < 0)) | ((ratio > 1 + epsilon) & (a > 0))
    return LossParts(
        loss,
        float((kl.detach() * mask).sum() / tokens),
        float((outside * mask).sum() / tokens),
    )


def trained_parameters(chat: ChatModel, trained: str) -> list[torch.nn.Parameter]:
    """Every parameter ("all"; the tied embedding once) or the MLP weights ("mlp")."""
    if trained == "all":
        return list(chat.model.parameters())
    if trained == "mlp":
        return list(mlp_parameters(chat.model).values())
    raise ValueError(f"unknown trained weights {trained!r}: one of {TRAINED_WEIGHTS}")


def make_optimizer(settings: Settings, parameters: Sequence[torch.nn.Parameter], steps: int):
    """(optimizer, scheduler) for ``settings``: torch's AdamW/Adam (betas 0.9/0.999, eps 1e-8,
    as the Trainer's) or plain SGD, and a LambdaLR for the schedule over ``steps`` steps."""
    params = list(parameters)
    if settings.optimizer == "adamw":
        rule = torch.optim.AdamW(params, lr=settings.lr, weight_decay=settings.weight_decay)
    elif settings.optimizer == "adam":
        rule = torch.optim.Adam(params, lr=settings.lr, weight_decay=settings.weight_decay)
    else:
        rule = torch.optim.SGD(params, lr=settings.lr, weight_decay=settings.weight_decay)
    if settings.schedule == "linear":
        # transformers.get_linear_schedule_with_warmup with no warmup: lr·(1 - t/steps).
        scale = lambda t: max(0.0, (steps - t) / steps)  # noqa: E731
    else:
        scale = lambda t: 1.0  # noqa: E731
    return rule, torch.optim.lr_scheduler.LambdaLR(rule, scale)


@dataclass
class Sampled:
    # The step's prompts, the batch (advantages normalised), rewards [P * G], answer texts.
    prompts: list[ChatPrompt]
    batch: Batch
    rewards: torch.Tensor
    texts: list[str]


@torch.no_grad()
def sample_step(
    chat: ChatModel, prompts: Sequence[ChatPrompt], *, seed: int, step: int, settings: Settings
) -> Sampled:
    """G answers to each prompt from the current policy with step ``step``'s uniforms."""
    ids = [prompt_ids(chat.tokenizer, p.instruction) for p in prompts]
    uniforms = step_uniforms(seed, step, len(prompts) * settings.samples, settings.max_new_tokens)
    completions, _ = sample_answers(chat, ids, uniforms)
    texts = [chat.tokenizer.decode(c, skip_special_tokens=True) for c in completions]
    rewards = torch.tensor(
        [prompts[i // settings.samples].reward(text) for i, text in enumerate(texts)],
        dtype=torch.float32,
    )
    prompt_tensor, prompt_mask = pad_right(ids)
    answer_ids, answer_mask = pad_right(completions)
    device = chat.device
    batch = Batch(
        prompt_tensor.to(device),
        prompt_mask.to(device),
        answer_ids.to(device),
        answer_mask.to(device),
        group_advantages(rewards, settings.samples).to(device),
        settings.samples,
    )
    return Sampled(list(prompts), batch, rewards, texts)


@dataclass
class StepRecord:
    step: int
    # Mean reward of the step's answers, and the share of prompts whose G rewards were equal.
    reward: float
    zero_std_groups: float
    # Of the last inner iteration: the loss, mean k3, share of clipped tokens.
    loss: float
    kl: float
    clipped: float
    # Global gradient norm before clipping (first inner iteration), and the learning rate used.
    grad_norm: float
    lr: float
    # Answer tokens and mean answer length in tokens.
    answer_tokens: int
    mean_length: float
    seconds: float


def optimise(
    chat: ChatModel,
    sampled: Sampled,
    rule: torch.optim.Optimizer,
    parameters: Sequence[torch.nn.Parameter],
    settings: Settings,
    *,
    reference: ChatModel | None,
    probe: MLPProbe | None = None,
) -> tuple[LossParts, float, float | None]:
    """μ optimizer steps on one sampled batch. Returns the last LossParts, the first
    iteration's pre-clip gradient norm and, for a probe with check=True (μ = 1 only), the
    hooked decomposition's worst ratio to its float32 bound (attribution.check_against_autograd).

    probe: hooked on the loss passes only (not the reference's or π_old's), so it counts
    exactly the tokens the gradient is taken on.
    """
    if probe is not None and probe.check and settings.iterations != 1:
        raise ValueError("the check against autograd needs mu = 1 (one backward per step)")
    batch = sampled.batch
    ref = old = None
    with torch.no_grad():
        if settings.beta != 0.0:
            if reference is None:
                raise ValueError("beta != 0 needs a reference model")
            ref = token_log_probs(reference.model, batch)
        if settings.iterations > 1:
            old = token_log_probs(chat.model, batch)
    first_norm, check_ratio = math.nan, None
    for iteration in range(settings.iterations):
        rule.zero_grad(set_to_none=True)
        with probe if probe is not None else contextlib.nullcontext():
            log_probs = token_log_probs(
                chat.model, batch, on_pass=None if probe is None else probe.set_mask
            )
            parts = grpo_loss(
                log_probs,
                batch.answer_mask,
                batch.advantages,
                old_log_probs=old,
                ref_log_probs=ref,
                epsilon=settings.epsilon,
                beta=settings.beta,
                kl_ratio_correction=settings.kl_ratio_correction,
            )
            parts.loss.backward()
        if probe is not None and probe.check:
            grads = {name: w.grad for name, w in mlp_parameters(chat.model).items()}
            check_ratio = check_against_autograd(probe.tallies, grads)
        norm = _clip(parameters, settings.max_grad_norm)
        if iteration == 0:
            first_norm = norm
        rule.step()
    rule.zero_grad(set_to_none=True)
    return parts, first_norm, check_ratio


def _clip(parameters: Sequence[torch.nn.Parameter], max_norm: float | None) -> float:
    grads = [p for p in parameters if p.grad is not None]
    if max_norm is None:
        norms = [torch.linalg.vector_norm(p.grad) for p in grads]
        return float(torch.linalg.vector_norm(torch.stack(norms))) if norms else 0.0
    return float(torch.nn.utils.clip_grad_norm_(grads, max_norm))
