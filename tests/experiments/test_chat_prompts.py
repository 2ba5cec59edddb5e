"""The shipped chat prompts, their parser's one-line errors, and the whole-word reward."""

import pytest

from claims.experiments.chat import prompts
from claims.experiments.chat.prompts import ChatPrompt, parse_prompts


def test_the_shipped_file_has_32_training_and_16_held_out_prompts():
    shipped = prompts.all_prompts()
    assert [p.split for p in shipped].count("train") == 32
    assert [p.split for p in shipped].count("heldout") == 16
    assert len({p.instruction for p in shipped}) == len(shipped)


def test_split_returns_the_first_prompts_in_file_order():
    first_two = prompts.split("train", 2)
    assert [p.instruction for p in first_two] == [
        p.instruction for p in prompts.all_prompts() if p.split == "train"
    ][:2]
    assert len(prompts.split("heldout")) == 16


@pytest.mark.parametrize("name, count", [("train", 33), ("train", 0), ("validation", 1)])
def test_split_rejects_unknown_splits_and_impossible_counts(name, count):
    with pytest.raises(ValueError):
        prompts.split(name, count)


def test_every_prompts_reference_answer_earns_the_reward():
    for prompt in prompts.all_prompts():
        assert prompt.reward(f"{prompt.lead_in} {prompt.answers[0]}.") == 1.0, prompt


FOUR = ChatPrompt("train", "How many legs does a dog have?", "A dog has", ("four", "4"))


@pytest.mark.parametrize(
    "answer, reward",
    [
        ("A dog has four legs.", 1.0),
        ("FOUR", 1.0),
        ("It has 4 legs", 1.0),
        ("Four-legged, like most dogs", 1.0),
        ("fourteen", 0.0),
        ("44 legs", 0.0),
        ("A dog has legs.", 0.0),
        ("", 0.0),
    ],
)
def test_the_reward_matches_accepted_items_as_whole_words_in_any_case(answer, reward):
    assert FOUR.reward(answer) == reward


def test_answers_with_regex_characters_are_matched_literally():
    prompt = ChatPrompt("train", "q", "a", ("a.b",))
    assert prompt.reward("axb") == 0.0
    assert prompt.reward("see a.b here") == 1.0


BAD_LINES = {
    "three-fields": ("train | Q? | Lead", "expected 'split | instruction | lead-in | answers'"),
    "unknown-split": ("test | Q? | Lead | a", "split must be one of train, heldout"),
    "empty-answer": ("train | Q? | Lead | a, ", "empty accepted answer"),
    "empty-lead-in": ("train | Q? |  | a", "empty instruction or lead-in"),
}


@pytest.mark.parametrize("line, message", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_a_malformed_line_is_one_error_naming_file_and_line(line, message):
    text = "# comment\n\ntrain | Fine? | Fine | yes\n" + line + "\n"
    with pytest.raises(ValueError) as error:
        parse_prompts(text, name="chat-prompts.txt")
    assert str(error.value).startswith("chat-prompts.txt:4: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_duplicate_instruction_is_an_error_naming_its_second_line():
    with pytest.raises(ValueError, match=r"^x.txt:2: duplicate instruction"):
        parse_prompts("train | Q? | L | a\nheldout | Q? | L | b\n", name="x.txt")
