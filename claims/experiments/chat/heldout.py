"""Held-out measures: exact log-odds of naming an accepted item, and active-neuron overlap.

Log-odds. The reward (an accepted item anywhere in a sampled answer) has no closed-form
probability. What is exact and cheap is the probability that, after a reference lead-in
("The capital of England is"), the next tokens spell an accepted item:

    P = sum_v π(v | prompt, lead-in),   log-odds = log P - log(1 - P)

over the answer forms v in {" item", " Item", " item-lowercased"}, each in the canonical
tokenization the tokenizer gives it in that context. The forms are made prefix-free (a form
whose tokens start with another form's tokens is dropped; its event is contained in the other),
so the events are disjoint and the sum is the exact probability of their union. Non-canonical
spellings of the same word (" Lon" + "don" when " London" is one token) are not counted: P is
the probability of the canonical forms.

Overlap. A neuron is active on a set of tokens when its gate is open (g > 0) on more than
``min_activity`` of them. The tokens of a prompt are its templated tokens after the chat
template's shared prefix (system message and user header), which is identical for every prompt
and would make every prompt look alike. Jaccard overlap |A ∩ B| / |A ∪ B| of the neuron sets
(all layers) of the pooled training prompts and of each held-out prompt.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from claims.experiments.chat.attribution import activity
from claims.experiments.chat.model import ChatModel
from claims.experiments.chat.packing import continuation_pass, pad_right, prompt_pass
from claims.experiments.chat.prompts import ChatPrompt
from claims.experiments.chat.sampling import prompt_ids


def context_ids(tokenizer: object, prompt: ChatPrompt) -> list[int]:
    """The templated prompt followed by the lead-in (the assistant's answer so far)."""
    return prompt_ids(tokenizer, prompt.instruction) + _tokens(tokenizer, prompt.lead_in)


def _tokens(tokenizer: object, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def answer_forms(tokenizer: object, prompt: ChatPrompt) -> list[tuple[int, ...]]:
    """Token ids of each accepted form after the lead-in: distinct and prefix-free.

    Raises ValueError (naming the prompt) when a form's tokens merge with the lead-in's, i.e.
    the lead-in + form tokenization does not start with the lead-in's own tokens.
    """
    lead = _tokens(tokenizer, prompt.lead_in)
    forms: set[tuple[int, ...]] = set()
    for answer in prompt.answers:
        for text in {answer, answer[:1].upper() + answer[1:], answer.lower()}:
            joined = _tokens(tokenizer, f"{prompt.lead_in} {text}")
            if joined[: len(lead)] != lead:
                raise ValueError(f"{prompt.instruction!r}: {text!r} merges with the lead-in")
            forms.add(tuple(joined[len(lead) :]))
    # Drop forms that extend a shorter one: that event is already contained in the shorter one's.
    return sorted(
        form
        for form in forms
        if not any(len(other) < len(form) and form[: len(other)] == other for other in forms)
    )


@torch.no_grad()
def answer_log_probabilities(chat: ChatModel, prompts: Sequence[ChatPrompt]) -> torch.Tensor:
    """log P(the answer continues the lead-in with an accepted form) per prompt, float64 [H].

    Two passes for all prompts together: the contexts (prompt + lead-in), then every form's
    tokens but its last against its context's cache rows (claims/experiments/chat/packing.py).
    """
    from transformers import DynamicCache

    forms = [answer_forms(chat.tokenizer, p) for p in prompts]
    owner = torch.tensor([h for h, found in enumerate(forms) for _ in found])
    flat = [form for found in forms for form in found]
    ids, mask = pad_right([context_ids(chat.tokenizer, p) for p in prompts])
    ids, mask = ids.to(chat.device), mask.to(chat.device)
    cache = DynamicCache(config=chat.model.config)
    first = torch.log_softmax(
        chat.model.lm_head(prompt_pass(chat.model, ids, mask, cache)).double(), -1
    )
    per_form = first.cpu()[owner, torch.tensor([form[0] for form in flat])]
    if max(len(form) for form in flat) > 1:
        cache.batch_select_indices(owner.to(chat.device))
        tokens, tokens_mask = pad_right([form[:-1] for form in flat])
        context_mask = mask[owner.to(chat.device)]
        hidden = continuation_pass(
            chat.model,
            tokens.to(chat.device),
            tokens_mask.to(chat.device),
            context_mask,
            context_mask.sum(1),
            cache,
        )
        later = torch.log_softmax(chat.model.lm_head(hidden).double(), dim=-1).cpu()
        for i, form in enumerate(flat):
            # Token j of a form is predicted by the pass's position j - 1.
            per_form[i] += sum(later[i, j - 1, form[j]] for j in range(1, len(form)))
    return torch.stack([torch.logsumexp(per_form[owner == h], 0) for h in range(len(prompts))])


def answer_log_odds(chat: ChatModel, prompts: Sequence[ChatPrompt]) -> torch.Tensor:
    """log P - log(1 - P) per prompt, float64 [len(prompts)] (see the module docstring)."""
    log_p = answer_log_probabilities(chat, prompts)
    return log_p - torch.log(-torch.expm1(log_p))


def template_prefix_length(tokenizer: object) -> int:
    """Tokens the chat template puts before every user message (system message, user header)."""
    first, second = prompt_ids(tokenizer, "x"), prompt_ids(tokenizer, "y")
    return next(i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b)


def prompt_activity(chat: ChatModel, prompts: Sequence[ChatPrompt]) -> torch.Tensor:
    """Fraction of the prompts' own tokens with an open gate, pooled: float64 [layers, neurons]."""
    skip = template_prefix_length(chat.tokenizer)
    rows = [prompt_ids(chat.tokenizer, p.instruction) for p in prompts]
    length = max(len(r) for r in rows)
    input_ids = torch.zeros(len(rows), length, dtype=torch.long)
    attention = torch.zeros(len(rows), length, dtype=torch.long)
    for i, row in enumerate(rows):
        input_ids[i, : len(row)] = torch.tensor(row)
        attention[i, : len(row)] = 1
    counted = attention.bool().clone()
    counted[:, :skip] = False
    device = chat.device
    found = activity(chat, input_ids.to(device), attention.to(device), counted.to(device))
    return found.activity()


def jaccard(first: torch.Tensor, second: torch.Tensor) -> float:
    """|A ∩ B| / |A ∪ B| of two bool masks of the same shape (1.0 for two empty sets)."""
    union = int((first | second).sum())
    return 1.0 if union == 0 else int((first & second).sum()) / union


def active_set_overlaps(
    chat: ChatModel,
    train: Sequence[ChatPrompt],
    heldout: Sequence[ChatPrompt],
    *,
    min_activity: float = 0.0,
) -> list[float]:
    """Jaccard overlap of the training prompts' active neurons with each held-out prompt's."""
    trained = prompt_activity(chat, train) > min_activity
    return [jaccard(trained, prompt_activity(chat, [p]) > min_activity) for p in heldout]
