"""The GRPO prompt pool: claims/data/grpo-prompts.txt, parsed and checked.

Line format (documented at the top of the file): ``split | kind | instruction | lead-in | answers``.
Three splits: "train" (the pool GRPO draws its prompts from), "heldout" (the same kinds, never
trained on; the unit of analysis of the behaviour measure) and "control" (unrelated kinds, where
the reinforced behaviour should not act). A ``PoolPrompt`` is a ``ChatPrompt`` with its kind, so
the reward (an accepted item as a whole word, claims/experiments/chat/prompts.py) and the exact
log-odds of claims/experiments/chat/heldout.py apply to it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from claims.experiments.chat.prompts import ChatPrompt

POOL_FILE = "grpo-prompts.txt"
SPLITS = ("train", "heldout", "control")
FIELDS = 5


@dataclass(frozen=True)
class PoolPrompt(ChatPrompt):
    # What the prompt asks ("capital", "addition", ...; controls "plural", "past-tense").
    kind: str


def parse_pool(text: str, *, name: str = POOL_FILE) -> list[PoolPrompt]:
    """Every prompt line of ``text``; a malformed line raises ValueError naming name:line."""
    found: list[PoolPrompt] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("|")]
        where = f"{name}:{number}"
        if len(fields) != FIELDS:
            raise ValueError(
                f"{where}: expected 'split | kind | instruction | lead-in | answers', "
                f"got {len(fields)} fields"
            )
        split, kind, instruction, lead_in, answer_field = fields
        answers = tuple(answer.strip() for answer in answer_field.split(","))
        if split not in SPLITS:
            raise ValueError(f"{where}: split must be one of {', '.join(SPLITS)}, got {split!r}")
        if not kind or not instruction or not lead_in:
            raise ValueError(f"{where}: empty kind, instruction or lead-in")
        if not all(answers):
            raise ValueError(f"{where}: empty accepted answer in {answer_field!r}")
        if instruction in seen:
            raise ValueError(f"{where}: duplicate instruction {instruction!r}")
        seen.add(instruction)
        found.append(PoolPrompt(split, instruction, lead_in, answers, kind))
    return found


@cache
def pool() -> tuple[PoolPrompt, ...]:
    """The shipped file, parsed (file order)."""
    text = resources.files("claims").joinpath("data", POOL_FILE).read_text(encoding="utf-8")
    return tuple(parse_pool(text))


def split(name: str, count: int | None = None) -> list[PoolPrompt]:
    """The first ``count`` prompts of split ``name`` (all when None), in file order.

    Raises ValueError for an unknown split or a count above the number of prompts it has.
    """
    if name not in SPLITS:
        raise ValueError(f"unknown split {name!r}: choose one of {', '.join(SPLITS)}")
    chosen = [prompt for prompt in pool() if prompt.split == name]
    if count is not None and not 0 < count <= len(chosen):
        raise ValueError(f"split {name!r} has {len(chosen)} prompts; asked for {count}")
    return chosen if count is None else chosen[:count]


def spread(name: str, count: int) -> list[PoolPrompt]:
    """``count`` prompts of split ``name`` taken round-robin over its kinds (file order within
    each kind), so a small subset still covers every kind. Raises ValueError like ``split``."""
    chosen = split(name)
    if not 0 < count <= len(chosen):
        raise ValueError(f"split {name!r} has {len(chosen)} prompts; asked for {count}")
    kinds: dict[str, list[PoolPrompt]] = {}
    for prompt in chosen:
        kinds.setdefault(prompt.kind, []).append(prompt)
    queues = list(kinds.values())
    dealt: list[PoolPrompt] = []
    while len(dealt) < count:
        for queue in queues:
            if queue and len(dealt) < count:
                dealt.append(queue.pop(0))
    return dealt
