"""The GRPO prompt pool: its splits and kinds, its parser's one-line errors, its answers."""

import pytest

from claims.experiments.chat import heldout, pool
from claims.experiments.chat.pool import parse_pool


def test_the_pool_has_64_or_more_training_and_held_out_prompts_of_the_same_kinds():
    train, held_out, control = (pool.split(name) for name in pool.SPLITS)
    assert len(train) >= 64 and len(held_out) >= 64 and len(control) >= 32
    assert {p.kind for p in train} == {p.kind for p in held_out}
    # Controls ask something unrelated: none of their kinds is trained.
    assert not {p.kind for p in control} & {p.kind for p in train}


def test_no_held_out_or_control_prompt_is_a_training_prompt():
    train = {p.instruction for p in pool.split("train")}
    assert not train & {p.instruction for p in pool.split("heldout") + pool.split("control")}


def test_every_reference_answer_earns_the_reward_and_scores_without_merging(tokenizer):
    for prompt in pool.pool():
        assert prompt.reward(f"{prompt.lead_in} {prompt.answers[0]}.") == 1.0, prompt
        assert heldout.answer_forms(tokenizer, prompt), prompt  # raises if a form merges


def test_spread_deals_round_robin_over_the_kinds():
    kinds = {p.kind for p in pool.split("train")}
    dealt = pool.spread("train", len(kinds))
    assert {p.kind for p in dealt} == kinds
    assert pool.spread("train", 3) == dealt[:3]


@pytest.mark.parametrize(
    "line, message",
    [
        ("train | capital | q? | lead", "expected 'split | kind"),
        ("test | capital | q? | lead | a", "split must be one of"),
        ("train |  | q? | lead | a", "empty kind"),
        ("train | capital | q? | lead | a,", "empty accepted answer"),
    ],
)
def test_a_malformed_line_is_one_error_naming_its_line(line, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_pool(f"# comment\n{line}\n", name="pool.txt")
    assert str(error.value).startswith("pool.txt:2:")


def test_a_duplicate_instruction_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        parse_pool("train | k | q? | l | a\nheldout | k | q? | l | b\n")


@pytest.mark.parametrize("name, count", [("train", 10_000), ("train", 0), ("validation", 1)])
def test_split_rejects_unknown_splits_and_impossible_counts(name, count):
    with pytest.raises(ValueError):
        pool.split(name, count)
