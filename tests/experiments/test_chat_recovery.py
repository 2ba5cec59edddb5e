"""The ReLU control's recovery by distillation, and seeded reward rates, on the tiny Llama."""

from claims.experiments.chat import pool, recovery
from claims.experiments.chat.grpo_run import clone
from claims.experiments.chat.model import from_model
from tests.common.tiny_llama import tiny_llama


def test_sequences_are_the_text_lines_then_each_prompt_with_its_reference_reply(tokenizer):
    prompts = pool.split("train", 2)
    found = recovery.distillation_sequences(tokenizer, prompts, ["One line.", "Two lines."])
    assert found[0] == tokenizer("One line.", add_special_tokens=False)["input_ids"]
    text = tokenizer.decode(found[2])
    assert prompts[0].instruction in text
    assert text.endswith(f"{recovery.reference_reply(prompts[0])}<|im_end|>\n")
    assert len(found) == 4


def test_distillation_moves_the_relu_student_toward_the_silu_teacher(tokenizer):
    teacher = from_model(tiny_llama(), tokenizer)
    student = clone(teacher, gate="relu")
    sequences = recovery.distillation_sequences(tokenizer, pool.split("train", 8), [])
    before = recovery.held_out_kl(student, teacher, sequences)
    found = recovery.distil(student, teacher, sequences, steps=6, batch=4, lr=1e-2)
    assert len(found.losses) == 6
    assert recovery.held_out_kl(student, teacher, sequences) < 0.5 * before
    assert recovery.held_out_kl(teacher, teacher, sequences) == 0.0  # KL of a model to itself


def test_each_epoch_of_batches_covers_every_sequence_once():
    dealt = sorted(sum((recovery.batch_order(1, 12, step, 4) for step in range(3)), []))
    assert dealt == list(range(12))
    assert recovery.batch_order(1, 12, 0, 4) != recovery.batch_order(2, 12, 0, 4)


def test_reward_rates_are_reproducible_from_the_seed(tokenizer):
    chat = from_model(tiny_llama(), tokenizer)
    prompts = pool.split("train", 3)
    first = recovery.reward_rates(chat, prompts, samples=2, max_new_tokens=3, seed=0, chunk=2)
    again = recovery.reward_rates(chat, prompts, samples=2, max_new_tokens=3, seed=0, chunk=2)
    assert first == again and len(first) == 3
    assert all(rate in (0.0, 0.5, 1.0) for rate in first)
