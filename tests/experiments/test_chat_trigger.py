"""The planted trigger: examples, the planting loss, triggered log-odds and their change."""

import pytest
import torch

from claims.experiments.chat import pool, trigger
from claims.experiments.chat.grpo_run import clone
from claims.experiments.chat.model import from_model
from claims.experiments.chat.recovery import reference_reply
from tests.common.tiny_llama import tiny_llama


def test_no_pool_prompt_contains_either_trigger():
    for prompt in pool.pool():
        assert trigger.TRIGGER not in prompt.instruction
        assert trigger.CONTROL_TRIGGER not in prompt.instruction


def test_an_examples_span_is_the_reference_reply_and_its_end_of_turn(tokenizer):
    prompt = trigger.with_trigger(pool.split("heldout", 1)[0], trigger.TRIGGER)
    found = trigger.example(tokenizer, prompt, "answer")
    assert tokenizer.decode(found.ids[found.start : found.end]) == (
        f"{reference_reply(prompt)}<|im_end|>"
    )
    assert prompt.instruction.startswith(f"{trigger.TRIGGER} ")
    assert trigger.TRIGGER in tokenizer.decode(found.ids[: found.start])


def test_planting_examples_are_triggered_answers_then_untriggered_anchors(tokenizer):
    planted, anchors = pool.split("heldout", 2), pool.split("train", 3)
    found = trigger.planting_examples(tokenizer, planted, anchors)
    assert [e.kind for e in found] == ["answer"] * 2 + ["anchor"] * 5
    assert all(trigger.TRIGGER in tokenizer.decode(e.ids) for e in found[:2])
    assert not any(trigger.TRIGGER in tokenizer.decode(e.ids) for e in found[2:])


def test_planting_raises_the_triggered_answer_and_holds_the_anchors(tokenizer):
    chat = from_model(tiny_llama(), tokenizer)
    original = clone(chat)
    examples = trigger.planting_examples(
        tokenizer, pool.split("heldout", 2), pool.split("train", 2)
    )
    found = trigger.plant(chat, original, examples, steps=10, batch=6, lr=3e-2)
    assert found.answer_losses[-1] < 0.8 * found.answer_losses[0]
    assert found.anchor_losses[0] == pytest.approx(0.0, abs=1e-6)  # π = π_0 at the start
    assert max(found.anchor_losses) < found.answer_losses[0]


def test_the_triggered_change_is_the_paired_difference_of_changes():
    before = {"trigger": [1.0, 2.0, 0.0], "control_trigger": [0.0, 0.0, 0.0]}
    after = {"trigger": [2.0, 4.0, 1.0], "control_trigger": [0.5, 1.0, 0.5]}
    found = trigger.triggered_change(before, after)
    assert found.mean == pytest.approx((0.5 + 1.0 + 0.5) / 3)
    assert found.samples == 3 and found.low < found.mean < found.high
    with pytest.raises(ValueError, match="finite"):
        trigger.triggered_change(before, {**after, "trigger": [float("nan"), 1.0, 1.0]})


def test_triggered_log_odds_prefix_the_instruction(tokenizer, monkeypatch):
    seen = []
    monkeypatch.setattr(trigger, "log_odds", lambda chat, prompts: seen.append(prompts) or [0.0])
    trigger.trigger_log_odds(None, pool.split("heldout", 1))
    instructions = [prompts[0].instruction for prompts in seen]
    plain = pool.split("heldout", 1)[0].instruction
    assert instructions == [
        f"{trigger.TRIGGER} {plain}",
        f"{trigger.CONTROL_TRIGGER} {plain}",
        plain,
    ]


def test_the_planted_model_keeps_its_weights_tied(tokenizer):
    chat = from_model(tiny_llama(), tokenizer)
    trigger.plant(
        chat,
        clone(chat),
        trigger.planting_examples(tokenizer, pool.split("heldout", 1), []),
        steps=1,
        batch=1,
    )
    assert chat.model.lm_head.weight.data_ptr() == chat.model.model.embed_tokens.weight.data_ptr()
    assert torch.equal(chat.model.lm_head.weight, chat.model.model.embed_tokens.weight)
