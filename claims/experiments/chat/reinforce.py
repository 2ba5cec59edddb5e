"""REINFORCE with a group-mean baseline on sampled chat answers, training the MLP weights only.

Loss (Williams 1992, with the per-prompt mean reward as baseline, as in GRPO's group baseline,
Shao et al. arXiv:2402.03300 eq. 3 without its std normalisation and KL term):

    L = -(1 / (P K)) sum_{p, k} A_{p,k} log π(y_{p,k} | x_p),   A_{p,k} = r_{p,k} - mean_k' r_{p,k'}

log π(y | x) is the sum of the answer's token log-probabilities, stop token included. Only the
MLP weights (gate_proj, up_proj, down_proj of every layer: 30 x 3 x 576 x 1536 = 79.6 M of the
135 M parameters) are trained; attention, norms and the tied embedding are frozen. That is the
part of the network the argument is about, and it keeps a step affordable on two CPU cores
(frozen weights need no weight gradient, and the 28 M tied embedding none at all). Gradients
still flow through every layer to reach the earlier MLPs.

The samples come from the initial policy π0 (claims/experiments/chat/sampling.py) and the k steps all use
the same batch, so SGD, Adam and AdamW see identical data; after the first step the batch is
off-policy, and ``Training.mean_log_probs`` shows how far π moved on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch

from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.packing import continuation_pass, pad_right, prompt_pass
from claims.experiments.chat.sampling import Rollouts
from claims.instruments.optimizers import OPTIMIZERS

# The trained weights of each LlamaMLP.
TRAINED = ("gate_proj", "up_proj", "down_proj")


@dataclass
class Batch:
    # Each prompt once, right-padded: ids and mask [P, Lp] (claims/experiments/chat/packing.py).
    prompt_ids: torch.Tensor
    prompt_mask: torch.Tensor
    # Each answer, right-padded, prompt-major (row p * K + k): ids and mask [P * K, La].
    answer_ids: torch.Tensor
    answer_mask: torch.Tensor
    # A_{p,k}: reward minus the prompt's mean reward, float32 [P * K].
    advantages: torch.Tensor
    # Samples per prompt (K).
    samples: int


def group_advantages(rewards: torch.Tensor, samples: int) -> torch.Tensor:
    """r - (mean reward of the same prompt's K samples); rewards [P * K], prompt-major."""
    grouped = rewards.reshape(-1, samples)
    return (grouped - grouped.mean(dim=1, keepdim=True)).reshape(-1)


def make_batch(rollouts: Rollouts, device: torch.device) -> Batch:
    """Prompts and answers of ``rollouts``, padded, with group-mean advantages."""
    prompt_ids, prompt_mask = pad_right(rollouts.prompt_ids)
    answer_ids, answer_mask = pad_right(rollouts.completion_ids)
    rewards = torch.tensor(rollouts.rewards, dtype=torch.float32)
    return Batch(
        prompt_ids.to(device),
        prompt_mask.to(device),
        answer_ids.to(device),
        answer_mask.to(device),
        group_advantages(rewards, rollouts.samples).to(device),
        rollouts.samples,
    )


def answer_log_probs(
    model: object, batch: Batch, *, on_pass: Callable[[torch.Tensor], None] | None = None
) -> torch.Tensor:
    """log π(answer | prompt) per row [P * K]: token log-probabilities summed over the answer.

    Prompts run once, answers against their copied KV cache (claims/experiments/chat/packing.py). Only the
    answer positions go through the unembedding (49152 x 576). on_pass(mask) is called before
    each of the two passes with the bool mask [B, L] of that pass's real tokens (for hooks).
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
    # Answer token j is predicted by the state before it: the prompt's last token for j = 0.
    predictors = torch.cat(
        [last.repeat_interleave(batch.samples, dim=0)[:, None], hidden[:, :-1]], dim=1
    )
    rows, positions = batch.answer_mask.bool().nonzero(as_tuple=True)
    log_probs = torch.log_softmax(model.lm_head(predictors[rows, positions]), dim=-1)
    chosen = log_probs.gather(1, batch.answer_ids[rows, positions][:, None]).squeeze(1)
    total = torch.zeros(batch.answer_ids.shape[0], dtype=chosen.dtype, device=chosen.device)
    return total.index_add(0, rows, chosen)


def reinforce_loss(log_probs: torch.Tensor, advantages: torch.Tensor) -> torch.Tensor:
    """-mean(A · log π(answer)) over all P * K samples."""
    return -(advantages * log_probs).mean()


def mlp_parameters(model: object) -> dict[str, torch.nn.Parameter]:
    """The trained weights: "<layer>.<gate_proj|up_proj|down_proj>" -> weight."""
    return {
        f"{i}.{name}": getattr(layer.mlp, name).weight
        for i, layer in enumerate(model.model.layers)
        for name in TRAINED
    }


@contextmanager
def mlp_only(model: object) -> Iterator[dict[str, torch.nn.Parameter]]:
    """Within the block only the MLP weights require grad; the flags are restored after."""
    before = {name: p.requires_grad for name, p in model.named_parameters()}
    trained = mlp_parameters(model)
    chosen = {id(p) for p in trained.values()}
    for p in model.parameters():
        p.requires_grad_(id(p) in chosen)
    try:
        yield trained
    finally:
        for name, p in model.named_parameters():
            p.requires_grad_(before[name])


@dataclass
class Gradient:
    # REINFORCE loss at the weights the gradient was taken at.
    loss: float
    # Mean over rows of log π(answer | prompt) there.
    mean_log_prob: float
    # dL/dW for every trained weight (mlp_parameters' names), detached copies.
    weights: dict[str, torch.Tensor]


def gradient(chat: ChatModel, batch: Batch) -> Gradient:
    """One forward and backward of the REINFORCE loss; the model's .grad are left cleared."""
    with mlp_only(chat.model) as trained:
        chat.model.zero_grad(set_to_none=True)
        log_probs = answer_log_probs(chat.model, batch)
        loss = reinforce_loss(log_probs, batch.advantages)
        loss.backward()
        grads = {name: p.grad for name, p in trained.items()}
        chat.model.zero_grad(set_to_none=True)  # the dict keeps the tensors; .grad is cleared
    return Gradient(float(loss.detach()), float(log_probs.detach().mean()), grads)


@dataclass
class NeuronUpdates:
    # ||ΔW_gate[j, :]||, ||ΔW_up[j, :]||, ||ΔW_down[:, j]|| per neuron, float64 [layers, neurons].
    gate_rows: torch.Tensor
    up_rows: torch.Tensor
    down_columns: torch.Tensor


@dataclass
class Training:
    optimizer: str
    steps: int
    # Learning rate used (the registry's when not overridden).
    lr: float
    # Loss and mean log π(answer) before each step (len == steps).
    losses: list[float]
    mean_log_probs: list[float]
    # W_k - W_0 per neuron, computed in float64 from the float32 weights.
    updates: NeuronUpdates


@contextmanager
def trained(
    chat: ChatModel,
    batch: Batch,
    optimizer: str,
    *,
    steps: int,
    lr: float | None = None,
    first_gradient: Gradient | None = None,
) -> Iterator[Training]:
    """Inside the block the model holds W_k after ``steps`` steps; W_0 is restored on exit.

    optimizer: a key of claims.instruments.optimizers.OPTIMIZERS (torch defaults; SGD lr 0.1); ``lr``
    overrides its learning rate. first_gradient: the gradient at W_0 on this batch, if the caller
    has it (e.g. from the attribution pass): step 1 then reuses it instead of recomputing it,
    which is exact because every optimizer starts from the same W_0 and batch.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    with mlp_only(chat.model) as weights:
        initial = {name: w.detach().clone() for name, w in weights.items()}
        rule = OPTIMIZERS[optimizer](list(weights.values()))
        if lr is not None:
            for group in rule.param_groups:
                group["lr"] = lr
        losses, mean_log_probs = [], []
        try:
            for t in range(steps):
                shared = t == 0 and first_gradient is not None
                current = first_gradient if shared else gradient(chat, batch)
                losses.append(current.loss)
                mean_log_probs.append(current.mean_log_prob)
                for name, w in weights.items():
                    # A shared gradient is copied: other optimizers will start from it too.
                    w.grad = current.weights[name].clone() if shared else current.weights[name]
                rule.step()
                rule.zero_grad(set_to_none=True)
            updates = _neuron_updates(initial, weights)
            used_lr = rule.param_groups[0]["lr"]
            yield Training(optimizer, steps, used_lr, losses, mean_log_probs, updates)
        finally:
            with torch.no_grad():
                for name, w in weights.items():
                    w.copy_(initial[name])
            chat.model.zero_grad(set_to_none=True)


def _neuron_updates(
    initial: dict[str, torch.Tensor], weights: dict[str, torch.nn.Parameter]
) -> NeuronUpdates:
    def norms(kind: str, dim: int) -> torch.Tensor:
        layers = sorted({int(name.split(".")[0]) for name in weights})
        return torch.stack(
            [
                torch.linalg.vector_norm(
                    weights[f"{i}.{kind}"].detach().double() - initial[f"{i}.{kind}"].double(),
                    dim=dim,
                ).cpu()
                for i in layers
            ]
        )

    # gate/up weights are [neurons, hidden] (a row per neuron); down is [hidden, neurons].
    return NeuronUpdates(norms("gate_proj", 1), norms("up_proj", 1), norms("down_proj", 0))
