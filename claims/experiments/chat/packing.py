"""Run each prompt once and let its K answers attend to its cached keys and values.

K answers to one prompt share the prompt's tokens, and under causal attention the prompt's
hidden states do not depend on what follows; so the prompt runs once (batch P) and its KV cache
is copied K times for the answers (batch P K). Same function as K full sequences, about half the
tokens at K = 4 (prompts are ~37 tokens, answers <= 16), and gradients flow back through the
cache to the prompt's tokens. Everything is right-padded: a padded slot is masked as a key, and
a padded query is never read, so no attention row is ever fully masked.

Positions: the prompt pass uses 0..L-1 (padding is at the end); an answer continues at its
prompt's real length (explicit position_ids for RoPE). Causality in the answer pass is by cache
index (transformers' create_causal_mask offsets queries by the cache length), so every answer
token sees all prompt slots (padding masked) and the answer tokens before it.

The cache is passed under the name the installed transformers gives it: ``cache`` (5.2x; the old
name is deprecated) or ``past_key_values`` (earlier 5.x). A name the model does not know would
vanish into its **kwargs and every answer would be scored without its prompt, so the name is
read from the model's forward signature, never guessed.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Sequence

import torch


def pad_right(
    rows: Sequence[Sequence[int]], *, pad_id: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """(ids [B, L] long, mask [B, L] long) with rows left-aligned and 0-masked padding."""
    length = max(len(row) for row in rows)
    ids = torch.full((len(rows), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), length), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(list(row), dtype=torch.long)
        mask[i, : len(row)] = 1
    return ids, mask


@functools.cache
def cache_keyword(model_class: type) -> str:
    """ "cache" or "past_key_values": the keyword ``model_class.forward`` takes the KV cache by.

    Raises TypeError when it takes neither (a transformers this module was not written for).
    """
    parameters = inspect.signature(model_class.forward).parameters
    for name in ("cache", "past_key_values"):
        if name in parameters:
            return name
    raise TypeError(f"{model_class.__name__}.forward takes no KV cache argument")


def prompt_pass(
    model: object, prompt_ids: torch.Tensor, prompt_mask: torch.Tensor, cache: object
) -> torch.Tensor:
    """Fill ``cache`` with the prompts; return the hidden state at each prompt's last real token.

    prompt_ids, prompt_mask [P, L]. Returns [P, hidden]: it predicts the first answer token.
    """
    keyword = cache_keyword(type(model.model))
    hidden = model.model(
        input_ids=prompt_ids, attention_mask=prompt_mask, use_cache=True, **{keyword: cache}
    ).last_hidden_state
    last = prompt_mask.sum(1) - 1
    return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]


def continuation_pass(
    model: object,
    tokens: torch.Tensor,
    tokens_mask: torch.Tensor,
    context_mask: torch.Tensor,
    start: torch.Tensor,
    cache: object,
) -> torch.Tensor:
    """Run ``tokens`` [N, M] after the cached context; return their hidden states [N, M, hidden].

    context_mask [N, C]: the cached slots' mask (C = cache length). start [N]: the position of
    each row's first token (its context's real length).
    """
    positions = start[:, None] + torch.arange(tokens.shape[1], device=tokens.device)
    return model.model(
        input_ids=tokens,
        attention_mask=torch.cat([context_mask, tokens_mask], dim=1),
        position_ids=positions,
        use_cache=True,
        **{cache_keyword(type(model.model)): cache},
    ).last_hidden_state
