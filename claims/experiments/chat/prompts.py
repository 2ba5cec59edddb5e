"""The chat experiment's prompts and reward: claims/data/chat-prompts.txt, parsed and checked.

Line format (documented at the top of the file): ``split | instruction | lead-in | answers``.
The reward is verifiable by a regular expression: 1 when the sampled answer contains an accepted
item as a whole word (case-insensitive), else 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

PROMPTS_FILE = "chat-prompts.txt"
SPLITS = ("train", "heldout")
FIELDS = 4


@dataclass(frozen=True)
class ChatPrompt:
    # "train" or "heldout".
    split: str
    # The user message.
    instruction: str
    # Start of a reference answer, ending just before the requested item (no trailing space).
    lead_in: str
    # Accepted items, as written in the file.
    answers: tuple[str, ...]

    def reward(self, completion: str) -> float:
        """1.0 when ``completion`` contains an accepted item as a whole word (any case), else 0.0."""
        return 1.0 if _answer_pattern(self.answers).search(completion) else 0.0


@cache
def _answer_pattern(answers: tuple[str, ...]) -> re.Pattern[str]:
    # \b on both sides: "four" matches "has four legs." but not "fourteen"; digits likewise.
    alternatives = "|".join(re.escape(answer) for answer in answers)
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def parse_prompts(text: str, *, name: str = PROMPTS_FILE) -> list[ChatPrompt]:
    """Every prompt line of ``text``; a malformed line raises ValueError naming name:line."""
    prompts: list[ChatPrompt] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("|")]
        where = f"{name}:{number}"
        if len(fields) != FIELDS:
            raise ValueError(
                f"{where}: expected 'split | instruction | lead-in | answers', got {len(fields)} fields"
            )
        split, instruction, lead_in, answer_field = fields
        answers = tuple(answer.strip() for answer in answer_field.split(","))
        if split not in SPLITS:
            raise ValueError(f"{where}: split must be one of {', '.join(SPLITS)}, got {split!r}")
        if not instruction or not lead_in:
            raise ValueError(f"{where}: empty instruction or lead-in")
        if not all(answers):
            raise ValueError(f"{where}: empty accepted answer in {answer_field!r}")
        if instruction in seen:
            raise ValueError(f"{where}: duplicate instruction {instruction!r}")
        seen.add(instruction)
        prompts.append(ChatPrompt(split, instruction, lead_in, answers))
    return prompts


@cache
def all_prompts() -> tuple[ChatPrompt, ...]:
    """The shipped file, parsed (file order)."""
    text = resources.files("claims").joinpath("data", PROMPTS_FILE).read_text(encoding="utf-8")
    return tuple(parse_prompts(text))


def split(name: str, count: int | None = None) -> list[ChatPrompt]:
    """The first ``count`` prompts of split ``name`` (all when None), in file order.

    Raises ValueError for an unknown split or a count above the number of prompts it has.
    """
    if name not in SPLITS:
        raise ValueError(f"unknown split {name!r}: choose one of {', '.join(SPLITS)}")
    chosen = [prompt for prompt in all_prompts() if prompt.split == name]
    if count is not None and not 0 < count <= len(chosen):
        raise ValueError(f"split {name!r} has {len(chosen)} prompts; asked for {count}")
    return chosen if count is None else chosen[:count]
